"""What the use cases need from the outside world, as protocols (the adapters live in
``adapters/``: every public method of an adapter is declared on one of these)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple, Protocol

# The kind of the invoice itself, the default of a delivery request (a queued message
# without a kind is an invoice). kinds imports nothing at run time: no cost to a handler.
from billing_core.correspondence.kinds import INVOICE_LETTER

if TYPE_CHECKING:
    # Only the operator's migrations load it: not every function that imports the ports.
    from billing_core.collection.blocking import BlockChange, BlockedPatient, PatientBlock
    from billing_core.declarations.claim_marker_migration import ClaimMarkersCopied
    from billing_core.declarations.record import DeclarationRecord
    from billing_core.declarations.rules.insurers import InsurerRegister
    from billing_core.declarations.rules.register_loads import RegisterLoad
    from billing_core.invoices.invoice import Invoice
    from billing_core.invoices.listing import InvoiceFilter
    from billing_core.invoices.reference_holder import ReferenceHolder
    from billing_core.invoices.retention_migration import ExpiriesDated, ExpiryAdded
    from billing_core.payments.checkouts import CheckoutRecord
    from billing_core.payments.credit_links import BankCreditLink
    from billing_core.payments.open_batch_ids import OpenBatchIdsKept
    from billing_core.payments.psp import PspStatus
    from billing_core.payments.transfer_batches import BatchKind, TransferBatch
    from billing_core.payments.unmatched import CreditMatch, UnmatchedCredit
    from billing_core.providers.actions import ActionState, OpenAction
    from billing_core.providers.listing import ProviderListing
    from billing_core.providers.provider import Provider
    from billing_core.providers.retrocession import StatementSummary
    from billing_core.providers.settings_history import SettingsVersion
    from billing_core.providers.user_changes import UserChange
    from billing_core.providers.users import DirectoryUser, ProviderUser, Role
    from billing_core.providers.week import Week
    from billing_core.shared.audit import ReadRecord
    from billing_core.shared.signed_uploads import SignedUpload
    from billing_core.shared.stored_files import FilePage


class ConcurrentChange(Exception):
    """The item changed since it was read (R28): read it again and retry the change."""


class SavedUnfinished(ConcurrentChange):
    """The request's change was saved; then what follows from it (the patient's block of
    a claim it settled, R22; the bookings of a credit's match planned, R34) kept losing
    its race past the store's retries (R28). Not "nothing was saved": the same request
    sent again (its Idempotency-Key, the same match) finds its change made, books nothing
    twice and finishes the rest (R38)."""


def state_set_meanwhile(current: OpenAction | None, state: ActionState) -> OpenAction | None:
    """What ProviderStore.set_action_state answers when its condition failed, from the
    action as it is now: None when it is gone; the action when another change set the
    same ``state`` (nothing is left to do); ConcurrentChange when it set another."""
    if current is None or current.state == state:
        return current
    raise ConcurrentChange(current.action_id)


class TransactionConflict(Exception):
    """A conditional write was cancelled: something in it already existed."""


class FileGone(LookupError):
    """No file under the key: its bucket's lifecycle rule deleted it (legal-nl.md §8:
    statements and reports 2,922 days) while a record in the table still names it."""


class InvalidPosition(ValueError):
    """A paging position that no list of this kind hands out, or one outside the range
    asked for (issue 13.10): refused before the store is read. Real DynamoDB rejects an
    ExclusiveStartKey outside the key condition with an error; moto does not, so the
    stores check it themselves, alike."""


_INVOICE_POSITION = re.compile(r"(\d{4}-\d{2}-\d{2})#[A-Za-z0-9-]{1,64}")
_DECLARATION_POSITION = re.compile(r"[A-Za-z0-9-]{1,64}")


class UnreadableProvider(Exception):
    """A provider's stored settings do not validate (a malformed legacy item): the runs
    skip the provider and count it, the others go on (R31, issue 14 item 7). An operator
    sees it and replaces the item on its stored ``version`` (0: the item has none that
    reads); ``reason`` names the fields and what is wrong with them, never a value."""

    def __init__(self, provider_id: str, version: int = 0, reason: str = "") -> None:
        super().__init__(provider_id)  # the id only: the item may hold anything
        self.provider_id = provider_id
        self.version = version
        self.reason = reason


# NamedTuples, not dataclasses, these two: as cheap to import as a tuple (every handler
# imports the ports; a frozen, slotted, ordered dataclass costs ~5M instructions to make,
# issue 18 (d)), and a place's order is its fields' as a tuple's is.
class UnreadableInvoice(NamedTuple):
    """A stored invoice item that does not load (a malformed item, an attribute gone or
    of another type), met where a run reads invoices one after the other: its ids only,
    for the run to report and go on without it (R18, R39: one bad invoice never stops the
    rest). It stays where it is stored until an operator mends it."""

    provider_id: str
    invoice_id: str


class DunningPlace(NamedTuple):
    """An invoice's place on the dunning run's index, in its order: the day it is due,
    its provider, patient and id (R18). A run that ran out of time goes on from the first
    place it did not finish (dunning/run.py)."""

    day: date
    provider_id: str
    patient_ref: str
    invoice_id: str

    @classmethod
    def of(cls, invoice: Invoice, day: date) -> DunningPlace:
        return cls(day, invoice.provider_id, invoice.patient_ref, invoice.invoice_id)

    def as_list(self) -> list[str]:
        """The place as the function's call to itself carries it (ids only, R29)."""
        return [self.day.isoformat(), self.provider_id, self.patient_ref, self.invoice_id]

    @classmethod
    def from_list(cls, place: Sequence[str]) -> DunningPlace:
        """The place ``as_list`` wrote. ValueError saying what is wrong, never quoting
        it, for anything else (a hand-made part's event, R29, R39)."""
        if len(place) != len(cls._fields) or not all(place):
            raise ValueError("not a place on the dunning index: [day, provider, patient, invoice]")
        day, provider_id, patient_ref, invoice_id = place
        try:
            return cls(date.fromisoformat(day), provider_id, patient_ref, invoice_id)
        except ValueError:
            raise ValueError("not a place on the dunning index: its day is no day") from None


