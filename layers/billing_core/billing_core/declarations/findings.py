"""The processing report of one declaration upload (R1, R2).

Every problem is a ``Finding`` with a stable code, the line number and field, and a
message for a practice employee from ``texts.practice`` (its ``FINDINGS``). Structural
findings reject the whole file; content findings reject one claim; warnings reject nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

# Aliased: the Finding attribute named ``field`` would shadow dataclasses.field in the class body.
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    FILE = "file_rejected"  # structural (R2): nothing (more) in the file is processed
    CLAIM = "claim_rejected"  # content (R2): only this claim is left out
    WARNING = "warning"  # the invoice is still sent (e.g. R6 missing price quote)


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # every claim became (part of) an invoice or an insurer claim
    PARTIALLY_ACCEPTED = "partially_accepted"
    # Nothing processed: see file findings, or every claim was rejected; except a retour
    # stopped half-way (RETOUR_PROGRESS_GONE, R5, R39): what its earlier parts booked stays,
    # and uploading the file again finishes it.
    REJECTED = "rejected"
    ALREADY_PROCESSED = "already_processed"  # every claim was known from an earlier upload (R3)


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem or remark about an uploaded file or one of its lines, for the processing report
    (R2)."""

    code: str
    severity: Severity
    line: int | None = None  # 1-based line in the file; the header is line 1
    field: str | None = None
    claim_ref: str | None = None
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    def message(self, language: str = "nl") -> str:
        # Here, not at import: a retour or an upload without findings never reads the
        # practice's texts (shared/errors.py says why).
        from billing_core.texts.practice import finding_message

        # said_as: the texts' key when the finding is said otherwise for one file format,
        # the code that clients read staying the same (as practice_refused's said_as).
        values = dict(self.params)
        said_as = values.pop("said_as", self.code)
        values.pop("held_back_refs", None)
        held_back = values.pop("held_back", None)
        sentence = finding_message(said_as, language, line=self.line, field=self.field, **values)
        if held_back is None:
            return sentence
        # A patient's (02) problem said once for the treatment lines it holds back.
        return f"{sentence} {finding_message('LINES_HELD_BACK', language, count=held_back)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "line": self.line,
            "field": self.field,
            "claim_ref": self.claim_ref,
            "message": self.message("nl"),
            "message_en": self.message("en"),
            # The patient numbers its sentence names, which the read of a report's page
            # records (R32, NEN 7513); only when it names one, as a report kept them.
            **({"patient_refs": named} if (named := self.patients_named()) else {}),
        }

    def patients_named(self) -> list[str]:
        """The patient numbers its sentence names: the patient's, and the numbers a
        patient with the same BSN was blocked under (``blocked_ref``, ", "-joined)."""
        blocked = str(self.params.get("blocked_ref", ""))
        named = [str(self.params.get("patient_ref", "")), *blocked.split(", ")]
        return [number for number in named if number]


def structural(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that reject the whole file (R2): a file with any of them goes no further,
    and its report lists only these."""
    return [finding for finding in findings if finding.severity is Severity.FILE]
