"""The README's operational facts match template.yaml (R39, audit NEWCOMER): who is woken
finds a row saying what to do, every failure queue has its redrive, the figures a new
account is sized from are the template's, and the sandbox's commands run as written."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from local.resources import function_events, load_template, resources_of_type

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TEMPLATE = load_template()
# One row covers the error-rate alarm of every function, one the failure-record alarm of
# every function with a failure queue.
PER_FUNCTION_ALARM = re.compile(r"\w+(ErrorRate|FailureRecordLost)Alarm")
# AWS keeps this much of an account's concurrency unreserved.
UNRESERVED_MINIMUM = 100


def subsection(title: str) -> str:
    start = README.index(f"\n### {title}\n")
    end = README.find("\n### ", start + 1)
    return README[start : end if end != -1 else None]


def table_rows_named(text: str) -> set[str]:
    """The names in backticks that open a table row."""
    return set(re.findall(r"^\| `([^`]+)`", text, re.M))


def failure_queues() -> set[str]:
    """Queues that only receive what failed: every queue no function reads from."""
    queues = set(resources_of_type(TEMPLATE, "AWS::SQS::Queue"))
    read = {
        properties["Queue"]["Fn::GetAtt"][0]
        for events in function_events(TEMPLATE).values()
        for kind, properties in events
        if kind == "SQS"
    }
    return queues - read


def test_every_alarm_has_a_row_saying_what_to_do() -> None:
    """Given every alarm of template.yaml (R39: who is woken has something to do)
    Then the README's alarm table has its row (the per-function error-rate alarms share
    the `<Function>ErrorRateAlarm` row, the failure-record alarms of the functions the
    `<Function>FailureRecordLostAlarm` row)."""
    alarms = set(resources_of_type(TEMPLATE, "AWS::CloudWatch::Alarm"))
    rows = table_rows_named(subsection("Alarms"))
    assert {"<Function>ErrorRateAlarm", "<Function>FailureRecordLostAlarm"} <= rows
    missing = {a for a in alarms if not PER_FUNCTION_ALARM.fullmatch(a) and a not in rows}
    assert missing == set()


def test_every_failure_queue_is_alarmed_and_has_a_redrive() -> None:
    """Given every queue that holds failed work (dead-letter and on-failure queues)
    Then the alarm table names it and the Redrive section says how to put it back."""
    queues = failure_queues()
    assert {"DeliveryDeadLetterQueue", "ExpiredLettersFailureQueue"} <= queues
    alarms, redrive = subsection("Alarms"), subsection("Redrive: putting failed work back")
    assert {q for q in queues if f"`{q}`" not in alarms} == set()
    assert {q for q in queues if q not in redrive} == set()


def test_the_reserved_concurrency_and_the_quota_it_needs_are_the_templates() -> None:
    """Given the concurrency the functions reserve (a deploy fails when the account's
    quota cannot keep 100 unreserved besides)
    Then the Deploy section states that sum and the quota it needs."""
    reserved = sum(
        function.get("ReservedConcurrentExecutions", 0)
        for function in resources_of_type(TEMPLATE, "AWS::Serverless::Function").values()
    )
    deploy = README[README.index("\n## Deploy\n") : README.index("\n### After a deploy")]
    assert f"({reserved} in all" in deploy
    assert f"at least {reserved + UNRESERVED_MINIMUM}" in deploy


def test_the_deploy_checklist_names_every_parameter_without_a_real_default() -> None:
    """Given the template's parameters that have no default or an example one (R11, R12:
    the collection account is printed on every invoice)
    Then the Deploy checklist names each."""
    deploy = README[README.index("\n## Deploy\n") : README.index("\n### After a deploy")]
    to_set = {
        name
        for name, parameter in TEMPLATE["Parameters"].items()
        if "Default" not in parameter or "example" in str(parameter["Default"])
    }
    assert {"CollectionIban", "CollectionAccountHolder", "AlarmEmail"} <= to_set
    assert {name for name in to_set if f"`{name}`" not in deploy} == set()


def test_the_sandbox_replays_only_days_that_have_come() -> None:
    """Given the `make serve` block's curl lines (a run for a day after today answers 422)
    Then every `as_of` it replays is on or before the day it set the clock to."""
    block = subsection("`make serve`: the sandbox")
    today = None
    replayed = []
    for line in block.splitlines():
        if "/_local/clock" in line:
            today = date.fromisoformat(json.loads(re.search(r"-d '(.+?)'", line)[1])["today"])
        elif '"as_of"' in line:
            replayed.append(
                date.fromisoformat(json.loads(re.search(r"-d '(.+?)'", line)[1])["as_of"])
            )
    assert today is not None and replayed
    assert [day for day in replayed if day > today] == []


def test_the_csv_templates_downloads_are_named() -> None:
    """R40: "the CSV columns documented with a downloadable template": both routes that
    serve it are in the README, as template.yaml routes them."""
    routes = {
        event["Properties"]["Path"]
        for function in resources_of_type(TEMPLATE, "AWS::Serverless::Function").values()
        for event in function.get("Events", {}).values()
        if event["Type"] == "Api"
    }
    for route in ("/api/v1/provider/declarations/template.csv", "/portal/declaratie-sjabloon.csv"):
        assert route in routes
        assert f"`GET {route}`" in README


# --- audit newcomer2 (round 38): facts a newcomer checked by hand -----------------------------


def table_row(text: str, first_cell: str) -> str:
    """The table row of ``text`` whose first cell is ``first_cell``."""
    [row] = [line for line in text.splitlines() if line.startswith(f"| {first_cell} |")]
    return row


def test_the_waf_row_says_which_routes_take_a_body_over_8kb() -> None:
    """Given the web ACL's rule that blocks a body over 8 KB (R35, R40: the portal's upload
    form takes a practice's file)
    Then the README's "Who reaches the API" row names that rule and the upload form it
    leaves out, and no longer says that no route takes more than 8 KB."""
    acl = resources_of_type(TEMPLATE, "AWS::WAFv2::WebACL")["ApiWebAcl"]
    [rule] = [r for r in acl["Rules"] if r["Name"] == "bodies-over-8kb"]
    row = table_row(README, "Who reaches the API")
    assert "`bodies-over-8kb`" in row
    assert "/portal/declaraties" in json.dumps(rule["Statement"])
    assert "`POST /portal/declaraties`" in row
    assert "no route takes more" not in README


def test_the_waf_row_says_the_body_attack_rules_leave_the_upload_form_out() -> None:
    """Given the web ACL's rule that blocks what the common rule set's XSS, LFI, RFI and
    SSRF body rules labelled, except on the portal's upload form (R35, R40: a practice's
    file may hold "<", "../" or a URL in a free-text field)
    Then the README's "Who reaches the API" row names that rule, the four body rules and
    the upload form, and says the exceptions match a route's whole path."""
    acl = resources_of_type(TEMPLATE, "AWS::WAFv2::WebACL")["ApiWebAcl"]
    [rule] = [r for r in acl["Rules"] if r["Name"] == "body-attacks-outside-the-upload-form"]
    assert "/portal/declaraties" in json.dumps(rule["Statement"])
    row = table_row(README, "Who reaches the API")
    assert "`body-attacks-outside-the-upload-form`" in row
    assert "XSS, LFI, RFI or SSRF body rule" in row
    assert "whole path" in row


