"""S3 ObjectCreated under camt053/ in the bank bucket -> book the statement (R12)."""

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
from billing_core.store.s3 import uploaded_bytes, uploaded_objects
from billing_core.bank.camt053 import MAX_STATEMENT_BYTES
from billing_core.bank_import import BankImportReport, import_statement

STATEMENT_PREFIX = "camt053/"

logger = Logger()
tracer = Tracer()
metrics = Metrics()
# The same S3 event delivered twice is answered from this record. A statement uploaded
# again (a new version) is imported again, and books nothing twice: every payment is
# idempotent on the bank's entry reference.
idempotency = IdempotencyConfig(expires_after_seconds=7 * 24 * 3600)
persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE_NAME"])


@idempotent_function(
    data_keyword_argument="upload", config=idempotency, persistence_store=persistence
)
def import_upload(upload: dict[str, str]) -> dict[str, Any]:
    if not upload["key"].startswith(STATEMENT_PREFIX):
        logger.error("statement key outside camt053/", extra={"key_prefix": upload["key"][:60]})
        return {"outcome": "ignored"}
    rt = runtime.current()
    version = {"VersionId": upload["version"]} if upload["version"] else {}
    head = rt.s3.head_object(Bucket=upload["bucket"], Key=upload["key"], **version)
    if head["ContentLength"] > MAX_STATEMENT_BYTES:
        logger.error("statement too large", extra={"bytes": head["ContentLength"]})
        return {"outcome": "refused"}
    data = uploaded_bytes(rt.s3, upload)
    report = import_statement(data, upload["key"], rt.bank_import_context())
    _measure(report)
    return report.summary()


def _measure(report: BankImportReport) -> None:
    summary = report.summary()
    for name in ("booked", "reversed", "duplicates", "debits_ignored", "unmatched"):
        metrics.add_metric(name=f"Bank_{name}", unit=MetricUnit.Count, value=summary[name])
    # Counts, statement ids and keys only: payer names, IBANs and texts stay in the list.
    if report.outcome == "refused":
        logger.error("bank statement refused, nothing booked", extra=summary)
    else:
        logger.info("bank statement imported", extra=summary)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=S3Model)
def lambda_handler(event: S3Model, context: LambdaContext) -> dict[str, Any]:
    idempotency.register_lambda_context(context)
    results = [import_upload(upload=upload) for upload in uploaded_objects(event)]
    return {"imported": results}
