"""Requests as the deployed stage passes them (audit STAGE, stop 42): API Gateway's REST
API with a Lambda proxy integration and ``BinaryMediaTypes: */*`` (template.yaml) hands
every body over base64 with ``isBase64Encoded: true``, the header names as the client
sent them (an HTTP/2 client sends them lowercase), a repeated header in
``multiValueHeaders`` with only its last value in ``headers``, and ``null`` for an
absent query. `make serve` (local/server.py) builds its events that way, so the e2e
runs take the stage's path; these tests pin that and what the product must read from it.
"""

from __future__ import annotations

import base64
import json

import pytest

from local.seed import DENTAL
from local.server import STAGE, SandboxServer


@pytest.fixture
def server(sandbox):
    return SandboxServer(sandbox)


@pytest.fixture
def seen(sandbox, monkeypatch):
    """The events the functions are invoked with, in order."""
    events: list[dict] = []
    invoke = sandbox.invoke

    def recording(function, event):
        events.append(event)
        return invoke(function, event)

    monkeypatch.setattr(sandbox, "invoke", recording)
    return events


def _token(server) -> str:
    return json.loads(server.handle("GET", "/_local/tokens", {}, b"")[2])[DENTAL.provider_id]


def test_make_serve_passes_a_json_post_on_as_the_stage_does(server, seen):
    """interfaces.md §5 (`make serve` stands in for the deployed API), R38: Given a JSON
    POST sent with lowercase header names and an Idempotency-Key, when `make serve` takes
    it, then the function gets the event API Gateway would build for this template: the
    body base64, the names as sent in headers and multiValueHeaders, no query (null), the
    route's resource and parameters, the stage and the stage-prefixed path, the caller's
    IP and a request id, and the Cognito authorizer's claims as strings."""
    body = json.dumps({"email": "balie@example.org", "role": "staff"}).encode()
    sent = [
        ("authorization", f"Bearer {_token(server)}"),
        ("content-type", "application/json"),
        ("idempotency-key", "invite-balie-1"),
    ]
    status, _, _ = server.handle("POST", "/api/v1/provider/users", sent, body, "198.51.100.7")
    assert status == 201
    (event,) = seen
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body
    assert event["headers"]["content-type"] == "application/json"
    assert event["multiValueHeaders"]["idempotency-key"] == ["invite-balie-1"]
    assert "Content-Type" not in event["headers"]  # the names as sent, not re-cased
    assert event["queryStringParameters"] is None
    assert event["multiValueQueryStringParameters"] is None
    assert (event["resource"], event["path"]) == ("/api/v1/provider/users",) * 2
    context = event["requestContext"]
    assert context["stage"] == STAGE
    assert context["path"] == f"/{STAGE}/api/v1/provider/users"
    assert context["identity"]["sourceIp"] == "198.51.100.7"
    assert context["requestId"]
    claims = context["authorizer"]["claims"]
    assert claims["custom:provider_id"] == DENTAL.provider_id
    assert all(isinstance(value, str) for value in claims.values())


def test_make_serve_passes_a_repeated_query_parameter_and_path_parameters(server, seen):
    """interfaces.md §5: Given a GET with a path parameter and a query parameter given
    twice, when `make serve` takes it, then the last value is in queryStringParameters,
    both in multiValueQueryStringParameters, the parameter in pathParameters, and the
    request without a body has none (null, not base64)."""
    sent = {"authorization": f"Bearer {_token(server)}"}
    server.handle("GET", "/api/v1/provider/declarations/D-1?x=1&x=2", sent, b"")
    (event,) = seen
    assert event["queryStringParameters"] == {"x": "2"}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert event["pathParameters"] == {"declaration_id": "D-1"}
    assert (event["body"], event["isBase64Encoded"]) == (None, False)
