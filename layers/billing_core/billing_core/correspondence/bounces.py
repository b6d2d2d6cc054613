"""A bounced or complained-about e-mail becomes an open action for the provider (R7, R23,
seed 002 advice 6): the patient did not get the invoice or letter, and only the practice
can find the right address.

A Permanent bounce also tells the invoices it was about that the address is dead: no
dunning letter is e-mailed there again, they go on paper when there is a postal address
(Invoice.letter_channel). So are the practice's other unpaid invoices to that very
address (parents with one address for two children): their next letters go on paper
too, without a bounce of their own first. Another practice's invoices are not looked at
(R26): the address is that practice's to check. A bounced 14-day letter never arrived, so it has no receipt
and supports no costs (legal-nl.md §2): it is set aside, and the next run sends a new
one (dunning/timeline.py). A bounced second notice (the final notice before the agency,
R19) never arrived either: the costs its reminder supports stand, but the next run sends
it again, on paper, and hands the claim over 14 days after that one (the delivery dates
it: ``_second_notice_dated_by_its_sending``); without a postal address the handover
waits for the practice, as a new reminder does. The law asks no receipt of it
(legal-nl.md §2 asks it of the 14-day letter only); the patient is to have the notice
that names the handover day before the agency writes (R19). The invoice itself is not
sent again: the practice decides.

SES reports the event with the tags the mail was sent with (notify/ses.py): the kenmerk
leads to the invoice, and so to the one provider who may see it (R26).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from billing_core.dunning.letter_costs import reminder_undelivered, rest_of_letter
from billing_core.invoices.invoice import (
    SECOND_NOTICE_AGAIN,
    SECOND_NOTICE_KIND,
    Correspondence,
    DunningStage,
    Invoice,
    PendingLetter,
    Reminder,
)
from billing_core.invoices.updates import reread, save_change
from billing_core.ports import BillingStore
from billing_core.providers.actions import ActionKind, OpenAction
from billing_core.shared.clock import amsterdam_day

PERMANENT = "Permanent"  # SES's bounceType of an address that does not exist (any more)


@dataclass(frozen=True, slots=True)
class EmailEvent:
    message_id: str  # SES's id of the mail: one action per mail and event
    event: str  # "bounce" or "complaint"
    at: datetime
    kenmerk: str
    message_kind: str  # invoice, dunning_reminder, ...
    bounce_type: str = ""  # Permanent, Transient, Undetermined (bounces only)
    recipients: tuple[str, ...] = ()


def email_event_action(invoice: Invoice, event: EmailEvent) -> OpenAction:
    return OpenAction.about(
        invoice,
        ActionKind.BOUNCE,
        f"{event.event}-{event.message_id}",
        event.at,
        {
            "event": event.event,
            "message_kind": event.message_kind,
            "bounce_type": event.bounce_type,
            # The address to check: only the owning provider reads actions (R26, R29).
            "recipients": list(event.recipients),
            "todo": "check_the_address",
        },
    )


def unsent_message_action(invoice: Invoice, kind: str, event_id: str, at: datetime) -> OpenAction:
    """A confirmation the patient must have (kinds.ON_PAPER_WITHOUT_EMAIL) with nowhere to
    go: the e-mail address bounced and there is no postal address. One per message, so a
    redelivery adds none; the practice passes it on once it has a way (R7, R23)."""
    return OpenAction.about(
        invoice,
        ActionKind.BOUNCE,
        f"unsent-{kind}-{event_id}",
        at,
        {"event": "unsent", "message_kind": kind, "todo": "pass_on_the_message"},
    )


@dataclass(frozen=True, slots=True)
class EmailEventContext:
    store: BillingStore


def record_email_event(event: EmailEvent, ctx: EmailEventContext) -> bool | None:
    """True when the practice's action is new, or now tells a Permanent bounce of a mail
    it told a Transient (Undetermined) one of (``_action_told``); False for a replayed
    event and for one that tells less than the action does; None when the kenmerk leads
    to no invoice (no practice to tell: the handler counts it apart, R39). The invoices
    change first: a replay after a failed action write changes them no more."""
    invoice = ctx.store.find_invoice_by_reference(event.kenmerk)
    if invoice is None:
        return None
    if _is_permanent(event):
        # As stored now, not as the by-reference index has it: an index a moment behind
        # the delivery's write lacks the mail, and the bounced reminder would be taken for
        # one that arrived, its costs charged (R7, R28, legal-nl.md §2; audit race2).
        _bounce_noted(reread(ctx.store, invoice), event, ctx.store)
    return _action_told(email_event_action(invoice, event), event, ctx.store)


def _is_permanent(event: EmailEvent) -> bool:
    return event.event == "bounce" and event.bounce_type == PERMANENT


def _action_told(action: OpenAction, event: EmailEvent, store: BillingStore) -> bool:
    """The practice's one action per mail and event tells the latest truth (R7, R23):
    a Permanent bounce of a mail whose Transient bounce made the action first rewrites
    it, open again, as the address is dead now and the letters go on paper (before, it
    still read "not known to be wrong" and a done one stayed done; round 55
    bouncefollow55). Once: the rewrite is conditional on the action not saying Permanent
    yet, so a replay, or a Transient bounce after the Permanent one, changes nothing."""
    if store.add_action(action):
        return True
    return _is_permanent(event) and store.supersede_action(action, "bounce_type", PERMANENT)


def _bounce_noted(invoice: Invoice, event: EmailEvent, store: BillingStore) -> None:
    """The bounce noted on ``invoice`` as read (``_address_dead``), and again as stored
    after that write when the delivery noted the bounced mail in between: its write came
    first, this one was refused and wrote the dead address on what was there, the mail
    not yet handled as never arrived (R7, R19, R28, legal-nl.md §2; audit bounce51c).
    A delivery that notes the mail after this write sees the dead address and handles it
    itself (delivery._bounced_before_noted)."""
    stored = _address_dead(invoice, event, store)
    if not _holds_mail(invoice, event) and _holds_mail(stored, event):
        _address_dead(stored, event, store)


def _holds_mail(invoice: Invoice, event: EmailEvent) -> bool:
    return any(mail.message_id == event.message_id for mail in invoice.correspondence)


def _address_dead(invoice: Invoice, event: EmailEvent, store: BillingStore) -> Invoice:
    """Note the dead address on the invoice the mail was about and on every invoice of its
    reminder (one letter goes to one address), which is set aside when the mail was that
    reminder; then on the practice's other unpaid invoices to that address
    (``unpaid_invoices_to``, R7: a shared address; round 45 sending3), whose own letters
    stand. A replay writes nothing again.
    An event that names no recipient marks no address dead: which address bounced is
    not known (the invoice's address may have changed since the mail went), and the
    practice's action asks to check it (R7; round 44 delivery2). Returns ``invoice`` as
    stored after its write."""
    dead = {address.casefold() for address in event.recipients}
    reminder = _bounced_reminder(invoice, event)
    notice = _bounced_second_notice(invoice, event)
    if not dead and reminder is None and notice is None:
        return invoice
    invoices = [invoice]
    if invoice.reminder is not None:
        ids = {invoice.invoice_id}
        invoices += rest_of_letter(store, invoice.provider_id, invoice.reminder, ids)
    day = amsterdam_day(event.at)

    def change(current: Invoice) -> Invoice:
        addresses = tuple(sorted(dead - set(current.bounced_emails)))
        changed = replace(current, bounced_emails=(*current.bounced_emails, *addresses))
        if reminder is not None:
            changed = reminder_undelivered(reminder, day)(changed)
        return current if changed == current else changed

    saved = [save_change(store, each, change)[0] for each in invoices]
    if notice is not None:
        _second_notice_again(notice, saved, day, store)
    sharing = {i.invoice_id for i in invoices}
    for address in sorted(dead):
        for other in store.unpaid_invoices_to(invoice.provider_id, address):
            if other.invoice_id not in sharing:
                sharing.add(other.invoice_id)
                save_change(store, other, _dead_on(address))
    return saved[0]


def _dead_on(address: str) -> Callable[[Invoice], Invoice]:
    """The change that notes ``address`` (casefolded) dead on an invoice; none when it is
    noted already."""

    def change(current: Invoice) -> Invoice:
        if address in current.bounced_emails:
            return current
        return replace(current, bounced_emails=(*current.bounced_emails, address))

    return change


def _bounced_reminder(invoice: Invoice, event: EmailEvent) -> Reminder | None:
    """The invoice's reminder, when the bounced mail was its e-mail (the second notice has
    an event id of its own)."""
    reminder = invoice.reminder
    if reminder is None:
        return None
    mail = next((c for c in invoice.correspondence if c.message_id == event.message_id), None)
    return reminder if mail is not None and mail.event_id == reminder.letter_id else None


def _bounced_second_notice(invoice: Invoice, event: EmailEvent) -> Correspondence | None:
    """The invoice's second notice, when the bounced mail was its e-mail (R19)."""
    return next(
        (
            mail
            for mail in invoice.correspondence
            if mail.message_id == event.message_id and mail.kind == SECOND_NOTICE_KIND
        ),
        None,
    )


