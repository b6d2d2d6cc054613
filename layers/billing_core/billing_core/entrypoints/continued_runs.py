"""A run longer than Lambda's time goes on in a call its function makes to itself
(R3, R18, R24, R39): the bank import's statement (``bank_runs``), the daily dunning run
and the weekly retrocession run, the retour import's file (``retour_part``).

A run stops between two units (patients, practices) before its time is up and names the
first place it did not do; its function calls itself, asynchronously, with the day and
that place, ids only (R29), and the id of its run (its first invocation's request id,
``run``: the parts' marks are their run's, parts58b); the dunning run's carries its summary so far too (counts,
provider ids, days and its errors' invoice ids: ``earlier_parts``), and so does the
retrocession run's (counts, amounts, its failures' provider and invoice ids), so that its
last part reports the whole run once, as the bank import's and the retour import's do
(each retrocession part counts its own in its metrics: a retry of the last part counts
no earlier part's again). That call is handled
once per day and place, whatever it carries
(``scheduled_handler``'s ``go_on``, on the idempotency table): one delivered twice is
answered from its record, so no part is done twice, nor its next part called twice; one
delivered again after that record went (its 24 hours, or its in-progress time passed) is
answered from the part's mark on the billing table (``finished_parts``, parts58).
Lambda retries a part that failed, then puts it on the schedule's failure queue, as the
run itself."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from billing_core import bootstrap
from billing_core.entrypoints.powertools import log_progress
from billing_core.ports import DunningPlace

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from billing_core.declarations.retour_parts import RetourParts
    from billing_core.dunning.run import RunSummary
    from billing_core.entrypoints.powertools import LambdaHandler
    from billing_core.entrypoints.s3_upload import S3Upload
    from billing_core.services.operator.money_out import WeekClosed
    from billing_core.shared.reports import AnsweredReport, LogEntry

# Stop taking new units with this much time left: a unit in progress finishes, the rest
# goes on in the run's next part.
SAFETY_MARGIN_MS = 60_000
# The event of the retour import's call to itself: the upload, and the invoices done.
RETOUR_CONTINUES = "retour_import_continues"
_invocation: dict[str, LambdaContext] = {}  # the Lambda context of the call being handled


def knowing_its_run(handler: LambdaHandler) -> LambdaHandler:
    """``handler``, keeping the Lambda context of the call it handles (its time left, its
    own name to call again): an S3 upload's run, which the handler's shape does not pass."""

    def handle(event: dict[str, Any], context: LambdaContext) -> Any:
        _invocation["context"] = context
        return handler(event, context)

    return handle


def its_run() -> LambdaContext | None:
    """The Lambda context ``knowing_its_run`` kept; None outside such a handler."""
    return _invocation.get("context")


def next_upload_part(upload: S3Upload, continues: str, how_far: dict[str, str]) -> None:
    """Call this function again, asynchronously, to go on with the upload's file from
    ``how_far``: the upload's names and how far it is, no personal data (R29)."""
    part = {name: upload[name] for name in ("bucket", "key", "version", "etag")}
    call_itself(_invocation["context"], {continues: part | how_far})


def retour_part(upload: S3Upload, logger: Logger) -> RetourParts | None:
    """The retour import's run of ``upload``: from the invoice its call names (0 for the
    S3 event), stopping with SAFETY_MARGIN_MS left, its progress in the log (counts
    only). None outside Lambda's handler: the whole file in one run."""
    from billing_core.declarations.retour_parts import RetourParts

    context = its_run()
    if context is None:
        return None

    def progress(done: int, total: int) -> None:
        logger.info("retour progress", extra={"invoices_done": done, "invoices_total": total})

    start_at = int(upload.get("invoices_done", 0))
    output = bootstrap.current().output_files
    return RetourParts(has_time(context), output, start_at, progress)


def retour_went_on(report: AnsweredReport, upload: S3Upload) -> AnsweredReport:
    """``report``, after calling the next part when this one stopped half-way."""
    from billing_core.declarations.retour_parts import RetourContinued

    if isinstance(report, RetourContinued):
        how_far = {"invoices_done": str(report.invoices_done)}
        next_upload_part(upload, RETOUR_CONTINUES, how_far)
    return report


def call_itself(context: LambdaContext, event: dict[str, Any]) -> None:
    """Call the function handling ``context`` again, asynchronously, with ``event``."""
    import boto3

    boto3.client("lambda").invoke(
        FunctionName=context.invoked_function_arn,
        InvocationType="Event",
        Payload=json.dumps(event).encode(),
    )


