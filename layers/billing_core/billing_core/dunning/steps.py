"""The steps of the dunning timeline as pure changes of invoices (R19, R20, R27).

Each takes the invoices and the day and returns them changed; the run saves a step's
invoices in one transaction, so a letter covering three invoices is on all three or on
none. Every function is idempotent: an invoice already past the step comes back as it
was (``is``), so a replayed day changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, time

from billing_core.dunning.corrections import rebooked_after
from billing_core.dunning.letter_costs import (
    COSTS_NOTE,
    costs_cause,
    costs_charged,
    letter_costs,
    reminder_superseded,
)
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.dunning.policy import DunningPolicy
from billing_core.dunning.timeline import next_step
from billing_core.invoices.invoice import (
    Channel,
    CoveredInvoice,
    DunningStage,
    Invoice,
    PendingLetter,
    Reminder,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry, balance
from billing_core.invoices.open_costs import open_costs
from billing_core.invoices.updates import recorded_now
from billing_core.legal import (
    Channel as LetterChannel,
)
from billing_core.legal import (
    costs_at_term_end,
    posting_date,
    receipt_date,
    reminder_final_date,
)
from billing_core.payments.booking import rebooking
from billing_core.shared.clock import AMSTERDAM, moment_on


def outstanding_principal(invoice: Invoice) -> int:
    return max(balance(invoice.ledger, Component.PRINCIPAL), 0)


def send_reminder(
    invoices: Sequence[Invoice],
    policy: DunningPolicy,
    today: date,
    *,
    posting_delay_days: int = 0,
) -> list[Invoice]:
    """One 14-day letter for these invoices of one addressee (legal-nl.md §2): it states
    the amount due per invoice (the principal, and the fee of a cancelled arrangement
    still owed: a payment goes to that first, §5), the final date (receipt + 14 days) and
    the BIK that will be charged, computed by the staffel in force when its term expires
    over the summed principals (§3). It goes by the lead's letter channel (R7: on paper
    once its e-mail bounced); nowhere to send it, nothing changes: the claim waits for
    the practice."""
    todo = [
        invoice
        for invoice in invoices
        if invoice.dunning_stage is DunningStage.NONE or reminder_superseded(invoice)
    ]
    channel = todo[0].letter_channel if todo else None
    if channel is None:
        return list(invoices)
    lead = todo[0]
    principals = [outstanding_principal(invoice) for invoice in todo]
    received_on, final_date = reminder_dates(today, channel, posting_delay_days)
    costs = costs_at_term_end(principals, final_date)
    reminder = Reminder(
        letter_id=f"{today.isoformat()}:{lead.invoice_id}",
        sent_on=today,
        channel=channel,
        received_on=received_on,
        final_date=final_date,
        covers=tuple(
            CoveredInvoice(
                invoice.invoice_id,
                invoice.reference,
                principal,
                share,
                fee_cents=open_costs(invoice.ledger).fee_cents,
            )
            for invoice, principal, share in zip(todo, principals, costs.parts, strict=True)
        ),
    )
    letter = PendingLetter(REMINDER, reminder.letter_id, today)
    return [
        _moved(
            replace(invoice, dunning_stage=DunningStage.REMINDED, reminder=reminder),
            policy,
            letter if invoice is lead else None,
        )
        for invoice in todo
    ]


def reminder_dates(sent_on: date, channel: Channel, posting_delay_days: int) -> tuple[date, date]:
    """(receipt, final date) of a reminder sent on ``sent_on`` (legal-nl.md §2): an
    e-mail is received the day it is sent; a paper letter goes in that day's print batch,
    posted ``posting_delay_days`` later (the provider's setting), and is received the
    second delivery day after; the term ends 14 days after receipt, moved past a weekend
    or Atw holiday. The run dates the letter by its own day, the delivery again by the
    day it really goes out (correspondence/delivery.py)."""
    letter_channel = LetterChannel(channel.value)
    posted_on = posting_date(sent_on, posting_delay_days)
    return (
        receipt_date(sent_on, letter_channel, posted_on=posted_on),
        reminder_final_date(sent_on, letter_channel, posted_on=posted_on),
    )


def charge_costs(
    invoices: Sequence[Invoice],
    policy: DunningPolicy,
    today: date,
    now: datetime,
    *,
    rest_of_letter: Sequence[Invoice] = (),
) -> list[Invoice]:
    """The reminder's term expired unpaid (R20): each invoice gets its part of the BIK
    its letter supports (letter_costs.py: the staffel over the letter's principal still
    open at the end of the term, never more than the letter announced), booked in its
    ledger (R27); from today statutory interest is asked (dunning/interest.py), and a
    second notice goes out. ``rest_of_letter``: the letter's other invoices, which are
    not charged today but share its costs (paid in the term, on hold, charged before).
    The costs are dated on ``today`` and recorded ``now``: a replay of a passed day books
    them on that day, as its run would have (R18; the handover file shows their date)."""
    todo = [
        invoice
        for invoice in invoices
        if invoice.dunning_stage is DunningStage.REMINDED and not reminder_superseded(invoice)
    ]
    if not todo:
        return list(invoices)
    lead = todo[0]
    reminder = lead.reminder
    assert reminder is not None
    supported = letter_costs(reminder, [*todo, *rest_of_letter])
    letter = PendingLetter(SECOND_NOTICE, f"second-notice:{reminder.letter_id}", today)
    charged = []
    at = moment_on(today, now)
    for invoice in todo:
        part = supported[invoice.invoice_id] - costs_charged(invoice, reminder)
        if part > 0:
            costs = LedgerEntry(
                EntryKind.COSTS, Component.COSTS, part, at, costs_cause(reminder), COSTS_NOTE
            )
            invoice = recorded_now(_booking(costs), now)(invoice)
        invoice = replace(invoice, dunning_stage=DunningStage.COSTS_CHARGED, costs_charged_on=today)
        invoice = _paid_after_the_term_set_right(invoice, reminder, now)
        charged.append(
            _moved(invoice, policy, letter if invoice.invoice_id == lead.invoice_id else None)
        )
    return charged


def _booking(entry: LedgerEntry) -> Callable[[Invoice], Invoice]:
    """The change that books ``entry`` on an invoice."""
    return lambda invoice: invoice.with_entry(entry)


def _paid_after_the_term_set_right(invoice: Invoice, reminder: Reminder, now: datetime) -> Invoice:
    """``invoice`` with its costs just charged and the payments dated after the term that
    were booked before them (iDEAL at 02:00 on the costs day, before the 06:00 run) booked
    again as one booked after the run is: costs, then the interest accrued up to it, then
    principal (legal-nl.md §5), by the correcting entries a payment read late makes
    (dunning/corrections.py). The order in which we learn of a payment and of the costs
    then changes nothing (§2); the corrections are recorded now, for the retrocession."""
    term_end = datetime.combine(reminder.final_date, time.max, tzinfo=AMSTERDAM)
    reason = (
        f"set right: costs of the term to {reminder.final_date.isoformat()} were due from "
        "the day after it (legal-nl.md §2, §5)"
    )

    def set_right(current: Invoice) -> Invoice:
        return rebooked_after(current, term_end, rebooking(), reason)

    return recorded_now(set_right, now)(invoice)


def hand_over(invoice: Invoice, today: date) -> Invoice:
    """The claim goes to the collection agency (R19), with the handover file and the
    block still to write (``handover_pending``); the run puts "call your patient" on the
    provider's list in the same save (R22, R23). The handover file holds the ledger as
    saved here (``handover_entries``): the agency's daily files tell what follows (R34)."""
    if invoice.dunning_stage is not DunningStage.COSTS_CHARGED:
        return invoice
    return replace(
        invoice,
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=today,
        handover_pending=True,
        handover_entries=len(invoice.ledger),
        next_check_on=None,
    )


def handover_written(invoice: Invoice) -> Invoice:
    """The agency has its file and the patient is blocked: off the run's index."""
    return replace(invoice, handover_pending=False)


def rescheduled(invoice: Invoice, check_on: date | None) -> Invoice:
    if invoice.next_check_on == check_on:
        return invoice
    return replace(invoice, next_check_on=check_on)


def _moved(invoice: Invoice, policy: DunningPolicy, letter: PendingLetter | None) -> Invoice:
    """The invoice with its next check on the day of its next step, and the letter the
    delivery still has to record."""
    _, next_day = next_step(invoice, policy)
    letters = (*invoice.letters_due, letter) if letter else invoice.letters_due
    return replace(invoice, next_check_on=next_day, letters_due=letters)
