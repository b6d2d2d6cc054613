"""An objection as long as the checker's form allows (R16: "a message of at most 2000
characters", ``maxlength="2000"``), in Arabic (R9, R36) or any script of 3-byte
characters, reaches the practice whole (audit REQUESTS1).

Urlencoded, a browser writes each byte of such a character as ``%XX``: 2,000 of them were
10-14 KB, over the 8 KB that the WAF (``bodies-over-8kb``) and the patient API take, and
the patient got the APIs' JSON 413 in the middle of the checker, the message lost. The
objection form posts multipart/form-data (UTF-8: at most 6 KB), and a form that still
arrives over the limit (a page loaded before, a browser of its own) gets a page in the
patient's language that gives the message back."""

from __future__ import annotations

import base64
import json
import re
import uuid
from html import unescape
from urllib.parse import urlencode

import pytest

from billing_core.entrypoints.http.middleware import PATIENT_MAX_BODY_BYTES
from billing_core.providers.actions import ActionKind
from local.seed import DENTAL
from tests.functional.test_arabic import arabic_invoices, header
from tests.functional.test_patient_api import FORM, unlock, visit_cookie

# 2,000 characters, each 2 bytes (Arabic) or 3 bytes (the euro sign) in UTF-8.
ARABIC = ("اعتراض على المبلغ\n" * 120)[:1999] + "."
EUROS = "€" * 2000


@pytest.fixture
def arabic_invoice(sandbox):
    return arabic_invoices(sandbox)[0]


def objection(invoice, message: str) -> dict[str, str]:
    return {
        "action": "object",
        "kenmerk": invoice.reference,
        "lang": "ar",
        "reason": "amount",
        "message": message,
        "email": "patient@example.org",
    }


