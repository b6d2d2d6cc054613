"""The invoice PDF served after it was sent: from the checker once the birth date was
checked (R36) and from the practice's portal and API (R30). It is the invoice as its
addressee received it (R7), rendered again from what it was sent with: the amount it
asked, its final payment date then, and the "don't pay yet" of that day (legal-nl.md §7,
R37). Rendered from the invoice as it stands today it asked the old amount by a
coulance's new final date, or the full amount while the patient waits for the adjusted
one (audit LETTERS1).

When what is due or the date to pay by changed since, the copy says so on its first
page: what is due now and by when, as today's breakdown has them (the checker's figures,
one amount and one date of one moment).

How things follow, as the copy's words say it (R7: by e-mail, or by post): the invoice as
sent says it as it was sent (an address that bounced since worked then), and so does the
notice's heading of the invoice itself; the notice says how they come now: when only that
changed, just that, and when what is due changed too, that after what is due now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from billing_core.changes.coulance import (
    awaits_coulance_decision,
    awaits_insurer_statement,
    statement_wait_until,
    told_not_to_pay_yet,
)
from billing_core.correspondence.kinds import INVOICE_LETTER
from billing_core.correspondence.pdf import render_invoice_pdf
from billing_core.dunning.breakdown import PayBy, breakdown
from billing_core.invoices.invoice import Channel, Correspondence, DunningStage, Invoice
from billing_core.payments.collection_account import CollectionAccount
from billing_core.providers.provider import Provider
from billing_core.shared.clock import amsterdam_day


@dataclass(frozen=True, slots=True)
class ChangedSince:
    """What a copy says above the invoice as sent: the day it was sent and how
    (``sent_by``: the channel of its delivery, R7), and what is due
    now (during an arrangement its next term) by the date that counts now; ``pay_by``
    None when that date passed or there is none (paid, with the collection agency).
    ``coulance_decision``: the insurer's statement is in and the practice decides on its
    proposal, so the copy says the adjusted amount is coming instead (R17, legal-nl.md §7).
    ``dont_pay_yet``: "don't pay yet" holds today (legal-nl.md §7), so the copy says the
    amount now and not to pay yet, no date to pay by, as the checker does.
    ``follow_up_channel``: how what the notice promises comes now (R7);
    ``only_the_channel``: while "don't pay yet" holds, the adjusted amount comes otherwise
    than the invoice as sent said (an address bounced, or one was given, since) and the
    invoice as sent still holds but for that, which is all the notice says then."""

    sent_on: date
    sent_by: Channel
    due_cents: int
    pay_by: date | None
    follow_up_channel: Channel
    next_term: bool = False
    coulance_decision: bool = False
    dont_pay_yet: bool = False
    only_the_channel: bool = False


def invoice_copy(
    invoice: Invoice,
    provider: Provider,
    today: date,
    *,
    public_base_url: str,
    account: CollectionAccount,
    letter: Sequence[Invoice] = (),
) -> bytes:
    """The PDF of ``invoice`` as it was sent, with what counts now when it changed since.
    ``letter``: as for ``changed_since``."""
    sent = as_sent(invoice, provider)
    return render_invoice_pdf(
        sent,
        provider,
        public_base_url=public_base_url,
        account=account,
        changed=changed_since(invoice, sent, provider, today, letter),
    )


def as_sent(invoice: Invoice, provider: Provider) -> Invoice:
    """The invoice with what its PDF showed the day it was sent: the ledger as it was then
    (the amount it asked), the final payment date it was sent with, and no reminder,
    deferral, arrangement or insurer's statement yet (an arrangement made since would take
    the offer of one from its "more time?" sentence: review57), so "don't pay yet" stands as it stood (R37), and
    no bounce yet, so it says how the adjusted amount comes as it said it: the invoice
    was the first mail about the invoice, and one that bounced worked then (R7). The lines
    are today's: a retour re-rates a line in place (R5)."""
    letter = _delivery(invoice)
    ledger = invoice.ledger
    if letter is not None:
        ledger = tuple(entry for entry in ledger if entry.recorded <= letter.at)
    return replace(
        invoice,
        ledger=ledger,
        final_payment_date=sent_final_payment_date(invoice, provider),
        deferral=None,
        arrangement=None,
        reminder=None,
        dunning_stage=DunningStage.NONE,
        insurer_statement=None,
        bounced_emails=(),
    )


def sent_final_payment_date(invoice: Invoice, provider: Provider) -> date:
    """The final payment date the invoice was sent with. An invoice sent before that was
    kept: the date issuing gives (issue date plus the payment term), since a coulance, a
    correction or a retour only ever moves it later (changes/coulance.py)."""
    if invoice.sent_final_payment_date is not None:
        return invoice.sent_final_payment_date
    issued = invoice.issue_date + timedelta(days=provider.payment_term_days)
    return min(issued, invoice.final_payment_date)


def changed_since(
    invoice: Invoice,
    sent: Invoice,
    provider: Provider,
    today: date,
    letter: Sequence[Invoice] = (),
) -> ChangedSince | None:
    """What is due now, when it is not what the invoice as sent asked: another amount,
    another date to pay by, a "don't pay yet" that no longer holds (the insurer's
    statement is in and its proposal decided, legal-nl.md §7), or the statement in and
    its proposal open (what the checker says too: R17), or while "don't pay yet" holds,
    the adjusted amount coming otherwise than it said (R7). None when it still is.
    ``letter``: the other invoices of ``invoice``'s letter, as stored now
    (``letter_costs.rest_of_the_notice``): while its final notice waits to be sent again
    on the letter's lead, no day before the agency counts (R7, R19, R36)."""
    due = breakdown(invoice, provider.dunning, today, letter=letter)
    asked = (sent.original_amount_cents, sent.final_payment_date)
    waited = awaits_insurer_statement(sent, provider)
    still_waits = statement_wait_until(invoice, provider) is not None
    deciding = awaits_coulance_decision(invoice, provider)
    unchanged = (due.due_cents, due.pay_by) == asked and (still_waits or not waited)
    comes_otherwise = waited and sent.follow_up_channel is not invoice.follow_up_channel
    if unchanged and not deciding and not comes_otherwise:
        return None
    delivered = _delivery(invoice)
    next_term = due.pay_by_kind is PayBy.ARRANGEMENT_TERM
    return ChangedSince(
        sent_on=amsterdam_day(delivered.at) if delivered else invoice.issue_date,
        sent_by=delivered.channel if delivered else invoice.channel,
        due_cents=due.term_cents if next_term else due.due_cents,
        pay_by=None if due.pay_by_passed else due.pay_by,
        follow_up_channel=invoice.follow_up_channel,
        next_term=next_term,
        coulance_decision=deciding,
        # legal-nl.md §7: the amount changed, "don't pay yet" did not (the checker's
        # condition); said with how the adjusted amount comes now (R7)
        dont_pay_yet=told_not_to_pay_yet(invoice, provider),
        only_the_channel=unchanged and not deciding,
    )


def _delivery(invoice: Invoice) -> Correspondence | None:
    """The record of the invoice's own delivery (R30); None before it went out."""
    return next((c for c in invoice.correspondence if c.kind == INVOICE_LETTER), None)
