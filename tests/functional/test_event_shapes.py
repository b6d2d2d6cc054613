"""The shapes events enter through (issue 11): an S3 upload handled once, an SQS delivery
batch through Powertools' BatchProcessor, a scheduled run; on moto, through the real
handlers."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote_plus

import pytest
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
)
from botocore.exceptions import ClientError

from billing_core.entrypoints.continued_runs import StatementsFailed
from billing_core.entrypoints.queue import delivery_queue_handler
from billing_core.entrypoints.s3_upload import AcceptedUpload
from billing_core.invoices.invoice import Channel
from billing_core.providers import retrocession_run
from local.generate import declaration_csv
from local.lambda_context import LocalLambdaContext
from local.seed import DENTAL
from tests.functional.conftest import delivered_dental_week, emailed, emitted_metrics
from tests.unit.camt_builder import credit, statement

PROVIDER = DENTAL.provider_id


def test_an_object_outside_the_statement_prefix_is_ignored_unread(sandbox):
    # Given an object that is no statement (S3 notifies the whole bucket's prefix rules)
    event = sandbox.bank_s3_event("elsewhere/2026-11-24.xml", "", "no-such-etag")
    # When the bank import is notified of it, then it is ignored without reading it
    assert sandbox.invoke("bank_statement_import", event) == {"imported": [{"outcome": "ignored"}]}


def test_a_statement_above_the_limit_is_refused_unread(sandbox, monkeypatch):
    # Given statements may be at most 100 bytes
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(3))
    [invoice, *_] = sandbox.runtime.repository.list_invoices(PROVIDER)[0]
    app = sandbox.handler("bank_statement_import")
    monkeypatch.setattr(app, "STATEMENTS", AcceptedUpload("statement", "camt053/", 100))
    # When a larger one arrives
    answer = sandbox.upload_bank_statement(statement(credit(1000, scor=invoice.reference)), "a.xml")
    # Then it is refused and nothing is booked; the refusal names the limit, and it is
    # counted and written for the operator as any refused statement (PAYIN2, R12, R39)
    [refused] = answer["imported"]
    assert (refused["outcome"], refused["booked"]) == ("refused", 0)
    assert refused["refusal"] == "statement too large (more than 100 bytes)"
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert stored.amount_due_cents == invoice.amount_due_cents


# Each import of the bank bucket: its module constant naming what it reads, how the
# sandbox uploads to it, its prefix and the Runtime method that builds its context.
IMPORTS = {
    "bank_statement_import": (
        "STATEMENTS",
        "upload_bank_statement",
        "camt053/",
        "bank_import_context",
    ),
    "collection_report_import": (
        "REPORTS",
        "upload_collection_report",
        "collection-reports/",
        "collection_report_context",
    ),
}


@pytest.mark.parametrize("function", sorted(IMPORTS))
def test_both_bank_bucket_imports_refuse_a_too_large_file_the_same_way(
    sandbox, monkeypatch, function
):
    """R12, R39 (one way, architecture.md): Given the bank statement import or the agency
    report import, each reading at most 100 bytes here
    When a larger file arrives, and an object outside its prefix
    Then the larger one is refused unread with the same reason (its name, the limit),
    written where the operator looks; the other is ignored and no context is built."""
    constant, upload, prefix, context = IMPORTS[function]
    app = sandbox.handler(function)
    accepted = getattr(app, constant)
    monkeypatch.setattr(app, constant, AcceptedUpload(accepted.name, prefix, 100))

    [refused] = getattr(sandbox, upload)(b"x" * 101, "big.csv")["imported"]

    assert refused["outcome"] == "refused"
    assert refused["refusal"] == f"{accepted.name} too large (more than 100 bytes)"
    written = refused.get("refusal_key") or refused["result_key"]
    assert json.loads(sandbox.output_object(written))["refusal"] == refused["refusal"]

    def no_context(_runtime):
        pytest.fail("a context built for an object the import ignores")

    monkeypatch.setattr(type(sandbox.runtime), context, no_context)
    event = sandbox._s3_event(function, sandbox.names.bank_bucket, "elsewhere/a.csv", "", "e")
    assert sandbox.invoke(function, event) == {"imported": [{"outcome": "ignored"}]}


def test_an_upload_whose_key_s3_url_encodes_is_read_under_its_own_key(sandbox):
    # Given a declaration stored under a file name with a space
    key = f"incoming/{PROVIDER}/D-space/week 47.csv"
    bucket = sandbox.names.declarations_bucket
    stored = sandbox.runtime.s3.put_object(Bucket=bucket, Key=key, Body=declaration_csv(3))
    # When S3 notifies the ingest with the key URL-encoded, as it does ("week+47.csv")
    answer = sandbox.notify_upload(
        quote_plus(key, safe="/"), stored.get("VersionId", ""), stored["ETag"].strip('"')
    )
    # Then the file is read under its own key and invoiced
    assert answer["processed"][0]["outcome"] == "accepted"
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    assert invoices


def test_a_delivery_message_that_does_not_parse_fails_alone(sandbox):
    # Given a batch with a request for an e-mail invoice and a message without an invoice id
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(2))
    invoices = sandbox.runtime.repository.list_invoices(PROVIDER)[0]
    invoice = next(i for i in invoices if i.channel is Channel.EMAIL)
    good = json.dumps({"provider_id": PROVIDER, "invoice_id": invoice.invoice_id})
    bad = json.dumps({"provider_id": PROVIDER})
    messages = [
        {"MessageId": "m-good", "ReceiptHandle": "r-1", "Body": good, "MD5OfBody": "x"},
        {"MessageId": "m-bad", "ReceiptHandle": "r-2", "Body": bad, "MD5OfBody": "x"},
    ]
    # When the delivery function gets the batch
    answer = sandbox.invoke("invoice_delivery", sandbox.sqs_event(messages))
    # Then only the bad message goes back to the queue, and the invoice is e-mailed
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-bad"}]}
    assert [m["kenmerk"] for m in sandbox.outbox()] == [invoice.reference]


@pytest.mark.parametrize("old_email", ["", "elders@example.org"])
def test_a_delivery_message_in_the_old_shape_goes_to_the_invoices_own_address(sandbox, old_email):
    """R16, R30 (architecture.md: one way to do each thing; stop 45 cleanup). A delivery
    request no longer has an ``email`` to send to instead of the invoice's own address:
    nothing ever set it. Given a delivered e-mail invoice and an objection acknowledgement
    about it queued before that change, its body still carrying the old key ("email": ""
    as every producer wrote it, or an address nothing ever wrote)
    When the delivery function gets the message
    Then it parses, and the acknowledgement goes to the invoice's own address only."""
    invoice = emailed(delivered_dental_week(sandbox, 2))[0]
    before = len(sandbox.outbox())
    body = json.dumps(
        {
            "provider_id": PROVIDER,
            "invoice_id": invoice.invoice_id,
            "kind": "objection_acknowledgement",
            "event_id": "objection-1",
            "email": old_email,
        }
    )
    message = {"MessageId": "m-old", "ReceiptHandle": "r-1", "Body": body, "MD5OfBody": "x"}

    answer = sandbox.invoke("invoice_delivery", sandbox.sqs_event([message]))

    assert answer == {"batchItemFailures": []}
    (mail,) = sandbox.outbox()[before:]
    assert (mail["to"], mail["kenmerk"]) == (invoice.addressee.email, invoice.reference)


