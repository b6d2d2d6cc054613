"""Paying an invoice online: start an iDEAL checkout, act on the PSP's webhook (R11).

The webhook is never believed: Mollie posts only a payment id, and anyone can post
one. The payment is fetched from the PSP, and acted on only when

- we started it (a CheckoutRecord exists): a webhook for any other id changes nothing,
- the PSP says it is finally "paid": open, pending, canceled, expired and failed move
  no money,
- and it is for the invoice we started it for.

The amount booked is what the PSP says was paid, never what a redirect or the webhook
body claims; when it differs from what was asked it is booked as paid and reported
(``WebhookOutcome.amount_differs``). Booking is idempotent on the PSP payment id
(payments.book_payment), and the checkout keeps the last status seen, so a replayed
webhook changes nothing (idempotent on PSP id + status).

More paid than owed is kept as credit and paid back on the same PSP payment right
after the booking (refunds.refund_overpayment, R13): at most once, and a refund that
may or may not have happened stays visible as pending (``WebhookOutcome.refund``)
instead of being asked again. The refund is asked before the checkout's status is set
to paid, so a crash in between is retried by the PSP; a replay after that refunds
nothing. A refund the PSP reports failed or canceled later (it calls the payment's
webhook again) puts the credit back, refundable by bank (refunds.read_ended_refunds).

Answering: every outcome here is a 200 for the PSP. For an unknown id that is what
Mollie advises (it tells a prober nothing, and Mollie stops retrying a payment created
outside this service); only a failure on our side (PSP or table unreachable) is an
error, so that Mollie calls again later.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from billing_core.correspondence.links import checker_url
from billing_core.dunning.interest import accrued_interest, amount_due_today
from billing_core.invoices.invoice import Invoice
from billing_core.payments.booking import IncomingPayment, InterestAccrual, book_payment
from billing_core.payments.checkouts import CheckoutRecord
from billing_core.payments.psp import (
    PaymentProvider,
    PaymentRequest,
    PspCheckout,
    PspPayment,
    PspStatus,
    PspUnavailable,
    UnknownPspPayment,
    UnreadablePspPayment,
)
from billing_core.payments.refunds import (
    RefundContext,
    RefundOutcome,
    read_ended_refunds,
    read_paid_back_not_booked,
    refund_overpayment,
)
from billing_core.ports import (
    BillingStore,
    CheckoutLog,
    DeliveryQueue,
    FileStore,
)
from billing_core.shared.clock import AMSTERDAM, Clock
from billing_core.shared.errors import NotFound, refused

if TYPE_CHECKING:
    from billing_core.invoices.access import PatientProof

WEBHOOK_PATH = "/webhooks/psp"
_MAX_ENDED_IN_A_ROW = 5  # ended payments the PSP may answer with before we give up
# How long a checkout's idempotency key is used again: an iDEAL payment is open at the PSP
# about this long, so a click within it gets the running checkout back (R11, R38).
_KEY_REUSED_FOR = timedelta(minutes=15)


class WebhookDecision(StrEnum):
    BOOKED = "booked"  # paid: the money is on the invoice now
    ALREADY_BOOKED = "already_booked"  # the same paid payment again: nothing changed
    NOT_PAID = "not_paid"  # open, pending, canceled, expired or failed: no money moved
    UNKNOWN_PAYMENT = "unknown_payment"  # not started by us, or unknown to the PSP
    WRONG_INVOICE = "wrong_invoice"  # the PSP's kenmerk is not the one we asked for
    # Paid, but the checkout's invoice is no longer found (its retention ended, legal-nl.md
    # §8): not booked, the checkout not marked paid (a replay books it once it is found);
    # the money sits at the PSP. Answered 200 (a retry finds nothing more), logged as an
    # error and counted (Webhook_invoice_gone, its alarm): an operator refunds it by hand.
    INVOICE_GONE = "invoice_gone"
    # The PSP answered with a payment we cannot read (not in euros, an amount or status not
    # understood: psp.UnreadablePspPayment): nothing booked, the checkout's status kept (a
    # replay books it once it reads). Answered 200, since asking again gives the same
    # answer; logged as an error and counted (Webhook_unreadable_payment, its alarm): an
    # operator looks the payment up at the PSP (R11, R39; audit psp3 #1).
    UNREADABLE_PAYMENT = "unreadable_payment"
    # Paid and on the ledger (booked now or before), but the PSP says more of it left again
    # (refunded in its dashboard, charged back by the patient's bank:
    # PspPayment.paid_back_cents) than our ledger holds
    # (our own refunds, refunds.paid_back_not_booked): the ledger shows money we no longer
    # have. Not booked automatically (it would change the practice's payout and the
    # agency's files: an owner decides); answered 200, logged as an error with ids and
    # amounts only and counted (Webhook_refunded_at_psp, its alarm) (R11, R27, R34, R39;
    # brief psp4). ``WebhookOutcome.paid_back_not_booked_cents`` says how much.
    REFUNDED_AT_PSP = "refunded_at_psp"


@dataclass(frozen=True, slots=True)
class WebhookOutcome:
    """What a PSP webhook led to, for the log and the metrics (R11): never the patient's data."""

    psp_payment_id: str
    decision: WebhookDecision
    status: PspStatus | None = None
    invoice_id: str = ""
    amount_asked_cents: int = 0
    amount_paid_cents: int = 0
    # Set when the booking left credit: the refund through the PSP (R13). None otherwise.
    refund: RefundOutcome | None = None
    # REFUNDED_AT_PSP: the cents refunded or charged back at the PSP not on our ledger.
    paid_back_not_booked_cents: int = 0

    @property
    def changed_money(self) -> bool:
        return self.decision is WebhookDecision.BOOKED

    @property
    def amount_differs(self) -> bool:
        """Paid, but not what was asked: booked as paid, and worth a look (R11)."""
        paid = self.decision in (WebhookDecision.BOOKED, WebhookDecision.ALREADY_BOOKED)
        return paid and self.amount_paid_cents != self.amount_asked_cents


