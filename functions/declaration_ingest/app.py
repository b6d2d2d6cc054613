"""S3 ObjectCreated under incoming/ -> process the declaration file (R1-R3)."""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core import bootstrap
    from billing_core.declarations.ingest import process_declaration, upload_from_key
    from billing_core.declarations.record import MAX_DECLARATION_BYTES
    from billing_core.declarations.upload import Upload
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.s3_upload import AcceptedUpload, RoutedUpload, s3_upload_handler
    from billing_core.shared.reports import AnsweredReport

# incoming/{provider}/{declaration}/file; any other key is unroutable.
DECLARATIONS = RoutedUpload(
    AcceptedUpload("declaration", "incoming/", MAX_DECLARATION_BYTES),
    upload_from_key,
    "upload key not routable",
    "UnroutableUploads",
)

logger = function_logger()
metrics = Metrics()


def process_upload(upload: Upload, data: bytes) -> AnsweredReport:
    return process_declaration(upload, data, bootstrap.current().ingest_context())


lambda_handler = s3_upload_handler(
    DECLARATIONS.handled_by(process_upload), answer_key="processed", logger=logger, metrics=metrics
)
