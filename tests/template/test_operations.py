"""template.yaml's operational safeguards: what the functions may record, who is woken, what
is kept how long (issue 13; R29, R39; legal-nl.md §8)."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, time, timedelta
from fnmatch import fnmatch
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from billing_core.collection.collection_report import CollectionReportResult
from local.resources import resources_of_type
from tests.template.policies import (
    as_list,
    function_role_statements,
    log_group_arn,
    log_groups_the_key_serves,
    resource_pattern,
)

BILLING_KEY_ARN = {"Fn::GetAtt": ["BillingKey", "Arn"]}
# 8 x 365.25 days: 7 full years after the end of the year a file was made, wherever in
# the year that was (art. 52 AWR, legal-nl.md §8).
SEVEN_YEARS_AFTER_ITS_YEAR = 2922
# 35 years: 5 to a judgment (art. 3:308 BW), 20 to enforce it (art. 3:324 BW), then the 7
# full years after the year the claim was settled (legal-nl.md §8).
LETTERS_BACKSTOP = 12784
# How long each bucket prefix's objects may live, in days, current and noncurrent version
# together: (at least, at most). legal-nl.md §8; the README ("Retention") has the table.
RETENTION = {
    # Raw files with the BSN of every line, deleted 90 days after processing.
    "DeclarationsBucket/incoming/": (1, 90),
    "DeclarationsBucket/retour/": (1, 90),
    # Handover files (1 year after handover) and unmatched-credit lists (1 year).
    "OutputBucket/collection/": (1, 365),
    "OutputBucket/collection-updates/": (1, 365),  # the agency's daily files, as handovers
    "OutputBucket/collection/updates/": (1, 365),  # the records those files carry
    "OutputBucket/bank/": (1, 365),
    # A long retour import's progress: while its parts may be delivered (a week).
    "OutputBucket/retour/progress/": (7, 8),
    # The administration: letters, statements, reports, claims, what bookings came from.
    # Letters go with their invoice when the table's TTL removes it (7 years after the
    # end of the year it was SETTLED, ExpiredLettersFunction); their age rule is only a
    # backstop, which must outlast any claim still open (template.yaml says why 35 years).
    "OutputBucket/print/": (LETTERS_BACKSTOP, LETTERS_BACKSTOP + 30),
    "OutputBucket/letters/": (LETTERS_BACKSTOP, LETTERS_BACKSTOP + 30),
    "OutputBucket/retrocession/": (SEVEN_YEARS_AFTER_ITS_YEAR, SEVEN_YEARS_AFTER_ITS_YEAR + 30),
    "OutputBucket/reports/": (SEVEN_YEARS_AFTER_ITS_YEAR, SEVEN_YEARS_AFTER_ITS_YEAR + 30),
    "OutputBucket/insurer-claims/": (SEVEN_YEARS_AFTER_ITS_YEAR, SEVEN_YEARS_AFTER_ITS_YEAR + 30),
    # Payment orders to the bank (pain.001): payouts and refunds (issue 19, R34).
    "OutputBucket/payouts/": (SEVEN_YEARS_AFTER_ITS_YEAR, SEVEN_YEARS_AFTER_ITS_YEAR + 30),
    "OutputBucket/refunds/": (SEVEN_YEARS_AFTER_ITS_YEAR, SEVEN_YEARS_AFTER_ITS_YEAR + 30),
    "OutputBucket/collection-reports/": (
        SEVEN_YEARS_AFTER_ITS_YEAR,
        SEVEN_YEARS_AFTER_ITS_YEAR + 30,
    ),
    "BankStatementsBucket/camt053/": (SEVEN_YEARS_AFTER_ITS_YEAR, SEVEN_YEARS_AFTER_ITS_YEAR + 30),
    "BankStatementsBucket/collection-reports/": (
        SEVEN_YEARS_AFTER_ITS_YEAR,
        SEVEN_YEARS_AFTER_ITS_YEAR + 30,
    ),
    # S3 access logs: no personal data, a year like every other log.
    "AccessLogsBucket/": (1, 365),
}

# Powertools Tracer settings that keep handler responses and exception messages (invoice
# details, names, birth dates) out of X-Ray, which sits outside the KMS key and the log
# retention (issue 13.2, R29).
TRACER_KEEPS_PAYLOADS_OUT = {
    "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
    "POWERTOOLS_TRACER_CAPTURE_ERROR": "false",
}


def test_no_function_traces_its_responses_or_errors(transformed: dict[str, Any]) -> None:
    """Given every Lambda function SAM deploys (all have Tracing: Active)
    When I read its environment
    Then Powertools Tracer is told not to capture responses or errors, so no health data
    from an answer or an exception message reaches X-Ray (R29)."""
    functions = resources_of_type(transformed, "AWS::Lambda::Function")
    assert functions
    for function_id, properties in functions.items():
        assert properties["TracingConfig"] == {"Mode": "Active"}, function_id
        variables = properties["Environment"]["Variables"]
        leaking = {
            name: variables.get(name)
            for name, value in TRACER_KEEPS_PAYLOADS_OUT.items()
            if variables.get(name) != value
        }
        assert not leaking, f"{function_id} would send payloads to X-Ray: {leaking}"


# --- retention (issue 13.11, legal-nl.md §8) --------------------------------------------------


def prefixes_written(template: dict[str, Any]) -> set[str]:
    """Every "Bucket/prefix/" a function may put objects under (uploads it signs included)."""
    written = set()
    for function_id in resources_of_type(template, "AWS::Lambda::Function"):
        for statement in function_role_statements(template, function_id):
            if "s3:PutObject" in as_list(statement["Action"]):
                for resource in as_list(statement["Resource"]):
                    written.add(resource_pattern(resource, template).removesuffix("*"))
    return written


def lifecycle_rule(template: dict[str, Any], bucket_prefix: str) -> dict[str, Any]:
    """The enabled rule of that bucket for exactly that prefix (no prefix: the whole bucket)."""
    bucket_id, prefix = bucket_prefix.split("/", 1)
    rules = template["Resources"][bucket_id]["Properties"]["LifecycleConfiguration"]["Rules"]
    [rule] = [
        r
        for r in rules
        if r["Status"] == "Enabled" and r.get("Prefix", "") == prefix and "ExpirationInDays" in r
    ]
    return rule


def test_every_prefix_a_function_writes_has_a_retention(transformed: dict[str, Any]) -> None:
    """Given every bucket prefix a function may write to (its role's s3:PutObject)
    When I look it up in the retention table of legal-nl.md §8
    Then it is there: a new kind of file cannot land without someone deciding how long
    it is kept."""
    written = prefixes_written(transformed)
    assert "DeclarationsBucket/incoming/" in written and "OutputBucket/print/" in written
    assert written <= RETENTION.keys(), sorted(written - RETENTION.keys())


@pytest.mark.parametrize("bucket_prefix", sorted(RETENTION))
def test_each_kind_of_file_is_kept_as_long_as_the_law_says(
    template: dict[str, Any], bucket_prefix: str
) -> None:
    """Given the lifecycle rule for a bucket prefix
    When an object is uploaded, and later overwritten or expired (the buckets keep versions)
    Then the current version lives at least as long as the law keeps it, and no version,
    current or noncurrent, outlives the most the table allows."""
    fewest, most = RETENTION[bucket_prefix]
    rule = lifecycle_rule(template, bucket_prefix)
    current = rule["ExpirationInDays"]
    noncurrent = rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
    assert current >= fewest, (bucket_prefix, current)
    assert current + noncurrent <= most, (bucket_prefix, current, noncurrent)


# S3 rounds a lifecycle rule's moment up to the next midnight UTC, the current version's
# expiry and the noncurrent version's end alike (Amazon S3 User Guide, lifecycle rules):
# an object lives up to a day longer than its rule's days say.
UTC_MIDNIGHT = time(0, tzinfo=UTC)
# legal-nl.md §8's fixed terms for files with personal data, from the moment a file is
# made (a raw file is processed when it arrives, a handover file is written at the handover).
FIXED_TERMS = {
    "DeclarationsBucket/incoming/": "90 days",  # raw declaration files: every line's BSN
    "DeclarationsBucket/retour/": "90 days",  # raw Vektis retour files, BSNs too
    "OutputBucket/collection/": "1 year",  # handover files
    "OutputBucket/collection-updates/": "1 year",  # kept as the handover files
    "OutputBucket/collection/updates/": "1 year",
    "OutputBucket/bank/": "1 year",  # unmatched-credit lists (payer names, IBANs)
}


def s3_deletes_at(made: datetime, rule: dict[str, Any]) -> datetime:
    """When S3 may delete the last version of an object ``made`` then: its current version
    expires ExpirationInDays later, then the noncurrent one NoncurrentDays after that,
    each moment rounded up to the next midnight UTC."""
    expired = next_utc_midnight(made + timedelta(days=rule["ExpirationInDays"]))
    noncurrent_days = rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
    return next_utc_midnight(expired + timedelta(days=noncurrent_days))


def next_utc_midnight(moment: datetime) -> datetime:
    midnight = datetime.combine(moment.astimezone(UTC).date(), UTC_MIDNIGHT)
    return midnight if midnight == moment else midnight + timedelta(days=1)


def term_ends(made: datetime, term: str) -> datetime:
    if term == "1 year":
        return made.replace(year=made.year + 1)
    return made + timedelta(days=int(term.removesuffix(" days")))


@pytest.mark.parametrize("bucket_prefix", sorted(FIXED_TERMS))
@pytest.mark.parametrize("at", [time(0, 0, 1), time(8, 0), time(23, 59, 59)])
def test_files_with_a_fixed_term_are_gone_by_its_end_as_s3_counts_days(
    template: dict[str, Any], bucket_prefix: str, at: time
) -> None:
    """legal-nl.md §8 ("raw declaration files ... are deleted 90 days after processing";
    handover files and unmatched-credit lists 1 year), R39 (audit retention56: 89 + 1 days
    and 364 + 1 days, rounded up twice to midnight UTC, kept a raw file with the BSN of
    every line up to 91 days and a handover file up to a year and a day).
    Given a file made on 23 November 2026 at a moment of the day (UTC), in a year with no
    29 February
    When S3 applies its prefix's lifecycle rule, rounding each step to midnight UTC
    Then its last version may be deleted by the end of §8's term, not after it."""
    made = datetime.combine(date(2026, 11, 23), at, tzinfo=UTC)
    rule = lifecycle_rule(template, bucket_prefix)
    assert s3_deletes_at(made, rule) <= term_ends(made, FIXED_TERMS[bucket_prefix])


def test_letters_are_deleted_when_the_ttl_removes_their_settled_invoice(
    transformed: dict[str, Any],
) -> None:
    """legal-nl.md §8: "letters ... are kept 7 years after the end of the year they were
    settled, then deleted" (audit delivery D6: an age rule alone deleted a letter of a
    claim settled years after it, 8 years after it was printed).
    Given the billing table, whose TTL removes a settled invoice at the end of its 7th year
    When I follow its stream
    Then a mapping with an on-failure queue hands only the invoice items DynamoDB's TTL
    removed to a function that may delete objects under print/ and letters/ and nowhere
    else, and read the stream and nothing but the billing table's invoices."""
    table = transformed["Resources"]["BillingTable"]["Properties"]
    assert table["TimeToLiveSpecification"]["AttributeName"] == "expires_at"
    assert "OLD_IMAGE" in table["StreamSpecification"]["StreamViewType"]
    stream = {"Fn::GetAtt": ["BillingTable", "StreamArn"]}
    [mapping] = [
        m
        for m in resources_of_type(transformed, "AWS::Lambda::EventSourceMapping").values()
        if m["EventSourceArn"] == stream
    ]
    assert "OnFailure" in mapping["DestinationConfig"]
    [pattern] = [json.loads(f["Pattern"]) for f in mapping["FilterCriteria"]["Filters"]]
    assert pattern == {
        "eventName": ["REMOVE"],
        "userIdentity": {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]},
        "dynamodb": {"OldImage": {"entity": {"S": ["invoice"]}}},
    }
    function_id = mapping["FunctionName"]["Ref"]
    statements = function_role_statements(transformed, function_id)
    deleted = {
        resource_pattern(resource, transformed)
        for statement in statements
        if "s3:DeleteObject" in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    }
    assert deleted == {"OutputBucket/print/*", "OutputBucket/letters/*"}
    stream_reads = [s for s in statements if "dynamodb:GetRecords" in as_list(s["Action"])]
    assert stream_reads and all(s["Resource"] == stream for s in stream_reads)


