"""R29 (audit ops51b): a practice names its files as it likes, "jansen_j_0312.csv" after a
patient too. The upload's S3 key is in the presigned URL, in X-Ray's S3 calls (GetObject,
PutObject) and in the bucket's access log, so the name stays off it: the upload's record
keeps it, and the portal and the report name the file as before (R1, R5)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from billing_core.declarations.record import DeclarationRecord, DeclarationStatus
from local.generate import declaration_csv
from local.sandbox import Sandbox
from local.seed import DENTAL, PHYSIO
from local.server import SandboxServer
from tests.functional.test_provider_portal import signed_in

VEKTIS = Path(__file__).resolve().parents[2] / "events" / "declarations" / "vektis"
PATIENT = "jansen_j_0312"


def _put(sandbox: Sandbox, upload_url: str, data: bytes) -> int:
    """PUT the file to the handed-out URL with its signed header, as the practice's
    browser does (local/server.py refuses a key the upload was not registered for)."""
    headers = {"if-none-match": "*"}
    status, _, _ = SandboxServer(sandbox).handle("PUT", urlsplit(upload_url).path, headers, data)
    return int(status)


def _keys_in_the_bucket(sandbox: Sandbox) -> list[str]:
    bucket = sandbox.names.declarations_bucket
    listed = sandbox.runtime.s3.list_object_versions(Bucket=bucket).get("Versions", [])
    return [version["Key"] for version in listed]


@pytest.mark.parametrize(
    "route, provider_id, file_name, data",
    [
        ("declarations", DENTAL.provider_id, f"{PATIENT}.csv", lambda: declaration_csv(3)),
        (
            "retour-files",
            PHYSIO.provider_id,
            f"{PATIENT}.pm305",
            lambda: (VEKTIS / "fysio-centrum-oost-2026-11.pm305").read_bytes(),
        ),
    ],
    ids=["declaration", "retour"],
)
def test_r29_a_file_named_after_a_patient_is_named_only_where_the_practice_reads_it(
    sandbox: Sandbox, route: str, provider_id: str, file_name: str, data
) -> None:
    # Given a practice whose declaration (and, for a retour, its declared file) is in
    if route == "retour-files":
        pm304 = (VEKTIS / "fysio-centrum-oost-2026-11.pm304").read_bytes()
        sandbox.upload_declaration(provider_id, "nov.pm304", pm304)
    # When it asks for an upload URL for a file named after a patient and PUTs the file
    status, ticket = sandbox.api(
        "POST", f"/api/v1/provider/{route}", provider_id=provider_id, body={"file_name": file_name}
    )
    assert status == 201, ticket
    upload_id = ticket.get("declaration_id") or ticket["upload_id"]
    assert _put(sandbox, ticket["upload_url"], data()) == 200
    # Then neither the URL, the key the record points to nor any key in the bucket holds
    # the name (the traces and access logs carry only keys)
    record = sandbox.runtime.repository.get_declaration(provider_id, upload_id)
    assert record is not None and record.object_key.endswith(f"/{upload_id}/file")
    assert PATIENT not in ticket["upload_url"] and PATIENT not in record.object_key
    keys = _keys_in_the_bucket(sandbox)
    assert keys and [key for key in keys if PATIENT in key] == []
    # And the practice still reads the file under its name: processed, in the list and
    # in the report
    status, report = sandbox.api(
        "GET", f"/api/v1/provider/declarations/{upload_id}", provider_id=provider_id
    )
    assert status == 200 and report["status"] == "processed", report
    assert report["file_name"] == file_name
    status, listed = sandbox.api("GET", "/api/v1/provider/declarations", provider_id=provider_id)
    names = {item["declaration_id"]: item["file_name"] for item in listed["items"]}
    assert names[upload_id] == file_name


def test_r29_an_upload_url_handed_out_before_the_keys_lost_their_names_still_works(
    sandbox: Sandbox,
) -> None:
    # Given an upload registered before the fix: its URL's key ends in the file's name
    now = sandbox.clock.now()
    legacy_key = f"incoming/{DENTAL.provider_id}/D-pending/week-47.csv"
    sandbox.runtime.repository.put_declaration(
        DeclarationRecord(
            provider_id=DENTAL.provider_id,
            declaration_id="D-pending",
            file_name="week-47.csv",
            status=DeclarationStatus.AWAITING_UPLOAD,
            created_at=now,
            object_key=legacy_key,
        )
    )
    # When the practice PUTs its file to that key after the deploy
    assert _put(sandbox, f"http://127.0.0.1/_local/uploads/{legacy_key}", declaration_csv(3)) == 200
    # Then the ingest routes and processes it, and the report names the file
    status, report = sandbox.api(
        "GET", "/api/v1/provider/declarations/D-pending", provider_id=DENTAL.provider_id
    )
    assert status == 200 and (report["status"], report["outcome"]) == ("processed", "accepted")
    assert report["file_name"] == "week-47.csv"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "onbekende upload (niet via het portaal of de API aangevraagd)"),
        ("en", "unknown upload (not requested through the portal or the API)"),
    ],
)
def test_r1_a_file_written_to_an_upload_key_without_a_record_is_an_unknown_upload_not_file(
    sandbox: Sandbox, language: str, said: str
) -> None:
    """R1 (each upload gets an id and a report), R29, R35 (words52): since ops51b every
    upload URL's key ends in "file", so a file written to such a key around the API, with
    no upload record, was listed, reported and titled as the file "file".
    Given a declaration written straight to incoming/{provider}/{id}/file, and one to a key
    of before R29 that names its file
    When the ingest has processed them
    Then the first has no file name and the portal calls it an unknown upload, in its
    language; the old key's file keeps its name."""
    unknown, named = "20261123080000-0badf11e", "20261123080000-0badf33e"
    sandbox.put_upload(f"incoming/{DENTAL.provider_id}/{unknown}/file", declaration_csv(2))
    sandbox.put_upload(f"incoming/{DENTAL.provider_id}/{named}/week-47.csv", declaration_csv(2))
    status, report = sandbox.api(
        "GET", f"/api/v1/provider/declarations/{unknown}", provider_id=DENTAL.provider_id
    )
    assert (status, report["status"], report["file_name"]) == (200, "processed", "")
    staff = signed_in(sandbox, "staff", language)
    _, listed = staff.page("/portal/declaraties")
    names = re.findall(r'<td class="file" role="cell"><a [^>]*>([^<]*)</a>', listed)
    assert sorted(names) == sorted([said, "week-47.csv"])
    _, page = staff.page(f"/portal/declaraties/{unknown}")
    assert re.search(r"<h1>(.*?)</h1>", page)[1].endswith(f": {said}")
