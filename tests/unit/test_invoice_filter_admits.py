"""One invoice found by its kenmerk is shown only when the list's filter holds it
(services.provider.invoices.admits, audit INTERFACES2): the store's filter, in Python, on
every field of InvoiceFilter (R26, R35)."""

from __future__ import annotations

from dataclasses import fields

import pytest

from billing_core.ports import InvoiceFilter
from billing_core.services.provider.invoices import admits
from tests.unit.factories import make_invoice

INVOICE = make_invoice()
HOLDS = {
    "payment_status": None,
    "patient_ref": INVOICE.patient_ref,
    "patient_name": INVOICE.patient.last_name,
    "issued_from": INVOICE.issue_date.isoformat(),
    "issued_until": INVOICE.issue_date.isoformat(),
    "declaration_id": INVOICE.declaration_id,
}
MISSES = {
    "patient_ref": "P-OTHER",
    "patient_name": "Zzyzx",
    "issued_from": "2999-01-01",
    "issued_until": "1999-01-01",
    "declaration_id": "another-upload",
}


def test_every_field_of_the_filter_is_judged():
    """Given the filter's fields / Then each is in this table: a field added to the store's
    filter (the upload's declaration_id came so) must be judged here too."""
    assert {f.name for f in fields(InvoiceFilter)} == set(HOLDS)


@pytest.mark.parametrize("field", sorted(MISSES))
def test_an_invoice_the_filter_does_not_hold_is_not_admitted(field):
    # Given a filter holding the invoice but on one field / Then it is not admitted
    assert admits(InvoiceFilter(**HOLDS), INVOICE)
    assert not admits(InvoiceFilter(**HOLDS | {field: MISSES[field]}), INVOICE)
