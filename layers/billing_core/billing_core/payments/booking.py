"""Payments and returned transfers on an invoice (R11, R12, R13, R27, R28).

A payment is booked as ledger entries of kind PAYMENT, one per component it pays off,
in the order costs -> interest -> principal (allocation.py). What is paid beyond
everything owed is booked on the principal too, with the note "credit": the balance goes
below zero and ``Invoice.credit_cents`` shows the overpayment until a REFUND books it
back (R13: kept and refunded, never dropped; ``apply_refund`` here, the PSP refund in
refunds.py).

Every payment has an id, ``"<source>:<source id>"`` (``psp:tr_WDqYK6vllg``,
``bank:<entry reference>``). The invoice remembers the ids it has booked, so a replayed
webhook or bank statement changes nothing (R11, R12). A returned transfer is a reversal
with its own id that undoes the components of the payment it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal

from billing_core.collection.blocking import block_unsettled_claim, release_settled_claim
from billing_core.correspondence.kinds import PAYMENT_RECEIVED
from billing_core.dunning.corrections import (
    Rebook,
    before_later_payments,
    booked_before_later_payments,
    paid_in_term,
    undo_since_cancellation,
    undo_what_was_not_due,
)
from billing_core.dunning.interest import accrued_interest
from billing_core.dunning.letter_costs import rest_of_letter
from billing_core.invoices.allocation import CREDIT_NOTE, allocate
from billing_core.invoices.invoice import ArrangementStatus, DunningStage, Invoice
from billing_core.invoices.ledger import (
    FORGIVING,
    REVERSES,
    Component,
    EntryKind,
    LedgerEntry,
    balance,
    is_agency,
)
from billing_core.invoices.updates import by_request, recorded_now, save_change
from billing_core.ports import (
    BillingStore,
    ConcurrentChange,
    DeliveryQueue,
    DeliveryRequest,
    FileStore,
    letters_due_requests,
)
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.clock import AMSTERDAM, Clock, amsterdam_day
from billing_core.shared.errors import NotFound

# "agency": money the collection agency collected on a claim handed over to it (R19, R22).
PaymentSource = Literal["psp", "bank", "agency"]
SOURCES: tuple[str, ...] = ("psp", "bank", "agency")
_REFUND = "refund:"
# The run charges a letter's costs once: a payment finds the letter changed at most once.
LETTER_READS = 3
# Why a claim the collection agency holds changed on our side: the reason in its record
# (collection/handover.agency_update_bytes), written by ``book_payment``, and the name
# that keeps each kind of record under a key of its own.
PAID_IN_TERM = "payment dated in the reminder's term, read after the handover (legal-nl.md §2)"
ARRANGEMENT_KEPT = "arrangement term paid in time, read after the handover (R15, legal-nl.md §2)"
_RECORDS = {PAID_IN_TERM: "paid-in-term", ARRANGEMENT_KEPT: "arrangement-kept"}

# Statutory interest accrued up to (not including) the given day and not yet in the
# ledger (R20, legal-nl.md §4). It must be booked before a payment is allocated, or the
# payment would go to principal ahead of interest. Tests pass their own.
InterestAccrual = Callable[[Invoice, date], int]


class UnknownPayment(LookupError):
    """A reversal names a payment this invoice never booked (or already fully reversed)."""


class RemittanceExceeds(ValueError):
    """A bank credit on a claim the agency reported paid is more than the agency collected
    and did not transfer yet (payments/remittance.py): a person decides, nothing is booked."""

    def __init__(self, reference: str, awaited_cents: int) -> None:
        super().__init__(reference)
        self.reference = reference
        self.awaited_cents = awaited_cents


@dataclass(frozen=True, slots=True)
class IncomingPayment:
    """Money received for an invoice, from the PSP or the bank, named by the id its source gave
    it."""

    source: PaymentSource
    source_id: str  # PSP payment id, or the bank's entry reference
    amount_cents: int
    received_at: datetime
    # The request that books it, when a retry of that request must know its own booking
    # from another's: a bank statement's upload (bank_import.upload_fingerprint, R3). Its
    # entries remember it (LedgerEntry.request_fingerprint); "" for any other payment.
    request_fingerprint: str = ""

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown payment source {self.source!r}")
        if not self.source_id:
            raise ValueError("a payment needs the id its source gave it")
        if self.amount_cents <= 0:
            raise ValueError("a payment is a positive amount; a return is a reversal")
        if self.received_at.tzinfo is None:
            raise ValueError("received_at needs a time zone")

    @property
    def payment_id(self) -> str:
        return payment_id(self.source, self.source_id)


@dataclass(frozen=True, slots=True)
class BookingResult:
    """What booking a payment did: whether it was new, and the invoice as stored after it."""

    booked: bool  # False: this payment (or reversal) was already in the ledger
    invoice: Invoice
    # The invoices of the reminder's letter a payment dated in its term set right after
    # the costs were charged (legal-nl.md §2), as stored now; () for any other payment.
    corrected: tuple[Invoice, ...] = ()
    # The payment showed a cancelled arrangement kept: it runs again (R15, §2). Also on a
    # replay: the arrangement remembers the payment (``Arrangement.kept_by``).
    arrangement_kept: bool = False


def payment_id(source: str, source_id: str) -> str:
    return f"{source}:{source_id}"


# --- pure ------------------------------------------------------------------------------


def apply_payment(
    invoice: Invoice, payment: IncomingPayment, *, interest_cents: int = 0
) -> Invoice:
    """The invoice with the payment in its ledger; the same invoice if it already is.

    ``interest_cents``: interest accrued up to the payment and not yet booked; it is
    booked first, so the allocation sees it (costs -> interest -> principal).
    """
    return _allocated(
        invoice, payment.payment_id, payment.amount_cents, payment.received_at, interest_cents
    )


def _allocated(
    invoice: Invoice, key: str, amount_cents: int, at: datetime, interest_cents: int
) -> Invoice:
    if key in invoice.applied_payments:
        return invoice
    if interest_cents > 0:
        invoice = invoice.with_entry(
            LedgerEntry(
                EntryKind.INTEREST,
                Component.INTEREST,
                interest_cents,
                at,
                key,
                "statutory interest up to this payment",
            )
        )
    day = at.astimezone(AMSTERDAM).date()
    split = allocate(
        amount_cents,
        costs_due=_due_on(invoice, Component.COSTS, day),
        interest_due=_due_on(invoice, Component.INTEREST, day),
        principal_due=balance(invoice.ledger, Component.PRINCIPAL),
    )
    parts = (
        (Component.COSTS, split.to_costs, ""),
        (Component.INTEREST, split.to_interest, ""),
        (Component.PRINCIPAL, split.to_principal, ""),
        (Component.PRINCIPAL, split.credit, CREDIT_NOTE),
    )
    entries = [
        LedgerEntry(EntryKind.PAYMENT, component, -amount, at, key, note)
        for component, amount, note in parts
        if amount
    ]
    paid = invoice.with_entries(entries).with_applied_payment(key)
    return _complete_arrangement_when_paid(paid)


def rebooking(interest: InterestAccrual = accrued_interest) -> Rebook:
    """How a payment already booked is booked again when an earlier one comes in after
    it, or when the run charges costs after it was booked (dunning/corrections.py): as
    any payment, with the interest accrued up to it."""

    def rebook(invoice: Invoice, key: str, amount_cents: int, at: datetime) -> Invoice:
        day = amsterdam_day(at)
        return _allocated(invoice, key, amount_cents, at, interest(invoice, day))

    return rebook


def owed_on(invoice: Invoice, day: date, *, interest: InterestAccrual = accrued_interest) -> int:
    """What a bank payment received on ``day`` pays off before the rest is credit, as
    ``book_payment`` allocates it: the costs and interest due on that day (costs charged
    after it were not, legal-nl.md §2), the interest accrued up to it, the principal; all
    as the invoice stood before the payments dated after the day's start were booked
    (``booked_before_later_payments``: the payment date decides, §2). A later online
    payment then becomes the credit, refunded (R13), as had the transfer been read on
    its day."""
    known_then = before_later_payments(invoice, datetime.combine(day, time(0), tzinfo=AMSTERDAM))
    return (
        _due_on(known_then, Component.COSTS, day)
        + _due_on(known_then, Component.INTEREST, day)
        + interest(known_then, day)
        + balance(known_then.ledger, Component.PRINCIPAL)
    )


def _due_on(invoice: Invoice, component: Component, day: date) -> int:
    """What ``component`` owed on the payment's day: costs charged after it (a payment
    in the reminder's term, read late) were not due then (legal-nl.md §2: the payment
    date decides); never more than it owes now."""
    by_then = (entry for entry in invoice.ledger if entry.at.astimezone(AMSTERDAM).date() <= day)
    return min(balance(by_then, component), balance(invoice.ledger, component))


def apply_reversal(
    invoice: Invoice,
    original_source_id: str,
    reversal_id: str,
    amount_cents: int,
    at: datetime,
    *,
    source: PaymentSource = "bank",
) -> Invoice:
    """Undo (part of) a payment whose money came back, e.g. a returned transfer (R12).

    The reversal books REVERSAL entries that raise exactly the components the payment
    lowered. A partial return undoes in the reverse order of allocation: principal (and
    credit) first, then interest, then costs. Raises UnknownPayment when the invoice has
    no such payment, or ValueError when more comes back than is left of it.
    """
    key = payment_id(source, reversal_id)
    if key in invoice.applied_payments:
        return invoice
    original = payment_id(source, original_source_id)
    left = reversible(invoice, original)
    if not any(left.values()):
        raise UnknownPayment(original)
    if not 0 < amount_cents <= sum(left.values()):
        raise ValueError(f"{amount_cents} cannot be reversed of {original}")
    entries = [
        LedgerEntry(EntryKind.REVERSAL, component, amount, at, key, f"{REVERSES}{original}")
        for component, amount in undone_parts(left, amount_cents)
    ]
    if any(e.kind is EntryKind.REVERSAL and is_agency(e.cause) for e in invoice.ledger):
        # Imported on this rare path only (the agency's transfer returned): cold start.
        from billing_core.payments.remittance import agency_money_returned

        entries += agency_money_returned(invoice, original, entries)
    reversed_ = invoice.with_entries(entries).with_applied_payment(key)
    return _reopen_arrangement_when_due(reversed_)


def apply_refund(
    invoice: Invoice, refund_id: str, amount_cents: int, at: datetime, cause: str
) -> Invoice:
    """Book money paid back to the patient, e.g. an overpayment refunded by the PSP (R13).

    One REFUND entry on the principal, ``+amount_cents``: the negative balance (the
    credit) goes back up, to zero when the whole credit is refunded. ``cause`` is what the
    refund pays back (``"psp:<payment id>"``, R27); the entry's note is the refund's own
    id. Idempotent on ``refund_id`` through ``applied_payments``, like a payment: the same
    refund booked again returns the invoice unchanged.

    A refund that happened is always booked, even when it is more than the credit left
    (say a reversal came in between): the ledger records what money moved (R27), and
    the balance then shows what the patient owes again.
    """
    key = refund_key(refund_id)
    if key in invoice.applied_payments:
        return invoice
    if not refund_id:
        raise ValueError("a refund needs the id its PSP gave it")
    if amount_cents <= 0:
        raise ValueError("a refund is a positive amount")
    if at.tzinfo is None:
        raise ValueError("at needs a time zone")
    entry = LedgerEntry(EntryKind.REFUND, Component.PRINCIPAL, amount_cents, at, cause, key)
    return invoice.with_entry(entry).with_applied_payment(key)


def refund_of_credit_held(
    invoice: Invoice, refund_id: str, amount_cents: int, at: datetime, cause: str
) -> Invoice:
    """A refund by our own bank transfer, booked before the transfer goes to the bank:
    ``amount_cents`` at most the credit the invoice holds now (R13). Credit that went away
    after the refund was proposed (a payment the bank took back, another refund) is not
    paid back; nothing is booked when no credit is left. Idempotent on ``refund_id``, as
    ``apply_refund``: ``refunded_cents`` then tells what was booked."""
    if refund_key(refund_id) in invoice.applied_payments:
        return invoice
    amount = min(amount_cents, invoice.credit_cents)
    return apply_refund(invoice, refund_id, amount, at, cause) if amount > 0 else invoice


def refunded_cents(invoice: Invoice, refund_id: str) -> int:
    """What the REFUND entry of ``refund_id`` booked; 0 when there is none."""
    key = refund_key(refund_id)
    return sum(
        e.amount_cents for e in invoice.ledger if e.kind is EntryKind.REFUND and e.note == key
    )


def refund_key(refund_id: str) -> str:
    """How a booked refund is remembered in ``applied_payments`` and noted in the ledger."""
    return f"{_REFUND}{refund_id}"


def reversible(invoice: Invoice, original_id: str) -> dict[Component, int]:
    """Per component, how much of a payment is still in the ledger (not yet reversed)."""
    left = {component: 0 for component in Component}
    for entry in invoice.ledger:
        if (entry.kind is EntryKind.PAYMENT and entry.cause == original_id) or (
            entry.kind is EntryKind.REVERSAL and entry.note == f"{REVERSES}{original_id}"
        ):
            left[entry.component] -= entry.amount_cents
    return left


def reversed_by(invoice: Invoice, reversal_id: str, source: PaymentSource = "bank") -> str | None:
    """The source id of the payment the reversal ``reversal_id`` undid on this invoice;
    None while it is not booked here."""
    key = payment_id(source, reversal_id)
    for entry in invoice.ledger:
        if entry.kind is EntryKind.REVERSAL and entry.cause == key:
            return entry.note.removeprefix(REVERSES).removeprefix(payment_id(source, ""))
    return None


def undone_parts(left: dict[Component, int], amount: int) -> Iterator[tuple[Component, int]]:
    """(component, cents) of ``amount`` taken from what is ``left`` of a payment, in the
    reverse order of allocation: principal (and credit) first, then interest, then costs."""
    for component in (Component.PRINCIPAL, Component.INTEREST, Component.COSTS):
        part = min(amount, left[component])
        if part > 0:
            yield component, part
            amount -= part


def _complete_arrangement_when_paid(invoice: Invoice) -> Invoice:
    arrangement = invoice.arrangement
    if arrangement and arrangement.is_active and invoice.is_paid:
        return invoice.with_arrangement(replace(arrangement, status=ArrangementStatus.COMPLETED))
    return invoice


def _kept_arrangement(invoice: Invoice, payment_id: str, now: datetime) -> Invoice:
    """legal-nl.md §2, R15: the payment showed the terms of the arrangement kept on the
    day the run cancelled it (a term paid in its 14 days, read after the run): the
    arrangement runs again, and what the cancellation set going is taken back."""
    arrangement = invoice.arrangement
    if arrangement is None or arrangement.status is not ArrangementStatus.CANCELLED:
        return invoice  # nothing to keep: kept_after_all would answer the same invoice
    # changes.arrangement books its terms with apply_payment (covering_schedule), so it
    # imports this module: imported here, for a cancelled arrangement only (rare), to break
    # that cycle and keep the terms out of a webhook's first booking (issue 18 (d)).
    from billing_core.changes.arrangement import kept_after_all

    kept = kept_after_all(invoice)
    cancelled_at = arrangement.cancelled_at
    if kept is invoice or cancelled_at is None or kept.arrangement is None:
        return invoice
    kept = kept.with_arrangement(replace(kept.arrangement, kept_by=payment_id))
    return undo_since_cancellation(kept, amsterdam_day(cancelled_at), payment_id, now)


def _kept_by(invoice: Invoice, payment_id: str) -> bool:
    """Whether ``payment_id`` showed the invoice's cancelled arrangement kept (R15)."""
    return invoice.arrangement is not None and invoice.arrangement.kept_by == payment_id


