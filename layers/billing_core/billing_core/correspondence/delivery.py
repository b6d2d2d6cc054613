"""Use case: send one invoice to its addressee, by e-mail or in the print batch (R7, R30),
or an e-mail about it: a confirmation of a deferral, an arrangement, an objection or a
payment (R11-R16), rendered from its templates and recorded on the invoice.

Idempotent per invoice: an invoice already sent is not sent again, a message is sent
once per (kind, event id), and the handler adds Powertools idempotency on top for
messages delivered twice by the queue.

A retry after a crash between sending and noting (R38): a paper letter's print batch is
recorded on the invoice (for the invoice itself or a confirmation, or on the dunning
letter it waits for) before its PDF is put, so a retry on the same day puts the same PDF
under the same key again. A retry on a later day (after midnight, a redrive days later)
looks whether the PDF is in the recorded batch: if so it is noted and not put again,
dated by its one posting, and the batch's posting record is written if the attempt died
before it (found_in_print_batch); if not (the attempt died before the put) it goes in today's
batch with today's dates, since the recorded batch may have been collected already
(legal-nl.md §2). An e-mail is at least once: a crash after SES accepted it and before
it is noted sends it again on the retry. Two identical
e-mails are less harmful than none before a legal term starts (legal-nl.md §2); the
kept PDF of a dunning letter goes under the same key both times.

Each print batch (``print/{date}/{provider}/``) has its posting date recorded next to
its letters (``posting.json``): paper receipt counts from it (legal-nl.md §2).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from billing_core.correspondence.bounces import second_notice_again, unsent_message_action
from billing_core.correspondence.confirmations import confirmation_context
from billing_core.correspondence.kinds import INVOICE_LETTER, ON_PAPER_WITHOUT_EMAIL
from billing_core.correspondence.kinds import KINDS as MESSAGE_KINDS
from billing_core.correspondence.links import checker_url, pay_url
from billing_core.correspondence.messages import Attachment, Notifier
from billing_core.correspondence.pdf import (
    invoice_file_name,
    letter_file_name,
    render_dunning_letter_pdf,
    render_invoice_pdf,
    render_message_pdf,
)
from billing_core.correspondence.render import render_email, render_invoice_email
from billing_core.dunning import letters as dunning_letters
from billing_core.dunning.letter_costs import (
    reminder_undelivered,
    rest_of_letter,
    rest_of_the_notice,
)
from billing_core.dunning.steps import reminder_dates
from billing_core.invoices.invoice import (
    Channel,
    Correspondence,
    Invoice,
    InvoiceStatus,
    PendingLetter,
    Reminder,
)
from billing_core.invoices.updates import Change, save_change
from billing_core.legal import posting_date
from billing_core.payments.collection_account import CollectionAccount
from billing_core.ports import BillingStore, DeliveryRequest, FileStore
from billing_core.providers.provider import Provider
from billing_core.shared.clock import Clock, amsterdam_day
from billing_core.texts.catalogue import LANGUAGES


@dataclass(frozen=True)
class DeliveryContext:
    store: BillingStore
    files: FileStore
    notifier: Notifier
    clock: Clock
    public_base_url: str
    account: CollectionAccount  # zorgnota's, printed with its holder's name (R36)


class UnknownInvoice(LookupError):
    """The queue names an invoice the table does not have."""


class Undeliverable(ValueError):
    """A message with nowhere to go: no address in the request nor on the invoice. The
    use cases queue none for patients without e-mail but those that go on paper
    (kinds.reaches_patient); one that gets here is a bug."""


def print_key(invoice: Invoice, day: str) -> str:
    return f"print/{day}/{invoice.provider_id}/{invoice.reference}.pdf"


def posting_key(provider_id: str, batch_day: date) -> str:
    """Where the posting date of a provider's print batch of a day is recorded."""
    return f"print/{batch_day.isoformat()}/{provider_id}/posting.json"


def put_in_print_batch(
    files: FileStore, key: str, pdf: bytes, provider: Provider, batch_day: date
) -> None:
    """A paper letter into the day's print batch, with the batch's posting date recorded
    next to it: the batch's own date plus the provider's posting delay, from which a
    reminder's receipt is computed (legal-nl.md §2, dunning/steps.send_reminder). A
    print house report of the day it really posted the batch replaces the record."""
    files.put(key, pdf, "application/pdf")
    _record_posting(files, provider, batch_day)


