"""A batch of the billing table's stream read again, by the numbers of the on-failure
record the stream mapping sent to ExpiredLettersFailureQueue (legal-nl.md §8, R39).

That record holds no item: only the shard and the first and last sequence numbers of the
batch that failed (``DDBStreamBatchInfo``). The removed invoices themselves are in the
stream, which keeps each record 24 hours; the expired-letters function reads them there
(its role reads that stream and no other), so the operator who replays the record never
holds a patient's data (README, "Redrive").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

# The field Lambda's on-failure record of a DynamoDB stream batch keeps its numbers in.
FAILED_STREAM_BATCH = "DDBStreamBatchInfo"
# GetRecords pages read at most: a batch spans the shard's changes of about a minute
# (the mapping's batching window), each page up to 1,000 records or 1 MB.
MAX_PAGES = 100
# What DynamoDB answers for records older than the stream keeps, or a shard gone with them.
_GONE = ("TrimmedDataAccessException", "ExpiredIteratorException", "ResourceNotFoundException")


@dataclass(frozen=True, slots=True)
class FailedBatch:
    """Where in the stream a failed batch lies (the on-failure record's numbers)."""

    stream_arn: str
    shard_id: str
    first: str
    last: str

    @classmethod
    def of(cls, failure_record: Mapping[str, Any]) -> FailedBatch:
        info = failure_record[FAILED_STREAM_BATCH]
        return cls(
            info["streamArn"],
            info["shardId"],
            info["startSequenceNumber"],
            info["endSequenceNumber"],
        )


class TableStream:
    """The billing table's stream, through a ``dynamodbstreams`` client."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def failed_batch(self, failure_record: Mapping[str, Any]) -> list[dict[str, Any]] | None:
        """The records of the batch the on-failure record names, from its first sequence
        number to its last, in the shape Lambda hands a batch to the function; None when
        the stream no longer holds them (older than 24 hours)."""
        batch = FailedBatch.of(failure_record)
        try:
            iterator = self._client.get_shard_iterator(
                StreamArn=batch.stream_arn,
                ShardId=batch.shard_id,
                ShardIteratorType="AT_SEQUENCE_NUMBER",
                SequenceNumber=batch.first,
            )["ShardIterator"]
            return self._records_up_to(iterator, batch)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _GONE:
                return None
            raise

    def _records_up_to(self, iterator: str | None, batch: FailedBatch) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        last = int(batch.last)
        for _ in range(MAX_PAGES):
            if iterator is None:  # the shard is closed and read to its end
                break
            page = self._client.get_records(ShardIterator=iterator)
            for record in page["Records"]:
                if int(record["dynamodb"]["SequenceNumber"]) > last:
                    return records
                records.append(as_lambda_record(record, batch.stream_arn))
            if not page["Records"] or (records and _sequence(records[-1]) == last):
                break
            iterator = page.get("NextShardIterator")
        return records


def _sequence(record: Mapping[str, Any]) -> int:
    return int(record["dynamodb"]["SequenceNumber"])


def as_lambda_record(record: Mapping[str, Any], stream_arn: str) -> dict[str, Any]:
    """A GetRecords record as Lambda passes it: the removing identity in lower camel case
    (GetRecords writes ``PrincipalId``/``Type``), the time in epoch seconds, the stream's
    ARN added."""
    dynamodb = dict(record["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if created is not None and hasattr(created, "timestamp"):
        dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
    answer = {
        name: record[name]
        for name in ("eventID", "eventName", "eventVersion", "eventSource", "awsRegion")
        if name in record
    }
    answer |= {"dynamodb": dynamodb, "eventSourceARN": stream_arn}
    identity = record.get("userIdentity")
    if identity:
        answer["userIdentity"] = {
            "type": identity.get("Type", identity.get("type")),
            "principalId": identity.get("PrincipalId", identity.get("principalId")),
        }
    return answer
