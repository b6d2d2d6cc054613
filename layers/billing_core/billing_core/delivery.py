"""Use case: send one invoice to its addressee, by e-mail or in the print batch (R7, R30).

Idempotent per invoice: an invoice already sent is not sent again, and the handler adds
Powertools idempotency on top for messages delivered twice by the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from billing_core.clock import Clock
from billing_core.invoice import Channel, Correspondence, Invoice, InvoiceStatus
from billing_core.notify import Attachment, Notifier
from billing_core.notify.pdf import render_invoice_pdf
from billing_core.notify.render import render_invoice_email
from billing_core.ports import BillingStore, ConcurrentChange, DeliveryRequest, FileStore
from billing_core.providers import Provider

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


def pay_url(public_base_url: str, invoice: Invoice) -> str:
    """The payment checker with the kenmerk filled in: no personal data in the URL (R29)."""
    query = urlencode({"kenmerk": invoice.reference, "lang": invoice.language.value})
    return f"{public_base_url.rstrip('/')}/?{query}"


def print_key(invoice: Invoice, day: str) -> str:
    return f"print/{day}/{invoice.provider_id}/{invoice.reference}.pdf"


def deliver_invoice(request: DeliveryRequest, ctx: DeliveryContext) -> Correspondence:
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


def _load(request: DeliveryRequest, ctx: DeliveryContext) -> Invoice:
    invoice = ctx.store.get_invoice(request.provider_id, request.invoice_id)
    if invoice is None:
        raise UnknownInvoice(request.invoice_id)
    return invoice
