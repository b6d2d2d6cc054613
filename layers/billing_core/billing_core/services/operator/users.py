"""A practice's users (R32): invited with a role by an operator or by the practice's own
admin, disabled when they leave. The user directory (Cognito) sends the invitation.

Inviting an address of the practice again brings its user back: a new invitation for
one who never signed in (the first expired after 3 days, or went to the spam folder),
enabled again for one disabled by mistake. An active user, or an address of another
practice, stays refused with one and the same answer: it never tells which practice
an address belongs to, and another practice's user is never touched."""

from __future__ import annotations

from billing_core.ports import UserExists
from billing_core.providers.users import DirectoryUser, Invitation, InviteOutcome, Role
from billing_core.services.operator.context import OperatorContext
from billing_core.shared.errors import practice_refused


def invite_user(
    provider_id: str, email: str, role: Role, ctx: OperatorContext
) -> Invitation | None:
    """None for an unknown provider; refused (409) when the address has an active user,
    or a user of another provider."""
    if ctx.store.get_provider(provider_id) is None:
        return None
    email = email.strip().lower()
    try:
        return Invitation(ctx.users.invite(provider_id, email, role), InviteOutcome.INVITED)
    except UserExists:
        existing = _user_of(provider_id, email, ctx)
    if existing is None or (existing.enabled and not existing.awaiting_first_sign_in):
        raise practice_refused("user_exists")
    return _invite_again(existing, role, ctx)


def _invite_again(user: DirectoryUser, role: Role, ctx: OperatorContext) -> Invitation:
    """The role first, so that a user enabled again never acts in their old one."""
    back = user
    if role is not user.role:
        back = change_role(user.provider_id, user.email, role, ctx) or back
    if not user.enabled:
        back = ctx.users.enable(user.provider_id, user.email) or back
    if user.awaiting_first_sign_in:
        ctx.users.resend_invitation(user.provider_id, user.email)
        return Invitation(back, InviteOutcome.REINVITED)
    return Invitation(back, InviteOutcome.ENABLED)


def _user_of(provider_id: str, email: str, ctx: OperatorContext) -> DirectoryUser | None:
    return next((u for u in ctx.users.users_of(provider_id) if u.email == email), None)


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
