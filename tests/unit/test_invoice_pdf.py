"""The invoice PDF (R7): print-ready, complete, in the patient's language, and the same
bytes for the same invoice.

The text is read back with pypdf, through the font's ToUnicode map: what a reader copies
out of the PDF, and what a screen reader says.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from billing_core.changes.coulance import awaits_insurer_statement
from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.correspondence.pdf import render_invoice_pdf
from billing_core.correspondence.render import render_invoice_email
from billing_core.declarations.claims import Language
from billing_core.payments.collection_account import CollectionAccount
from billing_core.texts.letters import texts_for
from tests.unit.factories import (
    BSN,
    KENMERK,
    PUBLIC,
    REFERENCE,
    make_address,
    make_invoice,
    make_line,
    make_parent,
    make_person,
    make_provider,
)

IBAN = "NL91ABNA0417164300"
ACCOUNT = CollectionAccount(IBAN, "Stichting Derdengelden zorgnota")


def render(invoice=None, provider=None, *, compress=False) -> bytes:
    return render_invoice_pdf(
        invoice or make_invoice(),
        provider or make_provider(),
        public_base_url=PUBLIC,
        account=ACCOUNT,
        compress=compress,
    )


def shown_lines(pdf: bytes) -> list[str]:
    """Every piece of text the pages show, in drawing order."""
    pieces: list[str] = []

    def collect(text: str, *_: object) -> None:
        pieces.extend(line for line in text.split("\n") if line.strip())

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=collect)
    # A no-break space (in an IBAN, a kenmerk) reads as the space it shows.
    return [piece.replace("\u00a0", " ").strip() for piece in pieces]


def shown(pdf: bytes) -> str:
    return "\n".join(shown_lines(pdf))


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


# --- the file -----------------------------------------------------------------------------


def test_it_is_a_one_page_a4_pdf():
    pdf = render(compress=True)

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf  # A4 in points
    assert page_count(pdf) == 1


def test_r39_rendering_logs_nothing_of_the_font_subsetting(caplog):
    """R39 (audit operations, observation): Given the functions' log level, INFO
    When an invoice PDF is rendered (fpdf2 subsets the font with fontTools)
    Then fontTools' per-table INFO lines (about 40 a PDF: noise and cost in every
    delivery's log) are not logged; its warnings still would be."""
    caplog.set_level(logging.INFO)

    render()

    assert [r.name for r in caplog.records if r.name.startswith("fontTools")] == []
    assert logging.getLogger("fontTools").isEnabledFor(logging.WARNING)


@pytest.mark.parametrize("last_name", ["王小明", "김민준", "佐藤 🌸"])
def test_r29_a_name_the_font_cannot_print_never_reaches_the_log(caplog, last_name):
    """R29 (audit piiscan54): fpdf2 warns of the characters its font lacks by naming them,
    through the root logger, past the functions' masking formatter: a patient's name
    written in Chinese or Korean went into the delivery's log whole.
    Given a patient whose name DejaVu Sans cannot print (the CSV reader accepts it and
    warns the practice, CSV_LETTER_NOT_PRINTED)
    When the invoice PDF is rendered
    Then the log still warns that glyphs are missing, and names none of the name's
    characters."""
    caplog.set_level(logging.INFO)
    patient = make_person(initials="", name_prefix="", last_name=last_name)

    render(make_invoice(patient=patient))

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "missing" in logged
    letters = [ch for ch in last_name if ch.strip()]
    assert [ch for ch in letters if ch in logged or f"{ord(ch):04x}" in logged] == []


def test_the_same_invoice_gives_the_same_bytes():
    # Given one invoice, When it is rendered twice (the clock moves on in between)
    first, second = render(compress=True), render(compress=True)

    # Then the files are identical: a re-run of delivery stores the same document
    assert first == second


