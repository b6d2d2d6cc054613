"""What a patient can do with an invoice on the public pages and API (R10, R14-R16).

The patient API's routes call these functions, each with its inputs and a
``PatientContext`` (built by ``bootstrap.Runtime.patient_context``), and map their
exceptions to answers (entrypoints/http/errors.py). Rules every function keeps:

- A reference with a wrong check digit raises ``reference.InvalidReference`` before any
  read of the store (R10).
- Unknown reference: ``errors.NotFound``. For a write, a birth date that does not match
  raises the same ``NotFound`` after the same one read, so no answer tells a real
  reference from a fake one (interfaces.md §2).
- Nothing personal leaves: views hold amounts, dates, states and the reference only;
  never a name, address, BSN, treatment or the provider's patient number (R10, R29).
- Every write is a versioned save (R28) and queues its confirmation e-mail, when there
  is an address to send it to (patients on paper see the outcome on the page).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from billing_core.changes.arrangement import (
    MIN_TERMS,
    arrangement_refusal,
    arrangement_status,
    create_arrangement,
    max_terms,
    rest_after_terms,
    rest_beside_terms,
    standing_terms,
)
from billing_core.changes.coulance import (
    STATEMENT_CAUSE,
    apply_coulance,
    awaits_coulance_decision,
    awaits_insurer_statement,
    proposal_action,
    proposal_for,
    proposal_id,
    propose,
    statement_unwelcome,
    with_statement,
    with_statement_term,
)
from billing_core.changes.coulance_policy import CoulanceMode
from billing_core.changes.deferral import deferral_refusal, grant_deferral
from billing_core.changes.objection import objection_action, objection_refusals, said_as
from billing_core.correspondence.kinds import (
    ARRANGEMENT_CONFIRMATION,
    COULANCE_DECLINED,
    DEFERRAL_CONFIRMATION,
    INVOICE_LETTER,
    OBJECTION_ACKNOWLEDGEMENT,
    STOP_CONFIRMATION,
    reaches_patient,
)
from billing_core.correspondence.practice_contact import PracticeContact, practice_contact
from billing_core.dunning.breakdown import (
    Breakdown,
    PayBy,
    breakdown,
    next_letter_waits_for_the_practice,
    timeline_step,
)
from billing_core.dunning.interest import accrued_interest
from billing_core.dunning.letter_costs import rest_of_the_notice
from billing_core.dunning.policy import DunningPolicy
from billing_core.dunning.timeline import (
    Step,
    as_the_run_leaves_it,
    letter_waiting,
    second_notice_goes_again,
    term_expired,
)
from billing_core.invoices.access import (
    BirthDate,
    PatientProof,
    find_for_patient,
    issue_visit_pass,
)
from billing_core.invoices.invoice import (
    Arrangement,
    ArrangementStatus,
    ArrangementTerm,
    Channel,
    Deferral,
    DunningStage,
    InsurerStatement,
    Invoice,
    InvoiceLine,
)
from billing_core.invoices.ledger import (
    FORGIVING,
    EntryKind,
    booked_by,
    forgiven_last,
    paid_by_patient,
    total_of,
)
from billing_core.invoices.payment_status import PaymentStatus, payment_status_of
from billing_core.invoices.updates import save_change
from billing_core.payments.booking import InterestAccrual
from billing_core.ports import (
    BillingStore,
    DeliveryQueue,
    DeliveryRequest,
    letters_due_requests,
)
from billing_core.providers.actions import OpenAction
from billing_core.providers.provider import Provider
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.clock import Clock, amsterdam_day
from billing_core.shared.errors import NotFound, refused_as
from billing_core.shared.retries import KEY_LIFETIME

# The invoice as a PDF document for its addressee: (file name, bytes). Built by bootstrap
# with the settings the document needs (the collection account, the public address).
InvoiceDocument = Callable[[Invoice, Provider], tuple[str, bytes]]


@dataclass(frozen=True, slots=True)
class PatientContext:
    store: BillingStore
    delivery: DeliveryQueue  # the confirmation e-mails
    clock: Clock
    interest: InterestAccrual = accrued_interest  # accrued, not yet booked: shown as due
    visit_key: bytes = b""  # signs the checker's visit pass (invoices/access.py)
    invoice_document: InvoiceDocument | None = None


class InvoiceState(StrEnum):
    """Where the invoice stands, for the patient; the first that applies, in this order."""

    PAID = "paid"
    WAIVED = "waived"  # R21: settled by the practice's stop or coulance, nothing paid
    # R5: the insurer's deduction settled it, nothing paid by the patient (none asked, or
    # its payment refunded)
    REIMBURSED = "reimbursed"
    PAID_REST_WAIVED = "paid_rest_waived"  # R21: paid in part, the practice forgave the rest
    WITH_COLLECTION_AGENCY = "with_collection_agency"
    ARRANGEMENT_ACTIVE = "arrangement_active"
    ON_HOLD = "on_hold"  # R16: the provider paused dunning
    # R19: the reminder's term expired unpaid, the costs were charged and the second
    # notice (the final notice before the collection agency) sent
    SECOND_NOTICE_SENT = "second_notice_sent"
    REMINDER_SENT = "reminder_sent"  # the 14-day letter whose term counts now
    DEFERRED = "deferred"
    OPEN = "open"


# The state of an invoice still on our dunning timeline, by the date that counts on it
# (dunning.breakdown.timeline_step): one choice for the date and the state (R10, R36).
_STATE_AT_STEP = {
    PayBy.SECOND_NOTICE: InvoiceState.SECOND_NOTICE_SENT,
    PayBy.REMINDER: InvoiceState.REMINDER_SENT,
    PayBy.DEFERRED: InvoiceState.DEFERRED,
    PayBy.FINAL_PAYMENT_DATE: InvoiceState.OPEN,
}


class NewReminder(StrEnum):
    """R7, legal-nl.md §2: the reminder never reached the patient (a Permanent bounce): it
    has no term and supports no costs, and a new one comes with its own final date."""

    COMING = "coming"  # the next run sends it: on paper, or by e-mail to an address that works
    # no way to send it (no postal address): it waits on the practice's open action (R23)
    WAITS_FOR_PRACTICE = "waits_for_practice"


@dataclass(frozen=True, slots=True)
class PatientOffer:
    """What deferral and an arrangement would mean for this invoice, to show before the
    patient asks: the provider's settings, nothing about the patient."""

    deferral_days: int
    arrangement_fee_cents: int
    min_term_cents: int
    min_terms: int
    max_terms: int  # 0 when no arrangement is possible


