"""S3 ObjectCreated under incoming/ -> process the declaration file (R1-R3)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

from billing_core import bootstrap
from billing_core.adapters.s3 import uploaded_bytes
from billing_core.declarations.ingest import process_declaration, upload_from_key
from billing_core.entrypoints.s3_upload import s3_upload_handler

logger = Logger()
tracer = Tracer()
metrics = Metrics()


def process_upload(upload: dict[str, str]) -> dict[str, Any]:
    target = upload_from_key(upload["key"])
    if target is None:
        # Not of the form incoming/{provider}/{declaration}/{file}: nobody to report to.
        logger.error("upload key not routable", extra={"key_prefix": upload["key"][:60]})
        metrics.add_metric(name="UnroutableUploads", unit=MetricUnit.Count, value=1)
        return {"outcome": "unroutable"}
    rt = bootstrap.current()
    data = uploaded_bytes(rt.s3, upload)
    report = process_declaration(target, data, rt.ingest_context())
    _measure(report)
    return {"declaration_id": target.declaration_id, "outcome": report["outcome"]}


def _measure(report: dict[str, Any]) -> None:
    summary = report["summary"]
    metrics.add_metric(name="DeclarationLines", unit=MetricUnit.Count, value=summary["lines"])
    metrics.add_metric(name="InvoicesCreated", unit=MetricUnit.Count, value=summary["invoices"])
    metrics.add_metric(
        name="ClaimsRejected", unit=MetricUnit.Count, value=summary["claims_rejected"]
    )
    # No patient data in logs (R29): ids, counts and codes only.
    logger.info(
        "declaration processed",
        extra={
            "declaration_id": report["declaration_id"],
            "provider_id": report["provider_id"],
            "outcome": report["outcome"],
            "summary": summary,
            "finding_codes": sorted({f["code"] for f in report["findings"]}),
        },
    )


lambda_handler = s3_upload_handler(
    process_upload, answer_key="processed", logger=logger, tracer=tracer, metrics=metrics
)
