"""The invoice e-mail (R7, R9, R29, R30): what the patient reads, in their language, and
what must never be in a mail body."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from jinja2 import ChoiceLoader, DictLoader, UndefinedError
from markupsafe import escape

from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.correspondence.render import (
    ENVIRONMENT,
    invoice_email_context,
    render_email,
    render_invoice_email,
)
from billing_core.declarations.claims import Language
from billing_core.texts import letters as texts
from billing_core.texts.catalogue import long_date, short_date
from billing_core.texts.letters import CATALOGUE, texts_for
from tests.unit.factories import (
    BSN,
    KENMERK,
    PUBLIC,
    REFERENCE,
    make_invoice,
    make_line,
    make_parent,
    make_person,
    make_provider,
)

PAY_URL = f"{PUBLIC}/?kenmerk={REFERENCE}&lang=nl"


def render(invoice=None, provider=None):
    return render_invoice_email(
        invoice or make_invoice(),
        provider or make_provider(),
        pay_url=PAY_URL,
        public_base_url=PUBLIC,
    )


def english(**overrides):
    return make_person(language=Language.EN, **overrides)


def both_parts(email) -> list[str]:
    return [email.subject, email.text, email.html]


# --- what the e-mail says -----------------------------------------------------------------


def test_dutch_invoice_email_states_provider_amount_date_kenmerk_and_pay_link():
    # Given an invoice of a Utrecht dental practice for a Dutch patient: € 48,25 of
    # treatments, € 15,08 reimbursed by the insurer
    invoice = make_invoice()

    # When the e-mail is rendered
    email = render(invoice)

    # Then subject, text and HTML tell on whose behalf, what to pay, by when and how
    assert email.language == "nl"
    assert email.subject == f"Nota van Tandartspraktijk De Vries - betalingskenmerk {KENMERK}"
    for part in (email.text, email.html):
        assert "Namens Tandartspraktijk De Vries in Utrecht" in part
        assert "€\u00a033,17" in part
        assert "23 december 2026" in part
        assert KENMERK in part
        assert "bijlage (PDF)" in part
        assert "uitstel van betaling" in part and PUBLIC in part
    assert PAY_URL in email.text
    assert f'href="{PAY_URL.replace("&", "&amp;")}"' in email.html
    assert email.reference == REFERENCE
    assert email.kind == "invoice"


def test_english_on_request():
    # Given a patient who asked for English
    invoice = make_invoice(patient=english())

    # When the e-mail is rendered
    email = render(invoice)

    # Then it is English, with amounts and dates as English readers write them
    assert email.language == "en"
    assert email.subject.startswith("Invoice from Tandartspraktijk De Vries")
    assert "€33.17" in email.text
    assert "23 December 2026" in email.text
    assert f"Payment reference: {KENMERK}" in email.text
    assert '<html lang="en" dir="ltr">' in email.html
    assert "Geachte" not in email.text


@pytest.mark.parametrize(
    "language, text", [(Language.NL, "€\u00a01.234,56"), (Language.EN, "€1,234.56")]
)
def test_thousands_are_grouped_as_the_reader_expects(language, text):
    # Given an invoice of € 1.234,56 without reimbursement
    invoice = make_invoice(
        patient=make_person(language=language),
        lines=(make_line(unit_price_cents=123456),),
    )

    # When the e-mail is rendered
    email = render(invoice)

    # Then the amount is written the reader's way
    assert text in email.text and text in email.html


def test_insurer_reimbursement_is_mentioned_when_there_is_one():
    email = render(make_invoice())

    assert "Uw zorgverzekeraar vergoedt €\u00a015,08 van deze nota" in email.text
    assert "Uw zorgverzekeraar vergoedt €\u00a015,08 van deze nota" in email.html


def test_no_reimbursement_sentence_when_the_insurer_pays_nothing():
    # Given an invoice the insurer reimburses nothing of
    invoice = make_invoice(lines=(make_line(reimbursed_cents=0),))

    # When the e-mail is rendered
    email = render(invoice)

    # Then it does not talk about a reimbursement
    assert "zorgverzekeraar" not in email.text
    assert "zorgverzekeraar" not in email.html


# --- non-contracted care: "don't pay yet" (legal-nl.md §7, R37) -----------------------------

WAITS = make_provider(coulance=CoulancePolicy(wait_for_statement=True))


@pytest.mark.parametrize(
    "language, no_arrangement_yet, deferral_if_slow",
    [
        # seed 001: "vraag ook nog geen betalingsregeling aan"; seed 004: the free deferral
        (
            "nl",
            "Vraag ook nog geen betalingsregeling aan.",
            "in de betaalchecker kosteloos uitstel",
        ),
        ("en", "Do not ask for an instalment arrangement yet", "ask for a free deferral"),
        ("pl", "Proszę też jeszcze nie ustalać planu ratalnego.", "bezpłatnie odroczyć termin"),
        ("ar", "لا تطلبوا خطة تقسيط بعد أيضًا.", "فاطلبوا تأجيل الدفع مجانًا"),
    ],
)
def test_section_7_the_dont_pay_yet_email_says_one_thing(
    language, no_arrangement_yet, deferral_if_slow
):
    """legal-nl.md §7: "do not pay yet and do not ask for an arrangement; claim the invoice
    from your insurer; send us the insurer's statement ... Seed 004 adds: if the insurer is
    slow, ask for the free deferral." (audit care D5)"""
    # Given an invoice of a practice without contracts that waits for the statement
    invoice = make_invoice(patient=make_person(language=Language(language)))
    t = texts_for(language, ("common", "email", "email.invoice"))
    pay_request = t(
        "request",
        amount=t.euros(invoice.amount_due_cents),
        date=long_date(invoice.final_payment_date, language),
    )

    # When its e-mail is rendered
    email = render(invoice, WAITS)

    # Then text and HTML say don't pay yet, no arrangement yet, the deferral if the insurer
    # is slow, and link to the checker for the statement
    for part, written in ((email.text, str), (email.html, lambda text: str(escape(text)))):
        assert written(t("dont_pay_yet_heading")) in part
        assert written(no_arrangement_yet) in part and written(deferral_if_slow) in part
        assert written(t("statement_link_intro")) in part and written(PAY_URL) in part
        # and nothing that asks to pay now or offers an arrangement
        assert written(pay_request) not in part
        assert written(t("pay_link_intro")) not in part and "iDEAL" not in part
        assert written(t("more_time", checker_url=PUBLIC)) not in part
        assert written(t("attachment")) not in part  # "... for paying by bank transfer"
    assert t("send_statement") in email.html
    assert misdirected_lines(email.text) == []


