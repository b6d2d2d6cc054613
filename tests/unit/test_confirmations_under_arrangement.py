"""The confirmations a patient under a running arrangement gets (R15, R36): each names the
next term and its date, and what a retour raised as the one more term it is, never
"everything by the next term's date" (audit MONEY2's rest term, changes/arrangement.py).

One invoice through the real use cases: € 57,59 asked, two terms agreed on 25 November
(€ 33,79 by 23 December, € 33,80 by 23 January, the € 10,00 fee in them), then on
1 December the insurer's retour refuses the line the invoice deducted € 18,88 for. The
terms stay as agreed; the € 18,88 is the rest term after them, due 14 days after the last
term (6 February), and not before the raise's own final payment date (31 December)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from billing_core.changes.arrangement import create_arrangement, rest_after_terms
from billing_core.correspondence.confirmations import confirmation_context
from billing_core.correspondence.kinds import (
    COULANCE_DECLINED,
    INVOICE_CORRECTED,
    OBJECTION_ACKNOWLEDGEMENT,
    PAYMENT_RECEIVED,
    STOP_CONFIRMATION,
)
from billing_core.correspondence.render import render_email
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.shared.money import format_euros
from billing_core.texts.catalogue import long_date
from tests.unit.factories import PUBLIC
from tests.unit.test_invoice_pdf import ACCOUNT
from tests.unit.test_retour_raise import DEDUCTED, a_world, at, the_insurer_refuses_the_line

RAISED_ON = date(2026, 12, 1)
FIRST_TERM = (date(2026, 12, 23), 3_379)
REST_TERM = (date(2027, 2, 6), DEDUCTED)  # 23 January + 14 days
TOTAL_OPEN = 3_379 + 3_380 + DEDUCTED  # € 86,47
LANGUAGES = ("nl", "en", "pl", "ar")


def raised_under_an_arrangement():
    """The world after the retour raised the invoice during its arrangement."""
    world = a_world()
    arranged = create_arrangement(world.invoice(), world.provider, 2, at(date(2026, 11, 25)))
    world.store.put_invoice_as_is(arranged)
    the_insurer_refuses_the_line(world, RAISED_ON)
    return world


def test_the_rest_a_retour_raised_is_one_more_term_after_the_agreed_ones():
    """R15, legal-nl.md §7: while the terms are open, the rest is what they will leave open,
    due 14 days after the last one (not before the raise's own final date, 31 December)."""
    invoice = raised_under_an_arrangement().invoice()
    assert invoice.current_final_payment_date == date(2026, 12, 31)
    rest = rest_after_terms(invoice, RAISED_ON)
    assert rest is not None and (rest.due_date, rest.amount_cents) == REST_TERM


def test_the_rest_stays_due_on_the_date_told_when_the_terms_are_paid_early():
    """R15: the letter told 6 February (14 days after the last term); paying both terms
    early on 2 December must not make the rest due earlier (2 December + 14 days, or the
    raise's own final date 31 December) and cancel the arrangement before 6 February."""
    world = raised_under_an_arrangement()
    world.import_transfer(3_379 + 3_380, booked_on=date(2026, 12, 2), at=at(date(2026, 12, 2)))
    rest = rest_after_terms(world.invoice(), date(2026, 12, 2))
    assert rest is not None and (rest.due_date, rest.amount_cents) == REST_TERM


def test_the_retours_email_and_letter_name_the_next_term_and_the_rest_term():
    """R15, R36, legal-nl.md §7 (MONEY2's fix): given the retour of 1 December, the
    "invoice corrected" e-mail (its text part is also the paper letter) says the terms
    stay as agreed, the next € 33,79 by 23 December, and the € 18,88 after the last term
    by 6 February; not "U betaalt nu nog € 86,47, uiterlijk 23 december 2026"."""
    world = raised_under_an_arrangement()
    told = [mail for _, mail, _ in world.outbox.sent if mail.kind == INVOICE_CORRECTED]
    assert len(told) == 1
    for part in (told[0].text, told[0].html):
        assert "U betaalt nu nog €\u00a086,47, uiterlijk" not in part
        assert "uw volgende termijn is €\u00a033,79, uiterlijk 23 december 2026" in part
        assert "betaalt u nog €\u00a018,88 als extra termijn, uiterlijk 6 februari 2027" in part


ARRANGEMENT_KINDS = (
    INVOICE_CORRECTED,
    PAYMENT_RECEIVED,
    STOP_CONFIRMATION,
    COULANCE_DECLINED,
    OBJECTION_ACKNOWLEDGEMENT,
)


def _context(kind, world):
    invoice = world.invoice()
    event_id = {INVOICE_CORRECTED: f"retour:r-{RAISED_ON}", PAYMENT_RECEIVED: "psp:tr_1"}
    if kind == PAYMENT_RECEIVED:  # € 10,00 of the first term paid
        invoice = apply_payment(invoice, IncomingPayment("psp", "tr_1", 1_000, at(RAISED_ON)))
    return confirmation_context(
        kind,
        invoice,
        world.provider,
        event_id=event_id.get(kind, "action-1"),
        today=RAISED_ON,
        pay_url=PUBLIC,
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )


def _sentences(part):
    """The text's sentences (and table rows): what one clause asks is in one of them."""
    text = re.sub(r"<[^>]+>", "\n", part)
    return [s for s in re.split(r"\n|(?<=[.:!?])\s", text) if s.strip()]


@pytest.mark.parametrize("kind", ARRANGEMENT_KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_confirmation_under_an_arrangement_asks_the_next_term_not_everything(kind, language):
    """R15, R36: given the raised invoice under its arrangement, when any confirmation goes
    (a payment received, the retour's or an operator's correction, a stop, the coulance
    declined, an objection acknowledged), then it names the next term's date and the rest
    term's date, and no sentence asks the whole € 86,47 (or what a payment left of it) by
    a date. The objection's acknowledgement names no amount at all (R29)."""
    world = raised_under_an_arrangement()
    email = render_email(kind, _context(kind, world), language)
    next_due, next_amount = FIRST_TERM
    if kind == PAYMENT_RECEIVED:
        next_amount -= 1_000
    rest_due, rest_amount = REST_TERM
    open_amount = TOTAL_OPEN - (1_000 if kind == PAYMENT_RECEIVED else 0)
    dates = [long_date(day, language) for day in (next_due, rest_due, RAISED_ON)]
    for part in (email.text, email.html):
        assert long_date(next_due, language) in part and long_date(rest_due, language) in part
        if kind == OBJECTION_ACKNOWLEDGEMENT:
            assert "€" not in part
            continue
        assert format_euros(next_amount, language) in part
        assert format_euros(rest_amount, language) in part
        everything = format_euros(open_amount, language)
        asked_by_a_date = [
            s for s in _sentences(part) if everything in s and any(d in s for d in dates)
        ]
        assert asked_by_a_date == []


# --- the checker lists the rest as the letters name it (R10, R15, R36) -----------------------


def _checker_view(world):
    from billing_core.services.patient import PatientContext, payment_status

    return payment_status(
        world.invoice().reference, PatientContext(world.store, world.queue, world.clock)
    )


def test_the_checker_lists_the_rest_term_while_the_terms_run_as_the_letters_name_it():
    """R10, R15 (closing14: the checker listed the rest only once the agreed terms were
    settled): given the retour's € 18,88 raise while both terms are open, when the patient
    looks on the day of the retour, then the checker's list of terms (and the patient
    API's ``arrangement_terms``) has the two agreed terms and the rest as one more term,
    with the date and amount the "invoice corrected" e-mail names (6 February, € 18,88),
    and the view holds that rest apart as the extra term the letters name."""
    from billing_core.entrypoints.http.patient_models import PaymentStatusOut

    world = raised_under_an_arrangement()
    first, last = world.invoice().arrangement.terms
    view = _checker_view(world)
    told = _context(INVOICE_CORRECTED, world)["rest_term"]

    rest_due, rest_amount = REST_TERM
    assert (told["due_date"], told["amount_cents"]) == REST_TERM
    assert [(t.due_date, t.amount_cents) for t in view.arrangement_terms] == [
        (first.due_date, first.amount_cents),
        (last.due_date, last.amount_cents),
        REST_TERM,
    ]
    assert view.extra_term is not None
    assert (view.extra_term.due_date, view.extra_term.amount_cents) == REST_TERM
    listed = PaymentStatusOut.of(view, PUBLIC).arrangement_terms
    assert [(t.due_date, t.amount) for t in listed][-1] == (rest_due, rest_amount)


def test_the_checker_computes_the_rest_once_per_look(monkeypatch):
    """R10, R15 (known.md, stop 36): the rest is computed by paying the open terms in a copy
    of the invoice; given the retour's raise while both terms run, when the patient looks,
    then the checker's list of terms and its extra term come from one computation of it."""
    from billing_core.changes import arrangement
    from billing_core.services import patient

    world = raised_under_an_arrangement()
    calls = []

    def counted(invoice, today):
        calls.append(today)
        return rest_after_terms(invoice, today)

    monkeypatch.setattr(arrangement, "rest_after_terms", counted)
    monkeypatch.setattr(patient, "rest_after_terms", counted)
    view = _checker_view(world)
    assert view.extra_term is not None and view.arrangement_terms[-1] == view.extra_term
    assert len(calls) == 1


def test_once_the_terms_are_settled_the_rest_is_the_next_term_not_an_extra_one():
    """R15: given both terms paid on 2 December, the rest is the term to pay now: listed
    last among the terms, named as the next term, and no longer as an extra one (as the
    letters stop naming it beside the next term)."""
    world = raised_under_an_arrangement()
    world.import_transfer(3_379 + 3_380, booked_on=date(2026, 12, 2), at=at(date(2026, 12, 2)))
    view = _checker_view(world)
    assert (view.arrangement_terms[-1].due_date, view.arrangement_terms[-1].amount_cents) == (
        REST_TERM
    )
    assert view.extra_term is None
    assert (view.breakdown.pay_by, view.breakdown.term_cents) == REST_TERM


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_checker_page_names_the_extra_term_in_every_language(language):
    """R9, R36: the page says what the letters say: after the last term, € 18,88 more as
    one extra term by 6 February 2027, in nl, en, pl and ar."""
    from billing_core.entrypoints.web.checker_page import render_checker

    page = render_checker(language, _checker_view(raised_under_an_arrangement()))
    sentence = re.search(r'<p id="rest-term">(.*?)</p>', page, re.S)
    assert sentence is not None
    rest_due, rest_amount = REST_TERM
    assert long_date(rest_due, language) in sentence.group(1)
    assert format_euros(rest_amount, language) in sentence.group(1)
    assert "&lt;" not in sentence.group(1)  # no markup escaped into the words
