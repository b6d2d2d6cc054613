"""The entry point of a Vektis EI declaration: the file -> claims and findings, the same
result as a CSV upload (``parsed.ParseResult``)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from billing_core.declarations.claims import canonical_reference
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
    # A Vektis ref is kept as written; a CSV upload stored an all-digit one without its
    # leading zeros (canonical_reference), so that marker is looked up too (R3, ingest).
    other_form = tuple(
        (claim.claim_ref, canonical_reference(claim.claim_ref))
        for claim in claims
        if claim.claim_ref[:1] == "0" and canonical_reference(claim.claim_ref) != claim.claim_ref
    )
    return ParseResult(
        claims,
        [*repaired, *findings],
        file.treatment_lines,
        format=file.format,
        written_refs=other_form,
    )
