"""Delivering the dunning letters the run queued (R19, R30; delivery.py): by the reminder's
channel, once per (kind, event id), noted on every invoice the letter is about, and not
at all when everything was paid meanwhile.

The invoices are made by the run's own steps and stored in the in-memory store; e-mails
go to an outbox, paper letters to the in-memory print bucket.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest

from billing_core.correspondence.delivery import (
    DeliveryContext,
    deliver_dunning_letter,
    deliver_invoice,
)
from billing_core.declarations.claims import Language
from billing_core.dunning.interest import accrued_interest
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE, NotALetter
from billing_core.dunning.policy import DunningPolicy
from billing_core.dunning.steps import charge_costs, send_reminder
from billing_core.invoices.invoice import Channel
from billing_core.invoices.open_costs import open_costs
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.ports import DeliveryRequest
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.texts.letters import texts_for
from tests.unit.factories import PUBLIC, make_provider
from tests.unit.fake_store import FakeStore, FilesInMemory
from tests.unit.faults import Killed
from tests.unit.test_dunning_letters import COSTS_AT, COSTS_DAY, REMINDER_DAY, open_invoices
from tests.unit.test_invoice_pdf import ACCOUNT, page_count, shown

POLICY = DunningPolicy()
PROVIDER = "tandarts-de-vries"
DELIVERED_AT = datetime(2027, 1, 8, 6, 5, tzinfo=AMSTERDAM)


@dataclass
class Outbox:
    """A Notifier that keeps what it was asked to send."""

    sent: list[tuple[str, object, list]] = field(default_factory=list)

    def send(self, to, email, attachments):
        self.sent.append((to, email, list(attachments)))
        return f"ses-{len(self.sent)}"


@dataclass
class Post:
    store: FakeStore
    outbox: Outbox
    files: FilesInMemory
    clock: FixedClock

    @property
    def context(self) -> DeliveryContext:
        return DeliveryContext(self.store, self.files, self.outbox, self.clock, PUBLIC, ACCOUNT)


def post_with(invoices, moment=DELIVERED_AT) -> Post:
    store = FakeStore(invoices, [make_provider()])
    return Post(store, Outbox(), FilesInMemory(), FixedClock(moment))


def reminder_request(invoices) -> DeliveryRequest:
    letter = invoices[0].letters_due[-1]
    lead = invoices[0].invoice_id
    return DeliveryRequest(PROVIDER, lead, kind=letter.kind, event_id=letter.event_id)


def reminded(*principals, **person):
    return send_reminder(open_invoices(*principals, **person), POLICY, REMINDER_DAY)


def charged(*principals, **person):
    return charge_costs(reminded(*principals, **person), POLICY, COSTS_DAY, COSTS_AT)


def page_text(pdf: bytes) -> str:
    """What the pages of a delivered (compressed) PDF show, whitespace collapsed."""
    return " ".join(shown(pdf).split())


def notes(store, invoice_id, kind):
    return notes_of(store.invoice(invoice_id), kind)


def notes_of(invoice, kind):
    return [c for c in invoice.correspondence if c.kind == kind]


# --- the reminder ------------------------------------------------------------------------


def test_an_emailed_reminder_goes_out_with_its_letter_and_is_noted_on_every_invoice():
    """Given a reminder for two invoices of a patient with e-mail, when the queue delivers
    it, then one e-mail goes to the patient with the letter as PDF, it is noted (kind,
    time, message id, letter) on both invoices, and the lead no longer waits for it."""
    invoices = reminded(10_000, 20_000)
    post = post_with(invoices)

    letter = deliver_invoice(reminder_request(invoices), post.context)  # the queue's entry

    ((to, email, attachments),) = post.outbox.sent
    assert to == "s.vanderberg@example.nl"
    assert email.kind == REMINDER and email.subject.startswith("Herinnering: 2 nota's")
    assert "€\u00a045,00 aan buitengerechtelijke incassokosten" in email.text
    (pdf,) = attachments
    assert pdf.filename == "herinnering-10000000000001.pdf" and pdf.content.startswith(b"%PDF-")
    assert (letter.channel, letter.message_id, letter.at) == (Channel.EMAIL, "ses-1", DELIVERED_AT)
    for invoice in invoices:
        assert notes(post.store, invoice.invoice_id, REMINDER) == [letter]
    assert letter.event_id == invoices[0].reminder.letter_id
    assert post.store.invoice("inv-1").letters_due == ()
    # legal-nl.md §8: the letter is kept, the very PDF that was attached
    kept = f"letters/{PROVIDER}/10000000000001-dunning_reminder-{REMINDER_DAY.isoformat()}.pdf"
    assert post.files.files == {kept: pdf.content}
    assert letter.kept_key == kept


def test_an_emailed_letter_sent_again_after_a_crash_is_kept_under_the_same_key():
    """Given a reminder sent by e-mail whose note was never written (the process stopped
    after sending), when the queue delivers it again, then the copy kept for the practice
    is put under the same key (legal-nl.md §8), and the second notice gets its own."""
    invoices = reminded(10_000)
    post = post_with(invoices)
    first = deliver_dunning_letter(reminder_request(invoices), post.context)
    post.store.put_invoice_as_is(invoices[0])  # as if its note was never written

    again = deliver_dunning_letter(reminder_request(invoices), post.context)

    assert again.kept_key == first.kept_key and list(post.files.files) == [first.kept_key]
    assert post.files.files[first.kept_key] == post.outbox.sent[-1][2][0].content
    assert "s.vanderberg" not in first.kept_key and invoices[0].bsn not in first.kept_key  # R29


def test_a_paper_reminder_goes_to_the_print_batch():
    """Given a patient without e-mail, when the reminder is delivered, then the letter is
    in the day's print batch under the lead's kenmerk and the kind, and nothing is
    e-mailed; the print key is what is noted as the message id."""
    invoices = reminded(10_000, email="")
    post = post_with(invoices)

    letter = deliver_dunning_letter(reminder_request(invoices), post.context)

    key = f"print/2027-01-08/{PROVIDER}/10000000000001-dunning_reminder.pdf"
    posting = f"print/2027-01-08/{PROVIDER}/posting.json"  # issue 12: the batch's posting
    assert list(post.files.files) == [key, posting] and post.outbox.sent == []
    assert (letter.channel, letter.message_id) == (Channel.PAPER, key)
    assert notes(post.store, "inv-1", REMINDER) == [letter]
    text = page_text(post.files.files[key])
    assert "Betaal uiterlijk 26 januari 2027" in text  # received Tue 12 Jan + 14 days
    assert "3511 NK UTRECHT" in text and "€ 40,00 aan buitengerechtelijke incassokosten" in text


def test_the_english_patient_gets_an_english_letter():
    invoices = reminded(10_000, language=Language.EN)
    post = post_with(invoices)

    deliver_dunning_letter(reminder_request(invoices), post.context)

    ((_, email, _),) = post.outbox.sent
    assert email.language == "en" and "within fourteen days after the day" in email.text


def test_a_letter_delivered_twice_is_sent_once():
    """Given a delivered reminder, when the queue delivers the same request again (or the
    run queues it again), then nothing is sent or written a second time (R18, R30)."""
    invoices = reminded(10_000, 20_000)
    post = post_with(invoices)
    first = deliver_dunning_letter(reminder_request(invoices), post.context)
    stored = dict(post.store.invoices)

    again = deliver_dunning_letter(reminder_request(invoices), post.context)

    assert again == first
    assert len(post.outbox.sent) == 1
    assert post.store.invoices == stored  # same versions: nothing written


def test_a_crash_after_noting_the_lead_is_repaired_by_the_second_delivery():
    """Given the letter was sent and noted on the lead, but the process stopped before the
    other invoice was noted, when the queue delivers again, then the other invoice gets
    the note and nothing is sent again."""
    invoices = reminded(10_000, 20_000)
    post = post_with(invoices)
    deliver_dunning_letter(reminder_request(invoices), post.context)
    post.store.put_invoice_as_is(invoices[1])  # as if its note was never written

    deliver_dunning_letter(reminder_request(invoices), post.context)

    assert len(post.outbox.sent) == 1
    assert notes(post.store, "inv-2", REMINDER) == notes(post.store, "inv-1", REMINDER)


def test_nothing_is_sent_when_every_invoice_was_paid_meanwhile():
    """Given a reminder for two invoices, when both are paid before the letter goes out,
    then nothing is sent or printed, nothing is noted as sent, and the lead no longer
    waits for it (the run stops queueing it)."""
    invoices = reminded(10_000, 20_000)
    paid = [
        apply_payment(
            i, IncomingPayment("bank", f"e-{i.invoice_id}", i.amount_due_cents, DELIVERED_AT)
        )
        for i in invoices
    ]
    post = post_with(paid)

    assert deliver_invoice(reminder_request(invoices), post.context) is None

    assert post.outbox.sent == [] and post.files.files == {}
    assert post.store.invoice("inv-1").letters_due == ()
    assert notes(post.store, "inv-1", REMINDER) == notes(post.store, "inv-2", REMINDER) == []


def test_a_reminder_still_goes_out_while_one_of_its_invoices_is_open():
    invoices = reminded(10_000, 20_000)
    first_paid = apply_payment(invoices[0], IncomingPayment("bank", "e-1", 10_000, DELIVERED_AT))
    post = post_with([first_paid, invoices[1]])

    assert deliver_dunning_letter(reminder_request(invoices), post.context) is not None
    assert len(post.outbox.sent) == 1


def test_a_request_for_another_letter_than_the_invoices_is_refused():
    invoices = reminded(10_000)
    post = post_with(invoices)
    request = DeliveryRequest(PROVIDER, "inv-1", kind=REMINDER, event_id="2026-01-01:other")

    with pytest.raises(NotALetter):
        deliver_dunning_letter(request, post.context)
    assert post.outbox.sent == []


def test_a_paper_reminder_put_before_its_batchs_posting_record_gets_it_on_the_redrive():
    """R38, legal-nl.md §2 (known stop 37, Delivery): Given a paper reminder, the
    practice's first letter of Friday 8 January's print batch, whose delivery put its PDF
    and died before the batch's posting record, when the dead-letter queue is redriven on
    Sunday the 10th, then Friday's batch has its posting record (posted Friday) next to the
    one letter, which is noted with Friday's dates and not put again."""
    invoices = reminded(10_000, email="")
    post = post_with(invoices, datetime(2027, 1, 8, 22, 0, tzinfo=AMSTERDAM))
    put = post.files.put

    def died_before_the_posting_record(key, body, content_type):
        if key.endswith("posting.json"):
            raise Killed("the process ended between the two puts")
        put(key, body, content_type)

    post.files.put = died_before_the_posting_record
    with pytest.raises(Killed):
        deliver_dunning_letter(reminder_request(invoices), post.context)
    post.files.put = put
    post.clock.set(datetime(2027, 1, 10, 9, 0, tzinfo=AMSTERDAM))
    pdf_put = post.files.written_at[
        f"print/2027-01-08/{PROVIDER}/10000000000001-dunning_reminder.pdf"
    ]

    letter = deliver_dunning_letter(reminder_request(invoices), post.context)

    key = f"print/2027-01-08/{PROVIDER}/10000000000001-dunning_reminder.pdf"
    posting = f"print/2027-01-08/{PROVIDER}/posting.json"
    assert sorted(post.files.files) == [key, posting]
    assert post.files.written_at[key] == pdf_put  # not put again
    assert json.loads(post.files.files[posting])["posted_on"] == "2027-01-08"
    assert letter.message_id == key and notes(post.store, "inv-1", REMINDER) == [letter]
    reminder = post.store.invoice("inv-1").reminder
    assert (reminder.received_on, reminder.final_date) == (date(2027, 1, 12), date(2027, 1, 26))


