"""Operator API behind the Cognito authorizer, for the group ``operators`` only
(interfaces.md §6, R31-R34): zorgnota's back office.

One Powertools Router per resource in ``routes/``; each route checks the caller is an
operator, then calls one use case of ``billing_core.services.operator``. Its Swagger
page at /api/v1/operator/docs is the one of every API, the operator API first.
"""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core.entrypoints.http.caller import operators_only
    from billing_core.entrypoints.http.docs import OPERATOR_API
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
        "providers",
        "users",
        "payouts",
        "refunds",
        "insurers",
        "unmatched_credits",
        "corrections",
        "audit",
        "migrations",
    ),
    document=OPERATOR_API,
    docs_path="/api/v1/operator/docs",
    logger=logger,
    metrics=metrics,
    max_body_bytes=PROVIDER_MAX_BODY_BYTES,
    gate=operators_only,
    # As the provider API: an ignored parameter (?format=csv on the audit) answered as if
    # it held (inputs54: 200 JSON for format=xml).
    middlewares=[unknown_query_refused],
    # Its answers name patients, their treatments and IBANs: kept by no browser or proxy,
    # errors included, as the patient API's and the portal's (R29; audit59c).
    every_answer=ANSWER_HEADERS,
)
app = api.app
lambda_handler = api.lambda_handler
