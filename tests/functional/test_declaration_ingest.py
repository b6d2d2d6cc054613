"""Declaration file -> invoices -> mailbox, through the real handlers on moto (R1-R8, R30)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from botocore.awsrequest import AWSResponse

from billing_core.adapters.s3 import S3FileStore
from billing_core.invoices.invoice import Channel, InvoiceStatus
from billing_core.shared import reference
from local.generate import declaration_csv
from local.seed import DENTAL, PHYSIO

PROVIDER = DENTAL.provider_id


def _report(sandbox, declaration_id, provider_id=PROVIDER):
    status, body = sandbox.api(
        "GET", f"/api/v1/provider/declarations/{declaration_id}", provider_id=provider_id
    )
    assert status == 200, body
    return body


def _invoices(sandbox, provider_id=PROVIDER):
    invoices, _ = sandbox.runtime.repository.list_invoices(provider_id)
    return invoices


def test_an_upload_becomes_invoices_in_the_mailbox_and_the_print_batch(sandbox):
    # Given a declaration of 40 lines for the dental practice
    declaration_id = sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(40))
    # When S3 notified the ingest function and the delivery queue is worked off
    delivered = sandbox.drain_deliveries()
    # Then every patient got one invoice with its own valid 14-digit betalingskenmerk
    invoices = _invoices(sandbox)
    report = _report(sandbox, declaration_id)
    assert report["status"] == "processed" and report["outcome"] == "accepted"
    assert len(invoices) == report["summary"]["invoices"] == delivered > 0
    references = [i.reference for i in invoices]
    assert len(set(references)) == len(references)
    assert all(reference.parse_ours(r) == r for r in references)
    # And e-mail invoices are in the outbox with the PDF attached, paper ones in print/
    by_channel = {c: [i for i in invoices if i.channel is c] for c in Channel}
    outbox = sandbox.outbox()
    assert sorted(m["kenmerk"] for m in outbox) == sorted(
        i.reference for i in by_channel[Channel.EMAIL]
    )
    assert all(m["attachments"][0]["content"].startswith(b"%PDF") for m in outbox)
    printed = sandbox.output_keys("print/2026-11-23/")
    assert sorted(printed) == sorted(
        [
            *(f"print/2026-11-23/{PROVIDER}/{i.reference}.pdf" for i in by_channel[Channel.PAPER]),
            f"print/2026-11-23/{PROVIDER}/posting.json",  # issue 12: the batch's posting date
        ]
    )
    # And each invoice records what was sent (R30)
    assert all(i.status is InvoiceStatus.SENT and len(i.correspondence) == 1 for i in invoices)


def test_the_email_says_what_to_pay_by_when_and_the_kenmerk(sandbox):
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(3))
    sandbox.drain_deliveries()
    invoice = next(i for i in _invoices(sandbox) if i.channel is Channel.EMAIL)
    mail = next(m for m in sandbox.outbox() if m["kenmerk"] == invoice.reference)
    assert mail["to"] == invoice.addressee.email
    assert reference.grouped(invoice.reference) in mail["text"]
    assert "23 december 2026" in mail["text"]  # 30 days after 23 November (R8)
    assert invoice.bsn not in mail["text"] + mail["html"]  # R29: no BSN in the e-mail body


def test_reimbursement_is_deducted_line_by_line(sandbox):
    # Given consults at a contracted insurer (75% in the dental rule table)
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(60))
    sandbox.drain_deliveries()
    invoices = _invoices(sandbox)
    # Then what the patient pays is the gross less the reimbursement of each line
    for invoice in invoices:
        assert invoice.amount_due_cents == sum(line.patient_share_cents for line in invoice.lines)
        assert invoice.reimbursed_cents == sum(line.reimbursed_cents for line in invoice.lines)
    assert any(i.reimbursed_cents > 0 for i in invoices)


def test_the_same_s3_event_twice_creates_nothing_twice(sandbox):
    # Given a processed upload (R3)
    key = "incoming/tandarts-de-vries/D-replay/week-47.csv"
    answer = sandbox.runtime.s3.put_object(
        Bucket=sandbox.names.declarations_bucket, Key=key, Body=declaration_csv(12)
    )
    event = sandbox.s3_event(key, answer.get("VersionId", ""), answer["ETag"].strip('"'))
    first = sandbox.invoke("declaration_ingest", event)
    sandbox.drain_deliveries()
    invoices, mails = len(_invoices(sandbox)), len(sandbox.outbox())
    # When S3 delivers the same event again
    second = sandbox.invoke("declaration_ingest", event)
    sandbox.drain_deliveries()
    # Then the answer is the first one and nothing new exists
    assert second == first
    assert (len(_invoices(sandbox)), len(sandbox.outbox())) == (invoices, mails)


def test_the_same_file_uploaded_again_is_recognised_claim_by_claim(sandbox):
    data = declaration_csv(12)
    sandbox.upload_declaration(PROVIDER, "week-47.csv", data)
    sandbox.drain_deliveries()
    invoices, mails = len(_invoices(sandbox)), len(sandbox.outbox())
    # When the practice uploads the same file as a new declaration
    again = sandbox.upload_declaration(PROVIDER, "week-47-again.csv", data)
    sandbox.drain_deliveries()
    # Then no second invoice, no second e-mail, and the report says why per line
    report = _report(sandbox, again)
    assert report["outcome"] == "already_processed"
    assert report["summary"]["claims_already_processed"] == 12
    assert {f["code"] for f in report["findings"]} == {"CLAIM_ALREADY_PROCESSED"}
    assert (len(_invoices(sandbox)), len(sandbox.outbox())) == (invoices, mails)


def test_a_crash_halfway_resumes_with_the_same_invoices(sandbox, monkeypatch):
    # Given an ingest that stores its invoices and then dies before queueing delivery
    queue = sandbox.runtime.delivery_queue
    real_enqueue = queue.enqueue

    def crash(requests):
        raise ConnectionError("the network went away")

    monkeypatch.setattr(queue, "enqueue", crash)
    key = "incoming/tandarts-de-vries/D-crash/week-47.csv"
    with pytest.raises(ConnectionError):
        sandbox.put_upload(key, declaration_csv(30))
    stored = {i.invoice_id: i.reference for i in _invoices(sandbox)}
    assert stored and sandbox.outbox() == []
    # When Lambda retries the same event
    monkeypatch.setattr(queue, "enqueue", real_enqueue)
    version = sandbox.runtime.s3.head_object(Bucket=sandbox.names.declarations_bucket, Key=key)
    sandbox.notify_upload(key, version.get("VersionId", ""), version["ETag"].strip('"'))
    sandbox.drain_deliveries()
    # Then the same invoices with the same betalingskenmerken are sent, each once
    after = {i.invoice_id: i.reference for i in _invoices(sandbox)}
    assert after == stored
    emailed = [m["kenmerk"] for m in sandbox.outbox()]
    assert len(emailed) == len(set(emailed))
    assert all(i.status is InvoiceStatus.SENT for i in _invoices(sandbox))


def test_a_delivery_message_delivered_twice_sends_one_email(sandbox):
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(2))
    invoice = next(i for i in _invoices(sandbox) if i.channel is Channel.EMAIL)
    body = json.dumps(
        {"provider_id": PROVIDER, "invoice_id": invoice.invoice_id, "kind": "invoice"}
    )
    message = {"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": body, "MD5OfBody": "x"}
    for _ in range(2):
        sandbox.invoke("invoice_delivery", sandbox.sqs_event([message]))
    assert [m["kenmerk"] for m in sandbox.outbox()].count(invoice.reference) == 1


def _paper_delivery(sandbox):
    """A paper invoice of the dental practice and the SQS message that delivers it."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(15))  # one patient on paper
    invoice = next(i for i in _invoices(sandbox) if i.channel is Channel.PAPER)
    body = json.dumps({"provider_id": PROVIDER, "invoice_id": invoice.invoice_id})
    return invoice, {"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": body, "MD5OfBody": "x"}


