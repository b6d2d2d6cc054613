"""The local resources are template.yaml's own definitions, created on moto."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local.resources import (
    DEPLOYED_ONLY_VARIABLES,
    LOCAL_ONLY_VARIABLES,
    REGION,
    LocalResources,
    create_resources,
    function_events,
    function_handlers,
    global_environment,
    load_template,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> Iterator[boto3.Session]:
    # moto accepts any credentials; these keep boto3 from looking for real ones.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        yield boto3.Session(region_name=REGION)


@pytest.fixture
def resources(session: boto3.Session, template: dict[str, Any]) -> LocalResources:
    return create_resources(session, template=template)


def test_the_billing_table_has_the_templates_indexes(
    session: boto3.Session, resources: LocalResources, template: dict[str, Any]
) -> None:
    """Given the billing table as template.yaml defines it
    When the resources are created on moto
    Then the table has the template's key schema and its three GSIs with the same keys."""
    definition = template["Resources"]["BillingTable"]["Properties"]
    table = session.client("dynamodb").describe_table(TableName=resources.names.table_name)["Table"]
    assert table["KeySchema"] == definition["KeySchema"]
    created = {index["IndexName"]: index["KeySchema"] for index in table["GlobalSecondaryIndexes"]}
    defined = {
        index["IndexName"]: index["KeySchema"] for index in definition["GlobalSecondaryIndexes"]
    }
    assert created == defined
    assert set(created) == {"by-reference", "by-provider", "by-next-action", "by-credit"}


def test_the_idempotency_table_expires_records_on_the_templates_ttl_attribute(
    session: boto3.Session, resources: LocalResources
) -> None:
    """Given the idempotency table with TTL on `expiration` in the template
    When it is created on moto
    Then its key is `id` and TTL is enabled on `expiration`, as Powertools expects."""
    dynamodb = session.client("dynamodb")
    name = resources.names.idempotency_table_name
    assert dynamodb.describe_table(TableName=name)["Table"]["KeySchema"] == [
        {"AttributeName": "id", "KeyType": "HASH"}
    ]
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expiration"}


def test_the_buckets_exist_and_keep_versions(
    session: boto3.Session, resources: LocalResources
) -> None:
    """Given the declarations, output and access-log buckets in the template
    When they are created on moto
    Then each exists in eu-central-1 with versioning on."""
    s3 = session.client("s3")
    names = resources.names
    for bucket in (names.declarations_bucket, names.output_bucket, names.access_logs_bucket):
        assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] == REGION
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"


def test_a_delivery_request_sent_to_the_queue_can_be_received(
    session: boto3.Session, resources: LocalResources
) -> None:
    """Given the delivery queue created from the template
    When a message is sent to the URL in DELIVERY_QUEUE_URL
    Then it can be received, and the queue redrives to the dead-letter queue after 5 tries."""
    sqs = session.client("sqs")
    url = resources.environment()["DELIVERY_QUEUE_URL"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"invoice_id": "inv-1"}))
    [message] = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert json.loads(message["Body"]) == {"invoice_id": "inv-1"}

    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    dlq_arn = sqs.get_queue_attributes(
        QueueUrl=resources.delivery_dlq_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": dlq_arn,
        "maxReceiveCount": 5,
    }
    assert attributes["VisibilityTimeout"] == "360"


def test_the_sender_can_send_through_the_configuration_set(
    session: boto3.Session, resources: LocalResources
) -> None:
    """Given the sender identity and configuration set created locally
    When an e-mail is sent from SENDER_EMAIL with SES_CONFIGURATION_SET (SES v2)
    Then SES accepts it; an address that is not an identity is rejected."""
    environment = resources.environment()
    sesv2 = session.client("sesv2")
    content = {
        "Simple": {"Subject": {"Data": "Uw nota"}, "Body": {"Text": {"Data": "Zie bijlage."}}}
    }
    sent = sesv2.send_email(
        FromEmailAddress=environment["SENDER_EMAIL"],
        Destination={"ToAddresses": ["patient@example.com"]},
        ConfigurationSetName=environment["SES_CONFIGURATION_SET"],
        Content=content,
    )
    assert sent["MessageId"]
    with pytest.raises(sesv2.exceptions.MessageRejected):
        sesv2.send_email(
            FromEmailAddress="someone@elsewhere.example",
            Destination={"ToAddresses": ["patient@example.com"]},
            Content=content,
        )


