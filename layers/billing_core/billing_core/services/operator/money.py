"""Money only an operator can move (R34, legal-nl.md §5): bank credits the import could
not book, matched by hand to an invoice or to a patient of a practice; a stop or coulance
entered by mistake, corrected with a reversing entry and its reason (changes/correction.py).

Every booking goes through ``book_payment`` with the credit's own bank id, as the import
would have booked it: a payment in the ledger (R27), allocated costs -> interest ->
principal, a "payment received" e-mail, the claim released at the agency when it is
settled (R22), and in the week's retrocession statement (R24). A matched credit, on one
invoice or split over several, is remembered by its transfer ids as the import
remembers its own bookings, so the bank's return of it is reversed by the import, each
part on its invoice (R12).

A return the import could not trace is matched to an invoice's kenmerk and goes through
``book_reversal``, as a traced return does: it reverses a bank payment on that invoice
with at least its amount left (one of exactly its amount first, the latest first), and
a claim with the agency that is owed again blocks the patient again (R34). A return the
import traced to a credit split over several invoices but could not book (it came in
before every part was booked) undoes every part, matched to any of their kenmerken.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

from billing_core.changes.arrangement import next_term
from billing_core.changes.correction import correct_entry, correction_event
from billing_core.collection.blocking import block_unsettled_claim
from billing_core.correspondence.kinds import tell_invoice_corrected
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import EntryKind
from billing_core.invoices.listing import InvoiceFilter
from billing_core.invoices.updates import reread, save_change
from billing_core.payments.bank_import import (
    UnmatchedReason,
    bank_payments,
    paid_under,
    remember_credit,
    split_return_reads,
)
from billing_core.payments.booking import (
    IncomingPayment,
    RemittanceExceeds,
    UnknownPayment,
    book_payment,
    book_reversal,
    owed_on,
    payment_id,
)
from billing_core.payments.remittance import (
    CLAIMS_REMITTED_TOGETHER,
    TooManyClaimsTogether,
    awaited_cents,
    book_remittances_together,
)
from billing_core.payments.unmatched import (
    CreditMatch,
    MatchPart,
    MatchTarget,
    UnmatchedCredit,
    booked_only_where_named,
    kenmerken_named,
    plan_as_stored,
    split_over,
)
from billing_core.ports import ConcurrentChange, SavedUnfinished
from billing_core.services.operator.context import BackOfficeContext
from billing_core.services.operator.money_out import invoice_named
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.audit import (
    NO_PRACTICE_YET,
    ReadKind,
    by_practice_naming_patients,
    naming_patient,
)
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import NotFound, Refused, practice_refused
from billing_core.shared.money import format_euros


class _ReversedMeanwhile(Exception):
    """The bank payment a return's plan reverses was reversed since the plan was made."""


UNMATCHED_PAGE = 100  # credits an answer of the operator's list, unless it asks fewer
MAX_UNMATCHED_PAGE = 200


def unmatched_credits(
    ctx: BackOfficeContext, limit: int = UNMATCHED_PAGE, *, after: str | None = None
) -> tuple[list[UnmatchedCredit], str | None]:
    """A page of the credits nobody matched yet, oldest booking first, after the position
    ``after`` (the page before's), and the next page's position (None: the last page);
    InvalidPosition for an ``after`` that is no such position. They show the payers' names
    and IBANs, so the read is recorded (R32, NEN 7513), under no practice yet, naming
    each credit of the page, not those of the pages before or after."""
    credits, next_position = ctx.links.unmatched_credit_page(limit, after)
    shown = [f"credit:{c.credit_id}" for c in credits]
    ctx.record_shown(ReadKind.BANK_CREDITS, {NO_PRACTICE_YET: shown})
    return credits, next_position


