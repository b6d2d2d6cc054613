"""The invoice PDF served after it was sent (R36: the checker after the birth date; R30:
the portal and the provider API; correspondence/invoice_copy.py): the invoice as its
addressee received it, and on its first page what is due now when that changed since.

Audit LETTERS1: re-rendered from the invoice as it stood, the copy asked the old amount
by a coulance's new final date (a patient who followed it overpaid), and once the
insurer's statement was in, with its proposal still open, it asked the full amount by
the original date instead of "don't pay yet" (legal-nl.md §7, R37).

The invoices are sent by the real delivery (deliver_invoice) into an outbox, so the
copy is compared with the PDF the addressee really got.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from billing_core.changes.coulance import (
    apply_coulance,
    awaits_insurer_statement,
    proposal_decided,
    propose,
    with_statement,
)
from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.correspondence.delivery import DeliveryContext, deliver_invoice
from billing_core.correspondence.invoice_copy import invoice_copy
from billing_core.correspondence.pdf import render_invoice_pdf
from billing_core.declarations.claims import Language
from billing_core.invoices.invoice import (
    Arrangement,
    ArrangementTerm,
    Channel,
    InsurerStatement,
    Invoice,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.ports import DeliveryRequest
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.texts.catalogue import by_channel
from billing_core.texts.letters import texts_for
from tests.unit.factories import PUBLIC, make_invoice, make_line, make_person, make_provider
from tests.unit.fake_store import FakeStore, FilesInMemory
from tests.unit.test_dunning_delivery import Outbox
from tests.unit.test_invoice_pdf import ACCOUNT, shown

# A practice without a contract with the patient's insurer, that waits for the statement.
WAITS = make_provider(coulance=CoulancePolicy(wait_for_statement=True))
SENT_AT = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)  # issued 06:30 the same day
STATEMENT_AT = datetime(2026, 12, 10, 10, 0, tzinfo=AMSTERDAM)
TODAY = STATEMENT_AT.date()
# Reimbursed € 150 of € 300: the policy's 60% minimum asks € 180 and forgives € 120.
STATEMENT = InsurerStatement(
    reimbursed_cents=15000, withheld_deductible_cents=0, received_at=STATEMENT_AT
)
ASKED_AS_SENT = "Maak € 300,00 uiterlijk 23 december 2026"
OLD_AMOUNT_NEW_DATE = "Maak € 300,00 uiterlijk 9 januari 2027"
DONT_PAY_YET = "betaal deze nota nog niet"
COPY_HEADING = "Dit is de nota zoals wij die op 23 november 2026 per e-mail verstuurden"


def delivered(provider=WAITS, **invoice) -> tuple[Invoice, bytes]:
    """(the invoice as stored after its first delivery, the PDF the e-mail had attached)."""
    issued = make_invoice(lines=(make_line(unit_price_cents=30000),), **invoice)
    store, outbox = FakeStore([issued], [provider]), Outbox()
    context = DeliveryContext(store, FilesInMemory(), outbox, FixedClock(SENT_AT), PUBLIC, ACCOUNT)
    deliver_invoice(DeliveryRequest(issued.provider_id, issued.invoice_id), context)
    [(_, _, [attachment])] = outbox.sent
    return store.get_invoice(issued.provider_id, issued.invoice_id), attachment.content


def copy_of(invoice: Invoice, provider=WAITS, today: date = TODAY) -> bytes:
    return invoice_copy(invoice, provider, today, public_base_url=PUBLIC, account=ACCOUNT)


def text(pdf: bytes) -> str:
    return " ".join(shown(pdf).split())


def coulance_applied(invoice: Invoice) -> Invoice:
    proposal = propose(invoice, WAITS, STATEMENT)
    term = WAITS.payment_term_days
    return apply_coulance(
        with_statement(invoice, STATEMENT),
        proposal,
        STATEMENT_AT,
        "statement:1",
        payment_term_days=term,
    )


def test_r36_the_first_delivery_is_the_invoice_as_it_stands_and_keeps_its_final_date():
    """Given a non-contracted invoice of a practice that waits for the statement (§7),
    when it is delivered, then the e-mail's PDF is the invoice rendered as it stands, with
    "don't pay yet" and no notice of a copy, and the invoice keeps the final payment date
    it was sent with (R7, R36)."""
    issued = make_invoice(lines=(make_line(unit_price_cents=30000),))
    sent, attached = delivered()
    assert attached == render_invoice_pdf(issued, WAITS, public_base_url=PUBLIC, account=ACCOUNT)
    assert DONT_PAY_YET in text(attached)
    assert "zoals wij die op" not in text(attached)
    assert sent.sent_final_payment_date == date(2026, 12, 23)


def test_r36_an_unchanged_invoice_is_served_as_the_very_pdf_that_was_sent():
    """Given a delivered invoice nothing happened to, when the checker serves it, then it
    is the same bytes as the PDF the e-mail had attached (R36)."""
    sent, attached = delivered()
    assert copy_of(sent) == attached


def test_letters1_after_the_coulance_the_copy_is_as_sent_and_says_what_is_due_now():
    """Given a non-contracted invoice of a practice that waits for the statement, when the
    statement is sent and the coulance applied (€ 180 due by 9 January 2027), then the
    copy never asks the old amount by the new date: it is the invoice as sent ("don't pay
    yet", 23 December 2026) and on its first page says € 180,00 by 9 January 2027 (R36,
    R37, legal-nl.md §7; audit LETTERS1)."""
    sent, _ = delivered()
    adjusted = coulance_applied(sent)
    assert (adjusted.amount_due_cents, adjusted.final_payment_date) == (18000, date(2027, 1, 9))
    shows = text(copy_of(adjusted))
    assert OLD_AMOUNT_NEW_DATE not in shows
    assert DONT_PAY_YET in shows
    assert "Uiterste betaaldatum 23 december 2026" in shows
    assert COPY_HEADING in shows
    assert "U betaalt nu € 180,00, uiterlijk 9 januari 2027" in shows
    # On the first page, before the invoice's own words.
    assert shows.index(COPY_HEADING) < shows.index(DONT_PAY_YET)


def test_letters1_with_the_proposal_still_open_the_copy_still_says_dont_pay_yet():
    """Given the same invoice, when the statement is in and its proposal waits on the
    practice's action list, then the copy still says "don't pay yet" (the patient waits
    for the adjusted amount, legal-nl.md §7) and asks no € 300,00 by 23 December: it is
    the PDF that was sent, with on its first page that the practice decides on the
    adjusted amount (R36, R37, R17; audit LETTERS1; stop 36: the copy did not say so, the
    checker did; test_follow_up_channel.py has it in every language)."""
    sent, _ = delivered()
    waiting = with_statement(sent, replace(STATEMENT, proposal_open=True))
    shows = text(copy_of(waiting))
    assert ASKED_AS_SENT not in shows
    assert DONT_PAY_YET in shows
    assert COPY_HEADING in shows
    assert "uw zorgverlener beslist nu over het aangepaste bedrag" in shows


def test_r7_an_e_mailed_invoice_whose_address_bounced_is_copied_as_sent_and_says_post_now():
    """R7, R36 (known.md stop 37, Texts). Given a non-contracted invoice sent by e-mail
    ("don't pay yet": the adjusted amount comes by e-mail), whose address then bounced
    permanently, so that the adjusted amount goes by post now
    When the checker serves its copy, nothing else changed
    Then the invoice as sent says "per e-mail" as the PDF the e-mail had attached did, not
    "per post", and a notice on its first page says the adjusted amount now comes by post."""
    sent, attached = delivered()
    bounced = replace(sent, bounced_emails=(sent.addressee.email.casefold(),))
    assert bounced.correspondence[0].channel is Channel.EMAIL
    assert bounced.follow_up_channel is Channel.PAPER
    shows = text(copy_of(bounced))
    notice, as_sent = shows.split("Let op: betaal deze nota nog niet")
    assert COPY_HEADING in notice
    assert (
        "het aangepaste bedrag met een nieuwe uiterste betaaldatum krijgt u nu per post" in notice
    )
    assert as_sent.count("per e-mail") == text(attached).count("per e-mail") == 2
    assert "per post" not in as_sent
    assert ASKED_AS_SENT not in shows


def test_r37_a_declined_proposal_ends_dont_pay_yet_and_the_copy_says_so():
    """Given the statement's proposal declined by the practice, when the checker serves the
    copy, then it says what is due now (€ 300,00 by 23 December 2026): the "don't pay
    yet" it was sent with no longer holds (legal-nl.md §7)."""
    sent, _ = delivered()
    declined = proposal_decided(with_statement(sent, replace(STATEMENT, proposal_open=True)), TODAY)
    shows = text(copy_of(declined))
    assert COPY_HEADING in shows
    assert "U betaalt nu € 300,00, uiterlijk 23 december 2026" in shows


