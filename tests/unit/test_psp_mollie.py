"""The Mollie adapter, through mollie-api-python 4.0 with the HTTP call replaced (R11)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from mollie.api.client import Client

from billing_core.adapters.mollie import MolliePsp, euros_text
from billing_core.payments.psp import (
    PaymentRequest,
    PspStatus,
    PspUnavailable,
    UnknownPspPayment,
    UnreadablePspPayment,
)

KENMERK = "32155743889456"


class FakeResponse:
    def __init__(self, status_code: int, payload: dict[str, Any]) -> None:
        self.status_code = status_code
        self._payload = payload
        self.headers = {"Content-Type": "application/hal+json"}
        self.text = json.dumps(payload)
        self.encoding = "utf-8"

    def json(self) -> dict[str, Any]:
        return self._payload


class RecordingClient(Client):
    """The real client; only the HTTP request is answered here, and recorded."""

    def __init__(self, *answers: FakeResponse) -> None:
        super().__init__()
        self.answers = list(answers)
        self.requests: list[dict[str, Any]] = []

    def perform_http_call(self, http_method, path, data=None, params=None, idempotency_key=""):  # type: ignore[override]
        self.requests.append(
            {"method": http_method, "path": path, "data": data, "idempotency_key": idempotency_key}
        )
        return self.answers.pop(0)


def mollie_payment(status: str = "paid", value: str = "33.17", **extra: Any) -> dict[str, Any]:
    payment = {
        "resource": "payment",
        "id": "tr_WDqYK6vllg",
        "mode": "test",
        "status": status,
        "amount": {"value": value, "currency": "EUR"},
        "description": f"Nota {KENMERK}",
        "method": "ideal",
        "metadata": {"kenmerk": KENMERK},
        "createdAt": "2026-11-24T09:15:00+00:00",
        "_links": {
            "checkout": {
                "href": "https://www.mollie.com/checkout/select-issuer/ideal/7UhSN1zuXS",
                "type": "text/html",
            }
        },
    }
    if status == "paid":
        payment["paidAt"] = "2026-11-24T09:16:41+00:00"
    return payment | extra


def psp_with(*answers: FakeResponse) -> tuple[MolliePsp, RecordingClient]:
    client = RecordingClient(*answers)
    return MolliePsp(api_key=lambda: "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM", client=client), client


def test_a_payment_is_created_for_ideal_in_euros_with_the_kenmerk_in_the_metadata():
    psp, client = psp_with(FakeResponse(201, mollie_payment("open")))
    request = PaymentRequest(
        amount_cents=3317,
        description=f"Nota {KENMERK}",
        reference=KENMERK,
        redirect_url=f"https://zorgnota.example.org/?kenmerk={KENMERK}",
        webhook_url="https://zorgnota.example.org/webhooks/psp",
    )
    checkout = psp.create_payment(request, idempotency_key="zn-key-1")
    [request] = client.requests
    assert (request["method"], request["path"], request["idempotency_key"]) == (
        "POST",
        "payments",
        "zn-key-1",
    )
    assert request["data"] == {
        "amount": {"currency": "EUR", "value": "33.17"},
        "description": f"Nota {KENMERK}",
        "redirectUrl": f"https://zorgnota.example.org/?kenmerk={KENMERK}",
        "webhookUrl": "https://zorgnota.example.org/webhooks/psp",
        "method": "ideal",
        "metadata": {"kenmerk": KENMERK},
    }
    assert checkout.psp_payment_id == "tr_WDqYK6vllg"
    assert checkout.checkout_url.startswith("https://www.mollie.com/checkout/")


def test_a_paid_payment_reads_back_in_cents_with_its_kenmerk_and_moment():
    psp, client = psp_with(FakeResponse(200, mollie_payment("paid", "33.17")))
    payment = psp.get_payment("tr_WDqYK6vllg")
    assert client.requests[0]["path"] == "payments/tr_WDqYK6vllg"
    assert (payment.status, payment.amount_cents, payment.reference) == (
        PspStatus.PAID,
        3317,
        KENMERK,
    )
    assert payment.paid_at == datetime(2026, 11, 24, 9, 16, 41, tzinfo=UTC)


@pytest.mark.parametrize("status", ["open", "pending", "canceled", "expired", "failed"])
def test_every_mollie_status_is_understood(status):
    psp, _ = psp_with(FakeResponse(200, mollie_payment(status)))
    payment = psp.get_payment("tr_WDqYK6vllg")
    assert payment.status == status and payment.paid_at is None


def test_an_id_mollie_does_not_know_is_an_unknown_payment():
    not_found = {
        "status": 404,
        "title": "Not Found",
        "detail": "No payment exists with token tr_nope.",
    }
    psp, _ = psp_with(FakeResponse(404, not_found))
    with pytest.raises(UnknownPspPayment):
        psp.get_payment("tr_nope")


def test_an_id_that_is_not_a_payment_id_is_unknown_without_asking_mollie():
    psp, client = psp_with()
    with pytest.raises(UnknownPspPayment):
        psp.get_payment("ord_kEn1PlbGa")
    assert client.requests == []


def test_a_mollie_error_is_unavailable_so_the_webhook_is_retried():
    psp, _ = psp_with(
        FakeResponse(503, {"status": 503, "title": "Service Unavailable", "detail": "x"})
    )
    with pytest.raises(PspUnavailable):
        psp.get_payment("tr_WDqYK6vllg")


def test_a_payment_in_another_currency_is_not_understood():
    psp, _ = psp_with(
        FakeResponse(200, mollie_payment(amount={"value": "10.00", "currency": "USD"}))
    )
    with pytest.raises(PspUnavailable):
        psp.get_payment("tr_WDqYK6vllg")


def test_a_refund_is_posted_to_the_payments_refunds():
    refund = {
        "resource": "refund",
        "id": "re_4qqhO89gsT",
        "amount": {"value": "5.00", "currency": "EUR"},
        "status": "pending",
    }
    psp, client = psp_with(FakeResponse(201, refund))
    assert psp.refund("tr_WDqYK6vllg", 500, f"Terugbetaling teveel betaald {KENMERK}") == (
        "re_4qqhO89gsT",
        "pending",
    )
    [request] = client.requests
    assert (request["method"], request["path"]) == ("POST", "payments/tr_WDqYK6vllg/refunds")
    assert request["data"]["amount"] == {"currency": "EUR", "value": "5.00"}


def test_a_refunds_status_is_read_from_the_payments_refund():
    """R13: what Mollie answers for a refund that failed after it was processed (its
    Refunds API: queued, pending, processing, refunded, failed, canceled)."""
    refund = {
        "resource": "refund",
        "id": "re_4qqhO89gsT",
        "mode": "live",
        "amount": {"currency": "EUR", "value": "5.00"},
        "description": f"Terugbetaling teveel betaald, nota {KENMERK}",
        "metadata": None,
        "status": "failed",
        "paymentId": "tr_WDqYK6vllg",
        "createdAt": "2026-11-24T09:17:02+00:00",
        "_links": {
            "self": {
                "href": "https://api.mollie.com/v2/payments/tr_WDqYK6vllg/refunds/re_4qqhO89gsT",
                "type": "application/hal+json",
            },
            "payment": {
                "href": "https://api.mollie.com/v2/payments/tr_WDqYK6vllg",
                "type": "application/hal+json",
            },
        },
    }
    psp, client = psp_with(FakeResponse(200, refund))
    assert psp.refund_status("tr_WDqYK6vllg", "re_4qqhO89gsT") == "failed"
    [request] = client.requests
    assert (request["method"], request["path"]) == (
        "GET",
        "payments/tr_WDqYK6vllg/refunds/re_4qqhO89gsT",
    )


def test_a_refunds_status_mollie_cannot_give_is_unavailable_so_the_webhook_is_retried():
    error = {"status": 500, "title": "Internal Server Error", "detail": "try later"}
    psp, _ = psp_with(FakeResponse(500, error))
    with pytest.raises(PspUnavailable):
        psp.refund_status("tr_WDqYK6vllg", "re_4qqhO89gsT")


def test_the_api_key_is_read_on_first_use_not_at_a_cold_start():
    read = []
    MolliePsp(api_key=lambda: read.append(1) or "test_x", client=RecordingClient())
    assert read == []


@pytest.mark.parametrize(
    ("cents", "text"), [(1, "0.01"), (3317, "33.17"), (100, "1.00"), (123456789, "1234567.89")]
)
def test_amounts_go_to_mollie_with_two_decimals(cents, text):
    assert euros_text(cents) == text


@pytest.mark.parametrize("cents", [0, -100])
def test_nothing_or_a_negative_amount_is_never_sent(cents):
    with pytest.raises(ValueError):
        euros_text(cents)


@pytest.mark.parametrize(
    "answer",
    [
        {"amount": {"value": "10.00", "currency": "USD"}},
        {"amount": {"value": "ten", "currency": "EUR"}},
        {"amount": None},
        {"status": "settled"},
    ],
    ids=["another_currency", "amount_unreadable", "no_amount", "unknown_status"],
)
def test_r11_a_payment_mollie_answers_but_we_cannot_read_is_unreadable_not_unavailable(answer):
    """R11, R39 (audit psp3 #1): given Mollie answers with a payment not in euros, an amount
    we cannot read or a status we do not know, when the webhook reads it, then that is
    UnreadablePspPayment: asking again gives the same answer, so the webhook answers it
    200 and alarms instead of a 503 Mollie retries for days. It is still a
    PspUnavailable to every other caller (the bank's return page: "cannot check now")."""
    psp, _ = psp_with(FakeResponse(200, mollie_payment() | answer))
    with pytest.raises(UnreadablePspPayment) as raised:
        psp.get_payment("tr_WDqYK6vllg")
    assert isinstance(raised.value, PspUnavailable)
    assert KENMERK not in str(raised.value)


def test_r11_a_mollie_outage_is_not_an_unreadable_payment():
    """R11: a 503 from Mollie is PspUnavailable only, so the webhook answers 503 and Mollie
    calls again."""
    psp, _ = psp_with(
        FakeResponse(503, {"status": 503, "title": "Service Unavailable", "detail": "x"})
    )
    with pytest.raises(PspUnavailable) as raised:
        psp.get_payment("tr_WDqYK6vllg")
    assert not isinstance(raised.value, UnreadablePspPayment)


def test_r11_r27_what_mollie_refunded_or_charged_back_reads_in_cents_and_absent_is_none():
    """R11, R27 (brief psp4: ``payment_from_mollie`` ignored them, so a refund in Mollie's
    dashboard or a chargeback went unnoticed).
    Given Mollie answers with a paid payment with amountRefunded and amountChargedBack, and
    one without either
    When the webhook reads them
    Then both are in cents on the PspPayment; absent is 0."""
    psp, _ = psp_with(
        FakeResponse(
            200,
            mollie_payment(
                "paid",
                "33.17",
                amountRefunded={"value": "10.00", "currency": "EUR"},
                amountChargedBack={"value": "23.17", "currency": "EUR"},
            ),
        ),
        FakeResponse(200, mollie_payment("paid", "33.17")),
    )
    both = psp.get_payment("tr_WDqYK6vllg")
    assert (both.refunded_cents, both.charged_back_cents, both.paid_back_cents) == (
        1000,
        2317,
        3317,
    )
    neither = psp.get_payment("tr_WDqYK6vllg")
    assert (neither.refunded_cents, neither.charged_back_cents) == (0, 0)


@pytest.mark.parametrize("field", ["amountRefunded", "amountChargedBack"])
@pytest.mark.parametrize(
    "amount",
    [{"value": "10.00", "currency": "USD"}, {"value": "ten", "currency": "EUR"}, "10.00"],
    ids=["another_currency", "amount_unreadable", "not_an_amount"],
)
def test_r11_a_refunded_or_charged_back_amount_we_cannot_read_is_unreadable(field, amount):
    """R11, R39 (brief psp4, as psp3 #1 for the amount): given Mollie answers with a
    refunded or charged back amount not in euros or not understood, when the webhook reads
    it, then the payment is UnreadablePspPayment (answered 200 and alarmed), never read as
    0, which would hide the money that left; its message names no kenmerk."""
    psp, _ = psp_with(FakeResponse(200, mollie_payment() | {field: amount}))
    with pytest.raises(UnreadablePspPayment) as raised:
        psp.get_payment("tr_WDqYK6vllg")
    assert KENMERK not in str(raised.value)
