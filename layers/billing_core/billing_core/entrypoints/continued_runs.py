"""A run longer than Lambda's time goes on in a call its function makes to itself
(R3, R18, R39): the bank import's statement (``bank_runs``) and the daily dunning run.

The dunning run stops between two patients before its time is up and names the first
place on its index it did not do (dunning/run.py); its function calls itself,
asynchronously, with the day and that place, ids only (R29). That call is handled once
per day and place (``scheduled_handler``'s ``go_on``, on the idempotency table): one
delivered twice is answered from its record, so no part is done twice, nor its next
part called twice. Lambda retries a part that failed, then puts it on the schedule's
failure queue, as the run itself."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from billing_core import bootstrap
from billing_core.dunning.run import RunSummary, run_dunning
from billing_core.entrypoints.powertools import log_progress
from billing_core.ports import DunningPlace

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger
    from aws_lambda_powertools.utilities.typing import LambdaContext

# Stop taking new patients with this much time left: a unit in progress finishes, the
# rest goes on in the run's next part.
SAFETY_MARGIN_MS = 60_000


def call_itself(context: LambdaContext, event: dict[str, Any]) -> None:
    """Call the function handling ``context`` again, asynchronously, with ``event``."""
    import boto3

    boto3.client("lambda").invoke(
        FunctionName=context.invoked_function_arn,
        InvocationType="Event",
        Payload=json.dumps(event).encode(),
    )


def dunning_part(
    as_of: date, context: LambdaContext, logger: Logger, start_at: list[str] | None = None
) -> RunSummary:
    """The dunning run of ``as_of`` (from ``start_at``, a place on its index, when it
    goes on), and the call of its next part when its time ran out."""
    summary = run_dunning(
        bootstrap.current().dunning_context(),
        as_of,
        has_time=lambda: context.get_remaining_time_in_millis() > SAFETY_MARGIN_MS,
        progress=lambda line: log_progress(line, logger=logger),
        start_at=DunningPlace.from_list(start_at) if start_at else None,
    )
    if summary.continue_from is not None:
        place = summary.continue_from.as_list()
        call_itself(context, {"as_of": as_of.isoformat(), "continue_from": place})
    return summary
