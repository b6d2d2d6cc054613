"""Request and response bodies of the provider API (interfaces.md §2)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from billing_core.actions import OpenAction
from billing_core.declarations.record import DeclarationRecord
from billing_core.invoice import Invoice
from billing_core.patient_service import invoice_state, payment_status_of
from billing_core.stop import STOP_REASONS, StopRequest, StopScope


class UploadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file_name: str = Field(min_length=1, max_length=200, examples=["declaraties-week-47.csv"])


class UploadTicketOut(BaseModel):
    declaration_id: str
    upload_url: str = Field(description="Takes one HTTP PUT of the file, any Content-Type")
    expires_at: datetime


class DeclarationOut(BaseModel):
    declaration_id: str
    file_name: str
    status: str = Field(description="awaiting_upload, processing, processed or rejected")
    outcome: str | None = Field(
        default=None,
        description="accepted, partially_accepted, rejected or already_processed",
    )
    created_at: datetime
    processed_at: datetime | None = None
    summary: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, record: DeclarationRecord) -> DeclarationOut:
        return cls(
            declaration_id=record.declaration_id,
            file_name=record.file_name,
            status=record.status.value,
            outcome=record.outcome or None,
            created_at=record.created_at,
            processed_at=record.processed_at,
            summary=record.summary,
        )


class DeclarationDetailOut(DeclarationOut):
    findings: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Per problem: code, severity, line, field, claim_ref, message (nl), message_en",
    )


class DeclarationListOut(BaseModel):
    items: list[DeclarationOut]
    next_cursor: str | None = None


# --- invoices (R21-R23, R26: the provider's own patients, so names are shown) -------------


class InvoiceSummaryOut(BaseModel):
    invoice_id: str
    reference: str = Field(pattern=r"^\d{14}$")
    declaration_id: str
    patient_ref: str
    addressee: str
    channel: str
    issue_date: date
    final_payment_date: date
    payment_status: str = Field(description="open, partly_paid or paid")
    state: str
    original_amount: int = Field(description="cents asked when issued")
    amount_due: int = Field(description="cents still due")
    debtor_risk_with_provider: bool

    @classmethod
    def of(cls, invoice: Invoice, today: date) -> InvoiceSummaryOut:
        return cls(
            invoice_id=invoice.invoice_id,
            reference=invoice.reference,
            declaration_id=invoice.declaration_id,
            patient_ref=invoice.patient_ref,
            addressee=invoice.addressee.display_name,
            channel=invoice.channel.value,
            issue_date=invoice.issue_date,
            final_payment_date=invoice.current_final_payment_date,
            payment_status=payment_status_of(invoice, invoice.amount_due_cents).value,
            state=invoice_state(invoice, today).value,
            original_amount=invoice.original_amount_cents,
            amount_due=invoice.amount_due_cents,
            debtor_risk_with_provider=invoice.debtor_risk_with_provider,
        )


class InvoiceListOut(BaseModel):
    items: list[InvoiceSummaryOut]
    next_cursor: str | None = Field(
        default=None, description="A page may hold fewer items than asked when filtered"
    )


class LineOut(BaseModel):
    claim_ref: str
    treatment_date: date
    treatment_code: str
    description: str
    line_type: str
    quantity: int
    unit_price: int
    amount: int
    reimbursed: int
    to_pay: int


class LedgerEntryOut(BaseModel):
    kind: str
    component: str
    amount: int
    at: datetime
    cause: str
    note: str


class LetterOut(BaseModel):
    kind: str
    channel: str
    at: datetime


class ActionOut(BaseModel):
    action_id: str
    kind: str
    invoice_id: str
    reference: str
    created_at: datetime
    state: str
    details: dict[str, Any]

    @classmethod
    def of(cls, action: OpenAction) -> ActionOut:
        return cls(
            action_id=action.action_id,
            kind=action.kind.value,
            invoice_id=action.invoice_id,
            reference=action.reference,
            created_at=action.created_at,
            state=action.state.value,
            details=dict(action.details),
        )


class InvoiceDetailOut(InvoiceSummaryOut):
    birth_date: date
    lines: list[LineOut]
    ledger: list[LedgerEntryOut]
    letters: list[LetterOut]
    actions: list[ActionOut]
    warnings: list[str]

    @classmethod
    def of_detail(cls, invoice: Invoice, actions: list[OpenAction], today: date) -> InvoiceDetailOut:
        return cls(
            **InvoiceSummaryOut.of(invoice, today).model_dump(),
            birth_date=invoice.birth_date,
            lines=[
                LineOut(
                    claim_ref=l.claim_ref, treatment_date=l.treatment_date, treatment_code=l.treatment_code,
                    description=l.description, line_type=l.line_type.value, quantity=l.quantity,
                    unit_price=l.unit_price_cents, amount=l.amount_cents, reimbursed=l.reimbursed_cents,
                    to_pay=l.patient_share_cents,
                )  # fmt: skip
                for l in invoice.lines
            ],
            ledger=[
                LedgerEntryOut(kind=e.kind.value, component=e.component.value, amount=e.amount_cents, at=e.at, cause=e.cause, note=e.note)
                for e in invoice.ledger
            ],
            letters=[LetterOut(kind=c.kind, channel=c.channel.value, at=c.at) for c in invoice.correspondence],
            actions=[ActionOut.of(a) for a in actions],
            warnings=list(invoice.warnings),
        )


class ActionListOut(BaseModel):
    items: list[ActionOut]


class ActionPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: Literal["open", "done"]


class StopIn(BaseModel):
    """R21: stop the whole invoice, or part of it as an amount or a percentage of the
    ORIGINAL invoice amount. Irreversible."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    scope: Literal["full", "partial"]
    amount: int | None = Field(default=None, gt=0, description="cents (partial only)")
    percentage: Decimal | None = Field(
        default=None, gt=0, le=100, max_digits=5, decimal_places=2,
        description="of the original invoice amount (partial only)",
    )  # fmt: skip
    reason: Literal[STOP_REASONS]  # type: ignore[valid-type]
    patient_email: str = Field(min_length=3, max_length=254, description="checked or corrected")
    accept_terms: bool

    def request(self) -> StopRequest:
        return StopRequest(
            scope=StopScope(self.scope),
            reason=self.reason,
            patient_email=self.patient_email,
            accept_terms=self.accept_terms,
            amount_cents=self.amount,
            percentage=self.percentage,
        )


class HoldIn(BaseModel):
    """R16: pause dunning while the provider looks into an objection (at most 60 days)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    until: date
    reason: str = Field(min_length=1, max_length=500)
