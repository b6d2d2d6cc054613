"""The invoice PDF for download from the checker (R36): only with this visit's pass for the
kenmerk; without one (expired, or never checked) the page asks the birth date again."""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from billing_core.entrypoints.http.middleware import HTML
from billing_core.entrypoints.web.checker_page import PageState, Visit, status_page
from billing_core.entrypoints.web.downloads import content_disposition
from billing_core.invoices.access import VISIT_MINUTES
from billing_core.services import patient
from billing_core.services.patient import PatientContext
from billing_core.shared.errors import NotFound
from billing_core.shared.reference import InvalidReference

PDF = "application/pdf"


def pdf_download(
    kenmerk: str, language: str, visit: Visit, ctx: PatientContext
) -> Response[bytes | str]:
    proof = visit.proof(ctx.visit_key, ctx.clock.now())
    if proof.covers(kenmerk):
        try:
            name, pdf = patient.invoice_document(kenmerk, proof, ctx)
        except (NotFound, InvalidReference):
            pass
        else:
            headers = {"Content-Disposition": content_disposition(name, fallback=f"{kenmerk}.pdf")}
            return Response(HTTPStatus.OK.value, PDF, pdf, headers=headers)
    state = PageState(entered=kenmerk, notice=("visit_expired", {"minutes": VISIT_MINUTES}))
    return Response(
        HTTPStatus.OK.value, HTML, status_page(language, kenmerk, ctx, visit, state).html
    )
