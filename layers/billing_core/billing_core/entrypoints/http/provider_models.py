"""Request and response bodies of the provider API (interfaces.md §2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from billing_core.changes.stop import STOP_REASONS, StopRequest, StopScope
from billing_core.collection.blocking import BlockChange, BlockedPatient
from billing_core.collection.debtor_risk import DebtorRisk, Outcome, RiskFigures
from billing_core.declarations.record import MAX_DECLARATION_BYTES, DeclarationRecord
from billing_core.dunning.interest import amount_due_today
from billing_core.entrypoints.http.answers import AttributesOut
from billing_core.entrypoints.http.breakdown import BreakdownOut
from billing_core.entrypoints.http.cursor import following as next_cursor_of
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import LedgerEntry
from billing_core.invoices.listing import InvoiceFilter
from billing_core.invoices.payment_status import PaymentStatus, ledger_payment_status
from billing_core.providers.actions import OpenAction
from billing_core.providers.retrocession import StatementSummary
from billing_core.services.patient import invoice_state
from billing_core.services.provider.blocked_patients import (
    STAMP_BEFORE_WRITE,
    BlockChanges,
    BlockedPatients,
)
from billing_core.services.provider.insurer_claims import InsurerClaimExport
from billing_core.services.provider.invoices import InvoiceDetail, InvoicePage
from billing_core.shared.audit import ReadKind, ReadRecord
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.email_address import MAX_EMAIL_CHARS, is_plausible_email
from billing_core.shared.settings_rules import refused


def _size_bytes() -> Any:
    return Field(
        default=None,
        ge=1,
        le=MAX_DECLARATION_BYTES,
        description="The file's size: when given, the upload URL takes a file of exactly this"
        " size and S3 refuses any other (issue 13 item 9)",
    )


def _upload_headers() -> Any:
    return Field(
        description="Send these headers with the PUT: they are signed (If-None-Match: * makes"
        " the URL take one file only; a second PUT gets 412)"
    )


_UPLOAD_URL = "Takes one HTTP PUT of the file, any Content-Type, with upload_headers"


class UploadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file_name: str = Field(min_length=1, max_length=200, examples=["declaraties-week-47.csv"])
    size_bytes: int | None = _size_bytes()


class UploadTicketOut(AttributesOut):
    declaration_id: str
    upload_url: str = Field(description=_UPLOAD_URL)
    upload_headers: dict[str, str] = _upload_headers()
    expires_at: datetime


# R5, R39: a retour applied in parts can stop half-way; rejected is then not "nothing".
_EXCEPT_STOPPED_HALF_WAY = (
    "except a retour stopped half-way (finding RETOUR_PROGRESS_GONE): what its earlier parts"
    " booked stays; upload the file again to finish it"
)


class DeclarationOut(BaseModel):
    declaration_id: str
    file_name: str = Field(
        description="the name given when its upload URL was asked for; empty for a file"
        " written to an upload key without one (no name was given)"
    )
    status: str = Field(
        description="awaiting_upload, processing, processed, rejected or expired"
        " (its upload URL expired and no file came). Rejected: nothing in the file was"
        f" processed, {_EXCEPT_STOPPED_HALF_WAY}"
    )
    outcome: str | None = Field(
        default=None,
        description="accepted, partially_accepted, rejected or already_processed. Rejected:"
        " nothing processed (see the file_rejected findings, or every claim was rejected),"
        f" {_EXCEPT_STOPPED_HALF_WAY}",
    )
    created_at: datetime
    processed_at: datetime | None = None
    summary: dict[str, Any] = Field(default_factory=dict)
    stopped_half_way: bool = Field(
        default=False,
        description="true: a retour whose parts stopped half-way (rejected, finding"
        " RETOUR_PROGRESS_GONE): what its earlier parts booked stays; upload the file again"
        " to finish it. false for every other upload, and in a list for an upload processed"
        " before this was kept (its detail says it from its findings)",
    )

    @classmethod
    def of(cls, record: DeclarationRecord) -> DeclarationOut:
        return cls(
            declaration_id=record.declaration_id,
            file_name=record.file_name,
            status=record.status.value,
            outcome=record.outcome or None,
            # In Dutch time, as every moment we answer (the declarations page shows its day).
            created_at=record.created_at.astimezone(AMSTERDAM),
            processed_at=record.processed_at.astimezone(AMSTERDAM) if record.processed_at else None,
            summary=record.summary,
            stopped_half_way=record.stopped_half_way,
        )


class FindingNotKeptOut(BaseModel):
    code: str
    count: int = Field(description="How many findings of this code were only counted")
    message: str = Field(description="The first kept finding's sentence (nl), naming the kind")
    message_en: str = Field(description="The same sentence in English")


class DeclarationDetailOut(DeclarationOut):
    findings: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Per problem: code, severity, line, field, claim_ref, message (nl),"
        " message_en, and patient_refs (the patient numbers the message names; only when it"
        " names one, in a report written since they were kept); one page of them. The report keeps every finding of a rejected line"
        " (severity claim_rejected), and the first 50 of each other code",
    )
    finding_counts: dict[str, int] = Field(
        default_factory=dict, description="How many findings of each code there were in all"
    )
    findings_not_kept: list[FindingNotKeptOut] = Field(
        default_factory=list,
        description="Per code of which the report kept fewer findings than finding_counts"
        " counted (the first 50 of a code are kept): code, count (how many were only counted,"
        " listed on no page of findings), message and message_en (the first kept finding's"
        " sentence, naming the kind); empty when every finding is in findings",
    )
    next_findings_cursor: str | None = Field(
        default=None, description="Pass as findings_cursor for the next page of findings"
    )
    retour_codes: list[dict[str, Any]] = Field(
        default_factory=list,
        description="A retour file's: every retourcode of the insurer's, in file order, per code"
        " its level (file, patient, debtor, comment or line), line, code, meaning (nl) and"
        " meaning_en (null for a code the Vektis list shipped has not), claim_ref (the line it"
        " is about) and patient_ref; one page of them",
    )
    next_retour_codes_cursor: str | None = Field(
        default=None, description="Pass as retour_codes_cursor for the next page of retour_codes"
    )
    report_no_longer_kept: bool = Field(
        default=False,
        description="true: the processing report was deleted at the end of its retention"
        " (2,922 days, legal-nl.md §8), so findings, finding_counts and retour_codes are empty;"
        " status, outcome and summary are the upload's record, which is still kept",
    )


class DeclarationListOut(BaseModel):
    items: list[DeclarationOut]
    next_cursor: str | None = None


# --- invoices (R21-R23, R26: the provider's own patients, so names are shown) -------------


class InvoiceSummaryOut(BaseModel):
    invoice_id: str
    reference: str = Field(pattern=r"^\d{14}$")
    declaration_id: str
    patient_ref: str
    addressee: str
    channel: str
    issue_date: date
    final_payment_date: date
    payment_status: str = Field(description="open, partly_paid or paid")
    state: str
    original_amount: int = Field(description="cents asked when issued")
    amount_due: int = Field(
        description="cents due today, as the patient is told (checker, e-mails, agency): the"
        " balance plus the statutory interest accrued and not yet booked (R20); the"
        " breakdown's due. On the day the collection costs fall due, until that day's run"
        " has charged them, the checker already counts them and this does not (R17)"
    )
    debtor_risk_with_provider: bool
    second_notice_waits: bool = Field(
        description="true while state is second_notice_sent and the final notice has not gone"
        " yet (R19): queued for the next daily run, held by a hold on another invoice of its"
        " letter (R16), or to be sent again after its e-mail bounced (R7: on paper, or once"
        " you have a postal address); the portal says 'Aanmaning wordt nog verstuurd'. The"
        " day the claim goes to the collection agency counts from the notice's own day, so"
        " none is known yet (the detail's breakdown.pay_by is null). False once it went, and"
        " in every other state"
    )

    @classmethod
    def listed(cls, page: InvoicePage, waiting: frozenset[str]) -> list[InvoiceSummaryOut]:
        """A list's page; ``waiting``: the ids whose final notice has not gone yet
        (``services.provider.invoices.final_notices_waiting``)."""
        return [
            cls.of(i, page.as_of, second_notice_waits=i.invoice_id in waiting)
            for i in page.invoices
        ]

    @classmethod
    def of(cls, invoice: Invoice, today: date, *, second_notice_waits: bool) -> InvoiceSummaryOut:
        return cls(
            invoice_id=invoice.invoice_id,
            reference=invoice.reference,
            declaration_id=invoice.declaration_id,
            patient_ref=invoice.patient_ref,
            addressee=invoice.addressee.display_name,
            channel=invoice.channel.value,
            issue_date=invoice.issue_date,
            final_payment_date=invoice.current_final_payment_date,
            payment_status=ledger_payment_status(invoice).value,
            state=invoice_state(invoice, today).value,
            original_amount=invoice.original_amount_cents,
            amount_due=amount_due_today(invoice, today),
            debtor_risk_with_provider=invoice.debtor_risk_with_provider,
            second_notice_waits=second_notice_waits,
        )


class InvoiceListOut(BaseModel):
    items: list[InvoiceSummaryOut]
    next_cursor: str | None = Field(
        default=None,
        description="Pass as cursor (in the query, or in the search's body) for the next "
        "page; none on the last page. Every page before the last holds limit invoices, "
        "also when filtered",
    )


# What the list's query and the search's body say of two of their filters (the audit's
# patient filter says the first too).
PATIENT_REF_TEXT = (
    "Your patient number as your files write it: the spaces around it do not matter, the "
    "case of its letters does (it is the number your files group and block a patient by), "
    "so a number nothing has as typed but one has in another case is a 400 naming that one "
    "(an empty answer for pat000002 would say PAT000002 has none); all digits, with or "
    "without leading zeros (0001001 and 1001 are one patient)"
)
REFERENCE_TEXT = (
    "A betalingskenmerk as typed or pasted (spaces, dots, dashes, slashes, a PDF's no-break "
    "spaces): the one invoice with it, if the other filters hold it too, else none; one "
    "page. Not 14 digits with a right check digit: 400"
)


class InvoiceFilterIn(BaseModel):
    """The invoice list's filters: one model for the list's query and the search's body,
    so the two take the same filters the same way (closing 14: the search took no
    kenmerk)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: Literal["open", "partly_paid", "paid"] | None = None
    patient_ref: str | None = Field(default=None, max_length=64, description=PATIENT_REF_TEXT)
    issued_from: date | None = Field(default=None, alias="from")
    issued_until: date | None = Field(default=None, alias="to")
    reference: str | None = Field(default=None, max_length=40, description=REFERENCE_TEXT)

    def wanted(self, name: str = "") -> InvoiceFilter:
        """The store's filter; the kenmerk is looked up apart (``reference``)."""
        return InvoiceFilter(
            payment_status=PaymentStatus(self.status) if self.status else None,
            patient_ref=self.patient_ref or "",
            patient_name=name,
            issued_from=self.issued_from.isoformat() if self.issued_from else "",
            issued_until=self.issued_until.isoformat() if self.issued_until else "",
        )


