"""The user directory of the sandbox and the tests (R32): Cognito's behaviour that the use
cases rely on, in memory. Each user gets an id as Cognito's ``sub`` would be; the
sandbox hands out a token per user carrying its role (local/server.py)."""

from __future__ import annotations

import uuid
from dataclasses import replace

from billing_core.ports import UserExists
from billing_core.providers.users import DirectoryUser, Role, new_session_epoch
from billing_core.shared.clock import Clock


class InMemoryUserDirectory:
    def __init__(self, clock: Clock | None = None) -> None:
        """clock: the service's, for a user's ``created_at`` (as Cognito's UserCreateDate);
        without one, ``created_at`` is not known (None)."""
        self._clock = clock
        self._users: dict[str, DirectoryUser] = {}  # by e-mail: Cognito's user name
        self.invitations: list[str] = []  # the addresses an invitation e-mail went to

    def invite(self, provider_id: str, email: str, role: Role) -> DirectoryUser:
        if email in self._users:
            raise UserExists(email)
        user = DirectoryUser(
            email,
            provider_id,
            role,
            user_id=str(uuid.uuid4()),
            awaiting_first_sign_in=True,
            created_at=self._clock.now() if self._clock is not None else None,
        )
        self._users[email] = user
        self.invitations.append(email)
        return user

    def resend_invitation(self, provider_id: str, email: str) -> DirectoryUser | None:
        user = self._own_user(provider_id, email)
        if user is not None:
            self.invitations.append(email)
        return user

    def enable(self, provider_id: str, email: str) -> DirectoryUser | None:
        user = self._own_user(provider_id, email)
        if user is None:
            return None
        self._users[email] = enabled = replace(user, enabled=True)
        return enabled

    def first_sign_in(self, email: str) -> None:
        """The sandbox's sign-in page stands in for the user choosing their own password
        at their first sign-in (Cognito: FORCE_CHANGE_PASSWORD to CONFIRMED)."""
        self._users[email] = replace(self._users[email], awaiting_first_sign_in=False)

    def disable(self, provider_id: str, email: str) -> DirectoryUser | None:
        user = self._own_user(provider_id, email)
        if user is None:
            return None
        disabled = replace(user, enabled=False, session_epoch=new_session_epoch())
        self._users[email] = disabled
        return disabled

    def change_role(self, provider_id: str, email: str, role: Role) -> DirectoryUser | None:
        user = self._own_user(provider_id, email)
        if user is None:
            return None
        self._users[email] = changed = replace(user, role=role)
        return changed

    def _own_user(self, provider_id: str, email: str) -> DirectoryUser | None:
        """Only a user of this provider: a practice admin cannot reach another's users."""
        user = self._users.get(email)
        return user if user is not None and user.provider_id == provider_id else None

    def users_of(self, provider_id: str) -> list[DirectoryUser]:
        return [u for _, u in sorted(self._users.items()) if u.provider_id == provider_id]

    def user_by_id(self, user_id: str) -> DirectoryUser | None:
        return next((u for u in self._users.values() if u.user_id == user_id), None)

    def end_sessions(self, user_id: str) -> None:
        user = self.user_by_id(user_id)
        if user is not None:
            self._users[user.email] = replace(user, session_epoch=new_session_epoch())

    def everyone(self) -> list[DirectoryUser]:
        """The sandbox's token list: every user of every provider."""
        return [self._users[email] for email in sorted(self._users)]
