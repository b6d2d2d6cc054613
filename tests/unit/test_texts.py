"""The text catalogues (R9, issue 11): one per audience, every text in Dutch and English,
and a new language is new entries only: whatever it lacks, the reader gets in Dutch."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from string import Formatter

import pytest

from billing_core.declarations.findings import Finding, Severity
from billing_core.legal import TERM_PHRASE
from billing_core.shared.errors import NotFound, StateConflict, practice_refused, refused
from billing_core.texts import catalogue as catalogue_module
from billing_core.texts.catalogue import by_channel, counted, long_date, short_date, typed_number
from billing_core.texts.letters import LETTERS, texts_for
from billing_core.texts.patient import (
    PAGE,
    PATIENT,
    REFUSALS,
    page_texts,
    patient_message,
)
from billing_core.texts.portal import PORTAL_LANGUAGES, portal_texts
from billing_core.texts.practice import INPUTS, PRACTICE

CATALOGUES = {"patient": PATIENT, "practice": PRACTICE, "letters": LETTERS}
EVERY_ENTRY = [
    (audience, language, section, key)
    for audience, catalogue in CATALOGUES.items()
    for language, sections in catalogue.languages.items()
    for section, entries in sections.items()
    for key in entries
]


def placeholders(pattern: str, language: str) -> set[str]:
    """The values a pattern names; ``{name_xx}`` in language xx is that language's
    form of the value ``name`` (a record name, an amount written its way)."""
    names = {name for _, name, _, _ in Formatter().parse(pattern) if name}
    return {name.removesuffix(f"_{language}") for name in names}


# English for every reader; Arabic for what a patient reads (R9, #17 item 7).
COMPLETE = [(audience, "en") for audience in CATALOGUES] + [
    ("patient", "ar"),
    ("letters", "ar"),
]


@pytest.mark.parametrize("audience, language", COMPLETE)
def test_every_text_is_in_dutch_and_in_each_complete_language(audience, language):
    # Given an audience's catalogue
    languages = CATALOGUES[audience].languages

    # Then Dutch and the language have the same sections, with the same keys, none empty
    assert languages["nl"].keys() == languages[language].keys()
    for section, dutch in languages["nl"].items():
        translated = languages[language][section]
        assert dutch.keys() == translated.keys(), section
        assert all(dutch[key].strip() and translated[key].strip() for key in dutch), section


@pytest.mark.parametrize("audience", CATALOGUES)
def test_polish_and_arabic_have_their_place_and_nothing_dutch_lacks(audience):
    languages = CATALOGUES[audience].languages
    assert {"nl", "en", "pl", "ar"} <= languages.keys()
    for sections in languages.values():
        for section, entries in sections.items():
            assert entries.keys() <= languages["nl"][section].keys(), section


@pytest.mark.parametrize("audience, language, section, key", EVERY_ENTRY)
def test_a_text_names_the_same_values_in_every_language(audience, language, section, key):
    languages = CATALOGUES[audience].languages
    dutch = languages["nl"][section][key]
    assert placeholders(languages[language][section][key], language) == placeholders(dutch, "nl")


def test_a_sentence_naming_other_values_than_its_dutch_is_caught():
    # Given an English refusal that names {amount} where the Dutch names {open_amount}
    dutch, english = "Nog open: {open_amount} euro.", "Still open: {amount} euro."

    # Then the placeholder check tells them apart
    assert placeholders(english, "en") != placeholders(dutch, "nl")


def test_a_refusal_is_given_in_a_new_language_as_soon_as_it_has_the_sentence(monkeypatch):
    # Given Polish with one refusal written (R9: entries, no code)
    monkeypatch.setitem(
        PATIENT.languages["pl"], REFUSALS, {"paid": "Ta faktura została już opłacona."}
    )

    # When two refusals are raised
    paid, too_small = refused("paid"), refused("term_too_small")

    # Then a Polish reader gets the Polish one, and the Dutch one where Polish has none
    assert paid.message("pl") == "Ta faktura została już opłacona."
    assert too_small.message("pl") == too_small.message_nl
    assert isinstance(paid, StateConflict) and paid.message_en == (
        "This invoice has already been paid."
    )


def test_a_page_is_shown_whole_in_one_language(monkeypatch):
    # Given Polish with only the page's title written
    monkeypatch.setitem(PATIENT.languages["pl"], PAGE, {"title": "Sprawdzanie płatności"})

    # When a Polish reader opens the checker page
    texts = page_texts("pl")

    # Then the whole page is Dutch, not half translated
    assert texts.language == "nl" and texts("title") == "Betaalchecker"


def test_a_finding_reads_each_language_with_its_own_values():
    finding = Finding(
        "CREDIT_EXCEEDS_LINE",
        Severity.CLAIM,
        line=4,
        params={
            "reference": "R1",
            "amount_nl": "€ 12,00",
            "amount_en": "€12.00",
            "left_nl": "€ 5,00",
            "left_en": "€5.00",
        },
    )
    assert finding.message("nl").startswith("Regel 4: de creditregel (€ 12,00) is hoger")
    assert finding.message("en").startswith("Line 4: the credit line (€12.00) is more")
    assert finding.message("ar") == finding.message("nl")  # Arabic has no findings yet


def test_the_patient_api_answers_come_from_the_patient_catalogue():
    assert patient_message("invalid_reference", "nl") == (
        "Dit betalingskenmerk klopt niet — controleer de 14 cijfers."
    )
    assert patient_message("invalid_reference", "en") == (
        "This payment reference is not right — check the 14 digits."
    )
    assert NotFound().message("en") == NotFound().message_en == patient_message("not_found", "en")
    # (Polish has the answers since issue 17 item 7; before that Polish readers got Dutch)
    assert (
        NotFound()
        .message("pl")
        .startswith("Nie znajdujemy faktury o tym numerze referencyjnym płatności i tych danych. ")
    )


# Where the checker page's no_match begins to say what to do when the kenmerk and the birth
# date are right: wait an hour (wrong birth dates lock the kenmerk), or call the practice.
WAIT_OR_CALL = {
    "nl": "Probeer het dan pas over een uur opnieuw",
    "en": "Then try again in an hour, not sooner",
    "pl": "Proszę spróbować ponownie dopiero za godzinę",
    "ar": "حاولوا مرة أخرى بعد ساعة",
}


@pytest.mark.parametrize("language", sorted(WAIT_OR_CALL))
def test_r10_the_apis_not_found_says_what_the_page_says_wait_an_hour_or_call(language):
    """R10, R36 (texts58). Given a kenmerk nobody has, or a birth date refused (the
    kenmerk locked for an hour after wrong ones), When the patient API answers 404
    ``not_found`` (one answer for both, R10), Then it says what the checker page says:
    try again in an hour, not sooner, or call the practice on the invoice; word for word
    as the page, in each language (before: only "no invoice for these details", 4 of 4)."""
    on_the_page = page_texts(language)("no_match")
    wait_or_call = on_the_page[on_the_page.index(WAIT_OR_CALL[language]) :]

    answer = patient_message("not_found", language)

    assert answer.endswith(" " + wait_or_call)
    assert NotFound().message(language) == answer


def test_a_practice_refusal_fills_in_its_values():
    refusal = practice_refused(
        "hold_out_of_range", max_days=60, last_day_nl="01-03-2027", last_day_en="2027-03-01"
    )
    assert refusal.code == "hold_out_of_range"
    assert refusal.message("en") == (
        "Choose a date after today and no later than 2027-03-01: an invoice is put on hold"
        " for at most 60 days, today included."
    )
    assert refusal.message("nl") == (
        "Kies een datum na vandaag en uiterlijk 01-03-2027: een nota wordt hoogstens 60 dagen"
        " aangehouden, vandaag meegeteld."
    )


@pytest.mark.parametrize(
    "language, long, short",
    [
        ("nl", "23 november 2026", "03-11-2026"),
        ("en", "23 November 2026", "3 Nov 2026"),
        ("pl", "23 listopada 2026", "03.11.2026"),
        ("ar", "23 نوفمبر 2026", "03/11/2026"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(language, long, short):
    # Given a date / When written for a reader of each language of R9
    # Then with that language's month name (Polish genitive) and order
    assert long_date(date(2026, 11, 23), language) == long
    assert short_date(date(2026, 11, 3), language) == short


@pytest.mark.parametrize(
    "number, language, typed",
    [
        (Decimal("62.5"), "nl", "62,5"),
        (Decimal("62.50"), "nl", "62,5"),
        (Decimal("62.5"), "en", "62.5"),
        (Decimal("62.5"), "pl", "62,5"),
        (Decimal("62.5"), "ar", "62.5"),
        (Decimal("60"), "nl", "60"),
        (Decimal("60.00"), "nl", "60"),
        (Decimal("6E+1"), "en", "60"),  # as Decimal.normalize() leaves sixty
        (Decimal("0.25"), "nl", "0,25"),
        (Decimal("100"), "nl", "100"),
        (30, "nl", "30"),
    ],
)
def test_a_number_in_a_form_field_is_written_as_its_reader_types_it(number, language, typed):
    # R9, R35: given a stored percentage / When shown in a form field of a page in the
    # reader's language / Then with that language's decimal sign, nothing the form refuses
    assert typed_number(number, language) == typed


@pytest.mark.parametrize(
    ("language", "written"),
    [("nl", "9.950"), ("en", "9,950"), ("pl", "9\u00a0950"), ("ar", "9,950")],
)
def test_a_count_in_a_sentence_is_grouped_as_its_reader_writes_it(language, written):
    # R9, R35 (audit report2): given 9,950 findings of a kind a report does not list / When
    # a page says how many / Then in thousands as the page's language groups them
    assert counted(9950, language) == written
    assert counted(50, language) == "50"


def test_every_language_with_a_reminder_letter_writes_its_term():
    # legal-nl.md §2: a reminder prints the 14-day term in the letter's own language
    writing_reminders = {
        language
        for language, sections in LETTERS.languages.items()
        if "email.dunning_reminder" in sections
    }
    assert "ar" in writing_reminders
    assert writing_reminders <= TERM_PHRASE.keys()


@pytest.mark.parametrize(
    "language, no_arrangement_yet, deferral_if_slow",
    [
        ("nl", "Vraag ook nog geen betalingsregeling aan.", "kosteloos uitstel van betaling"),
        ("en", "Do not ask for an instalment arrangement yet", "a free deferral of payment"),
        ("pl", "Proszę też jeszcze nie ustalać planu ratalnego.", "bezpłatnie odroczyć termin"),
        ("ar", "لا تطلبوا خطة تقسيط بعد أيضًا.", "تأجيل الدفع مجانًا"),
    ],
)
def test_section_7_checker_invoice_and_email_say_the_same_dont_pay_yet(
    language, no_arrangement_yet, deferral_if_slow
):
    """legal-nl.md §7: the invoice, the e-mail and the checker all say "do not ask for an
    arrangement"; seed 004: "if the insurer is slow, ask for the free deferral"."""
    by = by_channel("email")  # "per e-mail" or "per post": test_follow_up_channel.py
    on_the_page = page_texts(language)("dont_pay_yet", **by)
    before_the_birth_date = page_texts(language)("dont_pay_yet_locked", **by)
    on_the_invoice = texts_for(language, ("common",))("dont_pay_yet", checker_url="x", **by)
    for said in (on_the_page, before_the_birth_date, on_the_invoice):
        assert no_arrangement_yet in said and deferral_if_slow in said


