"""Refunding an overpayment through the PSP it came in by (R13, R27, R28).

An overpayment is kept as credit (payments.apply_payment: a PAYMENT entry on the
principal with the note "credit"; ``Invoice.credit_cents`` shows it, the checker too).
When the money that caused the credit came in online, ``refund_overpayment`` pays it
back on that same PSP payment and books a REFUND entry: the credit goes back to zero.

- Which payment: the newest PSP payment on the invoice with a credit part. The refund
  is at most the credit left on the invoice, at most that payment's credit part, and at
  most what is left of that payment (never more than the PSP took).
- Credit from a bank transfer is not refunded here: it stays as credit and is shown
  (checker, provider API), and the provider or operator pays it back by bank transfer
  and books it (``payments.apply_refund`` with the bank transfer as ``refund_id``).
  A bank refund pays at most ``credit_refundable_by_bank``: the credit a PSP payment
  caused goes back through the PSP, and its refund may be pending (paid, unconfirmed).
  Credit that lands on a PSP payment only later, when a payment dated before it is read
  after it (legal-nl.md §2), is no webhook's to refund: it is refundable by bank.

The order, and why (at most once). Mollie's refund call is not idempotent: calling it
twice pays twice. So before the PSP is called, an intent is written on the invoice, in
the same versioned write as everything else (R28): ``"refund-intent:<cents>:psp:<id>"``
in ``applied_payments``. Only the caller whose conditional write added the intent calls
the PSP; a concurrent or later caller finds it and calls nothing. Then:

1. write the intent            (crash here: nothing refunded, intent stays)
2. ``psp.refund(...)``          (crash or PSP error here: unknown whether it happened)
3. book the REFUND entry       (``apply_refund``, idempotent on the refund id), with the
                               refund's status as the PSP answered (``psp_refund_status``)
4. a status not final: read it once more (``read_booked_refund_again``), as the webhook
                               would have had it been booked: it may have failed meanwhile

An intent without a REFUND entry for its payment is a *pending* refund
(``pending_refunds``, ``RefundDecision.PENDING``). It is never retried by itself:
an operator looks at the payment in the PSP's dashboard and records what it says
(``settle_pending_refund``): refunded, booked as step 3 books it, for what the PSP paid
back (less than asked when someone refunded by hand in its dashboard); or failed. What the
PSP did not pay back of the credit is then refundable by bank transfer. One refund too few that everybody can see
is better than one refund too many. One automatic refund per PSP payment.

A booked refund the PSP later reports failed or canceled (Mollie calls the payment's
webhook when a refund's status changes; ``read_ended_refunds``) paid nothing back: the
money is in our PSP balance again. A REFUND entry of minus what was booked (R27) puts
the credit back on the invoice, held for the patient, and the refund is recorded failed
as an operator records one, so that credit is refundable by bank from then on and never
asked of the PSP again (``RefundDecision.FAILED``: the ``Refund_failed`` alarm). Each
booked refund's status as the PSP last reported it is kept on the invoice
(``psp_refund_status``); one reported final (refunded, failed, canceled) is not asked
again, so a replayed webhook costs one PSP call, not one more per refund.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from billing_core.collection.blocking import block_unsettled_claim, release_settled_claim
from billing_core.invoices.allocation import CREDIT_NOTE
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import (
    REVERSES,
    Component,
    EntryKind,
    LedgerEntry,
    is_agency,
    paid_by_patient,
)
from billing_core.invoices.updates import recorded_now, save_change
from billing_core.payments.booking import (
    apply_refund,
    payment_id,
    refund_key,
    refunded_cents,
    reversible,
)
from billing_core.payments.psp import (
    REFUND_FINAL,
    REFUND_NOT_PAID,
    PaymentProvider,
    PspUnavailable,
    UnknownPspRefund,
)
from billing_core.ports import BillingStore, CheckoutLog
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.clock import Clock
from billing_core.shared.errors import NotFound, UnknownInvoice, practice_refused
from billing_core.shared.money import euro_params

_INTENT = "refund-intent:"
# An operator's record of what the PSP said of a pending refund, with who, when and for how
# much (the cents paid back, or asked of a failed one), so the audit reads whole from the
# marker alone (R27, R34): "refund-checked:<refunded|failed>:psp:<id> by <operator> at
# <ISO time> for <cents>". Markers recorded before the amount end at the time. One the
# PSP's webhook recorded (``refund_not_paid``) says "by psp".
_CHECKED = "refund-checked:"
_NOT_PAID = "refund-not-paid:"  # the note of the REFUND entry that undoes a failed one
# A booked refund's status as the PSP last reported it: "refund-status:<refund id>:<status>",
# one per refund, replaced when it changes. A refund booked without one was never read.
_STATUS = "refund-status:"
# A refund booked under an id the PSP has no refund of (typed by an operator before ids
# were checked), booked again under its PSP id by an operator: the note of the REFUND
# entry that takes the wrong one back, and, with who and when, the invoice's record of it:
# "refund-id-corrected:<wrong id> to <PSP id> by <operator> at <ISO time>".
_CORRECTED = "refund-id-corrected:"
_PSP = payment_id("psp", "")  # "psp:"


class RefundDecision(StrEnum):
    REFUNDED = "refunded"  # paid back through the PSP and booked: the credit is gone
    PENDING = "pending"  # asked before (or the PSP call failed): not booked, needs a look
    KEPT_AS_CREDIT = "kept_as_credit"  # credit not from a PSP payment: refunded by bank
    NOTHING_TO_REFUND = "nothing_to_refund"  # no credit, or refunded already
    FAILED = "failed"  # booked, then failed or canceled at the PSP: credit held again
    # Booked with an id the PSP has no refund of on that payment (typed by an operator
    # before it was checked): its status is never read, so a failure of it goes unseen.
    UNKNOWN_AT_PSP = "unknown_at_psp"


@dataclass(frozen=True, slots=True)
class RefundOutcome:
    """What was done with an invoice's credit: refunded through the PSP, pending, or kept (R13)."""

    decision: RefundDecision
    invoice_id: str = ""
    psp_payment_id: str = ""
    amount_cents: int = 0
    refund_id: str = ""
    credit_left_cents: int = 0  # what the invoice still shows as credit afterwards

    @property
    def needs_attention(self) -> bool:
        """A person has to act: check a pending refund, or refund a credit by bank."""
        return self.decision in _NEEDS_ATTENTION