# --- the second notice ---------------------------------------------------------------------


def test_the_second_notice_goes_out_with_the_lead_and_is_noted_on_the_unpaid_invoices():
    """Given two charged invoices of which the second was paid since, when the second
    notice is delivered (after the reminder was), then it asks for the first only, with
    its costs and the interest of the day, and is noted on the first and the lead."""
    invoices = charged(100_000, 20_000)
    paid = apply_payment(invoices[1], IncomingPayment("psp", "tr_1", 50_000, COSTS_AT))
    post = post_with([invoices[0], paid], datetime(2027, 1, 23, 6, 5, tzinfo=AMSTERDAM))
    request = reminder_request(invoices)
    assert request.kind == SECOND_NOTICE

    letter = deliver_dunning_letter(request, post.context)

    ((_, email, attachments),) = post.outbox.sent
    assert email.subject == (
        "Laatste aanmaning: nota van Tandartspraktijk De Vries - betalingskenmerk 1000 0000 0000 01"
    )
    assert "1000 0000 0000 02" not in email.text
    assert "op 6 februari 2027 over aan een incassobureau" in email.text
    assert attachments[0].filename == "aanmaning-10000000000001.pdf"
    kept = f"letters/{PROVIDER}/10000000000001-second_notice-{REMINDER_DAY.isoformat()}.pdf"
    assert (letter.kept_key, post.files.files) == (kept, {kept: attachments[0].content})
    assert notes(post.store, "inv-1", SECOND_NOTICE) == [letter]
    assert notes(post.store, "inv-2", SECOND_NOTICE) == []
    # the reminder is still waiting on the lead: only the notice was taken off
    assert [p.kind for p in post.store.invoice("inv-1").letters_due] == [REMINDER]


