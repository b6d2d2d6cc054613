"""The e-mails about an invoice after it was sent: confirmations of what the patient did
(deferral R14, arrangement R15, objection R16) and of a payment received (R11, R12).

Like the invoice e-mail, each template sees only the values chosen here, never the
invoice, so no template edit can put a BSN or a treatment in a mail body (R29).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from billing_core.changes.arrangement import extra_term
from billing_core.changes.coulance import (
    adjusted_by_statement,
    decided_by_the_policy,
    told_not_to_pay_yet,
)
from billing_core.correspondence.kinds import (
    ARRANGEMENT_CONFIRMATION,
    COULANCE_DECLINED,
    DEFERRAL_CONFIRMATION,
    INVOICE_CORRECTED,
    KINDS,
    OBJECTION_ACKNOWLEDGEMENT,
    PAYMENT_RECEIVED,
    STOP_CONFIRMATION,
)
from billing_core.correspondence.practice_contact import practice_contact
from billing_core.dunning.breakdown import Breakdown, PayBy, breakdown
from billing_core.invoices.invoice import DunningStage, Invoice
from billing_core.invoices.ledger import (
    Component,
    EntryKind,
    balance,
    is_correction,
    is_retour,
)
from billing_core.invoices.open_costs import open_costs
from billing_core.providers.provider import Provider
from billing_core.shared.clock import AMSTERDAM
from billing_core.texts.catalogue import by_channel

if TYPE_CHECKING:
    from billing_core.payments.collection_account import CollectionAccount


def confirmation_context(
    kind: str,
    invoice: Invoice,
    provider: Provider,
    *,
    event_id: str,
    today: date,
    pay_url: str,
    public_base_url: str,
    account: CollectionAccount,
    letter: Sequence[Invoice] = (),
) -> dict[str, Any]:
    """``account``: zorgnota's collection account, where what a confirmation asks may be
    transferred to (R12, R15). ``letter``: the other invoices of the letter ``invoice`` is in, as stored now
    (``letter_costs.rest_of_the_notice``): a final notice sent again waits on the letter's
    lead only, and the e-mail about any of its invoices names no day before the agency
    then, as the checker does (R7, R19, R36)."""
    if kind not in KINDS:
        raise ValueError(f"no confirmation e-mail of kind {kind!r}")
    # What is due and by when, as the checker says it today (R36): once a reminder or the
    # costs came, the invoice's own final payment date has passed and is not the date that
    # counts, and interest after the term is part of what is due (R20, legal-nl.md §2).
    due = breakdown(invoice, provider.dunning, today, letter=letter)
    final_payment_date = due.pay_by or invoice.current_final_payment_date
    context: dict[str, Any] = {
        "addressee_name": invoice.addressee.display_name,
        "provider_name": provider.name,
        "reference": invoice.reference,
        "amount_due_cents": due.due_cents,
        "credit_cents": invoice.credit_cents,
        "final_payment_date": final_payment_date,
        # A date that has passed (a payment in the week after the final date, before the
        # reminder) is not one to pay by: the e-mail says it as the checker does (R36, R10).
        "pay_by_passed": final_payment_date < today,
        # Handed over, the claim is the agency's to collect: its amount, no date or pay link
        # of ours (R22, R34, as the checker says it: R36).
        "with_agency": invoice.is_with_collection_agency,
        # legal-nl.md §7, R37: while the statement (or the decision on it) is awaited, the
        # amount and "don't pay yet", no date or pay link, as the checker and the invoice
        # say it; ``by``: how the adjusted amount comes (R7)
        "dont_pay_yet": told_not_to_pay_yet(invoice, provider),
        "by": by_channel(invoice.follow_up_channel),
        "pay_url": pay_url,
        "checker_url": public_base_url,
        "today": today,
        "practice": practice_contact(provider),
        # Where a confirmation that asks to pay says to transfer to, beside the iDEAL link,
        # in whose name, as every invoice and letter names it (R12; audits letters57, 58:
        # the arrangement's, then the deferral's, the stop's and the payment's named none).
        "iban": account.grouped_iban,
        "account_holder": account.holder,
    }
    context |= _under_arrangement(invoice, due, today)
    context["left_only"] = _left_only(invoice, due, context)
    if kind == DEFERRAL_CONFIRMATION:
        # Imported here: the delivery has loaded it; a deferral's e-mail alone needs it here.
        from billing_core.correspondence.render import can_arrange

        context["can_arrange"] = can_arrange(invoice, provider)
    if kind == ARRANGEMENT_CONFIRMATION:
        context |= _arrangement(invoice)
    if kind == PAYMENT_RECEIVED:
        context |= _payment(invoice, event_id, today)
    if kind == OBJECTION_ACKNOWLEDGEMENT:
        # Nobody's name in it (R29): written when it went to the address typed into the
        # public form; since issue 13.3 it goes only to the invoice's own address.
        context["addressee_name"] = ""
        context["received_on"] = _objection_received_on(event_id, today)
    if kind == STOP_CONFIRMATION:
        context["after_statement"] = adjusted_by_statement(event_id)
    if kind == COULANCE_DECLINED:
        # Not the practice's decision: the policy had nothing to forgive (R17).
        context["unchanged"] = decided_by_the_policy(event_id)
    if kind == INVOICE_CORRECTED:
        # Why, in general words only: never the treatment (R29).
        context["corrected_by"] = _corrected_by(event_id)
    return context


def _objection_received_on(event_id: str, today: date) -> date:
    """The day the objection was filed (R16), which its acknowledgement names, not the day
    the delivery sends it (a retry, a queue redriven later); ``today`` for an event id not
    an objection's."""
    # Imported here: only this e-mail needs the objection's rules (#18 (d)).
    from billing_core.changes.objection import objection_day

    return objection_day(event_id) or today


