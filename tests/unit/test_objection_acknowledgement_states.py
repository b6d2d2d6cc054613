"""The objection's acknowledgement says what the checker says about paying (R16, R36):
an objection may come on an invoice already paid, stopped or handed over to the
collection agency (audit round 44 objections, OBJ-1). The acknowledgement then does not
ask the patient to pay "the amount" by the invoice's final date: nothing is open, or
the agency collects it (R21, R22, R34)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.correspondence.confirmations import confirmation_context
from billing_core.correspondence.kinds import OBJECTION_ACKNOWLEDGEMENT
from billing_core.correspondence.links import pay_url
from billing_core.correspondence.render import render_email
from billing_core.invoices.invoice import DunningStage, InvoiceStatus
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.shared.clock import AMSTERDAM
from billing_core.texts.catalogue import long_date
from billing_core.texts.letters import CATALOGUE
from tests.unit.factories import PUBLIC, make_invoice, make_provider
from tests.unit.test_invoice_pdf import ACCOUNT

NOW = datetime(2026, 11, 25, 19, 0, tzinfo=AMSTERDAM)
TODAY = NOW.date()
LANGUAGES = ["nl", "en", "pl", "ar"]
FINAL_DATE = date(2026, 12, 23)  # the factory invoice's final payment date


def _render(invoice, language, today=TODAY):
    context = confirmation_context(
        OBJECTION_ACKNOWLEDGEMENT,
        invoice,
        make_provider(),
        event_id="objection-1",
        today=today,
        pay_url=pay_url(PUBLIC, invoice),
        public_base_url=PUBLIC,
        account=ACCOUNT,
    )
    return context, render_email(OBJECTION_ACKNOWLEDGEMENT, context, language)


def _text(language, key):
    return CATALOGUE[language]["email.objection_acknowledgement"][key]


def _paid_in_full(invoice):
    payment = IncomingPayment("bank", "E2E-1", invoice.amount_due_cents, NOW)
    return apply_payment(invoice, payment)


def _stopped_whole(invoice):
    request = StopRequest(StopScope.FULL, "goodwill", "", True)
    return apply_stop(replace(invoice, status=InvoiceStatus.SENT), request, NOW, "provider:u:s-1")


def _asks_to_pay(language):
    """The opening words every "still due" sentence shares: "An objection does not
    suspend payment. Unless {provider} tells you otherwise, ..." up to the provider."""
    return _text(language, "still_due").split("{provider}")[0]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("settle", [_paid_in_full, _stopped_whole], ids=["paid", "stopped"])
def test_r16_an_objection_on_an_invoice_with_nothing_open_asks_no_payment(settle, language):
    """R16, R21, R36. Given an invoice paid in full, or stopped whole by the practice
    (nothing open: the checker says so), when its patient objects, then the
    acknowledgement says nothing is open, and does not ask to pay the amount by the
    invoice's final date."""
    invoice = settle(make_invoice())
    context, email = _render(invoice, language)
    assert context["amount_due_cents"] == 0
    for part in (email.text, email.html):
        assert _text(language, "nothing_due") in part
        assert _asks_to_pay(language) not in part
        assert long_date(FINAL_DATE, language) not in part


AGENCY_COLLECTS = {
    "nl": "overgedragen aan het incassobureau",
    "en": "handed over to the collection agency",
    "pl": "przekazana do biura windykacyjnego",
    "ar": "(incassobureau)",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_r16_an_objection_on_a_claim_with_the_agency_names_the_agency(language):
    """R16, R22, R34, R36. Given a claim handed over to the collection agency on 29
    January, when its patient objects on 2 February, then the acknowledgement says the
    agency collects it, as the checker and every other e-mail do: not "please pay the
    amount" with no word of to whom, and no pay link of ours."""
    handed = replace(
        make_invoice(),
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=date(2027, 1, 29),
    )
    context, email = _render(handed, language, today=date(2027, 2, 2))
    assert context["amount_due_cents"] > 0
    for part in (email.text, email.html):
        assert AGENCY_COLLECTS[language] in part
        assert _text(language, "still_due_passed") not in part
        assert context["pay_url"] not in part
