"""The practice's invoices: the filtered list, one invoice with its actions, and the two
changes a practice makes on it, a stop (R21) and a hold (R16). Every change is a
versioned save (R28)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from billing_core.changes.hold import put_on_hold
from billing_core.changes.stop import StopRequest, practice_stop
from billing_core.collection.blocking import release_settled_claim
from billing_core.correspondence.kinds import STOP_CONFIRMATION, reaches_patient
from billing_core.dunning.breakdown import Breakdown, breakdown
from billing_core.dunning.letter_costs import others_of_the_notice, rest_of_the_notice
from billing_core.dunning.policy import DunningPolicy
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import LedgerEntry
from billing_core.invoices.listing import InvoiceFilter, admits, patient_number
from billing_core.invoices.name_search import search_terms
from billing_core.invoices.updates import save_change
from billing_core.ports import DeliveryRequest
from billing_core.providers.actions import OpenAction
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.inputs import (
    InvalidInput,
    read_if_refused_for_case,
    refuse_another_case,
)
from billing_core.services.patient import InvoiceState, final_notice_waits, invoice_state
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.audit import ReadKind, naming_patient, patients_named
from billing_core.shared.errors import Refused, practice_refused
from billing_core.shared.retries import RequestCause, retry_causes

# A name search without a start date looks this far back: the store filters the names
# inside its query of the provider's index by issue date, so the period bounds the read.
NAME_SEARCH_DAYS = 2 * 366


@dataclass(frozen=True, slots=True)
class InvoicePage:
    invoices: list[Invoice]
    next_position: str | None  # None: this was the last page
    as_of: date  # the day the invoices' states are told for


@dataclass(frozen=True, slots=True)
class InvoiceDetail:
    invoice: Invoice
    actions: list[OpenAction]  # this invoice's, oldest first
    as_of: date
    breakdown: Breakdown  # what is due today and why, as the patient's checker shows it
    # R19: the state is the final notice's but it has not gone yet (queued, held, or to go
    # again after a bounce): the portal says it is still to be sent, as the checker does.
    final_notice_waits: bool = False


def list_invoices(
    user: ProviderUser,
    wanted: InvoiceFilter,
    limit: int,
    after: str | None,
    ctx: ProviderContext,
    *,
    kenmerk: str = "",
    where: str = "query",
    recorded: bool = True,
) -> InvoicePage:
    """Newest first; every page but the last holds ``limit`` invoices, also filtered. A
    search by name without a start date covers the last NAME_SEARCH_DAYS. ``kenmerk``
    (as typed): the one invoice with it, if the filter holds it too; one page.
    InvalidInput (at ``where``, the request's part) for a filter that cannot be meant,
    and for a patient number nothing has as typed but the list has in another letter
    case (an empty first page; ``refuse_another_case``). ``recorded=False``: the caller
    records the page in the one read of all its answer shows (R32: one view, one read)."""
    provider_id = tenant_for(user, Role.VIEWER)
    check_filter(wanted, where)
    wanted = replace(wanted, patient_ref=patient_number(wanted.patient_ref))
    today = ctx.clock.today()
    if kenmerk and after:
        raise InvalidInput(f"{where}.cursor", "cursor_with_reference")
    found: Invoice | None = None
    if kenmerk:
        found = find_by_reference(user, kenmerk, ctx, where=where)
        invoices, last = [found] if found and admits(wanted, found) else [], None
    else:
        if wanted.patient_name.strip() and not wanted.issued_from:
            since = today - timedelta(NAME_SEARCH_DAYS)
            wanted = replace(wanted, issued_from=since.isoformat())
        invoices, last = ctx.store.list_invoices(provider_id, wanted, limit=limit, after=after)
    if not invoices and not after and wanted.patient_ref:
        # the first page only: a list read on has had invoices
        held = ([found] if found else []) if kenmerk else _period(provider_id, wanted, ctx)
        with read_if_refused_for_case(lambda number: _record_list(user, wanted, [], ctx, number)):
            _refuse_another_case(wanted, held, where)
    if recorded:
        _record_list(user, wanted, invoices, ctx)
    return InvoicePage(invoices, last, today)


def final_notices_waiting(page: InvoicePage, ctx: ProviderContext) -> frozenset[str]:
    """R19, R35: the ids of the page's invoices whose final notice has not gone yet
    (queued, held by a hold on another invoice of its letter, or to go again after a
    bounce), by the invoice page's own test (``final_notice_waits``), so that the list
    says it is still to be sent, as that page and the checker do. Only an invoice in the
    notice's state needs its letter, and not one that carries the notice itself: the
    letter's other invoices are taken from the page, and those not on it read in one
    BatchGetItem (a hundred a request); a page without such a letter reads nothing more.
    Nothing of those read is shown, so they are no read of the list's (R32)."""
    in_notice = [i for i in page.invoices if _in_notice(i, page.as_of)]
    unsure = [i for i in in_notice if not final_notice_waits(i, _NOTICE, ())]
    at_hand = {invoice.invoice_id: invoice for invoice in page.invoices}
    wanted = {other for i in unsure for other in others_of_the_notice(i)} - at_hand.keys()
    if wanted:
        provider_id = unsure[0].provider_id
        at_hand |= {i.invoice_id: i for i in ctx.store.get_invoices(provider_id, sorted(wanted))}

    def waits(invoice: Invoice) -> bool:
        letter = [at_hand[i] for i in others_of_the_notice(invoice) if i in at_hand]
        return final_notice_waits(invoice, _NOTICE, letter)

    return frozenset(invoice.invoice_id for invoice in in_notice if waits(invoice))


_NOTICE = InvoiceState.SECOND_NOTICE_SENT


def _in_notice(invoice: Invoice, today: date) -> bool:
    return invoice_state(invoice, today) is _NOTICE


def _record_list(
    user: ProviderUser,
    wanted: InvoiceFilter,
    invoices: list[Invoice],
    ctx: ProviderContext,
    found: str = "",
) -> None:
    """A page's one read record: ids, never a name typed (R32, NEN 7513). The number
    asked for and each patient of the page (``found``: the one a refusal named), so that
    a patient's reads are found by their number also once their invoices are deleted
    (legal-nl.md §8) and the access log says whose invoices a list showed; and every
    invoice, so that they are found by their invoices' ids also when a name search or an
    unfiltered list showed them. At most 100 invoices (45 characters each) and 100
    numbers (the list's filter takes 64 characters), about 12 KB, well inside a DynamoDB
    item."""
    subjects = patients_named([wanted.patient_ref, *(i.patient_ref for i in invoices), found])
    subjects += ["by_name"] if wanted.patient_name.strip() else []
    subjects += [f"invoice:{i.invoice_id}" for i in invoices]
    ctx.record_read(user, ReadKind.INVOICE_LIST, " ".join(subjects))


def _period(provider_id: str, wanted: InvoiceFilter, ctx: ProviderContext) -> Iterator[Invoice]:
    """The practice's invoices of the list's period, page by page, as the audit's check
    reads them (up to its last day): at most the list's whole period, once."""
    return ctx.store.provider_invoices(
        provider_id, issued_from=wanted.issued_from, issued_until=wanted.issued_until
    )


def _refuse_another_case(wanted: InvoiceFilter, held: Iterable[Invoice], where: str) -> None:
    """``refuse_another_case`` for an empty list: of ``held``, those its other filters
    hold (``admits``), so that the number it names has invoices in this list."""
    but_for_the_number = replace(wanted, patient_ref="")
    written = (invoice for invoice in held if admits(but_for_the_number, invoice))
    refuse_another_case(wanted.patient_ref, written, f"{where}.patient_ref")


def check_filter(wanted: InvoiceFilter, where: str) -> None:
    """The refusals the API's list and search and the portal share (audit INTERFACES1,
    INTERFACES6): a period the wrong way round would answer an empty list as if there
    were no invoices, a name with no letters or digits every invoice as if it matched."""
    if wanted.issued_from and wanted.issued_until and wanted.issued_from > wanted.issued_until:
        raise InvalidInput(f"{where}.from", "from_after_to")
    if wanted.patient_name.strip() and not search_terms(wanted.patient_name):
        raise InvalidInput(f"{where}.name", "name_without_letters")


def invoice_detail(
    user: ProviderUser, invoice_id: str, ctx: ProviderContext
) -> InvoiceDetail | None:
    """The invoice page's data; None for an id the provider does not have."""
    provider_id = tenant_for(user, Role.VIEWER)
    return _shown(user, ctx.store.get_invoice(provider_id, invoice_id), ctx)


def find_by_reference(
    user: ProviderUser, kenmerk: str, ctx: ProviderContext, *, where: str = "query"
) -> Invoice | None:
    """The provider's invoice with this betalingskenmerk, as typed or pasted; None
    for an unknown one or another tenant's, alike (R26). InvalidInput (at ``where``'s
    ``reference``) for one that is no kenmerk: said, not answered as "no such invoice"
    (closing 14), and decided from the digits alone, before any read."""
    provider_id = tenant_for(user, Role.VIEWER)
    try:
        reference = betalingskenmerk.parse_ours(kenmerk)
    except betalingskenmerk.InvalidReference:
        raise InvalidInput(f"{where}.reference", "malformed_kenmerk") from None
    invoice = ctx.store.find_invoice_by_reference(reference)
    return invoice if invoice is not None and invoice.provider_id == provider_id else None


def stop_invoice(
    user: ProviderUser,
    invoice_id: str,
    request: StopRequest,
    ctx: ProviderContext,
    *,
    cause: RequestCause,
    seen_entries: int | None = None,
) -> InvoiceDetail | None:
    """R21: book the stop and e-mail the patient the lowered amount with a pay link —
    never a new invoice; to a patient without an e-mail address that works, on paper (R7).
    The ledger says which user stopped it (R27).

    ``cause``: what this stop is known by, the same for a retry of the request
    (``idempotency.request_cause``). A retry whose first attempt saved the stop and then
    failed (the e-mail not queued: a 5xx, so its key was released) finds the stop booked
    and books nothing more; the e-mail is queued again under the same event id, and the
    delivery sends it once (R38). Only within the key's lifetime (``retry_causes``): the
    same key sent a day later is a new stop, booked and told under an id of its own. The
    same key with another request (another amount, reason, e-mail) is refused
    (``KeyReused``), as the key's record refuses it. The answer is the invoice page: a
    read (R32).

    ``seen_entries``: the number of ledger entries of the invoice its user saw when they
    chose the stop (the portal's form); refused (``invoice_changed``) when the ledger has
    changed since, so that a second form of a page opened before a stop (another tab, the
    back button: a new one-time key) books no second coulance (R21, R38; audit nen7513).
    None: asked without a page (the API's Idempotency-Key is the client's)."""
    provider_id = tenant_for(user, Role.STAFF)
    invoice = ctx.store.get_invoice(provider_id, invoice_id)
    if invoice is None:
        return None
    now = ctx.clock.now()
    # The stop's entry is caused by its user and its id (R27); the id names its e-mail.
    by_user = f"provider:{user.user_id}:"
    causes = retry_causes(cause, now, named=f"{by_user}stop-")

    def booked_before(current: Invoice) -> LedgerEntry | None:
        """This request's stop when an attempt of it booked it already; ``KeyReused``
        when that attempt asked another stop under the same key (R38)."""
        booked = next((e for e in current.ledger if causes.made(e.cause, e.recorded)), None)
        if booked is not None:
            causes.same_request(booked.request_fingerprint)
        return booked

    def stop(current: Invoice) -> Invoice:
        if booked_before(current):
            return current
        stopped = practice_stop(current, request, now, causes.new, causes.request)
        # After the stop's own refusals (nothing open, paid: they say more), before it is
        # saved: a form of a page opened before the ledger changed books nothing.
        if seen_entries is not None and len(current.ledger) != seen_entries:
            raise practice_refused("invoice_changed")
        return stopped

    try:
        stored, _ = save_change(ctx.store, invoice, stop)
    except Refused:
        # A claim at the agency stopped already, its patient's release lost its race (a
        # 409 "saved, send it again") and the stop sent again without its key: nothing
        # open to stop, the patient released all the same (R22, R28; released only when
        # paid, idempotent).
        release_settled_claim(ctx.store, invoice, ctx.clock)
        raise
    booked = booked_before(stored)
    stop_id = (booked.cause if booked else causes.new).removeprefix(by_user)
    release_settled_claim(ctx.store, stored, ctx.clock)  # a stop can settle it (R22)
    if reaches_patient(stored, STOP_CONFIRMATION):  # never to a bounced address (R7)
        ctx.delivery.enqueue(
            [DeliveryRequest(provider_id, invoice_id, kind=STOP_CONFIRMATION, event_id=stop_id)]
        )
    return _shown(user, stored, ctx)


def hold_invoice(
    user: ProviderUser, invoice_id: str, until: date, reason: str, ctx: ProviderContext
) -> InvoiceDetail | None:
    """R16: dunning pauses up to and including ``until``, at most 60 days with today
    (changes.hold). The hold keeps who placed it, and the answer is the invoice page: a
    read (R32)."""
    provider_id = tenant_for(user, Role.STAFF)
    invoice = ctx.store.get_invoice(provider_id, invoice_id)
    if invoice is None:
        return None
    today = ctx.clock.today()

    def hold(current: Invoice) -> Invoice:
        return put_on_hold(current, until, reason, today, by=user.user_id)

    stored, _ = save_change(ctx.store, invoice, hold)
    return _shown(user, stored, ctx)


def _shown(
    user: ProviderUser, invoice: Invoice | None, ctx: ProviderContext
) -> InvoiceDetail | None:
    """The invoice page of ``user``'s practice, recorded as read by them (R32, NEN 7513):
    every answer that shows it, the page itself or a change's, goes through here."""
    if invoice is None:
        return None
    provider_id = invoice.provider_id
    provider = ctx.store.cached_provider(provider_id)
    actions = ctx.store.invoice_actions(provider_id, invoice.invoice_id)
    if provider is not None and actions:
        # A proposal with the figures of the invoice shown, as "apply" books them (R17).
        # Imported here: the coulance rules only for an invoice with actions (issue 18 (d)).
        from billing_core.changes.coulance import proposal_as_now

        actions = [proposal_as_now(a, invoice, provider) for a in actions]
    policy = provider.dunning if provider else DunningPolicy()
    today = ctx.clock.today()
    ctx.record_read(user, ReadKind.INVOICE, naming_patient(invoice.invoice_id, invoice.patient_ref))
    # R19: a final notice sent again waits on its letter's lead; each invoice says so
    letter = rest_of_the_notice(ctx.store, invoice)
    waits = final_notice_waits(invoice, invoice_state(invoice, today), letter)
    due = breakdown(invoice, policy, today, letter=letter)
    return InvoiceDetail(invoice, actions, today, due, final_notice_waits=waits)
