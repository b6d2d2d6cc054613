"""The weekly retrocession run (R24, interfaces.md §3, §4): every Monday 05:00 in Amsterdam,
the statement of the week before, for every provider.

Per provider it writes ``retrocession/{provider}/{week}.json`` and ``.csv`` to the output
bucket and a small table item with the totals (the provider API lists those). A provider
without any money movement that week gets a statement of zeros: the list has no holes.
A week that ended before the practice existed (its first settings version) has none: a
rerun of such a week writes nothing for it, and no made-up week reaches back before it.

A run that did not happen (the Monday of 4 January failed and its retries ran out) is
made up by the next one: per provider, the weeks between its newest statement (a practice
without any: its first day) and the week to build get theirs first, oldest first (at most
MADE_UP_WEEKS), so the payout batch settles them with the week, each once
(providers/payouts.py), and no practice waits for a statement nothing would write.

Idempotent: the same ledgers give the same bytes, so a retry or a replay of the same
``as_of`` writes what is already there, also after the practice's service fee changed
(the week keeps the fee it was settled at: ``week_fee``).

A run out of Lambda's time stops between two practices and names the first it did not
do (``continue_from``); its function calls itself to go on from there (R24, R39,
entrypoints/continued_runs.py), with its counts so far (``RunSummary.carried``), and
only the part that reaches the end proposes the payout batch and answers for the whole
run; each part counts in its metrics what it did itself (``RunSummary.log_entry``).
A ``progress`` line every PROGRESS_EVERY practices, as the dunning run's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol

from billing_core.invoices.invoice import Invoice
from billing_core.ports import FileStore, UnreadableInvoice, WeekActivity
from billing_core.providers.listing import ProviderListing
from billing_core.providers.provider import Provider
from billing_core.providers.retrocession import (
    Statement,
    StatementSummary,
    build_statement,
    statement_csv,
    statement_json,
    statement_key,
)
from billing_core.providers.week import Week
from billing_core.shared.clock import amsterdam_day
from billing_core.shared.reports import LogEntry

if TYPE_CHECKING:
    from billing_core.providers.settings_history import SettingsVersion


# A run missed up to this many weeks is made up by the next; a longer gap an operator closes
# by replaying its weeks (``{"as_of": ...}``), oldest first.
MADE_UP_WEEKS = 8
# Practices done between two progress lines: each costs a few requests (up to MADE_UP_WEEKS
# weeks more after a missed run), so an operator sees a long run move (R39).
PROGRESS_EVERY = 250
# The failures' provider ids, and their invoice ids that do not load, a part's call of the
# next carries at most: about 60 KB of ids, Lambda takes 256 KB (as the dunning run's).
CARRIED_FAILURES = 1_000


class RetrocessionStore(WeekActivity, Protocol):
    def put_retrocession(self, summary: StatementSummary) -> None: ...

    def get_retrocession(self, provider_id: str, week: Week) -> StatementSummary | None: ...

    def list_retrocessions(
        self, provider_id: str, *, limit: int = 52, before: Week | None = None
    ) -> list[StatementSummary]: ...

    def provider_history(self, provider_id: str) -> list[SettingsVersion]: ...


@dataclass(frozen=True, slots=True)
class RetrocessionContext:
    """What the weekly retrocession run needs: the store and the output files (R24)."""

    store: RetrocessionStore
    files: FileStore


@dataclass(slots=True)
class RunSummary:
    """What the run did, in counts and amounts only (no patient data: R29). A later part
    of a run out of time starts from what its earlier parts carried (``going_on``), kept
    apart from its own (``*_before``), so the last part's lines are the whole run's (R24,
    R39), and each part's metrics count only what it did itself (``log_entry``)."""

    week: str
    providers: int = 0  # the practices this part took
    # A later part of a run out of time: the practices its earlier parts took, as they
    # carried them (retroretry55: not those before its first in its own listing, which
    # holds a practice created meanwhile); its lines count them in ``providers``.
    providers_in_earlier_parts: int = 0
    # This part's own; its earlier parts' beside them (``*_before``, as they carried them).
    statements: int = 0
    entries: int = 0
    payout_cents: int = 0
    # provider id -> the kind of error (its type name: a message could quote stored data)
    failures: dict[str, str] = field(default_factory=dict)
    # provider id -> the ids of its week's stored invoices that do not load: that week
    # has no statement (its payout waits, no money left out) until an operator mends
    # them and reruns the week; a retry of the run cannot (R24, R39).
    unreadable: dict[str, list[str]] = field(default_factory=dict)
    # Providers whose stored settings do not validate, or whose settings item is gone
    # while their earlier payout batches name them: skipped, reported, never a crash.
    skipped: list[str] = field(default_factory=list)
    # The weeks before ``week`` whose statements a missed run left out, built by this part.
    made_up: set[str] = field(default_factory=set)
    # Providers whose practice did not exist yet when the week ended: no statement, no
    # payout (a rerun of an old week); provider id -> its first day (R24, R34).
    not_started: dict[str, str] = field(default_factory=dict)
    # The ids of the providers listed (settings that validate): not in the answer.
    listed: set[str] = field(default_factory=set)
    # Out of time: the first practice not done, where the run's next part goes on.
    continue_from: str | None = None
    # A later part: its earlier parts' failures, apart from its own (``failures``, which
    # its invocation fails for, so that a retry writes them: an earlier part did so for
    # these), with their invoices that do not load; ``failed_before`` counts them all,
    # those beyond CARRIED_FAILURES too, whose ids only their own part's line names.
    failures_before: dict[str, str] = field(default_factory=dict)
    unreadable_before: dict[str, list[str]] = field(default_factory=dict)
    failed_before: int = 0
    # A later part: its earlier parts' statements, entries, payout and weeks made up, as
    # they carried them, in its lines, never its metrics (their parts counted them).
    statements_before: int = 0
    entries_before: int = 0
    payout_cents_before: int = 0
    made_up_before: set[str] = field(default_factory=set)
    # A later part: how many practices its earlier parts found not started (each noted
    # again by the part that reaches the end): one more before its first is new.
    not_started_before: int = 0

    @classmethod
    def going_on(cls, week: str, earlier: Mapping[str, Any]) -> RunSummary:
        """The summary of a run's next part, from what its earlier parts ``carried``: the
        part adds its own, so the last part's is the whole run's (R24, R39)."""
        return cls(
            week,
            providers_in_earlier_parts=int(earlier.get("providers", 0)),
            statements_before=int(earlier["statements"]),
            entries_before=int(earlier["entries"]),
            payout_cents_before=int(earlier["payout_cents"]),
            made_up_before={str(label) for label in earlier["weeks_made_up"]},
            failures_before={str(p): str(kind) for p, kind in earlier["failures"].items()},
            unreadable_before={
                str(p): [str(i) for i in ids] for p, ids in earlier["invoices_unreadable"].items()
            },
            failed_before=int(earlier["failed"]),
            not_started_before=int(earlier.get("not_started", 0)),
        )

    def carried(self) -> dict[str, object]:
        """What the run's next part starts from (``going_on``): the counts and amounts so
        far, and the failures' provider and invoice ids, CARRIED_FAILURES of each at most,
        so the part's call to itself stays small (R29: ids and counts)."""
        failures = dict(islice(self._failures().items(), CARRIED_FAILURES))
        unreadable = self._unreadable()
        carried_ids = islice(
            ((p, i) for p in failures for i in unreadable.get(p, ())), CARRIED_FAILURES
        )
        invoices_unreadable: dict[str, list[str]] = {}
        for provider_id, invoice_id in carried_ids:
            invoices_unreadable.setdefault(provider_id, []).append(invoice_id)
        return {
            "providers": self.providers_in_earlier_parts + self.providers,
            "not_started": self.not_started_before + len(self.not_started),
            "statements": self._statements(),
            "entries": self.entries_before + self.entries,
            "payout_cents": self.payout_cents_before + self.payout_cents,
            "weeks_made_up": sorted(self._made_up()),
            "failed": self._failed(),
            "failures": failures,
            "invoices_unreadable": invoices_unreadable,
        }

    def _failures(self) -> dict[str, str]:
        return self.failures_before | self.failures

    def _unreadable(self) -> dict[str, list[str]]:
        return self.unreadable_before | self.unreadable

    def _failed(self) -> int:
        return self.failed_before + len(self.failures)

    def _statements(self) -> int:
        return self.statements_before + self.statements

    def _made_up(self) -> set[str]:
        return self.made_up_before | self.made_up

    def answer(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "week": self.week,
            "providers": self.providers_in_earlier_parts + self.providers,
            "statements": self._statements(),
            "entries": self.entries_before + self.entries,
            "payout_cents": self.payout_cents_before + self.payout_cents,
            "failures": self._failures(),
            "providers_skipped": list(self.skipped),
        }
        if made_up := self._made_up():  # only after a missed run: the usual answer as it was
            answer["weeks_made_up"] = sorted(made_up)
        if self.not_started:  # only on a rerun of a week before a practice existed
            answer["providers_not_started"] = dict(self.not_started)
        if unreadable := self._unreadable():  # only when a stored invoice does not load
            answer["invoices_unreadable"] = {p: list(ids) for p, ids in unreadable.items()}
        if self.continue_from is not None:  # only a part whose next part goes on
            answer["continue_from"] = [self.continue_from]
        return answer | self._earlier_parts()

    def _earlier_parts(self) -> dict[str, int]:
        """Only in the lines of a later part of a run out of time."""
        earlier = self.providers_in_earlier_parts
        return {"providers_in_earlier_parts": earlier} if earlier else {}

    def progress_entry(self) -> LogEntry:
        """The line while the run runs: counts so far, no ids, no metrics."""
        providers = self.providers_in_earlier_parts + self.providers
        fields = {"week": self.week, "providers": providers, "statements": self._statements()}
        fields |= {"failures": self._failed()} | self._earlier_parts()
        return LogEntry("retrocession run progress", fields)

    def failures_a_retry_may_mend(self) -> dict[str, str]:
        """This part's failures but those of invoices that do not load, which only an
        operator mends: a retry would write every other statement again, for nothing. Not
        its earlier parts': each failed for its own, and a retry of this part, which goes
        on after them, would not write theirs."""
        return {p: kind for p, kind in self.failures.items() if p not in self.unreadable}

    def log_entry(self) -> LogEntry:
        # Each part counts what it did itself, once an attempt, and its line names the
        # whole run's (retroretry55 for the failures, retro56 for the rest): Lambda retries
        # the last part when its own practice failed, and that retry, which goes on after
        # the earlier parts' practices, neither writes nor meets theirs again (a run in one
        # go's retry counts what it does again, as each part's retry does). A week made up
        # counts once a run: not again by a part whose earlier parts made it up.
        counts = {
            "Retrocession_failed": len(self.failures),
            "Retrocession_statements": self.statements,
            "Retrocession_entries": self.entries,
            # A run was missed: its weeks were made up by this one (worth knowing why).
            "Retrocession_weeks_made_up": len(self.made_up - self.made_up_before),
        }
        if self.continue_from is not None:
            # An error line when this part's own practices failed; the last part answers
            # for the whole run (R39), as the dunning run's.
            return LogEntry(
                "retrocession run continues in a next part",
                self.answer(),
                counts,
                error=bool(self.failures or self.skipped),
            )
        # The alarm on a provider item no run can read (template: ProviderSkippedAlarm):
        # counted by the part that reaches the end, once a run.
        counts["Retrocession_provider_skipped"] = len(self.skipped)
        # A run that reached its end: RetrocessionRunMissingAlarm reads it, not the counts
        # above, which a first part that goes on sends too (a run whose last part is lost
        # has not finished).
        counts["Retrocession_run_finished"] = 1
        failed = bool(self._failed() or self.skipped)
        return LogEntry("retrocession run", self.answer(), counts, error=failed)


