"""The Algemene termijnenwet (Atw): a term set by law that ends on a Saturday, a Sunday or
an Atw holiday runs on to the next day that is none of these (Atw art. 1, legal-nl.md §2).

The 14-day term of the reminder (art. 6:96 lid 6 BW) is such a term, so its last day is
moved before it is printed on the letter and before costs may be charged.

The Atw's own list of holidays (art. 3 lid 1) is not the list of Dutch public holidays
the ``holidays`` package knows (that one decides letter delivery days, receipt.py): it
has 5 May every year and no Easter or Whit Sunday of its own (those are Sundays anyway),
and a royal decree can equate a further day with a holiday (art. 3 lid 3). So the
calendar is its own: the law's nine days are computed for any year (Easter by the
Gregorian computus, King's Day by its rule), and the decrees are dated data, one row per
day with its source, known up to ``DECREES_KNOWN_UNTIL``. A term in a later year is moved
past the law's days only; from 1 October of that last year the dunning run says so
(``Dunning_atw_decrees_ending``, template: AtwDecreesEndingAlarm, R39) so that the next
year's decree is added before a term can end in it. A year before ``FIRST_YEAR`` (no
decrees known, King's Day was another day before 2014) is refused rather than guessed.
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
    """A term ends in a year before the calendar begins (no decrees known for it)."""


_LAW = "Algemene termijnenwet art. 3 lid 1"
_KINGS_DAY = f"{_LAW} (the King's birthday is celebrated; 26 April when the 27th is a Sunday)"
_DECREE = (
    "Koninklijk besluit ex Algemene termijnenwet art. 3 lid 3, equating this day with a "
    "holiday (legal-nl.md §2; check the Staatsblad reference before relying on it)"
)

FIRST_YEAR = 2024
# The last year whose equating decrees are in _EQUATED_BY_DECREE: add the next year's
# decree (published in the Staatsblad, usually the year before) and raise this.
DECREES_KNOWN_UNTIL = 2028
LAST_YEAR = DECREES_KNOWN_UNTIL  # the years ATW_DAYS lists, law and decrees both
# From this day of the last year the run asks for the next year's decree (R39).
_WARN_FROM_MONTH_DAY = (10, 1)

# --- data: each equating decree (art. 3 lid 3) ----------------------------------------------

_EQUATED_BY_DECREE = (
    (date(2026, 1, 2), "Friday after New Year's Day"),
    (date(2026, 5, 15), "Friday after Ascension Day"),
    (date(2027, 5, 7), "Friday after Ascension Day"),
    (date(2028, 4, 28), "Friday after King's Day"),
    (date(2028, 5, 26), "Friday after Ascension Day"),
)


def easter_sunday(year: int) -> date:
    """Easter Sunday of a Gregorian year (the anonymous Gregorian computus, Meeus/Jones/
    Butcher), from which Good Friday (-2), Easter Monday (+1), Ascension Day (+39) and Whit
    Monday (+50) are dated."""
    golden = year % 19
    century, of_century = divmod(year, 100)
    leap_skips, leap_rest = divmod(century, 4)
    moon_fix = (century + 8) // 25
    moon = (century - moon_fix + 1) // 3
    epact = (19 * golden + century - leap_skips - moon + 15) % 30
    quads, rest = divmod(of_century, 4)
    weekday = (32 + 2 * leap_rest + 2 * quads - epact - rest) % 7
    correction = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * correction + 114, 31)
    return date(year, month, day + 1)


def _kings_day(year: int) -> date:
    """27 April, or the 26th when the 27th is a Sunday (since 2014)."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


def _the_laws_list(year: int) -> list[AtwDay]:
    easter = easter_sunday(year)
    return [
        AtwDay(date(year, 1, 1), "New Year's Day", _LAW),
        AtwDay(easter - timedelta(days=2), "Good Friday", _LAW),
        AtwDay(easter + timedelta(days=1), "Easter Monday", _LAW),
        AtwDay(_kings_day(year), "King's Day", _KINGS_DAY),
        AtwDay(date(year, 5, 5), "Liberation Day (5 May, every year)", _LAW),
        AtwDay(easter + timedelta(days=39), "Ascension Day", _LAW),
        AtwDay(easter + timedelta(days=50), "Whit Monday", _LAW),
        AtwDay(date(year, 12, 25), "Christmas Day", _LAW),
        AtwDay(date(year, 12, 26), "Boxing Day", _LAW),
    ]


@cache
def atw_days(year: int) -> tuple[AtwDay, ...]:
    """The Atw holidays of ``year``, law and known decrees, by date. For a year after
    ``DECREES_KNOWN_UNTIL`` only the law's days: its decrees are not known yet. Raises
    OutsideAtwCalendar for a year before ``FIRST_YEAR``."""
    if year < FIRST_YEAR:
        raise OutsideAtwCalendar(f"the Atw calendar begins in {FIRST_YEAR}, not {year}")
    decreed = (AtwDay(day, name, _DECREE) for day, name in _EQUATED_BY_DECREE if day.year == year)
    return tuple(sorted([*_the_laws_list(year), *decreed], key=lambda atw_day: atw_day.day))


ATW_DAYS: tuple[AtwDay, ...] = tuple(
    atw_day for year in range(FIRST_YEAR, LAST_YEAR + 1) for atw_day in atw_days(year)
)


@cache
def _days_off(year: int) -> frozenset[date]:
    return frozenset(atw_day.day for atw_day in atw_days(year))


def is_atw_day_off(day: date) -> bool:
    """Whether a statutory term cannot end on ``day``: a Saturday, a Sunday or an Atw
    holiday. Raises OutsideAtwCalendar for a year before the calendar begins."""
    return day.weekday() >= 5 or day in _days_off(day.year)


def term_end(last_day: date) -> date:
    """The last day of a statutory term whose days run out on ``last_day`` (Atw art. 1)."""
    day = last_day
    while is_atw_day_off(day):
        day += timedelta(days=1)
    return day


def decrees_ending(as_of: date) -> bool:
    """Whether, on ``as_of``, the next year's equating decree should be added: from 1
    October of the last year the data knows (a reminder of mid-December already ends its
    term in the next year)."""
    return as_of >= date(DECREES_KNOWN_UNTIL, *_WARN_FROM_MONTH_DAY)
