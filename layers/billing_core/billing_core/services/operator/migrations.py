"""Data migrations an operator runs once after a deploy (issues 13 and 16, and later), by
name.

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
  An old-format action is moved to its new id in one transaction; the old item is
  marked moved (no function deletes from the billing table, R27) and no read sees it.

``settled-invoice-expiry`` (version 2) gives what a save before retention left settled its
expiry (legal-nl.md §8: "kept 7 years after the end of the year they were settled (fiscal
obligation), then deleted"): since that deploy every save of a settled invoice writes the
table's TTL on it and on the markers that serve only it (its kenmerk's, its lines'), but an
invoice settled before is never saved again and would be kept forever. Each settled
invoice without it, and each of its markers without it, gets the expiry a save computes
(the adapter's retention_expiry, from the ledger alone), on condition that the invoice is
still the version read: a reversal saved meanwhile reopens it (R12), and then the run
reads it again. Open invoices are left alone: they are kept, and their save will date them.

``expired-invoice-actions`` (version 3) is the backstop of the expired-letters function
(legal-nl.md §8, R29: an objection holds the patient's message and e-mail address and goes
with its invoice): when the table's TTL removes an invoice, that function gives its
actions the TTL too; a removal it never handled (a batch that failed for good and was not
replayed within the stream's 24 hours, an invoice removed before the function existed)
leaves them kept forever. Each action about an invoice the table no longer holds (read
consistently) gets the expiry of now where it has none, so the TTL removes it shortly
after; an action of an invoice still there is left alone. It is safe at any time, and
run after every ``ExpiredLettersNotDeletedAlarm`` whose batch could not be replayed.

``invoice-search-names`` (version 4) writes each invoice's searchable names anew where
they were folded before audit INTERFACES1 kept the letters NFKD leaves whole (ı, ł, ø, æ)
and names in other scripts: until it ran, or the invoice is saved again, "yilmaz" does
not find "Yılmaz" (stored as " y lmaz") nor "محمد" an invoice of that name. Names already
today's are left alone (``names_present``).

``statement-upload-batch-expiry`` (version 5) dates what was stored before its save wrote
the table's TTL (legal-nl.md §8, R39; round 38): each weekly statement item
(``RETROCESSION#``: week end + 2,922 days, with its files) and each upload record (2,922
days after its report was written, or after it was made if never processed: kept as
long as its report) of every practice; then, once a run has been through every practice,
each payout and refund batch sent or withdrawn (31 December, 7 years after that year; a
payout batch no earlier than its week's statement). The batches belong to no practice,
so a run for one practice leaves them; open batches are kept (``open_batches_skipped``).
Only ``expires_at`` is written, where missing, as a save today computes it.

``canonical-claim-markers`` (version 6) lets R3 see a claim stored before all-digit refs
were read without their leading zeros (R40, claims.canonical_reference): its marker is
under the ref as the file had it ("000001"), and a copy of that file Excel saved again
("1") wrote a second invoice. Each invoice's line whose ref has leading zeros gets its
marker copied, as it is, under the ref without them, where no marker is; invoice page by
invoice page, like versions 1, 2 and 4. A line that went to the insurer is on no invoice
and is left as it is (its copy without the zeros is declared to the insurer again): its
marker is stored (invoice_id "", under the ref with the zeros), but alone in its own
partition with no index entry, so nothing lists a practice's insurer-bound markers but a
table scan; their refs are listed in the practice's insurer exports (insurer_claims.py).

``settings-version-expiry`` (version 7) dates each practice's settings versions (R31:
``SETTINGSVERSION#``, the user who changed the settings and the practice's contact and
account before and after) stored before stop 42's save wrote their TTL (legal-nl.md §8,
R39): 8 years after the version's own change, as the audit of reads; before, they were
kept for ever. Each practice's partition is queried by that sort-key prefix (a few
versions a practice: one page of the request's budget, like version 5); only
``expires_at`` is written, where missing, as a save today computes it.

The PSP checkouts (``PSP#{payment}``/``CHECKOUT``) and bank credit links
(``BANK#{iban}#TRANSFER#{id}``/``CREDIT``) that the same deploy dated are **not**
migrated: each is alone in its own partition with no index entry, so, as version 6's
insurer-bound markers, only a scan of the whole billing table lists them (every item of
every practice read, patients' invoices included, to find a few; a scan that outlasts API
Gateway's 29 seconds needs a resume of its own). They hold no person's data (a kenmerk, an
invoice id, an amount; payment_links.py) and name an invoice the TTL removes in its turn;
those stored before stop 42 stay until an owner decides on a one-off scan (README, "After
a deploy: migrations").

``stuck-credit-plans`` (version 8) lists again the bank credits an older version left
planned with nothing booked (R34, R12; audit MONEY6-3): a match plan is stored with the
credit before its parts are booked, and a plan refused after that (a split of the agency's
transfer over more claims than one write books, before money6) stayed with no part booked:
the credit off the unmatched list, every retry refused, and its TTL (366 days after the
plan) deleting it with the money never booked. Each plan older than an hour (one being
booked now is left to its request) none of whose parts is in its invoice's ledger (the
credit's payment id in ``applied_payments``, each invoice read consistently) is withdrawn
with ``withdraw_credit_match``, a write on condition that the plan is still that one;
the credit is listed again for a person to match. So is one whose parts booked are all
on invoices the line names (the import's part of a transfer quoting several kenmerken,
booked before the plan; the back office's rule since refund51): every later match keeps
those parts as booked. Any other plan with a part booked is kept (listed again, the
credit could be booked twice) and counted for the back office. The
credits belong to no practice: the run goes through no practice's invoices, also when
one practice is named, and records no read (it shows no person any of them, counts only).

``blocked-patient-bsn`` (version 9) gives each block written before stop 44 kept the BSN
of its claims (R22, legal-nl.md §6: the patient is the person; audit blocks2) that BSN:
until then such a block marks a new claim under its own patient number only, and one
never written again (a single claim at the agency) stays so. Each practice's blocks that
block and have no BSN (one consistent Query of its block items), PATIENT_BLOCK_PAGE a
page in patient-number order; each block's claims are read consistently and the BSN of
one still owed at the agency (the last by invoice id that has one) is written on the
block, on condition that it is still the version read, blocks and has no BSN: a block
unblocked or changed meanwhile is not touched (counted ``blocks_changed_meanwhile``; a
block write since gives it the BSN itself, else the next run does). A block none of whose
claims is owed at the agency with a BSN is left and counted. The BSN is in no answer, log
line or progress line (R29): counts only.

``invoice-line-contracted`` (version 10) keeps on each invoice line stored before lines kept
it whether it was invoiced as contracted care (R31: "a contract signed late with
retroactive effect re-rates nothing already invoiced"; R17, R5; audit onboard3, stop 45):
until then coulance (changes/coulance.was_contracted) reads such a line on the practice's
contracts as they are today, so a contract entered since, with retroactive effect, turned
an invoice waiting for the insurer's statement into contracted care (the checker's "don't
pay yet" gone, the statement refused as insurer_contracted, the first reminder sent). Each
line without it gets the decision of the contracts as they were known when its invoice
was made: the settings history (R31, settings_history.contracts_at: the contracts the
first change after then replaced, or today's when none changed since), on the line's
insurer and coverage date, as invoicing decided it then. Invoice page by invoice page, like
versions 1, 2, 4 and 6; an invoice is saved whole, on condition that it is still the
version read (R28): one changed meanwhile is counted and left to the next run.

``paged-report-not-kept`` (version 11) stores ``findings_not_kept`` in each upload report
(R2, R35) stored with its findings in pages (``findings_total``) but before the report
stored what it only counted (2026-12-04 to 12-06): until then every view of such a report
read all its page objects to work it out (services/provider/declarations.not_kept_of: 6
reads for 1,200 rejected lines, 500 for 100,000). Each such report is read once, its
findings_not_kept worked out by that same function and written into its own object;
its page objects are left as they are. A report that has it, is not paged, or kept
every finding it counted (nothing to say, no page read) is left alone; one the
retention deleted is counted. A practice's uploads at once, like versions 5 and 7.

``open-batch-ids`` (version 12) keeps on each kind's list item the id of every payout and
refund batch still open that was created before that item kept them (refunds53, R13, R34):
until then ``open_batches`` finds such a batch only among the kind's newest 52, so an
invoice in an old open refund batch behind them was proposed again (the patient paid back
twice) and the Monday run's alarm of batches waiting missed it. Each kind's batches are
queried once (as version 5's); an open one's id is added in one transaction on condition
that the batch is still the version read (one sent or withdrawn meanwhile gets none); the
list version, which only a batch created moves on (R28), is left as it is. The batches
belong to no practice: the run goes through no practice, also when one is named.

``credit-index`` (version 13) puts each invoice that holds a patient's credit (R13), or a
PSP refund of it still pending (runs57), and was stored before the sparse by-credit index
on it (credits54, R34): the back office's list of credit to refund (money_out.held_credits)
reads that index only, not every invoice of every practice, so until then such an invoice
is missing from it (its credit never proposed for a refund). Every save writes the index keys from the ledger (items.credit_index_key), so
an invoice saved since is on it already. Invoice page by invoice page, like versions 1, 2,
4, 6 and 10; the keys alone are written, on condition that the invoice is still the
version read and has none (a change saved meanwhile put it where its own ledger says), so
its version stays as it is and no change is refused for it (R28).

``block-record-expiry`` (version 14) dates what a patient's block left before retention54
(R22, R29, R39, legal-nl.md §8): each block change (``BLOCKCHANGE#``) and each block that no
longer blocks (``PATIENTBLOCK#``, kept empty for its version) gets the expiry its save now
writes, 8 years after the change (items.block_expiry); before, they were kept forever. A
block that still blocks gets none (counted, kept while it blocks); an unblocked one is
written on condition that it is still the version read and has none, so one blocked again
meanwhile keeps no expiry (counted, left). One stored without its moment expires 8 years
after its patient's last logged change (or the run's moment). A practice at once, one page
of the request's budget, like versions 5 and 7.

``statement-agency-transfers`` (version 15) keeps on each weekly statement item (R24)
stored before remitted54 the agency's transfers of its week (``remitted_by_agency``):
until then the provider API's list of weeks and the portal's payouts page read each such
week's JSON statement from S3 to show it (one read a week a view). Each such week gets
the figure its statement file names (the list's own function,
statements.remitted_in_statement_file), on condition its item still has none (a week
built again since wrote its own); a week whose file the retention deleted is counted and
left (listed as 0, as before). A practice's weeks newest first, WEEK_PAGE a page of the
request's budget, a resume naming the last week done.

``action-list-index`` (version 16) puts each action (R23) stored before actionpages56 on the
by-credit index's partition of its practice's actions (items.action_list_index_key): the
provider API's and the portal's action lists read a page of that index (R35: every action
in one answer passed Lambda's 6 MB at ~2,700), so until then such an action is missing
from them (an open one too, and the overview's counts). Every Put of an action writes the
keys, so one created since is on it already. Run it right after the deploy. A practice's
actions oldest first (list_actions), PAGE_SIZE a page of the request's budget, a resume
naming the last one's position; the keys alone are written, on condition that the action
is there, not moved, has none and is still in the state read, so its state and details
stay as they are and its place follows its state (R28).

``open-action-list`` (version 17) moves each open action stored before openact57 among the
open ones of its practice's action list (items.action_list_sort_key: an open one sorts
under its own prefix, so the open list and the overview's counts read no done action; a
practice keeps every done one as long as its invoice, and before, a page of its 3 open
actions read through its 5,000 done ones, 50 requests): until then such an action is
missing from the open list and the overview's counts (the whole list holds it), so run it
right after the deploy. Every write of an action's state moves it, so one created or
changed since is there already; a done one sorts where it did (no write). Paged as version
16; the sort key alone is written, on condition that the action is there, not moved, still
open and still at its old place (R28).

``refund-pending-credit-index`` (version 18) puts on the by-credit index each invoice stored
before runs57 with a PSP refund of its credit still pending and no credit left (a bank
return of another payment took it, R12): since runs57 every save keeps such an invoice
on the index (payments.refunds.credit_or_refund_pending), so the Monday run counts its
refund pending (R39) and the operator's list of held credits shows it to record what the
PSP did (R13, R34); one saved before, and not since, is missing from both. Version 13's
step as it is (its predicate, its conditional write of the keys alone, its counts),
under its own name: an operator ran version 13 after credits54, before its predicate
read pending refunds. An invoice holding credit is counted as version 13 counts it.

``open-credit-index`` (version 19) puts on the by-credit index, in a partition of their
own (keys.open_credit_index_key: oldest booking first), each bank credit nobody matched
yet stored before credits58b: since then a credit is kept there while open, a match takes
it off and a withdrawn match puts it back, so a page of the operator's list is one read of
the open credits only (R34), where it read the matched ones of the last year as well (up
to 10 requests of 1,000 credits a page). Until it ran, such a credit is missing from that
list (not from the bank import's own check), so run it right after the deploy. The credits
belong to no practice: counted after every practice, as version 8; each write of the keys
alone is conditional on the credit being still open (one matched since the read is left
off, counted), and a second run reads only credits still without them.

Every write is conditional on what it adds (or removes) being as read, so a run can be
stopped at any point and run again: the second run changes nothing and counts everything
as present.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from billing_core.declarations.claims import canonical_reference
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import EntryKind
from billing_core.invoices.listing import EVERY_INVOICE
from billing_core.invoices.retention import kept_until
from billing_core.ports import (
    AuditLog,
    BankCreditLinks,
    ConcurrentChange,
    FileGone,
    FileReader,
    FileStore,
    InvalidPosition,
    MigrationStore,
    action_position,
    checked_action_position,
    checked_invoice_position,
)
from billing_core.providers.actions import (
    ActionKind,
    ActionState,
    OpenAction,
    handover_action_id,
)
from billing_core.shared.audit import Reader, ReadKind, ReadRecord
from billing_core.shared.clock import AMSTERDAM, Clock
from billing_core.shared.errors import UnknownMigration, UnknownProvider
from billing_core.shared.reports import LogEntry, OperatorReport

if TYPE_CHECKING:
    from billing_core.collection.blocking import PatientBlock
    from billing_core.invoices.retention_migration import ExpiriesDated
    from billing_core.payments.unmatched import UnmatchedCredit
    from billing_core.providers.retrocession import StatementSummary

PAGE_SIZE = 100  # invoices a page: one progress line each
# A request stops after so many pages and answers where to resume: 500 invoices of two
# requests each (two conditional writes; a read and a transaction) stay well inside API
# Gateway's 29 seconds.
PAGES_PER_REQUEST = 5

Progress = Callable[[OperatorReport], None]  # a practice after each page of its invoices
_Item = TypeVar("_Item")  # what a practice has to do: an invoice id, a block, a week


@dataclass(frozen=True, slots=True)
class MigrationContext:
    store: MigrationStore
    audit: AuditLog  # a practice's invoices went through the run: one read record each
    clock: Clock
    operator: Reader  # who started the run (their Cognito sub), or the sandbox's runner
    pages_per_request: int = PAGES_PER_REQUEST
    # The bank credits nobody could book (R34): version 8 withdraws their stuck plans.
    links: BankCreditLinks | None = None
    # The output bucket's upload reports: version 11 writes what they did not keep.
    reports: ReportObjects | None = None


@dataclass(frozen=True, slots=True)
class Resume:
    """Where a run goes on: a practice, and the position in its invoice list after the
    last invoice done ("": from its first). The operator sends it back as it was given."""

    provider_id: str
    after: str = ""

    def token(self) -> str:
        return f"{self.provider_id}/{self.after}"

    @classmethod
    def parse(cls, token: str, checked_position: Callable[[str], str]) -> Resume:
        provider_id, slash, after = token.partition("/")
        if not (slash and provider_id):
            raise InvalidPosition("not a migration position")
        return cls(provider_id, checked_position(after) if after else "")


def _invoice_list_position(position: str) -> str:
    return checked_invoice_position(position, EVERY_INVOICE)


@dataclass(slots=True)
class PageBudget:
    """The invoice pages this request may still read."""

    left: int


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
        return asdict(self)


@dataclass(slots=True)
class PracticeMigrated:
    """One practice's counts: what this run wrote, and what it found already done."""

    migration: str
    provider_id: str
    invoices_total: int
    tallies: dict[str, int]  # the migration's own counts by name, each from 0
    invoices_done: int = 0
    conflicts: list[KenmerkConflict] = field(default_factory=list)
    stopped_after: str = ""  # the list position where the page budget ran out

    @classmethod
    def counting(
        cls, migration: str, provider_id: str, invoices_total: int, names: tuple[str, ...]
    ) -> PracticeMigrated:
        return cls(migration, provider_id, invoices_total, dict.fromkeys(names, 0))

    def count(self, name: str, added: int = 1) -> None:
        self.tallies[name] += added

    def counts(self) -> dict[str, int]:
        done = {"invoices_total": self.invoices_total, "invoices_done": self.invoices_done}
        return done | self.tallies

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
    resume: Resume | None = None  # None: the run is complete
    # The counts of what belongs to no practice (Migration.after_every_practice).
    beyond_practices: dict[str, int] = field(default_factory=dict)

    @property
    def conflicts(self) -> list[KenmerkConflict]:
        return [c for practice in self.practices for c in practice.conflicts]

    def totals(self) -> dict[str, int]:
        summed: dict[str, int] = {}
        for practice in self.practices:
            for name, count in practice.counts().items():
                summed[name] = summed.get(name, 0) + count
        return summed | self.beyond_practices

    def log_entry(self) -> LogEntry:
        fields: dict[str, Any] = {
            "migration": self.name,
            "version": self.version,
            "practices": len(self.practices),
            "complete": self.resume is None,
        }
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
            "complete": self.resume is None,
            "resume": self.resume.token() if self.resume else None,
            "summary": self.totals(),
            "practices": [
                {"provider_id": practice.provider_id} | practice.counts()
                for practice in self.practices
            ],
            "conflicts": [c.answer() for c in self.conflicts],
        }


