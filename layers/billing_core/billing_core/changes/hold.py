"""The provider puts an invoice on hold (R16): dunning pauses, at most 60 days, and the
payment checker shows "being looked at by your provider". Payment stays possible."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from billing_core.invoices.invoice import Invoice
from billing_core.shared.errors import practice_refused

MAX_HOLD_DAYS = 60


def put_on_hold(invoice: Invoice, until: date, reason: str, today: date) -> Invoice:
    if invoice.is_paid:
        raise practice_refused("paid")
    if not today < until <= today + timedelta(days=MAX_HOLD_DAYS):
        raise practice_refused("hold_out_of_range", max_days=MAX_HOLD_DAYS)
    return replace(invoice, hold_until=until, hold_reason=reason.strip())
