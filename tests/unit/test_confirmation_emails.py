"""The e-mails after the invoice: deferral, arrangement, objection, payment received
(R11-R16, R29, R30). Both parts, both languages, nothing personal that does not belong."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from billing_core.changes.arrangement import arrangement_refusal, create_arrangement
from billing_core.changes.coulance import awaits_insurer_statement
from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.changes.deferral import grant_deferral
from billing_core.changes.objection import objection_id
from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.correspondence.confirmations import confirmation_context
from billing_core.correspondence.kinds import (
    ARRANGEMENT_CONFIRMATION,
    COULANCE_DECLINED,
    DEFERRAL_CONFIRMATION,
    INVOICE_CORRECTED,
    KINDS,
    OBJECTION_ACKNOWLEDGEMENT,
    PAYMENT_RECEIVED,
    STOP_CONFIRMATION,
)
from billing_core.correspondence.links import pay_url
from billing_core.correspondence.render import invoice_email_context, render_email
from billing_core.declarations.claims import Language
from billing_core.dunning.breakdown import PayBy, breakdown
from billing_core.invoices.invoice import DunningStage, InvoiceStatus
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.payments.booking import IncomingPayment, apply_payment, apply_refund
from billing_core.payments.refunds import refund_not_paid
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.money import format_euros
from billing_core.texts.catalogue import by_channel, long_date
from billing_core.texts.letters import CATALOGUE, texts_for
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import (
    BSN,
    KENMERK,
    PUBLIC,
    make_invoice,
    make_line,
    make_person,
    make_provider,
)
from tests.unit.test_invoice_pdf import ACCOUNT
from tests.unit.test_notify_render import bare_amounts, misdirected_lines

NOW = datetime(2026, 11, 25, 19, 0, tzinfo=AMSTERDAM)


def render(kind, invoice, event_id="", language=None):
    context = confirmation_context(
        kind,
        invoice,
        make_provider(),
        event_id=event_id,
        today=NOW.date(),
        pay_url=f"{PUBLIC}/?kenmerk={invoice.reference}",
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    return render_email(kind, context, language or invoice.language.value)


def paid(invoice, cents, source_id="tr_1"):
    return apply_payment(invoice, IncomingPayment("psp", source_id, cents, NOW))


def test_deferral_confirmation_states_the_new_date():
    deferred = grant_deferral(make_invoice(), make_provider(), NOW)
    email = render(DEFERRAL_CONFIRMATION, deferred)
    assert email.subject == f"Uitstel van betaling - betalingskenmerk {KENMERK}"
    for part in (email.text, email.html):
        assert "22 januari 2027" in part and "€\u00a033,17" in part and KENMERK in part
        assert "Geachte S. van der Berg," in part


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
@pytest.mark.parametrize("cents, arrangement_offered", [(2000, False), (4000, True)])
def test_a_deferral_confirmation_offers_an_arrangement_only_when_the_checker_grants_one(
    language, cents, arrangement_offered
):
    """R14, R15 (audit plans57): Given a deferral of € 20,00, too small for two terms of the
    minimum € 25,00 with the fee, When its confirmation is sent, Then it does not send the
    patient to the checker for an arrangement the checker refuses (amount_too_small) but
    to the practice, as a reminder does; € 40,00 can be split, so it offers the checker
    (before: every deferral confirmation offered it, in all four languages)."""
    provider = make_provider()
    invoice = make_invoice(lines=(make_line(unit_price_cents=cents),))
    deferred = grant_deferral(invoice, provider, NOW)
    assert (arrangement_refusal(deferred, provider) is None) is arrangement_offered
    email = render(DEFERRAL_CONFIRMATION, deferred, language=language)
    texts = CATALOGUE[language]["email.deferral_confirmation"]
    via_practice = texts["once_via_practice"].split("{provider}")[0]  # the name is isolated
    for part in (email.text, html.unescape(email.html)):
        assert (texts["once"] in part) is arrangement_offered
        assert (via_practice in part) is not arrangement_offered


def test_arrangement_confirmation_lists_every_term_and_the_fee():
    invoice = make_invoice(
        lines=(make_line(unit_price_cents=30000),), patient=make_person(language=Language.EN)
    )
    arranged = create_arrangement(invoice, make_provider(), 3, NOW)
    email = render(ARRANGEMENT_CONFIRMATION, arranged)
    assert email.language == "en"
    for part in (email.text, email.html):
        assert "You pay €310.00 in 3 monthly terms" in part
        assert "includes €10.00 for the arrangement" in part
        for day, amount in (
            ("23 December 2026", "€103.33"),
            ("23 January 2027", "€103.33"),
            ("23 February 2027", "€103.34"),
        ):
            assert day in part and amount in part
        assert "more than 14 days late" in part
        assert "statutory interest" not in part  # made before any interest was due


def test_objection_acknowledgement_names_nobody():
    # It goes to an address typed into a public form (R29)
    email = render(OBJECTION_ACKNOWLEDGEMENT, make_invoice(), event_id="action-1")
    for part in (email.subject, email.text, email.html):
        assert "Berg" not in part and BSN not in part and "€" not in part
    assert email.text.startswith("Geachte heer, mevrouw,")
    assert "25 november 2026" in email.text and KENMERK in email.text
    assert "schort de betaling niet op" in email.text  # seed 000
    assert "23 december 2026" in email.text


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_an_acknowledgement_sent_later_names_the_day_the_objection_was_filed(language):
    """R16 (audit plans57): Given an objection filed on 24 November 2026 (its action id,
    ``objection_id``), When the delivery sends its acknowledgement a day later (a retry,
    a queue redriven), Then it says it was received on 24 November, in every language
    the checker takes (before: "Op 25 november 2026", the day it was sent)."""
    invoice = make_invoice()
    details = {"reason": "amount", "message": "Te duur", "email": "p@example.org"}
    filed = objection_id(invoice, details, date(2026, 11, 24))
    email = render(OBJECTION_ACKNOWLEDGEMENT, invoice, event_id=filed, language=language)
    for part in (email.text, email.html):
        assert long_date(date(2026, 11, 24), language) in part
        assert long_date(NOW.date(), language) not in part  # no other date is that day


@pytest.mark.parametrize(
    "cents, says",
    [
        (1000, "Er staat nog €\u00a023,17 open"),
        (3317, "Daarmee is de nota volledig betaald."),
        (5000, "U heeft €\u00a016,83 te veel betaald."),
    ],
)
def test_payment_received_says_what_is_left(cents, says):
    email = render(PAYMENT_RECEIVED, paid(make_invoice(), cents), event_id="psp:tr_1")
    assert f"uw betaling van {_euros(cents)}" in email.text
    assert says in email.text and says in email.html


@pytest.mark.parametrize(
    "language, says",
    [
        ("nl", "U heeft €\u00a05,00 te veel betaald. Dat bedrag betalen wij aan u terug."),
        ("en", "You have paid €5.00 too much. We will pay that amount back to you."),
    ],
)
def test_r13_an_ideal_overpayment_refunded_before_the_email_still_says_it_goes_back(language, says):
    """R13, R11: Given € 38,17 paid by iDEAL on € 33,17, its € 5,00 credit refunded on the
    PSP payment by the webhook right after the booking (a REFUND entry caused by it) When
    the "payment received" e-mail is written after that refund Then it says € 5,00 was
    paid too much and goes back, as it does for a transfer whose credit is held. Before:
    "paid in full" alone, the € 5,00 not named (0 of 1 told)."""
    overpaid = paid(make_invoice(), 3817)
    refunded = apply_refund(overpaid, "re_1", 500, NOW, "psp:tr_1")
    assert refunded.credit_cents == 0
    email = render(PAYMENT_RECEIVED, refunded, event_id="psp:tr_1", language=language)
    assert says in email.text and says in html.unescape(email.html)


def test_r13_an_ideal_refund_that_failed_is_not_said_twice():
    """R13: Given the € 5,00 refund booked and then reported failed (a REFUND of minus it:
    the credit held again) When the e-mail is written Then it names € 5,00 once."""
    refunded = apply_refund(paid(make_invoice(), 3817), "re_1", 500, NOW, "psp:tr_1")
    failed = refund_not_paid(refunded, "tr_1", "re_1", NOW)
    assert failed.credit_cents == 500
    email = render(PAYMENT_RECEIVED, failed, event_id="psp:tr_1")
    assert "U heeft €\u00a05,00 te veel betaald." in email.text


def _euros(cents):
    return f"€\u00a0{cents // 100},{cents % 100:02d}"


def test_a_payment_the_invoice_does_not_have_is_an_error():
    with pytest.raises(ValueError):
        render(PAYMENT_RECEIVED, make_invoice(), event_id="psp:nope")


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_every_kind_renders_in_every_language_without_treatments_or_bsn(kind, language):
    invoice = paid(
        create_arrangement(
            make_invoice(lines=(make_line(unit_price_cents=30000),)), make_provider(), 2, NOW
        ),
        100,
    )
    email = render(kind, invoice, event_id="psp:tr_1", language=language)
    assert email.language == language  # Polish and Arabic are complete (issue 17 item 7)
    assert misdirected_lines(email.text) == []  # Arabic reads right to left (R9)
    assert email.text and email.html.startswith("<!DOCTYPE html>") and "\n" not in email.subject
    for part in (email.subject, email.text, email.html):
        assert BSN not in part and "C11" not in part and "Periodieke controle" not in part


def test_a_hostile_provider_name_is_escaped():
    provider = make_provider(name='<img src=x onerror="alert(1)">')
    context = confirmation_context(
        DEFERRAL_CONFIRMATION,
        make_invoice(),
        provider,
        event_id="",
        today=NOW.date(),
        pay_url=PUBLIC,
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    email = render_email(DEFERRAL_CONFIRMATION, context, "nl")
    assert "<img" not in email.html and "&lt;img" in email.html


def test_english_has_every_confirmation_text_dutch_has():
    for kind in KINDS:
        section = f"email.{kind}"
        assert CATALOGUE["en"][section].keys() == CATALOGUE["nl"][section].keys(), section


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        confirmation_context(
            "newsletter",
            make_invoice(),
            make_provider(),
            event_id="",
            today=date(2026, 1, 1),
            pay_url=PUBLIC,
            public_base_url=PUBLIC,
            account=ACCOUNT,
        )


def test_during_an_arrangement_the_payment_email_names_the_next_term():
    # Given € 310,00 in three terms, and the first term paid
    invoice = make_invoice(lines=(make_line(unit_price_cents=30000),))
    arranged = paid(create_arrangement(invoice, make_provider(), 3, NOW), 10333)
    # Then the e-mail asks for the next term, not for everything by the invoice's date
    email = render(PAYMENT_RECEIVED, arranged, event_id="psp:tr_1")
    says = (
        "Er staat nog €\u00a0206,67 open. Uw volgende termijn is €\u00a0103,33 en betaalt u "
        "uiterlijk 23 januari 2027."
    )
    assert says in email.text and says in email.html


# --- after the invoice's own date: the date and amount that count now (R36, R20) --------


def _payment_email(world):
    """The last "payment received" e-mail the world's delivery sent."""
    mails = [email for _, email, _ in world.outbox.sent if email.subject.startswith("Betaling")]
    return mails[-1]


