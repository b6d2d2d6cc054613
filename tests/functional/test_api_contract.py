"""What the provider and operator APIs answer is what their OpenAPI documents say
(interfaces.md §2 "generated OpenAPI", §6, §7; audit round 40 INTEGRATOR1-7): the status,
the content type and the body of a real answer, as a client generated from the document
reads them, and every error message in Dutch and English."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from billing_core.adapters.dynamo import keys
from functions.provider_api.app import api as provider_api
from local.generate import declaration_csv
from local.sandbox import Caller
from local.seed import DENTAL
from tests.functional.documented_answers import assert_documented, content_type, document, header

P = "/api/v1/provider"
B = "/api/v1/operator"  # the back office
ADMIN = Caller.practice(DENTAL.provider_id, "admin")
VIEWER = Caller.practice(DENTAL.provider_id, "viewer")
OPERATOR = Caller.operator()
UNKNOWN_KENMERK = "12345678901234"
ROUTES = Path(__file__).resolve().parents[2] / "functions"


def document_of(path):
    return document("operator_api" if path.startswith(B) else "provider_api")


def operation(document, method, template):
    return document["paths"][template][method.lower()]


def error_of(answer):
    return json.loads(answer["body"])["error"]


def new_practice():
    settings = DENTAL.model_dump(mode="json") | {
        "provider_id": "nieuw-praktijk",
        "name": "Nieuwe Praktijk",
        "agb_codes": [{"code": "04999887", "kind": "practice"}],
    }
    settings.pop("version")
    return settings


CREATED = [
    ("POST", f"{P}/declarations", ADMIN, {"file_name": "week-48.csv"}),
    ("POST", f"{P}/retour-files", ADMIN, {"file_name": "vgz.pm305"}),
    ("POST", f"{B}/providers", OPERATOR, None),
]


@pytest.mark.parametrize(("method", "path", "who", "body"), CREATED, ids=[c[1] for c in CREATED])
def test_a_created_answer_is_documented_as_201(sandbox, method, path, who, body):
    """INTEGRATOR1. Given the API's document
    When the caller POSTs an upload request or a new provider
    Then the answer's 201 is a documented status (not a 200 the code never answers), and
    its body validates against that answer's schema."""
    answer = sandbox.api_raw(method, path, caller=who, body=body or new_practice())
    assert answer["statusCode"] == 201
    assert_documented(answer, method, path)
    assert "200" not in operation(document_of(path), method, path)["responses"]


