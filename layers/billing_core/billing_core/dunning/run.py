"""Use case: the daily dunning run (product.md R18-R20, R22, R23; issue #5).

It reads only the invoices the sparse by-next-action index puts on or before ``as_of``
(R18: cost grows with the work due, not with the table), page by page, and takes each one
step along its provider's timeline (dunning/timeline.py). Invoices of one patient due the
same day sit next to each other in the index, so one reminder can cover them
(legal-nl.md §2).

Idempotent per invoice per step: a step is saved with the invoices' versions as the
condition, in one transaction per letter, and the letter to send is recorded on the
invoice until the delivery has sent it. Running the same day again finds every invoice
already moved on (nothing is sent twice); a run that stopped halfway (a crash, the Lambda
time limit) is resumed by running again; a letter whose queueing was lost is queued again
(the delivery sends each letter once).

A failing invoice does not stop the run: it is listed in the summary's errors (ids and
error types only, no personal data) and stays on the index for the next run. The invoices
of a provider whose stored settings do not validate (a malformed legacy item), or whose
settings item is gone while its invoices remain, are skipped:
the provider is reported by id and counted (``Dunning_provider_skipped``), not retried as
an error per invoice, and its invoices wait on the index until an operator mends it (R31).

A payment booked between the run's read of an invoice and its write is no error either:
the write is refused (R28) and the patient's invoices not yet written are read again and
looked at once more (``retried``); losing that race too leaves them for the next run
(``conflicts``). Neither is an error; conflicts on two daily runs in a row page an
operator (R39, template: DunningConflictsRepeatedAlarm): every day, a patient is never
reminded.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from billing_core.changes.arrangement import review_arrangement
from billing_core.changes.coulance import statement_wait_until
from billing_core.collection.agency_updates import (
    CATCH_UP_DAYS,
    days_to_tell,
    write_agency_updates,
    write_owed_agency_updates,
)
from billing_core.collection.blocking import close_handover_action
from billing_core.collection.handover import handover_bytes, handover_key
from billing_core.declarations.claims import canonical_reference
from billing_core.dunning.letter_costs import rest_of_letter
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE, event_id
from billing_core.dunning.steps import (
    charge_costs,
    hand_over,
    handover_written,
    rescheduled,
    send_reminder,
)
from billing_core.dunning.timeline import Plan, Step, letter_waiting, plan
from billing_core.invoices.invoice import SECOND_NOTICE_KIND, ArrangementStatus, Invoice
from billing_core.invoices.ledger import balance
from billing_core.invoices.updates import reread
from billing_core.legal.atw import DECREES_KNOWN_UNTIL, decrees_ending
from billing_core.ports import (
    ConcurrentChange,
    DeliveryQueue,
    DunningPlace,
    DunningStore,
    FileStore,
    UnreadableInvoice,
    UnreadableProvider,
    letters_due_requests,
)
from billing_core.providers.actions import ActionKind, OpenAction, handover_action_id
from billing_core.providers.provider import Provider
from billing_core.shared.clock import Clock, moment_on, refuse_future
from billing_core.shared.reports import LogEntry

PAGE_SIZE = 250  # invoices per index page (about 1 MB, a DynamoDB page): a bounded batch
# Invoices read between two progress lines: a run of 10,000 invoices due takes minutes,
# and an operator sees it move, as the bank import's (R39).
PROGRESS_EVERY = 1_000
# Errors' invoice ids a part's call to itself carries at most (a uuid, about 40 bytes
# each); beyond them a later part meeting one again counts it again.
CARRIED_ERROR_INVOICES = 1_000


@dataclass(frozen=True)
class DunningContext:
    store: DunningStore
    files: FileStore
    delivery: DeliveryQueue
    clock: Clock


@dataclass(frozen=True, slots=True)
class RunError:
    invoice_ids: tuple[str, ...]
    error: str  # the exception's type: never its message, which may hold personal data


@dataclass
class RunSummary:
    as_of: date
    read: int = 0  # invoices the index gave
    steps: Counter[str] = field(default_factory=Counter)  # invoices per step taken
    letters: Counter[str] = field(default_factory=Counter)  # letters queued per kind
    rescheduled: int = 0  # nothing due yet (deferral, hold, arrangement): looked at later
    # Arrangements the run cancelled, a term missed by more than 14 days (R15); not the
    # ones it found paid in full and completed.
    arrangements_cancelled: int = 0
    # Patients' units read again because a payment or change booked meanwhile refused a
    # write (R28); the invoice ids of those that lost that race twice: the next run's.
    retried: int = 0
    conflicts: list[tuple[str, ...]] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    providers_skipped: set[str] = field(default_factory=set)  # settings that do not validate
    agency_files: int = 0  # the changes on claims the agency holds, per practice and day
    agency_days: list[date] = field(default_factory=list)  # the days of those files
    # Days whose files were owed to a stored invoice that did not load, written again with
    # it mended (or gone): what changed on it those days has reached the agency (R34)
    agency_days_mended: list[date] = field(default_factory=list)
    # False: stopped before the end (time limit, or agency files of too many missed days
    # for one part); its next part goes on from ``continue_from``
    complete: bool = True
    # Stopped: the first place on the index not done, where the run's next part goes on
    # (its function calls itself with it, R18, R39); after every invoice of the day when
    # only agency files are left to write (``_agency_files_place``)
    continue_from: DunningPlace | None = None
    # Set from 1 October of the last year whose Atw decrees are known (legal/atw.py): that
    # year, for an operator to add the next year's decree (R39, legal-nl.md §2)
    atw_decrees_known_until: int | None = None
    # A run in parts (R18, R39): the parts so far, this one included, and the errors and
    # conflicts of the parts before it, by number (each part's line names its own by
    # invoice id). The counts above are the whole run's so far (``going_on``).
    parts: int = 1
    errors_before: int = 0
    conflicts_before: int = 0
    # The invoices of those errors: one a later part meets again (an item that does not
    # load, read ahead on the first part's page or in the agency's files) is not another
    # error (``note_error``)
    error_invoices_before: frozenset[str] = frozenset()
    # The stored items that do not load the index gave, this part's and the earlier
    # parts': each one of ``read`` once, whether or not the agency's files met it first
    # (runs54: met there by the first part, on the index by a later one, it was in no
    # part's read). From a part called by the version before: its errors' invoices.
    unreadable_read: set[str] = field(default_factory=set)

    @classmethod
    def going_on(cls, as_of: date, earlier: Mapping[str, Any]) -> RunSummary:
        """The summary of a run's next part, from what its earlier parts carried
        (``carried``): the part adds its own, so the last part's is the whole run's."""
        return cls(
            as_of,
            read=int(earlier["read"]),
            steps=_counts(earlier["steps"]),
            letters=_counts(earlier["letters"]),
            rescheduled=int(earlier["rescheduled"]),
            arrangements_cancelled=int(earlier["arrangements_cancelled"]),
            retried=int(earlier["retried"]),
            providers_skipped={str(provider_id) for provider_id in earlier["providers_skipped"]},
            agency_files=int(earlier["agency_files"]),
            agency_days=[date.fromisoformat(day) for day in earlier["agency_days"]],
            agency_days_mended=[date.fromisoformat(day) for day in earlier["agency_days_mended"]],
            parts=int(earlier["parts"]) + 1,
            errors_before=int(earlier["errors"]),
            conflicts_before=int(earlier["conflicts"]),
            error_invoices_before=frozenset(map(str, earlier.get("error_invoices", ()))),
            unreadable_read=set(
                map(str, earlier.get("unreadable_read", earlier.get("error_invoices", ())))
            ),
        )

    def carried(self) -> dict[str, object]:
        """What the run's next part starts from (``going_on``): the counts of the parts so
        far, provider ids and days. Errors and conflicts by number; the errors' invoice
        ids too, up to CARRIED_ERROR_INVOICES, so that a later part does not count one of
        them again: the part's call to itself stays small (at most about 40 KB of ids,
        Lambda takes 256 KB) however many there are. Invoice ids are no personal data
        (R29: ids and counts)."""
        return {
            "parts": self.parts,
            "read": self.read,
            "steps": dict(self.steps),
            "letters": dict(self.letters),
            "rescheduled": self.rescheduled,
            "arrangements_cancelled": self.arrangements_cancelled,
            "retried": self.retried,
            "errors": self.errors_before + len(self.errors),
            "conflicts": self.conflicts_before + len(self.conflicts),
            "providers_skipped": sorted(self.providers_skipped),
            "agency_files": self.agency_files,
            "agency_days": _day_range(self.agency_days),
            "agency_days_mended": [day.isoformat() for day in self.agency_days_mended],
            "error_invoices": self._error_invoices()[:CARRIED_ERROR_INVOICES],
            "unreadable_read": sorted(self.unreadable_read)[:CARRIED_ERROR_INVOICES],
        }

    def _error_invoices(self) -> list[str]:
        """The invoice ids of the run's errors so far, once each: the earlier parts' first."""
        mine = (invoice_id for error in self.errors for invoice_id in error.invoice_ids)
        return list(dict.fromkeys([*sorted(self.error_invoices_before), *mine]))

    def note_error(self, error: RunError) -> None:
        """Lists ``error`` unless the run met it already, in this part or an earlier one:
        an item that does not load is met again by the part after (read ahead on the page
        where a part stopped) and by the agency's files (R39: Dunning_errors counts each
        once)."""
        known = error in self.errors or set(error.invoice_ids) <= self.error_invoices_before
        if not known:
            self.errors.append(error)

    @property
    def actions(self) -> int:
        return sum(self.steps.values())

    def answer(self) -> dict[str, object]:
        """Counts, dates and invoice ids only: the one line an operator reads (R29)."""
        atw = {"atw_decrees_known_until": self.atw_decrees_known_until}
        return (
            {
                "as_of": self.as_of.isoformat(),
                "read": self.read,
                "actions": self.actions,
                "steps": dict(self.steps),
                "letters": dict(self.letters),
                "rescheduled": self.rescheduled,
                "arrangements_cancelled": self.arrangements_cancelled,
                "retried": self.retried,
                "conflicts": [list(invoice_ids) for invoice_ids in self.conflicts],
                "errors": [
                    {"invoices": list(e.invoice_ids), "error": e.error} for e in self.errors
                ],
                "providers_skipped": sorted(self.providers_skipped),
                "agency_files": self.agency_files,
                "agency_days": _day_range(self.agency_days),
                "complete": self.complete,
            }
            | (atw if self.atw_decrees_known_until else {})
            | self._mended()
            | self._continued()
            | self._in_parts()
        )

    def _mended(self) -> dict[str, object]:
        """The owed days written again: only in the answer of a run that wrote some."""
        days = [day.isoformat() for day in self.agency_days_mended]
        return {"agency_days_mended": days} if days else {}

    def _continued(self) -> dict[str, object]:
        """Where the run's next part goes on: only in the answer of a run that stopped."""
        place = self.continue_from
        return {} if place is None else {"continue_from": place.as_list()}

    def _in_parts(self) -> dict[str, object]:
        """The parts so far and their errors and conflicts the lists above leave out (their
        parts' lines name them): only in the answer of a part after the first."""
        if self.parts == 1:
            return {}
        before = {"errors": self.errors_before, "conflicts": self.conflicts_before}
        return {"parts": self.parts, "earlier_parts": before}

    def progress_entry(self) -> LogEntry:
        """The line while the run runs: counts so far, no ids, no metrics (the report's
        line at the end counts them once)."""
        fields = {"as_of": self.as_of.isoformat(), "read": self.read, "actions": self.actions}
        fields |= {"letters": sum(self.letters.values()), "errors": len(self.errors)}
        return LogEntry("dunning run progress", fields)

    def log_entry(self) -> LogEntry:
        if self.continue_from is not None:
            # Counted nowhere (no metric, no alarm): the last part counts the whole run once.
            return LogEntry("dunning run continues in a next part", self.answer())
        counts = {"Dunning_read": self.read, "Dunning_rescheduled": self.rescheduled}
        counts |= {f"Dunning_{step}": count for step, count in self.steps.items()}
        counts |= {f"Dunning_letter_{kind}": count for kind, count in self.letters.items()}
        errors = self.errors_before + len(self.errors)
        counts["Dunning_errors"] = errors
        # An ordinary race, no error: nothing failed (R28, R39).
        counts["Dunning_retried"] = self.retried
        # Left for the next run; on two runs in a row, DunningConflictsRepeatedAlarm (R39).
        counts["Dunning_conflicts"] = self.conflicts_before + len(self.conflicts)
        # The alarm on a run that stopped early (template: DunningRunIncompleteAlarm, R39);
        # a part whose next part goes on is no such run (a call lost is on the failure queue).
        stopped = not self.complete
        counts["Dunning_incomplete"] = 1 if stopped else 0
        # The alarm on a provider item no run can read (template: ProviderSkippedAlarm).
        counts["Dunning_provider_skipped"] = len(self.providers_skipped)
        # The Atw decree data runs out (template: AtwDecreesEndingAlarm): a warning, no error.
        counts["Dunning_atw_decrees_ending"] = 1 if self.atw_decrees_known_until else 0
        failed = bool(errors or self.providers_skipped) or stopped
        return LogEntry("dunning run", self.answer(), counts, error=failed)


