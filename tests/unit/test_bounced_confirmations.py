"""Confirmations after a permanent bounce (R7: "a patient with an e-mail address gets a
digital invoice ...; otherwise paper"; R15, R23, R30; delivery.deliver_message): nothing
is e-mailed to an address that bounced on the invoice. What the patient must have (an
arrangement's terms) goes on paper, or without a postal address to the practice's open
actions; a confirmation of what the patient did or paid is not sent. A new amount (a stop,
coulance, a corrected invoice: R21, legal-nl.md §7) goes on paper as well, as it does to a
patient who never had an e-mail address."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import datetime

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from billing_core.changes.arrangement import create_arrangement
from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.correspondence.delivery import deliver_invoice, letter_print_key
from billing_core.correspondence.kinds import (
    ARRANGEMENT_CONFIRMATION,
    DEFERRAL_CONFIRMATION,
    INVOICE_CORRECTED,
    OBJECTION_ACKNOWLEDGEMENT,
    PAYMENT_RECEIVED,
    STOP_CONFIRMATION,
)
from billing_core.declarations.claims import Language
from billing_core.invoices.invoice import Channel, InvoiceStatus
from billing_core.ports import DeliveryRequest
from billing_core.providers.actions import ActionKind
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import (
    KENMERK,
    PUBLIC,
    REFERENCE,
    make_address,
    make_invoice,
    make_line,
    make_person,
    make_provider,
)
from tests.unit.faults import Killed
from tests.unit.test_dunning_delivery import page_text, post_with
from tests.unit.test_invoice_pdf import shown_lines

NOW = datetime(2026, 11, 25, 19, 0, tzinfo=AMSTERDAM)
DEAD = "s.vanderberg@example.nl"


def arranged(**person):
    invoice = make_invoice(
        lines=(make_line(unit_price_cents=30000),),
        patient=make_person(**person),
        status=InvoiceStatus.SENT,
    )
    return replace(create_arrangement(invoice, make_provider(), 3, NOW), bounced_emails=(DEAD,))


def request_for(invoice, kind, event_id="arrangement"):
    return DeliveryRequest(invoice.provider_id, invoice.invoice_id, kind=kind, event_id=event_id)


def test_an_arrangement_confirmation_to_a_bounced_address_goes_on_paper():
    """Given an arrangement on an invoice whose e-mail address bounced permanently, when its
    confirmation is delivered, then nothing is e-mailed; its terms go to the day's print
    batch as a letter (R7, R15), noted on the invoice once."""
    invoice = arranged()
    post = post_with([invoice], NOW)

    letter = deliver_invoice(request_for(invoice, ARRANGEMENT_CONFIRMATION), post.context)
    again = deliver_invoice(request_for(invoice, ARRANGEMENT_CONFIRMATION), post.context)

    assert post.outbox.sent == []
    key = letter_print_key(invoice, ARRANGEMENT_CONFIRMATION, NOW.date().isoformat(), "arrangement")
    assert (letter.channel, letter.message_id) == (Channel.PAPER, key)
    assert again == letter
    shown = page_text(post.files.files[key])
    assert "Uw betalingsregeling" in shown and "€ 310,00 in 3 maandelijkse termijnen" in shown
    assert "Oudegracht 231 bis" in shown and KENMERK in shown
    assert "automatisch" not in shown  # the e-mail's own footer is not on paper
    stored = post.store.invoice(invoice.invoice_id)
    assert [c for c in stored.correspondence if c.kind == ARRANGEMENT_CONFIRMATION] == [letter]


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
@pytest.mark.parametrize("on_paper", [False, True])
def test_r15_an_arrangements_confirmation_names_the_account_to_transfer_its_terms_to(
    language, on_paper
):
    """R15, R12, audit letters57: the confirmation said "or transfer the amount quoting
    payment reference ..." and named no account (0 of 8 renders, nl/en/pl/ar by e-mail and
    on paper), while the patient keeps it to pay each term by.
    Given an arrangement of a patient in ``language``, whose address works or bounced
    When its confirmation is delivered, by e-mail or on paper
    Then every form of it names zorgnota's IBAN in groups and the account holder"""
    invoice = arranged(language=Language(language))
    if not on_paper:
        invoice = replace(invoice, bounced_emails=())
    post = post_with([invoice], NOW)

    deliver_invoice(request_for(invoice, ARRANGEMENT_CONFIRMATION), post.context)

    if on_paper:
        (pdf,) = [body for key, body in post.files.files.items() if key.endswith(".pdf")]
        forms = [" ".join(page_text(pdf).split())]
    else:
        (sent,) = post.outbox.sent
        forms = [sent[1].text, sent[1].html]
    for form in (form.replace("\u00a0", " ") for form in forms):  # as it shows
        assert "NL91 ABNA 0417 1643 00" in form, form
        assert "Stichting Derdengelden zorgnota" in form, form


