"""Collection costs (BIK) per the staffel (legal-nl.md §2, §3)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing_core.legal import (
    BIK_2012,
    STAFFELS,
    CostsSplit,
    collection_costs,
    collection_costs_for,
    split_proportionally,
    staffel_on,
)
from billing_core.shared.money import round_half_up

principals = st.integers(min_value=1, max_value=500_000_000)  # up to €5 million


@pytest.mark.parametrize(
    "principal_cents, costs_cents",
    [
        (10_000, 4_000),
        (26_700, 4_005),
        (250_000, 37_500),
        (300_000, 42_500),
        (600_000, 67_500),
        (1_000_000, 87_500),
        (25_000_000, 302_500),
        (200_000_000, 677_500),
    ],
)
def test_the_checks_of_the_spec(principal_cents, costs_cents):
    """Given a principal from the checks in legal-nl.md §3
    When the BIK is computed
    Then it is the amount the spec lists."""
    assert collection_costs(principal_cents) == costs_cents


@pytest.mark.parametrize(
    "principal_cents, costs_cents",
    [
        (26_666, 4_000),  # 15% = 39.999: the minimum
        (26_667, 4_000),  # 15% = 40.0005 -> 40.00
        (26_670, 4_001),  # 15% = 40.005 -> half-up 40.01
        (100_000_000, 677_500),  # €1,000,000: exactly where the maximum is reached
        (99_999_900, 677_500),  # 6775.00 - 0.005 -> half-up 6775.00
        (99_999_800, 677_499),
    ],
)
def test_edges_of_minimum_maximum_and_rounding(principal_cents, costs_cents):
    """Given a principal at the edge of the €40 minimum, a half cent, or the €6,775
    maximum (legal-nl.md §3)
    When the BIK is computed
    Then the bands are summed exactly and rounded half-up once."""
    assert collection_costs(principal_cents) == costs_cents


@pytest.mark.parametrize(
    "principal_cents, costs_cents",
    [
        # a cent either side of each band's ceiling (legal-nl.md §3): the bands join up
        (249_999, 37_500),  # 15% of 2,499.99 = 374.9985
        (250_001, 37_500),  # 375 + 10% of 0.01
        (499_999, 62_500),  # 375 + 249.999
        (500_001, 62_500),  # 625 + 5% of 0.01
        (999_999, 87_500),  # 625 + 249.9995
        (1_000_001, 87_500),  # 875 + 1% of 0.01
        (19_999_999, 277_500),  # 875 + 1,899.9999
        (20_000_000, 277_500),  # 875 + 1% of 190,000
        (20_000_001, 277_500),  # 2,775 + 0.5% of 0.01
        # inside each band, where only its own rate and ceiling give the figure
        (400_000, 52_500),  # 375 + 10% of 1,500: the €2,000 + €2,000 letter of §2
        (750_000, 75_000),  # 625 + 5% of 2,500
        (10_000_000, 177_500),  # 875 + 1% of 90,000 (the 1% band alone)
        (50_000_000, 427_500),  # 2,775 + 0.5% of 300,000
    ],
)
def test_each_band_and_a_cent_either_side_of_its_ceiling(principal_cents, costs_cents):
    """Given a principal a cent either side of €2,500, €5,000, €10,000 or €200,000, or
    inside one band (legal-nl.md §3)
    When the BIK is computed
    Then each part of the principal carries its own band's rate: 15%, 10%, 5%, 1%, 0.5%."""
    assert collection_costs(principal_cents) == costs_cents


def _bik_by_the_table(principal_cents: int) -> int:
    """legal-nl.md §3's table read literally, in euros and exact fractions: the first
    €2,500 at 15%, the next €2,500 at 10%, the next €5,000 at 5%, the next €190,000 at
    1%, the rest at 0.5%; half-up to a cent, then the €40 minimum and €6,775 maximum."""
    euros = Fraction(principal_cents, 100)
    widths_and_rates = [(2_500, "15"), (2_500, "10"), (5_000, "5"), (190_000, "1"), (None, "0.5")]
    costs = Fraction(0)
    for width, percent in widths_and_rates:
        part = euros if width is None else min(euros, Fraction(width))
        costs += part * Fraction(percent) / 100
        euros -= part
    cents = costs * 100
    rounded = int(cents) + (1 if cents - int(cents) >= Fraction(1, 2) else 0)
    return min(max(rounded, 4_000), 677_500)


@given(principals)
def test_the_staffel_is_the_table_of_the_spec(principal):
    """Given any positive principal up to €5 million
    When the BIK is computed
    Then it is what the table of legal-nl.md §3 gives, band by band, to the cent."""
    assert collection_costs(principal) == _bik_by_the_table(principal)