def match_credit(
    credit_id: str, target: MatchTarget, ctx: BackOfficeContext
) -> UnmatchedCredit | None:
    """Book the credit as ``target`` says, once; None for an unknown id. A credit matched
    before to the same target keeps its plan, and its parts are booked again (each once):
    a retry after a failure completes the same match. Matched before to another target
    (by this operator a moment ago, or by another at the same moment), it is refused with
    where it went: nothing is booked on the new target (R34, interfaces.md §2). A part
    booked already under the credit's own id stays in the plan as booked, and only the
    rest is planned (``_plan``): never more booked than was received (R12)."""
    credit = ctx.links.get_unmatched_credit(credit_id)
    if credit is None:
        return None
    target = _without_spaces(target)
    if credit.match is None:
        if not credit.can_be_booked:
            raise practice_refused("credit_not_bookable")
        _refuse_booked_under_another_key(credit, ctx)
        parts = _plan(credit, target, ctx)
        _refuse_more_than_the_agency_collected(credit, parts, ctx)
        plan = CreditMatch(ctx.clock.now(), ctx.operator.user_id, parts, target)
        credit = ctx.links.plan_credit_match(credit_id, plan)
    assert credit.match is not None
    if not credit.match.made_for(target):
        kenmerken = ", ".join(betalingskenmerk.grouped(p.reference) for p in credit.match.parts)
        raise practice_refused("credit_already_matched", kenmerken=kenmerken)
    try:
        # A credit split over several claims: its parts that are the agency's transfer
        # are booked all in one write or none, before any other part (audit RETRIES4-3).
        together = _book_the_agencys_parts_together(credit, credit.match, ctx)
        for part in credit.match.parts:
            # What that write did not book as the agency's is the ordinary payment it
            # decided: not refused as the agency's when a report came in since.
            _book(credit, part, ctx, as_the_agencys=not together)
    except RemittanceExceeds as exceeds:
        # The agency's transfer booked meanwhile (another operator, the bank import)
        # leaves less awaited than this plan's check read: refused after the plan was
        # written. When it booked nothing of the plan, the plan goes and the credit is
        # listed again, to be matched as the agency says (R12, R34; audits security4 and
        # RETRIES4-3), not kept planned with nothing (or only a part) booked, off the
        # list until it expires and every retry refused.
        _withdraw_when_nothing_booked(credit, credit.match, ctx)
        raise _remittance_exceeds(exceeds) from None
    except _ReversedMeanwhile:
        # A return whose bank payment another return reversed since the check (the bank
        # import tracing one): the same, its plan withdrawn and the return listed again
        # for a person, not off the list with nothing booked and every retry refused.
        _withdraw_when_nothing_booked(credit, credit.match, ctx)
        raise practice_refused("no_payment_to_reverse") from None
    except TooManyClaimsTogether as too_many:
        # A plan an older version wrote over more of the agency's claims than one write
        # books (refused before planning now): a 500 on every try, the credit off the
        # list. Withdrawn when nothing of it is booked, the credit listed again.
        _withdraw_when_nothing_booked(credit, credit.match, ctx)
        raise _too_many_claims(too_many.claims) from None
    except ConcurrentChange:
        # An invoice, or a patient's block, kept changing past the store's retries (R28)
        # after the plan was written and perhaps a part booked: not "nothing was saved"
        # (invite58). The same match sent again keeps its plan and books what is left.
        raise SavedUnfinished(credit_id) from None
    _remember(credit, credit.match, ctx)
    _record_match_shown(credit, credit.match, ctx)
    return _as_booked(credit, ctx)


def _as_booked(credit: UnmatchedCredit, ctx: BackOfficeContext) -> UnmatchedCredit:
    """The matched credit with what each part did as its invoice's ledger holds it (read
    consistently): a returned bank refund matched back to its invoice undid that refund
    (payments/returned_refunds.py), which the answer says (``refund_undone``) rather than
    reading like a payment booked (R34, R13, R24)."""
    if credit.match is None or credit.reason != REFUND_RETURNED:
        return credit
    key = payment_id("bank", credit.source_id)

    def as_booked(part: MatchPart) -> MatchPart:
        invoice = reread(ctx.store, _by_reference(part.reference, ctx))
        undone = any(e.kind is EntryKind.REFUND and e.cause == key for e in invoice.ledger)
        return replace(part, refund_undone=undone)

    parts = tuple(map(as_booked, credit.match.parts))
    return replace(credit, match=replace(credit.match, parts=parts))


