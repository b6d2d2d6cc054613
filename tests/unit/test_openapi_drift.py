"""The checked-in OpenAPI documents are what the handlers serve (interfaces.md §2)."""

import json

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


@pytest.mark.parametrize("name", sorted(APIS))
def test_every_operation_documents_the_error_answers_the_api_gives(name):
    """interfaces.md §2: a request that fails validation answers 400 with
    {"error": {"code", "message"}}, not Powertools' 422 "Validation Error" (stop 34's
    known item): each operation names 400 in that shape, a write also 409 and 422."""
    # Given the document the API serves
    document = generate()[name]
    # Then no operation promises Powertools' validation answer
    assert "Validation Error" not in render(document)
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert responses["400"]["content"]["application/json"]["schema"] == error, path
            if method in ("post", "put", "patch", "delete"):
                assert {"409", "422"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)


@pytest.mark.parametrize("name", ["provider.json", "operator.json"])
def test_every_write_behind_the_token_documents_the_idempotency_key(name):
    """interfaces.md §6 ("every write takes Idempotency-Key"), §7, R38 (audit round 37
    RETRIES2): each POST, PUT, PATCH and DELETE names the header once, and its success
    answer the Idempotent-Replayed header; a read names neither."""
    document = generate()[name]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
            write = method in ("post", "put", "patch", "delete")
            assert headers.count("Idempotency-Key") == write, (method, path)
            kept = [a for s, a in operation["responses"].items() if s.startswith("2")]
            assert all(("Idempotent-Replayed" in a.get("headers", {})) == write for a in kept)
    methods = {m for operations in document["paths"].values() for m in operations}
    assert {"put", "delete"} & methods, "the header of a PUT or DELETE is documented too"


@pytest.mark.parametrize("name", ["provider.json", "operator.json"])
def test_a_write_documents_the_409_of_a_key_still_in_use(name):
    """R38, interfaces.md §6-7 (audit round 47 idem3): a request sent again while the
    first with its key is still carried out gets 409 idempotency_key_in_use, which
    neither the header nor the 409 named (only concurrent_change).
    Given the document / Then the header and each write's 409 name that code."""
    document = generate()[name]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            key = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
            assert "idempotency_key_in_use" in key["description"], (method, path)
            assert "idempotency_key_in_use" in operation["responses"]["409"]["description"]


@pytest.mark.parametrize("name", sorted(APIS))
def test_every_reference_in_a_document_resolves(name):
    """Given a document with Powertools' validation schemas taken out
    Then every $ref still names a schema it has."""
    document = generate()[name]
    text = render(document)
    refs = {part.split('"')[0] for part in text.split('"$ref": "#/components/schemas/')[1:]}
    assert refs and refs <= set(document["components"]["schemas"])


def test_the_blocked_list_says_what_blocked_at_holds():
    """R22 (known, stop 40: the blocked list still described ``blocked_at`` as the first
    claim's handover). Given the provider API's document
    Then the blocked list's ``blocked_at`` is the moment of the block's 'blocked' change in
    the changes feed, never before the last unblock: after a release landed while a run
    handed over, or a returned payment, it is no handover's moment (audit agency AGENCY1)."""
    schemas = generate()["provider.json"]["components"]["schemas"]
    described = schemas["BlockedPatientOut"]["properties"]["blocked_at"]["description"]
    assert "first claim" not in described
    assert "'blocked' change" in described and "/blocked-patients/changes" in described
    assert "never before the patient's last unblock" in described


# What API Gateway and the web ACL answer before any app (template.yaml), by the example
# each operation shows: the gateway response, or the web ACL rule whose body it is.
GATEWAY_EXAMPLES = {"route_throttle": "THROTTLED", "waf_filtered": "WAF_FILTERED"}
WEB_ACL_EXAMPLES = {
    "per_ip_limit": "over-a-per-ip-limit-api",
    "too_large": "body-over-8kb-api",
    "refused_body": "body-attack-api",
}


def examples_shown(answer):
    media = answer["content"]["application/json"]
    assert media["schema"] == {"$ref": "#/components/schemas/Error"}
    refs = {name: example["$ref"] for name, example in media.get("examples", {}).items()}
    assert all(ref == f"#/components/examples/{name}" for name, ref in refs.items())
    return set(refs)


@pytest.mark.parametrize("name", sorted(APIS))
def test_every_operation_documents_what_the_gateway_and_the_web_acl_answer(name):
    """interfaces.md §2, R9, R10 (audit wafdoc56: no document named the web ACL's 403,
    413 or 429, nor showed a body, so a client author could not see them).
    Given the document an API serves
    Then every operation names the web ACL's 403 (forbidden, its managed rules), the 429
    of the route's throttle and of the per-IP limit with its Retry-After, each write the
    413, and each route with a body the 400 of a refused body, each with its example."""
    # Given the document the API serves
    document = generate()[name]
    # Then each operation names those answers, with the examples of what is sent
    operations = 0
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert examples_shown(responses["403"]) == {"waf_filtered"}, (method, path)
            assert "(forbidden)" in responses["403"]["description"], (method, path)
            assert examples_shown(responses["429"]) == {"route_throttle", "per_ip_limit"}
            assert responses["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}
            with_body = method in ("post", "put", "patch")
            assert examples_shown(responses["400"]) == ({"refused_body"} if with_body else set())
            if method in ("post", "put", "patch", "delete"):
                assert examples_shown(responses["413"]) == {"too_large"}, (method, path)
            operations += 1
    assert operations >= 6


@pytest.mark.parametrize("name", sorted(APIS))
def test_the_documented_examples_are_what_the_template_sends(name):
    """R9, interfaces.md §2 (audit wafdoc56). Given the examples a document shows and
    template.yaml's gateway responses and web ACL
    Then each example is, word for word, the body the gateway response or the web ACL
    rule (under /api/) sends, and is shown under the status it sends."""
    from local.resources import load_template, resources_of_type

    # Given the template's answers
    template = load_template()
    gateway = template["Resources"]["Api"]["Properties"]["GatewayResponses"]
    [acl] = resources_of_type(template, "AWS::WAFv2::WebACL").values()
    rules = {rule["Name"]: rule for rule in acl["Rules"]}
    sent = {
        example: (
            gateway[response]["StatusCode"],
            json.loads(gateway[response]["ResponseTemplates"]["application/json"]),
        )
        for example, response in GATEWAY_EXAMPLES.items()
    }
    for example, rule in WEB_ACL_EXAMPLES.items():
        custom = rules[rule]["Action"]["Block"]["CustomResponse"]
        body = acl["CustomResponseBodies"][custom["CustomResponseBodyKey"]]
        assert body["ContentType"] == "APPLICATION_JSON", rule
        sent[example] = (str(custom["ResponseCode"]), json.loads(body["Content"]))
    # When the document is generated
    document = generate()[name]
    shown = document["components"]["examples"]
    # Then each example is the body sent, under the status it is sent with
    assert {example: value["value"] for example, value in shown.items()} == {
        example: body for example, (_, body) in sent.items()
    }
    for methods in document["paths"].values():
        for operation in methods.values():
            for status, answer in operation["responses"].items():
                for example in answer["content"].get("application/json", {}).get("examples", {}):
                    assert sent[example][0] == status, (example, status)