def _reopen_arrangement_when_due(invoice: Invoice) -> Invoice:
    """A payment that completed an arrangement came back: the arrangement runs again."""
    arrangement = invoice.arrangement
    if arrangement and arrangement.status is ArrangementStatus.COMPLETED and not invoice.is_paid:
        return invoice.with_arrangement(replace(arrangement, status=ArrangementStatus.ACTIVE))
    return invoice


# --- use cases on the store ----------------------------------------------------------------


class ExceedsAmountDue(Exception):
    """A payment that may not leave credit (``refuse_credit``) is for more than the invoice
    owes on its day: nothing was booked. ``due_cents``: what it owed then."""

    def __init__(self, due_cents: int) -> None:
        super().__init__(due_cents)
        self.due_cents = due_cents


def forgiven_after(invoice: Invoice, at: datetime) -> int:
    """What the practice's stops and coulance dated after ``at`` forgave (R21), less what
    an operator's correction of them gave back (R34): the cents a payment of ``at`` paid
    that a later forgiveness turned into the patient's credit (R13)."""
    return -sum(
        e.amount_cents
        for e in invoice.ledger
        if e.kind in FORGIVING and e.at > at and not is_agency(e.cause)
    )


def _refuse_surplus(invoice: Invoice, payment: IncomingPayment, surplus: int) -> None:
    """``refuse_credit``: a payment may leave as credit only what the practice forgave after
    its date (the claim owed it on that day: the agency collected what it was told at the
    handover, the coulance came later; audit agency4). More raises ExceedsAmountDue with
    what the claim owed on the payment's day, that forgiveness included."""
    later = forgiven_after(invoice, payment.received_at)
    if surplus > later:
        raise ExceedsAmountDue(payment.amount_cents - surplus + max(later, 0))


