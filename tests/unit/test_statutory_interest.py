"""Statutory interest, art. 6:119 / 6:119a BW (legal-nl.md §4, product.md R20)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing_core.legal import COMMERCIAL, CONSUMER, statutory_interest

principals = st.integers(min_value=0, max_value=100_000_000)  # up to €1 million
days_in_table = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
durations = st.integers(min_value=0, max_value=4 * 366)


def _spans(result):
    return [
        (s.first_day, s.last_day, s.days, s.percent, s.base_cents, s.interest_cents)
        for s in result.segments
    ]


def test_the_worked_example_of_the_spec():
    """Given €1,000.00 in default from 2024-12-01, paid 2025-02-09 (legal-nl.md §4)
    When the interest up to the payment day is computed
    Then 31 days at 7% -> €5.95 and 39 days at 6% -> €6.41, total €12.36."""
    result = statutory_interest(100_000, date(2024, 12, 1), date(2025, 2, 9))
    assert _spans(result) == [
        (date(2024, 12, 1), date(2024, 12, 31), 31, Decimal("7.00"), 100_000, 595),
        (date(2025, 1, 1), date(2025, 2, 8), 39, Decimal("6.00"), 100_000, 641),
    ]
    assert result.total_cents == 1_236


def test_the_interest_of_a_year_is_added_to_the_base_at_the_anniversary():
    """Given €1,000.00 in default from 2024-03-01 and asked until 2025-03-11
    (legal-nl.md §4: yearly compounding on the default anniversary)
    When the interest is computed
    Then the first year (306 days at 7% -> 58.68; 59 days at 6% -> 9.70) is added to
    the base from 2025-03-01: 10 days at 6% on €1,068.38 -> €1.76 (€1.64 without
    compounding). Act/365 also in the leap year 2024."""
    result = statutory_interest(100_000, date(2024, 3, 1), date(2025, 3, 11))
    assert _spans(result) == [
        (date(2024, 3, 1), date(2024, 12, 31), 306, Decimal("7.00"), 100_000, 5_868),
        (date(2025, 1, 1), date(2025, 2, 28), 59, Decimal("6.00"), 100_000, 970),
        (date(2025, 3, 1), date(2025, 3, 10), 10, Decimal("6.00"), 106_838, 176),
    ]
    assert result.total_cents == 7_014


def test_compounding_over_several_years_adds_each_years_interest():
    """Given €1,000.00 in default from 2016-01-01 at the flat 2% of 2015-2022
    When asked until 2018-01-01 (two anniversaries, no rate change in between)
    Then year one (2016, a leap year: 366 days, still /365) -> €20.05 is added to the
    base, and year two is 365 days on €1,020.05 -> €20.40 (legal-nl.md §4)."""
    result = statutory_interest(100_000, date(2016, 1, 1), date(2018, 1, 1))
    first, second = result.segments
    assert (first.days, first.interest_cents) == (366, 2_005)  # 100000*2%*366/365
    assert (second.base_cents, second.days) == (102_005, 365)
    assert second.interest_cents == 2_040  # 102005 * 2% = 2040.10
    assert result.total_cents == 4_045


def test_a_row_that_repeats_the_rate_still_ends_a_segment():
    """Given €1,000.71 in default from 2025-06-01, asked until 2025-08-01, across the
    2025-07-01 row that repeats 6% (legal-nl.md §4)
    When the interest is computed
    Then there are two segments, each rounded: 4.935008 -> 4.94 and 5.099508 -> 5.10,
    total €10.04 (one 61-day segment would round 10.0345 to €10.03)."""
    result = statutory_interest(100_071, date(2025, 6, 1), date(2025, 8, 1))
    assert [(s.first_day, s.days, s.interest_cents) for s in result.segments] == [
        (date(2025, 6, 1), 30, 494),
        (date(2025, 7, 1), 31, 510),
    ]
    assert result.total_cents == 1_004


def test_the_2026_rate_change():
    """Given €1,000.00 in default from 2025-12-01, asked until 2026-02-01
    Then December at 6% -> €5.10 and January at 4% -> €3.40 (legal-nl.md §4)."""
    result = statutory_interest(100_000, date(2025, 12, 1), date(2026, 2, 1))
    assert [(s.percent, s.interest_cents) for s in result.segments] == [
        (Decimal("6.00"), 510),
        (Decimal("4.00"), 340),
    ]


def test_the_commercial_table_is_used_when_asked():
    """Given a business debtor (art. 6:119a BW, legal-nl.md §4), €1,000.00 from
    2025-12-01 until 2026-02-01
    Then 31 days at 10.15% twice (the 2026-01-01 row repeats it) -> €8.62 + €8.62."""
    result = statutory_interest(100_000, date(2025, 12, 1), date(2026, 2, 1), rates=COMMERCIAL)
    assert [(s.percent, s.interest_cents) for s in result.segments] == [
        (Decimal("10.15"), 862),
        (Decimal("10.15"), 862),
    ]


@pytest.mark.parametrize("until", [date(2025, 3, 1), date(2025, 2, 28), date(2024, 1, 1)])
def test_no_interest_when_paid_on_time(until):
    """Given a claim whose first day of default is 2025-03-01
    When it is paid on or before that day (legal-nl.md §2: default starts the day after
    the final payment date, so paying on the final date is on time)
    Then no interest accrues."""
    result = statutory_interest(100_000, date(2025, 3, 1), until)
    assert (result.total_cents, result.segments) == (0, ())


def test_a_partial_payment_on_principal_splits_the_segment():
    """Given €1,000.00 in default from 2025-01-01, of which €500.00 principal is paid on
    2025-01-11 (the new outstanding principal from that day)
    When asked until 2025-01-21
    Then 10 days at 6% on €1,000 -> €1.64, and 10 days on €500 -> €0.82 (the payment
    day itself no longer bears interest on the part paid, legal-nl.md §4)."""
    result = statutory_interest(
        100_000,
        date(2025, 1, 1),
        date(2025, 1, 21),
        principal_changes=[(date(2025, 1, 11), 50_000)],
    )
    assert [(s.first_day, s.base_cents, s.interest_cents) for s in result.segments] == [
        (date(2025, 1, 1), 100_000, 164),
        (date(2025, 1, 11), 50_000, 82),
    ]
    assert result.total_cents == 246


def test_paid_in_full_stops_the_interest():
    """Given €1,000.00 in default from 2024-12-01, paid in full on 2025-02-09: the €12.36
    interest first, then the principal (art. 6:44 BW)
    When asked until long after
    Then the interest is the same as up to the payment day: €12.36 (legal-nl.md §4).
    (Issue 12: the paid interest is now stated; a lower principal alone no longer takes
    interest out of the base.)"""
    result = statutory_interest(
        100_000,
        date(2024, 12, 1),
        date(2027, 6, 1),
        principal_changes=[(date(2025, 2, 9), 0)],
        interest_payments=[(date(2025, 2, 9), 1_236)],
    )
    assert result.total_cents == 1_236
    assert result.segments[-1].last_day == date(2025, 2, 8)


def test_paying_the_interest_takes_the_compounded_interest_out_of_the_base():
    """Given €1,000.00 in default from 2024-03-01; €68.38 interest compounded on
    2025-03-01; on 2025-03-11 a payment pays all interest so far (€68.38 + €1.76, art.
    6:44 BW, legal-nl.md §5) and reaches the principal, leaving €500.00
    When asked until 2025-03-21
    Then the base from 2025-03-11 is €500.00 alone: 10 days at 6% -> €0.82.
    (Issue 12: the payment of interest, not the lower principal, empties the base.)"""
    result = statutory_interest(
        100_000,
        date(2024, 3, 1),
        date(2025, 3, 21),
        principal_changes=[(date(2025, 3, 11), 50_000)],
        interest_payments=[(date(2025, 3, 11), 6_838 + 176)],
    )
    assert [(s.first_day, s.base_cents, s.interest_cents) for s in result.segments][-2:] == [
        (date(2025, 3, 1), 106_838, 176),
        (date(2025, 3, 11), 50_000, 82),
    ]


def test_the_example_of_interest_left_unpaid_by_a_payment_in_the_term():
    """legal-nl.md §4: €10,000.00 in default from 2025-01-01, €5,000.00 paid 2025-01-20
    (in the term: it paid no interest), rest open until 2027-03-01: the €31.23 of 1-19
    January 2025 stays unpaid and compounds at 2026-01-01 -> €563.97 in all."""
    result = statutory_interest(
        1_000_000,
        date(2025, 1, 1),
        date(2027, 3, 1),
        principal_changes=[(date(2025, 1, 20), 500_000)],
    )
    assert result.segments[0].interest_cents == 3_123
    assert result.total_cents == 56_397


def test_a_partial_payment_of_interest_settles_the_oldest_interest_first():
    """Given the example, when €20.00 of interest is paid on 2026-06-01, then from that
    day the base is €5,000.00 plus the €315.61 compounded at 2026-01-01 less €20.00."""
    result = statutory_interest(
        1_000_000,
        date(2025, 1, 1),
        date(2026, 7, 1),
        principal_changes=[(date(2025, 1, 20), 500_000)],
        interest_payments=[(date(2026, 6, 1), 2_000)],
    )
    assert result.segments[-1].first_day == date(2026, 6, 1)
    assert result.segments[-1].base_cents == 500_000 + 31_561 - 2_000


@pytest.mark.parametrize(
    "principal",
    [
        110_000,  # €100.00 added to the claim
        50_000,  # lowered without any interest paid (in the term, a coulance): issue 12
    ],
)
def test_a_changed_principal_keeps_the_compounded_interest(principal):
    """Given a claim with interest compounded on 2025-03-01 (€68.38) and its principal
    changed on 2025-03-11, higher or lower, while no interest was paid
    Then the base from 2025-03-11 is the new principal plus the compounded interest: a
    lower principal does not reset compounding (legal-nl.md §4)."""
    result = statutory_interest(
        100_000,
        date(2024, 3, 1),
        date(2025, 3, 21),
        principal_changes=[(date(2025, 3, 11), principal)],
    )
    assert result.segments[-1].base_cents == principal + 6_838


def test_changes_on_or_before_the_default_date_set_the_starting_principal():
    """Given a partial payment before default (principal €600.00 left when default starts)
    Then interest accrues on €600.00 from the first day of default."""
    result = statutory_interest(
        100_000,
        date(2025, 1, 1),
        date(2025, 1, 11),
        principal_changes=[(date(2024, 12, 20), 60_000)],
    )
    assert [(s.base_cents, s.interest_cents) for s in result.segments] == [(60_000, 99)]


def test_an_anniversary_of_29_february_falls_on_1_march():
    """Given default from 2024-02-29 (a leap day), the year ends on 2025-02-28
    Then compounding happens from 2025-03-01."""
    result = statutory_interest(100_000, date(2024, 2, 29), date(2025, 3, 5))
    assert date(2025, 3, 1) in [s.first_day for s in result.segments]
    assert result.segments[-1].base_cents > 100_000


def test_a_default_before_the_rate_table_is_refused():
    """Given a first day of default the rate table does not cover
    Then the computation refuses rather than guess a rate."""
    with pytest.raises(ValueError):
        statutory_interest(100_000, date(2014, 12, 31), date(2015, 2, 1))


def test_a_negative_principal_is_refused():
    with pytest.raises(ValueError):
        statutory_interest(-1, date(2025, 1, 1), date(2025, 2, 1))


@pytest.mark.parametrize("table", [CONSUMER, COMMERCIAL])
def test_rate_tables_are_data_with_a_source_per_row(table):
    """Given a rate table (legal-nl.md §4)
    Then the rows are in date order, each with a source; the 2025-07-01 and 2026-01-01
    rows are marked to be checked against the Staatscourant."""
    days = [row.valid_from for row in table]
    assert days == sorted(set(days))
    assert all(row.source for row in table)
    for row in table:
        checked = "check against the Staatscourant" in row.source
        assert checked == (row.valid_from >= date(2025, 7, 1))


# --- properties ----------------------------------------------------------------------------


@given(principals, days_in_table, durations)
def test_never_negative(principal, default_date, duration):
    """Interest is never negative (issue #5 part 4)."""
    result = statutory_interest(principal, default_date, default_date + timedelta(duration))
    assert result.total_cents >= 0
    assert all(s.interest_cents >= 0 for s in result.segments)


@given(principals, days_in_table, durations, durations)
def test_monotone_in_time(principal, default_date, a, b):
    """Asked for a later day, the interest is never less (issue #5 part 4)."""
    early, late = sorted((a, b))
    assert (
        statutory_interest(principal, default_date, default_date + timedelta(early)).total_cents
        <= statutory_interest(principal, default_date, default_date + timedelta(late)).total_cents
    )


@given(
    principals,
    days_in_table,
    durations,
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=4 * 366), st.integers(0, 100_000_000)),
        max_size=4,
    ),
)
def test_monotone_in_time_with_principal_changes(principal, default_date, duration, changes):
    """With any history of principal changes, a later day never shows less interest."""
    history = [(default_date + timedelta(offset), amount) for offset, amount in changes]
    until = default_date + timedelta(duration)
    totals = [
        statutory_interest(principal, default_date, day, principal_changes=history).total_cents
        for day in (until, until + timedelta(1), until + timedelta(40))
    ]
    assert totals == sorted(totals)


