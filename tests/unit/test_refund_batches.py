"""Credit held for patients, refunded by bank transfer in a batch an operator approves
(issue 14 item 5, R13, R27, R34)."""

from __future__ import annotations

from datetime import date

import pytest

from billing_core.invoices.ledger import EntryKind
from billing_core.payments.transfer_batches import BankState, BatchState
from billing_core.providers.retrocession import build_statement
from billing_core.providers.week import Week
from billing_core.services.inputs import InvalidInput
from billing_core.services.operator.money_out import (
    RefundRequest,
    approve_batch,
    get_batch,
    held_credits,
    propose_refunds,
)
from billing_core.shared.audit import Reader, ReadKind
from billing_core.shared.errors import Refused
from tests.unit.camt_builder import credit
from tests.unit.factories import REFERENCE, make_invoice, make_provider
from tests.unit.money_out_world import PAIN_001, MoneyOutWorld, executed

DUE = 3317  # what make_invoice's patient owes
PAID_ON = date(2026, 11, 24)
PATIENT_ACCOUNT = ("NL39RABO0300065264", "A. Visser")


@pytest.fixture
def world() -> MoneyOutWorld:
    world = MoneyOutWorld()
    world.store.put_provider(make_provider())
    world.store.put_invoice_as_is(make_invoice())
    world.clock.set(date(2026, 11, 25))
    # The patient paid EUR 5.00 too much by bank transfer
    world.bank_statement(credit(DUE + 500, scor=REFERENCE), day=PAID_ON)
    return world


def refund(world: MoneyOutWorld, amount_cents: int | None = None):
    request = RefundRequest(REFERENCE, *PATIENT_ACCOUNT, amount_cents=amount_cents)
    return propose_refunds([request], "operator-anna", world.ctx)


def test_the_credit_held_is_listed_and_refunded_once_an_operator_approves(world):
    # Given the overpayment held as credit, listed for the operator
    [held] = held_credits(world.ctx)
    assert (held.reference, held.credit_cents, held.in_batch) == (REFERENCE, 500, "")
    # When an operator proposes its refund, it is listed as in that batch, nothing paid yet
    batch = refund(world)
    assert held_credits(world.ctx)[0].in_batch == batch.batch_id
    assert world.store.invoice().credit_cents == 500
    # When it is approved
    sent = approve_batch(batch.batch_id, "operator-anna", world.ctx)
    # Then a valid pain.001 pays the patient EUR 5.00 quoting the kenmerk, under refunds/
    assert sent.state is BatchState.SENT
    assert sent.file_key.startswith("refunds/2026-11-25/RF-20261125-")
    document = world.pain_001(sent)
    PAIN_001.validate(document)
    assert b'<InstdAmt Ccy="EUR">5.00</InstdAmt>' in document
    assert REFERENCE.encode() in document
    # And the refund is a ledger entry (R27): the credit is gone, the list is empty
    invoice = world.store.invoice()
    [entry] = [e for e in invoice.ledger if e.kind is EntryKind.REFUND]
    assert (
        entry.amount_cents == 500
        and entry.cause == f"bank-refund:{sent.transfers[0].end_to_end_id}"
    )
    assert invoice.credit_cents == 0 and held_credits(world.ctx) == []
    # And the week's statement shows it refunded, off the practice's payout (R24)
    statement = build_statement(make_provider(), Week.of(date(2026, 11, 25)), [invoice])
    assert statement.refunded_cents == 500
    # And the bank's debit of it books the transfer
    world.bank_statement(*executed(sent, date(2026, 11, 26)), day=date(2026, 11, 26))
    stored = world.store.get_batch(sent.batch_id)
    assert stored.transfers[0].bank_state is BankState.BOOKED


def test_reading_a_refund_batch_is_recorded_for_the_practice_whose_patient_is_in_it(world):
    """R32, NEN 7513 (audit security D4): a refund batch shows the patient's name and
    IBAN; an operator's read of it is recorded per practice, with the batch as subject,
    never the name or the IBAN."""
    batch = refund(world)
    reader = Reader("operator-sub-1", "operators")
    assert get_batch(batch.batch_id, reader, world.ctx).transfers[0].name == "A. Visser"
    [read] = world.audit.records
    assert (read.provider_id, read.user_id, read.kind, read.subject) == (
        make_provider().provider_id,
        "operator-sub-1",
        ReadKind.REFUND_BATCH,
        batch.batch_id,
    )


def test_more_than_the_credit_is_not_refunded(world):
    with pytest.raises(Refused) as refusal:
        refund(world, amount_cents=501)
    assert refusal.value.code == "refund_above_credit"
    assert world.store.batches == {}


def test_an_invoice_already_in_a_batch_not_sent_is_not_proposed_again(world):
    refund(world, amount_cents=200)
    with pytest.raises(InvalidInput):
        refund(world, amount_cents=300)
