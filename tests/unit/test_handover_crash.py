"""The handover crash window (issue 13 item 12; R19, R22, R23): the run killed between
any two of the handover's writes and run again leaves exactly one agency file, one block
and the invoice handed over, whether the rerun is the same day or a later one."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest

from billing_core.dunning.run import DunningContext, run_dunning
from billing_core.invoices.invoice import DunningStage
from billing_core.providers.actions import handover_action_id
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import RUN_AT, DunningWorld, one_invoice
from tests.unit.faults import CallBudget, Faulty, Killed

HANDOVER_WRITES = ["save_invoices", "put", "block_patient", "save_invoice"]


def world_on_the_handover_day() -> tuple[DunningWorld, date]:
    """One unpaid invoice, reminded and charged: its handover is due on the day returned."""
    world = DunningWorld([one_invoice(100_000)])
    day = date(2026, 12, 24)
    while world.invoice().dunning_stage is not DunningStage.COSTS_CHARGED:
        world.run(day)
        day += timedelta(days=1)
    handover_day = world.invoice().next_check_on
    assert handover_day is not None
    return world, handover_day


@pytest.mark.parametrize("rerun_after_days", [0, 1, 7])
@pytest.mark.parametrize("killed_before", HANDOVER_WRITES)
def test_a_run_killed_inside_the_handover_is_finished_by_the_next(killed_before, rerun_after_days):
    """Given an invoice due for handover, when the run is killed just before the
    handover's ``killed_before`` write and the run goes again ``rerun_after_days`` later,
    then the agency has exactly one file for the claim, dated the day the invoice was
    saved handed over (the rerun's day when the kill came before that save), the
    patient is blocked by it once, the provider has one "call your patient" action and
    the invoice is with the agency, off the run's index."""
    world, handover_day = world_on_the_handover_day()
    calls = _calls_of_a_whole_run(handover_day)
    budget = CallBudget(calls.index(killed_before))
    context = DunningContext(
        Faulty(world.store, budget), Faulty(world.files, budget), world.queue, world.clock
    )
    world.clock.set(datetime.combine(handover_day, RUN_AT, tzinfo=AMSTERDAM))
    with pytest.raises(Killed):
        run_dunning(context, handover_day)

    rerun_day = handover_day + timedelta(days=rerun_after_days)
    world.run(rerun_day)
    world.run(rerun_day + timedelta(days=1))

    invoice = world.invoice()
    handed_over_on = rerun_day if killed_before == "save_invoices" else handover_day
    assert world.handover_files() == [
        f"collection/{handed_over_on}/{invoice.provider_id}/{invoice.reference}.json"
    ]
    [blocked] = world.store.blocked_patients(invoice.provider_id)
    assert blocked.invoice_ids == (invoice.invoice_id,)
    actions = world.store.list_actions(invoice.provider_id)
    assert [a.action_id for a in actions if a.invoice_id == invoice.invoice_id] == [
        handover_action_id(handed_over_on, invoice.invoice_id)
    ]
    assert invoice.dunning_stage is DunningStage.WITH_COLLECTION_AGENCY
    assert invoice.handed_over_on == handed_over_on
    assert not invoice.handover_pending and invoice.dunning_check_day is None


def test_a_payment_between_the_handover_and_its_file_is_told_once():
    """R19, R34 (audit REVIEW2): Given the run killed after it saved the invoice handed
    over and before it wrote the agency's file, and a part payment read at 10:00
    When the next day's run finishes the handover and writes the daily file of the day
    Then the handover file holds the claim as it was handed over, without the payment,
    and the daily file tells the payment: the agency counts it once."""
    world, handover_day = world_on_the_handover_day()
    budget = CallBudget(_calls_of_a_whole_run(handover_day).index("put"))
    context = DunningContext(
        Faulty(world.store, budget), Faulty(world.files, budget), world.queue, world.clock
    )
    world.clock.set(datetime.combine(handover_day, RUN_AT, tzinfo=AMSTERDAM))
    with pytest.raises(Killed):
        run_dunning(context, handover_day)
    paid_at = datetime.combine(handover_day, time(10), tzinfo=AMSTERDAM)
    world.import_transfer(20_000, booked_on=handover_day, at=paid_at)

    world.run(handover_day + timedelta(days=1))

    [handover_key] = world.handover_files()
    handover = json.loads(world.files.files[handover_key])
    assert [e["kind"] for e in handover["ledger"]].count("payment") == 0
    daily = f"collection-updates/{handover_day}/{world.invoice().provider_id}.json"
    [told] = json.loads(world.files.files[daily])["claims"]
    assert sum(e["amount_cents"] for e in told["entries"] if e["kind"] == "payment") == -20_000


def _calls_of_a_whole_run(handover_day: date) -> list[str]:
    """The port calls of the handover day's run, in order, on a world of its own."""
    world, day = world_on_the_handover_day()
    assert day == handover_day
    counting = CallBudget(None)
    world.clock.set(datetime.combine(day, RUN_AT, tzinfo=AMSTERDAM))
    run_dunning(
        DunningContext(
            Faulty(world.store, counting), Faulty(world.files, counting), world.queue, world.clock
        ),
        day,
    )
    assert [c for c in counting.made if c in HANDOVER_WRITES] == HANDOVER_WRITES
    return counting.made