class InvoiceSearchIn(InvoiceFilterIn):
    """A search by the patient's or debtor's name: in the body, never in a URL (R29). The
    other filters are those of the list."""

    name: str = Field(
        min_length=1,
        max_length=100,
        description="Case and accents do not matter (nor ı, ł, ø, æ: yilmaz finds Yılmaz), "
        "each word matches the start of a name word; without from, the last two years. "
        "Without letters or digits: 400",
    )
    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = None


class LineOut(BaseModel):
    claim_ref: str
    treatment_date: date
    treatment_code: str
    description: str
    line_type: str
    quantity: int
    unit_price: int
    amount: int
    reimbursed: int
    to_pay: int


class LedgerEntryOut(BaseModel):
    kind: str
    component: str
    amount: int
    at: datetime
    cause: str
    note: str

    @classmethod
    def of(cls, entry: LedgerEntry, **more: Any) -> Self:
        return cls(
            kind=entry.kind.value,
            component=entry.component.value,
            amount=entry.amount_cents,
            # In Dutch time, as every moment we answer: a moment stored in another zone
            # (a PSP stamps in UTC) showed on the invoice page on its UTC day (utcday56).
            at=entry.at.astimezone(AMSTERDAM),
            cause=entry.cause,
            note=entry.note,
            **more,
        )