def test_the_font_is_parsed_once_a_process_and_a_later_invoice_has_its_own_subset(monkeypatch):
    """pdfperf59: parsing DejaVu Sans for every document took two fifths of its CPU."""
    from fpdf import fonts

    from billing_core.correspondence import pdf

    parses = []
    parse = fonts.TTFFont.__init__
    monkeypatch.setattr(
        fonts.TTFFont, "__init__", lambda *a, **kw: parses.append(1) or parse(*a, **kw)
    )
    polish = make_invoice(
        patient=make_person(initials="Ł.", name_prefix="", last_name="Wąsowski-Łukaśiewicz")
    )
    # Given a process that has rendered nothing yet, and a Polish patient's invoice that,
    # rendered first, prints its "Ł", "ą" and "ś"
    monkeypatch.setattr(pdf, "_PARSED_FONTS", {}, raising=False)
    alone = render(polish, compress=True)

    # When, in a new process, a Dutch invoice is rendered, and then the Polish one
    monkeypatch.setattr(pdf, "_PARSED_FONTS", {}, raising=False)
    parses.clear()
    render(compress=True)
    after_another = render(polish, compress=True)

    # Then the font and its bold were parsed once, for the first invoice: the second used
    # that parse; and it is the same file, byte for byte, as when rendered alone: it has
    # the glyphs of its own texts only, none left by the invoice before it
    assert len(parses) == 2
    assert after_another == alone


def test_the_file_is_dated_by_the_invoice_not_the_clock():
    pdf = render(make_invoice(), compress=True)

    assert b"/CreationDate (D:20261123000000Z" in pdf


# --- what it says -------------------------------------------------------------------------


def test_it_holds_everything_a_dutch_invoice_needs():
    # Given an invoice of two treatments, the second partly reimbursed
    # When the PDF is rendered
    text = shown(render())

    # Then it names sender, addressee, kenmerk, patient, provider and each line
    for expected in (
        "zorgnota namens Tandartspraktijk De Vries",
        "S. van der Berg",
        "Oudegracht 231 bis",
        "3511 NK  UTRECHT",
        "Notadatum\n23 november 2026",
        f"Betalingskenmerk\n{KENMERK}",
        "Uiterste betaaldatum\n23 december 2026",
        "Patiënt\nS. van der Berg",
        "Geboortedatum\n7 maart 1984",
        "AGB-code zorgverlener\n12345678",
        "12-10-2026\nC11\nPeriodieke controle\n€ 28,14\n€ 0,00\n€ 28,14",
        "12-10-2026\nX10\nKleine röntgenfoto\n€ 20,11\n€ 15,08\n€ 5,03",
        "Totaal\n€ 48,25",
        "Vergoed door uw zorgverzekeraar\n-€ 15,08",
        "Te betalen\n€ 33,17",
        "NL91 ABNA 0417 1643 00",
        f"betalingskenmerk {KENMERK}",
        PUBLIC,
        "Pagina 1 van",
    ):
        assert expected in text, expected


def test_the_euro_sign_reads_back_as_the_euro():
    assert "€ 33,17" in shown(render())


def test_the_bsn_is_not_printed():
    assert BSN not in shown(render())


def test_english_labels_on_request():
    # Given a patient who asked for English
    invoice = make_invoice(patient=make_person(language=Language.EN))

    # When the PDF is rendered
    text = shown(render(invoice))

    # Then labels, dates and amounts are English
    for expected in (
        "zorgnota on behalf of Tandartspraktijk De Vries",
        "Invoice",
        f"Payment reference\n{KENMERK}",
        "Pay by\n23 December 2026",
        "12 Oct 2026\nX10",
        "Amount to pay\n€33.17",
        "Page 1 of",
    ):
        assert expected in text, expected
    assert "Uiterste betaaldatum" not in text


def test_no_reimbursement_row_when_the_insurer_pays_nothing():
    invoice = make_invoice(lines=(make_line(),))

    text = shown(render(invoice))

    assert "Vergoed door uw zorgverzekeraar" not in text
    assert "Te betalen\n€ 28,14" in text


def test_a_line_of_several_units_shows_the_unit_price():
    invoice = make_invoice(lines=(make_line(quantity=3, unit_price_cents=1526),))

    text = shown(render(invoice))

    assert "3 × € 15,26" in text
    assert "€ 45,78" in text


