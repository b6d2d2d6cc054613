"""BillingStore: open actions for the practice (R23, R26)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from billing_core.ports import InvalidPosition
from billing_core.providers.actions import ActionState
from billing_core.shared.clock import AMSTERDAM
from tests.contract.samples import (
    NOON,
    A,
    B,
    action,
    plant_action_before_list_index,
    plant_open_action_at_bare_position,
)


def test_an_action_is_added_once(store):
    """A replayed bounce event makes no second action: the first stays as it was."""
    first = action("bounce-m1")
    assert store.add_action(first) is True
    assert store.add_action(replace(first, details={"todo": "other"})) is False
    assert store.list_actions(A) == [first]


def test_putting_an_action_replaces_it(store):
    """The practice marks it done: the same action, another state."""
    store.put_action(action("objection-1"))
    store.put_action(action("objection-1").done())
    assert store.list_actions(A) == [action("objection-1").done()]


def test_actions_are_listed_oldest_first_also_across_the_clock_change(store):
    # Given actions made in the night the clocks go back (25 October 2026, 03:00 -> 02:00):
    # 02:30 summer time is earlier than 02:15 winter time
    summer = action("b", created_at=datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM))
    winter = action("a", created_at=datetime(2026, 10, 25, 2, 15, tzinfo=AMSTERDAM, fold=1))
    same_moment = action("c", created_at=winter.created_at)
    for one in (same_moment, winter, summer, action("z", created_at=NOON)):
        store.add_action(one)
    # Then they come in the order they were made; at the same moment by id
    assert [a.action_id for a in store.list_actions(A)] == ["b", "a", "c", "z"]


def test_only_the_open_or_the_done_ones_when_asked(store):
    store.put_action(action("1"))
    store.put_action(action("2").done())
    assert store.list_actions(A, ActionState.OPEN) == [action("1")]
    assert store.list_actions(A, ActionState.DONE) == [action("2").done()]


def test_another_practice_never_sees_the_actions(store):
    """R26: even an action with the same id and moment is another practice's own."""
    store.add_action(action("1"))
    assert store.list_actions(B) == []
    assert store.add_action(action("1", B)) is True
    assert store.list_actions(B) == [action("1", B)]
    assert store.list_actions(A) == [action("1")]


def test_a_decision_is_written_once_and_the_first_one_stays(store):
    """R28, R17 (audit retries D1): apply and decline of one proposal at once; the store
    keeps the decision written first and answers it to the other, whose write changes
    nothing. An action that is not there is None."""
    proposal = action("coulance-1")
    store.add_action(proposal)
    applied = replace(proposal, details={**proposal.details, "decision": "apply"}).done()
    declined = replace(proposal, details={**proposal.details, "decision": "decline"}).done()

    assert store.decide_action(applied) == applied
    assert store.decide_action(declined) == applied
    assert store.list_actions(A) == [applied]
    assert store.decide_action(action("never-made")) is None


def test_the_system_closes_an_open_action_once_and_never_one_the_practice_reopened(store):
    """R23, R28 (stop 47, a claim's handover settled). Given an open action, when the
    system closes it (state done, details saying so), then it is done with those details;
    closing it again writes nothing. Once the practice opened it again, the system's close
    writes nothing either (it stays open); one that is not there, or another practice's,
    is not written."""
    store.add_action(action("handover-1"))
    closed = replace(action("handover-1"), details={"reason": "amount", "closed_by": "system"})
    assert store.close_action(closed.done()) is True
    assert store.get_action(A, "handover-1") == closed.done()
    assert store.close_action(closed.done()) is False
    reopened = store.set_action_state(closed.done(), ActionState.OPEN, NOON.date())
    assert store.close_action(closed.done()) is False
    assert store.get_action(A, "handover-1") == reopened
    assert store.close_action(action("never-made").done()) is False
    assert store.close_action(replace(closed, provider_id=B).done()) is False
    assert store.list_actions(B) == []


def test_the_system_reopens_only_an_action_it_closed(store):
    """R23, R22, R28 (audit agency3: a claim owed again at the agency). Given an action the
    system closed, when the system opens it again (state open, details without closed_by),
    then it is open with those details; reopening it again writes nothing. One the
    practice set done itself, one not there, or another practice's is not written."""
    store.add_action(action("handover-1"))
    closed = replace(action("handover-1"), details={"reason": "amount", "closed_by": "system"})
    assert store.close_action(closed.done()) is True
    reopened = replace(action("handover-1"), details={"reason": "amount", "reopened_by": "system"})
    assert store.reopen_action(reopened) is True
    assert store.get_action(A, "handover-1") == reopened
    assert store.reopen_action(reopened) is False
    assert store.close_action(replace(reopened, details={"closed_by": "system"}).done()) is True

    store.add_action(action("handover-2"))
    by_the_practice = store.set_action_state(action("handover-2"), ActionState.DONE, NOON.date())
    assert store.reopen_action(action("handover-2")) is False
    assert store.get_action(A, "handover-2") == by_the_practice
    assert store.reopen_action(action("never-made")) is False
    assert store.reopen_action(replace(reopened, provider_id=B)) is False
    assert store.list_actions(B) == []


