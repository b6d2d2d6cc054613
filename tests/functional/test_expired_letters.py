"""legal-nl.md §8: "Invoices, their ledgers, letters and retrocession statements are kept
7 years after the end of the year they were settled (fiscal obligation), then deleted."
The table's TTL removes a settled invoice then; its letters' PDFs go with it, by the
billing table's stream (audit delivery D6: an age rule deleted them 8 years after they
were written, whatever the year the claim was settled)."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime

import boto3
import pytest

from billing_core.adapters.dynamo import keys
from billing_core.correspondence.kept_letters import LettersDeleted
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import Channel, Correspondence
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.providers.actions import ActionKind, OpenAction
from billing_core.services.patient import file_objection
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.lambda_context import LocalLambdaContext
from local.sandbox import REGION, sample_event
from local.seed import DENTAL

PROVIDER = DENTAL.provider_id
ANOTHER_PRACTICE = "fysio-centrum"  # a key under another practice's prefix is never deleted


@pytest.fixture
def posted(sandbox):
    """Given the dental practice's invoices of 23 November 2026, the paper ones posted in
    the day's print batch, and one of them with an e-mailed reminder of 5 January 2027
    kept under letters/."""
    sandbox.upload_declaration(PROVIDER, "week-48.csv", declaration_csv(40))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER, limit=100)
    paper = [i for i in invoices if i.channel is Channel.PAPER]
    assert len(paper) >= 2
    invoice = paper[0]
    reminder_key = f"letters/{PROVIDER}/{invoice.reference}-dunning_reminder-2027-01-05.pdf"
    sandbox.runtime.output_files.put(reminder_key, b"%PDF reminder", "application/pdf")
    letter = Correspondence(
        "dunning_reminder",
        Channel.EMAIL,
        datetime(2027, 1, 5, 9, tzinfo=AMSTERDAM),
        "ses-message-1",
        kept_key=reminder_key,
    )
    repository = sandbox.runtime.repository
    repository.save_invoice(
        repository.get_invoice(PROVIDER, invoice.invoice_id).with_letter(letter)
    )
    return invoice, paper[1], reminder_key


def settle(sandbox, invoice, on: date):
    sandbox.clock.set(on)
    payment = IncomingPayment(
        "bank", f"E2E-{invoice.reference}", invoice.amount_due_cents, sandbox.clock.now()
    )
    book_payment(sandbox.runtime.repository, invoice.reference, payment, clock=sandbox.clock)


def test_letters_are_kept_until_7_years_after_the_year_of_settling_then_deleted(sandbox, posted):
    """legal-nl.md §8, audit delivery D6: a reminder of 5 January 2027 for a claim settled
    on 1 June 2030 is kept until 31 December 2037 (the age rule deleted it on 5 January
    2035), and deleted with its invoice when the TTL removes it; the other invoices' letters
    and the print batch's posting record stay."""
    invoice, other, reminder_key = posted
    invoice_pdf = f"print/2026-11-23/{PROVIDER}/{invoice.reference}.pdf"
    other_pdf = f"print/2026-11-23/{PROVIDER}/{other.reference}.pdf"
    settle(sandbox, invoice, date(2030, 6, 1))

    # When the day comes the 8-year age rule used to delete the reminder
    sandbox.clock.set(date(2035, 1, 5))
    answer = sandbox.expire_items()
    # Then nothing of the invoice expired: its letters are kept
    assert answer["invoices"] == 0
    assert {invoice_pdf, other_pdf} <= set(sandbox.output_keys("print/"))
    assert sandbox.output_keys("letters/") == [reminder_key]

    # When the TTL removes the invoice on the first day after its 7th year after 2030
    sandbox.clock.set(date(2037, 12, 31))
    assert sandbox.expire_items()["invoices"] == 0
    sandbox.clock.set(date(2038, 1, 1))
    answer = sandbox.expire_items()
    # Then its posted invoice and its e-mailed reminder are deleted, nothing else
    assert answer == {
        "invoices": 1,
        "deleted": 2,
        "kept_for_another_invoice": 0,
        "left_to_backstop": 0,
        "actions_expired": 0,  # it had none
    }
    printed = sandbox.output_keys("print/")
    assert invoice_pdf not in printed
    assert other_pdf in printed and f"print/2026-11-23/{PROVIDER}/posting.json" in printed
    assert sandbox.output_keys("letters/") == []
    assert sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id) is None


