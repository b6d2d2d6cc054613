"""Reading a failed stream batch again by its on-failure record's numbers (legal-nl.md §8,
R39; adapters/dynamo/stream.py): what moto cannot show, on a stub client."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from billing_core.adapters.dynamo.stream import TableStream

EVENTS = Path(__file__).resolve().parents[2] / "events"
FAILURE_RECORD = json.loads((EVENTS / "expired_letters/failed-batch.json").read_text("utf-8"))
FIRST = int(FAILURE_RECORD["DDBStreamBatchInfo"]["startSequenceNumber"])


def stream_record(sequence: int) -> dict[str, Any]:
    """A record as GetRecords answers it: identity in upper camel case, time a datetime."""
    return {
        "eventID": str(sequence),
        "eventName": "REMOVE",
        "userIdentity": {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"},
        "dynamodb": {
            "ApproximateCreationDateTime": datetime(2034, 1, 1, 2, 12, tzinfo=UTC),
            "SequenceNumber": str(sequence),
            "OldImage": {"entity": {"S": "invoice"}},
        },
    }


class StubStream:
    def __init__(self, pages: list[list[int]], error: str = "") -> None:
        self.pages = pages
        self.error = error
        self.reads = 0

    def get_shard_iterator(self, **request: Any) -> dict[str, str]:
        if self.error:
            raise ClientError({"Error": {"Code": self.error, "Message": ""}}, "GetShardIterator")
        assert request["ShardIteratorType"] == "AT_SEQUENCE_NUMBER"
        assert request["SequenceNumber"] == str(FIRST)
        return {"ShardIterator": "0"}

    def get_records(self, ShardIterator: str) -> dict[str, Any]:  # noqa: N803 (boto3's name)
        self.reads += 1
        page = int(ShardIterator)
        return {
            "Records": [stream_record(s) for s in self.pages[page]],
            "NextShardIterator": str(page + 1) if page + 1 < len(self.pages) else None,
        }


def test_the_batch_is_read_up_to_its_last_number_in_lambdas_shape():
    """Given a batch of one record and the shard's later changes in the same page
    When it is read again
    Then only its record is handed back, named as Lambda names it (the handler checks
    ``userIdentity.type``/``principalId``), and the later changes are not read."""
    stub = StubStream([[FIRST, FIRST + 1], [FIRST + 2]])
    [record] = TableStream(stub).failed_batch(FAILURE_RECORD)
    assert record["userIdentity"] == {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    assert record["dynamodb"]["ApproximateCreationDateTime"] == int(
        datetime(2034, 1, 1, 2, 12, tzinfo=UTC).timestamp()
    )
    assert stub.reads == 1


@pytest.mark.parametrize("code", ["TrimmedDataAccessException", "ResourceNotFoundException"])
def test_a_batch_the_stream_no_longer_holds_is_none(code):
    """After 24 hours the stream has dropped the records: None, for the handler to say so."""
    assert TableStream(StubStream([], error=code)).failed_batch(FAILURE_RECORD) is None


def test_another_error_fails_the_replay():
    with pytest.raises(ClientError):
        TableStream(StubStream([], error="ThrottlingException")).failed_batch(FAILURE_RECORD)
