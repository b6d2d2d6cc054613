"""What a patient is told will follow says how it will come (R7, R36, R37; known.md stop
36): "per e-mail" to an address that works, "per post" to a patient on paper (none, or
bounced permanently), since that is how the adjusted amount and the confirmations go
(correspondence/delivery.deliver_message). One helper picks the words
(texts.catalogue.by_channel) for the checker page, the patient API's refusals and the
invoice PDF and its copy; a table over channel x language here. Before the birth date is
checked the checker says neither (known.md stop 37, Texts): "in writing", which holds for
both, since the channel tells whether the patient has a working e-mail address (R10, R36).

And while the patient is told not to pay yet (legal-nl.md §7), the objection form does
not say that the payment term runs (R16, R36); while a coulance decision is open, the
invoice copy says so, as the checker does (R17)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from html import unescape

import pytest

from billing_core.changes.arrangement import create_arrangement
from billing_core.changes.coulance import with_statement
from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.changes.deferral import grant_deferral
from billing_core.correspondence.invoice_copy import invoice_copy
from billing_core.declarations.claims import Language
from billing_core.entrypoints.http.patient_models import PaymentStatusOut
from billing_core.entrypoints.web.checker_page import PageState, render_checker
from billing_core.invoices.invoice import Channel, InsurerStatement, Invoice
from billing_core.providers.provider import Provider
from billing_core.services.patient import InvoiceLinesView, PatientContext, payment_status
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import Refused
from billing_core.texts.letters import texts_for
from tests.unit.factories import PUBLIC, make_invoice, make_line, make_person, make_provider
from tests.unit.fake_store import FakeQueue, FakeStore
from tests.unit.test_invoice_pdf import ACCOUNT, shown

# A practice without a contract with the patient's insurer, that waits for the statement.
WAITS = make_provider(coulance=CoulancePolicy(wait_for_statement=True))
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=AMSTERDAM)  # before the final date, 23 December
OPEN_PROPOSAL = InsurerStatement(
    reimbursed_cents=15000, withheld_deductible_cents=0, received_at=NOW, proposal_open=True
)
ADDRESS = "s.vanderberg@example.nl"

# How it follows, as each language says it; the other channel's words must not be said.
SAID = {
    ("email", "nl"): "per e-mail",
    ("email", "en"): "by e-mail",
    ("email", "pl"): "e-mailem",
    ("email", "ar"): "بالبريد الإلكتروني",
    ("paper", "nl"): "per post",
    ("paper", "en"): "by post",
    ("paper", "pl"): "pocztą",
    ("paper", "ar"): "بالبريد العادي",
}
LANGUAGES = ("nl", "en", "pl", "ar")
# The patient as the invoice reaches them: an address that works, none, or one that bounced.
PATIENTS = {
    "e-mail": ("email", {"email": ADDRESS}),
    "no e-mail address": ("paper", {"email": ""}),
    "bounced": ("paper", {"email": ADDRESS}),
}
TABLE = [
    pytest.param(patient, language, id=f"{patient}-{language}")
    for patient in PATIENTS
    for language in LANGUAGES
]


def an_invoice(patient: str, language: str) -> tuple[Invoice, str, str]:
    """(the non-contracted € 300 invoice, the words of its channel, the other's words)."""
    channel, person = PATIENTS[patient]
    invoice = make_invoice(
        lines=(make_line(unit_price_cents=30000),),
        patient=make_person(language=Language(language), **person),
    )
    if patient == "bounced":  # SES reported it bounced permanently: on paper since (R7)
        invoice = replace(invoice, bounced_emails=frozenset({ADDRESS}))
    other = "paper" if channel == "email" else "email"
    return invoice, SAID[channel, language], SAID[other, language]


def checker_page(
    invoice: Invoice, language: str, provider: Provider = WAITS, *, unlocked: bool = True
) -> str:
    """The page after the birth date was checked, with its forms (R36); or before."""
    view = payment_status(invoice.reference, patient_context(invoice, provider))
    lines = InvoiceLinesView(invoice.reference, invoice.lines) if unlocked else None
    return unescape(render_checker(language, view, PageState(lines=lines)))


def patient_context(invoice: Invoice, provider: Provider = WAITS) -> PatientContext:
    return PatientContext(FakeStore([invoice], [provider]), FakeQueue(), FixedClock(NOW))


def element(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">(.*?)</(?:div|dd|p)>', page, re.S)
    assert found is not None, element_id
    return " ".join(found.group(1).split())


def test_the_channel_of_what_follows_is_how_a_message_goes():
    """R7: by e-mail to an address that works, else on paper (delivery.deliver_message)."""
    for patient, (channel, _) in PATIENTS.items():
        invoice, _, _ = an_invoice(patient, "nl")
        assert invoice.follow_up_channel is Channel(channel), patient


@pytest.mark.parametrize(("patient", "language"), TABLE)
def test_dont_pay_yet_on_the_checker_says_how_the_adjusted_amount_comes(patient, language):
    """Given a non-contracted invoice waiting for the insurer's statement (§7, R37)
    When the patient opens the checker
    Then "don't pay yet" and the date to pay by say the adjusted amount comes by e-mail,
    or by post to a patient on paper, and never the other."""
    invoice, said, not_said = an_invoice(patient, language)
    page = checker_page(invoice, language)
    for part in (element(page, "dont-pay-yet"), element(page, "pay-by")):
        assert said in part and not_said not in part


@pytest.mark.parametrize(("patient", "language"), TABLE)
def test_an_open_coulance_decision_on_the_checker_says_how_it_comes(patient, language):
    """Given the statement in and its proposal on the practice's action list (R17)
    When the patient opens the checker
    Then the notice says the adjusted amount comes by e-mail, or by post."""
    invoice, said, not_said = an_invoice(patient, language)
    page = checker_page(with_statement(invoice, OPEN_PROPOSAL), language)
    notice = element(page, "coulance-decision")
    assert said in notice and not_said not in notice


# Before the birth date is checked: words that hold for either channel.
IN_WRITING = {"nl": "schriftelijk", "en": "in writing", "pl": "pisemnie", "ar": "كتابيًا"}
EVERY_CHANNEL = ("email", "paper")


@pytest.mark.parametrize(("patient", "language"), TABLE)
def test_before_the_birth_date_the_checker_does_not_tell_how_things_come(patient, language):
    """R10, R36, interfaces.md §2 (known.md stop 37, Texts). Given a non-contracted invoice
    waiting for the insurer's statement, and then with the statement in and its proposal
    open (legal-nl.md §7, R17)
    When anyone with the kenmerk opens the checker, or asks the payment-status API, before
    the birth date is checked
    Then neither says "by post" nor "by e-mail" of what follows, which would tell that the
    patient has no working e-mail address: the page says it comes "in writing"; once the
    birth date is checked, it says by post or by e-mail (the tests above)."""
    invoice, said, _ = an_invoice(patient, language)
    for stage, part_ids in (
        (invoice, ("dont-pay-yet", "pay-by")),
        (with_statement(invoice, OPEN_PROPOSAL), ("coulance-decision", "pay-by")),
    ):
        page = checker_page(stage, language, unlocked=False)
        view = payment_status(stage.reference, patient_context(stage))
        answer = PaymentStatusOut.of(view, PUBLIC).model_dump_json()
        for words in (SAID["paper", language], "per post", "by post"):
            assert words not in page and words not in answer
        for part in (element(page, part_id) for part_id in part_ids):
            assert IN_WRITING[language] in part
            assert not any(SAID[channel, language] in part for channel in EVERY_CHANNEL)
        assert said in checker_page(stage, language)  # after the check: as it comes


@pytest.mark.parametrize(("patient", "language"), TABLE)
def test_the_patient_apis_refusals_say_how_the_adjusted_amount_comes(patient, language):
    """Given the statement awaited, and then its proposal open (§7, R17)
    When the patient asks for an arrangement, or for a deferral while the practice decides
    Then the refusal (the patient API's and the checker's sentence) says by e-mail or by
    post."""
    invoice, said, not_said = an_invoice(patient, language)
    deciding = with_statement(invoice, OPEN_PROPOSAL)
    for ask in (
        lambda: create_arrangement(invoice, WAITS, 3, NOW),
        lambda: grant_deferral(deciding, WAITS, NOW),
    ):
        with pytest.raises(Refused) as refusal:
            ask()
        assert said in refusal.value.message(language)
        assert not_said not in refusal.value.message(language)


@pytest.mark.parametrize(("patient", "language"), TABLE)
def test_the_invoice_copy_says_how_the_adjusted_amount_comes(patient, language):
    """Given the statement in and its proposal open (R17, legal-nl.md §7)
    When the checker or the portal serves the invoice copy (R36)
    Then its first page says the practice decides on the adjusted amount, and that it comes
    by e-mail, or by post, as things come now; the notice's heading, and the invoice as
    sent below it, its "don't pay yet" and its payment instructions, say it as it was
    sent: by e-mail to the address that bounced since (R7; known.md stop 37, Texts: it
    said "by post", as now; stop 38: the heading did not say how it was sent)."""
    invoice, said, not_said = an_invoice(patient, language)
    deciding = with_statement(invoice, OPEN_PROPOSAL)
    heading = texts_for(language, ("common",))("dont_pay_yet_heading")
    notice, as_sent = copy_text(deciding).split(heading)
    sent_heading, decision = notice.split(DECIDING[language])
    assert said in decision and not_said not in decision
    said_then = SAID["email", language] if patient == "bounced" else said
    other_then = SAID["paper", language] if patient == "bounced" else not_said
    assert said_then in sent_heading and other_then not in sent_heading
    assert as_sent.count(said_then) >= 2  # "don't pay yet", how to pay
    assert other_then not in as_sent


def copy_text(invoice):
    """The invoice copy's text as served today, its whitespace made single spaces."""
    pdf = invoice_copy(invoice, WAITS, NOW.date(), public_base_url=PUBLIC, account=ACCOUNT)
    return " ".join(shown(pdf).split())


DECIDING = {
    "nl": "uw zorgverlener beslist nu over het aangepaste bedrag",
    "en": "your healthcare provider is now deciding on the adjusted amount",
    "pl": "świadczeniodawca decyduje teraz o skorygowanej kwocie",
    "ar": "ويقرّر مقدّم الرعاية الصحية الآن المبلغ المعدَّل",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_invoice_copy_says_a_coulance_decision_is_open(language):
    """Given the statement in and its proposal open on the practice's action list (R17)
    When the invoice copy is served (R36)
    Then its notice says the practice is deciding on the adjusted amount, as the checker
    does (known.md stop 36: nothing in the PDF said so); once decided, it no longer does."""
    invoice, _, _ = an_invoice("e-mail", language)
    deciding = with_statement(invoice, OPEN_PROPOSAL)
    assert DECIDING[language] in copy_text(deciding)
    assert DECIDING[language] not in copy_text(invoice)


TERM_RUNS = {
    "nl": "een bezwaar schort de betaaltermijn niet op",
    "en": "an objection does not suspend the payment term",
    "pl": "reklamacja nie wstrzymuje biegu terminu płatności",
    "ar": "الاعتراض لا يوقف مهلة الدفع",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_while_told_not_to_pay_yet_the_objection_form_says_no_term_runs(language):
    """Given a non-contracted invoice waiting for the statement, then with the statement in
    and its proposal open (legal-nl.md §7, R17): the patient is told not to pay yet
    When the patient opens the checker's objection form
    Then it does not say the payment term runs on (R16, R36); of a contracted invoice, due
    as usual, it still does (seed 000)."""
    invoice, _, _ = an_invoice("e-mail", language)
    for waiting in (invoice, with_statement(invoice, OPEN_PROPOSAL)):
        page = checker_page(waiting, language)
        assert 'id="object-heading"' in page
        assert TERM_RUNS[language] not in page
    assert TERM_RUNS[language] in checker_page(invoice, language, make_provider())


# Where "don't pay yet" sends the statement's amounts: below (its form), or below once
# the birth date is in (only the birth date's form is below before).
AMOUNTS_BELOW = {
    "nl": "hieronder de bedragen",
    "en": "enter below the amounts",
    "pl": "wpisać poniżej kwoty",
    "ar": "أدخلوا أدناه المبالغ",
}
BIRTH_DATE_BELOW = {
    "nl": "hieronder de geboortedatum",
    "en": "date of birth below",
    "pl": "poniżej datę urodzenia",
    "ar": "أدناه تاريخ ميلاد المريض",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_section_7_dont_pay_yet_says_what_is_below_before_and_after_the_birth_date(language):
    """legal-nl.md §7, R36 (audit texts57). Given a non-contracted invoice waiting for the
    insurer's statement
    When the patient opens the checker, before the birth date is checked and after
    Then "don't pay yet" sends the statement's amounts below only where the statement's
    form is; before, it sends the patient to the birth date below first."""
    invoice, _, _ = an_invoice("e-mail", language)
    before = checker_page(invoice, language, unlocked=False)
    after = checker_page(invoice, language)
    assert 'id="reimbursed"' not in before and 'id="birth-date"' in before
    assert 'id="reimbursed"' in after
    assert AMOUNTS_BELOW[language] not in element(before, "dont-pay-yet")
    assert BIRTH_DATE_BELOW[language] in element(before, "dont-pay-yet")
    assert AMOUNTS_BELOW[language] in element(after, "dont-pay-yet")