@dataclass(frozen=True, slots=True)
class OnlinePaymentContext:
    """What an online payment needs: the store, the checkouts we started, the PSP and the clock
    (R11)."""

    store: BillingStore
    checkouts: CheckoutLog
    psp: PaymentProvider
    clock: Clock
    public_base_url: str  # the checker the bank sends the patient back to; the webhook's host
    delivery: DeliveryQueue | None = None  # the "payment received" e-mail of a booking
    interest: InterestAccrual = accrued_interest
    # The output bucket: a payment that sets right a claim the agency holds is reported to
    # it there (payments.booking.tell_the_agency, R22).
    files: FileStore | None = None

    @property
    def refunds(self) -> RefundContext:
        return RefundContext(self.store, self.checkouts, self.psp, self.clock)


# --- starting a payment ----------------------------------------------------------------------


def start_payment(
    reference_text: str,
    proof: PatientProof,
    ctx: OnlinePaymentContext,
    *,
    pay_all: bool = False,
    language: str = "",
) -> PspCheckout:
    """An iDEAL checkout for what the invoice asks today (interfaces.md §2): during an
    arrangement the term(s) due, or everything when the patient chooses ``pay_all``
    (issue 12 item 9). The bank sends the patient back to the checker in ``language``,
    the one the patient started in (the invoice's when not given).

    Raises reference.InvalidReference (before any read), errors.NotFound for an unknown
    reference, a proof that does not match or a reference locked by wrong birth dates (the
    same answer for all: access.find_for_patient, as every other patient action), and
    errors.StateConflict "paid" when nothing is due, "payment_received" when the PSP
    answers with a payment for the same amount that is paid and not booked yet,
    "awaits_coulance_decision" while the practice decides on the adjusted amount (R17).
    """
    clock = ctx.clock
    invoice = _patients_invoice(reference_text, proof, ctx)
    _refuse_while_the_amount_is_decided(invoice, ctx)
    reference = invoice.reference
    amount = _asked_now(invoice, ctx, pay_all)
    if amount <= 0:
        from billing_core.changes.refusals import settled_refusal  # the refusal's path only

        raise refused(settled_refusal(invoice))
    base = ctx.public_base_url.rstrip("/")
    back = checker_url(base, reference, language or invoice.language.value, returned=True)
    request = PaymentRequest(
        amount_cents=amount,
        description=f"Nota {reference}",  # shown at the bank: the kenmerk, nothing personal
        reference=reference,
        redirect_url=back,  # the checker, which says how the payment went
        webhook_url=f"{base}{WEBHOOK_PATH}",
    )
    now = clock.now()
    entries = len(invoice.ledger)
    # The key kept for this kenmerk, amount and ledger length while recent, so a double
    # click across a minute gets one checkout; a new minute's key otherwise (R11, R38).
    slot = f"{reference}-{amount}-{entries}"
    fresh_key = _idempotency_key(reference, amount, entries, now)
    key = ctx.checkouts.claim_checkout_key(slot, fresh_key, now, now - _KEY_REUSED_FOR)
    checkout, final_key = _new_or_running_checkout(ctx.psp, request, key)
    if final_key != key:  # a new payment after an ended one: the next click starts there
        ctx.checkouts.keep_checkout_key(slot, final_key, now)
    if checkout.status is PspStatus.PAID:
        # The same click again, after the bank: that payment is made and the webhook books
        # it soon. It has no checkout page to send the patient to (R11); the checker
        # remembers which payment it is, also in a browser that did not start it.
        received = refused("payment_received")
        received.psp_payment_id = checkout.psp_payment_id
        raise received
    ctx.checkouts.record_checkout(
        CheckoutRecord(
            psp_payment_id=checkout.psp_payment_id,
            provider_id=invoice.provider_id,
            invoice_id=invoice.invoice_id,
            reference=reference,
            amount_cents=amount,
            created_at=now,
            status=PspStatus.OPEN,
            language=language,
        )
    )
    return checkout


