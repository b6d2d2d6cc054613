"""The PDFs of the letters kept for an invoice, for the practice to open (R30, R35):
the invoice itself, every letter that went by post (its PDF is kept in the print
batch) and every dunning letter e-mailed since their attachments are kept
(``letters/``, legal-nl.md §8). A confirmation e-mail has no PDF; a dunning letter
e-mailed before had no copy kept. Every opening is a read of patient data (R32,
NEN 7513). A kept PDF that is gone (deleted with its invoice a moment ago, or by the
bucket's backstop rule) is NoLongerKept: a 404 in words, not a failed function."""

from __future__ import annotations

from dataclasses import dataclass

from billing_core.correspondence.kept_letters import kept_pdf_key
from billing_core.correspondence.kinds import INVOICE_LETTER
from billing_core.correspondence.kinds import KINDS as MESSAGE_KINDS
from billing_core.invoices.invoice import Channel, Correspondence, Invoice
from billing_core.ports import FileGone
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.audit import ReadKind, naming_patient
from billing_core.shared.errors import NoLongerKept


@dataclass(frozen=True, slots=True)
class LetterDocument:
    file_name: str
    pdf: bytes


def can_open(invoice: Invoice, letter: Correspondence) -> bool:
    """Whether ``letter_document`` finds a PDF for this letter of ``invoice``."""
    return letter.kind == INVOICE_LETTER or kept_pdf_key(invoice.provider_id, letter) is not None


def is_plain_email(letter: Correspondence) -> bool:
    """Whether the letter was an e-mail with nothing attached: a confirmation (a lowered
    amount, R21; a deferral, an arrangement, ...) is the message itself, so there was no
    PDF to keep, where an e-mailed invoice or dunning letter carried one."""
    return letter.channel is Channel.EMAIL and letter.kind in MESSAGE_KINDS


def letter_document(
    user: ProviderUser, invoice_id: str, position: int, ctx: ProviderContext
) -> LetterDocument | None:
    """The ``position``-th letter of the invoice (as the invoice page lists them); None
    for another practice's invoice, an unknown one, or a letter without a PDF;
    NoLongerKept when its kept PDF was deleted (nothing is read, so no read is recorded)."""
    provider_id = tenant_for(user, Role.VIEWER)
    invoice = ctx.store.get_invoice(provider_id, invoice_id)
    if invoice is None or not 0 <= position < len(invoice.correspondence):
        return None
    letter = invoice.correspondence[position]
    document = _document(invoice, letter, ctx)
    if document is not None:
        letter_read = f"{invoice_id}:{position}:{letter.kind}"
        ctx.record_read(user, ReadKind.LETTER, naming_patient(letter_read, invoice.patient_ref))
    return document


def _document(
    invoice: Invoice, letter: Correspondence, ctx: ProviderContext
) -> LetterDocument | None:
    # Imported here: fpdf2 loads only when a letter is opened, not on every portal page.
    from billing_core.correspondence.pdf import invoice_file_name, letter_file_name

    key = kept_pdf_key(invoice.provider_id, letter)
    if key is not None:
        name = (
            invoice_file_name(invoice)
            if letter.kind == INVOICE_LETTER
            else letter_file_name(letter.kind, invoice.reference, invoice.language.value)
        )
        try:
            return LetterDocument(name, ctx.files.get(key))
        except FileGone:
            # legal-nl.md §8: letters go with their invoice (ExpiredLettersFunction) or at
            # the bucket's backstop; the invoice page may still name one for a moment.
            raise NoLongerKept("letter_no_longer_kept") from None
    provider = ctx.store.cached_provider(invoice.provider_id)
    if letter.kind != INVOICE_LETTER or provider is None or ctx.invoice_document is None:
        return None
    name, pdf = ctx.invoice_document(invoice, provider)
    return LetterDocument(name, pdf)
