"""The Algemene termijnenwet moves the reminder's term past weekends and Atw holidays
(issue 12 item 2; legal-nl.md §2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.easter import easter
from hypothesis import given
from hypothesis import strategies as st

from billing_core.dunning.run import RunSummary
from billing_core.invoices.ledger import Component, balance
from billing_core.legal import (
    ATW_DAYS,
    Channel,
    OutsideAtwCalendar,
    is_atw_day_off,
    reminder_final_date,
    term_end,
)
from tests.unit.dunning_world import DunningWorld, one_invoice

DECREES = (
    date(2026, 1, 2),
    date(2026, 5, 15),
    date(2027, 5, 7),
    date(2028, 4, 28),
    date(2028, 5, 26),
)


@pytest.mark.parametrize(
    "sent, final, why",
    [
        (date(2027, 2, 9), date(2027, 2, 23), "Tue + 14 is a Tuesday: no move"),
        (date(2027, 2, 13), date(2027, 3, 1), "Sat + 14 is Sat 27 Feb: on to Monday"),
        (date(2027, 3, 12), date(2027, 3, 30), "Good Friday, Sat, Easter Sun and Mon: Tue"),
    ],
)
def test_the_examples_of_the_algemene_termijnenwet(sent, final, why):
    """Given an e-mailed reminder (received the day it is sent), when its final date is
    computed, then a term whose last day is a Saturday, Sunday or Atw holiday runs on to
    the next day that is none of these (legal-nl.md §2's examples)."""
    assert reminder_final_date(sent, Channel.EMAIL) == final, why


def test_a_paper_reminder_is_moved_from_its_presumed_receipt():
    """Given a paper reminder posted Thu 2027-04-22, received (second delivery day) Sat
    the 24th, then receipt + 14 is Sat 8 May: on to Monday 10 May (legal-nl.md §2)."""
    assert reminder_final_date(date(2027, 4, 22), Channel.PAPER) == date(2027, 5, 10)


def test_5_may_and_the_decrees_stop_a_term_that_the_holidays_package_would_not():
    """Given terms running out on Liberation Day 2026 (a Tuesday) and on the decreed
    Friday after Ascension Day 2027, then both run on: the Atw's list, not the public
    holidays (legal-nl.md §2)."""
    assert term_end(date(2026, 5, 5)) == date(2026, 5, 6)
    assert term_end(date(2027, 5, 6)) == date(2027, 5, 10)  # Ascension, decree, weekend


def test_the_calendar_is_dated_data_with_a_source_per_day():
    """The calendar covers 2024-2028: per year the nine days of art. 3 lid 1 (Easter's
    days checked against an independent Easter computation), plus each equating decree
    with the decree as its source."""
    by_day = {row.day: row for row in ATW_DAYS}
    assert all(row.source and row.name for row in ATW_DAYS)
    for year in range(2024, 2029):
        sunday = easter(year)
        law = {row.day for row in ATW_DAYS if row.day.year == year and "lid 1" in row.source}
        assert {
            date(year, 1, 1),
            sunday - timedelta(days=2),
            sunday + timedelta(days=1),
            date(year, 5, 5),
            sunday + timedelta(days=39),
            sunday + timedelta(days=50),
            date(year, 12, 25),
            date(year, 12, 26),
        } < law and len(law) == 9  # and King's Day
    assert date(2025, 4, 26) in by_day and date(2025, 4, 27) not in by_day  # 27th a Sunday
    assert all("lid 3" in by_day[day].source for day in DECREES)


def test_a_term_outside_the_calendar_is_refused_not_guessed():
    with pytest.raises(OutsideAtwCalendar):
        term_end(date(2029, 1, 2))


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 20)))
def test_a_term_ends_on_the_first_working_day_on_or_after_its_last_day(last_day):
    end = term_end(last_day)
    assert last_day <= end <= last_day + timedelta(days=5)
    assert not is_atw_day_off(end) and end.weekday() < 5
    assert all(is_atw_day_off(last_day + timedelta(days=n)) for n in range((end - last_day).days))


def test_the_letter_prints_the_moved_date_and_costs_come_only_after_it():
    """Given an e-mail invoice with final payment date 4 March 2027, when the run sends the
    reminder on Friday 12 March, then the letter says "uiterlijk op 30 maart 2027" (the
    26th is Good Friday), and the runs of 27-30 March charge nothing; the run of 31 March
    charges the BIK (legal-nl.md §2, Atw art. 1)."""
    world = DunningWorld([one_invoice(100_000, final_payment_date=date(2027, 3, 4))])
    world.run_days(date(2027, 3, 5), date(2027, 3, 12))
    (_, reminder, _) = world.outbox.sent[0]
    assert "uiterlijk op 30 maart 2027" in reminder.text

    during: list[RunSummary] = world.run_days(date(2027, 3, 13), date(2027, 3, 30))

    assert sum(summary.actions for summary in during) == 0
    assert balance(world.invoice().ledger, Component.COSTS) == 0
    assert world.run(date(2027, 3, 31)).steps == {"costs": 1}
    assert balance(world.invoice().ledger, Component.COSTS) == 15_000