def amount_to_transfer(
    reference_text: str, proof: PatientProof, ctx: OnlinePaymentContext, *, pay_all: bool
) -> int:
    """What the pay button asks now (``start_payment``'s amount), for the page that says
    how to transfer it when the PSP cannot be reached (R11, R12). Read again: a rare path,
    and the failed start kept nothing to read it from."""
    invoice = _patients_invoice(reference_text, proof, ctx)
    return max(_asked_now(invoice, ctx, pay_all), 0)


def _patients_invoice(
    reference_text: str, proof: PatientProof, ctx: OnlinePaymentContext
) -> Invoice:
    """The invoice the patient proved to be theirs (access.find_for_patient)."""
    # Imported here: only the checker starts a payment, and the patient's access checks
    # are no part of the webhook's cold start otherwise (issue 18 (d)).
    from billing_core.invoices.access import find_for_patient

    return find_for_patient(ctx.store, reference_text, proof, ctx.clock.now())


def _refuse_while_the_amount_is_decided(invoice: Invoice, ctx: OnlinePaymentContext) -> None:
    """R17, R37, legal-nl.md §7: while the insurer's statement is in and its proposal waits
    on the practice's action list, the patient pays nothing of the old amount: the
    adjusted one comes by e-mail with its own date (the page shows no pay button then).
    Paid in full meanwhile, the practice's "apply" would forgive nothing that is open
    (coulance.proposal_for) and the patient would pay more than the policy asks (audit
    noncontracted NC-1). errors.StateConflict "awaits_coulance_decision"."""
    if invoice.insurer_statement is None or not invoice.insurer_statement.proposal_open:
        return  # no read of the provider, no import, for every other payment
    # Imported here: only a payment during a proposal needs the coulance rules; they are
    # no part of the webhook's cold start (issue 18 (d)).
    from billing_core.changes.coulance import awaits_coulance_decision
    from billing_core.texts.catalogue import by_channel

    provider = ctx.store.cached_provider(invoice.provider_id)
    if provider is not None and awaits_coulance_decision(invoice, provider):
        raise refused("awaits_coulance_decision", **by_channel(invoice.follow_up_channel))


def _asked_now(invoice: Invoice, ctx: OnlinePaymentContext, pay_all: bool) -> int:
    """Today's amount due, or during an arrangement the term(s) due unless the patient
    chose to pay everything (issue 12 item 9), as the checker shows them."""
    # Imported here: only the checker starts a payment, and an arrangement's terms are no
    # part of the webhook's cold start otherwise (a booking loads them for a cancelled
    # arrangement only, payments/booking.py) (issue 18 (d)).
    from billing_core.changes.arrangement import terms_due

    today = ctx.clock.today()
    invoice = _as_the_run_leaves_it(invoice, ctx)
    amount = amount_due_today(invoice, today, ctx.interest)
    return amount if pay_all else min(amount, terms_due(invoice, today) or amount)


