"""Migration version 15, statement-agency-transfers, through the operator API on moto
(R24; remitted54): a weekly statement item stored before it kept the agency's transfers
is listed with the figure its JSON statement names, read from S3 on every view of the
list; once the migration stored it on the item, the list reads no statement file."""

from __future__ import annotations

from billing_core.adapters.s3 import S3FileStore
from local.generate import declaration_csv
from local.migrate import store_weeks_as_before_their_agency_transfers
from tests.functional.test_blocked_patients import (
    PROVIDER,
    agency_collects_then_transfers,
    get,
    hand_over,
)
from tests.functional.test_expiry_migration import migrate

MIGRATION = "statement-agency-transfers"


def listed_with_reads(sandbox, monkeypatch) -> tuple[dict[str, int], list[str]]:
    """The provider API's list of weeks (week: remitted_by_agency) and the S3 keys it read."""
    read: list[str] = []
    get_file = S3FileStore.get

    def counted(files: S3FileStore, key: str) -> bytes:
        read.append(key)
        return get_file(files, key)

    with monkeypatch.context() as patch:
        patch.setattr(S3FileStore, "get", counted)
        status, listing = get(sandbox, "/api/v1/provider/retrocessions")
    assert status == 200
    return {item["week"]: item["remitted_by_agency"] for item in listing["items"]}, read


def test_r24_old_weeks_list_the_agencys_transfer_without_reading_s3_once_migrated(
    sandbox, monkeypatch
):
    """R24 (migration version 15).
    Given a claim the agency collected in week 7 and transferred in week 8, both weeks'
    items stored before remitted54 (without the agency's transfers)
    When the practice lists its weeks, an operator runs statement-agency-transfers twice,
    and the practice lists them again
    Then the first list reads one statement file per week; the first run writes both
    weeks, the second finds them there; the list then shows the same figures (week 8 the
    transfer) and reads no file."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(2))
    first_invoice = min(sandbox.runtime.repository.list_invoices(PROVIDER)[0], key=by_patient)
    due = agency_collects_then_transfers(sandbox, hand_over(sandbox, first_invoice))
    store_weeks_as_before_their_agency_transfers(sandbox.runtime.repository)
    before, read_before = listed_with_reads(sandbox, monkeypatch)
    assert before["2027-W08"] == due and sum(before.values()) == due
    assert len(read_before) == len(before) > 2  # the weeks the run made up too
    # When
    status, first = migrate(sandbox, "agency-1", MIGRATION)
    _, second = migrate(sandbox, "agency-2", MIGRATION)
    # Then
    assert status == 200 and first["complete"] and first["version"] == 15
    weeks = first["summary"]["invoices_total"]
    assert first["summary"]["agency_transfers_written"] == weeks >= len(before)
    assert (
        second["summary"]["agency_transfers_written"],
        second["summary"]["agency_transfers_present"],
    ) == (0, weeks)
    after, read_after = listed_with_reads(sandbox, monkeypatch)
    assert (after, read_after) == (before, [])


def by_patient(invoice):
    return invoice.patient_ref
