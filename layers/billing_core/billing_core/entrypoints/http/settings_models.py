"""The HTTP shapes of provider settings, their history and a practice's users, shared by
the operator API (interfaces.md §6) and the practice admin's self-service (§7). The
settings themselves are ``providers.provider.Provider``: the same model validates the
operator's JSON, the stored item and what the runtime reads (R31)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Self

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.dunning.policy import DunningPolicy
from billing_core.entrypoints.http.answers import AttributesOut
from billing_core.providers.provider import Contact, Contract, Email, Provider
from billing_core.providers.settings_history import SettingsVersion
from billing_core.providers.user_changes import UserChangeKind
from billing_core.providers.users import Invitation, InviteOutcome, Role
from billing_core.shared.clock import AMSTERDAM

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

    from billing_core.declarations.rules.insurers import Insurer


class ContractOut(Contract):
    """A contract as stored (``Contract``), with its insurer's name and labels and the
    register version they were read from, read-only."""

    insurer_name: str | None = Field(
        default=None,
        description="the insurer's name in zorgnota's insurer register (R33): the version in"
        " force today for a running contract, on its last day for one that ended, on its"
        " first for one to come; null: the register does not know the code then",
    )
    insurer_labels: tuple[str, ...] = Field(
        default=(),
        description="the brand labels declared under the code in that same register version"
        " (9664: CZ, OHRA, Nationale-Nederlanden); empty: none, or the code is unknown then",
    )
    insurer_register_version: str = Field(
        description="the label of that register version (its valid-from date and the"
        " how-manieth load for it, e.g. 2026-06-01.1): with insurer_name null, the version"
        " that does not know the code, as the settings page says: not in zorgnota's insurer"
        " register (version …) (R33)",
    )


class OwnSettingsOut(Provider):
    """A practice's own settings (interfaces.md §7), each contract with its insurer's name:
    a practice knows its insurers by name, the settings hold UZOVI codes (R33)."""

    contracts: tuple[ContractOut, ...] = ()

    @classmethod
    def of(
        cls, provider: Provider, insurers: Sequence[tuple[Insurer | None, str]]
    ) -> OwnSettingsOut:
        """``insurers``: one per contract, in their order, with the label of the register
        version read (``services.provider.settings.contract_insurers``)."""
        contracts = tuple(
            ContractOut(
                uzovi=contract.uzovi,
                starts=contract.starts,
                ends=contract.ends,
                insurer_name=insurer.name if insurer else None,
                insurer_labels=insurer.labels if insurer else (),
                insurer_register_version=version,
            )
            for contract, (insurer, version) in zip(provider.contracts, insurers, strict=True)
        )
        # Not validated again: the settings were, when read (a rule added since holds for
        # their next write only, providers.provider._on_write).
        values = {name: getattr(provider, name) for name in Provider.model_fields}
        return cls.model_construct(**(values | {"contracts": contracts}))


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
        description="providers on this page whose stored settings no longer validate: the"
        " runs skip them until an operator replaces them (R31)"
    )
    next_cursor: str | None = Field(
        default=None,
        description="Pass as cursor for the next page, the providers after; none on the last page",
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
            changed_at=change.changed_at.astimezone(AMSTERDAM),
            changes=[
                FieldChangeOut(field=c.field, before=c.before, after=c.after)
                for c in change.changes
            ],
        )


class SettingsHistoryOut(BaseModel):
    items: list[SettingsVersionOut]


def _without_defaults(schema: dict[str, Any]) -> None:
    """A field a PATCH leaves out stays as it is: no default to document."""
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


def _patch_of(settings: type[BaseModel]) -> type[BaseModel]:
    """``settings`` as a PATCH sends it: each field with its own type and limits (the
    document names them), none required, one left out left as it is (``changes``)."""
    fields: dict[str, Any] = {
        name: (info.annotation, FieldInfo.merge_field_infos(info, default=None))
        for name, info in settings.model_fields.items()
    }
    config = settings.model_config | ConfigDict(json_schema_extra=_without_defaults)
    return create_model(f"{settings.__name__}Patch", __config__=config, **fields)


# What an admin changes of the own settings (services/provider/settings.SELF_SERVICE),
# derived from the models that validate them, so their fields and limits cannot drift.
if TYPE_CHECKING:  # to mypy, a model made at run time is no type: these stand for them
    ContactPatch = Contact | None  # None: not sent (a null sent is refused, 400)
    DunningPolicyPatch = DunningPolicy | None
    CoulancePolicyPatch = CoulancePolicy | None
else:
    ContactPatch = _patch_of(Contact)
    DunningPolicyPatch = _patch_of(DunningPolicy)
    CoulancePolicyPatch = _patch_of(CoulancePolicy)


class SettingsPatchIn(BaseModel):
    """``version``: the one you edited. The settings to change beside it: contact,
    dunning, coulance, each field given merged into the current ones. Any other setting
    is refused (403 operator_only_setting: the payout account, the AGB codes and the
    other settings change only through zorgnota); a name that is no setting, 400."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_without_defaults)

    version: int = Field(ge=1)
    contact: ContactPatch = None
    dunning: DunningPolicyPatch = None
    coulance: CoulancePolicyPatch = None

    def changes(self) -> dict[str, Any]:
        """{setting: the fields given}: the settings sent (any other too, to be refused)."""
        return self.model_dump(mode="json", exclude_unset=True, exclude={"version"})


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