def has_time(context: LambdaContext) -> Callable[[], bool]:
    """Whether the part may take another unit: more than SAFETY_MARGIN_MS left."""
    return lambda: context.get_remaining_time_in_millis() > SAFETY_MARGIN_MS


def progress_to(logger: Logger) -> Callable[[LogEntry], None]:
    """A run's progress lines, to the function's log."""
    return lambda line: log_progress(line, logger=logger)


def go_on_from(
    context: LambdaContext,
    as_of: date,
    place: list[str] | None,
    earlier_parts: dict[str, object] | None = None,
) -> None:
    """The call of the run's next part, from ``place``, with what the parts so far carry
    for it (``earlier_parts``) and the run's id (``run``: its parts' marks are its own,
    parts58b; none when this part came without one); none when the run ended."""
    from billing_core.entrypoints.scheduled import run_going_on

    if place is None:
        return
    event: dict[str, object] = {"as_of": as_of.isoformat(), "continue_from": place}
    if earlier_parts is not None:
        event["earlier_parts"] = earlier_parts
    if (run := run_going_on()) is not None:
        event["run"] = run
    call_itself(context, event)


def dunning_part(
    as_of: date,
    context: LambdaContext,
    logger: Logger,
    start_at: list[str] | None = None,
    earlier_parts: dict[str, Any] | None = None,
) -> RunSummary:
    """The dunning run of ``as_of`` (from ``start_at``, a place on its index, when it
    goes on, its summary from the earlier parts' counts), and the call of its next part,
    with the counts so far, when its time ran out or its agency files are not caught up
    (CATCH_UP_DAYS a part, R34)."""
    from billing_core.dunning.run import run_dunning

    summary = run_dunning(
        bootstrap.current().dunning_context(),
        as_of,
        has_time=has_time(context),
        progress=progress_to(logger),
        start_at=None if start_at is None else DunningPlace.from_list(start_at),
        earlier=earlier_parts,
    )
    place = summary.continue_from
    go_on_from(context, as_of, None if place is None else place.as_list(), summary.carried())
    return summary


def practice_to_go_on_from(place: list[str]) -> str:
    """The one practice id a retrocession part's ``continue_from`` names (``go_on_from``);
    ValueError, never quoting it, for anything else (runs54: an empty list or id wrote
    the week again from its first practice, a second id was left unread)."""
    if len(place) != 1 or not place[0]:
        raise ValueError("not a practice to go on from: [provider]")
    return place[0]


def retrocession_part(
    as_of: date,
    context: LambdaContext,
    logger: Logger,
    start_at: list[str] | None = None,
    earlier_parts: dict[str, Any] | None = None,
) -> WeekClosed:
    """The Monday run of ``as_of`` (from ``start_at``, the practice an earlier part did
    not do, when it goes on, its summary from the earlier parts' counts), and the call of
    its next part, with the counts so far, when its time ran out."""
    from billing_core.services.operator.money_out import close_week

    runtime = bootstrap.current()
    closed = close_week(
        as_of,
        runtime.retrocession_context(),
        runtime.money_out_context(),
        has_time=has_time(context),
        progress=progress_to(logger),
        start_at=None if start_at is None else practice_to_go_on_from(start_at),
        earlier_parts=earlier_parts,
    )
    summary = closed.statements
    place = summary.continue_from
    go_on_from(context, as_of, None if place is None else [place], summary.carried())
    return closed


class StatementsFailed(RuntimeError):
    """Some providers got no statement: the invocation fails, so the schedule retries
    (the others' statements are written again, byte for byte the same)."""


def retrocession_failure(closed: WeekClosed) -> StatementsFailed | None:
    """The error the retrocession run's invocation fails with, if any: for its own part's
    failures, never its earlier parts' (each failed for its own; a retry of a later part
    does not write theirs, and would fail again for them). The practices
    without a statement wait in the payout batch; a retry writes their statement (not
    one whose stored invoice does not load: the report names it, the alarm
    (Retrocession_failed) calls an operator to mend it and rerun the week) but finds the
    batch proposed and leaves it so: the next Monday's batch pays their week with its
    own (``plan_payouts`` settles a practice from the week it waited in; waitretry56). A part whose next part goes on fails
    too, after calling it: the retry writes the week the same day, not a week later when
    the next Monday makes it up (``weeks_missed``, a practice's first week too: audit
    weeks52) (audit agency52 item 3). The retry, near the end of its time as its first attempt was, calls the next
    part again; that call is answered from its record (``scheduled_handler``), or, from
    another place, writes the same bytes and finds the week's batch proposed."""
    failed = closed.statements.failures_a_retry_may_mend()
    if not failed:
        return None
    return StatementsFailed(f"no statement for {len(failed)} provider(s)")
