"""Weekly retrocession statement totals (R24) <-> DynamoDB items (the statement is in S3).

Apart from items.py so that only the functions that build or list statements load the
statement module (cold start, issue 11 item 5); the keys come from ``keys``.
"""

from __future__ import annotations

from decimal import Decimal

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import STATEMENT_RETENTION, Item, expires_at
from billing_core.providers.retrocession import StatementSummary
from billing_core.providers.week import Week


def retrocession_to_item(summary: StatementSummary) -> Item:
    """The totals the list of statements shows; the statement itself is in S3. Kept as
    long as the week's ledger markers, and no longer than its files under retrocession/
    (written after the week ended, deleted 2,922 days later): legal-nl.md §8."""
    return {
        **keys.retrocession_key(summary.provider_id, summary.week.label),
        "entity": "retrocession",
        "provider_id": summary.provider_id,
        "week": summary.week.label,
        "service_fee_percentage": str(summary.service_fee_percentage),
        "entries": summary.entries,
        "invoices": summary.invoices,
        "received_cents": summary.received_cents,
        "refunded_cents": summary.refunded_cents,
        "service_fee_cents": summary.service_fee_cents,
        "payout_cents": summary.payout_cents,
        "totals_by_kind": dict(summary.totals_by_kind),
        "json_sha256": summary.json_sha256,
        "collected_by_agency_cents": summary.collected_by_agency_cents,
        "remitted_by_agency_cents": summary.remitted_by_agency_cents,
        "expires_at": statement_expiry(summary.week),
    }


def statement_expiry(week: Week) -> int:
    """The week's end + 2,922 days: as its ledger-week markers and its files."""
    return expires_at(week.ends_at, STATEMENT_RETENTION)


def retrocession_from_item(item: Item) -> StatementSummary:
    return StatementSummary(
        provider_id=item["provider_id"],
        week=Week.parse(item["week"]),
        service_fee_percentage=Decimal(item["service_fee_percentage"]),
        entries=int(item["entries"]),
        invoices=int(item["invoices"]),
        received_cents=int(item["received_cents"]),
        refunded_cents=int(item["refunded_cents"]),
        service_fee_cents=int(item["service_fee_cents"]),
        payout_cents=int(item["payout_cents"]),
        totals_by_kind={k: int(v) for k, v in item["totals_by_kind"].items()},
        json_sha256=item["json_sha256"],
        # Written since audit AGENCY3; a week stored before had none of it as information
        collected_by_agency_cents=int(item.get("collected_by_agency_cents", 0)),
        remitted_by_agency_cents=_remitted_by_agency(item),
    )


def _remitted_by_agency(item: Item) -> int | None:
    """Written since remitted54. An item written before may belong to a week with the
    agency's transfers (booked so since AGENCY3) whose statement file names them: None,
    not 0, so the list reads the figure from the file rather than showing a split the
    statement does not have."""
    stored = item.get("remitted_by_agency_cents")
    return None if stored is None else int(stored)
