"""The patient invoice: lines, ledger and what was sent (R4, R7, R27, R30)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from billing_core.declarations.claims import Language, LineType, Person
from billing_core.invoices.ledger import EntryKind, LedgerEntry, balance, total_of

# An invoice's id is a UUID (declarations/invoicing.invoice_id_for), the one shape the API's
# path takes (interfaces.md §2). Any other is malformed: the API answers 400, the portal its
# not-found page, before any read (a key past DynamoDB's 1024 bytes is refused as invalid).
INVOICE_ID_PATTERN = r"^[0-9a-f-]{36}$"


def is_invoice_id(text: str) -> bool:
    """Whether a route takes ``text`` as an invoice id (INVOICE_ID_PATTERN)."""
    return re.fullmatch(INVOICE_ID_PATTERN, text) is not None


class Channel(StrEnum):
    EMAIL = "email"
    PAPER = "paper"


class InvoiceStatus(StrEnum):
    PENDING_DELIVERY = "pending_delivery"  # stored, not yet e-mailed or printed
    SENT = "sent"


class DunningStage(StrEnum):
    """How far the dunning path (R19) has come. The daily run moves it; the patient rules
    (deferral, arrangement) and the payment checker only read it."""

    NONE = "none"
    REMINDED = "reminded"
    COSTS_CHARGED = "costs_charged"
    WITH_COLLECTION_AGENCY = "with_collection_agency"


class ArrangementStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"  # a term was missed by more than 14 days: dunning resumes (R15)
    COMPLETED = "completed"  # everything was paid


# Not frozen, like declarations.claims.Claim: an ingest makes one per treatment line, and
# a frozen dataclass's __init__ (one object.__setattr__ per field) made planning a
# 100,000-line file 0.2 s slower (docs/bench/). Treat it as a value all the same: nothing
# changes a line after it was made; an invoice changes only by entries in its ledger.
# Hashable as before, so a frozen Invoice holding its lines stays hashable.
@dataclass(slots=True, unsafe_hash=True)
class InvoiceLine:
    """A treatment line on a patient invoice, with what the insurer reimburses of it deducted
    (R5)."""

    claim_ref: str
    treatment_date: date  # for DBC care its end date (interfaces.md §1a)
    # The day the insurer and its contract were decided on: a DBC's start date (legal-nl.md
    # §6). The price deducts what the insurer pays on it, and coulance (R17) asks the same.
    coverage_date: date
    treatment_code: str
    description: str
    line_type: LineType
    quantity: int
    unit_price_cents: int
    reimbursed_cents: int  # what the insurer pays of this line, deducted (R5)
    insurer_uzovi: str
    # On a credit line: the line it reverses (Vektis 04 "referentienummer voorgaande
    # gerelateerde prestatierecord"), so a later credit of it can see what is left of it.
    reverses_claim_ref: str = ""
    # Whether the provider had a contract with ``insurer_uzovi`` on ``coverage_date``, as
    # decided when the line was invoiced: coulance (R17) asks this, never today's contracts,
    # so a contract entered later with retroactive effect re-rates nothing invoiced (R31).
    # None on lines stored before it was kept (coulance.was_contracted reads those).
    contracted: bool | None = None

    @property
    def amount_cents(self) -> int:
        return self.quantity * self.unit_price_cents

    @property
    def patient_share_cents(self) -> int:
        return self.amount_cents - self.reimbursed_cents


@dataclass(frozen=True, slots=True)
class Correspondence:
    """A letter or e-mail sent about the invoice (R30): what, when, how, and its id."""

    kind: str  # "invoice", later "reminder", "deferral_confirmation", ...
    channel: Channel
    at: datetime
    message_id: str  # SES message id, or the S3 key of the printed PDF
    # What the letter is about when one invoice can get several of a kind (a confirmation
    # per payment): the delivery sends each (kind, event_id) once.
    event_id: str = ""
    # Where the PDF an e-mailed letter had attached is kept (legal-nl.md §8): the
    # practice opens that copy. "" for a paper letter (``message_id`` is its key) and for
    # what has no PDF of its own to keep.
    kept_key: str = ""


@dataclass(frozen=True, slots=True)
class Deferral:
    """R14: a free deferral of payment, granted once; ``until`` is the new final date."""

    granted_at: datetime
    until: date


@dataclass(frozen=True, slots=True)
class ArrangementTerm:
    """One instalment of an arrangement (R15): its due date and amount."""

    due_date: date
    amount_cents: int


@dataclass(frozen=True, slots=True)
class Arrangement:
    """R15: an instalment arrangement. The terms add up to what was due plus the fee, and
    once costs were charged the interest accruing until their due dates."""

    created_at: datetime
    terms: tuple[ArrangementTerm, ...]
    fee_cents: int
    status: ArrangementStatus = ArrangementStatus.ACTIVE
    cancelled_at: datetime | None = None
    # Ledger entries from this position on came after the terms were set (the ledger is
    # append-only, R27): payments there count towards the terms.
    ledger_start: int = 0
    # The payment that showed the terms kept after the run had cancelled it (R15,
    # legal-nl.md §2): a replay of it tells the agency again, as its booking did.
    kept_by: str = ""

    @property
    def total_cents(self) -> int:
        return sum(term.amount_cents for term in self.terms)

    @property
    def is_active(self) -> bool:
        return self.status is ArrangementStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class CoveredInvoice:
    """One invoice a reminder is about, with what the letter states for it."""

    invoice_id: str
    reference: str
    principal_cents: int  # principal outstanding on the day the reminder was sent
    costs_cents: int  # its share of the collection costs (BIK) the letter announces
    # The fee of a cancelled arrangement still owed that day (R15): part of the amount
    # due the letter states (legal-nl.md §2), never of what the BIK is computed on (§3).
    fee_cents: int = 0

    @property
    def due_cents(self) -> int:
        return self.principal_cents + self.fee_cents


@dataclass(frozen=True, slots=True)
class Reminder:
    """The 14-day letter (art. 6:96 lid 6 BW, legal-nl.md §2). One letter may cover several
    open invoices of one addressee; every invoice it covers carries the same record, the
    first invoice in ``covers`` is the one the letter is sent with."""

    letter_id: str  # the same on every invoice the letter covers
    sent_on: date
    channel: Channel
    received_on: date  # e-mail: the day sent; paper: the second delivery day after
    final_date: date  # received_on + 14 days, printed on the letter
    covers: tuple[CoveredInvoice, ...]
    # The run's day, when the letter went out on a later one (a queue that waited): the
    # delivery dated it by that day. A deferral or arrangement granted since the run
    # decided on it still moved the default under it (letter_costs.reminder_superseded).
    decided_on: date | None = None
    # It never reached the addressee (a Permanent e-mail bounce, R7): no receipt, so it
    # supports no costs and a new reminder is needed (legal-nl.md §2).
    undelivered: bool = False

    @property
    def decided_on_day(self) -> date:
        return self.decided_on or self.sent_on

    @property
    def lead_invoice_id(self) -> str:
        return self.covers[0].invoice_id

    @property
    def principal_cents(self) -> int:
        return sum(covered.principal_cents for covered in self.covers)

    @property
    def costs_cents(self) -> int:
        """The BIK the letter states: the staffel over the summed principals (§2, §3)."""
        return sum(covered.costs_cents for covered in self.covers)

    @property
    def fee_cents(self) -> int:
        return sum(covered.fee_cents for covered in self.covers)

    @property
    def due_cents(self) -> int:
        """The amount due the letter states and asks within its term (§2): the principals
        and any arrangement fee still owed; paid in full, no BIK follows."""
        return sum(covered.due_cents for covered in self.covers)

    def covered(self, invoice_id: str) -> CoveredInvoice:
        return next(c for c in self.covers if c.invoice_id == invoice_id)


# The dunning letter the delivery holds while one of its claims is on hold (R16, R19);
# dunning/letters.py names it SECOND_NOTICE.
SECOND_NOTICE_KIND = "second_notice"
# Between a second notice's event id and the id of its e-mail that bounced permanently:
# the event id of the notice sent again for it (correspondence/bounces.py, R7, R19).
SECOND_NOTICE_AGAIN = "#again:"


@dataclass(frozen=True, slots=True)
class PendingLetter:
    """A dunning letter the run decided on and the delivery has not recorded yet: the
    invoice stays on the daily run's index until it is, so a crash between saving the
    step and queueing the letter loses no letter (R18). Also a confirmation on paper
    between its print batch's day being recorded and its note (``Invoice.paper_messages``)."""

    kind: str
    event_id: str
    since: date
    # The print batch a paper letter goes in, recorded before it is dated, rendered and
    # put: a retry on a later day (a redelivery, a redrive) puts the same letter in the same
    # batch and keeps its dates, so it is printed once (R38, legal-nl.md §2).
    print_batch_day: date | None = None
    # Where a dunning letter's PDF goes (printed, or kept of an e-mail), named by what the
    # first attempt made of it (delivery.dunning_letter_key) and recorded before it is
    # put: a retry puts it under the same key, also when what it is about or its date
    # moved since (R38, legal-nl.md §8). Empty until then.
    kept_key: str = ""


