"""The GET routes of the provider and operator APIs with their query parameters, read from
their OpenAPI documents, each path's ids filled with one the sandbox has: what the query
fuzzing of tests/functional/test_query_inputs.py (a sample, in `make test`) and of
tests/chaos/scenarios.py (`make chaos`) asks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from local.generate import declaration_csv
from local.sandbox import Caller, Sandbox
from local.seed import DENTAL

DOCS = Path(__file__).resolve().parents[2] / "docs" / "openapi"
CALLERS = {
    "provider": Caller.practice(DENTAL.provider_id, "admin"),
    "operator": Caller.operator("operator-sub-1"),
}

# What clients put in a query, joined a few at a time: typed text of any script, control
# characters, a '+' that arrived as a space, dates and moments, numbers, our own values
# (a status, a format, a patient number in either case, a kenmerk), long ones.
QUERY_PIECES = [
    " ", "+", "%", "%2B", "\u00a0", "\t", "\x00", "\x7f", "é", "€", "\u202e", "'", "<", "&",
    "=", "#", "?", "/", "\\", ";", ",", "-", ":", "T", "Z", "W", "0", "9", "2026-11-23",
    "2026-11-23T08:00:00", "+01:00", " 01:00", "2026-W47", "2026-13", "9999-12-31", "-1",
    "1e9", "99999999999999999999", "null", "[]", "json", "csv", "open", "PAT000002",
    "pat000002", "72037903166742", "A" * 300, "💶", "NaN",
]  # fmt: skip


class QueryRoute(NamedTuple):
    api: str
    path: str  # with its ids filled in
    parameters: tuple[str, ...]  # the query parameters it declares


def query_routes(box: Sandbox) -> list[QueryRoute]:
    """Every GET route of both APIs, after the dental practice's declaration of 4 lines, so
    that its ids (an invoice, a declaration) are ones that exist."""
    box.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(4))
    invoice = box.runtime.repository.list_invoices(DENTAL.provider_id)[0][0]
    _, declarations = box.api("GET", "/api/v1/provider/declarations", caller=CALLERS["provider"])
    ids = {
        "invoice_id": invoice.invoice_id,
        "reference": invoice.reference,
        "declaration_id": declarations["items"][0]["declaration_id"],
        "provider_id": DENTAL.provider_id,
        "week": "2026-W47",
        "uzovi": "9664",
    }
    found = []
    for api in CALLERS:
        document = json.loads((DOCS / f"{api}.json").read_text(encoding="utf-8"))
        for path, operations in document["paths"].items():
            if "get" not in operations:
                continue
            asked = operations["get"].get("parameters", [])
            names = tuple(p["name"] for p in asked if p["in"] == "query")
            for name in [part.split("}")[0] for part in path.split("{")[1:]]:
                path = path.replace(f"{{{name}}}", ids.get(name, "x1"))
            found.append(QueryRoute(api, path, names))
    return found
