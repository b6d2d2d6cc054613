"""A patient's invoice from upload to payment, on embedded AWS: the payment checker,
deferral, arrangement, objection, payments and returns, and the e-mails that confirm them
(R10-R16, R23, R27, R28, R30)."""

from __future__ import annotations

import threading
from datetime import datetime

import boto3
import pytest

from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.invoices.access import BirthDate
from billing_core.payments.booking import IncomingPayment, book_payment, book_reversal
from billing_core.ports import ConcurrentChange
from billing_core.providers.actions import ActionKind, ActionState
from billing_core.services.patient import (
    InvoiceState,
    PaymentStatus,
    file_objection,
    payment_status,
    request_arrangement,
    request_deferral,
)
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import NotFound, StateConflict
from billing_core.shared.reference import grouped
from local.sandbox import REGION
from local.seed import DENTAL
from tests.functional.conftest import delivered_dental_week, emailed

PROVIDER = DENTAL.provider_id
UNKNOWN = "12234534622567"  # a valid kenmerk nobody has


@pytest.fixture
def invoice(sandbox):
    """An e-mailed invoice of the dental practice, delivered (the invoice e-mail sent)."""
    return emailed(delivered_dental_week(sandbox, 12))[0]


def stored(sandbox, invoice):
    return sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)


def mails(sandbox, invoice, word):
    return [
        m for m in sandbox.outbox() if m["kenmerk"] == invoice.reference and word in m["subject"]
    ]


def count_requests(repository):
    """Every DynamoDB request the repository makes from now on, by operation name."""
    seen: list[str] = []
    repository._client.meta.events.register(
        "before-call.dynamodb", lambda model, **_: seen.append(model.name)
    )
    return seen


def small_terms(sandbox):
    """The generated invoices are small: this practice allows terms from € 5,00."""
    provider = DENTAL.model_copy(update={"arrangement_min_term_cents": 500})
    sandbox.replace_provider(provider)


# --- payment checker (R10) -------------------------------------------------------------------


def test_the_checker_costs_one_request_once_warm(sandbox, invoice):
    # Given a warm instance (the provider's settings are cached)
    repository = sandbox.runtime.repository
    payment_status(invoice.reference, sandbox.runtime.patient_context())
    requests = count_requests(repository)
    # When a patient checks the kenmerk as printed
    view = payment_status(grouped(invoice.reference), sandbox.runtime.patient_context())
    # Then one Query on the by-reference index answered it
    assert requests == ["Query"]
    assert (view.status, view.state) == (PaymentStatus.OPEN, InvoiceState.OPEN)
    assert view.amount_due_cents == invoice.amount_due_cents
    assert view.final_payment_date == invoice.final_payment_date


def test_an_unknown_kenmerk_is_not_found_after_one_request(sandbox):
    requests = count_requests(sandbox.runtime.repository)
    with pytest.raises(NotFound):
        payment_status(UNKNOWN, sandbox.runtime.patient_context())
    assert requests == ["Query"]


# --- deferral (R14) --------------------------------------------------------------------------


def test_a_deferral_is_confirmed_by_email_and_recorded(sandbox, invoice):
    # Given the invoice of 23 November, final payment date 23 December 2026
    runtime = sandbox.runtime
    # When the patient asks for a deferral with the right birth date
    view = request_deferral(
        invoice.reference,
        BirthDate(invoice.birth_date),
        runtime.patient_context(),
    )
    sandbox.drain_deliveries()
    # Then the final payment date is 22 January 2027, in the checker and in an e-mail
    assert view.final_payment_date.isoformat() == "2027-01-22" and view.confirmation_sent
    status = payment_status(invoice.reference, runtime.patient_context())
    assert (status.state, status.final_payment_date, status.can_defer) == (
        InvoiceState.DEFERRED,
        view.final_payment_date,
        False,
    )
    (mail,) = mails(sandbox, invoice, "Uitstel")
    assert mail["to"] == invoice.addressee.email and "22 januari 2027" in mail["text"]
    # And the e-mail is on the invoice (R30)
    kinds = [letter.kind for letter in stored(sandbox, invoice).correspondence]
    assert kinds == ["invoice", "deferral_confirmation"]


def test_a_wrong_birth_date_is_the_same_not_found_as_an_unknown_kenmerk(sandbox, invoice):
    runtime = sandbox.runtime
    wrong = invoice.birth_date.replace(year=invoice.birth_date.year - 1)
    with pytest.raises(NotFound) as for_the_real_one:
        request_deferral(invoice.reference, BirthDate(wrong), runtime.patient_context())
    with pytest.raises(NotFound) as for_a_fake_one:
        request_deferral(UNKNOWN, BirthDate(invoice.birth_date), runtime.patient_context())
    assert str(for_the_real_one.value) == str(for_a_fake_one.value)
    assert stored(sandbox, invoice).deferral is None and sandbox.drain_deliveries() == 0


# --- arrangement (R15) -------------------------------------------------------------------------


