"""What the daily run must do for one invoice on one day (R19, R14-R16, R18).

A pure function of the invoice, the provider's policy and the day, so any day can be
replayed and a second run on the same day finds nothing left to do. The stored
``next_check_on`` is only where the run's index puts the invoice; what is due is always
derived again here, so a deferral, a hold or an arrangement made since simply shows up as
"nothing yet, look again on ...".

The timeline (defaults of dunning/policy.py):
- stage NONE: the reminder, ``days_to_reminder`` after the first day of default (the day
  after the current final payment date: a deferral moves it, R14);
- stage REMINDED: collection costs and the second notice, the day after the reminder's
  final date (and never before the current final payment date has passed); but a
  deferral or arrangement granted during the reminder's term moved the default, and so
  did an amount adjusted by the insurer's statement since the reminder (its new final
  payment date, §7), so that letter supports no costs: a new reminder comes after the
  new default begins (legal-nl.md §2); a reminder that bounced permanently never arrived:
  a new one goes at once, on paper (R7), or, without a postal address, none until the
  practice acts;
- stage COSTS_CHARGED: the handover, ``days_to_handover`` after the costs were charged.
Dunning pauses while the provider holds the invoice (R16) and while an arrangement runs
(R15); the first reminder of a non-contracted invoice waits for the insurer's statement
and for the provider's decision on its proposal (legal-nl.md §7); a term missed by more
than 14 days cancels the arrangement and the timeline resumes where it stopped: a step
whose day has passed is due at once. An arrangement whose terms were all paid on time
was kept: what they left open (the interest of a term paid late within its 14 days) is
one more term of it (changes/arrangement.rest_term), so dunning stays paused until that
one is missed too (R15: "Dunning pauses while terms are paid on time").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from billing_core.changes.arrangement import (
    MISSED_AFTER_DAYS,
    arrangement_status,
    next_term,
)
from billing_core.dunning.interest import first_day_of_default
from billing_core.dunning.letter_costs import reminder_superseded
from billing_core.dunning.policy import DunningPolicy
from billing_core.invoices.invoice import (
    SECOND_NOTICE_AGAIN,
    ArrangementStatus,
    DunningStage,
    Invoice,
    InvoiceStatus,
)
from billing_core.shared.clock import AMSTERDAM

if TYPE_CHECKING:
    from collections.abc import Iterable

    from billing_core.ports import BillingStore

ONE_DAY = timedelta(days=1)


class Step(StrEnum):
    REMINDER = "reminder"  # the 14-day letter (legal-nl.md §2)
    COSTS = "costs"  # BIK charged, interest from now on, second notice (R19, R20)
    HANDOVER = "handover"  # to the collection agency, patient blocked (R19, R22)


@dataclass(frozen=True, slots=True)
class Plan:
    step: Step | None  # due today; None: nothing to do today
    check_on: date | None  # when nothing is due: the day to look again (None: never)


NOTHING_EVER = Plan(None, None)


def plan(
    invoice: Invoice,
    policy: DunningPolicy,
    today: date,
    *,
    statement_wait_until: date | None = None,
) -> Plan:
    """``statement_wait_until``: for a non-contracted invoice whose insurer's statement is
    not in, the first day its first reminder may go (legal-nl.md §7, changes/coulance)."""
    if invoice.is_paid or invoice.is_with_collection_agency:
        return NOTHING_EVER
    if invoice.status is not InvoiceStatus.SENT:
        return Plan(None, today + ONE_DAY)  # dunning starts from a letter the patient has
    paused_until = _paused_until(invoice, today)
    if paused_until is not None:
        return Plan(None, paused_until)
    step, due_on = next_step(invoice, policy)
    if step is Step.REMINDER and invoice.letter_channel is None:
        # The e-mail bounced and there is no postal address: no letter, so no costs, until
        # the practice has handled its open action (R7, R23).
        return Plan(None, today + ONE_DAY)
    if step is Step.REMINDER and invoice.dunning_stage is DunningStage.NONE:
        due_on = max(due_on, statement_wait_until or due_on)
    return Plan(step, None) if due_on <= today else Plan(None, due_on)


def letter_waiting(step: Step | None, invoices: Iterable[Invoice]) -> bool:
    """Whether the letter ``step`` follows (the reminder before the costs, the second
    notice before the handover) still waits to be sent on one of ``invoices`` (the
    letter's lead carries it until the delivery has sent it, R18)."""
    if step not in (Step.COSTS, Step.HANDOVER):
        return False
    # Imported here: the letters' kinds only matter once a claim is that far (#18 (d)).
    from billing_core.dunning.letters import REMINDER, SECOND_NOTICE, is_letter_of

    kind = REMINDER if step is Step.COSTS else SECOND_NOTICE
    for invoice in invoices:
        reminder = invoice.reminder
        if reminder is None:
            continue
        due = invoice.letters_due
        if any(p.kind == kind and is_letter_of(kind, p.event_id, reminder) for p in due):
            return True
    return False


def second_notice_goes_again(invoice: Invoice, letter: Iterable[Invoice] = ()) -> bool:
    """Whether the final notice of ``invoice``'s letter, its e-mail bounced for good, waits
    to be sent again (correspondence/bounces.second_notice_again): on paper by the next
    run, or, without a postal address, once the practice has handled its action (R7, R23).
    It waits on the letter's lead only, so ``letter``: the letter's other invoices as
    stored now. The handover counts from the new notice (R19), so until it goes no day
    before the agency is known."""
    reminder = invoice.reminder
    if invoice.dunning_stage is not DunningStage.COSTS_CHARGED or reminder is None:
        return False
    # Imported here, as in ``letter_waiting``: only a claim this far needs them (#18 (d)).
    from billing_core.dunning.letters import SECOND_NOTICE, is_letter_of

    return any(
        SECOND_NOTICE_AGAIN in due.event_id and is_letter_of(SECOND_NOTICE, due.event_id, reminder)
        for each in (invoice, *letter)
        for due in each.letters_due
    )


def costs_due(invoice: Invoice, policy: DunningPolicy, today: date) -> bool:
    """Whether the collection costs are due today and not charged yet: the reminder's term
    expired unpaid (R20: from the day after it the amount due adds the BIK and the
    interest, legal-nl.md §2), and the run has not yet taken the step, as before 06:00 on
    the costs day. A request of the patient then finds the claim as the run leaves it
    (an arrangement over the costs, no deferral), whatever the hour (audit plans2). Not
    while the reminder itself still waits to be sent, as the run holds the step then
    (``letter_waiting``): no costs without a reminder the patient received (art. 6:96 lid
    6 BW, legal-nl.md §2; dates51's note)."""
    step = plan(invoice, policy, today).step
    return step is Step.COSTS and not letter_waiting(step, [invoice])


def term_expired(invoice: Invoice, today: date) -> bool:
    """A cheap first look, no policy needed: the invoice waits on its reminder and that
    letter's term ended before ``today``. ``costs_due`` can only hold when this does."""
    reminder = invoice.reminder
    return (
        invoice.dunning_stage is DunningStage.REMINDED
        and reminder is not None
        and reminder.final_date < today
    )


def as_the_run_leaves_it(
    invoice: Invoice, policy: DunningPolicy, today: date, now: datetime, store: BillingStore
) -> Invoice:
    """``invoice`` with the collection costs charged when they are due today and the run
    has not charged them yet (before 06:00 on the day after the reminder's term): the
    term expired unpaid, so from today the amount due adds the BIK and the interest (R20,
    legal-nl.md §2), whatever the hour. Charged as the run charges them
    (``steps.charge_costs``: the invoice's share of the letter's costs, the letter's
    other invoices read from ``store``, the second notice waiting on it). A pure copy:
    a read shows what the run will make of the claim and writes nothing (the checker,
    the iDEAL amount, audit costsday2); a request saves it (an arrangement, audit
    plans2). The same invoice when nothing is due."""
    if not costs_due(invoice, policy, today):
        return invoice
    # Imported here: the run's steps are no part of the checker's usual path (#18 (d)).
    from billing_core.dunning.letter_costs import rest_of_letter
    from billing_core.dunning.steps import charge_costs

    reminder = invoice.reminder
    assert reminder is not None
    rest = rest_of_letter(store, invoice.provider_id, reminder, {invoice.invoice_id})
    (charged,) = charge_costs([invoice], policy, today, now, rest_of_letter=rest)
    return charged


def next_step(invoice: Invoice, policy: DunningPolicy) -> tuple[Step, date]:
    """The next step of the timeline and its day, pauses left aside."""
    stage = invoice.dunning_stage
    if stage is DunningStage.NONE or reminder_superseded(invoice):
        return Step.REMINDER, _reminder_day(invoice, policy)
    if stage is DunningStage.REMINDED:
        assert invoice.reminder is not None
        term_ends = max(invoice.reminder.final_date, invoice.current_final_payment_date)
        return Step.COSTS, term_ends + ONE_DAY
    if stage is DunningStage.COSTS_CHARGED:
        return Step.HANDOVER, handover_day(invoice, policy)
    raise ValueError(f"no step after {stage}")


def handover_day(invoice: Invoice, policy: DunningPolicy) -> date:
    """``days_to_handover`` after the costs were charged (R19)."""
    assert invoice.costs_charged_on is not None
    return invoice.costs_charged_on + timedelta(days=policy.days_to_handover)


def _reminder_day(invoice: Invoice, policy: DunningPolicy) -> date:
    """``days_to_reminder`` after the first day of default (a deferral moves it, R14), and
    not before a cancelled arrangement ended: its missed term is the new default (R15)."""
    day = first_day_of_default(invoice) + timedelta(days=policy.days_to_reminder)
    arrangement = invoice.arrangement
    if arrangement is not None and arrangement.cancelled_at is not None:
        day = max(day, arrangement.cancelled_at.astimezone(AMSTERDAM).date())
    return day


def _paused_until(invoice: Invoice, today: date) -> date | None:
    """The day dunning may go on, when the provider's hold (R16) or a running
    arrangement (R15) pauses it today."""
    if invoice.is_on_hold(today):
        assert invoice.hold_until is not None
        return invoice.hold_until + ONE_DAY
    if arrangement_status(invoice, today) is ArrangementStatus.ACTIVE:
        term = next_term(invoice)
        if term is not None:  # the day after the one the open term counts as missed
            return term.due_date + timedelta(days=MISSED_AFTER_DAYS) + ONE_DAY
    return None
