"""Uploads of insurer retour files (interfaces.md §1b, issue 7)."""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from billing_core import bootstrap
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.idempotency import request_cause
from billing_core.entrypoints.http.provider_models import (
    RetourUploadRequest,
    RetourUploadTicketOut,
)
from billing_core.entrypoints.http.routing import ResourceRouter, created
from billing_core.providers.users import Role
from billing_core.services.provider import declarations

router = ResourceRouter("Retour files", role=Role.STAFF)


@router.post(
    "/api/v1/provider/retour-files",
    summary="Ask for an upload URL for an insurer's retour file (PM305, MZ302)",
    responses=created(
        "The upload: PUT the file to upload_url with upload_headers", RetourUploadTicketOut
    ),
)
def create_retour_upload(body: RetourUploadRequest) -> Response[RetourUploadTicketOut]:
    """The granted amounts in it are deducted on the patients' invoices (R5); the upload's
    status and report are at GET /api/v1/provider/declarations/{upload_id}."""
    who, ctx = caller(router.current_event), bootstrap.current().provider_context()
    cause = request_cause(router.current_event.raw_event)  # a retry gets this upload (R38)
    ticket = declarations.request_retour_upload(
        who, body.file_name, ctx, body.size_bytes, cause=cause
    )
    out = RetourUploadTicketOut.of(ticket)
    return Response(HTTPStatus.CREATED.value, body=out, content_type="application/json")