def test_a_payment_after_the_costs_asks_the_rest_by_the_second_notice_date():
    """R36, R20, legal-nl.md §2: after the costs the invoice's final payment date (23
    December) has long passed. Given €1,000.00 with €150.00 costs charged on 15 January,
    when €500.00 arrives on 20 January, then the e-mail asks what the checker shows that
    day (the rest with the interest up to then) by the second notice's last day, not by
    23 December."""
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 31), date(2027, 1, 20))
    world.import_transfer(50_000, booked_on=date(2027, 1, 20), at=at_nine(date(2027, 1, 20)))

    shown = breakdown(world.invoice(), world.provider.dunning, date(2027, 1, 20))
    assert shown.pay_by_kind is PayBy.SECOND_NOTICE
    email = _payment_email(world)
    says = f"Er staat nog {_euros(shown.due_cents)} open. Wij vragen u dit uiterlijk 28 januari"
    assert says in email.text and says in email.html
    assert "23 december 2026" not in email.text


def test_an_objection_after_the_reminder_names_the_reminders_date():
    """seed 000, legal-nl.md §2: an objection does not suspend payment; after the 14-day
    letter the date that still counts is the letter's, not the invoice's passed one."""
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 31), date(2027, 1, 2))
    reminder_date = world.invoice().reminder.final_date
    context = confirmation_context(
        OBJECTION_ACKNOWLEDGEMENT,
        world.invoice(),
        world.provider,
        event_id="action-1",
        today=date(2027, 1, 2),
        pay_url=PUBLIC,
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    assert context["final_payment_date"] == reminder_date > date(2026, 12, 23)


def test_a_payment_to_us_while_the_agency_collects_says_to_contact_the_agency():
    """R22: the agency collects what is left; the e-mail does not send the patient to our
    payment page with a date that passed, it names the agency."""
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 31), date(2027, 2, 1))
    assert world.invoice().is_with_collection_agency
    world.import_transfer(10_000, booked_on=date(2027, 2, 2), at=at_nine(date(2027, 2, 2)))

    email = _payment_email(world)
    for part in (email.text, email.html):
        assert "overgedragen aan het incassobureau" in part
        assert "Wij vragen u dit uiterlijk" not in part
        assert pay_url(PUBLIC, world.invoice()) not in part


