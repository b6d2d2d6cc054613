"""Provider API behind the Cognito authorizer (interfaces.md §2, R1, R26).

One Powertools Router per resource in ``routes/``; each route calls one use case of
``billing_core.services.provider`` with the tenant of the verified token.
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
app.enable_swagger(path="/api/v1/docs", title="zorgnota provider API", version="1.0.0")
register_error_handlers(app)
include_routes(
    app,
    __package__,
    (
        "declarations",
        "invoices",
        "actions",
        "retrocessions",
        "debtor_risk",
        "blocked_patients",
        "retour_files",
        "settings",
        "users",
        "docs",
    ),
)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
