"""Uploads of declaration files, their status and processing report (R1, R2)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from billing_core import bootstrap
from billing_core.declarations.csv_template import DOWNLOAD_FILE_NAME
from billing_core.declarations.upload import DECLARATION_ID_PATTERN
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.errors import NO_DECLARATION, found
from billing_core.entrypoints.http.idempotency import request_cause
from billing_core.entrypoints.http.provider_models import (
    DeclarationDetailOut,
    DeclarationListOut,
    DeclarationOut,
    UploadRequest,
    UploadTicketOut,
)
from billing_core.entrypoints.http.routing import (
    ResourceRouter,
    created,
    csv_download,
    csv_file,
)
from billing_core.providers.users import Role
from billing_core.services.provider import declarations

router = ResourceRouter("Declarations", role=Role.VIEWER)


@router.get(
    "/api/v1/provider/declarations/template.csv",
    summary="The CSV template: every column the reader knows, with an example line",
    responses=csv_file("The template, ;-separated UTF-8 with a BOM (for Excel)"),
)
def declaration_template() -> Response[str]:
    template = declarations.declaration_template(caller(router.current_event))
    return csv_download(DOWNLOAD_FILE_NAME, template)


@router.post(
    "/api/v1/provider/declarations",
    role=Role.STAFF,
    summary="Ask for an upload URL for a declaration file",
    responses=created(
        "The upload: PUT the file to upload_url with upload_headers", UploadTicketOut
    ),
)
def create_declaration(body: UploadRequest) -> Response[UploadTicketOut]:
    who, ctx = caller(router.current_event), bootstrap.current().provider_context()
    cause = request_cause(router.current_event.raw_event)  # a retry gets this upload (R38)
    ticket = declarations.request_declaration_upload(
        who, body.file_name, ctx, body.size_bytes, cause=cause
    )
    out = UploadTicketOut.of(ticket)
    return Response(HTTPStatus.CREATED.value, body=out, content_type="application/json")


@router.get("/api/v1/provider/declarations", summary="Your uploads, newest first")
def list_declarations(
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor_token: Annotated[str | None, Query(alias="cursor")] = None,
) -> DeclarationListOut:
    page = declarations.list_declarations(
        caller(router.current_event),
        limit,
        cursor.after(cursor_token),
        bootstrap.current().provider_context(),
    )
    return DeclarationListOut(
        items=[DeclarationOut.of(r) for r in page.records],
        next_cursor=cursor.following(page.next_position),
    )


@router.get(
    "/api/v1/provider/declarations/<declaration_id>",
    summary="Status and processing report of one upload",
)
def get_declaration(
    declaration_id: Annotated[str, Path(pattern=DECLARATION_ID_PATTERN)],
    findings_cursor: Annotated[str | None, Query()] = None,
    retour_codes_cursor: Annotated[str | None, Query()] = None,
) -> DeclarationDetailOut:
    report = declarations.declaration_report(
        caller(router.current_event),
        declaration_id,
        bootstrap.current().provider_context(),
        findings_from=cursor.decode_offset(findings_cursor),
        retour_codes_from=cursor.decode_offset(retour_codes_cursor),
    )
    report = found(report, NO_DECLARATION)
    return DeclarationDetailOut(
        # An upload processed before its record kept the stop: its report's findings say it.
        **(
            DeclarationOut.of(report.record).model_dump()
            | {"stopped_half_way": report.stopped_half_way}
        ),
        findings=report.findings.rows,
        finding_counts=report.finding_counts,
        findings_not_kept=list(report.findings_not_kept),
        next_findings_cursor=cursor.encode_offset(report.findings.following),
        retour_codes=report.retour_codes.rows,
        next_retour_codes_cursor=cursor.encode_offset(report.retour_codes.following),
        report_no_longer_kept=report.report_no_longer_kept,
    )
