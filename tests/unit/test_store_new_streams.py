"""The DynamoDB store builds a large upload's items as its transactions go (#18 (m)):
all at once, a 100,000-line file's items took 325 MB on top of the ingest's own peak."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from billing_core.adapters.dynamo.repository import TRANSACTION_LIMIT, BillingRepository
from billing_core.ports import NewInvoice
from tests.contract.samples import A, invoice, new

INVOICES = 300


class _CountedInvoices(list[NewInvoice]):
    """The upload's invoices, counting how many the store has taken so far."""

    taken = 0

    def __iter__(self) -> Iterator[NewInvoice]:
        for one in super().__iter__():
            self.taken += 1
            yield one


def test_a_large_upload_goes_out_before_its_last_invoice_is_built() -> None:
    # Given an upload of 300 invoices: several 100-item transactions
    invoices = _CountedInvoices(new(invoice(number)) for number in range(1, INVOICES + 1))
    taken_when_sent: list[int] = []
    client = SimpleNamespace(
        transact_write_items=lambda **_: taken_when_sent.append(invoices.taken)
    )
    table = SimpleNamespace(name="billing", meta=SimpleNamespace(client=client))
    # When the store writes them
    stored = BillingRepository(table).store_new(A, "D1", invoices, [])
    # Then the first transaction went out when at most its own invoices (two items each at
    # least: the invoice and its kenmerk's marker) and the one that did not fit were built,
    # and every invoice went out in the end
    assert stored.requests == len(taken_when_sent) >= 3
    assert taken_when_sent[0] <= TRANSACTION_LIMIT // 2 + 1
    assert invoices.taken == INVOICES
