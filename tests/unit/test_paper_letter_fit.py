"""What a paper letter prints stays where it can be read (R7, R9, R36): an amount on one
line, the sender line inside the envelope's window, every one-line cell inside its edges,
in each of the four languages.

fpdf's ``cell`` prints one line and never wraps: a text wider than its cell runs on past
it. The tests record each cell as it is printed (its text, its width and the width of
the text at the font then set: fpdf's own ``get_string_width``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from billing_core.changes.arrangement import create_arrangement
from billing_core.correspondence.confirmations import confirmation_context
from billing_core.correspondence.kinds import ARRANGEMENT_CONFIRMATION
from billing_core.correspondence.pdf import render_message_pdf
from billing_core.correspondence.render import render_email
from billing_core.declarations.claims import Language
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.money import format_euros
from billing_core.texts.catalogue import MONTHS
from billing_core.texts.letters import texts_for
from tests.unit.factories import PUBLIC, make_invoice, make_line, make_person, make_provider
from tests.unit.test_invoice_pdf import ACCOUNT
from tests.unit.test_invoice_pdf import render as render_invoice

LANGUAGES = ["nl", "en", "pl", "ar"]
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)
WINDOW_WIDTH = 85.0  # mm: the window of a Dutch window envelope (pdf.py)
WINDOW_TOP = 45.0  # mm: its sender line; the address follows at 50 mm
SMALLEST_LEGIBLE = 5.5  # pt: the sender line shrinks no further, it is cut instead
PRACTICE_NAMES = {  # as long as a practice name gets (providers/provider.py: 200)
    30: "Tandartspraktijk De Vries B.V.",
    60: "Mondzorgcentrum Nieuwerkerk aan den IJssel en Omstreken B.V.",
    120: (
        "Praktijk voor Fysiotherapie en Manuele Therapie Zuidplas, Nieuwerkerk aan den "
        "IJssel, Moordrecht en Zevenhuizen-Oost VOF"
    ),
    200: (
        "Praktijk voor Fysiotherapie, Manuele Therapie en Bekkenfysiotherapie Zuidplas, "
        "Nieuwerkerk aan den IJssel, Moordrecht, Zevenhuizen en Moerkapelle, met "
        "Oefentherapie Cesar en Mensendieck in Waddinxveen"
    ),
}


@dataclass(frozen=True)
class PrintedCell:
    text: str
    cell_width: float
    text_width: float
    font_size: float
    cell_margin: float
    top: float


@contextmanager
def recorded_cells(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[PrintedCell]]:
    """Every ``cell`` printed while the block runs, with the width of its text."""
    cells: list[PrintedCell] = []
    original = FPDF.cell

    def cell(pdf: FPDF, w: float | None = None, h: float | None = None, text: str = "", *a, **k):
        if w and text and "{nb}" not in text:  # "{nb}": the page count, filled in at the end
            width = pdf.get_string_width(text)
            cells.append(PrintedCell(text, w, width, pdf.font_size_pt, pdf.c_margin, pdf.get_y()))
        return original(pdf, w, h, text, *a, **k)

    with monkeypatch.context() as patched:
        patched.setattr(FPDF, "cell", cell)
        yield cells


def paper_arrangement_confirmation(
    language: str, provider=None, price_cents: int = 108217, terms: int = 3, **patient
):
    """The arrangement's confirmation as the delivery posts it (delivery._post_message)."""
    provider = provider or make_provider()
    invoice = make_invoice(
        lines=(make_line(unit_price_cents=price_cents),),
        patient=make_person(language=Language(language), **patient),
    )
    arranged = create_arrangement(invoice, provider, terms, NOW)
    context = confirmation_context(
        ARRANGEMENT_CONFIRMATION,
        arranged,
        provider,
        event_id="arrangement",
        today=NOW.date(),
        pay_url=f"{PUBLIC}/?kenmerk={arranged.reference}",
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    email = render_email(ARRANGEMENT_CONFIRMATION, context, language, on_paper=True)
    pdf = render_message_pdf(
        email,
        provider=provider,
        addressee=arranged.addressee,
        dated=NOW.date(),
        public_base_url=PUBLIC,
        compress=False,
    )
    return arranged, pdf


def printed_lines(pdf: bytes) -> list[str]:
    """The lines the pages show, no-break spaces read as the spaces they look like."""
    pieces: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=lambda text, *_: pieces.extend(text.split("\n")))
    return [piece.replace("\u00a0", " ").strip() for piece in pieces if piece.strip()]