# Six characters, as long as a Vektis PRESTATIECODE is (vektis.md, MZ301 0413): the demo's
# own correction line 'CR-C11', digits only, and letters with digits.
SIX_CHARACTER_CODES = ("CR-C11", "123456", "MW1234", "CR-M03")


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_r7_a_treatment_code_of_six_characters_prints_whole_on_one_line(language):
    """R7, R36, audit letters57: the code column held five characters, so 'CR-C11' printed
    as 'CR-C1' with a '1' on the line under it (20 of 32 codes of four to six characters
    broken over two lines); the patient sends the invoice to the insurer, who reads it.
    Given an invoice whose lines carry treatment codes of six characters
    When it is printed in the patient's language
    Then each code is one piece of text, not cut over two lines of its cell"""
    lines = tuple(
        make_line(claim_ref=f"L{n}", treatment_code=code)
        for n, code in enumerate(SIX_CHARACTER_CODES)
    )
    invoice = make_invoice(lines=lines, patient=make_person(language=Language(language)))

    pieces = {word for piece in shown_lines(render(invoice)) for word in piece.split()}

    assert set(SIX_CHARACTER_CODES) <= pieces, sorted(pieces)


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_r7_each_treatment_date_prints_whole_on_one_line(language):
    """R7, R9, audit letters57: the date column held 18.6 mm of text, and '28 May 2026'
    takes 19.6: six of twelve English dates on the 28th printed their year on a line of
    its own.
    Given an invoice with a treatment on the 28th of every month
    When it is printed in the patient's language
    Then each line's date is one piece of text on one line"""
    lines = tuple(
        make_line(claim_ref=f"L{month}", treatment_date=date(2026, month, 28))
        for month in range(1, 13)
    )
    invoice = make_invoice(lines=lines, patient=make_person(language=Language(language)))
    t = texts_for(language, ("common", "pdf.invoice"))

    shown_pieces = shown_lines(render(invoice))

    cut = [
        t.short_date(line.treatment_date)
        for line in lines
        if not any(t.short_date(line.treatment_date) in piece for piece in shown_pieces)
    ]
    assert cut == []


def test_a_parent_is_addressed_and_the_child_named_as_patient():
    # Given a child's invoice that goes to a parent
    child = make_person(initials="L.", name_prefix="", last_name="de Groot", email="")
    invoice = make_invoice(patient=child, debtor=make_parent())

    # When the PDF is rendered
    lines = shown_lines(render(invoice))

    # Then the window shows the parent, and the patient row the child
    sender = lines.index("zorgnota namens Tandartspraktijk De Vries")
    assert lines[sender + 1] == "M. Jansen"
    assert lines[lines.index("Patiënt") + 1] == "L. de Groot"


@pytest.mark.parametrize(
    "country, last_line", [("BE", "BELGIË"), ("de", "DUITSLAND"), ("JP", "JP")]
)
def test_an_address_abroad_ends_with_the_countrys_name(country, last_line):
    """PostNL: an address abroad ends with the country's name in capitals, in the language
    of the country of posting (Dutch); a country outside the table keeps its ISO code."""
    invoice = make_invoice(patient=make_person(address=make_address(country=country)))

    assert f"3511 NK  UTRECHT\n{last_line}\n" in shown(render(invoice)) + "\n"


# --- names from anywhere ------------------------------------------------------------------


def test_dutch_diacritics_are_printed_as_they_are():
    # Given a patient and a provider whose names have Dutch diacritics
    patient = make_person(initials="Zoë", name_prefix="", last_name="Müller-Brückner-Hélène")
    invoice = make_invoice(patient=patient)

    # When the PDF is rendered
    text = shown(render(invoice, make_provider(name="Fysiotherapie Café Noël")))

    # Then they are printed with their accents
    assert "Zoë Müller-Brückner-Hélène" in text
    assert "Fysiotherapie Café Noël" in text


def test_a_polish_name_prints_with_every_diacritic():
    # Given a Polish patient: "Ł", "ą" and "ś" are not in the old core fonts (R9)
    patient = make_person(initials="Ł.", name_prefix="", last_name="Wąsowski-Łukaśiewicz")

    # When the PDF is rendered
    text = shown(render(make_invoice(patient=patient)))

    # Then the name reads back exactly as written
    assert "Ł. Wąsowski-Łukaśiewicz" in text


