"""The error answers an API's OpenAPI document names (interfaces.md §2).

Powertools documents every route with a 422 "Validation Error" of its own shape, while
``errors.py`` answers a request that fails validation with 400 and the shared shape
{"error": {"code", "message"}}. This puts in each operation the answers ``errors.py``
gives instead, so a client generated from the document reads the errors it will meet;
and what API Gateway and the web ACL in front of every route answer themselves
(template.yaml's gateway responses and custom response bodies), in the same shape, with
their bodies as examples.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
    from pydantic import BaseModel

ERROR_SCHEMA = "Error"
_POWERTOOLS_ONLY = ("HTTPValidationError", "ValidationError", "ResponseValidationError")
_WRITES = frozenset({"post", "put", "patch", "delete"})
_WITH_BODY = frozenset({"post", "put", "patch"})  # middleware.JSON_METHODS
_WHEN = {
    "400": "The request is not valid: a field, parameter or header is missing or wrong "
    "(validation_error), or a cursor or payment reference does not decode.",
    "401": "No valid token: log in again.",
    "403": "The user's role does not allow this; or (forbidden) the web ACL's managed rules "
    "refused the request: no User-Agent, or a known-bad header, path or query.",
    "404": "Not found for this caller (another practice's id answers the same).",
    "409": "A state conflict, or a change at the same moment (concurrent_change: nothing "
    "was saved, or the change was saved and what follows from it not yet, as its message "
    "says; the same request may be sent again, with its Idempotency-Key), or a request with this "
    "Idempotency-Key still being carried out (idempotency_key_in_use: send it again shortly).",
    "413": "The body is larger than the API takes (too_large): the app's limit, or 8 KB "
    "where the web ACL in front of the route takes no more.",
    "415": "The body is not declared as JSON: send it with Content-Type: application/json.",
    "422": "A business rule refuses it (the code names which), or the Idempotency-Key was "
    "used before for another request.",
    "429": "Too many requests (throttled): API Gateway's throttle of the route (send it "
    "again shortly), or the web ACL's limit per IP address over 5 minutes (Retry-After: "
    "wait that many seconds).",
}
# Without a token only the web ACL refuses with 403 (no role to refuse).
_WAF_FILTERED = (
    "The web ACL's managed rules refused the request (forbidden): no User-Agent, or a "
    "known-bad header, path or query."
)


def asking_the_psp(
    answer: type[BaseModel], status: HTTPStatus = HTTPStatus.OK
) -> dict[int, OpenAPIResponse]:
    """The ``responses`` of a route that asks the PSP before it saves: its ``answer``, and
    the 503 of errors.py's psp_unavailable (given a route's ``responses``, Powertools
    documents only those; the error answers every route has are added below)."""
    return _answer_or_error(
        answer,
        status,
        HTTPStatus.SERVICE_UNAVAILABLE,
        "The PSP (Mollie) cannot be reached (psp_unavailable): nothing was saved, and the "
        "same request may be sent again shortly.",
    )


def reading_the_settings(answer: type[BaseModel]) -> dict[int, OpenAPIResponse]:
    """The ``responses`` of a read that needs the practice's stored settings: its
    ``answer``, and errors.py's 409 provider_unreadable when they no longer validate (R31;
    a read answers no other 409, so the document names none for reads by itself)."""
    return _answer_or_error(
        answer,
        HTTPStatus.OK,
        HTTPStatus.CONFLICT,
        "The practice's stored settings no longer validate (provider_unreadable): the "
        "message names the field; an operator replaces them on their version (R31), "
        "then the same request may be sent again.",
    )


def showing_the_invoice(answer: type[BaseModel]) -> dict[int, OpenAPIResponse]:
    """The ``responses`` of a patient's read of an invoice: its ``answer``, and errors.py's
    503 invoice_unavailable when its practice's stored settings no longer validate (R31)."""
    return _answer_or_error(
        answer,
        HTTPStatus.OK,
        HTTPStatus.SERVICE_UNAVAILABLE,
        "The invoice cannot be shown now (invoice_unavailable): ask again later.",
    )


def _answer_or_error(
    answer: type[BaseModel], status: HTTPStatus, error: HTTPStatus, when: str
) -> dict[int, OpenAPIResponse]:
    return {
        status.value: {
            "description": "Successful Response",
            "content": {"application/json": {"model": answer}},
        },
        error.value: {
            "description": when,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}
            },
        },
    }


def with_error_answers(document: dict[str, Any], *, behind_token: bool) -> dict[str, Any]:
    """``document`` (Powertools' OpenAPI dict) with each operation's error answers."""
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            _drop_powertools_validation(responses)
            for status in _error_statuses(path, method, behind_token=behind_token):
                responses.setdefault(status, _error_answer(status, method, behind_token))
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in _POWERTOOLS_ONLY:
        schemas.pop(name, None)
    schemas[ERROR_SCHEMA] = _ERROR_BODY
    components["examples"] = edge_examples()
    return document


