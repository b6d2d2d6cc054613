"""Every alarm on a custom metric reads a metric the code emits, with the namespace and the
dimension set Powertools gives it; every metric whose name says something failed or waits
is alarmed, or listed here with the reason it is not (R39; stop 43 alarms).

CloudWatch matches a metric on its namespace, name and full dimension set: an alarm that
differs in any of them reads nothing and can never go off. The names come from the source
(tests/template/emitted_metrics.py says why static); the namespace and dimensions from
Powertools itself, run with the template's environment.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any

import pytest

from local.resources import resources_of_type
from tests.template import emitted_metrics


def _values(enum: Any) -> set[str]:
    return {member.value for member in enum}


def _webhook_decisions() -> set[str]:
    from billing_core.payments.online import WebhookDecision

    return _values(WebhookDecision)


def _refund_decisions() -> set[str]:
    from billing_core.payments.refunds import RefundDecision

    return _values(RefundDecision)


def _agency_row_outcomes() -> set[str]:
    from billing_core.collection.collection_report import RowOutcome

    return _values(RowOutcome)


def _dunning_steps() -> set[str]:
    from billing_core.dunning.timeline import Step

    return _values(Step)


def _bank_counts() -> set[str]:
    from billing_core.payments import bank_import

    return set(bank_import._COUNTED)


def _channels() -> set[str]:
    from billing_core.invoices.invoice import Channel

    return _values(Channel)


def _unroutable() -> set[str]:
    # The fourth argument of each function's RoutedUpload (functions/*/app.py).
    return emitted_metrics.string_arguments("RoutedUpload", 3)


# What each name written as a pattern can be: the values of its placeholder. A new pattern
# fails test_every_metric_name_pattern_is_resolved until it is added here.
PATTERNS: dict[str, Callable[[], set[str]] | str] = {
    "Webhook_{outcome.decision.value}": lambda: {f"Webhook_{v}" for v in _webhook_decisions()},
    "Refund_{refund.decision.value}": lambda: {f"Refund_{v}" for v in _refund_decisions()},
    "Refund_{failed.decision.value}": lambda: {f"Refund_{v}" for v in _refund_decisions()},
    "Agency_{outcome.value}": lambda: {f"Agency_{v}" for v in _agency_row_outcomes()},
    "Dunning_{step}": lambda: {f"Dunning_{v}" for v in _dunning_steps()},
    "Bank_{name}": lambda: {f"Bank_{v}" for v in _bank_counts()},
    "Sent_{letter.channel.value}": lambda: {f"Sent_{v}" for v in _channels()},
    "Email_{found.event}": lambda: {"Email_bounce", "Email_complaint"},  # ses_events.email_event
    "{self.metric}": _unroutable,  # UploadSkipped.unroutable's metric
    # Not names of their own: the keys of the counts above, added one by one.
    "{name}": "log_report: adds each key of a report's counts, read from log_entry",
    # Open-ended values, every one a letter queued: ordinary work, never a failure.
    "Dunning_letter_{kind}": "a count of letters queued per kind, never a failure",
}

# Names that say something failed or waits.
FAILURE_WORDS = re.compile(
    r"fail|error|unmatched|without|waiting|refused|rejected|skipped|incomplete|unknown|gone"
    r"|wrong|conflict|pending|ignored|unroutable|withdrawn",
    re.IGNORECASE,
)

# Failure-like metrics no alarm reads, each on purpose; each is drawn on the operators' dashboard
# (OperationsDashboard; test_r39_every_metric_not_alarmed_is_on_the_operators_dashboard).
NOT_ALARMED = {
    "Agency_refused": "the rows refused also set Agency_report_refused, which is alarmed",
    "ClaimsRejected": "lines the practice sends again (R2); its report and the portal say so",
    "UploadVersionsIgnored": "an open action for the practice (issue 13 item 1) says so",
    "Retour_lines_unknown": "reported to the practice in the retour report (R1, vektis.md §1)",
    "Bank_unmatched": "the unmatched-credit list for manual matching is the operator's daily "
    "work (R12); a wrong kenmerk is ordinary, not an incident",
    "Webhook_unknown_payment": "a payment we did not start or the PSP does not know: no money "
    "of ours; answered 200 so a prober learns nothing (R11)",
    "Refund_kept_as_credit": "a credit to refund by bank: on the operator's refunds list (R13)",
    "MigrationKenmerkConflicts": "an operator's migration run: the answer lists the conflicts",
    "Bank_debits_ignored": "bank costs and other debits, not a payment: listed in the "
    "unmatched file for a person, never dropped (R12)",
    "Payout_waiting": "practices without a statement yet: paid in a later batch (R24)",
    "Email_unknown_kenmerk": "a bounce or complaint of a mail whose kenmerk leads to no "
    "invoice: no practice to tell and nothing to redrive; on the dashboard, the log names the "
    "message id (R23, R39)",
}


def _resolved(name: emitted_metrics.EmittedName) -> set[str]:
    if name.literal:
        return {name.text}
    resolve = PATTERNS[name.text]
    return set() if isinstance(resolve, str) else resolve()


@pytest.fixture(scope="module")
def emitted() -> set[str]:
    return {
        resolved
        for name in emitted_metrics.emitted_names()
        for resolved in _resolved(name)
        if name.literal or name.text in PATTERNS
    }


@pytest.fixture(scope="module")
def emf(template: dict[str, Any], monkeypatch_module: pytest.MonkeyPatch) -> dict[str, Any]:
    """One EMF line as a function of the template emits it: a Powertools Metrics made as
    the functions make theirs (``Metrics()``), with the Globals' environment."""
    from aws_lambda_powertools import Metrics
    from aws_lambda_powertools.metrics import MetricUnit

    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    for variable, value in environment.items():
        if variable.startswith("POWERTOOLS_"):
            monkeypatch_module.setenv(variable, value)
    monkeypatch_module.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    monkeypatch_module.delenv("POWERTOOLS_DEV", raising=False)
    metrics = Metrics()
    metrics.clear_metrics()
    metrics.add_metric(name="Probe", unit=MetricUnit.Count, value=1)
    line = metrics.serialize_metric_set()
    metrics.clear_metrics()
    return json.loads(json.dumps(line))