def week_before_practices(week: Week, first: str) -> str:
    """Why the run of a week that ended before any practice existed (``first``, its first
    day) has nothing to do, in Dutch and English: no statement, no payout (R24, R34)."""
    # Imported here: the Monday run's cold start has no use for the texts.
    from billing_core.texts.practice import dutch_and_english

    return dutch_and_english("week_before_practices", week=week.label, first=first)


class WeekUnreadable(Exception):
    """Stored invoices of a provider's week that do not load (ids only, R29): its
    statement waits for an operator to mend them (R24, R39)."""

    def __init__(self, invoice_ids: list[str]) -> None:
        super().__init__(", ".join(invoice_ids))
        self.invoice_ids = invoice_ids


def week_to_build(as_of: date) -> Week:
    """The run on Monday ``as_of`` builds the week that ended the night before."""
    return Week.of(as_of).previous()


def build_weekly_statements(
    as_of: date,
    ctx: RetrocessionContext,
    *,
    has_time: Callable[[], bool] = lambda: True,
    progress: Callable[[LogEntry], None] = lambda _: None,
    start_at: str | None = None,
    earlier_parts: Mapping[str, Any] | None = None,
) -> RunSummary:
    """Write the statements of the week before ``as_of``'s week, one provider at a time,
    in the order of their ids, from ``start_at`` on when an earlier part stopped there,
    adding to what the earlier parts ``carried`` (``earlier_parts``).

    A provider whose statement fails is listed in the summary and the others still get
    theirs; the caller reports the failure, and a rerun writes the same bytes again for
    those that succeeded. A provider whose stored settings do not validate is skipped and
    counted (``Retrocession_provider_skipped``): a rerun cannot mend it, an operator can.
    Out of time (``has_time``), it stops between two practices (``continue_from``).
    """
    week = week_to_build(as_of)
    summary = (
        RunSummary(week.label)
        if earlier_parts is None
        else RunSummary.going_on(week.label, earlier_parts)
    )
    listing: ProviderListing = ctx.store.readable_providers()
    summary.skipped = list(listing.unreadable)
    summary.listed = {provider.provider_id for provider in listing.providers}
    providers = sorted(listing.providers, key=lambda provider: provider.provider_id)
    done = [p for p in providers if start_at is not None and p.provider_id < start_at]
    if earlier_parts is None or "providers" not in earlier_parts:
        # The first part, or one the version before a deploy called, which carried no
        # count: those before it in its listing, each theirs, the not started too.
        summary.providers_in_earlier_parts = summary.not_started_before = len(done)
    for provider in providers[len(done) :]:
        # A part does one practice at least: never a chain of calls that does nothing.
        if summary.providers and not has_time():
            summary.continue_from = provider.provider_id
            return summary
        summary.providers += 1
        _build_provider(provider, week, ctx, summary)
        if summary.providers % PROGRESS_EVERY == 0:
            progress(summary.progress_entry())
    _note_earlier_parts_not_started(done, week, ctx.store, summary)
    return summary


