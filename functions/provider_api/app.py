"""Provider API behind the Cognito authorizer (interfaces.md §2, R1, R26)."""

from __future__ import annotations

import json
from datetime import date, datetime
from http import HTTPStatus
from typing import Annotated, Literal

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, UnauthorizedError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from billing_core import bootstrap
from billing_core.collection.blocking import block_changes_csv, blocked_patients_csv
from billing_core.collection.debtor_risk import MONTH_PATTERN, Month, debtor_risk
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.errors import error_response, validation_message
from billing_core.entrypoints.http.provider_models import (
    ActionListOut,
    ActionOut,
    ActionPatch,
    BlockChangeListOut,
    BlockChangeOut,
    BlockedPatientListOut,
    BlockedPatientOut,
    DebtorRiskOut,
    DeclarationDetailOut,
    DeclarationListOut,
    DeclarationOut,
    HoldIn,
    InvoiceDetailOut,
    InvoiceListOut,
    InvoiceSummaryOut,
    RetourUploadRequest,
    RetourUploadTicketOut,
    RetrocessionListOut,
    RetrocessionStatementOut,
    RetrocessionWeekOut,
    StopIn,
    UploadRequest,
    UploadTicketOut,
)
from billing_core.invoices.invoice import Invoice
from billing_core.providers.actions import ActionState
from billing_core.providers.retrocession import WEEK_PATTERN, InvalidWeek, Week, statement_key
from billing_core.services.provider import (
    CoulanceDecision,
    decide_coulance,
    hold_invoice,
    request_upload,
    retour_upload_key,
    stop_invoice,
)
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import Refused, StateConflict

logger = Logger()
tracer = Tracer()
app = APIGatewayRestResolver(enable_validation=True)
app.enable_swagger(path="/api/v1/docs", title="zorgnota provider API", version="1.0.0")

PROVIDER_CLAIM = "custom:provider_id"


def user_id() -> str:
    """Who acted, for the ledger (R27): the Cognito user's id, never a name or e-mail."""
    claims = app.current_event.request_context.authorizer.claims or {}
    return str(claims.get("sub", "unknown"))


def provider_id() -> str:
    """The tenant, from the verified Cognito token only: never from path or body (R26)."""
    claims = app.current_event.request_context.authorizer.claims or {}
    tenant = claims.get(PROVIDER_CLAIM)
    if not tenant:
        raise UnauthorizedError("no provider in token")
    return str(tenant)


@app.post("/api/v1/provider/declarations", summary="Ask for an upload URL for a declaration file")
def create_declaration(body: UploadRequest) -> Response[UploadTicketOut]:
    rt = bootstrap.current()
    ticket = request_upload(
        provider_id(),
        body.file_name,
        store=rt.repository,
        urls=rt.upload_urls,
        clock=rt.clock,
        expires_in_seconds=rt.settings.upload_url_seconds,
    )
    out = UploadTicketOut(
        declaration_id=ticket.declaration_id,
        upload_url=ticket.upload_url,
        expires_at=ticket.expires_at,
    )
    return Response(HTTPStatus.CREATED.value, body=out, content_type="application/json")


@app.get("/api/v1/provider/declarations", summary="Your uploads, newest first")
def list_declarations(
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor_token: Annotated[str | None, Query(alias="cursor")] = None,
) -> DeclarationListOut:
    after = cursor.decode(cursor_token) if cursor_token else None
    records, last = bootstrap.current().repository.list_declarations(
        provider_id(), limit=limit, after=after
    )
    return DeclarationListOut(
        items=[DeclarationOut.of(r) for r in records],
        next_cursor=cursor.encode(last) if last else None,
    )


@app.get(
    "/api/v1/provider/declarations/<declaration_id>",
    summary="Status and processing report of one upload",
)
def get_declaration(
    declaration_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,64}$")],
) -> DeclarationDetailOut:
    rt = bootstrap.current()
    record = rt.repository.get_declaration(provider_id(), declaration_id)
    if record is None:
        raise NotFoundError("declaration not found")
    findings = []
    if record.report_key:
        findings = json.loads(rt.output_files.get(record.report_key))["findings"]
    return DeclarationDetailOut(**DeclarationOut.of(record).model_dump(), findings=findings)