def test_the_waf_row_says_what_a_refused_client_reads() -> None:
    """Given the web ACL's rules that answer a client over a per-IP limit, or one whose
    body is over 8 KB or an attack, and the API's WAF_FILTERED gateway response (R9, R10;
    audits wafpage55, wafbody55: API Gateway's 403 "Forbidden" in English before)
    Then the README's "Who reaches the API" row names each rule with the status it sends
    (the 429 with its Retry-After), the four languages of the pages and the 403."""
    acl = resources_of_type(TEMPLATE, "AWS::WAFv2::WebACL")["ApiWebAcl"]
    answering = {
        rule["Name"]: rule["Action"]["Block"]["CustomResponse"]
        for rule in acl["Rules"]
        if "CustomResponse" in rule.get("Action", {}).get("Block", {})
    }
    assert set(answering) == {
        f"{refusal}-{kind}"
        for refusal in ("over-a-per-ip-limit", "body-over-8kb", "body-attack")
        for kind in ("api", "page")
    } | {"over-a-per-ip-limit-portal"}  # the portal's staff's 429 page (audit wafdoc56)
    row = table_row(README, "Who reaches the API")
    for name, response in answering.items():
        status = response["ResponseCode"]
        assert f"`{name}`" in row
        if name.startswith("over-a-per-ip-limit"):
            assert status == 429
            assert response["ResponseHeaders"][0]["Name"] == "Retry-After"
            assert f"a 429, `Retry-After: {response['ResponseHeaders'][0]['Value']}`" in row
        else:
            refusal = name.rsplit("-", 1)[0]
            assert f"a {status} (`{refusal}-api`, `{refusal}-page`)" in row
    assert "Dutch, English, Polish and Arabic" in row
    gateway = TEMPLATE["Resources"]["Api"]["Properties"]["GatewayResponses"]["WAF_FILTERED"]
    assert f"`WAF_FILTERED` gateway response: a {gateway['StatusCode']}" in row