_NEEDS_ATTENTION = frozenset(
    {
        RefundDecision.PENDING,
        RefundDecision.KEPT_AS_CREDIT,
        RefundDecision.FAILED,
        RefundDecision.UNKNOWN_AT_PSP,
    }
)


@dataclass(frozen=True, slots=True)
class PendingRefund:
    """A refund asked of the PSP that has not been confirmed yet."""

    psp_payment_id: str
    amount_cents: int


# --- pure ------------------------------------------------------------------------------


def refund_intent(psp_payment_id: str, amount_cents: int) -> str:
    return f"{_INTENT}{amount_cents}:{_PSP}{psp_payment_id}"


def with_refund_intent(invoice: Invoice, psp_payment_id: str, amount_cents: int) -> Invoice:
    """The invoice remembering that a refund of this payment is about to be asked."""
    return invoice.with_applied_payment(refund_intent(psp_payment_id, amount_cents))


def pending_refunds(invoice: Invoice) -> tuple[PendingRefund, ...]:
    """Refunds asked of the PSP and not (yet) booked: crashed or failed, to be checked."""
    return tuple(
        intent
        for intent in _intents(invoice)
        if not _refunded(invoice, intent.psp_payment_id)
        and not _failed(invoice, intent.psp_payment_id)
    )


def credit_or_refund_pending(invoice: Invoice) -> bool:
    """Whether the invoice holds a patient's credit, or a PSP refund of credit it held is
    still pending: the invoices the operator's list of held credits and the Monday run's
    count of refunds pending read (the by-credit index, R13, R39). A bank return of
    another payment may take the credit while the refund is pending (runs57): the PSP may
    still pay it back, and only an operator records what it did."""
    return invoice.credit_cents > 0 or bool(pending_refunds(invoice))


def refunds_pending_before(invoice: Invoice, before: datetime) -> tuple[PendingRefund, ...]:
    """The pending refunds (``pending_refunds``) of PSP payments booked before ``before``:
    pending since then at least, their intent being written by the payment's own webhook
    after its booking (an intent keeps no time of its own). What the Monday run counts
    again, a refund pending being raised by its webhook once (R13, R39)."""
    return tuple(
        pending
        for pending in pending_refunds(invoice)
        if _psp_payment_booked_before(invoice, pending.psp_payment_id, before)
    )


def _psp_payment_booked_before(invoice: Invoice, psp_payment_id: str, before: datetime) -> bool:
    """True as well for a payment not on the ledger: its refund's age is unknown, and a
    refund pending unseen is worse than one counted a day early."""
    cause = f"{_PSP}{psp_payment_id}"
    booked = [
        e.recorded for e in invoice.ledger if e.kind is EntryKind.PAYMENT and e.cause == cause
    ]
    return not booked or max(booked) < before


