"""The shape every scheduled function has (EventBridge Scheduler): a run for one day,
today on the clock unless an operator replays another, its report logged
(``log_report``) and answered, logs and metrics flushed.

The schedule sends ``{}``; an operator replays a day with ``{"as_of": "YYYY-MM-DD"}``.
A run that went on in a call its function made to itself gets ``{"as_of": ...,
"continue_from": [...], "earlier_parts": {...}, "run": "..."}`` (continued_runs.py), handled
once per day and place: its parts' counts so far, which the next part adds to (not part of
that once; the dunning run's ``EarlierParts``, the retrocession run's ``EarlierWeekParts``),
and the id of its run (``run``, its first invocation's request id: not part of that once
either; the part's mark on the billing table is its run's own, finished_parts.py; a part
queued before runs had ids has none).
Anything else is refused before the run starts: answered ``{"refused": ...}`` naming the
fields, and logged (``run refused``), not raised, since a retry of the same event would
be refused again (ops53); so is a ``continue_from`` that is no place of that run (runs54),
and ``earlier_parts`` without one (no caller sends it: the run would do the whole day
and drop them). A refused part leaves its
run unfinished with nobody reading the answer (the call was asynchronous): it counts
``Run_part_refused``, which RunPartRefusedAlarm reads (R39).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, NotRequired, TypeVar

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from typing_extensions import TypedDict  # pydantic reads typing's own from Python 3.12 only

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


Count = Annotated[int, Field(ge=0)]


def _a_day(text: str) -> str:
    """``text``, a day: refused otherwise, without quoting it (date's own error does)."""
    try:
        date.fromisoformat(text)
    except ValueError:
        raise ValueError("not a day (YYYY-MM-DD)") from None
    return text


class EarlierParts(TypedDict):
    """What the earlier parts of a dunning run carried for its next part to add to
    (``RunSummary.carried``): counts, provider ids, days, and the invoice ids of their
    errors (R29: ids and counts, no personal data). A key the next part reads that is
    missing or of another type refuses the event, naming it (ops53: a hand-made replay of
    a part raised KeyError into Lambda's retries). Keys it does not know are left be: a
    part called by the version before a deploy still goes on. ``error_invoices``,
    ``unreadable_read``: absent in such a part's call."""

    parts: Annotated[int, Field(ge=1)]
    read: Count
    steps: dict[str, Count]
    letters: dict[str, Count]
    rescheduled: Count
    arrangements_cancelled: Count
    retried: Count
    errors: Count
    conflicts: Count
    providers_skipped: list[str]
    agency_files: Count
    agency_days: list[Annotated[str, AfterValidator(_a_day)]]
    agency_days_mended: list[Annotated[str, AfterValidator(_a_day)]]
    error_invoices: NotRequired[list[str]]
    unreadable_read: NotRequired[list[str]]


class EarlierWeekParts(TypedDict):
    """What the earlier parts of a retrocession run carried for its next part to add to
    (``RunSummary.carried`` in providers/retrocession_run.py): counts, amounts, weeks, and
    the provider and invoice ids of their failures (R29). Refused as ``EarlierParts``.
    ``providers``, ``not_started`` (the practices they took, and found not started yet:
    retroretry55): absent in a part's call by the version before a deploy."""

    providers: NotRequired[Count]
    not_started: NotRequired[Count]
    statements: Count
    entries: Count
    payout_cents: int
    weeks_made_up: list[str]
    failed: Count
    failures: dict[str, str]
    invoices_unreadable: dict[str, list[str]]


def _an_id(text: str) -> str:
    """``text``, a run's id: its first invocation's Lambda request id (a UUID), or a uuid;
    an id only (R29), no "#" (it goes into the key of a part's mark, keys.run_part_key).
    Refused otherwise, without quoting it. No regular expression: one costs the cold
    start of both runs (make bench (d))."""
    if not (0 < len(text) <= 64 and text.isascii() and text.replace("-", "").isalnum()):
        raise ValueError("not a run's id (letters, digits and -, at most 64)")
    return text


RunId = Annotated[str, AfterValidator(_an_id)]


class ScheduledRunEvent(BaseModel):
    """The dunning run's event, and the shape of every scheduled run's."""

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None
    # Where the run's earlier part stopped, from its call to itself: ids only (R29)
    continue_from: list[str] | None = None
    # What the earlier parts of that run counted, for the next part to add to
    earlier_parts: EarlierParts | None = None
    # The id of that run (parts58b): a rerun of the day is another run, whose parts are
    # not answered from the first run's marks. Absent in a part queued before the ids.
    run: RunId | None = None


class WeekRunEvent(ScheduledRunEvent):
    """The retrocession run's: its earlier parts carry what it counts. Built when its
    first event comes: the dunning run's cold start has no use for it."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    earlier_parts: EarlierWeekParts | None = None  # type: ignore[assignment]


# A part delivered again within this time is answered from its record: longer than
# Lambda keeps retrying an asynchronous call (6 hours). After it, from the part's mark
# (finished_parts.py: PART_KEPT, 15 days).
PART_SECONDS = 24 * 3600
_run: dict[str, str | None] = {}  # the id of the run whose start or part is being handled


def run_going_on() -> str | None:
    """The id of the run whose start or part this invocation handles, for its next
    part's event (``continued_runs.go_on_from``); None in a part queued before runs had
    ids (parts58b): its next parts go on without one, as it came."""
    return _run.get("id")


def first_run_id(context: LambdaContext | None) -> str:
    """A run's id, made by its first invocation: its Lambda request id (a retry of that
    invocation by Lambda keeps it), or a uuid without one."""
    request_id = getattr(context, "aws_request_id", None)
    if request_id:
        return str(request_id)
    import uuid

    return str(uuid.uuid4())


def scheduled_handler(
    run: Callable[[date, LambdaContext], Report],
    *,
    logger: Logger,
    metrics: Metrics,
    failure: Callable[[Report], Exception | None] = lambda _: None,
    refusals: tuple[type[Exception], ...] = (),
    go_on: Callable[[date, list[str], dict[str, Any] | None, LambdaContext], Report] | None = None,
    place: Callable[[list[str]], object] | None = None,
    event_model: type[ScheduledRunEvent] = ScheduledRunEvent,
) -> LambdaHandler:
    """The Lambda handler that calls ``run(as_of, context)`` and answers its report.
    ``failure(report)``: an error to fail the invocation with once the report is logged,
    so that the schedule retries; None (the default) when the run did what it could.
    ``refusals``: errors the run raises before it starts (a day in the future): answered
    as ``{"refused": ...}`` and logged, not raised, since a retry would be refused too.
    ``go_on(as_of, place, earlier_parts, context)``: the run's next part, from the place
    its earlier part stopped at, with what the earlier parts carried for it (None: they
    carried nothing); once per day and place. A run without one refuses such an event.
    ``place(continue_from)``: reads the place a part's event names, raising ValueError
    saying what is wrong with it, never quoting it; given with ``go_on``.
    ``event_model``: the run's event, whose ``earlier_parts`` are what its parts carry."""
    if (go_on is None) != (place is None):
        raise TypeError("a run that goes on in parts reads their place: go_on and place")

    def refused_answer(refusal: Exception, payload: dict[str, Any]) -> dict[str, Any]:
        logger.error("run refused", extra={"refused": str(refusal)})
        if PART_KEYS & set(payload):
            # The rest of a run is lost, and its answer goes nowhere (R39).
            metrics.add_metric(name="Run_part_refused", unit=MetricUnit.Count, value=1)
        return {"refused": str(refusal)}

    def answered(report: Report) -> dict[str, Any]:
        log_report(report, logger=logger, metrics=metrics)
        if (error := failure(report)) is not None:
            raise error
        return report.answer()

    def part(
        request: dict[str, Any],
        earlier_parts: dict[str, Any] | None,
        lambda_context: LambdaContext,
        run_id: str | None,
    ) -> dict[str, Any]:
        from billing_core.entrypoints.finished_parts import RunPart

        assert go_on is not None
        as_of = date.fromisoformat(request["as_of"])
        this_part = RunPart(lambda_context.function_name, request, run_id)
        if (again := this_part.finished_before()) is not None:
            # Its work done, its next part called: nothing again (parts58, R39).
            log_report(again, logger=logger, metrics=metrics)
            return again.answer()
        answer = answered(go_on(as_of, request["continue_from"], earlier_parts, lambda_context))
        this_part.mark_finished(answer, logger)
        return answer

    refused: tuple[type[Exception], ...] = (*refusals, RunDoesNotContinue, MalformedPlace)
    # Only ``request`` makes the record's key: the earlier parts' counts, the run's id and
    # the context are passed through (a part delivered again is answered from its record).
    once = idempotent(part, data_keyword_argument="request", expires_after_seconds=PART_SECONDS)

    def handle(payload: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        try:
            event = event_model.model_validate(payload)
        except ValidationError as malformed:
            return refused_answer(MalformedEvent(malformed), payload)
        as_of = event.as_of or bootstrap.current().clock.today()
        try:
            if event.continue_from is not None:
                if go_on is None or place is None:
                    raise RunDoesNotContinue
                read_place(place, event.continue_from)
                request = {"as_of": as_of.isoformat(), "continue_from": event.continue_from}
                earlier = event.earlier_parts
                _run["id"] = event.run
                return once(
                    context,
                    request=request,
                    earlier_parts=earlier,
                    lambda_context=context,
                    run_id=event.run,
                )
            if event.earlier_parts is not None:
                raise MalformedPlace(
                    "missing beside earlier_parts, which only a run's part carries"
                )
            if go_on is not None:
                _run["id"] = first_run_id(context)
            report = run(as_of, context)
        except refused as refusal:
            return refused_answer(refusal, payload)
        return answered(report)

    return observed_handler(lambda: handle, logger=logger, metrics=metrics)


# The keys only a part's event has: refused, it leaves the rest of its run undone.
PART_KEYS = frozenset({"continue_from", "earlier_parts", "run"})


def read_place(place: Callable[[list[str]], object], continue_from: list[str]) -> None:
    """Refuses (MalformedPlace) a ``continue_from`` that ``place`` does not read."""
    try:
        place(continue_from)
    except ValueError as malformed:
        raise MalformedPlace(str(malformed)) from None


class MalformedPlace(ValueError):
    """A part's event whose ``continue_from`` is no place of its run (runs54: a list too
    short, too long, with an empty id or no day raised into Lambda's retries, or went
    on from the run's start and counted its earlier parts twice)."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"event refused: continue_from: {problem}")


class RunDoesNotContinue(ValueError):
    """An event naming where a run stopped, to a run that does not go on in parts."""

    def __init__(self) -> None:
        super().__init__("this run does not go on from a place: continue_from refused")


class MalformedEvent(ValueError):
    """An event the run's model refuses: each field named with what is wrong with it, never
    the value given (a hand-made event may hold anything, R29)."""

    def __init__(self, malformed: ValidationError) -> None:
        problems = (
            f"{'.'.join(map(str, error['loc'])) or 'event'}: {error['msg']}"
            for error in malformed.errors(include_url=False, include_input=False)
        )
        super().__init__("event refused: " + "; ".join(problems))