def test_an_arrangement_confirmation_without_any_address_is_the_practices_action():
    """Given the same but no complete postal address, then nothing is sent and the practice
    has one open action to pass the terms on (R23), also when delivered twice."""
    invoice = arranged(address=make_address(street="", house_number=""))
    post = post_with([invoice], NOW)

    for _ in range(2):
        assert deliver_invoice(request_for(invoice, ARRANGEMENT_CONFIRMATION), post.context) is None

    assert post.outbox.sent == [] and post.files.files == {}
    (action,) = post.store.list_actions(invoice.provider_id)
    assert action.kind is ActionKind.BOUNCE and action.invoice_id == invoice.invoice_id
    assert action.details["message_kind"] == ARRANGEMENT_CONFIRMATION
    assert DEAD not in str(action.details)  # the bounce's own action names the address


@pytest.mark.parametrize(
    "kind", [DEFERRAL_CONFIRMATION, OBJECTION_ACKNOWLEDGEMENT, PAYMENT_RECEIVED]
)
def test_a_confirmation_of_what_the_patient_did_is_not_sent_to_a_bounced_address(kind):
    """R7: not e-mailed to the dead address (the address may differ in case), not posted:
    the checker shows the same; nothing is noted and no action is made."""
    invoice = replace(arranged(), bounced_emails=(DEAD,))
    invoice = replace(invoice, patient=make_person(email="S.vanderBerg@Example.nl"))
    post = post_with([invoice], NOW)

    assert deliver_invoice(request_for(invoice, kind, "event-1"), post.context) is None

    assert post.outbox.sent == [] and post.files.files == {}
    assert post.store.list_actions(invoice.provider_id) == []
    assert post.store.invoice(invoice.invoice_id).correspondence == invoice.correspondence


def test_a_confirmation_to_another_address_than_the_bounced_one_is_sent():
    """The practice corrected the address (R21's e-mail field): the new one works."""
    invoice = replace(arranged(), patient=make_person(email="nieuw@example.nl"))
    post = post_with([invoice], NOW)

    letter = deliver_invoice(request_for(invoice, ARRANGEMENT_CONFIRMATION), post.context)

    assert letter.channel is Channel.EMAIL
    assert [to for to, _, _ in post.outbox.sent] == ["nieuw@example.nl"]


# --- a new amount: a stop, coulance, a corrected invoice (R21, legal-nl.md §7) ---------------


def lowered(email):
    """An English-speaking patient's sent invoice of € 300.00, of which the practice stopped
    € 100.00; ``email``: none (a paper invoice) or the one that bounced permanently."""
    invoice = make_invoice(
        lines=(make_line(unit_price_cents=30000),),
        patient=make_person(email=email, language=Language.EN),
        status=InvoiceStatus.SENT,
    )
    stop = StopRequest(StopScope.PARTIAL, "goodwill", email, True, amount_cents=10000)
    stopped = apply_stop(invoice, stop, NOW, "provider:u-1:stop-1")
    return replace(stopped, bounced_emails=(DEAD,) if email else ())


def scanned(pdf: bytes) -> str:
    """What the letter's QR code opens."""
    (picture,) = PdfReader(io.BytesIO(pdf)).pages[0].images
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(picture.data)))
    return code.text


