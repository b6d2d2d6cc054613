"""The AWS::Serverless-2016-10-31 transform, run in-process and offline.

samtranslator (the library behind the CloudFormation SAM transform and `sam build`) does
the work. Three things it would otherwise fetch or expect are supplied here:

- the region: a boto3 Session with a region name, used only to fill AWS::Region and
  AWS::Partition (no credentials, no calls);
- managed policy names: samtranslator ships a map of AWS managed policies and asks IAM
  only for names it does not know. The IAM client here answers with no policies, so an
  unknown managed policy name fails the transform instead of reaching for the network.
  SAM policy templates (DynamoDBCrudPolicy, ...) are bundled JSON and need nothing;
- code locations: the template points CodeUri/ContentUri at local folders, which
  `sam package` replaces with S3 URIs; the same replacement is done here.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import boto3
from samtranslator.parser.parser import Parser
from samtranslator.public.translator import ManagedPolicyLoader, Translator
from samtranslator.yaml_helper import yaml_parse

REGION = "eu-central-1"
ARTIFACT_BUCKET = "zorgnota-artifacts-example"
_CODE_PROPERTIES = ("CodeUri", "ContentUri")


class _NoPolicies:
    def paginate(self, **_: Any) -> list[dict[str, Any]]:
        return [{"Policies": []}]


class OfflineIam:
    """Stands in for the IAM client ManagedPolicyLoader pages through: it knows no policies."""

    def get_paginator(self, operation: str) -> _NoPolicies:
        assert operation == "list_policies", operation
        return _NoPolicies()


def packaged(sam_template: dict[str, Any]) -> dict[str, Any]:
    """A copy with local code folders replaced by S3 URIs, as `sam package` does."""
    template = copy.deepcopy(sam_template)
    for resource in template.get("Resources", {}).values():
        properties = resource.get("Properties", {})
        for name in _CODE_PROPERTIES:
            if isinstance(properties.get(name), str) and not properties[name].startswith("s3://"):
                key = properties[name].strip("/") + ".zip"
                properties[name] = f"s3://{ARTIFACT_BUCKET}/{key}"
    return template


def transform(
    template_path: Path, parameter_values: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The CloudFormation template SAM would deploy for ``template_path``.

    Resource Metadata is passed through to the generated resources, as `sam build` does,
    so checkov skips written on a SAM resource also apply to what it expands into.
    """
    sam_template = packaged(yaml_parse(template_path.read_text(encoding="utf-8")))
    translator = Translator(
        managed_policy_map=None,
        sam_parser=Parser(),
        boto_session=boto3.Session(region_name=REGION),
    )
    loader = ManagedPolicyLoader(OfflineIam())
    return translator.translate(
        sam_template,
        parameter_values=dict(parameter_values or {}),
        passthrough_metadata=True,
        get_managed_policy_map=loader.load,
    )
