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


@pytest.mark.parametrize("name", ["provider.json", "operator.json"])
def test_an_api_behind_the_token_documents_the_bearer_token(name):
    """Given the document of an API behind the Cognito authorizer
    Then it declares the bearer token for every route: Swagger's Authorize button."""
    document = generate()[name]
    assert document["components"]["securitySchemes"] == {
        "bearerToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    assert document["security"] == [{"bearerToken": []}]


def test_the_patient_api_asks_no_token():
    document = generate()["patient.json"]
    assert "security" not in document and "securitySchemes" not in document["components"]


@pytest.mark.parametrize("name", sorted(APIS))
def test_every_operation_is_tagged_by_its_resource(name):
    """Given an API's document / Then each operation sits under its resource's tag, the
    sections of the Swagger page."""
    operations = [op for methods in generate()[name]["paths"].values() for op in methods.values()]
    assert operations and all(len(op["tags"]) == 1 for op in operations)
    assert len({op["tags"][0] for op in operations}) >= 2
