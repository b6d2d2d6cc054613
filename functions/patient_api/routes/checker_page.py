"""The payment-checker page (R10, R36): works without JavaScript, its forms post back
here. The security headers come from the app's page_headers middleware."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from billing_core import bootstrap
from billing_core.entrypoints.http.middleware import HTML
from billing_core.entrypoints.web.checker_page import (
    form_answer,
    page_language,
    render_checker,
    status_page,
)

router = Router()


@router.get("/", include_in_schema=False)
def checker_page(
    kenmerk: Annotated[str, Query(max_length=40)] = "",
    lang: Annotated[str, Query(max_length=5)] = "nl",
) -> Response[str]:
    language = page_language(lang)
    if not kenmerk:
        return Response(HTTPStatus.OK.value, HTML, render_checker(language))
    page = status_page(language, kenmerk, bootstrap.current().patient_context())
    return Response(HTTPStatus.OK.value, HTML, page)


@router.post("/", include_in_schema=False)
def checker_form():  # noqa: ANN201 - an HTML Response or a redirect
    form = {k: v[0] for k, v in parse_qs(router.current_event.decoded_body or "").items()}
    rt = bootstrap.current()
    answer = form_answer(form, rt.patient_context(), rt.online_payment_context)
    if answer.redirect_to:
        return Response(
            HTTPStatus.SEE_OTHER.value, HTML, "", headers={"Location": answer.redirect_to}
        )
    return Response(answer.status.value, HTML, answer.html)
