"""A refund by our own bank transfer that the patient's bank returned (R13, R24, R27, R34).

The money of a refund left the collection account (its REFUND entry, money_out.py) and,
returned by the patient's bank, came back: the bank import lists it for a person
(``refund_returned``, payments/own_transfers.py). Matched by an operator to the invoice
the refund paid back from, it is that refund undone, not a new payment of the patient's:
a REFUND entry of minus what came back (at most what the refund booked), so the credit
is held for the patient again and the week's statement shows less refunded, not more
received. The patient paid that money once: booked as a payment it was received twice,
the service fee charged on it twice, and the patient thanked for a payment never made
(audit statements2).
"""

from __future__ import annotations

from datetime import datetime

from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.invoices.updates import recorded_now, save_change
from billing_core.payments.booking import payment_id, refund_key, refunded_cents
from billing_core.ports import BillingStore
from billing_core.shared.clock import Clock

# The REFUND entry's cause: the bank refund (money_out.REFUND_CAUSE) it undoes.
_BANK_REFUND = "bank-refund:"
RETURNED_NOTE = "returned by the bank: "


def refund_returned_of(invoice: Invoice, transfer_ids: tuple[str, ...]) -> str | None:
    """The id of the bank refund booked on ``invoice`` that a returned credit repeating
    ``transfer_ids`` (the bank repeats our end-to-end id) brings back; None when it is
    none of them."""
    for transfer_id in transfer_ids:
        if refunded_cents(invoice, transfer_id) > 0 and any(
            e.kind is EntryKind.REFUND and e.cause == f"{_BANK_REFUND}{transfer_id}"
            for e in invoice.ledger
        ):
            return transfer_id
    return None


def undo_refund(
    invoice: Invoice, refund_id: str, source_id: str, amount_cents: int, at: datetime
) -> Invoice:
    """``invoice`` with its bank refund ``refund_id`` undone by the returned credit
    ``source_id`` of ``amount_cents``, once (idempotent on the credit's payment id). More
    than the refund booked is refused: the rest is no refund of this invoice's."""
    key = payment_id("bank", source_id)
    if key in invoice.applied_payments:
        return invoice
    if not 0 < amount_cents <= refunded_cents(invoice, refund_id):
        raise ValueError("a returned refund undoes at most what the refund booked")
    entry = LedgerEntry(
        EntryKind.REFUND,
        Component.PRINCIPAL,
        -amount_cents,
        at,
        key,
        f"{RETURNED_NOTE}{refund_key(refund_id)}",
    )
    return invoice.with_entry(entry).with_applied_payment(key)


def book_refund_returned(
    store: BillingStore,
    invoice: Invoice,
    refund_id: str,
    source_id: str,
    amount_cents: int,
    at: datetime,
    clock: Clock,
) -> Invoice:
    """The returned refund booked on ``invoice`` (R28), recorded now for the retrocession
    (R24): the week it is booked pays it back to the practice."""

    def undo(current: Invoice) -> Invoice:
        return undo_refund(current, refund_id, source_id, amount_cents, at)

    stored, _ = save_change(store, invoice, recorded_now(undo, clock.now()))
    return stored
