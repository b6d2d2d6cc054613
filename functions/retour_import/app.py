"""S3 ObjectCreated under retour/ -> apply an insurer's retour file (PM305, MZ302; R5)."""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core import bootstrap
    from billing_core.declarations.record import MAX_DECLARATION_BYTES
    from billing_core.declarations.retour import apply_retour_upload, retour_upload_from_key
    from billing_core.declarations.upload import Upload
    from billing_core.entrypoints.continued_runs import (
        RETOUR_CONTINUES,
        knowing_its_run,
        retour_part,
        retour_went_on,
    )
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.s3_upload import (
        AcceptedUpload,
        RoutedUpload,
        S3Upload,
        s3_upload_handler,
    )
    from billing_core.shared.reports import AnsweredReport

# retour/{provider}/{upload}/file; any other key is unroutable.
RETOUR_FILES = RoutedUpload(
    AcceptedUpload("retour file", "retour/", MAX_DECLARATION_BYTES),
    retour_upload_from_key,
    "retour key not routable",
    "UnroutableRetours",
)

logger = function_logger()
metrics = Metrics()


def import_upload(upload: S3Upload) -> AnsweredReport:
    """Applied again, the same file changes nothing (the amounts are targets); a run out
    of time stops between two invoices and calls the function to go on (R5, R3, R39)."""

    def apply(target: Upload, data: bytes) -> AnsweredReport:
        parts = retour_part(upload, logger)
        return apply_retour_upload(target, data, bootstrap.current().ingest_context(), parts)

    return retour_went_on(RETOUR_FILES.handled_by(apply)(upload), upload)


lambda_handler = knowing_its_run(
    s3_upload_handler(
        import_upload,
        answer_key="processed",
        logger=logger,
        metrics=metrics,
        continued_by=RETOUR_CONTINUES,
    )
)
