"""The practice's patients blocked because of a claim at the collection agency, and the
blocks and unblocks since a moment, for its practice software (R22)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from billing_core.collection.blocking import BlockChange, BlockedPatient
from billing_core.ports import InvalidPosition, change_log_moment
from billing_core.providers.users import ProviderUser, Role
from billing_core.services import inputs
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.audit import ReadKind, patients_named


@dataclass(frozen=True, slots=True)
class BlockedPatients:
    patients: list[BlockedPatient]  # by patient number
    as_of: date
    next_position: str | None = None  # a page with more after it: where the next goes on


# How long before it is written a change can be stamped. Writers stamp a change first and
# write it later in the same Lambda invocation: the dunning run stamps a handover's block,
# then saves the invoice and writes the agency file to S3 (dunning/run.py). AWS stops an
# invocation after 15 minutes at most (the dunning run's Timeout is that limit), so a
# change not yet readable at a moment is stamped less than 15 minutes before it; 5 more
# cover a query that does not see a write just committed yet and two Lambdas' clocks.
STAMP_BEFORE_WRITE = timedelta(minutes=20)


# What an API page holds at most, of the changes and of the blocked patients: one answer
# of every change since a moment passed Lambda's 6 MB at about 71,000 changes
# (blockfeed54), one of every blocked patient at about 47,000 (JSON, 133 B a patient
# with one invoice; blockedlist55).
API_PAGE = 1000


@dataclass(frozen=True, slots=True)
class BlockChanges:
    since: datetime  # as asked, in Dutch time
    changes: list[BlockChange]  # oldest first
    read_at: datetime  # taken just before the first page of them was read
    next_position: str | None = None  # more follow: where the next page goes on

    @property
    def next_since(self) -> datetime:
        """Ask from here next time: the moment of the read less ``STAMP_BEFORE_WRITE``,
        never before ``since``. Not the last change's moment: a change stamped before it
        may still have been in the writing, and would never be served (R22, audit provider
        D4). Changes of the last 20 minutes come once more; applying one twice is
        harmless. Never after the read either: a ``since`` ahead of our clock (a client
        whose clock runs ahead) would skip every change made until then (leftovers53).
        With more to come, never after this page's last change either: a client that
        follows only ``next_since`` reads the rest (and that moment's again) next time."""
        margin = self.read_at - STAMP_BEFORE_WRITE
        after_read = self.since if margin < self.since <= self.read_at else margin
        if self.next_position is None:
            return after_read
        return min(after_read, self.changes[-1].at)


def blocked_patients(user: ProviderUser, ctx: ProviderContext) -> BlockedPatients:
    provider_id = tenant_for(user, Role.VIEWER)
    blocked = ctx.store.blocked_patients(provider_id)
    ctx.record_shown(user, ReadKind.PATIENT_LIST, "blocked", _patients(blocked))
    return BlockedPatients(blocked, ctx.clock.today())


def blocked_patients_file(user: ProviderUser, ctx: ProviderContext, most: int) -> BlockedPatients:
    """Every blocked patient for one file, as the portal downloads them; more than
    ``most`` are refused (InvalidInput, ``blocked_patients_too_many``) before any is
    shown: one answer of them all passed Lambda's 6 MB (blockedlist55), the API serves
    them in pages (R22, R35)."""
    provider_id = tenant_for(user, Role.VIEWER)
    blocked, following = ctx.store.blocked_patient_page(provider_id, most)
    if following is not None:
        raise inputs.InvalidInput("query.format", "blocked_patients_too_many", most=most)
    ctx.record_shown(user, ReadKind.PATIENT_LIST, "blocked", _patients(blocked))
    return BlockedPatients(blocked, ctx.clock.today())


def blocked_patients_page(
    user: ProviderUser, limit: int, after: str | None, ctx: ProviderContext
) -> BlockedPatients:
    """A page of ``blocked_patients``, as the portal shows them and the API serves them:
    all in one page passed Lambda's 6 MB at about 38,000 (portalfeed54). ``after``: the ``next_position`` of the
    previous page (InvalidPosition for one no page hands out). Only the page's patients
    are recorded as shown (R32)."""
    provider_id = tenant_for(user, Role.VIEWER)
    blocked, following = ctx.store.blocked_patient_page(provider_id, limit, after)
    ctx.record_shown(user, ReadKind.PATIENT_LIST, "blocked", _patients(blocked))
    return BlockedPatients(blocked, ctx.clock.today(), following)


def block_changes_since(
    user: ProviderUser,
    since: str,
    ctx: ProviderContext,
    *,
    limit: int | None = None,
    after: str | None = None,
) -> BlockChanges:
    """``since``: an ISO 8601 moment, inclusive; without an offset it is Dutch time.
    Every change, or a page of at most ``limit``; ``after``: the ``next_position`` of the
    previous page, asked with the same ``since`` (InvalidPosition otherwise)."""
    found = _read_changes(user, since, ctx, limit, after)
    ctx.record_shown(user, ReadKind.PATIENT_LIST, "block_changes", _patients(found.changes))
    return found


def block_changes_file(
    user: ProviderUser, since: str, ctx: ProviderContext, most: int
) -> BlockChanges:
    """Every change since ``since`` for one file, as the portal downloads it; more than
    ``most`` are refused (InvalidInput, ``block_changes_too_many``) before any is shown:
    one answer of them all passed Lambda's 6 MB (portalfeed54), the API serves them in
    pages (R22, R35)."""
    found = _read_changes(user, since, ctx, most, None)
    if found.next_position is not None:
        raise inputs.InvalidInput("query.since", "block_changes_too_many", most=most)
    ctx.record_shown(user, ReadKind.PATIENT_LIST, "block_changes", _patients(found.changes))
    return found


def _read_changes(
    user: ProviderUser, since: str, ctx: ProviderContext, limit: int | None, after: str | None
) -> BlockChanges:
    """The changes ``block_changes_since`` serves, their read not yet recorded."""
    provider_id = tenant_for(user, Role.VIEWER)
    moment = inputs.moment(since, "query.since")
    now = ctx.clock.now()
    read_at, store_after = _paged_from(after, now) if after is not None else (now, None)
    if limit is None:
        changes, last = ctx.store.block_changes(provider_id, moment), None
    else:
        changes, last = ctx.store.block_change_page(provider_id, moment, limit, store_after)
    following = None if last is None else f"{change_log_moment(read_at)}|{last}"
    return BlockChanges(moment, changes, read_at, following)


def _paged_from(position: str, now: datetime) -> tuple[datetime, str]:
    """A ``next_position``: the moment the first page was read (the next_since of the last
    page follows from it, so a change written while the pages were read comes again) and
    the change log's position to go on after."""
    first_read, _, store_after = position.partition("|")
    try:
        read_at = datetime.fromisoformat(first_read)
    except ValueError:
        raise InvalidPosition("not a block change page position") from None
    if change_log_moment(read_at) != first_read:
        raise InvalidPosition("not a block change page position")
    return min(read_at, now), store_after


def _patients(shown: Sequence[BlockedPatient] | Sequence[BlockChange]) -> list[str]:
    """Each patient number a list shows, once, in its order: what its read names (R32)."""
    return patients_named(entry.patient_ref for entry in shown)