def test_a_paper_second_notice_goes_to_the_print_batch_dated_the_day_it_is_made():
    """The paper reminder of Friday 8 January is received Tuesday the 12th, its term ends
    the 26th: the costs come on the 27th (issue 12: no interest for a day in the term)."""
    costs_at = datetime(2027, 1, 27, 6, 0, tzinfo=AMSTERDAM)
    invoices = charge_costs(reminded(100_000, email=""), POLICY, costs_at.date(), costs_at)
    post = post_with(invoices, datetime(2027, 1, 27, 6, 5, tzinfo=AMSTERDAM))

    deliver_dunning_letter(reminder_request(invoices), post.context)

    key = f"print/2027-01-27/{PROVIDER}/10000000000001-second_notice.pdf"
    assert list(post.files.files) == [key, f"print/2027-01-27/{PROVIDER}/posting.json"]
    text = page_text(post.files.files[key])
    assert "Datum 27 januari 2027" in text and "€ 3,73" in text  # 34 days of interest


def test_a_paper_second_notice_whose_lead_was_paid_before_the_redrive_is_printed_once():
    """R38, legal-nl.md §2 (known stop 37, Delivery): Given a paper second notice about
    two invoices, put in Wednesday 27 January's print batch at 23:58 by a delivery that
    died before noting it, and its lead (the first invoice) paid on the 28th, when the
    dead-letter queue is redriven on Friday the 29th, then the one letter in the print
    batches is Wednesday's, noted on the invoice still open, and no second letter is made
    for it: the letter's PDF is named by its lead, which the retry asks for again, not by
    the first invoice it is still about."""
    costs_at = datetime(2027, 1, 27, 6, 0, tzinfo=AMSTERDAM)
    invoices = charge_costs(reminded(100_000, 20_000, email=""), POLICY, costs_at.date(), costs_at)
    post = _killed_once_noted(
        invoices, datetime(2027, 1, 27, 23, 58, tzinfo=AMSTERDAM), kind=SECOND_NOTICE
    )
    lead = post.store.invoice("inv-1")
    paid_at = datetime(2027, 1, 28, 10, 0, tzinfo=AMSTERDAM)
    post.store.put_invoice_as_is(
        apply_payment(lead, IncomingPayment("bank", "e-1", lead.amount_due_cents, paid_at))
    )
    post.clock.set(datetime(2027, 1, 29, 9, 0, tzinfo=AMSTERDAM))

    letter = deliver_dunning_letter(reminder_request(invoices), post.context)

    key = f"print/2027-01-27/{PROVIDER}/10000000000001-second_notice.pdf"
    assert sorted(post.files.files) == [key, f"print/2027-01-27/{PROVIDER}/posting.json"]
    assert letter.message_id == key and notes(post.store, "inv-2", SECOND_NOTICE) == [letter]
    assert [p.kind for p in post.store.invoice("inv-1").letters_due] == [REMINDER]


