"""Credit held for patients, refunded by bank transfer (#14 item 5, R13, R34)."""

from __future__ import annotations

from billing_core import bootstrap
from billing_core.entrypoints.http.batch_routes import add_batch_routes
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.operator_models import (
    BatchOut,
    HeldCreditListOut,
    HeldCreditOut,
    RefundsIn,
)
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.payments.transfer_batches import BatchKind
from billing_core.services.operator import money_out

router = ResourceRouter("Refunds")
add_batch_routes(router, BatchKind.REFUND)  # approve


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
