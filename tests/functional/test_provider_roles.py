"""Every provider route x every practice role (R32, interfaces.md §7): viewer reads; staff
also uploads, stops, holds, works actions and sends retour files; admin also settings
and users. The routes come from the provider app itself, so a new route without a role
here fails the first test."""

from __future__ import annotations

import copy
import json

import pytest

from billing_core.providers.users import Role
from functions.provider_api.app import app
from local.sandbox import Caller
from local.seed import DENTAL

INVOICE = "/api/v1/provider/invoices/{invoice_id}"
UNKNOWN_INVOICE = "00000000-0000-4000-8000-000000000000"
STOP = {
    "scope": "full",
    "reason": "non_contracted_coulance",
    "patient_email": "patient@example.org",
    "accept_terms": True,
}

# (method, OpenAPI path) -> (least role, the request's path, query and body)
NEEDED = {
    ("get", "/api/v1/provider/declarations"): ("viewer", None, None, None),
    ("get", "/api/v1/provider/declarations/template.csv"): ("viewer", None, None, None),
    ("post", "/api/v1/provider/declarations"): ("staff", None, None, {"file_name": "week.csv"}),
    ("get", "/api/v1/provider/declarations/{declaration_id}"): (
        "viewer",
        "/api/v1/provider/declarations/20261123-unknown",
        None,
        None,
    ),
    ("get", "/api/v1/provider/invoices"): ("viewer", None, None, None),
    ("post", "/api/v1/provider/invoices/search"): ("viewer", None, None, {"name": "Bakker"}),
    ("get", INVOICE): ("viewer", INVOICE.format(invoice_id=UNKNOWN_INVOICE), None, None),
    ("post", f"{INVOICE}/stop"): (
        "staff",
        f"{INVOICE.format(invoice_id=UNKNOWN_INVOICE)}/stop",
        None,
        STOP,
    ),
    ("post", f"{INVOICE}/hold"): (
        "staff",
        f"{INVOICE.format(invoice_id=UNKNOWN_INVOICE)}/hold",
        None,
        {"until": "2026-12-01", "reason": "bezwaar"},
    ),
    ("get", "/api/v1/provider/actions"): ("viewer", None, None, None),
    ("get", "/api/v1/provider/actions/{action_id}"): (
        "viewer",
        "/api/v1/provider/actions/act-unknown",
        None,
        None,
    ),
    ("get", "/api/v1/provider/insurer-claims"): ("viewer", None, None, None),
    ("get", "/api/v1/provider/insurer-claims/{uzovi}"): (
        "viewer",
        "/api/v1/provider/insurer-claims/7095",
        None,
        None,
    ),
    ("patch", "/api/v1/provider/actions/{action_id}"): (
        "staff",
        "/api/v1/provider/actions/act-unknown",
        None,
        {"state": "done"},
    ),
    ("get", "/api/v1/provider/retrocessions"): ("viewer", None, None, None),
    ("get", "/api/v1/provider/retrocessions/{week}"): (
        "viewer",
        "/api/v1/provider/retrocessions/2026-W47",
        None,
        None,
    ),
    ("get", "/api/v1/provider/debtor-risk"): ("viewer", None, None, None),
    ("get", "/api/v1/provider/blocked-patients"): ("viewer", None, None, None),
    ("get", "/api/v1/provider/blocked-patients/changes"): (
        "viewer",
        None,
        {"since": "2026-11-01T00:00:00+01:00"},
        None,
    ),
    ("post", "/api/v1/provider/retour-files"): (
        "staff",
        None,
        None,
        {"file_name": "vgz-retour.pm305"},
    ),
    ("get", "/api/v1/provider/settings"): ("admin", None, None, None),
    ("patch", "/api/v1/provider/settings"): (
        "admin",
        None,
        None,
        {"version": 1, "contact": {"phone": "030 765 4321"}},
    ),
    ("get", "/api/v1/provider/users"): ("admin", None, None, None),
    ("get", "/api/v1/provider/users/history"): ("admin", None, None, None),
    # who read the practice's data (R32, NEN 7513): the admin's, as the users are
    ("get", "/api/v1/provider/audit"): (
        "admin",
        None,
        {"from": "2026-11-23", "to": "2026-11-23", "patient_ref": "PAT000001"},
        None,
    ),
    ("post", "/api/v1/provider/users"): (
        "admin",
        None,
        None,
        {"email": "nieuw@example.org", "role": "viewer"},
    ),
    ("delete", "/api/v1/provider/users/{email}"): (
        "admin",
        "/api/v1/provider/users/collega@example.org",
        None,
        None,
    ),
    ("patch", "/api/v1/provider/users/{email}"): (
        "admin",
        "/api/v1/provider/users/collega@example.org",
        None,
        {"role": "staff"},
    ),
}
RANK = ("viewer", "staff", "admin")


def provider_routes() -> set[tuple[str, str]]:
    document = json.loads(app.get_openapi_json_schema())
    return {
        (method, path)
        for path, operations in document["paths"].items()
        if path.startswith("/api/v1/provider/")
        for method in operations
    }


def test_every_provider_route_names_the_role_it_needs():
    assert provider_routes() == set(NEEDED)


def everything(sandbox):
    """What a refused request must leave as it was: the table, the users, the e-mails."""
    return (
        copy.deepcopy(sandbox.runtime.repository._table.scan()["Items"]),
        sandbox.runtime.user_directory.everyone(),
        len(sandbox.outbox()),
    )


@pytest.mark.parametrize("role", [*RANK, None])
def test_each_role_may_do_what_it_needs_and_a_lower_role_changes_nothing(sandbox, role):
    # Given a colleague to disable, and a user of the dental practice in this role
    sandbox.runtime.user_directory.invite(DENTAL.provider_id, "collega@example.org", Role.VIEWER)
    user = Caller.practice(DENTAL.provider_id, role or "", user_id=f"user-{role}")
    for (method, route), (needed, path, query, body) in NEEDED.items():
        before = everything(sandbox)
        # When the user calls the route
        status, answer = sandbox.api(
            method.upper(), path or route, caller=user, query=query, body=body
        )
        # Then a role at least the one needed passes; a lower one is refused, and nothing changed
        allowed = role is not None and RANK.index(role) >= RANK.index(needed)
        if allowed:
            assert status not in (400, 401, 403, 500), (method, route, status, answer)
        else:
            assert (status, answer["error"]["code"]) == (403, "role_too_low"), (method, route)
            assert everything(sandbox) == before, (method, route)
