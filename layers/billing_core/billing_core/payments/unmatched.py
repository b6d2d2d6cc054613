"""Bank credits the import could not book with certainty, kept until an operator matches
them (R34, legal-nl.md §5): never lost, matched once.

An operator matches a credit to an invoice (its betalingskenmerk), to several invoices
(their kenmerken, in the order the payer named them: each gets what it owes, the last
also what is left over) or to a patient of a practice: then the invoices due on the credit's date come first, the oldest due first
(art. 6:43 lid 2 BW), each gets what it owes, the rest goes to the next one, and what is
left stays on the last as the patient's credit (R13). The plan is stored with the credit
before anything is booked, with the target it was made for, so a retry (the same
target) books the same parts again, each once (its payment id), and never splits the
money anew; another target is refused, as the credit went elsewhere already.

A return nobody could trace (a debit) is matched to an invoice too: it is booked as the
reversal of a bank payment on it (R12), and the plan names that payment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from billing_core.shared.errors import practice_refused

if TYPE_CHECKING:
    from billing_core.invoices.invoice import Invoice

CREDIT = "CRDT"
DEBIT = "DBIT"


@dataclass(frozen=True, slots=True)
class MatchTarget:
    """An invoice's betalingskenmerk, several in the payer's order (one transfer for
    several invoices, legal-nl.md §5), or a practice and its patient number."""

    reference: str = ""
    provider_id: str = ""
    patient_ref: str = ""
    references: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        to_patient = bool(self.provider_id and self.patient_ref)
        if [bool(self.reference), bool(self.references), to_patient].count(True) != 1:
            raise practice_refused("match_target")


@dataclass(frozen=True, slots=True)
class MatchPart:
    """Part of a credit booked on one invoice, under its own payment id."""

    reference: str  # the invoice's betalingskenmerk
    invoice_id: str
    amount_cents: int
    reverses: str = ""  # a return: the source id of the bank payment it reverses
    # As booked (read from its invoice's ledger, never stored with the plan): our bank
    # refund that the patient's bank returned, undone by this part, not a payment (R34).
    refund_undone: bool = False


@dataclass(frozen=True, slots=True)
class CreditMatch:
    matched_at: datetime
    operator: str  # the operator's user id (Cognito sub), never a name
    parts: tuple[MatchPart, ...]
    # What the operator matched it to, its kenmerk without spaces; None on a plan stored
    # before the target was kept with it (any target completes that one, as it did then).
    target: MatchTarget | None = None

    def made_for(self, target: MatchTarget) -> bool:
        """Whether ``target`` (a kenmerk without spaces) asks for this plan: a retry."""
        return self.target is None or self.target == target


@dataclass(frozen=True, slots=True)
class UnmatchedCredit:
    """One line the bank import could not book (holds the payer's details: never log it)."""

    credit_id: str  # short and stable, from the bank's id of the entry: for the URL
    source_id: str  # what it is booked as: {our iban}/{entry reference}, as the import does
    statement_id: str
    entry_reference: str
    booking_date: date
    direction: str  # CRDT money in, DBIT a return we could not trace
    amount_cents: int
    currency: str
    reason: str  # bank_import.UnmatchedReason
    kenmerk: str = ""
    remittance_text: str = field(default="", repr=False)
    counterparty_name: str = field(default="", repr=False)
    counterparty_iban: str = field(default="", repr=False)
    match: CreditMatch | None = None
    # TxId, EndToEndId: once an operator matched the credit, a return of it repeating one
    # of them is traced like a return of a credit the import booked (R12).
    transfer_ids: tuple[str, ...] = ()
    # The bank's TxId ("" when not provided, or kept before it was): the same transfer
    # listed in another statement under another key carries it too (R12, R34).
    transaction_id: str = ""

    @property
    def account_iban(self) -> str:
        """Our account the entry is on: the first part of the source id."""
        return self.source_id.partition("/")[0]

    @property
    def bank_transaction_id(self) -> str:
        """The bank's TxId: as kept, else from a key ``tx/{TxId}/{CdtDbtInd}/{day}/{cents}``
        (camt053.py) of a credit kept before the TxId was."""
        if self.transaction_id or not self.entry_reference.startswith("tx/"):
            return self.transaction_id
        return self.entry_reference.removeprefix("tx/").rsplit("/", 3)[0]

    @property
    def is_return(self) -> bool:
        """Money that went back to a payer: booked as the reversal of a payment (R12)."""
        return self.direction == DEBIT

    @property
    def can_be_booked(self) -> bool:
        """In euros: another currency needs the bank, not a match."""
        return self.currency == "EUR"


def credit_id_of(source_id: str) -> str:
    return hashlib.sha256(source_id.encode()).hexdigest()[:20]


def split_over(amount_cents: int, due: Sequence[tuple[str, str, int]]) -> tuple[MatchPart, ...]:
    """``due``: (reference, invoice id, amount due) oldest first, at least one. Each gets
    what it owes until the money runs out; the last one also gets what is left over."""
    parts: list[MatchPart] = []
    left = amount_cents
    for position, (reference, invoice_id, owed) in enumerate(due):
        last = position == len(due) - 1
        share = left if last else min(left, max(owed, 0))
        if share > 0:
            parts.append(MatchPart(reference, invoice_id, share))
        left -= share
        if left == 0:
            break
    return tuple(parts)


def plan_as_stored(
    credit: UnmatchedCredit, read: Callable[[str], Invoice | None]
) -> list[tuple[Invoice | None, bool]]:
    """Each part of the credit's plan: its invoice as ``read`` finds it now by the part's
    kenmerk (read it consistently: an index lags behind), and whether that invoice holds
    the credit's bank payment, booked under the credit's own id (R34, R12). ``read``
    decides what an invoice no longer found is: None here (holding nothing), or raising.
    The one answer to "is this plan booked" for the match and for migration 8; the
    invoices as read are what a withdrawal is conditional on (R28)."""
    from billing_core.payments.booking import payment_id

    assert credit.match is not None, "a credit with a plan"
    booked_as = payment_id("bank", credit.source_id)
    found = [read(part.reference) for part in credit.match.parts]
    return [
        (invoice, invoice is not None and booked_as in invoice.applied_payments)
        for invoice in found
    ]


def kenmerken_named(credit: UnmatchedCredit) -> list[str]:
    """The kenmerken the import named on the line (``several_kenmerken``: each)."""
    return [kenmerk.strip() for kenmerk in credit.kenmerk.split(",") if kenmerk.strip()]


def booked_only_where_named(
    credit: UnmatchedCredit,
    read: Sequence[tuple[Invoice | None, bool]],
    find: Callable[[str], Invoice | None],
) -> bool:
    """Whether each part of the plan booked (``read``: ``plan_as_stored``) is on an
    invoice the line names (``find``: by kenmerk, as the index finds it); true when
    nothing is booked. Such a part is one the import booked before the plan (a transfer
    quoting several kenmerken whose import stopped between its parts) or the plan booked
    there: every later match finds it and keeps it as booked (``_booked_already`` in
    services/operator/money.py), so the credit listed again is booked once, and its plan
    may be withdrawn. Kept, the rest stayed on no invoice and off the list (R12, R34;
    briefs refund51, refund51b). A return's plan reverses a payment: no such part."""
    booked = [invoice for invoice, is_booked in read if is_booked and invoice is not None]
    if not booked:
        return True
    if credit.is_return:
        return False
    named = filter(None, map(find, kenmerken_named(credit)))
    found_again = {invoice.invoice_id for invoice in named}
    return all(invoice.invoice_id in found_again for invoice in booked)
