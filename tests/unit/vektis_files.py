"""Synthetic Vektis EI files for the tests: good ones from claims via the writer, bad ones
by changing one field or record of a good one (the same layout tables as the reader)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from billing_core.declarations.claims import Address, Claim, LineType
from billing_core.declarations.findings import Severity
from billing_core.declarations.parsed import ParseResult
from billing_core.declarations.reports import OtherVersionIgnored
from billing_core.declarations.retour import RetourReport, apply_retour_upload
from billing_core.declarations.upload import IngestContext, Upload
from billing_core.declarations.vektis.layout import RecordType, Standard
from billing_core.declarations.vektis.layouts import MZ301_V13
from billing_core.declarations.vektis.parser import parse_vektis
from billing_core.declarations.vektis.writer import (
    Header,
    declaration_records,
    format_value,
    to_bytes,
    trailer_values,
    with_field,
)
from billing_core.shared.reports import DeliveredAgain
from tests.unit.claim_factories import VGZ, claim, person

TODAY = date(2026, 11, 23)
AGB = "12345678"
HEADER = Header(
    practice_agb=AGB,
    invoice_number="F-2026-47",
    invoice_date=date(2026, 11, 22),
    period_start=date(2026, 11, 1),
    period_end=date(2026, 11, 21),
)
PARENT = person(
    initials="M.",
    name_prefix="",
    last_name="Terpstra",
    email="m.terpstra@example.com",
    address=Address("Wittevrouwensingel", "41", "", "3581 GB", "Utrecht"),
)


def dental_claim(claim_ref: str = "L1", **overrides: Any) -> Claim:
    """A claim as an MZ301 can carry it: a code from the table and its description."""
    base = claim(claim_ref, treatment_code="V21", description="Vulling, één vlak")
    return replace(base, **overrides)


def child_claims() -> list[Claim]:
    """A child (insured at VGZ) whose parent pays: the 02 has postcode and house number."""
    child = person(
        initials="S.",
        name_prefix="",
        last_name="Terpstra",
        email="",
        address=Address("", "41", "", "3581 GB", ""),
    )
    check_up = dental_claim(
        "K1",
        patient_ref="P2",
        bsn="100010039",
        birth_date=date(2015, 4, 2),
        patient=child,
        debtor=PARENT,
        treatment_code="C11",
        insurer_uzovi=VGZ,
        description="Periodieke controle",
        unit_price_cents=2350,
    )
    mouthguard = replace(
        check_up,
        claim_ref="K2",
        treatment_code="M61",
        description="Mondbeschermer op maat (materiaal)",
        line_type=LineType.MATERIAL,
        unit_price_cents=4500,
    )
    return [check_up, mouthguard]


def records(
    claims: Sequence[Claim] = (),
    *,
    standard: Standard = MZ301_V13,
    debtor_version: str = "02",
    header: Header = HEADER,
) -> list[str]:
    return declaration_records(
        standard, header, list(claims) or [dental_claim()], debtor_version=debtor_version
    )


def edited(
    lines: list[str], index: int, key: str, value: str | int, *, standard: Standard = MZ301_V13
) -> list[str]:
    """The records with one field of record ``index`` changed, formatted as the writer would."""
    changed = list(lines)
    changed[index] = with_field(changed[index], layout_of(changed[index], standard), key, value)
    return changed


def raw(
    lines: list[str], index: int, key: str, text: str, *, standard: Standard = MZ301_V13
) -> list[str]:
    """The records with one field of record ``index`` overwritten by ``text`` as it is."""
    changed = list(lines)
    item = layout_of(changed[index], standard).field(key)
    assert len(text) == item.length, "raw() keeps the record length; use another helper to break it"
    changed[index] = changed[index][: item.start - 1] + text + changed[index][item.end :]
    return changed


def retotalled(lines: list[str], standard: Standard = MZ301_V13) -> list[str]:
    """The records with the 99 recomputed: to break one rule without breaking the trailer."""
    body = lines[:-1]
    trailer = standard.records[RecordType.TRAILER]
    values = trailer_values(body, standard)
    text = "".join(
        format_value(item, values[item.key]) if item.key in values else lines[-1][item.slice]
        for item in trailer.fields
    )
    return [*body, text]


def layout_of(text: str, standard: Standard = MZ301_V13):  # type: ignore[no-untyped-def]
    kind = text[:2]
    if kind == "03":
        return standard.debtor_records[text[297:299]]
    return standard.records[RecordType(kind)]


def parse(
    data: bytes | list[str], *, agb: str | None = AGB, max_lines: int = 1000, today: date = TODAY
) -> ParseResult:
    if isinstance(data, list):
        data = to_bytes(data)
    return parse_vektis(data, today=today, max_lines=max_lines, provider_agbs={agb} if agb else ())


def codes(result: ParseResult, severity: Severity | None = None) -> list[str]:
    return [f.code for f in result.findings if severity is None or f.severity is severity]


def only(result: ParseResult, code: str):  # type: ignore[no-untyped-def]
    [finding] = [f for f in result.findings if f.code == code]
    return finding


def apply_retour(
    provider_id: str,
    declaration_id: str,
    data: bytes,
    ctx: IngestContext,
    *,
    file_name: str = "",
    version: str = "",
) -> RetourReport | OtherVersionIgnored | DeliveredAgain:
    """One retour file uploaded as ``declaration_id``, applied as the retour_import
    handler applies it (apply_retour_upload, R9); returns its report."""
    upload = Upload(provider_id, declaration_id, file_name or "retour", "", version)
    return apply_retour_upload(upload, data, ctx)