AGENCY_COLLECTS = {
    "nl": "overgedragen aan het incassobureau",
    "en": "handed over to the collection agency",
    "pl": "przekazana do biura windykacyjnego",
    "ar": "(incassobureau)",
}


@pytest.mark.parametrize("kind", [STOP_CONFIRMATION, INVOICE_CORRECTED, COULANCE_DECLINED])
@pytest.mark.parametrize("language", sorted(AGENCY_COLLECTS))
def test_a_new_amount_on_a_claim_with_the_agency_names_the_agency_not_our_link(kind, language):
    """R21, R22, R34, R36 (audit round 37 PA2). Given a claim handed over to the collection
    agency on 29 January (its final date, 23 December, long past), when the practice
    lowers it (a stop), a correction changes it or the coulance is declined, then the
    e-mail gives the amount left and says the agency collects it, as the payment e-mail
    and the checker do: no pay link of ours and no date of ours, passed or not."""
    handed = replace(
        make_invoice(),
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=date(2027, 1, 29),
    )
    context = confirmation_context(
        kind,
        handed,
        make_provider(),
        event_id="stop-1",
        today=date(2027, 2, 2),
        pay_url=pay_url(PUBLIC, handed),
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    email = render_email(kind, context, language)
    left = format_euros(context["amount_due_cents"], language)
    for part in (email.text, email.html):
        assert AGENCY_COLLECTS[language] in part and left in part
        assert context["pay_url"] not in part
        assert long_date(date(2026, 12, 23), language) not in part


def at_nine(day):
    return datetime.combine(day, time(9), tzinfo=AMSTERDAM)


def test_an_arrangement_after_the_costs_says_its_total_includes_interest():
    """R15, R20 (audit legal D1): terms made after the costs also cover the interest until
    each is due, so their total is more than what the second notice asked. Given €1,000.00
    with €150.00 costs and €2.96 interest accrued by 20 January, when the patient asks for
    2 terms (fee €10.00), then the e-mail names the interest the €1.166,27 holds."""
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 31), date(2027, 1, 20))
    arranged = create_arrangement(world.invoice(), world.provider, 2, at_nine(date(2027, 1, 20)))
    assert arranged.arrangement.total_cents == 116_627  # test_arrangement_after_costs

    email = render(ARRANGEMENT_CONFIRMATION, arranged)
    for part in (email.text, email.html):
        assert "U betaalt €\u00a01.166,27 in 2 maandelijkse termijnen" in part
        assert "inclusief €\u00a010,00 kosten voor de betalingsregeling" in part
        # € 1.166,27 - € 1.150,00 (principal and costs) - € 10,00 (fee)
        assert "inclusief €\u00a06,27 wettelijke rente" in part


