"""The collection costs (BIK) one 14-day letter supports, per invoice (legal-nl.md §2, §3).

One reminder may cover several invoices of one patient. The BIK it supports is the
staffel over the principal of the letter still open when its term expired, never more
than the letter announced, split over the letter's open invoices pro rata principal.
Example: €2,000 + €2,000 in one letter (announced €525.00); invoice A paid in the term
-> €300.00 on B.

"Still open when its term expired" is read from the ledger by the date of each entry,
not by when it was written: the payment date decides, not the moment we learn of it. So
the same function gives the costs the run charges the day after the term and, after a
payment dated in the term is imported late, the costs that should have been charged.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import replace
from datetime import date, datetime

from billing_core.invoices.invoice import DunningStage, Invoice, Reminder
from billing_core.invoices.ledger import Component, EntryKind, is_correction, is_retour
from billing_core.invoices.updates import Change
from billing_core.legal import costs_at_term_end, split_proportionally
from billing_core.ports import BillingStore
from billing_core.shared.clock import AMSTERDAM, amsterdam_day

COSTS_NOTE = "buitengerechtelijke incassokosten (BIK), art. 6:96 BW"


def costs_cause(reminder: Reminder) -> str:
    """The cause of every costs entry a letter supports (charged or corrected, R27)."""
    return f"dunning:{reminder.letter_id}"


def supports_costs(invoice: Invoice, reminder: Reminder) -> bool:
    """Whether ``reminder`` is the invoice's letter, and still one costs may follow."""
    return (
        invoice.reminder is not None
        and invoice.reminder.letter_id == reminder.letter_id
        and not reminder_superseded(invoice)
    )


def reminder_superseded(invoice: Invoice) -> bool:
    """A deferral or an arrangement granted during the reminder's term moved the default
    (legal-nl.md §2, R14, R15), or an amount adjusted since the reminder got a new final
    payment date (§7: by the insurer's statement, an operator's correction of a stop or
    coulance, or a retour that raised it; changes/coulance.with_adjusted_amount_term does
    that only before the costs), or the letter never arrived (a Permanent bounce, R7), or it was sent on the
    cancellation of an arrangement that a payment read later showed kept
    (``_sent_while_arranged``): it no longer supports costs, and a new reminder is
    needed (dunning/timeline.py). The term counts from the day the run decided on the
    letter, also when it went out later."""
    reminder = invoice.reminder
    if reminder is None:
        return False
    if reminder.undelivered:
        return True
    granted = [
        change.astimezone(AMSTERDAM).date()
        for change in (
            invoice.deferral.granted_at if invoice.deferral else None,
            invoice.arrangement.created_at if invoice.arrangement else None,
        )
        if change is not None
    ]
    in_term = any(reminder.decided_on_day <= day <= reminder.final_date for day in granted)
    return in_term or _adjusted_since(invoice, reminder) or _sent_while_arranged(invoice, reminder)


def _sent_while_arranged(invoice: Invoice, reminder: Reminder) -> bool:
    """Whether the run decided on the reminder after the arrangement was made and before
    its cancellation (if any): the run sends one only once the arrangement is cancelled
    (timeline.py), so it went on a cancellation that a payment read later undid
    (changes/arrangement.kept_after_all). The arrangement paused dunning all along (R15,
    legal-nl.md §2: the payment date decides). A later cancellation needs a new one."""
    arrangement = invoice.arrangement
    if arrangement is None or amsterdam_day(arrangement.created_at) > reminder.decided_on_day:
        return False
    cancelled_at = arrangement.cancelled_at
    return cancelled_at is None or reminder.decided_on_day < amsterdam_day(cancelled_at)


def _adjusted_since(invoice: Invoice, reminder: Reminder) -> bool:
    """Whether the amount was adjusted with a new final payment date on or after the day
    the run decided on the reminder: the letter asked the old amount. Not bound to the
    term: an adjustment after it but before the costs (a hold, R16) also leaves no letter
    for the new amount."""
    statement = invoice.insurer_statement
    adjusted_at = statement.adjusted_at if statement else None
    adjusted = [amsterdam_day(adjusted_at)] if adjusted_at is not None else []
    return any(reminder.decided_on_day <= day for day in adjusted + _corrected_days(invoice))


def _corrected_days(invoice: Invoice) -> list[date]:
    """The days something not asked before was asked before the costs were charged: an
    operator's correction of a stop or coulance entered by mistake (changes/correction.py,
    R34), or an insurer's retour that raised what the patient pays (declarations/retour.py,
    R5). Each got a new final payment date then (legal-nl.md §7). On the day the costs
    were charged, the run had charged them first: a change read before them would have
    had the run send a new reminder."""
    days = [amsterdam_day(e.at) for e in invoice.ledger if is_correction(e.cause)]
    days += _retour_raise_days(invoice)
    charged_on = invoice.costs_charged_on
    return [day for day in days if charged_on is None or day < charged_on]