def as_multipart(fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The body and Content-Type a browser sends for a form of enctype multipart/form-data
    (RFC 7578: each field raw UTF-8, a textarea's lines ending CRLF)."""
    boundary = f"----WebKitFormBoundary{uuid.uuid4().hex[:16]}"
    parts = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value.replace("\n", "\r\n").encode()
        + b"\r\n"
        for name, value in fields.items()
    )
    body = parts + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def objections(sandbox):
    actions = sandbox.runtime.repository.list_actions(DENTAL.provider_id)
    return [a for a in actions if a.kind is ActionKind.OBJECTION]


@pytest.mark.parametrize("message", [ARABIC, EUROS], ids=["arabic", "three_byte"])
def test_r16_r9_an_objection_of_2000_characters_in_arabic_is_filed_whole(
    sandbox, arabic_invoice, message
):
    """R16, R9, R36 (audit REQUESTS1): given an Arabic invoice unlocked, when the objection
    form is posted as the browser posts it (the form's own enctype; on the stage the body
    reaches the function base64-encoded) with 2,000 Arabic characters, or 2,000 three-byte
    characters, then 200 and one objection action holds the whole message."""
    cookie = visit_cookie(unlock(sandbox, arabic_invoice))
    _, page = sandbox.api(
        "GET",
        "/",
        query={"kenmerk": arabic_invoice.reference, "lang": "ar"},
        headers={"Cookie": cookie},
    )
    form = re.search(r'<form[^>]*>\s*<input[^>]*name="action" value="object"', page)[0]
    assert 'enctype="multipart/form-data"' in form
    body, headers = as_multipart(objection(arabic_invoice, message))
    assert len(body) <= PATIENT_MAX_BODY_BYTES  # what the WAF's 8 KB sees
    status, html = sandbox.api("POST", "/", body=body, headers=headers | {"Cookie": cookie})
    assert status == 200 and 'lang="ar"' in html
    (filed,) = objections(sandbox)
    assert filed.details["message"] == message.replace("\n", "\r\n")


@pytest.mark.parametrize(
    "message",
    [ARABIC, "<script>alert(1)</script> " + "ب" * 1970],
    ids=["arabic", "markup"],
)
def test_r16_r36_a_form_over_the_limit_gets_a_page_in_its_language_with_the_message_back(
    sandbox, arabic_invoice, message
):
    """R16, R36, interfaces.md §2 (audit REQUESTS1): given an Arabic invoice unlocked, when
    an objection form arrives over the 8 KB (urlencoded, as a page loaded before the change
    posts it), then 413 with an HTML page in Arabic, not the APIs' JSON: it says the message
    was too long, gives it back whole (autoescaped) and leads back to the checker for the
    kenmerk; nothing is filed."""
    cookie = visit_cookie(unlock(sandbox, arabic_invoice))
    body = urlencode(objection(arabic_invoice, message))
    assert len(body) > PATIENT_MAX_BODY_BYTES
    headers = FORM | {"Cookie": cookie, "Sec-Fetch-Site": "same-origin"}
    answer = sandbox.api_raw("POST", "/", body=body.encode(), headers=headers)
    html = answer["body"]
    assert answer["statusCode"] == 413
    assert header(answer, "Content-Type").startswith("text/html")
    assert "frame-ancestors 'none'" in header(answer, "Content-Security-Policy")
    assert '<html lang="ar" dir="rtl">' in html and "رسالتكم طويلة جدًا" in html
    given_back = re.search(r'<textarea id="given-back-text"[^>]*>(.*?)</textarea>', html, re.S)[1]
    assert unescape(given_back) == message and "<script>" not in html
    assert f'href="/?kenmerk={arabic_invoice.reference}&amp;lang=ar"' in html
    assert objections(sandbox) == []


@pytest.mark.parametrize("site", ["cross-site", "same-site", "none"])
def test_r29_another_sites_form_over_the_limit_gets_no_text_back(sandbox, arabic_invoice, site):
    """R29, R36 (this stop's review of REQUESTS1's page): given a form over the 8 KB that
    the browser says came from elsewhere (``Sec-Fetch-Site``), when it reaches the checker,
    then the 413 page in its language says the message was too long but shows none of the
    posted text: the page runs before any route (no visit's check), and another site must
    not make our domain show words of its choosing."""
    message = "Bel 0900-1234 om te betalen " + "ب" * 1970
    body = urlencode(objection(arabic_invoice, message))
    headers = FORM | {"Sec-Fetch-Site": site}
    answer = sandbox.api_raw("POST", "/", body=body.encode(), headers=headers)
    html = answer["body"]
    assert answer["statusCode"] == 413 and "رسالتكم طويلة جدًا" in html
    assert "given-back-text" not in html and "0900-1234" not in html
    assert objections(sandbox) == []


def test_r36_a_json_client_over_the_limit_still_gets_the_json_413(sandbox, arabic_invoice):
    """interfaces.md §2: the API's objection route answers a body over 8 KB in JSON, as
    documented; only the checker's page routes answer a person with a page."""
    body = '{"message": "' + "\\u0627" * 2000 + '"}'
    answer = sandbox.api_raw(
        "POST",
        f"/api/v1/invoices/{arabic_invoice.reference}/objection",
        body=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert answer["statusCode"] == 413
    assert '"too_large"' in answer["body"] and "<html" not in answer["body"]


def test_r16_the_limit_is_on_the_body_as_sent_not_its_base64(sandbox, arabic_invoice):
    """interfaces.md §2 ("a body over 8 KB is 413"), as the WAF counts it: given a JSON
    objection of 7.3 KB (1,400 Arabic characters escaped, as JSON.stringify's callers and
    Python's json send them), when it reaches the function base64-encoded as on the stage
    (9.8 KB of base64), then it is filed (202), not refused as over 8 KB."""
    body = json.dumps(
        {
            "birth_date": arabic_invoice.birth_date.isoformat(),
            "reason": "amount",
            "message": ARABIC[:1400],
            "email": "patient@example.org",
        }
    ).encode()
    assert len(body) < PATIENT_MAX_BODY_BYTES < len(base64.b64encode(body))
    status, answer = sandbox.api(
        "POST",
        f"/api/v1/invoices/{arabic_invoice.reference}/objection",
        body=body,
        headers={"Content-Type": "application/json"},
    )
    assert (status, answer) == (202, {"accepted": True})
    assert len(objections(sandbox)) == 1
