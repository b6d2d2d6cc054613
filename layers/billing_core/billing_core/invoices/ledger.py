"""The append-only ledger of an invoice's money (R27).

Every change of what a patient owes is an entry; balances are sums over entries,
never stored totals. Amounts are signed cents: positive raises what is owed,
negative lowers it. Each entry books on one component, because payments are
allocated costs -> interest -> principal (R13, legal-nl.md §5).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
# The cause of an operator's correction of a stop or coulance: this prefix, then the
# corrected entry's number (changes/correction.py, R34).
CORRECTION = "correction:"


def is_correction(cause: str) -> bool:
    """Whether a cause (or the event id of its confirmation, which is the cause) is an
    operator's correction."""
    return cause.startswith(CORRECTION)


# The cause of what an insurer's retour changed: this prefix, then the file's name
# (declarations/retour.py, R5).
RETOUR = "retour:"


def is_retour(cause: str) -> bool:
    """Whether a cause (or the event id of its confirmation) is an insurer's retour."""
    return cause.startswith(RETOUR)


# The cause of what the collection agency told us (collection/collection_report.py): this
# prefix, then its row's id. Such entries settle the claim, but the money is the agency's
# until its transfer reaches our account (payments/remittance.py): they are no money
# received (providers/retrocession.py, R24).
AGENCY = "agency:"


def is_agency(cause: str) -> bool:
    """Whether an entry is the agency's report on a claim, not money in our account."""
    return cause.startswith(AGENCY)


# The cause of the agency's transfer's reversal of its report (payments/remittance.py):
# this prefix, then the bank payment's id. ':' is in no agency_ref: never one of its rows.
REMITTED = f"{AGENCY}remitted:"
# The note of the PAYMENT that books the agency's transfer as money in our account.
REMITTED_NOTE = "remitted by the collection agency"


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
    # A stop's: a fingerprint of the request that asked it (shared.retries.fingerprint), so
    # a retry with its key that asks another stop is refused, not given this one (R38).
    request_fingerprint: str = ""

    @property
    def recorded(self) -> datetime:
        return self.recorded_at or self.at


def balance(entries: Iterable[LedgerEntry], component: Component | None = None) -> int:
    """What is still owed, in total or on one component."""
    return sum(e.amount_cents for e in entries if component is None or e.component is component)


def booked_by(entries: Iterable[LedgerEntry], cause: str) -> LedgerEntry | None:
    """The first entry with this cause in the ledger, if any: a change known by its cause
    (a coulance by its proposal) that finds it there was made before, by an earlier
    attempt whose answer was lost, and is not made again (R38). A change known by its
    request's key for the key's lifetime (a stop) is found by ``RetryCauses.made``."""
    return next((e for e in entries if e.cause == cause), None)


def total_of(entries: Iterable[LedgerEntry], kind: EntryKind) -> int:
    return sum(e.amount_cents for e in entries if e.kind is kind)


FORGIVING = (EntryKind.STOP, EntryKind.COULANCE)  # R21 stop, R17 coulance
# The patient's money: payments, less returned transfers (R12) and refunds (R13).
PATIENT_MONEY = (EntryKind.PAYMENT, EntryKind.REVERSAL, EntryKind.REFUND)
# The patient's money and what the practice forgave: an arrangement's terms are kept by
# either (R15).
PAID_OR_FORGIVEN = (*PATIENT_MONEY, *FORGIVING)


def paid_by_patient(entries: Iterable[LedgerEntry]) -> int:
    """Cents the patient paid and kept paid: 0 when the insurer's deduction or the
    practice settled it all (R5, R21)."""
    return -sum(e.amount_cents for e in entries if e.kind in PATIENT_MONEY)


def paid_or_forgiven(entries: Iterable[LedgerEntry]) -> int:
    """Cents the patient paid (``paid_by_patient``) plus what the practice forgave by a stop
    or coulance (R15, R21): what keeps an arrangement's terms."""
    return -sum(e.amount_cents for e in entries if e.kind in PAID_OR_FORGIVEN)


def forgiven_last(entries: Sequence[LedgerEntry]) -> bool:
    """Whether, of the patient's payments and the practice's stops and coulance, the last
    that lowered the balance was a stop or coulance: on a settled invoice, whoever took
    the balance to zero settled it (a coulance before a payment in full reads paid)."""
    lowering = (e for e in reversed(entries) if e.amount_cents < 0)
    last = next((e for e in lowering if e.kind in (EntryKind.PAYMENT, *FORGIVING)), None)
    return last is not None and last.kind in FORGIVING


def agency_transfer_positions(entries: Sequence[LedgerEntry]) -> frozenset[int]:
    """The positions in ``entries`` of those that move what the agency collected into our
    account, and out again when the bank returns its transfer (payments/remittance.py):
    the REVERSALs of the agency's payments and their PAYMENTs, the bank's REVERSAL of such
    a payment and the agency's part given back. Per transfer they add up to nothing: they
    change neither what the patient owes nor the day the patient paid, which the agency's
    report tells, so the debtor-risk figures (R25) and the agency's daily file (R34) leave
    them out."""
    transfers = {
        f"{REVERSES}{e.cause}"
        for e in entries
        if e.kind is EntryKind.PAYMENT and e.note == REMITTED_NOTE
    }
    return frozenset(
        position
        for position, e in enumerate(entries)
        if (e.kind is EntryKind.PAYMENT and e.note == REMITTED_NOTE)
        or (e.kind is EntryKind.REVERSAL and (e.cause.startswith(REMITTED) or e.note in transfers))
    )
