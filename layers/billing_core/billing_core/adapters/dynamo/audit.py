"""The audit of reads (R32, NEN 7513) on the billing table: one item per read, keyed by
provider and month, expired by the table's TTL after ``AUDIT_RETENTION``.

Retention: 8 years after the read, as long as an invoice settled in the year of the
read is kept (legal-nl.md §8: 7 years after the year it was settled). An invoice settled
years after a read outlives that read's record, so its oldest reads are forgotten first
(README "Audit of reads"; tying a read to its invoice's own expiry is not built).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import STATEMENT_RETENTION, expires_at
from billing_core.adapters.dynamo.repository import query_up_to
from billing_core.ports import checked_audit_position
from billing_core.shared.audit import ReadKind, ReadRecord

AUDIT_RETENTION = STATEMENT_RETENTION  # 8 years: 7 full years after the year of the read


class DynamoAuditLog:
    def __init__(self, table: Any) -> None:
        """table: a boto3 DynamoDB Table resource (the billing table)."""
        self._table = table

    def record_read(self, record: ReadRecord) -> None:
        position = keys.audit_position(record.at)
        self._table.put_item(
            Item={
                "pk": keys.audit_partition(record.provider_id, position[:7]),
                "sk": f"{position}#{uuid.uuid4().hex}",
                "entity": "audit_read",
                "at": record.at.isoformat(),
                "provider_id": record.provider_id,
                "user_id": record.user_id,
                "role": record.role,
                "kind": record.kind.value,
                "subject": record.subject,
                "expires_at": expires_at(record.at, AUDIT_RETENTION),
            }
        )

    def reads(
        self,
        provider_id: str,
        since: datetime,
        until: datetime,
        *,
        limit: int,
        after: str | None = None,
    ) -> tuple[list[ReadRecord], str | None]:
        """One month's partition after another, from the month of ``after`` on, until one
        read more than ``limit`` is found; the position is the sort key of a page's last."""
        start = checked_audit_position(after, since, until) if after else None
        found: list[dict[str, Any]] = []
        for month in _months(since, until):
            if start is not None and month < start[:7]:
                continue
            partition = keys.audit_partition(provider_id, month)
            query: dict[str, Any] = {
                "KeyConditionExpression": "pk = :month AND sk BETWEEN :since AND :until",
                "ExpressionAttributeValues": {
                    ":month": partition,
                    ":since": keys.audit_position(since),
                    # "until" itself sorts before "until#id": exclusive, as promised
                    ":until": keys.audit_position(until),
                },
            }
            if start is not None and month == start[:7]:
                query["ExclusiveStartKey"] = {"pk": partition, "sk": start}
            found += query_up_to(self._table, query, limit + 1 - len(found))
            if len(found) > limit:
                break
        records = [_record(item) for item in found[:limit]]
        return records, (found[limit - 1]["sk"] if len(found) > limit else None)


def _months(since: datetime, until: datetime) -> Iterator[str]:
    month = since.astimezone(UTC).date().replace(day=1)
    last = until.astimezone(UTC).date()
    while month <= last:
        yield month.isoformat()[:7]
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _record(item: dict[str, Any]) -> ReadRecord:
    return ReadRecord(
        at=datetime.fromisoformat(item["at"]),
        provider_id=item["provider_id"],
        user_id=item["user_id"],
        role=item["role"],
        kind=ReadKind(item["kind"]),
        subject=item["subject"],
    )
