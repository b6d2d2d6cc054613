"""Deferral of payment, uitstel van betaling (R14).

Free and once per invoice: the current final payment date moves by the provider's
``deferral_days`` (default 30). Not for an invoice with the collection agency, a paid
invoice or one with an instalment arrangement (the terms already set the dates). Nor
when the moved date has passed too: such a deferral would give no time at all, and the
patient is better served by being told so and pointed to an arrangement.

Nor when the moved date would not be the date that counts (dunning.breakdown): once the
costs are charged, the second notice's last day counts and the handover follows it,
whatever the invoice's own date says; and a reminder's final date later than the moved
date is not moved by it either, nor a hold's end later than the moved date (R16:
dunning waits for it anyway). Such a deferral would spend the patient's one deferral
on nothing and name a date that is not the one in force (audit patient D2).

Nor on the day after the reminder's term expired unpaid, before the run charged the
costs: they are due from that day whatever the hour (R20, legal-nl.md §2), and after
the run the deferral is refused for the reason above.

Nor while the provider decides on a coulance proposal (R17, legal-nl.md §7): the insurer
has paid, and the adjusted amount comes with its own final payment date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from billing_core.changes.arrangement import arrangement_refusal
from billing_core.changes.coulance import awaits_coulance_decision
from billing_core.changes.refusals import closed_refusal
from billing_core.dunning.breakdown import PayBy, date_that_counts, timeline_date
from billing_core.dunning.timeline import costs_due
from billing_core.invoices.invoice import Deferral, Invoice
from billing_core.providers.provider import Provider
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import refused_as
from billing_core.texts.catalogue import by_channel


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
    if awaits_coulance_decision(invoice, provider):
        return "awaits_coulance_decision"
    if costs_due(invoice, provider.dunning, today):
        # The reminder's term expired unpaid: the costs are due today, before the run has
        # charged them too (R20, legal-nl.md §2: only a deferral during the term moves the
        # default), so a deferral now would move nothing the run leaves (audit plans2).
        return "deferral_gives_no_time"
    until = deferred_until(invoice, provider)
    if until < today:
        return "deferral_too_late"
    if not _moves_the_date_that_counts(invoice, provider, today, until):
        return "deferral_gives_no_time"
    return None


def _moves_the_date_that_counts(
    invoice: Invoice, provider: Provider, today: date, until: date
) -> bool:
    _, kind, _ = timeline_date(invoice, provider.dunning, today)  # the date it would move
    pay_by, _, _ = date_that_counts(invoice, provider.dunning, today)  # a hold's end included
    movable = kind in (PayBy.FINAL_PAYMENT_DATE, PayBy.REMINDER)
    return movable and pay_by is not None and until > pay_by


def grant_deferral(invoice: Invoice, provider: Provider, now: datetime) -> Invoice:
    """The invoice with its final payment date moved; errors.Refused when not allowed."""
    code = deferral_refusal(invoice, provider, now.astimezone(AMSTERDAM).date())
    if code:  # "the adjusted amount comes by e-mail" or "by post" (R7)
        raise refused_as(_said_as(invoice, provider), code, **by_channel(invoice.follow_up_channel))
    return invoice.with_deferral(Deferral(granted_at=now, until=deferred_until(invoice, provider)))


# The refusals that point to an arrangement instead (texts.patient REFUSALS).
_POINT_TO_AN_ARRANGEMENT = ("deferral_too_late", "deferral_gives_no_time")


def _said_as(invoice: Invoice, provider: Provider) -> dict[str, str]:
    """R14, R15: a refusal points to an arrangement only when the checker would grant one
    (the amount too small for two terms: it would refuse), as a reminder invites one
    (dunning.letters.arrangement_possible)."""
    if arrangement_refusal(invoice, provider) is None:
        return {}
    return {code: f"{code}_no_arrangement" for code in _POINT_TO_AN_ARRANGEMENT}
