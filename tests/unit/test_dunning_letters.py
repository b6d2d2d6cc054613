"""The dunning letters as the patient reads them: the 14-day reminder (art. 6:96 lid 6 BW,
legal-nl.md §2) and the second notice (R19, R20), in the e-mail's text and HTML parts
(R30) and on paper (the PDF), in Dutch and English.

The invoices are made by the run's own steps (dunning/steps.py), so the letters state
what the run decided on. Texts are compared with their whitespace collapsed: the PDF
wraps sentences over lines.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.correspondence.pdf import kenmerk, render_dunning_letter_pdf
from billing_core.correspondence.render import render_email
from billing_core.declarations.claims import Language
from billing_core.dunning.interest import accrued_interest
from billing_core.dunning.letters import (
    REMINDER,
    SECOND_NOTICE,
    letter_invoices,
    nothing_to_ask,
    reminder_context,
    second_notice_context,
)
from billing_core.dunning.policy import DunningPolicy
from billing_core.dunning.steps import charge_costs, send_reminder
from billing_core.invoices.invoice import Channel, InvoiceStatus
from billing_core.invoices.ledger import Component, balance
from billing_core.legal import TERM_PHRASE
from billing_core.payments.booking import IncomingPayment, apply_payment, apply_reversal
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.reference import for_sequence
from billing_core.texts.letters import CATALOGUE, texts_for
from tests.unit.factories import (
    BSN,
    PUBLIC,
    REFERENCE_KEY,
    make_invoice,
    make_line,
    make_person,
    make_provider,
)
from tests.unit.test_invoice_pdf import ACCOUNT, lines_by_page, page_count, shown_lines
from tests.unit.test_notify_render import bare_amounts, misdirected_lines

POLICY = DunningPolicy()
REMINDER_DAY = date(2027, 1, 8)  # a Friday; the invoices' final payment date is 23 Dec 2026
COSTS_DAY = date(2027, 1, 23)  # the day after the e-mailed reminder's final date
COSTS_AT = datetime(2027, 1, 23, 6, 0, tzinfo=AMSTERDAM)
IBAN = "NL91ABNA0417164300"
FIRST, SECOND = "10000000000001", "10000000000002"


def open_invoices(*principals, language=Language.NL, email="s.vanderberg@example.nl"):
    """Sent, unpaid invoices of one patient, one line each."""
    patient = make_person(language=language, email=email)
    return [
        make_invoice(
            invoice_id=f"inv-{n}",
            reference=f"1000000000000{n}",
            patient=patient,
            status=InvoiceStatus.SENT,
            lines=(make_line(claim_ref=f"L-{n}", unit_price_cents=cents),),
        )
        for n, cents in enumerate(principals, start=1)
    ]


def reminded(*principals, **person):
    return send_reminder(open_invoices(*principals, **person), POLICY, REMINDER_DAY)


def charged(*principals, **person):
    return charge_costs(reminded(*principals, **person), POLICY, COSTS_DAY, COSTS_AT)


def link(invoice):
    return f"{PUBLIC}/?kenmerk={invoice.reference}"


HOW_TO_PAY = {"pay_url": link, "checker_url": PUBLIC, "account": ACCOUNT}


def reminder_of(invoices):
    return reminder_context(invoices, make_provider(), **HOW_TO_PAY)


def notice_of(invoices, day=COSTS_DAY):
    return second_notice_context(invoices, make_provider(), day, **HOW_TO_PAY)


def letter_pdf(kind, context, language, *, compress=False):
    """The paper letter from the test practice to the test patient (uncompressed: its
    text can be read back)."""
    return render_dunning_letter_pdf(
        kind,
        context,
        language,
        provider=make_provider(),
        addressee=make_person(),
        compress=compress,
    )


def rendered(kind, context, language):
    """What the patient reads: e-mail text, e-mail HTML (as shown), and the paper letter."""
    email = render_email(kind, context, language)
    pdf = letter_pdf(kind, context, language)
    as_shown = html.unescape(re.sub(r"<[^>]+>", " ", email.html))
    return {
        "subject": email.subject,
        "text": _collapsed(email.text),
        "html": _collapsed(as_shown),
        "pdf": _collapsed(" ".join(shown_lines(pdf))),
    }


def _collapsed(text):
    return " ".join(text.split())


PARTS = ("text", "html", "pdf")


# --- the reminder: what art. 6:96 lid 6 BW requires, each element on its own -------------

# € 1.234,56 + € 200,00 = € 1.434,56; BIK 15% of that = € 215,18 (legal-nl.md §3).
# E-mailed on Friday 8 January 2027: received that day, final date 22 January 2027.
LEGAL_ELEMENTS = {
    "nl": {
        "amount due": r"Wij vragen u € 1\.434,56 te betalen",
        "term of 14 days from receipt": re.escape(TERM_PHRASE["nl"])
        + r", dat is uiterlijk op 22 januari 2027",
        "collection costs": r"€ 215,18 aan buitengerechtelijke incassokosten verschuldigd",
    },
    "en": {
        "amount due": r"Please pay €1,434\.56",
        "term of 14 days from receipt": re.escape(TERM_PHRASE["en"])
        + r", that is no later than 22 January 2027",
        "collection costs": r"owe €215\.18 in extrajudicial collection costs",
    },
    "ar": {
        # R9, audit pdf6: the amount isolated left to right, so "€" reads before it
        "amount due": "نرجو منكم دفع \u2066€1,434\\.56\u2069",
        "term of 14 days from receipt": re.escape(TERM_PHRASE["ar"])
        + r"، أي في موعد أقصاه 22 يناير 2027",
        "collection costs": "بدفع \u2066€215\\.18\u2069 تكاليف تحصيل خارج القضاء",
    },
}


@pytest.mark.parametrize(
    "language, element, part",
    [
        (language, element, part)
        for language, elements in LEGAL_ELEMENTS.items()
        for element in elements
        for part in PARTS
        # pypdf reads a line mixing Arabic and numbers back run by run, in the order
        # drawn: the Arabic paper letter has its own test below
        if (language, part) != ("ar", "pdf")
    ],
)
def test_the_reminder_states_what_the_law_requires(language, element, part):
    """Given two open invoices reminded in one letter, when it is rendered, then each
    element without which no collection costs may be charged is in every form of the
    letter: the amount, the term with the computed final date, the concrete BIK."""
    letter = rendered(REMINDER, reminder_of(reminded(123_456, 20_000)), language)
    assert re.search(LEGAL_ELEMENTS[language][element], letter[part]), letter[part]


def test_the_arabic_paper_reminder_states_what_the_law_requires_right_to_left():
    # Given a reminder for two invoices to a patient who reads Arabic (R9, legal-nl.md §2)
    context = reminder_of(reminded(123_456, 20_000, language=Language.AR))

    # When the paper letter is printed
    pdf = letter_pdf(REMINDER, context, "ar")
    printed = " ".join(shown_lines(pdf))

    # Then each run reads back in Arabic order (shaped right to left), with the amount,
    # the term, its final date and the collection costs, and each kenmerk's groups in order
    for expected in (
        "نرجو منكم دفع",
        "1,434.56\u2066",  # drawn in its isolate: "€" before it (audit pdf6)
        "خلال أربعة عشر يومًا بعد اليوم الذي استلمتم فيه هذه الرسالة، أي في",
        "2027 يناير 22",  # drawn right to left: read from the right, "22 يناير 2027"
        "215.18\u2066",
        "تكاليف تحصيل خارج القضاء",
        "1000 0000 0000 01",
        "1000 0000 0000 02",
    ):
        assert expected in printed, expected


def test_r9_the_arabic_letters_text_parts_isolate_their_amounts_as_their_sentences_do():
    """R9, audit pdf7. Given two invoices of a patient who reads Arabic, reminded and then
    charged the costs, when the reminder and the second notice are e-mailed, then every
    amount of their text parts stands between U+2066 and U+2069, the lines "المجموع المطلوب
    دفعه: €1,434.56" and each invoice's too: before, only the sentences' amounts were, and
    a mail client showed the lines' amounts as "1,434.56€"."""
    reminder = render_email(
        REMINDER, reminder_of(reminded(123_456, 20_000, language=Language.AR)), "ar"
    )
    assert "\u2066€1,434.56\u2069" in reminder.text and bare_amounts(reminder.text) == []
    notice = render_email(
        SECOND_NOTICE, notice_of(charged(123_456, 20_000, language=Language.AR)), "ar"
    )
    assert bare_amounts(notice.text) == []