def _note_earlier_parts_not_started(
    done: list[Provider], week: Week, store: RetrocessionStore, summary: RunSummary
) -> None:
    """The part that reaches the end: the payout batch leaves out the practices whose week
    came before them, those the earlier parts did too (R24, R34). One more than the
    earlier parts found was created meanwhile (retroretry55): no earlier part took it,
    this one does, as a run in one go started after its creation would: no statement,
    the week ended before it existed, counted in ``providers``."""
    noted = sum(
        _note_not_started(
            earlier.provider_id, week, started_at(earlier.provider_id, store), summary
        )
        for earlier in done
    )
    summary.providers += max(0, noted - summary.not_started_before)


def _note_not_started(
    provider_id: str, week: Week, started: datetime | None, summary: RunSummary
) -> bool:
    """Whether the week ended before the practice existed (then noted in the summary)."""
    if started is None or week.ends_at > started:
        return False
    summary.not_started[provider_id] = amsterdam_day(started).isoformat()
    return True


def _build_provider(
    provider: Provider, week: Week, ctx: RetrocessionContext, summary: RunSummary
) -> None:
    """The practice's statement of ``week``, after those of the weeks a missed run left
    out; its failure is noted, never raised: one practice does not hold up the rest."""
    try:
        started = started_at(provider.provider_id, ctx.store)
        if _note_not_started(provider.provider_id, week, started, summary):
            return
        for missed in weeks_missed(provider.provider_id, week, ctx.store, started):
            made_up = write_statement(provider, missed, ctx)
            summary.made_up.add(missed.label)
            summary.entries += len(made_up.lines)
            summary.payout_cents += made_up.payout_cents
        statement = write_statement(provider, week, ctx)
    except WeekUnreadable as unreadable:
        summary.failures[provider.provider_id] = "UnreadableInvoice"
        summary.unreadable[provider.provider_id] = unreadable.invoice_ids
        return
    except Exception as error:  # noqa: BLE001 - one provider must not hold up the rest
        summary.failures[provider.provider_id] = type(error).__name__
        return
    summary.statements += 1
    summary.entries += len(statement.lines)
    summary.payout_cents += statement.payout_cents


