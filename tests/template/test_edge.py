"""What stands between the internet and the functions: per-route throttles on the API
stage and an AWS WAF web ACL (issue 13.3, 13.4; R10, R11)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http import HTTPStatus
from typing import Any
from urllib.parse import urlparse

import pytest

from local.resources import function_events, resources_of_type

WEBHOOK_PATH = "/webhooks/psp"
# A patient needs a handful of tries; a guesser needs thousands of birth dates (R10).
MOST_PATIENT_POSTS_PER_IP_PER_5_MINUTES = 100


def settings_key(method: str, path: str) -> tuple[str, str]:
    """(HTTP method, MethodSettings ResourcePath): slashes after the first are ~1."""
    return method.upper(), "/" if path == "/" else "/" + path.replace("/", "~1")


@pytest.fixture(scope="module")
def method_settings(transformed: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    [stage] = resources_of_type(transformed, "AWS::ApiGateway::Stage").values()
    return {(s["HttpMethod"], s["ResourcePath"]): s for s in stage["MethodSettings"]}


def routes(template: dict[str, Any], function_id: str) -> list[tuple[str, str]]:
    return [
        (properties["Method"].upper(), properties["Path"])
        for kind, properties in function_events(template)[function_id]
        if kind == "Api"
    ]


def checker_reads(template: dict[str, Any]) -> list[tuple[str, str]]:
    """The payment checker's page and status: patient GETs other than the OpenAPI document."""
    return [
        (method, path)
        for method, path in routes(template, "PatientApiFunction")
        if method == "GET" and not path.endswith("openapi.json")
    ]


def patient_writes(template: dict[str, Any]) -> list[tuple[str, str]]:
    return [(m, p) for m, p in routes(template, "PatientApiFunction") if m == "POST"]


def test_checker_reads_are_generous_and_patient_writes_tight(
    template: dict[str, Any], method_settings: dict[tuple[str, str], dict[str, Any]]
) -> None:
    """Given the stage default and the patient routes
    When I read each route's own throttle
    Then the checker's reads allow more than the default, and every patient write (each
    checks a birth date or starts a payment) less than the default and any read."""
    default = method_settings[("*", "/*")]
    reads = [method_settings[settings_key(*route)] for route in checker_reads(template)]
    writes = [method_settings[settings_key(*route)] for route in patient_writes(template)]
    assert len(reads) >= 2 and len(writes) >= 6
    slowest_read = min(s["ThrottlingRateLimit"] for s in reads)
    assert slowest_read > default["ThrottlingRateLimit"]
    for write in writes:
        assert write["ThrottlingRateLimit"] < default["ThrottlingRateLimit"], write
        assert write["ThrottlingBurstLimit"] < default["ThrottlingBurstLimit"], write


def test_the_psp_webhook_has_a_throttle_of_its_own(
    template: dict[str, Any], method_settings: dict[tuple[str, str], dict[str, Any]]
) -> None:
    """Given the PSP webhook route (R11: a missed notification is a payment booked late)
    When I look for its throttle
    Then it has an entry of its own, no tighter than the default, that no patient route
    draws from."""
    [route] = routes(template, "PspWebhookFunction")
    assert route == ("POST", WEBHOOK_PATH)
    webhook = method_settings[settings_key(*route)]
    default = method_settings[("*", "/*")]
    assert webhook["ThrottlingRateLimit"] >= default["ThrottlingRateLimit"]
    assert webhook["ThrottlingBurstLimit"] >= default["ThrottlingBurstLimit"]


# --- a deployment's parameters ----------------------------------------------------------------


@dataclass(frozen=True)
class Deployment:
    """The parameters that decide where a request's path starts: the stage, and
    PublicBaseUrl, a custom domain mapped to the stage at its root (README's deploy steps)
    or, without one, the stage's own URL."""

    stage: str
    public_base_url: str

    def __str__(self) -> str:
        return f"{self.stage}@{self.public_base_url}"

    @property
    def on_a_custom_domain(self) -> bool:
        return urlparse(self.public_base_url).path.strip("/") == ""

    @property
    def portal_prefix(self) -> str:
        """What leads the portal's paths as this deployment reaches it: PublicBaseUrl's
        path (the invitation links {PublicBaseUrl}/portal/)."""
        return urlparse(self.public_base_url).path.rstrip("/")

    @property
    def upload_form(self) -> str:
        return f"{self.portal_prefix}/portal/declaraties"

    @property
    def prefixes(self) -> tuple[str, ...]:
        """What leads an app's path: nothing on the custom domain, and the stage's name on
        the stage's own URL, which answers beside a custom domain too."""
        return ("", f"/{self.stage}") if self.on_a_custom_domain else (f"/{self.stage}",)


STAGE_URL = "https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com"
DEPLOYMENTS = (
    Deployment("dev", "https://zorgnota.example.org"),
    Deployment("prod", "https://zorgnota.example.org/"),
    Deployment("dev", f"{STAGE_URL}/dev"),
    Deployment("prod", f"{STAGE_URL}/prod/"),
)