@given(principals, days_in_table, durations)
def test_segments_tile_the_period(principal, default_date, duration):
    """The segments run from the first day of default to the day before ``until`` without
    gap or overlap, no segment crosses a rate row, and they add up to the total."""
    until = default_date + timedelta(duration)
    result = statutory_interest(principal, default_date, until)
    if principal == 0 or duration == 0:
        assert result.segments == ()
        return
    assert result.segments[0].first_day == default_date
    assert result.segments[-1].until == until
    for before, after in zip(result.segments, result.segments[1:], strict=False):
        assert before.until == after.first_day
    rows = {row.valid_from for row in CONSUMER}
    for segment in result.segments:
        assert not any(segment.first_day < row < segment.until for row in rows)
    assert result.total_cents == sum(s.interest_cents for s in result.segments)


@given(principals, days_in_table, st.integers(min_value=0, max_value=365))
def test_within_a_year_close_to_simple_interest(principal, default_date, duration):
    """Within the first year (no compounding yet) the total is the exact simple interest
    day by day, off by at most half a cent per segment (rounding per segment)."""
    until = default_date + timedelta(duration)
    result = statutory_interest(principal, default_date, until)
    exact = sum(
        (
            Decimal(principal) * _rate(default_date + timedelta(d)) / 100 / 365
            for d in range(duration)
        ),
        Decimal(0),
    )
    assert abs(result.total_cents - exact) <= Decimal("0.5") * len(result.segments) + Decimal(
        "0.0001"
    )