class AgbCodeTaken(Exception):
    """Another provider holds an AGB code the settings claim (R31, interfaces.md §6: one
    owner per code); nothing of the save was written."""

    def __init__(self, code: str, holder: str) -> None:
        super().__init__(code)
        self.code = code
        self.holder = holder


# A save is one transaction (DynamoDB: at most 100 items): the settings, their history
# entry, and one ownership marker per AGB code the save adds or drops.
AGB_CODE_CHANGES_PER_SAVE = 98


@dataclass(frozen=True, slots=True)
class KnownClaim:
    """A claim line some earlier upload already took care of (R3)."""

    claim_ref: str
    declaration_id: str
    invoice_id: str  # "" when the line went to the insurer
    # A line that went to the insurer: an invoice the same upload made for the same
    # patient, as the declaration addressed it (e-mail, language, debtor). Should the
    # insurer reject the line, its invoice is addressed alike (legal-nl.md §6, R7): the
    # retour file has the 02 record only. An id, so no personal data lands here (R29).
    patient_invoice_id: str = ""


@dataclass(frozen=True, slots=True)
class NewInvoice:
    """An invoice with the claims it settles, written in one go or not at all."""

    invoice: Invoice
    claim_refs: tuple[str, ...]
    actions: tuple[OpenAction, ...] = ()  # open actions born with the invoice (R23)


@dataclass(frozen=True, slots=True)
class NewInvoicesStored:
    """What ``store_new`` did: its transactions, and the invoices it left out because
    their betalingskenmerk already belongs to another invoice (issue 13 item 1)."""

    requests: int
    reference_taken: tuple[str, ...] = ()  # invoice ids, not written


