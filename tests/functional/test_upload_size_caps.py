"""Size caps: in the signed upload request, and in the report an upload gets (issue 13
item 9, R1, R2)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from urllib.parse import urlsplit

from billing_core.adapters.s3 import S3FileStore
from billing_core.declarations.record import (
    MAX_DECLARATION_BYTES,
    DeclarationRecord,
    DeclarationStatus,
)
from billing_core.entrypoints.http import cursor
from local.generate import COLUMNS, declaration_csv
from local.seed import DENTAL
from local.server import SandboxServer

PROVIDER = DENTAL.provider_id
DECLARATIONS = "/api/v1/provider/declarations"


def _detail(sandbox, declaration_id, findings_cursor=None):
    query = {"findings_cursor": findings_cursor} if findings_cursor else None
    return sandbox.api("GET", f"{DECLARATIONS}/{declaration_id}", provider_id=PROVIDER, query=query)


def test_the_upload_url_is_signed_for_the_size_the_practice_gave(sandbox):
    data = declaration_csv(6)
    # When the practice asks for a URL for a file of its size
    status, ticket = sandbox.api(
        "POST",
        DECLARATIONS,
        provider_id=PROVIDER,
        body={"file_name": "week-47.csv", "size_bytes": len(data)},
    )
    # Then the PUT must say that size, and a body of another size is refused (S3: 403)
    assert status == 201
    headers = ticket["upload_headers"]
    assert headers == {"If-None-Match": "*", "Content-Length": str(len(data))}
    server = SandboxServer(sandbox)
    path = urlsplit(ticket["upload_url"])
    target = f"{path.path}?{path.query}"
    sent = {name.lower(): value for name, value in headers.items()}
    assert server.handle("PUT", target, sent, data + b"\n")[0] == 403
    assert server.handle("PUT", target, sent, data)[0] == 200


def test_no_upload_url_for_a_file_above_the_cap(sandbox):
    status, body = sandbox.api(
        "POST",
        DECLARATIONS,
        provider_id=PROVIDER,
        body={"file_name": "huge.csv", "size_bytes": MAX_DECLARATION_BYTES + 1},
    )
    assert status == 400 and body["error"]["code"] == "validation_error"


def test_a_header_of_many_empty_column_names_gives_a_short_counted_report(sandbox):
    # Given a header with 20,000 empty column names (the sweep sent 100,000: a 21.5 MB report),
    # before its one name: at its end they would be a separator too many, ignored (R40)
    header = ";" * 20_000 + "claim_ref"
    declaration_id = sandbox.upload_declaration(PROVIDER, "odd.csv", header.encode() + b"\n")
    # When its report is read
    status, detail = _detail(sandbox, declaration_id)
    # Then it keeps the first 50 of the code and counts them all
    assert status == 200 and detail["status"] == "rejected"
    assert detail["finding_counts"]["FILE_EMPTY_COLUMN_NAME"] == 20_000
    empty = [f for f in detail["findings"] if f["code"] == "FILE_EMPTY_COLUMN_NAME"]
    assert len(empty) == 50 and detail["next_findings_cursor"] is None
    assert len(json.dumps(detail)) < 100_000


def test_a_long_report_is_read_page_by_page(sandbox):
    # Given a stored report with 450 findings
    findings = [{"code": f"CODE_{n % 9}", "line": n, "message": "x"} for n in range(450)]
    key = f"reports/{PROVIDER}/D-long.json"
    sandbox.runtime.output_files.put(key, json.dumps({"findings": findings}).encode(), "json")
    sandbox.runtime.repository.put_declaration(
        DeclarationRecord(
            provider_id=PROVIDER,
            declaration_id="D-long",
            file_name="long.csv",
            status=DeclarationStatus.PROCESSED,
            created_at=datetime.fromisoformat("2026-11-23T09:00:00+01:00"),
            report_key=key,
        )
    )
    # When the practice follows the cursor
    pages, next_cursor = [], None
    while True:
        status, detail = _detail(sandbox, "D-long", next_cursor)
        assert status == 200
        pages.append(len(detail["findings"]))
        next_cursor = detail["next_findings_cursor"]
        if next_cursor is None:
            break
    # Then it read every finding once, at most 200 per answer, with the counts on each
    assert pages == [200, 200, 50]
    assert sum(detail["finding_counts"].values()) == 450
    # And a cursor that is no position is refused
    status, _ = _detail(sandbox, "D-long", cursor.encode("abc"))
    assert status == 400


def unknown_insurer_csv(lines: int) -> bytes:
    """A declaration whose every line names a well-formed UZOVI the register lacks (3999):
    every line is rejected (R2), as when an insurer is missing from the register."""
    rows = list(csv.reader(io.StringIO(declaration_csv(lines).decode()), delimiter=";"))
    column = COLUMNS.index("insurer_uzovi")
    for row in rows[1:]:
        row[column] = "3999"
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def test_every_rejected_line_is_named_in_the_report_page_by_page(sandbox):
    """R1 (a processing report with each rejected line, its field, code and message), R2
    (only those claims are rejected, so the practice sends exactly them again); audit files
    FILES5: the report kept the first 50 findings of a code, and the rest of the rejected
    lines were named nowhere.
    Given an upload of 260 lines, each with a UZOVI the register lacks
    When the practice reads its report, following the findings cursor
    Then it reads a UZOVI_UNKNOWN finding for each of the 260 lines, once."""
    declaration_id = sandbox.upload_declaration(PROVIDER, "unknown.csv", unknown_insurer_csv(260))
    findings, next_cursor = [], None
    while True:
        status, detail = _detail(sandbox, declaration_id, next_cursor)
        assert status == 200
        findings += detail["findings"]
        next_cursor = detail["next_findings_cursor"]
        if next_cursor is None:
            break
    assert detail["summary"]["claims_rejected"] == 260
    assert detail["finding_counts"]["UZOVI_UNKNOWN"] == 260
    unknown = [f["line"] for f in findings if f["code"] == "UZOVI_UNKNOWN"]
    assert sorted(unknown) == list(range(2, 262))


def test_a_retours_codes_are_read_page_by_page(sandbox):
    """vektis.md §1 (every retourcode in the report; audit files FILES2), issue 13 item 9
    (an answer stays far below 6 MB): a retour with a code on each of 250 records.
    Given its stored report, When the practice follows the retour_codes cursor, Then it
    reads every code once, at most 200 per answer."""
    codes = [{"level": "line", "line": n, "code": "0611"} for n in range(3, 253)]
    key = f"reports/{PROVIDER}/retour-R-long.json"
    body = json.dumps({"kind": "retour", "findings": [], "retour_codes": codes}).encode()
    sandbox.runtime.output_files.put(key, body, "json")
    sandbox.runtime.repository.put_declaration(
        DeclarationRecord(
            provider_id=PROVIDER,
            declaration_id="R-long",
            file_name="long.pm305",
            status=DeclarationStatus.PROCESSED,
            created_at=datetime.fromisoformat("2026-11-23T09:00:00+01:00"),
            report_key=key,
        )
    )
    read, query = [], None
    while True:
        path = f"{DECLARATIONS}/R-long"
        status, detail = sandbox.api("GET", path, provider_id=PROVIDER, query=query)
        assert status == 200 and len(detail["retour_codes"]) <= 200
        read += [code["line"] for code in detail["retour_codes"]]
        following = detail["next_retour_codes_cursor"]
        if following is None:
            break
        query = {"retour_codes_cursor": following}
    assert read == list(range(3, 253))


def test_a_page_of_a_long_report_reads_the_summary_and_that_page_only(sandbox, monkeypatch):
    """R1, R2 (each rejected line named in the report), issue 13 item 9 (an answer far
    below 6 MB); closing14's found list: the report kept every rejected line in one
    object (~730 bytes each, 73 MB for 100,000 rejected lines), read whole for every page.
    Given an upload of 450 lines, each with a UZOVI the register lacks
    When the practice reads its report's third page of findings
    Then the report's own object holds one page of findings and the count, the others
    are page objects under the upload's report, and the answer read the report's object
    and the one page object it shows, and still names each rejected line once."""
    declaration_id = sandbox.upload_declaration(PROVIDER, "unknown.csv", unknown_insurer_csv(450))
    record = sandbox.runtime.repository.get_declaration(PROVIDER, declaration_id)
    stored = json.loads(sandbox.output_object(record.report_key))
    assert len(stored["findings"]) == 200 and stored["findings_total"] > 450  # and warnings
    read: list[str] = []
    real_get = S3FileStore.get

    def recorded(store: S3FileStore, key: str) -> bytes:
        read.append(key)
        return real_get(store, key)

    monkeypatch.setattr(S3FileStore, "get", recorded)
    findings, next_cursor, pages = [], None, []
    while True:
        read.clear()
        status, detail = _detail(sandbox, declaration_id, next_cursor)
        assert status == 200
        findings += detail["findings"]
        pages.append(read[:])
        next_cursor = detail["next_findings_cursor"]
        if next_cursor is None:
            break
    page_keys = [keys[1:] for keys in pages]
    assert [keys[0] for keys in pages] == [record.report_key] * 3
    assert page_keys[0] == [] and all(len(keys) == 1 for keys in page_keys[1:])
    assert len(set(page_keys[1] + page_keys[2])) == 2
    unknown = [f["line"] for f in findings if f["code"] == "UZOVI_UNKNOWN"]
    assert sorted(unknown) == list(range(2, 452))