def _fails_once_noted(sandbox, monkeypatch, message, first_at, *, redelivered_at):
    """The delivery's first attempt (on November day, hour, minute) puts the PDF and fails
    as it notes the invoice sent; SQS delivers the same message again at ``redelivered_at``,
    which must then succeed."""
    repository = sandbox.runtime.repository
    save_invoice = repository.save_invoice

    def fails_when_noted(stored, *args, **kwargs):
        if stored.status is InvoiceStatus.SENT:
            raise ConnectionError("the network went away")
        return save_invoice(stored, *args, **kwargs)

    tz = sandbox.clock.now().tzinfo
    monkeypatch.setattr(repository, "save_invoice", fails_when_noted)
    sandbox.clock.set(datetime(2026, 11, *first_at, tzinfo=tz))
    first = sandbox.invoke("invoice_delivery", sandbox.sqs_event([message]))
    assert first == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    monkeypatch.setattr(repository, "save_invoice", save_invoice)
    sandbox.clock.set(datetime(2026, 11, *redelivered_at, tzinfo=tz))
    assert sandbox.invoke("invoice_delivery", sandbox.sqs_event([message])) == {
        "batchItemFailures": []
    }


def test_a_paper_invoice_retried_after_midnight_is_printed_once(sandbox, monkeypatch):
    """R38 (audit DELIVERY1): Given a paper invoice whose delivery at 23:58 put its PDF in
    the day's print batch and failed before noting it on the invoice, when SQS delivers
    the message again at 00:03, then one PDF of its kenmerk is in the print batches, in
    the first day's, and the invoice records that key: the patient gets one letter."""
    invoice, message = _paper_delivery(sandbox)
    repository = sandbox.runtime.repository

    _fails_once_noted(sandbox, monkeypatch, message, (23, 23, 58), redelivered_at=(24, 0, 3))

    key = f"print/2026-11-23/{PROVIDER}/{invoice.reference}.pdf"
    assert [k for k in sandbox.output_keys("print/") if invoice.reference in k] == [key]
    stored = repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert stored.status is InvoiceStatus.SENT
    assert [(c.kind, c.message_id) for c in stored.correspondence] == [("invoice", key)]