class BillingStore(Protocol):
    def get_provider(self, provider_id: str) -> Provider | None: ...

    def get_declaration(
        self, provider_id: str, declaration_id: str
    ) -> DeclarationRecord | None: ...

    def put_declaration(self, record: DeclarationRecord) -> None: ...

    def start_declaration_version(self, record: DeclarationRecord) -> bool:
        """Put the record on condition that no other object version of its upload was
        started before (issue 13 item 1): False, nothing written, when one was."""
        ...

    def list_declarations(
        self, provider_id: str, *, limit: int = 50, after: str | None = None
    ) -> tuple[list[DeclarationRecord], str | None]: ...

    def retour_applied(self, provider_id: str, digest: str) -> tuple[str, datetime] | None:
        """The upload that first applied a retour file with this content (its SHA-256)
        completely, and when; None when none did (R3)."""
        ...

    def mark_retour_applied(
        self, provider_id: str, digest: str, declaration_id: str, at: datetime
    ) -> bool:
        """Remember that ``declaration_id`` applied the file with this content, on
        condition that nothing is remembered for it yet: False, nothing written, when an
        upload was (the first one stays)."""
        ...

    def reserve_references(self, count: int) -> int: ...

    def wrong_birth_dates(self, reference: str, now: datetime) -> int:
        """Wrong birth dates given for this reference, each within ``window`` of the
        next, the last one less than ``window`` before ``now`` (issue 13.3); else 0."""
        ...

    def add_wrong_birth_date(self, reference: str, now: datetime, window: timedelta) -> None:
        """One more wrong birth date for this reference; the count lives ``window`` from
        ``now`` (the store forgets it then: DynamoDB's TTL)."""
        ...

    def known_claims(
        self, provider_id: str, claim_refs: Iterable[str]
    ) -> dict[str, KnownClaim]: ...

    def store_new(
        self,
        provider_id: str,
        declaration_id: str,
        invoices: Sequence[NewInvoice],
        insurer_claim_refs: Sequence[str],
        patient_invoices: Mapping[str, str] | None = None,
        processed_at: datetime | None = None,
    ) -> NewInvoicesStored:
        """Each invoice with its claim markers and its betalingskenmerk's marker in one
        transaction; an invoice whose kenmerk another invoice holds is left out and named
        (its claims stay unknown); TransactionConflict when anything else existed.
        The insurer-bound lines' markers go first, in transactions of their own: one
        that exists cancels before any invoice is written (issue 18 item 2).
        ``patient_invoices``: an insurer-bound line's ref -> its marker's
        patient_invoice_id (KnownClaim). ``processed_at``: when the upload was processed;
        an insurer-bound line's marker ends as the upload's record does, 2,922 days later
        (legal-nl.md §8, R39), none given: kept."""
        ...

    def store_invoice_for_insurer_claims(self, provider_id: str, new: NewInvoice) -> bool:
        """An invoice for lines that went to the insurer first (their claim markers have
        invoice_id ""), written with the markers pointing to it, or not at all: False
        when a marker already points to an invoice (R3) or its kenmerk is taken."""
        ...

    def add_claim_markers(
        self, declaration_id: str, invoice: Invoice, claim_refs: Sequence[str]
    ) -> None:
        """Markers for lines booked onto ``invoice``, which already exists (a credit line
        of a later upload; the invoice as saved with them): each written only when new, an
        existing marker is kept (R3). A settled invoice's expire with it (§8)."""
        ...

    def get_invoice(
        self, provider_id: str, invoice_id: str, *, consistent: bool = False
    ) -> Invoice | None: ...

    def find_invoice_by_reference(self, reference: str) -> Invoice | None:
        """The invoice with this betalingskenmerk, in one request (payment checker, R10)."""
        ...

    def unpaid_invoices_to(self, provider_id: str, email: str) -> list[Invoice]:
        """The provider's unpaid invoices (open or partly paid, as the list's status
        filter says) whose addressee's e-mail address is ``email``, compared without case:
        where a permanent bounce of that address must be known too (R7: parents with one
        address for two children). Only this provider's (R26). The table has no index by
        address, so this reads the provider's invoice list (by-provider) once, the status
        filtered in the Query; an index keyed by (provider, address) on unpaid invoices
        would make it one small Query. Rare: one call per permanent bounce."""
        ...

    def save_invoice(self, invoice: Invoice) -> Invoice: ...

    def save_invoices(
        self,
        invoices: Sequence[Invoice],
        new_actions: Sequence[OpenAction] = (),
        decided: OpenAction | None = None,
    ) -> list[Invoice]:
        """All or nothing, each on condition of its version; ConcurrentChange if not.
        ``decided``: an action written with them on condition that it is there without a
        decision, as ``decide_action`` writes it (the decision with its booking, R17)."""
        ...

    def cached_provider(self, provider_id: str) -> Provider | None:
        """Provider settings that may be a few minutes old: for read-only pages that must
        cost one request (the payment checker); writes use get_provider."""
        ...

    def put_action(self, action: OpenAction) -> None: ...

    def add_action(self, action: OpenAction) -> bool:
        """Write a new action; False (nothing written) when it exists already."""
        ...

    def decide_action(self, decided: OpenAction) -> OpenAction | None:
        """Write ``decided`` (its details with a "decision") only while the stored action
        has no decision; the action as stored after: ``decided``, or the one decided first.
        None when there is no such action."""
        ...

    def close_action(self, closed: OpenAction) -> bool:
        """The system sets an action done (R23): write ``closed`` (state done, its details
        saying who closed it and why, "closed_by") only while the stored action is there,
        open, and not closed by the system before; one conditional write (R28). False when
        nothing was written: gone, done already, or reopened by the practice after the
        system closed it (that one stays open)."""
        ...

    def reopen_action(self, reopened: OpenAction) -> bool:
        """The system opens again an action it set done (R23): write ``reopened`` (state
        open, its details no longer saying "closed_by") only while the stored action is
        there, done, and closed by the system ("closed_by" system); one conditional write
        (R28). False when nothing was written: gone, open, or set done by the practice."""
        ...

    def supersede_action(self, action: OpenAction, key: str, value: str) -> bool:
        """A later event tells the latest truth on the action it made (R23): write
        ``action``'s state and details over the stored action of its id, only while that
        is there and its details' ``key`` is not ``value`` yet; one conditional write
        (R28), so a replay writes nothing. False when nothing was written: gone, or saying
        ``value`` already."""
        ...

    def list_actions(self, provider_id: str, state: ActionState | None = None) -> list[OpenAction]:
        """The provider's actions, oldest first; only ``state`` ones when given (those
        on the action list's index: a read of them alone, openact57)."""
        ...

    def get_action(self, provider_id: str, action_id: str) -> OpenAction | None:
        """One action of this provider, in one read; None for another tenant's id (R26)."""
        ...

    def action_page(
        self, provider_id: str, state: ActionState | None, limit: int, after: str | None = None
    ) -> tuple[list[OpenAction], str | None]:
        """The first ``limit`` of ``list_actions`` (only ``state`` ones when given), or
        those after ``after``: the position the previous page gave (an
        ``action_position``, ``checked_action_position``). The position is None on the
        last page: it reads one more than ``limit``. Only this page is read (R35)."""
        ...

    # --- blocked patients (R22, blocking.py) ---

    def block_patient(
        self, provider_id: str, patient_ref: str, invoice_id: str, at: datetime, bsn: str = ""
    ) -> None:
        """The claim is with the collection agency: it keeps the patient blocked.
        Idempotent; the first claim logs a BLOCKED change. ``bsn``: the claim's, kept on the
        block while it blocks (legal-nl.md §6), never in the list or the change log (R29)."""
        ...

    def release_claim(
        self, provider_id: str, patient_ref: str, invoice_id: str, at: datetime
    ) -> bool:
        """The claim is settled; True when it was the last one and the patient is unblocked
        (an UNBLOCKED change is logged). Idempotent: releasing twice changes nothing."""
        ...

    def blocked_patients(self, provider_id: str) -> list[BlockedPatient]: ...

    def blocked_patient_page(
        self, provider_id: str, limit: int, after: str | None = None
    ) -> tuple[list[BlockedPatient], str | None]:
        """The first ``limit`` of ``blocked_patients``, or those after ``after``: the
        position the previous page gave (a patient number, ``checked_patient_position``).
        The position is None on the last page: it reads one more than ``limit``."""
        ...

    def block_changes(self, provider_id: str, since: datetime) -> list[BlockChange]:
        """Blocks and unblocks at or after ``since``, oldest first (by the moment, then the
        block's version, then the patient number)."""
        ...

    def block_change_page(
        self, provider_id: str, since: datetime, limit: int, after: str | None = None
    ) -> tuple[list[BlockChange], str | None]:
        """The first ``limit`` of ``block_changes``, or those after ``after``: the position
        the previous page gave (``checked_block_change_position``). The position is None on
        the last page: it reads one more than ``limit``, as the upload list does."""
        ...

    def blocked_refs_with_bsn(self, provider_id: str) -> frozenset[tuple[str, str]]:
        """(patient number, BSN) of every block, in one query (the ingest reads it once per
        upload); BSN "" for a block written before it was kept (legal-nl.md §6)."""
        ...


def checked_invoice_position(position: str, wanted: InvoiceFilter) -> str:
    """An invoice list position (``{issue date}#{invoice id}``, as the list hands it out)
    within the filter's issue dates; InvalidPosition otherwise."""
    match = _INVOICE_POSITION.fullmatch(position)
    if match is None:
        raise InvalidPosition("not an invoice list position")
    issued = match[1]
    if not (wanted.issued_from or "0000") <= issued <= (wanted.issued_until or "9999"):
        raise InvalidPosition("outside the issue dates asked for")
    return position