def test_every_bucket_clears_what_its_prefix_rules_leave(template: dict[str, Any]) -> None:
    """Given each bucket's lifecycle rules
    When prefix rules have expired objects, or an upload was never finished
    Then delete markers without versions are removed, noncurrent versions of anything
    else expire, and incomplete multipart uploads are aborted."""
    for bucket_id, properties in resources_of_type(template, "AWS::S3::Bucket").items():
        rules = [r for r in properties["LifecycleConfiguration"]["Rules"] if "Prefix" not in r]
        assert rules, bucket_id
        assert all(r["Status"] == "Enabled" for r in rules), bucket_id
        assert any("AbortIncompleteMultipartUpload" in r for r in rules), bucket_id
        assert any("NoncurrentVersionExpiration" in r for r in rules), bucket_id
        if bucket_id != "AccessLogsBucket":  # its one rule expires everything
            assert any(r.get("ExpiredObjectDeleteMarker") is True for r in rules), bucket_id


def test_every_log_group_is_kept_a_set_time_under_the_billing_key(
    transformed: dict[str, Any],
) -> None:
    """Given every CloudWatch log group the stack creates, API Gateway's execution log
    included (API Gateway would otherwise create it itself, kept for ever, unencrypted)
    When I read its settings
    Then it has the retention parameter and BillingKey, under a name the key policy lets
    CloudWatch Logs use."""
    groups = resources_of_type(transformed, "AWS::Logs::LogGroup")
    execution = groups["ApiExecutionLogGroup"]["LogGroupName"]
    assert execution == {"Fn::Sub": "API-Gateway-Execution-Logs_${Api}/${Stage}"}
    patterns = log_groups_the_key_serves(transformed)
    for group_id, properties in groups.items():
        assert properties["RetentionInDays"] == {"Ref": "LogRetentionDays"}, group_id
        assert properties["KmsKeyId"] == BILLING_KEY_ARN, group_id
        arn = log_group_arn(properties)
        assert any(fnmatch(arn, pattern) for pattern in patterns), f"key policy misses {arn}"


# CloudWatch Logs' own retention values (PutRetentionPolicy), in days.
CLOUDWATCH_RETENTION_DAYS = (
    *(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827),
    *(2192, 2557, 2922, 3288, 3653),
)


def test_no_deploy_keeps_its_logs_longer_than_a_year(template: dict[str, Any]) -> None:
    """legal-nl.md §8, R39 (audit ops51b): logs and traces are kept 365 days; the
    parameter every log group's retention comes from took up to 3,653 days.
    Given the log retention parameter
    When a stack is deployed with any value CloudFormation takes for it
    Then each is one of CloudWatch's values, at least a year (NEN 7513) and at most 365
    days, and the default is one of them."""
    parameter = template["Parameters"]["LogRetentionDays"]
    allowed = parameter["AllowedValues"]
    assert allowed and all(value in CLOUDWATCH_RETENTION_DAYS for value in allowed)
    assert max(allowed) <= 365 and min(allowed) >= 365
    assert parameter["Default"] in allowed


def test_every_queue_reuses_its_data_key_as_the_others(transformed: dict[str, Any]) -> None:
    """Given each SQS queue, encrypted with the billing key (messages name invoices and
    kenmerken)
    When I read its encryption
    Then every queue uses BillingKey and reuses a data key the same 300 s, so no queue
    calls KMS more often than the others (audit ops51b: ScheduleFailureQueue set none)."""
    queues = resources_of_type(transformed, "AWS::SQS::Queue")
    assert len(queues) >= 5
    for queue_id, properties in queues.items():
        assert properties["KmsMasterKeyId"] == {"Ref": "BillingKey"}, queue_id
        assert properties.get("KmsDataKeyReusePeriodSeconds") == 300, queue_id


