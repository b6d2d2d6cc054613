"""iDEAL through the PSP: starting a checkout and believing only the PSP (R11, R13)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from billing_core.adapters.fake_psp import FakePsp, PaymentAlreadyFinal
from billing_core.invoices.access import LOCKOUT, MAX_WRONG_BIRTH_DATES, BirthDate
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import EntryKind
from billing_core.payments.checkouts import CheckoutRecord
from billing_core.payments.online import (
    OnlinePaymentContext,
    WebhookDecision,
    handle_psp_webhook,
    start_payment,
)
from billing_core.payments.psp import PspStatus, PspUnavailable
from billing_core.payments.refunds import (
    RefundDecision,
    credit_refundable_by_bank,
    pending_refunds,
    psp_refund_status,
    refundable_by_psp,
)
from billing_core.services import patient
from billing_core.services.patient import PatientContext
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import NotFound, StateConflict
from tests.unit.factories import REFERENCE, make_invoice, make_provider
from tests.unit.fake_store import FakeQueue, FakeStore
from tests.unit.payment_fakes import CheckoutsInMemory
from tests.unit.test_patient_service import big_invoice

BASE_URL = "https://zorgnota.example.org"
BIRTH_DATE = date(1984, 3, 7)  # the factory patient's
DUE = 3317  # the factory invoice: 28.14 + 20.11 - 15.08 reimbursed


class World:
    """One invoice, a fake PSP and a clock: what the use cases are given."""

    def __init__(self, invoice: Invoice | None = None) -> None:
        self.clock = FixedClock(datetime(2026, 11, 24, 10, 15, tzinfo=AMSTERDAM))
        self.store = FakeStore([invoice or make_invoice()])
        self.checkouts = CheckoutsInMemory()
        self.psp = FakePsp(BASE_URL, self.clock)
        self.queue = FakeQueue()

    def context(self, **options) -> OnlinePaymentContext:
        return OnlinePaymentContext(
            store=self.store,
            checkouts=self.checkouts,
            psp=self.psp,
            clock=self.clock,
            public_base_url=BASE_URL,
            delivery=self.queue,
            **options,
        )

    def start(self, text: str = REFERENCE, birth_date: date = BIRTH_DATE, **options):
        return start_payment(text, BirthDate(birth_date), self.context(**options))

    def webhook(self, psp_payment_id: str, **options):
        return handle_psp_webhook(psp_payment_id, self.context(**options))

    def invoice(self) -> Invoice:
        return self.store.invoice()

    def payments_in_ledger(self) -> list:
        return [e for e in self.invoice().ledger if e.kind is EntryKind.PAYMENT]


@pytest.fixture
def world() -> World:
    return World()


# --- starting a checkout ---------------------------------------------------------------------


def test_a_checkout_asks_the_amount_due_with_nothing_personal_in_it(world):
    # Given an invoice with € 33,17 due
    # When the patient starts an iDEAL payment with the kenmerk as typed and the birth date
    checkout = world.start(reference.grouped(REFERENCE))
    # Then the PSP is asked for € 33,17, described by the kenmerk alone (R29)
    asked = world.psp.get_payment(checkout.psp_payment_id)
    assert (asked.amount_cents, asked.status, asked.reference) == (DUE, PspStatus.OPEN, REFERENCE)
    assert world.psp.description(checkout.psp_payment_id) == f"Nota {REFERENCE}"
    # And the patient goes to the checkout, and comes back to the checker for this kenmerk
    assert checkout.checkout_url == f"{BASE_URL}/_local/psp/checkout/{checkout.psp_payment_id}"
    assert world.psp.redirect_url(checkout.psp_payment_id).startswith(
        f"{BASE_URL}/?kenmerk={REFERENCE}"
    )
    assert world.psp.webhook(checkout.psp_payment_id).url == f"{BASE_URL}/webhooks/psp"
    # And what was asked is recorded, to check the webhook against
    record = world.checkouts.get_checkout(checkout.psp_payment_id)
    assert (record.reference, record.amount_cents, record.status) == (
        REFERENCE,
        DUE,
        PspStatus.OPEN,
    )


def test_an_unknown_kenmerk_and_a_wrong_birth_date_get_the_same_answer(world):
    unknown = reference.for_sequence(999, b"another key")
    with pytest.raises(NotFound) as not_ours:
        world.start(unknown)
    with pytest.raises(NotFound) as wrong_birth_date:
        world.start(REFERENCE, date(1984, 3, 8))
    assert str(not_ours.value) == str(wrong_birth_date.value)
    assert world.checkouts.records == {}


def test_wrong_birth_dates_count_and_lock_paying_as_every_other_patient_action(world):
    """interfaces.md §2, R10, issue 13.3 (audit security D1): starting a payment answers
    whether a birth date is right, so its wrong ones count towards the lock like a
    deferral's, and a locked reference answers like an unknown one, right date or not."""
    # Given MAX_WRONG_BIRTH_DATES wrong birth dates sent to start a payment
    for day in range(1, MAX_WRONG_BIRTH_DATES + 1):
        with pytest.raises(NotFound):
            world.start(REFERENCE, date(1984, 4, day))
    # Then each one was counted
    assert world.store.wrong_birth_dates(REFERENCE, world.clock.now()) == MAX_WRONG_BIRTH_DATES
    # When the right birth date follows within the hour
    with pytest.raises(NotFound) as locked:
        world.start()
    # Then it finds nothing, with the answer of an unknown kenmerk, and no checkout is made
    with pytest.raises(NotFound) as unknown:
        world.start(reference.for_sequence(999, b"another key"))
    assert str(locked.value) == str(unknown.value)
    assert world.checkouts.records == {}
    # And an hour after the last try the patient can pay again
    world.clock.advance(seconds=LOCKOUT.total_seconds())
    assert world.start().checkout_url


