"""What a payment we learn of late undoes or sets right (legal-nl.md §2: the payment date
decides, not the moment we learn of it).

A bank transfer counts as paid on the day our account was credited. Its statement may be
read days later (a Saturday transfer on Monday), or an operator matches an unmatched
credit weeks later, after the run has charged the collection costs, started on the
second notice and the handover, and after later payments were booked. The result must be
what it would have been had every payment been known on its date:

- a payment dated in the reminder's term: the costs the letter supports are computed
  again with the payment in the term (letter_costs.py); the difference is a costs entry
  with its reason, on this invoice and on the letter's other invoices (R27: the ledger
  only grows);
- any payment dated before payments already booked (in the term or after it): those
  later payments are booked again in date order, each with the interest accrued up to
  its own day on what the earlier ones left (§4) and allocated costs -> interest ->
  principal (art. 6:44 BW), the rest credit (R13). What differs from what they booked is
  booked as correcting entries under the payment they belong to and dated at it, so the
  interest counts from the right day and a return of the payment still undoes it exactly.

A second notice still waiting on the invoice is not sent when nothing is due any more
(delivery.py), and a paid invoice leaves the run's index, so its handover never comes.
A claim already with the collection agency is reported to it (collection/handover.py).

A term of an arrangement paid in its 14 days but read after the run cancelled the
arrangement means the arrangement was kept (R15; changes/arrangement.kept_after_all puts
it back). What the run did because of the cancellation is taken back the same way: the
letter it sent then no longer supports costs (letter_costs.reminder_superseded), and
costs charged since are undone by an entry with its reason (``undo_since_cancellation``).
Pure functions: the booking use case (payments/booking.py) saves what they return and
passes in how a payment is booked (``Rebook``), which lives there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime

from billing_core.dunning.interest import within_term
from billing_core.dunning.letter_costs import costs_cause, costs_charged, letter_costs
from billing_core.invoices.allocation import CREDIT_NOTE
from billing_core.invoices.invoice import DunningStage, Invoice
from billing_core.invoices.ledger import REVERSES, Component, EntryKind, LedgerEntry
from billing_core.shared.clock import amsterdam_day

# Books payment ``payment_id`` of ``amount`` cents received at ``at`` on the invoice as a
# new payment is booked: the interest accrued up to its day first, then the allocation.
Rebook = Callable[[Invoice, str, int, datetime], Invoice]

# A payment's booked money, summed per what it is: (kind, component, is credit).
_Booked = Counter[tuple[EntryKind, Component, bool]]


def paid_in_term(invoice: Invoice, day: date) -> bool:
    """Whether a payment received on ``day`` fell in the term of a reminder whose costs
    were charged already: the case in which learning of it late undoes costs."""
    return invoice.costs_charged_on is not None and within_term(invoice, day)


def undo_what_was_not_due(
    invoice: Invoice,
    rest_of_letter: Sequence[Invoice],
    payment_id: str,
    paid_at: datetime,
    now: datetime,
    rebook: Rebook,
) -> Invoice:
    """After payment ``payment_id`` received at ``paid_at`` (on this invoice, or on
    another invoice of its letter): the invoice with the costs its letter no longer
    supports taken back when the payment was in the reminder's term (or, for another
    invoice of a combined letter, its share set right), and the payments dated after it
    set right as if it had been known first; the same invoice when nothing changes. Each
    entry says why (R27)."""
    day = amsterdam_day(paid_at)
    changed = invoice
    reminder = invoice.reminder
    if reminder is not None and paid_in_term(invoice, day):
        reason = (
            f"not due: payment {payment_id} of {day.isoformat()} was within the reminder's "
            f"term to {reminder.final_date.isoformat()} (legal-nl.md §2)"
        )
        supported = letter_costs(reminder, [invoice, *rest_of_letter])[invoice.invoice_id]
        change_cents = supported - costs_charged(invoice, reminder)
        if change_cents:
            cause = costs_cause(reminder)
            changed = changed.with_entry(
                LedgerEntry(EntryKind.COSTS, Component.COSTS, change_cents, now, cause, reason)
            )
    reason = (
        f"set right: payment {payment_id} of {day.isoformat()} came before it "
        "(legal-nl.md §2: the payment date decides)"
    )
    changed = rebooked_after(changed, paid_at, rebook, reason)
    return changed if changed.ledger != invoice.ledger else invoice


def undo_since_cancellation(
    invoice: Invoice, cancelled_on: date, payment_id: str, now: datetime
) -> Invoice:
    """``invoice``, whose arrangement cancelled on ``cancelled_on`` runs again now that
    payment ``payment_id`` shows its terms kept, with the costs the run charged since the
    cancellation taken back (R27: an entry that says why) and the claim back where the
    arrangement paused it: reminded, no costs charged, so no interest (R20). Had the
    payment been known on its date, the arrangement would have paused dunning (R15,
    legal-nl.md §2). A claim already with the agency stays there: its costs are set right
    as for any payment read after the handover (``undo_what_was_not_due``) and the agency
    is told (payments/bank_import.py)."""
    reminder = invoice.reminder
    decided_on = invoice.costs_decided_on_day
    if reminder is None or decided_on is None or decided_on < cancelled_on:
        return invoice
    if invoice.is_with_collection_agency:
        return invoice
    reason = (
        f"not due: payment {payment_id} kept the arrangement cancelled on "
        f"{cancelled_on.isoformat()} (R15, legal-nl.md §2)"
    )
    charged = costs_charged(invoice, reminder)
    if charged:
        invoice = invoice.with_entry(
            LedgerEntry(
                EntryKind.COSTS, Component.COSTS, -charged, now, costs_cause(reminder), reason
            )
        )
    return replace(
        invoice,
        dunning_stage=DunningStage.REMINDED,
        costs_charged_on=None,
        costs_decided_on=None,
    )


def booked_before_later_payments(
    invoice: Invoice, at: datetime, book: Callable[[Invoice], Invoice]
) -> Invoice:
    """``invoice`` with what ``book`` adds for a payment received at ``at`` computed as
    if the payments dated after it were not booked yet (they had not been, had it been
    known on its date); their own entries stay as they are until ``rebooked_after``."""
    earlier = before_later_payments(invoice, at)
    booked = book(earlier)
    added = tuple(p for p in booked.applied_payments if p not in earlier.applied_payments)
    return replace(
        invoice,
        ledger=(*invoice.ledger, *booked.ledger[len(earlier.ledger) :]),
        applied_payments=(*invoice.applied_payments, *added),
    )


def before_later_payments(invoice: Invoice, at: datetime) -> Invoice:
    """The invoice as a payment received at ``at`` finds it, had it been known on its
    date: the payments dated after it not booked yet (``_without``)."""
    return _without(invoice, {payment for payment, _, _ in _payments_after(invoice, at)})


def rebooked_after(invoice: Invoice, at: datetime, rebook: Rebook, reason: str) -> Invoice:
    """The payments dated after ``at`` booked again in date order on what came before
    them; the difference with what they booked, as entries dated at each payment."""
    later = _payments_after(invoice, at)
    if not later:
        return invoice
    replayed = _without(invoice, {payment for payment, _, _ in later})
    for payment, amount, paid_at in later:
        replayed = rebook(replayed, payment, amount, paid_at)
    corrections = [
        LedgerEntry(kind, component, cents, paid_at, payment, CREDIT_NOTE if credit else reason)
        for payment, _, paid_at in later
        for (kind, component, credit), cents in _difference(
            _booked(replayed, payment), _booked(invoice, payment)
        )
    ]
    return invoice.with_entries(corrections)


def _payments_after(invoice: Invoice, at: datetime) -> list[tuple[str, int, datetime]]:
    """(payment id, cents left of it after returns, received at) of the payments
    received after ``at``, in that order; a payment is dated by its first entry (entries
    that moved its money later may be dated later)."""
    paid: dict[str, tuple[int, datetime]] = {}
    for entry in invoice.ledger:
        payment = _payment_of(entry)
        if payment is None or entry.kind is EntryKind.INTEREST:
            continue
        cents, first = paid.get(payment, (0, entry.at))
        if entry.kind is EntryKind.PAYMENT:
            first = min(first, entry.at)
        paid[payment] = (cents - entry.amount_cents, first)
    later = [
        (payment, cents, first)
        for payment, (cents, first) in paid.items()
        if first > at and cents >= 0
    ]
    return sorted(later, key=lambda payment: payment[2])


def _without(invoice: Invoice, payments: set[str]) -> Invoice:
    """The invoice as it was before ``payments`` were booked: their money, the interest
    booked with them and what came back of them left out."""
    if not payments:
        return invoice
    return replace(
        invoice,
        ledger=tuple(entry for entry in invoice.ledger if _payment_of(entry) not in payments),
        applied_payments=tuple(p for p in invoice.applied_payments if p not in payments),
    )


def _payment_of(entry: LedgerEntry) -> str | None:
    """The payment an entry belongs to: its money, the interest booked with it, a return
    of it; None for any other entry."""
    if entry.kind in (EntryKind.PAYMENT, EntryKind.INTEREST):
        return entry.cause
    if entry.kind is EntryKind.REVERSAL and entry.note.startswith(REVERSES):
        return entry.note.removeprefix(REVERSES)
    return None


def _booked(invoice: Invoice, payment: str) -> _Booked:
    """What ``payment`` put where, net of what came back of it: a correction is booked
    as money of the payment, so a return of it still undoes what is left exactly."""
    booked: _Booked = Counter()
    for entry in invoice.ledger:
        if _payment_of(entry) == payment:
            kind = EntryKind.INTEREST if entry.kind is EntryKind.INTEREST else EntryKind.PAYMENT
            booked[kind, entry.component, entry.note == CREDIT_NOTE] += entry.amount_cents
    return booked


def _difference(
    target: _Booked, actual: _Booked
) -> list[tuple[tuple[EntryKind, Component, bool], int]]:
    """What to book to go from ``actual`` to ``target``, interest first, then the
    payment's parts in the order of allocation."""
    keys = sorted(
        set(target) | set(actual),
        key=lambda key: (key[0] is EntryKind.PAYMENT, _ORDER.index(key[1]), key[2]),
    )
    return [(key, target[key] - actual[key]) for key in keys if target[key] != actual[key]]


_ORDER = (Component.COSTS, Component.INTEREST, Component.PRINCIPAL)