def _put_refused_once(sandbox, monkeypatch, invoice, message):
    """The delivery's first attempt, on Monday 23 November at 16:00, records that day's
    print batch on the paper invoice and fails as S3 refuses its PDF."""
    put = S3FileStore.put

    def s3_refused(files, key, body, content_type):
        if invoice.reference in key:
            raise ConnectionError("S3 did not answer")
        return put(files, key, body, content_type)

    monkeypatch.setattr(S3FileStore, "put", s3_refused)
    sandbox.clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=sandbox.clock.now().tzinfo))
    first = sandbox.invoke("invoice_delivery", sandbox.sqs_event([message]))
    assert first == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    monkeypatch.setattr(S3FileStore, "put", put)


def test_a_paper_invoice_whose_put_failed_goes_in_the_batch_of_its_redrive_days_later(
    sandbox, monkeypatch
):
    """R38, R7, legal-nl.md §2 (audit DELIVERY1, its redrive): Given a paper invoice whose
    delivery on Monday 23 November recorded that day's print batch and then failed before
    its PDF was put (S3 refused), when the dead-letter queue is redriven on Wednesday the
    25th, then one PDF of its kenmerk is in the print batches, in Wednesday's, with that
    batch's posting date, and the invoice records that key and day: Monday's batch may
    have been collected already, and the letter must be posted."""
    invoice, message = _paper_delivery(sandbox)
    _put_refused_once(sandbox, monkeypatch, invoice, message)
    sandbox.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=sandbox.clock.now().tzinfo))

    assert sandbox.invoke("invoice_delivery", sandbox.sqs_event([message])) == {
        "batchItemFailures": []
    }

    key = f"print/2026-11-25/{PROVIDER}/{invoice.reference}.pdf"
    assert [k for k in sandbox.output_keys("print/") if invoice.reference in k] == [key]
    posting = json.loads(sandbox.output_object(f"print/2026-11-25/{PROVIDER}/posting.json"))
    assert posting["batch_date"] == "2026-11-25"
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert stored.status is InvoiceStatus.SENT and stored.print_batch_day == date(2026, 11, 25)
    assert [(c.kind, c.message_id, c.at.date()) for c in stored.correspondence] == [
        ("invoice", key, date(2026, 11, 25))
    ]


def test_a_paper_invoice_put_before_a_crash_is_noted_days_later_and_not_put_again(
    sandbox, monkeypatch
):
    """R38 (audit DELIVERY1): Given a paper invoice whose delivery on Monday 23 November
    put its PDF in that day's print batch and failed before noting it, when the
    dead-letter queue is redriven on Wednesday the 25th, then its one PDF is the one in
    Monday's batch, put once (one version in the versioned bucket), and the invoice
    records that key: the patient gets the one letter posted."""
    invoice, message = _paper_delivery(sandbox)
    repository = sandbox.runtime.repository

    _fails_once_noted(sandbox, monkeypatch, message, (23, 16, 0), redelivered_at=(25, 9, 0))

    key = f"print/2026-11-23/{PROVIDER}/{invoice.reference}.pdf"
    assert [k for k in sandbox.output_keys("print/") if invoice.reference in k] == [key]
    versions = sandbox.runtime.s3.list_object_versions(
        Bucket=sandbox.names.output_bucket, Prefix=key
    )["Versions"]
    assert len(versions) == 1  # not put again
    stored = repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert stored.status is InvoiceStatus.SENT
    assert [(c.kind, c.message_id) for c in stored.correspondence] == [("invoice", key)]