def test_a_batch_whose_every_delivery_failed_leaves_no_address_in_the_logs(
    sandbox, monkeypatch, function_log
):
    """R29 (audit DELIVERY3): Given SES refuses an invoice e-mail with a text that names
    the recipient (an account still in the SES sandbox), when the delivery function
    handles a batch of that one request, then it answers the message as failed (SQS
    retries it, as for a raised error) instead of raising Powertools'
    BatchProcessingError, whose text the Lambda runtime would log unmasked; the failure is
    in the function's log, and neither the log nor the answer holds the address."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(2))
    invoices = sandbox.runtime.repository.list_invoices(PROVIDER)[0]
    invoice = next(i for i in invoices if i.channel is Channel.EMAIL)
    address = invoice.addressee.email

    def rejected(**request):
        to = request["Destination"]["ToAddresses"][0]
        text = f"The following identities failed the check in region EU-CENTRAL-1: {to}"
        raise ClientError({"Error": {"Code": "MessageRejected", "Message": text}}, "SendEmail")

    monkeypatch.setattr(sandbox.runtime.notifier._client, "send_email", rejected)
    body = json.dumps({"provider_id": PROVIDER, "invoice_id": invoice.invoice_id})
    message = {"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": body, "MD5OfBody": "x"}
    log = function_log("invoice_delivery")

    answer = sandbox.invoke("invoice_delivery", sandbox.sqs_event([message]))

    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    (failed,) = [line for line in lines if line["message"] == "delivery record failed"]
    assert "MessageRejected" in failed["exception"]
    assert address and address not in log.getvalue() + json.dumps(answer)


def test_a_delivery_that_fails_beside_others_counts_in_the_error_rate(sandbox, monkeypatch, capsys):
    """R39: "every function error rate". A record failing in a batch that otherwise went
    out is no Lambda Error (the partial batch response succeeds): the function counts its
    records and failures, which InvoiceDeliveryErrorRateAlarm divides (test_operations)."""
    # Given a batch of one good request and one that does not parse, metrics switched on
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(2))
    invoices = sandbox.runtime.repository.list_invoices(PROVIDER)[0]
    invoice = next(i for i in invoices if i.channel is Channel.EMAIL)
    good = json.dumps({"provider_id": PROVIDER, "invoice_id": invoice.invoice_id})
    messages = [
        {"MessageId": "m-good", "ReceiptHandle": "r-1", "Body": good, "MD5OfBody": "x"},
        {"MessageId": "m-bad", "ReceiptHandle": "r-2", "Body": "{}", "MD5OfBody": "x"},
    ]
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    capsys.readouterr()
    # When the delivery function gets the batch
    sandbox.invoke("invoice_delivery", sandbox.sqs_event(messages))
    # Then its metrics say 2 records, 1 failed
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    counted = {
        name: doc[name]
        for doc in emitted
        for name in ("Delivery_records", "Delivery_failed")
        if name in doc
    }
    assert counted == {"Delivery_records": [2.0], "Delivery_failed": [1.0]}


def test_a_message_handed_out_twice_at_once_is_handed_out_again_without_an_error(
    sandbox, monkeypatch, capsys, function_log
):
    """R38, R39 (audit retry51b): SQS may hand a message to two invocations at once. The
    second finds the request in progress: it answers the message as failed, so that SQS
    hands it out again (the first may yet die), but that is no failure: no ERROR line and
    no ``Delivery_failed`` for the error-rate alarm to call the operator about."""
    # Given an invoice's delivery request, and a second invocation of the delivery
    # function (its own batch processor, the same idempotency key) that SQS hands the
    # same message while the first is sending the e-mail
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(2))
    invoices = sandbox.runtime.repository.list_invoices(PROVIDER)[0]
    invoice = next(i for i in invoices if i.channel is Channel.EMAIL)
    body = json.dumps({"provider_id": PROVIDER, "invoice_id": invoice.invoice_id})
    event = sandbox.sqs_event(
        [{"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": body, "MD5OfBody": "x"}]
    )
    app = sandbox.handler("invoice_delivery")
    other_invocation = delivery_queue_handler(app.deliver, logger=app.logger, metrics=app.metrics)
    client = sandbox.runtime.notifier._client
    send_email, answers = client.send_email, []

    def sent_while_handed_out_again(**request):  # type: ignore[no-untyped-def]
        answers.append(
            other_invocation(event, LocalLambdaContext("zorgnota-local-invoice_delivery"))
        )
        return send_email(**request)

    monkeypatch.setattr(client, "send_email", sent_while_handed_out_again)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    log = function_log("invoice_delivery")
    capsys.readouterr()
    before = len(sandbox.outbox())
    # When the first invocation delivers it
    first = sandbox.invoke("invoice_delivery", event)
    # Then the first sent the e-mail once; the second answered the message as failed
    assert (first, answers) == (
        {"batchItemFailures": []},
        [{"batchItemFailures": [{"itemIdentifier": "m-1"}]}],
    )
    assert len(sandbox.outbox()) - before == 1
    # And logged it as a warning, no ERROR line, and counted no failed delivery
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    assert [line["level"] for line in lines if "progress" in line["message"]] == ["WARNING"]
    assert [line["message"] for line in lines if line["level"] == "ERROR"] == []
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    failed = [doc["Delivery_failed"] for doc in emitted if "Delivery_failed" in doc]
    records = [doc["Delivery_records"] for doc in emitted if "Delivery_records" in doc]
    assert (records, failed) == ([[1.0], [1.0]], [[0.0], [0.0]])


def test_an_upload_event_delivered_twice_at_once_is_left_to_the_retry_without_an_error(
    sandbox, monkeypatch, function_log
):
    """R3, R38, R39 (audit retry51c): S3 may deliver an object's event twice at once. The
    second invocation finds the upload in progress and fails, so that Lambda's retry
    hands it out again (the first may yet die); but nothing failed: a warning, no ERROR
    line for the operator."""
    # Given a declaration file in the bucket, and S3 delivering its event again while
    # the first invocation processes it
    key = f"incoming/{PROVIDER}/20261123090000-aaaa1111/week-47.csv"
    put = sandbox.runtime.s3.put_object(
        Bucket=sandbox.names.declarations_bucket, Key=key, Body=declaration_csv(2)
    )
    event = sandbox.s3_event(key, put.get("VersionId", ""), put["ETag"].strip('"'))
    app = sandbox.handler("declaration_ingest")
    process, second = app.process_declaration, []

    def processed_while_delivered_again(*arguments):  # type: ignore[no-untyped-def]
        with pytest.raises(IdempotencyAlreadyInProgressError):
            sandbox.invoke("declaration_ingest", event)
        second.append("raised")
        return process(*arguments)

    monkeypatch.setattr(app, "process_declaration", processed_while_delivered_again)
    log = function_log("declaration_ingest")
    # When the first invocation processes the upload
    first = sandbox.invoke("declaration_ingest", event)
    # Then it processed the file once; the second raised, for Lambda to retry it
    assert [p["outcome"] for p in first["processed"]] == ["accepted"]
    assert second == ["raised"]
    # And it is logged as a warning, with no ERROR line
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    assert [line["level"] for line in lines if "in progress" in line["message"]] == ["WARNING"]
    assert [line["message"] for line in lines if line["level"] == "ERROR"] == []


@pytest.mark.parametrize("function", ["dunning_run", "retrocession_run"])
@pytest.mark.parametrize(
    ("payload", "refused"),
    [
        ({"as_of": "maandag"}, "as_of: Input should be a valid date or datetime"),
        ({"as_of": "2026-11-30", "x": 1}, "x: Extra inputs are not permitted"),
    ],
)
def test_a_scheduled_run_refuses_anything_but_a_day(sandbox, function, payload, refused):
    """R39 (ops53): refused with the field named, answered and logged, not raised into
    Lambda's retries (a retry would be refused alike)."""
    answer = sandbox.invoke(function, payload)
    assert list(answer) == ["refused"]
    assert answer["refused"].startswith(f"event refused: {refused}")