def run_dunning(
    ctx: DunningContext,
    as_of: date,
    *,
    page_size: int = PAGE_SIZE,
    has_time: Callable[[], bool] = lambda: True,
    progress: Callable[[LogEntry], None] = lambda _: None,
    start_at: DunningPlace | None = None,
    earlier: Mapping[str, Any] | None = None,
) -> RunSummary:
    """Take every invoice due on or before ``as_of`` one step further, a ``progress`` line
    every PROGRESS_EVERY invoices read. Raises RunDayInFuture for an ``as_of`` after today
    (Europe/Amsterdam, ``ctx.clock``). Out of time (``has_time``), it stops before a
    patient on the index and names the first place not done (``continue_from``), as it
    does after its first patient when its agency files are not caught up (CATCH_UP_DAYS a
    part), and after its last patient (or none) with a place after every invoice of the
    day; the run's next part goes on from there (``start_at``), the agency's files already
    written by the first unless they are not caught up yet, its summary from the earlier
    parts' (``earlier``, what their summaries ``carried``): the last part's is the whole
    run's."""
    refuse_future("dunning run", as_of, ctx.clock)
    summary = RunSummary(as_of) if earlier is None else RunSummary.going_on(as_of, earlier)
    if decrees_ending(as_of):
        summary.atw_decrees_known_until = DECREES_KNOWN_UNTIL
    caught_up = True
    if start_at is None or _agency_files_behind(as_of, ctx):
        caught_up = _tell_the_agency(as_of, ctx, summary)
    providers = _ProviderCache(ctx.store)
    pages: Iterable[list[Invoice | UnreadableInvoice]] = ()  # an agency files' part reads none
    if start_at is None or not _after_the_day(start_at):
        pages = ctx.store.due_for_dunning(as_of, page_size=page_size, start_at=start_at)
    invoices = _each_once(_readable(pages, summary))
    if start_at is not None:
        invoices = (i for i in invoices if not _stepped_by_the_run(i, as_of))
    reading = _NotDoneYet()
    for unit in _patient_units(reading.noted(invoices)):
        # A part takes one patient at least: never a chain of calls that does nothing.
        # One that wrote CATCH_UP_DAYS of agency files and is not caught up spent its time
        # on them: a next part, with its own, writes the next days the same day (R34).
        # A unit with no invoice on the index (all paid as the page was read) has no place
        # to go on from and nothing due: taken as well, so the part stops before one that
        # has, whose place it names (R18, R39).
        stop = reading.units_done and not (caught_up and has_time())
        if stop and _on_the_index(unit):
            summary.complete = False
            summary.continue_from = reading.first_place()
            break
        read_before = summary.read
        summary.read += len(unit)
        try:
            _take_unit_on(unit, providers, as_of, ctx, summary)
        except UnreadableProvider as skipped:
            summary.providers_skipped.add(skipped.provider_id)
        except Exception as error:  # noqa: BLE001 -- one bad invoice must not stop the run
            ids = tuple(invoice.invoice_id for invoice in unit)
            summary.note_error(RunError(ids, type(error).__name__))
        reading.done(unit)
        if summary.read // PROGRESS_EVERY > read_before // PROGRESS_EVERY:
            progress(summary.progress_entry())
    else:
        if not caught_up:
            # Every invoice of the day done, agency files of days still to write (0 or 1
            # patient due: no second to stop before): a next part writes them the same day,
            # as it does after a patient (R34); no alarm on a run that did all it may (R39).
            summary.continue_from = _agency_files_place(as_of, ctx)
    return summary