@pytest.mark.parametrize("kind", [REMINDER, SECOND_NOTICE])
def test_an_emailed_letter_whose_lead_was_paid_before_the_redrive_is_kept_once(kind):
    """R38, legal-nl.md §8 (known stop 38, Delivery): Given an e-mailed dunning letter
    about two invoices, sent at 23:58 by a delivery that died before noting it, and its
    lead (the first invoice) paid the next day, when the dead-letter queue is redriven two
    days later, then the copy kept for the practice is put under the same key as the
    first attempt's, one copy and not a second: it is named by its lead, as a posted one
    is, and by the run's day, which a later sending does not move (the reminder's
    ``sent_on`` does)."""
    invoices = reminded(100_000, 20_000)
    sent_at = datetime(2027, 1, 8, 23, 58, tzinfo=AMSTERDAM)
    if kind == SECOND_NOTICE:
        sent_at = datetime(2027, 1, 27, 23, 58, tzinfo=AMSTERDAM)
        invoices = charge_costs(invoices, POLICY, sent_at.date(), sent_at)
    post = _killed_once_noted(invoices, sent_at, kind=kind)
    [first_key] = post.files.files
    lead = post.store.invoice("inv-1")
    paid_at = sent_at + timedelta(hours=10)
    post.store.put_invoice_as_is(
        apply_payment(lead, IncomingPayment("bank", "e-1", lead.amount_due_cents, paid_at))
    )
    post.clock.set(sent_at + timedelta(days=2))

    letter = deliver_dunning_letter(reminder_request(invoices), post.context)

    assert len(post.outbox.sent) == 2  # e-mail goes at least once (README)
    assert first_key == f"letters/{PROVIDER}/10000000000001-{kind}-2027-01-08.pdf"
    assert letter.kept_key == first_key and list(post.files.files) == [first_key]
    assert post.files.files[first_key] == post.outbox.sent[-1][2][0].content
    assert notes(post.store, "inv-2", kind) == [letter]


