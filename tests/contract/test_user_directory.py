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


def test_a_user_is_found_by_the_id_their_session_carries_as_the_directory_knows_them_now(users):
    """R32, audit security D2: the portal asks by id on every request; a role changed or
    a user disabled since shows at once."""
    staff = users.invite(A, "balie@example.org", Role.STAFF)
    # Given the id the directory gave the user
    assert users.user_by_id(staff.user_id) == staff
    # When the admin lowers their role, then disables them
    users.change_role(A, "balie@example.org", Role.VIEWER)
    assert users.user_by_id(staff.user_id).role is Role.VIEWER
    disabled = users.disable(A, "balie@example.org")
    # Then the id finds the disabled user, with a new session epoch
    assert users.user_by_id(staff.user_id) == disabled
    assert not disabled.enabled and disabled.session_epoch != staff.session_epoch
    # And an unknown id finds nobody
    assert users.user_by_id("00000000-0000-0000-0000-000000000000") is None


def test_ending_a_users_sessions_gives_them_a_new_epoch_and_no_one_else(users):
    """R32, audit security D2: sign-out ends every portal session of the user."""
    staff = users.invite(A, "balie@example.org", Role.STAFF)
    admin = users.invite(A, "admin@example.org", Role.ADMIN)
    # When the staff member signs out
    users.end_sessions(staff.user_id)
    # Then their epoch is new, the colleague's is not, and the list shows the same
    ended = users.user_by_id(staff.user_id)
    assert ended.session_epoch != staff.session_epoch and ended.enabled
    assert users.user_by_id(admin.user_id) == admin
    assert users.users_of(A) == [admin, ended]
    # And an unknown id changes nothing
    users.end_sessions("00000000-0000-0000-0000-000000000000")
    assert users.users_of(A) == [admin, ended]


def test_an_invited_user_awaits_the_first_sign_in_until_they_choose_their_password(
    users, first_sign_in
):
    """R32, audit onboarding D3: a user who never signed in gets a new invitation."""
    invited = users.invite(A, "balie@example.org", Role.STAFF)
    assert invited.awaiting_first_sign_in
    assert users.users_of(A) == [invited]
    assert users.user_by_id(invited.user_id) == invited
    # When the user signs in for the first time
    first_sign_in("balie@example.org")
    # Then they no longer await it, in the list as by id
    signed_in = users.user_by_id(invited.user_id)
    assert not signed_in.awaiting_first_sign_in
    assert users.users_of(A) == [signed_in]


def test_an_invitation_is_sent_again_to_its_own_practices_user_only(users):
    """R32, audit onboarding D3: the temporary password lasts 3 days (template.yaml)."""
    invited = users.invite(A, "balie@example.org", Role.STAFF)
    # Another practice, or an unknown address, resends nothing
    assert users.resend_invitation(B, "balie@example.org") is None
    assert users.resend_invitation(A, "onbekend@example.org") is None
    # The practice's own: the same user, listed once, still awaiting the first sign-in
    assert users.resend_invitation(A, "balie@example.org") == invited
    assert users.users_of(A) == [invited]
    assert users.users_of(B) == []


def test_a_disabled_user_is_enabled_again_by_its_own_practice_only(users):
    """R32, audit onboarding D3: a user disabled by mistake comes back."""
    invited = users.invite(A, "balie@example.org", Role.STAFF)
    disabled = users.disable(A, "balie@example.org")
    assert users.enable(B, "balie@example.org") is None
    assert users.enable(A, "onbekend@example.org") is None
    assert users.users_of(A) == [disabled]
    # When its own practice enables the user
    enabled = users.enable(A, "balie@example.org")
    # Then the user is enabled, with the id and role they had; the disabling's new session
    # epoch stays, so the sessions from before stay ended
    assert (enabled.user_id, enabled.role, enabled.enabled) == (invited.user_id, Role.STAFF, True)
    assert enabled.session_epoch == disabled.session_epoch
    assert users.users_of(A) == [enabled]
    assert users.user_by_id(invited.user_id) == enabled
