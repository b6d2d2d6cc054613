"""Issue 7, the open parts, through the real handlers on moto: a credit line in a new Vektis
upload that lowers an EARLIER invoice (vektis.md §1, R3, R27, R30), and insurer retour
files uploaded through the provider API (interfaces.md §1b, §2; R5, R26)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from billing_core.declarations.claims import Claim
from billing_core.declarations.vektis.layouts import MZ301_V13, MZ302_V13, PM305_V32
from billing_core.declarations.vektis.parser import parse_vektis
from billing_core.declarations.vektis.writer import Granted, Header, write_declaration, write_retour
from billing_core.invoices.invoice import Invoice
from billing_core.shared.money import format_euros
from local.sandbox import Sandbox
from local.seed import DENTAL, PHYSIO
from local.server import SandboxServer
from tests.functional.conftest import TODAY

VEKTIS = Path(__file__).resolve().parents[2] / "events" / "declarations" / "vektis"
DENTAL_FILE = VEKTIS / "tandarts-de-vries-2026-11.mz301"
PHYSIO_FILE = VEKTIS / "fysio-centrum-oost-2026-11.pm304"
PHYSIO_RETOUR = VEKTIS / "fysio-centrum-oost-2026-11.pm305"
RETOUR_FILES = "/api/v1/provider/retour-files"
DECLARATIONS = "/api/v1/provider/declarations"


def _header(agb: str, number: str) -> Header:
    return Header(
        practice_agb=agb,
        invoice_number=number,
        invoice_date=TODAY,
        period_start=date(2026, 11, 1),
        period_end=TODAY,
    )


def _claims_of(path: Path) -> dict[str, Claim]:
    parsed = parse_vektis(path.read_bytes(), today=TODAY, provider_agbs={DENTAL.agb_code})
    return {claim.claim_ref: claim for claim in parsed.claims}


def _invoice_with(sandbox: Sandbox, provider_id: str, claim_ref: str) -> Invoice:
    invoices, _ = sandbox.runtime.repository.list_invoices(provider_id)
    return next(i for i in invoices if any(line.claim_ref == claim_ref for line in i.lines))


def _report(sandbox: Sandbox, key: str) -> dict:  # type: ignore[type-arg]
    return json.loads(sandbox.output_object(key))


def _ask_for_retour_upload(
    sandbox: Sandbox, body: dict[str, str], provider_id: str | None = PHYSIO.provider_id
) -> tuple[int, Any]:
    """POST to the retour-files route as ``provider_id``'s admin: (status, answer)."""
    return sandbox.api("POST", RETOUR_FILES, provider_id=provider_id, body=body)


def _put(sandbox: Sandbox, upload_url: str, data: bytes) -> int:
    """PUT the file to the handed-out URL with its signed header, as the practice's
    browser does (local/server.py)."""
    headers = {"if-none-match": "*"}
    status, _, _ = SandboxServer(sandbox).handle("PUT", urlsplit(upload_url).path, headers, data)
    return int(status)


# --- a credit line of an earlier upload ----------------------------------------------------------


def test_a_credit_in_a_later_upload_lowers_the_sent_invoice_and_tells_the_patient(sandbox):
    # Given the dental practice's November MZ301, invoiced and e-mailed
    sandbox.upload_declaration(DENTAL.provider_id, "nov.mz301", DENTAL_FILE.read_bytes())
    sandbox.drain_deliveries()
    filling = _claims_of(DENTAL_FILE)["TDV26-0003"]  # a filling of 51.30, nothing reimbursed
    before = _invoice_with(sandbox, DENTAL.provider_id, filling.claim_ref)
    mails = len(sandbox.outbox())
    # When next week's export credits that filling
    credit = replace(
        filling,
        claim_ref="TDV26-0101",
        unit_price_cents=-filling.unit_price_cents,
        reverses_claim_ref=filling.claim_ref,
    )
    data = write_declaration(MZ301_V13, _header(DENTAL.agb_code, "F-2026-48"), [credit])
    declaration_id = sandbox.upload_declaration(DENTAL.provider_id, "week48.mz301", data)
    sandbox.drain_deliveries()
    # Then the November invoice is 51.30 lower, in the provider's view and in the checker
    status, detail = sandbox.api(
        "GET", f"/api/v1/provider/invoices/{before.invoice_id}", provider_id=DENTAL.provider_id
    )
    assert status == 200 and detail["amount_due"] == before.amount_due_cents - 5130
    assert (
        detail["lines"][-1]["claim_ref"] == "TDV26-0101" and detail["lines"][-1]["amount"] == -5130
    )
    assert detail["ledger"][-1]["cause"] == f"declaration:{declaration_id}"
    checker = sandbox.api("GET", f"/api/v1/payment-status/{before.reference}")[1]
    assert checker["amount_due"] == before.amount_due_cents - 5130
    # And the patient gets one e-mail with the new amount, no new invoice (R30)
    [mail] = sandbox.outbox()[mails:]
    assert mail["to"] == before.addressee.email and mail["kenmerk"] == before.reference
    assert mail["subject"].startswith("Uw nota is aangepast") and not mail["attachments"]
    assert (
        format_euros(before.amount_due_cents - 5130) in mail["text"]
        and before.bsn not in mail["text"]
    )
    # And the upload's report says where the credit went
    report = _report(sandbox, f"reports/{DENTAL.provider_id}/{declaration_id}.json")
    assert (
        report["outcome"],
        report["summary"]["claims_corrected"],
        report["summary"]["invoices"],
    ) == (
        "accepted",
        1,
        0,
    )
    # And the same file again changes nothing and sends nothing (R3)
    again = sandbox.upload_declaration(DENTAL.provider_id, "week48-again.mz301", data)
    sandbox.drain_deliveries()
    assert (
        _report(sandbox, f"reports/{DENTAL.provider_id}/{again}.json")["outcome"]
        == "already_processed"
    )
    assert len(sandbox.outbox()) == mails + 1
    after = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, before.invoice_id)
    assert after.amount_due_cents == before.amount_due_cents - 5130