class ReportObjects(FileReader, FileStore, Protocol):
    """The output bucket's report objects, read and written back (version 11)."""


# One practice from where it starts, as far as the budget goes; the last argument is the
# moment of the run (an expiry written "now").
MigratePractice = Callable[
    [MigrationStore, Resume, PageBudget, Progress, datetime], PracticeMigrated
]


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    version: int
    # None: the migration has nothing in any practice (only after_every_practice).
    migrate_practice: MigratePractice | None
    # Where in a practice a resume token may point: its invoice list, by default.
    checked_position: Callable[[str], str] = _invoice_list_position
    # What belongs to no practice: done once a run has been through every practice (a
    # run for one leaves it, unless the migration has nothing in a practice), after the
    # last; its counts by name.
    after_every_practice: Callable[[MigrationContext], dict[str, int]] | None = None
    # A migration of the output bucket's reports: its practice step, given those (then
    # ``migrate_practice`` is None).
    with_reports: Callable[[ReportObjects], MigratePractice] | None = None

    def practice_step(self, ctx: MigrationContext) -> MigratePractice | None:
        if self.with_reports is None:
            return self.migrate_practice
        if ctx.reports is None:
            raise RuntimeError(f"{self.name} needs the output bucket's reports")
        return self.with_reports(ctx.reports)


