"""The template's data resources, created on moto from template.yaml's own definitions.

Functional tests, ``make demo`` and ``make serve`` build their tables, buckets, queues and
e-mail set-up here, from the same properties CloudFormation deploys, so the two cannot
drift: a new GSI, TTL attribute or redrive policy in the template appears locally with no
extra step, and a new table, bucket or queue without a local name fails loudly.

Only what changes behaviour is translated. Encryption, PITR, logging and public-access
settings protect deployed data; moto would accept them and ignore them.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "template.yaml"
REGION = "eu-central-1"

# Set in the template, meaningless locally: the runtime reads REFERENCE_KEY instead, and
# without a PSP key secret it pays through the local fake PSP.
DEPLOYED_ONLY_VARIABLES = frozenset(
    {
        "REFERENCE_KEY_SECRET_ARN",
        "VISIT_KEY_SECRET_ARN",
        "PSP_API_KEY_SECRET_ARN",
        "PORTAL_SESSION_KEY_SECRET_ARN",
    }
)
# Local stand-ins for what Secrets Manager and the Lambda runtime provide when deployed.
LOCAL_ONLY_VARIABLES = frozenset(
    {"REFERENCE_KEY", "VISIT_KEY", "PORTAL_SESSION_KEY", "AWS_DEFAULT_REGION"}
)
# Not a secret: a fixed key so local references are reproducible from run to run.
LOCAL_REFERENCE_KEY = hashlib.sha256(b"zorgnota local reference key").hexdigest()
LOCAL_VISIT_KEY = hashlib.sha256(b"zorgnota local visit key").hexdigest()


# --- template.yaml --------------------------------------------------------------------------


# libyaml's parser where PyYAML has it (a tenth of the pure-Python one's time: every
# sandbox of the functional tests reads the template).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CloudFormationLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A safe YAML loader that also reads CloudFormation's short tags (!Ref, !Sub, ...)."""


def _long_form(loader: yaml.Loader, tag: str, node: yaml.Node) -> dict[str, Any]:
    """!Ref X -> {"Ref": X}; !GetAtt A.B -> {"Fn::GetAtt": [A, B]}; !Sub ... -> {"Fn::Sub": ...}."""
    name = tag.lstrip("!")
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if name == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    key = name if name in ("Ref", "Condition") else f"Fn::{name}"
    return {key: value}


CloudFormationLoader.add_multi_constructor("!", _long_form)


def load_template(path: Path | str | None = None) -> dict[str, Any]:
    """template.yaml (or another template) with every short tag in its long form."""
    text = Path(path or TEMPLATE_PATH).read_text(encoding="utf-8")
    return yaml.load(text, Loader=CloudFormationLoader)  # noqa: S506 - a SafeLoader subclass