def test_r36_a_name_with_combining_accents_prints_its_composed_letters():
    # Given a name as a Mac or a web form may send it, decomposed (NFD): "e" followed by
    # a combining circumflex and tilde, which an unshaped line stacks on one another
    # (audit pdf5: "Nguyễn" printed its tilde through its circumflex)
    patient = make_person(initials="T.", name_prefix="", last_name="Nguye\u0302\u0303n")

    # When the PDF is rendered
    text = shown(render(make_invoice(patient=patient)))

    # Then it prints the font's own composed letter "ễ" (R36: fonts that print every name)
    assert "T. Nguy\u1ec5n" in text


def test_an_arabic_name_prints_in_arabic_script():
    # Given a patient whose name is written in Arabic (R9)
    patient = make_person(initials="", name_prefix="", last_name="محمد العلي")

    # When the PDF is rendered (HarfBuzz shapes the joining letters)
    text = shown(render(make_invoice(patient=patient)))

    # Then the name reads back in Arabic letters, whole
    assert "محمد العلي" in text


def test_an_arabic_invoice_is_shaped_right_to_left_with_the_numbers_left_to_right():
    # Given a patient who reads Arabic (R9, #17 item 7)
    invoice = make_invoice(patient=make_person(language=Language.AR))

    # When the PDF is rendered
    lines = shown_lines(render(invoice))

    # Then the Arabic reads back in its logical order: shaped right to left by HarfBuzz
    # (unshaped, fpdf2 draws it left to right and it reads back as "عفدلا ةقيرط")
    assert "طريقة الدفع" in lines
    assert "ما تعوّضه شركة التأمين الصحي" in lines
    # and the kenmerk and the IBAN keep their groups in their order, in the facts and in
    # the sentence that asks for the transfer
    assert KENMERK in lines
    assert any(f"{KENMERK} )betalingskenmerk(" in line for line in lines)
    assert any("NL91 ABNA 0417 1643 00" in line for line in lines)
    # and the table is mirrored: "to pay" is drawn first (at the left), the date last
    assert lines.index("المطلوب دفعه") < lines.index("الوصف") < lines.index("التاريخ")


def test_an_arabic_footer_prints_the_page_count_next_to_its_words():
    # Given an Arabic invoice (R9, R36), its footer "صفحة 1 من {nb}" read right to left:
    # the count fpdf2 fills in when the PDF closes stands at the line's left end, in the
    # room of three digits
    pdf = render(make_invoice(patient=make_person(language=Language.AR)))

    # When the glyphs of the footer's line (the highest one in the bottom 60 pt, above the
    # links) are read from left to right
    glyphs = re.findall(rb"1 0 0 1 ([\d.]+) ([\d.]+) Tm \(", pdf)
    footer = max(float(y) for _, y in glyphs if float(y) < 60)
    xs = sorted(float(x) for x, y in glyphs if float(y) == footer)

    # Then the count stands next to "من" with a space between: one digit (4.8 pt in 7.5 pt
    # type) from the space's glyph, not three (audit pdf6: "صفحة 1 من   1", a gap)
    assert xs[1] - xs[0] < 6


def test_the_unicode_font_is_embedded_as_a_subset():
    pdf = render(compress=True)

    assert b"DejaVuSans" in pdf  # the font travels with the letter: every printer shows it
    assert b"/FontFile2" in pdf
    assert b"Helvetica" not in pdf


# --- long invoices ------------------------------------------------------------------------


def test_many_lines_flow_onto_more_pages_with_the_totals_in_one_piece():
    # Given an invoice of 60 lines
    lines = tuple(make_line(claim_ref=f"L{i}", description=f"Behandeling {i}") for i in range(60))
    invoice = make_invoice(lines=lines)

    # When the PDF is rendered
    pdf = render(invoice)
    text = shown(pdf)

    # Then every line is there, later pages say what they belong to, and pages are counted
    pages = page_count(pdf)
    assert pages >= 2
    assert all(f"Behandeling {i}\n" in text for i in range(60))
    assert f"Nota {KENMERK}" in text
    assert f"Pagina {pages} van" in text
    assert "Totaal\n€ 1.688,40\nTe betalen\n€ 1.688,40" in text


def two_line_treatments(count: int) -> tuple:
    """``count`` lines of one treatment a day, each description wrapping onto two lines."""
    return tuple(
        make_line(
            claim_ref=f"L{n}",
            treatment_date=date(2026, 10, 1) + timedelta(days=n),
            description=f"Behandeling {n} met een wat langere omschrijving van de verrichting",
        )
        for n in range(count)
    )


