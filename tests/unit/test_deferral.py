"""Deferral of payment, uitstel van betaling (R14): free, once, +30 days (configurable)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from billing_core.changes.deferral import deferral_refusal, deferred_until, grant_deferral
from billing_core.invoices.invoice import Arrangement, ArrangementTerm, Deferral, DunningStage
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import Refused, StateConflict
from tests.unit.factories import make_invoice, make_provider

NOW = datetime(2026, 12, 1, 10, 30, tzinfo=AMSTERDAM)
TODAY = NOW.date()
PAID = LedgerEntry(EntryKind.PAYMENT, Component.PRINCIPAL, -3317, NOW, "psp:tr_1")
COSTS_CHARGED = {"dunning_stage": DunningStage.COSTS_CHARGED, "costs_charged_on": date(2027, 1, 15)}


def test_a_deferral_moves_the_final_payment_date_by_30_days():
    # Given an invoice with final payment date 23 December 2026
    invoice = make_invoice()
    # When the patient asks for a deferral on 1 December
    deferred = grant_deferral(invoice, make_provider(), NOW)
    # Then the current final payment date is 22 January 2027; the invoice's own date stays
    assert deferred.current_final_payment_date == date(2027, 1, 22)
    assert deferred.final_payment_date == date(2026, 12, 23)
    assert deferred.deferral == Deferral(granted_at=NOW, until=date(2027, 1, 22))
    assert deferred.ledger == invoice.ledger  # free: no money changes (R14)


def test_the_number_of_days_is_the_providers():
    provider = make_provider(deferral_days=14)
    assert deferred_until(make_invoice(), provider) == date(2027, 1, 6)


@pytest.mark.parametrize(
    "change, today, code",
    [
        ({}, TODAY, None),
        ({"deferral": Deferral(NOW, date(2027, 1, 22))}, TODAY, "already_deferred"),
        ({"dunning_stage": DunningStage.WITH_COLLECTION_AGENCY}, TODAY, "with_collection_agency"),
        ({"dunning_stage": DunningStage.REMINDED}, date(2027, 1, 5), None),
        ({"ledger": "paid"}, TODAY, "paid"),
        (
            {"arrangement": Arrangement(NOW, (ArrangementTerm(date(2027, 1, 1), 3317),), 0)},
            TODAY,
            "arrangement_exists",
        ),
        # 23 Dec + 30 days = 22 Jan: still some time on 22 Jan, none on 23 Jan
        ({}, date(2027, 1, 22), None),
        ({}, date(2027, 1, 23), "deferral_too_late"),
        # R14, audit patient D2: after the costs the second notice's last day counts (28 Jan,
        # the handover follows it): 22 Jan would move nothing, 60 days would not hold it
        (COSTS_CHARGED, date(2027, 1, 16), "deferral_gives_no_time"),
        (COSTS_CHARGED, date(2027, 1, 22), "deferral_gives_no_time"),
    ],
)
def test_when_a_deferral_is_refused(change, today, code):
    change = dict(change)
    invoice = make_invoice()
    if change.pop("ledger", None) == "paid":
        change["ledger"] = (*invoice.ledger, PAID)
    assert deferral_refusal(replace(invoice, **change), make_provider(), today) == code


def test_after_the_costs_not_even_a_longer_deferral_is_granted():
    """R14: the provider's 60 days would reach past 28 January, but dunning keeps the
    second notice's date and hands over the day after: it would extend nothing."""
    invoice = replace(make_invoice(), **COSTS_CHARGED)
    assert deferral_refusal(invoice, make_provider(deferral_days=60), date(2027, 1, 20)) == (
        "deferral_gives_no_time"
    )


def test_a_second_deferral_is_a_state_conflict_with_a_message_in_both_languages():
    once = grant_deferral(make_invoice(), make_provider(), NOW)
    with pytest.raises(StateConflict) as refused:
        grant_deferral(once, make_provider(), NOW)
    assert refused.value.code == "already_deferred"
    assert "één keer" in refused.value.message("nl")
    assert "once" in refused.value.message("en")
    assert isinstance(refused.value, Refused)


@pytest.mark.parametrize(
    "hold_until, code",
    [
        # R16: dunning waits for 15 January anyway; 22 January moves the date that counts
        (date(2027, 1, 15), None),
        # a hold to 31 January outlasts the deferred 22 January: it would give no time
        (date(2027, 1, 31), "deferral_gives_no_time"),
    ],
)
def test_during_a_hold_a_deferral_must_reach_past_its_end(hold_until, code):
    # Given an invoice (final payment date 23 December) on hold, and 30 days' deferral
    invoice = replace(make_invoice(), hold_until=hold_until, hold_days_used=50)
    # When the patient asks on 10 December
    refusal = deferral_refusal(invoice, make_provider(), date(2026, 12, 10))
    # Then it is granted only when the deferred date lies after the hold's end
    assert refusal == code


@pytest.mark.parametrize(
    "change, today",
    [
        ({}, date(2027, 1, 23)),  # deferral_too_late
        (COSTS_CHARGED, date(2027, 1, 20)),  # deferral_gives_no_time
    ],
)
@pytest.mark.parametrize("min_term_cents, points_to_arrangement", [(500, True), (25000, False)])
def test_a_refused_deferral_points_to_an_arrangement_only_when_one_is_possible(
    change, today, min_term_cents, points_to_arrangement
):
    """R14, R15: "U kunt wel een betalingsregeling treffen" only where the checker would
    grant one; €33.17 is too small for two terms of €250 (amount_too_small)."""
    # Given an invoice too late to defer, and a provider whose minimum term allows or
    # refuses an arrangement of it
    invoice = replace(make_invoice(), **change)
    now = datetime.combine(today, NOW.timetz())
    # When the patient asks for a deferral
    with pytest.raises(StateConflict) as refused:
        grant_deferral(invoice, make_provider(arrangement_min_term_cents=min_term_cents), now)
    # Then the code stays, and every language invites an arrangement only when possible
    assert refused.value.code in ("deferral_too_late", "deferral_gives_no_time")
    invitations = {
        "nl": "betalingsregeling treffen",
        "en": "arrange to pay in instalments",
        "pl": "plan ratalny",
        "ar": "خطة تقسيط",
    }
    for language, invitation in invitations.items():
        message = refused.value.message(language)
        assert (invitation in message) is points_to_arrangement, (language, message)
