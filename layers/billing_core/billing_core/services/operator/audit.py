"""The audit of reads an operator lists per provider and period (R32, NEN 7513).

Listing it is itself a read of who looked at a provider's patients: it is recorded too."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from billing_core.services.inputs import InvalidInput
from billing_core.services.operator.context import BackOfficeContext
from billing_core.shared.audit import ReadKind, ReadRecord
from billing_core.shared.clock import AMSTERDAM

MAX_DAYS = 93  # a quarter: one request stays a bounded read


def reads_of_provider(
    provider_id: str, first_day: date, last_day: date, ctx: BackOfficeContext
) -> list[ReadRecord]:
    """The reads of ``first_day`` up to and including ``last_day`` (Dutch days), oldest
    first."""
    if last_day < first_day or (last_day - first_day).days >= MAX_DAYS:
        raise InvalidInput("query.to", f"to must be on or after from, at most {MAX_DAYS} days")
    since = datetime.combine(first_day, time(0), tzinfo=AMSTERDAM)
    until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=AMSTERDAM)
    found = ctx.audit.reads(provider_id, since, until)
    audited = ReadRecord.of(ctx.operator, provider_id, ReadKind.AUDIT, "", ctx.clock.now())
    ctx.audit.record_read(audited)
    return found
