"""Make moto's TransactWriteItems affordable for the sandbox, the tests and the bench.

moto backs up a table before a transaction so it can roll back, but it does so once
per *item* of the transaction: a 100-item transaction deep-copies the whole table 100
times, and ingesting a few thousand lines took minutes and gigabytes. Copying each
table once per transaction gives exactly the same rollback. Only the embedded runtime
is patched; nothing deployed runs moto.
"""

from __future__ import annotations

import copy
from functools import wraps
from typing import Any

from moto.dynamodb import models
from moto.dynamodb.models.table import Table


class _TableCopiedOnce:
    """Stands in for the ``copy`` module inside one transaction: a Table is copied once."""

    def __init__(self) -> None:
        self._tables: dict[int, tuple[Table, Table]] = {}

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        if not isinstance(value, Table):
            return copy.deepcopy(value, memo)
        if id(value) not in self._tables:
            # Keep the original alive with its copy, so its id cannot be reused.
            self._tables[id(value)] = (value, copy.deepcopy(value, memo))
        return self._tables[id(value)][1]

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def install() -> None:
    backend = models.DynamoDBBackend
    if getattr(backend.transact_write_items, "_copies_tables_once", False):
        return
    original = backend.transact_write_items

    @wraps(original)
    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        models.copy = _TableCopiedOnce()  # type: ignore[assignment]
        try:
            return original(self, transact_items)
        finally:
            models.copy = copy  # type: ignore[assignment]

    transact_write_items._copies_tables_once = True  # type: ignore[attr-defined]
    backend.transact_write_items = transact_write_items  # type: ignore[method-assign]
