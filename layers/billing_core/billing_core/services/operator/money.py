"""Money only an operator can move (R34, legal-nl.md §5): bank credits the import could
not book, matched by hand to an invoice or to a patient of a practice; a stop or coulance
entered by mistake, corrected with a reversing entry and its reason (changes/correction.py).

Every booking goes through ``book_payment`` with the credit's own bank id, as the import
would have booked it: a payment in the ledger (R27), allocated costs -> interest ->
principal, a "payment received" e-mail, the claim released at the agency when it is
settled (R22), and in the week's retrocession statement (R24).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from billing_core.changes.correction import correct_entry
from billing_core.dunning.interest import accrued_interest
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.updates import save_change
from billing_core.payments.booking import IncomingPayment, block_unsettled_claim, book_payment
from billing_core.payments.unmatched import CreditMatch, MatchPart, UnmatchedCredit, split_over
from billing_core.ports import InvoiceFilter
from billing_core.services.operator.context import BackOfficeContext
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.audit import NO_PRACTICE_YET, ReadKind, ReadRecord
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import NotFound, practice_refused


@dataclass(frozen=True, slots=True)
class MatchTarget:
    """Either an invoice's betalingskenmerk, or a practice and its patient number."""

    reference: str = ""
    provider_id: str = ""
    patient_ref: str = ""

    def __post_init__(self) -> None:
        to_patient = bool(self.provider_id and self.patient_ref)
        if bool(self.reference) == to_patient:
            raise practice_refused("match_target")


def unmatched_credits(ctx: BackOfficeContext) -> list[UnmatchedCredit]:
    """The credits nobody matched yet, oldest booking first. They show the payers' names
    and IBANs, so the read is recorded (R32, NEN 7513), under no practice yet."""
    credits = ctx.links.unmatched_credits()
    read = ReadRecord.of(ctx.operator, NO_PRACTICE_YET, ReadKind.BANK_CREDITS, "", ctx.clock.now())
    ctx.audit.record_read(read)
    return credits


def match_credit(
    credit_id: str, target: MatchTarget, ctx: BackOfficeContext
) -> UnmatchedCredit | None:
    """Book the credit as ``target`` says, once; None for an unknown id. A credit matched
    before keeps its first plan, whatever ``target`` says now, and its parts are booked
    again (each once): a retry after a failure completes the same match."""
    credit = ctx.links.get_unmatched_credit(credit_id)
    if credit is None:
        return None
    if credit.match is None:
        if not credit.can_be_booked:
            raise practice_refused("credit_not_bookable")
        plan = CreditMatch(ctx.clock.now(), ctx.operator.user_id, _plan(credit, target, ctx))
        credit = ctx.links.plan_credit_match(credit_id, plan)
    assert credit.match is not None
    for part in credit.match.parts:
        _book(credit, part, ctx)
    return credit


def correct_invoice_entry(
    reference: str, entry_number: int, reason: str, ctx: BackOfficeContext
) -> Invoice:
    """Reverse ledger entry ``entry_number`` (1 is the first) of the invoice with this
    kenmerk, once, with the reason (R27); the invoice as stored now."""
    invoice = _by_reference(reference, ctx)
    now = ctx.clock.now()
    operator = ctx.operator.user_id

    def correct(current: Invoice) -> Invoice:
        return correct_entry(current, entry_number, reason, operator, now)

    stored, _ = save_change(ctx.store, invoice, correct)
    block_unsettled_claim(ctx.store, stored, ctx.clock)  # owed again at the agency (R22)
    return stored


def _plan(
    credit: UnmatchedCredit, target: MatchTarget, ctx: BackOfficeContext
) -> tuple[MatchPart, ...]:
    if target.reference:
        invoice = _by_reference(target.reference, ctx)
        return (MatchPart(invoice.reference, invoice.invoice_id, credit.amount_cents),)
    invoices = _patients_invoices(target.provider_id, target.patient_ref, ctx)
    if not invoices:
        raise practice_refused("no_invoice_for_patient")
    day = credit.booking_date
    due = [i for i in invoices if i.balance_cents + accrued_interest(i, day) > 0] or invoices[-1:]
    owed = [(i.reference, i.invoice_id, i.balance_cents + accrued_interest(i, day)) for i in due]
    return split_over(credit.amount_cents, owed)


def _by_reference(reference: str, ctx: BackOfficeContext) -> Invoice:
    try:
        invoice = ctx.store.find_invoice_by_reference(betalingskenmerk.parse_ours(reference))
    except betalingskenmerk.InvalidReference:
        invoice = None
    if invoice is None:
        raise practice_refused("unknown_kenmerk")
    return invoice


def _patients_invoices(provider_id: str, patient_ref: str, ctx: BackOfficeContext) -> list[Invoice]:
    """Every invoice of the patient with the practice, oldest issued first."""
    wanted = InvoiceFilter(patient_ref=patient_ref)
    found: list[Invoice] = []
    after: str | None = None
    while True:
        page, after = ctx.store.list_invoices(provider_id, wanted, limit=100, after=after)
        found += page
        if after is None:
            return sorted(found, key=lambda i: (i.issue_date, i.reference))


def _book(credit: UnmatchedCredit, part: MatchPart, ctx: BackOfficeContext) -> None:
    received_at = datetime.combine(credit.booking_date, time(0), tzinfo=AMSTERDAM)
    payment = IncomingPayment("bank", credit.source_id, part.amount_cents, received_at)
    try:
        book_payment(ctx.store, part.reference, payment, clock=ctx.clock, delivery=ctx.delivery)
    except NotFound:
        raise practice_refused("unknown_kenmerk") from None