def settle_pending_refund(
    invoice: Invoice,
    psp_payment_id: str,
    outcome: str,
    refund_id: str,
    by: str,
    at: datetime,
    amount_cents: int | None = None,
    psp_status: str | None = None,
) -> Invoice:
    """What the PSP says of the refund asked of this payment, as ``by`` read it (R13, R34):
    ``refunded`` (its refund id) is booked as the webhook's step 3 books it, for
    ``amount_cents`` when the PSP paid back less than was asked (a refund made by hand in
    its dashboard; None: what was asked); ``failed`` leaves the credit. Either way the
    credit the PSP did not pay back is refundable by bank transfer from then on
    (``_credit_held_for_psp``). The same outcome (and amount) again returns the invoice
    unchanged; another one after it is refused, the patient being paid back once.

    ``psp_status``: the refund's status as the PSP answered for this payment when it was
    recorded (the operator's id checked, ``money_out.settle_psp_refund``), kept as the
    webhook keeps it (``psp_refund_status``). A refund the PSP says failed or was canceled
    paid nothing back: refused (record ``failed``), never booked as paid."""
    asked = [i.amount_cents for i in _intents(invoice) if i.psp_payment_id == psp_payment_id]
    if not asked:
        raise practice_refused("no_psp_refund_pending")
    amount = asked[0] if amount_cents is None else amount_cents
    if outcome == "refunded" and amount > asked[0]:
        raise practice_refused("psp_refund_above_asked", **euro_params("asked", asked[0]))
    failed, refunded = _failed(invoice, psp_payment_id), _refunded(invoice, psp_payment_id)
    if outcome == "failed" and failed:
        return invoice
    if refund_key(refund_id) in invoice.applied_payments:
        if refunded_cents(invoice, refund_id) == amount:
            return invoice  # a retry
        raise practice_refused("psp_refund_settled")  # the same refund, another amount
    if failed or refunded:
        raise practice_refused("psp_refund_settled")
    if outcome == "refunded" and psp_status in REFUND_NOT_PAID:
        raise practice_refused("psp_refund_not_paid", status=psp_status)
    # A failed refund paid back nothing: its record names what was asked of the PSP.
    recorded = amount if outcome == "refunded" else asked[0]
    checked = (
        f"{_CHECKED}{outcome}:{_PSP}{psp_payment_id} by {by} at {at.isoformat()} for {recorded}"
    )
    if outcome == "failed":
        return invoice.with_applied_payment(checked)
    cause = f"{_PSP}{psp_payment_id}"
    booked = apply_refund(invoice, refund_id, amount, at, cause).with_applied_payment(checked)
    return booked if psp_status is None else with_psp_refund_status(booked, refund_id, psp_status)


def refund_not_paid(invoice: Invoice, psp_payment_id: str, refund_id: str, at: datetime) -> Invoice:
    """The booked refund ``refund_id`` of this PSP payment failed or was canceled at the
    PSP: nothing reached the patient (R13). A REFUND entry of minus what it booked puts the
    credit back (R27), and the refund is recorded failed, as ``settle_pending_refund``
    records one: the credit is refundable by bank from then on, never by the PSP again.
    The same invoice when it is recorded already, or no such refund is booked."""
    booked = refunded_cents(invoice, refund_id)
    undone = f"{_NOT_PAID}{refund_id}"
    if booked <= 0 or undone in invoice.applied_payments:
        return invoice
    cause = f"{_PSP}{psp_payment_id}"
    entry = LedgerEntry(EntryKind.REFUND, Component.PRINCIPAL, -booked, at, cause, undone)
    checked = f"{_CHECKED}failed:{cause} by psp at {at.isoformat()} for {booked}"
    return invoice.with_entry(entry).with_applied_payment(undone).with_applied_payment(checked)