@dataclass(frozen=True, slots=True)
class InsurerStatement:
    """R17: what the patient's insurer did with a non-contracted invoice, as the patient
    reports it from the insurer's statement."""

    reimbursed_cents: int
    withheld_deductible_cents: int  # eigen risico the insurer kept: the patient pays it
    received_at: datetime
    # Its coulance proposal waits on the provider's action list (R17, R23): until it is
    # applied or declined the first reminder waits as if no statement were in (§7).
    proposal_open: bool = False
    # When the adjusted amount got its new final payment date (legal-nl.md §7): a
    # reminder sent before then asked the old amount (dunning/letter_costs.py).
    adjusted_at: datetime | None = None

    @property
    def gross_reimbursement_cents(self) -> int:
        return self.reimbursed_cents + self.withheld_deductible_cents


@dataclass(frozen=True, slots=True)
class Invoice:
    """A patient invoice: its lines, its ledger and where it stands in sending, dunning and
    collection."""

    invoice_id: str
    provider_id: str
    declaration_id: str
    reference: str  # the 14-digit betalingskenmerk
    patient_ref: str
    bsn: str
    birth_date: date
    patient: Person
    debtor: Person | None
    channel: Channel
    issue_date: date
    final_payment_date: date
    lines: tuple[InvoiceLine, ...]
    ledger: tuple[LedgerEntry, ...]
    warnings: tuple[str, ...] = ()
    debtor_risk_with_provider: bool = False  # R22: patient blocked at this provider
    status: InvoiceStatus = InvoiceStatus.PENDING_DELIVERY
    correspondence: tuple[Correspondence, ...] = field(default=())
    deferral: Deferral | None = None  # R14
    arrangement: Arrangement | None = None  # R15
    hold_until: date | None = None  # R16: the provider paused dunning until this day
    hold_reason: str = ""
    # R16: the days of every hold so far, renewals included, up to ``hold_until``.
    hold_days_used: int = 0
    # R16, R32: the user (the Cognito ``sub``, never a name) who placed the running hold or
    # its renewal; "" on a hold placed before it was kept.
    hold_by: str = ""
    dunning_stage: DunningStage = DunningStage.NONE  # R19, moved by the daily run
    reminder: Reminder | None = None  # R19: the 14-day letter, once sent
    costs_charged_on: date | None = None  # R19/R20: the reminder's term expired unpaid
    # The run's day, when the second notice went out on a later one (a replayed past day,
    # a queue that waited): the delivery moved ``costs_charged_on`` to the day it went
    # out, from which the handover is counted (R19), as it redates a late reminder.
    costs_decided_on: date | None = None
    handed_over_on: date | None = None  # R19: to the collection agency
    # Saved handed over, the agency file and the block not yet written (issue 13 item 12):
    # the run's index keeps the invoice until a run has written both.
    handover_pending: bool = False
    # How many ledger entries the handover file holds (set with ``handed_over_on``, R19):
    # the agency's daily files tell the entries after them only (R34), so a payment read
    # on the handover day before the run is in the handover file, not told again. None on
    # a claim handed over before it was kept: the handover's day is the line then.
    handover_entries: int | None = None
    # The first day the daily run must look at this invoice again (the sparse index
    # by-next-action). A lower bound: the run re-derives what is due from the invoice.
    next_check_on: date | None = None
    letters_due: tuple[PendingLetter, ...] = ()
    insurer_statement: InsurerStatement | None = None  # R17: one per invoice
    # Addresses (casefolded) SES reported a Permanent bounce for on this invoice's mail:
    # no letter is e-mailed to them again (R7).
    bounced_emails: tuple[str, ...] = ()
    # Ids ("psp:<id>", "bank:<entry ref>") of payments and reversals already in the
    # ledger: booking one twice is refused here, so a replayed webhook or statement
    # never moves money twice (R3, R11, R12).
    applied_payments: tuple[str, ...] = ()
    # The final payment date the invoice was sent with (R7): a coulance, a correction or a
    # retour moves ``final_payment_date`` later, and the copy served afterwards is the
    # invoice as sent (R36, correspondence/invoice_copy.py). None: not sent yet, or sent
    # before it was kept.
    sent_final_payment_date: date | None = None
    # The print batch a paper invoice goes in, recorded before its PDF is put: a retry on
    # a later day puts it under the same key, so it is printed once (R38). None until then.
    print_batch_day: date | None = None
    # Confirmations on paper whose print batch is recorded and which are not noted yet
    # (``since`` and ``print_batch_day`` both that day), as ``print_batch_day`` is for the
    # invoice: a retry on a later day finds the letter put, so it is printed once (R38).
    paper_messages: tuple[PendingLetter, ...] = ()
    version: int = 0  # optimistic locking (R28)
    # How many ledger entries the stored invoice has (set when read, like ``version``):
    # a save indexes the weeks of the entries after them, so the weekly retrocession
    # reads only the invoices that moved that week (issue 14 item 7).
    stored_entries: int = field(default=0, compare=False)
    # Whether this is the invoice as stored now: read strongly consistent, or as just
    # saved (set when read, like ``version``). An ordinary read may return it as before a
    # write for a moment after it (R28): a change that refuses, or finds nothing to do, on
    # such a read is decided again on the invoice read strongly consistent (updates.py).
    read_current: bool = field(default=False, compare=False)

    @property
    def new_entries(self) -> tuple[LedgerEntry, ...]:
        """The ledger entries this object has that the stored invoice has not."""
        return self.ledger[self.stored_entries :]

    @property
    def addressee(self) -> Person:
        """Who receives and pays the invoice: the debtor if there is one."""
        return self.debtor or self.patient

    @property
    def language(self) -> Language:
        return self.addressee.language

    @property
    def gross_cents(self) -> int:
        return total_of(self.ledger, EntryKind.ISSUED)

    @property
    def reimbursed_cents(self) -> int:
        return -total_of(self.ledger, EntryKind.REIMBURSEMENT)

    @property
    def original_amount_cents(self) -> int:
        """What the invoice asked of the patient when it was issued."""
        return self.gross_cents - self.reimbursed_cents

    @property
    def balance_cents(self) -> int:
        """The ledger's balance: negative when the patient paid more than owed (R13)."""
        return balance(self.ledger)

    @property
    def amount_due_cents(self) -> int:
        """What the patient still has to pay; never below zero (an overpayment is credit)."""
        return max(self.balance_cents, 0)

    @property
    def credit_cents(self) -> int:
        """An overpayment, kept until it is refunded (R13). It shows as a negative balance
        on the principal: the part of a payment beyond everything owed is booked there as
        a payment with the note "credit", and a refund books it back to zero."""
        return max(-self.balance_cents, 0)

    @property
    def is_paid(self) -> bool:
        return self.balance_cents <= 0

    @property
    def current_final_payment_date(self) -> date:
        """The final payment date that counts today: a deferral moves it (R14)."""
        return self.deferral.until if self.deferral else self.final_payment_date

    @property
    def letter_channel(self) -> Channel | None:
        """How a dunning letter reaches the addressee now (R7): as the invoice went, but
        on paper once its e-mail address bounced permanently; None when there is no
        postal address either: the claim waits for the practice's open action (R23)."""
        if self.channel is Channel.PAPER:
            return Channel.PAPER
        if self.live_email:
            return Channel.EMAIL
        return Channel.PAPER if self.addressee.address.is_complete() else None

    @property
    def follow_up_channel(self) -> Channel:
        """How a message about the invoice reaches the addressee now, and so what a text
        that promises one says (texts.catalogue.by_channel): by e-mail to an address that
        works, else on paper (R7: none, or bounced permanently; delivery.deliver_message)."""
        return Channel.EMAIL if self.live_email else Channel.PAPER

    @property
    def live_email(self) -> str:
        """The addressee's e-mail address; "" when there is none or SES reported it bounced
        permanently on this invoice's mail: nothing is e-mailed there again (R7)."""
        email = self.addressee.email
        return email if email and not self.has_bounced(email) else ""

    def has_bounced(self, email: str) -> bool:
        return email.casefold() in self.bounced_emails

    def is_on_hold(self, today: date) -> bool:
        """R16: the provider paused dunning (at most 60 days, set by the provider)."""
        return self.hold_until is not None and today <= self.hold_until

    def with_entry(self, entry: LedgerEntry) -> Invoice:
        """A new invoice with one more ledger entry: the ledger only grows (R27)."""
        return replace(self, ledger=(*self.ledger, entry))

    def with_entries(self, entries: Iterable[LedgerEntry]) -> Invoice:
        return replace(self, ledger=(*self.ledger, *entries))

    def with_applied_payment(self, payment_id: str) -> Invoice:
        return replace(self, applied_payments=(*self.applied_payments, payment_id))

    def with_deferral(self, deferral: Deferral) -> Invoice:
        return replace(self, deferral=deferral)

    def with_arrangement(self, arrangement: Arrangement) -> Invoice:
        return replace(self, arrangement=arrangement)

    @property
    def costs_decided_on_day(self) -> date | None:
        """The day the run charged the costs: the invoices charged with it share it."""
        return self.costs_decided_on or self.costs_charged_on

    @property
    def is_with_collection_agency(self) -> bool:
        return self.dunning_stage is DunningStage.WITH_COLLECTION_AGENCY

    @property
    def dunning_check_day(self) -> date | None:
        """When the daily run must next read this invoice; None keeps it off the run's
        sparse index: nothing left to collect, or the claim is with the agency (R18).
        A handover still to finish is read on its day, paid or not (issue 13 item 12)."""
        if self.handover_pending:
            return self.handed_over_on
        if self.is_paid or self.is_with_collection_agency:
            return None
        check = self.next_check_on or self.current_final_payment_date + timedelta(days=1)
        return min([check, *(self._letter_check_day(letter) for letter in self.letters_due)])

    def _letter_check_day(self, letter: PendingLetter) -> date:
        """The day the run must queue a letter still to send again: the day it waits from;
        a second notice on a claim put on hold, the day after the hold, as the delivery
        holds it until then (R16, R19: the run would read it daily for up to 60 days and
        queue nothing). Lifting or shortening the hold saves the invoice: its place moves
        back with it."""
        held = self.hold_until
        if letter.kind != SECOND_NOTICE_KIND or held is None or held < letter.since:
            return letter.since
        return held + timedelta(days=1)

    def with_letter(self, letter: Correspondence) -> Invoice:
        """Record a letter about the invoice (a confirmation) without changing its status."""
        return replace(self, correspondence=(*self.correspondence, letter))

    def sent(self, letter: Correspondence, final_payment_date: date) -> Invoice:
        """The invoice delivered by ``letter``, which asked to pay by ``final_payment_date``."""
        return replace(
            self,
            status=InvoiceStatus.SENT,
            correspondence=(*self.correspondence, letter),
            sent_final_payment_date=final_payment_date,
        )
