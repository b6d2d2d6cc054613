"""POST /webhooks/psp: the PSP says "payment <id> changed" (R11).

Mollie posts a form with only ``id=tr_...``. Nothing in the request is believed: the
use case fetches the payment from the PSP (online_payments.handle_psp_webhook). Every
decision is answered 200 with the same body, so a prober learns nothing and Mollie stops
calling; a failure on our side is a 503, so that Mollie calls again later.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Form
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from billing_core import bootstrap
from billing_core.entrypoints.http.errors import error_response
from billing_core.entrypoints.powertools import function_logger, observed_handler
from billing_core.payments.online import (
    WEBHOOK_PATH,
    WebhookDecision,
    WebhookOutcome,
    handle_psp_webhook,
)
from billing_core.payments.psp import PspUnavailable
from billing_core.ports import ConcurrentChange

logger = function_logger()
metrics = Metrics()
app = APIGatewayRestResolver(enable_validation=True)

PSP_PAYMENT_ID = r"^tr_[A-Za-z0-9]{1,64}$"  # Mollie's payment ids; the fake PSP's too


@app.post(WEBHOOK_PATH, summary="PSP webhook: a payment changed (form field id)")
def psp_webhook(
    payment_id: Annotated[str, Form(alias="id", pattern=PSP_PAYMENT_ID)],
) -> Response[str]:
    outcome = handle_psp_webhook(payment_id, bootstrap.current().online_payment_context())
    _record(outcome)
    return Response(HTTPStatus.OK.value, content_types.TEXT_PLAIN, "OK")


def _record(outcome: WebhookOutcome) -> None:
    # Ids, status and amounts only: no kenmerk, name or account (R29).
    metrics.add_metric(name=f"Webhook_{outcome.decision.value}", unit=MetricUnit.Count, value=1)
    details = {
        "psp_payment_id": outcome.psp_payment_id,
        "decision": outcome.decision.value,
        "status": outcome.status.value if outcome.status else None,
        "invoice_id": outcome.invoice_id,
        "amount_asked_cents": outcome.amount_asked_cents,
        "amount_paid_cents": outcome.amount_paid_cents,
    }
    if outcome.refund is not None:  # the booking left credit: refunded through the PSP (R13)
        refund = outcome.refund
        details |= {
            "refund_decision": refund.decision.value,
            "refund_id": refund.refund_id,
            "refund_cents": refund.amount_cents,
            "credit_left_cents": refund.credit_left_cents,
        }
        metrics.add_metric(name=f"Refund_{refund.decision.value}", unit=MetricUnit.Count, value=1)
        if refund.needs_attention:
            logger.warning("overpayment not refunded automatically: check it", extra=details)
    if outcome.decision is WebhookDecision.WRONG_INVOICE:
        logger.error("psp payment is for another kenmerk than asked: not booked", extra=details)
    elif outcome.amount_differs:
        metrics.add_metric(name="WebhookAmountDiffers", unit=MetricUnit.Count, value=1)
        logger.warning("paid amount differs from the amount asked", extra=details)
    else:
        logger.info("psp webhook handled", extra=details)


@app.exception_handler(RequestValidationError)
def invalid_request(_: RequestValidationError) -> Response:
    return error_response(
        HTTPStatus.BAD_REQUEST, "validation_error", "id: a PSP payment id is required"
    )


@app.exception_handler(RequestUnsupportedContentType)
def unsupported_content_type(_: RequestUnsupportedContentType) -> Response:
    return error_response(
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send application/x-www-form-urlencoded",
    )


@app.exception_handler(PspUnavailable)
def psp_unavailable(error: PspUnavailable) -> Response:
    logger.warning("psp unavailable, the PSP will retry", extra={"error": type(error).__name__})
    return error_response(HTTPStatus.SERVICE_UNAVAILABLE, "try_again", "try again later")


@app.exception_handler(ConcurrentChange)
def busy(_: ConcurrentChange) -> Response:
    logger.warning("invoice busy, the PSP will retry")
    return error_response(HTTPStatus.SERVICE_UNAVAILABLE, "try_again", "try again later")


lambda_handler = observed_handler(
    lambda: app.resolve,
    logger=logger,
    metrics=metrics,
    correlation_id_path=correlation_paths.API_GATEWAY_REST,
)