# The provider of a place after every invoice of the day (it sorts after every id): the
# place a part goes on from that only writes agency files (``_agency_files_place``).
AFTER_THE_DAY = "~"


def _agency_files_place(as_of: date, ctx: DunningContext) -> DunningPlace:
    """The place a run goes on from whose invoices of the day are all done and whose
    agency files are not caught up: after every invoice of ``as_of``, so its next part
    reads none and writes the next days. Named by the last day written, so each such part
    has its own place: a part is handled once per day and place (``scheduled_handler``)."""
    written_through = ctx.store.agency_files_written_through()
    through = "none" if written_through is None else written_through.isoformat()
    return DunningPlace(as_of, AFTER_THE_DAY, "agency-files", through)


def _after_the_day(place: DunningPlace) -> bool:
    """Whether ``place`` comes after every invoice of its day (``_agency_files_place``)."""
    return place.provider_id == AFTER_THE_DAY


def _on_the_index(unit: Iterable[Invoice]) -> bool:
    """Whether one of the unit's invoices is on the run's index: a place to go on from
    (``_NotDoneYet``). Paid as the page was read, none is: a later part would not meet
    them, and one uninterrupted run would have taken them (R18)."""
    return any(invoice.dunning_check_day is not None for invoice in unit)


class _NotDoneYet:
    """The places of the invoices read from the index and not yet done: the first of them
    is where a run that stops goes on. Not simply the next patient's: a patient's unit
    under a number with leading zeros waits for its other half (``_patient_units``), so
    units are done out of the index's order."""

    def __init__(self) -> None:
        self._places: dict[tuple[str, str], DunningPlace] = {}
        self.units_done = 0

    def noted(self, invoices: Iterable[Invoice]) -> Iterator[Invoice]:
        for invoice in invoices:
            # One paid as the page was read is off the index: no place to go on from.
            if (day := invoice.dunning_check_day) is not None:
                self._places[(invoice.provider_id, invoice.invoice_id)] = DunningPlace.of(
                    invoice, day
                )
            yield invoice

    def done(self, unit: Iterable[Invoice]) -> None:
        self.units_done += 1
        for invoice in unit:
            self._places.pop((invoice.provider_id, invoice.invoice_id), None)

    def first_place(self) -> DunningPlace | None:
        return min(self._places.values(), default=None)


