"""iDEAL through the fake PSP and the real webhook handler, on moto (R11, R13)."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import boto3
import pytest

from billing_core.invoices.access import BirthDate
from billing_core.invoices.ledger import EntryKind
from billing_core.payments.online import start_payment
from billing_core.payments.psp import PspStatus
from local.generate import declaration_csv
from local.sandbox import Caller
from local.seed import DENTAL

PROVIDER = DENTAL.provider_id


@pytest.fixture
def invoice(sandbox):
    """One e-mailed invoice of the dental practice, as ingest made it."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(3))
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    return next(i for i in invoices if i.addressee.email)


def start(sandbox, invoice):
    """What POST /api/v1/invoices/{reference}/payments does."""
    return start_payment(
        invoice.reference, BirthDate(invoice.birth_date), sandbox.runtime.online_payment_context()
    )


def reread(sandbox, invoice):
    return sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)


def payments(invoice):
    return [e for e in invoice.ledger if e.kind is EntryKind.PAYMENT]


def test_paying_by_ideal_leaves_nothing_due(sandbox, invoice):
    # Given an invoice with an amount due, and a checkout started for it
    due = invoice.amount_due_cents
    checkout = start(sandbox, invoice)
    # When the patient presses "pay" at the (fake) PSP, which calls the webhook
    answer = sandbox.complete_psp_payment(checkout.psp_payment_id, "paid")
    # Then the webhook answers 200, and the invoice is paid in full (R11)
    assert answer["statusCode"] == 200
    paid = reread(sandbox, invoice)
    assert paid.amount_due_cents == 0 and paid.is_paid
    assert [e.amount_cents for e in payments(paid)] == [-due]
    # And the checkout remembers the PSP's final status
    assert (
        sandbox.runtime.payment_links.get_checkout(checkout.psp_payment_id).status is PspStatus.PAID
    )


def test_a_replayed_webhook_changes_nothing(sandbox, invoice):
    # Given a paid and booked checkout
    checkout = start(sandbox, invoice)
    sandbox.complete_psp_payment(checkout.psp_payment_id, "paid")
    booked = reread(sandbox, invoice)
    # When the same webhook is posted again, twice
    replay = sandbox.runtime.psp.webhook(checkout.psp_payment_id)
    answers = [sandbox.post_psp_webhook(replay.body) for _ in range(2)]
    # Then both are answered 200, and the invoice is exactly as it was
    assert [a["statusCode"] for a in answers] == [200, 200]
    assert reread(sandbox, invoice) == booked


@pytest.mark.parametrize("status", ["canceled", "expired"])
def test_a_canceled_or_expired_checkout_changes_nothing(sandbox, invoice, status):
    checkout = start(sandbox, invoice)
    answer = sandbox.complete_psp_payment(checkout.psp_payment_id, status)
    assert answer["statusCode"] == 200
    assert reread(sandbox, invoice) == invoice


def test_a_forged_webhook_for_an_unknown_payment_is_answered_200_and_changes_nothing(
    sandbox, invoice
):
    # Given a webhook for an id this service never started (Mollie's advice: answer 200,
    # so a prober learns nothing)
    answer = sandbox.post_psp_webhook("id=tr_forged00001")
    # Then 200, with the same body as any other webhook, and no invoice changed
    assert (answer["statusCode"], answer["body"]) == (200, "OK")
    assert reread(sandbox, invoice) == invoice


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "application/json"])
def test_what_a_webhook_body_claims_is_never_believed(sandbox, invoice, content_type):
    # Given an open checkout, and a request that claims it was paid, and how much
    checkout = start(sandbox, invoice)
    claim = {"id": checkout.psp_payment_id, "status": "paid", "amount": "9999.99"}
    body = json.dumps(claim) if content_type == "application/json" else urlencode(claim)
    # When it is posted to the webhook
    answer = sandbox.post_psp_webhook(body, content_type)
    # Then only the id is used: the PSP says "open", and nothing changes
    assert answer["statusCode"] == 200
    assert reread(sandbox, invoice) == invoice


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("", "application/x-www-form-urlencoded", 400),
        ("id=", "application/x-www-form-urlencoded", 400),
        ("id=../../etc/passwd", "application/x-www-form-urlencoded", 400),
        ("id=" + "tr_" + "a" * 500, "application/x-www-form-urlencoded", 400),
        ("id=tr_WDqYK6vllg", "text/xml", 415),
    ],
)
def test_a_malformed_webhook_is_refused_in_the_shared_error_shape(
    sandbox, invoice, body, content_type, status
):
    answer = sandbox.post_psp_webhook(body, content_type)
    assert answer["statusCode"] == status
    assert '"error"' in answer["body"]
    assert reread(sandbox, invoice) == invoice


