"""The payment service provider (PSP) behind an interface (R11, R13).

The use cases in ``billing_core.online_payments`` talk to this protocol only: Mollie in
production (``psp/mollie.py``), an in-memory fake for tests and ``make serve``
(``psp/fake.py``). Amounts are int cents in euros, like everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class PspStatus(StrEnum):
    """Mollie's payment states; only PAID means money arrived (R11)."""

    OPEN = "open"
    PENDING = "pending"
    AUTHORIZED = "authorized"
    PAID = "paid"
    CANCELED = "canceled"
    EXPIRED = "expired"
    FAILED = "failed"

    @property
    def is_final(self) -> bool:
        return self in _FINAL

    @property
    def ended_unpaid(self) -> bool:
        """Canceled, expired or failed: it will never be paid, so it blocks nothing."""
        return self in _ENDED_UNPAID


_ENDED_UNPAID = frozenset({PspStatus.CANCELED, PspStatus.EXPIRED, PspStatus.FAILED})
_FINAL = _ENDED_UNPAID | {PspStatus.PAID}

# A refund's status at Mollie is one of queued, pending, processing, refunded, failed,
# canceled (its Refunds API). Failed (after processing: the account closed, say) or
# canceled (in its dashboard, before processing): nothing reached the patient, and the
# money is back in our balance. Strings, not an enum: read on the webhook's rare path.
# Refunded, failed and canceled are final: such a refund never changes again, so it is not
# asked again (refunds.read_ended_refunds); queued, pending and processing may move on.
REFUND_NOT_PAID = frozenset({"failed", "canceled"})
REFUND_FINAL = REFUND_NOT_PAID | {"refunded"}


@dataclass(frozen=True, slots=True)
class PspCheckout:
    """A payment the PSP created: where to send the patient to pay it. For a repeated
    idempotency key the PSP answers with the payment made first, whatever became of it:
    ``status`` says so (an ended payment has no checkout page any more)."""

    psp_payment_id: str
    checkout_url: str
    status: PspStatus = PspStatus.OPEN


@dataclass(frozen=True, slots=True)
class PspPayment:
    """A payment as the PSP reports it when asked: the only version the webhook trusts."""

    psp_payment_id: str
    status: PspStatus
    amount_cents: int
    reference: str  # the betalingskenmerk we put in the metadata; "" if it has none
    paid_at: datetime | None
    # What left the payment again at the PSP, in cents: its refunds (ours, and any made in
    # the PSP's dashboard; Mollie's amountRefunded) and its chargebacks (the patient's bank
    # took the money back; amountChargedBack). 0 when the PSP says none (R11, R27).
    refunded_cents: int = 0
    charged_back_cents: int = 0

    @property
    def paid_back_cents(self) -> int:
        """Refunded and charged back: the money of this payment that left the PSP again."""
        return self.refunded_cents + self.charged_back_cents


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """A new iDEAL payment: ``amount_cents``, the ``description`` the bank shows, the
    ``reference`` that goes into the metadata, where the bank sends the patient back to
    and where the PSP reports the outcome."""

    amount_cents: int
    description: str
    reference: str
    redirect_url: str
    webhook_url: str


class UnknownPspPayment(LookupError):
    """The PSP has no payment with that id (a forged or mistyped webhook)."""


class UnknownPspRefund(LookupError):
    """The PSP has no refund with that id on that payment (an id typed by hand: the
    payment's own, a typo, another payment's refund)."""


class PspUnavailable(RuntimeError):
    """The PSP could not be reached or answered with an error: try again later."""


class UnreadablePspPayment(PspUnavailable):
    """The PSP answered, with a payment we cannot read: not in euros, an amount or a status
    we do not understand (R11). Asking again gives the same answer, so the webhook answers
    it 200 and alarms (``WebhookDecision.UNREADABLE_PAYMENT``, R39) instead of a 503 the PSP
    retries until it gives up. To every other caller it is a PspUnavailable: the bank's
    return page cannot say how the payment went. Its message names no kenmerk or amount."""


class PaymentProvider(Protocol):
    def create_payment(self, request: PaymentRequest, idempotency_key: str) -> PspCheckout:
        """An iDEAL payment as ``request`` asks; a repeated ``idempotency_key`` returns
        the payment created first."""
        ...

    def get_payment(self, psp_payment_id: str) -> PspPayment:
        """The payment as the PSP knows it now; UnknownPspPayment if it has none."""
        ...

    def refund(self, psp_payment_id: str, amount_cents: int, description: str) -> tuple[str, str]:
        """Pay (part of) a paid payment back, e.g. an overpayment (R13): (the refund id, its
        status as the PSP answered: queued or pending at Mollie), so the status is kept with
        the refund from its booking on and the webhook's retry finds nothing changed."""
        ...

    def refund_status(self, psp_payment_id: str, refund_id: str) -> str:
        """The refund's status as the PSP tells it now (``REFUND_NOT_PAID``); UnknownPspRefund
        when the payment has no refund with that id, PspUnavailable when it cannot say."""
        ...