def _refuse_booked_under_another_key(credit: UnmatchedCredit, ctx: BackOfficeContext) -> None:
    """The same transfer, listed in two overlapping statements under two keys (with the
    bank's AcctSvcrRef, and without) before the import dropped the second, and matched
    already as the other line: its TxId and amount are booked. Matching this line too
    would book the money twice (R12: duplicates are ignored; R34), so it is refused with
    where the money went, as a line matched before is."""
    transaction_id = credit.bank_transaction_id
    if credit.is_return or not transaction_id:
        return
    link = ctx.links.find_bank_credit(credit.account_iban, transaction_id)
    if link is None or link.source_id == credit.source_id:
        return
    if link.amount_cents != credit.amount_cents:
        return
    booked = [kenmerk for kenmerk, _ in link.parts] or [link.reference]
    kenmerken = ", ".join(betalingskenmerk.grouped(kenmerk) for kenmerk in booked)
    raise practice_refused("credit_already_matched", kenmerken=kenmerken)


def _record_match_shown(
    credit: UnmatchedCredit, match: CreditMatch, ctx: BackOfficeContext
) -> None:
    """The answer shows the payer's name and IBAN and the invoices the credit went to: the
    read is recorded for the practice whose invoices they are, the credit now being its
    patient's payment (R32, NEN 7513), naming the credit, the patients of those invoices
    (as an invoice list's read names them, so a search by patient finds it) and the
    invoices."""
    invoices = [_by_reference(part.reference, ctx) for part in match.parts]
    shown = by_practice_naming_patients(
        (i.provider_id, i.patient_ref, f"invoice:{i.invoice_id}") for i in invoices
    )
    ctx.record_shown(ReadKind.BANK_CREDITS, shown, heading=f"credit:{credit.credit_id}")


def correct_invoice_entry(
    reference: str, entry_number: int, reason: str, ctx: BackOfficeContext
) -> Invoice:
    """Reverse ledger entry ``entry_number`` (1 is the first) of the invoice with this
    kenmerk, once, with the reason (R27), and the other entries of a full stop it is one
    of (the costs' and interest's, R34); the invoice as stored now. Owed again, it is
    to be paid by a new final payment date (changes/correction.py), and the patient is
    told the corrected amount."""
    invoice = invoice_named(reference, ctx.store)
    provider = ctx.store.get_provider(invoice.provider_id)
    if provider is None:  # an invoice of a provider that is gone: a broken table
        raise LookupError(f"invoice {invoice.invoice_id} without its provider")
    term = provider.payment_term_days
    now = ctx.clock.now()
    operator = ctx.operator.user_id

    def correct(current: Invoice) -> Invoice:
        return correct_entry(current, entry_number, reason, operator, now, payment_term_days=term)

    stored, _ = save_change(ctx.store, invoice, correct)
    block_unsettled_claim(ctx.store, stored, ctx.clock)  # owed again at the agency (R22)
    # The corrected amount and the date to pay it by (R21, legal-nl.md §7), once per
    # correction (a full stop's entries undone together are one): a retry whose first
    # attempt died after its save queues it again.
    tell_invoice_corrected(stored, [correction_event(stored, entry_number)], ctx.delivery)
    # The answer shows the invoice's ledger: a read of it, as the practice's (R32).
    read = naming_patient(stored.invoice_id, stored.patient_ref)
    ctx.record_shown(ReadKind.INVOICE, {stored.provider_id: [read]})
    return stored


def _plan(
    credit: UnmatchedCredit, target: MatchTarget, ctx: BackOfficeContext
) -> tuple[MatchPart, ...]:
    """The parts the credit is booked in: those booked already under its own id (kept as
    they are), then what is left of it over the target's invoices that hold no part."""
    if credit.is_return:
        return _reversal(credit, target, ctx)
    day = credit.booking_date
    invoices = _target_invoices(target, day, ctx)
    booked = _booked_already(credit, invoices, ctx)
    left = credit.amount_cents - sum(part.amount_cents for part in booked)
    if left <= 0:  # every part booked before: nothing more to book
        return booked
    holding = {part.invoice_id for part in booked}
    free = [invoice for invoice in invoices if invoice.invoice_id not in holding]
    if booked and not free:
        raise _partly_booked(booked, left)
    return booked + _split(left, free, target, day)


def _target_invoices(target: MatchTarget, day: date, ctx: BackOfficeContext) -> list[Invoice]:
    """The invoices the operator named, in the order the credit goes to them: a kenmerk's,
    several in the order the payer named them (legal-nl.md §5, art. 6:43), or the
    patient's in payment order."""
    if target.reference:
        return [_by_reference(target.reference, ctx)]
    if target.references:
        return [_by_reference(reference, ctx) for reference in target.references]
    patients = _patients_invoices(target.provider_id, target.patient_ref, ctx)
    return _in_payment_order(patients, day)


