"""The practice's figures: weekly retrocession statements (R24) and how its invoices
ended up per month of issue (R25)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Literal

from billing_core.collection.debtor_risk import (
    FIRST_MONTH,
    LAST_MONTH,
    DebtorRisk,
    Month,
    debtor_risk,
)
from billing_core.payments.transfer_batches import payout_batches_of_week
from billing_core.ports import FileGone, FileReader
from billing_core.providers.payouts import payout_state
from billing_core.providers.retrocession import (
    StatementSummary,
    invoices_in_statement,
    statement_key,
    with_payout,
)
from billing_core.providers.users import ProviderUser, Role
from billing_core.providers.week import Week
from billing_core.services import inputs
from billing_core.services.inputs import InvalidInput
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.audit import ReadKind, patients_named
from billing_core.shared.errors import NoLongerKept

DEBTOR_RISK_MONTHS = 12  # the default range: this month and the eleven before it
DEBTOR_RISK_MAX_MONTHS = 36  # computed on demand from the invoices: a bounded read
LATE_PAYOUT_WEEKS = 8  # a week whose statement was late is paid in one of the batches after it

StatementFormat = Literal["json", "csv"]


@dataclass(frozen=True, slots=True)
class RetrocessionPage:
    statements: list[StatementSummary]  # newest week first
    next_before: str | None  # the week label to ask the older ones before; None: no more


@dataclass(frozen=True, slots=True)
class StatementFile:
    week_label: str
    body: bytes  # the statement as stored, in the format asked


def retrocession_page(
    user: ProviderUser, limit: int, before: str | None, ctx: ProviderContext
) -> RetrocessionPage:
    """``limit`` statements, newest first, of the weeks before ``before`` (a week label)."""
    provider_id = tenant_for(user, Role.VIEWER)
    older_than = inputs.week(before, "query.before") if before else None
    found = ctx.store.list_retrocessions(provider_id, limit=limit + 1, before=older_than)
    page = [with_agency_transfers(summary, ctx) for summary in found[:limit]]
    more = len(found) > limit
    return RetrocessionPage(page, page[-1].week.label if more else None)


def with_agency_transfers(summary: StatementSummary, ctx: ProviderContext) -> StatementSummary:
    """The summary with the agency's transfers of its week, as its statement has them
    (R24): an item stored before they were kept (``None``) takes them from the week's JSON
    file, read once per such item and only for those; a file the retention deleted has
    no more to say (0, as the week that is no longer kept). Migration 15 stores the
    figure in such items; kept until every deploy has run it, which lists them right
    meanwhile (a week with the agency's transfer would show 0 without it)."""
    if summary.remitted_by_agency_cents is not None:
        return summary
    try:
        remitted = remitted_in_statement_file(summary, ctx.files)
    except FileGone:
        remitted = 0
    return replace(summary, remitted_by_agency_cents=remitted)


def remitted_in_statement_file(summary: StatementSummary, files: FileReader) -> int:
    """The agency's transfers of the summary's week as its JSON statement names them (0
    in a statement of a week before audit AGENCY3, which names none): one read, FileGone
    when the retention deleted the file. The list's fallback, and migration 15's figure."""
    body = files.get(statement_key(summary.provider_id, summary.week, "json"))
    information = json.loads(body).get("information", {})
    return int(information.get("remitted_by_agency", 0))


def retrocession_statement(
    user: ProviderUser, week_label: str, output_format: StatementFormat, ctx: ProviderContext
) -> StatementFile | None:
    """One week's statement; None when the provider has none for that week, NoLongerKept
    when its file was deleted at the end of its retention. Both keys come
    from the token's provider, never from the request (R26): another provider's week label
    finds this provider's statement of that week, or nothing."""
    provider_id = tenant_for(user, Role.VIEWER)
    week = inputs.week(week_label, "path.week")
    if ctx.store.get_retrocession(provider_id, week) is None:
        return None
    try:
        body = ctx.files.get(statement_key(provider_id, week, output_format))
    except FileGone:
        # The bucket's rule deleted the file (2,922 days) while the week is still listed:
        # the item's TTL is due as soon, but DynamoDB deletes within days of it, and an
        # item stored before it had a TTL has none (legal-nl.md §8).
        raise NoLongerKept("statement_no_longer_kept") from None
    shown = _named(provider_id, invoices_in_statement(body, output_format), ctx)
    ctx.record_shown(user, ReadKind.EXPORT, f"retrocession:{week.label}.{output_format}", shown)
    payout = _payout(provider_id, week, ctx)
    if payout is not None:
        body = with_payout(body, output_format, payout)
    return StatementFile(week.label, body)


def week_payout(user: ProviderUser, week: Week, ctx: ProviderContext) -> dict[str, Any] | None:
    """The payout of ``week`` as its statement shows it (``payout``): the transfer that pays
    it, with every week that transfer pays, its amount, state and step dates; None when no
    batch settled the week (yet). The portal's overview says it (R24, R35)."""
    return _payout(tenant_for(user, Role.VIEWER), week, ctx)


def _named(provider_id: str, invoice_ids: list[str], ctx: ProviderContext) -> list[str]:
    """What a statement's read names (R32, NEN 7513): its lines show the week's invoices,
    kenmerk and money, so the patient of each (read in one request a hundred invoices, as
    the actions list's read reads them) and each invoice (audit roles55), as an invoice
    list's read names them: found by the patient's number also once the invoices are
    deleted (legal-nl.md §8; reads56: 0 of 6 reads found after, before)."""
    numbers = ctx.store.patient_numbers(provider_id, invoice_ids) if invoice_ids else {}
    patients = patients_named(numbers.get(invoice_id, "") for invoice_id in invoice_ids)
    return [*patients, *(f"invoice:{invoice_id}" for invoice_id in invoice_ids)]


def _payout(provider_id: str, week: Week, ctx: ProviderContext) -> dict[str, Any] | None:
    """The payout of this week (issue 19): in the week's own batch, or, when the statement
    was late or made up after a missed run, in the batch after it that settled the week.
    A week's batch withdrawn and planned again: the batch that planned it again
    (``withdrawn`` until then). None when no batch settled the week (yet)."""
    if ctx.batches is None:
        return None
    state = None
    candidate = week
    today = ctx.clock.today()
    for _ in range(LATE_PAYOUT_WEEKS):
        batches = payout_batches_of_week(candidate.label, ctx.batches.get_batch)
        found = payout_state(batches[-1], provider_id) if batches else None
        if found is None:
            if state is not None:  # waiting, then no batch yet (or none that knows it)
                return None if batches else state
            if candidate.ends_at.date() > today:
                return None
            # A week a missed run left out is paid in the batch of the week that made it up
            # (retrocession_run.weeks_missed): no batch of its own, or one without the
            # practice (its week proposed again afterwards: payouts._settled_later).
            candidate = candidate.following()
            continue
        if week.label not in found.get("weeks", [week.label]):
            return None  # a later batch that settled later weeks only: not this week's
        state = found
        if state["state"] != "waiting":
            return state
        candidate = candidate.following()
    return state


def debtor_risk_report(
    user: ProviderUser, from_month: str | None, to_month: str | None, ctx: ProviderContext
) -> DebtorRisk:
    """R25 over months of issue (YYYY-MM): ``to_month`` defaults to this month,
    ``from_month`` to eleven months before it; at most DEBTOR_RISK_MAX_MONTHS months."""
    provider_id = tenant_for(user, Role.VIEWER)
    today = ctx.clock.today()
    last = Month.parse(to_month) if to_month else Month.of(today)
    first = Month.parse(from_month) if from_month else last.minus(DEBTOR_RISK_MONTHS - 1)
    if first < FIRST_MONTH or last > LAST_MONTH:
        where = "query.to" if last > LAST_MONTH else "query.from"
        raise InvalidInput(
            where, "month_out_of_range", first=FIRST_MONTH.label, last=LAST_MONTH.label
        )
    if last < first or first < last.minus(DEBTOR_RISK_MAX_MONTHS - 1):
        raise InvalidInput("query.from", "months_out_of_order", most=DEBTOR_RISK_MAX_MONTHS)
    # Computed on demand from the by-provider index over the issue-date range (R25).
    invoices = ctx.store.provider_invoices(
        provider_id,
        issued_from=first.first_day.isoformat(),
        issued_until=last.last_day.isoformat(),
    )
    # The practice's coulance policy: an invoice whose patient is told not to pay yet is
    # open, not unpaid (R37, legal-nl.md §7).
    provider = ctx.store.cached_provider(provider_id)
    return debtor_risk(invoices, first, last, today, provider)