def correct_refund_id(
    invoice: Invoice, psp_payment_id: str, wrong_id: str, right_id: str, by: str, at: datetime
) -> Invoice:
    """The refund booked on this PSP payment under ``wrong_id``, an id the PSP has no
    refund of on it, booked again under ``right_id``, its id at the PSP, as ``by`` read it
    in the PSP's dashboard (R13, R27, R34). The ledger stays append-only: a REFUND entry of
    minus what it booked takes the wrong one back, one of the same amount books it under
    its id, the credit as it was. From then on the webhook reads the refund by its id
    (``booked_psp_refunds``), not the wrong one, which it could never read (its
    ``UNKNOWN_AT_PSP`` alarm). Recorded on the invoice with who and when (``_CORRECTED``);
    the same invoice when ``right_id`` is booked already (a retry).

    Both entries are dated when the refund was booked (its id is corrected, no money moved
    now): the checker's day it paid the patient back stays that day (R13,
    ``breakdown.refunded_on``). They are recorded at ``at``, so the week's statement (R24)
    shows them in the correction's week, where they cancel out: the refund is counted
    once, in the week it was booked."""
    if refund_key(right_id) in invoice.applied_payments:
        return invoice
    booked = refunded_cents(invoice, wrong_id)
    paid_at = _booked_at(invoice, wrong_id) or at
    cause = f"{_PSP}{psp_payment_id}"
    note = f"{_CORRECTED}{wrong_id}"
    record = f"{note} to {right_id} by {by} at {at.isoformat()}"

    def book_again(current: Invoice) -> Invoice:
        taken_back = LedgerEntry(
            EntryKind.REFUND, Component.PRINCIPAL, -booked, paid_at, cause, note
        )
        corrected = current.with_entry(taken_back).with_applied_payment(record)
        return apply_refund(corrected, right_id, booked, paid_at, cause)

    return recorded_now(book_again, at)(invoice)


def _booked_at(invoice: Invoice, refund_id: str) -> datetime | None:
    """The date of the REFUND entry that booked ``refund_id``; None when none did."""
    key = refund_key(refund_id)
    booked = (e.at for e in invoice.ledger if e.kind is EntryKind.REFUND and e.note == key)
    return next(booked, None)


def refund_id_correction(invoice: Invoice, wrong_id: str) -> tuple[str, str] | None:
    """The PSP id ``wrong_id`` was corrected to (``correct_refund_id``) and who did it, or
    None when it was never corrected: recording it again books nothing (R34)."""
    for marker in invoice.applied_payments:
        corrected, _, rest = marker.removeprefix(_CORRECTED).partition(" to ")
        if marker.startswith(_CORRECTED) and corrected == wrong_id:
            right_id, _, by_at = rest.partition(" by ")
            return right_id, by_at.rpartition(" at ")[0]
    return None


def psp_refund_status(invoice: Invoice, refund_id: str) -> str | None:
    """The booked refund's status as the PSP last reported it (``read_ended_refunds``);
    None when it was never read, as for a refund booked before the status was kept: not
    final, so it is asked."""
    for marker in invoice.applied_payments:
        if _is_status_of(marker, refund_id):
            return marker.rpartition(":")[2]
    return None


def with_psp_refund_status(invoice: Invoice, refund_id: str, status: str) -> Invoice:
    """The invoice keeping ``status`` as the refund's last one, in place of the one before
    (one marker per refund, however often it moves on); the same invoice when that is its
    status already, so reading an unchanged status writes nothing. A final status stays:
    two webhooks at once may read the refund before and after it ended, and the one saved
    last must not make an ended refund look pending again (asked again for ever after)."""
    kept_status = psp_refund_status(invoice, refund_id)
    if kept_status == status or kept_status in REFUND_FINAL:
        return invoice
    kept = tuple(m for m in invoice.applied_payments if not _is_status_of(m, refund_id))
    return replace(invoice, applied_payments=(*kept, f"{_STATUS}{refund_id}:{status}"))


def _is_status_of(marker: str, refund_id: str) -> bool:
    # Read from the right: the status is the last part, whatever the refund id holds.
    return marker.startswith(_STATUS) and (
        marker.removeprefix(_STATUS).rpartition(":")[0] == refund_id
    )


def booked_psp_refunds(invoice: Invoice, psp_payment_id: str) -> list[str]:
    """The ids of this PSP payment's refunds booked and not undone (``refund_not_paid``)
    nor booked again under another id (``correct_refund_id``)."""
    cause = f"{_PSP}{psp_payment_id}"
    booked = (
        entry.note.removeprefix(refund_key(""))
        for entry in invoice.ledger
        if entry.kind is EntryKind.REFUND and entry.cause == cause and entry.amount_cents > 0
    )
    applied = invoice.applied_payments
    corrected = {
        m.removeprefix(_CORRECTED).partition(" ")[0] for m in applied if m.startswith(_CORRECTED)
    }
    return [r for r in booked if f"{_NOT_PAID}{r}" not in applied and r not in corrected]


