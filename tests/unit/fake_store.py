"""In-memory stand-ins for the ports the use cases need (BillingStore, DunningStore, the
retrocession's store, FileStore, DeliveryQueue), for the unit tests.

They keep the DynamoDB adapter's semantics, and tests/contract runs the same cases against
them and against the adapters on moto, so they cannot drift: every key holds the provider
as the table's keys do (R26); writes check the same conditions, all or nothing (R3, R28);
lists come back in the table's order. FakeStore logs every call, so a test can say how
many reads a request cost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.collection.blocking import (
    BlockChange,
    BlockChangeKind,
    BlockedPatient,
    PatientBlock,
    Transition,
    with_claim,
    without_claim,
)
from billing_core.declarations.claim_marker_migration import ClaimMarkersCopied
from billing_core.declarations.claims import canonical_reference
from billing_core.declarations.record import DeclarationRecord
from billing_core.declarations.rules.insurers import InsurerRegister
from billing_core.declarations.rules.register_loads import RegisterLoad
from billing_core.invoices import listing
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.listing import EVERY_INVOICE, InvoiceFilter
from billing_core.invoices.payment_status import PaymentStatus, ledger_payment_status
from billing_core.invoices.reference_holder import ReferenceHolder
from billing_core.invoices.retention import kept_until
from billing_core.invoices.retention_migration import ExpiriesDated, ExpiryAdded
from billing_core.payments.open_batch_ids import OpenBatchIdsKept
from billing_core.payments.refunds import credit_or_refund_pending
from billing_core.payments.transfer_batches import (
    BatchKind,
    TransferBatch,
    batch_order,
    is_open,
    newest_first,
)
from billing_core.payments.transfer_batches import kept_until as batch_kept_until
from billing_core.ports import (
    AgbCodeTaken,
    ConcurrentChange,
    DeliveryRequest,
    DunningPlace,
    FileGone,
    KnownClaim,
    NewInvoice,
    NewInvoicesStored,
    TransactionConflict,
    UnreadableInvoice,
    UnreadableProvider,
    action_position,
    block_change_position,
    checked_action_position,
    checked_audit_position,
    checked_batch_position,
    checked_block_change_position,
    checked_credit_position,
    checked_declaration_position,
    checked_invoice_position,
    checked_patient_position,
    checked_provider_position,
    state_set_meanwhile,
)
from billing_core.providers.actions import (
    ActionState,
    OpenAction,
    handover_action_id,
    kept_until_once_set,
)
from billing_core.providers.listing import ProviderListing
from billing_core.providers.provider import Provider
from billing_core.providers.retrocession import StatementSummary
from billing_core.providers.settings_history import SettingsVersion
from billing_core.providers.user_changes import UserChange
from billing_core.providers.week import Week
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.audit import ReadRecord
from billing_core.shared.clock import Clock, amsterdam_day
from billing_core.shared.stored_files import FilePage, StoredFile

TRANSACTION_LIMIT = 100  # items per TransactWriteItems, as in the DynamoDB adapter
# Why the item contract.samples.plant_unreadable_provider writes does not validate, as the
# DynamoDB adapter names it (the first five problems).
UNREADABLE_REASON = (
    "provider_id: Field required; name: Input should be a valid string; legal_name: Field"
    " required; kvk: Field required; care_kind: Field required"
)

InvoiceKey = tuple[str, str]  # (provider, invoice id)
ActionKey = tuple[str, datetime, str]  # (provider, created in UTC, action id): the sort key
BlockChangeKey = tuple[str, datetime, int, str]  # (provider, UTC moment, version, patient)
# One Put of a transaction: (where it goes, its key, what is stored).
Write = tuple[dict[Any, Any], Any, Any]


def action_key(action: OpenAction) -> ActionKey:
    return (action.provider_id, action.created_at.astimezone(UTC), action.action_id)


class FakeStore:
    def __init__(
        self, invoices: Sequence[Invoice] = (), providers: Sequence[Provider] = ()
    ) -> None:
        self.invoices: dict[InvoiceKey, Invoice] = {
            (i.provider_id, i.invoice_id): i for i in invoices
        }
        self.providers = {p.provider_id: p for p in providers}
        self.settings_history: dict[str, list[SettingsVersion]] = {}
        self.user_history: dict[str, list[UserChange]] = {}
        # provider id: the stored version of an item that does not validate
        self.unreadable: dict[str, int] = {}
        self.declarations: dict[tuple[str, str], DeclarationRecord] = {}
        # (provider, content digest) -> (upload, applied at): retour files applied (R3)
        self.retours_applied: dict[tuple[str, str], tuple[str, datetime]] = {}
        self.markers: dict[tuple[str, str], KnownClaim] = {}  # (provider, claim ref)
        self.references: dict[str, InvoiceKey] = {}  # kenmerk -> the invoice that holds it
        # Stored before invoices kept names (#16), or with names folded as before audit
        # INTERFACES1: a search finds them by no name until add_search_names.
        self.unnamed: set[InvoiceKey] = set()
        # Stored with credit before the by-credit index (migration 13): credit_invoices does
        # not find them until add_credit_index or their next save (the adapter's Put).
        self.off_credit_index: set[InvoiceKey] = set()
        # (provider, action id) of actions stored before the action list's index (migration
        # 16): action_page does not find them until add_action_list_index or their next Put.
        self.off_action_list: set[tuple[str, str]] = set()
        # (provider, action id) of open actions stored before openact57, at their bare
        # position in that list (migration 17): the open list does not find them, the whole
        # list does, until move_open_action_in_list or a write of their state or a Put.
        self.open_at_bare_position: set[tuple[str, str]] = set()
        # The items of settled invoices stored before a save wrote their expiry (legal-nl.md
        # §8): ("invoice", provider, id), ("reference", kenmerk), ("claim", provider, ref).
        self.without_expiry: set[tuple[str, ...]] = set()
        # Upload records, statement items and batches stored before their save wrote the
        # table's TTL (round 38): ("declaration", provider, id), ("retrocession", provider,
        # week), ("batch", id); settings versions before stop 42: ("settings", provider,
        # version); block changes and unblocked blocks before retention54: ("block_change",
        # provider, position), ("block", provider, patient). A save of one writes it (the
        # adapter's whole-item Put).
        self.undated: set[tuple[str, ...]] = set()
        # The moment each block change's and unblocked block's expiry counts from (the
        # adapter's ``expires_at`` is ``block_expiry`` of it, legal-nl.md §8, R39): its
        # save's or migration 14's. None kept for a block that blocks (its Put writes none)
        # nor for one in ``undated``.
        self.block_dated_from: dict[tuple[str, ...], datetime] = {}
        self.actions: dict[ActionKey, OpenAction] = {}
        # The last day an action is kept (the adapter's TTL on it, legal-nl.md §8); None: kept
        self.action_kept_until: dict[tuple[str, str], date | None] = {}  # (provider, id)
        self.retrocessions: dict[tuple[str, str], StatementSummary] = {}  # (provider, week)
        self.blocks: dict[tuple[str, str], PatientBlock] = {}  # (provider, patient)
        self.changes: dict[BlockChangeKey, BlockChange] = {}
        self.birth_date_tries: dict[str, tuple[int, datetime]] = {}  # reference: (n, until)
        self.batches: dict[str, TransferBatch] = {}  # payout and refund batches (R34)
        self.batch_list_versions: dict[BatchKind, int] = {}
        self.open_batch_ids: set[str] = set()  # as each kind's list item keeps them
        self.next_reference = 0  # an ADD on a counter that is not there yet starts at 0
        self.registers: dict[str, InsurerRegister] = {}  # by version
        self.register_loads: dict[str, RegisterLoad] = {}  # who loaded each version
        self.register_revision = 0  # the register's head item: loads stored so far (R28)
        # (provider, week, invoice): the adapter's ledger-week markers (week_invoices reads
        # the ledgers themselves; these only fill transactions as the adapter's do)
        self.week_markers: dict[tuple[str, str, str], bool] = {}
        self.agency_files_through: date | None = None  # the run's mark (R34)
        self.agency_owed: set[tuple[date, UnreadableInvoice]] = set()  # files to write again
        self.calls: list[str] = []
        # Opt-in, as DynamoDB's ordinary reads (GetItem without ConsistentRead, an index)
        # may for a moment after a write (R28): while ``lagging``, an ordinary read of an
        # invoice saved since the store was made returns it as it was before its last save.
        self.lagging = False
        self.before_last_save: dict[InvoiceKey, Invoice] = {}
        self.agb_holders: dict[str, str] = {}  # AGB code -> provider: the adapter's markers

    # --- for the tests: what is stored, and setting the stage ---------------------------

    def invoice(self, invoice_id: str | None = None) -> Invoice:
        """The stored invoice (the only one when no id is given)."""
        if invoice_id is None:
            (only,) = self.invoices.values()
            return only
        (found,) = (i for (_, stored_id), i in self.invoices.items() if stored_id == invoice_id)
        return found

    def put_invoice_as_is(self, invoice: Invoice) -> None:
        """Store the invoice as it is, version and all: the stage a test starts from."""
        self.invoices[(invoice.provider_id, invoice.invoice_id)] = invoice

    def put_invoice_with_names_folded_before(self, invoice: Invoice) -> None:
        """Store the invoice with names as a deploy before audit INTERFACES1 folded them:
        its marker there, its names not today's."""
        self.put_invoice_as_is(invoice)
        self.references.setdefault(invoice.reference, self._invoice_key(invoice))
        self.unnamed.add(self._invoice_key(invoice))

    def put_invoice_before_names_and_marker(self, invoice: Invoice) -> None:
        """Store the invoice as a deploy before issues 13 and 16 did: no searchable names
        (a name search does not find it) and no kenmerk marker."""
        self.put_invoice_as_is(invoice)
        self.unnamed.add(self._invoice_key(invoice))

    def put_invoice_before_credit_index(self, invoice: Invoice) -> None:
        """Store the invoice as a deploy before the by-credit index did: its credit, if
        any, is not on the index (the adapter's local.migrate.store_without_credit_index)."""
        self.put_invoice_as_is(invoice)
        self.off_credit_index.add(self._invoice_key(invoice))

    def put_settled_before_expiry(self, invoice: Invoice, *, markers_only: bool = False) -> None:
        """Store the settled invoice as the deploy before retention left it: neither the
        invoice nor its markers expire (``markers_only``: a later save gave the invoice
        its own, as a save that does not settle it anew writes no marker's)."""
        self.put_invoice_as_is(invoice)
        own, *markers = self._expiring_items(invoice)
        self.without_expiry.update(markers if markers_only else [own, *markers])

    def forget_expiries(self) -> None:
        """Every upload record, statement item and batch as stored before round 38: no
        expiry (the adapter's local.migrate.store_items_as_before_their_expiry)."""
        self.undated.update(("declaration", *key) for key in self.declarations)
        self.undated.update(("retrocession", *key) for key in self.retrocessions)
        self.undated.update(("batch", batch_id) for batch_id in self.batches)

    def forget_open_batch_ids(self) -> None:
        """Every batch as stored before refunds53: no open id kept on its kind's list (the
        adapter's local.migrate.store_batches_as_before_their_open_ids)."""
        self.open_batch_ids.clear()

    def forget_block_expiries(self) -> None:
        """Every block change and unblocked block as stored before retention54 dated them:
        no expiry (the adapter's local.migrate.store_blocks_as_before_their_expiry)."""
        changes = [
            ("block_change", provider_id, block_change_position(*rest))
            for provider_id, *rest in self.changes
        ]
        unblocked = [("block", *key) for key, block in self.blocks.items() if not block.is_blocked]
        self.undated.update([*changes, *unblocked])
        for key in [*changes, *unblocked]:
            self.block_dated_from.pop(key, None)

    def forget_agency_transfers(self) -> None:
        """Every weekly statement item as stored before remitted54: without the agency's
        transfers (the adapter's local.migrate.store_weeks_as_before_their_agency_transfers)."""
        for key, summary in self.retrocessions.items():
            self.retrocessions[key] = replace(summary, remitted_by_agency_cents=None)

    def forget_settings_expiries(self) -> None:
        """Every settings version as stored before stop 42 dated them: no expiry (the
        adapter's local.migrate.store_settings_versions_as_before_their_expiry)."""
        self.undated.update(
            ("settings", provider_id, str(change.version))
            for provider_id, changes in self.settings_history.items()
            for change in changes
        )

    def _expiring_items(self, invoice: Invoice) -> list[tuple[str, ...]]:
        """The invoice's item, then its markers that name it (the adapter's invoice_marker_keys)."""
        key = self._invoice_key(invoice)
        refs = [line.claim_ref for line in invoice.lines]
        claims = [
            ("claim", invoice.provider_id, ref)
            for ref in dict.fromkeys([*refs, *map(canonical_reference, refs)])
            if (m := self.markers.get((invoice.provider_id, ref))) and m.invoice_id == key[1]
        ]
        held = self.references.get(invoice.reference) == key
        reference = [("reference", invoice.reference)] if held else []
        return [("invoice", *key), *reference, *claims]

    def marker(self, claim_ref: str) -> KnownClaim | None:
        """The claim marker with this ref (of whichever provider wrote it)."""
        found = [m for (_, ref), m in self.markers.items() if ref == claim_ref]
        return found[0] if found else None

    def all_actions(self) -> list[OpenAction]:
        return [self.actions[key] for key in sorted(self.actions)]

    # --- providers ------------------------------------------------------------------------

    def get_provider(self, provider_id: str) -> Provider | None:
        self.calls.append("get_provider")
        if provider_id in self.unreadable:
            raise UnreadableProvider(provider_id, self.unreadable[provider_id], UNREADABLE_REASON)
        return self.providers.get(provider_id)

    def put_provider(self, provider: Provider) -> None:
        """Test setup: settings as if an operator had saved them (no history)."""
        self.providers[provider.provider_id] = provider

    def save_provider(
        self,
        provider: Provider,
        change: SettingsVersion,
        *,
        codes_before: frozenset[str] = frozenset(),
    ) -> None:
        """As the adapter: the AGB codes added are claimed, the ones dropped released, in
        the write of the settings; another provider's marker refuses it first."""
        self.calls.append("save_provider")
        provider_id = provider.provider_id
        claimed = sorted(provider.all_agb_codes - codes_before)
        for code in claimed:
            if self.agb_holders.get(code, provider_id) != provider_id:
                raise AgbCodeTaken(code, self.agb_holders[code])
        stored = self.providers.get(provider_id)
        unreadable = self.unreadable.get(provider_id)
        stored_version = stored.version if stored else (unreadable or 0)
        if stored_version != change.version - 1:
            raise ConcurrentChange(f"settings of {provider_id}")
        released = codes_before - provider.all_agb_codes
        if any(self.agb_holders.get(code, provider_id) != provider_id for code in released):
            raise ConcurrentChange(f"settings of {provider_id}")
        self.agb_holders.update(dict.fromkeys(claimed, provider_id))
        for code in released:
            self.agb_holders.pop(code, None)
        self.unreadable.pop(provider_id, None)
        self.providers[provider_id] = provider
        self.settings_history.setdefault(provider_id, []).append(change)

    def provider_history(self, provider_id: str) -> list[SettingsVersion]:
        self.calls.append("provider_history")
        return list(self.settings_history.get(provider_id, []))

    def record_user_change(self, change: UserChange) -> None:
        self.calls.append("record_user_change")
        self.user_history.setdefault(change.provider_id, []).append(change)

    def user_changes(self, provider_id: str) -> list[UserChange]:
        self.calls.append("user_changes")
        return list(self.user_history.get(provider_id, []))

    def cached_provider(self, provider_id: str) -> Provider | None:
        self.calls.append("cached_provider")
        return self.providers.get(provider_id)

    def list_providers(self) -> list[Provider]:
        """By provider id, as the by-provider index sorts them."""
        self.calls.append("list_providers")
        return [self.providers[p] for p in sorted(self.providers) if p not in self.unreadable]

    def credit_invoices(self) -> Iterator[Invoice]:
        """As the by-credit index: the invoices whose ledger holds credit or a PSP refund
        of it pending, of every practice, but not those stored before it
        (``off_credit_index``)."""
        self.calls.append("credit_invoices")
        for key, invoice in self.invoices.items():
            if credit_or_refund_pending(invoice) and key not in self.off_credit_index:
                yield invoice

    def credit_invoice_page(
        self, limit: int, after: str | None = None
    ) -> tuple[list[Invoice], str | None]:
        """As the adapter's: by the by-credit position, last first."""
        self.calls.append("credit_invoice_page")
        if after is not None:
            checked_credit_position(after)
        held = [
            invoice
            for key, invoice in self.invoices.items()
            if credit_or_refund_pending(invoice) and key not in self.off_credit_index
        ]
        held.sort(key=_credit_position, reverse=True)
        after_it = [i for i in held if after is None or _credit_position(i) < after]
        more = len(after_it) > limit
        return after_it[:limit], _credit_position(after_it[limit - 1]) if more else None

    def readable_providers(self) -> ProviderListing:
        self.calls.append("readable_providers")
        return ProviderListing(self.list_providers(), tuple(sorted(self.unreadable)))

    def provider_page(self, limit: int, after: str | None = None) -> ProviderListing:
        self.calls.append("provider_page")
        ids = sorted({*self.providers, *self.unreadable})
        if after is not None:
            ids = [i for i in ids if i > checked_provider_position(after)]
        page = ids[:limit]
        return ProviderListing(
            [self.providers[i] for i in page if i not in self.unreadable],
            tuple(i for i in page if i in self.unreadable),
            page[-1] if len(ids) > limit else None,
        )

    def put_unreadable_provider(self, provider_id: str, version: int = 0) -> None:
        """For the tests: a legacy settings item that no longer validates (R31), stored as
        ``version`` (0: without one), like contract.samples.plant_unreadable_provider's."""
        self.unreadable[provider_id] = version

    # --- declarations and references --------------------------------------------------------

    def get_declaration(self, provider_id: str, declaration_id: str) -> DeclarationRecord | None:
        self.calls.append("get_declaration")
        return self.declarations.get((provider_id, declaration_id))

    def put_declaration(self, record: DeclarationRecord) -> None:
        self.calls.append("put_declaration")
        self.declarations[(record.provider_id, record.declaration_id)] = record
        self.undated.discard(("declaration", record.provider_id, record.declaration_id))

    def start_declaration_version(self, record: DeclarationRecord) -> bool:
        self.calls.append("start_declaration_version")
        earlier = self.declarations.get((record.provider_id, record.declaration_id))
        if earlier and earlier.object_version not in ("", record.object_version):
            return False
        self.declarations[(record.provider_id, record.declaration_id)] = record
        return True

    def retour_applied(self, provider_id: str, digest: str) -> tuple[str, datetime] | None:
        self.calls.append("retour_applied")
        return self.retours_applied.get((provider_id, digest))

    def mark_retour_applied(
        self, provider_id: str, digest: str, declaration_id: str, at: datetime
    ) -> bool:
        self.calls.append("mark_retour_applied")
        if (provider_id, digest) in self.retours_applied:
            return False
        self.retours_applied[(provider_id, digest)] = (declaration_id, at)
        return True

    def list_declarations(
        self, provider_id: str, *, limit: int = 50, after: str | None = None
    ) -> tuple[list[DeclarationRecord], str | None]:
        """Newest id first; only a page with an upload after it has a next position."""
        self.calls.append("list_declarations")
        if after:
            checked_declaration_position(after)
        ids = sorted(
            (
                d
                for (owner, d) in self.declarations
                if owner == provider_id and (not after or d < after)
            ),
            reverse=True,
        )
        page = [self.declarations[(provider_id, d)] for d in ids[:limit]]
        return page, (ids[limit - 1] if len(ids) > limit else None)

    def reserve_references(self, count: int) -> int:
        self.calls.append("reserve_references")
        start, self.next_reference = self.next_reference, self.next_reference + count
        return start

    # --- wrong birth dates -------------------------------------------------------------------

    def wrong_birth_dates(self, reference: str, now: datetime) -> int:
        self.calls.append("wrong_birth_dates")
        tries, window_ends = self.birth_date_tries.get(reference, (0, now))
        return tries if window_ends > now else 0

    def add_wrong_birth_date(self, reference: str, now: datetime, window: timedelta) -> None:
        self.calls.append("add_wrong_birth_date")
        tries, window_ends = self.birth_date_tries.get(reference, (0, now))
        self.birth_date_tries[reference] = ((tries if window_ends > now else 0) + 1, now + window)

    # --- claims and invoices ------------------------------------------------------------------

    def known_claims(self, provider_id: str, claim_refs: Iterable[str]) -> dict[str, KnownClaim]:
        self.calls.append("known_claims")
        found = {ref: self.markers.get((provider_id, ref)) for ref in claim_refs}
        return {ref: marker for ref, marker in found.items() if marker is not None}

    def store_new(
        self,
        provider_id: str,
        declaration_id: str,
        invoices: Sequence[NewInvoice],
        insurer_claim_refs: Sequence[str],
        patient_invoices: Mapping[str, str] | None = None,
        processed_at: datetime | None = None,
    ) -> int:
        """As many transactions as the adapter's, each written only when all its keys are
        new; TransactionConflict on the first that is not (the ones before it stay).
        ``processed_at``: the adapter's TTL of insurer-bound markers; no TTL here."""
        self.calls.append("store_new")
        of_patient = patient_invoices or {}
        units = [
            [self._marker_write(provider_id, ref, declaration_id, "", of_patient.get(ref, ""))]
            for ref in insurer_claim_refs
        ]
        units += [self._invoice_unit(provider_id, declaration_id, new) for new in invoices]
        stored = NewInvoicesStored(0)
        for transaction in _packed(units):
            stored = self._write_units(transaction, stored)
        return stored

    def _write_units(
        self, units: list[list[Write]], before: NewInvoicesStored
    ) -> NewInvoicesStored:
        """As the adapter: a transaction a taken kenmerk cancels is one request, and the
        same transaction without those invoices another."""
        held_by_others = self._invoices_with_taken_reference(units)
        rest = [unit for unit in units if _invoice_id_of(unit) not in held_by_others]
        if rest:
            self._write_new([write for unit in rest for write in unit])
        requests = before.requests + bool(held_by_others) + bool(rest)
        taken = before.reference_taken + tuple(sorted(held_by_others))
        return NewInvoicesStored(requests, taken)

    def _invoices_with_taken_reference(self, units: list[list[Write]]) -> set[str]:
        return {
            holder[1]
            for unit in units
            for where, kenmerk, holder in unit
            if where is self.references and self.references.get(kenmerk, holder) != holder
        }

    def store_invoice_for_insurer_claims(self, provider_id: str, new: NewInvoice) -> bool:
        """Like the adapter, the invoice and its markers only: ``new.actions`` are not
        written (see tests/contract)."""
        self.calls.append("store_invoice_for_insurer_claims")
        invoice, keys = new.invoice, [(provider_id, ref) for ref in new.claim_refs]
        # A marker's condition (invoice_id = "") fails on a marker that is not there.
        pointing = [self.markers[k].invoice_id if k in self.markers else None for k in keys]
        if self._invoice_key(invoice) in self.invoices or pointing != [""] * len(keys):
            return False
        if invoice.reference in self.references:
            return False
        self.invoices[self._invoice_key(invoice)] = invoice
        self.references[invoice.reference] = self._invoice_key(invoice)
        for key in keys:
            self.markers[key] = replace(self.markers[key], invoice_id=invoice.invoice_id)
        return True

    def add_claim_markers(
        self, declaration_id: str, invoice: Invoice, claim_refs: Sequence[str]
    ) -> None:
        self.calls.append("add_claim_markers")
        for ref in claim_refs:
            marker = KnownClaim(ref, declaration_id, invoice.invoice_id)
            self.markers.setdefault((invoice.provider_id, ref), marker)

    def get_invoice(
        self, provider_id: str, invoice_id: str, *, consistent: bool = False
    ) -> Invoice | None:
        self.calls.append("get_invoice")
        return self._as_read((provider_id, invoice_id), consistent=consistent)

    def find_invoice_by_reference(self, reference: str) -> Invoice | None:
        self.calls.append("find_invoice_by_reference")
        found = next((k for k, i in self.invoices.items() if i.reference == reference), None)
        return None if found is None else self._as_read(found, consistent=False)

    def _as_read(self, key: InvoiceKey, *, consistent: bool) -> Invoice | None:
        """The stored invoice as a read returns it: marked current only when read strongly
        consistent, and as before its last save for an ordinary read while ``lagging``."""
        stored = self.invoices.get(key)
        if stored is not None and self.lagging and not consistent:
            stored = self.before_last_save.get(key, stored)
        return None if stored is None else replace(stored, read_current=consistent)

    def _saved(self, stored: Invoice) -> None:
        """``stored`` written over the invoice as it was (which a lagging read still sees)."""
        key = self._invoice_key(stored)
        if key in self.invoices:
            self.before_last_save[key] = self.invoices[key]
        self.invoices[key] = stored
        self.off_credit_index.discard(key)  # the adapter's Put writes the by-credit keys

    def unpaid_invoices_to(self, provider_id: str, email: str) -> list[Invoice]:
        """As the adapter: the provider's open or partly paid invoices (the list's status)
        whose addressee's address is ``email`` without case, newest first."""
        self.calls.append("unpaid_invoices_to")
        found = [
            i
            for (owner, _), i in self.invoices.items()
            if owner == provider_id
            and ledger_payment_status(i) is not PaymentStatus.PAID
            and i.addressee.email.casefold() == email.casefold()
        ]
        return sorted(found, key=lambda i: (i.issue_date, i.invoice_id), reverse=True)

    def save_invoice(self, invoice: Invoice) -> Invoice:
        self.calls.append("save_invoice")
        if not self._is_current(invoice):
            raise ConcurrentChange(invoice.invoice_id)
        stored = replace(invoice, version=invoice.version + 1, read_current=True)
        self._saved(stored)
        self.unnamed.discard(self._invoice_key(stored))  # the adapter's Put writes names
        self._expire_as_saved(invoice)
        return stored

    def _expire_as_saved(self, invoice: Invoice) -> None:
        """As the adapter's save: the item's TTL is written with it, the markers' only
        when the save settled or reopened it."""
        own, *markers = self._expiring_items(invoice)
        self.without_expiry.discard(own)
        if kept_until(invoice.ledger[: invoice.stored_entries]) != kept_until(invoice.ledger):
            self.without_expiry.difference_update(markers)

    def save_invoices(
        self,
        invoices: Sequence[Invoice],
        new_actions: Sequence[OpenAction] = (),
        decided: OpenAction | None = None,
    ) -> list[Invoice]:
        """All or nothing: every invoice on condition of its version, every action new,
        ``decided`` on an action there without a decision."""
        self.calls.append("save_invoices")
        if (
            not all(self._is_current(i) for i in invoices)
            or any(action_key(a) in self.actions for a in new_actions)
            or (decided is not None and not self._undecided(decided))
        ):
            raise ConcurrentChange(", ".join(i.invoice_id for i in invoices))
        stored = [replace(i, version=i.version + 1, read_current=True) for i in invoices]
        for each in stored:
            self._saved(each)
        self.unnamed.difference_update(self._invoice_key(i) for i in stored)
        for invoice in invoices:
            self._expire_as_saved(invoice)
        self.actions.update({action_key(a): a for a in new_actions})
        if decided is not None:
            self.actions[action_key(decided)] = decided
        return stored

    def _undecided(self, action: OpenAction) -> bool:
        stored = self.actions.get(action_key(action))
        return stored is not None and "decision" not in stored.details

    def due_for_dunning(
        self, as_of: date, *, page_size: int = 100, start_at: DunningPlace | None = None
    ) -> Iterator[list[Invoice | UnreadableInvoice]]:
        """Pages in the order of the by-next-action index: day, provider, patient, invoice,
        from ``start_at`` on. Like a Query with a Limit: each page is read when it is asked
        for, after the last page's place (an invoice moved further on since is met again),
        and a full last page is followed by an empty one."""
        self.calls.append("due_for_dunning")
        after = ""
        start = "" if start_at is None else _dunning_position(start_at, start_at.day)
        while True:
            due = [
                (place, i)
                for i in self.invoices.values()
                if (day := i.dunning_check_day) is not None
                and day <= as_of
                and (place := _dunning_position(i, day)) > after
                and place >= start
            ]
            page = sorted(due, key=lambda pair: pair[0])[:page_size]
            yield [invoice for _, invoice in page]
            if len(page) < page_size:
                return
            after = page[-1][0]

    def agency_files_written_through(self) -> date | None:
        self.calls.append("agency_files_written_through")
        return self.agency_files_through

    def note_agency_files_written(self, through: date) -> None:
        """Conditional, as the adapter's put: never back."""
        self.calls.append("note_agency_files_written")
        if self.agency_files_through is None or self.agency_files_through < through:
            self.agency_files_through = through

    def agency_files_owed(self) -> set[tuple[date, UnreadableInvoice]]:
        self.calls.append("agency_files_owed")
        return set(self.agency_owed)

    def note_agency_files_owed(
        self,
        owed: Iterable[tuple[date, UnreadableInvoice]],
        *,
        settled: Iterable[tuple[date, UnreadableInvoice]] = (),
    ) -> None:
        self.calls.append("note_agency_files_owed")
        self.agency_owed = (self.agency_owed | set(owed)) - set(settled)

    def week_invoices(self, provider_id: str, week: Week) -> Iterator[Invoice | UnreadableInvoice]:
        """The provider's invoices with an entry recorded in the week (the adapter's markers
        say the same), in no particular order."""
        self.calls.append("week_invoices")
        for (owner, _), invoice in self.invoices.items():
            if owner == provider_id and any(e.recorded in week for e in invoice.ledger):
                yield invoice

    def provider_invoices(
        self, provider_id: str, *, issued_from: str = "", issued_until: str = ""
    ) -> Iterator[Invoice]:
        """Issued in the range (ISO dates, inclusive), newest first as the index lists them."""
        self.calls.append("provider_invoices")
        found = [
            i
            for (owner, _), i in self.invoices.items()
            if owner == provider_id
            and (issued_from or "0000") <= i.issue_date.isoformat() <= (issued_until or "9999")
        ]
        yield from sorted(found, key=lambda i: (i.issue_date, i.invoice_id), reverse=True)

    # --- open actions (R23) -----------------------------------------------------------------

    def put_action(self, action: OpenAction) -> None:
        self.calls.append("put_action")
        self.actions[action_key(action)] = action
        self.off_action_list.discard((action.provider_id, action.action_id))  # the Put's keys
        self.open_at_bare_position.discard((action.provider_id, action.action_id))

    def put_open_action_at_bare_position(self, action: OpenAction) -> None:
        """Store the open action as the deploy before openact57 left it: listed at its bare
        position, so the open list misses it and the whole list holds it."""
        self.put_action(action)
        self.open_at_bare_position.add((action.provider_id, action.action_id))

    def _state_written(self, action: OpenAction) -> None:
        """As the adapter's writes of a state: its keys of the list's index with it."""
        self.off_action_list.discard((action.provider_id, action.action_id))
        self.open_at_bare_position.discard((action.provider_id, action.action_id))

    def put_action_before_list_index(self, action: OpenAction) -> None:
        """Store the action as the deploy before actionpages56 left it: off the index
        ``action_page`` reads, still in ``list_actions`` (the table's own partition)."""
        self.put_action(action)
        self.off_action_list.add((action.provider_id, action.action_id))

    def add_action(self, action: OpenAction) -> bool:
        self.calls.append("add_action")
        if action_key(action) in self.actions:
            return False
        self.actions[action_key(action)] = action
        return True

    def decide_action(self, decided: OpenAction) -> OpenAction | None:
        self.calls.append("decide_action")
        if not self._undecided(decided):
            return self.actions.get(action_key(decided))
        self.actions[action_key(decided)] = decided
        self._state_written(decided)  # the adapter's Put
        return decided

    def close_action(self, closed: OpenAction) -> bool:
        """As the adapter's conditional UpdateItem: state and details, on an open action
        the system never closed."""
        self.calls.append("close_action")
        current = self.actions.get(action_key(closed))
        if current is None or current.state is not ActionState.OPEN:
            return False
        if "closed_by" in current.details:
            return False
        self.actions[action_key(closed)] = replace(
            current, state=ActionState.DONE, details=dict(closed.details)
        )
        self._state_written(closed)
        return True

    def reopen_action(self, reopened: OpenAction) -> bool:
        """As the adapter's conditional UpdateItem: state and details, on a done action the
        system closed."""
        self.calls.append("reopen_action")
        current = self.actions.get(action_key(reopened))
        if current is None or current.state is not ActionState.DONE:
            return False
        if current.details.get("closed_by") != "system":
            return False
        self.actions[action_key(reopened)] = replace(
            current, state=ActionState.OPEN, details=dict(reopened.details)
        )
        self._state_written(reopened)
        return True

    def supersede_action(self, action: OpenAction, key: str, value: str) -> bool:
        """As the adapter's conditional UpdateItem: state and details, on an action whose
        details' ``key`` is not ``value``."""
        self.calls.append("supersede_action")
        current = self.actions.get(action_key(action))
        if current is None or current.details.get(key) == value:
            return False
        self.actions[action_key(action)] = replace(
            current, state=action.state, details=dict(action.details)
        )
        self._state_written(action)
        return True

    def list_actions(self, provider_id: str, state: ActionState | None = None) -> list[OpenAction]:
        """Oldest first; ``state`` ones as the adapter reads them, from the list's index."""
        self.calls.append("list_actions")
        return [
            a
            for a in self.all_actions()
            if a.provider_id == provider_id
            and (state is None or (a.state is state and self._in_range(a, state)))
        ]

    def _in_range(self, action: OpenAction, state: ActionState | None) -> bool:
        """In ``state``'s range of the action list's index (all of it for None)."""
        key = (action.provider_id, action.action_id)
        if key in self.off_action_list:
            return False
        return state is not ActionState.OPEN or key not in self.open_at_bare_position

    def action_page(
        self, provider_id: str, state: ActionState | None, limit: int, after: str | None = None
    ) -> tuple[list[OpenAction], str | None]:
        """After the previous page's last action, as the adapter's index sort key."""
        self.calls.append("action_page")
        start = checked_action_position(after) if after is not None else ""
        found = [
            a
            for a in self.all_actions()
            if a.provider_id == provider_id
            and self._in_range(a, state)
            and (state is None or a.state is state)
            and action_position(a.created_at, a.action_id) > start
        ]
        last = found[limit - 1] if len(found) > limit else None
        return found[:limit], (action_position(last.created_at, last.action_id) if last else None)

    def handovers_between(self, provider_id: str, first: date, last: date) -> list[OpenAction]:
        self.calls.append("handovers_between")
        low, high = handover_action_id(first, ""), handover_action_id(last, "~")
        return [
            a
            for a in sorted(self.all_actions(), key=lambda a: a.action_id)
            if a.provider_id == provider_id and low <= a.action_id <= high
        ]

    def get_action(self, provider_id: str, action_id: str) -> OpenAction | None:
        self.calls.append("get_action")
        return next(
            (
                a
                for a in self.all_actions()
                if (a.provider_id, a.action_id) == (provider_id, action_id)
            ),
            None,
        )

    def set_action_state(
        self, action: OpenAction, state: ActionState, on: date
    ) -> OpenAction | None:
        """As the adapter's conditional UpdateItem: the state alone, on the one read."""
        self.calls.append("set_action_state")
        current = self.actions.get(action_key(action))
        if current is None or current.state is not action.state:
            return state_set_meanwhile(current, state)
        changed = replace(current, state=state)
        self.actions[action_key(changed)] = changed
        self._state_written(changed)
        if not changed.invoice_id:  # one about an invoice keeps what its removal gave it
            kept = kept_until_once_set(changed, state, on)
            self.action_kept_until[action.provider_id, action.action_id] = kept
        return changed

    def patient_numbers(self, provider_id: str, invoice_ids: Sequence[str]) -> dict[str, str]:
        self.calls.append("patient_numbers")
        stored = (self.invoices.get((provider_id, i)) for i in invoice_ids)
        return {i.invoice_id: i.patient_ref for i in stored if i is not None}

    def get_invoices(self, provider_id: str, invoice_ids: Sequence[str]) -> list[Invoice]:
        self.calls.append("get_invoices")
        ids = dict.fromkeys(invoice_ids)  # each once, as a BatchGetItem answers
        read = (self._as_read((provider_id, i), consistent=False) for i in ids)
        return [invoice for invoice in read if invoice is not None]

    def invoice_actions(self, provider_id: str, invoice_id: str) -> list[OpenAction]:
        self.calls.append("invoice_actions")
        return [
            a
            for a in self.all_actions()
            if (a.provider_id, a.invoice_id) == (provider_id, invoice_id)
        ]

    def expire_invoice_actions(self, provider_id: str, invoice_id: str, at: datetime) -> int:
        """As the adapter: the invoice's actions get the TTL ``at`` (kept through its day)."""
        self.calls.append("expire_invoice_actions")
        expired = self.invoice_actions(provider_id, invoice_id)
        for action in expired:
            self.action_kept_until[provider_id, action.action_id] = amsterdam_day(at)
        return len(expired)

    # --- the provider's invoice list (R26) --------------------------------------------------

    def list_invoices(
        self,
        provider_id: str,
        wanted: InvoiceFilter | None = None,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> tuple[list[Invoice], str | None]:
        """Newest first by (issue date, id); every page but the last is full."""
        wanted = wanted or EVERY_INVOICE
        self.calls.append("list_invoices")
        if after:
            checked_invoice_position(after, wanted)
        # The domain's judgement of the filter (the kenmerk lookup's), not a copy of it.
        found = [
            i
            for i in self.provider_invoices(
                provider_id, issued_from=wanted.issued_from, issued_until=wanted.issued_until
            )
            if listing.admits(wanted, i)
            and self._has_names(i, wanted.patient_name)
            and (after is None or _list_position(i) < after)
        ]
        page = found[:limit]
        more = len(found) > limit
        return page, (_list_position(page[-1]) if more else None)

    def _has_names(self, invoice: Invoice, typed: str) -> bool:
        """As the adapter's filter on the stored names: an item without them (before
        migration v4) is not found by a name."""
        return not typed or self._invoice_key(invoice) not in self.unnamed

    # --- data migrations after a deploy (issues 13, 16) ---------------------------------

    def count_invoices(self, provider_id: str) -> int:
        self.calls.append("count_invoices")
        return sum(1 for owner, _ in self.invoices if owner == provider_id)

    def add_search_names(self, invoice: Invoice) -> bool:
        self.calls.append("add_search_names")
        key = self._invoice_key(invoice)
        if key not in self.unnamed or key not in self.invoices:
            return False
        self.unnamed.discard(key)
        return True

    def add_credit_index(self, invoice: Invoice) -> bool:
        self.calls.append("add_credit_index")
        key = self._invoice_key(invoice)
        stored = self.invoices.get(key)
        if key not in self.off_credit_index or stored is None:
            return False
        if not credit_or_refund_pending(invoice):
            return False
        if stored.version != invoice.version:
            return False
        self.off_credit_index.discard(key)
        return True

    def add_reference_marker(self, invoice: Invoice) -> ReferenceHolder:
        self.calls.append("add_reference_marker")
        held = self.references.get(invoice.reference)
        if held is not None:
            return ReferenceHolder(*held, written=False)
        self.references[invoice.reference] = self._invoice_key(invoice)
        return ReferenceHolder(invoice.provider_id, invoice.invoice_id, written=True)

    def add_action_list_index(self, action: OpenAction) -> bool:
        self.calls.append("add_action_list_index")
        key = (action.provider_id, action.action_id)
        if action_key(action) not in self.actions or key not in self.off_action_list:
            return False
        self.off_action_list.discard(key)
        return True

    def move_open_action_in_list(self, action: OpenAction) -> bool:
        self.calls.append("move_open_action_in_list")
        key = (action.provider_id, action.action_id)
        current = self.actions.get(action_key(action))
        if current is None or current.state is not ActionState.OPEN:
            return False
        if key in self.off_action_list or key not in self.open_at_bare_position:
            return False
        self.open_at_bare_position.discard(key)
        return True

    def rekey_action(self, action: OpenAction, action_id: str) -> bool:
        self.calls.append("rekey_action")
        moved = replace(action, action_id=action_id)
        if action_key(action) not in self.actions or action_key(moved) in self.actions:
            return False
        del self.actions[action_key(action)]
        self.actions[action_key(moved)] = moved
        return True

    def add_action_expiry(self, action: OpenAction, at: datetime) -> bool:
        self.calls.append("add_action_expiry")
        key = (action.provider_id, action.action_id)
        if action_key(action) not in self.actions or self.action_kept_until.get(key):
            return False
        self.action_kept_until[key] = amsterdam_day(at)
        return True

    def add_retention_expiry(self, invoice: Invoice) -> ExpiryAdded:
        self.calls.append("add_retention_expiry")
        if not self._is_current(invoice):
            return ExpiryAdded(changed=True)
        if kept_until(invoice.ledger) is None:
            return ExpiryAdded()
        own, *markers = self._expiring_items(invoice)
        written = ExpiryAdded(own in self.without_expiry, len(self.without_expiry & {*markers}))
        self.without_expiry.difference_update([own, *markers])
        return written

    def add_practice_item_expiries(self, provider_id: str) -> ExpiriesDated:
        self.calls.append("add_practice_item_expiries")
        own = [("declaration", *key) for key in self.declarations if key[0] == provider_id]
        own += [("retrocession", *key) for key in self.retrocessions if key[0] == provider_id]
        written = len(self.undated & {*own})
        self.undated.difference_update(own)
        return ExpiriesDated(written, len(own) - written)

    def add_batch_expiries(self) -> ExpiriesDated:
        self.calls.append("add_batch_expiries")
        done = [b.batch_id for b in self.batches.values() if batch_kept_until(b) is not None]
        written = len(self.undated & {("batch", batch_id) for batch_id in done})
        self.undated.difference_update(("batch", batch_id) for batch_id in done)
        return ExpiriesDated(written, len(done) - written, len(self.batches) - len(done))

    def add_open_batch_ids(self) -> OpenBatchIdsKept:
        self.calls.append("add_open_batch_ids")
        opened = {b.batch_id for b in self.batches.values() if is_open(b)}
        written = len(opened - self.open_batch_ids)
        self.open_batch_ids |= opened
        closed = len(self.batches) - len(opened)
        return OpenBatchIdsKept(written, len(opened) - written, closed)

    def add_settings_version_expiries(self, provider_id: str) -> ExpiriesDated:
        self.calls.append("add_settings_version_expiries")
        own = [
            ("settings", provider_id, str(change.version))
            for change in self.settings_history.get(provider_id, [])
        ]
        written = len(self.undated & {*own})
        self.undated.difference_update(own)
        return ExpiriesDated(written, len(own) - written)

    def add_block_expiries(self, provider_id: str, now: datetime) -> ExpiriesDated:
        """As the adapter's: the practice's changes dated from their own moment, then each
        unblocked block read from its ``changed_at`` (else its patient's last logged
        change, else ``now``), on condition it is still the version read (R28)."""
        self.calls.append("add_block_expiries")
        changes, last_change = self._date_block_changes(provider_id)
        read = self._blocks_read(provider_id)
        done = Counter(self._date_unblocked_block(found, last_change, now) for found in read)
        return ExpiriesDated(
            changes.written + done["written"],
            changes.present + done["present"],
            done["open"],
            done["changed"],
        )

    def _date_block_changes(self, provider_id: str) -> tuple[ExpiriesDated, dict[str, datetime]]:
        """Each change without an expiry dated from its own moment, oldest first (the
        adapter's sort key); also each patient's last logged change."""
        written = present = 0
        last_change: dict[str, datetime] = {}
        logged = {
            block_change_position(*rest): change
            for (owner, *rest), change in self.changes.items()
            if owner == provider_id
        }
        for position, change in sorted(logged.items()):
            last_change[change.patient_ref] = change.at
            key = ("block_change", provider_id, position)
            if key in self.undated:
                self._date_block_record(key, change.at)
                written += 1
            else:
                present += 1
        return ExpiriesDated(written, present), last_change

    def _blocks_read(self, provider_id: str) -> list[tuple[PatientBlock, bool]]:
        """The practice's blocks, each with whether it had an expiry, as the pass reads
        them before it writes any (the adapter's Query): a test saves a block here to
        reach the gap between the two."""
        return [
            (block, ("block", *key) not in self.undated)
            for key, block in sorted(self.blocks.items())
            if key[0] == provider_id
        ]

    def _date_unblocked_block(
        self, read: tuple[PatientBlock, bool], last_change: Mapping[str, datetime], now: datetime
    ) -> str:
        """The adapter's ``_date_unblocked_block`` of a block as read: open, present,
        written, or changed (no longer the version read: saved meanwhile, its whole-item
        Put, R28)."""
        block, dated = read
        if block.is_blocked:
            return "open"
        if dated:
            return "present"
        key = ("block", block.provider_id, block.patient_ref)
        stored = self.blocks.get((block.provider_id, block.patient_ref))
        if stored is None or stored.version != block.version or key not in self.undated:
            return "changed"
        self._date_block_record(key, block.changed_at or last_change.get(block.patient_ref, now))
        return "written"

    def _date_block_record(self, key: tuple[str, ...], moment: datetime) -> None:
        self.block_dated_from[key] = moment
        self.undated.discard(key)

    def put_block_without_moment(self, provider_id: str, patient_ref: str) -> None:
        """The block as a deploy before audit AGENCY1 stored it: no ``changed_at``."""
        key = (provider_id, patient_ref)
        self.blocks[key] = replace(self.blocks[key], changed_at=None)

    def forget_block_changes(self, provider_id: str, patient_ref: str) -> None:
        """The patient's changes no longer logged (their items gone)."""
        for key in [k for k in self.changes if k[0] == provider_id and k[3] == patient_ref]:
            del self.changes[key]
            position = block_change_position(*key[1:])
            self.block_dated_from.pop(("block_change", provider_id, position), None)
            self.undated.discard(("block_change", provider_id, position))

    def add_remitted_by_agency(self, summary: StatementSummary, cents: int) -> bool:
        self.calls.append("add_remitted_by_agency")
        key = (summary.provider_id, summary.week.label)
        stored = self.retrocessions.get(key)
        if stored is None or stored.remitted_by_agency_cents is not None:
            return False
        self.retrocessions[key] = replace(stored, remitted_by_agency_cents=cents)
        return True

    def add_canonical_claim_markers(
        self, provider_id: str, refs: Mapping[str, str]
    ) -> ClaimMarkersCopied:
        self.calls.append("add_canonical_claim_markers")
        written = present = 0
        for ref, canonical in refs.items():
            stored = self.markers.get((provider_id, ref))
            if stored is None:
                continue
            if (provider_id, canonical) in self.markers:
                present += 1
                continue
            self.markers[(provider_id, canonical)] = replace(stored, claim_ref=canonical)
            if ("claim", provider_id, ref) in self.without_expiry:  # copied as it is
                self.without_expiry.add(("claim", provider_id, canonical))
            written += 1
        return ClaimMarkersCopied(written, present)

    def list_retrocessions(
        self, provider_id: str, *, limit: int = 52, before: Week | None = None
    ) -> list[StatementSummary]:
        self.calls.append("list_retrocessions")
        weeks = sorted(
            (s for (p, _), s in self.retrocessions.items() if p == provider_id),
            key=lambda s: s.week.label,
            reverse=True,
        )
        return [s for s in weeks if before is None or s.week < before][:limit]

    # --- the weekly retrocession (R24) ------------------------------------------------------

    def put_retrocession(self, summary: StatementSummary) -> None:
        self.calls.append("put_retrocession")
        self.retrocessions[(summary.provider_id, summary.week.label)] = summary
        self.undated.discard(("retrocession", summary.provider_id, summary.week.label))

    def get_retrocession(self, provider_id: str, week: Week) -> StatementSummary | None:
        self.calls.append("get_retrocession")
        return self.retrocessions.get((provider_id, week.label))

    # --- payout and refund batches (R34) -------------------------------------------------

    def create_batch(self, batch: TransferBatch, *, list_version: int | None = None) -> bool:
        if batch.batch_id in self.batches:
            return False
        if list_version is not None and list_version != self.batch_list_version(batch.kind):
            raise ConcurrentChange(batch.batch_id)
        self.batches[batch.batch_id] = replace(batch, version=1)
        self.batch_list_versions[batch.kind] = self.batch_list_version(batch.kind) + 1
        if is_open(batch):
            self.open_batch_ids.add(batch.batch_id)
        return True

    def batch_list_version(self, kind: BatchKind) -> int:
        return self.batch_list_versions.get(kind, 0)

    def get_batch(self, batch_id: str) -> TransferBatch | None:
        return self.batches.get(batch_id)

    def open_batches(self, kind: BatchKind) -> list[TransferBatch]:
        """As the adapter: by the ids kept, and the open ones of the newest page."""
        by_id = [self.batches[i] for i in self.open_batch_ids if self.batches[i].kind is kind]
        found = {b.batch_id: b for b in [*self.list_batches(kind), *by_id]}
        return newest_first(b for b in found.values() if is_open(b))

    def save_batch(self, batch: TransferBatch) -> TransferBatch:
        stored = self.batches.get(batch.batch_id)
        if stored is None or stored.version != batch.version:
            raise ConcurrentChange(batch.batch_id)
        saved = replace(batch, version=batch.version + 1)
        self.batches[batch.batch_id] = saved
        if is_open(stored) and not is_open(saved):
            self.open_batch_ids.discard(batch.batch_id)
        if batch_kept_until(saved) is not None:
            self.undated.discard(("batch", batch.batch_id))
        return saved

    def list_batches(
        self, kind: BatchKind, *, limit: int = 52, after: str | None = None
    ) -> list[TransferBatch]:
        of_kind = newest_first(b for b in self.batches.values() if b.kind is kind)
        if after is not None:
            older = batch_order(checked_batch_position(kind, after))
            of_kind = [b for b in of_kind if batch_order(b.batch_id) < older]
        return of_kind[:limit]

    # --- the insurer register (R33) ----------------------------------------------------------

    def put_insurer_register(
        self, register: InsurerRegister, load: RegisterLoad | None = None, *, revision: int
    ) -> None:
        self.calls.append("put_insurer_register")
        if register.version in self.registers or revision != self.register_revision:
            raise TransactionConflict(register.version)
        self.register_revision = revision + 1
        self.registers[register.version] = register
        if load is not None:
            self.register_loads[register.version] = load

    def insurer_register_load(self, version: str) -> RegisterLoad | None:
        self.calls.append("insurer_register_load")
        return self.register_loads.get(version)

    def insurer_registers(self) -> list[InsurerRegister]:
        """By version, as the table's sort key has them."""
        self.calls.append("insurer_registers")
        return [self.registers[v] for v in sorted(self.registers)]

    def insurer_registers_as_read(self) -> tuple[list[InsurerRegister], int]:
        self.calls.append("insurer_registers_as_read")
        return [self.registers[v] for v in sorted(self.registers)], self.register_revision

    # --- blocked patients (R22): the same transitions as the DynamoDB adapter -----------------

    def block_patient(
        self, provider_id: str, patient_ref: str, invoice_id: str, at: datetime, bsn: str = ""
    ) -> None:
        self.calls.append("block_patient")
        self._change_block(provider_id, patient_ref, lambda b: with_claim(b, invoice_id, at, bsn))

    def release_claim(
        self, provider_id: str, patient_ref: str, invoice_id: str, at: datetime
    ) -> bool:
        self.calls.append("release_claim")
        logged = self._change_block(
            provider_id, patient_ref, lambda b: without_claim(b, invoice_id, at)
        )
        return logged is not None and logged.change is BlockChangeKind.UNBLOCKED

    def blocked_patients(self, provider_id: str) -> list[BlockedPatient]:
        """By patient number."""
        self.calls.append("blocked_patients")
        return [
            block.as_blocked_patient()
            for (owner, _), block in sorted(self.blocks.items())
            if owner == provider_id and block.is_blocked
        ]

    def blocked_patient_page(
        self, provider_id: str, limit: int, after: str | None = None
    ) -> tuple[list[BlockedPatient], str | None]:
        """After the previous page's last patient number, as the table's sort key."""
        self.calls.append("blocked_patient_page")
        start = checked_patient_position(after) if after is not None else ""
        found = [
            block.as_blocked_patient()
            for (owner, patient), block in sorted(self.blocks.items())
            if owner == provider_id and block.is_blocked and patient > start
        ]
        return found[:limit], (found[limit - 1].patient_ref if len(found) > limit else None)

    def blocked_refs_with_bsn(self, provider_id: str) -> frozenset[tuple[str, str]]:
        self.calls.append("blocked_refs_with_bsn")
        return frozenset(
            (patient, block.bsn)
            for (owner, patient), block in self.blocks.items()
            if owner == provider_id and block.is_blocked
        )

    def block_changes(self, provider_id: str, since: datetime) -> list[BlockChange]:
        """Oldest first; at the same moment by the block's version, then patient number."""
        self.calls.append("block_changes")
        return [change for _, change in self._change_log(provider_id, since, "")]

    def block_change_page(
        self, provider_id: str, since: datetime, limit: int, after: str | None = None
    ) -> tuple[list[BlockChange], str | None]:
        """After the position of the previous page's last, as the table's sort key."""
        self.calls.append("block_change_page")
        start = checked_block_change_position(after, since) if after is not None else ""
        found = self._change_log(provider_id, since, start)
        last = found[limit - 1][0] if len(found) > limit else None
        return [change for _, change in found[:limit]], last

    def _change_log(
        self, provider_id: str, since: datetime, after: str
    ) -> list[tuple[str, BlockChange]]:
        """(position, change) at or after ``since``, after position ``after``, in order."""
        return [
            (position, self.changes[key])
            for key in sorted(self.changes)
            if key[0] == provider_id
            and key[1] >= since
            and (position := block_change_position(*key[1:])) > after
        ]

    def blocks_without_bsn(self, provider_id: str) -> list[PatientBlock]:
        self.calls.append("blocks_without_bsn")
        return [
            block
            for (owner, _), block in sorted(self.blocks.items())
            if owner == provider_id and block.is_blocked and not block.bsn
        ]

    def add_block_bsn(self, block: PatientBlock, bsn: str) -> bool:
        self.calls.append("add_block_bsn")
        if not bsn:
            raise ValueError("a block keeps a BSN, not an empty one")
        key = (block.provider_id, block.patient_ref)
        stored = self.blocks.get(key)
        if stored is None or stored.version != block.version:
            return False
        if not stored.is_blocked or stored.bsn:
            return False
        self.blocks[key] = replace(stored, bsn=bsn, version=stored.version + 1)
        return True

    # --- plumbing -----------------------------------------------------------------------------

    def _change_block(
        self, provider_id: str, patient_ref: str, change: Callable[[PatientBlock], Transition]
    ) -> BlockChange | None:
        block = self.blocks.get((provider_id, patient_ref), PatientBlock(provider_id, patient_ref))
        changed, logged = change(block)
        self.blocks[(provider_id, patient_ref)] = changed
        # the adapter's whole-item Put: it dates an unblocked block, takes a block's away
        key = ("block", provider_id, patient_ref)
        self.undated.discard(key)
        self.block_dated_from.pop(key, None)
        if changed.changed_at is not None and not changed.is_blocked:
            self.block_dated_from[key] = changed.changed_at
        if logged is not None:
            at = logged.at.astimezone(UTC)
            self.changes[(provider_id, at, changed.version, patient_ref)] = logged
            position = block_change_position(at, changed.version, patient_ref)
            self.block_dated_from[("block_change", provider_id, position)] = logged.at
        return logged

    @staticmethod
    def _invoice_key(invoice: Invoice) -> InvoiceKey:
        return (invoice.provider_id, invoice.invoice_id)

    def _is_current(self, invoice: Invoice) -> bool:
        """The condition of a versioned write: the stored one is the version read (R28)."""
        stored = self.invoices.get(self._invoice_key(invoice))
        return stored is not None and stored.version == invoice.version

    def _invoice_unit(self, provider_id: str, declaration_id: str, new: NewInvoice) -> list[Write]:
        invoice_id = new.invoice.invoice_id
        return [
            (self.invoices, self._invoice_key(new.invoice), new.invoice),
            (self.references, new.invoice.reference, self._invoice_key(new.invoice)),
            *self._ledger_week_writes(new.invoice),
            *(
                self._marker_write(provider_id, ref, declaration_id, invoice_id)
                for ref in new.claim_refs
            ),
            *((self.actions, action_key(a), a) for a in new.actions),
        ]

    def _ledger_week_writes(self, invoice: Invoice) -> list[Write]:
        """The adapter's ledger-week markers take room in a transaction: so do these."""
        weeks = {Week.containing(entry.recorded).label for entry in invoice.new_entries}
        return [
            (self.week_markers, (invoice.provider_id, week, invoice.invoice_id), True)
            for week in sorted(weeks)
        ]

    def _marker_write(
        self,
        provider_id: str,
        claim_ref: str,
        declaration_id: str,
        invoice_id: str,
        patient_invoice_id: str = "",
    ) -> Write:
        return (
            self.markers,
            (provider_id, claim_ref),
            KnownClaim(claim_ref, declaration_id, invoice_id, patient_invoice_id),
        )

    @staticmethod
    def _write_new(transaction: list[Write]) -> None:
        """Every Put on condition that its key is new: all of them, or none."""
        if any(key in where for where, key, _ in transaction):
            raise TransactionConflict("an item of the transaction exists already")
        for where, key, value in transaction:
            where[key] = value


def _packed(units: list[list[Write]]) -> list[list[list[Write]]]:
    """Transactions of up to TRANSACTION_LIMIT writes; an invoice's unit is never split."""
    transactions: list[list[list[Write]]] = []
    for unit in units:
        if len(unit) > TRANSACTION_LIMIT:
            raise ValueError(f"an invoice of {len(unit)} items does not fit a transaction")
        if not transactions or sum(map(len, transactions[-1])) + len(unit) > TRANSACTION_LIMIT:
            transactions.append([])
        transactions[-1].append(unit)
    return transactions


def _invoice_id_of(unit: list[Write]) -> str:
    """The invoice a unit writes ("" for an insurer-bound line's marker)."""
    written = unit[0][2]
    return written.invoice_id if isinstance(written, Invoice) else ""


def _list_position(invoice: Invoice) -> str:
    """Like the by-provider index's sort key: issue date, then id."""
    return f"{invoice.issue_date.isoformat()}#{invoice.invoice_id}"


def _dunning_position(invoice: Invoice | DunningPlace, day: date) -> str:
    return f"{day.isoformat()}#{invoice.provider_id}#{invoice.patient_ref}#{invoice.invoice_id}"


class AuditInMemory:
    """The audit of reads (R32), as DynamoAuditLog keeps it: appended, listed by moment."""

    def __init__(self) -> None:
        self.records: list[ReadRecord] = []

    def record_read(self, record: ReadRecord) -> None:
        self.records.append(record)

    def reads(
        self,
        provider_id: str,
        since: datetime,
        until: datetime,
        *,
        limit: int,
        after: str | None = None,
    ) -> tuple[list[ReadRecord], str | None]:
        """Positioned as the table sorts them: the UTC moment, then an id (here the order
        in which they were recorded)."""
        start = checked_audit_position(after, since, until) if after else ""
        found = sorted(
            (_audit_position(r.at, n), r)
            for n, r in enumerate(self.records)
            if r.provider_id == provider_id and since <= r.at < until
        )
        page = [(position, r) for position, r in found if position > start][: limit + 1]
        records = [r for _, r in page[:limit]]
        return records, (page[limit - 1][0] if len(page) > limit else None)


def _audit_position(at: datetime, n: int) -> str:
    return f"{at.astimezone(UTC).isoformat(timespec='microseconds')}#{n:032x}"


class FakeQueue:
    def __init__(self) -> None:
        self.requests: list[DeliveryRequest] = []

    def enqueue(self, requests: Sequence[DeliveryRequest]) -> None:
        self.requests.extend(requests)

    @property
    def kinds(self) -> list[str]:
        return [r.kind for r in self.requests]


class FilesInMemory:
    """The output bucket: objects by key, as S3FileStore keeps them."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.written_at: dict[str, datetime] = {}

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.files[key] = body
        self.written_at[key] = datetime.now(UTC)

    def get(self, key: str) -> bytes:
        """What was last put under ``key``; FileGone, as S3FileStore, when nothing is."""
        if key not in self.files:
            raise FileGone(key)
        return self.files[key]

    def delete(self, key: str) -> None:
        self.files.pop(key, None)
        self.written_at.pop(key, None)

    def exists(self, key: str) -> bool:
        return key in self.files

    def list_files(self, prefix: str, start_after: str, limit: int) -> FilePage:
        keys = sorted(k for k in self.files if k.startswith(prefix) and k > start_after)
        files = [StoredFile(k, len(self.files[k]), self.written_at[k]) for k in keys[:limit]]
        return FilePage(files, more=len(keys) > limit)

    def download_url(self, key: str, expires_in_seconds: int) -> str:
        return f"memory://{key}?expires={expires_in_seconds}"


def practice_context(store: FakeStore, clock: Clock, **overrides: Any) -> ProviderContext:
    """What a practice's use cases run on, in memory: ``store`` and ``clock`` as given, a
    fresh bucket, queue, user directory and audit unless ``overrides`` name their own."""
    values: dict[str, Any] = {
        "files": FilesInMemory(),
        "uploads": None,
        "delivery": FakeQueue(),
        "users": InMemoryUserDirectory(),
        "audit": AuditInMemory(),
    }
    return ProviderContext(store=store, clock=clock, **(values | overrides))


def blocked_numbers(store: Any, provider_id: str) -> frozenset[str]:
    """The blocked patients' numbers, as a test reads them from any store (the fake or
    the moto repository): the ingest's one query without the BSNs (R22)."""
    return frozenset(ref for ref, _ in store.blocked_refs_with_bsn(provider_id))


def is_blocked(store: Any, provider_id: str, patient_ref: str) -> bool:
    """Whether the patient is blocked at the provider (R22), as a test reads it from any
    store: among the blocked numbers the ingest reads (blocked_refs_with_bsn)."""
    return patient_ref in blocked_numbers(store, provider_id)


def _credit_position(invoice: Invoice) -> str:
    """The adapter's by-credit position (keys.credit_position)."""
    return f"{invoice.provider_id}#{invoice.issue_date.isoformat()}#{invoice.invoice_id}"
