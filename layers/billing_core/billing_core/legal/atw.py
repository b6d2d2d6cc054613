"""The Algemene termijnenwet (Atw): a term set by law that ends on a Saturday, a Sunday or
an Atw holiday runs on to the next day that is none of these (Atw art. 1, legal-nl.md §2).

The 14-day term of the reminder (art. 6:96 lid 6 BW) is such a term, so its last day is
moved before it is printed on the letter and before costs may be charged.

The Atw's own list of holidays (art. 3 lid 1) is not the list of Dutch public holidays
the ``holidays`` package knows (that one decides letter delivery days, receipt.py): it
has 5 May every year and no Easter or Whit Sunday of its own (those are Sundays anyway),
and a royal decree can equate a further day with a holiday (art. 3 lid 3). So the
calendar is dated data of its own, one row per day with its source, year by year; a day
outside the years it covers is refused rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache


@dataclass(frozen=True, slots=True)
class AtwDay:
    """A day on which a statutory term does not end (besides Saturdays and Sundays)."""

    day: date
    name: str
    source: str


class OutsideAtwCalendar(ValueError):
    """A term ends in a year whose Atw holidays and decrees are not in the calendar yet."""


_LAW = "Algemene termijnenwet art. 3 lid 1"
_KINGS_DAY = f"{_LAW} (the King's birthday is celebrated; 26 April when the 27th is a Sunday)"
_DECREE = (
    "Koninklijk besluit ex Algemene termijnenwet art. 3 lid 3, equating this day with a "
    "holiday (legal-nl.md §2; check the Staatsblad reference before relying on it)"
)

FIRST_YEAR = 2024
LAST_YEAR = 2028

# --- data: the law's list (art. 3 lid 1) per year, and each equating decree ----------------

# Easter Sunday of each year, from which Good Friday (-2), Easter Monday (+1), Ascension
# Day (+39) and Whit Monday (+50) are dated below.
_EASTER = {
    2024: date(2024, 3, 31),
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2028: date(2028, 4, 16),
}
_KINGS_DAYS = {
    2024: date(2024, 4, 27),
    2025: date(2025, 4, 26),  # 27 April 2025 is a Sunday
    2026: date(2026, 4, 27),
    2027: date(2027, 4, 27),
    2028: date(2028, 4, 27),
}
_EQUATED_BY_DECREE = (
    (date(2026, 1, 2), "Friday after New Year's Day"),
    (date(2026, 5, 15), "Friday after Ascension Day"),
    (date(2027, 5, 7), "Friday after Ascension Day"),
    (date(2028, 4, 28), "Friday after King's Day"),
    (date(2028, 5, 26), "Friday after Ascension Day"),
)


def _the_laws_list(year: int) -> list[AtwDay]:
    easter = _EASTER[year]
    return [
        AtwDay(date(year, 1, 1), "New Year's Day", _LAW),
        AtwDay(easter - timedelta(days=2), "Good Friday", _LAW),
        AtwDay(easter + timedelta(days=1), "Easter Monday", _LAW),
        AtwDay(_KINGS_DAYS[year], "King's Day", _KINGS_DAY),
        AtwDay(date(year, 5, 5), "Liberation Day (5 May, every year)", _LAW),
        AtwDay(easter + timedelta(days=39), "Ascension Day", _LAW),
        AtwDay(easter + timedelta(days=50), "Whit Monday", _LAW),
        AtwDay(date(year, 12, 25), "Christmas Day", _LAW),
        AtwDay(date(year, 12, 26), "Boxing Day", _LAW),
    ]


ATW_DAYS: tuple[AtwDay, ...] = tuple(
    sorted(
        [
            *(day for year in range(FIRST_YEAR, LAST_YEAR + 1) for day in _the_laws_list(year)),
            *(AtwDay(day, name, _DECREE) for day, name in _EQUATED_BY_DECREE),
        ],
        key=lambda atw_day: atw_day.day,
    )
)


@cache
def _days_off() -> frozenset[date]:
    return frozenset(atw_day.day for atw_day in ATW_DAYS)


def is_atw_day_off(day: date) -> bool:
    """Whether a statutory term cannot end on ``day``: a Saturday, a Sunday or an Atw
    holiday. Raises OutsideAtwCalendar for a year the calendar does not cover."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise OutsideAtwCalendar(
            f"the Atw calendar covers {FIRST_YEAR}-{LAST_YEAR}, not {day.isoformat()}"
        )
    return day.weekday() >= 5 or day in _days_off()


def term_end(last_day: date) -> date:
    """The last day of a statutory term whose days run out on ``last_day`` (Atw art. 1)."""
    day = last_day
    while is_atw_day_off(day):
        day += timedelta(days=1)
    return day
