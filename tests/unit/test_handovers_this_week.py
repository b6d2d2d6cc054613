"""The portal's overview: the claims handed to the collection agency this week (R19,
R35, issue 16), counted over the week in Dutch time, whatever the number of invoices."""

from __future__ import annotations

from datetime import date, datetime

from billing_core.providers.actions import ActionKind, OpenAction, handover_action_id
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.provider.actions import HandoversThisWeek, handed_over_this_week
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.fake_store import FakeStore, practice_context

PRACTICE = "tandarts-de-vries"


def handover(day: date, number: int, provider_id: str = PRACTICE) -> OpenAction:
    return OpenAction(
        action_id=handover_action_id(day, f"inv-{number}"),
        provider_id=provider_id,
        kind=ActionKind.COLLECTION_HANDOVER,
        invoice_id=f"inv-{number}",
        reference="",
        created_at=datetime(day.year, day.month, day.day, 6, tzinfo=AMSTERDAM),
    )


def test_the_week_runs_from_monday_in_dutch_time_to_today():
    # Given handovers on Sunday 29 November, Monday 30 November and Wednesday 2 December,
    # one of another practice, and it is Wednesday 2 December 00:30 in Amsterdam
    store = FakeStore()
    for action in (
        handover(date(2026, 11, 29), 1),
        handover(date(2026, 11, 30), 2),
        handover(date(2026, 12, 2), 3),
        handover(date(2026, 12, 1), 9, "fysio-centrum-oost"),
    ):
        store.add_action(action)
    clock = FixedClock(datetime(2026, 12, 2, 0, 30, tzinfo=AMSTERDAM))
    ctx = practice_context(store, clock)
    viewer = ProviderUser(PRACTICE, "user-1", Role.VIEWER)
    # When the viewer opens the overview
    counted = handed_over_this_week(viewer, ctx)
    # Then Monday's and today's count, Sunday's and the other practice's do not
    assert counted == HandoversThisWeek(date(2026, 11, 30), 2)
