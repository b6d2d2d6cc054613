"""The costs still owed on an invoice, told apart by what they were charged for: in a
module of their own, as only the dunning letters and the agency's files tell them apart
(a class less at every other handler's cold start, make bench (d))."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from billing_core.invoices.ledger import (
    PATIENT_MONEY,
    Component,
    EntryKind,
    LedgerEntry,
    balance,
    total_of,
)


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
    if _first_charge(entries) is EntryKind.FEE:
        bik_open = min(bik, owed)
        return OpenCosts(bik_open, min(fee, owed - bik_open))
    fee_open = min(fee, owed)
    return OpenCosts(min(bik, owed - fee_open), fee_open)


def collection_costs_paid(entries: Iterable[LedgerEntry]) -> int:
    """What the patient paid of the collection costs (BIK), by the ledger's allocation: the
    patient's money booked on the COSTS component (payments, less what came back, R12, and
    refunds, R13), of which the charge made first took its part first, as ``open_costs``
    reads it. Costs the practice forgave (a stop, R21, or coulance, R17) are no payment:
    "charged less open" called them paid (a second notice rendered again, R38)."""
    entries = tuple(entries)
    paid = max(-sum(e.amount_cents for e in entries if _patient_money_on_costs(e)), 0)
    bik = max(total_of(entries, EntryKind.COSTS), 0)
    fee = max(total_of(entries, EntryKind.FEE), 0)
    if _first_charge(entries) is EntryKind.FEE:
        return min(max(paid - fee, 0), bik)
    return min(paid, bik)


def _patient_money_on_costs(entry: LedgerEntry) -> bool:
    return entry.component is Component.COSTS and entry.kind in PATIENT_MONEY


def _first_charge(entries: tuple[LedgerEntry, ...]) -> EntryKind:
    return next(
        (e.kind for e in entries if e.kind in _COST_CHARGES and e.amount_cents > 0),
        EntryKind.FEE,
    )


_COST_CHARGES = frozenset({EntryKind.COSTS, EntryKind.FEE})