class LetterOut(BaseModel):
    kind: str
    channel: str
    at: datetime


class ActionOut(BaseModel):
    action_id: str
    kind: str
    invoice_id: str
    reference: str
    created_at: datetime
    state: str
    details: dict[str, Any]

    @classmethod
    def of(cls, action: OpenAction) -> ActionOut:
        return cls(
            action_id=action.action_id,
            kind=action.kind.value,
            invoice_id=action.invoice_id,
            reference=action.reference,
            # In Dutch time, as every moment we answer: an e-mail event is stamped in UTC
            # by SES, and its day on the actions page was the UTC one (audit actions56).
            created_at=action.created_at.astimezone(AMSTERDAM),
            state=action.state.value,
            details=dict(action.details),
        )


class InvoiceDetailOut(InvoiceSummaryOut):
    birth_date: date
    patient_email: str = Field(
        description="the address the patient's e-mails about this invoice go to (the debtor's,"
        " for a minor): a stop's patient_email is this one, checked or corrected (R21);"
        " empty for a patient without one, who is written to on paper"
    )
    breakdown: BreakdownOut = Field(
        description="what is due today and why, and the date that counts now (R36)"
    )
    lines: list[LineOut]
    ledger: list[LedgerEntryOut]
    letters: list[LetterOut]
    actions: list[ActionOut]
    warnings: list[str]

    @classmethod
    def of_detail(cls, detail: InvoiceDetail) -> InvoiceDetailOut:
        invoice = detail.invoice
        return cls(
            **InvoiceSummaryOut.of(
                invoice, detail.as_of, second_notice_waits=detail.final_notice_waits
            ).model_dump(),
            birth_date=invoice.birth_date,
            patient_email=invoice.addressee.email,
            breakdown=BreakdownOut.of(detail.breakdown),
            lines=[
                LineOut(
                    claim_ref=line.claim_ref,
                    treatment_date=line.treatment_date,
                    treatment_code=line.treatment_code,
                    description=line.description,
                    line_type=line.line_type.value,
                    quantity=line.quantity,
                    unit_price=line.unit_price_cents,
                    amount=line.amount_cents,
                    reimbursed=line.reimbursed_cents,
                    to_pay=line.patient_share_cents,
                )
                for line in invoice.lines
            ],
            ledger=[LedgerEntryOut.of(e) for e in invoice.ledger],
            letters=[
                LetterOut(kind=c.kind, channel=c.channel.value, at=c.at.astimezone(AMSTERDAM))
                for c in invoice.correspondence
            ],
            actions=[ActionOut.of(a) for a in detail.actions],
            warnings=list(invoice.warnings),
        )


