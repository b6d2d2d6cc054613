"""The operator API (interfaces.md §6, R31, R32) and the practice admin's own settings
(§7), through the real handlers on moto."""

from __future__ import annotations

import copy

import pytest

from local.sandbox import Caller
from local.seed import DENTAL

OPERATOR = Caller.operator()
PROVIDERS = "/api/v1/operator/providers"
NEW_ID = "fysio-zuid"


def new_practice(**changes):
    settings = DENTAL.model_dump(mode="json") | {
        "provider_id": NEW_ID,
        "name": "Fysiotherapie Zuid",
        "agb_codes": [{"code": "04999888", "kind": "practice"}],
    }
    settings.pop("version")
    return settings | changes


def operator(sandbox, method, path, body=None):
    return sandbox.api(method, path, caller=OPERATOR, body=body)


def stored_items(sandbox):
    return sandbox.runtime.repository._table.scan()["Items"]


def test_an_operator_creates_reads_and_lists_a_provider(sandbox):
    # When an operator creates a provider
    status, created = operator(sandbox, "POST", PROVIDERS, new_practice())
    # Then 201 with its id and version 1, readable with that version and listed
    assert (status, created) == (201, {"provider_id": NEW_ID, "version": 1})
    status, settings = operator(sandbox, "GET", f"{PROVIDERS}/{NEW_ID}")
    assert status == 200 and settings["version"] == 1
    assert settings["payout"] == DENTAL.model_dump(mode="json")["payout"]
    status, listed = operator(sandbox, "GET", PROVIDERS)
    assert [p["provider_id"] for p in listed["items"]] == sorted(
        [NEW_ID, "tandarts-de-vries", "fysio-centrum-oost"]
    )
    # And the same id again is a conflict
    status, answer = operator(sandbox, "POST", PROVIDERS, new_practice(name="Ander"))
    assert (status, answer["error"]["code"]) == (409, "provider_exists")


@pytest.mark.parametrize(
    "change",
    [
        {"payout": {"iban": "NL91ABNA0417164301", "account_holder": "Zuid B.V."}},
        {"payout": {"iban": "NL91ABNA0417164300"}},
        {"agb_codes": [{"code": "04999888", "kind": "practitioner"}]},
        {"contracts": [{"uzovi": "9664", "from": "2026-12-31", "to": "2026-01-01"}]},
    ],
)
def test_a_provider_that_fails_validation_is_never_written(sandbox, change):
    before = stored_items(sandbox)
    status, answer = operator(sandbox, "POST", PROVIDERS, new_practice(**change))
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    assert stored_items(sandbox) == before


def test_a_practice_token_cannot_use_the_operator_api(sandbox):
    for role in ("admin", "staff", "viewer"):
        caller = Caller.practice("tandarts-de-vries", role)
        status, answer = sandbox.api("GET", PROVIDERS, caller=caller)
        assert (status, answer["error"]["code"]) == (403, "operators_only")
        status, _ = sandbox.api("POST", PROVIDERS, caller=caller, body=new_practice())
        assert status == 403
    assert sandbox.runtime.repository.get_provider(NEW_ID) is None
    assert sandbox.api("GET", PROVIDERS)[0] == 401


def test_a_replace_needs_the_current_version_and_every_version_is_in_the_history(sandbox):
    # Given a provider at version 1
    operator(sandbox, "POST", PROVIDERS, new_practice())
    edited = new_practice(version=1, payment_term_days=14)
    edited["contracts"] = [{"uzovi": "9664", "from": "2026-01-01", "to": None}]
    # When an operator replaces its settings, editing version 1
    status, replaced = operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", edited)
    # Then it is version 2
    assert (status, replaced["version"], replaced["payment_term_days"]) == (200, 2, 14)
    # And an edit of the old version 1 is refused, and changes nothing
    stale = new_practice(version=1, payment_term_days=60)
    status, answer = operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", stale)
    assert (status, answer["error"]["code"]) == (409, "stale_version")
    assert sandbox.runtime.repository.get_provider(NEW_ID).payment_term_days == 14
    # And the history says who changed what, field by field
    status, history = operator(sandbox, "GET", f"{PROVIDERS}/{NEW_ID}/history")
    first, second = history["items"]
    assert (first["version"], first["changed_by"], first["role"]) == (
        1,
        "sandbox-operator",
        "operators",
    )
    assert {c["field"] for c in first["changes"]} >= {"payout.iban", "agb_codes", "name"}
    assert second["changes"] == [
        {
            "field": "contracts",
            "before": new_practice()["contracts"],
            "after": [{"uzovi": "9664", "from": "2026-01-01", "to": None}],
        },
        {"field": "payment_term_days", "before": 30, "after": 14},
    ]


