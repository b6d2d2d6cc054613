"""Allocation of a payment: costs, then interest, then principal (R13, legal-nl.md §5).

Art. 6:44 BW, and the payment terms say so: whatever a patient pays goes first to the
collection costs, then to the accrued interest, then to the principal. What is left after
all three is an overpayment: kept as credit and refunded, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

# The note on the part of a payment booked beyond everything owed (R13): an overpayment,
# on the principal below zero until it is refunded (payments/refunds.py looks for it).
CREDIT_NOTE = "credit"


@dataclass(frozen=True, slots=True)
class Allocation:
    """How one payment is divided: costs, then interest, then principal (art. 6:44 BW,
    legal-nl.md §5); the rest is credit."""

    to_costs: int
    to_interest: int
    to_principal: int
    credit: int  # beyond everything owed: to be refunded

    @property
    def total(self) -> int:
        return self.to_costs + self.to_interest + self.to_principal + self.credit


def allocate(
    amount_cents: int, costs_due: int, interest_due: int, principal_due: int
) -> Allocation:
    """Split ``amount_cents`` over what is due, in the order the law prescribes.

    A component that owes nothing or less than nothing (credit from an earlier
    overpayment) takes nothing: the payment then goes on down the order.
    """
    if amount_cents < 0:
        raise ValueError("a payment is never negative; returns are reversals")
    rest = amount_cents
    to_costs, rest = _take(rest, costs_due)
    to_interest, rest = _take(rest, interest_due)
    to_principal, rest = _take(rest, principal_due)
    return Allocation(to_costs, to_interest, to_principal, credit=rest)


def _take(available: int, due: int) -> tuple[int, int]:
    taken = min(available, max(due, 0))
    return taken, available - taken