def run_migration(
    name: str,
    ctx: MigrationContext,
    *,
    provider_id: str = "",
    resume: str = "",
    progress: Progress = lambda _: None,
) -> MigrationReport:
    """Run the migration ``name`` for one practice (``provider_id``) or every one, from
    ``resume`` (a report's) when given, until done or the request's pages are spent.
    UnknownMigration for a name that is no migration, UnknownProvider for a practice
    that does not exist (both NotFound);
    InvalidPosition for a ``resume`` no report of this run gave."""
    migration = MIGRATIONS.get(name)
    if migration is None:
        raise UnknownMigration()
    start = Resume.parse(resume, migration.checked_position) if resume else None
    budget = PageBudget(ctx.pages_per_request)
    done: list[PracticeMigrated] = []
    practices = _practices(ctx.store, provider_id, start)
    migrate = migration.practice_step(ctx)
    for practice_id in practices if migrate is not None else ():
        if budget.left == 0:
            return MigrationReport(
                migration.name, migration.version, tuple(done), Resume(practice_id)
            )
        read = ReadRecord.of(ctx.operator, practice_id, ReadKind.MIGRATION, name, ctx.clock.now())
        ctx.audit.record_read(read)
        after = start.after if start and start.provider_id == practice_id else ""
        assert migrate is not None
        practice = migrate(ctx.store, Resume(practice_id, after), budget, progress, ctx.clock.now())
        done.append(practice)
        if practice.stopped_after:
            stopped = Resume(practice_id, practice.stopped_after)
            return MigrationReport(migration.name, migration.version, tuple(done), stopped)
    beyond = migration.after_every_practice
    every_practice = not provider_id or migrate is None
    counts = beyond(ctx) if beyond is not None and every_practice else {}
    return MigrationReport(migration.name, migration.version, tuple(done), None, counts)


