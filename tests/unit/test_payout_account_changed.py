"""A payout batch proposed before a practice's payout account was corrected (R24, R31,
R34; round 37). Before: it carried the old account and could still be approved and sent;
now every approval, and the sending after it, refuses it (409 payout_account_changed)
until it is withdrawn and its week planned again to the account as it is then."""

from __future__ import annotations

import pytest

from billing_core.payments.transfer_batches import BatchState, approve
from billing_core.services.operator.money_out import withdraw_batch
from billing_core.shared.errors import StateConflict
from tests.unit.money_out_world import (
    FIRST_WEEK,
    FOUR_EYES_ABOVE,
    MoneyOutWorld,
    two_practices_on_the_monday_after,
)

W45 = FIRST_WEEK
CORRECTED = "NL91ABNA0417164300"


@pytest.fixture
def world() -> MoneyOutWorld:
    return two_practices_on_the_monday_after(W45)


def refused_for_the_account(world: MoneyOutWorld, batch_id: str, operator: str) -> None:
    with pytest.raises(StateConflict) as refusal:
        world.approve(batch_id, operator)
    assert refusal.value.code == "payout_account_changed"
    assert "fysio-noord" in str(refusal.value.sentences) and W45.label in str(
        refusal.value.sentences
    )
    assert world.files.files == {}


@pytest.mark.parametrize("corrected", [{"iban": CORRECTED}, {"holder": "Fysio Noord B.V."}])
def test_a_batch_proposed_before_the_account_was_corrected_is_not_approved(world, corrected):
    """R24, R31, R34: Given W45's batch proposed, then fysio-noord's payout IBAN (or its
    account holder) corrected in the settings
    When an operator approves the batch
    Then it is refused (payout_account_changed, naming the practice and the week), stays
    proposed without the approval; withdrawn and planned again, the new batch pays the
    account as it is now and is sent."""
    world.statements(W45, {"fysio-noord": 10_000, "tandarts-zuid": 2_000})
    proposed = world.propose(W45)
    provider = world.store.get_provider("fysio-noord")
    payout = {
        "iban": corrected.get("iban", provider.payout.iban),
        "account_holder": corrected.get("holder", provider.payout.account_holder),
    }
    world.store.put_provider(
        provider.model_copy(update={"payout": provider.payout.model_copy(update=payout)})
    )
    refused_for_the_account(world, proposed.batch_id, "operator-anna")
    assert world.store.get_batch(proposed.batch_id).steps == proposed.steps
    withdraw_batch(proposed.batch_id, "operator-anna", "account corrected", world.ctx)
    again = world.propose(W45)
    fysio, _ = again.transfers
    assert (fysio.provider_id, fysio.iban, fysio.name) == (
        "fysio-noord",
        payout["iban"],
        payout["account_holder"],
    )
    assert world.approve(again.batch_id).state is BatchState.SENT


def test_a_change_between_the_two_approvals_stops_the_second(world):
    """R34 (four eyes), R31: Given W45's batch above the four-eyes total, approved once,
    then fysio-noord's account corrected
    When a second operator approves
    Then it is refused: nothing is sent to the old account."""
    world.statements(W45, {"fysio-noord": FOUR_EYES_ABOVE + 1})
    batch_id = world.propose(W45).batch_id
    assert world.approve(batch_id, "operator-anna").state is BatchState.PROPOSED
    world.add_practice("fysio-noord", iban=CORRECTED)
    refused_for_the_account(world, batch_id, "operator-bob")
    assert world.store.get_batch(batch_id).approvers == ("operator-anna",)


def test_an_approved_batch_not_sent_yet_is_not_sent_to_the_old_account(world):
    """R34, R38: Given W45's batch approved, its sending never begun (the approval died
    before it), then fysio-noord's account corrected
    When the approval is retried (approving again sends an approved batch)
    Then it is refused before anything is written, and it can still be withdrawn."""
    world.statements(W45, {"fysio-noord": 10_000})
    proposed = world.propose(W45)
    approved = approve(proposed, "operator-anna", world.clock.now(), FOUR_EYES_ABOVE)
    world.store.save_batch(approved)
    world.add_practice("fysio-noord", iban=CORRECTED)
    refused_for_the_account(world, proposed.batch_id, "operator-anna")
    stored = world.store.get_batch(proposed.batch_id)
    assert stored.state is BatchState.APPROVED and stored.step_at("sending") is None
    withdrawn = withdraw_batch(proposed.batch_id, "operator-anna", "corrected", world.ctx)
    assert withdrawn.state is BatchState.WITHDRAWN


def test_a_change_of_other_settings_or_of_another_practice_does_not_stop_it(world):
    """R31: only the payout account paid in the batch counts: a practice paid nothing
    (carried, at zero) or a change of its payment term leaves the batch approvable."""
    world.statements(W45, {"fysio-noord": 10_000, "tandarts-zuid": 0})
    batch_id = world.propose(W45).batch_id
    world.add_practice("tandarts-zuid", iban=CORRECTED)  # paid nothing this week
    provider = world.store.get_provider("fysio-noord")
    world.store.put_provider(provider.model_copy(update={"payment_term_days": 14}))
    assert world.approve(batch_id).state is BatchState.SENT
