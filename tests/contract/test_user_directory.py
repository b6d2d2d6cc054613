"""The practices' users (R32): the in-memory directory of the sandbox and the tests
behaves as the Cognito adapter does on moto."""

from __future__ import annotations

import pytest

from billing_core.ports import UserExists
from billing_core.providers.users import Role
from tests.contract.samples import A, B


def test_an_invited_user_is_listed_with_its_role_for_its_own_practice_only(users):
    # When a practice's admin and a staff member are invited
    admin = users.invite(A, "admin@example.org", Role.ADMIN)
    staff = users.invite(A, "balie@example.org", Role.STAFF)
    # Then the practice lists both, by address, enabled, with the id their tokens carry
    assert users.users_of(A) == [admin, staff]
    assert [(u.email, u.role, u.enabled) for u in users.users_of(A)] == [
        ("admin@example.org", Role.ADMIN, True),
        ("balie@example.org", Role.STAFF, True),
    ]
    assert admin.user_id and admin.user_id != staff.user_id
    # And another practice sees none of them
    assert users.users_of(B) == []


def test_an_address_is_one_user(users):
    users.invite(A, "balie@example.org", Role.STAFF)
    with pytest.raises(UserExists):
        users.invite(B, "balie@example.org", Role.ADMIN)
    assert users.users_of(B) == []


def test_a_disabled_user_stays_listed_as_disabled_and_only_its_practice_disables_it(users):
    users.invite(A, "balie@example.org", Role.STAFF)
    assert users.disable(B, "balie@example.org") is None
    assert users.disable(A, "onbekend@example.org") is None
    disabled = users.disable(A, "balie@example.org")
    assert disabled is not None and not disabled.enabled
    assert users.users_of(A) == [disabled]


def test_a_role_changes_for_its_own_practice_only_and_the_user_is_listed_once(users):
    """Issue 16: the practice admin gives a colleague another role (R32)."""
    users.invite(A, "balie@example.org", Role.STAFF)
    assert users.change_role(B, "balie@example.org", Role.ADMIN) is None
    assert users.change_role(A, "onbekend@example.org", Role.ADMIN) is None
    changed = users.change_role(A, "balie@example.org", Role.VIEWER)
    assert (changed.email, changed.role, changed.enabled) == (
        "balie@example.org",
        Role.VIEWER,
        True,
    )
    assert users.users_of(A) == [changed]
    assert users.change_role(A, "balie@example.org", Role.VIEWER) == changed
