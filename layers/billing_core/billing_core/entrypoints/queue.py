"""The shape of the delivery queue's function: an SQS batch through Powertools'
``BatchProcessor``, each record's body parsed as a ``DeliveryRequest`` (the JSON that
adapters/sqs.py queues), each request delivered once (Powertools idempotency on the
request: a message the queue hands out twice sends nothing twice).

A record that does not parse, or whose delivery fails, is reported back to SQS as a
partial batch failure: it alone is retried (and ends in the dead-letter queue). Each
failure is logged through the function's masked logger; a batch in which every record
failed is answered the same way, not raised: Powertools' ``BatchProcessingError`` carries
every record's exception text, which the Lambda runtime would log as it is (an SES
rejection names the recipient, R29).

A request another invocation is delivering right now (SQS handed the message out twice at
once) is no failure: it is answered as failed all the same, so SQS hands it out again and
the retry answers from the idempotency record (or delivers, should the other have died),
but logged as a warning and not counted in ``Delivery_failed``: the error-rate alarm and
an ERROR line would call the operator for nothing (R38, R39).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from pydantic import Json

from billing_core.entrypoints.powertools import (
    LambdaHandler,
    idempotent,
    in_progress,
    observed_handler,
)
from billing_core.ports import DeliveryRequest

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.utilities.batch.base import FailureResponse
    from aws_lambda_powertools.utilities.batch.exceptions import ExceptionInfo
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.typing import LambdaContext

# Keyed on what is delivered, not on the message: a re-queued request sends nothing twice.
IDEMPOTENCY_SECONDS = 30 * 24 * 3600

Deliver = Callable[[DeliveryRequest], dict[str, str]]


class NothingSentYet(Exception):  # no error: the request is done for now
    """Raised by a ``Deliver`` that sent nothing while the letter still waits on its invoice
    (a second notice held, or with nowhere to go yet: R16, R19, R7). Through the
    idempotency it keeps no record, as a failure keeps none: the run queues the same
    request again when the letter may go, and that one is delivered, not answered from
    a record of nothing for 30 days. No failure of the record either: SQS does not retry
    it, the run queues it again."""


class DeliveryRecord(SqsRecordModel):
    """An SQS record whose body is a ``DeliveryRequest``'s JSON. A key the request does
    not have is ignored (pydantic's default for a standard dataclass): a message queued
    before a field went, such as the old ``"email": ""``, is still delivered."""

    body: Json[DeliveryRequest]  # type: ignore[assignment]  # Powertools' str, parsed


class MaskedFailuresProcessor(BatchProcessor):
    """Powertools' SQS batch processor that logs each failed record through the masked
    logger and answers every failed id, also when the whole batch failed: SQS retries
    them just the same, and no exception text leaves the function unmasked (R29)."""

    def __init__(self, logger: Logger) -> None:
        super().__init__(EventType.SQS, model=DeliveryRecord, raise_on_entire_batch_failure=False)
        self._masked_logger = logger

    def failure_handler(self, record: Any, exception: ExceptionInfo) -> FailureResponse:
        if in_progress(exception[1]):
            self._masked_logger.warning("delivery record already in progress: handed out again")
        else:
            self._masked_logger.error("delivery record failed", exc_info=exception[1])
        return super().failure_handler(record, exception)

    def failed_records(self) -> int:
        """The records of the batch just processed that failed, without those another
        invocation is delivering (not a failure: SQS hands them out again)."""
        return sum(1 for failure in self.exceptions if not in_progress(failure[1]))


def delivery_queue_handler(deliver: Deliver, *, logger: Logger, metrics: Metrics) -> LambdaHandler:
    """The Lambda handler that calls ``deliver(request)`` once per request; its answer
    (``{"channel", "message_id"}``) is the idempotency record."""
    processor = MaskedFailuresProcessor(logger)

    # Powertools hashes a dataclass as its asdict(): the key of every earlier record.
    once = idempotent(
        deliver, data_keyword_argument="request", expires_after_seconds=IDEMPOTENCY_SECONDS
    )

    def handle_batch(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
        def handle_record(record: DeliveryRecord) -> None:
            try:
                once(context, request=record.body)
            except NothingSentYet:
                logger.info("nothing sent yet", extra={"kind": record.body.kind})

        answer = process_partial_response(
            event=event, record_handler=handle_record, processor=processor, context=context
        )
        _count_records(metrics, len(event.get("Records", [])), processor.failed_records())
        return answer

    return observed_handler(lambda: handle_batch, logger=logger, metrics=metrics)


def _count_records(metrics: Metrics, records: int, failed: int) -> None:
    """A record that failed while others in its batch went out leaves Lambda's Errors at
    0 (the invocation succeeded): the error-rate alarm divides these instead (R39)."""
    metrics.add_metric(name="Delivery_records", unit=MetricUnit.Count, value=records)
    metrics.add_metric(name="Delivery_failed", unit=MetricUnit.Count, value=failed)
