"""The checker's sentences that name what the patient can do say only what the page then
offers (R36, R14, R15, R37, legal-nl.md §7; texts58): the hint before the birth date names
an arrangement only where the checker would grant one (``arrangement_refusal``: an invoice
of € 10,25 is too small for two terms), a deferral only where one can still be asked, and
no payment while the patient is told not to pay yet; "don't pay yet" sends to the
deferral only where it can be asked, and to the statement's amounts "below" only where
their form is. One choice (``checker_page.offered``) draws the forms and picks the words.

Rendered without AWS (the page's template, the status use case on a fake store)."""

from __future__ import annotations

from html import unescape

import pytest

from billing_core.changes.deferral import grant_deferral
from billing_core.declarations.claims import Language
from billing_core.entrypoints.web.checker_page import PageState, render_checker
from billing_core.invoices.invoice import Channel
from billing_core.providers.provider import Provider
from billing_core.services.patient import InvoiceLinesView, payment_status
from billing_core.texts.catalogue import UNSAID, by_channel
from billing_core.texts.patient import page_texts
from tests.unit.factories import make_invoice, make_line, make_person, make_provider
from tests.unit.test_follow_up_channel import (
    AMOUNTS_BELOW,
    LANGUAGES,
    NOW,
    WAITS,
    an_invoice,
    checker_page,
    element,
    patient_context,
)

# A practice with a contract with the patient's insurer (UZOVI 3311, every line's): it
# takes no insurer's statement (R17). Without the contract (``make_provider()``, which does
# not wait for the statement) the same invoice is payable and takes the statement too.
CONTRACTED = make_provider(contracted_insurers={2026: {"3311"}})
NOT_CONTRACTED = make_provider()
# How each language names the statement's amounts in the hint
STATEMENT = {
    "nl": "de bedragen van het overzicht van uw zorgverzekeraar",
    "en": "the amounts of your insurer's statement",
    "pl": "kwoty z rozliczenia ubezpieczyciela",
    "ar": "المبالغ الواردة في كشف شركة التأمين",
}
# How each language names an arrangement and a deferral in the hint and in "don't pay yet"
ARRANGEMENT = {"nl": "regeling", "en": "arrangement", "pl": "plan ratalny", "ar": "خطة تقسيط"}
DEFERRAL = {"nl": "uitstel", "en": "deferral", "pl": "odrocz", "ar": "تأجيل"}


def dont_pay_yet(page: str) -> str:
    """The words of the "don't pay yet" notice, after its heading."""
    return element(page, "dont-pay-yet").partition("<br>")[2]


def words(language: str, key: str, **values: str) -> str:
    return " ".join(page_texts(language)(key, **values).split())


def an_invoice_of(cents: int, language: str):
    return make_invoice(
        lines=(make_line(unit_price_cents=cents),),
        patient=make_person(language=Language(language)),
    )


def deferred(invoice, provider: Provider):
    return grant_deferral(invoice, provider, NOW)


@pytest.mark.parametrize("language", LANGUAGES)
def test_r15_the_hint_before_the_birth_date_names_an_arrangement_only_where_one_is_granted(
    language,
):
    """R36, R15 (docs/payment-checker.png). Given an invoice of € 10,25, too small for two
    terms of € 25,00 (the checker refuses it as amount_too_small), and one of € 300,00
    When the patient opens the checker, before the birth date
    Then the hint of € 10,25 names paying and a deferral, not an arrangement (before: 4 of 4
    languages named one; after: 0), and after the birth date no arrangement's form is
    there; the hint of € 300,00 still names both, as its page offers both."""
    small = an_invoice_of(1025, language)
    large = an_invoice_of(30000, language)

    before = checker_page(small, language, CONTRACTED, unlocked=False)
    after = checker_page(small, language, CONTRACTED)
    usual = checker_page(large, language, CONTRACTED, unlocked=False)

    assert element(before, "unlock-text") == words(language, "unlock_text_no_arrangement")
    assert ARRANGEMENT[language] not in element(before, "unlock-text")
    assert DEFERRAL[language] in element(before, "unlock-text")
    assert 'id="terms"' not in after and 'id="defer-heading"' in after
    assert element(usual, "unlock-text") == words(language, "unlock_text")
    assert ARRANGEMENT[language] in element(usual, "unlock-text")


@pytest.mark.parametrize("language", LANGUAGES)
def test_r14_the_hint_after_a_deferral_names_no_second_one(language):
    """R36, R14. Given an invoice of € 300,00 deferred once (free, once per invoice), and
    one of € 10,25 deferred once
    When the patient opens the checker, before the birth date
    Then the hint of € 300,00 names paying and an arrangement, no deferral; that of
    € 10,25 paying alone, under a heading that asks nothing ("See the invoice or pay")."""
    large = deferred(an_invoice_of(30000, language), CONTRACTED)
    small = deferred(an_invoice_of(1025, language), CONTRACTED)

    large_page = checker_page(large, language, CONTRACTED, unlocked=False)
    small_page = checker_page(small, language, CONTRACTED, unlocked=False)

    assert element(large_page, "unlock-text") == words(language, "unlock_text_no_deferral")
    assert element(small_page, "unlock-text") == words(language, "unlock_text_no_request")
    assert words(language, "unlock_heading_pay") in small_page
    for page in (large_page, small_page):
        assert DEFERRAL[language] not in element(page, "unlock-text")


