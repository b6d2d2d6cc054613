"""The shape every scheduled function has (EventBridge Scheduler): a run for one day,
today on the clock unless an operator replays another, its report logged
(``log_report``) and answered, logs and metrics flushed.

The schedule sends ``{}``; an operator replays a day with ``{"as_of": "YYYY-MM-DD"}``.
A run that went on in a call its function made to itself gets ``{"as_of": ...,
"continue_from": [...]}`` (continued_runs.py), handled once per day and place, and, for
the dunning run, ``"earlier_parts": {...}``: its parts' counts so far, which the next
part adds to (not part of that once). Anything else is refused before the run starts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools.utilities.parser import event_parser
from pydantic import BaseModel, ConfigDict

from billing_core import bootstrap
from billing_core.entrypoints.powertools import (
    LambdaHandler,
    idempotent,
    log_report,
    observed_handler,
)
from billing_core.shared.reports import AnsweredReport

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.utilities.typing import LambdaContext

Report = TypeVar("Report", bound=AnsweredReport)


class ScheduledRunEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None
    # Where the run's earlier part stopped, from its call to itself: ids only (R29)
    continue_from: list[str] | None = None
    # What the earlier parts of that run counted, for the next part to add to: counts,
    # provider ids and days only (R29)
    earlier_parts: dict[str, Any] | None = None


# A part delivered again within this time is answered from its record: longer than
# Lambda keeps retrying an asynchronous call (6 hours).
PART_SECONDS = 24 * 3600


def scheduled_handler(
    run: Callable[[date, LambdaContext], Report],
    *,
    logger: Logger,
    metrics: Metrics,
    failure: Callable[[Report], Exception | None] = lambda _: None,
    refusals: tuple[type[Exception], ...] = (),
    go_on: Callable[[date, list[str], dict[str, Any] | None, LambdaContext], Report] | None = None,
) -> LambdaHandler:
    """The Lambda handler that calls ``run(as_of, context)`` and answers its report.
    ``failure(report)``: an error to fail the invocation with once the report is logged,
    so that the schedule retries; None (the default) when the run did what it could.
    ``refusals``: errors the run raises before it starts (a day in the future): answered
    as ``{"refused": ...}`` and logged, not raised, since a retry would be refused too.
    ``go_on(as_of, place, earlier_parts, context)``: the run's next part, from the place
    its earlier part stopped at, with what the earlier parts carried for it (None: they
    carried nothing); once per day and place. A run without one refuses such an event."""

    def answered(report: Report) -> dict[str, Any]:
        log_report(report, logger=logger, metrics=metrics)
        if (error := failure(report)) is not None:
            raise error
        return report.answer()

    def part(
        request: dict[str, Any],
        earlier_parts: dict[str, Any] | None,
        lambda_context: LambdaContext,
    ) -> dict[str, Any]:
        assert go_on is not None
        as_of = date.fromisoformat(request["as_of"])
        return answered(go_on(as_of, request["continue_from"], earlier_parts, lambda_context))

    refused: tuple[type[Exception], ...] = (*refusals, RunDoesNotContinue)
    # Only ``request`` makes the record's key: the earlier parts' counts and the context
    # are passed through (a part delivered again is answered from its record).
    once = idempotent(part, data_keyword_argument="request", expires_after_seconds=PART_SECONDS)

    @event_parser(model=ScheduledRunEvent)
    def handle(event: ScheduledRunEvent, context: LambdaContext) -> dict[str, Any]:
        as_of = event.as_of or bootstrap.current().clock.today()
        try:
            if event.continue_from is not None:
                if go_on is None:
                    raise RunDoesNotContinue
                request = {"as_of": as_of.isoformat(), "continue_from": event.continue_from}
                earlier = event.earlier_parts
                return once(context, request=request, earlier_parts=earlier, lambda_context=context)
            report = run(as_of, context)
        except refused as refusal:
            logger.error("run refused", extra={"refused": str(refusal)})
            return {"refused": str(refusal)}
        return answered(report)

    return observed_handler(lambda: handle, logger=logger, metrics=metrics)


class RunDoesNotContinue(ValueError):
    """An event naming where a run stopped, to a run that does not go on in parts."""

    def __init__(self) -> None:
        super().__init__("this run does not go on from a place: continue_from refused")