def _practices(store: MigrationStore, provider_id: str, start: Resume | None) -> list[str]:
    """The practices' ids in order, from the one ``start`` names."""
    if provider_id and store.get_provider(provider_id) is None:
        raise UnknownProvider()
    ids = [provider_id] if provider_id else sorted(p.provider_id for p in store.list_providers())
    if start is None:
        return ids
    if start.provider_id not in ids:
        raise InvalidPosition("not a practice of this run")
    return ids[ids.index(start.provider_id) :]


# --- version 1: names, kenmerk markers, handover ids (issues 13, 16) ---------------------

NAMES_MARKERS_HANDOVERS = "invoice-names-kenmerk-markers-handover-ids"


def _invoice_pages(
    store: MigrationStore,
    start: Resume,
    budget: PageBudget,
    progress: Progress,
    practice: PracticeMigrated,
    migrate_invoice: Callable[[MigrationStore, Invoice, PracticeMigrated], None],
    after_the_last: Callable[[], None] = lambda: None,
) -> PracticeMigrated:
    """The practice's invoices page by page from ``start``, a progress line after each,
    until the last page is done (then ``after_the_last``) or the budget is spent."""
    after: str | None = start.after or None
    while True:
        page, after = store.list_invoices(
            start.provider_id, EVERY_INVOICE, limit=PAGE_SIZE, after=after
        )
        budget.left -= 1
        for invoice in page:
            migrate_invoice(store, invoice, practice)
            practice.invoices_done += 1
        if after is None:
            after_the_last()
        progress(practice)
        if after is None:
            return practice
        if budget.left == 0:
            practice.stopped_after = after
            return practice


def _listed_pages(
    todo: list[_Item],
    size: int,
    budget: PageBudget,
    progress: Progress,
    practice: PracticeMigrated,
    migrate_one: Callable[[_Item], None],
    position: Callable[[_Item], str],
) -> PracticeMigrated:
    """What a practice has left to do, listed at once (versions 3, 9, 15 and 16), ``size`` a
    page, a progress line after each, until done or the budget is spent: then the run
    stops after the page's last (its ``position``)."""
    while True:
        page, todo = todo[:size], todo[size:]
        budget.left -= 1
        for item in page:
            migrate_one(item)
            practice.invoices_done += 1
        progress(practice)
        if not todo:
            return practice
        if budget.left == 0:
            practice.stopped_after = position(page[-1])
            return practice


def _names_markers_handovers(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
) -> PracticeMigrated:
    """Invoices page by page; once the last page is done, the practice's handovers."""
    provider_id = start.provider_id
    practice = PracticeMigrated.counting(
        NAMES_MARKERS_HANDOVERS,
        provider_id,
        store.count_invoices(provider_id),
        ("names_written", "markers_written", "handovers_rekeyed", "kenmerk_conflicts"),
    )

    def handovers() -> None:
        practice.count("handovers_rekeyed", _move_old_handovers(store, provider_id))

    return _invoice_pages(store, start, budget, progress, practice, _bring_up_to_date, handovers)


def _bring_up_to_date(store: MigrationStore, invoice: Invoice, practice: PracticeMigrated) -> None:
    practice.count("names_written", store.add_search_names(invoice))
    holder = store.add_reference_marker(invoice)
    practice.count("markers_written", holder.written)
    if (holder.provider_id, holder.invoice_id) != (invoice.provider_id, invoice.invoice_id):
        practice.count("kenmerk_conflicts")
        practice.conflicts.append(
            KenmerkConflict(
                invoice.provider_id,
                invoice.invoice_id,
                invoice.reference,
                holder.provider_id,
                holder.invoice_id,
            )
        )


def _move_old_handovers(store: MigrationStore, provider_id: str) -> int:
    """Each handover action whose id lacks its day, moved to the id with it: how many."""
    moved = 0
    for action in store.list_actions(provider_id):
        new_id = _handover_id(action)
        if new_id and new_id != action.action_id and store.rekey_action(action, new_id):
            moved += 1
    return moved


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


# --- version 2: settled invoices expire (legal-nl.md §8) --------------------------------

SETTLED_INVOICE_EXPIRY = "settled-invoice-expiry"
EXPIRY_COUNTS = (
    "invoice_expiries_written",  # settled invoices' own TTL this run wrote
    "marker_expiries_written",  # their markers' (kenmerk, lines)
    "expiries_present",  # settled invoices whose items all had it: nothing written
    "open_invoices_skipped",  # owed either way: kept, no expiry
)
# A settled invoice changed since it was read is read again; this many changes in a row
# end the request (ConcurrentChange), and a run from its resume goes on.
READS_OF_A_CHANGING_INVOICE = 3


def _settled_invoice_expiry(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
) -> PracticeMigrated:
    provider_id = start.provider_id
    practice = PracticeMigrated.counting(
        SETTLED_INVOICE_EXPIRY, provider_id, store.count_invoices(provider_id), EXPIRY_COUNTS
    )
    return _invoice_pages(store, start, budget, progress, practice, _expire_if_settled)


def _expire_if_settled(store: MigrationStore, invoice: Invoice, practice: PracticeMigrated) -> None:
    for _ in range(READS_OF_A_CHANGING_INVOICE):
        if kept_until(invoice.ledger) is None:
            practice.count("open_invoices_skipped")
            return
        added = store.add_retention_expiry(invoice)
        practice.count("invoice_expiries_written", added.invoice)
        practice.count("marker_expiries_written", added.markers)
        if not added.changed:
            practice.count("expiries_present", not (added.invoice or added.markers))
            return
        again = store.get_invoice(invoice.provider_id, invoice.invoice_id, consistent=True)
        if again is None:
            return
        invoice = again
    raise ConcurrentChange(invoice.invoice_id)


# --- version 3: the actions of an invoice the TTL removed expire (legal-nl.md §8) ------------

