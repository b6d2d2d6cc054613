"""Payments and returned transfers on an invoice's ledger (R11-R13, R27, R28)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from billing_core.invoices.allocation import CREDIT_NOTE
from billing_core.invoices.invoice import Arrangement, ArrangementStatus, ArrangementTerm
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry, balance
from billing_core.payments.booking import (
    IncomingPayment,
    UnknownPayment,
    apply_payment,
    apply_reversal,
    book_payment,
    book_reversal,
)
from billing_core.ports import ConcurrentChange
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import NotFound
from tests.unit.factories import REFERENCE, ledger_for, make_invoice, make_person, sample_lines
from tests.unit.fake_store import FakeQueue, FakeStore

PAID_AT = datetime(2026, 12, 1, 14, 5, tzinfo=AMSTERDAM)
DUE = 3317  # the factory invoice: € 48,25 less € 15,08 reimbursed


def payment(amount: int, source_id: str = "tr_001", source: str = "psp") -> IncomingPayment:
    return IncomingPayment(source, source_id, amount, PAID_AT)  # type: ignore[arg-type]


def with_costs_and_interest(costs: int, interest: int):
    """An invoice after the reminder term expired: BIK and interest booked (R19, R20)
    the morning of the payment (issue 12: costs charged after a payment's day were not
    due on it)."""
    at = datetime(2026, 12, 1, 6, 0, tzinfo=AMSTERDAM)
    extra = (
        LedgerEntry(EntryKind.COSTS, Component.COSTS, costs, at, "dunning:2027-02-01"),
        LedgerEntry(EntryKind.INTEREST, Component.INTEREST, interest, at, "dunning:2027-02-01"),
    )
    return make_invoice(ledger=ledger_for(sample_lines()) + extra)


def entries_of(invoice, cause):
    return [
        (e.kind, e.component, e.amount_cents, e.note) for e in invoice.ledger if e.cause == cause
    ]


# --- apply_payment ---------------------------------------------------------------------------


def test_a_payment_in_full_pays_the_principal():
    # Given an invoice of € 33,17 (R13)
    invoice = make_invoice()
    # When € 33,17 arrives through iDEAL
    paid = apply_payment(invoice, payment(DUE))
    # Then the principal is paid, the ledger says by what, and the id is remembered
    assert paid.amount_due_cents == 0 and paid.is_paid and paid.credit_cents == 0
    assert entries_of(paid, "psp:tr_001") == [(EntryKind.PAYMENT, Component.PRINCIPAL, -DUE, "")]
    assert paid.applied_payments == ("psp:tr_001",)
    assert paid.ledger[: len(invoice.ledger)] == invoice.ledger  # append-only (R27)


def test_a_partial_payment_leaves_the_rest_due():
    paid = apply_payment(make_invoice(), payment(1000))
    assert paid.amount_due_cents == DUE - 1000 and not paid.is_paid


def test_costs_then_interest_then_principal():
    # Given € 40,00 BIK and € 1,23 interest on top of € 33,17 principal (legal-nl.md §5)
    invoice = with_costs_and_interest(4000, 123)
    # When the patient pays € 42,00
    paid = apply_payment(invoice, payment(4200))
    # Then costs are paid in full, interest in full, and € 0,77 goes to principal
    assert entries_of(paid, "psp:tr_001") == [
        (EntryKind.PAYMENT, Component.COSTS, -4000, ""),
        (EntryKind.PAYMENT, Component.INTEREST, -123, ""),
        (EntryKind.PAYMENT, Component.PRINCIPAL, -77, ""),
    ]
    assert balance(paid.ledger, Component.PRINCIPAL) == DUE - 77


def test_an_overpayment_is_kept_as_credit():
    # Given € 33,17 due, When € 50,00 arrives by bank transfer
    paid = apply_payment(make_invoice(), payment(5000, "E-2026-1201-7", "bank"))
    # Then nothing is due, € 16,83 is credit to refund, and the ledger shows it (R13)
    assert (paid.amount_due_cents, paid.credit_cents, paid.balance_cents) == (0, 1683, -1683)
    assert entries_of(paid, "bank:E-2026-1201-7") == [
        (EntryKind.PAYMENT, Component.PRINCIPAL, -DUE, ""),
        (EntryKind.PAYMENT, Component.PRINCIPAL, -1683, CREDIT_NOTE),
    ]


def test_a_payment_on_a_paid_invoice_is_all_credit():
    paid = apply_payment(apply_payment(make_invoice(), payment(DUE)), payment(DUE, "tr_002"))
    assert paid.credit_cents == DUE


def test_the_same_payment_twice_changes_nothing():
    # Given a booked payment (R11, R12: a replayed webhook or statement)
    once = apply_payment(make_invoice(), payment(1000))
    # When it comes again, Then the very same invoice comes back
    assert apply_payment(once, payment(1000)) is once


def test_the_same_id_from_another_source_is_another_payment():
    once = apply_payment(make_invoice(), payment(1000, "X1", "psp"))
    twice = apply_payment(once, payment(1000, "X1", "bank"))
    assert twice.amount_due_cents == DUE - 2000


def test_interest_accrued_up_to_the_payment_is_booked_first():
    # Given € 2,00 statutory interest accrued and not yet in the ledger (R20)
    paid = apply_payment(make_invoice(), payment(1000), interest_cents=200)
    # Then it is booked, and the payment pays it before the principal
    assert entries_of(paid, "psp:tr_001") == [
        (EntryKind.INTEREST, Component.INTEREST, 200, "statutory interest up to this payment"),
        (EntryKind.PAYMENT, Component.INTEREST, -200, ""),
        (EntryKind.PAYMENT, Component.PRINCIPAL, -800, ""),
    ]


def test_paying_the_rest_completes_an_arrangement():
    terms = (ArrangementTerm(date(2027, 1, 6), 2159), ArrangementTerm(date(2027, 2, 6), 2158))
    arrangement = Arrangement(PAID_AT, terms, fee_cents=0)
    invoice = make_invoice(arrangement=arrangement)
    assert apply_payment(invoice, payment(1000)).arrangement.status is ArrangementStatus.ACTIVE
    done = apply_payment(invoice, payment(DUE))
    assert done.arrangement.status is ArrangementStatus.COMPLETED


@pytest.mark.parametrize(
    "fields",
    [
        {"source": "cash"},
        {"source_id": ""},
        {"amount_cents": 0},
        {"amount_cents": -100},
        {"received_at": datetime(2026, 12, 1, 14, 5)},
    ],
)
def test_a_malformed_payment_is_refused(fields):
    values = {"source": "psp", "source_id": "tr_1", "amount_cents": 100, "received_at": PAID_AT}
    with pytest.raises(ValueError):
        IncomingPayment(**(values | fields))


# --- apply_reversal --------------------------------------------------------------------------


def test_a_returned_transfer_undoes_exactly_its_components():
    # Given a bank payment of € 42,00 spread over costs, interest and principal
    paid = apply_payment(with_costs_and_interest(4000, 123), payment(4200, "E1", "bank"))
    # When the bank returns it (R12)
    at = datetime(2027, 2, 4, 9, 0, tzinfo=AMSTERDAM)
    returned = apply_reversal(paid, "E1", "E1-RET", 4200, at)
    # Then each component owes what it owed before, and the reversal is in the ledger
    for component in Component:
        assert balance(returned.ledger, component) == balance(
            with_costs_and_interest(4000, 123).ledger, component
        )
    assert {(e.kind, e.note) for e in returned.ledger if e.cause == "bank:E1-RET"} == {
        (EntryKind.REVERSAL, "reverses bank:E1")
    }
    assert "bank:E1-RET" in returned.applied_payments


def test_the_same_reversal_twice_changes_nothing():
    paid = apply_payment(make_invoice(), payment(DUE, "E1", "bank"))
    once = apply_reversal(paid, "E1", "R1", DUE, PAID_AT)
    assert apply_reversal(once, "E1", "R1", DUE, PAID_AT) is once


def test_a_payment_cannot_be_reversed_twice_under_another_id():
    paid = apply_payment(make_invoice(), payment(DUE, "E1", "bank"))
    once = apply_reversal(paid, "E1", "R1", DUE, PAID_AT)
    with pytest.raises(UnknownPayment):
        apply_reversal(once, "E1", "R2", DUE, PAID_AT)


def test_a_partial_return_undoes_credit_and_principal_first():
    # Given € 50,00 paid on € 33,17 (€ 16,83 credit)
    paid = apply_payment(make_invoice(), payment(5000, "E1", "bank"))
    # When € 20,00 of it comes back
    returned = apply_reversal(paid, "E1", "R1", 2000, PAID_AT)
    # Then the credit is gone and € 3,17 is due again
    assert (returned.credit_cents, returned.amount_due_cents) == (0, 317)


def test_reversing_more_than_was_paid_is_refused():
    paid = apply_payment(make_invoice(), payment(1000, "E1", "bank"))
    with pytest.raises(ValueError):
        apply_reversal(paid, "E1", "R1", 1001, PAID_AT)


def test_reversing_an_unknown_payment_is_refused():
    with pytest.raises(UnknownPayment):
        apply_reversal(make_invoice(), "E404", "R1", 100, PAID_AT)


def test_a_reversal_reopens_a_completed_arrangement():
    terms = (ArrangementTerm(date(2027, 1, 6), 2159), ArrangementTerm(date(2027, 2, 6), 2158))
    invoice = make_invoice(arrangement=Arrangement(PAID_AT, terms, fee_cents=0))
    done = apply_payment(invoice, payment(DUE, "E1", "bank"))
    again = apply_reversal(done, "E1", "R1", DUE, PAID_AT)
    assert again.arrangement.status is ArrangementStatus.ACTIVE


# --- book_payment / book_reversal on a store ---------------------------------------------------


CLOCK = FixedClock(datetime(2026, 12, 2, 9, 0, tzinfo=AMSTERDAM))


def test_book_payment_saves_once_and_confirms():
    # Given a stored invoice of a patient with e-mail
    store, queue = FakeStore([make_invoice()]), FakeQueue()
    # When the PSP reports the same payment twice
    first = book_payment(store, REFERENCE, payment(DUE), clock=CLOCK, delivery=queue)
    second = book_payment(store, REFERENCE, payment(DUE), clock=CLOCK, delivery=queue)
    # Then it is booked once; the confirmation is queued again, and sent once by delivery
    assert (first.booked, second.booked) == (True, False)
    assert store.invoice().amount_due_cents == 0 and store.invoice().version == 1
    assert store.calls.count("save_invoice") == 1
    assert {(r.kind, r.event_id) for r in queue.requests} == {("payment_received", "psp:tr_001")}


def test_no_confirmation_for_a_patient_without_email():
    store, queue = FakeStore([make_invoice(patient=make_person(email=""))]), FakeQueue()
    book_payment(store, REFERENCE, payment(DUE), clock=CLOCK, delivery=queue)
    assert queue.requests == []


def test_book_payment_for_an_unknown_or_malformed_reference_is_not_found():
    store = FakeStore([make_invoice()])
    with pytest.raises(NotFound):
        book_payment(store, "12234534622567", payment(DUE), clock=CLOCK)
    with pytest.raises(NotFound):
        book_payment(store, "22345678901234", payment(DUE), clock=CLOCK)  # wrong check digit
    assert store.calls == ["find_invoice_by_reference"]  # the malformed one read nothing


def test_a_payment_from_the_future_is_booked_now():
    # The PSP's clock runs ahead of ours: the ledger never holds tomorrow
    store = FakeStore([make_invoice()])
    ahead = IncomingPayment("psp", "tr_9", DUE, datetime(2026, 12, 3, 9, 0, tzinfo=AMSTERDAM))
    booked = book_payment(store, REFERENCE, ahead, clock=CLOCK).invoice
    assert booked.ledger[-1].at == CLOCK.now()


def test_a_concurrent_change_is_read_again_and_both_land():
    # Given two payments that both read version 0 of the invoice (R28)
    store = FakeStore([make_invoice()])
    stale = store.invoice()
    book_payment(store, REFERENCE, payment(1000, "tr_A"), clock=CLOCK)
    store.find_invoice_by_reference = lambda reference: stale  # the index lags behind
    # When the second saves on the stale version
    result = book_payment(store, REFERENCE, payment(1200, "tr_B"), clock=CLOCK)
    # Then it re-reads, applies again, and neither payment is lost
    assert result.booked
    assert store.invoice().applied_payments == ("psp:tr_A", "psp:tr_B")
    assert store.invoice().amount_due_cents == DUE - 2200


def test_a_stale_read_of_an_already_booked_payment_books_nothing():
    store = FakeStore([make_invoice()])
    stale = store.invoice()
    book_payment(store, REFERENCE, payment(1000), clock=CLOCK)
    store.find_invoice_by_reference = lambda reference: stale
    assert not book_payment(store, REFERENCE, payment(1000), clock=CLOCK).booked
    assert store.invoice().amount_due_cents == DUE - 1000


def test_a_store_that_keeps_conflicting_gives_up(monkeypatch):
    store = FakeStore([make_invoice()])
    monkeypatch.setattr("billing_core.invoices.updates.pause", lambda attempt: None)

    def always_conflict(invoice):
        raise ConcurrentChange(invoice.invoice_id)

    store.save_invoice = always_conflict
    with pytest.raises(ConcurrentChange):
        book_payment(store, REFERENCE, payment(DUE), clock=CLOCK)


def test_book_reversal_on_the_store():
    store = FakeStore([make_invoice()])
    book_payment(store, REFERENCE, payment(DUE, "E1", "bank"), clock=CLOCK)
    first = book_reversal(store, REFERENCE, "E1", "R1", DUE, clock=CLOCK)
    again = book_reversal(store, REFERENCE, "E1", "R1", DUE, clock=CLOCK)
    assert (first.booked, again.booked) == (True, False)
    assert store.invoice().amount_due_cents == DUE
    assert store.invoice().ledger[-1].at == CLOCK.now()