def test_unknown_providers_are_not_found(sandbox):
    for method, path, body in (
        ("GET", f"{PROVIDERS}/onbekend", None),
        ("GET", f"{PROVIDERS}/onbekend/history", None),
        ("PUT", f"{PROVIDERS}/onbekend", new_practice(provider_id="onbekend", version=1)),
        ("POST", f"{PROVIDERS}/onbekend/users", {"email": "a@b.nl", "role": "staff"}),
    ):
        assert operator(sandbox, method, path, body)[0] == 404, (method, path)


def test_an_operator_invites_and_disables_a_practices_users(sandbox):
    users = f"{PROVIDERS}/tandarts-de-vries/users"
    status, invited = operator(
        sandbox, "POST", users, {"email": "Balie@Example.org", "role": "staff"}
    )
    assert (status, invited) == (
        201,
        {"email": "balie@example.org", "role": "staff", "enabled": True, "outcome": "invited"},
    )
    assert operator(sandbox, "POST", users, {"email": "x@example.org", "role": "boss"})[0] == 400
    status, disabled = operator(sandbox, "DELETE", f"{users}/balie@example.org")
    assert (status, disabled["enabled"]) == (200, False)
    # A user of another practice is not this practice's to disable
    other = f"{PROVIDERS}/fysio-centrum-oost/users/balie@example.org"
    assert operator(sandbox, "DELETE", other)[0] == 404


DENTAL_USERS = f"{PROVIDERS}/tandarts-de-vries/users"
ONLY_ADMIN = "praktijkhouder@example.org"
INVITE_PATHS = {"operator": DENTAL_USERS, "practice admin": "/api/v1/provider/users"}


@pytest.mark.parametrize("who", sorted(INVITE_PATHS))
@pytest.mark.parametrize(
    "signed_in, disabled, status, outcome, invitations",
    [
        (False, False, 200, "reinvited", 2),
        (False, True, 200, "reinvited", 2),
        (True, True, 200, "enabled", 1),
        (True, False, 409, "user_exists", 1),
    ],
    ids=["awaiting-first-sign-in", "disabled-never-signed-in", "disabled-after-sign-in", "active"],
)
def test_inviting_a_practices_own_user_again_brings_them_back_in_the_role_asked(
    sandbox, who, signed_in, disabled, status, outcome, invitations
):
    """R32, audit onboarding D3: an invitation that expired unused (its temporary password
    lasts 3 days) is sent again, a user disabled by mistake is enabled again; an active
    user stays a conflict. Through the operator's API and the practice admin's alike."""
    directory = sandbox.runtime.user_directory
    # Given a staff member of the practice, signed in or not, disabled or not
    body = {"email": "balie@example.org", "role": "staff"}
    assert operator(sandbox, "POST", DENTAL_USERS, body)[0] == 201
    if signed_in:
        directory.first_sign_in("balie@example.org")
    if disabled:
        assert operator(sandbox, "DELETE", f"{DENTAL_USERS}/balie@example.org")[0] == 200
    # When the address is invited again, as a viewer
    caller = OPERATOR if who == "operator" else practice("admin")
    body = {"email": "Balie@Example.org", "role": "viewer"}
    got_status, got = sandbox.api("POST", INVITE_PATHS[who], caller=caller, body=body)
    # Then the answer says what was done, the user is back as a viewer (one user still),
    # and an invitation was e-mailed again only to one who never signed in
    assert got_status == status, got
    listed = [u for u in directory.users_of("tandarts-de-vries") if u.email == "balie@example.org"]
    assert len(listed) == 1
    if status == 409:
        assert got["error"]["code"] == outcome
    else:
        back = {"email": "balie@example.org", "role": "viewer", "enabled": True}
        assert got == back | {"outcome": outcome}
        assert (listed[0].role.value, listed[0].enabled) == ("viewer", True)
    assert directory.invitations.count("balie@example.org") == invitations