def paid_back_not_booked(invoice: Invoice, psp_payment_id: str, paid_back_cents: int) -> int:
    """Of what the PSP says left this payment again (``paid_back_cents``: its refunds and
    chargebacks, ``PspPayment.paid_back_cents``), the cents our ledger does not hold (R27,
    R11; brief psp4): a refund made in the PSP's dashboard, or a chargeback. Ours are the
    REFUND entries of the payment (less those undone, ``refund_not_paid``), its REVERSALs,
    and a refund asked of the PSP whose booking is pending (``pending_refunds``: it has
    its own alarm and an operator settles it). Never below 0: more on our ledger than the
    PSP shows is what an operator recorded, and no money left unseen."""
    if paid_back_cents <= 0:
        return 0
    cause = f"{_PSP}{psp_payment_id}"
    reverses = f"{REVERSES}{cause}"
    ours = sum(
        entry.amount_cents
        for entry in invoice.ledger
        if (entry.kind is EntryKind.REFUND and entry.cause == cause)
        or (entry.kind is EntryKind.REVERSAL and entry.note == reverses)
    )
    ours += sum(
        p.amount_cents for p in pending_refunds(invoice) if p.psp_payment_id == psp_payment_id
    )
    return max(0, paid_back_cents - ours)


def read_paid_back_not_booked(
    store: BillingStore, invoice_reference: str, psp_payment_id: str, paid_back_cents: int
) -> int:
    """``paid_back_not_booked`` of the invoice as stored now (read strongly consistent, after
    the webhook's own writes); 0 when the PSP says nothing left the payment (no read then)
    or the invoice is no longer kept (legal-nl.md §8: no ledger to compare with)."""
    if paid_back_cents <= 0:
        return 0
    try:
        invoice = _read(store, invoice_reference)
    except NotFound:
        return 0
    return paid_back_not_booked(invoice, psp_payment_id, paid_back_cents)


def credit_refundable_by_bank(invoice: Invoice) -> int:
    """The part of the invoice's credit a bank transfer may pay back (R13, R34): the credit
    less what PSP refunds pay back (``_credit_held_for_psp``). That part goes back through
    the PSP, once; while its refund is pending the PSP may have paid it already, so a bank
    transfer of it could pay the patient twice. When the credit is less than that part
    (something took credit since), all of it counts as the PSP's: one refund too few,
    which the operator sees, is better than one too many.

    Nor the credit only the collection agency's report made (``credit_at_the_agency``)."""
    return max(
        0, invoice.credit_cents - credit_at_the_agency(invoice) - _credit_held_for_psp(invoice)
    )


def credit_at_the_agency(invoice: Invoice) -> int:
    """The part of the invoice's credit that is money the collection agency reported
    collected and has not transferred to us (R13, R24; agencymoney53): the credit beyond
    what the patient's money that reached our account comes to (payments and the agency's
    transfers, less what the bank returned and what was refunded). A coulance dated after
    the agency's paid_on makes such credit (audit agency4); paid back now, it would leave
    the collection account before the money came in, out of the practice's payout, and for
    good if the agency keeps it (audit agency2: no refund of money the agency holds). Once
    the agency's transfer arrives, it is the bank's to pay back."""
    in_our_account = paid_by_patient(e for e in invoice.ledger if not is_agency(e.cause))
    return max(0, invoice.credit_cents - max(0, in_our_account))


def _credit_held_for_psp(invoice: Invoice) -> int:
    """Per PSP payment, the credit its PSP refund pays back and has not been booked yet:
    the amount asked of the PSP (pending), or, when nothing was asked, the credit its own
    booking made, which the webhook asks for right after it (or on the PSP's retry). Never
    more than its credit part, nor than what is left of it after a chargeback (which may
    take the credit first).

    Credit a later booking moved onto it (a payment dated before it but read after it,
    legal-nl.md §2: "the payment date decides") is no webhook's to refund: that goes back
    by bank. It is still paid back once: a PSP refund asked of it later (a retried
    webhook) writes its intent on the invoice first, after which it is held here, and a
    bank refund is booked, at most this, when its batch is sent; whichever is written
    first takes the credit, in the invoice's conditional write (R28).

    A webhook asks one refund, of the newest PSP payment with credit: the own credit of
    an older one, not asked, is held only while a retried webhook would still ask it
    (``refundable_by_psp``); once a later payment's refund was asked, no webhook will,
    and it goes back by bank (the money walk, seed 2026120551: an earlier payment's
    webhook delivered after a later one's)."""
    asked = {intent.psp_payment_id: intent.amount_cents for intent in _intents(invoice)}
    next_asked = refundable_by_psp(invoice)
    held = 0
    for psp_id, credit_part, own_part in _credit_by_psp_payment(invoice):
        # Settled at the PSP: it paid back none of it (failed) or what its refund booked,
        # which may be less than asked (one made by hand in its dashboard). One refund per
        # PSP payment (refundable_by_psp): what is left of its credit goes back by bank.
        if _failed(invoice, psp_id) or _refunded(invoice, psp_id):
            continue
        if psp_id not in asked and (next_asked is None or next_asked[0] != psp_id):
            continue  # no webhook asks it any more: a later payment's refund was asked
        left = sum(reversible(invoice, f"{_PSP}{psp_id}").values())
        to_refund = asked.get(psp_id, own_part)
        held += max(0, min(to_refund, credit_part, left))
    return held


