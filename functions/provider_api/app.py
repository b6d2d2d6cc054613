"""Provider API behind the Cognito authorizer (interfaces.md §2, R1, R26).

One Powertools Router per resource in ``routes/``; each route calls one use case of
``billing_core.services.provider`` with the tenant of the verified token. It serves the
Swagger page of every API at /api/v1/docs (issue 17 item 8).
"""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core.entrypoints.http.caller import practice_role
    from billing_core.entrypoints.http.docs import PROVIDER_API
    from billing_core.entrypoints.http.middleware import (
        ANSWER_HEADERS,
        PROVIDER_MAX_BODY_BYTES,
        unknown_query_refused,
    )
    from billing_core.entrypoints.http.routing import json_api
    from billing_core.entrypoints.powertools import function_logger

logger = function_logger()
metrics = Metrics()
api = json_api(
    __package__,
    (
        "declarations",
        "invoices",
        "actions",
        "retrocessions",
        "debtor_risk",
        "blocked_patients",
        "retour_files",
        "insurer_claims",
        "settings",
        "users",
        "audit",
    ),
    document=PROVIDER_API,
    docs_path="/api/v1/docs",
    logger=logger,
    metrics=metrics,
    max_body_bytes=PROVIDER_MAX_BODY_BYTES,
    gate=practice_role,
    middlewares=[unknown_query_refused],
    # Its answers name patients, their treatments and IBANs: kept by no browser or proxy,
    # errors included, as the patient API's and the portal's (R29; audit59c).
    every_answer=ANSWER_HEADERS,
)
app = api.app
lambda_handler = api.lambda_handler