ACTION_NEXT_CURSOR = (
    "More actions follow this page: pass as cursor, with the same state, for the next page,"
    " which goes on after this page's last action (by created_at, then action_id: none"
    " lost, none twice); none on the last page. An action made while you read the pages"
    " comes on the last one; one whose state changed meanwhile may be missing from a list"
    " of one state or still in it: GET /api/v1/provider/actions/{action_id} reads it anew"
)


class ActionListOut(BaseModel):
    items: list[ActionOut] = Field(description="oldest first (created_at, then action_id)")
    next_cursor: str | None = Field(default=None, description=ACTION_NEXT_CURSOR)

    @classmethod
    def of(cls, actions: list[OpenAction], following: str | None) -> ActionListOut:
        """A page of the action list and the cursor of the next (R23, R35)."""
        return cls(
            items=[ActionOut.of(a) for a in actions],
            next_cursor=next_cursor_of(following),
        )


class InsurerClaimExportOut(BaseModel):
    """One upload's lines for one insurer (R5), as the CSV the practice sends on."""

    uzovi: str
    declaration_id: str = Field(description="the upload these lines came from")
    written_at: datetime
    size_bytes: int
    download_url: str = Field(
        description="an HTTP GET of the CSV until download_expires_at; ask the list again for"
        " a fresh link. The file holds BSNs: keep it within the practice"
    )
    download_expires_at: datetime

    @classmethod
    def of(cls, export: InsurerClaimExport) -> InsurerClaimExportOut:
        return cls(
            uzovi=export.uzovi,
            declaration_id=export.declaration_id,
            written_at=export.written_at,
            size_bytes=export.size_bytes,
            download_url=export.download_url,
            download_expires_at=export.download_expires_at,
        )


