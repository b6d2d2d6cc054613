"""EventBridge Scheduler, daily 06:00 Europe/Amsterdam -> the dunning run (R18-R20).

The schedule sends ``{}``; an operator replays a day with ``{"as_of": "YYYY-MM-DD"}``.
"""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from datetime import date
    from typing import TYPE_CHECKING

    from aws_lambda_powertools import Metrics

    from billing_core import bootstrap
    from billing_core.dunning.run import RunSummary, run_dunning
    from billing_core.entrypoints.powertools import function_logger, log_progress
    from billing_core.entrypoints.scheduled import scheduled_handler
    from billing_core.shared.clock import RunDayInFuture

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

# Stop taking new invoices with this much time left: a unit in progress finishes, the
# rest waits for the next run (or a rerun: nothing is done twice).
SAFETY_MARGIN_MS = 60_000

logger = function_logger()
metrics = Metrics()


def run(as_of: date, context: LambdaContext) -> RunSummary:
    """An invoice that fails is listed in the report and tried again by the next run."""
    return run_dunning(
        bootstrap.current().dunning_context(),
        as_of,
        has_time=lambda: context.get_remaining_time_in_millis() > SAFETY_MARGIN_MS,
        progress=lambda line: log_progress(line, logger=logger),
    )


# A day after today is refused (issue 12 item 6): no letter is ever dated in the future.
lambda_handler = scheduled_handler(run, logger=logger, metrics=metrics, refusals=(RunDayInFuture,))
