"""A provider's settings, created and replaced by an operator (R31, interfaces.md §6).

Each save is a new version with its field-level history entry, written on condition of
the version it replaces: a stale edit changes nothing (409). The settings are the
pydantic ``Provider``, so what is written has passed the runtime's own validation.
"""

from __future__ import annotations

from billing_core.ports import ConcurrentChange, ProviderSettingsStore
from billing_core.providers.provider import Provider
from billing_core.providers.settings_history import (
    Editor,
    SettingsVersion,
    changes_between,
)
from billing_core.services.inputs import InvalidInput
from billing_core.services.operator.context import OperatorContext
from billing_core.shared.clock import Clock
from billing_core.shared.errors import practice_refused


def create_provider(settings: Provider, editor: Editor, ctx: OperatorContext) -> Provider:
    """Version 1; refused (409) when the id is taken."""
    if ctx.store.get_provider(settings.provider_id) is not None:
        raise practice_refused("provider_exists")
    try:
        return save_version(None, settings, editor, ctx.store, ctx.clock)
    except ConcurrentChange:
        raise practice_refused("provider_exists") from None


def replace_provider(
    provider_id: str, settings: Provider, editor: Editor, ctx: OperatorContext
) -> Provider | None:
    """``settings.version`` is the version the operator edited; None for an unknown id."""
    if settings.provider_id != provider_id:
        raise InvalidInput("body.provider_id", "the provider id cannot change")
    current = ctx.store.get_provider(provider_id)
    if current is None:
        return None
    return save_version(current, settings, editor, ctx.store, ctx.clock)


def list_providers(ctx: OperatorContext) -> list[Provider]:
    return ctx.store.list_providers()


def get_provider(provider_id: str, ctx: OperatorContext) -> Provider | None:
    return ctx.store.get_provider(provider_id)


def provider_history(provider_id: str, ctx: OperatorContext) -> list[SettingsVersion] | None:
    """Oldest first; None for an unknown id."""
    if ctx.store.get_provider(provider_id) is None:
        return None
    return ctx.store.provider_history(provider_id)


def save_version(
    current: Provider | None,
    settings: Provider,
    editor: Editor,
    store: ProviderSettingsStore,
    clock: Clock,
) -> Provider:
    """The one way settings are written (the operator's and the practice admin's): the
    next version, when ``settings`` edits the current one and changes something."""
    current_version = current.version if current else 0
    if current is not None and settings.version != current_version:
        raise practice_refused("stale_version", version=current_version)
    stored = settings.model_copy(update={"version": current_version + 1})
    changes = changes_between(current, stored)
    if current is not None and not changes:
        return current
    change = SettingsVersion(
        provider_id=stored.provider_id,
        version=stored.version,
        changed_by=editor.user_id,
        role=editor.role,
        changed_at=clock.now(),
        changes=changes,
    )
    try:
        store.save_provider(stored, change)
    except ConcurrentChange:
        raise practice_refused("stale_version", version=current_version) from None
    return stored
