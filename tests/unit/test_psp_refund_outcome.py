"""A refund asked of the PSP and never confirmed (pending), settled by an operator with
what the PSP says: refunded (booked as the webhook books it) or failed (the credit is
refundable by bank again) (R13, R27, R34, R38; round 35)."""

from __future__ import annotations

from datetime import date, datetime
from unittest.mock import Mock

import pytest
from pydantic import ValidationError

from billing_core.collection.blocking import BlockChangeKind
from billing_core.entrypoints.http.operator_models import PspRefundOutcomeIn
from billing_core.invoices.invoice import DunningStage
from billing_core.invoices.ledger import EntryKind
from billing_core.payments.booking import (
    IncomingPayment,
    apply_payment,
    book_payment,
    book_reversal,
)
from billing_core.payments.refunds import (
    RefundContext,
    RefundDecision,
    RefundOutcome,
    pending_refunds,
    psp_refund_status,
    read_ended_refunds,
    with_refund_intent,
)
from billing_core.services.operator.money_out import (
    RefundRequest,
    held_credits,
    propose_refunds,
    settle_psp_refund,
)
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import Refused, StateConflict
from billing_core.texts.practice import validation_reasons
from tests.unit.factories import REFERENCE, make_invoice, make_provider
from tests.unit.fake_store import blocked_numbers, is_blocked
from tests.unit.money_out_world import MoneyOutWorld, RefundsAtThePsp, new_request

DUE = 3317  # what make_invoice's patient owes
PAID_AT = datetime(2026, 11, 24, 12, 0, tzinfo=AMSTERDAM)
BLOCKED, UNBLOCKED = BlockChangeKind.BLOCKED, BlockChangeKind.UNBLOCKED


@pytest.fixture
def world() -> MoneyOutWorld:
    """The patient paid EUR 7.00 too much by iDEAL (tr_1); its automatic PSP refund timed
    out: pending, maybe paid."""
    world = MoneyOutWorld()
    world.store.put_provider(make_provider())
    invoice = apply_payment(make_invoice(), IncomingPayment("psp", "tr_1", DUE + 700, PAID_AT))
    world.store.put_invoice_as_is(with_refund_intent(invoice, "tr_1", 700))
    world.clock.set(date(2026, 11, 26))
    # The refunds the PSP's dashboard shows on tr_1 (re_10: a second one, said later)
    world.psp.statuses |= {("tr_1", "re_9"): "refunded", ("tr_1", "re_10"): "refunded"}
    return world


def settle(world: MoneyOutWorld, outcome: str, refund_id: str = "", who: str = "operator-bob"):
    return settle_psp_refund(REFERENCE, "tr_1", outcome, refund_id, who, world.ctx)[0]


def refunds(world: MoneyOutWorld) -> list[tuple[int, str]]:
    invoice = world.store.invoice()
    return [(e.amount_cents, e.cause) for e in invoice.ledger if e.kind is EntryKind.REFUND]


def test_a_refund_the_psp_confirms_is_booked_once_as_the_webhook_books_it(world):
    """R13, R27: Given the pending iDEAL refund, and the PSP's dashboard shows it refunded
    (re_9)
    When an operator records that, and again (a retry)
    Then one REFUND entry of EUR 7.00 on psp:tr_1 (as the webhook books it): the credit is
    gone, nothing is pending, and the invoice records who said so and when."""
    held = settle(world, "refunded", "re_9")
    again = settle(world, "refunded", "re_9")
    assert refunds(world) == [(700, "psp:tr_1")]
    assert held == again
    assert (held.credit_cents, held.psp_refund_pending) == (0, False)
    invoice = world.store.invoice()
    assert pending_refunds(invoice) == ()
    assert any(
        "refunded:psp:tr_1 by operator-bob at 2026-11-26" in m for m in invoice.applied_payments
    )


def test_a_refund_the_psp_says_failed_makes_the_credit_refundable_by_bank(world):
    """R13, R34: Given the pending iDEAL refund, and the PSP says it failed
    When an operator records that (twice: a retry)
    Then nothing is booked, nothing is pending, and the EUR 7.00 is refundable by bank: a
    bank refund of it is proposed."""
    [before] = held_credits(world.ctx)[0]
    assert (before.by_bank_cents, before.psp_refund_pending) == (0, True)
    assert before.psp_payments_pending == ("tr_1",)
    held = settle(world, "failed")
    assert settle(world, "failed") == held
    assert refunds(world) == []
    assert (held.credit_cents, held.by_bank_cents, held.psp_refund_pending) == (700, 700, False)
    request = RefundRequest(REFERENCE, "NL39RABO0300065264", "A. Visser")
    assert (
        propose_refunds([request], "operator-anna", world.ctx, cause=new_request()).total_cents
        == 700
    )


