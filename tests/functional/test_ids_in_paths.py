"""An id in the path of the provider and operator APIs (interfaces.md §2, R26; audit
access51): a malformed one answers the route's own 400 naming the path's field, whatever
characters it holds; a well-formed id nobody has, or another practice's, answers 404.
Before, `not-a-uuid` got the 400 but `a<NO-BREAK SPACE>b` reached no route and answered
404 "address does not exist" (Powertools' parameters take only some ASCII signs)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from local.generate import declaration_csv
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO
from tests.functional.stored_items import actions_looked_up

DOCS = Path(__file__).parents[2] / "docs" / "openapi"
CALLERS = {
    "provider": Caller.practice(DENTAL.provider_id, "admin"),
    "operator": Caller.operator("operator-sub-1"),
}
# What a well-formed value of each other parameter of a route is, beside the one tried
WELL_FORMED = {"reference": "32155743889456", "provider_id": DENTAL.provider_id}
MALFORMED = {
    "no-break space": "a\u00a0b",
    "narrow no-break space": "a\u202fb",
    "space": "a b",
    "accented letter": "é",
    "percent-encoded no-break space": "a%C2%A0b",
}


def _routes_with_ids() -> list[tuple[str, str, str, str]]:
    """(api, method, path, parameter) of every route with an id in its path; a user's
    e-mail address is not an id (any address is asked for, and found or not)."""
    found = []
    for api in CALLERS:
        paths = json.loads((DOCS / f"{api}.json").read_text(encoding="utf-8"))["paths"]
        for path, operations in paths.items():
            names = [part.split("}")[0] for part in path.split("{")[1:]]
            for method in operations:
                found += [(api, method.upper(), path, n) for n in names if n != "email"]
    return found


def _path(path: str, name: str, value: str) -> str:
    for part in [p.split("}")[0] for p in path.split("{")[1:]]:
        path = path.replace(f"{{{part}}}", value if part == name else WELL_FORMED.get(part, "x1"))
    return path


ROUTES = _routes_with_ids()


def test_the_routes_with_ids_are_found():
    # Given the APIs' documents, Then they hold the routes this file tries (no empty sweep)
    assert len(ROUTES) >= 20
    assert ("provider", "GET", "/api/v1/provider/invoices/{invoice_id}", "invoice_id") in ROUTES
    assert len(ACTION_ROUTES) == 2  # an action's GET and PATCH


@pytest.mark.parametrize(("api", "method", "path", "name"), ROUTES)
def test_a_malformed_id_answers_the_routes_400_naming_its_field(sandbox, api, method, path, name):
    """interfaces.md §2. Given a route with an id in its path
    When the id holds a no-break space, a space, an accented letter or an encoded character
    Then each answers 400 validation_error naming path.<id>, as `not-a-uuid` did for an
    invoice (before: 404 "address does not exist" for all but the space and the letter),
    told in words, not as the route's regular expression (paths54: 11 of 27 said
    "heeft niet de vorm ^...$")."""
    write = method in ("POST", "PATCH", "PUT")
    for form, value in MALFORMED.items():
        status, answer = sandbox.api(
            method,
            _path(path, name, value),
            caller=CALLERS[api],
            body={} if write else None,
            headers={"Idempotency-Key": f"ids-{form}"} if write else None,
        )
        assert status == 400, (form, answer)
        assert answer["error"]["code"] == "validation_error", (form, answer)
        fields = {field["field"]: field["message"] for field in answer["error"]["fields"]}
        assert f"path.{name}" in fields, (form, fields)
        assert "^" not in fields[f"path.{name}"], (form, fields)


def test_a_well_formed_unknown_id_and_another_practices_answer_404(sandbox):
    """R26, interfaces.md §2. Given the dental practice's invoices
    When the physio practice's admin asks for one of them, and the dental admin for a
    well-formed invoice and action id nobody has
    Then each answers 404 not_found (never 400, and never another practice's data)."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(2))
    invoice = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0][0]
    own = CALLERS["provider"]
    other = Caller.practice(PHYSIO.provider_id, "admin")
    assert sandbox.api("GET", f"/api/v1/provider/invoices/{invoice.invoice_id}", caller=own)[0] == (
        200
    )

    answers = [
        sandbox.api("GET", f"/api/v1/provider/invoices/{invoice.invoice_id}", caller=other),
        sandbox.api(
            "GET", "/api/v1/provider/invoices/3f1c0a52-8d0e-4b7a-9c55-0e2d7f4b9a10", caller=own
        ),
        sandbox.api("GET", "/api/v1/provider/actions/objection-2026-11-23-0000", caller=own),
    ]

    assert [(status, answer["error"]["code"]) for status, answer in answers] == [
        (404, "not_found")
    ] * 3


