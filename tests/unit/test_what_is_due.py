"""What is due and why (R36, R20, issue 12 "done when"): the breakdown the checker and the
practice's invoice page show, and the date that counts now."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from billing_core.dunning.breakdown import PayBy
from billing_core.services.patient import PatientContext, payment_status
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.factories import REFERENCE, make_provider
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