@pytest.mark.parametrize("audience", CATALOGUES)
def test_r7_no_english_sentence_reads_pay_by_by_post(audience):
    """R7, R36. Given every English pattern that says how something follows
    ({by_channel_en}: "by e-mail", "by post"), When it is filled in, Then no "by" stands
    right before it ("a new date to pay by by post" was on the checker)."""
    doubled = [
        key
        for entries in CATALOGUES[audience].languages["en"].values()
        for key, pattern in entries.items()
        if " by {by_channel_en}" in pattern
    ]
    assert doubled == []


@pytest.mark.parametrize("kind", ["dunning_reminder", "second_notice"])
def test_a_practice_name_ending_in_a_full_stop_gets_no_second_one(kind):
    """R36 (audit letters8): Given a practice named "Tandartspraktijk De Vries B.V.", when a
    sentence ends with its name ("Questions about the treatment? Please contact {provider}."),
    then the name's own full stop ends the sentence: no "B.V.." in any language; a name
    without one still gets the sentence's. (Arabic isolates the name, U+2068…U+2069, names7:
    read as shown, without those marks.)"""
    for language in ("nl", "en", "pl", "ar"):
        t = texts_for(language, ("common", f"email.{kind}"))

        def shown(text: str) -> str:
            return text.replace("\u2068", "").replace("\u2069", "").rstrip()

        with_stop = shown(t("questions", provider="Tandartspraktijk De Vries B.V."))
        assert "B.V.." not in with_stop and with_stop.endswith("B.V."), with_stop
        assert shown(t("questions", provider="Tandartspraktijk De Vries")).endswith("Vries.")