def test_every_queue_refuses_plain_http(transformed: dict[str, Any]) -> None:
    """Given each SQS queue (messages name invoices and kenmerken)
    When I look for its queue policy
    Then it denies every SQS action on that queue when the request is not over TLS."""
    denials: dict[str, list[dict[str, Any]]] = {}
    for policy in resources_of_type(transformed, "AWS::SQS::QueuePolicy").values():
        for queue in policy["Queues"]:
            denials.setdefault(queue["Ref"], []).extend(
                s
                for s in as_list(policy["PolicyDocument"]["Statement"])
                if s["Effect"] == "Deny"
                and s["Principal"] == "*"
                and s["Action"] == "sqs:*"
                and str(s["Condition"]["Bool"]["aws:SecureTransport"]).lower() == "false"
            )
    queues = resources_of_type(transformed, "AWS::SQS::Queue")
    assert len(queues) >= 5
    for queue_id in queues:
        resources = [s["Resource"] for s in denials.get(queue_id, [])]
        assert {"Fn::GetAtt": [queue_id, "Arn"]} in resources, f"{queue_id} takes plain HTTP"


def test_the_alarm_topic_refuses_plain_http_for_every_action(transformed: dict[str, Any]) -> None:
    """R26 (audit ops5): Given the alarm topic's policy
    When anyone calls any SNS action on the topic (Subscribe, SetTopicAttributes, ...), not
    only Publish, without TLS
    Then it is denied, as the bucket and queue policies deny every action of theirs."""
    [policy] = resources_of_type(transformed, "AWS::SNS::TopicPolicy").values()
    assert policy["Topics"] == [{"Ref": "AlarmTopic"}]
    denials = [
        s
        for s in as_list(policy["PolicyDocument"]["Statement"])
        if s["Effect"] == "Deny"
        and s["Principal"] == "*"
        and str(s["Condition"]["Bool"]["aws:SecureTransport"]).lower() == "false"
    ]
    assert [(s["Action"], s["Resource"]) for s in denials] == [("sns:*", {"Ref": "AlarmTopic"})]


# --- alarms (issue 13.5, R39) -------------------------------------------------------------------


def alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return resources_of_type(template, "AWS::CloudWatch::Alarm")


def metrics_read(alarm: dict[str, Any]) -> list[dict[str, Any]]:
    """The metrics an alarm reads (Namespace, MetricName, Dimensions), alone or in math."""
    if "MetricName" in alarm:
        return [{key: alarm.get(key, []) for key in ("Namespace", "MetricName", "Dimensions")}]
    return [query["MetricStat"]["Metric"] for query in alarm["Metrics"] if "MetricStat" in query]


