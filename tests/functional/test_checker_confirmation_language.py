"""What a patient asks on the checker page is answered in the language of that page (R9:
English on request, Polish and Arabic e-mails; R14, R15, R17): the deferral, the
arrangement and the insurer's statement, as the objection (test_checker_objection_form).
The invoice's own language, for the letters that follow, stays as it was."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from billing_core.invoices.invoice import Channel
from billing_core.shared.money import format_euros
from local.seed import DENTAL
from tests.functional.test_arabic import cookie
from tests.functional.test_insurer_statement import invoice as statement_invoice  # noqa: F401
from tests.functional.test_insurer_statement import send_statement_on_the_page
from tests.functional.test_patient_api import FORM, unlock, visit_cookie


def _on_the_page(sandbox, invoice, language, **fields):
    cookie = visit_cookie(unlock(sandbox, invoice))
    form = urlencode({"kenmerk": invoice.reference, "lang": language, **fields})
    sent_before = len(sandbox.outbox())
    status, _ = sandbox.api("POST", "/", body=form, headers=FORM | {"Cookie": cookie})
    sandbox.drain_deliveries()
    return status, sandbox.outbox()[sent_before:]


def _largest_emailed(sandbox):
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return max(
        (i for i in invoices if i.channel is Channel.EMAIL), key=lambda i: i.amount_due_cents
    )


def _still_dutch(sandbox, invoice):
    stored = sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    return stored.language.value == "nl"


def test_r9_r14_a_deferral_asked_on_the_english_page_is_confirmed_in_english(
    sandbox, emailed_invoice
):
    """Given a Dutch invoice (patient language field "nl"), when the patient asks for a
    deferral on the checker page in English, then the confirmation, subject and body, is
    in English (before: "Uitstel van betaling", Dutch), and the invoice stays Dutch."""
    invoice = emailed_invoice
    assert invoice.language.value == "nl"
    status, sent = _on_the_page(sandbox, invoice, "en", action="defer")
    assert status == 200
    (confirmation,) = sent
    assert confirmation["subject"].startswith("Deferral of payment - payment reference")
    assert "Geachte" not in confirmation["text"] and "lang=en" in confirmation["text"]
    assert _still_dutch(sandbox, invoice)


def test_r9_r15_an_arrangement_asked_on_the_polish_page_is_confirmed_in_polish(
    sandbox, emailed_invoice
):  # emailed_invoice: the dental practice's invoices, sent
    """Given a Dutch invoice large enough to pay in terms, when the patient arranges three
    terms on the checker page in Polish, then the confirmation is in Polish, its amounts
    written the Polish way (before: "Uw betalingsregeling", Dutch), and the invoice stays
    Dutch."""
    invoice = _largest_emailed(sandbox)
    status, sent = _on_the_page(sandbox, invoice, "pl", action="arrange", terms="3")
    assert status == 200
    (confirmation,) = sent
    assert "betalingsregeling" not in confirmation["subject"].lower()
    assert "Uw " not in confirmation["text"] and "lang=pl" in confirmation["text"]
    assert "\u00a0€" in confirmation["text"]  # 1 234,56 € (shared/money.format_euros)
    assert _still_dutch(sandbox, invoice)


def test_r9_r17_a_statement_sent_on_the_arabic_page_is_answered_in_arabic(
    sandbox,
    statement_invoice,  # noqa: F811
):
    """legal-nl.md §7, R17: given a Dutch invoice "don't pay yet", when the patient sends on
    the checker page in Arabic a statement by which the insurer reimbursed it all (nothing
    to forgive: the e-mail with the amount and the new date), then that e-mail is in
    Arabic (before: Dutch), and the invoice stays Dutch."""
    invoice = statement_invoice
    assert invoice.language.value == "nl"
    sandbox.clock.set(sandbox.clock.now() + timedelta(days=40))
    sent_before = len(sandbox.outbox())
    asked = format_euros(invoice.amount_due_cents, "nl")
    status, _ = send_statement_on_the_page(sandbox, invoice, asked, language="ar")
    sandbox.drain_deliveries()
    assert status == 200
    (answer,) = sandbox.outbox()[sent_before:]
    assert "betalingskenmerk" not in answer["subject"] and "رقم مرجع الدفع" in answer["subject"]
    assert 'lang="ar"' in answer["html"] and 'dir="rtl"' in answer["html"]
    assert _still_dutch(sandbox, invoice)


def test_r9_r11_a_payment_started_on_the_english_page_is_confirmed_in_english(
    sandbox, emailed_invoice
):
    """Given a Dutch invoice, when the patient pays it with iDEAL from the checker page in
    English and the PSP reports it paid, then the "payment received" e-mail is in English
    (before: "Betaling ontvangen", Dutch), and the invoice stays Dutch."""
    invoice = emailed_invoice
    assert invoice.language.value == "nl"
    visit = visit_cookie(unlock(sandbox, invoice))
    pay = f"action=pay&kenmerk={invoice.reference}&lang=en"
    to_bank = sandbox.api_raw("POST", "/", body=pay, headers=FORM | {"Cookie": visit})
    payment_id = cookie(to_bank, "zn_payment").split("=", 1)[1]
    sent_before = len(sandbox.outbox())
    sandbox.complete_psp_payment(payment_id, "paid")
    sandbox.drain_deliveries()
    (received,) = sandbox.outbox()[sent_before:]
    assert received["subject"].startswith("Payment received - payment reference")
    assert "Geachte" not in received["text"] and "lang=en" in received["text"]
    assert _still_dutch(sandbox, invoice)


def test_r9_r11_a_payment_started_by_the_json_api_in_polish_returns_and_confirms_in_polish(
    sandbox, emailed_invoice
):
    """R9, R11 (audit psp3 #2: POST /api/v1/invoices/{reference}/payments took no language:
    "language" was refused 400, the bank's return page and the "payment received" e-mail
    came in the invoice's language).
    Given a Dutch invoice
    When the patient starts an iDEAL payment through the JSON API with language "pl" and
    the PSP reports it paid
    Then the bank sends the patient back to the checker in Polish, the "payment received"
    e-mail is in Polish, and the invoice stays Dutch; a language we do not write in is
    refused 400 in the shared error shape."""
    invoice = emailed_invoice
    assert invoice.language.value == "nl"
    path = f"/api/v1/invoices/{invoice.reference}/payments"
    born = invoice.birth_date.isoformat()
    json_body = {"Content-Type": "application/json"}
    status, refused = sandbox.api(
        "POST", path, body={"birth_date": born, "language": "de"}, headers=json_body
    )
    assert status == 400 and refused["error"]["code"] == "validation_error"
    status, checkout = sandbox.api(
        "POST", path, body={"birth_date": born, "language": "pl"}, headers=json_body
    )
    assert status == 201
    payment_id = checkout["payment_id"]
    assert "lang=pl" in sandbox.runtime.psp.redirect_url(payment_id)
    sent_before = len(sandbox.outbox())
    sandbox.complete_psp_payment(payment_id, "paid")
    sandbox.drain_deliveries()
    (received,) = sandbox.outbox()[sent_before:]
    assert "Betaling ontvangen" not in received["subject"] and "lang=pl" in received["text"]
    assert "Geachte" not in received["text"]
    assert _still_dutch(sandbox, invoice)