def _split(
    amount_cents: int, invoices: list[Invoice], target: MatchTarget, day: date
) -> tuple[MatchPart, ...]:
    if target.reference:
        [invoice] = invoices
        return (MatchPart(invoice.reference, invoice.invoice_id, amount_cents),)
    if not target.references and any(_awaited_from_agency(i) for i in invoices):
        return _as_the_agencys_transfer(amount_cents, invoices, day)
    if not invoices:
        raise practice_refused("no_invoice_for_patient")
    # Owed on the credit's date, not today: costs charged after it were not due then
    # (legal-nl.md §2), and booking a share dated in the term undoes them (book_payment).
    # A claim the agency reported paid waits for the agency's transfer of that money: an
    # agency's transfer for several claims is split by what each waits for (remittance.py).
    owed = [(i.reference, i.invoice_id, owed_on(i, day) or awaited_cents(i)) for i in invoices]
    due = [(ref, invoice_id, cents) for ref, invoice_id, cents in owed if cents > 0] or owed[-1:]
    return split_over(amount_cents, due)


def _booked_already(
    credit: UnmatchedCredit, targets: list[Invoice], ctx: BackOfficeContext
) -> tuple[MatchPart, ...]:
    """The parts of the credit booked already under its own id: a transfer quoting
    several kenmerken whose import stopped between its parts and was listed whole by
    the retry (one without a TxId or EndToEndId, or an older version's). Each stays as
    booked: a part again on its invoice would be the same payment (ignored), and the
    whole credit on another invoice more money booked than was received (R12, R34, R3).
    Looked for on the invoices the line names (read as stored now) and on the target's."""
    key = payment_id("bank", credit.source_id)
    invoices = {i.invoice_id: reread(ctx.store, i) for i in _named_invoices(credit, ctx)}
    for invoice in targets:
        invoices.setdefault(invoice.invoice_id, invoice)
    paid = [(invoice, paid_under(invoice, key)) for invoice in invoices.values()]
    return tuple(MatchPart(i.reference, i.invoice_id, cents) for i, cents in paid if cents > 0)


def _named_invoices(credit: UnmatchedCredit, ctx: BackOfficeContext) -> list[Invoice]:
    """The invoices of the kenmerken the import named on the line (``several_kenmerken``:
    each), as the index finds them."""
    found = map(ctx.store.find_invoice_by_reference, kenmerken_named(credit))
    return [invoice for invoice in found if invoice is not None]


def _partly_booked(booked: tuple[MatchPart, ...], left_cents: int) -> Refused:
    """409: part of the credit is booked on the only invoices the operator named."""
    booked_cents = sum(part.amount_cents for part in booked)
    return practice_refused(
        "credit_partly_booked",
        kenmerken=", ".join(betalingskenmerk.grouped(part.reference) for part in booked),
        booked_nl=format_euros(booked_cents, "nl"),
        booked_en=format_euros(booked_cents, "en"),
        left_nl=format_euros(left_cents, "nl"),
        left_en=format_euros(left_cents, "en"),
    )


def _as_the_agencys_transfer(
    amount_cents: int, invoices: list[Invoice], day: date
) -> tuple[MatchPart, ...]:
    """A credit matched to a patient of whom a claim waits for the agency's transfer (the
    agency reported it paid, our money not in yet): booked as a match to that claim's
    kenmerk books it, as the agency's transfer, split over the waiting claims by what
    each waits for (more than that is refused after the plan is made, as for a kenmerk).
    When the patient also owes another invoice on the credit's date, the credit may as
    well be the patient's own payment of it: nobody can tell from the patient number,
    so it is refused, nothing booked and the credit kept listed, for the operator to
    match it to a kenmerk (R24: the agency's money counted once, when it reaches us;
    R13: the patient's money lowers what the patient owes; R34)."""
    waiting = [i for i in invoices if _awaited_from_agency(i)]
    waiting_ids = {i.invoice_id for i in waiting}
    if any(owed_on(i, day) > 0 for i in invoices if i.invoice_id not in waiting_ids):
        awaited = sum(map(_awaited_from_agency, waiting))
        raise practice_refused(
            "agency_transfer_or_patients_payment",
            kenmerken=", ".join(betalingskenmerk.grouped(i.reference) for i in waiting),
            awaited_nl=format_euros(awaited, "nl"),
            awaited_en=format_euros(awaited, "en"),
        )
    return split_over(
        amount_cents, [(i.reference, i.invoice_id, _awaited_from_agency(i)) for i in waiting]
    )