def test_a_paid_amount_other_than_asked_is_booked_as_paid(sandbox, invoice):
    # Given the PSP reports less paid than was asked (never trusted from a redirect)
    due = invoice.amount_due_cents
    checkout = start(sandbox, invoice)
    sandbox.complete_psp_payment(checkout.psp_payment_id, "paid", amount_cents=due - 100)
    # Then what the PSP says was paid is booked, and € 1,00 is still due
    assert reread(sandbox, invoice).amount_due_cents == 100


def test_an_overpayment_by_ideal_is_refunded_through_the_psp_once(sandbox, invoice):
    # Given an invoice with an amount due, and the PSP reporting € 7,50 more paid (R11)
    due = invoice.amount_due_cents
    checkout = start(sandbox, invoice)
    # When the patient pays and the PSP calls the webhook
    answer = sandbox.complete_psp_payment(checkout.psp_payment_id, "paid", amount_cents=due + 750)
    # Then the webhook answers 200: the payment is booked, € 7,50 of it as credit (R13)
    assert answer["statusCode"] == 200
    after = reread(sandbox, invoice)
    assert sorted(e.amount_cents for e in payments(after)) == sorted([-due, -750])
    # And the credit is paid back on that PSP payment, and the ledger says so (R27)
    [refund_id] = sandbox.runtime.psp.refunds(checkout.psp_payment_id)
    [refund] = [e for e in after.ledger if e.kind is EntryKind.REFUND]
    assert (refund.amount_cents, refund.cause, refund.note) == (
        750,
        f"psp:{checkout.psp_payment_id}",
        f"refund:{refund_id}",
    )
    assert (after.amount_due_cents, after.credit_cents) == (0, 0)
    # When the webhook is replayed
    replay = sandbox.runtime.psp.webhook(checkout.psp_payment_id)
    assert sandbox.post_psp_webhook(replay.body)["statusCode"] == 200
    # Then nothing more is refunded, and the invoice is exactly as it was
    assert sandbox.runtime.psp.refunds(checkout.psp_payment_id) == (refund_id,)
    assert reread(sandbox, invoice) == after


def test_r13_a_psp_refund_that_fails_later_is_held_again_and_listed_for_a_bank_refund(
    sandbox, invoice
):
    """R13 (kept and refunded, never dropped), R34, R39: given an overpayment of € 7,50 by
    iDEAL refunded through the PSP and booked
    When the refund fails at the PSP (the patient's account closed) and Mollie calls the
    payment's webhook
    Then the € 7,50 is held for the patient again, and the operator's list of held
    credits shows it refundable by bank (no second PSP refund)."""
    due = invoice.amount_due_cents
    checkout = start(sandbox, invoice)
    sandbox.complete_psp_payment(checkout.psp_payment_id, "paid", amount_cents=due + 750)
    [refund_id] = sandbox.runtime.psp.refunds(checkout.psp_payment_id)

    told = sandbox.runtime.psp.end_refund(checkout.psp_payment_id, refund_id, "failed")
    assert sandbox.post_psp_webhook(told.body)["statusCode"] == 200

    after = reread(sandbox, invoice)
    assert [e.amount_cents for e in after.ledger if e.kind is EntryKind.REFUND] == [750, -750]
    assert after.credit_cents == 750
    status, held = sandbox.api(
        "GET", "/api/v1/operator/refunds", caller=Caller.operator("operator-anna")
    )
    [item] = held["items"]
    assert (status, item["credit_cents"], item["by_bank_cents"]) == (200, 750, 750)
    assert sandbox.runtime.psp.refunds(checkout.psp_payment_id) == (refund_id,)


