"""Use case: one uploaded declaration file -> invoices, insurer claims and a report (R1-R8).

Safe to run again for the same upload (R3): what an earlier run stored is recognised
by its claim markers and not written twice; the invoices of this upload are planned
the same way each time (same ids, same betalingskenmerken), and the delivery queue is
idempotent per invoice, so a crash halfway resumes instead of duplicating.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from billing_core.collection.blocking import DEBTOR_RISK_WARNING, with_debtor_risk_with_provider
from billing_core.declarations.claims import Claim, canonical_reference
from billing_core.declarations.credit_corrections import (
    CreditRun,
    book_earlier_credits,
    split_earlier_credits,
)
from billing_core.declarations.findings import Finding, Outcome, Severity
from billing_core.declarations.formats import parse_declaration
from billing_core.declarations.insurer_claims import export_key, export_per_insurer
from billing_core.declarations.invoicing import InvoiceDraft, InvoicingPlan, plan_invoices
from billing_core.declarations.parsed import ParseResult
from billing_core.declarations.record import DeclarationRecord
from billing_core.declarations.reports import (
    OtherVersionIgnored,
    UploadReport,
    counted_by_code,
    in_report_order,
)
from billing_core.declarations.rules.coverage import RuleTableCoverage
from billing_core.declarations.rules.insurers import InsurerRegisters, registers_in_use
from billing_core.declarations.rules.line_rules import PRICE_QUOTE_MISSING, QUOTE_RULE
from billing_core.declarations.upload import (
    IngestContext,
    Upload,
    UploadKeys,
    has_reference_block,
    issue_invoices,
    parse_for,
    publish_report,
    start_record,
    with_reference_block,
)
from billing_core.invoices.invoice import Invoice
from billing_core.ports import DeliveryRequest, KnownClaim, NewInvoice, TransactionConflict
from billing_core.providers.actions import ActionKind, OpenAction
from billing_core.providers.provider import Provider
from billing_core.shared import reference
from billing_core.shared.bulk import cycle_collection_paused
from billing_core.shared.reports import DeliveredAgain
from billing_core.texts.practice import action_sentences

# incoming/{provider}/{upload}/file: the declarations a practice uploads.
upload_from_key = UploadKeys("incoming").upload_at


def report_key(provider_id: str, declaration_id: str) -> str:
    return f"reports/{provider_id}/{declaration_id}.json"


@dataclass(frozen=True, slots=True)
class FileRejectedSummary:
    """A file rejected as a whole (R2): its lines were counted, none became a claim."""

    lines: int
    claims_rejected: int = 0
    invoices: int = 0


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """The counts and amounts of one processed declaration file, for the report and the log."""

    lines: int
    claims_rejected: int
    claims_already_processed: int  # known from an earlier upload (R3)
    claims_invoiced: int
    claims_to_insurer: int
    invoices: int
    invoices_by_channel: dict[str, int]  # "email", "paper"
    gross_cents: int
    reimbursement_deducted_cents: int
    amount_invoiced_cents: int
    warnings: int
    claims_corrected: int  # credit lines booked on an earlier upload's invoices
    correction_cents: int
    invoices_debtor_risk_with_provider: int  # the patient is blocked at the provider (R22)
    claims_cancelled_out: int  # a credit line and its debit in this file: nothing due


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessingReport(UploadReport[IngestSummary | FileRejectedSummary]):
    """What became of a declaration upload: ``reports/{provider}/{declaration}.json``."""

    LOG_MESSAGE: ClassVar[str] = "declaration processed"

    def _counts(self) -> dict[str, int]:
        return {
            "DeclarationLines": self.summary.lines,
            "InvoicesCreated": self.summary.invoices,
            "ClaimsRejected": self.summary.claims_rejected,
        }


def process_declaration(
    upload: Upload, data: bytes, ctx: IngestContext
) -> ProcessingReport | OtherVersionIgnored | DeliveredAgain:
    """Process one uploaded file; returns the processing report (also stored in S3)."""
    # One pause for the whole upload, ended once _process has returned and its claims,
    # invoices and lines are freed: the collector then has no survivors to walk (a walk of
    # a 100,000-line file's objects costs as much as a third of a csv.reader pass).
    with cycle_collection_paused():
        return _process(upload, data, ctx)


def _process(
    upload: Upload, data: bytes, ctx: IngestContext
) -> ProcessingReport | OtherVersionIgnored | DeliveredAgain:
    record = start_record(upload, ctx)
    if not isinstance(record, DeclarationRecord):  # another version (no finished_stands)
        return record
    upload = upload.as_registered(record)
    provider = ctx.store.get_provider(upload.provider_id)
    if provider is None:
        finding = Finding(
            "UNKNOWN_PROVIDER", Severity.FILE, params={"provider": upload.provider_id}
        )
        return _finish_rejected(upload, record, [finding], 0, ctx)
    insurers = registers_in_use(ctx.registers)
    parsed = parse_for(provider, parse_declaration, data, insurers, ctx)
    if parsed.file_rejected:
        return _finish_rejected(
            upload, record, parsed.findings, parsed.lines_total, ctx, file_format=parsed.format
        )
    return _invoice_claims(upload, record, provider, parsed, insurers, ctx)


def _invoice_claims(
    upload: Upload,
    record: DeclarationRecord,
    provider: Provider,
    parsed: ParseResult,
    insurers: InsurerRegisters,
    ctx: IngestContext,
) -> ProcessingReport:
    """The first attempt of an object version writes without reading the claim markers
    (issue 18 item 2, R3): every marker is written on condition that it is new, so a
    line another upload holds cancels its transaction. Only then are the markers read
    and the upload planned again, without the known lines, and with a fresh block of
    kenmerken. Sound because a patient's lines make one invoice, written all or none,
    and the insurer-bound lines (which count toward the patient's quote rule, R6) are
    written before any invoice: an invoice the first attempt wrote holds no known line
    and is planned the same again (its marker says so: skipped); the invoices planned
    anew take kenmerken from the fresh block, because the new plan orders them otherwise
    and the first block's kenmerken may already be on written invoices (issue 13 item 1).
    A retry of the version reads the markers first and reuses its block, as before."""
    written = _known_as_written(provider, parsed, ctx)
    if has_reference_block(record):
        return _invoice_unknown_claims(
            upload, record, None, provider, parsed, insurers, ctx, written
        )
    # Credits of earlier lines are booked onto those invoices, not written on condition:
    # their own markers are read first (a file has few, usually none).
    _, earlier_credits = split_earlier_credits(parsed.claims)
    known = (
        ctx.store.known_claims(provider.provider_id, (c.claim_ref for c in earlier_credits))
        if earlier_credits
        else {}
    )
    known = written | known
    try:
        return _invoice_unknown_claims(upload, record, known, provider, parsed, insurers, ctx)
    except TransactionConflict:
        record = replace(record, reference_block_start=None)  # never reuse the first's
        return _invoice_unknown_claims(
            upload, record, None, provider, parsed, insurers, ctx, written
        )


def _known_as_written(
    provider: Provider, parsed: ParseResult, ctx: IngestContext
) -> dict[str, KnownClaim]:
    """R3 for an upload stored before all-digit claim refs were read without their leading
    zeros (canonical_reference): its marker is under the ref as written ("000001"), which
    the conditional write of "1" does not see. A Vektis file keeps "000001" as written, so
    a CSV upload's marker "1" is read for it the same way (parsed.written_refs). Read only
    for a file whose refs had leading zeros: a file without them costs no request."""
    if not parsed.written_refs:
        return {}
    refs = parsed.written_refs
    as_written = ctx.store.known_claims(provider.provider_id, (ref for _, ref in refs))
    return {canonical: as_written[ref] for canonical, ref in refs if ref in as_written}


def _invoice_unknown_claims(
    upload: Upload,
    record: DeclarationRecord,
    known: dict[str, KnownClaim] | None,
    provider: Provider,
    parsed: ParseResult,
    insurers: InsurerRegisters,
    ctx: IngestContext,
    written: dict[str, KnownClaim] | None = None,
) -> ProcessingReport:
    """``known``: the claim markers of the file's lines, read here when None (with
    ``written``: those under the refs as written, _known_as_written)."""
    if known is None:
        refs = (c.claim_ref for c in parsed.claims)
        known = (written or {}) | ctx.store.known_claims(provider.provider_id, refs)
    elsewhere = {ref: k for ref, k in known.items() if k.declaration_id != upload.declaration_id}
    claims = [c for c in parsed.claims if c.claim_ref not in elsewhere]
    claims, earlier_credits = split_earlier_credits(claims)
    plan = plan_invoices(claims, provider, RuleTableCoverage(provider), insurers)
    corrections = _book_earlier_credits(provider, upload, plan, earlier_credits, ctx)
    elsewhere |= corrections.booked_elsewhere  # at the same moment: not this upload's (R3)
    record = with_reference_block(record, len(plan.drafts), ctx)
    invoices = issue_invoices(plan.drafts, provider, record, ctx)
    invoices, blocked_findings = _mark_blocked_patients(provider, plan.drafts, invoices, ctx)
    minors = _minors_without_debtor(parsed.findings)
    taken = _store(provider, upload, plan, invoices, set(known) - set(elsewhere), ctx, minors)
    refused = _reference_taken(plan.drafts, invoices, taken)
    invoices = [invoice for invoice in invoices if invoice.invoice_id not in taken]
    _export_insurer_claims(provider, upload, plan, ctx)
    ctx.delivery.enqueue([DeliveryRequest(provider.provider_id, i.invoice_id) for i in invoices])
    findings = [*parsed.findings, *_said_for(parsed.format, plan.findings)]
    findings += _already_processed(parsed, elsewhere)
    findings += corrections.findings
    findings += blocked_findings
    findings += refused
    summary = _summary(
        parsed,
        plan,
        invoices,
        findings,
        already_processed=len(elsewhere),
        corrections=corrections,
        debtor_risk_with_provider=len(blocked_findings),
    )
    return _finish(upload, record, summary, findings, ctx, file_format=parsed.format)


def _mark_blocked_patients(
    provider: Provider, drafts: list[InvoiceDraft], invoices: list[Invoice], ctx: IngestContext
) -> tuple[list[Invoice], list[Finding]]:
    """R22, legal-nl.md §6: a new claim of a patient blocked at this provider (a claim of
    theirs is with the collection agency) is still invoiced, but the debtor risk stays
    with the provider: marked on the invoice and reported. The patient is the person: a
    claim under another patient number with the BSN of a block is marked too (audit
    blocks2). One query per upload."""
    if not invoices:
        return invoices, []
    blocks = ctx.store.blocked_refs_with_bsn(provider.provider_id)
    # A patient blocked under 0001001 is the patient 1001 of a file Excel saved (R3, R40).
    blocked = {canonical_reference(ref) for ref, _ in blocks}
    # A block written before the BSN was kept has none: it matches by number only.
    numbers_of: dict[str, list[str]] = {}
    for ref, bsn in blocks:
        if bsn:
            numbers_of.setdefault(bsn, []).append(ref)
    marked: list[Invoice] = []
    findings: list[Finding] = []
    for draft, invoice in zip(drafts, invoices, strict=True):
        if canonical_reference(invoice.patient_ref) in blocked:
            invoice = with_debtor_risk_with_provider(invoice)
            findings.append(_debtor_risk_finding(draft, invoice))
        elif invoice.bsn and invoice.bsn in numbers_of:
            invoice = with_debtor_risk_with_provider(invoice)
            blocked_as = ", ".join(sorted(numbers_of[invoice.bsn]))
            findings.append(_debtor_risk_finding(draft, invoice, blocked_as))
        marked.append(invoice)
    return marked, findings


def _debtor_risk_finding(draft: InvoiceDraft, invoice: Invoice, blocked_as: str = "") -> Finding:
    """``blocked_as``: the numbers the practice blocked this person under, when the claim
    has another one (same BSN); the report names numbers only, never the BSN (R29)."""
    first = draft.first
    params = {"patient_ref": invoice.patient_ref, "kenmerk": reference.grouped(invoice.reference)}
    if blocked_as:
        params |= {"blocked_ref": blocked_as, "said_as": f"{DEBTOR_RISK_WARNING}_SAME_BSN"}
    return Finding(
        DEBTOR_RISK_WARNING,
        Severity.WARNING,
        line=first.line_number,
        claim_ref=first.claim_ref,
        params=params,
    )


def _book_earlier_credits(
    provider: Provider,
    upload: Upload,
    plan: InvoicingPlan,
    credits: list[Claim],
    ctx: IngestContext,
) -> CreditRun:
    """Credit lines of lines an earlier upload invoiced lower those invoices (vektis.md §1,
    credit_corrections.py); a credit of a line that went to the insurer goes there too."""
    run = book_earlier_credits(
        provider.provider_id,
        upload.declaration_id,
        credits,
        store=ctx.store,
        delivery=ctx.delivery,
        clock=ctx.clock,
    )
    plan.insurer_lines.extend(run.insurer_lines)
    return run


def _store(
    provider: Provider,
    upload: Upload,
    plan: InvoicingPlan,
    invoices: list[Invoice],
    stored_earlier: set[str],
    ctx: IngestContext,
    minors: frozenset[str],
) -> set[str]:
    """Write what an earlier attempt of this same upload did not get to; returns the ids
    of the invoices left out because their kenmerk belongs to another invoice."""
    new = [
        NewInvoice(
            invoice,
            tuple(line.claim_ref for line in invoice.lines),
            (*_missing_quote_actions(invoice), *_minor_without_debtor_actions(invoice, minors)),
        )
        for invoice in invoices
        # An invoice and its claim markers are written together: one known line means all.
        if invoice.lines[0].claim_ref not in stored_earlier
    ]
    insurer_refs = [
        line.claim.claim_ref
        for line in plan.insurer_lines
        if line.claim.claim_ref not in stored_earlier
    ]
    stored = ctx.store.store_new(
        provider.provider_id,
        upload.declaration_id,
        new,
        insurer_refs,
        _patient_invoices(plan, invoices),
        processed_at=ctx.clock.now(),
    )
    return set(stored.reference_taken)


def _patient_invoices(plan: InvoicingPlan, invoices: list[Invoice]) -> dict[str, str]:
    """Per insurer-bound line, an invoice of this upload for the same patient: should the
    insurer reject the line (a VGZ-group material, legal-nl.md §6), the retour addresses
    the patient's invoice for it as this one (R7: the retour file has no e-mail)."""
    of_patient: dict[tuple[str, str], str] = {}
    for invoice in invoices:
        of_patient.setdefault((invoice.patient_ref, invoice.bsn), invoice.invoice_id)
    found = (
        (line.claim.claim_ref, of_patient.get(line.claim.patient_key))
        for line in plan.insurer_lines
    )
    return {claim_ref: invoice_id for claim_ref, invoice_id in found if invoice_id}


