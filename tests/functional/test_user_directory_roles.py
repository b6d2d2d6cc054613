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

import boto3
import pytest

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
