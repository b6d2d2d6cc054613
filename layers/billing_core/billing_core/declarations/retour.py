"""Use case: an insurer's retour file (PM305, MZ302) -> granted amounts on invoices (R5).

The provider uploads the insurer's answer to a declaration under
``retour/{provider_id}/{upload_id}/file`` (interfaces.md §1b). Per line it says what
the insurer granted, with retour codes. A line is found by its line reference, the same
claim marker that makes ingest idempotent (R3):

- a line on a patient invoice: its reimbursement becomes the granted amount, and the
  difference is a REIMBURSEMENT ledger entry (R27) caused by "retour:<file>", so the
  patient pays the rest. The amount is a target, not an increment: the same file again
  finds nothing to change, and a corrected retour later sets the corrected amount.
  The credit lines that reverse a line (vektis.md §1) follow it in the same change, in
  proportion as credit_corrections booked them, so a line and its reversal keep netting
  whatever the insurer grants; the retour's own amount for such a credit line is not
  applied (a warning says so when it differs).
  When the invoice was sent already, is not at the collection agency (which tells the
  patient, R22) and what the patient pays changed, its addressee is told the new amount
  (by e-mail, or on paper without an address that works: R7): one
  ``invoice_corrected`` confirmation per change, however often or at once the file is
  processed (R3). What a retour raises is money no invoice or letter asked yet: like an
  operator's correction that raises the amount (changes/correction.py, R34), it gets a
  new final payment date, the day of the retour plus the provider's payment term
  (legal-nl.md §7), until the costs are charged, so the patient is not in default, nor
  reminded, for it before then, and a reminder sent before asked the old amount and
  supports no costs (§2, dunning/letter_costs.reminder_superseded).
- a VGZ-group material that went to the insurer first and was not (fully) granted goes
  to the patient after all (legal-nl.md §6): a new invoice, addressed as the patient's
  other invoice of that declaration (the one the file has a line of, else the one the
  material's claim marker names), written together with its claim markers so it is
  made once.
- another insurer-bound line that was not granted is reported, not invoiced.
- an unknown line reference is reported, and so is a line whose copy of the declared
  amount (the retour copies the declaration's positions 1-310) is not our line's: an
  answer to another line, never applied (``_lines_declared_as_ours``).

The upload gets a declaration record (its reference block makes a retried run hand the
same betalingskenmerk to the same new invoice) and a report in the output bucket,
``reports/{provider}/retour-{upload_id}.json``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from billing_core.collection.blocking import block_follows_claim
from billing_core.correspondence.kinds import tell_invoice_corrected
from billing_core.declarations.claims import Claim, LineType, canonical_reference
from billing_core.declarations.credit_shares import credits_rerated, without_needless_forgiveness
from billing_core.declarations.findings import Finding, Outcome, Severity
from billing_core.declarations.record import DeclarationRecord
from billing_core.declarations.reports import (
    OtherVersionIgnored,
    UploadReport,
    counted_by_code,
    in_report_order,
)
from billing_core.declarations.retour_parts import (
    PROGRESS_GONE,
    RetourContinued,
    RetourParts,
    RetourProgress,
    keep_progress,
    patient_hash,
    progress_before,
)
from billing_core.declarations.rules.insurers import (
    InsurerRegisters,
    registers_in_use,
    shipped_registers,
)
from billing_core.declarations.upload import (
    IngestContext,
    Upload,
    UploadKeys,
    issue_invoices,
    parse_for,
    publish_report,
    start_record,
    with_reference_block,
)
from billing_core.declarations.vektis.retour_parser import (
    RetourLine,
    RetourParse,
    RetourRemark,
    parse_retour,
    without_repeated_references,
)
from billing_core.invoices.invoice import Invoice, InvoiceLine, InvoiceStatus
from billing_core.invoices.ledger import (
    RETOUR,
    Component,
    EntryKind,
    LedgerEntry,
    balance,
    is_retour,
)
from billing_core.invoices.updates import Change, by_request, save_change
from billing_core.ports import DeliveryRequest, KnownClaim, NewInvoice
from billing_core.providers.provider import Provider
from billing_core.shared.bulk import cycle_collection_paused
from billing_core.shared.money import euro_params
from billing_core.shared.reports import DeliveredAgain, LogEntry

if TYPE_CHECKING:
    from billing_core.declarations.invoicing import InvoiceDraft


class LineResult(StrEnum):
    """What became of one retour line (the report's ``lines[].result``)."""

    APPLIED = "applied"  # the invoice's reimbursement changed
    # It already was the granted amount, or the upload applied nothing (an earlier upload
    # of the same bytes applied them: R3).
    UNCHANGED = "unchanged"
    INVOICED_TO_PATIENT = "invoiced_to_patient"  # a rejected VGZ-group material
    INSURER_LINE = "insurer_line"  # the insurer's to pay; not on a patient invoice
    UNKNOWN = "unknown"
    # Left out: the insurer's copy of the declared amount is not our line's (vektis.md §1).
    DECLARED_AMOUNT_DIFFERS = "declared_amount_differs"


retour_upload_from_key = UploadKeys("retour").upload_at


def retour_report_key(provider_id: str, declaration_id: str) -> str:
    return f"reports/{provider_id}/retour-{declaration_id}.json"


@dataclass(frozen=True, slots=True)
class RetourSummary:
    """The counts and amounts of one applied retour file (R5), for the report and the log."""

    lines: int
    lines_applied: int
    lines_unchanged: int
    lines_invoiced_to_patient: int
    lines_insurer: int
    lines_unknown: int
    lines_granted_blank: int  # left out: a blank granted amount is a finding, never a zero
    lines_repeated: int  # left out: a line reference the file answers more than once
    lines_declared_amount_differs: int  # left out: the copy's declared amount is not ours
    lines_not_assessed: int  # left out: the insurer says it did not assess the line
    invoices_changed: int
    invoices_created: int
    reimbursement_change_cents: int  # what the patients owe less (negative: more)
    granted_cents: int


class RetourLineReport(NamedTuple):
    """Per line what the insurer said and what became of it: refs and amounts only. A
    NamedTuple for the retour import's cold start (as ``RetourRemark``)."""

    line: int
    claim_ref: str
    granted_cents: int
    retour_codes: tuple[str, ...]
    result: str  # a LineResult, or "" when the file was rejected
    invoice_id: str

    def as_dict(self) -> dict[str, Any]:
        return self._asdict() | {"retour_codes": list(self.retour_codes)}


@dataclass(frozen=True, slots=True, kw_only=True)
class RetourReport(UploadReport[RetourSummary]):
    """What a retour file changed: ``reports/{provider}/retour-{upload}.json``."""

    LOG_MESSAGE: ClassVar[str] = "retour applied"

    lines: tuple[RetourLineReport, ...]
    retour_codes: tuple[RetourRemark, ...] = ()  # every retourcode, at its level (issue 15)
    # The runs that applied the file (retour_parts): said in the log, not in the report,
    # which is the same however many parts it took.
    parts: int = 1

    def log_entry(self) -> LogEntry:
        entry = UploadReport.log_entry(self)
        if self.stopped_half_way:
            # The parts stopped half-way: an operator sees it (RetourProgressGoneAlarm).
            counts = {**entry.counts, "Retour_progress_gone": 1}
            message = "retour stopped: its progress is gone"
            return LogEntry(message, entry.fields, counts, error=True)
        return replace(entry, fields={**entry.fields, "parts": self.parts})

    @property
    def stopped_half_way(self) -> bool:
        """Its parts stopped half-way (R5, R39): rejected, yet what its earlier parts
        booked stays; uploading the file again finishes it."""
        return PROGRESS_GONE in self.finding_counts

    def _kind(self) -> dict[str, str]:
        return {"kind": "retour"}

    def _lines(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "lines": [line.as_dict() for line in self.lines],
            "retour_codes": [remark.as_dict() for remark in self.retour_codes],
        }

    def _counts(self) -> dict[str, int]:
        summary = self.summary
        return {
            "Retour_lines": summary.lines,
            "Retour_lines_applied": summary.lines_applied,
            "Retour_lines_unknown": summary.lines_unknown,
            "Retour_invoices_created": summary.invoices_created,
        }


def with_granted(invoice: Invoice, granted: Mapping[str, int], at: datetime, cause: str) -> Invoice:
    """The invoice with each line's reimbursement set to what the insurer granted (never
    more than the line, never past zero), one ledger entry per changed line; the same
    invoice when nothing changes. Pure: safe to apply again after a concurrent write.

    A credit line of a line on the invoice (vektis.md §1) follows that line, whatever the
    retour says of the credit itself: re-rated with it, so the patient never pays for a
    reversed treatment nor gets credit for it (R5). What a stop or coulance forgave follows
    the grant (``_forgiveness_following_the_grant``)."""
    targets = _reimbursement_targets(invoice, granted)
    lines, entries = [], []
    for line in invoice.lines:
        target = targets.get(line.claim_ref, line.reimbursed_cents)
        if target == line.reimbursed_cents:
            lines.append(line)
            continue
        # A deduction is negative in the ledger: more granted lowers what the patient owes.
        change = -(target - line.reimbursed_cents)
        note = _grant_note(line)
        entries.append(
            LedgerEntry(EntryKind.REIMBURSEMENT, Component.PRINCIPAL, change, at, cause, note)
        )
        lines.append(replace(line, reimbursed_cents=target))
    if not entries:
        return invoice
    rerated = replace(invoice, lines=tuple(lines)).with_entries(entries)
    return _forgiveness_following_the_grant(rerated, at, cause)


def _grant_note(line: InvoiceLine) -> str:
    """The note of the entry that re-rates ``line``: it names the line, so a retry finds
    each line's reimbursement before its own change (``_before_own_change``)."""
    if line.reverses_claim_ref:
        return f"credit line {line.claim_ref} reverses line {line.reverses_claim_ref}"
    return f"line {line.claim_ref}"


def _forgiveness_following_the_grant(invoice: Invoice, at: datetime, cause: str) -> Invoice:
    """A stop or coulance (R21) forgave part of what the insurer now pays: that part is
    booked back (``without_needless_forgiveness``), or the patient would be paid back
    money they never paid (R13). A later retour that grants less again (a corrected file)
    forgives it again, up to the principal open, so the patient never owes more than the
    practice's stop left them."""
    invoice = without_needless_forgiveness(invoice, at, cause, "granted by the insurer")
    open_principal = balance(invoice.ledger, Component.PRINCIPAL)
    entries = []
    for kind in (EntryKind.COULANCE, EntryKind.STOP):
        booked_back = sum(
            e.amount_cents for e in invoice.ledger if e.kind is kind and is_retour(e.cause)
        )
        again = min(open_principal, booked_back)
        if again > 0:
            note = "granted less by the insurer: forgiven again"
            entries.append(LedgerEntry(kind, Component.PRINCIPAL, -again, at, cause, note))
            open_principal -= again
    return invoice.with_entries(entries) if entries else invoice


def _reimbursement_targets(invoice: Invoice, granted: Mapping[str, int]) -> dict[str, int]:
    """The new reimbursement of each line the retour names (its granted amount, bounded),
    and of the credit lines of those lines, re-rated with them (credits_rerated). A
    retour line of a credit line re-rates it from the line it reverses."""
    following = _following_credits(invoice)
    targets: dict[str, int] = {}
    rerated: set[str] = set()  # the lines whose credit lines follow them now
    for line in invoice.lines:
        amount = granted.get(line.claim_ref)
        if amount is None:
            continue
        if line.claim_ref in following:
            rerated.add(line.reverses_claim_ref)
        else:
            targets[line.claim_ref] = _bounded(amount, line.amount_cents)
            rerated.add(line.claim_ref)
    for line in invoice.lines:
        if line.claim_ref in rerated:
            now = replace(line, reimbursed_cents=targets.get(line.claim_ref, line.reimbursed_cents))
            targets.update(credits_rerated(invoice, now))
    return targets


def _following_credits(invoice: Invoice) -> set[str]:
    """The credit lines of lines on this invoice: their reimbursement follows that line's."""
    on_invoice = {line.claim_ref for line in invoice.lines}
    return {line.claim_ref for line in invoice.lines if line.reverses_claim_ref in on_invoice}


def apply_retour_upload(
    upload: Upload, data: bytes, ctx: IngestContext, parts: RetourParts | None = None
) -> RetourReport | RetourContinued | OtherVersionIgnored | DeliveredAgain:
    """Only the first object ``version`` of an upload is applied, as for a declaration
    (issue 13 item 1), and only once: its notification delivered again after its report
    was published is answered with that report's outcome (R3, ``DeliveredAgain``).
    With ``parts`` (the function's run), a run whose time runs out stops between two
    invoices and answers ``RetourContinued``; the part that does the last one reports the
    whole file (retour_parts)."""
    record = start_record(upload, ctx, finished_stands=True)
    if not isinstance(record, DeclarationRecord):
        return record
    upload = upload.as_registered(record)
    provider_id = upload.provider_id
    provider = ctx.store.get_provider(provider_id)
    if provider is None:
        finding = Finding("UNKNOWN_PROVIDER", Severity.FILE, params={"provider": provider_id})
        return _write_report(upload, record, _Run.rejected("", [finding]), ctx)
    before = progress_before(parts, provider_id, upload.declaration_id)
    if isinstance(before, Finding):  # the parts cannot go on: said, never a silent stop (R39)
        return _write_report(upload, record, _Run.rejected("", [before]), ctx)
    insurers = registers_in_use(ctx.registers)
    with cycle_collection_paused():
        parsed = parse_for(provider, parse_retour, data, insurers, ctx)
    if parsed.file_rejected:
        return _write_report(upload, record, _Run.rejected(parsed.format, parsed.findings), ctx)
    run = _Run(parsed, insurers, before=before)
    digest = hashlib.sha256(data).hexdigest()
    first = ctx.store.retour_applied(provider_id, digest)
    if first is not None and first[0] != upload.declaration_id:
        _already_applied(run, *first)
        return _write_report(upload, record, run, ctx)
    as_written = ctx.store.known_claims(provider_id, (line.claim_ref for line in parsed.lines))
    known = _known_without_leading_zeros(run, as_written, provider_id, ctx)
    continued = _apply_to_invoices(run, known, upload, provider, ctx, parts)
    if continued is not None:
        return continued
    record = _invoice_rejected_materials(run, known, provider, record, ctx)
    summary = _summary(run)
    _warn_no_line_ours(run, summary)
    if _outcome(run, summary) is not Outcome.REJECTED and not summary.lines_unknown:
        # After every line: a run that dies before here is retried and finishes the file
        # (the amounts are targets); a later upload of these bytes applies nothing (R3).
        # A file with a line not declared yet stays unmarked: RETOUR_LINE_UNKNOWN tells the
        # practice to declare it, and the same file again then applies that line.
        ctx.store.mark_retour_applied(provider_id, digest, upload.declaration_id, ctx.clock.now())
    return _write_report(upload, record, run, ctx, summary)


def _resumed(run: _Run) -> int:
    """The first invoice this part does: what the parts before it did (``run.before``) is
    taken into ``run`` (their lines' results, findings and counts); 0 for a run in one part."""
    progress = run.before
    if progress.invoices_done:
        run.results, run.findings = progress.results, progress.findings
        run.change_cents, run.invoices_changed = progress.change_cents, progress.invoices_changed
    return progress.invoices_done


def _stopped(
    run: _Run, upload: Upload, done: int, total: int, ctx: IngestContext
) -> RetourContinued:
    """Time is nearly up after ``done`` invoices: what the run did so far is kept for
    the next part (retour_parts), and the answer says how far it is."""
    before = run.before
    made = [i for i, inv in run.invoices.items() if inv.declaration_id == upload.declaration_id]
    changed = [(i, inv) for i, inv in run.invoices.items() if i not in made]
    progress = RetourProgress(
        invoices_done=done,
        parts=before.parts + 1,
        results=run.results,
        findings=run.findings,
        change_cents=run.change_cents,
        invoices_changed=run.invoices_changed,
        ours=[*before.ours, *made],
        patients={
            **{patient_hash(inv.patient_ref, inv.bsn): i for i, inv in reversed(changed)},
            **before.patients,  # the first invoice of the file wins (_patients_invoices)
        },
    )
    keep_progress(ctx.files, upload.provider_id, upload.declaration_id, progress)
    return RetourContinued(upload.declaration_id, upload.provider_id, done, total, progress.parts)


def _warn_no_line_ours(run: _Run, summary: RetourSummary) -> None:
    """Every line of the file unknown (R1): said once for the file as well, with what it
    may be, above its RETOUR_LINE_UNKNOWN per line. Not when a line was left out unread
    (granted amount blank, reference repeated): it may be ours."""
    if summary.lines and summary.lines_unknown == summary.lines:
        run.findings.append(
            Finding("RETOUR_NO_LINE_OURS", Severity.WARNING, params={"count": summary.lines})
        )


def _known_without_leading_zeros(
    run: _Run, known: Mapping[str, KnownClaim], provider_id: str, ctx: IngestContext
) -> Mapping[str, KnownClaim]:
    """R3, R40: an all-digit claim ref of a CSV upload is stored without its leading zeros
    (canonical_reference: Excel's 1 and the export's 000001 are one claim), while the
    insurer echoes it as the practice software declared it (vektis.md §1: a retour copies
    positions 1-310). A line not known as written is looked up so, and then read as that
    claim; only for a file with such lines does this cost a request. Two lines of the file
    that are one claim then are a line answered twice, neither applied (R1, R5)."""
    canonical = {
        ref: as_claim
        for ref, as_claim in (
            (line.claim_ref, canonical_reference(line.claim_ref)) for line in run.parsed.lines
        )
        if ref not in known and as_claim != ref
    }
    if not canonical:
        return known
    found = ctx.store.known_claims(provider_id, canonical.values())
    if not found:
        return known
    lines = [
        _as_claim(line, canonical[line.claim_ref])
        if canonical.get(line.claim_ref) in found
        else line
        for line in run.parsed.lines
    ]
    kept, repeated = without_repeated_references(lines)
    run.parsed = replace(run.parsed, lines=kept, findings=[*run.parsed.findings, *repeated])
    return {**known, **found}


def _as_claim(line: RetourLine, claim_ref: str) -> RetourLine:
    """The retour line under the claim ref it is stored as (its insurer's copy too)."""
    claim = line.claim if line.claim is None else replace(line.claim, claim_ref=claim_ref)
    return replace(line, claim_ref=claim_ref, claim=claim)


def _already_applied(run: _Run, declaration_id: str, applied_at: datetime) -> None:
    """The same bytes were applied completely by an earlier upload of this provider (R3):
    applying them again would undo a correction that came since (a later retour, an
    operator's change). Nothing is applied and no patient is told; the report names the
    upload that applied it and its day."""
    run.already_applied = True
    for line in run.parsed.lines:
        run.result(line, LineResult.UNCHANGED)
    run.findings.append(
        Finding(
            "RETOUR_FILE_ALREADY_APPLIED",
            Severity.WARNING,
            params={"declaration_id": declaration_id, "date": applied_at.strftime("%d-%m-%Y")},
        )
    )


# --- The run ------------------------------------------------------------------------------


@dataclass
class _Run:
    """One retour file being applied: what each line did, and the invoices as stored after it."""

    parsed: RetourParse
    insurers: InsurerRegisters = field(default_factory=shipped_registers)
    results: dict[int, tuple[str, str]] = field(default_factory=dict)  # line -> (result, invoice)
    findings: list[Finding] = field(default_factory=list)
    invoices: dict[str, Invoice] = field(default_factory=dict)  # as stored after this run
    already_applied: bool = False  # an earlier upload applied these bytes (R3)
    change_cents: int = 0  # what the patients owe less (negative: more)
    invoices_changed: int = 0
    invoices_created: int = 0
    before: RetourProgress = field(default_factory=RetourProgress)  # the parts before this one

    @classmethod
    def rejected(cls, file_format: str, findings: list[Finding]) -> _Run:
        return cls(RetourParse(file_format, findings=findings))

    def result(self, line: RetourLine, result: str, invoice_id: str = "") -> None:
        self.results[line.line] = (result, invoice_id)

    def finding(self, code: str, severity: Severity, line: RetourLine, **params: Any) -> None:
        """A finding on ``line``; its text names the line's claim reference."""
        params = {"claim_ref": line.claim_ref, **params}
        self.findings.append(Finding(code, severity, line.line, None, line.claim_ref, params))

    def warning_with_codes(self, code: str, line: RetourLine) -> None:
        """A warning on ``line`` that quotes the insurer's retour codes for it."""
        self.finding(code, Severity.WARNING, line, codes=", ".join(line.retour_codes) or "-")


def _apply_to_invoices(
    run: _Run,
    known: Mapping[str, KnownClaim],
    upload: Upload,
    provider: Provider,
    ctx: IngestContext,
    parts: RetourParts | None = None,
) -> RetourContinued | None:
    """Lines on patient invoices: the granted amount becomes the reimbursement (R5, R28),
    and what it raised a new final payment date (``_with_term_for_raise``).

    A retry of an attempt that died after a save finds that save's change made (nothing
    changes now): its entries name this upload (``_granting``), so the retry reports the
    change as the attempt that made it would have, its lines applied and the patient's
    credit said (R3, R13: the same report as a clean run, booked once), as a
    declaration's retry reports the invoices its claim markers say it wrote.

    A part of a run (``parts``) goes on from the first invoice the parts before it did
    not do, and stops between two invoices when its time runs out (``RetourContinued``)."""
    per_invoice: dict[str, dict[str, RetourLine]] = {}
    for line in run.parsed.lines:
        marker = known.get(line.claim_ref)
        if marker is None:
            run.result(line, LineResult.UNKNOWN)
            run.finding("RETOUR_LINE_UNKNOWN", Severity.CLAIM, line)
        elif marker.invoice_id:
            per_invoice.setdefault(marker.invoice_id, {})[line.claim_ref] = line
    start = _resumed(run)
    cause = f"{RETOUR}{upload.file_name}"
    todo = list(per_invoice.items())
    for done, (invoice_id, lines) in enumerate(todo[start:], start):
        if parts is not None and done > start:
            parts.progress(done, len(todo))
            if not parts.has_time():
                return _stopped(run, upload, done, len(todo), ctx)
        invoice = ctx.store.get_invoice(upload.provider_id, invoice_id)
        if invoice is None:  # a marker without its invoice: never written apart (store_new)
            raise LookupError(f"claim marker points to a missing invoice {invoice_id}")
        lines = _lines_declared_as_ours(run, invoice, lines)
        if not lines:
            continue
        granted = {ref: line.granted_cents for ref, line in lines.items()}
        _warn_above_amount(run, invoice, lines)
        reads = [invoice]  # the last one is what this call's write changed
        grant = _granting(granted, ctx, cause, reads, provider, upload.declaration_id)
        stored, changed = save_change(ctx.store, invoice, grant)
        # Nothing changed by this call (the same file again, or at the same moment and the
        # other upload wrote first): its lines are unchanged, whatever its first read said;
        # unless an earlier attempt of this upload made the change (_before_own_change).
        before = reads[-1] if changed else _before_own_change(stored, cause, upload.declaration_id)
        changed = changed or before is not stored
        run.invoices[invoice_id] = stored
        # Also when nothing changed now: a retry repairs a crash after the save (R22).
        block_follows_claim(ctx.store, stored, ctx.clock)
        _warn_credit_follows_its_line(run, stored, lines)
        if changed:
            run.invoices_changed += 1
            run.change_cents += stored.reimbursed_cents - before.reimbursed_cents
        _tell_patient(stored, cause, ctx)
        applied_lines = []
        for line in lines.values():
            applied = _line_changed(before, stored, line.claim_ref)
            run.result(line, LineResult.APPLIED if applied else LineResult.UNCHANGED, invoice_id)
            if applied:
                applied_lines.append(line)
        _warn_credit_raised(run, before, stored, applied_lines)
    return None


def _lines_declared_as_ours(
    run: _Run, invoice: Invoice, lines: Mapping[str, RetourLine]
) -> dict[str, RetourLine]:
    """The lines whose copy of the declared amount is the invoice line's (a retour copies
    positions 1-310 of the declaration: vektis.md §1). Another amount, or a debit echoed
    as a credit, is an answer to another line than ours: that line is left out with a
    finding naming both amounts, never applied on a guess, and the rest of the file is
    applied (R1, R5). A copy without a readable amount is judged by its reference alone."""
    amounts = {line.claim_ref: line.amount_cents for line in invoice.lines}
    ours = {}
    for claim_ref, line in lines.items():
        declared, amount = line.declared_cents, amounts.get(claim_ref)
        if declared is None or amount is None or declared == amount:
            ours[claim_ref] = line
            continue
        run.result(line, LineResult.DECLARED_AMOUNT_DIFFERS, invoice.invoice_id)
        run.finding(
            "RETOUR_DECLARED_AMOUNT_DIFFERS",
            Severity.CLAIM,
            line,
            **euro_params("declared", declared),
            **euro_params("amount", amount),
        )
    return ours


def _before_own_change(invoice: Invoice, cause: str, upload_id: str) -> Invoice:
    """R3, R13: the invoice as it was before the change an earlier attempt of this upload
    made (its entries: this file's cause and this upload's id, at the end of the ledger,
    which only grows, R27), its lines' reimbursements as before it; the same invoice when
    there is none (another upload of the file made it, or a change came after it)."""
    ledger = invoice.ledger
    start = len(ledger)
    while start and (ledger[start - 1].cause, ledger[start - 1].request_fingerprint) == (
        cause,
        upload_id,
    ):
        start -= 1
    if start == len(ledger):
        return invoice
    reimbursed = {line.claim_ref: line.reimbursed_cents for line in invoice.lines}
    # The line each entry re-rated, by the very note with_granted wrote for it: a claim
    # reference may hold a space ("F 1"), so the note is matched whole, never split.
    noted = {_grant_note(line): line.claim_ref for line in invoice.lines}
    for entry in ledger[start:]:
        claim_ref = noted.get(entry.note)
        if entry.kind is EntryKind.REIMBURSEMENT and claim_ref is not None:
            reimbursed[claim_ref] += entry.amount_cents  # a deduction is negative (with_granted)
    lines = tuple(
        replace(line, reimbursed_cents=reimbursed[line.claim_ref]) for line in invoice.lines
    )
    return replace(invoice, lines=lines, ledger=ledger[:start])


def _warn_credit_raised(
    run: _Run, before: Invoice, after: Invoice, applied: Sequence[RetourLine]
) -> None:
    """R13, R27: a grant on an invoice the patient paid (part of) already leaves the patient
    credit: money paid that is no longer owed. It is kept on the invoice and paid back as
    every credit is (R34: the back office's refund batch, by bank transfer), never dropped;
    the practice is told on the first line that raised it, with the amount now held."""
    raised = after.credit_cents - before.credit_cents
    if raised <= 0 or not applied:
        return
    # Imported here: a credit from a retour is rare (cold start, #18 (d)).
    from billing_core.shared.reference import grouped

    run.finding(
        "RETOUR_CREDIT_FOR_PATIENT",
        Severity.WARNING,
        min(applied, key=lambda line: line.line),
        kenmerk=grouped(after.reference),
        **euro_params("raised", raised),
        **euro_params("credit", after.credit_cents),
    )


def _tell_patient(invoice: Invoice, cause: str, ctx: IngestContext) -> None:
    """What the patient pays changed after the invoice went out: the new amount and its
    date, by e-mail or on paper (R7, legal-nl.md §7), once per change (R3), as every
    correction of a sent invoice tells it (correspondence/kinds.py).

    Asked whenever the change is on the invoice, not only when this call made it: a
    retry of an attempt killed after its save, or the same file processed at the same
    moment, finds the change made and asks for the same event, which the delivery sends
    once per (kind, event id). A later retour that changes the invoice again is another
    change, with an event of its own."""
    tell_invoice_corrected(invoice, [_change_event(invoice, cause)], ctx.delivery)


def _change_event(invoice: Invoice, cause: str) -> str:
    """The event of the last change a retour file of this name made: where its entries
    start in the ledger, which only grows (R27), so every attempt and every upload of
    the same file names it alike. "" when there is none, or when a line and its credit
    moved together only (what the patient pays is the same)."""
    ledger = invoice.ledger
    ours = [i for i, entry in enumerate(ledger) if entry.cause == cause]
    if not ours:
        return ""
    start = end = ours[-1]
    # One change's entries are written together, at one moment (with_granted).
    while start > 0 and ledger[start - 1].cause == cause and ledger[start - 1].at == ledger[end].at:
        start -= 1
    if sum(entry.amount_cents for entry in ledger[start : end + 1]) == 0:
        return ""
    return f"retour:ledger-{start}"


def _granting(
    granted: Mapping[str, int],
    ctx: IngestContext,
    cause: str,
    reads: list[Invoice],
    provider: Provider,
    upload_id: str,
) -> Change:
    """The change save_change applies, again on a fresh read after a concurrent write;
    ``reads`` gets each invoice it is applied to. Its entries name the upload that made
    them (``by_request``, as a statement upload's own transfers do): its retry knows its
    own change (``_before_own_change``). Every entry it adds has the file's ``cause``:
    the grant's, the forgiveness that follows it and the coulance policy's after a raise."""

    def grant(invoice: Invoice) -> Invoice:
        reads.append(invoice)
        now = ctx.clock.now()
        after = with_granted(invoice, granted, now, cause)
        return _with_term_for_raise(invoice, after, now, provider, cause)

    return by_request(grant, cause, upload_id)


def _with_term_for_raise(
    before: Invoice, after: Invoice, at: datetime, provider: Provider, cause: str
) -> Invoice:
    """``after`` with a new final payment date when the retour raised what the patient of
    a sent invoice still pays (legal-nl.md §2, §7): the raise was never asked, so it gets
    the payment term an operator's correction that raises the amount gets (R34, the one
    mechanism: coulance.with_adjusted_amount_term, until the costs are charged). A raise
    the patient's credit covers asks nothing. Under a running arrangement the raise is
    left open by its terms: it is the arrangement's rest term, due no earlier than this
    new date (changes/arrangement.rest_term). On an invoice whose insurer's statement the
    automatic coulance policy took, the policy's amount holds for the invoice as it now
    stands (coulance.with_policy_after_a_raise)."""
    if after.status is not InvoiceStatus.SENT or after.is_paid:
        return after
    if after.balance_cents <= before.balance_cents:
        return after
    # Imported here: a raise is rare, and changes/coulance (with the stop and the
    # provider's actions it brings) is no part of retour_import's cold start otherwise,
    # which is held to 2x `import boto3` (architecture.md) with almost nothing to spare.
    from billing_core.changes.coulance import with_adjusted_amount_term, with_policy_after_a_raise

    after = with_policy_after_a_raise(after, provider, at, cause)
    return with_adjusted_amount_term(after, at, provider.payment_term_days)


def _invoice_rejected_materials(
    run: _Run,
    known: Mapping[str, KnownClaim],
    provider: Provider,
    record: DeclarationRecord,
    ctx: IngestContext,
) -> DeclarationRecord:
    """A VGZ-group material the insurer did not pay becomes the patient's after all
    (legal-nl.md §6): one new invoice per patient, made once (R3)."""
    # Invoices an earlier attempt of this same upload made: planned again, so that every
    # draft gets the same id and betalingskenmerk as then, but not written twice.
    this_upload = record.declaration_id
    ours = {i for i, invoice in run.invoices.items() if invoice.declaration_id == this_upload}
    ours.update(run.before.ours)  # made by an earlier attempt, done by an earlier part
    materials = _rejected_materials(run, known, ours)
    if not materials:
        return record
    addressed_as = _patients_invoices(run, materials, known, ours, provider, ctx)
    drafts = _material_drafts(materials, addressed_as, provider)
    record = with_reference_block(record, len(drafts), ctx)
    invoices = issue_invoices(drafts, provider, record, ctx)
    stored = [i for i in invoices if i.invoice_id in ours or _store_new(provider, i, ctx)]
    run.invoices_created = sum(1 for i in stored if i.invoice_id not in ours)
    ctx.delivery.enqueue([DeliveryRequest(provider.provider_id, i.invoice_id) for i in stored])
    by_ref = {line.claim_ref: line for line, _ in materials}
    for invoice in invoices:
        for invoice_line in invoice.lines:
            line = by_ref[invoice_line.claim_ref]
            if invoice not in stored:  # another upload of this retour got there first
                run.result(line, LineResult.UNCHANGED)
                continue
            run.result(line, LineResult.INVOICED_TO_PATIENT, invoice.invoice_id)
            run.warning_with_codes("RETOUR_MATERIAL_TO_PATIENT", line)
    return record


def _rejected_materials(
    run: _Run, known: Mapping[str, KnownClaim], ours: set[str]
) -> list[tuple[RetourLine, Claim]]:
    """The lines to invoice to the patient now; other insurer-bound lines are reported."""
    materials = []
    for line in run.parsed.lines:
        marker = known.get(line.claim_ref)
        if marker is None or (marker.invoice_id and marker.invoice_id not in ours):
            continue  # unknown, or on a patient invoice: _apply_to_invoices did it
        claim = line.claim
        if claim is not None and _is_rejected_vgz_material(claim, line, run.insurers):
            materials.append((line, claim))
            continue
        run.result(line, LineResult.INSURER_LINE)
        if claim is None or line.granted_cents < claim.amount_cents:
            run.warning_with_codes("RETOUR_INSURER_LINE_NOT_GRANTED", line)
    return materials


def _store_new(provider: Provider, invoice: Invoice, ctx: IngestContext) -> bool:
    refs = tuple(line.claim_ref for line in invoice.lines)
    new = NewInvoice(invoice, refs)
    return ctx.store.store_invoice_for_insurer_claims(provider.provider_id, new)


def _is_rejected_vgz_material(claim: Claim, line: RetourLine, insurers: InsurerRegisters) -> bool:
    register = insurers.in_force(claim.coverage_date)
    return (
        claim.line_type is LineType.MATERIAL
        and register.is_vgz_group(claim.insurer_uzovi)
        and line.granted_cents < claim.amount_cents
    )


def _patients_invoices(
    run: _Run,
    materials: Sequence[tuple[RetourLine, Claim]],
    known: Mapping[str, KnownClaim],
    ours: set[str],
    provider: Provider,
    ctx: IngestContext,
) -> dict[tuple[str, str], Invoice]:
    """Per patient, an invoice of theirs whose addressee the materials' invoice takes: one
    this file changed, else the one the material's declaration made for them (its claim
    marker names it). At most one read per patient; none when the file had a line of it
    in the run's last part. An invoice an earlier part changed comes first in the file:
    it is read again (retour_parts keeps its id per patient)."""
    found = {
        (invoice.patient_ref, invoice.bsn): invoice
        for invoice_id, invoice in reversed(run.invoices.items())
        if invoice_id not in ours
    }
    looked_up: set[tuple[str, str]] = set()
    for _, claim in materials:
        patient, invoice_id = claim.patient_key, known[claim.claim_ref].patient_invoice_id
        earlier = run.before.patients.get(patient_hash(*patient))
        if earlier and patient not in looked_up:
            invoice_id, found = earlier, {k: v for k, v in found.items() if k != patient}
        if patient in found or patient in looked_up or not invoice_id:
            continue
        looked_up.add(patient)
        invoice = ctx.store.get_invoice(provider.provider_id, invoice_id)
        if invoice is not None and (invoice.patient_ref, invoice.bsn) == patient:
            found[patient] = invoice
    return found


def _material_drafts(
    materials: Sequence[tuple[RetourLine, Claim]],
    addressed_as: Mapping[tuple[str, str], Invoice],
    provider: Provider,
) -> list[InvoiceDraft]:
    """One invoice per patient (R4) for the materials, the insurer's part deducted; each
    line contracted care or not as the provider's contracts stand now, when it is first
    invoiced to the patient (R17, R31)."""
    # Imported here: only a rejected VGZ-group material is invoiced to the patient (rare),
    # and the invoice planning is no part of retour_import's cold start otherwise (#18 (d)).
    from billing_core.declarations.invoicing import InvoiceDraft, group_by_patient
    from billing_core.declarations.invoicing import invoice_line as line_of_claim

    granted = {line.claim_ref: line.granted_cents for line, _ in materials}
    claims = [_addressed(claim, addressed_as.get(claim.patient_key)) for _, claim in materials]
    drafts = []
    for group in group_by_patient(claims):
        lines = tuple(
            line_of_claim(
                claim,
                _bounded(granted[claim.claim_ref], claim.amount_cents),
                provider.is_contracted(claim.insurer_uzovi, claim.coverage_date),
            )
            for claim in group
        )
        drafts.append(InvoiceDraft(claims=group, lines=lines))
    return drafts


def _addressed(claim: Claim, sibling: Invoice | None) -> Claim:
    """The insurer's copy has mostly the 02 only (seldom an 03, no e-mail): address the
    invoice as the patient's other invoice is (R7: by e-mail when the declaration gave
    one), when the patient has one; else as the copy's 02 (and 03) say (on paper)."""
    if sibling is None:
        return claim
    return replace(claim, patient=sibling.patient, debtor=sibling.debtor)


def _bounded(granted: int, amount: int) -> int:
    """Between 0 and the line's amount (a credit line's amount is negative)."""
    low, high = min(0, amount), max(0, amount)
    return max(low, min(high, granted))


def _line_changed(before: Invoice, after: Invoice, claim_ref: str) -> bool:
    def reimbursed(invoice: Invoice) -> int | None:
        return next((i.reimbursed_cents for i in invoice.lines if i.claim_ref == claim_ref), None)

    return reimbursed(before) != reimbursed(after)


def _warn_above_amount(run: _Run, invoice: Invoice, lines: Mapping[str, RetourLine]) -> None:
    following = _following_credits(invoice)  # their own warning says what they deduct
    for invoice_line in invoice.lines:
        line = lines.get(invoice_line.claim_ref)
        if line is None or invoice_line.claim_ref in following:
            continue
        if _bounded(line.granted_cents, invoice_line.amount_cents) == line.granted_cents:
            continue
        if line.granted_cents * invoice_line.amount_cents < 0:
            # A credit granted on a debit line (or the reverse): none of it is reimbursed,
            # and the practice is told so, not that the insurer granted more (R1, R5).
            run.finding(
                "RETOUR_GRANTED_OPPOSITE_SIGN",
                Severity.WARNING,
                line,
                **euro_params("granted", line.granted_cents),
                **euro_params("amount", invoice_line.amount_cents),
                **euro_params("zero", 0),
            )
        else:
            run.finding("RETOUR_GRANTED_ABOVE_AMOUNT", Severity.WARNING, line)


def _warn_credit_follows_its_line(
    run: _Run, invoice: Invoice, lines: Mapping[str, RetourLine]
) -> None:
    """The insurer's amount for a credit line that follows its line (with_granted) is not
    what the invoice gives back: the practice is told why the invoice shows another."""
    following = _following_credits(invoice)
    for invoice_line in invoice.lines:
        line = lines.get(invoice_line.claim_ref)
        if line is None or invoice_line.claim_ref not in following:
            continue
        if line.granted_cents != invoice_line.reimbursed_cents:
            run.finding(
                "RETOUR_CREDIT_FOLLOWS_ITS_LINE",
                Severity.WARNING,
                line,
                reference=invoice_line.reverses_claim_ref,
                **euro_params("granted", line.granted_cents),
                **euro_params("reimbursed", invoice_line.reimbursed_cents),
            )


# --- Record and report ------------------------------------------------------------------


def _summary(run: _Run) -> RetourSummary:
    results = Counter(result for result, _ in run.results.values())
    return RetourSummary(
        lines=len(run.parsed.lines)
        + run.parsed.lines_granted_blank
        + run.parsed.lines_repeated
        + run.parsed.lines_not_assessed,
        lines_applied=results[LineResult.APPLIED],
        lines_unchanged=results[LineResult.UNCHANGED],
        lines_invoiced_to_patient=results[LineResult.INVOICED_TO_PATIENT],
        lines_insurer=results[LineResult.INSURER_LINE],
        lines_unknown=results[LineResult.UNKNOWN],
        lines_granted_blank=run.parsed.lines_granted_blank,
        lines_repeated=run.parsed.lines_repeated,
        lines_declared_amount_differs=results[LineResult.DECLARED_AMOUNT_DIFFERS],
        lines_not_assessed=run.parsed.lines_not_assessed,
        invoices_changed=run.invoices_changed,
        invoices_created=run.invoices_created,
        reimbursement_change_cents=run.change_cents,
        granted_cents=sum(line.granted_cents for line in run.parsed.lines),
    )


def _outcome(run: _Run, summary: RetourSummary) -> Outcome:
    """Rejected when no line could be applied; partially accepted when a line was left
    out, unknown, with a blank granted amount, its reference answered twice, its declared
    amount not ours or not assessed by the insurer (a finding each: R1, vektis.md §1)."""
    if run.already_applied:
        return Outcome.ALREADY_PROCESSED
    left_out = (
        summary.lines_unknown
        + summary.lines_granted_blank
        + summary.lines_repeated
        + summary.lines_declared_amount_differs
        + summary.lines_not_assessed
    )
    if run.parsed.file_rejected or not run.parsed.lines or left_out == summary.lines:
        return Outcome.REJECTED
    return Outcome.PARTIALLY_ACCEPTED if left_out else Outcome.ACCEPTED


def _line_report(line: RetourLine, result: tuple[str, str]) -> RetourLineReport:
    return RetourLineReport(
        line=line.line,
        claim_ref=line.claim_ref,
        granted_cents=line.granted_cents,
        retour_codes=tuple(line.retour_codes),
        result=result[0],
        invoice_id=result[1],
    )


def _write_report(
    upload: Upload,
    record: DeclarationRecord,
    run: _Run,
    ctx: IngestContext,
    summary: RetourSummary | None = None,
) -> RetourReport:
    """``summary``: the run's, when the caller has it already (computed once)."""
    summary = summary or _summary(run)
    findings = [*run.parsed.findings, *run.findings]
    report = RetourReport(
        declaration_id=upload.declaration_id,
        provider_id=upload.provider_id,
        file_name=upload.file_name,
        format=run.parsed.format,
        processed_at=ctx.clock.now(),
        outcome=_outcome(run, summary),
        summary=summary,
        lines=tuple(
            _line_report(line, run.results.get(line.line, ("", ""))) for line in run.parsed.lines
        ),
        retour_codes=tuple(run.parsed.remarks),
        findings=in_report_order(findings),
        finding_counts=counted_by_code(findings),
        parts=run.before.parts + 1,
    )
    key = retour_report_key(upload.provider_id, upload.declaration_id)
    publish_report(report, record, key, ctx)
    return report
