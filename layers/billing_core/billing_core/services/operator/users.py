"""A practice's users (R32): invited with a role by an operator or by the practice's own
admin, disabled when they leave. The user directory (Cognito) sends the invitation.

Inviting an address of the practice again brings its user back: a new invitation for
one who never signed in (the first expired after 3 days, or went to the spam folder),
enabled again for one disabled by mistake. An active user, or an address of another
practice, stays refused with one and the same answer: it never tells which practice
an address belongs to, and another practice's user is never touched.

Each change is recorded in the provider's partition: who (an operator or the practice's
admin, as an ``Editor``), when, the user and their role and enabled before and after
(R31 "who changed what when", R32, NEN 7513; providers/user_changes.py).

An invitation is recorded under the cause of the request that asked for it
(``shared.retries``), as a stop is: the request sent again after its answer was lost
(the function died after its writes, its key's record gone) is answered as it was, and
sends no second invitation (R38)."""

from __future__ import annotations

from dataclasses import replace

from billing_core.ports import UserExists
from billing_core.providers.settings_history import Editor
from billing_core.providers.user_changes import UserChange, UserChangeKind, change_of
from billing_core.providers.users import DirectoryUser, Invitation, InviteOutcome, Role
from billing_core.services.operator.context import OperatorContext
from billing_core.shared.errors import practice_refused
from billing_core.shared.retries import RequestCause, RetryCauses, retry_causes


def invite_user(
    provider_id: str,
    email: str,
    role: Role,
    editor: Editor,
    ctx: OperatorContext,
    *,
    cause: RequestCause | None = None,
) -> Invitation | None:
    """None for an unknown provider; refused (409) when the address has an active user,
    or a user of another provider. ``editor``: who invites, recorded with what it did.

    ``cause``: what the request is known by, the same for its retries
    (``idempotency.request_cause``, a portal form's one-time key). A retry whose first
    attempt invited and recorded it is answered as that attempt was (its outcome, the
    user as they are now): no second invitation, nothing recorded twice; within the key's
    lifetime only. The same key asking another invitation is refused (``KeyReused``, R38).
    None: a request nobody sends again."""
    if ctx.store.get_provider(provider_id) is None:
        return None
    causes = retry_causes(cause, ctx.clock.now()) if cause is not None else None
    # A request without a key (``RetryCauses.sent_again``) is sent once: no history read.
    changes = ctx.store.user_changes(provider_id) if causes and causes.sent_again else None
    made = _invited_before(provider_id, causes, changes, ctx) if causes and changes else None
    if made is not None:
        return made
    email = email.strip().lower()
    try:
        invited = ctx.users.invite(provider_id, email, role)
    except UserExists:
        existing = _user_of(provider_id, email, ctx)
    else:
        _record(UserChangeKind.INVITED, None, invited, editor, ctx, causes)
        return Invitation(invited, InviteOutcome.INVITED)
    if existing is None or (existing.enabled and not existing.awaiting_first_sign_in):
        raise practice_refused("user_exists")
    if (
        causes is not None
        and changes is not None
        and _own_unrecorded(existing, role, causes, changes)
    ):
        _record(UserChangeKind.INVITED, None, existing, editor, ctx, causes)
        return Invitation(existing, InviteOutcome.INVITED)
    invitation = _invite_again(existing, role, ctx)
    kind = UserChangeKind(invitation.outcome.value)
    _record(kind, existing, invitation.user, editor, ctx, causes)
    return invitation


def _invited_before(
    provider_id: str, causes: RetryCauses, changes: list[UserChange], ctx: OperatorContext
) -> Invitation | None:
    """The invitation an earlier attempt of this request made and recorded, with the
    outcome it answered; ``KeyReused`` when that attempt asked another (R38).
    ``changes``: the provider's user changes."""
    made = next((c for c in changes if causes.made(c.cause, c.changed_at)), None)
    if made is None:
        return None
    causes.same_request(made.request_fingerprint)
    user = _user_of(provider_id, made.email, ctx)
    if user is None:  # gone from the directory since: invited anew
        return None
    return Invitation(user, InviteOutcome(made.kind.value))


def _own_unrecorded(
    user: DirectoryUser, role: Role, causes: RetryCauses, changes: list[UserChange]
) -> bool:
    """Whether ``user`` is this request's own invitation, whose record could not be
    written (a 5xx, its Idempotency-Key's record released): enabled, in the role asked,
    awaiting their first sign-in, created by the directory within the key's lifetime, and
    in no record. Its retry answered 200 "reinvited" and sent a second invitation e-mail
    with a second temporary password, and the history never said "invited" (R38, R32,
    R31; invite58). Another request's invitation of the address whose record failed too
    is taken for this one: the colleague got their e-mail moments before, and the
    history gets the invitation it missed. A user created longer ago, or with a record,
    is invited again, as one without ``created_at`` (not known) is."""
    return (
        user.enabled
        and user.role is role
        and user.awaiting_first_sign_in
        and user.created_at is not None
        and user.created_at >= causes.since
        and all(change.email != user.email for change in changes)
    )