def found_in_print_batch(files: FileStore, provider: Provider, batch_day: date) -> None:
    """A paper letter an earlier attempt put in the ``batch_day``'s print batch and died
    before noting (_print_batch): not put again, but the batch's posting record is
    written if it is missing, as put_in_print_batch writes it. That attempt may have died
    between the two puts, and when the letter was the practice's first of the batch no
    other letter wrote it: the print house reads the batch by it, and receipt counts from
    it (R38, R7, legal-nl.md §2). Only when missing: one that is there stays, as a print
    house report of the day it really posted the batch may have replaced it."""
    if not files.exists(posting_key(provider.provider_id, batch_day)):
        _record_posting(files, provider, batch_day)


def _record_posting(files: FileStore, provider: Provider, batch_day: date) -> None:
    posted_on = posting_date(batch_day, provider.posting_delay_days)
    record = {
        "provider_id": provider.provider_id,
        "batch_date": batch_day.isoformat(),
        "posted_on": posted_on.isoformat(),
        "source": f"batch date + posting delay of {provider.posting_delay_days} day(s)",
    }
    files.put(
        posting_key(provider.provider_id, batch_day),
        json.dumps(record, sort_keys=True).encode(),
        "application/json",
    )


def deliver_invoice(request: DeliveryRequest, ctx: DeliveryContext) -> Correspondence | None:
    """Deliver what the queue asks: the invoice itself, or a message about it."""
    if request.kind in dunning_letters.KINDS:
        return deliver_dunning_letter(request, ctx)
    if request.kind != INVOICE_LETTER:
        return deliver_message(request, ctx)
    invoice = _load(request, ctx)
    if invoice.status is InvoiceStatus.SENT:
        return next(c for c in invoice.correspondence if c.kind == INVOICE_LETTER)
    provider = ctx.store.get_provider(invoice.provider_id)
    if provider is None:
        raise UnknownInvoice(f"provider of invoice {invoice.invoice_id}")
    pdf = render_invoice_pdf(
        invoice, provider, public_base_url=ctx.public_base_url, account=ctx.account
    )
    letter = _send(invoice, provider, pdf, ctx)
    _record(invoice, letter, invoice.final_payment_date, ctx)
    return letter


def _send(invoice: Invoice, provider: Provider, pdf: bytes, ctx: DeliveryContext) -> Correspondence:
    now = ctx.clock.now()
    if invoice.channel is Channel.EMAIL:
        email = render_invoice_email(
            invoice,
            provider,
            pay_url=pay_url(ctx.public_base_url, invoice),
            public_base_url=ctx.public_base_url,
        )
        attachment = Attachment(invoice_file_name(invoice), pdf, "application/pdf")
        message_id = ctx.notifier.send(invoice.addressee.email, email, [attachment])
        return Correspondence(INVOICE_LETTER, Channel.EMAIL, now, message_id)
    batch_day, in_batch = _invoice_print_batch(invoice, ctx)
    key = print_key(invoice, batch_day.isoformat())
    if in_batch:  # put by an attempt that died before noting it (_print_batch)
        found_in_print_batch(ctx.files, provider, batch_day)
    else:
        put_in_print_batch(ctx.files, key, pdf, provider, batch_day)
    return Correspondence(INVOICE_LETTER, Channel.PAPER, now, key)


def _invoice_print_batch(invoice: Invoice, ctx: DeliveryContext) -> tuple[date, bool]:
    """The day of the print batch a paper invoice goes in and whether it is in it
    already (_print_batch), recorded on the invoice itself."""

    def key_of(_: Invoice, day: date) -> str:
        return print_key(invoice, day.isoformat())

    def recorded(current: Invoice) -> date | None:
        return current.print_batch_day

    def recording(current: Invoice, day: date) -> Invoice:
        return replace(current, print_batch_day=day)

    _, day, in_batch = _print_batch(invoice, recorded, recording, key_of, ctx)
    return day, in_batch


def _print_batch(
    invoice: Invoice,
    recorded: Callable[[Invoice], date | None],
    recording: Callable[[Invoice, date], Invoice],
    key_of: Callable[[Invoice, date], str],
    ctx: DeliveryContext,
) -> tuple[Invoice, date, bool]:
    """(the invoice as stored, the day of the print batch a paper letter goes in, whether
    its PDF is in that batch already), the day read and recorded by ``recorded`` and
    ``recording`` on the invoice (a paper invoice's own, or the dunning letter's its lead
    waits for) before the PDF is put (R38); ``key_of`` the PDF's key in a day's batch, as
    the invoice stored records it:
    - none recorded: today's, recorded now;
    - today's: today's again; a retry puts the same key again, which is harmless;
    - an earlier day's (a retry after midnight, a redrive days later): its PDF there means
      an attempt put it and died before noting it: noted, not put again, so the patient
      gets one letter. No PDF means the attempt died before the put; that batch may have
      been collected, so the letter goes in today's, recorded first, and is dated by it:
      its legal term counts from a posting that happens (legal-nl.md §2, R7)."""
    today = ctx.clock.today()

    def recorded_once(current: Invoice) -> Invoice:
        return current if recorded(current) is not None else recording(current, today)

    stored, _ = save_change(ctx.store, invoice, recorded_once)
    day = recorded(stored) or today  # none: a dunning letter the lead no longer waits for
    if day == today:
        return stored, today, False
    if ctx.files.exists(key_of(stored, day)):
        return stored, day, True

    def moved_to_today(current: Invoice) -> Invoice:
        return recording(current, today) if recorded(current) == day else current

    stored, _ = save_change(ctx.store, stored, moved_to_today)
    return stored, today, False


