"""A week's payout batch that cannot be sent, withdrawn and planned again (R24, R34, R28,
R38; round 36). Before: a batch whose pain.001 is refused (``transfer_file_refused``) stayed
approved for good, the next weeks counted its week as settled, and the practice's money
was never paid out; a payout batch could not be withdrawn (404).

The week's plan stands (the settlements the statements and the next weeks rely on); the
withdrawn batch's transfers are made again, to the practice's account as it is now, in a
new batch of the same week (``PO-{week}-2``) that needs its own approvals."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing_core.payments.transfer_batches import (
    BankState,
    BatchKind,
    BatchState,
    Step,
    TransferBatch,
    payout_batch_id,
)
from billing_core.providers.payouts import weeks_not_planned_again
from billing_core.providers.retrocession_run import RetrocessionContext
from billing_core.providers.week import Week
from billing_core.services.operator.money_out import close_week, withdraw_batch
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import Refused, StateConflict
from tests.unit.factories import make_provider
from tests.unit.faults import Killed
from tests.unit.money_out_world import (
    FIRST_WEEK,
    FOUR_EYES_ABOVE,
    PAIN_001,
    MoneyOutWorld,
    assert_every_statement_paid_once,
    executed,
    returned,
    two_practices_on_the_monday_after,
)

W45, W46, W47 = FIRST_WEEK, FIRST_WEEK.following(), FIRST_WEEK.following().following()
TUESDAY = date(2026, 11, 10)
WHY = "account holder without a character the bank accepts; mended in the settings"
NO_SEPA_NAME = "***"  # stored before payout account holders were checked


@pytest.fixture
def world() -> MoneyOutWorld:
    return two_practices_on_the_monday_after(W45)


def name_no_bank_accepts(world: MoneyOutWorld, provider_id: str) -> None:
    world.store.put_provider(
        make_provider(
            provider_id=provider_id,
            payout={"iban": "NL39RABO0300065264", "account_holder": NO_SEPA_NAME},
        )
    )


def mend(world: MoneyOutWorld, provider_id: str) -> None:
    world.add_practice(provider_id, iban="NL91ABNA0417164300")


def retrocession_of(world: MoneyOutWorld) -> RetrocessionContext:
    return RetrocessionContext(store=world.store, files=world.files)


def stuck(world: MoneyOutWorld, week: Week, *operators: str) -> TransferBatch:
    """The week's batch approved by ``operators``; its file refused: it stays approved."""
    batch_id = world.propose(week).batch_id
    for who in operators[:-1]:
        world.approve(batch_id, who)
    with pytest.raises(Refused) as refusal:
        world.approve(batch_id, operators[-1] if operators else "operator-anna")
    assert refusal.value.code == "transfer_file_refused"
    stored = world.store.get_batch(batch_id)
    assert stored is not None and stored.state is BatchState.APPROVED
    return stored


