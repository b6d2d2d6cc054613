"""EventBridge Scheduler, Monday 05:00 Europe/Amsterdam -> the weekly retrocession (R24).

The schedule sends ``{}``: the week that ended last night. An operator rebuilds the
statement of the week before any day with ``{"as_of": "YYYY-MM-DD"}``.
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
from billing_core.providers.retrocession_run import (
    RunSummary,
    build_weekly_statements,
)

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class RetrocessionRunEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None


class StatementsFailed(RuntimeError):
    """Some providers got no statement: the invocation fails, so the schedule retries
    (the others' statements are written again, byte for byte the same)."""


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=RetrocessionRunEvent)
def lambda_handler(event: RetrocessionRunEvent, context: LambdaContext) -> dict[str, Any]:
    rt = bootstrap.current()
    as_of = event.as_of or rt.clock.today()
    summary = build_weekly_statements(as_of, rt.retrocession_context())
    _measure(summary)
    if summary.failures:
        raise StatementsFailed(f"no statement for {len(summary.failures)} provider(s)")
    return summary.as_log()


def _measure(summary: RunSummary) -> None:
    metrics.add_metric(
        name="Retrocession_statements", unit=MetricUnit.Count, value=summary.statements
    )
    metrics.add_metric(name="Retrocession_entries", unit=MetricUnit.Count, value=summary.entries)
    metrics.add_metric(
        name="Retrocession_failed", unit=MetricUnit.Count, value=len(summary.failures)
    )
    # Counts, a week label, provider ids and a total: the one line an operator reads (R29).
    log = logger.error if summary.failures else logger.info
    log("retrocession run", extra=summary.as_log())