def test_no_sentence_says_an_alarm_is_missing() -> None:
    """Given the alarm table (test_every_alarm_has_a_row_saying_what_to_do checks it against
    the template)
    Then no prose says there is no alarm: the "Not here (yet)" paragraph names the
    withdrawn payout week's."""
    assert "no alarm" not in README.lower()
    start = README.index("Not here (yet):")
    not_here = README[start : README.index("\n\n", start)]
    assert "withdrawn payout week" in not_here
    assert "`PayoutWeekWithdrawnAlarm`" in not_here


def test_the_checkers_commands_without_a_browser_can_be_followed() -> None:
    """Given the "Without a browser" block (R10, R36: a payment needs the patient's birth
    date)
    Then each birth date it sends is the sample patient's it names, from the sample CSV,
    and the payment whose id the fake bank needs is made before it."""
    start = README.index("Without a browser")
    block = README[start : README.index("```\n", README.index("```bash", start) + 1)]
    email = re.search(r"e-mail to `([^`]+)`", block)[1]
    sample = ROOT / "events/declarations/tandarts-de-vries-2026-11.csv"
    lines = [line.split(";") for line in sample.read_text(encoding="utf-8").splitlines()]
    header = lines[0]
    birth_dates = {
        line[header.index("birth_date")]
        for line in lines[1:]
        if line[header.index("email")] == email
    }
    sent = re.findall(r'"birth_date": "([^"]+)"', block)
    assert len(birth_dates) == 1 and sent and set(sent) == birth_dates
    assert block.index("/payments \\") < block.index("/_local/psp/payments/<payment_id>")


def test_the_email_languages_are_the_texts_languages() -> None:
    """Given the languages the e-mails are written in (texts/catalogue.py; R7)
    Then the opening paragraph and the diagram name every one."""
    from billing_core.texts.catalogue import LANGUAGES

    names = {"nl": "Dutch", "en": "English", "pl": "Polish", "ar": "Arabic"}
    opening = README[: README.index("\n\n", README.index("A provider uploads"))]
    assert [code for code in LANGUAGES if names[code] not in opening] == []
    assert f"Jinja2 {'/'.join(LANGUAGES)}," in README


# The (d) prose's names for the handlers of the (d) rows.
BENCH_D_NAMES = {
    "expired letters": "expired_letters",
    "SES": "ses_events",
    "collection report": "collection_report_import",
    "bank statement": "bank_statement_import",
    "dunning": "dunning_run",
    "retrocession": "retrocession_run",
    "ingest": "declaration_ingest",
    "PSP webhook": "psp_webhook",
    "retour": "retour_import",
}