def _record(invoice: Invoice, letter: Correspondence, pay_by: date, ctx: DeliveryContext) -> None:
    """Note the letter on the invoice, with the final payment date the PDF asked (the copy
    served later is the invoice as sent, R36). The letter is out: a change saved since the
    invoice was read (R28) is read again strongly consistent and the note put on it, as
    every change is (save_change), not given up on a stale read, which SQS would answer
    by delivering, and so e-mailing, the invoice again (R38)."""
    save_change(ctx.store, invoice, lambda current: current.sent(letter, pay_by))


def deliver_message(request: DeliveryRequest, ctx: DeliveryContext) -> Correspondence | None:
    """E-mail a confirmation about an invoice once, and record it on the invoice (R30).
    Never to an address that bounced permanently on the invoice (R7): one the patient must
    have goes on paper instead, or without a postal address to the practice's open
    actions; the others are not sent (None: nothing sent)."""
    if request.kind not in MESSAGE_KINDS:
        raise ValueError(f"unknown delivery kind {request.kind!r}")
    invoice = _load(request, ctx)
    earlier = _earlier_message(invoice, request)
    if earlier:
        return earlier
    to = invoice.addressee.email
    by_email = bool(to) and not invoice.has_bounced(to)
    on_paper = not by_email and request.kind in ON_PAPER_WITHOUT_EMAIL
    if not (by_email or on_paper):
        if not to:
            raise Undeliverable(f"{request.kind} for invoice {invoice.invoice_id}")
        return None
    if on_paper and not invoice.addressee.address.is_complete():
        now = ctx.clock.now()
        ctx.store.add_action(unsent_message_action(invoice, request.kind, request.event_id, now))
        return None
    provider = ctx.store.get_provider(invoice.provider_id)
    if provider is None:
        raise UnknownInvoice(f"provider of invoice {invoice.invoice_id}")
    language = message_language(request, invoice)
    context = confirmation_context(
        request.kind,
        invoice,
        provider,
        event_id=request.event_id,
        today=ctx.clock.today(),
        pay_url=checker_url(ctx.public_base_url, invoice.reference, language),
        public_base_url=ctx.public_base_url,
        account=ctx.account,
        letter=rest_of_the_notice(ctx.store, invoice),
    )
    if by_email:
        email = render_email(request.kind, context, language)
        message_id = ctx.notifier.send(to, email, [])
        channel = Channel.EMAIL
    else:
        invoice, message_id = _post_message(request, invoice, provider, context, ctx)
        channel = Channel.PAPER
    letter = Correspondence(request.kind, channel, ctx.clock.now(), message_id, request.event_id)

    def record(current: Invoice) -> Invoice:
        noted = current if _earlier_message(current, request) else current.with_letter(letter)
        batch = tuple(p for p in noted.paper_messages if not _is_requested(p, request))
        return noted if batch == noted.paper_messages else replace(noted, paper_messages=batch)

    save_change(ctx.store, invoice, record)
    return letter


def message_language(request: DeliveryRequest, invoice: Invoice) -> str:
    """The language a message is written in: the one it was asked in (the checker page's,
    R9, R16) when that is one we write, else the invoice's (its patient language field)."""
    asked = request.language
    return asked if asked in LANGUAGES else invoice.language.value


def _post_message(
    request: DeliveryRequest,
    invoice: Invoice,
    provider: Provider,
    context: dict[str, Any],
    ctx: DeliveryContext,
) -> tuple[Invoice, str]:
    """(the invoice as stored, the key of) the confirmation's sentences as a letter in a
    print batch, its day recorded on the invoice first (_message_print_batch): a retry on
    a later day that finds it put notes it and does not put it again (R38)."""
    invoice, day, in_batch = _message_print_batch(request, invoice, ctx)
    key = letter_print_key(invoice, request.kind, day.isoformat(), request.event_id)
    if in_batch:  # put by an attempt that died before noting it
        found_in_print_batch(ctx.files, provider, day)
        return invoice, key
    text = render_email(request.kind, context, message_language(request, invoice), on_paper=True)
    pdf = render_message_pdf(
        text,
        provider=provider,
        addressee=invoice.addressee,
        dated=day,
        public_base_url=ctx.public_base_url,
    )
    put_in_print_batch(ctx.files, key, pdf, provider, day)
    return invoice, key


