"""The practice admin's colleagues (R32, interfaces.md §7): listed, invited with a role,
given another role, disabled; only within the admin's own practice. The admin does not
change or disable their own account, and nobody (operator or admin) disables or demotes
the practice's last enabled admin (services/operator/users.py): a practice must not lock
out its last admin. Each change is recorded with the admin as its editor, and the admin
reads who changed the practice's users, when and what (R31, R32)."""

from __future__ import annotations

from billing_core.providers.settings_history import Editor
from billing_core.providers.user_changes import UserChange
from billing_core.providers.users import DirectoryUser, Invitation, ProviderUser, Role
from billing_core.services.operator import users as directory
from billing_core.services.operator.context import OperatorContext
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.errors import practice_refused
from billing_core.shared.retries import RequestCause


def colleagues(user: ProviderUser, ctx: ProviderContext) -> list[DirectoryUser]:
    return directory.list_users(tenant_for(user, Role.ADMIN), _directory(ctx))


def invite_colleague(
    user: ProviderUser,
    email: str,
    role: Role,
    ctx: ProviderContext,
    *,
    cause: RequestCause | None = None,
) -> Invitation | None:
    """``cause``: the request's, a retry answered as its first attempt was (R38)."""
    provider_id = tenant_for(user, Role.ADMIN)
    editor, directory_ctx = _editor(user), _directory(ctx)
    return directory.invite_user(provider_id, email, role, editor, directory_ctx, cause=cause)


def change_colleague_role(
    user: ProviderUser,
    email: str,
    role: Role,
    ctx: ProviderContext,
    *,
    cause: RequestCause | None = None,
) -> DirectoryUser | None:
    """``cause``: the request's, so a retry records a change its first attempt left
    unrecorded (R38, R31)."""
    provider_id = tenant_for(user, Role.ADMIN)
    _not_oneself(user, email, ctx)
    editor, directory_ctx = _editor(user), _directory(ctx)
    return directory.change_role(provider_id, email, role, editor, directory_ctx, cause=cause)


def disable_colleague(
    user: ProviderUser, email: str, ctx: ProviderContext, *, cause: RequestCause | None = None
) -> DirectoryUser | None:
    """``cause``: as ``change_colleague_role``'s."""
    provider_id = tenant_for(user, Role.ADMIN)
    _not_oneself(user, email, ctx)
    editor, directory_ctx = _editor(user), _directory(ctx)
    return directory.disable_user(provider_id, email, editor, directory_ctx, cause=cause)


def colleague_history(user: ProviderUser, ctx: ProviderContext) -> list[UserChange] | None:
    """Who invited, re-roled, enabled or disabled the practice's users, when, oldest first:
    the operator's changes and the admins' alike; the admin's own practice only (R26)."""
    return directory.user_history(tenant_for(user, Role.ADMIN), _directory(ctx))


def _editor(user: ProviderUser) -> Editor:
    """The admin, as a settings version names who saved it (services/provider/settings)."""
    return Editor(user.user_id, user.role or "")


def _not_oneself(user: ProviderUser, email: str, ctx: ProviderContext) -> None:
    """Refused when ``email`` is the admin's own account."""
    own = (u for u in ctx.users.users_of(user.provider_id) if u.user_id == user.user_id)
    if any(u.email == email.strip().lower() for u in own):
        raise practice_refused("own_account")


def _directory(ctx: ProviderContext) -> OperatorContext:
    return OperatorContext(store=ctx.store, users=ctx.users, clock=ctx.clock)
