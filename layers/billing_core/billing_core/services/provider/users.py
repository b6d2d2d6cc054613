"""The practice admin's colleagues (R32, interfaces.md §7): listed, invited with a role,
disabled; only within the admin's own practice."""

from __future__ import annotations

from billing_core.providers.users import DirectoryUser, ProviderUser, Role
from billing_core.services.operator import users as directory
from billing_core.services.operator.context import OperatorContext
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext


def colleagues(user: ProviderUser, ctx: ProviderContext) -> list[DirectoryUser]:
    return directory.list_users(tenant_for(user, Role.ADMIN), _directory(ctx))


def invite_colleague(
    user: ProviderUser, email: str, role: Role, ctx: ProviderContext
) -> DirectoryUser | None:
    return directory.invite_user(tenant_for(user, Role.ADMIN), email, role, _directory(ctx))


def disable_colleague(user: ProviderUser, email: str, ctx: ProviderContext) -> DirectoryUser | None:
    return directory.disable_user(tenant_for(user, Role.ADMIN), email, _directory(ctx))


def _directory(ctx: ProviderContext) -> OperatorContext:
    return OperatorContext(store=ctx.store, users=ctx.users, clock=ctx.clock)
