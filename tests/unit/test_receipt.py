"""When a reminder is received and its final date (art. 6:96 lid 6 BW, legal-nl.md §2)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing_core.legal import (
    REMINDER_RULES,
    TERM_PHRASE,
    Channel,
    is_delivery_day,
    receipt_date,
    reminder_final_date,
)


@pytest.mark.parametrize(
    "posted, received, why",
    [
        (date(2026, 3, 10), date(2026, 3, 12), "Tuesday: Wednesday, Thursday"),
        (date(2026, 3, 13), date(2026, 3, 17), "Friday: Saturday, then Tuesday"),
        (date(2026, 3, 14), date(2026, 3, 18), "Saturday: no Sunday/Monday, Tue, Wed"),
        (date(2026, 3, 15), date(2026, 3, 18), "Sunday: Tuesday, Wednesday"),
        (date(2026, 4, 1), date(2026, 4, 4), "Good Friday 2026-04-03 skipped: Thu, Sat"),
        (date(2026, 4, 2), date(2026, 4, 7), "Easter: Good Friday, Sat, Sun + Easter Monday, Tue"),
        (date(2026, 4, 4), date(2026, 4, 8), "Easter Saturday: Tuesday, Wednesday"),
        (date(2025, 4, 24), date(2025, 4, 29), "King's Day Saturday 2025-04-26 skipped"),
        (date(2026, 4, 24), date(2026, 4, 28), "King's Day 2026-04-27 is a Monday anyway"),
        (date(2026, 5, 13), date(2026, 5, 16), "Ascension 2026-05-14: Friday, Saturday"),
        (date(2026, 5, 28), date(2026, 5, 30), "no holiday: Friday, Saturday"),
        (date(2026, 5, 22), date(2026, 5, 26), "Pentecost Friday: Sat, (Sun, Whit Mon), Tue"),
        (date(2026, 5, 23), date(2026, 5, 27), "Saturday before Pentecost: Tue, Wed"),
        (date(2026, 12, 24), date(2026, 12, 30), "Christmas Fri + Sat 2026: Tue, Wed"),
        (date(2026, 12, 31), date(2027, 1, 5), "New Year: Sat 2027-01-02, then Tue"),
    ],
)
def test_a_paper_letter_is_received_on_the_second_delivery_day(posted, received, why):
    """Given a paper reminder posted on a day (legal-nl.md §2)
    When its receipt is presumed
    Then it is the second delivery day after posting; Sundays, Mondays and Dutch public
    holidays (the holidays package) are not delivery days."""
    assert receipt_date(posted, Channel.PAPER) == received, why


@pytest.mark.parametrize(
    "sent, final",
    [
        (date(2026, 3, 16), date(2026, 3, 30)),  # Monday + 14: a Monday
        (date(2026, 3, 14), date(2026, 3, 30)),  # Saturday + 14 is a Saturday: Atw, Monday
        (date(2026, 3, 15), date(2026, 3, 30)),  # Sunday + 14 is a Sunday: Atw, Monday
        (date(2026, 12, 25), date(2027, 1, 8)),  # Christmas + 14: a Friday
    ],
)
def test_an_email_is_received_the_day_it_is_sent(sent, final):
    """Given a reminder e-mailed on any day, also a Sunday or Christmas (legal-nl.md §2)
    Then it is received that day and the final date is 14 days later, moved past a
    weekend by the Algemene termijnenwet (issue 12: a term ending on Saturday or Sunday
    was not moved before)."""
    assert receipt_date(sent, Channel.EMAIL) == sent
    assert reminder_final_date(sent, Channel.EMAIL) == final


@pytest.mark.parametrize(
    "sent, channel, final",
    [
        (date(2026, 3, 13), Channel.PAPER, date(2026, 3, 31)),  # received Tue 17 + 14
        (date(2026, 3, 14), Channel.PAPER, date(2026, 4, 1)),  # received Wed 18 + 14
        (date(2026, 12, 24), Channel.PAPER, date(2027, 1, 13)),  # received Wed 30 + 14
        (date(2026, 3, 13), Channel.EMAIL, date(2026, 3, 27)),
    ],
)
def test_the_final_date_is_receipt_plus_fourteen_days(sent, channel, final):
    """Given a reminder sent on a day by a channel
    When the final date printed on it is computed (legal-nl.md §2: 14 days starting the
    day after receipt)
    Then it is the receipt date + 14 days."""
    assert reminder_final_date(sent, channel) == final


def test_the_phrase_printed_with_the_final_date():
    """Given the reminder letter (legal-nl.md §2)
    Then it prints the statutory wording next to the computed date, in Dutch and English."""
    assert TERM_PHRASE["nl"] == "binnen veertien dagen na de dag waarop u deze brief hebt ontvangen"
    assert TERM_PHRASE["en"] == (
        "within fourteen days after the day on which you received this letter"
    )


def test_the_rules_are_data_with_a_source():
    """The timing figures are data with a source and valid-from (legal-nl.md intro)."""
    assert REMINDER_RULES.term_days == 14
    assert REMINDER_RULES.paper_delivery_days == 2
    assert REMINDER_RULES.source and REMINDER_RULES.valid_from


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31)))
def test_paper_receipt_is_a_delivery_day_after_posting(posted):
    """For any posting day the presumed receipt is a delivery day, after posting, with
    exactly one delivery day strictly in between, and never later than a week on."""
    received = receipt_date(posted, Channel.PAPER)
    assert posted < received <= posted + timedelta(days=7)
    assert is_delivery_day(received)
    between = [posted + timedelta(d) for d in range(1, (received - posted).days)]
    assert sum(is_delivery_day(day) for day in between) == 1


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31)))
def test_a_later_posting_is_never_received_earlier(posted):
    """Posting a day later never moves the receipt earlier (monotone)."""
    assert receipt_date(posted, Channel.PAPER) <= receipt_date(
        posted + timedelta(days=1), Channel.PAPER
    )
