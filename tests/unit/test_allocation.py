"""Allocation of payments: costs -> interest -> principal, the rest is credit (R13,
legal-nl.md §5, art. 6:44 BW)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing_core.invoices.allocation import Allocation, allocate

cents = st.integers(min_value=0, max_value=10**9)
# A component can owe less than nothing after an earlier overpayment.
dues = st.integers(min_value=-(10**6), max_value=10**9)


@pytest.mark.parametrize(
    "amount, costs, interest, principal, expected",
    [
        # pays exactly what is owed, each component in full
        (5000, 4000, 600, 400, Allocation(4000, 600, 400, 0)),
        # too little for everything: costs first, then interest, principal last
        (4300, 4000, 600, 10000, Allocation(4000, 300, 0, 0)),
        (3000, 4000, 600, 10000, Allocation(3000, 0, 0, 0)),
        # no costs or interest yet (before the reminder term expired, R20): all principal
        (2500, 0, 0, 3317, Allocation(0, 0, 2500, 0)),
        # more than owed: the rest is credit, to be refunded, never dropped
        (5000, 0, 0, 3317, Allocation(0, 0, 3317, 1683)),
        (20000, 4005, 1236, 10000, Allocation(4005, 1236, 10000, 4759)),
        # nothing owed at all (already paid): all credit
        (1000, 0, 0, 0, Allocation(0, 0, 0, 1000)),
        # an earlier overpayment left the principal negative: it takes nothing
        (1000, 500, 0, -200, Allocation(500, 0, 0, 500)),
        # a payment of nothing allocates nothing
        (0, 4000, 600, 400, Allocation(0, 0, 0, 0)),
    ],
)
def test_the_table(amount, costs, interest, principal, expected):
    assert allocate(amount, costs, interest, principal) == expected


def test_a_negative_payment_is_refused():
    # A returned transfer is a reversal, never a negative payment
    with pytest.raises(ValueError):
        allocate(-1, 0, 0, 100)


@given(cents, dues, dues, dues)
def test_never_loses_or_creates_a_cent(amount, costs, interest, principal):
    assert allocate(amount, costs, interest, principal).total == amount


@given(cents, dues, dues, dues)
def test_no_part_is_ever_negative(amount, costs, interest, principal):
    split = allocate(amount, costs, interest, principal)
    assert min(split.to_costs, split.to_interest, split.to_principal, split.credit) >= 0


@given(cents, dues, dues, dues)
def test_no_component_gets_more_than_it_owes(amount, costs, interest, principal):
    split = allocate(amount, costs, interest, principal)
    assert split.to_costs <= max(costs, 0)
    assert split.to_interest <= max(interest, 0)
    assert split.to_principal <= max(principal, 0)


@given(cents, dues, dues, dues)
def test_the_order_is_costs_then_interest_then_principal(amount, costs, interest, principal):
    split = allocate(amount, costs, interest, principal)
    # Nothing goes to interest while costs remain unpaid ...
    if split.to_interest > 0:
        assert split.to_costs == max(costs, 0)
    # ... nothing to principal while interest remains ...
    if split.to_principal > 0:
        assert split.to_interest == max(interest, 0)
        assert split.to_costs == max(costs, 0)


@given(cents, dues, dues, dues)
def test_credit_only_when_everything_is_paid(amount, costs, interest, principal):
    split = allocate(amount, costs, interest, principal)
    if split.credit > 0:
        assert (split.to_costs, split.to_interest, split.to_principal) == (
            max(costs, 0),
            max(interest, 0),
            max(principal, 0),
        )


@given(cents, dues, dues, dues)
def test_what_fits_is_used_before_anything_becomes_credit(amount, costs, interest, principal):
    # The payment is used up as far as anything is owed
    owed = max(costs, 0) + max(interest, 0) + max(principal, 0)
    split = allocate(amount, costs, interest, principal)
    assert split.credit == max(amount - owed, 0)
