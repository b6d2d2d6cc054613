"""Safe retries for people and programs (R38, issue 12 item 8), with Stripe's semantics:
a write (POST, PUT, PATCH or DELETE: interfaces.md §6 "every write takes
Idempotency-Key") that carries an ``Idempotency-Key`` header is done once per key. The same
key with the same request gives the first answer again (``Idempotent-Replayed: true``)
and no second effect; the same key with another method, path, query string or body is 422; keys are
kept 24 hours, per tenant and user (the same key of another user is another key).

Built on Powertools' idempotency utility and the idempotency table (like the delivery
queue and the upload functions), around an API's whole resolver, so any API app uses it
with one line. The portal's forms (R35) are done once the same way, with a one-time key
each rendered form carries (``once_per_key``, ``web.portal.web``). Like Stripe, an answer is kept only when the request was carried out or
refused for what it asked: a 5xx or a concurrent change (someone changed the invoice at
the same moment) is not kept, so a retry does the work again.

A replay writes no read record (R32, NEN 7513), also when its answer shows patient data
(an invoice after a stop, a search's page). Chosen: the first attempt recorded that read,
by the same user (a key is kept per tenant and user) with the same subject, at most 24
hours before, and the replay shows nothing that answer did not. Recording it again here
would take a second way to record reads: the services record them, so the API and the
portal cannot differ (shared/audit.py), and this wrapper sees neither the read's kind nor
its subject, only the answer; it would have to keep the first attempt's records beside
the answer and write them again with the audit log's adapter.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from billing_core.entrypoints.http.caller import groups_of
from billing_core.entrypoints.http.errors import (
    CONCURRENT_CHANGE,
    PROVIDER_UNREADABLE,
    proxy_error,
)
from billing_core.entrypoints.powertools import idempotent, record_not_saved
from billing_core.providers.users import OPERATORS_GROUP
from billing_core.shared.retries import (
    CAUSE_LENGTH,
    KEY_LIFETIME,
    KeyReused,
    RequestCause,
    fingerprint,
)

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]

IDEMPOTENCY_HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEEP_SECONDS = int(KEY_LIFETIME.total_seconds())
MAX_KEY_LENGTH = 255
RETRY_AFTER = "Retry-After"
RETRY_AFTER_SECONDS = "1"
# Every write: a PUT or DELETE retried with its key gets its first answer again, not a
# second evaluation (a settings save is then no "someone else changed the settings").
RETRIED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
Answer = dict[str, Any]


class KeyInUse(Exception):
    """The first request with this key is still being carried out."""


class _AnswerNotKept(Exception):
    """Raised through Powertools so that it deletes the record: the retry runs again."""

    def __init__(self, answer: Answer) -> None:
        super().__init__("answer not kept")
        self.answer = answer


def _carry_out_once(
    *,
    call: dict[str, Any],
    carry_out: Callable[[], Answer],
    kept: Callable[[Answer], bool],
    ran: list[Answer],
) -> Answer:
    answer = carry_out()
    ran.append(answer)
    if not kept(answer):
        raise _AnswerNotKept(answer)
    return answer


_once = idempotent(
    _carry_out_once,
    data_keyword_argument="call",
    expires_after_seconds=KEEP_SECONDS,
    event_key_jmespath="scope",
    payload_validation_jmespath="request",
)


def once_per_key(
    context: LambdaContext,
    scope: str,
    key: str,
    request: dict[str, Any],
    carry_out: Callable[[], Answer],
    kept: Callable[[Answer], bool],
) -> tuple[Answer, bool]:
    """``carry_out()``'s answer, done once per ``key`` within ``scope`` (a tenant and
    user), and whether it is a replay. ``request`` is what must be the same for a replay
    (else ``KeyReused``); an answer that ``kept`` refuses is given but not kept, so a
    retry runs again. The API's Idempotency-Key and the portal's form key both come here."""
    call = {"scope": f"{scope}#{key}", "request": request}
    ran: list[Answer] = []
    try:
        answer = _once(context, call=call, carry_out=carry_out, kept=kept, ran=ran)
    except _AnswerNotKept as not_kept:
        return not_kept.answer, False
    except IdempotencyValidationError:
        raise KeyReused from None
    except IdempotencyAlreadyInProgressError:
        raise KeyInUse from None
    except IdempotencyPersistenceLayerError:
        if not ran:
            raise  # nothing was done: the client's retry carries it out
        # An answer not kept whose record could not be released either: given all the
        # same, not a 5xx. An answer kept whose record could not be saved is given by
        # ``idempotent`` itself (R38): the client is not asked to send the change again.
        record_not_saved()
        return ran[0], False
    return answer, not ran


def is_valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH


def retry_cause(scope: str, key: str) -> str:
    """What a change done under ``key`` (an Idempotency-Key, a form's one-time key) within
    ``scope`` (a tenant and user, as the key's record is kept) is known by in what it
    writes: the same for every retry, another for another key or user. A change saved
    before its side call failed answers 5xx and its key is released (Stripe: a 5xx is
    not kept); the retry finds the change by this cause and does not make it twice (R38),
    within the key's lifetime only (``shared.retries``: the change is booked under this
    cause and the window it was made in)."""
    return hashlib.sha256(f"{scope}#{key}".encode()).hexdigest()[:CAUSE_LENGTH]


def request_cause(event: dict[str, Any]) -> RequestCause:
    """The cause (``retry_cause``) of the change an API request asks for: its
    Idempotency-Key in its caller's scope; without one, API Gateway's id of this request,
    as a request sent again without a key is another request (interfaces.md §7). Hashed
    alike, so a cause has one length (an action id that names it stays within 64). With
    the fingerprint of what the key's record compares (``_request``): a retry after a 5xx
    that asks something else under the same key is refused, not given the change the
    first attempt made (``KeyReused``, R38)."""
    key, scope = _idempotency_key(event), _scope(event)
    if key and scope is not None and is_valid_key(key):
        return RequestCause(retry_cause(scope, key), fingerprint(_request(event)))
    request_id = (event.get("requestContext") or {}).get("requestId") or uuid.uuid4()
    return RequestCause(retry_cause("request", str(request_id)), sent_again=False)


INVALID_KEY = (
    f"Idempotency-Key: 1 tot {MAX_KEY_LENGTH} tekens. / "
    f"Idempotency-Key: 1 to {MAX_KEY_LENGTH} characters."
)
KEY_REUSED = (
    "Deze Idempotency-Key is al gebruikt voor een ander verzoek: stuur dit verzoek met een "
    "nieuwe. / This Idempotency-Key was used for another request: send this one with a new key."
)
KEY_IN_USE = (
    "Een verzoek met deze Idempotency-Key wordt nog uitgevoerd: probeer het zo opnieuw. / "
    "A request with this Idempotency-Key is still being carried out: try again shortly."
)


def with_idempotency_keys(resolve: Handler) -> Handler:
    """``resolve`` (an API app's resolver) done once per Idempotency-Key."""

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        key = _idempotency_key(event)
        scope = _scope(event)
        if key is None or scope is None:
            return resolve(event, context)
        if not is_valid_key(key):
            return proxy_error(
                HTTPStatus.BAD_REQUEST,
                "invalid_idempotency_key",
                INVALID_KEY,
            )
        try:
            answer, replayed = once_per_key(
                context,
                scope,
                key,
                _request(event),
                lambda: resolve(event, context),
                kept=lambda answer: not _nothing_was_done(answer),
            )
        except KeyReused:
            return proxy_error(
                HTTPStatus.UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                KEY_REUSED,
            )
        except KeyInUse:
            in_use = proxy_error(
                HTTPStatus.CONFLICT,
                "idempotency_key_in_use",
                KEY_IN_USE,
            )
            # When to send it again, as a program reads it (RFC 9110 §10.2.3): a write
            # is carried out within seconds.
            in_use["headers"][RETRY_AFTER] = RETRY_AFTER_SECONDS
            return in_use
        replayed_header = {REPLAYED_HEADER: "true" if replayed else "false"}
        return answer | {"headers": (answer.get("headers") or {}) | replayed_header}

    return handler


_KEY_PARAMETER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": "Sent again with the same request (a retry after a lost answer), it "
    "gets the first answer again, marked Idempotent-Replayed, and nothing is done twice; "
    "with another request, 422 idempotency_key_reused. Kept 24 hours, per user (R38). "
    "An answer 5xx, 409 concurrent_change or 409 provider_unreadable is not kept: the "
    "retry is carried out. "
    "Sent again while the first request is still being carried out: 409 "
    "idempotency_key_in_use, nothing done; send it again after its Retry-After seconds.",
}
_REPLAYED_HEADER: dict[str, Any] = {
    "description": "With an Idempotency-Key: true when this is the first answer again.",
    "schema": {"type": "string", "enum": ["true", "false"]},
}


def with_keys_documented(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (an API's OpenAPI dict, behind the token) with the Idempotency-Key
    header on every write, as ``with_idempotency_keys`` takes it, and the
    Idempotent-Replayed header on its answers that are kept."""
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            if method.upper() not in RETRIED_METHODS:
                continue
            operation.setdefault("parameters", []).append(_KEY_PARAMETER)
            for status, answer in operation.get("responses", {}).items():
                if str(status).startswith("2"):
                    answer.setdefault("headers", {})[REPLAYED_HEADER] = _REPLAYED_HEADER
    return document


# The 409s after which nothing was done and the same request is to be sent again: someone
# changed the invoice meanwhile; the practice's stored settings no longer validate, until
# zorgnota repairs them (R31: the portal keeps no such answer under a form's key either).
_NOT_KEPT_CONFLICTS = (CONCURRENT_CHANGE, PROVIDER_UNREADABLE)


def _nothing_was_done(answer: dict[str, Any]) -> bool:
    """A server error, or a conflict after which a retry must run again."""
    status = answer["statusCode"]
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return True
    body = answer["body"]
    conflict = status == HTTPStatus.CONFLICT
    return conflict and any(f'"{code}"' in body for code in _NOT_KEPT_CONFLICTS)


def _idempotency_key(event: dict[str, Any]) -> str | None:
    if event.get("httpMethod") not in RETRIED_METHODS:
        return None
    headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}
    key = headers.get(IDEMPOTENCY_HEADER)
    return None if key is None else str(key).strip()


def _scope(event: dict[str, Any]) -> str | None:
    """Tenant and user of the verified token (operators are a tenant of their own); None
    without them (the route then answers 401 itself)."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    claims = authorizer.get("claims") or {}
    tenant = claims.get("custom:provider_id")
    if not tenant and OPERATORS_GROUP in groups_of(claims):
        tenant = OPERATORS_GROUP  # zorgnota's back office: one tenant of its own
    if not tenant:
        return None
    return f"{tenant}#{claims.get('sub', '')}"


def _request(event: dict[str, Any]) -> dict[str, Any]:
    """What must be the same for a retry: method, path, query string and body (as JSON,
    so spacing does not matter; the guard before this has made sure it is JSON). The body
    as the client sent it: on the stage it arrives base64 (template.yaml BinaryMediaTypes
    */*), whose text changes with every space. The query string only when there is one,
    so a request without one is known by what it was known by before it counted (a retry
    across the deploy is still a replay); no write route takes one, but a refusal of one
    is kept, and a retry without it is another request, not that refusal again."""
    body: str | bytes = event.get("body") or ""
    if body and event.get("isBase64Encoded"):
        import base64  # loaded already by the middleware; here for the rare keyed write

        body = base64.b64decode(body)
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = body if isinstance(body, str) else body.decode("utf-8", "replace")
    request = {"method": event.get("httpMethod"), "path": event.get("path"), "body": parsed}
    query = event.get("multiValueQueryStringParameters") or event.get("queryStringParameters")
    return request | ({"query": query} if query else {})