def test_a_wrong_check_digit_is_refused_before_any_read(world):
    wrong = REFERENCE[:-1] + str((int(REFERENCE[-1]) + 1) % 10)
    with pytest.raises(reference.InvalidReference):
        world.start(wrong)
    assert world.store.calls == []


def test_a_paid_invoice_cannot_be_paid_again(world):
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid")
    world.webhook(checkout.psp_payment_id)
    with pytest.raises(StateConflict) as refused:
        world.start()
    assert refused.value.code == "paid"


def test_a_double_click_gets_the_same_checkout_not_a_second_payment(world):
    first = world.start()
    world.clock.advance(seconds=2)
    assert world.start() == first


# --- the webhook: only the PSP's own word counts -----------------------------------------------


def test_paid_books_the_payment_and_nothing_is_due(world):
    # Given a checkout the patient paid at the PSP
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid")
    # When the PSP's webhook arrives
    outcome = world.webhook(checkout.psp_payment_id)
    # Then the payment is booked as paid, allocated to the principal (R13), and nothing is due
    assert outcome.decision is WebhookDecision.BOOKED and outcome.changed_money
    assert (outcome.amount_asked_cents, outcome.amount_paid_cents) == (DUE, DUE)
    assert world.invoice().amount_due_cents == 0
    [payment] = world.payments_in_ledger()
    assert (payment.amount_cents, payment.cause) == (-DUE, f"psp:{checkout.psp_payment_id}")
    assert world.checkouts.get_checkout(checkout.psp_payment_id).status is PspStatus.PAID


def test_the_patient_gets_one_confirmation_per_payment(world):
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid")
    world.webhook(checkout.psp_payment_id)
    world.webhook(checkout.psp_payment_id)  # a replay: the checkout says paid, nothing queued
    assert [(r.kind, r.event_id) for r in world.queue.requests] == [
        ("payment_received", f"psp:{checkout.psp_payment_id}")
    ]


def test_interest_accrued_and_not_yet_booked_is_asked_and_paid_before_principal(world):
    # Given € 1,25 statutory interest accrued up to today, not yet in the ledger (R20)
    def accrued(invoice, day):
        return 125

    # When the patient pays what the checkout asks
    checkout = world.start(interest=accrued)
    world.psp.complete(checkout.psp_payment_id, "paid")
    world.webhook(checkout.psp_payment_id, interest=accrued)
    # Then the checkout asked principal plus interest, and the payment settled both (R13)
    assert world.psp.get_payment(checkout.psp_payment_id).amount_cents == DUE + 125
    assert world.invoice().amount_due_cents == 0
    assert sorted(e.component.value for e in world.payments_in_ledger()) == [
        "interest",
        "principal",
    ]


