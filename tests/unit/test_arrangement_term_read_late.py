"""A term of an arrangement paid in its 14 days but read after the run cancelled the
arrangement (audit arrangements ARRANGEMENTS1), through the public use cases: the daily
run at 06:00, the bank statement import, the checker's state.

R15: "a term missed by more than 14 days cancels the arrangement". legal-nl.md §2: "The
payment date decides, not the moment we learn of it … the result after a late payment
equals what it would have been had every payment been known on its date". A transfer
made on the last day of grace is read the morning after, when the 06:00 run has already
cancelled the arrangement and sent a reminder: the arrangement was kept, so it runs again
and what the cancellation set going supports no costs.

The example: €1,000.00 by e-mail, final payment date 2026-12-23; on 2026-12-01 the patient
asks for 2 terms (fee €10.00): € 505,00 due 2026-12-23 and 2027-01-23. The last day of
grace of the first term is 2027-01-06; the run of 2027-01-07 cancels.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from billing_core.changes.arrangement import create_arrangement, next_term
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.invoices.invoice import ArrangementStatus, DunningStage
from billing_core.invoices.ledger import EntryKind, total_of
from billing_core.payments.bank_import import ARRANGEMENT_KEPT
from billing_core.services.patient import InvoiceState, invoice_state
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import DunningWorld, one_invoice

LAST_DAY_OF_GRACE = date(2027, 1, 6)
CANCELLED_ON = date(2027, 1, 7)
SECOND_TERM = date(2027, 1, 23)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def cancelled_by_the_run() -> DunningWorld:
    """The example up to the run of 2027-01-07, which cancelled the arrangement (nothing
    of the first term known yet) and sent a reminder."""
    world = DunningWorld([one_invoice(100_000)])
    made = at(date(2026, 12, 1), 12)
    world.store.save_invoice(create_arrangement(world.invoice(), world.provider, 2, made))
    world.run_days(date(2026, 12, 2), CANCELLED_ON)
    assert world.invoice().arrangement.status is ArrangementStatus.CANCELLED
    assert world.invoice().reminder.sent_on == CANCELLED_ON
    return world


def reminders(world: DunningWorld) -> list[date]:
    return [c.at.date() for c in world.invoice().correspondence if c.kind == REMINDER]


def test_a_first_term_paid_on_its_last_day_of_grace_and_read_after_the_run_keeps_it():
    """Given the run of 7 January cancelled the arrangement and sent a reminder, when the
    statement with the first term booked on 6 January is read at 09:00, then the
    arrangement runs again and the checker says so; with the second term paid on its day,
    the runs up to March charge no costs, hand nothing over and the claim is paid."""
    world = cancelled_by_the_run()
    first, second = world.invoice().arrangement.terms

    world.import_transfer(first.amount_cents, booked_on=LAST_DAY_OF_GRACE, at=at(CANCELLED_ON, 9))

    invoice = world.invoice()
    assert invoice.arrangement.status is ArrangementStatus.ACTIVE
    assert invoice.arrangement.cancelled_at is None
    assert invoice_state(invoice, CANCELLED_ON) is InvoiceState.ARRANGEMENT_ACTIVE
    world.run_days(CANCELLED_ON + timedelta(days=1), SECOND_TERM - timedelta(days=1))
    world.import_transfer(second.amount_cents, booked_on=SECOND_TERM, at=at(SECOND_TERM, 9))
    world.run_days(SECOND_TERM, date(2027, 3, 10))

    assert total_of(world.invoice().ledger, EntryKind.COSTS) == 0  # no BIK
    assert total_of(world.invoice().ledger, EntryKind.INTEREST) == 0
    assert world.handover_files() == []
    assert world.invoice().balance_cents == 0
    assert world.invoice().arrangement.status is ArrangementStatus.COMPLETED


def test_costs_charged_on_the_cancellations_reminder_are_taken_back():
    """Given the cancellation's reminder expired and the run of 22 January charged the
    BIK and sent the second notice, when an operator's late statement shows the first
    term booked on 6 January, then the BIK is undone by an entry that says why (R27),
    the claim is back where the arrangement paused it (no costs, no interest), and with
    the second term paid nothing more is charged or handed over."""
    world = cancelled_by_the_run()
    first, second = world.invoice().arrangement.terms
    world.run_days(CANCELLED_ON + timedelta(days=1), date(2027, 1, 22))
    assert world.costs() == world.provider.arrangement_fee_cents + 15_000

    world.import_transfer(first.amount_cents, booked_on=LAST_DAY_OF_GRACE, at=at(SECOND_TERM, 9))

    invoice = world.invoice()
    undone = invoice.ledger[-1]
    assert (undone.kind, undone.amount_cents) == (EntryKind.COSTS, -15_000)
    assert "kept the arrangement cancelled on 2027-01-07" in undone.note
    assert invoice.arrangement.status is ArrangementStatus.ACTIVE
    assert (invoice.dunning_stage, invoice.costs_charged_on) == (DunningStage.REMINDED, None)
    assert world.money(SECOND_TERM).due == second.amount_cents
    world.import_transfer(second.amount_cents, booked_on=SECOND_TERM, at=at(SECOND_TERM, 10))
    world.run_days(date(2027, 1, 24), date(2027, 3, 10))
    assert world.invoice().balance_cents == 0
    assert world.handover_files() == []


def test_a_later_missed_term_needs_a_new_reminder_not_the_cancellations():
    """Given the first term was kept after all (read after the run), when the second term
    is missed by more than 14 days, then the arrangement is cancelled again and a new
    reminder goes out (legal-nl.md §2): the one sent on the undone cancellation, whose
    term has long passed, supports no costs."""
    world = cancelled_by_the_run()
    first, _ = world.invoice().arrangement.terms
    world.import_transfer(first.amount_cents, booked_on=LAST_DAY_OF_GRACE, at=at(CANCELLED_ON, 9))

    missed_on = SECOND_TERM + timedelta(days=15)
    world.run_days(CANCELLED_ON + timedelta(days=1), missed_on)

    assert world.invoice().arrangement.status is ArrangementStatus.CANCELLED
    assert reminders(world) == [CANCELLED_ON, missed_on]
    assert world.costs() == 0  # the fee was paid with the first term; no BIK yet


def test_a_handover_on_the_cancellation_is_reported_to_the_agency():
    """Given an arrangement made after the costs (2 terms, 3 February and 3 March), the
    second term paid on its last day of grace (17 March) and read after the run of 18
    March cancelled the arrangement and handed the claim over, then the arrangement is
    kept, with the interest of the late days as its rest term, and the agency gets a
    record of the day saying why (legal-nl.md §2: a handover already sent is reported;
    the claim stays with the agency, R22)."""
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 31), date(2027, 1, 20))
    made = at(date(2027, 1, 20), 12)
    world.store.save_invoice(create_arrangement(world.invoice(), world.provider, 2, made))
    first, second = world.invoice().arrangement.terms
    world.run_days(date(2027, 1, 21), first.due_date)
    world.import_transfer(first.amount_cents, booked_on=first.due_date, at=at(first.due_date, 9))
    grace = second.due_date + timedelta(days=14)
    read_on = grace + timedelta(days=1)
    world.run_days(first.due_date + timedelta(days=1), read_on)
    assert world.invoice().is_with_collection_agency

    world.import_transfer(second.amount_cents, booked_on=grace, at=at(read_on, 9))

    invoice = world.invoice()
    assert invoice.arrangement.status is ArrangementStatus.ACTIVE
    assert next_term(invoice) is not None  # the rest: the interest of the 14 late days
    key = f"collection/updates/{read_on}/{world.provider.provider_id}/{invoice.reference}.json"
    record = json.loads(world.files.files[key])
    assert record["reason"] == ARRANGEMENT_KEPT
    assert record["amounts_cents"]["total"] == invoice.balance_cents


# --- a letter of the cancellation still waiting to be sent (R15, R19, legal-nl.md §2) -------


def test_the_cancellations_reminder_still_waiting_is_not_sent_once_the_term_is_read():
    """Given the run of 7 January cancelled the arrangement and queued a reminder that has
    not gone out yet, when the statement with the first term booked on 6 January is read
    at 09:00 and the queue then delivers, then no reminder reaches the patient (the
    arrangement runs: R15, legal-nl.md §2) and none waits on the invoice any more; a later
    missed term still gets a reminder of its own."""
    world = DunningWorld([one_invoice(100_000)])
    made = at(date(2026, 12, 1), 12)
    world.store.save_invoice(create_arrangement(world.invoice(), world.provider, 2, made))
    world.run_days(date(2026, 12, 2), CANCELLED_ON - timedelta(days=1))
    world.run(CANCELLED_ON, deliver=False)
    assert [letter.kind for letter in world.invoice().letters_due] == [REMINDER]
    first, _ = world.invoice().arrangement.terms

    world.import_transfer(first.amount_cents, booked_on=LAST_DAY_OF_GRACE, at=at(CANCELLED_ON, 9))

    assert world.invoice().arrangement.status is ArrangementStatus.ACTIVE
    assert reminders(world) == []
    assert world.invoice().letters_due == ()
    missed_on = SECOND_TERM + timedelta(days=15)
    world.run_days(CANCELLED_ON + timedelta(days=1), missed_on)
    assert reminders(world) == [missed_on]


def test_the_second_notice_still_waiting_is_not_sent_once_the_term_is_read():
    """Given the cancellation's reminder expired and the run of 22 January charged the BIK
    and queued the second notice, not sent yet, when the first term booked on 6 January is
    read at 09:00 and the queue delivers, then no second notice goes out (R19: it threatens
    a handover of an arrangement that runs, R15) and none waits on the invoice."""
    world = cancelled_by_the_run()
    first, _ = world.invoice().arrangement.terms
    world.run_days(CANCELLED_ON + timedelta(days=1), date(2027, 1, 21))
    world.run(date(2027, 1, 22), deliver=False)
    assert [letter.kind for letter in world.invoice().letters_due] == [SECOND_NOTICE]

    world.import_transfer(first.amount_cents, booked_on=LAST_DAY_OF_GRACE, at=at(SECOND_TERM, 9))

    assert SECOND_NOTICE not in [kind for kind, _ in world.letters()]
    assert world.invoice().letters_due == ()
