"""S3 ObjectCreated under retour/ -> apply an insurer's retour file (PM305, MZ302; R5)."""

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
from billing_core.retour import apply_retour, retour_upload_from_key
from billing_core.store.s3 import uploaded_bytes, uploaded_objects

logger = Logger()
tracer = Tracer()
metrics = Metrics()
# The same S3 event delivered twice is answered from this record. The same file uploaded
# again is applied again and changes nothing: granted amounts are targets, not increments.
idempotency = IdempotencyConfig(expires_after_seconds=7 * 24 * 3600)
persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE_NAME"])


@idempotent_function(
    data_keyword_argument="upload", config=idempotency, persistence_store=persistence
)
def import_upload(upload: dict[str, str]) -> dict[str, Any]:
    target = retour_upload_from_key(upload["key"])
    if target is None:
        # Not of the form retour/{provider}/{upload}/{file}: nobody to report to.
        logger.error("retour key not routable", extra={"key_prefix": upload["key"][:60]})
        metrics.add_metric(name="UnroutableRetours", unit=MetricUnit.Count, value=1)
        return {"outcome": "unroutable"}
    rt = runtime.current()
    data = uploaded_bytes(rt.s3, upload)
    report = apply_retour(
        target.provider_id, target.declaration_id, data, rt.ingest_context(),
        file_name=target.file_name,
    )  # fmt: skip
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


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=S3Model)
def lambda_handler(event: S3Model, context: LambdaContext) -> dict[str, Any]:
    idempotency.register_lambda_context(context)
    results = [import_upload(upload=upload) for upload in uploaded_objects(event)]
    return {"processed": results}