def checked_audit_position(position: str, since: datetime, until: datetime) -> str:
    """A position in the audit of reads (``{UTC moment, microseconds}#{32 hex digits}``,
    the read's sort key as the list hands it out) within the period asked for;
    InvalidPosition otherwise. No regex: the ports are on every handler's import path."""
    moment, _, read_id = position.partition("#")
    try:
        at = datetime.fromisoformat(moment)
    except ValueError:
        raise InvalidPosition("not an audit position") from None
    exact = at.utcoffset() == timedelta(0) and at.isoformat(timespec="microseconds") == moment
    if not (exact and len(read_id) == 32 and all(c in "0123456789abcdef" for c in read_id)):
        raise InvalidPosition("not an audit position")
    if not since <= at < until:
        raise InvalidPosition("outside the period asked for")
    return position


def change_log_moment(at: datetime) -> str:
    """Fixed-width UTC, so the change log sorts by time as text (also across DST)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def block_change_position(at: datetime, version: int, patient_ref: str) -> str:
    """A change's place in the provider's change log (R22): its moment, the block's
    version after it (two changes of one patient at one moment keep their order), the
    patient number (two patients at one moment)."""
    return f"{change_log_moment(at)}#{version:010d}#{patient_ref}"


def checked_block_change_position(position: str, since: datetime) -> str:
    """A position in the change log (``block_change_position``, as a page hands it out)
    at or after ``since``; InvalidPosition otherwise. No regex: on every handler's path."""
    moment, _, rest = position.partition("#")
    version, _, patient_ref = rest.partition("#")
    try:
        at = datetime.fromisoformat(moment)
    except ValueError:
        raise InvalidPosition("not a block change position") from None
    exact = block_change_position(at, int(version), patient_ref) if version.isdigit() else ""
    if not (patient_ref and exact == position):
        raise InvalidPosition("not a block change position")
    if at < since:
        raise InvalidPosition("before the moment asked from")
    return position


def action_position(created_at: datetime, action_id: str) -> str:
    """An action's place in the provider's action list, oldest first: its creation in UTC
    (local offsets, +01:00/+02:00, would not sort across DST), then its id."""
    return f"{created_at.astimezone(UTC).isoformat()}#{action_id}"


def checked_action_position(position: str) -> str:
    """A position in the action list (``action_position``, as a page hands it out);
    InvalidPosition otherwise. An action id holds no "#" (ACTION_ID_PATTERN). No regex:
    on every handler's path."""
    moment, _, action_id = position.partition("#")
    try:
        at = datetime.fromisoformat(moment)
    except ValueError:
        raise InvalidPosition("not an action position") from None
    known = action_id.isprintable() and action_position(at, action_id) == position
    if not (action_id and at.tzinfo and known):
        raise InvalidPosition("not an action position")
    return position


def checked_patient_position(position: str) -> str:
    """A position in the list of blocked patients (the page's last patient number, as the
    page hands it out); InvalidPosition otherwise. Any number the store may hold: the
    ingest takes any, so only one that no list can hand out (empty, control characters)
    is refused. No regex: on every handler's path."""
    if not (position and position.isprintable()):
        raise InvalidPosition("not a blocked patient position")
    return position


def checked_declaration_position(position: str) -> str:
    """An upload list position (a declaration id); InvalidPosition otherwise."""
    if _DECLARATION_POSITION.fullmatch(position) is None:
        raise InvalidPosition("not an upload list position")
    return position


def checked_provider_position(position: str) -> str:
    """A position in the list of providers (a provider id, as the list hands it out);
    InvalidPosition otherwise."""
    # A provider id (Provider.provider_id); compiled at the first call, not at every start.
    if re.fullmatch(r"[a-z0-9][a-z0-9-]{1,62}", position) is None:
        raise InvalidPosition("not a provider list position")
    return position


