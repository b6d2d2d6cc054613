"""Powertools middlewares of the APIs: the patient API's guard against requests no use
case should see, and the security headers of the HTML pages.

Powertools runs an event handler's request validation before every ``app.use``
middleware (by design: powertools-lambda-python discussion 4656), so a guard there would
answer an oversized or non-JSON body with a validation error. The guard is therefore a
Lambda handler middleware (``lambda_handler_decorator``) and answers before routing:
nothing of such a request is parsed. The page headers are an event handler middleware.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.middleware_factory import lambda_handler_decorator
from aws_lambda_powertools.utilities.typing import LambdaContext

from billing_core.entrypoints.http.errors import error_response

MAX_BODY_BYTES = 8 * 1024  # the largest honest body is an objection of 2,000 characters
HTML = "text/html; charset=utf-8"
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self' https:; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def refusal_of_bad_request(event: dict[str, Any]) -> Response[str] | None:
    """413 for a body over 8 KB, 415 for a POST under /api/ that is not JSON; None for
    a request the API may route."""
    if len(event.get("body") or "") > MAX_BODY_BYTES:
        return error_response(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", "request body too large"
        )
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    is_json_route = event.get("httpMethod") == "POST" and event.get("path", "").startswith("/api/")
    if is_json_route and not headers.get("content-type", "").startswith("application/json"):
        return error_response(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send application/json"
        )
    return None


@lambda_handler_decorator
def patient_guard(
    handler: Handler, event: dict[str, Any], context: LambdaContext
) -> dict[str, Any]:
    """Oversized bodies, and anything but JSON on the JSON routes, never reach a use case
    (and not even request validation spends time on them)."""
    refusal = refusal_of_bad_request(event)
    if refusal is None:
        return handler(event, context)
    return {
        "statusCode": refusal.status_code,
        "headers": {"Content-Type": "application/json"},
        "body": refusal.body,
        "isBase64Encoded": False,
    }


def page_headers(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """Every HTML answer (the page, its error states, the redirect to the bank) loads
    nothing from elsewhere, is never framed, cached or sniffed, and sends no referrer."""
    response = next_middleware(app)
    if str(response.headers.get("Content-Type", "")).startswith("text/html"):
        response.headers.update(PAGE_HEADERS)
    return response