def test_a_redrive_refused_a_look_in_the_print_batch_fails_and_puts_no_second_letter(
    sandbox, monkeypatch
):
    """R38, legal-nl.md §2 (known stop 37, Delivery): Given a paper invoice whose delivery
    on Monday 23 November recorded that day's print batch and then failed before its PDF
    was put, when the dead-letter queue is redriven on Wednesday the 25th and S3 answers
    the look for Monday's PDF AccessDenied (403: a role that may not look, nor list), then the
    record fails (SQS retries it, then the dead-letter queue) and nothing is put: a 403 is
    not "not there", which could print a letter already in Monday's batch again. When S3
    answers as the role in template.yaml gets it, 404 for the missing PDF, the next
    redrive puts it in Wednesday's batch."""
    invoice, message = _paper_delivery(sandbox)
    _put_refused_once(sandbox, monkeypatch, invoice, message)
    sandbox.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=sandbox.clock.now().tzinfo))
    events = sandbox.runtime.s3.meta.events

    def access_denied(**_):  # as botocore parses S3's answer to a HEAD it refuses
        error = {"Code": "403", "Message": "Forbidden"}
        return AWSResponse("", 403, {}, None), {
            "Error": error,
            "ResponseMetadata": {"HTTPStatusCode": 403},
        }

    # A role that may not look: neither the HEAD nor the listing that would tell a
    # missing key from a refused one (S3FileStore._not_there).
    looks = ("before-call.s3.HeadObject", "before-call.s3.ListObjectsV2")
    for look in looks:
        events.register_first(look, access_denied)
    try:
        refused = sandbox.invoke("invoice_delivery", sandbox.sqs_event([message]))
    finally:
        for look in looks:
            events.unregister(look, access_denied)

    assert refused == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert [k for k in sandbox.output_keys("print/") if invoice.reference in k] == []
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert stored.status is InvoiceStatus.PENDING_DELIVERY
    assert stored.print_batch_day == date(2026, 11, 23)

    assert sandbox.invoke("invoice_delivery", sandbox.sqs_event([message])) == {
        "batchItemFailures": []
    }
    key = f"print/2026-11-25/{PROVIDER}/{invoice.reference}.pdf"
    assert [k for k in sandbox.output_keys("print/") if invoice.reference in k] == [key]


def test_a_paper_invoice_put_before_a_crash_gets_its_batchs_posting_record_days_later(
    sandbox, monkeypatch
):
    """R38, R7, legal-nl.md §2 (known stop 37, Delivery): Given a paper invoice, the
    practice's first letter of Monday 23 November's print batch, whose delivery put its PDF
    and died before the batch's posting record (posting.json) was put, when the dead-letter
    queue is redriven on Wednesday the 25th, then Monday's batch has its posting record,
    dated by Monday, and the one PDF of the kenmerk is Monday's: the print house reads the
    batch by it, and the letter's term counts from that posting."""
    invoice, message = _paper_delivery(sandbox)
    put = S3FileStore.put

    def died_before_the_posting_record(files, key, body, content_type):
        if key.endswith("posting.json"):
            raise ConnectionError("the process ended between the two puts")
        return put(files, key, body, content_type)

    monkeypatch.setattr(S3FileStore, "put", died_before_the_posting_record)
    tz = sandbox.clock.now().tzinfo
    sandbox.clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=tz))
    first = sandbox.invoke("invoice_delivery", sandbox.sqs_event([message]))
    assert first == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert sandbox.output_keys("print/") == [f"print/2026-11-23/{PROVIDER}/{invoice.reference}.pdf"]
    monkeypatch.setattr(S3FileStore, "put", put)
    sandbox.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=tz))

    assert sandbox.invoke("invoice_delivery", sandbox.sqs_event([message])) == {
        "batchItemFailures": []
    }

    key = f"print/2026-11-23/{PROVIDER}/{invoice.reference}.pdf"
    posting = f"print/2026-11-23/{PROVIDER}/posting.json"
    assert sandbox.output_keys("print/") == [key, posting]
    assert json.loads(sandbox.output_object(posting))["batch_date"] == "2026-11-23"
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert [(c.kind, c.message_id) for c in stored.correspondence] == [("invoice", key)]


