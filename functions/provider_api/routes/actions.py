"""What waits for the practice (R23), and its decision on a coulance proposal (R17)."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from billing_core import bootstrap
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.errors import NO_ACTION, found
from billing_core.entrypoints.http.provider_models import ActionListOut, ActionOut, ActionPatch
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.providers.actions import ACTION_ID_PATTERN, ActionState
from billing_core.providers.users import Role
from billing_core.services.provider import actions
from billing_core.services.provider.actions import ACTION_PAGE, CoulanceDecision

router = ResourceRouter("Actions", role=Role.VIEWER)
# An action's id is ours, made of ids and ASCII words ("objection-2026-11-23-<hash>",
# "payout-returned-PO-...", "complaint-<SES message id>"): ACTION_ID_PATTERN. Any other is
# malformed: 400, as a malformed invoice id is; a well-formed unknown one 404 (access51).
ACTION_ID = Annotated[str, Path(pattern=ACTION_ID_PATTERN)]


@router.get(
    "/api/v1/provider/actions",
    summary="Everything waiting for you (R23), oldest first, a page of at most limit",
)
def list_actions(
    state: Annotated[
        Literal["open", "done"] | None,
        Query(description="only the open or the done ones; every action when not given"),
    ] = None,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            le=ACTION_PAGE,
            description=f"Actions a page holds at most; {ACTION_PAGE} when not given",
        ),
    ] = None,
    cursor_token: Annotated[
        str | None,
        Query(alias="cursor", max_length=400, description="next_cursor of the page before"),
    ] = None,
) -> ActionListOut:
    listed, following = actions.list_actions_page(
        caller(router.current_event),
        ActionState(state) if state else None,
        limit or ACTION_PAGE,
        cursor.after(cursor_token),
        bootstrap.current().provider_context(),
    )
    return ActionListOut.of(listed, following)


@router.get("/api/v1/provider/actions/<action_id>", summary="One action (R23)")
def get_action(action_id: ACTION_ID) -> ActionOut:
    action = actions.get_action(
        caller(router.current_event), action_id, bootstrap.current().provider_context()
    )
    return ActionOut.of(found(action, NO_ACTION))


@router.patch(
    "/api/v1/provider/actions/<action_id>",
    summary="Mark an action done (or open again)",
    role=Role.STAFF,
)
def patch_action(action_id: ACTION_ID, body: ActionPatch) -> ActionOut:
    who = caller(router.current_event)
    updated = actions.update_action(
        who,
        action_id,
        ActionState(body.state),
        CoulanceDecision(body.decision) if body.decision else None,
        bootstrap.current().provider_context(),
    )
    return ActionOut.of(found(updated, NO_ACTION))
