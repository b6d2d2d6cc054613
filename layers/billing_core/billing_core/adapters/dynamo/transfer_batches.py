"""Payout and refund batches on the single table (R34): one item per batch, the batch as a
JSON document, written on condition of its version (R28). The payee's IBAN and account
holder are in it (the bank needs them); no patient is named but by an invoice reference.
Once sent or withdrawn, the item carries the table's TTL (``_expiry``, legal-nl.md §8).

Each kind's list item (its ``list_version``) also keeps the ids of its open batches
(``open_batches``, a string set): added in the transaction that creates a batch, taken
out after the save that sends or withdraws it, so ``open_batches`` reads them all by id
however many newer batches there are (R13: an invoice in an open refund batch is not
proposed again), never the kind's whole partition.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import STATEMENT_RETENTION, expires_at, expiry_after
from billing_core.payments.transfer_batches import (
    REFUND_PREFIX,
    BatchKind,
    TransferBatch,
    batch_document,
    batch_from_document,
    batch_order,
    is_open,
    kept_until,
    newest_first,
    payout_batch_id,
)
from billing_core.ports import ConcurrentChange, checked_batch_position
from billing_core.providers.week import Week

if TYPE_CHECKING:
    from collections.abc import Iterator

    from billing_core.invoices.retention_migration import ExpiriesDated
    from billing_core.payments.open_batch_ids import OpenBatchIdsKept

Item = dict[str, Any]
# An open batch saved again this many times while migration 12 adds its id: left to a run after.
_READS_OF_A_CHANGING_BATCH = 3


class TransferBatchRepository:
    def __init__(self, table: Any) -> None:
        """table: a boto3 DynamoDB Table resource (the billing table)."""
        self._table = table

    def create_batch(self, batch: TransferBatch, *, list_version: int | None = None) -> bool:
        """The batch and its kind's list version one up, in one transaction."""
        new_batch = {
            "TableName": self._table.name,
            "Item": _item(batch, version=1),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
        try:
            self._table.meta.client.transact_write_items(
                TransactItems=[
                    {"Put": new_batch},
                    {"Update": self._list_version_up(batch, list_version)},
                ]
            )
        except ClientError as error:
            batch_there, list_moved = _cancelled(error)
            if batch_there:
                return False
            if list_moved:
                raise ConcurrentChange(batch.batch_id) from None
            raise
        return True

    def batch_list_version(self, kind: BatchKind) -> int:
        key = keys.transfer_batch_list_key(kind.value)
        item = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        return int(item.get("list_version", 0)) if item else 0

    def _list_version_up(self, batch: TransferBatch, read: int | None) -> Item:
        update: Item = {
            "TableName": self._table.name,
            "Key": keys.transfer_batch_list_key(batch.kind.value),
            "UpdateExpression": "ADD list_version :one",
            "ExpressionAttributeValues": {":one": 1},
        }
        if is_open(batch):
            update["UpdateExpression"] += ", open_batches :opened"
            update["ExpressionAttributeValues"][":opened"] = {batch.batch_id}
        if read == 0:
            update["ConditionExpression"] = "attribute_not_exists(list_version)"
        elif read is not None:
            update["ConditionExpression"] = "list_version = :read"
            update["ExpressionAttributeValues"][":read"] = read
        return update

    def get_batch(self, batch_id: str) -> TransferBatch | None:
        key = keys.transfer_batch_key(_kind_of(batch_id).value, batch_id)
        item = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        return _batch(item) if item else None

    def open_batches(self, kind: BatchKind) -> list[TransferBatch]:
        """By the ids the list keeps; and the open ones of the newest page, as read before
        those ids were kept: a batch created before them is in none until migration 12
        (``add_open_batch_ids``) adds its id, or it is saved sent or withdrawn."""
        key = keys.transfer_batch_list_key(kind.value)
        item = self._table.get_item(Key=key, ConsistentRead=True).get("Item") or {}
        newest = {b.batch_id: b for b in self.list_batches(kind)}
        by_id = (newest.get(i) or self.get_batch(i) for i in item.get("open_batches", ()))
        found = {b.batch_id: b for b in [*newest.values(), *by_id] if b is not None}
        return newest_first(batch for batch in found.values() if is_open(batch))

    def save_batch(self, batch: TransferBatch) -> TransferBatch:
        """The save that closes a batch (sent, withdrawn: its item was open before) then
        takes its id out of its kind's open ids. A crash in between leaves the id there:
        ``open_batches`` reads that batch and drops it, one GetItem more, nothing wrong.
        A later save of a closed batch (the bank's booking) writes the batch only."""
        saved = _item(batch, version=batch.version + 1)
        try:
            before = self._table.put_item(
                Item=saved,
                ConditionExpression="#version = :read",
                ExpressionAttributeNames={"#version": "version"},
                ExpressionAttributeValues={":read": batch.version},
                ReturnValues="ALL_OLD",
            ).get("Attributes")
        except ClientError as error:
            if _conditional(error):
                raise ConcurrentChange(batch.batch_id) from None
            raise
        if before and is_open(_batch(before)) and not is_open(batch):
            self._table.update_item(
                Key=keys.transfer_batch_list_key(batch.kind.value),
                UpdateExpression="DELETE open_batches :closed",
                ExpressionAttributeValues={":closed": {batch.batch_id}},
            )
        return _batch(saved)

    def list_batches(
        self, kind: BatchKind, *, limit: int = 52, after: str | None = None
    ) -> list[TransferBatch]:
        """Newest first by ``newest_first``: the table keeps the ids as text, where a
        week's ``PO-{week}-10`` sorts before its ``-2``. A limit that cuts a week's batches
        could leave out its newest, so the week it cuts is read whole before it is cut.
        ``after`` (a batch id): the batches of the weeks (days) before its own, and those of
        its own week numbered below it, read whole for the same reason."""
        partition = Key("pk").eq(keys.transfer_batch_partition(kind.value))
        condition, earlier_of_its_week = partition, []
        if after is not None:
            head, _ = batch_order(checked_batch_position(kind, after))
            condition = partition & Key("sk").lt(head)  # every id of its week starts so
            if kind is BatchKind.PAYOUT:
                of_its_week = self._query(partition & Key("sk").begins_with(head))
                earlier_of_its_week = [
                    b for b in of_its_week if batch_order(b.batch_id) < batch_order(after)
                ]
        batches = self._query(condition, limit)
        if kind is BatchKind.PAYOUT and len(batches) == limit:
            cut_week = batches[-1].week
            of_week = partition & Key("sk").begins_with(payout_batch_id(cut_week))
            batches = [b for b in batches if b.week != cut_week] + self._query(of_week)
        return newest_first(earlier_of_its_week + batches)[:limit]

    def _query(self, condition: Any, limit: int | None = None) -> list[TransferBatch]:
        """The first ``limit`` batches the condition finds, newest id first, or all of
        them: read on past DynamoDB's 1 MB a request (a batch of many transfers is a large
        item), never a cut answer taken for the whole list (R34, R13)."""
        from billing_core.adapters.dynamo.repository import query_up_to

        query: Item = {
            "KeyConditionExpression": condition,
            "ScanIndexForward": False,
            "ConsistentRead": True,
        }
        found = self._pages(query) if limit is None else query_up_to(self._table, query, limit)
        return [_batch(item) for item in found]

    def add_missing_expiries(self) -> ExpiriesDated:
        """Migration version 5 (legal-nl.md §8): every batch of both kinds (a consistent
        Query per kind, paged); one sent or withdrawn without ``expires_at`` gets what its
        save now writes (``_expiry``) by one UpdateItem of that attribute alone, on
        condition of the version read (a save meanwhile wrote its own)."""
        from billing_core.adapters.dynamo.repository import set_missing_expiry
        from billing_core.invoices.retention_migration import ExpiriesDated

        written = present = still_open = 0
        for kind in BatchKind:
            for item in self._every_item(kind):
                expiry = _expiry(_batch(item))
                if not expiry:
                    still_open += 1
                elif "expires_at" not in item and set_missing_expiry(
                    self._table,
                    {"pk": item["pk"], "sk": item["sk"]},
                    expiry["expires_at"],
                    version=item["version"],
                ):
                    written += 1
                else:
                    present += 1
        return ExpiriesDated(written, present, still_open)

    def add_open_batch_ids(self) -> OpenBatchIdsKept:
        """Migration version 12 (R13, R34): every batch of both kinds (a consistent Query
        per kind, paged, as version 5), then the kind's open ids; an open batch whose id
        is not there gets it, in one transaction on condition that the batch is still the
        version read: one sent or withdrawn meanwhile (its save took out an id that was
        not there yet) never gets an id it would keep for good. The ids are read after the
        batches, so one created meanwhile (its id added with it) is not read at all."""
        from billing_core.payments.open_batch_ids import OpenBatchIdsKept

        counts = dict.fromkeys(OpenBatchIdsKept._fields, 0)
        for kind in BatchKind:
            batches = [_batch(item) for item in self._every_item(kind)]
            list_key = keys.transfer_batch_list_key(kind.value)
            kept = self._table.get_item(Key=list_key, ConsistentRead=True).get("Item") or {}
            for batch in batches:
                if not is_open(batch):
                    counts["closed"] += 1
                elif batch.batch_id in kept.get("open_batches", ()):
                    counts["present"] += 1
                else:
                    counts[self._keep_open_id(batch)] += 1
        return OpenBatchIdsKept(**counts)

    def _keep_open_id(self, batch: TransferBatch) -> str:
        """The count of OpenBatchIdsKept this open batch goes in: its id added to its
        kind's list item while it is the version read; saved since, it is read again."""
        for _ in range(_READS_OF_A_CHANGING_BATCH):
            try:
                self._table.meta.client.transact_write_items(
                    TransactItems=[
                        {"ConditionCheck": self._still_version(batch)},
                        {"Update": self._open_id_added(batch)},
                    ]
                )
            except ClientError as error:
                if not _cancelled(error)[0]:
                    raise
                again = self.get_batch(batch.batch_id)
                if again is None or not is_open(again):
                    return "closed"
                batch = again
                continue
            return "written"
        return "changed"

    def _still_version(self, batch: TransferBatch) -> Item:
        return {
            "TableName": self._table.name,
            "Key": keys.transfer_batch_key(batch.kind.value, batch.batch_id),
            "ConditionExpression": "#version = :read",
            "ExpressionAttributeNames": {"#version": "version"},
            "ExpressionAttributeValues": {":read": batch.version},
        }

    def _open_id_added(self, batch: TransferBatch) -> Item:
        """Its list version is left as it is: no batch was created (R28)."""
        return {
            "TableName": self._table.name,
            "Key": keys.transfer_batch_list_key(batch.kind.value),
            "UpdateExpression": "ADD open_batches :opened",
            "ExpressionAttributeValues": {":opened": {batch.batch_id}},
        }

    def _every_item(self, kind: BatchKind) -> Iterator[Item]:
        """Every batch item of ``kind``: a consistent Query, page by page."""
        query: dict[str, Any] = {
            "KeyConditionExpression": Key("pk").eq(keys.transfer_batch_partition(kind.value)),
            "ConsistentRead": True,
        }
        return self._pages(query)

    def _pages(self, query: Item) -> Iterator[Item]:
        """Every item the query finds, page by page."""
        while True:
            page = self._table.query(**query)
            yield from page["Items"]
            if "LastEvaluatedKey" not in page:
                return
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _kind_of(batch_id: str) -> BatchKind:
    return BatchKind.REFUND if batch_id.startswith(REFUND_PREFIX) else BatchKind.PAYOUT


def _item(batch: TransferBatch, *, version: int) -> Item:
    return {
        **keys.transfer_batch_key(batch.kind.value, batch.batch_id),
        "entity": "transfer_batch",
        "version": version,
        "document": json.dumps(batch_document(batch), ensure_ascii=False),
        **_expiry(batch),
    }


def _expiry(batch: TransferBatch) -> Item:
    """The TTL of a batch sent or withdrawn (``kept_until``); none while it is open. Every
    save writes the whole item, so a booking or a return read later keeps the same one.
    A payout batch also stays while the statement of the week it pays is kept (its item
    and file: week end + 2,922 days, ``statement_items``): while the statement is there,
    proposing its week again finds the batch, never plans and pays the week a second time.
    Both dates fall before the pain.001 written when the batch was sent is deleted."""
    expiry = expiry_after(kept_until(batch))
    if expiry and batch.kind is BatchKind.PAYOUT and batch.week:
        statement_kept = expires_at(Week.parse(batch.week).ends_at, STATEMENT_RETENTION)
        expiry["expires_at"] = max(expiry["expires_at"], statement_kept)
    return expiry


def _batch(item: Item) -> TransferBatch:
    return batch_from_document(json.loads(item["document"]), int(item["version"]))


def _cancelled(error: ClientError) -> tuple[bool, bool]:
    """Which of a cancelled transaction's writes failed its condition, in their order."""
    if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return False, False
    reasons = error.response.get("CancellationReasons") or []
    failed = [reason.get("Code") == "ConditionalCheckFailed" for reason in reasons]
    failed += [False, False]
    return failed[0], failed[1]


def _conditional(error: ClientError) -> bool:
    return bool(error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")