def test_the_payment_confirmation_is_queued_once_for_the_patient(sandbox, invoice):
    # Given an e-mailed invoice paid by iDEAL, and the webhook replayed
    checkout = start(sandbox, invoice)
    sandbox.complete_psp_payment(checkout.psp_payment_id, "paid")
    sandbox.post_psp_webhook(f"id={checkout.psp_payment_id}")
    # Then one "payment received" message about this payment waits for the delivery function
    confirmations = [body for body in queued(sandbox) if body["kind"] == "payment_received"]
    assert confirmations == [
        {
            "provider_id": PROVIDER,
            "invoice_id": invoice.invoice_id,
            "kind": "payment_received",
            "event_id": f"psp:{checkout.psp_payment_id}",
            # Started through the API, with no page language: the invoice's (R9).
            "language": "",
        }
    ]


def queued(sandbox):
    sqs = boto3.client("sqs", region_name="eu-central-1")
    url = sandbox.resources.delivery_queue_url
    bodies = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        bodies += [json.loads(m["Body"]) for m in messages]
    return bodies


def test_r11_a_paid_checkout_whose_invoice_is_gone_is_answered_200_and_alarmed(
    sandbox, invoice, monkeypatch, capsys, caplog
):
    """R11, R13, legal-nl.md §8 (stop 42 small5 item 4: the webhook answered 500, so Mollie
    retried for days, and nothing said that real money had no invoice to land on).
    Given a checkout started for an invoice that is no longer kept by the time the patient
    pays (its kenmerk finds nothing: retention ended, legal-nl.md §8)
    When Mollie calls the webhook with the payment paid, and again (its retry)
    Then each is answered 200 with the usual body (no retry storm, nothing a prober
    learns); the metric Webhook_invoice_gone counts it for its alarm, an error log line
    names the payment and the invoice by id and amount only (no kenmerk, name or account);
    the checkout is not marked paid, so a replay once the invoice is found books it."""
    from tests.functional.test_refunds import emitted_metrics

    checkout = start(sandbox, invoice)
    store = sandbox.runtime.repository
    monkeypatch.setattr(store, "find_invoice_by_reference", lambda *_a, **_k: None)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    capsys.readouterr()

    first = sandbox.complete_psp_payment(checkout.psp_payment_id, "paid")
    again = sandbox.post_psp_webhook(sandbox.runtime.psp.webhook(checkout.psp_payment_id).body)

    assert [(a["statusCode"], a["body"]) for a in (first, again)] == [(200, "OK"), (200, "OK")]
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert emitted_metrics(printed.splitlines())["Webhook_invoice_gone"] == [1.0, 1.0]
    [logged, _] = [r for r in caplog.records if "no invoice to book it on" in r.getMessage()]
    assert logged.levelno == logging.ERROR
    assert (logged.psp_payment_id, logged.invoice_id) == (  # type: ignore[attr-defined]
        checkout.psp_payment_id,
        invoice.invoice_id,
    )
    assert logged.amount_paid_cents == invoice.amount_due_cents  # type: ignore[attr-defined]
    said = printed + "".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for personal in (invoice.reference, invoice.patient.last_name, invoice.addressee.email):
        assert personal not in said
    stored = sandbox.runtime.payment_links.get_checkout(checkout.psp_payment_id)
    assert stored.status is not PspStatus.PAID
    monkeypatch.undo()
    sandbox.post_psp_webhook(sandbox.runtime.psp.webhook(checkout.psp_payment_id).body)
    assert reread(sandbox, invoice).is_paid


