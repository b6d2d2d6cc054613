"""The agency's daily file (issue 12 item 11, R34): what changed on our side yesterday on
the claims it holds — payments (with the interest up to them), returned payments, stops,
coulance, corrections, refunds of credit, and what an insurer's retour or a credit line
changed of what the patient owes: every ledger entry after the handover file's — one
file per practice, ``collection-updates/{day}/{provider}.json`` in the output bucket.

It reads the invoices the ledger-week index puts in the day's week (the read follows the
week's activity, not the table) and keeps the claims with the agency that have entries
recorded that day. Deterministic: a rerun for the same day writes the same bytes.

The daily run writes every day since the last one it wrote (``days_to_tell``): after
missed runs the payments of the missed days still reach the agency.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from billing_core.collection.handover import (
    FORMAT_VERSION,
    agency_update_document,
    told_entries,
)
from billing_core.invoices.invoice import Invoice
from billing_core.ports import FileStore, UnreadableInvoice, WeekActivity
from billing_core.providers.week import Week

PREFIX = "collection-updates"
# The most days one run catches up on: a month of missed runs. Beyond it the run writes
# the oldest days, reports itself incomplete and the next run goes on (never a day lost).
CATCH_UP_DAYS = 31


@dataclass(frozen=True, slots=True)
class DaysToTell:
    days: tuple[date, ...]  # oldest first
    caught_up: bool  # False: days after the last of ``days`` are still to write


def days_to_tell(
    yesterday: date, written_through: date | None, *, cap: int = CATCH_UP_DAYS
) -> DaysToTell:
    """The days whose files a run on the day after ``yesterday`` writes (R34): those after
    ``written_through`` (the last day a run wrote), at most ``cap`` of them. The first
    run ever, and a replay of a day the mark has passed, write yesterday's file (again:
    the same bytes)."""
    if written_through is None or written_through >= yesterday:
        return DaysToTell((yesterday,), caught_up=True)
    missed = (yesterday - written_through).days
    days = tuple(written_through + timedelta(days=n) for n in range(1, min(missed, cap) + 1))
    return DaysToTell(days, caught_up=missed <= cap)


@dataclass(slots=True)
class AgencyFiles:
    day: str
    files: list[str] = field(default_factory=list)  # keys written
    claims: int = 0
    # The ids of the week's stored invoices that do not load: passed by, for the run to
    # list (R39); once mended, a replay of the day writes its file with them.
    unreadable: list[str] = field(default_factory=list)


def agency_updates_key(day: date, provider_id: str) -> str:
    return f"{PREFIX}/{day.isoformat()}/{provider_id}.json"


def write_agency_updates(day: date, store: WeekActivity, files: FileStore) -> AgencyFiles:
    """One file per practice with claims at the agency that changed on ``day``. A stored
    invoice that does not load is listed by id and passed by: one bad item never keeps
    the other practices' files, nor the dunning run after them, from being written."""
    written = AgencyFiles(day.isoformat())
    week = Week.of(day)
    for provider in store.readable_providers().providers:
        read = list(store.week_invoices(provider.provider_id, week))
        written.unreadable += [i.invoice_id for i in read if isinstance(i, UnreadableInvoice)]
        changed = sorted(
            (i for i in read if isinstance(i, Invoice) and _told(i, day)),
            key=lambda i: i.reference,
        )
        if not changed:
            continue
        key = agency_updates_key(day, provider.provider_id)
        document = {
            "format_version": FORMAT_VERSION,
            "day": day.isoformat(),
            "provider_id": provider.provider_id,
            "claims": [agency_update_document(i, day, "changed on our side") for i in changed],
        }
        files.put(key, _json(document), "application/json")
        written.files.append(key)
        written.claims += len(changed)
    return written


def _told(invoice: Invoice, day: date) -> bool:
    """A claim the agency held on ``day`` with an entry of ``day`` to tell. What was
    recorded before the handover is in the handover file, not a change on our side: a
    replayed earlier day writes no file the agency never had (R18, R34), and a payment
    read on the handover day before the run is not told again (``told_entries``).
    Every entry after the handover's changes what the agency holds, whatever its kind: a
    list of kinds to tell lost the retour and, later, the refund of credit (round 38)."""
    handed_over_on = invoice.handed_over_on
    if not invoice.is_with_collection_agency or handed_over_on is None or day < handed_over_on:
        return False
    return bool(told_entries(invoice, day))


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()
