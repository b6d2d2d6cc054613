"""Sample providers, patients and invoices for tests: realistic Dutch data, one override away
from the case a test is about.

    make_invoice()                                    # two lines, the second partly reimbursed
    make_invoice(patient=make_person(language=Language.EN))
    make_invoice(lines=(make_line(unit_price_cents=123456),))   # the ledger follows the lines
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from billing_core.declarations.claims import Address, Language, LineType, Person
from billing_core.invoices.invoice import (
    Channel,
    CoveredInvoice,
    DunningStage,
    Invoice,
    InvoiceLine,
    Reminder,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.providers.provider import CareKind, Provider
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM

REFERENCE_KEY = b"test-key"
REFERENCE = reference.for_sequence(1, REFERENCE_KEY)  # 14 digits, valid check digit
KENMERK = f"{REFERENCE[:4]} {REFERENCE[4:8]} {REFERENCE[8:12]} {REFERENCE[12:]}"  # as printed
PUBLIC = "https://betalen.zorgnota.example"  # the public base URL in what patients read
BSN = "123456782"  # passes the 11-proof; a test number, nobody's
ISSUE_DATE = date(2026, 11, 23)
ISSUED_AT = datetime(2026, 11, 23, 6, 30, tzinfo=AMSTERDAM)
DECLARATION_ID = "decl-2026-11-0001"
INVOICE_ID = "6f1c1b8e-3d4a-5b7e-9c2d-1a2b3c4d5e6f"


def make_provider(**overrides: Any) -> Provider:
    """The settings of interfaces.md §6. Shorthands a test may pass instead of the nested
    settings: ``agb_code`` (the practice code), ``city``, ``contact_email`` and
    ``contracted_insurers`` ({year: UZOVI codes}: a contract for each whole year)."""
    values: dict[str, Any] = {
        "provider_id": "tandarts-de-vries",
        "name": "Tandartspraktijk De Vries",
        "legal_name": "Tandartspraktijk De Vries B.V.",
        "kvk": "30123456",
        "agb_codes": [{"code": "12345678", "kind": "practice"}],
        "care_kind": CareKind.DENTAL,
        "address": {
            "street": "Biltstraat",
            "house_number": "120",
            "postcode": "3572 AX",
            "city": "Utrecht",
        },
        "contact": {
            "email": "praktijk@tandarts-de-vries.example.org",
            "phone": "030 123 4567",
            "website": "https://tandarts-de-vries.example.org",
            "hours": "ma-vr 8:00-17:00",
        },
        "payout": {
            "iban": "NL91ABNA0417164300",
            "account_holder": "Tandartspraktijk De Vries B.V.",
        },
        "payment_term_days": 30,
    }
    city = overrides.pop("city", None)
    if "agb_code" in overrides:
        values["agb_codes"] = [{"code": overrides.pop("agb_code"), "kind": "practice"}]
    if "contact_email" in overrides:
        values["contact"] = values["contact"] | {"email": overrides.pop("contact_email")}
    if "contracted_insurers" in overrides:
        values["contracts"] = yearly_contracts(overrides.pop("contracted_insurers"))
    provider = Provider(**(values | overrides))
    if city is None:
        return provider
    # model_copy: a test may ask for a city no operator could enter (""), to see it handled.
    return provider.model_copy(
        update={"address": provider.address.model_copy(update={"city": city})}
    )


def yearly_contracts(by_year: dict[int, Iterable[str]]) -> list[dict[str, str]]:
    """{2026: {"3311"}} -> a contract with 3311 from 1 January to 31 December 2026."""
    return [
        {"uzovi": uzovi, "from": f"{year}-01-01", "to": f"{year}-12-31"}
        for year, codes in sorted(by_year.items())
        for uzovi in sorted(codes)
    ]


def make_address(**overrides: Any) -> Address:
    values: dict[str, Any] = {
        "street": "Oudegracht",
        "house_number": "231",
        "house_number_suffix": "bis",
        "postcode": "3511 NK",
        "city": "Utrecht",
    }
    return Address(**(values | overrides))


def make_person(**overrides: Any) -> Person:
    values: dict[str, Any] = {
        "initials": "S.",
        "name_prefix": "van der",
        "last_name": "Berg",
        "address": make_address(),
        "email": "s.vanderberg@example.nl",
        "mobile": "+31612345678",
        "language": Language.NL,
    }
    return Person(**(values | overrides))


def make_line(**overrides: Any) -> InvoiceLine:
    values: dict[str, Any] = {
        "claim_ref": "TDV-2026-000123-1",
        "treatment_date": date(2026, 10, 12),
        "treatment_code": "C11",
        "description": "Periodieke controle",
        "line_type": LineType.CARE,
        "quantity": 1,
        "unit_price_cents": 2814,
        "reimbursed_cents": 0,
        "insurer_uzovi": "3311",
    }
    # Care of one day (no DBC): its coverage was decided on its treatment date.
    values["coverage_date"] = overrides.get("treatment_date", values["treatment_date"])
    return InvoiceLine(**(values | overrides))


def sample_lines() -> tuple[InvoiceLine, ...]:
    """A check-up the insurer does not pay, and an X-ray it pays 75% of."""
    return (
        make_line(),
        make_line(
            claim_ref="TDV-2026-000123-2",
            treatment_code="X10",
            description="Kleine röntgenfoto",
            unit_price_cents=2011,
            reimbursed_cents=1508,
        ),
    )


def ledger_for(lines: tuple[InvoiceLine, ...]) -> tuple[LedgerEntry, ...]:
    """What issuing books (R27): the gross amount, less what the insurer reimburses."""
    cause = f"declaration:{DECLARATION_ID}"
    gross = sum(line.amount_cents for line in lines)
    reimbursed = sum(line.reimbursed_cents for line in lines)
    entries = [LedgerEntry(EntryKind.ISSUED, Component.PRINCIPAL, gross, ISSUED_AT, cause)]
    if reimbursed:
        entries.append(
            LedgerEntry(EntryKind.REIMBURSEMENT, Component.PRINCIPAL, -reimbursed, ISSUED_AT, cause)
        )
    return tuple(entries)


def make_invoice(**overrides: Any) -> Invoice:
    """An invoice as issuing makes it; the ledger follows ``lines`` unless given too."""
    lines = overrides.pop("lines", sample_lines())
    patient = overrides.get("patient", make_person())
    debtor = overrides.get("debtor")
    values: dict[str, Any] = {
        "invoice_id": INVOICE_ID,
        "provider_id": "tandarts-de-vries",
        "declaration_id": DECLARATION_ID,
        "reference": REFERENCE,
        "patient_ref": "P-004711",
        "bsn": BSN,
        "birth_date": date(1984, 3, 7),
        "patient": patient,
        "debtor": debtor,
        "channel": Channel.EMAIL if (debtor or patient).email else Channel.PAPER,
        "issue_date": ISSUE_DATE,
        "final_payment_date": date(2026, 12, 23),
        "lines": lines,
        "ledger": ledger_for(lines),
    }
    return Invoice(**(values | overrides))


# The factory invoice's reminder (final payment date 23 December 2026): sent by e-mail on
# 31 December and received that day, it asks payment by 14 January (legal-nl.md §2: the
# receipt date + 14 days) of the 33.17 principal and announces 40.00 costs, charged on
# 15 January. Overrides of make_invoice: ``make_invoice(**REMINDED)``, ``**CHARGED``.
REMINDER = Reminder(
    letter_id="2026-12-31:inv",
    sent_on=date(2026, 12, 31),
    channel=Channel.EMAIL,
    received_on=date(2026, 12, 31),
    final_date=date(2027, 1, 14),
    covers=(CoveredInvoice(INVOICE_ID, REFERENCE, 3317, 4000),),
)
REMINDED: dict[str, Any] = {"dunning_stage": DunningStage.REMINDED, "reminder": REMINDER}
CHARGED: dict[str, Any] = REMINDED | {
    "dunning_stage": DunningStage.COSTS_CHARGED,
    "costs_charged_on": date(2027, 1, 15),
}


def make_parent(**overrides: Any) -> Person:
    """A parent who receives and pays the invoice of a child (a debtor)."""
    return replace(
        make_person(initials="M.", name_prefix="", last_name="Jansen", email="m.jansen@example.nl"),
        **overrides,
    )
