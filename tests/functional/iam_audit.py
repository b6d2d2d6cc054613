"""Every AWS call a handler makes in a functional test is one its role in template.yaml
allows (issue 13.7).

The roles are written per function with only the actions it uses. moto does not check
IAM, so a role that is too narrow would only fail once deployed; here each call a
handler makes through botocore is recorded (in the thread that invokes the handler, and
in the threads of a pool it starts: the insurer-claim listing reads its files at once) and
matched against the inline statements of that function in template.yaml, with the local
physical names mapped back to the template's logical ids.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import Any

import botocore.client
import pytest

from local.resources import LocalNames, load_template, resources_of_type
from local.sandbox import Sandbox
from tests.template.policies import as_list, resource_pattern, resource_text

# Resources the sandbox creates under a local name: {physical name: logical id}.
_NAMED_TYPES = ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SQS::Queue")
# One IAM action authorises these calls; all others need the action of their own name.
_ACTION_OF_CALL = {
    ("sqs", "SendMessageBatch"): "sqs:SendMessage",
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("sesv2", "SendEmail"): "ses:SendEmail",
    ("lambda", "Invoke"): "lambda:InvokeFunction",  # a run's call to the next (bank import)
}
_TRANSACTION_ACTIONS = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
    "Get": "dynamodb:GetItem",
}


@dataclass(frozen=True)
class Call:
    """One IAM authorisation a call needs: e.g. ("dynamodb:Query",
    "BillingTable/index/by-reference"). A resource of None is not matched (SES identities).
    ``leading_keys``: the partition keys of the items a DynamoDB item call touches (its
    ``dynamodb:LeadingKeys``); empty where the audit does not read them (Query, batches).
    ``via``: the service that made the call on the role's behalf (its ``kms:ViaService``);
    None for every call recorded here, which the handler's own code makes directly."""

    action: str
    resource: str | None
    leading_keys: tuple[str, ...] = ()
    via: str | None = None


@dataclass(frozen=True)
class Grant:
    actions: tuple[str, ...]
    resources: tuple[str, ...]  # logical id + path patterns, e.g. "OutputBucket/reports/*"
    # The statement's dynamodb:LeadingKeys conditions, {operator: patterns} (audit agency3:
    # a grant scoped to the markers' keys let every UpdateItem of the table through here,
    # where AWS refuses an action's).
    leading_keys: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The statement's kms:ViaService (StringEquals), e.g. "s3.${AWS::Region}.amazonaws.com":
    # such a grant serves only calls a service makes for the role, never a direct one (ops4).
    # Other condition keys are not evaluated.
    via_services: tuple[str, ...] = ()

    def allows(self, call: Call) -> bool:
        if not any(fnmatchcase(call.action, action) for action in self.actions):
            return False
        if call.resource is not None and not any(
            fnmatchcase(call.resource, resource) for resource in self.resources
        ):
            return False
        if self.via_services and call.via not in self.via_services:
            return False
        return all(_keys_allowed(op, pats, call.leading_keys) for op, pats in self.leading_keys)


def _keys_allowed(operator: str, patterns: tuple[str, ...], keys: tuple[str, ...]) -> bool:
    """ForAllValues:String(Not)Like / String(Not)Equals on dynamodb:LeadingKeys: every key
    of the call must (not) match one of the patterns. No keys read: allowed, as before."""
    match = fnmatchcase if "Like" in operator else str.__eq__
    hits = (any(match(key, pattern) for pattern in patterns) for key in keys)
    return all(not hit for hit in hits) if "Not" in operator else all(hits)