def test_every_text_key_is_named_by_some_code_or_template():
    """One way to do each thing (architecture.md; stop 45 cleanup): a text nothing shows is
    a sentence nobody reviews that drifts from what the product does (the checker's
    "done_payment", the portal's "sign_in_lead", "invoiced", "dunning_days", the finding
    DATE_INVALID: replaced by another key or never shown). Loose by design: a key that
    shares a built prefix with others ("VEKTIS_" ~ ...) passes without being shown.
    Given every key of every catalogue (patient, practice, letters, portal), in
    every language
    When the code and templates of billing_core, functions/ and local/ are searched for it:
    quoted ("key", not as the key of an entry "key": ...), or built from a part of it
    (f"state_{x}", "action_kind_" ~ kind, "unlock_heading" ~ settled, f"{code}_none_by_bank")
    Then every key is found."""
    import re
    from pathlib import Path

    from billing_core.texts.portal import PORTAL_TEXTS

    root = Path(__file__).resolve().parents[2]
    texts = root / "layers/billing_core/billing_core/texts"
    sources = {
        path: path.read_text(encoding="utf-8")
        for base in ("layers/billing_core/billing_core", "functions", "local")
        for path in (root / base).rglob("*")
        if path.suffix in {".py", ".j2"}
    }
    code = "\n".join(sources.values())
    # In the texts package, "key": ... defines an entry; elsewhere it names one (a mapping)
    named = {
        key
        for path, source in sources.items()
        for key in re.findall(
            r"""["']([A-Za-z0-9_]+)["'](?!\s*:)"""
            if texts in path.parents
            else r"""["']([A-Za-z0-9_]+)["']""",
            source,
        )
    }
    built_from = set(re.findall(r"""["']([A-Za-z0-9_]+)["']\s*~""", code))  # "x_" ~ y
    built_from |= set(re.findall(r"""\bf["']([A-Za-z0-9_]+)\{""", code))  # f"x_{y}"
    built_after = set(re.findall(r"""\}([A-Za-z0-9_]+)["']""", code))  # f"{x}_y"
    built_after |= set(re.findall(r"""~\s*["']([A-Za-z0-9_]+)["']""", code))  # x ~ "_y"

    def found(key: str) -> bool:
        cuts = [i for i, c in enumerate(key) if c == "_"]
        return (
            key in named
            # Texts.plural(key, count) names key_one and key_other (portal9, R9)
            or (key.endswith(("_one", "_other")) and key.rpartition("_")[0] in named)
            or any(key[:i] in built_from or key[: i + 1] in built_from for i in cuts)
            or any(key[i:] in built_after for i in cuts)
        )

    unnamed = sorted(
        {(audience, section, key) for audience, _, section, key in EVERY_ENTRY}
        | {
            ("portal", section, key)
            for sections in PORTAL_TEXTS.languages.values()
            for section, entries in sections.items()
            for key in entries
        }
    )
    unnamed = [entry for entry in unnamed if not found(entry[2])]
    assert unnamed == []


