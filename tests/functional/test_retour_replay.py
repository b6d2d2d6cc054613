"""R3, R5 through the sandbox's retour upload (S3 -> retour_import on moto): the first
retour file uploaded again after two corrections undoes neither, and e-mails nobody."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path

from billing_core.adapters.dynamo import keys
from billing_core.declarations.retour import retour_report_key
from billing_core.declarations.vektis.layouts import PM305_V32
from billing_core.declarations.vektis.writer import Granted, Header, InsurerAnswer, write_retour
from billing_core.invoices.invoice import Invoice
from billing_core.services.provider.declarations import retour_upload_key
from local.sandbox import Sandbox, notified_key
from local.seed import PHYSIO
from local.vektis_samples import PHYSIO_HEADER, SANDBOX_TODAY, VGZ, physio_claims
from tests.functional.conftest import idempotency_records_expired

VEKTIS = Path(__file__).resolve().parents[2] / "events" / "declarations" / "vektis"
PHYSIO_FILE = VEKTIS / "fysio-centrum-oost-2026-11.pm304"
CLAIMS = [c for c in physio_claims() if c.insurer_uzovi == VGZ and c.treatment_code != "SPL1"]


def _retour(percent: int) -> bytes:
    header: Header = replace(PHYSIO_HEADER, uzovi=VGZ)
    granted = {c.claim_ref: Granted(c.amount_cents * percent // 100, ("0611",)) for c in CLAIMS}
    answer = InsurerAnswer(reference="X", retour_date=SANDBOX_TODAY, file_codes=("0200",))
    return write_retour(PM305_V32, header, CLAIMS, granted, answer)


def _invoice(sandbox: Sandbox) -> Invoice:
    invoices, _ = sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)
    return next(i for i in invoices if "FCO-26-101" in [line.claim_ref for line in i.lines])


def _upload(sandbox: Sandbox, name: str, data: bytes) -> dict:  # type: ignore[type-arg]
    upload_id = sandbox.upload_retour(PHYSIO.provider_id, name, data)
    sandbox.drain_deliveries()
    path = f"/api/v1/provider/declarations/{upload_id}"
    status, report = sandbox.api("GET", path, provider_id=PHYSIO.provider_id)
    assert status == 200
    return report  # type: ignore[no-any-return]


def test_the_first_retour_again_after_two_corrections_changes_nothing(sandbox: Sandbox) -> None:
    """R3, R5 (audit retour2): Given the € 96,05 invoice, a retour granting 80% (€ 19,21
    left), a correction granting 100% (€ 0) and one granting 50% (€ 48,03 left)
    When the first file, byte for byte, is uploaded again
    Then € 48,03 stays, no 'Uw nota is aangepast' e-mail goes out, and the report says
    the file was processed before (nl and en)."""
    sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
    sandbox.drain_deliveries()
    assert _invoice(sandbox).balance_cents == 9605
    first = _retour(80)
    _upload(sandbox, "VGZ retour.pm305", first)
    assert _invoice(sandbox).balance_cents == 1921
    _upload(sandbox, "VGZ retour correctie.pm305", _retour(100))
    _upload(sandbox, "VGZ retour correctie2.pm305", _retour(50))
    assert _invoice(sandbox).balance_cents == 4803
    mails = len(sandbox.outbox())

    report = _upload(sandbox, "VGZ retour.pm305", first)

    assert _invoice(sandbox).balance_cents == 4803
    assert len(sandbox.outbox()) == mails
    assert report["outcome"] == "already_processed"
    assert report["summary"]["lines_applied"] == 0
    [finding] = report["findings"]
    assert finding["code"] == "RETOUR_FILE_ALREADY_APPLIED"
    assert "al verwerkt" in finding["message"] and "already processed" in finding["message_en"]
    # And the marker keeps no personal data and expires with the upload records (R39)
    digest = hashlib.sha256(first).hexdigest()
    table = sandbox.runtime.repository._table
    item = table.get_item(Key=keys.retour_applied_key(PHYSIO.provider_id, digest))["Item"]
    assert set(item) == {"pk", "sk", "entity", "declaration_id", "applied_at", "expires_at"}
    assert date.fromtimestamp(int(item["expires_at"])).year == 2034


def test_the_first_retours_s3_event_delivered_again_after_a_correction_changes_nothing(
    sandbox: Sandbox,
) -> None:
    """R3, R5 (audit retour4 item 1): S3 delivers a notification at least once.
    Given the € 96,05 invoice, upload U1 granting 80% (€ 19,21 left) and upload U2, a
    correction granting 100% (€ 0 left)
    When S3 delivers U1's own ObjectCreated event again, after its idempotency record went
    Then U1 is not run again: € 0 stays, no patient e-mail, U1's record and report stand
    as they were, and the delivery is answered with U1's outcome and counted."""
    sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
    sandbox.drain_deliveries()
    key = retour_upload_key(PHYSIO.provider_id, "u1-retour")
    answer = sandbox.runtime.s3.put_object(
        Bucket=sandbox.names.declarations_bucket, Key=key, Body=_retour(80)
    )
    version, etag = answer.get("VersionId", ""), answer["ETag"].strip('"')
    bucket = sandbox.names.declarations_bucket
    event = sandbox._s3_event("retour_import", bucket, notified_key(key), version, etag)
    sandbox.invoke("retour_import", event)
    sandbox.drain_deliveries()
    assert _invoice(sandbox).balance_cents == 1921
    _upload(sandbox, "VGZ retour correctie.pm305", _retour(100))
    assert _invoice(sandbox).balance_cents == 0
    mails = len(sandbox.outbox())
    repository = sandbox.runtime.repository
    record = repository.get_declaration(PHYSIO.provider_id, "u1-retour")
    report_key = retour_report_key(PHYSIO.provider_id, "u1-retour")
    report = sandbox.runtime.s3.get_object(Bucket=sandbox.names.output_bucket, Key=report_key)
    idempotency_records_expired(sandbox)

    again = sandbox.invoke("retour_import", event)
    sandbox.drain_deliveries()

    assert _invoice(sandbox).balance_cents == 0
    assert len(sandbox.outbox()) == mails
    assert again["processed"] == [{"declaration_id": "u1-retour", "outcome": "accepted"}]
    assert repository.get_declaration(PHYSIO.provider_id, "u1-retour") == record
    after = sandbox.runtime.s3.get_object(Bucket=sandbox.names.output_bucket, Key=report_key)
    assert after["Body"].read() == report["Body"].read()