@pytest.mark.parametrize(
    "amount",
    [{"currency": "USD", "value": "10.25"}, {"currency": "EUR", "value": "ten"}],
    ids=["not_in_euros", "amount_unreadable"],
)
def test_r11_r39_a_psp_answer_we_cannot_read_is_answered_200_and_alarmed(
    sandbox, invoice, monkeypatch, capsys, caplog, amount
):
    """R11, R39 (audit psp3 #1: it raised PspUnavailable, so the webhook answered 503 and
    Mollie retried until it gave up; never booked, and the only trace a warning "psp
    unavailable").
    Given a checkout paid at the PSP, whose answer (Mollie's payment resource, read by the
    real adapter) is not in euros, or has an amount we cannot read
    When Mollie calls the webhook, and again (its retry)
    Then each is answered 200 with the usual body (asking again gives the same answer);
    Webhook_unreadable_payment counts it for its alarm; an error log line names the
    payment and the invoice by id only, never the kenmerk, name or e-mail; nothing is
    booked and the checkout is not marked paid (a replay once it is put right books it)."""
    from billing_core.adapters.mollie import payment_from_mollie
    from tests.functional.test_refunds import emitted_metrics

    checkout = start(sandbox, invoice)
    psp = sandbox.runtime.psp
    psp.complete(checkout.psp_payment_id, "paid")
    real_get = psp.get_payment

    def as_mollie_answers(psp_payment_id):
        read = real_get(psp_payment_id)
        resource = {
            "id": psp_payment_id,
            "status": "paid",
            "amount": amount,
            "metadata": {"kenmerk": read.reference},
            "paidAt": read.paid_at.isoformat(),
        }
        return payment_from_mollie(resource)

    monkeypatch.setattr(psp, "get_payment", as_mollie_answers)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    capsys.readouterr()

    body = psp.webhook(checkout.psp_payment_id).body
    answers = [sandbox.post_psp_webhook(body) for _ in range(2)]

    assert [(a["statusCode"], a["body"]) for a in answers] == [(200, "OK"), (200, "OK")]
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert emitted_metrics(printed.splitlines())["Webhook_unreadable_payment"] == [1.0, 1.0]
    [logged, _] = [r for r in caplog.records if "could not be read" in r.getMessage()]
    assert logged.levelno == logging.ERROR
    assert (logged.psp_payment_id, logged.invoice_id) == (  # type: ignore[attr-defined]
        checkout.psp_payment_id,
        invoice.invoice_id,
    )
    said = printed + "".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for personal in (invoice.reference, invoice.patient.last_name, invoice.addressee.email):
        assert personal not in said
    assert payments(reread(sandbox, invoice)) == []
    stored = sandbox.runtime.payment_links.get_checkout(checkout.psp_payment_id)
    assert stored.status is not PspStatus.PAID
    monkeypatch.undo()  # put right: the replay books it once
    sandbox.post_psp_webhook(body)
    assert reread(sandbox, invoice).is_paid


def test_r11_a_psp_that_cannot_be_reached_still_gets_a_503_so_it_retries(sandbox, invoice):
    """R11: given a paid checkout, when the PSP cannot be reached as the webhook asks it
    (a timeout, a 5xx: PspUnavailable), then the answer stays 503 so Mollie calls again,
    and nothing is booked; once it answers, the retry books it."""
    from billing_core.payments.psp import PspUnavailable

    checkout = start(sandbox, invoice)
    psp = sandbox.runtime.psp
    body = psp.complete(checkout.psp_payment_id, "paid").body
    real_get = psp.get_payment

    def down(_psp_payment_id):
        raise PspUnavailable("ConnectionError")

    psp.get_payment = down
    try:
        assert sandbox.post_psp_webhook(body)["statusCode"] == 503
    finally:
        psp.get_payment = real_get
    assert payments(reread(sandbox, invoice)) == []
    assert sandbox.post_psp_webhook(body)["statusCode"] == 200
    assert reread(sandbox, invoice).is_paid


