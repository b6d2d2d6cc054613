"""The audit of reads, per practice and period, and per patient when asked (R32, NEN 7513).

An operator lists it for any practice; a practice's admin for its own (services/provider/
audit.py), so that the practice can tell a patient who read their data and when. Both
go through ``list_reads``. Listing it is itself a read of who looked at a practice's
patients: it is recorded too, each page, naming the period listed and the patient asked
for.

A patient's reads are the practice's reads whose subject names the patient (``patient:``
their number) or one of their invoices (its id, ``invoice:``, a letter's ``{id}:``, its
``kenmerk:``), of its actions (``action:``, the action's id) or of the upload that issued
it (``declaration:``): what ``shared/audit.records_of`` and the services write. The
records are kept per practice and month, not per patient: a patient's page is the
practice's reads of the period, read in pages and filtered, at most ``SCAN_PAGES`` of the
table's pages per answer (a short page with a cursor then: ask on)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from billing_core.invoices.listing import InvoiceFilter
from billing_core.ports import AuditLog, ProviderStore
from billing_core.services.inputs import (
    InvalidInput,
    read_if_refused_for_case,
    refuse_another_case,
)
from billing_core.services.operator.context import BackOfficeContext
from billing_core.shared.audit import AUDIT_PAGE, MAX_AUDIT_PAGE, ReadKind, ReadRecord
from billing_core.shared.clock import AMSTERDAM

if TYPE_CHECKING:
    import weakref

__all__ = ["AUDIT_PAGE", "MAX_AUDIT_PAGE", "AuditPage", "list_reads", "reads_of_provider"]

MAX_DAYS = 93  # a quarter: one request stays a bounded read (the operator's route)
PRACTICE_MAX_DAYS = 366  # a year: what a patient asks a practice about (R32)
# Pages of the practice's reads one answer filtered by patient goes through: at most
# about 10 x 500 records, some 20 DynamoDB requests, inside an API's 29 s.
SCAN_PAGES = 10
INVOICES_PAGE = 100  # a patient's invoices, read from the practice's list this many a request
# A patient's filter (their invoices and each one's actions: 1 + n requests) serves the
# pages after the first of a walk through their reads this long in one process, rebuilt
# for a first page: a cursor cannot carry it (5-10 KB at 100 invoices). Kept per store,
# practice (the token's tenant), patient and last day; at most FILTERS_KEPT of them.
FILTER_KEPT_SECONDS = 300
FILTERS_KEPT = 32
# A read's moment is its answer's, written within seconds of it; an invoice is in the
# list the filter reads within a second of its write. A read this close to the filter's
# building, or after it, may name what the filter has not seen (``_Kept``).
WRITTEN_LATE = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of a provider's reads, oldest first."""

    records: list[ReadRecord]
    next_position: str | None  # None: this was the last page
    # a patient's page: the kenmerk and number of each of their invoices, by id (the
    # filter read them), so that naming a page's invoice reads needs no request
    invoices: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def reads_of_provider(
    provider_id: str,
    first_day: date,
    last_day: date,
    ctx: BackOfficeContext,
    *,
    limit: int = AUDIT_PAGE,
    after: str | None = None,
    patient_ref: str = "",
) -> AuditPage:
    """A page of the reads of ``first_day`` up to and including ``last_day`` (Dutch
    days), oldest first; ``after``: the position the previous page gave; ``patient_ref``:
    only those concerning this patient of the practice."""
    checked_period(first_day, last_day, MAX_DAYS)

    def record_listing(found: str = "") -> None:
        shown = audit_subject(first_day, last_day, patient_ref, found)
        ctx.record_shown(ReadKind.AUDIT, {provider_id: shown})

    with read_if_refused_for_case(record_listing):
        page = list_reads(
            provider_id,
            first_day,
            last_day,
            ctx.audit,
            ctx.store,
            now=ctx.clock.now(),
            limit=limit,
            after=after,
            patient_ref=patient_ref,
        )
    record_listing()
    return page


def checked_period(first_day: date, last_day: date, most: int) -> None:
    if last_day < first_day or (last_day - first_day).days >= most:
        raise InvalidInput("query.to", "audit_period", most=most)


def audit_subject(first_day: date, last_day: date, patient_ref: str, found: str = "") -> list[str]:
    """What a listing of the audit names: the period, and the patient asked for;
    ``found``: the number a refusal of another letter case named (``read_if_refused_for_case``)."""
    patients = dict.fromkeys(filter(None, [patient_ref.strip(), found]))
    return [f"{first_day}..{last_day}", *(f"patient:{patient}" for patient in patients)]


def list_reads(
    provider_id: str,
    first_day: date,
    last_day: date,
    audit: AuditLog,
    store: ProviderStore,
    *,
    now: datetime,
    limit: int = AUDIT_PAGE,
    after: str | None = None,
    patient_ref: str = "",
    concerns: Callable[[ReadRecord], bool] | None = None,
) -> AuditPage:
    """The page; records nothing (the caller records the listing as a read). A
    ``patient_ref`` of spaces only is none (the spaces around a number go, as the
    invoice list's filter takes it: ``patient_number``). ``now``: the clock's
    (``_kept_filter``). ``concerns``: the patient's ``patient_filter`` when the caller
    reads several pages (built once, not per page)."""
    patient_ref = patient_ref.strip()
    since = datetime.combine(first_day, time(0), tzinfo=AMSTERDAM)
    until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=AMSTERDAM)
    if not patient_ref:
        found, last = audit.reads(provider_id, since, until, limit=limit, after=after)
        return AuditPage(found, last)
    patient = (store, provider_id, patient_ref, last_day)
    kept = None
    if concerns is None:
        kept = _kept_filter(*patient, now, rebuild=not after)
        concerns = kept.concerns
    shown: list[ReadRecord] = []
    position = after
    for _ in range(SCAN_PAGES):
        # never more than fits the page: the position is the last record read
        wanted = limit - len(shown)
        found, position = audit.reads(provider_id, since, until, limit=wanted, after=position)
        if kept is not None and not kept.built_for_this_page and kept.may_miss(found):
            kept = _kept_filter(*patient, now, rebuild=True)
            concerns = kept.concerns
        shown += [record for record in found if concerns(record)]
        if position is None or len(shown) == limit:
            break
    return AuditPage(shown, position, getattr(concerns, "invoices", {}))


