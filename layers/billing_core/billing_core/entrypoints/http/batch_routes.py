"""The operator API's routes that every kind of transfer batch answers alike (R34):
approving a batch, once or by a second operator above the configured total, after which
its pain.001 goes out. ``add_batch_routes(router, kind)`` puts them on the router of
each kind, next to its own routes (payouts: the weeks; refunds: the credits held).
Every route that answers a batch answers it through ``batch_answer``: a refund batch
shows patients' names and IBANs, so the operator's read of it is recorded (R32).

No ``from __future__ import annotations`` here: Powertools reads the route's annotations
at registration, and the path pattern of each kind is a local of the factory.
"""

from dataclasses import dataclass
from typing import Annotated, cast

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from billing_core import bootstrap
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.idempotency import request_cause
from billing_core.entrypoints.http.operator_models import BatchOut
from billing_core.payments.transfer_batches import BatchKind, TransferBatch
from billing_core.providers.settings_history import Editor
from billing_core.services.operator import money_out
from billing_core.shared.audit import Reader


@dataclass(frozen=True, slots=True)
class BatchResource:
    path: str  # /api/v1/operator/<path>
    name: str  # in the route functions' names, and so in the OpenAPI operation ids
    batch_id: str  # the ids this resource's routes take
    approved: str  # what approving does, in the route's summary


BATCH_RESOURCES = {
    # The payout routes have always taken a refund batch's id too.
    BatchKind.PAYOUT: BatchResource(
        "payouts",
        "payout",
        r"^(PO|RF)-[0-9A-Za-z-]{1,30}$",
        "Approve (four eyes above the configured total); approved, the pain.001 goes out",
    ),
    BatchKind.REFUND: BatchResource(
        "refunds",
        "refunds",
        r"^RF-[0-9A-Za-z-]{1,30}$",
        "Approve; approved, the pain.001 goes out and each refund is a ledger entry (R27)",
    ),
}


def reader(who: Editor) -> Reader:
    """The operator of the request, as the audit of reads names them (their Cognito sub)."""
    return Reader(who.user_id, who.role)


def batch_answer(batch: TransferBatch, who: Editor, ctx: money_out.MoneyOutContext) -> BatchOut:
    """The batch as the answer shows it to ``who``, its read recorded (``money_out.shown``:
    a refund batch's, per practice whose patients are in it; R32, NEN 7513)."""
    return BatchOut.of(money_out.shown(batch, reader(who), ctx))


def add_batch_routes(router: Router, kind: BatchKind) -> None:
    """The routes every kind shares, under the kind's own path."""
    resource = BATCH_RESOURCES[kind]
    batch_id_in_path = Annotated[str, Path(pattern=resource.batch_id)]

    def approve(batch_id: batch_id_in_path) -> BatchOut:
        who = operator(cast(APIGatewayProxyEvent, router.current_event))
        ctx = bootstrap.current().money_out_context()
        cause = request_cause(router.current_event.raw_event)  # a retry gets its batch (R38)
        batch = money_out.approve_batch(batch_id, who.user_id, ctx, cause=cause)
        return batch_answer(batch, who, ctx)

    approve.__name__ = f"approve_{resource.name}"
    path = f"/api/v1/operator/{resource.path}/<batch_id>/approve"
    router.post(path, summary=resource.approved)(approve)
