"""A clock that can be set, so tests, the demo and an operator can replay any day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """Wall-clock time in Europe/Amsterdam: the day a Dutch patient sees on the calendar."""

    def now(self) -> datetime:
        return datetime.now(AMSTERDAM)

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock that stands still until it is told to move (tests, demo, sandbox)."""

    def __init__(self, moment: datetime | date) -> None:
        self._now = _as_amsterdam(moment)

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        return self._now.date()

    def set(self, moment: datetime | date) -> None:
        self._now = _as_amsterdam(moment)

    def advance(self, days: int = 0, **kwargs: float) -> None:
        """Move on by real time, a day being 24 hours: added in UTC, since an aware
        datetime plus a timedelta adds wall-clock time, an hour off in real time across
        the night the clocks change. Still told in Amsterdam time and day."""
        moved = self._now.astimezone(UTC) + timedelta(days=days, **kwargs)
        self._now = moved.astimezone(AMSTERDAM)


class RunDayInFuture(ValueError):
    """A scheduled run was asked to act on a day that has not come yet (R18). The dunning
    run would date letters in the future and state interest "up to and including" a day
    before the letter; the retrocession run would close a week still running and pay its
    first days only. Either refuses and changes nothing; its handler answers this error."""

    def __init__(self, run: str, as_of: date, today: date) -> None:
        super().__init__(
            f"as_of {as_of.isoformat()} is after today {today.isoformat()}: "
            f"the {run} replays days that have come, never a future one"
        )
        self.as_of = as_of
        self.today = today


def refuse_future(run: str, as_of: date, clock: Clock) -> None:
    """Raise RunDayInFuture for an ``as_of`` after today (Europe/Amsterdam)."""
    today = clock.today()
    if as_of > today:
        raise RunDayInFuture(run, as_of, today)


def amsterdam_day(moment: datetime) -> date:
    """The calendar day of ``moment`` in the Netherlands: the day a payment, a ledger
    entry or a letter counts on (legal-nl.md), whatever zone the moment was written in."""
    return moment.astimezone(AMSTERDAM).date()


def start_of_day(day: date) -> datetime:
    """The first moment of ``day`` in the Netherlands: a day known without its hour (a bank's
    booking date, the agency's date of payment) counts from its start (legal-nl.md §4)."""
    return datetime.combine(day, time(0, 0), tzinfo=AMSTERDAM)


def moment_on(day: date, now: datetime) -> datetime:
    """The moment a run for ``day`` dates what it decides: ``now`` on that day; a replay of
    a passed day its start (R18: an operator's replay decides and dates as the run of that
    day would have, only recorded later). Never a moment after ``now``."""
    return now if amsterdam_day(now) == day else min(start_of_day(day), now)


def _as_amsterdam(moment: datetime | date) -> datetime:
    """``moment`` in Europe/Amsterdam, so ``today()`` is the Dutch day whatever zone it was
    given in (23:30Z on 31 December is 1 January here: legal-nl.md §2 counts the term from
    the Dutch day a reminder is sent). A naive moment is read as Amsterdam wall-clock time."""
    if isinstance(moment, datetime):
        return moment.astimezone(AMSTERDAM) if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)
    # A bare date means "that morning", late enough to be clearly on that day.
    return datetime.combine(moment, time(9, 0), tzinfo=AMSTERDAM)
