"""What the patient is told when the treatments are forgiven and what is left holds the fee
of a cancelled instalment arrangement (R15, R21, R13, R9, legal-nl.md §2-§5, audit fee50).

The fee is booked on the costs and a stop of (a part of) the invoice forgives the principal
only: once all of the treatments are forgiven, what is left can be the fee, with or
without collection costs and interest. The e-mails that say what is left (audit words50)
then name the fee as the arrangement's, never as collection costs (BIK, legal-nl.md §2),
as the checker's breakdown does ("Kosten betalingsregeling"); a fee paid long ago is no
part of what is left and keeps nobody from being told that costs and interest are.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from billing_core.changes.arrangement import create_arrangement
from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.correspondence.confirmations import _LEFT_ONLY, confirmation_context
from billing_core.correspondence.kinds import PAYMENT_RECEIVED, STOP_CONFIRMATION
from billing_core.correspondence.render import render_email
from billing_core.declarations.claims import Language
from billing_core.invoices.invoice import DunningStage
from billing_core.invoices.ledger import Component, balance
from billing_core.invoices.open_costs import open_costs
from billing_core.shared.clock import AMSTERDAM
from billing_core.texts.catalogue import LANGUAGES
from billing_core.texts.letters import CATALOGUE
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import PUBLIC, make_person
from tests.unit.test_invoice_pdf import ACCOUNT
from tests.unit.test_only_costs_and_interest_left import (
    ANY_LEFT_ONLY,
    COSTS_AND_INTEREST,
    both_parts,
)

PRINCIPAL = 30_000  # two terms of at least € 25,00 (R15)
FEE = 1_000  # the provider's default arrangement fee
MADE = datetime(2026, 12, 1, 12, 0, tzinfo=AMSTERDAM)  # first term 23 Dec, second 23 Jan
CANCELLED = date(2027, 1, 7)  # the first term missed by more than 14 days: the reminder
FINAL_DATE = date(2027, 1, 21)  # the reminder's term; the costs on 22 January
STOP_CAUSE = "provider:u:s-1"

FEE_ONLY = {
    "nl": "Van de behandelingen hoeft u niets meer te betalen. Wat nog openstaat, zijn de "
    "kosten van de betalingsregeling.",
    "en": "What is still open is the instalment arrangement fee.",
    "pl": "Pozostała kwota to koszt planu ratalnego.",
    "ar": "المبلغ المتبقي هو تكلفة خطة التقسيط.",
}
COSTS_FEE_AND_INTEREST = {
    "nl": "Van de behandelingen hoeft u niets meer te betalen. Wat nog openstaat, zijn "
    "incassokosten, de kosten van de betalingsregeling en wettelijke rente.",
    "en": "What is still open is collection costs, the instalment arrangement fee and "
    "statutory interest.",
    "pl": "Pozostała kwota to pozasądowe koszty windykacji, koszt planu ratalnego i odsetki "
    "ustawowe.",
    "ar": "المبلغ المتبقي هو تكاليف التحصيل وتكلفة خطة التقسيط والفائدة القانونية.",
}


def arranged(language: str) -> DunningWorld:
    """Given € 300,00 of a patient who reads ``language`` and a two-term arrangement made
    on 1 December 2026 (fee € 10,00), of which nothing is paid."""
    patient = make_person(language=Language(language))
    world = DunningWorld([one_invoice(PRINCIPAL, patient=patient)])
    world.store.save_invoice(create_arrangement(world.invoice(), world.provider, 2, MADE))
    return world


def noon(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=AMSTERDAM) + timedelta(hours=12)


def treatments_stopped(world: DunningWorld, day: date) -> None:
    """The practice forgives what is open of the treatments (a part, R21): the principal
    only, not the fee, the costs or the interest."""
    open_principal = balance(world.invoice().ledger, Component.PRINCIPAL)
    request = StopRequest(StopScope.PARTIAL, "goodwill", "", True, amount_cents=open_principal)
    world.store.save_invoice(apply_stop(world.invoice(), request, noon(day), STOP_CAUSE))
    assert balance(world.invoice().ledger, Component.PRINCIPAL) == 0


def stop_confirmation(world: DunningWorld, today: date):  # type: ignore[no-untyped-def]
    invoice = world.invoice()
    context = confirmation_context(
        STOP_CONFIRMATION,
        invoice,
        world.provider,
        event_id=STOP_CAUSE,
        today=today,
        pay_url=PUBLIC,
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    return render_email(STOP_CONFIRMATION, context, invoice.language.value)


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_a_stop_that_leaves_only_the_arrangement_fee_names_the_fee(language):
    """R15, R21, R9 (audit fee50). Given the arrangement cancelled on 7 January for the
    missed first term, the reminder's term running (no costs, no interest yet),
    When on 10 January the practice stops all of the treatments, Then the stop's e-mail
    says that nothing of the treatments is left and what is open is the arrangement's fee,
    before "U betaalt nu nog € 10,00", in both parts; before, the amount alone."""
    world = arranged(language)
    world.run_days(date(2026, 12, 2), CANCELLED)
    treatments_stopped(world, date(2027, 1, 10))
    assert open_costs(world.invoice().ledger).fee_cents == FEE
    assert world.money(date(2027, 1, 10)).due == FEE
    email = stop_confirmation(world, date(2027, 1, 10))
    for part in both_parts(email):
        assert FEE_ONLY[language] in part


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_a_stop_after_the_costs_names_the_costs_the_fee_and_the_interest(language):
    """R15, R21, R20, legal-nl.md §2-§4 (audit fee50). Given the same arrangement cancelled,
    the reminder's term passed and the € 45,00 costs charged on 22 January, When on 25
    January the practice stops all of the treatments, Then the e-mail names collection
    costs, the arrangement's fee and statutory interest as what is open, in both parts;
    before, "U betaalt nu nog € 55,..." alone."""
    world = arranged(language)
    world.run_days(date(2026, 12, 2), date(2027, 1, 25))
    assert world.invoice().dunning_stage is DunningStage.COSTS_CHARGED
    treatments_stopped(world, date(2027, 1, 25))
    email = stop_confirmation(world, date(2027, 1, 25))
    for part in both_parts(email):
        assert COSTS_FEE_AND_INTEREST[language] in part
        assert FEE_ONLY[language] not in part


def test_a_payment_of_a_part_of_the_fee_says_the_rest_is_the_fee():
    """R13, R15, R12 (audit fee50). Given the treatments stopped on 10 January with only
    the € 10,00 fee open, When the patient transfers € 4,00, Then the "payment received"
    e-mail says that what is open is the arrangement's fee, before "Er staat nog
    € 6,00 open"; before, the amount alone."""
    world = arranged("nl")
    world.run_days(date(2026, 12, 2), CANCELLED)
    treatments_stopped(world, date(2027, 1, 10))
    sent = len(world.outbox.sent)
    world.import_transfer(400, booked_on=date(2027, 1, 11), at=noon(date(2027, 1, 11)))
    (email,) = [email for _, email, _ in world.outbox.sent[sent:]]
    assert email.kind == PAYMENT_RECEIVED
    for part in both_parts(email):
        assert FEE_ONLY["nl"] in part
        assert "Er staat nog €\u00a06,00 open" in part