class SettingsHistory(Protocol):
    def provider_history(self, provider_id: str) -> list[SettingsVersion]: ...


def started_at(provider_id: str, store: SettingsHistory) -> datetime | None:
    """When the practice was created: its first settings version, the one every field is
    new in (R31); None when its history lacks it (stored before the history was kept)."""
    return next(
        (
            version.changed_at
            for version in store.provider_history(provider_id)
            if version.version == 1 and all(change.before is None for change in version.changes)
        ),
        None,
    )


def weeks_missed(
    provider_id: str, week: Week, store: RetrocessionStore, started: datetime | None = None
) -> list[Week]:
    """The weeks between the provider's newest statement before ``week`` and ``week``,
    oldest first: a run missed (R24: every week has its statement, the list no holes).
    For a practice without any statement before, those since it was ``started``: its
    first week's statement failed on every retry, or the run of its first Monday was
    missed (audit weeks52); none when neither is known (a practice stored before its
    history was kept: its first week is ``week``). Never a week that ended before the
    practice was ``started`` (a statement a rerun of such a week wrote before that was
    refused), and at most the MADE_UP_WEEKS before ``week``."""
    newest = store.list_retrocessions(provider_id, limit=1, before=week)
    if not newest and started is None:
        return []
    missed: list[Week] = []
    candidate = week.previous()
    while (
        (not newest or candidate > newest[0].week)
        and len(missed) < MADE_UP_WEEKS
        and (started is None or candidate.ends_at > started)
    ):
        missed.append(candidate)
        candidate = candidate.previous()
    return missed[::-1]


