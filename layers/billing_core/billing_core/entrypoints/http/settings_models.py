"""The HTTP shapes of provider settings, their history and a practice's users, shared by
the operator API (interfaces.md §6) and the practice admin's self-service (§7). The
settings themselves are ``providers.provider.Provider``: the same model validates the
operator's JSON, the stored item and what the runtime reads (R31)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from billing_core.entrypoints.http.answers import AttributesOut
from billing_core.providers.provider import Email, Provider
from billing_core.providers.settings_history import SettingsVersion
from billing_core.providers.users import Role


class ProviderCreatedOut(BaseModel):
    provider_id: str
    version: int


class UnreadableProviderOut(BaseModel):
    provider_id: str
    version: int = Field(
        description="the stored version: PUT the full settings with it to replace them"
        " (0: the item has none, and the API cannot replace it)"
    )
    reason: str = Field(description="the fields that do not validate and why, never a value")


class ProviderListOut(BaseModel):
    items: list[Provider]
    unreadable: list[UnreadableProviderOut] = Field(
        description="providers whose stored settings no longer validate: the runs skip them"
        " until an operator replaces them (R31)"
    )


class FieldChangeOut(BaseModel):
    field: str = Field(description="dotted path into the settings, e.g. payout.iban")
    before: Any = None
    after: Any = None


class SettingsVersionOut(BaseModel):
    version: int
    changed_by: str = Field(description="the Cognito user id of who saved it")
    role: str = Field(description="operators, or the practice role of a self-service change")
    changed_at: datetime
    changes: list[FieldChangeOut]

    @classmethod
    def of(cls, change: SettingsVersion) -> SettingsVersionOut:
        return cls(
            version=change.version,
            changed_by=change.changed_by,
            role=change.role,
            changed_at=change.changed_at,
            changes=[
                FieldChangeOut(field=c.field, before=c.before, after=c.after)
                for c in change.changes
            ],
        )


class SettingsHistoryOut(BaseModel):
    items: list[SettingsVersionOut]


class SettingsPatchIn(BaseModel):
    """``version``: the one you edited. The settings to change beside it: contact,
    dunning, coulance (their fields merged into the current ones)."""

    model_config = ConfigDict(extra="allow")

    version: int = Field(ge=1)

    def changes(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: Email
    role: Role


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class UserOut(AttributesOut):
    email: str
    role: Role
    enabled: bool


class UserListOut(BaseModel):
    items: list[UserOut]
