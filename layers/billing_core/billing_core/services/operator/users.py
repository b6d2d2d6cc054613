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
    """None when the provider has no user with this address; refused (409) for its last
    enabled admin."""
    email = email.strip().lower()
    _keeps_an_admin(provider_id, email, ctx)
    return ctx.users.disable(provider_id, email)


def change_role(
    provider_id: str, email: str, role: Role, ctx: OperatorContext
) -> DirectoryUser | None:
    """None when the provider has no user with this address; refused (409) when it would
    take the admin role from the provider's last enabled admin."""
    email = email.strip().lower()
    if role is not Role.ADMIN:
        _keeps_an_admin(provider_id, email, ctx)
    return ctx.users.change_role(provider_id, email, role)


def _keeps_an_admin(provider_id: str, leaving: str, ctx: OperatorContext) -> None:
    """Refused when ``leaving`` is the provider's only enabled admin: without one nobody
    changes the practice's contact, policies or users any more (R32), whoever asks."""
    enabled_admins = {
        u.email for u in ctx.users.users_of(provider_id) if u.enabled and u.role is Role.ADMIN
    }
    if enabled_admins == {leaving}:
        raise practice_refused("last_admin")


def list_users(provider_id: str, ctx: OperatorContext) -> list[DirectoryUser]:
    return ctx.users.users_of(provider_id)
