"""Request and response bodies of the operator API's back-office routes (R32-R34)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from billing_core.declarations.rules.insurers import InsurerRegister
from billing_core.entrypoints.http.provider_models import LedgerEntryOut
from billing_core.invoices.invoice import Invoice
from billing_core.payments.unmatched import UnmatchedCredit
from billing_core.services.operator.money import MatchTarget
from billing_core.shared.audit import ReadRecord


class InsurerOut(BaseModel):
    uzovi: str
    name: str
    group: str
    labels: list[str]
    source: str = Field(description="The insurer's own page for providers the row was read from")


class InsurerRegisterOut(BaseModel):
    version: str = Field(examples=["2025-01-01.1"])
    valid_from: date
    insurers: list[InsurerOut]

    @classmethod
    def of(cls, register: InsurerRegister) -> InsurerRegisterOut:
        insurers = [
            InsurerOut(
                uzovi=i.uzovi, name=i.name, group=i.group, labels=list(i.labels), source=i.source
            )
            for i in register.insurers
        ]
        return cls(version=register.version, valid_from=register.valid_from, insurers=insurers)


class MatchPartOut(BaseModel):
    reference: str
    invoice_id: str
    amount_cents: int


class UnmatchedCreditOut(BaseModel):
    credit_id: str
    statement_id: str
    entry_reference: str
    booking_date: date
    direction: str = Field(description="CRDT money in; DBIT a return nobody could trace")
    amount_cents: int
    currency: str
    reason: str
    kenmerk: str
    remittance_text: str
    counterparty_name: str
    counterparty_iban: str
    matched_at: datetime | None = None
    matched_to: list[MatchPartOut] = Field(default_factory=list)

    @classmethod
    def of(cls, credit: UnmatchedCredit) -> UnmatchedCreditOut:
        match = credit.match
        return cls(
            credit_id=credit.credit_id,
            statement_id=credit.statement_id,
            entry_reference=credit.entry_reference,
            booking_date=credit.booking_date,
            direction=credit.direction,
            amount_cents=credit.amount_cents,
            currency=credit.currency,
            reason=credit.reason,
            kenmerk=credit.kenmerk,
            remittance_text=credit.remittance_text,
            counterparty_name=credit.counterparty_name,
            counterparty_iban=credit.counterparty_iban,
            matched_at=match.matched_at if match else None,
            matched_to=[
                MatchPartOut(
                    reference=p.reference, invoice_id=p.invoice_id, amount_cents=p.amount_cents
                )
                for p in (match.parts if match else ())
            ],
        )


class UnmatchedCreditListOut(BaseModel):
    items: list[UnmatchedCreditOut]


class MatchIn(BaseModel):
    """Either ``reference``, or ``provider_id`` with ``patient_ref``."""

    model_config = ConfigDict(extra="forbid")

    reference: str | None = Field(default=None, max_length=32)
    provider_id: str | None = Field(default=None, max_length=64)
    patient_ref: str | None = Field(default=None, max_length=64)

    def target(self) -> MatchTarget:
        return MatchTarget(self.reference or "", self.provider_id or "", self.patient_ref or "")


class ReadOut(BaseModel):
    at: datetime
    user_id: str
    role: str
    kind: str = Field(description="invoice, invoice_list, patient_list, export or audit")
    subject: str = Field(description="Which invoice, list or file; never its contents")

    @classmethod
    def of(cls, record: ReadRecord) -> ReadOut:
        return cls(
            at=record.at,
            user_id=record.user_id,
            role=record.role,
            kind=record.kind.value,
            subject=record.subject,
        )


class AuditOut(BaseModel):
    provider_id: str
    items: list[ReadOut]


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entry_id: int = Field(ge=1, description="The entry's place in the ledger, 1 the first")
    reason: str = Field(min_length=3, max_length=500)


class NumberedEntryOut(LedgerEntryOut):
    entry_id: int = Field(description="The entry's place in the ledger, 1 the first")


class CorrectedInvoiceOut(BaseModel):
    invoice_id: str
    reference: str
    balance_cents: int
    ledger: list[NumberedEntryOut]

    @classmethod
    def of(cls, invoice: Invoice) -> CorrectedInvoiceOut:
        return cls(
            invoice_id=invoice.invoice_id,
            reference=invoice.reference,
            balance_cents=invoice.balance_cents,
            ledger=[
                NumberedEntryOut.of(entry, entry_id=number)
                for number, entry in enumerate(invoice.ledger, start=1)
            ],
        )
