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
        sent = body if isinstance(body, str) or body is None else json.dumps(body)
        answer = sandbox.api_raw(method, path, body=sent, headers=headers)
        assert str(answer["statusCode"]) == what[:3], (what, answer["statusCode"], answer["body"])
        got = _headers(answer)
        assert got.get("Cache-Control") == "no-store", what
        assert got.get("X-Content-Type-Options") == "nosniff", what
        assert "Content-Security-Policy" not in got, what  # JSON, not a page
        seen.append(what)
    assert len(seen) == 8