@pytest.mark.parametrize("language", LANGUAGES)
def test_section_7_the_hint_asks_no_payment_while_the_page_says_dont_pay_yet(language):
    """legal-nl.md §7, R37, R36. Given a non-contracted invoice waiting for the insurer's
    statement (no pay button, no arrangement after the birth date)
    When the patient opens the checker, before the birth date
    Then the hint names the statement's amounts, a deferral and an objection, under a
    heading that says "send your insurer's statement", not "pay" (before: "See the
    invoice, pay or ask for something ... pay, ask for a deferral or an arrangement")."""
    invoice, _, _ = an_invoice("e-mail", language)

    page = checker_page(invoice, language, unlocked=False)

    assert element(page, "unlock-text") == words(language, "unlock_text_statement")
    assert ARRANGEMENT[language] not in element(page, "unlock-text")
    assert words(language, "unlock_heading_statement") in page
    assert words(language, "unlock_heading") not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_section_7_dont_pay_yet_offers_no_deferral_already_given(language):
    """legal-nl.md §7, seed 004, R14. Given a non-contracted invoice waiting for the
    insurer's statement, deferred once already
    When the patient opens the checker, before the birth date and after
    Then "don't pay yet" no longer says to ask here for the free deferral (there is no
    form for one: before 2 of 2 texts in 4 of 4 languages said it; after 0) but, for a
    slow insurer, to contact the practice; the statement's amounts are still below."""
    invoice, _, _ = an_invoice("e-mail", language)
    invoice = deferred(invoice, WAITS)

    before = checker_page(invoice, language, unlocked=False)
    after = checker_page(invoice, language)

    assert 'id="defer-heading"' not in after and 'id="reimbursed"' in after
    # "in writing" before the birth date, "by e-mail" after (R7, R10: test_follow_up_channel)
    assert dont_pay_yet(before) == words(
        language, "dont_pay_yet_locked_no_deferral", **by_channel(UNSAID)
    )
    assert dont_pay_yet(after) == words(
        language, "dont_pay_yet_no_deferral", **by_channel(Channel.EMAIL)
    )
    for page in (before, after):
        assert DEFERRAL[language] not in dont_pay_yet(page)
    assert element(before, "unlock-text") == words(language, "unlock_text_statement_no_deferral")


@pytest.mark.parametrize("language", LANGUAGES)
def test_section_7_dont_pay_yet_is_not_said_while_a_payment_is_being_booked(language):
    """legal-nl.md §7, R11, R36. Given a non-contracted invoice waiting for the insurer's
    statement, and the patient back from the bank with a payment being booked (no form
    invites a second payment, so the statement's form is not shown either)
    When the page is shown, before and after the birth date
    Then no "don't pay yet" notice: it sent the patient to amounts below, which are not
    there (texts58: 4 of 4 languages), then to "reload and enter the amounts", a form a
    payment in full never brings back (review58: 4 of 4); the booking's notice says what
    comes."""
    invoice, _, _ = an_invoice("e-mail", language)
    view = payment_status(invoice.reference, patient_context(invoice))
    lines = InvoiceLinesView(invoice.reference, invoice.lines)

    before = unescape(render_checker(language, view, PageState(being_booked=True)))
    after = unescape(render_checker(language, view, PageState(lines=lines, being_booked=True)))

    for page in (before, after):
        assert 'id="dont-pay-yet"' not in page
        assert 'id="reimbursed"' not in page and 'id="defer-heading"' not in page
        assert AMOUNTS_BELOW[language] not in page
    # The same invoice, nothing being booked: the notice is there (the test can fail)
    waiting = unescape(render_checker(language, view, PageState(lines=lines)))
    assert 'id="dont-pay-yet"' in waiting