def _as_the_run_leaves_it(invoice: Invoice, ctx: OnlinePaymentContext) -> Invoice:
    """The invoice as the checker shows it: the day after the reminder's term expired
    unpaid, before the 06:00 run, with the BIK and the interest the run charges (R20,
    legal-nl.md §2), so the pay button asks the amount the checker names (R11). A copy:
    nothing is written (audit costsday2)."""
    # Imported here: only the checker starts a payment; the dunning timeline is no part of
    # the webhook's cold start (issue 18 (d)).
    from billing_core.dunning.policy import DunningPolicy
    from billing_core.dunning.timeline import as_the_run_leaves_it, term_expired

    today = ctx.clock.today()
    if not term_expired(invoice, today):
        return invoice  # no read of the provider for every other payment
    provider = ctx.store.cached_provider(invoice.provider_id)
    policy = provider.dunning if provider is not None else DunningPolicy()
    return as_the_run_leaves_it(invoice, policy, today, ctx.clock.now(), ctx.store)


def _new_or_running_checkout(
    psp: PaymentProvider, request: PaymentRequest, idempotency_key: str
) -> tuple[PspCheckout, str]:
    """The PSP's payment for this idempotency key, or a new one when that one ended
    unpaid: a cancelled, expired or failed payment never blocks paying again (issue 12
    item 10). The next key is derived from the ended payment, so a double click after a
    cancel still gets one new payment, not two. With the key that gave it."""
    for _ in range(_MAX_ENDED_IN_A_ROW):
        checkout = psp.create_payment(request, idempotency_key)
        if not checkout.status.ended_unpaid:
            return checkout, idempotency_key
        # One "-after-" at most: the key kept for the next click stays short however often
        # the patient cancels at the bank.
        first_key = idempotency_key.split("-after-", 1)[0]
        idempotency_key = f"{first_key}-after-{checkout.psp_payment_id}"
    raise PspUnavailable("the PSP keeps answering with ended payments")


def _idempotency_key(reference: str, amount_cents: int, entries: int, now: datetime) -> str:
    """A new checkout's key, kept for the next clicks while its payment may be open
    (``claim_checkout_key``): a double click gets the same checkout, not a second payment
    (R38), also across a minute; so does Pay again after the bank while the webhook has
    not booked that payment yet (``payment_received``). The ledger's length (``entries``:
    it only grows) tells a payment already booked from one still on its way: once the
    webhook booked the first term, the next term of the same amount paid in the same
    minute is a new payment, not the paid one given back (R11, R15; audit checker6)."""
    minute = f"{now.astimezone(AMSTERDAM):%Y%m%d%H%M}"
    return f"zn-{reference}-{amount_cents}-{entries}-{minute}"


# --- the webhook ---------------------------------------------------------------------------------


