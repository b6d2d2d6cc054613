"""Operator API, zorgnota's back office, behind the Cognito authorizer (interfaces.md §6).

Only a user in the Cognito group ``operators`` gets past ``operator_caller``; a practice's
token is refused (403). One Powertools Router per resource in ``routes/``.

Minimal on branch ``payouts``: only the money-out routers. The lead merges this with the
operator branch's app (providers, users), which keeps its own list below.
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
include_routes(app, __package__, ("payouts", "refunds"))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
