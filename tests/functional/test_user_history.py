"""Who changed a practice's users, when and what (R31 "versioned: who changed what when",
R32, NEN 7513; audit onboard2 ONBOARD2-3): each invitation, invitation again, role change
and disable, by an operator or by the practice's admin, is one record in the practice's
partition, listed to the operator and to that practice's admin only (R26)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from local.sandbox import Caller, Sandbox
from local.seed import DENTAL, PHYSIO
from tests.functional.test_provider_portal import PortalUser, hidden_fields, sample_login

PRACTICE = DENTAL.provider_id
OPERATOR_USERS = f"/api/v1/operator/providers/{PRACTICE}/users"
COLLEAGUE = "tweede-tandarts@tandarts.example.org"
STAFF = sample_login(DENTAL, "staff")
VIEWER = sample_login(DENTAL, "viewer")


@pytest.fixture(autouse=True)
def users(sandbox: Sandbox) -> None:
    """The practices' sample users, set up directly in the directory (no history yet)."""
    sandbox.invite_sample_users()


def admin_of(sandbox: Sandbox, provider_id: str = PRACTICE) -> Caller:
    return Caller.user(
        next(u for u in sandbox.users() if u.provider_id == provider_id and u.role == "admin")
    )


def history(sandbox: Sandbox) -> list[dict[str, Any]]:
    status, answer = sandbox.api("GET", f"{OPERATOR_USERS}/history", caller=Caller.operator())
    assert status == 200, answer
    return list(answer["items"])


def what(change: dict[str, Any]) -> tuple[Any, ...]:
    return (
        change["kind"],
        change["email"],
        change["changed_by"],
        change["role"],
        change["role_before"],
        change["role_after"],
        change["enabled_before"],
        change["enabled_after"],
    )


def test_an_admins_and_an_operators_user_changes_are_listed_once_each_with_who_and_when(
    sandbox,
):
    # Given an onboarded practice with its admin, a staff member and a viewer
    admin = admin_of(sandbox)
    staff_id = next(u.user_id for u in sandbox.users() if u.email == STAFF)
    # When its admin invites a colleague as admin
    invite = {"email": COLLEAGUE, "role": "admin"}
    assert sandbox.api("POST", "/api/v1/provider/users", body=invite, caller=admin)[0] == 201
    # and changes the staff member's role, the request retried with its Idempotency-Key
    # (R38) and then sent once more without one (the role is the same: nothing changes)
    role_change: dict[str, Any] = {
        "body": {"role": "viewer"},
        "caller": admin,
        "headers": {"Content-Type": "application/json", "Idempotency-Key": "role-1"},
    }
    for _ in range(2):
        assert sandbox.api("PATCH", f"/api/v1/provider/users/{STAFF}", **role_change)[0] == 200
    del role_change["headers"]
    assert sandbox.api("PATCH", f"/api/v1/provider/users/{STAFF}", **role_change)[0] == 200
    # and an operator disables the viewer, twice (disabled already: nothing changes)
    for _ in range(2):
        status, _ = sandbox.api("DELETE", f"{OPERATOR_USERS}/{VIEWER}", caller=Caller.operator())
        assert status == 200
    # Then the users' history lists each change once: who (id and role), when and what
    listed = history(sandbox)
    assert [what(change) for change in listed] == [
        ("invited", COLLEAGUE, admin.user_id, "admin", None, "admin", None, True),
        ("role_changed", STAFF, admin.user_id, "admin", "staff", "viewer", True, True),
        ("disabled", VIEWER, "sandbox-operator", "operators", "viewer", "viewer", True, False),
    ]
    assert {change["changed_at"] for change in listed} == {sandbox.clock.now().isoformat()}
    assert listed[1]["user_id"] == staff_id
    # and the practice's admin reads the same history
    status, own = sandbox.api("GET", "/api/v1/provider/users/history", caller=admin)
    assert (status, own["items"]) == (200, listed)


