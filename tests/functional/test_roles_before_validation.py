"""Who may ask is decided before what was asked (R32, R26; interfaces.md §6-7): on every
route of the operator and the provider API, a caller of the wrong role gets the 403 every
such request gets, and a request without a user the 401, whatever its body, path or query
hold; never the 400 that names the request's fields (Powertools validates the request
before any middleware or route runs, audit roles2). The routes come from the apps
themselves, so a new route is covered."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from functions.operator_api.app import app as operator_app
from functions.provider_api.app import app as provider_app
from local.sandbox import Caller
from local.seed import DENTAL
from tests.functional.test_provider_roles import NEEDED, RANK

SECRET = "zz-geheim-4711"  # a value no refusal may repeat
PATH_VALUES = {"provider_id": DENTAL.provider_id, "email": "collega@example.org"}


def routes(app: Any, prefix: str) -> Iterator[tuple[str, str, bool]]:
    """(method, OpenAPI path, takes a body) of every route of ``app`` under ``prefix``."""
    document = json.loads(app.get_openapi_json_schema())
    for path, operations in document["paths"].items():
        if path.startswith(prefix):
            for method, operation in operations.items():
                yield method, path, "requestBody" in operation


def wrong_requests(path: str, takes_body: bool) -> Iterator[dict[str, Any]]:
    """What a request may hold that the route's validation refuses: a body of unknown
    fields, an unknown query parameter (and a malformed path value), and no body at all
    where one is required."""
    concrete = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m.group(1), f"{SECRET}!"), path)
    if takes_body:
        yield {"path": concrete, "body": {f"{SECRET}-field": SECRET}, "query": {"limit": SECRET}}
    yield {"path": concrete, "body": None, "query": {f"{SECRET}-param": SECRET}}


def refused(answer: Any, status: int, code: str, actual: int) -> None:
    assert (actual, answer["error"]["code"]) == (status, code)
    assert SECRET not in json.dumps(answer)  # no field, id or value of the request
    assert "fields" not in answer["error"]


OPERATOR_ROUTES = list(routes(operator_app, "/api/v1/operator/"))
PROVIDER_ROUTES = list(routes(provider_app, "/api/v1/provider/"))


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (Caller.practice(DENTAL.provider_id, "admin"), 403, "operators_only"),
        (Caller("", ""), 401, "unauthorized"),  # no user in the token (none, or not verified)
    ],
    ids=["practice-admin", "no-user"],
)
def test_operator_routes_refuse_a_wrong_caller_before_reading_the_request(
    sandbox, who, status, code
):
    # Given every operator route (R32: operators only), and a caller who is no operator
    assert len(OPERATOR_ROUTES) > 20
    for method, path, takes_body in OPERATOR_ROUTES:
        for request in wrong_requests(path, takes_body):
            # When the caller sends a request the route's validation would refuse
            answer_status, answer = sandbox.api(method.upper(), caller=who, **request)
            # Then the 403 (401) every request of that caller gets, nothing of the request
            refused(answer, status, code, answer_status)


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (Caller.operator(), 403, "practice_users_only"),
        (Caller("", ""), 401, "unauthorized"),
    ],
    ids=["operator", "no-user"],
)
def test_provider_routes_refuse_a_caller_of_no_practice_before_reading_the_request(
    sandbox, who, status, code
):
    # Given every provider route (R26: a practice's user only), and a caller of no practice
    for method, path, takes_body in PROVIDER_ROUTES:
        for request in wrong_requests(path, takes_body):
            # When the caller sends a request the route's validation would refuse
            answer_status, answer = sandbox.api(method.upper(), caller=who, **request)
            # Then the 403 (401), nothing of the request
            refused(answer, status, code, answer_status)


@pytest.mark.parametrize("role", ["viewer", "staff"])
def test_a_role_too_low_is_refused_before_the_request_is_read(sandbox, role):
    # Given every provider route that needs more than this role (R32: staff changes,
    # admin manages settings and users), and a user of the dental practice in this role
    user = Caller.practice(DENTAL.provider_id, role)
    higher = [
        (method, path, takes_body)
        for method, path, takes_body in PROVIDER_ROUTES
        if RANK.index(NEEDED[(method, path)][0]) > RANK.index(role)
    ]
    assert higher
    for method, path, takes_body in higher:
        for request in wrong_requests(path, takes_body):
            # When the user sends a request the route's validation would refuse
            status, answer = sandbox.api(method.upper(), caller=user, **request)
            # Then the 403 the role gets for any request there, not the field list
            refused(answer, 403, "role_too_low", status)
