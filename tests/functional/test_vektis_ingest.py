"""Vektis EI uploads and insurer retour files through the real handlers on moto
(interfaces.md §1b, R1-R8, R5, legal-nl.md §6): what practice software really sends."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from billing_core.invoices.invoice import Channel, Invoice
from billing_core.ports import NewInvoice
from local.sandbox import Sandbox
from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import TODAY, sample

VEKTIS = Path(__file__).resolve().parents[2] / "events" / "declarations" / "vektis"
DENTAL_MZ301 = VEKTIS / "tandarts-de-vries-2026-11.mz301"
PHYSIO_PM304 = VEKTIS / "fysio-centrum-oost-2026-11.pm304"
VGZ_PM305 = VEKTIS / "fysio-centrum-oost-2026-11.pm305"
# The CSV sample says what Vektis cannot (vektis.md §2, local/vektis_samples.py): a
# language, and a correction under its own code. Everything else must come out the same.
_ENGLISH_IN_CSV = "TDV-1004"


def _invoices(sandbox: Sandbox, provider_id: str) -> dict[str, list[Invoice]]:
    invoices, _ = sandbox.runtime.repository.list_invoices(provider_id)
    per_patient: dict[str, list[Invoice]] = {}
    for invoice in sorted(invoices, key=lambda i: i.issue_date):
        per_patient.setdefault(invoice.patient_ref, []).append(invoice)
    return per_patient


def _report(sandbox: Sandbox, key: str) -> dict:  # type: ignore[type-arg]
    return json.loads(sandbox.output_object(key))


def _what_the_patient_sees(invoice: Invoice) -> tuple:  # type: ignore[type-arg]
    return (
        invoice.addressee.display_name,
        invoice.addressee.email,
        invoice.channel,
        invoice.gross_cents,
        invoice.reimbursed_cents,
        invoice.amount_due_cents,
        [
            (
                line.claim_ref,
                line.treatment_date,
                line.amount_cents,
                line.reimbursed_cents,
                line.line_type,
            )
            for line in invoice.lines
        ],
    )


def care_declaration(invoices: list[Invoice]) -> str:
    """The declaration of the care invoice: the one with more than the splint on it."""
    return next(
        i.declaration_id for i in invoices if any(line.treatment_code != "SPL1" for line in i.lines)
    )


def _declared(sandbox: Sandbox, provider_id: str, name: str, sample: Path) -> str:
    """The sample uploaded as a declaration and its invoices delivered; its upload id."""
    declaration_id = sandbox.upload_declaration(provider_id, name, sample.read_bytes())
    sandbox.drain_deliveries()
    return declaration_id


def _retour_applied(sandbox: Sandbox, provider_id: str, name: str, sample: Path) -> str:
    """The sample uploaded as an insurer's retour file and its mails delivered; its id."""
    retour_id = sandbox.upload_retour(provider_id, name, sample.read_bytes())
    sandbox.drain_deliveries()
    return retour_id


def _upload(provider_id: str, name: str, data: bytes) -> tuple[dict, dict, list[dict], list[str]]:  # type: ignore[type-arg]
    """A fresh sandbox, one upload, deliveries worked off: invoices, report, mails, PDFs."""
    with Sandbox(TODAY) as sandbox:
        declaration_id = sandbox.upload_declaration(provider_id, name, data)
        sandbox.drain_deliveries()
        report = _report(sandbox, f"reports/{provider_id}/{declaration_id}.json")
        invoices = {
            ref: [_what_the_patient_sees(i) for i in found]
            for ref, found in _invoices(sandbox, provider_id).items()
        }
        return invoices, report, sandbox.outbox(), sandbox.output_keys(f"print/{TODAY}/")