def checked_credit_position(position: str) -> str:
    """A position in the list of invoices holding credit ("{provider id}#{issue
    date}#{invoice id}", as the list hands it out); InvalidPosition otherwise."""
    provider_id, _, rest = position.partition("#")
    issued, _, invoice_id = rest.partition("#")
    try:
        valid_date = date.fromisoformat(issued).isoformat() == issued
    except ValueError:
        valid_date = False
    if not (valid_date and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", invoice_id)):
        raise InvalidPosition("not a held credit list position")
    checked_provider_position(provider_id)
    return position


def checked_batch_position(kind: BatchKind, position: str) -> str:
    """A position in the list of ``kind``'s batches (a batch id of that kind, as the list
    hands it out); InvalidPosition otherwise."""
    from billing_core.payments.transfer_batches import is_batch_id

    if not is_batch_id(kind, position):
        raise InvalidPosition(f"not a {kind.value} batch list position")
    return position


class ProviderStore(BillingStore, Protocol):
    """What the provider API's queries and commands need on top of the billing store
    (services.provider): every read keyed by the token's provider (R26)."""

    def set_action_state(
        self, action: OpenAction, state: ActionState, on: date
    ) -> OpenAction | None:
        """Set ``action``, as the provider read it, to ``state`` on the day ``on`` (R23): one
        conditional write of the state alone, on condition the action is still there and
        in the state it was read in (R28); what else changed on it since (a decision) stays.
        The action as it is then; None when it is not there (any more: removed by its TTL,
        moved to another id), and nothing is written back. ConcurrentChange when another
        change set another state since the read; one that set the same state leaves
        nothing to do. Kept as kept_until_once_set says."""
        ...

    def invoice_actions(self, provider_id: str, invoice_id: str) -> list[OpenAction]:
        """One invoice's actions, oldest first, without reading the tenant's others."""
        ...

    def list_invoices(
        self,
        provider_id: str,
        wanted: InvoiceFilter | None = None,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> tuple[list[Invoice], str | None]:
        """Newest first; every page but the last holds ``limit`` invoices. The position
        returned (None on the last page) is ``after`` for the next page. No filter: every
        invoice (``listing.EVERY_INVOICE``)."""
        ...

    def provider_invoices(
        self, provider_id: str, *, issued_from: str = "", issued_until: str = ""
    ) -> Iterator[Invoice]:
        """Every invoice issued in the range (ISO dates, inclusive), page by page."""
        ...

    def handovers_between(self, provider_id: str, first: date, last: date) -> list[OpenAction]:
        """The collection handover actions of these days (inclusive), read as one key
        range of their ids (``handover_action_id``), not the provider's whole list."""
        ...

    def patient_numbers(self, provider_id: str, invoice_ids: Sequence[str]) -> dict[str, str]:
        """The patient number of each of these invoices still stored, by invoice id: what a
        list of actions read names (R32), without reading the invoices whole."""
        ...

    def get_invoices(self, provider_id: str, invoice_ids: Sequence[str]) -> list[Invoice]:
        """These invoices, those still stored, as an ordinary read returns them (a moment
        behind a write, as the list they go with): one BatchGetItem a hundred, not a
        GetItem each, for what a list's page needs of invoices it does not show."""
        ...

    def get_retrocession(self, provider_id: str, week: Week) -> StatementSummary | None: ...

    def list_retrocessions(
        self, provider_id: str, *, limit: int = 52, before: Week | None = None
    ) -> list[StatementSummary]:
        """Newest week first; ``before``: only the weeks before that one."""
        ...


class ProviderSettingsStore(Protocol):
    """A provider's settings, versioned (R31): the operator back office and the practice
    admin's self-service write them through services.operator.providers only."""

    def get_provider(self, provider_id: str) -> Provider | None: ...

    def save_provider(
        self,
        provider: Provider,
        change: SettingsVersion,
        *,
        codes_before: frozenset[str] = frozenset(),
    ) -> None:
        """Write ``provider`` (its ``version`` is ``change.version``) and its history entry,
        all or nothing, on condition that the stored version is the one before (for
        version 1: no item, or one without a valid version, as an unreadable legacy item
        may be): ConcurrentChange when it is not (a stale edit, or an existing id).

        In the same write, ``provider`` claims the AGB codes it holds and
        ``codes_before`` (the codes of the version it replaces) did not, and releases the
        ones it no longer holds: AgbCodeTaken when another provider holds a claimed one.
        A code kept from before is not written (a provider stored before the markers has
        none for it; services.operator.providers reads the other providers for those)."""
        ...

    def provider_history(self, provider_id: str) -> list[SettingsVersion]:
        """Every version, oldest first."""
        ...

    def record_user_change(self, change: UserChange) -> None:
        """Append who changed one of the provider's users, when and what (R31, R32):
        never changed, expired by the store as the audit of reads is."""
        ...

    def user_changes(self, provider_id: str) -> list[UserChange]:
        """Every recorded change of the provider's users, oldest first."""
        ...

    def list_providers(self) -> list[Provider]: ...

    def credit_invoices(self) -> Iterator[Invoice]:
        """Every practice's invoices whose ledger holds a patient's credit (R13), and no
        other: read without going through every invoice (R34). In no order to rely on.
        Every one (the Monday run's counts); never an operator's list, which pages."""
        ...

    def credit_invoice_page(
        self, limit: int, after: str | None = None
    ) -> tuple[list[Invoice], str | None]:
        """``credit_invoices`` a page at a time: ``limit`` of them (fewer on the last
        page), by practice (last id first), each practice's newest first, after the
        position ``after`` (the page before's), and the next page's position: None when
        none follows. InvalidPosition for an ``after`` that is no such position (R34)."""
        ...

    def readable_providers(self) -> ProviderListing:
        """Every provider; one whose stored settings do not validate is listed by id."""
        ...

    def provider_page(self, limit: int, after: str | None = None) -> ProviderListing:
        """``readable_providers`` a page at a time, by provider id: ``limit`` providers
        (readable or not) whose id comes after ``after`` (the previous page's
        ``next_position``); ``next_position`` only when one more follows.
        InvalidPosition for an ``after`` that is no provider id."""
        ...


class MigrationStore(ProviderStore, ProviderSettingsStore, Protocol):
    """What an operator's data migration needs on top of the provider store: writes that
    bring items stored before a deploy up to date, each conditional, so a run repeated
    or stopped halfway changes nothing twice (issues 13 and 16)."""

    def count_invoices(self, provider_id: str) -> int:
        """How many invoices the provider has (the migration's progress: done of total)."""
        ...

    def add_search_names(self, invoice: Invoice) -> bool:
        """Store the invoice's searchable names (name_search) where its stored item has
        none, or has them folded as an older deploy did: True when written, False when it
        had today's (or is gone)."""
        ...

    def add_credit_index(self, invoice: Invoice) -> bool:
        """Put an invoice stored with credit before ``credit_invoices`` read it on that
        read, where it is not, on condition that it is still the version read (a change
        saved since put it where its ledger says): True when written."""
        ...

    def add_reference_marker(self, invoice: Invoice) -> ReferenceHolder:
        """Write the kenmerk's uniqueness marker for this invoice where none exists; the
        invoice the marker names either way (another one's: a conflict, nothing written)."""
        ...

    def add_action_list_index(self, action: OpenAction) -> bool:
        """Put an action stored before ``action_page`` read the list by its index on that
        index, where it is not (a save since put it there; a moved one stays off): True
        when written (migration 16)."""
        ...

    def move_open_action_in_list(self, action: OpenAction) -> bool:
        """An open action listed as a deploy before openact57 listed it, among the done
        ones, listed among the open ones (the open list reads those alone), on condition
        that it is there, not moved and still open: True when written (migration 17)."""
        ...

    def rekey_action(self, action: OpenAction, action_id: str) -> bool:
        """The action under ``action_id`` and the old one gone for every read, at once;
        False, nothing written, when the old one is gone or the new id is taken."""
        ...

    def add_retention_expiry(self, invoice: Invoice) -> ExpiryAdded:
        """Give a settled invoice, and each marker that names it, the expiry a save of it
        writes, where the stored item has none: on condition that the stored invoice is
        the version read, so a change saved meanwhile (a reversal reopening it, R12) wins.
        An open invoice: nothing written."""
        ...

    def add_action_expiry(self, action: OpenAction, at: datetime) -> bool:
        """Give an action about an invoice the table no longer holds the TTL ``at``, where
        it has none and still names that invoice: True when written (legal-nl.md §8)."""
        ...

    def add_practice_item_expiries(self, provider_id: str) -> ExpiriesDated:
        """Give each of the practice's weekly statement items and upload records the
        expiry its save now writes, where it has none (legal-nl.md §8); nothing else of
        the item changes."""
        ...

    def add_batch_expiries(self) -> ExpiriesDated:
        """Give each payout and refund batch sent or withdrawn the expiry its save now
        writes, where it has none and is still the version read; an open one gets none."""
        ...

    def add_open_batch_ids(self) -> OpenBatchIdsKept:
        """Keep the id of each open payout and refund batch (``transfer_batches.is_open``)
        on its kind's list, where it is not (a batch created before the list kept them),
        on condition that the batch is still the version read, so ``open_batches`` reads
        it however many newer batches there are (R13, R34); the list version, which only
        a batch created moves on, stays as it is (R28)."""
        ...

    def add_settings_version_expiries(self, provider_id: str) -> ExpiriesDated:
        """Give each of the practice's settings versions (R31) the expiry its save now
        writes (8 years after its own change, R39, legal-nl.md §8), where it has none;
        nothing else of the version changes, and one that has an expiry keeps it."""
        ...

    def add_block_expiries(self, provider_id: str, now: datetime) -> ExpiriesDated:
        """Give each of the practice's block changes, and each of its blocks that no longer
        blocks, the expiry its save now writes (8 years after the change, legal-nl.md §8,
        R39), where it has none: an unblocked block stored without its moment expires 8
        years after its patient's last logged change, or ``now`` when none is logged. A
        block that still blocks gets none (``open``, R22); one changed since the read (its
        version moved) is left as it is (``changed``). Nothing else of an item changes."""
        ...

    def add_remitted_by_agency(self, summary: StatementSummary, cents: int) -> bool:
        """Keep ``cents`` as the agency's transfers of the summary's week (R24) on its
        stored item, where it has none (stored before remitted54): True when written,
        False when the week is gone or has its own (built again since). Nothing else of
        the week changes."""
        ...

    def add_canonical_claim_markers(
        self, provider_id: str, refs: Mapping[str, str]
    ) -> ClaimMarkersCopied:
        """``refs``: a claim ref as stored -> the same ref as a file is read today
        (canonical_reference). Each stored marker is copied as it is under the second
        ref, where no marker is (R3): one there already is kept."""
        ...

    def blocks_without_bsn(self, provider_id: str) -> list[PatientBlock]:
        """The practice's blocks that block and keep no BSN (written before the BSN was
        kept, legal-nl.md §6), by patient number: one strongly consistent Query."""
        ...

    def add_block_bsn(self, block: PatientBlock, bsn: str) -> bool:
        """Keep ``bsn`` on the block (a new version, no change logged), on condition that
        the stored block is the version read, still blocks and has no BSN: True when
        written, False when it changed since (unblocked, a claim added or settled)."""
        ...


class UserExists(Exception):
    """The directory has a user with this e-mail address already."""


class UserDirectory(Protocol):
    """The practices' users (R32): Cognito when deployed, in memory in the sandbox."""

    def invite(self, provider_id: str, email: str, role: Role) -> DirectoryUser:
        """Create the user in the role's group, tied to the provider for good, and send
        the invitation e-mail with a temporary password; UserExists if the address is
        taken (by this provider's user or by another's)."""
        ...

    def resend_invitation(self, provider_id: str, email: str) -> DirectoryUser | None:
        """E-mail this provider's user, who has not signed in yet, a new invitation with a
        new temporary password (the old one ends); None when the provider has no such
        user."""
        ...

    def enable(self, provider_id: str, email: str) -> DirectoryUser | None:
        """Enable this provider's disabled user again (they sign in anew); None when the
        provider has no such user."""
        ...

    def disable(self, provider_id: str, email: str) -> DirectoryUser | None:
        """Disable this provider's user and end their portal sessions (a new session
        epoch: enabled again, the user signs in anew); None when the provider has no
        such user."""
        ...

    def change_role(self, provider_id: str, email: str, role: Role) -> DirectoryUser | None:
        """Move this provider's user to the role's group (out of its old one); None when
        the provider has no such user. The portal reads the role on every request; an API
        token carries the old one until it expires (60 minutes)."""
        ...

    def users_of(self, provider_id: str) -> list[DirectoryUser]:
        """The provider's users, enabled or not, by e-mail address."""

    def user_by_id(self, user_id: str) -> DirectoryUser | None:
        """The practice user with this id (Cognito's ``sub``) as the directory knows them
        now, enabled or not; None for an unknown id or a user in no practice role. The
        portal asks on every request (R32)."""
        ...

    def end_sessions(self, user_id: str) -> None:
        """A new session epoch for this user: every portal session opened before ends
        (sign-out). Nothing for an unknown id."""
        ...


class InsurerRegisterStore(Protocol):
    """The insurer register versions operators loaded (R33); the shipped one is in code."""

    def put_insurer_register(
        self, register: InsurerRegister, load: RegisterLoad | None = None, *, revision: int
    ) -> None:
        """Store a new version, with who loaded it (``load``, R33), on condition that the
        register is still at ``revision`` (the one its checks read, R28) and the version is
        new; the register is then at ``revision`` + 1. TransactionConflict when another
        load came first (of any date) or that version exists already: nothing is stored."""
        ...

    def insurer_registers(self) -> list[InsurerRegister]:
        """Every loaded version, in one Query."""
        ...

    def insurer_registers_as_read(self) -> tuple[list[InsurerRegister], int]:
        """Every loaded version and the register's revision (the number of loads stored
        with one; 0 before the first), in one consistent read: what a load checks and the
        revision its write is conditioned on (R33, R28)."""
        ...

    def insurer_register_load(self, version: str) -> RegisterLoad | None:
        """Who loaded this version, when, and the codes it drops; None for the shipped
        version, an unknown one, or one stored without it."""
        ...


class AuditLog(Protocol):
    """The audit of reads (NEN 7513, R32): appended to, never changed, listed per provider
    and period by an operator."""

    def record_read(self, record: ReadRecord) -> None: ...

    def reads(
        self,
        provider_id: str,
        since: datetime,
        until: datetime,
        *,
        limit: int,
        after: str | None = None,
    ) -> tuple[list[ReadRecord], str | None]:
        """A page of the provider's reads from ``since`` (inclusive) to ``until``
        (exclusive), oldest first, at most ``limit``; ``after``: the position the previous
        page gave (``checked_audit_position``). The position is None on the last page: it
        reads one more than ``limit``, as the upload list does."""
        ...


class FileStore(Protocol):
    """The output bucket: reports, print batch, insurer claims."""

    def put(self, key: str, body: bytes, content_type: str) -> None: ...

    def delete(self, key: str) -> None:
        """Take back a file written for something that then did not happen."""
        ...

    def exists(self, key: str) -> bool:
        """Whether a file is under ``key``: a paper letter retried on a later day looks
        whether its first attempt put it in that day's print batch (R38). Raises when the
        store cannot tell (access denied, an outage): never "not there" by default."""
        ...


class FileReader(Protocol):
    """Files written earlier (processing reports, retrocession statements, insurer-claim
    exports), read back: one file, the files under a prefix, or a link to download one."""

    def get(self, key: str) -> bytes:
        """The file's bytes; FileGone when no file is under ``key`` (any more)."""
        ...

    def list_files(self, prefix: str, start_after: str, limit: int) -> FilePage:
        """The files whose key starts with ``prefix``, in key order, from the first key
        after ``start_after`` ("" for the first page); at most ``limit``."""
        ...

    def download_url(self, key: str, expires_in_seconds: int) -> str:
        """A URL that takes an HTTP GET of the file for that long (presigned S3)."""
        ...


class UploadUrls(Protocol):
    """Hands out a URL that takes one HTTP PUT of the file (presigned S3 when deployed),
    or takes the file itself (the portal's upload form): either way it lands under
    the same key and S3 tells the ingest."""

    def upload_url(
        self, object_key: str, expires_in_seconds: int, size_bytes: int | None = None
    ) -> SignedUpload:
        """Once only (a second PUT gets 412); exactly ``size_bytes`` when given."""
        ...

    def put_upload(self, object_key: str, body: bytes) -> None: ...


class PortalSignIn(Protocol):
    """The portal's login (R32): the authorization code flow with PKCE (RFC 7636) of the
    Cognito hosted UI when deployed, the sandbox's list of sample users locally."""

    def sign_in_url(self, state: str, code_challenge: str) -> str:
        """Where the browser goes to sign in; it comes back with ``code`` and ``state``."""
        ...

    def exchange(self, code: str, code_verifier: str) -> ProviderUser | None:
        """The user a code stands for; None for a code that is unknown, used or forged."""
        ...


@dataclass(frozen=True, slots=True)
class DeliveryRequest:
    """Ask the delivery function to send one document of one invoice."""

    provider_id: str
    invoice_id: str
    kind: str = INVOICE_LETTER  # or a message about it: kinds.DEFERRAL_CONFIRMATION, ...
    # Which event a message is about (a payment id, an action id): one message per event.
    event_id: str = ""
    # Write it in this language instead of the invoice's: the checker page's, for an answer
    # to what the patient did on that page (R9, R16). The invoice's own stays as it was.
    language: str = ""
    # No address: a message goes to the invoice's own (its addressee), never to one typed
    # into a form, which only the practice's action keeps to answer to (R16, issue 13.3:
    # services/patient.file_objection). A message queued when requests still carried an
    # "email" key parses as ever, the key ignored (entrypoints/queue.DeliveryRecord).


class DeliveryQueue(Protocol):
    def enqueue(self, requests: Sequence[DeliveryRequest]) -> None: ...


def letters_due_requests(invoice: Invoice) -> list[DeliveryRequest]:
    """The dunning letters the invoice still waits for, one request each: what the run
    queues after a step, and a booking or a patient's request that charged the costs
    before the run (the delivery sends each once, and none about an invoice that no
    longer asks for it)."""
    return [
        DeliveryRequest(invoice.provider_id, invoice.invoice_id, kind=p.kind, event_id=p.event_id)
        for p in invoice.letters_due
    ]


# --- payments in from outside: PSP checkouts and bank transfers (R11, R12) ---------------


class CheckoutLog(Protocol):
    def record_checkout(self, checkout: CheckoutRecord) -> None:
        """Store a new checkout; a second record for the same PSP id changes nothing."""
        ...

    def get_checkout(self, psp_payment_id: str) -> CheckoutRecord | None: ...

    def set_checkout_status(self, psp_payment_id: str, status: PspStatus) -> None: ...

    def claim_checkout_key(self, slot: str, key: str, at: datetime, kept_since: datetime) -> str:
        """The PSP idempotency key for a checkout of ``slot`` (kenmerk, amount, ledger
        length): the key kept for it when that was kept at or after ``kept_since``, else
        ``key``, kept from ``at``, in one conditional write, so two starts at once (a
        double click across a minute) use one key and get one checkout (R11, R38)."""
        ...

    def keep_checkout_key(self, slot: str, key: str, at: datetime) -> None:
        """Keep ``key`` for ``slot`` from ``at``, whatever was kept: the key of a new
        checkout after one that ended unpaid (R11)."""
        ...


class BankCreditLinks(Protocol):
    """What the bank import keeps of credits: the booked ones a return may undo (R12),
    and those it could not book, until an operator matches them (R34)."""

    def remember_bank_credit(self, link: BankCreditLink) -> None:
        """Keep the first link for a transfer id; a later one for the same id of another
        credit (another source id) marks it ``shared``; the same credit's again changes
        nothing."""
        ...

    def find_bank_credit(self, account_iban: str, transfer_id: str) -> BankCreditLink | None: ...

    def keep_unmatched_credit(self, credit: UnmatchedCredit) -> None:
        """Keep the first record of a credit; the same entry read again changes nothing."""
        ...

    def unmatched_credits(self) -> list[UnmatchedCredit]:
        """Those not matched yet, by booking date: every one (the bank import's own
        check of a transfer listed before; never an operator's list, which pages)."""
        ...

    def unmatched_credit_page(
        self, limit: int, after: str | None = None
    ) -> tuple[list[UnmatchedCredit], str | None]:
        """``limit`` of those not matched yet (fewer on the last page), oldest booking
        first, then by credit id, after the position ``after`` (the page before's), and
        the position of the next page: None when none follows. A page reads the open
        credits only, those stored before migration version 19 once it ran.
        InvalidPosition for an ``after`` that is no such position (R34)."""
        ...

    def index_open_credits(self) -> tuple[int, int]:
        """Put the open credits stored before migration version 19 on the list's index:
        (how many, how many were matched before their turn and left off)."""
        ...

    def get_unmatched_credit(self, credit_id: str) -> UnmatchedCredit | None: ...

    def plan_credit_match(self, credit_id: str, match: CreditMatch) -> UnmatchedCredit:
        """Store the match unless the credit has one: the credit as stored, with the first
        match (a retry gets the plan the first attempt made). LookupError: no such id."""
        ...

    def withdraw_credit_match(
        self, credit_id: str, match: CreditMatch, unchanged: Sequence[Invoice]
    ) -> bool:
        """Remove ``match``, a plan none of whose parts was booked, so the credit is listed
        unmatched again, in one write on condition that the credit still holds ``match``
        and each invoice of ``unchanged`` (the plan's invoices as read, holding none of it)
        is still at the version read: a part booked since the read keeps the plan (R28,
        R34). Whether it was withdrawn: False, nothing changed, when the credit holds
        another match (or none) or an invoice moved on by then."""
        ...

    def planned_credits(self) -> list[UnmatchedCredit]:
        """Those with a match plan (booked, partly or not at all), by booking date: what
        the stuck-credit-plans migration looks at (R34)."""
        ...


class WeekActivity(Protocol):
    """The invoices that moved in a week, per provider: the ledger-week index (R24)."""

    def readable_providers(self) -> ProviderListing:
        """Every provider; one whose stored settings do not validate is listed by id."""
        ...

    def week_invoices(self, provider_id: str, week: Week) -> Iterator[Invoice | UnreadableInvoice]:
        """The provider's invoices with a ledger entry recorded in ``week`` (and maybe a
        few more): the read follows the week's activity, not the provider's history. A
        stored item that does not load comes as its ids."""
        ...


class DunningStore(ProviderStore, WeekActivity, Protocol):
    """What the daily dunning run needs on top of the billing store (R18, R28); of the
    provider store's reads, the handovers of the days a first run tells the agency of
    (R34, ``handovers_between``)."""

    def due_for_dunning(
        self, as_of: date, *, page_size: int = 100, start_at: DunningPlace | None = None
    ) -> Iterator[list[Invoice | UnreadableInvoice]]:
        """Pages of invoices whose next dunning check is on or before ``as_of``, from
        ``start_at`` on (inclusive) when given. Each page is read when asked for, after the
        last page's place: an invoice moved further on meanwhile can come again. A stored
        item that does not load comes as its ids."""
        ...

    def agency_files_written_through(self) -> date | None:
        """The last day whose agency files a run wrote (R34); None before the first run."""
        ...

    def note_agency_files_written(self, through: date) -> None:
        """Move that mark on to ``through``; never back (a replay of a past day)."""
        ...

    def agency_files_owed(self) -> set[tuple[date, UnreadableInvoice]]:
        """The days whose agency file a run wrote without a stored invoice of the practice
        that did not load, with its ids (R34, R39): the next runs write them again."""
        ...

    def note_agency_files_owed(
        self,
        owed: Iterable[tuple[date, UnreadableInvoice]],
        *,
        settled: Iterable[tuple[date, UnreadableInvoice]] = (),
    ) -> None:
        """Add ``owed`` to those days and take ``settled`` off (written with the invoice
        mended, or it is gone); each on its own, so two runs at once lose neither."""
        ...


class TransferBatches(Protocol):
    """Payout and refund batches (payments/transfer_batches.py, R34): one item each."""

    def create_batch(self, batch: TransferBatch, *, list_version: int | None = None) -> bool:
        """Write a new batch; False (nothing written) when one with its id exists.

        With ``list_version``: only while ``batch_list_version(batch.kind)`` still answers
        it; ConcurrentChange (nothing written) when another batch of its kind was created
        in between, so what was decided on the batches listed after reading it holds (R28).
        """
        ...

    def batch_list_version(self, kind: BatchKind) -> int:
        """Goes up by one with every batch of ``kind`` created; 0 before the first."""
        ...

    def get_batch(self, batch_id: str) -> TransferBatch | None: ...

    def open_batches(self, kind: BatchKind) -> list[TransferBatch]:
        """Every batch of ``kind`` still open (``transfer_batches.is_open``: proposed or
        approved), newest first, however many newer ones were sent since: read by the ids
        the kind's list keeps of its open batches, each consistently, never by listing
        the kind's batches (a default page of ``list_batches`` misses an old one, R13)."""
        ...

    def save_batch(self, batch: TransferBatch) -> TransferBatch:
        """On condition of the version read (R28); ConcurrentChange if it moved on.
        Returns the batch with its new version."""
        ...

    def list_batches(
        self, kind: BatchKind, *, limit: int = 52, after: str | None = None
    ) -> list[TransferBatch]:
        """Newest first (``transfer_batches.newest_first``: a payout batch by its week,
        then its number in the week; a refund batch by its day). ``after``: a batch id of
        ``kind`` (the previous page's last), only the batches after it in that order, the
        older ones; InvalidPosition for one that is no such id (``checked_batch_position``)."""
        ...