def _reference_taken(
    drafts: list[InvoiceDraft], invoices: list[Invoice], taken: set[str]
) -> list[Finding]:
    """Issue 13 item 1: each line of an invoice whose kenmerk another invoice holds is
    rejected, so the upload ends with a report instead of staying "processing"."""
    findings = []
    for draft, invoice in zip(drafts, invoices, strict=True):
        if invoice.invoice_id not in taken:
            continue
        invoiced = {line.claim_ref for line in invoice.lines}
        kenmerk = {"kenmerk": reference.grouped(invoice.reference)}
        findings += [
            Finding(
                "REFERENCE_ALREADY_USED",
                Severity.CLAIM,
                line=claim.line_number,
                claim_ref=claim.claim_ref,
                params=kenmerk,
            )
            for claim in draft.claims
            if claim.claim_ref in invoiced
        ]
    return findings


def _missing_quote_actions(invoice: Invoice) -> tuple[OpenAction, ...]:
    """R6, R23: a dental plan above € 250 without a price quote is invoiced, and the
    practice gets an open action to record the quote."""
    if PRICE_QUOTE_MISSING not in invoice.warnings:
        return ()
    lines = [
        {
            "claim_ref": line.claim_ref,
            "treatment_code": line.treatment_code,
            "amount_cents": line.amount_cents,
        }
        for line in invoice.lines
    ]
    details = {"patient_ref": invoice.patient_ref, "rule": QUOTE_RULE, "lines": lines}
    return (_invoice_action(invoice, ActionKind.MISSING_PRICE_QUOTE, details),)


