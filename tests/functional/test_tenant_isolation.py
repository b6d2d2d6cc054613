"""Tenant isolation over every route that names a thing (R26, R32; NEN 7510): a practice's
user never reads or changes another practice's data by its ids.

One world: the dental practice (A) with one of each thing a route names (an upload, its
insurer-claim export, invoices and their letters, an open action, a week's statement, a
blocked patient, its users). The physiotherapy practice's admin (B) asks every provider
API route and every portal route with A's ids. The routes come from template.yaml (the
query parameters from the apps' own OpenAPI document and the portal routes' ``takes``),
so a route added tomorrow is asked too: a parameter this file does not know fails it.
A route's cursor is one A's own list of that kind handed out (a position in A's list,
not another list's, which is refused before any read; a route with a cursor this file
does not know the list of fails it), and each route that gives files (CSV, JSON) is asked
for each of them with A's things as well (audit tenants56).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import boto3
import pytest

from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.web.portal import pages
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.shared.reference import check_digit
from functions.provider_api.app import app as provider_app
from functions.provider_portal.routes import pages as portal_routes
from local.resources import load_template
from local.sandbox import ApiRoutes, Caller, Sandbox
from local.seed import DENTAL, PHYSIO, SAMPLE_USERS
from tests.functional.conftest import MONDAY_AFTER_W48, TODAY, delivered_dental_week, emailed
from tests.functional.test_action_and_insurer_claim_routes import VGZ, insurer_bound_upload
from tests.functional.test_provider_portal import PortalUser, object_to, sample_login

A, B = DENTAL.provider_id, PHYSIO.provider_id
ROOT = Path(__file__).resolve().parents[2]
PORTAL_ROUTES_SOURCE = ROOT / "functions" / "provider_portal" / "routes" / "pages.py"
WEEK = "2026-W48"  # the week of A's paid invoice (its statement, R24)
ROUTES = ApiRoutes.from_template(load_template()).routes

# Query parameters that name no thing of a practice: a filter, a page size, a format.
NOT_A_THING = {"state", "status", "from", "to", "limit", "format", "since", "done"}
# Path parameters that name no thing of a practice (a page part, a form, a language).
PORTAL_NOT_A_THING = {"part", "language", "proxy", "change"}
# Names every practice uses alike (an insurer, a week): B gets its own, never A's.
SHARED_NAMES = {"uzovi", "week", "before", "after", "cursor"}
# What a list route needs besides the thing asked, so that it reaches its lookup (not the
# 400 a missing parameter gets): the same for A's list that hands out a cursor and for B.
LIST_QUERIES: dict[str, dict[str, str]] = {
    "/api/v1/provider/blocked-patients/changes": {"since": "2026-11-01"},
    "/api/v1/provider/audit": {"from": "2026-11-01", "to": "2026-12-31"},
}
# The API list whose next_cursor each route's "cursor" takes: B asks with a cursor A's own
# list of that kind handed out (a position in A's list), not with another list's, which
# is refused before any read. A route taking a cursor that is not here fails the sweep.
CURSOR_LISTS: dict[str, str] = {
    "/api/v1/provider/declarations": "/api/v1/provider/declarations",
    "/api/v1/provider/invoices": "/api/v1/provider/invoices",
    "/api/v1/provider/blocked-patients": "/api/v1/provider/blocked-patients",
    "/api/v1/provider/blocked-patients/changes": "/api/v1/provider/blocked-patients/changes",
    "/api/v1/provider/audit": "/api/v1/provider/audit",
    "/api/v1/provider/actions": "/api/v1/provider/actions",
    "/portal/declaraties": "/api/v1/provider/declarations",
    "/portal/declaraties/{declaration_id}": "/api/v1/provider/invoices",  # its invoices
    "/portal/notas": "/api/v1/provider/invoices",
    "/portal/geblokkeerd": "/api/v1/provider/blocked-patients",
    "/portal/inzage": "/api/v1/provider/audit",
    "/portal/acties": "/api/v1/provider/actions",
}


# Routes that list B's own reads (R32, NEN 7513): B's earlier asks in this sweep for A's
# patient number are B's own history, said with that number, so their page differs from
# the page for another. A read of A's names A's invoices and readers: those stay marks.
OWN_READS = {"/api/v1/provider/audit", "/portal/inzage"}


# --- the world --------------------------------------------------------------------------


def a_world(sandbox: Sandbox) -> dict[str, Any]:
    """Given practice A's things of every kind, and B's admin signed in nowhere yet: the
    values a route may name ({parameter: (A's value, an unknown one of the same shape)})
    and what of A no answer to B may contain."""
    sandbox.invite_sample_users()
    declaration_id = insurer_bound_upload(sandbox, A, VGZ, "vgz.csv", line=99)
    invoices = delivered_dental_week(sandbox, 3, "week-48.csv")  # two patients
    invoice = emailed(invoices)[0]
    paid = next(i for i in invoices if i.invoice_id != invoice.invoice_id)
    # Two open actions (R16): a list of two pages (R23); the first names the invoice.
    object_to(sandbox, invoice)
    [action] = sandbox.runtime.repository.list_actions(A)
    sandbox.clock.advance(minutes=1)  # the second after the first: an order of its own
    object_to(sandbox, paid)
    transfer = IncomingPayment("bank", "ISO-48-1", paid.amount_due_cents, sandbox.clock.now())
    book_payment(sandbox.runtime.repository, paid.reference, transfer, clock=sandbox.clock)
    for blocked in (paid, invoice):  # two blocked patients: a list of two pages (R22)
        sandbox.runtime.repository.block_patient(
            A, blocked.patient_ref, blocked.invoice_id, sandbox.clock.now()
        )
    for _ in range(2):  # two reads in A's access log (R32): a list of two pages
        sandbox.api("GET", f"/api/v1/provider/invoices/{invoice.invoice_id}", provider_id=A)
    sandbox.clock.set(MONDAY_AFTER_W48)
    sandbox.run_retrocession()
    staff = next(u.email for u in SAMPLE_USERS if u.provider_id == A and u.role == "staff")
    cursors = {path: a_next_cursor(sandbox, path) for path in set(CURSOR_LISTS.values())}
    a_cursor = cursors["/api/v1/provider/invoices"]
    assert invoice.correspondence, "A's world lacks a letter"
    offset = cursor.encode_offset(1)  # a report's second row onwards
    unknown_kenmerk = f"{check_digit('2999999999999')}2999999999999"
    values = {
        "declaration_id": (declaration_id, "20260101000000-0badc0de"),
        "invoice_id": (invoice.invoice_id, "00000000-0000-4000-8000-000000000000"),
        "action_id": (action.action_id, _same_shape(action.action_id)),
        "email": (staff, "niemand-hier@example.org"),
        "patient_ref": (invoice.patient_ref, _same_shape(invoice.patient_ref)),
        "patient": (invoice.patient_ref, _same_shape(invoice.patient_ref)),
        "reference": (invoice.reference, unknown_kenmerk),
        "kenmerk": (invoice.reference, unknown_kenmerk),
        "name": (invoice.patient.last_name, "Zzyzxbergen"),
        "position": ("0", "0"),  # with the invoice: its first letter
        "uzovi": (VGZ, VGZ),
        "week": (WEEK, WEEK),
        "before": ("2026-W49", "2026-W49"),
        "after": (f"{VGZ}/{declaration_id}.csv", f"{VGZ}/{declaration_id}.csv"),
        "cursor": (a_cursor, a_cursor),
        "findings_cursor": (offset, offset),
        "retour_codes_cursor": (offset, offset),
        "meldingen": (offset, offset),
        "retourcodes": (offset, offset),
    }
    marks = {A, declaration_id, action.action_id, staff, paid.reference, paid.invoice_id}
    for each in invoices:
        marks |= {each.invoice_id, each.reference, each.patient_ref, each.patient.last_name}
    return {"values": values, "marks": marks, "invoice": invoice, "cursors": cursors}


def a_next_cursor(sandbox: Sandbox, path: str) -> str:
    """The cursor of the second page of A's list at ``path``, as A's admin is handed it."""
    query = LIST_QUERIES.get(path, {}) | {"limit": "1"}
    status, listed = sandbox.api("GET", path, provider_id=A, query=query)
    assert status == HTTPStatus.OK and listed["next_cursor"], f"A's {path} has no second page"
    return str(listed["next_cursor"])


def route_values(
    path: str, values: dict[str, tuple[str, str]], cursors: dict[str, str]
) -> dict[str, tuple[str, str]]:
    """The values asked of the route at ``path``: its "cursor" one its own list's."""
    if path not in CURSOR_LISTS:
        return values
    own = cursors[CURSOR_LISTS[path]]
    return values | {"cursor": (own, own)}


def _same_shape(value: str) -> str:
    """An unknown value shaped as ``value``: its digits and letters shifted by one."""
    return "".join(
        chr((ord(c) - 47) % 10 + 48) if c.isdigit() else ("q" if c.isalpha() else c) for c in value
    )


def a_snapshot(sandbox: Sandbox) -> dict[str, Any]:
    """Everything stored of A: every table item naming it, its users, its objects."""
    dynamodb = boto3.client("dynamodb")
    items = []
    for table in sorted(dynamodb.list_tables()["TableNames"]):
        for page in dynamodb.get_paginator("scan").paginate(TableName=table):
            items += [json.dumps(i, sort_keys=True) for i in page["Items"] if A in json.dumps(i)]
    users = sorted(repr(u) for u in sandbox.users() if u.provider_id == A)
    s3 = boto3.client("s3")
    objects = []
    for bucket in s3.list_buckets()["Buckets"]:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket["Name"]):
            objects += [(bucket["Name"], o["Key"], o["ETag"]) for o in page.get("Contents", [])]
    return {
        "items": sorted(items),
        "users": users,
        "objects": sorted(o for o in objects if A in o[1]),
    }


def filled(path: str, values: dict[str, tuple[str, str]], which: int) -> str:
    """``path`` with A's values (``which`` 0) or unknown ones (1) for the things it names."""

    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        return quote(values[name][which], safe="") if name in values else m.group(0)

    return re.sub(r"\{(\w+)\}", value, path)


def own_asks(route: str, values: dict[str, tuple[str, str]]) -> set[str]:
    """What of A a route listing B's own reads names as B asked for it: A's patient number."""
    return {values["patient_ref"][0]} if route in OWN_READS else set()


def leaked(answer: Any, marks: set[str]) -> set[str]:
    text = answer if isinstance(answer, str) else json.dumps(answer)
    return {mark for mark in marks if mark in text}


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Sandbox, dict[str, Any]]]:
    """One world for both sweeps: a refusal changes nothing (each sweep checks it)."""
    with Sandbox(TODAY) as box:
        yield box, a_world(box)