EXPIRED_INVOICE_ACTIONS = "expired-invoice-actions"
ACTION_EXPIRY_COUNTS = (
    "removed_invoices",  # invoices with actions that the table no longer holds
    "action_expiries_written",  # their actions' TTL this run wrote
    "action_expiries_present",  # their actions that had it: nothing written
)
_INVOICE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def _invoice_id_position(position: str) -> str:
    """This migration goes through a practice's invoices named by actions, by invoice id."""
    if _INVOICE_ID.fullmatch(position) is None:
        raise InvalidPosition("not an invoice id")
    return position


def _expired_invoice_actions(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, now: datetime
) -> PracticeMigrated:
    """The invoices the practice's actions name, PAGE_SIZE a page in id order (its
    invoices_total and invoices_done count these); the actions of each one gone expire."""
    by_invoice: dict[str, list[OpenAction]] = {}
    for action in store.list_actions(start.provider_id):
        if action.invoice_id:
            by_invoice.setdefault(action.invoice_id, []).append(action)
    todo = sorted(i for i in by_invoice if i > start.after)
    practice = PracticeMigrated.counting(
        EXPIRED_INVOICE_ACTIONS, start.provider_id, len(by_invoice), ACTION_EXPIRY_COUNTS
    )
    practice.invoices_done = len(by_invoice) - len(todo)

    def expire(invoice_id: str) -> None:
        _expire_if_removed(store, by_invoice[invoice_id], practice, now)

    return _listed_pages(todo, PAGE_SIZE, budget, progress, practice, expire, str)


def _expire_if_removed(
    store: MigrationStore, actions: list[OpenAction], practice: PracticeMigrated, now: datetime
) -> None:
    first = actions[0]
    if store.get_invoice(first.provider_id, first.invoice_id, consistent=True) is not None:
        return  # kept as long as its invoice
    practice.count("removed_invoices")
    for action in actions:
        written = store.add_action_expiry(action, now)
        practice.count("action_expiries_written" if written else "action_expiries_present")


# --- version 4: names folded as the name search folds them (audit INTERFACES1) ------------

SEARCH_NAMES = "invoice-search-names"


def _search_names(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
) -> PracticeMigrated:
    provider_id = start.provider_id
    practice = PracticeMigrated.counting(
        SEARCH_NAMES,
        provider_id,
        store.count_invoices(provider_id),
        ("names_written", "names_present"),
    )
    return _invoice_pages(store, start, budget, progress, practice, _write_names)


def _write_names(store: MigrationStore, invoice: Invoice, practice: PracticeMigrated) -> None:
    practice.count("names_written" if store.add_search_names(invoice) else "names_present")


# --- version 5: statement items, upload records and batches expire (legal-nl.md §8) ------

STORED_ITEM_EXPIRY = "statement-upload-batch-expiry"
STORED_EXPIRY_COUNTS = (
    "item_expiries_written",  # statement items' and upload records' TTL this run wrote
    "item_expiries_present",  # those that had it: nothing written
)


def _practice_item_expiry(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
) -> PracticeMigrated:
    """The practice's statement items and upload records at once (a few a week: one
    page of the request's budget); invoices_total and invoices_done count these items."""
    budget.left -= 1
    dated = store.add_practice_item_expiries(start.provider_id)
    return _practice_dated(STORED_ITEM_EXPIRY, start, STORED_EXPIRY_COUNTS, dated, progress)


def _practice_dated(
    migration: str,
    start: Resume,
    counts: tuple[str, str],
    dated: ExpiriesDated,
    progress: Progress,
) -> PracticeMigrated:
    """A practice whose items one call dated whole (versions 5 and 7): ``counts`` names
    the written and the present, and invoices_total and invoices_done count those items."""
    practice = PracticeMigrated.counting(migration, start.provider_id, 0, counts)
    written, present = counts
    practice.count(written, dated.written)
    practice.count(present, dated.present)
    practice.invoices_total = practice.invoices_done = dated.written + dated.present
    progress(practice)
    return practice


def _batch_expiry(ctx: MigrationContext) -> dict[str, int]:
    # It reads the refund batches (patients' names and IBANs) to date them and shows no
    # person any of it, only counts: no read record (R32; shared/audit.py says what is exempt).
    dated = ctx.store.add_batch_expiries()
    return {
        "batch_expiries_written": dated.written,
        "batch_expiries_present": dated.present,
        "open_batches_skipped": dated.open,
    }


# --- version 12: open batches created before their kind's list kept their ids (R13, R34) ----

OPEN_BATCH_IDS = "open-batch-ids"


def _open_batch_ids(ctx: MigrationContext) -> dict[str, int]:
    """Counted over every batch of both kinds. It reads the refund batches (patients' names
    and IBANs) and shows no person any of it, only counts: no read record (R32), as
    version 5's batches."""
    kept = ctx.store.add_open_batch_ids()
    return {
        "open_batch_ids_written": kept.written,
        "open_batch_ids_present": kept.present,
        "closed_batches": kept.closed,
        "batches_changed_meanwhile": kept.changed,
    }


# --- version 6: claims stored under refs with leading zeros (R3, R40) ------------------------

CANONICAL_CLAIM_MARKERS = "canonical-claim-markers"
CLAIM_MARKER_COUNTS = (
    "claim_markers_written",  # markers copied under the ref without leading zeros
    "claim_markers_present",  # a marker was there already: nothing written
)


def _canonical_claim_markers(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
) -> PracticeMigrated:
    provider_id = start.provider_id
    practice = PracticeMigrated.counting(
        CANONICAL_CLAIM_MARKERS,
        provider_id,
        store.count_invoices(provider_id),
        CLAIM_MARKER_COUNTS,
    )
    return _invoice_pages(store, start, budget, progress, practice, _copy_padded_markers)


def _copy_padded_markers(
    store: MigrationStore, invoice: Invoice, practice: PracticeMigrated
) -> None:
    """Only an invoice with such a line costs a request: most have none."""
    canonical = {ref: canonical_reference(ref) for ref in (li.claim_ref for li in invoice.lines)}
    padded = {ref: to for ref, to in canonical.items() if to != ref}
    if not padded:
        return
    copied = store.add_canonical_claim_markers(invoice.provider_id, padded)
    practice.count("claim_markers_written", copied.written)
    practice.count("claim_markers_present", copied.present)


# --- version 7: settings versions expire (legal-nl.md §8, R39; stop 42) --------------------

SETTINGS_VERSION_EXPIRY = "settings-version-expiry"


def _settings_version_expiry(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
) -> PracticeMigrated:
    """The practice's settings versions at once (one page of the request's budget);
    invoices_total and invoices_done count these versions, as version 5 counts its items."""
    budget.left -= 1
    dated = store.add_settings_version_expiries(start.provider_id)
    counts = ("settings_expiries_written", "settings_expiries_present")
    return _practice_dated(SETTINGS_VERSION_EXPIRY, start, counts, dated, progress)


