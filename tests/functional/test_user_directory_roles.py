"""The practices' users in Cognito, as deployed, behind the provider API and the operator
API (R32, interfaces.md §6, §7): each Cognito call their user routes make is one their
role in template.yaml allows (the portal's grants: tests/template/test_iam.py).

The sandbox keeps its users in memory, so no Cognito call of these routes reached the
IAM recorder (audit security SECURITY1: inviting a disabled user again needs
AdminEnableUser, and an operator's new role AdminRemoveUserFromGroup, which the roles
did not grant). Here the user pool is moto's, made with the template's schema and groups;
the autouse recorder of conftest.py checks every call against template.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from billing_core.adapters.cognito_users import CognitoUserDirectory
from billing_core.providers.users import Role
from local.resources import load_template
from local.sandbox import Caller, Sandbox
from local.seed import DENTAL
from tests.functional.test_provider_portal import sample_login

ADMIN = sample_login(DENTAL, "admin")
COLLEAGUE = "balie@tandarts.example.org"


@pytest.fixture
def cognito_users(sandbox: Sandbox) -> Iterator[CognitoUserDirectory]:
    yield in_cognito(sandbox)


def in_cognito(sandbox: Sandbox) -> CognitoUserDirectory:
    """The sandbox's users from now on in a Cognito pool, its admin invited there."""
    cognito = boto3.client("cognito-idp", region_name="eu-central-1")
    pool_properties = load_template()["Resources"]["ProviderUserPool"]["Properties"]
    pool = cognito.create_user_pool(
        PoolName="practices",
        UsernameAttributes=pool_properties["UsernameAttributes"],
        Schema=pool_properties["Schema"],
    )["UserPool"]["Id"]
    for role in Role:
        cognito.create_group(UserPoolId=pool, GroupName=role.value)
    directory = CognitoUserDirectory(cognito, pool)
    directory.invite(DENTAL.provider_id, ADMIN, Role.ADMIN)  # set up as an operator would
    sandbox.runtime.__dict__["user_directory"] = directory
    return directory


def colleague(directory: CognitoUserDirectory) -> tuple[str, bool]:
    user = next(u for u in directory.users_of(DENTAL.provider_id) if u.email == COLLEAGUE)
    return user.role.value, user.enabled


def test_a_practice_admin_brings_back_a_colleague_disabled_by_mistake(sandbox, cognito_users):
    # Given the practice's admin invited a colleague and disabled them through the API
    admin = Caller.user(next(iter(cognito_users.users_of(DENTAL.provider_id))))
    invite = {"email": COLLEAGUE, "role": "staff"}
    assert sandbox.api("POST", "/api/v1/provider/users", body=invite, caller=admin)[0] == 201
    assert sandbox.api("DELETE", f"/api/v1/provider/users/{COLLEAGUE}", caller=admin)[0] == 200
    # When the admin invites them again
    status, answer = sandbox.api("POST", "/api/v1/provider/users", body=invite, caller=admin)
    # Then they are enabled again (and the recorder finds AdminEnableUser in the API's role)
    assert (status, answer["outcome"], colleague(cognito_users)) == (
        200,
        "reinvited",
        ("staff", True),
    )


def test_an_operator_invites_a_disabled_user_again_in_another_role(sandbox, cognito_users):
    # Given a viewer the operator invited and then disabled
    users = f"/api/v1/operator/providers/{DENTAL.provider_id}/users"
    operator = Caller.operator()
    viewer = {"email": COLLEAGUE, "role": "viewer"}
    assert sandbox.api("POST", users, body=viewer, caller=operator)[0] == 201
    assert sandbox.api("DELETE", f"{users}/{COLLEAGUE}", caller=operator)[0] == 200
    # When the operator invites them again as staff
    staff = {"email": COLLEAGUE, "role": "staff"}
    status, _ = sandbox.api("POST", users, body=staff, caller=operator)
    # Then they are enabled in that one role (not left in two groups, still disabled)
    assert (status, colleague(cognito_users)) == (200, ("staff", True))
    groups = cognito_users._client.admin_list_groups_for_user(
        UserPoolId=cognito_users._pool, Username=COLLEAGUE
    )["Groups"]
    assert [group["GroupName"] for group in groups] == ["staff"]