def test_a_parent_gets_the_invoice_of_a_child():
    # Given a child's invoice addressed to a parent
    child = make_person(initials="L.", name_prefix="", last_name="Jansen", email="")
    invoice = make_invoice(patient=child, debtor=make_parent())

    # When the e-mail is rendered
    email = render(invoice)

    # Then it greets the parent and says whose treatment it is
    assert email.text.startswith("Geachte M. Jansen,")
    assert "de nota voor de behandeling van L. Jansen" in email.text


def test_without_a_city_the_provider_is_named_alone():
    email = render(provider=make_provider(city=""))

    assert "Namens Tandartspraktijk De Vries sturen wij u" in email.text


# --- what it must never say (R29) ---------------------------------------------------------


def test_no_bsn_and_no_treatments_in_the_mail():
    # Given an invoice with a BSN and two treatments
    invoice = make_invoice()

    # When the e-mail is rendered, in either language
    emails = [render(invoice), render(replace(invoice, patient=english()))]

    # Then neither part holds the BSN or what was treated: that is only in the PDF
    for email in emails:
        for part in both_parts(email):
            assert BSN not in part
            for line in invoice.lines:
                assert line.treatment_code not in part
                assert line.description not in part


def test_the_template_is_never_given_the_invoice_itself():
    context = invoice_email_context(
        make_invoice(), make_provider(), pay_url=PAY_URL, public_base_url=PUBLIC
    )

    assert BSN not in repr(context)
    assert not {"invoice", "lines", "bsn", "birth_date"} & context.keys()


