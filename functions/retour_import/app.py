"""S3 ObjectCreated under retour/ -> apply an insurer's retour file (PM305, MZ302; R5)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

from billing_core import bootstrap
from billing_core.adapters.s3 import uploaded_bytes
from billing_core.declarations.retour import apply_retour, retour_upload_from_key
from billing_core.entrypoints.s3_upload import s3_upload_handler

logger = Logger()
tracer = Tracer()
metrics = Metrics()


def import_upload(upload: dict[str, str]) -> dict[str, Any]:
    """The same file uploaded again is applied again and changes nothing: granted
    amounts are targets, not increments."""
    target = retour_upload_from_key(upload["key"])
    if target is None:
        # Not of the form retour/{provider}/{upload}/{file}: nobody to report to.
        logger.error("retour key not routable", extra={"key_prefix": upload["key"][:60]})
        metrics.add_metric(name="UnroutableRetours", unit=MetricUnit.Count, value=1)
        return {"outcome": "unroutable"}
    rt = bootstrap.current()
    data = uploaded_bytes(rt.s3, upload)
    report = apply_retour(
        target.provider_id,
        target.declaration_id,
        data,
        rt.ingest_context(),
        file_name=target.file_name,
    )
    _measure(report)
    return {"declaration_id": target.declaration_id, "outcome": report["outcome"]}


def _measure(report: dict[str, Any]) -> None:
    summary = report["summary"]
    for name in ("lines", "lines_applied", "lines_unknown", "invoices_created"):
        metrics.add_metric(name=f"Retour_{name}", unit=MetricUnit.Count, value=summary[name])
    # No patient data in logs (R29): ids, counts and codes only.
    logger.info(
        "retour applied",
        extra={
            "declaration_id": report["declaration_id"],
            "provider_id": report["provider_id"],
            "outcome": report["outcome"],
            "summary": summary,
            "finding_codes": sorted({f["code"] for f in report["findings"]}),
        },
    )


lambda_handler = s3_upload_handler(
    import_upload, answer_key="processed", logger=logger, tracer=tracer, metrics=metrics
)