def test_a_week_whose_file_is_refused_is_withdrawn_planned_again_and_paid(world):
    """R24, R34: Given W45's batch, whose file is refused for fysio-noord's account holder,
    and W46's batch proposed after it (W45 counted as settled)
    When an operator withdraws W45's batch with a reason, the account is mended, and W45
    is proposed again
    Then W45's batch is withdrawn (who, when, why); a new batch PO-2026-W45-2 pays the same
    settlements to the mended account and is sent and booked; W46's batch (planned before
    the mend) is planned again the same way, and no later week pays W45 again."""
    world.statements(W45, {"fysio-noord": 10_000, "tandarts-zuid": 2_000})
    name_no_bank_accepts(world, "fysio-noord")
    w45 = stuck(world, W45)
    world.statements(W46, {"fysio-noord": 3_000, "tandarts-zuid": 0})
    world.monday_after(W46)
    w46 = world.propose(W46)
    assert w46.settlement("fysio-noord").weeks == ("2026-W46",)  # W45 is not settled again
    # When it is withdrawn
    world.clock.set(TUESDAY)
    withdrawn = withdraw_batch(w45.batch_id, "operator-bob", WHY, world.ctx)
    assert withdrawn.state is BatchState.WITHDRAWN
    step = withdrawn.steps[-1]
    assert (step.what, step.by, step.at.date(), step.reason) == (
        "withdrawn",
        "operator-bob",
        TUESDAY,
        WHY,
    )
    # And the account is mended and the week proposed again
    mend(world, "fysio-noord")
    again = world.propose(W45)
    assert (again.batch_id, again.state, again.week) == (
        "PO-2026-W45-2",
        BatchState.PROPOSED,
        W45.label,
    )
    assert again.settlements == w45.settlements and again.waiting == w45.waiting
    assert [(t.provider_id, t.amount_cents, t.iban, t.name) for t in again.transfers] == [
        ("fysio-noord", 10_000, "NL91ABNA0417164300", "Praktijk fysio-noord B.V."),
        ("tandarts-zuid", 2_000, "NL39RABO0300065264", "Praktijk tandarts-zuid B.V."),
    ]
    assert [t.end_to_end_id for t in again.transfers] == ["PO-2026-W45-2.1", "PO-2026-W45-2.2"]
    assert "PO-2026-W45-2.1" in again.transfers[0].remittance
    assert world.propose(W45) == again  # the same week again finds it
    # Then it is sent, and the bank books it
    sent = world.approve(again.batch_id, "operator-anna")
    assert sent.state is BatchState.SENT
    assert sent.file_key == "payouts/2026-11-10/PO-2026-W45-2.xml"
    PAIN_001.validate(world.pain_001(sent))
    world.bank_statement(*executed(sent, TUESDAY), day=TUESDAY)
    booked = world.store.get_batch(sent.batch_id)
    assert {t.bank_state for t in booked.transfers} == {BankState.BOOKED}
    # And the withdrawn batch stays withdrawn: never approved, never sent
    with pytest.raises(Refused) as refusal:
        world.approve(w45.batch_id, "operator-anna")
    assert refusal.value.code == "batch_not_proposed"
    assert world.store.get_batch(w45.batch_id).state is BatchState.WITHDRAWN
    # And W46's batch, planned before the account was mended, is planned again the same
    # way; neither it nor W47 pays W45 again
    withdraw_batch(w46.batch_id, "operator-bob", WHY, world.ctx)
    w46_again = world.propose(W46)
    assert [(t.amount_cents, t.iban) for t in w46_again.transfers] == [
        (3_000, "NL91ABNA0417164300")
    ]
    assert world.approve(w46_again.batch_id).state is BatchState.SENT
    world.statements(W47, {"fysio-noord": 0, "tandarts-zuid": 0})
    world.monday_after(W47)
    assert world.propose(W47).transfers == ()


def test_the_approvals_of_a_withdrawn_batch_do_not_count_for_the_new_one(world):
    """R34 (four eyes on every euro): Given W45's batch above the four-eyes total, approved
    by two operators, its file refused, withdrawn
    When the week is planned again and one operator approves the new batch
    Then it waits for a second, different operator; the old approvals do not count."""
    world.statements(W45, {"fysio-noord": FOUR_EYES_ABOVE + 1})
    name_no_bank_accepts(world, "fysio-noord")
    w45 = stuck(world, W45, "operator-anna", "operator-bob")
    assert w45.approvers == ("operator-anna", "operator-bob")
    withdraw_batch(w45.batch_id, "operator-anna", WHY, world.ctx)
    mend(world, "fysio-noord")
    again = world.propose(W45)
    assert [(s.what, s.by) for s in again.steps] == [("proposed", "schedule")]
    first = world.approve(again.batch_id, "operator-anna")
    assert first.state is BatchState.PROPOSED and world.files.files == {}
    assert world.approve(again.batch_id, "operator-bob").state is BatchState.SENT


def test_a_returned_payout_the_withdrawn_batch_paid_again_is_paid_by_the_new_one_once(world):
    """R24 (owed again, paid once): Given W45's payout to fysio-noord returned by the bank,
    owed again in W46's batch, whose file is refused, withdrawn
    When W46 is planned again
    Then the new batch pays it, marked repaid_in the new batch; W47 does not pay it again."""
    world.statements(W45, {"fysio-noord": 10_000, "tandarts-zuid": 500})
    w45 = world.approve(world.propose(W45).batch_id)
    world.bank_statement(*executed(w45, TUESDAY), day=TUESDAY)
    world.bank_statement(returned(w45.transfers[0].end_to_end_id, 10_000, TUESDAY), day=TUESDAY)
    name_no_bank_accepts(world, "fysio-noord")
    world.statements(W46, {"fysio-noord": 3_000, "tandarts-zuid": 0})
    world.monday_after(W46)
    w46 = stuck(world, W46)
    assert w46.settlement("fysio-noord").owed_again_cents == 10_000
    assert world.store.get_batch(w45.batch_id).transfers[0].repaid_in == w46.batch_id
    withdraw_batch(w46.batch_id, "operator-bob", WHY, world.ctx)
    mend(world, "fysio-noord")
    again = world.propose(W46)
    assert [(t.provider_id, t.amount_cents) for t in again.transfers] == [("fysio-noord", 13_000)]
    assert world.store.get_batch(w45.batch_id).transfers[0].repaid_in == again.batch_id
    world.approve(again.batch_id)
    world.statements(W47, {"fysio-noord": 0, "tandarts-zuid": 0})
    world.monday_after(W47)
    assert world.propose(W47).transfers == ()


