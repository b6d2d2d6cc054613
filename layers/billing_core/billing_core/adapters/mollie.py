"""Mollie as the PaymentProvider, through mollie-api-python 4.0 (R11, R13).

Only iDEAL, only euros. The description Mollie shows the patient and the bank carries
the kenmerk and nothing personal (R29). The API key is read when the first call needs
it, so a cold start of a function that never pays online does not fetch the secret.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import Any

from mollie.api.client import Client
from mollie.api.error import Error as MollieError
from mollie.api.error import IdentifierError, NotFoundError
from mollie.api.objects.payment import Payment

from billing_core.payments.psp import (
    PaymentRequest,
    PspCheckout,
    PspPayment,
    PspStatus,
    PspUnavailable,
    UnknownPspPayment,
    UnknownPspRefund,
    UnreadablePspPayment,
)
from billing_core.shared.money import AmountFormatError, parse_euros

CURRENCY = "EUR"
METADATA_KEY = "kenmerk"


def euros_text(cents: int) -> str:
    """12345 -> "123.45": Mollie wants the amount as a string with exactly two decimals."""
    if cents <= 0:
        raise ValueError("a payment or refund is for a positive amount")
    return f"{cents // 100}.{cents % 100:02d}"


class MolliePsp:
    def __init__(self, api_key: Callable[[], str], client: Client | None = None) -> None:
        """api_key: called once, on first use (Secrets Manager when deployed)."""
        self._api_key = api_key
        self._given_client = client

    @cached_property
    def _client(self) -> Client:
        client = self._given_client or Client()
        client.set_api_key(self._api_key())
        return client

    def create_payment(self, request: PaymentRequest, idempotency_key: str) -> PspCheckout:
        data = {
            "amount": {"currency": CURRENCY, "value": euros_text(request.amount_cents)},
            "description": request.description,
            "redirectUrl": request.redirect_url,
            "webhookUrl": request.webhook_url,
            "method": "ideal",
            "metadata": {METADATA_KEY: request.reference},
        }
        payment = self._call(
            lambda: self._client.payments.create(data, idempotency_key=idempotency_key)
        )
        # An ended payment (a repeated idempotency key) has no checkout URL any more.
        return PspCheckout(
            psp_payment_id=payment.id,
            checkout_url=payment.checkout_url or "",
            status=PspStatus(payment.status),
        )

    def get_payment(self, psp_payment_id: str) -> PspPayment:
        try:
            payment = self._client.payments.get(psp_payment_id)
        except (IdentifierError, NotFoundError) as error:
            raise UnknownPspPayment(psp_payment_id) from error
        except MollieError as error:
            raise PspUnavailable(type(error).__name__) from error
        return payment_from_mollie(payment)

    def refund(self, psp_payment_id: str, amount_cents: int, description: str) -> tuple[str, str]:
        # A Payment with only its id is enough to reach /payments/{id}/refunds.
        payment = Payment({"id": psp_payment_id}, self._client)  # type: ignore[no-untyped-call]
        data = {
            "amount": {"currency": CURRENCY, "value": euros_text(amount_cents)},
            "description": description,
        }
        refund = self._call(lambda: payment.refunds.create(data))
        return str(refund.id), str(refund.status)

    def refund_status(self, psp_payment_id: str, refund_id: str) -> str:
        payment = Payment({"id": psp_payment_id}, self._client)  # type: ignore[no-untyped-call]
        try:
            refund = payment.refunds.get(refund_id)
        except (IdentifierError, NotFoundError) as error:
            # Not a refund id (IdentifierError: no re_ prefix) or none of this payment (404).
            raise UnknownPspRefund(refund_id) from error
        except MollieError as error:
            raise PspUnavailable(type(error).__name__) from error
        return str(refund.status)

    @staticmethod
    def _call(request: Callable[[], Any]) -> Any:
        try:
            return request()
        except MollieError as error:
            # The message may echo request data; the type is enough to act on.
            raise PspUnavailable(type(error).__name__) from error


def payment_from_mollie(payment: Payment | dict[str, Any]) -> PspPayment:
    """Mollie's payment resource -> PspPayment. Anything not in euros, an amount or a status
    not understood is UnreadablePspPayment: Mollie answered, and will answer the same again
    (R11; audit psp3 #1)."""
    cents = _cents(payment.get("amount"))
    try:
        status = PspStatus(payment["status"])
    except (KeyError, ValueError) as error:
        raise UnreadablePspPayment("status not understood") from error
    metadata = payment.get("metadata") or {}
    paid_at = payment.get("paidAt")
    try:
        paid = datetime.fromisoformat(paid_at) if paid_at else None
    except (TypeError, ValueError) as error:
        raise UnreadablePspPayment("paidAt not understood") from error
    return PspPayment(
        psp_payment_id=str(payment["id"]),
        status=status,
        amount_cents=cents,
        reference=str(metadata.get(METADATA_KEY, "")) if isinstance(metadata, dict) else "",
        paid_at=paid,
        # Refunded or charged back at the PSP, ours or not (R11, R27; brief psp4): absent
        # is none; one we cannot read is the payment's: not understood.
        refunded_cents=_cents(payment.get("amountRefunded"), absent=0),
        charged_back_cents=_cents(payment.get("amountChargedBack"), absent=0),
    )


def _cents(amount: Any, absent: int | None = None) -> int:
    """Mollie's amount object ({"currency": "EUR", "value": "10.25"}) in cents; None (not
    in the answer) is ``absent`` when given. Anything else not in euros or not understood
    is UnreadablePspPayment, its message naming no amount."""
    if amount is None and absent is not None:
        return absent
    currency = amount.get("currency") if isinstance(amount, dict) else None
    if not isinstance(amount, dict) or currency != CURRENCY:
        # The currency as a short repr only: it comes from outside.
        raise UnreadablePspPayment(f"payment in {str(currency)[:8]!r}, not {CURRENCY}")
    try:
        return parse_euros(str(amount["value"]))
    except (AmountFormatError, KeyError) as error:
        raise UnreadablePspPayment("amount not understood") from error
