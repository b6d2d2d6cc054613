"""How long an open action is kept (legal-nl.md §8, R29): one about an invoice as long as
its invoice ("kept 7 years after the end of the year they were settled ... then deleted"),
one about no invoice a year after it was done ("1 year for lists once resolved")."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from billing_core.adapters.dynamo import items
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.providers.actions import ActionKind, ActionState, OpenAction
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import make_invoice

ISSUED = make_invoice()
PAID_AT = datetime(2026, 11, 23, 12, 0, tzinfo=AMSTERDAM)
PAID = ISSUED.with_entry(
    LedgerEntry(EntryKind.PAYMENT, Component.PRINCIPAL, -ISSUED.balance_cents, PAID_AT, "test")
)
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=AMSTERDAM)


def objection_about(invoice):
    details = {"reason": "amount", "message": "Ik was er niet", "email": "p@example.nl"}
    return OpenAction.about(invoice, ActionKind.OBJECTION, "objection-1", NOON, details)


def returned_payout() -> OpenAction:
    return OpenAction("payout-returned-E2E", "p", ActionKind.PAYOUT_RETURNED, "", "", NOON)


def test_an_action_about_an_open_invoice_is_kept_and_one_about_a_settled_one_expires_with_it():
    """Given an open invoice and the same invoice paid in full on 23 November 2026
    When an objection is made about each
    Then the first is kept (no last day) and the second's last day is the invoice's:
    31 December 2033 (legal-nl.md §8)."""
    assert objection_about(ISSUED).kept_until is None
    assert objection_about(PAID).kept_until == date(2033, 12, 31)


@pytest.mark.parametrize("state", [ActionState.DONE, ActionState.OPEN])
def test_the_provider_setting_the_state_leaves_an_invoice_actions_retention(state):
    """Its invoice decides, not the practice's to-do list."""
    action = objection_about(PAID)
    assert action.with_state(state, date(2027, 3, 1)).kept_until == date(2033, 12, 31)
    assert objection_about(ISSUED).with_state(state, date(2027, 3, 1)).kept_until is None


@pytest.mark.parametrize(
    ("done_on", "last_day"),
    [
        (date(2026, 12, 14), date(2027, 12, 14)),
        (date(2028, 2, 29), date(2029, 2, 28)),  # a leap day: a year later is the 28th
    ],
)
def test_an_action_about_no_invoice_is_kept_a_year_after_it_was_done(done_on, last_day):
    """Given a returned payout waiting for the practice (kept while open)
    When the practice sets it done, and then opens it again
    Then it is kept until a year after it was done, and again until done."""
    waiting = returned_payout()
    assert waiting.kept_until is None
    done = waiting.with_state(ActionState.DONE, done_on)
    assert (done.state, done.kept_until) == (ActionState.DONE, last_day)
    assert done.with_state(ActionState.OPEN, done_on).kept_until is None


@pytest.mark.parametrize(
    "action",
    [objection_about(ISSUED), objection_about(PAID), returned_payout().done()],
    ids=["kept", "settled invoice", "no expiry yet"],
)
def test_an_action_item_reads_back_as_it_was_written_its_ttl_the_end_of_its_last_day(action):
    """The table's TTL is the end of the last day in the Netherlands, as the invoice's."""
    item = items.action_to_item(action)
    assert items.action_from_item(item) == action
    if action.kept_until == date(2033, 12, 31):
        assert item["expires_at"] == items.retention_expiry(PAID.ledger)["expires_at"]
    else:
        assert "expires_at" not in item