@pytest.mark.parametrize("part", PARTS)
def test_the_reminder_lists_each_invoice_and_the_total(part):
    """Given a reminder for two invoices, then each is listed by its kenmerk (in groups
    of four), its date and its principal, the Dutch way, with the total."""
    letter = rendered(REMINDER, reminder_of(reminded(123_456, 20_000)), "nl")[part]
    for expected in (
        "1000 0000 0000 01",
        "1000 0000 0000 02",
        "23 november 2026",
        "€ 1.234,56",
        "€ 200,00",
        "€ 1.434,56",
    ):
        assert expected in letter, expected


@pytest.mark.parametrize(
    "language, says",
    [
        ("nl", "wettelijke rente (art. 6:119 BW) in rekening, gerekend vanaf 24 december 2026"),
        (
            "en",
            "statutory interest (article 6:119 of the Dutch Civil Code), counted from 24 December 2026",
        ),
    ],
)
@pytest.mark.parametrize("part", PARTS)
def test_the_reminder_says_from_when_interest_will_be_counted(language, says, part):
    """The first day of default: the day after the final payment date (legal-nl.md §2)."""
    assert says in rendered(REMINDER, reminder_of(reminded(5_000)), language)[part]


def test_invoices_in_default_from_different_days_each_get_their_own_date():
    """Given two invoices reminded together, the second with its final payment date a week
    later, then the letter names the first day of default per invoice."""
    first, second = open_invoices(10_000, 20_000)
    second = replace(second, final_payment_date=date(2026, 12, 30))
    letter = rendered(
        REMINDER, reminder_of(send_reminder([first, second], POLICY, REMINDER_DAY)), "nl"
    )
    for part in PARTS:
        assert (
            "1000 0000 0000 01 vanaf 24 december 2026; 1000 0000 0000 02 vanaf 31 december 2026"
        ) in letter[part]