def _message_print_batch(
    request: DeliveryRequest, invoice: Invoice, ctx: DeliveryContext
) -> tuple[Invoice, date, bool]:
    """The invoice as stored, the day of the print batch a paper confirmation goes in and
    whether it is in it already (_print_batch), recorded in ``Invoice.paper_messages``
    until the letter is noted. One not in its batch goes in today's, as its sentences
    (confirmation_context) are today's."""

    def key_of(_: Invoice, day: date) -> str:
        return letter_print_key(invoice, request.kind, day.isoformat(), request.event_id)

    def recorded(current: Invoice) -> date | None:
        days = (p.print_batch_day for p in current.paper_messages if _is_requested(p, request))
        return next(days, None)

    def recording(current: Invoice, day: date) -> Invoice:
        others = tuple(p for p in current.paper_messages if not _is_requested(p, request))
        pending = PendingLetter(request.kind, request.event_id, day, day)
        return replace(current, paper_messages=(*others, pending))

    return _print_batch(invoice, recorded, recording, key_of, ctx)


def _earlier_message(invoice: Invoice, request: DeliveryRequest) -> Correspondence | None:
    return next(
        (
            letter
            for letter in invoice.correspondence
            if letter.kind == request.kind and letter.event_id == request.event_id
        ),
        None,
    )


def _load(request: DeliveryRequest, ctx: DeliveryContext) -> Invoice:
    """The invoice as stored now, read strongly consistent: whether its letter was sent
    already (``_earlier_message``) is decided on it, and a read a moment behind the first
    delivery's note would send it again (R38, R28; race52b's note). One GetItem either
    way, twice the read units."""
    invoice = ctx.store.get_invoice(request.provider_id, request.invoice_id, consistent=True)
    if invoice is None:
        raise UnknownInvoice(request.invoice_id)
    return invoice


# --- the dunning letters (R19, legal-nl.md §2; what they say: dunning/letters.py) -----------


def deliver_dunning_letter(request: DeliveryRequest, ctx: DeliveryContext) -> Correspondence | None:
    """Send a letter the dunning run decided on (the reminder or the second notice) by the
    lead's letter channel (R7: never by e-mail to an address that bounced permanently),
    once per (kind, event id), and note it on every invoice it is about (R30); the
    invoice that waited for it (the lead, ``request.invoice_id``) no longer does. None
    when every invoice it would ask for is paid by now or under an arrangement that runs
    again (``nothing_to_ask``): nothing is sent, the letter is only taken off the lead;
    also None when there is nowhere to send it (``_nowhere_to_send``). A reminder does not
    ask for an invoice put on hold or deferred since the run decided on it (set aside as
    never sent); a second notice one of whose invoices is on hold, or with nowhere to go,
    is not sent yet and stays on the lead (R14, R16, R7)."""
    lead = _load(request, ctx)
    reminder = dunning_letters.letter_reminder(lead)
    if not dunning_letters.is_letter_of(request.kind, request.event_id, reminder):
        wrong = f"{request.kind} {request.event_id!r} of {lead.invoice_id}"
        raise dunning_letters.NotALetter(wrong)
    others = rest_of_letter(ctx.store, lead.provider_id, reminder, {lead.invoice_id})
    today = ctx.clock.today()
    invoices = dunning_letters.letter_invoices(request.kind, lead, others, today=today)
    # Sent before: a second delivery, or a crash. Looked for on the letter's invoices too:
    # one that left the lead out (under an arrangement, R15) is noted on them only.
    sent = (_earlier_message(invoice, request) for invoice in (lead, *invoices))
    letter = next((message for message in sent if message is not None), None)
    # Put on hold or deferred since the run decided on it (R14, R16; audit race3): the
    # reminder is set aside on those it no longer asks for, the second notice waits.
    if letter is None and request.kind == dunning_letters.REMINDER:
        lead = _set_aside_unsent(reminder, lead, others, today, ctx)
    held = request.kind == dunning_letters.SECOND_NOTICE
    if letter is None and held and dunning_letters.second_notice_held(invoices, today):
        return None  # waits on the lead: the run queues it again after the hold (R19)
    if letter is None and dunning_letters.nothing_to_ask(invoices):
        save_change(ctx.store, lead, _letter_noted(request, None))
        return None
    if letter is None:
        channel = lead.letter_channel
        if channel is None:
            _nowhere_to_send(request, lead, invoices, ctx)
            return None
        provider = ctx.store.get_provider(lead.provider_id)
        if provider is None:
            raise UnknownInvoice(f"provider of invoice {lead.invoice_id}")
        day, in_batch, key = ctx.clock.today(), False, ""
        if channel is Channel.PAPER:
            lead, day, in_batch, key = _letter_print_batch(request, lead, invoices[0], ctx)
            invoices = [lead if i.invoice_id == lead.invoice_id else i for i in invoices]
        invoices = _about_these_only(request.kind, invoices, ctx)
        invoices = _dated_by_its_sending(request.kind, invoices, provider, channel, day, ctx)
        if channel is Channel.EMAIL:
            lead, key = _kept_copy_key(request, lead, invoices, day, ctx)
            invoices = [lead if i.invoice_id == lead.invoice_id else i for i in invoices]
        letter = _send_dunning_letter(request, invoices, provider, channel, day, key, in_batch, ctx)
    if all(invoice.invoice_id != lead.invoice_id for invoice in invoices):
        # The letter is not about the lead (R30): noted on its invoices, then taken off
        # the lead, so that a crash in between leaves it found on a second delivery.
        for invoice in invoices:
            first = invoice is invoices[0]
            save_change(ctx.store, invoice, _letter_noted(request, letter, first=first))
        save_change(ctx.store, lead, _letter_noted(request, None))
        return letter
    # The lead first: while the letter waits on it, the run queues it again.
    lead = next((invoice for invoice in invoices if invoice.invoice_id == lead.invoice_id), lead)
    save_change(ctx.store, lead, _letter_noted(request, letter, first=True))
    for invoice in invoices:
        if invoice.invoice_id != lead.invoice_id:
            save_change(ctx.store, invoice, _letter_noted(request, letter))
    return letter


