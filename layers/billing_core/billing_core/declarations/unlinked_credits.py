"""A credit line that names no line it reverses: the report warns when it settles unlike
the line it seems to reverse (vektis.md §1, R5, R27).

A CSV file (interfaces.md §1a) has no column for the line a credit reverses, so its
credit line is rated on its own treatment code and date. The same correction in a Vektis
file names its line and settles like it (invoicing._SameFileCredits): to the insurer
with a line the insurer took, or taking back that line's deduction. When a debit of the
same patient in the file looks like the reversed line (its amount, and its code, also
behind a prefix as the sample file writes 'CR-C11' for a C11) but no such debit settles
like the credit, the money may be wrong, and only the practice knows: the report says
so, and the routing stays as rated.

Only imported for a patient with such a credit line: no cold start pays for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from billing_core.declarations.claims import Claim
from billing_core.declarations.findings import Finding, Severity
from billing_core.declarations.rules.line_rules import LineRouting, Payer
from billing_core.shared.money import format_euros

CREDIT_SETTLED_UNLIKE_ITS_DEBIT = "CREDIT_SETTLED_UNLIKE_ITS_DEBIT"

Route = Callable[[Claim, int], LineRouting]


def unlinked_credit_findings(claims: Sequence[Claim], route: Route) -> list[Finding]:
    """A warning per credit line of the patient's ``claims`` that names no line and
    settles unlike every look-alike debit; ``route`` routes a claim of an amount."""
    findings = []
    for credit in claims:
        if credit.amount_cents >= 0 or credit.reverses_claim_ref:
            continue
        look_alikes = [claim for claim in claims if _looks_reversed_by(claim, credit)]
        if not look_alikes:
            continue
        settled = route(credit, credit.amount_cents)
        debits = [(debit, route(debit, debit.amount_cents)) for debit in look_alikes]
        if not any(_settle_alike(settled, routing) for _, routing in debits):
            debit, routing = debits[0]
            findings.append(_warning(credit, settled, debit, routing))
    return findings


def _looks_reversed_by(debit: Claim, credit: Claim) -> bool:
    return debit.amount_cents == -credit.amount_cents and credit.treatment_code.endswith(
        debit.treatment_code
    )


def _settle_alike(credit: LineRouting, debit: LineRouting) -> bool:
    """A full credit of the debit settled like it: to the insurer with it, or taking back
    exactly its deduction (given_back of all of a line is all of its reimbursement)."""
    return credit.payer is debit.payer and credit.reimbursed_cents == -debit.reimbursed_cents


def _warning(
    credit: Claim, settled: LineRouting, debit: Claim, debit_routing: LineRouting
) -> Finding:
    params = {
        "code": credit.treatment_code,
        "reference": debit.claim_ref,
        "target_line": debit.line_number,
        **_how_settled("debit", debit_routing),
        **_how_settled("credit", settled),
    }
    return Finding(
        CREDIT_SETTLED_UNLIKE_ITS_DEBIT,
        Severity.WARNING,
        line=credit.line_number,
        claim_ref=credit.claim_ref,
        params=params,
    )


def _how_settled(name: str, routing: LineRouting) -> dict[str, str]:
    """Where a line went, in each language of the practice's texts (texts.practice)."""
    if routing.payer is Payer.INSURER:
        return {f"{name}_nl": "gaat naar de zorgverzekeraar", f"{name}_en": "goes to the insurer"}
    reimbursed = routing.reimbursed_cents
    return {
        f"{name}_nl": f"staat op de nota met {format_euros(reimbursed, 'nl')} vergoeding",
        f"{name}_en": f"is on the invoice with {format_euros(reimbursed, 'en')} reimbursement",
    }