# --- the provider API ---------------------------------------------------------------------

# What each write route is sent: a body its validation takes, so the lookup is reached.
API_BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/provider/invoices/{invoice_id}/stop"): {
        "scope": "full",
        "reason": "goodwill",
        "accept_terms": True,
    },
    ("POST", "/api/v1/provider/invoices/{invoice_id}/hold"): {
        "until": "2026-12-14",
        "reason": "kijken",
    },
    ("PATCH", "/api/v1/provider/actions/{action_id}"): {"state": "done"},
    ("PATCH", "/api/v1/provider/users/{email}"): {"role": "viewer"},
}
# Routes whose body names a thing (not in their path or query): what B sends with A's.
API_BODY_THINGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("POST", "/api/v1/provider/invoices/search"): ("name", "patient_ref", "reference"),
}


def api_query_parameters() -> dict[tuple[str, str], dict[str, Any]]:
    """{(method, path): {its query parameter: its schema}}, from the provider API's OpenAPI
    document."""
    document = json.loads(provider_app.get_openapi_json_schema())
    return {
        (method.upper(), path): {
            p["name"]: p["schema"] for p in op.get("parameters", []) if p["in"] == "query"
        }
        for path, operations in document["paths"].items()
        for method, op in operations.items()
    }


def in_each_format(probe: dict[str, Any], formats: Sequence[str]) -> Iterator[dict[str, Any]]:
    """``probe`` as it is and once more in each of its route's formats (a CSV file, a
    statement's JSON file): a file is asked with A's things as its page is."""
    yield probe
    for each in formats:
        query = tuple(asked | {"format": each} for asked in probe["query"])
        yield probe | {"query": query}


