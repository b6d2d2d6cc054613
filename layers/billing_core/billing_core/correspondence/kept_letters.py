"""The PDFs kept of an invoice's letters (R30: the practice opens them), and their end:
"invoices, their ledgers, letters and retrocession statements are kept 7 years after the
end of the year they were settled, then deleted" (legal-nl.md §8).

A settled invoice carries the table's TTL at the end of that 7th year
(invoices/retention.py); when DynamoDB's TTL removes it, its letters go with it
(``delete_letters_of_expired``, called for the removed item as it was). Which PDFs those
are, the invoice itself says: a posted letter's key is its ``message_id`` (the print batch,
``print/{day}/{provider}/...``), an e-mailed dunning letter's its ``kept_key``
(``letters/{provider}/...``).

A dunning letter about several invoices is one PDF, named by the first of them (its lead,
unless the lead was left out) and recorded on every invoice it covers
(delivery.deliver_dunning_letter): it goes with the last of them.
Which invoices those are, the removed one knows while the letter is its reminder's (its
``covers``); the lead is also in the letter's id (``{day}:{lead invoice id}``,
dunning/steps.send_reminder). The one case it cannot tell is a letter of a reminder that
was superseded since (undelivered, or overtaken by a deferral) whose lead is the removed
invoice: that PDF is left to the bucket's backstop rule (template.yaml), not deleted while
another invoice may still need it.

The invoice's open actions (an objection holds the patient's message and e-mail address, a
bounce the recipients, R29) are kept as long as it is, and expire with it: the same
removal gives them the table's TTL of the moment (``expire_actions_of_expired``), so the
TTL removes them shortly after (no function deletes from the billing table).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from billing_core.invoices.invoice import (
    SECOND_NOTICE_AGAIN,
    Channel,
    Correspondence,
    Invoice,
)
from billing_core.ports import BillingStore, FileStore

if TYPE_CHECKING:
    from datetime import datetime

    from billing_core.shared.clock import Clock

# The prefix a letter's second notice puts before its reminder's letter id
# (dunning/letters.event_id).
_SECOND_NOTICE_EVENT = "second-notice:"


def kept_pdf_key(provider_id: str, letter: Correspondence) -> str | None:
    """The key of a letter's kept PDF, only under this practice's own prefix: a letter
    names its key, and no key of another practice is ever read or deleted (R26). A posted
    letter's is its print batch's ``print/{day}/{provider}/...``, an e-mailed one's
    ``letters/{provider}/...`` (delivery.dunning_letter_key); None when nothing was kept."""
    if letter.channel is Channel.PAPER:
        key, prefix, provider_part = letter.message_id, "print", 2
    else:
        key, prefix, provider_part = letter.kept_key, "letters", 1
    parts = key.split("/")
    kept = parts[0] == prefix and parts[provider_part : provider_part + 1] == [provider_id]
    return key if kept else None


@dataclass(frozen=True, slots=True)
class KeptLetter:
    """One kept PDF of an invoice, and the other invoices that may record it too."""

    key: str
    shared_with: frozenset[str]
    # False when the letter may cover invoices the removed one no longer names.
    others_known: bool = True


def kept_letters(invoice: Invoice) -> list[KeptLetter]:
    """Every PDF kept of the invoice's letters, each once, with the other invoices of the
    same letter as far as the invoice knows them."""
    found: dict[str, KeptLetter] = {}
    for letter in invoice.correspondence:
        key = kept_pdf_key(invoice.provider_id, letter)
        if key is not None and key not in found:
            found[key] = _with_its_invoices(invoice, letter, key)
    return list(found.values())


def _with_its_invoices(invoice: Invoice, letter: Correspondence, key: str) -> KeptLetter:
    letter_id = letter.event_id.removeprefix(_SECOND_NOTICE_EVENT).partition(SECOND_NOTICE_AGAIN)[0]
    _, colon, lead_id = letter_id.partition(":")
    if not colon:  # the invoice itself, or a confirmation: about this invoice alone
        return KeptLetter(key, frozenset())
    reminder = invoice.reminder
    if reminder is not None and reminder.letter_id == letter_id:
        covered = {c.invoice_id for c in reminder.covers} | {lead_id}
        return KeptLetter(key, frozenset(covered - {invoice.invoice_id}))
    others = frozenset({lead_id} - {invoice.invoice_id})
    return KeptLetter(key, others, others_known=lead_id != invoice.invoice_id)


class ExpiredInvoiceStore(BillingStore, Protocol):
    """What this function needs on top of the billing store (a port kept here: only the
    expired-letters function loads it)."""

    def expire_invoice_actions(self, provider_id: str, invoice_id: str, at: datetime) -> int:
        """Give the removed invoice's actions the table's TTL ``at``; how many it has."""
        ...


@dataclass(frozen=True, slots=True)
class ExpiredLettersContext:
    store: ExpiredInvoiceStore
    files: FileStore
    clock: Clock


@dataclass(frozen=True, slots=True)
class LettersDeleted:
    """What became of the removed invoice's kept PDFs, and how many of its actions were
    expired (counts only: no key, R29)."""

    deleted: int = 0
    kept_for_another_invoice: int = 0
    left_to_backstop: int = 0
    actions_expired: int = 0


def invoice_expired(invoice: Invoice, ctx: ExpiredLettersContext) -> LettersDeleted:
    """What the table's TTL removing ``invoice`` sets off: its letters deleted, its
    actions expired (legal-nl.md §8). Both idempotent: the stream may deliver it twice."""
    letters = delete_letters_of_expired(invoice, ctx)
    return replace(letters, actions_expired=expire_actions_of_expired(invoice, ctx))


def expire_actions_of_expired(invoice: Invoice, ctx: ExpiredLettersContext) -> int:
    """Give the removed invoice's actions the TTL of now: kept no longer than it (§8)."""
    return ctx.store.expire_invoice_actions(
        invoice.provider_id, invoice.invoice_id, ctx.clock.now()
    )


def delete_letters_of_expired(invoice: Invoice, ctx: ExpiredLettersContext) -> LettersDeleted:
    """Delete the PDFs of the letters of ``invoice``, which the table's TTL removed at the
    end of its retention (legal-nl.md §8), but a letter another stored invoice still
    records. Deleting is idempotent: a stream record read twice deletes nothing twice."""
    deleted = kept = left = 0
    for letter in kept_letters(invoice):
        if _recorded_elsewhere(invoice.provider_id, letter, ctx.store):
            kept += 1
        elif not letter.others_known:
            left += 1
        else:
            ctx.files.delete(letter.key)
            deleted += 1
    return LettersDeleted(deleted, kept, left)


def _recorded_elsewhere(provider_id: str, letter: KeptLetter, store: BillingStore) -> bool:
    """Whether another invoice still in the table records the PDF. Read consistently: the
    stream reports a removal after it happened, so of two invoices of one letter removed
    together, the second one's record finds neither and deletes it."""
    for invoice_id in sorted(letter.shared_with):
        other = store.get_invoice(provider_id, invoice_id, consistent=True)
        if other is not None and any(
            kept_pdf_key(provider_id, c) == letter.key for c in other.correspondence
        ):
            return True
    return False
