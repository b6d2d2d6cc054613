"""The practice admin's own settings (R31, interfaces.md §7): contact, dunning and
coulance policy, within the limits the settings model enforces. The payout account and
the AGB codes are changed only by an operator (a changed payout IBAN is the first thing
a fraudster tries). Every change is a version in the same history as the operator's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import ValidationError

from billing_core.declarations.rules.insurers import Insurer, registers_in_use
from billing_core.ports import UnreadableProvider
from billing_core.providers.provider import Contract, Provider
from billing_core.providers.settings_history import Editor
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.inputs import InvalidInput
from billing_core.services.operator.providers import save_version
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.errors import practice_refused
from billing_core.shared.retries import RequestCause

SELF_SERVICE = frozenset({"contact", "dunning", "coulance"})


def own_settings(user: ProviderUser, ctx: ProviderContext) -> Provider | None:
    """None for a tenant without settings (no such provider)."""
    return ctx.store.get_provider(tenant_for(user, Role.ADMIN))


def practice_name(user: ProviderUser, ctx: ProviderContext) -> str:
    """The name of the user's own practice, as every portal page's header says where one
    is signed in (R35; portal51b: it said the id, "tandarts-de-vries"); read once, at
    sign-in, the session keeps it. The id where the settings are gone or cannot be read
    (the pages that need them say so themselves)."""
    try:
        provider = ctx.store.get_provider(user.provider_id)
    except UnreadableProvider:
        provider = None
    return provider.name if provider is not None else user.provider_id


def contract_insurers(
    provider: Provider, ctx: ProviderContext
) -> tuple[tuple[Insurer | None, str], ...]:
    """Each contract's insurer as the register names it (R33), in the order of
    ``provider.contracts``, with the label of the register version read: None for a code
    that version does not know (a practice knows its insurers by name, the settings hold
    the code, R31), which then says "not in zorgnota's insurer register (version …)"."""
    if not provider.contracts:
        return ()  # no Query of the register for a practice without contracts
    registers = registers_in_use(ctx.registers)
    today = ctx.clock.today()
    in_force = (registers.in_force(_day_named(c, today)) for c in provider.contracts)
    return tuple(
        (register.lookup(contract.uzovi), register.version)
        for contract, register in zip(provider.contracts, in_force, strict=True)
    )


def _day_named(contract: Contract, today: date) -> date:
    """The day whose register version names a contract's insurer: today for a running
    contract, its last day for one that ended, its first for one still to come. A code
    dropped from today's register is unknown for a running contract, as the ingest
    reads it (R33)."""
    last = today if contract.ends is None else min(today, contract.ends)
    return max(contract.starts, last)


def change_own_settings(
    user: ProviderUser,
    changes: dict[str, Any],
    version: int,
    ctx: ProviderContext,
    *,
    cause: RequestCause | None = None,
) -> Provider | None:
    """``changes``: {setting: its new value}, a setting's fields merged into the current
    ones; ``version`` is the one the admin edited (stale: 409, but for a retry of the
    request that saved it: ``cause``, ``save_version``). Forbidden (403) for any other
    setting, before anything is read."""
    provider_id = tenant_for(user, Role.ADMIN)
    _refuse_what_is_no_setting(changes.keys())
    others = sorted(changes.keys() - SELF_SERVICE)
    if others:
        raise practice_refused("operator_only_setting", fields=", ".join(others))
    current = ctx.store.get_provider(provider_id)
    if current is None:
        return None
    values = current.model_dump(mode="json") | {"version": version}
    for name, value in changes.items():
        values[name] = values[name] | value if isinstance(value, dict) else value
    settings = _validated(values)
    editor = Editor(user.user_id, user.role or "")
    return save_version(current, settings, editor, ctx.store, ctx.clock, cause=cause)


def _refuse_what_is_no_setting(names: Iterable[str]) -> None:
    """A name the settings do not have ("contcat", typed for contact) is a mistake the admin
    fixes, not a setting to ask zorgnota for: 400 naming it, as the operator's PUT answers
    an unknown field (R31; audit onboard51: it was 403 operator_only_setting)."""
    unknown = sorted(set(names) - Provider.model_fields.keys())
    if unknown:
        raise InvalidInput(f"body.{unknown[0]}", "not_a_setting")


def _validated(values: dict[str, Any]) -> Provider:
    """The same model the operator's settings and the runtime pass (400 if it fails)."""
    try:
        return Provider.model_validate(values)
    except ValidationError as invalid:
        first = invalid.errors()[0]
        where = ".".join(["body", *(str(part) for part in first["loc"])])
        # Here, not at import: only a refusal needs the texts (shared/errors.py says why).
        from billing_core.texts.practice import validation_reasons

        raise InvalidInput(where, "model_refused", **validation_reasons(first)) from None
