"""Who calls the provider API, from the token the Cognito authorizer verified."""

from __future__ import annotations

from dataclasses import dataclass

from aws_lambda_powertools.event_handler.exceptions import ForbiddenError, UnauthorizedError
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from billing_core.shared.audit import Reader

PROVIDER_CLAIM = "custom:provider_id"
GROUPS_CLAIM = "cognito:groups"
PROVIDER_ROLES = ("admin", "staff", "viewer")  # R32, the strongest first
OPERATORS_GROUP = "operators"
OPERATOR_ROLE = "operator"


@dataclass(frozen=True, slots=True)
class Caller:
    provider_id: str  # the tenant: every read and write is keyed by it (R26)
    user_id: str  # who acted, for the ledger (R27): the Cognito user's id, never a name
    role: str = "provider_user"  # the R32 role the token's groups give, for the audit

    @property
    def reader(self) -> Reader:
        return Reader(self.user_id, self.role)


def caller(event: APIGatewayProxyEvent) -> Caller:
    """The tenant from the verified token claim only, never from the path or body (R26)."""
    claims = event.request_context.authorizer.claims or {}
    tenant = claims.get(PROVIDER_CLAIM)
    if not tenant:
        raise UnauthorizedError("no provider in token")
    groups = token_groups(claims)
    role = next((role for role in PROVIDER_ROLES if role in groups), "provider_user")
    return Caller(str(tenant), str(claims.get("sub", "unknown")), role)


def token_groups(claims: dict[str, str]) -> set[str]:
    """The Cognito groups claim as API Gateway passes it on: a string such as
    ``admin,staff`` or ``[admin staff]``."""
    text = str(claims.get(GROUPS_CLAIM, "")).strip("[]")
    return {group for group in text.replace(",", " ").split() if group}


def operator(event: APIGatewayProxyEvent) -> Reader:
    """The operator API's caller: a user of the ``operators`` group, else 403."""
    claims = event.request_context.authorizer.claims or {}
    if OPERATORS_GROUP not in token_groups(claims):
        raise ForbiddenError("for operators only")
    return Reader(str(claims.get("sub", "unknown")), OPERATOR_ROLE)