def test_an_mz301_upload_gives_the_same_invoices_as_the_csv():
    # Given the dental practice's November declaration as CSV and as its MZ301 export
    csv_invoices, csv_report, csv_mails, csv_pdfs = _upload(
        DENTAL.provider_id, "nov.csv", sample("tandarts-de-vries-2026-11.csv")
    )
    # When the MZ301 is uploaded instead, whatever its name
    invoices, report, mails, pdfs = _upload(
        DENTAL.provider_id, "export.dat", DENTAL_MZ301.read_bytes()
    )
    # Then it is recognised, and gives the same invoices, amounts and deductions (R4, R5)
    assert (report["format"], report["outcome"], csv_report["format"]) == (
        "MZ301 v1.3",
        "accepted",
        "csv",
    )
    assert report["summary"] == csv_report["summary"]
    assert sorted(f["code"] for f in report["findings"]) == sorted(
        f["code"] for f in csv_report["findings"]
    )
    assert invoices == csv_invoices
    # And the same e-mails with their PDFs, and the same paper invoices in the print batch (R7)
    assert sorted(m["to"] for m in mails) == sorted(m["to"] for m in csv_mails)
    assert all(m["attachments"][0]["content"].startswith(b"%PDF") for m in mails)
    english = csv_invoices[_ENGLISH_IN_CSV][0][1]  # that patient's e-mail address
    dutch_subjects = {m["subject"] for m in csv_mails if m["to"] != english}
    assert {m["subject"] for m in mails if m["to"] != english} == dutch_subjects
    assert len(pdfs) == len(csv_pdfs) > 0


def test_the_missing_price_quote_warning_names_what_each_format_holds():
    """R2, R6, R40 (audit PORTAL3-4). Given the dental practice's November declaration,
    whose plan over € 250 has no price quote, as CSV and as its MZ301 export. When each is
    uploaded. Then both reports warn with the same code, PRICE_QUOTE_MISSING; the CSV's
    names its column price_quote_ref, the MZ301's, which has no such column, names what
    the Vektis file holds instead: a comment record (98) starting with 'Begroting:'."""
    _, csv_report, _, _ = _upload(
        DENTAL.provider_id, "nov.csv", sample("tandarts-de-vries-2026-11.csv")
    )
    _, report, _, _ = _upload(DENTAL.provider_id, "nov.mz301", DENTAL_MZ301.read_bytes())

    [csv_warning] = [f for f in csv_report["findings"] if f["code"] == "PRICE_QUOTE_MISSING"]
    [warning] = [f for f in report["findings"] if f["code"] == "PRICE_QUOTE_MISSING"]
    assert "(price_quote_ref)" in csv_warning["message"] + csv_warning["message_en"]
    said = warning["message"] + warning["message_en"]
    assert "price_quote_ref" not in said
    assert "commentaarrecord (98)" in warning["message"] and "Begroting:" in said
    assert "comment record (98)" in warning["message_en"]


def test_the_debtor_record_gives_a_childs_invoice_to_the_parent():
    # Given a child (TDV-1003) with a debtor record for the parent in the MZ301
    with Sandbox(TODAY) as sandbox:
        _declared(sandbox, DENTAL.provider_id, "nov.mz301", DENTAL_MZ301)
        [invoice] = _invoices(sandbox, DENTAL.provider_id)["TDV-1003"]
        # Then the parent gets it, by e-mail, about the child
        assert invoice.debtor is not None and invoice.addressee.last_name == "Terpstra"
        assert (
            invoice.addressee.email == "m.terpstra@example.com" and invoice.channel is Channel.EMAIL
        )
        [mail] = [m for m in sandbox.outbox() if m["kenmerk"] == invoice.reference]
        assert mail["to"] == "m.terpstra@example.com" and invoice.bsn not in mail["text"]