def _said_for(file_format: str, findings: list[Finding]) -> list[Finding]:
    """The invoicing's findings as the file's format has it (R2): a Vektis file has no
    price_quote_ref column, its price quote is a 98 comment record (vektis/mapping.py)."""
    if file_format == "csv":
        return findings
    vektis = {"said_as": f"VEKTIS_{PRICE_QUOTE_MISSING}"}
    return [
        replace(f, params=f.params | vektis) if f.code == PRICE_QUOTE_MISSING else f
        for f in findings
    ]


def _minors_without_debtor(findings: list[Finding]) -> frozenset[str]:
    """patient_refs of minors the parser found without a parent or guardian (R40)."""
    codes = ("MINOR_WITHOUT_DEBTOR", "VEKTIS_MINOR_WITHOUT_DEBTOR")  # CSV, Vektis
    return frozenset(f.params["patient_ref"] for f in findings if f.code in codes)


def _minor_without_debtor_actions(
    invoice: Invoice, minors: frozenset[str]
) -> tuple[OpenAction, ...]:
    """R23, R40: a minor's invoice addressed to the child; the action says what the
    practice should send."""
    if invoice.debtor is not None or invoice.patient_ref not in minors:
        return ()
    words = {"patient_ref": invoice.patient_ref, "kenmerk": reference.grouped(invoice.reference)}
    sentences = action_sentences("minor_without_debtor", **words)
    details = {
        "patient_ref": invoice.patient_ref,
        "what_to_send": sentences["nl"],
        "what_to_send_en": sentences["en"],
    }
    return (_invoice_action(invoice, ActionKind.MINOR_WITHOUT_DEBTOR, details),)