def letter_still_waits(request: DeliveryRequest, ctx: DeliveryContext) -> bool:
    """Whether the dunning letter of ``request`` still waits on its lead after a delivery
    that sent nothing: a second notice held (R16), or with nowhere to go (R7), is sent
    once the hold ends or the practice gave an address, when the run queues the same
    request again (entrypoints/queue.NothingSentYet)."""
    if request.kind not in dunning_letters.KINDS:
        return False
    return _pending_letter(_load(request, ctx), request) is not None


def _letter_print_batch(
    request: DeliveryRequest, lead: Invoice, named_by: Invoice, ctx: DeliveryContext
) -> tuple[Invoice, date, bool, str]:
    """The lead as stored, the day of the print batch a paper dunning letter goes in,
    whether it is in it already (_print_batch) and the key of its PDF there, both recorded
    on the letter the lead waits for before the letter is dated, rendered and put: a retry
    keeps the dates the letter was made with, one counted from its one posting, and puts
    it under the same key (R38, legal-nl.md §2). Today's, unrecorded, when the lead no
    longer waits for the letter. The PDF is named by ``named_by``, the first invoice the
    letter is about (dunning_letter_key)."""

    def key_of(current: Invoice, day: date) -> str:
        pending = _pending_letter(current, request)
        if pending is not None and pending.print_batch_day == day:
            # None kept: recorded before keys were, when a letter was named by its lead.
            return pending.kept_key or dunning_letter_key(lead, request.kind, Channel.PAPER, day)
        return dunning_letter_key(named_by, request.kind, Channel.PAPER, day)

    def recorded(current: Invoice) -> date | None:
        pending = _pending_letter(current, request)
        return None if pending is None else pending.print_batch_day

    def recording(current: Invoice, day: date) -> Invoice:
        key = dunning_letter_key(named_by, request.kind, Channel.PAPER, day)
        return _with_pending_letter(current, request, print_batch_day=day, kept_key=key)

    stored, day, in_batch = _print_batch(lead, recorded, recording, key_of, ctx)
    return stored, day, in_batch, key_of(stored, day)


def _kept_copy_key(
    request: DeliveryRequest,
    lead: Invoice,
    invoices: list[Invoice],
    day: date,
    ctx: DeliveryContext,
) -> tuple[Invoice, str]:
    """(the lead as stored, the key) an e-mailed dunning letter's PDF is kept under: the
    one an earlier attempt recorded on the letter the lead waits for, or, recorded now
    before it is put and sent, the one named by what the letter is about and its date as
    it goes out (dunning_letter_key). So a retry keeps the one copy under the same key
    (R38, legal-nl.md §8), also when its first invoice was paid since or it is dated
    again by a later sending."""
    lead = next((i for i in invoices if i.invoice_id == lead.invoice_id), lead)
    key = dunning_letter_key(invoices[0], request.kind, Channel.EMAIL, day)

    def recorded_once(current: Invoice) -> Invoice:
        pending = _pending_letter(current, request)
        if pending is None or pending.kept_key:
            return current
        return _with_pending_letter(current, request, kept_key=key)

    stored, _ = save_change(ctx.store, lead, recorded_once)
    pending = _pending_letter(stored, request)
    return stored, pending.kept_key if pending is not None and pending.kept_key else key