# --- an amount on one line (R9) ------------------------------------------------------------


@pytest.mark.parametrize("name_length", range(0, 16, 3))
def test_r9_a_dutch_amount_in_a_paper_letter_stays_on_one_line(name_length):
    # Given a Dutch arrangement of € 1.092,17 confirmed on paper, its sentence "U betaalt
    # € 1.092,17 in 3 …" moved along the line by practice names of several lengths, so
    # that for some the amount falls where the line wraps (R9, R36)
    provider = make_provider(name=f"Tandartspraktijk {'De Vries-Oudshoorn'[:name_length]}".strip())
    arranged, pdf = paper_arrangement_confirmation("nl", provider)
    # When the letter is printed / Then "€" and its figure stand together on one line
    total = format_euros(arranged.arrangement.total_cents, "nl").replace("\u00a0", " ")
    lines = printed_lines(pdf)
    assert any(total in line for line in lines), [line for line in lines if "€" in line]
    assert not [line for line in lines if line.endswith("€")]


# --- a date on one line (R36) --------------------------------------------------------------


@contextmanager
def wrapped_lines(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """The lines each ``multi_cell`` printed while the block runs wraps its text into, in
    reading order (as fpdf2 breaks it, before a right-to-left line is drawn mirrored)."""
    printed: list[list[str]] = []
    original = FPDF.multi_cell
    inside = []

    def multi_cell(pdf: FPDF, w: float, h: float | None = None, text: str = "", *a, **k):
        if inside or k.get("dry_run"):
            return original(pdf, w, h, text, *a, **k)
        inside.append(True)
        try:
            x, y = pdf.x, pdf.y
            printed.append(
                original(pdf, w, h, text, *a, **k | {"dry_run": True, "output": "LINES"})
            )
            pdf.x, pdf.y = x, y
        finally:
            inside.pop()
        return original(pdf, w, h, text, *a, **k)

    with monkeypatch.context() as patched:
        patched.setattr(FPDF, "multi_cell", multi_cell)
        yield printed


def dunning_letter(kind: str, language: str, practice: str, count: int) -> bytes:
    """A dunning letter from ``practice`` about ``count`` invoices of € 123,45."""
    from billing_core.correspondence.pdf import render_dunning_letter_pdf
    from billing_core.dunning.letters import SECOND_NOTICE, reminder_context, second_notice_context
    from billing_core.dunning.steps import charge_costs, send_reminder
    from tests.unit.test_dunning_letters import (
        COSTS_AT,
        COSTS_DAY,
        HOW_TO_PAY,
        POLICY,
        REMINDER_DAY,
        open_invoices,
    )

    provider, addressee = make_provider(name=practice), make_person(language=Language(language))
    reminded = send_reminder(open_invoices(*[12_345] * count), POLICY, REMINDER_DAY)
    invoices = [replace(invoice, patient=addressee) for invoice in reminded]
    if kind == SECOND_NOTICE:
        invoices = charge_costs(invoices, POLICY, COSTS_DAY, COSTS_AT)
        context = second_notice_context(invoices, provider, COSTS_DAY, **HOW_TO_PAY)
    else:
        context = reminder_context(invoices, provider, **HOW_TO_PAY)
    return render_dunning_letter_pdf(
        kind, context, language, provider=provider, addressee=addressee
    )


def broken_dates(lines: list[str], language: str) -> list[tuple[str, str]]:
    """The places a line ends inside a long date: after its day, or its day and month."""
    months = "|".join(MONTHS[language])
    after_day = re.compile(r"(?:^|\s)\d{1,2}$"), re.compile(rf"(?:{months})\b")
    after_month = re.compile(rf"(?:^|\s)\d{{1,2}}\s(?:{months})$"), re.compile(r"\d{4}\b")
    pairs = [(line.strip(), after.strip()) for line, after in pairwise(lines)]
    return [
        (line, after)
        for line, after in pairs
        for ends, begins in (after_day, after_month)
        if ends.search(line) and begins.match(after)
    ]


@pytest.mark.parametrize(
    ("language", "practice", "kind", "count", "date"),
    [
        # before: "tref uiterlijk op 22 januari" over "2027 een betalingsregeling."
        ("nl", "Praktijk A", "dunning_reminder", 1, "22 januari 2027"),
        # before: "no later than 5" over "February 2027."
        ("en", "Praktijk A", "second_notice", 1, "5 February 2027"),
        # before: "najpóźniej dnia 5 lutego" over "2027."
        ("pl", "Praktijk A", "second_notice", 1, "5 lutego 2027"),
        # before: "انتهت مهلتها في 22 يناير" over "2027 دون أن ..."
        ("ar", "Dental Clinic Oost", "second_notice", 2, "22 يناير 2027"),
    ],
)
def test_r36_a_date_in_a_letters_paragraph_stays_on_one_line(
    monkeypatch, language, practice, kind, count, date
):
    # Given a dunning letter whose paragraph wrapped a date where the line ended: between
    # its month and its year, or its day and its month (audit letters58)
    # When it is printed
    with wrapped_lines(monkeypatch) as paragraphs:
        pdf = dunning_letter(kind, language, practice, count)
    # Then no paragraph ends a line inside a date: the date stands whole on one line
    lines = [line.replace("\u00a0", " ") for paragraph in paragraphs for line in paragraph]
    assert broken_dates([*lines], language) == []
    assert any(date in line for line in lines), lines
    # and the PDF reads it back whole, a no-break space as the space it shows (Arabic lines
    # are read back in visual order)
    if language != "ar":
        shown = printed_lines(pdf)
        assert broken_dates(shown, language) == []
        assert any(date in line for line in shown), shown


# --- the sender line in the window (R7) ----------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name_length", sorted(PRACTICE_NAMES))
def test_r7_the_sender_line_stays_inside_the_envelope_window(monkeypatch, language, name_length):
    # Given a practice whose name has 30, 60 or 200 characters (the most it may have)
    name = PRACTICE_NAMES[name_length]
    assert len(name) == name_length
    provider = make_provider(name=name)
    invoice = make_invoice(patient=make_person(language=Language(language)))
    # When its invoice is printed for a window envelope (the letters share the window)
    with recorded_cells(monkeypatch) as cells:
        render_invoice(invoice, provider)
    # Then the sender line above the address ends inside the 85 mm window, in type no
    # smaller than legible; a name too long for that is cut short with "…"
    sender = texts_for(language, ("common", "pdf.invoice"))("sender_line", provider="")
    (line,) = [cell for cell in cells if cell.text.startswith(sender)]
    assert line.cell_margin + line.text_width <= WINDOW_WIDTH
    assert line.font_size >= SMALLEST_LEGIBLE
    # (an Arabic letter's left-to-right mark keeps the "…" at the Latin name's end; there
    # the name stands isolated, between U+2068 and U+2069, names7)
    shown_name = line.text.removeprefix(sender).strip("\u2068\u2069").removesuffix("\u200e")
    if name_length == 30:  # short enough to print whole, at the usual 7 pt
        assert (shown_name, line.font_size) == (name, 7)
    elif shown_name != name:
        assert shown_name.endswith("…") and name.startswith(shown_name.removesuffix("…"))
    if name_length == 200:
        assert shown_name.endswith("…") and len(shown_name) > 40


# --- every one-line cell inside its edges ---------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name_length", sorted(PRACTICE_NAMES))
def test_r36_no_one_line_cell_prints_past_its_edge(monkeypatch, language, name_length):
    # Given the invoice and a confirmation on paper in the patient's language (R36: the
    # QR code's caption under it, the facts, the footer), from a practice whose name has
    # 30, 60, 120 or 200 characters (the most it may have; the footer names it)
    provider = make_provider(name=PRACTICE_NAMES[name_length])
    invoice = make_invoice(patient=make_person(language=Language(language)))
    # When both are printed
    with recorded_cells(monkeypatch) as cells:
        render_invoice(invoice, provider)
        paper_arrangement_confirmation(language, provider)
    # Then no cell's text is wider than the cell it is printed in
    assert [cell for cell in cells if cell.text_width > cell.cell_width] == []
    # And the footer still names the practice's AGB code, in type no smaller than legible
    footers = [cell for cell in cells if provider.agb_code in cell.text]
    assert footers and min(cell.font_size for cell in footers) >= SMALLEST_LEGIBLE


# --- the letterhead above the window (R7, R36) ----------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name_length", sorted(PRACTICE_NAMES))
def test_r7_the_letterhead_ends_above_the_envelope_window(monkeypatch, language, name_length):
    # Given a practice whose name has 30, 60, 120 or 200 characters (the most it may
    # have), with an address, phone, e-mail and opening hours under its name (R36)
    provider = make_provider(name=PRACTICE_NAMES[name_length])
    invoice = make_invoice(patient=make_person(language=Language(language)))
    # When its invoice and a confirmation are printed for a window envelope
    with recorded_cells(monkeypatch) as cells:
        render_invoice(invoice, provider)
        paper_arrangement_confirmation(language, provider)
    # Then every line of the letterhead (the name, then its contact lines, the last one
    # the opening hours) ends above the window's sender line at 45 mm: a name of 120
    # characters took four lines at 15 pt and printed its contact lines over the address
    # in the window, which the post then cannot read (audit letters8)
    hours = [cell for cell in cells if provider.contact.hours in cell.text]
    assert len(hours) == 2 and all(cell.top + 4.0 <= WINDOW_TOP for cell in hours), hours
    # And the name stays in type no smaller than the body's, whole or cut short with "…"
    names = [
        cell
        for cell in cells
        if cell.top < hours[0].top and cell.font_size >= 9 and cell.text != "zorgnota"
    ]
    shown = " ".join(cell.text for cell in names[: len(names) // 2])
    assert shown == provider.name or (
        shown.endswith("…") and provider.name.startswith(shown.removesuffix("…"))
    ), shown


# --- no sheet for the QR code alone (R7, R36) -------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_r36_a_confirmation_whose_text_fills_the_page_keeps_its_qr_code_on_it(language):
    # Given an arrangement of twelve terms confirmed on paper (R15, R7), from a practice
    # whose name has 60 characters, so that its text fills the first page
    provider = make_provider(name=PRACTICE_NAMES[60])
    # When it is printed
    _, pdf = paper_arrangement_confirmation(
        language, provider, 1_234_567, terms=12, last_name="Brzęczyszczykiewicz"
    )
    # Then it is one sheet: the QR code to the checker and its caption stand beside the
    # window, where the page has room, not alone on a second sheet (audit letters8)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert len(reader.pages[0].images) == 1
    caption = texts_for(language, ("common", "pdf.invoice"))("qr_caption")
    if language != "ar":  # Arabic lines are read back in visual order
        assert caption in reader.pages[0].extract_text()


# --- a long name right of the window (R9, R36) ------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_r9_a_long_patient_name_in_the_facts_breaks_between_words_only(language):
    # Given a patient named "A.C.J.M. van den Bogaard-Oudshoorn van Leeuwenhoek", whose
    # "Bogaard-Oudshoorn" is wider than the facts' value column at 8.5 pt bold
    patient = make_person(
        language=Language(language),
        initials="A.C.J.M.",
        name_prefix="van den",
        last_name="Bogaard-Oudshoorn van Leeuwenhoek",
    )
    # When the invoice is printed
    lines = printed_lines(render_invoice(make_invoice(patient=patient)))
    # Then every word of the name stands whole on a line of the facts: it was broken as
    # "Bogaard-Oudshoor" / "n van" (audit letters8)
    assert any("Bogaard-Oudshoorn" in line for line in lines), lines
    assert not any(line.startswith("n van") for line in lines), lines


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_r36_a_hyphenated_name_too_wide_for_the_facts_breaks_at_its_hyphens(language):
    # Given a patient "J. Żółkiewska-Brzęczyszczykiewicz-Ağaoğlu", one word of 38 letters
    # wider than the facts' value column (35 mm) even at the smallest type (5.5 pt)
    patient = make_person(
        language=Language(language),
        initials="J.",
        name_prefix="",
        last_name="Żółkiewska-Brzęczyszczykiewicz-Ağaoğlu",
    )
    # When the invoice is printed
    lines = printed_lines(render_invoice(make_invoice(patient=patient)))
    # Then the name breaks after its hyphens, each part whole, in the order read: it
    # broke mid-word as "Żółkiewska-Brzęczyszczykiew" / "icz-Ağaoğlu" (names7)
    start = lines.index("J. Żółkiewska-")
    assert lines[start : start + 3] == ["J. Żółkiewska-", "Brzęczyszczykiewicz-", "Ağaoğlu"]


@pytest.mark.parametrize(
    ("language", "month", "written"),
    [  # the longest date of each language, wider at 8.5 pt bold than the facts' 33 mm or not
        ("nl", 9, "28 september 2026"),  # 32.8 mm: fits as it is
        ("en", 9, "28 September 2026"),  # 33.2 mm: before "28 September" over "2026"
        ("pl", 10, "28 października 2026"),  # 36.1 mm: before "28 października" over "2026"
        ("ar", 8, "28 أغسطس 2026"),  # 27.9 mm: fits as it is
    ],
)
def test_r36_a_date_in_the_facts_stands_whole_on_one_line(monkeypatch, language, month, written):
    # Given an invoice dated the 28th of the month with the longest name in its language,
    # payable by the 28th of that month, for a patient born on the 28th of that month
    invoice = make_invoice(
        patient=make_person(language=Language(language)),
        issue_date=date(2026, month, 28),
        final_payment_date=date(2026, month, 28),
        birth_date=date(1958, month, 28),
    )
    # When it is printed
    with wrapped_lines(monkeypatch) as values:
        pdf = render_invoice(invoice)
    # Then each of its three dates in the facts right of the window stands whole on one
    # line, in smaller type where it must (audit facts58: 6 of 60 invoices in English and
    # Polish wrapped a date as "28 października" over "2026")
    birth = written.replace("2026", "1958")
    printed = [[line.replace("\u00a0", " ") for line in value] for value in values]
    facts = [lines for lines in printed if " ".join(lines) in (written, birth)]
    assert {" ".join(lines) for lines in facts} == {written, birth}, printed
    assert all(len(lines) == 1 for lines in facts), facts
    # and the PDF reads it back on one line (Arabic lines are read back in visual order)
    if language != "ar":
        shown = printed_lines(pdf)
        assert shown.count(written) >= 2 and birth in shown, shown
        assert broken_dates(shown, language) == []


# --- worst cases of stop 43 (audit letters9) --------------------------------------------------

LONG_STREET = "Burgemeester Jhr. mr. dr. van Nispen tot Sevenaerstraat"  # 55 characters
LONG_NAME = (  # 104 characters, with its initials and prefix
    "Wilhelmina Johanna Catharina Maria Bogaard-Oudshoorn van Leeuwenhoek tot Nieuwerkerk-Zevenhuizen"
)


def worst_addressee(language: str, *, last_name: str = "Brzęczyszczykiewicz-Łężyńska", street=None):
    """A patient with a long name, living in a long street in a long town."""
    return make_person(
        language=Language(language),
        initials="W.J.C.M.",
        name_prefix="van den",
        last_name=last_name,
        address=replace(
            make_person().address,
            street=street or "Burgemeester van Nispen tot Sevenaerstraat",
            house_number="1234",
            house_number_suffix="bis-A",
            city="Vriezenveen-Westerhaar",
        ),
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_r7_each_element_of_the_address_stands_on_one_line_of_the_window(monkeypatch, language):
    # Given a patient whose name has 104 characters, living at "Burgemeester Jhr. mr. dr.
    # van Nispen tot Sevenaerstraat 1234 bis-A" in Vriezenveen-Westerhaar
    addressee = worst_addressee(language, last_name=LONG_NAME, street=LONG_STREET)
    assert len(addressee.display_name) > 100
    # When the invoice is printed for a window envelope
    with recorded_cells(monkeypatch) as cells:
        render_invoice(make_invoice(patient=addressee))
    # Then name, street and number, postcode and city each stand on one line of the window
    # (PostNL reads a line an element: the street wrapped onto two lines, audit letters9),
    # one under the other from 50 mm, inside its 85 mm, in type of 10 pt at least (PostNL
    # advises 10 to 12); what does not fit is cut short with "…", the house number and
    # the postcode kept whole (the post sorts by them)
    window = [cell for cell in cells if cell.cell_width == WINDOW_WIDTH and cell.top >= 50]
    name, street, town = window
    assert [cell.top for cell in window] == [50.0, 55.0, 60.0]
    for cell in window:
        assert 2 * cell.cell_margin + cell.text_width <= WINDOW_WIDTH, cell
        assert cell.font_size >= 10, cell
    assert name.text.startswith("W.J.C.M. van den Wilhelmina") and name.text.endswith("…")
    assert street.text.startswith("Burgemeester Jhr.") and street.text.endswith("… 1234 bis-A")
    assert town.text == "3511 NK  VRIEZENVEEN-WESTERHAAR"


@pytest.mark.parametrize("language", LANGUAGES)
def test_r9_a_very_long_patient_name_keeps_the_facts_above_the_letter(monkeypatch, language):
    # Given a patient whose name has 104 characters (the facts' value column is 35 mm)
    patient = worst_addressee(language, last_name=LONG_NAME)
    t = texts_for(language, ("common", "pdf.invoice"))
    # When the invoice is printed
    with recorded_cells(monkeypatch) as cells:
        pdf = render_invoice(make_invoice(patient=patient))
    # Then the facts right of the window, their last the AGB code, end above the letter's
    # title at 100 mm: the name took seven lines and ran them to 116 mm (audit letters9);
    # the name is cut short with "…" on its last line
    (agb,) = [cell for cell in cells if cell.text == t("agb_code")]
    assert agb.top + 5 <= 100.0, agb
    if language != "ar":  # Arabic lines are read back in visual order
        assert any(line.endswith("…") for line in printed_lines(pdf)), printed_lines(pdf)


def worst_letter(kind: str, language: str, count: int, spread: bool = False) -> bytes:
    """A dunning letter from a practice whose name has 60 characters to the long-named
    patient in the long street, about ``count`` invoices of € 12.345,67 (``spread``: each
    in default from another day, so that the reminder names each one's day)."""
    from billing_core.correspondence.pdf import render_dunning_letter_pdf
    from billing_core.dunning.letters import SECOND_NOTICE, reminder_context, second_notice_context
    from billing_core.dunning.steps import charge_costs, send_reminder
    from tests.unit.test_dunning_letters import (
        COSTS_AT,
        COSTS_DAY,
        HOW_TO_PAY,
        POLICY,
        REMINDER_DAY,
        open_invoices,
    )

    provider, addressee = make_provider(name=PRACTICE_NAMES[60]), worst_addressee(language)
    invoices = open_invoices(*[1_234_567] * count)
    if spread:
        invoices = [
            replace(invoice, final_payment_date=invoice.final_payment_date - timedelta(weeks=n))
            for n, invoice in enumerate(invoices)
        ]
    invoices = [
        replace(invoice, patient=addressee)
        for invoice in send_reminder(invoices, POLICY, REMINDER_DAY)
    ]
    if kind == SECOND_NOTICE:
        invoices = charge_costs(invoices, POLICY, COSTS_DAY, COSTS_AT)
        context = second_notice_context(invoices, provider, COSTS_DAY, **HOW_TO_PAY)
    else:
        context = reminder_context(invoices, provider, **HOW_TO_PAY)
    return render_dunning_letter_pdf(
        kind, context, language, provider=provider, addressee=addressee
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("kind", "count", "spread"),
    [
        ("second_notice", 1, False),
        ("dunning_reminder", 1, False),
        ("dunning_reminder", 4, False),
        ("dunning_reminder", 4, True),
    ],
)
def test_r19_the_standard_letters_are_one_sheet_in_the_worst_realistic_case(
    language, kind, count, spread
):
    # Given a practice whose name has 60 characters, a patient with a long name in a long
    # street and town, and a second notice about one invoice or a reminder about one or
    # four (four each in default from another day: the reminder names each day)
    # When the letter is printed in Dutch, English, Polish or Arabic
    pdf = worst_letter(kind, language, count, spread)
    # Then it is one sheet: a Polish notice about one invoice and a reminder about four
    # took two (Polish runs longer), their lines and paragraphs now closer, the type as
    # it was (R7, R19, R36; audit letters9)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_r7_the_worst_realistic_invoice_is_one_sheet(language):
    # Given the same practice and patient, an invoice of two lines
    # When it is printed / Then it is one sheet
    pdf = render_invoice(
        make_invoice(patient=worst_addressee(language)), make_provider(name=PRACTICE_NAMES[60])
    )
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


# --- four invoices, the arrangement's fee, no arrangement offered (letters10) ---------------


def worst_letter_with(
    kind: str, language: str, count: int, *, fee: bool = False, can_arrange: bool = True
) -> bytes:
    """``worst_letter``'s letter, the first invoice with a cancelled arrangement's fee of
    € 10,00 still owed (R15: its own line in the reminder, its own column in the notice),
    or with the practice named instead of the checker's arrangement (R15)."""
    from billing_core.correspondence.pdf import render_dunning_letter_pdf

    captured: dict = {}
    original = render_dunning_letter_pdf

    def capture(kind, context, language, **more):
        captured.update(context=dict(context), more=more)
        return b""

    import billing_core.correspondence.pdf as pdf_module

    pdf_module.render_dunning_letter_pdf = capture
    try:
        worst_letter(kind, language, count)
    finally:
        pdf_module.render_dunning_letter_pdf = original
    context = captured["context"]
    if fee:
        context["invoices"] = [
            dict(row, fee_cents=1_000 if number == 0 else 0)
            for number, row in enumerate(context["invoices"])
        ]
        context["fee_cents"] = 1_000
        context["total_cents"] += 1_000
    context["can_arrange"] = can_arrange
    return original(kind, context, language, **captured["more"])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["second_notice", "dunning_reminder"])
@pytest.mark.parametrize(
    ("fee", "can_arrange"), [(False, True), (True, True), (False, False), (True, False)]
)
def test_r19_a_letter_about_four_invoices_is_one_sheet_with_a_fee_or_without_an_offer(
    language, kind, fee, can_arrange
):
    # Given a practice whose name has 60 characters, a patient with a long name in a long
    # street and town, and a second notice or a reminder about four invoices; the first
    # invoice with a cancelled arrangement's fee still owed (R15), or the practice named
    # instead of the checker's arrangement (can_arrange=False, R15)
    # When the letter is printed in Dutch, English, Polish or Arabic
    pdf = worst_letter_with(kind, language, 4, fee=fee, can_arrange=can_arrange)
    # Then it is one sheet, the type as it was: the Polish notice about four invoices ended
    # at 280.0 mm, with the fee's column 289.0 mm (its heading "Numer referencyjny
    # płatności" on three lines), past the page's end at 272 mm (R7, R19, R36; letters10)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


# --- the QR code of a letter on two pages (R36, R7) --------------------------------------------


def test_r36_a_confirmation_on_two_pages_keeps_its_qr_code_beside_the_window_on_page_one(
    monkeypatch,
):
    # Given a confirmation on paper whose text runs on to a second page: one paragraph
    # for each of 40 invoices
    from billing_core.correspondence.messages import RenderedEmail

    paragraphs = [
        f"Nota 1000 0000 0000 {n:02d}: € 123,45 ontvangen op 1 december." for n in range(40)
    ]
    email = RenderedEmail(
        kind="payment_received",
        subject="Betaling ontvangen",
        text="\n\n".join(["Beste W.J.C.M. van den Brzęczyszczykiewicz,", *paragraphs]),
        html="",
        language="nl",
        reference="1000000000000001",
    )
    placed: list[tuple[int, float, float]] = []
    original = FPDF.image

    def image(pdf: FPDF, *args, **kwargs):
        placed.append((pdf.page, kwargs["x"], kwargs["y"]))
        return original(pdf, *args, **kwargs)

    monkeypatch.setattr(FPDF, "image", image)
    # When it is printed
    pdf = render_message_pdf(
        email,
        provider=make_provider(name=PRACTICE_NAMES[60]),
        addressee=worst_addressee("nl"),
        dated=NOW.date(),
        public_base_url=PUBLIC,
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    # Then the QR code stands on page 1 with the kenmerk, right of the envelope's window
    # (22 to 107 mm), under the one fact (50 to 55 mm), its caption (1 + 4 mm under it)
    # ending above the body at 100 mm: it stood under the text on the last page, away
    # from the kenmerk it opens (letters10); page 2 holds no image
    ((page, x, y),) = placed
    assert page == 1 and x >= 22.0 + WINDOW_WIDTH, placed
    assert y >= 55.0 and y + 28.0 + 1 + 4 <= 100.0, placed
    assert [len(sheet.images) for sheet in reader.pages] == [1, 0]
    caption = texts_for("nl", ("common", "pdf.invoice"))("qr_caption")
    assert caption in reader.pages[0].extract_text()
