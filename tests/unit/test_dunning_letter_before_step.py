"""No step of the dunning timeline before the letter it follows has gone out (art. 6:96
lid 6 BW, legal-nl.md §2; R19; audit dunningcfg).

The run decides on a letter and the delivery sends it (R18: the letter waits on the
invoice until it is sent, the run queues it again every day). When the delivery keeps
failing (a queue that loses the message, a letter that fails to render), the run used to
go on by the calendar all the same: it charged the collection costs after the term of a
reminder that never went out, and handed the claim to the agency without the second
notice. BIK may only be charged after a 14-day letter the patient received; the handover
follows the second notice.
"""

from __future__ import annotations

from datetime import date, timedelta

from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.invoices.invoice import DunningStage
from tests.unit.dunning_world import FINAL_PAYMENT_DATE, DunningWorld, one_invoice


def _day(n: int) -> date:
    return FINAL_PAYMENT_DATE + timedelta(days=n)


def _runs_without_delivery(world: DunningWorld, first: int, last: int) -> None:
    """The daily runs of these days, every letter they queue lost before it is sent."""
    for n in range(first, last + 1):
        world.run(_day(n), deliver=False)
        world.queue.requests.clear()


def test_no_costs_and_no_handover_while_the_reminder_has_not_gone_out():
    """Given an unpaid invoice whose reminder the run decided on on 31 December 2026 (the
    default run of R19), when its delivery fails every day until 20 February 2027, then
    no collection costs are charged and the claim is not handed over: the patient never
    received a 14-day letter (art. 6:96 lid 6 BW, legal-nl.md §2). Before the fix: €150.00
    BIK on 15 January and the handover on 29 January."""
    world = DunningWorld([one_invoice(100_000)])

    _runs_without_delivery(world, 8, 59)

    invoice = world.invoice()
    assert invoice.dunning_stage is DunningStage.REMINDED
    assert world.costs() == 0 and invoice.handed_over_on is None
    assert [letter.kind for letter in invoice.letters_due] == [REMINDER]
    assert world.queue.requests == [] and world.letters() == []


def test_once_the_reminder_goes_out_its_term_runs_from_that_day():
    """Given the reminder of 31 December 2026 that failed to go out until the run of 3
    February 2027 queued it again and it was sent (e-mail: received that day), when the
    runs go on daily, then the costs come the day after its term, 18 February (3 Feb +
    14 days, legal-nl.md §2), and the handover 14 days after them (R19)."""
    world = DunningWorld([one_invoice(100_000)])
    _runs_without_delivery(world, 8, 41)  # to 2 February 2027

    world.run_days(date(2027, 2, 3), date(2027, 3, 10))

    invoice = world.invoice()
    assert invoice.reminder is not None and invoice.reminder.final_date == date(2027, 2, 17)
    assert invoice.costs_charged_on == date(2027, 2, 18) and world.costs() == 15_000
    assert invoice.handed_over_on == date(2027, 3, 4)


def test_no_handover_while_the_second_notice_has_not_gone_out():
    """Given the costs charged on 15 January 2027 and the second notice the run decided on
    that day, when its delivery fails every day until 10 March 2027, then the claim is
    not handed to the collection agency: R19 hands it over 14 days after the second
    notice is sent. Before the fix: handed over on 29 January without any notice."""
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(_day(8), date(2027, 1, 14))

    _runs_without_delivery(world, (date(2027, 1, 15) - FINAL_PAYMENT_DATE).days, 77)

    invoice = world.invoice()
    assert invoice.costs_charged_on == date(2027, 1, 15)
    assert invoice.dunning_stage is DunningStage.COSTS_CHARGED and invoice.handed_over_on is None
    assert [letter.kind for letter in invoice.letters_due] == [SECOND_NOTICE]
    assert world.handover_files() == []


def test_a_letter_about_two_invoices_charges_neither_while_it_waits_on_its_lead():
    """Given one reminder about two invoices of one patient (legal-nl.md §2: one letter,
    the staffel over the summed principals), the letter waiting on its lead, when its
    delivery fails every day to 20 February 2027, then neither invoice gets costs: the
    other invoice, which does not carry the letter, waits for it too."""
    world = DunningWorld([one_invoice(100_000, number=1), one_invoice(50_000, number=2)])

    _runs_without_delivery(world, 8, 59)

    first, second = world.invoice("inv-1"), world.invoice("inv-2")
    assert first.reminder is not None and first.reminder == second.reminder
    assert len(first.reminder.covers) == 2
    assert world.costs("inv-1") == 0 and world.costs("inv-2") == 0
    assert first.handed_over_on is None and second.handed_over_on is None