@app.get("/api/v1/provider/invoices", summary="Your invoices, newest first, filtered")
def list_invoices(
    status: Annotated[Literal["open", "partly_paid", "paid"] | None, Query()] = None,
    patient_ref: Annotated[str | None, Query(max_length=64)] = None,
    issued_from: Annotated[date | None, Query(alias="from")] = None,
    issued_until: Annotated[date | None, Query(alias="to")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor_token: Annotated[str | None, Query(alias="cursor")] = None,
) -> InvoiceListOut:
    rt = bootstrap.current()
    invoices, last = rt.repository.list_invoices(
        provider_id(),
        limit=limit,
        after=cursor.decode(cursor_token) if cursor_token else None,
        issued_from=issued_from.isoformat() if issued_from else "",
        issued_until=issued_until.isoformat() if issued_until else "",
        patient_ref=patient_ref or "",
    )
    today = rt.clock.today()
    summaries = [InvoiceSummaryOut.of(i, today) for i in invoices]
    if status:
        summaries = [s for s in summaries if s.payment_status == status]
    return InvoiceListOut(items=summaries, next_cursor=cursor.encode(last) if last else None)


@app.get("/api/v1/provider/invoices/<invoice_id>", summary="Lines, ledger, letters and actions")
def get_invoice(invoice_id: Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]) -> InvoiceDetailOut:
    rt = bootstrap.current()
    tenant = provider_id()
    return _detail(tenant, rt.repository.get_invoice(tenant, invoice_id))


@app.post("/api/v1/provider/invoices/<invoice_id>/stop", summary="Stop (part of) an invoice (R21)")
def stop(
    invoice_id: Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")], body: StopIn
) -> InvoiceDetailOut:
    rt = bootstrap.current()
    tenant = provider_id()
    stopped = stop_invoice(
        tenant,
        invoice_id,
        body.request(),
        store=rt.repository,
        clock=rt.clock,
        delivery=rt.delivery_queue,
        user=user_id(),
    )
    return _detail(tenant, stopped)


@app.post(
    "/api/v1/provider/invoices/<invoice_id>/hold", summary="Pause dunning, at most 60 days (R16)"
)
def hold(
    invoice_id: Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")], body: HoldIn
) -> InvoiceDetailOut:
    rt = bootstrap.current()
    tenant = provider_id()
    held = hold_invoice(
        tenant, invoice_id, body.until, body.reason, store=rt.repository, clock=rt.clock
    )
    return _detail(tenant, held)


def _detail(tenant: str, invoice: Invoice | None) -> InvoiceDetailOut:
    """The invoice page's data; a missing invoice (or another tenant's) is not found."""
    if invoice is None:
        raise NotFoundError("invoice not found")
    rt = bootstrap.current()
    actions = [a for a in rt.repository.list_actions(tenant) if a.invoice_id == invoice.invoice_id]
    return InvoiceDetailOut.of_detail(invoice, actions, rt.clock.today())


@app.get("/api/v1/provider/actions", summary="Everything waiting for you (R23)")
def list_actions(state: Annotated[Literal["open", "done"] | None, Query()] = None) -> ActionListOut:
    chosen = ActionState(state) if state else None
    actions = bootstrap.current().repository.list_actions(provider_id(), chosen)
    return ActionListOut(items=[ActionOut.of(a) for a in actions])


@app.patch("/api/v1/provider/actions/<action_id>", summary="Mark an action done (or open again)")
def patch_action(action_id: Annotated[str, Path(max_length=64)], body: ActionPatch) -> ActionOut:
    rt = bootstrap.current()
    if body.decision is not None:
        if body.state != "done":
            raise _invalid("body.state", "a decision closes the action: send state done")
        updated = decide_coulance(
            provider_id(),
            action_id,
            CoulanceDecision(body.decision),
            store=rt.repository,
            clock=rt.clock,
            delivery=rt.delivery_queue,
            user=user_id(),
        )
    else:
        updated = rt.repository.set_action_state(provider_id(), action_id, ActionState(body.state))
    if updated is None:
        raise NotFoundError("action not found")
    return ActionOut.of(updated)


# --- retrocession statements (R24) and debtor-risk figures (R25) ------------------------------

DEBTOR_RISK_MAX_MONTHS = 36  # computed on demand from the invoices: a bounded read