@dataclass(frozen=True, slots=True)
class PaymentStatusView:
    reference: str
    status: PaymentStatus
    amount_due_cents: int
    # The current one (a deferral moves it); None once the collection agency collects the
    # claim: no date of ours counts then (R36, dunning.breakdown.PayBy.NONE).
    final_payment_date: date | None
    state: InvoiceState
    can_defer: bool
    can_arrange: bool
    # Due date and amount per term, the rest the terms leave open last (R15).
    arrangement_terms: tuple[ArrangementTerm, ...] = ()
    # That rest while an agreed term is still open: the one more term after them that the
    # letters name beside the next term (changes/arrangement.extra_term, R15).
    extra_term: ArrangementTerm | None = None
    credit_cents: int = 0  # paid too much: refunded (R13)
    offer: PatientOffer | None = None
    breakdown: Breakdown | None = None  # what is due and why, and the date that counts (R36)
    practice: PracticeContact | None = None  # who to call: the practice, never the patient
    # legal-nl.md §7, R37: "don't pay yet", send the insurer's statement first.
    awaits_insurer_statement: bool = False
    can_send_statement: bool = False
    # R17, legal-nl.md §7: the statement is in and the provider decides on the adjusted
    # amount, which comes by e-mail: nothing of the old amount to pay or arrange meanwhile.
    awaits_coulance_decision: bool = False
    # R7: how the adjusted amount or a confirmation will come, by e-mail or by post: what
    # the page's texts promise (texts.catalogue.by_channel); not where to.
    follow_up_channel: Channel = Channel.EMAIL
    # R16: the last day of the practice's hold while it pauses dunning, whatever the state
    # says first (a running arrangement does, audit ARRANGEMENTS6).
    hold_until: date | None = None
    # R19, R20: the collection costs were charged: a hold after them pauses the way to the
    # agency and undoes none of them, so its note cannot say "no costs" (holdwords54).
    costs_charged: bool = False
    # R16, R7, R23: during that hold, the next letter (a new reminder, the final notice)
    # has nowhere to go: the hold's end does not send it, the practice's address does, so
    # the hold's note does not say collection goes on after it (holdnote54).
    hold_waits_for_practice: bool = False
    # R15: the day a term missed by more than 14 days ended the arrangement (dunning went
    # on where it stopped), while the invoice is unpaid.
    arrangement_ended_on: date | None = None
    # R7: the reminder never arrived and a new one follows. How it follows tells whether the
    # patient's e-mail address works: the page says it only once the birth date is checked,
    # and the public API not at all (R10, R36).
    new_reminder: NewReminder | None = None
    # R7, R23: the invoice's own e-mail bounced for good before any reminder and, with no
    # postal address, the reminder waits for the practice: said as the reminder's, once the
    # birth date is checked.
    invoice_undelivered: bool = False
    # R7, R19: the same for the second notice, whose e-mail bounced and which is sent again
    # (correspondence/bounces.py): the handover waits for the new one, so the date of the
    # one that never arrived is not the last day before the agency.
    new_second_notice: NewReminder | None = None
    # R19, legal-nl.md §2: the first second notice is still to go (queued): the day before
    # the agency counts from it, so none is named yet; said once the birth date is checked,
    # as above, so the page before it reads alike for a notice queued and one bounced.
    second_notice_to_go: bool = False
    # R16, R19: that first one waits for a hold on another invoice of its letter (the
    # delivery holds it, letters.second_notice_held): it goes after the hold, not now. Said
    # once the birth date is checked, without the hold's end, as the state line reads alike.
    second_notice_held: bool = False

    @property
    def on_hold(self) -> bool:
        return self.hold_until is not None

    @property
    def second_notice_waits(self) -> bool:
        """R19: the final notice has not gone yet, though the state is the final notice's
        (costs charged): the first one is still to go, or one sent again after a bounce
        (R7). The page's state line says it will be sent, alike for both, so before the
        birth date it tells nothing of the patient's e-mail address (R10, R36)."""
        return self.second_notice_to_go or self.new_second_notice is not None

    @property
    def says_second_notice_waits(self) -> bool:
        """R19, R16: the checker's state line says the final notice will be sent, and the
        public API's ``second_notice_waits`` with it: it waits (above), unless a hold is said
        first (its note, once the birth date is checked, tells the notice waits)."""
        return self.second_notice_waits and self.state is not InvoiceState.ON_HOLD

    @property
    def told_not_to_pay_yet(self) -> bool:
        """legal-nl.md §7, R37: the page says not to pay yet: the insurer's statement is
        awaited, or the practice decides on its proposal (R17)."""
        return self.awaits_insurer_statement or self.awaits_coulance_decision


