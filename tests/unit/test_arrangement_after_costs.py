"""An instalment arrangement made after the collection costs were charged (R15, R20, audit
legal D1), through the public use cases: the daily run at 06:00, bank statements, the
checker's breakdown.

R15: "Dunning pauses while terms are paid on time; a term missed by more than 14 days
cancels the arrangement and dunning resumes where it stopped." R20: "Interest keeps
accruing while a claim is open." So the terms cover the interest accrued up to the
request and the interest that accrues until each term's due date (costs -> interest ->
principal, legal-nl.md §5): a patient who pays every term on its due date has paid the
claim. A term paid late within its 14 days leaves a little interest open; the arrangement
was kept, so that rest is one more term, due 14 days after the terms were settled, and
only missing it cancels the arrangement.

The example: €1,000.00 by e-mail, final payment date 2026-12-23, reminder 2026-12-31,
costs (€150.00) charged 2027-01-15; on 2027-01-20 the patient asks for 2 terms (fee
€10.00), due 2027-02-03 and 2027-03-03.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from billing_core.changes.arrangement import (
    create_arrangement,
    next_term,
    rest_after_terms,
    terms_settled_on,
)
from billing_core.dunning.breakdown import PayBy, breakdown
from billing_core.dunning.timeline import Plan, Step, plan
from billing_core.invoices.invoice import ArrangementStatus, ArrangementTerm, DunningStage
from billing_core.services.patient import PatientContext, payment_status
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import DunningWorld, one_invoice

REQUEST_DAY = date(2027, 1, 20)
FIRST_TERM = date(2027, 2, 3)
LAST_TERM = date(2027, 3, 3)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def arranged_after_costs() -> DunningWorld:
    """The example up to the request: costs charged, the second notice sent, 2 terms."""
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 31), REQUEST_DAY)
    assert world.invoice().dunning_stage is DunningStage.COSTS_CHARGED
    world.store.save_invoice(
        create_arrangement(world.invoice(), world.provider, 2, at(REQUEST_DAY, 12))
    )
    return world


def pay_term(world: DunningWorld, cents: int, day: date) -> None:
    """The runs up to ``day``, then a transfer credited that day."""
    world.run_days(world.clock.today() + timedelta(days=1), day)
    world.import_transfer(cents, booked_on=day, at=at(day, 9))


def test_the_terms_cover_the_interest_up_to_each_due_date():
    """R15, R20: on 20 January € 1.152,96 is due (€ 2,96 interest from 24 December); the
    terms add that, the fee and the interest accruing until each term's due date."""
    world = arranged_after_costs()
    assert world.money(REQUEST_DAY).due == 115_000 + 1_000 + 296
    assert world.invoice().arrangement.terms == (
        ArrangementTerm(FIRST_TERM, 58_313),
        ArrangementTerm(LAST_TERM, 58_314),
    )


def test_every_term_paid_on_its_due_date_settles_the_claim_and_nothing_is_handed_over():
    """R15: "Dunning pauses while terms are paid on time". Given the arrangement after
    costs, when both terms are paid on their due dates, then nothing is left open, the
    arrangement is completed, and the runs that follow hand nothing over."""
    world = arranged_after_costs()
    for term in world.invoice().arrangement.terms:
        pay_term(world, term.amount_cents, term.due_date)

    assert world.invoice().balance_cents == 0
    assert world.invoice().arrangement.status is ArrangementStatus.COMPLETED
    world.run_days(LAST_TERM + timedelta(days=1), LAST_TERM + timedelta(days=60))
    assert world.invoice().dunning_stage is DunningStage.COSTS_CHARGED
    assert world.handover_files() == []


