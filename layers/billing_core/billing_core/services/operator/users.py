"""A practice's users (R32): invited with a role by an operator or by the practice's own
admin, disabled when they leave. The user directory (Cognito) sends the invitation."""

from __future__ import annotations

from billing_core.ports import UserExists
from billing_core.providers.users import DirectoryUser, Role
from billing_core.services.operator.context import OperatorContext
from billing_core.shared.errors import practice_refused


def invite_user(
    provider_id: str, email: str, role: Role, ctx: OperatorContext
) -> DirectoryUser | None:
    """None for an unknown provider; refused (409) when the address has a user already."""
    if ctx.store.get_provider(provider_id) is None:
        return None
    try:
        return ctx.users.invite(provider_id, email.strip().lower(), role)
    except UserExists:
        raise practice_refused("user_exists") from None


def disable_user(provider_id: str, email: str, ctx: OperatorContext) -> DirectoryUser | None:
    """None when the provider has no user with this address."""
    return ctx.users.disable(provider_id, email.strip().lower())


def change_role(
    provider_id: str, email: str, role: Role, ctx: OperatorContext
) -> DirectoryUser | None:
    """None when the provider has no user with this address."""
    return ctx.users.change_role(provider_id, email.strip().lower(), role)


def list_users(provider_id: str, ctx: OperatorContext) -> list[DirectoryUser]:
    return ctx.users.users_of(provider_id)