class InsurerClaimExportListOut(BaseModel):
    items: list[InsurerClaimExportOut] = Field(
        description="per insurer (UZOVI), then oldest upload first; a file deleted at the end"
        " of its retention since it was listed is left out, so a page may hold fewer than"
        " asked and next_after still goes on"
    )
    next_after: str | None = Field(
        default=None, description="pass as ?after= for the next page; none on the last page"
    )


class ActionPatch(BaseModel):
    """Set the state; for a coulance proposal (R17) ``decision`` applies or declines it
    (the action is then done)."""

    model_config = ConfigDict(extra="forbid")

    state: Literal["open", "done"]
    decision: Literal["apply", "decline"] | None = None


def _none_or_plausible(email: str) -> str:
    """An address we can send to (the one check of shared.email_address), or none. Refused
    as the contact's address is, by how one is typed (R21, R35; portal51b: "Value error,
    not an e-mail address", and the portal's stop form named the field only)."""
    if email and not is_plausible_email(email):
        raise refused("email_not_plausible")
    return email


# R21, R7: empty only for a patient the invoice has no address of (an empty one for an
# invoice with one is refused by changes/stop.practice_stop); the confirmation of the
# stop then goes on paper. A malformed one is refused here: 400.
PatientEmail = Annotated[str, Field(max_length=MAX_EMAIL_CHARS), AfterValidator(_none_or_plausible)]


class StopIn(BaseModel):
    """R21: stop the whole invoice, or part of it as an amount or a percentage of the
    ORIGINAL invoice amount. Irreversible."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    scope: Literal["full", "partial"]
    # Strict: JSON true is no amount (it was booked as 1 cent), nor is the text "500".
    amount: int | None = Field(default=None, gt=0, strict=True, description="cents (partial only)")
    percentage: Decimal | None = Field(
        default=None,
        gt=0,
        le=100,
        max_digits=5,
        decimal_places=2,
        description="of the original invoice amount (partial only)",
    )
    reason: Literal[STOP_REASONS]  # type: ignore[valid-type]
    patient_email: PatientEmail = Field(
        default="",
        description="the invoice's address, checked or corrected; required when the invoice "
        "has one (422 patient_email_required). Empty or left out for a patient without one: "
        "the confirmation goes on paper. A malformed address: 400",
    )
    accept_terms: bool

    def request(self) -> StopRequest:
        return StopRequest(
            scope=StopScope(self.scope),
            reason=self.reason,
            patient_email=self.patient_email,
            accept_terms=self.accept_terms,
            amount_cents=self.amount,
            percentage=self.percentage,
        )


class HoldIn(BaseModel):
    """R16: pause dunning while the provider looks into an objection (at most 60 days)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    until: date = Field(
        description="the hold's last day, included: after today and at most 59 days after"
        " it, as the day it is placed counts (60 days in all, renewals included)"
    )
    reason: str = Field(min_length=1, max_length=500)


# --- retrocession statements (R24) and debtor risk (R25) ------------------------------------