def test_a_fee_paid_with_the_first_term_keeps_no_one_from_being_told_costs_are_left():
    """R15, R13, R21, legal-nl.md §2-§5 (audit fee50). Given the first term paid on 20
    December (the fee with it: costs first), the second term missed, the arrangement
    cancelled and the costs charged, When the practice stops what is left of the
    treatments, Then the e-mail says that what is open is collection costs and statutory
    interest, without a word of the fee; before, nothing, as the fee was once charged."""
    world = arranged("nl")
    first_term = world.invoice().arrangement.terms[0].amount_cents  # type: ignore[union-attr]
    world.run_days(date(2026, 12, 2), date(2026, 12, 19))
    world.import_transfer(first_term, booked_on=date(2026, 12, 20), at=noon(date(2026, 12, 20)))
    world.run_days(date(2026, 12, 20), date(2027, 2, 25))
    assert world.invoice().dunning_stage is DunningStage.COSTS_CHARGED
    assert open_costs(world.invoice().ledger).fee_cents == 0
    treatments_stopped(world, date(2027, 2, 25))
    email = stop_confirmation(world, date(2027, 2, 25))
    for part in both_parts(email):
        assert COSTS_AND_INTEREST["nl"] in part
        assert "betalingsregeling" not in part


def test_under_a_running_arrangement_the_e_mail_names_the_term_not_what_is_left():
    """R15, R36 (audit fee50): while the arrangement runs, the e-mail asks its next term;
    a stop of all of the treatments then says nothing of what is left, as before."""
    world = arranged("nl")
    treatments_stopped(world, date(2026, 12, 10))
    email = stop_confirmation(world, date(2026, 12, 10))
    assert "termijn" in email.text
    assert not any(words in email.text for words in ANY_LEFT_ONLY)


FEE_NAMES = ("betalingsregeling", "instalment arrangement fee", "planu ratalnego", "خطة التقسيط")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_choice_of_what_is_left_has_its_words_and_names_the_fee_only_when_open(language):
    """R9, R15 (audit fee50): each of the sentences the e-mails can choose (collection costs,
    the arrangement's fee, interest, each combination) exists in every patient language,
    and names the arrangement's fee exactly when the fee is part of what is left."""
    for (_costs, fee, _interest), key in _LEFT_ONLY.items():
        words = CATALOGUE[language]["email"][key]
        assert fee == any(name in words for name in FEE_NAMES), (key, words)
        assert language == "nl" or words != CATALOGUE["nl"]["email"][key]
