"""A practice whose stored settings no longer validate (a legacy item, R31: "one bad
provider never stops a run for the others"), as its patients meet it on the checker (R10,
R36) and the patient API (interfaces.md §2): an answer in the patient's language (R9) that
says the invoice cannot be shown now, never the operator's repair instruction (audit
onboard3 D1)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from billing_core.adapters.dynamo import keys
from billing_core.invoices.invoice import Invoice
from local.generate import declaration_csv
from local.seed import DENTAL

# What the operator's 409 says, none of which is for a patient.
INTERNAL = ("provider_unreadable", "legal_name", "Field required", "PUT", DENTAL.provider_id)


@pytest.fixture
def invoice_of_broken_practice(sandbox) -> Invoice:
    """Given an invoice of the dental practice, whose stored settings then lose a required
    field (an item written by an old version)."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(4))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    table = sandbox.runtime.repository._table
    item = table.get_item(Key=keys.provider_key(DENTAL.provider_id))["Item"]
    del item["legal_name"]
    table.put_item(Item=item)
    return invoices[0]


def page_text(html: str) -> str:
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("nl", "Deze nota kunnen we nu niet tonen"),
        ("en", "We cannot show this invoice right now"),
        ("pl", "Nie możemy teraz pokazać tej faktury"),
        ("ar", "لا يمكننا عرض هذه الفاتورة الآن"),
    ],
)
def test_r31_r9_the_checker_page_says_in_the_patients_language_the_invoice_cannot_be_shown_now(
    sandbox, invoice_of_broken_practice, language, sentence
):
    # When the patient opens the checker with the invoice's kenmerk, in their language
    query = {"kenmerk": invoice_of_broken_practice.reference, "lang": language}
    status, html = sandbox.api("GET", "/", query=query)
    # Then it is the checker page (HTML, not the APIs' JSON), 503 as a passing failure,
    # saying so in that language, and nothing of the operator's repair instruction
    assert status == 503
    assert isinstance(html, str) and html.lstrip().lower().startswith("<!doctype html")
    text = page_text(html)
    assert sentence in text
    assert not any(internal in html for internal in INTERNAL)


def test_r31_r9_a_checker_form_of_the_invoice_gets_the_same_page(
    sandbox, invoice_of_broken_practice
):
    # When the patient posts a form of the page for the invoice (a deferral, Polish), its
    # visit's pass expired: the page is shown again, which reads the practice
    form = {
        "action": "defer",
        "kenmerk": invoice_of_broken_practice.reference,
        "lang": "pl",
    }
    answer = sandbox.api_raw(
        "POST",
        "/",
        body="&".join(f"{k}={v}" for k, v in form.items()),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    # Then the page says in Polish the invoice cannot be shown now (503)
    assert answer["statusCode"] == 503
    html = answer["body"]
    assert "Nie możemy teraz pokazać tej faktury" in page_text(html)
    assert not any(internal in html for internal in INTERNAL)


@pytest.mark.parametrize(
    ("accept_language", "sentence"),
    [
        ("pl", "Nie możemy teraz pokazać tej faktury"),
        ("ar", "لا يمكننا عرض هذه الفاتورة الآن"),
        (None, "Deze nota kunnen we nu niet tonen"),
    ],
)
def test_r31_r9_the_payment_status_api_answers_503_in_the_patients_language(
    sandbox, invoice_of_broken_practice, accept_language, sentence
):
    # When a program asks the invoice's status (with or without Accept-Language)
    headers = {"Accept-Language": accept_language} if accept_language else {}
    status, answer = sandbox.api(
        "GET", f"/api/v1/payment-status/{invoice_of_broken_practice.reference}", headers=headers
    )
    # Then 503 invoice_unavailable, in the asked language (else Dutch and English), and
    # nothing of the operator's 409
    assert (status, answer["error"]["code"]) == (503, "invoice_unavailable")
    assert sentence in answer["error"]["message"]
    assert not any(internal in str(answer) for internal in INTERNAL)
    if accept_language is None:
        assert "We cannot show this invoice right now" in answer["error"]["message"]
