"""The embedded runtime's faster moto answers are moto's answers (local/moto_speedup.py)."""

from __future__ import annotations

import json

import pytest
from moto.core.serialize import BaseJSONSerializer, JSONSerializer, XFormedAttributePicker
from moto.core.utils import get_service_model

from local import moto_speedup

EVERY_TYPE = {
    "text": {"S": "Łukasz ‘Źródło’ – 12,50 €"},
    "empty_text": {"S": ""},
    "number": {"N": "12345"},
    "binary": {"B": b"\x00\xffzorgnota"},
    "binary_as_text": {"B": "already text"},
    "texts": {"SS": ["a", "b"]},
    "numbers": {"NS": ["1", "2.5"]},
    "binaries": {"BS": [b"\x01", b"\x02"]},
    "yes": {"BOOL": True},
    "no": {"BOOL": False},
    "nothing": {"NULL": True},
    "empty_list": {"L": []},
    "empty_map": {"M": {}},
    "nested": {
        "M": {
            "ledger": {"L": [{"M": {"amount": {"N": "-500"}, "kind": {"S": "payment"}}}]},
            "flags": {"L": [{"BOOL": True}, {"NULL": True}, {"SS": ["x"]}]},
        }
    },
}


def _answer(operation: str, result: dict) -> dict:
    model = get_service_model("dynamodb")
    # as moto's responses use it (moto/core/responses.py: ActionResult.execute_result)
    serializer = JSONSerializer(
        model.operation_model(operation), value_picker=XFormedAttributePicker()
    )
    body = serializer.serialize(result)["body"]
    return json.loads(body)


@pytest.mark.parametrize(
    ("operation", "result"),
    [
        ("GetItem", {"Item": EVERY_TYPE}),
        ("Query", {"Items": [EVERY_TYPE, {"pk": {"S": "x"}}], "Count": 2, "ScannedCount": 2}),
        ("BatchGetItem", {"Responses": {"table": [EVERY_TYPE]}, "UnprocessedKeys": {}}),
        ("UpdateItem", {"Attributes": EVERY_TYPE}),
    ],
    ids=["GetItem", "Query", "BatchGetItem", "UpdateItem"],
)
def test_an_answer_of_every_attribute_type_is_written_as_moto_writes_it(
    monkeypatch, operation, result
):
    """Given items holding every DynamoDB attribute type, nested in maps and lists, when
    moto's own serializer and the sped-up one write the same answer, then both are the
    same JSON (a moto upgrade that changes how it writes them fails here)."""
    monkeypatch.setattr(
        BaseJSONSerializer, "_serialize_type_structure", moto_speedup._SERIALIZE_STRUCTURE
    )
    by_moto = _answer(operation, result)
    monkeypatch.setattr(
        BaseJSONSerializer, "_serialize_type_structure", moto_speedup._serialize_type_structure
    )
    assert _answer(operation, result) == by_moto
    assert by_moto != {}
