"""The settable clock (tests, demo, sandbox) tells the Dutch day, whatever zone it is set
in: legal-nl.md §2 counts a reminder's term from the day it is sent in the Netherlands
(architecture.md: dates in Europe/Amsterdam with the settable clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from billing_core.shared.clock import AMSTERDAM, FixedClock, moment_on


@pytest.mark.parametrize(
    "moment, dutch_day, offset_hours",
    [
        # 00:30 on New Year's Day in Amsterdam (CET, UTC+1)
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), date(2027, 1, 1), 1),
        # the night summer time starts: 00:30 CET on 29 March, before the 02:00 jump
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 29), 1),
        # the same night after the jump: 04:30 CEST (UTC+2)
        (datetime(2026, 3, 29, 2, 30, tzinfo=UTC), date(2026, 3, 29), 2),
        # the night summer time ends: 00:30 CEST on 25 October, before 03:00 goes back
        (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), date(2026, 10, 25), 2),
        # the same night after it: 02:30 CET, the second time the clock shows 02:30
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), date(2026, 10, 25), 1),
    ],
)
def test_a_moment_given_in_another_zone_counts_on_its_dutch_day(moment, dutch_day, offset_hours):
    """Given a FixedClock, when it is set (or made) with an aware moment in UTC, then
    today() is that moment's day in Amsterdam and now() is the same moment in Amsterdam
    time (legal-nl.md §2)."""
    set_later = FixedClock(date(2026, 1, 1))
    set_later.set(moment)

    for clock in (set_later, FixedClock(moment)):
        assert clock.today() == dutch_day
        # (in UTC: PEP 495 makes a time in the repeated hour unequal to any other zone's)
        assert clock.now().astimezone(UTC) == moment
        assert clock.now().tzinfo is AMSTERDAM
        assert clock.now().utcoffset() == timedelta(hours=offset_hours)


def test_a_naive_moment_is_read_as_amsterdam_wall_clock_time():
    """Given a naive moment (no zone), then it is the time on a Dutch wall clock, as
    before; a bare date is 09:00 that morning."""
    clock = FixedClock(datetime(2026, 12, 31, 23, 30))
    assert (clock.today(), clock.now().utcoffset()) == (date(2026, 12, 31), timedelta(hours=1))
    clock.set(date(2027, 1, 1))
    assert clock.now() == datetime(2027, 1, 1, 9, 0, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    "start, by, then, dutch_day",
    [
        # the night summer time starts (28 March 2027): from 01:30 CET, an hour later is
        # 03:30 CEST, the wall clock jumped from 02:00 to 03:00
        (datetime(2027, 3, 28, 1, 30, tzinfo=AMSTERDAM), {"hours": 1}, (3, 30), 28),
        # a day (24 hours) from Saturday 12:00 CET is Sunday 13:00 CEST
        (datetime(2027, 3, 27, 12, 0, tzinfo=AMSTERDAM), {"days": 1}, (13, 0), 28),
        # the night summer time ends (31 October 2027): from 01:30 CEST, two hours later
        # is 02:30 CET, the second time the clock shows 02:30
        (datetime(2027, 10, 31, 1, 30, tzinfo=AMSTERDAM), {"hours": 2}, (2, 30), 31),
        # a day from Saturday 12:00 CEST is Sunday 11:00 CET
        (datetime(2027, 10, 30, 12, 0, tzinfo=AMSTERDAM), {"days": 1}, (11, 0), 31),
        # a day from Saturday 23:30 CET is Monday 00:30 CEST: Sunday had 23 hours
        (datetime(2027, 3, 27, 23, 30, tzinfo=AMSTERDAM), {"days": 1}, (0, 30), 29),
    ],
)
def test_advance_moves_real_time_across_a_clock_change(start, by, then, dutch_day):
    """Given a FixedClock before a night the clocks change (Europe/Amsterdam), when it
    advances by a span, then that much real time has passed (24 hours a day, measured in
    UTC, as a webhook's or a lockout's hour is), and today() and now() still tell the Dutch
    day and wall-clock time of that moment. It added wall-clock time before: an hour too
    much or too little in real time across the change (known stop 39, Clock)."""
    clock = FixedClock(start)

    clock.advance(**by)

    assert clock.now().astimezone(UTC) - start.astimezone(UTC) == timedelta(**by)
    assert clock.now().tzinfo is AMSTERDAM
    assert (clock.now().hour, clock.now().minute) == then
    assert clock.today() == date(start.year, start.month, dutch_day)


def test_r18_a_run_dates_its_decisions_on_its_day_a_replay_at_that_days_start():
    """R18 (audit replay53). Given the run's clock at 06:00 on 8 January
    When it runs for the 8th, or replays the 7th
    Then it dates what it decides at that moment, or at the start of the 7th."""
    now = datetime(2027, 1, 8, 6, tzinfo=AMSTERDAM)
    assert moment_on(date(2027, 1, 8), now) == now
    assert moment_on(date(2027, 1, 7), now) == datetime(2027, 1, 7, tzinfo=AMSTERDAM)
