"""The audit of reads an operator lists per provider and period (R32, NEN 7513).

Listing it is itself a read of who looked at a provider's patients: it is recorded too,
each page, naming the period listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from billing_core.services.inputs import InvalidInput
from billing_core.services.operator.context import BackOfficeContext
from billing_core.shared.audit import ReadKind, ReadRecord
from billing_core.shared.clock import AMSTERDAM

MAX_DAYS = 93  # a quarter: one request stays a bounded read
# Reads per answer. A list's read names every invoice of its page (about 4.6 KB): 500 of
# them stay far below Lambda's 6 MB answer, which a busy practice's quarter can pass.
AUDIT_PAGE = 100
MAX_AUDIT_PAGE = 500


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of a provider's reads, oldest first."""

    records: list[ReadRecord]
    next_position: str | None  # None: this was the last page


def reads_of_provider(
    provider_id: str,
    first_day: date,
    last_day: date,
    ctx: BackOfficeContext,
    *,
    limit: int = AUDIT_PAGE,
    after: str | None = None,
) -> AuditPage:
    """A page of the reads of ``first_day`` up to and including ``last_day`` (Dutch
    days), oldest first; ``after``: the position the previous page gave."""
    if last_day < first_day or (last_day - first_day).days >= MAX_DAYS:
        raise InvalidInput("query.to", "audit_period", most=MAX_DAYS)
    since = datetime.combine(first_day, time(0), tzinfo=AMSTERDAM)
    until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=AMSTERDAM)
    found, last = ctx.audit.reads(provider_id, since, until, limit=limit, after=after)
    ctx.record_shown(ReadKind.AUDIT, {provider_id: [f"{first_day}..{last_day}"]})
    return AuditPage(found, last)