def test_a_hostile_name_is_escaped_in_html():
    # Given a patient and a provider whose names are HTML
    hostile = '<script>alert("x")</script>'
    invoice = make_invoice(patient=make_person(initials="", name_prefix="", last_name=hostile))

    # When the e-mail is rendered
    email = render(invoice, make_provider(name="<b>Praktijk</b> & Co"))

    # Then the HTML shows the names as text, never as markup
    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in email.html
    assert "<b>Praktijk</b>" not in email.html
    assert "&lt;b&gt;Praktijk&lt;/b&gt; &amp; Co" in email.html
    # and the plain text, which no client renders as HTML, keeps them as they are
    assert hostile in email.text
    assert "&amp;" not in email.text


def test_the_subject_is_one_line_whatever_the_provider_is_called():
    # model_copy: refused on write since stop 45 (R31), a name stored before still reads.
    provider = make_provider().model_copy(update={"name": "Praktijk\nBcc: someone@example.org"})
    email = render(provider=provider)

    assert "\n" not in email.subject and "\r" not in email.subject


# --- templates and texts ------------------------------------------------------------------


def test_a_missing_value_fails_loudly():
    # Given a context without the pay link
    context = invoice_email_context(
        make_invoice(), make_provider(), pay_url=PAY_URL, public_base_url=PUBLIC
    )
    del context["pay_url"]

    # When rendering, Then it fails instead of mailing an empty link
    with pytest.raises(UndefinedError):
        render_email("invoice", context, "nl")


@pytest.mark.parametrize("language", ["xx", "de"])  # nl/en/pl/ar have their texts (R9)
def test_languages_without_texts_get_dutch(language):
    # Given a patient language whose texts do not exist yet (R9)
    context = invoice_email_context(
        make_invoice(), make_provider(), pay_url=PAY_URL, public_base_url=PUBLIC
    )

    # When the e-mail is rendered
    email = render_email("invoice", context, language)

    # Then it is the Dutch e-mail, left to right
    assert email.language == "nl"
    assert email.text.startswith("Geachte")
    assert '<html lang="nl" dir="ltr">' in email.html


def test_arabic_is_right_to_left():
    # Given an invoice for an Arabic-speaking patient (R9)
    context = invoice_email_context(
        make_invoice(), make_provider(), pay_url=PAY_URL, public_base_url=PUBLIC
    )

    # When the e-mail is rendered
    email = render_email("invoice", context, "ar")

    # Then it is the Arabic e-mail, right to left on the html element, the body and the
    # card (webmail keeps only the latter two)
    assert email.language == "ar"
    assert '<html lang="ar" dir="rtl">' in email.html
    assert '<body dir="rtl"' in email.html and '<table role="presentation" dir="rtl"' in email.html
    # and the text part, which has no dir, reads right to left line by line
    assert misdirected_lines(email.text) == []
    # and the kenmerk's groups are joined by no-break spaces, which keep their order
    joined = KENMERK.replace(" ", "\u00a0")
    assert joined in email.subject and joined in email.text


def test_r9_an_arabic_sentence_keeps_a_name_s_full_stop_at_the_name_s_end():
    """R9 (names7): in a right-to-left sentence the bidi algorithm gave the "." ending
    "J. Ağaoğlu Jr." the sentence's direction: it read "Jr" with ". المحترم" after it.
    Given a patient "J. Ağaoğlu Jr." who reads Arabic, of "Praktijk J. Ağaoğlu Jr." in Utrecht
    When the invoice e-mail is rendered
    Then each name stands between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE in the
    text and the html part, as amounts stand isolated; "{provider} في {city}" isolates the
    name only, so that its Arabic word and city keep the sentence's order."""
    patient = make_person(
        language=Language.AR, initials="J.", name_prefix="", last_name="Ağaoğlu Jr."
    )
    email = render(make_invoice(patient=patient), make_provider(name="Praktijk J. Ağaoğlu Jr."))
    for part in (email.text, email.html):
        assert "حضرة \u2068J. Ağaoğlu Jr.\u2069 المحترم" in part
        assert "عن \u2068Praktijk J. Ağaoğlu Jr.\u2069 في Utrecht " in part
        assert "Jr. " not in part.replace("Jr.\u2069", "")  # no name left bare


