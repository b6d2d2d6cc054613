"""S3 ObjectCreated under collection-reports/ in the bank bucket -> book the collection
agency's report-back file: payments collected, claims settled (R19, R22, R27)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

from billing_core import bootstrap
from billing_core.adapters.s3 import uploaded_bytes_at_most
from billing_core.collection.collection_report import (
    MAX_REPORT_BYTES,
    UPLOAD_PREFIX,
    CollectionReportResult,
    RowOutcome,
    import_collection_report,
)
from billing_core.entrypoints.s3_upload import s3_upload_handler

logger = Logger()
tracer = Tracer()
metrics = Metrics()


def import_upload(upload: dict[str, str]) -> dict[str, Any]:
    """The same file uploaded again (a new version) is imported again and books nothing
    twice: every row is idempotent on its agency_ref."""
    if not upload["key"].startswith(UPLOAD_PREFIX):
        logger.error(
            "report key outside collection-reports/", extra={"key_prefix": upload["key"][:60]}
        )
        return {"outcome": "ignored"}
    rt = bootstrap.current()
    data = uploaded_bytes_at_most(rt.s3, upload, MAX_REPORT_BYTES)
    if data is None:
        logger.error("collection report too large", extra={"limit_bytes": MAX_REPORT_BYTES})
        return {"outcome": "refused"}
    result = import_collection_report(data, upload["key"], rt.collection_report_context())
    _measure(result)
    return result.summary()


def _measure(result: CollectionReportResult) -> None:
    for outcome in RowOutcome:
        metrics.add_metric(
            name=f"Agency_{outcome.value}", unit=MetricUnit.Count, value=result.count(outcome)
        )
    # Counts and keys only: the rows (betalingskenmerken) stay in the result file.
    if result.outcome == "refused":
        logger.error("collection report refused, nothing booked", extra=result.summary())
    else:
        logger.info("collection report imported", extra=result.summary())


lambda_handler = s3_upload_handler(
    import_upload, answer_key="imported", logger=logger, tracer=tracer, metrics=metrics
)
