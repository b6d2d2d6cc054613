"""Operator API behind the Cognito authorizer, for users of the ``operators`` group
(R32-R34, issue 14): the back office's routes, one Powertools Router per resource.

Kept minimal here: the operator API skeleton of the other back-office work merges in.
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
register_error_handlers(app)
include_routes(app, __package__, ("insurers", "unmatched_credits", "corrections", "audit"))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
