"""R3, R5 through the sandbox's retour upload (S3 -> retour_import on moto): the first
retour file uploaded again after two corrections undoes neither, and e-mails nobody."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path

from billing_core.adapters.dynamo import keys
from billing_core.declarations.vektis.layouts import PM305_V32
from billing_core.declarations.vektis.writer import Granted, Header, InsurerAnswer, write_retour
from billing_core.invoices.invoice import Invoice
from local.sandbox import Sandbox
from local.seed import PHYSIO
from local.vektis_samples import PHYSIO_HEADER, SANDBOX_TODAY, VGZ, physio_claims

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
