"""When a reminder (the 14-day letter, art. 6:96 lid 6 BW) counts as received, and the
final date printed on it (legal-nl.md §2).

- An e-mail is received on the day it was sent.
- A paper letter is presumed received on the second delivery day after the day it was
  posted: the date of its print batch plus the provider's posting delay
  (``posting_date``), or the day a print house reports. Sundays, Mondays (no letter delivery) and Dutch public holidays are not
  delivery days; the public holidays come from the ``holidays`` package.
- The term is 14 days starting the day after receipt, so its days run out on receipt +
  14; when that is a Saturday, Sunday or Atw holiday the term runs on to the next day
  that is none of these (Algemene termijnenwet, atw.py). That is the final date.

The timing rules are data (``REMINDER_RULES``) with their source and valid-from date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from billing_core.legal.atw import term_end


class Channel(StrEnum):
    EMAIL = "email"
    PAPER = "paper"


@dataclass(frozen=True, slots=True)
class ReminderRules:
    """When a reminder counts as received and its term ends, valid from a date (legal-nl.md §2)."""

    valid_from: date
    source: str
    term_days: int
    paper_delivery_days: int  # delivery days after posting until presumed receipt
    no_delivery_weekdays: frozenset[int]  # date.weekday(): Monday 0 .. Sunday 6


# --- data ----------------------------------------------------------------------------------

REMINDER_RULES = ReminderRules(
    valid_from=date(2012, 7, 1),  # art. 6:96 lid 6 BW (Wet normering buitengerechtelijke
    # incassokosten) in force
    source=(
        "art. 6:96 lid 6 BW (14 days from the day after receipt); receipt presumption and "
        "PostNL delivery days (no letters on Sunday or Monday) per legal-nl.md §2"
    ),
    term_days=14,
    paper_delivery_days=2,
    no_delivery_weekdays=frozenset({6, 0}),  # Sunday, Monday
)

# The phrase the letter prints next to the computed final date (legal-nl.md §2).
TERM_PHRASE: dict[str, str] = {
    "nl": "binnen veertien dagen na de dag waarop u deze brief hebt ontvangen",
    "en": "within fourteen days after the day on which you received this letter",
    "pl": "w ciągu czternastu dni od dnia otrzymania tego pisma",
    "ar": "خلال أربعة عشر يومًا بعد اليوم الذي استلمتم فيه هذه الرسالة",
}


@cache
def _dutch_holidays() -> Any:
    """Dutch public holidays; the calendar adds years as they are asked for. Loaded on
    first use: building it costs 80 ms, which the ingest's cold start does not need."""
    import holidays

    return holidays.country_holidays("NL")


def is_delivery_day(day: date, rules: ReminderRules = REMINDER_RULES) -> bool:
    """Whether letters are delivered in the Netherlands on ``day``."""
    return day.weekday() not in rules.no_delivery_weekdays and day not in _dutch_holidays()


def posting_date(batch_day: date, posting_delay_days: int) -> date:
    """The day a print batch is posted: its own date plus the provider's posting delay."""
    return batch_day + timedelta(days=posting_delay_days)


def receipt_date(
    sent_on: date,
    channel: Channel,
    rules: ReminderRules = REMINDER_RULES,
    *,
    posted_on: date | None = None,
) -> date:
    """The day the reminder counts as received (legal-nl.md §2). ``posted_on``: the day
    a paper letter's batch is posted, when later than the letter's date."""
    if channel is Channel.EMAIL:
        return sent_on
    day = posted_on or sent_on
    for _ in range(rules.paper_delivery_days):
        day = _next_delivery_day(day, rules)
    return day


def reminder_final_date(
    sent_on: date,
    channel: Channel,
    rules: ReminderRules = REMINDER_RULES,
    *,
    posted_on: date | None = None,
) -> date:
    """The last day of the reminder's term, printed on the letter: receipt + 14 days,
    moved past a weekend or Atw holiday. From the day after it, unpaid, BIK and interest
    are charged (product.md R20)."""
    received = receipt_date(sent_on, channel, rules, posted_on=posted_on)
    return term_end(received + timedelta(days=rules.term_days))


def _next_delivery_day(after: date, rules: ReminderRules) -> date:
    day = after + timedelta(days=1)
    while not is_delivery_day(day, rules):
        day += timedelta(days=1)
    return day