# The actions born with an invoice (R6, R40), and the word their id starts with.
BORN_WITH_THE_INVOICE = {
    ActionKind.MISSING_PRICE_QUOTE: "quote",
    ActionKind.MINOR_WITHOUT_DEBTOR: "minor",
}


def born_action_id(kind: ActionKind, invoice_id: str) -> str:
    return f"{BORN_WITH_THE_INVOICE[kind]}-{invoice_id}"


def _invoice_action(invoice: Invoice, kind: ActionKind, details: dict[str, Any]) -> OpenAction:
    """An open action born with its invoice: written in the invoice's own transaction,
    with an id derived from it, so a retried upload creates none twice (R3, R23)."""
    return OpenAction.about(
        invoice,
        kind,
        born_action_id(kind, invoice.invoice_id),
        invoice.ledger[0].at,
        details,
    )


def _export_insurer_claims(
    provider: Provider, upload: Upload, plan: InvoicingPlan, ctx: IngestContext
) -> None:
    for uzovi, body in export_per_insurer(provider, plan.insurer_lines).items():
        key = export_key(provider.provider_id, uzovi, upload.declaration_id)
        ctx.files.put(key, body, "text/csv; charset=utf-8")


def _already_processed(parsed: ParseResult, elsewhere: dict[str, KnownClaim]) -> list[Finding]:
    return [
        Finding(
            "CLAIM_ALREADY_PROCESSED",
            Severity.WARNING,
            line=claim.line_number,
            claim_ref=claim.claim_ref,
            params={"declaration_id": elsewhere[claim.claim_ref].declaration_id},
        )
        for claim in parsed.claims
        if claim.claim_ref in elsewhere
    ]