def _awaited_from_agency(invoice: Invoice) -> int:
    """What the agency reported collected on a claim it holds and did not transfer yet."""
    return awaited_cents(invoice) if invoice.is_with_collection_agency else 0


def _refuse_more_than_the_agency_collected(
    credit: UnmatchedCredit, parts: tuple[MatchPart, ...], ctx: BackOfficeContext
) -> None:
    """A part for a claim the agency reported paid and did not transfer all of yet is the
    agency's transfer (payments/remittance.py); one of more than the agency still has to
    transfer is refused now, before the plan is written (R12, R34): refused by the booking
    after it, the credit would stay planned to the claim with nothing booked, off the
    unmatched list for good and not to be matched elsewhere. A plan of more of the
    agency's claims than one write books together (``CLAIMS_REMITTED_TOGETHER``) is
    refused now as well: its booking would fail whole, on every retry (R34, R28). A part
    booked already (``_booked_already``) is not booked again, so not checked again."""
    the_agencys = 0
    key = payment_id("bank", credit.source_id)
    for part in parts:
        if part.reverses:
            continue
        invoice = _by_reference(part.reference, ctx)
        if key in invoice.applied_payments:
            continue
        awaited = _awaited_from_agency(invoice)
        if 0 < awaited < part.amount_cents:
            raise _remittance_exceeds(RemittanceExceeds(invoice.reference, awaited))
        the_agencys += awaited > 0
    if len(parts) > 1 and the_agencys > CLAIMS_REMITTED_TOGETHER:
        raise _too_many_claims(the_agencys)


def _too_many_claims(claims: int) -> Refused:
    """422: the agency's transfer for more claims than one match books together."""
    return practice_refused(
        "agency_transfer_too_many_claims", claims=claims, limit=CLAIMS_REMITTED_TOGETHER
    )


def _remittance_exceeds(exceeds: RemittanceExceeds) -> Refused:
    """422: the agency's transfer, but more than it told us it collected."""
    return practice_refused(
        "remittance_exceeds_agency_collection",
        kenmerk=betalingskenmerk.grouped(exceeds.reference),
        awaited_nl=format_euros(exceeds.awaited_cents, "nl"),
        awaited_en=format_euros(exceeds.awaited_cents, "en"),
    )


def _reversal(
    credit: UnmatchedCredit, target: MatchTarget, ctx: BackOfficeContext
) -> tuple[MatchPart, ...]:
    """The bank payment a return undoes, on the invoice the operator names: one with
    exactly the return's amount left if there is one, else one with more; the latest.
    The return of a credit split over several invoices, named by one of them, undoes
    every part (``_split_credit_returned``)."""
    if not target.reference:
        raise practice_refused("return_needs_kenmerk")
    invoice = _by_reference(target.reference, ctx)
    every_part = _split_credit_returned(credit, invoice, ctx)
    if every_part:
        return every_part
    amount = credit.amount_cents
    fits = [p for p in bank_payments(invoice) if p.left_cents >= amount]
    if not fits:
        raise practice_refused("no_payment_to_reverse")
    exact = [p for p in fits if p.left_cents == amount]
    payment = (exact or fits)[-1]
    return (MatchPart(invoice.reference, invoice.invoice_id, amount, reverses=payment.source_id),)


