"""One behaviour on every JSON route of the three APIs (issue 13 items 10 and 14): a body that
is not declared JSON is 415 with a message that says what to send, a body Python cannot
read safely is 400 (never a 5xx), and no error message repeats the body. A forged paging
cursor is 400."""

from __future__ import annotations

import base64
import json
import re

import pytest

from billing_core.entrypoints.http.middleware import PATIENT_MAX_BODY_BYTES
from local.resources import load_template
from local.sandbox import ApiRoutes, Caller
from local.seed import DENTAL

VALUES = {
    "reference": "12345678901234",
    "invoice_id": "3f1c0a52-8d0e-4b7a-9c55-0e2d7f4b9a10",
    "action_id": "objection-1",
    "provider_id": DENTAL.provider_id,
    "email": "assistent@example.nl",
    "batch_id": "PO-2026-W48",
    "credit_id": "c-1",
    "psp_payment_id": "tr_fake000001",
    "declaration_id": "20261123090000-1a2b3c4d",
    "migration": "invoice-names-kenmerk-markers-handover-ids",
}
JSON_ROUTES = [
    (route.method, re.sub(r"\{(\w+)\}", lambda m: VALUES[m[1]], route.path), route.function)
    for route in ApiRoutes.from_template(load_template()).routes
    if route.method in ("POST", "PATCH") and route.path.startswith("/api/")
]
ROUTE_IDS = [f"{method} {path}" for method, path, _ in JSON_ROUTES]
DEFERRAL = f"/api/v1/invoices/{VALUES['reference']}/deferral"


def call(sandbox, method, path, function, body, content_type):
    headers = {"Content-Type": content_type}
    if function == "operator_api":
        return sandbox.api(method, path, caller=Caller.operator(), body=body, headers=headers)
    provider = DENTAL.provider_id if function == "provider_api" else None
    return sandbox.api(method, path, provider_id=provider, body=body, headers=headers)


def deepest_nesting_that_fits(function):
    """5,000 deep, or as deep as the patient API's body limit lets a body be."""
    depth = 5000 if function != "patient_api" else PATIENT_MAX_BODY_BYTES // 2 - 100
    return "[" * depth + "]" * depth


def test_every_json_route_of_both_apis_is_checked():
    assert {function for _, _, function in JSON_ROUTES} == {
        "provider_api",
        "patient_api",
        "operator_api",
    }
    assert len(JSON_ROUTES) >= 9


def test_json_python_cannot_read_safely_is_a_400(sandbox, subtests):
    # One sandbox for every route: each body is refused before anything is done (make
    # test's time); each route is its own subtest.
    huge_number = '{"birth_date": ' + "7" * 5001 + "}"
    for (method, path, function), route in zip(JSON_ROUTES, ROUTE_IDS, strict=True):
        with subtests.test(route=route):
            for body in (huge_number, deepest_nesting_that_fits(function)):
                status, answer = call(sandbox, method, path, function, body, "application/json")
                assert (status, answer["error"]["code"]) == (400, "validation_error")
                assert "7777" not in answer["error"]["message"]


def test_a_body_over_the_patient_apis_limit_is_413_also_when_deeply_nested(sandbox):
    body = "[" * 5000 + "]" * 5000
    status, answer = call(sandbox, "POST", DEFERRAL, "patient_api", body, "application/json")
    assert (status, answer["error"]["code"]) == (413, "too_large")


@pytest.mark.parametrize(
    "content_type", ["", "application/x-www-form-urlencoded", "text/plain"], ids=repr
)
def test_a_body_not_declared_json_is_415_saying_what_to_send(sandbox, subtests, content_type):
    # As curl -d sends it without -H: a form, whose "field name" is the whole JSON text.
    # One sandbox per content type: each body is refused before anything is done.
    body = '{"file_name": "week-47.csv", "secret_field_x": 1}'
    for (method, path, function), route in zip(JSON_ROUTES, ROUTE_IDS, strict=True):
        with subtests.test(route=route):
            status, answer = call(sandbox, method, path, function, body, content_type)
            assert (status, answer["error"]["code"]) == (415, "unsupported_media_type")
            assert "Content-Type: application/json" in answer["error"]["message"]
            assert "secret_field_x" not in json.dumps(answer)


def _token(position: str) -> str:
    raw = json.dumps({"after": position}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "path, position",
    [
        ("/api/v1/provider/invoices", "2026-11-01#PROVIDER#fysio-centrum#INVOICE#x"),
        ("/api/v1/provider/invoices", "~"),
        ("/api/v1/provider/declarations", "x#PROVIDER#fysio-centrum"),
    ],
)
def test_a_forged_cursor_is_a_400(sandbox, path, position):
    status, answer = sandbox.api(
        "GET", path, provider_id=DENTAL.provider_id, query={"cursor": _token(position)}
    )
    assert (status, answer["error"]["code"]) == (400, "invalid_cursor")


def test_a_cursor_of_another_period_is_a_400(sandbox):
    status, answer = sandbox.api(
        "GET",
        "/api/v1/provider/invoices",
        provider_id=DENTAL.provider_id,
        query={"from": "2026-11-01", "to": "2026-11-30", "cursor": _token("2025-01-01#x")},
    )
    assert (status, answer["error"]["code"]) == (400, "invalid_cursor")


def test_json_as_the_stage_passes_it_base64_is_read_as_json(sandbox, subtests):
    """interfaces.md §2, template.yaml BinaryMediaTypes (every type binary, for the
    checker's PDF): on the stage every body reaches the function base64-encoded. Given
    readable JSON so passed, when it reaches the guard, then it is not the guard's 400 "not
    valid JSON" (its base64 text is no JSON); JSON Python cannot read so passed still is.
    One sandbox, every route a subtest (what one route's body does concerns no other)."""
    readable = b'{"birth_date": "1980-01-01", "file_name": "week-47.csv"}'
    huge_number = b'{"birth_date": ' + b"7" * 5001 + b"}"
    for (method, path, function), route in zip(JSON_ROUTES, ROUTE_IDS, strict=True):
        with subtests.test(route=route):
            _, answer = call(sandbox, method, path, function, readable, "application/json")
            assert "not valid JSON" not in json.dumps(answer)
            status, answer = call(sandbox, method, path, function, huge_number, "application/json")
            assert (status, answer["error"]["code"]) == (400, "validation_error")
