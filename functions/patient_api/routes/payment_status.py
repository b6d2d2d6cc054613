"""Is this invoice paid? The payment checker's API (R10)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.metrics import MetricUnit

from billing_core import bootstrap
from billing_core.correspondence.links import checker_url
from billing_core.entrypoints.http.patient_models import PaymentStatusOut
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.services import patient

router = ResourceRouter("Payment status")
metrics = Metrics()  # one metric set per process: the app's log_metrics publishes it


@router.get("/api/v1/payment-status/<reference>", summary="Is this invoice paid? (R10)")
def payment_status(
    reference: Annotated[str, Path(min_length=1, max_length=40)],
) -> PaymentStatusOut:
    rt = bootstrap.current()
    view = patient.payment_status(reference, rt.patient_context())
    metrics.add_metric(name="PaymentStatusChecks", unit=MetricUnit.Count, value=1)
    return PaymentStatusOut.of(view, checker_url(rt.settings.public_base_url, view.reference))