# --- version 8: credit plans an older version left with nothing booked (R34; MONEY6-3) ---

STUCK_CREDIT_PLANS = "stuck-credit-plans"
# A plan younger than this may be one a request is booking now: left to that request.
PLAN_AT_WORK = timedelta(hours=1)


def _stuck_credit_plans(ctx: MigrationContext) -> dict[str, int]:
    """Each planned credit: withdrawn when nothing of its plan is booked, or only parts on
    invoices the line names (a later match keeps those as booked), and the plan is older
    than an hour. It reads the credits (payers' names and IBANs) and shows no
    person any of them, only counts: no read record (R32), as version 5's batches."""
    assert ctx.links is not None, "version 8 needs the bank credits"
    counts = dict.fromkeys(
        ("plans_withdrawn", "plans_booked", "plans_partly_booked", "plans_too_recent"), 0
    )
    before = ctx.clock.now() - PLAN_AT_WORK
    for credit in ctx.links.planned_credits():
        seen = _stuck_plan(ctx.links, ctx.store, credit, before)
        if seen:
            counts[seen] += 1
    return counts


# Reads of a plan whose withdrawal found an invoice moved on since the read (R28).
_PLAN_READS = 3


def _stuck_plan(
    links: BankCreditLinks, store: MigrationStore, credit: UnmatchedCredit, before: datetime
) -> str:
    """What became of one planned credit: the count it goes in, "" when its plan is gone
    by now (withdrawn or replaced by a request meanwhile). The withdrawal is conditional
    on the invoices as read (R28): one that moved on since (a part booked, or any other
    change) is read again; still moving after a few reads, the plan is at work now and
    left to the next run (counted too recent)."""
    from billing_core.payments.unmatched import booked_only_where_named, plan_as_stored

    for _ in range(_PLAN_READS):
        match = credit.match
        if match is None:
            return ""
        if match.matched_at > before:
            return "plans_too_recent"
        read = plan_as_stored(credit, lambda reference: _as_stored(store, reference))
        if all(holds for _, holds in read):
            return "plans_booked"
        # partly, a part on an invoice the line does not name: listed again it could be
        # booked twice, for a person (R34); on one it names, a later match keeps it
        if not booked_only_where_named(credit, read, store.find_invoice_by_reference):
            return "plans_partly_booked"
        unchanged = [invoice for invoice, _ in read if invoice is not None]
        if links.withdraw_credit_match(credit.credit_id, match, unchanged):
            return "plans_withdrawn"
        fresh = links.get_unmatched_credit(credit.credit_id)
        if fresh is None:
            return ""
        credit = fresh
    return "plans_too_recent"


def _as_stored(store: MigrationStore, reference: str) -> Invoice | None:
    """The invoice of ``reference`` as stored now; None when no longer found: it holds
    nothing, and nothing can be booked on it either (not booked, for version 8)."""
    found = store.find_invoice_by_reference(reference)
    if found is not None:
        found = store.get_invoice(found.provider_id, found.invoice_id, consistent=True)
    return found


# --- version 9: blocks written before they kept the BSN (R22, legal-nl.md §6; stop 44) -------

BLOCK_BSNS = "blocked-patient-bsn"
BLOCK_BSN_COUNTS = (
    "block_bsns_written",  # blocks given the BSN of a claim of theirs owed at the agency
    "blocks_changed_meanwhile",  # changed since the read (unblocked, a claim added): left
    "blocks_without_claim_bsn",  # no claim owed at the agency with a BSN: left, by number
)
PATIENT_BLOCK_PAGE = 100  # blocks a page: a progress line each, one page of the budget


def _patient_ref_position(position: str) -> str:
    """This migration goes through a practice's blocks by patient number."""
    if not (0 < len(position) <= 64 and position.isprintable()):
        raise InvalidPosition("not a patient number")
    return position


def _block_bsns(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
) -> PracticeMigrated:
    """The practice's blocks without a BSN after ``start``, a page at a time; invoices_total
    and invoices_done count these blocks (as version 3 counts its invoices)."""
    todo = [b for b in store.blocks_without_bsn(start.provider_id) if b.patient_ref > start.after]
    practice = PracticeMigrated.counting(BLOCK_BSNS, start.provider_id, len(todo), BLOCK_BSN_COUNTS)

    def keep_bsn(block: PatientBlock) -> None:
        practice.count(_keep_claim_bsn(store, block))

    return _listed_pages(
        todo, PATIENT_BLOCK_PAGE, budget, progress, practice, keep_bsn, _patient_ref
    )


def _patient_ref(block: PatientBlock) -> str:
    return block.patient_ref


def _keep_claim_bsn(store: MigrationStore, block: PatientBlock) -> str:
    """The count this block goes in: its claims read consistently, the BSN of the last one
    (by invoice id) still owed at the agency written on the block, conditionally."""
    for invoice_id in reversed(block.invoice_ids):
        claim = store.get_invoice(block.provider_id, invoice_id, consistent=True)
        if claim is None or not claim.bsn:
            continue
        if claim.is_with_collection_agency and not claim.is_paid:
            written = store.add_block_bsn(block, claim.bsn)
            return "block_bsns_written" if written else "blocks_changed_meanwhile"
    return "blocks_without_claim_bsn"


# --- version 10: lines stored before they kept their contract decision (R31; stop 45) -------

LINE_CONTRACTED = "invoice-line-contracted"
LINE_CONTRACTED_COUNTS = (
    "lines_stamped",  # lines given the decision of the contracts known at their invoice
    "invoices_stamped",  # the invoices those lines are on, saved
    "invoices_changed_meanwhile",  # changed since the read (R28): left to the next run
)


def _line_contracted(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
) -> PracticeMigrated:
    """The practice's invoices page by page; its settings history is read once a request."""
    from billing_core.providers.settings_history import contracts_at

    provider_id = start.provider_id
    provider = store.get_provider(provider_id)
    assert provider is not None  # _practices lists the practices there are
    history = store.provider_history(provider_id)
    practice = PracticeMigrated.counting(
        LINE_CONTRACTED, provider_id, store.count_invoices(provider_id), LINE_CONTRACTED_COUNTS
    )

    def stamp(store: MigrationStore, invoice: Invoice, practice: PracticeMigrated) -> None:
        if all(line.contracted is not None for line in invoice.lines):
            return  # most invoices: no request
        contracts = contracts_at(provider, history, _made_at(invoice))
        lines = tuple(
            line
            if line.contracted is not None
            else replace(
                line,
                contracted=any(c.covers(line.insurer_uzovi, line.coverage_date) for c in contracts),
            )
            for line in invoice.lines
        )
        try:
            store.save_invoice(replace(invoice, lines=lines))
        except ConcurrentChange:
            practice.count("invoices_changed_meanwhile")
            return
        practice.count("invoices_stamped")
        practice.count("lines_stamped", sum(line.contracted is None for line in invoice.lines))

    return _invoice_pages(store, start, budget, progress, practice, stamp)