def book_payment(
    store: BillingStore,
    reference: str,
    payment: IncomingPayment,
    *,
    clock: Clock,
    delivery: DeliveryQueue | None = None,
    agency_files: FileStore | None = None,
    interest: InterestAccrual = accrued_interest,
    as_the_agencys: bool = True,
    language: str = "",
    refuse_credit: bool = False,
    found: Invoice | None = None,
) -> BookingResult:
    """Book a payment on the invoice with this betalingskenmerk, once (R11-R13, R28).

    The payment date decides (legal-nl.md §2): a payment is booked as on its date, before
    the payments dated after it that we learned of first, which are then set right
    (interest and allocation, dunning/corrections.py). One dated in the reminder's term
    that we learn of after the costs were charged also undoes what was not due then, on
    this invoice and on the other invoices of its letter; ``BookingResult.corrected``
    lists them. One that shows an arrangement's terms kept on the day the run cancelled
    it puts the arrangement back and takes back what the cancellation set going
    (``BookingResult.arrangement_kept``, R15). With ``agency_files`` (the output bucket),
    a claim either of them set right that the collection agency already holds gets a
    record for the agency saying why (``tell_the_agency``), whoever reported the payment;
    written again on a replay, so a crash before it was written loses no record.

    Raises NotFound for a reference no invoice has (the caller lists it for manual
    matching). With ``delivery``, the addressee gets a "payment received" e-mail; it is
    queued again on a replay, which the delivery sends only once, so a crash between
    booking and queueing loses no e-mail.

    ``as_the_agencys=False``: the caller decided the payment is not the agency's
    transfer (an operator's split match, whose agency's parts it wrote before, together:
    remittance.book_remittances_together), so a claim the agency reported money on since
    does not make it one now; a transfer booked before is still found (a replay).

    ``language``: the checker page's an online payment was started in, which its "payment
    received" e-mail is written in (R9); empty (a transfer): the invoice's.

    ``found``: the invoice with this betalingskenmerk as the caller just read it to check
    the payment (the agency's report, a row of thousands): not looked up a second time. A
    read a moment old is as good as the lookup's, which the index also serves a moment
    behind: the save is on condition of its version (R28).

    ``refuse_credit``: a payment for more than the invoice owed on its day raises
    ExceedsAmountDue and books nothing (the agency's report of money it holds: its surplus
    is no credit of the patient's that we could refund; audit agency2). A payment booked
    before is still its duplicate. What a stop or coulance dated after the payment forgave
    was owed on its day: that part is booked as the patient's credit, as for any payment
    of that date read late (``forgiven_after``; audit agency4).
    """
    now = clock.now()
    # Never dated after the moment it is booked: the ledger and the daily run agree.
    payment = replace(payment, received_at=min(payment.received_at, now))
    day = amsterdam_day(payment.received_at)
    rebook = rebooking(interest)
    invoice = found if found is not None else _find(store, reference)
    if maybe_remittance(invoice, payment):
        # Imported on this rare path only (a claim the agency reported paid): cold start.
        from billing_core.payments.remittance import book_remittance

        remitted = book_remittance(store, invoice, payment, clock, new=as_the_agencys)
        if remitted is not None:
            return remitted
    stored, booked, rest = _save_booking(
        store, invoice, payment, now, interest, rebook, refuse_credit=refuse_credit
    )
    # Also on a replay: a crash between this save and the next ones is repaired by it.
    others = [_undo_on_rest_of_letter(store, o, stored, rest, payment, now, rebook) for o in rest]
    for changed in (stored, *others):
        release_settled_claim(store, changed, clock)
    corrected = (stored, *others) if paid_in_term(stored, day) else ()
    if delivery is not None and stored.live_email:  # none to a bounced address (R7)
        delivery.enqueue([_confirmation(stored, payment.payment_id, language)])
    if delivery is not None and stored.letters_due:
        # The second notice of costs charged by the booking (``_costs_of_the_day_paid``),
        # queued as the run queues it: the delivery sends nothing once all is paid.
        delivery.enqueue(letters_due_requests(stored))
    kept = _kept_by(stored, payment.payment_id)
    result = BookingResult(booked, stored, corrected, arrangement_kept=kept)
    if agency_files is not None:
        tell_the_agency(result, payment.payment_id, agency_files, clock.today())
    return result


