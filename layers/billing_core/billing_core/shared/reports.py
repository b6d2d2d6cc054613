"""What a use case started by an event (an upload, a schedule) tells the operator: one log
line of ids, counts and codes, never personal data (R29), and the counts as metrics.

The use cases describe their result in these terms; ``entrypoints`` writes it out with
Powertools (``log_report``), so no function formats its own log line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One structured log line of a report: ids, counts and codes, never personal data."""

    message: str
    fields: Mapping[str, Any]  # ids, counts and codes only: no name, BSN, IBAN or address
    counts: Mapping[str, int] = field(default_factory=dict)  # metric name -> count
    error: bool = False  # someone must look: logged as an error


class OperatorReport(Protocol):
    """A result that says what the operator reads about it."""

    def log_entry(self) -> LogEntry: ...


class AnsweredReport(OperatorReport, Protocol):
    """A result that is also the function's answer (and its idempotency record)."""

    def answer(self) -> dict[str, Any]: ...


class DeliveredAgain:
    """An event whose work is finished, delivered again (S3 delivers at least once, also
    after Powertools' idempotency record expired or was released; a run's call can be
    redriven): nothing done, written or counted again, answered as the first delivery was
    (R3, R39). Logged and counted as ``UploadsDeliveredAgain``, never an error: nobody
    must act. One class for a declaration, a retour, a bank statement, the agency's
    file and a part of a dunning or retrocession run (entrypoints/finished_parts.py). A plain class: a frozen slotted dataclass costs the handlers' cold start."""

    __slots__ = ("answered", "fields", "message")

    def __init__(self, message: str, fields: Mapping[str, Any], answered: dict[str, Any]) -> None:
        self.message = message
        self.fields = fields  # ids and counts only, as the first delivery logged them
        self.answered = answered  # as the first delivery answered

    def log_entry(self) -> LogEntry:
        return LogEntry(self.message, self.fields, {"UploadsDeliveredAgain": 1})

    def answer(self) -> dict[str, Any]:
        return self.answered
