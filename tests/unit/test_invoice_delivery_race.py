"""The invoice's first delivery and another write on the invoice at the same moment (R28,
R38; audit race52): the e-mail is out, and before the delivery notes it on the invoice a
bank transfer is booked on it. DynamoDB's ordinary read may return the invoice as it was
before that booking for a moment after it (only a ConsistentRead is sure to see it): the
note must be put on the invoice as stored now, not given up after a few stale reads, which
SQS answers by delivering the message again, so e-mailing the patient the invoice twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from billing_core.correspondence.delivery import DeliveryContext, deliver_invoice
from billing_core.correspondence.kinds import INVOICE_LETTER
from billing_core.invoices.invoice import Invoice, InvoiceStatus
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.ports import DeliveryRequest
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.factories import PUBLIC, make_invoice, make_line, make_provider
from tests.unit.fake_store import FakeStore, FilesInMemory
from tests.unit.test_dunning_delivery import Outbox
from tests.unit.test_invoice_pdf import ACCOUNT

SENT_AT = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)
TRANSFER_CENTS = 5_000


class PaidWhileNoted:
    """The store, with a bank transfer booked on the invoice just before the delivery's
    first write of it, after which its next ``stale_reads`` ordinary (not strongly
    consistent) reads still return the invoice as it was before the booking, as a
    DynamoDB GetItem without ConsistentRead may."""

    def __init__(self, store: FakeStore, stale_reads: int) -> None:
        self._store = store
        self._stale_reads = stale_reads
        self._before_booking: Invoice | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def get_invoice(
        self, provider_id: str, invoice_id: str, *, consistent: bool = False
    ) -> Invoice | None:
        if self._before_booking is not None and not consistent and self._stale_reads:
            self._stale_reads -= 1
            return self._before_booking
        return self._store.get_invoice(provider_id, invoice_id, consistent=consistent)

    def save_invoice(self, invoice: Invoice) -> Invoice:
        if self._before_booking is None:
            self._before_booking = self._store.invoice()
            transfer = IncomingPayment("bank", "ING-1", TRANSFER_CENTS, SENT_AT)
            book_payment(self._store, invoice.reference, transfer, clock=FixedClock(SENT_AT))
        return self._store.save_invoice(invoice)


@pytest.mark.parametrize("stale_reads", [0, 2, 5])
def test_a_transfer_booked_while_the_invoice_is_noted_sent_sends_it_once(stale_reads):
    """R28, R38. Given an issued invoice of EUR 300 the delivery e-mails
    When a EUR 50 transfer is booked on it between the e-mail and the delivery's note of
    it, and the table's ordinary reads return the invoice from before the booking
    ``stale_reads`` times after it
    Then the delivery notes the e-mail on the invoice as stored now in that same attempt
    (no failure for SQS to deliver again): one e-mail to the patient, one invoice letter
    on the invoice, which is sent, and the transfer is kept (EUR 250 due)."""
    issued = make_invoice(lines=(make_line(unit_price_cents=30_000),))
    store, outbox = FakeStore([issued], [make_provider()]), Outbox()
    racing = PaidWhileNoted(store, stale_reads)
    context = DeliveryContext(racing, FilesInMemory(), outbox, FixedClock(SENT_AT), PUBLIC, ACCOUNT)

    deliver_invoice(DeliveryRequest(issued.provider_id, issued.invoice_id), context)

    invoice = store.invoice()
    assert len(outbox.sent) == 1
    assert [c.kind for c in invoice.correspondence] == [INVOICE_LETTER]
    assert invoice.status is InvoiceStatus.SENT
    assert invoice.applied_payments and invoice.amount_due_cents == 30_000 - TRANSFER_CENTS


def test_a_delivery_handed_out_again_while_reads_lag_behind_its_note_sends_nothing_more():
    """R38, R28 (race52b's note: whether the letter went already was decided on an
    ordinary read). Given an invoice the delivery e-mailed and noted sent
    When the same request is delivered again (its idempotency record gone, as after a
    crash) while the table's ordinary reads still return the invoice from before that note
    Then nothing is sent again: the delivery reads the invoice as stored now, one e-mail
    and one invoice letter on it."""
    issued = make_invoice(lines=(make_line(unit_price_cents=30_000),))
    store, outbox = FakeStore([issued], [make_provider()]), Outbox()
    context = DeliveryContext(store, FilesInMemory(), outbox, FixedClock(SENT_AT), PUBLIC, ACCOUNT)
    request = DeliveryRequest(issued.provider_id, issued.invoice_id)
    deliver_invoice(request, context)

    store.lagging = True
    deliver_invoice(request, context)

    assert len(outbox.sent) == 1
    assert [c.kind for c in store.invoice().correspondence] == [INVOICE_LETTER]