def test_a_user_invited_again_is_recorded_with_what_it_brought_back(sandbox):
    # Given a viewer an operator disabled
    status, _ = sandbox.api("DELETE", f"{OPERATOR_USERS}/{VIEWER}", caller=Caller.operator())
    assert status == 200
    # When the practice's admin invites the address again, as staff
    invite = {"email": VIEWER, "role": "staff"}
    status, answer = sandbox.api(
        "POST", "/api/v1/provider/users", body=invite, caller=admin_of(sandbox)
    )
    assert status == 200
    # Then the history says the user is back, in which role, by whom
    back = history(sandbox)[-1]
    assert what(back) == (
        answer["outcome"],
        VIEWER,
        admin_of(sandbox).user_id,
        "admin",
        "viewer",
        "staff",
        False,
        True,
    )


def test_another_practices_admin_reads_only_its_own_users_history(sandbox):
    # Given an operator invited a user of the practice
    body = {"email": COLLEAGUE, "role": "staff"}
    assert sandbox.api("POST", OPERATOR_USERS, body=body, caller=Caller.operator())[0] == 201
    # When the admin of another practice asks for the users' history
    status, answer = sandbox.api(
        "GET", "/api/v1/provider/users/history", caller=admin_of(sandbox, PHYSIO.provider_id)
    )
    # Then it lists nothing of the first practice (the tenant is the token's, R26)
    assert status == 200
    assert all(change["email"] != COLLEAGUE for change in answer["items"])
    # and the operator's route is closed to it, and names no unknown practice
    other_admin = admin_of(sandbox, PHYSIO.provider_id)
    status, _ = sandbox.api("GET", f"{OPERATOR_USERS}/history", caller=other_admin)
    assert status == 403
    unknown = "/api/v1/operator/providers/onbekend/users/history"
    assert sandbox.api("GET", unknown, caller=Caller.operator())[0] == 404
    # and a staff member of the practice itself may not read it (admin only, R32)
    staff = Caller.practice(PRACTICE, "staff")
    assert sandbox.api("GET", "/api/v1/provider/users/history", caller=staff)[0] == 403


def test_a_user_change_is_kept_as_the_audit_and_its_key_names_no_address(sandbox):
    # Given an operator invited a user of the practice
    body = {"email": COLLEAGUE, "role": "staff"}
    assert sandbox.api("POST", OPERATOR_USERS, body=body, caller=Caller.operator())[0] == 201
    # Then its record expires as the audit of reads does (8 years, legal-nl.md §8), and
    # its key carries ids only (adapters/dynamo/keys.py)
    table = sandbox.runtime.repository._table
    items = [i for i in table.scan()["Items"] if i.get("entity") == "user_change"]
    assert len(items) == 1
    now = sandbox.clock.now().timestamp()
    assert int(items[0]["expires_at"]) - now == 2922 * 24 * 3600
    assert "@" not in items[0]["pk"] + items[0]["sk"]


def test_the_portals_settings_page_shows_who_changed_the_users(sandbox):
    # Given an operator invited a colleague and the practice's admin disabled the viewer
    body = {"email": COLLEAGUE, "role": "staff"}
    assert sandbox.api("POST", OPERATOR_USERS, body=body, caller=Caller.operator())[0] == 201
    admin = sample_login(DENTAL, "admin")
    page = PortalUser(sandbox)
    page.sign_in(admin)
    _, html = page.page("/portal/instellingen")
    forms = hidden_fields(html, "/portal/instellingen/gebruikers/uitschakelen")
    page.post("/portal/instellingen/gebruikers/uitschakelen", forms | {"email": VIEWER})
    # When the admin opens the settings page
    _, html = page.page("/portal/instellingen")
    # Then its users' history names each change, newest first, with who and when
    table = html.split('id="user-changes"', 1)[1].split("</table>", 1)[0]
    rows = [
        " ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.split(r"<tr[^>]*>", table)[2:]
    ]
    assert rows == [
        f"23-11-2026 09:00 {admin} {VIEWER} uitgeschakeld",
        f"23-11-2026 09:00 zorgnota {COLLEAGUE} uitgenodigd als medewerker",
    ]