def _stepped_by_the_run(invoice: Invoice, as_of: date) -> bool:
    """Whether the invoice waits for the letter of a step of ``as_of``: an earlier part of
    the run took it. The step moved its place to the run's day, after where the part
    goes on, so the part meets it again (after missed days); it leaves it be, as one
    uninterrupted run would (``_each_once``): no second read, no letter queued twice
    (R18, R39). The delivery sends it; the run of the next day queues it again if not."""
    reminder = invoice.reminder
    if reminder is None:
        return False
    made = {event_id(REMINDER, reminder)} if reminder.sent_on == as_of else set()
    if invoice.costs_charged_on == as_of:
        made.add(event_id(SECOND_NOTICE, reminder))
    return any(letter.since == as_of and letter.event_id in made for letter in invoice.letters_due)


def _agency_files_behind(as_of: date, ctx: DunningContext) -> bool:
    """Whether days before ``as_of`` still wait for their agency files: more missed days
    than the part before wrote (CATCH_UP_DAYS). A later part writes the next of them, so a
    run catches up the same day whether it went on for lack of time or for them (R34, R39)."""
    written_through = ctx.store.agency_files_written_through()
    return written_through is not None and written_through < as_of - timedelta(days=1)


def _tell_the_agency(as_of: date, ctx: DunningContext, summary: RunSummary) -> bool:
    """The agency's files of the days over since the last one written (issue 12 item 11,
    R34): yesterday's, and after missed runs those of the missed days too; then the files
    owed, written before without a stored invoice that did not load: again, so once the
    item is mended its changes of that day reach the agency (``write_owed_agency_updates``).
    A stored invoice that still does not load is one of the run's errors, by its id.
    Whether the files are caught up: False after CATCH_UP_DAYS with days still to write."""
    written_through = ctx.store.agency_files_written_through()
    yesterday = as_of - timedelta(days=1)
    told_through = written_through or _before_the_first_handover(yesterday, ctx)
    to_tell = days_to_tell(yesterday, told_through)
    owed = ctx.store.agency_files_owed()
    written = [write_agency_updates(day, ctx.store, ctx.files) for day in to_tell.days]
    written += write_owed_agency_updates(
        (o for o in owed if o[0] not in to_tell.days), ctx.store, ctx.files
    )
    passed_by = {(date.fromisoformat(w.day), i) for w in written for i in w.unreadable}
    ctx.store.note_agency_files_owed(passed_by - owed, settled=owed - passed_by)
    summary.agency_files += sum(len(w.files) for w in written)
    mended = {day for day, _ in owed - passed_by}
    summary.agency_days_mended = sorted(mended.union(summary.agency_days_mended))
    # Listed once however many days' weeks held them, as the run's errors (R39).
    unreadable = sorted({invoice.invoice_id for _, invoice in passed_by})
    for invoice_id in unreadable:
        summary.note_error(RunError((invoice_id,), "UnreadableInvoice"))
    summary.agency_days += to_tell.days  # after an earlier part's, a later part's days
    summary.complete = to_tell.caught_up
    last = to_tell.days[-1]
    if written_through is None or last > written_through:
        ctx.store.note_agency_files_written(last)
    return to_tell.caught_up


