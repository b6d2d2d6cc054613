"""The patient invoice: lines, ledger and what was sent (R4, R7, R27, R30)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from billing_core.claims import Language, LineType, Person
from billing_core.ledger import EntryKind, LedgerEntry, balance, total_of


class Channel(StrEnum):
    EMAIL = "email"
    PAPER = "paper"


class InvoiceStatus(StrEnum):
    PENDING_DELIVERY = "pending_delivery"  # stored, not yet e-mailed or printed
    SENT = "sent"


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    claim_ref: str
    treatment_date: date
    treatment_code: str
    description: str
    line_type: LineType
    quantity: int
    unit_price_cents: int
    reimbursed_cents: int  # what the insurer pays of this line, deducted (R5)
    insurer_uzovi: str

    @property
    def amount_cents(self) -> int:
        return self.quantity * self.unit_price_cents

    @property
    def patient_share_cents(self) -> int:
        return self.amount_cents - self.reimbursed_cents


@dataclass(frozen=True, slots=True)
class Correspondence:
    """A letter or e-mail sent about the invoice (R30): what, when, how, and its id."""

    kind: str  # "invoice", later "reminder", "deferral_confirmation", ...
    channel: Channel
    at: datetime
    message_id: str  # SES message id, or the S3 key of the printed PDF


@dataclass(frozen=True, slots=True)
class Invoice:
    invoice_id: str
    provider_id: str
    declaration_id: str
    reference: str  # the 14-digit betalingskenmerk
    patient_ref: str
    bsn: str
    birth_date: date
    patient: Person
    debtor: Person | None
    channel: Channel
    issue_date: date
    final_payment_date: date
    lines: tuple[InvoiceLine, ...]
    ledger: tuple[LedgerEntry, ...]
    warnings: tuple[str, ...] = ()
    debtor_risk_with_provider: bool = False  # R22: patient blocked at this provider
    status: InvoiceStatus = InvoiceStatus.PENDING_DELIVERY
    correspondence: tuple[Correspondence, ...] = field(default=())
    version: int = 0  # optimistic locking (R28)

    @property
    def addressee(self) -> Person:
        """Who receives and pays the invoice: the debtor if there is one."""
        return self.debtor or self.patient

    @property
    def language(self) -> Language:
        return self.addressee.language

    @property
    def gross_cents(self) -> int:
        return total_of(self.ledger, EntryKind.ISSUED)

    @property
    def reimbursed_cents(self) -> int:
        return -total_of(self.ledger, EntryKind.REIMBURSEMENT)

    @property
    def original_amount_cents(self) -> int:
        """What the invoice asked of the patient when it was issued."""
        return self.gross_cents - self.reimbursed_cents

    @property
    def amount_due_cents(self) -> int:
        return balance(self.ledger)

    def with_entry(self, entry: LedgerEntry) -> Invoice:
        """A new invoice with one more ledger entry: the ledger only grows (R27)."""
        return replace(self, ledger=(*self.ledger, entry))

    def sent(self, letter: Correspondence) -> Invoice:
        return replace(
            self, status=InvoiceStatus.SENT, correspondence=(*self.correspondence, letter)
        )
