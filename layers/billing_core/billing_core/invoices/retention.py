"""How long an invoice, its ledger and the patient data in it are kept (legal-nl.md §8):
"kept 7 years after the end of the year they were settled (fiscal obligation), then
deleted".

Settled means nothing is owed either way: paid, stopped or written off to a balance of
nil. An invoice that still owes the patient a refund (a credit, R13) is not settled:
the practice's debt to the patient is business still open. It depends on the ledger
alone, so every save of an invoice knows it without being told, and a reversal that
reopens the invoice (R12) takes the date away again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from billing_core.invoices.ledger import LedgerEntry, balance
from billing_core.shared.clock import amsterdam_day

RETENTION_YEARS = 7  # art. 52 AWR, legal-nl.md §8


def settled_on(ledger: Sequence[LedgerEntry]) -> date | None:
    """The Dutch calendar day the ledger came to nil for the last time, or None while
    anything is owed. The day of its latest entry's date (the ledger only grows, R27),
    not of when that entry was written: a transfer of 31 December read from a statement
    on 2 January settled the invoice in December ("the payment date decides", §2)."""
    if not ledger or balance(ledger) != 0:
        return None
    return max(amsterdam_day(entry.at) for entry in ledger)


def kept_until(ledger: Sequence[LedgerEntry]) -> date | None:
    """The last day a settled invoice is kept: 31 December, 7 years after the year it was
    settled; None while it is open, so it is kept."""
    settled = settled_on(ledger)
    return None if settled is None else date(settled.year + RETENTION_YEARS, 12, 31)
