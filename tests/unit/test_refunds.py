"""An overpayment is kept as credit and refunded through the PSP, at most once (R13, R27)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from unittest.mock import Mock

import pytest

from billing_core.adapters.fake_psp import FakePsp
from billing_core.dunning.breakdown import breakdown
from billing_core.dunning.policy import DunningPolicy
from billing_core.entrypoints.http.psp_webhook import record_webhook_outcome
from billing_core.invoices.invoice import DunningStage, Invoice
from billing_core.invoices.ledger import Component, EntryKind
from billing_core.payments.booking import (
    IncomingPayment,
    apply_payment,
    apply_refund,
    book_payment,
    book_reversal,
)
from billing_core.payments.checkouts import CheckoutRecord
from billing_core.payments.online import OnlinePaymentContext, handle_psp_webhook
from billing_core.payments.psp import PaymentRequest, PspStatus, PspUnavailable
from billing_core.payments.refunds import (
    PendingRefund,
    RefundContext,
    RefundDecision,
    correct_refund_id,
    credit_refundable_by_bank,
    pending_refunds,
    psp_refund_status,
    read_ended_refunds,
    refund_overpayment,
    refundable_by_psp,
    with_psp_refund_status,
)
from billing_core.ports import ConcurrentChange
from billing_core.providers.retrocession import build_statement
from billing_core.providers.week import Week
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import NotFound, OperatorNotFound, UnknownInvoice
from tests.unit.factories import REFERENCE, make_invoice, make_provider
from tests.unit.fake_store import FakeStore, is_blocked
from tests.unit.faults import CallBudget, Faulty, Killed
from tests.unit.payment_fakes import CheckoutsInMemory

DUE = 3317  # the factory invoice
AT = datetime(2026, 11, 24, 10, 15, tzinfo=AMSTERDAM)


def overpaid(extra: int = 500, source: str = "psp", source_id: str = "tr_001") -> Invoice:
    return apply_payment(make_invoice(), IncomingPayment(source, source_id, DUE + extra, AT))


def refunds_in(invoice: Invoice) -> list:
    return [e for e in invoice.ledger if e.kind is EntryKind.REFUND]


# --- pure: apply_refund --------------------------------------------------------------------------


def test_a_refund_books_the_credit_back_to_zero():
    # Given € 5,00 paid too much (R13: kept as credit)
    invoice = overpaid(500)
    assert invoice.credit_cents == 500
    # When the refund of € 5,00 is booked
    refunded = apply_refund(invoice, "re_1", 500, AT, "psp:tr_001")
    # Then one REFUND entry on the principal raises the balance to zero (R27)
    [entry] = refunds_in(refunded)
    assert (entry.component, entry.amount_cents, entry.cause, entry.note) == (
        Component.PRINCIPAL,
        500,
        "psp:tr_001",
        "refund:re_1",
    )
    assert (refunded.credit_cents, refunded.amount_due_cents, refunded.balance_cents) == (0, 0, 0)
    assert refunded.is_paid
    # And the ledger only grew
    assert refunded.ledger[: len(invoice.ledger)] == invoice.ledger


def test_the_same_refund_twice_changes_nothing():
    once = apply_refund(overpaid(500), "re_1", 500, AT, "psp:tr_001")
    assert apply_refund(once, "re_1", 500, AT, "psp:tr_001") is once


def test_a_partial_refund_leaves_the_rest_as_credit():
    refunded = apply_refund(overpaid(500), "re_1", 200, AT, "psp:tr_001")
    assert refunded.credit_cents == 300


@pytest.mark.parametrize(
    ("refund_id", "amount", "at"),
    [("", 500, AT), ("re_1", 0, AT), ("re_1", -5, AT), ("re_1", 500, AT.replace(tzinfo=None))],
)
def test_a_malformed_refund_is_refused(refund_id, amount, at):
    with pytest.raises(ValueError):
        apply_refund(overpaid(500), refund_id, amount, at, "psp:tr_001")


# --- pure: what to refund -----------------------------------------------------------------------


def test_only_credit_that_came_in_by_psp_is_refundable_by_psp():
    assert refundable_by_psp(overpaid(500)) == ("tr_001", 500)
    assert refundable_by_psp(overpaid(500, source="bank", source_id="E-1")) is None
    assert refundable_by_psp(make_invoice()) is None


def test_a_psp_payment_on_a_paid_invoice_is_refunded_whole_and_not_more():
    # Given a bank transfer paid the invoice and € 2,00 too much, then an iDEAL payment came
    by_bank = overpaid(200, source="bank", source_id="E-1")
    both = apply_payment(by_bank, IncomingPayment("psp", "tr_002", DUE, AT))
    # Then the iDEAL payment is refunded whole; the bank's € 2,00 stays credit
    assert both.credit_cents == DUE + 200
    assert refundable_by_psp(both) == ("tr_002", DUE)


# --- the use case ------------------------------------------------------------------------------


class World:
    """An invoice paid € 5,00 too much by iDEAL, a fake PSP that took the money."""

    def __init__(self, extra: int = 500, invoice: Invoice | None = None) -> None:
        self.clock = FixedClock(AT)
        self.psp = FakePsp("https://zorgnota.example.org", self.clock)
        self.checkouts = CheckoutsInMemory()
        self.store = FakeStore([invoice or make_invoice()])
        invoice = self.store.invoice()
        request = PaymentRequest(DUE, "Nota", REFERENCE, "https://r", "https://w")
        checkout = self.psp.create_payment(request, "k1")
        self.psp_id = checkout.psp_payment_id
        self.checkouts.record_checkout(
            CheckoutRecord(
                self.psp_id,
                invoice.provider_id,
                invoice.invoice_id,
                REFERENCE,
                DUE,
                AT,
                PspStatus.OPEN,
            )
        )
        self.psp.complete(self.psp_id, "paid", amount_cents=DUE + extra)
        book_payment(
            self.store,
            REFERENCE,
            IncomingPayment("psp", self.psp_id, DUE + extra, AT),
            clock=self.clock,
        )

    @property
    def ctx(self) -> RefundContext:
        return RefundContext(self.store, self.checkouts, self.psp, self.clock)

    def refund(self):
        return refund_overpayment(REFERENCE, self.ctx)

    def invoice(self) -> Invoice:
        return self.store.invoice()


@pytest.fixture
def world() -> World:
    return World()


def test_an_overpayment_by_ideal_is_refunded_on_that_payment(world):
    # Given € 5,00 credit from an iDEAL payment (R13)
    # When the overpayment is refunded
    outcome = world.refund()
    # Then the PSP pays € 5,00 back on that payment, and the refund is booked
    assert outcome.decision is RefundDecision.REFUNDED
    assert (outcome.psp_payment_id, outcome.amount_cents, outcome.credit_left_cents) == (
        world.psp_id,
        500,
        0,
    )
    assert world.psp.refunds(world.psp_id) == (outcome.refund_id,)
    invoice = world.invoice()
    [entry] = refunds_in(invoice)
    assert (entry.amount_cents, entry.cause) == (500, f"psp:{world.psp_id}")
    assert (invoice.credit_cents, invoice.amount_due_cents) == (0, 0)
    assert pending_refunds(invoice) == ()


def test_refunding_again_refunds_nothing_more(world):
    world.refund()
    version = world.invoice().version
    outcome = world.refund()
    assert outcome.decision is RefundDecision.NOTHING_TO_REFUND
    assert len(world.psp.refunds(world.psp_id)) == 1 and world.invoice().version == version


def test_the_intent_is_written_before_the_psp_is_asked(world):
    # Given a PSP that records what the invoice looked like when it was asked
    seen = []
    refund = world.psp.refund

    def watching(psp_id, amount, description):
        seen.append(pending_refunds(world.invoice()))
        return refund(psp_id, amount, description)

    world.psp.refund = watching  # type: ignore[method-assign]
    world.refund()
    # Then the stored invoice already showed the refund as pending at that moment
    assert seen == [(PendingRefund(world.psp_id, 500),)]


def test_a_crash_after_asking_the_psp_never_refunds_twice(world):
    # Given the PSP refunded, but the booking never happened (the process died)
    def crash_on_booking(invoice):
        if any(e.kind is EntryKind.REFUND for e in invoice.ledger):
            raise SystemExit("crash")
        return FakeStore.save_invoice(world.store, invoice)

    world.store.save_invoice = crash_on_booking  # type: ignore[method-assign]
    with pytest.raises(SystemExit):
        world.refund()
    del world.store.save_invoice
    # When it is tried again (a retried webhook)
    outcome = world.refund()
    # Then the PSP is not asked again: the refund shows as pending, the credit still shows
    assert outcome.decision is RefundDecision.PENDING and outcome.needs_attention
    assert (outcome.psp_payment_id, outcome.amount_cents) == (world.psp_id, 500)
    assert len(world.psp.refunds(world.psp_id)) == 1
    assert pending_refunds(world.invoice()) == (PendingRefund(world.psp_id, 500),)
    # And a person who finds the refund at the PSP books it, and the pending state is gone
    [refund_id] = world.psp.refunds(world.psp_id)
    booked = apply_refund(world.invoice(), refund_id, 500, AT, f"psp:{world.psp_id}")
    assert pending_refunds(booked) == () and booked.credit_cents == 0


def test_a_failing_psp_leaves_the_refund_pending_and_is_not_asked_again(world):
    # Given the PSP cannot be reached (did the refund happen? unknown)
    def unreachable(psp_id, amount, description):
        raise PspUnavailable("ConnectionError")

    world.psp.refund = unreachable  # type: ignore[method-assign]
    outcome = world.refund()
    assert outcome.decision is RefundDecision.PENDING and outcome.credit_left_cents == 500
    # When it is tried again with the PSP back
    del world.psp.refund
    assert world.refund().decision is RefundDecision.PENDING
    # Then nothing was refunded twice (here: not at all); the credit stays shown
    assert world.psp.refunds(world.psp_id) == () and world.invoice().credit_cents == 500


def test_a_concurrent_change_before_the_intent_is_read_again_and_refunded_once(world):
    # Given someone else writes the invoice between our read and our intent (R28)
    save = world.store.save_invoice
    conflicts = []

    def conflict_once(invoice):
        if not conflicts:
            conflicts.append(invoice.version)
            raise ConcurrentChange(invoice.invoice_id)
        return save(invoice)

    world.store.save_invoice = conflict_once  # type: ignore[method-assign]
    outcome = world.refund()
    assert outcome.decision is RefundDecision.REFUNDED
    assert len(world.psp.refunds(world.psp_id)) == 1 and world.invoice().credit_cents == 0


def test_credit_from_a_bank_transfer_stays_credit_and_is_shown():
    # Given € 2,00 paid too much by bank transfer
    store = FakeStore([make_invoice()])
    clock = FixedClock(AT)
    book_payment(store, REFERENCE, IncomingPayment("bank", "E-1", DUE + 200, AT), clock=clock)
    psp = FakePsp("https://zorgnota.example.org", clock)
    # When an overpayment refund is asked
    outcome = refund_overpayment(REFERENCE, RefundContext(store, CheckoutsInMemory(), psp, clock))
    # Then nothing goes through the PSP: the provider refunds it by bank; the credit shows
    assert outcome.decision is RefundDecision.KEPT_AS_CREDIT and outcome.needs_attention
    assert outcome.credit_left_cents == 200 == store.invoice().credit_cents
    assert refunds_in(store.invoice()) == []


def test_a_psp_payment_we_did_not_start_for_this_invoice_is_not_refunded(world):
    record = world.checkouts.records[world.psp_id]
    world.checkouts.records[world.psp_id] = replace(record, invoice_id="another-invoice")
    assert world.refund().decision is RefundDecision.KEPT_AS_CREDIT
    assert world.psp.refunds(world.psp_id) == ()


def test_no_credit_nothing_to_refund():
    store = FakeStore([make_invoice()])
    clock = FixedClock(AT)
    psp = FakePsp("https://zorgnota.example.org", clock)
    outcome = refund_overpayment(REFERENCE, RefundContext(store, CheckoutsInMemory(), psp, clock))
    assert outcome.decision is RefundDecision.NOTHING_TO_REFUND
    assert "save_invoice" not in store.calls


def test_an_unknown_reference_is_not_found():
    clock = FixedClock(AT)
    with pytest.raises(NotFound):
        refund_overpayment(
            "12345678901234",
            RefundContext(
                FakeStore([make_invoice()]),
                CheckoutsInMemory(),
                FakePsp("https://zorgnota.example.org", clock),
                clock,
            ),
        )


def test_an_unknown_reference_is_not_found_in_the_operators_words():
    """R34, R13 (stop 41's note: refunds._read). Given no invoice with the kenmerk
    When its overpayment is to be refunded
    Then the answer is the operator's UnknownInvoice (404, "no invoice
    has this payment reference"), not the checker's sentence to a patient about "these
    details": nobody who reads it entered a birth date."""
    clock = FixedClock(AT)
    ctx = RefundContext(
        FakeStore([make_invoice()]),
        CheckoutsInMemory(),
        FakePsp("https://zorgnota.example.org", clock),
        clock,
    )
    with pytest.raises(UnknownInvoice) as unknown:
        refund_overpayment("12345678901234", ctx)
    assert isinstance(unknown.value, OperatorNotFound)
    assert unknown.value.said_as == "unknown_kenmerk"
    assert "details" not in unknown.value.message_en


@pytest.mark.parametrize("gone_from", ["the index", "the table"])
def test_an_invoice_gone_between_two_reads_is_not_found_and_nothing_is_refunded(world, gone_from):
    """R13, R34, legal-nl.md §8 (stop 41's note: refunds._read). Given € 5,00 credit from
    an iDEAL payment, and the invoice gone after the payment's booking read it (its
    retention ended): no longer in the reference index, or still in the index's copy
    but not in the strongly consistent read
    When its overpayment is to be refunded
    Then the answer is the operator's UnknownInvoice and the PSP is not asked (before:
    the patient's NotFound; or the refund asked and booked on the index's stale copy)."""
    if gone_from == "the index":
        world.store.find_invoice_by_reference = lambda reference: None
    else:
        world.store.get_invoice = lambda *args, **kwargs: None

    with pytest.raises(UnknownInvoice):
        world.refund()

    assert world.psp.refunds(world.psp_id) == ()


# --- a claim at the collection agency (R22, R34; round 38 small2) ----------------------------------


def paid_twice_at_the_agency() -> World:
    """A claim at the agency paid in full by a bank transfer (E-1: the patient unblocked),
    then again by iDEAL: all of that credit, its refund asked of the PSP."""
    at_agency = make_invoice(dunning_stage=DunningStage.WITH_COLLECTION_AGENCY)
    by_bank = apply_payment(at_agency, IncomingPayment("bank", "E-1", DUE, AT))
    world = World(extra=0, invoice=by_bank)
    assert world.invoice().credit_cents == DUE
    return world


def blocked(world: World) -> bool:
    invoice = world.invoice()
    return is_blocked(world.store, invoice.provider_id, invoice.patient_ref)


def refunded_while_the_bank_returns_the_transfer(world: World):
    """The PSP asked to refund the iDEAL payment while the bank returns the transfer (the
    claim still settled then: the iDEAL money pays it)."""
    refund = world.psp.refund

    def returned_meanwhile(psp_id, amount, description):
        book_reversal(world.store, REFERENCE, "E-1", "R-1", DUE, clock=world.clock)
        assert world.invoice().is_paid and not blocked(world)
        return refund(psp_id, amount, description)

    world.psp.refund = returned_meanwhile  # type: ignore[method-assign]
    return world.refund()


def test_a_psp_refund_booked_after_a_bank_return_blocks_the_agency_s_patient_again():
    """R22, R34: Given a claim at the agency paid by bank and again by iDEAL
    When the bank returns the transfer while the PSP refunds the iDEAL payment
    Then the refund is booked, the claim is owed again, and the patient is blocked again,
    as after a return of a payment."""
    world = paid_twice_at_the_agency()
    outcome = refunded_while_the_bank_returns_the_transfer(world)

    assert (outcome.decision, outcome.amount_cents) == (RefundDecision.REFUNDED, DUE)
    assert world.invoice().amount_due_cents == DUE
    assert blocked(world)


def test_a_refund_the_psp_reports_failed_settles_the_agency_s_claim_again():
    """R22, R13: Given the patient blocked again by that refund
    When the PSP reports the refund failed (nothing reached the patient)
    Then the credit is back, the claim settled again, and the patient unblocked."""
    world = paid_twice_at_the_agency()
    refunded = refunded_while_the_bank_returns_the_transfer(world)
    assert blocked(world)

    world.psp.end_refund(world.psp_id, refunded.refund_id, "failed")
    failed = read_ended_refunds(REFERENCE, world.psp_id, world.ctx)

    assert failed is not None and failed.decision is RefundDecision.FAILED
    assert world.invoice().is_paid and not blocked(world)


# --- a crash between the invoice's save and the block (R22, R34; round 38 small3) -----------------


def webhook(world: World, store: Any = None):
    """The PSP's webhook of the iDEAL payment, handled on ``store`` (the world's by default)."""
    ctx = OnlinePaymentContext(
        store or world.store,
        world.checkouts,
        world.psp,
        world.clock,
        "https://zorgnota.example.org",
    )
    return handle_psp_webhook(world.psp_id, ctx)


def killed_before(call: str, act: Callable[[World, Any], object]) -> World:
    """A claim at the agency paid twice (``paid_twice_at_the_agency``) after ``act`` ran on
    its store killed just before its first ``call`` (faults.py): what was saved before it
    stays saved. ``act`` first runs whole on another such world to count the calls."""
    whole = CallBudget(None)
    dry = paid_twice_at_the_agency()
    act(dry, Faulty(dry.store, whole))
    world = paid_twice_at_the_agency()
    with pytest.raises(Killed):
        act(world, Faulty(world.store, CallBudget(whole.made.index(call))))
    return world


def refund_by_the_webhook_while_the_bank_returns_the_transfer(world: World, store: Any) -> None:
    refund = world.psp.refund

    def returned_meanwhile(psp_id, amount, description):
        book_reversal(world.store, REFERENCE, "E-1", "R-1", DUE, clock=world.clock)
        return refund(psp_id, amount, description)

    world.psp.refund = returned_meanwhile  # type: ignore[method-assign]
    webhook(world, store)


@pytest.mark.parametrize(
    "again", [webhook, World.refund], ids=["the webhook again", "refund_overpayment again"]
)
def test_a_crash_between_the_refund_s_booking_and_the_block_is_repaired_by_the_retry(again):
    """R22, R34: Given a claim at the agency paid by bank and again by iDEAL, and the
    webhook refunding the iDEAL payment while the bank returns the transfer
    When the process dies after the refund is booked (the claim owed again) and before the
    patient is blocked, and the PSP retries (the webhook answered with an error)
    Then the retry blocks the patient, as ``book_reversal`` repairs its own crash, and asks
    the PSP for no second refund."""
    world = killed_before(
        "block_patient", refund_by_the_webhook_while_the_bank_returns_the_transfer
    )
    assert world.invoice().amount_due_cents == DUE and not blocked(world)

    again(world)

    assert blocked(world)
    assert len(world.psp.refunds(world.psp_id)) == 1 and len(refunds_in(world.invoice())) == 1


class LaggingIndex:
    """The store with its reference index behind (DynamoDB's is eventually consistent):
    ``find_invoice_by_reference`` answers ``seen``, every other call is the store's."""

    def __init__(self, store: FakeStore, seen: Invoice) -> None:
        self._store, self._seen = store, seen

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def find_invoice_by_reference(self, reference: str) -> Invoice | None:
        return self._seen


def test_the_webhook_s_retry_blocks_by_the_invoice_as_stored_not_as_its_index_lags():
    """R22, R34 (one block on the webhook's path, round 39): Given the crash between the
    refund's booking and the block (the claim owed again, the patient not blocked)
    When the PSP retries while the reference index still shows the invoice before the
    refund's booking (the bank's return booked: settled, no credit left)
    Then the retry blocks the patient: it goes through refund_overpayment, which decides
    on the invoice read strongly consistent (the webhook's own block, before, decided on
    what the booking found by the index, and blocked no one)."""
    world = killed_before(
        "block_patient", refund_by_the_webhook_while_the_bank_returns_the_transfer
    )
    stored = world.invoice()
    before_the_refund = replace(stored, ledger=stored.ledger[:-1])
    assert refunds_in(stored) == [stored.ledger[-1]] and not blocked(world)
    assert before_the_refund.is_paid and before_the_refund.credit_cents == 0

    webhook(world, LaggingIndex(world.store, before_the_refund))

    assert blocked(world)
    assert len(world.psp.refunds(world.psp_id)) == 1 and len(refunds_in(world.invoice())) == 1


def failed_at_the_psp_after_the_block(world: World, store: Any) -> None:
    """The webhook's refund booked and the patient blocked again, then the PSP reports the
    refund failed: the webhook reads that on ``store``."""
    refund_by_the_webhook_while_the_bank_returns_the_transfer(world, world.store)
    assert blocked(world)
    [refund_id] = world.psp.refunds(world.psp_id)
    world.psp.end_refund(world.psp_id, refund_id, "failed")
    webhook(world, store)


def test_a_crash_between_undoing_a_failed_refund_and_the_release_is_repaired_by_the_retry():
    """R22, R13: Given the patient blocked again by a refund the PSP then reports failed
    When the process dies after the credit is put back (the claim settled again) and before
    the patient is released, and the PSP calls the webhook again
    Then the retry releases the patient; the credit is put back once."""
    world = killed_before("release_claim", failed_at_the_psp_after_the_block)
    assert world.invoice().is_paid and blocked(world)

    webhook(world)

    assert world.invoice().is_paid and not blocked(world)
    assert [e.amount_cents for e in refunds_in(world.invoice())] == [DUE, -DUE]


# --- the webhook asks the PSP only of refunds not final yet (audit security2, "1 + N") --------


class RecordingPsp:
    """The fake PSP with each call made to it recorded: (method, its arguments)."""

    def __init__(self, psp: FakePsp) -> None:
        self.psp = psp
        self.calls: list[tuple[object, ...]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.psp, name)

        def call(*args: Any) -> Any:
            self.calls.append((name, *args))
            return method(*args)

        return call


def two_refunds_booked_the_old_way() -> tuple[World, str, str]:
    """An iDEAL payment booked (its checkout paid) with € 5,00 credit, refunded in two
    refunds the PSP made (€ 2,00 and € 3,00), both booked without a status kept, as every
    refund was stored before its status was."""
    world = World(extra=500)
    first, _ = world.psp.refund(world.psp_id, 200, "Terugbetaling")
    second, _ = world.psp.refund(world.psp_id, 300, "Terugbetaling")
    cause = f"psp:{world.psp_id}"
    booked = apply_refund(
        apply_refund(world.invoice(), first, 200, AT, cause), second, 300, AT, cause
    )
    world.store.save_invoice(booked)
    world.checkouts.set_checkout_status(world.psp_id, PspStatus.PAID)
    return world, first, second


def psp_calls_of_the_webhook(world: World) -> list[tuple[object, ...]]:
    recording = RecordingPsp(world.psp)
    world.psp = recording  # type: ignore[assignment]
    try:
        webhook(world)
    finally:
        world.psp = recording.psp
    return recording.calls


def test_a_refund_stored_without_its_status_is_asked_of_the_psp():
    """R13, backward compatible: Given a payment's two refunds booked without a status
    kept (stored before it was), When its webhook comes, Then the PSP is asked about the
    payment and about both refunds (neither is known final), and what it said is kept."""
    world, first, second = two_refunds_booked_the_old_way()

    calls = psp_calls_of_the_webhook(world)

    assert calls == [
        ("get_payment", world.psp_id),
        ("refund_status", world.psp_id, first),
        ("refund_status", world.psp_id, second),
    ]
    invoice = world.invoice()
    assert (psp_refund_status(invoice, first), psp_refund_status(invoice, second)) == (
        "pending",
        "pending",
    )


def test_the_webhook_asks_the_psp_only_of_refunds_not_final_yet():
    """R13; audit security2 ("1 + N": anyone who knows a booked payment's id made us ask
    the PSP about every refund booked on it, on every POST). Given a payment with two
    refunds, the PSP's webhook having read one as refunded (final: it never changes
    again) and the other as pending
    When the webhook comes again, and again
    Then the PSP is asked about the payment and the pending refund only; the statuses kept
    did not change, so the invoice is not written."""
    world, first, second = two_refunds_booked_the_old_way()
    world.psp.end_refund(world.psp_id, first, "refunded")
    webhook(world)
    invoice = world.invoice()
    assert (psp_refund_status(invoice, first), psp_refund_status(invoice, second)) == (
        "refunded",
        "pending",
    )

    for _ in range(2):
        calls = psp_calls_of_the_webhook(world)

        assert calls == [("get_payment", world.psp_id), ("refund_status", world.psp_id, second)]
        assert world.invoice() == invoice


def test_a_refund_s_status_is_kept_each_time_it_changes_and_once():
    """R13, R28: Given a refund read as pending
    When the PSP reports it processing, then failed (the patient's account closed)
    Then each status is written once, in place of the one before (one per refund); the
    failed one puts the credit back, and the refund, final, is never asked again."""
    world, first, second = two_refunds_booked_the_old_way()
    webhook(world)
    world.psp.end_refund(world.psp_id, second, "processing")
    webhook(world)
    assert psp_refund_status(world.invoice(), second) == "processing"

    world.psp.end_refund(world.psp_id, second, "failed")
    webhook(world)

    invoice = world.invoice()
    assert psp_refund_status(invoice, second) == "failed"
    statuses = [m for m in invoice.applied_payments if m.startswith("refund-status:")]
    assert statuses == [f"refund-status:{first}:pending", f"refund-status:{second}:failed"]
    assert invoice.credit_cents == 300
    assert psp_calls_of_the_webhook(world) == [
        ("get_payment", world.psp_id),
        ("refund_status", world.psp_id, first),
    ]


@pytest.mark.parametrize("final", ["refunded", "failed", "canceled"])
@pytest.mark.parametrize("stale", ["pending", "processing"])
def test_a_final_status_is_never_replaced_by_one_read_before_it(final, stale):
    """R13, R28 (audit races, observation A): Given a refund whose kept status is final
    When a webhook that read the refund before it ended saves last (two webhooks at once)
    Then the final status stays: the refund is not asked of the PSP for ever after."""
    world, _, second = two_refunds_booked_the_old_way()
    ended = with_psp_refund_status(world.invoice(), second, final)
    assert with_psp_refund_status(ended, second, stale) is ended
    assert psp_refund_status(with_psp_refund_status(ended, second, stale), second) == final


# --- a refund id the PSP does not know, booked before ids were checked (audit security3) -------


def refunds_booked_with_an_id_the_psp_does_not_know() -> tuple[World, str]:
    """An iDEAL payment with € 5,00 credit, refunded in two refunds the PSP made (€ 2,00 and
    € 3,00): the first booked by an operator, before ids were checked, under the payment's
    own id (tr_...), the PSP's refund id not known to us; the second booked with its own."""
    world = World(extra=500)
    world.psp.refund(world.psp_id, 200, "Terugbetaling")
    second, _ = world.psp.refund(world.psp_id, 300, "Terugbetaling")
    cause = f"psp:{world.psp_id}"
    booked = apply_refund(
        apply_refund(world.invoice(), world.psp_id, 200, AT, cause), second, 300, AT, cause
    )
    world.store.save_invoice(booked)
    world.checkouts.set_checkout_status(world.psp_id, PspStatus.PAID)
    return world, second


def test_a_booked_refund_id_the_psp_does_not_know_does_not_stop_the_webhook():
    """R13, R11 (audit security3 SEC3-2): the PSP's answer to an id it has no refund of
    failed the whole webhook (5xx, on every call), so the payment's other refunds were
    never read and a failed one never put the credit back.
    Given a refund booked under an id the PSP does not know, and a second refund that
    failed at the PSP afterwards
    When the payment's webhook comes (twice)
    Then the failed one is undone (its € 3,00 held for the patient again, Refund_failed),
    the unknown one is skipped, and the webhook ends normally; at the next call the
    unknown one is said (unknown_at_psp), asked again, and nothing is booked twice."""
    world, second = refunds_booked_with_an_id_the_psp_does_not_know()
    world.psp.end_refund(world.psp_id, second, "failed")

    first = webhook(world)

    assert first.refund is not None and first.refund.decision is RefundDecision.FAILED
    assert (first.refund.refund_id, first.refund.amount_cents) == (second, 300)
    invoice = world.invoice()
    assert invoice.credit_cents == 300
    assert psp_refund_status(invoice, second) == "failed"
    assert psp_refund_status(invoice, world.psp_id) is None
    again = webhook(world)
    assert again.refund is not None
    assert again.refund.decision is RefundDecision.UNKNOWN_AT_PSP and again.refund.needs_attention
    assert (again.refund.refund_id, again.refund.amount_cents) == (world.psp_id, 200)
    assert world.invoice() == invoice


def test_a_refund_id_corrected_later_keeps_the_day_it_paid_back_and_its_week():
    """R13, R24, R27 (brief refund51 item 1): the correction booked the refund again at
    the operator's moment, so the checker said it paid back on the correction's day.
    Given € 5,00 credit refunded on Thursday 26 November (ISO week 48), booked under the
    payment's own id before ids were checked
    When an operator corrects it to the PSP's refund id on Tuesday 8 December (week 50)
    Then the checker's refund day stays 26 November, the refund is in week 48's statement
    once, and week 50's shows the correction's two entries, recorded then, cancelling
    out: nothing more refunded, the payout unchanged."""
    refunded_at = datetime(2026, 11, 26, 10, 0, tzinfo=AMSTERDAM)
    corrected_at = datetime(2026, 12, 8, 9, 30, tzinfo=AMSTERDAM)
    credit = overpaid(500)
    refunded = apply_refund(credit, "tr_001", 500, refunded_at, "psp:tr_001")

    corrected = correct_refund_id(refunded, "tr_001", "tr_001", "re_real", "bob", corrected_at)

    parts = breakdown(corrected, DunningPolicy(), date(2026, 12, 20))
    assert (parts.refunded_cents, parts.refunded_on, corrected.credit_cents) == (
        500,
        date(2026, 11, 26),
        0,
    )
    practice = make_provider(provider_id=corrected.provider_id)
    weeks = {
        label: build_statement(practice, Week.parse(label), [corrected])
        for label in ("2026-W48", "2026-W49", "2026-W50")
    }
    assert {label: week.refunded_cents for label, week in weeks.items()} == {
        "2026-W48": 500,
        "2026-W49": 0,
        "2026-W50": 0,
    }
    pair = [line for line in weeks["2026-W50"].lines if line.kind is EntryKind.REFUND]
    assert [(line.amount_cents, line.note, line.at) for line in pair] == [
        (-500, "refund-id-corrected:tr_001", refunded_at),
        (500, "refund:re_real", refunded_at),
    ]
    assert [e.recorded for e in corrected.ledger[len(refunded.ledger) :]] == [corrected_at] * 2


# --- a refund that fails at the PSP while its booking is in flight (audit races RACES1) ---------


def failed_at_the_psp_before_its_booking(world: World) -> list[Any]:
    """The PSP makes the refund, it fails there (the patient's account closed) and the PSP's
    webhook for that is handled, all before the refund's answer reaches us: the webhooks
    handled meanwhile."""
    refund = world.psp.refund
    meanwhile = []

    def fails_right_away(psp_id, amount, description):
        refund_id, status = refund(psp_id, amount, description)
        world.psp.end_refund(psp_id, refund_id, "failed")
        meanwhile.append(webhook(world))  # nothing booked yet: it finds nothing to read
        return refund_id, status

    world.psp.refund = fails_right_away  # type: ignore[method-assign]
    return meanwhile


def test_a_refund_that_fails_before_its_booking_is_saved_is_undone_by_the_booking():
    """R13, R11, R28 (audit races RACES1): the webhook reads only booked refunds, so one
    that failed between the PSP's answer and our save was booked as paid back, pending,
    and never read again: credit 0, nothing reached the patient, no alarm.
    Given an iDEAL payment EUR 5.00 over the amount due, and a PSP whose refund fails, its
    webhook handled, before its answer reaches us
    When the payment's webhook books the payment and refunds the credit
    Then the refund booked is read once more after its save: undone (refund-not-paid),
    status failed, the EUR 5.00 held for the patient again and refundable by bank, and the
    webhook reports it failed (Refund_failed)."""
    world = World(extra=500)
    meanwhile = failed_at_the_psp_before_its_booking(world)

    outcome = webhook(world)

    # The race: the webhook meanwhile found the refund asked and not booked (pending)
    assert [m.refund.decision for m in meanwhile] == [RefundDecision.PENDING]
    assert outcome.refund is not None and outcome.refund.decision is RefundDecision.FAILED
    assert (outcome.refund.amount_cents, outcome.refund.credit_left_cents) == (500, 500)
    invoice = world.invoice()
    [refund_id] = world.psp.refunds(world.psp_id)
    assert [(e.amount_cents, e.note) for e in refunds_in(invoice)] == [
        (500, f"refund:{refund_id}"),
        (-500, f"refund-not-paid:{refund_id}"),
    ]
    assert psp_refund_status(invoice, refund_id) == "failed"
    assert (invoice.credit_cents, credit_refundable_by_bank(invoice)) == (500, 500)
    metrics = RecordedMetrics()
    record_webhook_outcome(outcome, logger=Mock(), metrics=metrics)  # type: ignore[arg-type]
    assert "Refund_failed" in metrics.names


class RecordedMetrics:
    def __init__(self) -> None:
        self.names: list[str] = []

    def add_metric(self, name: str, unit: object, value: float) -> None:
        self.names.append(name)


def test_a_refund_booked_pending_costs_one_psp_call_more_and_stays_booked():
    """R13, R11 (audit races RACES1): Given an iDEAL payment EUR 5.00 over the amount due
    When its webhook books the payment and refunds the credit (the PSP answers pending)
    Then the PSP is asked for the payment, the refund, and the refund's status once more
    after its booking (pending still: it stays booked, its own webhook reads it on)."""
    world = World(extra=500)

    calls = psp_calls_of_the_webhook(world)

    [refund_id] = world.psp.refunds(world.psp_id)
    assert calls == [
        ("get_payment", world.psp_id),
        ("refund", world.psp_id, 500, f"Terugbetaling teveel betaald, nota {REFERENCE}"),
        ("refund_status", world.psp_id, refund_id),
    ]
    invoice = world.invoice()
    assert invoice.credit_cents == 0 and psp_refund_status(invoice, refund_id) == "pending"


def test_a_psp_unreachable_when_the_booked_refund_is_read_again_leaves_the_booking():
    """R13 (audit races RACES1): Given the PSP makes the refund and then cannot be reached
    When the refund booked pending is read once more
    Then the booking stands (credit 0, refunded), nothing raised: the refund is read at
    the payment's next webhook."""
    world = World(extra=500)

    def unreachable(psp_id, refund_id):
        raise PspUnavailable("ConnectionError")

    world.psp.refund_status = unreachable  # type: ignore[method-assign]
    outcome = world.refund()

    assert outcome.decision is RefundDecision.REFUNDED and world.invoice().credit_cents == 0