def _split_credit_returned(
    credit: UnmatchedCredit, invoice: Invoice, ctx: BackOfficeContext
) -> tuple[MatchPart, ...]:
    """A return the import listed (return_not_bookable) whose transfer id traces a credit
    split over several invoices, ``invoice`` one of them: one part per part of that
    credit, each undoing it, when every part can be undone whole (R12: all or none, as
    the import books it). The import lists such a return when it comes in before every
    part is booked (a run stopped between them, retried after the return); once they
    are, only a match books it. () when it traces no such credit, or another amount."""
    for transfer_id in credit.transfer_ids:
        link = ctx.links.find_bank_credit(credit.account_iban, transfer_id)
        if link is None or invoice.reference not in {kenmerk for kenmerk, _ in link.parts}:
            continue
        if sum(cents for _, cents in link.parts) != credit.amount_cents:
            return ()  # a part of it came back: which, the operator decides (one payment)
        at = datetime.combine(credit.booking_date, time(0), tzinfo=AMSTERDAM)
        returned = (credit.source_id, credit.amount_cents)
        read = split_return_reads(ctx.store, link.source_id, link.parts, returned, at)
        if read is None:
            raise practice_refused("no_payment_to_reverse")
        return tuple(
            MatchPart(kenmerk, read[kenmerk].invoice_id, cents, reverses=link.source_id)
            for kenmerk, cents in link.parts
        )
    return ()


def _without_spaces(target: MatchTarget) -> MatchTarget:
    """The target as a plan keeps it: a kenmerk as its 14 digits (422 unknown_kenmerk
    when it is none of ours), so "3215 5743 8894 56" asks what "32155743889456" asked."""
    if target.references:
        return MatchTarget(references=tuple(dict.fromkeys(map(_kenmerk, target.references))))
    if not target.reference:
        return target
    return MatchTarget(reference=_kenmerk(target.reference))


def _kenmerk(text: str) -> str:
    try:
        return betalingskenmerk.parse_ours(text)
    except betalingskenmerk.InvalidReference:
        raise practice_refused("unknown_kenmerk") from None


def _by_reference(reference: str, ctx: BackOfficeContext) -> Invoice:
    """The invoice a body names: none with this kenmerk is 422 unknown_kenmerk."""
    invoice = ctx.store.find_invoice_by_reference(_kenmerk(reference))
    if invoice is None:
        raise practice_refused("unknown_kenmerk")
    return invoice


def _patients_invoices(provider_id: str, patient_ref: str, ctx: BackOfficeContext) -> list[Invoice]:
    """Every invoice of the patient with the practice."""
    wanted = InvoiceFilter(patient_ref=patient_ref)
    found: list[Invoice] = []
    after: str | None = None
    while True:
        page, after = ctx.store.list_invoices(provider_id, wanted, limit=100, after=after)
        found += page
        if after is None:
            return found


def _in_payment_order(invoices: list[Invoice], day: date) -> list[Invoice]:
    """legal-nl.md §5, art. 6:43 lid 2 BW: a payment for no invoice in particular goes to
    the claims due (opeisbaar) on its ``day`` first, the one due longest first; then to
    the others, the one due soonest first. An invoice is due from the day after the date
    the patient must pay it by: its final payment date as a deferral moved it (R14), or,
    during an arrangement, the due date of its first term still open (R15). The same
    date: the oldest issued first."""

    def pay_by(invoice: Invoice) -> date:
        term = next_term(invoice)  # None without a running arrangement
        return term.due_date if term is not None else invoice.current_final_payment_date

    def order(invoice: Invoice) -> tuple[bool, date, date, str]:
        by = pay_by(invoice)
        return (by >= day, by, invoice.issue_date, invoice.reference)

    return sorted(invoices, key=order)


def _book_the_agencys_parts_together(
    credit: UnmatchedCredit, match: CreditMatch, ctx: BackOfficeContext
) -> bool:
    """A plan of several parts: those that are the agency's transfer (a claim it
    reported paid), booked in one transaction on the claims as they are now, or none of
    them and RemittanceExceeds (payments/remittance.py). A part refused after another
    was booked would leave that one booked and the rest of the credit on no invoice and
    off the unmatched list, every retry refused again (R34, R12; audit RETRIES4-3).
    Whether it ran: then the parts it did not book are ordinary payments."""
    if len(match.parts) < 2 or credit.is_return:
        return False
    payments = [
        (_by_reference(part.reference, ctx), _payment(credit, part)) for part in match.parts
    ]
    book_remittances_together(ctx.store, payments, ctx.clock)
    return True


