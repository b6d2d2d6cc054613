"""Functional tests run the real handlers on moto, with resources built from template.yaml."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import NamedTuple

import boto3
import pytest

from billing_core.invoices.invoice import Channel, Invoice
from billing_core.payments.booking import IncomingPayment, book_payment
from local.generate import declaration_csv
from local.sandbox import REGION, Caller, Sandbox
from local.seed import DENTAL
from tests.functional import iam_audit
from tests.functional.documented_answers import checking_every_answer

TODAY = date(2026, 11, 23)
MONDAY_AFTER_W48 = date(2026, 11, 30)  # the sandbox starts on Monday 23 November (2026-W48)
SAMPLES = Path(__file__).resolve().parents[2] / "events" / "declarations"


@pytest.fixture(autouse=True)
def calls_within_the_templates_roles(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Then (every test): each AWS call a handler made is allowed by its role in
    template.yaml, so a least-privilege role that is too narrow fails here (#13.7)."""
    with iam_audit.recording(monkeypatch) as recorder:
        yield
    recorder.assert_allowed()


@pytest.fixture(autouse=True)
def answers_as_documented(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Then (every test): each answer an API gave is one its OpenAPI document describes,
    status, content type and body (interfaces.md §2; audit contract52: reads answering a
    409 or 503 their documents did not name)."""
    with checking_every_answer(monkeypatch):
        yield


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(TODAY) as box:
        yield box


@pytest.fixture
def function_log(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], io.StringIO]:
    """``function_log(name)``: what that function's Powertools logger writes from then on.
    Every Logger of the service shares one handler, bound to the stdout of whichever test
    made the first (capsys would miss it): its stream is swapped for a buffer."""

    def capture(function: str) -> io.StringIO:
        buffer = io.StringIO()
        monkeypatch.setattr(sandbox.handler(function).logger.logger_handler, "stream", buffer)
        return buffer

    return capture


def emitted_metrics(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, function: str
) -> dict[str, float]:
    """The metrics ``function`` adds from then on, name -> sum of the values (locally
    they go nowhere)."""
    emitted: dict[str, float] = {}

    def add_metric(name: str, unit: object, value: float, **_: object) -> None:
        emitted[name] = emitted.get(name, 0) + value

    monkeypatch.setattr(sandbox.handler(function).metrics, "add_metric", add_metric)
    return emitted


def idempotency_records_expired(sandbox: Sandbox) -> None:
    """What DynamoDB's TTL does to Powertools' records of the S3 notifications after
    IDEMPOTENCY_SECONDS (7 days), or what a released record leaves: nothing."""
    dynamodb = boto3.resource("dynamodb", region_name=REGION)
    table = dynamodb.Table(sandbox.names.idempotency_table_name)
    for item in table.scan()["Items"]:
        table.delete_item(Key={"id": item["id"]})


class Watched(NamedTuple):
    """What a function counts (metric -> sum) and logs from a moment on."""

    emitted: dict[str, float]
    log: io.StringIO


def watched_with_records_expired(
    sandbox: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
    function_log: Callable[[str], io.StringIO],
    function: str,
) -> Watched:
    """Given (R3): the idempotency records gone, so that a delivery again reaches
    ``function``, whose metrics and log are watched from now on."""
    watched = Watched(emitted_metrics(sandbox, monkeypatch, function), function_log(function))
    idempotency_records_expired(sandbox)
    return watched


def assert_only_counted_delivered_again(watched: Watched, deliveries: int = 1) -> None:
    """Then (R3, R39): each delivery again counted as ``UploadsDeliveredAgain`` and
    nothing else, with no error line (nobody must act)."""
    assert watched.emitted == {"UploadsDeliveredAgain": deliveries}
    assert '"ERROR"' not in watched.log.getvalue()  # the sandbox's log: warnings and errors


def delivered_dental_week(
    sandbox: Sandbox, rows: int, file_name: str = "week-47.csv"
) -> list[Invoice]:
    """Given the dental practice's declaration of ``rows`` lines uploaded as ``file_name``
    and its invoices delivered (e-mailed or printed): the invoices, as the repository
    lists them."""
    sandbox.upload_declaration(DENTAL.provider_id, file_name, declaration_csv(rows))
    sandbox.drain_deliveries()
    return sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0]


def lines_of_patient(declaration: bytes, patient_ref: str) -> bytes:
    """The header and ``patient_ref``'s lines of ``declaration`` (local.generate's CSV),
    unchanged: a smaller file that makes that patient's invoices alone, with the same
    lines and amounts (their ids, derived from the file, differ)."""
    header, *rows = declaration.decode("utf-8").splitlines()
    kept = [row for row in rows if row.split(";")[1] == patient_ref]
    assert kept, patient_ref
    return "\n".join([header, *kept, ""]).encode("utf-8")


def emailed(invoices: list[Invoice]) -> list[Invoice]:
    """Those of ``invoices`` sent by e-mail (their patients have an address), in order."""
    return [i for i in invoices if i.channel is Channel.EMAIL]


@pytest.fixture
def emailed_invoice(sandbox: Sandbox) -> Invoice:
    """An invoice of the dental practice, sent by e-mail (its patient has an address)."""
    return emailed(delivered_dental_week(sandbox, 8))[0]


@pytest.fixture
def emailed_dental_invoices(sandbox: Sandbox) -> list[Invoice]:
    """Given the dental practice's week of six invoices uploaded (week-47.csv) and
    delivered: the ones sent by e-mail, as listed."""
    return emailed(delivered_dental_week(sandbox, 6))


@pytest.fixture
def paid_week(sandbox):
    """Given the dental practice's invoices of Monday 23 November, one paid by transfer the
    same day, and the clock on the Monday after (retrocession statements, payouts)."""
    invoices = delivered_dental_week(sandbox, 8, "week-48.csv")
    invoice = emailed(invoices)[0]
    transfer = IncomingPayment("bank", "E2E-48-1", invoice.amount_due_cents, sandbox.clock.now())
    book_payment(sandbox.runtime.repository, invoice.reference, transfer, clock=sandbox.clock)
    sandbox.clock.set(MONDAY_AFTER_W48)
    return invoices, invoice


def withdrawn_once_though_sent_thrice(
    sandbox: Sandbox, withdraw: str, why: dict[str, str], key: dict[str, str]
) -> dict:
    """When an operator (operator-bob) withdraws a money-out batch at ``withdraw`` with the
    reason ``why``, retries it with the same Idempotency-Key ``key``, then withdraws it again
    without one; Then it is withdrawn once, saying who and why (R24, R34, R38): the batch
    as the first answer gave it."""
    bob = Caller.operator("operator-bob")
    answers = [
        sandbox.api("POST", withdraw, caller=bob, body=why, headers=key),
        sandbox.api("POST", withdraw, caller=bob, body=why, headers=key),
        sandbox.api("POST", withdraw, caller=bob, body=why),
    ]
    assert [status for status, _ in answers] == [200, 200, 200]
    withdrawn = answers[0][1]
    assert answers[2][1] == withdrawn and withdrawn["state"] == "withdrawn"
    step = withdrawn["steps"][-1]
    assert (step["what"], step["by"], step["reason"]) == (
        "withdrawn",
        "operator-bob",
        why["reason"],
    )
    return withdrawn


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def atomic_conditional_writes(monkeypatch):
    """DynamoDB checks a condition and writes as one step; moto checks, parses, then
    writes, so two threads can both pass the check. Give moto DynamoDB's guarantee, so
    the test below is about our retry, not about moto."""
    from moto.dynamodb.models.table import Table

    lock = threading.Lock()
    put_item = Table.put_item

    def atomic_put_item(self, *args, **kwargs):
        with lock:
            return put_item(self, *args, **kwargs)

    monkeypatch.setattr(Table, "put_item", atomic_put_item)


@pytest.fixture
def queue_fails_once(sandbox, monkeypatch):
    """A function: once called, the delivery queue refuses the next message (SQS answered
    Failed, or it throttled) and takes every one after it. A change saved before it
    answers a 5xx, and its Idempotency-Key is released (R38)."""
    queue = sandbox.runtime.delivery_queue
    real_enqueue = queue.enqueue
    failures: list[Exception] = []

    def enqueue(requests):
        if failures:
            raise failures.pop()
        return real_enqueue(requests)

    def fail_next() -> None:
        failures.append(RuntimeError("1 delivery messages were not queued"))

    monkeypatch.setattr(queue, "enqueue", enqueue)
    return fail_next
