"""The reports of an upload or a run: the JSON a practice reads (R1, R2, R5) and the one
line an operator reads, ids, counts and codes without personal data (R29), written by one
``log_report`` (issue 11)."""

from __future__ import annotations

import io
import json

import pytest
from aws_lambda_powertools import Logger, Metrics

from billing_core.declarations.ingest import process_declaration
from billing_core.declarations.upload import IngestContext, Upload
from billing_core.declarations.vektis.layouts import MZ301_V13, MZ302_V13
from billing_core.declarations.vektis.writer import Granted, write_declaration, write_retour
from billing_core.entrypoints.powertools import log_report
from billing_core.entrypoints.s3_upload import UploadSkipped
from billing_core.payments.bank_import import BankImportContext, import_statement
from billing_core.providers.retrocession_run import RunSummary
from billing_core.shared.clock import FixedClock
from local.seed import DENTAL, PHYSIO
from tests.unit.fake_store import FakeQueue, FakeStore, FilesInMemory
from tests.unit.payment_fakes import LinksInMemory
from tests.unit.test_vektis_credit_corrections import (
    NOW,
    control,
    credit,
    filling,
)
from tests.unit.vektis_files import HEADER, apply_retour

REPORT_KEYS = [
    "declaration_id",
    "provider_id",
    "file_name",
    "format",
    "processed_at",
    "status",
    "outcome",
    "summary",
    "findings",
    "finding_counts",  # issue 13 item 9: every finding counted, the first 50 of a code kept
]
SUMMARY_KEYS = [
    "lines",
    "claims_rejected",
    "claims_already_processed",
    "claims_invoiced",
    "claims_to_insurer",
    "invoices",
    "invoices_by_channel",
    "gross_cents",
    "reimbursement_deducted_cents",
    "amount_invoiced_cents",
    "warnings",
    "claims_corrected",
    "correction_cents",
    "invoices_debtor_risk_with_provider",
    "claims_cancelled_out",
]


@pytest.fixture
def store() -> FakeStore:
    return FakeStore(providers=[PHYSIO, DENTAL])


@pytest.fixture
def ctx(store: FakeStore) -> IngestContext:
    return IngestContext(store, FilesInMemory(), FakeQueue(), FixedClock(NOW), b"k" * 32)


def process(ctx: IngestContext, claims, declaration_id: str):  # type: ignore[no-untyped-def]
    data = write_declaration(MZ301_V13, HEADER, claims)
    key = f"incoming/{DENTAL.provider_id}/{declaration_id}/export.mz301"
    upload = Upload(DENTAL.provider_id, declaration_id, "export.mz301", key)
    return process_declaration(upload, data, ctx)


def stored(ctx: IngestContext, name: str) -> bytes:
    return ctx.files.files[f"reports/{DENTAL.provider_id}/{name}.json"]  # type: ignore[attr-defined]


def test_the_stored_report_is_the_json_the_provider_api_reads(ctx, store):
    # Given last week's invoice
    process(ctx, [filling(), control()], "D1")
    # When this week's upload credits a line of it (a finding with a euro amount)
    process(ctx, [credit("L9", control())], "D2")
    # Then the report holds its keys in the order they always had
    body = stored(ctx, "D2")
    document = json.loads(body)
    assert list(document) == REPORT_KEYS and list(document["summary"]) == SUMMARY_KEYS
    assert document["summary"]["invoices_by_channel"] == {"email": 0, "paper": 0}
    # And it is written as json.dumps(indent=2) writes it, the euro sign as UTF-8
    assert body == json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    assert "€\u00a06,00".encode() in body
    # And the upload's record carries the same summary, outcome and key
    record = store.get_declaration(DENTAL.provider_id, "D2")
    assert (record.summary, record.outcome) == (document["summary"], "accepted")
    assert record.report_key == f"reports/{DENTAL.provider_id}/D2.json"


def test_a_file_rejected_as_a_whole_reports_three_counts(ctx, store):
    store.providers.clear()
    report = process(ctx, [filling()], "D1")
    document = json.loads(stored(ctx, "D1"))
    assert document["summary"] == {"lines": 0, "claims_rejected": 0, "invoices": 0}
    assert (document["status"], document["outcome"]) == ("rejected", "rejected")
    assert report.answer() == {"declaration_id": "D1", "outcome": "rejected"}


def test_a_retour_report_says_its_kind_and_each_line(ctx, store):
    process(ctx, [filling(), control()], "D1")
    data = write_retour(MZ302_V13, HEADER, [control()], {"L2": Granted(2400, ("0611",))})
    apply_retour(DENTAL.provider_id, "R1", data, ctx, file_name="retour.mz302")
    document = json.loads(stored(ctx, "retour-R1"))
    assert list(document) == [
        *REPORT_KEYS[:3],
        "kind",
        *REPORT_KEYS[3:8],
        "lines",
        "retour_codes",
        "findings",
        "finding_counts",
    ]  # retour_codes: every retourcode at its level (issue 15)
    assert document["kind"] == "retour"
    assert document["lines"] == [
        {
            "line": document["lines"][0]["line"],
            "claim_ref": "L2",
            "granted_cents": 2400,
            "retour_codes": ["0611"],
            "result": "applied",
            "invoice_id": document["lines"][0]["invoice_id"],
        }
    ]


def test_the_operators_line_has_ids_counts_and_codes_never_the_patient(ctx, store):
    # Given an upload with one good line and a credit of a line nobody knows
    report = process(ctx, [filling(), credit("L9", control())], "D1")
    # When its log entry is made
    entry = report.log_entry()
    # Then it names the upload, the counts and the finding codes
    assert entry.message == "declaration processed" and not entry.error
    assert entry.fields["declaration_id"] == "D1"
    assert entry.fields["finding_codes"] == ["CREDIT_LINE_UNKNOWN"]
    assert entry.counts == {"DeclarationLines": 2, "InvoicesCreated": 1, "ClaimsRejected": 1}
    # And nothing of the patient: no BSN, name or e-mail address (R29)
    logged = json.dumps(entry.fields)
    assert "111222333" not in logged and "Dijk" not in logged and "example.org" not in logged


def test_log_report_writes_the_line_and_its_counts_with_powertools():
    stream = io.StringIO()
    logger = Logger(service="operator-report-test", stream=stream)
    metrics = Metrics(namespace="Test")
    skipped = UploadSkipped("refused", "statement too large", {"limit_bytes": 10}, "TooLarge")
    try:
        log_report(skipped, logger=logger, metrics=metrics)
        line = json.loads(stream.getvalue())
        assert (line["level"], line["message"], line["limit_bytes"]) == (
            "ERROR",
            "statement too large",
            10,
        )
        assert metrics.metric_set["TooLarge"]["Value"] == [1.0]
    finally:
        metrics.clear_metrics()


def test_a_refused_statement_is_an_error_for_the_operator():
    context = BankImportContext(FakeStore(), FilesInMemory(), LinksInMemory(), FixedClock(NOW))
    report = import_statement(b"<Document/>", "camt053/x.xml", context)
    entry = report.log_entry()
    assert entry.error and entry.message == "bank statement refused, nothing booked"
    assert entry.counts["Bank_booked"] == 0 and report.answer()["outcome"] == "refused"


def test_a_run_with_a_failed_provider_is_an_error_for_the_operator():
    summary = RunSummary(week="2026-W48", providers=2, statements=1, failures={"p": "KeyError"})
    entry = summary.log_entry()
    assert entry.error and entry.counts["Retrocession_failed"] == 1
    assert entry.fields == summary.answer()
