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
