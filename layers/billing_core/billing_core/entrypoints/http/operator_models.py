"""Request and response bodies of the operator API's money-out routes (interfaces.md §6,
issue 19, #14 item 5). Amounts in cents; accounts are shown to operators only."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from billing_core.payments.transfer_batches import BatchTransfer, Settlement, TransferBatch
from billing_core.providers.provider import Iban, Text
from billing_core.providers.retrocession import WEEK_PATTERN
from billing_core.services.operator.money_out import HeldCredit, RefundRequest


class StepOut(BaseModel):
    what: str = Field(description="proposed, approved or sent")
    by: str = Field(description="the operator's user id, or schedule")
    at: datetime


class TransferOut(BaseModel):
    end_to_end_id: str
    provider_id: str
    iban: str
    name: str
    amount_cents: int
    remittance: str
    invoice_reference: str = Field(description="a refund: the invoice it pays back")
    bank_state: str = Field(description="awaited, booked or returned")
    bank_date: date | None
    return_reason: str
    repaid_in: str = Field(description="a returned payout: the batch that paid it again")

    @classmethod
    def of(cls, t: BatchTransfer) -> TransferOut:
        return cls(
            end_to_end_id=t.end_to_end_id,
            provider_id=t.provider_id,
            iban=t.iban,
            name=t.name,
            amount_cents=t.amount_cents,
            remittance=t.remittance,
            invoice_reference=t.invoice_reference,
            bank_state=t.bank_state.value,
            bank_date=t.bank_date,
            return_reason=t.return_reason,
            repaid_in=t.repaid_in,
        )


class SettlementOut(BaseModel):
    provider_id: str
    weeks: list[str]
    statement_payout_cents: int
    carried_in_cents: int
    owed_again_cents: int
    paid_cents: int
    carried_out_cents: int

    @classmethod
    def of(cls, s: Settlement) -> SettlementOut:
        return cls(
            provider_id=s.provider_id,
            weeks=list(s.weeks),
            statement_payout_cents=s.statement_payout_cents,
            carried_in_cents=s.carried_in_cents,
            owed_again_cents=s.owed_again_cents,
            paid_cents=s.paid_cents,
            carried_out_cents=s.carried_out_cents,
        )


class BatchOut(BaseModel):
    batch_id: str
    kind: str = Field(description="payout or refund")
    state: str = Field(description="proposed, approved or sent")
    week: str
    total_cents: int
    file_key: str = Field(description="the pain.001 in the output bucket, once sent")
    steps: list[StepOut]
    transfers: list[TransferOut]
    settlements: list[SettlementOut]
    waiting: list[str] = Field(description="practices without a statement yet")

    @classmethod
    def of(cls, b: TransferBatch) -> BatchOut:
        return cls(
            batch_id=b.batch_id,
            kind=b.kind.value,
            state=b.state.value,
            week=b.week,
            total_cents=b.total_cents,
            file_key=b.file_key,
            steps=[StepOut(what=s.what, by=s.by, at=s.at) for s in b.steps],
            transfers=[TransferOut.of(t) for t in b.transfers],
            settlements=[SettlementOut.of(s) for s in b.settlements],
            waiting=list(b.waiting),
        )


class BatchListOut(BaseModel):
    items: list[BatchOut]


class ProposePayoutsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    week: str = Field(pattern=WEEK_PATTERN, examples=["2026-W48"])


class RefundIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference: str = Field(min_length=14, max_length=20, description="the invoice's kenmerk")
    iban: Iban
    account_holder: Text
    amount_cents: int | None = Field(default=None, gt=0, description="empty: the whole credit")

    def request(self) -> RefundRequest:
        return RefundRequest(self.reference, self.iban, self.account_holder, self.amount_cents)


class RefundsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refunds: list[RefundIn] = Field(min_length=1, max_length=500)


class HeldCreditOut(BaseModel):
    provider_id: str
    invoice_id: str
    reference: str
    credit_cents: int
    in_batch: str = Field(description="the refund batch not yet sent that pays it back")

    @classmethod
    def of(cls, h: HeldCredit) -> HeldCreditOut:
        return cls(
            provider_id=h.provider_id,
            invoice_id=h.invoice_id,
            reference=h.reference,
            credit_cents=h.credit_cents,
            in_batch=h.in_batch,
        )


class HeldCreditListOut(BaseModel):
    items: list[HeldCreditOut]
