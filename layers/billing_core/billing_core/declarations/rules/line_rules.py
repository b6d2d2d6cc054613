"""Line types with rules of their own (R6, legal-nl.md §6).

Decides per line who pays: the patient (with the insurer's reimbursement deducted) or
the insurer (the line leaves the patient invoice and goes to the insurer-claim export).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from billing_core.declarations.claims import Claim, LineType
from billing_core.declarations.rules.coverage import CoverageComponent, CoverageQuery
from billing_core.declarations.rules.insurers import InsurerRegisters, shipped_registers
from billing_core.providers.provider import CareKind, Provider

# NZa Regeling Mondzorg: a written quote is required for a treatment plan above €250.
DENTAL_QUOTE_THRESHOLD_CENTS = 25_000
PRICE_QUOTE_MISSING = "PRICE_QUOTE_MISSING"  # the warning on the invoice and in the report
QUOTE_RULE = "NZa Regeling Mondzorg: a written price quote (begroting) above EUR 250"
# A module constant for invoicing's per-claim loop: on Python 3.11 ``LineType.NO_SHOW`` goes
# through the enum's class property, ~25x a global's cost.
_NO_SHOW = LineType.NO_SHOW


class Payer(StrEnum):
    PATIENT = "patient"
    INSURER = "insurer"


@dataclass(frozen=True, slots=True)
class LineRouting:
    """Who pays a declared line, the patient or the insurer, and why (R5, R6)."""

    payer: Payer
    reimbursed_cents: int  # deducted on the patient invoice; 0 when the insurer takes the line
    reason: str  # why, for the insurer-claim export and the report
    # Whether the provider had a contract with the line's insurer on its coverage date:
    # kept on the invoice line, so coulance (R17) asks what was decided here (R31).
    contracted: bool


def route_line(
    claim: Claim, coverage: CoverageComponent, insurers: InsurerRegisters | None = None
) -> LineRouting:
    """``insurers``: the register versions (R33), the shipped one when not given."""
    if claim.line_type is LineType.NO_SHOW:
        # A no-show fee may never be declared to an insurer.
        return LineRouting(
            Payer.PATIENT, 0, "no_show_never_to_insurer", _contracted(claim, coverage)
        )
    if claim.line_type is LineType.MATERIAL:
        register = (insurers or shipped_registers()).in_force(claim.coverage_date)
        contracted = _contracted(claim, coverage)
        if register.is_vgz_group(claim.insurer_uzovi):
            # VGZ-group labels take materials first; a rejection comes back via the retour file.
            return LineRouting(Payer.INSURER, 0, "material_vgz_group_insurer_first", contracted)
        return LineRouting(Payer.PATIENT, 0, "material_to_patient", contracted)
    decision = coverage.decide(
        CoverageQuery(
            insurer_uzovi=claim.insurer_uzovi,
            on=claim.coverage_date,
            treatment_code=claim.treatment_code,
            amount_cents=claim.amount_cents,
        )
    )
    if decision.fully_covered(claim.amount_cents):
        return LineRouting(Payer.INSURER, 0, "fully_covered_by_contracted_insurer", True)
    # The decision that priced the line says whether it is contracted care: never apart.
    return LineRouting(Payer.PATIENT, decision.reimbursed_cents, "care", decision.contracted)


def _contracted(claim: Claim, coverage: CoverageComponent) -> bool:
    return coverage.is_contracted(claim.insurer_uzovi, claim.coverage_date)


def in_treatment_plan(line_type: LineType) -> bool:
    """R6, legal-nl.md §6: the plan the €250 is about is the treatment's cost, its material
    and technique costs included (the Regeling's quote lists them beside the fees, with
    the total); a no-show fee is no treatment. A price quote on any of its lines counts."""
    return line_type is not _NO_SHOW


def plan_lacks_quote(provider: Provider, plan_total_cents: int, has_quote: bool) -> bool:
    """R6: a dental plan above €250 without a recorded price quote (warn; still invoice),
    on the totals invoicing sums in one pass over the lines in the plan
    (``in_treatment_plan``)."""
    return (
        provider.care_kind is CareKind.DENTAL
        and plan_total_cents > DENTAL_QUOTE_THRESHOLD_CENTS
        and not has_quote
    )
