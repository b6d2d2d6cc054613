"""The payment-checker page (R10, R36): works without JavaScript, its forms post back
here; the invoice PDF once the birth date was checked. The security headers come from
the app's page_headers middleware."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Query

from billing_core import bootstrap
from billing_core.correspondence.links import RETURNED_FROM_BANK
from billing_core.entrypoints.http.errors import NOT_ROUTED, error_response
from billing_core.entrypoints.http.middleware import HTML
from billing_core.entrypoints.web.checker_page import (
    OBJECTION_FORM_PATH,
    PROGRAM_PREFIXES,
    PageAnswer,
    PageState,
    Visit,
    form_answer,
    page_language,
    posted_form,
    render_checker,
    status_page,
    unavailable_page,
)
from billing_core.entrypoints.web.documents import pdf_download
from billing_core.entrypoints.web.forms import cookie_header
from billing_core.entrypoints.web.info_pages import NOT_FOUND, render_info_page
from billing_core.ports import UnreadableProvider

router = Router()
KENMERK = Annotated[str, Query(max_length=40)]
LANGUAGE = Annotated[str, Query(max_length=5)]


@router.get("/", include_in_schema=False)
def checker_page(
    kenmerk: KENMERK = "", lang: LANGUAGE = "nl", terug: LANGUAGE = ""
) -> Response[str]:
    language = page_language(lang)
    if not kenmerk:
        return Response(HTTPStatus.OK.value, HTML, render_checker(language))
    rt = bootstrap.current()
    try:
        answer = status_page(
            language,
            kenmerk,
            rt.patient_context(),
            _visit(),
            PageState(entered=kenmerk),
            rt.online_payment_context,
            returned=terug == RETURNED_FROM_BANK,
        )
    except UnreadableProvider:  # the practice's stored settings no longer validate (R31)
        answer = unavailable_page(language, kenmerk)
    return _response(answer)


@router.post("/", include_in_schema=False)
def checker_form() -> Response[str]:
    return _form_response(posted_form(router.current_event.raw_event))


@router.post(OBJECTION_FORM_PATH, include_in_schema=False)
def objection_form() -> Response[str]:
    """The objection form's own address (R16): the WAF leaves the XSS body rule out here
    only, since a patient's message may hold "<" or "<b>" (the page autoescapes); so this
    address files an objection and nothing else, whatever the form's ``action`` says."""
    form = posted_form(router.current_event.raw_event)
    return _form_response({**form, "action": "object"})


def _form_response(form: dict[str, str]) -> Response[str]:
    rt = bootstrap.current()
    try:
        answer = form_answer(
            form, _visit(), rt.patient_context(), rt.online_payment_context, rt.collection_account
        )
    except UnreadableProvider:  # the practice's stored settings no longer validate (R31)
        answer = unavailable_page(page_language(form.get("lang")), form.get("kenmerk", ""))
    return _response(answer)


@router.get("/nota.pdf", include_in_schema=False)
def invoice_pdf(kenmerk: KENMERK = "", lang: LANGUAGE = "nl"):  # noqa: ANN201
    """The invoice PDF for this visit's kenmerk (R36); the page again without a pass.
    No return annotation: Powertools would validate the PDF's bytes as text; without
    one it passes a non-JSON body through (and base64-encodes the bytes)."""
    try:
        return pdf_download(
            kenmerk, page_language(lang), _visit(), bootstrap.current().patient_context()
        )
    except UnreadableProvider:  # the practice's stored settings no longer validate (R31)
        return _response(unavailable_page(page_language(lang), kenmerk))


@router.get("/vragen", include_in_schema=False)
def questions_page(lang: LANGUAGE = "nl") -> Response[str]:
    return Response(HTTPStatus.OK.value, HTML, render_info_page("faq", page_language(lang)))


@router.get("/voorwaarden", include_in_schema=False)
def terms_page(lang: LANGUAGE = "nl") -> Response[str]:
    return Response(HTTPStatus.OK.value, HTML, render_info_page("terms", page_language(lang)))


@router.get("/privacy", include_in_schema=False)
def privacy_page(lang: LANGUAGE = "nl") -> Response[str]:
    return Response(HTTPStatus.OK.value, HTML, render_info_page("privacy", page_language(lang)))


@router.exception_handler(NotFoundError)
def unknown_address(error: NotFoundError) -> Response[str]:
    """An address no route serves: the catch-all route (template.yaml, ``/{proxy+}``)
    brings it here instead of API Gateway's 403 "Missing Authentication Token" (audit
    PAGES1). A program calling under /api/ gets the APIs' JSON 404 (interfaces.md §2); a
    person who mistyped the address on a letter the 404 page in ``?lang=``, which leads
    to the checker (R9, R36). Reads nothing and changes nothing."""
    event = router.current_event
    if event.path.startswith(PROGRAM_PREFIXES):
        return error_response(HTTPStatus.NOT_FOUND, "not_found", NOT_ROUTED)
    language = page_language(event.get_query_string_value("lang"))
    return Response(HTTPStatus.NOT_FOUND.value, HTML, render_info_page(NOT_FOUND, language))


def _visit() -> Visit:
    return Visit.from_cookie_header(cookie_header(router.current_event.raw_event))


def _response(answer: PageAnswer) -> Response[str]:
    if answer.redirect_to:
        return Response(
            HTTPStatus.SEE_OTHER.value,
            HTML,
            "",
            headers={"Location": answer.redirect_to},
            cookies=list(answer.cookies),
        )
    return Response(answer.status.value, HTML, answer.html, cookies=list(answer.cookies))