def test_a_pm304_and_its_pm305_retour_lower_what_the_patient_pays():
    with Sandbox(TODAY) as sandbox:
        # Given the physiotherapy practice's PM304 (non-contracted: nothing deducted yet)
        _declared(sandbox, PHYSIO.provider_id, "nov.pm304", PHYSIO_PM304)
        [before] = _invoices(sandbox, PHYSIO.provider_id)["FCO-2001"]
        assert before.reimbursed_cents == 0 and before.amount_due_cents == 5825 + 3 * 1260
        # When VGZ's retour file is uploaded: 80% of the care lines, the splint refused
        retour_id = _retour_applied(sandbox, PHYSIO.provider_id, "vgz-nov.pm305", VGZ_PM305)
        # Then the patient's invoice deducts what VGZ granted, line by line (R5, R27)
        after = sandbox.runtime.repository.get_invoice(PHYSIO.provider_id, before.invoice_id)
        granted = 4660 + 3 * 1008
        assert (
            after.reimbursed_cents == granted
            and after.amount_due_cents == before.amount_due_cents - granted
        )
        assert [e.cause for e in after.ledger[-4:]] == ["retour:vgz-nov.pm305"] * 4
        # And the provider can read the retour report like a declaration's (R1)
        report = _report(sandbox, f"reports/{PHYSIO.provider_id}/retour-{retour_id}.json")
        assert (report["format"], report["outcome"], report["summary"]["lines_applied"]) == (
            "PM305 v3.2",
            "accepted",
            4,
        )
        status, body = sandbox.api(
            "GET", f"/api/v1/provider/declarations/{retour_id}", provider_id=PHYSIO.provider_id
        )
        assert status == 200, body


def test_a_refused_vgz_material_becomes_a_patient_invoice():
    with Sandbox(TODAY) as sandbox:
        # Given the splint of a VGZ patient went to VGZ first (R6, legal-nl.md §6)
        _declared(sandbox, PHYSIO.provider_id, "nov.pm304", PHYSIO_PM304)
        assert sandbox.output_keys(f"insurer-claims/{PHYSIO.provider_id}/7095/")
        mails = len(sandbox.outbox())
        # When VGZ refuses it in its retour file
        _retour_applied(sandbox, PHYSIO.provider_id, "vgz-nov.pm305", VGZ_PM305)
        # Then the patient gets an invoice for it after all, by e-mail, with its own kenmerk
        invoices = _invoices(sandbox, PHYSIO.provider_id)["FCO-2001"]
        [material] = [i for i in invoices if i.declaration_id != care_declaration(invoices)]
        [care] = [i for i in invoices if i is not material]
        assert [line.treatment_code for line in material.lines] == [
            "SPL1"
        ] and material.amount_due_cents == 8500
        assert (
            material.addressee.email == care.addressee.email
            and material.reference != care.reference
        )
        new_mails = sandbox.outbox()[mails:]
        [mail] = [m for m in new_mails if m["kenmerk"] == material.reference]
        assert mail["attachments"][0]["content"].startswith(b"%PDF")
        # And the care invoice's patient is told the amount VGZ's grant lowered it to
        [corrected] = [m for m in new_mails if m["kenmerk"] == care.reference]
        assert corrected["subject"].startswith("Uw nota is aangepast") and len(new_mails) == 2
        # And the same retour file uploaded again changes nothing (R3)
        _retour_applied(sandbox, PHYSIO.provider_id, "vgz-nov-again.pm305", VGZ_PM305)
        assert len(sandbox.outbox()) == mails + 2
        again = _invoices(sandbox, PHYSIO.provider_id)["FCO-2001"]
        assert sorted((i.invoice_id, i.ledger) for i in again) == sorted(
            (i.invoice_id, i.ledger) for i in (care, material)
        )


def test_a_vektis_file_is_refused_whole_with_the_reason():
    with Sandbox(TODAY) as sandbox:
        # Given the dental MZ301 uploaded by the physiotherapy practice, and a bad trailer
        wrong = sandbox.upload_declaration(PHYSIO.provider_id, "x.mz301", DENTAL_MZ301.read_bytes())
        bad = sandbox.upload_declaration(
            DENTAL.provider_id,
            "y.mz301",
            (VEKTIS / "bad" / "trailer-total-wrong.mz301").read_bytes(),
        )
        # Then both are rejected whole (R2), with the reason on the line where it is
        for provider_id, declaration_id, code in (
            (PHYSIO.provider_id, wrong, "VEKTIS_WRONG_PROVIDER"),
            (DENTAL.provider_id, bad, "VEKTIS_TRAILER_TOTAL"),
        ):
            report = _report(sandbox, f"reports/{provider_id}/{declaration_id}.json")
            assert (report["status"], report["format"]) == ("rejected", "MZ301 v1.3")
            [finding] = report["findings"]
            assert finding["code"] == code and finding["line"] and finding["message_en"]
        assert sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)[0] == []
        assert sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0] == []


