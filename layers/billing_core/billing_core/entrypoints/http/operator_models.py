"""Request and response bodies of the operator API (interfaces.md §6, R31-R34, issue 19).
Amounts in cents; accounts are shown to operators only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Self

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from billing_core.entrypoints.http.answers import AttributesOut
from billing_core.entrypoints.http.provider_models import LedgerEntryOut
from billing_core.invoices.invoice import Invoice
from billing_core.payments.transfer_batches import TransferBatch
from billing_core.payments.unmatched import MatchPart, MatchTarget, UnmatchedCredit
from billing_core.providers.provider import Iban, Text, Uzovi
from billing_core.providers.week import WEEK_PATTERN
from billing_core.services.operator.migrations import MigrationReport
from billing_core.services.operator.money_out import RefundRequest
from billing_core.services.operator.register import LoadedVersion
from billing_core.shared.audit import ReadKind, ReadRecord
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.settings_rules import refused

# The ``cursor`` of the operator's paged lists: the next_cursor of the page before (any
# page hands out one far shorter than 400), read by cursor.after.
Cursor = Annotated[
    str | None,
    Query(alias="cursor", max_length=400, description="next_cursor of the page before"),
]


class StepOut(BaseModel):
    what: str = Field(description="proposed, approved, sending, sent or withdrawn")
    by: str = Field(description="the operator's user id, or schedule")
    at: datetime = Field(description="When, on the Dutch clock (Europe/Amsterdam)")
    reason: str = Field(description="why, for a withdrawal; empty otherwise")


class TransferOut(AttributesOut):
    end_to_end_id: str
    provider_id: str
    iban: str
    name: str
    amount_cents: int
    remittance: str
    invoice_reference: str = Field(description="a refund: the invoice it pays back")
    bank_state: str = Field(description="awaited, booked or returned")
    bank_date: date | None
    return_reason: str
    repaid_in: str = Field(description="a returned payout: the batch that paid it again")
    reduced_from_cents: int = Field(
        description="a refund whose invoice held less credit when its batch was sent than "
        "when it was proposed: the amount proposed (amount_cents is what was paid; "
        "0: left out of the file); 0 when paid as proposed"
    )


class SettlementOut(AttributesOut):
    provider_id: str
    weeks: list[str]
    statement_payout_cents: int
    carried_in_cents: int
    owed_again_cents: int
    paid_cents: int
    carried_out_cents: int


class BatchOut(BaseModel):
    batch_id: str
    kind: str = Field(description="payout or refund")
    state: str = Field(description="proposed, approved, sent or withdrawn")
    week: str
    total_cents: int
    file_key: str = Field(description="the pain.001 in the output bucket, once sent")
    steps: list[StepOut]
    transfers: list[TransferOut]
    settlements: list[SettlementOut]
    waiting: list[str] = Field(description="practices without a statement yet")

    @classmethod
    def of(cls, b: TransferBatch) -> BatchOut:
        return cls(
            batch_id=b.batch_id,
            kind=b.kind.value,
            state=b.state.value,
            week=b.week,
            total_cents=b.total_cents,
            file_key=b.file_key,
            steps=[
                StepOut(what=s.what, by=s.by, at=s.at.astimezone(AMSTERDAM), reason=s.reason)
                for s in b.steps
            ],
            transfers=[TransferOut.of(t) for t in b.transfers],
            settlements=[SettlementOut.of(s) for s in b.settlements],
            waiting=list(b.waiting),
        )


class BatchListOut(BaseModel):
    items: list[BatchOut]
    next_cursor: str | None = Field(
        default=None,
        description="Pass as cursor for the next page, the older batches; none on the last page",
    )


class ProposePayoutsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    week: str = Field(pattern=WEEK_PATTERN, examples=["2026-W48"])


class RefundIn(BaseModel):
    """Refused when proposed: an account holder without a character a bank accepts (400),
    a kenmerk no invoice has (422 unknown_kenmerk), an IBAN outside the SEPA countries
    (422 iban_not_sepa), credit that goes back through the PSP (422 psp_refund_pending,
    credit_from_psp_payment), credit of money the collection agency has not transferred
    to us yet (422 credit_awaited_from_agency)."""

    model_config = ConfigDict(extra="forbid")

    reference: str = Field(min_length=14, max_length=20, description="the invoice's kenmerk")
    iban: Iban = Field(description="an account in a SEPA country")
    account_holder: Text = Field(description="Latin letters, digits and / - ? : ( ) . , ' +")
    amount_cents: int | None = Field(
        default=None, gt=0, description="empty: the whole credit refundable by bank"
    )

    def request(self) -> RefundRequest:
        return RefundRequest(self.reference, self.iban, self.account_holder, self.amount_cents)


class RefundsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refunds: list[RefundIn] = Field(min_length=1, max_length=500)


class WithdrawIn(BaseModel):
    # Stripped before the length is checked: spaces alone are no reason (R34).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=3, max_length=500, description="why it is withdrawn")


class HeldCreditOut(AttributesOut):
    """An invoice holding credit for its patient. Listed even when none of it can be
    refunded by bank (R13: never silently dropped)."""

    provider_id: str
    invoice_id: str
    reference: str
    credit_cents: int = Field(description="all the credit the invoice holds")
    by_bank_cents: int = Field(
        description="what a bank refund (POST /operator/refunds) may pay back: the credit "
        "less what came from an online (PSP) payment, which goes back through the PSP, and "
        "less what the collection agency collected and has not transferred to us yet"
    )
    psp_refund_pending: bool = Field(
        description="a refund through the PSP was asked and not confirmed (a timeout): it "
        "may have been paid; check the payment in the PSP's dashboard. That credit is not "
        "refunded by bank (422 psp_refund_pending)"
    )
    psp_payments_pending: list[str] = Field(
        description="the PSP payments whose refund is pending: look each up in the PSP's "
        "dashboard and record what it says (POST /operator/invoices/{reference}/psp-refunds/"
        "{psp_payment_id})"
    )
    in_batch: str = Field(description="the refund batch not yet sent that pays it back")
    awaited_from_agency_cents: int = Field(
        description="of the credit, money the collection agency reported collected and has "
        "not transferred to us yet: not refunded by bank until that transfer is read (422 "
        "credit_awaited_from_agency), then part of by_bank_cents"
    )


class PspRefundOutcomeIn(BaseModel):
    """What the PSP's dashboard says of a refund asked of it and never confirmed."""

    model_config = ConfigDict(extra="forbid")

    outcome: Literal["refunded", "failed"]
    refund_id: str = Field(
        default="",
        pattern=r"^([A-Za-z0-9_]{1,64})?$",
        description="refunded: the PSP's id of the refund (Mollie: re_...); failed: empty",
    )
    amount_cents: int | None = Field(
        default=None,
        gt=0,
        description="refunded: what the PSP paid back, when less than was asked of it (a "
        "refund made by hand in its dashboard); the rest is then refundable by bank. Empty: "
        "what was asked. Failed: empty",
    )

    @model_validator(mode="after")
    def _refund_id_when_refunded(self) -> Self:
        if (self.outcome == "refunded") != bool(self.refund_id):
            raise refused("refund_id_fits_outcome")
        if self.outcome == "failed" and self.amount_cents is not None:
            raise refused("refund_amount_fits_outcome")
        return self