@pytest.mark.parametrize(
    ("principal", "terms"),
    # Claims whose equal terms cannot add up to the claim: the total that leaves a cent
    # open has the next total, a cent more, leave a cent over (audit instalments53).
    [(266_607, 8), (197_251, 8), (4_784_828, 7)],
)
def test_terms_paid_on_their_due_dates_pay_the_claim_to_the_cent(principal, terms):
    """R15: the terms add up to what is due, the fee and the interest to their due dates,
    to the cent; the rest cent goes to the last term. Given an arrangement after the
    costs of a claim that no total of equal terms pays exactly, when every term is paid
    on its due date, then nothing is open and nothing was paid too much (before: a cent
    of credit to refund, R13)."""
    # Given the costs charged (15 January) and the arrangement asked on 20 January
    world = DunningWorld([one_invoice(principal)])
    world.run_days(date(2026, 12, 31), REQUEST_DAY)
    world.store.save_invoice(
        create_arrangement(world.invoice(), world.provider, terms, at(REQUEST_DAY, 12))
    )
    agreed = world.invoice().arrangement.terms
    # When every term is paid on its due date
    for term in agreed:
        pay_term(world, term.amount_cents, term.due_date)
    # Then the claim is paid exactly: no credit, the arrangement completed
    invoice = world.invoice()
    assert (invoice.balance_cents, invoice.credit_cents) == (0, 0)
    assert invoice.arrangement.status is ArrangementStatus.COMPLETED
    # And the terms are equal but the last, which holds the rounding and the rest cent
    regular = agreed[0].amount_cents
    assert {term.amount_cents for term in agreed[:-1]} == {regular}
    assert regular <= agreed[-1].amount_cents <= regular + terms


def test_a_last_term_paid_late_within_its_14_days_leaves_a_rest_term_not_a_handover():
    """R15: a term paid up to 14 days late is kept, so the arrangement was kept and dunning
    stays paused (audit arrangements ARRANGEMENTS2). Given the last term paid 10 days late
    (13 March), when the interest of those days is still open, then that rest is one more
    term of the arrangement, due 14 days after the terms were settled (27 March): the
    checker names it as the term to pay (never a second notice's date), nothing is handed
    over and the patient is not blocked, and only missing it by more than 14 days too
    cancels the arrangement and resumes dunning where it stopped (the handover, R19)."""
    world = arranged_after_costs()
    first, last = world.invoice().arrangement.terms
    settled = LAST_TERM + timedelta(days=10)
    pay_term(world, first.amount_cents, first.due_date)
    pay_term(world, last.amount_cents, settled)

    invoice = world.invoice()
    rest = invoice.balance_cents
    assert rest > 0  # the interest of the 10 late days
    assert terms_settled_on(invoice) == settled
    rest_due = settled + timedelta(days=14)
    assert next_term(invoice) == ArrangementTerm(rest_due, rest)
    missed_on = rest_due + timedelta(days=15)
    assert plan(invoice, world.provider.dunning, settled + timedelta(days=1)) == Plan(
        None, missed_on
    )
    view = breakdown(invoice, world.provider.dunning, settled + timedelta(days=1))
    assert (view.pay_by, view.pay_by_kind, view.term_cents) == (
        rest_due,
        PayBy.ARRANGEMENT_TERM,
        rest,
    )

    world.run_days(settled + timedelta(days=1), missed_on - timedelta(days=1))
    assert world.handover_files() == []
    assert world.store.blocked_patients(world.provider.provider_id) == []
    assert world.invoice().arrangement.status is ArrangementStatus.ACTIVE
    # Left unpaid more than 14 days after its due date, the rest is a missed term (R15)
    world.run(missed_on)
    assert world.invoice().arrangement.status is ArrangementStatus.CANCELLED
    assert world.invoice().handed_over_on == missed_on


def test_the_rest_term_paid_completes_the_arrangement():
    """R15: given the last term paid 10 days late and its rest paid by the rest term's due
    date, then nothing is open, the arrangement is completed and nothing is handed over."""
    world = arranged_after_costs()
    first, last = world.invoice().arrangement.terms
    pay_term(world, first.amount_cents, first.due_date)
    pay_term(world, last.amount_cents, LAST_TERM + timedelta(days=10))
    rest = next_term(world.invoice())

    pay_term(world, rest.amount_cents, rest.due_date)

    assert world.invoice().balance_cents == 0
    assert world.invoice().arrangement.status is ArrangementStatus.COMPLETED
    world.run_days(rest.due_date + timedelta(days=1), rest.due_date + timedelta(days=60))
    assert world.handover_files() == []


