"""The parts of a run in parts their function finished, on the single table (parts58; R3,
R39): one item per part, ``RUN#parts`` / ``{function}#{day}#{run}#{place's SHA-256}``
(``keys.run_part_key``; the run's id, parts58b, so that a rerun of the day does its own
parts), holding the part's answer (counts, days and ids, as its log
line: no personal data, R29) and the table's TTL. Written once, a conditional PutItem,
after the part did its work; read, one GetItem, before a part starts
(entrypoints/finished_parts.py). Loaded by the part of a run, never at a cold start."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import expires_at

if TYPE_CHECKING:
    from datetime import date, datetime, timedelta


class RunPartMarks:
    def __init__(self, table: Any) -> None:
        """table: a boto3 DynamoDB Table resource (the billing table)."""
        self._table = table

    def answer_of(
        self, function: str, as_of: date, place: list[str], run: str | None
    ) -> dict[str, Any] | None:
        """The answer of the part of run ``run`` marked finished; None when it is not."""
        key = keys.run_part_key(function, as_of, place, run)
        item = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        return None if item is None else dict(json.loads(item["answer"]))

    def mark(
        self,
        function: str,
        as_of: date,
        place: list[str],
        run: str | None,
        answer: dict[str, Any],
        *,
        finished_at: datetime,
        kept: timedelta,
    ) -> None:
        """The part of run ``run`` marked finished with its answer, for ``kept`` after ``finished_at`` (the
        table's TTL); a part marked already keeps its first answer."""
        item = {
            **keys.run_part_key(function, as_of, place, run),
            "entity": "run_part",
            "answer": json.dumps(answer, ensure_ascii=False),
            "expires_at": expires_at(finished_at, kept),
        }
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
