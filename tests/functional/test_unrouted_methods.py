"""A method a path does not take, on every API (interfaces.md §2; audit PAGES1's rest, known.md
stop 37 "Pages"): API Gateway answers it itself, before any function, with the API's
MISSING_AUTHENTICATION_TOKEN gateway response (template.yaml), which the sandbox sends too."""

from __future__ import annotations

import json

import pytest

from local.sandbox import Caller
from local.seed import DENTAL

REFERENCE = "12345678901234"
INVOICE_ID = "3f1c0a52-8d0e-4b7a-9c55-0e2d7f4b9a10"
PRACTICE = Caller.practice(DENTAL.provider_id, "admin")
OPERATOR = Caller.operator()


@pytest.mark.parametrize(
    ("method", "path", "caller"),
    [
        # The patient API: the checker's status only reads, a payment is only started.
        ("DELETE", f"/api/v1/payment-status/{REFERENCE}", None),
        ("GET", f"/api/v1/invoices/{REFERENCE}/payments", None),
        ("GET", "/webhooks/psp", None),
        # The provider API, the operator API and the portal, with a valid login.
        ("DELETE", f"/api/v1/provider/invoices/{INVOICE_ID}", PRACTICE),
        ("GET", f"/api/v1/provider/invoices/{INVOICE_ID}/stop", PRACTICE),
        ("DELETE", "/api/v1/operator/providers", OPERATOR),
        ("GET", "/portal/logout", PRACTICE),
    ],
)
def test_a_method_a_path_does_not_take_is_the_apis_404_not_a_login_problem(
    sandbox, method, path, caller
):
    """interfaces.md §2 (404 not found, the shared error shape).
    Given a path an API serves, and a method its route does not take
    When a program (or a browser) sends it
    Then the answer is 404 in the APIs' error shape {"error": {"code", "message"}} with a
    Dutch and an English sentence, as an unknown invoice's 404 is; not API Gateway's 403
    {"message": "Missing Authentication Token"}, which reads as a login problem. Kept out
    of shared caches and sniffing like the functions' own answers."""
    answer = sandbox.api_raw(method, path, caller=caller)
    assert answer["statusCode"] == 404
    assert answer["headers"] == {
        "Content-Type": "application/json",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    error = json.loads(answer["body"])["error"]
    assert error == {
        "code": "not_found",
        "message": "Dit adres bestaat niet of neemt deze methode niet aan. / "
        "This address does not exist or does not take this method.",
    }


def test_the_unknown_method_answer_has_the_shape_of_an_unknown_invoices(sandbox):
    """interfaces.md §2: Given an unknown invoice's 404 from the patient API and an unknown
    method's, Then both have the same keys: a program reads one error shape."""
    _, unknown_invoice = sandbox.api("GET", f"/api/v1/payment-status/{REFERENCE}")
    _, unknown_method = sandbox.api("DELETE", f"/api/v1/payment-status/{REFERENCE}")
    assert unknown_invoice["error"].keys() == unknown_method["error"].keys()
    assert unknown_invoice["error"]["code"] == unknown_method["error"]["code"] == "not_found"