def test_r36_an_invoice_sent_before_its_final_date_was_kept_renders_with_the_issued_date():
    """Given an invoice sent before the final date it was sent with was kept, when the
    coulance moved its final date, then the copy gives the date issuing gave (issue date
    plus the payment term), never the new one (R36)."""
    sent, _ = delivered()
    old = coulance_applied(replace(sent, sent_final_payment_date=None))
    shows = text(copy_of(old))
    assert "Uiterste betaaldatum 23 december 2026" in shows
    assert OLD_AMOUNT_NEW_DATE not in shows


def test_r36_a_copy_asks_the_amount_as_sent_after_a_retour_changed_it():
    """Given an invoice sent asking € 300,00, when a retour later deducts € 50,00, then
    the copy still shows what it asked when sent and says € 250,00 is due now (R5, R36)."""
    provider = make_provider()
    sent, _ = delivered(provider)
    retour = LedgerEntry(
        EntryKind.REIMBURSEMENT, Component.PRINCIPAL, -5000, STATEMENT_AT, "retour:r.xml"
    )
    shows = text(copy_of(sent.with_entry(retour), provider))
    assert ASKED_AS_SENT in shows
    assert "U betaalt nu € 250,00, uiterlijk 23 december 2026" in shows


def test_r36_a_paid_invoice_s_copy_says_nothing_is_due():
    """Given a sent invoice, when it is paid, then its copy says nothing is due (R36)."""
    provider = make_provider()
    sent, _ = delivered(provider)
    paid = sent.with_entry(
        LedgerEntry(EntryKind.PAYMENT, Component.PRINCIPAL, -30000, STATEMENT_AT, "psp:tr_1")
    )
    shows = text(copy_of(paid, provider))
    assert "er staat niets meer open, u hoeft niets te betalen" in shows
    assert ASKED_AS_SENT in shows


