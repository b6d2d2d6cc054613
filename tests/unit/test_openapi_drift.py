"""The checked-in OpenAPI documents are what the handlers serve (interfaces.md §2)."""

import pytest

from local.openapi import APIS, DOCS, generate, render


@pytest.mark.parametrize("name", sorted(APIS))
def test_checked_in_openapi_matches_the_code(name):
    # Given the document generated from the handler / Then it equals the checked-in copy
    expected = render(generate()[name])
    actual = (DOCS / name).read_text(encoding="utf-8")
    assert actual == expected, f"docs/openapi/{name} is stale: run `python -m local.openapi`"


def test_the_patient_api_documents_its_public_routes():
    paths = generate()["patient.json"]["paths"]
    assert {
        "/api/v1/payment-status/{reference}",
        "/api/v1/invoices/{reference}/payments",
        "/api/v1/invoices/{reference}/deferral",
        "/api/v1/invoices/{reference}/arrangement",
        "/api/v1/invoices/{reference}/objection",
    } <= set(paths)
    assert "/" not in paths  # the page is HTML, not part of the API contract
