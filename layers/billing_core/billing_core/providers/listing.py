"""A page of providers as the store lists them (``readable_providers``, ``provider_page``):
in a module of their own, so a function that never lists the providers (the upload
imports, the PSP webhook) does not build this class at its cold start (make bench (d)).
The runs that list them every time (dunning, retrocession) import it with their use case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from billing_core.providers.provider import Provider


@dataclass(frozen=True, slots=True)
class ProviderListing:
    """Every provider whose settings validate, and the ids of those whose do not; of a
    page (``provider_page``), the last provider id when more follow."""

    providers: list[Provider]
    unreadable: tuple[str, ...] = ()
    next_position: str | None = None
