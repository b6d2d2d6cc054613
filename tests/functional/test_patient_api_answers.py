"""What every answer of the checker's public JSON API carries (R10, R29; this stop's
checker5 audit of the patient API)."""

from __future__ import annotations

import json

import pytest

from billing_core.shared import reference as betalingskenmerk
from tests.functional.test_patient_api import _headers

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def invoice(emailed_invoice):
    return emailed_invoice


def unknown_reference(sandbox, invoice) -> str:
    known = {invoice.reference}
    return next(
        r for r in map(betalingskenmerk.from_payload, range(123456, 124000)) if r not in known
    )


def _requests(sandbox, invoice):
    """(what, method, path, body, headers): one of each answer the API gives a patient."""
    right = {"birth_date": invoice.birth_date.isoformat()}
    wrong = {"birth_date": "1900-01-01"}
    ref = invoice.reference
    unknown = unknown_reference(sandbox, invoice)
    bad_digit = ref[:-1] + str((int(ref[-1]) + 1) % 10)
    return [
        ("404 unknown kenmerk", "GET", f"/api/v1/payment-status/{unknown}", None, None),
        ("400 wrong check digit", "GET", f"/api/v1/payment-status/{bad_digit}", None, None),
        ("404 wrong birth date", "POST", f"/api/v1/invoices/{ref}/deferral", wrong, JSON),
        ("200 deferral", "POST", f"/api/v1/invoices/{ref}/deferral", right, JSON),
        ("409 already deferred", "POST", f"/api/v1/invoices/{ref}/deferral", right, JSON),
        ("400 no birth date", "POST", f"/api/v1/invoices/{ref}/arrangement", {"terms": 3}, JSON),
        (
            "415 not JSON",
            "POST",
            f"/api/v1/invoices/{ref}/objection",
            "x=1",
            {"Content-Type": "text/plain"},
        ),
        (
            "413 too large",
            "POST",
            f"/api/v1/invoices/{ref}/objection",
            {"message": "x" * 9000},
            JSON,
        ),
    ]


def test_r29_every_answer_of_the_patient_api_is_never_cached_or_sniffed(sandbox, invoice):
    """R29, R36 (audit PATIENT1 made it so for the 200s; checker5: not for the errors).
    Given an invoice of the checker, when the API answers a lookup or a patient's action
    with success or any error (an unknown kenmerk, a wrong check digit or birth date, a
    second deferral, a body missing a field, not JSON, too large), then every answer
    carries ``Cache-Control: no-store`` and ``nosniff``: a 404 is cacheable by a proxy
    by default (RFC 9111 §4.2.2), and a 409 "already deferred" says how a patient's
    invoice stands."""
    seen = []
    for what, method, path, body, headers in _requests(sandbox, invoice):
        if what == "409 already deferred":
            # Sent again within a retry's lifetime it is the first answer again (R38)
            sandbox.clock.advance(days=2)
        sent = body if isinstance(body, str) or body is None else json.dumps(body)
        answer = sandbox.api_raw(method, path, body=sent, headers=headers)
        assert str(answer["statusCode"]) == what[:3], (what, answer["statusCode"], answer["body"])
        got = _headers(answer)
        assert got.get("Cache-Control") == "no-store", what
        assert got.get("X-Content-Type-Options") == "nosniff", what
        assert "Content-Security-Policy" not in got, what  # JSON, not a page
        seen.append(what)
    assert len(seen) == 8


BILINGUAL = (
    "Wij vinden geen nota bij dit betalingskenmerk en deze gegevens. Controleer het "
    "betalingskenmerk op uw nota en, als u die meestuurde, de geboortedatum van de patiënt. "
    "Klopt het toch? Probeer het dan pas over een uur opnieuw: na enkele foute pogingen "
    "wachten we een uur, en een poging in dat uur laat het uur opnieuw beginnen. Of bel de "
    "zorgverlener op uw nota. / "
    "We cannot find an invoice for this payment reference and these details. Please check "
    "the payment reference on your invoice and, if you sent one, the patient's date of "
    "birth. All right? Then try again in an hour, not sooner: after several wrong tries we "
    "wait an hour, and a try within that hour starts the hour again. Or call the healthcare "
    "provider on your invoice."
)