@dataclass(frozen=True, slots=True)
class InvoiceLinesView:
    """What the patient sees once the birth date is checked (R36): the treatments as
    invoiced, with what the insurer pays of each. Still nothing else personal."""

    reference: str
    lines: tuple[InvoiceLine, ...]


class StatementOutcome(StrEnum):
    APPLIED = "applied"  # the provider's policy lowered the amount at once
    SENT_TO_PROVIDER = "sent_to_provider"  # the provider confirms first
    NOTHING_TO_FORGIVE = "nothing_to_forgive"  # the insurer paid the policy's amount or more


@dataclass(frozen=True, slots=True)
class StatementView:
    reference: str
    outcome: StatementOutcome
    amount_due_cents: int
    # The date that counts now, as the confirmation names it; None while the provider
    # decides (the adjusted amount comes with its own date then).
    final_payment_date: date | None
    confirmation_sent: bool


@dataclass(frozen=True, slots=True)
class DeferralView:
    reference: str
    final_payment_date: date  # the date that counts after the deferral, as the e-mail says
    amount_due_cents: int
    confirmation_sent: bool  # False when the patient has no e-mail address on file


@dataclass(frozen=True, slots=True)
class ArrangementView:
    reference: str
    total_cents: int
    fee_cents: int
    terms: tuple[ArrangementTerm, ...]
    confirmation_sent: bool


# --- reading -------------------------------------------------------------------------------


def payment_status(reference_text: str, ctx: PatientContext) -> PaymentStatusView:
    """R10: the payment checker's answer. One store read once warm (the provider's
    settings come from a short cache)."""
    reference = betalingskenmerk.parse_ours(reference_text)
    invoice = ctx.store.find_invoice_by_reference(reference)
    if invoice is None:
        raise NotFound()
    provider = ctx.store.cached_provider(invoice.provider_id)
    today = ctx.clock.today()
    if provider is not None and term_expired(invoice, today):
        # R20, legal-nl.md §2: the day after the reminder's term expired unpaid, before the
        # 06:00 run, the checker says what the run will make of it (the BIK, the interest,
        # the second notice's date): a copy, nothing is written on a read (audit costsday2).
        invoice = as_the_run_leaves_it(invoice, provider.dunning, today, ctx.clock.now(), ctx.store)
    unbooked = ctx.interest(invoice, today) if not invoice.is_paid else 0
    amount_due = invoice.amount_due_cents + unbooked
    can_defer = provider is not None and deferral_refusal(invoice, provider, today) is None
    can_arrange = provider is not None and arrangement_refusal(invoice, provider) is None
    policy = provider.dunning if provider else DunningPolicy()
    terms, extra = _running_terms(invoice, today)
    state = invoice_state(invoice, today)
    letter = rest_of_the_notice(ctx.store, invoice)
    return PaymentStatusView(
        reference=invoice.reference,
        status=payment_status_of(invoice, amount_due),
        amount_due_cents=amount_due,
        final_payment_date=None
        if invoice.is_with_collection_agency
        else invoice.current_final_payment_date,
        state=state,
        can_defer=can_defer,
        can_arrange=can_arrange,
        arrangement_terms=terms,
        extra_term=extra,
        credit_cents=invoice.credit_cents,
        offer=_offer(invoice, provider) if provider else None,
        breakdown=breakdown(invoice, policy, today, ctx.interest, letter),
        practice=practice_contact(provider) if provider else None,
        awaits_insurer_statement=provider is not None
        and awaits_insurer_statement(invoice, provider),
        can_send_statement=provider is not None and statement_unwelcome(invoice, provider) is None,
        awaits_coulance_decision=provider is not None
        and awaits_coulance_decision(invoice, provider),
        follow_up_channel=invoice.follow_up_channel,
        hold_until=_pausing_hold(invoice, today),
        costs_charged=invoice.costs_charged_on is not None,
        hold_waits_for_practice=_pausing_hold(invoice, today) is not None
        and next_letter_waits_for_the_practice(invoice, today, letter),
        arrangement_ended_on=_arrangement_ended_on(invoice, today),
        new_reminder=_new_reminder(invoice, state),
        invoice_undelivered=_invoice_undelivered(invoice, state),
        new_second_notice=_new_second_notice(invoice, state, letter),
        second_notice_to_go=_second_notice_to_go(invoice, state, letter),
        second_notice_held=_second_notice_held(invoice, state, letter, today),
    )