def test_r15_under_an_arrangement_the_copy_names_the_next_term():
    """Given a sent invoice under an arrangement, when the checker serves its copy, then
    the notice names the next term and its date, never everything by that date (R15, R36)."""
    provider = make_provider()
    sent, _ = delivered(provider)
    terms = tuple(ArrangementTerm(date(2027, 1, day), 10000) for day in (5, 19))
    arranged = sent.with_arrangement(Arrangement(STATEMENT_AT, terms, fee_cents=0))
    shows = text(copy_of(arranged, provider))
    assert "uw volgende termijn is € 100,00, uiterlijk 5 januari 2027" in shows


def test_r15_r36_under_an_arrangement_the_copy_still_offers_what_the_sent_invoice_offered():
    """R15, R36 (review57): the copy is the invoice as its addressee received it. Given a
    sent invoice of € 300,00, whose "more time?" sentence offered the deferral or an
    arrangement, When the checker serves its copy after an arrangement was made, Then the
    copy still says what was sent (before: only the deferral, which the arrangement now
    refuses, as the checker refuses a second arrangement)."""
    provider = make_provider()
    sent, attached = delivered(provider)
    terms = tuple(ArrangementTerm(date(2027, 1, day), 15000) for day in (5, 19))
    arranged = sent.with_arrangement(Arrangement(STATEMENT_AT, terms, fee_cents=0))
    offer = "of treft u een betalingsregeling"
    assert offer in text(attached)

    assert offer in text(copy_of(arranged, provider))


def test_r36_once_the_date_that_counts_passed_the_copy_names_no_date():
    """Given a sent invoice paid in part, when the checker serves its copy after the final
    date passed (before any reminder), then the notice gives what is due now and no date:
    a date that has passed is not one to pay by (R36)."""
    provider = make_provider()
    sent, _ = delivered(provider)
    later = TODAY + timedelta(days=60)
    partly_paid = sent.with_entry(
        LedgerEntry(EntryKind.PAYMENT, Component.PRINCIPAL, -1000, STATEMENT_AT, "psp:tr_2")
    )
    shows = text(copy_of(partly_paid, provider, later))
    assert "U betaalt nu € " in shows
    assert "dat bedrag geldt, niet dat hieronder" in shows


@pytest.mark.parametrize(
    ("language", "heading", "due"),
    [
        (Language.EN, "This is the invoice as we sent it by e-mail on 23 November 2026", "€180.00"),
        (
            Language.PL,
            "To jest faktura w wersji wysłanej e-mailem dnia 23 listopada 2026",
            "180,00",
        ),
        (Language.AR, "هذه هي الفاتورة كما أرسلناها بالبريد الإلكتروني في", "180"),
    ],
)
def test_r9_the_notice_is_in_the_addressee_s_language(language, heading, due):
    """R9, R36: the copy's notice in English, Polish and Arabic (the last two marked for a
    native speaker's review)."""
    sent, _ = delivered(patient=make_person(language=language))
    shows = text(copy_of(coulance_applied(sent)))
    assert heading in shows
    assert due in shows