@pytest.mark.parametrize("moved", ["refund_in_dashboard", "charge_back"])
def test_r11_r27_a_payment_refunded_or_charged_back_at_the_psp_is_alarmed_not_booked(
    sandbox, invoice, monkeypatch, capsys, caplog, moved
):
    """R11, R27, R34, R39 (brief psp4; audit psp3 b4: the webhook answered
    ``already_booked``, the ledger still showed the invoice paid, nobody was told).
    Given an invoice paid in full by iDEAL and booked
    When € 4,00 of the payment is refunded in the PSP's dashboard (not through us), or
    charged back by the patient's bank, and Mollie calls the payment's webhook, and again
    Then each is answered 200; Webhook_refunded_at_psp counts it for its alarm; an error
    line names the payment, the invoice and the 400 cents not on the ledger, by id only
    (no kenmerk, name or e-mail); nothing is booked (an owner decides how), the invoice
    still reads as it was."""
    from tests.functional.test_refunds import emitted_metrics

    checkout = start(sandbox, invoice)
    sandbox.complete_psp_payment(checkout.psp_payment_id, "paid")
    booked = reread(sandbox, invoice)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    capsys.readouterr()

    told = getattr(sandbox.runtime.psp, moved)(checkout.psp_payment_id, 400)
    answers = [sandbox.post_psp_webhook(told.body) for _ in range(2)]

    assert [(a["statusCode"], a["body"]) for a in answers] == [(200, "OK"), (200, "OK")]
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert emitted_metrics(printed.splitlines())["Webhook_refunded_at_psp"] == [1.0, 1.0]
    logged = [r for r in caplog.records if "not on the ledger" in r.getMessage()]
    assert [r.levelno for r in logged] == [logging.ERROR, logging.ERROR]
    assert (
        logged[0].psp_payment_id,  # type: ignore[attr-defined]
        logged[0].invoice_id,  # type: ignore[attr-defined]
        logged[0].paid_back_not_booked_cents,  # type: ignore[attr-defined]
    ) == (checkout.psp_payment_id, invoice.invoice_id, 400)
    said = printed + "".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for personal in (invoice.reference, invoice.patient.last_name, invoice.addressee.email):
        assert personal not in said
    assert reread(sandbox, invoice) == booked


def test_r13_r27_our_own_psp_refund_is_on_the_ledger_so_only_the_rest_is_alarmed(sandbox, invoice):
    """R13, R27 (brief psp4: only the part not on our ledger counts).
    Given an overpayment of € 7,50 by iDEAL that we refunded through the PSP and booked
    (the fake PSP reports it in amountRefunded, as Mollie does)
    When Mollie calls the payment's webhook again
    Then that is ALREADY_BOOKED: our own refund is on the ledger
    When € 3,00 more is refunded in the PSP's dashboard and the webhook is called
    Then that is REFUNDED_AT_PSP for 300 cents, not 1050."""
    from billing_core.payments.online import WebhookDecision, handle_psp_webhook

    due = invoice.amount_due_cents
    checkout = start(sandbox, invoice)
    sandbox.complete_psp_payment(checkout.psp_payment_id, "paid", amount_cents=due + 750)
    psp, ctx = sandbox.runtime.psp, sandbox.runtime.online_payment_context()
    assert psp.get_payment(checkout.psp_payment_id).refunded_cents == 750

    again = handle_psp_webhook(checkout.psp_payment_id, ctx)
    assert (again.decision, again.paid_back_not_booked_cents) == (
        WebhookDecision.ALREADY_BOOKED,
        0,
    )

    psp.refund_in_dashboard(checkout.psp_payment_id, 300)
    flagged = handle_psp_webhook(checkout.psp_payment_id, ctx)
    assert (flagged.decision, flagged.paid_back_not_booked_cents) == (
        WebhookDecision.REFUNDED_AT_PSP,
        300,
    )


def test_r13_a_psp_refund_of_ours_that_failed_is_not_alarmed_as_refunded_at_the_psp(
    sandbox, invoice
):
    """R13, R27 (brief psp4): given an overpayment of € 7,50 refunded through the PSP and
    booked, when that refund fails at the PSP and Mollie calls the webhook, then the refund
    is undone on the ledger (the credit held again) and nothing is refunded at the PSP
    that the ledger lacks: the outcome is not REFUNDED_AT_PSP."""
    from billing_core.payments.online import WebhookDecision, handle_psp_webhook

    due = invoice.amount_due_cents
    checkout = start(sandbox, invoice)
    sandbox.complete_psp_payment(checkout.psp_payment_id, "paid", amount_cents=due + 750)
    psp = sandbox.runtime.psp
    [refund_id] = psp.refunds(checkout.psp_payment_id)
    psp.end_refund(checkout.psp_payment_id, refund_id, "failed")

    outcome = handle_psp_webhook(checkout.psp_payment_id, sandbox.runtime.online_payment_context())

    assert outcome.decision is WebhookDecision.ALREADY_BOOKED
    assert reread(sandbox, invoice).credit_cents == 750
    assert psp.get_payment(checkout.psp_payment_id).refunded_cents == 0