@pytest.mark.parametrize(
    ("first", "then", "code"),
    [
        (("failed", ""), ("refunded", "re_9"), "psp_refund_settled"),  # may be paid by bank
        (("refunded", "re_9"), ("failed", ""), "psp_refund_settled"),
        (("refunded", "re_9"), ("refunded", "re_10"), "psp_refund_settled"),  # a second one
    ],
)
def test_a_settled_refund_is_not_settled_otherwise(world, first, then, code):
    """R13 (paid back once): what the PSP said is recorded once; another outcome after it
    is refused (409) and changes nothing."""
    settle(world, *first)
    before = world.store.invoice()
    with pytest.raises(StateConflict) as refusal:
        settle(world, *then)
    assert refusal.value.code == code
    assert world.store.invoice() == before


def test_a_payment_without_a_refund_asked_is_refused(world):
    """R13: no refund of tr_2 was asked of the PSP: nothing to settle (409)."""
    with pytest.raises(Refused) as refusal:
        settle_psp_refund(REFERENCE, "tr_2", "failed", "", "operator-bob", world.ctx)
    assert refusal.value.code == "no_psp_refund_pending"


def test_a_partial_refund_made_in_the_dashboard_books_what_was_paid_and_the_rest_goes_by_bank(
    world,
):
    """R13 (kept and refunded, never dropped), R34: Given the pending iDEAL refund of EUR
    7.00, of which the operator refunded only EUR 5.00 by hand in the PSP's dashboard (re_9)
    When the operator records that refund with its amount, and again (a retry)
    Then one REFUND entry of EUR 5.00 on psp:tr_1, nothing pending, and the EUR 2.00 left
    is refundable by bank: a bank refund of it is proposed; the record says who and when."""
    held, _ = settle_psp_refund(
        REFERENCE, "tr_1", "refunded", "re_9", "operator-bob", world.ctx, 500
    )
    again, _ = settle_psp_refund(
        REFERENCE, "tr_1", "refunded", "re_9", "operator-bob", world.ctx, 500
    )
    assert refunds(world) == [(500, "psp:tr_1")]
    assert held == again
    assert (held.credit_cents, held.by_bank_cents, held.psp_refund_pending) == (200, 200, False)
    invoice = world.store.invoice()
    assert any(
        "refunded:psp:tr_1 by operator-bob at 2026-11-26" in m for m in invoice.applied_payments
    )
    request = RefundRequest(REFERENCE, "NL39RABO0300065264", "A. Visser")
    assert (
        propose_refunds([request], "operator-anna", world.ctx, cause=new_request()).total_cents
        == 200
    )


@pytest.mark.parametrize(
    ("first", "then"),
    [(500, 600), (None, 500)],  # None: the amount asked of the PSP (EUR 7.00)
)
def test_a_recorded_refund_amount_is_not_recorded_otherwise(world, first, then):
    """R13 (paid back once): the same refund id recorded again with another amount is
    refused (409 psp_refund_settled) and changes nothing."""
    settle_psp_refund(REFERENCE, "tr_1", "refunded", "re_9", "operator-bob", world.ctx, first)
    before = world.store.invoice()
    with pytest.raises(StateConflict) as refusal:
        settle_psp_refund(REFERENCE, "tr_1", "refunded", "re_9", "operator-bob", world.ctx, then)
    assert refusal.value.code == "psp_refund_settled"
    assert world.store.invoice() == before


def test_a_refund_above_the_amount_asked_is_refused_in_each_language_s_amount(world):
    """R13: the PSP was asked EUR 7.00; a refund of EUR 7.01 recorded for it is refused
    (422 psp_refund_above_asked), nothing booked; each sentence writes the amount asked as
    its language does (R9: € 7,00 in Dutch, €7.00 in English)."""
    before = world.store.invoice()
    with pytest.raises(Refused) as refusal:
        settle_psp_refund(REFERENCE, "tr_1", "refunded", "re_9", "operator-bob", world.ctx, 701)
    assert refusal.value.code == "psp_refund_above_asked"
    assert "€\u00a07,00" in refusal.value.message_nl
    assert "€7.00" in refusal.value.message_en and "7,00" not in refusal.value.message_en
    assert world.store.invoice() == before


