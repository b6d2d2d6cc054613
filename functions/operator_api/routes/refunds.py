"""Credit held for patients, refunded by bank transfer (#14 item 5, R13, R34)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.metrics import MetricUnit

from billing_core import bootstrap
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.batch_routes import (
    BATCH_RESOURCES,
    add_batch_routes,
    batch_answer,
    reader,
)
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.error_document import asking_the_psp
from billing_core.entrypoints.http.idempotency import request_cause
from billing_core.entrypoints.http.operator_models import (
    BatchOut,
    Cursor,
    HeldCreditListOut,
    HeldCreditOut,
    PspRefundOutcomeIn,
    RefundsIn,
    WithdrawIn,
)
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.payments.transfer_batches import BatchKind
from billing_core.services.operator import money_out
from billing_core.shared.reference import REFERENCE_PATTERN

router = ResourceRouter("Refunds")
logger = Logger(child=True)  # the function's logger: its masking, its context
metrics = Metrics()  # one metric set per process: the app's log_metrics publishes it
add_batch_routes(router, BatchKind.REFUND)  # approve
BATCH_ID = Annotated[str, Path(pattern=BATCH_RESOURCES[BatchKind.REFUND].batch_id)]
REFERENCE = Annotated[str, Path(pattern=REFERENCE_PATTERN)]
PSP_PAYMENT_ID = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,64}$")]


@router.get(
    "/api/v1/operator/refunds",
    summary="Credit held for patients, to refund, a page at a time",
    description="By practice, each practice's newest invoice first. Each page but the "
    "last holds limit invoices; next_cursor, sent back as cursor, gives the next page, "
    "none on the last. Each page is one read in the audit per practice, naming the "
    "patients and invoices of that page (R32).",
)
def list_held_credits(
    limit: Annotated[int, Query(ge=1, le=money_out.MAX_HELD_PAGE)] = money_out.HELD_PAGE,
    cursor_token: Cursor = None,
) -> HeldCreditListOut:
    who = operator(router.current_event)
    ctx = bootstrap.current().money_out_context()
    page, next_position = money_out.held_credits(ctx, limit, after=cursor.after(cursor_token))
    held = money_out.held_shown(page, reader(who), ctx)
    return HeldCreditListOut(
        items=[HeldCreditOut.of(h) for h in held], next_cursor=cursor.following(next_position)
    )


@router.post(
    "/api/v1/operator/refunds",
    summary="Propose a refund batch: one transfer per invoice, at most its credit",
    description="A kenmerk no invoice has is refused as the other operator routes refuse "
    "one a body names: 422 unknown_kenmerk, the message naming the refund "
    "(refunds.N.reference); nothing is proposed.",
)
def propose_refunds(body: RefundsIn) -> BatchOut:
    event = router.current_event
    who = operator(event)
    ctx = bootstrap.current().money_out_context()
    requests = [r.request() for r in body.refunds]
    cause = request_cause(event.raw_event)
    return batch_answer(
        money_out.propose_refunds(requests, who.user_id, ctx, cause=cause), who, ctx
    )


@router.post(
    "/api/v1/operator/refunds/<batch_id>/withdraw",
    summary="Withdraw a refund batch not sent, with a reason: its credits can be proposed again",
    description="For a batch proposed, or approved and not sent: say its file was refused "
    "(422 transfer_file_refused: a name no bank accepts, stored before that was checked). "
    "The batch is withdrawn, with a step saying who, when and why; it is never approved or "
    "sent, and its invoices' credits are listed in no batch and can be proposed again. A "
    "withdrawn batch withdrawn again is a retry (200, the batch as withdrawn first). Refused with 409 "
    "batch_sent once sending it began (sent, or an approval died while sending it: approve "
    "it again to finish), and 409 refund_booked when a refund of it is booked, naming the "
    "kenmerk.",
)
def withdraw_refunds(batch_id: BATCH_ID, body: WithdrawIn) -> BatchOut:
    who = operator(router.current_event)
    ctx = bootstrap.current().money_out_context()
    return batch_answer(money_out.withdraw_batch(batch_id, who.user_id, body.reason, ctx), who, ctx)


@router.post(
    "/api/v1/operator/invoices/<reference>/psp-refunds/<psp_payment_id>",
    summary="Record what the PSP says of a refund it never confirmed: refunded or failed",
    description="For a credit listed with psp_refund_pending (the refund asked of the PSP "
    "timed out and may have been paid): look the payment up in the PSP's dashboard. "
    "refunded, with the PSP's refund id: booked as a REFUND entry on the payment as the PSP "
    "webhook books it (R27), the credit goes down; with amount_cents when the PSP paid back "
    "less than was asked (a refund made by hand in its dashboard), and the rest of that "
    "payment's credit is then refundable by bank. failed: nothing is booked, and the credit "
    "that payment held is refundable by bank (POST /operator/refunds). Recorded on the "
    "invoice with who and when; the same again is a retry (200). 409 no_psp_refund_pending "
    "when no refund of that payment was asked, 409 psp_refund_settled when another outcome "
    "(or another refund id, or the same with another amount) was recorded before, 422 "
    "psp_refund_above_asked for an amount above the one asked of the PSP. A refund id is "
    "checked with the PSP before it is booked, and its status kept: 422 unknown_psp_refund "
    "when the PSP has no refund with that id on this payment (the payment's own id, a typo), "
    "422 psp_refund_not_paid when it says the refund failed or was canceled (record failed); "
    "nothing is booked then. One booked with a status that is not final is read once more "
    "after its save: failed at the PSP meanwhile, it is undone (the answer holds the credit "
    "again, refundable by bank). A refund booked before ids were checked under one the PSP "
    "does not know (the Refund_unknown_at_psp alarm at each webhook of the payment) is "
    "corrected here: refunded with the refund's id at the PSP books it again under that "
    "id (a REFUND entry takes the wrong one back, the credit as it was), recorded on the "
    "invoice with who and when, and read as above; 409 psp_refund_settled when the PSP "
    "knows the id booked (nothing to correct); the correction again is a retry (200; with "
    "the same Idempotency-Key its first answer replayed), the wrong id again 409 "
    "psp_refund_id_corrected, naming the id it was corrected to and by whom (nothing "
    "booked). 503 psp_unavailable when the PSP cannot be reached: nothing is booked, send "
    "it again.",
    responses=asking_the_psp(HeldCreditOut),
)
def settle_psp_refund(
    reference: REFERENCE, psp_payment_id: PSP_PAYMENT_ID, body: PspRefundOutcomeIn
) -> HeldCreditOut:
    who = operator(router.current_event)
    ctx = bootstrap.current().money_out_context()
    held, failed = money_out.settle_psp_refund(
        reference, psp_payment_id, body.outcome, body.refund_id, who.user_id, ctx, body.amount_cents
    )
    if failed is not None:  # failed at the PSP while it was booked: the credit held again
        metrics.add_metric(name=f"Refund_{failed.decision.value}", unit=MetricUnit.Count, value=1)
        logger.warning(
            "a recorded psp refund failed at the psp: the credit is held again",
            extra={"psp_payment_id": psp_payment_id, "refund_id": failed.refund_id},
        )
    [shown] = money_out.held_shown([held], reader(who), ctx)
    return HeldCreditOut.of(shown)