# What the page of a non-contracted invoice of a practice that does not wait for the
# statement offers, and the hint that names it: (invoice cents, deferred, hint's key).
PAYABLE_WITH_STATEMENT = [
    (30000, False, "unlock_text_with_statement"),
    (1025, False, "unlock_text_with_statement_no_arrangement"),
    (30000, True, "unlock_text_with_statement_no_deferral"),
    (1025, True, "unlock_text_with_statement_no_request"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("cents", "was_deferred", "key"), PAYABLE_WITH_STATEMENT)
def test_r37_the_hint_names_the_statement_where_the_page_also_takes_it_payable(
    language, cents, was_deferred, key
):
    """R36, R37, R17, legal-nl.md §7. Given a non-contracted invoice of a practice that
    does not wait for the insurer's statement (coulance ``wait_for_statement`` off): it is
    payable now, and the statement's form is on the page too (``can_send_statement``);
    of € 300,00 or € 10,25, deferred once or not
    When the patient opens the checker, before the birth date
    Then the hint names paying, entering the statement's amounts and exactly the
    requests the page then takes (before: the pay branch's words, no statement, in 4 of 4
    cases in 4 of 4 languages; after: named in all 16), and after the birth date the
    statement's form and the pay button are both there."""
    invoice = an_invoice_of(cents, language)
    if was_deferred:
        invoice = deferred(invoice, NOT_CONTRACTED)

    before = checker_page(invoice, language, NOT_CONTRACTED, unlocked=False)
    after = checker_page(invoice, language, NOT_CONTRACTED)

    assert element(before, "unlock-text") == words(language, key)
    assert STATEMENT[language] in element(before, "unlock-text")
    assert 'id="reimbursed"' in after and 'id="pay"' in after
    assert (DEFERRAL[language] in element(before, "unlock-text")) == ('id="defer-heading"' in after)
    assert (ARRANGEMENT[language] in element(before, "unlock-text")) == ('id="terms"' in after)


def test_a_contracted_invoice_takes_no_statement_and_its_hint_names_none():
    """R17: the invoices of the tests above with the contract take no statement (the hint
    of the pay branch alone is right for them: the tests can tell the two apart)."""
    for language in LANGUAGES:
        page = checker_page(an_invoice_of(30000, language), language, CONTRACTED, unlocked=False)
        assert element(page, "unlock-text") == words(language, "unlock_text")
        assert STATEMENT[language] not in element(page, "unlock-text")


def test_the_forms_and_the_words_are_one_choice():
    """One way: the forms the unlocked page shows are the ones ``offered`` names, for an
    invoice too small for an arrangement, one deferred, and one waiting for the
    statement."""
    from billing_core.entrypoints.web.checker_page import offered

    cases = [
        (an_invoice_of(1025, "nl"), CONTRACTED),
        (deferred(an_invoice_of(30000, "nl"), CONTRACTED), CONTRACTED),
        (an_invoice("e-mail", "nl")[0], WAITS),
        (an_invoice_of(30000, "nl"), NOT_CONTRACTED),
    ]
    for invoice, provider in cases:
        view = payment_status(invoice.reference, patient_context(invoice, provider))
        offer = offered(view, may_be_paid=False)
        page = checker_page(invoice, "nl", provider)
        shown = {
            "pay": 'id="pay"' in page,
            "statement": 'id="reimbursed"' in page,
            "deferral": 'id="defer-heading"' in page,
            "arrangement": 'id="terms"' in page,
        }
        assert shown == {name: getattr(offer, name) for name in shown}, invoice.reference


# R9, R14 (audit59h): the deferral a practice sets (1 to 90 days) counted as each language
# counts: Polish "dzień" for 1 only; Arabic يوم واحد, يومين, أيام for 3 to 10, يومًا from 11.
DEFERRAL_SENTENCES = {
    (1, "nl"): "U kunt eenmalig kosteloos 1 dag uitstel van betaling aanvragen.",
    (30, "nl"): "U kunt eenmalig kosteloos 30 dagen uitstel van betaling aanvragen.",
    (1, "en"): "You can ask once for a free deferral of payment of 1 day.",
    (14, "en"): "You can ask once for a free deferral of payment of 14 days.",
    (1, "pl"): "Jeden raz można bezpłatnie odroczyć termin płatności o 1 dzień.",
    (2, "pl"): "Jeden raz można bezpłatnie odroczyć termin płatności o 2 dni.",
    (5, "pl"): "Jeden raz można bezpłatnie odroczyć termin płatności o 5 dni.",
    (1, "ar"): "يمكنكم مرة واحدة طلب تأجيل الدفع مجانًا لمدة يوم واحد.",
    (2, "ar"): "يمكنكم مرة واحدة طلب تأجيل الدفع مجانًا لمدة يومين.",
    (7, "ar"): "يمكنكم مرة واحدة طلب تأجيل الدفع مجانًا لمدة 7 أيام.",
    (10, "ar"): "يمكنكم مرة واحدة طلب تأجيل الدفع مجانًا لمدة 10 أيام.",
    (30, "ar"): "يمكنكم مرة واحدة طلب تأجيل الدفع مجانًا لمدة 30 يومًا.",
}


@pytest.mark.parametrize("days, language", DEFERRAL_SENTENCES)
def test_r9_the_deferral_offered_counts_its_days_as_the_language_counts(days, language):
    """Given a practice that grants a deferral of ``days`` days and an invoice of € 300,00
    When the patient opens the checker in ``language`` after the birth date
    Then the deferral's sentence names the days in the form that count takes
    (it said "1 dagen", "1 days", "1 dni", "7 يومًا")."""
    invoice = an_invoice_of(30000, language)
    provider = make_provider(deferral_days=days)

    page = checker_page(invoice, language, provider)

    assert f"<p>{DEFERRAL_SENTENCES[days, language]}</p>" in page
