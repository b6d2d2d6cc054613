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
from billing_core.legal.atw import DECREES_KNOWN_UNTIL, atw_days
from billing_core.legal.atw import easter_sunday as atw_easter_sunday
from tests.unit.dunning_world import DunningWorld, one_invoice, paper_invoice

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


def test_a_term_before_the_calendar_is_refused_not_guessed():
    """Given a term running out in 2023, before the calendar begins (no decrees known,
    King's Day by today's rule only since 2014), then it is refused, not guessed."""
    with pytest.raises(OutsideAtwCalendar):
        term_end(date(2023, 12, 29))


# Hand-computed (Easter Sunday from the computus tables, then -2, +1, +39, +50; King's Day
# 27 April, the 26th when the 27th is a Sunday: 2031). Independent of the code.
LAW_DAYS_2029_2035 = {
    2029: ("04-01", "03-30", "04-02", "04-27", "05-10", "05-21"),
    2030: ("04-21", "04-19", "04-22", "04-27", "05-30", "06-10"),
    2031: ("04-13", "04-11", "04-14", "04-26", "05-22", "06-02"),
    2032: ("03-28", "03-26", "03-29", "04-27", "05-06", "05-17"),
    2033: ("04-17", "04-15", "04-18", "04-27", "05-26", "06-06"),
    2034: ("04-09", "04-07", "04-10", "04-27", "05-18", "05-29"),
    2035: ("03-25", "03-23", "03-26", "04-27", "05-03", "05-14"),
}


@pytest.mark.parametrize("year", sorted(LAW_DAYS_2029_2035))
def test_the_laws_days_are_computed_for_years_after_the_decree_data(year):
    """Given a year after the last known equating decree (legal-nl.md §2, Atw art. 3
    lid 1), when a term runs out on each of its days, then the law's nine days are known:
    New Year, Good Friday, Easter Monday, King's Day, 5 May, Ascension Day, Whit Monday
    and Christmas, each a day off; the day before Good Friday and the day after Whit
    Monday are not (audit dunningcfg a4: the run failed for every term ending in 2029)."""
    _easter, *moving = (date.fromisoformat(f"{year}-{md}") for md in LAW_DAYS_2029_2035[year])
    law = {
        date(year, 1, 1),
        *moving,
        date(year, 5, 5),
        date(year, 12, 25),
        date(year, 12, 26),
    }
    assert atw_easter_sunday(year) == _easter
    assert {row.day for row in atw_days(year)} == law  # no decree known for these years
    assert all(is_atw_day_off(day) for day in law)
    good_friday, whit_monday = moving[0], moving[-1]
    assert not is_atw_day_off(good_friday - timedelta(days=1))  # a Thursday
    assert not is_atw_day_off(whit_monday + timedelta(days=1))  # a Tuesday


def test_the_computed_easter_equals_the_table_the_calendar_was_written_with():
    """Given the Easter Sundays the calendar of 2024-2028 was dated from (its former table),
    then the computus gives the same days, and ATW_DAYS still lists those years: the nine
    days of the law each year and the five decrees (legal-nl.md §2)."""
    written = {
        2024: date(2024, 3, 31),
        2025: date(2025, 4, 20),
        2026: date(2026, 4, 5),
        2027: date(2027, 3, 28),
        2028: date(2028, 4, 16),
    }
    assert {year: atw_easter_sunday(year) for year in written} == written
    assert {row.day.year for row in ATW_DAYS} == set(written)
    assert len(ATW_DAYS) == 5 * 9 + len(DECREES)


def test_a_reminder_of_15_december_2028_ends_its_term_in_2029_and_the_run_goes_on():
    """Given a paper invoice (final payment date 7 December 2028) reminded by the run of
    Friday 15 December 2028, and an e-mail one reminded on Monday 18 December, when the
    final dates are computed, then both terms end in 2029: the paper letter, received Tue
    19 December, on Tue 2 January 2029; the e-mail's runs out on New Year's Day and moves
    to 2 January (Atw art. 1, legal-nl.md §2). The run reports no error and the costs
    come the day after (audit dunningcfg a4: OutsideAtwCalendar every day, R19, R20)."""
    assert reminder_final_date(date(2028, 12, 15), Channel.PAPER) == date(2029, 1, 2)
    assert reminder_final_date(date(2028, 12, 18), Channel.EMAIL) == date(2029, 1, 2)
    world = DunningWorld([paper_invoice(100_000, final_payment_date=date(2028, 12, 7))])

    days: list[RunSummary] = world.run_days(date(2028, 12, 8), date(2029, 1, 3))

    assert [error for summary in days for error in summary.errors] == []
    reminder = world.invoice().reminder
    assert world.letters()[0][1] == date(2028, 12, 15)
    assert (reminder.received_on, reminder.final_date) == (date(2028, 12, 19), date(2029, 1, 2))
    assert sum(summary.actions for summary in days[8:-1]) == 0  # 16 Dec - 2 Jan: the term
    assert days[-1].steps == {"costs": 1}
    assert balance(world.invoice().ledger, Component.COSTS) == 15_000


def test_the_run_asks_for_the_next_decree_from_1_october_of_the_last_known_year():
    """Given the decree data ends with 2028, when the run of 30 September 2028 and those
    of 1 October 2028 and later report, then from 1 October the log line says the Atw
    decree days are known until 2028 and counts Dunning_atw_decrees_ending = 1, which
    the template's AtwDecreesEndingAlarm reads (R39, legal-nl.md §2); before, 0 and
    nothing said."""
    world = DunningWorld([])
    before, first, later = (
        world.run(day) for day in (date(2028, 9, 30), date(2028, 10, 1), date(2028, 10, 2))
    )
    assert before.log_entry().counts["Dunning_atw_decrees_ending"] == 0
    assert "atw_decrees_known_until" not in before.answer()
    for summary in (first, later):
        entry = summary.log_entry()
        assert entry.counts["Dunning_atw_decrees_ending"] == 1
        assert summary.answer()["atw_decrees_known_until"] == DECREES_KNOWN_UNTIL == 2028
        assert not entry.error  # a warning: nothing failed


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 20)))
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
