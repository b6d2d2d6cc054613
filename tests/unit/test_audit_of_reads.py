"""The audit of reads (R32, NEN 7513): every read of an invoice, a patient list or an
export by a provider user is recorded by the service itself (who, role, provider, kind,
id, when — never the data), so the API and the portal cannot differ."""

from __future__ import annotations

from datetime import datetime

from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.ports import InvoiceFilter
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.provider.blocked_patients import blocked_patients
from billing_core.services.provider.context import ProviderContext
from billing_core.services.provider.invoices import invoice_detail, list_invoices
from billing_core.shared.audit import ReadKind, ReadRecord
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.factories import make_invoice, make_provider
from tests.unit.fake_store import AuditInMemory, FakeQueue, FakeStore, FilesInMemory

NOW = datetime(2026, 12, 1, 14, 5, tzinfo=AMSTERDAM)
PRACTICE = "tandarts-de-vries"
VIEWER = ProviderUser(PRACTICE, "user-sub-1", Role.VIEWER)


def practice_user(audit: AuditInMemory) -> ProviderContext:
    store = FakeStore([make_invoice(invoice_id="inv-1")], [make_provider()])
    return ProviderContext(
        store,
        FilesInMemory(),
        None,
        FakeQueue(),
        FixedClock(NOW),
        users=InMemoryUserDirectory(),
        audit=audit,
    )


def test_opening_an_invoice_records_who_read_which_invoice_and_when():
    """Given a viewer of the practice, when they open invoice inv-1 and then an id the
    practice does not have, then the audit holds one read: theirs, of inv-1, now."""
    audit = AuditInMemory()
    ctx = practice_user(audit)

    assert invoice_detail(VIEWER, "inv-1", ctx) is not None
    assert invoice_detail(VIEWER, "inv-404", ctx) is None

    assert audit.records == [
        ReadRecord(NOW, PRACTICE, "user-sub-1", "viewer", ReadKind.INVOICE, "inv-1")
    ]


def test_a_list_of_invoices_and_the_blocked_patients_are_recorded_without_their_data():
    """Given the same viewer, when they list one patient's invoices and the blocked
    patients, then both reads are recorded by kind, the first naming the patient number
    asked for, and no name, amount or address is in any record."""
    audit = AuditInMemory()
    ctx = practice_user(audit)

    list_invoices(VIEWER, InvoiceFilter(patient_ref="P-17"), 25, None, ctx)
    blocked_patients(VIEWER, ctx)

    assert [(r.kind, r.subject) for r in audit.records] == [
        (ReadKind.INVOICE_LIST, "patient:P-17"),
        (ReadKind.PATIENT_LIST, "blocked"),
    ]
    invoice = make_invoice()
    for record in audit.records:
        assert invoice.patient.display_name not in repr(record)
