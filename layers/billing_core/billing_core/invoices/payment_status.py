"""Paid, partly paid or open: what the ledger says about an invoice (R10, R27).

The provider's invoice list filters on it in the table (the item stores it on every
save), so it depends on the ledger alone, never on the day: interest that accrued but is
not booked yet only shows on the patient's checker, as ``amount_due``.
"""

from __future__ import annotations

from enum import StrEnum

from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import EntryKind


class PaymentStatus(StrEnum):
    PAID = "paid"
    OPEN = "open"
    PARTLY_PAID = "partly_paid"


def payment_status_of(invoice: Invoice, amount_due: int) -> PaymentStatus:
    if amount_due <= 0:
        return PaymentStatus.PAID
    paid = -sum(
        e.amount_cents for e in invoice.ledger if e.kind in (EntryKind.PAYMENT, EntryKind.REVERSAL)
    )
    return PaymentStatus.PARTLY_PAID if paid > 0 else PaymentStatus.OPEN


class SettledBy(StrEnum):
    """Who settled an invoice with nothing left to pay: all ``PAID`` to R10's three
    statuses, which the checker must not read as "you paid it all" when the practice
    forgave it (R21 stop, R17 coulance)."""

    PATIENT = "patient"  # paid what was asked, after any coulance
    PRACTICE = "practice"  # forgiven, no payment left on the ledger
    BOTH = "both"  # paid in part, and the practice forgave the rest


_FORGIVING = (EntryKind.STOP, EntryKind.COULANCE)


def settled_by(invoice: Invoice) -> SettledBy | None:
    """None while something is due. Who settled it is who took the balance to zero: a
    coulance before a payment in full leaves the patient as the one who paid."""
    if not invoice.is_paid:
        return None
    if not any(e.kind in _FORGIVING for e in invoice.ledger):
        return SettledBy.PATIENT
    paid = -sum(
        e.amount_cents
        for e in invoice.ledger
        if e.kind in (EntryKind.PAYMENT, EntryKind.REVERSAL, EntryKind.REFUND)
    )
    if paid <= 0:
        return SettledBy.PRACTICE
    lowering = (e for e in reversed(invoice.ledger) if e.amount_cents < 0)
    last = next((e for e in lowering if e.kind in (EntryKind.PAYMENT, *_FORGIVING)), None)
    return SettledBy.BOTH if last is not None and last.kind in _FORGIVING else SettledBy.PATIENT


def ledger_payment_status(invoice: Invoice) -> PaymentStatus:
    """The status by the booked balance alone: the provider's list and its filter."""
    return payment_status_of(invoice, invoice.amount_due_cents)