def test_a_later_event_supersedes_an_action_once_unless_it_says_that_already(store):
    """R7, R23, R28 (round 55 bouncefollow55). Given a Transient bounce's action the
    practice set done, when the Permanent bounce of the same mail supersedes it (state
    open, details saying Permanent), then it is open with those details, made when it
    was; superseding it again writes nothing, nor does a Transient bounce after it. One
    not there, or another practice's, is not written."""
    transient = replace(action("bounce-m1"), details={"bounce_type": "Transient"})
    store.add_action(transient)
    store.set_action_state(transient, ActionState.DONE, NOON.date())
    permanent = replace(transient, details={"bounce_type": "Permanent", "recipients": ["x"]})

    assert store.supersede_action(permanent, "bounce_type", "Permanent") is True
    assert store.get_action(A, "bounce-m1") == permanent
    assert store.supersede_action(permanent, "bounce_type", "Permanent") is False
    assert store.supersede_action(transient, "bounce_type", "Permanent") is False
    assert store.get_action(A, "bounce-m1") == permanent
    assert store.supersede_action(action("never-made"), "bounce_type", "Permanent") is False
    assert store.supersede_action(replace(permanent, provider_id=B), "x", "y") is False
    assert store.list_actions(B) == []


def pages_of(store, provider_id, state, limit, after=None):
    """The ids of each page of ``action_page``, each after the position the one before gave."""
    pages, position = [], after
    while True:
        page, position = store.action_page(provider_id, state, limit, position)
        pages.append([a.action_id for a in page])
        if position is None:
            return pages


def test_the_actions_come_in_pages_oldest_first_each_once(store):
    """R23, R35 (actionpages56: every action in one answer passed Lambda's 6 MB at ~2,700).
    Given five actions of A made at four moments, two at one moment, one of them done and
    one moved away (a handover's old id, its item marked moved), and one of B
    When A's actions are read two a page, each page after the position the one before gave
    Then the pages hold each of A's actions once, oldest first, at one moment by id, as
    list_actions; the open ones and the done ones page alike; the last page gives no
    position; one more than the list holds is one page."""
    for number, hour in enumerate((14, 12, 13, 13, 15)):
        created = NOON.replace(hour=hour)
        store.add_action(action(f"a-{number}", created_at=created))
    store.put_action(action("a-2", created_at=NOON.replace(hour=13)).done())
    moved = action("handover-inv-9", created_at=NOON.replace(hour=11))
    store.add_action(moved)
    store.rekey_action(moved, "handover-2026-11-23-inv-9")
    store.add_action(action("b-1", B, created_at=NOON.replace(hour=11)))
    listed = [a.action_id for a in store.list_actions(A)]
    assert listed == ["handover-2026-11-23-inv-9", "a-1", "a-2", "a-3", "a-0", "a-4"]
    assert pages_of(store, A, None, 2) == [listed[:2], listed[2:4], listed[4:]]
    assert pages_of(store, A, ActionState.OPEN, 2) == [listed[:2], ["a-3", "a-0"], ["a-4"]]
    assert pages_of(store, A, ActionState.DONE, 2) == [["a-2"]]
    assert store.action_page(A, None, 7) == (store.list_actions(A), None)


def test_a_position_of_another_practice_pages_only_its_own_actions(store):
    """R26: Given A's position after its first action (made at 12:00) / When B's actions are
    read from it / Then B's own after that moment only, none of A's; a position no page
    hands out is refused."""
    for provider_id, hour in ((A, 12), (A, 13), (B, 11), (B, 14)):
        store.add_action(
            action(f"{provider_id}-{hour}", provider_id, created_at=NOON.replace(hour=hour))
        )
    _, after_first = store.action_page(A, None, 1)
    page, position = store.action_page(B, None, 10, after_first)
    assert ([a.action_id for a in page], position) == ([f"{B}-14"], None)
    for no_position in ("", "a-1", "2026-11-23T12:00:00#a-1", "2026-11-23T11:00:00+00:00#"):
        with pytest.raises(InvalidPosition):
            store.action_page(A, None, 2, no_position)