def _summary(
    parsed: ParseResult,
    plan: InvoicingPlan,
    invoices: list[Invoice],
    findings: list[Finding],
    *,
    already_processed: int,
    corrections: CreditRun,
    debtor_risk_with_provider: int,
) -> IngestSummary:
    rejected = {f.claim_ref or f.line for f in findings if f.severity is Severity.CLAIM}
    # A Vektis patient's problem is said once for every treatment line it holds back.
    rejected.update(*(f.params.get("held_back_refs", ()) for f in findings))
    channels = Counter(invoice.channel.value for invoice in invoices)
    return IngestSummary(
        lines=parsed.lines_total,
        claims_rejected=len(rejected),
        claims_already_processed=already_processed,
        claims_invoiced=sum(len(i.lines) for i in invoices),
        claims_to_insurer=len(plan.insurer_lines),
        invoices=len(invoices),
        invoices_by_channel={"email": channels["email"], "paper": channels["paper"]},
        gross_cents=sum(i.gross_cents for i in invoices),
        reimbursement_deducted_cents=sum(i.reimbursed_cents for i in invoices),
        amount_invoiced_cents=sum(i.original_amount_cents for i in invoices),
        warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
        claims_corrected=corrections.booked,
        correction_cents=corrections.lowered_cents,
        invoices_debtor_risk_with_provider=debtor_risk_with_provider,
        claims_cancelled_out=len(plan.cancelled_out),
    )


