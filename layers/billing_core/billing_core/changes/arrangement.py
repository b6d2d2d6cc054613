"""Instalment arrangement, betalingsregeling (R15).

Decisions, each for a reason:
- What is split: everything due today plus the provider's fee (default € 10,00), in
  2-12 monthly terms of at least the provider's minimum (default € 25,00). All terms are
  equal in whole cents; the last one absorbs the rounding, so the terms add up to the
  total to the cent (after the costs also the cent of interest rounding that no total of
  equal terms leaves exactly: ``covering_schedule``).
- Once costs were charged, "everything due" includes the statutory interest accrued up
  to the request and the interest that keeps accruing while the terms run (R20:
  "Interest keeps accruing while a claim is open"): the total is the one that leaves
  nothing open when every term is paid on its due date, found by booking the terms as
  payments on those days (costs -> interest -> principal, legal-nl.md §5). A patient who
  pays every term on time has then paid the claim (R15); one who pays earlier pays a
  little less interest and gets the difference back as a credit (R13).
- First term: 14 days after the request, but never before the current final payment
  date, nor in a reminder's term before the reminder's final date, nor during the
  practice's hold before its last day. Fourteen days leave time to arrange a transfer (the same term a reminder
  gives); asking for instalments must never make the first payment earlier than paying
  everything at once would have been. Later terms fall on the same day of each next
  month (the 31st becomes the last day of a shorter month).
- The fee is a ledger entry FEE on the COSTS component. Allocation then takes it first
  (costs -> interest -> principal, art. 6:44 BW), so the first term pays the fee and the
  fee can never be the last few euros left open. Above all, it stays out of the
  principal: statutory interest and the BIK staffel (legal-nl.md §3, §4) are computed
  over the principal only, and a fee must not earn interest or raise collection costs.
- One arrangement per invoice. A cancelled one is not replaced by a new one: otherwise
  every missed term would buy another pause of the dunning run.
- A term is kept when, by the end of the 14th day after its due date, the patient has
  settled at least the sum of the terms up to it since the arrangement began (payments,
  less reversals, plus coulance or a stop by the provider). A term missed by more than
  14 days cancels the arrangement and dunning resumes where it stopped.
- A term paid late, but within those 14 days, costs interest the terms did not count on:
  when every term is settled something can still be open. The arrangement was kept, so
  that rest is no missed term and does not resume dunning: it is one more term of the
  arrangement (``rest_term``), due 14 days after the day the terms were settled (the
  time the first term gives to arrange a transfer), or later: what an insurer's retour
  raised during the arrangement is in that rest too, and it is not due before its own
  final payment date (the retour's day plus the payment term, legal-nl.md §7); the terms
  stay as agreed, so the raise cancels nothing. Dunning stays paused, the checker and
  the "payment received" e-mail name it as the next term, and only missing it by more
  than 14 days too cancels the arrangement, as any term (R15).
- The payment date decides (legal-nl.md §2): a term paid in its 14 days but read after
  the run cancelled the arrangement was kept. Booking it puts the arrangement back
  (``kept_after_all``); payments/booking.py takes back what the cancellation set going.
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING

from billing_core.changes.coulance import awaits_coulance_decision, awaits_insurer_statement
from billing_core.changes.refusals import closed_refusal
from billing_core.dunning.interest import accrued_interest
from billing_core.invoices.invoice import (
    Arrangement,
    ArrangementStatus,
    ArrangementTerm,
    Invoice,
)
from billing_core.invoices.ledger import (
    PAID_OR_FORGIVEN,
    Component,
    EntryKind,
    LedgerEntry,
    balance,
    paid_or_forgiven,
)
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.shared.clock import AMSTERDAM, amsterdam_day
from billing_core.shared.errors import refused_as
from billing_core.texts.catalogue import by_channel

if TYPE_CHECKING:
    # Annotations only: the PSP webhook books arrangement terms without building the
    # provider's models (issue 11 item 5).
    from billing_core.providers.provider import Provider

MIN_TERMS = 2
MAX_TERMS = 12
FIRST_TERM_AFTER_DAYS = 14
MISSED_AFTER_DAYS = 14  # a term unpaid this many days after its due date is missed
# A kept arrangement's rest (``rest_term``) is due this many days after its terms were
# settled: the time the first term gives to arrange a transfer.
REST_DUE_AFTER_DAYS = FIRST_TERM_AFTER_DAYS
# Each round of the search for the total moves it by the interest its last change made;
# rounding to the cent can leave it a cent either side, so a few rounds settle it.
TOTAL_ROUNDS = 8
FEE_CAUSE = "patient:arrangement"
TOO_SMALL = "amount_too_small"  # the refusal of an amount too small for two terms


# --- can it be done, and how -----------------------------------------------------------------


def arrangement_total(invoice: Invoice, provider: Provider) -> int:
    """The least the terms add up to: the ledger's balance and the fee. Interest makes
    the terms only larger, so this is enough to check the provider's minimum term."""
    return invoice.amount_due_cents + provider.arrangement_fee_cents