def _made_at(invoice: Invoice) -> datetime:
    """When the invoice was made: its issue entry recorded, as invoicing priced its lines."""
    issued = [e for e in invoice.ledger if e.kind is EntryKind.ISSUED] or list(invoice.ledger)
    return min(entry.recorded for entry in issued)


# --- version 11: paged reports say what they did not keep (R2, R35; stop 51) ---------------

PAGED_REPORT_NOT_KEPT = "paged-report-not-kept"
PAGED_REPORT_COUNTS = (
    "reports_written",  # paged reports given their findings_not_kept
    "reports_present",  # had it, are not paged, or kept every finding: nothing written
    "reports_gone",  # the retention deleted the report (its record says it was written)
)


def _paged_report_not_kept(reports: ReportObjects) -> MigratePractice:
    """The practice's uploads at once (one page of the request's budget); invoices_total
    and invoices_done count its uploads with a report, as version 5 counts its items."""

    def migrate(
        store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
    ) -> PracticeMigrated:
        budget.left -= 1
        practice = PracticeMigrated.counting(
            PAGED_REPORT_NOT_KEPT, start.provider_id, 0, PAGED_REPORT_COUNTS
        )
        after: str | None = None
        while True:
            records, after = store.list_declarations(start.provider_id, after=after)
            for record in records:
                if record.report_key:
                    practice.count(_report_not_kept_written(reports, record.report_key))
                    practice.invoices_done += 1
            if after is None:
                break
        practice.invoices_total = practice.invoices_done
        progress(practice)
        return practice

    return migrate


def _report_not_kept_written(reports: ReportObjects, key: str) -> str:
    """The one count of PAGED_REPORT_COUNTS the report under ``key`` adds to."""
    from billing_core.services.provider.declarations import not_kept_of

    try:
        stored = json.loads(reports.get(key))
    except FileGone:
        return "reports_gone"
    counts = stored.get("finding_counts") or {}
    total = stored.get("findings_total")
    if "findings_not_kept" in stored or total is None or total >= sum(counts.values()):
        return "reports_present"
    stored["findings_not_kept"] = not_kept_of(stored, counts, key, reports)
    reports.put(key, _report_json(stored), "application/json")
    return "reports_written"


def _report_json(report: dict[str, Any]) -> bytes:
    """As the report's own object is written (declarations.reports)."""
    return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")


# --- version 13: invoices holding credit on the by-credit index (R13, R34; credits54) ----------

CREDIT_INDEX = "credit-index"
CREDIT_INDEX_COUNTS = (
    "credit_index_written",  # holding credit or a PSP refund pending: put on the index
    "credit_index_present",  # so, on it already (or saved since: their save put it)
    "invoices_without_credit",  # neither: nothing to put, most invoices, no request
)


def _credit_index(name: str) -> MigratePractice:
    """The step of versions 13 and 18 (``name``): the practice's invoices page by page,
    each put on the by-credit index as every save now puts it (``_index_credit``)."""

    def index_practice(
        store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
    ) -> PracticeMigrated:
        provider_id = start.provider_id
        practice = PracticeMigrated.counting(
            name, provider_id, store.count_invoices(provider_id), CREDIT_INDEX_COUNTS
        )
        return _invoice_pages(store, start, budget, progress, practice, _index_credit)

    return index_practice


def _index_credit(store: MigrationStore, invoice: Invoice, practice: PracticeMigrated) -> None:
    # Imported here: the operator API's cold start has no use for the refunds.
    from billing_core.payments.refunds import credit_or_refund_pending

    if not credit_or_refund_pending(invoice):  # as every save reads it (items.credit_index_key)
        practice.count("invoices_without_credit")
        return
    written = store.add_credit_index(invoice)
    practice.count("credit_index_written" if written else "credit_index_present")


# --- version 14: block records expire (R22, R29, R39, legal-nl.md §8; blocksttl54) -------------

BLOCK_RECORD_EXPIRY = "block-record-expiry"


def _block_record_expiry(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, now: datetime
) -> PracticeMigrated:
    """The practice's block changes and blocks at once (one page of the request's budget);
    invoices_total and invoices_done count those written and present, as version 7's."""
    budget.left -= 1
    dated = store.add_block_expiries(start.provider_id, now)
    counts = ("block_expiries_written", "block_expiries_present")
    practice = _practice_dated(BLOCK_RECORD_EXPIRY, start, counts, dated, lambda _: None)
    practice.tallies["blocks_still_blocking"] = dated.open
    practice.tallies["blocks_changed_meanwhile"] = dated.changed
    progress(practice)
    return practice


# --- version 15: old weeks keep the agency's transfers (R24; remitted54) ----------------------

AGENCY_TRANSFERS = "statement-agency-transfers"
AGENCY_TRANSFER_COUNTS = (
    "agency_transfers_written",  # weeks given remitted_by_agency from their JSON statement
    "agency_transfers_present",  # had it (stored since remitted54, or by a run before)
    "statement_files_gone",  # the retention deleted the week's file: left, listed as 0
)
WEEK_PAGE = 52  # a practice's weeks a page (a year): a progress line each, a page of budget


def _week_position(position: str) -> str:
    """This migration goes through a practice's weeks newest first, by week label."""
    from billing_core.providers.week import Week

    try:
        Week.parse(position)
    except ValueError:
        raise InvalidPosition("not a week") from None
    return position


def _agency_transfers(files: ReportObjects) -> MigratePractice:
    """The practice's weeks, read at once (one Query a WEEK_PAGE), newest first from
    ``start``; invoices_total and invoices_done count these weeks, as version 3's its
    invoices. Only a week without the figure costs a read of its statement file."""

    def migrate(
        store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
    ) -> PracticeMigrated:
        weeks = _every_week(store, start.provider_id)
        todo = [s for s in weeks if not start.after or s.week.label < start.after]
        practice = PracticeMigrated.counting(
            AGENCY_TRANSFERS, start.provider_id, len(weeks), AGENCY_TRANSFER_COUNTS
        )
        practice.invoices_done = len(weeks) - len(todo)

        def keep(summary: StatementSummary) -> None:
            practice.count(_keep_agency_transfers(store, files, summary))

        return _listed_pages(todo, WEEK_PAGE, budget, progress, practice, keep, _week_label)

    return migrate


def _every_week(store: MigrationStore, provider_id: str) -> list[StatementSummary]:
    """The practice's weekly statement items, newest first, a page of WEEK_PAGE a Query."""
    weeks: list[StatementSummary] = []
    while True:
        before = weeks[-1].week if weeks else None
        page = store.list_retrocessions(provider_id, limit=WEEK_PAGE, before=before)
        weeks.extend(page)
        if len(page) < WEEK_PAGE:
            return weeks


