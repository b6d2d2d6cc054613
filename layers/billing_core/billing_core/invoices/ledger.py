"""The append-only ledger of an invoice's money (R27).

Every change of what a patient owes is an entry; balances are sums over entries,
never stored totals. Amounts are signed cents: positive raises what is owed,
negative lowers it. Each entry books on one component, because payments are
allocated costs -> interest -> principal (R13, legal-nl.md §5).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EntryKind(StrEnum):
    ISSUED = "issued"
    REIMBURSEMENT = "reimbursement_deduction"
    PAYMENT = "payment"
    COULANCE = "coulance"
    STOP = "stop"
    COSTS = "costs"
    INTEREST = "interest"
    FEE = "fee"
    REFUND = "refund"
    REVERSAL = "reversal"


# The note of a REVERSAL entry: this prefix, then the id of the payment it undoes (R12).
REVERSES = "reverses "


class Component(StrEnum):
    PRINCIPAL = "principal"
    COSTS = "costs"
    INTEREST = "interest"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One booked change of what an invoice asks: the ledger is the invoice's money, never
    overwritten."""

    kind: EntryKind
    component: Component
    amount_cents: int
    at: datetime
    cause: str  # who or what made this change: "declaration:<id>", "psp:<id>", "provider:<user>"
    note: str = ""
    # When the entry was written, if later than ``at``: a transfer of Sunday read from
    # Monday's bank statement is dated Sunday but recorded Monday. The weekly
    # retrocession counts an entry in the week it was recorded, so money that arrives
    # after a week's statement was built is paid out the week after, never lost (R24).
    recorded_at: datetime | None = None

    @property
    def recorded(self) -> datetime:
        return self.recorded_at or self.at


def balance(entries: Iterable[LedgerEntry], component: Component | None = None) -> int:
    """What is still owed, in total or on one component."""
    return sum(e.amount_cents for e in entries if component is None or e.component is component)


def total_of(entries: Iterable[LedgerEntry], kind: EntryKind) -> int:
    return sum(e.amount_cents for e in entries if e.kind is kind)


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
