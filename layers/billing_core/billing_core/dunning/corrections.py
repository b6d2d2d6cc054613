"""What a payment dated in the reminder's term undoes when we learn of it after the term
(legal-nl.md §2: the payment date decides, not the moment we learn of it).

A bank transfer counts as paid on the day our account was credited. Its statement may be
read days later (a Saturday transfer on Monday), after the run has charged the
collection costs and started on the second notice and the handover. The result must be
what it would have been had the payment been known on its date:

- the costs the letter supports are computed again with the payment in the term
  (letter_costs.py); the difference is a costs entry with its reason, on this invoice
  and on the letter's other invoices (R27: the ledger only grows);
- interest booked by later payments beyond what is due now is taken back the same way;
- money that later payments put on costs or interest that are no longer due moves on,
  costs -> interest -> principal, and whatever is left is credit (R13, art. 6:44 BW),
  booked under the payment it came from so a return of it still undoes it exactly.

A second notice still waiting on the invoice is not sent when nothing is due any more
(delivery.py), and a paid invoice leaves the run's index, so its handover never comes.
A claim already with the collection agency is reported to it (collection/handover.py).
Pure functions: the booking use case (payments/booking.py) saves what they return.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime

from billing_core.dunning.interest import interest_statement, within_term
from billing_core.dunning.letter_costs import costs_cause, costs_charged, letter_costs
from billing_core.invoices.allocation import CREDIT_NOTE, allocate
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry, balance
from billing_core.shared.clock import AMSTERDAM


def paid_in_term(invoice: Invoice, day: date) -> bool:
    """Whether a payment received on ``day`` fell in the term of a reminder whose costs
    were charged already: the only case in which learning of it late changes anything."""
    return invoice.costs_charged_on is not None and within_term(invoice, day)


def undo_what_was_not_due(
    invoice: Invoice,
    rest_of_letter: Sequence[Invoice],
    payment_id: str,
    day: date,
    now: datetime,
) -> Invoice:
    """After payment ``payment_id`` of ``day`` in the reminder's term: the invoice with
    the costs its letter no longer supports taken back (or, for another invoice of a
    combined letter, its share set right), the interest beyond what is due taken back,
    and money paid on either moved on; the same invoice when nothing changes. Each entry
    says why (R27)."""
    reminder = invoice.reminder
    if reminder is None or not paid_in_term(invoice, day):
        return invoice
    reason = (
        f"not due: payment {payment_id} of {day.isoformat()} was within the reminder's "
        f"term to {reminder.final_date.isoformat()} (legal-nl.md §2)"
    )
    supported = letter_costs(reminder, [invoice, *rest_of_letter])[invoice.invoice_id]
    changed = _corrected(
        invoice,
        Component.COSTS,
        EntryKind.COSTS,
        supported - costs_charged(invoice, reminder),
        costs_cause(reminder),
        now,
        reason,
    )
    changed = _interest_taken_back(changed, payment_id, now, reason)
    changed = _overpaid_moved_on(changed, now, reason)
    return changed if changed.ledger != invoice.ledger else invoice


def _corrected(
    invoice: Invoice,
    component: Component,
    kind: EntryKind,
    change_cents: int,
    cause: str,
    now: datetime,
    reason: str,
) -> Invoice:
    if change_cents == 0:
        return invoice
    return invoice.with_entry(LedgerEntry(kind, component, change_cents, now, cause, reason))


def _interest_taken_back(invoice: Invoice, cause: str, now: datetime, reason: str) -> Invoice:
    """Interest is booked when a payment comes in, up to that payment's day. With a
    payment earlier in the history, less may have accrued by then: take back the rest."""
    booked = [
        entry
        for entry in invoice.ledger
        if entry.kind is EntryKind.INTEREST and entry.component is Component.INTEREST
    ]
    last_booked = max((_day(e) for e in booked if e.amount_cents > 0), default=None)
    if last_booked is None:
        return invoice
    excess = (
        sum(e.amount_cents for e in booked) - interest_statement(invoice, last_booked).total_cents
    )
    return _corrected(
        invoice, Component.INTEREST, EntryKind.INTEREST, -max(excess, 0), cause, now, reason
    )


def _overpaid_moved_on(invoice: Invoice, now: datetime, reason: str) -> Invoice:
    """Payments that paid costs or interest no longer due pay what is next in line."""
    for component in (Component.COSTS, Component.INTEREST):
        overpaid = -balance(invoice.ledger, component)
        for payment, amount in _latest_payments_on(invoice, component, overpaid):
            invoice = invoice.with_entries(_moved(invoice, payment, component, amount, now, reason))
    return invoice


def _moved(
    invoice: Invoice,
    payment: str,
    source: Component,
    amount: int,
    now: datetime,
    reason: str,
) -> list[LedgerEntry]:
    ledger = invoice.ledger
    split = allocate(
        amount,
        costs_due=0 if source is Component.COSTS else balance(ledger, Component.COSTS),
        interest_due=0 if source is Component.INTEREST else balance(ledger, Component.INTEREST),
        principal_due=balance(ledger, Component.PRINCIPAL),
    )
    parts = (
        (source, amount, reason),
        (Component.COSTS, -split.to_costs, reason),
        (Component.INTEREST, -split.to_interest, reason),
        (Component.PRINCIPAL, -split.to_principal, reason),
        (Component.PRINCIPAL, -split.credit, CREDIT_NOTE),
    )
    return [
        LedgerEntry(EntryKind.PAYMENT, component, cents, now, payment, note)
        for component, cents, note in parts
        if cents
    ]


def _latest_payments_on(
    invoice: Invoice, component: Component, amount: int
) -> Iterator[tuple[str, int]]:
    """(payment id, cents) of the latest payments on ``component`` that make up
    ``amount``: the last money in is the first to move."""
    paid: dict[str, int] = {}
    for entry in invoice.ledger:
        if entry.kind is EntryKind.PAYMENT and entry.component is component:
            paid[entry.cause] = paid.get(entry.cause, 0) - entry.amount_cents
    for payment in reversed(list(paid)):
        if amount <= 0:
            return
        take = min(amount, paid[payment])
        if take > 0:
            yield payment, take
            amount -= take


def _day(entry: LedgerEntry) -> date:
    return entry.at.astimezone(AMSTERDAM).date()