@pytest.mark.parametrize("principal_cents", [0, -500])
def test_nothing_to_collect_means_no_costs(principal_cents):
    """Given no outstanding principal (paid, or a credit)
    When the BIK is computed
    Then it is zero: the minimum applies only to an actual claim (legal-nl.md §3)."""
    assert collection_costs(principal_cents) == 0


def test_the_staffel_is_data_with_source_and_valid_from():
    """Given the staffel table (legal-nl.md intro: figures are data)
    Then each version has a source and a valid-from date, and the one in force is found."""
    assert all(staffel.source and staffel.valid_from for staffel in STAFFELS)
    assert staffel_on(date(2026, 3, 1)) is BIK_2012
    with pytest.raises(ValueError):
        staffel_on(date(2012, 6, 30))


@given(principals, principals)
def test_monotone_in_the_principal(a, b):
    """Given two principals
    Then the larger never costs less (legal-nl.md §3: a staffel of positive rates)."""
    low, high = sorted((a, b))
    assert collection_costs(low) <= collection_costs(high)


@given(principals)
def test_between_minimum_and_maximum(principal):
    """Given any positive principal
    Then the BIK lies within [€40, €6,775] (legal-nl.md §3)."""
    assert 4_000 <= collection_costs(principal) <= 677_500


@given(principals)
def test_never_more_than_15_percent_once_above_the_minimum(principal):
    """Given any positive principal
    Then the BIK is the minimum or at most 15% of the principal (rounded): 15% is the
    highest band rate (legal-nl.md §3)."""
    costs = collection_costs(principal)
    assert costs == 4_000 or costs <= round_half_up(principal * Decimal("0.15"))


@given(principals, st.integers(min_value=0, max_value=10_000_000))
def test_one_more_euro_never_costs_more_than_15_cents_plus_rounding(principal, extra):
    """Given a principal and an increase
    Then the BIK grows by at most 15% of the increase plus a cent of rounding: no band
    charges more than 15% (legal-nl.md §3)."""
    growth = collection_costs(principal + extra) - collection_costs(principal)
    assert growth <= round_half_up(extra * Decimal("0.15")) + 1


def test_several_invoices_on_one_reminder_use_the_summed_principal():
    """Given one reminder covering invoices of €100, €100 and €2,300 (legal-nl.md §2)
    When the BIK is computed
    Then the staffel is applied to the sum (€2,500 -> €375), not €40 + €40 + €345,
    and each invoice carries its proportional part."""
    split = collection_costs_for([10_000, 10_000, 230_000])
    assert split.total_cents == 37_500
    assert split.parts == (1_500, 1_500, 34_500)


def test_leftover_cents_go_to_the_largest_remainders():
    """Given three equal invoices of €100 (sum €300 -> BIK €45.00)
    When the BIK is split
    Then 4500 / 3 = 1500 each; and for €40.00 over three: 1334, 1333, 1333 (the earlier
    invoice wins a tie), so the parts add up."""
    assert collection_costs_for([10_000] * 3).parts == (1_500, 1_500, 1_500)
    assert split_proportionally(4_000, [1, 1, 1]) == (1_334, 1_333, 1_333)
    assert split_proportionally(100, [1, 2]) == (33, 67)


def test_an_invoice_without_principal_gets_no_costs():
    """Given one reminder listing an invoice already paid in full
    Then that invoice gets no part; with nothing outstanding at all there are no costs."""
    assert collection_costs_for([0, 50_000]).parts == (0, 7_500)
    assert collection_costs_for([0, 0]) == CostsSplit(0, (0, 0))
    assert collection_costs_for([]).total_cents == 0


def test_a_negative_principal_is_refused():
    with pytest.raises(ValueError):
        collection_costs_for([10_000, -1])


@given(st.lists(st.integers(min_value=0, max_value=50_000_000), min_size=1, max_size=12))
def test_parts_add_up_to_the_bik_on_the_sum(principal_list):
    """Given any invoices on one reminder
    Then the parts add up exactly to the BIK over the summed principals (legal-nl.md §2),
    and each part is within a cent of its exact proportional share."""
    split = collection_costs_for(principal_list)
    assert split.total_cents == collection_costs(sum(principal_list))
    assert sum(split.parts) == split.total_cents
    total_principal = sum(principal_list)
    for part, principal in zip(split.parts, principal_list, strict=False):
        exact = split.total_cents * principal / total_principal if total_principal else 0
        assert abs(part - exact) < 1
        assert principal > 0 or part == 0
