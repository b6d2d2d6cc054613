"""An operator corrects a stop or a coulance entered by mistake (R27, R34; seed 003): the
ledger keeps the wrong entry and gets one that reverses it, with the reason, so the next
weekly retrocession statement shows both and reconciles to the cent (R24).

An entry is named by its place in the ledger (1 is the first, as every ledger listing
shows it): the ledger only grows, so the number stays the entry's. A correction of an
entry is booked once; asking again changes nothing. A full stop after the collection
costs forgives the principal, the costs and the interest in one entry each (changes/
stop.py): "that stop was a mistake" undoes it whole, so a correction of any of them
reverses every entry of that stop, each with its own reversing entry, and the patient is
told once (audit register50).

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
    """The invoice with entry ``entry_number`` reversed, and every entry its stop booked
    with it (``booked_with``), and with something owed again a new final payment date
    (coulance.with_adjusted_amount_term); the same invoice when they were reversed
    before. Refused: no such entry, or not a stop or coulance."""
    if not 1 <= entry_number <= len(invoice.ledger):
        raise practice_refused("no_such_entry")
    wrong = invoice.ledger[entry_number - 1]
    if wrong.kind not in CORRECTABLE or wrong.amount_cents >= 0:
        raise practice_refused("not_correctable")
    numbers = [n for n in booked_with(invoice, entry_number) if _reversal(invoice, n) is None]
    if not numbers:
        return invoice
    corrected = invoice
    for number in numbers:
        entry = invoice.ledger[number - 1]
        corrected = corrected.with_entry(
            LedgerEntry(
                entry.kind,
                entry.component,
                -entry.amount_cents,
                now,
                f"{correction_cause(number)}:operator:{operator}",
                f"correction of entry {number}: {reason}",
            )
        )
    if corrected.is_paid:  # the patient's credit is less, nothing is asked
        return corrected
    return with_adjusted_amount_term(corrected, now, payment_term_days)


def booked_with(invoice: Invoice, entry_number: int) -> tuple[int, ...]:
    """The numbers of the entries booked by the stop of entry ``entry_number``, in order:
    a full stop's, one per component it forgave, share its cause and moment (R21, R27);
    a coulance is one entry."""
    wrong = invoice.ledger[entry_number - 1]
    if wrong.kind is not EntryKind.STOP:
        return (entry_number,)
    return tuple(
        number
        for number, entry in enumerate(invoice.ledger, start=1)
        if entry.kind is EntryKind.STOP
        and entry.amount_cents < 0
        and (entry.cause, entry.at) == (wrong.cause, wrong.at)
    )


def correction_event(invoice: Invoice, entry_number: int) -> str:
    """The event a correction of entry ``entry_number`` is told to the patient under (R21):
    the cause of the first entry of its stop reversed by the last correction of that stop.
    One message for a stop undone at once, the same for a retry and for another of its
    entries asked after; a stop of which a part was undone alone before (one entry at a
    time, until round 50) is told again when the rest is."""
    reversals = {
        number: reversal
        for number in booked_with(invoice, entry_number)
        if (reversal := _reversal(invoice, number)) is not None
    }
    if not reversals:
        return correction_cause(entry_number)
    last = max(reversal.at for reversal in reversals.values())
    return correction_cause(min(n for n, r in reversals.items() if r.at == last))


def _reversal(invoice: Invoice, entry_number: int) -> LedgerEntry | None:
    cause = correction_cause(entry_number) + ":"
    return next((entry for entry in invoice.ledger if entry.cause.startswith(cause)), None)
