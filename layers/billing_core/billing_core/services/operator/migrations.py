"""Data migrations an operator runs once after a deploy (issues 13 and 16), by name.

``invoice-names-kenmerk-markers-handover-ids`` (version 1) brings what was stored before
that deploy up to what today's code reads, practice by practice, invoice page by page:

- ``names``: an invoice stored before has no searchable names, so a name search in the
  portal or the API does not find it (issue 16); they are written where missing.
- the kenmerk marker: the uniqueness of a betalingskenmerk (issue 13 item 1) covers only
  invoices whose ``REFERENCE#`` marker exists; it is written where missing. Where another
  invoice already holds the kenmerk, nothing changes and the run names both invoices as a
  conflict for the back office (an error in the log, listed in the answer).
- the "call your patient" action of a collection handover (R23): its id now begins with
  the handover day, since this week's handovers are read as one range of ids (issue 16).
  An old-format action is moved to its new id, in one transaction with its removal.

Every write is conditional on what it adds being missing, so a run can be stopped at any
point and run again: the second run changes nothing and counts everything as present.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from billing_core.invoices.invoice import Invoice
from billing_core.ports import EVERY_INVOICE, AuditLog, MigrationStore
from billing_core.providers.actions import ActionKind, OpenAction, handover_action_id
from billing_core.shared.audit import Reader, ReadKind, ReadRecord
from billing_core.shared.clock import AMSTERDAM, Clock
from billing_core.shared.errors import NotFound
from billing_core.shared.reports import LogEntry, OperatorReport

PAGE_SIZE = 100  # invoices a page: one progress line each

Progress = Callable[[OperatorReport], None]  # a practice after each page of its invoices


@dataclass(frozen=True, slots=True)
class MigrationContext:
    store: MigrationStore
    audit: AuditLog  # a practice's invoices went through the run: one read record each
    clock: Clock
    operator: Reader  # who started the run (their Cognito sub), or the sandbox's runner


@dataclass(frozen=True, slots=True)
class KenmerkConflict:
    """Two invoices with one betalingskenmerk: the marker names the holder, the other
    invoice stays without one until the back office sorts it out."""

    provider_id: str
    invoice_id: str
    reference: str
    held_by_provider_id: str
    held_by_invoice_id: str

    def answer(self) -> dict[str, str]:
        return {
            "provider_id": self.provider_id,
            "invoice_id": self.invoice_id,
            "reference": self.reference,
            "held_by_provider_id": self.held_by_provider_id,
            "held_by_invoice_id": self.held_by_invoice_id,
        }


@dataclass(slots=True)
class PracticeMigrated:
    """One practice's counts: what this run wrote, and what it found already done."""

    migration: str
    provider_id: str
    invoices_total: int
    invoices_done: int = 0
    names_written: int = 0
    markers_written: int = 0
    handovers_rekeyed: int = 0
    conflicts: list[KenmerkConflict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "invoices_total": self.invoices_total,
            "invoices_done": self.invoices_done,
            "names_written": self.names_written,
            "markers_written": self.markers_written,
            "handovers_rekeyed": self.handovers_rekeyed,
            "kenmerk_conflicts": len(self.conflicts),
        }

    def log_entry(self) -> LogEntry:
        """The progress line: ids and counts, done of total."""
        fields = {"migration": self.migration, "provider_id": self.provider_id}
        return LogEntry("migration progress", fields | self.counts())


@dataclass(frozen=True, slots=True)
class MigrationReport:
    """The run's summary: the operator's answer and one log line (an error when any
    kenmerk is held twice, so the back office looks)."""

    name: str
    version: int
    practices: tuple[PracticeMigrated, ...]

    @property
    def conflicts(self) -> list[KenmerkConflict]:
        return [c for practice in self.practices for c in practice.conflicts]

    def totals(self) -> dict[str, int]:
        summed: dict[str, int] = {}
        for practice in self.practices:
            for name, count in practice.counts().items():
                summed[name] = summed.get(name, 0) + count
        return summed

    def log_entry(self) -> LogEntry:
        fields = {"migration": self.name, "version": self.version, "practices": len(self.practices)}
        conflicted = [(c.provider_id, c.invoice_id, c.held_by_invoice_id) for c in self.conflicts]
        if conflicted:
            fields["conflicting_invoices"] = conflicted  # ids only: no kenmerk in the log
        totals = self.totals()
        return LogEntry(
            "migration done" if not conflicted else "migration done: kenmerk held twice",
            {**fields, **totals},
            counts={"MigrationKenmerkConflicts": totals.get("kenmerk_conflicts", 0)},
            error=bool(conflicted),
        )

    def answer(self) -> dict[str, Any]:
        return {
            "migration": self.name,
            "version": self.version,
            "summary": self.totals(),
            "practices": [
                practice.counts() | {"provider_id": practice.provider_id}
                for practice in self.practices
            ],
            "conflicts": [c.answer() for c in self.conflicts],
        }


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    version: int
    migrate_practice: Callable[[MigrationStore, str, Progress], PracticeMigrated]


