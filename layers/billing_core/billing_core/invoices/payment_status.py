"""Paid, partly paid or open: what the ledger says about an invoice (R10, R27).

The provider's invoice list filters on it in the table (the item stores it on every
save), so it depends on the ledger alone, never on the day: interest that accrued but is
not booked yet only shows on the patient's checker, as ``amount_due``.

Who settled a paid invoice (the patient, the practice, or both) is the checker's to say
(services.patient.invoice_state): every event handler imports this module through the
store's items, so it stays this small (cold start, (d)).
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


def ledger_payment_status(invoice: Invoice) -> PaymentStatus:
    """The status by the booked balance alone: the provider's list and its filter."""
    return payment_status_of(invoice, invoice.amount_due_cents)