@pytest.mark.parametrize("language", list(Language))
def test_a_second_notice_sent_again_after_its_costs_were_paid_still_names_them(language):
    """legal-nl.md §2-§3, R19, R20, R38 (known stop 39, Texts): Given an e-mailed second
    notice charging € 150,00 collection costs (15 % of € 1.000,00), sent by a delivery
    that died before noting it, and a payment of € 150,00 the next day (it pays the costs
    first, §5), when the dead-letter queue is redriven, then the letter rendered again
    (its e-mail and its kept PDF) still says the announced collection costs (art. 6:96
    BW) are owed, with their column, as the letter sent said: the wording follows the
    costs the notice charged, not the costs still open; only a notice that charged none
    (a nil BIK) leaves them out."""
    sent_at = datetime(2027, 1, 23, 23, 58, tzinfo=AMSTERDAM)
    invoices = charge_costs(reminded(100_000, language=language), POLICY, COSTS_DAY, COSTS_AT)
    post = _killed_once_noted(invoices, sent_at, kind=SECOND_NOTICE)
    paid_at = sent_at + timedelta(hours=10)
    costs = IncomingPayment("bank", "e-1", 15_000, paid_at)
    post.store.put_invoice_as_is(apply_payment(post.store.invoice("inv-1"), costs))
    assert open_costs(post.store.invoice("inv-1").ledger).collection_costs_cents == 0
    post.clock.set(sent_at + timedelta(days=2))

    letter = deliver_dunning_letter(reminder_request(invoices), post.context)

    t = texts_for(language.value, ("email.second_notice",))
    first, again = (email for _, email, _ in post.outbox.sent)
    assert first.kind == again.kind == SECOND_NOTICE
    kept = page_text(post.files.files[letter.kept_key])
    for said in (first.text, again.text, again.html, kept):
        assert "6:96" in said and t("col_costs") in said, said
    assert "6:96" not in t("now_due_interest")