@pytest.mark.parametrize("part", PARTS)
def test_the_reminder_says_how_to_pay_and_how_to_ask_for_an_arrangement(part):
    letter = rendered(REMINDER, reminder_of(reminded(5_000)), "nl")[part]
    assert "NL91 ABNA 0417 1643 00" in letter
    assert "betalingskenmerk 1000 0000 0000 01" in letter
    assert PUBLIC in letter
    assert "tref uiterlijk op 22 januari 2027 een betalingsregeling" in letter


def test_the_e_mail_links_each_invoice_to_the_checker():
    email = render_email(REMINDER, reminder_of(reminded(10_000, 20_000)), "nl")
    for reference in (FIRST, SECOND):
        assert f'href="{PUBLIC}/?kenmerk={reference}"' in email.html
        assert f"{PUBLIC}/?kenmerk={reference}" in email.text


def test_a_paper_reminder_prints_the_final_date_from_its_presumed_receipt():
    """Given a patient without e-mail, when the reminder is posted on Friday 8 January
    2027, then the letter is dated that day and gives 26 January 2027 as final date
    (received Tuesday 12 January, the second delivery day, + 14; legal-nl.md §2)."""
    letter = rendered(REMINDER, reminder_of(reminded(5_000, email="")), "nl")["pdf"]
    assert "Datum 8 januari 2027" in letter
    assert "Betaal uiterlijk 26 januari 2027" in letter
    assert f"{TERM_PHRASE['nl']}, dat is uiterlijk op 26 januari 2027" in letter


def test_the_subject_names_the_kenmerk_or_the_number_of_invoices():
    one = render_email(REMINDER, reminder_of(reminded(5_000)), "nl")
    two = render_email(REMINDER, reminder_of(reminded(5_000, 6_000)), "en")
    assert one.subject == (
        "Herinnering: nota van Tandartspraktijk De Vries nog niet betaald - "
        "betalingskenmerk 1000 0000 0000 01"
    )
    assert two.subject == "Reminder: 2 invoices from Tandartspraktijk De Vries not yet paid"
    assert one.reference == FIRST  # the outbox and support find it by the lead's kenmerk


def test_the_reminder_states_what_the_run_recorded_even_after_a_payment():
    """Given a reminder recorded for € 100,00, when € 30,00 is paid before the letter is
    rendered, then it still states what was decided (and what the BIK was computed on);
    the letter says to ignore it when paid meanwhile."""
    (invoice,) = reminded(10_000)
    paid = apply_payment(invoice, IncomingPayment("bank", "e-1", 3_000, COSTS_AT))
    letter = rendered(REMINDER, reminder_of([paid]), "nl")["text"]
    assert "Wij vragen u € 100,00 te betalen" in letter and "€ 40,00" in letter
    assert "Heeft u inmiddels betaald?" in letter


