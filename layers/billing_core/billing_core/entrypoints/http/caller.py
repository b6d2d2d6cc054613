"""Who calls the provider API, from the token the Cognito authorizer verified."""

from __future__ import annotations

from dataclasses import dataclass

from aws_lambda_powertools.event_handler.exceptions import UnauthorizedError
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

PROVIDER_CLAIM = "custom:provider_id"


@dataclass(frozen=True, slots=True)
class Caller:
    provider_id: str  # the tenant: every read and write is keyed by it (R26)
    user_id: str  # who acted, for the ledger (R27): the Cognito user's id, never a name


def caller(event: APIGatewayProxyEvent) -> Caller:
    """The tenant from the verified token claim only, never from the path or body (R26)."""
    claims = event.request_context.authorizer.claims or {}
    tenant = claims.get(PROVIDER_CLAIM)
    if not tenant:
        raise UnauthorizedError("no provider in token")
    return Caller(provider_id=str(tenant), user_id=str(claims.get("sub", "unknown")))
