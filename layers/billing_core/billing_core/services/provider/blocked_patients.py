"""The practice's patients blocked because of a claim at the collection agency, and the
blocks and unblocks since a moment, for its practice software (R22)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from billing_core.collection.blocking import BlockChange, BlockedPatient
from billing_core.providers.users import ProviderUser, Role
from billing_core.services import inputs
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext


@dataclass(frozen=True, slots=True)
class BlockedPatients:
    patients: list[BlockedPatient]  # by patient number
    as_of: date


@dataclass(frozen=True, slots=True)
class BlockChanges:
    since: datetime  # as asked, in Dutch time
    changes: list[BlockChange]  # oldest first

    @property
    def next_since(self) -> datetime:
        """Ask from here next time: the last change's moment (``since`` is inclusive, so it
        comes once more; applying a change twice is harmless)."""
        return self.changes[-1].at if self.changes else self.since


def blocked_patients(user: ProviderUser, ctx: ProviderContext) -> BlockedPatients:
    provider_id = tenant_for(user, Role.VIEWER)
    return BlockedPatients(ctx.store.blocked_patients(provider_id), ctx.clock.today())


def block_changes_since(user: ProviderUser, since: str, ctx: ProviderContext) -> BlockChanges:
    """``since``: an ISO 8601 moment, inclusive; without an offset it is Dutch time."""
    provider_id = tenant_for(user, Role.VIEWER)
    moment = inputs.moment(since, "query.since")
    return BlockChanges(moment, ctx.store.block_changes(provider_id, moment))