def test_the_bench_prose_quotes_the_d_rows() -> None:
    """Given the (d) rows of the bench table (cold start, issue 13)
    Then the (d) note quotes each event handler's ratio as its row has it, rounded to the
    digits it shows (a new (d) run that changes the rows makes this fail until the note
    follows)."""
    rows = {
        name: float(ratio)
        for name, ratio in re.findall(r"^\| d (\w+) \| [^|]+\| ([\d.]+) x \|", README, re.M)
    }
    note_start = README.index("- **(d) handler import / boto3**")
    note = README[note_start : README.index("\n- **", note_start + 1)]
    quoted = " ".join(re.search(r"\(expired letters .*?\)", note, re.S)[0].split())
    figures = dict(re.findall(r"([A-Za-z][A-Za-z ]*?) ([\d.]+)x", quoted))
    assert set(figures) == set(BENCH_D_NAMES)
    for name, value in figures.items():
        digits = len(value.split(".")[1])
        assert round(rows[BENCH_D_NAMES[name]], digits) == float(value), name
    assert "(k) shows 232 items" not in README


def test_every_lifecycle_prefix_has_a_retention_row() -> None:
    """Given every prefix the buckets' lifecycle rules expire (legal-nl.md §8)
    Then the Retention table names it (in backticks, maybe with the key's rest), so a reader finds how long it is kept."""
    prefixes = {
        rule["Prefix"]
        for bucket in resources_of_type(TEMPLATE, "AWS::S3::Bucket").values()
        for rule in bucket.get("LifecycleConfiguration", {}).get("Rules", [])
        if rule.get("Prefix")
    }
    assert {"payouts/", "refunds/", "collection-updates/", "collection/updates/"} <= prefixes
    table = README[README.index("| What | Where | Kept | Why |") :]
    table = table[: table.index("\n\n")]
    assert {p for p in prefixes if f"`{p}" not in table} == set()


def test_every_test_tier_has_a_row() -> None:
    """Given the folders of tests/
    Then the Tests table has a row for each, and `make test-contract` (named there) exists."""
    tiers = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name != "__pycache__"}
    section = README[README.index("\n## Tests\n") :]
    assert {tier for tier in tiers if f"| {tier} | `tests/{tier}/` |" not in section} == set()
    assert "\ntest-contract:" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_the_portals_csp_is_quoted_as_sent() -> None:
    """Given the Content-Security-Policy the portal sends (R35)
    Then the README quotes it whole."""
    from billing_core.entrypoints.web.portal.web import PORTAL_HEADERS

    assert f"CSP `{PORTAL_HEADERS['Content-Security-Policy']}`" in README


def test_the_retour_upload_route_is_named() -> None:
    """Given the provider API's route that hands out a retour file's upload URL (R1, R5)
    Then the README names it, with the method, where the files practices send are."""
    routes = {
        (event["Properties"]["Method"].upper(), event["Properties"]["Path"])
        for function in resources_of_type(TEMPLATE, "AWS::Serverless::Function").values()
        for event in function.get("Events", {}).values()
        if event["Type"] == "Api"
    }
    assert ("POST", "/api/v1/provider/retour-files") in routes
    section = README[README.index("\n## Declaration files as practices send them\n") :]
    assert "`POST /api/v1/provider/retour-files`" in section[: section.index("\n## ", 1)]


def shell_commands(text: str) -> list[str]:
    """The commands of the README's bash blocks, each with its continuation lines joined."""
    blocks = re.findall(r"^```bash\n(.*?)^```", text, re.M | re.S)
    return [command for block in blocks for command in block.replace("\\\n", " ").splitlines()]