def test_a_non_contracted_provider_deducts_nothing(sandbox):
    sandbox.upload_declaration(PHYSIO.provider_id, "week-47.csv", declaration_csv(10))
    sandbox.drain_deliveries()
    invoices = _invoices(sandbox, PHYSIO.provider_id)
    assert invoices and all(i.reimbursed_cents == 0 for i in invoices)


def test_an_upload_for_an_unknown_provider_is_rejected_with_a_report(sandbox):
    sandbox.put_upload("incoming/onbekende-praktijk/D1/week-47.csv", declaration_csv(3))
    report = json.loads(sandbox.output_object("reports/onbekende-praktijk/D1.json"))
    assert report["outcome"] == "rejected"
    assert [f["code"] for f in report["findings"]] == ["UNKNOWN_PROVIDER"]
    assert sandbox.runtime.repository.list_invoices("onbekende-praktijk")[0] == []


def test_an_object_outside_the_upload_layout_is_ignored_without_a_crash(sandbox):
    answer = sandbox.put_upload("incoming/just-a-file.csv", declaration_csv(3))
    assert answer["processed"] == [{"outcome": "unroutable"}]
    assert sandbox.output_keys("reports/") == []


def test_insurer_bound_lines_land_in_the_insurer_claim_export(sandbox):
    # Given a VGZ-group patient's material line (legal-nl.md §6) and fully covered lines
    header = declaration_csv(1).decode().splitlines()[0]
    row = declaration_csv(1).decode().splitlines()[1].split(";")
    columns = header.split(";")
    row[columns.index("insurer_uzovi")] = "7095"
    row[columns.index("line_type")] = "material"
    row[columns.index("treatment_code")] = "M61"
    declaration_id = sandbox.upload_declaration(
        PROVIDER, "x.csv", f"{header}\n{';'.join(row)}\n".encode()
    )
    # Then no patient invoice, and one line in the export for VGZ (UZOVI 7095)
    export = sandbox.output_object(f"insurer-claims/{PROVIDER}/7095/{declaration_id}.csv").decode()
    assert len(export.splitlines()) == 2 and "material_vgz_group_insurer_first" in export
    assert _invoices(sandbox) == []


def test_a_file_over_the_line_limit_is_refused_whole_with_a_report(sandbox):
    # Given a declaration of 100,001 lines (the limit is 100,000 per file)
    declaration_id = sandbox.upload_declaration(PROVIDER, "year.csv", declaration_csv(100_001))
    # Then the report says to split it, and nothing was invoiced (R2)
    report = _report(sandbox, declaration_id)
    assert (report["status"], report["outcome"]) == ("rejected", "rejected")
    assert [f["code"] for f in report["findings"]] == ["FILE_TOO_MANY_LINES"]
    assert _invoices(sandbox) == [] and sandbox.drain_deliveries() == 0


def test_a_file_without_its_header_row_gets_a_report_without_the_patients_data(sandbox):
    """R2, R40, R29 (audit onboarding ONBOARDING5): a CSV saved without its column names
    is refused with its own finding; the stored report names no BSN, birth date or e-mail
    address of the line read as the header."""
    # Given the practice's export without its header row
    data = declaration_csv(2).split(b"\n", 1)[1]
    # When it is uploaded
    declaration_id = sandbox.upload_declaration(PROVIDER, "zonder-kop.csv", data)
    # Then the report refuses the file for that one reason, and nothing is invoiced
    report = _report(sandbox, declaration_id)
    assert (report["status"], report["outcome"]) == ("rejected", "rejected")
    assert [f["code"] for f in report["findings"]] == ["FILE_NO_HEADER"]
    assert _invoices(sandbox) == []
    # And neither the answer nor the stored report holds the first line's patient data
    (stored,) = sandbox.output_keys(f"reports/{PROVIDER}/")
    for text in (json.dumps(report), sandbox.output_object(stored).decode()):
        assert not [v for v in ("100000010", "1951-02-11", "patient1@example.org") if v in text]
