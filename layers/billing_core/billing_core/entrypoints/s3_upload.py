"""The shape every S3-triggered function has: an ObjectCreated notification, each object
handled once (Powertools idempotency on bucket, key, version and eTag: the same
notification delivered twice is answered from the record, R3), logs and metrics flushed.

The functions differ only in what they do with one upload; that is all they write.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.parser.models import S3Model
from aws_lambda_powertools.utilities.typing import LambdaContext

from billing_core.adapters.s3 import uploaded_objects

# Long enough for S3's retries of a notification; a file uploaded again is a new version
# and is handled again (each use case is idempotent on its own terms).
IDEMPOTENCY_SECONDS = 7 * 24 * 3600

UploadHandler = Callable[[dict[str, str]], dict[str, Any]]


def s3_upload_handler(
    handle: UploadHandler, *, answer_key: str, logger: Logger, tracer: Tracer, metrics: Metrics
) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """The Lambda handler that calls ``handle(upload)`` once per uploaded object; the
    answer lists the results under ``answer_key``."""
    config = IdempotencyConfig(expires_after_seconds=IDEMPOTENCY_SECONDS)
    persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE_NAME"])

    @idempotent_function(  # type: ignore[untyped-decorator]  # Powertools leaves it untyped
        data_keyword_argument="upload", config=config, persistence_store=persistence
    )
    def once(upload: dict[str, str]) -> dict[str, Any]:
        return handle(upload)

    @logger.inject_lambda_context
    @tracer.capture_lambda_handler
    @metrics.log_metrics
    @event_parser(model=S3Model)
    def lambda_handler(event: S3Model, context: LambdaContext) -> dict[str, Any]:
        config.register_lambda_context(context)
        return {answer_key: [once(upload=upload) for upload in uploaded_objects(event)]}

    return lambda_handler
