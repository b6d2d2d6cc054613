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
