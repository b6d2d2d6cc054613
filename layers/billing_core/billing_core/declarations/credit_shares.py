"""What a credit line gives back of the deduction on the line it reverses (vektis.md
§1, R5), and what a stop or coulance no longer forgives once a correction lowered the
claim: the rules booking a credit (credit_corrections) and applying a retour (retour)
share. Functions only, in a module of their own, so the retour import does not load the
credit booking's use case at its cold start."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from billing_core.invoices.invoice import Invoice, InvoiceLine
from billing_core.invoices.ledger import (
    Component,
    EntryKind,
    LedgerEntry,
    paid_by_patient,
    total_of,
)
from billing_core.shared.money import round_half_up


def given_back(credited: int, amount_left: int, reimbursed_left: int) -> int:
    """The part of a line's deduction that a credit of ``credited`` cents gives back: in
    proportion to what is left of the line, so the last credit gives back exactly the rest."""
    if amount_left <= 0:  # nothing left to give back (a credit beyond it is refused)
        return 0
    return round_half_up(Decimal(reimbursed_left) * credited / amount_left)


def credits_rerated(invoice: Invoice, line: InvoiceLine) -> dict[str, int]:
    """The reimbursement of each credit line of ``line`` when the line's own is what it is
    now (a retour re-rated it): in the order they were booked, each as ``with_credit``
    booked it, so a line and its reversals keep netting (a full reversal: exactly minus)."""
    amount_left, reimbursed_left = line.amount_cents, line.reimbursed_cents
    rerated = {}
    for credit in invoice.lines:
        if credit.reverses_claim_ref != line.claim_ref:
            continue
        credited = -credit.amount_cents
        reimbursed = given_back(credited, amount_left, reimbursed_left)
        rerated[credit.claim_ref] = -reimbursed
        amount_left -= credited
        reimbursed_left -= reimbursed
    return rerated


def without_needless_forgiveness(invoice: Invoice, at: datetime, cause: str, note: str) -> Invoice:
    """A stop or coulance (R21) forgave part of a claim that a correction (a credit line,
    or the insurer's retour granting more) now takes off anyway: that part is booked back
    (same kind, positive), so the credit shown never exceeds what the patient paid (R13).
    Without this, a fully stopped invoice would show the correction as money to pay back."""
    # Money that came in from the patient (net): a credit may never exceed it.
    received = max(paid_by_patient(invoice.ledger), 0)
    excess = invoice.credit_cents - received
    entries = []
    for kind in (EntryKind.STOP, EntryKind.COULANCE):
        back = min(excess, -total_of(invoice.ledger, kind))
        if back > 0:
            entries.append(
                LedgerEntry(
                    kind, Component.PRINCIPAL, back, at, cause, f"{note}: no longer forgiven"
                )
            )
            excess -= back
    return invoice.with_entries(entries) if entries else invoice
