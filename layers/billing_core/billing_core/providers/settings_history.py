"""Every version of a provider's settings: who, when, and what changed, field by field
(R31). A field is a dotted path into the settings' JSON (``payout.iban``); a list (AGB
codes, contracts, coverage rules) is one field, shown whole before and after.

A version also keeps what the request that saved it is known by (``shared.retries``):
sent again after its answer was lost (the function died after the save, its key's
record gone), the request finds its version saved and is answered as it was, not
refused as an edit of a version someone else replaced (R38)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from billing_core.providers.provider import STORED, Contract, Provider

# Not a setting: the counter the history itself is ordered by.
_BOOKKEEPING = frozenset({"version"})


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any  # JSON values; None for a field that was not there
    after: Any


@dataclass(frozen=True, slots=True)
class Editor:
    """Who saves a version: the Cognito user id (never a name) and the role it acted in:
    ``operators``, or ``admin`` for a practice's self-service change."""

    user_id: str
    role: str


@dataclass(frozen=True, slots=True)
class SettingsVersion:
    provider_id: str
    version: int
    changed_by: str  # the Cognito user id (never a name)
    role: str  # "operators", or the practice role of a self-service change
    changed_at: datetime
    changes: tuple[FieldChange, ...]
    cause: str = ""  # the request that saved it (``RetryCauses.new``); "" when not known
    request_fingerprint: str = ""  # what that request asked (``RequestCause.request``)


def changes_between(before: Provider | None, after: Provider) -> tuple[FieldChange, ...]:
    """Field-level differences; every field is new for the first version."""
    old = _flat(before.model_dump(mode="json")) if before else {}
    new = _flat(after.model_dump(mode="json"))
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in sorted(old.keys() | new.keys())
        if name not in _BOOKKEEPING and old.get(name) != new.get(name)
    )


def _flat(settings: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in settings.items():
        if isinstance(value, Mapping):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def service_fee_at(
    current: Provider, history: Iterable[SettingsVersion], moment: datetime
) -> Decimal:
    """The service fee in force at ``moment`` (R24, R31): the value the first change of it
    saved after then replaced, or the current one when none was changed since."""
    for version in sorted(history, key=lambda version: version.version):
        if version.changed_at <= moment:
            continue
        for change in version.changes:
            # ``before`` is None only in a provider's first version: no fee to go back to.
            if change.field == "service_fee_percentage" and change.before is not None:
                return Decimal(str(change.before))
    return current.service_fee_percentage


def contracts_at(
    current: Provider, history: Iterable[SettingsVersion], moment: datetime
) -> tuple[Contract, ...]:
    """The insurer contracts as they were known at ``moment`` (R5, R31): the list the first
    change of it saved after then replaced, or the current one when none was changed
    since. What an invoice made at ``moment`` was priced on: a contract entered later, with
    retroactive effect or not, is no part of it."""
    for version in sorted(history, key=lambda version: version.version):
        if version.changed_at <= moment:
            continue
        for change in version.changes:
            # ``before`` is None only in a provider's first version: none known before it.
            if change.field == "contracts":
                before = change.before or []
                return tuple(Contract.model_validate(c, context=STORED) for c in before)
    return current.contracts


def settings_as_saved(
    current: Provider, history: Iterable[SettingsVersion], version: int
) -> Provider | None:
    """The settings as ``version`` saved them: the current ones with each later version's
    changes undone, newest first (R31, R38: a retry is answered with what its request
    saved, not with what others saved since). None when the history cannot give them
    back: a version of it lost, or a value that no longer validates."""
    later = sorted((v for v in history if v.version > version), key=lambda v: -v.version)
    if [v.version for v in later] != list(range(current.version, version, -1)):
        return None
    values = current.model_dump(mode="json")
    for change in (change for v in later for change in v.changes):
        _set(values, change.field, change.before)
    try:
        return Provider.model_validate(values | {"version": version}, context=STORED)
    except ValidationError:
        return None


def _set(settings: dict[str, Any], field: str, value: Any) -> None:
    """``field``: a dotted path, as ``changes_between`` names it. A ``value`` of None is
    a field that was not there (``FieldChange.before``): it is removed, so the model's
    default applies, and so is a block it leaves empty. A block that is None (undone to
    not there, or so stored) becomes one to set the field in."""
    *parents, name = field.split(".")
    if value is None:
        _remove(settings, parents, name)
        return
    for parent in parents:
        if settings.get(parent) is None:
            settings[parent] = {}
        settings = settings[parent]
    settings[name] = value


def _remove(settings: dict[str, Any], parents: list[str], name: str) -> None:
    """Removes the field ``name`` under ``parents``, and the blocks that leaves empty."""
    if not parents:
        settings.pop(name, None)
        return
    block = settings.get(parents[0])
    if isinstance(block, dict):
        _remove(block, parents[1:], name)
    if block is None or block == {}:  # not there, or emptied: the model's default applies
        settings.pop(parents[0], None)
