"""What the PSP webhook's function says back and writes down (R11, R13, R29).

Every decision is answered 200 with the same body, so a prober learns nothing and Mollie
stops calling; a failure on our side is a 503, so that Mollie calls again later. The log
line and metrics of an outcome carry ids, status and amounts only: no kenmerk, name or
account.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.metrics import MetricUnit

from billing_core.entrypoints.http.errors import error_response
from billing_core.payments.online import WebhookDecision, WebhookOutcome
from billing_core.payments.psp import PspUnavailable
from billing_core.payments.refunds import RefundDecision
from billing_core.ports import ConcurrentChange

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics

PSP_PAYMENT_ID = r"^tr_[A-Za-z0-9]{1,64}$"  # Mollie's payment ids; the fake PSP's too
TRY_AGAIN = (HTTPStatus.SERVICE_UNAVAILABLE, "try_again", "try again later")


def record_webhook_outcome(outcome: WebhookOutcome, *, logger: Logger, metrics: Metrics) -> None:
    metrics.add_metric(name=f"Webhook_{outcome.decision.value}", unit=MetricUnit.Count, value=1)
    details = _outcome_details(outcome)
    if outcome.refund is not None:  # the booking left credit: refunded through the PSP (R13)
        refund = outcome.refund
        metrics.add_metric(name=f"Refund_{refund.decision.value}", unit=MetricUnit.Count, value=1)
        if refund.decision is RefundDecision.UNKNOWN_AT_PSP:
            # Skipped, the payment's other refunds read: an id typed by hand, never checked.
            logger.error("a booked refund id is unknown at the psp: check it", extra=details)
        elif refund.needs_attention:
            logger.warning("overpayment not refunded automatically: check it", extra=details)
    if outcome.decision is WebhookDecision.WRONG_INVOICE:
        logger.error("psp payment is for another kenmerk than asked: not booked", extra=details)
    elif outcome.decision is WebhookDecision.INVOICE_GONE:
        # Real money with no invoice to book it on (R11, R13): its metric's alarm says
        # what to do; the ids and the amount find it in the PSP's dashboard.
        logger.error("psp payment paid, no invoice to book it on: refund it", extra=details)
    elif outcome.decision is WebhookDecision.UNREADABLE_PAYMENT:
        # The PSP's answer is not in euros or not understood (R11, R39): not booked, and no
        # 503 either (the same answer again). Its metric's alarm says what to do.
        logger.error("psp payment could not be read: not booked, look it up", extra=details)
    elif outcome.decision is WebhookDecision.REFUNDED_AT_PSP:
        # Refunded in the PSP's dashboard or charged back: the ledger still shows the money
        # (R11, R27; psp4). Not booked automatically; its metric's alarm says what to do.
        logger.error(
            "psp payment refunded or charged back at the psp, not on the ledger: check it",
            extra=details,
        )
    elif outcome.amount_differs:
        metrics.add_metric(name="WebhookAmountDiffers", unit=MetricUnit.Count, value=1)
        logger.warning("paid amount differs from the amount asked", extra=details)
    else:
        logger.info("psp webhook handled", extra=details)


def _outcome_details(outcome: WebhookOutcome) -> dict[str, Any]:
    details = {
        "psp_payment_id": outcome.psp_payment_id,
        "decision": outcome.decision.value,
        "status": outcome.status.value if outcome.status else None,
        "invoice_id": outcome.invoice_id,
        "amount_asked_cents": outcome.amount_asked_cents,
        "amount_paid_cents": outcome.amount_paid_cents,
    }
    if outcome.decision is WebhookDecision.REFUNDED_AT_PSP:
        details["paid_back_not_booked_cents"] = outcome.paid_back_not_booked_cents
    if outcome.refund is not None:
        details |= {
            "refund_decision": outcome.refund.decision.value,
            "refund_id": outcome.refund.refund_id,
            "refund_cents": outcome.refund.amount_cents,
            "credit_left_cents": outcome.refund.credit_left_cents,
        }
    return details


def register_webhook_error_handlers(app: APIGatewayRestResolver, *, logger: Logger) -> None:
    """A bad request is answered plainly; an unavailable PSP or a busy invoice is a 503."""

    def psp_unavailable(error: PspUnavailable) -> Response[str]:
        logger.warning("psp unavailable, the PSP will retry", extra={"error": type(error).__name__})
        return error_response(*TRY_AGAIN)

    def busy(_: ConcurrentChange) -> Response[str]:
        logger.warning("invoice busy, the PSP will retry")
        return error_response(*TRY_AGAIN)

    answers: dict[type[Exception], Callable[[Any], Response[str]]] = {
        RequestValidationError: _invalid_request,
        RequestUnsupportedContentType: _unsupported_content_type,
        PspUnavailable: psp_unavailable,
        ConcurrentChange: busy,
    }
    for error, answer in answers.items():
        app.exception_handler(error)(answer)


def _invalid_request(_: RequestValidationError) -> Response[str]:
    return error_response(
        HTTPStatus.BAD_REQUEST, "validation_error", "id: a PSP payment id is required"
    )


def _unsupported_content_type(_: RequestUnsupportedContentType) -> Response[str]:
    return error_response(
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send application/x-www-form-urlencoded",
    )