# --- retour files through the provider API --------------------------------------------------------


def test_a_retour_file_uploaded_through_the_api_sets_the_granted_amounts(sandbox):
    # Given the physiotherapy practice's PM304, invoiced and e-mailed
    sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
    sandbox.drain_deliveries()
    before = _invoice_with(sandbox, PHYSIO.provider_id, "FCO-26-101")
    # When the practice asks for a retour upload URL and PUTs VGZ's PM305 to it
    status, ticket = _ask_for_retour_upload(sandbox, {"file_name": "VGZ retour nov.pm305"})
    assert status == 201, ticket
    url_path = ticket["upload_url"].split("?", 1)[0]
    assert url_path.endswith(f"/retour/{PHYSIO.provider_id}/{ticket['upload_id']}/file")
    assert "VGZ" not in ticket["upload_url"]  # the file's name stays off the key (R29)
    assert ticket["expires_at"].startswith("2026-11-23T09:15")
    assert _put(sandbox, ticket["upload_url"], PHYSIO_RETOUR.read_bytes()) == 200
    # Then the granted amounts are deducted on the patient's invoice (R5, R27)
    after = sandbox.runtime.repository.get_invoice(PHYSIO.provider_id, before.invoice_id)
    granted = 4660 + 3 * 1008
    assert (
        after.reimbursed_cents == granted
        and after.amount_due_cents == before.amount_due_cents - granted
    )
    # And the upload reads like a declaration: processed, with the retour's report
    status, upload = sandbox.api(
        "GET", f"{DECLARATIONS}/{ticket['upload_id']}", provider_id=PHYSIO.provider_id
    )
    assert status == 200 and (upload["status"], upload["outcome"]) == ("processed", "accepted")
    assert upload["summary"]["lines_applied"] == 4
    # And the patient is told the new amount by e-mail
    corrected = [m for m in sandbox.outbox() if m["kenmerk"] == before.reference][-1]
    assert corrected["subject"].startswith("Uw nota is aangepast")
    # And the URL takes one upload only: S3's If-None-Match answers the second PUT with 412
    # (issue 13 item 1; the sandbox refused it itself with 403 before, hiding the bug)
    assert _put(sandbox, ticket["upload_url"], PHYSIO_RETOUR.read_bytes()) == 412


def test_a_splint_vgz_refused_alone_is_e_mailed_as_the_patients_care_invoice(sandbox):
    """legal-nl.md §6, R7: the practice has no contracts, so only the splint went to VGZ
    and VGZ's retour names only the splint; refused, it is the patient's after all, by
    e-mail as the declaration gave it (the claim marker names the care invoice)."""
    # Given the physiotherapy practice's PM304: the care invoiced and e-mailed, the splint
    # to VGZ
    sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
    sandbox.drain_deliveries()
    care = _invoice_with(sandbox, PHYSIO.provider_id, "FCO-26-101")
    parsed = parse_vektis(PHYSIO_FILE.read_bytes(), today=TODAY, provider_agbs={PHYSIO.agb_code})
    splint = [claim for claim in parsed.claims if claim.claim_ref == "FCO-26-105"]
    # When VGZ's retour names only the splint, refused
    header = replace(_header(PHYSIO.agb_code, "FCO-2026-11"), uzovi="7095")
    data = write_retour(PM305_V32, header, splint, {"FCO-26-105": Granted(0, ("8072",))})
    sandbox.upload_retour(PHYSIO.provider_id, "VGZ retour nov.pm305", data)
    sandbox.drain_deliveries()
    # Then the splint's invoice goes by e-mail to the address of the care invoice
    material = _invoice_with(sandbox, PHYSIO.provider_id, "FCO-26-105")
    assert (material.patient, material.channel) == (care.patient, care.channel)
    [mail] = [m for m in sandbox.outbox() if m["kenmerk"] == material.reference]
    assert mail["to"] == care.addressee.email


