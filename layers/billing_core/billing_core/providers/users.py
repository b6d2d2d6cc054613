"""Who works for a practice, and what each role may do (R32, interfaces.md §7).

``viewer`` reads; ``staff`` also uploads, stops, holds, works actions and sends retour
files; ``admin`` also changes the settings and the users. Each role may do all a lower
one may. The roles are Cognito groups of the same names; zorgnota's own back office is
the group ``operators``, which is no practice role.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

OPERATORS_GROUP = "operators"


class Role(StrEnum):
    VIEWER = "viewer"
    STAFF = "staff"
    ADMIN = "admin"

    def may_act_as(self, needed: Role) -> bool:
        return _RANK[self] >= _RANK[needed]


_RANK = {Role.VIEWER: 0, Role.STAFF: 1, Role.ADMIN: 2}


def highest_role(groups: Iterable[str]) -> Role | None:
    """The role of a user's groups, the highest should they be in more than one (as for a
    moment while their role changes); None in no practice role's group."""
    names = set(groups)
    return max((role for role in Role if role.value in names), key=_RANK.__getitem__, default=None)


@dataclass(frozen=True, slots=True)
class ProviderUser:
    """Who asks, from the verified token: the tenant, the Cognito user id (never a name,
    it goes into ledgers and histories, R27) and the role; None for a user in no role
    group, who may do nothing."""

    provider_id: str
    user_id: str
    role: Role | None


@dataclass(frozen=True, slots=True)
class DirectoryUser:
    """A practice's user as the user directory (Cognito) knows it."""

    email: str
    provider_id: str
    role: Role
    user_id: str
    enabled: bool = True
    # Every portal session carries the epoch its user had at sign-in; signing out or being
    # disabled gives the user a new one, which ends the sessions that carry the old (R32).
    session_epoch: str = ""
    # Invited, not yet signed in with the temporary password (Cognito's
    # FORCE_CHANGE_PASSWORD): inviting the address again sends a new invitation.
    awaiting_first_sign_in: bool = False
    # When the directory created the user (Cognito's UserCreateDate); None when not known.
    # A keyed invitation retried after its record failed tells its own invitation by it.
    created_at: datetime | None = None

    @property
    def signed_in(self) -> ProviderUser:
        """Who this user acts as once signed in: the tenant, the id and the role."""
        return ProviderUser(self.provider_id, self.user_id, self.role)


class InviteOutcome(StrEnum):
    """What inviting an address did (R32). ``invited``: a new user. ``reinvited``: the
    practice's user had never signed in (their temporary password lasts 3 days): a new
    invitation is sent, and the user enabled if they were disabled. ``enabled``: the
    practice's disabled user, who had signed in before, is enabled again. The user has
    the role asked for in each case."""

    INVITED = "invited"
    REINVITED = "reinvited"
    ENABLED = "enabled"


@dataclass(frozen=True, slots=True)
class Invitation:
    user: DirectoryUser
    outcome: InviteOutcome


def new_session_epoch() -> str:
    return secrets.token_urlsafe(12)
