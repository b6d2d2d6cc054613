"""The events API Gateway's REST API passes this template's functions (Lambda proxy).

One way to build them, for ``make serve`` (local/server.py, from real HTTP requests) and
for the sandbox's ``api_raw`` (local/sandbox.py, which most functional tests call): so
every test sees a body as the deployed functions do, base64 under the template's
BinaryMediaTypes ``*/*``, with ``multiValueHeaders`` beside ``headers``.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote

STAGE = "local"  # requestContext.stage of the events the sandbox's API Gateway passes on


def proxy_event(
    method: str,
    path: str,
    raw_query: str,
    sent: Iterable[tuple[str, str]],
    body: bytes,
    *,
    resource: str,
    path_parameters: Mapping[str, str] | None = None,
    claims: Mapping[str, str] | None = None,
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    """The event API Gateway's REST API passes a Lambda proxy integration for this
    template: every body base64 with ``isBase64Encoded`` (BinaryMediaTypes ``*/*``);
    headers with their names as sent, the last of a repeated one in ``headers`` and all
    in ``multiValueHeaders``; the query likewise (``null`` when there is none); the path
    percent-decoded; the stage and the stage-prefixed path in ``requestContext``; the
    Cognito authorizer's claims, every value a string."""
    headers: dict[str, str] = {}
    multi_headers: dict[str, list[str]] = {}
    for name, value in [*sent, ("X-Forwarded-For", source_ip), ("X-Forwarded-Proto", "https")]:
        headers[name] = value
        multi_headers.setdefault(name, []).append(value)
    query: dict[str, str] = {}
    multi_query: dict[str, list[str]] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        query[name] = value
        multi_query.setdefault(name, []).append(value)
    path = unquote(path)
    context: dict[str, Any] = {
        "resourcePath": resource,
        "httpMethod": method,
        "path": f"/{STAGE}{path}",
        "stage": STAGE,
        "requestId": str(uuid.uuid4()),
        "accountId": "123456789012",
        "apiId": "sandboxapi",
        "protocol": "HTTP/1.1",
        "identity": {"sourceIp": source_ip, "userAgent": _last(multi_headers, "user-agent")},
    }
    if claims is not None:
        context["authorizer"] = {"claims": {k: str(v) for k, v in claims.items()}}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(path_parameters) if path_parameters else None,
        "stageVariables": None,
        "requestContext": context,
        "body": base64.b64encode(body).decode("ascii") if body else None,
        "isBase64Encoded": bool(body),
    }


def _last(multi_headers: Mapping[str, list[str]], name: str) -> str | None:
    values = [v for k, vs in multi_headers.items() if k.lower() == name for v in vs]
    return values[-1] if values else None