# --- the second notice ---------------------------------------------------------------------


def test_the_second_notice_states_principal_costs_interest_and_total():
    """Given € 1.000,00 in default since 24 December 2026, BIK € 150,00 charged on
    23 January 2027, when the notice goes out that day, then the interest is 30 days at
    4% (€ 3,29, legal-nl.md §4) and the total € 1.153,29."""
    (invoice,) = charged(100_000)
    context = notice_of([invoice])
    assert [
        context[k] for k in ("principal_cents", "costs_cents", "interest_cents", "total_cents")
    ] == [100_000, 15_000, 329, 115_329]
    for part in PARTS:
        letter = rendered(SECOND_NOTICE, context, "nl")[part]
        for expected in ("€ 1.000,00", "€ 150,00", "€ 3,29", "€ 1.153,29"):
            assert expected in letter, (part, expected)


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "nl",
            (
                "uiterlijk op 5 februari 2027 hebben ontvangen",
                "op 6 februari 2027 over aan een incassobureau",
                "berekend tot en met 22 januari 2027",
            ),
        ),
        (
            "en",
            (
                "no later than 5 February 2027",
                "to a collection agency on 6 February 2027",
                "up to and including 22 January 2027",
            ),
        ),
    ],
)
@pytest.mark.parametrize("part", PARTS)
def test_the_second_notice_names_the_handover_date(language, expected, part):
    """Costs charged on 23 January 2027 + 14 days (the default days_to_handover): the
    claim goes to the agency on 6 February, so the payment must be in on the 5th."""
    letter = rendered(SECOND_NOTICE, notice_of(charged(100_000)), language)[part]
    for says in expected:
        assert says in letter, says


def test_interest_keeps_accruing_until_the_day_the_notice_goes_out():
    """Given the notice is only sent two days after the costs, then it asks the interest
    of 32 days (€ 3,51), which is what the payment checker shows that day (R20)."""
    (invoice,) = charged(100_000)
    day = COSTS_DAY + timedelta(days=2)
    context = notice_of([invoice], day)
    assert context["interest_cents"] == 351
    assert context["total_cents"] == invoice.balance_cents + accrued_interest(invoice, day)


def test_booked_but_unpaid_interest_is_part_of_the_interest_asked():
    """Given a payment of € 151,00 after the costs (it pays the € 150,00 costs, then
    interest booked up to that day), then the notice asks the rest of the booked interest
    plus what accrued since, and its total is still what the checker shows."""
    (invoice,) = charged(100_000)
    paid_at = datetime(2027, 1, 28, 12, 0, tzinfo=AMSTERDAM)
    interest_then = accrued_interest(invoice, paid_at.date())
    invoice = apply_payment(
        invoice, IncomingPayment("bank", "e-1", 15_100, paid_at), interest_cents=interest_then
    )
    day = date(2027, 2, 1)
    context = notice_of([invoice], day)
    assert context["costs_cents"] == 0
    assert context["interest_cents"] == interest_then - 100 + accrued_interest(invoice, day)
    assert context["total_cents"] == invoice.balance_cents + accrued_interest(invoice, day)


def test_the_second_notice_covers_only_what_is_charged_and_unpaid():
    """Given a reminder for two invoices, both charged, when the second is paid in full,
    then the notice is about the first only; when both are paid, about nothing."""
    first, second = charged(10_000, 20_000)
    paid = apply_payment(second, IncomingPayment("psp", "tr_1", 60_000, COSTS_AT))
    assert [i.invoice_id for i in letter_invoices(SECOND_NOTICE, first, [paid])] == ["inv-1"]
    settled = apply_payment(first, IncomingPayment("psp", "tr_2", 60_000, COSTS_AT))
    assert nothing_to_ask(letter_invoices(SECOND_NOTICE, settled, [paid]))


def test_the_reminder_covers_what_it_recorded_until_everything_is_paid():
    first, second = reminded(10_000, 20_000)
    paid = apply_payment(second, IncomingPayment("psp", "tr_1", 20_000, COSTS_AT))
    letter = letter_invoices(REMINDER, first, [paid])
    assert [i.invoice_id for i in letter] == ["inv-1", "inv-2"] and not nothing_to_ask(letter)


