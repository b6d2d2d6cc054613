"""Every link to the payment checker in what a patient reads carries the letter's language
(R36, R30, R9): the e-mails' sentences and buttons, and the addresses printed on the
invoice, its copy and the dunning letters. The checker opens in Dutch without ``?lang=``,
so a Polish or Arabic reader whose phone is Dutch landed on the Dutch page (audit
letters53: 84 of 300 checker links in e-mails and PDFs were the bare address). A link
carries nothing but the kenmerk and the language (R29: no personal data in a URL).
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from billing_core.correspondence.delivery import deliver_dunning_letter
from billing_core.correspondence.links import checker_address
from billing_core.correspondence.pdf import render_dunning_letter_pdf, render_invoice_pdf
from billing_core.declarations.claims import Language
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.dunning.steps import send_reminder
from billing_core.texts.catalogue import LANGUAGES
from tests.unit.factories import PUBLIC, make_person
from tests.unit.test_dunning_delivery import POLICY, post_with, reminder_request
from tests.unit.test_dunning_letters import REMINDER_DAY, open_invoices
from tests.unit.test_email_parts_agree import (
    PRACTICE,
    RENDERS,
    WAITS,
    _invoice,
    letter_context,
)
from tests.unit.test_invoice_copy import copy_of, coulance_applied, delivered
from tests.unit.test_invoice_pdf import ACCOUNT, shown

LINK = re.compile(r"https?://[^\s<>\"']+")
MAY_CARRY = {"kenmerk", "lang", "terug"}  # R29: the kenmerk, the language, back from the bank


def checker_links(text: str) -> list[str]:
    """The links to the checker (the site's root) a reader can follow or type."""
    links = (link.rstrip(".,):;") for link in LINK.findall(html.unescape(text)))
    return [link for link in links if link.startswith(PUBLIC) and urlsplit(link).path in ("", "/")]


def _dunning_letter(kind: str, count: int, language: str) -> bytes:
    context = letter_context(kind, count, language)
    return render_dunning_letter_pdf(
        kind, context, language, provider=PRACTICE, addressee=make_person(), compress=False
    )


def _invoice_pdf(practice, language: str) -> bytes:
    invoice = _invoice(language)
    return render_invoice_pdf(
        invoice, practice, public_base_url=PUBLIC, account=ACCOUNT, compress=False
    )


def _copy(language: str) -> bytes:
    """The copy after the insurer's statement: its notice points to the checker."""
    sent, _ = delivered(patient=make_person(language=Language(language)))
    return copy_of(coulance_applied(sent))


# Every kind of letter on paper (or attached as PDF) whose text names the checker.
LETTERS = {
    "invoice": lambda language: _invoice_pdf(PRACTICE, language),
    "invoice, don't pay yet": lambda language: _invoice_pdf(WAITS, language),
    "copy of the invoice, changed since": _copy,
    "reminder": lambda language: _dunning_letter(REMINDER, 1, language),
    "reminder of two invoices": lambda language: _dunning_letter(REMINDER, 2, language),
    "second notice": lambda language: _dunning_letter(SECOND_NOTICE, 1, language),
}


# The e-mails with a sentence that sends the reader to the checker to type the kenmerk
# there: "more time?", "don't pay yet", "cannot pay all at once?".
SENDS_TO_TYPE_THE_KENMERK = {
    "invoice",
    "invoice, don't pay yet",
    "reminder of two invoices",
    "second notice",
}


def assert_in_its_language(links: list[str], language: str) -> None:
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query.get("lang") == [language], link
        assert set(query) <= MAY_CARRY, link


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", sorted(RENDERS))
def test_r36_every_checker_link_in_an_email_carries_its_language(state, language):
    """R36, R30, R9 (audit letters53: the invoice's "more time" and "don't pay yet" and
    the dunning letters' arrangement sentence gave the bare address).
    Given an e-mail of each kind and state, in each patient language
    When it is rendered
    Then every link to the checker, in its text part and in its HTML part, carries the
    e-mail's language and nothing but the kenmerk besides; a sentence that asks to type
    the kenmerk in the checker gives the checker's address in that language."""
    email = RENDERS[state](language)

    links = checker_links(email.text) + checker_links(email.html)

    assert_in_its_language(links, language)
    if state in SENDS_TO_TYPE_THE_KENMERK:  # in both parts, as every other link
        assert links.count(checker_address(PUBLIC, language)) == 2


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("letter", sorted(LETTERS))
def test_r36_every_checker_address_printed_on_a_letter_carries_its_language(letter, language):
    """R36, R9 (audit letters53: the invoice's "pay online" and "more time", its copy's
    notice and the dunning letters' "pay online" and arrangement printed the bare address).
    Given a letter of each kind, in each patient language
    When it is rendered as PDF
    Then every checker address it prints carries the letter's language, and stays the
    short address without the kenmerk, on one line, that the sentence asks to type the
    kenmerk into."""
    printed = shown(LETTERS[letter](language))

    links = checker_links(printed)

    assert links, "every letter prints where the checker is"
    assert set(links) == {checker_address(PUBLIC, language)}


def test_r9_a_letter_of_invoices_in_two_languages_links_each_in_the_letter_s_language():
    """R9, R36 (audit i18n55: the second invoice's links carried lang=pl, so the Arabic
    reader of the letter landed on the Polish checker).
    Given a reminder of two invoices of one patient whose practice changed the patient's
    language between them: the lead Arabic, the other Polish
    When the queue delivers it
    Then the letter is Arabic and every checker link in the e-mail, the second invoice's
    own link too, opens the checker in Arabic."""
    lead, other = open_invoices(10_000, 20_000, language=Language.AR)
    other = replace(other, patient=replace(other.patient, language=Language.PL))
    invoices = send_reminder([lead, other], POLICY, REMINDER_DAY)
    post = post_with(invoices)

    deliver_dunning_letter(reminder_request(invoices), post.context)

    ((_, email, _),) = post.outbox.sent
    links = checker_links(email.text) + checker_links(email.html)
    assert email.language == "ar"
    assert any(f"kenmerk={other.reference}" in link for link in links)
    assert_in_its_language(links, "ar")