def write_statement(provider: Provider, week: Week, ctx: RetrocessionContext) -> Statement:
    """Raises WeekUnreadable, writing nothing, when a stored invoice of the week does not
    load: a statement without it would leave its money out of the payout (R24)."""
    # Only the invoices that moved this week (build_statement keeps the week's entries).
    read = list(ctx.store.week_invoices(provider.provider_id, week))
    unreadable = [found.invoice_id for found in read if isinstance(found, UnreadableInvoice)]
    if unreadable:
        raise WeekUnreadable(unreadable)
    invoices = [found for found in read if isinstance(found, Invoice)]
    fee = week_fee(provider, week, ctx.store)
    statement = build_statement(provider, week, invoices, service_fee_percentage=fee)
    document = statement_json(statement)
    ctx.files.put(statement_key(provider.provider_id, week, "json"), document, "application/json")
    ctx.files.put(
        statement_key(provider.provider_id, week, "csv"),
        statement_csv(statement),
        "text/csv; charset=utf-8",
    )
    # The item last: the list shows a week only once both files are there.
    ctx.store.put_retrocession(StatementSummary.of(statement, document))
    return statement


def week_fee(provider: Provider, week: Week, store: RetrocessionStore) -> Decimal:
    """The service fee ``week`` is settled at (R24, R31): the one its statement was first
    built with, so a replay after a fee change writes the same bytes and its payout, made
    already, still matches it (R38); for a week not built yet, the fee in force when it
    ended, so a fee saved since cannot reach back into it."""
    built = store.get_retrocession(provider.provider_id, week)
    if built is not None:
        return built.service_fee_percentage
    # Imported here: the settings history is not on the Monday run's cold start, whose
    # margin under (d) is thin; it is read once per provider at run time.
    from billing_core.providers.settings_history import service_fee_at

    return service_fee_at(provider, store.provider_history(provider.provider_id), week.ends_at)