class _Kept(NamedTuple):
    """A patient's filter as ``_kept_filter`` keeps it: when it was built (the service's
    clock, as reads are stamped, and time.monotonic() for its age) and whether by the
    page asking."""

    concerns: Callable[[ReadRecord], bool]
    built_at: datetime
    built_since: float
    built_for_this_page: bool

    def may_miss(self, found: Iterable[ReadRecord]) -> bool:
        """Whether ``found`` holds a read it does not name written about when it was built
        or after (WRITTEN_LATE): such a read may name an invoice, action or upload of the
        patient's issued since (R32; audit access51b). One it names needs nothing newer,
        and a read written before it was built names only what it has read."""
        fresh_from = self.built_at - WRITTEN_LATE
        return any(r.at >= fresh_from and not self.concerns(r) for r in found)


def _kept_filter(
    store: ProviderStore,
    provider_id: str,
    patient_ref: str,
    last_day: date,
    now: datetime,
    *,
    rebuild: bool,
) -> _Kept:
    """``patient_filter``, built for a first page (``rebuild``) and kept
    FILTER_KEPT_SECONDS for the pages after it (audit5: 1 + n requests a page at n
    invoices), also of a period ending today: a page built anew only when it meets a
    read the filter may miss (``_Kept.may_miss``; audit access52: before, every page of
    a period ending today was 1 + n requests). Keyed by the practice the caller's token
    names: another practice's cursor finds none of it (R26)."""
    import time
    import weakref

    global _KEPT
    if _KEPT is None:
        _KEPT = weakref.WeakKeyDictionary()
    try:
        kept = _KEPT.setdefault(store, {})
    except TypeError:  # a store that cannot be weakly referred to: built every time
        kept = {}
    key, since = (provider_id, patient_ref, last_day.isoformat()), time.monotonic()
    built = kept.get(key)
    if built is not None and not rebuild and since - built.built_since <= FILTER_KEPT_SECONDS:
        return built._replace(built_for_this_page=False)
    concerns = patient_filter(store, provider_id, patient_ref, last_day)
    kept.pop(key, None)
    kept[key] = _Kept(concerns, now, since, built_for_this_page=True)
    while len(kept) > FILTERS_KEPT:
        del kept[next(iter(kept))]
    return kept[key]


# (practice, patient, last day) -> the patient's filter, when built
_KeptFilters = dict[tuple[str, str, str], _Kept]
_KEPT: weakref.WeakKeyDictionary[ProviderStore, _KeptFilters] | None = None  # per store


class _PatientReads:
    """Whether a read names a patient (``patient_filter``); ``invoices``: the kenmerk and
    patient number of each of their invoices, by id."""

    __slots__ = ("invoice_ids", "invoices", "names")

    def __init__(self, names: set[str], invoices: dict[str, tuple[str, str]]) -> None:
        self.names, self.invoices, self.invoice_ids = names, invoices, set(invoices)

    def __call__(self, record: ReadRecord) -> bool:
        return _names_any(record.subject.split(" "), self.names, self.invoice_ids)


def patient_filter(
    store: ProviderStore, provider_id: str, patient_ref: str, last_day: date
) -> Callable[[ReadRecord], bool]:
    """Whether a read names ``patient_ref`` or their invoices, actions or uploads: the
    practice's invoices of the patient issued up to ``last_day`` (a later one was not
    read in the period), read from its list in pages, and each one's actions."""
    from billing_core.invoices.listing import patient_ref_forms  # only this route needs it

    patient_ref = patient_ref.strip()
    names = {f"patient:{form}" for form in patient_ref_forms(patient_ref)}
    invoices_named: dict[str, tuple[str, str]] = {}
    wanted = InvoiceFilter(patient_ref=patient_ref, issued_until=last_day.isoformat())
    position: str | None = None
    while True:
        invoices, position = store.list_invoices(
            provider_id, wanted, limit=INVOICES_PAGE, after=position
        )
        for invoice in invoices:
            invoices_named[invoice.invoice_id] = (invoice.reference, invoice.patient_ref)
            names |= {invoice.invoice_id, f"invoice:{invoice.invoice_id}"}
            names.add(f"kenmerk:{invoice.reference}")
            if invoice.declaration_id:
                names.add(f"declaration:{invoice.declaration_id}")
            for action in store.invoice_actions(provider_id, invoice.invoice_id):
                names |= {action.action_id, f"action:{action.action_id}"}
        if position is None:
            break
    if not invoices_named:
        # The practice's whole list up to last_day: as the filter asked, but for the number
        every = store.provider_invoices(provider_id, issued_until=wanted.issued_until)
        refuse_another_case(patient_ref, every, "query.patient_ref")
    return _PatientReads(names, invoices_named)


def _names_any(words: Iterable[str], names: set[str], invoice_ids: set[str]) -> bool:
    # A letter's subject is "{invoice id}:{position}:{kind}"
    return any(word in names or word.split(":", 1)[0] in invoice_ids for word in words)
