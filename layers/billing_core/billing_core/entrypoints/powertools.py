"""What every function does with Powertools, in one place: its logger, which masks
personal data (``function_logger``, R29); its handler wrapped in the logger, tracer and
metrics decorators, the tracer never recording an answer or an error (they carry health
data: names, birth dates, treatments), and an error that leaves it logged masked and
raised without personal data in its text (``masked_failures``); idempotency on the
idempotency table; the operator's line about a report (``log_report``).

The tracer and the idempotency utility are made on the first invocation, not at import
(issue 11 item 5): ``Tracer()`` imports the X-Ray SDK and the DynamoDB persistence layer
creates a boto3 client, together more than ``import boto3`` itself. Powertools' own
decorators are used unchanged, only applied then.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit

from billing_core import bootstrap
from billing_core.entrypoints.masking import PersonalDataMaskingFormatter, mask_text

if TYPE_CHECKING:
    from aws_lambda_powertools import Metrics
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from billing_core.shared.reports import LogEntry, OperatorReport

LambdaHandler = Callable[[dict[str, Any], "LambdaContext"], Any]
Result = TypeVar("Result")


def function_logger() -> Logger:
    """The logger of a function: Powertools' JSON lines, with personal data masked."""
    return Logger(logger_formatter=PersonalDataMaskingFormatter())


def observed_handler(
    build: Callable[[], LambdaHandler],
    *,
    logger: Logger,
    metrics: Metrics,
    correlation_id_path: str | None = None,
) -> LambdaHandler:
    """The Lambda handler: ``build()``'s handler with the Lambda context in every log
    line, an X-Ray segment and the metrics flushed, put together on the first call."""

    @cache
    def observed() -> LambdaHandler:
        from aws_lambda_powertools import Tracer

        handler = Tracer().capture_lambda_handler(
            metrics.log_metrics(masked_failures(build(), logger)),
            capture_response=False,
            capture_error=False,
        )
        return logger.inject_lambda_context(handler, correlation_id_path=correlation_id_path)

    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> Any:
        return observed()(event, context)

    return lambda_handler


class MaskedFailure(RuntimeError):
    """An error that left a handler with personal data in its text, that text masked."""


def masked_failures(handler: LambdaHandler, logger: Logger) -> LambdaHandler:
    """``handler``, with an error that leaves it logged through the masked logger and
    raised again (the event source retries as before). The Lambda runtime writes a raised
    error's text to the log as it is, past the masking formatter: an error whose text
    holds personal data (a parser's error quoting an SES event's address) is raised as a
    ``MaskedFailure`` with the text masked, without the original chained (R29).

    An event another invocation is handling right now (S3 delivers an event twice at
    once; ``in_progress``) is no failure: a warning, not an ERROR the operator is called
    about (R39); still raised, so that Lambda's asynchronous retry hands it out again,
    in case the first invocation dies (R3, R38)."""

    def handle(event: dict[str, Any], context: LambdaContext) -> Any:
        try:
            return handler(event, context)
        except Exception as error:
            if in_progress(error):
                logger.warning(
                    "event already in progress in another invocation: left to Lambda's retry"
                )
                raise
            logger.exception("invocation failed")
            text = str(error)
            masked = mask_text(text)
            if masked == text:
                raise
            raise MaskedFailure(f"{type(error).__name__}: {masked}") from None

    return handle


def in_progress(error: BaseException | None) -> bool:
    """Whether ``error`` says another invocation is doing this request or event right now
    (Powertools idempotency): it is handed out again, nothing failed."""
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
    )

    return isinstance(error, IdempotencyAlreadyInProgressError)