class HeldCreditListOut(BaseModel):
    items: list[HeldCreditOut]
    next_cursor: str | None = Field(
        default=None,
        description="Pass as cursor for the next page, the invoices after; none on the last page",
    )


class InsurerOut(BaseModel):
    uzovi: str
    name: str
    group: str
    labels: list[str]
    source: str = Field(description="The insurer's own page for providers the row was read from")


class RegisterIn(BaseModel):
    """A register version as CSV text in JSON (every API body is JSON, issue 13.14)."""

    model_config = ConfigDict(extra="forbid")

    csv: str = Field(
        min_length=1,
        max_length=60_000,
        description="UTF-8 CSV, ';' separated, header uzovi;name;group;labels;valid_from;source",
    )
    drops: list[Uzovi] = Field(
        default=[],
        max_length=1_000,
        description="The codes this version leaves out of the version it takes over from,"
        " confirmed: exactly those, or the load is refused (422 register_drops_insurers,"
        " naming them)",
        examples=[["3358"]],
    )
    later_drops: list[Uzovi] = Field(
        default=[],
        max_length=1_000,
        description="The codes this version lists that the later version loaded already"
        " (the next valid_from) leaves out, confirmed as ending then: exactly those, or the"
        " load is refused (422 register_later_version_lacks, naming them)",
        examples=[["3888"]],
    )
    group_changes: list[Uzovi] = Field(
        default=[],
        max_length=1_000,
        description="The codes whose group the load changes, confirmed: those this version"
        " lists in another group than the version it takes over from, and those it lists in"
        " another group than the later version loaded already that takes over from it."
        " Exactly those, or the load is refused (422 register_group_changes, or"
        " register_group_changes_later, naming each code with its old and new group). The group"
        ' decides where materials go: only those of group "VGZ" to the insurer first (R6)',
        examples=[["7095"]],
    )