@pytest.mark.parametrize(
    ("outcome", "refund_id", "amount", "recorded"),
    [
        ("refunded", "re_9", None, 700),  # what was asked, paid back whole
        ("refunded", "re_9", 500, 500),  # less, refunded by hand in the PSP's dashboard
        ("failed", "", None, 700),  # nothing paid back: the record names what was asked
    ],
)
def test_the_record_of_a_settled_refund_names_its_amount_beside_who_and_when(
    world, outcome, refund_id, amount, recorded
):
    """R27, R34 (known.md stop 36, "Refunds"): Given the pending iDEAL refund of EUR 7.00
    When an operator records what the PSP's dashboard says of it
    Then the invoice's audit marker says who, when and for how much, so it reads whole
    without the REFUND entry beside it (a failed refund has none)."""
    settle_psp_refund(REFERENCE, "tr_1", outcome, refund_id, "operator-bob", world.ctx, amount)
    markers = [m for m in world.store.invoice().applied_payments if "by operator-bob" in m]
    assert markers == [
        f"refund-checked:{outcome}:psp:tr_1 by operator-bob at 2026-11-26T09:00:00+01:00"
        f" for {recorded}"
    ]


def test_a_pending_refund_settled_after_a_bank_return_blocks_the_agency_s_patient_again():
    """R22, R34 (round 38 small2): Given a claim at the collection agency paid in full by a
    bank transfer (E-1: the patient unblocked), then paid again by iDEAL (tr_1: all of it
    credit), whose automatic refund timed out (pending, maybe paid)
    When the bank returns the transfer (the claim still settled: the iDEAL money pays it)
    And an operator records the iDEAL refund refunded (re_9)
    Then the claim is owed again, as after a return of a payment, and the patient is
    blocked again, once (a retry changes nothing)."""
    world = MoneyOutWorld()
    world.clock.set(date(2026, 11, 26))
    world.store.put_provider(make_provider())
    invoice = make_invoice(dunning_stage=DunningStage.WITH_COLLECTION_AGENCY)
    world.store.put_invoice_as_is(invoice)
    world.store.block_patient(invoice.provider_id, invoice.patient_ref, invoice.invoice_id, PAID_AT)
    for source, source_id in (("bank", "E-1"), ("psp", "tr_1")):
        payment = IncomingPayment(source, source_id, DUE, PAID_AT)
        book_payment(world.store, REFERENCE, payment, clock=world.clock, interest=no_interest)
    world.store.put_invoice_as_is(with_refund_intent(world.store.invoice(), "tr_1", DUE))
    world.psp.statuses[("tr_1", "re_9")] = "refunded"  # as the PSP's dashboard shows it
    assert not is_blocked(world.store, invoice.provider_id, invoice.patient_ref)

    book_reversal(world.store, REFERENCE, "E-1", "R-1", DUE, clock=world.clock)
    assert world.store.invoice().is_paid
    assert not is_blocked(world.store, invoice.provider_id, invoice.patient_ref)
    settle(world, "refunded", "re_9")
    settle(world, "refunded", "re_9")

    assert world.store.invoice().amount_due_cents == DUE
    assert blocked_numbers(world.store, invoice.provider_id) == frozenset({invoice.patient_ref})
    changes = [c.change for c in world.store.block_changes(invoice.provider_id, PAID_AT)]
    assert changes == [BLOCKED, UNBLOCKED, BLOCKED]


def no_interest(_invoice: object, _day: date) -> int:
    return 0


# --- the refund id is checked with the PSP (audit security3 SEC3-2) ---------------------------


@pytest.mark.parametrize("typed", ["tr_1", "re_8"])  # the payment's own id; a typo
def test_a_refund_id_the_psp_does_not_know_on_the_payment_is_refused(world, typed):
    """R13, R11, R34 (audit security3 SEC3-2): an id typed by hand was booked unchecked,
    and every later webhook of the payment failed asking the PSP of it (5xx, for good), so
    the real refund's failure was never booked.
    Given the pending iDEAL refund, and an operator types the payment's own id (or a typo)
    When the operator records it as refunded
    Then 422 unknown_psp_refund, after asking the PSP of that id on that payment; nothing
    booked, the refund still pending."""
    before = world.store.invoice()
    with pytest.raises(Refused) as refusal:
        settle(world, "refunded", typed)
    assert refusal.value.code == "unknown_psp_refund" and type(refusal.value) is Refused  # 422
    assert world.psp.asked == [("tr_1", typed)]
    assert world.store.invoice() == before
    assert pending_refunds(before) != ()


def test_a_refund_id_the_psp_knows_is_booked_with_its_status_kept(world):
    """R13, R11 (SEC3-2): Given the PSP has re_9 on tr_1, still processing
    When the operator records re_9 as refunded, and again (a retry)
    Then it is booked with the status the PSP gave kept (the webhook reads it from there);
    the record asks the PSP twice, checked before its save and read once more after it,
    the status not being final (audit races RACES1); the retry asks the PSP nothing."""
    world.psp.statuses[("tr_1", "re_9")] = "processing"
    settle(world, "refunded", "re_9")
    settle(world, "refunded", "re_9")
    assert refunds(world) == [(700, "psp:tr_1")]
    assert psp_refund_status(world.store.invoice(), "re_9") == "processing"
    assert world.psp.asked == [("tr_1", "re_9"), ("tr_1", "re_9")]