def _second_notice_again(
    notice: Correspondence, invoices: list[Invoice], day: date, store: BillingStore
) -> None:
    """The bounced second notice waits again on the first of its invoices still before
    the handover: the run queues it and hands none of them over until it has gone
    (dunning/run.py), and the delivery sends it by the letter channel, on paper now, dated
    by that day (R7, R19). As a letter of its own (``again_id``): the delivery sends each
    once. None left (paid, or with the agency already): nothing to send, the practice's
    action tells of the bounce."""
    lead = next(
        (
            invoice
            for invoice in invoices
            if _before_the_handover(invoice)
            and any(mail.message_id == notice.message_id for mail in invoice.correspondence)
        ),
        None,
    )
    if lead is not None:
        save_change(store, lead, second_notice_again(notice, day))


def _before_the_handover(invoice: Invoice) -> bool:
    return invoice.dunning_stage is DunningStage.COSTS_CHARGED and not invoice.is_paid


def again_id(notice: Correspondence) -> str:
    """The event id of the second notice sent again for ``notice``, whose e-mail bounced:
    one per bounced mail, so a replayed bounce asks for it once."""
    first = notice.event_id.partition(SECOND_NOTICE_AGAIN)[0]
    return f"{first}{SECOND_NOTICE_AGAIN}{notice.message_id}"


def second_notice_again(notice: Correspondence, day: date) -> Callable[[Invoice], Invoice]:
    """The change that has the invoice wait, from ``day``, for the second notice sent
    again for ``notice`` (``again_id``), whose e-mail bounced; none when it waits already
    or went already (a replayed bounce), or the claim is past the handover. Also made by
    the delivery, for a bounce handled before it noted the e-mail (delivery.py)."""
    event_id = again_id(notice)

    def change(current: Invoice) -> Invoice:
        sent = any(mail.event_id == event_id for mail in current.correspondence)
        waiting = any(letter.event_id == event_id for letter in current.letters_due)
        if sent or waiting or not _before_the_handover(current):
            return current
        letter = PendingLetter(SECOND_NOTICE_KIND, event_id, day)
        return replace(current, letters_due=(*current.letters_due, letter))

    return change