# The values that are amounts where an Arabic sentence names them ({term} is one in
# confirmations, a period "within 14 days" in a reminder's request).
_AMOUNTS = frozenset(
    {"amount", "due", "paid", "fee", "total", "interest", "costs", "charged", "forgiven"}
    | {"minimum"}
)


def test_an_amount_in_an_arabic_sentence_is_isolated_left_to_right():
    """R9, audit pdf6. Given an Arabic sentence naming an amount, when it is printed,
    mailed or shown, then the amount stands between U+2066 and U+2069 (a left-to-right
    isolate): after Arabic letters, "€33.17" read as "33.17€" in the PDF's paragraphs,
    the e-mail's text and HTML (the tables showed "€33.17")."""
    from billing_core.texts.patient import PATIENT

    bare = [
        (section, key, name)
        for catalogue in (LETTERS, PATIENT)
        for section, entries in catalogue.languages["ar"].items()
        for key, pattern in entries.items()
        for _, name, _, _ in Formatter().parse(pattern)
        if name in _AMOUNTS and f"\u2066{{{name}}}\u2069" not in pattern
    ]
    assert bare == []


def test_a_patient_number_in_another_case_is_said_in_one_place():
    """R35, R32 (words53: the sentence was kept in texts/practice.py for the API and again
    in texts/portal.py for the portal's search and access log, free to drift apart).
    Given the texts' sources / When the refusal of a patient number in another letter case
    is looked for / Then its words are written once, and the portal says the API's words
    as a sentence of their own, in Dutch and English."""
    sources = Path(catalogue_module.__file__).parent.rglob("*.py")
    # A sentence written over several lines, its literals joined as Python joins them.
    text = re.sub(r'"\s*\n\s*"', "", "".join(p.read_text(encoding="utf-8") for p in sources))
    words = ("wel als {found}: hoofdletters en kleine", "but as {found}: the case of its letters")
    assert [text.count(said) for said in words] == [1, 1]
    for language in PORTAL_LANGUAGES:
        api = PRACTICE.text(INPUTS, "patient_ref_case", language, found="PAT000002")
        portal = portal_texts(language)("invalid_patient_ref_case", found="PAT000002")
        assert portal == api[0].upper() + api[1:] + "."
    assert portal_texts("nl")("invalid_patient_ref_case", found="PAT000002") == (
        "Geen nota heeft dit patiëntnummer zo geschreven, wel als PAT000002: hoofdletters en"
        " kleine letters tellen."
    )