@pytest.mark.parametrize(
    "kind, event_id", [(STOP_CONFIRMATION, "stop-1"), (INVOICE_CORRECTED, "retour:ledger-2")]
)
@pytest.mark.parametrize("email", ["", DEAD], ids=["paper-invoice", "bounced"])
def test_a_new_amount_goes_on_paper_without_an_email_address_that_works(kind, event_id, email):
    """R21, R7, legal-nl.md §7 ("you then get the adjusted amount ... and pay that before
    the final payment date"): Given a stop on the invoice of a patient without an e-mail
    address, or whose address bounced permanently, when the confirmation of the new amount
    is delivered (twice), then nothing is e-mailed and one letter goes to the day's print
    batch with what the e-mail says, in the patient's language: the amount, the final
    payment date, the kenmerk, the practice's contact, and a QR code that opens the
    checker for this invoice; it is noted on the invoice once."""
    invoice = lowered(email)
    post = post_with([invoice], NOW)

    letter = deliver_invoice(request_for(invoice, kind, event_id), post.context)
    again = deliver_invoice(request_for(invoice, kind, event_id), post.context)

    assert post.outbox.sent == []
    key = letter_print_key(invoice, kind, NOW.date().isoformat(), event_id)
    assert (letter.channel, letter.message_id) == (Channel.PAPER, key)
    assert again == letter
    pdf = post.files.files[key]
    shown = page_text(pdf)
    assert "You now pay €200.00, no later than 23 December 2026." in shown
    assert KENMERK in shown and "Oudegracht 231 bis" in shown
    assert "030 123 4567" in shown and "praktijk@tandarts-de-vries.example.org" in shown
    assert scanned(pdf) == f"{PUBLIC}/?kenmerk={REFERENCE}&lang=en"
    stored = post.store.invoice(invoice.invoice_id)
    assert [c for c in stored.correspondence if c.kind == kind] == [letter]


@pytest.mark.parametrize(
    "kind, event_id", [(STOP_CONFIRMATION, "stop-1"), (INVOICE_CORRECTED, "retour:ledger-2")]
)
def test_r7_a_paper_confirmation_prints_each_kenmerk_whole_on_one_line(kind, event_id):
    """R7, R36, audit letters57: the letter is titled by the e-mail's subject, whose kenmerk
    has plain spaces; "Your invoice has been lowered - payment reference 1232 8869" ended
    the title's line and "6591 91" began the next (14 of 44 paper confirmations, nl/en).
    Typed over from two lines, a number goes wrong.
    Given a stop on the invoice of an English-speaking patient without an e-mail address
    When its confirmation is printed for the post
    Then every kenmerk the letter shows (beside the window, in its title and its text)
    stands whole on one line: no line holds its first group without the rest"""
    invoice = lowered("")
    post = post_with([invoice], NOW)

    letter = deliver_invoice(request_for(invoice, kind, event_id), post.context)

    lines = shown_lines(post.files.files[letter.message_id])
    first_group = re.compile(rf"\b{KENMERK.split()[0]}\b")
    begun = sum(len(first_group.findall(line)) for line in lines)
    whole = sum(line.count(KENMERK) for line in lines)
    assert begun == whole >= 3, lines


def test_a_new_amount_without_any_address_is_the_practices_action():
    """R23: the stop's confirmation with nowhere to go is the practice's to pass on."""
    invoice = replace(lowered(""), patient=make_person(email="", address=make_address(street="")))
    post = post_with([invoice], NOW)

    assert deliver_invoice(request_for(invoice, STOP_CONFIRMATION, "stop-1"), post.context) is None

    assert post.outbox.sent == [] and post.files.files == {}
    (action,) = post.store.list_actions(invoice.provider_id)
    assert action.details["message_kind"] == STOP_CONFIRMATION


