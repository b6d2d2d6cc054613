"""The practice's own details as zorgnota keeps them (R31), for its settings page."""

from __future__ import annotations

from billing_core.providers.provider import Provider
from billing_core.services.provider.context import ProviderContext


def practice_details(provider_id: str, ctx: ProviderContext) -> Provider | None:
    return ctx.store.get_provider(provider_id)