def _invite_again(user: DirectoryUser, role: Role, ctx: OperatorContext) -> Invitation:
    """The role first, so that a user enabled again never acts in their old one."""
    back = user
    if role is not user.role:
        users = ctx.users.users_of(user.provider_id)
        back = _move_to_role(user.provider_id, user.email, role, users, ctx) or back
    if not user.enabled:
        back = ctx.users.enable(user.provider_id, user.email) or back
    if user.awaiting_first_sign_in:
        ctx.users.resend_invitation(user.provider_id, user.email)
        return Invitation(back, InviteOutcome.REINVITED)
    return Invitation(back, InviteOutcome.ENABLED)


def _user_of(provider_id: str, email: str, ctx: OperatorContext) -> DirectoryUser | None:
    return next((u for u in ctx.users.users_of(provider_id) if u.email == email), None)


def disable_user(
    provider_id: str,
    email: str,
    editor: Editor,
    ctx: OperatorContext,
    *,
    cause: RequestCause | None = None,
) -> DirectoryUser | None:
    """None when the provider has no user with this address; refused (409) for its last
    enabled admin. Recorded when the user was enabled (disabling again changes nothing),
    or when a retry finds its first attempt's disabling unrecorded (``_left_unrecorded``)."""
    email = email.strip().lower()
    users = ctx.users.users_of(provider_id)
    before = next((u for u in users if u.email == email), None)
    if before is None:
        return None
    _keeps_an_admin(users, email)
    disabled = ctx.users.disable(provider_id, email)
    if disabled is None:
        return None
    if not before.enabled:
        before = _left_unrecorded(disabled, cause, ctx) or disabled
    if before.enabled:
        _record(UserChangeKind.DISABLED, before, disabled, editor, ctx)
    return disabled


def change_role(
    provider_id: str,
    email: str,
    role: Role,
    editor: Editor,
    ctx: OperatorContext,
    *,
    cause: RequestCause | None = None,
) -> DirectoryUser | None:
    """None when the provider has no user with this address; refused (409) when it would
    take the admin role from the provider's last enabled admin. Recorded when the role
    was another (the same change sent again records nothing twice, R38), or when a retry
    finds its first attempt's change unrecorded (``_left_unrecorded``)."""
    email = email.strip().lower()
    users = ctx.users.users_of(provider_id)
    before = next((u for u in users if u.email == email), None)
    if before is None:
        return None
    changed = _move_to_role(provider_id, email, role, users, ctx)
    if changed is None:
        return None
    if before.role is role:
        before = _left_unrecorded(changed, cause, ctx) or changed
    if before.role is not role:
        _record(UserChangeKind.ROLE_CHANGED, before, changed, editor, ctx)
    return changed


def _left_unrecorded(
    user: DirectoryUser, cause: RequestCause | None, ctx: OperatorContext
) -> DirectoryUser | None:
    """``user`` as the history last recorded them, when the directory has them otherwise:
    a role change or disabling whose first attempt changed the directory and then could
    not write its record (a 5xx, its Idempotency-Key's record released, R38). Its retry
    finds nothing left to change; without this, who took the colleague's access or gave
    them another role was in no history (R31, R32; audit58d). Only for a request that may
    be a retry (a key, a portal form's key: ``RequestCause.sent_again``), as an
    invitation reads the history only then (audit settings53); None for the others, for
    a user with no record (set up before the history), and when the last record is how
    the directory has them."""
    if cause is None or not cause.sent_again:
        return None
    recorded = [c for c in ctx.store.user_changes(user.provider_id) if c.email == user.email]
    if not recorded:
        return None
    last = recorded[-1]
    if (last.role_after, last.enabled_after) == (user.role.value, user.enabled):
        return None
    return replace(user, role=Role(last.role_after), enabled=last.enabled_after)


def _move_to_role(
    provider_id: str, email: str, role: Role, users: list[DirectoryUser], ctx: OperatorContext
) -> DirectoryUser | None:
    if role is not Role.ADMIN:
        _keeps_an_admin(users, email)
    return ctx.users.change_role(provider_id, email, role)


def _keeps_an_admin(users: list[DirectoryUser], leaving: str) -> None:
    """Refused when ``leaving`` is the provider's only enabled admin: without one nobody
    changes the practice's contact, policies or users any more (R32), whoever asks."""
    enabled_admins = {u.email for u in users if u.enabled and u.role is Role.ADMIN}
    if enabled_admins == {leaving}:
        raise practice_refused("last_admin")


def _record(
    kind: UserChangeKind,
    before: DirectoryUser | None,
    after: DirectoryUser,
    editor: Editor,
    ctx: OperatorContext,
    causes: RetryCauses | None = None,
) -> None:
    """After the directory's change: a record is never written for a change that did not
    happen. A crash between the two leaves the change unrecorded; the request's retry
    (its answer was a 5xx, not kept under its Idempotency-Key) records what it does.
    ``causes``: an invitation's request, kept with the record (``_invited_before``)."""
    cause, request = (causes.new, causes.request) if causes is not None else ("", "")
    change = change_of(kind, before, after, editor, ctx.clock.now(), cause, request)
    ctx.store.record_user_change(change)


def list_users(provider_id: str, ctx: OperatorContext) -> list[DirectoryUser]:
    return ctx.users.users_of(provider_id)


def user_history(provider_id: str, ctx: OperatorContext) -> list[UserChange] | None:
    """Who changed the provider's users, when and what, oldest first (R31, R32); None
    for an unknown provider."""
    if ctx.store.get_provider(provider_id) is None:
        return None
    return ctx.store.user_changes(provider_id)
