"""Your practice's users (R32, interfaces.md §7): the admin invites and disables, and
reads who changed them, when and what (R31)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path

from billing_core import bootstrap
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.error_document import reading_the_settings
from billing_core.entrypoints.http.errors import NO_SETTINGS, NO_USER, found
from billing_core.entrypoints.http.idempotency import request_cause
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.entrypoints.http.settings_models import (
    INVITATION_ANSWERS,
    INVITE_AGAIN,
    InvitationOut,
    RoleIn,
    UserChangeOut,
    UserHistoryOut,
    UserIn,
    UserListOut,
    UserOut,
    invitation_answer,
)
from billing_core.providers.users import Role
from billing_core.services.provider import users

router = ResourceRouter("Users", role=Role.ADMIN)


@router.get("/api/v1/provider/users", summary="Your practice's users and their roles")
def list_users() -> UserListOut:
    listed = users.colleagues(caller(router.current_event), bootstrap.current().provider_context())
    return UserListOut(items=[UserOut.of(u) for u in listed])


@router.get(
    "/api/v1/provider/users/history",
    summary="Who invited, enabled, re-roled or disabled your practice's users, and when",
    responses=reading_the_settings(UserHistoryOut),
)
def user_history() -> UserHistoryOut:
    history = users.colleague_history(
        caller(router.current_event), bootstrap.current().provider_context()
    )
    return UserHistoryOut(items=[UserChangeOut.of(c) for c in found(history, NO_SETTINGS)])


@router.post(
    "/api/v1/provider/users",
    summary="Invite a colleague, with a role",
    description=INVITE_AGAIN,
    responses=INVITATION_ANSWERS,
)
def invite_user(body: UserIn) -> Response[InvitationOut]:
    event = router.current_event
    invited = users.invite_colleague(
        caller(event),
        body.email,
        body.role,
        bootstrap.current().provider_context(),
        cause=request_cause(event.raw_event),
    )
    return invitation_answer(found(invited, NO_SETTINGS))


@router.patch(
    "/api/v1/provider/users/<email>",
    summary="Give a colleague another role (in the portal at once; an API token keeps its role until it expires)",
)
def change_role(email: Annotated[str, Path(max_length=254)], body: RoleIn) -> UserOut:
    event = router.current_event
    changed = users.change_colleague_role(
        caller(event),
        email,
        body.role,
        bootstrap.current().provider_context(),
        cause=request_cause(event.raw_event),
    )
    return UserOut.of(found(changed, NO_USER))


@router.delete("/api/v1/provider/users/<email>", summary="Disable a colleague")
def disable_user(email: Annotated[str, Path(max_length=254)]) -> UserOut:
    event = router.current_event
    disabled = users.disable_colleague(
        caller(event),
        email,
        bootstrap.current().provider_context(),
        cause=request_cause(event.raw_event),
    )
    return UserOut.of(found(disabled, NO_USER))