def test_planning_again_after_a_crash_moves_the_marks_once_and_makes_one_batch(world):
    """R28, R38 (a retry has no second effect): Given W46's batch withdrawn, which paid
    a returned payout again, and a re-plan that dies after moving the mark, before the new
    batch is written
    When the week is proposed again
    Then one new batch pays the returned payout, marked repaid_in it."""
    world.statements(W45, {"fysio-noord": 10_000})
    w45 = world.approve(world.propose(W45).batch_id)
    world.bank_statement(returned(w45.transfers[0].end_to_end_id, 10_000, TUESDAY), day=TUESDAY)
    world.statements(W46, {"fysio-noord": 0, "tandarts-zuid": 0})
    world.monday_after(W46)
    w46 = world.propose(W46)
    withdraw_batch(w46.batch_id, "operator-bob", WHY, world.ctx)
    create_batch = world.store.create_batch

    def dies(batch: TransferBatch, **kwargs: object) -> bool:
        world.store.create_batch = create_batch  # type: ignore[method-assign]
        raise Killed("timed out before the new batch was written")

    world.store.create_batch = dies  # type: ignore[method-assign]
    with pytest.raises(Killed):
        world.propose(W46)
    again = world.propose(W46)
    assert [(t.provider_id, t.amount_cents) for t in again.transfers] == [("fysio-noord", 10_000)]
    assert world.store.get_batch(w45.batch_id).transfers[0].repaid_in == again.batch_id
    payouts = world.store.list_batches(BatchKind.PAYOUT)
    assert [b.batch_id for b in payouts] == ["PO-2026-W46-2", "PO-2026-W46", "PO-2026-W45"]


def test_a_week_withdrawn_twice_is_planned_a_third_time(world):
    """R24: every re-plan is a batch of its own; the last one withdrawn is the one copied."""
    world.statements(W45, {"fysio-noord": 10_000})
    first = world.propose(W45)
    withdraw_batch(first.batch_id, "operator-bob", WHY, world.ctx)
    second = world.propose(W45)
    withdraw_batch(second.batch_id, "operator-bob", "wrong again", world.ctx)
    third = world.propose(W45)
    assert [first.batch_id, second.batch_id, third.batch_id] == [
        "PO-2026-W45",
        "PO-2026-W45-2",
        "PO-2026-W45-3",
    ]
    assert third.settlements == first.settlements and third.state is BatchState.PROPOSED


def test_a_sent_payout_batch_is_not_withdrawn_and_a_withdrawal_again_is_a_retry(world):
    """R34, R38: a batch whose file went out is paid: refused (409 batch_sent), nothing
    changes; a withdrawn batch withdrawn again answers the batch as it was."""
    world.statements(W45, {"fysio-noord": 10_000})
    sent = world.approve(world.propose(W45).batch_id)
    with pytest.raises(Refused) as refusal:
        withdraw_batch(sent.batch_id, "operator-bob", WHY, world.ctx)
    assert refusal.value.code == "batch_sent" and isinstance(refusal.value, StateConflict)
    assert world.store.get_batch(sent.batch_id) == sent
    world.statements(W46, {"fysio-noord": 10_000})
    proposed = world.propose(W46)
    first = withdraw_batch(proposed.batch_id, "operator-bob", WHY, world.ctx)
    assert withdraw_batch(proposed.batch_id, "operator-anna", "again", world.ctx) == first
    assert [s.what for s in first.steps] == ["proposed", "withdrawn"]


# --- the money still adds up: Σ booked + carried + owed again = Σ statement payouts -------------

week_of_two_practices = st.tuples(
    st.integers(min_value=-50_000, max_value=200_000),  # fysio-noord's statement payout
    st.integers(min_value=-50_000, max_value=200_000),  # tandarts-zuid's
    st.integers(min_value=0, max_value=2),  # how often the week's batch is withdrawn
    st.booleans(),  # does the bank return fysio-noord's payout of the week?
)


