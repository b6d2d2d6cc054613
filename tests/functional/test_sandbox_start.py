"""What a sandbox's start costs: every functional test starts one, so what each start
repeats is paid some thousands of times a run (make test's 20-minute budget)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import boto3
import botocore.session
import pytest

import local.sandbox
from local.sandbox import REGION, Sandbox
from local.seed import SAMPLE_PROVIDERS
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


def _plain(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON-like data for comparing two sandboxes: an object by its attributes,
    a moment left out (moto stamps its objects with the wall clock's)."""
    if depth > 8 or isinstance(value, str | int | float | bool | bytes | None):
        return value
    if isinstance(value, datetime):
        return "<moment>"
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v, depth + 1) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if hasattr(value, "__dict__"):
        return {k: _plain(v, depth + 1) for k, v in vars(value).items() if k != "tagger"}
    return repr(value)


def _stream_record(record: dict[str, Any]) -> dict[str, Any]:
    """A stream record but its id and time, which differ between any two writes, and the
    size moto gives it: the length of its own JSON, its time included (one byte more or
    less with the wall clock's digits)."""
    ignored = ("ApproximateCreationDateTime", "SizeBytes")
    inner = {k: v for k, v in record["dynamodb"].items() if k not in ignored}
    return {k: v for k, v in record.items() if k != "eventID"} | {"dynamodb": inner}


def _kept_in_order(table: Any) -> list[Any]:
    """A moto table's items as it holds them: by partition, in the order each partition
    and each item in it came (moto's ``all_items`` sorts them)."""
    partitions = table.items.values()
    if table.range_key_attr:
        return [item for partition in partitions for item in partition.values()]
    return list(partitions)


def _state(box: Sandbox) -> dict[str, Any]:
    """Everything a started sandbox holds: every table's items (as DynamoDB answers them and
    as moto keeps them, in its order), its stream, every bucket's objects with their
    bodies, the queues, SES, the user directory, the repository's cache and the clock."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends
    from moto.ses.models import ses_backends

    dynamodb, s3, sqs = (boto3.client(s, region_name=REGION) for s in ("dynamodb", "s3", "sqs"))
    tables = {}
    for name, table in dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].tables.items():
        shard = table.stream_shard
        tables[name] = {
            "scan": dynamodb.scan(TableName=name)["Items"],
            "kept": [item.to_json() for item in _kept_in_order(table)],
            "stream": [_stream_record(r.record) for r in shard.items] if shard else None,
        }
    buckets = {}
    for bucket in (b["Name"] for b in s3.list_buckets()["Buckets"]):
        versions = s3.list_object_versions(Bucket=bucket)
        objects = versions.get("Versions", []) + versions.get("DeleteMarkers", [])
        buckets[bucket] = [
            (o["Key"], o.get("ETag"), s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read())
            for o in objects
        ]
    queues = {
        url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        for url in box.resources.queue_urls.values()
    }
    return {
        "tables": tables,
        "buckets": buckets,
        "queues": {url: answer["Attributes"] for url, answer in queues.items()},
        "ses": _plain(vars(ses_backends[DEFAULT_ACCOUNT_ID][REGION])),
        "users": _plain(box.runtime.user_directory),
        "provider_cache": _plain(box.runtime.repository._provider_cache),
        "clock": box.clock.now().isoformat(),
    }


def _onboarded_only_by_the_operator_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each sandbox from here on onboards its providers itself (none recorded yet)."""
    monkeypatch.setattr(local.sandbox, "_ONBOARDINGS", {})


def _onboarding_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on a sandbox that onboards a provider through the service fails."""

    def refused(*_: Any, **__: Any) -> None:
        raise AssertionError("onboarded through create_provider, not written back")

    monkeypatch.setattr(local.sandbox, "create_provider", refused)


def test_a_sandbox_writing_back_the_onboarding_holds_what_onboarding_leaves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R31 (the sample practices onboarded as an operator does, a week before the first
    day): Given a sandbox that onboarded the sample providers through create_provider
    When the next sandbox starts, writing back what that onboarding wrote in one batch
    Then every table's items (answered and kept, in order), the stream, every bucket's
    objects, the queues, SES, the user directory, the cache and the clock are the same."""
    _onboarded_only_by_the_operator_service(monkeypatch)
    with Sandbox(TODAY) as first:
        onboarded = _state(first)
    _onboarding_refused(monkeypatch)
    with Sandbox(TODAY) as second:
        written_back = _state(second)
    assert len(onboarded["tables"][first.names.table_name]["kept"]) == 7  # 2 x 2 + 3 AGB codes
    assert written_back == onboarded


def test_the_comparison_of_two_sandboxes_sees_one_attribute_differ(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given the onboarding recorded, with one attribute of one item changed afterwards
    When a sandbox writes it back
    Then its state differs from the onboarded one in that item: the comparison above can
    fail (a recording that drifts from what onboarding writes would show)."""
    _onboarded_only_by_the_operator_service(monkeypatch)
    with Sandbox(TODAY) as first:
        onboarded = _state(first)
    (recorded,) = local.sandbox._ONBOARDINGS.values()
    planted = next(item for item in recorded if item["sk"]["S"] == "SETTINGS")
    planted["payment_term_days"] = {"N": "31"}
    with Sandbox(TODAY) as second:
        written_back = _state(second)
    table = first.names.table_name
    assert written_back != onboarded
    differing = [
        (before, after)
        for before, after in zip(
            onboarded["tables"][table]["kept"], written_back["tables"][table]["kept"], strict=True
        )
        if before != after
    ]
    assert [after["Attributes"]["payment_term_days"] for _, after in differing] == [{"N": "31"}]


def test_a_sandbox_of_other_providers_or_another_day_onboards_them_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given the sample providers' onboarding on TODAY recorded
    When a sandbox starts on another day, or with a provider's settings changed
    Then it onboards through create_provider (what it writes is not what was recorded)."""
    _onboarded_only_by_the_operator_service(monkeypatch)
    with Sandbox(TODAY):
        pass
    _onboarding_refused(monkeypatch)
    _onboards_itself(Sandbox(TODAY + timedelta(days=1)))
    renamed = SAMPLE_PROVIDERS[0].model_copy(update={"name": "Elders"})
    _onboards_itself(Sandbox(TODAY, providers=(renamed, *SAMPLE_PROVIDERS[1:])))


def _onboards_itself(box: Sandbox) -> None:
    """``box`` starts onboarding through create_provider (``_onboarding_refused``)."""
    try:
        with pytest.raises(AssertionError, match="not written back"):
            box.start()
    finally:
        box.stop()