def _pending_letter(invoice: Invoice, request: DeliveryRequest) -> PendingLetter | None:
    """The requested letter ``invoice`` (its lead) waits for; None once it no longer does."""
    return next((p for p in invoice.letters_due if _is_requested(p, request)), None)


def _with_pending_letter(current: Invoice, request: DeliveryRequest, **changes: Any) -> Invoice:
    due = tuple(
        replace(pending, **changes) if _is_requested(pending, request) else pending
        for pending in current.letters_due
    )
    return current if due == current.letters_due else replace(current, letters_due=due)


def _is_requested(pending: PendingLetter, request: DeliveryRequest) -> bool:
    return (pending.kind, pending.event_id) == (request.kind, request.event_id)


def _nowhere_to_send(
    request: DeliveryRequest, lead: Invoice, invoices: list[Invoice], ctx: DeliveryContext
) -> None:
    """The e-mail address bounced (since the run decided on the letter, or the second
    notice's own e-mail: correspondence/bounces.py), and there is no postal address (R7):
    nothing is sent, and the claim waits for the practice's open action (R23). A reminder
    is set aside as one that never arrived and taken off the lead, so no costs follow it
    and the run decides a new one once there is an address. A second notice stays on the
    lead: no handover before the patient has it (R19); the run queues it again once the
    practice gave an address (``letter_still_waits``, dunning/run.py), and it is dated
    by the day it goes (``_second_notice_dated_by_its_sending``)."""
    if request.kind != dunning_letters.REMINDER:
        return
    reminder = dunning_letters.letter_reminder(lead)
    for invoice in invoices:
        save_change(ctx.store, invoice, reminder_undelivered(reminder, ctx.clock.today()))
    save_change(ctx.store, _load(request, ctx), _letter_noted(request, None))


def _set_aside_unsent(
    reminder: Reminder, lead: Invoice, others: list[Invoice], today: date, ctx: DeliveryContext
) -> Invoice:
    """(the lead as stored) The invoices of ``reminder`` put on hold (R16) or deferred
    (R14) after the run decided on it (``reminder_set_aside``; audit race3): the letter
    does not ask for them (``letter_invoices``), so it is set aside on them as one never
    sent, as one that never arrived is: it counts as no reminder (no costs follow it,
    a payment is not one after a reminder) and the run decides a new one when dunning
    goes on, the day after a hold (legal-nl.md §2)."""
    for invoice in (lead, *others):
        if invoice.is_paid or not dunning_letters.reminder_set_aside(invoice, today):
            continue
        held = invoice.hold_until if invoice.is_on_hold(today) else None
        resume = held + timedelta(days=1) if held is not None else today
        stored, _ = save_change(ctx.store, invoice, reminder_undelivered(reminder, resume))
        lead = stored if stored.invoice_id == lead.invoice_id else lead
    return lead


def _about_these_only(kind: str, invoices: list[Invoice], ctx: DeliveryContext) -> list[Invoice]:
    """A reminder that left out an invoice of the run's letter (one under an arrangement
    that runs, dunning/letters.letter_invoices) is recorded on its invoices as about them
    only, its BIK over their principals (dunning/letters.about_these_only), before it is
    rendered: the letter announces those costs, and no more can follow (legal-nl.md §2)."""
    if kind != dunning_letters.REMINDER:
        return invoices
    reminder = dunning_letters.letter_reminder(invoices[0])
    narrowed = dunning_letters.about_these_only(reminder, invoices)
    if narrowed is reminder:
        return invoices

    def narrow(current: Invoice) -> Invoice:
        if current.reminder is None or current.reminder.letter_id != reminder.letter_id:
            return current
        return replace(current, reminder=narrowed)

    return [save_change(ctx.store, invoice, narrow)[0] for invoice in invoices]


def _dated_by_its_sending(
    kind: str,
    invoices: list[Invoice],
    provider: Provider,
    channel: Channel,
    day: date,
    ctx: DeliveryContext,
) -> list[Invoice]:
    """A dunning letter counts from the day it really goes out (``day``: today, or the
    print batch a paper letter was put in first). One that goes out later than the day
    the run decided on it (a replayed past day, a delivery after midnight, a queue that
    waited, a redrive from the dead-letter queue) is dated that day, on every invoice it
    is about, before it is rendered; the run's day is kept apart, so the letter's
    invoices stay recognisable as decided together."""
    if kind == dunning_letters.REMINDER:
        return _reminder_dated_by_its_sending(invoices, provider, channel, day, ctx)
    return _second_notice_dated_by_its_sending(invoices, day, ctx)


