"""The two sample providers of the demo and the sandbox (issue: one contracted with most
insurers, one non-contracted), as operations would enter them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.providers.provider import (
    AgbCode,
    AgbKind,
    CareKind,
    Contact,
    Contract,
    CoverageRule,
    Payout,
    PracticeAddress,
    Provider,
)
from billing_core.providers.users import DirectoryUser, Role

# UZOVI codes the dental practice has a contract with (see billing_core/insurers.py).
# Contracted with most insurers: all but a.s.r. (9018) and CZ-group labels.
_MOST_INSURERS = frozenset(
    {"3311", "3313", "3351", "3358", "7095", "0101", "3334", "3332", "7029", "7037", "3343"}
)

DENTAL = Provider(
    provider_id="tandarts-de-vries",
    name="Tandartspraktijk De Vries",
    legal_name="Tandartspraktijk De Vries B.V.",
    kvk="30123456",
    care_kind=CareKind.DENTAL,
    agb_codes=(
        AgbCode(code="12345678", kind=AgbKind.PRACTICE),
        AgbCode(code="12000111", kind=AgbKind.PRACTITIONER),
    ),
    address=PracticeAddress(
        street="Oudegracht", house_number="120", postcode="3511 AX", city="Utrecht"
    ),
    contact=Contact(
        email="praktijk@tandarts-de-vries.example.org",
        phone="030 123 4567",
        website="https://tandarts-de-vries.example.org",
        hours="ma-vr 8:00-17:00",
    ),
    payout=Payout(iban="NL91ABNA0417164300", account_holder="Tandartspraktijk De Vries B.V."),
    payment_term_days=30,
    contracts=tuple(
        Contract(uzovi=uzovi, starts=date(2025, 1, 1), ends=date(2026, 12, 31))
        for uzovi in sorted(_MOST_INSURERS)
    ),
    coverage_rules=(
        # Adult dental care is not in the basic insurance; supplementary policies
        # reimburse part of consults and X-rays when the practice is contracted.
        CoverageRule(code_prefix="C", contracted_percentage=Decimal(75)),
        CoverageRule(code_prefix="X", contracted_percentage=Decimal(75)),
        CoverageRule(code_prefix="M", contracted_percentage=Decimal(100)),
        CoverageRule(code_prefix="", contracted_percentage=Decimal(0)),
    ),
)

PHYSIO = Provider(
    provider_id="fysio-centrum-oost",
    name="Fysio- en Handtherapie Centrum Oost",
    legal_name="Fysio Centrum Oost V.O.F.",
    kvk="34987654",
    care_kind=CareKind.PARAMEDICAL,
    agb_codes=(AgbCode(code="04123456", kind=AgbKind.PRACTICE),),
    address=PracticeAddress(
        street="Linnaeusstraat",
        house_number="35",
        house_number_suffix="H",
        postcode="1093 EE",
        city="Amsterdam",
    ),
    contact=Contact(email="administratie@fysio-oost.example.org", phone="020 765 4321"),
    payout=Payout(iban="NL44RABO0123456789", account_holder="Fysio Centrum Oost V.O.F."),
    payment_term_days=30,
    contracts=(),  # non-contracted: the patient pays, then claims (R17)
    coverage_rules=(),
    # Seed 004: "don't pay yet", claim it, send us the statement (legal-nl.md §7, R37).
    coulance=CoulancePolicy(wait_for_statement=True),
)

SAMPLE_PROVIDERS = (DENTAL, PHYSIO)

# The day the demo and the sandbox start on: the sample declarations are of Oct-Nov 2026.
SANDBOX_TODAY = date(2026, 11, 23)

# The sandbox's practice users (R32), one per role and practice: the portal's sign-in
# page lists them (standing in for the Cognito hosted UI, local/sign_in.py).
SAMPLE_USERS = tuple(
    DirectoryUser(
        email=f"{role.value}@{provider.contact.email.split('@', 1)[1]}",
        provider_id=provider.provider_id,
        role=role,
        user_id="",  # the user directory gives each its id, as Cognito its sub
    )
    for provider in SAMPLE_PROVIDERS
    for role in (Role.ADMIN, Role.STAFF, Role.VIEWER)
)
