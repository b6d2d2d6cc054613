"""A patient number typed in another letter case than its invoices write it (hint50,
paths50): the list refuses it naming the number, as the access log does, and what that
costs (R35, R32): one read of the list's period, and only for an empty first page of a
number with letters; a list that finds invoices, or a number of digits, reads nothing
more."""

from __future__ import annotations

from datetime import datetime

import pytest

from billing_core.invoices.listing import InvoiceFilter
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.inputs import InvalidInput
from billing_core.services.provider.invoices import list_invoices
from billing_core.shared.audit import ReadKind
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.factories import make_invoice, make_provider
from tests.unit.fake_store import AuditInMemory, FakeStore, practice_context

NOW = datetime(2026, 12, 1, 14, 5, tzinfo=AMSTERDAM)
INVOICE = make_invoice(invoice_id="inv-1")  # of the patient P-004711
VIEWER = ProviderUser(INVOICE.provider_id, "user-sub-1", Role.VIEWER)


def listed(typed: str) -> tuple[list[str], int]:
    """The ids the list holds for ``typed``, and the reads of the practice's invoices the
    case check made: those beside the one each list call makes in the in-memory store."""
    store = FakeStore([INVOICE], [make_provider()])
    ctx = practice_context(store, FixedClock(NOW))
    page = list_invoices(VIEWER, InvoiceFilter(patient_ref=typed), 25, None, ctx)
    checks = store.calls.count("provider_invoices") - store.calls.count("list_invoices")
    return [i.invoice_id for i in page.invoices], checks


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("P-004711", (["inv-1"], 0)),  # has invoices as typed: no check
        ("4711", ([], 0)),  # no invoice, but digits have no case: no check
        ("P-999", ([], 1)),  # letters, no invoice in any case: one read, an empty list
    ],
)
def test_the_check_reads_only_for_an_empty_list_of_a_number_with_letters(typed, answer):
    """Given an invoice of P-004711 / When the list is asked for ``typed`` / Then its
    invoices, and the check's reads of the practice's list: at most one."""
    assert listed(typed) == answer


def test_a_number_in_another_case_is_refused_naming_it_as_its_invoices_write_it():
    """Given an invoice of P-004711 / When the list is asked for p-004711 / Then the
    access log's refusal, at the query's patient_ref, naming P-004711."""
    with pytest.raises(InvalidInput) as refused:
        listed("p-004711")
    assert (refused.value.where, refused.value.said_as) == ("query.patient_ref", "patient_ref_case")
    assert refused.value.values == {"found": "P-004711"}


def test_the_refusal_is_recorded_as_a_read_of_the_patient_it_names():
    """R32, NEN 7513 (audit access51b). Given an invoice of P-004711 / When a viewer lists
    p-004711 and is refused / Then the refusal, which tells them that P-004711 has invoices
    here, is the list's one read record, naming the number asked and the one it found."""
    audit = AuditInMemory()
    ctx = practice_context(FakeStore([INVOICE], [make_provider()]), FixedClock(NOW), audit=audit)
    with pytest.raises(InvalidInput):
        list_invoices(VIEWER, InvoiceFilter(patient_ref="p-004711"), 25, None, ctx)
    assert [(r.kind, r.subject, r.user_id) for r in audit.records] == [
        (ReadKind.INVOICE_LIST, "patient:p-004711 patient:P-004711", "user-sub-1")
    ]
