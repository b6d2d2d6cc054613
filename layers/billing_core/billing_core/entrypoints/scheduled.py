"""The shape every scheduled function has (EventBridge Scheduler): a run for one day,
today on the clock unless an operator replays another, its report logged
(``log_report``) and answered, logs and metrics flushed.

The schedule sends ``{}``; an operator replays a day with ``{"as_of": "YYYY-MM-DD"}``.
Anything else is refused before the run starts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools.utilities.parser import event_parser
from pydantic import BaseModel, ConfigDict

from billing_core import bootstrap
from billing_core.entrypoints.powertools import LambdaHandler, log_report, observed_handler
from billing_core.shared.reports import AnsweredReport

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.utilities.typing import LambdaContext

Report = TypeVar("Report", bound=AnsweredReport)


class ScheduledRunEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None


def scheduled_handler(
    run: Callable[[date, LambdaContext], Report],
    *,
    logger: Logger,
    metrics: Metrics,
    failure: Callable[[Report], Exception | None] = lambda _: None,
    refusals: tuple[type[Exception], ...] = (),
) -> LambdaHandler:
    """The Lambda handler that calls ``run(as_of, context)`` and answers its report.
    ``failure(report)``: an error to fail the invocation with once the report is logged,
    so that the schedule retries; None (the default) when the run did what it could.
    ``refusals``: errors the run raises before it starts (a day in the future): answered
    as ``{"refused": ...}`` and logged, not raised, since a retry would be refused too."""

    @event_parser(model=ScheduledRunEvent)
    def handle(event: ScheduledRunEvent, context: LambdaContext) -> dict[str, Any]:
        try:
            report = run(event.as_of or bootstrap.current().clock.today(), context)
        except refusals as refusal:
            logger.error("run refused", extra={"refused": str(refusal)})
            return {"refused": str(refusal)}
        log_report(report, logger=logger, metrics=metrics)
        if (error := failure(report)) is not None:
            raise error
        return report.answer()

    return observed_handler(lambda: handle, logger=logger, metrics=metrics)