def api_probes(
    values: dict[str, tuple[str, str]], cursors: dict[str, str]
) -> Iterator[dict[str, Any]]:
    """One request per route that names a thing: by its path, or by one query parameter
    (or body field) at a time; with A's value and with an unknown one alike; and so in
    each format the route gives."""
    queries = api_query_parameters()
    provider_routes = [r for r in ROUTES if r.path.startswith("/api/v1/provider/")]
    assert len(provider_routes) > 25
    for route in provider_routes:
        key = (route.method, route.path)
        known = route_values(route.path, values, cursors)
        in_path = re.findall(r"\{(\w+)\}", route.path)
        in_query = [q for q in queries[key] if q not in NOT_A_THING]
        unknown = [p for p in in_path + in_query if p not in known]
        assert not unknown, f"{key}: add {unknown} to this file's values (R26)"
        assert "cursor" not in in_query or route.path in CURSOR_LISTS, f"{key}: add its list"
        if not in_path and not in_query and key not in API_BODY_THINGS:
            continue
        paths = {which: filled(route.path, known, which) for which in (0, 1)}
        needs = LIST_QUERIES.get(route.path, {})
        formats = queries[key].get("format", {}).get("enum", [])
        base = {"route": key, "path_things": in_path, "body": API_BODIES.get(key)}
        if in_path:
            yield from in_each_format(base | {"paths": paths, "query": (needs, needs)}, formats)
        for name in in_query:
            query = (needs | {name: known[name][0]}, needs | {name: known[name][1]})
            yield from in_each_format(base | {"paths": paths, "query": query}, formats)
        for name in API_BODY_THINGS.get(key, ()):
            yield base | {
                "paths": paths,
                "query": ({}, {}),
                "body": {"name": "x", name: known[name][0]},
            }


