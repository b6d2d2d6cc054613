"""EventBridge Scheduler, daily 06:00 Europe/Amsterdam -> the dunning run (R18-R20).

The schedule sends ``{}``; an operator replays a day with ``{"as_of": "YYYY-MM-DD"}``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict

from billing_core import bootstrap
from billing_core.dunning.run import RunSummary, run_dunning

# Stop taking new invoices with this much time left: a unit in progress finishes, the
# rest waits for the next run (or a rerun: nothing is done twice).
SAFETY_MARGIN_MS = 60_000

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class DunningRunEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=DunningRunEvent)
def lambda_handler(event: DunningRunEvent, context: LambdaContext) -> dict[str, Any]:
    rt = bootstrap.current()
    as_of = event.as_of or rt.clock.today()
    summary = run_dunning(
        rt.dunning_context(),
        as_of,
        has_time=lambda: context.get_remaining_time_in_millis() > SAFETY_MARGIN_MS,
    )
    _measure(summary)
    return summary.as_log()


def _measure(summary: RunSummary) -> None:
    metrics.add_metric(name="Dunning_read", unit=MetricUnit.Count, value=summary.read)
    for step, count in summary.steps.items():
        metrics.add_metric(name=f"Dunning_{step}", unit=MetricUnit.Count, value=count)
    for kind, count in summary.letters.items():
        metrics.add_metric(name=f"Dunning_letter_{kind}", unit=MetricUnit.Count, value=count)
    metrics.add_metric(name="Dunning_rescheduled", unit=MetricUnit.Count, value=summary.rescheduled)
    metrics.add_metric(name="Dunning_errors", unit=MetricUnit.Count, value=len(summary.errors))
    # Counts, dates and invoice ids only: the one line an operator reads (R29).
    log = logger.error if summary.errors or not summary.complete else logger.info
    log("dunning run", extra=summary.as_log())
