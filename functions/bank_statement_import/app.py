"""S3 ObjectCreated under camt053/ in the bank bucket -> book the statement (R12)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

from billing_core import bootstrap
from billing_core.adapters.s3 import uploaded_bytes_at_most
from billing_core.entrypoints.s3_upload import s3_upload_handler
from billing_core.payments.bank_import import BankImportReport, import_statement
from billing_core.payments.camt053 import MAX_STATEMENT_BYTES

STATEMENT_PREFIX = "camt053/"

logger = Logger()
tracer = Tracer()
metrics = Metrics()


def import_upload(upload: dict[str, str]) -> dict[str, Any]:
    """A statement uploaded again (a new version) is imported again, and books nothing
    twice: every payment is idempotent on the bank's entry reference."""
    if not upload["key"].startswith(STATEMENT_PREFIX):
        logger.error("statement key outside camt053/", extra={"key_prefix": upload["key"][:60]})
        return {"outcome": "ignored"}
    rt = bootstrap.current()
    data = uploaded_bytes_at_most(rt.s3, upload, MAX_STATEMENT_BYTES)
    if data is None:
        logger.error("statement too large", extra={"limit_bytes": MAX_STATEMENT_BYTES})
        return {"outcome": "refused"}
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


lambda_handler = s3_upload_handler(
    import_upload, answer_key="imported", logger=logger, tracer=tracer, metrics=metrics
)
