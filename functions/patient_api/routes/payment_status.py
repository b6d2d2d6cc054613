"""Is this invoice paid? The payment checker's API (R10)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.metrics import MetricUnit

from billing_core import bootstrap
from billing_core.correspondence.links import checker_url
from billing_core.entrypoints.http.error_document import showing_the_invoice
from billing_core.entrypoints.http.patient_models import PaymentStatusOut
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.services import patient

router = ResourceRouter("Payment status")
metrics = Metrics()  # one metric set per process: the app's log_metrics publishes it


@router.get(
    "/api/v1/payment-status/<reference>",
    summary="Is this invoice paid? (R10)",
    responses=showing_the_invoice(PaymentStatusOut),
)
def payment_status(
    reference: Annotated[str, Path(min_length=1, max_length=40)],
) -> Response[PaymentStatusOut]:
    rt = bootstrap.current()
    view = patient.payment_status(reference, rt.patient_context())
    metrics.add_metric(name="PaymentStatusChecks", unit=MetricUnit.Count, value=1)
    language = _visitors_language()
    pay_url = checker_url(rt.settings.public_base_url, view.reference, language or "nl")
    # The pay_url depends on the request's Accept-Language (RFC 9110 §12.5.5).
    return Response(
        HTTPStatus.OK.value,
        "application/json",
        PaymentStatusOut.of(view, pay_url),
        headers={"Vary": "Accept-Language"},
    )


def _visitors_language() -> str | None:
    """The patient language the visitor's ``Accept-Language`` asks for, as the API's error
    answers choose theirs (R9, errors.py), or None (then Dutch, the checker's default).
    Imported here: the handler's cold start pays nothing for it (#18 (d))."""
    from billing_core.entrypoints.http.accept_language import asked_language
    from billing_core.texts.catalogue import LANGUAGES

    return asked_language(router.current_event.headers.get("accept-language"), LANGUAGES)
