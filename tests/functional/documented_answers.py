"""Every answer of the provider, operator and patient APIs is one their OpenAPI documents
describe (interfaces.md §2, §6, §7; audit contract52): its status is documented for its
operation, with its content type, and a JSON body validates against that answer's schema,
the shared Error closed so a field it does not name fails. ``checking_every_answer``
puts this check on the sandbox's API client for every functional test."""

from __future__ import annotations

import copy
import functools
import importlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from local.sandbox import Sandbox

APPS = {
    "provider_api": "functions.provider_api.app",
    "operator_api": "functions.operator_api.app",
    "patient_api": "functions.patient_api.app",
}


@functools.cache
def document(function: str) -> dict[str, Any]:
    """The OpenAPI document ``function``'s app serves (the committed one is the same:
    test_api_docs.py)."""
    return json.loads(importlib.import_module(APPS[function]).api.openapi_json())


def header(answer: dict[str, Any], name: str) -> str:
    """A header of the proxy answer, in either of the shapes Powertools gives it."""
    value = (answer.get("headers") or {}).get(name)
    if value is None:
        value = (answer.get("multiValueHeaders") or {}).get(name, [""])[0]
    return str(value)


def content_type(answer: dict[str, Any]) -> str:
    return header(answer, "Content-Type").split(";")[0].strip()


def assert_documented(
    answer: dict[str, Any], method: str, template: str, function: str | None = None
) -> dict[str, Any]:
    """The answer's status is one its operation documents, with its content type, and a
    JSON body validates against that answer's schema; the documented answer.
    ``function``: the API's folder, by default the one whose paths ``template`` starts."""
    function = function or _function_of(template)
    operation = document(function)["paths"][template][method.lower()]
    status = str(answer["statusCode"])
    assert status in operation["responses"], (
        f"{method.upper()} {template} answered {status}, which its document does not name",
        sorted(operation["responses"]),
        answer.get("body", "")[:300],
    )
    documented = operation["responses"][status]
    assert content_type(answer) in documented["content"], (
        f"{method.upper()} {template} {status}",
        content_type(answer),
        sorted(documented["content"]),
    )
    if content_type(answer) == "application/json":
        body = json.loads(answer["body"])
        _validator(function, template, method.lower(), status).validate(body)
    return documented


def _function_of(template: str) -> str:
    if template.startswith("/api/v1/operator"):
        return "operator_api"
    return "provider_api" if template.startswith("/api/v1/provider") else "patient_api"


@functools.cache
def _validator(function: str, template: str, method: str, status: str) -> Any:
    whole = document(function)
    content = whole["paths"][template][method]["responses"][status]["content"]
    schema = _closed(copy.deepcopy(content["application/json"]["schema"]), whole)
    return jsonschema.Draft202012Validator(schema | {"components": whole["components"]})


def _closed(schema: dict[str, Any], whole: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with the shared Error shape closed (additionalProperties false), so a
    field the document does not name fails."""
    if schema.get("$ref", "").endswith("/Error"):
        error = copy.deepcopy(whole["components"]["schemas"]["Error"])
        error["properties"]["error"]["additionalProperties"] = False
        return error
    return schema


@contextmanager
def checking_every_answer(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each answer the sandbox's ``api_raw`` gives for an operation of an API's document
    is checked by ``assert_documented`` (the pages and the catch-all are in none)."""
    real_api_raw = Sandbox.api_raw

    def api_raw(box: Sandbox, method: str, path: str, **request: Any) -> dict[str, Any]:
        answer = real_api_raw(box, method, path, **request)
        route = box.routes.match(method, unquote(path))
        if route is not None and route.function in APPS:
            operations = document(route.function)["paths"].get(route.path, {})
            if method.lower() in operations:
                assert_documented(answer, method, route.path, route.function)
        return answer

    monkeypatch.setattr(Sandbox, "api_raw", api_raw)
    yield