def test_the_use_case_the_handler_calls_says_it_deletes_letters_and_expires_actions(
    sandbox, posted
):
    """legal-nl.md §8 (letters deleted with their invoice) and R23 (its open actions go
    with it): Given a paper invoice with its posted PDF, its kept reminder and an open
    action about it, when the expired-letters function's use case runs for it as the TTL
    removed it, then both happen, and its name says both (it was ``delete_letters``)."""
    invoice, _, reminder_key = posted
    repository = sandbox.runtime.repository
    stored = repository.get_invoice(PROVIDER, invoice.invoice_id)
    details = {"event": "bounce", "todo": "check_the_address"}
    repository.add_action(
        OpenAction.about(stored, ActionKind.BOUNCE, "bounce-1", sandbox.clock.now(), details)
    )
    app = sandbox.handler("expired_letters")

    done = app.delete_letters_and_expire_actions(stored)

    assert done == LettersDeleted(deleted=2, actions_expired=1)
    assert not hasattr(app, "delete_letters")
    assert reminder_key not in sandbox.output_keys("letters/")


def ttl_record(**changes):
    record = sample_event("expired_letters/ttl-removed-invoice.json")["Records"][0]
    for path, value in changes.items():
        *parents, name = path.split(".")
        place = record
        for parent in parents:
            place = place[parent]
        if value is None:
            place.pop(name)
        else:
            place[name] = value
    return record


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(ttl_record(**{"eventName": "MODIFY"}), id="a change, not a removal"),
        pytest.param(ttl_record(userIdentity=None), id="removed by a caller, not by the TTL"),
        pytest.param(
            ttl_record(**{"dynamodb.OldImage.entity": {"S": "reference"}}),
            id="another kind of item",
        ),
    ],
)
def test_only_an_invoice_the_ttl_removed_deletes_letters(sandbox, record):
    """legal-nl.md §8: only the end of an invoice's retention ends its letters' (the stream
    mapping filters on the same; template.yaml)."""
    key = record["dynamodb"]["OldImage"]["correspondence"]["L"][0]["M"]["message_id"]["S"]
    sandbox.runtime.output_files.put(key, b"%PDF invoice", "application/pdf")
    answer = sandbox.invoke("expired_letters", {"Records": [record]})
    assert answer["invoices"] == 0 and answer["deleted"] == 0
    assert sandbox.output_keys("print/") == [key]


def test_the_sample_ttl_removal_deletes_the_invoices_posted_pdf_only(sandbox):
    """Given the sample stream record (events/expired_letters) and its invoice's PDF in the
    print batch, next to another invoice's and another practice's key of the same name
    When the handler gets it
    Then only that invoice's PDF is deleted (R26: a letter names only its practice's keys)."""
    record = ttl_record()
    key = record["dynamodb"]["OldImage"]["correspondence"]["L"][0]["M"]["message_id"]["S"]
    others = [
        key.replace(".pdf", "0.pdf"),
        key.replace(PROVIDER, ANOTHER_PRACTICE),
    ]
    for name in (key, *others):
        sandbox.runtime.output_files.put(name, b"%PDF", "application/pdf")
    foreign = copy.deepcopy(record)
    letter = foreign["dynamodb"]["OldImage"]["correspondence"]["L"][0]["M"]
    letter["message_id"]["S"] = others[1]
    answer = sandbox.invoke("expired_letters", {"Records": [record, foreign]})
    assert answer["invoices"] == 2 and answer["deleted"] == 1
    assert sorted(sandbox.output_keys("print/")) == sorted(others)