A_DUNNING_PLACE = ["2026-11-23", PROVIDER, "P-1", "INV-1"]
NO_DUNNING_PLACE = "event refused: continue_from: not a place on the dunning index: "
NO_PRACTICE = "event refused: continue_from: not a practice to go on from: [provider]"


@pytest.mark.parametrize(
    ("function", "place", "refused"),
    [
        ("dunning_run", [], NO_DUNNING_PLACE + "[day, provider, patient, invoice]"),
        ("dunning_run", ["2026-11-23"], NO_DUNNING_PLACE + "[day, provider, patient, invoice]"),
        (
            "dunning_run",
            [*A_DUNNING_PLACE, "x"],
            NO_DUNNING_PLACE + "[day, provider, patient, invoice]",
        ),
        (
            "dunning_run",
            ["2026-11-23", PROVIDER, "", "INV-1"],
            NO_DUNNING_PLACE + "[day, provider, patient, invoice]",
        ),
        (
            "dunning_run",
            ["2026-13-40", PROVIDER, "P-1", "INV-1"],
            NO_DUNNING_PLACE + "its day is no day",
        ),
        ("retrocession_run", [], NO_PRACTICE),
        ("retrocession_run", [""], NO_PRACTICE),
        ("retrocession_run", [PROVIDER, "P-1"], NO_PRACTICE),
    ],
    ids=["d-empty", "d-short", "d-long", "d-blank-id", "d-no-day", "r-empty", "r-blank", "r-two"],
)
def test_r39_a_part_whose_continue_from_is_no_place_of_its_run_is_refused_and_counted(
    sandbox, monkeypatch, function_log, function, place, refused
):
    """R39, R18, R24, R29 (runs54): a part's continue_from was read as it came: a dunning
    place of another length or with no day raised ValueError into Lambda's retries (each
    failing alike, then the failure queue); an empty one, or a blank or second practice id,
    went on from the run's first unit (counting the earlier parts' again) or left an id
    unread. None counted a metric: the run's rest was lost with no alarm.
    Given a part's event (as its function's call to itself makes it) naming a place that
    is no place of its run
    When it is handled
    Then it is answered refused, naming continue_from and never the value given; one
    ERROR line "run refused" says the same; Run_part_refused counts 1
    (RunPartRefusedAlarm); no run was done (no run's line, nothing written)."""
    emitted = emitted_metrics(sandbox, monkeypatch, function)
    log = function_log(function)

    answer = sandbox.invoke(function, {"as_of": "2026-11-23", "continue_from": place})

    assert answer == {"refused": refused}
    assert not {"2026-13-40", "P-1", "INV-1"} & set(refused.split())
    lines = [json.loads(line) for line in log.getvalue().splitlines() if line.startswith("{")]
    assert [(line["level"], line["message"], line["refused"]) for line in lines] == [
        ("ERROR", "run refused", refused)
    ]
    assert emitted == {"Run_part_refused": 1}
    assert sandbox.output_keys("") == []