def resources_of_type(template: Mapping[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    """{logical id: properties} of every resource of that type."""
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def global_environment(template: Mapping[str, Any]) -> dict[str, Any]:
    """The environment variables every function gets (Globals.Function.Environment)."""
    return dict(template["Globals"]["Function"]["Environment"]["Variables"])


def function_events(template: Mapping[str, Any]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """{function logical id: [(event type, event properties)]}: what triggers each function.

    The local runtime wires S3 prefixes, queues and API routes from this, as SAM would.
    A bucket's notifications are written on the bucket (its permissions name it, ops4) and
    a queue's event source mapping on its own (no managed policy reaching every queue,
    ops5): they appear here as the S3 and SQS events SAM would have read them from.
    """
    events = {
        logical_id: [
            (event["Type"], dict(event.get("Properties", {})))
            for event in properties.get("Events", {}).values()
        ]
        for logical_id, properties in resources_of_type(
            template, "AWS::Serverless::Function"
        ).items()
    }
    for bucket_id, bucket in resources_of_type(template, "AWS::S3::Bucket").items():
        notifications = bucket.get("NotificationConfiguration", {})
        for notification in notifications.get("LambdaConfigurations", []):
            [function_id, _] = notification["Function"]["Fn::GetAtt"]
            events[function_id].append(
                (
                    "S3",
                    {
                        "Bucket": {"Ref": bucket_id},
                        "Events": notification["Event"],
                        "Filter": notification["Filter"],
                    },
                )
            )
    queues = resources_of_type(template, "AWS::SQS::Queue")
    for mapping in resources_of_type(template, "AWS::Lambda::EventSourceMapping").values():
        source = mapping["EventSourceArn"]
        if source.get("Fn::GetAtt", [""])[0] in queues:  # not the billing table's stream
            properties = {
                k: v for k, v in mapping.items() if k not in ("FunctionName", "EventSourceArn")
            }
            events[mapping["FunctionName"]["Ref"]].append(("SQS", {"Queue": source, **properties}))
    return events


def function_handlers(template: Mapping[str, Any]) -> dict[str, str]:
    """{function logical id: "functions.<dir>.app.lambda_handler"}, from CodeUri + Handler."""
    handlers = {}
    for logical_id, properties in resources_of_type(template, "AWS::Serverless::Function").items():
        package = ".".join(Path(properties["CodeUri"]).parts)
        handlers[logical_id] = f"{package}.{properties['Handler']}"
    return handlers


# --- local names ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalNames:
    """The physical names the local resources get (CloudFormation would generate them)."""

    table_name: str = "zorgnota-local-billing"
    idempotency_table_name: str = "zorgnota-local-idempotency"
    declarations_bucket: str = "zorgnota-local-declarations"
    output_bucket: str = "zorgnota-local-output"
    bank_bucket: str = "zorgnota-local-bank"
    access_logs_bucket: str = "zorgnota-local-access-logs"
    delivery_queue_name: str = "zorgnota-local-delivery"
    delivery_dlq_name: str = "zorgnota-local-delivery-dlq"
    ingest_failure_queue_name: str = "zorgnota-local-ingest-failures"
    bank_import_failure_queue_name: str = "zorgnota-local-bank-import-failures"
    schedule_failure_queue_name: str = "zorgnota-local-schedule-failures"
    email_event_failure_queue_name: str = "zorgnota-local-email-event-failures"
    email_event_rule_failure_queue_name: str = "zorgnota-local-email-event-rule-failures"
    expired_letters_failure_queue_name: str = "zorgnota-local-expired-letters-failures"
    configuration_set: str = "zorgnota-local-invoices"
    sender_email: str = "nota@example.org"
    public_base_url: str = "http://127.0.0.1:8000"
    # The sandbox's own collection account: template.yaml has no default for it (a deploy
    # must name the real one); the sample bank statements (events/bank) credit this IBAN.
    collection_iban: str = "NL20INGB0001234567"
    collection_account_holder: str = "Stichting Derdengelden zorgnota"

    def physical_id(self, logical_id: str) -> str:
        """The local name of a template resource, e.g. "DeliveryQueue" -> its queue name."""
        by_logical_id = {
            "BillingTable": self.table_name,
            "IdempotencyTable": self.idempotency_table_name,
            "DeclarationsBucket": self.declarations_bucket,
            "OutputBucket": self.output_bucket,
            "BankStatementsBucket": self.bank_bucket,
            "AccessLogsBucket": self.access_logs_bucket,
            "DeliveryQueue": self.delivery_queue_name,
            "DeliveryDeadLetterQueue": self.delivery_dlq_name,
            "IngestFailureQueue": self.ingest_failure_queue_name,
            "BankImportFailureQueue": self.bank_import_failure_queue_name,
            "ScheduleFailureQueue": self.schedule_failure_queue_name,
            "EmailEventFailureQueue": self.email_event_failure_queue_name,
            "EmailEventRuleFailureQueue": self.email_event_rule_failure_queue_name,
            "ExpiredLettersFailureQueue": self.expired_letters_failure_queue_name,
            "EmailConfigurationSet": self.configuration_set,
        }
        try:
            return by_logical_id[logical_id]
        except KeyError:
            raise KeyError(
                f"template.yaml defines {logical_id!r}, but LocalNames has no local name for it"
            ) from None


@dataclass(frozen=True)
class LocalResources:
    names: LocalNames
    region: str
    queue_urls: Mapping[str, str]  # by logical id
    template_environment: Mapping[str, Any] = field(repr=False)

    @property
    def delivery_queue_url(self) -> str:
        return self.queue_urls["DeliveryQueue"]

    @property
    def delivery_dlq_url(self) -> str:
        return self.queue_urls["DeliveryDeadLetterQueue"]

    def environment(self) -> dict[str, str]:
        """What the template's Globals set, with local values; plus the local stand-ins."""
        local_values = self._local_values()
        environment = {}
        for name, value in self.template_environment.items():
            if name in DEPLOYED_ONLY_VARIABLES:
                continue
            if isinstance(value, str):  # a literal in the template: take it as is
                environment[name] = value
            elif name in local_values:
                environment[name] = local_values[name]
            else:
                raise KeyError(
                    f"template.yaml sets {name}, but local/resources.py has no local value"
                )
        environment["REFERENCE_KEY"] = LOCAL_REFERENCE_KEY
        environment["VISIT_KEY"] = LOCAL_VISIT_KEY
        # New each start: a restart signs everyone out, as a new key would deployed.
        environment["PORTAL_SESSION_KEY"] = secrets.token_hex(32)
        environment["AWS_DEFAULT_REGION"] = self.region
        return environment

    def _local_values(self) -> dict[str, str]:
        names = self.names
        return {
            "TABLE_NAME": names.table_name,
            "IDEMPOTENCY_TABLE_NAME": names.idempotency_table_name,
            "DECLARATIONS_BUCKET": names.declarations_bucket,
            "OUTPUT_BUCKET": names.output_bucket,
            "BANK_BUCKET": names.bank_bucket,
            "DELIVERY_QUEUE_URL": self.delivery_queue_url,
            "SENDER_EMAIL": names.sender_email,
            "SES_CONFIGURATION_SET": names.configuration_set,
            "PUBLIC_BASE_URL": names.public_base_url,
            "COLLECTION_IBAN": names.collection_iban,
            "COLLECTION_ACCOUNT_HOLDER": names.collection_account_holder,
            "STAGE": "local",
            # The sandbox signs in through its own page (local/sign_in.py), not Cognito.
            "PORTAL_SIGN_IN_DOMAIN": "",
            "PORTAL_CLIENT_ID": "",
            # No user pool locally: the sandbox keeps its users in memory.
            "USER_POOL_ID": "",
        }


# --- creating them ----------------------------------------------------------------------------


def create_resources(
    session: Any,
    names: LocalNames | None = None,
    template: Mapping[str, Any] | None = None,
) -> LocalResources:
    """Create the template's tables, buckets, queues and e-mail set-up with ``session``.

    ``session`` is a boto3 Session; the caller has entered ``moto.mock_aws()`` already.
    """
    names = names or LocalNames()
    template = template or load_template()
    region = session.region_name or REGION
    create_tables(session.client("dynamodb", region_name=region), template, names)
    create_buckets(session.client("s3", region_name=region), template, names, region)
    queue_urls = create_queues(session.client("sqs", region_name=region), template, names)
    create_email_sending(session.client("sesv2", region_name=region), template, names)
    return LocalResources(names, region, queue_urls, global_environment(template))


# DynamoDB ---------------------------------------------------------------------------------

# CreateTable takes these CloudFormation properties under the same names and shapes.
_TABLE_PROPERTIES = (
    "AttributeDefinitions",
    "KeySchema",
    "BillingMode",
    "ProvisionedThroughput",
    "OnDemandThroughput",
    "TableClass",
)
_INDEX_PROPERTIES = (
    "IndexName",
    "KeySchema",
    "Projection",
    "ProvisionedThroughput",
    "OnDemandThroughput",
)


def create_tables(dynamodb: Any, template: Mapping[str, Any], names: LocalNames) -> None:
    for logical_id, properties in resources_of_type(template, "AWS::DynamoDB::Table").items():
        table_name = names.physical_id(logical_id)
        dynamodb.create_table(**table_request(table_name, properties))
        ttl = properties.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            dynamodb.update_time_to_live(
                TableName=table_name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
            )


def table_request(table_name: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """CreateTable arguments from the template's AWS::DynamoDB::Table properties."""
    request: dict[str, Any] = {"TableName": table_name}
    request.update(_pick(properties, _TABLE_PROPERTIES))
    for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if kind in properties:
            request[kind] = [_pick(index, _INDEX_PROPERTIES) for index in properties[kind]]
    if "StreamSpecification" in properties:
        request["StreamSpecification"] = {
            "StreamEnabled": True,
            **properties["StreamSpecification"],
        }
    return _literal(request, where=table_name)


# S3 -----------------------------------------------------------------------------------------


def create_buckets(s3: Any, template: Mapping[str, Any], names: LocalNames, region: str) -> None:
    for logical_id, properties in resources_of_type(template, "AWS::S3::Bucket").items():
        bucket = names.physical_id(logical_id)
        # us-east-1 rejects a LocationConstraint; every other region requires one.
        placement = (
            {}
            if region == "us-east-1"
            else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        s3.create_bucket(Bucket=bucket, **placement)
        status = properties.get("VersioningConfiguration", {}).get("Status")
        if status:
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})


# SQS ----------------------------------------------------------------------------------------

# CloudFormation property -> SQS queue attribute, for the ones that change behaviour.
_QUEUE_ATTRIBUTES = (
    "VisibilityTimeout",
    "MessageRetentionPeriod",
    "DelaySeconds",
    "MaximumMessageSize",
    "ReceiveMessageWaitTimeSeconds",
    "FifoQueue",
    "ContentBasedDeduplication",
)


def create_queues(sqs: Any, template: Mapping[str, Any], names: LocalNames) -> dict[str, str]:
    """Create every queue, dead-letter queues before the queues that redrive to them."""
    queues = resources_of_type(template, "AWS::SQS::Queue")
    urls: dict[str, str] = {}

    def create(logical_id: str) -> str:
        if logical_id not in urls:
            attributes = queue_attributes(queues[logical_id], arn_of=arn)
            response = sqs.create_queue(
                QueueName=names.physical_id(logical_id), Attributes=attributes
            )
            urls[logical_id] = response["QueueUrl"]
        return urls[logical_id]

    def arn(logical_id: str) -> str:
        answer = sqs.get_queue_attributes(QueueUrl=create(logical_id), AttributeNames=["QueueArn"])
        return answer["Attributes"]["QueueArn"]

    for logical_id in queues:
        create(logical_id)
    return urls


def queue_attributes(properties: Mapping[str, Any], arn_of: Callable[[str], str]) -> dict[str, str]:
    """SQS attributes (all strings) from the template's AWS::SQS::Queue properties."""
    attributes = {
        name: _attribute_text(properties[name]) for name in _QUEUE_ATTRIBUTES if name in properties
    }
    redrive = properties.get("RedrivePolicy")
    if redrive:
        target = _get_att_target(redrive["deadLetterTargetArn"], attribute="Arn")
        attributes["RedrivePolicy"] = _json(
            {
                "deadLetterTargetArn": arn_of(target),
                "maxReceiveCount": int(redrive["maxReceiveCount"]),
            }
        )
    return _literal(attributes, where="queue attributes")


# SES ----------------------------------------------------------------------------------------

# AWS::SES::ConfigurationSet properties that SES v2 CreateConfigurationSet takes as they are.
_CONFIGURATION_SET_OPTIONS = (
    "SendingOptions",
    "ReputationOptions",
    "DeliveryOptions",
    "TrackingOptions",
    "SuppressionOptions",
    "VdmOptions",
)


def create_email_sending(sesv2: Any, template: Mapping[str, Any], names: LocalNames) -> None:
    """The configuration set(s) from the template, and the sender as an identity.

    moto lets an address send once it exists as an identity (it counts as verified);
    SendEmail from anything else is rejected with MessageRejected, as in the SES sandbox.
    """
    for logical_id, properties in resources_of_type(template, "AWS::SES::ConfigurationSet").items():
        options = _literal(_pick(properties, _CONFIGURATION_SET_OPTIONS), where=logical_id)
        sesv2.create_configuration_set(
            ConfigurationSetName=names.physical_id(logical_id), **options
        )
    sesv2.create_email_identity(EmailIdentity=names.sender_email)


# helpers ------------------------------------------------------------------------------------


def _pick(properties: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: properties[key] for key in keys if key in properties}


def _literal(value: Any, where: str) -> Any:
    """``value`` unchanged, after checking it holds no intrinsic function to resolve."""
    if isinstance(value, dict):
        intrinsic = [key for key in value if key == "Ref" or key.startswith("Fn::")]
        if intrinsic:
            raise ValueError(f"{where}: {intrinsic[0]} in a property the local build copies as is")
        for item in value.values():
            _literal(item, where)
    elif isinstance(value, list):
        for item in value:
            _literal(item, where)
    return value


def _get_att_target(value: Any, attribute: str) -> str:
    """The logical id in {"Fn::GetAtt": [id, attribute]}."""
    target, got = value["Fn::GetAtt"]
    if got != attribute:
        raise ValueError(f"expected !GetAtt {target}.{attribute}, got {got}")
    return str(target)


def _attribute_text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
