"""What the patient is told when the treatments are paid for or forgiven and only collection
costs and statutory interest are left (R21, R13, R17, R9, legal-nl.md §2-§5, audit words50).

A stop, a coulance or a credit lowers the principal only, and a payment pays the costs and
the interest first: what is left can be costs and interest only. Every e-mail that states
what is left then says so before the amount, in one set of words (the ``email`` section's
``left_*``), chosen in one place (correspondence.confirmations), in every language and
both parts: the stop (stopwords, test_confirmation_emails), the correction, the coulance
declined and the payment received.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from billing_core.changes.coulance import STATEMENT_CAUSE, proposal_for, with_statement
from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.correspondence.confirmations import confirmation_context
from billing_core.correspondence.kinds import COULANCE_DECLINED, INVOICE_CORRECTED
from billing_core.correspondence.render import render_email
from billing_core.declarations.claims import Language
from billing_core.declarations.credit_corrections import with_credit
from billing_core.invoices.invoice import DunningStage, InsurerStatement
from billing_core.invoices.ledger import Component, balance
from billing_core.shared.clock import AMSTERDAM
from tests.unit.claim_factories import claim
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import PUBLIC, make_person
from tests.unit.test_invoice_pdf import ACCOUNT

PRINCIPAL = 3317  # one line "L-1"; with the costs on 15 January: € 40,00 BIK
AT = datetime(2027, 1, 20, 9, 0, tzinfo=AMSTERDAM)  # five days after the costs
DECLARATION = "declaration:D-2"  # the later upload with the credit line

COSTS_AND_INTEREST = {
    "nl": "Van de behandelingen hoeft u niets meer te betalen. Wat nog openstaat, zijn "
    "incassokosten en wettelijke rente.",
    "en": "What is still open is collection costs and statutory interest.",
    "pl": "Pozostała kwota to pozasądowe koszty windykacji i odsetki ustawowe.",
    "ar": "المبلغ المتبقي هو تكاليف التحصيل والفائدة القانونية.",
}
INTEREST_ONLY = {
    "nl": "Van de behandelingen hoeft u niets meer te betalen. Wat nog openstaat, is "
    "wettelijke rente.",
    "en": "What is still open is statutory interest.",
    "pl": "Pozostała kwota to odsetki ustawowe.",
    "ar": "المبلغ المتبقي هو الفائدة القانونية.",
}
ANY_LEFT_ONLY = ("Van de behandelingen", "for the treatments", "Za leczenie", "مقابل العلاج")


def dunned(language: str) -> DunningWorld:
    """Given € 33,17 of a patient who reads ``language``, the reminder on 31 December and
    the € 40,00 collection costs on 15 January unpaid, the day runs up to 20 January."""
    patient = make_person(language=Language(language))
    world = DunningWorld([one_invoice(PRINCIPAL, patient=patient)])
    world.run_days(date(2026, 12, 31), date(2027, 1, 20))
    return world


def rendered(world: DunningWorld, kind: str, invoice, event_id: str):  # type: ignore[no-untyped-def]
    context = confirmation_context(
        kind,
        invoice,
        world.provider,
        event_id=event_id,
        today=AT.date(),
        pay_url=PUBLIC,
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    return render_email(kind, context, invoice.language.value)


def both_parts(email) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    return email.text, html.unescape(email.html)


def credited(world: DunningWorld, cents: int):  # type: ignore[no-untyped-def]
    """The later upload's credit line of ``cents`` of line L-1 (vektis.md §1, R3)."""
    invoice = world.invoice()
    credit = claim(
        "C-1",
        patient_ref=invoice.patient_ref,
        bsn=invoice.bsn,
        unit_price_cents=-cents,
        reverses_claim_ref="L-1",
    )
    return with_credit(invoice, credit, AT, DECLARATION)


def stopped_in_full(world: DunningWorld):  # type: ignore[no-untyped-def]
    request = StopRequest(StopScope.PARTIAL, "goodwill", "", True, percentage=Decimal(100))
    return apply_stop(world.invoice(), request, AT, "provider:u:s-1")


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_a_credit_of_all_the_treatments_after_the_costs_says_only_costs_are_left(language):
    """R21, R9, legal-nl.md §2-§4 (audit words50). Given € 33,17 with the costs charged,
    When a later upload credits its only line in full, Then the e-mail that the invoice
    was corrected says that nothing of the treatments is left and what is open is
    collection costs and statutory interest, before the amount, in both parts; before, it
    said only "U betaalt nu nog € 40,..."."""
    world = dunned(language)
    corrected = credited(world, PRINCIPAL)
    assert balance(corrected.ledger, Component.PRINCIPAL) == 0
    assert balance(corrected.ledger, Component.COSTS) == 4000
    email = rendered(world, INVOICE_CORRECTED, corrected, DECLARATION)
    for part in both_parts(email):
        assert COSTS_AND_INTEREST[language] in part