def test_every_lambda_invoke_sends_its_payload_as_aws_cli_v2_reads_it() -> None:
    """R39 (audit operations OPS3): Given every `aws lambda invoke` in the README (the alarm
    rows send the operator to rerun a day with one)
    Then each sends its payload from a file (`fileb://`), or says the inline JSON is raw
    (AWS CLI v2 reads an inline --payload as base64: Lambda gets bytes it cannot parse),
    and the rerun names a function of the template by its logical id."""
    commands = shell_commands(README)
    invokes = [c for c in commands if c.startswith("aws lambda invoke")]
    # every --payload, in a command or in a sentence
    for line in [*invokes, *README.splitlines()]:
        for payload in re.findall(r"--payload (\S+)", line):
            assert payload.startswith("fileb://") or "--cli-binary-format raw-in-base64-out" in line
    assert len(invokes) >= 3  # a failure record's replay, the expired letters', a rerun
    functions = set(resources_of_type(TEMPLATE, "AWS::Serverless::Function"))
    named = [
        re.findall(r"\b[A-Z]\w+Function\b", command)
        for command in commands
        if command.startswith("FUNCTION=$(physical_id ")
    ]
    assert named and all(names for names in named)
    assert {name for names in named for name in names} - functions == set()
    resources = set(TEMPLATE["Resources"])
    looked_up = set(re.findall(r"physical_id (\w+)", README)) | set(
        re.findall(r"queue_arn (\w+)", README)
    )
    assert looked_up and looked_up - resources == set()


def test_r39_a_failure_record_is_deleted_only_once_its_replay_was_taken() -> None:
    """R39 (audit ops51): the Redrive blocks ran `aws sqs delete-message` on the line after
    the replay's `aws lambda invoke`, so pasted into a shell they deleted the record when
    the replay failed (a Scheduler record, no such function; 3 of 3 blocks): the work was
    in no queue and its alarm cleared.
    Given every Redrive block that replays a record and deletes it
    When the replay fails
    Then the delete does not run: the command before it ends in `&&` (an asynchronous
    invoke Lambda took, or a check that the synchronous one answered without an error)."""
    replays = [
        block
        for block in re.findall(
            r"^```bash\n(.*?)^```", subsection("Redrive: putting failed work back"), re.M | re.S
        )
        if "aws lambda invoke" in block and "aws sqs delete-message" in block
    ]
    assert len(replays) >= 3  # Lambda's records, the SES events, the expired letters'
    for block in replays:
        commands = [
            re.sub(r"\s+#.*$", "", c).rstrip() for c in shell_commands(f"```bash\n{block}```\n")
        ]
        deletes = [i for i, c in enumerate(commands) if c.startswith("aws sqs delete-message")]
        assert deletes, block
        assert all(i > 0 and commands[i - 1].endswith("&&") for i in deletes), block


def test_r39_the_run_summaries_are_read_where_the_runs_write_them() -> None:
    """R39 (audit ops51): the README said a run writes "one summary log line", nowhere
    where or how an operator reads it.
    Given the scheduled runs (Scheduler invokes them; their answer goes nowhere)
    When the operator follows "Reading a run's summary"
    Then each command reads its run's own log group (template.yaml's LogGroupName, the
    one its function logs to) for the message its summary is logged with."""
    from billing_core.dunning.run import RunSummary as DunningSummary
    from billing_core.providers.retrocession_run import RunSummary as RetrocessionSummary

    messages = {
        "DunningRunFunction": DunningSummary(date(2026, 3, 2)).log_entry().message,
        "RetrocessionRunFunction": RetrocessionSummary("2026-W09").log_entry().message,
    }
    reads = {
        (group, message)
        for group, message in re.findall(
            r'--log-group-name "/aws/lambda/\$STACK-([\w-]+)".*?'
            r"--filter-pattern '\{ \$\.message = \"([^\"]+)\" \}'",
            " ".join(shell_commands(subsection("Reading a run's summary"))),
        )
    }
    functions = resources_of_type(TEMPLATE, "AWS::Serverless::Function")
    groups = resources_of_type(TEMPLATE, "AWS::Logs::LogGroup")
    expected = set()
    for function, message in messages.items():
        group = functions[function]["LoggingConfig"]["LogGroup"]["Ref"]
        name = groups[group]["LogGroupName"]["Fn::Sub"]
        expected.add((name.removeprefix("/aws/lambda/${AWS::StackName}-"), message))
    assert reads == expected


