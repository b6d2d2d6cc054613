"""An online payment we started, as the payment links keep it (``CheckoutLog``): in a
module of its own, so a function that starts and books no online payment does not build
this class at its cold start (make bench (d))."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from billing_core.payments.psp import PspStatus


@dataclass(frozen=True, slots=True)
class CheckoutRecord:
    """An online payment we started: what was asked, for which invoice (R11).

    A webhook is only acted on for a payment recorded here, and the amount the PSP
    reports is compared with ``amount_cents``. The status has no default: a default would
    make every function load the PSP's types to import the ports (cold start, #11 item 5).
    """

    psp_payment_id: str
    provider_id: str
    invoice_id: str
    reference: str
    amount_cents: int
    created_at: datetime
    status: PspStatus
    # The checker page's language the payment was started in: its "payment received"
    # e-mail is written in it (R9); empty: the invoice's.
    language: str = ""