@pytest.mark.parametrize("email", ["s.vanderberg@example.nl", ""], ids=["e-mailed", "posted"])
def test_a_second_notice_without_its_lead_keeps_its_name_when_its_first_invoice_is_paid(email):
    """R30, R38, legal-nl.md §8 (known stop 39, Texts and letters): Given a second notice
    about three invoices whose lead (the first) was paid before it went out, so it is
    about the other two and its PDF is named by the second's kenmerk, put by a delivery
    on Wednesday 27 January at 23:58 that died before noting it, and the second invoice
    paid the next day, when the dead-letter queue is redriven on Friday the 29th, then
    the one PDF (kept of the e-mail, or in the print batch) is still the one named by the
    second's kenmerk: the key recorded before the first put, not one named anew by the
    third, so no second copy and no second letter posted."""
    costs_at = datetime(2027, 1, 27, 6, 0, tzinfo=AMSTERDAM)
    invoices = reminded(100_000, 20_000, 30_000, email=email)
    invoices = charge_costs(invoices, POLICY, costs_at.date(), costs_at)
    lead = invoices[0]
    invoices[0] = apply_payment(lead, IncomingPayment("bank", "e-1", 200_000, costs_at))
    sent_at = datetime(2027, 1, 27, 23, 58, tzinfo=AMSTERDAM)
    post = _killed_once_noted(invoices, sent_at, kind=SECOND_NOTICE)
    (first_key,) = [key for key in post.files.files if key.endswith(".pdf")]
    assert f"/10000000000002-{SECOND_NOTICE}" in first_key
    second = post.store.invoice("inv-2")
    paid = IncomingPayment("bank", "e-2", second.amount_due_cents, sent_at + timedelta(hours=10))
    post.store.put_invoice_as_is(apply_payment(second, paid))
    post.clock.set(datetime(2027, 1, 29, 9, 0, tzinfo=AMSTERDAM))

    letter = deliver_dunning_letter(reminder_request(invoices), post.context)

    assert [key for key in post.files.files if key.endswith(".pdf")] == [first_key]
    assert (letter.kept_key or letter.message_id) == first_key
    assert notes(post.store, "inv-3", SECOND_NOTICE) == [letter]


@pytest.mark.parametrize("language", list(Language))
def test_a_second_notice_sent_again_after_its_costs_were_paid_shows_what_it_charged(language):
    """legal-nl.md §2-§3, R19, R20, R38 (known stop 40, Letters): Given an e-mailed second
    notice charging € 150,00 collection costs, sent by a delivery that died before noting
    it, and € 150,00 paid the next day (it pays the costs first, §5), when the dead-letter
    queue is redriven, then the letter rendered again (its e-mail, text and HTML, and its
    kept PDF) shows the € 150,00 it charged in the costs column, as the letter sent did, not
    today's € 0,00, and says under the amounts that € 150,00 of them is paid: its total asks
    only what is open (the € 1.000,00 and the interest)."""
    sent_at = datetime(2027, 1, 23, 23, 58, tzinfo=AMSTERDAM)
    invoices = charge_costs(reminded(100_000, language=language), POLICY, COSTS_DAY, COSTS_AT)
    post = _killed_once_noted(invoices, sent_at, kind=SECOND_NOTICE)
    costs = IncomingPayment("bank", "e-1", 15_000, sent_at + timedelta(hours=10))
    post.store.put_invoice_as_is(apply_payment(post.store.invoice("inv-1"), costs))
    post.clock.set(sent_at + timedelta(days=2))

    letter = deliver_dunning_letter(reminder_request(invoices), post.context)

    t = texts_for(language.value, ("common", "email.second_notice"))
    first, again = (email for _, email, _ in post.outbox.sent)
    charged, nothing = t.euros(15_000), t.euros(0)
    # R9 (audit pdf7): an Arabic text part's line isolates its amount left to right
    ltr = "\u2066{}\u2069".format if language is Language.AR else str
    assert f"{t('col_costs')}: {ltr(charged)}" in first.text
    assert f"{t('col_costs')}: {ltr(charged)}" in again.text, again.text
    assert f"{t('col_costs')}: {ltr(nothing)}" not in again.text, again.text
    paid = " ".join(t("costs_paid_note", charged=charged, paid=charged).split())
    kept = page_text(post.files.files[letter.kept_key])
    shown_html = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", again.html)).split())
    for said in (" ".join(again.text.split()), shown_html, kept):
        if said is kept and language is Language.AR:  # its lines are read in visual order
            continue
        assert paid in said, said
    invoice, day = post.store.invoice("inv-1"), post.clock.today()
    total = t.euros(invoice.balance_cents + accrued_interest(invoice, day))
    assert invoice.balance_cents == 100_000 and f"{t('total_due')}: {ltr(total)}" in again.text