def maybe_remittance(invoice: Invoice, payment: IncomingPayment) -> bool:
    """A bank credit on a claim the agency reported money on: it may be the agency's
    transfer of that money, or its replay (payments/remittance.py decides)."""
    return (
        payment.source == "bank"
        and invoice.is_with_collection_agency
        and any(e.kind is EntryKind.PAYMENT and is_agency(e.cause) for e in invoice.ledger)
    )


def tell_the_agency(result: BookingResult, payment_id: str, files: FileStore, today: date) -> None:
    """A claim already handed over that the payment set right, its costs undone
    (``corrected``, PAID_IN_TERM) or its arrangement kept after all (ARRANGEMENT_KEPT): a
    record for the agency's daily file (collection/handover.py), one per claim, day and
    kind. It is of the day the payment was booked (``today`` when it is not in the
    ledger) and tells the paid invoice as that booking left it, so a replay on any day
    (after a crash before the record was written, say) writes the same key and bytes
    again. Without a handover nothing is written."""
    records = [(invoice, PAID_IN_TERM) for invoice in result.corrected]
    if result.arrangement_kept:
        records.append((result.invoice, ARRANGEMENT_KEPT))
    handed_over = [(i, reason) for i, reason in records if i.is_with_collection_agency]
    if not handed_over:
        return
    # Imported on this rare path only: the handover document pulls in the interest
    # statement and the claims' models, which the PSP webhook's cold start does without.
    from billing_core.collection.handover import agency_update_bytes, agency_update_key

    paid, day = _as_booked(result.invoice, payment_id) or (result.invoice, today)
    for invoice, reason in handed_over:
        told = paid if invoice.invoice_id == paid.invoice_id else invoice
        document = agency_update_bytes(told, day, reason)
        files.put(agency_update_key(invoice, day, _RECORDS[reason]), document, "application/json")