def check_birth_date(reference_text: str, birth_date: date, ctx: PatientContext) -> str:
    """R36: the birth date once per visit. The visit pass for this kenmerk when it matches;
    errors.NotFound, after the same one read, when the reference is unknown or the birth
    date is not the patient's (issue 13 item 13)."""
    invoice = _find_for_patient(reference_text, BirthDate(birth_date), ctx)
    return issue_visit_pass(invoice.reference, ctx.visit_key, ctx.clock.now())


def invoice_lines(
    reference_text: str, proof: PatientProof, ctx: PatientContext
) -> InvoiceLinesView:
    """R36: the invoice's lines, after the birth date was checked."""
    invoice = _find_for_patient(reference_text, proof, ctx)
    return InvoiceLinesView(invoice.reference, invoice.lines)


def invoice_document(
    reference_text: str, proof: PatientProof, ctx: PatientContext
) -> tuple[str, bytes]:
    """R36: the invoice as the PDF the addressee received, after the birth date was checked:
    (file name in the addressee's language, bytes)."""
    invoice = _find_for_patient(reference_text, proof, ctx)
    provider = _provider(ctx.store, invoice)
    if ctx.invoice_document is None:
        raise RuntimeError("PatientContext.invoice_document is not set")
    return ctx.invoice_document(invoice, provider)


def invoice_state(invoice: Invoice, today: date) -> InvoiceState:
    if invoice.is_paid:
        return _who_settled(invoice)
    if invoice.dunning_stage is DunningStage.WITH_COLLECTION_AGENCY:
        return InvoiceState.WITH_COLLECTION_AGENCY
    if arrangement_status(invoice, today) is ArrangementStatus.ACTIVE:
        return InvoiceState.ARRANGEMENT_ACTIVE
    if invoice.is_on_hold(today):
        return InvoiceState.ON_HOLD
    return _STATE_AT_STEP[timeline_step(invoice, today)]


def _who_settled(invoice: Invoice) -> InvoiceState:
    """A paid invoice (R10's ``PAID``) as the patient should read it: paid, waived (forgiven,
    no payment left on the ledger), paid in part with the rest waived, or reimbursed (the
    insurer's deduction settled it, no payment left: not "paid", which the patient did
    not). Whoever took the balance to zero settled it: a coulance before a payment in full
    reads paid."""
    paid = paid_by_patient(invoice.ledger)
    if not any(e.kind in FORGIVING for e in invoice.ledger):
        reimbursed = total_of(invoice.ledger, EntryKind.REIMBURSEMENT) < 0
        return InvoiceState.REIMBURSED if paid <= 0 and reimbursed else InvoiceState.PAID
    if paid <= 0:
        return InvoiceState.WAIVED
    return InvoiceState.PAID_REST_WAIVED if forgiven_last(invoice.ledger) else InvoiceState.PAID


def _pausing_hold(invoice: Invoice, today: date) -> date | None:
    """R16: the hold's last day while it pauses something: not once paid, nor at the
    collection agency, where no step of ours is left to wait."""
    if invoice.is_paid or invoice.is_with_collection_agency or not invoice.is_on_hold(today):
        return None
    return invoice.hold_until


def _arrangement_ended_on(invoice: Invoice, today: date) -> date | None:
    """R15: the day a missed term ended the arrangement: the day the run cancelled it, or,
    before today's run, today, when the run will (the term's 14 days are over). None while
    it runs or once it was kept, and once the invoice is paid."""
    arrangement = invoice.arrangement
    if arrangement is None or invoice.is_paid:
        return None
    if arrangement_status(invoice, today) is not ArrangementStatus.CANCELLED:
        return None
    cancelled_at = arrangement.cancelled_at
    return amsterdam_day(cancelled_at) if cancelled_at is not None else today


