"""A value of the wrong form is told the form a person types, not a regular expression
(R24, interfaces.md §2 errors: "400 validation", in Dutch and English)."""

from __future__ import annotations

from billing_core.collection.debtor_risk import MONTH_PATTERN
from billing_core.providers.week import WEEK_PATTERN
from billing_core.texts.practice import _PATTERN_FORMS, validation_reasons


def mismatch(pattern: str) -> dict[str, object]:
    return {
        "type": "string_pattern_mismatch",
        "msg": f"String should match pattern '{pattern}'",
        "ctx": {"pattern": pattern},
    }


def test_r24_a_week_of_the_wrong_form_is_told_yyyy_www():
    """Given a week typed as 2026-53 (pydantic: the week pattern did not match)
    When its reason is said / Then in Dutch and English as the form, with an example,
    and without the regular expression."""
    reasons = validation_reasons(mismatch(WEEK_PATTERN))
    assert reasons == {
        "reason_nl": "heeft niet de vorm JJJJ-Www, bijv. 2026-W53",
        "reason_en": "should have the form YYYY-Www, e.g. 2026-W53",
    }


def test_r25_a_month_of_the_wrong_form_is_told_yyyy_mm():
    reasons = validation_reasons(mismatch(MONTH_PATTERN))
    assert "JJJJ-MM" in reasons["reason_nl"] and "YYYY-MM" in reasons["reason_en"]
    assert "\\d" not in reasons["reason_nl"] + reasons["reason_en"]


def test_the_forms_name_the_patterns_the_routes_use():
    """The table names the routes' own patterns: a pattern changed there is changed here."""
    assert set(_PATTERN_FORMS) == {WEEK_PATTERN, MONTH_PATTERN}


def test_another_pattern_is_still_named_as_before():
    reasons = validation_reasons(mismatch(r"^\d{4}$"))
    assert reasons["reason_nl"] == r"heeft niet de vorm ^\d{4}$"


# A practice's settings as an operator onboards one (interfaces.md §6), each field that has
# a pattern typed wrong once: (where, value, Dutch words the reason must say).
_SETTINGS_TYPED_WRONG = (
    (("kvk",), "1234567", "KvK-nummer"),
    (("agb_codes", 0, "code"), "0411223", "AGB-code"),
    (("contracts", 0, "uzovi"), "96", "UZOVI-code"),
    (("contact", "email"), "balie@", "e-mailadres"),
    (("contact", "phone"), "bel maar", "telefoonnummer"),
    (("address", "house_number"), "12a", "huisnummer"),
    (("provider_id",), "Fysio West!", "kleine letters"),
)


def _typed_wrong(where: tuple[str | int, ...], value: str) -> dict[str, object]:
    """The only problem pydantic finds in the onboarding sample with ``value`` at ``where``."""
    import json
    from pathlib import Path

    import pydantic

    from billing_core.providers.provider import Provider

    sample = Path(__file__).resolve().parents[2] / "events" / "onboarding" / "fysio-west.json"
    settings = json.loads(sample.read_text(encoding="utf-8"))
    inner = settings
    for part in where[:-1]:
        inner = inner[part]
    inner[where[-1]] = value
    try:
        Provider.model_validate(settings)
    except pydantic.ValidationError as invalid:
        (problem,) = [p for p in invalid.errors() if p["type"] == "string_pattern_mismatch"]
        return dict(problem)
    raise AssertionError(f"{where} = {value!r} was accepted")


def test_r31_a_settings_field_of_the_wrong_form_is_told_its_form_not_a_regex(subtests):
    """R31 (settings validated on write), interfaces.md §2 (400 in Dutch and English),
    audit onboard5: given the onboarding settings with a KvK number, an AGB code, a
    contract's UZOVI code, an e-mail address, a phone number, a house number or a provider
    id typed wrong, when pydantic's problem is said (the operator API's and the admin's
    PATCH answer), then in Dutch and English the field's own form with an example, and no
    regular expression (it said 'heeft niet de vorm ^\\d{8}$ / String should match pattern
    ...' for the KvK number and the AGB code alike)."""
    for where, value, named in _SETTINGS_TYPED_WRONG:
        with subtests.test(field=".".join(str(part) for part in where)):
            reasons = validation_reasons(_typed_wrong(where, value))
            said = reasons["reason_nl"] + " / " + reasons["reason_en"]
            assert named in reasons["reason_nl"], said
            assert not any(sign in said for sign in ("^", "\\d", "$", "pattern")), said


