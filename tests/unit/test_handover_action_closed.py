"""The practice's "call your patient" action of a claim at the collection agency is set
done by the system once nothing is owed on the claim any more (R23, R19, R21, R22; stop
47, small47b's finding): a full stop, a payment via us, the agency's report "paid", and a
claim paid while its handover was being written. The practice still sees it, with why,
and may open it again."""

from __future__ import annotations

import copy
from datetime import date, datetime

import pytest

from billing_core.changes.correction import correct_entry
from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.collection.blocking import block_unsettled_claim, release_settled_claim
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
from tests.unit.fake_store import is_blocked

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


def test_a_claim_owed_again_at_the_agency_opens_call_your_patient_again(world):
    """R23, R22, R34 (audit agency3). Given the claim at the agency stopped in full on 2
    February, its "call your patient" closed by the system and the patient unblocked,
    when an operator undoes the stop on 4 February (entered by mistake) and the claim is
    owed again, then the patient is blocked again and the action is open again, saying
    why in Dutch and English: before, it stayed done, and the practice's action list
    showed nothing for a claim the agency collects again."""
    world.clock.set(datetime(2027, 2, 2, 10, 0, tzinfo=AMSTERDAM))
    stop = StopRequest(StopScope.FULL, "goodwill", world.invoice().addressee.email, True)
    stop_invoice(STAFF, "inv-1", stop, world.provider_context(), cause=RequestCause("r-1"))
    assert closed_by_the_system(world, date(2027, 2, 2))

    at = datetime(2027, 2, 4, 9, 0, tzinfo=AMSTERDAM)
    world.clock.set(at)
    corrected = world.invoice()
    for number, entry in enumerate(corrected.ledger, 1):
        if entry.kind.value == "stop":
            corrected = correct_entry(
                corrected, number, "verkeerde stop", "op-1", at, payment_term_days=30
            )
    stored = world.store.save_invoice(corrected)
    block_unsettled_claim(world.store, stored, world.clock)

    assert not stored.is_paid and is_blocked(world.store, PRACTICE, stored.patient_ref)
    action = the_action(world)
    assert action.state is ActionState.OPEN
    assert "closed_by" not in action.details and action.details["reopened_on"] == "2027-02-04"
    assert "weer" in action.details["what_to_do"] and "again" in action.details["what_to_do_en"]
    assert action.details["todo"] == "call_your_patient"
