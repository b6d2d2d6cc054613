"""Instalment arrangement, betalingsregeling (R15): fee, 2-12 monthly terms of at least
€ 25,00, the schedule, and a term missed by more than 14 days."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from billing_core.changes.arrangement import (
    add_months,
    arrangement_refusal,
    arrangement_status,
    create_arrangement,
    first_due_date,
    max_terms,
    missed_term,
    next_term,
    review_arrangement,
    schedule,
)
from billing_core.invoices.allocation import allocate
from billing_core.invoices.invoice import (
    ArrangementStatus,
    ArrangementTerm,
    Channel,
    CoveredInvoice,
    Deferral,
    DunningStage,
    Reminder,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry, balance
from billing_core.payments.booking import IncomingPayment, apply_payment, apply_reversal
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import Refused, StateConflict
from tests.unit.factories import make_invoice, make_line, make_provider

NOW = datetime(2026, 11, 25, 20, 15, tzinfo=AMSTERDAM)


def invoice_of(cents: int, **changes):
    """An invoice of ``cents`` due, final payment date 23 December 2026."""
    return make_invoice(lines=(make_line(unit_price_cents=cents),), **changes)


def pay(invoice, cents: int, on: date, source_id: str):
    moment = datetime.combine(on, datetime.min.time(), tzinfo=AMSTERDAM).replace(hour=12)
    return apply_payment(invoice, IncomingPayment("bank", source_id, cents, moment))


# --- the schedule --------------------------------------------------------------------------------


def test_three_terms_of_three_hundred_euros_and_the_fee():
    # Given € 300,00 due, final payment date 23 December, the default fee of € 10,00
    invoice = invoice_of(30000)
    # When the patient asks on 25 November for 3 terms
    arranged = create_arrangement(invoice, make_provider(), 3, NOW)
    # Then € 310,00 is split in three, the last term takes the odd cent, and the first
    # term is not before the final payment date
    arrangement = arranged.arrangement
    assert arrangement.terms == (
        ArrangementTerm(date(2026, 12, 23), 10333),
        ArrangementTerm(date(2027, 1, 23), 10333),
        ArrangementTerm(date(2027, 2, 23), 10334),
    )
    assert arrangement.fee_cents == 1000 and arrangement.total_cents == 31000
    assert arrangement.status is ArrangementStatus.ACTIVE and arrangement.created_at == NOW
    # And the fee is a ledger entry on the costs (R27), so the balance is the terms' total
    assert arranged.ledger[-1] == LedgerEntry(
        EntryKind.FEE, Component.COSTS, 1000, NOW, "patient:arrangement", "arrangement fee, 3 terms"
    )
    assert arranged.amount_due_cents == arrangement.total_cents


def test_the_fee_is_paid_first_and_never_raises_the_principal():
    # The first term pays the fee before the principal (costs -> interest -> principal),
    # and interest and BIK, computed over the principal, do not grow by the fee.
    arranged = create_arrangement(invoice_of(30000), make_provider(), 3, NOW)
    assert balance(arranged.ledger, Component.PRINCIPAL) == 30000
    split = allocate(10333, balance(arranged.ledger, Component.COSTS), 0, 30000)
    assert (split.to_costs, split.to_principal) == (1000, 9333)


def test_a_provider_without_a_fee_books_no_fee():
    arranged = create_arrangement(invoice_of(30000), make_provider(arrangement_fee_cents=0), 2, NOW)
    assert arranged.ledger == invoice_of(30000).ledger
    assert [t.amount_cents for t in arranged.arrangement.terms] == [15000, 15000]


@pytest.mark.parametrize(
    "today, final, first",
    [
        # asked early: the first term is the final payment date, never earlier
        (date(2026, 11, 25), date(2026, 12, 23), date(2026, 12, 23)),
        # asked shortly before the final date: 14 days to arrange the transfer
        (date(2026, 12, 20), date(2026, 12, 23), date(2027, 1, 3)),
        # asked when already overdue
        (date(2027, 1, 10), date(2026, 12, 23), date(2027, 1, 24)),
    ],
)
def test_the_first_term(today, final, first):
    assert first_due_date(invoice_of(30000, final_payment_date=final), today) == first


def test_the_first_term_follows_a_deferral():
    deferred = invoice_of(30000, deferral=Deferral(NOW, date(2027, 1, 22)))
    assert first_due_date(deferred, date(2026, 12, 1)) == date(2027, 1, 22)


def _reminded(sent_on, received_on, final_date, **changes):
    letter = Reminder(
        letter_id="letter-1",
        sent_on=sent_on,
        channel=Channel.PAPER,
        received_on=received_on,
        final_date=final_date,
        covers=(CoveredInvoice("inv-1", "12234534622567", 30000, 4000),),
        **changes,
    )
    return invoice_of(30000, final_payment_date=date(2026, 12, 23), reminder=letter)


@pytest.mark.parametrize(
    "today, first",
    [
        # a paper reminder posted on Thursday 31 December is received on Tuesday 5 January
        # and asks payment by 19 January: asked the day it was posted, or on 2 January,
        # 14 days would end before that date (audit REQUESTS4)
        (date(2026, 12, 31), date(2027, 1, 19)),
        (date(2027, 1, 2), date(2027, 1, 19)),
        # asked later in the term, 14 days end after the reminder's date: they count
        (date(2027, 1, 10), date(2027, 1, 24)),
    ],
)
def test_the_first_term_is_never_before_the_reminders_final_date(today, first):
    """R15, changes/arrangement.py: asking for instalments never makes the first payment
    earlier than paying everything at once: in the reminder's term that is the
    reminder's final date (legal-nl.md §2), which the checker names as the date that
    counts. Given a paper reminder whose term ends on 19 January 2027, When the patient
    asks for an arrangement in its term, Then the first term is not before 19 January."""
    reminded = _reminded(date(2026, 12, 31), date(2027, 1, 5), date(2027, 1, 19))
    assert first_due_date(reminded, today) == first


def test_an_undelivered_reminders_date_does_not_count_for_the_first_term():
    """legal-nl.md §2, R7: a reminder that never arrived (a Permanent bounce) sets no date:
    the first term is 14 days after the request, as without one."""
    bounced = _reminded(date(2026, 12, 31), date(2026, 12, 31), date(2027, 1, 14), undelivered=True)
    assert first_due_date(bounced, date(2026, 12, 31)) == date(2027, 1, 14)


@pytest.mark.parametrize(
    "today, first",
    [
        # asked early in the hold: its last day, not 14 days after the request
        (date(2027, 1, 6), date(2027, 2, 28)),
        # asked late in the hold: 14 days after the request, as without one
        (date(2027, 2, 20), date(2027, 3, 6)),
        # asked after the hold ended: it sets no date
        (date(2027, 3, 1), date(2027, 3, 15)),
    ],
)
def test_the_first_term_is_never_before_the_end_of_the_practices_hold(today, first):
    """R15, R16 (audit plans57): while the practice holds the invoice, dunning waits for the
    hold's last day and the checker asks to pay everything by it, so asking for instalments
    must not make the first payment earlier. Given a reminder whose term ends on 14 January
    2027 and a hold until 28 February, When the patient asks for an arrangement, Then the
    first term is not before 28 February while the hold runs (before: 20 January, 39 days
    before the date the checker named)."""
    reminded = _reminded(date(2026, 12, 31), date(2026, 12, 31), date(2027, 1, 14))
    held = replace(reminded, hold_until=date(2027, 2, 28), hold_days_used=55)
    assert first_due_date(held, today) == first


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 12, 23), 1, date(2027, 1, 23)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2027, 1, 31), 2, date(2027, 3, 31)),  # from the first date, not chained
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 11, 30), 11, date(2027, 10, 30)),
        (date(2026, 12, 1), 0, date(2026, 12, 1)),
    ],
)
def test_monthly_dates(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize("total, terms", [(31000, 3), (5000, 2), (30001, 12), (2500 * 12 + 11, 12)])
def test_the_terms_add_up_to_the_total_and_only_the_last_differs(total, terms):
    plan = schedule(total, terms, date(2027, 1, 31))
    amounts = [t.amount_cents for t in plan]
    assert sum(amounts) == total and len(plan) == terms
    assert len(set(amounts[:-1])) <= 1 and 0 <= amounts[-1] - amounts[0] < terms


# --- when it is refused ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "due, terms, changes, code",
    [
        (30000, 3, {}, None),
        (30000, 12, {}, None),  # € 310,00 / 12 = € 25,83
        (30000, 13, {}, "terms_out_of_range"),
        (30000, 1, {}, "terms_out_of_range"),
        (20000, 12, {}, "term_too_small"),  # € 210,00 / 12 < € 25,00
        (20000, 8, {}, None),  # € 210,00 / 8 = € 26,25
        (3317, 2, {}, "amount_too_small"),  # € 43,17 cannot make two terms of € 25,00
        (4000, 2, {}, None),  # € 50,00 = two terms of € 25,00
        (
            30000,
            3,
            {"dunning_stage": DunningStage.WITH_COLLECTION_AGENCY},
            "with_collection_agency",
        ),
        (30000, 3, {"dunning_stage": DunningStage.COSTS_CHARGED}, None),
        (30000, 3, {"deferral": Deferral(NOW, date(2027, 1, 22))}, None),
    ],
)
def test_when_an_arrangement_is_refused(due, terms, changes, code):
    invoice = invoice_of(due, **changes)
    assert arrangement_refusal(invoice, make_provider(), terms) == code


@pytest.mark.parametrize(
    "changes, today, points_to_a_deferral",
    [
        ({}, NOW, True),
        ({"deferral": Deferral(NOW, date(2027, 1, 22))}, NOW, False),  # already_deferred
        ({}, datetime(2027, 1, 23, 10, 0, tzinfo=AMSTERDAM), False),  # deferral_too_late
    ],
)
def test_r14_r15_too_small_for_instalments_points_to_a_deferral_only_when_one_is_possible(
    changes, today, points_to_a_deferral
):
    """R14, R15 (audit59a: "U kunt wel uitstel van betaling vragen" to a patient who had
    the one deferral already, or whose date had passed too long ago, 4 of 4 languages).
    Given € 33,17 due, too small for two terms of € 25,00, deferred already or not
    When the patient asks for 2 terms
    Then the code stays amount_too_small, and every language invites a deferral only
    where the checker would grant one, as a refused deferral invites an arrangement."""
    invoice = invoice_of(3317, **changes)
    with pytest.raises(Refused) as refused:
        create_arrangement(invoice, make_provider(), 2, today)
    assert refused.value.code == "amount_too_small"
    said = {  # language: (too small, the invitation to a deferral)
        "nl": ("te klein voor een betalingsregeling", "uitstel van betaling vragen"),
        "en": ("too small for an instalment arrangement", "ask for a deferral"),
        "pl": ("zbyt niska na plan ratalny", "odroczenie"),
        "ar": ("المبلغ أصغر من أن يُقسَّط", "تأجيل"),
    }
    for language, (too_small, invitation) in said.items():
        message = refused.value.message(language)
        assert too_small in message, (language, message)
        assert (invitation in message) is points_to_a_deferral, (language, message)


def test_not_for_a_paid_invoice_nor_a_second_time():
    invoice = invoice_of(30000)
    assert (
        arrangement_refusal(pay(invoice, 30000, date(2026, 12, 1), "E1"), make_provider()) == "paid"
    )
    arranged = create_arrangement(invoice, make_provider(), 3, NOW)
    with pytest.raises(StateConflict, match="arrangement_exists"):
        create_arrangement(arranged, make_provider(), 3, NOW)


def test_the_providers_minimum_term_decides_how_many_terms():
    assert max_terms(invoice_of(30000), make_provider(arrangement_min_term_cents=5000)) == 6
    with pytest.raises(Refused, match="term_too_small") as refused:
        create_arrangement(
            invoice_of(30000), make_provider(arrangement_min_term_cents=5000), 7, NOW
        )
    assert not isinstance(refused.value, StateConflict)  # a rule (422), not a state (409)


# --- kept or missed --------------------------------------------------------------------------


@pytest.fixture
def arranged():
    """€ 310,00 in terms of 23 Dec, 23 Jan and 23 Feb (103,33 / 103,33 / 103,34)."""
    return create_arrangement(invoice_of(30000), make_provider(), 3, NOW)


def test_terms_paid_on_time_keep_it_running(arranged):
    paid = pay(pay(arranged, 10333, date(2026, 12, 22), "E1"), 10333, date(2027, 1, 23), "E2")
    assert arrangement_status(paid, date(2027, 2, 20)) is ArrangementStatus.ACTIVE


def test_a_term_up_to_14_days_late_is_still_kept(arranged):
    late = pay(arranged, 10333, date(2027, 1, 6), "E1")  # 14 days after 23 Dec
    assert arrangement_status(late, date(2027, 1, 20)) is ArrangementStatus.ACTIVE


def test_a_term_missed_by_more_than_14_days_cancels_it(arranged):
    # Given the first term of 23 December unpaid
    # Then on 6 January (14 days late) it still runs, and on 7 January it is cancelled
    assert arrangement_status(arranged, date(2027, 1, 6)) is ArrangementStatus.ACTIVE
    assert arrangement_status(arranged, date(2027, 1, 7)) is ArrangementStatus.CANCELLED
    assert missed_term(arranged, date(2027, 1, 7)).due_date == date(2026, 12, 23)
    # And the daily run records it (R15: dunning resumes where it stopped)
    at = datetime(2027, 1, 7, 6, 0, tzinfo=AMSTERDAM)
    cancelled = review_arrangement(arranged, date(2027, 1, 7), at)
    assert cancelled.arrangement.status is ArrangementStatus.CANCELLED
    assert cancelled.arrangement.cancelled_at == at
    # And a late payment afterwards does not revive it
    assert arrangement_status(pay(cancelled, 31000, date(2027, 1, 8), "E9"), date(2027, 1, 9)) is (
        ArrangementStatus.CANCELLED
    )


def test_a_payment_after_the_grace_period_does_not_save_the_term(arranged):
    too_late = pay(arranged, 10333, date(2027, 1, 7), "E1")
    assert arrangement_status(too_late, date(2027, 1, 7)) is ArrangementStatus.CANCELLED


def test_paying_less_than_the_term_misses_it(arranged):
    short = pay(arranged, 10000, date(2026, 12, 20), "E1")
    assert arrangement_status(short, date(2027, 1, 7)) is ArrangementStatus.CANCELLED


def test_paying_ahead_covers_later_terms(arranged):
    ahead = pay(arranged, 20666, date(2026, 12, 20), "E1")
    assert arrangement_status(ahead, date(2027, 2, 7)) is ArrangementStatus.ACTIVE


def test_a_returned_payment_no_longer_counts(arranged):
    paid = pay(arranged, 10333, date(2026, 12, 20), "E1")
    at = datetime(2026, 12, 28, 9, 0, tzinfo=AMSTERDAM)
    returned = apply_reversal(paid, "E1", "R1", 10333, at)
    assert arrangement_status(returned, date(2027, 1, 7)) is ArrangementStatus.CANCELLED


def test_a_transfer_dated_before_the_request_but_booked_after_counts(arranged):
    # The patient transferred the morning of the request; the statement came a day later
    early = pay(arranged, 10333, date(2026, 11, 25), "E1")
    assert arrangement_status(early, date(2027, 1, 7)) is ArrangementStatus.ACTIVE


def test_coulance_by_the_provider_counts_as_settled(arranged):
    at = datetime(2026, 12, 10, 9, 0, tzinfo=AMSTERDAM)
    eased = arranged.with_entry(
        LedgerEntry(EntryKind.COULANCE, Component.PRINCIPAL, -10333, at, "provider:anna")
    )
    assert arrangement_status(eased, date(2027, 1, 7)) is ArrangementStatus.ACTIVE


def test_everything_paid_completes_it(arranged):
    done = pay(arranged, 31000, date(2026, 12, 1), "E1")
    assert done.arrangement.status is ArrangementStatus.COMPLETED
    assert arrangement_status(done, date(2027, 6, 1)) is ArrangementStatus.COMPLETED


def test_review_changes_nothing_while_it_runs(arranged):
    assert review_arrangement(arranged, date(2026, 12, 1), NOW) is arranged


def test_no_arrangement_no_status():
    assert arrangement_status(invoice_of(30000), date(2027, 1, 1)) is None
    assert review_arrangement(invoice_of(30000), date(2027, 1, 1), NOW) == invoice_of(30000)


def test_the_next_term_is_what_is_left_of_the_first_unsettled_one(arranged):
    assert next_term(arranged) == ArrangementTerm(date(2026, 12, 23), 10333)
    part = pay(arranged, 12000, date(2026, 12, 20), "E1")
    assert next_term(part) == ArrangementTerm(date(2027, 1, 23), 8666)
    assert next_term(pay(part, 19000, date(2026, 12, 21), "E2")) is None


def test_r15_r12_a_payment_returned_after_the_last_terms_grace_does_not_pause_dunning_for_ever(
    arranged,
):
    """Given the € 310,00 arrangement paid in full on 1 December (completed), and the bank
    returning that transfer on 20 March 2027, after the last term's 14 days (9 March)
    When the daily run looks at the invoice on 21 March
    Then the returned money kept no term: the arrangement is cancelled and dunning resumes
    (R15: "a term missed by more than 14 days cancels the arrangement and dunning resumes";
    R12: returned transfers are reversed). Before, the return reopened the arrangement as
    active, no term counted as missed, and the run paused dunning for good (audit plans D1:
    € 310,00 open on 30 August, no reminder, the checker showing a term of 23 December)."""
    from billing_core.dunning.policy import DunningPolicy
    from billing_core.dunning.timeline import Step, plan
    from billing_core.invoices.invoice import InvoiceStatus

    done = pay(replace(arranged, status=InvoiceStatus.SENT), 31000, date(2026, 12, 1), "E1")
    returned_at = datetime(2027, 3, 20, 9, 0, tzinfo=AMSTERDAM)
    returned = apply_reversal(done, "E1", "R1", 31000, returned_at)
    assert returned.arrangement.status is ArrangementStatus.ACTIVE  # reopened by the return
    assert arrangement_status(returned, date(2027, 3, 21)) is ArrangementStatus.CANCELLED
    reviewed = review_arrangement(returned, date(2027, 3, 21), returned_at)
    assert reviewed.arrangement.status is ArrangementStatus.CANCELLED
    assert plan(reviewed, DunningPolicy(), date(2027, 3, 21)).step is Step.REMINDER


def test_r15_a_returned_term_paid_again_before_the_run_keeps_the_arrangement(arranged):
    """Given the first two terms paid on time, the second returned on 10 February (after its
    own 14 days, 6 February) and paid again the next day
    When the run looks on 12 February
    Then the money is in again and no term is missed (R15): the arrangement runs on."""
    first = pay(arranged, 10333, date(2026, 12, 20), "E1")
    second = pay(first, 10333, date(2027, 1, 20), "E2")
    returned = apply_reversal(second, "E2", "R2", 10333, datetime(2027, 2, 10, 9, tzinfo=AMSTERDAM))
    again = pay(returned, 10333, date(2027, 2, 11), "E3")
    assert arrangement_status(again, date(2027, 2, 12)) is ArrangementStatus.ACTIVE
    assert arrangement_status(returned, date(2027, 2, 12)) is ArrangementStatus.CANCELLED


def test_r10_r36_money_paid_before_the_arrangement_and_returned_during_it_is_in_the_first_term():
    """Given € 300,00 due, € 50,00 transferred on 24 November, an arrangement of 3 terms
    asked on 25 November (€ 250,00 and the fee: 86,66 / 86,66 / 86,68), and the bank
    returning the € 50,00 on 1 December
    When the checker lists the terms as they stand (R10, R36) and the run decides whether
    the first term of 23 December was kept (R15, R12)
    Then the list asks of the first term what keeps the arrangement, 86,66 and the returned
    50,00, as the breakdown and iDEAL do (``next_term``); the terms add up to what is due,
    and paying exactly that first term keeps the arrangement, a cent less cancels it.
    Before, the list said 86,66 while the breakdown asked 136,66 (audit plans a11)."""
    from billing_core.changes.arrangement import rest_after_terms, standing_terms

    before = pay(invoice_of(30000), 5000, date(2026, 11, 24), "PRE")
    arranged = create_arrangement(before, make_provider(), 3, NOW)
    at = datetime(2026, 12, 1, 9, 0, tzinfo=AMSTERDAM)
    returned = apply_reversal(arranged, "PRE", "RET", 5000, at)
    first = ArrangementTerm(date(2026, 12, 23), 8666 + 5000)
    assert next_term(returned) == first
    terms = standing_terms(returned)
    assert terms[0] == first
    assert [t.amount_cents for t in terms] == [13666, 8666, 8668]
    assert sum(t.amount_cents for t in terms) == returned.amount_due_cents == 31000
    assert rest_after_terms(returned, date(2026, 12, 2)) is None  # the terms leave nothing
    kept = pay(returned, first.amount_cents, first.due_date, "T1")
    assert arrangement_status(kept, date(2027, 1, 7)) is ArrangementStatus.ACTIVE
    short = pay(returned, first.amount_cents - 1, first.due_date, "T1")
    assert arrangement_status(short, date(2027, 1, 7)) is ArrangementStatus.CANCELLED


@pytest.mark.parametrize(
    "eased_by, open_terms",
    [
        # € 50,00 more paid: € 53,33 of the second term is open, the third whole
        (
            EntryKind.PAYMENT,
            [ArrangementTerm(date(2027, 1, 23), 5333), ArrangementTerm(date(2027, 2, 23), 10334)],
        ),
        # a coulance of € 150,00 settles the second term too: € 56,67 of the third is open
        (EntryKind.COULANCE, [ArrangementTerm(date(2027, 2, 23), 5667)]),
    ],
)
def test_r10_r15_the_checkers_open_terms_ask_what_is_open_of_them(arranged, eased_by, open_terms):
    """R10, R15, R21 (audit59a: after a coulance during the terms the patient API's
    ``arrangement_terms`` asked € 103,34 on 23 February while only € 56,67 was due).
    Given € 300,00 and the € 10,00 fee in 3 terms of 103,33 / 103,33 / 103,34, the first
    paid, and then € 50,00 more paid, or a coulance of € 150,00 by the practice
    When the checker lists the terms as they stand
    Then the settled ones stand as agreed, and each open one asks what ``next_term`` and
    the letters ask of it: the open terms add up to what is due, to the cent."""
    from billing_core.changes.arrangement import standing_terms

    first = pay(arranged, 10333, date(2026, 12, 20), "E1")
    at = datetime(2026, 12, 28, 9, 0, tzinfo=AMSTERDAM)
    if eased_by is EntryKind.PAYMENT:
        eased = pay(first, 5000, at.date(), "E2")
    else:
        entry = LedgerEntry(EntryKind.COULANCE, Component.PRINCIPAL, -15000, at, "provider:anna")
        eased = first.with_entry(entry)

    terms = standing_terms(eased)
    settled = [t for t in arranged.arrangement.terms if t.due_date < open_terms[0].due_date]
    assert terms == (*settled, *open_terms)
    assert terms[len(settled)] == next_term(eased)
    assert sum(t.amount_cents for t in open_terms) == eased.amount_due_cents