@pytest.mark.parametrize("function", ["dunning_run", "retrocession_run"])
def test_r39_earlier_parts_without_a_place_to_go_on_from_are_refused_and_counted(
    sandbox, monkeypatch, function_log, function
):
    """R39, R18, R24 (retroparts54; runs54 left it): an event with a run's earlier_parts
    but no continue_from ran the whole day (or week) from its start and dropped them: no
    caller makes it (Scheduler sends {}, an operator's replay {"as_of"}, a part's call
    both), so it is an edited or hand-made part.
    Given the earlier parts a run's part carries (as its summary's ``carried`` makes
    them), without continue_from
    When it is handled
    Then it is refused naming both fields, logged "run refused", counted
    Run_part_refused 1, and no run was done (nothing written).
    Before: the dunning run's ran the whole day and answered its report (so did the
    retrocession run's once its parts carried theirs, without this refusal)."""
    from billing_core.dunning.run import RunSummary as DunningSummary
    from billing_core.providers.retrocession_run import RunSummary as WeekSummary

    carried = {
        "dunning_run": DunningSummary(date(2026, 11, 23)).carried(),
        "retrocession_run": WeekSummary("2026-W47").carried(),
    }[function]
    emitted = emitted_metrics(sandbox, monkeypatch, function)
    log = function_log(function)

    answer = sandbox.invoke(function, {"as_of": "2026-11-23", "earlier_parts": carried})

    refused = (
        "event refused: continue_from: missing beside earlier_parts, which only a run's part"
        " carries"
    )
    assert answer == {"refused": refused}
    lines = [json.loads(line) for line in log.getvalue().splitlines() if line.startswith("{")]
    assert [(line["level"], line["message"]) for line in lines] == [("ERROR", "run refused")]
    assert emitted == {"Run_part_refused": 1}
    assert sandbox.output_keys("") == []