@pytest.mark.parametrize("language", list(Language))
def test_a_second_notice_sent_again_after_its_costs_were_paid_fits_on_one_page(language):
    """R9, R30, R38 (known stop 41, LANG3-2): Given the e-mailed second notice of the test
    above, sent by a delivery that died before noting it, and its € 150,00 costs paid the
    next day, when the dead-letter queue is redriven, then the letter rendered again, with
    the note of the costs paid under its amounts, is one page in every language, as the
    one sent was: the Polish one ran to a second page that held only the closing and the
    signature, its table's headings wrapped to two lines in columns narrower than they
    needed while the table had room to spare. The letter's type stays 9.5 pt."""
    sent_at = datetime(2027, 1, 23, 23, 58, tzinfo=AMSTERDAM)
    invoices = charge_costs(reminded(100_000, language=language), POLICY, COSTS_DAY, COSTS_AT)
    post = _killed_once_noted(invoices, sent_at, kind=SECOND_NOTICE)
    (first,) = [pdf for key, pdf in post.files.files.items() if key.endswith(".pdf")]
    costs = IncomingPayment("bank", "e-1", 15_000, sent_at + timedelta(hours=10))
    post.store.put_invoice_as_is(apply_payment(post.store.invoice("inv-1"), costs))
    post.clock.set(sent_at + timedelta(days=2))

    letter = deliver_dunning_letter(reminder_request(invoices), post.context)

    again = post.files.files[letter.kept_key]
    assert again != first  # rendered again, with the note of the costs paid
    assert (page_count(first), page_count(again)) == (1, 1), language


def test_no_second_notice_when_everything_is_paid():
    invoices = charged(100_000)
    paid = apply_payment(invoices[0], IncomingPayment("psp", "tr_1", 200_000, COSTS_AT))
    post = post_with([paid])

    assert deliver_dunning_letter(reminder_request(invoices), post.context) is None
    assert post.outbox.sent == []
    assert [p.kind for p in post.store.invoice("inv-1").letters_due] == [REMINDER]


def test_the_print_day_is_the_delivery_day_not_the_reminder_day():
    """A letter made after midnight goes into that day's batch, posted Saturday the 9th
    instead of Friday: received Wednesday the 13th (Tuesday is the first delivery day),
    so the letter prints and the invoice keeps 27 January as the final date, not the
    26th the run computed for Friday's batch (issue 12 item 13, legal-nl.md §2)."""
    invoices = reminded(10_000, email="")
    post = post_with(invoices, datetime(2027, 1, 9, 0, 30, tzinfo=AMSTERDAM))

    deliver_dunning_letter(reminder_request(invoices), post.context)

    key = f"print/2027-01-09/{PROVIDER}/10000000000001-dunning_reminder.pdf"
    assert list(post.files.files) == [key, f"print/2027-01-09/{PROVIDER}/posting.json"]
    assert "Betaal uiterlijk 27 januari 2027" in page_text(post.files.files[key])
    reminder = post.store.invoice("inv-1").reminder
    assert (reminder.received_on, reminder.final_date) == (date(2027, 1, 13), date(2027, 1, 27))


def _killed_once_noted(invoices, at, kind=REMINDER):
    """The post of ``invoices`` at ``at``, whose first delivery of their paper reminder (or
    letter of ``kind``) put the PDF and died before noting it on the invoice."""
    post = post_with(invoices, at)
    save_invoice = post.store.save_invoice

    def killed_when_noted(invoice):
        if notes_of(invoice, kind):
            raise Killed("the process ended after the put, before the note")
        return save_invoice(invoice)

    post.store.save_invoice = killed_when_noted
    with pytest.raises(Killed):
        deliver_dunning_letter(reminder_request(invoices), post.context)
    post.store.save_invoice = save_invoice
    return post