@pytest.mark.parametrize(
    "accept_language, language",
    [
        ("ar", "ar"),
        ("pl-PL,pl;q=0.9", "pl"),
        ("en-US,en;q=0.5", "en"),
        ("nl-NL,nl;q=0.9,en;q=0.8", "nl"),
        ("de-DE, pl;q=0.3, ar;q=0.7", "ar"),
        ("*", None),
        ("garbage;;q=x", None),
        ("de, ar;q=0", None),
        ("", None),
    ],
)
def test_r9_r10_the_patient_apis_errors_speak_the_visitors_language(
    sandbox, invoice, accept_language, language
):
    """R9, R10, interfaces.md §2 (checker5 audit: every error was "Dutch / English"
    whatever the patient's browser asked, though the patient texts hold these sentences
    in Polish and Arabic too). Given an Accept-Language, when a patient looks up an
    unknown kenmerk, sends a wrong birth date, a kenmerk with a wrong check digit, or asks
    a second deferral, then each message is in the language asked for (Content-Language
    says which; Vary: Accept-Language); with no clear wish (``*``, a header that cannot be
    read, only languages we lack) in Dutch and English as before. An unknown kenmerk and a
    wrong birth date still answer the very same, in every language (R10)."""
    from billing_core.texts.patient import patient_message, refusal_sentences

    asked = {"Accept-Language": accept_language} if accept_language else {}
    unknown = unknown_reference(sandbox, invoice)
    ref = invoice.reference
    wrong = json.dumps({"birth_date": "1900-01-01"})
    by_status = sandbox.api_raw("GET", f"/api/v1/payment-status/{unknown}", headers=asked)
    by_birth_date = sandbox.api_raw(
        "POST", f"/api/v1/invoices/{ref}/deferral", body=wrong, headers=JSON | asked
    )
    by_kenmerk = sandbox.api_raw(
        "POST", f"/api/v1/invoices/{unknown}/deferral", body=wrong, headers=JSON | asked
    )
    assert by_birth_date["body"] == by_kenmerk["body"] == by_status["body"]
    assert _headers(by_birth_date) == _headers(by_kenmerk)
    bad_digit = ref[:-1] + str((int(ref[-1]) + 1) % 10)
    invalid = sandbox.api_raw("GET", f"/api/v1/payment-status/{bad_digit}", headers=asked)
    right = json.dumps({"birth_date": invoice.birth_date.isoformat()})
    path = f"/api/v1/invoices/{ref}/deferral"
    assert sandbox.api_raw("POST", path, body=right, headers=JSON)["statusCode"] == 200
    sandbox.clock.advance(days=2)  # past a retry's lifetime: a second deferral (R14, R38)
    again = sandbox.api_raw("POST", path, body=right, headers=JSON | asked)
    assert (invalid["statusCode"], again["statusCode"]) == (400, 409)
    messages = [json.loads(a["body"])["error"]["message"] for a in (by_status, invalid, again)]
    deferred = refusal_sentences("already_deferred")
    if language is None:
        assert messages[0] == BILINGUAL
        assert (
            messages[1].startswith("Dit betalingskenmerk klopt niet") and " / This " in messages[1]
        )
        assert messages[2] == f"{deferred['nl']} / {deferred['en']}"
    else:
        assert messages == [
            patient_message("not_found", language),
            patient_message("invalid_reference", language),
            deferred[language],
        ]
    for answer in (by_status, invalid, again):
        headers = _headers(answer)
        assert headers.get("Content-Language") == language
        assert headers.get("Vary") == "Accept-Language"


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [
        ("pl-PL,pl;q=0.9,en;q=0.5", "pl"),
        ("ar", "ar"),
        ("en-GB,en;q=0.9", "en"),
        ("de, ar;q=0.4, en;q=0.3", "ar"),
        ("nl", "nl"),
        ("*", "nl"),
        ("de", "nl"),
        (None, "nl"),
    ],
)
def test_r9_r10_the_status_answers_pay_url_is_in_the_visitors_language(
    sandbox, invoice, accept_language, lang
):
    """R9, R10, interfaces.md §2 (stop 42 small5 item 2: pay_url always said lang=nl,
    whatever the visitor asked, though the errors of the same API follow Accept-Language).
    Given an invoice and a visitor whose browser asks for a language
    When they ask the checker's JSON API whether it is paid
    Then the pay_url opens the checker in the patient language they asked for, Dutch when
    they ask for none we have (as the errors' default is Dutch first), and the answer says
    it depends on Accept-Language (Vary), so no cache hands one visitor's link to another."""
    asked = {"Accept-Language": accept_language} if accept_language else {}

    answer = sandbox.api_raw("GET", f"/api/v1/payment-status/{invoice.reference}", headers=asked)

    assert answer["statusCode"] == 200
    body = json.loads(answer["body"])
    assert body["pay_url"].endswith(f"/?kenmerk={invoice.reference}&lang={lang}")
    assert _headers(answer).get("Vary") == "Accept-Language"
