"""Where the bank sends the patient back to the checker after an iDEAL payment (R11,
issue 12 item 10): how that payment went. Only the checker page reads it, so it stays off
the PSP webhook's import path (README bench (d))."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from billing_core.payments.psp import PspStatus, UnknownPspPayment

if TYPE_CHECKING:
    from billing_core.payments.online import OnlinePaymentContext


@dataclass(frozen=True, slots=True)
class BankReturn:
    """How the payment went that the bank sends the patient back from (issue 12 item 10)."""

    status: PspStatus
    booked: bool  # the webhook booked it: the ledger, and so the checker, has the money

    @property
    def awaiting_booking(self) -> bool:
        """Paid at the bank, not on the ledger yet: the webhook is still to come (R11)."""
        return self.status is PspStatus.PAID and not self.booked


def returned_from_bank(
    reference: str, psp_payment_id: str, ctx: OnlinePaymentContext
) -> BankReturn | None:
    """Its status, as the webhook recorded it or, while the webhook is not in yet, as the
    PSP tells it; None for a payment that is not ours for this kenmerk."""
    checkout = ctx.checkouts.get_checkout(psp_payment_id)
    if checkout is None or checkout.reference != reference:
        return None
    if checkout.status.is_final:
        # The webhook sets "paid" only after the booking (handle_psp_webhook).
        return BankReturn(checkout.status, booked=checkout.status is PspStatus.PAID)
    try:
        return BankReturn(ctx.psp.get_payment(psp_payment_id).status, booked=False)
    except UnknownPspPayment:
        return None