def lines_by_page(pdf: bytes) -> list[list[str]]:
    """What each page shows, line by line."""
    return [
        [line.replace("\u00a0", " ").strip() for line in page.extract_text().split("\n")]
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("count", [12, 13])
def test_r7_the_totals_never_go_to_a_page_without_a_line_of_theirs(language, count):
    # Given a physiotherapy month: twelve (or thirteen) treatments, each description on two
    # lines, so that the last line ends at the foot of page 1 (or just past it)
    invoice = make_invoice(
        lines=two_line_treatments(count), patient=make_person(language=Language(language))
    )
    t = texts_for(language, ("common", "pdf.invoice"))
    dates = [t.short_date(line.treatment_date) for line in invoice.lines]
    # When the invoice is printed
    pages = lines_by_page(render(invoice))
    # Then the page with the totals holds, above them, the last line they add up, under
    # the table's headings: twelve lines left the totals alone at the top of page 2,
    # under no line (R7; audit letters54)
    amount_due = f"{t('amount_due')} {t.euros(invoice.original_amount_cents)}".replace(
        "\u00a0", " "
    )
    (page,) = [page for page in pages if amount_due in page]
    last_line = next(n for n, line in enumerate(page) if line.startswith(f"{dates[-1]} "))
    headings = next(n for n, line in enumerate(page) if line.startswith(f"{t('col_date')} "))
    assert headings < last_line < page.index(amount_due), page
    # and every line is printed once
    printed = [
        day for day in dates for page in pages for line in page if line.startswith(f"{day} ")
    ]
    assert printed == dates


def test_an_invoice_rendered_in_another_language_differs():
    invoice = make_invoice()
    english = replace(invoice, patient=make_person(language=Language.EN))

    assert render(invoice, compress=True) != render(english, compress=True)


def test_r36_the_qr_code_opens_the_checker_with_the_kenmerk_filled_in():
    # Given an invoice rendered as the patient receives it
    page = PdfReader(io.BytesIO(render(compress=True))).pages[0]
    # When the QR code printed on it is scanned
    (picture,) = page.images
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(picture.data)))
    # Then it opens the checker for this invoice, in the patient's language, nothing else
    assert code.text == f"{PUBLIC}/?kenmerk={REFERENCE}&lang=nl"


def test_r36_the_account_holder_stands_next_to_the_iban():
    text = " ".join(shown(render()).split())
    assert "NL91 ABNA 0417 1643 00 ten name van Stichting Derdengelden zorgnota" in text


def test_r37_non_contracted_care_says_do_not_pay_yet():
    # Given a practice without contracts that waits for the insurer's statement (§7)
    waits = make_provider(coulance=CoulancePolicy(wait_for_statement=True))
    # Then its invoice says "don't pay yet"; a contracted one does not
    assert "Let op: betaal deze nota nog niet" in shown(render(provider=waits))
    assert "Let op: betaal deze nota nog niet" not in shown(render())


def test_section_7_the_dont_pay_yet_invoice_asks_no_payment_now_and_offers_no_arrangement():
    """legal-nl.md §7: the invoice tells the patient "do not pay yet and do not ask for an
    arrangement; claim the invoice from your insurer; send us the insurer's statement ...
    if the insurer is slow, ask for the free deferral" (audit care D5)."""
    # Given a practice without contracts that waits for the insurer's statement
    waits = make_provider(coulance=CoulancePolicy(wait_for_statement=True))
    # When its invoice is printed
    text = " ".join(shown(render(provider=waits)).split())
    # Then it says don't ask for an arrangement, and the free deferral if the insurer is slow
    assert "Vraag ook nog geen betalingsregeling aan." in text
    assert "Vraag dan in de betaalchecker kosteloos uitstel van betaling aan." in text
    # and where the statement goes, and that only the adjusted amount is paid, to the account
    assert "Het overzicht van uw zorgverzekeraar geeft u door in de betaalchecker" in text
    assert "Betaal pas het aangepaste bedrag dat u per e-mail krijgt" in text
    assert "NL91 ABNA 0417 1643 00 ten name van Stichting Derdengelden zorgnota" in text
    # and nothing asks the amount now, offers iDEAL or an arrangement
    assert "Maak € 33,17 uiterlijk" not in text
    assert "iDEAL" not in text and "online te betalen" not in text
    assert "treft u een betalingsregeling" not in text
    # while a contracted invoice still asks the amount and offers iDEAL and the deferral
    # (an arrangement too, when the checker grants one: € 33,17 is too small, R15)
    usual = " ".join(shown(render()).split())
    assert "Maak € 33,17 uiterlijk 23 december 2026 over" in usual
    assert "iDEAL" in usual and "vraagt u eenmalig kosteloos uitstel van betaling aan" in usual
    assert "treft u een betalingsregeling" not in usual