def test_another_practices_address_is_a_conflict_that_neither_tells_nor_touches_it(sandbox):
    """R32, audit onboarding D3 (tenant isolation): inviting an address of another practice
    answers as for an active user, and leaves that practice's user as it was."""
    directory = sandbox.runtime.user_directory
    oost = f"{PROVIDERS}/fysio-centrum-oost/users"
    body = {"email": "balie@example.org", "role": "staff"}
    assert operator(sandbox, "POST", oost, body)[0] == 201
    assert operator(sandbox, "DELETE", f"{oost}/balie@example.org")[0] == 200
    before = directory.users_of("fysio-centrum-oost")
    # Given also an active user of the dental practice
    active = {"email": "actief@example.org", "role": "staff"}
    assert operator(sandbox, "POST", DENTAL_USERS, active)[0] == 201
    directory.first_sign_in("actief@example.org")
    # When the dental practice invites the other practice's (disabled) address, and its own
    body = {"email": "balie@example.org", "role": "admin"}
    foreign = sandbox.api("POST", "/api/v1/provider/users", caller=practice("admin"), body=body)
    own = sandbox.api("POST", "/api/v1/provider/users", caller=practice("admin"), body=active)
    # Then both are the same 409, and the other practice's user is untouched
    assert foreign == own
    assert foreign[0] == 409 and foreign[1]["error"]["code"] == "user_exists"
    assert directory.users_of("fysio-centrum-oost") == before
    assert directory.users_of("tandarts-de-vries")[0].email == "actief@example.org"
    assert directory.invitations.count("balie@example.org") == 1


def enabled_admins(sandbox):
    listed = sandbox.runtime.user_directory.users_of("tandarts-de-vries")
    return [u.email for u in listed if u.enabled and u.role.value == "admin"]


@pytest.mark.parametrize(
    "who, method, path, body",
    [
        ("operator", "DELETE", f"{DENTAL_USERS}/{ONLY_ADMIN}", None),
        # An admin whose own account was disabled still holds an API token for up to 60
        # minutes: they do not take the practice's last admin with them.
        ("practice admin", "DELETE", f"/api/v1/provider/users/{ONLY_ADMIN}", None),
        ("practice admin", "PATCH", f"/api/v1/provider/users/{ONLY_ADMIN}", {"role": "staff"}),
        # Invited again in a lower role (audit onboarding D3): the same guard
        ("operator", "POST", DENTAL_USERS, {"email": ONLY_ADMIN, "role": "staff"}),
    ],
    ids=["operator-disables", "admin-disables", "admin-demotes", "operator-reinvites-as-staff"],
)
def test_nobody_disables_or_demotes_a_practices_last_enabled_admin(
    sandbox, who, method, path, body
):
    """R32, audit onboarding D9: "a practice must not lock out its last admin", on the
    operator's path as on the practice admin's."""
    # Given a practice with one admin and a staff member
    for email, role in ((ONLY_ADMIN, "admin"), ("balie@example.org", "staff")):
        assert operator(sandbox, "POST", DENTAL_USERS, {"email": email, "role": role})[0] == 201
    caller = OPERATOR if who == "operator" else practice("admin")
    # When that admin is disabled or given a lower role
    status, answer = sandbox.api(method, path, caller=caller, body=body)
    # Then 409 with the reason in Dutch and English, and the admin is still there
    assert (status, answer["error"]["code"]) == (409, "last_admin")
    assert "enige actieve beheerder" in answer["error"]["message"]
    assert "only active admin" in answer["error"]["message"]
    assert enabled_admins(sandbox) == [ONLY_ADMIN]
    # And once a second admin is invited, the first one may go
    second = {"email": "tweede@example.org", "role": "admin"}
    assert operator(sandbox, "POST", DENTAL_USERS, second)[0] == 201
    assert sandbox.api(method, path, caller=caller, body=body)[0] == 200
    assert enabled_admins(sandbox) == ["tweede@example.org"]


def test_the_operator_api_documents_itself(sandbox):
    status, page = sandbox.api("GET", "/api/v1/operator/docs")
    assert status == 200 and "swagger" in page.lower()
    status, document = sandbox.api("GET", "/api/v1/operator/openapi.json")
    assert status == 200 and "/api/v1/operator/providers" in document["paths"]


# --- the practice admin's own settings (interfaces.md §7) ----------------------------------


SETTINGS = "/api/v1/provider/settings"


def practice(role):
    return Caller.practice("tandarts-de-vries", role, user_id=f"user-{role}")


