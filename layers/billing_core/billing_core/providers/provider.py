"""What zorgnota knows about a provider: stored in the table, edited by operations.

pydantic, because it crosses a boundary (a stored item) and must be validated there.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.dunning.policy import DunningPolicy


class CareKind(StrEnum):
    DENTAL = "dental"
    PARAMEDICAL = "paramedical"
    REHABILITATION = "rehabilitation"


class CoverageRule(BaseModel):
    """Share of a line's amount the insurer reimburses, for treatment codes with this prefix."""

    model_config = ConfigDict(frozen=True)

    code_prefix: str = ""  # "" matches every code; the longest matching prefix wins
    contracted_percentage: Decimal = Field(ge=0, le=100)
    non_contracted_percentage: Decimal = Field(default=Decimal(0), ge=0, le=100)


class Provider(BaseModel):
    model_config = ConfigDict(frozen=True)

    provider_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    name: str
    agb_code: str = Field(pattern=r"^\d{8}$")
    care_kind: CareKind
    city: str = ""
    contact_email: str = ""
    payment_term_days: int = Field(default=30, ge=1, le=90)  # R8
    deferral_days: int = Field(default=30, ge=1, le=90)  # R14
    arrangement_fee_cents: int = Field(default=1000, ge=0, le=10_000)  # R15: € 10,00
    arrangement_min_term_cents: int = Field(default=2500, ge=100)  # R15: € 25,00
    # R5: which insurers (UZOVI) the provider has a contract with, per calendar year.
    contracted_insurers: dict[int, frozenset[str]] = Field(default_factory=dict)
    coverage_rules: tuple[CoverageRule, ...] = ()
    # legal-nl.md §2: days from a print batch's date to its posting (the print house's
    # rhythm); a paper letter counts as received on the second delivery day after it.
    posting_delay_days: int = Field(default=0, ge=0, le=7)
    dunning: DunningPolicy = Field(default_factory=DunningPolicy)  # R19
    coulance: CoulancePolicy = Field(default_factory=CoulancePolicy)  # R17
    # R24: zorgnota's fee, a percentage of the money received per week (retrocession.py).
    service_fee_percentage: Decimal = Field(default=Decimal("3.5"), ge=0, le=25, decimal_places=2)

    def is_contracted(self, uzovi: str, year: int) -> bool:
        return uzovi in self.contracted_insurers.get(year, frozenset())