def _new_reminder(invoice: Invoice, state: InvoiceState) -> NewReminder | None:
    """R7, legal-nl.md §2: whether a new reminder follows one that never arrived, while
    the invoice reads open: the bounced letter set aside, the next run not yet done
    (dunning.timeline.next_step). A deferral or an arrangement since says its own date and
    state; a practice's hold is said too (R16), as over a final notice sent again: the
    hold's end is not when a reminder with nowhere to go goes (reminderhold54)."""
    reminder = invoice.reminder
    if reminder is None or not reminder.undelivered:
        return None
    return _next_reminder(invoice, state)


def _next_reminder(invoice: Invoice, state: InvoiceState) -> NewReminder | None:
    """R7, R23: how the reminder comes while the invoice reads open (or on hold): on the
    letter channel, or, with none, once the practice has checked the address
    (timeline.plan). The one test of both notes that say why none came yet."""
    if state not in (InvoiceState.OPEN, InvoiceState.ON_HOLD):
        return None
    return NewReminder.COMING if invoice.letter_channel else NewReminder.WAITS_FOR_PRACTICE


def _invoice_undelivered(invoice: Invoice, state: InvoiceState) -> bool:
    """R7, R23: whether the invoice's own e-mail bounced for good before any reminder while
    the reminder has nowhere to go (``_next_reminder``): its final date passes with no letter
    after it until the practice has checked the address (nowhy54)."""
    if invoice.reminder is not None or not _emailed_to_a_dead_address(invoice):
        return False
    return _next_reminder(invoice, state) is NewReminder.WAITS_FOR_PRACTICE


def _emailed_to_a_dead_address(invoice: Invoice) -> bool:
    """The invoice itself went by e-mail and SES reported its addressee's address bounced
    permanently (correspondence/bounces.py)."""
    email = invoice.addressee.email
    if not email or not invoice.has_bounced(email):
        return False
    return any(
        c.kind == INVOICE_LETTER and c.channel is Channel.EMAIL for c in invoice.correspondence
    )


def _new_second_notice(
    invoice: Invoice, state: InvoiceState, letter: Sequence[Invoice]
) -> NewReminder | None:
    """R7, R19: whether the second notice waits to be sent again, its e-mail bounced for
    good (``timeline.second_notice_goes_again``): on paper by the next run, or, without a
    postal address, once the practice has handled its open action (R23); the claim is not
    handed over before 14 days after the new one. It waits on the letter's lead invoice,
    so ``letter``: the letter's other invoices, each of which says the same. Said during a
    practice's hold too (R16): the hold's end is not when a notice with nowhere to go goes
    (holdwords54)."""
    if state not in (InvoiceState.SECOND_NOTICE_SENT, InvoiceState.ON_HOLD):
        return None
    if not second_notice_goes_again(invoice, letter):
        return None
    return NewReminder.COMING if invoice.letter_channel else NewReminder.WAITS_FOR_PRACTICE


def _second_notice_to_go(invoice: Invoice, state: InvoiceState, letter: Sequence[Invoice]) -> bool:
    """R19, legal-nl.md §2: whether the letter's first second notice is still to be sent
    (the run queued it on the lead, or, on its day before the run, the checker's copy
    charged the costs): the breakdown names no day before the agency then
    (``breakdown.date_that_counts``). One sent again says its own note (above)."""
    return final_notice_waits(invoice, state, letter) and not second_notice_goes_again(
        invoice, letter
    )


def final_notice_waits(invoice: Invoice, state: InvoiceState, letter: Sequence[Invoice]) -> bool:
    """R19: whether the invoice's state is the final notice's (costs charged) while that
    notice has not gone yet: queued on the letter's lead, or waiting there to be sent again
    after a bounce (R7; ``timeline.letter_waiting``). ``letter``: the letter's other
    invoices as stored now (``rest_of_the_notice``). The one test of the checker's state
    line (``PaymentStatusView.second_notice_waits``) and the practice portal's."""
    if state is not InvoiceState.SECOND_NOTICE_SENT:
        return False
    return letter_waiting(Step.HANDOVER, (invoice, *letter))


def _second_notice_held(
    invoice: Invoice, state: InvoiceState, letter: Sequence[Invoice], today: date
) -> bool:
    """R16, R19: whether the first second notice still to go waits for a hold on another
    invoice of its letter (this one on hold reads ``on_hold``): the delivery does not send
    it then (``letters.second_notice_held``), and the run queues it after the hold."""
    if not _second_notice_to_go(invoice, state, letter):
        return False
    # Imported here, as in ``timeline.letter_waiting``: only a claim this far needs it (#18 (d)).
    from billing_core.dunning.letters import second_notice_held

    return second_notice_held(letter, today)


def _running(invoice: Invoice, today: date) -> bool:
    return arrangement_status(invoice, today) is ArrangementStatus.ACTIVE


