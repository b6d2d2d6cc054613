"""The weekly payouts to the practices: list, read, propose, approve, withdraw (issue 19,
R24, R34)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from billing_core import bootstrap
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.batch_routes import (
    BATCH_RESOURCES,
    add_batch_routes,
    batch_answer,
    reader,
)
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.operator_models import (
    BatchListOut,
    BatchOut,
    ProposePayoutsIn,
    WithdrawIn,
)
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.payments.transfer_batches import BatchKind
from billing_core.services import inputs
from billing_core.services.operator import money_out

router = ResourceRouter("Payouts")
add_batch_routes(router, BatchKind.PAYOUT)  # approve
BATCH_ID = BATCH_RESOURCES[BatchKind.PAYOUT].batch_id
WITHDRAWABLE_ID = r"^PO-[0-9A-Za-z-]{1,30}$"  # a refund batch: the refunds route withdraws it


@router.get(
    "/api/v1/operator/payouts",
    summary="The payout batches, newest week first (a week's -11 before its -10 ... -2, first)",
)
def list_payouts(
    limit: Annotated[int, Query(ge=1, le=104)] = 12,
    cursor_token: Annotated[str | None, Query(alias="cursor")] = None,
) -> BatchListOut:
    operator(router.current_event)
    page = money_out.list_batches(
        BatchKind.PAYOUT,
        limit,
        bootstrap.current().money_out_context(),
        after=cursor.after(cursor_token),
    )
    return BatchListOut(
        items=[BatchOut.of(b) for b in page.batches],
        next_cursor=cursor.following(page.next_position),
    )


@router.post(
    "/api/v1/operator/payouts",
    summary="Propose a week's payout batch (the Monday run does; the same week again finds it)",
    description="A week whose batch was withdrawn is planned again: a new batch "
    "PO-{week}-2 (-3, ...) with the withdrawn batch's settlements and waiting practices, "
    "each payout a new transfer to the practice's payout account as it is now, proposed "
    "afresh (the withdrawn batch's approvals do not count). Returned payouts the withdrawn "
    "batch paid again are paid by the new one (repaid_in names it). A week without a batch "
    "is refused (422) while it runs (payout_week_running) and while its retrocession run has "
    "written none of its statements (payout_week_not_built) or not yet those of every practice "
    "that existed by the week's end (payout_week_unfinished: between two parts of the run, or a "
    "run that stopped): such a batch would list those practices as waiting and stand for the "
    "one the Monday run proposes.",
)
def propose_payouts(body: ProposePayoutsIn) -> BatchOut:
    who = operator(router.current_event).user_id
    ctx = bootstrap.current().money_out_context()
    return BatchOut.of(money_out.propose_week(inputs.week(body.week, "body.week"), who, ctx))


@router.get("/api/v1/operator/payouts/<batch_id>", summary="One batch: its steps and transfers")
def get_payout(batch_id: Annotated[str, Path(pattern=BATCH_ID)]) -> BatchOut:
    who = operator(router.current_event)
    ctx = bootstrap.current().money_out_context()
    return BatchOut.of(money_out.get_batch(batch_id, reader(who), ctx))


@router.post(
    "/api/v1/operator/payouts/<batch_id>/withdraw",
    summary="Withdraw a week's payout batch not sent, with a reason; propose the week again",
    description="For a batch proposed, or approved and not sent: its approval answers 422 "
    "transfer_file_refused (a payout account holder no bank accepts, stored before that "
    "was checked) or 409 payout_account_changed (a practice's payout account was corrected "
    "after the batch was proposed), or it is wrong. The batch is withdrawn, with a step saying who, when "
    "and why; it is never approved or sent. Its settlements stand (the statements and the "
    "next weeks rely on them): mend the practice's payout account, then propose the week "
    "again (POST /api/v1/operator/payouts) for a new batch that pays them. A withdrawn "
    "batch withdrawn again is a retry (200, the batch as withdrawn first). Refused with "
    "409 batch_sent once sending it began (sent, or an approval died while sending it: "
    "approve it again to finish).",
)
def withdraw_payout(
    batch_id: Annotated[str, Path(pattern=WITHDRAWABLE_ID)], body: WithdrawIn
) -> BatchOut:
    who = operator(router.current_event)
    ctx = bootstrap.current().money_out_context()
    return batch_answer(money_out.withdraw_batch(batch_id, who.user_id, body.reason, ctx), who, ctx)