class InvitationOut(UserOut):
    """201 with ``invited``: a new user, e-mailed an invitation. 200 with ``reinvited`` or
    ``enabled``: the address was this practice's user already, and is back in the role
    asked for. An active user, or an address that is not this practice's: 409
    ``user_exists``."""

    outcome: InviteOutcome = Field(
        description="invited: a new user (201); reinvited: the user had never signed in and"
        " is e-mailed a new invitation, and enabled if they were disabled (200); enabled:"
        " the disabled user, who had signed in before, is enabled again (200)"
    )


INVITE_AGAIN = (
    "Inviting an address that is this practice's user already brings the user back, in"
    " the role asked for: one who never signed in (the invitation's temporary password"
    " lasts 3 days) is e-mailed a new invitation; one who was disabled is enabled again."
    " An active user, or an address that is not this practice's, is refused (409"
    " user_exists)."
)
INVITATION_ANSWERS: dict[int, OpenAPIResponse] = {
    HTTPStatus.CREATED.value: {
        "description": "invited: a new user, e-mailed an invitation",
        "content": {"application/json": {"model": InvitationOut}},
    },
    HTTPStatus.OK.value: {
        "description": "reinvited or enabled: this practice's user, back in the role asked for",
        "content": {"application/json": {"model": InvitationOut}},
    },
}


def invitation_answer(invitation: Invitation) -> Response[InvitationOut]:
    """The answer of both APIs' invite: 201 for a new user, 200 for one brought back."""
    new = invitation.outcome is InviteOutcome.INVITED
    body = InvitationOut(**UserOut.of(invitation.user).model_dump(), outcome=invitation.outcome)
    status = HTTPStatus.CREATED if new else HTTPStatus.OK
    return Response(status.value, body=body, content_type="application/json")


class UserListOut(BaseModel):
    items: list[UserOut]


class UserChangeOut(AttributesOut):
    """One change of a practice's users (R31, R32): who, when, and what."""

    changed_by: str = Field(description="the Cognito user id of who made the change")
    role: str = Field(description="the role they acted in: operators, or admin of the practice")
    changed_at: datetime
    kind: UserChangeKind = Field(
        description="invited: a new user; reinvited: a new invitation to one who never signed"
        " in; enabled: a disabled user enabled again; role_changed; disabled"
    )
    user_id: str = Field(description="the Cognito user id of the user changed")
    email: str = Field(description="the address of the user changed")
    role_before: Role | None = Field(description="null: a new user")
    role_after: Role
    enabled_before: bool | None = Field(description="null: a new user")
    enabled_after: bool

    @classmethod
    def of(cls, value: object) -> Self:
        """In Dutch time, as every moment the APIs answer, whatever zone it was stored in."""
        answer = cls.model_validate(value)
        return answer.model_copy(update={"changed_at": answer.changed_at.astimezone(AMSTERDAM)})


class UserHistoryOut(BaseModel):
    items: list[UserChangeOut] = Field(description="oldest first")