def test_a_replayed_webhook_changes_nothing(world):
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid")
    world.webhook(checkout.psp_payment_id)
    version = world.invoice().version
    # When the same webhook comes again (Mollie retries, or someone replays it)
    outcome = world.webhook(checkout.psp_payment_id)
    # Then nothing changes
    assert outcome.decision is WebhookDecision.ALREADY_BOOKED and not outcome.changed_money
    assert world.invoice().version == version
    assert len(world.payments_in_ledger()) == 1


def test_a_webhook_after_a_crash_between_booking_and_status_books_nothing_twice(world):
    # Given a payment booked, but the checkout's status was not written (crash)
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid")
    world.webhook(checkout.psp_payment_id)
    world.checkouts.set_checkout_status(checkout.psp_payment_id, PspStatus.OPEN)
    # When the PSP retries
    outcome = world.webhook(checkout.psp_payment_id)
    # Then the booking is recognised by its PSP id: not booked again, status caught up
    assert outcome.decision is WebhookDecision.ALREADY_BOOKED
    assert len(world.payments_in_ledger()) == 1
    assert world.checkouts.get_checkout(checkout.psp_payment_id).status is PspStatus.PAID


@pytest.mark.parametrize("status", ["canceled", "expired", "failed"])
def test_a_payment_that_did_not_happen_moves_no_money(world, status):
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, status)
    outcome = world.webhook(checkout.psp_payment_id)
    assert outcome.decision is WebhookDecision.NOT_PAID and outcome.status == status
    assert world.invoice().amount_due_cents == DUE
    assert world.payments_in_ledger() == []
    assert world.checkouts.get_checkout(checkout.psp_payment_id).status == status


def test_a_webhook_for_an_open_payment_moves_no_money(world):
    # Given a forged "it is paid" for a payment the patient has not paid
    checkout = world.start()
    # When the webhook comes / Then the PSP says open, and nothing is booked
    assert world.webhook(checkout.psp_payment_id).decision is WebhookDecision.NOT_PAID
    assert world.invoice().amount_due_cents == DUE


def test_a_webhook_for_a_payment_we_did_not_start_changes_nothing_and_asks_no_psp(world):
    # Given an id nobody started here
    asked = []
    world.psp.get_payment = lambda psp_id: asked.append(psp_id)  # type: ignore[method-assign]
    # When it is posted to the webhook
    outcome = world.webhook("tr_forged123")
    # Then the answer is "unknown", without a call to the PSP or a change
    assert outcome.decision is WebhookDecision.UNKNOWN_PAYMENT and asked == []
    assert world.invoice().version == 0


def test_a_started_payment_the_psp_does_not_know_changes_nothing():
    # Given a checkout record for an id the PSP has never seen (test vs live mode mix-up)
    world = World()
    world.checkouts.record_checkout(
        CheckoutRecord(
            "tr_elsewhere1",
            "tandarts-de-vries",
            "inv",
            REFERENCE,
            DUE,
            world.clock.now(),
            PspStatus.OPEN,
        )
    )
    assert world.webhook("tr_elsewhere1").decision is WebhookDecision.UNKNOWN_PAYMENT
    assert world.payments_in_ledger() == []


def test_a_paid_amount_other_than_asked_is_booked_as_paid_and_reported(world):
    # Given the PSP reports € 20,00 paid where € 33,17 was asked
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid", amount_cents=2000)
    # When the webhook comes
    outcome = world.webhook(checkout.psp_payment_id)
    # Then € 20,00 is booked, € 13,17 is still due, and the difference is reported
    assert outcome.decision is WebhookDecision.BOOKED and outcome.amount_differs
    assert (outcome.amount_asked_cents, outcome.amount_paid_cents) == (DUE, 2000)
    assert world.invoice().amount_due_cents == DUE - 2000


def test_more_paid_than_asked_is_kept_as_credit_and_refunded_through_the_psp(world):
    # R13: an overpayment is never dropped: booked as credit, then paid back by the PSP
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid", amount_cents=DUE + 500)
    outcome = world.webhook(checkout.psp_payment_id)
    assert outcome.decision is WebhookDecision.BOOKED
    assert (outcome.refund.decision, outcome.refund.amount_cents) == (RefundDecision.REFUNDED, 500)
    assert world.psp.refunds(checkout.psp_payment_id) == (outcome.refund.refund_id,)
    invoice = world.invoice()
    assert [e.amount_cents for e in invoice.ledger if e.kind is EntryKind.PAYMENT] == [-DUE, -500]
    assert (invoice.amount_due_cents, invoice.credit_cents) == (0, 0)


