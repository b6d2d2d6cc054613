"""Public patient routes: the payment-checker page and API (interfaces.md §2, R10-R17).

No login. Answers never carry personal data, and an unknown reference and a wrong
birth date get the very same answer. Throttling is on the API Gateway stage. One
Powertools Router per resource in ``routes/``; each route calls one use case.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

from billing_core.entrypoints.http.errors import register_error_handlers
from billing_core.entrypoints.http.middleware import page_headers, patient_guard
from billing_core.entrypoints.http.routing import include_routes

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver(enable_validation=True)
app.use([page_headers])
register_error_handlers(app)
include_routes(app, __package__, ("payment_status", "invoice_actions", "checker_page", "docs"))


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
@patient_guard
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
