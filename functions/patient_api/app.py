"""Public patient routes: the payment-checker page and API (interfaces.md §2, R10-R17).

No login. Answers never carry personal data, and an unknown reference and a wrong
birth date get the very same answer. Throttling is on the API Gateway stage. One
Powertools Router per resource in ``routes/``; each route calls one use case.
"""

from __future__ import annotations

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from billing_core.entrypoints.http.errors import register_error_handlers
from billing_core.entrypoints.http.middleware import PATIENT_MAX_BODY_BYTES, guarded, page_headers
from billing_core.entrypoints.http.routing import include_routes
from billing_core.entrypoints.powertools import function_logger, observed_handler

logger = function_logger()
metrics = Metrics()
app = APIGatewayRestResolver(enable_validation=True)
app.use([page_headers])
register_error_handlers(app)
include_routes(app, __package__, ("payment_status", "invoice_actions", "checker_page", "docs"))

lambda_handler = observed_handler(
    lambda: guarded(app.resolve, max_body_bytes=PATIENT_MAX_BODY_BYTES),
    logger=logger,
    metrics=metrics,
)