def _running_terms(
    invoice: Invoice, today: date
) -> tuple[tuple[ArrangementTerm, ...], ArrangementTerm | None]:
    """The arrangement's terms as they stand (``standing_terms``: what the run and the
    letters ask of each, never more than a retour that granted more left open) and what
    they leave open (a retour's raise, the interest of a term paid late within its 14
    days) as its last term, as the letters name it: from
    the start, beside the next term, and once the terms are settled as the next term
    itself (changes/arrangement.rest_after_terms, R15); and that rest as the extra term
    while an agreed term is open (``extra_term``). The rest once for both: it pays the
    open terms in a copy of the invoice."""
    if not _running(invoice, today):
        return (), None
    assert invoice.arrangement is not None
    rest = rest_after_terms(invoice, today)
    terms = standing_terms(invoice) + ((rest,) if rest is not None else ())
    return terms, rest_beside_terms(invoice, rest)


def _offer(invoice: Invoice, provider: Provider) -> PatientOffer:
    possible = arrangement_refusal(invoice, provider) is None
    return PatientOffer(
        deferral_days=provider.deferral_days,
        arrangement_fee_cents=provider.arrangement_fee_cents,
        min_term_cents=provider.arrangement_min_term_cents,
        min_terms=MIN_TERMS,
        max_terms=max_terms(invoice, provider) if possible else 0,
    )


# --- writing -------------------------------------------------------------------------------


def request_deferral(
    reference_text: str, proof: PatientProof, ctx: PatientContext, *, language: str = ""
) -> DeferralView:
    """R14: once, free; errors.Refused (StateConflict) says why not. ``language``: the
    checker page's, which its confirmation is written in (R9; empty: the invoice's)."""
    invoice = _find_for_patient(reference_text, proof, ctx)
    provider = _provider(ctx.store, invoice)
    now = ctx.clock.now()

    def deferred(current: Invoice) -> Invoice:
        if _granted_again(current.deferral, now):
            return current  # asked again: answered as the first time (R38)
        return grant_deferral(current, provider, now)

    stored, _ = save_change(ctx.store, invoice, deferred)
    # Queued again when asked again (the first attempt may have died before queueing
    # it): the delivery sends one per (kind, event).
    sent = _confirm(
        ctx.delivery, stored, DEFERRAL_CONFIRMATION, event_id="deferral", language=language
    )
    # The date the confirmation e-mail names (correspondence.confirmations) and the checker
    # shows: the date that counts now, which the deferral moved (R14, R36).
    due = breakdown(stored, provider.dunning, ctx.clock.today(), ctx.interest)
    return DeferralView(
        reference=stored.reference,
        final_payment_date=due.pay_by or stored.current_final_payment_date,
        amount_due_cents=stored.amount_due_cents,
        confirmation_sent=sent,
    )


def request_arrangement(
    reference_text: str,
    proof: PatientProof,
    terms: int,
    ctx: PatientContext,
    *,
    language: str = "",
) -> ArrangementView:
    """R15: ``terms`` monthly terms (2-12) against the provider's fee. ``language``: the
    checker page's, which its confirmation is written in (R9; empty: the invoice's)."""
    invoice = _find_for_patient(reference_text, proof, ctx)
    provider = _provider(ctx.store, invoice)
    now = ctx.clock.now()
    today = ctx.clock.today()

    def arranged(current: Invoice) -> Invoice:
        made = current.arrangement
        if _granted_again(made, now) and made is not None and len(made.terms) == terms:
            return current  # asked again: answered as the first time (R38)
        # R20, legal-nl.md §2: before the run on the costs day, the costs charged first
        # as the run charges them, so the arrangement covers them (audit plans2).
        current = as_the_run_leaves_it(current, provider.dunning, today, now, ctx.store)
        return create_arrangement(current, provider, terms, now)

    stored, _ = save_change(ctx.store, invoice, arranged)
    arrangement = stored.arrangement
    assert arrangement is not None
    _queue_letters(ctx.delivery, stored)
    sent = _confirm(
        ctx.delivery, stored, ARRANGEMENT_CONFIRMATION, event_id="arrangement", language=language
    )
    return ArrangementView(
        reference=stored.reference,
        total_cents=arrangement.total_cents,
        fee_cents=arrangement.fee_cents,
        terms=arrangement.terms,
        confirmation_sent=sent,
    )