@given(principals, principals, days_in_table, st.integers(min_value=0, max_value=365))
def test_additive_in_the_principal_up_to_rounding(a, b, default_date, duration):
    """Within a year, interest on a + b differs from interest on a plus interest on b by
    at most one cent per segment (rounding only)."""
    until = default_date + timedelta(duration)
    together = statutory_interest(a + b, default_date, until)
    apart = (
        statutory_interest(a, default_date, until).total_cents
        + statutory_interest(b, default_date, until).total_cents
    )
    assert abs(together.total_cents - apart) <= len(together.segments)


@given(principals, days_in_table, durations)
def test_compounding_never_lowers_and_bounds_the_interest(principal, default_date, duration):
    """Over several years the total lies between simple interest at the lowest rate and
    compound interest at the highest rate of the table (plus rounding)."""
    until = default_date + timedelta(duration)
    result = statutory_interest(principal, default_date, until)
    rates = [_rate(default_date + timedelta(d)) / 100 for d in range(duration)]
    if not rates:
        return
    low, high = min(rates), max(rates)
    years = Decimal(duration) / 365
    slack = len(result.segments)
    assert result.total_cents >= principal * low * years - slack
    assert result.total_cents <= principal * ((1 + high) ** (int(years) + 1) - 1) + slack


def _rate(day):
    return max(
        (row for row in CONSUMER if row.valid_from <= day), key=lambda row: row.valid_from
    ).percent