def refundable_by_psp(invoice: Invoice) -> tuple[str, int] | None:
    """(PSP payment id, amount) of the refund to ask now, or None.

    The newest PSP payment with a credit part decides: nothing when its refund was asked
    before (booked or pending), else the credit it caused, capped by the invoice's credit
    and by what is left of the payment.
    """
    credit = invoice.credit_cents
    if credit <= 0:
        return None
    for psp_id, credit_part, _ in reversed(_credit_by_psp_payment(invoice)):
        if any(i.psp_payment_id == psp_id for i in _intents(invoice)):
            return None
        left = sum(reversible(invoice, f"{_PSP}{psp_id}").values())
        amount = min(credit, credit_part, left)
        if amount > 0:
            return psp_id, amount
    return None


def _credit_by_psp_payment(invoice: Invoice) -> list[tuple[str, int, int]]:
    """(PSP payment id, the part of it booked as credit, the part its own booking made), in
    booking order. Its own booking's entries come together, recorded at one moment; a
    payment booked later, dated before it, rebooks it after that payment's own entries
    (and at a later moment, unless the clock stood still, as a test's does)."""
    parts: dict[str, int] = {}
    own: dict[str, int] = {}
    booked_at: dict[str, datetime] = {}
    own_booking_open: set[str] = set()
    for entry in invoice.ledger:
        if entry.kind in (EntryKind.PAYMENT, EntryKind.INTEREST):
            # Another payment's money: what lands on a PSP payment after it is a rebooking.
            own_booking_open = {p for p in own_booking_open if f"{_PSP}{p}" == entry.cause}
        if not entry.cause.startswith(_PSP):
            continue
        psp_id = entry.cause.removeprefix(_PSP)
        if psp_id not in booked_at:
            booked_at[psp_id] = entry.recorded
            own_booking_open.add(psp_id)
        if entry.kind is EntryKind.PAYMENT and entry.note == CREDIT_NOTE:
            parts[psp_id] = parts.get(psp_id, 0) - entry.amount_cents
            if psp_id in own_booking_open and entry.recorded == booked_at[psp_id]:
                own[psp_id] = own.get(psp_id, 0) - entry.amount_cents
    return [(psp_id, part, own.get(psp_id, 0)) for psp_id, part in parts.items()]


def _intents(invoice: Invoice) -> list[PendingRefund]:
    intents = []
    for marker in invoice.applied_payments:
        if marker.startswith(_INTENT):
            amount, _, key = marker.removeprefix(_INTENT).partition(":")
            intents.append(PendingRefund(key.removeprefix(_PSP), int(amount)))
    return intents


def _failed(invoice: Invoice, psp_payment_id: str) -> bool:
    checked = f"{_CHECKED}failed:{_PSP}{psp_payment_id} "
    return any(marker.startswith(checked) for marker in invoice.applied_payments)


def _refunded(invoice: Invoice, psp_payment_id: str) -> bool:
    cause = f"{_PSP}{psp_payment_id}"
    return any(e.kind is EntryKind.REFUND and e.cause == cause for e in invoice.ledger)


# --- the use case ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RefundContext:
    """What refunding an online payment's excess needs (R13)."""

    store: BillingStore
    checkouts: CheckoutLog  # only a payment we started is refunded (R11)
    psp: PaymentProvider
    clock: Clock


def refund_overpayment(invoice_reference: str, ctx: RefundContext) -> RefundOutcome:
    """Pay the credit of this invoice back through the PSP, at most once (R13).

    Raises UnknownInvoice (a NotFound in the operator's words) for an unknown reference, or
    an invoice gone by the strongly consistent read. A failing PSP call does not raise: the
    refund stays pending (see the module docstring). Table errors propagate.

    A refund booked after a bank return took the credit it pays back leaves a claim at the
    agency owed again: the patient is blocked again, as after the return (R22, R34). On
    every pass, also a retry that refunds nothing, so a crash between the refund's booking
    and the block is repaired by the PSP's retry, as ``book_reversal`` repairs its own.
    Blocking is idempotent and costs no store call unless the claim is at the agency and
    owed (one block read then).
    """
    invoice, outcome = _refund_credit(_read(ctx.store, invoice_reference), ctx)
    block_unsettled_claim(ctx.store, invoice, ctx.clock)
    return outcome


