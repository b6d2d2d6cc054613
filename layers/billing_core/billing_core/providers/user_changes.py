"""Who changed a practice's users, when, and what (R31 "versioned: who changed what
when", R32, NEN 7513): granting access to the practice's patients' data is the change
that decides who may read it.

One ``UserChange`` per invitation, invitation again, role change or disable that changed
something, by an operator or by the practice's admin: who (the Cognito id and the role
they acted in, as a settings version's ``Editor``), when, the user changed (their id and
address: staff data, never logged, R29) and their role and enabled before and after.

An invitation's change also keeps what the request that asked for it is known by
(``shared.retries``): sent again after its answer was lost (the function died after
its writes), the request finds its invitation made, answered as it was, not a second
invitation with a new temporary password and a "reinvited" (R38)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from billing_core.providers.settings_history import Editor
from billing_core.providers.users import DirectoryUser


class UserChangeKind(StrEnum):
    """``invited``, ``reinvited`` and ``enabled`` as InviteOutcome names them."""

    INVITED = "invited"
    REINVITED = "reinvited"
    ENABLED = "enabled"
    ROLE_CHANGED = "role_changed"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class UserChange:
    provider_id: str
    changed_by: str  # the Cognito id of who did it (never a name)
    role: str  # the role they acted in: "operators", or "admin" of the practice
    changed_at: datetime
    kind: UserChangeKind
    user_id: str  # the Cognito id of the user changed
    email: str
    role_before: str | None  # None: a new user
    role_after: str
    enabled_before: bool | None  # None: a new user
    enabled_after: bool
    cause: str = ""  # an invitation's request (``RetryCauses.new``); "" for the others
    request_fingerprint: str = ""  # what that request asked (``RequestCause.request``)


def change_of(
    kind: UserChangeKind,
    before: DirectoryUser | None,
    after: DirectoryUser,
    editor: Editor,
    at: datetime,
    cause: str = "",
    request_fingerprint: str = "",
) -> UserChange:
    return UserChange(
        provider_id=after.provider_id,
        changed_by=editor.user_id,
        role=editor.role,
        changed_at=at,
        kind=kind,
        user_id=after.user_id or (before.user_id if before else ""),
        email=after.email,
        role_before=before.role.value if before else None,
        role_after=after.role.value,
        enabled_before=before.enabled if before else None,
        enabled_after=after.enabled,
        cause=cause,
        request_fingerprint=request_fingerprint,
    )
