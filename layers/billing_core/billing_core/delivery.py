"""Use case: send one invoice to its addressee, by e-mail or in the print batch (R7, R30),
or an e-mail about it: a confirmation of a deferral, an arrangement, an objection or a
payment (R11-R16), rendered from its templates and recorded on the invoice.

Idempotent per invoice: an invoice already sent is not sent again, a message is sent
once per (kind, event id), and the handler adds Powertools idempotency on top for
messages delivered twice by the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from billing_core.clock import Clock
from billing_core.invoice import Channel, Correspondence, Invoice, InvoiceStatus
from billing_core.notify import Attachment, Notifier
from billing_core.notify.confirmations import KINDS as MESSAGE_KINDS
from billing_core.notify.confirmations import confirmation_context
from billing_core.notify.pdf import render_invoice_pdf
from billing_core.notify.render import render_email, render_invoice_email
from billing_core.ports import BillingStore, ConcurrentChange, DeliveryRequest, FileStore
from billing_core.providers import Provider
from billing_core.updates import save_change

_SAVE_ATTEMPTS = 3


@dataclass(frozen=True)
class DeliveryContext:
    store: BillingStore
    files: FileStore
    notifier: Notifier
    clock: Clock
    public_base_url: str
    collection_iban: str


class UnknownInvoice(LookupError):
    """The queue names an invoice the table does not have."""


class Undeliverable(ValueError):
    """A message with nowhere to go: no address in the request nor on the invoice. The
    use cases queue none for patients without e-mail; one that gets here is a bug."""


def pay_url(public_base_url: str, invoice: Invoice) -> str:
    """The payment checker with the kenmerk filled in: no personal data in the URL (R29)."""
    query = urlencode({"kenmerk": invoice.reference, "lang": invoice.language.value})
    return f"{public_base_url.rstrip('/')}/?{query}"


def print_key(invoice: Invoice, day: str) -> str:
    return f"print/{day}/{invoice.provider_id}/{invoice.reference}.pdf"


def deliver_invoice(request: DeliveryRequest, ctx: DeliveryContext) -> Correspondence:
    """Deliver what the queue asks: the invoice itself, or a message about it."""
    if request.kind != "invoice":
        return deliver_message(request, ctx)
    invoice = _load(request, ctx)
    if invoice.status is InvoiceStatus.SENT:
        return next(c for c in invoice.correspondence if c.kind == "invoice")
    provider = ctx.store.get_provider(invoice.provider_id)
    if provider is None:
        raise UnknownInvoice(f"provider of invoice {invoice.invoice_id}")
    pdf = render_invoice_pdf(
        invoice,
        provider,
        public_base_url=ctx.public_base_url,
        collection_iban=ctx.collection_iban,
    )
    letter = _send(invoice, provider, pdf, ctx)
    _record(request, letter, ctx)
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
        attachment = Attachment(f"nota-{invoice.reference}.pdf", pdf, "application/pdf")
        message_id = ctx.notifier.send(invoice.addressee.email, email, [attachment])
        return Correspondence("invoice", Channel.EMAIL, now, message_id)
    key = print_key(invoice, now.date().isoformat())
    ctx.files.put(key, pdf, "application/pdf")
    return Correspondence("invoice", Channel.PAPER, now, key)


def _record(request: DeliveryRequest, letter: Correspondence, ctx: DeliveryContext) -> None:
    """Note the letter on the invoice; a concurrent change (R28) means: read again, retry."""
    for _ in range(_SAVE_ATTEMPTS):
        invoice = _load(request, ctx)
        try:
            ctx.store.save_invoice(invoice.sent(letter))
            return
        except ConcurrentChange:
            continue
    raise ConcurrentChange(request.invoice_id)


def deliver_message(request: DeliveryRequest, ctx: DeliveryContext) -> Correspondence:
    """E-mail a confirmation about an invoice once, and record it on the invoice (R30)."""
    if request.kind not in MESSAGE_KINDS:
        raise ValueError(f"unknown delivery kind {request.kind!r}")
    invoice = _load(request, ctx)
    earlier = _earlier_message(invoice, request)
    if earlier:
        return earlier
    to = request.email or invoice.addressee.email
    if not to:
        raise Undeliverable(f"{request.kind} for invoice {invoice.invoice_id}")
    provider = ctx.store.get_provider(invoice.provider_id)
    if provider is None:
        raise UnknownInvoice(f"provider of invoice {invoice.invoice_id}")
    context = confirmation_context(
        request.kind,
        invoice,
        provider,
        event_id=request.event_id,
        today=ctx.clock.today(),
        pay_url=pay_url(ctx.public_base_url, invoice),
        public_base_url=ctx.public_base_url,
    )
    email = render_email(request.kind, context, invoice.language.value)
    message_id = ctx.notifier.send(to, email, [])
    letter = Correspondence(
        request.kind, Channel.EMAIL, ctx.clock.now(), message_id, request.event_id
    )

    def record(current: Invoice) -> Invoice:
        return current if _earlier_message(current, request) else current.with_letter(letter)

    save_change(ctx.store, invoice, record)
    return letter


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
    invoice = ctx.store.get_invoice(request.provider_id, request.invoice_id)
    if invoice is None:
        raise UnknownInvoice(request.invoice_id)
    return invoice
