"""The provider puts an invoice on hold (R16): dunning pauses, at most 60 days in total per
invoice, renewals included, and the payment checker shows "being looked at by your
provider". Payment stays possible.

A claim already with the collection agency takes no hold: dunning is over and the agency
collects (R18, R19), so a hold would pause nothing; refused as the patient's deferral and
arrangement are (``closed_refusal``), with the same code. Nor does an invoice the
practice stopped or forgave to zero: nothing was paid, so it is refused as the stop
again is, with ``nothing_open`` (R21, R35), not as paid.

A renewal replaces the running hold: the days of it not used yet are given back, the
new ones counted. ``Invoice.hold_days_used`` keeps the count.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from billing_core.changes.refusals import closed_refusal
from billing_core.invoices.invoice import Invoice
from billing_core.shared.errors import practice_refused

MAX_HOLD_DAYS = 60


def put_on_hold(invoice: Invoice, until: date, reason: str, today: date, *, by: str) -> Invoice:
    """``by``: the user who places it (their id), kept with the hold (R32)."""
    if refusal := closed_refusal(invoice):  # with the collection agency, or paid
        if refusal == "nothing_to_pay":
            raise practice_refused("nothing_open", said_as="hold_nothing_open")
        raise practice_refused(refusal)
    if not today < until <= today + timedelta(days=MAX_HOLD_DAYS):
        raise practice_refused("hold_out_of_range", max_days=MAX_HOLD_DAYS)
    used_before = hold_days_used_before(invoice, today)
    used = used_before + (until - today).days
    if used > MAX_HOLD_DAYS:
        raise _over_the_limit(MAX_HOLD_DAYS - used_before)
    return replace(
        invoice, hold_until=until, hold_reason=reason.strip(), hold_days_used=used, hold_by=by
    )


def _over_the_limit(days_left: int) -> Exception:
    """Said with the days still left, so the practice can choose a date within them (R16,
    R35); said as used up when none are (the code clients read stays the same)."""
    if days_left <= 0:
        return practice_refused(
            "hold_limit_reached", said_as="hold_limit_used", max_days=MAX_HOLD_DAYS
        )
    return practice_refused("hold_limit_reached", max_days=MAX_HOLD_DAYS, days_left=days_left)


def hold_days_used_before(invoice: Invoice, today: date) -> int:
    """The hold days used before ``today``: a running hold counts up to yesterday."""
    if not invoice.is_on_hold(today):
        return invoice.hold_days_used
    assert invoice.hold_until is not None
    return max(invoice.hold_days_used - (invoice.hold_until - today).days, 0)