# --- both letters ----------------------------------------------------------------------------


def both_letters(language="nl", **person):
    return [
        (REMINDER, reminder_of(reminded(10_000, 20_000, **person)), language),
        (SECOND_NOTICE, notice_of(charged(10_000, 20_000, **person)), language),
    ]


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_every_language_gets_a_whole_letter_in_its_language(language):
    for kind, context, _ in both_letters():
        email = render_email(kind, context, language)
        assert email.language == language  # Polish and Arabic are complete (issue 17 item 7)
        assert email.text and email.html.startswith("<!DOCTYPE html>") and "\n" not in email.subject
        assert misdirected_lines(email.text) == []  # Arabic reads right to left (R9)


def test_no_bsn_no_treatment_no_patient_details_in_any_form_of_a_letter():
    """R29: the letters identify an invoice by kenmerk and date only."""
    for kind, context, language in both_letters():
        letter = rendered(kind, context, language)
        for part in letter.values():
            for secret in (BSN, "C11", "Periodieke controle", "1984", "Geboortedatum"):
                assert secret not in part, (kind, secret)


def test_the_paper_letters_fit_on_one_page_for_a_few_invoices():
    for kind, context, language in both_letters():
        assert page_count(letter_pdf(kind, context, language)) == 1, kind


def test_the_same_letter_gives_the_same_bytes():
    for kind, context, language in both_letters():
        twice = {letter_pdf(kind, context, language, compress=True) for _ in range(2)}
        assert len(twice) == 1


def test_a_hostile_provider_name_is_escaped_in_the_html():
    context = reminder_of(reminded(10_000)) | {"provider_name": '<img src=x onerror="alert(1)">'}
    email = render_email(REMINDER, context, "nl")
    assert "<img" not in email.html and "&lt;img" in email.html


@pytest.mark.parametrize(
    "section",
    ["email.dunning_reminder", "pdf.dunning_reminder", "email.second_notice", "pdf.second_notice"],
)
def test_english_has_every_text_dutch_has(section):
    assert CATALOGUE["en"][section].keys() == CATALOGUE["nl"][section].keys()


def test_the_letters_are_about_the_reminders_channel():
    """The e-mailed and the posted reminder are the same letter: the channel only
    changes the final date (legal-nl.md §2), not what the context offers."""
    by_mail = reminder_of(reminded(5_000))
    by_post = reminder_of(reminded(5_000, email=""))
    assert by_mail.keys() == by_post.keys()
    assert (by_mail["final_date"], by_post["final_date"]) == (date(2027, 1, 22), date(2027, 1, 26))
    assert reminded(5_000, email="")[0].reminder.channel is Channel.PAPER


def charged_after_an_early_payment():
    """€ 1.000,00 of which € 200,00 ("early") was paid before the reminder, and the
    collection costs charged on the € 800,00 still open."""
    (invoice,) = open_invoices(100_000)
    early = IncomingPayment("bank", "early", 20_000, COSTS_AT - timedelta(days=40))
    (invoice,) = charge_costs(
        send_reminder([apply_payment(invoice, early)], POLICY, REMINDER_DAY),
        POLICY,
        COSTS_DAY,
        COSTS_AT,
    )
    return invoice


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_costs_a_stop_forgave_are_not_called_paid_when_the_notice_is_rendered_again(language):
    """R21, R38, legal-nl.md §2-§3, §5 (known stop 41, Letters): Given an invoice of
    € 1.000,00 of which € 200,00 was paid before the reminder, € 120,00 collection costs
    charged on the € 800,00 still open, then a full stop by the practice that forgives
    everything open (the costs too) and the bank returning the € 200,00 (R12), so the
    invoice is open again for the principal alone, when its second notice is rendered
    again (a retry), then it does not say the € 120,00 costs were paid (nothing of them
    was: the ledger's allocation books no patient money on the costs) but that they were
    forgiven, in the e-mail's text and HTML and on paper; the total asks the € 200,00
    and the interest since."""
    invoice = charged_after_an_early_payment()
    stop = StopRequest(StopScope.FULL, "goodwill", invoice.addressee.email, accept_terms=True)
    invoice = apply_stop(invoice, stop, COSTS_AT + timedelta(hours=3), "provider:u-1")
    invoice = apply_reversal(invoice, "early", "return-1", 20_000, COSTS_AT + timedelta(hours=5))
    assert invoice.balance_cents == 20_000

    context = notice_of([invoice], COSTS_DAY + timedelta(days=1))

    assert (context["costs_charged_cents"], context["costs_cents"]) == (12_000, 0)
    assert (context["costs_paid_cents"], context["costs_forgiven_cents"]) == (0, 12_000)
    assert context["total_cents"] == 20_000 + context["interest_cents"]
    t = texts_for(language, ("common", "email.second_notice"))
    costs = t.euros(12_000)
    paid_note = " ".join(t("costs_paid_note", charged=costs, paid=costs).split())
    forgiven_note = " ".join(t("costs_forgiven_note", charged=costs, forgiven=costs).split())
    letter = rendered(SECOND_NOTICE, context, language)
    for part in ("text", "html") if language == "ar" else PARTS:  # Arabic PDF: visual order
        assert paid_note not in letter[part], (part, letter[part])
        assert forgiven_note in letter[part], (part, letter[part])