def _refund_credit(invoice: Invoice, ctx: RefundContext) -> tuple[Invoice, RefundOutcome]:
    """(the invoice as stored after it, what was done): the three steps of the module
    docstring, the PSP asked only by the caller whose write added the intent."""
    store, checkouts = ctx.store, ctx.checkouts
    if invoice.credit_cents <= 0:
        return invoice, _outcome(invoice, RefundDecision.NOTHING_TO_REFUND)
    asked: list[tuple[str, int]] = []

    def mark(current: Invoice) -> Invoice:
        asked.clear()
        plan = refundable_by_psp(current)
        if plan is None or not _ours(checkouts, current, plan[0]):
            return current
        asked.append(plan)
        return with_refund_intent(current, *plan)

    marked, wrote_intent = save_change(store, invoice, mark)
    if not wrote_intent:
        return marked, _without_refund(marked)
    (psp_id, amount) = asked[0]
    description = f"Terugbetaling teveel betaald, nota {marked.reference}"  # nothing personal
    try:
        refund_id, status = ctx.psp.refund(psp_id, amount, description)
    except (PspUnavailable, ValueError):
        # It may or may not have happened at the PSP: never ask again by ourselves.
        return marked, _outcome(marked, RefundDecision.PENDING, psp_id, amount)
    at = ctx.clock.now()
    cause = f"{_PSP}{psp_id}"

    # Booked as paid back even when a bank return took the credit meanwhile (R34).
    def book(current: Invoice) -> Invoice:
        refunded = apply_refund(current, refund_id, amount, at, cause)
        if refunded is current:  # booked already: a status read since stays as it is
            return current
        # Kept with the booking: the webhook's retry reads the same status, writes nothing.
        return with_psp_refund_status(refunded, refund_id, status)

    booked, _ = save_change(store, marked, book)
    refunded = _outcome(booked, RefundDecision.REFUNDED, psp_id, amount, refund_id)
    stored, ended = read_booked_refund_again(booked, psp_id, refund_id, store, ctx.psp, ctx.clock)
    return stored, ended or refunded


def read_ended_refunds(
    invoice_reference: str, psp_payment_id: str, ctx: RefundContext
) -> RefundOutcome | None:
    """The webhook of a payment booked before: Mollie calls it when a refund of it moves on
    (processing, refunded, failed; docs.mollie.com, Refunds). Each refund booked on it and
    not reported final yet (``REFUND_FINAL``, ``psp_refund_status``) is asked of the PSP;
    one that failed or was canceled is undone (``refund_not_paid``), and each status that
    changed is kept, in the invoice's conditional write (R28; no write when none changed).
    Asking only those keeps a replayed webhook to one PSP call for the payment, not one
    more per refund (audit security2, "1 + N"). None when none was undone now (or it was
    read before). PspUnavailable propagates: the PSP calls again later.

    A refund the PSP has no refund of on this payment (an id an operator typed before it
    was checked: the payment's own, a typo) is skipped, not a failure of the whole call,
    which would keep every later webhook of the payment from being read (audit security3
    SEC3-2): the others are read and booked; when none was undone, the outcome says
    ``UNKNOWN_AT_PSP`` (a metric and its alarm), at every webhook of the payment.

    The credit put back settles a claim at the agency that the refund had left owing: the
    patient is released (R22), on every call, also one that finds nothing ended any more,
    so a crash between the save and the release is repaired by the PSP's next call.
    Releasing is idempotent and costs no store call unless the claim is at the agency and
    paid (one block read then)."""
    try:
        invoice = _read(ctx.store, invoice_reference)
    except NotFound:  # the invoice's retention ended (legal-nl.md §8): nothing to set right
        return None
    return _read_ended(invoice, psp_payment_id, ctx.store, ctx.psp, ctx.clock)[1]


