"""Use case: the collection agency reports back on the claims handed over to it (R19, R22,
R27; issue #5 part 5). The file format is in README.md, "Collection agency: handover and
report-back".

The agency uploads a CSV file to the bank bucket under ``collection-reports/``; per row:

- ``paid``: the agency collected ``amount_cents`` for the claim with this betalingskenmerk.
  It is booked as a payment with source ``agency`` (payments.book_payment: interest up to
  ``paid_on`` first, then costs -> interest -> principal). Less than is due leaves the
  claim open at the agency. What a stop or coulance dated after ``paid_on`` forgave of
  what it paid is the patient's credit (R13, R21).
- ``settled``: the agency closes the claim without (more) money. What is still open is
  written off: a STOP entry per open component with cause ``agency:<agency_ref>`` (R27),
  the same kind as a provider's full stop, so statements and figures treat both as money
  that will not come.

A claim with nothing left to pay no longer blocks the patient (R22): the block store
releases it, and the change shows in the provider's blocked-patients changes.

Each row is done once per invoice and ``agency_ref`` (the id is kept in the invoice's
``applied_payments``): a file uploaded again books nothing twice. Rows that cannot be
booked (unknown reference, a claim that is not with the agency, a malformed row) are
refused and listed; the other rows go on. A file that is not this format is refused as a
whole. The result, booked and refused rows, goes to the output bucket under
``collection-reports/{day}/{file}.json``: betalingskenmerken and agency references only,
no personal data (R29).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any, Final

from billing_core.collection.blocking import release_settled_claim
from billing_core.dunning.interest import accrued_interest
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry, balance
from billing_core.invoices.updates import recorded_now, save_change
from billing_core.payments.booking import (
    ExceedsAmountDue,
    IncomingPayment,
    InterestAccrual,
    book_payment,
    payment_id,
)
from billing_core.ports import BillingStore, FileStore
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.clock import AMSTERDAM, Clock, start_of_day
from billing_core.shared.reports import LogEntry

UPLOAD_PREFIX = "collection-reports/"  # in the bank bucket: the agency's files
RESULT_PREFIX = "collection-reports"  # in the output bucket: what we made of them
# Each version of a file its import finished, marked with its answer (counts and keys): a
# delivery of it again, however late, is answered from it, its refused rows not counted
# and alarmed again, no second result written (R3, R39; entrypoints/finished_uploads.py).
FINISHED_PREFIX = "collection-reports/finished/"
DELIVERED_AGAIN = "collection report delivered again: its result stands"
COLUMNS = ("reference", "agency_ref", "status", "amount_cents", "paid_on")
MAX_REPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_AMOUNT_CENTS = 10_000_000  # 100,000 euro: far above any patient's claim, a typo guard
WRITE_OFF_NOTE = "settled by the collection agency"
SOURCE: Final = "agency"
_AGENCY_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
_UNSAFE_IN_KEY = re.compile(r"[^A-Za-z0-9._-]+")


class AgencyStatus(StrEnum):
    PAID = "paid"  # money collected
    SETTLED = "settled"  # closed without (more) money: written off


class RowOutcome(StrEnum):
    BOOKED = "booked"  # a paid row: the payment is in the ledger
    WRITTEN_OFF = "written_off"  # a settled row: what was open is written off
    DUPLICATE = "duplicate"  # this agency_ref was done on this claim before: nothing changed
    REFUSED = "refused"


class RefusalReason(StrEnum):
    INVALID_ROW = "invalid_row"
    DUPLICATE_IN_FILE = "duplicate_in_file"  # the same agency_ref twice in one file
    UNKNOWN_REFERENCE = "unknown_reference"
    NOT_WITH_AGENCY = "not_with_agency"  # the claim was never handed over to the agency
    # paid_on before the invoice was issued: a typo, nobody paid a bill not yet sent. A date
    # between the issue and the handover is booked by its date: a payment the patient made to
    # the practice and the agency forwards (legal-nl.md §2: one in the reminder's term undoes
    # the costs; an arrangement's term paid in its grace keeps it, R15)
    BEFORE_INVOICE = "before_invoice"
    # a paid row for more than the claim owed on paid_on: its surplus would be the patient's
    # credit, refunded from our account, of money the agency holds (audit agency2). What a
    # stop or coulance dated after paid_on forgave was owed then: booked, the patient's
    # credit (R13, R21; audit agency4)
    EXCEEDS_AMOUNT_DUE = "exceeds_amount_due"


class ReportRefused(ValueError):
    """The file as a whole is not a report-back file: nothing is booked."""


@dataclass(frozen=True, slots=True)
class AgencyRow:
    line: int  # in the file; the header is line 1
    reference: str
    agency_ref: str
    status: AgencyStatus
    amount_cents: int
    paid_on: date


@dataclass(frozen=True, slots=True)
class RowResult:
    line: int
    reference: str
    agency_ref: str
    status: str
    outcome: RowOutcome
    reason: str = ""  # a RefusalReason for a refused row
    detail: str = ""  # which field is wrong, for a person at the agency
    invoice_id: str = ""
    amount_cents: int = 0  # booked, or written off
    amount_due_cents: int | None = None  # still open on the claim afterwards
    claim_closed: bool = False  # nothing left to pay: it no longer blocks the patient (R22)

    @property
    def closed_now(self) -> bool:
        """Closed by this row in this import: not by an earlier import of it (a duplicate)."""
        return self.claim_closed and self.outcome in (RowOutcome.BOOKED, RowOutcome.WRITTEN_OFF)


@dataclass
class CollectionReportResult:
    source_key: str
    outcome: str = "imported"  # or "refused": nothing booked
    refusal: str = ""
    rows: list[RowResult] = field(default_factory=list)
    result_key: str = ""

    def count(self, outcome: RowOutcome) -> int:
        return sum(1 for row in self.rows if row.outcome is outcome)

    def summary(self) -> dict[str, Any]:
        """Counts and keys only: safe to log."""
        return {
            "outcome": self.outcome,
            "refusal": self.refusal,
            "rows": len(self.rows),
            **{outcome.value: self.count(outcome) for outcome in RowOutcome},
            "claims_closed": sum(1 for row in self.rows if row.closed_now),
            "refusal_reasons": sorted({row.reason for row in self.rows if row.reason}),
            "result_key": self.result_key,
            "note": self._done_before(),
        }

    def _done_before(self) -> str:
        """Dutch and English, when rows were done by an earlier import of them (R3, R34,
        R39): that nothing new was booked, as a retour or bank statement imported again
        says; "" otherwise."""
        again = self.count(RowOutcome.DUPLICATE)
        if not again:
            return ""
        if again == len(self.rows):
            return _said("agency_file_done_before")
        return _said("agency_rows_done_before", count=again, rows=len(self.rows))

    def log_entry(self) -> LogEntry:
        """Counts and keys only: the rows (betalingskenmerken) stay in the result file."""
        counts = {f"Agency_{outcome.value}": self.count(outcome) for outcome in RowOutcome}
        # AgencyReportRefusedAlarm: the agency only uploads, so a file refused whole or a row
        # refused (a claim left unpaid, its patient blocked: R22) waits for a person (R39).
        refused = self.outcome == "refused" or self.count(RowOutcome.REFUSED) > 0
        counts["Agency_report_refused"] = int(refused)
        if self.outcome == "refused":
            message = "collection report refused, nothing booked"
            return LogEntry(message, self.summary(), counts, error=True)
        return LogEntry("collection report imported", self.summary(), counts)

    def answer(self) -> dict[str, Any]:
        return self.summary()


@dataclass(frozen=True)
class CollectionReportContext:
    store: BillingStore
    files: FileStore
    clock: Clock
    interest: InterestAccrual = accrued_interest


def import_collection_report(
    data: bytes, source_key: str, ctx: CollectionReportContext
) -> CollectionReportResult:
    """Book every row of the agency's file that can be booked; the result is also stored."""
    result = CollectionReportResult(source_key)
    try:
        rows, refused = parse_report(data, today=ctx.clock.today())
    except ReportRefused as refusal:
        result.outcome, result.refusal = "refused", str(refusal)
    else:
        result.rows = sorted([*refused, *(_apply(row, ctx) for row in rows)], key=lambda r: r.line)
    return _stored(result, ctx)


