"""POST /webhooks/psp: the PSP says "payment <id> changed" (R11).

Mollie posts a form with only ``id=tr_...``. Nothing in the request is believed: the
use case fetches the payment from the PSP (online_payments.handle_psp_webhook). What is
answered and logged: billing_core.entrypoints.http.psp_webhook.
"""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from http import HTTPStatus
    from typing import Annotated

    from aws_lambda_powertools import Metrics
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
    from aws_lambda_powertools.event_handler.openapi.params import Form
    from aws_lambda_powertools.logging import correlation_paths

    from billing_core import bootstrap
    from billing_core.entrypoints.http.psp_webhook import (
        PSP_PAYMENT_ID,
        record_webhook_outcome,
        register_webhook_error_handlers,
    )
    from billing_core.entrypoints.powertools import function_logger, observed_handler
    from billing_core.payments.online import WEBHOOK_PATH, handle_psp_webhook

logger = function_logger()
metrics = Metrics()
app = APIGatewayRestResolver(enable_validation=True)
register_webhook_error_handlers(app, logger=logger)


@app.post(WEBHOOK_PATH, summary="PSP webhook: a payment changed (form field id)")
def psp_webhook(
    payment_id: Annotated[str, Form(alias="id", pattern=PSP_PAYMENT_ID)],
) -> Response[str]:
    outcome = handle_psp_webhook(payment_id, bootstrap.current().online_payment_context())
    record_webhook_outcome(outcome, logger=logger, metrics=metrics)
    return Response(HTTPStatus.OK.value, content_types.TEXT_PLAIN, "OK")


lambda_handler = observed_handler(
    lambda: app.resolve,
    logger=logger,
    metrics=metrics,
    correlation_id_path=correlation_paths.API_GATEWAY_REST,
)
