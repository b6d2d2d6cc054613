"""What is due on an invoice today, and why (R36, R20, issue 12): the breakdown the
checker and the practice's invoice page show, and the date that counts now.

"€ 97,21 due" on an invoice of € 57,17 is only understood with its parts: the invoice,
what the insurer and the practice took off, what was paid, the collection costs and the
statutory interest up to today. Every part is a sum over the ledger (R27), the interest
also what accrued since it was last booked (computed on demand, R20), so the parts add
up to the amount due to the cent.

The date that counts is the one the patient must pay by now: the arrangement's next
term while an arrangement runs, the second notice's last day once costs were charged,
the reminder's final date once there is a reminder, else the (deferred) final payment
date; and while the provider holds the invoice (R16), the hold's last day when that is
later, since dunning takes the next step only the day after it.

While the second notice waits to be sent, no date counts: the handover waits for it and
counts 14 days from the day it goes (R19; the law asks no receipt of it: legal-nl.md §2's
term from the day after receipt is the reminder's, correspondence/bounces.py), so no day
before the agency is known before it goes: the first one queued by the run (or by the checker's
copy of the costs day before the run), or one sent again, its e-mail bounced for good
(R7), whose day the one that never arrived named is not. ``pay_by`` is None then, beside
the second notice's kind; but while the practice holds the invoice, the hold's last day, as
above: the notice waits for the hold too and goes the day after it. Not one with nowhere
to go (its e-mail bounced, no postal address, R7, R23): it goes once the practice has an
address, hold or not, so no date then either. Nor a hold over a new reminder with nowhere
to go (the last one bounced, or the invoice's e-mail, no postal address): dunning sends
none the day after the hold (timeline.plan), so the date stays the one without the hold.

That date can have passed while dunning has not yet taken its next step: the reminder
goes a week after the final date, the costs and the handover on the first run after
their day, and a missed term cancels an arrangement only 15 days on (R15).
``pay_by_passed`` says so, so that no one shows a passed date as one to pay by.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from billing_core.changes.arrangement import arrangement_status, next_term
from billing_core.dunning.interest import accrued_interest, amount_due_today
from billing_core.dunning.letter_costs import reminder_superseded
from billing_core.dunning.policy import DunningPolicy
from billing_core.dunning.timeline import Step, handover_day, letter_waiting
from billing_core.invoices.invoice import ArrangementStatus, DunningStage, Invoice
from billing_core.invoices.ledger import EntryKind, LedgerEntry, paid_by_patient, total_of
from billing_core.payments.booking import InterestAccrual
from billing_core.shared.clock import amsterdam_day


class PayBy(StrEnum):
    """Which date counts now."""

    FINAL_PAYMENT_DATE = "final_payment_date"  # as on the invoice, or of an adjusted amount
    DEFERRED = "deferred"  # moved by the free deferral (R14)
    REMINDER = "reminder"  # the 14-day letter's final date (legal-nl.md §2)
    SECOND_NOTICE = "second_notice"  # the day before the handover (R19)
    ARRANGEMENT_TERM = "arrangement_term"  # the next term of a running arrangement (R15)
    HOLD = "hold"  # the last day of the provider's hold (R16), later than the others
    NONE = "none"  # paid, or with the collection agency: no date of ours


@dataclass(frozen=True, slots=True)
class Breakdown:
    invoiced_cents: int  # the treatments, as issued
    reimbursed_cents: int  # deducted: what the insurer pays (R5)
    forgiven_cents: int  # coulance and stops by the practice (R17, R21)
    paid_cents: int  # payments, less returned transfers and refunds
    costs_cents: int  # collection costs (BIK), after any that were undone
    fee_cents: int  # the arrangement's fee (R15)
    interest_cents: int  # statutory interest up to today, booked or not (R20)
    due_cents: int  # what the parts add up to; never below zero
    credit_cents: int  # paid too much: refunded (R13)
    pay_by: date | None
    pay_by_kind: PayBy
    pay_by_passed: bool  # pay_by lies before today: it was the date, it is not one to pay by
    term_cents: int = 0  # during an arrangement: what the next term still asks
    # R13: of what the patient paid, what was paid back (PSP or bank refunds, less those
    # that failed or came back), and the day it was, when one day paid it all back
    refunded_cents: int = 0
    refunded_on: date | None = None

    @property
    def received_cents(self) -> int:
        """What the patient paid, before anything was paid back: ``paid_cents`` is what
        they paid and kept paid, so a patient who paid twice and got one back reads both
        payments and the refund, not one payment (R13)."""
        return self.paid_cents + self.refunded_cents


def breakdown(
    invoice: Invoice,
    policy: DunningPolicy,
    today: date,
    interest: InterestAccrual = accrued_interest,
    letter: Sequence[Invoice] = (),
) -> Breakdown:
    """``policy``: the provider's dunning timeline, which dates the second notice.
    ``letter``: the other invoices of the letter ``invoice`` is in, as stored now, for
    whether its second notice waits to go on its lead (``timeline.letter_waiting``)."""
    ledger = invoice.ledger
    due = amount_due_today(invoice, today, interest)
    unbooked = due - invoice.amount_due_cents  # interest accrued, not yet booked (R20)
    pay_by, kind, term = date_that_counts(invoice, policy, today, letter)
    return Breakdown(
        invoiced_cents=total_of(ledger, EntryKind.ISSUED),
        reimbursed_cents=-total_of(ledger, EntryKind.REIMBURSEMENT),
        forgiven_cents=-(total_of(ledger, EntryKind.COULANCE) + total_of(ledger, EntryKind.STOP)),
        paid_cents=paid_by_patient(ledger),
        costs_cents=total_of(ledger, EntryKind.COSTS),
        fee_cents=total_of(ledger, EntryKind.FEE),
        interest_cents=total_of(ledger, EntryKind.INTEREST) + unbooked,
        due_cents=due,
        credit_cents=invoice.credit_cents,
        pay_by=pay_by,
        pay_by_kind=kind,
        pay_by_passed=pay_by is not None and pay_by < today,
        term_cents=term,
        refunded_cents=total_of(ledger, EntryKind.REFUND),
        refunded_on=refunded_on(ledger),
    )


def refunded_on(ledger: Sequence[LedgerEntry]) -> date | None:
    """The day the refunds standing on the ledger paid the patient back (R13, R27): the
    day of the last refund, when nothing of the refunds before that day stands (one
    failed or returned before it is undone by its own entry; a refund booked again under
    its PSP id takes the wrong one back on the day it was paid,
    payments/refunds.correct_refund_id). What stands then is that day's money, less what
    came back of it that day or later (a part the bank returned on a later day: the rest
    was paid on the refund's day, as a whole return leaves the next refund's day). None
    when nothing stands refunded (one failed or came back whole, also on its own day:
    the answer names no day for EUR 0), or the refunds of several days make it up: no
    one day says when."""
    refunds = [e for e in ledger if e.kind is EntryKind.REFUND]
    if sum(e.amount_cents for e in refunds) <= 0:
        return None
    last_day = max(amsterdam_day(e.at) for e in refunds if e.amount_cents > 0)
    before = sum(e.amount_cents for e in refunds if amsterdam_day(e.at) < last_day)
    return last_day if before == 0 else None


# The dates a hold pauses; an arrangement's terms keep their own (R15: a missed term is
# missed whatever the hold).
_PAUSED_BY_A_HOLD = frozenset(
    {PayBy.FINAL_PAYMENT_DATE, PayBy.DEFERRED, PayBy.REMINDER, PayBy.SECOND_NOTICE}
)


def date_that_counts(
    invoice: Invoice, policy: DunningPolicy, today: date, letter: Sequence[Invoice] = ()
) -> tuple[date | None, PayBy, int]:
    """(the date the patient must pay by now, which date that is, the next term's amount
    during an arrangement, else 0). ``letter``: as for ``breakdown``."""
    pay_by, kind, term = timeline_date(invoice, policy, today)
    notice_waits = _notice_waits(invoice, kind, letter)
    if notice_waits:
        # R19: the handover waits for the notice and counts from it: the first one still
        # queued, or one sent again after a bounce (R7): no day known yet
        pay_by = None
    if _next_letter_has_nowhere_to_go(invoice, kind, notice_waits):
        # R7, R23: the letter goes once the practice has an address, not the day after a
        # hold: the hold's end is no date to pay by (holdwords54, reminderhold54)
        return pay_by, kind, term
    # R16: dunning waits out the hold and takes the step whose day passed in it on the day
    # after (dunning.timeline._paused_until), so a date of the timeline before the hold's
    # end is not the one dunning uses, and may have passed: the hold's end counts. So it
    # does over a final notice still to go, which the delivery holds with the invoice
    # (letters.second_notice_held) and which goes the day after the hold.
    hold_until = invoice.hold_until if invoice.is_on_hold(today) else None
    if kind in _PAUSED_BY_A_HOLD and hold_until and (pay_by is None or pay_by < hold_until):
        return hold_until, PayBy.HOLD, 0
    return pay_by, kind, term


# The dates after which dunning's next step is a (new) reminder (timeline.next_step): none
# sent yet, or the last one superseded (a bounce, a deferral in its term, ...).
_BEFORE_A_REMINDER = frozenset({PayBy.FINAL_PAYMENT_DATE, PayBy.DEFERRED})


def next_letter_waits_for_the_practice(
    invoice: Invoice, today: date, letter: Sequence[Invoice] = ()
) -> bool:
    """R7, R16, R23: whether the step dunning takes next is a letter with nowhere to go,
    which no hold's end sends, only the practice's address: the one test of both the date
    that counts (``date_that_counts``) and the checker's hold note (holdnote54).
    ``letter``: as for ``breakdown``."""
    kind = timeline_step(invoice, today)
    return _next_letter_has_nowhere_to_go(invoice, kind, _notice_waits(invoice, kind, letter))


def _notice_waits(invoice: Invoice, kind: PayBy, letter: Sequence[Invoice]) -> bool:
    """R19: the final notice's step, while that notice has not gone yet (queued on the
    letter's lead, or to be sent again after a bounce, R7)."""
    return kind is PayBy.SECOND_NOTICE and letter_waiting(Step.HANDOVER, (invoice, *letter))


