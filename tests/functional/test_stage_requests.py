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
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from local.generate import declaration_csv
from local.seed import DENTAL, SAMPLE_USERS
from local.server import STAGE, SandboxServer
from tests.functional.test_patient_api import unlock, visit_cookie

SAMPLES = Path(__file__).resolve().parents[2] / "events" / "bank"


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


def _signed_in_portal_cookie(server) -> str:
    """The portal's session cookie after the sandbox's sign-in (its state cookie kept)."""
    email = next(u.email for u in SAMPLE_USERS if u.provider_id == DENTAL.provider_id)
    _, to_hosted_ui, _ = server.handle("GET", "/portal/login", {}, b"")
    state = "; ".join(c.split(";")[0] for c in to_hosted_ui.get("Set-Cookie", "").split("\n"))
    asked = dict(parse_qsl(urlsplit(to_hosted_ui["Location"]).query))
    chosen = f"email={email}&state={asked['state']}&code_challenge={asked['code_challenge']}"
    _, back, _ = server.handle("POST", "/_local/sign-in", {}, chosen.encode())
    callback = f"{urlsplit(back['Location']).path}?{urlsplit(back['Location']).query}"
    _, signed_in, _ = server.handle("GET", callback, {"cookie": state}, b"")
    line = next(c for c in signed_in["Set-Cookie"].split("\n") if c.startswith("zn_portal="))
    return line.split(";")[0]


def test_r35_the_portal_reads_every_cookie_line_an_http2_client_sends(server):
    """R35 (the portal's session), RFC 9113 §8.2.3: an HTTP/2 client may send its cookies
    as several `cookie` header lines; API Gateway passes them all in multiValueHeaders
    and only the last in headers. Given a signed-in session and the language cookie, when
    they come as two lines, the session first, then the overview opens (200) in that
    language instead of sending the user to sign in again (it did: 303 /portal/login)."""
    session = _signed_in_portal_cookie(server)
    sent = [("cookie", session), ("cookie", "zn_lang=en")]
    status, headers, page = server.handle("GET", "/portal/", sent, b"")
    assert (status, headers.get("Location")) == (200, None)
    assert b'lang="en"' in page


def test_r36_the_checker_reads_every_cookie_line_an_http2_client_sends(sandbox, server):
    """R36 (the birth date once per visit), RFC 9113 §8.2.3: Given a visit that checked
    the birth date, when the browser sends the visit cookie and another cookie as two
    lines, the visit's first, then the page shows the invoice (no birth date asked
    again), as it does for one line."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(3))
    sandbox.drain_deliveries()
    invoice = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0][0]
    visit = visit_cookie(unlock(sandbox, invoice))
    target = f"/?kenmerk={invoice.reference}&lang=nl"
    one_line = server.handle("GET", target, [("cookie", visit)], b"")
    two_lines = server.handle("GET", target, [("cookie", visit), ("cookie", "other=1")], b"")
    assert one_line[0] == two_lines[0] == 200
    assert b'id="birth-date"' not in one_line[2]
    assert b'id="birth-date"' not in two_lines[2]


@pytest.mark.parametrize("name", ["Afschrift maart é+1.xml", "a%20b.xml"])
def test_r12_the_sandbox_notifies_a_statement_under_its_key_url_encoded_as_s3_does(sandbox, name):
    """R12 (bank statements), the S3 notification format: S3 sends the object key
    URL-encoded (application/x-www-form-urlencoded: "red flower.jpg" -> "red+flower.jpg"),
    which the import decodes. Given a statement stored under a name with a space, an
    accent, a plus or a percent sign, when the sandbox PUTs it and notifies the import as
    S3 would, then it is read under its own key and imported (the sandbox passed the key
    raw: the import decoded "+" to a space and "%20" to one, and found no object: 404)."""
    statement = (SAMPLES / "camt053-001.02-2026-11-24.xml").read_bytes()
    answer = sandbox.upload_bank_statement(statement, name)
    assert answer["imported"][0].get("outcome") != "ignored"
    assert "error" not in json.dumps(answer).lower()


@pytest.mark.parametrize(
    "answer",
    [
        {"statusCode": 200, "headers": {"X-Count": 3}, "body": ""},
        {"statusCode": 200, "headers": {"Set-Cookie": ["a=1", "b=2"]}, "body": ""},
        {"statusCode": 200, "body": {"not": "text"}},
        {"statusCode": "200", "body": ""},
        {"statusCode": 200, "body": "", "cookies": ["a=1"]},
    ],
)
def test_make_serve_answers_502_for_a_function_answer_api_gateway_cannot_read(
    server, sandbox, monkeypatch, answer
):
    """interfaces.md §5 (`make serve` stands in for the deployed API): API Gateway's REST
    API answers 502 {"message": "Internal server error"} ("Malformed Lambda proxy
    response") when a function's answer has a header that is not text, a list in
    headers (several Set-Cookie belong in multiValueHeaders), a body that is not text, a
    status that is not a number or a field it does not know. Given such an answer, when
    `make serve` passes it back, then it answers the same 502 instead of sending it on."""
    monkeypatch.setattr(sandbox, "invoke", lambda function, event: answer)
    status, _, body = server.handle("GET", "/voorwaarden", {}, b"")
    assert (status, json.loads(body)) == (502, {"message": "Internal server error"})


def test_r11_the_sandbox_posts_the_psp_webhook_base64_as_the_stage_passes_it(sandbox, seen):
    """R11 (the PSP webhook), template.yaml BinaryMediaTypes */*: Mollie posts
    ``id=tr_...`` as application/x-www-form-urlencoded, which API Gateway passes on base64
    with isBase64Encoded. Given the sandbox's PSP calling the webhook, when it posts, then
    the function gets the form base64 (it got it as text) and reads it (200)."""
    answer = sandbox.post_psp_webhook("id=tr_unknown123")
    (event,) = seen
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"id=tr_unknown123"
    assert answer["statusCode"] == 200