# The copy's heading as each language says it, by how the invoice was sent (R7).
SENT_BY = {
    (Language.NL, Channel.EMAIL): "zoals wij die op 23 november 2026 per e-mail verstuurden",
    (Language.NL, Channel.PAPER): "zoals wij die op 23 november 2026 per post verstuurden",
    (Language.EN, Channel.EMAIL): "as we sent it by e-mail on 23 November 2026",
    (Language.EN, Channel.PAPER): "as we sent it by post on 23 November 2026",
    (Language.PL, Channel.EMAIL): "w wersji wysłanej e-mailem dnia 23 listopada 2026",
    (Language.PL, Channel.PAPER): "w wersji wysłanej pocztą dnia 23 listopada 2026",
    (Language.AR, Channel.EMAIL): "كما أرسلناها بالبريد الإلكتروني في",
    (Language.AR, Channel.PAPER): "كما أرسلناها بالبريد العادي في",
}


@pytest.mark.parametrize(("language", "channel"), list(SENT_BY))
def test_r7_the_copy_s_heading_says_how_the_invoice_was_sent(language, channel):
    """R7, R36 (known.md stop 38, Texts). Given an invoice delivered on 23 November 2026 by
    e-mail, or on paper to a patient without an e-mail address
    When the coulance changed what is due and the checker serves its copy
    Then the notice's heading says the day it was sent and how: "per e-mail" or "per
    post", in the addressee's language (pl, ar marked for a native speaker's review);
    never the other channel's words."""
    email = "" if channel is Channel.PAPER else "s.vanderberg@example.nl"
    issued = make_invoice(
        lines=(make_line(unit_price_cents=30000),),
        patient=make_person(language=language, email=email),
    )
    store = FakeStore([issued], [WAITS])
    context = DeliveryContext(
        store, FilesInMemory(), Outbox(), FixedClock(SENT_AT), PUBLIC, ACCOUNT
    )
    deliver_invoice(DeliveryRequest(issued.provider_id, issued.invoice_id), context)
    sent = store.get_invoice(issued.provider_id, issued.invoice_id)
    assert sent.correspondence[0].channel is channel
    shows = text(copy_of(coulance_applied(sent)))
    other = Channel.EMAIL if channel is Channel.PAPER else Channel.PAPER
    assert SENT_BY[language, channel] in shows
    assert SENT_BY[language, other] not in shows


# (the amount now, how the adjusted amount comes now): legal-nl.md §7, with no date to
# pay by while "don't pay yet" holds (round 39 texts4: it said "you now pay € 250,00 by
# 23 December 2026" beside the invoice's "don't pay yet")
DUE_AND_BY_POST = {
    Language.NL: ("het bedrag is nu ", "Betaal nog niet: het aangepaste bedrag"),
    Language.EN: ("the amount is now ", "Do not pay yet: you will get the adjusted amount by post"),
    Language.PL: ("kwota wynosi teraz ", "otrzyma Pan/Pani pocztą"),
    Language.AR: ("المبلغ الآن", "ستصلكم بالبريد العادي"),
}
BY_EMAIL = {
    Language.NL: "per e-mail",
    Language.EN: "by e-mail",
    Language.PL: "e-mailem",
    Language.AR: "بالبريد الإلكتروني",
}


@pytest.mark.parametrize("language", list(DUE_AND_BY_POST))
def test_r7_when_the_amount_and_the_channel_changed_the_notice_says_both(language):
    """R7, R36, legal-nl.md §7 (known.md stop 38, Texts). Given a non-contracted invoice
    e-mailed asking € 300,00 ("don't pay yet": the adjusted amount comes by e-mail), whose
    address then bounced permanently (it comes by post now), and from which a retour
    then deducted € 50,00, the statement still awaited
    When the checker serves its copy
    Then its notice says both: the amount is € 250,00 now, not to be paid yet (no date:
    legal-nl.md §7, as the checker says it), and the adjusted amount comes by post; "by
    e-mail" only in its heading, how the invoice was sent (it said the amount only)."""
    sent, _ = delivered(patient=make_person(language=language))
    bounced = replace(sent, bounced_emails=(sent.addressee.email.casefold(),))
    retour = LedgerEntry(
        EntryKind.REIMBURSEMENT, Component.PRINCIPAL, -5000, STATEMENT_AT, "retour:r.xml"
    )
    heading = texts_for(language.value, ("common",))("dont_pay_yet_heading")
    notice, _ = text(copy_of(bounced.with_entry(retour))).split(heading)
    amount_now, comes_by_post = DUE_AND_BY_POST[language]
    assert amount_now in notice and AMOUNT_250[language] in notice
    assert comes_by_post in notice
    if language is Language.NL:
        assert "krijgt u per post" in notice
    assert notice.count(BY_EMAIL[language]) == 1