class InsurerRegisterOut(BaseModel):
    version: str = Field(examples=["2025-01-01.1"])
    valid_from: date
    insurers: list[InsurerOut]
    loaded_by: str | None = Field(
        default=None, description="the Cognito user id of the operator who loaded it; null: shipped"
    )
    loaded_at: datetime | None = Field(
        default=None, description="when it was loaded, on the Dutch clock (Europe/Amsterdam)"
    )
    drops: list[str] = Field(
        default_factory=list,
        description="the codes of the version before it that the operator confirmed it "
        "leaves out (R33)",
    )
    later_drops: list[str] = Field(
        default_factory=list,
        description="the codes it lists that the later version loaded already leaves out, "
        "which the operator confirmed as ending then (R33)",
    )
    group_changes: list[str] = Field(
        default_factory=list,
        description="the codes it lists in another group than the version before it, which"
        " the operator confirmed (R33, R6)",
    )
    versions: list[str] = Field(
        default_factory=list,
        description="every version there is, the shipped one and each loaded, oldest first"
        " ({valid_from}.{n}): one loaded for a later date is read with ?on= that date (R33)",
        examples=[["2025-01-01.1", "2027-01-01.1"]],
    )

    @classmethod
    def of(cls, loaded: LoadedVersion) -> InsurerRegisterOut:
        register, load = loaded.register, loaded.load
        insurers = [
            InsurerOut(
                uzovi=i.uzovi, name=i.name, group=i.group, labels=list(i.labels), source=i.source
            )
            for i in register.insurers
        ]
        return cls(
            version=register.version,
            valid_from=register.valid_from,
            insurers=insurers,
            loaded_by=load.loaded_by if load else None,
            loaded_at=load.loaded_at.astimezone(AMSTERDAM) if load else None,
            drops=list(load.drops) if load else [],
            later_drops=list(load.later_drops) if load else [],
            group_changes=list(load.group_changes) if load else [],
            versions=list(loaded.versions),
        )


MatchOutcome = Literal["payment", "reversal", "refund_undone"]


class MatchPartOut(BaseModel):
    reference: str
    invoice_id: str
    amount_cents: int
    reverses: str = Field(
        default="",
        description="A returned transfer: the bank payment on the invoice it reversed",
    )
    outcome: MatchOutcome = Field(
        default="payment",
        description="What the part booked on the invoice: payment (money received); "
        "reversal (a returned transfer, the bank payment in reverses undone); refund_undone "
        "(our bank refund that the patient's bank returned, matched back to its invoice: "
        "the refund undone by amount_cents, held again as the patient's credit, no payment "
        "received and no e-mail; R13, R24, R34)",
    )


class UnmatchedCreditOut(BaseModel):
    credit_id: str
    statement_id: str
    entry_reference: str
    booking_date: date
    direction: str = Field(
        description="CRDT money in; DBIT a return nobody could trace, matched to an invoice "
        "as the reversal of a bank payment on it"
    )
    amount_cents: int
    currency: str
    reason: str
    kenmerk: str
    remittance_text: str
    counterparty_name: str
    counterparty_iban: str
    matched_at: datetime | None = Field(
        default=None,
        description="when an operator matched it, on the Dutch clock (Europe/Amsterdam)",
    )
    matched_to: list[MatchPartOut] = Field(default_factory=list)

    @classmethod
    def of(cls, credit: UnmatchedCredit) -> UnmatchedCreditOut:
        match = credit.match
        return cls(
            credit_id=credit.credit_id,
            statement_id=credit.statement_id,
            entry_reference=credit.entry_reference,
            booking_date=credit.booking_date,
            direction=credit.direction,
            amount_cents=credit.amount_cents,
            currency=credit.currency,
            reason=credit.reason,
            kenmerk=credit.kenmerk,
            remittance_text=credit.remittance_text,
            counterparty_name=credit.counterparty_name,
            counterparty_iban=credit.counterparty_iban,
            matched_at=match.matched_at.astimezone(AMSTERDAM) if match else None,
            matched_to=[
                MatchPartOut(
                    reference=p.reference,
                    invoice_id=p.invoice_id,
                    amount_cents=p.amount_cents,
                    reverses=p.reverses,
                    outcome=_outcome(p),
                )
                for p in (match.parts if match else ())
            ],
        )