def _reminder_dated_by_its_sending(
    invoices: list[Invoice], provider: Provider, channel: Channel, day: date, ctx: DeliveryContext
) -> list[Invoice]:
    """A reminder gets its receipt and final date again by the channel it goes by
    (legal-nl.md §2), also when it goes on paper since its e-mail address bounced (R7):
    an e-mail is received the day it is sent, a paper letter counts from its batch's
    posting date. The run's day stays as ``decided_on``. Its BIK is that of the staffel
    in force when the term it now states expires (legal-nl.md §3)."""
    reminder = dunning_letters.letter_reminder(invoices[0])
    day = max(day, reminder.sent_on)
    if (day, channel) == (reminder.sent_on, reminder.channel):
        return invoices
    received_on, final_date = reminder_dates(day, channel, provider.posting_delay_days)
    redated = dunning_letters.stating_its_costs(
        replace(
            reminder,
            sent_on=day,
            channel=channel,
            received_on=received_on,
            final_date=final_date,
            decided_on=reminder.decided_on_day,
        )
    )

    def redate(current: Invoice) -> Invoice:
        if current.reminder is None or current.reminder.letter_id != reminder.letter_id:
            return current
        return replace(current, reminder=redated)

    return [save_change(ctx.store, invoice, redate)[0] for invoice in invoices]


def _second_notice_dated_by_its_sending(
    invoices: list[Invoice], day: date, ctx: DeliveryContext
) -> list[Invoice]:
    """R19: "a second notice (sommatie) is sent; 14 days later the claim is handed to
    the collection agency". The handover is counted from ``costs_charged_on``, and the
    letter states it: one that goes out after the run's day gets that day as its costs
    day, so the patient has the whole term from the letter. The run's day stays as
    ``costs_decided_on``. Interest does not move with it: it runs from the first day of
    default, as of the letter day (dunning/interest.py)."""
    lead = invoices[0]
    decided_on = lead.costs_decided_on_day
    if lead.costs_charged_on is None or day <= lead.costs_charged_on:
        return invoices

    def redate(current: Invoice) -> Invoice:
        charged_on = current.costs_charged_on
        if charged_on is None or charged_on >= day or current.costs_decided_on_day != decided_on:
            return current
        return replace(current, costs_charged_on=day, costs_decided_on=decided_on)

    return [save_change(ctx.store, invoice, redate)[0] for invoice in invoices]


def _send_dunning_letter(
    request: DeliveryRequest,
    invoices: list[Invoice],
    provider: Provider,
    channel: Channel,
    day: date,
    key: str,
    in_batch: bool,
    ctx: DeliveryContext,
) -> Correspondence:
    """The letter about ``invoices``, its PDF printed or kept of its e-mail under ``key``
    (recorded on the letter the lead waits for). ``in_batch``: a paper letter an earlier
    attempt put in the ``day``'s print batch and died before noting (_print_batch):
    noted, not put again."""
    first = invoices[0]
    context = _dunning_letter_context(request.kind, invoices, provider, day, ctx)
    language = first.language.value
    pdf = render_dunning_letter_pdf(
        request.kind, context, language, provider=provider, addressee=first.addressee
    )
    now = ctx.clock.now()
    if channel is Channel.EMAIL:
        to = first.addressee.email
        if not to:
            raise Undeliverable(f"{request.kind} for invoice {first.invoice_id}")
        email = render_email(request.kind, context, language)
        name = letter_file_name(request.kind, first.reference, language)
        # Kept before it is sent: a failed put sends nothing, so a retry e-mails it once.
        ctx.files.put(key, pdf, "application/pdf")
        message_id = ctx.notifier.send(to, email, [Attachment(name, pdf, "application/pdf")])
        return Correspondence(
            request.kind, Channel.EMAIL, now, message_id, request.event_id, kept_key=key
        )
    if in_batch:
        found_in_print_batch(ctx.files, provider, day)
    else:
        put_in_print_batch(ctx.files, key, pdf, provider, day)
    return Correspondence(request.kind, Channel.PAPER, now, key, request.event_id)


def dunning_letter_key(named_by: Invoice, kind: str, channel: Channel, day: date) -> str:
    """Where a dunning letter's PDF goes: a posted one in the ``day``'s print batch
    (letter_print_key), an e-mailed one's attachment where it is kept for the practice to
    open (legal-nl.md §8 keeps letters). Both are named by ``named_by``, the first invoice
    the letter is about (its lead, or the next when the lead was left out: under an
    arrangement, or paid or not charged with the others for a second notice), so the name
    is a kenmerk the letter holds; an e-mailed one by its reminder's date as it goes out
    (the letter's own date for a reminder, the one a second notice recalls), not the day
    a replayed run decided on it. The delivery records the key before the PDF is put and
    a retry puts it there, never a second copy (PendingLetter.kept_key), and no name or
    BSN is in it (R29)."""
    if channel is Channel.PAPER:
        return letter_print_key(named_by, kind, day.isoformat())
    dated = dunning_letters.letter_reminder(named_by).sent_on.isoformat()
    return f"letters/{named_by.provider_id}/{named_by.reference}-{kind}-{dated}.pdf"