def _as_booked(invoice: Invoice, payment_id: str) -> tuple[Invoice, date] | None:
    """The invoice with the ledger as the booking of ``payment_id`` left it, and the day
    it was booked; None when it is not in the ledger. A booking's entries are written in
    one save, all recorded at its moment (``recorded_now``), after its first payment entry
    or just before it (the interest up to the payment)."""
    ledger = invoice.ledger
    first = next(
        (n for n, e in enumerate(ledger) if e.kind is EntryKind.PAYMENT and e.cause == payment_id),
        None,
    )
    if first is None:
        return None
    moment = ledger[first].recorded
    end = first
    while end < len(ledger) and ledger[end].recorded == moment:
        end += 1
    return replace(invoice, ledger=ledger[:end]), amsterdam_day(moment)


class _LetterChanged(Exception):
    """The daily run charged the letter's costs between reading the invoice and writing
    the payment: the letter's other invoices are to be read again."""

    def __init__(self, invoice: Invoice) -> None:
        super().__init__(invoice.invoice_id)
        self.invoice = invoice


def _save_booking(
    store: BillingStore,
    invoice: Invoice,
    payment: IncomingPayment,
    now: datetime,
    interest: InterestAccrual,
    rebook: Rebook,
    *,
    refuse_credit: bool = False,
) -> tuple[Invoice, bool, list[Invoice]]:
    """The payment saved on ``invoice`` (as stored now, whether this call booked it) and
    the other invoices of its letter when it fell in the term of a letter whose costs
    were charged. Those are read for the invoice as the payment is written on it: a read
    from before the run charged the costs would leave the others' costs uncorrected
    (legal-nl.md §2, R28)."""
    day = amsterdam_day(payment.received_at)

    def pay(earlier: Invoice) -> Invoice:
        return apply_payment(earlier, payment, interest_cents=interest(earlier, day))

    for _ in range(LETTER_READS):
        in_term = paid_in_term(invoice, day)
        rest = _rest_of_letter(store, invoice) if in_term else []

        def book(current: Invoice, in_term: bool = in_term, rest: list[Invoice] = rest) -> Invoice:
            if payment.payment_id in current.applied_payments:
                return current
            credit_before = current.credit_cents
            current = _costs_of_the_day_paid(store, current, payment, now, interest)
            if paid_in_term(current, day) != in_term:
                raise _LetterChanged(current)
            paid = booked_before_later_payments(current, payment.received_at, pay)
            paid = _kept_arrangement(paid, payment.payment_id, now)
            changed = undo_what_was_not_due(
                paid, rest, payment.payment_id, payment.received_at, now, rebook
            )
            surplus = changed.credit_cents - credit_before
            if refuse_credit and surplus > 0:
                _refuse_surplus(current, payment, surplus)
            return _complete_arrangement_when_paid(changed)

        try:
            change = by_request(book, payment.payment_id, payment.request_fingerprint)
            stored, booked = save_change(store, invoice, recorded_now(change, now))
        except _LetterChanged as changed:
            invoice = changed.invoice
            continue
        return stored, booked, rest
    raise ConcurrentChange(invoice.invoice_id)