def _outcome(part: MatchPart) -> MatchOutcome:
    if part.reverses:
        return "reversal"
    return "refund_undone" if part.refund_undone else "payment"


class UnmatchedCreditListOut(BaseModel):
    items: list[UnmatchedCreditOut]
    next_cursor: str | None = Field(
        default=None,
        description="Pass as cursor for the next page, the credits after; none on the last page",
    )


class MatchIn(BaseModel):
    """Either ``reference``, ``references`` (one transfer for several invoices, split in
    the order given: each gets what it owed on the credit's date, the last also what is
    left over), or ``provider_id`` with ``patient_ref``; a return (DBIT) takes the
    ``reference`` of the invoice whose bank payment it reverses."""

    model_config = ConfigDict(extra="forbid")

    reference: str | None = Field(default=None, max_length=32)
    references: list[Annotated[str, Field(max_length=32)]] | None = Field(
        default=None, min_length=1, max_length=20
    )
    provider_id: str | None = Field(default=None, max_length=64)
    patient_ref: str | None = Field(default=None, max_length=64)

    def target(self) -> MatchTarget:
        references = tuple(self.references or ())
        return MatchTarget(
            self.reference or "", self.provider_id or "", self.patient_ref or "", references
        )


class ReadOut(BaseModel):
    at: datetime = Field(description="When, on the Dutch clock (Europe/Amsterdam)")
    user_id: str
    role: str
    kind: str = Field(description=", ".join(kind.value for kind in ReadKind))
    subject: str = Field(description="Which invoice, list or file; never its contents")

    @classmethod
    def of(cls, record: ReadRecord) -> ReadOut:
        return cls(
            at=record.at.astimezone(AMSTERDAM),
            user_id=record.user_id,
            role=record.role,
            kind=record.kind.value,
            subject=record.subject,
        )


class AuditOut(BaseModel):
    provider_id: str
    items: list[ReadOut]
    next_cursor: str | None = Field(
        default=None,
        description="Pass as cursor, with the same provider_id, from and to, for the next "
        "page; none on the last page",
    )


class CorrectionIn(BaseModel):
    # Stripped before the length is checked: spaces alone are no reason (R34, R27).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # Strict: JSON true is no entry (it was read as entry 1), nor is the text "4".
    entry_id: int = Field(
        ge=1, strict=True, description="The entry's place in the ledger, 1 the first"
    )
    reason: str = Field(min_length=3, max_length=500)


class NumberedEntryOut(LedgerEntryOut):
    entry_id: int = Field(description="The entry's place in the ledger, 1 the first")


class CorrectedInvoiceOut(BaseModel):
    invoice_id: str
    reference: str
    balance_cents: int
    ledger: list[NumberedEntryOut]

    @classmethod
    def of(cls, invoice: Invoice) -> CorrectedInvoiceOut:
        return cls(
            invoice_id=invoice.invoice_id,
            reference=invoice.reference,
            balance_cents=invoice.balance_cents,
            ledger=[
                NumberedEntryOut.of(entry, entry_id=number)
                for number, entry in enumerate(invoice.ledger, start=1)
            ],
        )


class MigrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider_id: str = Field(
        default="",
        pattern=r"^([a-z0-9][a-z0-9-]{1,62})?$",
        description="one practice; empty: every practice",
    )
    resume: str = Field(
        default="",
        max_length=200,
        description="the `resume` of the previous answer, as it was: go on from there",
    )


class MigrationCountsOut(BaseModel):
    invoices_total: int
    invoices_done: int
    names_written: int = Field(description="searchable names this run added (issue 16)")
    markers_written: int = Field(description="kenmerk markers this run added (issue 13)")
    handovers_rekeyed: int = Field(description="handover actions moved to their day's id")
    kenmerk_conflicts: int = Field(description="invoices whose kenmerk another one holds")