class _RemovalThrottledOnce:
    """A cognito-idp client whose first AdminRemoveUserFromGroup is throttled, as Cognito's
    per-pool quotas do under load (or as a Lambda timeout leaves a change half done)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._throttled = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def admin_remove_user_from_group(self, **call: Any) -> Any:
        if not self._throttled:
            self._throttled = True
            error = {"Error": {"Code": "TooManyRequestsException", "Message": "Rate exceeded"}}
            raise ClientError(error, "AdminRemoveUserFromGroup")
        return self._client.admin_remove_user_from_group(**call)


def test_a_demotion_sent_again_after_a_failed_call_leaves_the_colleague_in_the_new_role_only(
    sandbox, cognito_users
):
    """R32, R38 (audit ONBOARD2-1): given a second admin, and a Cognito client whose removal
    from the old group fails once, when the admin demotes that colleague to viewer (500) and
    sends the same change again, then the answer is 200 viewer, the colleague is in the viewer
    group only (the portal and tokens take the highest group, so a left-over admin group kept
    every right), and the user list shows them once, as viewer."""
    admin = Caller.user(next(iter(cognito_users.users_of(DENTAL.provider_id))))
    invite = {"email": COLLEAGUE, "role": "admin"}
    assert sandbox.api("POST", "/api/v1/provider/users", body=invite, caller=admin)[0] == 201
    flaky = CognitoUserDirectory(_RemovalThrottledOnce(cognito_users._client), cognito_users._pool)
    sandbox.runtime.__dict__["user_directory"] = flaky
    demote = {"role": "viewer"}
    with pytest.raises(ClientError):
        sandbox.api("PATCH", f"/api/v1/provider/users/{COLLEAGUE}", body=demote, caller=admin)

    status, answer = sandbox.api(
        "PATCH", f"/api/v1/provider/users/{COLLEAGUE}", body=demote, caller=admin
    )

    assert (status, answer["role"]) == (200, "viewer")
    groups = cognito_users._client.admin_list_groups_for_user(
        UserPoolId=cognito_users._pool, Username=COLLEAGUE
    )["Groups"]
    assert [group["GroupName"] for group in groups] == ["viewer"]
    listed = sandbox.api("GET", "/api/v1/provider/users", caller=admin)[1]["items"]
    assert [(u["email"], u["role"]) for u in listed if u["email"] == COLLEAGUE] == [
        (COLLEAGUE, "viewer")
    ]


def test_a_user_left_in_two_role_groups_is_listed_once_with_the_role_that_counts(
    sandbox, cognito_users
):
    """R32 (audit ONBOARD2-1): a role change cut off between its two calls leaves a user in two
    groups; the token and the portal take the higher one (highest_role), so the list says that
    one, once, and not a lower role beside it."""
    admin = Caller.user(next(iter(cognito_users.users_of(DENTAL.provider_id))))
    invite = {"email": COLLEAGUE, "role": "viewer"}
    assert sandbox.api("POST", "/api/v1/provider/users", body=invite, caller=admin)[0] == 201
    cognito_users._client.admin_add_user_to_group(
        UserPoolId=cognito_users._pool, Username=COLLEAGUE, GroupName="admin"
    )

    listed = [u for u in cognito_users.users_of(DENTAL.provider_id) if u.email == COLLEAGUE]

    assert [user.role.value for user in listed] == ["admin"]


class _GroupCallThrottledOnce(_RemovalThrottledOnce):
    """A cognito-idp client whose first AdminAddUserToGroup is throttled."""

    def admin_add_user_to_group(self, **call: Any) -> Any:
        if not self._throttled:
            self._throttled = True
            error = {"Error": {"Code": "TooManyRequestsException", "Message": "Rate exceeded"}}
            raise ClientError(error, "AdminAddUserToGroup")
        return self._client.admin_add_user_to_group(**call)

    def admin_remove_user_from_group(self, **call: Any) -> Any:
        return self._client.admin_remove_user_from_group(**call)


@pytest.mark.parametrize("again_by", ["admin", "operator"])
def test_an_invitation_cut_off_before_its_role_is_finished_when_sent_again(
    sandbox, cognito_users, again_by
):
    """R32, R38 (audit ONBOARD2-2): given an invitation whose AdminCreateUser went through
    (Cognito e-mailed the temporary password) and whose AdminAddUserToGroup was throttled
    (500), when the admin, or an operator, invites the address again, then the colleague
    joins the staff group and is listed; before, every retry answered 409 user_exists, and
    the user was in no list and could not be disabled (404): an address lost for good."""
    admin = Caller.user(next(iter(cognito_users.users_of(DENTAL.provider_id))))
    flaky = CognitoUserDirectory(
        _GroupCallThrottledOnce(cognito_users._client), cognito_users._pool
    )
    sandbox.runtime.__dict__["user_directory"] = flaky
    invite = {"email": COLLEAGUE, "role": "staff"}
    with pytest.raises(ClientError):
        sandbox.api("POST", "/api/v1/provider/users", body=invite, caller=admin)

    if again_by == "admin":
        status, answer = sandbox.api("POST", "/api/v1/provider/users", body=invite, caller=admin)
    else:
        users = f"/api/v1/operator/providers/{DENTAL.provider_id}/users"
        status, answer = sandbox.api("POST", users, body=invite, caller=Caller.operator())

    assert (status, answer.get("role")) == (201, "staff")
    assert colleague(cognito_users) == ("staff", True)
    groups = cognito_users._client.admin_list_groups_for_user(
        UserPoolId=cognito_users._pool, Username=COLLEAGUE
    )["Groups"]
    assert [group["GroupName"] for group in groups] == ["staff"]


def test_another_practices_user_is_still_refused_as_existing(sandbox, cognito_users):
    """R32: the address of another practice's user, in a role or not, answers the one
    generic 409 and is never moved into this practice."""
    cognito_users._client.admin_create_user(
        UserPoolId=cognito_users._pool,
        Username=COLLEAGUE,
        UserAttributes=[
            {"Name": "email", "Value": COLLEAGUE},
            {"Name": "custom:provider_id", "Value": "fysio-centrum-oost"},
        ],
        MessageAction="SUPPRESS",
    )
    admin = Caller.user(next(iter(cognito_users.users_of(DENTAL.provider_id))))
    invite = {"email": COLLEAGUE, "role": "staff"}

    status, answer = sandbox.api("POST", "/api/v1/provider/users", body=invite, caller=admin)

    assert (status, answer["error"]["code"]) == (409, "user_exists")
    groups = cognito_users._client.admin_list_groups_for_user(
        UserPoolId=cognito_users._pool, Username=COLLEAGUE
    )["Groups"]
    assert groups == []
