"""Operator API behind the Cognito authorizer, for the group ``operators`` only
(interfaces.md §6, R31-R34): zorgnota's back office.

One Powertools Router per resource in ``routes/``; each route checks the caller is an
operator, then calls one use case of ``billing_core.services.operator``.
"""

from __future__ import annotations

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths

from billing_core.entrypoints.http.errors import register_error_handlers
from billing_core.entrypoints.http.idempotency import with_idempotency_keys
from billing_core.entrypoints.http.middleware import PROVIDER_MAX_BODY_BYTES, guarded
from billing_core.entrypoints.http.routing import include_routes
from billing_core.entrypoints.powertools import function_logger, observed_handler

logger = function_logger()
metrics = Metrics()
app = APIGatewayRestResolver(enable_validation=True)
app.enable_swagger(path="/api/v1/operator/docs", title="zorgnota operator API", version="1.0.0")
register_error_handlers(app)
include_routes(
    app,
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
        "docs",
    ),
)

lambda_handler = observed_handler(
    lambda: guarded(with_idempotency_keys(app.resolve), max_body_bytes=PROVIDER_MAX_BODY_BYTES),
    logger=logger,
    metrics=metrics,
    correlation_id_path=correlation_paths.API_GATEWAY_REST,
)