def test_a_term_missed_by_more_than_14_days_still_resumes_dunning_at_once():
    """R15: "a term missed by more than 14 days cancels the arrangement and dunning
    resumes where it stopped": the handover, whose day passed, is due at once."""
    world = arranged_after_costs()
    first, _ = world.invoice().arrangement.terms
    pay_term(world, first.amount_cents, first.due_date)
    cancelled_on = LAST_TERM + timedelta(days=15)
    world.run_days(world.clock.today() + timedelta(days=1), cancelled_on - timedelta(days=1))
    assert world.handover_files() == []

    assert plan(world.invoice(), world.provider.dunning, cancelled_on).step is Step.HANDOVER
    world.run(cancelled_on)
    assert world.invoice().arrangement.status is ArrangementStatus.CANCELLED
    assert world.invoice().handed_over_on == cancelled_on


def test_the_checker_lists_the_rest_term_among_the_terms():
    """R15, R10 (audit: stop 34 item 2 left it out): given the last term paid 10 days late,
    when the patient looks the next day, then the checker's list of terms has the rest as
    one more term, with the due date and amount it names as the next term (it showed the
    original two only, so the term to pay was nowhere in the list)."""
    world = arranged_after_costs()
    first, last = world.invoice().arrangement.terms
    settled = LAST_TERM + timedelta(days=10)
    pay_term(world, first.amount_cents, first.due_date)
    pay_term(world, last.amount_cents, settled)
    world.clock.set(at(settled + timedelta(days=1), 10))

    context = PatientContext(world.store, world.queue, world.clock)
    view = payment_status(world.invoice().reference, context)

    rest = next_term(world.invoice())
    assert rest is not None and rest.due_date == settled + timedelta(days=14)
    assert view.arrangement_terms == (first, last, rest)


def test_the_rest_a_letter_names_holds_for_terms_paid_as_it_counted_and_grows_by_later_days():
    """R15, R20, legal-nl.md §4 (closing14: "the amount a letter names for the rest can grow
    by the interest of a term paid after the letter"). The chosen behaviour: interest runs
    up to the day a payment is received (§4) and nothing caps it as §2 caps the BIK, so the
    rest a letter names (``rest_after_terms``) is what is left when each open term is paid
    on the day it counted with (its due date, or the letter's day for one already passed)
    and no more: interest stops on what is paid by then. Given the first term unpaid 5 days
    after its date (a letter that day names a rest: the interest of those 5 days), when it
    is paid that day and the last term on its date, then the rest is exactly the amount
    named; when it is paid 5 days later still, the rest is larger by the interest of those
    later days, and no more than that."""
    first_letter_day = FIRST_TERM + timedelta(days=5)

    def rest_after(first_paid_on: date) -> tuple[int, int]:
        world = arranged_after_costs()
        first, last = world.invoice().arrangement.terms
        world.run_days(REQUEST_DAY + timedelta(days=1), first_letter_day)
        named = rest_after_terms(world.invoice(), first_letter_day)
        assert named is not None and named.amount_cents > 0
        pay_term(world, first.amount_cents, first_paid_on)
        pay_term(world, last.amount_cents, last.due_date)
        rest = next_term(world.invoice())
        assert rest is not None
        return named.amount_cents, rest.amount_cents

    named, as_counted = rest_after(first_letter_day)
    assert as_counted == named
    named_again, paid_later = rest_after(first_letter_day + timedelta(days=5))
    assert named_again == named
    # 5 more days' interest on the € 583,13 term that stayed open (7 or 4 %): a few cents.
    assert 0 < paid_later - named <= 50