def _outcome(summary: IngestSummary) -> Outcome:
    # A credit line booked on an earlier invoice is processed too (credit_corrections.py),
    # and so are lines that cancel out (invoicing.py).
    processed = (
        summary.claims_invoiced
        + summary.claims_to_insurer
        + summary.claims_corrected
        + summary.claims_cancelled_out
    )
    if processed == 0 and summary.claims_already_processed and not summary.claims_rejected:
        return Outcome.ALREADY_PROCESSED
    if processed == 0:
        return Outcome.REJECTED
    return Outcome.PARTIALLY_ACCEPTED if summary.claims_rejected else Outcome.ACCEPTED


def _finish(
    upload: Upload,
    record: DeclarationRecord,
    summary: IngestSummary,
    findings: list[Finding],
    ctx: IngestContext,
    *,
    file_format: str = "csv",
) -> ProcessingReport:
    return _publish(upload, record, _outcome(summary), summary, findings, ctx, file_format)


def _finish_rejected(
    upload: Upload,
    record: DeclarationRecord,
    findings: list[Finding],
    lines_total: int,
    ctx: IngestContext,
    *,
    file_format: str = "csv",
) -> ProcessingReport:
    summary = FileRejectedSummary(lines=lines_total)
    return _publish(upload, record, Outcome.REJECTED, summary, findings, ctx, file_format)


def _publish(
    upload: Upload,
    record: DeclarationRecord,
    outcome: Outcome,
    summary: IngestSummary | FileRejectedSummary,
    findings: list[Finding],
    ctx: IngestContext,
    file_format: str,
) -> ProcessingReport:
    report = ProcessingReport(
        declaration_id=upload.declaration_id,
        provider_id=upload.provider_id,
        file_name=upload.file_name,
        format=file_format,
        processed_at=ctx.clock.now(),
        outcome=outcome,
        summary=summary,
        findings=in_report_order(findings),
        finding_counts=counted_by_code(findings),
    )
    publish_report(report, record, report_key(upload.provider_id, upload.declaration_id), ctx)
    return report