def _withdraw_when_nothing_booked(
    credit: UnmatchedCredit, match: CreditMatch, ctx: BackOfficeContext
) -> None:
    """A plan refused after it was written, of which no part is in its invoice's ledger
    (each read as stored now): withdrawn, the credit listed again (R34, R12), on condition
    that none of those invoices moved on since the read (R28): a retry booking the plan
    meanwhile keeps it. One with a part booked is kept: listed again, the credit could be
    booked a second time. A part's invoice no longer found is 422 unknown_kenmerk here.

    Except a part booked on an invoice the line names (``booked_only_where_named``, as
    migration 8 decides): every later match keeps it as booked (``_booked_already``).
    Kept planned, the rest of it stayed on no invoice and off the list, every retry
    refused (R12, R34; brief refund51)."""
    assert credit.match == match

    def as_stored(reference: str) -> Invoice:
        return reread(ctx.store, _by_reference(reference, ctx))  # none: unknown_kenmerk

    read = plan_as_stored(credit, as_stored)
    if booked_only_where_named(credit, read, ctx.store.find_invoice_by_reference):
        unchanged = [invoice for invoice, _ in read if invoice is not None]
        ctx.links.withdraw_credit_match(credit.credit_id, match, unchanged)


def _payment(credit: UnmatchedCredit, part: MatchPart) -> IncomingPayment:
    """The part as a bank payment, under the credit's own id, on the credit's date."""
    received_at = datetime.combine(credit.booking_date, time(0), tzinfo=AMSTERDAM)
    return IncomingPayment("bank", credit.source_id, part.amount_cents, received_at)


def _book(
    credit: UnmatchedCredit, part: MatchPart, ctx: BackOfficeContext, *, as_the_agencys: bool
) -> None:
    received_at = datetime.combine(credit.booking_date, time(0), tzinfo=AMSTERDAM)
    if part.reverses:
        _book_reversal(credit, part, received_at, ctx)
        return
    if credit.reason == REFUND_RETURNED and _refund_returned(credit, part, received_at, ctx):
        return
    payment = _payment(credit, part)
    try:
        book_payment(
            ctx.store,
            part.reference,
            payment,
            clock=ctx.clock,
            delivery=ctx.delivery,
            agency_files=ctx.files,
            as_the_agencys=as_the_agencys,
        )
    except NotFound:
        raise practice_refused("unknown_kenmerk") from None


REFUND_RETURNED = UnmatchedReason.REFUND_RETURNED.value


def _refund_returned(
    credit: UnmatchedCredit, part: MatchPart, received_at: datetime, ctx: BackOfficeContext
) -> bool:
    """Our bank refund that the patient's bank returned, matched to the invoice it paid
    back from: the refund undone (payments/returned_refunds.py), not a payment received
    a second time (R13, R24, R27). False when the credit is no refund of that invoice's:
    then it is booked as any credit."""
    # Imported here: a returned refund is rare, and the operator's handler only needs it
    # for one (issue 18 (d)).
    from billing_core.payments.booking import refunded_cents
    from billing_core.payments.returned_refunds import (
        book_refund_returned,
        refund_returned_of,
    )

    invoice = _by_reference(part.reference, ctx)
    refund_id = refund_returned_of(invoice, credit.transfer_ids)
    if refund_id is None or part.amount_cents > refunded_cents(invoice, refund_id):
        return False
    book_refund_returned(
        ctx.store, invoice, refund_id, credit.source_id, part.amount_cents, received_at, ctx.clock
    )
    return True


def _book_reversal(
    credit: UnmatchedCredit, part: MatchPart, received_at: datetime, ctx: BackOfficeContext
) -> None:
    try:
        book_reversal(
            ctx.store,
            part.reference,
            original_source_id=part.reverses,
            reversal_id=credit.source_id,
            amount_cents=part.amount_cents,
            clock=ctx.clock,
            at=received_at,
        )
    except NotFound:
        raise practice_refused("unknown_kenmerk") from None
    except (UnknownPayment, ValueError):  # reversed by another return since the plan
        raise _ReversedMeanwhile() from None


def _remember(credit: UnmatchedCredit, match: CreditMatch, ctx: BackOfficeContext) -> None:
    """A credit booked by the match, on one invoice or split over several, found again
    by the transfer ids the bank's return of it repeats, so the import reverses each
    part (R12)."""
    if credit.is_return:
        return
    remember_credit(
        ctx.links,
        credit.account_iban,
        credit.transfer_ids,
        source_id=credit.source_id,
        parts=tuple((part.reference, part.amount_cents) for part in match.parts),
    )