def test_the_local_environment_has_the_templates_variable_names(
    resources: LocalResources, template: dict[str, Any]
) -> None:
    """Given the environment variables template.yaml sets on every function
    When the local environment is built
    Then it has the same names, less the Secrets Manager ARN and plus the local key and
    region; literal values (Powertools service and namespace) are the template's own."""
    environment = resources.environment()
    in_template = global_environment(template)
    assert set(environment) - LOCAL_ONLY_VARIABLES == set(in_template) - DEPLOYED_ONLY_VARIABLES
    assert set(environment) >= LOCAL_ONLY_VARIABLES
    assert environment["POWERTOOLS_SERVICE_NAME"] == in_template["POWERTOOLS_SERVICE_NAME"]
    assert environment["STAGE"] == "local"
    assert len(bytes.fromhex(environment["REFERENCE_KEY"])) == 32


def test_function_events_wire_triggers_as_the_template_does(template: dict[str, Any]) -> None:
    """Given the functions' Events in template.yaml
    When the local runtime asks what triggers what
    Then uploads under incoming/ go to ingest, the delivery queue to delivery, and the
    provider routes to the provider API, whose handler modules exist."""
    events = function_events(template)
    [(kind, s3)] = events["DeclarationIngestFunction"]
    assert (kind, s3["Bucket"]) == ("S3", {"Ref": "DeclarationsBucket"})
    assert s3["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "incoming/"}]
    [(kind, sqs)] = events["InvoiceDeliveryFunction"]
    assert (kind, sqs["Queue"]) == ("SQS", {"Fn::GetAtt": ["DeliveryQueue", "Arn"]})
    routes = {
        (p["Method"], p["Path"]) for kind, p in events["ProviderApiFunction"] if kind == "Api"
    }
    assert ("post", "/api/v1/provider/declarations") in routes
    assert ("get", "/api/v1/provider/declarations/{declaration_id}") in routes
    for handler in function_handlers(template).values():
        module_path = ROOT / (handler.rsplit(".", 1)[0].replace(".", "/") + ".py")
        assert module_path.exists(), handler


def test_short_tags_load_in_their_long_form(tmp_path: Path) -> None:
    """Given a template using !Ref, !GetAtt, !Sub, !If, !Equals, !Select and !Split
    When it is loaded
    Then each tag becomes the dict CloudFormation's JSON form would have."""
    path = tmp_path / "template.yaml"
    path.write_text(
        "Conditions:\n"
        "  IsProd: !Equals [!Ref Stage, prod]\n"
        "Resources:\n"
        "  R:\n"
        "    Type: X\n"
        "    Properties:\n"
        "      A: !GetAtt Queue.Arn\n"
        "      B: !Sub ['${D}', {D: !Select [1, !Split ['@', !Ref Mail]]}]\n"
        "      C: !If [IsProd, true, false]\n",
        encoding="utf-8",
    )
    loaded = load_template(path)
    assert loaded["Conditions"]["IsProd"] == {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
    assert loaded["Resources"]["R"]["Properties"] == {
        "A": {"Fn::GetAtt": ["Queue", "Arn"]},
        "B": {
            "Fn::Sub": ["${D}", {"D": {"Fn::Select": [1, {"Fn::Split": ["@", {"Ref": "Mail"}]}]}}]
        },
        "C": {"Fn::If": ["IsProd", True, False]},
    }
