"""Public patient routes: the payment-checker page and API (interfaces.md §2, R10-R16).

No login. Answers never carry personal data, and an unknown reference and a wrong
birth date get the very same answer. Throttling is on the API Gateway stage.
"""

from __future__ import annotations

from datetime import date
from http import HTTPStatus
from typing import Annotated, Any
from urllib.parse import parse_qs

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from billing_core import bootstrap
from billing_core.entrypoints.http.errors import error_response, validation_message
from billing_core.entrypoints.http.patient_models import (
    AcceptedOut,
    ArrangementOut,
    ArrangementRequest,
    CheckoutOut,
    DeferralOut,
    DeferralRequest,
    InsurerStatementOut,
    InsurerStatementRequest,
    ObjectionRequest,
    PaymentRequest,
    PaymentStatusOut,
)
from billing_core.entrypoints.web.checker_page import checker_url, page_language, render_checker
from billing_core.payments import online as online_payments
from billing_core.services import patient as patient_service
from billing_core.shared.errors import NotFound, Refused, StateConflict
from billing_core.shared.reference import InvalidReference

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver(enable_validation=True)

MAX_BODY_BYTES = 8 * 1024  # the largest honest body is an objection of 2,000 characters
REFERENCE = Annotated[str, Path(min_length=1, max_length=40)]
HTML = "text/html; charset=utf-8"


# --- JSON API ------------------------------------------------------------------------------


@app.get("/api/v1/payment-status/<reference>", summary="Is this invoice paid? (R10)")
def payment_status(reference: REFERENCE) -> PaymentStatusOut:
    rt = bootstrap.current()
    view = patient_service.payment_status(reference, rt.repository, rt.clock)
    metrics.add_metric(name="PaymentStatusChecks", unit=MetricUnit.Count, value=1)
    return PaymentStatusOut.of(view, checker_url(rt.settings.public_base_url, view.reference))


@app.post("/api/v1/invoices/<reference>/payments", summary="Start an iDEAL payment (R11)")
def start_payment(reference: REFERENCE, body: PaymentRequest) -> Response[CheckoutOut]:
    checkout = _checkout(reference, body.birth_date)
    out = CheckoutOut(payment_id=checkout.psp_payment_id, checkout_url=checkout.checkout_url)
    return Response(HTTPStatus.CREATED.value, "application/json", out)


@app.post("/api/v1/invoices/<reference>/deferral", summary="Free deferral, once (R14)")
def deferral(reference: REFERENCE, body: DeferralRequest) -> DeferralOut:
    rt = bootstrap.current()
    view = patient_service.request_deferral(
        reference, body.birth_date, rt.repository, rt.clock, rt.delivery_queue
    )
    return DeferralOut.of(view)


@app.post("/api/v1/invoices/<reference>/arrangement", summary="Instalment arrangement (R15)")
def arrangement(reference: REFERENCE, body: ArrangementRequest) -> ArrangementOut:
    rt = bootstrap.current()
    view = patient_service.request_arrangement(
        reference, body.birth_date, body.terms, rt.repository, rt.clock, rt.delivery_queue
    )
    return ArrangementOut.of(view)


@app.post("/api/v1/invoices/<reference>/objection", summary="Object to the invoice (R16)")
def objection(reference: REFERENCE, body: ObjectionRequest) -> Response[AcceptedOut]:
    rt = bootstrap.current()
    patient_service.file_objection(
        reference,
        body.birth_date,
        body.reason,
        body.message,
        body.email,
        rt.repository,
        rt.clock,
        rt.delivery_queue,
    )
    return Response(HTTPStatus.ACCEPTED.value, "application/json", AcceptedOut())


@app.post(
    "/api/v1/invoices/<reference>/insurer-statement",
    summary="Send your insurer's statement for a non-contracted invoice (R17)",
)
def insurer_statement(reference: REFERENCE, body: InsurerStatementRequest) -> InsurerStatementOut:
    rt = bootstrap.current()
    view = patient_service.submit_insurer_statement(
        reference,
        body.birth_date,
        body.reimbursed,
        body.withheld_deductible,
        rt.repository,
        rt.clock,
        rt.delivery_queue,
    )
    return InsurerStatementOut.of(view)


@app.get("/api/v1/patient/openapi.json", include_in_schema=False)
def openapi():  # noqa: ANN201 - a typed Response would enter the schema it serves
    return Response(
        200, "application/json", app.get_openapi_json_schema(title="zorgnota patient API")
    )


def _checkout(reference: str, birth_date: date):  # noqa: ANN202 - PspCheckout
    rt = bootstrap.current()
    return online_payments.start_payment(
        reference,
        birth_date,
        store=rt.repository,
        checkouts=rt.payment_links,
        psp=rt.psp,
        clock=rt.clock,
        public_base_url=rt.settings.public_base_url,
    )


# --- the page (works without JavaScript: forms post back here) -----------------------------


@app.get("/", include_in_schema=False)
def checker_page(
    kenmerk: Annotated[str, Query(max_length=40)] = "",
    lang: Annotated[str, Query(max_length=5)] = "nl",
) -> Response[str]:
    language = page_language(lang)
    if not kenmerk:
        return _html(render_checker(language))
    return _html(_status_page(language, kenmerk))