def refuse_collection_report(
    source_key: str, reason: str, ctx: CollectionReportContext
) -> CollectionReportResult:
    """A file refused unread (too large): counted, alarmed and written where the operator
    looks, as one refused on reading (R39)."""
    return _stored(CollectionReportResult(source_key, outcome="refused", refusal=reason), ctx)


def _stored(result: CollectionReportResult, ctx: CollectionReportContext) -> CollectionReportResult:
    result.result_key = result_key(ctx.clock.now(), result.source_key)
    ctx.files.put(result.result_key, _result_json(result, ctx.clock.now()), "application/json")
    return result


def result_key(now: datetime, source_key: str) -> str:
    """One result per import, never overwritten: two agencies' folders may hold files of
    one name, and a file sent again the same day may differ; each result keeps its refused
    rows listed. The whole path below the upload folder, then the moment of the import."""
    below = source_key.removeprefix(UPLOAD_PREFIX)
    path = PurePosixPath(below)
    name = _UNSAFE_IN_KEY.sub("-", str(path.with_suffix("")).replace("/", "-")) or "report"
    moment = now.astimezone(AMSTERDAM)
    return f"{RESULT_PREFIX}/{moment.date().isoformat()}/{name}-{moment:%H%M%S}.json"


# --- one row ---------------------------------------------------------------------------------


