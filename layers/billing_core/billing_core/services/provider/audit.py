"""The practice's own audit of reads (R32, NEN 7513, Wabvpz): its admin lists who read
the practice's data in a period, or a patient's data only, so that the practice can tell
a patient who read their data and when (the care provider answers that, not zorgnota).
Its own practice's reads only: the tenant of the token (R26). Listing it is a read of
who read the patient's data: recorded, naming the period and the patient."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import date
from functools import partial

from billing_core.providers.users import ProviderUser, Role
from billing_core.services.inputs import read_if_refused_for_case
from billing_core.services.operator.audit import (
    PRACTICE_MAX_DAYS,
    AuditPage,
    audit_subject,
    checked_period,
    list_reads,
    patient_filter,
)
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.audit import (
    AUDIT_PAGE,
    MAX_AUDIT_PAGE,
    ReadKind,
    ReadRecord,
    reads_csv,
    single_read_id,
)

__all__ = ["every_practice_read", "invoices_read", "practice_reads", "readers", "reads_csv"]

OPERATOR_ROLE = "operators"  # the role an operator's reads are recorded in
ZORGNOTA = "zorgnota"  # who an operator's read is by, as the practice reads it
# The CSV holds the whole period: at most this many pages of MAX_AUDIT_PAGE reads; a
# longer answer asks for a shorter period (one request stays inside an API's 29 s).
CSV_PAGES = 20


def practice_reads(
    user: ProviderUser,
    first_day: date,
    last_day: date,
    ctx: ProviderContext,
    *,
    patient_ref: str = "",
    limit: int = AUDIT_PAGE,
    after: str | None = None,
) -> AuditPage:
    """A page of the practice's reads of ``first_day`` to ``last_day`` (Dutch days,
    inclusive, at most PRACTICE_MAX_DAYS), oldest first; only those concerning
    ``patient_ref`` when given. Admins only (403 for staff and viewers)."""
    provider_id = tenant_for(user, Role.ADMIN)
    checked_period(first_day, last_day, PRACTICE_MAX_DAYS)
    with _listing_if_refused(user, first_day, last_day, patient_ref, ctx):
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
    _record_listing(user, first_day, last_day, patient_ref, ctx)
    return page


def every_practice_read(
    user: ProviderUser,
    first_day: date,
    last_day: date,
    ctx: ProviderContext,
    *,
    patient_ref: str = "",
) -> list[ReadRecord]:
    """Every read of the period (for the CSV a practice hands its patient) up to the
    moment it is asked for, recorded as one listing; InvalidInput when more than
    CSV_PAGES pages: ask for a shorter period. A read written while the file is read is
    the next file's: the patient's filter, built once as it starts, knows no invoice
    issued since, so the patient's file would miss one the practice's file holds."""
    provider_id = tenant_for(user, Role.ADMIN)
    checked_period(first_day, last_day, PRACTICE_MAX_DAYS)
    asked_at = ctx.clock.now()
    found: list[ReadRecord] = []
    position: str | None = None
    # built once for the whole file (a patient's invoices and actions), none for every read
    patient_ref = patient_ref.strip()
    with _listing_if_refused(user, first_day, last_day, patient_ref, ctx):
        concerns = (
            patient_filter(ctx.store, provider_id, patient_ref, last_day) if patient_ref else None
        )
    for _ in range(CSV_PAGES):
        page = list_reads(
            provider_id,
            first_day,
            last_day,
            ctx.audit,
            ctx.store,
            now=asked_at,
            limit=MAX_AUDIT_PAGE,
            after=position,
            patient_ref=patient_ref,
            concerns=concerns,
        )
        found += [record for record in page.records if record.at <= asked_at]
        position = page.next_position
        if position is None or any(record.at > asked_at for record in page.records):
            break  # oldest first: what follows is later still
    else:
        from billing_core.services.inputs import InvalidInput  # only a refusal needs it

        raise InvalidInput("query.to", "audit_too_long")
    _record_listing(user, first_day, last_day, patient_ref, ctx)
    return found


def readers(records: list[ReadRecord], user: ProviderUser, ctx: ProviderContext) -> dict[str, str]:
    """Who each read is by, as the practice tells its patient: a colleague's e-mail
    address as the user directory has it ("" for a user it no longer knows), ZORGNOTA
    for an operator (zorgnota's staff, by their id only)."""
    by_id: dict[str, str] = {}
    if any(r.role != OPERATOR_ROLE for r in records):
        by_id = {u.user_id: u.email for u in ctx.users.users_of(user.provider_id)}
    return {
        r.user_id: ZORGNOTA if r.role == OPERATOR_ROLE else by_id.get(r.user_id, "")
        for r in records
    }


def invoices_read(
    records: list[ReadRecord],
    user: ProviderUser,
    ctx: ProviderContext,
    known: Mapping[str, tuple[str, str]] | None = None,
) -> dict[str, tuple[str, str]]:
    """The kenmerk and patient number of each invoice a read of one invoice (or of its
    letter) names, by its id: the portal's access log says these, not the id, which the
    admin cannot read (R32, R35). One request per distinct invoice of the page not in
    ``known`` (a patient's page: ``AuditPage.invoices``, read by its filter); an invoice
    no longer found is left out (the page says "one invoice")."""
    provider_id = tenant_for(user, Role.ADMIN)
    single = (ReadKind.INVOICE, ReadKind.LETTER)
    ids = dict.fromkeys(
        single_read_id(r.subject).partition(":")[0] for r in records if r.kind in single
    )
    named = {i: known[i] for i in ids if known and i in known}
    for invoice_id in filter(lambda i: i and i not in named, ids):
        invoice = ctx.store.get_invoice(provider_id, invoice_id)
        if invoice is not None:
            named[invoice_id] = (invoice.reference, invoice.patient_ref)
    return named


def _record_listing(
    user: ProviderUser,
    first_day: date,
    last_day: date,
    patient_ref: str,
    ctx: ProviderContext,
    found: str = "",
) -> None:
    heading, *shown = audit_subject(first_day, last_day, patient_ref, found)
    ctx.record_shown(user, ReadKind.AUDIT, heading, shown)


def _listing_if_refused(
    user: ProviderUser, first_day: date, last_day: date, patient_ref: str, ctx: ProviderContext
) -> AbstractContextManager[None]:
    """The listing recorded, naming the patient it found, when a number in another letter
    case is refused (``read_if_refused_for_case``)."""
    return read_if_refused_for_case(
        partial(_record_listing, user, first_day, last_day, patient_ref, ctx)
    )
