"""The query parameters real clients send to the provider and operator APIs (interfaces.md
§2 errors, §6; inputs54): a parameter a route does not declare is a 400 naming it, on
both APIs; and no query, however garbled, gets a 5xx (a sample with hypothesis here; the
longer run is `make chaos`, "fuzzed query parameters")."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local.seed import DENTAL
from tests.functional.query_routes import CALLERS, QUERY_PIECES, QueryRoute, query_routes

OPERATOR = CALLERS["operator"]
AUDIT = "/api/v1/operator/audit"
PERIOD = {"provider_id": DENTAL.provider_id, "from": "2026-11-01", "to": "2026-11-30"}


@pytest.mark.parametrize(
    ("path", "query", "unknown"),
    [
        (AUDIT, PERIOD | {"format": "csv"}, "format"),
        (AUDIT, PERIOD | {"format": "xml"}, "format"),
        (AUDIT, PERIOD | {"patient": "PAT000001"}, "patient"),
        ("/api/v1/operator/providers", {"provider_id": DENTAL.provider_id}, "provider_id"),
        ("/api/v1/operator/payouts", {"week": "2026-W47"}, "week"),
    ],
    ids=["audit format=csv", "audit format=xml", "audit patient", "providers", "payouts"],
)
def test_the_operator_api_refuses_a_query_parameter_its_route_does_not_declare(
    sandbox, path, query, unknown
):
    """interfaces.md §2 errors, §6 (inputs54; as the provider API since INTERFACES2).
    Given the operator API
    When a list is asked with a parameter its route does not declare (the audit has no
    CSV: ?format=csv; a filter by a name it does not know)
    Then 400 validation_error naming query.<it>, in Dutch and English (before: 200, the
    JSON list as if the parameter held: a CSV asked for came as JSON, a filter asked for
    answered the whole list)."""
    status, answer = sandbox.api("GET", path, caller=OPERATOR, query=query)

    assert status == 400, answer
    assert answer["error"]["code"] == "validation_error"
    [field] = answer["error"]["fields"]
    assert field["field"] == f"query.{unknown}"
    assert field["message"] == "is geen parameter van deze route / not a parameter of this route"
    # And the same request without it is answered
    declared = {name: value for name, value in query.items() if name != unknown}
    assert sandbox.api("GET", path, caller=OPERATOR, query=declared)[0] == 200


VALUES = st.one_of(
    st.text(max_size=60), st.lists(st.sampled_from(QUERY_PIECES), max_size=4).map("".join)
)


@st.composite
def requests(draw: st.DrawFn, routes: list[QueryRoute]) -> tuple[QueryRoute, dict[str, str]]:
    """A route and a query: some of its parameters, at times one it does not declare."""
    route = draw(st.sampled_from(routes))
    names = draw(st.lists(st.sampled_from(route.parameters or ("x",)), unique=True))
    query = {name: draw(VALUES) for name in names}
    if draw(st.booleans()):
        query[draw(st.text(min_size=1, max_size=12))] = draw(VALUES)
    return route, query


def test_no_query_gets_a_5xx(sandbox):
    """interfaces.md §2 errors ("never a stack trace"), §6 (inputs54: counted 0 of 8,000
    fuzzed requests before; this keeps it so). Given every GET route of the provider and
    operator APIs with real ids
    When asked with hypothesis's queries: declared and undeclared names, any text, a '+'
    that arrived as a space, dates, numbers, control characters
    Then each answer is below 500, and (answers_as_documented, conftest) one its OpenAPI
    document describes."""
    routes = query_routes(sandbox)
    assert len(routes) >= 20 and sum(bool(r.parameters) for r in routes) >= 12
    statuses: set[int] = set()

    @settings(
        max_examples=120,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(requests(routes))
    def asked(request: tuple[QueryRoute, dict[str, str]]) -> None:
        route, query = request
        status, answer = sandbox.api("GET", route.path, caller=CALLERS[route.api], query=query)
        statuses.add(status)
        assert status < 500, (route, query, answer)

    asked()
    # The sample reached past the validation too: some asked were answered, some refused
    assert {200, 400} <= statuses
