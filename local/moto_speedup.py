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

Queries: moto 5.2 answers every Query by sorting the whole table first (``all_items``:
every item, compared as DynamoType values), then keeps the items of the key asked for
and sorts those again. The first sort is wasted (the second orders the kept items
completely: by the index's keys and the table's unique key), and it made each lookup
of a kenmerk on the by-reference index cost the table's size times its logarithm: the
agency's report-back file of 250 rows took 273 s on a table of 750 claims, 450 Queries
of 0.54 s each (agency50). The query is given the candidates instead, unsorted: the
items of the partition for a table's key, the items whose index key is the text asked
for (compared as text, which is how moto compares an S value) for an index. moto keeps
its own checks and sort on them, so the answer is the same items in the same order.

S3's URLs: moto re-imports ``moto.s3.urls`` (``importlib.reload``) twice for every S3
request, because the module reads ``MOTO_S3_CUSTOM_ENDPOINTS`` when it is imported. It is
now reloaded only when that setting differs from the one it was last read with: the same
module, the same URLs (issue 18).

Starting the mock: each ``mock_aws`` start builds ~1,290 ``responses`` callbacks (183 URL
patterns of the AWS services x 7 HTTP methods), the same objects every time, after the
start's reset has emptied the registry; that was about half the CPU of starting a
sandbox's mock. They are built once per process by moto's own code and put back into the
emptied registry at the next starts, in the same order. Only the registration is shared:
each start and stop still starts, resets and stops moto's mock as moto does, so nested
and foreign ``mock_aws`` uses behave as before. ``tests/unit/test_moto_speedup.py``
compares both with moto's own.
"""

from __future__ import annotations

import copy
import os
import threading
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


def query_candidates(
    table: Table,
    hash_key: DynamoType | None,
    index_name: str | None,
    hash_key_conditions: list[tuple[str, DynamoType]] | None,
) -> list[Item] | None:
    """The items a Query can answer with, unsorted; None when the query is not one of
    the two shapes handled here (moto then reads the whole table, as it does)."""
    if not index_name:
        if hash_key is None:
            return None
        partition = table.items.get(hash_key)
        if partition is None:
            return []
        return list(partition.values()) if table.range_key_attr else [partition]
    if not hash_key_conditions:
        return None
    attribute, wanted = hash_key_conditions[0]
    if wanted.type != "S":  # a number's text differs from its value ("1.0" is 1)
        return None
    return [item for item in _every_item(table) if _text_of(item, attribute) == wanted.value]


def _every_item(table: Table) -> list[Item]:
    if not table.range_key_attr:
        return list(table.items.values())
    return [item for partition in table.items.values() for item in partition.values()]


def _text_of(item: Item, attribute: str) -> str | None:
    value = item.attrs.get(attribute)
    return value.value if value is not None and value.type == "S" else None


# The candidates of the Query this thread is answering: (table, items). Per thread, not on
# the table: a sandbox test may call functions from several threads at once.
_ANSWERING = threading.local()
_ALL_ITEMS = Table.all_items


def _all_items(self: Table) -> list[Item]:
    answering = getattr(_ANSWERING, "query", None)
    if answering is not None and answering[0] is self:
        return list(answering[1])
    return _ALL_ITEMS(self)


def _query_without_sorting_the_table(original: Any) -> Any:
    @wraps(original)
    def query(self: Table, hash_key: DynamoType | None, *args: Any, **kwargs: Any) -> Any:
        # moto's backend passes index_name as the eighth positional argument
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        candidates = query_candidates(self, hash_key, index_name, kwargs.get("hash_key_conditions"))
        if candidates is None:
            return original(self, hash_key, *args, **kwargs)
        outer = getattr(_ANSWERING, "query", None)
        _ANSWERING.query = (self, candidates)
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            _ANSWERING.query = outer

    query._sorts_only_candidates = True  # type: ignore[attr-defined]
    return query


_S3_SETTING = "MOTO_S3_CUSTOM_ENDPOINTS"  # the only setting moto.s3.urls reads
_S3_URLS_READ: list[tuple[str | None, Any]] = []  # (the setting, the module read with it)


def _s3_url_module(original: property) -> property:
    def url_module(self: Any) -> Any:
        setting = os.environ.get(_S3_SETTING)
        read = _S3_URLS_READ[-1] if _S3_URLS_READ else None
        if read is not None and read[0] == setting:
            return read[1]
        module = original.fget(self)  # type: ignore[misc]  # moto's reload
        _S3_URLS_READ[:] = [(setting, module)]
        return module

    url_module._reloads_on_change_only = True  # type: ignore[attr-defined]
    return property(url_module)


# What moto's start registers into its emptied registry: {HTTP method: [callbacks]}, per
# list of URL patterns it was built from.
_MOTO_CALLBACKS: dict[tuple[int, int], dict[str, list[Any]]] = {}


def _register_once(original: Any) -> Any:
    from moto import backend_index
    from moto.core import models as moto_models
    from moto.core.responses_custom_registry import CustomRegistry

    @wraps(original)
    def enable_patching(self: Any, reset: bool = True) -> None:
        patterns = backend_index.backend_url_patterns
        key = (id(patterns), len(patterns))
        saved = _MOTO_CALLBACKS.get(key)
        if saved is None:
            original(self, reset=reset)
            registry = moto_models.responses_mock._registry
            if reset and isinstance(registry, CustomRegistry):  # moto's callbacks only
                _MOTO_CALLBACKS[key] = {m: list(r) for m, r in registry._registered.items()}
            return
        # moto's _enable_patching, with the callbacks it builds put back instead of built
        moto_models.botocore_stubber.enabled = True
        if reset:
            self.reset()
        moto_models.responses_mock.start()
        registry = moto_models.responses_mock._registry
        for method, callbacks in saved.items():
            registry._registered[method].extend(callbacks)

    enable_patching._registers_once = True  # type: ignore[attr-defined]
    return enable_patching


def install() -> None:
    from moto.core.models import MockAWS
    from moto.s3.models import S3Backend

    if not getattr(S3Backend._url_module.fget, "_reloads_on_change_only", False):
        S3Backend._url_module = _s3_url_module(S3Backend._url_module)  # type: ignore[method-assign,assignment]
    if not getattr(MockAWS._enable_patching, "_registers_once", False):
        MockAWS._enable_patching = _register_once(MockAWS._enable_patching)  # type: ignore[method-assign]
    Item.__init__ = _item_init  # type: ignore[method-assign]
    if not getattr(Table.query, "_sorts_only_candidates", False):
        Table.all_items = _all_items  # type: ignore[method-assign]
        Table.query = _query_without_sorting_the_table(Table.query)  # type: ignore[method-assign]
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