def test_r31_a_list_whose_only_item_is_wrong_is_not_also_called_empty():
    """R31, interfaces.md §2, audit onboard5: given the onboarding settings with their one
    AGB code typed wrong (pydantic then also says the list is "too short ... after
    validation, not 0"), when the 400's problems are said, then only the code's own form
    is named, not "agb_codes: must have at least 1 item" beside it; a list sent empty is
    still told it is too short."""
    import json
    from pathlib import Path

    import pydantic

    from billing_core.providers.provider import Provider
    from billing_core.shared.errors import validation_fields, validation_message

    sample = Path(__file__).resolve().parents[2] / "events" / "onboarding" / "fysio-west.json"
    settings = json.loads(sample.read_text(encoding="utf-8"))
    for codes, said in (
        ([{"code": "0411223", "kind": "practice"}], ["agb_codes.0.code"]),
        ([], ["agb_codes"]),
    ):
        try:
            Provider.model_validate(settings | {"agb_codes": codes})
        except pydantic.ValidationError as invalid:
            problems = invalid.errors()
        assert [where for where, _ in validation_fields(problems)] == said
        assert validation_message(problems).startswith(f"{said[0]}: ")


def test_a_paths_invoice_id_and_kenmerk_are_told_in_words():
    """interfaces.md §2, §6 (inputs54): the table names the routes' own patterns (a
    pattern changed there is changed here), and a path's invoice id or kenmerk of the
    wrong form is told what it takes, in Dutch and English, not as a regular expression."""
    from billing_core.invoices.invoice import INVOICE_ID_PATTERN
    from billing_core.shared.reference import REFERENCE_PATTERN

    for name, pattern in (("invoice_id", INVOICE_ID_PATTERN), ("reference", REFERENCE_PATTERN)):
        reasons = validation_reasons(mismatch(pattern) | {"loc": ("path", name)})
        said = reasons["reason_nl"] + " / " + reasons["reason_en"]
        assert "betalingskenmerk" in reasons["reason_nl"], said
        assert "betalingskenmerk" in reasons["reason_en"], said
        assert not any(sign in said for sign in ("^", "{", "pattern")), said


def _parameters_with_a_pattern() -> list[tuple[str, str, str, str]]:
    """(api, in, name, pattern) of every path and query parameter with a pattern the APIs'
    documents name (docs/openapi, regenerated from the routes), each once."""
    import json
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "openapi"
    found = set()
    for document in sorted(docs.glob("*.json")):
        paths = json.loads(document.read_text(encoding="utf-8"))["paths"]
        for operation in (op for operations in paths.values() for op in operations.values()):
            for parameter in operation.get("parameters", []):
                schemas = [parameter["schema"], *parameter["schema"].get("anyOf", [])]
                found |= {
                    (document.stem, parameter["in"], parameter["name"], schema["pattern"])
                    for schema in schemas
                    if "pattern" in schema
                }
    return sorted(found)


def test_every_path_and_query_parameter_of_the_wrong_form_is_told_in_words(subtests):
    """interfaces.md §2 (400 validation in Dutch and English; paths54: 11 of 27 path
    parameters, e.g. an action, upload, batch, credit, PSP payment id and a migration's
    name, were told 'heeft niet de vorm ^...$'). Given every path and query parameter with
    a pattern in the APIs' documents, when a value that does not match it is refused, then
    in Dutch and English by what the value looks like, without the regular expression:
    a route given a pattern and no words fails here."""
    parameters = _parameters_with_a_pattern()
    assert len(parameters) >= 16  # no empty sweep: the documents hold the routes
    for api, where, name, pattern in parameters:
        with subtests.test(parameter=f"{api} {where}.{name} {pattern}"):
            reasons = validation_reasons(mismatch(pattern) | {"loc": (where, name)})
            said = reasons["reason_nl"] + " / " + reasons["reason_en"]
            assert not any(sign in said for sign in (pattern, "^", "$", "pattern")), said
            assert reasons["reason_nl"] != reasons["reason_en"], said