@pytest.mark.parametrize("status", ["failed", "canceled"])
def test_a_refund_the_psp_says_paid_nothing_back_is_not_booked_as_paid(world, status):
    """R13 (paid back once, never a credit lost): Given the PSP says re_9 on tr_1 failed
    (or was canceled)
    When the operator records it as refunded
    Then 422 psp_refund_not_paid naming that status, nothing booked: kept final, it would
    never be undone by the webhook."""
    world.psp.statuses[("tr_1", "re_9")] = status
    before = world.store.invoice()
    with pytest.raises(Refused) as refusal:
        settle(world, "refunded", "re_9")
    assert refusal.value.code == "psp_refund_not_paid" and status in refusal.value.message_en
    assert world.store.invoice() == before


class FailsBeforeTheSave(RefundsAtThePsp):
    """The PSP answers the operator's check (``refund_status``) with what it says then; the
    refund then fails there and the PSP's webhook for that is handled, before the record's
    save."""

    def __init__(self, world: MoneyOutWorld) -> None:
        super().__init__(dict(world.psp.statuses))
        self.world = world
        self.meanwhile: list[RefundOutcome | None] = []

    def refund_status(self, psp_payment_id: str, refund_id: str) -> str:
        answer = super().refund_status(psp_payment_id, refund_id)
        if not self.meanwhile:
            self.statuses[(psp_payment_id, refund_id)] = "failed"
            refunds = RefundContext(self.world.store, Mock(), self, self.world.clock)  # type: ignore[arg-type]
            self.meanwhile.append(read_ended_refunds(REFERENCE, psp_payment_id, refunds))
        return answer


def test_a_recorded_refund_that_fails_before_its_save_is_undone_by_the_record(world):
    """R13, R11, R28 (audit races RACES1): the webhook reads only booked refunds, so one
    that failed between the operator's check and the record's save was booked as paid back
    (pending) and never read again: credit 0, nothing reached the patient, no alarm.
    Given the pending iDEAL refund re_9, which the PSP says is pending, and then fails
    there, its webhook handled, before the operator's record is saved
    When the operator records re_9 as refunded
    Then the refund booked is read once more after its save: undone (refund-not-paid),
    status failed, the EUR 7.00 held for the patient again, refundable by bank; the record
    says it failed (Refund_failed)."""
    world.psp.statuses[("tr_1", "re_9")] = "pending"
    world.psp = psp = FailsBeforeTheSave(world)

    held, failed = settle_psp_refund(
        REFERENCE, "tr_1", "refunded", "re_9", "operator-bob", world.ctx
    )

    assert psp.meanwhile == [None]  # the race: nothing booked to read then
    assert failed is not None and failed.decision is RefundDecision.FAILED
    assert (failed.refund_id, failed.amount_cents) == ("re_9", 700)
    assert (held.credit_cents, held.by_bank_cents, held.psp_refund_pending) == (700, 700, False)
    invoice = world.store.invoice()
    assert refunds(world) == [(700, "psp:tr_1"), (-700, "psp:tr_1")]
    assert psp_refund_status(invoice, "re_9") == "failed"
    assert psp.asked == [("tr_1", "re_9")] * 2  # checked, then read once more
    request = RefundRequest(REFERENCE, "NL39RABO0300065264", "A. Visser")
    batch = propose_refunds([request], "operator-anna", world.ctx, cause=new_request())
    assert batch.total_cents == 700


@pytest.mark.parametrize(
    ("body", "dutch_names"),
    [
        ({"outcome": "refunded"}, "refund_id"),
        ({"outcome": "failed", "refund_id": "re_9"}, "refund_id"),
        ({"outcome": "failed", "amount_cents": 500}, "amount_cents"),
    ],
    ids=["refunded without its id", "failed with an id", "failed with an amount"],
)
def test_an_outcome_that_does_not_fit_its_fields_is_refused_in_dutch_and_english(body, dutch_names):
    """interfaces.md §2, §6: a 400 in Dutch and English (bodyforms54: these two rules
    raised English only, so the Dutch said 'is niet geldig').
    Given an operator's outcome whose refund id or amount does not fit it
    When the model reads it
    Then the refusal names the field and what it should be, in Dutch and in English."""
    with pytest.raises(ValidationError) as refused:
        PspRefundOutcomeIn(**body)
    [problem] = refused.value.errors()

    reasons = validation_reasons(problem)
    assert dutch_names in reasons["reason_nl"] and "terugbetaling" in reasons["reason_nl"]
    assert dutch_names in reasons["reason_en"] and "refund" in reasons["reason_en"]