def _next_letter_has_nowhere_to_go(invoice: Invoice, kind: PayBy, notice_waits: bool) -> bool:
    """Whether the step dunning takes next is a letter, a new reminder or the final notice
    still to go (``notice_waits``), and there is nowhere to send it: its e-mail address
    bounced and there is no postal address (``Invoice.letter_channel``, as timeline.plan
    and dunning/run.py read it: neither sends it until the practice acts, R7, R23)."""
    letter_next = notice_waits or kind in _BEFORE_A_REMINDER
    return letter_next and invoice.letter_channel is None


def timeline_date(
    invoice: Invoice, policy: DunningPolicy, today: date
) -> tuple[date | None, PayBy, int]:
    """``date_that_counts`` with any hold left aside: the date of the dunning timeline
    itself, which a deferral moves (changes.deferral)."""
    kind = timeline_step(invoice, today)
    if kind is PayBy.ARRANGEMENT_TERM:
        term = next_term(invoice)
        assert term is not None
        return term.due_date, kind, term.amount_cents
    if kind is PayBy.SECOND_NOTICE:
        return handover_day(invoice, policy) - timedelta(days=1), kind, 0
    if kind is PayBy.REMINDER:
        assert invoice.reminder is not None
        return max(invoice.reminder.final_date, invoice.current_final_payment_date), kind, 0
    if kind is PayBy.DEFERRED:
        return invoice.current_final_payment_date, kind, 0
    if kind is PayBy.FINAL_PAYMENT_DATE:
        return invoice.final_payment_date, kind, 0
    return None, PayBy.NONE, 0


def timeline_step(invoice: Invoice, today: date) -> PayBy:
    """Which date of the dunning timeline counts now, any hold left aside: the one choice
    that both the date to pay by and the checker's state (services.patient.invoice_state)
    follow, so the page never names a reminder's state beside a deferral's date, nor the
    reminder once the second notice's costs are charged (R10, R36)."""
    if invoice.is_paid or invoice.is_with_collection_agency:
        return PayBy.NONE
    if arrangement_status(invoice, today) is ArrangementStatus.ACTIVE and next_term(invoice):
        return PayBy.ARRANGEMENT_TERM
    if invoice.dunning_stage is DunningStage.COSTS_CHARGED and invoice.costs_charged_on:
        return PayBy.SECOND_NOTICE
    if invoice.reminder is not None and not reminder_superseded(invoice):
        return PayBy.REMINDER
    if invoice.current_final_payment_date != invoice.final_payment_date:
        return PayBy.DEFERRED
    return PayBy.FINAL_PAYMENT_DATE