@pytest.mark.parametrize(
    ("interest_payments", "principal_changes"),
    [
        ((), ()),  # nothing paid in between
        (((date(2025, 9, 19), 1_532),), ()),  # interest paid, nothing compounded yet
        (((date(2025, 9, 19), 1_532),), ((date(2025, 9, 19), 85_272),)),  # a "change" to the same
    ],
)
def test_a_payment_that_leaves_the_base_as_it_was_ends_no_segment(
    interest_payments, principal_changes
):
    """legal-nl.md §4: "A segment ends at every row of the table ... and at each
    anniversary; each segment is rounded to the cent" (audit legal5).
    Given €852.72 in default from 2025-04-16 (the principal after an earlier payment)
    When €15.32 of interest is paid on 2025-09-19, before any interest compounded, so the
    base stays €852.72
    Then 1 Jul-30 Nov 2025 is one segment, 153 days at 6% -> €21.45 (not €11.21 + €10.23
    = €21.44, rounded twice), and the total is the same as without the payment."""
    result = statutory_interest(
        85_272,
        date(2025, 4, 16),
        date(2025, 12, 1),
        interest_payments=interest_payments,
        principal_changes=principal_changes,
    )
    assert [(s.first_day, s.until, s.interest_cents) for s in result.segments] == [
        (date(2025, 4, 16), date(2025, 7, 1), 1_065),
        (date(2025, 7, 1), date(2025, 12, 1), 2_145),
    ]
    assert result.total_cents == 3_210