def read_booked_refund_again(
    booked: Invoice,
    psp_payment_id: str,
    refund_id: str,
    store: BillingStore,
    psp: PaymentProvider,
    clock: Clock,
) -> tuple[Invoice, RefundOutcome | None]:
    """(the invoice as stored after it, as ``read_ended_refunds`` says) for a refund just
    booked on ``booked`` (the invoice as that save stored it): one booked with a status
    that is not final is read once more, as its webhook reads it (audit races RACES1, R11,
    R13). The refund exists at the PSP before it is booked here, and the PSP's webhook for a
    change in between finds nothing booked and reads nothing; the PSP calls it once per
    change. A change before this read is seen now (a failed refund undone: the credit held
    again, ``RefundDecision.FAILED``); one after it by its own webhook, the refund being
    booked. One PSP call more per refund booked not final; none for one booked final.

    The PSP unreachable now: the booking stands as saved (no error for a write that was
    made), and the refund is read when the PSP next calls the payment's webhook."""
    if psp_refund_status(booked, refund_id) in REFUND_FINAL:
        return booked, None
    try:
        return _read_ended(booked, psp_payment_id, store, psp, clock)
    except PspUnavailable:
        return booked, None


def _read_ended(
    invoice: Invoice, psp_payment_id: str, store: BillingStore, psp: PaymentProvider, clock: Clock
) -> tuple[Invoice, RefundOutcome | None]:
    """``read_ended_refunds`` of the invoice read: (the invoice as stored after it, its answer)."""
    read: dict[str, str] = {}
    unknown: list[str] = []
    for refund_id in booked_psp_refunds(invoice, psp_payment_id):
        if psp_refund_status(invoice, refund_id) in REFUND_FINAL:
            continue
        try:
            read[refund_id] = psp.refund_status(psp_payment_id, refund_id)
        except UnknownPspRefund:
            unknown.append(refund_id)
    at = clock.now()
    undone: list[str] = []

    def record(current: Invoice) -> Invoice:
        undone.clear()
        for refund_id, status in read.items():
            current = with_psp_refund_status(current, refund_id, status)
            if status in REFUND_NOT_PAID:
                before = current
                current = refund_not_paid(current, psp_payment_id, refund_id, at)
                if current is not before:
                    undone.append(refund_id)
        return current

    stored, _ = save_change(store, invoice, record)  # no status changed: no write
    release_settled_claim(store, stored, clock)
    if not undone and unknown:
        booked = refunded_cents(stored, unknown[0])
        return stored, _outcome(
            stored, RefundDecision.UNKNOWN_AT_PSP, psp_payment_id, booked, unknown[0]
        )
    if not undone:
        return stored, None
    amount = sum(refunded_cents(stored, refund_id) for refund_id in undone)
    return stored, _outcome(stored, RefundDecision.FAILED, psp_payment_id, amount, undone[0])


def _read(store: BillingStore, invoice_reference: str) -> Invoice:
    """The invoice of ``invoice_reference``, read strongly consistent. None with this
    kenmerk, or gone by the second read (its retention ended between them, legal-nl.md
    §8), is UnknownInvoice: the operator's "no invoice with this kenmerk" (R34), not the
    checker's sentence to a patient; a NotFound still, for the callers that catch it."""
    try:
        reference = betalingskenmerk.parse_ours(invoice_reference)
    except betalingskenmerk.InvalidReference:
        raise UnknownInvoice() from None
    found = store.find_invoice_by_reference(reference)
    if found is None:
        raise UnknownInvoice()
    # The reference index may lag behind the booking that made the credit: read again,
    # strongly consistent, or a fresh overpayment could look like no credit at all.
    fresh = store.get_invoice(found.provider_id, found.invoice_id, consistent=True)
    if fresh is None:  # the index's copy is of an invoice no longer kept: nothing to refund
        raise UnknownInvoice()
    return fresh


def _ours(checkouts: CheckoutLog, invoice: Invoice, psp_payment_id: str) -> bool:
    """Only a payment we started for this invoice is refunded (R11)."""
    checkout = checkouts.get_checkout(psp_payment_id)
    return checkout is not None and checkout.invoice_id == invoice.invoice_id


def _without_refund(invoice: Invoice) -> RefundOutcome:
    """No refund asked by this call: say why."""
    pending = pending_refunds(invoice)
    if pending:
        latest = pending[-1]
        return _outcome(invoice, RefundDecision.PENDING, latest.psp_payment_id, latest.amount_cents)
    if invoice.credit_cents > 0:
        return _outcome(invoice, RefundDecision.KEPT_AS_CREDIT)
    return _outcome(invoice, RefundDecision.NOTHING_TO_REFUND)


def _outcome(
    invoice: Invoice,
    decision: RefundDecision,
    psp_payment_id: str = "",
    amount_cents: int = 0,
    refund_id: str = "",
) -> RefundOutcome:
    return RefundOutcome(
        decision=decision,
        invoice_id=invoice.invoice_id,
        psp_payment_id=psp_payment_id,
        amount_cents=amount_cents,
        refund_id=refund_id,
        credit_left_cents=invoice.credit_cents,
    )
