"""S3 ObjectCreated under camt053/ in the bank bucket -> book the statement (R12)."""

from __future__ import annotations

from dataclasses import replace

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core import bootstrap
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.s3_upload import AcceptedUpload, S3Upload, s3_upload_handler
    from billing_core.payments.bank_import import import_statement, refuse_statement
    from billing_core.payments.camt053 import MAX_STATEMENT_BYTES
    from billing_core.shared.reports import AnsweredReport

STATEMENTS = AcceptedUpload("statement", "camt053/", MAX_STATEMENT_BYTES)

logger = function_logger()
metrics = Metrics()


def import_upload(upload: S3Upload) -> AnsweredReport:
    """A statement uploaded again (a new version) is imported again, and books nothing
    twice: every payment is idempotent on the bank's entry reference."""
    return STATEMENTS.import_or_refuse(
        upload,
        lambda: replace(bootstrap.current().bank_import_context(), progress=log_progress),
        import_statement,
        refuse_statement,
    )


def log_progress(done: int, total: int) -> None:
    """How far a long import is: counts only (R29: no payer details in the log)."""
    logger.info("bank statement progress", extra={"entries_done": done, "entries_total": total})


lambda_handler = s3_upload_handler(
    import_upload, answer_key="imported", logger=logger, metrics=metrics
)