class PracticeMigratedOut(MigrationCountsOut):
    provider_id: str


class ExpiryCountsOut(BaseModel):
    """Version 2, settled-invoice-expiry (legal-nl.md §8)."""

    invoices_total: int
    invoices_done: int
    invoice_expiries_written: int = Field(description="settled invoices given their expiry")
    marker_expiries_written: int = Field(description="their kenmerk and line markers' expiry")
    expiries_present: int = Field(description="settled invoices that had it all: none written")
    open_invoices_skipped: int = Field(description="open invoices: kept, no expiry")


class PracticeExpiredOut(ExpiryCountsOut):
    provider_id: str


class ActionExpiryCountsOut(BaseModel):
    """Version 3, expired-invoice-actions (legal-nl.md §8, R29): counted over the invoices
    the practice's actions name."""

    invoices_total: int
    invoices_done: int
    removed_invoices: int = Field(description="invoices with actions the table no longer holds")
    action_expiries_written: int = Field(description="their actions given the expiry of now")
    action_expiries_present: int = Field(description="their actions that had one: none written")


class PracticeActionsExpiredOut(ActionExpiryCountsOut):
    provider_id: str


class SearchNameCountsOut(BaseModel):
    """Version 4, invoice-search-names (audit INTERFACES1, R35)."""

    invoices_total: int
    invoices_done: int
    names_written: int = Field(description="invoices whose names were folded as before")
    names_present: int = Field(description="invoices that had today's names: none written")


class PracticeSearchNamesOut(SearchNameCountsOut):
    provider_id: str


class StoredExpiryCountsOut(BaseModel):
    """Version 5, statement-upload-batch-expiry (legal-nl.md §8, R39): counted over the
    practices' weekly statement items and upload records; the batches once a run has been
    through every practice."""

    invoices_total: int = Field(description="the practice's statement items and upload records")
    invoices_done: int
    item_expiries_written: int = Field(description="items given the expiry their save writes")
    item_expiries_present: int = Field(description="items that had one: none written")
    batch_expiries_written: int | None = Field(
        default=None, description="sent or withdrawn batches given theirs; none: one practice"
    )
    batch_expiries_present: int | None = Field(default=None, description="batches that had one")
    open_batches_skipped: int | None = Field(default=None, description="open batches: kept")


class PracticeStoredExpiryOut(BaseModel):
    provider_id: str
    invoices_total: int
    invoices_done: int
    item_expiries_written: int
    item_expiries_present: int


class ClaimMarkerCountsOut(BaseModel):
    """Version 6, canonical-claim-markers (R3, R40): each line stored under a ref with
    leading zeros gets its marker under the ref without them, as a file is read today."""

    invoices_total: int
    invoices_done: int
    claim_markers_written: int = Field(description="markers copied under the ref without zeros")
    claim_markers_present: int = Field(description="a marker was there already: none written")


class PracticeClaimMarkersOut(ClaimMarkerCountsOut):
    provider_id: str


class SettingsExpiryCountsOut(BaseModel):
    """Version 7, settings-version-expiry (legal-nl.md §8, R39; stop 42): counted over the
    practices' settings versions (R31)."""

    invoices_total: int = Field(description="the practice's settings versions")
    invoices_done: int
    settings_expiries_written: int = Field(
        description="versions given the expiry their save writes (8 years after the change)"
    )
    settings_expiries_present: int = Field(description="versions that had one: none written")


class PracticeSettingsExpiryOut(SettingsExpiryCountsOut):
    provider_id: str


class StuckPlanCountsOut(BaseModel):
    """Version 8, stuck-credit-plans (R34, R12; audit MONEY6-3): counted over the bank
    credits with a match plan; they belong to no practice (no practices listed)."""

    plans_withdrawn: int = Field(
        description="plans older than an hour with nothing booked, or parts booked only "
        "on invoices the line names (a later match keeps them as booked): withdrawn, the "
        "credit listed unmatched again"
    )
    plans_booked: int = Field(description="plans with every part booked: kept")
    plans_partly_booked: int = Field(
        description="plans with some parts booked, one on an invoice the line does not "
        "name: kept, for the back office to finish"
    )
    plans_too_recent: int = Field(description="plans of the last hour: left to their request")