def _left_only(invoice: Invoice, due: Breakdown, context: dict[str, Any]) -> str | None:
    """R21, R13, R15, R17, R9, legal-nl.md §2-§5: a stop, a coulance or a credit lowers the
    principal only, and a payment goes to the costs and the interest first, so what is
    open can be only collection costs, an arrangement's fee and interest once the
    treatments are paid for or forgiven. "U betaalt nu nog € 10,00" alone then reads as
    a mistake: the text key that names what it is (``email`` section), for every e-mail
    that states what is left (the stop, the correction, the coulance declined, the
    payment received). The fee is the arrangement's (R15), no collection costs (BIK,
    legal-nl.md §2): named as such, as the checker's breakdown does. None: something of
    the treatments is left, or the e-mail says something else (the agency collects,
    don't pay yet, an arrangement's term)."""
    if due.due_cents <= 0 or balance(invoice.ledger, Component.PRINCIPAL) > 0:
        return None
    if context["with_agency"] or context["dont_pay_yet"] or context["next_term"]:
        return None
    owed = open_costs(invoice.ledger)  # a fee paid long ago is no part of what is left
    interest = due.due_cents - balance(invoice.ledger, Component.COSTS)  # booked and since
    left = (owed.collection_costs_cents > 0, owed.fee_cents > 0, interest > 0)
    return _LEFT_ONLY.get(left)  # None: nothing open to name


# (collection costs, the arrangement's fee, interest) open -> the words that name them,
# in the checker breakdown's order (R36).
_LEFT_ONLY = {
    (True, False, False): "left_costs",
    (False, False, True): "left_interest",
    (True, False, True): "left_costs_and_interest",
    (False, True, False): "left_fee",
    (True, True, False): "left_costs_and_fee",
    (False, True, True): "left_fee_and_interest",
    (True, True, True): "left_costs_fee_and_interest",
}


def _corrected_by(event_id: str) -> str:
    """What corrected the invoice: the insurer's retour, an operator who undid a stop or
    coulance entered by mistake (changes/correction.py, R34), or a later declaration."""
    if is_retour(event_id):
        return "retour"
    if is_correction(event_id):
        return "correction"
    return "declaration"


def _arrangement(invoice: Invoice) -> dict[str, Any]:
    arrangement = invoice.arrangement
    if arrangement is None:
        raise ValueError(f"invoice {invoice.invoice_id} has no arrangement to confirm")
    return {
        "terms": [
            {"due_date": term.due_date, "amount_cents": term.amount_cents}
            for term in arrangement.terms
        ],
        "fee_cents": arrangement.fee_cents,
        "total_cents": arrangement.total_cents,
        # Made after the costs, the terms also cover the interest until each is due (R15,
        # R20): say so, or the total is more than any letter named.
        "interest_cents": arrangement.total_cents
        - balance(invoice.ledger[: arrangement.ledger_start]),
        # Made after the costs, a missed term hands the claim over at once: the second
        # notice's term has passed by then, no reminder comes first (R15, R19).
        "after_costs": invoice.dunning_stage is DunningStage.COSTS_CHARGED,
    }


def _payment(invoice: Invoice, payment_id: str, today: date) -> dict[str, Any]:
    entries = [e for e in invoice.ledger if e.kind is EntryKind.PAYMENT and e.cause == payment_id]
    if not entries:
        raise ValueError(f"invoice {invoice.invoice_id} has no payment {payment_id}")
    # R13: the too much paid is said also when the PSP refund of this payment's credit was
    # booked before the e-mail is written (the webhook asks it right after the booking,
    # refunds.refund_overpayment): the credit held plus what went back on this payment, as
    # for a transfer whose credit is held (a refund that failed since is back in the credit).
    paid_back = sum(
        e.amount_cents
        for e in invoice.ledger
        if e.kind is EntryKind.REFUND and e.cause == payment_id
    )
    return {
        "paid_cents": -sum(e.amount_cents for e in entries),
        "paid_on": entries[0].at.astimezone(AMSTERDAM).date(),
        "credit_cents": invoice.credit_cents + max(paid_back, 0),
    }


def _under_arrangement(invoice: Invoice, due: Breakdown, today: date) -> dict[str, Any]:
    """What a running arrangement asks now, for every confirmation (R15, R36): the next
    term, its date and whether that passed, as the checker states them (the breakdown's
    date that counts), never everything by that date; and what the agreed terms leave
    (a retour's raise) as the one more term it is, with its own date. A term paid in
    part after its date is still the next one, its date passed."""
    if due.pay_by_kind is not PayBy.ARRANGEMENT_TERM or due.pay_by is None:
        return {"next_term": None, "rest_term": None}
    # Once the agreed terms are settled the rest is the next term itself.
    rest = extra_term(invoice, today)
    return {
        "next_term": {
            "due_date": due.pay_by,
            "amount_cents": due.term_cents,
            "passed": due.pay_by_passed,
        },
        "rest_term": {"due_date": rest.due_date, "amount_cents": rest.amount_cents}
        if rest
        else None,
    }