@settings(max_examples=30, deadline=None)
@given(st.lists(week_of_two_practices, min_size=1, max_size=6))
def test_withdrawn_weeks_planned_again_pay_every_statement_once(weeks):
    """R24: Given weeks whose batches are withdrawn (0-2 times) and planned again before
    one is sent, and payouts the bank returns
    When every week's last batch is sent and executed
    Then per practice Σ booked + the carried balance + returned not yet paid again =
    Σ statement payouts: no week is lost or paid twice."""
    world = MoneyOutWorld()
    practices = ("fysio-noord", "tandarts-zuid")
    for provider_id in practices:
        world.add_practice(provider_id)
    week = FIRST_WEEK
    for noord, zuid, withdrawals, bank_returns in weeks:
        world.statements(week, {"fysio-noord": noord, "tandarts-zuid": zuid})
        world.monday_after(week)
        for _ in range(withdrawals):
            withdraw_batch(world.propose(week).batch_id, "operator-bob", WHY, world.ctx)
        batch = world.approve(world.propose(week).batch_id)
        day = week.following().monday
        world.bank_statement(*executed(batch, day), day=day)
        noord_paid = batch.transfers[0] if batch.transfers else None
        if bank_returns and noord_paid and noord_paid.provider_id == "fysio-noord":
            world.bank_statement(
                returned(noord_paid.end_to_end_id, noord_paid.amount_cents, day), day=day
            )
        week = week.following()
    assert_every_statement_paid_once(world, practices)
    live = [
        b
        for b in world.store.list_batches(BatchKind.PAYOUT, limit=100)
        if b.state is not BatchState.WITHDRAWN
    ]
    for provider_id in practices:
        settled = [s for b in live if (s := b.settlement(provider_id))]
        assert len(settled) == len(weeks)


# --- a week withdrawn and not planned again: counted by the Monday run (round 37) ---------


@pytest.mark.parametrize(
    ("withdrawn_days_ago", "planned_again", "counted"),
    [
        (4, False, True),  # withdrawn last week, its money paid by no batch
        (2, False, False),  # withdrawn on Saturday: not yet
        (4, True, False),  # planned again: the new batch pays it
    ],
)
def test_the_monday_run_counts_a_week_withdrawn_and_not_planned_again(
    world, withdrawn_days_ago, planned_again, counted
):
    """R24, R34: Given W45's batch withdrawn ``withdrawn_days_ago`` days before W46's
    Monday run (and, in one case, W45 planned again)
    When the Monday run closes W46
    Then it counts W45 (Payout_weeks_withdrawn, PayoutWeekWithdrawnAlarm) only when it
    was withdrawn 3 days or more ago and not planned again."""
    world.statements(W45, {"fysio-noord": 10_000})
    w45 = world.propose(W45)
    world.statements(W46, {"fysio-noord": 3_000})
    world.monday_after(W46)
    monday = world.clock.now()
    world.clock.set(monday - timedelta(days=withdrawn_days_ago))
    withdraw_batch(w45.batch_id, "operator-bob", WHY, world.ctx)
    if planned_again:
        world.propose(W45)
    world.clock.set(monday)
    closed = close_week(monday.date(), retrocession_of(world), world.ctx)
    expected = ["2026-W45"] if counted else []
    assert closed.answer()["payout_weeks_withdrawn"] == expected
    assert closed.log_entry().counts["Payout_weeks_withdrawn"] == len(expected)


def test_the_latest_of_eleven_batches_decides_whether_a_week_is_counted():
    """R24, R34: the latest batch of a week is its highest number (-11 after -10 and -2)."""
    at = datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM)
    steps = (Step("proposed", "schedule", at), Step("withdrawn", "operator-bob", at, WHY))
    batches = [
        TransferBatch(
            payout_batch_id(W45.label, number),
            BatchKind.PAYOUT,
            (),
            steps,
            state=BatchState.WITHDRAWN if number < 11 else BatchState.PROPOSED,
            week=W45.label,
        )
        for number in range(1, 12)
    ]
    later = at + timedelta(days=10)
    assert weeks_not_planned_again(batches, later) == []
    assert weeks_not_planned_again(batches[:10], later) == [W45.label]


def test_the_monday_run_counts_an_old_refund_batch_waiting_behind_200_newer_ones(world):
    """R39 ("refunds pending"), R34, R13 (refunds53b): Given a refund batch proposed on
    Monday 2 November and never approved, then 200 refund batches made and sent on the
    days after (the run looked at the newest 200)
    When the Monday run closes W46
    Then it counts that batch waiting (Refund_batches_waiting, TransferBatchWaitingAlarm)
    and names it (before: 0, it was behind the newest 200)."""
    # Given
    proposed_on = datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM)
    steps = (Step("proposed", "operator-anna", proposed_on),)
    waiting = TransferBatch("RF-20261102-aaa111", BatchKind.REFUND, (), steps)
    world.store.create_batch(waiting)
    for day in range(1, 201):
        newer_id = f"RF-{date(2026, 11, 2) + timedelta(days=day):%Y%m%d}-bbb222"
        sent_batch = TransferBatch(newer_id, BatchKind.REFUND, (), steps, state=BatchState.SENT)
        world.store.create_batch(sent_batch)
    world.statements(W46, {"fysio-noord": 3_000})
    world.monday_after(W46)
    # When
    closed = close_week(world.clock.today(), retrocession_of(world), world.ctx)
    # Then
    assert closed.answer()["batches_waiting"] == [waiting.batch_id]
    assert closed.log_entry().counts["Refund_batches_waiting"] == 1