class OpenBatchIdCountsOut(BaseModel):
    """Version 12, open-batch-ids (R13, R34; refunds53): counted over every payout and
    refund batch; they belong to no practice (no practices listed)."""

    open_batch_ids_written: int = Field(
        description="open batches whose id their kind's list now keeps, so no newer "
        "batches hide them (an invoice in one is not proposed again)"
    )
    open_batch_ids_present: int = Field(description="open batches whose id it kept already")
    closed_batches: int = Field(description="batches sent or withdrawn: no id kept")
    batches_changed_meanwhile: int = Field(
        description="open batches saved again at each read: left to the next run"
    )


class BlockBsnCountsOut(BaseModel):
    """Version 9, blocked-patient-bsn (R22, legal-nl.md §6; stop 44): counted over the
    practices' blocks that block and had no BSN; no BSN in the answer (R29)."""

    invoices_total: int = Field(description="the practice's blocks without a BSN, this request")
    invoices_done: int
    block_bsns_written: int = Field(
        description="blocks given the BSN of a claim of theirs still owed at the agency"
    )
    blocks_changed_meanwhile: int = Field(
        description="blocks changed since the read (unblocked, a claim added): not touched"
    )
    blocks_without_claim_bsn: int = Field(
        description="blocks with no claim owed at the agency that has a BSN: by number only"
    )


class PracticeBlockBsnOut(BlockBsnCountsOut):
    provider_id: str


class LineContractedCountsOut(BaseModel):
    """Version 10, invoice-line-contracted (R31, R17; stop 45): lines stored before they
    kept whether they were invoiced as contracted care get the decision of the contracts
    known when their invoice was made (the settings history)."""

    invoices_total: int
    invoices_done: int
    lines_stamped: int = Field(
        description="lines given the decision of the contracts known at their invoice"
    )
    invoices_stamped: int = Field(description="the invoices of those lines, saved")
    invoices_changed_meanwhile: int = Field(
        description="invoices changed since the read (R28): left to the next run"
    )


class PracticeLineContractedOut(LineContractedCountsOut):
    provider_id: str


class PagedReportCountsOut(BaseModel):
    """Version 11, paged-report-not-kept (R2, R35; stop 51): upload reports stored with
    their findings in pages before they stored what they only counted get it, so a view
    reads no page object to work it out."""

    invoices_total: int = Field(description="the practice's uploads with a report")
    invoices_done: int
    reports_written: int = Field(description="paged reports given their findings_not_kept")
    reports_present: int = Field(
        description="reports that had it, are not paged or kept every finding: none written"
    )
    reports_gone: int = Field(description="reports the retention deleted: nothing to write")


class PracticePagedReportOut(PagedReportCountsOut):
    provider_id: str


class CreditIndexCountsOut(BaseModel):
    """Version 13, credit-index (R13, R34; credits54): invoices stored with a patient's
    credit before the by-credit index are put on it, so the list of credit held finds them.
    Version 18, refund-pending-credit-index (R13, R39; runs57), counts as 13: invoices
    stored before runs57 with a PSP refund pending and no credit left are put on it, so
    that list and the Monday run's count of refunds pending find them."""

    invoices_total: int
    invoices_done: int
    credit_index_written: int = Field(
        description="invoices holding credit or a PSP refund pending, put on the index"
    )
    credit_index_present: int = Field(
        description="such invoices on it already (saved since): none written"
    )
    invoices_without_credit: int = Field(
        description="invoices holding no credit and no PSP refund pending: no write"
    )


class PracticeCreditIndexOut(CreditIndexCountsOut):
    provider_id: str


class BlockExpiryCountsOut(BaseModel):
    """Version 14, block-record-expiry (R22, R29, R39, legal-nl.md §8; blocksttl54): counted
    over the practices' block changes and blocks; no patient in the answer (R29)."""

    invoices_total: int = Field(description="block changes and unblocked blocks, dated or not")
    invoices_done: int
    block_expiries_written: int = Field(
        description="changes and unblocked blocks given the expiry their save writes "
        "(8 years after the change)"
    )
    block_expiries_present: int = Field(description="those that had one: none written")
    blocks_still_blocking: int = Field(description="blocks that still block: no expiry, kept")
    blocks_changed_meanwhile: int = Field(
        description="unblocked blocks changed since the read (blocked again): left as they are"
    )