def _apply(row: AgencyRow, ctx: CollectionReportContext) -> RowResult:
    invoice = ctx.store.find_invoice_by_reference(row.reference)
    if invoice is None:
        return _refused(row, RefusalReason.UNKNOWN_REFERENCE)
    if not invoice.is_with_collection_agency:
        return _refused(row, RefusalReason.NOT_WITH_AGENCY)
    if row.paid_on < invoice.issue_date:
        return _refused(row, RefusalReason.BEFORE_INVOICE, _before_invoice(row, invoice.issue_date))
    if row.status is AgencyStatus.PAID:
        return _book_paid(row, invoice, ctx)
    return _write_off(row, invoice, ctx)


def _book_paid(row: AgencyRow, invoice: Invoice, ctx: CollectionReportContext) -> RowResult:
    payment = IncomingPayment(SOURCE, row.agency_ref, row.amount_cents, _start_of(row.paid_on))
    try:
        booked = book_payment(
            ctx.store,
            row.reference,
            payment,
            clock=ctx.clock,
            agency_files=ctx.files,
            interest=ctx.interest,
            refuse_credit=True,
            found=invoice,  # one lookup per row, not two (agency50)
        )
    except ExceedsAmountDue as more:
        return _refused(row, RefusalReason.EXCEEDS_AMOUNT_DUE, _exceeds(row, more.due_cents))
    outcome = RowOutcome.BOOKED if booked.booked else RowOutcome.DUPLICATE
    return _done(row, outcome, booked.invoice, row.amount_cents if booked.booked else 0)


def _write_off(row: AgencyRow, invoice: Invoice, ctx: CollectionReportContext) -> RowResult:
    now = ctx.clock.now()
    at = min(_start_of(row.paid_on), now)

    def write_off(current: Invoice) -> Invoice:
        return apply_write_off(current, row.agency_ref, at)

    # Dated at the agency's day, recorded now: on the next statement, as a payment (R24).
    stored, changed = save_change(ctx.store, invoice, recorded_now(write_off, now))
    release_settled_claim(ctx.store, stored, ctx.clock)
    if not changed:
        return _done(row, RowOutcome.DUPLICATE, stored, 0)
    key = _key(row.agency_ref)
    written_off = -sum(
        e.amount_cents for e in stored.ledger if e.kind is EntryKind.STOP and e.cause == key
    )
    return _done(row, RowOutcome.WRITTEN_OFF, stored, written_off)