def test_costs_the_patient_paid_are_still_called_paid_after_a_stop_forgave_the_rest():
    """R21, R38, legal-nl.md §5: Given € 120,00 collection costs charged on € 800,00, € 50,00
    paid the next day (it pays the costs first), then a full stop forgiving the rest and a
    returned earlier payment of € 200,00 opening the invoice again, when the second notice
    is rendered again, then € 50,00 of the costs is paid and € 70,00 forgiven."""
    invoice = charged_after_an_early_payment()
    invoice = apply_payment(
        invoice, IncomingPayment("bank", "part", 5_000, COSTS_AT + timedelta(hours=1))
    )
    stop = StopRequest(StopScope.FULL, "goodwill", invoice.addressee.email, accept_terms=True)
    invoice = apply_stop(invoice, stop, COSTS_AT + timedelta(hours=3), "provider:u-1")
    invoice = apply_reversal(invoice, "early", "return-1", 20_000, COSTS_AT + timedelta(hours=5))

    context = notice_of([invoice], COSTS_DAY + timedelta(days=1))

    assert (context["costs_paid_cents"], context["costs_forgiven_cents"]) == (5_000, 7_000)
    text = rendered(SECOND_NOTICE, context, "nl")["text"]
    assert "Van de incassokosten (€ 120,00) is € 50,00 al betaald" in text, text
    assert "Van de incassokosten (€ 120,00) is € 70,00 kwijtgescholden" in text, text


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_interest_open_on_no_principal_is_not_said_to_run_on(language):
    """legal-nl.md §4, R20, R21 (known stop 41, Letters): Given € 1.000,00 with the costs
    charged and a partial stop by the practice that forgives the whole open principal
    (a stop lowers the principal only: the costs and the € 3,29 interest stay), when the
    second notice is rendered ten days later, then the interest is still € 3,29 (it runs
    on the principal only) and the letter says it is calculated and no further interest is
    added, in the e-mail's text and HTML and on paper, not that it keeps running until the
    payment is received."""
    (invoice,) = charged(100_000)
    forgive = balance(invoice.ledger, Component.PRINCIPAL)
    stop = StopRequest(
        StopScope.PARTIAL, "goodwill", invoice.addressee.email, True, amount_cents=forgive
    )
    invoice = apply_stop(invoice, stop, COSTS_AT + timedelta(hours=3), "provider:u-1")
    early, later = (notice_of([invoice], COSTS_DAY + timedelta(days=n)) for n in (1, 10))

    assert early["principal_cents"] == later["principal_cents"] == 0
    assert early["interest_cents"] == later["interest_cents"] == 329
    t = texts_for(language, ("common", "email.second_notice"))
    day = t.long_date(later["interest_through"])
    runs_on = " ".join(t("interest_note", date=day).split())
    stopped = " ".join(t("interest_note_stopped", date=day).split())
    letter = rendered(SECOND_NOTICE, later, language)
    for part in ("text", "html") if language == "ar" else PARTS:  # Arabic PDF: visual order
        assert runs_on not in letter[part], (part, letter[part])
        assert stopped in letter[part], (part, letter[part])


