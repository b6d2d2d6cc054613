"""S3 ObjectCreated under camt053/ in the bank bucket -> book the statement (R12)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core import bootstrap
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.s3_upload import (
        AcceptedUpload,
        S3Upload,
        object_version,
        s3_upload_handler,
    )
    from billing_core.payments.bank_import import (
        BankImportContext,
        BankImportReport,
        checkpoint_key,
        import_statement,
        refuse_statement,
    )
    from billing_core.payments.camt053 import MAX_STATEMENT_BYTES
    from billing_core.shared.reports import AnsweredReport

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

STATEMENTS = AcceptedUpload("statement", "camt053/", MAX_STATEMENT_BYTES)
# The event of the function's call to itself: the upload, and how far its file is.
CONTINUES = "bank_import_continues"

logger = function_logger()
metrics = Metrics()
_invocation: dict[str, LambdaContext] = {}  # the Lambda context of the call being handled


def import_upload(upload: S3Upload) -> AnsweredReport:
    """A statement uploaded again (a new version) is imported again, and books nothing
    twice: every payment is idempotent on the bank's entry reference. A run whose time
    runs out stops at a checkpoint and calls the function again to go on (R12, R3)."""
    report = STATEMENTS.import_or_refuse(
        upload, lambda: run_context(upload), import_statement, refuse_statement
    )
    if isinstance(report, BankImportReport) and report.outcome == "continued":
        next_run(upload, report.entries_done)
    return report


def run_context(upload: S3Upload) -> BankImportContext:
    """The import's context for this run: its checkpoint (per version of the file), the
    time Lambda leaves it, and its progress in the log."""
    runtime = bootstrap.current()
    context = _invocation.get("context")
    return replace(
        runtime.bank_import_context(),
        progress=log_progress,
        checkpoint_key=checkpoint_key(upload["key"], object_version(upload)),
        checkpoints=runtime.output_files,
        time_left_ms=context.get_remaining_time_in_millis if context is not None else None,
    )


def next_run(upload: S3Upload, entries_done: int) -> None:
    """Call this function again, asynchronously (retried by Lambda, then to the failure
    queue, as an upload's call), to go on with the file from its checkpoint."""
    import json

    import boto3

    part = {name: upload[name] for name in ("bucket", "key", "version", "etag")}
    payload = {CONTINUES: part | {"entries_done": str(entries_done)}}
    boto3.client("lambda").invoke(
        FunctionName=_invocation["context"].invoked_function_arn,
        InvocationType="Event",
        Payload=json.dumps(payload).encode(),
    )


def log_progress(done: int, total: int) -> None:
    """How far a long import is: counts only (R29: no payer details in the log)."""
    logger.info("bank statement progress", extra={"entries_done": done, "entries_total": total})


_handler = s3_upload_handler(
    import_upload, answer_key="imported", logger=logger, metrics=metrics, continued_by=CONTINUES
)


def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    _invocation["context"] = context
    return _handler(event, context)  # type: ignore[no-any-return]