def _week_label(summary: StatementSummary) -> str:
    return summary.week.label


def _keep_agency_transfers(
    store: MigrationStore, files: ReportObjects, summary: StatementSummary
) -> str:
    """The one count of AGENCY_TRANSFER_COUNTS this week adds to: the figure its JSON
    statement names written on its item, on condition it still has none."""
    from billing_core.services.provider.statements import remitted_in_statement_file

    if summary.remitted_by_agency_cents is not None:
        return "agency_transfers_present"
    try:
        remitted = remitted_in_statement_file(summary, files)
    except FileGone:
        return "statement_files_gone"
    written = store.add_remitted_by_agency(summary, remitted)
    return "agency_transfers_written" if written else "agency_transfers_present"


def _no_position(position: str) -> str:
    """This migration does a practice whole: a resume names the practice only."""
    raise InvalidPosition("not a position of this migration")


# --- version 16: actions on the action list's index (R23, R35; actionpages56) ------------------

ACTION_LIST_INDEX = "action-list-index"
ACTION_LIST_INDEX_COUNTS = (
    "action_list_index_written",  # actions put on the list's index
    "action_list_index_present",  # on it already (created or put since), moved or gone
)


def _action_list_index(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
) -> PracticeMigrated:
    counts = (ACTION_LIST_INDEX, ACTION_LIST_INDEX_COUNTS)
    return _each_action(store, start, budget, progress, counts, store.add_action_list_index)


def _each_action(
    store: MigrationStore,
    start: Resume,
    budget: PageBudget,
    progress: Progress,
    counts: tuple[str, tuple[str, str]],
    written: Callable[[OpenAction], bool],
) -> PracticeMigrated:
    """The practice's actions after ``start``, oldest first, PAGE_SIZE a page (versions 16
    and 17): ``counts`` is the migration and its written and present tallies, as
    ``written`` answers; invoices_total and invoices_done count these actions (as version
    3 counts invoices)."""
    migration, (was_written, was_present) = counts
    listed = store.list_actions(start.provider_id)
    todo = [a for a in listed if _action_place(a) > start.after]
    practice = PracticeMigrated.counting(
        migration, start.provider_id, len(listed), (was_written, was_present)
    )
    practice.invoices_done = len(listed) - len(todo)

    def migrate(action: OpenAction) -> None:
        practice.count(was_written if written(action) else was_present)

    return _listed_pages(todo, PAGE_SIZE, budget, progress, practice, migrate, _action_place)


def _action_place(action: OpenAction) -> str:
    return action_position(action.created_at, action.action_id)


# --- version 17: open actions under their own prefix of the list (R23, R35; openact57) ---------

OPEN_ACTION_LIST = "open-action-list"
OPEN_ACTION_LIST_COUNTS = (
    "open_action_list_written",  # open actions moved among the open ones of the list
    "open_action_list_present",  # there already (or done, created or changed since), moved, gone
)


def _open_action_list(
    store: MigrationStore, start: Resume, budget: PageBudget, progress: Progress, _: datetime
) -> PracticeMigrated:
    def moved(action: OpenAction) -> bool:
        # a done one sorts where it did: no request
        return action.state is ActionState.OPEN and store.move_open_action_in_list(action)

    counts = (OPEN_ACTION_LIST, OPEN_ACTION_LIST_COUNTS)
    return _each_action(store, start, budget, progress, counts, moved)


# --- version 18: invoices with a PSP refund pending on the by-credit index (R13, R39; runs57) ---

REFUND_PENDING_INDEX = "refund-pending-credit-index"

# --- version 19: open bank credits on their own index (R34; credits58b) -----------------------

OPEN_CREDIT_INDEX = "open-credit-index"


def _open_credit_index(ctx: MigrationContext) -> dict[str, int]:
    """Each open credit stored before its keys on the index: put on it. It reads the
    credits and shows no person any of them, only counts: no read record (R32), as
    version 8."""
    assert ctx.links is not None, "version 19 needs the bank credits"
    indexed, matched = ctx.links.index_open_credits()
    return {"open_credits_indexed": indexed, "open_credits_matched_meanwhile": matched}


MIGRATIONS = {
    NAMES_MARKERS_HANDOVERS: Migration(NAMES_MARKERS_HANDOVERS, 1, _names_markers_handovers),
    SETTLED_INVOICE_EXPIRY: Migration(SETTLED_INVOICE_EXPIRY, 2, _settled_invoice_expiry),
    EXPIRED_INVOICE_ACTIONS: Migration(
        EXPIRED_INVOICE_ACTIONS, 3, _expired_invoice_actions, _invoice_id_position
    ),
    SEARCH_NAMES: Migration(SEARCH_NAMES, 4, _search_names),
    STORED_ITEM_EXPIRY: Migration(
        STORED_ITEM_EXPIRY, 5, _practice_item_expiry, _no_position, _batch_expiry
    ),
    CANONICAL_CLAIM_MARKERS: Migration(CANONICAL_CLAIM_MARKERS, 6, _canonical_claim_markers),
    SETTINGS_VERSION_EXPIRY: Migration(
        SETTINGS_VERSION_EXPIRY, 7, _settings_version_expiry, _no_position
    ),
    STUCK_CREDIT_PLANS: Migration(STUCK_CREDIT_PLANS, 8, None, _no_position, _stuck_credit_plans),
    BLOCK_BSNS: Migration(BLOCK_BSNS, 9, _block_bsns, _patient_ref_position),
    LINE_CONTRACTED: Migration(LINE_CONTRACTED, 10, _line_contracted),
    PAGED_REPORT_NOT_KEPT: Migration(
        PAGED_REPORT_NOT_KEPT, 11, None, _no_position, with_reports=_paged_report_not_kept
    ),
    OPEN_BATCH_IDS: Migration(OPEN_BATCH_IDS, 12, None, _no_position, _open_batch_ids),
    CREDIT_INDEX: Migration(CREDIT_INDEX, 13, _credit_index(CREDIT_INDEX)),
    BLOCK_RECORD_EXPIRY: Migration(BLOCK_RECORD_EXPIRY, 14, _block_record_expiry, _no_position),
    AGENCY_TRANSFERS: Migration(
        AGENCY_TRANSFERS, 15, None, _week_position, with_reports=_agency_transfers
    ),
    ACTION_LIST_INDEX: Migration(
        ACTION_LIST_INDEX, 16, _action_list_index, checked_action_position
    ),
    OPEN_ACTION_LIST: Migration(OPEN_ACTION_LIST, 17, _open_action_list, checked_action_position),
    REFUND_PENDING_INDEX: Migration(REFUND_PENDING_INDEX, 18, _credit_index(REFUND_PENDING_INDEX)),
    OPEN_CREDIT_INDEX: Migration(OPEN_CREDIT_INDEX, 19, None, _no_position, _open_credit_index),
}