def idempotent(
    function: Callable[..., Result],
    *,
    data_keyword_argument: str,
    expires_after_seconds: int,
    event_key_jmespath: str = "",
    payload_validation_jmespath: str = "",
) -> Callable[..., Result]:
    """``function`` done once per value of its ``data_keyword_argument`` (Powertools
    idempotency on the idempotency table, with these ``IdempotencyConfig`` options): a
    second call answers from the record. Called as ``once(context, **arguments)``, the
    Lambda context first, so that Powertools knows the time left and the utility is loaded
    on the first call (issue 11 item 5).

    A call whose ``function`` returned but whose record could not be saved (DynamoDB
    throttled, the answer too large) answers what ``function`` returned, the failure
    logged and counted (``record_not_saved``): raised, it asked the event source to do the work again,
    which a run, an import or a delivery did and counted again (idemsave57: a dunning run's
    last part counted 7 reminders for 4, R39). Its record stays in progress until the
    function's time is up, as Powertools leaves it; a delivery after that does the work
    again, as one after the record expired does (R3, R38)."""

    @cache
    def once() -> tuple[IdempotencyConfig, Callable[..., Result]]:
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            IdempotencyConfig,
            idempotent_function,
        )
        from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord

        class ReleasingPersistenceLayer(DynamoDBPersistenceLayer):
            """Releases a record (expired now) instead of deleting it, when the function
            failed: the next call runs again, and no role needs dynamodb:DeleteItem."""

            def _delete_record(self, data_record: DataRecord) -> None:
                self.client.update_item(
                    TableName=self.table_name,
                    Key=self._get_key(data_record.idempotency_key),
                    UpdateExpression="SET #expiry = :now",
                    ExpressionAttributeNames={"#expiry": self.expiry_attr},
                    ExpressionAttributeValues={":now": {"N": "0"}},
                )

        config = IdempotencyConfig(
            event_key_jmespath=event_key_jmespath,
            payload_validation_jmespath=payload_validation_jmespath,
            expires_after_seconds=expires_after_seconds,
        )
        table_name = bootstrap.current().settings.idempotency_table_name
        persistence = ReleasingPersistenceLayer(table_name=table_name)
        decorated: Callable[..., Result] = idempotent_function(
            returning_to(function),
            data_keyword_argument=data_keyword_argument,
            config=config,
            persistence_store=persistence,
        )
        return config, decorated

    def call(context: LambdaContext, /, **arguments: Any) -> Result:
        config, decorated = once()
        config.register_lambda_context(context)
        returned: list[Result] = []
        try:
            return decorated(**arguments, returned_to=returned)
        except Exception:
            if not returned:
                raise  # the function failed, or nothing ran: the source's retry runs it
            # The function returned: what failed is saving its record (Powertools).
            record_not_saved()
            return returned[0]

    return call


def returning_to(function: Callable[..., Result]) -> Callable[..., Result]:
    """``function``, appending what it returns to its ``returned_to`` argument's list, so
    that its caller knows it returned whatever Powertools raises after it. Its name kept,
    of which the records' keys are made (a record made before stays the same call's)."""

    @wraps(function)
    def run(*arguments: Any, returned_to: list[Result], **keywords: Any) -> Result:
        result = function(*arguments, **keywords)
        returned_to.append(result)
        return result

    return run


def record_not_saved() -> None:
    """Tells the operator that a call was carried out but its idempotency record could
    not be saved: no key, no body, no event (R29). A child of the function's logger: its
    masking formatter and service (Powertools). Counted (``Idempotency_record_save_failed``,
    template: IdempotencyRecordNotSavedAlarm, R39): a delivery of the same call after its
    record's in-progress time does the work again, and an error line alone pages nobody."""
    from aws_lambda_powertools import Metrics

    Logger(child=True).error("answer not stored under its idempotency key")
    # The function's metrics: Powertools keeps one set per process, which the handler's
    # log_metrics publishes (observed_handler), as a route's own ``Metrics()`` does.
    Metrics().add_metric(name="Idempotency_record_save_failed", unit=MetricUnit.Count, value=1)


def log_report(report: OperatorReport, *, logger: Logger, metrics: Metrics) -> None:
    """The report's one line for the operator (an error when someone must look) and its
    counts as metrics. Ids, counts and codes only: the report decides, never a handler."""
    entry = report.log_entry()
    for name, count in entry.counts.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=count)
    log = logger.error if entry.error else logger.info
    log(entry.message, extra=dict(entry.fields))


def log_progress(entry: LogEntry, *, logger: Logger) -> None:
    """A long run's progress line (counts only, R29) at INFO: no metrics, which the run's
    report counts once at its end (``log_report``)."""
    logger.info(entry.message, extra=dict(entry.fields))
