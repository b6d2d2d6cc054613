"""An operator corrects a stop or a coulance entered by mistake (R27, R34; seed 003): the
ledger keeps the wrong entry and gets one that reverses it, with the reason, so the next
weekly retrocession statement shows both and reconciles to the cent (R24).

An entry is named by its place in the ledger (1 is the first, as every ledger listing
shows it): the ledger only grows, so the number stays the entry's. A correction of an
entry is booked once; asking again changes nothing.

A correction asks the patient for money that was forgiven: like any adjusted amount it
gets a new final payment date, the day of the correction plus the provider's payment
term (legal-nl.md §7), so the patient is not in default, nor reminded, for money never
asked (§2). The patient is told the corrected amount and that date (R21; the operator's
use case sends it). Once the costs were charged, or at the agency, the dates stand.
"""

from __future__ import annotations

from datetime import datetime

from billing_core.changes.coulance import with_adjusted_amount_term
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import CORRECTION, EntryKind, LedgerEntry
from billing_core.shared.errors import practice_refused

CORRECTABLE = frozenset({EntryKind.STOP, EntryKind.COULANCE})


def correction_cause(entry_number: int) -> str:
    return f"{CORRECTION}{entry_number}"


def correct_entry(
    invoice: Invoice,
    entry_number: int,
    reason: str,
    operator: str,
    now: datetime,
    *,
    payment_term_days: int,
) -> Invoice:
    """The invoice with entry ``entry_number`` reversed, and with something owed again a
    new final payment date (coulance.with_adjusted_amount_term); the same invoice when it
    was reversed before. Refused: no such entry, or not a stop or coulance."""
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
    corrected = invoice.with_entry(reversing)
    if corrected.is_paid:  # the patient's credit is less, nothing is asked
        return corrected
    return with_adjusted_amount_term(corrected, now, payment_term_days)
