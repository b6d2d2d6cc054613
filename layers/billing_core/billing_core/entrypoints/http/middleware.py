"""What the APIs put before and after their routes: the guard against requests no use
case should see (both APIs), and the patient API's security headers (every answer; the
HTML pages' more).

Powertools runs an event handler's request validation before every ``app.use``
middleware (by design: powertools-lambda-python discussion 4656), so a guard there would
answer an oversized or non-JSON body with a validation error. The guard therefore wraps
the resolver itself and answers before routing: nothing of such a request is parsed by a
route. The page headers, and the provider API's refusal of query parameters a route does
not declare, are event handler middlewares (the portal refuses them in its own
``web.serve_page``, by ``first_undeclared`` too).

One behaviour on every JSON route of every API (issue 13 items 10 and 14): a body that
is not declared as JSON is 415, whatever it holds (so its text never turns up as a
"field" in a validation message); a body that is declared as JSON but is not JSON
Python can read safely (a number of more than 4,300 digits, nesting deeper than the
parser's recursion limit) is 400.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Collection, Iterable, Mapping
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.utilities.typing import LambdaContext

from billing_core.entrypoints.http.errors import proxy_error
from billing_core.services.inputs import InvalidInput

# The patient API: the largest honest body is an objection of 2,000 characters, which the
# checker's form posts as multipart (UTF-8: at most 6 KB, also in Arabic; audit REQUESTS1);
# the WAF refuses larger bodies at the edge as well.
PATIENT_MAX_BODY_BYTES = 8 * 1024
# The provider API: small JSON commands too, with room for a back office's settings.
PROVIDER_MAX_BODY_BYTES = 64 * 1024
JSON_METHODS = frozenset({"POST", "PUT", "PATCH"})
SEND_JSON = (
    "Stuur de gegevens als JSON, met de header Content-Type: application/json. / "
    "Send the body as JSON, with the header Content-Type: application/json."
)
# A route whose body carries a file as text in a JSON field: a client that sends the file
# itself (text/csv) is told where it goes (credits58: "send JSON" alone left them asking).
_REGISTER_CSV = '{"csv": "uzovi;name;group;labels;valid_from;source\\n..."}'
SEND_JSON_OF = {
    "/api/v1/operator/insurers": (
        "Stuur de gegevens als JSON, met de header Content-Type: application/json; de CSV "
        f"als tekst in het veld csv: {_REGISTER_CSV}. / Send the body as JSON, with the "
        "header Content-Type: application/json; the CSV as text in the field csv: "
        f"{_REGISTER_CSV}."
    ),
}
NOT_JSON = (
    "body: geen JSON die te lezen is (getallen van hoogstens 4.300 cijfers, niet diep "
    "genest). / body: not valid JSON (numbers of at most 4,300 digits, no deep nesting)."
)
TOO_LARGE = "De gegevens zijn te groot voor deze API. / The request body is too large."
HTML = "text/html; charset=utf-8"
# Every answer of the patient API is about one invoice: the PDF (name, address,
# treatments), the status, the page. None is kept by a shared computer's browser or a
# proxy after the visit, or read as another type than it says (R29, R36; audit PATIENT1).
# The provider and operator APIs' answers too: they name patients, treatments and IBANs
# (R29, R32; audit59c).
ANSWER_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
# A page on the public address (the checker, the portal) is asked for over HTTPS only
# from then on, for two years, the address's subdomains too: a patient who types it
# without https:// is not served a look-alike that asks the birth date (R29, R36).
HSTS = "max-age=63072000; includeSubDomains"
PAGE_HEADERS = {
    **ANSWER_HEADERS,
    "Strict-Transport-Security": HSTS,
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self' https:; base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]
# The page for a body over the limit, for a request a person sent from a page (an HTML
# form); None for a program's, which gets the JSON 413.
TooLargePage = Callable[[dict[str, Any]], str | None]


def body_bytes(event: Mapping[str, Any]) -> int:
    """The size of the body the client sent, which the limits (and the WAF's) are about:
    on the stage every body arrives base64-encoded (template.yaml BinaryMediaTypes), a
    third larger than it was sent."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return len(body) * 3 // 4 - body[-2:].count("=")
    return len(body.encode("utf-8", "surrogatepass"))


def refusal_of_bad_request(
    event: dict[str, Any], max_body_bytes: int, too_large_page: TooLargePage | None = None
) -> dict[str, Any] | None:
    """413 for a body over ``max_body_bytes`` (``too_large_page``'s page when it has one
    for the request); for a POST, PUT or PATCH with a body under /api/: 415 when it is not
    declared JSON (in the route's own words of ``SEND_JSON_OF`` if it has them), 400 when
    it is not readable JSON. None for a request the API may route."""
    body = event.get("body") or ""
    if body_bytes(event) > max_body_bytes:
        page = too_large_page(event) if too_large_page is not None else None
        if page is not None:
            return _page_answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, page)
        return proxy_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", TOO_LARGE)
    is_json_route = event.get("httpMethod") in JSON_METHODS and event.get("path", "").startswith(
        "/api/"
    )
    if not (is_json_route and body):
        return None
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    if not str(headers.get("content-type", "")).lower().startswith("application/json"):
        message = SEND_JSON_OF.get(event.get("path", ""), SEND_JSON)
        return proxy_error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", message)
    if not _readable_json(body, base64_encoded=bool(event.get("isBase64Encoded"))):
        return proxy_error(HTTPStatus.BAD_REQUEST, "validation_error", NOT_JSON)
    return None