def test_a_retour_upload_url_is_for_the_tokens_provider_only(sandbox):
    # Given both practices' declarations, invoiced
    sandbox.upload_declaration(DENTAL.provider_id, "nov.mz301", DENTAL_FILE.read_bytes())
    sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
    sandbox.drain_deliveries()
    dental = _invoice_with(sandbox, DENTAL.provider_id, "TDV26-0001")
    # When the physiotherapy practice names another provider in the body
    other = {"file_name": "x.mz302", "provider_id": DENTAL.provider_id}
    status, body = _ask_for_retour_upload(sandbox, other)
    # Then it is refused: the provider comes from the token only (R26)
    assert status == 400 and body["error"]["code"] == "validation_error"
    # And its own URL points into its own prefix; bent to the other's prefix it is refused
    status, ticket = _ask_for_retour_upload(sandbox, {"file_name": "x.mz302"})
    assert f"/retour/{PHYSIO.provider_id}/" in ticket["upload_url"]
    bent = ticket["upload_url"].replace(
        f"/retour/{PHYSIO.provider_id}/", f"/retour/{DENTAL.provider_id}/"
    )
    assert _put(sandbox, bent, b"anything") == 403
    # And a retour file with the dental practice's line references finds none of them
    lines = list(_claims_of(DENTAL_FILE).values())[:3]
    data = write_retour(
        MZ302_V13,
        _header(PHYSIO.agb_code, "F-1"),
        lines,
        {line.claim_ref: Granted(line.amount_cents) for line in lines},
    )
    assert _put(sandbox, ticket["upload_url"], data) == 200
    report = _report(sandbox, f"reports/{PHYSIO.provider_id}/retour-{ticket['upload_id']}.json")
    assert report["summary"]["lines_unknown"] == 3 and report["outcome"] == "rejected"
    assert sandbox.runtime.repository.get_invoice(DENTAL.provider_id, dental.invoice_id) == dental
    # And the dental practice cannot read the physiotherapy practice's retour upload
    status, body = sandbox.api(
        "GET", f"{DECLARATIONS}/{ticket['upload_id']}", provider_id=DENTAL.provider_id
    )
    assert status == 404 and body["error"]["code"] == "not_found"


@pytest.mark.parametrize("body", [{}, {"file_name": ""}, {"file_name": "x" * 201}])
def test_a_retour_upload_needs_a_file_name(sandbox, body):
    status, answer = _ask_for_retour_upload(sandbox, body)
    assert status == 400 and answer["error"]["code"] == "validation_error"


def test_without_a_provider_in_the_token_no_retour_url_is_handed_out(sandbox):
    status, body = _ask_for_retour_upload(sandbox, {"file_name": "x.pm305"}, provider_id=None)
    assert status == 401 and body["error"]["code"] == "unauthorized"


def test_the_insurers_retourcodes_are_in_the_report_the_practice_reads(sandbox):
    """vektis.md §1 retour layout ("show every retourcode in the processing report with
    its level"), interfaces.md §7 (a retour's report is at GET …/declarations/{id}), R1,
    R35; audit files FILES2: the codes reached only the report file in the output bucket.
    Given the physio practice's November PM304, and VGZ's PM305 with a patient-level
    retourcode 8001 in its 02 record (311-314)
    When the practice reads the retour upload's report through the API and in the portal
    Then both list every retourcode with its level, line and meaning."""
    from tests.functional.test_provider_portal import PortalUser, sample_login

    sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
    sandbox.drain_deliveries()
    records = PHYSIO_RETOUR.read_bytes().decode("latin-1").split("\r\n")
    records[1] = records[1][:310] + "8001" + records[1][314:]
    data = "\r\n".join(records).encode("latin-1")
    upload_id = sandbox.upload_retour(PHYSIO.provider_id, "VGZ retour nov.pm305", data)
    status, report = sandbox.api(
        "GET", f"{DECLARATIONS}/{upload_id}", provider_id=PHYSIO.provider_id
    )
    assert status == 200 and report["next_retour_codes_cursor"] is None
    assert [(c["level"], c["line"], c["code"]) for c in report["retour_codes"]] == [
        ("file", 1, "0200"),
        ("patient", 2, "8001"),
        *[("line", line, "0611") for line in (3, 4, 5, 6)],
        ("line", 7, "0613"),
    ]
    patient_code = report["retour_codes"][1]
    assert patient_code["meaning_en"] == "The claim was granted in full."
    assert report["retour_codes"][2]["claim_ref"] == "FCO-26-101"
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(PHYSIO, "staff"))
    status, html = staff.page(f"/portal/declaraties/{upload_id}")
    assert status == 200
    rows = re.findall(r"<tr><td>([^<]*)</td><td>(\d+)</td><td>(\d{4})</td><td>([^<]*)</td>", html)
    assert [(level, code) for level, _, code, _ in rows][:3] == [
        ("Bestand", "0200"),
        ("Patiënt", "8001"),
        ("Regel", "0611"),
    ]
    assert rows[1][3] == patient_code["meaning"]
