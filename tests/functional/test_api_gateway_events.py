"""The API Gateway events the tests hand the functions are the ones the REST API sends
for template.yaml (interfaces.md §5, architecture.md: Lambda proxy integration).

The sample events in events/ and the sandbox's own (``Sandbox.api_raw``, which most
functional tests call) had string bodies as text and ``multiValueHeaders: {}`` beside
filled ``headers``, while the API (BinaryMediaTypes ``*/*``) passes every body base64
and every header in both maps: the tests then never exercised the decoding deployed.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from local.resources import load_template, resources_of_type
from local.sandbox import Caller, Sandbox
from local.seed import DENTAL

ROOT = Path(__file__).resolve().parents[2]
API_EVENTS = sorted(
    path
    for path in (ROOT / "events").rglob("*.json")
    if "httpMethod" in json.loads(path.read_text(encoding="utf-8"))
)


def binary_media_types() -> list[str]:
    (api,) = resources_of_type(load_template(), "AWS::Serverless::Api").values()
    return [kind.replace("~1", "/") for kind in api["BinaryMediaTypes"]]


def inconsistencies(event: dict[str, Any]) -> list[str]:
    """How ``event`` differs from what API Gateway's REST API sends for this template."""
    found = []
    headers, multi = event.get("headers") or {}, event.get("multiValueHeaders") or {}
    if set(headers) != set(multi):
        found.append(f"header names differ: {sorted(set(headers) ^ set(multi))}")
    found += [
        f"headers[{name!r}] is not the last of multiValueHeaders"
        for name, value in headers.items()
        if multi.get(name, [None])[-1] != value
    ]
    query, multi_query = (
        event.get("queryStringParameters"),
        event.get("multiValueQueryStringParameters"),
    )
    if (query is None) != (multi_query is None) or {
        k: v[-1] for k, v in (multi_query or {}).items()
    } != (query or {}):
        found.append("queryStringParameters and multiValueQueryStringParameters differ")
    body = event.get("body")
    if binary_media_types() != ["*/*"]:
        found.append("the template's BinaryMediaTypes changed: say here which bodies are text")
    if body is None:
        if event.get("isBase64Encoded") is not False:
            found.append("no body, yet isBase64Encoded is not false")
    elif event.get("isBase64Encoded") is not True:
        found.append("a body under BinaryMediaTypes */* not base64 (isBase64Encoded)")
    else:
        try:
            base64.b64decode(body, validate=True)
        except binascii.Error:
            found.append("isBase64Encoded, yet the body is not base64")
    return found


@pytest.mark.parametrize("path", API_EVENTS, ids=lambda p: str(p.relative_to(ROOT / "events")))
def test_every_sample_api_event_is_what_api_gateway_sends(path):
    """Given a sample API Gateway event in events/ (a Lambda proxy request)
    When it is read beside template.yaml's API (BinaryMediaTypes */*)
    Then every header is in headers and multiValueHeaders alike, and the body is base64
    with isBase64Encoded, as the REST API passes it (interfaces.md §5)."""
    event = json.loads(path.read_text(encoding="utf-8"))
    assert inconsistencies(event) == []


def test_there_are_sample_api_events():
    assert {p.parent.name for p in API_EVENTS} >= {"provider_api", "psp_webhook"}


@pytest.mark.parametrize(
    "request_",
    [
        {"caller": Caller.practice(DENTAL.provider_id, "admin"), "body": {"file_name": "a.csv"}},
        {"caller": None, "body": "id=tr_1", "headers": {"content-type": "text/plain"}},
        {"caller": Caller.operator(), "body": b"\x00\xff", "query": {"a": "1"}},
        {"caller": Caller.operator(), "body": None, "query": None},
    ],
    ids=["json", "text", "bytes", "no body"],
)
def test_the_sandbox_builds_its_api_events_as_api_gateway_does(request_):
    """Given a request the functional tests send through ``Sandbox.api_raw``
    When the sandbox builds its API Gateway event
    Then it is one the REST API would send: the body base64 (text as UTF-8, the rest as
    JSON), each header in both maps and named once whatever its case (interfaces.md §5)."""
    sandbox = Sandbox(date(2026, 11, 25))  # not started: events only
    event = sandbox.api_event(
        "POST",
        "/api/v1/provider/declarations",
        caller=request_["caller"],
        body=request_["body"],
        query=request_.get("query"),
        headers=request_.get("headers"),
    )
    assert inconsistencies(event) == []
    sent = request_["body"]
    if sent is not None:
        decoded = base64.b64decode(event["body"])
        expected = (
            sent if isinstance(sent, bytes) else sent.encode() if isinstance(sent, str) else None
        )
        assert decoded == expected or json.loads(decoded) == sent
    assert len([n for n in event["headers"] if n.lower() == "content-type"]) <= 1
    assert ("Authorization" in event["headers"]) == (request_["caller"] is not None)


@pytest.mark.parametrize("body", ["id=tr_WDqYK6vllg", ""], ids=["form", "empty"])
def test_the_sandboxs_psp_webhook_is_built_as_every_other_api_event(monkeypatch, body):
    """Given the fake PSP (or a test replaying or forging a call) posting to /webhooks/psp
    When the sandbox hands it to the webhook function (``Sandbox.post_psp_webhook``)
    Then the event is built the one way every API event is (local/api_gateway.proxy_event,
    routed as ``api_raw``): to psp_webhook, the form body base64 as the REST API passes it
    under BinaryMediaTypes */*, no body when none was sent, Mollie's User-Agent
    (R11, interfaces.md §5). Before, it was the sample event with its body swapped in:
    the stage ``dev`` and one fixed request id, unlike every other sandbox event."""
    sandbox = Sandbox(date(2026, 11, 25))  # not started: events only
    seen: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(sandbox, "invoke", lambda function, event: seen.append((function, event)))
    sandbox.post_psp_webhook(body)
    [(function, event)] = seen
    assert function == "psp_webhook" and inconsistencies(event) == []
    assert (event["httpMethod"], event["path"], event["resource"]) == (
        "POST",
        "/webhooks/psp",
        "/webhooks/psp",
    )
    assert event["requestContext"]["stage"] == "local"
    assert event["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert event["headers"]["User-Agent"] == "Mollie.com/Webhook"
    assert (base64.b64decode(event["body"]).decode() if event["body"] else "") == body