def _page_answer(status: HTTPStatus, page: str) -> dict[str, Any]:
    """An HTML page as the Lambda proxy answer, with the headers ``page_headers`` gives a
    routed page, for what answers before routing."""
    return {
        "statusCode": status.value,
        "headers": {"Content-Type": HTML, **PAGE_HEADERS},
        "body": page,
        "isBase64Encoded": False,
    }


def _readable_json(body: str, *, base64_encoded: bool) -> bool:
    """On the stage a JSON body arrives base64-encoded as every body does (template.yaml
    BinaryMediaTypes): read as it was sent, not its base64 text (which no JSON is)."""
    try:
        json.loads(base64.b64decode(body, validate=True) if base64_encoded else body)
    except (ValueError, RecursionError):
        return False
    return True


def guarded(
    resolve: Handler,
    *,
    max_body_bytes: int,
    too_large_page: TooLargePage | None = None,
    every_answer: Mapping[str, str] | None = None,
) -> Handler:
    """``resolve`` (an app's resolver) behind the guard: oversized bodies, and anything but
    readable JSON on the JSON routes, never reach a use case (and not even request
    validation spends time on them). ``too_large_page``: the page a person's oversized
    form gets instead of JSON (the checker's). ``every_answer``: headers every answer
    carries, also an error's that no middleware sees (an exception handler's, the
    guard's own): the patient API's ``ANSWER_HEADERS``."""

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        refusal = refusal_of_bad_request(event, max_body_bytes, too_large_page)
        answer = resolve(event, context) if refusal is None else refusal
        return with_headers(answer, every_answer) if every_answer else answer

    return handler


def with_headers(answer: dict[str, Any], wanted: Mapping[str, str]) -> dict[str, Any]:
    """The proxy ``answer`` with each of ``wanted`` it does not carry yet (in ``headers``
    or ``multiValueHeaders``, any case): an answer's own value stays (R29: the patient
    API's errors too, audit checker5: a 404 for a kenmerk or a 409 "already deferred" is
    cacheable by a proxy without ``no-store``)."""
    has = {
        str(name).lower()
        for part in ("headers", "multiValueHeaders")
        for name in (answer.get(part) or {})
    }
    missing = {name: value for name, value in wanted.items() if name.lower() not in has}
    if missing:
        answer["headers"] = {**(answer.get("headers") or {}), **missing}
    return answer


def page_headers(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """No answer is cached or sniffed (the invoice PDF and the JSON as much as the page);
    every HTML answer (the page, its error states, the redirect to the bank) also loads
    nothing from elsewhere, is never framed, and sends no referrer."""
    response = next_middleware(app)
    is_html = str(response.headers.get("Content-Type", "")).startswith("text/html")
    response.headers.update(PAGE_HEADERS if is_html else ANSWER_HEADERS)
    return response


def unknown_query_refused(
    app: APIGatewayRestResolver, next_middleware: NextMiddleware
) -> Response[Any]:
    """A query parameter the route does not declare is a 400 naming it (audit
    INTERFACES2): ignored, a filter the API does not know (``?kenmerk=``) answers the
    whole list as if every invoice were the one asked for. Runs after the request
    validation, which reads only the declared ones."""
    declared = {param.alias for param in app.context["_route"].dependant.query_params}
    unknown = first_undeclared(app.current_event.query_string_parameters or {}, declared)
    if unknown is not None:
        raise InvalidInput(f"query.{unknown}", "not_a_parameter")
    return next_middleware(app)


def first_undeclared(asked: Iterable[str], declared: Collection[str]) -> str | None:
    """The first, by name, of the query parameters ``asked`` that a route does not
    declare; None when it declares each. The provider API and the portal both refuse it
    (closing 14): ignored, a filter the route does not know answers as if it held."""
    return min((name for name in asked if name not in declared), default=None)
