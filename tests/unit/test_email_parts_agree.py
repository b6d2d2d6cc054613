"""Every e-mail's two parts state the same facts (R30, R7, R9, R29): table-driven over every
kind of e-mail, the states that change what it says (open, date passed, under an
arrangement, with the collection agency, "don't pay yet") and the four patient languages,
with a practice name that is HTML.

A mail client shows one part: the HTML one mostly, the text one in a plain reader or a
screen reader. A kenmerk, amount, date or link only one part states is missing for the
other reader (audit emails53: 224 of 688 renders had the kenmerk or the passed date in the
text part only).
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date, datetime

import pytest
from markupsafe import escape

from billing_core.changes.arrangement import create_arrangement
from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.changes.deferral import grant_deferral
from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.correspondence.confirmations import confirmation_context
from billing_core.correspondence.kinds import (
    ARRANGEMENT_CONFIRMATION,
    COULANCE_DECLINED,
    DEFERRAL_CONFIRMATION,
    INVOICE_CORRECTED,
    OBJECTION_ACKNOWLEDGEMENT,
    PAYMENT_RECEIVED,
    STOP_CONFIRMATION,
)
from billing_core.correspondence.links import pay_url
from billing_core.correspondence.render import TEMPLATES, render_email, render_invoice_email
from billing_core.declarations.claims import Language
from billing_core.dunning.letters import (
    REMINDER,
    SECOND_NOTICE,
    reminder_context,
    second_notice_context,
)
from billing_core.dunning.policy import DunningPolicy
from billing_core.dunning.steps import charge_costs, send_reminder
from billing_core.invoices.invoice import DunningStage, InvoiceStatus
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.shared.clock import AMSTERDAM
from billing_core.texts.catalogue import LANGUAGES, MONTHS
from billing_core.texts.letters import texts_for
from tests.unit.factories import PUBLIC, make_invoice, make_line, make_person, make_provider
from tests.unit.test_invoice_pdf import ACCOUNT

HOSTILE = '<script>alert("p")</script> Ügür & Łódź'
NOW = datetime(2026, 11, 25, 19, 0, tzinfo=AMSTERDAM)
AFTER_THE_DATE = date(2026, 12, 28)  # the invoices' final payment date is 23 December 2026
HANDED_OVER_ON = date(2027, 1, 29)
PRACTICE = make_provider().model_copy(update={"name": HOSTILE})
WAITS = PRACTICE.model_copy(update={"coulance": CoulancePolicy(wait_for_statement=True)})
POLICY = DunningPolicy()


def _invoice(language):
    """€ 12.345,67 owed by a patient with diacritics in the name, in ``language``."""
    patient = make_person(
        language=Language(language), initials="Ü.", name_prefix="", last_name="Ağaoğlu-Łuk"
    )
    return make_invoice(
        patient=patient,
        status=InvoiceStatus.SENT,
        lines=(make_line(unit_price_cents=1_234_567),),
    )


def _paid(invoice, cents):
    return apply_payment(invoice, IncomingPayment("psp", "tr_1", cents, NOW))


def _stopped(invoice):
    request = StopRequest(StopScope.PARTIAL, "goodwill", "", True, amount_cents=500)
    return apply_stop(invoice, request, NOW, "provider:u:s-1")


def _retour(invoice):
    entry = LedgerEntry(EntryKind.REIMBURSEMENT, Component.PRINCIPAL, -500, NOW, "retour:r.xml")
    return invoice.with_entry(entry)


def _handed(invoice):
    return replace(
        invoice, dunning_stage=DunningStage.WITH_COLLECTION_AGENCY, handed_over_on=HANDED_OVER_ON
    )


def _arranged(invoice):
    return create_arrangement(invoice, PRACTICE, 3, NOW)


# state -> (kind, what happened to the invoice, the practice, the event, the day)
CONFIRMATIONS = {
    "deferral": (DEFERRAL_CONFIRMATION, lambda i: grant_deferral(i, PRACTICE, NOW), PRACTICE, ""),
    "deferral, don't pay yet": (DEFERRAL_CONFIRMATION, lambda i: i, WAITS, ""),
    "arrangement": (ARRANGEMENT_CONFIRMATION, _arranged, PRACTICE, ""),
    "objection": (OBJECTION_ACKNOWLEDGEMENT, lambda i: i, PRACTICE, "action-1"),
    "objection, under an arrangement": (OBJECTION_ACKNOWLEDGEMENT, _arranged, PRACTICE, "a-1"),
    "payment in part": (PAYMENT_RECEIVED, lambda i: _paid(i, 1000), PRACTICE, "psp:tr_1"),
    "payment in part, date passed": (
        PAYMENT_RECEIVED,
        lambda i: _paid(i, 1000),
        PRACTICE,
        "psp:tr_1",
        AFTER_THE_DATE,
    ),
    "payment of a term": (
        PAYMENT_RECEIVED,
        lambda i: _paid(_arranged(i), 1000),
        PRACTICE,
        "psp:tr_1",
    ),
    "payment, with the agency": (
        PAYMENT_RECEIVED,
        lambda i: _paid(_handed(i), 1000),
        PRACTICE,
        "psp:tr_1",
        HANDED_OVER_ON,
    ),
    "payment, don't pay yet": (PAYMENT_RECEIVED, lambda i: _paid(i, 1000), WAITS, "psp:tr_1"),
    "payment in full": (PAYMENT_RECEIVED, lambda i: _paid(i, 1_234_567), PRACTICE, "psp:tr_1"),
    "stop": (STOP_CONFIRMATION, _stopped, PRACTICE, "provider:u:s-1"),
    "stop, under an arrangement": (
        STOP_CONFIRMATION,
        lambda i: _stopped(_arranged(i)),
        PRACTICE,
        "s",
    ),
    "stop, with the agency": (
        STOP_CONFIRMATION,
        lambda i: _stopped(_handed(i)),
        PRACTICE,
        "provider:u:s-1",
        HANDED_OVER_ON,
    ),
    "stop, don't pay yet": (STOP_CONFIRMATION, _stopped, WAITS, "provider:u:s-1"),
    "retour": (INVOICE_CORRECTED, _retour, PRACTICE, "retour:r.xml"),
    "retour, with the agency": (
        INVOICE_CORRECTED,
        lambda i: _retour(_handed(i)),
        PRACTICE,
        "retour:r.xml",
        HANDED_OVER_ON,
    ),
    "retour, don't pay yet": (INVOICE_CORRECTED, _retour, WAITS, "retour:r.xml"),
    "coulance declined": (COULANCE_DECLINED, lambda i: i, PRACTICE, "coulance-a1"),
    "coulance declined, with the agency": (
        COULANCE_DECLINED,
        _handed,
        PRACTICE,
        "coulance-a1",
        HANDED_OVER_ON,
    ),
    "coulance declined, don't pay yet": (COULANCE_DECLINED, lambda i: i, WAITS, "coulance-a1"),
}


def _confirmation(state, language):
    kind, happened, practice, event_id, *day = CONFIRMATIONS[state]
    invoice = happened(_invoice(language))
    context = confirmation_context(
        kind,
        invoice,
        practice,
        event_id=event_id,
        today=day[0] if day else NOW.date(),
        pay_url=pay_url(PUBLIC, invoice),
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    return render_email(kind, context, language)


def _invoice_email(practice, language):
    invoice = _invoice(language)
    return render_invoice_email(
        invoice, practice, pay_url=pay_url(PUBLIC, invoice), public_base_url=PUBLIC
    )


def _letter(kind, count, language):
    """The reminder or the second notice, for ``count`` invoices of one patient."""
    return render_email(kind, letter_context(kind, count, language), language)


def letter_context(kind, count, language):
    """The context of the reminder or the second notice for ``count`` invoices."""
    first = _invoice(language)
    invoices = [first, replace(first, invoice_id="inv-2", reference="10000000000002")][:count]
    reminded = send_reminder(invoices, POLICY, date(2027, 1, 8))
    how = {"pay_url": lambda i: pay_url(PUBLIC, i), "checker_url": PUBLIC, "account": ACCOUNT}
    if kind == REMINDER:
        return reminder_context(reminded, PRACTICE, **how)
    day = date(2027, 1, 23)
    charged = charge_costs(reminded, POLICY, day, datetime(2027, 1, 23, 6, tzinfo=AMSTERDAM))
    return second_notice_context(charged, PRACTICE, day, **how)


# Every kind of e-mail in each state that changes what it says. (The second notice of
# several invoices adds a block of sums per kind of amount to its HTML: of one invoice here.)
RENDERS = {
    "invoice": lambda language: _invoice_email(PRACTICE, language),
    "invoice, don't pay yet": lambda language: _invoice_email(WAITS, language),
    "reminder of two invoices": lambda language: _letter(REMINDER, 2, language),
    "second notice": lambda language: _letter(SECOND_NOTICE, 1, language),
    **{
        state: (lambda language, state=state: _confirmation(state, language))
        for state in CONFIRMATIONS
    },
}


def stated(part: str, language: str) -> dict[str, set[str]]:
    """The facts a reader can quote from one part: kenmerken, amounts, dates, links."""
    part = re.sub("[\u2066-\u2069]", "", part)  # the isolates around amounts and names
    links = set(re.findall(r"https?://[^\s<>\"']+", part))
    outside_links = re.sub(r"https?://[^\s<>\"']+", " ", part)
    return {
        "kenmerk": set(
            re.findall(r"\b\d{4}[\u00a0 ]\d{4}[\u00a0 ]\d{4}[\u00a0 ]\d\d\b", outside_links)
        ),
        "amount": set(re.findall(r"€\u00a0?[\d.,]*\d|\d[\d\u00a0]*,\d\d\u00a0€", outside_links)),
        "date": set(re.findall(rf"\b\d{{1,2}} (?:{'|'.join(MONTHS[language])}) \d{{4}}", part)),
        "link": {link.rstrip(".,)") for link in links},
    }


def as_read(html_part: str) -> str:
    """The HTML part as its reader sees it, links' targets included."""
    body = re.sub(r"<title>.*?</title>", "", html_part, flags=re.S)
    targets = " ".join(re.findall(r'href="([^"]+)"', body))
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + targets)