def test_a_stop_during_a_hold_names_the_holds_end_not_the_passed_final_date():
    """R16, R21, R36: the practice holds an invoice past its final date (23 December) and
    lowers it: the e-mail names the date the checker shows, the hold's last day."""
    held = replace(make_invoice(), hold_until=date(2027, 1, 15), hold_days_used=30)
    context = confirmation_context(
        STOP_CONFIRMATION,
        held,
        make_provider(),
        event_id="stop-1",
        today=date(2027, 1, 5),
        pay_url=PUBLIC,
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    assert context["final_payment_date"] == date(2027, 1, 15)


# --- a date that has passed is not one to pay by (R36, R10) -------------------------------

# The week after the invoice's final date (23 December 2026), before the reminder goes.
AFTER_THE_FINAL_DATE = datetime(2026, 12, 28, 9, 0, tzinfo=AMSTERDAM)
PASSED_KINDS = (
    PAYMENT_RECEIVED,
    STOP_CONFIRMATION,
    INVOICE_CORRECTED,
    COULANCE_DECLINED,
    OBJECTION_ACKNOWLEDGEMENT,
)


def _after_the_final_date(kind):
    invoice = make_invoice()
    if kind == PAYMENT_RECEIVED:  # a part paid: the rest is still open
        payment = IncomingPayment("psp", "tr_1", 1000, AFTER_THE_FINAL_DATE)
        invoice = apply_payment(invoice, payment)
    return confirmation_context(
        kind,
        invoice,
        make_provider(),
        event_id="psp:tr_1" if kind == PAYMENT_RECEIVED else "action-1",
        today=AFTER_THE_FINAL_DATE.date(),
        pay_url=PUBLIC,
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )


@pytest.mark.parametrize("kind", PASSED_KINDS)
@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_a_passed_final_date_is_never_told_as_the_date_to_pay_by(kind, language):
    """R36, R10 (stop 34's checker: ``pay_by_passed``): given an invoice whose final
    payment date (23 December) has passed and whose reminder has not gone yet, when a
    confirmation goes on 28 December (a part paid, a stop, a correction, the coulance
    declined, an objection), then the e-mail asks for no payment by 23 December: where
    it names that date at all, it is under the checker's label "verstreken op"."""
    context = _after_the_final_date(kind)
    assert context["final_payment_date"] == date(2026, 12, 23)
    email = render_email(kind, context, language)
    passed = long_date(date(2026, 12, 23), language)
    label = CATALOGUE[language]["common"]["pay_by_passed"]
    assert email.text.count(passed) == email.text.count(f"{label}: {passed}")
    rows = re.findall(r"<tr>.*?</tr>", email.html, re.DOTALL)
    assert all(label in row for row in rows if passed in row)
    sentences = re.findall(r"<p[ >].*?</p>", email.html, re.DOTALL)
    assert not [sentence for sentence in sentences if passed in sentence]


def test_a_passed_final_date_reads_as_passed_in_dutch_and_english():
    """R36: the e-mail says what the checker says of the date, in the same words."""
    nl = render_email(STOP_CONFIRMATION, _after_the_final_date(STOP_CONFIRMATION), "nl")
    assert "Uiterste betaaldatum verstreken op: 23 december 2026" in nl.text
    assert "uiterlijk 23 december" not in nl.text + nl.html
    assert "U betaalt nu nog €\u00a0" in nl.text
    en = render_email(PAYMENT_RECEIVED, _after_the_final_date(PAYMENT_RECEIVED), "en")
    assert "Was due on" in en.html and "no later than 23 December" not in en.text + en.html


def test_a_part_of_a_late_term_paid_names_no_passed_date_for_the_term():
    """R15, R36: an arrangement's missed term cancels it only 15 days on. Given three
    terms, the first due 23 December, when € 50,00 of it arrives on 28 December, then the
    e-mail names the term still to pay, not "no later than 23 December"."""
    invoice = make_invoice(lines=(make_line(unit_price_cents=30000),))
    arranged = create_arrangement(invoice, make_provider(), 3, NOW)
    late = apply_payment(arranged, IncomingPayment("psp", "tr_1", 5000, AFTER_THE_FINAL_DATE))
    context = confirmation_context(
        PAYMENT_RECEIVED,
        late,
        make_provider(),
        event_id="psp:tr_1",
        today=AFTER_THE_FINAL_DATE.date(),
        pay_url=PUBLIC,
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    assert context["next_term"]["due_date"] == date(2026, 12, 23)
    email = render_email(PAYMENT_RECEIVED, context, "nl")
    for part in (email.text, email.html):
        assert "Uw openstaande termijn is €\u00a0" in part
        assert "23 december 2026" not in part


# --- "don't pay yet" (legal-nl.md §7) ----------------------------------------------------

# A practice without a contract with the patient's insurer, that waits for the statement.
WAITS = make_provider(coulance=CoulancePolicy(wait_for_statement=True))


def _stopped(invoice):
    """The practice forgives € 5,00 of it (R21)."""
    request = StopRequest(StopScope.PARTIAL, "goodwill", "", True, amount_cents=500)
    return apply_stop(replace(invoice, status=InvoiceStatus.SENT), request, NOW, "provider:u:s-1")


def _retour(invoice):
    """The insurer's retour deducts € 5,00 (R5)."""
    entry = LedgerEntry(EntryKind.REIMBURSEMENT, Component.PRINCIPAL, -500, NOW, "retour:r.xml")
    return invoice.with_entry(entry)


# (kind, what happened to the invoice, its event, whether the e-mail names the amount: an
# objection's acknowledgement names none, R29)
WHILE_NOT_TO_PAY_YET = {
    STOP_CONFIRMATION: (_stopped, "provider:u:s-1", True),
    INVOICE_CORRECTED: (_retour, "retour:r.xml", True),
    PAYMENT_RECEIVED: (lambda invoice: paid(invoice, 1000), "psp:tr_1", True),
    DEFERRAL_CONFIRMATION: (lambda invoice: grant_deferral(invoice, WAITS, NOW), "", True),
    OBJECTION_ACKNOWLEDGEMENT: (lambda invoice: invoice, "action-1", False),
}


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
@pytest.mark.parametrize("kind", list(WHILE_NOT_TO_PAY_YET))
def test_section_7_an_e_mail_naming_what_is_due_keeps_dont_pay_yet_as_the_checker_does(
    kind, language
):
    """legal-nl.md §7, R37, R36 (round 39 texts4; as test_texts.py's test_section_7_...
    has the checker, the invoice and its e-mail say the same "don't pay yet").
    Given a non-contracted invoice of a practice that waits for the insurer's statement,
    the statement not in, which the practice lowered, a retour changed, the patient paid
    in part, deferred or objected to
    When its e-mail is rendered, in each language
    Then it says not to pay yet and that the adjusted amount comes by e-mail, as the
    checker does (no date to pay by, no pay button), never "pay € .. by <date>"."""
    happened, event_id, names_the_amount = WHILE_NOT_TO_PAY_YET[kind]
    invoice = happened(make_invoice(patient=make_person(language=Language(language))))
    assert awaits_insurer_statement(invoice, WAITS)  # the checker's "don't pay yet"
    context = confirmation_context(
        kind,
        invoice,
        WAITS,
        event_id=event_id,
        today=NOW.date(),
        pay_url=f"{PUBLIC}/?kenmerk={invoice.reference}",
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    email = render_email(kind, context, language)
    t = texts_for(language, ("common", "email"))
    due = breakdown(invoice, WAITS.dunning, NOW.date())
    for part in (email.text, html.unescape(email.html)):
        assert t("pay_not_yet", **by_channel("email")) in part
        assert (t.euros(due.due_cents) in part) is names_the_amount
        assert long_date(due.pay_by, language) not in part
        assert long_date(invoice.final_payment_date, language) not in part
        assert "?kenmerk=" not in part  # no pay link


@pytest.mark.parametrize(
    "language, promised, not_promised",
    [
        ("nl", "incassobureau", "weer herinneringen"),
        ("en", "collection agency", "reminders again"),
        ("pl", "windykacyjnego", "upomnienia"),
        ("ar", "incassobureau", "رسائل تذكير"),
    ],
)
def test_r15_an_arrangement_after_the_costs_warns_of_the_handover_not_of_new_reminders(
    language, promised, not_promised
):
    """R15 ("dunning resumes where it stopped"), R19, R30 (audit plans D2).
    Given €1,000.00 with its costs charged on 15 January (second notice sent), and an
    arrangement of 2 terms asked on 20 January
    When its confirmation is rendered
    Then it says what a missed term leads to: the claim goes to the collection agency, as
    the run does (no new reminder: the second notice's term has passed by then); before, it
    promised "reminders again" that never came."""
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 31), date(2027, 1, 20))
    arranged = create_arrangement(world.invoice(), world.provider, 2, at_nine(date(2027, 1, 20)))
    email = render(ARRANGEMENT_CONFIRMATION, arranged, language=language)
    for part in (email.text, html.unescape(email.html)):
        assert promised in part and not_promised not in part
    # And that is what the run does when the first term (3 February) is missed
    world.store.put_invoice_as_is(arranged)
    world.run_days(date(2027, 1, 21), date(2027, 2, 18))
    assert world.invoice().is_with_collection_agency
    assert [kind for kind, day in world.letters() if day > date(2027, 1, 20)] == []


def test_r9_every_arabic_text_part_isolates_its_amounts_as_its_sentences_do(subtests):
    """R9, audit pdf7. Given one invoice under an arrangement with a part paid, and one
    without, when each kind of e-mail (and the invoice's) is rendered in Arabic, then every
    amount of its text part stands between U+2066 and U+2069, the summary's line "المبلغ
    المطلوب: €299.00" too: before, the sentences' amounts were isolated but a label's was
    not, and a mail client and the letter printed from the text part showed "299.00€"."""
    arranged = paid(
        create_arrangement(
            make_invoice(lines=(make_line(unit_price_cents=30000),)), make_provider(), 2, NOW
        ),
        100,
    )
    plain = paid(make_invoice(lines=(make_line(unit_price_cents=30000),)), 100)
    for kind in sorted(KINDS):
        for invoice in (arranged, plain) if kind != ARRANGEMENT_CONFIRMATION else (arranged,):
            with subtests.test(kind=kind, arranged=invoice is arranged):
                text = render(kind, invoice, event_id="psp:tr_1", language="ar").text
                assert bare_amounts(text) == []
    with subtests.test(kind="invoice"):
        context = invoice_email_context(
            make_invoice(), make_provider(), pay_url=PUBLIC, public_base_url=PUBLIC
        )
        email = render_email("invoice", context, "ar")
        assert "\u2066€33.17\u2069" in email.text and bare_amounts(email.text) == []
    with subtests.test(language="nl, en, pl: the text part unchanged"):
        deferred = grant_deferral(make_invoice(), make_provider(), NOW)
        for language, line in (
            ("nl", "Te betalen: €\u00a033,17\n"),
            ("en", "Amount to pay: €33.17\n"),
            ("pl", "Do zapłaty: 33,17\u00a0€\n"),
        ):
            assert line in render(DEFERRAL_CONFIRMATION, deferred, language=language).text


def test_r21_a_stop_of_all_the_treatments_after_the_costs_says_only_costs_are_left(subtests):
    """R21, R9, legal-nl.md §2-§4 (audit stop5). A stop lowers the principal only: costs and
    interest stay. Given €33.17 with €40.00 collection costs charged (interest accrued by
    20 January), when the practice stops 100 % of it, then the confirmation says, in every
    language and both parts, that nothing of the treatments is left and the €40.10 still
    open is collection costs and statutory interest; before, "U betaalt nu nog € 40,10"
    alone read as a mistake. A stop of 50 % leaves a part of the treatments: unchanged."""
    world = DunningWorld([one_invoice(3317)])
    world.run_days(date(2026, 12, 31), date(2027, 1, 20))
    at = at_nine(date(2027, 1, 20))

    def stop_email(percentage, language):
        request = StopRequest(
            StopScope.PARTIAL, "goodwill", "", True, percentage=Decimal(percentage)
        )
        stopped = apply_stop(world.invoice(), request, at, "provider:u:s-1")
        context = confirmation_context(
            STOP_CONFIRMATION,
            stopped,
            world.provider,
            event_id="provider:u:s-1",
            today=at.date(),
            pay_url=PUBLIC,
            public_base_url=PUBLIC,
            account=ACCOUNT,
        )
        return render_email(STOP_CONFIRMATION, context, language)

    for language, says, amount in (
        ("nl", "Wat nog openstaat, zijn incassokosten en wettelijke rente.", "€\u00a040,10"),
        ("en", "What is still open is collection costs and statutory interest.", "€40.10"),
        ("pl", "to pozasądowe koszty windykacji i odsetki ustawowe.", "40,10\u00a0€"),
        ("ar", "المبلغ المتبقي هو تكاليف التحصيل والفائدة القانونية.", "\u2066€40.10\u2069"),
    ):
        with subtests.test(language=language):
            email = stop_email(100, language)
            for part in (email.text, html.unescape(email.html)):
                assert says in part and amount in part
    with subtests.test("a part of the treatments left: unchanged"):
        email = stop_email(50, "nl")
        assert "openstaat" not in email.text and "U betaalt nu nog €\u00a056,68" in email.text


# --- the account to transfer to (R12, R36) -------------------------------------------------

# (kind, what happened to the invoice, its event): each e-mail asks for what is still open
ASKING_TO_PAY = {
    DEFERRAL_CONFIRMATION: (lambda invoice: grant_deferral(invoice, make_provider(), NOW), ""),
    STOP_CONFIRMATION: (_stopped, "provider:u:s-1"),
    INVOICE_CORRECTED: (_retour, "retour:r.xml"),
    PAYMENT_RECEIVED: (lambda invoice: paid(invoice, 1000), "psp:tr_1"),
}


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
@pytest.mark.parametrize("kind", list(ASKING_TO_PAY))
def test_r12_a_confirmation_asking_to_pay_names_the_account_and_the_kenmerk(kind, language):
    """R12, R36 (audit letters58): a deferral's, a stop's (the coulance's alike, one
    template), a correction's and a part payment's confirmation gave the iDEAL link and no
    account to transfer to, while the invoice names it (0 of 32 parts, nl/en/pl/ar, text
    and HTML), as the arrangement's confirmation does since letters57.
    Given an invoice of a patient in ``language`` with something still to pay after ``kind``
    When its confirmation is rendered
    Then both parts, under the iDEAL link, name zorgnota's IBAN, the account holder and the
    invoice's kenmerk to quote"""
    change, event_id = ASKING_TO_PAY[kind]
    invoice = change(make_invoice(patient=make_person(language=Language(language))))
    email = render(kind, invoice, event_id=event_id)
    sentence = CATALOGUE[language]["email"]["transfer_to_account"]
    for part in (email.text, html.unescape(re.sub(r"<[^>]+>", " ", email.html))):
        shown = part.replace("\u00a0", " ")  # as it shows
        assert sentence.split("{iban}")[0] in shown, shown
        after_link = shown[shown.index(f"{PUBLIC}/?kenmerk=") :]
        assert "NL91 ABNA 0417 1643 00" in after_link, shown
        assert "Stichting Derdengelden zorgnota" in after_link, shown
        assert KENMERK in after_link, shown
