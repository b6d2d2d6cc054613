"""The checker's objection form has an address of its own, ``/bezwaar`` (R16; this stop's
checker5 brief): the WAF leaves its XSS body rule out there, and only there, because a
patient's message may hold "<", "a<b" or "<b>" (template.yaml, tests/template/test_edge.py).
So that address files an objection and nothing else, and the page's form posts to it."""

from __future__ import annotations

import re

from billing_core.providers.actions import ActionKind
from local.seed import DENTAL
from tests.functional.test_checker_long_objection import as_multipart
from tests.functional.test_patient_api import FORM, unlock, visit_cookie

MARKUP = 'Ik betaalde al. <b>Echt</b>, a<b en <script>alert("x")</script> ook.'


def objections(sandbox):
    actions = sandbox.runtime.repository.list_actions(DENTAL.provider_id)
    return [a for a in actions if a.kind is ActionKind.OBJECTION]


def test_r16_the_pages_objection_form_posts_to_its_own_address_and_files_markup_as_text(
    sandbox, emailed_invoice
):
    """R16, R29, R30: given an unlocked visit, when the page's objection form (its own
    address, as the page names it) is posted with a message holding markup, then the
    objection is filed with the message as typed, and the page after it shows no markup
    of the patient's unescaped."""
    invoice = emailed_invoice
    cookie = visit_cookie(unlock(sandbox, invoice))
    _, page = sandbox.api(
        "GET", "/", query={"kenmerk": invoice.reference}, headers={"Cookie": cookie}
    )
    form = re.search(r'<form[^>]*>\s*<input[^>]*name="action" value="object"', page)[0]
    action = re.search(r'action="([^"]+)"', form)[1]
    assert action == "/bezwaar"
    fields = {
        "action": "object",
        "kenmerk": invoice.reference,
        "lang": "nl",
        "reason": "amount",
        "message": MARKUP,
        "email": "patient@example.org",
    }
    body, headers = as_multipart(fields)
    status, html = sandbox.api("POST", action, body=body, headers=headers | {"Cookie": cookie})
    assert status == 200 and "<script>alert" not in html and "<b>Echt" not in html
    (filed,) = objections(sandbox)
    assert filed.details["message"] == MARKUP


def test_r16_the_objection_address_files_an_objection_and_nothing_else(sandbox, emailed_invoice):
    """Least privilege for the WAF's exception: given an unlocked visit, when a form asking
    for a deferral (R14) is posted to the objection's address, then no deferral is
    granted: the address takes it as an objection, which lacks its fields, so the page
    says what is missing (400) and nothing is filed."""
    invoice = emailed_invoice
    cookie = visit_cookie(unlock(sandbox, invoice))
    form = f"action=defer&kenmerk={invoice.reference}&lang=nl"
    status, _ = sandbox.api("POST", "/bezwaar", body=form, headers=FORM | {"Cookie": cookie})
    assert status in (400, 409)
    stored = sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    assert stored.deferral is None
    assert objections(sandbox) == []


def test_r9_r16_the_acknowledgement_is_in_the_pages_language_and_the_invoice_keeps_its_own(
    sandbox, emailed_invoice
):
    """R9, R16: given a Dutch invoice (its patient language field "nl") and a visit on the
    checker page in English, when the patient files an objection from that page, then
    the acknowledgement e-mail, subject and body, is in English, the language the patient
    wrote in, and its link opens the checker in English; the invoice's own language, for
    the letters that follow, stays Dutch. (Before: Dutch, "Wij hebben uw bezwaar
    ontvangen", to a patient who read and wrote everything in English.)"""
    invoice = emailed_invoice
    assert invoice.language.value == "nl"
    cookie = visit_cookie(unlock(sandbox, invoice))
    fields = {
        "action": "object",
        "kenmerk": invoice.reference,
        "lang": "en",
        "reason": "amount",
        "message": "I was not there that day.",
        "email": "patient@example.org",
    }
    body, headers = as_multipart(fields)
    sent_before = len(sandbox.outbox())
    status, _ = sandbox.api("POST", "/bezwaar", body=body, headers=headers | {"Cookie": cookie})
    sandbox.drain_deliveries()
    assert status == 200
    (acknowledgement,) = sandbox.outbox()[sent_before:]
    assert acknowledgement["subject"].startswith("We have received your objection")
    assert "Dear Sir or Madam" in acknowledgement["text"]
    assert "Geachte" not in acknowledgement["text"] and "bezwaar" not in acknowledgement["text"]
    assert "lang=en" in acknowledgement["text"] and "lang=nl" not in acknowledgement["text"]
    stored = sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    assert stored.language.value == "nl"
