"""S3 ObjectCreated under collection-reports/ in the bank bucket -> book the collection
agency's report-back file: payments collected, claims settled (R19, R22, R27)."""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core import bootstrap
    from billing_core.collection.collection_report import (
        DELIVERED_AGAIN,
        FINISHED_PREFIX,
        MAX_REPORT_BYTES,
        UPLOAD_PREFIX,
        import_collection_report,
        refuse_collection_report,
    )
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.s3_upload import AcceptedUpload, S3Upload, s3_upload_handler
    from billing_core.shared.reports import AnsweredReport

REPORTS = AcceptedUpload("collection report", UPLOAD_PREFIX, MAX_REPORT_BYTES)

logger = function_logger()
metrics = Metrics()


def import_upload(upload: S3Upload) -> AnsweredReport:
    """The same file uploaded again (a new version) is imported again and books nothing
    twice: every row is idempotent on its agency_ref. The same version delivered again,
    however late, is answered from its marker: nothing counted twice (R3, R39)."""
    return REPORTS.import_or_refuse(
        upload,
        lambda: bootstrap.current().collection_report_context(),
        import_collection_report,
        refuse_collection_report,
        marked_under=FINISHED_PREFIX,
        said_again=DELIVERED_AGAIN,
    )


lambda_handler = s3_upload_handler(
    import_upload, answer_key="imported", logger=logger, metrics=metrics
)