def _routes_answering_created():
    """(module, function) of every route whose code answers HTTPStatus.CREATED itself."""
    for module in sorted(ROUTES.glob("*_api/routes/*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
            if "HTTPStatus.CREATED" in ast.unparse(function):
                yield module, function.name


def test_every_route_that_answers_201_documents_it():
    """INTEGRATOR1, for the routes to come. Given each route whose code answers 201
    Then its operation in the document has a 201 answer."""
    found = list(_routes_answering_created())
    assert len(found) >= 4
    for module, name in found:
        api = "operator.json" if "operator_api" in str(module) else "provider.json"
        if "patient_api" in str(module):
            api = "patient.json"
        document = json.loads((ROUTES.parent / "docs" / "openapi" / api).read_text())
        operations = [
            op
            for methods in document["paths"].values()
            for op in methods.values()
            if op["operationId"].startswith(f"{name}_api_v1")
        ]
        assert len(operations) == 1, (module.name, name)
        assert "201" in operations[0]["responses"], (module.name, name)


CSV_DOWNLOADS = [
    (f"{P}/declarations/template.csv", None),
    (f"{P}/blocked-patients", {"format": "csv"}),
    (f"{P}/blocked-patients/changes", {"format": "csv", "since": "2026-11-01T00:00:00Z"}),
]


@pytest.mark.parametrize(("path", "query"), CSV_DOWNLOADS, ids=[c[0] for c in CSV_DOWNLOADS])
def test_a_csv_download_is_documented_as_a_csv_file(sandbox, path, query):
    """INTEGRATOR2; interfaces.md §7 (the template: "an empty CSV with every column"),
    R40. Given the provider document
    When the admin downloads the CSV
    Then its Content-Type (text/csv) is one the documented 200 names, and the
    Content-Disposition that names the file is a documented header of it."""
    answer = sandbox.api_raw("GET", path, caller=ADMIN, query=query)
    assert answer["statusCode"] == 200 and content_type(answer) == "text/csv"
    documented = assert_documented(answer, "GET", path)
    assert header(answer, "Content-Disposition").startswith("attachment; filename=")
    assert "Content-Disposition" in documented["headers"]


@pytest.mark.parametrize("name", ["provider.json", "operator.json"])
def test_every_write_with_a_body_documents_the_415(name):
    """INTEGRATOR3 (middleware.py: a body not declared JSON is 415 on every POST, PUT,
    PATCH). Given an API's document / Then each such operation documents the 415 in the
    shared error shape, whose ``error`` names ``codes``."""
    document = json.loads((ROUTES.parent / "docs" / "openapi" / name).read_text())
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            assert ("415" in op["responses"]) == (method in ("post", "put", "patch")), path
    error = document["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["properties"]["codes"]["type"] == "array"


def test_a_body_not_declared_json_is_a_documented_415(sandbox):
    """INTEGRATOR3. When a write is sent as text/plain / Then its 415 is documented."""
    path = f"{P}/declarations"
    answer = sandbox.api_raw(
        "POST",
        path,
        caller=ADMIN,
        body='{"file_name": "a.csv"}',
        headers={"Content-Type": "text/plain"},
    )
    assert answer["statusCode"] == 415
    assert_documented(answer, "POST", path)


def test_a_refusal_with_its_codes_validates_against_the_documented_error(sandbox):
    """INTEGRATOR3. Given a viewer (R32) / When they put an invoice on hold / Then the
    403 with ``codes`` validates against the documented Error, no field left unnamed."""
    path = f"{P}/invoices/3f1c0a52-8d0e-4b7a-9c55-0e2d7f4b9a10/hold"
    body = {"until": "2026-12-20", "reason": "bezwaar"}
    answer = sandbox.api_raw("POST", path, caller=VIEWER, body=body)
    assert answer["statusCode"] == 403 and error_of(answer)["codes"] == ["role_too_low"]
    assert_documented(answer, "POST", f"{P}/invoices/{{invoice_id}}/hold")


def _reused_key(sandbox):
    path, key = f"{P}/declarations", {"Idempotency-Key": "k-1"}
    sandbox.api_raw("POST", path, caller=ADMIN, body={"file_name": "a.csv"}, headers=key)
    return sandbox.api_raw("POST", path, caller=ADMIN, body={"file_name": "b.csv"}, headers=key)


ERRORS = {
    "401 no token": lambda box: box.api_raw("GET", f"{P}/invoices"),
    "404 invoice": lambda box: box.api_raw(
        "GET", f"{P}/invoices/3f1c0a52-8d0e-4b7a-9c55-0e2d7f4b9a10", caller=ADMIN
    ),
    "404 declaration": lambda box: box.api_raw(
        "GET", f"{P}/declarations/20261123090000-1a2b3c4d", caller=ADMIN
    ),
    "404 no route": lambda box: box.api_raw("GET", f"{P}/invoices/a/b/c", caller=ADMIN),
    "404 provider": lambda box: box.api_raw("GET", f"{B}/providers/geen-praktijk", caller=OPERATOR),
    "400 validation": lambda box: box.api_raw("POST", f"{P}/declarations", caller=ADMIN, body={}),
    "400 query": lambda box: box.api_raw(
        "GET", f"{P}/invoices", caller=ADMIN, query={"limit": "0"}
    ),
    "400 unknown parameter": lambda box: box.api_raw(
        "GET", f"{P}/invoices", caller=ADMIN, query={"kenmerk": "12345678901234"}
    ),
    "400 cursor": lambda box: box.api_raw(
        "GET", f"{P}/declarations", caller=ADMIN, query={"cursor": "bm9wZQ"}
    ),
    "400 key": lambda box: box.api_raw(
        "POST",
        f"{P}/declarations",
        caller=ADMIN,
        body={"file_name": "a.csv"},
        headers={"Idempotency-Key": "k" * 300},
    ),
    "413": lambda box: box.api_raw(
        "POST", f"{P}/declarations", caller=ADMIN, body={"file_name": "a" * 70_000}
    ),
    "422 key reused": _reused_key,
    "403 operator on the provider API": lambda box: box.api_raw(
        "GET", f"{P}/invoices", caller=OPERATOR
    ),
    # What a service finds after the request's validation (services.inputs.InvalidInput)
    "400 a week its year lacks": lambda box: box.api_raw(
        "POST", f"{B}/payouts", caller=OPERATOR, body={"week": "2026-W99"}
    ),
    "400 a period the wrong way round": lambda box: box.api_raw(
        "GET", f"{P}/invoices", caller=ADMIN, query={"from": "2026-12-01", "to": "2026-01-01"}
    ),
    "400 an audit period too long": lambda box: box.api_raw(
        "GET",
        f"{B}/audit",
        caller=OPERATOR,
        query={"provider_id": DENTAL.provider_id, "from": "2026-01-01", "to": "2026-12-31"},
    ),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_every_error_message_is_dutch_and_english(sandbox, case):
    """INTEGRATOR4; interfaces.md §2 (one error shape), the documents' Error.message
    ("Dutch / English, for people"). Given one request per kind of error
    When it is answered / Then its message is "<Dutch> / <English>", as a refusal's is,
    and its code is the one clients key on."""
    answer = ERRORS[case](sandbox)
    assert str(answer["statusCode"]) == case.split()[0]
    error = error_of(answer)
    dutch, english = error["message"].split(" / ", 1)
    assert dutch and english and dutch != english, error["message"]
    codes = {
        "401": "unauthorized",
        "404": "not_found",
        "413": "too_large",
        "422": "idempotency_key_reused",
        "403": "practice_users_only",
    }
    expected = codes.get(case.split()[0])
    if case == "400 cursor":
        expected = "invalid_cursor"
    elif case == "400 key":
        expected = "invalid_idempotency_key"
    elif case.startswith("400"):
        expected = "validation_error"
    assert error["code"] == expected


def test_a_validation_message_names_the_field_in_both_languages(sandbox):
    """INTEGRATOR4. When an upload request lacks its file name, or asks 0 invoices
    Then the message names the field and says what is wrong, Dutch then English."""
    answer = sandbox.api_raw("POST", f"{P}/declarations", caller=ADMIN, body={})
    assert error_of(answer)["message"] == "file_name: ontbreekt / Field required"
    answer = sandbox.api_raw("GET", f"{P}/invoices", caller=ADMIN, query={"limit": "0"})
    assert error_of(answer)["message"] == (
        "query.limit: moet minstens 1 zijn / Input should be greater than or equal to 1"
    )


def test_a_correction_on_a_kenmerk_no_invoice_has_is_not_found(sandbox):
    """INTEGRATOR5; interfaces.md §2 ("404 not found, 422 business rule"). Given no
    invoice with kenmerk K / When an operator POSTs a correction on /invoices/K/
    Then 404, the answer of the same path's PSP refund route, not 422."""
    correction = sandbox.api_raw(
        "POST",
        f"{B}/invoices/{UNKNOWN_KENMERK}/corrections",
        caller=OPERATOR,
        body={"entry_id": 1, "reason": "verkeerd ingevoerd"},
    )
    psp_refund = sandbox.api_raw(
        "POST",
        f"{B}/invoices/{UNKNOWN_KENMERK}/psp-refunds/tr_fake000001",
        caller=OPERATOR,
        body={"outcome": "failed"},
    )
    assert correction["statusCode"] == psp_refund["statusCode"] == 404
    assert error_of(correction) == error_of(psp_refund)
    assert_documented(correction, "POST", f"{B}/invoices/{{reference}}/corrections")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("GET", f"{P}/invoices", None), ("POST", f"{P}/declarations", {"file_name": "a.csv"})],
)
def test_an_operators_token_on_the_provider_api_is_forbidden(sandbox, method, path, body):
    """INTEGRATOR6; interfaces.md §2 ("401/403 auth"), §6 (the mirror case: a provider's
    token on the operator API is 403). Given an operator's valid token
    When it calls the provider API / Then 403 with a code, not 401 "log in again" (a
    client that refreshes its token on 401 would get the same token and loop)."""
    answer = sandbox.api_raw(method, path, caller=OPERATOR, body=body)
    assert answer["statusCode"] == 403
    assert error_of(answer)["code"] == "practice_users_only"
    # And the mirror case stays 403 too
    mirror = sandbox.api_raw("GET", f"{B}/providers", caller=ADMIN)
    assert (mirror["statusCode"], error_of(mirror)["code"]) == (403, "operators_only")


def test_the_settings_patch_documents_the_settings_it_changes():
    """INTEGRATOR7; interfaces.md §7 (the admin changes contact, dunning and coulance
    policy), R31. Given the provider document / Then the PATCH's body names contact,
    dunning and coulance, each with the fields of the settings the GET answers."""
    document = json.loads(provider_api.openapi_json())
    schemas = document["components"]["schemas"]
    patch = schemas["SettingsPatchIn"]["properties"]
    settings = schemas["OwnSettingsOut"]["properties"]
    for name in ("contact", "dunning", "coulance"):
        changed = schemas[patch[name]["$ref"].rsplit("/", 1)[1]]
        shown = settings[name]
        shown = schemas[(shown.get("$ref") or shown["allOf"][0]["$ref"]).rsplit("/", 1)[1]]
        assert set(changed["properties"]) == set(shown["properties"]), name
        assert not changed.get("required"), name  # a field left out is left as it is


def test_a_typed_settings_patch_changes_only_what_it_names(sandbox):
    """INTEGRATOR7. When the admin PATCHes one contact field and one dunning field
    Then those change and the others stay; a wrong phone is 400 naming contact.phone."""
    _, own = sandbox.api("GET", f"{P}/settings", caller=ADMIN)
    body = {
        "version": own["version"],
        "contact": {"phone": "+31 30 765 4321"},
        "dunning": {"days_to_reminder": 10},
    }
    status, changed = sandbox.api("PATCH", f"{P}/settings", caller=ADMIN, body=body)
    assert status == 200
    assert changed["contact"] == own["contact"] | {"phone": "+31 30 765 4321"}
    assert changed["dunning"] == own["dunning"] | {"days_to_reminder": 10}
    wrong = {"version": changed["version"], "contact": {"phone": "bel maar"}}
    status, refused = sandbox.api("PATCH", f"{P}/settings", caller=ADMIN, body=wrong)
    assert status == 400 and refused["error"]["message"].startswith("contact.phone: ")


def test_a_refused_register_version_names_each_line_in_dutch_and_english(sandbox):
    """R33, R9; interfaces.md §2 (every message "Dutch / English"), §6. Given a register
    version with a line whose uzovi is no code and one whose valid_from is no date
    When an operator loads it / Then 422 register_refused names each line, in Dutch,
    then in English."""
    header = "uzovi;name;group;labels;valid_from;source"
    csv = "\n".join([header, "33;Onbekend;X;;2026-01-01;src", "3311;ZK;Achmea;;1-1-2026;src"])
    answer = sandbox.api_raw("POST", f"{B}/insurers", caller=OPERATOR, body={"csv": csv})
    assert answer["statusCode"] == 422
    assert error_of(answer)["code"] == "register_refused"
    assert error_of(answer)["message"] == (
        "regel 2: uzovi moet 4 cijfers zijn; regel 3: valid_from moet een datum JJJJ-MM-DD"
        " zijn / line 2: uzovi must be 4 digits; line 3: valid_from must be a date YYYY-MM-DD"
    )


def test_an_unknown_kenmerk_in_an_operators_path_is_said_to_the_operator(sandbox):
    """R34 (the operator's words), interfaces.md §2 (404). Given no invoice with kenmerk K
    When an operator POSTs a correction on /invoices/K/ / Then 404 not_found, in the
    operator's sentence ("no invoice has this payment reference"), not the checker's to
    a patient ("we cannot find an invoice for this payment reference and these details")."""
    answer = sandbox.api_raw(
        "POST",
        f"{B}/invoices/{UNKNOWN_KENMERK}/corrections",
        caller=OPERATOR,
        body={"entry_id": 1, "reason": "verkeerd ingevoerd"},
    )
    assert answer["statusCode"] == 404
    assert error_of(answer) == {
        "code": "not_found",
        # words53: and how to find the right one (R35).
        "message": (
            "Geen nota met dit betalingskenmerk. Controleer de cijfers tegen de nota of het"
            " bankafschrift. / No invoice has this payment reference. Check its digits against"
            " the invoice or the bank statement."
        ),
    }


def test_a_refund_batch_naming_a_kenmerk_no_invoice_has_is_a_422_naming_it(sandbox):
    """R34, R13; interfaces.md §2 ("404 not found, 422 business rule"), R38. Given no
    invoice with kenmerk K / When an operator proposes a refund batch whose first refund
    names K / Then 422 unknown_kenmerk (as a credit match naming K answers), the message
    naming refunds.0.reference in Dutch and English, documented; no batch proposed."""
    refund = {
        "reference": UNKNOWN_KENMERK,
        "iban": "NL91ABNA0417164300",
        "account_holder": "A. Visser",
    }
    answer = sandbox.api_raw("POST", f"{B}/refunds", caller=OPERATOR, body={"refunds": [refund]})
    assert answer["statusCode"] == 422
    error = error_of(answer)
    assert (error["code"], error["codes"]) == ("unknown_kenmerk", ["unknown_kenmerk"])
    dutch, english = error["message"].split(" / ")
    assert "refunds.0.reference" in dutch and "refunds.0.reference" in english
    assert UNKNOWN_KENMERK in english and "no invoice" in english
    assert_documented(answer, "POST", f"{B}/refunds")
    assert sandbox.api("GET", f"{B}/refunds", caller=OPERATOR)[1]["items"] == []


SEVEN_WRONG = {
    "contact": {"email": "geen-adres", "phone": "x", "website": "ftp://x"},
    "dunning": {"days_to_reminder": 99, "days_to_handover": 1, "max_invoices_per_letter": 0},
    "coulance": {"statement_wait_days": 999},
}
SEVEN_NAMED = [
    "contact.email",
    "contact.phone",
    "contact.website",
    "dunning.days_to_reminder",
    "dunning.days_to_handover",
    "dunning.max_invoices_per_letter",
    "coulance.statement_wait_days",
]


def test_r31_a_settings_refusal_lists_every_wrong_field(sandbox):
    """R31, interfaces.md §2 and §7, WCAG 3.3.1 as the portal's settings forms do (stop 45
    forms2 item 2). Given the practice's settings
    When the admin PATCHes them with seven fields wrong in contact, dunning and coulance
    Then 400 validation_error in the shared shape, ``code`` and ``message`` as before (the
    message names the first five), and ``fields`` lists all seven, in the order the
    settings' models have them, each with its reason in Dutch and English and never the
    value sent; the answer is the one the document describes. Nothing is saved."""
    _, own = sandbox.api("GET", f"{P}/settings", caller=ADMIN)
    body = {"version": own["version"], **SEVEN_WRONG}

    answer = sandbox.api_raw("PATCH", f"{P}/settings", caller=ADMIN, body=body)

    assert answer["statusCode"] == 400
    error = error_of(answer)
    assert error["code"] == "validation_error"
    assert error["message"].split("; ")[0].startswith("contact.email: ")
    assert [f["field"] for f in error["fields"]] == SEVEN_NAMED
    for named in error["fields"]:
        dutch, english = named["message"].split(" / ", 1)
        assert dutch and english and dutch != english, named
        assert "geen-adres" not in named["message"] and "ftp://x" not in named["message"]
    assert error["fields"][3]["message"] == (
        "mag hoogstens 60 zijn / Input should be less than or equal to 60"
    )
    assert_documented(answer, "patch", "/api/v1/provider/settings")
    assert sandbox.api("GET", f"{P}/settings", caller=ADMIN)[1]["version"] == own["version"]


def test_r31_an_operators_settings_refusal_lists_every_wrong_field(sandbox):
    """R31, interfaces.md §6 (stop 45 forms2 item 2). Given a provider's settings
    When an operator PUTs them with the same seven fields wrong
    Then the 400 lists all seven in ``fields`` as the practice's own PATCH does."""
    _, settings = sandbox.api("GET", f"{B}/providers/{DENTAL.provider_id}", caller=OPERATOR)
    for part, wrong in SEVEN_WRONG.items():
        settings[part] = settings[part] | wrong

    answer = sandbox.api_raw(
        "PUT",
        f"{B}/providers/{DENTAL.provider_id}",
        caller=OPERATOR,
        body=settings,
        headers={"Idempotency-Key": "seven-wrong-fields"},
    )

    assert answer["statusCode"] == 400
    assert [f["field"] for f in error_of(answer)["fields"]] == SEVEN_NAMED
    assert_documented(answer, "put", "/api/v1/operator/providers/{provider_id}")


def test_an_input_a_service_refuses_is_listed_as_its_one_field(sandbox):
    """interfaces.md §2 (stop 45 forms2 item 2): a value only the service can judge (a
    week that is no ISO week) answers the same 400 shape, ``fields`` naming it."""
    answer = sandbox.api_raw("GET", f"{P}/retrocessions/2026-W99", caller=ADMIN)

    assert answer["statusCode"] == 400
    error = error_of(answer)
    assert error["code"] == "validation_error"
    assert [f["field"] for f in error["fields"]] == [error["message"].split(":")[0]]


def legal_name_lost(sandbox):
    """Given the dental practice's stored settings without their legal name (an item an
    old version wrote): they no longer validate (R31)."""
    table = sandbox.runtime.repository._table
    item = table.get_item(Key=keys.provider_key(DENTAL.provider_id))["Item"]
    del item["legal_name"]
    table.put_item(Item=item)


READS_OF_THE_SETTINGS = [
    (ADMIN, f"{P}/settings", f"{P}/settings"),
    (ADMIN, f"{P}/debtor-risk", f"{P}/debtor-risk"),
    (ADMIN, f"{P}/users/history", f"{P}/users/history"),
    (OPERATOR, f"{B}/providers/{DENTAL.provider_id}", f"{B}/providers/{{provider_id}}"),
    (
        OPERATOR,
        f"{B}/providers/{DENTAL.provider_id}/history",
        f"{B}/providers/{{provider_id}}/history",
    ),
    (
        OPERATOR,
        f"{B}/providers/{DENTAL.provider_id}/users/history",
        f"{B}/providers/{{provider_id}}/users/history",
    ),
]


@pytest.mark.parametrize(
    ("who", "path", "template"), READS_OF_THE_SETTINGS, ids=[r[2] for r in READS_OF_THE_SETTINGS]
)
def test_r31_a_read_of_unreadable_settings_answers_its_documented_409(sandbox, who, path, template):
    """R31, interfaces.md §2 ("409 state conflict"), audit contract52. Given the practice's
    stored settings no longer validate
    When a read that needs them is asked / Then 409 provider_unreadable, a status its
    operation documents (a read's document named no 409), in the Error shape."""
    legal_name_lost(sandbox)

    answer = sandbox.api_raw("GET", path, caller=who)

    assert (answer["statusCode"], error_of(answer)["code"]) == (409, "provider_unreadable")
    assert "provider_unreadable" in assert_documented(answer, "GET", template)["description"]


def test_r31_an_invoice_of_unreadable_settings_answers_documented_errors(sandbox):
    """R31, R10, audit contract52. Given an invoice of the dental practice, whose stored
    settings then no longer validate
    When the practice reads the invoice, and a patient its payment status
    Then the practice's 409 provider_unreadable and the patient's 503 invoice_unavailable
    are statuses their operations document."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(2))
    sandbox.drain_deliveries()
    invoice = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0][0]
    legal_name_lost(sandbox)

    detail = sandbox.api_raw("GET", f"{P}/invoices/{invoice.invoice_id}", caller=ADMIN)
    status = sandbox.api_raw("GET", f"/api/v1/payment-status/{invoice.reference}")

    assert (detail["statusCode"], error_of(detail)["code"]) == (409, "provider_unreadable")
    assert_documented(detail, "GET", f"{P}/invoices/{{invoice_id}}")
    assert (status["statusCode"], error_of(status)["code"]) == (503, "invoice_unavailable")
    assert_documented(status, "GET", "/api/v1/payment-status/{reference}")


@pytest.mark.parametrize("name", ["provider.json", "operator.json", "patient.json"])
def test_every_operation_documents_the_throttles_429_and_the_tokens_401(name):
    """interfaces.md §2 ("401/403 auth", "429 throttled"), audit contract52. Given an API's
    document / Then each operation names API Gateway's 429 (every route has a throttle,
    template.yaml MethodSettings), and each behind a token its 401, in the shared Error
    shape that template.yaml's gateway responses give them; the 429 with the bodies of
    the throttle and of the web ACL's per-IP limit as examples (audit wafdoc56;
    test_openapi_drift compares them with the template's)."""
    document = json.loads((ROUTES.parent / "docs" / "openapi" / name).read_text())
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    throttled = {
        "application/json": error["application/json"]
        | {
            "examples": {
                example: {"$ref": f"#/components/examples/{example}"}
                for example in ("route_throttle", "per_ip_limit")
            }
        }
    }
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            assert op["responses"]["429"]["content"] == throttled, (method, path)
            if name != "patient.json":
                assert op["responses"]["401"]["content"] == error, (method, path)
