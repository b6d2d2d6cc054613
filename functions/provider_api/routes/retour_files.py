"""Uploads of insurer retour files (interfaces.md §1b, issue 7)."""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from billing_core import bootstrap
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.provider_models import (
    RetourUploadRequest,
    RetourUploadTicketOut,
)
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.services.provider import declarations

router = ResourceRouter("Retour files")


@router.post(
    "/api/v1/provider/retour-files",
    summary="Ask for an upload URL for an insurer's retour file (PM305, MZ302)",
)
def create_retour_upload(body: RetourUploadRequest) -> Response[RetourUploadTicketOut]:
    """The granted amounts in it are deducted on the patients' invoices (R5); the upload's
    status and report are at GET /api/v1/provider/declarations/{upload_id}."""
    ticket = declarations.request_retour_upload(
        caller(router.current_event),
        body.file_name,
        bootstrap.current().provider_context(),
        body.size_bytes,
    )
    out = RetourUploadTicketOut(
        upload_id=ticket.declaration_id,
        upload_url=ticket.upload_url,
        upload_headers=ticket.upload_headers,
        expires_at=ticket.expires_at,
    )
    return Response(HTTPStatus.CREATED.value, body=out, content_type="application/json")