def test_section_7_the_dont_pay_yet_invoice_stays_one_page_in_every_language():
    waits = make_provider(coulance=CoulancePolicy(wait_for_statement=True))
    for language in Language:
        invoice = make_invoice(patient=make_person(language=language))
        assert page_count(render(invoice, waits, compress=True)) == 1, language


# The longest practice name (providers/provider.py: 200 characters), in the intro, the
# questions sentence and the footer (test_paper_letter_fit.PRACTICE_NAMES[200]).
LONGEST_PRACTICE_NAME = (
    "Praktijk voor Fysiotherapie, Manuele Therapie en Bekkenfysiotherapie Zuidplas, "
    "Nieuwerkerk aan den IJssel, Moordrecht, Zevenhuizen en Moerkapelle, met "
    "Oefentherapie Cesar en Mensendieck in Waddinxveen"
)


@pytest.mark.parametrize("language", [Language.NL, Language.PL])  # the longest texts
def test_section_7_the_dont_pay_yet_invoice_of_a_long_named_practice_stays_one_page(language):
    """legal-nl.md §7, R7, R36 (audit letters58): Given a one-line invoice that says "don't
    pay yet", from a practice with a name of 200 characters, When it is printed, Then it
    is one page: its "don't pay yet" block and its payment block run at the letters'
    leading (4.1 mm in 9.5 pt), the type as it was. Before, the payment block went to a
    second page alone in Dutch (1.8 mm short; 13.5 mm to spare now); with two lines in
    Dutch and Polish at 120 and 200 characters (4 of 16: 4 languages x names of 30-200
    characters; 0 of 16 now)."""
    waits = make_provider(
        name=LONGEST_PRACTICE_NAME, coulance=CoulancePolicy(wait_for_statement=True)
    )
    invoice = make_invoice(lines=(make_line(),), patient=make_person(language=language))
    assert awaits_insurer_statement(invoice, waits)

    assert page_count(render(invoice, waits, compress=True)) == 1


# R15 (letters57, plans57): the invoice offers an arrangement only when the checker grants one
ARRANGEMENT_OFFER = {
    "nl": "of treft u een betalingsregeling",
    "en": "arrange to pay in instalments",
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("cents", "offered"), [(2000, False), (4000, True)])
def test_r15_an_invoice_offers_an_arrangement_only_when_the_checker_grants_one(
    language, cents, offered
):
    """R14, R15: Given an invoice of € 20,00, too small for two terms of the minimum with the
    fee (the checker answers amount_too_small), and one of € 40,00
    When its PDF and its e-mail are made
    Then the "more time?" sentence offers the free deferral, and an arrangement only for the
    one the checker would grant (before: every invoice offered one, as every deferral's
    confirmation did until plans57)."""
    provider = make_provider()
    patient = make_person(language=Language(language))
    invoice = make_invoice(lines=(make_line(unit_price_cents=cents),), patient=patient)
    email = render_invoice_email(invoice, provider, pay_url=PUBLIC, public_base_url=PUBLIC)

    parts = {
        "pdf": " ".join(shown_lines(render(invoice, provider))),
        "text": " ".join(email.text.split()),
        "html": " ".join(email.html.split()),
    }

    deferral = texts_for(language, ("common",))("more_time_deferral", checker_url="")
    asks_deferral = deferral.split("{")[0][:20]  # "Meer tijd nodig? ..." / "Need more time? ..."
    for part, read in parts.items():
        assert asks_deferral in read, part
        assert (ARRANGEMENT_OFFER[language] in read) is offered, part
