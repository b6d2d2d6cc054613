"""Credit held for patients, refunded by bank transfer (#14 item 5, R13, R34)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from billing_core import bootstrap
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.operator_models import (
    BatchOut,
    HeldCreditListOut,
    HeldCreditOut,
    RefundsIn,
)
from billing_core.services.operator import money_out

router = Router()
REFUND_BATCH_ID = r"^RF-[0-9A-Za-z-]{1,30}$"


@router.get("/api/v1/operator/refunds", summary="Credit held for patients, to refund")
def list_held_credits() -> HeldCreditListOut:
    operator(router.current_event)
    held = money_out.held_credits(bootstrap.current().money_out_context())
    return HeldCreditListOut(items=[HeldCreditOut.of(h) for h in held])


@router.post(
    "/api/v1/operator/refunds",
    summary="Propose a refund batch: one transfer per invoice, at most its credit",
)
def propose_refunds(body: RefundsIn) -> BatchOut:
    who = operator(router.current_event).user_id
    ctx = bootstrap.current().money_out_context()
    return BatchOut.of(money_out.propose_refunds([r.request() for r in body.refunds], who, ctx))


@router.post(
    "/api/v1/operator/refunds/<batch_id>/approve",
    summary="Approve; approved, the pain.001 goes out and each refund is a ledger entry (R27)",
)
def approve_refunds(batch_id: Annotated[str, Path(pattern=REFUND_BATCH_ID)]) -> BatchOut:
    who = operator(router.current_event).user_id
    ctx = bootstrap.current().money_out_context()
    return BatchOut.of(money_out.approve_batch(batch_id, who, ctx))