def test_an_invitation_role_change_or_disabling_retried_after_its_record_failed_is_done_once(
    sandbox, monkeypatch
):
    """R38 (a retry after a 5xx is carried out), R31 "who changed what when", R32 (audit
    round 58 audit58d): the directory changed the user, then the record of it could not
    be written (a 5xx, the Idempotency-Key's record released). The retry with that key
    found the user changed already, so "nothing changes" and recorded nothing: who took
    the colleague's access, or gave them another role, was in no history. An invitation
    retried so (invite58) answered 200 "reinvited" and sent the colleague a second
    invitation e-mail with a second temporary password; the history never said
    "invited"."""
    admin = admin_of(sandbox)
    colleagues = {
        "role": ("PATCH", "/api/v1/provider/users/rol@tandarts.example.org", admin),
        "disable (operator)": (
            "DELETE",
            f"{OPERATOR_USERS}/ook-weg@tandarts.example.org",
            Caller.operator(),
        ),
    }
    # Given two colleagues the admin invited as staff (each invitation recorded)
    for _, path, _ in colleagues.values():
        invite = {"email": path.rsplit("/", 1)[1], "role": "staff"}
        assert sandbox.api("POST", "/api/v1/provider/users", body=invite, caller=admin)[0] == 201
    recorded = sandbox.runtime.repository.record_user_change

    def refused(change):
        raise RuntimeError("ProvisionedThroughputExceededException")

    for name, (method, path, caller) in colleagues.items():
        request = {
            "caller": caller,
            "body": {"role": "viewer"} if method == "PATCH" else None,
            "headers": {"Content-Type": "application/json", "Idempotency-Key": f"{name}-1"},
        }
        # When the change's record cannot be written (the store throttled it) ...
        monkeypatch.setattr(sandbox.runtime.repository, "record_user_change", refused)
        with pytest.raises(RuntimeError):
            sandbox.api(method, path, **request)
        monkeypatch.setattr(sandbox.runtime.repository, "record_user_change", recorded)
        # ... and the request is sent again with its key, twice
        again = [sandbox.api(method, path, **request)[0] for _ in range(2)]
        assert again == [200, 200], name
    # Then the history has each change once: by whom, from what to what
    changes = [what(change) for change in history(sandbox)[2:]]
    assert changes == [
        (
            "role_changed",
            "rol@tandarts.example.org",
            admin.user_id,
            "admin",
            "staff",
            "viewer",
            True,
            True,
        ),
        (
            "disabled",
            "ook-weg@tandarts.example.org",
            "sandbox-operator",
            "operators",
            "staff",
            "staff",
            True,
            False,
        ),
    ]
    # And when an invitation's record cannot be written, and it is sent again with its key
    newcomer = "nieuw@tandarts.example.org"
    invite: dict[str, Any] = {
        "body": {"email": newcomer, "role": "staff"},
        "caller": admin,
        "headers": {"Content-Type": "application/json", "Idempotency-Key": "invite-1"},
    }
    monkeypatch.setattr(sandbox.runtime.repository, "record_user_change", refused)
    with pytest.raises(RuntimeError):
        sandbox.api("POST", "/api/v1/provider/users", **invite)
    monkeypatch.setattr(sandbox.runtime.repository, "record_user_change", recorded)
    again = [sandbox.api("POST", "/api/v1/provider/users", **invite) for _ in range(2)]
    # Then it is answered as invited, one e-mail went out, and the history has it once
    assert [(status, answer["outcome"]) for status, answer in again] == [
        (201, "invited"),
        (201, "invited"),
    ]
    directory = sandbox.runtime.user_directory
    assert directory.invitations.count(newcomer) == 1
    assert [what(change) for change in history(sandbox)[4:]] == [
        ("invited", newcomer, admin.user_id, "admin", None, "staff", None, True)
    ]
    # And the admin inviting the address again without a key still sends a new invitation
    del invite["headers"]
    assert sandbox.api("POST", "/api/v1/provider/users", **invite)[1]["outcome"] == "reinvited"
    assert directory.invitations.count(newcomer) == 2
    # And so does a keyed invitation of a user with no record created longer than the
    # key lives ago (the sample staff member, set up before the history; never signed in)
    sandbox.clock.set(sandbox.clock.now() + timedelta(hours=25))
    invite |= {
        "body": {"email": STAFF, "role": "staff"},
        "headers": {"Content-Type": "application/json", "Idempotency-Key": "invite-2"},
    }
    assert sandbox.api("POST", "/api/v1/provider/users", **invite)[1]["outcome"] == "reinvited"
    assert directory.invitations.count(STAFF) == 2
