"""Entry points: a Vektis EI declaration -> claims and findings; a retour file -> lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from billing_core.declarations.claims import Claim
from billing_core.declarations.csv_format import CsvParseResult
from billing_core.declarations.findings import Finding, Severity
from billing_core.declarations.vektis.layout import MessageKind, RecordType
from billing_core.declarations.vektis.mapping import map_claims
from billing_core.declarations.vektis.reader import VektisFile, read_vektis

_RETOUR_KEYS = (
    "line_reference",
    "granted_amount",
    "granted_dc",
    "retour_code_1",
    "retour_code_2",
    "retour_code_3",
)


def parse_vektis(
    data: bytes, *, today: date, max_lines: int = 100_000, provider_agb: str | None = None
) -> CsvParseResult:
    """An MZ301/PM304 upload -> the same result as a CSV upload (R2: a structural finding
    leaves no claims). The caller pauses the cycle collector (billing_core.bulk)."""
    file = _read(data, MessageKind.DECLARATION, max_lines, provider_agb)
    if file.file_rejected:
        structural = [f for f in file.findings if f.severity is Severity.FILE]
        return CsvParseResult([], structural, file.treatment_lines, format=file.format)
    claims, findings = map_claims(file, today=today)
    return CsvParseResult(claims, findings, file.treatment_lines, format=file.format)


@dataclass(frozen=True, slots=True)
class RetourLine:
    """One 04 of a retour file: what the insurer granted for one declared line."""

    line: int
    claim_ref: str
    granted_cents: int  # signed: D positive, C negative
    retour_codes: tuple[str, ...]
    claim: Claim | None  # the declared line as the insurer copied it; None if unreadable


@dataclass(frozen=True)
class RetourParse:
    format: str
    lines: list[RetourLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # structural only

    @property
    def file_rejected(self) -> bool:
        return any(f.severity is Severity.FILE for f in self.findings)


def parse_retour(
    data: bytes, *, today: date, max_lines: int = 100_000, provider_agb: str | None = None
) -> RetourParse:
    """A PM305/MZ302 file: checked as a declaration is (it copies one), then per line the
    granted amount and retour codes. The insurer's copy of a line is mapped to a claim
    too: a rejected VGZ-group material is invoiced from it (legal-nl.md §6)."""
    file = _read(data, MessageKind.RETOUR, max_lines, provider_agb)
    if file.file_rejected or file.standard is None:
        return RetourParse(file.format, findings=file.findings)
    claims, _content = map_claims(file, today=today)  # content findings are the insurer's business
    by_ref = {claim.claim_ref: claim for claim in claims}
    read = file.standard.records[RecordType.TREATMENT].getter(_RETOUR_KEYS)
    lines = []
    for line, text in enumerate(file.records, 1):
        if text[:2] != "04":
            continue
        reference, amount, dc, *codes = read(text)
        reference = reference.strip()
        granted = int(amount) if amount.isdecimal() else 0
        retour_codes = tuple(c.strip() for c in codes if c.strip("0 "))
        signed = -granted if dc == "C" else granted
        lines.append(RetourLine(line, reference, signed, retour_codes, by_ref.get(reference)))
    return RetourParse(file.format, lines)


def _read(data: bytes, kind: MessageKind, max_lines: int, provider_agb: str | None) -> VektisFile:
    file = read_vektis(data, kind=kind, provider_agb=provider_agb)
    if file.treatment_lines > max_lines:
        file.findings.append(
            Finding(
                "FILE_TOO_MANY_LINES",
                Severity.FILE,
                params={"lines": file.treatment_lines, "max_lines": max_lines},
            )
        )
    return file