def file_objection(
    reference_text: str,
    proof: PatientProof,
    reason: str,
    message: str,
    email: str,
    ctx: PatientContext,
    *,
    language: str = "",
) -> bool:
    """R16: an open action for the provider, with ``email`` to answer to, and an
    acknowledgement to the invoice's own e-mail address, or to none (issue 13.3: a form
    anyone with a reference and a birth date can fill must not make us mail any address).
    ``language``: the one the patient filed it in on the checker page, which the
    acknowledgement is written in (R9); the invoice's own language, for later letters,
    does not change. Empty: the invoice's.
    True when the acknowledgement goes out, False when there is no working address for it
    (the page then promises none: audit REQUESTS3).
    The invoice does not change: an objection does not suspend payment (seed 000). The
    same objection twice on a day is filed once (``objection_id``)."""
    email = email.strip()
    codes = objection_refusals(reason, message, email)
    if codes:  # decided from the request alone: tells nothing about the reference
        raise refused_as(said_as(message), *codes)
    invoice = _find_for_patient(reference_text, proof, ctx)
    action = objection_action(invoice, reason, message, email, ctx.clock.now())
    # Written once (R16): the same objection sent again finds its action. Its
    # acknowledgement is queued again (the first attempt may have died before queueing
    # it); the delivery sends one per (kind, action id).
    ctx.store.add_action(action)
    return _confirm(
        ctx.delivery,
        invoice,
        OBJECTION_ACKNOWLEDGEMENT,
        event_id=action.action_id,
        language=language,
    )


def submit_insurer_statement(
    reference_text: str,
    proof: PatientProof,
    reimbursed_cents: int,
    withheld_deductible_cents: int,
    ctx: PatientContext,
    *,
    language: str = "",
) -> StatementView:
    """R17: the insurer's statement for a non-contracted invoice. The provider's coulance
    policy lowers the amount at once (the stop e-mail of R21 tells the patient), or puts a
    proposal on the provider's action list, written with the statement in one
    transaction. A statement that leaves the policy nothing to forgive (either policy: no
    proposal is made then) is an adjusted amount equal to the old one: a new final
    payment date and an e-mail with both (legal-nl.md §7: the patient was told to wait
    for them; the owners' decision, round 40). A declined proposal gets the e-mail but
    keeps its final date (tests/unit/test_coulance_timing.py pins it; for the owners).
    ``language``: the checker page's, which that e-mail is written in (R9; empty: the
    invoice's)."""
    invoice = _find_for_patient(reference_text, proof, ctx)
    provider = _provider(ctx.store, invoice)
    now = ctx.clock.now()
    statement = InsurerStatement(reimbursed_cents, withheld_deductible_cents, now)
    if _sent_again(invoice, statement):
        taken = _outcome_taken(invoice, ctx)
        return _statement_answer(invoice, provider, taken, ctx, language)
    automatic = provider.coulance.mode is CoulanceMode.AUTOMATIC
    proposal = propose(invoice, provider, statement)  # refused before any write
    # On the provider's list (confirm_first): the first reminder waits for its decision
    # as it waited for the statement (legal-nl.md §7).
    waits_for_provider = not automatic and proposal.coulance_cents > 0

    def take(current: Invoice) -> Invoice:
        if _sent_again(current, statement):
            return current  # its twin, sent at once, took it first: answered as it (R38)
        taken = with_statement(current, replace(statement, proposal_open=waits_for_provider))
        fresh = propose(current, provider, statement)
        term = provider.payment_term_days
        if fresh.coulance_cents <= 0:
            return with_statement_term(taken, now, term)
        if not automatic:
            return taken
        return apply_coulance(taken, fresh, now, STATEMENT_CAUSE, payment_term_days=term)

    def confirm_first(taken: Invoice) -> tuple[OpenAction, ...]:
        if not waits_for_provider:
            return ()
        return (proposal_action(taken, proposal_for(taken, provider, statement), now),)

    stored, took = save_change(ctx.store, invoice, take, new_actions=confirm_first)
    if not took:
        return _statement_answer(stored, provider, _outcome_taken(stored, ctx), ctx, language)
    if proposal.coulance_cents <= 0:
        outcome = StatementOutcome.NOTHING_TO_FORGIVE
    else:
        outcome = StatementOutcome.APPLIED if automatic else StatementOutcome.SENT_TO_PROVIDER
    return _statement_answer(stored, provider, outcome, ctx, language)


def _granted_again(granted: Deferral | Arrangement | None, now: datetime) -> bool:
    """A deferral (R14) or an arrangement (R15) asked for again within a retry's lifetime
    of its grant (R38: the checker's form sent twice by a double click or a reload, or
    sent again after its answer was lost): answered as the first time, its confirmation
    queued again (the delivery sends it once), not refused as one the patient already
    has, which after a double click showed only "that is not possible" and hid the new
    date or the terms just granted (audit round 49 idem4). An arrangement asked with
    another number of terms, or either asked later, is another request: refused."""
    if granted is None:
        return False
    if isinstance(granted, Arrangement):
        at = granted.created_at
        if granted.status is not ArrangementStatus.ACTIVE:
            return False
    else:
        at = granted.granted_at
    return timedelta(0) <= now - at <= KEY_LIFETIME