def test_where_to_change_what_names_the_portal_and_every_text_module() -> None:
    """Given the README's "Where to change what" table (a newcomer's map of the code)
    When a developer looks for the provider portal (R35), a sentence it shows, or the
    agency's transfer (stop 40, R24, R34)
    Then a row names the place: the portal's routes, pages, templates and texts, every
    module of texts/ that holds sentences, and payments/remittance.py (audit newcomer3)."""
    table = README.split("\n## Where to change what\n", 1)[1].split("\n## ", 1)[0]
    core = ROOT / "layers" / "billing_core" / "billing_core"
    sentences = {
        f"texts/{module.name}"
        for module in (core / "texts").glob("*.py")
        if module.stem not in ("__init__", "catalogue")  # the catalogue is machinery
    }
    places = sentences | {
        "functions/provider_portal/routes/pages.py",
        "entrypoints/web/portal/pages.py",
        "entrypoints/web/portal/templates/",
        "payments/remittance.py",
    }
    assert sorted(place for place in places if f"`{place}`" not in table) == []


def test_the_sandboxs_migrate_refuses_at_once_what_it_cannot_stage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Given `local.migrate [NAME]` (README "After a deploy: migrations": it stores the
    sample practices' items as the deploy before did, then runs the migration twice)
    When a newcomer names a migration it cannot stage (audit docs2: blocked-patient-bsn and
    invoice-line-contracted ended in a KeyError after the sandbox's set-up)
    Then argparse refuses the name before any set-up, and the README names each one."""
    from billing_core.services.operator.migrations import MIGRATIONS
    from local import migrate

    unstaged = [name for name in MIGRATIONS if name not in migrate.REWINDS]
    bullet = README[README.index("- **In the sandbox, without make**") :]
    assert [name for name in unstaged if f"`{name}`" not in bullet[: bullet.index("\n\n")]] == []
    for name in unstaged:
        with pytest.raises(SystemExit) as refused:
            migrate.main([name])
        assert refused.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_the_house_names_every_room_and_every_package_in_one() -> None:
    """Given the rooms of billing_core and the packages inside them (R39, audit docs2: the
    map lacked services/operator/, the portal's web/portal/, texts' polish/ and arabic/)
    Then "The house: rooms and their rules" names each room, and each package on its
    room's lines, so a newcomer finds the back office by file name."""
    house = README[README.index("\n## The house: rooms and their rules\n") :]
    house = house[house.index("```\nbilling_core/\n") :]
    house = house[: house.index("\n```")]
    core = ROOT / "layers" / "billing_core" / "billing_core"
    rooms = re.split(r"\n  (?=\w+/ )", house)
    missing = []
    for room in sorted(p for p in core.iterdir() if (p / "__init__.py").exists()):
        lines = next((r for r in rooms if r.startswith(f"{room.name}/ ")), "")
        packages = [p.parent.relative_to(core) for p in room.glob("**/__init__.py")]
        missing += [room.name] if not lines else []
        missing += [
            str(p) for p in sorted(packages) if len(p.parts) > 1 and f"{p.name}/" not in lines
        ]
    assert missing == []


def test_the_pieces_name_every_function_table_bucket_and_queue() -> None:
    """Given template.yaml's functions, tables, buckets and queues (R39, audit docs2: the
    drawing named no table, no bucket but by its prefixes, and one failure queue of seven)
    Then "How the pieces fit" names each by its logical id."""
    pieces = README[README.index("\n## How the pieces fit\n") : README.index("\n## The house")]
    kinds = ("Serverless::Function", "DynamoDB::Table", "S3::Bucket", "SQS::Queue")
    names = {n for kind in kinds for n in resources_of_type(TEMPLATE, f"AWS::{kind}")}
    assert len(names) > 20 and sorted(n for n in names if n not in pieces) == []


def test_the_chaos_sample_walk_the_readme_names_is_the_tests() -> None:
    """Given the seed of the money walk `make test` takes (tests/chaos/test_sample.py)
    Then the chaos section names it (audit readme50: it still said seed 11776 "now", two
    seeds after it was replaced)."""
    sample = (ROOT / "tests" / "chaos" / "test_sample.py").read_text(encoding="utf-8")
    seed = re.search(r"^MONEY_WALK = (\d+)$", sample, re.M)
    assert seed is not None
    chaos = subsection("Chaos and fault figures (issue 13 item 16)")
    assert f"it is seed {seed[1]} (" in chaos


def test_the_expired_letters_retries_are_the_stream_mappings() -> None:
    """Given the stream mapping of ExpiredLettersFunction (a batch is retried
    MaximumRetryAttempts times after its first failure, then goes to its failure queue)
    Then the drawing and the alarm's row say that number of retries (audit readme50: both
    said "failed 5 times" of a batch retried 5 times after its first failure)."""
    mapping = TEMPLATE["Resources"]["ExpiredInvoicesStream"]["Properties"]
    retries = mapping["MaximumRetryAttempts"]
    assert README.count(f"failed after {retries} retries") == 2
    assert f"failed after {retries} retries" in table_row(README, "`ExpiredLettersNotDeletedAlarm`")


def test_every_migration_has_a_row_and_says_what_its_second_run_counts() -> None:
    """Given the migrations an operator runs after a deploy (services/operator/migrations.py)
    Then "After a deploy: migrations" has a row `name` (version) for each, its "Safe to stop
    and run again" bullet says what a second run of each version counts (audit newcomer53:
    version 11 was missing there), and the sandbox bullet counts the ones it stages."""
    from billing_core.services.operator.migrations import MIGRATIONS
    from local import migrate

    section = subsection("After a deploy: migrations")
    rows = re.findall(r"^\| `([a-z-]+)` \((\d+)\) \|", section, re.M)
    assert sorted(rows) == sorted((m.name, str(m.version)) for m in MIGRATIONS.values())
    again = section[section.index("- **Safe to stop and run again**") :]
    again = again[: again.index("\n- **")]
    said = {int(v) for v in re.findall(r"\bversion\s+(\d+)\b", again)}
    # Version 1's second run is the bullet's opening: "`*_written` all 0".
    assert sorted(m.version for m in MIGRATIONS.values() if m.version not in said | {1}) == []
    words = {
        8: "eight",
        9: "nine",
        10: "ten",
        11: "eleven",
        12: "twelve",
        13: "thirteen",
        14: "fourteen",
        15: "fifteen",
    }
    assert f"It stages these {words[len(migrate.REWINDS)]};" in section


def test_what_the_first_deploy_needs_is_said_before_its_checklist() -> None:
    """Given the parameters samconfig.toml leaves as `<...>` placeholders (the template
    refuses them) and the concurrency the functions reserve (a deploy fails below the quota)
    When a newcomer deploys for the first time (audit newcomer53: the checklist mixed what a
    first deploy needs with what follows it, and came after the commands)
    Then the paragraph before the checklist names them, its "first three items" are the
    ones that set every placeholder's parameter, and its "last item" is the quota."""
    samconfig = (ROOT / "samconfig.toml").read_text(encoding="utf-8")
    placeholders = set(re.findall(r'(\w+)=\\"<', samconfig))
    assert {"CollectionIban", "AlarmEmail", "SenderEmail", "PublicBaseUrl"} <= placeholders
    deploy = README[README.index("\n## Deploy\n") : README.index("\n### After a deploy")]
    first = deploy[deploy.index("Before the first `sam deploy`:") :]
    first = first[: first.index("\n\n")]
    assert "the first three items below" in first and "the last item" in first
    checklist = deploy[deploy.index("Before real mail and money go out:\n") :]
    items = checklist[: checklist.index("\n\n")].split("\n- ")[1:]
    assert sorted(name for name in placeholders if f"`{name}`" not in "".join(items[:3])) == []
    reserved = sum(
        function.get("ReservedConcurrentExecutions", 0)
        for function in resources_of_type(TEMPLATE, "AWS::Serverless::Function").values()
    )
    quota = f"at least {reserved + UNRESERVED_MINIMUM}"
    assert quota in first and quota in items[-1]


def test_the_deployed_tokens_are_got_by_the_flows_the_app_client_allows() -> None:
    """Given the user pool's app client (its sign-in flows, MFA and token lifetimes)
    When a practice's developer takes a token for the API (audit newcomer53: the README
    said `initiate-auth` without a flow, and the client allows no password flow)
    Then "Deployed" names each flow the client allows, the MFA and the lifetimes."""
    client = TEMPLATE["Resources"]["ProviderUserPoolClient"]["Properties"]
    pool = TEMPLATE["Resources"]["ProviderUserPool"]["Properties"]
    deployed = subsection("Deployed")
    assert [f for f in client["ExplicitAuthFlows"] if f"`{f[6:]}`" not in deployed] == []
    assert [m for m in pool["EnabledMfas"] if f"`{m}`" not in deployed] == []
    assert client["TokenValidityUnits"] == {
        "AccessToken": "minutes",
        "IdToken": "minutes",
        "RefreshToken": "hours",
    }
    assert f"valid {client['IdTokenValidity']} minutes" in deployed
    assert f"for {client['RefreshTokenValidity']} hours" in deployed


def test_the_two_commands_make_test_names_every_tier_it_runs() -> None:
    """Given the folders of tests/ (`make test` runs pytest on all of them)
    When a newcomer reads what `make test` does in "Two commands" (audit readme57: it named
    neither the contract tier nor the chaos sample)
    Then its line and `make help`'s name each tier."""
    tiers = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name != "__pycache__"}
    line = next(x for x in README.splitlines() if x.startswith("make test   # every test:"))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    help_line = next(x for x in makefile.splitlines() if x.startswith("test: "))
    assert {tier for tier in tiers if tier not in line} == set()
    assert {tier for tier in tiers if tier not in help_line.split("## ", 1)[1]} == set()


def test_the_house_names_every_entry_point_module() -> None:
    """Given the modules of entrypoints/ (the one room the map lists module by module)
    When a newcomer looks for where a run that goes on in parts, or a finished file's
    marker, is handled (audit readme57: continued_runs and finished_uploads were missing)
    Then the room's lines of "The house" name each."""
    house = README[README.index("\n## The house: rooms and their rules\n") :]
    lines = house[house.index("\n  entrypoints/ ") :]
    lines = lines[: lines.index("\n```")]
    room = ROOT / "layers" / "billing_core" / "billing_core" / "entrypoints"
    modules = {p.stem for p in room.glob("*.py") if p.stem != "__init__"}
    assert {m for m in modules if not re.search(rf"\b{m}\b", lines)} == set()


def test_the_atw_rule_says_what_a_year_beyond_the_calendar_gets() -> None:
    """legal-nl.md §2, R39: Given the Atw calendar (the law's days computed for any year
    from its first, the royal decrees known up to a year)
    When a term runs out on a weekday after the decrees' last year, and before the first
    Then it is moved past the law's days, not refused, and the earlier one is refused, and
    "The rules the dunning run keeps" says so, with both years and the alarm that asks for
    the next decree (audit readme57: it said a later year is refused)."""
    from billing_core.legal import atw

    christmas = date(atw.DECREES_KNOWN_UNTIL + 1, 12, 25)  # the law's own day
    assert atw.term_end(christmas) > christmas
    before = min(
        date(atw.FIRST_YEAR - 1, 12, day)
        for day in range(25, 31)
        if day_is_weekday(date(atw.FIRST_YEAR - 1, 12, day))
    )
    with pytest.raises(atw.OutsideAtwCalendar):
        atw.term_end(before)
    rules = subsection("The rules the dunning run keeps")
    bullet = rules[rules.index("- **Algemene termijnenwet**") :]
    bullet = " ".join(bullet[: bullet.index("\n- **")].split())
    assert f"any year from {atw.FIRST_YEAR}" in bullet
    assert f"up to {atw.DECREES_KNOWN_UNTIL}" in bullet
    assert "`AtwDecreesEndingAlarm`" in bullet
    assert "refused" not in bullet


def day_is_weekday(day: date) -> bool:
    """A Saturday or Sunday moves a term without the calendar: only a weekday asks it."""
    return day.weekday() < 5
