"""Reading the IAM policies of template.yaml, as written or as SAM expands it.

Shared by the template review (tests/template) and by the functional tests' audit of
every AWS call a handler makes (tests/functional/iam_audit.py), issue 13.7.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

# Objects under a named prefix of a bucket: the narrowest an S3 object grant gets.
_S3_OBJECTS_UNDER_A_PREFIX = re.compile(
    r"^(?:arn:\$\{AWS::Partition\}:s3:::[^/*]+|\$\{(?P<bucket_id>\w+)\.Arn\})/[^*]+/\*$"
)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def policy_documents(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(logical id, policy document) for identity and resource policies alike."""
    for logical_id, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::Role":
            for policy in properties.get("Policies", []):
                yield logical_id, policy["PolicyDocument"]
        elif resource["Type"] == "AWS::KMS::Key":
            yield logical_id, properties["KeyPolicy"]
        elif "PolicyDocument" in properties:
            yield logical_id, properties["PolicyDocument"]


def resource_text(value: Any) -> str:
    """An ARN as written, intrinsic functions as ${...}: {"Fn::GetAtt": [T, "Arn"]} is
    "${T.Arn}", {"Ref": S} is "${S}", and a Fn::Sub's variables are filled in."""
    if isinstance(value, str):
        return value
    if "Fn::GetAtt" in value:
        target, attribute = value["Fn::GetAtt"]
        return f"${{{target}.{attribute}}}"
    if "Ref" in value:
        return f"${{{value['Ref']}}}"
    if "Fn::Sub" in value:
        substitution = value["Fn::Sub"]
        if isinstance(substitution, str):
            return substitution
        text, variables = substitution
        for name, variable in variables.items():
            text = text.replace(f"${{{name}}}", resource_text(variable))
        return str(text)
    return json.dumps(value, sort_keys=True)


def resource_pattern(resource: Any, template: dict[str, Any]) -> str:
    """A statement's resource as a logical id and a path: ${OutputBucket.Arn}/reports/*
    is OutputBucket/reports/*, an S3 ARN built from a bucket's fixed name becomes that
    bucket's logical id, ${DeliveryQueue.Arn} is DeliveryQueue; anything else (an SES
    identity) stays as written."""
    text = resource_text(resource)
    for bucket_id, name in _bucket_names(template).items():
        text = text.replace(f"arn:${{AWS::Partition}}:s3:::{name}", f"${{{bucket_id}}}")
    if text.startswith("${") and "}" in text:
        reference, rest = text[2:].split("}", 1)
        return reference.removesuffix(".Arn") + rest
    return text


def _bucket_names(template: dict[str, Any]) -> dict[str, str]:
    """{bucket logical id: its fixed name as written}, for buckets named with !Sub."""
    return {
        logical_id: resource["Properties"]["BucketName"]["Fn::Sub"]
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::S3::Bucket"
        and isinstance(resource["Properties"].get("BucketName"), dict)
    }


def wildcards(statement: dict[str, Any], template: dict[str, Any]) -> list[str]:
    """What in an Allow statement a narrower grant could replace: an action with a *
    (dynamodb:*, sqs:SendMessage*), a resource with a * other than the objects under a
    bucket prefix (Resource *, table/index/*, a whole bucket), NotAction, NotResource."""
    found = [name for name in ("NotAction", "NotResource") if name in statement]
    found += [action for action in as_list(statement.get("Action", [])) if "*" in action]
    for resource in as_list(statement.get("Resource", [])):
        text = resource_text(resource)
        if "*" in text and not _objects_under_a_prefix(text, template):
            found.append(text)
    return found


def _objects_under_a_prefix(text: str, template: dict[str, Any]) -> bool:
    match = _S3_OBJECTS_UNDER_A_PREFIX.match(text)
    if match is None:
        return False
    bucket_id = match["bucket_id"]
    return bucket_id is None or template["Resources"][bucket_id]["Type"] == "AWS::S3::Bucket"


def function_role_statements(transformed: dict[str, Any], function_id: str) -> list[dict[str, Any]]:
    """The inline statements of a function's execution role in the transformed template."""
    resources = transformed["Resources"]
    role_id = resources[function_id]["Properties"]["Role"]["Fn::GetAtt"][0]
    return [
        statement
        for policy in resources[role_id]["Properties"].get("Policies", [])
        for statement in as_list(policy["PolicyDocument"]["Statement"])
    ]


def granted_actions(statements: list[dict[str, Any]]) -> set[str]:
    return {
        action
        for statement in statements
        if statement["Effect"] == "Allow"
        for action in as_list(statement["Action"])
    }


def log_groups_the_key_serves(template: dict[str, Any]) -> list[str]:
    """The log-group ARN patterns BillingKey's policy lets CloudWatch Logs encrypt with."""
    key_policy = template["Resources"]["BillingKey"]["Properties"]["KeyPolicy"]["Statement"]
    allowed = next(s for s in key_policy if s["Sid"] == "CloudWatchLogsEncryptsThisStacksLogGroups")
    return [
        resource_text(pattern)
        for pattern in allowed["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    ]


def log_group_arn(properties: dict[str, Any]) -> str:
    """A log group's ARN as written, from its LogGroupName."""
    return "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:" + (
        resource_text(properties["LogGroupName"])
    )
