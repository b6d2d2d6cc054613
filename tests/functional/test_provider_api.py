"""Provider API: upload URL, declarations and their reports, tenant isolation (R1, R26)."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest

from billing_core.entrypoints.http.errors import NO_DECLARATION
from local.generate import declaration_csv
from local.sandbox import REGION
from local.seed import DENTAL, PHYSIO

DECLARATIONS = "/api/v1/provider/declarations"


def _upload_through_the_api(sandbox, provider_id, data, file_name="week 47 (final).csv"):
    status, ticket = sandbox.api(
        "POST", DECLARATIONS, provider_id=provider_id, body={"file_name": file_name}
    )
    assert status == 201, ticket
    key = ticket["upload_url"].split("/_local/uploads/", 1)[1]
    sandbox.put_upload(key, data)
    return ticket


def test_asking_for_an_upload_url_registers_the_declaration(sandbox):
    # Given a logged-in practice employee / When asking for an upload URL
    status, ticket = sandbox.api(
        "POST",
        DECLARATIONS,
        provider_id=DENTAL.provider_id,
        body={"file_name": "../../etc/week 47.csv"},
    )
    # Then an id, a URL for exactly its own key (the file's name not in it, R29), and an
    # expiry 15 minutes ahead; the upload listed under the name made safe: its folders gone,
    # its space kept as the practice typed it (R1, R40; audit59d)
    assert status == 201
    url_path = ticket["upload_url"].split("?", 1)[0]
    assert url_path.endswith(f"/incoming/{DENTAL.provider_id}/{ticket['declaration_id']}/file")
    assert "week" not in ticket["upload_url"]
    assert ticket["expires_at"].startswith("2026-11-23T09:15")
    status, listed = sandbox.api("GET", DECLARATIONS, provider_id=DENTAL.provider_id)
    assert [(d["declaration_id"], d["status"], d["file_name"]) for d in listed["items"]] == [
        (ticket["declaration_id"], "awaiting_upload", "week 47.csv")
    ]


def test_an_upload_url_never_used_is_listed_expired_once_it_has_run_out(sandbox):
    # Given an upload URL asked for (valid 15 minutes) and never used, as a URL asked
    # again after a crash leaves the first one (R38, R1), and one that got its file
    status, unused = sandbox.api(
        "POST", DECLARATIONS, provider_id=DENTAL.provider_id, body={"file_name": "a.csv"}
    )
    assert status == 201
    used = _upload_through_the_api(sandbox, DENTAL.provider_id, declaration_csv(2))
    # When the practice looks 21 minutes later (past the URL and a late upload's margin)
    sandbox.clock.set(sandbox.clock.now() + timedelta(minutes=21))
    status, listed = sandbox.api("GET", DECLARATIONS, provider_id=DENTAL.provider_id)
    _, detail = sandbox.api(
        "GET", f"{DECLARATIONS}/{unused['declaration_id']}", provider_id=DENTAL.provider_id
    )
    # Then the unused one is shown expired, not awaited for ever; the used one processed
    statuses = {d["declaration_id"]: d["status"] for d in listed["items"]}
    assert statuses == {unused["declaration_id"]: "expired", used["declaration_id"]: "processed"}
    assert detail["status"] == "expired"


def _key_records_gone(sandbox) -> None:
    """What a crash between the change and its stored answer leaves of the key's record
    once its in-progress time is up (R38): nothing, so a retry runs again."""
    table = boto3.resource("dynamodb", region_name=REGION).Table(
        sandbox.names.idempotency_table_name
    )
    for item in table.scan()["Items"]:
        table.delete_item(Key={"id": item["id"]})


@pytest.mark.parametrize("path", [DECLARATIONS, "/api/v1/provider/retour-files"])
def test_an_upload_url_asked_again_after_a_crash_is_the_same_upload(sandbox, path):
    """R38, R1 (audit retry51c): before, the retry registered a second upload, listed
    'awaiting_upload' beside the first that was never used."""

    # Given an upload URL asked with an Idempotency-Key, whose answer was lost (the
    # key's record gone, as after a crash), five minutes ago
    def ask(file_name):
        answer = sandbox.api_raw(
            "POST",
            path,
            provider_id=DENTAL.provider_id,
            body={"file_name": file_name},
            headers={"Idempotency-Key": "upload-1"},
        )
        return answer["statusCode"], json.loads(answer["body"])

    status, first = ask("week-47.csv")
    assert status == 201
    _key_records_gone(sandbox)
    sandbox.clock.set(sandbox.clock.now() + timedelta(minutes=5))
    # When the client asks again with the same key
    status, again = ask("week-47.csv")
    # Then it gets the same upload, its URL valid as long as the first's; one is listed
    assert status == 201 and again == first, again
    _, listed = sandbox.api("GET", DECLARATIONS, provider_id=DENTAL.provider_id)
    upload_id = first.get("declaration_id") or first["upload_id"]
    assert [(d["declaration_id"], d["status"]) for d in listed["items"]] == [
        (upload_id, "awaiting_upload")
    ]
    # And the same key asking for another file is refused, nothing registered
    _key_records_gone(sandbox)
    status, refused = ask("week-48.csv")
    assert (status, refused["error"]["code"]) == (422, "idempotency_key_reused")
    _, listed = sandbox.api("GET", DECLARATIONS, provider_id=DENTAL.provider_id)
    assert len(listed["items"]) == 1


def test_the_report_tells_per_line_what_was_refused_and_why(sandbox):
    # Given a file with one line whose BSN fails the 11-proof
    lines = declaration_csv(3).decode().splitlines()
    columns = lines[0].split(";")
    bad = lines[2].split(";")
    bad[columns.index("bsn")] = "123456789"
    data = "\n".join([lines[0], lines[1], ";".join(bad), lines[3]]).encode()
    ticket = _upload_through_the_api(sandbox, DENTAL.provider_id, data)
    # When the practice reads the report
    status, report = sandbox.api(
        "GET", f"{DECLARATIONS}/{ticket['declaration_id']}", provider_id=DENTAL.provider_id
    )
    # Then it names the line, the field and the problem in Dutch and English
    assert status == 200 and report["outcome"] == "partially_accepted"
    refused = [f for f in report["findings"] if f["severity"] == "claim_rejected"]
    assert {(f["line"], f["field"]) for f in refused} == {(3, "bsn")}
    finding = next(f for f in refused if f["code"] == "BSN_INVALID")
    assert finding["message"] and finding["message_en"]
    assert "123456789" not in finding["message"] + finding["message_en"]


def test_validation_errors_use_the_shared_error_shape(sandbox):
    status, body = sandbox.api(
        "POST", DECLARATIONS, provider_id=DENTAL.provider_id, body={"name": "x.csv"}
    )
    assert status == 400 and body["error"]["code"] == "validation_error"
    assert "file_name" in body["error"]["message"]
    status, body = sandbox.api(
        "POST", DECLARATIONS, provider_id=DENTAL.provider_id, body="not json"
    )
    assert status == 400 and body["error"]["code"] == "validation_error"


def test_listing_pages_with_an_opaque_cursor(sandbox):
    for n in range(3):
        sandbox.clock.advance(minutes=1)
        sandbox.api(
            "POST", DECLARATIONS, provider_id=DENTAL.provider_id, body={"file_name": f"{n}.csv"}
        )
    status, first = sandbox.api(
        "GET", DECLARATIONS, provider_id=DENTAL.provider_id, query={"limit": "2"}
    )
    assert status == 200 and [d["file_name"] for d in first["items"]] == ["2.csv", "1.csv"]
    assert "DECLARATION" not in first["next_cursor"] and "PROVIDER" not in first["next_cursor"]
    status, second = sandbox.api(
        "GET",
        DECLARATIONS,
        provider_id=DENTAL.provider_id,
        query={"limit": "2", "cursor": first["next_cursor"]},
    )
    assert [d["file_name"] for d in second["items"]] == ["0.csv"]
    status, body = sandbox.api(
        "GET", DECLARATIONS, provider_id=DENTAL.provider_id, query={"cursor": "bm9wZQ"}
    )
    assert status == 400 and body["error"]["code"] == "invalid_cursor"


def test_a_provider_cannot_see_another_providers_declarations(sandbox):
    # Given the dental practice's processed upload
    ticket = _upload_through_the_api(sandbox, DENTAL.provider_id, declaration_csv(5))
    # When the physiotherapy practice asks for it by id, or lists, or uses its cursor
    status, body = sandbox.api(
        "GET", f"{DECLARATIONS}/{ticket['declaration_id']}", provider_id=PHYSIO.provider_id
    )
    assert status == 404 and body == {"error": {"code": "not_found", "message": NO_DECLARATION}}
    status, listed = sandbox.api("GET", DECLARATIONS, provider_id=PHYSIO.provider_id)
    assert listed["items"] == []
    from billing_core.entrypoints.http import cursor

    status, listed = sandbox.api(
        "GET",
        DECLARATIONS,
        provider_id=PHYSIO.provider_id,
        query={"cursor": cursor.encode(ticket["declaration_id"])},
    )
    assert status == 200 and listed["items"] == []


def test_without_a_provider_in_the_token_nothing_is_served(sandbox):
    status, body = sandbox.api("GET", DECLARATIONS, provider_id=None)
    assert status == 401 and body["error"]["code"] == "unauthorized"


def test_the_openapi_document_describes_the_routes(sandbox):
    status, spec = sandbox.api("GET", "/api/v1/openapi.json")
    assert status == 200
    assert {
        "/api/v1/provider/declarations",
        "/api/v1/provider/declarations/{declaration_id}",
    } <= set(spec["paths"])