LONG_PRACTICE = "Mondzorgcentrum Nieuwerkerk aan den IJssel en Omstreken B.V."  # 60 characters


@pytest.mark.parametrize(("kind", "count"), [(SECOND_NOTICE, 6), (REMINDER, 9)])
def test_a_letter_on_two_pages_never_carries_its_closing_alone_to_the_second(kind, count):
    """R7, R19, R36 (audit letters8): Given a Polish letter from a practice whose name has 60
    characters to an addressee with a long name and street (a second notice about six
    invoices, a reminder about nine: since letters10 a notice and a reminder about four
    fit on one page, test_paper_letter_fit), so that it runs to a second page, when it is
    printed,
    then the second page holds the last paragraph with the closing and the signature, not
    the closing and signature alone under the line saying what the page belongs to."""
    provider = make_provider(name=LONG_PRACTICE)
    addressee = make_person(
        language=Language.PL,
        initials="K.M.",
        last_name="Brzęczyszczykiewicz-Łężyńska",
        address=replace(
            make_person().address,
            street="Burgemeester van Nispen tot Sevenaerstraat",
            house_number="1234",
            house_number_suffix="bis-A",
            city="Vriezenveen-Westerhaar",
        ),
    )
    invoices = [replace(invoice, patient=addressee) for invoice in reminded(*[1_234_567] * count)]
    if kind == SECOND_NOTICE:
        invoices = charge_costs(invoices, POLICY, COSTS_DAY, COSTS_AT)
        context = second_notice_context(invoices, provider, COSTS_DAY, **HOW_TO_PAY)
    else:
        context = reminder_context(invoices, provider, **HOW_TO_PAY)

    pdf = render_dunning_letter_pdf(kind, context, "pl", provider=provider, addressee=addressee)

    t = texts_for("pl", ("common", f"email.{kind}", f"pdf.{kind}"))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2, pages
    last = " ".join(pages[1].split())
    assert t("closing") in last and t("closing") not in pages[0]
    questions = " ".join(t("questions", provider=LONG_PRACTICE).split())[:30]
    assert questions in last, last


def test_costs_paid_in_full_stay_paid_when_a_stop_forgave_only_the_later_fee():
    """legal-nl.md §5, R15, R21, R38 (audit letters9, item 4): Given € 120,00 collection costs
    charged, € 120,00 paid (the costs first), then an arrangement whose € 10,00 fee is charged
    after the costs, a full stop that forgives the fee (all that is open of the costs) and
    the bank returning an earlier € 200,00, when the second notice is rendered again, then
    all € 120,00 of the costs is called paid and nothing of them forgiven."""
    from billing_core.changes.arrangement import create_arrangement

    invoice = charged_after_an_early_payment()
    invoice = apply_payment(
        invoice, IncomingPayment("bank", "part", 12_000, COSTS_AT + timedelta(hours=1))
    )
    invoice = create_arrangement(invoice, make_provider(), 3, COSTS_AT + timedelta(hours=2))
    stop = StopRequest(StopScope.FULL, "goodwill", invoice.addressee.email, accept_terms=True)
    invoice = apply_stop(invoice, stop, COSTS_AT + timedelta(hours=3), "provider:u-1")
    invoice = apply_reversal(invoice, "early", "return-1", 20_000, COSTS_AT + timedelta(hours=5))

    context = notice_of([invoice], COSTS_DAY + timedelta(days=1))

    assert (context["costs_charged_cents"], context["fee_cents"]) == (12_000, 0)
    assert (context["costs_paid_cents"], context["costs_forgiven_cents"]) == (12_000, 0)


# --- a long letter's page breaks (audit dunningpdf54) -----------------------------------------

LONG_LAST_NAME = (  # with initials "W.J.C.M." and "van den": the greeting takes two lines
    "Bogaard-Oudshoorn van Oldenbarnevelt tot Zevenhuizen-Moerkapelle en Nieuwerkerk aan den IJssel"
)