@app.post("/", include_in_schema=False)
def checker_form():  # noqa: ANN201 - an HTML Response or a redirect
    form = {k: v[0] for k, v in parse_qs(app.current_event.decoded_body or "").items()}
    language = page_language(form.get("lang"))
    kenmerk = form.get("kenmerk", "")
    try:
        action = form.get("action", "")
        birth_date = date.fromisoformat(form.get("birth_date", ""))
        if action == "pay":
            checkout = _checkout(kenmerk, birth_date)
            return Response(
                HTTPStatus.SEE_OTHER.value, HTML, "", headers={"Location": checkout.checkout_url}
            )
        notice = _form_action(action, kenmerk, birth_date, form)
    except ValueError:  # no or a malformed birth date, or an unknown action
        return _html(_status_page(language, kenmerk, error_key="not_found"), HTTPStatus.BAD_REQUEST)
    except (NotFound, InvalidReference):
        return _html(_status_page(language, kenmerk, error_key="not_found"), HTTPStatus.NOT_FOUND)
    except Refused as refusal:
        return _html(_status_page(language, kenmerk, refusal=refusal), HTTPStatus.CONFLICT)
    return _html(_status_page(language, kenmerk, notice=notice))


def _form_action(
    action: str, kenmerk: str, birth_date: date, form: dict[str, str]
) -> tuple[str, dict]:
    rt = bootstrap.current()
    if action == "defer":
        view = patient_service.request_deferral(
            kenmerk, birth_date, rt.repository, rt.clock, rt.delivery_queue
        )
        return "done_deferral", {"date": view.final_payment_date}
    if action == "arrange":
        terms = int(form.get("terms", "0"))
        patient_service.request_arrangement(
            kenmerk, birth_date, terms, rt.repository, rt.clock, rt.delivery_queue
        )
        return "done_arrangement", {}
    if action == "object":
        patient_service.file_objection(
            kenmerk,
            birth_date,
            form.get("reason", ""),
            form.get("message", ""),
            form.get("email", ""),
            rt.repository,
            rt.clock,
            rt.delivery_queue,
        )
        return "done_objection", {}
    raise ValueError("unknown action")


def _status_page(
    language: str,
    kenmerk: str,
    *,
    error_key: str | None = None,
    notice: tuple[str, dict[str, Any]] | None = None,
    refusal: Refused | None = None,
) -> str:
    rt = bootstrap.current()
    try:
        view = patient_service.payment_status(kenmerk, rt.repository, rt.clock)
    except InvalidReference:
        return render_checker(language, entered=kenmerk, error_key="invalid_reference")
    except NotFound:
        return render_checker(language, entered=kenmerk, error_key="not_found")
    return render_checker(
        language,
        entered=view.reference,
        view=view,
        error_key=error_key,
        notice=notice,
        refusal=refusal.message(language) if refusal else None,
    )


def _html(body: str, status: HTTPStatus = HTTPStatus.OK) -> Response:
    return Response(
        status.value,
        HTML,
        body,
        headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https:; base-uri 'none'; frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


# --- one place that maps problems to answers -------------------------------------------------


@app.exception_handler(InvalidReference)
def invalid_reference(_: InvalidReference) -> Response:
    return error_response(
        HTTPStatus.BAD_REQUEST,
        "invalid_reference",
        "Dit betalingskenmerk klopt niet — controleer de 14 cijfers. / This payment reference is not right — check the 14 digits.",
    )


@app.exception_handler(NotFound)
def not_found(error: NotFound) -> Response:
    return error_response(
        HTTPStatus.NOT_FOUND, error.code, f"{error.message_nl} / {error.message_en}"
    )


@app.exception_handler(Refused)
def refused(error: Refused) -> Response:
    status = (
        HTTPStatus.CONFLICT if isinstance(error, StateConflict) else HTTPStatus.UNPROCESSABLE_ENTITY
    )
    return error_response(status, error.code, f"{error.message_nl} / {error.message_en}")


@app.exception_handler(RequestValidationError)
def invalid_request(error: RequestValidationError) -> Response:
    return error_response(
        HTTPStatus.BAD_REQUEST, "validation_error", validation_message(error.errors())
    )


def refusal_of_bad_request(event: dict) -> Response | None:
    """Oversized bodies, and anything but JSON on the JSON routes, never reach a use case
    (checked before routing, so not even request validation spends time on them)."""
    if len(event.get("body") or "") > MAX_BODY_BYTES:
        return error_response(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", "request body too large"
        )
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    is_json_route = event.get("httpMethod") == "POST" and event.get("path", "").startswith("/api/")
    if is_json_route and not headers.get("content-type", "").startswith("application/json"):
        return error_response(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send application/json"
        )
    return None


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    refusal = refusal_of_bad_request(event)
    if refusal is not None:
        return {
            "statusCode": refusal.status_code,
            "headers": {"Content-Type": "application/json"},
            "body": refusal.body,
            "isBase64Encoded": False,
        }
    return app.resolve(event, context)
