"""Claims for tests of invoicing, with sensible defaults (a valid BSN, a contracted insurer)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from billing_core.declarations.claims import Address, Claim, Language, LineType, Person
from billing_core.providers.provider import CareKind, CoverageRule, Provider
from tests.unit.factories import make_provider

ZILVEREN_KRUIS = "3311"  # contracted in the test provider
VGZ = "7095"  # VGZ group: materials go to the insurer first (legal-nl.md §6)
ASR = "9018"  # not contracted in the test provider

_ADDRESS = Address("Oudegracht", "12", "A", "3511 AB", "Utrecht")


def person(**overrides: Any) -> Person:
    base = Person(
        "J.", "van", "Dijk", _ADDRESS, email="j.vandijk@example.org", language=Language.NL
    )
    return replace(base, **overrides)


def claim(claim_ref: str = "L1", **overrides: Any) -> Claim:
    base = Claim(
        line_number=2,
        claim_ref=claim_ref,
        patient_ref="P1",
        bsn="111222333",
        birth_date=date(1980, 5, 17),
        patient=person(),
        debtor=None,
        insurer_uzovi=ZILVEREN_KRUIS,
        policy_number="",
        treatment_date=date(2026, 11, 2),
        treatment_start_date=None,
        treatment_code="V21",
        description="Eenvlaksvulling",
        line_type=LineType.CARE,
        quantity=1,
        unit_price_cents=5000,
    )
    return replace(base, **overrides)


def provider(**overrides: Any) -> Provider:
    base = dict(
        provider_id="tandarts-test",
        name="Tandartspraktijk Test",
        agb_code="12345678",
        care_kind=CareKind.DENTAL,
        contracted_insurers={2026: frozenset({ZILVEREN_KRUIS, VGZ})},
        coverage_rules=(
            CoverageRule(code_prefix="C", contracted_percentage=Decimal(75)),
            CoverageRule(code_prefix="C13", contracted_percentage=Decimal(100)),
            CoverageRule(code_prefix="", contracted_percentage=Decimal(0)),
        ),
    )
    return make_provider(**(base | overrides))
