"""template.yaml: linted, scanned and reviewed, as written and as SAM expands it."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import tomllib
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file

from billing_core.entrypoints.http.errors import LOG_IN_AGAIN
from tests.template.policies import (
    as_list,
    log_group_arn,
    log_groups_the_key_serves,
    policy_documents,
    wildcards,
)

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-central-1"
CHECKOV = Path(".venv-checkov/bin/checkov")  # relative to the repo root (make test builds it)
BILLING_KEY_ARN = {"Fn::GetAtt": ["BillingKey", "Arn"]}

# Allow statements with a wildcard Action or Resource that AWS itself requires; anything
# else with a wildcard fails the review test below.
WILDCARDS_AWS_REQUIRES = {
    ("BillingKey", "AccountAdministersKeyThroughIam"): (
        "the default key policy: IAM policies in this account decide who uses the key; "
        "in a key policy, Resource * means this key"
    ),
    ("BillingKey", "CloudWatchLogsEncryptsThisStacksLogGroups"): (
        "in a key policy, Resource * means this key; the encryption-context condition "
        "limits it to this stack's log groups"
    ),
    ("BillingKey", "EventBridgeKeepsUndeliveredEmailEvents"): (
        "in a key policy, Resource * means this key; the aws:SourceArn condition limits it "
        "to the SES events rule putting what it could not deliver into its failure queue"
    ),
    ("AlarmKey", "AccountAdministersKeyThroughIam"): (
        "the default key policy of the alarm topic's own key; Resource * means this key"
    ),
    ("AlarmKey", "CloudWatchPublishesAlarms"): (
        "CloudWatch encrypts alarm messages for the topic with this key (GenerateDataKey* "
        "as AWS documents it); Resource * means this key, which protects nothing else"
    ),
}
# AWS managed policies the roles may carry (these hold the Resource * that X-Ray
# PutTraceSegments and CloudWatch Logs need), by name after "policy/".
MANAGED_POLICIES = {
    # logs:CreateLogGroup/CreateLogStream/PutLogEvents on *. samtranslator attaches it to
    # every role it generates for a function, with no switch to leave it out (Globals take
    # no Policies, a PermissionsBoundary keeps it attached, only an explicit Role drops
    # it). Narrowing it to each function's own log group means 14 hand-written roles
    # (audit ops6, stop 49): a decision for the owner, not made here (R26).
    "service-role/AWSLambdaBasicExecutionRole": "logs:CreateLogStream / PutLogEvents",
    # X-Ray's write actions (PutTraceSegments, PutTelemetryRecords, GetSampling*) take
    # no resource type in IAM: Resource * is the only form, the managed policy stays.
    "AWSXrayWriteOnlyAccess": "Tracing: Active; X-Ray has no resource-level permissions",
    "service-role/AmazonAPIGatewayPushToCloudWatchLogs": "API Gateway execution/access logs",
}
# Routes anyone may call without a provider login. Adding one is a decision: add it here.
PUBLIC_ROUTES = {
    ("/api/v1/openapi.json", "get"),
    ("/api/v1/docs", "get"),
    ("/api/v1/operator/openapi.json", "get"),
    ("/api/v1/operator/docs", "get"),
    # Patients have no login (R10-R16); the PSP calls its webhook (R11).
    ("/", "get"),
    ("/", "post"),
    ("/bezwaar", "post"),  # the checker's objection form (R16)
    # The checker's PDF (a visit pass decides) and the pages for patients (R36).
    ("/nota.pdf", "get"),
    ("/vragen", "get"),
    ("/voorwaarden", "get"),
    ("/privacy", "get"),
    ("/api/v1/payment-status/{reference}", "get"),
    ("/api/v1/invoices/{reference}/payments", "post"),
    ("/api/v1/invoices/{reference}/deferral", "post"),
    ("/api/v1/invoices/{reference}/arrangement", "post"),
    ("/api/v1/invoices/{reference}/objection", "post"),
    ("/api/v1/invoices/{reference}/insurer-statement", "post"),  # R17
    ("/api/v1/patient/openapi.json", "get"),
    ("/webhooks/psp", "post"),
    # Any address no route serves: a 404 page or the APIs' JSON 404, reading nothing (PAGES1).
    ("/{proxy+}", "x-amazon-apigateway-any-method"),
}
# The portal signs in through the hosted UI and keeps its own signed session cookie (R35):
# API Gateway passes its routes on; every page checks the session (tests/functional).
PORTAL_PREFIX = "/portal/"


# --- cfn-lint -------------------------------------------------------------------------------


def cfn_lint(path: Path) -> list[str]:
    matches = lint_file(path, config=ManualArgs(regions=[REGION]))
    return [f"{m.rule.id} {m.filename}:{m.linenumber} {m.message}" for m in matches]


def test_cfn_lint_passes_on_the_sam_template(template_path: Path) -> None:
    """Given template.yaml as written (cfn-lint applies the SAM transform itself)
    When cfn-lint checks it for eu-central-1
    Then it reports no errors or warnings."""
    assert cfn_lint(template_path) == []


def test_cfn_lint_passes_on_the_transformed_template(transformed_path: Path) -> None:
    """Given the CloudFormation template our offline SAM transform produces
    When cfn-lint checks it for eu-central-1
    Then it reports no errors or warnings. Only here does a dependency cycle show (E3004),
    e.g. the bucket -> notification -> function -> !Ref bucket loop."""
    assert cfn_lint(transformed_path) == []


# --- checkov --------------------------------------------------------------------------------


def run_checkov(path: Path) -> list[dict[str, Any]]:
    """checkov's JSON reports for one template (one per framework it ran)."""
    if not (ROOT / CHECKOV).exists():
        pytest.skip(f"{CHECKOV} is missing: `make test` (or `make test-template`) creates it")
    completed = subprocess.run(
        [
            str(CHECKOV),
            *("--file", str(path), "--framework", "cloudformation"),
            *("--quiet", "--compact", "--output", "json"),
            "--skip-download",  # offline: no guideline or policy download from Prisma Cloud
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        reports = json.loads(completed.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"checkov gave no JSON (exit {completed.returncode}):\n{completed.stderr[-3000:]}"
        )
    return reports if isinstance(reports, list) else [reports]


@pytest.fixture(scope="module")
def checkov_raw(template_path: Path) -> list[dict[str, Any]]:
    return run_checkov(template_path)


@pytest.fixture(scope="module")
def checkov_transformed(transformed_path: Path) -> list[dict[str, Any]]:
    return run_checkov(transformed_path)


def failed_checks(reports: list[dict[str, Any]]) -> list[str]:
    return [
        f"{check['check_id']} {check['resource']}: {check['check_name']}"
        for report in reports
        for check in report["results"]["failed_checks"]
    ]


def assert_scanned_and_clean(reports: list[dict[str, Any]]) -> None:
    summaries = [report["summary"] for report in reports]
    assert sum(s["resource_count"] for s in summaries) > 0, f"checkov saw no resources: {summaries}"
    assert sum(s["parsing_errors"] for s in summaries) == 0, summaries
    failures = failed_checks(reports)
    assert not failures, "checkov failed checks:\n" + "\n".join(failures)


def test_checkov_passes_on_the_sam_template(checkov_raw: list[dict[str, Any]]) -> None:
    """Given template.yaml as written
    When checkov scans it as CloudFormation, with only the inline skips in the template
    Then no check fails."""
    assert_scanned_and_clean(checkov_raw)


def test_checkov_passes_on_the_transformed_template(
    checkov_transformed: list[dict[str, Any]],
) -> None:
    """Given the transformed template (generated roles, stage and permissions included)
    When checkov scans it
    Then no check fails."""
    assert_scanned_and_clean(checkov_transformed)


def test_every_checkov_skip_says_why(template: dict[str, Any]) -> None:
    """Given the inline checkov skips in template.yaml
    When a reviewer reads them
    Then each names a check and gives a justification of at least a sentence."""
    skips = [
        (logical_id, skip)
        for logical_id, resource in template["Resources"].items()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips, "expected the documented skips (VPC, DLQ, API cache, access-log bucket)"
    for logical_id, skip in skips:
        assert str(skip.get("id", "")).startswith("CKV"), (logical_id, skip)
        assert len(skip.get("comment", "")) >= 60, f"{logical_id} {skip.get('id')}: say why"


# --- what a reviewer checks -------------------------------------------------------------------


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def test_no_allow_statement_has_a_wildcard_unless_aws_requires_it(
    transformed: dict[str, Any],
) -> None:
    """Given every policy in the transformed template (roles, key, bucket and queue policies)
    When I look for Allow statements with a * in an action (dynamodb:*, sqs:SendMessage*)
    or in a resource where a narrower one exists (Resource *, table/index/*, a whole
    bucket's objects rather than a prefix's), or with NotAction/NotResource
    Then the only ones are those AWS requires, each listed with its reason (#13.7)."""
    found = [
        (logical_id, statement.get("Sid", f"#{index}"), wildcards(statement, transformed))
        for logical_id, document in policy_documents(transformed)
        for index, statement in enumerate(as_list(document["Statement"]))
        if statement["Effect"] == "Allow" and wildcards(statement, transformed)
    ]
    unjustified = [place for place in found if place[:2] not in WILDCARDS_AWS_REQUIRES]
    assert not unjustified, f"wildcards nobody justified: {unjustified}"
    stale = WILDCARDS_AWS_REQUIRES.keys() - {place[:2] for place in found}
    assert not stale, f"allow-list entries no statement needs any more: {sorted(stale)}"


def managed_policy_name(arn: Any) -> str:
    text = arn["Fn::Sub"] if isinstance(arn, dict) else arn
    return str(text).split(":policy/", 1)[1]


def test_roles_carry_only_the_expected_aws_managed_policies(transformed: dict[str, Any]) -> None:
    """Given the roles SAM generates and the API Gateway logging role
    When I list their AWS managed policies
    Then each is one we expect (execution logs, X-Ray, API logs); not SQS polling, whose
    managed policy reaches every queue (audit ops5: the delivery queue's poll is inline)."""
    attached = {
        managed_policy_name(arn)
        for properties in resources_of_type(transformed, "AWS::IAM::Role").values()
        for arn in properties.get("ManagedPolicyArns", [])
    }
    assert attached <= MANAGED_POLICIES.keys(), attached - MANAGED_POLICIES.keys()


def test_every_function_logs_to_its_own_encrypted_log_group_with_retention(
    transformed: dict[str, Any],
) -> None:
    """Given the Lambda functions in the transformed template
    When I follow each one's LoggingConfig.LogGroup
    Then it is a log group of its own in this template, with the retention parameter,
    encrypted with BillingKey under a name the key policy lets CloudWatch Logs use."""
    resources = transformed["Resources"]
    patterns = log_groups_the_key_serves(transformed)
    functions = resources_of_type(transformed, "AWS::Lambda::Function")
    groups = {}
    for function_id, properties in functions.items():
        group_id = properties["LoggingConfig"]["LogGroup"]["Ref"]
        group = resources[group_id]
        assert group["Type"] == "AWS::Logs::LogGroup", function_id
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, group_id
        assert group["Properties"]["KmsKeyId"] == BILLING_KEY_ARN, group_id
        arn = log_group_arn(group["Properties"])
        assert any(fnmatch(arn, pattern) for pattern in patterns), f"key policy misses {arn}"
        groups[function_id] = group_id
    assert len(set(groups.values())) == len(functions), groups  # one group per function


def test_ingest_is_triggered_only_by_uploads_under_incoming(transformed: dict[str, Any]) -> None:
    """Given the declarations bucket's notifications after the transform
    When an object is created
    Then the ingest function is invoked only for keys under incoming/ (not retour/)."""
    bucket = transformed["Resources"]["DeclarationsBucket"]["Properties"]
    notifications = bucket["NotificationConfiguration"]["LambdaConfigurations"]
    prefixes = {
        n["Function"]["Fn::GetAtt"][0]: [r["Value"] for r in n["Filter"]["S3Key"]["Rules"]]
        for n in notifications
    }
    # ...and insurer retour files only the retour import (issue #7).
    assert prefixes == {
        "DeclarationIngestFunction": ["incoming/"],
        "RetourImportFunction": ["retour/"],
    }
    assert {n["Event"] for n in notifications} == {"s3:ObjectCreated:*"}


def test_every_bucket_denies_insecure_transport(transformed: dict[str, Any]) -> None:
    """Given each S3 bucket in the template
    When I look for its bucket policy
    Then it denies every s3 action over plain HTTP, on the bucket and on its objects."""
    policies = {
        properties["Bucket"]["Ref"]: properties["PolicyDocument"]["Statement"]
        for properties in resources_of_type(transformed, "AWS::S3::BucketPolicy").values()
    }
    for bucket_id in resources_of_type(transformed, "AWS::S3::Bucket"):
        denials = [
            s
            for s in policies.get(bucket_id, [])
            if s["Effect"] == "Deny"
            and s["Principal"] == "*"
            and s["Action"] == "s3:*"
            and str(s["Condition"]["Bool"]["aws:SecureTransport"]).lower() == "false"
        ]
        assert denials, f"{bucket_id} has no deny for aws:SecureTransport false"
        assert denials[0]["Resource"] == [
            {"Fn::GetAtt": [bucket_id, "Arn"]},
            {"Fn::Sub": f"${{{bucket_id}.Arn}}/*"},
        ]


def test_every_bucket_is_private_versioned_and_encrypted(transformed: dict[str, Any]) -> None:
    """Given each S3 bucket
    When I read its settings
    Then public access is blocked, ACLs are off, versions are kept (and old ones expire),
    and data buckets use BillingKey; the access-log bucket uses SSE-S3, the only
    encryption S3 log delivery supports."""
    for bucket_id, properties in resources_of_type(transformed, "AWS::S3::Bucket").items():
        block = properties["PublicAccessBlockConfiguration"]
        assert all(block[flag] is True for flag in block) and len(block) == 4, bucket_id
        assert properties["OwnershipControls"]["Rules"] == [
            {"ObjectOwnership": "BucketOwnerEnforced"}
        ]
        assert properties["VersioningConfiguration"] == {"Status": "Enabled"}, bucket_id
        rules = properties["LifecycleConfiguration"]["Rules"]
        assert any("NoncurrentVersionExpiration" in rule for rule in rules), bucket_id
        [encryption] = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        default = encryption["ServerSideEncryptionByDefault"]
        if bucket_id == "AccessLogsBucket":
            assert default == {"SSEAlgorithm": "AES256"}
            continue
        assert default == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": BILLING_KEY_ARN}, bucket_id
        assert encryption["BucketKeyEnabled"] is True, bucket_id
        assert properties["LoggingConfiguration"]["DestinationBucketName"] == {
            "Ref": "AccessLogsBucket"
        }


def test_tables_have_point_in_time_recovery_and_kms_encryption(template: dict[str, Any]) -> None:
    """Given the billing and idempotency tables
    When I read their settings
    Then both have PITR and SSE with BillingKey; the billing table survives a stack
    delete or replacement and is deletion-protected in prod."""
    tables = resources_of_type(template, "AWS::DynamoDB::Table")
    assert set(tables) == {"BillingTable", "IdempotencyTable"}
    for table_id, properties in tables.items():
        assert properties["PointInTimeRecoverySpecification"] == {
            "PointInTimeRecoveryEnabled": True
        }
        assert properties["SSESpecification"] == {
            "SSEEnabled": True,
            "SSEType": "KMS",
            "KMSMasterKeyId": {"Ref": "BillingKey"},
        }, table_id
    billing = template["Resources"]["BillingTable"]
    assert billing["DeletionPolicy"] == billing["UpdateReplacePolicy"] == "Retain"
    assert billing["Properties"]["DeletionProtectionEnabled"] == {"Fn::If": ["IsProd", True, False]}
    # The key outlives the table it encrypts.
    key = template["Resources"]["BillingKey"]
    assert key["DeletionPolicy"] == key["UpdateReplacePolicy"] == "Retain"
    assert key["Properties"]["EnableKeyRotation"] is True


def test_billing_table_indexes_match_what_the_code_queries(template: dict[str, Any]) -> None:
    """Given the billing table
    When I read its GSIs
    Then by-reference, by-provider, by-next-action and by-credit (credit held, R13) have
    the agreed key schemas."""
    indexes = {
        index["IndexName"]: [(k["AttributeName"], k["KeyType"]) for k in index["KeySchema"]]
        for index in template["Resources"]["BillingTable"]["Properties"]["GlobalSecondaryIndexes"]
    }
    assert indexes == {
        "by-reference": [("gsi1pk", "HASH")],
        "by-provider": [("gsi2pk", "HASH"), ("gsi2sk", "RANGE")],
        "by-next-action": [("gsi3pk", "HASH"), ("gsi3sk", "RANGE")],
        "by-credit": [("gsi4pk", "HASH"), ("gsi4sk", "RANGE")],
    }


def test_sqs_visibility_timeout_is_six_times_the_consumers_timeout(
    transformed: dict[str, Any],
) -> None:
    """Given each SQS event source mapping
    When I compare the queue's visibility timeout with the consuming function's timeout
    Then the queue waits at least six times as long, so a slow batch is not redelivered
    while it is still being handled."""
    resources = transformed["Resources"]
    queues = resources_of_type(transformed, "AWS::SQS::Queue")
    mappings = {
        mapping_id: mapping
        for mapping_id, mapping in resources_of_type(
            transformed, "AWS::Lambda::EventSourceMapping"
        ).items()
        if mapping["EventSourceArn"]["Fn::GetAtt"][0] in queues  # not the table's stream
    }
    assert mappings
    for mapping_id, mapping in mappings.items():
        queue_id = mapping["EventSourceArn"]["Fn::GetAtt"][0]
        function_id = mapping["FunctionName"]["Ref"]
        timeout = resources[function_id]["Properties"]["Timeout"]
        visibility = resources[queue_id]["Properties"]["VisibilityTimeout"]
        assert visibility >= 6 * timeout, mapping_id
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"], mapping_id
        assert "RedrivePolicy" in resources[queue_id]["Properties"], queue_id


def test_provider_routes_require_a_cognito_login(transformed: dict[str, Any]) -> None:
    """Given the REST API definition SAM generates
    When I list each route's security
    Then every /api/v1/provider/ route needs the Cognito authorizer, and the only routes
    without it are the ones listed as public."""
    paths = transformed["Resources"]["Api"]["Properties"]["Body"]["paths"]
    public = set()
    for path, operations in paths.items():
        for method, operation in operations.items():
            if operation.get("security") != [{"ProviderCognito": []}]:
                public.add((path, method))
    assert not {route for route in public if route[0].startswith("/api/v1/provider/")}
    outside_the_portal = {route for route in public if not route[0].startswith(PORTAL_PREFIX)}
    assert outside_the_portal <= PUBLIC_ROUTES, outside_the_portal - PUBLIC_ROUTES


def test_a_method_or_path_no_route_takes_is_the_apis_json_404(transformed: dict[str, Any]) -> None:
    """interfaces.md §2. Given the REST API definition SAM generates
    When I read the gateway response API Gateway sends for a method a path does not take
    (MISSING_AUTHENTICATION_TOKEN)
    Then it is 404 in the APIs' error shape, code not_found, with a Dutch and an English
    sentence, not API Gateway's 403 "Missing Authentication Token"; kept out of caches."""
    body = transformed["Resources"]["Api"]["Properties"]["Body"]
    response = body["x-amazon-apigateway-gateway-responses"]["MISSING_AUTHENTICATION_TOKEN"]
    assert response["statusCode"] == "404"
    error = json.loads(response["responseTemplates"]["application/json"])["error"]
    assert error["code"] == "not_found"
    dutch, english = error["message"].split(" / ")
    assert "bestaat niet" in dutch and "does not exist" in english
    assert response["responseParameters"] == {
        "gatewayresponse.header.Content-Type": "'application/json'",
        "gatewayresponse.header.Cache-Control": "'no-store'",
        "gatewayresponse.header.X-Content-Type-Options": "'nosniff'",
    }


@pytest.mark.parametrize(
    ("gateway_response", "status", "code"),
    [
        ("UNAUTHORIZED", "401", "unauthorized"),
        ("THROTTLED", "429", "throttled"),
        ("WAF_FILTERED", "403", "forbidden"),
    ],
)
def test_api_gateways_own_401_403_and_429_are_in_the_apis_error_shape(
    transformed: dict[str, Any], gateway_response: str, status: str, code: str
) -> None:
    """interfaces.md §2 (one error shape; "401/403 auth", "429 throttled"), audit
    contract52. Given the REST API definition SAM generates
    When I read the answer API Gateway gives itself for a missing or invalid token (the
    Cognito authorizer, before any function), for a route over its throttle and for a
    request a WAF managed rule blocks (audit wafbody55)
    Then each is its status in the APIs' error shape, Dutch / English, kept out of caches,
    not API Gateway's {"message": "Unauthorized"}, {"message": "Too Many Requests"} or
    {"message": "Forbidden"}; the 401 says what the functions' own 401 says (errors.py)."""
    body = transformed["Resources"]["Api"]["Properties"]["Body"]
    response = body["x-amazon-apigateway-gateway-responses"][gateway_response]
    assert response["statusCode"] == status
    error = json.loads(response["responseTemplates"]["application/json"])["error"]
    assert error["code"] == code
    dutch, english = error["message"].split(" / ")
    assert dutch and english and dutch != english
    if code == "unauthorized":
        assert error["message"] == LOG_IN_AGAIN
    assert response["responseParameters"] == {
        "gatewayresponse.header.Content-Type": "'application/json'",
        "gatewayresponse.header.Cache-Control": "'no-store'",
        "gatewayresponse.header.X-Content-Type-Options": "'nosniff'",
    }


def test_api_stage_is_throttled_traced_and_keeps_bodies_out_of_logs(
    transformed: dict[str, Any],
) -> None:
    """Given the API stage
    When I read its settings, the default and each route's own
    Then every one throttles requests, and request/response bodies (patient data) never
    go to the execution log; the stage is traced and access-logged."""
    [stage] = resources_of_type(transformed, "AWS::ApiGateway::Stage").values()
    assert {"ResourcePath": "/*", "HttpMethod": "*"}.items() <= stage["MethodSettings"][0].items()
    for settings in stage["MethodSettings"]:
        assert settings["ThrottlingBurstLimit"] > 0 and settings["ThrottlingRateLimit"] > 0
        assert settings["DataTraceEnabled"] is False, settings["ResourcePath"]
    assert stage["TracingEnabled"] is True
    assert stage["AccessLogSetting"]["DestinationArn"] == {
        "Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]
    }


def test_every_function_gets_the_shared_environment(
    template: dict[str, Any], transformed: dict[str, Any]
) -> None:
    """Given the Globals environment in template.yaml
    When SAM expands the functions
    Then each function has exactly those variables."""
    shared = set(template["Globals"]["Function"]["Environment"]["Variables"])
    assert {"TABLE_NAME", "DELIVERY_QUEUE_URL", "REFERENCE_KEY_SECRET_ARN"} <= shared
    for function_id, properties in resources_of_type(transformed, "AWS::Lambda::Function").items():
        assert set(properties["Environment"]["Variables"]) == shared, function_id


# --- the collection account (R11, R12; audit NEWCOMER2) ------------------------------------

COLLECTION_ACCOUNT = ("CollectionIban", "CollectionAccountHolder")


def samconfig_overrides() -> dict[str, dict[str, str]]:
    """{config env: {parameter: value}} from samconfig.toml's parameter_overrides."""
    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    return {
        env: dict(
            pair.split("=", 1)
            for pair in shlex.split(tables["deploy"]["parameters"]["parameter_overrides"])
        )
        for env, tables in config.items()
        if isinstance(tables, dict) and "deploy" in tables
    }


def accepted(parameter: dict[str, Any], value: str) -> bool:
    """Whether CloudFormation takes ``value`` for a String parameter (pattern and length)."""
    pattern = parameter.get("AllowedPattern")
    return parameter.get("MinLength", 0) <= len(value) <= parameter.get("MaxLength", 4096) and (
        pattern is None or re.fullmatch(pattern, value) is not None
    )


def test_no_deploy_ends_with_a_sample_collection_account(template: dict[str, Any]) -> None:
    """Given the parameters printed on every invoice: the account patients pay into and its
    holder (R11, R12)
    When a stack is deployed as the README says (samconfig.toml, or --guided)
    Then neither has a default (--guided asks for both), samconfig's values for every
    config env are placeholders CloudFormation refuses, and a real account is taken."""
    parameters = template["Parameters"]
    for name in COLLECTION_ACCOUNT:
        assert "Default" not in parameters[name], name
    overrides = samconfig_overrides()
    assert set(overrides) == {"default", "prod"}
    for env, values in overrides.items():
        for name in COLLECTION_ACCOUNT:
            assert not accepted(parameters[name], values[name]), (env, name, values[name])
    assert accepted(parameters["CollectionIban"], "NL91ABNA0417164300")
    assert accepted(parameters["CollectionAccountHolder"], "Stichting Derdengelden Zorg & Co")


def test_r12_r3_a_large_bank_statement_has_lambdas_longest_time_and_a_whole_cpu(
    template: dict[str, Any],
) -> None:
    """R12, R3, R39 (audit camt3): a 10,000-entry CAMT.053 (5 MB; the function reads up to
    20 MB) took 78 s of CPU and ~12,000 DynamoDB requests to import on moto, 536 s under
    load: more than the 300 s it had, so every attempt timed out.
    Given the bank statement import function (S3 upload, retried by Lambda)
    When I read its time and memory
    Then it has Lambda's longest time (900 s) and a whole vCPU (1,769 MB), as the
    declaration ingest reading uploads of its own size has."""
    bank = template["Resources"]["BankStatementImportFunction"]["Properties"]
    ingest = template["Resources"]["DeclarationIngestFunction"]["Properties"]
    assert bank["Timeout"] == ingest["Timeout"] == 900
    assert bank["MemorySize"] >= 1769


def test_r5_r3_a_large_retour_has_the_time_and_cpu_of_the_declaration_it_answers(
    template: dict[str, Any],
) -> None:
    """R5, R3, R39 (audit runs51c item 4): the retour import had 300 s and 1,024 MB while
    it reads files as large as a declaration (64 MB, 100,000 lines; the ingest has 900 s
    and 1,769 MB). Measured in memory (FakeStore, the Vektis test writers): 0.14 ms of
    CPU and 3.5 KB of memory a line, a patient a line: ~15 s and ~350 MB for the largest
    file; but each invoice costs about 4 requests one after the other (read, week marker,
    conditional write, the patient's notice): at ~10 ms each, 300 s wrote ~7,500
    invoices and every retry started over the same ones.
    Given the retour import function (S3 upload, retried by Lambda)
    When I read its time and memory
    Then it has what the declaration ingest has: Lambda's longest time and a whole vCPU."""
    retour = template["Resources"]["RetourImportFunction"]["Properties"]
    ingest = template["Resources"]["DeclarationIngestFunction"]["Properties"]
    assert retour["Timeout"] == ingest["Timeout"] == 900
    assert retour["MemorySize"] >= ingest["MemorySize"] == 1769


def test_r39_no_deploy_sends_its_alarms_to_a_sample_address(template: dict[str, Any]) -> None:
    """R39 (audit ops51): every alarm e-mails AlarmEmail. It had the default
    operations@example.org and samconfig.toml gave the same for both config envs, so a
    deploy as the README says sent every alarm to a domain that receives no mail.
    Given the alarm topic's address
    When a stack is deployed as the README says (samconfig.toml, or --guided)
    Then it has no default (--guided asks for it), samconfig's value for every config env
    is a placeholder CloudFormation refuses, and a real address is taken."""
    parameter = template["Parameters"]["AlarmEmail"]
    assert "Default" not in parameter
    overrides = samconfig_overrides()
    assert set(overrides) == {"default", "prod"}
    for env, values in overrides.items():
        assert not accepted(parameter, values["AlarmEmail"]), (env, values["AlarmEmail"])
    assert accepted(parameter, "dienst@zorgnota.nl")


@pytest.mark.parametrize(
    "name, real_value",
    [("SenderEmail", "nota@zorgnota.nl"), ("PublicBaseUrl", "https://betalen.zorgnota.nl")],
)
def test_r7_r10_no_deploy_puts_a_sample_sender_or_pay_link_on_real_invoices(
    template: dict[str, Any], name: str, real_value: str
) -> None:
    """R7, R10, R11 (audit ops51b): every invoice e-mail comes From SenderEmail and every
    pay link starts with PublicBaseUrl. They had the defaults nota@example.org and
    https://zorgnota.example.org and samconfig.toml set neither, so a deploy as it stands
    sent real invoices with pay links to zorgnota.example.org, without any error.
    Given the sender and the pay links' base URL
    When a stack is deployed as the README says (samconfig.toml, or --guided)
    Then neither has a default (--guided asks for it), samconfig's value for every config
    env is a placeholder CloudFormation refuses, and a real value is taken."""
    parameter = template["Parameters"][name]
    assert "Default" not in parameter
    overrides = samconfig_overrides()
    assert set(overrides) == {"default", "prod"}
    for env, values in overrides.items():
        assert not accepted(parameter, values[name]), (env, values[name])
    assert accepted(parameter, real_value)
