"""What the checker says beside its state at three stages it was silent on (audit told50):
a refunded overpayment (R13), an arrangement a missed term ended (R15), and a reminder that
never arrived, a Permanent bounce (R7, legal-nl.md §2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from billing_core.correspondence.kinds import INVOICE_LETTER
from billing_core.dunning.breakdown import PayBy, breakdown
from billing_core.dunning.policy import DunningPolicy
from billing_core.invoices.invoice import (
    Arrangement,
    ArrangementStatus,
    ArrangementTerm,
    Channel,
    Correspondence,
    InvoiceStatus,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.services.patient import InvoiceState, NewReminder
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import REMINDED, REMINDER, make_address, make_invoice, make_person
from tests.unit.test_checker_state import view_on


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)


def entry(kind: EntryKind, cents: int, day: date, cause: str = "psp:tr_1") -> LedgerEntry:
    return LedgerEntry(kind, Component.PRINCIPAL, cents, at(day), cause)


def paid_twice_then(*refunds: LedgerEntry):
    """The breakdown of an invoice paid twice in full (the second payment held as credit,
    R13), then the ``refunds`` booked, on 20 December."""
    invoice = make_invoice(status=InvoiceStatus.SENT)
    due = invoice.amount_due_cents
    payments = (entry(EntryKind.PAYMENT, -due, date(2026, 12, 1)),) * 2
    paid = replace(invoice, ledger=(*invoice.ledger, *payments, *refunds))
    return due, breakdown(paid, DunningPolicy(), date(2026, 12, 20))


# --- R13: what was paid back -------------------------------------------------------------


def test_r13_a_refund_is_in_the_breakdown_with_its_day_beside_both_payments():
    # Given an invoice paid twice, the second payment refunded on 3 December
    due, _ = paid_twice_then()
    _, parts = paid_twice_then(entry(EntryKind.REFUND, due, date(2026, 12, 3)))
    # Then the breakdown holds both payments, and the refund of one with its day
    assert (parts.received_cents, parts.refunded_cents) == (2 * due, due)
    assert parts.refunded_on == date(2026, 12, 3)
    # And R10's paid amount stays what the patient paid and kept paid; nothing left over
    assert (parts.paid_cents, parts.credit_cents, parts.due_cents) == (due, 0, 0)


def test_r13_a_refund_that_failed_then_went_by_bank_is_dated_by_the_bank_refund():
    # Given the PSP refund of 3 December failed (its entry undone on 5 December), and the
    # credit was paid back by bank transfer on 10 December
    due, _ = paid_twice_then()
    _, parts = paid_twice_then(
        entry(EntryKind.REFUND, due, date(2026, 12, 3)),
        entry(EntryKind.REFUND, -due, date(2026, 12, 5)),
        entry(EntryKind.REFUND, due, date(2026, 12, 10), cause="bank-refund:RF-1"),
    )
    assert (parts.refunded_cents, parts.refunded_on) == (due, date(2026, 12, 10))


def test_r13_refunds_of_several_days_name_no_one_day_and_none_names_nothing():
    due, _ = paid_twice_then()
    half = due // 2
    _, parts = paid_twice_then(
        entry(EntryKind.REFUND, half, date(2026, 12, 3)),
        entry(EntryKind.REFUND, due - half, date(2026, 12, 10), cause="bank-refund:RF-1"),
    )
    assert (parts.refunded_cents, parts.refunded_on) == (due, None)
    _, unrefunded = paid_twice_then()
    assert (unrefunded.refunded_cents, unrefunded.refunded_on, unrefunded.credit_cents) == (
        0,
        None,
        due,
    )


def test_r13_a_refund_undone_whole_on_its_own_day_names_no_day():
    """R13, R27 (audit refund51b item 4). Given an invoice paid twice, its PSP refund of
    3 December failed at the PSP the same day (booked at 10:00, undone at 15:00)
    Then nothing stands refunded and the breakdown names no day (before: refunded_on
    3 December beside EUR 0,00 refunded in the checker's answer, since refund51 counted
    that day's undoing entry); a part returned that day leaves the rest dated that day."""
    due, _ = paid_twice_then()
    refunded = LedgerEntry(
        EntryKind.REFUND, Component.PRINCIPAL, due, at(date(2026, 12, 3)), "psp:tr_1"
    )
    undone = replace(refunded, amount_cents=-due, at=at(date(2026, 12, 3), 15))
    _, failed = paid_twice_then(refunded, undone)
    assert (failed.refunded_cents, failed.refunded_on, failed.credit_cents) == (0, None, due)
    _, partly = paid_twice_then(refunded, replace(undone, amount_cents=-1_000))
    assert (partly.refunded_cents, partly.refunded_on) == (due - 1_000, date(2026, 12, 3))


def test_r13_a_refund_partly_returned_on_a_later_day_keeps_the_day_it_was_paid():
    """R13, R27 (closing30's left list, refund51b): the bank returned EUR 10,00 of a
    refund paid on 3 December on 8 December; the rest was paid back on 3 December, as a
    whole return leaves the next refund's day. Before: the checker named no day
    (refunded_on None beside the amount); after: 3 December, by bank or PSP alike.
    Given an invoice paid twice, its credit refunded on 3 December
    When EUR 10,00 of it comes back on 8 December
    Then the breakdown names 3 December for what stands refunded."""
    due, _ = paid_twice_then()
    for cause in ("bank-refund:RF-1", "psp:tr_1"):
        refunded = entry(EntryKind.REFUND, due, date(2026, 12, 3), cause)
        returned = entry(EntryKind.REFUND, -1_000, date(2026, 12, 8), cause)
        _, parts = paid_twice_then(refunded, returned)
        assert (parts.refunded_cents, parts.refunded_on) == (due - 1_000, date(2026, 12, 3))


# --- R15: the arrangement a missed term ended --------------------------------------------

# Made on 25 November: its first term due on 23 December, missed on 7 January (14 days on)
TERMS = (ArrangementTerm(date(2026, 12, 23), 2000), ArrangementTerm(date(2027, 1, 23), 2317))
ARRANGED = Arrangement(at(date(2026, 11, 25)), TERMS, fee_cents=0)
CANCELLED = replace(
    ARRANGED, status=ArrangementStatus.CANCELLED, cancelled_at=at(date(2027, 1, 7), 6)
)


@pytest.mark.parametrize(
    "arrangement, day, ended_on",
    [
        (ARRANGED, date(2026, 12, 30), None),  # its term late, within the 14 days: it runs
        (ARRANGED, date(2027, 1, 7), date(2027, 1, 7)),  # before the run that cancels it
        (CANCELLED, date(2027, 1, 7), date(2027, 1, 7)),  # the run cancelled it
        (CANCELLED, date(2027, 2, 10), date(2027, 1, 7)),  # long after
    ],
    ids=["running", "before the run", "cancelled", "weeks on"],
)
def test_r15_the_day_the_arrangement_ended_is_said_once_a_term_was_missed(
    arrangement, day, ended_on
):
    view = view_on(day, arrangement=arrangement)
    assert view.arrangement_ended_on == ended_on
    if ended_on is not None:
        # the state follows the timeline again (R15: dunning resumes where it stopped)
        assert view.state is not InvoiceState.ARRANGEMENT_ACTIVE


# --- R7, legal-nl.md §2: a reminder that never arrived ---------------------------------------

UNDELIVERED = REMINDED | {
    "reminder": replace(REMINDER, undelivered=True),
    "bounced_emails": ("s.vanderberg@example.nl",),
}


def test_r7_a_bounced_reminder_reads_open_and_says_a_new_one_comes():
    # Given the e-mailed reminder of 31 December bounced for good the same day
    view = view_on(date(2026, 12, 31), **UNDELIVERED)
    # Then no reminder's date or state (it never arrived): open, its final date passed,
    # and a new reminder comes, on paper (the address is dead, there is a postal one)
    assert (view.state, view.breakdown.pay_by_kind) == (
        InvoiceState.OPEN,
        PayBy.FINAL_PAYMENT_DATE,
    )
    assert view.breakdown.pay_by_passed and view.new_reminder is NewReminder.COMING


def test_r7_r23_without_a_postal_address_the_new_reminder_waits_for_the_practice():
    no_address = make_person(
        email="s.vanderberg@example.nl", address=make_address(street="", house_number="")
    )
    view = view_on(date(2026, 12, 31), **UNDELIVERED, patient=no_address)
    assert view.new_reminder is NewReminder.WAITS_FOR_PRACTICE


# --- R7, R23: the invoice's own e-mail that never arrived (nowhy54) --------------------------

NO_POSTAL_ADDRESS = make_person(
    email="s.vanderberg@example.nl", address=make_address(street="", house_number="")
)
INVOICE_EMAILED = Correspondence(INVOICE_LETTER, Channel.EMAIL, at(date(2026, 11, 23)), "ses-1")
INVOICE_BOUNCED = {
    "correspondence": (INVOICE_EMAILED,),
    "bounced_emails": ("s.vanderberg@example.nl",),
}


def test_r7_r23_an_invoice_bounced_without_a_postal_address_says_the_practice_checks_it():
    # Given the invoice's own e-mail bounced for good, no reminder yet, and no postal address
    # When the patient checks after its final date (23 December) passed
    view = view_on(date(2026, 12, 28), **INVOICE_BOUNCED, patient=NO_POSTAL_ADDRESS)
    # Then open, its date passed, and the note says why no reminder came: it waits for the
    # practice (dunning/timeline.plan sends none without a letter channel)
    assert (view.state, view.breakdown.pay_by_passed) == (InvoiceState.OPEN, True)
    assert view.invoice_undelivered is True
    # And it is not taken for a reminder that never arrived
    assert view.new_reminder is None


@pytest.mark.parametrize(
    "changes",
    [
        # a postal address: the reminder goes on paper when due (the timeline's own word)
        INVOICE_BOUNCED,
        # the address works: the invoice arrived, the reminder goes by e-mail
        {"correspondence": (INVOICE_EMAILED,), "patient": NO_POSTAL_ADDRESS},
        # a reminder went since: its own note says what follows it
        INVOICE_BOUNCED | UNDELIVERED | {"patient": NO_POSTAL_ADDRESS},
        # the invoice went on paper and arrived: a paper reminder follows
        INVOICE_BOUNCED
        | {
            "correspondence": (replace(INVOICE_EMAILED, channel=Channel.PAPER),),
            "patient": NO_POSTAL_ADDRESS,
        },
    ],
    ids=["postal-address", "email-works", "reminder-since", "paper-invoice"],
)
def test_r7_no_invoice_note_where_a_reminder_can_go_or_has_its_own(changes):
    assert view_on(date(2026, 12, 28), **changes).invoice_undelivered is False


def test_r7_r23_no_invoice_note_once_paid():
    paid_in_full = make_invoice().amount_due_cents
    payment = entry(EntryKind.PAYMENT, -paid_in_full, date(2026, 12, 27))
    view = view_on(
        date(2026, 12, 28),
        **INVOICE_BOUNCED,
        patient=NO_POSTAL_ADDRESS,
        ledger=(*make_invoice().ledger, payment),
    )
    assert (view.state, view.invoice_undelivered) == (InvoiceState.PAID, False)


def test_r7_a_reminder_that_arrived_or_was_sent_again_says_no_new_one():
    assert view_on(date(2027, 1, 5), **REMINDED).new_reminder is None
    paid_in_full = make_invoice().amount_due_cents
    payment = entry(EntryKind.PAYMENT, -paid_in_full, date(2026, 12, 31))
    settled = view_on(
        date(2027, 1, 2),
        **UNDELIVERED,
        ledger=(*make_invoice().ledger, payment),
    )
    assert settled.state is InvoiceState.PAID and settled.new_reminder is None
