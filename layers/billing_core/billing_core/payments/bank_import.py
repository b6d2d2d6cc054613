"""Use case: book a CAMT.053 bank statement (R12, R13, R27).

Per booked transaction in the statement:

- a credit quoting a kenmerk (bank/camt053.payment_reference) is booked on that invoice,
  allocated costs -> interest -> principal by payments.book_payment. Its payment id is
  ``bank:{our iban}/{entry reference}``, so the same entry in a second import (the
  same file twice, or another statement repeating it) is a duplicate: booked False,
  nothing changes. An entry without the bank's AcctSvcrRef was keyed by its place in
  the statement before the transfer's own ids keyed it (camt053.py); what was kept
  under that key keeps it (``_as_imported_before``), so such a statement uploaded again
  is still all duplicates. Entries only their statement keys are counted
  (``keyed_by_statement``): another statement repeating one is not recognised. A credit
  whose bank TxId a booked credit of the same amount carries under another key (one
  statement lists it with AcctSvcrRef, an overlapping one without) is a duplicate too.
- a credit quoting several of our kenmerken (a parent paying two children's invoices)
  is booked as the payer designated it (legal-nl.md §5, art. 6:43 BW): when every
  kenmerk is an invoice's and the amount is the sum of what each owed on the booking
  date, each gets what it owed, under the same payment id, as an operator's split books
  it. Otherwise it is listed for a person as ``several_kenmerken``, naming them. The
  parts are kept (by the transfer ids, else by the entry) before the first is booked: a
  run that stops between them is retried with the same parts (R3).
- a return (reversal, or a debit with a return reason) undoes the payment it returns:
  it is traced to the original through the transfer id both carry (TxId, else
  EndToEndId), which is remembered when the original is booked, by the import or by an
  operator's match (``remember_credit``), with each part of a credit split over several
  invoices: its return undoes every part, when it is the whole credit (a return of
  another amount is for a person); a statement's returns are imported after its
  other transactions, so one listed before its own credit still finds it. An id two
  credits carry (a payer's repeated EndToEndId; the SEPA placeholder NOTPROVIDED is no
  id) traces neither: its link is ``shared``, and a return only it traces is listed as
  ``return_transfer_id_shared``. A return no link traces that quotes our kenmerk undoes
  the one bank payment on that invoice of exactly its amount, none of it reversed yet;
  with none or several, an operator chooses (services/operator/money.py).
- an entry repeating the end-to-end id of one of our own transfers (a weekly payout, a
  refund; payments/own_transfers.py) is that transfer: its debit books it, a return of
  it (RtrInf) makes a payout owed again, with an open action for the practice.
- any other debit that is not a return (bank costs) is not a patient's payment: counted
  as ``debits_ignored`` and listed in the unmatched file (``debits``) for a person, never
  dropped.
- a credit quoting the kenmerk of a claim the collection agency reported paid is the
  agency's transfer of that money: received for the practice, not booked on the claim
  again (payments/remittance.py, via book_payment); more than the agency collected and
  did not transfer yet is listed for a person (``remittance_exceeds_agency_collection``).
- whatever cannot be booked with certainty (no or an unknown kenmerk, a return without
  its original, another currency) goes on a list for manual matching in the output
  bucket, ``bank/unmatched/{import date}/{statement file}.json`` (the file's path under
  camt053/: two banks' ``statement.xml`` in two folders keep two lists), and each line
  is kept in the table the moment the import meets it (an import stopped half-way
  leaves what it met listed), until an operator matches it (services/operator/money.py).
  That list holds the payer's name, IBAN and description, because a person needs them to
  find the invoice; the bucket is private and encrypted, and none of it is logged (R29).

The booking date decides (legal-nl.md §2): a credit booked on the last day of a
reminder's term but read after the run charged the costs undoes them, and one that shows
an arrangement's term kept puts it back (book_payment); for a claim already with the
collection agency book_payment writes a record for the agency,
``collection/updates/{import date}/{provider}/{kenmerk}-{record}.json``.

A statement that is not safe or not CAMT.053 (or too large to read) is refused as a
whole: nothing booked. So that the day's payments are not silently left out (R12, R39),
the refusal is counted (``Bank_refused``, an alarm watches it) and written where the
unmatched lists are, ``bank/refused/{import date}/{statement file}.json``, with the key
and the reason (no payer details): the operator gets a good file and uploads it again.
A statement of another account than the collection account (a practice's own account,
uploaded by mistake) books nothing and is refused the same way, named by the last 4
characters of its IBAN; each statement of a file is judged by its own account.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any, Literal

from billing_core.dunning.interest import accrued_interest
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import EntryKind
from billing_core.invoices.updates import booked_by_request
from billing_core.payments.booking import (
    BookingResult,
    IncomingPayment,
    InterestAccrual,
    RemittanceExceeds,
    UnknownPayment,
    apply_reversal,
    book_payment,
    book_reversal,
    owed_on,
    payment_id,
    reversed_by,
    reversible,
)
from billing_core.payments.camt053 import (
    ENTRY_LINK,
    BankStatement,
    BankTransaction,
    Direction,
    StatementError,
    parse_statements,
    payment_reference,
    payment_references,
)
from billing_core.payments.credit_links import BankCreditLink
from billing_core.payments.own_transfers import OwnTransferOutcome, match_own_transfer
from billing_core.payments.transfer_batches import BatchKind
from billing_core.payments.unmatched import UnmatchedCredit, credit_id_of
from billing_core.ports import (
    BankCreditLinks,
    BillingStore,
    DeliveryQueue,
    FileGone,
    FileReader,
    FileStore,
    TransferBatches,
)
from billing_core.shared.clock import Clock, start_of_day
from billing_core.shared.errors import NotFound
from billing_core.shared.reports import DeliveredAgain, LogEntry

CURRENCY = "EUR"
STATEMENTS_PREFIX = "camt053/"  # where statements are uploaded (the function's trigger)
UNMATCHED_PREFIX = "bank/unmatched"
REFUSED_PREFIX = "bank/refused"
PROGRESS_PREFIX = "bank/progress"
# Each version of a statement its import finished, marked with the file's answer (counts,
# ids, keys): a delivery of it again, however late, is answered from it (R3, R39;
# entrypoints/finished_uploads.py). Under bank/, kept a year as the lists are.
FINISHED_PREFIX = "bank/finished/"
# A run of a file its checkpoint or marker says is finished, delivered again (a run's call
# redriven, or the S3 notification, after the idempotency record that answers it went: R3):
# answered with the file's report as the first delivery was, nothing booked, listed,
# written or counted again (R39, R12; bankretry55), logged under this line.
DELIVERED_AGAIN = "bank statement delivered again: its report stands"
_UNSAFE_IN_KEY = re.compile(r"[^A-Za-z0-9._-]+")


class UnmatchedReason(StrEnum):
    NO_REFERENCE = "no_reference"  # no valid kenmerk in the structured or free text
    SEVERAL_KENMERKEN = "several_kenmerken"  # several, not each paid exactly what it owed
    UNKNOWN_REFERENCE = "unknown_reference"  # a valid kenmerk no invoice has
    RETURN_WITHOUT_ORIGINAL = "return_without_original"  # a return we cannot trace
    RETURN_NOT_BOOKABLE = "return_not_bookable"  # traced, but more than is left of it
    # traced only by a transfer id several credits carry (a payer's repeated EndToEndId)
    RETURN_TRANSFER_ID_SHARED = "return_transfer_id_shared"
    REVERSED_DEBIT = "reversed_debit"  # the bank took back a debit: money in, not a payment
    OTHER_CURRENCY = "other_currency"
    OTHER_DEBIT = "other_debit"  # money out that is none of our transfers (bank costs)
    REFUND_RETURNED = "refund_returned"  # a patient's refund came back: restore the credit
    # More than the agency collected on the claim and did not transfer yet (remittance.py)
    REMITTANCE_EXCEEDS = "remittance_exceeds_agency_collection"


LineKind = Literal["booked", "reversed"]  # which of the report's lists a booked line goes on


@dataclass(frozen=True, slots=True)
class BookedLine:
    entry_reference: str
    invoice_id: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class UnmatchedLine:
    """One line of the manual-matching list (contains the payer's details: never log it)."""

    statement_id: str
    entry_reference: str
    booking_date: str
    direction: str
    amount_cents: int
    currency: str
    reason: str
    kenmerk: str = ""
    remittance_text: str = field(default="", repr=False)
    counterparty_name: str = field(default="", repr=False)
    counterparty_iban: str = field(default="", repr=False)
    source_id: str = ""  # {our iban}/{entry reference}: what it is booked as once matched
    transfer_ids: tuple[str, ...] = ()  # TxId, EndToEndId: what a return of it repeats
    transaction_id: str = ""  # the bank's TxId: the same transfer in another statement

    def as_credit(self) -> UnmatchedCredit:
        """The record an operator lists and matches (R34)."""
        return UnmatchedCredit(
            credit_id=credit_id_of(self.source_id),
            source_id=self.source_id,
            statement_id=self.statement_id,
            entry_reference=self.entry_reference,
            booking_date=date.fromisoformat(self.booking_date),
            direction=self.direction,
            amount_cents=self.amount_cents,
            currency=self.currency,
            reason=self.reason,
            kenmerk=self.kenmerk,
            remittance_text=self.remittance_text,
            counterparty_name=self.counterparty_name,
            counterparty_iban=self.counterparty_iban,
            transfer_ids=self.transfer_ids,
            transaction_id=self.transaction_id,
        )


@dataclass
class BankImportReport:
    statement_key: str
    outcome: str = "imported"  # or "refused": not safe or not CAMT.053, nothing booked
    # ("continued": half-way, the next run goes on; STOPPED: half-way, its checkpoint gone)
    refusal: str = ""
    statements: list[str] = field(default_factory=list)
    booked: list[BookedLine] = field(default_factory=list)
    reversed: list[BookedLine] = field(default_factory=list)
    duplicates: int = 0
    # Debits that are none of our transfers (bank costs): not a patient's payment, so not
    # for manual matching (``unmatched``), but listed in the same file for a person.
    other_debits: list[UnmatchedLine] = field(default_factory=list)
    transfers_booked: list[str] = field(default_factory=list)  # our transfers' end-to-end ids
    transfers_returned: list[str] = field(default_factory=list)
    not_booked_by_bank: int = 0  # pending/informational entries, booked in a later statement
    keyed_by_statement: int = 0  # no id of the bank's: a repeat in another statement is new
    unmatched: list[UnmatchedLine] = field(default_factory=list)
    unmatched_key: str = ""
    refusal_key: str = ""  # where the refusal is written for the operator
    # Statements of another account than the collection account: nothing in them booked
    # (R12), each named by its id and why, the account by its last 4 characters only.
    refused_statements: list[dict[str, str]] = field(default_factory=list)
    # A run that stopped before the file's end ("continued"): how far it got.
    entries_done: int = 0
    entries_total: int = 0
    # The counts each run of the file started from, by the entries done when it started
    # (its ``resumes_at``): a run's metrics are what it added (``start_counting``).
    counts_at_start: dict[str, dict[str, int]] = field(default_factory=dict)
    # The lines counted, by list: read once, when a run meets its upload's own booking.
    _counted: set[tuple[str, BookedLine]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _counting_from: dict[str, int] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def start_counting(self, resumes_at: int) -> None:
        """This run counts, as metrics, what it adds to the counts its run of the file
        started from: each run of a file counts its own part, so a file stopped half-way
        (its checkpoint gone) has its earlier runs' bookings counted, and its upload again
        counts only what it books (runs54: before, only the run that finished a file
        counted, the whole file: 2 of 5 booked entries were in no Bank_booked). A retry of
        a run that crashed (the same ``resumes_at``) counts from where its first attempt
        started, that attempt's bookings included (R3, R39)."""
        totals = self.summary()
        started = self.counts_at_start.setdefault(
            str(resumes_at), {name: totals[name] for name in _COUNTED}
        )
        self._counting_from = started

    def count(
        self,
        result: BookingResult,
        transaction: BankTransaction,
        kind: LineKind,
        amount_cents: int | None = None,  # a part of the transaction's amount
        *,
        upload: str = "",  # the upload's fingerprint (``BankImportContext.upload_fingerprint``)
    ) -> None:
        """A line in the report's ``kind`` list for what was booked now, or by a run of
        this same upload that crashed after booking it (R3: its retry counts the file
        once); one more duplicate for what was booked before (a statement imported
        again, or the same entry twice in the file)."""
        lines = self.booked if kind == "booked" else self.reversed
        amount = transaction.amount_cents if amount_cents is None else amount_cents
        line = BookedLine(transaction.entry_reference, result.invoice.invoice_id, amount)
        if not result.booked and not self._booked_by(upload, result, transaction, kind, line):
            self.duplicates += 1
            return
        lines.append(line)
        if self._counted is not None:
            self._counted.add((kind, line))

    def _booked_by(
        self,
        upload: str,
        result: BookingResult,
        transaction: BankTransaction,
        kind: LineKind,
        line: BookedLine,
    ) -> bool:
        """Booked by ``upload`` (a run of it before, R3), and not counted yet in its report."""
        key = payment_id("bank", source_id(transaction))
        if not booked_by_request(result.invoice, key, upload):
            return False
        if self._counted is None:
            self._counted = {("booked", line) for line in self.booked}
            self._counted.update(("reversed", line) for line in self.reversed)
        return (kind, line) not in self._counted

    def summary(self) -> dict[str, Any]:
        """Counts, keys and ids only: safe to log."""
        return {
            "outcome": self.outcome,
            "refusal": self.refusal,
            "statements": self.statements,
            "booked": len(self.booked),
            "reversed": len(self.reversed),
            "duplicates": self.duplicates,
            "debits_ignored": len(self.other_debits),
            "transfers_booked": len(self.transfers_booked),
            "transfers_returned": len(self.transfers_returned),
            "not_booked_by_bank": self.not_booked_by_bank,
            "keyed_by_statement": self.keyed_by_statement,
            "unmatched": len(self.unmatched),
            "unmatched_reasons": sorted({line.reason for line in self.unmatched}),
            "unmatched_key": self.unmatched_key,
            "refusal_key": self.refusal_key,
            "refused_statements": self.refused_statements,
        } | (self._how_far() if self.outcome == "continued" else {})

    def _how_far(self) -> dict[str, int]:
        return {"entries_done": self.entries_done, "entries_total": self.entries_total}

    def log_entry(self) -> LogEntry:
        """Counts, statement ids and keys only: payer names, IBANs and texts stay in the list."""
        summary = self.summary()
        if self.outcome == STOPPED:  # half-way, the rest not booked: BankProgressGoneAlarm
            message = "bank statement import stopped: its checkpoint is gone"
            return LogEntry(message, summary, {"Bank_progress_gone": 1}, error=True)
        counts = {
            f"Bank_{name}": summary[name] - self._counting_from.get(name, 0) for name in _COUNTED
        }
        if self.outcome == "continued":  # its own part; the statements' refusals at the end
            return LogEntry("bank statement import continues in the next run", summary, counts)
        refused = self.outcome == "refused" or bool(self.refused_statements)
        counts["Bank_refused"] = int(refused)  # BankStatementRefusedAlarm
        if self.outcome == "refused":
            return LogEntry("bank statement refused, nothing booked", summary, counts, error=True)
        if refused:
            message = "bank statement imported, a statement of another account refused"
            return LogEntry(message, summary, counts, error=True)
        return LogEntry("bank statement imported", summary, counts)

    def answer(self) -> dict[str, Any]:
        return self.summary()


_COUNTED = (
    "booked",
    "reversed",
    "duplicates",
    "debits_ignored",
    "unmatched",
    "transfers_booked",
    "transfers_returned",
)


@dataclass(frozen=True)
class BankImportContext:
    store: BillingStore
    files: FileStore
    links: BankCreditLinks
    clock: Clock
    delivery: DeliveryQueue | None = None  # "payment received" e-mails, when given
    interest: InterestAccrual = accrued_interest  # accrued up to the payment, booked before it
    batches: TransferBatches | None = None  # our payouts and refunds, when given
    # The collection account (settings.collection_iban): a statement of any other account
    # books nothing. "" checks none (a test's statements).
    collection_iban: str = ""
    # Told (entries done, entries in the file) every PROGRESS_EVERY entries and at the end:
    # the function logs it, so a long import shows how far it is (counts only, no PII).
    progress: Callable[[int, int], None] | None = None
    # A run of the function: where it keeps how far it is (checkpoint_key), reads it back
    # (checkpoints), and the time it has left (Lambda's context). Without them the whole
    # file is imported in one go (unit tests; the local runtime runs the function, its
    # next runs in-process: local/sandbox.py).
    checkpoint_key: str = ""
    checkpoints: FileReader | None = None
    time_left_ms: Callable[[], int] | None = None
    # A run the function called to go on with the file: the entries the run before it
    # did, which the checkpoint must hold (``_resumed``); 0 for the upload's first run.
    resumes_at: int = 0

    @property
    def upload_fingerprint(self) -> str:
        """The upload's (one version of the file, its ``checkpoint_key``), which its
        bookings remember: a retry of a run that crashed after booking an entry counts
        that entry as booked, not as a duplicate (R3, R12). "" without a checkpoint key:
        every import is then another's."""
        if not self.checkpoint_key:
            return ""
        import hashlib

        return "bank-upload:" + hashlib.sha256(self.checkpoint_key.encode()).hexdigest()[:32]


PROGRESS_EVERY = 1000


def import_statement(
    xml_bytes: bytes, statement_key: str, ctx: BankImportContext
) -> BankImportReport | DeliveredAgain:
    """Book the file's entries, in order (each statement's returns after its other
    entries). With a ``checkpoint_key`` (the function's run), how far it got is written
    every PROGRESS_EVERY entries, and the import stops, outcome "continued", when less
    than STOP_MARGIN_MS of the function's time is left: the next run (the function calls
    itself, or Lambda retries a run that crashed) goes on from the last checkpoint, so a
    file of any size finishes (R12, R3). An entry done again after a crash books nothing
    twice and lists nothing twice (idempotent on its key), and counts as what the run
    before made of it, not as a duplicate: its bookings remember the upload
    (``upload_fingerprint``); its report and the list of unmatched credits are written
    once, when the last entry is done. A run of a file its checkpoint says is finished
    does nothing and counts nothing (``DeliveredAgain``)."""
    try:
        statements = parse_statements(xml_bytes)
    except StatementError as error:
        return refuse_statement(statement_key, str(error), ctx)
    resumed = _resumed(statement_key, ctx)
    if resumed is None:  # said, never a silent stop (R39)
        return _checkpoint_gone(statement_key, ctx)
    report, start = resumed
    if report.outcome == FINISHED:  # its last run's checkpoint: the file is done
        summary = replace(report, outcome="imported").summary()
        return DeliveredAgain(DELIVERED_AGAIN, summary, summary)
    report.start_counting(ctx.resumes_at)
    listed = _ListedCredits(ctx.links)
    ours = [s for s in statements if not _of_another_account(s, ctx.collection_iban)]
    total, done = sum(len(statement.transactions) for statement in ours), 0
    # What the statements say (not the entries) is read again on every run.
    report.statements, report.refused_statements, report.not_booked_by_bank = [], [], 0
    for statement in statements:
        refusal = _of_another_account(statement, ctx.collection_iban)
        if refusal:
            report.refused_statements.append(
                {"statement_id": statement.statement_id, "refusal": refusal}
            )
            continue
        report.statements.append(statement.statement_id)
        report.not_booked_by_bank += statement.not_booked
        for transaction in _credits_before_returns(statement.transactions):
            if done < start:
                done += 1
                continue
            if done > start and _time_is_up(ctx):
                return _continued(report, done, total, ctx)
            report.keyed_by_statement += transaction.keyed_by_statement
            met = len(report.unmatched)
            _import(statement, _as_imported_before(transaction, ctx), ctx, report)
            listed.keep_new_lines(report, met)
            done += 1
            if done % PROGRESS_EVERY == 0:
                _checkpoint(report, done, total, ctx)
    if ctx.progress is not None and done % PROGRESS_EVERY:
        ctx.progress(done, total)
    if report.unmatched or report.other_debits:
        report.unmatched_key = unmatched_key(ctx.clock.today(), statement_key)
        ctx.files.put(report.unmatched_key, _unmatched_json(report), "application/json")
    if report.refused_statements:
        _refuse_other_accounts(report, ctx)
    if ctx.checkpoint_key and (start or done >= PROGRESS_EVERY):  # a checkpoint was written
        _write_checkpoint(report, done, total, ctx, outcome=FINISHED)
    return report


# --- a file imported over several runs (R12, R3) ----------------------------------------------

FINISHED = "finished"  # a checkpoint's outcome once the file's last entry is done
STOPPED = "stopped"  # a run going on from a checkpoint that is gone (``_checkpoint_gone``)
STOP_MARGIN_MS = 60_000  # the time a run keeps to write its checkpoint and call the next


def _time_is_up(ctx: BankImportContext) -> bool:
    return (
        bool(ctx.checkpoint_key)
        and ctx.checkpoints is not None
        and ctx.time_left_ms is not None
        and ctx.time_left_ms() < STOP_MARGIN_MS
    )


def _checkpoint(report: BankImportReport, done: int, total: int, ctx: BankImportContext) -> None:
    """How far the import is, told (the log) and written (the next run's start)."""
    if ctx.progress is not None:
        ctx.progress(done, total)
    if ctx.checkpoint_key and ctx.checkpoints is not None:
        _write_checkpoint(report, done, total, ctx, outcome=report.outcome)


def _continued(
    report: BankImportReport, done: int, total: int, ctx: BankImportContext
) -> BankImportReport:
    """The run's time is nearly up: the checkpoint written, the report says how far."""
    _checkpoint(report, done, total, ctx)
    report.outcome = "continued"
    report.entries_done, report.entries_total = done, total
    return report


def _write_checkpoint(
    report: BankImportReport, done: int, total: int, ctx: BankImportContext, *, outcome: str
) -> None:
    """The report so far and the entries done, in the output bucket (private, encrypted,
    where the unmatched lists are: it holds their payer details too, never logged)."""
    saved = asdict(replace(report, outcome=outcome))
    saved.pop("_counted", None)  # read again from the lines
    saved.pop("_counting_from", None)  # the run's own, from counts_at_start
    document = {"done": done, "total": total, "report": saved}
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    ctx.files.put(ctx.checkpoint_key, body, "application/json")


def _resumed(statement_key: str, ctx: BankImportContext) -> tuple[BankImportReport, int] | None:
    """The report and the entries done of the last checkpoint; a new report at 0 for the
    upload's first run. None for a run going on (``resumes_at``) whose checkpoint is gone."""
    if not ctx.checkpoint_key or ctx.checkpoints is None:
        return BankImportReport(statement_key), 0
    try:
        document = json.loads(ctx.checkpoints.get(ctx.checkpoint_key))
    except FileGone:
        return None if ctx.resumes_at else (BankImportReport(statement_key), 0)
    return _report_of(document["report"]), int(document["done"])


def _checkpoint_gone(statement_key: str, ctx: BankImportContext) -> BankImportReport:
    """A run going on from a checkpoint that is gone (deleted, or past its 7 days under
    bank/progress/: a run redriven that late) stops the file, said (R12, R39): the error
    line, ``Bank_progress_gone`` (BankProgressGoneAlarm) and the reason under bank/refused/
    for the operator, who uploads the statement again: what the new version books is
    new, what was booked before is a duplicate (R3). Never the file again from its
    start: that run stopped where an earlier one had, its call of the next run was
    answered from that run's record, and the import stalled half-way, its payers
    reminded and nobody told (bankgone53)."""
    reason = (
        f"the import's checkpoint is gone after {ctx.resumes_at} of the file's entries:"
        " those are booked, the rest is not; upload the statement again"
    )
    report = BankImportReport(statement_key, STOPPED, reason, entries_done=ctx.resumes_at)
    _write_refusal(report, ctx)
    return report


def _report_of(saved: dict[str, Any]) -> BankImportReport:
    def unmatched(line: dict[str, Any]) -> UnmatchedLine:
        return UnmatchedLine(**{**line, "transfer_ids": tuple(line["transfer_ids"])})

    return replace(
        BankImportReport(saved["statement_key"]),
        **{
            **saved,
            "booked": [BookedLine(**line) for line in saved["booked"]],
            "reversed": [BookedLine(**line) for line in saved["reversed"]],
            "other_debits": [unmatched(line) for line in saved["other_debits"]],
            "unmatched": [unmatched(line) for line in saved["unmatched"]],
        },
    )


def checkpoint_key(statement_key: str, version: str) -> str:
    """Where the import of one version of an uploaded statement keeps how far it is."""
    name = _UNSAFE_IN_KEY.sub("-", PurePosixPath(statement_key).stem) or "statement"
    return f"{PROGRESS_PREFIX}/{name}/{_UNSAFE_IN_KEY.sub('-', version)}.json"


def _of_another_account(statement: BankStatement, collection_iban: str) -> str:
    """Why the statement is not the collection account's, "" when it is (R12: the
    credits on it are patients' payments only then). The accounts by their last 4
    characters: no IBAN in a log or a report."""
    if not collection_iban:
        return ""
    ours, theirs = _compact(collection_iban), _compact(statement.account_iban)
    if theirs == ours:
        return ""
    named = f"account ending {theirs[-4:]}" if theirs else "no account IBAN"
    return (
        f"statement {statement.statement_id}: {named}, not the collection account"
        f" ending {ours[-4:]}; nothing in it booked"
    )


def _compact(iban: str) -> str:
    return "".join(character for character in iban if character.isalnum()).upper()


def _refuse_other_accounts(report: BankImportReport, ctx: BankImportContext) -> None:
    """Statements of another account (a practice's own, our operating account, uploaded
    by mistake) are refused as an unreadable file is: counted (``Bank_refused``, the
    alarm), written under bank/refused for the operator; a file of only such statements
    is refused whole, nothing booked (R12: a clear error, nothing lost)."""
    reasons = [refused["refusal"] for refused in report.refused_statements]
    report.refusal = "; ".join(reasons)
    if not report.statements:
        report.outcome = "refused"
    _write_refusal(report, ctx, statements=report.refused_statements)


class _ListedCredits:
    """The credits on the operator's list (R34), each kept the moment the import meets
    it, not after the statement's last entry: an import the function's time stops half-way
    (R3: the upload is retried) leaves on the list what it met; the retry meets it again
    and keeps it once (``keep_unmatched_credit`` writes only what is not there).

    A credit listed already under another key (one statement lists it with the bank's
    AcctSvcrRef, an overlapping one without) is a duplicate, as a booked one is
    (``_booked_under_another_key``): the bank's TxId, our account and the amount tell
    (R12), so the operator sees one line and cannot match the money twice (R34). The
    credits kept are read once, and only when a line has a TxId."""

    def __init__(self, links: BankCreditLinks) -> None:
        self._links = links
        self._listed: dict[tuple[str, str, int], str] | None = None

    def keep_new_lines(self, report: BankImportReport, met: int) -> None:
        """Keep the lines ``report.unmatched[met:]`` (met by the last entry); one listed
        under another key is dropped from the report and counted a duplicate."""
        new_lines = report.unmatched[met:]
        del report.unmatched[met:]
        for line in new_lines:
            by = _by_transaction(line)
            if by is not None and self._of(by, line.source_id) != line.source_id:
                report.duplicates += 1
                continue
            report.unmatched.append(line)
            self._links.keep_unmatched_credit(line.as_credit())  # until an operator matches it

    def _of(self, by: tuple[str, str, int], source_id: str) -> str:
        """The source id the credit ``by`` is listed under; ``source_id`` when it is not."""
        if self._listed is None:
            self._listed = {}
            for credit in self._links.unmatched_credits():
                if credit.direction == Direction.CREDIT.value and credit.bank_transaction_id:
                    self._listed.setdefault(
                        (credit.account_iban, credit.bank_transaction_id, credit.amount_cents),
                        credit.source_id,
                    )
        return self._listed.setdefault(by, source_id)


def _by_transaction(line: UnmatchedLine) -> tuple[str, str, int] | None:
    """(our account, TxId, amount) of a credit line that carries the bank's TxId."""
    if line.direction != Direction.CREDIT.value or not line.transaction_id:
        return None
    return (line.source_id.partition("/")[0], line.transaction_id, line.amount_cents)


def refuse_statement(statement_key: str, reason: str, ctx: BankImportContext) -> BankImportReport:
    """Nothing of the file booked: the refusal counted and written for the operator, who
    gets a good statement from the bank and uploads it (R12: "a clear error, nothing lost")."""
    report = BankImportReport(statement_key, outcome="refused", refusal=reason)
    _write_refusal(report, ctx)
    return report


def _write_refusal(report: BankImportReport, ctx: BankImportContext, **more: object) -> None:
    """The refusal where the operator finds it, bank/refused/{import date}/{file}.json:
    the key, the reason and ``more`` (no payer details)."""
    report.refusal_key = _key_for(REFUSED_PREFIX, ctx.clock.today(), report.statement_key)
    document = {"statement_key": report.statement_key, "refusal": report.refusal, **more}
    ctx.files.put(report.refusal_key, json.dumps(document, indent=2).encode(), "application/json")


def _credits_before_returns(
    transactions: tuple[BankTransaction, ...],
) -> list[BankTransaction]:
    """The statement's transactions with its returns last, each group in the bank's order:
    a return listed before its own credit in one statement (R12) then finds that credit
    booked and linked. The keys do not depend on the order, so a second import of the
    file is still all duplicates."""
    return sorted(transactions, key=lambda transaction: transaction.is_return)


def _as_imported_before(transaction: BankTransaction, ctx: BankImportContext) -> BankTransaction:
    """The transaction under its statement key ({Stmt/Id}/{NtryRef}) if it was booked or
    listed under that key, as every entry without the bank's AcctSvcrRef was before its
    transfer's ids keyed it: the same statement uploaded again stays all duplicates (R12)."""
    earlier = transaction.statement_reference
    if not earlier or transaction.keyed_by_statement:
        return transaction
    before = replace(transaction, entry_reference=earlier)
    kept = payment_id("bank", source_id(before))
    if ctx.links.get_unmatched_credit(credit_id_of(source_id(before))) is not None:
        return before
    for kenmerk in _kenmerken_of(transaction, ctx.links):
        invoice = ctx.store.find_invoice_by_reference(kenmerk)
        if invoice is not None and kept in invoice.applied_payments:
            return before
    return transaction


def _kenmerken_of(transaction: BankTransaction, links: BankCreditLinks) -> set[str]:
    """The invoices a transaction may have been booked on: the kenmerken it quotes, and for
    a return the one its original credit was booked on."""
    found = set(payment_references(transaction))
    for transfer_id in transaction.transfer_ids if transaction.is_return else ():
        link = links.find_bank_credit(transaction.account_iban, transfer_id)
        if link is not None:
            found.add(link.reference)  # a split credit's first part, then the others
            found.update(kenmerk for kenmerk, _ in link.parts)
    return found


def unmatched_key(day: date, statement_key: str) -> str:
    return _key_for(UNMATCHED_PREFIX, day, statement_key)


def _key_for(prefix: str, day: date, statement_key: str) -> str:
    """{prefix}/{day}/{the file's path under camt053/, without .xml}.json: two banks'
    statements of one name in two folders (camt053/ing/statement.xml and
    camt053/abn/statement.xml) each keep their list (R12, R34). Each folder and the name
    of safe characters only; a path with an empty, "." or ".." part is named by its file
    alone, so no name leaves the day's folder."""
    path = PurePosixPath(statement_key)
    folders = statement_key.removeprefix(STATEMENTS_PREFIX).split("/")[:-1]
    if any(folder in ("", ".", "..") for folder in folders):
        folders = []
    parts = [*folders, path.stem]
    name = "/".join(_UNSAFE_IN_KEY.sub("-", part) or "statement" for part in parts)
    return f"{prefix}/{day.isoformat()}/{name}.json"


def source_id(transaction: BankTransaction) -> str:
    """The id a bank payment is booked under: unique per account, the same on every import."""
    return f"{transaction.account_iban}/{transaction.entry_reference}"


# --- one transaction -----------------------------------------------------------------------


def _import(
    statement: BankStatement,
    transaction: BankTransaction,
    ctx: BankImportContext,
    report: BankImportReport,
) -> None:
    if transaction.currency != CURRENCY:
        _unmatched(report, statement, transaction, UnmatchedReason.OTHER_CURRENCY)
    elif _own_transfer(statement, transaction, ctx, report):
        return
    elif transaction.is_return:
        _reverse(statement, transaction, ctx, report)
    elif transaction.direction is Direction.DEBIT:
        report.other_debits.append(_line(statement, transaction, UnmatchedReason.OTHER_DEBIT))
    elif transaction.reversal:
        _unmatched(report, statement, transaction, UnmatchedReason.REVERSED_DEBIT)
    elif _booked_under_another_key(transaction, ctx):
        report.duplicates += 1
    else:
        _book(statement, transaction, ctx, report)


def _booked_under_another_key(transaction: BankTransaction, ctx: BankImportContext) -> bool:
    """The same transfer booked before under another entry reference: a statement that
    lists it with the bank's AcctSvcrRef and an overlapping one that lists it without
    (keyed by its TxId or NtryRef there). The bank's TxId and the amount tell (R12:
    duplicates are ignored); the payer's EndToEndId does not, a payer may repeat it."""
    if not transaction.transaction_id:
        return False
    link = ctx.links.find_bank_credit(transaction.account_iban, transaction.transaction_id)
    return (
        link is not None
        and link.source_id != source_id(transaction)
        and link.amount_cents == transaction.amount_cents
    )


def _own_transfer(
    statement: BankStatement,
    transaction: BankTransaction,
    ctx: BankImportContext,
    report: BankImportReport,
) -> bool:
    if ctx.batches is None:
        return False
    now, upload = ctx.clock.now(), ctx.upload_fingerprint
    match = match_own_transfer(transaction, ctx.batches, ctx.store, now, upload)
    if match is None:
        return False
    transfer_id = match.transfer.end_to_end_id
    # A retry's entry counts once on its list (the entry twice in the file: a duplicate);
    # a debit and its return in one upload each count on their own (R3, R12).
    booked = match.outcome is OwnTransferOutcome.BOOKED
    counted = transfer_id in (report.transfers_booked if booked else report.transfers_returned)
    if match.outcome is OwnTransferOutcome.DUPLICATE or (match.again and counted):
        report.duplicates += 1
    elif booked:
        report.transfers_booked.append(transfer_id)
    else:
        report.transfers_returned.append(transfer_id)
        if match.batch.kind is BatchKind.REFUND:
            reason = UnmatchedReason.REFUND_RETURNED
            _unmatched(report, statement, transaction, reason, match.transfer.invoice_reference)
    return True


def _book(
    statement: BankStatement,
    transaction: BankTransaction,
    ctx: BankImportContext,
    report: BankImportReport,
) -> None:
    kenmerk = payment_reference(transaction)
    several = () if kenmerk else payment_references(transaction)
    if len(several) > 1:
        _book_as_designated(statement, transaction, several, ctx, report)
        return
    if kenmerk is None:
        _unmatched(report, statement, transaction, UnmatchedReason.NO_REFERENCE)
        return
    payment = IncomingPayment(
        "bank",
        source_id(transaction),
        transaction.amount_cents,
        _received_at(transaction.booking_date),
        ctx.upload_fingerprint,
    )
    try:
        result = _booked(kenmerk, payment, ctx)
    except NotFound:
        _unmatched(report, statement, transaction, UnmatchedReason.UNKNOWN_REFERENCE, kenmerk)
        return
    except RemittanceExceeds:  # the agency's transfer, but more than it told us: a person
        _unmatched(report, statement, transaction, UnmatchedReason.REMITTANCE_EXCEEDS, kenmerk)
        return
    # Also on a duplicate: a crash after booking must not leave the link unwritten.
    _remember(transaction, ((kenmerk, transaction.amount_cents),), ctx)
    report.count(result, transaction, "booked", upload=payment.request_fingerprint)


def _remember(
    transaction: BankTransaction, parts: tuple[tuple[str, int], ...], ctx: BankImportContext
) -> None:
    ids = transaction.transfer_ids if len(parts) < 2 else _split_link_ids(transaction)
    remember_credit(
        ctx.links, transaction.account_iban, ids, source_id=source_id(transaction), parts=parts
    )


def _split_link_ids(transaction: BankTransaction) -> tuple[str, ...]:
    """The ids a transfer split over several kenmerken keeps its parts under: its
    transfer ids, which a return repeats (R12); without a TxId or EndToEndId, its own
    entry reference, which only a run of its import reads again (``_designated_before``),
    so a retry after a stop between the parts still finds them (R3, R28)."""
    return transaction.transfer_ids or (f"{ENTRY_LINK}{transaction.entry_reference}",)


def _booked(kenmerk: str, payment: IncomingPayment, ctx: BankImportContext) -> BookingResult:
    return book_payment(
        ctx.store,
        kenmerk,
        payment,
        clock=ctx.clock,
        delivery=ctx.delivery,
        agency_files=ctx.files,
        interest=ctx.interest,
    )


def _book_as_designated(
    statement: BankStatement,
    transaction: BankTransaction,
    kenmerken: tuple[str, ...],
    ctx: BankImportContext,
    report: BankImportReport,
) -> None:
    """One transfer quoting several kenmerken: each invoice gets what it owed on the
    booking date, when that is the whole amount (legal-nl.md §5: the payer's designation
    decides); any other amount, or a kenmerk no invoice has, is for a person to split.
    Each part is ``bank:{source id}`` on its invoice, as an operator's split books it, so
    a second import (or a retry after a crash between the parts) books each part once;
    the transfer ids link every part, so the bank's return of it undoes each (R12). The
    link is written before the first part is booked: a run that stops between the parts
    (a crash, a ConcurrentChange its retries did not get past) is retried with the parts
    it designated, though another write changed what an invoice owes since (R3, R28)."""
    parts = _designated_before(transaction, ctx) or _designated_parts(transaction, kenmerken, ctx)
    if parts is None:
        reason, named = UnmatchedReason.SEVERAL_KENMERKEN, ", ".join(kenmerken)
        _unmatched(report, statement, transaction, reason, named)
        return
    _remember(transaction, tuple(parts), ctx)  # also on a duplicate, as _book
    at, upload = _received_at(transaction.booking_date), ctx.upload_fingerprint
    for kenmerk, cents in parts:
        payment = IncomingPayment("bank", source_id(transaction), cents, at, upload)
        result = _booked(kenmerk, payment, ctx)
        report.count(result, transaction, "booked", cents, upload=upload)


def _designated_before(
    transaction: BankTransaction, ctx: BankImportContext
) -> list[tuple[str, int]] | None:
    """The parts this entry was split in before (by a run of the import, or an operator's
    split), as its link remembers them; None when it was not split."""
    for transfer_id in _split_link_ids(transaction):
        link = ctx.links.find_bank_credit(transaction.account_iban, transfer_id)
        if link is not None and link.source_id == source_id(transaction) and link.parts:
            return list(link.parts)
    return None


def _designated_parts(
    transaction: BankTransaction, kenmerken: tuple[str, ...], ctx: BankImportContext
) -> list[tuple[str, int]] | None:
    """(kenmerk, cents) per invoice, or None when the amount is not exactly what they
    owed together on the booking date. A part booked already (the same statement read
    again) counts with what it booked, the others with what they owe."""
    invoices = [ctx.store.find_invoice_by_reference(kenmerk) for kenmerk in kenmerken]
    key = payment_id("bank", source_id(transaction))
    parts: list[tuple[str, int]] = []
    for invoice in invoices:
        if invoice is None:
            return None
        booked = paid_under(invoice, key)
        cents = booked or owed_on(invoice, transaction.booking_date, interest=ctx.interest)
        if cents <= 0:
            return None
        parts.append((invoice.reference, cents))
    return parts if sum(cents for _, cents in parts) == transaction.amount_cents else None


def paid_under(invoice: Invoice, key: str) -> int:
    """What the payment ``key`` paid on the invoice; 0 while it is not booked there: a
    part of a split credit, read by a retry of its import and by an operator's match."""
    entries = invoice.ledger
    return -sum(e.amount_cents for e in entries if e.kind is EntryKind.PAYMENT and e.cause == key)


def _reverse(
    statement: BankStatement,
    transaction: BankTransaction,
    ctx: BankImportContext,
    report: BankImportReport,
) -> None:
    original = _original_of(transaction, ctx)
    if isinstance(original, UnmatchedReason):
        _unmatched(report, statement, transaction, original)
        return
    at = _received_at(transaction.booking_date)
    read = _reversible_whole(original, transaction, at, ctx.store)
    if read is None:
        reason, named = UnmatchedReason.RETURN_NOT_BOOKABLE, ", ".join(original.kenmerken)
        _unmatched(report, statement, transaction, reason, named)
        return
    for kenmerk, cents in original.parts:
        try:
            result = book_reversal(
                ctx.store,
                kenmerk,
                original_source_id=original.source_id,
                reversal_id=source_id(transaction),
                amount_cents=cents,
                clock=ctx.clock,
                at=at,
                invoice=read.get(kenmerk),
                request_fingerprint=ctx.upload_fingerprint,
            )
        except (NotFound, UnknownPayment, ValueError):
            _unmatched(report, statement, transaction, UnmatchedReason.RETURN_NOT_BOOKABLE, kenmerk)
            return
        report.count(result, transaction, "reversed", cents, upload=ctx.upload_fingerprint)


def _reversible_whole(
    original: _Original, transaction: BankTransaction, at: datetime, store: BillingStore
) -> dict[str, Invoice] | None:
    """A split credit's return undoes every part or none (``split_return_reads``); a
    credit booked whole is checked as it is booked (``book_reversal``): {}."""
    if len(original.parts) == 1:
        return {}
    returned = (source_id(transaction), transaction.amount_cents)
    return split_return_reads(store, original.source_id, original.parts, returned, at)


def split_return_reads(
    store: BillingStore,
    original_source_id: str,
    parts: tuple[tuple[str, int], ...],
    returned: tuple[str, int],
    at: datetime,
) -> dict[str, Invoice] | None:
    """A split credit's return (its source id, its cents) undoes every part or none
    (R12): the parts together are exactly what came back, and each is still there to
    undo (or undone by this return: a statement read again, an operator's match). Which
    part a return of another amount is for is not ours to guess. Read by the import and
    by an operator's match of a return the import listed (services/operator/money.py).

    The invoices read for the check, by kenmerk, so that the booking does not read them
    again; None when the return undoes no part."""
    reversal_id, amount_cents = returned
    if sum(cents for _, cents in parts) != amount_cents:
        return None
    read: dict[str, Invoice] = {}
    for kenmerk, cents in parts:
        invoice = store.find_invoice_by_reference(kenmerk)
        if invoice is None:
            return None
        try:
            apply_reversal(invoice, original_source_id, reversal_id, cents, at)
        except (UnknownPayment, ValueError):
            return None
        read[kenmerk] = invoice
    return read


def remember_credit(
    links: BankCreditLinks,
    account_iban: str,
    transfer_ids: tuple[str, ...],
    *,
    source_id: str,
    parts: tuple[tuple[str, int], ...],
) -> None:
    """A credit booked as ``bank:{source_id}``, (kenmerk, cents) per invoice in ``parts``
    (one, or several when it was split, legal-nl.md §5), found again by the transfer ids
    a return of it repeats (R12): written by the import for what it books, and by an
    operator's match for what it could not."""
    (reference, _), *more = parts
    amount_cents = sum(cents for _, cents in parts)
    split = parts if more else ()
    for transfer_id in transfer_ids:
        link = BankCreditLink(account_iban, transfer_id, source_id, reference, amount_cents, split)
        links.remember_bank_credit(link)


@dataclass(frozen=True, slots=True)
class _Original:
    source_id: str  # what it was booked as
    parts: tuple[tuple[str, int], ...]  # (kenmerk, cents to undo there) per invoice

    @property
    def kenmerken(self) -> list[str]:
        return [kenmerk for kenmerk, _ in self.parts]


def _original_of(
    transaction: BankTransaction, ctx: BankImportContext
) -> _Original | UnmatchedReason:
    """The booked credit this return undoes: by TxId first (unique per bank), then
    EndToEndId; a quoted kenmerk that disagrees with it means a person should look. A
    credit booked whole gives back what the return says (all, or part of it); a split
    one each of its parts. Without a link, by the kenmerk it quotes and its amount.
    An id several credits carry (``shared``: a payer's software that repeats its
    EndToEndId) traces none of them: without a kenmerk that does, which one came back
    is for a person (R12, R34), never the first credit's guess. Why none, when none."""
    quoted = payment_reference(transaction)
    shared = False
    for transfer_id in transaction.transfer_ids:
        link = ctx.links.find_bank_credit(transaction.account_iban, transfer_id)
        if link is None:
            continue
        if link.shared:
            shared = True
            continue
        parts = link.parts or ((link.reference, transaction.amount_cents),)
        agrees = quoted is None or any(kenmerk == quoted for kenmerk, _ in parts)
        return (
            _Original(link.source_id, parts) if agrees else UnmatchedReason.RETURN_WITHOUT_ORIGINAL
        )
    found = _by_kenmerk_and_amount(transaction, quoted, ctx.store) if quoted else None
    if found is not None:
        return found
    return (
        UnmatchedReason.RETURN_TRANSFER_ID_SHARED
        if shared
        else UnmatchedReason.RETURN_WITHOUT_ORIGINAL
    )


def _by_kenmerk_and_amount(
    transaction: BankTransaction, kenmerk: str, store: BillingStore
) -> _Original | None:
    """The one bank payment on the quoted invoice of exactly the return's amount, none of
    it reversed yet (or the one this return reversed before: a statement read again).
    None, or two such payments, is for a person to decide (R12)."""
    invoice = store.find_invoice_by_reference(kenmerk)
    if invoice is None:
        return None
    amount = transaction.amount_cents
    before = reversed_by(invoice, source_id(transaction))
    if before is not None:
        return _Original(before, ((invoice.reference, amount),))
    same = [p for p in bank_payments(invoice) if p.paid_cents == p.left_cents == amount]
    return _Original(same[0].source_id, ((invoice.reference, amount),)) if len(same) == 1 else None


@dataclass(frozen=True, slots=True)
class BankPayment:
    """A bank payment booked on an invoice: what it paid, and what no reversal undid yet."""

    source_id: str
    paid_cents: int
    left_cents: int


def bank_payments(invoice: Invoice) -> list[BankPayment]:
    """The invoice's bank payments, in the order booked: what a returned transfer that no
    link traces may reverse (R12), here or by an operator's match."""
    prefix = payment_id("bank", "")
    paid: dict[str, int] = {}
    for entry in invoice.ledger:
        if entry.kind is EntryKind.PAYMENT and entry.cause.startswith(prefix):
            paid[entry.cause] = paid.get(entry.cause, 0) - entry.amount_cents
    return [
        BankPayment(key.removeprefix(prefix), cents, sum(reversible(invoice, key).values()))
        for key, cents in paid.items()
    ]


def _received_at(booking_date: date) -> datetime:
    """The bank's booking date is the day the money was received (interest runs up to,
    not including, that day: legal-nl.md §4); the hour is unknown, so its start."""
    return start_of_day(booking_date)


def _unmatched(
    report: BankImportReport,
    statement: BankStatement,
    transaction: BankTransaction,
    reason: UnmatchedReason,
    kenmerk: str = "",
) -> None:
    report.unmatched.append(_line(statement, transaction, reason, kenmerk))


def _line(
    statement: BankStatement,
    transaction: BankTransaction,
    reason: UnmatchedReason,
    kenmerk: str = "",
) -> UnmatchedLine:
    return UnmatchedLine(
        statement_id=statement.statement_id,
        entry_reference=transaction.entry_reference,
        booking_date=transaction.booking_date.isoformat(),
        direction=transaction.direction.value,
        amount_cents=transaction.amount_cents,
        currency=transaction.currency,
        reason=reason.value,
        kenmerk=kenmerk,
        remittance_text=transaction.remittance_text,
        counterparty_name=transaction.counterparty_name,
        counterparty_iban=transaction.counterparty_iban,
        source_id=source_id(transaction),
        transfer_ids=transaction.transfer_ids,
        transaction_id=transaction.transaction_id,
    )


def _unmatched_json(report: BankImportReport) -> bytes:
    document = {
        "statement_key": report.statement_key,
        "statements": report.statements,
        "lines": [asdict(line) for line in report.unmatched],
        "debits": [asdict(line) for line in report.other_debits],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