def test_a_credit_that_leaves_a_part_of_the_treatments_says_nothing_of_costs_only():
    """R21 (audit words50): Given the same invoice, When the credit is € 10,00 of its
    € 33,17, Then the e-mail names the new amount as before, without the sentence."""
    world = dunned("nl")
    email = rendered(world, INVOICE_CORRECTED, credited(world, 1000), DECLARATION)
    assert "U betaalt nu nog €\u00a063," in email.text
    assert not any(words in email.text for words in ANY_LEFT_ONLY)


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_a_statement_with_nothing_left_to_forgive_says_only_costs_are_left(language):
    """R17, R21, legal-nl.md §7 (audit words50). Given € 33,17 with the costs charged and
    all of its treatments stopped by the practice, When the patient then sends the
    insurer's statement, Then the policy has nothing to forgive and the e-mail that the
    amount stays as it is says that what is open is collection costs and statutory
    interest, in both parts; before, "U betaalt € 40,..." alone."""
    world = dunned(language)
    statement = InsurerStatement(1000, 0, AT)
    received = with_statement(stopped_in_full(world), statement)
    assert proposal_for(received, world.provider, statement).coulance_cents == 0
    email = rendered(world, COULANCE_DECLINED, received, STATEMENT_CAUSE)
    for part in both_parts(email):
        assert COSTS_AND_INTEREST[language] in part


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_a_payment_after_all_the_treatments_were_stopped_says_what_is_still_open(language):
    """R13, R21, R11, R12, legal-nl.md §5 (audit words50). Given € 33,17 with the costs
    charged and all of its treatments stopped (€ 40,00 costs and interest left),
    When the patient transfers € 20,00, and later the € 20,00 of the costs still open,
    Then each "payment received" e-mail says what the rest is: first collection costs
    and statutory interest, then statutory interest only, before "Er staat nog ... open";
    before, the amount alone."""
    world = dunned(language)
    world.store.save_invoice(stopped_in_full(world))
    sent = len(world.outbox.sent)
    world.import_transfer(2000, booked_on=AT.date(), at=AT)
    costs_left = balance(world.invoice().ledger, Component.COSTS)
    assert costs_left == 2000 and balance(world.invoice().ledger, Component.PRINCIPAL) == 0
    world.import_transfer(costs_left, booked_on=date(2027, 1, 21), at=AT.replace(day=21))
    assert world.money(date(2027, 1, 21)).due > 0  # the interest is still open
    first, second = [email for _, email, _ in world.outbox.sent[sent:]]
    for part in both_parts(first):
        assert COSTS_AND_INTEREST[language] in part and INTEREST_ONLY[language] not in part
    for part in both_parts(second):
        assert INTEREST_ONLY[language] in part


def test_a_payment_that_leaves_a_part_of_the_treatments_says_nothing_of_costs_only():
    """R13 (audit words50): Given the same invoice with the costs charged, When the
    patient pays € 50,00 of it (costs, interest, then treatments), Then the e-mail says
    what is still open as before, without the sentence."""
    world = dunned("nl")
    sent = len(world.outbox.sent)
    world.import_transfer(5000, booked_on=AT.date(), at=AT)
    (email,) = [email for _, email, _ in world.outbox.sent[sent:]]
    assert balance(world.invoice().ledger, Component.PRINCIPAL) > 0
    assert "Er staat nog €\u00a023," in email.text
    assert not any(words in email.text for words in ANY_LEFT_ONLY)


def test_with_the_agency_the_e_mail_says_only_that_the_agency_collects():
    """R22, R34 (audit words50): the agency collects a claim handed over, so its e-mail
    names no costs and interest of ours, as the stop's did (stopwords)."""
    world = dunned("nl")
    corrected = credited(world, PRINCIPAL)
    at_agency = replace(corrected, dunning_stage=DunningStage.WITH_COLLECTION_AGENCY)
    email = rendered(world, INVOICE_CORRECTED, at_agency, DECLARATION)
    assert "incassobureau" in email.text
    assert not any(words in email.text for words in ANY_LEFT_ONLY)
