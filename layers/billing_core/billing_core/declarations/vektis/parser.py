"""The entry point of a Vektis EI declaration: the file -> claims and findings, the same
result as a CSV upload (``parsed.ParseResult``)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from billing_core.declarations.findings import structural
from billing_core.declarations.parsed import ParseResult
from billing_core.declarations.rules.insurers import InsurerRegisters
from billing_core.declarations.vektis.layout import MessageKind
from billing_core.declarations.vektis.mapping import map_claims
from billing_core.declarations.vektis.reader import read_vektis


def parse_vektis(
    data: bytes,
    *,
    today: date,
    max_lines: int = 100_000,
    provider_agbs: Collection[str] = (),
    insurers: InsurerRegisters | None = None,
) -> ParseResult:
    """An MZ301/PM304 upload -> the same result as a CSV upload (R2: a structural finding
    leaves no claims). The caller pauses the cycle collector (billing_core.bulk)."""
    file = read_vektis(
        data, kind=MessageKind.DECLARATION, max_lines=max_lines, provider_agbs=provider_agbs
    )
    if file.file_rejected:
        return ParseResult([], structural(file.findings), file.treatment_lines, format=file.format)
    claims, findings = map_claims(file, today=today, insurers=insurers)
    repaired = file.warnings  # what the reader repaired, for the report
    return ParseResult(claims, [*repaired, *findings], file.treatment_lines, format=file.format)
