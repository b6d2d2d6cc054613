"""Who calls the provider or operator API, from the token the Cognito authorizer verified:
the tenant (``custom:provider_id``) and the groups (``cognito:groups``: a practice role,
or ``operators`` for zorgnota's back office, R32)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler.exceptions import UnauthorizedError
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from billing_core.providers.settings_history import Editor
from billing_core.providers.users import OPERATORS_GROUP, ProviderUser, Role, highest_role
from billing_core.services.provider.access import tenant_for
from billing_core.shared.errors import practice_refused

PROVIDER_CLAIM = "custom:provider_id"
GROUPS_CLAIM = "cognito:groups"


def caller(event: APIGatewayProxyEvent) -> ProviderUser:
    """The tenant from the verified token claim only, never from the path or body (R26);
    the role from its groups (the highest, should a user be in more than one). A user's
    token without a practice (an operator's) is refused (403), as ``operator`` refuses a
    practice's: 401 would send the client to log in again, for the same token."""
    claims = _claims(event)
    tenant = claims.get(PROVIDER_CLAIM)
    if not tenant and not claims.get("sub"):
        raise UnauthorizedError("no user in token")
    if not tenant:
        raise practice_refused("practice_users_only")
    return ProviderUser(
        provider_id=str(tenant),
        user_id=str(claims.get("sub", "unknown")),
        role=highest_role(groups_of(claims)),
    )


def operator(event: APIGatewayProxyEvent) -> Editor:
    """An operator (group ``operators``); a practice's token is refused (403)."""
    claims = _claims(event)
    if not claims.get("sub"):
        raise UnauthorizedError("no user in token")
    if OPERATORS_GROUP not in groups_of(claims):
        raise practice_refused("operators_only")
    return Editor(user_id=str(claims["sub"]), role=OPERATORS_GROUP)


def groups_of(claims: Mapping[str, Any]) -> frozenset[str]:
    """API Gateway passes the groups as text: "a,b" (REST) or "[a b]" (HTTP APIs)."""
    value = claims.get(GROUPS_CLAIM) or ""
    if isinstance(value, list):
        return frozenset(str(group) for group in value)
    return frozenset(group for group in re.split(r"[\s,\[\]]+", str(value)) if group)


def _claims(event: APIGatewayProxyEvent) -> Mapping[str, Any]:
    return event.request_context.authorizer.claims or {}


def operators_only(event: APIGatewayProxyEvent, _needed: Role | None = None) -> None:
    """The operator API's gate (``json_api``): every route is for operators only (R32),
    decided before anything of the request is read."""
    operator(event)


def practice_role(event: APIGatewayProxyEvent, needed: Role | None) -> None:
    """The provider API's gate (``json_api``): a practice's user whose role is at least the
    one the route declares (R32, the use case checks it again, ``tenant_for``), decided
    before anything of the request is read. A route that declares none is for admins:
    a new route is closed until it says who may use it."""
    tenant_for(caller(event), needed or Role.ADMIN)
