"""An in-memory PSP for tests and ``make serve``: Mollie's behaviour without Mollie.

The checkout URL points at the local server (``/_local/psp/checkout/{id}``), where a
person presses "pay" or "cancel"; that route calls ``complete`` and delivers the
``FakeWebhook`` it returns to ``/webhooks/psp``, as Mollie would: a form post with the
payment id and nothing else. Like Mollie, a final status never changes again and a
repeated idempotency key returns the payment created first.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from billing_core.payments.psp import (
    REFUND_NOT_PAID,
    PaymentRequest,
    PspCheckout,
    PspPayment,
    PspStatus,
    UnknownPspPayment,
    UnknownPspRefund,
)
from billing_core.shared.clock import Clock

# What the local checkout page may set; "open" is where every payment starts.
COMPLETIONS = frozenset({PspStatus.PAID, PspStatus.CANCELED, PspStatus.EXPIRED, PspStatus.FAILED})


@dataclass(frozen=True, slots=True)
class FakeWebhook:
    """The request Mollie would send: POST ``url`` with ``body`` (form-encoded)."""

    url: str
    body: str
    content_type: str = "application/x-www-form-urlencoded"


@dataclass(slots=True)
class _Stored:
    payment: PspPayment
    request: PaymentRequest
    refunded_cents: int = 0
    refunds: list[str] = field(default_factory=list)
    refund_statuses: dict[str, str] = field(default_factory=dict)  # id -> Mollie's status
    refund_amounts: dict[str, int] = field(default_factory=dict)  # id -> cents
    charged_back_cents: int = 0


class PaymentAlreadyFinal(ValueError):
    """The payment is paid, canceled, expired or failed already: it stays that way."""


class FakePsp:
    def __init__(self, public_base_url: str, clock: Clock) -> None:
        self._base_url = public_base_url.rstrip("/")
        self._clock = clock
        self._payments: dict[str, _Stored] = {}
        self._by_idempotency_key: dict[str, str] = {}
        self._numbers = itertools.count(1)

    # --- PaymentProvider -----------------------------------------------------------------

    def create_payment(self, request: PaymentRequest, idempotency_key: str) -> PspCheckout:
        if request.amount_cents <= 0:
            raise ValueError("a payment is for a positive amount")
        if idempotency_key in self._by_idempotency_key:
            return self._checkout(self._by_idempotency_key[idempotency_key])
        psp_payment_id = f"tr_fake{next(self._numbers):06d}"
        amount_cents, reference = request.amount_cents, request.reference
        payment = PspPayment(psp_payment_id, PspStatus.OPEN, amount_cents, reference, None)
        self._payments[psp_payment_id] = _Stored(payment, request)
        self._by_idempotency_key[idempotency_key] = psp_payment_id
        return self._checkout(psp_payment_id)

    def get_payment(self, psp_payment_id: str) -> PspPayment:
        """As Mollie answers: with what was refunded (amountRefunded: every refund that did
        not fail or was canceled, ours or one made in the dashboard) and charged back."""
        stored = self._stored(psp_payment_id)
        refunded = sum(
            cents
            for refund_id, cents in stored.refund_amounts.items()
            if stored.refund_statuses[refund_id] not in REFUND_NOT_PAID
        )
        return replace(
            stored.payment,
            refunded_cents=refunded,
            charged_back_cents=stored.charged_back_cents,
        )

    def refund(self, psp_payment_id: str, amount_cents: int, description: str) -> tuple[str, str]:
        stored = self._stored(psp_payment_id)
        if stored.payment.status is not PspStatus.PAID:
            raise ValueError("only a paid payment can be refunded")
        if not 0 < amount_cents <= stored.payment.amount_cents - stored.refunded_cents:
            raise ValueError("a refund is positive and at most what is left of the payment")
        stored.refunded_cents += amount_cents
        refund_id = f"re_fake{next(self._numbers):06d}"
        stored.refunds.append(refund_id)
        stored.refund_statuses[refund_id] = "pending"  # as Mollie answers a new refund
        stored.refund_amounts[refund_id] = amount_cents
        return refund_id, "pending"

    def refund_in_dashboard(self, psp_payment_id: str, amount_cents: int) -> FakeWebhook:
        """Someone refunded (part of) the payment in the PSP's dashboard, not through us;
        returns the webhook Mollie then calls: the payment's."""
        self.refund(psp_payment_id, amount_cents, "in the dashboard")
        return self.webhook(psp_payment_id)

    def charge_back(self, psp_payment_id: str, amount_cents: int) -> FakeWebhook:
        """The patient's bank took (part of) the payment back (a chargeback); returns the
        webhook Mollie then calls: the payment's."""
        stored = self._stored(psp_payment_id)
        if stored.payment.status is not PspStatus.PAID:
            raise ValueError("only a paid payment can be charged back")
        stored.charged_back_cents += amount_cents
        return self.webhook(psp_payment_id)

    def refund_status(self, psp_payment_id: str, refund_id: str) -> str:
        statuses = self._stored(psp_payment_id).refund_statuses
        if refund_id not in statuses:
            raise UnknownPspRefund(refund_id)
        return statuses[refund_id]

    def end_refund(self, psp_payment_id: str, refund_id: str, status: str) -> FakeWebhook:
        """The refund moved on at the PSP (``failed``: the patient's account was closed);
        returns the webhook Mollie then calls: the payment's, with its id."""
        self._stored(psp_payment_id).refund_statuses[refund_id] = status
        return self.webhook(psp_payment_id)

    # --- what the local checkout page does -------------------------------------------------

    def complete(
        self, psp_payment_id: str, status: PspStatus | str, *, amount_cents: int | None = None
    ) -> FakeWebhook:
        """The patient paid (or gave up): set the final status; returns the webhook to fire.

        ``amount_cents`` makes the PSP report another amount than was asked, so tests can
        show that the webhook books what was paid and reports the difference (R11).
        """
        status = PspStatus(status)
        if status not in COMPLETIONS:
            raise ValueError(f"a checkout ends paid, canceled, expired or failed, not {status}")
        stored = self._stored(psp_payment_id)
        if stored.payment.status.is_final:
            raise PaymentAlreadyFinal(psp_payment_id)
        paid_at = self._clock.now() if status is PspStatus.PAID else None
        amount = stored.payment.amount_cents if amount_cents is None else amount_cents
        stored.payment = replace(
            stored.payment, status=status, paid_at=paid_at, amount_cents=amount
        )
        return self.webhook(psp_payment_id)

    def webhook(self, psp_payment_id: str) -> FakeWebhook:
        """The webhook call for this payment (again): what a replay would send."""
        stored = self._stored(psp_payment_id)
        return FakeWebhook(stored.request.webhook_url, urlencode({"id": psp_payment_id}))

    def redirect_url(self, psp_payment_id: str) -> str:
        """Where the local checkout page sends the patient back to."""
        return self._stored(psp_payment_id).request.redirect_url

    def description(self, psp_payment_id: str) -> str:
        return self._stored(psp_payment_id).request.description

    def refunds(self, psp_payment_id: str) -> tuple[str, ...]:
        return tuple(self._stored(psp_payment_id).refunds)

    # --- plumbing -----------------------------------------------------------------------------

    def _checkout(self, psp_payment_id: str) -> PspCheckout:
        status = self._stored(psp_payment_id).payment.status
        url = "" if status.is_final else f"{self._base_url}/_local/psp/checkout/{psp_payment_id}"
        return PspCheckout(psp_payment_id, url, status)

    def _stored(self, psp_payment_id: str) -> _Stored:
        try:
            return self._payments[psp_payment_id]
        except KeyError:
            raise UnknownPspPayment(psp_payment_id) from None
