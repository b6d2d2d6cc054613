"""S3 ObjectCreated under camt053/ in the bank bucket -> book the statement (R12)."""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core.entrypoints.bank_runs import CONTINUES, knowing_its_run, run_context, went_on
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.s3_upload import AcceptedUpload, S3Upload, s3_upload_handler
    from billing_core.payments.bank_import import (
        DELIVERED_AGAIN,
        FINISHED_PREFIX,
        import_statement,
        refuse_statement,
    )
    from billing_core.payments.camt053 import MAX_STATEMENT_BYTES
    from billing_core.shared.reports import AnsweredReport

STATEMENTS = AcceptedUpload("statement", "camt053/", MAX_STATEMENT_BYTES)

logger = function_logger()
metrics = Metrics()


def import_upload(upload: S3Upload) -> AnsweredReport:
    """A statement uploaded again (a new version) is imported again, and books nothing
    twice: every payment is idempotent on the bank's entry reference. A run whose time
    runs out stops at a checkpoint and calls the function again to go on (R12, R3). A
    version finished is answered from its marker, however late it is delivered again."""
    report = STATEMENTS.import_or_refuse(
        upload,
        lambda: run_context(upload, logger),
        import_statement,
        refuse_statement,
        marked_under=FINISHED_PREFIX,
        said_again=DELIVERED_AGAIN,
    )
    return went_on(report, upload)


lambda_handler = knowing_its_run(
    s3_upload_handler(
        import_upload, answer_key="imported", logger=logger, metrics=metrics, continued_by=CONTINUES
    )
)
