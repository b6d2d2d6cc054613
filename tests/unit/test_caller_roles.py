"""Who calls, from the claims the Cognito authorizer verified (R26, R32): the tenant from
``custom:provider_id`` only, the role from ``cognito:groups`` in either shape API Gateway
passes it."""

from __future__ import annotations

import pytest
from aws_lambda_powertools.event_handler.exceptions import UnauthorizedError
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from billing_core.entrypoints.http.caller import caller, operator
from billing_core.providers.users import Role
from billing_core.shared.errors import Forbidden


def event(**claims):
    return APIGatewayProxyEvent({"requestContext": {"authorizer": {"claims": claims}}})


@pytest.mark.parametrize(
    "groups, role",
    [
        ("viewer", Role.VIEWER),
        ("staff", Role.STAFF),
        ("viewer,admin", Role.ADMIN),  # REST API: comma-separated
        ("[staff viewer]", Role.STAFF),  # HTTP API: bracketed, space-separated
        (["admin"], Role.ADMIN),
        ("", None),
        ("operators", None),
    ],
)
def test_the_highest_practice_role_of_the_token_counts(groups, role):
    user = caller(event(sub="u-1", **{"custom:provider_id": "p-1", "cognito:groups": groups}))
    assert (user.provider_id, user.user_id, user.role) == ("p-1", "u-1", role)


def test_a_token_without_a_practice_is_no_practice_user():
    """interfaces.md §2 ("401/403 auth"), §6's mirror case (audit INTEGRATOR6): a user's
    valid token without a practice (an operator's) is refused, 403, not sent to log in
    again (401) for the same token; a token without a user is 401."""
    with pytest.raises(Forbidden) as refused:
        caller(event(sub="u-1", **{"cognito:groups": "admin"}))
    assert refused.value.code == "practice_users_only"
    # R35 (words53): saying how to go on; before, only that the account has no practice.
    assert refused.value.message_nl == (
        "Dit deel is voor de medewerkers van een praktijk; uw account hoort bij geen praktijk."
        " Log in met het account van een medewerker van de praktijk."
    )
    assert refused.value.message_en == (
        "This part is for a practice's staff; your account belongs to no practice. Sign in"
        " with the account of a member of the practice's staff."
    )
    with pytest.raises(Forbidden):
        caller(event(sub="op-1", **{"cognito:groups": "operators"}))
    with pytest.raises(UnauthorizedError):
        caller(event())


def test_only_the_operators_group_reaches_the_back_office():
    editor = operator(event(sub="op-1", **{"cognito:groups": "operators"}))
    assert (editor.user_id, editor.role) == ("op-1", "operators")
    admin = event(sub="u-1", **{"custom:provider_id": "p-1", "cognito:groups": "admin"})
    with pytest.raises(Forbidden):
        operator(admin)
    with pytest.raises(UnauthorizedError):
        operator(event())
