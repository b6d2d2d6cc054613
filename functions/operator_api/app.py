"""Operator API behind the Cognito authorizer, for the group ``operators`` only
(interfaces.md §6, R31-R34): zorgnota's back office.

One Powertools Router per resource in ``routes/``; each route checks the caller is an
operator, then calls one use case of ``billing_core.services.operator``.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from billing_core.entrypoints.http.errors import register_error_handlers
from billing_core.entrypoints.http.routing import include_routes

logger = Logger()
tracer = Tracer()
app = APIGatewayRestResolver(enable_validation=True)
app.enable_swagger(path="/api/v1/operator/docs", title="zorgnota operator API", version="1.0.0")
register_error_handlers(app)
# One resource a line: the other half of issue 14 (insurers, money, audit) adds its own.
include_routes(
    app,
    __package__,
    (
        "providers",
        "users",
        "docs",
    ),
)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