# € 250,00 as each language writes it (Arabic, read back from its shaped glyphs, by its
# digits)
AMOUNT_250 = {
    language: texts_for(language.value, ("common",)).euros(25000).replace("\u00a0", " ")
    for language in (Language.NL, Language.EN, Language.PL)
} | {Language.AR: "250.00"}


def _partly_stopped(invoice: Invoice) -> Invoice:
    """The practice forgives € 50,00 of it (R21), the statement still awaited."""
    request = StopRequest(StopScope.PARTIAL, "goodwill", "", True, amount_cents=5000)
    return apply_stop(invoice, request, STATEMENT_AT, "provider:u-1:stop-1")


@pytest.mark.parametrize("language", [Language.NL, Language.EN, Language.PL, Language.AR])
def test_section_7_a_changed_amount_on_the_copy_keeps_dont_pay_yet_as_the_checker_does(language):
    """legal-nl.md §7, R37, R36 (round 39 texts3). Given a non-contracted invoice of a
    practice that waits for the statement, e-mailed asking € 300,00 ("don't pay yet"),
    of which the practice then forgave € 50,00, the statement still awaited
    When the checker serves its copy
    Then its notice says the amount is € 250,00 now and, as the checker does (its date to
    pay by "follows with the adjusted amount", its "don't pay yet"), not to pay yet: no
    "you now pay € 250,00 by 23 December 2026" beside the "don't pay yet" it was sent with."""
    sent, _ = delivered(patient=make_person(language=language))
    stopped = _partly_stopped(sent)
    assert awaits_insurer_statement(stopped, WAITS)  # what the checker says "don't pay yet" by
    t = texts_for(language.value, ("common", "pdf.invoice"))
    shows = text(copy_of(stopped))
    # From the notice's heading to the invoice as sent (its "don't pay yet", or in Arabic,
    # shaped right to left, the checker's address that ends the notice)
    notice = shows.split(SENT_BY[language, Channel.EMAIL])[1].split(PUBLIC)[0]
    assert AMOUNT_250[language] in notice
    # No date to pay by: neither the one it was sent with nor today's (the notice's
    # heading says November; in Arabic a date reads back reversed, so by its month)
    for pay_by in (date(2026, 12, 23), stopped.current_final_payment_date):
        assert t.long_date(pay_by).split(" ")[1] not in notice
    if language is not Language.AR:  # shaped, the sentence does not read back whole
        assert t("pay_not_yet", **by_channel("email")) in notice


def _pages_showing(pdf: bytes, words: str) -> list[int]:
    """The numbers (from 1) of the pages whose text holds ``words``, whitespace collapsed."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return [
        number
        for number, page in enumerate(pages, 1)
        if words in " ".join(page.extract_text().replace("\u00a0", " ").split())
    ]


@pytest.mark.parametrize("language", [Language.NL, Language.EN, Language.PL])
@pytest.mark.parametrize("changed", ["stopped", "coulance applied"])
def test_r36_the_payment_block_of_a_copy_stays_together_with_its_code_and_caption(
    language, changed
):
    """R36, R9 (audit languages3 LANG3-1). Given a non-contracted invoice e-mailed asking
    € 300,00 ("don't pay yet"), of which the practice then forgave € 50,00 (or whose
    coulance was applied), so its copy opens with a notice of what changed, which in Dutch
    and Polish leaves too little of the first page for the payment block
    When the checker serves its copy
    Then the block moves to a new page whole: its heading, its last sentence, the QR code
    and the code's caption on one page (before: the last sentence and the caption went on
    to the next page, the caption alone near its foot, away from its code)."""
    sent, _ = delivered(patient=make_person(language=language))
    copied = _partly_stopped(sent) if changed == "stopped" else coulance_applied(sent)
    t = texts_for(language.value, ("common", "pdf.invoice"))
    caption = t("qr_caption_statement")  # the invoice as sent awaited the statement
    pdf = copy_of(copied)

    (heading_page,) = _pages_showing(pdf, t("payment_heading"))
    (caption_page,) = _pages_showing(pdf, caption)
    questions = " ".join(t("questions", provider=WAITS.name).split())
    assert _pages_showing(pdf, questions) == [heading_page]
    assert caption_page == heading_page
    code_pages = [n for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1) if page.images]
    assert code_pages == [heading_page]
