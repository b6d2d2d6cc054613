"""Provider API: invoices and open actions, scoped to the token's provider (R21-R23, R26)."""

from __future__ import annotations

import pytest

from billing_core.entrypoints.http import cursor
from local.generate import declaration_csv
from local.seed import DENTAL, PHYSIO

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def invoices(sandbox):
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(30))
    sandbox.drain_deliveries()
    return sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0]


def _get(sandbox, path, provider=DENTAL.provider_id, **query):
    return sandbox.api(
        "GET", path, provider_id=provider, query={k: str(v) for k, v in query.items()} or None
    )


def test_the_practice_pages_through_its_invoices(sandbox, invoices):
    seen, token = [], None
    while True:
        status, page = _get(
            sandbox, "/api/v1/provider/invoices", limit=5, **({"cursor": token} if token else {})
        )
        assert status == 200
        seen += [i["invoice_id"] for i in page["items"]]
        token = page["next_cursor"]
        if not token:
            break
    assert sorted(seen) == sorted(i.invoice_id for i in invoices)
    assert "PROVIDER" not in cursor.decode(token or cursor.encode("x"))


def test_filters_by_patient_and_status(sandbox, invoices):
    first = invoices[0]
    status, page = _get(sandbox, "/api/v1/provider/invoices", patient_ref=first.patient_ref)
    assert [i["invoice_id"] for i in page["items"]] == [first.invoice_id]
    status, page = _get(sandbox, "/api/v1/provider/invoices", status="paid")
    assert page["items"] == []
    status, page = _get(sandbox, "/api/v1/provider/invoices", status="late")
    assert status == 400 and page["error"]["code"] == "validation_error"


def test_the_invoice_detail_shows_lines_ledger_letters_and_actions(sandbox, invoices):
    invoice = invoices[0]
    sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/objection",
        body={
            "birth_date": invoice.birth_date.isoformat(),
            "reason": "amount",
            "message": "Te hoog",
            "email": "p@example.org",
        },
        headers=JSON,
    )
    status, detail = _get(sandbox, f"/api/v1/provider/invoices/{invoice.invoice_id}")
    assert status == 200 and detail["reference"] == invoice.reference
    assert len(detail["lines"]) == len(invoice.lines)
    assert next(e["kind"] for e in detail["ledger"]) == "issued"
    assert detail["letters"][0]["kind"] == "invoice"
    assert [a["kind"] for a in detail["actions"]] == ["objection"]


def test_the_practice_marks_an_action_done(sandbox, invoices):
    invoice = invoices[0]
    sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/objection",
        body={
            "birth_date": invoice.birth_date.isoformat(),
            "reason": "other",
            "message": "?",
            "email": "p@example.org",
        },
        headers=JSON,
    )
    status, actions = _get(sandbox, "/api/v1/provider/actions", state="open")
    [action] = actions["items"]
    status, done = sandbox.api(
        "PATCH",
        f"/api/v1/provider/actions/{action['action_id']}",
        provider_id=DENTAL.provider_id,
        body={"state": "done"},
    )
    assert status == 200 and done["state"] == "done"
    assert _get(sandbox, "/api/v1/provider/actions", state="open")[1]["items"] == []


def test_another_provider_sees_none_of_it(sandbox, invoices):
    # Given the dental practice's invoices and an objection on one of them
    invoice = invoices[0]
    sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/objection",
        body={
            "birth_date": invoice.birth_date.isoformat(),
            "reason": "amount",
            "message": "x",
            "email": "p@example.org",
        },
        headers=JSON,
    )
    action_id = _get(sandbox, "/api/v1/provider/actions")[1]["items"][0]["action_id"]
    dental_cursor = _get(sandbox, "/api/v1/provider/invoices", limit=2)[1]["next_cursor"]
    # When the physiotherapy practice uses the dental ids and cursors
    other = PHYSIO.provider_id
    assert (
        _get(sandbox, f"/api/v1/provider/invoices/{invoice.invoice_id}", provider=other)[0] == 404
    )
    assert _get(sandbox, "/api/v1/provider/invoices", provider=other)[1]["items"] == []
    assert (
        _get(sandbox, "/api/v1/provider/invoices", provider=other, cursor=dental_cursor)[1]["items"]
        == []
    )
    assert _get(sandbox, "/api/v1/provider/actions", provider=other)[1]["items"] == []
    status, _ = sandbox.api(
        "PATCH", f"/api/v1/provider/actions/{action_id}", provider_id=other, body={"state": "done"}
    )
    # Then nothing of the dental practice is read or changed (R26)
    assert status == 404
    assert _get(sandbox, "/api/v1/provider/actions")[1]["items"][0]["state"] == "open"