def test_an_insurer_line_is_given_to_one_patient_invoice_only():
    # Given a line that went to the insurer first (its claim marker has no invoice)
    with Sandbox(TODAY) as sandbox:
        sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_PM304.read_bytes())
        repository = sandbox.runtime.repository
        [care] = _invoices(sandbox, PHYSIO.provider_id)["FCO-2001"]  # a carrier for the test
        assert (
            repository.known_claims(PHYSIO.provider_id, ["FCO-26-105"])["FCO-26-105"].invoice_id
            == ""
        )
        first = replace(care, invoice_id="retour-invoice-1", reference="12234534622567")
        second = replace(care, invoice_id="retour-invoice-2", reference="12234534622567")
        # When two runs each want to write an invoice for it
        wrote_first = repository.store_invoice_for_insurer_claims(
            PHYSIO.provider_id, NewInvoice(first, ("FCO-26-105",))
        )
        wrote_second = repository.store_invoice_for_insurer_claims(
            PHYSIO.provider_id, NewInvoice(second, ("FCO-26-105",))
        )
        # Then the first writes invoice and marker together, the second nothing (R3)
        assert (wrote_first, wrote_second) == (True, False)
        assert (
            repository.known_claims(PHYSIO.provider_id, ["FCO-26-105"])["FCO-26-105"].invoice_id
            == "retour-invoice-1"
        )
        assert repository.get_invoice(PHYSIO.provider_id, "retour-invoice-2") is None


def test_a_question_mark_for_a_lost_letter_is_said_and_the_invoice_still_made():
    """R40 (vektis.md "Files as practices really send them": accept and say what was
    repaired), R1, R2. Given the dental MZ301 sample whose export wrote 'M?ller' for the
    first patient's surname (02 and its 03), and VGZ's PM305 retour with 'Dijkstr?'.
    When each is uploaded. Then each report is accepted with a warning that names the
    line and element in Dutch and English, the patient's invoice is made and delivered
    as without the '?', and the retour's granted lines are applied all the same."""
    first = b"Hoogendijk-Brink   "
    data = DENTAL_MZ301.read_bytes().replace(first, b"M?ller-Brink       ", 2)
    invoices, report, _, _ = _upload(DENTAL.provider_id, "nov.mz301", data)
    clean, clean_report, _, _ = _upload(DENTAL.provider_id, "nov.mz301", DENTAL_MZ301.read_bytes())
    warnings = [f for f in report["findings"] if f["code"] == "VEKTIS_LETTER_AS_QUESTION_MARK"]
    assert [(f["line"], f["severity"]) for f in warnings] == [(2, "warning"), (3, "warning")]
    assert "Naam verzekerde (01)" in warnings[0]["message"]
    assert "holds a '?'" in warnings[0]["message_en"]
    assert report["outcome"] == clean_report["outcome"] == "accepted"
    summary, clean_summary = report["summary"], clean_report["summary"]
    assert summary["warnings"] == clean_summary["warnings"] + 2
    assert {**summary, "warnings": 0} == {**clean_summary, "warnings": 0}
    assert invoices.keys() == clean.keys()
    [(name, *rest)] = invoices["TDV-1001"]
    assert "M?ller" in name and rest == list(clean["TDV-1001"][0][1:])

    with Sandbox(TODAY) as sandbox:
        _declared(sandbox, PHYSIO.provider_id, "nov.pm304", PHYSIO_PM304)
        retour = VGZ_PM305.read_bytes().replace(b"Dijkstra ", b"Dijkstr? ", 1)
        retour_id = sandbox.upload_retour(PHYSIO.provider_id, "vgz.pm305", retour)
        report = _report(sandbox, f"reports/{PHYSIO.provider_id}/retour-{retour_id}.json")
        [warning] = [f for f in report["findings"] if f["code"] == "VEKTIS_LETTER_AS_QUESTION_MARK"]
        assert warning["line"] == 2 and warning["message"] and warning["message_en"]
        assert (report["outcome"], report["summary"]["lines_applied"]) == ("accepted", 4)
