"""The provider portal (R35, interfaces.md §8): HTML pages for a practice's staff.

Its own session (a signed cookie, after the Cognito hosted UI or the sandbox's sign-in)
instead of the API's bearer token, so its routes have no API Gateway authorizer. One
Powertools Router per part in ``routes/``; every page calls the provider services
through ``billing_core.entrypoints.web.portal``.
"""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver
    from aws_lambda_powertools.logging import correlation_paths

    from billing_core.entrypoints.http.errors import register_error_handlers
    from billing_core.entrypoints.http.routing import include_routes
    from billing_core.entrypoints.powertools import function_logger, observed_handler
    from billing_core.entrypoints.web.portal.web import portal_headers

logger = function_logger()
metrics = Metrics()
app = APIGatewayRestResolver()
app.use([portal_headers])
register_error_handlers(app)
include_routes(app, __package__, ("sign_in", "pages"))

# No JSON guard: the portal takes HTML forms and an upload (multipart), not JSON bodies.
lambda_handler = observed_handler(
    lambda: app.resolve,
    logger=logger,
    metrics=metrics,
    correlation_id_path=correlation_paths.API_GATEWAY_REST,
)
