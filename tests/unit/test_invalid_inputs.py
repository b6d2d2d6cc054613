"""Every reason a service gives for a value of the request (services.inputs.InvalidInput)
and every problem of an insurer register line (RegisterProblem) is a key of
texts.practice's INPUTS that Dutch and English both have, given exactly the values its
sentences name: so the provider and operator APIs say each in Dutch and English as
every other error (R9; interfaces.md §2 "every message Dutch / English", §6, §7; R38
keeps the answers as they are given). A new raise with a sentence of its own, or a key
one language lacks, fails here."""

from __future__ import annotations

import ast
import enum
import string
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, Field, ValidationError

from billing_core.declarations.rules.insurers import RegisterProblem
from billing_core.services.inputs import InvalidInput
from billing_core.texts.practice import INPUTS, PRACTICE, validation_reasons

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "layers" / "billing_core" / "billing_core", ROOT / "functions"]
RAISED = ("InvalidInput", "RegisterProblem")  # each takes its key second
# A splat of these values is allowed: the language-dependent values it gives
SPLATS = {"validation_reasons": frozenset({"reason_nl", "reason_en"})}


def _calls():
    for source in SOURCES:
        for path in sorted(source.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    func = node.func
                    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                    if name in RAISED:
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        yield pytest.param(node, id=where)


CALLS = list(_calls())


def _named(pattern: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(pattern) if field}


def test_the_walk_finds_the_raise_sites():
    # InvalidInput: services, portal, middleware, a route; RegisterProblem: the register
    assert len(CALLS) >= 30


@pytest.mark.parametrize("call", CALLS)
def test_every_reason_is_a_key_both_languages_have_with_its_values(call):
    """Given a place that raises InvalidInput or records a RegisterProblem
    Then its reason is a literal key of INPUTS in Dutch and in English, and it gives
    each value those sentences name, and no other."""
    assert len(call.args) >= 2, "where and a key of texts.practice INPUTS"
    key = call.args[1]
    assert isinstance(key, ast.Constant) and isinstance(key.value, str), ast.unparse(key)
    sentences = {
        language: PRACTICE.languages[language][INPUTS].get(key.value) for language in ("nl", "en")
    }
    assert None not in sentences.values(), (key.value, sentences)
    given: set[str] = set()
    for keyword in call.keywords:
        if keyword.arg is not None:
            given.add(keyword.arg)
            continue
        splat = keyword.value
        assert isinstance(splat, ast.Call) and isinstance(splat.func, ast.Name), ast.unparse(splat)
        given |= SPLATS[splat.func.id]
    for language, pattern in sentences.items():
        assert _named(pattern) <= given, (language, key.value)
    assert given <= _named(sentences["nl"]) | _named(sentences["en"]), key.value


def test_an_invalid_input_is_said_dutch_then_english():
    """R9. Given a week a year does not have / Then its reason is 'Dutch / English'."""
    reason = InvalidInput("body.week", "iso_week").message
    assert reason == (
        "is geen ISO-week van dat jaar, zoals 2026-W48 / not an ISO week of that year, like 2026-W48"
    )
    assert InvalidInput("query.to", "audit_period", most=93).message == (
        "to moet op of na from liggen, hoogstens 93 dagen / to must be on or after from,"
        " at most 93 days"
    )


def test_a_register_line_is_said_in_both_languages():
    """R33, R9. Given a line whose uzovi is also on line 2 / Then each language names it."""
    problem = RegisterProblem(4, "register_uzovi_twice", uzovi="3311", first=2)
    assert problem.said("nl") == "regel 4: uzovi 3311 staat ook op regel 2"
    assert problem.said("en") == "line 4: uzovi 3311 is also on line 2"


@pytest.mark.parametrize(
    ("problem", "dutch"),
    [
        (
            {
                "type": "string_too_long",
                "msg": "String should have at most 5 characters",
                "ctx": {"max_length": 5},
            },
            "mag hoogstens 5 tekens hebben",
        ),
        (
            {
                "type": "string_too_long",
                "msg": "String should have at most 5 characters",
                "input": " 1234567 ",
                "ctx": {"max_length": 5},
            },
            "mag hoogstens 5 tekens hebben, u typte er 7",
        ),
        (
            {
                "type": "string_too_long",
                "msg": "String should have at most 5 characters",
                "input": " 12345",
                "ctx": {"max_length": 5},
            },
            "mag hoogstens 5 tekens hebben, u typte er 6",
        ),
        ({"type": "a_kind_no_table_names", "msg": "Something else"}, "is niet geldig"),
        ({"type": "website", "msg": "Geef een webadres / Give a web address"}, "Geef een webadres"),
    ],
    ids=[
        "a kind the table names",
        "too long, what was typed counted without the white space around it",
        "too long only with the white space a model keeps",
        "a kind it does not",
        "a rule's own two",
    ],
)
def test_a_validation_reason_has_a_dutch_and_an_english_word(problem, dutch):
    """interfaces.md §2, R9: the settings model's reason (a settings PATCH, services/
    provider/settings.py) and the API's 400s: every kind in Dutch too."""
    reasons = validation_reasons(problem)
    assert reasons["reason_nl"] == dutch
    # English: pydantic's words, and the length typed where the Dutch says it (words52b)
    typed = dutch.partition(", u typte er ")[2]
    english = problem["msg"].split(" / ")[-1] + (f", you typed {typed}" if typed else "")
    assert reasons["reason_en"] == english


class _Choices(enum.Enum):
    NEW = "new"
    PAID = "paid"
    ONE_OR_OTHER = "this or that"


class _Asked(BaseModel):
    format: Literal["json", "csv"]
    state: _Choices


@pytest.mark.parametrize(
    ("asked", "dutch"),
    [
        ({"format": "xml", "state": "new"}, "moet een van deze zijn: 'json' of 'csv'"),
        (
            {"format": "csv", "state": "old"},
            "moet een van deze zijn: 'new', 'paid' of 'this or that'",
        ),
    ],
    ids=["a literal", "an enum, its last choice holding 'or'"],
)
def test_the_dutch_reason_joins_its_choices_with_of_not_or(asked, dutch):
    """R9, interfaces.md §2 (audit paths50): the API's Dutch reason for a choice said
    "moet een van deze zijn: 'json' or 'csv'" with pydantic's English "or". Given
    pydantic's own problem for a choice not offered, Then its Dutch says "of"; a choice
    holding "or" keeps its words, and the English stays pydantic's."""
    with pytest.raises(ValidationError) as refused:
        _Asked.model_validate(asked)
    (problem,) = refused.value.errors()
    reasons = validation_reasons(problem)
    assert reasons["reason_nl"] == dutch
    assert reasons["reason_en"] == problem["msg"] and " or " in problem["msg"]


@pytest.mark.parametrize(
    ("typed", "dutch"),
    [
        ("twee", "moet een getal zijn"),
        ("12.345", "mag hoogstens 2 decimalen hebben"),
        ("1234", "mag hoogstens 3 cijfers voor de komma hebben"),
        ("1234.5", "mag hoogstens 3 cijfers voor de komma hebben"),
    ],
)
def test_a_percentage_of_the_wrong_size_is_told_its_limit_in_dutch(typed, dutch):
    """interfaces.md §2: a 400 in Dutch and English (bodyforms54 found a stop's percentage
    of 1234 told only 'is niet geldig' in Dutch, its English naming the limit).
    Given a percentage as the API's models take it (at most 3 digits before the point, 2
    after), typed too long or wrong
    When pydantic refuses it
    Then the Dutch reason names the same limit as the English one."""

    class Percentage(BaseModel):
        percentage: Decimal = Field(max_digits=5, decimal_places=2)

    with pytest.raises(ValidationError) as refused:
        Percentage(percentage=typed)
    [problem] = refused.value.errors()

    assert validation_reasons(problem)["reason_nl"] == dutch