class RetrocessionWeekOut(BaseModel):
    """One week's statement in the list: the settlement in cents."""

    week: str = Field(examples=["2026-W48"])
    period_start: datetime = Field(description="Monday 00:00 Europe/Amsterdam")
    period_end: datetime = Field(description="the next Monday 00:00 (exclusive)")
    service_fee_percentage: Decimal
    entries: int = Field(description="ledger entries on the statement")
    invoices: int
    received: int = Field(description="cents: payments less reversals")
    refunded: int = Field(description="cents paid back to patients")
    service_fee: int
    payout: int = Field(description="received - refunded - service_fee; negative: you owe it")
    collected_by_agency: int = Field(
        default=0,
        description=(
            "information, cents: what the collection agency reported collected this week."
            " It settled the claims but is not in our account, so not in received or the"
            " payout; its transfer is received in the week it arrives"
        ),
    )
    remitted_by_agency: int = Field(
        default=0,
        description=(
            "information, cents: of received, what the collection agency transferred to us"
            " this week of what it collected (in received and the payout); the statement's"
            " information.remitted_by_agency"
        ),
    )

    @classmethod
    def of(cls, summary: StatementSummary) -> RetrocessionWeekOut:
        return cls(
            week=summary.week.label,
            period_start=summary.week.starts_at,
            period_end=summary.week.ends_at,
            service_fee_percentage=summary.service_fee_percentage,
            entries=summary.entries,
            invoices=summary.invoices,
            received=summary.received_cents,
            refunded=summary.refunded_cents,
            service_fee=summary.service_fee_cents,
            payout=summary.payout_cents,
            collected_by_agency=summary.collected_by_agency_cents,
            # None only before statements.with_agency_transfers read it from the file
            remitted_by_agency=summary.remitted_by_agency_cents or 0,
        )


class RetrocessionListOut(BaseModel):
    items: list[RetrocessionWeekOut] = Field(description="newest week first")
    next_before: str | None = Field(
        default=None, description="pass as ?before= for the older weeks; none when that was all"
    )


class SettlementOut(BaseModel):
    received: int
    refunded: int
    service_fee: int
    payout: int


class StatementLineOut(BaseModel):
    """One ledger entry (R27), in the ledger's sign: + raises what the patient owes."""

    date: date
    at: datetime
    reference: str = Field(pattern=r"^\d{14}$")
    invoice_id: str
    kind: str
    component: str
    amount: int
    cause: str
    note: str


class RetrocessionStatementOut(BaseModel):
    """The week's statement as stored (retrocession.statement_document)."""

    provider_id: str
    week: str
    period_start: datetime
    period_end: datetime
    currency: Literal["EUR"]
    service_fee_percentage: Decimal
    settlement: SettlementOut
    received_by_component: dict[str, int] = Field(description="principal, costs, interest")
    totals_by_kind: dict[str, int] = Field(description="per ledger entry kind, ledger sign")
    information: dict[str, int] | None = Field(
        default=None,
        description=(
            "in a week with the collection agency's money only, cents: collected_by_agency"
            " (the agency reported it collected: it settled the claims but is not in our"
            " account, so not received and not paid out) and remitted_by_agency (the"
            " agency's transfers of what it collected: in received)"
        ),
    )
    invoices: int
    lines: list[StatementLineOut]
    payout: dict[str, Any] | None = Field(
        default=None,
        description=(
            "the payout's state (proposed, approved, sent, booked, returned, carried,"
            " waiting; withdrawn: its week is to be planned again in a new batch), its"
            " batch, the dates of each step, and what was carried or owed again"
        ),
    )


class OutcomeFiguresOut(BaseModel):
    count: int
    amount: int = Field(description="cents: the original amounts asked of the patients")
    count_share: Decimal | None = Field(description="percent of the count; null: no invoices")
    amount_share: Decimal | None


