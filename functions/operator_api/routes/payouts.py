"""The weekly payouts to the practices: list, read, propose, approve (issue 19, R34)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from billing_core import bootstrap
from billing_core.entrypoints.http.batch_routes import BATCH_RESOURCES, add_batch_routes
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.operator_models import BatchListOut, BatchOut, ProposePayoutsIn
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.payments.transfer_batches import BatchKind
from billing_core.services import inputs
from billing_core.services.operator import money_out
from billing_core.shared.audit import Reader

router = ResourceRouter("Payouts")
add_batch_routes(router, BatchKind.PAYOUT)  # approve
BATCH_ID = BATCH_RESOURCES[BatchKind.PAYOUT].batch_id


@router.get("/api/v1/operator/payouts", summary="The payout batches, newest week first")
def list_payouts(limit: Annotated[int, Query(ge=1, le=104)] = 12) -> BatchListOut:
    operator(router.current_event)
    listed = money_out.list_batches(
        BatchKind.PAYOUT, limit, bootstrap.current().money_out_context()
    )
    return BatchListOut(items=[BatchOut.of(b) for b in listed])


@router.post(
    "/api/v1/operator/payouts",
    summary="Propose a week's payout batch (the Monday run does; the same week again finds it)",
)
def propose_payouts(body: ProposePayoutsIn) -> BatchOut:
    who = operator(router.current_event).user_id
    ctx = bootstrap.current().money_out_context()
    return BatchOut.of(money_out.propose_payouts(inputs.week(body.week, "body.week"), who, ctx))


@router.get("/api/v1/operator/payouts/<batch_id>", summary="One batch: its steps and transfers")
def get_payout(batch_id: Annotated[str, Path(pattern=BATCH_ID)]) -> BatchOut:
    who = operator(router.current_event)
    reader = Reader(who.user_id, who.role)
    return BatchOut.of(
        money_out.get_batch(batch_id, reader, bootstrap.current().money_out_context())
    )
