"""Everything a patient reads, in Polish (issue 17 item 7, R9): every Dutch text has its
Polish one, the page and the letters come whole in Polish, the PDF prints ł, ś and ż,
the reminder states in Polish what art. 6:96 lid 6 BW asks (legal-nl.md §2), and the
attachments are named in Polish."""

from __future__ import annotations

from datetime import date

import pytest

from billing_core.correspondence.pdf import invoice_file_name, letter_file_name
from billing_core.correspondence.render import render_email
from billing_core.declarations.claims import Language
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.legal import TERM_PHRASE
from billing_core.shared.errors import refused
from billing_core.texts.catalogue import long_date
from billing_core.texts.letters import LETTERS
from billing_core.texts.patient import PATIENT, info_texts, page_texts
from tests.unit.factories import KENMERK, REFERENCE, make_invoice, make_person
from tests.unit.test_dunning_letters import reminded, reminder_of, rendered
from tests.unit.test_invoice_pdf import render, shown
from tests.unit.test_texts import placeholders

POLISH_SECTIONS = [
    (catalogue, section)
    for catalogue in (PATIENT, LETTERS)
    for section in catalogue.languages["nl"]
]
EMAILS = [
    "invoice",
    REMINDER,
    SECOND_NOTICE,
    "stop_confirmation",
    "deferral_confirmation",
    "arrangement_confirmation",
    "objection_acknowledgement",
    "payment_received",
    "invoice_corrected",
]


@pytest.mark.parametrize("catalogue, section", POLISH_SECTIONS, ids=[s for _, s in POLISH_SECTIONS])
def test_every_dutch_text_has_its_polish_text_with_the_same_values(catalogue, section):
    # Given a section of what a patient reads, in Dutch and in Polish
    dutch, polish = catalogue.languages["nl"][section], catalogue.languages["pl"][section]

    # Then Polish has exactly the Dutch keys, none empty, naming every Dutch value
    assert polish.keys() == dutch.keys()
    for key, pattern in dutch.items():
        assert polish[key].strip(), key
        assert placeholders(polish[key], "pl") == placeholders(pattern, "nl"), key


def test_the_checker_and_the_pages_for_patients_come_whole_in_polish():
    # When a Polish reader opens the checker and /voorwaarden
    page, info = page_texts("pl"), info_texts("pl")

    # Then both are Polish, with the legal terms right
    assert (page.language, info.language) == ("pl", "pl")
    assert page("title") == "Sprawdzanie płatności"
    assert "Betalingskenmerk" in page("reference_hint")  # the word on the Dutch invoice
    assert "odsetki ustawowe" in info("terms_4_text")
    costs = info("terms_3_text").replace("\u00a0", " ")
    assert "co najmniej 40 €" in costs and "najwyżej 6775 €" in costs


@pytest.mark.parametrize("kind", EMAILS)
def test_every_letter_comes_whole_in_polish(kind):
    sections = ("common", "email", f"email.{kind}")
    assert LETTERS.texts_for("pl", sections).language == "pl"


def test_a_refusal_reads_in_polish():
    assert refused("already_deferred").message("pl") == (
        "Termin płatności tej faktury został już odroczony. Odroczenie jest możliwe jeden raz."
    )


def test_a_polish_date_is_written_in_the_genitive():
    assert long_date(date(2026, 12, 2), "pl") == "2 grudnia 2026"


# --- the PDF ------------------------------------------------------------------------------


def test_the_polish_invoice_pdf_prints_its_labels_and_name_with_every_diacritic():
    # Given a Polish patient whose name has ł, ś and ż
    patient = make_person(
        initials="Ż.", name_prefix="", last_name="Łaszewska-Śliwińska", language=Language.PL
    )

    # When the invoice PDF is rendered
    text = shown(render(make_invoice(patient=patient)))

    # Then the text read back is Polish, with the name and the labels as written
    for expected in (
        "Ż. Łaszewska-Śliwińska",
        "zorgnota w imieniu Tandartspraktijk De Vries",
        f"Numer referencyjny\n{KENMERK}",
        "Kod AGB placówki\n12345678",
        "Termin płatności\n23 grudnia 2026",
        "Do zapłaty\n33,17 €",  # shown() reads the no-break space as a space
        "Jak zapłacić",
        "Strona 1 z",
    ):
        assert expected in text, expected
    assert "Uiterste betaaldatum" not in text


# --- the reminder -------------------------------------------------------------------------


@pytest.mark.parametrize("part", ["text", "html", "pdf"])
def test_the_polish_reminder_states_amount_term_and_costs(part):
    # Given two unpaid invoices of a Polish patient, € 1.234,56 + € 200,00, e-mailed
    # reminder on Friday 8 January 2027 (final date 22 January 2027; BIK € 215,18)
    letter = rendered(REMINDER, reminder_of(reminded(123456, 20000, language=Language.PL)), "pl")

    # Then each part says, in Polish, what the law asks a reminder to say
    assert letter["subject"].startswith("Upomnienie: niezapłacone faktury od")
    said = letter[part]
    assert "Prosimy o zapłatę 1 434,56 €" in said.replace("\u00a0", " ")
    assert f"{TERM_PHRASE['pl']}, czyli najpóźniej do 22 stycznia 2027" in said
    assert "pozasądowe koszty windykacji w wysokości 215,18 €" in said.replace("\u00a0", " ")
    assert "odsetki ustawowe" in said


def test_a_polish_e_mail_is_polish_from_subject_to_signature():
    email = render_email(REMINDER, reminder_of(reminded(5000, language=Language.PL)), "pl")
    assert email.subject.startswith("Upomnienie: faktura od")
    assert "Dzień dobry," in email.text and "Z poważaniem," in email.text
    assert "Geachte" not in email.text and "betalen" not in email.subject


# --- the attachments ----------------------------------------------------------------------


def test_the_attachments_are_named_in_polish():
    invoice = make_invoice(patient=make_person(language=Language.PL))
    assert invoice_file_name(invoice) == f"faktura-{REFERENCE}.pdf"
    assert letter_file_name(REMINDER, REFERENCE, "pl") == f"upomnienie-{REFERENCE}.pdf"
    assert letter_file_name(SECOND_NOTICE, REFERENCE, "pl") == (
        f"ostateczne-wezwanie-{REFERENCE}.pdf"
    )
