"""S3 ObjectCreated under retour/ -> apply an insurer's retour file (PM305, MZ302; R5)."""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core import bootstrap
    from billing_core.declarations.record import MAX_DECLARATION_BYTES
    from billing_core.declarations.retour import apply_retour_upload, retour_upload_from_key
    from billing_core.declarations.upload import Upload
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.s3_upload import AcceptedUpload, RoutedUpload, s3_upload_handler
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


def import_upload(upload: Upload, data: bytes) -> AnsweredReport:
    """The same file uploaded again is applied again and changes nothing: granted
    amounts are targets, not increments."""
    return apply_retour_upload(upload, data, bootstrap.current().ingest_context())


lambda_handler = s3_upload_handler(
    RETOUR_FILES.handled_by(import_upload), answer_key="processed", logger=logger, metrics=metrics
)
