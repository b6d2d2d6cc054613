"""Public patient routes: the payment-checker page and API (interfaces.md §2, R10-R17).

No login. Answers never carry personal data, and an unknown reference and a wrong
birth date get the very same answer. Throttling is on the API Gateway stage. One
Powertools Router per resource in ``routes/``; each route calls one use case.
"""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core.entrypoints.http.docs import PATIENT_API
    from billing_core.entrypoints.http.middleware import (
        ANSWER_HEADERS,
        PATIENT_MAX_BODY_BYTES,
        page_headers,
    )
    from billing_core.entrypoints.http.routing import json_api
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.web.checker_page import too_large_page

logger = function_logger()
metrics = Metrics()
api = json_api(
    __package__,
    ("payment_status", "invoice_actions", "checker_page"),
    document=PATIENT_API,
    logger=logger,
    metrics=metrics,
    max_body_bytes=PATIENT_MAX_BODY_BYTES,
    middlewares=[page_headers],
    # A checker form over the limit gets a page that gives the message back (REQUESTS1).
    too_large_page=too_large_page,
    # Errors too: a 404 for a kenmerk, a 409 "already deferred" (R29; audit checker5).
    every_answer=ANSWER_HEADERS,
    # An unknown kenmerk, a wrong check digit, a refusal: in the patient's language (R9).
    visitor_languages=True,
    # A kenmerk as pasted (a PDF's no-break spaces, '/' between its groups) reaches its
    # one parser, which reads it or answers invalid_reference (R10; audit paths50).
    any_text=("reference",),
)
app = api.app
lambda_handler = api.lambda_handler