def apply_write_off(invoice: Invoice, agency_ref: str, at: datetime) -> Invoice:
    """The agency closed the claim without (more) money: everything still open is written
    off, a STOP entry per open component with cause ``agency:<agency_ref>`` (R27).

    Once per agency_ref (kept in ``applied_payments``, like a payment): the same row again
    returns the invoice unchanged. A claim with nothing open gets no entries, only the id.
    """
    key = _key(agency_ref)
    if key in invoice.applied_payments:
        return invoice
    entries = [
        LedgerEntry(EntryKind.STOP, component, -due, at, key, WRITE_OFF_NOTE)
        for component in (Component.COSTS, Component.INTEREST, Component.PRINCIPAL)
        if (due := balance(invoice.ledger, component)) > 0
    ]
    return invoice.with_entries(entries).with_applied_payment(key)


def _key(agency_ref: str) -> str:
    return payment_id(SOURCE, agency_ref)


def _start_of(day: date) -> datetime:
    """The agency's date is the day the money came in (interest runs up to, not including,
    that day: legal-nl.md §4); the hour is unknown, so its start."""
    return start_of_day(day)


def _done(row: AgencyRow, outcome: RowOutcome, invoice: Invoice, amount_cents: int) -> RowResult:
    return RowResult(
        line=row.line,
        reference=row.reference,
        agency_ref=row.agency_ref,
        status=row.status.value,
        outcome=outcome,
        invoice_id=invoice.invoice_id,
        amount_cents=amount_cents,
        amount_due_cents=invoice.amount_due_cents,
        claim_closed=invoice.is_paid,
    )


def _refused(row: AgencyRow, reason: RefusalReason, detail: str = "") -> RowResult:
    return RowResult(
        line=row.line,
        reference=row.reference,
        agency_ref=row.agency_ref,
        status=row.status.value,
        outcome=RowOutcome.REFUSED,
        reason=reason.value,
        detail=detail,
    )


def _before_invoice(row: AgencyRow, issued: date) -> str:
    """Dutch and English: the agency's file is read by a person there, and by our operator."""
    # Imported on this rare path only: the texts are not on the import's cold start.
    from billing_core.texts.practice import dutch_and_english

    return dutch_and_english(
        "agency_paid_before_invoice",
        line=row.line,
        paid_on=row.paid_on.isoformat(),
        issued=issued.isoformat(),
    )


def _exceeds(row: AgencyRow, due_cents: int) -> str:
    """Dutch and English, as ``_before_invoice``: what the claim owed on the row's day."""
    from billing_core.texts.practice import dutch_and_english

    return dutch_and_english(
        "agency_paid_exceeds_due",
        line=row.line,
        amount=row.amount_cents,
        due=due_cents,
        paid_on=row.paid_on.isoformat(),
    )


# --- the file ----------------------------------------------------------------------------------


def parse_report(data: bytes, *, today: date) -> tuple[list[AgencyRow], list[RowResult]]:
    """The rows that can be tried, and the rows refused as written. Raises ReportRefused
    when the file is not a report-back file at all."""
    reader = csv.reader(io.StringIO(_text(data), newline=""), delimiter=";", strict=True)
    # The last line of the rows read whole: a row is named by the line after it, where it
    # starts. A quoted field with a line break makes a row span lines, and a quote never
    # closed makes the reader fail at the file's end: either way the line to mend is the
    # one the row started on, not the reader's last (R40; words54, vektisedge55).
    read_whole = 0
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        if tuple(header) != COLUMNS:
            raise ReportRefused(_said("agency_file_header", columns=";".join(COLUMNS)))
        rows: list[AgencyRow] = []
        refused: list[RowResult] = []
        seen: set[tuple[str, str]] = set()
        read_whole = reader.line_num
        for values in reader:
            line, read_whole = read_whole + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(rows) + len(refused) >= MAX_ROWS:
                raise ReportRefused(_said("agency_file_too_many_rows", limit=MAX_ROWS))
            parsed = _row(line, values, today)
            if isinstance(parsed, RowResult):
                refused.append(parsed)
            elif (parsed.reference, parsed.agency_ref) in seen:
                refused.append(_refused(parsed, RefusalReason.DUPLICATE_IN_FILE))
            else:
                # Once per claim and agency_ref, as the booking is: an agency may name
                # several claims' rows by one remittance id.
                seen.add((parsed.reference, parsed.agency_ref))
                rows.append(parsed)
    except csv.Error as error:
        raise ReportRefused(_said("agency_file_unreadable", line=read_whole + 1)) from error
    return rows, refused