def handle_psp_webhook(psp_payment_id: str, ctx: OnlinePaymentContext) -> WebhookOutcome:
    """Act on "payment ``psp_payment_id`` changed" (R11). PspUnavailable and table errors
    propagate: the caller answers with an error and the PSP tries again later; a payment
    the PSP answers with but we cannot read does not (``UNREADABLE_PAYMENT``)."""
    checkouts = ctx.checkouts
    checkout = checkouts.get_checkout(psp_payment_id)
    if checkout is None:
        # Not ours: no call to the PSP either, so forged ids cost one table read.
        return WebhookOutcome(psp_payment_id, WebhookDecision.UNKNOWN_PAYMENT)
    try:
        payment = ctx.psp.get_payment(psp_payment_id)
    except UnknownPspPayment:
        return WebhookOutcome(psp_payment_id, WebhookDecision.UNKNOWN_PAYMENT)
    except UnreadablePspPayment:
        # Not a 503: the PSP would retry for days for the same answer, unseen (R11, R39).
        return WebhookOutcome(
            psp_payment_id,
            WebhookDecision.UNREADABLE_PAYMENT,
            invoice_id=checkout.invoice_id,
            amount_asked_cents=checkout.amount_cents,
        )
    if payment.reference != checkout.reference:
        return _outcome(checkout, payment, WebhookDecision.WRONG_INVOICE)
    if payment.status is not PspStatus.PAID:
        if payment.status.ended_unpaid:
            # Only an end is written down: canceled, expired and failed never change again.
            # Open, pending or authorized may be stale by the time it is written (a paid
            # webhook may have booked it and marked it paid meanwhile, R28), and the
            # return from the bank asks the PSP for a status that is not final anyway
            # (bank_return.returned_from_bank) (R11; audit psp2 P-1).
            _remember_status(checkouts, checkout, payment.status)
        return _outcome(checkout, payment, WebhookDecision.NOT_PAID)
    if checkout.status is PspStatus.PAID:
        # Booked before, and the status is only set after booking: a replay, or a refund
        # of it that moved on at the PSP (one that failed puts the credit back, R13).
        refund = read_ended_refunds(checkout.reference, psp_payment_id, ctx.refunds)
        return _paid_back(checkout, payment, WebhookDecision.ALREADY_BOOKED, ctx, refund)
    try:
        booked, invoice = _book(checkout, payment, ctx)
    except NotFound:  # no invoice to book the money on: kept off the ledger, alarmed
        return _outcome(checkout, payment, WebhookDecision.INVOICE_GONE)
    refund = None
    if invoice.credit_cents > 0 or not booked:
        # The credit paid back at most once (the intent keeps it so, also after a crash
        # between booking and status), and the webhook's one block where a refund left the
        # agency's claim owed (R22, R34). A retry comes here also without credit: a crash
        # between a refund's booking and its block. A payment booked now without credit
        # blocks no one (a patient a practice released by hand stays released).
        try:
            refunded = refund_overpayment(checkout.reference, ctx.refunds)
        except NotFound:  # gone right after the booking: the money is on its ledger
            refunded = None
        refund = refunded if invoice.credit_cents > 0 else None  # reported: credit was left
    _remember_status(checkouts, checkout, PspStatus.PAID)
    decision = WebhookDecision.BOOKED if booked else WebhookDecision.ALREADY_BOOKED
    return _paid_back(checkout, payment, decision, ctx, refund)


def _paid_back(
    checkout: CheckoutRecord,
    payment: PspPayment,
    decision: WebhookDecision,
    ctx: OnlinePaymentContext,
    refund: RefundOutcome | None,
) -> WebhookOutcome:
    """The outcome of a paid payment on the ledger: REFUNDED_AT_PSP when the PSP says more
    of it was refunded or charged back than the ledger holds, ``decision`` otherwise. The
    invoice is read only when the PSP says something left the payment (R11, R27; psp4)."""
    missing = read_paid_back_not_booked(
        ctx.store, checkout.reference, payment.psp_payment_id, payment.paid_back_cents
    )
    outcome = _outcome(checkout, payment, decision, refund)
    if missing <= 0:
        return outcome
    return replace(
        outcome,
        decision=WebhookDecision.REFUNDED_AT_PSP,
        paid_back_not_booked_cents=missing,
    )


def _book(
    checkout: CheckoutRecord, payment: PspPayment, ctx: OnlinePaymentContext
) -> tuple[bool, Invoice]:
    """(booked now, the invoice as stored after it)."""
    clock = ctx.clock
    received_at = (payment.paid_at or clock.now()).astimezone(AMSTERDAM)
    incoming = IncomingPayment("psp", payment.psp_payment_id, payment.amount_cents, received_at)
    result = book_payment(
        ctx.store,
        checkout.reference,
        incoming,
        clock=clock,
        delivery=ctx.delivery,
        agency_files=ctx.files,
        interest=ctx.interest,
        language=checkout.language,
    )
    return result.booked, result.invoice


def _remember_status(checkouts: CheckoutLog, checkout: CheckoutRecord, status: PspStatus) -> None:
    if checkout.status is not status:
        checkouts.set_checkout_status(checkout.psp_payment_id, status)


def _outcome(
    checkout: CheckoutRecord,
    payment: PspPayment,
    decision: WebhookDecision,
    refund: RefundOutcome | None = None,
) -> WebhookOutcome:
    return WebhookOutcome(
        psp_payment_id=checkout.psp_payment_id,
        decision=decision,
        status=payment.status,
        invoice_id=checkout.invoice_id,
        amount_asked_cents=checkout.amount_cents,
        amount_paid_cents=payment.amount_cents if payment.status is PspStatus.PAID else 0,
        refund=refund,
    )
