"""The two sample providers of the demo and the sandbox (issue: one contracted with most
insurers, one non-contracted), as operations would enter them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from billing_core.providers.provider import CareKind, CoverageRule, Provider
from billing_core.providers.users import DirectoryUser, Role

# UZOVI codes the dental practice has a contract with (see billing_core/insurers.py).
# Contracted with most insurers: all but a.s.r. (9018) and CZ-group labels.
_MOST_INSURERS = frozenset(
    {"3311", "3313", "3351", "3358", "7095", "0101", "3334", "3332", "7029", "7037", "3343"}
)

DENTAL = Provider(
    provider_id="tandarts-de-vries",
    name="Tandartspraktijk De Vries",
    agb_code="12345678",
    care_kind=CareKind.DENTAL,
    city="Utrecht",
    contact_email="praktijk@tandarts-de-vries.example.org",
    payment_term_days=30,
    contracted_insurers={2025: _MOST_INSURERS, 2026: _MOST_INSURERS},
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
    agb_code="04123456",
    care_kind=CareKind.PARAMEDICAL,
    city="Amsterdam",
    contact_email="administratie@fysio-oost.example.org",
    payment_term_days=30,
    contracted_insurers={},  # non-contracted: the patient pays, then claims (R17)
    coverage_rules=(),
)

SAMPLE_PROVIDERS = (DENTAL, PHYSIO)

# The day the demo and the sandbox start on: the sample declarations are of Oct-Nov 2026.
SANDBOX_TODAY = date(2026, 11, 23)

# The sandbox's practice users (R32), one per role and practice: the portal's sign-in
# page lists them (standing in for the Cognito hosted UI, local/sign_in.py).
SAMPLE_USERS = tuple(
    DirectoryUser(
        email=f"{role.value}@{provider.contact_email.split('@', 1)[1]}",
        provider_id=provider.provider_id,
        role=role,
        user_id=f"{provider.provider_id}-{role.value}",
    )
    for provider in SAMPLE_PROVIDERS
    for role in (Role.ADMIN, Role.STAFF, Role.VIEWER)
)