@pytest.mark.parametrize(
    ("function", "payload", "counted"),
    [
        (
            "dunning_run",
            {"as_of": "2026-11-23", "continue_from": A_DUNNING_PLACE, "earlier_parts": {}},
            1,
        ),
        ("retrocession_run", {"as_of": "2026-11-23", "earlier_parts": {"read": "many"}}, 1),
        (
            "retrocession_run",
            {"as_of": "2026-11-23", "continue_from": [PROVIDER], "run": "R#1"},
            1,
        ),
        ("dunning_run", {"as_of": "maandag"}, 0),
        ("retrocession_run", {"as_of": "2026-11-23", "x": 1}, 0),
    ],
    ids=[
        "malformed-earlier-parts",
        "part-keys-malformed",
        "malformed-run-id",
        "a-replay",
        "a-replay-extra-key",
    ],
)
def test_r39_only_a_refused_part_counts_run_part_refused(
    sandbox, monkeypatch, function, payload, counted
):
    """R39 (runs54): ops53 refused a part with malformed earlier_parts, answered and logged,
    but counted nothing: the run's rest was lost and no alarm went off.
    Given an event that carries a part's keys (continue_from, earlier_parts, run: an id,
    no "#", parts58b), or an operator's replay of a day
    When it is refused
    Then a part's refusal counts Run_part_refused (nobody reads its answer: the call was
    asynchronous); an operator's replay, whose answer the operator reads, counts none."""
    emitted = emitted_metrics(sandbox, monkeypatch, function)

    answer = sandbox.invoke(function, payload)

    assert list(answer) == ["refused"]
    assert emitted.get("Run_part_refused", 0) == counted


