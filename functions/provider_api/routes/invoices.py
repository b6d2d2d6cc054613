"""The practice's invoices: the list, a search by name (in the body, R29), one invoice, a
stop (R21) and a hold (R16)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from billing_core import bootstrap
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.error_document import reading_the_settings
from billing_core.entrypoints.http.errors import NO_INVOICE, found
from billing_core.entrypoints.http.idempotency import request_cause
from billing_core.entrypoints.http.provider_models import (
    PATIENT_REF_TEXT,
    REFERENCE_TEXT,
    HoldIn,
    InvoiceDetailOut,
    InvoiceFilterIn,
    InvoiceListOut,
    InvoiceSearchIn,
    InvoiceSummaryOut,
    StopIn,
)
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.invoices.invoice import INVOICE_ID_PATTERN
from billing_core.providers.users import Role
from billing_core.services.inputs import InvalidInput
from billing_core.services.provider import invoices
from billing_core.services.provider.invoices import InvoiceDetail

router = ResourceRouter("Invoices", role=Role.VIEWER)
INVOICE_ID = Annotated[str, Path(pattern=INVOICE_ID_PATTERN)]
SEARCH_PATH = "/api/v1/provider/invoices/search"


@router.get("/api/v1/provider/invoices", summary="Your invoices, newest first, filtered")
def list_invoices(
    status: Annotated[Literal["open", "partly_paid", "paid"] | None, Query()] = None,
    patient_ref: Annotated[str | None, Query(max_length=64, description=PATIENT_REF_TEXT)] = None,
    issued_from: Annotated[date | None, Query(alias="from")] = None,
    issued_until: Annotated[date | None, Query(alias="to")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor_token: Annotated[str | None, Query(alias="cursor")] = None,
    reference: Annotated[str | None, Query(max_length=40, description=REFERENCE_TEXT)] = None,
    # Declared, not documented, so that its refusal names the search route (R29); the
    # API refuses any parameter a route does not declare (unknown_query_refused).
    name: Annotated[str | None, Query(include_in_schema=False)] = None,
) -> InvoiceListOut:
    if name is not None:
        raise InvalidInput("query.name", "name_never_in_url", path=SEARCH_PATH)
    # The query's filters read as the search's body reads them: one filter model.
    asked = {"status": status, "patient_ref": patient_ref, "reference": reference}
    filters = InvoiceFilterIn.model_validate(asked | {"from": issued_from, "to": issued_until})
    return _listed(filters, limit, cursor_token, where="query")


@router.post(SEARCH_PATH, summary="Your invoices of a patient or debtor found by name")
def search_invoices(body: InvoiceSearchIn) -> InvoiceListOut:
    """A POST so that the name travels in the body: R29 keeps names out of URLs (and so
    out of browser histories and access logs)."""
    return _listed(body, body.limit, body.cursor, name=body.name, where="body")


def _listed(
    filters: InvoiceFilterIn,
    limit: int,
    cursor_token: str | None,
    *,
    name: str = "",
    where: str,
) -> InvoiceListOut:
    ctx = bootstrap.current().provider_context()
    page = invoices.list_invoices(
        caller(router.current_event),
        filters.wanted(name),
        limit,
        cursor.after(cursor_token),
        ctx,
        kenmerk=filters.reference or "",
        where=where,
    )
    return InvoiceListOut(
        # R19: a final notice not gone yet says so, as the portal's lists (the state stays)
        items=InvoiceSummaryOut.listed(page, invoices.final_notices_waiting(page, ctx)),
        next_cursor=cursor.following(page.next_position),
    )


@router.get(
    "/api/v1/provider/invoices/<invoice_id>",
    summary="Lines, ledger, letters and actions",
    responses=reading_the_settings(InvoiceDetailOut),
)
def get_invoice(invoice_id: INVOICE_ID) -> InvoiceDetailOut:
    detail = invoices.invoice_detail(
        caller(router.current_event), invoice_id, bootstrap.current().provider_context()
    )
    return _out(detail)


@router.post(
    "/api/v1/provider/invoices/<invoice_id>/stop",
    summary="Stop (part of) an invoice (R21)",
    role=Role.STAFF,
)
def stop(invoice_id: INVOICE_ID, body: StopIn) -> InvoiceDetailOut:
    event = router.current_event
    detail = invoices.stop_invoice(
        caller(event),
        invoice_id,
        body.request(),
        bootstrap.current().provider_context(),
        cause=request_cause(event.raw_event),
    )
    return _out(detail)


@router.post(
    "/api/v1/provider/invoices/<invoice_id>/hold",
    role=Role.STAFF,
    summary="Pause dunning, at most 60 days (R16)",
    description=(
        "Dunning pauses until `until`: at most 60 days ahead, and 60 days in all, renewals "
        "included (422 `hold_out_of_range`, `hold_limit_reached`). A paid invoice, or a "
        "claim already with the collection agency (dunning is over, the agency collects, "
        "R18): 409 `paid`, `with_collection_agency`."
    ),
)
def hold(invoice_id: INVOICE_ID, body: HoldIn) -> InvoiceDetailOut:
    detail = invoices.hold_invoice(
        caller(router.current_event),
        invoice_id,
        body.until,
        body.reason,
        bootstrap.current().provider_context(),
    )
    return _out(detail)


def _out(detail: InvoiceDetail | None) -> InvoiceDetailOut:
    """A missing invoice (or another tenant's) is not found."""
    return InvoiceDetailOut.of_detail(found(detail, NO_INVOICE))