def _costs_of_the_day_paid(
    store: BillingStore,
    invoice: Invoice,
    payment: IncomingPayment,
    now: datetime,
    interest: InterestAccrual,
) -> Invoice:
    """``invoice`` with the costs the run charges today charged first, when a payment
    dated after the reminder's term comes while they are still uncharged and either:

    - it is dated today, the day after the term expired unpaid, comes before the 06:00
      run and pays more than the claim without them: the amount the checker and the
      iDEAL checkout asked (R20, R11, legal-nl.md §2, §5: costs, interest, then
      principal), as a payment booked after the run is. Without this its surplus went
      back as credit and the run, finding the invoice paid, never charged the BIK (audit
      costsday2). A payment of no more than the claim without the costs is booked as it
      was (the owners' question on the principal paid before the run);
    - or the costs were due already yesterday: yesterday's run should have charged them
      and did not (the scheduler down, R18, R39), so whatever it pays goes to the costs
      first, as it would have after that run (legal-nl.md §2: "the result after a late
      payment equals what it would have been had every payment been known on its date").
      Without this a principal paid in full before the late run left the invoice paid and
      the run never charged the BIK (audit dates51).
    """
    reminder = invoice.reminder
    day, today = amsterdam_day(payment.received_at), amsterdam_day(now)
    yesterday = today - timedelta(days=1)
    if (
        invoice.dunning_stage is not DunningStage.REMINDED
        or reminder is None
        or not reminder.final_date < day
    ):
        return invoice
    pays_the_costs = day == today and payment.amount_cents > invoice.amount_due_cents + interest(
        invoice, day
    )
    if not pays_the_costs and not reminder.final_date < yesterday:
        return invoice  # nor could yesterday's run have charged them: a cheap first look
    provider = store.cached_provider(invoice.provider_id)
    if provider is None:
        return invoice
    # Imported here: a rare path, and the run's steps are no part of the webhook's cold
    # start (issue 18 (d)).
    from billing_core.dunning.timeline import as_the_run_leaves_it, costs_due

    if pays_the_costs or costs_due(invoice, provider.dunning, yesterday):
        return as_the_run_leaves_it(invoice, provider.dunning, today, now, store)
    return invoice


