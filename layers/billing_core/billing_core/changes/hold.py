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

A hold's days are counted from the day it is placed up to and including its last day
(``hold_days``): it pauses dunning from the moment it is placed (a letter the day's 06:00
run queued is stopped, the checker shows it) through ``hold_until`` (``Invoice.is_on_hold``).
So the longest hold placed today runs to ``last_hold_day(today)``, today + 59: dunning
pauses 60 days, not 61 (leftovers53).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from billing_core.changes.refusals import closed_refusal
from billing_core.invoices.invoice import Invoice
from billing_core.shared.errors import Refused, practice_refused

MAX_HOLD_DAYS = 60


def put_on_hold(invoice: Invoice, until: date, reason: str, today: date, *, by: str) -> Invoice:
    """``by``: the user who places it (their id), kept with the hold (R32)."""
    if refusal := closed_refusal(invoice):  # with the collection agency, or paid
        if refusal == "nothing_to_pay":
            raise practice_refused("nothing_open", said_as="hold_nothing_open")
        raise practice_refused(refusal)
    if not today < until <= last_hold_day(today):
        raise practice_refused(
            "hold_out_of_range", max_days=MAX_HOLD_DAYS, **_said(last_hold_day(today))
        )
    used_before = hold_days_used_before(invoice, today)
    used = used_before + hold_days(today, until)
    if used > MAX_HOLD_DAYS:
        raise _over_the_limit(MAX_HOLD_DAYS - used_before, today)
    return replace(
        invoice, hold_until=until, hold_reason=reason.strip(), hold_days_used=used, hold_by=by
    )


def last_hold_day(today: date, days_left: int = MAX_HOLD_DAYS) -> date:
    """The last day a hold placed ``today`` may run to with ``days_left`` days: today is
    one of them. The one date the refusals name and the portal's date field offers."""
    return today + timedelta(days=days_left - 1)


def last_day_left(invoice: Invoice, today: date) -> date:
    """The last day a hold of ``invoice`` placed ``today`` may run to: the days its holds
    so far left of the 60 (``hold_days_used_before``). What the portal's date field offers
    (R16, R35): a renewal's field offered the 60 days of a first hold, which the refusal
    then took back (audit plans57). Not after today when none is left."""
    return last_hold_day(today, MAX_HOLD_DAYS - hold_days_used_before(invoice, today))


def hold_days(today: date, until: date) -> int:
    """The days a hold placed ``today`` until ``until`` pauses dunning: both included."""
    return (until - today).days + 1


def _said(last_day: date) -> dict[str, str]:
    """The last day as each language writes it: day first in Dutch, as the Dutch portal
    draws its date field; ISO 8601 in English, as the API takes it (read the same in
    every English locale)."""
    return {"last_day_nl": last_day.strftime("%d-%m-%Y"), "last_day_en": last_day.isoformat()}


def hold_used_up(invoice: Invoice, today: date) -> Refused | None:
    """The refusal every hold of ``invoice`` placed ``today`` gets because its holds so far
    left it no day after today, as every hold must run to (R16: at most 60 days in all);
    None while a day is left. The one test for it: ``put_on_hold`` refuses with it, and
    the portal says it instead of a form every date of which would be refused (R35)."""
    return _used_up(MAX_HOLD_DAYS - hold_days_used_before(invoice, today), today)


def _used_up(days_left: int, today: date) -> Refused | None:
    if last_hold_day(today, days_left) > today:
        return None
    return practice_refused("hold_limit_reached", said_as="hold_limit_used", max_days=MAX_HOLD_DAYS)


def _over_the_limit(days_left: int, today: date) -> Exception:
    """Said with the days still left and the last date they allow, so the practice can
    choose a date within them (R16, R35); said as used up when they allow no day after
    today (``hold_used_up``; the code clients read stays the same)."""
    if used_up := _used_up(days_left, today):
        return used_up
    last_day = _said(last_hold_day(today, days_left))
    return practice_refused(
        "hold_limit_reached", max_days=MAX_HOLD_DAYS, days_left=days_left, **last_day
    )


def hold_days_used_before(invoice: Invoice, today: date) -> int:
    """The hold days used before ``today``: a running hold counts up to yesterday; today
    and the rest of it are given back to the hold that replaces it."""
    if not invoice.is_on_hold(today):
        return invoice.hold_days_used
    assert invoice.hold_until is not None
    return max(invoice.hold_days_used - hold_days(today, invoice.hold_until), 0)
