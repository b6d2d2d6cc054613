"""The reports of an upload: ``ProcessingReport`` for a declaration file (R1, R2) and
``RetourReport`` for an insurer's retour file (R5).

A report is stored as JSON in the output bucket, where the provider API reads its
findings (interfaces.md §1); ``to_json`` writes the same bytes as ever, key for key. Its
``log_entry`` is the operator's line: ids, counts and finding codes, no personal data (R29).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from billing_core.declarations.findings import Finding, Outcome
from billing_core.declarations.record import DeclarationStatus
from billing_core.shared.reports import LogEntry

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from billing_core.declarations.vektis.parser import RetourRemark

SummaryT = TypeVar("SummaryT", bound="DataclassInstance")


@dataclass(frozen=True, slots=True)
class FileRejectedSummary:
    """A file rejected as a whole (R2): its lines were counted, none became a claim."""

    lines: int
    claims_rejected: int = 0
    invoices: int = 0


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """The counts and amounts of one processed declaration file, for the report and the log."""

    lines: int
    claims_rejected: int
    claims_already_processed: int  # known from an earlier upload (R3)
    claims_invoiced: int
    claims_to_insurer: int
    invoices: int
    invoices_by_channel: dict[str, int]  # "email", "paper"
    gross_cents: int
    reimbursement_deducted_cents: int
    amount_invoiced_cents: int
    warnings: int
    claims_corrected: int  # credit lines booked on an earlier upload's invoices
    correction_cents: int
    invoices_debtor_risk_with_provider: int  # the patient is blocked at the provider (R22)


@dataclass(frozen=True, slots=True)
class RetourSummary:
    """The counts and amounts of one applied retour file (R5), for the report and the log."""

    lines: int
    lines_applied: int
    lines_unchanged: int
    lines_invoiced_to_patient: int
    lines_insurer: int
    lines_unknown: int
    invoices_changed: int
    invoices_created: int
    reimbursement_change_cents: int  # what the patients owe less (negative: more)
    granted_cents: int


@dataclass(frozen=True, slots=True)
class RetourLineReport:
    """Per line what the insurer said and what became of it: refs and amounts only."""

    line: int
    claim_ref: str
    granted_cents: int
    retour_codes: tuple[str, ...]
    result: str  # a retour.LineResult, or "" when the file was rejected
    invoice_id: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"retour_codes": list(self.retour_codes)}


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadReport(ABC, Generic[SummaryT]):
    """What both reports say of their upload, in the order they are stored."""

    LOG_MESSAGE: ClassVar[str]

    declaration_id: str
    provider_id: str
    file_name: str
    format: str
    processed_at: datetime
    outcome: Outcome
    summary: SummaryT
    findings: tuple[Finding, ...]  # in report order: by line, then code (in_report_order)
    finding_counts: dict[str, int] = field(default_factory=dict)  # all of them, by code

    @property
    def status(self) -> DeclarationStatus:
        """Rejected: nothing in the file was processed (R2); else processed, see the outcome."""
        if self.outcome is Outcome.REJECTED:
            return DeclarationStatus.REJECTED
        return DeclarationStatus.PROCESSED

    def as_dict(self) -> dict[str, Any]:
        return {
            "declaration_id": self.declaration_id,
            "provider_id": self.provider_id,
            "file_name": self.file_name,
            **self._kind(),
            "format": self.format,
            "processed_at": self.processed_at.isoformat(),
            "status": self.status.value,
            "outcome": self.outcome.value,
            "summary": asdict(self.summary),
            **self._lines(),
            "findings": [finding.as_dict() for finding in self.findings],
            "finding_counts": self.finding_counts,
        }

    def to_json(self) -> bytes:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2).encode("utf-8")

    def finding_codes(self) -> list[str]:
        return sorted({finding.code for finding in self.findings})

    def log_entry(self) -> LogEntry:
        fields = {
            "declaration_id": self.declaration_id,
            "provider_id": self.provider_id,
            "outcome": self.outcome.value,
            "summary": asdict(self.summary),
            "finding_codes": self.finding_codes(),
        }
        return LogEntry(self.LOG_MESSAGE, fields, self._counts())

    def answer(self) -> dict[str, Any]:
        return {"declaration_id": self.declaration_id, "outcome": self.outcome.value}

    def _kind(self) -> dict[str, str]:
        return {}

    def _lines(self) -> dict[str, list[dict[str, Any]]]:
        return {}

    @abstractmethod
    def _counts(self) -> dict[str, int]:
        """The metrics of this kind of upload."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessingReport(UploadReport[IngestSummary | FileRejectedSummary]):
    """What became of a declaration upload: ``reports/{provider}/{declaration}.json``."""

    LOG_MESSAGE: ClassVar[str] = "declaration processed"

    def _counts(self) -> dict[str, int]:
        return {
            "DeclarationLines": self.summary.lines,
            "InvoicesCreated": self.summary.invoices,
            "ClaimsRejected": self.summary.claims_rejected,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RetourReport(UploadReport[RetourSummary]):
    """What a retour file changed: ``reports/{provider}/retour-{upload}.json``."""

    LOG_MESSAGE: ClassVar[str] = "retour applied"

    lines: tuple[RetourLineReport, ...]
    retour_codes: tuple[RetourRemark, ...] = ()  # every retourcode, at its level (issue 15)

    def _kind(self) -> dict[str, str]:
        return {"kind": "retour"}

    def _lines(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "lines": [line.as_dict() for line in self.lines],
            "retour_codes": [remark.as_dict() for remark in self.retour_codes],
        }

    def _counts(self) -> dict[str, int]:
        summary = self.summary
        return {
            "Retour_lines": summary.lines,
            "Retour_lines_applied": summary.lines_applied,
            "Retour_lines_unknown": summary.lines_unknown,
            "Retour_invoices_created": summary.invoices_created,
        }


# A report keeps the first FINDINGS_KEPT_PER_CODE findings of each code, in report order,
# and counts them all (issue 13 item 9): a header of 100,000 empty column names is one
# code counted 100,000 times, not a 21 MB report that no API answer (6 MB) can hold.
FINDINGS_KEPT_PER_CODE = 50


def in_report_order(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """By line, then code; the first FINDINGS_KEPT_PER_CODE of each code."""
    seen: Counter[str] = Counter()
    kept = []
    for finding in sorted(findings, key=lambda finding: (finding.line or 0, finding.code)):
        seen[finding.code] += 1
        if seen[finding.code] <= FINDINGS_KEPT_PER_CODE:
            kept.append(finding)
    return tuple(kept)


def counted_by_code(findings: Iterable[Finding]) -> dict[str, int]:
    """Every finding counted, also those a report does not keep."""
    return dict(sorted(Counter(finding.code for finding in findings).items()))


@dataclass(frozen=True, slots=True)
class OtherVersionIgnored:
    """Another object version under an upload's key (a second PUT, or a write that went
    around the upload URL): processed into nothing, told to the practice as an open
    action, logged as an error and counted (issue 13 item 1)."""

    declaration_id: str
    provider_id: str
    LOG_MESSAGE: ClassVar[str] = "another version of an upload ignored"

    def log_entry(self) -> LogEntry:
        fields = {"declaration_id": self.declaration_id, "provider_id": self.provider_id}
        return LogEntry(self.LOG_MESSAGE, fields, {"UploadVersionsIgnored": 1}, error=True)

    def answer(self) -> dict[str, Any]:
        return {"declaration_id": self.declaration_id, "outcome": "other_version_ignored"}
