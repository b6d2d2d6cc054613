"""How long an open action is kept once the provider set it (legal-nl.md §8, R29): one
about no invoice a year after it was done ("1 year for lists once resolved"), and again
until done once reopened; one about an invoice is not dated by its state: it expires
with its invoice ("kept 7 years after the end of the year they were settled ... then
deleted", the expired-invoices stream)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from billing_core.providers.actions import (
    ActionKind,
    ActionState,
    OpenAction,
    kept_until_once_set,
)
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import make_invoice

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=AMSTERDAM)
RETURNED_PAYOUT = OpenAction("payout-returned-E2E", "p", ActionKind.PAYOUT_RETURNED, "", "", NOON)
OBJECTION = OpenAction.about(
    make_invoice(), ActionKind.OBJECTION, "objection-1", NOON, {"email": "p@example.nl"}
)


@pytest.mark.parametrize(
    ("action", "state", "on", "last_day"),
    [
        (RETURNED_PAYOUT, ActionState.DONE, date(2026, 12, 14), date(2027, 12, 14)),
        # a leap day: a year later is the 28th
        (RETURNED_PAYOUT, ActionState.DONE, date(2028, 2, 29), date(2029, 2, 28)),
        (RETURNED_PAYOUT, ActionState.OPEN, date(2026, 12, 14), None),  # reopened: kept
        (OBJECTION, ActionState.DONE, date(2026, 12, 14), None),  # its invoice decides
        (OBJECTION, ActionState.OPEN, date(2026, 12, 14), None),
    ],
    ids=["done", "done on a leap day", "reopened", "about an invoice, done", "about an invoice"],
)
def test_the_last_day_an_action_is_kept_once_the_provider_set_it(action, state, on, last_day):
    """Given an action, When the provider sets it to the state on the day,
    Then it is kept through the last day (None: kept, no TTL)."""
    assert kept_until_once_set(action, state, on) == last_day
