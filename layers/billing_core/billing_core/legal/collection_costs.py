"""Collection costs (BIK) per the staffel of the Besluit vergoeding voor
buitengerechtelijke incassokosten (legal-nl.md §2, §3).

The staffel is data: a versioned table with its source and the date it took effect.
The code only walks the bands. Costs are computed over the outstanding **principal**
(never interest) at the moment the reminder term expires; the caller decides that
moment and passes the principal. A 14-day letter's costs take the staffel of that moment
too (``costs_at_term_end``: its final date), whenever they are figured.

Rounding: each band's share is kept exact (Decimal) and the sum is rounded half-up to a
cent once, so no band adds its own rounding error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from billing_core.shared.money import round_half_up


@dataclass(frozen=True, slots=True)
class Band:
    """``rate`` applies to the part of the principal between the previous band's
    ceiling and ``ceiling_cents`` (None: no ceiling)."""

    ceiling_cents: int | None
    rate: Decimal


@dataclass(frozen=True, slots=True)
class Staffel:
    """The statutory scale of extrajudicial collection costs (BIK) valid from a date
    (legal-nl.md §3)."""

    valid_from: date
    source: str
    bands: tuple[Band, ...]
    minimum_cents: int
    maximum_cents: int


# --- data ----------------------------------------------------------------------------------

BIK_2012 = Staffel(
    valid_from=date(2012, 7, 1),
    source=(
        "Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012, 141), "
        "art. 2 lid 1; legal-nl.md §3. No VAT on top: healthcare is VAT exempt."
    ),
    bands=(
        Band(250_000, Decimal("0.15")),  # first €2,500
        Band(500_000, Decimal("0.10")),  # next €2,500
        Band(1_000_000, Decimal("0.05")),  # next €5,000
        Band(20_000_000, Decimal("0.01")),  # next €190,000
        Band(None, Decimal("0.005")),  # above €200,000
    ),
    minimum_cents=4_000,
    maximum_cents=677_500,
)

# Every staffel that has been in force, oldest first.
STAFFELS: tuple[Staffel, ...] = (BIK_2012,)


def staffel_on(day: date) -> Staffel:
    """The staffel in force on ``day`` (for a reminder term expiring that day)."""
    in_force = [staffel for staffel in STAFFELS if staffel.valid_from <= day]
    if not in_force:
        raise ValueError(f"no BIK staffel in force on {day.isoformat()}")
    return in_force[-1]


# --- one claim -----------------------------------------------------------------------------


def collection_costs(principal_cents: int, *, staffel: Staffel = BIK_2012) -> int:
    """BIK in cents over an outstanding principal (legal-nl.md §3).

    A principal of zero (or less: a credit) means nothing is being collected, so no
    costs; the €40 minimum only applies to an actual claim.
    """
    if principal_cents <= 0:
        return 0
    exact = _staffel_sum(principal_cents, staffel.bands)
    return min(max(round_half_up(exact), staffel.minimum_cents), staffel.maximum_cents)


def _staffel_sum(principal_cents: int, bands: Sequence[Band]) -> Decimal:
    total = Decimal(0)
    floor = 0
    for band in bands:
        ceiling = principal_cents if band.ceiling_cents is None else band.ceiling_cents
        top = min(principal_cents, ceiling)
        if top <= floor:
            break
        total += (top - floor) * band.rate
        floor = top
    return total


# --- one reminder covering several invoices ------------------------------------------------


@dataclass(frozen=True, slots=True)
class CostsSplit:
    """The BIK of one reminder and its share per invoice, in the order given."""

    total_cents: int
    parts: tuple[int, ...]


def collection_costs_for(principals: Sequence[int], *, staffel: Staffel = BIK_2012) -> CostsSplit:
    """BIK for one reminder covering several invoices of one patient (legal-nl.md §2).

    The staffel is applied to the **sum** of the principals (one claim, one letter), not
    per invoice; that is both what the law allows and cheaper for the patient.

    The total is then split over the invoices so each ledger can carry its part:
    proportionally to the principals, rounded down to whole cents, and the cents left
    over go one each to the invoices with the largest remainders (ties: the earlier
    invoice). The parts always add up to the total exactly, and an invoice with no
    principal gets nothing.
    """
    if any(principal < 0 for principal in principals):
        raise ValueError("a principal to collect cannot be negative")
    total = collection_costs(sum(principals), staffel=staffel)
    return CostsSplit(total, split_proportionally(total, principals))


def costs_at_term_end(principals: Sequence[int], final_date: date) -> CostsSplit:
    """The BIK of one 14-day letter by the staffel in force "at the moment the reminder
    term expires" (legal-nl.md §3): the term runs to the end of ``final_date``, the last
    day the patient may pay, so it is that day's staffel, the same moment the principal
    is read at (dunning/letter_costs.principal_open_on). The one date for the costs the
    letter announces (§2), those charged the day after the term and their cap: a staffel
    taking effect during the term is the one announced, charged and capped at."""
    return collection_costs_for(principals, staffel=staffel_on(final_date))


def split_proportionally(total_cents: int, weights: Sequence[int]) -> tuple[int, ...]:
    """``total_cents`` divided in proportion to ``weights`` by largest remainder.

    Integer arithmetic only, so the result is exact and the same on every machine.
    """
    weight_sum = sum(weights)
    if weight_sum == 0:
        return tuple(0 for _ in weights)
    shares = [divmod(total_cents * weight, weight_sum) for weight in weights]
    parts = [whole for whole, _ in shares]
    left_over = total_cents - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-shares[i][1], i))
    for index in by_remainder[:left_over]:
        parts[index] += 1
    return tuple(parts)
