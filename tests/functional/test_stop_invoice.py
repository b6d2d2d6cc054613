"""POST /api/v1/provider/invoices/{id}/stop (R21, R26, R28)."""

from __future__ import annotations

import json
import threading
from datetime import datetime

import pytest

from billing_core.invoices.invoice import Channel
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.sandbox import EVENTS
from local.seed import DENTAL, PHYSIO


@pytest.fixture
def invoice(sandbox):
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(20))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return max(
        (i for i in invoices if i.channel is Channel.EMAIL), key=lambda i: i.amount_due_cents
    )


def _stop(sandbox, invoice, provider=DENTAL.provider_id, **body):
    payload = {
        "scope": "partial",
        "reason": "non_contracted_coulance",
        "patient_email": invoice.addressee.email,
        "accept_terms": True,
    } | body
    return sandbox.api(
        "POST",
        f"/api/v1/provider/invoices/{invoice.invoice_id}/stop",
        provider_id=provider,
        body=payload,
    )


def test_a_partial_stop_by_percentage_lowers_the_amount_and_mails_the_patient(sandbox, invoice):
    # When the practice stops 40% of the original amount
    status, detail = _stop(sandbox, invoice, percentage="40")
    expected = invoice.amount_due_cents - round(invoice.original_amount_cents * 0.4)
    # Then the invoice shows the coulance and the new amount, and the checker agrees
    assert status == 200 and detail["amount_due"] == expected
    assert detail["ledger"][-1]["kind"] == "coulance"
    assert (
        sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")[1]["amount_due"]
        == expected
    )
    # And the patient gets an e-mail with the new amount and a pay link, not a new invoice
    sandbox.drain_deliveries()
    mails = [m for m in sandbox.outbox() if m["kenmerk"] == invoice.reference]
    assert len(mails) == 2 and "verlaagd" in mails[-1]["subject"]
    assert not mails[-1]["attachments"]


def test_a_partial_stop_for_an_address_that_bounced_is_confirmed_by_letter(sandbox, invoice):
    """R21, R7, legal-nl.md §7: Given an e-mailed invoice whose address SES reported as
    bounced permanently, when the practice stops part of it (the form shows that address),
    then the delivery puts a letter with the lowered amount in the day's print batch,
    noted on the invoice, and nothing more is e-mailed."""
    event = json.loads((EVENTS / "ses_events" / "bounce.json").read_text())
    event["detail"]["mail"]["tags"]["kenmerk"] = [invoice.reference]
    event["detail"]["bounce"]["bouncedRecipients"][0]["emailAddress"] = invoice.addressee.email
    sandbox.invoke("ses_events", event)
    mails_before = len(sandbox.outbox())

    status, detail = _stop(sandbox, invoice, amount=500)
    sandbox.drain_deliveries()

    assert status == 200 and detail["amount_due"] == invoice.amount_due_cents - 500
    day = sandbox.clock.today().isoformat()
    key = f"print/{day}/{DENTAL.provider_id}/{invoice.reference}-stop_confirmation.pdf"
    assert sandbox.output_object(key).startswith(b"%PDF")
    assert len(sandbox.outbox()) == mails_before
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    (letter,) = [c for c in stored.correspondence if c.kind == "stop_confirmation"]
    assert (letter.channel, letter.message_id) == (Channel.PAPER, key)


def test_a_full_stop_leaves_nothing_to_pay(sandbox, invoice):
    status, detail = _stop(sandbox, invoice, scope="full", reason="administrative_error")
    assert status == 200 and detail["amount_due"] == 0 and detail["payment_status"] == "paid"


def test_a_paid_invoice_cannot_be_stopped_and_the_answer_says_why(sandbox, invoice):
    paid = IncomingPayment("bank", "E-1", invoice.amount_due_cents, sandbox.clock.now())
    book_payment(sandbox.runtime.repository, invoice.reference, paid, clock=sandbox.clock)
    status, body = _stop(sandbox, invoice, amount=100)
    assert status == 409 and body["error"]["code"] == "fully_paid"


def test_terms_must_be_accepted_and_the_reason_comes_from_the_list(sandbox, invoice):
    assert (
        _stop(sandbox, invoice, amount=100, accept_terms=False)[1]["error"]["code"]
        == "terms_not_accepted"
    )
    assert _stop(sandbox, invoice, amount=100, reason="zomaar")[0] == 400


def test_another_provider_cannot_stop_it(sandbox, invoice):
    status, _ = _stop(sandbox, invoice, provider=PHYSIO.provider_id, amount=100)
    assert status == 404
    assert (
        sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id).ledger
        == invoice.ledger
    )


@pytest.mark.usefixtures("atomic_conditional_writes")
def test_a_stop_and_a_payment_at_the_same_moment_both_land(sandbox, invoice):
    # Given a patient paying 10.00 while the practice stops 5.00 (R28)
    errors: list[BaseException] = []

    def pay() -> None:
        try:
            payment = IncomingPayment(
                "bank", "E-2", 1000, datetime(2026, 11, 23, 9, tzinfo=AMSTERDAM)
            )
            book_payment(
                sandbox.runtime.repository, invoice.reference, payment, clock=sandbox.clock
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def stop() -> None:
        try:
            assert _stop(sandbox, invoice, amount=500)[0] == 200
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=pay), threading.Thread(target=stop)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # Then neither is lost
    after = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    assert errors == []
    assert after.amount_due_cents == invoice.amount_due_cents - 1500
    assert {e.kind.value for e in after.ledger} >= {"payment", "coulance"}


def test_a_hold_pauses_and_shows_in_the_checker_for_at_most_60_days(sandbox, invoice):
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/hold"
    status, body = sandbox.api(
        "POST",
        path,
        provider_id=DENTAL.provider_id,
        body={"until": "2027-02-01", "reason": "bezwaar"},
    )
    assert status == 422 and body["error"]["code"] == "hold_out_of_range"  # 70 days ahead
    status, detail = sandbox.api(
        "POST",
        path,
        provider_id=DENTAL.provider_id,
        body={"until": "2027-01-10", "reason": "bezwaar"},
    )
    assert status == 200 and detail["state"] == "on_hold"
    assert (
        sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")[1]["state"] == "on_hold"
    )
    status, _ = sandbox.api(
        "POST", path, provider_id=PHYSIO.provider_id, body={"until": "2027-01-10", "reason": "x"}
    )
    assert status == 404