def letter_about(kind, count, language, *, last_name="Vanderberg"):
    """A paper letter about ``count`` invoices of one patient (posted: no e-mail address),
    each with its own kenmerk; its context beside it."""
    patient = make_person(
        language=Language(language), email=None, initials="W.J.C.M.", last_name=last_name
    )
    invoices = send_reminder(
        [
            make_invoice(
                invoice_id=f"inv-{n}",
                reference=for_sequence(n, REFERENCE_KEY),
                patient=patient,
                status=InvoiceStatus.SENT,
                lines=(make_line(claim_ref=f"L-{n}", unit_price_cents=12_345 + 1_111 * n),),
            )
            for n in range(1, count + 1)
        ],
        POLICY,
        REMINDER_DAY,
    )
    if kind == REMINDER:
        context = reminder_of(invoices)
    else:
        day = invoices[0].reminder.final_date + timedelta(days=1)
        at = datetime.combine(day, datetime.min.time(), AMSTERDAM)
        context = notice_of(charge_costs(invoices, POLICY, day, at), day)
    return letter_pdf(kind, context, language), context


@pytest.mark.parametrize(
    ("kind", "count", "language"),
    [
        (REMINDER, 28, "nl"),
        (REMINDER, 28, "en"),
        (REMINDER, 28, "pl"),
        (SECOND_NOTICE, 25, "nl"),
        (SECOND_NOTICE, 26, "en"),
        (SECOND_NOTICE, 26, "pl"),
    ],
)
def test_r19_the_letters_total_never_goes_to_a_page_without_an_invoice_of_its_own(
    kind, count, language
):
    """R7, R19, legal-nl.md §2 (audit dunningpdf54): Given a letter about so many invoices
    (a reminder about 28, a second notice about 25 or 26) that the last invoice's row ends at
    the foot of page 1, when it is printed, then the page with the bold total holds, under
    the table's headings and above the total, the last invoice's row: the total went to
    page 2 alone, under the repeated headings and no invoice; and every invoice is listed
    once."""
    # Given a letter about 28 (25, 26) invoices
    # When it is printed
    pdf, context = letter_about(kind, count, language)
    # Then the page of the table's total has its last invoice above it, under the headings
    t = texts_for(language, ("common", f"email.{kind}", f"pdf.{kind}"))
    pages = lines_by_page(pdf)
    kenmerken = [kenmerk(row["reference"]).replace("\u00a0", " ") for row in context["invoices"]]
    total = f"{t('total_due')} "  # the facts beside the window say it too: the table's is last
    page = [page for page in pages if any(line.startswith(total) for line in page)][-1]
    total_at = max(n for n, line in enumerate(page) if line.startswith(total))
    last_row = next(n for n, line in enumerate(page) if line.startswith(kenmerken[-1]))
    headings = next(n for n, line in enumerate(page) if line.startswith(t("col_reference")))
    assert headings < last_row < total_at, page
    # and every invoice is listed once
    listed = [k for k in kenmerken for page in pages for line in page if line.startswith(k)]
    assert listed == kenmerken


@pytest.mark.parametrize(
    ("kind", "count", "language", "last_name"),
    [
        (REMINDER, 25, "nl", LONG_LAST_NAME),
        (REMINDER, 25, "en", LONG_LAST_NAME),
        (SECOND_NOTICE, 21, "nl", "Vanderberg"),
        (SECOND_NOTICE, 22, "en", "Vanderberg"),
    ],
)
def test_r19_the_letters_request_with_its_term_and_date_stands_whole_on_one_page(
    kind, count, language, last_name
):
    """Art. 6:96 lid 6 BW, legal-nl.md §2, R19 (audit dunningpdf54): Given a letter whose
    table of invoices ends near the foot of page 1 (a reminder about 25 invoices to a
    patient whose greeting takes two lines, a second notice about 21 or 22), when it is
    printed, then its bold request (the amount, the term of fourteen days and the final
    date) stands whole on one page: it broke after its first line, its date on page 2."""
    # Given a letter whose request falls at the foot of page 1
    # When it is printed
    pdf, context = letter_about(kind, count, language, last_name=last_name)
    # Then one page holds the whole request
    t = texts_for(language, ("common", f"email.{kind}", f"pdf.{kind}"))
    amount = t.euros(context["total_cents"])
    if kind == REMINDER:
        term = context["term_phrases"][language]
        date_ = t.long_date(context["final_date"])
        request = t("request", amount=amount, term=term, date=date_)
    else:
        request = t("request", amount=amount, date=t.long_date(context["pay_by"]))
    pages = [_collapsed(" ".join(page)) for page in lines_by_page(pdf)]
    assert len(pages) > 1
    assert sum(_collapsed(request.replace("\u00a0", " ")) in page for page in pages) == 1, pages
