"""One invoice found by its kenmerk is shown only when the list's filter holds it
(invoices.listing.admits, audit INTERFACES2): the store's filter, in Python, on every
field of InvoiceFilter (R26, R35). The in-memory store of the tests lists by it too."""

from __future__ import annotations

from dataclasses import fields

import pytest

from billing_core.invoices import listing
from billing_core.invoices.listing import InvoiceFilter, admits
from tests.unit.factories import make_invoice
from tests.unit.fake_store import FakeStore

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


def test_the_in_memory_store_lists_by_the_domains_judgement(monkeypatch):
    """Closing 14 ("the in-memory test store keeps its own copy of the filter logic"):
    Given two invoices and a judgement that admits only the second / When the in-memory
    store lists them / Then it lists the second only: the store has no filter of its own
    that could differ from the one the kenmerk lookup (and so the API) applies."""
    second = make_invoice(invoice_id="inv-2", reference="99999999999999")
    store = FakeStore([INVOICE, second])
    monkeypatch.setattr(listing, "admits", lambda _, invoice: invoice is second)
    listed, _ = store.list_invoices(INVOICE.provider_id, InvoiceFilter())
    assert listed == [second]


@pytest.mark.parametrize(
    "typed, forms",
    [
        ("1001", 61),  # "1001" and 60 zero-padded forms, up to 64 characters
        ("0" + "1" * 63, 2),  # 63 digits, with one zero and without
        ("1" * 64, 1),
        ("1" * 65, 1),  # longer than any stored form: only itself, never none
        ("9" * 300, 1),
    ],
)
def test_a_patient_number_has_at_least_one_form_for_the_store(typed, forms):
    """R35, R40 (audit security4: the portal's search field has no length limit). Given a
    patient number of digits, of any length
    When the list's filter gives the store the forms to compare (patient_ref_forms)
    Then there is always at least one, each at most 64 characters or the number itself:
    none would be a Query with an empty IN (), which DynamoDB refuses (the portal's 5xx)."""
    found = listing.patient_ref_forms(typed)
    assert len(found) == forms
    assert typed.lstrip("0") in found
