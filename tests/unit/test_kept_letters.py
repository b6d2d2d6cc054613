"""legal-nl.md §8: letters are kept 7 years after the end of the year their invoice was
settled, then deleted. When the TTL removes an invoice, its kept PDFs go; a dunning
letter about several invoices (one PDF, recorded on each) goes with the last of them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from billing_core.correspondence.kept_letters import (
    ExpiredLettersContext,
    LettersDeleted,
    delete_letters_of_expired,
    kept_letters,
)
from billing_core.invoices.invoice import Channel, Correspondence, CoveredInvoice, Reminder
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.factories import make_invoice
from tests.unit.fake_store import FakeStore, FilesInMemory

PROVIDER = "tandarts-de-vries"
AT = datetime(2027, 1, 5, 9, tzinfo=AMSTERDAM)
INVOICE_PDF = f"print/2026-11-23/{PROVIDER}/10000000000001.pdf"
LETTER_ID = "2027-01-05:lead"
REMINDER_PDF = f"letters/{PROVIDER}/10000000000001-dunning_reminder-2027-01-05.pdf"
NOTICE_PDF = f"print/2027-02-02/{PROVIDER}/10000000000001-dunning_second_notice.pdf"


def reminder(letter_id: str = LETTER_ID, covers: tuple[str, ...] = ("lead", "other")) -> Reminder:
    return Reminder(
        letter_id=letter_id,
        sent_on=date(2027, 1, 5),
        channel=Channel.EMAIL,
        received_on=date(2027, 1, 5),
        final_date=date(2027, 1, 19),
        covers=tuple(CoveredInvoice(i, f"ref-{i}", 1000, 0) for i in covers),
    )


def letters(*extra: Correspondence) -> tuple[Correspondence, ...]:
    return (
        Correspondence("invoice", Channel.PAPER, AT, INVOICE_PDF),
        Correspondence("payment_confirmation", Channel.EMAIL, AT, "ses-1", "payment-1"),
        Correspondence(
            "dunning_reminder", Channel.EMAIL, AT, "ses-2", LETTER_ID, kept_key=REMINDER_PDF
        ),
        Correspondence(
            "dunning_second_notice", Channel.PAPER, AT, NOTICE_PDF, f"second-notice:{LETTER_ID}"
        ),
        *extra,
    )


def invoice(invoice_id: str, **overrides):
    values = {"reminder": reminder(), "correspondence": letters()} | overrides
    return make_invoice(invoice_id=invoice_id, provider_id=PROVIDER, **values)


def expire(removed, still_stored=()):
    files = FilesInMemory()
    for key in (INVOICE_PDF, REMINDER_PDF, NOTICE_PDF, "print/other.pdf"):
        files.put(key, b"%PDF", "application/pdf")
    ctx = ExpiredLettersContext(FakeStore(still_stored), files, FixedClock(date(2034, 1, 1)))
    return delete_letters_of_expired(removed, ctx), set(files.files)


def test_an_invoice_alone_takes_its_posted_and_emailed_letters_with_it():
    """Given an invoice with its posted PDF and a reminder and second notice about it alone
    When the TTL removed it
    Then the three PDFs are deleted; confirmations kept no PDF, other files stay."""
    alone = invoice("lead", reminder=reminder(covers=("lead",)))
    assert expire(alone) == (LettersDeleted(deleted=3), {"print/other.pdf"})


@pytest.mark.parametrize("removed_first", ["lead", "other"])
def test_a_letter_about_two_invoices_goes_with_the_last_of_them(removed_first):
    """Given a reminder and second notice about two invoices, recorded on both
    When the TTL removes one while the other is still stored
    Then their PDFs stay; when it removes the other, they go."""
    both = {i: invoice(i) for i in ("lead", "other")}
    last = "other" if removed_first == "lead" else "lead"
    done, left = expire(both[removed_first], still_stored=[both[last]])
    # its own posted invoice goes; the two letters stay
    assert done == LettersDeleted(deleted=1, kept_for_another_invoice=2)
    assert {REMINDER_PDF, NOTICE_PDF} <= left
    done, left = expire(both[last])
    assert done.kept_for_another_invoice == 0 and REMINDER_PDF not in left


def test_a_letter_of_a_superseded_reminder_is_left_to_the_backstop_when_its_invoices_are_unknown():
    """Given the lead of a reminder superseded since (undelivered: a new one replaced it),
    so the invoice no longer says which others the old letter covered
    When the TTL removed it
    Then the old letter's PDFs are not deleted: another invoice may still need them; the
    bucket's backstop rule takes them (template.yaml)."""
    lead = invoice("lead", reminder=reminder("2027-03-01:lead", covers=("lead",)))
    done, left = expire(lead)
    assert done == LettersDeleted(deleted=1, left_to_backstop=2)
    assert {REMINDER_PDF, NOTICE_PDF} <= left


def test_a_key_under_another_practice_is_never_a_kept_letter():
    """R26: a letter names its key; only the invoice's own practice's prefix counts."""
    foreign = Correspondence("invoice", Channel.PAPER, AT, "print/2026-11-23/fysio/1.pdf")
    assert kept_letters(invoice("lead", correspondence=(foreign,))) == []