def test_another_practices_admin_reaches_nothing_of_a_practice_by_its_ids(world, subtests):
    """R26 "a provider sees and changes only its own declarations, invoices, patients and
    statements": Given A's things of every kind / When B's admin asks every provider API
    route with A's id (in its path, query or body) / Then a route keyed by A's id answers
    404 exactly as it does for an unknown id (no existence oracle), a name every practice
    has (an insurer, a week, a list) answers B's own; no answer holds an id, name or
    kenmerk of A, and nothing of A is changed."""
    sandbox, things = world
    values, marks = things["values"], things["marks"]
    b_admin = Caller.practice(B, "admin")
    before = a_snapshot(sandbox)
    for probe in api_probes(values, things["cursors"]):
        method, route = probe["route"]
        with subtests.test(route=f"{method} {route}", query=probe["query"][0], body=probe["body"]):
            asked = [
                sandbox.api(
                    method,
                    probe["paths"][which],
                    caller=b_admin,
                    query=probe["query"][which] or None,
                    body=probe["body"],
                    headers={"Idempotency-Key": f"k-{which}-{id(probe)}"}
                    if method != "GET"
                    else None,
                )
                for which in (0, 1)
            ]
            (status, answer), (unknown_status, unknown_answer) = asked
            assert not leaked(answer, marks - own_asks(route, values)), f"{status}: {answer}"
            if set(probe["path_things"]) - SHARED_NAMES:
                assert (status, answer) == (unknown_status, unknown_answer)
                assert status == HTTPStatus.NOT_FOUND, answer
            else:
                assert status == HTTPStatus.OK, answer  # the lookup is reached
                for count in ("total", "count", "total_count"):
                    if isinstance(answer, dict) and count in answer:
                        assert answer[count] == unknown_answer[count]
    assert a_snapshot(sandbox) == before  # nothing of A changed, nothing read into its log


# --- the portal ---------------------------------------------------------------------------

# What each form of the portal is sent besides its CSRF token and one-time key: what its
# page's form sends, so the lookup is reached.
PORTAL_FORMS: dict[str, dict[str, str]] = {
    "/portal/notas/{invoice_id}/stop": {
        "scope": "full",
        "reason": "goodwill",
        "accept_terms": "yes",
    },
    "/portal/notas/{invoice_id}/hold": {"until": "2026-12-14", "reason": "kijken"},
    "/portal/acties/{action_id}": {"state": "done"},
}
# Forms whose fields name a thing (the search; a colleague by address): {path: {field:
# the value's name}}, each field asked alone.
PORTAL_FORM_THINGS: dict[str, dict[str, str]] = {
    "/portal/notas": {"kenmerk": "kenmerk", "name": "name", "patient": "patient"},
    "/portal/instellingen/gebruikers/rol": {"email": "email"},
    "/portal/instellingen/gebruikers/uitschakelen": {"email": "email"},
}