def letter_print_key(lead: Invoice, kind: str, day: str, event_id: str = "") -> str:
    """A letter (a dunning letter, a confirmation on paper) next to the invoices in the
    day's print batch, named by its (lead) invoice's kenmerk and its kind, and for a
    confirmation by its event: an invoice corrected twice in a day (a credit and a retour,
    two retours, an operator's correction) or lowered twice gets two letters, as it gets
    two e-mails (one per (kind, event)), and the second must not overwrite the first's
    PDF (R30, legal-nl.md §8). The event as a short digest: its id may name an upload or
    a user, and a redelivery of the same event puts the same key."""
    if not event_id:  # a dunning letter: one per kind and lead a day
        return f"print/{day}/{lead.provider_id}/{lead.reference}-{kind}.pdf"
    digest = hashlib.sha256(event_id.encode()).hexdigest()[:12]
    return f"print/{day}/{lead.provider_id}/{lead.reference}-{kind}-{digest}.pdf"


def _dunning_letter_context(
    kind: str, invoices: list[Invoice], provider: Provider, day: date, ctx: DeliveryContext
) -> dict[str, Any]:
    # Every invoice's link in the letter's language (its first invoice's), not in its own:
    # a patient's invoices may carry other languages (the practice changed the field), and
    # the Arabic letter's link must open the Arabic checker (R9, R36).
    language = invoices[0].language.value

    def link(invoice: Invoice) -> str:
        return checker_url(ctx.public_base_url, invoice.reference, language)

    base, account = ctx.public_base_url, ctx.account
    if kind == dunning_letters.REMINDER:  # dated the day it goes out (_dated_by_its_sending)
        return dunning_letters.reminder_context(
            invoices, provider, pay_url=link, checker_url=base, account=account
        )
    # The amounts of the day it goes out: interest keeps accruing (R20).
    return dunning_letters.second_notice_context(
        invoices, provider, day, pay_url=link, checker_url=base, account=account
    )


def _letter_noted(
    request: DeliveryRequest, letter: Correspondence | None, *, first: bool = False
) -> Change:
    """Note ``letter`` (if sent) and take the pending letter off; the same invoice back
    when both are done already, so a replay writes nothing. ``first``: the first invoice
    the letter is about, whose kenmerk its e-mail carries (correspondence/bounces.py).

    A letter e-mailed to an address whose Permanent bounce was noted between the read
    that chose e-mail and this write (SES reported it before the letter was noted, so
    the bounce could not tell it was this letter's) never arrived, and is handled as the
    bounce handles it (``_bounced_before_noted``; R7, R28; audits race2, bounce51c)."""

    def change(invoice: Invoice) -> Invoice:
        due = tuple(
            pending
            for pending in invoice.letters_due
            if (pending.kind, pending.event_id) != (request.kind, request.event_id)
        )
        noted = letter is None or _earlier_message(invoice, request) is not None
        if noted and due == invoice.letters_due:
            return invoice
        changed = replace(invoice, letters_due=due)
        if noted or letter is None:
            return changed
        return _bounced_before_noted(request, letter, changed.with_letter(letter), first=first)

    return change


def _bounced_before_noted(
    request: DeliveryRequest, letter: Correspondence, invoice: Invoice, *, first: bool
) -> Invoice:
    """``invoice`` with the e-mailed ``letter`` handled as never arrived when its address
    is noted dead already (``_letter_noted``): a reminder is set aside, no costs follow it
    and the run sends a new one (legal-nl.md §2); a second notice waits again on the
    letter's first invoice, so the run sends it once more, on paper, and hands the claim
    over 14 days after that one, not after the e-mail (R19; bounces.second_notice_again)."""
    email = invoice.addressee.email
    if letter.channel is not Channel.EMAIL or not (email and invoice.has_bounced(email)):
        return invoice
    day = amsterdam_day(letter.at)
    if request.kind == dunning_letters.SECOND_NOTICE:
        return second_notice_again(letter, day)(invoice) if first else invoice
    reminder = invoice.reminder
    if reminder is None or request.event_id != dunning_letters.event_id(request.kind, reminder):
        return invoice
    return reminder_undelivered(reminder, day)(invoice)
