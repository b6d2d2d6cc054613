"""What a sandbox's start costs: every functional test starts one, so what each start
repeats is paid some thousands of times a run (make test's 20-minute budget)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError
from moto.dynamodb.models.dynamo_type import DynamoType

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


def _leave_behind(box: Sandbox) -> None:
    """An item (and its stream record), an object and a queue message written."""
    boto3.resource("dynamodb").Table(box.names.table_name).put_item(
        Item={"pk": "left", "sk": "behind"}
    )
    boto3.client("s3").put_object(Bucket=box.names.bank_bucket, Key="left", Body=b"x")
    boto3.client("sqs").send_message(
        QueueUrl=box.resources.queue_urls["DeliveryQueue"], MessageBody="left"
    )


def _nothing_left_behind(box: Sandbox) -> None:
    """None of ``_leave_behind``'s writes is there; the billing table's stream holds only
    the onboarding's inserts (its 7 items)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    table = boto3.resource("dynamodb").Table(box.names.table_name)
    assert "Item" not in table.get_item(Key={"pk": "left", "sk": "behind"})
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=box.names.bank_bucket)
    queue = box.resources.queue_urls["DeliveryQueue"]
    assert "Messages" not in boto3.client("sqs").receive_message(QueueUrl=queue)
    held = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].tables[box.names.table_name]
    assert [r.record["eventName"] for r in held.stream_shard.items] == ["INSERT"] * 7


