"""What is due and why (R36, R20, issue 12 "done when"): the breakdown the checker and the
practice's invoice page show, and the date that counts now."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest

from billing_core.changes.arrangement import create_arrangement
from billing_core.changes.deferral import grant_deferral
from billing_core.dunning.breakdown import PayBy
from billing_core.dunning.timeline import Plan, Step, handover_day, plan
from billing_core.invoices.invoice import InvoiceStatus
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.services.patient import PatientContext, payment_status
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.factories import REFERENCE, make_invoice, make_line, make_provider
from tests.unit.fake_store import FakeQueue, FakeStore
from tests.unit.test_dunning_letters import charged, reminded

AFTER_COSTS = date(2027, 2, 10)


def status_on(invoice, day):
    invoice = dataclasses.replace(invoice, reference=REFERENCE)  # one with a valid check digit
    clock = FixedClock(datetime.combine(day, datetime.min.time(), tzinfo=AMSTERDAM))
    store = FakeStore([invoice], [make_provider()])
    return payment_status(invoice.reference, PatientContext(store, FakeQueue(), clock))


def test_r36_after_a_reminder_the_date_that_counts_is_the_reminders_final_date():
    # Given an invoice of € 57,17 with a reminder sent (final payment date 23 Dec 2026)
    (invoice,) = reminded(5717)
    # When the patient looks it up before the reminder's final date
    view = status_on(invoice, date(2027, 1, 12))
    # Then the date shown is the reminder's, not the invoice's original one
    assert view.breakdown.pay_by_kind is PayBy.REMINDER
    assert view.breakdown.pay_by == invoice.reminder.final_date
    assert view.breakdown.pay_by != invoice.final_payment_date


def test_r36_the_breakdown_after_costs_adds_up_to_what_is_due():
    # Given an invoice of € 57,17 with collection costs charged and interest running
    (invoice,) = charged(5717)
    # When the patient looks it up weeks later
    view = status_on(invoice, AFTER_COSTS)
    parts = view.breakdown
    # Then the parts are shown and add up to the amount due, to the cent (R20, R36)
    assert parts.invoiced_cents == 5717 and parts.costs_cents == 4000
    assert parts.interest_cents > 0
    assert parts.due_cents == view.amount_due_cents
    assert parts.due_cents == (
        parts.invoiced_cents
        - parts.reimbursed_cents
        - parts.forgiven_cents
        - parts.paid_cents
        + parts.costs_cents
        + parts.fee_cents
        + parts.interest_cents
    )
    assert parts.pay_by_kind is PayBy.SECOND_NOTICE


# --- the provider's hold (R16) ----------------------------------------------------------------

HOLD_END = date(2027, 1, 15)  # put on hold on 20 December, before the final date passed


def held(invoice, until=HOLD_END):
    return dataclasses.replace(invoice, hold_until=until, hold_reason="bezwaar", hold_days_used=26)


def test_r16_a_hold_past_the_final_date_shows_its_end_not_a_date_that_has_passed():
    # Given a sent invoice (final payment date 23 December 2026) on hold until 15 January 2027
    invoice = held(make_invoice(status=InvoiceStatus.SENT))
    # When the patient looks it up on 5 January, the invoice's own date long past
    view = status_on(invoice, date(2027, 1, 5))
    # Then the date to pay by is the hold's last day, named as such, not 23 December
    assert view.breakdown.pay_by_kind is PayBy.HOLD
    assert view.breakdown.pay_by == HOLD_END
    # And it is the day dunning really uses: nothing until then, the reminder the day after,
    # since its own day (the 31st) passed during the hold (R16, R19, dunning.timeline)
    policy = make_provider().dunning
    assert plan(invoice, policy, HOLD_END) == Plan(None, HOLD_END + timedelta(days=1))
    assert plan(invoice, policy, HOLD_END + timedelta(days=1)).step is Step.REMINDER


def test_r16_a_hold_over_the_reminders_term_moves_the_date_to_the_holds_end():
    # Given a reminder (its final date in January) and then a hold past that date
    (invoice,) = reminded(5717)
    until = invoice.reminder.final_date + timedelta(days=10)
    invoice = held(invoice, until)
    # When the patient looks it up after the reminder's final date, during the hold
    view = status_on(invoice, invoice.reminder.final_date + timedelta(days=3))
    # Then the hold's end counts: the costs come the day after it, not before (R19, R20)
    assert (view.breakdown.pay_by, view.breakdown.pay_by_kind) == (until, PayBy.HOLD)
    policy = make_provider().dunning
    assert plan(invoice, policy, until).step is None
    assert plan(invoice, policy, until + timedelta(days=1)).step is Step.COSTS


def test_r16_r19_a_hold_over_a_final_notice_still_to_go_names_the_holds_end():
    # Given the costs charged and the final notice queued, not sent yet (it waits on the
    # invoice: no day before the agency is known, R19), and then a hold of the practice
    (invoice,) = charged(5717)
    assert invoice.letters_due, "the final notice waits on the invoice"
    day = invoice.costs_charged_on
    until = day + timedelta(days=20)
    # When the patient looks it up during the hold
    parts = status_on(held(invoice, until), day).breakdown
    # Then the hold's end counts, as over any other date of the timeline (R16): the
    # delivery holds the notice with the invoice and it goes the day after the hold, not
    # "no date", which left the hold's end off the date line (checker53b)
    assert (parts.pay_by, parts.pay_by_kind, parts.pay_by_passed) == (until, PayBy.HOLD, False)
    # And without the hold no day is named while the notice is still to go (checker53)
    assert status_on(invoice, day).breakdown.pay_by is None


def test_r16_a_hold_that_ends_before_the_date_that_counts_changes_no_date():
    # Given an invoice on hold until 10 December, before its final date of 23 December
    invoice = held(make_invoice(), date(2026, 12, 10))
    # When the patient looks it up during the hold
    view = status_on(invoice, date(2026, 12, 1))
    # Then the invoice's own final payment date still counts
    assert view.breakdown.pay_by_kind is PayBy.FINAL_PAYMENT_DATE
    assert view.breakdown.pay_by == date(2026, 12, 23)


# --- a date that has passed (R36) -------------------------------------------------------------
# The date that counts can lie behind today while dunning has not taken its next step yet: the
# reminder goes a week after the final date (days_to_reminder), the costs and the handover on
# the first run after their day, and an arrangement's missed term cancels it only 15 days on
# (R15). The checker must then say the date has passed, not "pay by" it.

PROVIDER = make_provider()
ARRANGED_ON = datetime(2026, 11, 25, 20, 15, tzinfo=AMSTERDAM)


def deferred():
    return grant_deferral(make_invoice(status=InvoiceStatus.SENT), PROVIDER, ARRANGED_ON)


def arranged():
    big = make_invoice(lines=(make_line(unit_price_cents=30000),), status=InvoiceStatus.SENT)
    return create_arrangement(big, PROVIDER, 3, ARRANGED_ON)


def sent(invoice):
    """``invoice`` once the delivery sent its letter (the reminder, the second notice): no
    letter waits on it any more."""
    return dataclasses.replace(invoice, letters_due=())


def second_notice_day(invoice):
    return handover_day(invoice, PROVIDER.dunning) - timedelta(days=1)


@pytest.mark.parametrize(
    "make, kind, last_day",
    [
        (lambda: make_invoice(status=InvoiceStatus.SENT), PayBy.FINAL_PAYMENT_DATE, None),
        (deferred, PayBy.DEFERRED, None),
        (lambda: sent(reminded(5717)[0]), PayBy.REMINDER, lambda i: i.reminder.final_date),
        (lambda: sent(charged(5717)[0]), PayBy.SECOND_NOTICE, second_notice_day),
        (arranged, PayBy.ARRANGEMENT_TERM, lambda i: i.arrangement.terms[0].due_date),
    ],
    ids=["final_payment_date", "deferred", "reminder", "second_notice", "arrangement_term"],
)
def test_r36_a_date_that_counts_is_marked_passed_the_day_after_it_not_on_it(make, kind, last_day):
    # Given an invoice whose date that counts is of this kind
    invoice = make()
    day = last_day(invoice) if last_day else invoice.current_final_payment_date
    # When the patient looks on that day, the date is still one to pay by
    on_the_day = status_on(invoice, day).breakdown
    assert (on_the_day.pay_by, on_the_day.pay_by_kind, on_the_day.pay_by_passed) == (
        day,
        kind,
        False,
    )
    # Then, when the patient looks the next day, before dunning's next step (the run has
    # not changed the invoice), the same date is there, and marked as passed
    next_day = status_on(invoice, day + timedelta(days=1)).breakdown
    if kind is PayBy.REMINDER:
        # Except the reminder's: its term expired unpaid, so from the next day the costs
        # are due whatever the hour, and the checker says what the run makes of it before
        # it ran (R20, legal-nl.md §2; audit costsday2): the second notice's step, its
        # notice still to go, so no date yet, none passed (R19: the 14 days count from
        # it; checker53)
        assert (next_day.pay_by, next_day.pay_by_kind, next_day.pay_by_passed) == (
            None,
            PayBy.SECOND_NOTICE,
            False,
        )
        return
    assert (next_day.pay_by, next_day.pay_by_kind, next_day.pay_by_passed) == (day, kind, True)


def test_r20_no_costs_are_shown_due_while_the_reminder_itself_waits_to_be_sent():
    # Given a reminder the run decided on whose letter the delivery has not sent yet (it
    # still waits on the invoice, e.g. the delivery failing), its term's last day passed
    invoice = reminded(5717)[0]
    assert invoice.letters_due, "the reminder's letter waits on the invoice"
    day_after = invoice.reminder.final_date + timedelta(days=1)
    # When the patient looks the day after the term
    parts = status_on(invoice, day_after).breakdown
    # Then no collection costs are due: none without a reminder the patient received
    # (art. 6:96 lid 6 BW, legal-nl.md §2), as the run holds the step then; the
    # reminder's date stands, passed
    assert parts.costs_cents == 0
    assert (parts.pay_by_kind, parts.pay_by_passed) == (PayBy.REMINDER, True)


def test_r16_the_end_of_a_running_hold_has_never_passed():
    # Given a hold until 15 January over the passed final payment date
    invoice = held(make_invoice(status=InvoiceStatus.SENT))
    # When the patient looks on its last day
    parts = status_on(invoice, HOLD_END).breakdown
    # Then the hold's end counts and has not passed
    assert (parts.pay_by_kind, parts.pay_by_passed) == (PayBy.HOLD, False)


def test_r36_a_paid_invoice_has_no_date_and_nothing_passed():
    # Given an invoice paid in full
    invoice = make_invoice(status=InvoiceStatus.SENT)
    paid = apply_payment(invoice, IncomingPayment("bank", "tr-1", 3317, ARRANGED_ON))
    # When the patient looks long after its final date
    parts = status_on(paid, date(2027, 3, 1)).breakdown
    # Then no date counts, and none has passed
    assert (parts.pay_by, parts.pay_by_kind, parts.pay_by_passed) == (None, PayBy.NONE, False)