def _before_the_first_handover(yesterday: date, ctx: DunningContext) -> date | None:
    """The day before the first day owed, for a run that finds no mark (R34): the first
    claim's handover, in the CATCH_UP_DAYS up to ``yesterday`` (before it the agency holds
    nothing of ours to be told). The mark goes missing only with a table without it (a
    restore, a deploy before it): the days since that handover get their files, each the
    bytes a run of that day wrote. None, as before, when no claim was handed over then:
    yesterday's file only. One read per practice, of its handover actions (R23), once."""
    since = yesterday - timedelta(days=CATCH_UP_DAYS - 1)
    handed_over = [
        date.fromisoformat(str(action.details["handed_over_on"]))
        for provider in ctx.store.readable_providers().providers
        for action in ctx.store.handovers_between(provider.provider_id, since, yesterday)
    ]
    return min(handed_over) - timedelta(days=1) if handed_over else None


def _counts(counted: Mapping[str, Any]) -> Counter[str]:
    return Counter({str(name): int(count) for name, count in counted.items()})


def _day_range(days: Sequence[date]) -> list[str]:
    """The first and the last day (one day once): a month of missed runs in two dates."""
    return sorted({days[0].isoformat(), days[-1].isoformat()}) if days else []


# --- one patient's invoices due on the same day --------------------------------------------


def _take_unit_on(
    unit: list[Invoice],
    providers: _ProviderCache,
    as_of: date,
    ctx: DunningContext,
    summary: RunSummary,
) -> None:
    """The unit's steps of the day. A payment (or another change) booked between the run's
    read of an invoice and its write makes the write fail with nothing written
    (ConcurrentChange, R28): an ordinary race, not an error that pages an operator (R39).
    The unit's invoices not written yet are read again and looked at once more, so a paid
    invoice gets no step and an unpaid one still gets today's (R18); losing the race
    again leaves them on the index for the next run, counted as a conflict."""
    done = _UnitPass(summary)
    try:
        _process_unit(unit, providers, as_of, ctx, done)
        return
    except ConcurrentChange:
        summary.retried += 1
    rest = [reread(ctx.store, invoice) for invoice in unit if invoice.invoice_id not in done]
    try:
        _process_unit(rest, providers, as_of, ctx, _UnitPass(summary))
    except ConcurrentChange:
        summary.conflicts.append(tuple(invoice.invoice_id for invoice in rest))