def misdirected_lines(text: str) -> list[str]:
    """Lines holding Arabic that do not start with an Arabic letter. A plain-text part has
    no dir: a mail client takes each line's direction from its first letter (Unicode bidi
    P2), so an Arabic line must start with one; an address or a link stays left to right."""
    return [
        line
        for line in text.splitlines()
        if any(unicodedata.bidirectional(c) == "AL" for c in line)
        and next(kind for c in line if (kind := unicodedata.bidirectional(c)) in {"L", "R", "AL"})
        != "AL"
    ]


# An amount in a rendered text: "€" and a figure, maybe grouped (Arabic writes "€1,234.56").
_AMOUNT_IN_TEXT = re.compile(r"-?€[\d,]+\.\d\d")


def bare_amounts(text: str) -> list[str]:
    """The lines of a plain text holding an amount not isolated left to right (U+2066 before
    it, U+2069 after): after an Arabic label a mail client shows it as "33.17€" (R9)."""
    return [
        line
        for line in text.splitlines()
        for m in _AMOUNT_IN_TEXT.finditer(line)
        if not (line[: m.start()].endswith("\u2066") and line[m.end() :].startswith("\u2069"))
    ]


def test_a_new_kind_of_email_needs_templates_and_texts_but_no_code(monkeypatch):
    # Given a "reminder" kind: two templates and a section of texts
    templates = {
        "email/reminder.txt.j2": (
            '{% extends "email/base.txt.j2" %}'
            '{% block subject %}{{ t("subject", reference=reference|kenmerk) }}{% endblock %}'
            '{% block body %}{{ t("body", amount=amount_cents|euros) }}{% endblock %}'
        ),
        "email/reminder.html.j2": (
            '{% extends "email/base.html.j2" %}'
            '{% block body %}<p>{{ t("body", amount=amount_cents|euros) }}</p>{% endblock %}'
        ),
    }
    monkeypatch.setattr(
        ENVIRONMENT, "loader", ChoiceLoader([DictLoader(templates), ENVIRONMENT.loader])
    )
    monkeypatch.setitem(
        CATALOGUE["nl"],
        "email.reminder",
        {
            "subject": "Herinnering {reference}",
            "body": "Wij ontvingen {amount} nog niet.",
        },
    )

    # When it is rendered
    email = render_email("reminder", {"reference": REFERENCE, "amount_cents": 3317}, "en")

    # Then it comes out like any other e-mail (in Dutch: the reminder has no English yet)
    assert email.kind == "reminder"
    assert email.subject == f"Herinnering {KENMERK}"
    assert "Wij ontvingen €\u00a033,17 nog niet." in email.text
    assert "<p>Wij ontvingen €\u00a033,17 nog niet.</p>" in email.html


def test_english_has_every_text_dutch_has():
    # Otherwise an English patient would silently get Dutch
    for section, entries in CATALOGUE["nl"].items():
        assert CATALOGUE["en"][section].keys() == entries.keys(), section


def test_a_key_in_two_sections_is_refused(monkeypatch):
    monkeypatch.setitem(CATALOGUE["nl"], "email.clash", {"amount_due": "Bedrag"})

    with pytest.raises(ValueError, match="amount_due"):
        texts_for("nl", ("common", "email.clash"))


def test_a_text_needs_every_value_it_names():
    t = texts.texts_for("nl", ("common",))

    with pytest.raises(KeyError):
        t("sender_line")


@pytest.mark.parametrize(
    "day, language, long, short",
    [
        (date(2026, 11, 23), "nl", "23 november 2026", "23-11-2026"),
        (date(2026, 11, 23), "en", "23 November 2026", "23 Nov 2026"),
        (date(2027, 3, 1), "nl", "1 maart 2027", "01-03-2027"),
        (date(2027, 5, 9), "en", "9 May 2027", "9 May 2027"),
        (date(2026, 12, 31), "pl", "31 grudnia 2026", "31.12.2026"),
    ],
)
def test_dates_are_written_out_without_depending_on_the_locale(day, language, long, short):
    assert long_date(day, language) == long
    assert short_date(day, language) == short