def test_the_table_has_every_kind_of_email():
    # Given the e-mail templates: one text template per kind, the partials named "_..."
    kinds = {p.name.removesuffix(".txt.j2") for p in (TEMPLATES / "email").glob("*.txt.j2")}
    kinds -= {"base"} | {kind for kind in kinds if kind.startswith("_")}
    # When every render of the table is made in Dutch
    made = {render("nl").kind for render in RENDERS.values()}
    # Then every kind is in it: a new kind is checked here too (R30)
    assert made == kinds


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", sorted(RENDERS))
def test_the_html_part_states_what_the_text_part_states(state, language):
    """R30, R7, R9 (audit emails53: with the agency, while "don't pay yet" holds and under an
    arrangement after a payment, the kenmerk stood in the text part only; after a payment
    whose date had passed, the date stood in the HTML part only).
    Given an e-mail of each kind and state, in each language, of a practice whose name is HTML
    When it is rendered
    Then its HTML part and its text part state the same kenmerken, amounts, dates and
    links; it is in the reader's language and direction, the name shown as text."""
    email = RENDERS[state](language)

    assert email.language == language
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in email.html
    assert "<script" not in email.html and escape(HOSTILE) in email.html
    in_text, in_html = stated(email.text, language), stated(as_read(email.html), language)
    # Its body, not the subject only: a reader of the body quotes it (words54: the payment
    # in full named it in the subject alone, 4 of 4 languages).
    assert in_text["kenmerk"], "every e-mail's body names its invoice by kenmerk (R7)"
    assert in_html == in_text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", sorted(RENDERS))
