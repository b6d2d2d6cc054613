"""EventBridge Scheduler, Monday 05:00 Europe/Amsterdam -> the weekly retrocession (R24),
then the week's payout batch, proposed for an operator to approve (issue 19).

The schedule sends ``{}``: the week that ended last night. An operator rebuilds the
statement of the week before any day that has come with ``{"as_of": "YYYY-MM-DD"}``;
a run out of time calls the function again with the practice it goes on from
(``continue_from``) and its counts so far (``earlier_parts``).
"""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from datetime import date
    from typing import TYPE_CHECKING, Any

    from aws_lambda_powertools import Metrics

    from billing_core.entrypoints import continued_runs
    from billing_core.entrypoints.continued_runs import retrocession_failure, retrocession_part
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.scheduled import WeekRunEvent, scheduled_handler
    from billing_core.services.operator.money_out import WeekClosed
    from billing_core.shared.clock import RunDayInFuture

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = function_logger()
metrics = Metrics()


def run(as_of: date, context: LambdaContext) -> WeekClosed:
    """A run out of time goes on in a call the function makes to itself (R24, R39)."""
    return retrocession_part(as_of, context, logger)


def go_on(
    as_of: date, place: list[str], earlier_parts: dict[str, Any] | None, context: LambdaContext
) -> WeekClosed:
    """The run's next part, from the practice where the last one stopped, its summary
    from the earlier parts' counts: the last part reports the whole run."""
    return retrocession_part(as_of, context, logger, start_at=place, earlier_parts=earlier_parts)


# A day after today is refused: its week would still be running (R24). A week that ended
# before any practice existed is not: the run finishes with nothing to do (money_out).
lambda_handler = scheduled_handler(
    run,
    logger=logger,
    metrics=metrics,
    failure=retrocession_failure,
    refusals=(RunDayInFuture,),
    go_on=go_on,
    place=continued_runs.practice_to_go_on_from,
    event_model=WeekRunEvent,
)