def test_a_batch_that_failed_for_good_is_replayed_from_its_failure_record(sandbox, monkeypatch):
    """legal-nl.md §8, R29, R39 (audit NEWCOMER1): a stream batch that failed on every
    retry leaves a record in ExpiredLettersFailureQueue with only its place in the stream;
    the invoice is gone from the table by then.
    Given a settled e-mailed invoice with an objection (the patient's message and e-mail
    address) and a letter kept of it, and DynamoDB failing the actions' update throughout
    When the TTL removes the invoice
    Then the batch fails and the failure queue holds a record without any of the invoice
    When the operator invokes the function with that record (README, "Redrive")
    Then the function reads the batch from the stream: the objection gets its expiry and
    the letter is deleted."""
    sandbox.upload_declaration(PROVIDER, "week-48.csv", declaration_csv(8))
    sandbox.drain_deliveries()
    repository = sandbox.runtime.repository
    invoices, _ = repository.list_invoices(PROVIDER)
    invoice = next(i for i in invoices if i.channel is Channel.EMAIL)
    file_objection(
        invoice.reference,
        BirthDate(invoice.birth_date),
        "amount",
        "Ik was er niet.",
        "p@example.org",
        sandbox.runtime.patient_context(),
    )
    letter_key = f"letters/{PROVIDER}/{invoice.reference}-dunning_reminder-2027-01-05.pdf"
    sandbox.runtime.output_files.put(letter_key, b"%PDF reminder", "application/pdf")
    letter = Correspondence(
        "dunning_reminder",
        Channel.EMAIL,
        datetime(2027, 1, 5, 9, tzinfo=AMSTERDAM),
        "ses-message-1",
        kept_key=letter_key,
    )
    repository.save_invoice(
        repository.get_invoice(PROVIDER, invoice.invoice_id).with_letter(letter)
    )
    settle(sandbox, invoice, date(2027, 2, 1))
    sandbox.clock.set(date(2035, 1, 1))

    def throttled(*_):
        raise RuntimeError("ProvisionedThroughputExceededException")

    with monkeypatch.context() as failing:
        failing.setattr(type(repository), "expire_invoice_actions", throttled)
        with pytest.raises(RuntimeError):
            sandbox.expire_items()
    assert repository.get_invoice(PROVIDER, invoice.invoice_id) is None
    sqs = boto3.client("sqs", region_name=REGION)
    queue_url = sandbox.resources.queue_urls["ExpiredLettersFailureQueue"]
    [message] = sqs.receive_message(QueueUrl=queue_url)["Messages"]
    assert invoice.reference not in message["Body"] and "p@example.org" not in message["Body"]

    answer = sandbox.invoke("expired_letters", json.loads(message["Body"]))

    assert answer["batch_in_stream"] is True
    assert answer["invoices"] == 1 and answer["actions_expired"] == 1 and answer["deleted"] == 1
    [objection] = repository.invoice_actions(PROVIDER, invoice.invoice_id)
    item = repository._table.get_item(Key=keys.action_key(PROVIDER, objection.action_id))["Item"]
    assert item["details"]["email"] == "p@example.org"  # until the TTL removes it, shortly
    assert item["expires_at"] <= int(sandbox.clock.now().timestamp())
    assert letter_key not in sandbox.output_keys("letters/")


def test_a_failure_record_the_stream_no_longer_holds_says_so(sandbox):
    """R39: after 24 hours the stream has dropped the batch; the replay says so (and the
    README sends the operator to the expired-invoice-actions migration) instead of failing."""
    record = sample_event("expired_letters/failed-batch.json")
    app = sandbox.handler("expired_letters")
    handler = app.expired_letters_handler(
        lambda invoice: pytest.fail("nothing to delete"),
        read_failed_batch=lambda _: None,  # TrimmedDataAccessException (moto cannot trim)
        logger=app.logger,
        metrics=app.metrics,
    )
    answer = handler(record, LocalLambdaContext(function_name="zorgnota-local-expired_letters"))
    assert answer == {"records_replayed": 0, "batch_in_stream": False}