def max_terms(invoice: Invoice, provider: Provider) -> int:
    """The most terms this invoice allows with the provider's minimum term amount."""
    total = arrangement_total(invoice, provider)
    return min(MAX_TERMS, total // provider.arrangement_min_term_cents)


def arrangement_refusal(
    invoice: Invoice, provider: Provider, terms: int | None = None
) -> str | None:
    """Why no arrangement (of ``terms`` terms, or of any number), or None when it can be."""
    if refusal := closed_refusal(invoice):
        return refusal
    if invoice.arrangement is not None:
        return "arrangement_exists"
    if awaits_insurer_statement(invoice, provider):  # legal-nl.md §7: claim it first
        return "awaits_insurer_statement"
    if awaits_coulance_decision(invoice, provider):  # not on the amount about to be lowered
        return "awaits_coulance_decision"
    if max_terms(invoice, provider) < MIN_TERMS:
        return TOO_SMALL
    if terms is None:
        return None
    if not MIN_TERMS <= terms <= MAX_TERMS:
        return "terms_out_of_range"
    if terms > max_terms(invoice, provider):
        return "term_too_small"
    return None


def first_due_date(invoice: Invoice, today: date) -> date:
    """14 days after the request, never before the date paying at once is due: the current
    final payment date, or in a reminder's term the reminder's final date, which a paper
    letter (received days after posting) or the Algemene termijnenwet can put more than
    14 days after the request (legal-nl.md §2; audit REQUESTS4). A reminder that never
    arrived sets no date. While the practice holds the invoice, the hold's last day: dunning
    waits for it, and the checker and the objection's acknowledgement ask to pay by it
    (R16, dunning/breakdown.date_that_counts; audit plans57)."""
    dates = [today + timedelta(days=FIRST_TERM_AFTER_DAYS), invoice.current_final_payment_date]
    reminder = invoice.reminder
    if reminder is not None and not reminder.undelivered:
        dates.append(reminder.final_date)
    if invoice.hold_until is not None and invoice.is_on_hold(today):
        dates.append(invoice.hold_until)
    return max(dates)


def schedule(total_cents: int, terms: int, first_due: date) -> tuple[ArrangementTerm, ...]:
    """Equal monthly terms in whole cents; the last absorbs the rounding."""
    if terms < 1 or total_cents < terms:
        raise ValueError("every term must be at least a cent")
    regular = total_cents // terms
    last = total_cents - regular * (terms - 1)
    amounts = [regular] * (terms - 1) + [last]
    return tuple(
        ArrangementTerm(add_months(first_due, month), amount)
        for month, amount in enumerate(amounts)
    )


def covering_schedule(invoice: Invoice, terms: int, first_due: date) -> tuple[ArrangementTerm, ...]:
    """The terms that leave nothing open of ``invoice`` (its fee booked) when each is paid
    on its due date: the statutory interest accrued by then included (R15, R20).

    Found by booking the terms as payments and raising (or lowering) the total by what
    that leaves open (or over); of the totals tried, the smallest that leaves nothing open.
    When none leaves exactly nothing (a cent more makes every term a cent larger, and the
    earlier principal earns a cent less interest), the rest cent goes to the last term of
    the closest plan that left it open: the terms then add up to the claim to the cent
    (R15), where the larger total had the patient pay a cent too much, refunded (R13).
    """
    total = invoice.amount_due_cents
    covering: dict[int, tuple[ArrangementTerm, ...]] = {}
    short: dict[int, tuple[ArrangementTerm, ...]] = {}  # the last term raised by the rest
    for _ in range(TOTAL_ROUNDS):
        plan = schedule(total, terms, first_due)
        left_open = _left_open_after(invoice, plan)
        if left_open == 0:
            return plan
        if left_open < 0:
            covering[total] = plan
        else:
            short[total] = _last_term_raised(plan, left_open)
        total += left_open
    if short and _left_open_after(invoice, exact := short[max(short)]) == 0:
        return exact
    return covering[min(covering)] if covering else schedule(total, terms, first_due)


def _last_term_raised(plan: tuple[ArrangementTerm, ...], cents: int) -> tuple[ArrangementTerm, ...]:
    """``plan`` with its last term ``cents`` larger: paid last, it changes no interest the
    earlier terms pay, so it pays exactly what they left open."""
    last = plan[-1]
    return (*plan[:-1], ArrangementTerm(last.due_date, last.amount_cents + cents))


def _left_open_after(invoice: Invoice, terms: tuple[ArrangementTerm, ...]) -> int:
    """What is still open (negative: paid too much) once every term is paid on its day."""
    for number, term in enumerate(terms):
        at = datetime.combine(term.due_date, time(12, 0), tzinfo=AMSTERDAM)
        payment = IncomingPayment("psp", f"term-{number}", term.amount_cents, at)
        invoice = apply_payment(
            invoice, payment, interest_cents=accrued_interest(invoice, term.due_date)
        )
    return invoice.balance_cents


def add_months(day: date, months: int) -> date:
    """Same day of the month, ``months`` later; clipped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def create_arrangement(invoice: Invoice, provider: Provider, terms: int, now: datetime) -> Invoice:
    """The invoice with an arrangement and its fee booked; errors.Refused when not allowed."""
    code = arrangement_refusal(invoice, provider, terms)
    if code:  # "the adjusted amount comes by e-mail" or "by post" (R7)
        said_as = _said_as(invoice, provider, now) if code == TOO_SMALL else {}
        raise refused_as(said_as, code, **by_channel(invoice.follow_up_channel))
    fee = provider.arrangement_fee_cents
    first_due = first_due_date(invoice, now.astimezone(AMSTERDAM).date())
    if fee:
        invoice = invoice.with_entry(
            LedgerEntry(
                EntryKind.FEE,
                Component.COSTS,
                fee,
                now,
                FEE_CAUSE,
                f"arrangement fee, {terms} terms",
            )
        )
    arrangement = Arrangement(
        created_at=now,
        terms=covering_schedule(invoice, terms, first_due),
        fee_cents=fee,
        ledger_start=len(invoice.ledger),
    )
    return invoice.with_arrangement(arrangement)


def _said_as(invoice: Invoice, provider: Provider, now: datetime) -> dict[str, str]:
    """R14, R15: "too small" points to a deferral only when the checker would grant one
    (not to a patient who had the one deferral already, nor when it gives no time), as a
    refused deferral points to an arrangement (changes/deferral._said_as; audit59a)."""
    # changes.deferral imports this module: imported here, on the path of a refusal.
    from billing_core.changes.deferral import deferral_refusal

    if deferral_refusal(invoice, provider, now.astimezone(AMSTERDAM).date()) is None:
        return {}
    return {TOO_SMALL: f"{TOO_SMALL}_no_deferral"}


# --- is it kept --------------------------------------------------------------------------------


def settled_since_start(invoice: Invoice, up_to: date) -> int:
    """What the patient settled after the arrangement began, up to and including ``up_to``:
    paid, or forgiven by the practice (``paid_or_forgiven``).

    Counted from the arrangement's place in the (append-only) ledger, not from its
    time: a bank transfer made the morning of the request but read from the statement
    the next day was not in the amount split into terms, so it counts for the terms.
    """
    arrangement = invoice.arrangement
    if arrangement is None:
        return 0
    since_start = invoice.ledger[arrangement.ledger_start :]
    return paid_or_forgiven(entry for entry in since_start if amsterdam_day(entry.at) <= up_to)


def missed_term(invoice: Invoice, as_of: date) -> ArrangementTerm | None:
    """The first term missed by more than MISSED_AFTER_DAYS days on ``as_of``, if any: one
    of the arrangement's, or the rest its terms left open (``rest_term``)."""
    missed = _missed_instalment(invoice, as_of)
    return missed if missed is not None else _missed_rest(invoice, as_of)


def _missed_instalment(invoice: Invoice, as_of: date) -> ArrangementTerm | None:
    arrangement = invoice.arrangement
    if arrangement is None:
        return None
    amounts = (term.amount_cents for term in arrangement.terms)
    for term, required in zip(arrangement.terms, accumulate(amounts), strict=True):
        deadline = term.due_date + timedelta(days=MISSED_AFTER_DAYS)
        if as_of <= deadline:
            continue
        settled = settled_since_start(invoice, deadline) + _returned_since(invoice, deadline, as_of)
        if settled < required:
            return term
    return None


def _returned_since(invoice: Invoice, deadline: date, as_of: date) -> int:
    """What of the patient's money came back after ``deadline`` (up to ``as_of``) and was
    not paid again since: 0 or less. A term kept on its deadline by a transfer the bank
    returned later was not kept after all (R12, R15): without this, a return after the
    last term's 14 days left the arrangement running, and dunning paused, for good (audit
    plans D1). Only the patient's money counts: an operator's correction of a stop asks
    the forgiven money with a new payment term of its own (changes/correction.py)."""
    assert invoice.arrangement is not None
    since_start = invoice.ledger[invoice.arrangement.ledger_start :]
    later = (e for e in since_start if deadline < amsterdam_day(e.at) <= as_of)
    net = -sum(e.amount_cents for e in later if e.kind in _TERM_MONEY)
    return min(net, 0)


_TERM_MONEY = (EntryKind.PAYMENT, EntryKind.REVERSAL)  # paid, and returned by the bank (R12)


def _missed_rest(invoice: Invoice, as_of: date) -> ArrangementTerm | None:
    """The rest of a kept arrangement (``rest_term``) still open at the end of the 14th
    day after it was due, by the entries dated up to then (the payment date decides)."""
    settled_on = terms_settled_on(invoice)
    if settled_on is None:
        return None
    due = _rest_due(invoice, settled_on)
    deadline = due + timedelta(days=MISSED_AFTER_DAYS)
    open_then = balance(e for e in invoice.ledger if amsterdam_day(e.at) <= deadline)
    return ArrangementTerm(due, open_then) if as_of > deadline and open_then > 0 else None


def next_term(invoice: Invoice) -> ArrangementTerm | None:
    """The first term not yet fully settled, with what is still open of it, or the rest
    the settled terms left open (None when there is no running arrangement or everything
    is paid). Never more than the invoice asks by that term's date: an insurer's retour
    that granted more during the terms lowered the claim, not the agreed terms (R15, R5)."""
    arrangement = invoice.arrangement
    if arrangement is None or not arrangement.is_active:
        return None
    settled = settled_since_start(invoice, date.max)
    amounts = (term.amount_cents for term in arrangement.terms)
    for term, required in zip(arrangement.terms, accumulate(amounts), strict=True):
        if settled < required:
            amount = _asked_up_to(invoice, term.due_date, required, settled) - settled
            return ArrangementTerm(term.due_date, amount) if amount > 0 else None
    return rest_term(invoice)


def standing_terms(invoice: Invoice) -> tuple[ArrangementTerm, ...]:
    """The agreed terms as they stand: each settled one as agreed, each open one with what
    ``next_term`` asks of it when it comes (its part of what the invoice asks by its date,
    less what was settled of it: a payment, or the practice's coulance or stop, R21),
    and none that a lowered claim leaves nothing to ask. The list the checker shows, so it
    names the amounts the dunning run and the letters ask (R15, R36); the agreed terms
    themselves stay as they were (the arrangement's confirmation names them).

    Money paid before the arrangement and returned during it (R12) puts the settled sum
    below nothing: the first open term asks it back, as ``next_term`` does and as the
    run requires to keep that term (``_missed_instalment``), so the list, the breakdown
    and iDEAL name one amount (R10, R36; audit plans a11)."""
    arrangement = invoice.arrangement
    if arrangement is None:
        return ()
    settled = settled_since_start(invoice, date.max)
    standing: list[ArrangementTerm] = []
    asked_before = _returned_before_terms(settled)
    amounts = (term.amount_cents for term in arrangement.terms)
    for term, required in zip(arrangement.terms, accumulate(amounts), strict=True):
        asked = _asked_up_to(invoice, term.due_date, required, settled)
        # An open term settled in part (a payment, the practice's coulance) asks the rest,
        # as ``next_term``: the open terms add up to what is due (audit59a).
        start = asked_before if required <= settled else max(asked_before, settled)
        if asked > start:
            standing.append(ArrangementTerm(term.due_date, asked - start))
            asked_before = asked
    return tuple(standing)


def _returned_before_terms(settled: int) -> int:
    """0, or the negative sum settled since the arrangement began: money paid before it
    and returned during it, which the first open term asks back (``standing_terms``)."""
    return min(settled, 0)


def _asked_up_to(invoice: Invoice, day: date, required: int, settled: int) -> int:
    """What the terms up to one due on ``day`` ask in all: the agreed ``required``, never
    more than what was settled and what the invoice asks by that day. An insurer's retour
    that granted more during the terms lowered the claim, not the agreed terms (R15, R5)."""
    if required <= settled:
        return required  # settled as agreed
    return min(required, settled + invoice.amount_due_cents + accrued_interest(invoice, day))


def rest_term(invoice: Invoice) -> ArrangementTerm | None:
    """What a kept arrangement's settled terms left open (the interest of a term paid
    late within its 14 days), as one more term: due REST_DUE_AFTER_DAYS after the day
    they were settled, with the interest accrued up to then (R15, R20); None while a term
    is open, when one was missed, or when nothing is left."""
    settled_on = terms_settled_on(invoice)
    if settled_on is None or invoice.is_paid:
        return None
    due = _rest_due(invoice, settled_on)
    return ArrangementTerm(due, invoice.amount_due_cents + accrued_interest(invoice, due))


def _rest_due(invoice: Invoice, settled_on: date) -> date:
    """REST_DUE_AFTER_DAYS after the terms were settled, counted from the last term's due
    date when they were settled before it, and never before the current final payment
    date: what a retour raised during the arrangement is in the rest, and it has its own
    payment term (declarations/retour.py, legal-nl.md §7). Counted from the last term at
    the earliest because the letters name the rest's date while the terms run
    (``rest_after_terms``): paying the terms early must not make it earlier (R15)."""
    assert invoice.arrangement is not None
    last_term = invoice.arrangement.terms[-1].due_date
    after = max(settled_on, last_term) + timedelta(days=REST_DUE_AFTER_DAYS)
    return max(after, invoice.current_final_payment_date)


def rest_after_terms(invoice: Invoice, today: date) -> ArrangementTerm | None:
    """The rest term (``rest_term``) a running arrangement's terms leave, as it will be:
    while terms are open, what is left once each is paid on its due date (``today`` for
    one whose date passed), with the interest up to then (R20). What the confirmations
    name beside the next term, so that a raise during the arrangement (an insurer's
    retour) reads as one more term after the agreed ones, not as all due at once (R15).
    None without a running arrangement or when the terms leave nothing.

    The amount holds for terms paid on the days it counts with and is no ceiling: interest
    runs up to the day a payment is received (legal-nl.md §4) and nothing caps it as §2
    caps the BIK, so a term paid later than counted adds the interest of the later days
    to the rest (the arrangement is still kept within the 14 days, R15)."""
    arrangement = invoice.arrangement
    if arrangement is None or not arrangement.is_active:
        return None
    settled = settled_since_start(invoice, date.max)
    required_before = _returned_before_terms(settled)  # the first open term asks it back
    amounts = (term.amount_cents for term in arrangement.terms)
    for number, (term, required) in enumerate(
        zip(arrangement.terms, accumulate(amounts), strict=True)
    ):
        open_part = required - max(settled, required_before)
        required_before = required
        if open_part <= 0:
            continue
        day = max(term.due_date, today)
        at = datetime.combine(day, time(12, 0), tzinfo=AMSTERDAM)
        payment = IncomingPayment("psp", f"rest-of-term-{number}", open_part, at)
        interest = accrued_interest(invoice, day)
        invoice = apply_payment(invoice, payment, interest_cents=interest)
    return rest_term(invoice)


def extra_term(invoice: Invoice, today: date) -> ArrangementTerm | None:
    """The rest the agreed terms leave (``rest_after_terms``) as one more term after them,
    while one of them is still open: what the letters and the checker name beside the
    next term. None once the terms are settled, when the rest is the next term itself
    (``next_term``), and without a rest (R15)."""
    return rest_beside_terms(invoice, rest_after_terms(invoice, today))


def rest_beside_terms(invoice: Invoice, rest: ArrangementTerm | None) -> ArrangementTerm | None:
    """``rest`` (``rest_after_terms``) as the extra term beside the next one while an agreed
    term is open; None once the terms are settled (it is the next term then, R15). For a
    caller that has the rest already: computing it pays the open terms in a copy."""
    return rest if terms_settled_on(invoice) is None else None


def terms_settled_on(invoice: Invoice) -> date | None:
    """The day the patient had settled every term, none of them missed, and has stayed
    settled since; None while a term is open, when one was missed, or without one."""
    arrangement = invoice.arrangement
    if arrangement is None or _missed_instalment(invoice, date.max) is not None:
        return None
    later = invoice.ledger[arrangement.ledger_start :]
    days = sorted({amsterdam_day(entry.at) for entry in later if entry.kind in PAID_OR_FORGIVEN})
    settled_on: date | None = None
    for day in days:
        if settled_since_start(invoice, day) < arrangement.total_cents:
            settled_on = None
        elif settled_on is None:
            settled_on = day
    return settled_on


def terms_due(invoice: Invoice, today: date) -> int:
    """What a payment during a running arrangement asks (issue 12 item 9): the terms due
    by ``today`` that are still open, or the next term when none is due yet; 0 without a
    running arrangement. Paying everything at once stays the patient's choice."""
    arrangement = invoice.arrangement
    upcoming = next_term(invoice)
    if arrangement is None or upcoming is None:
        return 0
    if arrangement_status(invoice, today) is not ArrangementStatus.ACTIVE:
        return 0
    horizon = max(today, upcoming.due_date)
    required = sum(term.amount_cents for term in arrangement.terms if term.due_date <= horizon)
    return max(required - settled_since_start(invoice, date.max), 0)


def arrangement_status(invoice: Invoice, as_of: date) -> ArrangementStatus | None:
    """What the arrangement's status is on ``as_of`` (None without an arrangement)."""
    arrangement = invoice.arrangement
    if arrangement is None or not arrangement.is_active:
        return arrangement.status if arrangement else None
    if invoice.is_paid:
        return ArrangementStatus.COMPLETED
    if missed_term(invoice, as_of) is not None:
        return ArrangementStatus.CANCELLED
    return ArrangementStatus.ACTIVE


def kept_after_all(invoice: Invoice) -> Invoice:
    """The invoice with its cancelled arrangement running again when the ledger now shows
    that no term was missed on the day it was cancelled: a term paid in its 14 days and
    read after the run (legal-nl.md §2: the payment date decides, R15); the same invoice
    otherwise. Paid in full, payments/booking.py completes it."""
    arrangement = invoice.arrangement
    if arrangement is None or arrangement.status is not ArrangementStatus.CANCELLED:
        return invoice
    if arrangement.cancelled_at is None:
        return invoice
    if missed_term(invoice, amsterdam_day(arrangement.cancelled_at)) is not None:
        return invoice
    running = replace(arrangement, status=ArrangementStatus.ACTIVE, cancelled_at=None)
    return invoice.with_arrangement(running)


def review_arrangement(invoice: Invoice, as_of: date, at: datetime) -> Invoice:
    """The invoice with its arrangement completed or cancelled when that is due (the
    daily run calls this); the same invoice when nothing changes. A cancellation is dated
    ``at``, the moment the run of ``as_of`` decides (shared/clock.moment_on): a replay of
    a passed day cancels on that day, so the reminder that follows goes that day (R15,
    R18), not on the day the replay ran."""
    arrangement = invoice.arrangement
    status = arrangement_status(invoice, as_of)
    if arrangement is None or status is None or status is arrangement.status:
        return invoice
    cancelled_at = at if status is ArrangementStatus.CANCELLED else None
    return invoice.with_arrangement(replace(arrangement, status=status, cancelled_at=cancelled_at))
