"""Statutory interest (wettelijke rente), art. 6:119 BW for consumers and art. 6:119a BW
for businesses (legal-nl.md §4, product.md R20).

Interest is never stored as a running total: callers ask "how much interest has accrued
on this claim up to (not including) day D" and get the same answer every time, with the
segments that explain it (for letters, the payoff amount and the handover file).

The rules, all from legal-nl.md §4:

- ``default_date`` is the **first day of default**: the day after the final payment date
  on the invoice (legal-nl.md §2). Interest runs from that day up to, not including,
  ``until`` (the day the payment is received, or the day asked about).
- Each day carries the rate in force that day. A segment ends at every row of the rate
  table (also a row that repeats the rate), at each anniversary of the default date and
  where the base changes (a new principal, interest paid out of the compounded part); a
  change or payment that leaves the base as it was ends none, so the rounding of each
  segment, and the total, do not depend on it.
- Day count actual/365 (also in leap years); each segment is rounded half-up to the cent.
- Yearly compounding: at each anniversary the interest accrued until then and still
  unpaid is added to the base on which interest is computed (art. 6:119 lid 2 BW). Only
  interest actually paid leaves the base again (a payment goes to the oldest interest
  first); a lower principal (a payment in the reminder's term, a coulance, a stop) does
  not reset it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from billing_core.shared.money import round_half_up

DAYS_PER_YEAR = 365  # legal-nl.md §4: actual days / 365, leap years included


@dataclass(frozen=True, slots=True)
class RateRow:
    """The statutory interest rate from a date, with its source (legal-nl.md §4)."""

    valid_from: date
    percent: Decimal  # per year
    source: str


_CONSUMER_SOURCE = "art. 6:119 BW, rate set by AMvB (art. 6:120 lid 2 BW); legal-nl.md §4"
_COMMERCIAL_SOURCE = "art. 6:119a BW, ECB refi rate + 8 points (6:120 lid 2); legal-nl.md §4"
_UNVERIFIED = "secondary source, check against the Staatscourant"

# --- data: rate tables, oldest first ------------------------------------------------------

CONSUMER: tuple[RateRow, ...] = (
    RateRow(date(2015, 1, 1), Decimal("2.00"), _CONSUMER_SOURCE),
    RateRow(date(2023, 1, 1), Decimal("4.00"), _CONSUMER_SOURCE),
    RateRow(date(2023, 7, 1), Decimal("6.00"), _CONSUMER_SOURCE),
    RateRow(date(2024, 1, 1), Decimal("7.00"), _CONSUMER_SOURCE),
    RateRow(date(2025, 1, 1), Decimal("6.00"), _CONSUMER_SOURCE),
    RateRow(date(2025, 7, 1), Decimal("6.00"), f"{_CONSUMER_SOURCE}; {_UNVERIFIED}"),
    RateRow(date(2026, 1, 1), Decimal("4.00"), f"{_CONSUMER_SOURCE}; {_UNVERIFIED}"),
)

COMMERCIAL: tuple[RateRow, ...] = (
    RateRow(date(2023, 1, 1), Decimal("10.50"), _COMMERCIAL_SOURCE),
    RateRow(date(2023, 7, 1), Decimal("12.00"), _COMMERCIAL_SOURCE),
    RateRow(date(2024, 1, 1), Decimal("12.50"), _COMMERCIAL_SOURCE),
    RateRow(date(2024, 7, 1), Decimal("12.25"), _COMMERCIAL_SOURCE),
    RateRow(date(2025, 1, 1), Decimal("11.15"), _COMMERCIAL_SOURCE),
    RateRow(date(2025, 7, 1), Decimal("10.15"), f"{_COMMERCIAL_SOURCE}; {_UNVERIFIED}"),
    RateRow(date(2026, 1, 1), Decimal("10.15"), f"{_COMMERCIAL_SOURCE}; {_UNVERIFIED}"),
)


# --- result --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """Interest on ``base_cents`` at ``percent`` from ``first_day`` up to, not including,
    ``until``. ``base_cents`` is the principal plus interest compounded so far."""

    first_day: date
    until: date
    percent: Decimal
    base_cents: int
    interest_cents: int

    @property
    def days(self) -> int:
        return (self.until - self.first_day).days

    @property
    def last_day(self) -> date:
        return self.until - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class InterestResult:
    """Statutory interest over a period: the total and the segment of each rate and year
    (legal-nl.md §4)."""

    total_cents: int
    segments: tuple[Segment, ...]


# --- computation ---------------------------------------------------------------------------


def statutory_interest(
    principal_cents: int,
    default_date: date,
    until: date,
    *,
    rates: Sequence[RateRow] = CONSUMER,
    principal_changes: Sequence[tuple[date, int]] = (),
    interest_payments: Sequence[tuple[date, int]] = (),
) -> InterestResult:
    """Interest accrued from ``default_date`` (the first day of default) up to, not
    including, ``until`` (legal-nl.md §4).

    ``principal_changes`` are ``(day, new outstanding principal)``: from that day on the
    principal is the new amount (a payment received that day stops interest on the part
    it paid from that day, as legal-nl.md §4 says). Changes dated on or before
    ``default_date`` set the principal the default starts with; later ones split the
    segments.

    ``interest_payments`` are ``(day, cents)`` of interest paid (negative: a payment of
    interest that came back). Interest compounded at an anniversary stays in the base
    until it is paid: a lower principal does not take it out (legal-nl.md §4).

    The total is the interest accrued over the whole period, including any part already
    paid; the caller subtracts what its ledger has booked.
    """
    if until <= default_date:
        return InterestResult(0, ())
    principal, changes = _starting_principal(principal_cents, default_date, principal_changes)
    paid, paid_later = _starting_payments(default_date, interest_payments)
    anniversaries = _anniversaries(default_date, until)
    boundaries = _boundaries(
        default_date, until, rates, anniversaries | set(changes) | set(paid_later)
    )
    must_end = anniversaries | {row.valid_from for row in rates}
    segments: list[Segment] = []
    accrued = 0  # all interest of the segments so far
    accrued_by_anniversary = 0  # what had accrued at the last anniversary passed
    first_day, base = default_date, -1  # the segment running, and its base
    for day in boundaries[:-1]:
        if day in anniversaries:
            accrued += _close(segments, first_day, day, base, rates)
            accrued_by_anniversary = accrued
        principal = changes.get(day, principal)
        paid += paid_later.get(day, 0)  # interest paid settles the oldest first
        compounded = max(accrued_by_anniversary - paid, 0)  # compounded and still unpaid
        # A change or payment that leaves the base as it was ends no segment: only a
        # rate row, an anniversary or a new base does (legal-nl.md §4).
        if principal + compounded != base or day in must_end:
            if day not in anniversaries:
                accrued += _close(segments, first_day, day, base, rates)
            first_day, base = day, principal + compounded
    _close(segments, first_day, until, base, rates)
    return InterestResult(sum(s.interest_cents for s in segments), tuple(segments))


def _close(
    segments: list[Segment], first_day: date, until: date, base: int, rates: Sequence[RateRow]
) -> int:
    """Ends the segment from ``first_day`` (its interest, listed when it has a base)."""
    if until <= first_day or base <= 0:
        return 0
    segment = _segment(first_day, until, base, rates)
    segments.append(segment)
    return segment.interest_cents


def _starting_payments(
    default_date: date, payments: Sequence[tuple[date, int]]
) -> tuple[int, dict[date, int]]:
    """Interest paid on or before the default date, and the later payments per day."""
    start = 0
    later: dict[date, int] = {}
    for day, cents in payments:
        if day <= default_date:
            start += cents
        else:
            later[day] = later.get(day, 0) + cents
    return start, later


def _starting_principal(
    principal_cents: int, default_date: date, principal_changes: Sequence[tuple[date, int]]
) -> tuple[int, dict[date, int]]:
    """The principal on the first day of default, and the later changes by day (the last
    change given for a day wins)."""
    if principal_cents < 0 or any(amount < 0 for _, amount in principal_changes):
        raise ValueError("interest accrues on an outstanding principal, never a negative one")
    later: dict[date, int] = {}
    for day, amount in sorted(principal_changes, key=lambda change: change[0]):
        if day <= default_date:
            principal_cents = amount
        else:
            later[day] = amount
    return principal_cents, later


def _anniversaries(default_date: date, until: date) -> set[date]:
    """Anniversaries of the default date before ``until``. A default starting on 29
    February has its anniversary on 1 March in other years: the year ends with 28
    February, and the new one starts the day after."""
    found: set[date] = set()
    year = default_date.year + 1
    while (day := _same_day_in(year, default_date)) < until:
        found.add(day)
        year += 1
    return found


def _same_day_in(year: int, day: date) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 3, 1)


def _boundaries(
    default_date: date,
    until: date,
    rates: Sequence[RateRow],
    cuts: set[date],
) -> list[date]:
    """Every day a segment starts (a rate row or one of ``cuts``), plus ``until``."""
    _rate_on(default_date, rates)  # refuse a period the table does not cover
    inside = {day for day in cuts | {row.valid_from for row in rates} if default_date < day < until}
    return sorted(inside | {default_date, until})


def _segment(first_day: date, until: date, base_cents: int, rates: Sequence[RateRow]) -> Segment:
    percent = _rate_on(first_day, rates)
    days = (until - first_day).days
    exact = Decimal(base_cents) * percent * days / (100 * DAYS_PER_YEAR)
    return Segment(first_day, until, percent, base_cents, round_half_up(exact))


def _rate_on(day: date, rates: Sequence[RateRow]) -> Decimal:
    in_force = [row for row in rates if row.valid_from <= day]
    if not in_force:
        raise ValueError(f"the rate table has no rate in force on {day.isoformat()}")
    return max(in_force, key=lambda row: row.valid_from).percent
