"""The agency's daily file (issue 12 item 11, R34): what changed on our side yesterday on
the claims it holds — payments (with the interest up to them), returned payments, stops,
coulance, corrections, refunds of credit, and what an insurer's retour or a credit line
changed of what the patient owes: every ledger entry after the handover file's — one
file per practice, ``collection-updates/{day}/{provider}.json`` in the output bucket.

It reads the invoices the ledger-week index puts in the day's week (the read follows the
week's activity, not the table) and keeps the claims with the agency that have entries
recorded that day. Deterministic: a rerun for the same day writes the same bytes.

The daily run writes every day since the last one it wrote (``days_to_tell``), at most
CATCH_UP_DAYS a part: after missed runs the payments of the missed days still reach the
agency. A day's file written
without a stored invoice that did not load is owed: each run writes that practice's file of
the day again (``write_owed_agency_updates``), so once the item is mended what changed on it
that day reaches the agency without an operator replaying the day.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
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
from billing_core.providers.listing import ProviderListing
from billing_core.providers.week import Week

PREFIX = "collection-updates"
# The most days one part of a run catches up on (a month of missed runs), so that it stays
# within Lambda's time. Beyond it the part writes the oldest days and the run goes on in a
# next part, which writes the next ones (dunning/run.py), also when no patient is left to
# go on from: the part goes on from after every invoice of the day (never a day lost).
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
    # The week's stored invoices that do not load: passed by, for the run to list (R39);
    # the day's file is owed to them (``write_owed_agency_updates``).
    unreadable: list[UnreadableInvoice] = field(default_factory=list)


# A day whose agency file was written without a stored invoice of the practice that did
# not load: the file to write again once it loads (R34, R39).
Owed = tuple[date, UnreadableInvoice]


def agency_updates_key(day: date, provider_id: str) -> str:
    return f"{PREFIX}/{day.isoformat()}/{provider_id}.json"


def write_agency_updates(
    day: date, store: WeekActivity, files: FileStore, *, providers: Iterable[str] | None = None
) -> AgencyFiles:
    """One file per practice (of ``providers``, or every readable one) with claims at the
    agency that changed on ``day``. A stored invoice that does not load is listed by its
    ids and passed by: one bad item never keeps the other practices' files, nor the
    dunning run after them, from being written."""
    written = AgencyFiles(day.isoformat())
    if providers is None:
        listing: ProviderListing = store.readable_providers()
        providers = [p.provider_id for p in listing.providers]
    for provider_id in providers:
        _write_practice_file(day, provider_id, store, files, written)
    return written


def write_owed_agency_updates(
    owed: Iterable[Owed], store: WeekActivity, files: FileStore
) -> list[AgencyFiles]:
    """The files owed written again, each practice's of each day once: an invoice mended
    since is in it, as an operator's replay of the day would write it; the other claims'
    bytes are the same (``as_at_end_of``). One still broken is listed again (R34, R39)."""
    practices: dict[date, set[str]] = {}
    for day, invoice in owed:
        practices.setdefault(day, set()).add(invoice.provider_id)
    return [
        write_agency_updates(day, store, files, providers=sorted(ids))
        for day, ids in sorted(practices.items())
    ]


def _write_practice_file(
    day: date, provider_id: str, store: WeekActivity, files: FileStore, written: AgencyFiles
) -> None:
    read = list(store.week_invoices(provider_id, Week.of(day)))
    written.unreadable += [i for i in read if isinstance(i, UnreadableInvoice)]
    changed = sorted(
        (i for i in read if isinstance(i, Invoice) and _told(i, day)),
        key=lambda i: i.reference,
    )
    if not changed:
        return
    key = agency_updates_key(day, provider_id)
    document = {
        "format_version": FORMAT_VERSION,
        "day": day.isoformat(),
        "provider_id": provider_id,
        "claims": [agency_update_document(i, day, "changed on our side") for i in changed],
    }
    files.put(key, _json(document), "application/json")
    written.files.append(key)
    written.claims += len(changed)


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