def test_the_admin_changes_contact_and_dunning_and_it_shows_in_the_history(sandbox):
    status, own = sandbox.api("GET", SETTINGS, caller=practice("admin"))
    assert status == 200 and own["version"] == 1
    patch = {
        "version": 1,
        "contact": {"phone": "030 765 4321"},
        "dunning": {"days_to_reminder": 10},
    }
    status, changed = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=patch)
    assert status == 200, changed
    assert changed["version"] == 2 and changed["contact"]["phone"] == "030 765 4321"
    assert changed["contact"]["email"] == own["contact"]["email"]  # merged, not replaced
    _, history = operator(sandbox, "GET", f"{PROVIDERS}/tandarts-de-vries/history")
    latest = history["items"][-1]
    assert (latest["version"], latest["changed_by"], latest["role"]) == (2, "user-admin", "admin")
    assert [c["field"] for c in latest["changes"]] == ["contact.phone", "dunning.days_to_reminder"]


@pytest.mark.parametrize(
    "role, patch, status, code",
    [
        ("admin", {"payout": {"iban": "NL44RABO0123456789"}}, 403, "operator_only_setting"),
        (
            "admin",
            {"agb_codes": [{"code": "99999999", "kind": "practice"}]},
            403,
            "operator_only_setting",
        ),
        ("staff", {"contact": {"phone": "030 765 4321"}}, 403, "role_too_low"),
        ("viewer", {"contact": {"phone": "030 765 4321"}}, 403, "role_too_low"),
        ("admin", {"dunning": {"days_to_handover": 2}}, 400, "validation_error"),
        ("admin", {"coulance": {"minimum_percentage": "120"}}, 400, "validation_error"),
    ],
)
def test_what_the_practice_cannot_change_is_refused_and_nothing_changes(
    sandbox, role, patch, status, code
):
    before = copy.deepcopy(stored_items(sandbox))
    answer_status, answer = sandbox.api(
        "PATCH", SETTINGS, caller=practice(role), body={"version": 1} | patch
    )
    assert (answer_status, answer["error"]["code"]) == (status, code)
    assert stored_items(sandbox) == before
    if code == "operator_only_setting":
        assert "zorgnota" in answer["error"]["message"]


def test_a_stale_self_service_change_is_a_conflict(sandbox):
    body = {"version": 1, "contact": {"hours": "ma-do 8:00-17:00"}}
    assert sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=body)[0] == 200
    status, answer = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=body)
    assert (status, answer["error"]["code"]) == (409, "stale_version")


def test_the_admin_invites_and_disables_colleagues_within_the_practice(sandbox):
    admin = practice("admin")
    status, _ = sandbox.api(
        "POST",
        "/api/v1/provider/users",
        caller=admin,
        body={"email": "a@example.org", "role": "viewer"},
    )
    assert status == 201
    status, listed = sandbox.api("GET", "/api/v1/provider/users", caller=admin)
    assert listed["items"] == [{"email": "a@example.org", "role": "viewer", "enabled": True}]
    # Another practice's admin sees nobody and disables nobody of this practice
    physio_admin = Caller.practice("fysio-centrum-oost", "admin")
    assert sandbox.api("GET", "/api/v1/provider/users", caller=physio_admin)[1]["items"] == []
    assert (
        sandbox.api("DELETE", "/api/v1/provider/users/a@example.org", caller=physio_admin)[0] == 404
    )
    status, disabled = sandbox.api("DELETE", "/api/v1/provider/users/a@example.org", caller=admin)
    assert (status, disabled["enabled"]) == (200, False)


def test_the_admin_gives_a_colleague_another_role_within_the_practice(sandbox):
    """Issue 16 (R32): the API and the portal change a role through the same service."""
    admin = practice("admin")
    body = {"email": "b@example.org", "role": "viewer"}
    sandbox.api("POST", "/api/v1/provider/users", caller=admin, body=body)
    target = "/api/v1/provider/users/b@example.org"
    physio_admin = Caller.practice("fysio-centrum-oost", "admin")
    assert sandbox.api("PATCH", target, caller=physio_admin, body={"role": "admin"})[0] == 404
    assert sandbox.api("PATCH", target, caller=practice("staff"), body={"role": "admin"})[0] == 403
    status, changed = sandbox.api("PATCH", target, caller=admin, body={"role": "staff"})
    assert (status, changed) == (200, {"email": "b@example.org", "role": "staff", "enabled": True})
