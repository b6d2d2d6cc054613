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