def _rest_of_letter(store: BillingStore, invoice: Invoice) -> list[Invoice]:
    assert invoice.reminder is not None
    return rest_of_letter(store, invoice.provider_id, invoice.reminder, {invoice.invoice_id})


def _undo_on_rest_of_letter(
    store: BillingStore,
    other: Invoice,
    paid: Invoice,
    rest: list[Invoice],
    payment: IncomingPayment,
    now: datetime,
    rebook: Rebook,
) -> Invoice:
    """Another invoice of the letter: its share of the letter's costs set right now that
    the paid invoice owed less at the end of the term (legal-nl.md §2)."""
    letter = [paid, *(invoice for invoice in rest if invoice.invoice_id != other.invoice_id)]

    def undo(current: Invoice) -> Invoice:
        return undo_what_was_not_due(
            current, letter, payment.payment_id, payment.received_at, now, rebook
        )

    stored, _ = save_change(store, other, recorded_now(undo, now))
    return stored


def book_reversal(
    store: BillingStore,
    reference: str,
    original_source_id: str,
    reversal_id: str,
    amount_cents: int,
    *,
    clock: Clock,
    source: PaymentSource = "bank",
    at: datetime | None = None,
    invoice: Invoice | None = None,
    request_fingerprint: str = "",
) -> BookingResult:
    """Book a returned payment once (R12, R28); ``at`` defaults to now. ``invoice``: the
    invoice of ``reference`` as the caller read it already (a split credit's return checks
    every part first), not read again; a change since is met as any (``save_change``).
    ``request_fingerprint``: the request that books it (``IncomingPayment``'s).

    Raises NotFound for an unknown reference, UnknownPayment when the invoice never
    booked the original payment.
    """
    if invoice is None:
        invoice = _find(store, reference)
    moment = at or clock.now()

    def reverse(current: Invoice) -> Invoice:
        return apply_reversal(
            current, original_source_id, reversal_id, amount_cents, moment, source=source
        )

    key = payment_id(source, reversal_id)
    change = by_request(reverse, key, request_fingerprint)
    stored, booked = save_change(store, invoice, recorded_now(change, clock.now()))
    block_unsettled_claim(store, stored, clock)
    return BookingResult(booked, stored)


def _find(store: BillingStore, reference: str) -> Invoice:
    try:
        reference = betalingskenmerk.parse_ours(reference)
    except betalingskenmerk.InvalidReference:
        raise NotFound() from None  # no invoice can have it: no read needed
    invoice = store.find_invoice_by_reference(reference)
    if invoice is None:
        raise NotFound()
    return invoice


def _confirmation(invoice: Invoice, event_id: str, language: str = "") -> DeliveryRequest:
    return DeliveryRequest(
        invoice.provider_id,
        invoice.invoice_id,
        kind=PAYMENT_RECEIVED,
        event_id=event_id,
        language=language,
    )