class _UnitPass:
    """One look at a unit, which stops at a lost race: the invoices it wrote (a second
    look leaves them be), each counted in the summary once it is written."""

    def __init__(self, summary: RunSummary) -> None:
        self.summary = summary
        self._written: set[str] = set()
        self._arrangement_cancelled: set[str] = set()

    def __contains__(self, invoice_id: object) -> bool:
        return invoice_id in self._written

    def reviewed(self, invoice: Invoice) -> None:
        """Its arrangement ended today: a cancelled one is counted when that is written."""
        if invoice.arrangement and invoice.arrangement.status is ArrangementStatus.CANCELLED:
            self._arrangement_cancelled.add(invoice.invoice_id)

    def written(self, invoices: Iterable[Invoice]) -> None:
        for invoice in invoices:
            self._written.add(invoice.invoice_id)
            if invoice.invoice_id in self._arrangement_cancelled:
                self.summary.arrangements_cancelled += 1


def _process_unit(
    unit: list[Invoice],
    providers: _ProviderCache,
    as_of: date,
    ctx: DunningContext,
    done: _UnitPass,
) -> None:
    summary = done.summary
    provider = providers.get(unit[0].provider_id)
    now = ctx.clock.now()
    by_step: dict[Step, list[Invoice]] = {step: [] for step in Step}
    for invoice in unit:
        if invoice.handover_pending:  # a run stopped halfway through it
            _finish_handover(invoice, provider, now, ctx)
            summary.steps[Step.HANDOVER] += 1
            done.written([invoice])
            continue
        reviewed = review_arrangement(invoice, as_of, moment_on(as_of, now))
        if reviewed is not invoice:
            done.reviewed(reviewed)
        wait = statement_wait_until(reviewed, provider)
        decision = plan(reviewed, provider.dunning, as_of, statement_wait_until=wait)
        if letter_waiting(decision.step, [reviewed]):
            # The letter this step follows has not gone out yet: no costs without a
            # reminder the patient received (art. 6:96 lid 6 BW, legal-nl.md §2), no
            # handover before the second notice (R19). The delivery dates it by the day
            # it goes; until then the run queues it again, below.
            decision = Plan(None, as_of + timedelta(days=1))
        if decision.step is not None:
            by_step[decision.step].append(reviewed)  # its letters are queued after the step
            continue
        later = rescheduled(reviewed, decision.check_on)
        if later is not invoice:
            ctx.store.save_invoice(later)
            summary.rescheduled += 1
        # After the save: a save that loses a race queues nothing, the second look does.
        # A second notice the delivery holds, or one with nowhere to go (R7: no address
        # that works until the practice gives one), is not queued; the other letters are.
        waits = reviewed.letter_channel is None or _second_notice_held(reviewed, as_of, ctx)
        held = SECOND_NOTICE_KIND if waits else ""
        _requeue_letters(reviewed, ctx.delivery, summary, but=held)
        done.written([invoice])
    for letter_group in _reminder_groups(by_step[Step.REMINDER], provider):
        reminded = send_reminder(
            letter_group,
            provider.dunning,
            as_of,
            posting_delay_days=provider.posting_delay_days,
        )
        _save_step(Step.REMINDER, reminded, ctx, done)
    for letter_group in _same_reminder(by_step[Step.COSTS]):
        lead = letter_group[0]
        assert lead.reminder is not None
        at_hand = {invoice.invoice_id for invoice in letter_group}
        rest = rest_of_letter(ctx.store, lead.provider_id, lead.reminder, at_hand)
        if letter_waiting(Step.COSTS, rest):  # its lead still waits for the reminder to go
            _look_again_tomorrow(letter_group, as_of, ctx, done)
            continue
        charged = charge_costs(letter_group, provider.dunning, as_of, now, rest_of_letter=rest)
        _save_step(Step.COSTS, charged, ctx, done)
    for invoice in by_step[Step.HANDOVER]:
        if _second_notice_waiting(invoice, ctx):
            _look_again_tomorrow([invoice], as_of, ctx, done)
            continue
        _hand_over(invoice, provider, as_of, now, ctx, done)


def _second_notice_held(invoice: Invoice, today: date, ctx: DunningContext) -> bool:
    """Whether the second notice the invoice waits to send is one the delivery holds today:
    one of its invoices is on hold (R16, ``letters.second_notice_held``). It is not queued
    during the hold (up to 60 days, each refused); the run of the day after the hold queues
    it, and the delivery dates it then (R19). Reads the letter's other invoices only for a
    second notice still waiting: a letter queued a day ago and not sent."""
    from billing_core.dunning.letters import SECOND_NOTICE, NotALetter, letter_invoices
    from billing_core.dunning.letters import second_notice_held as held

    if invoice.reminder is None or all(p.kind != SECOND_NOTICE for p in invoice.letters_due):
        return False
    if invoice.is_on_hold(today):
        return True
    rest = rest_of_letter(ctx.store, invoice.provider_id, invoice.reminder, {invoice.invoice_id})
    try:
        return held(letter_invoices(SECOND_NOTICE, invoice, rest, today=today), today)
    except NotALetter:  # the delivery says what is wrong with it
        return False


