"""SQS delivery queue -> e-mail or print one invoice per message (R7, R30)."""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from billing_core import bootstrap
from billing_core.adapters.sqs import request_from_body
from billing_core.correspondence.delivery import deliver_invoice
from billing_core.ports import DeliveryRequest

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS)
# Keyed on what is delivered, not on the message: a re-queued request sends nothing twice.
idempotency = IdempotencyConfig(expires_after_seconds=30 * 24 * 3600)
persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE_NAME"])


@idempotent_function(
    data_keyword_argument="request", config=idempotency, persistence_store=persistence
)
def deliver(request: dict[str, str]) -> dict[str, str]:
    letter = deliver_invoice(DeliveryRequest(**request), bootstrap.current().delivery_context())
    if letter is None:  # a dunning letter whose invoices were all paid meanwhile
        logger.info("letter no longer needed", extra={"invoice_id": request["invoice_id"]})
        return {"channel": "", "message_id": ""}
    metrics.add_metric(name=f"Sent_{letter.channel.value}", unit=MetricUnit.Count, value=1)
    logger.info(
        "invoice delivered",
        extra={"invoice_id": request["invoice_id"], "channel": letter.channel.value},
    )
    return {"channel": letter.channel.value, "message_id": letter.message_id}


def _handle(record: SQSRecord) -> None:
    deliver(request=asdict(request_from_body(record.body)))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    idempotency.register_lambda_context(context)
    return process_partial_response(
        event=event, record_handler=_handle, processor=processor, context=context
    )
