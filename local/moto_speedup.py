"""Make moto affordable for the sandbox, the tests and the bench.

Items: moto checks the 400 KB item limit by summing the size of every attribute each
time one attribute is added, so building an invoice item of 30 attributes (a ledger, the
lines) costs 30 full size computations. Building the attributes first and checking the
size once is the same check; storing 200,000 invoices for the bench goes from minutes
to seconds.

Transactions:
moto backs up a table before a transaction so it can roll back, and it does so by
deep-copying the whole table once per *item* of the transaction: a 100-item transaction
on a table of 200,000 invoices copies 20 million items. A transaction only ever changes
the items it names, so a copy of those items is the same rollback: this patch lets
moto skip its table copies and, when the transaction is cancelled, puts back exactly the
items it named as they were (or removes the ones it created). Only the embedded runtime
is patched; nothing deployed runs moto.

Answers: moto 5.2 writes every answer through a generic serializer that walks the AWS
model for each attribute value of each item (the ten members of ``AttributeValue``, each
looked up by its name and its snake_case name, through every map and list): writing
them directly took the chaos sample's handover-day walk from 13.7 s to 9.3 s of CPU
(stop 47). moto's attribute values are DynamoDB JSON already
(``{"S": ...}``, ``{"M": {...}}``), so they are written as that walk writes them:
binaries base64, strings and numbers as text, maps and lists value by value, a member
that is None or not in the model left out. ``tests/unit/test_moto_speedup.py`` compares
both on values of every type, so a moto upgrade that changes its serializer fails there.
"""

from __future__ import annotations

import copy
from functools import wraps
from typing import Any

from moto.core.serialize import BaseJSONSerializer
from moto.dynamodb import models
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import Table
from moto.dynamodb.models.utilities import bytesize

ITEM_SIZE_LIMIT = 405_000  # moto's own figure for DynamoDB's 400 KB


class _NoTableCopies:
    """Stands in for the ``copy`` module inside one transaction: tables are not copied
    (the touched items are, by the wrapper), everything else is."""

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def _touched(
    backend: Any, transact_items: list[dict[str, Any]]
) -> list[tuple[Table, Any, Any, Any]]:
    """(table, hash key, range key, copy of the item before) for each item named."""
    snapshots = []
    for entry in transact_items:
        _, operation = next(iter(entry.items()))
        table = backend.tables.get(operation.get("TableName"))
        key = operation.get("Key") or operation.get("Item")
        if table is None or not key or table.hash_key_attr not in key:
            continue
        hash_key = DynamoType(key[table.hash_key_attr])
        range_key = DynamoType(key[table.range_key_attr]) if table.has_range_key else None
        before = table.get_item(hash_key, range_key)
        snapshots.append((table, hash_key, range_key, copy.deepcopy(before)))
    return snapshots


def _restore(snapshots: list[tuple[Table, Any, Any, Any]]) -> None:
    for table, hash_key, range_key, before in reversed(snapshots):
        if table.has_range_key:
            if before is None:
                table.items[hash_key].pop(range_key, None)
            else:
                table.items[hash_key][range_key] = before
        elif before is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = before


def _item_init(
    self: Item, hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]
) -> None:
    self.hash_key = hash_key
    self.range_key = range_key
    converted = {name: DynamoType(value) for name, value in attrs.items()}
    if sum(bytesize(name) + value.size() for name, value in converted.items()) > ITEM_SIZE_LIMIT:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict(converted)  # dict.update: no per-attribute size sum


_SERIALIZE_STRUCTURE = BaseJSONSerializer._serialize_type_structure
_ATTRIBUTE_VALUE_MEMBERS = frozenset(("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"))


def _serialize_type_structure(
    serializer: BaseJSONSerializer, serialized: Any, value: Any, shape: Any, key: str
) -> None:
    if shape.name == "AttributeValue" and key and isinstance(value, dict):
        serialized[shape.serialization.get("name", key)] = attribute_value(serializer, value)
        return
    _SERIALIZE_STRUCTURE(serializer, serialized, value, shape, key)


def attribute_value(serializer: BaseJSONSerializer, value: dict[str, Any]) -> dict[str, Any]:
    """One DynamoDB attribute value as moto's JSON serializer writes it."""
    written: dict[str, Any] = {}
    for member, inside in value.items():
        if inside is None or member not in _ATTRIBUTE_VALUE_MEMBERS:
            continue
        if member == "B":
            written[member] = serializer._base64(inside)
        elif member == "BS":
            written[member] = [serializer._base64(one) for one in inside]
        elif member == "M":
            written[member] = {
                name: attribute_value(serializer, one) for name, one in inside.items()
            }
        elif member == "L":
            written[member] = [attribute_value(serializer, one) for one in inside]
        elif member in ("S", "N"):
            written[member] = inside if inside in ({}, []) else str(inside)
        elif member in ("SS", "NS"):
            written[member] = [str(one) for one in inside]
        else:  # BOOL, NULL
            written[member] = inside
    return written


def install() -> None:
    Item.__init__ = _item_init  # type: ignore[method-assign]
    BaseJSONSerializer._serialize_type_structure = _serialize_type_structure  # type: ignore[method-assign]
    backend = models.DynamoDBBackend
    if getattr(backend.transact_write_items, "_rolls_back_touched_items", False):
        return
    original = backend.transact_write_items

    @wraps(original)
    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        snapshots = _touched(self, transact_items)
        models.copy = _NoTableCopies()  # type: ignore[assignment]
        try:
            return original(self, transact_items)
        except Exception:
            _restore(snapshots)
            raise
        finally:
            models.copy = copy  # type: ignore[assignment]

    transact_write_items._rolls_back_touched_items = True  # type: ignore[attr-defined]
    backend.transact_write_items = transact_write_items  # type: ignore[method-assign]
