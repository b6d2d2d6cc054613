"""A decision not to write taken on a read a moment behind a write (R28, R12, R13, R14,
R16, R21; audit race52b). A change is saved on condition of the version it read, so a
change made on a lagging read costs a retry; a refusal, or finding nothing to do, writes
nothing and so was checked by nothing. DynamoDB's ordinary read (and an index) may return
an invoice as before its last write for a moment after it: here the bank's return of the
transfer that paid it, which opens it again. What the patient or the practice asks then
must be decided on the invoice as it is, not refused as paid."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from billing_core.changes.stop import StopRequest, StopScope
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import balance
from billing_core.payments.booking import IncomingPayment, book_payment, book_reversal
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.patient import PatientContext, request_deferral
from billing_core.services.provider.invoices import hold_invoice, stop_invoice
from billing_core.shared.clock import FixedClock
from billing_core.shared.errors import StateConflict
from billing_core.shared.retries import RequestCause
from tests.unit.fake_store import FakeQueue, FakeStore
from tests.unit.test_coulance import INVOICE, NON_CONTRACTED, NOW, practice

STAFF = ProviderUser(NON_CONTRACTED.provider_id, "u-1", Role.STAFF)
GROSS = 20_000


def paid_and_returned_while_reads_lag() -> tuple[FakeStore, FakeQueue]:
    """The invoice of EUR 200 paid in full by a transfer, which the bank then returned (R13):
    open again for EUR 200, while an ordinary read still returns it paid."""
    store, queue = FakeStore([INVOICE], [NON_CONTRACTED]), FakeQueue()
    clock = FixedClock(NOW)
    book_payment(store, INVOICE.reference, IncomingPayment("bank", "T1", GROSS, NOW), clock=clock)
    book_reversal(store, INVOICE.reference, "T1", "RET-1", GROSS, clock=clock)
    store.lagging = True
    assert store.get_invoice(INVOICE.provider_id, INVOICE.invoice_id).is_paid  # lags
    assert balance(store.invoice().ledger) == GROSS
    return store, queue


def stop(store: FakeStore, queue: FakeQueue) -> None:
    request = StopRequest(StopScope.PARTIAL, "goodwill", INVOICE.addressee.email, True, 5_000)
    cause = RequestCause("key-1", "fingerprint-1")
    stop_invoice(STAFF, INVOICE.invoice_id, request, practice(store, queue), cause=cause)


def defer(store: FakeStore, queue: FakeQueue) -> None:
    ctx = PatientContext(store, queue, FixedClock(NOW))
    request_deferral(INVOICE.reference, BirthDate(INVOICE.birth_date), ctx)


def hold(store: FakeStore, queue: FakeQueue) -> None:
    until = NOW.date() + timedelta(days=30)
    hold_invoice(STAFF, INVOICE.invoice_id, until, "in dispute", practice(store, queue))


def stopped(invoice: Invoice) -> bool:
    return balance(invoice.ledger) == GROSS - 5_000


def deferred(invoice: Invoice) -> bool:
    return invoice.deferral is not None


def held(invoice: Invoice) -> bool:
    return invoice.hold_until == NOW.date() + timedelta(days=30)


@pytest.mark.parametrize(
    "ask, done",
    [(stop, stopped), (defer, deferred), (hold, held)],
    ids=["stop R21", "deferral R14", "hold R16"],
)
def test_a_request_after_a_bank_return_is_decided_on_the_invoice_as_it_is(
    ask: Callable[[FakeStore, FakeQueue], None], done: Callable[[Invoice], bool]
):
    """R28, R13. Given an invoice of EUR 200 paid by a transfer the bank returned, open again
    When the practice stops EUR 50 of it (R21), the patient asks the deferral (R14) or the
    practice holds it (R16), and the ordinary read still returns it paid
    Then the request is decided on the invoice read strongly consistent, open: it is done,
    not refused as "paid" / "fully_paid" (before: all three refused, nothing written)."""
    store, queue = paid_and_returned_while_reads_lag()

    ask(store, queue)

    assert done(store.invoice())


def test_a_refusal_on_the_invoice_as_it_is_stands_after_one_read_more():
    """R28, R21. Given an invoice paid in full, whose ordinary read is up to date
    When the practice stops part of it
    Then it is refused as fully paid, decided again on one strongly consistent read (the
    ordinary one could have lagged), and nothing is written."""
    store, queue = FakeStore([INVOICE], [NON_CONTRACTED]), FakeQueue()
    transfer = IncomingPayment("bank", "T1", GROSS, NOW)
    book_payment(store, INVOICE.reference, transfer, clock=FixedClock(NOW))
    paid = store.invoice()
    store.calls.clear()

    with pytest.raises(StateConflict) as refusal:
        stop(store, queue)

    assert refusal.value.code == "fully_paid"
    assert store.invoice() == paid and store.invoice().version == paid.version
    assert store.calls == ["get_invoice", "get_invoice"]  # ordinary, then consistent