class RiskFiguresOut(BaseModel):
    period: str = Field(description="a month (2026-11), or the range (2026-01..2026-12)")
    invoices: int = Field(
        description=(
            "the invoices issued in the period, except one the insurer's retour paid in full:"
            " it asked the patient for nothing in the end (R5)"
        )
    )
    amount: int = Field(description="cents: the original amounts asked of the patients")
    paid_on_time: OutcomeFiguresOut = Field(
        description=(
            "paid by the final payment date (as deferred), or by the last term of a kept"
            " arrangement, before any reminder; an invoice counts by the date it was paid, not"
            " the day we learned of it"
        )
    )
    paid_late: OutcomeFiguresOut = Field(
        description=(
            "paid after the final payment date (or the last term of the arrangement) before"
            " any reminder was sent"
        )
    )
    paid_after_reminder: OutcomeFiguresOut = Field(
        description=(
            "paid on or after the day a reminder was sent (one that reached the patient),"
            " before the handover to the collection agency"
        )
    )
    paid_after_collection: OutcomeFiguresOut = Field(
        description="paid on or after the day of the handover to the collection agency"
    )
    stopped: OutcomeFiguresOut = Field(
        description=(
            "nothing left to pay and no payment covered the principal: stopped or forgiven"
            " as coulance by you (R21), or taken back by a credit declaration"
        )
    )
    unpaid: OutcomeFiguresOut = Field(
        description=(
            "past the final payment date (or the last term of an arrangement that runs),"
            " or written off by the collection agency"
        )
    )
    open: OutcomeFiguresOut = Field(
        description=(
            "not yet due, or the patient was told not to pay yet while the insurer's"
            " statement (or your decision on its coulance proposal) is awaited (R37)"
        )
    )

    @classmethod
    def of(cls, figures: RiskFigures) -> RiskFiguresOut:
        outcomes = {
            outcome.value: OutcomeFiguresOut(
                count=figures.by_outcome[outcome].count,
                amount=figures.by_outcome[outcome].amount_cents,
                count_share=figures.count_share(outcome),
                amount_share=figures.amount_share(outcome),
            )
            for outcome in Outcome
        }
        total = figures.total
        return cls(
            period=figures.label, invoices=total.count, amount=total.amount_cents, **outcomes
        )


class DebtorRiskOut(BaseModel):
    """R25: how the invoices of each month of issue ended up, as of a day."""

    from_month: str
    to_month: str
    as_of: date
    months: list[RiskFiguresOut]
    total: RiskFiguresOut

    @classmethod
    def of(cls, risk: DebtorRisk) -> DebtorRiskOut:
        return cls(
            from_month=risk.first.label,
            to_month=risk.last.label,
            as_of=risk.as_of,
            months=[RiskFiguresOut.of(month) for month in risk.months],
            total=RiskFiguresOut.of(risk.total),
        )


# --- insurer retour files (interfaces.md §1b, issue 7) ---------------------------------------


class RetourUploadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file_name: str = Field(min_length=1, max_length=200, examples=["vgz-retour-week-47.pm305"])
    size_bytes: int | None = _size_bytes()


class RetourUploadTicketOut(AttributesOut):
    # The ticket's declaration id, under the name the retour answer gives it.
    upload_id: str = Field(
        validation_alias="declaration_id",
        description="Read its status and report at GET /api/v1/provider/declarations/{upload_id}",
    )
    upload_url: str = Field(description=_UPLOAD_URL)
    upload_headers: dict[str, str] = _upload_headers()
    expires_at: datetime


# --- blocked patients (R22): the provider's patient numbers and dates, nothing else ------------


class BlockedPatientOut(BaseModel):
    patient_ref: str = Field(description="your own patient number, as in your declarations")
    blocked_at: datetime = Field(
        description="since when the patient is blocked: the moment of the 'blocked' change "
        "that GET /api/v1/provider/blocked-patients/changes serves for this block (a claim "
        "handed to the collection agency, or owed there again after a returned payment, "
        "while no other claim kept the patient blocked); never before the patient's last "
        "unblock, so not always a handover's moment. Claims joining the block later do not "
        "move it."
    )
    invoice_ids: list[str] = Field(
        description="the invoices at the collection agency that keep the block; each opens at "
        "GET /api/v1/provider/invoices/{invoice_id}"
    )

    @classmethod
    def of(cls, blocked: BlockedPatient) -> BlockedPatientOut:
        return cls(
            patient_ref=blocked.patient_ref,
            blocked_at=blocked.blocked_at.astimezone(AMSTERDAM),
            invoice_ids=list(blocked.invoice_ids),
        )


