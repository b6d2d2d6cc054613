"""The shape of the expired-letters function: a batch of the billing table's stream
records, of which only the invoice items DynamoDB's TTL removed count (legal-nl.md §8:
a settled invoice expires at the end of the 7th year after the year it was settled).

The event source mapping filters on the same (template.yaml); the handler checks again,
so a record of anything else (an invoice deleted by hand, a marker, an audit record) that
reaches it does nothing. Logs and metrics carry counts, never a key or an item (R29).

A batch that failed on every retry leaves an on-failure record in
ExpiredLettersFailureQueue with only its place in the stream. Invoked with that record
(README, "Redrive"), the function reads the batch from the stream again, while the stream
still holds it (24 hours), and handles it as it came.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from boto3.dynamodb.types import TypeDeserializer

from billing_core.adapters.dynamo.items import invoice_from_item
from billing_core.adapters.dynamo.stream import FAILED_STREAM_BATCH
from billing_core.correspondence.kept_letters import LettersDeleted
from billing_core.entrypoints.powertools import LambdaHandler, observed_handler
from billing_core.invoices.invoice import Invoice

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.utilities.typing import LambdaContext

DeleteLettersAndExpireActions = Callable[[Invoice], LettersDeleted]
# An on-failure record -> its batch's records as Lambda passed them; None: out of the stream.
ReadFailedBatch = Callable[[Mapping[str, Any]], list[dict[str, Any]] | None]

# Who removes an item whose TTL passed, as the stream record names it.
TTL_REMOVER = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
INVOICE_ENTITY = "invoice"


def expired_invoices(event: Mapping[str, Any]) -> list[Invoice]:
    """The invoices in the batch that DynamoDB's TTL removed, as they were stored."""
    deserializer = TypeDeserializer()
    return [
        invoice_from_item({k: deserializer.deserialize(v) for k, v in image.items()})
        for record in event.get("Records", [])
        if (image := _removed_by_ttl(record)) is not None
        and image.get("entity", {}).get("S") == INVOICE_ENTITY
    ]


def _removed_by_ttl(record: Mapping[str, Any]) -> dict[str, Any] | None:
    if record.get("eventName") != "REMOVE" or record.get("userIdentity") != TTL_REMOVER:
        return None
    image: dict[str, Any] | None = record.get("dynamodb", {}).get("OldImage")
    return image


def expired_letters_handler(
    delete_letters_and_expire_actions: DeleteLettersAndExpireActions,
    *,
    read_failed_batch: ReadFailedBatch,
    logger: Logger,
    metrics: Metrics,
) -> LambdaHandler:
    """The Lambda handler that calls ``delete_letters_and_expire_actions(invoice)`` for
    every invoice the TTL removed. An error fails the batch: the stream retries it (both
    are idempotent) and its last failure goes to the on-failure queue. Given that
    on-failure record instead of a batch, it reads the batch from the stream
    (``read_failed_batch``) and handles it the same way."""

    def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        if FAILED_STREAM_BATCH not in event:
            return handle_batch(event)
        records = read_failed_batch(event)
        if records is None:
            logger.warning("failed batch no longer in the stream: expire its actions by migration")
            return {"records_replayed": 0, "batch_in_stream": False}
        answer = handle_batch({"Records": records})
        return {**answer, "records_replayed": len(records), "batch_in_stream": True}

    def handle_batch(event: Mapping[str, Any]) -> dict[str, Any]:
        invoices = expired_invoices(event)
        totals = dict.fromkeys((f.name for f in fields(LettersDeleted)), 0)
        for invoice in invoices:
            done = delete_letters_and_expire_actions(invoice)
            for name in totals:
                totals[name] += getattr(done, name)
        metrics.add_metric(name="Letters_deleted", unit=MetricUnit.Count, value=totals["deleted"])
        metrics.add_metric(
            name="Actions_expired", unit=MetricUnit.Count, value=totals["actions_expired"]
        )
        answer = {"invoices": len(invoices), **totals}
        logger.info("letters of expired invoices", extra=answer)
        return answer

    return observed_handler(lambda: handle, logger=logger, metrics=metrics)