@pytest.fixture(scope="module")
def monkeypatch_module() -> Any:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def custom_metrics_read(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(alarm id, metric) for every metric an alarm reads outside AWS's own namespaces."""
    from tests.template.test_operations import metrics_read

    return [
        (alarm_id, metric)
        for alarm_id, alarm in resources_of_type(template, "AWS::CloudWatch::Alarm").items()
        for metric in metrics_read(alarm)
        if not str(metric["Namespace"]).startswith("AWS/")
    ]


def test_every_metric_name_pattern_is_resolved() -> None:
    """Given every metric name the code builds with an f-string or a variable
    When the names are listed
    Then each has its values in PATTERNS, so nothing the code emits is unknown here."""
    patterns = {n.text for n in emitted_metrics.emitted_names() if not n.literal}
    assert patterns <= set(PATTERNS), sorted(patterns - set(PATTERNS))
    assert _unroutable() == {"UnroutableUploads", "UnroutableRetours"}


def metrics_disabled_with(variables: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether Powertools, with a function's environment ``variables`` and no other
    POWERTOOLS_ variable, writes no metric (its own rule, the one its flush asks)."""
    from aws_lambda_powertools.metrics.functions import is_metrics_disabled

    with monkeypatch.context() as patch:
        for variable in [name for name in os.environ if name.startswith("POWERTOOLS_")]:
            patch.delenv(variable)
        for variable, value in variables.items():
            if variable.startswith("POWERTOOLS_"):
                patch.setenv(variable, str(value))
        return is_metrics_disabled()


def test_every_metric_goes_out_with_the_namespace_and_service_dimension_only(
    template: dict[str, Any],
    transformed: dict[str, Any],
    emf: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given the functions' Powertools metrics
    When one is emitted
    Then its EMF has the Globals' namespace and exactly one dimension, service, valued the
    Globals' service name: no code adds a dimension or makes Metrics with a namespace of
    its own, and no function changes those variables; and every function's environment
    lets Powertools write its metrics at all (R39, audit alarms56: POWERTOOLS_DEV "true",
    in the Globals or one function, turns them off unless POWERTOOLS_METRICS_DISABLED says
    "false", and every alarm on them would read nothing)."""
    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    [directive] = emf["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == environment["POWERTOOLS_METRICS_NAMESPACE"]
    assert directive["Dimensions"] == [["service"]]
    assert emf["service"] == environment["POWERTOOLS_SERVICE_NAME"]
    for call in ("add_dimension", "set_default_dimensions", "single_metric"):
        assert emitted_metrics.calls_to(call) == [], call
    assert emitted_metrics.metrics_made_with_arguments() == []
    for function_id, function in resources_of_type(transformed, "AWS::Lambda::Function").items():
        variables = function.get("Environment", {}).get("Variables", {})
        for variable in ("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE"):
            assert variables.get(variable, environment[variable]) == environment[variable], (
                function_id
            )
        assert "POWERTOOLS_METRICS_DISABLED" not in variables, function_id
        assert not metrics_disabled_with(variables, monkeypatch), function_id


def test_r39_every_alarm_on_a_custom_metric_reads_one_the_code_emits(
    template: dict[str, Any], emitted: set[str], emf: dict[str, Any]
) -> None:
    """R39: given every alarm reading a metric outside AWS's namespaces
    When CloudWatch matches it on namespace, name and full dimension set
    Then it matches what the functions emit: the namespace and the service dimension
    Powertools puts on every metric, and a name the code emits; otherwise the alarm reads
    nothing and never goes off."""
    [directive] = emf["_aws"]["CloudWatchMetrics"]
    dimensions = [{"Name": "service", "Value": emf["service"]}]
    read = custom_metrics_read(template)
    assert read
    wrong = [
        (alarm_id, metric["MetricName"])
        for alarm_id, metric in read
        if metric["Namespace"] != directive["Namespace"]
        or metric.get("Dimensions") != dimensions
        or metric["MetricName"] not in emitted
    ]
    assert wrong == []


def test_r39_every_metric_that_says_something_failed_is_alarmed_or_listed(
    template: dict[str, Any], emitted: set[str]
) -> None:
    """R39: given every metric the code emits whose name says something failed, was
    refused or waits
    When nobody looks at the logs
    Then an alarm reads it, or NOT_ALARMED says why none does; and every name listed
    there is still emitted and still not alarmed (the list stays true)."""
    alarmed = {metric["MetricName"] for _, metric in custom_metrics_read(template)}
    failing = {name for name in emitted if FAILURE_WORDS.search(name)}
    assert failing - alarmed - set(NOT_ALARMED) == set()
    assert set(NOT_ALARMED) <= emitted - alarmed


def dashboard_metrics(dashboard: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(namespace, name, [dimension name, value, ...]) of every metric a dashboard's
    metric widgets draw. Its body is a !Sub of JSON: the placeholders are filled with
    themselves, so what is read is the JSON as written."""
    body = dashboard["DashboardBody"]["Fn::Sub"]
    assert isinstance(body, str)
    widgets = json.loads(body)["widgets"]
    return [
        (metric[0], metric[1], metric[2:])
        for widget in widgets
        if widget["type"] == "metric"
        for metric in widget["properties"]["metrics"]
        if not isinstance(metric[0], dict)  # an expression: dashboard_searches
    ]


def dashboard_searches(dashboard: dict[str, Any]) -> list[str]:
    """The SEARCH expressions a dashboard's metric widgets draw (an entry of one object
    with an ``expression``), for metrics whose names are open-ended."""
    widgets = json.loads(dashboard["DashboardBody"]["Fn::Sub"])["widgets"]
    return [
        metric[0]["expression"]
        for widget in widgets
        if widget["type"] == "metric"
        for metric in widget["properties"]["metrics"]
        if isinstance(metric[0], dict)
    ]


def test_r39_the_dunning_letters_per_kind_are_drawn_by_a_search(
    template: dict[str, Any], emf: dict[str, Any]
) -> None:
    """R39: Dunning_letter_{kind} is open-ended (a kind of letter each), so no list of
    names can draw it. Given the operators' dashboard, when it is read, then one SEARCH
    expression draws the letters' daily sums under the namespace and service dimension the
    functions emit them with (before: not drawn at all)."""
    [dashboard] = resources_of_type(template, "AWS::CloudWatch::Dashboard").values()
    [directive] = emf["_aws"]["CloudWatchMetrics"]
    namespace, service = directive["Namespace"], emf["service"]
    assert dashboard_searches(dashboard) == [
        f"SEARCH('{{{namespace},service}} service=\"{service}\" MetricName=Dunning_letter',"
        " 'Sum', 86400)"
    ]


def test_r39_every_metric_not_alarmed_is_on_the_operators_dashboard(
    template: dict[str, Any], emitted: set[str], emf: dict[str, Any]
) -> None:
    """R39 (audit59g): NOT_ALARMED excuses metrics as read "on the dashboard", and the
    template had no dashboard at all.
    Given the template's CloudWatch dashboard
    When an operator opens it in the stack's region
    Then every metric in NOT_ALARMED is drawn on a widget, each with the namespace and the
    service dimension the functions emit it with (otherwise the widget draws nothing), every
    metric drawn is one the code emits, every widget reads the stack's own region, and the
    dashboard's name holds the stage (dev and prod in one account stay apart)."""
    [dashboard] = resources_of_type(template, "AWS::CloudWatch::Dashboard").values()
    assert "${Stage}" in dashboard["DashboardName"]["Fn::Sub"]
    [directive] = emf["_aws"]["CloudWatchMetrics"]
    drawn = dashboard_metrics(dashboard)
    wrong = [
        name
        for namespace, name, dimensions in drawn
        if namespace != directive["Namespace"]
        or dimensions != ["service", emf["service"]]
        or name not in emitted
    ]
    assert wrong == []
    assert set(NOT_ALARMED) - {name for _, name, _ in drawn} == set()
    widgets = json.loads(dashboard["DashboardBody"]["Fn::Sub"])["widgets"]
    regions = {w["properties"]["region"] for w in widgets if w["type"] == "metric"}
    assert regions == {"${AWS::Region}"}
