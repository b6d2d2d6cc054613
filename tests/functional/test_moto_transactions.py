"""The sandbox's cheaper rollback of moto transactions (local/moto_speedup.py) must keep
DynamoDB's all-or-nothing promise, which the ingest and the dunning run rely on (R3, R28)."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from local.sandbox import REGION


def test_a_cancelled_transaction_leaves_every_item_as_it_was(sandbox):
    """Given an existing item A and an existing item B, when one transaction changes A,
    creates C and puts B on condition that B does not exist, then the transaction is
    cancelled and A is unchanged, C does not exist, B is unchanged."""
    client = boto3.client("dynamodb", region_name=REGION)
    table = sandbox.names.table_name

    def item(pk: str, value: str) -> dict:
        return {"pk": {"S": pk}, "sk": {"S": "TEST"}, "value": {"S": value}}

    for pk in ("A", "B"):
        client.put_item(TableName=table, Item=item(pk, "before"))

    with pytest.raises(ClientError) as cancelled:
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": item("A", "after")}},
                {"Put": {"TableName": table, "Item": item("C", "new")}},
                {
                    "Put": {
                        "TableName": table,
                        "Item": item("B", "after"),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )

    assert cancelled.value.response["Error"]["Code"] == "TransactionCanceledException"

    def value(pk: str) -> str | None:
        found = client.get_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": "TEST"}})
        return found.get("Item", {}).get("value", {}).get("S")

    assert (value("A"), value("B"), value("C")) == ("before", "before", None)
