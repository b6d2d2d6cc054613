"""What the daily run must do for one invoice on one day (R19; R14-R16 pause or move it).

The sample invoice's final payment date is 2026-12-23: the first day of default is
2026-12-24 (legal-nl.md §2), the reminder is due 7 days later, on 2026-12-31.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from pydantic import ValidationError

from billing_core.dunning.policy import DunningPolicy
from billing_core.dunning.timeline import NOTHING_EVER, Plan, Step, plan
from billing_core.invoices.invoice import (
    Arrangement,
    ArrangementTerm,
    Deferral,
    DunningStage,
    InsurerStatement,
    InvoiceStatus,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import CHARGED, REMINDED, make_invoice

POLICY = DunningPolicy()
SENT = {"status": InvoiceStatus.SENT}
PAID_IN_FULL = LedgerEntry(
    EntryKind.PAYMENT,
    Component.PRINCIPAL,
    -3317,
    datetime(2026, 12, 1, tzinfo=AMSTERDAM),
    "psp:tr_1",
)
ADJUSTED = InsurerStatement(
    3000,
    0,
    datetime(2027, 1, 5, tzinfo=AMSTERDAM),
    adjusted_at=datetime(2027, 1, 5, tzinfo=AMSTERDAM),
)
WRONG_STOP = LedgerEntry(
    EntryKind.COULANCE,
    Component.PRINCIPAL,
    -1000,
    datetime(2026, 12, 20, tzinfo=AMSTERDAM),
    "provider:u:stop-1",
)


def corrected_on(day: date) -> dict[str, object]:
    """The sample ledger with a coulance an operator corrected on ``day`` (R34)."""
    ledger = (*make_invoice().ledger, WRONG_STOP)
    cause = f"correction:{len(ledger)}:operator:op-1"
    at = datetime.combine(day, datetime.min.time(), tzinfo=AMSTERDAM).replace(hour=10)
    reversal = LedgerEntry(EntryKind.COULANCE, Component.PRINCIPAL, 1000, at, cause)
    return {"ledger": (*ledger, reversal)}


ARRANGEMENT = Arrangement(
    created_at=datetime(2026, 12, 28, tzinfo=AMSTERDAM),
    terms=(ArrangementTerm(date(2027, 1, 11), 1700), ArrangementTerm(date(2027, 2, 11), 1617)),
    fee_cents=0,
    ledger_start=2,
)


@pytest.mark.parametrize(
    "changes, today, expected",
    [
        # Given a sent, unpaid invoice, when the reminder day comes, then the reminder is due
        ({}, date(2026, 12, 30), Plan(None, date(2026, 12, 31))),
        ({}, date(2026, 12, 31), Plan(Step.REMINDER, None)),
        ({}, date(2027, 2, 1), Plan(Step.REMINDER, None)),  # a missed day is caught up
        # R14: a deferral moves the default, so the reminder too
        (
            {"deferral": Deferral(datetime(2026, 12, 20, tzinfo=AMSTERDAM), date(2027, 1, 22))},
            date(2026, 12, 31),
            Plan(None, date(2027, 1, 30)),
        ),
        # R16: the provider's hold pauses dunning until the day after it ends
        ({"hold_until": date(2027, 1, 10)}, date(2026, 12, 31), Plan(None, date(2027, 1, 11))),
        ({"hold_until": date(2027, 1, 10)}, date(2027, 1, 11), Plan(Step.REMINDER, None)),
        # R15: a running arrangement pauses it until a term is missed by more than 14 days
        ({"arrangement": ARRANGEMENT}, date(2026, 12, 31), Plan(None, date(2027, 1, 26))),
        ({"arrangement": ARRANGEMENT}, date(2027, 1, 26), Plan(Step.REMINDER, None)),
        # the 14-day term runs out: costs the day after the reminder's final date
        (REMINDED, date(2027, 1, 14), Plan(None, date(2027, 1, 15))),
        (REMINDED, date(2027, 1, 15), Plan(Step.COSTS, None)),
        # a deferral granted in the reminder's term moves the default: no costs on that
        # letter, a new reminder 7 days into the new default (issue 12, legal-nl.md §2;
        # costs on the day after the new final date were charged without a letter)
        (
            {
                **REMINDED,
                "deferral": Deferral(datetime(2027, 1, 2, tzinfo=AMSTERDAM), date(2027, 1, 22)),
            },
            date(2027, 1, 15),
            Plan(None, date(2027, 1, 30)),
        ),
        (
            {
                **REMINDED,
                "deferral": Deferral(datetime(2027, 1, 2, tzinfo=AMSTERDAM), date(2027, 1, 22)),
            },
            date(2027, 1, 30),
            Plan(Step.REMINDER, None),
        ),
        # an amount adjusted by the insurer's statement after the reminder gets a new
        # final payment date (legal-nl.md §7): the letter asked the old amount, so no
        # costs on it; a new reminder 7 days into the new default (audit care D2)
        (
            {**REMINDED, "final_payment_date": date(2027, 2, 4), "insurer_statement": ADJUSTED},
            date(2027, 1, 15),
            Plan(None, date(2027, 2, 12)),
        ),
        (
            {**REMINDED, "final_payment_date": date(2027, 2, 4), "insurer_statement": ADJUSTED},
            date(2027, 2, 12),
            Plan(Step.REMINDER, None),
        ),
        # an operator's correction after the reminder asks again for a coulance entered
        # by mistake, with a new final payment date (legal-nl.md §7, audit BACKOFFICE3):
        # the letter asked the lower amount, so no costs on it; a new reminder 7 days into
        # the new default
        (
            {**REMINDED, "final_payment_date": date(2027, 2, 4), **corrected_on(date(2027, 1, 5))},
            date(2027, 1, 15),
            Plan(None, date(2027, 2, 12)),
        ),
        (
            {**REMINDED, "final_payment_date": date(2027, 2, 4), **corrected_on(date(2027, 1, 5))},
            date(2027, 2, 12),
            Plan(Step.REMINDER, None),
        ),
        # ... but after the costs (on their day, the run charged them first) the second
        # notice's term stands: the handover follows as planned
        (
            {**CHARGED, **corrected_on(date(2027, 1, 15))},
            date(2027, 1, 29),
            Plan(Step.HANDOVER, None),
        ),
        # handover 14 days after the costs and the second notice
        (CHARGED, date(2027, 1, 28), Plan(None, date(2027, 1, 29))),
        (CHARGED, date(2027, 1, 29), Plan(Step.HANDOVER, None)),
        # nothing ever again: paid, or with the collection agency
        ({"ledger": (*make_invoice().ledger, PAID_IN_FULL)}, date(2027, 1, 1), NOTHING_EVER),
        (
            {**CHARGED, "dunning_stage": DunningStage.WITH_COLLECTION_AGENCY},
            date(2027, 3, 1),
            NOTHING_EVER,
        ),
    ],
)
def test_what_is_due_on_a_day(changes, today, expected):
    invoice = make_invoice(**SENT, **changes)
    assert plan(invoice, POLICY, today) == expected


def test_an_invoice_not_yet_delivered_is_looked_at_again_tomorrow():
    """Given an invoice still waiting for its e-mail or print run, when its reminder day
    comes, then no reminder goes out before the invoice itself: look again tomorrow."""
    invoice = make_invoice(status=InvoiceStatus.PENDING_DELIVERY)
    assert plan(invoice, POLICY, date(2026, 12, 31)) == Plan(None, date(2027, 1, 1))


def test_a_provider_with_a_longer_timeline():
    """Given a provider who reminds after 14 days and hands over after 28, then the
    invoice enters the run's index on its reminder day and hands over 28 days after the
    costs."""
    policy = DunningPolicy(days_to_reminder=14, days_to_handover=28)
    assert policy.first_check_on(date(2026, 12, 23)) == date(2027, 1, 7)
    invoice = replace(make_invoice(**SENT, **CHARGED))
    assert plan(invoice, policy, date(2027, 2, 11)) == Plan(None, date(2027, 2, 12))


@pytest.mark.parametrize(
    "settings",
    [
        {"days_to_reminder": -1},
        {"days_to_handover": 3},
        {"max_invoices_per_letter": 0},
        {"days_to_remind": 7},
    ],
)
def test_a_policy_that_makes_no_sense_is_refused(settings):
    """Given operations entering a dunning policy, when a figure is out of range or a
    name is mistyped, then it is refused where it is entered."""
    with pytest.raises(ValidationError):
        DunningPolicy(**settings)