def test_every_email_asks_questions_about_the_treatment_once(state, language):
    """R30, R36 (letters57: the invoice, the reminder and the second notice said "Vragen
    over de behandeling? Neem contact op met ..." twice, in the body and again heading the
    practice's contact block).
    Given an e-mail of each kind and state, in each language
    When it is rendered
    Then each part says the practice's invitation to ask at most once; on paper, where the
    letterhead holds the contact block, the body's sentence stays."""
    email = RENDERS[state](language)
    texts = texts_for(language, ("common", "email"))
    asked = without_isolates(texts("questions", provider=HOSTILE)).removesuffix(".")

    for part in (email.text, as_read(email.html)):
        assert without_isolates(part).count(asked) <= 1, part


def without_isolates(text: str) -> str:
    """``text`` on one line without the isolates around names and amounts."""
    return " ".join(re.sub("[\u2066-\u2069]", "", text).split())


@pytest.mark.parametrize("kind", [REMINDER, SECOND_NOTICE])
def test_a_letter_on_paper_keeps_the_invitation_to_ask(kind):
    """R30, R7: Given a reminder or second notice printed as a letter (no contact block in
    its text: the letterhead has it) When rendered on paper Then its body still asks."""
    letter = render_email(kind, letter_context(kind, 1, "nl"), "nl", on_paper=True)
    asked = texts_for("nl", ("common", "email"))("questions", provider=HOSTILE)

    assert without_isolates(letter.text).count(without_isolates(asked)) == 1


def test_every_text_part_closes_after_a_blank_line():
    """R30, R14 (audit59a: the deferral's confirmation ran its last sentence into "Met
    vriendelijke groet,", 4 of 4 languages; every other e-mail leaves a line open).
    Given every e-mail of the table that closes with a greeting, in each language
    When it is rendered
    Then its text part has an empty line before the closing greeting, as a letter has."""
    run_on = []
    for state in sorted(RENDERS):
        for language in LANGUAGES:
            email = RENDERS[state](language)
            texts = texts_for(language, ("common", "email", f"email.{email.kind}"))
            if "closing" not in texts.entries:
                continue  # the invoice and the letters close otherwise
            lines = email.text.split("\n")
            at = lines.index(texts("closing"))
            if lines[at - 1] != "":
                run_on.append((state, language))
    assert run_on == []