def _second_notice_waiting(invoice: Invoice, ctx: DunningContext) -> bool:
    """Whether the second notice of the invoice's letter still waits to be sent on
    another of its invoices (the one it goes with): no handover before it (R19)."""
    reminder = invoice.reminder
    if reminder is None or len(reminder.covers) < 2:
        return False
    rest = rest_of_letter(ctx.store, invoice.provider_id, reminder, {invoice.invoice_id})
    return letter_waiting(Step.HANDOVER, rest)


def _look_again_tomorrow(
    invoices: list[Invoice], as_of: date, ctx: DunningContext, done: _UnitPass
) -> None:
    """A step due today whose letter before it has not gone out (art. 6:96 lid 6 BW, R19):
    looked at again tomorrow; the delivery dates that letter by the day it goes."""
    for invoice in invoices:
        later = rescheduled(invoice, as_of + timedelta(days=1))
        if later is not invoice:
            ctx.store.save_invoice(later)
            done.summary.rescheduled += 1
        done.written([invoice])


def _hand_over(
    invoice: Invoice,
    provider: Provider,
    as_of: date,
    now: datetime,
    ctx: DunningContext,
    done: _UnitPass,
) -> None:
    """The invoice handed over and the provider's action first, in one transaction, then
    the agency file and the block from it (issue 13 item 12): a crash in between leaves
    the handover pending on the run's index, never a file or a block without it. Paid
    or changed this very moment (ConcurrentChange): nothing was written, the run looks
    at it again (_take_unit_on)."""
    handed = hand_over(invoice, as_of)
    [saved] = ctx.store.save_invoices([handed], [_call_your_patient(handed, as_of, now)])
    _finish_handover(saved, provider, now, ctx)
    done.summary.steps[Step.HANDOVER] += 1
    done.written([saved])


def _finish_handover(
    invoice: Invoice, provider: Provider, now: datetime, ctx: DunningContext
) -> None:
    """Write what a pending handover still owes, each idempotently: the agency file of its
    day (the same key and bytes again) and the block (R22); a claim paid in full since is
    released instead, also of a block a crashed attempt left."""
    day = invoice.handed_over_on
    assert day is not None, "a pending handover has its day"
    ctx.files.put(
        handover_key(invoice, day), handover_bytes(invoice, provider, day), "application/json"
    )
    ids = (invoice.provider_id, invoice.patient_ref, invoice.invoice_id)
    if invoice.is_paid:
        ctx.store.release_claim(*ids, now)
        close_handover_action(ctx.store, invoice, ctx.clock)  # nobody to call (R23)
    else:
        ctx.store.block_patient(*ids, now, bsn=invoice.bsn)  # the person too (legal-nl.md §6)
    ctx.store.save_invoice(handover_written(invoice))


def _call_your_patient(invoice: Invoice, day: date, now: datetime) -> OpenAction:
    """R23, seed 002 advice 6: the provider hears it from us before the patient hears it
    from the agency."""
    return OpenAction.about(
        invoice,
        ActionKind.COLLECTION_HANDOVER,
        handover_action_id(day, invoice.invoice_id),
        now,
        {
            "todo": "call_your_patient",
            "patient_ref": invoice.patient_ref,
            "handed_over_on": str(invoice.handed_over_on),
            "outstanding_cents": max(balance(invoice.ledger), 0),
        },
    )


def _save_step(step: Step, changed: list[Invoice], ctx: DunningContext, done: _UnitPass) -> None:
    stored = ctx.store.save_invoices(changed)
    done.written(stored)
    done.summary.steps[step] += len(stored)
    for invoice in stored:
        _requeue_letters(invoice, ctx.delivery, done.summary)


def _requeue_letters(
    invoice: Invoice, delivery: DeliveryQueue, summary: RunSummary, *, but: str = ""
) -> None:
    """Queue the letters the invoice still waits for, but those of kind ``but``; the
    delivery sends each once."""
    requests = [r for r in letters_due_requests(invoice) if r.kind != but]
    if requests:
        delivery.enqueue(requests)
        summary.letters.update(request.kind for request in requests)


# --- grouping ----------------------------------------------------------------------------


