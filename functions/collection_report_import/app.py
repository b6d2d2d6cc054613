"""S3 ObjectCreated under collection-reports/ in the bank bucket -> book the collection
agency's report-back file: payments collected, claims settled (R19, R22, R27)."""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.parser.models import S3Model
from aws_lambda_powertools.utilities.typing import LambdaContext

from billing_core import runtime
from billing_core.collection_report import (
    MAX_REPORT_BYTES,
    UPLOAD_PREFIX,
    CollectionReportContext,
    CollectionReportResult,
    RowOutcome,
    import_collection_report,
)
from billing_core.store.s3 import uploaded_bytes, uploaded_objects

logger = Logger()
tracer = Tracer()
metrics = Metrics()
# The same S3 event delivered twice is answered from this record. The same file uploaded
# again (a new version) is imported again and books nothing twice: every row is
# idempotent on its agency_ref.
idempotency = IdempotencyConfig(expires_after_seconds=7 * 24 * 3600)
persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE_NAME"])


@idempotent_function(
    data_keyword_argument="upload", config=idempotency, persistence_store=persistence
)
def import_upload(upload: dict[str, str]) -> dict[str, Any]:
    if not upload["key"].startswith(UPLOAD_PREFIX):
        logger.error("report key outside collection-reports/", extra={"key_prefix": upload["key"][:60]})
        return {"outcome": "ignored"}
    rt = runtime.current()
    version = {"VersionId": upload["version"]} if upload["version"] else {}
    head = rt.s3.head_object(Bucket=upload["bucket"], Key=upload["key"], **version)
    if head["ContentLength"] > MAX_REPORT_BYTES:
        logger.error("collection report too large", extra={"bytes": head["ContentLength"]})
        return {"outcome": "refused"}
    context = CollectionReportContext(store=rt.repository, files=rt.output_files, clock=rt.clock)
    result = import_collection_report(uploaded_bytes(rt.s3, upload), upload["key"], context)
    _measure(result)
    return result.summary()


def _measure(result: CollectionReportResult) -> None:
    for outcome in RowOutcome:
        metrics.add_metric(name=f"Agency_{outcome.value}", unit=MetricUnit.Count, value=result.count(outcome))
    # Counts and keys only: the rows (betalingskenmerken) stay in the result file.
    if result.outcome == "refused":
        logger.error("collection report refused, nothing booked", extra=result.summary())
    else:
        logger.info("collection report imported", extra=result.summary())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=S3Model)
def lambda_handler(event: S3Model, context: LambdaContext) -> dict[str, Any]:
    idempotency.register_lambda_context(context)
    results = [import_upload(upload=upload) for upload in uploaded_objects(event)]
    return {"imported": results}
