"""What a sandbox's start costs: every functional test starts one, so what each start
repeats is paid some thousands of times a run (make test's 20-minute budget)."""

from __future__ import annotations

from typing import Any

import boto3
import botocore.session
import pytest

import local.sandbox
from local.sandbox import REGION, Sandbox
from tests.functional.conftest import TODAY


def _clients_made_creating_resources(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The services of the botocore clients made while a sandbox creates its resources."""
    made: list[str] = []
    creating = [False]
    real_create_client = botocore.session.Session.create_client
    real_create_resources = local.sandbox.create_resources

    def create_client(session: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        if creating[0]:
            made.append(service_name)
        return real_create_client(session, service_name, *args, **kwargs)

    def create_resources(*args: Any, **kwargs: Any) -> Any:
        creating[0] = True
        try:
            return real_create_resources(*args, **kwargs)
        finally:
            creating[0] = False

    monkeypatch.setattr(botocore.session.Session, "create_client", create_client)
    monkeypatch.setattr(local.sandbox, "create_resources", create_resources)
    return made


def test_a_sandbox_after_the_first_creates_its_resources_without_a_new_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given a sandbox has started and stopped in this process
    When a second one starts
    Then it creates the template's tables, buckets and queues with the clients the first
    made (before: four new clients per start, a fifth of its time), and it has them all."""
    with Sandbox(TODAY):
        pass
    made = _clients_made_creating_resources(monkeypatch)
    with Sandbox(TODAY) as box:
        assert made == []
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        assert set(dynamodb.list_tables()["TableNames"]) == {
            box.names.table_name,
            box.names.idempotency_table_name,
        }
        buckets = {b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]}
        assert box.names.declarations_bucket in buckets and box.names.bank_bucket in buckets
        assert len(boto3.client("sqs").list_queues()["QueueUrls"]) == len(box.resources.queue_urls)


def test_a_sandbox_starts_from_nothing_the_one_before_it_wrote(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given a sandbox that wrote an item, an object and a queue message, then stopped
    When the next sandbox starts (its resources made with the same clients)
    Then none of them is there: each test still starts from the template alone."""
    with Sandbox(TODAY) as first:
        boto3.resource("dynamodb").Table(first.names.table_name).put_item(
            Item={"pk": "left", "sk": "behind"}
        )
        boto3.client("s3").put_object(Bucket=first.names.bank_bucket, Key="left", Body=b"x")
        boto3.client("sqs").send_message(
            QueueUrl=first.resources.queue_urls["DeliveryQueue"], MessageBody="left"
        )
    with Sandbox(TODAY) as second:
        table = boto3.resource("dynamodb").Table(second.names.table_name)
        assert "Item" not in table.get_item(Key={"pk": "left", "sk": "behind"})
        assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=second.names.bank_bucket)
        queue = second.resources.queue_urls["DeliveryQueue"]
        assert "Messages" not in boto3.client("sqs").receive_message(QueueUrl=queue)