def test_a_sandbox_starts_from_nothing_the_one_before_it_wrote(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given a sandbox started from scratch that wrote an item, an object and a queue
    message, then stopped
    When the next sandbox starts (from a copy of what the first start left), and writes
    the same, and a third one starts
    Then none of them is there in the second or the third, and the stream holds only the
    onboarding's records: each test still starts from the template and onboarding alone."""
    _started_from_scratch(monkeypatch)
    with Sandbox(TODAY) as first:
        _leave_behind(first)
    with Sandbox(TODAY) as second:
        _nothing_left_behind(second)
        _leave_behind(second)
    with Sandbox(TODAY) as third:
        _nothing_left_behind(third)


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


# What differs between any two creations of the same resource: the wall clock's moment
# (and the stream's label and ARN, which are that moment).
_MOMENTS = frozenset(
    {
        *("CreationDateTime", "LatestStreamLabel", "LatestStreamArn", "StreamArn", "StreamLabel"),
        *("CreatedTimestamp", "LastModifiedTimestamp", "CreationDate"),
    }
)


def _described(answer: dict[str, Any]) -> dict[str, Any]:
    """An AWS answer without its metadata and the moments in it (``_MOMENTS``)."""
    if isinstance(answer, dict):
        return {
            k: _described(v) for k, v in answer.items() if k not in _MOMENTS | {"ResponseMetadata"}
        }
    if isinstance(answer, list):
        return [_described(v) for v in answer]
    return answer


def _answer_or_error(call: Any, **request: Any) -> Any:
    """What AWS answers, or the code of its error (a bucket without encryption set up)."""
    try:
        return call(**request)
    except ClientError as error:
        return error.response["Error"]["Code"]


def _set_up(box: Sandbox) -> dict[str, Any]:
    """The resources as AWS describes them: each table (key schema, attributes, indexes,
    billing, stream), its TTL; each bucket's versioning, notifications, encryption and
    place; each queue's attributes (redrive included); SES's identities and sets."""
    dynamodb, s3, sqs, sesv2 = (
        boto3.client(s, region_name=REGION) for s in ("dynamodb", "s3", "sqs", "sesv2")
    )
    tables = {
        name: {
            "table": dynamodb.describe_table(TableName=name)["Table"],
            "ttl": dynamodb.describe_time_to_live(TableName=name),
        }
        for name in dynamodb.list_tables()["TableNames"]
    }
    buckets = {}
    for bucket in (b["Name"] for b in s3.list_buckets()["Buckets"]):
        buckets[bucket] = {
            "versioning": s3.get_bucket_versioning(Bucket=bucket),
            "notifications": s3.get_bucket_notification_configuration(Bucket=bucket),
            "encryption": _answer_or_error(s3.get_bucket_encryption, Bucket=bucket),
            "location": s3.get_bucket_location(Bucket=bucket),
        }
    queues = {
        url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        for url in sqs.list_queues()["QueueUrls"]
    }
    sets = sesv2.list_configuration_sets()["ConfigurationSets"]
    ses = {
        "identities": sesv2.list_email_identities()["EmailIdentities"],
        "configuration_sets": {
            name: sesv2.get_configuration_set(ConfigurationSetName=name) for name in sets
        },
    }
    return _described({"tables": tables, "buckets": buckets, "queues": queues, "ses": ses})


def _state(box: Sandbox) -> dict[str, Any]:
    """Everything a started sandbox holds: its resources as described (``_set_up``), every
    table's items (as DynamoDB answers them and as moto keeps them, in its order), its
    stream, every bucket's objects with their bodies, the queues' messages, SES, the user
    directory, the repository's cache and the clock."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends
    from moto.ses.models import ses_backends

    ses_held = _plain(vars(ses_backends[DEFAULT_ACCOUNT_ID][REGION]))
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
        "set_up": _set_up(box),
        "tables": tables,
        "buckets": buckets,
        "queues": {url: answer["Attributes"] for url, answer in queues.items()},
        "ses": ses_held,
        "users": _plain(box.runtime.user_directory),
        "provider_cache": _plain(box.runtime.repository._provider_cache),
        "clock": box.clock.now().isoformat(),
    }


def _started_from_scratch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each sandbox from here on creates its resources and onboards its providers itself
    (no start recorded yet); the first one records what it left."""
    monkeypatch.setattr(local.sandbox, "_STARTS", {})


def _onboarding_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on a sandbox that onboards a provider through the service, or creates
    its resources through the AWS API, fails."""

    def refused(*_: Any, **__: Any) -> None:
        raise AssertionError("started from scratch, not restored")

    monkeypatch.setattr(local.sandbox, "create_provider", refused)
    monkeypatch.setattr(local.sandbox, "create_resources", refused)


def test_a_sandbox_restored_from_the_first_start_holds_what_a_start_from_scratch_leaves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R31 (the sample practices onboarded as an operator does, a week before the first
    day): Given a sandbox that created the template's resources through the AWS API and
    onboarded the sample providers through create_provider
    When the next sandbox starts from a copy of what that start left in moto
    Then every table (key schema, indexes, TTL, stream), bucket (versioning, notifications,
    encryption), queue (attributes, redrive) and SES identity and set is described the
    same; every table's items (answered and kept, in order), the stream, every bucket's
    objects, the queues' messages, SES, the user directory, the cache and the clock too."""
    _started_from_scratch(monkeypatch)
    with Sandbox(TODAY) as first:
        from_scratch = _state(first)
    _onboarding_refused(monkeypatch)
    with Sandbox(TODAY) as second:
        restored = _state(second)
    table = first.names.table_name
    assert len(from_scratch["tables"][table]["kept"]) == 7  # 2 x 2 + 3 AGB codes
    assert len(from_scratch["tables"][table]["stream"]) == 7  # their inserts, nothing else
    described = from_scratch["set_up"]["tables"][table]
    assert described["ttl"]["TimeToLiveDescription"]["TimeToLiveStatus"] == "ENABLED"
    assert described["table"]["StreamSpecification"]["StreamEnabled"] is True
    assert len(from_scratch["set_up"]["queues"]) == len(first.resources.queue_urls)
    assert restored == from_scratch


def _planted(snapshot: Any, service: str) -> Any:
    """The saved (never served) backend of ``service`` in the sandbox's region."""
    (backend,) = [
        saved.backend
        for saved in snapshot.saved
        if saved.services.service_name == service and saved.region in (REGION, "aws")
    ]
    return backend


def test_the_comparison_of_two_sandboxes_sees_an_item_and_a_queue_differ(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given the first start recorded, then in the record one attribute of one item and
    the delivery queue's visibility timeout changed
    When a sandbox starts from that record
    Then its state differs from the first one in that item and that queue: the comparison
    above can fail (a copy that drifts from what a start does would show)."""
    _started_from_scratch(monkeypatch)
    with Sandbox(TODAY) as first:
        from_scratch = _state(first)
    (recorded,) = local.sandbox._STARTS.values()
    table = _planted(recorded.backends, "dynamodb").tables[first.names.table_name]
    settings = next(i for i in _kept_in_order(table) if i.range_key.value == "SETTINGS")
    settings.attrs["payment_term_days"] = DynamoType({"N": "31"})
    queues = _planted(recorded.backends, "sqs").queues
    queues[first.names.delivery_queue_name].visibility_timeout = 31
    with Sandbox(TODAY) as second:
        restored = _state(second)
    name = first.names.table_name
    assert restored != from_scratch
    differing = [
        (before, after)
        for before, after in zip(
            from_scratch["tables"][name]["kept"], restored["tables"][name]["kept"], strict=True
        )
        if before != after
    ]
    assert [after["Attributes"]["payment_term_days"] for _, after in differing] == [{"N": "31"}]
    delivery = first.resources.delivery_queue_url
    assert restored["set_up"]["queues"][delivery]["VisibilityTimeout"] == "31"
    del restored["set_up"]["queues"][delivery], from_scratch["set_up"]["queues"][delivery]
    assert restored["set_up"] == from_scratch["set_up"]


def test_a_sandbox_of_other_providers_or_another_day_starts_from_scratch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given the first start with the sample providers on TODAY recorded
    When a sandbox starts on another day, or with a provider's settings changed
    Then it creates its resources and onboards through create_provider itself (what it
    would restore is not what it starts with)."""
    _started_from_scratch(monkeypatch)
    with Sandbox(TODAY):
        pass
    _onboarding_refused(monkeypatch)
    _starts_from_scratch(Sandbox(TODAY + timedelta(days=1)))
    renamed = SAMPLE_PROVIDERS[0].model_copy(update={"name": "Elders"})
    _starts_from_scratch(Sandbox(TODAY, providers=(renamed, *SAMPLE_PROVIDERS[1:])))


def _handlers_by_name(session: boto3.Session) -> Any:
    """The event handlers a session holds, event by event, in their order, each by its
    module and name (boto3's are made anew for each session)."""

    def named(handlers: list[Any]) -> list[tuple[str, str]]:
        return [(h.__module__, getattr(h, "__qualname__", repr(h))) for h in handlers]

    def node(at: dict[str, Any]) -> dict[str, Any]:
        kept = at["values"]
        listed = None if kept is None else [named(kept.first), named(kept.middle), named(kept.last)]
        return {"handlers": listed, "under": {k: node(c) for k, c in at["children"].items()}}

    emitter = session._session._original_handler
    unique = {key: named([entry["handler"]]) for key, entry in emitter._unique_id_handlers.items()}
    return node(emitter._handlers._root), unique


def _a_handler(**_: Any) -> None:
    """A handler a sandbox registers on its session."""


def test_a_sandbox_session_holds_the_handlers_a_new_session_registers() -> None:
    """Given botocore's handlers registered once for the process (a new session registers
    some 650 each time)
    When the sandbox makes a session, and a second one
    Then each holds the same handlers, in the same order, as a session botocore and boto3
    make themselves (initialisers' included), and a handler registered on one is not on
    the other."""
    made = local.sandbox._session_sharing_service_models()
    plain = boto3.Session(botocore_session=botocore.session.get_session(), region_name=REGION)
    assert _handlers_by_name(made) == _handlers_by_name(plain)
    made.events.register("before-call.lambda.Invoke", _a_handler)
    other = local.sandbox._session_sharing_service_models()
    assert _handlers_by_name(other) == _handlers_by_name(plain)
    assert _handlers_by_name(made) != _handlers_by_name(plain)


def test_a_renamed_provider_is_onboarded_as_renamed_after_the_first_start() -> None:
    """Given a sandbox of the sample providers started (and recorded)
    When a sandbox starts with the first provider renamed
    Then that sandbox's provider has the new name, and the next sample one the old."""
    with Sandbox(TODAY):
        pass
    renamed = SAMPLE_PROVIDERS[0].model_copy(update={"name": "Elders"})
    with Sandbox(TODAY, providers=(renamed, *SAMPLE_PROVIDERS[1:])) as box:
        provider = box.runtime.repository.get_provider(renamed.provider_id)
        assert provider is not None and provider.name == "Elders"
    with Sandbox(TODAY) as box:
        provider = box.runtime.repository.get_provider(renamed.provider_id)
        assert provider is not None and provider.name == SAMPLE_PROVIDERS[0].name


def _starts_from_scratch(box: Sandbox) -> None:
    """``box`` starts creating its resources itself (``_onboarding_refused``)."""
    try:
        with pytest.raises(AssertionError, match="started from scratch, not restored"):
            box.start()
    finally:
        box.stop()
