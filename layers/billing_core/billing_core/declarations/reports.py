"""What the report of every upload shares (``UploadReport``), and the findings it keeps.
The declaration ingest's ``ProcessingReport`` (R1, R2) and the retour import's
``RetourReport`` (R5) build on it, each beside the use case that makes it (``ingest``,
``retour``): neither function loads the other's report.

A report is stored as JSON in the output bucket, where the provider API reads its
findings (interfaces.md §1); ``stored`` writes the same keys as ever, its long lists a
page at a time (PAGED_LISTS). Its ``log_entry`` is the operator's line: ids, counts and
finding codes, no personal data (R29).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NotRequired, TypedDict, TypeVar

from billing_core.declarations.findings import Finding, Outcome, Severity
from billing_core.declarations.record import DeclarationStatus
from billing_core.shared.reports import LogEntry

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

SummaryT = TypeVar("SummaryT", bound="DataclassInstance")


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
        """Rejected: nothing in the file was processed (R2), but for a retour stopped
        half-way (RETOUR_PROGRESS_GONE: what its earlier parts booked stays, uploading the
        file again finishes it; R5, R39); else processed, see the outcome."""
        if self.outcome is Outcome.REJECTED:
            return DeclarationStatus.REJECTED
        return DeclarationStatus.PROCESSED

    @property
    def stopped_half_way(self) -> bool:
        """A retour whose parts stopped half-way (``RetourReport``); a file is processed
        in one run, so never one of the declaration ingest's."""
        return False

    def as_dict(self) -> dict[str, Any]:
        findings = [finding.as_dict() for finding in self.findings]
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
            "findings": findings,
            "finding_counts": self.finding_counts,
            **self._not_kept(findings),
        }

    def stored(self, key: str) -> tuple[bytes, list[tuple[str, bytes]]]:
        """The report as it is stored under ``key``, and its page objects (in_pages)."""
        summary, pages = in_pages(self.as_dict(), key)
        return _json(summary), [(page, _json(rows)) for page, rows in pages]

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

    def _not_kept(self, findings: list[dict[str, Any]]) -> dict[str, list[FindingNotKept]]:
        """``findings_not_kept``, only in a report that did not keep every finding, so
        the others are stored with the keys they always had (findings_not_kept)."""
        not_kept = findings_not_kept(findings, self.finding_counts)
        return {"findings_not_kept": not_kept} if not_kept else {}

    def _lines(self) -> dict[str, list[dict[str, Any]]]:
        return {}

    @abstractmethod
    def _counts(self) -> dict[str, int]:
        """The metrics of this kind of upload."""


# A report keeps the first FINDINGS_KEPT_PER_CODE findings of each code of the file and of
# the warnings, in report order, and counts them all (issue 13 item 9): a header of 100,000
# empty column names is one code counted 100,000 times, not a 21 MB report. Every finding
# that rejects a line is kept (audit files FILES5): the practice sends exactly those lines
# again (R2), so each must be named. They are bounded by the file's lines (max_lines), and
# stored a page at a time (PAGED_LISTS), as the API and the portal show them.
FINDINGS_KEPT_PER_CODE = 50


# A report's long lists are stored a page at a time (closing14's found list: a report of
# 100,000 rejected lines was one 73 MB object, read whole for each page the API or portal
# showed): its own object keeps the first REPORT_PAGE rows of each and how many there are
# ("<list>_total"); the others are page objects beside it, written once with the report,
# so a page reads the report's object and the page objects it shows. A report without
# "<list>_total" (one page, or written before) holds its whole list.
PAGED_LISTS = ("findings", "retour_codes")
REPORT_PAGE = 200


def page_key(key: str, name: str, index: int) -> str:
    """Where the ``index``-th page (from 1; the 0th is in the report) of a list is."""
    return f"{key.removesuffix('.json')}/{name}-{index:05d}.json"


def in_pages(
    report: dict[str, Any], key: str
) -> tuple[dict[str, Any], list[tuple[str, list[Any]]]]:
    """The report's own object and its page objects, by key (see PAGED_LISTS)."""
    summary = dict(report)
    pages: list[tuple[str, list[Any]]] = []
    for name in PAGED_LISTS:
        rows = report.get(name, [])
        if len(rows) <= REPORT_PAGE:
            continue
        summary[name], summary[f"{name}_total"] = rows[:REPORT_PAGE], len(rows)
        starts = range(REPORT_PAGE, len(rows), REPORT_PAGE)
        pages += [
            (page_key(key, name, index), rows[start : start + REPORT_PAGE])
            for index, start in enumerate(starts, start=1)
        ]
    return summary, pages


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def in_report_order(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """By line, then code; every rejected line's findings, and the first
    FINDINGS_KEPT_PER_CODE of each other code."""
    seen: Counter[str] = Counter()
    kept = []
    for finding in sorted(findings, key=lambda finding: (finding.line or 0, finding.code)):
        seen[finding.code] += 1
        if finding.severity is Severity.CLAIM or seen[finding.code] <= FINDINGS_KEPT_PER_CODE:
            kept.append(finding)
    return tuple(kept)


class FindingNotKept(TypedDict):
    """Of one code, the findings a report counted but did not keep (``findings_not_kept``)."""

    code: str
    count: int  # how many are only counted, listed on no page of findings
    message: str  # the first kept finding's sentence (nl), naming the kind
    message_en: str
    # The patient numbers that sentence names, as its finding keeps them: a read of any
    # page of the report shows the sentence, so its record names them (R32, NEN 7513).
    patient_refs: NotRequired[list[str]]


def findings_not_kept(
    kept: Iterable[Mapping[str, Any]], counts: Mapping[str, int]
) -> list[FindingNotKept]:
    """Per code of which the report kept fewer findings than it counted (R2, R35; audit
    report2: the portal listed 50 of 10,000 warnings and said nothing of the rest): how
    many it did not keep, and the sentence of the first it kept, naming the kind. Only
    the kept ones are stored, so the others are counted, never listed.

    ``kept``: the kept findings as stored (``Finding.as_dict``), so one function works it
    out for a report being written and for one stored before it held the list (audit
    report3: it was worked out twice, here and in the provider service)."""
    first: dict[str, Mapping[str, Any]] = {}
    by_code: Counter[str] = Counter()
    for row in kept:
        first.setdefault(row["code"], row)
        by_code[row["code"]] += 1
    return [
        _not_kept(code, count - by_code[code], first.get(code, {}))
        for code, count in counts.items()
        if count > by_code[code]
    ]


def _not_kept(code: str, count: int, first: Mapping[str, Any]) -> FindingNotKept:
    """Of ``code``, ``count`` findings not kept, said by the ``first`` kept one (none: the
    code), with the patients its sentence names."""
    said = FindingNotKept(
        code=code,
        count=count,
        message=first.get("message", code),
        message_en=first.get("message_en", code),
    )
    if named := first.get("patient_refs"):
        said["patient_refs"] = list(named)
    return said


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