def run_migration(
    name: str,
    ctx: MigrationContext,
    *,
    provider_id: str = "",
    progress: Progress = lambda _: None,
) -> MigrationReport:
    """Run the migration ``name`` for one practice (``provider_id``) or for every one.
    NotFound for a name that is no migration, or a practice that does not exist."""
    migration = MIGRATIONS.get(name)
    if migration is None:
        raise NotFound()
    practices = []
    for practice in _practices(ctx.store, provider_id):
        read = ReadRecord.of(ctx.operator, practice, ReadKind.MIGRATION, name, ctx.clock.now())
        ctx.audit.record_read(read)
        practices.append(migration.migrate_practice(ctx.store, practice, progress))
    return MigrationReport(migration.name, migration.version, tuple(practices))


def _practices(store: MigrationStore, provider_id: str) -> list[str]:
    if not provider_id:
        return [provider.provider_id for provider in store.list_providers()]
    if store.get_provider(provider_id) is None:
        raise NotFound()
    return [provider_id]


# --- version 1: names, kenmerk markers, handover ids (issues 13, 16) ---------------------

NAMES_MARKERS_HANDOVERS = "invoice-names-kenmerk-markers-handover-ids"


def _names_markers_handovers(
    store: MigrationStore, provider_id: str, progress: Progress
) -> PracticeMigrated:
    total = store.count_invoices(provider_id)
    practice = PracticeMigrated(NAMES_MARKERS_HANDOVERS, provider_id, total)
    for page in _invoice_pages(store, provider_id):
        for invoice in page:
            _bring_up_to_date(store, invoice, practice)
        progress(practice)
    for action in store.list_actions(provider_id):
        new_id = _handover_id(action)
        if new_id and new_id != action.action_id and store.rekey_action(action, new_id):
            practice.handovers_rekeyed += 1
    progress(practice)
    return practice


def _invoice_pages(store: MigrationStore, provider_id: str) -> Iterator[list[Invoice]]:
    after: str | None = None
    while True:
        page, after = store.list_invoices(provider_id, EVERY_INVOICE, limit=PAGE_SIZE, after=after)
        yield page
        if after is None:
            return


def _bring_up_to_date(store: MigrationStore, invoice: Invoice, practice: PracticeMigrated) -> None:
    practice.names_written += store.add_search_names(invoice)
    holder = store.add_reference_marker(invoice)
    practice.markers_written += holder.written
    if (holder.provider_id, holder.invoice_id) != (invoice.provider_id, invoice.invoice_id):
        practice.conflicts.append(
            KenmerkConflict(
                invoice.provider_id,
                invoice.invoice_id,
                invoice.reference,
                holder.provider_id,
                holder.invoice_id,
            )
        )
    practice.invoices_done += 1


def _handover_id(action: OpenAction) -> str:
    """The id today's dunning run gives this action ("" for any other kind): its day is
    the handover day the action names, else the day it was made (Europe/Amsterdam)."""
    if action.kind is not ActionKind.COLLECTION_HANDOVER:
        return ""
    return handover_action_id(_handover_day(action), action.invoice_id)


def _handover_day(action: OpenAction) -> date:
    try:
        return date.fromisoformat(str(action.details.get("handed_over_on")))
    except ValueError:
        return action.created_at.astimezone(AMSTERDAM).date()


MIGRATIONS = {
    NAMES_MARKERS_HANDOVERS: Migration(NAMES_MARKERS_HANDOVERS, 1, _names_markers_handovers),
}
