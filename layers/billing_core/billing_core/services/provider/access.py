"""Roles on every provider use case, here in the services so the API and the portal
cannot differ (R32, interfaces.md §7): each use case names the least role it needs."""

from __future__ import annotations

from billing_core.providers.users import ProviderUser, Role
from billing_core.shared.errors import practice_refused


def tenant_for(user: ProviderUser, needed: Role) -> str:
    """The tenant to key every read and write by (R26), once the role allows the use
    case; Forbidden (403) before anything is read or changed when it does not."""
    if user.role is None or not user.role.may_act_as(needed):
        raise practice_refused("role_too_low", role=user.role or "-", needed=needed.value)
    return user.provider_id
