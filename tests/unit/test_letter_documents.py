"""Opening a letter of an invoice in the portal (R30, R35, issue 16): the posted PDFs
as kept in the print batch, the invoice itself as the patient gets it, and every
opening audited as a read (R32, NEN 7513)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from billing_core.invoices.invoice import Channel, Correspondence
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.provider.context import ProviderContext
from billing_core.services.provider.letters import can_open, letter_document
from billing_core.shared.audit import ReadKind
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import Forbidden
from tests.unit.factories import make_invoice, make_provider
from tests.unit.fake_store import AuditInMemory, FakeStore, FilesInMemory, practice_context

NOW = datetime(2026, 12, 1, 14, 5, tzinfo=AMSTERDAM)
PRACTICE = "tandarts-de-vries"
POSTED_KEY = f"print/2026-11-20/{PRACTICE}/000012345678.pdf"
LETTERS = (
    Correspondence("invoice", Channel.EMAIL, NOW, "ses-1"),
    Correspondence("dunning_reminder", Channel.PAPER, NOW, POSTED_KEY),
    Correspondence("dunning_reminder", Channel.EMAIL, NOW, "ses-2"),
    Correspondence("second_notice", Channel.PAPER, NOW, "print/2026-11-20/other/1.pdf"),
)
INVOICE = replace(make_invoice(invoice_id="inv-1"), correspondence=LETTERS)


def practice(audit: AuditInMemory) -> ProviderContext:
    files = FilesInMemory()
    files.put(POSTED_KEY, b"%PDF posted reminder", "application/pdf")
    files.put("print/2026-11-20/other/1.pdf", b"%PDF another practice's", "application/pdf")
    return practice_context(
        FakeStore([INVOICE], [make_provider()]),
        FixedClock(NOW),
        files=files,
        audit=audit,
        invoice_document=lambda invoice, _: (f"nota-{invoice.reference}.pdf", b"%PDF invoice"),
    )


def test_the_invoice_and_a_posted_reminder_open_and_each_opening_is_audited():
    # Given a viewer of the practice and an invoice e-mailed, then reminded on paper
    audit = AuditInMemory()
    viewer = ProviderUser(PRACTICE, "user-1", Role.VIEWER)
    ctx = practice(audit)
    # When they open the invoice and the posted reminder
    invoice = letter_document(viewer, "inv-1", 0, ctx)
    reminder = letter_document(viewer, "inv-1", 1, ctx)
    # Then they get the PDFs, named for the patient, and the audit has both reads
    assert (invoice.file_name, invoice.pdf) == (f"nota-{INVOICE.reference}.pdf", b"%PDF invoice")
    assert reminder.pdf == b"%PDF posted reminder"
    assert reminder.file_name == f"herinnering-{INVOICE.reference}.pdf"
    assert [(r.kind, r.subject, r.role) for r in audit.records] == [
        (ReadKind.LETTER, "inv-1:0:invoice patient:P-004711", "viewer"),
        (ReadKind.LETTER, "inv-1:1:dunning_reminder patient:P-004711", "viewer"),
    ]


@pytest.mark.parametrize(
    ("provider_id", "invoice_id", "position"),
    [
        (PRACTICE, "inv-1", 2),  # an e-mailed reminder: no copy kept
        (PRACTICE, "inv-1", 3),  # a key outside the practice's own print prefix
        (PRACTICE, "inv-1", 4),  # no such letter
        (PRACTICE, "inv-2", 0),  # no such invoice
        ("fysio-centrum", "inv-1", 1),  # another practice's invoice (R26)
    ],
)
def test_what_cannot_be_opened_is_not_found_and_not_audited(provider_id, invoice_id, position):
    audit = AuditInMemory()
    someone = ProviderUser(provider_id, "user-2", Role.ADMIN)
    assert letter_document(someone, invoice_id, position, practice(audit)) is None
    assert audit.records == []


def test_the_invoice_page_offers_only_the_letters_that_open():
    assert [can_open(INVOICE, letter) for letter in LETTERS] == [True, True, False, False]


def test_an_emailed_reminder_and_second_notice_open_from_their_kept_copies():
    """legal-nl.md §8 keeps letters, whatever the channel: an e-mailed dunning letter
    opens from the copy the delivery kept of its attachment under ``letters/``, only
    under the practice's own prefix (R26)."""
    # Given an invoice reminded and given notice by e-mail, copies kept
    reminder_key = f"letters/{PRACTICE}/{INVOICE.reference}-dunning_reminder-2026-11-20.pdf"
    emailed = (
        Correspondence("dunning_reminder", Channel.EMAIL, NOW, "ses-5", kept_key=reminder_key),
        Correspondence(
            "second_notice", Channel.EMAIL, NOW, "ses-6", kept_key="letters/other/1.pdf"
        ),
    )
    audit = AuditInMemory()
    ctx = practice(audit)
    ctx.store.put_invoice_as_is(replace(INVOICE, invoice_id="inv-3", correspondence=emailed))
    ctx.files.put(reminder_key, b"%PDF e-mailed reminder", "application/pdf")
    ctx.files.put("letters/other/1.pdf", b"%PDF another practice's", "application/pdf")
    viewer = ProviderUser(PRACTICE, "user-1", Role.VIEWER)
    # When a viewer opens them
    reminder = letter_document(viewer, "inv-3", 0, ctx)
    notice = letter_document(viewer, "inv-3", 1, ctx)
    # Then the reminder is the kept PDF, audited; another practice's key is not read
    assert (reminder.file_name, reminder.pdf) == (
        f"herinnering-{INVOICE.reference}.pdf",
        b"%PDF e-mailed reminder",
    )
    assert notice is None
    assert [can_open(INVOICE, letter) for letter in emailed] == [True, False]
    assert [r.subject for r in audit.records] == ["inv-3:0:dunning_reminder patient:P-004711"]


def test_a_user_without_a_role_is_refused_before_anything_is_read():
    audit = AuditInMemory()
    with pytest.raises(Forbidden):
        letter_document(ProviderUser(PRACTICE, "user-3", None), "inv-1", 0, practice(audit))
    assert audit.records == []
