"""An operator corrects a stop or a coulance entered by mistake (R27, R34; seed 003): the
ledger keeps the wrong entry and gets one that reverses it, with the reason, so the next
weekly retrocession statement shows both and reconciles to the cent (R24).

An entry is named by its place in the ledger (1 is the first, as every ledger listing
shows it): the ledger only grows, so the number stays the entry's. A correction of an
entry is booked once; asking again changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import EntryKind, LedgerEntry
from billing_core.shared.errors import practice_refused

CORRECTABLE = frozenset({EntryKind.STOP, EntryKind.COULANCE})


def correction_cause(entry_number: int) -> str:
    return f"correction:{entry_number}"


def correct_entry(
    invoice: Invoice, entry_number: int, reason: str, operator: str, now: datetime
) -> Invoice:
    """The invoice with entry ``entry_number`` reversed; the same invoice when it was
    reversed before. Refused: no such entry, or not a stop or coulance."""
    if not 1 <= entry_number <= len(invoice.ledger):
        raise practice_refused("no_such_entry")
    wrong = invoice.ledger[entry_number - 1]
    if wrong.kind not in CORRECTABLE or wrong.amount_cents >= 0:
        raise practice_refused("not_correctable")
    cause = correction_cause(entry_number)
    if any(entry.cause.startswith(cause + ":") for entry in invoice.ledger):
        return invoice
    reversing = LedgerEntry(
        wrong.kind,
        wrong.component,
        -wrong.amount_cents,
        now,
        f"{cause}:operator:{operator}",
        f"correction of entry {entry_number}: {reason}",
    )
    return invoice.with_entry(reversing)
