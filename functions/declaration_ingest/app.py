"""S3 ObjectCreated under incoming/ -> process the declaration file (R1-R3)."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

from billing_core import bootstrap
from billing_core.adapters.s3 import S3Upload, uploaded_bytes
from billing_core.declarations.ingest import process_declaration, upload_from_key
from billing_core.entrypoints.s3_upload import UploadSkipped, s3_upload_handler
from billing_core.shared.reports import AnsweredReport

logger = Logger()
metrics = Metrics()


def process_upload(upload: S3Upload) -> AnsweredReport:
    target = upload_from_key(upload["key"])
    if target is None:  # not incoming/{provider}/{declaration}/{file}
        return UploadSkipped.unroutable(upload, "upload key not routable", "UnroutableUploads")
    rt = bootstrap.current()
    return process_declaration(target, uploaded_bytes(rt.s3, upload), rt.ingest_context())


lambda_handler = s3_upload_handler(
    process_upload, answer_key="processed", logger=logger, metrics=metrics
)
