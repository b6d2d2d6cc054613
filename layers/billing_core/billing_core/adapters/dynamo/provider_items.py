"""Provider settings (R31) <-> DynamoDB items: one item per provider.

Apart from items.py so that a function that never reads a provider (the bank statement,
the PSP webhook, the e-mail events, the agency's report) does not build the provider's
pydantic models at its cold start (issue 11 item 5). A function whose use case reads a
provider imports the model with that use case, at init, not on its first event.
"""

from __future__ import annotations

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import Item
from billing_core.providers.provider import STORED, Provider


def provider_to_item(provider: Provider) -> Item:
    """Listed on the by-provider index under PROVIDERS, so the weekly run (R24) finds every
    provider with a Query, not a table scan."""
    return {
        **keys.provider_key(provider.provider_id),
        "gsi2pk": keys.PROVIDERS_INDEX,
        "gsi2sk": provider.provider_id,
        **provider.model_dump(mode="json"),
    }


def provider_from_item(item: Item) -> Provider:
    """Validated as stored settings: a rule added after the item was written does not make
    it unreadable (providers.provider._on_write)."""
    stored_only = ("pk", "sk", "gsi2pk", "gsi2sk")
    settings = {k: v for k, v in item.items() if k not in stored_only}
    return Provider.model_validate(settings, context=STORED)


def agb_marker_to_item(code: str, provider_id: str) -> Item:
    """Ids only: which provider holds the AGB code."""
    return {**keys.agb_marker_key(code), "entity": "agb", "provider_id": provider_id}


def agb_holder(item: Item | None) -> str:
    """The provider an AGB code's marker names; "" for none (never claimed, or released)."""
    return str((item or {}).get("provider_id", ""))