def _leading_keys_condition(statement: dict[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (operator, tuple(as_list(tests["dynamodb:LeadingKeys"])))
        for operator, tests in statement.get("Condition", {}).items()
        if "dynamodb:LeadingKeys" in tests
    )


def _via_services(statement: dict[str, Any]) -> tuple[str, ...]:
    """The services a statement's StringEquals kms:ViaService names, as written."""
    services = statement.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService", [])
    return tuple(resource_text(service) for service in as_list(services))


@dataclass
class Recorder:
    """The calls made while a handler ran, by function folder (functions/<folder>/)."""

    calls: list[tuple[str, Call]] = field(default_factory=list)
    _running: threading.local = field(default_factory=threading.local)

    def assert_allowed(self) -> None:
        grants = function_grants()
        refused = sorted(
            {
                f"{function}: {call.action} on {call.resource} {call.leading_keys}"
                for function, call in self.calls
                if not any(grant.allows(call) for grant in grants[function])
            }
        )
        assert not refused, "template.yaml does not allow what the handler did:\n" + "\n".join(
            refused
        )


@contextmanager
def recording(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    recorder = Recorder()
    invoke = Sandbox.invoke
    make_api_call = botocore.client.BaseClient._make_api_call

    def invoke_recorded(sandbox: Sandbox, function: str, event: dict[str, Any]) -> Any:
        recorder._running.function = function
        try:
            return invoke(sandbox, function, event)
        finally:
            recorder._running.function = None

    def api_call_recorded(client: Any, operation: str, parameters: dict[str, Any]) -> Any:
        function = getattr(recorder._running, "function", None)
        if function:
            service = client.meta.service_model.service_name
            recorder.calls += [(function, c) for c in calls_needed(service, operation, parameters)]
        return make_api_call(client, operation, parameters)

    submit = ThreadPoolExecutor.submit

    def submitted_recorded(pool: ThreadPoolExecutor, task: Any, /, *args: Any, **kw: Any) -> Any:
        function = getattr(recorder._running, "function", None)  # the handler's, if any

        def as_the_handler(*task_args: Any, **task_kw: Any) -> Any:
            recorder._running.function = function
            try:
                return task(*task_args, **task_kw)
            finally:
                recorder._running.function = None

        return submit(pool, as_the_handler, *args, **kw)

    monkeypatch.setattr(Sandbox, "invoke", invoke_recorded)
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", api_call_recorded)
    monkeypatch.setattr(ThreadPoolExecutor, "submit", submitted_recorded)
    yield recorder


# --- calls -> the authorisations they need ----------------------------------------------------


def calls_needed(service: str, operation: str, parameters: dict[str, Any]) -> list[Call]:
    if service == "dynamodb":
        return _dynamodb_calls(operation, parameters)
    if service == "dynamodbstreams":  # IAM names a stream's actions dynamodb:*
        return [Call(f"dynamodb:{operation}", _stream(parameters))]
    action = _ACTION_OF_CALL.get((service, operation), f"{service}:{operation}")
    if service == "s3":
        if parameters.get("VersionId"):
            action += "Version"
        key = parameters.get("Key")
        return [Call(action, _local(parameters["Bucket"]) + (f"/{key}" if key else ""))]
    if service == "sqs":
        return [Call(action, _local(parameters["QueueUrl"].rsplit("/", 1)[-1]))]
    return [Call(action, None)]


def _dynamodb_calls(operation: str, parameters: dict[str, Any]) -> list[Call]:
    if operation in ("TransactWriteItems", "TransactGetItems"):
        return [
            Call(_TRANSACTION_ACTIONS[kind], _local(body["TableName"]), _partition(body))
            for item in parameters["TransactItems"]
            for kind, body in item.items()
        ]
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [Call(f"dynamodb:{operation}", _local(t)) for t in parameters["RequestItems"]]
    table = _local(parameters["TableName"])
    index = parameters.get("IndexName")
    resource = f"{table}/index/{index}" if index else table
    return [Call(f"dynamodb:{operation}", resource, _partition(parameters))]


def _partition(parameters: dict[str, Any]) -> tuple[str, ...]:
    """The partition key of an item call's Key or Item (the tables' key is ``pk``)."""
    key = parameters.get("Key") or parameters.get("Item") or {}
    value = key.get("pk")
    if isinstance(value, dict):
        value = value.get("S")
    return (value,) if isinstance(value, str) else ()


def _stream(parameters: dict[str, Any]) -> str:
    """ "BillingTable.StreamArn", as the template names a table's stream, from the stream's
    ARN or, for GetRecords, from moto's shard iterator, which begins with it."""
    reference = parameters.get("StreamArn") or parameters["ShardIterator"]
    table_name = reference.split(":table/", 1)[1].split("/", 1)[0]
    return f"{_local(table_name)}.StreamArn"


def _local(physical_name: str) -> str:
    return _logical_ids()[physical_name]


# --- template.yaml -> what each function may do ------------------------------------------------


@cache
def function_grants() -> dict[str, list[Grant]]:
    """{function folder: its inline Allow statements, resources as logical-id patterns}."""
    template = load_template()
    grants = {}
    for properties in resources_of_type(template, "AWS::Serverless::Function").values():
        # A SAM policy template (DynamoDBCrudPolicy, ...) grants nothing here: calls it
        # would allow are reported, and tests/template/test_iam.py asks to write it out.
        policies = [policy for policy in properties["Policies"] if "Statement" in policy]
        statements = [statement for policy in policies for statement in policy["Statement"]]
        grants[Path(properties["CodeUri"]).name] = [
            Grant(
                tuple(as_list(statement["Action"])),
                tuple(resource_pattern(r, template) for r in as_list(statement["Resource"])),
                _leading_keys_condition(statement),
                _via_services(statement),
            )
            for statement in statements
            if statement["Effect"] == "Allow"
        ]
    return grants


@cache
def _logical_ids() -> dict[str, str]:
    names = LocalNames()
    template = load_template()
    return {
        names.physical_id(logical_id): logical_id
        for resource_type in _NAMED_TYPES
        for logical_id in resources_of_type(template, resource_type)
    }
