"""Deferral of payment, uitstel van betaling (R14).

Free and once per invoice: the current final payment date moves by the provider's
``deferral_days`` (default 30). Not for an invoice with the collection agency, a paid
invoice or one with an instalment arrangement (the terms already set the dates). Nor
when the moved date has passed too: such a deferral would give no time at all, and the
patient is better served by being told so and pointed to an arrangement.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from billing_core.changes.refusals import closed_refusal
from billing_core.invoices.invoice import Deferral, Invoice
from billing_core.providers.provider import Provider
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import refused


def deferred_until(invoice: Invoice, provider: Provider) -> date:
    return invoice.current_final_payment_date + timedelta(days=provider.deferral_days)


def deferral_refusal(invoice: Invoice, provider: Provider, today: date) -> str | None:
    """Why this invoice cannot be deferred today (a refusal code of texts.patient), or None."""
    if refusal := closed_refusal(invoice):
        return refusal
    if invoice.deferral is not None:
        return "already_deferred"
    if invoice.arrangement is not None:
        return "arrangement_exists"
    if deferred_until(invoice, provider) < today:
        return "deferral_too_late"
    return None


def grant_deferral(invoice: Invoice, provider: Provider, now: datetime) -> Invoice:
    """The invoice with its final payment date moved; errors.Refused when not allowed."""
    code = deferral_refusal(invoice, provider, now.astimezone(AMSTERDAM).date())
    if code:
        raise refused(code)
    return invoice.with_deferral(Deferral(granted_at=now, until=deferred_until(invoice, provider)))
