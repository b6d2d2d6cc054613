"""Least privilege per function (issue 13.7, R26, R27, R29).

The review of wildcards lives in test_template.py; that every call a handler really makes
is allowed is checked by the functional tests (tests/functional/iam_audit.py).
"""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from typing import Any

from local.resources import function_events, resources_of_type
from tests.template.policies import (
    as_list,
    function_role_statements,
    granted_actions,
    resource_pattern,
    resource_text,
)

# Reading a whole table, deleting items or writing batches without conditions: none of it
# is ever needed to answer the public, and each is what an attacker would want.
NEVER_FOR_THE_PUBLIC = {"dynamodb:Scan", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
# The ledger is append-only (R27) and the daily run queries a sparse index (R18): no
# function scans the billing table, deletes from it or writes to it unconditionally.
NEVER_ON_THE_BILLING_TABLE = NEVER_FOR_THE_PUBLIC | {"dynamodb:PartiQLDelete"}


def public_functions(template: dict[str, Any]) -> set[str]:
    """Functions behind at least one route anyone may call (an Api event without a login)."""
    return {
        function_id
        for function_id, events in function_events(template).items()
        for kind, properties in events
        if kind == "Api" and properties.get("Auth", {}).get("Authorizer") == "NONE"
    }


def test_functions_that_serve_the_public_cannot_scan_delete_or_batch_write(
    template: dict[str, Any], transformed: dict[str, Any]
) -> None:
    """Given the functions behind an unauthenticated route (the patient API, the PSP
    webhook, and the provider API for its OpenAPI document)
    When I list every action their execution roles allow
    Then none may Scan, DeleteItem or BatchWriteItem, on any table."""
    public = public_functions(template)
    assert {"PatientApiFunction", "PspWebhookFunction"} <= public
    for function_id in public:
        allowed = granted_actions(function_role_statements(transformed, function_id))
        assert not allowed & NEVER_FOR_THE_PUBLIC, (function_id, allowed & NEVER_FOR_THE_PUBLIC)


def test_no_function_scans_or_deletes_from_the_billing_table(transformed: dict[str, Any]) -> None:
    """Given every function's execution role
    When I look at the statements on the billing table and its indexes
    Then none allows Scan, DeleteItem, BatchWriteItem or PartiQL deletes (R18, R27)."""
    functions = resources_of_type(transformed, "AWS::Lambda::Function")
    for function_id in functions:
        for statement in function_role_statements(transformed, function_id):
            on_billing_table = any(
                "BillingTable" in resource_text(resource)
                for resource in as_list(statement.get("Resource", []))
            )
            forbidden = set(as_list(statement["Action"])) & NEVER_ON_THE_BILLING_TABLE
            assert not (on_billing_table and forbidden), (function_id, statement.get("Sid"))


def test_functions_get_statements_written_for_them_not_sam_policy_templates(
    template: dict[str, Any],
) -> None:
    """Given the functions in template.yaml
    When I read their Policies
    Then each is a list of statements written for that function, with a Sid that says
    what it is for; SAM policy templates (DynamoDBCrudPolicy, SQSSendMessagePolicy, ...)
    grant what the template's author needed, not what this function does."""
    for function_id, properties in resources_of_type(template, "AWS::Serverless::Function").items():
        for policy in properties["Policies"]:
            assert set(policy) == {"Statement"}, (function_id, sorted(policy))
            for statement in policy["Statement"]:
                assert statement.get("Sid"), (function_id, statement)


def test_access_logs_are_delivered_only_under_each_logging_buckets_prefix(
    template: dict[str, Any],
) -> None:
    """Given the buckets that log to AccessLogsBucket, each with its LogFilePrefix
    When I read the access-log bucket's policy for S3 log delivery
    Then it allows PutObject under exactly those prefixes, not anywhere in the bucket."""
    prefixes = {
        properties["LoggingConfiguration"]["LogFilePrefix"]
        for properties in resources_of_type(template, "AWS::S3::Bucket").values()
        if "LoggingConfiguration" in properties
    }
    policy = template["Resources"]["AccessLogsBucketPolicy"]["Properties"]["PolicyDocument"]
    [delivery] = [s for s in policy["Statement"] if s.get("Sid") == "S3ServerAccessLogDelivery"]
    assert delivery["Action"] == "s3:PutObject"
    assert {resource_text(r) for r in delivery["Resource"]} == {
        f"${{AccessLogsBucket.Arn}}/{prefix}*" for prefix in prefixes
    }


# --- the expired-letters function (legal-nl.md §8, R29; audit NEWCOMER3) -----------------


def _condition_allows(condition: dict[str, Any], request: dict[str, list[str] | str]) -> bool:
    """The few IAM condition operators the statements below use, evaluated for a request's
    context keys (each multivalued key a list). Enough to tell what they let through."""
    for operator, tests in condition.items():
        for key, wanted in tests.items():
            patterns = as_list(wanted)
            given = request.get(key)
            if operator == "StringEqualsIfExists":
                if given is not None and given not in patterns:
                    return False
                continue
            values = as_list(given if given is not None else [])
            match = fnmatchcase if "Like" in operator else str.__eq__
            hits = [any(match(value, pattern) for pattern in patterns) for value in values]
            if "Not" in operator:
                hits = [not hit for hit in hits]
            if not all(hits):  # ForAllValues: every value of the request must match
                return False
    return True


def _expired_letters_statement(transformed: dict[str, Any], sid: str) -> dict[str, Any]:
    [statement] = [
        s
        for s in function_role_statements(transformed, "ExpiredLettersFunction")
        if s.get("Sid") == sid
    ]
    return statement


SETTINGS = "PROVIDER#tandarts-de-vries"  # sk SETTINGS: payout IBAN, contacts
INVOICE = "PROVIDER#tandarts-de-vries#INVOICE#f1896d76"
UNMATCHED_CREDIT = "BANK#UNMATCHED"  # payer name, IBAN


def test_the_expired_letters_role_reads_invoices_only(transformed: dict[str, Any]) -> None:
    """Given the statement that lets the expired-letters function read the other invoices
    of a letter (R29, README "What each function may do")
    When it would GetItem an invoice, a practice's settings or an unmatched credit
    Then only the invoice is allowed."""
    statement = _expired_letters_statement(transformed, "ReadOtherInvoicesOfALetter")
    assert as_list(statement["Action"]) == ["dynamodb:GetItem"]
    condition = statement["Condition"]
    assert _condition_allows(condition, {"dynamodb:LeadingKeys": [INVOICE]})
    for other in (SETTINGS, UNMATCHED_CREDIT):
        assert not _condition_allows(condition, {"dynamodb:LeadingKeys": [other]}), other


def test_the_expired_letters_role_sets_an_actions_expiry_and_nothing_else(
    transformed: dict[str, Any],
) -> None:
    """Given the statement that lets it expire the actions of a removed invoice
    When it would UpdateItem an action's expires_at (on condition of its invoice_id), an
    invoice's ledger, a practice's payout IBAN, or ask for the item back
    Then only the action's expires_at is allowed."""
    statement = _expired_letters_statement(transformed, "ExpireTheActionsOfAnExpiredInvoice")
    assert as_list(statement["Action"]) == ["dynamodb:UpdateItem"]
    condition = statement["Condition"]
    action_expiry = {
        "dynamodb:LeadingKeys": [SETTINGS],  # an action: PROVIDER#p / ACTION#id
        "dynamodb:Attributes": ["pk", "sk", "expires_at", "invoice_id"],
    }
    assert _condition_allows(condition, action_expiry)
    refused = {
        "an invoice's ledger": {
            "dynamodb:LeadingKeys": [INVOICE],
            "dynamodb:Attributes": ["ledger"],
        },
        "an invoice's expiry": {"dynamodb:LeadingKeys": [INVOICE]}
        | {"dynamodb:Attributes": ["expires_at"]},
        "a payout IBAN": action_expiry | {"dynamodb:Attributes": ["payout"]},
        "the item back": action_expiry | {"dynamodb:ReturnValues": "ALL_OLD"},
        "an unmatched credit": action_expiry | {"dynamodb:LeadingKeys": [UNMATCHED_CREDIT]},
    }
    for what, request in refused.items():
        assert not _condition_allows(condition, request), what


# The functions where a practice's users are managed (R32): the provider API and the
# portal for the practice's admin (R35), the operator API for zorgnota's back office.
USER_MANAGERS = ("ProviderApiFunction", "ProviderPortalFunction", "OperatorApiFunction")
# What they do to a user, through the one Cognito adapter.
USER_CHANGES = ("invite", "resend_invitation", "enable", "disable", "change_role", "users_of")


def cognito_actions_of(method_names: tuple[str, ...]) -> set[str]:
    """The IAM actions the Cognito adapter's methods call, read from its source: a call
    added there without its grant fails here, not once deployed (moto checks no IAM)."""
    import ast
    import inspect
    import re

    from billing_core.adapters.cognito_users import CognitoUserDirectory

    source = ast.parse(inspect.getsource(CognitoUserDirectory))
    methods = {node.name: node for node in ast.walk(source) if isinstance(node, ast.FunctionDef)}
    called: set[str] = set()
    pending = list(method_names)
    while pending:  # through the adapter's own helpers (_own_user, _group_members, ...)
        for node in ast.walk(methods[pending.pop()]):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            owner, name = node.func.value, node.func.attr
            if isinstance(owner, ast.Name) and owner.id == "self" and name in methods:
                pending.append(name)
            elif isinstance(owner, ast.Attribute) and owner.attr == "_client":
                paginated = name == "get_paginator" and isinstance(node.args[0], ast.Constant)
                called.add(str(node.args[0].value) if paginated else name)
    words = (re.sub(r"_(\w)", lambda m: m.group(1).upper(), name) for name in called)
    return {f"cognito-idp:{word[0].upper()}{word[1:]}" for word in words}


def test_every_function_that_manages_users_may_make_each_cognito_call_of_it(
    transformed: dict[str, Any],
) -> None:
    """R32, audit security SECURITY1: inviting a disabled user again enables them
    (AdminEnableUser), a new role leaves the old group (AdminRemoveUserFromGroup); on
    moto both answered 200, once deployed the roles refused them."""
    # Given the Cognito calls of inviting, enabling, disabling and changing a role
    needed = cognito_actions_of(USER_CHANGES)
    assert {"cognito-idp:AdminEnableUser", "cognito-idp:AdminRemoveUserFromGroup"} <= needed
    # Then each function where users are managed is granted every one of them
    for function_id in USER_MANAGERS:
        granted = granted_actions(function_role_statements(transformed, function_id))
        assert needed - granted == set(), function_id


def test_the_delivery_role_reads_the_print_batches_only(transformed: dict[str, Any]) -> None:
    """Given the invoice-delivery function's role (R38: a paper letter retried on a later
    day looks whether its first attempt put it in that day's print batch)
    When I list what it may read from S3
    Then it is s3:GetObject on the output bucket's print/ prefix and s3:ListBucket of that
    bucket on condition that the listing is under print/ (so a missing key is answered
    404, not 403), nothing else: no other prefix (reports, insurer claims, statements)
    and no listing of the rest of the bucket."""
    reads = {
        (
            action,
            resource_pattern(resource, transformed),
            json.dumps(statement.get("Condition"), sort_keys=True),
        )
        for statement in function_role_statements(transformed, "InvoiceDeliveryFunction")
        for action in as_list(statement["Action"])
        if action.startswith("s3:") and action != "s3:PutObject"
        for resource in as_list(statement["Resource"])
    }
    under_print = json.dumps({"StringLike": {"s3:prefix": "print/*"}}, sort_keys=True)
    assert reads == {
        ("s3:GetObject", "OutputBucket/print/*", "null"),
        ("s3:ListBucket", "OutputBucket", under_print),
    }


# Where a missing file is told in words (FileGone -> a 404 "no longer kept", legal-nl.md §8),
# by prefix of the output bucket, and the functions that run that code: the letters
# (services/provider/letters.py), the processing reports (declarations.py) and the
# retrocession statements (statements.py).
TOLD_WHEN_GONE = {
    "print/*": "letter_no_longer_kept",
    "letters/*": "letter_no_longer_kept",
    "reports/*": "report_no_longer_kept",
    "retrocession/*": "statement_no_longer_kept",
}
READERS_OF_KEPT_FILES = {
    "ProviderPortalFunction": {"print/*", "letters/*", "reports/*", "retrocession/*"},
    "ProviderApiFunction": {"reports/*", "retrocession/*"},
    # migrations 11 (paged-report-not-kept) and 15 (statement-agency-transfers)
    "OperatorApiFunction": {"reports/*", "retrocession/*"},
}


def output_prefixes(transformed: dict[str, Any], function_id: str, action: str) -> set[str]:
    """The output bucket's prefixes a function may GetObject from (the object ARNs), or
    ListBucket under (the s3:prefix condition; "*" for a listing without one)."""
    prefixes: set[str] = set()
    for statement in function_role_statements(transformed, function_id):
        if action not in as_list(statement["Action"]):
            continue
        for resource in as_list(statement["Resource"]):
            pattern = resource_pattern(resource, transformed)
            if pattern.startswith("OutputBucket/"):
                prefixes.add(pattern.removeprefix("OutputBucket/"))
            elif pattern == "OutputBucket":
                condition = statement.get("Condition", {}).get("StringLike", {})
                prefixes.update(as_list(condition.get("s3:prefix", "*")))
    return prefixes


def test_every_function_that_tells_a_file_is_gone_may_list_under_where_it_reads(
    transformed: dict[str, Any],
) -> None:
    """legal-nl.md §8, R35, audit security3 SEC3-1: on AWS, S3 answers a missing key
    NoSuchKey (404) only to a role that may s3:ListBucket, and AccessDenied (403) to any
    other; moto always answers NoSuchKey. Without the listing, "this letter is no longer
    kept" was a failed function once deployed.
    Given every function's role and the prefixes whose missing files are told in words
    When I compare what each may read (GetObject) with what it may list (ListBucket)
    Then each function reading under such a prefix may list under it, the portal and the
    API read the prefixes their code reads, and no function lists without an s3:prefix
    condition or under a prefix it cannot read (least privilege)."""
    functions = resources_of_type(transformed, "AWS::Lambda::Function")
    for function_id, prefixes in READERS_OF_KEPT_FILES.items():
        assert prefixes <= output_prefixes(transformed, function_id, "s3:GetObject"), function_id
    for function_id in functions:
        readable = output_prefixes(transformed, function_id, "s3:GetObject")
        listable = output_prefixes(transformed, function_id, "s3:ListBucket")
        told = readable & TOLD_WHEN_GONE.keys()
        assert told - listable == set(), (function_id, sorted(told - listable))
        assert listable <= readable, (function_id, sorted(listable - readable))


# The functions whose code calls the PSP (Mollie): a checkout, the webhook's reads and
# refunds, and an operator's record of a refund, checked with it (audit security3 SEC3-2).
PSP_CALLERS = {"PatientApiFunction", "PspWebhookFunction", "OperatorApiFunction"}


def test_exactly_the_functions_that_call_the_psp_may_read_its_api_key(
    transformed: dict[str, Any],
) -> None:
    """R11, R13 (audit security3 SEC3-2): an operator's refund id is now asked of Mollie;
    locally the fake PSP needs no key, so only the template shows the role can read it.
    Given every function's role
    When I list who may read the PSP's API key secret
    Then it is each function that calls the PSP, and no other."""
    readers = {
        function_id
        for function_id in resources_of_type(transformed, "AWS::Lambda::Function")
        for statement in function_role_statements(transformed, function_id)
        if "secretsmanager:GetSecretValue" in as_list(statement["Action"])
        and any(
            resource_pattern(resource, transformed) == "PspApiKeySecret"
            for resource in as_list(statement["Resource"])
        )
    }
    assert readers == PSP_CALLERS


# --- the schedules' roles (issue 13.7; audit operations, stop 39 not fixed) -----------------------


def schedule_roles(transformed: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """{schedule id: (its target, the properties of the role it starts it with)}."""
    resources = transformed["Resources"]
    return {
        schedule_id: (schedule["Target"], resources[role_id]["Properties"])
        for schedule_id, schedule in resources_of_type(
            transformed, "AWS::Scheduler::Schedule"
        ).items()
        for role_id in [schedule["Target"]["RoleArn"]["Fn::GetAtt"][0]]
    }


def test_every_schedule_role_may_start_only_its_own_run(transformed: dict[str, Any]) -> None:
    """Given each EventBridge Scheduler schedule and the role it starts its target with
    When that role is used
    Then it may invoke only the schedule's own function (that ARN as the target names it:
    no alias or version is named, so none is allowed), send only to the schedule's
    dead-letter queue and use the billing key only through SQS for that queue; no role
    serves two schedules."""
    roles = schedule_roles(transformed)
    assert {"DunningSchedule", "RetrocessionSchedule"} <= set(roles)
    role_arns = [target["RoleArn"] for target, _ in roles.values()]
    assert len(role_arns) == len({json.dumps(arn) for arn in role_arns})
    region = "sqs.${AWS::Region}.amazonaws.com"
    for schedule_id, (target, role) in roles.items():
        statements = [
            statement
            for policy in role["Policies"]
            for statement in as_list(policy["PolicyDocument"]["Statement"])
        ]
        allowed = {
            (
                action,
                resource_text(resource),
                json.dumps(statement.get("Condition"), sort_keys=True),
            )
            for statement in statements
            for action in as_list(statement["Action"])
            for resource in as_list(statement["Resource"])
        }
        assert all(statement["Effect"] == "Allow" for statement in statements), schedule_id
        queue = resource_text(target["DeadLetterConfig"]["Arn"])
        through_sqs = json.dumps({"StringEquals": {"kms:ViaService": {"Fn::Sub": region}}})
        assert allowed == {
            ("lambda:InvokeFunction", resource_text(target["Arn"]), "null"),
            ("sqs:SendMessage", queue, "null"),
            ("kms:Decrypt", "${BillingKey.Arn}", through_sqs),
            ("kms:GenerateDataKey", "${BillingKey.Arn}", through_sqs),
        }, schedule_id


def test_every_schedule_role_trusts_scheduler_only_for_its_own_schedule(
    transformed: dict[str, Any],
) -> None:
    """Confused-deputy prevention as AWS documents it for EventBridge Scheduler: Given
    each schedule's role
    When Scheduler assumes it
    Then only for a schedule of this account in the schedule's own group (aws:SourceArn
    is the group's ARN; Scheduler's guidance scopes it to a group, not a schedule), and
    that group holds no other schedule, so no other schedule can start the run."""
    schedules = resources_of_type(transformed, "AWS::Scheduler::Schedule")
    groups = [schedule.get("GroupName") for schedule in schedules.values()]
    assert None not in groups, "a schedule in the default group shares it with any other"
    assert len(groups) == len({json.dumps(group) for group in groups})
    for schedule_id, (_, role) in schedule_roles(transformed).items():
        group_id = schedules[schedule_id]["GroupName"]["Ref"]
        assert transformed["Resources"][group_id]["Type"] == "AWS::Scheduler::ScheduleGroup"
        [trust] = as_list(role["AssumeRolePolicyDocument"]["Statement"])
        assert (trust["Effect"], trust["Action"]) == ("Allow", "sts:AssumeRole"), schedule_id
        assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}, schedule_id
        assert trust["Condition"] == {
            "StringEquals": {
                "aws:SourceAccount": {"Ref": "AWS::AccountId"},
                "aws:SourceArn": {"Fn::GetAtt": [group_id, "Arn"]},
            }
        }, schedule_id


ACTION_HOLDERS = (  # the functions that set an action's state (R23; audit agency3)
    "ProviderApiFunction",
    "ProviderPortalFunction",
    "BankStatementImportFunction",
    "CollectionReportImportFunction",
    "DunningRunFunction",
)


def test_the_functions_that_close_or_reopen_actions_may_update_an_action_and_no_invoice(
    transformed: dict[str, Any],
) -> None:
    """R23, R22 (audit agency3). Given the statement SetActionStates of each function that
    sets an action's state (the practice's PATCH; the system closing or reopening "call your
    patient" when a claim at the agency is settled or owed again)
    When it would UpdateItem an action's state and details, an invoice, or a payout IBAN
    Then only the action is allowed. Before, the only UpdateItem of four of them was scoped
    to the markers' keys, which AWS refuses for an action (PROVIDER#p / ACTION#id), and the
    dunning run had none: the functional IAM audit did not read LeadingKeys."""
    action_state = {
        "dynamodb:LeadingKeys": [SETTINGS],  # an action: PROVIDER#p / ACTION#id
        "dynamodb:Attributes": ["pk", "sk", "state", "details", "moved_to"],
    }
    for function in ACTION_HOLDERS:
        [statement] = [
            s
            for s in function_role_statements(transformed, function)
            if s.get("Sid") == "SetActionStates"
        ]
        assert as_list(statement["Action"]) == ["dynamodb:UpdateItem"], function
        condition = statement["Condition"]
        assert _condition_allows(condition, action_state), function
        for other in (
            action_state | {"dynamodb:LeadingKeys": [INVOICE]},
            action_state | {"dynamodb:Attributes": ["pk", "sk", "payout"]},
        ):
            assert not _condition_allows(condition, other), (function, other)


def test_only_the_expired_letters_function_may_delete_files(transformed: dict[str, Any]) -> None:
    """legal-nl.md §8, R22, R29 (audit ops2): the only file the code deletes is the PDF of
    an expired invoice's letter (correspondence/kept_letters.py, ExpiredLettersFunction);
    the agency's handover files under collection/ and collection-updates/ are records the
    bucket keeps, and since the handover is saved before its file (a4df85d9) the dunning
    run never takes one back.
    Given every function's role
    When I list where it may s3:DeleteObject (or delete a version)
    Then only ExpiredLettersFunction may, and only under print/ and letters/."""
    deleting = {
        (function_id, resource_text(resource).split("}", 1)[-1])
        for function_id in resources_of_type(transformed, "AWS::Lambda::Function")
        for statement in function_role_statements(transformed, function_id)
        if statement["Effect"] == "Allow"
        and {"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:*"}
        & set(as_list(statement["Action"]))
        for resource in as_list(statement["Resource"])
    }
    assert deleting == {
        ("ExpiredLettersFunction", "/print/*"),
        ("ExpiredLettersFunction", "/letters/*"),
    }


def test_function_roles_use_the_billing_key_only_through_the_services_holding_its_data(
    transformed: dict[str, Any],
) -> None:
    """Given each function's execution role after the transform (R26; ops4)
    When it is allowed kms:Decrypt or kms:GenerateDataKey on the billing key
    Then only with kms:ViaService naming the services the role reaches data under that
    key through (its DynamoDB tables, S3 buckets, SQS queues incl. the one an event source
    polls, granted in the role since ops5, or a failure destination, Secrets Manager
    secrets) and Lambda (the environment, KmsKeyArn):
    a stolen function credential cannot call KMS itself."""
    data_services = ("dynamodb", "s3", "sqs", "secretsmanager")
    functions = resources_of_type(transformed, "AWS::Lambda::Function")
    assert len(functions) == 14
    for function_id in functions:
        statements = function_role_statements(transformed, function_id)
        used = {action.split(":")[0] for action in granted_actions(statements)}
        expected = {f"{s}.${{AWS::Region}}.amazonaws.com" for s in data_services if s in used}
        key_statements = [s for s in statements if "kms:" in json.dumps(s["Action"])]
        assert len(key_statements) == 1, function_id
        [statement] = key_statements
        assert set(as_list(statement["Action"])) == {"kms:Decrypt", "kms:GenerateDataKey"}
        assert resource_text(statement["Resource"]) == "${BillingKey.Arn}", function_id
        via = statement.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService", [])
        assert set(statement.get("Condition", {})) == {"StringEquals"}, function_id
        assert {resource_text(service) for service in as_list(via)} == expected | {
            "lambda.${AWS::Region}.amazonaws.com"
        }, function_id


def test_only_the_bucket_that_notifies_a_function_may_invoke_it(
    transformed: dict[str, Any],
) -> None:
    """Given every permission letting S3 invoke a function, after the transform (R26; ops4)
    When another bucket, in this account or any other, sends that function an event
    Then it is refused: each permission names the account and the one bucket whose
    notification targets that function, and each notified function has such a permission."""
    resources = transformed["Resources"]
    bucket_arn = "arn:${AWS::Partition}:s3:::"
    notified = {
        (
            notification["Function"]["Fn::GetAtt"][0],
            bucket_arn + resources[bucket_id]["Properties"]["BucketName"]["Fn::Sub"],
        )
        for bucket_id, bucket in resources_of_type(transformed, "AWS::S3::Bucket").items()
        for notification in bucket.get("NotificationConfiguration", {}).get(
            "LambdaConfigurations", []
        )
    }
    permitted = set()
    for permission_id, permission in resources_of_type(
        transformed, "AWS::Lambda::Permission"
    ).items():
        if permission["Principal"] != "s3.amazonaws.com":
            continue
        assert permission["SourceAccount"] == {"Ref": "AWS::AccountId"}, permission_id
        assert "SourceArn" in permission, permission_id
        source = resource_text(permission["SourceArn"])
        permitted.add((permission["FunctionName"]["Ref"], source))
    assert len(notified) == 4
    assert permitted == notified


def test_the_upload_imports_read_only_the_version_their_notification_names(
    template: dict[str, Any],
) -> None:
    """Given the four functions S3 notifies of an upload (R2, R5, R12, R22; ops4, ops5)
    When they read the uploaded file under their prefix
    Then their role allows s3:GetObjectVersion there and not s3:GetObject: the buckets are
    versioned, every notification (and every replayed one) names the version, and the
    functional tests' recorded calls never read an upload's latest version."""
    readers = {
        "DeclarationIngestFunction": "DeclarationsBucket/incoming/*",
        "RetourImportFunction": "DeclarationsBucket/retour/*",
        "BankStatementImportFunction": "BankStatementsBucket/camt053/*",
        # R22 (audit ops5): its sample event is driven with the version S3 returned.
        "CollectionReportImportFunction": "BankStatementsBucket/collection-reports/*",
    }
    functions = resources_of_type(template, "AWS::Serverless::Function")
    for function_id, prefix in readers.items():
        on_the_uploads = {
            action
            for policy in functions[function_id]["Policies"]
            for statement in policy.get("Statement", [])
            if any(resource_pattern(r, template) == prefix for r in as_list(statement["Resource"]))
            for action in as_list(statement["Action"])
        }
        assert on_the_uploads == {"s3:GetObjectVersion"}, function_id


def test_a_queue_event_source_polls_only_its_own_queue(transformed: dict[str, Any]) -> None:
    """R26 (audit ops5): Given each function a queue's event source mapping invokes
    When its role lets the poller receive and delete the queue's messages
    Then only on that queue, in an inline statement: no AWS managed policy
    (AWSLambdaSQSQueueExecutionRole, which SAM attaches for an SQS event) grants
    sqs:ReceiveMessage/DeleteMessage on Resource * (every queue of the account, e.g. the
    dead-letter queues holding undelivered invoices)."""
    resources = transformed["Resources"]
    queues = resources_of_type(transformed, "AWS::SQS::Queue")
    polled = {
        (mapping["FunctionName"]["Ref"], mapping["EventSourceArn"]["Fn::GetAtt"][0])
        for mapping in resources_of_type(transformed, "AWS::Lambda::EventSourceMapping").values()
        if mapping["EventSourceArn"]["Fn::GetAtt"][0] in queues
    }
    assert polled == {("InvoiceDeliveryFunction", "DeliveryQueue")}
    poll = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}
    for function_id, queue_id in polled:
        role = resources[resources[function_id]["Properties"]["Role"]["Fn::GetAtt"][0]]
        managed = [str(arn) for arn in role["Properties"].get("ManagedPolicyArns", [])]
        assert not [arn for arn in managed if "SQS" in arn], (function_id, managed)
        granted = {
            (action, resource_text(resource))
            for statement in function_role_statements(transformed, function_id)
            if statement["Effect"] == "Allow"
            for action in as_list(statement["Action"])
            if action.startswith("sqs:")
            for resource in as_list(statement["Resource"])
        }
        assert {(action, f"${{{queue_id}.Arn}}") for action in poll} <= granted, function_id
        assert all(resource == f"${{{queue_id}.Arn}}" for _, resource in granted), granted