def _sent_again(invoice: Invoice, statement: InsurerStatement) -> bool:
    """The statement taken is this one, sent again within a retry's lifetime (R38: the
    checker's form sent twice, or sent again after its answer was lost, a 5xx after the
    save when the e-mail could not be queued): answered as the first time, its e-mail
    queued again (the delivery sends it once), not refused as already received, which
    left the patient without the amount and the new date they were told to wait for
    (legal-nl.md §7). Other figures, or later, are another statement: refused."""
    taken = invoice.insurer_statement
    return (
        taken is not None
        and taken.reimbursed_cents == statement.reimbursed_cents
        and taken.withheld_deductible_cents == statement.withheld_deductible_cents
        and statement.received_at - taken.received_at <= KEY_LIFETIME
    )


def _outcome_taken(invoice: Invoice, ctx: PatientContext) -> StatementOutcome:
    """What taking the invoice's statement did, as the invoice and its proposal's action
    (written with the statement, in one transaction) show it: a coulance booked by the
    statement itself, a proposal put on the provider's list, or else nothing to forgive."""
    if booked_by(invoice.ledger, STATEMENT_CAUSE) is not None:
        return StatementOutcome.APPLIED
    if ctx.store.get_action(invoice.provider_id, proposal_id(invoice.invoice_id)) is not None:
        return StatementOutcome.SENT_TO_PROVIDER
    return StatementOutcome.NOTHING_TO_FORGIVE


def _statement_answer(
    stored: Invoice,
    provider: Provider,
    outcome: StatementOutcome,
    ctx: PatientContext,
    language: str = "",
) -> StatementView:
    """The answer to a statement taken (``stored``), its e-mail queued, in ``language``,
    when it has one now."""
    sent = outcome in _CONFIRMED and _confirm(
        ctx.delivery, stored, _CONFIRMED[outcome], event_id=STATEMENT_CAUSE, language=language
    )
    # R7, R19: read with the letter's other invoices, as the checker reads it, so while its
    # final notice waits to go again on the lead no invoice of it names a day (dateline52)
    letter = rest_of_the_notice(ctx.store, stored)
    due = breakdown(stored, provider.dunning, ctx.clock.today(), ctx.interest, letter)
    taken = stored.insurer_statement
    waits_for_provider = taken is not None and taken.proposal_open
    pay_by = None if waits_for_provider else _date_to_name(due, stored)
    # The amount due as the checker and the confirmation name it: once costs were charged,
    # with the interest accrued and not yet booked (R10, R20; audit REQUESTS2).
    return StatementView(stored.reference, outcome, due.due_cents, pay_by, sent)


def _date_to_name(due: Breakdown, stored: Invoice) -> date | None:
    """The date a statement's answer names: the one the checker shows; the final payment
    date only where no date of the timeline counts (settled by the statement). None while
    the final notice waits to go again (``date_that_counts``): the handover counts 14
    days from the new notice's receipt (R19, legal-nl.md §2), not yet known, and the final
    payment date passed long ago."""
    if due.pay_by_kind is PayBy.NONE:
        return stored.current_final_payment_date
    return due.pay_by


# What the patient hears of a statement now (R17, legal-nl.md §7): the amount and the date
# to pay it by. A proposal on the provider's list is told when decided (provider/actions).
_CONFIRMED = {
    StatementOutcome.APPLIED: STOP_CONFIRMATION,
    StatementOutcome.NOTHING_TO_FORGIVE: COULANCE_DECLINED,
}


# --- shared --------------------------------------------------------------------------------


def _find_for_patient(reference_text: str, proof: PatientProof, ctx: PatientContext) -> Invoice:
    """The invoice the proof admits, with wrong birth dates counted (access.find_for_patient)."""
    return find_for_patient(ctx.store, reference_text, proof, ctx.clock.now())


def _provider(store: BillingStore, invoice: Invoice) -> Provider:
    """Fresh settings for a write: the fee and dates the patient agrees to are today's."""
    provider = store.get_provider(invoice.provider_id)
    if provider is None:  # an invoice of a provider that is gone: nothing to offer
        raise NotFound()
    return provider


def _queue_letters(delivery: DeliveryQueue, invoice: Invoice) -> None:
    """Queue the dunning letters the invoice waits for (the second notice of costs charged
    by ``dunning.timeline.as_the_run_leaves_it``), as the run queues them: none is sent
    that only asks for an invoice under a running arrangement (dunning/letters.py)."""
    requests = letters_due_requests(invoice)
    if requests:
        delivery.enqueue(requests)


def _confirm(
    delivery: DeliveryQueue, invoice: Invoice, kind: str, *, event_id: str, language: str = ""
) -> bool:
    """Queue the confirmation e-mail to the invoice's own address, in ``language`` (the
    invoice's when empty); False when it has none that works (none, or bounced
    permanently: R7). One the patient must have goes on paper then
    (kinds.reaches_patient; the delivery decides how)."""
    if reaches_patient(invoice, kind):
        request = DeliveryRequest(
            invoice.provider_id,
            invoice.invoice_id,
            kind=kind,
            event_id=event_id,
            language=language,
        )
        delivery.enqueue([request])
    return bool(invoice.live_email)