def _drop_powertools_validation(responses: dict[str, Any]) -> None:
    for status, answer in list(responses.items()):
        if answer.get("description") in ("Validation Error", "Response Validation Error"):
            del responses[status]


def _error_statuses(path: str, method: str, *, behind_token: bool) -> list[str]:
    statuses = ["400"]
    if behind_token:
        statuses.append("401")
    # Every route: the web ACL's managed rules (template.yaml WAF_FILTERED); behind the
    # token a role's refusal too.
    statuses.append("403")
    if "{" in path:
        statuses.append("404")
    if method in _WRITES:
        statuses += ["409", "413", "422"]
    if method in _WITH_BODY:
        statuses.append("415")
    # Every route has a throttle (template.yaml MethodSettings; its THROTTLED answer) and
    # a per-IP limit (the web ACL's requests-per-ip; over-a-per-ip-limit-api).
    statuses.append("429")
    return statuses


def _error_answer(status: str, method: str, behind_token: bool) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}
    examples = _EDGE_EXAMPLES.get(status, ())
    if status == "400" and method not in _WITH_BODY:
        examples = ()  # the web ACL reads a body only
    if examples:
        media["examples"] = {name: {"$ref": f"#/components/examples/{name}"} for name in examples}
    answer: dict[str, Any] = {
        "description": _WHEN[status] if behind_token or status != "403" else _WAF_FILTERED,
        "content": {"application/json": media},
    }
    if status == "429":
        answer["headers"] = {
            "Retry-After": {
                "description": "With the web ACL's per-IP limit: the seconds to wait (its "
                "5-minute window); API Gateway's throttle sends none.",
                "schema": {"type": "integer"},
            }
        }
    return answer


# Which of edge_examples() each status shows.
_EDGE_EXAMPLES = {
    "400": ("refused_body",),
    "403": ("waf_filtered",),
    "413": ("too_large",),
    "429": ("route_throttle", "per_ip_limit"),
}


def edge_examples() -> dict[str, Any]:
    """What API Gateway and the web ACL in front of every route answer themselves, as
    OpenAPI examples (the document's components): word for word template.yaml's gateway
    responses THROTTLED and WAF_FILTERED and the web ACL's too-many-requests-json,
    too-large-json (the app's own 413) and refused-body-json, which a test compares.
    Built when asked, not at import: only the document needs them."""
    from billing_core.entrypoints.http.middleware import TOO_LARGE

    def example(summary: str, code: str, message: str) -> dict[str, Any]:
        return {"summary": summary, "value": {"error": {"code": code, "message": message}}}

    return {
        "route_throttle": example(
            "API Gateway's throttle of the route (THROTTLED)",
            "throttled",
            "Te veel verzoeken tegelijk; probeer het zo opnieuw. / Too many requests at "
            "once; try again shortly.",
        ),
        "per_ip_limit": example(
            "The web ACL's limit per IP address, with Retry-After (over-a-per-ip-limit-api)",
            "throttled",
            "Te veel verzoeken van uw internetverbinding; probeer het over enkele minuten "
            "opnieuw. / Too many requests from your internet connection; try again in a "
            "few minutes.",
        ),
        "waf_filtered": example(
            "The web ACL's managed rules (WAF_FILTERED)",
            "forbidden",
            "Dit verzoek is om veiligheidsredenen geweigerd. / This request was refused "
            "for security reasons.",
        ),
        "too_large": example(
            "Over the app's limit, or the web ACL's 8 KB (body-over-8kb-api)",
            "too_large",
            TOO_LARGE,
        ),
        "refused_body": example(
            "A body the web ACL refuses (body-attack-api): script, a file path, a URL or "
            "code in it",
            "validation_error",
            "De gegevens bevatten tekst die om veiligheidsredenen niet wordt aangenomen. / "
            "The request body holds text that is not accepted for security reasons.",
        ),
    }


_ERROR_BODY: dict[str, Any] = {
    "title": ERROR_SCHEMA,
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "stable, for programs"},
                "message": {
                    "type": "string",
                    "description": "Dutch / English, for people",
                },
                "codes": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "with a refusal (403, 409, 422): every refusal of the"
                    " request, code first (an objection wrong in several ways names each)",
                },
                "fields": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {
                            "field": {
                                "type": "string",
                                "description": "where, e.g. dunning.days_to_reminder or"
                                " query.limit",
                            },
                            "message": {
                                "type": "string",
                                "description": "what is wrong, Dutch / English, never the"
                                " value sent",
                            },
                        },
                    },
                    "description": "with validation_error (400) of the request's fields: every one it has"
                    " wrong (at most 50), in the order of its model; message names the first"
                    " five",
                },
            },
        }
    },
}