class PracticeBlockExpiryOut(BlockExpiryCountsOut):
    provider_id: str


class AgencyTransferCountsOut(BaseModel):
    """Version 15, statement-agency-transfers (R24; remitted54): weekly statement items
    stored before they kept the agency's transfers get the figure their JSON statement
    names, so the list of weeks reads no statement file to show it."""

    invoices_total: int = Field(description="the practices' weekly statements")
    invoices_done: int
    agency_transfers_written: int = Field(
        description="weeks given remitted_by_agency from their JSON statement"
    )
    agency_transfers_present: int = Field(description="weeks that had it: none written")
    statement_files_gone: int = Field(
        description="weeks whose statement file the retention deleted: left, listed as 0"
    )


class PracticeAgencyTransfersOut(AgencyTransferCountsOut):
    provider_id: str


class ActionListIndexCountsOut(BaseModel):
    """Version 16, action-list-index (R23, R35; actionpages56): actions stored before the
    action lists read a page of an index get on it, so the lists show them again."""

    invoices_total: int = Field(description="the practices' actions")
    invoices_done: int
    action_list_index_written: int = Field(description="actions put on the list's index")
    action_list_index_present: int = Field(
        description="actions on it already (created or put since), moved or gone: none written"
    )


class PracticeActionListIndexOut(ActionListIndexCountsOut):
    provider_id: str


class OpenActionListCountsOut(BaseModel):
    """Version 17, open-action-list (R23, R35; openact57): open actions stored before the
    open list read a range of its own get there, so that list and the overview's counts
    show them again."""

    invoices_total: int = Field(description="the practices' actions")
    invoices_done: int
    open_action_list_written: int = Field(description="open actions moved among the open ones")
    open_action_list_present: int = Field(
        description="there already (or done, created or changed since), moved or gone: none written"
    )


class PracticeOpenActionListOut(OpenActionListCountsOut):
    provider_id: str


class OpenCreditIndexCountsOut(BaseModel):
    """Version 19, open-credit-index (R34; credits58b): bank credits nobody matched yet,
    stored before the operator's list read an index of the open ones, are put on it, so
    that list shows them again; they belong to no practice (no practices listed)."""

    open_credits_indexed: int = Field(description="open credits put on the list's index")
    open_credits_matched_meanwhile: int = Field(
        description="matched between the read and the write: left off (not open)"
    )


class KenmerkConflictOut(BaseModel):
    provider_id: str
    invoice_id: str
    reference: str
    held_by_provider_id: str
    held_by_invoice_id: str


class MigrationOut(BaseModel):
    """What one request of a run did; a second run writes nothing (every *_written 0)."""

    migration: str
    version: int
    complete: bool = Field(description="false: the request's pages were spent, send resume")
    resume: str | None = Field(description="send it back to go on; none when complete")
    summary: (
        MigrationCountsOut
        | ExpiryCountsOut
        | ActionExpiryCountsOut
        | SearchNameCountsOut
        | StoredExpiryCountsOut
        | ClaimMarkerCountsOut
        | SettingsExpiryCountsOut
        | StuckPlanCountsOut
        | BlockBsnCountsOut
        | LineContractedCountsOut
        | PagedReportCountsOut
        | OpenBatchIdCountsOut
        | CreditIndexCountsOut
        | BlockExpiryCountsOut
        | AgencyTransferCountsOut
        | ActionListIndexCountsOut
        | OpenActionListCountsOut
        | OpenCreditIndexCountsOut
    ) = Field(description="the migration's counts")
    practices: list[
        PracticeMigratedOut
        | PracticeExpiredOut
        | PracticeActionsExpiredOut
        | PracticeSearchNamesOut
        | PracticeStoredExpiryOut
        | PracticeClaimMarkersOut
        | PracticeSettingsExpiryOut
        | PracticeBlockBsnOut
        | PracticeLineContractedOut
        | PracticePagedReportOut
        | PracticeCreditIndexOut
        | PracticeBlockExpiryOut
        | PracticeAgencyTransfersOut
        | PracticeActionListIndexOut
        | PracticeOpenActionListOut
    ]
    conflicts: list[KenmerkConflictOut] = Field(description="for the back office to resolve")

    @classmethod
    def of(cls, report: MigrationReport) -> MigrationOut:
        return cls.model_validate(report.answer())
