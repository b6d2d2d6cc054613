"""What a provider chose for non-contracted care (R17): applied at once or confirmed, and
the least share of the non-contracted care on the invoice the patient pays. Part of the provider's settings, so it
imports nothing of the use case in coulance.py."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from billing_core.shared.settings_rules import Boolean, Percentage, WholeNumber


class CoulanceMode(StrEnum):
    AUTOMATIC = "automatic"  # applied as soon as the statement comes in
    PROVIDER_CONFIRMS = "provider_confirms"  # a proposal on the provider's action list


class CoulancePolicy(BaseModel):
    """Per provider (seed 004's clinic: gross reimbursement, at least 60%)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: CoulanceMode = CoulanceMode.PROVIDER_CONFIRMS
    minimum_percentage: Annotated[Decimal, Percentage] = Field(
        default=Decimal(60),
        ge=0,
        le=100,
        decimal_places=2,
        description="the least the patient pays, in percent of the invoice's non-contracted "
        "lines (what they claim from the insurer; legal-nl.md §6); a no-show fee and the "
        "share of contracted care are paid in full",
    )
    # legal-nl.md §7, R37 (seed 004's clinic): the practice applies this policy from the
    # start, so its non-contracted invoices say "don't pay yet, claim it at your insurer
    # and send us the statement", and their first reminder waits for that statement, at
    # most ``statement_wait_days`` after the final payment date.
    wait_for_statement: Annotated[bool, Boolean] = False
    statement_wait_days: Annotated[int, WholeNumber] = Field(default=30, ge=0, le=120)