def test_a_retried_webhook_after_a_crash_before_the_status_refunds_nothing_more(world):
    # Given an overpayment booked and refunded, but the checkout's status was not written
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid", amount_cents=DUE + 500)
    world.webhook(checkout.psp_payment_id)
    world.checkouts.set_checkout_status(checkout.psp_payment_id, PspStatus.OPEN)
    # When the PSP retries / Then no second refund is asked, and the status catches up
    outcome = world.webhook(checkout.psp_payment_id)
    assert outcome.decision is WebhookDecision.ALREADY_BOOKED and outcome.refund is None
    assert len(world.psp.refunds(checkout.psp_payment_id)) == 1
    assert world.checkouts.get_checkout(checkout.psp_payment_id).status is PspStatus.PAID


def test_r11_the_webhook_again_after_its_refund_writes_nothing(world):
    """R11 (the webhook is idempotent), R13: Given an overpayment booked and refunded by
    its webhook When Mollie calls the webhook again, nothing having changed Then the
    invoice is not written: the status Mollie answered when the refund was asked (pending)
    was kept with the refund, and it did not change."""
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid", amount_cents=DUE + 500)
    refund_id = world.webhook(checkout.psp_payment_id).refund.refund_id
    booked = world.invoice()
    assert psp_refund_status(booked, refund_id) == "pending"

    again = world.webhook(checkout.psp_payment_id)

    assert (again.decision, again.refund) == (WebhookDecision.ALREADY_BOOKED, None)
    assert world.invoice() == booked


@pytest.mark.parametrize("ended", ["failed", "canceled"])
def test_r13_a_psp_refund_mollie_reports_failed_puts_the_credit_back_once(world, ended):
    """R13 (kept and refunded, never dropped), R27, R39: given an overpayment of € 5,00 by
    iDEAL, refunded through the PSP and booked
    When Mollie calls the payment's webhook because the refund failed (the patient's account
    closed) or was canceled in its dashboard, and calls it again
    Then the € 5,00 is held for the patient again, recorded on the invoice as a failed
    refund (a REFUND entry undoing it), refundable by bank and never asked of the PSP again;
    the webhook reports it (Refund_failed: an operator acts), the second call changes
    nothing."""
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid", amount_cents=DUE + 500)
    refund_id = world.webhook(checkout.psp_payment_id).refund.refund_id

    world.psp.end_refund(checkout.psp_payment_id, refund_id, ended)
    outcome = world.webhook(checkout.psp_payment_id)
    version = world.invoice().version
    again = world.webhook(checkout.psp_payment_id)

    assert outcome.decision is WebhookDecision.ALREADY_BOOKED
    assert (outcome.refund.decision, outcome.refund.amount_cents) == (RefundDecision.FAILED, 500)
    assert outcome.refund.needs_attention and outcome.refund.credit_left_cents == 500
    invoice = world.invoice()
    assert [e.amount_cents for e in invoice.ledger if e.kind is EntryKind.REFUND] == [500, -500]
    assert (invoice.credit_cents, credit_refundable_by_bank(invoice)) == (500, 500)
    assert (refundable_by_psp(invoice), pending_refunds(invoice)) == (None, ())
    assert (again.refund, world.invoice().version) == (None, version)
    assert world.psp.refunds(checkout.psp_payment_id) == (refund_id,)  # never asked twice


@pytest.mark.parametrize(
    ("status", "writes"), [("queued", 1), ("pending", 0), ("processing", 1), ("refunded", 1)]
)
def test_a_psp_refund_on_its_way_or_paid_changes_nothing(world, status, writes):
    """R13: Mollie calls the payment's webhook as its refund moves on; only failed or
    canceled means the patient got nothing back. The status read is kept on the invoice
    (one write when it changed from the pending Mollie answered when the refund was asked;
    a final one is not asked again), the money not touched, and the same webhook again
    writes nothing."""
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid", amount_cents=DUE + 500)
    refund_id = world.webhook(checkout.psp_payment_id).refund.refund_id
    before = world.invoice()

    world.psp.end_refund(checkout.psp_payment_id, refund_id, status)

    assert world.webhook(checkout.psp_payment_id).refund is None
    after = world.invoice()
    assert (after.ledger, after.credit_cents) == (before.ledger, 0)
    assert (psp_refund_status(after, refund_id), after.version) == (
        status,
        before.version + writes,
    )
    assert world.webhook(checkout.psp_payment_id).refund is None
    assert world.invoice() == after