def resolved(value: Any, parameters: dict[str, str], conditions: dict[str, bool]) -> Any:
    """``value`` with the intrinsic functions conditions use resolved (Ref to a parameter,
    Fn::Sub on parameters, Fn::Split, Fn::Select, Fn::Equals, Fn::Not, Fn::If); others,
    and a Sub's names that are not parameters (AWS::StackName), are left as written."""
    if isinstance(value, list):
        return [resolved(item, parameters, conditions) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        [(function, argument)] = value.items()
        if function == "Fn::If":
            condition, when_true, when_false = argument
            chosen = when_true if conditions[condition] else when_false
            return resolved(chosen, parameters, conditions)
        argument = resolved(argument, parameters, conditions)
        if function == "Ref" and argument in parameters:
            return parameters[argument]
        if function == "Fn::Sub":
            text, names = (argument, {}) if isinstance(argument, str) else argument
            values = {**parameters, **names}
            return re.sub(r"\$\{([^}]+)\}", lambda m: values.get(m[1], m[0]), text)
        if function == "Fn::Split":
            separator, text = argument
            return text.split(separator)
        if function == "Fn::Select":
            index, items = argument
            return items[int(index)]
        if function == "Fn::Equals":
            return argument[0] == argument[1]
        if function == "Fn::Not":
            return not argument[0]
        return {function: argument}
    return {key: resolved(item, parameters, conditions) for key, item in value.items()}


def as_deployed(template: dict[str, Any], value: Any, deployment: Deployment) -> Any:
    """A property as deployed with ``deployment``'s parameters: the template's conditions
    evaluated on them, then each !If chosen and each !Sub filled in."""
    parameters = {"Stage": deployment.stage, "PublicBaseUrl": deployment.public_base_url}
    conditions: dict[str, bool] = {}
    for name, condition in template["Conditions"].items():
        conditions[name] = resolved(condition, parameters, conditions)
    return resolved(value, parameters, conditions)


@pytest.mark.parametrize(
    "deployment, on_a_custom_domain",
    [
        (DEPLOYMENTS[0], True),
        (DEPLOYMENTS[1], True),
        (DEPLOYMENTS[2], False),
        (DEPLOYMENTS[3], False),
    ],
    ids=str,
)
def test_the_template_tells_a_custom_domain_from_the_stages_own_url(
    template: dict[str, Any], deployment: Deployment, on_a_custom_domain: bool
) -> None:
    """Given PublicBaseUrl: a custom domain at its root, or the stage's own URL (its path
    the stage's name), with or without a trailing slash
    When the template's conditions are evaluated on it
    Then OnACustomDomain says which, so the WAF's portal exceptions can name the portal's
    path as that deployment reaches it (R35, R40)."""
    decided = as_deployed(template, {"Fn::If": ["OnACustomDomain", True, False]}, deployment)
    assert decided is on_a_custom_domain
    assert deployment.on_a_custom_domain is on_a_custom_domain


# --- AWS WAF -------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=DEPLOYMENTS, ids=str)
def deployment(request: pytest.FixtureRequest) -> Deployment:
    deployment: Deployment = request.param
    return deployment


@pytest.fixture(scope="module")
def web_acl(
    template: dict[str, Any], transformed: dict[str, Any], deployment: Deployment
) -> dict[str, Any]:
    """The web ACL as deployed with ``deployment``'s parameters."""
    [acl] = resources_of_type(transformed, "AWS::WAFv2::WebACL").values()
    deployed: dict[str, Any] = as_deployed(template, acl, deployment)
    return deployed


def statements_within(statement: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The statement and every statement nested in it (And, Or, Not, scope-down)."""
    yield statement
    for value in statement.values():
        for nested in value if isinstance(value, list) else [value]:
            if isinstance(nested, dict):
                yield from statements_within(nested)


def rate_rules(web_acl: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in web_acl["Rules"] if "RateBasedStatement" in r["Statement"]]


def test_a_web_acl_guards_the_api_stage(
    transformed: dict[str, Any], web_acl: dict[str, Any]
) -> None:
    """Given the template's AWS WAF resources
    When I follow the association
    Then a regional web ACL that allows by default is attached to this API's stage."""
    [association] = resources_of_type(transformed, "AWS::WAFv2::WebACLAssociation").values()
    assert association["WebACLArn"] == {"Fn::GetAtt": ["ApiWebAcl", "Arn"]}
    assert association["ResourceArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}"
        "/stages/${ApiStage}"
    }
    assert web_acl["Scope"] == "REGIONAL"
    assert web_acl["DefaultAction"] == {"Allow": {}}


def test_every_api_a_web_acl_guards_answers_its_managed_rules_blocks_in_its_error_shape(
    transformed: dict[str, Any],
) -> None:
    """R9, interfaces.md §2 (audit wafbody55: a request a managed group's rule blocks, no
    User-Agent or a known-bad header, got API Gateway's 403 {"message": "Forbidden"}).
    Given every REST API whose stage a web ACL is associated with
    When I read its gateway responses
    Then it has WAF_FILTERED, a 403 (test_api_gateways_own_401_403_and_429_are_in_the_apis_
    error_shape reads its body)."""
    associations = resources_of_type(transformed, "AWS::WAFv2::WebACLAssociation").values()
    guarded = [
        api
        for association in associations
        for api in re.findall(r"/restapis/\$\{(\w+)\}", association["ResourceArn"]["Fn::Sub"])
    ]
    assert guarded == ["Api"]
    for api in guarded:
        body = transformed["Resources"][api]["Properties"]["Body"]
        filtered = body["x-amazon-apigateway-gateway-responses"]["WAF_FILTERED"]
        assert filtered["statusCode"] == "403", api


def test_the_web_acl_blocks_with_the_aws_common_rule_set(web_acl: dict[str, Any]) -> None:
    """Given the web ACL's rules
    When I look for AWS's managed common rule set
    Then it is there and blocks (its own actions apply, not merely counted)."""
    managed = {
        rule["Statement"]["ManagedRuleGroupStatement"]["Name"]: rule
        for rule in web_acl["Rules"]
        if "ManagedRuleGroupStatement" in rule["Statement"]
    }
    common = managed["AWSManagedRulesCommonRuleSet"]
    assert common["Statement"]["ManagedRuleGroupStatement"]["VendorName"] == "AWS"
    assert common["OverrideAction"] == {"None": {}}


def test_one_address_cannot_guess_birth_dates_or_flood_the_api(web_acl: dict[str, Any]) -> None:
    """Given the web ACL's rate-based rules
    When I read them
    Then each counts per client IP and blocks, itself or by the label it gives a request
    over its limit (test_a_client_over_a_per_ip_limit_is_refused_on_every_route), and one
    limits the POSTs that check a birth date to a few per 5 minutes per address (R10,
    issue 13.3)."""
    rules = rate_rules(web_acl)
    assert rules
    for rule in rules:
        assert rule["Action"] == {"Block": {}} or (
            rule["Action"] == {"Count": {}} and rule["RuleLabels"]
        ), rule["Name"]
        assert rule["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP", rule["Name"]
    posts = [
        rule["Statement"]["RateBasedStatement"]
        for rule in rules
        if any(
            s.get("ByteMatchStatement", {}).get("SearchString") == "POST"
            and "Method" in s["ByteMatchStatement"]["FieldToMatch"]
            for s in statements_within(rule["Statement"])
        )
    ]
    assert posts, "no per-IP limit on the patient POSTs"
    for rate in posts:
        window_minutes = rate.get("EvaluationWindowSec", 300) / 60
        assert rate["Limit"] * 5 / window_minutes <= MOST_PATIENT_POSTS_PER_IP_PER_5_MINUTES


def waf_matches(
    statement: dict[str, Any], method: str, path: str, labels: frozenset[str] = frozenset()
) -> bool:
    """Whether a request matches ``statement``, as WAFv2 defines And/Or/Not, ByteMatch
    on the method or the URI path, RegexMatch on the URI path (a search, as PCRE's: the
    pattern anchors itself; without transformations: the template uses NONE) and
    LabelMatch on the ``labels`` earlier rules gave the request."""
    if "AndStatement" in statement:
        nested = statement["AndStatement"]["Statements"]
        return all(waf_matches(s, method, path, labels) for s in nested)
    if "OrStatement" in statement:
        nested = statement["OrStatement"]["Statements"]
        return any(waf_matches(s, method, path, labels) for s in nested)
    if "NotStatement" in statement:
        return not waf_matches(statement["NotStatement"]["Statement"], method, path, labels)
    if "LabelMatchStatement" in statement:
        label = statement["LabelMatchStatement"]
        assert label["Scope"] == "LABEL", label
        return label["Key"] in labels
    if "RegexMatchStatement" in statement:
        regex = statement["RegexMatchStatement"]
        assert regex["TextTransformations"] == [{"Priority": 0, "Type": "NONE"}], regex
        assert "UriPath" in regex["FieldToMatch"], regex
        return re.search(regex["RegexString"], path) is not None
    match = statement["ByteMatchStatement"]
    assert match["TextTransformations"] == [{"Priority": 0, "Type": "NONE"}], match
    value = method if "Method" in match["FieldToMatch"] else path
    wanted = match["SearchString"]
    return {
        "EXACTLY": value == wanted,
        "CONTAINS": wanted in value,
        "STARTS_WITH": value.startswith(wanted),
        "ENDS_WITH": value.endswith(wanted),
    }[match["PositionalConstraint"]]


def every_route(template: dict[str, Any], deployment: Deployment) -> Iterator[tuple[str, str, str]]:
    """(function, method, path as requested) for every API route as ``deployment`` is
    reached: on its custom domain and on the stage's own URL (/dev/..., /prod/...), the
    portal where PublicBaseUrl puts it; with a sample value in each path parameter."""
    for function_id, events in function_events(template).items():
        for kind, properties in events:
            if kind == "Api":
                path = re.sub(r"\{[^}]+\}", "12345678901234", properties["Path"])
                if function_id == "ProviderPortalFunction":
                    prefixes: tuple[str, ...] = (deployment.portal_prefix,)
                else:
                    prefixes = deployment.prefixes
                for prefix in prefixes:
                    yield function_id, properties["Method"].upper(), prefix + path


def birth_date_limit(web_acl: dict[str, Any]) -> dict[str, Any]:
    """The scope of the rule that limits birth-date checks per address (R10)."""
    [rule] = [r for r in rate_rules(web_acl) if r["Name"] == "patient-posts-per-ip"]
    scope: dict[str, Any] = rule["Statement"]["RateBasedStatement"]["ScopeDownStatement"]
    return scope


def test_only_the_patients_posts_count_towards_the_birth_date_limit(
    template: dict[str, Any], web_acl: dict[str, Any], deployment: Deployment
) -> None:
    """Given the rule that limits birth-date checks per address (R10) and every route
    When each route's request is matched against the rule's scope
    Then every patient POST counts, and nothing else: not the portal's forms, which a
    practice's staff send from one office address (R35; audit security D5), nor the
    provider or operator API, nor the webhook."""
    scope = birth_date_limit(web_acl)
    counted = {
        (function_id, method, path): waf_matches(scope, method, path)
        for function_id, method, path in every_route(template, deployment)
    }
    assert any(function_id == "ProviderPortalFunction" for function_id, _, _ in counted)
    for (function_id, method, path), is_counted in counted.items():
        patient_post = function_id == "PatientApiFunction" and method == "POST"
        assert is_counted == patient_post, (function_id, method, path)


# The managed rule groups' body rules, each with the label it gives a request it matches
# (AWS's "Baseline rule groups" page: the label ends in _Body, the rule in _BODY).
BODY_SIZE_RULE = "SizeRestrictions_BODY"
BODY_OVER_8KB = frozenset({"awswaf:managed:aws:core-rule-set:SizeRestrictions_Body"})
COMMON_BODY_ATTACK_LABELS = {
    "CrossSiteScripting_BODY": "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body",
    "GenericLFI_BODY": "awswaf:managed:aws:core-rule-set:GenericLFI_Body",
    "GenericRFI_BODY": "awswaf:managed:aws:core-rule-set:GenericRFI_Body",
    "EC2MetaDataSSRF_BODY": "awswaf:managed:aws:core-rule-set:EC2MetaDataSSRF_Body",
}
KNOWN_BAD_BODY_LABELS = {
    "JavaDeserializationRCE_BODY": "awswaf:managed:aws:known-bad-inputs:JavaDeserializationRCE_Body",
    "Log4JRCE_BODY": "awswaf:managed:aws:known-bad-inputs:Log4JRCE_Body",
    "ReactJSRCE_BODY": "awswaf:managed:aws:known-bad-inputs:ReactJSRCE_Body",
}
BODY_ATTACK_LABELS = {**COMMON_BODY_ATTACK_LABELS, **KNOWN_BAD_BODY_LABELS}
# Each group's label namespace (its labels' start).
LABEL_NAMESPACES = {
    "AWSManagedRulesCommonRuleSet": "awswaf:managed:aws:core-rule-set:",
    "AWSManagedRulesKnownBadInputsRuleSet": "awswaf:managed:aws:known-bad-inputs:",
}
BODY_METHODS = {"POST", "PUT", "PATCH", "ANY"}
# The labels our own body rules give a body they refuse; the rules after them answer it.
BODY_OVER_8KB_LABEL = "zorgnota:body-over-8kb"
BODY_ATTACK_LABEL = "zorgnota:body-attack"


def managed_group(web_acl: dict[str, Any], name: str) -> dict[str, Any]:
    [group] = [
        rule
        for rule in web_acl["Rules"]
        if rule["Statement"].get("ManagedRuleGroupStatement", {}).get("Name") == name
    ]
    return group


def common_rule_set(web_acl: dict[str, Any]) -> dict[str, Any]:
    return managed_group(web_acl, "AWSManagedRulesCommonRuleSet")


def blocked_after_the_common_rule_set(
    web_acl: dict[str, Any], method: str, path: str, labels: frozenset[str] = frozenset()
) -> bool:
    """Whether a rule of our own after the common rule set blocks the request, given the
    ``labels`` the managed groups' counted rules gave it (``waf_answer``)."""
    return waf_answer(web_acl, method, path, labels) is not None


def body_routes(template: dict[str, Any], deployment: Deployment) -> Iterator[tuple[str, str, str]]:
    """Every route that takes a body, as ``every_route`` sends it."""
    return (route for route in every_route(template, deployment) if route[1] in BODY_METHODS)


def test_the_common_rule_sets_body_rules_only_label(web_acl: dict[str, Any]) -> None:
    """Given the common rule set, whose SizeRestrictions_BODY blocks every body over 8 KB
    and whose XSS, LFI, RFI and SSRF body rules read a body's first 16 KB
    When I read the rule group's overrides
    Then those five rules are counted, not blocking: each labels the request for the
    rules after it, so the portal's upload form can take a practice's file (R35, R40)."""
    overrides = common_rule_set(web_acl)["Statement"]["ManagedRuleGroupStatement"][
        "RuleActionOverrides"
    ]
    assert overrides == [
        {"Name": name, "ActionToUse": {"Count": {}}}
        for name in (BODY_SIZE_RULE, *COMMON_BODY_ATTACK_LABELS)
    ]


def test_the_known_bad_inputs_body_rules_only_label(web_acl: dict[str, Any]) -> None:
    """Given the known-bad-inputs rule group, whose body rules (Log4j, Java
    deserialization, React Server Components) read a body's first 16 KB, where a
    free-text field of a practice's file may hold "${" text (audit: one such field
    refused the whole upload)
    When I read the rule group's overrides
    Then exactly its _BODY rules are counted, each labelling the request for the rules
    after it (as the common rule set's are); its header, path, query and method rules
    keep blocking on every route (R35, R40)."""
    group = managed_group(web_acl, "AWSManagedRulesKnownBadInputsRuleSet")
    assert group["OverrideAction"] == {"None": {}}
    overrides = group["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"]
    assert overrides == [
        {"Name": name, "ActionToUse": {"Count": {}}} for name in KNOWN_BAD_BODY_LABELS
    ]


def test_each_label_is_given_before_a_rule_blocks_by_it(web_acl: dict[str, Any]) -> None:
    """Given the rules that block by a label: a managed group's, or our own rate rules'
    When I compare priorities
    Then the rule or group that gives the label runs first: WAF shows a rule only the
    labels of the rules before it, so a label given later would block nothing."""
    given_at = {
        namespace: managed_group(web_acl, group)["Priority"]
        for group, namespace in LABEL_NAMESPACES.items()
    }
    own_labels = {label for rule in web_acl["Rules"] for label in labels_given_by(rule)}
    assert own_labels == {PER_IP_LIMIT_LABEL, BODY_OVER_8KB_LABEL, BODY_ATTACK_LABEL}
    for label in own_labels:
        given_at[label] = max(
            rule["Priority"] for rule in web_acl["Rules"] if label in labels_given_by(rule)
        )
    keys = 0
    for rule in web_acl["Rules"]:
        for statement in statements_within(rule["Statement"]):
            if "LabelMatchStatement" in statement:
                key = statement["LabelMatchStatement"]["Key"]
                [namespace] = [n for n in given_at if key.startswith(n)]
                assert given_at[namespace] < rule["Priority"], (rule["Name"], key)
                keys += 1
    # The body rules' labels, and each of our own labels in the rules answering it: the
    # per-IP limit's three (API, portal, checker), the body rules' two each (API, page).
    answering = {PER_IP_LIMIT_LABEL: 3, BODY_OVER_8KB_LABEL: 2, BODY_ATTACK_LABEL: 2}
    assert keys == 1 + len(BODY_ATTACK_LABELS) + sum(answering.values())


def takes_more_than_8kb(function_id: str, method: str, path: str, deployment: Deployment) -> bool:
    """The portal's upload form (the file itself: about 4 MB, Lambda's request limit) and
    the provider and operator APIs' writes (their apps answer 413 over 64 KB)."""
    if function_id == "ProviderPortalFunction":
        return is_the_upload_form(function_id, method, path, deployment)
    return function_id in {"ProviderApiFunction", "OperatorApiFunction"} and method != "GET"


def is_the_upload_form(function_id: str, method: str, path: str, deployment: Deployment) -> bool:
    return (
        function_id == "ProviderPortalFunction"
        and method == "POST"
        and path == deployment.upload_form
    )


def test_a_body_over_8kb_is_blocked_except_where_the_route_takes_more(
    template: dict[str, Any], web_acl: dict[str, Any], deployment: Deployment
) -> None:
    """Given every route that takes a body, sent with one over 8 KB (the common rule set
    labelled it), on a custom domain and on each stage's own URL
    When the web ACL's rules after the common rule set judge it
    Then a rule blocks it, except on the portal's upload form and the provider and
    operator APIs, whose larger caps are the app's (R35, R38, R40; interfaces.md §8)."""
    judged = 0
    for function_id, method, path in body_routes(template, deployment):
        blocked = blocked_after_the_common_rule_set(web_acl, method, path, BODY_OVER_8KB)
        assert blocked != takes_more_than_8kb(function_id, method, path, deployment), (
            function_id,
            method,
            path,
        )
        # Without the label (a body of 8 KB or less) no such rule blocks.
        assert not blocked_after_the_common_rule_set(web_acl, method, path)
        judged += 1
    assert judged > 30
    upload = ("ProviderPortalFunction", "POST", deployment.upload_form)
    assert upload in set(every_route(template, deployment))


def objection_form(deployment: Deployment) -> str:
    from billing_core.entrypoints.web.checker_page import OBJECTION_FORM_PATH

    return deployment.portal_prefix + OBJECTION_FORM_PATH


def is_an_objection(function_id: str, method: str, path: str, deployment: Deployment) -> bool:
    """The checker's objection form, as PublicBaseUrl reaches the page (as the upload
    form), and the patient API's objection route, on either URL (R16)."""
    objection_paths = (
        objection_form(deployment),
        *(prefix + "/api/v1/invoices/12345678901234/objection" for prefix in deployment.prefixes),
    )
    return function_id == "PatientApiFunction" and method == "POST" and path in objection_paths


def test_a_body_attack_is_blocked_except_on_the_portals_upload_form(
    template: dict[str, Any], web_acl: dict[str, Any], deployment: Deployment
) -> None:
    """Given every route that takes a body, sent with one the common rule set's XSS, LFI,
    RFI or SSRF body rule or a known-bad-inputs body rule labelled (those rules only
    count), on a custom domain and on each stage's own URL
    When the web ACL's rules after the common rule set judge it
    Then a rule blocks it, except on the portal's upload form: a practice's CSV or Vektis
    file may hold "<", "../", a URL or "${" in a free-text field (R35, R40), and its
    upload use case checks every field (R1); and, for the XSS label only, on a patient's
    objection (R16; test_an_objection_may_hold_markup). The provider and operator APIs
    take JSON and keep these rules, as do the other patient routes, the portal's other
    forms and the webhook."""
    xss = COMMON_BODY_ATTACK_LABELS["CrossSiteScripting_BODY"]
    judged = 0
    for function_id, method, path in body_routes(template, deployment):
        for label in BODY_ATTACK_LABELS.values():
            blocked = blocked_after_the_common_rule_set(web_acl, method, path, frozenset({label}))
            let_through = is_the_upload_form(function_id, method, path, deployment) or (
                label == xss and is_an_objection(function_id, method, path, deployment)
            )
            assert blocked != let_through, (
                label,
                function_id,
                method,
                path,
            )
        judged += 1
    assert judged > 30


def test_an_objection_may_hold_markup(
    template: dict[str, Any], web_acl: dict[str, Any], deployment: Deployment
) -> None:
    """R16 (this stop's checker5 brief): given a patient's objection whose message holds
    "<", "a<b" or "<b>" (the common rule set's XSS body rule labels it), sent from the
    checker's objection form, whose address the page's form names, or to the API's
    objection route, on a custom domain and on each stage's own URL
    When the web ACL's rules after the common rule set judge it
    Then no rule blocks it, while the same body is blocked on the checker's other forms
    (/), and an objection the LFI, RFI, SSRF or a known-bad-inputs rule labelled is still
    blocked: only the XSS rule, and only for these two addresses, is left out (their
    pages autoescape: R29, R30)."""
    xss = frozenset({COMMON_BODY_ATTACK_LABELS["CrossSiteScripting_BODY"]})
    routes_ = set(every_route(template, deployment))
    page_form = ("PatientApiFunction", "POST", objection_form(deployment))
    objections = [page_form] + [
        ("PatientApiFunction", "POST", prefix + "/api/v1/invoices/12345678901234/objection")
        for prefix in deployment.prefixes
    ]
    for route in objections:
        assert route in routes_, route
        _, method, path = route
        assert not blocked_after_the_common_rule_set(web_acl, method, path, xss), path
        for label in set(BODY_ATTACK_LABELS.values()) - xss:
            assert blocked_after_the_common_rule_set(web_acl, method, path, frozenset({label}))
    checker_forms = deployment.portal_prefix + "/"
    assert blocked_after_the_common_rule_set(web_acl, "POST", checker_forms, xss)
    # Crafted paths that hold an objection's address are no objection: the XSS rule stays.
    for crafted in (
        "/bezwaar/extra",
        "/x/bezwaar",
        "/prod/portal/bezwaar",
        "/api/v1/invoices/12345678901234/objection/extra",
        "/api/v1/invoices/1/2/objection",
        "/portal/api/v1/invoices/12345678901234/objection",
    ):
        assert blocked_after_the_common_rule_set(web_acl, "POST", crafted, xss), crafted


# Paths that hold an exception's route but are not that route: a greedy {proxy+} route (the
# patient app's at the root, the portal's under /portal/) takes each.
CRAFTED_PATHS = (
    "/prod/portal/declaraties/extra",
    "/prod/portal/anything/portal/declaraties",
    "/prod/api/v1/invoices/12345678901234/portal/declaraties",
    "/prod/prod/portal/declaraties",
    "/prod/portal/declaraties.csv",
    "/prod/anything/api/v1/provider/declarations",
    "/prod/api/v1/provider/declarations/extra",
    "/prod/portal/api/v1/provider/users",
    "/prod/api/v1/operator/insurers/extra/api/v1/operator/insurers",
    "/api/v1/invoices/12345678901234/payments/api/v1/operator/",
)


@pytest.mark.parametrize("path", CRAFTED_PATHS)
def test_a_path_holding_an_exceptions_route_does_not_skip_the_body_rules(
    web_acl: dict[str, Any], path: str
) -> None:
    """Given a POST whose path holds the upload form's or an API route's path but is not
    that route (audit: CONTAINS and ENDS_WITH let such a path skip the body rules)
    When its body is over 8 KB, or one of the body attack rules labelled it
    Then a rule after the common rule set blocks it: each exception is anchored at both
    ends of the path (R35, R40)."""
    assert blocked_after_the_common_rule_set(web_acl, "POST", path, BODY_OVER_8KB)
    for label in BODY_ATTACK_LABELS.values():
        assert blocked_after_the_common_rule_set(web_acl, "POST", path, frozenset({label}))


def the_portals_forms_elsewhere(template: dict[str, Any], deployment: Deployment) -> list[str]:
    """The portal's POST paths as the other kinds of deployment reach them (no stage, or a
    stage's name, in front) but ``deployment`` does not: on its custom domain a
    stage-prefixed one is a crafted path the patient app's {proxy+} takes; on the stage's
    own URL one without its stage names no stage of this API."""
    forms = [
        path
        for function_id, method, path in every_route(template, deployment)
        if function_id == "ProviderPortalFunction" and method == "POST"
    ]
    elsewhere = [
        prefix + path.removeprefix(deployment.portal_prefix)
        for path in forms
        for prefix in ("", "/dev", "/prod")
        if prefix != deployment.portal_prefix
    ]
    return elsewhere


def test_the_upload_form_as_another_deployment_reaches_it_gets_the_body_rules(
    template: dict[str, Any], web_acl: dict[str, Any], deployment: Deployment
) -> None:
    """Given a POST to the upload form's path with a stage's name in front on a custom
    domain (/prod/portal/declaraties: the patient app's {proxy+} takes it), or without
    the stage on the stage's own URL (audit: the stage was optional in the exception)
    When its body is over 8 KB, or one of the body attack rules labelled it
    Then a rule after the common rule set blocks it: the exception names the upload form
    only as this deployment reaches it (PublicBaseUrl; R35, R40)."""
    elsewhere = the_portals_forms_elsewhere(template, deployment)
    uploads = [path for path in elsewhere if path.endswith("/portal/declaraties")]
    assert len(uploads) == 2
    if deployment.on_a_custom_domain:
        assert f"/{deployment.stage}/portal/declaraties" in uploads
    for path in uploads:
        assert blocked_after_the_common_rule_set(web_acl, "POST", path, BODY_OVER_8KB), path
        for label in BODY_ATTACK_LABELS.values():
            labels = frozenset({label})
            assert blocked_after_the_common_rule_set(web_acl, "POST", path, labels), path


def test_the_portals_forms_as_another_deployment_reaches_them_count_per_ip(
    template: dict[str, Any], web_acl: dict[str, Any], deployment: Deployment
) -> None:
    """Given a POST to one of the portal's forms with a stage's name in front on a custom
    domain (the patient app's {proxy+} takes it), or without the stage on the stage's
    own URL
    When it is matched against the birth-date limit's scope
    Then it counts: only the portal's forms as this deployment reaches them are left out
    (R10, R35)."""
    scope = birth_date_limit(web_acl)
    elsewhere = the_portals_forms_elsewhere(template, deployment)
    assert len(elsewhere) >= 16
    for path in elsewhere:
        assert waf_matches(scope, "POST", path), path


def test_per_ip_limits_leave_the_psp_webhook_out(
    template: dict[str, Any], web_acl: dict[str, Any], deployment: Deployment
) -> None:
    """Given the rate-based rules and the PSP webhook, called from a few Mollie addresses
    When the webhook's request, on a custom domain and on each stage's own URL, is matched
    against each rule's scope
    Then no rule counts it, so patient traffic never blocks payments (R11)."""
    webhook = [
        (method, path)
        for function_id, method, path in every_route(template, deployment)
        if function_id == "PspWebhookFunction"
    ]
    assert ("POST", f"/{deployment.stage}{WEBHOOK_PATH}") in webhook
    for rule in rate_rules(web_acl):
        scope = rule["Statement"]["RateBasedStatement"]["ScopeDownStatement"]
        for method, path in webhook:
            assert not waf_matches(scope, method, path), (rule["Name"], path)


# Paths that hold the text a rate rule leaves out but are not the routes it means: a greedy
# {proxy+} route (the patient app's at the root) takes each.
CRAFTED_UNCOUNTED_PATHS = (
    "/prod/anything/webhooks/psp",
    "/prod/webhooks/psp/extra",
    "/prod/api/v1/invoices/12345678901234/webhooks/psp",
    "/prod/anything/portal/",
    "/prod/api/v1/invoices/12345678901234/api/v1/provider/",
    "/api/v1/invoices/12345678901234/payments/api/v1/operator/",
    # Unrouted paths under an app's start (audit: an app was left out by its start alone).
    "/api/v1/provider/anything",
    "/prod/api/v1/provider/declarations/extra",
    "/api/v1/operator/anything",
    "/prod/api/v1/operator/insurers/extra",
    "/portal/declaraties/extra",
    "/prod/portal/notas/12345678901234/stop/extra",
)


@pytest.mark.parametrize("path", CRAFTED_UNCOUNTED_PATHS)
def test_a_path_holding_a_left_out_route_still_counts_per_ip(
    web_acl: dict[str, Any], path: str
) -> None:
    """Given a POST whose path holds the webhook's path or an app's start but is not one
    of its routes (audit: CONTAINS, then an app's start alone, let such a path go
    uncounted, to the patient app's {proxy+})
    When it is matched against each rate-based rule's scope
    Then every rule counts it: the webhook is left out by its whole path, each app by its
    routes' whole paths (R10, R11; issue 13.3, 13.4)."""
    for rule in rate_rules(web_acl):
        scope = rule["Statement"]["RateBasedStatement"]["ScopeDownStatement"]
        assert waf_matches(scope, "POST", path), rule["Name"]


# --- what a client over a per-IP limit reads (R9, R10; interfaces.md §2) ----------------------

# The label the rate-based rules give a request over their limit; the rules after them
# block by it, each with its own answer.
PER_IP_LIMIT_LABEL = "zorgnota:over-a-per-ip-limit"
PATIENT_LANGUAGES = {"nl", "en", "pl", "ar"}


def labels_given_by(rule: dict[str, Any]) -> set[str]:
    return {label["Name"] for label in rule.get("RuleLabels", [])}


def waf_answer(
    web_acl: dict[str, Any],
    method: str,
    path: str,
    managed_labels: frozenset[str] = frozenset(),
    over_the_limit: str = "",
) -> dict[str, Any] | None:
    """The Block action that ends the request (None: nothing blocks it), the rules walked
    in priority order as WAF does: a matching Count rule adds its labels and WAF goes on,
    a matching Block rule ends it. The managed groups' rules that block match nothing;
    each group gives, from its priority on, those of ``managed_labels`` in its namespace
    (its counted rules matched). Only the rate rule named ``over_the_limit`` is over its
    limit."""
    labels: frozenset[str] = frozenset()
    for rule in sorted(web_acl["Rules"], key=lambda r: r["Priority"]):
        statement = rule["Statement"]
        if "ManagedRuleGroupStatement" in statement:
            namespace = LABEL_NAMESPACES[statement["ManagedRuleGroupStatement"]["Name"]]
            labels |= {label for label in managed_labels if label.startswith(namespace)}
            continue
        if "RateBasedStatement" in statement:
            scope = statement["RateBasedStatement"]["ScopeDownStatement"]
            matched = rule["Name"] == over_the_limit and waf_matches(scope, method, path, labels)
        else:
            matched = waf_matches(statement, method, path, labels)
        if matched and "Block" in rule["Action"]:
            block: dict[str, Any] = rule["Action"]["Block"]
            return block
        if matched:
            assert rule["Action"] == {"Count": {}}, rule["Name"]
            labels |= labels_given_by(rule)
    return None


def answer_over_the_limit(
    web_acl: dict[str, Any], limit: str, method: str, path: str
) -> dict[str, Any] | None:
    """The Block action that ends a clean request (the managed groups match nothing) from
    a client over the rate rule ``limit``'s limit, the other rate rule under its own."""
    return waf_answer(web_acl, method, path, over_the_limit=limit)


def is_an_api_route(function_id: str, path: str) -> bool:
    """The JSON APIs' routes (interfaces.md §2: /api/v1): the patient app's, beside its
    pages, and the provider's and operator's; and the PSP webhook's (a program too)."""
    if function_id == "PspWebhookFunction":
        return True
    return function_id in {"PatientApiFunction", "ProviderApiFunction", "OperatorApiFunction"} and (
        "/api/v1/" in path
    )


def test_a_client_over_a_per_ip_limit_is_refused_on_every_route(
    template: dict[str, Any], web_acl: dict[str, Any], deployment: Deployment
) -> None:
    """R10, R9 (audit wafpage55: a client over a limit got API Gateway's 403
    {"message": "Forbidden"}, English, on the checker's pages too). Given a client over
    each per-IP limit, and every route that limit counts, on a custom domain and on each
    stage's own URL
    When the web ACL's rules judge its request
    Then a rule blocks it with a 429 that says when to come back (Retry-After: the
    limit's window) and is kept out of caches: on the APIs the error shape of
    interfaces.md §2, on the portal's pages and forms its staff's page (audit wafdoc56:
    they read the patients' "pay by bank transfer"), on the checker's the patients'."""
    bodies = web_acl.get("CustomResponseBodies", {})
    judged = 0
    for rule in rate_rules(web_acl):
        rate = rule["Statement"]["RateBasedStatement"]
        for function_id, method, path in every_route(template, deployment):
            if not waf_matches(rate["ScopeDownStatement"], method, path):
                continue
            block = answer_over_the_limit(web_acl, rule["Name"], method, path)
            assert block is not None, (rule["Name"], method, path)
            # Without an answer of its own, API Gateway's: 403 {"message": "Forbidden"}.
            response = block.get("CustomResponse")
            assert response is not None, (rule["Name"], method, path)
            assert response["ResponseCode"] == 429, (rule["Name"], path)
            headers = {h["Name"]: h["Value"] for h in response["ResponseHeaders"]}
            assert headers["Retry-After"] == str(rate["EvaluationWindowSec"])
            assert headers["Cache-Control"] == "no-store"
            assert headers["X-Content-Type-Options"] == "nosniff"
            key = response["CustomResponseBodyKey"]
            kind = bodies[key]["ContentType"]
            wanted = "APPLICATION_JSON" if is_an_api_route(function_id, path) else "TEXT_HTML"
            assert kind == wanted, (rule["Name"], function_id, method, path)
            assert key == too_many_requests_body(function_id, path), (function_id, path)
            if kind == "TEXT_HTML":
                assert headers["Content-Security-Policy"] == "default-src 'none'"
            judged += 1
    assert judged > 100


def too_many_requests_body(function_id: str, path: str) -> str:
    """The body a client over a per-IP limit reads on a route: the APIs' JSON, the
    portal's staff page, the patients' page."""
    if is_an_api_route(function_id, path):
        return "too-many-requests-json"
    if function_id == "ProviderPortalFunction":
        return "too-many-requests-portal-page"
    return "too-many-requests-page"


def response_body(web_acl: dict[str, Any], key: str, content_type: str) -> str:
    """The custom response body ``key``, which must be of ``content_type``."""
    body = web_acl.get("CustomResponseBodies", {})[key]
    assert body["ContentType"] == content_type, key
    content: str = body["Content"]
    assert 0 < len(content.encode("utf-8")) <= 10240  # WAF's most for a custom body
    return content


def test_an_api_client_over_a_per_ip_limit_reads_the_apis_error_shape(
    web_acl: dict[str, Any],
) -> None:
    """interfaces.md §2 ("429 throttled" in one error shape). Given the body the web ACL
    answers an API client over a per-IP limit with
    When I read it as JSON
    Then it is {"error": {"code": "throttled", "message": "<nl> / <en>"}}, as API
    Gateway's own 429 (THROTTLED) is."""
    answer = json.loads(response_body(web_acl, "too-many-requests-json", "APPLICATION_JSON"))
    assert list(answer) == ["error"]
    assert answer["error"]["code"] == "throttled"
    dutch, english = answer["error"]["message"].split(" / ")
    assert "verzoeken" in dutch and "requests" in english


# --- what a client whose body is refused reads (R9, R16; interfaces.md §2) --------------------

# A body over 8 KB, one a body attack rule labelled, and one with both.
REFUSED_BODIES = (
    BODY_OVER_8KB,
    *(frozenset({label}) for label in BODY_ATTACK_LABELS.values()),
    BODY_OVER_8KB | {COMMON_BODY_ATTACK_LABELS["GenericLFI_BODY"]},
)


def path_in_the_app(path: str, deployment: Deployment) -> str:
    """``path`` as the app's router reads it: without the stage's name in front."""
    for prefix in deployment.prefixes:
        if prefix and path.startswith(prefix + "/"):
            return path.removeprefix(prefix)
    return path


def test_a_refused_body_gets_the_answer_the_app_gives_on_every_route(
    template: dict[str, Any], web_acl: dict[str, Any], deployment: Deployment
) -> None:
    """R9, R16 (audit wafbody55: a patient's objection over 8 KB, or one the LFI rule
    labelled, got API Gateway's 403 {"message": "Forbidden"} in English, not the app's
    413 page). Given every route that takes a body, sent with one over 8 KB, or one a body
    attack rule labelled, or both, on a custom domain and on each stage's own URL
    When the web ACL refuses it
    Then it answers as the app would: 413 for the size (first, where the route keeps
    8 KB), 400 for an attack; the
    APIs' error shape where the app answers a program (its PROGRAM_PREFIXES: /api/ and
    /webhooks/), elsewhere a page; kept out of caches, never sniffed."""
    from billing_core.entrypoints.web.checker_page import PROGRAM_PREFIXES

    bodies = web_acl.get("CustomResponseBodies", {})
    judged = 0
    for function_id, method, path in body_routes(template, deployment):
        program = path_in_the_app(path, deployment).startswith(PROGRAM_PREFIXES)
        assert is_an_api_route(function_id, path) == program, (function_id, path)
        too_large = 400 if takes_more_than_8kb(function_id, method, path, deployment) else 413
        for labels in REFUSED_BODIES:
            status = too_large if labels & BODY_OVER_8KB else 400
            block = waf_answer(web_acl, method, path, labels)
            if block is None:  # an exception: the tests above say which
                continue
            # Without an answer of its own, API Gateway's: 403 {"message": "Forbidden"}.
            response = block.get("CustomResponse")
            assert response is not None, (sorted(labels), method, path)
            assert response["ResponseCode"] == status, (sorted(labels), method, path)
            headers = {h["Name"]: h["Value"] for h in response["ResponseHeaders"]}
            assert headers["Cache-Control"] == "no-store"
            assert headers["X-Content-Type-Options"] == "nosniff"
            kind = bodies[response["CustomResponseBodyKey"]]["ContentType"]
            assert kind == ("APPLICATION_JSON" if program else "TEXT_HTML"), (function_id, path)
            if kind == "TEXT_HTML":
                assert headers["Content-Security-Policy"] == "default-src 'none'"
            judged += 1
    assert judged > 100


def test_every_rule_of_our_own_that_blocks_answers_with_a_body_of_its_own(
    web_acl: dict[str, Any],
) -> None:
    """R9 (audit wafbody55). Given the web ACL's own rules (not the managed groups, whose
    blocks get the APIs' WAF_FILTERED gateway response)
    When I read each one that blocks
    Then it answers with a custom response: a body the web ACL holds, kept out of caches;
    and every body the web ACL holds is some rule's answer."""
    bodies = web_acl["CustomResponseBodies"]
    answered = set()
    for rule in web_acl["Rules"]:
        if "ManagedRuleGroupStatement" in rule["Statement"] or "Block" not in rule["Action"]:
            continue
        response = rule["Action"]["Block"].get("CustomResponse")
        assert response is not None, rule["Name"]
        assert response["CustomResponseBodyKey"] in bodies, rule["Name"]
        headers = {h["Name"]: h["Value"] for h in response["ResponseHeaders"]}
        assert headers["Cache-Control"] == "no-store", rule["Name"]
        answered.add(response["CustomResponseBodyKey"])
    assert answered == set(bodies)


def test_an_api_client_whose_body_is_refused_reads_the_apps_error(
    web_acl: dict[str, Any],
) -> None:
    """interfaces.md §2 (audit wafbody55). Given the bodies the web ACL answers a program
    whose body it refuses with
    When I read them as JSON
    Then the 413 is word for word the app's own (middleware: too_large), and the 400 is
    the error shape, validation_error, Dutch / English."""
    from billing_core.entrypoints.http.errors import proxy_error
    from billing_core.entrypoints.http.middleware import TOO_LARGE

    too_large = json.loads(response_body(web_acl, "too-large-json", "APPLICATION_JSON"))
    apps = proxy_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", TOO_LARGE)
    assert too_large == json.loads(apps["body"])
    refused = json.loads(response_body(web_acl, "refused-body-json", "APPLICATION_JSON"))
    assert list(refused) == ["error"]
    assert refused["error"]["code"] == "validation_error"
    dutch, english = refused["error"]["message"].split(" / ")
    assert "veiligheidsredenen" in dutch and "security reasons" in english


def test_a_browser_whose_form_is_too_large_reads_the_apps_title(web_acl: dict[str, Any]) -> None:
    """R16, R36 (audit wafbody55). Given the page the web ACL answers a form over 8 KB with
    When I read each language's part
    Then it starts with the title the app's own 413 page has in that language
    (message_too_long_title), so a patient meets one wording whichever refuses it."""
    from billing_core.texts.patient import info_texts

    page = PageSections()
    page.feed(response_body(web_acl, "too-large-page", "TEXT_HTML"))
    page.close()
    for language in PATIENT_LANGUAGES:
        title = info_texts(language)("message_too_long_title")
        assert page.text[language].strip().startswith(title), language


class PageSections(HTMLParser):
    """A page's tags and attributes, and the text within each element with a lang."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open_langs: list[tuple[str, str]] = []
        self.text: dict[str, str] = {}
        self.directions: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag != "html" and attributes.get("lang"):
            language = str(attributes["lang"])
            self.open_langs.append((tag, language))
            self.text[language] = ""
            self.directions[language] = attributes.get("dir")

    def handle_endtag(self, tag: str) -> None:
        if self.open_langs and self.open_langs[-1][0] == tag:
            self.open_langs.pop()

    def handle_data(self, data: str) -> None:
        if self.open_langs:
            language = self.open_langs[-1][1]
            self.text[language] += data


# The web ACL's pages: over a per-IP limit (the patients', the portal's staff's), a body
# over 8 KB, a body attack.
WAF_PAGES = (
    "too-many-requests-page",
    "too-many-requests-portal-page",
    "too-large-page",
    "refused-body-page",
)


@pytest.mark.parametrize("key", WAF_PAGES)
def test_a_browser_the_web_acl_refuses_reads_a_page_in_the_patients_languages(
    web_acl: dict[str, Any], key: str
) -> None:
    """R9, R36 (audits wafpage55, wafbody55). Given each page the web ACL answers a
    browser with (the checker's pages and forms, the portal's): over a per-IP limit, a
    body over 8 KB, a body attack
    When I parse it
    Then it is one small page, Dutch first, with a part in each patient language (nl, en,
    pl, ar), each marked with its lang and the Arabic one right-to-left; it runs no
    script and loads nothing (no style, image, link or form), so it shows as it is."""
    page = PageSections()
    page.feed(response_body(web_acl, key, "TEXT_HTML"))
    page.close()
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "style", "link", "img", "iframe", "form", "object", "a"}
    for tag, attributes in page.tags:
        assert not {name for name in attributes if name.startswith("on")}, tag
        assert not {"src", "href", "action", "style"} & set(attributes), tag
    [(_, html)] = [(tag, attributes) for tag, attributes in page.tags if tag == "html"]
    assert html["lang"] == "nl"
    assert ("meta", {"charset": "utf-8"}) in page.tags
    assert set(page.text) == PATIENT_LANGUAGES
    assert next(iter(page.text)) == "nl"
    assert {language: page.directions[language] for language in page.text} == {
        "nl": None,
        "en": None,
        "pl": None,
        "ar": "rtl",
    }
    texts = [" ".join(text.split()) for text in page.text.values()]
    assert all(len(text) > 40 for text in texts) and len(set(texts)) == len(texts)
    assert re.search("[\u0600-\u06ff]", page.text["ar"])
    assert not re.search("[\u0600-\u06ff]", "".join(page.text[lang] for lang in ("nl", "en", "pl")))


# The patient page's sentence on paying by bank transfer instead, in each language.
BANK_TRANSFER = {
    "nl": "betalen per bankoverschrijving",
    "en": "pay by bank transfer",
    "pl": "zapłacić przelewem bankowym",
    "ar": "الدفع بالتحويل المصرفي",
}


def page_texts(web_acl: dict[str, Any], key: str) -> dict[str, str]:
    """Each language's text of the web ACL's page ``key``, its white space made single."""
    page = PageSections()
    page.feed(response_body(web_acl, key, "TEXT_HTML"))
    page.close()
    return {language: " ".join(text.split()) for language, text in page.text.items()}


def test_the_portals_staff_over_a_per_ip_limit_are_not_told_to_pay(
    web_acl: dict[str, Any],
) -> None:
    """R9, R35 (audit wafdoc56: the portal's 429 page said "you can also pay by bank
    transfer", the patients' wording, to a practice's staff).
    Given the pages the web ACL answers a client over a per-IP limit with: the patients'
    (the checker) and the portal's staff's
    When I read each language's part
    Then the patients' offers the bank transfer and the staff's does not; otherwise the
    staff's says the same, word for word (one wording of the limit)."""
    patients = page_texts(web_acl, "too-many-requests-page")
    staff = page_texts(web_acl, "too-many-requests-portal-page")
    assert set(staff) == set(patients) == set(BANK_TRANSFER)
    for language, sentence in BANK_TRANSFER.items():
        assert sentence in patients[language], language
        assert sentence not in staff[language], language
        assert patients[language].startswith(staff[language]), language


# --- provider login (R32, issue 13.8) ---------------------------------------------------------


def on_stage(template: dict[str, Any], value: Any, stage: str) -> Any:
    """A property as deployed on ``stage`` (on the default custom domain)."""
    return as_deployed(template, value, Deployment(stage, "https://zorgnota.example.org"))


@pytest.fixture(scope="module")
def user_pool(template: dict[str, Any]) -> dict[str, Any]:
    [pool] = resources_of_type(template, "AWS::Cognito::UserPool").values()
    return pool


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_provider_user_signs_in_with_a_totp_code(
    template: dict[str, Any], user_pool: dict[str, Any], stage: str
) -> None:
    """Given the provider user pool (health data behind it, R29, R32)
    When a user signs in, on either stage
    Then a second factor is required, and it is an authenticator app (TOTP), not SMS."""
    pool = on_stage(template, user_pool, stage)
    assert pool["MfaConfiguration"] == "ON"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]


def test_an_email_address_changes_only_once_the_new_one_is_verified(
    user_pool: dict[str, Any],
) -> None:
    """Given a provider user who changes their e-mail address (it is also the user name)
    When Cognito updates it
    Then the old address stays in force until the new one is verified, so a typo or a
    hijacked session cannot move account recovery to another mailbox."""
    assert "email" in user_pool["AutoVerifiedAttributes"]
    settings = user_pool["UserAttributeUpdateSettings"]
    assert settings["AttributesRequireVerificationBeforeUpdate"] == ["email"]


def test_the_invitation_is_dutch_then_english_and_links_the_portal(
    user_pool: dict[str, Any],
) -> None:
    """Given the e-mail Cognito sends a practice user it invites (R9 Dutch by default,
    R32 "invited by e-mail"; audit onboarding D12: it was Cognito's default English one)
    Then it is in Dutch and then in English, each with the user name, the temporary
    password and how long it lasts (the pool's own figure), and the portal's address
    on the stack's public base URL."""
    invitation = user_pool["AdminCreateUserConfig"]["InviteMessageTemplate"]
    days = user_pool["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"]
    dutch, english = invitation["EmailMessage"]["Fn::Sub"].split("<hr>")
    for text, valid_for in ((dutch, f"{days} dagen geldig"), (english, f"{days} days")):
        assert "{username}" in text and "{####}" in text
        assert '<a href="${PublicBaseUrl}/portal/">' in text
        assert valid_for in text
    assert "tijdelijk wachtwoord" in dutch and "temporary password" in english
    subject = invitation["EmailSubject"]
    assert subject.index("Uw uitnodiging") < subject.index("Your invitation")


def test_the_invitation_goes_out_through_our_own_verified_sender(
    user_pool: dict[str, Any],
) -> None:
    """Given the pool's own invitation text (R32; the test above)
    When Cognito is to send it
    Then it sends through this stack's SES sender: Cognito accepts an own EmailMessage and
    EmailSubject only with EmailSendingAccount DEVELOPER (its built-in sender refuses them
    and allows a few e-mails a day), from the invoices' verified address, so a practice's
    users get the Dutch and English invitation and not a deploy error."""
    assert "EmailMessage" in user_pool["AdminCreateUserConfig"]["InviteMessageTemplate"]
    sending = user_pool["EmailConfiguration"]
    assert sending["EmailSendingAccount"] == "DEVELOPER"
    assert sending["From"] == {"Ref": "SenderEmail"}
    assert sending["SourceArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}"
        ":identity/${SenderEmail}"
    }


def test_in_prod_compromised_credentials_are_blocked(template: dict[str, Any]) -> None:
    """Given the user pool on the prod stage
    When someone signs in or sets a password found in a public breach
    Then threat protection (advanced security) is enforced, on the Plus tier it needs,
    and blocks it; dev runs without the paid feature."""
    [pool_id] = resources_of_type(template, "AWS::Cognito::UserPool")
    pool = template["Resources"][pool_id]["Properties"]
    prod, dev = on_stage(template, pool, "prod"), on_stage(template, pool, "dev")
    assert prod["UserPoolTier"] == "PLUS"
    assert prod["UserPoolAddOns"] == {"AdvancedSecurityMode": "ENFORCED"}
    assert dev["UserPoolAddOns"]["AdvancedSecurityMode"] != "ENFORCED"
    [(attachment_id, risk)] = resources_of_type(
        template, "AWS::Cognito::UserPoolRiskConfigurationAttachment"
    ).items()
    assert template["Resources"][attachment_id]["Condition"] == "IsProd"
    assert risk["UserPoolId"] == {"Ref": pool_id}
    assert risk["ClientId"] == "ALL"
    compromised = risk["CompromisedCredentialsRiskConfiguration"]
    assert compromised["Actions"] == {"EventAction": "BLOCK"}
    assert {"SIGN_IN", "PASSWORD_CHANGE"} <= set(compromised["EventFilter"])
