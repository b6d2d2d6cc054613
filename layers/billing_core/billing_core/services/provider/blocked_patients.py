"""The practice's patients blocked because of a claim at the collection agency, and the
blocks and unblocks since a moment, for its practice software (R22)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from billing_core.collection.blocking import BlockChange, BlockedPatient
from billing_core.providers.users import ProviderUser, Role
from billing_core.services import inputs
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.audit import ReadKind, patients_named


@dataclass(frozen=True, slots=True)
class BlockedPatients:
    patients: list[BlockedPatient]  # by patient number
    as_of: date


# How long before it is written a change can be stamped. Writers stamp a change first and
# write it later in the same Lambda invocation: the dunning run stamps a handover's block,
# then saves the invoice and writes the agency file to S3 (dunning/run.py). AWS stops an
# invocation after 15 minutes at most (the dunning run's Timeout is that limit), so a
# change not yet readable at a moment is stamped less than 15 minutes before it; 5 more
# cover a query that does not see a write just committed yet and two Lambdas' clocks.
STAMP_BEFORE_WRITE = timedelta(minutes=20)


@dataclass(frozen=True, slots=True)
class BlockChanges:
    since: datetime  # as asked, in Dutch time
    changes: list[BlockChange]  # oldest first
    read_at: datetime  # taken just before the changes were read

    @property
    def next_since(self) -> datetime:
        """Ask from here next time: the moment of the read less ``STAMP_BEFORE_WRITE``,
        never before ``since``. Not the last change's moment: a change stamped before it
        may still have been in the writing, and would never be served (R22, audit provider
        D4). Changes of the last 20 minutes come once more; applying one twice is
        harmless. Never after the read either: a ``since`` ahead of our clock (a client
        whose clock runs ahead) would skip every change made until then (leftovers53)."""
        margin = self.read_at - STAMP_BEFORE_WRITE
        return self.since if margin < self.since <= self.read_at else margin


def blocked_patients(user: ProviderUser, ctx: ProviderContext) -> BlockedPatients:
    provider_id = tenant_for(user, Role.VIEWER)
    blocked = ctx.store.blocked_patients(provider_id)
    ctx.record_shown(user, ReadKind.PATIENT_LIST, "blocked", _patients(blocked))
    return BlockedPatients(blocked, ctx.clock.today())


def block_changes_since(user: ProviderUser, since: str, ctx: ProviderContext) -> BlockChanges:
    """``since``: an ISO 8601 moment, inclusive; without an offset it is Dutch time."""
    provider_id = tenant_for(user, Role.VIEWER)
    moment = inputs.moment(since, "query.since")
    read_at = ctx.clock.now()
    changes = ctx.store.block_changes(provider_id, moment)
    ctx.record_shown(user, ReadKind.PATIENT_LIST, "block_changes", _patients(changes))
    return BlockChanges(moment, changes, read_at)


def _patients(shown: Sequence[BlockedPatient] | Sequence[BlockChange]) -> list[str]:
    """Each patient number a list shows, once, in its order: what its read names (R32)."""
    return patients_named(entry.patient_ref for entry in shown)