def test_a_retrocession_run_with_a_failed_provider_fails_for_a_retry(sandbox, monkeypatch):
    # Given the physiotherapist's statement cannot be written this time
    write_statement = retrocession_run.write_statement

    def failing_for_physio(provider, week, ctx):  # type: ignore[no-untyped-def]
        if provider.provider_id != PROVIDER:
            raise ConnectionError("the bucket went away")
        return write_statement(provider, week, ctx)

    monkeypatch.setattr(retrocession_run, "write_statement", failing_for_physio)
    # When the Monday run runs, then the invocation fails (the schedule retries)
    with pytest.raises(StatementsFailed, match="no statement for 1 provider"):
        sandbox.run_retrocession()
    # And the dental practice got its statement all the same
    assert [k for k in sandbox.output_keys("retrocession/") if PROVIDER in k]


def test_replaying_a_day_after_today_is_refused_and_queues_nothing(sandbox):
    """Issue 12 item 6: {"as_of": "2027-06-01"} on 2026-12-31 would date letters in the
    future; the run refuses it before reading anything, and the schedule does not retry."""
    # Given an invoice long overdue on 31 December 2026
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(2))
    sandbox.clock.set(date(2026, 12, 31))
    # When an operator replays 1 June 2027
    answer = sandbox.run_dunning(date(2027, 6, 1))
    # Then the run is refused with both days named, and no letter went out
    assert answer["refused"].startswith("as_of 2027-06-01 is after today 2026-12-31")
    invoices = sandbox.runtime.repository.list_invoices(PROVIDER)[0]
    assert all(i.reminder is None for i in invoices)