def test_a_paper_reminder_retried_after_midnight_is_printed_once_with_its_dates():
    """R38, legal-nl.md §2 (audit DELIVERY1): Given a paper reminder put in Friday 8
    January's print batch at 23:58 by a delivery that died before noting it, when the
    queue delivers it again at 00:03 on Saturday, then one letter is in the print batches,
    in Friday's, noted under that key, and it and the invoice keep Friday's dates
    (received Tuesday the 12th, pay by the 26th), not Saturday's batch and the 27th."""
    invoices = reminded(10_000, email="")
    post = _killed_once_noted(invoices, datetime(2027, 1, 8, 23, 58, tzinfo=AMSTERDAM))
    post.clock.set(datetime(2027, 1, 9, 0, 3, tzinfo=AMSTERDAM))

    letter = deliver_dunning_letter(reminder_request(invoices), post.context)

    key = f"print/2027-01-08/{PROVIDER}/10000000000001-dunning_reminder.pdf"
    assert list(post.files.files) == [key, f"print/2027-01-08/{PROVIDER}/posting.json"]
    assert letter.message_id == key and notes(post.store, "inv-1", REMINDER) == [letter]
    assert "Betaal uiterlijk 26 januari 2027" in page_text(post.files.files[key])
    reminder = post.store.invoice("inv-1").reminder
    assert (reminder.received_on, reminder.final_date) == (date(2027, 1, 12), date(2027, 1, 26))
    assert post.store.invoice("inv-1").letters_due == ()


def test_a_paper_reminder_whose_put_failed_goes_in_the_batch_of_its_redelivery_days_later():
    """R38, R7, legal-nl.md §2 (audit DELIVERY1, its redrive): Given a paper reminder whose
    delivery on Friday 8 January recorded Friday's print batch and then failed before the
    PDF was put (an S3 error), when the dead-letter queue is redriven on Sunday the 10th,
    then one letter is in the print batches, in Sunday's, noted under that key, and it and
    the invoice are dated by Sunday's batch: Friday's may have been collected already, and
    a 14-day term must count from a posting that happens."""
    invoices = reminded(10_000, email="")
    post = post_with(invoices, datetime(2027, 1, 8, 22, 0, tzinfo=AMSTERDAM))
    put = post.files.put

    def s3_failed(key, body, content_type):
        raise ConnectionError("S3 did not answer")

    post.files.put = s3_failed
    with pytest.raises(ConnectionError):
        deliver_dunning_letter(reminder_request(invoices), post.context)
    post.files.put = put
    post.clock.set(datetime(2027, 1, 10, 9, 0, tzinfo=AMSTERDAM))

    letter = deliver_dunning_letter(reminder_request(invoices), post.context)

    key = f"print/2027-01-10/{PROVIDER}/10000000000001-dunning_reminder.pdf"
    assert list(post.files.files) == [key, f"print/2027-01-10/{PROVIDER}/posting.json"]
    assert letter.message_id == key and notes(post.store, "inv-1", REMINDER) == [letter]
    assert "Betaal uiterlijk 27 januari 2027" in page_text(post.files.files[key])
    reminder = post.store.invoice("inv-1").reminder
    assert reminder.sent_on == date(2027, 1, 10)
    assert (reminder.received_on, reminder.final_date) == (date(2027, 1, 13), date(2027, 1, 27))
    assert post.store.invoice("inv-1").letters_due == ()


def test_a_paper_reminder_put_before_a_crash_is_noted_days_later_and_not_put_again():
    """R38, legal-nl.md §2 (audit DELIVERY1): Given a paper reminder put in Friday 8
    January's print batch by a delivery that died before noting it, when the dead-letter
    queue is redriven on Sunday the 10th, then the letter in Friday's batch is noted with
    Friday's dates and nothing is put again: the patient gets the one letter posted."""
    invoices = reminded(10_000, email="")
    post = _killed_once_noted(invoices, datetime(2027, 1, 8, 22, 0, tzinfo=AMSTERDAM))
    post.clock.set(datetime(2027, 1, 10, 9, 0, tzinfo=AMSTERDAM))
    put_before = dict(post.files.written_at)

    letter = deliver_dunning_letter(reminder_request(invoices), post.context)

    key = f"print/2027-01-08/{PROVIDER}/10000000000001-dunning_reminder.pdf"
    assert post.files.written_at == put_before  # not put again
    assert list(post.files.files) == [key, f"print/2027-01-08/{PROVIDER}/posting.json"]
    assert letter.message_id == key and notes(post.store, "inv-1", REMINDER) == [letter]
    reminder = post.store.invoice("inv-1").reminder
    assert (reminder.received_on, reminder.final_date) == (date(2027, 1, 12), date(2027, 1, 26))
    assert post.store.invoice("inv-1").letters_due == ()
