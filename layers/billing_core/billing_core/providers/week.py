"""The ISO week of the retrocession (R24) on the Dutch calendar: Monday 00:00 up to the next
Monday 00:00, Europe/Amsterdam (the weeks around a DST change are 167 and 169 hours long).

Its own module because every invoice save marks the weeks of its new ledger entries
(adapters/dynamo/items.py): a function that saves invoices loads the week, not the
statement (cold start, issue 11 item 5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from billing_core.shared.clock import AMSTERDAM

WEEK_LABEL = re.compile(r"^(?P<year>\d{4})-W(?P<week>\d{2})$")
WEEK_PATTERN = WEEK_LABEL.pattern


class InvalidWeek(ValueError):
    """Not an ISO week label like 2026-W48, or a week 53 in a year that has none."""


# --- weeks ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Week:
    """An ISO 8601 week on the Dutch calendar (Europe/Amsterdam), labelled ``2026-W48``."""

    year: int
    number: int

    def __post_init__(self) -> None:
        try:
            date.fromisocalendar(self.year, self.number, 1)
        except ValueError as problem:
            raise InvalidWeek(f"{self.year}-W{self.number:02d}") from problem

    @classmethod
    def of(cls, day: date) -> Week:
        """The week a calendar day falls in (1 January can be in the previous year's week)."""
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def containing(cls, moment: datetime) -> Week:
        """The week a moment falls in on the Dutch calendar; a naive moment is Dutch time."""
        return cls.of(in_amsterdam(moment).date())

    @classmethod
    def parse(cls, label: str) -> Week:
        match = WEEK_LABEL.match(label)
        if not match:
            raise InvalidWeek(label)
        return cls(int(match["year"]), int(match["week"]))

    @property
    def label(self) -> str:
        return f"{self.year:04d}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def starts_at(self) -> datetime:
        """Monday 00:00 in Amsterdam (inclusive)."""
        return datetime.combine(self.monday, time(0), tzinfo=AMSTERDAM)

    @property
    def ends_at(self) -> datetime:
        """The next Monday 00:00 in Amsterdam (exclusive)."""
        return self.following().starts_at

    def previous(self) -> Week:
        return Week.of(self.monday - timedelta(days=7))

    def following(self) -> Week:
        return Week.of(self.monday + timedelta(days=7))

    def __contains__(self, moment: datetime) -> bool:
        return Week.containing(moment) == self

    def __str__(self) -> str:
        return self.label


def in_amsterdam(moment: datetime) -> datetime:
    return moment.astimezone(AMSTERDAM) if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)