@app.get("/api/v1/provider/retrocessions", summary="Your weekly statements, newest first (R24)")
def list_retrocessions(
    limit: Annotated[int, Query(ge=1, le=104)] = 52,
    before: Annotated[str | None, Query(pattern=WEEK_PATTERN, description="e.g. 2026-W40")] = None,
) -> RetrocessionListOut:
    found = bootstrap.current().repository.list_retrocessions(
        provider_id(), limit=limit + 1, before=_week(before, "query.before") if before else None
    )
    page = found[:limit]
    older = len(found) > limit
    return RetrocessionListOut(
        items=[RetrocessionWeekOut.of(s) for s in page],
        next_before=page[-1].week.label if older else None,
    )


@app.get(
    "/api/v1/provider/retrocessions/<week>",
    summary="One week's statement, as JSON or as a CSV download (R24)",
    responses={
        200: {
            "description": "The statement: every ledger entry of the week, totals, fee, payout",
            "content": {
                "application/json": {"model": RetrocessionStatementOut},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
def get_retrocession(  # noqa: ANN201 - JSON or CSV: the responses above document both
    week: Annotated[str, Path(pattern=WEEK_PATTERN, description="ISO week, e.g. 2026-W48")],
    output_format: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
):
    tenant = provider_id()
    chosen = _week(week, "path.week")
    rt = bootstrap.current()
    # Both keys come from the token's provider, never from the request (R26): another
    # provider's week label finds this provider's statement of that week, or nothing.
    if rt.repository.get_retrocession(tenant, chosen) is None:
        raise NotFoundError("no statement for that week")
    body = rt.output_files.get(statement_key(tenant, chosen, output_format))
    if output_format == "csv":
        name = f"retrocessie-{tenant}-{chosen.label}.csv"
        return Response(
            HTTPStatus.OK.value,
            "text/csv; charset=utf-8",
            body.decode("utf-8"),
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return RetrocessionStatementOut.model_validate_json(body)


@app.get(
    "/api/v1/provider/debtor-risk",
    summary="How your invoices ended up, per month of issue (R25)",
)
def get_debtor_risk(
    from_month: Annotated[
        str | None,
        Query(alias="from", pattern=MONTH_PATTERN, description="YYYY-MM; default: to - 11 months"),
    ] = None,
    to_month: Annotated[
        str | None,
        Query(alias="to", pattern=MONTH_PATTERN, description="YYYY-MM; default: this month"),
    ] = None,
) -> DebtorRiskOut:
    rt = bootstrap.current()
    today = rt.clock.today()
    last = Month.parse(to_month) if to_month else Month.of(today)
    first = Month.parse(from_month) if from_month else last.minus(11)
    if last < first or first < last.minus(DEBTOR_RISK_MAX_MONTHS - 1):
        limit = f"from must be on or before to, at most {DEBTOR_RISK_MAX_MONTHS} months"
        raise _invalid("query.from", limit)
    # Computed on demand from the by-provider index over the issue-date range (R25).
    invoices = rt.repository.provider_invoices(
        provider_id(),
        issued_from=first.first_day.isoformat(),
        issued_until=last.last_day.isoformat(),
    )
    return DebtorRiskOut.of(debtor_risk(invoices, first, last, today))


def _week(label: str, where: str) -> Week:
    try:
        return Week.parse(label)
    except InvalidWeek:
        raise _invalid(where, "not an ISO week of that year, like 2026-W48") from None


def _invalid(where: str, message: str) -> RequestValidationError:
    """Answered like any validation error: 400 with where and what."""
    return RequestValidationError([{"loc": tuple(where.split(".")), "msg": message}])


# --- insurer retour files (interfaces.md §1b, issue 7) -----------------------------------------


@app.post(
    "/api/v1/provider/retour-files",
    summary="Ask for an upload URL for an insurer's retour file (PM305, MZ302)",
)
def create_retour_upload(body: RetourUploadRequest) -> Response[RetourUploadTicketOut]:
    """The granted amounts in it are deducted on the patients' invoices (R5); the upload's
    status and report are at GET /api/v1/provider/declarations/{upload_id}."""
    rt = bootstrap.current()
    ticket = request_upload(
        provider_id(),
        body.file_name,
        store=rt.repository,
        urls=rt.upload_urls,
        clock=rt.clock,
        expires_in_seconds=rt.settings.upload_url_seconds,
        key_for=retour_upload_key,
    )
    out = RetourUploadTicketOut(
        upload_id=ticket.declaration_id, upload_url=ticket.upload_url, expires_at=ticket.expires_at
    )
    return Response(HTTPStatus.CREATED.value, body=out, content_type="application/json")


# --- blocked patients (R22, seed 002 advice 7) ---------------------------------------------------

_CSV_OR_JSON = "json, or csv (; separated, one header row) for import into practice software"


@app.get(
    "/api/v1/provider/blocked-patients",
    summary="Your patients with a claim at the collection agency (R22)",
    responses={
        200: {
            "description": "Patient numbers and since when; CSV columns patient_ref;blocked_at",
            "content": {
                "application/json": {"model": BlockedPatientListOut},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
def list_blocked_patients(  # noqa: ANN201 - JSON or CSV: the responses above document both
    output_format: Annotated[
        Literal["json", "csv"], Query(alias="format", description=_CSV_OR_JSON)
    ] = "json",
):
    rt = bootstrap.current()
    tenant = provider_id()
    blocked = rt.repository.blocked_patients(tenant)
    if output_format == "csv":
        name = f"geblokkeerde-patienten-{tenant}-{rt.clock.today().isoformat()}.csv"
        return _csv_download(name, blocked_patients_csv(blocked))
    return BlockedPatientListOut(items=[BlockedPatientOut.of(b) for b in blocked])


@app.get(
    "/api/v1/provider/blocked-patients/changes",
    summary="Blocks and unblocks since a moment, for your practice software (R22)",
    responses={
        200: {
            "description": "Oldest first; CSV columns patient_ref;change;at",
            "content": {
                "application/json": {"model": BlockChangeListOut},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
def list_block_changes(  # noqa: ANN201 - JSON or CSV: the responses above document both
    since: Annotated[
        str,
        Query(
            max_length=40,
            description="ISO 8601 moment, inclusive: 2026-11-25T08:00:00Z, an offset (+ as %2B), "
            "or a date (midnight, Dutch time)",
        ),
    ],
    output_format: Annotated[
        Literal["json", "csv"], Query(alias="format", description=_CSV_OR_JSON)
    ] = "json",
):
    rt = bootstrap.current()
    tenant = provider_id()
    moment = _moment(since, "query.since")
    changes = rt.repository.block_changes(tenant, moment)
    if output_format == "csv":
        name = f"blokkade-wijzigingen-{tenant}-{moment.date().isoformat()}.csv"
        return _csv_download(name, block_changes_csv(changes))
    return BlockChangeListOut(
        since=moment,
        items=[BlockChangeOut.of(c) for c in changes],
        next_since=changes[-1].at.astimezone(AMSTERDAM) if changes else moment,
    )


def _moment(text: str, where: str) -> datetime:
    """An ISO 8601 moment; without an offset it is Dutch time (Europe/Amsterdam)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise _invalid(where, "not an ISO 8601 moment like 2026-11-25T08:00:00Z") from None
    return moment.astimezone(AMSTERDAM) if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)


def _csv_download(name: str, text: str) -> Response:
    return Response(
        HTTPStatus.OK.value,
        "text/csv; charset=utf-8",
        text,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@app.get("/api/v1/openapi.json", include_in_schema=False)
def openapi():  # noqa: ANN201 - a typed Response would enter the schema it serves
    return Response(200, "application/json", app.get_openapi_json_schema())


@app.exception_handler(RequestValidationError)
def invalid_request(error: RequestValidationError) -> Response:
    return error_response(
        HTTPStatus.BAD_REQUEST, "validation_error", validation_message(error.errors())
    )


@app.exception_handler(cursor.InvalidCursor)
def invalid_cursor(_: cursor.InvalidCursor) -> Response:
    return error_response(HTTPStatus.BAD_REQUEST, "invalid_cursor", "cursor is not valid")


@app.exception_handler(Refused)
def refused(error: Refused) -> Response:
    status = (
        HTTPStatus.CONFLICT if isinstance(error, StateConflict) else HTTPStatus.UNPROCESSABLE_ENTITY
    )
    return error_response(status, error.code, f"{error.message_nl} / {error.message_en}")


@app.exception_handler(NotFoundError)
def not_found(error: NotFoundError) -> Response:
    return error_response(HTTPStatus.NOT_FOUND, "not_found", str(error.msg))


@app.exception_handler(UnauthorizedError)
def unauthorized(_: UnauthorizedError) -> Response:
    return error_response(HTTPStatus.UNAUTHORIZED, "unauthorized", "log in again")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