def _interest_day_by_day(default_date, until, changes, interest_paid):
    """legal-nl.md §4 read literally, one day at a time: each day carries the rate in
    force that day on the principal of that day plus the interest of the years passed
    and still unpaid (compounded at each anniversary of the default date; 29 February's
    is 1 March); a run of days with the same rate row, year and base is one segment,
    rounded half-up to the cent. Interest paid leaves the compounded part, oldest first."""
    rows = sorted(CONSUMER, key=lambda row: row.valid_from)
    principal_on = {}  # by day, in order; the last change given for a day wins
    for day, cents in sorted(changes, key=lambda change: change[0]):
        principal_on[day] = cents
    paid_on: dict[date, int] = {}
    for day, cents in interest_paid:
        paid_on[day] = paid_on.get(day, 0) + cents
    runs: list[list] = []  # [row, year, base, days]

    def total() -> int:
        exact = (Decimal(base * days) * row.percent / 36_500 for row, _, base, days in runs)
        return sum(int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP)) for x in exact)

    year, next_anniversary, compounded, paid = 0, default_date, 0, 0
    for offset in range((until - default_date).days):
        day = default_date + timedelta(offset)
        if day == next_anniversary:
            compounded = total() if year else 0
            year += 1
            try:
                next_anniversary = default_date.replace(year=default_date.year + year)
            except ValueError:
                next_anniversary = date(default_date.year + year, 3, 1)
        principal = [cents for when, cents in principal_on.items() if when <= day][-1]
        paid += paid_on.get(day, 0)
        row = [row for row in rows if row.valid_from <= day][-1]
        base = principal + max(compounded - paid, 0)
        if runs and runs[-1][:3] == [row, year, base]:
            runs[-1][3] += 1
        else:
            runs.append([row, year, base, 1])
    return total()


@settings(max_examples=300)
@given(
    st.integers(min_value=0, max_value=10_000_000),
    st.dates(min_value=date(2022, 6, 1), max_value=date(2027, 12, 31)),
    st.integers(min_value=0, max_value=3 * 366),
    st.lists(st.tuples(st.integers(1, 3 * 366), st.integers(0, 10_000_000)), max_size=4),
    st.lists(st.tuples(st.integers(1, 3 * 366), st.integers(-500, 50_000)), max_size=3),
)
def test_equals_the_rules_applied_one_day_at_a_time(
    principal, default_date, duration, changes, paid
):
    """Given any principal, default date, period, principal changes and interest paid,
    across rate rows (2023-2026), anniversaries and leap days (legal-nl.md §4)
    When the interest is computed
    Then it is the sum of the day-by-day rules of §4, segment by segment, to the cent:
    actual days / 365, a segment per rate row, anniversary and base, each rounded."""
    until = default_date + timedelta(duration)
    history = [(default_date + timedelta(offset), cents) for offset, cents in changes]
    payments = [(default_date + timedelta(offset), cents) for offset, cents in paid]
    result = statutory_interest(
        principal, default_date, until, principal_changes=history, interest_payments=payments
    )
    starting = [(default_date, principal), *history]
    assert result.total_cents == _interest_day_by_day(default_date, until, starting, payments)