def test_an_action_stored_before_the_list_index_is_paged_once_the_migration_put_it(store):
    """Migration 16 (R23, R35): Given an open action stored before the action list's index
    and one created since / When it is added twice / Then it is not paged before; the first
    add writes, the second finds it there; then both are paged, its state as stored. A
    moved action is not put on it."""
    old = action("objection-old", created_at=NOON.replace(hour=11))
    plant_action_before_list_index(store, old)
    store.add_action(action("objection-new"))
    assert [a.action_id for a in store.action_page(A, None, 10)[0]] == ["objection-new"]
    assert (store.add_action_list_index(old), store.add_action_list_index(old)) == (True, False)
    assert store.action_page(A, None, 10) == (store.list_actions(A), None)
    assert store.action_page(A, None, 10)[0][0] == old
    handover = action("handover-inv-2", created_at=NOON.replace(hour=10))
    plant_action_before_list_index(store, handover)
    store.rekey_action(handover, "handover-2026-11-23-inv-2")
    assert store.add_action_list_index(handover) is False


def ids(actions):
    return [a.action_id for a in actions]


def open_and_done_pages(store):
    """The ids on the open pages and on the done pages of A (one each), and on the open
    list the overview reads."""
    return (
        ids(store.action_page(A, ActionState.OPEN, 10)[0]),
        ids(store.action_page(A, ActionState.DONE, 10)[0]),
        ids(store.list_actions(A, ActionState.OPEN)),
    )


def test_every_write_of_a_state_moves_the_action_between_the_open_and_the_done_lists(store):
    """R23, R35 (openact57: the open list reads the open ones alone). Given three open
    actions of A / When the practice sets one done, the system closes another, reopens it,
    a later bounce supersedes the done one (open again), a decision is written on the third
    / Then after each write the open and the done pages, and the open list, hold each
    action in its state now, oldest first, as list_actions says."""
    for number in range(3):
        store.add_action(action(f"a-{number}", created_at=NOON.replace(hour=10 + number)))
    assert open_and_done_pages(store) == (["a-0", "a-1", "a-2"], [], ["a-0", "a-1", "a-2"])
    store.set_action_state(
        action("a-0", created_at=NOON.replace(hour=10)), ActionState.DONE, NOON.date()
    )
    closed = replace(
        action("a-1", created_at=NOON.replace(hour=11)), details={"closed_by": "system"}
    )
    store.close_action(closed.done())
    assert open_and_done_pages(store) == (["a-2"], ["a-0", "a-1"], ["a-2"])
    store.reopen_action(replace(closed, details={"reopened_by": "system"}))
    done = store.get_action(A, "a-0")
    store.supersede_action(replace(done, state=ActionState.OPEN, details={"x": "y"}), "x", "y")
    assert open_and_done_pages(store) == (["a-0", "a-1", "a-2"], [], ["a-0", "a-1", "a-2"])
    third = store.get_action(A, "a-2")
    store.decide_action(replace(third, details={"decision": "apply"}).done())
    assert open_and_done_pages(store) == (["a-0", "a-1"], ["a-2"], ["a-0", "a-1"])
    assert ids(store.action_page(A, None, 10)[0]) == ["a-0", "a-1", "a-2"]


def test_an_open_action_listed_before_the_open_prefix_is_listed_open_once_moved(store):
    """Migration 17 (R23, R35; openact57): Given an open action listed as before openact57
    (among the done ones), a done one and an open one created since / When it is moved
    twice / Then before, the open page and list miss it, the done page does not show it,
    the whole list holds it; the first move writes, the second finds it there; then the
    open page holds both open ones, oldest first. A done one, or a moved one, is not
    moved; a state written since moves it as well."""
    old = action("objection-old", created_at=NOON.replace(hour=10))
    plant_open_action_at_bare_position(store, old)
    store.put_action(action("objection-done", created_at=NOON.replace(hour=11)).done())
    store.add_action(action("objection-new"))
    assert open_and_done_pages(store) == (["objection-new"], ["objection-done"], ["objection-new"])
    assert ids(store.action_page(A, None, 10)[0]) == [
        "objection-old",
        "objection-done",
        "objection-new",
    ]
    assert (store.move_open_action_in_list(old), store.move_open_action_in_list(old)) == (
        True,
        False,
    )
    both = ["objection-old", "objection-new"]
    assert open_and_done_pages(store) == (both, ["objection-done"], both)
    assert store.move_open_action_in_list(store.get_action(A, "objection-done")) is False
    handover = action("handover-inv-2", created_at=NOON.replace(hour=9))
    plant_open_action_at_bare_position(store, handover)
    store.rekey_action(handover, "handover-2026-11-23-inv-2")
    assert store.move_open_action_in_list(handover) is False
    changed = action("objection-changed", created_at=NOON.replace(hour=8))
    plant_open_action_at_bare_position(store, changed)
    done = store.set_action_state(changed, ActionState.DONE, NOON.date())
    store.set_action_state(done, ActionState.OPEN, NOON.date())
    assert store.move_open_action_in_list(changed) is False
    assert open_and_done_pages(store)[0] == [
        "objection-changed",
        "handover-2026-11-23-inv-2",
        *both,
    ]
