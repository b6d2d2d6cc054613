"""A refund batch that was not sent, withdrawn by an operator so its credits can be
refunded after all (R13, R34, R28, R38; round 35: a batch whose file the bank refuses
stays approved with nothing booked, and its invoices were out of every new proposal)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from billing_core.invoices.updates import save_change
from billing_core.payments.booking import refund_of_credit_held
from billing_core.payments.transfer_batches import SENDING, BatchState, TransferBatch
from billing_core.ports import ConcurrentChange
from billing_core.services.operator.money_out import (
    REFUND_CAUSE,
    RefundRequest,
    approve_batch,
    held_credits,
    propose_refunds,
    withdraw_batch,
)
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.errors import Refused, StateConflict
from tests.unit.factories import REFERENCE
from tests.unit.faults import Killed
from tests.unit.money_out_world import (
    MoneyOutWorld,
    crash_on_saving_as_sent,
    new_request,
    overpaid_by_bank,
)

DUE = 3317  # what make_invoice's patient owes
PATIENT_ACCOUNT = ("NL39RABO0300065264", "A. Visser")
WHY = "no name the bank accepts, stored before the check; the patient gave it again"


@pytest.fixture
def world() -> MoneyOutWorld:
    return overpaid_by_bank(DUE)


def refund(world: MoneyOutWorld) -> TransferBatch:
    return propose_refunds(
        [RefundRequest(REFERENCE, *PATIENT_ACCOUNT)],
        "operator-anna",
        world.ctx,
        cause=new_request(),
    )


def stuck(world: MoneyOutWorld) -> TransferBatch:
    """A batch proposed before names without a SEPA character were refused, approved: its
    file is refused, it stays approved with nothing booked (stop 34)."""
    batch = refund(world)
    [transfer] = batch.transfers
    world.store.save_batch(batch.with_transfer(replace(transfer, name="***")))
    with pytest.raises(Refused) as refusal:
        approve_batch(batch.batch_id, "operator-anna", world.ctx)
    assert refusal.value.code == "transfer_file_refused"
    stored = world.store.get_batch(batch.batch_id)
    assert stored is not None and stored.state is BatchState.APPROVED
    return stored


def test_a_batch_whose_file_is_refused_is_withdrawn_and_its_credit_refunded_after_all(world):
    """R13, R34: Given an approved refund batch whose file the bank refuses, nothing booked
    When an operator withdraws it with a reason
    Then it is withdrawn, the step saying who, when and why; the credit is listed in no
    batch and is refunded by a new batch; the withdrawn one is never approved again."""
    batch = stuck(world)
    world.clock.set(date(2026, 11, 26))
    withdrawn = withdraw_batch(batch.batch_id, "operator-bob", WHY, world.ctx)
    assert withdrawn.state is BatchState.WITHDRAWN
    step = withdrawn.steps[-1]
    assert (step.what, step.by, step.at.date(), step.reason) == (
        "withdrawn",
        "operator-bob",
        date(2026, 11, 26),
        WHY,
    )
    [held] = held_credits(world.ctx)[0]
    assert (held.credit_cents, held.in_batch) == (500, "")
    again = approve_batch(refund(world).batch_id, "operator-anna", world.ctx)
    assert again.state is BatchState.SENT and world.store.invoice().credit_cents == 0
    with pytest.raises(Refused) as refusal:
        approve_batch(batch.batch_id, "operator-anna", world.ctx)
    assert refusal.value.code == "batch_not_proposed"


def test_a_proposed_batch_is_withdrawn_and_withdrawing_it_again_is_a_retry(world):
    """R38: Given a proposed refund batch, withdrawn
    When it is withdrawn again (a retry, even with other words)
    Then the answer is the withdrawn batch as it was, with one withdrawn step."""
    batch = refund(world)
    first = withdraw_batch(batch.batch_id, "operator-anna", WHY, world.ctx)
    again = withdraw_batch(batch.batch_id, "operator-anna", "again", world.ctx)
    assert again == first == world.store.get_batch(batch.batch_id)
    assert [s.what for s in again.steps] == ["proposed", "withdrawn"]


def test_a_sent_batch_is_not_withdrawn(world):
    """R34: a batch whose file went out is paid: refused (batch_sent), nothing changes."""
    sent = approve_batch(refund(world).batch_id, "operator-anna", world.ctx)
    with pytest.raises(Refused) as refusal:
        withdraw_batch(sent.batch_id, "operator-bob", WHY, world.ctx)
    assert refusal.value.code == "batch_sent" and isinstance(refusal.value, StateConflict)
    assert world.store.get_batch(sent.batch_id) == sent


def test_a_batch_whose_sending_died_is_not_withdrawn_but_sent_by_approving_again(world):
    """R28, R34: Given an approval that died after its refund was booked and its file
    written, before the batch was saved as sent
    When an operator withdraws it
    Then it is refused (batch_sent): approving again sends it, the refund booked once."""
    batch = refund(world)
    crash_on_saving_as_sent(world)
    with pytest.raises(Killed):
        approve_batch(batch.batch_id, "operator-anna", world.ctx)
    with pytest.raises(Refused) as refusal:
        withdraw_batch(batch.batch_id, "operator-bob", WHY, world.ctx)
    assert refusal.value.code == "batch_sent"
    assert approve_batch(batch.batch_id, "operator-anna", world.ctx).state is BatchState.SENT
    assert world.store.invoice().credit_cents == 0


def test_a_batch_with_a_refund_booked_is_not_withdrawn_and_names_the_invoice(world):
    """R13 (paid back once): Given an approved batch saved before the sending step existed,
    whose refund was booked before a crash
    When it is withdrawn
    Then it is refused (refund_booked) naming the kenmerk; the batch stays approved."""
    batch = stuck(world)
    [transfer] = batch.transfers
    at = world.clock.now()
    save_change(
        world.store,
        world.store.invoice(),
        lambda invoice: refund_of_credit_held(
            invoice, transfer.end_to_end_id, 500, at, f"{REFUND_CAUSE}{transfer.end_to_end_id}"
        ),
    )
    with pytest.raises(Refused) as refusal:
        withdraw_batch(batch.batch_id, "operator-bob", WHY, world.ctx)
    assert refusal.value.code == "refund_booked" and isinstance(refusal.value, StateConflict)
    assert betalingskenmerk.grouped(REFERENCE) in refusal.value.message_en
    assert world.store.get_batch(batch.batch_id) == batch


def test_a_withdrawal_saved_while_an_approval_runs_stops_that_approval_before_booking(world):
    """R28: Given an approval that read the batch approved (a retry) and an operator who
    withdraws it at that moment
    When the approval goes on to send it
    Then its sending step meets the withdrawal (ConcurrentChange): nothing is booked and
    no file is written."""
    batch = refund(world)
    approved = world.store.save_batch(replace(batch, state=BatchState.APPROVED))
    get_batch = world.store.get_batch

    def withdrawn_meanwhile(batch_id: str) -> TransferBatch | None:
        world.store.get_batch = get_batch  # type: ignore[method-assign]
        read = get_batch(batch_id)
        withdraw_batch(batch_id, "operator-bob", WHY, world.ctx)
        return read

    world.store.get_batch = withdrawn_meanwhile  # type: ignore[method-assign]
    with pytest.raises(ConcurrentChange):
        approve_batch(approved.batch_id, "operator-anna", world.ctx)
    assert world.store.invoice().credit_cents == 500 and world.files.files == {}
    stored = world.store.get_batch(batch.batch_id)
    assert stored is not None and stored.state is BatchState.WITHDRAWN
    assert SENDING not in [s.what for s in stored.steps]
