"""Who calls the operator API: a Cognito user in the group ``operators`` (interfaces.md §6);
a practice's token is refused (403) before any route runs."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.exceptions import ServiceError, UnauthorizedError
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

OPERATORS = "operators"
GROUPS_CLAIM = "cognito:groups"


class NotAnOperator(ServiceError):
    def __init__(self) -> None:
        super().__init__(403, "operators only")


def operator_id(event: APIGatewayProxyEvent) -> str:
    """The operator's Cognito user id (who approved what is recorded by it, never a name)."""
    claims = event.request_context.authorizer.claims or {}
    if not claims.get("sub"):
        raise UnauthorizedError("no user in token")
    if OPERATORS not in _groups(claims.get(GROUPS_CLAIM)):
        raise NotAnOperator()
    return str(claims["sub"])


def _groups(claim: object) -> list[str]:
    # API Gateway passes the list as "[a, b]" or "a,b" text, a test event as a list.
    if isinstance(claim, list):
        return [str(group) for group in claim]
    return [group.strip() for group in str(claim or "").strip("[]").replace(",", " ").split()]