BLOCKED_NEXT_CURSOR = (
    "More blocked patients follow this page: pass as cursor for the next page, which goes on"
    " after this page's last patient number (none lost, none twice); none on the last page."
    " A patient blocked or unblocked while you read the pages may be missing or still listed:"
    " GET /api/v1/provider/blocked-patients/changes serves that change"
)


class BlockedPatientListOut(BaseModel):
    items: list[BlockedPatientOut] = Field(description="by patient number")
    next_cursor: str | None = Field(default=None, description=BLOCKED_NEXT_CURSOR)

    @classmethod
    def of(cls, found: BlockedPatients) -> BlockedPatientListOut:
        """The API's answer and the portal's JSON download alike (R22, R35)."""
        following = found.next_position
        return cls(
            items=[BlockedPatientOut.of(b) for b in found.patients],
            next_cursor=next_cursor_of(following),
        )


class BlockChangeOut(BaseModel):
    patient_ref: str
    change: Literal["blocked", "unblocked"]
    at: datetime

    @classmethod
    def of(cls, change: BlockChange) -> BlockChangeOut:
        return cls(
            patient_ref=change.patient_ref,
            change=change.change.value,
            at=change.at.astimezone(AMSTERDAM),
        )


NEXT_SINCE = (
    "ask with this as ?since= next time: the moment of this request less"
    f" {STAMP_BEFORE_WRITE // timedelta(minutes=1)} minutes, or since when that is later"
    " and not after this request (a since ahead of our clock is answered with the moment of"
    " this request less those minutes, so no change made meanwhile is skipped), as a change"
    " can be written up to that long after the moment it carries. Not the moment of the last change"
    " here: that could skip a change written late. So a change may come twice; applying a"
    " change twice is harmless. With next_cursor (more follow): no later than this page's"
    " last change, so asking from it reads the rest"
)
NEXT_CURSOR = (
    "More changes follow this page: pass as cursor, with the same since, for the next page"
    " (none lost, none twice, also of changes at one moment); none on the last page, whose"
    " next_since is the one to ask from next time"
)


class BlockChangeListOut(BaseModel):
    since: datetime
    items: list[BlockChangeOut] = Field(description="oldest first")
    next_since: datetime = Field(description=NEXT_SINCE)
    next_cursor: str | None = Field(default=None, description=NEXT_CURSOR)

    @classmethod
    def of(cls, found: BlockChanges) -> BlockChangeListOut:
        """The API's answer and the portal's JSON download alike (R22, R35)."""
        return cls(
            since=found.since,
            items=[BlockChangeOut.of(c) for c in found.changes],
            next_since=found.next_since.astimezone(AMSTERDAM),
            next_cursor=next_cursor_of(found.next_position),
        )


class PracticeReadOut(BaseModel):
    at: datetime = Field(description="When, on the Dutch clock (Europe/Amsterdam)")
    by: str = Field(
        description="Who: a colleague's e-mail address as the user directory has it (empty "
        "for a user it no longer knows), or zorgnota for zorgnota's staff"
    )
    user_id: str = Field(description="Their user id (the sign-in's id), as recorded")
    role: str = Field(description="admin, staff, viewer, or operators (zorgnota)")
    kind: str = Field(description=", ".join(kind.value for kind in ReadKind))
    subject: str = Field(description="Which invoice, list or file, by id; never its contents")

    @classmethod
    def of(cls, record: ReadRecord, by: dict[str, str]) -> PracticeReadOut:
        return cls(
            at=record.at.astimezone(AMSTERDAM),
            by=by.get(record.user_id, ""),
            user_id=record.user_id,
            role=record.role,
            kind=record.kind.value,
            subject=record.subject,
        )


class PracticeAuditOut(BaseModel):
    patient_ref: str | None = Field(description="The patient asked for; none: every read")
    items: list[PracticeReadOut]
    next_cursor: str | None = Field(
        default=None,
        description="Pass as cursor, with the same patient_ref, from and to, for the next "
        "page; none on the last page. A page asked for one patient may hold fewer than "
        "limit reads and still give a cursor: the practice's reads are gone through in "
        "parts",
    )