@pytest.mark.parametrize(
    "kind, events",
    [
        # A later upload's credit and the insurer's retour, the same day (issue 7)
        (INVOICE_CORRECTED, ("declaration:upload-7", "retour:ledger-3")),
        # Two retours of one invoice the same day, and an operator's correction (R34)
        (INVOICE_CORRECTED, ("retour:ledger-3", "retour:ledger-4", "correction:2")),
        (STOP_CONFIRMATION, ("stop-1", "stop-2")),
    ],
)
def test_two_letters_of_one_kind_on_one_day_are_two_pdfs_in_the_print_batch(kind, events):
    """R30, R7, legal-nl.md §8 (letters are kept): given a paper patient's invoice corrected
    twice on one day, when both confirmations are delivered (and again, as a queue may),
    then the print batch holds one PDF for each, neither overwriting the other, each
    under the key its letter on the invoice names, and a redelivery puts nothing new."""
    invoice = lowered("")
    post = post_with([invoice], NOW)

    letters = [deliver_invoice(request_for(invoice, kind, e), post.context) for e in events]
    again = [deliver_invoice(request_for(invoice, kind, e), post.context) for e in events]

    keys = [letter.message_id for letter in letters]
    assert again == letters and len(set(keys)) == len(events)
    printed = [key for key in post.files.files if key.endswith(".pdf")]
    assert sorted(printed) == sorted(keys)
    assert all(key.startswith(f"print/{NOW.date()}/{invoice.provider_id}/") for key in keys)
    for event, key in zip(events, keys, strict=True):
        assert key == letter_print_key(invoice, kind, NOW.date().isoformat(), event)
        assert event.split(":")[0] not in key  # a digest: an event id may name a file or user


def test_a_paper_confirmation_put_before_a_crash_is_noted_days_later_and_not_put_again():
    """R38, R7 (fix small37 item 1): Given an arrangement confirmation on paper put in
    Wednesday 25 November's print batch by a delivery that died before noting it, when the
    dead-letter queue is redriven on Friday the 27th, then the letter in Wednesday's batch
    is noted and nothing is put again: the patient gets the one letter posted, as a paper
    invoice and a dunning letter do (delivery._print_batch)."""
    invoice = arranged()
    post = post_with([invoice], NOW)
    save_invoice = post.store.save_invoice

    def killed_when_noted(current):
        if any(c.kind == ARRANGEMENT_CONFIRMATION for c in current.correspondence):
            raise Killed("the process ended after the put, before the note")
        return save_invoice(current)

    post.store.save_invoice = killed_when_noted
    with pytest.raises(Killed):
        deliver_invoice(request_for(invoice, ARRANGEMENT_CONFIRMATION), post.context)
    post.store.save_invoice = save_invoice
    post.clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=AMSTERDAM))
    put_before = dict(post.files.written_at)

    letter = deliver_invoice(request_for(invoice, ARRANGEMENT_CONFIRMATION), post.context)

    key = letter_print_key(invoice, ARRANGEMENT_CONFIRMATION, "2026-11-25", "arrangement")
    assert post.files.written_at == put_before  # not put again
    assert [k for k in post.files.files if k.endswith(".pdf")] == [key]
    assert (letter.channel, letter.message_id) == (Channel.PAPER, key)
    stored = post.store.invoice(invoice.invoice_id)
    assert [c for c in stored.correspondence if c.kind == ARRANGEMENT_CONFIRMATION] == [letter]
    assert stored.paper_messages == ()  # its batch day goes once it is noted


def test_a_paper_confirmation_whose_put_failed_goes_in_the_batch_of_its_redelivery():
    """R38, R7, legal-nl.md §2: Given an arrangement confirmation on paper whose delivery on
    Wednesday 25 November recorded that day's print batch and failed before the put (an S3
    error), when the dead-letter queue is redriven on Friday the 27th, then one letter is
    in the print batches, in Friday's (Wednesday's may have been collected), dated Friday."""
    invoice = arranged()
    post = post_with([invoice], NOW)
    put = post.files.put

    def s3_failed(key, body, content_type):
        raise ConnectionError("S3 did not answer")

    post.files.put = s3_failed
    with pytest.raises(ConnectionError):
        deliver_invoice(request_for(invoice, ARRANGEMENT_CONFIRMATION), post.context)
    post.files.put = put
    post.clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=AMSTERDAM))

    letter = deliver_invoice(request_for(invoice, ARRANGEMENT_CONFIRMATION), post.context)

    key = letter_print_key(invoice, ARRANGEMENT_CONFIRMATION, "2026-11-27", "arrangement")
    assert [k for k in post.files.files if k.endswith(".pdf")] == [key] == [letter.message_id]
    assert "27 november 2026" in page_text(post.files.files[key])
    assert post.store.invoice(invoice.invoice_id).paper_messages == ()
