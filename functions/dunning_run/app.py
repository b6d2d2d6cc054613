"""EventBridge Scheduler, daily 06:00 Europe/Amsterdam -> the dunning run (R18-R20).

The schedule sends ``{}``; an operator replays a day with ``{"as_of": "YYYY-MM-DD"}``;
a run out of time calls the function again with where it stopped (``continue_from``)
and its counts so far (``earlier_parts``).
"""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from datetime import date
    from typing import TYPE_CHECKING, Any

    from aws_lambda_powertools import Metrics

    from billing_core.dunning.run import RunSummary
    from billing_core.entrypoints.continued_runs import dunning_part
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.scheduled import scheduled_handler
    from billing_core.ports import DunningPlace
    from billing_core.shared.clock import RunDayInFuture

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = function_logger()
metrics = Metrics()


def run(as_of: date, context: LambdaContext) -> RunSummary:
    """An invoice that fails is listed in the report and tried again by the next run. A
    run out of time goes on in a call the function makes to itself (R18, R39)."""
    return dunning_part(as_of, context, logger)


def go_on(
    as_of: date, place: list[str], earlier_parts: dict[str, Any] | None, context: LambdaContext
) -> RunSummary:
    """The run's next part, from the place on its index where the last one stopped, its
    summary from the earlier parts' counts: the last part reports the whole run."""
    return dunning_part(as_of, context, logger, start_at=place, earlier_parts=earlier_parts)


# A day after today is refused (issue 12 item 6): no letter is ever dated in the future.
lambda_handler = scheduled_handler(
    run,
    logger=logger,
    metrics=metrics,
    refusals=(RunDayInFuture,),
    go_on=go_on,
    place=DunningPlace.from_list,
)