def test_an_arrangement_books_the_fee_and_mails_the_terms(sandbox, invoice):
    small_terms(sandbox)
    runtime = sandbox.runtime
    due = invoice.amount_due_cents
    view = request_arrangement(
        invoice.reference,
        BirthDate(invoice.birth_date),
        2,
        runtime.patient_context(),
    )
    sandbox.drain_deliveries()
    # Then the fee is in the ledger and the two terms add up to what is due now
    after = stored(sandbox, invoice)
    assert view.total_cents == due + 1000 == after.amount_due_cents
    assert after.ledger[-1].kind == "fee" and after.ledger[-1].component == "costs"
    # And the checker shows the running arrangement and its terms; a deferral is no longer offered
    status = payment_status(invoice.reference, runtime.patient_context())
    assert (
        status.state is InvoiceState.ARRANGEMENT_ACTIVE and status.arrangement_terms == view.terms
    )
    assert not status.can_defer and not status.can_arrange
    (mail,) = mails(sandbox, invoice, "betalingsregeling")
    assert "2 maandelijkse termijnen" in mail["text"]
    # And the same form sent again (a double click, R38) gets the first answer, nothing twice
    again = request_arrangement(
        invoice.reference, BirthDate(invoice.birth_date), 2, runtime.patient_context()
    )
    assert again == view and stored(sandbox, invoice).version == after.version
    # And a second arrangement, of other terms, is refused
    with pytest.raises(StateConflict):
        request_arrangement(
            invoice.reference,
            BirthDate(invoice.birth_date),
            3,
            runtime.patient_context(),
        )


# --- objection (R16, R23) ----------------------------------------------------------------------


def test_an_objection_is_an_open_action_and_an_acknowledgement(sandbox, invoice):
    runtime = sandbox.runtime
    file_objection(
        invoice.reference,
        BirthDate(invoice.birth_date),
        "amount",
        "Ik had een afspraak over de prijs.",
        "bezwaar@example.org",
        runtime.patient_context(),
    )
    sandbox.drain_deliveries()
    (action,) = runtime.repository.list_actions(PROVIDER, ActionState.OPEN)
    assert (action.kind, action.reference) == (ActionKind.OBJECTION, invoice.reference)
    assert action.details["message"] == "Ik had een afspraak over de prijs."
    assert runtime.repository.list_actions(PROVIDER, ActionState.DONE) == []
    assert runtime.repository.list_actions("fysio-centrum-oost") == []  # R26
    assert action.details["email"] == "bezwaar@example.org"  # for the practice's answer
    (mail,) = mails(sandbox, invoice, "bezwaar")
    # The acknowledgement goes to the invoice's own address, never one typed into the form
    assert mail["to"] == invoice.addressee.email != "bezwaar@example.org"
    assert invoice.addressee.display_name not in mail["text"]  # nobody's name (R29)
    # And the payment obligation stands (seed 000)
    assert payment_status(invoice.reference, runtime.patient_context()).state is InvoiceState.OPEN


# --- payments (R11-R13, R27) --------------------------------------------------------------------


def test_a_payment_replayed_is_booked_and_mailed_once(sandbox, invoice):
    runtime = sandbox.runtime
    paid = IncomingPayment("psp", "tr_WDqYK6vllg", invoice.amount_due_cents, sandbox.clock.now())
    results = [
        book_payment(
            runtime.repository,
            invoice.reference,
            paid,
            clock=sandbox.clock,
            delivery=runtime.delivery_queue,
        )
        for _ in range(3)
    ]
    sandbox.drain_deliveries()
    assert [r.booked for r in results] == [True, False, False]
    status = payment_status(invoice.reference, runtime.patient_context())
    assert (status.status, status.amount_due_cents) == (PaymentStatus.PAID, 0)
    assert len(mails(sandbox, invoice, "Betaling ontvangen")) == 1


def test_an_overpayment_returned_by_the_bank_is_due_again(sandbox, invoice):
    runtime = sandbox.runtime
    due = invoice.amount_due_cents
    transfer = IncomingPayment("bank", "NTRF-2026-1124-01", due + 500, sandbox.clock.now())
    book_payment(runtime.repository, invoice.reference, transfer, clock=sandbox.clock)
    assert stored(sandbox, invoice).credit_cents == 500
    # When the bank returns the transfer (R12), twice in two statements
    for _ in range(2):
        book_reversal(
            runtime.repository,
            invoice.reference,
            "NTRF-2026-1124-01",
            "RTRN-01",
            due + 500,
            clock=sandbox.clock,
        )
    after = stored(sandbox, invoice)
    assert (after.amount_due_cents, after.credit_cents) == (due, 0)
    assert [e.kind for e in after.ledger].count("reversal") == 1


@pytest.mark.usefixtures("atomic_conditional_writes")
def test_two_payments_at_the_same_moment_both_land(sandbox, invoice):
    # Given two Lambda instances, each with its own connection, that both read the
    # invoice before either writes (R28)
    table = sandbox.names.table_name
    both_read = threading.Barrier(2)
    conflicts: list[str] = []

    class ReadsThenWaits(BillingRepository):
        def find_invoice_by_reference(self, reference):
            found = super().find_invoice_by_reference(reference)
            both_read.wait(timeout=10)
            return found

        def save_invoice(self, invoice):
            try:
                return super().save_invoice(invoice)
            except ConcurrentChange:
                conflicts.append(invoice.invoice_id)
                raise

    def pay(source_id: str, cents: int, errors: list[BaseException]) -> None:
        try:
            session = boto3.session.Session(region_name=REGION)
            repository = ReadsThenWaits(session.resource("dynamodb").Table(table))
            payment = IncomingPayment(
                "bank", source_id, cents, datetime(2026, 11, 23, 8, tzinfo=AMSTERDAM)
            )
            book_payment(repository, invoice.reference, payment, clock=sandbox.clock)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=pay, args=("E-A", 700, errors)),
        threading.Thread(target=pay, args=("E-B", 900, errors)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # Then one write met the other's change, read again, and neither payment is lost
    assert errors == [] and len(conflicts) == 1
    after = stored(sandbox, invoice)
    assert sorted(after.applied_payments) == ["bank:E-A", "bank:E-B"]
    assert after.amount_due_cents == max(invoice.amount_due_cents - 1600, 0)
    assert after.version == invoice.version + 2
