"""A provider's users, invited with a role or disabled by an operator (R32), and who
changed them, when and what (R31)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path

from billing_core import bootstrap
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.error_document import reading_the_settings
from billing_core.entrypoints.http.errors import NO_PROVIDER, NO_USER, found
from billing_core.entrypoints.http.idempotency import request_cause
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.entrypoints.http.settings_models import (
    INVITATION_ANSWERS,
    INVITE_AGAIN,
    InvitationOut,
    UserChangeOut,
    UserHistoryOut,
    UserIn,
    UserOut,
    invitation_answer,
)
from billing_core.services.operator import users

router = ResourceRouter("Users")
PROVIDER_ID = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
EMAIL = Annotated[str, Path(max_length=254)]


@router.post(
    "/api/v1/operator/providers/<provider_id>/users",
    summary="Invite a user of the provider, with a role; Cognito e-mails the invitation",
    description=INVITE_AGAIN,
    responses=INVITATION_ANSWERS,
)
def invite_user(provider_id: PROVIDER_ID, body: UserIn) -> Response[InvitationOut]:
    event = router.current_event
    ctx = bootstrap.current().operator_context()
    cause = request_cause(event.raw_event)
    invited = users.invite_user(
        provider_id, body.email, body.role, operator(event), ctx, cause=cause
    )
    return invitation_answer(found(invited, NO_PROVIDER))


@router.delete("/api/v1/operator/providers/<provider_id>/users/<email>", summary="Disable the user")
def disable_user(provider_id: PROVIDER_ID, email: EMAIL) -> UserOut:
    event = router.current_event
    editor = operator(event)
    ctx = bootstrap.current().operator_context()
    cause = request_cause(event.raw_event)
    disabled = users.disable_user(provider_id, email, editor, ctx, cause=cause)
    return UserOut.of(found(disabled, NO_USER))


@router.get(
    "/api/v1/operator/providers/<provider_id>/users/history",
    summary="Who invited, enabled, re-roled or disabled the provider's users, and when",
    responses=reading_the_settings(UserHistoryOut),
)
def user_history(provider_id: PROVIDER_ID) -> UserHistoryOut:
    operator(router.current_event)
    history = users.user_history(provider_id, bootstrap.current().operator_context())
    return UserHistoryOut(items=[UserChangeOut.of(c) for c in found(history, NO_PROVIDER)])