def _schema_refs(node: object) -> list[str]:
    """The component schemas a part of an OpenAPI document names ($ref), at any depth."""
    if isinstance(node, dict):
        named = [node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else []
        return named + [ref for value in node.values() for ref in _schema_refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _schema_refs(value)]
    return []


def _body_fields_with_a_pattern() -> list[tuple[str, str, str, str, bool]]:
    """(api, schema, field, pattern, is a list's item) of every field with a pattern in a
    schema a request body holds, at any depth, in the APIs' documents (docs/openapi). Not a
    number's text (a Decimal field's `anyOf: [number, string with a pattern]`): pydantic
    writes that pattern into the document only, and refuses such a text as a number
    (decimal_parsing, test_a_number_as_text_is_refused_as_a_number_not_by_its_pattern)."""
    import json
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "openapi"
    found = set()
    for document in sorted(docs.glob("*.json")):
        openapi = json.loads(document.read_text(encoding="utf-8"))
        schemas = openapi.get("components", {}).get("schemas", {})
        bodies = [
            op.get("requestBody", {}) for ops in openapi["paths"].values() for op in ops.values()
        ]
        todo, reached = _schema_refs(bodies), set()
        while todo:
            name = todo.pop()
            if name not in reached:
                reached.add(name)
                todo += _schema_refs(schemas[name])
        for name in reached:
            for field, schema in schemas[name].get("properties", {}).items():
                alternatives = schema.get("anyOf", [])
                if any(alternative.get("type") == "number" for alternative in alternatives):
                    continue
                for form, is_item in (
                    (schema, False),
                    *((a, False) for a in alternatives),
                    (schema.get("items", {}), True),
                ):
                    if "pattern" in form:
                        found.add((document.stem, name, field, form["pattern"], is_item))
    return sorted(found)


def test_every_request_body_field_of_the_wrong_form_is_told_in_words(subtests):
    """interfaces.md §2 (400 validation in Dutch and English; bodyforms54: 5 of 17 request
    body fields with a pattern, a migration's provider_id, a PSP refund's refund_id and an
    insurer register's drops, later_drops and group_changes, were told 'heeft niet de vorm
    ^...$'). Given every field with a pattern in a schema a request body holds in the APIs'
    documents, when a value (or a list's item) that does not match it is refused, then in
    Dutch and English by what the value looks like, without the regular expression: a
    body field given a pattern and no words fails here."""
    fields = _body_fields_with_a_pattern()
    assert len(fields) >= 17  # no empty sweep: the documents hold the request bodies
    for api, schema, field, pattern, is_item in fields:
        with subtests.test(field=f"{api} {schema}.{field} {pattern}"):
            where = ("body", field, 0) if is_item else ("body", field)
            reasons = validation_reasons(mismatch(pattern) | {"loc": where})
            said = reasons["reason_nl"] + " / " + reasons["reason_en"]
            assert not any(sign in said for sign in (pattern, "^", "$", "pattern")), said
            assert reasons["reason_nl"] != reasons["reason_en"], said


# An operator's request bodies (interfaces.md §6), each field with a pattern typed wrong
# once through its model: (model, body, Dutch words the reason must say).
_BODIES_TYPED_WRONG = (
    ("RegisterIn", {"csv": "x", "drops": ["33"]}, "UZOVI-code"),
    ("RegisterIn", {"csv": "x", "later_drops": ["3358", "VGZ"]}, "UZOVI-code"),
    ("RegisterIn", {"csv": "x", "group_changes": ["70 95"]}, "UZOVI-code"),
    ("MigrationIn", {"provider_id": "Fysio West"}, "leeg voor elke praktijk"),
    ("PspRefundOutcomeIn", {"outcome": "refunded", "refund_id": "re-4qqh"}, "terugbetalings-id"),
)


def test_an_operators_body_field_of_the_wrong_form_is_told_its_form(subtests):
    """interfaces.md §2, §6 (bodyforms54): given an insurer register's confirmed codes, a
    data migration's practice or a PSP refund's id typed wrong, when pydantic's problem
    is said (where the operator API's 400 puts it), then in Dutch and English the field's
    own form with an example, and no regular expression (it said 'heeft niet de vorm
    ^\\d{4}$' for a code in drops)."""
    import pydantic

    from billing_core.entrypoints.http import operator_models

    for model, body, named in _BODIES_TYPED_WRONG:
        with subtests.test(model=model, body=body):
            try:
                getattr(operator_models, model).model_validate(body)
            except pydantic.ValidationError as invalid:
                problems = invalid.errors()
            else:
                raise AssertionError(f"{model} {body} was accepted")
            (problem,) = [p for p in problems if p["type"] == "string_pattern_mismatch"]
            reasons = validation_reasons(problem)
            said = reasons["reason_nl"] + " / " + reasons["reason_en"]
            assert named in reasons["reason_nl"], said
            assert not any(sign in said for sign in ("^", "\\d", "$", "pattern")), said


def test_a_number_as_text_is_refused_as_a_number_not_by_its_pattern():
    """Why the sweep above leaves a Decimal field's pattern out: given a stop's percentage
    sent as the text '12,5', when the model reads it, then it is refused as a number
    (decimal_parsing, said 'moet een getal zijn'), never by the pattern the document shows."""
    import pydantic

    from billing_core.entrypoints.http.provider_models import StopIn

    try:
        StopIn.model_validate({"percentage": "12,5"})
    except pydantic.ValidationError as invalid:
        problems = {p["loc"]: p["type"] for p in invalid.errors()}
    assert problems[("percentage",)] == "decimal_parsing"
    assert "string_pattern_mismatch" not in problems.values()