def test_r13_credit_of_a_psp_payment_the_webhook_did_not_refund_goes_back_by_bank(world):
    """R13 ("kept as a credit and refunded; never silently dropped"), legal-nl.md §2 (the
    payment date decides); found by the money walk (seed 2026120551, reduced to four steps:
    tests/chaos/test_sample.py). Given an iDEAL payment of 130 % on 24 November and one of
    half on 29 November, both webhooks held back by the PSP
    When the later one's webhook comes first and then the earlier one's
    Then the earlier payment pays the invoice, its own excess is credit, and the later
    payment, moved wholly to credit, is refunded through the PSP (the newest payment with
    credit: one refund per webhook); the earlier one's excess is no webhook's to refund any
    more (it came and went), so it is refundable by bank. Before: it was held for a PSP
    refund nobody would ask, and could go back neither way."""
    first = world.start()
    world.psp.complete(first.psp_payment_id, "paid", amount_cents=DUE * 13 // 10)
    world.clock.set(datetime(2026, 11, 29, 10, 15, tzinfo=AMSTERDAM))
    later = world.start()
    world.psp.complete(later.psp_payment_id, "paid", amount_cents=DUE // 2)

    world.webhook(later.psp_payment_id)
    outcome = world.webhook(first.psp_payment_id)

    assert (outcome.refund.psp_payment_id, outcome.refund.amount_cents) == (
        later.psp_payment_id,
        DUE // 2,
    )
    invoice = world.invoice()
    own_excess = DUE * 13 // 10 - DUE
    assert invoice.credit_cents == own_excess and pending_refunds(invoice) == ()
    assert credit_refundable_by_bank(invoice) == own_excess
    assert refundable_by_psp(invoice) is None  # a retried webhook asks nothing more


def test_a_webhook_that_leaves_no_credit_asks_no_refund(world):
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid")
    assert world.webhook(checkout.psp_payment_id).refund is None
    assert world.psp.refunds(checkout.psp_payment_id) == ()


def test_a_psp_payment_for_another_kenmerk_is_not_booked(world):
    # Given the PSP reports a kenmerk other than the one we started the checkout for
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "paid")
    record = world.checkouts.records[checkout.psp_payment_id]
    world.checkouts.records[checkout.psp_payment_id] = replace(
        record, reference=reference.for_sequence(5, b"k")
    )
    # When the webhook comes / Then nothing is booked anywhere
    assert world.webhook(checkout.psp_payment_id).decision is WebhookDecision.WRONG_INVOICE
    assert world.payments_in_ledger() == []


def test_when_the_psp_cannot_be_reached_the_webhook_fails_so_it_is_retried(world):
    checkout = world.start()

    def unreachable(psp_id):
        raise PspUnavailable("ConnectionError")

    world.psp.get_payment = unreachable  # type: ignore[method-assign]
    with pytest.raises(PspUnavailable):
        world.webhook(checkout.psp_payment_id)
    assert world.invoice().version == 0


def test_the_payment_is_dated_when_the_psp_says_it_was_paid(world):
    checkout = world.start()
    world.clock.advance(minutes=3)
    world.psp.complete(checkout.psp_payment_id, "paid")
    paid_at = world.clock.now()
    world.clock.advance(hours=2)  # the webhook comes late
    world.webhook(checkout.psp_payment_id)
    [payment] = world.payments_in_ledger()
    assert payment.at == paid_at


# --- the fake PSP behaves like Mollie where it matters -------------------------------------------


def test_the_fake_psp_keeps_a_final_status(world):
    checkout = world.start()
    world.psp.complete(checkout.psp_payment_id, "canceled")
    with pytest.raises(PaymentAlreadyFinal):
        world.psp.complete(checkout.psp_payment_id, "paid")


def test_the_fake_psp_refunds_at_most_what_was_paid(world):
    checkout = world.start()
    with pytest.raises(ValueError):
        world.psp.refund(checkout.psp_payment_id, 100, "Terugbetaling")  # not paid yet
    world.psp.complete(checkout.psp_payment_id, "paid")
    refund_id, status = world.psp.refund(checkout.psp_payment_id, 1000, "Terugbetaling")
    assert refund_id.startswith("re_") and world.psp.refunds(checkout.psp_payment_id) == (
        refund_id,
    )
    assert status == "pending"  # as Mollie answers a new refund
    with pytest.raises(ValueError):
        world.psp.refund(checkout.psp_payment_id, DUE, "Terugbetaling")  # more than is left


# --- issue 12 items 9 and 10: arrangements, ended payments, the way back -----------------------


def arranged_world(terms: int = 3) -> World:
    """An invoice of € 300,00 with a running arrangement of ``terms`` monthly terms."""
    world = World()
    world.store = FakeStore([big_invoice()], [make_provider()])
    patient.request_arrangement(
        REFERENCE,
        BirthDate(BIRTH_DATE),
        terms,
        PatientContext(world.store, FakeQueue(), world.clock),
    )
    return world


def test_r15_a_payment_during_an_arrangement_asks_the_term_due_not_everything():
    # Given a running arrangement of three terms
    world = arranged_world()
    first_term = world.invoice().arrangement.terms[0].amount_cents
    # When the patient pays
    checkout = world.start()
    # Then the bank is asked the first term, not the whole balance (issue 12 item 9)
    assert world.psp.get_payment(checkout.psp_payment_id).amount_cents == first_term
    assert first_term < world.invoice().amount_due_cents


def test_r15_the_patient_may_choose_to_pay_everything_during_an_arrangement():
    world = arranged_world()
    everything = world.invoice().amount_due_cents
    checkout = start_payment(REFERENCE, BirthDate(BIRTH_DATE), world.context(), pay_all=True)
    assert world.psp.get_payment(checkout.psp_payment_id).amount_cents == everything


@pytest.mark.parametrize("ended", ["canceled", "expired", "failed"])
def test_r11_a_payment_that_ended_never_blocks_a_new_one(world, ended):
    # Given a payment the patient cancelled at the bank ("Annuleren"), or that expired
    first = world.start()
    world.psp.complete(first.psp_payment_id, ended)
    world.webhook(first.psp_payment_id)
    # When the patient starts again, the same minute, for the same amount
    second = world.start()
    # Then it is a NEW payment with a checkout page, and completing it books the payment
    assert second.psp_payment_id != first.psp_payment_id and second.checkout_url
    world.psp.complete(second.psp_payment_id, PspStatus.PAID)
    assert world.webhook(second.psp_payment_id).decision is WebhookDecision.BOOKED
    assert world.invoice().amount_due_cents == 0


def test_r9_the_bank_sends_the_patient_back_in_the_language_they_started_in(world):
    checkout = start_payment(REFERENCE, BirthDate(BIRTH_DATE), world.context(), language="pl")
    back = world.psp.redirect_url(checkout.psp_payment_id)
    assert "lang=pl" in back and "terug=ideal" in back


def test_r11_r38_the_next_equal_term_paid_the_same_minute_is_a_new_payment_a_double_click_not():
    """Given a running arrangement of three equal terms (€ 103,33), the first paid by iDEAL
    and booked by the webhook before the bank sent the patient back
    When the patient, back on the checker, pays the next term of the same amount in the
    same minute, and clicks twice
    Then that is a new checkout with a page to pay on (R11: iDEAL pays what the checker
    asks), and the second click gets that same checkout, not a second payment (R38).
    Before, the PSP's idempotency key (kenmerk + amount + minute) gave back the paid first
    payment and the patient was told it was already received (409 payment_received)."""
    world = arranged_world()
    first = world.start()
    term = world.psp.get_payment(first.psp_payment_id).amount_cents
    world.psp.complete(first.psp_payment_id, "paid")
    assert world.webhook(first.psp_payment_id).decision is WebhookDecision.BOOKED
    world.clock.advance(seconds=20)
    second = world.start()
    assert second.psp_payment_id != first.psp_payment_id and second.checkout_url
    assert world.psp.get_payment(second.psp_payment_id).amount_cents == term
    world.clock.advance(seconds=2)
    assert world.start() == second  # the double click: one checkout
    world.psp.complete(second.psp_payment_id, "paid")
    assert world.webhook(second.psp_payment_id).decision is WebhookDecision.BOOKED
    assert len(world.payments_in_ledger()) >= 2


def test_r11_r38_a_double_click_across_a_minute_gets_one_checkout(world):
    """Given the patient clicks "Betaal met iDEAL" at hh:mm:59
    When the second click of the double click arrives at hh:mm+1:00
    Then it gets the same checkout (URL and payment), not a second payment at the PSP
    (R11, R38). Before, the PSP's idempotency key held the minute: two payments.
    And a click within the payment's open lifetime (10 minutes later) gets it too."""
    world.clock.advance(seconds=59 - world.clock.now().second)
    first = world.start()
    world.clock.advance(seconds=1)
    second = world.start()
    assert second.checkout_url == first.checkout_url and second == first
    world.clock.advance(minutes=10)
    assert world.start() == first
    assert len(world.checkouts.records) == 1


def test_r11_a_payment_expired_at_the_bank_or_long_ago_gives_a_new_checkout(world):
    """Given a checkout that expired at the PSP
    When the patient clicks Pay again two minutes later
    Then a new checkout (R11: an ended payment never blocks paying again), and the double
    click on that gets the new one again, not a third payment (R38).
    And a checkout left open longer than the PSP keeps it open (16 minutes) is not handed
    out again: the next click starts a new one."""
    first = world.start()
    world.psp.complete(first.psp_payment_id, "expired")
    world.clock.advance(minutes=2)
    second = world.start()
    assert second.psp_payment_id != first.psp_payment_id and second.checkout_url
    world.clock.advance(seconds=1)
    assert world.start() == second
    world.psp.complete(second.psp_payment_id, "canceled")
    third = world.start()
    assert third.psp_payment_id not in (first.psp_payment_id, second.psp_payment_id)
    assert world.start() == third
    world.clock.advance(minutes=16)
    fourth = world.start()
    assert fourth.psp_payment_id != third.psp_payment_id and fourth.checkout_url


def test_r11_the_key_kept_after_cancels_stays_short(world):
    """Given a patient who cancels at the bank six times in a row within a few minutes
    When they click Pay a seventh time
    Then a new checkout still (R11: ended payments never block; the chain of ended
    payments is followed from the last key kept, not from the first)."""
    for _ in range(6):
        checkout = world.start()
        world.psp.complete(checkout.psp_payment_id, "canceled")
        world.clock.advance(seconds=20)
    last = world.start()
    assert last.checkout_url and last.status is PspStatus.OPEN
    [(key, _)] = world.checkouts.keys.values()
    assert key.count("-after-") == 1


def test_r11_paid_at_the_bank_and_not_booked_yet_pay_again_is_still_refused(world):
    """Given a checkout the patient paid at the PSP, its webhook not yet arrived
    When the patient clicks Pay again the same minute
    Then no second payment: "payment_received" (R11, R38), as before."""
    first = world.start()
    world.psp.complete(first.psp_payment_id, "paid")
    world.clock.advance(seconds=5)
    with pytest.raises(StateConflict) as refused:
        world.start()
    assert refused.value.code == "payment_received"


def test_r11_r28_a_slow_webhook_that_read_pending_never_writes_over_the_booked_paid(world):
    """R11 (idempotent on PSP id + status, only a final "paid" changes money), R28 (no lost
    update). Audit psp2 P-1.

    Given a checkout whose webhook A asks the PSP and reads "pending" (iDEAL's bank step),
    and, before A writes down what it read, the patient's bank confirms and webhook B
    books the payment and marks the checkout paid
    When A goes on with its stale "pending"
    Then the checkout stays "paid", so the patient coming back from the bank reads
    "thank you, received", not "being processed" for a payment long booked."""
    from billing_core.payments.bank_return import returned_from_bank

    checkout = world.start()
    pid = checkout.psp_payment_id
    stale = replace(world.psp.get_payment(pid), status=PspStatus.PENDING)
    real_get = world.psp.get_payment

    def slow_read(psp_payment_id: str):
        world.psp.get_payment = real_get  # webhook B reads the PSP as it is
        world.psp.complete(pid, "paid")
        assert world.webhook(pid).decision is WebhookDecision.BOOKED
        return stale  # what A read before B ran

    world.psp.get_payment = slow_read
    outcome = world.webhook(pid)

    assert outcome.decision is WebhookDecision.NOT_PAID
    assert len(world.payments_in_ledger()) == 1
    assert world.checkouts.get_checkout(pid).status is PspStatus.PAID
    back = returned_from_bank(REFERENCE, pid, world.context())
    assert back is not None and back.booked and not back.awaiting_booking
