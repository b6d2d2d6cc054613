"""S3 ObjectCreated under retour/ -> apply an insurer's retour file (PM305, MZ302; R5)."""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core import bootstrap
    from billing_core.declarations.record import MAX_DECLARATION_BYTES
    from billing_core.declarations.retour import apply_retour_upload, retour_upload_from_key
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.s3_upload import (
        AcceptedUpload,
        S3Upload,
        UploadSkipped,
        object_version,
        s3_upload_handler,
    )
    from billing_core.shared.reports import AnsweredReport

RETOUR_FILES = AcceptedUpload("retour file", "retour/", MAX_DECLARATION_BYTES)

logger = function_logger()
metrics = Metrics()


def import_upload(upload: S3Upload) -> AnsweredReport:
    """The same file uploaded again is applied again and changes nothing: granted
    amounts are targets, not increments."""
    target = retour_upload_from_key(upload["key"], object_version(upload))
    if target is None:  # not retour/{provider}/{upload}/{file}
        return UploadSkipped.unroutable(upload, "retour key not routable", "UnroutableRetours")
    data = RETOUR_FILES.read(upload)
    if isinstance(data, UploadSkipped):
        return data
    return apply_retour_upload(target, data, bootstrap.current().ingest_context())


lambda_handler = s3_upload_handler(
    import_upload, answer_key="processed", logger=logger, metrics=metrics
)