def test_cloudwatch_uses_the_alarm_key_only_for_this_accounts_alarms(
    template: dict[str, Any],
) -> None:
    """R26 (audit ops5; confused deputy): Given AlarmKey's statement for CloudWatch
    When CloudWatch asks for the key to encrypt an alarm message
    Then only for an alarm of this account and region (aws:SourceAccount and
    aws:SourceArn), as the alarm topic's own policy already asks."""
    statements = template["Resources"]["AlarmKey"]["Properties"]["KeyPolicy"]["Statement"]
    [statement] = [s for s in statements if s["Sid"] == "CloudWatchPublishesAlarms"]
    assert statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
        "ArnLike": {
            "aws:SourceArn": {
                "Fn::Sub": "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*"
            }
        },
    }


def test_a_function_may_invoke_only_itself_to_go_on_with_a_long_run(
    transformed: dict[str, Any],
) -> None:
    """R18, R39 (runs51b): a run out of Lambda's time goes on in a call its function makes
    to itself (the bank import's statement, the daily dunning run, the weekly
    retrocession run: runs51c; the retour import's file: retourparts52).
    Given every function's execution role
    When I list the functions it may invoke
    Then those that may invoke any may invoke exactly their own function by its fixed name,
    asynchronously and nothing else: no wildcard, no other function of the stack."""
    functions = resources_of_type(transformed, "AWS::Lambda::Function")
    invokers = {}
    for function_id, properties in functions.items():
        statements = function_role_statements(transformed, function_id)
        targets = {
            resource_text(resource)
            for statement in statements
            if "lambda:InvokeFunction" in as_list(statement["Action"])
            for resource in as_list(statement["Resource"])
        }
        if targets:
            invokers[function_id] = targets
            name = resource_text(properties["FunctionName"])
            own = f"arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}"
            assert targets == {own}, (function_id, targets)
    assert set(invokers) == {
        "BankStatementImportFunction",
        "DunningRunFunction",
        "RetourImportFunction",
        "RetrocessionRunFunction",
    }