def dead_letter_queues(template: dict[str, Any]) -> set[str]:
    """Queues another queue's redrive policy sends its failed messages to."""
    return {
        properties["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for properties in resources_of_type(template, "AWS::SQS::Queue").values()
        if "RedrivePolicy" in properties
    }


def failure_records_queues(template: dict[str, Any]) -> set[str]:
    """Queues that receive Lambda on-failure records (of asynchronous invocations or of a
    stream mapping), EventBridge Scheduler's failed starts or the events an EventBridge
    rule could not deliver."""
    queues = set()
    for properties in resources_of_type(template, "AWS::Serverless::Function").values():
        on_failure = properties.get("EventInvokeConfig", {}).get("DestinationConfig", {})
        if "OnFailure" in on_failure:
            queues.add(on_failure["OnFailure"]["Destination"]["Fn::GetAtt"][0])
    for properties in resources_of_type(template, "AWS::Lambda::EventSourceMapping").values():
        on_failure = properties.get("DestinationConfig", {})
        if "OnFailure" in on_failure:
            queues.add(on_failure["OnFailure"]["Destination"]["Fn::GetAtt"][0])
    for properties in resources_of_type(template, "AWS::Scheduler::Schedule").values():
        queues.add(properties["Target"]["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0])
    for properties in resources_of_type(template, "AWS::Serverless::Function").values():
        for event in properties.get("Events", {}).values():
            if "DeadLetterConfig" in event["Properties"]:
                queues.add(event["Properties"]["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0])
    return queues | expanded_failure_records_queues(template)


def expanded_failure_records_queues(template: dict[str, Any]) -> set[str]:
    """The same queues where SAM's transform (or a hand-written resource) puts them: an
    AWS::Lambda::EventInvokeConfig's on-failure destination, a function's own dead-letter
    queue (SAM's DeadLetterQueue) and an EventBridge rule target's (audit alarms56: read
    only in SAM's shorthand, a queue named there got no alarm and no test said so)."""
    queues = set()
    for properties in resources_of_type(template, "AWS::Lambda::EventInvokeConfig").values():
        on_failure = properties.get("DestinationConfig", {}).get("OnFailure")
        if on_failure is not None:
            queues.add(on_failure["Destination"]["Fn::GetAtt"][0])
    for properties in resources_of_type(template, "AWS::Lambda::Function").values():
        if "DeadLetterConfig" in properties:
            queues.add(properties["DeadLetterConfig"]["TargetArn"]["Fn::GetAtt"][0])
    for properties in resources_of_type(template, "AWS::Serverless::Function").values():
        if "DeadLetterQueue" in properties:
            queues.add(properties["DeadLetterQueue"]["TargetArn"]["Fn::GetAtt"][0])
    for rule in resources_of_type(template, "AWS::Events::Rule").values():
        for target in rule.get("Targets", []):
            if "DeadLetterConfig" in target:
                queues.add(target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0])
    return queues


def failure_queues(template: dict[str, Any]) -> set[str]:
    """Every queue where failed work waits for a person."""
    return dead_letter_queues(template) | failure_records_queues(template)


def test_every_alarm_wakes_someone_through_the_alarm_topic(template: dict[str, Any]) -> None:
    """Given the alarms
    When one goes off
    Then it publishes to the alarm topic, which e-mails the AlarmEmail parameter's
    address and is encrypted with a key of its own (not the patient-data key)."""
    assert alarms(template)
    for alarm_id, alarm in alarms(template).items():
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}], alarm_id
    topic = template["Resources"]["AlarmTopic"]["Properties"]
    assert topic["Subscription"] == [{"Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}}]
    assert topic["KmsMasterKeyId"] == {"Ref": "AlarmKey"}


def test_a_message_in_any_failure_queue_raises_an_alarm(
    template: dict[str, Any], transformed: dict[str, Any]
) -> None:
    """Given every queue where failed work ends up (an undelivered invoice in
    DeliveryDeadLetterQueue, an unprocessed upload, a failed scheduled run), as written or
    as SAM expands the template
    When one message is visible in it
    Then an alarm goes off: one reading that queue's SQS metric by the one dimension SQS
    gives it, QueueName, valued the queue's name (R39, audit alarms56: its ARN, or another
    dimension beside it, matches no metric and the alarm never goes off)."""
    queues = failure_queues(template) | failure_queues(transformed)
    assert {
        "DeliveryDeadLetterQueue",
        "IngestFailureQueue",
        "BankImportFailureQueue",
        "EmailEventFailureQueue",
        "ScheduleFailureQueue",
        "ExpiredLettersFailureQueue",
        "EmailEventRuleFailureQueue",
    } <= queues
    watched = {
        queue
        for queue in queues
        for alarm in alarms(template).values()
        if alarm.get("MetricName") == "ApproximateNumberOfMessagesVisible"
        and alarm["Namespace"] == "AWS/SQS"
        and alarm["Dimensions"]
        == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}]
        and alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        and alarm["Threshold"] == 1
    }
    assert queues <= watched, sorted(queues - watched)


def test_r39_letters_waiting_unpolled_raise_an_alarm_well_before_sqs_deletes_them(
    template: dict[str, Any],
) -> None:
    """R7, R39 (audit operations, observation): Given the delivery queue, whose messages
    SQS deletes after MessageRetentionPeriod without moving them to the dead-letter queue
    When the delivery function stops polling it (its mapping disabled, a key grant lost):
    nothing fails, so no failure queue or error rate sees it
    Then an alarm on the age of its oldest message goes off later than a request retried
    the most lives (maxReceiveCount x VisibilityTimeout) and at least 3 days (a long
    weekend) before the first letter would be deleted unsent."""
    queue = template["Resources"]["DeliveryQueue"]["Properties"]
    [alarm] = [
        alarm
        for alarm in alarms(template).values()
        if alarm.get("MetricName") == "ApproximateAgeOfOldestMessage"
        and alarm["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["DeliveryQueue", "QueueName"]}
    ]
    assert (alarm["Namespace"], alarm["Statistic"]) == ("AWS/SQS", "Maximum")
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    retried_the_most = queue["RedrivePolicy"]["maxReceiveCount"] * queue["VisibilityTimeout"]
    assert retried_the_most < alarm["Threshold"]
    assert alarm["Threshold"] + alarm["Period"] <= queue["MessageRetentionPeriod"] - 3 * 86400


def test_r39_every_alarm_message_says_what_to_do_and_where_to_read_more(
    template: dict[str, Any],
) -> None:
    """R39 (audit ops2): the alarm e-mail carries only the AlarmDescription.
    Given every alarm
    Then its description says what to do, with the README section that has its row
    ("README, Alarms" or "README (Security and operations, ...)"), within CloudWatch's
    1,024 characters."""
    vague = {
        alarm_id: alarm["AlarmDescription"]
        for alarm_id, alarm in alarms(template).items()
        if "(README" not in alarm["AlarmDescription"]
        and "as in the README" not in alarm["AlarmDescription"]
    }
    assert vague == {}
    assert max(len(alarm["AlarmDescription"]) for alarm in alarms(template).values()) <= 1024


# A DynamoDB stream keeps its records 24 hours (AWS), then drops them unread.
STREAM_RETENTION_SECONDS = 24 * 3600


def stream_mappings(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The event source mappings that read a DynamoDB stream (not the delivery queue's)."""
    return {
        mapping_id: mapping
        for mapping_id, mapping in resources_of_type(
            template, "AWS::Lambda::EventSourceMapping"
        ).items()
        if mapping["EventSourceArn"]["Fn::GetAtt"][1] == "StreamArn"
    }


def test_r39_a_stream_read_too_late_raises_an_alarm_before_its_records_expire(
    template: dict[str, Any],
) -> None:
    """legal-nl.md §8, R29, R39 (audit ops2): Given the billing table's stream, which
    hands the invoices the TTL removed to ExpiredLettersFunction (their letters' PDFs
    deleted, their actions expired) and keeps each record 24 hours
    When the function falls behind (throttled at its reserved concurrency, slow): nothing
    fails, so neither its failure queue nor its error rate sees it, and a record older
    than 24 hours is dropped: its letters and the patient's objection are kept for good
    Then an alarm on the mapping's IteratorAge goes off while at least 12 of the 24 hours
    are left to put it right."""
    [mapping_id] = stream_mappings(template)
    function = template["Resources"][mapping_id]["Properties"]["FunctionName"]
    watching = [
        alarm
        for alarm in alarms(template).values()
        if alarm.get("MetricName") == "IteratorAge"
        and {"Name": "FunctionName", "Value": function} in alarm["Dimensions"]
    ]
    assert len(watching) == 1, watching
    [alarm] = watching
    assert (alarm["Namespace"], alarm["Statistic"]) == ("AWS/Lambda", "Maximum")
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    lag_seconds = alarm["Threshold"] / 1000  # IteratorAge is in milliseconds
    assert lag_seconds >= 3600
    assert lag_seconds + alarm["Period"] * alarm["EvaluationPeriods"] <= (
        STREAM_RETENTION_SECONDS - 12 * 3600
    )


def failure_senders(template: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any], str]]:
    """{source: (namespace, metric, dimension, failure queue)} for everything that sends
    what failed to a failure queue, with the AWS metric that counts what it could not send
    there (AWS docs: Lambda "Types of metrics", EventBridge "Monitoring", EventBridge
    Scheduler "Monitoring with CloudWatch")."""
    senders = {}

    def queue_of(config: dict[str, Any]) -> str:
        return str(config["Fn::GetAtt"][0])

    def lambda_sends(function: Any, queue: str) -> None:
        dimension = {"Name": "FunctionName", "Value": function}
        name = function["Ref"]
        senders[name] = ("AWS/Lambda", "DestinationDeliveryFailures", dimension, queue)

    for function_id, properties in resources_of_type(template, "AWS::Serverless::Function").items():
        on_failure = properties.get("EventInvokeConfig", {}).get("DestinationConfig", {})
        if "OnFailure" in on_failure:
            lambda_sends({"Ref": function_id}, queue_of(on_failure["OnFailure"]["Destination"]))
        for event in properties.get("Events", {}).values():
            if "DeadLetterConfig" in event["Properties"]:
                assert event["Type"] == "EventBridgeRule", function_id
                rule = {"Name": "RuleName", "Value": event["Properties"]["RuleName"]}
                queue = queue_of(event["Properties"]["DeadLetterConfig"]["Arn"])
                senders[f"rule of {function_id}"] = (
                    "AWS/Events",
                    "InvocationsFailedToBeSentToDlq",
                    rule,
                    queue,
                )
    for properties in resources_of_type(template, "AWS::Lambda::EventSourceMapping").values():
        if "OnFailure" in properties.get("DestinationConfig", {}):
            queue = queue_of(properties["DestinationConfig"]["OnFailure"]["Destination"])
            lambda_sends(properties["FunctionName"], queue)
    for schedule_id, properties in resources_of_type(template, "AWS::Scheduler::Schedule").items():
        group = {"Name": "ScheduleGroup", "Value": properties["GroupName"]}
        queue = queue_of(properties["Target"]["DeadLetterConfig"]["Arn"])
        senders[schedule_id] = (
            "AWS/Scheduler",
            "InvocationsFailedToBeSentToDeadLetterCount",
            group,
            queue,
        )
    return senders


def test_r39_what_fails_on_its_way_to_a_failure_queue_raises_an_alarm(
    template: dict[str, Any],
) -> None:
    """R39 (audit ops2, left open): Given everything that keeps what failed in a failure
    queue (the functions' on-failure destinations, the stream mapping's, the SES rule's
    and the schedules' dead-letter queues), each alarmed when a message is in it
    When the failure cannot be sent there (the queue's policy, the key grant or the role
    lost; a record too large): nothing lands in the queue, so its alarm stays quiet, and
    the upload, bounce, run or expired invoice is lost unseen
    Then an alarm on the AWS metric that counts those sends, for that one source, goes off
    at the first (1 in 5 minutes, as the failure-queue alarms), and its text names the
    queue."""
    senders = failure_senders(template)
    assert len(senders) >= 11  # 7 functions' destinations, the stream, the rule, 2 schedules
    unwatched = {}
    for source, (namespace, metric, dimension, queue) in senders.items():
        watching = [
            alarm
            for alarm in alarms(template).values()
            if (alarm.get("Namespace"), alarm.get("MetricName")) == (namespace, metric)
            and alarm["Dimensions"] == [dimension]
            and (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == ("Sum", 300, 1)
            and (alarm["ComparisonOperator"], alarm["Threshold"])
            == ("GreaterThanOrEqualToThreshold", 1)
            and alarm["TreatMissingData"] == "notBreaching"
            and queue in alarm["AlarmDescription"]
        ]
        if len(watching) != 1:
            unwatched[source] = (metric, queue, len(watching))
    assert unwatched == {}


def test_r39_a_stream_mapping_that_stops_polling_raises_an_alarm(
    template: dict[str, Any],
) -> None:
    """legal-nl.md §8, R39 (audit ops2, left open): Given the billing table's stream
    mapping, whose IteratorAge Lambda emits only while it invokes the function
    When the mapping stops reading (disabled, its role or key grant lost): no IteratorAge,
    no error, nothing in its failure queue, and the stream drops each record after 24
    hours (an expired invoice's letters kept, its actions not expired)
    Then the mapping emits its EventCount metrics (PolledEventCount: 0 for an empty poll,
    nothing at all while disabled, AWS docs) and an alarm goes off when they are missing
    for an hour in a row, with at least 12 of the stream's 24 hours left."""
    [(mapping_id, mapping)] = stream_mappings(template).items()
    assert mapping["MetricsConfig"] == {"Metrics": ["EventCount"]}
    dimension = {"Name": "EventSourceMappingUUID", "Value": {"Ref": mapping_id}}
    [alarm] = [
        alarm
        for alarm in alarms(template).values()
        if alarm.get("MetricName") == "PolledEventCount" and alarm["Dimensions"] == [dimension]
    ]
    assert (alarm["Namespace"], alarm["Statistic"]) == ("AWS/Lambda", "SampleCount")
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("LessThanThreshold", 1)
    assert alarm["TreatMissingData"] == "breaching"
    silent = alarm["Period"] * alarm["EvaluationPeriods"]
    assert alarm.get("DatapointsToAlarm", alarm["EvaluationPeriods"]) == alarm["EvaluationPeriods"]
    assert 3600 <= silent <= STREAM_RETENTION_SECONDS - 12 * 3600


def test_r39_an_ses_event_eventbridge_cannot_deliver_is_kept_for_a_person(
    transformed: dict[str, Any],
) -> None:
    """R7, R39 (audit operations, observation): Given the rule that hands SES's bounces
    and complaints to SesEventsFunction
    When EventBridge cannot invoke the function (for the hour of its retries, or at once
    when the function or its permission is gone)
    Then it keeps the event in a failure queue of its own (alarmed with the others, whose
    text says how long EventBridge tried) rather than drop it; only EventBridge, for that
    rule, may send there and use the key for it."""
    [(rule_id, rule)] = [
        (rule_id, rule)
        for rule_id, rule in resources_of_type(transformed, "AWS::Events::Rule").items()
        if rule["Targets"][0]["Arn"] == {"Fn::GetAtt": ["SesEventsFunction", "Arn"]}
    ]
    queue_arn = rule["Targets"][0]["DeadLetterConfig"]["Arn"]
    assert queue_arn == {"Fn::GetAtt": ["EmailEventRuleFailureQueue", "Arn"]}, rule_id
    hours = rule["Targets"][0].get("RetryPolicy", {}).get("MaximumEventAgeInSeconds", 86400) / 3600
    alarm = alarms(transformed)["EmailEventNotDeliveredAlarm"]["AlarmDescription"]
    assert f"after {hours:g} hour{'s' * (hours != 1)} of retries" in alarm
    rule_arn = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/"
    rule_arn += rule["Name"]["Fn::Sub"]
    policies = resources_of_type(transformed, "AWS::SQS::QueuePolicy").values()
    [allowed] = [
        statement
        for policy in policies
        if policy["Queues"] == [{"Ref": "EmailEventRuleFailureQueue"}]
        for statement in as_list(policy["PolicyDocument"]["Statement"])
        if statement["Effect"] == "Allow"
    ]
    assert allowed["Principal"] == {"Service": "events.amazonaws.com"}
    assert (allowed["Action"], allowed["Resource"]) == ("sqs:SendMessage", queue_arn)
    assert allowed["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Fn::Sub": rule_arn}}}
    key = transformed["Resources"]["BillingKey"]["Properties"]["KeyPolicy"]["Statement"]
    [for_events] = [s for s in key if s["Principal"] == {"Service": "events.amazonaws.com"}]
    assert sorted(for_events["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert for_events["Condition"] == allowed["Condition"]


# EventBridge's own limits for a target's retries, and what it does without a RetryPolicy:
# 185 attempts for 24 hours (AWS, "How EventBridge retries delivering events").
RETRY_AGE_SECONDS = (60, 86400)
RETRY_ATTEMPTS = (0, 185)


def eventbridge_targets(transformed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{rule or schedule id (and target id): target} for everything EventBridge invokes:
    the targets of every rule (the SAM EventBridgeRule events expanded) and of every
    EventBridge Scheduler schedule."""
    targets = {
        f"{rule_id}/{target['Id']}": target
        for rule_id, rule in resources_of_type(transformed, "AWS::Events::Rule").items()
        for target in rule["Targets"]
    }
    for schedule_id, schedule in resources_of_type(transformed, "AWS::Scheduler::Schedule").items():
        targets[schedule_id] = schedule["Target"]
    return targets


def test_every_eventbridge_target_retries_a_chosen_while_then_keeps_what_failed(
    template: dict[str, Any], transformed: dict[str, Any]
) -> None:
    """R39 (audit operations, stop 39 not fixed): Given every target an EventBridge rule
    or a Scheduler schedule invokes
    When EventBridge cannot invoke it
    Then it retries as the template says (both limits written, within EventBridge's, and
    shorter than its default day), then keeps what it could not deliver in a failure queue
    whose alarm wakes a person: none is dropped, none waits a day unseen."""
    targets = eventbridge_targets(transformed)
    assert len(targets) >= 3  # the SES events rule, the dunning and retrocession runs
    queues = failure_queues(template)
    for name, target in targets.items():
        policy = target.get("RetryPolicy", {})  # none: EventBridge tries for a day
        assert set(policy) == {"MaximumEventAgeInSeconds", "MaximumRetryAttempts"}, name
        low, high = RETRY_AGE_SECONDS
        assert low <= policy["MaximumEventAgeInSeconds"] < high, name
        assert RETRY_ATTEMPTS[0] <= policy["MaximumRetryAttempts"] <= RETRY_ATTEMPTS[1], name
        assert target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0] in queues, name


def test_a_dead_letter_queue_holds_only_what_sqs_can_move_back(template: dict[str, Any]) -> None:
    """Given the dead-letter queues of other queues (DeliveryDeadLetterQueue) and the
    queues that receive Lambda's and Scheduler's failure records
    When an operator redrives a dead-letter queue with `aws sqs start-message-move-task`
    Then it holds only messages of its source queue: no failure record would be moved
    into the delivery queue (README, "Redrive: putting failed work back")."""
    dead_letters = dead_letter_queues(template)
    assert "DeliveryDeadLetterQueue" in dead_letters
    assert not dead_letters & failure_records_queues(template)


def test_every_function_has_an_error_rate_alarm(transformed: dict[str, Any]) -> None:
    """Given every Lambda function
    When its share of failed invocations rises
    Then an alarm computes errors / invocations for that function and goes off."""
    rated = set()
    for alarm in alarms(transformed).values():
        read = {(m["MetricName"], str(m["Dimensions"])) for m in metrics_read(alarm)}
        expressions = [q["Expression"] for q in alarm.get("Metrics", []) if "Expression" in q]
        for function_id in resources_of_type(transformed, "AWS::Lambda::Function"):
            dimensions = str([{"Name": "FunctionName", "Value": {"Ref": function_id}}])
            if {("Errors", dimensions), ("Invocations", dimensions)} <= read and any(
                "errors / invocations" in expression for expression in expressions
            ):
                rated.add(function_id)
    functions = set(resources_of_type(transformed, "AWS::Lambda::Function"))
    assert functions and functions <= rated, sorted(functions - rated)


def test_a_partial_batch_failure_counts_in_its_functions_error_rate(
    transformed: dict[str, Any],
) -> None:
    """Given the functions that answer SQS with a partial batch response (one record fails,
    the invocation succeeds, Lambda counts no Error)
    When some of a batch's records fail
    Then the function's error-rate alarm also divides its failed records by its records
    (R39: "every function error rate")."""
    partial = {
        mapping["FunctionName"]["Ref"]
        for mapping in resources_of_type(transformed, "AWS::Lambda::EventSourceMapping").values()
        if "ReportBatchItemFailures" in mapping.get("FunctionResponseTypes", [])
    }
    assert partial == {"InvoiceDeliveryFunction"}
    alarm = alarms(transformed)["InvoiceDeliveryErrorRateAlarm"]
    read = {m["MetricName"] for m in metrics_read(alarm)}
    assert {"Delivery_records", "Delivery_failed"} <= read
    rate = next(q["Expression"] for q in alarm["Metrics"] if q.get("ReturnData"))
    assert "errors / invocations" in rate and "FILL(failed, 0) / FILL(records, 0)" in rate


# Metrics emitted in the same period or not at all: Lambda's Errors with its Invocations
# (AWS, "Types of metrics for Lambda functions"), Delivery_failed with Delivery_records
# (one call: entrypoints/queue.py, _count_records). Any other metric an alarm reads comes
# on its own, the others having no datapoint (each run or event emits only its own).
EMITTED_TOGETHER = (
    frozenset({"Errors", "Invocations"}),
    frozenset({"Delivery_records", "Delivery_failed"}),
)
# The metrics that count the work done, not what failed: 1 when all goes well.
COUNT_THE_WORK = frozenset({"Invocations", "Delivery_records"})


def math_inputs(alarm: dict[str, Any]) -> dict[str, str]:
    """{query id: metric name} for every metric an alarm's math reads."""
    return {
        query["Id"]: query["MetricStat"]["Metric"]["MetricName"]
        for query in alarm["Metrics"]
        if "MetricStat" in query
    }


def emitted_at_once(inputs: dict[str, str]) -> list[set[str]]:
    """The query ids whose metrics come in one period together (EMITTED_TOGETHER), and
    each other id on its own."""
    groups = [
        {i for i, name in inputs.items() if name in together} for together in EMITTED_TOGETHER
    ]
    groups = [group for group in groups if group]
    grouped = set().union(*groups)
    return groups + [{i} for i in inputs if i not in grouped]


def test_r39_every_alarm_on_metric_math_goes_off_on_what_it_watches(
    template: dict[str, Any],
) -> None:
    """R39 (audit alarms56): an alarm whose expression never reaches its threshold never
    goes off, whatever it reads (a rate as a fraction against 5 %, a sum without FILL
    that has no value while one of its metrics has none).
    Given every alarm that computes its value from metrics (the error rates, the sums of
    a run's or an upload's failure counts)
    When one thing it watches fails on its own in a period: every invocation of the
    function failed (Errors = Invocations = 1), every delivery of a batch failed
    (Delivery_failed = Delivery_records = 1), or one failure count is 1, the alarm's other
    metrics without a datapoint
    Then its expression reaches its threshold and it goes off; and when the same work
    went well (no error, no failed delivery, the count 0) it stays quiet."""
    from tests.template.metric_math import goes_off

    checked = set()
    for alarm_id, alarm in alarms(template).items():
        if "Metrics" not in alarm:
            continue
        inputs = math_inputs(alarm)
        for group in emitted_at_once(inputs):
            failed = {i: 1.0 for i in group}
            went_well = {i: 1.0 if inputs[i] in COUNT_THE_WORK else 0.0 for i in group}
            names = sorted(inputs[i] for i in group)
            assert goes_off(alarm, failed), (alarm_id, names, "never goes off")
            assert not goes_off(alarm, went_well), (alarm_id, names, "goes off when all is well")
        checked.add(alarm_id)
    functions = resources_of_type(template, "AWS::Serverless::Function")
    assert {
        f"{function_id.removesuffix('Function')}ErrorRateAlarm" for function_id in functions
    } <= checked
    assert {"UploadUnroutableAlarm", "DunningRunIncompleteAlarm"} <= checked


def test_unfinished_runs_and_pending_refunds_raise_alarms(template: dict[str, Any]) -> None:
    """Given the metrics the functions emit with Powertools (namespace and service from
    Globals)
    When a dunning run stops early or fails invoices, does not report for a day, a
    retrocession run leaves providers without a statement, a run skips a provider whose
    stored item does not validate (issue 14 item 7), a refund stays pending or the PSP
    reports one failed or does not know a booked one (audit security3 SEC3-2), a week's
    payout batch stays withdrawn and not planned again
    (round 37), or invoices lose the race with a payment on daily runs in a row (round 38)
    Then an alarm reads that metric, in that namespace, with that service dimension."""
    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    namespace = environment["POWERTOOLS_METRICS_NAMESPACE"]
    service = [{"Name": "service", "Value": environment["POWERTOOLS_SERVICE_NAME"]}]
    watched = {
        metric["MetricName"]: alarm
        for alarm in alarms(template).values()
        for metric in metrics_read(alarm)
        if metric["Namespace"] == namespace and metric["Dimensions"] == service
    }
    for name in (
        "Dunning_incomplete",
        "Dunning_errors",
        "Dunning_provider_skipped",
        "Retrocession_failed",
        "Retrocession_provider_skipped",
        "Refund_pending",
        "Refund_pending_waiting",  # the Monday run: still pending a day or more (R13)
        "Refund_failed",  # a PSP refund Mollie reported failed or canceled (R13)
        "Refund_unknown_at_psp",  # a booked refund id Mollie has no refund of (SEC3-2)
        "Payout_weeks_withdrawn",
        "Dunning_conflicts",
    ):
        assert name in watched, name
    # A run that never reports is as bad as one that fails: no data counts as breaching.
    assert watched["Dunning_read"]["TreatMissingData"] == "breaching"


def test_r39_the_atw_decree_data_running_out_raises_an_alarm(template: dict[str, Any]) -> None:
    """R39, legal-nl.md §2 (stop 45 atw; audit dunningcfg a4): given the count the daily
    dunning run emits from 1 October of the last year whose Atw equating decrees are known
    (``Dunning_atw_decrees_ending``: RunSummary.log_entry, a warning, not an error)
    When a run reports it
    Then an alarm reads that metric within a day and says what data to add, and where."""
    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    service = [{"Name": "service", "Value": environment["POWERTOOLS_SERVICE_NAME"]}]
    [alarm] = [
        alarm
        for alarm in alarms(template).values()
        if alarm.get("MetricName") == "Dunning_atw_decrees_ending"
        and alarm.get("Namespace") == environment["POWERTOOLS_METRICS_NAMESPACE"]
        and alarm.get("Dimensions") == service
    ]
    assert (alarm["Statistic"], alarm["Period"], alarm["Threshold"]) == ("Maximum", 86400, 1)
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert "DECREES_KNOWN_UNTIL" in alarm["AlarmDescription"]
    assert "legal/atw.py" in alarm["AlarmDescription"]


def test_r39_the_dunning_alarm_says_which_lines_name_the_errors_of_a_run_in_parts(
    template: dict[str, Any],
) -> None:
    """R18, R39 (ops53): DunningRunIncompleteAlarm said "its log line names them"; a run
    in parts reports Dunning_errors on its last part's line, which names only that part's
    errors, the earlier parts' being in their own lines under another message.
    Given the messages a part that goes on and a run's last part log (RunSummary.log_entry)
    When an operator reads the alarm's e-mail
    Then it names both messages to look for, and the field that says a run went in parts."""
    from billing_core.dunning.run import RunSummary
    from billing_core.ports import DunningPlace

    day = date(2026, 12, 31)
    last = RunSummary(day, parts=2).log_entry()
    going_on = RunSummary(day, continue_from=DunningPlace(day, "p", "r", "i")).log_entry()
    description = alarms(template)["DunningRunIncompleteAlarm"]["AlarmDescription"]
    assert "parts" in last.fields and "Dunning_errors" in last.counts
    assert f'"{last.message}" log line' in description
    assert f'"{going_on.message}" lines' in description


@pytest.mark.parametrize(
    "metric",
    [
        "Webhook_invoice_gone",
        "Webhook_wrong_invoice",
        "Webhook_unreadable_payment",
        "Webhook_refunded_at_psp",
    ],
)
def test_r11_a_psp_payment_booked_on_no_invoice_raises_an_alarm(
    template: dict[str, Any], metric: str
) -> None:
    """R11, R13, R39, legal-nl.md §8 (stop 42 small5 item 4): given the counts the PSP
    webhook emits for a payment it books on no invoice, answered 200 so that neither
    Mollie's retries nor the error rate see it: a paid payment whose invoice is no longer
    found (``Webhook_invoice_gone``), and one the PSP says is for another kenmerk than we
    asked (``Webhook_wrong_invoice``), and one whose answer the PSP gives we cannot read:
    not in euros, or an amount not understood (``Webhook_unreadable_payment``, audit psp3
    #1: it was a 503 that Mollie retried until it gave up, with a warning only), and a
    paid payment refunded in the PSP's dashboard or charged back that the ledger does not
    hold (``Webhook_refunded_at_psp``, brief psp4: the ledger shows money that left)
    When one comes in (real money on no ledger)
    Then an alarm reads that metric within 5 minutes and says how to find the payment."""
    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    service = [{"Name": "service", "Value": environment["POWERTOOLS_SERVICE_NAME"]}]
    [alarm] = [
        alarm
        for alarm in alarms(template).values()
        if alarm.get("MetricName") == metric
        and alarm.get("Namespace") == environment["POWERTOOLS_METRICS_NAMESPACE"]
        and alarm.get("Dimensions") == service
    ]
    assert (alarm["Statistic"], alarm["Period"], alarm["Threshold"]) == ("Sum", 300, 1)
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert "psp_payment_id" in alarm["AlarmDescription"]


def test_r39_a_refused_bank_statement_raises_an_alarm(template: dict[str, Any]) -> None:
    """R12, R39 (audit payments-in PAYIN2): given the count the bank import emits for a
    statement it refuses whole (``Bank_refused``: BankImportReport.log_entry)
    When one is refused (the handler answers normally, so no error rate sees it)
    Then an alarm reads that metric and wakes someone within 5 minutes."""
    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    service = [{"Name": "service", "Value": environment["POWERTOOLS_SERVICE_NAME"]}]
    [alarm] = [
        alarm
        for alarm in alarms(template).values()
        if alarm.get("MetricName") == "Bank_refused"
        and alarm.get("Namespace") == environment["POWERTOOLS_METRICS_NAMESPACE"]
        and alarm.get("Dimensions") == service
    ]
    assert (alarm["Statistic"], alarm["Period"], alarm["Threshold"]) == ("Sum", 300, 1)
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert "bank/refused/" in alarm["AlarmDescription"]


def test_r39_a_refused_agency_report_raises_an_alarm(template: dict[str, Any]) -> None:
    """R22, R39 (audit operations OPS1): given the count the agency report import emits for
    a file refused whole or with rows refused (``Agency_report_refused``:
    CollectionReportResult.log_entry; the function answers normally and the agency only
    uploads, so nothing else sees it)
    When one is refused
    Then an alarm reads exactly that metric, namespace and service dimension and wakes
    someone within 5 minutes, as for a refused bank statement."""
    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    service = [{"Name": "service", "Value": environment["POWERTOOLS_SERVICE_NAME"]}]
    refused = CollectionReportResult("collection-reports/x.csv", outcome="refused")
    emitted = {name for name, count in refused.log_entry().counts.items() if count}
    alarm = alarms(template)["AgencyReportRefusedAlarm"]
    assert (alarm["Namespace"], alarm["Dimensions"]) == (
        environment["POWERTOOLS_METRICS_NAMESPACE"],
        service,
    )
    assert emitted == {alarm["MetricName"]} == {"Agency_report_refused"}
    assert (alarm["Statistic"], alarm["Period"], alarm["Threshold"]) == ("Sum", 300, 1)
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["TreatMissingData"] == "notBreaching"
    assert "collection-reports/{day}/" in alarm["AlarmDescription"]


def test_r39_invoices_that_lose_the_race_on_two_daily_runs_in_a_row_raise_an_alarm(
    template: dict[str, Any],
) -> None:
    """R18, R28, R39 (round 38): given the count every dunning run emits of the invoices it
    left for the next run after losing the race with a payment twice (``Dunning_conflicts``,
    0 included: RunSummary.log_entry)
    When runs on two days in a row each leave some
    Then an alarm goes off: once is an ordinary race the next run takes; every day means a
    patient is never reminded. One UTC day holds one 06:00 Amsterdam run, so a day is a
    run; a day without a report (a missed run) is no conflict."""
    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    service = [{"Name": "service", "Value": environment["POWERTOOLS_SERVICE_NAME"]}]
    [alarm] = [
        alarm
        for alarm in alarms(template).values()
        if alarm.get("MetricName") == "Dunning_conflicts"
        and alarm.get("Namespace") == environment["POWERTOOLS_METRICS_NAMESPACE"]
        and alarm.get("Dimensions") == service
    ]
    assert (alarm["Statistic"], alarm["ComparisonOperator"], alarm["Threshold"]) == (
        "Maximum",
        "GreaterThanOrEqualToThreshold",
        1,
    )
    assert alarm["Period"] == 24 * 3600
    assert alarm["EvaluationPeriods"] == alarm["DatapointsToAlarm"] == 2  # both days
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_r39_every_alarm_reads_a_range_cloudwatch_accepts(template: dict[str, Any]) -> None:
    """R39 (audit59g): CloudWatch refuses an alarm whose Period x EvaluationPeriods is over
    7 days, or over 1 day when its period is under an hour, whose period is not 10, 20, 30
    or a multiple of 60, or whose DatapointsToAlarm exceeds its EvaluationPeriods
    (PutMetricAlarm): the deploy fails, or a changed alarm is never made. Only the weekly
    run's alarm (7 days) was checked.
    Given every alarm, alone or on metric math (each metric's period)
    Then each reads a range CloudWatch accepts, and a math alarm's metrics one period."""
    refused = {}
    for alarm_id, alarm in alarms(template).items():
        periods = (
            {alarm["Period"]}
            if "Period" in alarm
            else {
                query["MetricStat"]["Period"] for query in alarm["Metrics"] if "MetricStat" in query
            }
        )
        [period] = periods  # one period: the expression adds like with like
        most = 86_400 if period < 3_600 else 604_800
        if (
            period * alarm["EvaluationPeriods"] > most
            or (period not in (10, 20, 30) and period % 60)
            or alarm.get("DatapointsToAlarm", 1) > alarm["EvaluationPeriods"]
        ):
            refused[alarm_id] = (period, alarm["EvaluationPeriods"])
    assert refused == {}


def test_a_weekly_run_that_never_runs_raises_an_alarm(template: dict[str, Any]) -> None:
    """R39 (audit WEEKLY3): given the metric every retrocession run emits when it reaches
    its end (``Retrocession_run_finished``: RunSummary.log_entry; not the counts, which a
    first part that goes on sends too, retro56)
    When the Monday run does not report (its schedule disabled, deleted or aimed wrong,
    or its last part lost)
    Then an alarm goes off: no sample counts as breaching, over a week, the longest range
    CloudWatch lets an alarm read (Period x EvaluationPeriods <= 604,800 s)."""
    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    service = [{"Name": "service", "Value": environment["POWERTOOLS_SERVICE_NAME"]}]
    watching = [
        alarm
        for alarm in alarms(template).values()
        if alarm.get("MetricName") == "Retrocession_run_finished"
        and alarm.get("Namespace") == environment["POWERTOOLS_METRICS_NAMESPACE"]
        and alarm.get("Dimensions") == service
    ]
    assert len(watching) == 1
    alarm = watching[0]
    assert (alarm["Statistic"], alarm["ComparisonOperator"], alarm["Threshold"]) == (
        "SampleCount",
        "LessThanThreshold",
        1,
    )
    assert alarm["TreatMissingData"] == "breaching"
    assert alarm["DatapointsToAlarm"] == alarm["EvaluationPeriods"]  # none in the whole range
    assert alarm["Period"] * alarm["EvaluationPeriods"] == 7 * 24 * 3600


# Lambda waits about a minute before an asynchronous invocation's second attempt and two
# before its third.
ASYNC_RETRY_WAITS = timedelta(minutes=3)
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def scheduled_starts(schedule: dict[str, Any], first: date, last: date) -> list[datetime]:
    """The moments, in UTC, a cron(minute hour day-of-month month day-of-week year) schedule
    of the template starts its target between two days, in its own time zone (only the
    fields the template uses: a fixed minute and hour, every day or one weekday)."""
    fields = schedule["ScheduleExpression"].removeprefix("cron(").removesuffix(")").split()
    minute, hour, day_of_month, month, weekday, _ = fields
    assert (day_of_month, month) in {("*", "*"), ("?", "*")} and weekday in {"?", "*", *WEEKDAYS}
    zone = ZoneInfo(schedule["ScheduleExpressionTimezone"])
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [
        datetime.combine(day, time(int(hour), int(minute)), zone).astimezone(UTC)
        for day in days
        if weekday in {"?", "*"} or WEEKDAYS[day.weekday()] == weekday
    ]


def latest_report(template: dict[str, Any], schedule: dict[str, Any]) -> timedelta:
    """How long after its scheduled start a run may still report: Scheduler retries starting
    it for MaximumEventAgeInSeconds, then Lambda tries it 1 + MaximumRetryAttempts times,
    each up to the function's Timeout."""
    target = schedule["Target"]
    function = template["Resources"][target["Arn"]["Fn::GetAtt"][0]]["Properties"]
    attempts = 1 + function["EventInvokeConfig"]["MaximumRetryAttempts"]
    starting = target["RetryPolicy"]["MaximumEventAgeInSeconds"]
    return timedelta(seconds=starting + attempts * function["Timeout"]) + ASYNC_RETRY_WAITS


def most_empty_periods(reports: list[datetime], period: int) -> int:
    """The longest run of the alarm's periods (CloudWatch's, on the UTC clock) with no
    report in them, between the first report and the last."""
    buckets = sorted({int(report.timestamp()) // period for report in reports})
    return max(later - earlier - 1 for earlier, later in itertools.pairwise(buckets))


@pytest.mark.parametrize(
    "alarm_id, schedule_id",
    [
        ("DunningRunMissingAlarm", "DunningSchedule"),
        ("RetrocessionRunMissingAlarm", "RetrocessionSchedule"),
    ],
)
def test_r39_a_missing_run_alarm_sleeps_through_the_clock_changes(
    template: dict[str, Any], alarm_id: str, schedule_id: str
) -> None:
    """R39 (audit operations OPS2): Given a run's schedule (Europe/Amsterdam) and the alarm
    that goes off when no run reported for EvaluationPeriods periods (missing data breaches)
    When every run of a year with both clock changes reports, one at its start and the next
    as late as Scheduler's and Lambda's retries allow (the night the clocks go back puts 25
    hours between two 06:00 runs)
    Then no EvaluationPeriods periods in a row are empty, so the alarm stays quiet; and when
    one run does not report, they are, so it goes off."""
    alarm = alarms(template)[alarm_id]
    schedule = template["Resources"][schedule_id]["Properties"]
    period, evaluated = alarm["Period"], alarm["EvaluationPeriods"]
    assert alarm["DatapointsToAlarm"] == evaluated and alarm["TreatMissingData"] == "breaching"
    assert period * evaluated <= 7 * 24 * 3600  # the longest range CloudWatch lets it read
    starts = scheduled_starts(schedule, date(2026, 3, 1), date(2027, 4, 30))
    late = latest_report(template, schedule)

    for earlier, later in itertools.pairwise(starts):
        assert most_empty_periods([earlier, later + late], period) < evaluated, later
    for earlier, _missed, later in zip(starts, starts[1:], starts[2:], strict=False):
        assert most_empty_periods([earlier + late, later], period) >= evaluated, later


def test_r39_a_batch_waiting_for_approval_too_long_raises_an_alarm(
    template: dict[str, Any],
) -> None:
    """R39 ("refunds pending"), R34 (audit ops, stop 42): given the counts the Monday run
    emits of refund and payout batches proposed WAITING_BATCH_ALARM_DAYS or more ago and
    still not sent (WeekClosed.log_entry)
    When one is counted
    Then TransferBatchWaitingAlarm reads exactly those metrics, in the functions' namespace
    and service dimension, and wakes someone; a week without a run is no waiting batch."""
    from billing_core.payments.transfer_batches import BatchKind, Step, TransferBatch
    from billing_core.providers.retrocession_run import RunSummary
    from billing_core.services.operator.money_out import WeekClosed

    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    service = [{"Name": "service", "Value": environment["POWERTOOLS_SERVICE_NAME"]}]
    at = datetime(2026, 11, 23, 9, tzinfo=UTC)
    waiting = tuple(
        TransferBatch(batch_id, kind, (), (Step("proposed", "operator", at),))
        for batch_id, kind in (("RF-1", BatchKind.REFUND), ("PO-2026-W47", BatchKind.PAYOUT))
    )
    payouts = TransferBatch("PO-2026-W48", BatchKind.PAYOUT, (), ())
    counts = WeekClosed(RunSummary("2026-W48"), payouts, (), waiting).log_entry().counts
    emitted = {name for name, count in counts.items() if "waiting" in name and count}
    alarm = alarms(template)["TransferBatchWaitingAlarm"]
    read = metrics_read(alarm)
    assert (
        {metric["MetricName"] for metric in read}
        == emitted
        == {
            "Refund_batches_waiting",
            "Payout_batches_waiting",
        }
    )
    for metric in read:
        assert metric["Namespace"] == environment["POWERTOOLS_METRICS_NAMESPACE"]
        assert metric["Dimensions"] == service
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanOrEqualToThreshold", 1)
    assert alarm["TreatMissingData"] == "notBreaching"


def test_r39_a_psp_refund_still_pending_at_the_monday_run_raises_the_alarm_again(
    template: dict[str, Any],
) -> None:
    """R39 ("refunds pending"), R13 (audit refundwait56): given the count the Monday run
    emits of the PSP refunds pending a day or more (WeekClosed.log_entry), and the one the
    webhook emits when a refund goes pending
    When the run counts one, the webhook's metric having no datapoint that hour
    Then RefundPendingAlarm reads both metrics, in the functions' namespace and service
    dimension, and goes off; a run that counts none (0) and a webhook's refund pending on
    its own as before do what they say: quiet, and off."""
    from billing_core.payments.transfer_batches import BatchKind, TransferBatch
    from billing_core.providers.retrocession_run import RunSummary
    from billing_core.services.operator.money_out import WeekClosed
    from tests.template.metric_math import goes_off

    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    service = [{"Name": "service", "Value": environment["POWERTOOLS_SERVICE_NAME"]}]
    payouts = TransferBatch("PO-2026-W48", BatchKind.PAYOUT, (), ())
    week = RunSummary("2026-W48")
    pending = WeekClosed(week, payouts, psp_refunds_pending=("tr_1",)).log_entry().counts
    none = WeekClosed(week, payouts).log_entry().counts
    alarm = alarms(template)["RefundPendingAlarm"]
    read = {query["Id"]: query["MetricStat"] for query in alarm["Metrics"] if "MetricStat" in query}
    by_name = {stat["Metric"]["MetricName"]: query_id for query_id, stat in read.items()}
    assert set(by_name) == {"Refund_pending", "Refund_pending_waiting"}
    for stat in read.values():
        assert stat["Metric"]["Namespace"] == environment["POWERTOOLS_METRICS_NAMESPACE"]
        assert stat["Metric"]["Dimensions"] == service
    waiting, webhook = by_name["Refund_pending_waiting"], by_name["Refund_pending"]
    assert goes_off(alarm, {waiting: float(pending["Refund_pending_waiting"])})
    assert not goes_off(alarm, {waiting: float(none["Refund_pending_waiting"])})
    assert goes_off(alarm, {webhook: 1.0}) and not goes_off(alarm, {})
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