def _text(data: bytes) -> str:
    if len(data) > MAX_REPORT_BYTES:
        raise ReportRefused(_said("agency_file_too_large", limit=MAX_REPORT_BYTES))
    # The byte order mark apart, so that the first bad byte is counted in the file (R40).
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReportRefused(_not_utf8(data, bom + error.start)) from error


def _not_utf8(data: bytes, offset: int) -> str:
    """Its line and byte, as the declaration's FILE_NOT_UTF8 names them: a file of 1,000
    rows is otherwise searched by hand (R35, R40; words53). Imported on this rare path
    only, as the texts are: not on the import's cold start (#18 (d))."""
    from billing_core.shared.spreadsheet import line_of

    byte = f"0x{data[offset]:02X}"
    return _said("agency_file_not_utf8", line=line_of(data, offset), offset=offset, byte=byte)


def _row(line: int, values: list[str], today: date) -> AgencyRow | RowResult:
    cells = [value.strip() for value in values]
    raw = dict(zip(COLUMNS, cells + [""] * len(COLUMNS), strict=False))

    def invalid(code: str, **values: object) -> RowResult:
        # Each names its line: the reader of a file of 1,000 rows finds it (words53).
        return RowResult(
            line=line,
            reference=raw["reference"][:32],
            agency_ref=raw["agency_ref"][:64],
            status=raw["status"][:16],
            outcome=RowOutcome.REFUSED,
            reason=RefusalReason.INVALID_ROW.value,
            detail=_said(code, line=line, **values),
        )

    if len(cells) != len(COLUMNS):
        return invalid("agency_row_fields", count=len(cells), expected=len(COLUMNS))
    try:
        reference = betalingskenmerk.parse_ours(raw["reference"])
    except betalingskenmerk.InvalidReference:
        return invalid("agency_row_reference")
    if not _AGENCY_REF.match(raw["agency_ref"]):
        return invalid("agency_row_agency_ref")
    try:
        status = AgencyStatus(raw["status"].lower())
    except ValueError:
        return invalid("agency_row_status")
    amount = _amount(raw["amount_cents"], status)
    if amount is None:
        return invalid("agency_row_amount")
    try:
        paid_on = date.fromisoformat(raw["paid_on"])
    except ValueError:
        return invalid("agency_row_paid_on")
    if paid_on > today:
        return invalid("agency_row_future")
    return AgencyRow(line, reference, raw["agency_ref"], status, amount, paid_on)


def _said(code: str, **values: object) -> str:
    """Dutch and English, as ``_before_invoice``: what is wrong with a row or the file, for
    the person at the agency who corrects it and our operator (R39). Imported on this
    rare path only: the texts are not on the import's cold start (#18 (d))."""
    from billing_core.texts.practice import dutch_and_english

    return dutch_and_english(code, **values)


def _amount(text: str, status: AgencyStatus) -> int | None:
    if status is AgencyStatus.SETTLED:
        return 0 if text in ("", "0") else None
    if not text.isascii() or not text.isdigit():
        return None
    cents = int(text)
    return cents if 0 < cents <= MAX_AMOUNT_CENTS else None


def _result_json(result: CollectionReportResult, now: datetime) -> bytes:
    summary = result.summary()
    document = {
        "source_key": result.source_key,
        "processed_at": now.isoformat(),
        "outcome": result.outcome,
        "refusal": result.refusal,
        "note": summary["note"],
        "counts": {
            k: v
            for k, v in summary.items()
            if k not in ("outcome", "refusal", "result_key", "note")
        },
        "rows": [asdict(row) for row in result.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
