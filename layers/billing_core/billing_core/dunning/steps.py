"""The steps of the dunning timeline as pure changes of invoices (R19, R20, R27).

Each takes the invoices and the day and returns them changed; the run saves a step's
invoices in one transaction, so a letter covering three invoices is on all three or on
none. Every function is idempotent: an invoice already past the step comes back as it
was (``is``), so a replayed day changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.dunning.policy import DunningPolicy
from billing_core.dunning.timeline import next_step
from billing_core.invoices.invoice import (
    CoveredInvoice,
    DunningStage,
    Invoice,
    PendingLetter,
    Reminder,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry, balance
from billing_core.legal import (
    Channel as LetterChannel,
)
from billing_core.legal import (
    collection_costs_for,
    receipt_date,
    reminder_final_date,
    split_proportionally,
    staffel_on,
)

COSTS_NOTE = "buitengerechtelijke incassokosten (BIK), art. 6:96 BW"


def outstanding_principal(invoice: Invoice) -> int:
    return max(balance(invoice.ledger, Component.PRINCIPAL), 0)


def send_reminder(invoices: Sequence[Invoice], policy: DunningPolicy, today: date) -> list[Invoice]:
    """One 14-day letter for these invoices of one addressee (legal-nl.md §2): it states
    the principal due per invoice, the final date (receipt + 14 days) and the BIK that
    will be charged, computed by the staffel over the summed principals (§3)."""
    todo = [invoice for invoice in invoices if invoice.dunning_stage is DunningStage.NONE]
    if not todo:
        return list(invoices)
    lead = todo[0]
    channel = LetterChannel(lead.channel.value)
    principals = [outstanding_principal(invoice) for invoice in todo]
    costs = collection_costs_for(principals, staffel=staffel_on(today))
    reminder = Reminder(
        letter_id=f"{today.isoformat()}:{lead.invoice_id}",
        sent_on=today,
        channel=lead.channel,
        received_on=receipt_date(today, channel),
        final_date=reminder_final_date(today, channel),
        covers=tuple(
            CoveredInvoice(invoice.invoice_id, invoice.reference, principal, share)
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


def charge_costs(
    invoices: Sequence[Invoice], policy: DunningPolicy, today: date, now: datetime
) -> list[Invoice]:
    """The reminder's term expired unpaid (R20): the BIK over the principal outstanding
    now (a partial payment within the term lowers it, legal-nl.md §2), never more than
    the letter announced, booked in each ledger (R27); from today statutory interest is
    asked (dunning/interest.py), and a second notice goes out."""
    todo = [invoice for invoice in invoices if invoice.dunning_stage is DunningStage.REMINDED]
    if not todo:
        return list(invoices)
    principals = [outstanding_principal(invoice) for invoice in todo]
    total = collection_costs_for(principals, staffel=staffel_on(today)).total_cents
    stated = sum(_stated_costs(invoice) for invoice in todo)
    parts = split_proportionally(min(total, stated), principals)
    lead = todo[0]
    assert lead.reminder is not None
    letter = PendingLetter(SECOND_NOTICE, f"second-notice:{lead.reminder.letter_id}", today)
    charged = []
    for invoice, part in zip(todo, parts, strict=True):
        if part > 0:
            assert invoice.reminder is not None
            cause = f"dunning:{invoice.reminder.letter_id}"
            invoice = invoice.with_entry(
                LedgerEntry(EntryKind.COSTS, Component.COSTS, part, now, cause, COSTS_NOTE)
            )
        invoice = replace(invoice, dunning_stage=DunningStage.COSTS_CHARGED, costs_charged_on=today)
        charged.append(
            _moved(invoice, policy, letter if invoice.invoice_id == lead.invoice_id else None)
        )
    return charged


def hand_over(invoice: Invoice, today: date) -> Invoice:
    """The claim goes to the collection agency (R19); the run writes the handover file,
    blocks the patient and puts "call your patient" on the provider's list (R22, R23)."""
    if invoice.dunning_stage is not DunningStage.COSTS_CHARGED:
        return invoice
    return replace(
        invoice,
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=today,
        next_check_on=None,
    )


def rescheduled(invoice: Invoice, check_on: date | None) -> Invoice:
    if invoice.next_check_on == check_on:
        return invoice
    return replace(invoice, next_check_on=check_on)


def _stated_costs(invoice: Invoice) -> int:
    assert invoice.reminder is not None
    return invoice.reminder.covered(invoice.invoice_id).costs_cents


def _moved(invoice: Invoice, policy: DunningPolicy, letter: PendingLetter | None) -> Invoice:
    """The invoice with its next check on the day of its next step, and the letter the
    delivery still has to record."""
    _, next_day = next_step(invoice, policy)
    letters = (*invoice.letters_due, letter) if letter else invoice.letters_due
    return replace(invoice, next_check_on=next_day, letters_due=letters)
