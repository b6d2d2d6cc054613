"""The dunning letters (R19, legal-nl.md §2): the 14-day reminder and the second notice.

The run (dunning/run.py) decides on a letter and queues it with these kinds; the delivery
(delivery.py) renders and sends it. This module says what a letter states: pure context
builders that take the invoices, the provider and the day and return only the values
the templates print (R29: no BSN, no treatments, not even the patient's name, the
invoice is recognised by its betalingskenmerk and date). The e-mail templates
(templates/email/<kind>.*.j2) and the paper letter (notify/pdf.py) render the same
context, so both state the same amounts and dates.

- Reminder, art. 6:96 lid 6 BW: the amount due, the term of 14 days from the day after
  receipt (the phrase and the computed final date) and the concrete collection costs
  (BIK) if the term passes. A letter without one of the three invalidates the BIK. The
  amount due is the principal plus the fee of a cancelled arrangement still owed, that
  fee on its own line: a payment goes to the costs first (§5), so a letter that left
  the fee out would ask too little, and paying it would still cost BIK.
- Second notice (sommatie): what is due now (principal, the BIK charged, an arrangement
  fee still owed apart from it, statutory interest as of the letter day) and the day the
  claim goes to the collection agency. "Incassokosten" is the BIK alone: never more
  than the reminder announced (legal-nl.md §2).
- Both invite the patient to make an arrangement in the checker (R15) only when the
  checker would grant one (``can_arrange``): after a cancelled arrangement, or for an
  amount too small to split, the letter sends the patient to the practice instead of to
  a form that refuses.

Kept free of rendering libraries: the run imports this module for the kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from billing_core.changes.arrangement import arrangement_refusal
from billing_core.correspondence.practice_contact import practice_contact
from billing_core.dunning.interest import accrued_interest, first_day_of_default
from billing_core.dunning.letter_costs import costs_charged, reminder_superseded
from billing_core.invoices.invoice import (
    SECOND_NOTICE_AGAIN,
    SECOND_NOTICE_KIND,
    Invoice,
    Reminder,
)
from billing_core.invoices.ledger import Component, balance
from billing_core.invoices.open_costs import collection_costs_paid, open_costs
from billing_core.legal import TERM_PHRASE, costs_at_term_end
from billing_core.payments.collection_account import CollectionAccount
from billing_core.providers.provider import Provider

REMINDER = "dunning_reminder"  # event id: Reminder.letter_id
SECOND_NOTICE = SECOND_NOTICE_KIND  # event id: f"second-notice:{Reminder.letter_id}"
KINDS = frozenset({REMINDER, SECOND_NOTICE})

PayUrl = Callable[[Invoice], str]


class NotALetter(ValueError):
    """The invoice has no reminder this letter could be about (a bug, never a patient's
    doing: the run sets the reminder before it queues a letter)."""


def event_id(kind: str, reminder: Reminder) -> str:
    """Which letter of ``kind`` a queued request is about: one of each per reminder."""
    if kind == REMINDER:
        return reminder.letter_id
    if kind == SECOND_NOTICE:
        return f"second-notice:{reminder.letter_id}"
    raise ValueError(f"no dunning letter of kind {kind!r}")


def is_letter_of(kind: str, event: str, reminder: Reminder) -> bool:
    """Whether ``event`` is the letter of ``kind`` of ``reminder``: its event id, or, for a
    second notice whose e-mail bounced permanently, that of the one sent again
    (correspondence/bounces.py, R7, R19)."""
    return event.partition(SECOND_NOTICE_AGAIN)[0] == event_id(kind, reminder)


def letter_reminder(lead: Invoice) -> Reminder:
    if lead.reminder is None:
        raise NotALetter(f"invoice {lead.invoice_id} has no reminder")
    return lead.reminder


def letter_invoices(
    kind: str, lead: Invoice, others: Sequence[Invoice], *, today: date | None = None
) -> list[Invoice]:
    """The invoices the letter is about, the lead first; ``others`` are the rest of the
    reminder's invoices as stored now.

    The reminder covers what the run recorded (its amounts and BIK are what was decided
    on). The second notice covers those whose collection costs were charged together
    with the lead's (by the same run: they share its handover date, also once the
    delivery dated them by a later sending; ``_costs_day``) and that are still unpaid.
    Neither asks for an invoice under an arrangement that runs (made, or put back by a
    payment read later, since the run decided on the letter): the arrangement pauses its
    dunning (R15), so the letter is about the others only (``about_these_only``). Nor
    does the reminder ask for an invoice ``set_aside`` since the run decided on it (on
    hold on ``today``, deferred: ``reminder_set_aside``).
    """
    reminder = letter_reminder(lead)
    by_id = {invoice.invoice_id: invoice for invoice in (lead, *others)}
    missing = [c.invoice_id for c in reminder.covers if c.invoice_id not in by_id]
    if missing:
        raise NotALetter(f"reminder {reminder.letter_id} covers unknown invoices {missing}")
    rest = (by_id[c.invoice_id] for c in reminder.covers if c.invoice_id != lead.invoice_id)
    ordered = [invoice for invoice in (lead, *rest) if not _arranged(invoice)]
    if kind == REMINDER:
        return [invoice for invoice in ordered if not reminder_set_aside(invoice, today)]
    if kind == SECOND_NOTICE:
        costs_day = _costs_day(lead, reminder)
        return [
            invoice
            for invoice in ordered
            if invoice.costs_charged_on is not None
            and invoice.costs_decided_on_day == costs_day
            and not invoice.is_paid
        ]
    raise ValueError(f"no dunning letter of kind {kind!r}")


def _costs_day(lead: Invoice, reminder: Reminder) -> date | None:
    """The day the run charged the costs the lead's second notice follows: the lead's
    own, or, once a payment read later put its arrangement back and undid its costs
    (dunning/corrections.undo_since_cancellation), the day the run decided on the letter
    still waiting on it. The others charged that day are still handed over 14 days
    later (R19), so they must get the notice (legal-nl.md §2)."""
    if lead.costs_decided_on_day is not None:
        return lead.costs_decided_on_day
    return next(
        (
            due.since
            for due in lead.letters_due
            if due.kind == SECOND_NOTICE and is_letter_of(SECOND_NOTICE, due.event_id, reminder)
        ),
        None,
    )


def about_these_only(reminder: Reminder, invoices: Sequence[Invoice]) -> Reminder:
    """``reminder`` about ``invoices`` only (those of its invoices ``letter_invoices``
    left in), before it goes out: the BIK it announces is that over their principals
    (``stating_its_costs``), so the costs that can follow it (letter_costs.py: never more
    than announced) are those of the letter the patient gets. The same reminder when it
    is about all of them."""
    ids = {invoice.invoice_id for invoice in invoices}
    kept = tuple(covered for covered in reminder.covers if covered.invoice_id in ids)
    if len(kept) == len(reminder.covers):
        return reminder
    return stating_its_costs(replace(reminder, covers=kept))


def stating_its_costs(reminder: Reminder) -> Reminder:
    """``reminder`` announcing the BIK of the staffel in force when its term expires, over
    the summed principals it asks (legal-nl.md §2, §3), split over its invoices: what
    the run charges the day after that term, and its cap, follow the same staffel
    (letter_costs.py), also when the delivery moved the term (a letter that went out
    later than the run's day) or a new staffel takes effect during it."""
    principals = [covered.principal_cents for covered in reminder.covers]
    costs = costs_at_term_end(principals, reminder.final_date)
    covers = (
        replace(covered, costs_cents=share)
        for covered, share in zip(reminder.covers, costs.parts, strict=True)
    )
    return replace(reminder, covers=tuple(covers))


def nothing_to_ask(invoices: Sequence[Invoice]) -> bool:
    """Every invoice of the letter is paid by now, or under an arrangement that runs (or
    none is left): nothing to ask. A letter the run decided on a cancelled arrangement
    that a payment read later put back (changes/arrangement.kept_after_all) would ask for
    an arrangement that runs, which pauses dunning (R15, legal-nl.md §2)."""
    return all(invoice.is_paid or _arranged(invoice) for invoice in invoices)


def reminder_set_aside(invoice: Invoice, today: date | None) -> bool:
    """Whether the reminder the invoice waits for may no longer ask for it, by what was
    decided after the run queued it and before it goes out (audit race3): the practice
    put the claim on hold (R16: no reminder and no costs until the hold's last day), or
    a deferral (R14), an arrangement or an adjusted amount moved its default, so the
    letter supports no costs anyway (``reminder_superseded``, legal-nl.md §2). The run
    decides a new one once dunning goes on (timeline.py); one on hold is set aside as
    not sent (the delivery: ``reminder_undelivered``), so no costs follow a letter the
    patient never got. ``today`` None: holds left aside."""
    on_hold = today is not None and invoice.is_on_hold(today)
    return on_hold or reminder_superseded(invoice)


def second_notice_held(invoices: Sequence[Invoice], today: date) -> bool:
    """Whether one of the second notice's invoices is on hold ``today`` (R16): the notice
    waits on its lead, queued again by the run, until the hold ends, and is dated then by
    its sending (R19: the handover 14 days after it); the handover waits for it."""
    return any(invoice.is_on_hold(today) for invoice in invoices)


def _arranged(invoice: Invoice) -> bool:
    return invoice.arrangement is not None and invoice.arrangement.is_active


# --- the 14-day letter -------------------------------------------------------------------


def reminder_context(
    invoices: Sequence[Invoice],
    provider: Provider,
    *,
    pay_url: PayUrl,
    checker_url: str,
    account: CollectionAccount,
) -> dict[str, Any]:
    """The reminder as recorded by the run (art. 6:96 lid 6 BW, legal-nl.md §2), dated
    the day it was sent: the principal of each invoice and any arrangement fee still
    owed on it, their total, the final date with the statutory phrase, the BIK over the
    summed principals and the first day(s) of default from which interest will be
    counted."""
    lead = invoices[0]
    reminder = letter_reminder(lead)
    if {i.invoice_id for i in invoices} != {c.invoice_id for c in reminder.covers}:
        raise NotALetter(f"reminder {reminder.letter_id} is about other invoices")
    rows = [_reminder_row(invoice, reminder, pay_url) for invoice in invoices]
    defaults = {row["interest_from"] for row in rows}
    basics = _letter_basics(invoices, provider, reminder.sent_on, pay_url, checker_url, account)
    return basics | {
        "invoices": rows,
        "fee_cents": reminder.fee_cents,
        "total_cents": reminder.due_cents,
        "costs_cents": reminder.costs_cents,  # the staffel over the summed principals
        "final_date": reminder.final_date,
        "term_phrases": TERM_PHRASE,  # printed in the letter's language
        # One date for all invoices, or None: each has its own (a deferral moved one).
        "interest_from": next(iter(defaults)) if len(defaults) == 1 else None,
    }


def _reminder_row(invoice: Invoice, reminder: Reminder, pay_url: PayUrl) -> dict[str, Any]:
    covered = reminder.covered(invoice.invoice_id)
    return {
        "reference": invoice.reference,
        "issue_date": invoice.issue_date,
        "principal_cents": covered.principal_cents,
        "fee_cents": covered.fee_cents,  # its own line under the invoice
        "due_cents": covered.due_cents,
        "interest_from": first_day_of_default(invoice),
        "pay_url": pay_url(invoice),
    }


# --- the second notice ---------------------------------------------------------------------


def second_notice_context(
    invoices: Sequence[Invoice],
    provider: Provider,
    day: date,
    *,
    pay_url: PayUrl,
    checker_url: str,
    account: CollectionAccount,
) -> dict[str, Any]:
    """What is due on ``day`` (R20): per invoice the principal, the BIK charged, an
    arrangement fee still owed and the statutory interest up to the letter day (booked
    but unpaid, plus accrued since), and the handover date: the costs day plus the
    provider's ``days_to_handover`` (R19). ``costs_charged_cents``: the BIK the notice
    charged (its own record, not what is open now), which decides whether it says costs
    are owed: a notice rendered again after they were paid (a retry, R38) says what it
    said when it was sent; one that charged none (a nil BIK, legal-nl.md §2-§3) never.
    ``costs_as_announced``: whether that is the BIK the reminder announced for them.
    Its column names them too, per invoice (``costs_charged_cents``), and
    ``costs_paid_cents`` what of them the patient paid by now (by the ledger's allocation)
    and ``costs_forgiven_cents`` the rest of what is no longer open (a stop forgave it,
    R21; not paid): the total asks what is open."""
    lead = invoices[0]
    reminder = letter_reminder(lead)
    if lead.costs_charged_on is None:
        raise NotALetter(f"invoice {lead.invoice_id} has no collection costs charged")
    rows = [
        _amounts_on(invoice, day)
        | {"costs_charged_cents": costs_charged(invoice, reminder), "pay_url": pay_url(invoice)}
        for invoice in invoices
    ]
    charged = sum(row["costs_charged_cents"] for row in rows)
    costs_open = sum(row["costs_cents"] for row in rows)
    # What the patient paid of them, not all that is no longer open: costs a stop forgave
    # (R21) before the notice was rendered again are not paid, but forgiven.
    gone = [max(row["costs_charged_cents"] - row["costs_cents"], 0) for row in rows]
    paid = [
        min(collection_costs_paid(invoice.ledger), no_longer_open)
        for invoice, no_longer_open in zip(invoices, gone, strict=True)
    ]
    handover_on = lead.costs_charged_on + timedelta(days=provider.dunning.days_to_handover)
    return _letter_basics(invoices, provider, day, pay_url, checker_url, account) | {
        "invoices": rows,
        "principal_cents": sum(row["principal_cents"] for row in rows),
        "costs_cents": costs_open,
        "costs_charged_cents": charged,
        # The notice calls its costs "announced" only when they are what the reminder
        # announced for them (a part payment in the term lowers them, legal-nl.md §2-§3;
        # texts.letters.dunning.now_due_key).
        "costs_as_announced": costs_as_announced(reminder, invoices, charged),
        "costs_paid_cents": sum(paid),
        "costs_forgiven_cents": sum(gone) - sum(paid),
        "fee_cents": sum(row["fee_cents"] for row in rows),
        "interest_cents": sum(row["interest_cents"] for row in rows),
        "total_cents": sum(row["total_cents"] for row in rows),
        "interest_through": day - timedelta(days=1),
        "reminder_date": reminder.sent_on,
        "reminder_final_date": reminder.final_date,
        "handover_date": handover_on,
        # The run hands over in the morning: a payment must be in the day before.
        "pay_by": handover_on - timedelta(days=1),
    }


def costs_as_announced(reminder: Reminder, invoices: Sequence[Invoice], charged: int) -> bool:
    """Whether the BIK a second notice about ``invoices`` charged (``charged``) is what
    ``reminder`` announced for them (legal-nl.md §2-§3): the shares it stated for those
    invoices, also when the notice is about some of its invoices only (the others paid
    since the costs, under an arrangement, or charged on another day), or the whole it
    announced (the staffel's minimum over what stayed open when the term expired). Lower
    or higher than both: the staffel over what was open then (a part payment in the term)."""
    ids = {invoice.invoice_id for invoice in invoices}
    theirs = sum(covered.costs_cents for covered in reminder.covers if covered.invoice_id in ids)
    return charged in (theirs, reminder.costs_cents)


def _amounts_on(invoice: Invoice, day: date) -> dict[str, Any]:
    principal = balance(invoice.ledger, Component.PRINCIPAL)
    costs = open_costs(invoice.ledger)
    interest = balance(invoice.ledger, Component.INTEREST) + accrued_interest(invoice, day)
    return {
        "reference": invoice.reference,
        "issue_date": invoice.issue_date,
        "principal_cents": principal,
        "costs_cents": costs.collection_costs_cents,
        "fee_cents": costs.fee_cents,
        "interest_cents": interest,
        "total_cents": principal + costs.collection_costs_cents + costs.fee_cents + interest,
    }


# --- shared ----------------------------------------------------------------------------------


def _letter_basics(
    invoices: Sequence[Invoice],
    provider: Provider,
    letter_date: date,
    pay_url: PayUrl,
    checker_url: str,
    account: CollectionAccount,
) -> dict[str, Any]:
    """Who writes to whom and how to pay: the same in both letters."""
    lead = invoices[0]
    return {
        "addressee_name": lead.addressee.display_name,
        "provider_name": provider.name,
        "provider_city": provider.city,
        "letter_date": letter_date,
        "reference": lead.reference,  # the lead's kenmerk: subject, outbox, support
        "pay_url": pay_url(lead),
        "checker_url": checker_url,
        "iban": account.grouped_iban,
        "account_holder": account.holder,
        "practice": practice_contact(provider),
        "can_arrange": arrangement_possible(invoices, provider),
    }


def arrangement_possible(invoices: Sequence[Invoice], provider: Provider) -> bool:
    """R15: the checker would grant an arrangement for every invoice of the letter still
    open, by the refusal it answers with (the letter is rendered when it goes out, so
    this is what the patient finds there). One refused is enough to leave the
    invitation out: the letter names no kenmerk for it, so the patient would enter one
    the checker turns down; the practice can still help (R16)."""
    unpaid = [invoice for invoice in invoices if not invoice.is_paid]
    return bool(unpaid) and all(arrangement_refusal(i, provider) is None for i in unpaid)