# Printable, yet in no action id we make (providers.actions.action_id_checked refuses them):
# each would break the action's address in the portal (a fragment, a query, an escape).
NOT_IN_AN_ACTION_ID = {"#": "a%23b", "?": "a%3Fb", "%": "a%25b"}
ACTION_ROUTES = [route for route in ROUTES if route[3] == "action_id"]


@pytest.mark.parametrize(("api", "method", "path", "name"), ACTION_ROUTES)
def test_an_action_id_no_action_can_have_answers_400_without_a_read(
    sandbox, api, method, path, name
):
    """interfaces.md §2, R23 (audit edges51). Given an action route
    When the id holds a '#', '?' or '%' (sent encoded), which no action id holds
    Then it answers 400 naming path.action_id, as any malformed id, and reads no action
    (before: the API's pattern took every printable character: 404 after a read)."""
    looked_up = actions_looked_up(sandbox.runtime.repository)
    write = method in ("POST", "PATCH", "PUT")
    for sign, value in NOT_IN_AN_ACTION_ID.items():
        status, answer = sandbox.api(
            method,
            _path(path, name, value),
            caller=CALLERS[api],
            body={"state": "done"} if write else None,
            headers={"Idempotency-Key": f"sign-{ord(sign)}"} if write else None,
        )
        assert status == 400, (sign, answer)
        assert [f["field"] for f in answer["error"]["fields"]] == [f"path.{name}"], sign
    assert looked_up == []


# A kenmerk as a practice or an operator types or pastes it, in the path where the route
# takes an invoice id (provider) or the bare 14 digits (operator).
TYPED_KENMERKEN = {
    "bare": "72037903166742",
    "grouped": "7203 7903 1667 42",
    "no-break spaces": "7203\u00a07903\u00a01667\u00a042",
    "dots": "7203.7903.1667.42",
}
KENMERK_ROUTES = [
    ("provider", "GET", "/api/v1/provider/invoices/{invoice_id}", "invoice_id", "reference="),
    ("operator", "POST", "/api/v1/operator/invoices/{reference}/corrections", "reference", "14"),
]


@pytest.mark.parametrize(("api", "method", "path", "name", "hint"), KENMERK_ROUTES)
def test_a_kenmerk_in_a_path_is_told_what_the_path_takes_in_words(
    sandbox, api, method, path, name, hint
):
    """interfaces.md §2 (400 validation, Dutch and English), §6 (inputs54: the path's 400
    said "heeft niet de vorm ^[0-9a-f-]{36}$" to a practice that typed a kenmerk).
    Given a kenmerk typed bare, grouped, with a PDF's no-break spaces or with dots
    When it is the provider's invoice id, or the operator's kenmerk with its spaces
    Then 400 naming path.<field> in words, no regular expression: what the path takes,
    and for the provider where a kenmerk is looked up (GET ...invoices?reference=, which
    reads it as typed)."""
    write = method == "POST"
    for form, kenmerk in TYPED_KENMERKEN.items():
        if api == "operator" and form == "bare":
            continue  # the operator's path takes it: found or not (404), not refused
        status, answer = sandbox.api(
            method,
            _path(path, name, quote(kenmerk)),
            caller=CALLERS[api],
            body={} if write else None,
            headers={"Idempotency-Key": f"kenmerk-{form}"} if write else None,
        )
        assert status == 400, (form, answer)
        [said] = [f["message"] for f in answer["error"]["fields"] if f["field"] == f"path.{name}"]
        dutch, english = said.split(" / ")
        assert "betalingskenmerk" in dutch and "betalingskenmerk" in english, said
        assert hint in dutch and hint in english, said
        assert not any(sign in said for sign in ("^", "{36}", "{14}", "pattern")), said