def _readable(
    pages: Iterable[list[Invoice | UnreadableInvoice]], summary: RunSummary
) -> Iterator[list[Invoice]]:
    """The pages' invoices; a stored item that does not load is read, listed in the
    summary's errors by its id and passed by: one bad invoice never stops the rest (R18,
    R39). It stays on the index, so each day's run lists it until an operator mends it.
    Read and listed once a run: a later part meets again one its earlier part read ahead
    on the page where it stopped (``note_error``)."""
    for page in pages:
        for unreadable in (found for found in page if isinstance(found, UnreadableInvoice)):
            error = RunError((unreadable.invoice_id,), "UnreadableInvoice")
            if unreadable.invoice_id not in summary.unreadable_read:
                summary.unreadable_read.add(unreadable.invoice_id)
                summary.read += 1
            summary.note_error(error)  # the agency's files may have met it first
        yield [found for found in page if isinstance(found, Invoice)]


def _each_once(pages: Iterable[list[Invoice]]) -> Iterator[Invoice]:
    """The invoices of the index's pages, the first time each comes (R18, R38, R39). A step
    moves an invoice's place to the day its letter waits from, the run's day; after missed
    days that place lies after the paged Query's cursor, so a later page returns the
    invoice again, already handled: it is not handled, counted or queued a second time.
    The ids kept are those of the run's work, which a run reads anyway."""
    met: set[tuple[str, str]] = set()
    for invoice in itertools.chain.from_iterable(pages):
        key = (invoice.provider_id, invoice.invoice_id)
        if key not in met:
            met.add(key)
            yield invoice


def _patient_units(invoices: Iterable[Invoice]) -> Iterator[list[Invoice]]:
    """Consecutive invoices of one provider's patient: the index keeps them together, also
    across a page boundary. Not a patient's invoices stored before round 40 under a number
    with leading zeros ("0001001") and those under "1001" since (R40, canonical_reference):
    the index sorts the two forms apart, other patients between. So a unit under such a
    number waits until its patient's unit under the number without the zeros joins it, or
    until the provider's invoices of that day are all read: one unit, one reminder, the
    costs of one letter (R4, R19, legal-nl.md §2). It is only ever those few that wait."""
    waiting: dict[str, list[Invoice]] = {}
    reading: tuple[str, date | None] | None = None
    for (provider_id, ref), run in itertools.groupby(
        invoices, key=lambda i: (i.provider_id, i.patient_ref)
    ):
        unit = list(run)
        if (provider_id, unit[0].dunning_check_day) != reading:
            yield from waiting.values()
            waiting = {}
            reading = (provider_id, unit[0].dunning_check_day)
        patient = canonical_reference(ref)
        if patient != ref:
            waiting.setdefault(patient, []).extend(unit)
        else:
            yield waiting.pop(patient, []) + unit
    yield from waiting.values()


def _reminder_groups(invoices: Sequence[Invoice], provider: Provider) -> Iterator[list[Invoice]]:
    """One letter per addressee and channel, at most ``max_invoices_per_letter`` invoices,
    oldest first; one letter per invoice when the provider does not combine."""
    policy = provider.dunning
    if not policy.combine_reminders:
        yield from ([invoice] for invoice in invoices)
        return
    groups: dict[tuple[object, ...], list[Invoice]] = {}
    for invoice in sorted(invoices, key=lambda i: (i.issue_date, i.reference)):
        groups.setdefault(_addressee_key(invoice), []).append(invoice)
    for group in groups.values():
        for start in range(0, len(group), policy.max_invoices_per_letter):
            yield group[start : start + policy.max_invoices_per_letter]


def _same_reminder(invoices: Sequence[Invoice]) -> Iterator[list[Invoice]]:
    """The invoices one reminder covered are charged together: the staffel applies to
    their summed principal, as the letter said (legal-nl.md §2)."""
    groups: dict[str, list[Invoice]] = {}
    for invoice in invoices:
        assert invoice.reminder is not None
        groups.setdefault(invoice.reminder.letter_id, []).append(invoice)
    yield from groups.values()


def _addressee_key(invoice: Invoice) -> tuple[object, ...]:
    person = invoice.addressee
    address = person.address
    return (
        invoice.letter_channel,
        person.display_name,
        person.email,
        address.street,
        address.house_number,
        address.house_number_suffix,
        address.postcode,
    )


class _ProviderCache:
    """Each provider's settings once per run; one that does not validate, or has no
    settings item at all (deleted by hand, its invoices left), is read once too and
    skipped as unreadable: reported by id once, not as an error per invoice (R31)."""

    def __init__(self, store: DunningStore) -> None:
        self._store = store
        self._providers: dict[str, Provider] = {}
        self._unreadable: set[str] = set()

    def get(self, provider_id: str) -> Provider:
        if provider_id in self._unreadable:
            raise UnreadableProvider(provider_id)
        if provider_id not in self._providers:
            try:
                provider = self._store.get_provider(provider_id)
            except UnreadableProvider:
                self._unreadable.add(provider_id)
                raise
            if provider is None:
                self._unreadable.add(provider_id)
                raise UnreadableProvider(provider_id)
            self._providers[provider_id] = provider
        return self._providers[provider_id]
