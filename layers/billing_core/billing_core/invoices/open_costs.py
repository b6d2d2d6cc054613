"""The costs still owed on an invoice, told apart by what they were charged for: in a
module of their own, as only the dunning letters and the agency's files tell them apart
(a class less at every other handler's cold start, make bench (d))."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry, balance, total_of


@dataclass(frozen=True, slots=True)
class OpenCosts:
    """What is still owed on the COSTS component, told apart by the charge it is for, as
    the checker's breakdown tells the charges apart: EntryKind.COSTS is the collection
    costs (BIK, art. 6:96 BW), EntryKind.FEE the instalment arrangement's fee (R15).
    Only the first is "incassokosten": the BIK a letter announced (legal-nl.md §2)."""

    collection_costs_cents: int
    fee_cents: int


def open_costs(entries: Iterable[LedgerEntry]) -> OpenCosts:
    """The costs still owed, split into BIK and arrangement fee.

    A payment on the costs does not say which of the two it paid: it paid the one
    charged first (usually the fee of an arrangement made before the reminder; the BIK
    when the arrangement came after the costs), so what is still open is the later one.
    """
    entries = tuple(entries)
    owed = max(balance(entries, Component.COSTS), 0)
    bik = max(total_of(entries, EntryKind.COSTS), 0)
    fee = max(total_of(entries, EntryKind.FEE), 0)
    first_charge = next(
        (e.kind for e in entries if e.kind in _COST_CHARGES and e.amount_cents > 0),
        EntryKind.FEE,
    )
    if first_charge is EntryKind.FEE:
        bik_open = min(bik, owed)
        return OpenCosts(bik_open, min(fee, owed - bik_open))
    fee_open = min(fee, owed)
    return OpenCosts(min(bik, owed - fee_open), fee_open)


_COST_CHARGES = frozenset({EntryKind.COSTS, EntryKind.FEE})