def portal_route_keywords(keyword: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """{(method, path): the value of ``keyword`` its page is served with (() without)},
    read from the portal's routes (functions/provider_portal/routes/pages.py): the query
    parameters it ``takes``, the files its ``formats`` give; one added there is asked here."""
    tree = ast.parse(PORTAL_ROUTES_SOURCE.read_text(encoding="utf-8"))
    found = {}
    for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        for decorator in (d for d in function.decorator_list if isinstance(d, ast.Call)):
            if decorator.func.attr in ("get", "post"):
                path = re.sub(r"<(\w+)>", r"{\1}", decorator.args[0].value)
                given: tuple[str, ...] = ()
                for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                    for named in (k for k in call.keywords if k.arg == keyword):
                        given = _constant(named.value)
                found[(decorator.func.attr.upper(), path)] = given
    return found


def _constant(value: ast.expr) -> tuple[str, ...]:
    """A route's keyword value: a constant of ``pages`` (pages.X), of the routes' module
    (BOTH) or written out."""
    if isinstance(value, ast.Attribute):
        return tuple(getattr(pages, value.attr))
    if isinstance(value, ast.Name):
        return tuple(getattr(portal_routes, value.id))
    return tuple(ast.literal_eval(value))


def portal_probes(
    values: dict[str, tuple[str, str]], cursors: dict[str, str]
) -> Iterator[dict[str, Any]]:
    """As ``api_probes``, for the portal's routes in template.yaml."""
    queries = portal_route_keywords("takes")
    formats = portal_route_keywords("formats")
    portal_routes = [r for r in ROUTES if r.path.startswith("/portal/") and not r.greedy]
    assert len(portal_routes) > 20
    for route in portal_routes:
        key = (route.method, route.path)
        known = route_values(route.path, values, cursors)
        in_path = [p for p in re.findall(r"\{(\w+)\}", route.path) if p not in PORTAL_NOT_A_THING]
        in_query = [q for q in queries.get(key, ()) if q not in NOT_A_THING]
        unknown = [p for p in in_path + in_query if p not in known]
        assert not unknown, f"{key}: add {unknown} to this file's values (R26)"
        assert "cursor" not in in_query or route.path in CURSOR_LISTS, f"{key}: add its list"
        paths = {which: filled(route.path, known, which) for which in (0, 1)}
        base = {
            "route": key,
            "path_things": in_path,
            "paths": paths,
            "form": PORTAL_FORMS.get(route.path),
        }
        files = formats.get(key, ())
        if in_path:
            assert route.method == "GET" or route.path in PORTAL_FORMS, f"{key}: add its form"
            yield from in_each_format(base | {"query": ({}, {})}, files)
        for name in in_query:
            query = ({name: known[name][0]}, {name: known[name][1]})
            yield from in_each_format(base | {"query": query}, files)
    for path, fields in PORTAL_FORM_THINGS.items():
        for field, name in fields.items():
            extra = {"role": "viewer"} if field == "email" else {}
            forms = ({field: values[name][0]} | extra, {field: values[name][1]} | extra)
            yield {
                "route": ("POST", path),
                "path_things": [],
                "paths": {0: path, 1: path},
                "query": ({}, {}),
                "forms": forms,
            }


def portal_answer(user: PortalUser, probe: dict[str, Any], which: int, n: int) -> tuple[int, str]:
    method, _ = probe["route"]
    target = probe["paths"][which]
    if probe["query"][which]:
        target += "?" + urlencode(probe["query"][which])
    if method == "GET":
        return user.page(target)
    form = probe.get("forms", ({}, {}))[which] or probe["form"] or {}
    fields = {"csrf": user.csrf(), "form_key": f"isolation-{n}-{which}", **form}
    body = urlencode(fields).encode()
    status, headers, html = user.request("POST", target, body, "application/x-www-form-urlencoded")
    return status, html + headers.get("Location", "")


def comparable(html: str, asked: dict[str, str]) -> str:
    """The page without what the user typed (a search box shows it again) and without its
    forms' one-time keys."""
    for value in asked.values():
        html = html.replace(value, "«asked»").replace(quote(value, safe=""), "«asked»")
    return re.sub(r'name="form_key" value="[^"]*"', "", html)


def test_another_practices_admin_opens_nothing_of_a_practice_in_the_portal(world, subtests):
    """R26, R35: Given A's things of every kind / When B's admin, signed in to the portal,
    opens every page and posts every form that names a thing with A's id (in its path,
    query or form) / Then the very page an unknown id gets (404 for an id of A's), none of
    A's ids, names or kenmerken on it, and nothing of A changed."""
    sandbox, things = world
    values, marks = things["values"], things["marks"]
    b_admin = PortalUser(sandbox)
    b_admin.sign_in(sample_login(PHYSIO, "admin"))
    before = a_snapshot(sandbox)
    for n, probe in enumerate(portal_probes(values, things["cursors"])):
        method, route = probe["route"]
        asked = [probe["query"][w] | probe.get("forms", ({}, {}))[w] for w in (0, 1)]
        with subtests.test(route=f"{method} {route}", asked=asked[0]):
            (status, page), (unknown_status, unknown_page) = (
                portal_answer(b_admin, probe, which, n) for which in (0, 1)
            )
            shown = comparable(page, asked[0])
            assert not leaked(shown, marks - own_asks(route, values))
            assert status == unknown_status
            if route not in OWN_READS:
                assert shown == comparable(unknown_page, asked[1])
            if set(probe["path_things"]) - SHARED_NAMES:
                assert status == HTTPStatus.NOT_FOUND
            elif "cursor" in probe["query"][0]:  # A's position is read in B's list, not refused
                assert status == HTTPStatus.OK, page
    assert a_snapshot(sandbox) == before