def _retour_raise_days(invoice: Invoice) -> list[date]:
    """The days a retour raised what the patient pays: one change's entries are written
    together, at one moment (retour.with_granted), and a line with its credit line moved
    together raises nothing."""
    changes: dict[tuple[str, datetime], int] = {}
    for entry in invoice.ledger:
        if is_retour(entry.cause):
            key = (entry.cause, entry.at)
            changes[key] = changes.get(key, 0) + entry.amount_cents
    return [amsterdam_day(at) for (_, at), raised in changes.items() if raised > 0]


def reminder_undelivered(reminder: Reminder, day: date) -> Change:
    """``reminder`` never reached the addressee (a Permanent bounce, R7): it has no
    receipt, so it supports no costs (legal-nl.md §2), and the run looks at the invoice
    again on ``day`` to send a new one (timeline.py). Only while its term runs: costs
    charged on it already are left as they are."""

    def change(invoice: Invoice) -> Invoice:
        current = invoice.reminder
        if (
            current is None
            or current.letter_id != reminder.letter_id
            or current.undelivered
            or invoice.dunning_stage is not DunningStage.REMINDED
        ):
            return invoice
        return replace(invoice, reminder=replace(current, undelivered=True), next_check_on=day)

    return change


def principal_open_on(invoice: Invoice, day: date) -> int:
    """The principal outstanding at the end of ``day``, by the entries dated up to it."""
    return max(
        sum(
            entry.amount_cents
            for entry in invoice.ledger
            if entry.component is Component.PRINCIPAL
            and entry.at.astimezone(AMSTERDAM).date() <= day
        ),
        0,
    )


def letter_costs(reminder: Reminder, invoices: Iterable[Invoice]) -> dict[str, int]:
    """The BIK the letter supports for each of ``invoices`` (by id): the staffel over
    what its invoices still owed at the end of the term, capped at what it announced."""
    members = [invoice for invoice in invoices if supports_costs(invoice, reminder)]
    principals = [principal_open_on(invoice, reminder.final_date) for invoice in members]
    due = costs_at_term_end(principals, reminder.final_date).total_cents
    total = min(due, reminder.costs_cents)
    parts = split_proportionally(total, principals)
    supported = {invoice.invoice_id: 0 for invoice in invoices}
    supported.update(
        (invoice.invoice_id, part) for invoice, part in zip(members, parts, strict=True)
    )
    return supported


def costs_charged(invoice: Invoice, reminder: Reminder) -> int:
    """The BIK booked on the invoice under this letter so far (charges and corrections)."""
    cause = costs_cause(reminder)
    return sum(
        entry.amount_cents
        for entry in invoice.ledger
        if entry.kind is EntryKind.COSTS and entry.cause == cause
    )


def rest_of_letter(
    store: BillingStore, provider_id: str, reminder: Reminder, at_hand: Set[str]
) -> list[Invoice]:
    """The letter's invoices as stored now, but those ``at_hand``: read only for a letter
    about several invoices. Read strongly consistent: the letter's costs are figured from
    them (the principal still open at the end of the term, legal-nl.md §2) and they are
    not written with the invoice at hand, so no version condition would refuse what an
    ordinary read, a moment behind a payment or a costs step saved on one of them, shows
    (R28; audit race52: costs short by the other invoice's share)."""
    return [
        invoice
        for covered in reminder.covers
        if covered.invoice_id not in at_hand
        and (invoice := store.get_invoice(provider_id, covered.invoice_id, consistent=True))
        is not None
    ]


def rest_of_the_notice(store: BillingStore, invoice: Invoice) -> list[Invoice]:
    """The other invoices of the letter whose second notice ``invoice`` waits on, as
    stored now (``rest_of_letter``): a notice still to go, queued or sent again after its
    e-mail bounced for good, waits on the letter's lead only (correspondence/bounces.py),
    and every invoice it is about says so, without a day before the agency (R7, R19;
    timeline.letter_waiting). None read before the costs or after the handover,
    nor for a letter about one invoice."""
    reminder = _notice_reminder(invoice)
    if reminder is None:
        return []
    return rest_of_letter(store, invoice.provider_id, reminder, {invoice.invoice_id})


def others_of_the_notice(invoice: Invoice) -> list[str]:
    """The ids of the invoices ``rest_of_the_notice`` reads, for a reader that has some of
    them at hand already (a list's page, services/provider/invoices.py)."""
    reminder = _notice_reminder(invoice)
    if reminder is None:
        return []
    return [c.invoice_id for c in reminder.covers if c.invoice_id != invoice.invoice_id]


def _notice_reminder(invoice: Invoice) -> Reminder | None:
    """The reminder whose letter's second notice ``invoice`` may wait on: None before the
    costs, after the handover, and once it is paid."""
    if invoice.dunning_stage is not DunningStage.COSTS_CHARGED or invoice.is_paid:
        return None
    return invoice.reminder
