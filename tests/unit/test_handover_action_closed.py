"""The practice's "call your patient" action of a claim at the collection agency is set
done by the system once nothing is owed on the claim any more (R23, R19, R21, R22; stop
47, small47b's finding): a full stop, a payment via us, the agency's report "paid", and a
claim paid while its handover was being written. The practice still sees it, with why,
and may open it again."""

from __future__ import annotations

import copy
from datetime import date, datetime

import pytest

from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.collection.blocking import release_settled_claim
from billing_core.collection.collection_report import (
    CollectionReportContext,
    import_collection_report,
)
from billing_core.providers.actions import ActionState
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.provider.actions import update_action
from billing_core.services.provider.invoices import stop_invoice
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.retries import RequestCause
from tests.unit.dunning_world import DunningWorld, one_invoice

HANDOVER_DAY = date(2027, 1, 29)
PRACTICE = "tandarts-de-vries"
STAFF = ProviderUser(PRACTICE, "u-1", Role.STAFF)


@pytest.fixture(scope="module")
def handed_over() -> DunningWorld:
    """One €500 claim handed to the agency on 29 January, its action open."""
    world = DunningWorld([one_invoice(50_000)])
    world.run_days(date(2026, 12, 31), HANDOVER_DAY)
    return world


@pytest.fixture
def world(handed_over) -> DunningWorld:
    return copy.deepcopy(handed_over)


def the_action(world: DunningWorld):
    [action] = world.store.list_actions(PRACTICE)
    return action


def closed_by_the_system(world: DunningWorld, on: date) -> bool:
    action = the_action(world)
    details = action.details
    return (
        action.state is ActionState.DONE
        and (details["closed_by"], details["closed_on"]) == ("system", on.isoformat())
        and "niet meer te bellen" in details["what_to_do"]
        and "no need to call" in details["what_to_do_en"]
        and details["todo"] == "call_your_patient"  # what it asked stays readable
    )


def test_a_full_stop_of_a_claim_at_the_agency_closes_call_your_patient(world):
    """R21, R23. Given a claim handed over on 29 January, its action open, when the
    practice stops it in full on 2 February, then the action is done, closed by the
    system that day with the reason in Dutch and English."""
    assert the_action(world).state is ActionState.OPEN
    world.clock.set(datetime(2027, 2, 2, 10, 0, tzinfo=AMSTERDAM))
    stop = StopRequest(StopScope.FULL, "goodwill", world.invoice().addressee.email, True)
    stop_invoice(STAFF, "inv-1", stop, world.provider_context(), cause=RequestCause("r-1"))
    assert world.invoice().is_paid
    assert closed_by_the_system(world, date(2027, 2, 2))


def test_a_payment_via_us_closes_it_and_the_practice_may_open_it_again(world):
    """R23, R22. Given the claim at the agency, when the patient pays it in full to us,
    then the action is closed by the system; when the practice opens it again, a replay
    of the release leaves it open (the practice decides from then on)."""
    due = world.invoice().amount_due_cents + 500  # and the interest accrued since
    world.import_transfer(
        due, booked_on=date(2027, 2, 2), at=datetime(2027, 2, 3, 8, 0, tzinfo=AMSTERDAM)
    )
    assert closed_by_the_system(world, date(2027, 2, 3))

    update_action(
        STAFF, the_action(world).action_id, ActionState.OPEN, None, world.provider_context()
    )
    release_settled_claim(world.store, world.invoice(), world.clock)
    assert the_action(world).state is ActionState.OPEN


def test_the_agency_reporting_the_claim_paid_closes_it(world):
    """R19, R23. Given the claim at the agency, when the agency's report says it was paid
    in full, then the action is closed by the system on the day the report is read."""
    world.clock.set(datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM))
    invoice = world.invoice()
    ctx = CollectionReportContext(world.store, world.files, world.clock, interest=lambda i, d: 0)
    row = f"{invoice.reference};CMIB-1;paid;{invoice.amount_due_cents};2027-02-12"
    body = f"reference;agency_ref;status;amount_cents;paid_on\n{row}\n".encode()
    [result] = import_collection_report(body, "collection-reports/a.csv", ctx).rows
    assert result.claim_closed
    assert closed_by_the_system(world, date(2027, 2, 15))


def test_a_claim_stopped_while_its_handover_is_written_is_closed_by_the_run():
    """R19, R21, R23 (race3's interleaving). Given a claim the run hands over on 29
    January, when a full stop is saved between the handover's save and its file, then the
    run's second look finishes the handover of a paid claim and closes its action."""
    world = DunningWorld([one_invoice(50_000)])
    world.run_days(date(2026, 12, 31), date(2027, 1, 28))
    store = world.store
    real_save = store.save_invoices

    def save_invoices(invoices, actions=()):
        saved = real_save(invoices, actions)
        if actions:  # the handover and its action: the practice stops the claim now
            current = store.invoice("inv-1")
            stop = StopRequest(StopScope.FULL, "goodwill", current.addressee.email, True)
            at = datetime(2027, 1, 29, 6, 0, 1, tzinfo=AMSTERDAM)
            store.save_invoice(apply_stop(current, stop, at, "stop:1"))
        return saved

    store.save_invoices = save_invoices
    world.run(HANDOVER_DAY)
    assert world.invoice().is_paid and not world.invoice().handover_pending
    assert closed_by_the_system(world, HANDOVER_DAY)
