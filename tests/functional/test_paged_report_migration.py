"""Migration version 11, paged-report-not-kept, through the operator API on moto (R2, R35;
stop 51's left list): an upload report stored with its findings in pages between
2026-12-04 and 12-06, before it stored findings_not_kept, read all its page objects on
every view to work out what it only counted."""

from __future__ import annotations

import json
from datetime import datetime

from billing_core.adapters.s3 import S3FileStore
from billing_core.declarations.record import DeclarationRecord, DeclarationStatus
from billing_core.declarations.reports import in_pages
from local.seed import DENTAL
from tests.functional.test_expiry_migration import migrate
from tests.unit.test_report_pages import kept_row

MIGRATION = "paged-report-not-kept"
PROVIDER = DENTAL.provider_id
DECLARATIONS = "/api/v1/provider/declarations"
# 1,200 rejected lines (every finding kept) and 50 of 1,000 warnings of one kind kept.
ROWS = [kept_row("UZOVI_UNKNOWN", n) for n in range(2, 1_202)]
ROWS += [kept_row("CSV_INVISIBLE_CHARACTER_REMOVED", n) for n in range(50)]
COUNTS = {"UZOVI_UNKNOWN": 1_200, "CSV_INVISIBLE_CHARACTER_REMOVED": 1_000}


def stored_as_on_4_december(sandbox, declaration_id: str) -> str:
    """The report as stop 47's code stored it: paged, no findings_not_kept."""
    key = f"reports/{PROVIDER}/{declaration_id}.json"
    summary, pages = in_pages({"findings": ROWS, "finding_counts": COUNTS}, key)
    files = sandbox.runtime.output_files
    for page, rows in pages:
        files.put(page, json.dumps(rows).encode(), "application/json")
    files.put(key, json.dumps(summary).encode(), "application/json")
    sandbox.runtime.repository.put_declaration(
        DeclarationRecord(
            provider_id=PROVIDER,
            declaration_id=declaration_id,
            file_name="week-49.csv",
            status=DeclarationStatus.PROCESSED,
            created_at=datetime.fromisoformat("2026-12-05T09:00:00+01:00"),
            report_key=key,
        )
    )
    return key


def objects_read_by_a_view(sandbox, monkeypatch, declaration_id: str) -> tuple[list[str], dict]:
    read: list[str] = []
    real_get = S3FileStore.get

    def recorded(store: S3FileStore, key: str) -> bytes:
        read.append(key)
        return real_get(store, key)

    monkeypatch.setattr(S3FileStore, "get", recorded)
    status, detail = sandbox.api("GET", f"{DECLARATIONS}/{declaration_id}", provider_id=PROVIDER)
    monkeypatch.setattr(S3FileStore, "get", real_get)
    assert status == 200
    return read, detail


def test_r2_an_old_paged_report_is_given_what_it_did_not_keep_and_a_view_reads_one_object(
    sandbox, monkeypatch
):
    """R2, R35 (migration version 11).
    Given a report stored on 5 December with 1,250 findings in 7 objects, counting 2,200,
    and no findings_not_kept
    When its view is read, then an operator runs paged-report-not-kept twice, and it is
    read again
    Then the first view read the report and its 6 page objects (before), the first run
    writes the report's findings_not_kept (950 warnings), the second writes nothing, and
    the view after reads the report's own object only, saying the same 950."""
    key = stored_as_on_4_december(sandbox, "D-old-paged")
    before, said_before = objects_read_by_a_view(sandbox, monkeypatch, "D-old-paged")
    assert before[0] == key and len(before) == 7

    status, first = migrate(sandbox, "paged-first", MIGRATION)
    assert status == 200 and first["complete"] and first["version"] == 11
    practice = next(p for p in first["practices"] if p["provider_id"] == PROVIDER)
    assert (practice["reports_written"], practice["reports_gone"]) == (1, 0)
    status, second = migrate(sandbox, "paged-second", MIGRATION)
    assert status == 200 and second["summary"]["reports_written"] == 0
    assert second["summary"]["reports_present"] == first["summary"]["reports_present"] + 1

    after, said_after = objects_read_by_a_view(sandbox, monkeypatch, "D-old-paged")
    assert after == [key]
    not_kept = [(f["code"], f["count"]) for f in said_after["findings_not_kept"]]
    assert not_kept == [("CSV_INVISIBLE_CHARACTER_REMOVED", 950)]
    assert said_after["findings_not_kept"] == said_before["findings_not_kept"]
    assert said_after["findings"] == said_before["findings"]
