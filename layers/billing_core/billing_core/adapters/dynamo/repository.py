"""The billing repository on the single DynamoDB table.

Writes that create money are transactions with conditions (R3, R28): a claim that is
already known, or an invoice id that exists, cancels the write instead of duplicating
it. Batches keep ingest at a few requests per hundred invoices.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import chain
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from billing_core.adapters.dynamo import items, keys
from billing_core.collection.blocking import (
    BlockChange,
    BlockChangeKind,
    BlockedPatient,
    PatientBlock,
    Transition,
    with_claim,
    without_claim,
)
from billing_core.declarations.claims import canonical_reference
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.name_search import search_terms, searchable_names
from billing_core.invoices.payment_status import PaymentStatus
from billing_core.ports import (
    AgbCodeTaken,
    ConcurrentChange,
    DunningPlace,
    KnownClaim,
    NewInvoice,
    NewInvoicesStored,
    TransactionConflict,
    UnreadableInvoice,
    UnreadableProvider,
    action_position,
    checked_action_position,
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
from billing_core.providers.week import Week

if TYPE_CHECKING:
    # Their item mappings are imported by the methods that use them: a function that never
    # reads or writes these aggregates does not load them (issue 11 item 5).
    from billing_core.declarations.claim_marker_migration import ClaimMarkersCopied
    from billing_core.declarations.record import DeclarationRecord
    from billing_core.declarations.rules.insurers import InsurerRegister
    from billing_core.declarations.rules.register_loads import RegisterLoad
    from billing_core.invoices.listing import InvoiceFilter
    from billing_core.invoices.reference_holder import ReferenceHolder
    from billing_core.invoices.retention_migration import ExpiriesDated, ExpiryAdded
    from billing_core.payments.open_batch_ids import OpenBatchIdsKept
    from billing_core.providers.listing import ProviderListing
    from billing_core.providers.provider import Provider
    from billing_core.providers.retrocession import StatementSummary
    from billing_core.providers.settings_history import SettingsVersion
    from billing_core.providers.user_changes import UserChange

TRANSACTION_LIMIT = 100  # items per TransactWriteItems
BATCH_GET_LIMIT = 100  # keys per BatchGetItem
PROVIDER_CACHE_SECONDS = 300  # provider settings change a few times a year
BLOCK_ATTEMPTS = 8  # read-change-write rounds of one patient's block before giving up (R28)
MOVED_TO = "moved_to"  # an action moved to another id (rekey_action): gone for every read


class BillingRepository:
    def __init__(self, table: Any) -> None:
        """table: a boto3 DynamoDB Table resource."""
        self._table = table
        self._client = table.meta.client  # the resource client takes plain Python values
        self._provider_cache: dict[str, tuple[float, Provider | None]] = {}

    @property
    def client(self) -> Any:
        """The DynamoDB client, for instrumentation (make bench counts its requests)."""
        return self._client

    # --- providers ------------------------------------------------------------------

    def get_provider(self, provider_id: str) -> Provider | None:
        """UnreadableProvider when the stored settings do not validate (a legacy item)."""
        item = self._get(keys.provider_key(provider_id))
        return _readable_provider(item, provider_id) if item else None

    def save_provider(
        self,
        provider: Provider,
        change: SettingsVersion,
        *,
        codes_before: frozenset[str] = frozenset(),
    ) -> None:
        """One transaction: the settings on condition of the version they replace (R28,
        R31), the history entry of this version, and the AGB codes' markers: one claimed
        per code added, on condition that no other provider holds it, one released per
        code dropped (R31, interfaces.md §6: two saves claiming one code cannot both
        succeed). A cancelled write reads the claimed markers to tell which it was."""
        from billing_core.adapters.dynamo.history_items import settings_version_to_item
        from billing_core.adapters.dynamo.provider_items import provider_to_item

        provider_id = provider.provider_id
        claimed = sorted(provider.all_agb_codes - codes_before)
        released = sorted(codes_before - provider.all_agb_codes)
        settings = {"TableName": self._table.name, "Item": provider_to_item(provider)}
        writes = [
            {"Put": settings | _replacing(change.version)},
            self._put_new(settings_version_to_item(change)),
            *(self._claim_agb_code(code, provider_id) for code in claimed),
            *(self._release_agb_code(code, provider_id, change.changed_at) for code in released),
        ]
        try:
            self._transact(writes)
        except TransactionConflict as conflict:
            self._refuse_codes_held_by_others(claimed, provider_id)
            raise ConcurrentChange(f"settings of {provider_id}") from conflict
        finally:
            self._provider_cache.pop(provider_id, None)

    def _claim_agb_code(self, code: str, provider_id: str) -> dict[str, Any]:
        from billing_core.adapters.dynamo.provider_items import agb_marker_to_item

        return {
            "Put": {
                "TableName": self._table.name,
                "Item": agb_marker_to_item(code, provider_id),
                "ConditionExpression": _HELD_BY_NONE_OR_THIS_PROVIDER,
                "ExpressionAttributeValues": {":provider": provider_id},
            }
        }

    def _release_agb_code(self, code: str, provider_id: str, at: datetime) -> dict[str, Any]:
        """No function deletes from the billing table: the released marker names no
        provider (free to claim at once), and the table's TTL removes it."""
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": keys.agb_marker_key(code),
                "UpdateExpression": "REMOVE provider_id SET expires_at = :now",
                "ConditionExpression": _HELD_BY_NONE_OR_THIS_PROVIDER,
                "ExpressionAttributeValues": {
                    ":provider": provider_id,
                    ":now": items.expires_at(at, timedelta(0)),
                },
            }
        }

    def _refuse_codes_held_by_others(self, codes: list[str], provider_id: str) -> None:
        """AgbCodeTaken for the first of ``codes`` whose marker names another provider."""
        from billing_core.adapters.dynamo.provider_items import agb_holder

        for code in codes:
            holder = agb_holder(self._get(keys.agb_marker_key(code), consistent=True))
            if holder not in ("", provider_id):
                raise AgbCodeTaken(code, holder)

    def provider_history(self, provider_id: str) -> list[SettingsVersion]:
        from billing_core.adapters.dynamo.history_items import settings_version_from_item

        found = self._query_all(
            _in_partition(keys.provider_partition(provider_id), keys.SETTINGS_VERSION_PREFIX)
        )
        return [settings_version_from_item(item) for item in found]

    def record_user_change(self, change: UserChange) -> None:
        from billing_core.adapters.dynamo.history_items import user_change_to_item

        self._table.put_item(Item=user_change_to_item(change))

    def user_changes(self, provider_id: str) -> list[UserChange]:
        from billing_core.adapters.dynamo.history_items import user_change_from_item

        found = self._query_all(
            _in_partition(keys.provider_partition(provider_id), keys.USER_CHANGE_PREFIX)
        )
        return [user_change_from_item(item) for item in found]

    def cached_provider(self, provider_id: str) -> Provider | None:
        """Settings at most PROVIDER_CACHE_SECONDS old, kept per warm Lambda instance, so
        the public payment checker costs one request (the invoice) once warm."""
        cached = self._provider_cache.get(provider_id)
        if cached and time.monotonic() - cached[0] < PROVIDER_CACHE_SECONDS:
            return cached[1]
        provider = self.get_provider(provider_id)
        self._provider_cache[provider_id] = (time.monotonic(), provider)
        return provider

    # --- open actions (R23) ---------------------------------------------------------

    def put_action(self, action: OpenAction) -> None:
        self._table.put_item(Item=items.action_to_item(action))

    def add_action(self, action: OpenAction) -> bool:
        return _written(
            self._table.put_item,
            Item=items.action_to_item(action),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def decide_action(self, decided: OpenAction) -> OpenAction | None:
        """One conditional write: two decisions at once cannot both land (R28)."""
        try:
            self._table.put_item(**_decision_put(decided))
        except ClientError as error:
            if _code(error) != "ConditionalCheckFailedException":
                raise
            item = self._get(
                keys.action_key(decided.provider_id, decided.action_id), consistent=True
            )
            return items.action_from_item(item) if item and MOVED_TO not in item else None
        return decided

    def close_action(self, closed: OpenAction) -> bool:
        """One UpdateItem of the state and the details, on condition the item is there, not
        moved, open and never closed by the system (R23, R28); its TTL is not touched."""
        return self._system_sets_state(
            closed,
            "#state = :was AND attribute_not_exists(details.closed_by)",
            {":was": ActionState.OPEN.value},
        )

    def reopen_action(self, reopened: OpenAction) -> bool:
        """One UpdateItem of the state and the details, on condition the item is there, not
        moved, done and closed by the system (R23, R28); its TTL is not touched."""
        return self._system_sets_state(
            reopened,
            "#state = :was AND details.closed_by = :system",
            {":was": ActionState.DONE.value, ":system": "system"},
        )

    def supersede_action(self, action: OpenAction, key: str, value: str) -> bool:
        """One UpdateItem of the state and the details, on condition the item is there, not
        moved, and its details' ``key`` is not ``value`` (R23, R28); its TTL is not touched."""
        return self._system_sets_state(
            action,
            "(attribute_not_exists(details.#key) OR details.#key <> :value)",
            {":value": value},
            {"#key": key},
        )

    def _system_sets_state(
        self,
        action: OpenAction,
        condition: str,
        values: dict[str, str],
        names: dict[str, str] | None = None,
    ) -> bool:
        """The action's state and details as ``action`` holds them, if the stored one is
        there, not moved and meets ``condition``; False when not."""
        return _written(
            self._table.update_item,
            Key=keys.action_key(action.provider_id, action.action_id),
            # its place in the action list moves with its state (as set_action_state)
            UpdateExpression="SET #state = :state, details = :details,"
            " gsi4pk = :actions, gsi4sk = :listed",
            ConditionExpression=(
                f"attribute_exists(pk) AND attribute_not_exists(#moved) AND {condition}"
            ),
            ExpressionAttributeNames={"#state": "state", "#moved": MOVED_TO, **(names or {})},
            ExpressionAttributeValues={
                ":state": action.state.value,
                ":details": dict(action.details),
                **_action_list_values(action, action.state),
                **values,
            },
        )

    def get_action(self, provider_id: str, action_id: str) -> OpenAction | None:
        """One GetItem: the action is keyed by its id (items.py, key design); one moved
        to another id (``rekey_action``) is not there."""
        item = self._get(keys.action_key(provider_id, action_id))
        return items.action_from_item(item) if item and MOVED_TO not in item else None

    def set_action_state(
        self, action: OpenAction, state: ActionState, on: date
    ) -> OpenAction | None:
        """The provider marks ``action``, as read, done or open on ``on`` (R23): one
        UpdateItem of its state, on condition the item is there, not moved and still in
        the state read (R28), so it never puts back an item the TTL removed nor undoes a
        concurrent change. Its TTL (legal-nl.md §8): one about no invoice a year after
        done (kept_until_once_set); one about an invoice keeps the one its invoice's
        removal gave it, if any (expire_invoice_actions): not touched here."""
        # its place in the action list moves with it (and one stored before the list's
        # index gets on it: migration 16 then finds it there)
        update = "SET #state = :state, gsi4pk = :actions, gsi4sk = :listed"
        names = {"#state": "state"}
        values = {":state": state.value} | _action_list_values(action, state)
        if not action.invoice_id:
            ttl = items.expiry_after(kept_until_once_set(action, state, on))
            names["#ttl"] = "expires_at"
            if ttl:
                update += ", #ttl = :ttl"
                values[":ttl"] = ttl["expires_at"]
            else:
                update += " REMOVE #ttl"
        try:
            written = self._table.update_item(
                Key=keys.action_key(action.provider_id, action.action_id),
                UpdateExpression=update,
                ConditionExpression=(
                    "attribute_exists(pk) AND attribute_not_exists(#moved) AND #state = :read"
                ),
                ExpressionAttributeNames=names | {"#moved": MOVED_TO},
                ExpressionAttributeValues=values | {":read": action.state.value},
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if _code(error) != "ConditionalCheckFailedException":
                raise
            item = self._get(keys.action_key(action.provider_id, action.action_id), consistent=True)
            now = items.action_from_item(item) if item and MOVED_TO not in item else None
            return state_set_meanwhile(now, state)
        return items.action_from_item(written["Attributes"])

    def list_actions(self, provider_id: str, state: ActionState | None = None) -> list[OpenAction]:
        """The provider's actions, oldest first (by creation in UTC); only ``state`` ones
        when given: those are a Query of their range of the action list's index (the
        overview's open ones read none of the done ones, openact57), every one is one of
        the provider's partition (the migrations list those not on the index yet)."""
        if state is not None:
            listed = self._query_all(_action_list_query(provider_id, state, None))
            return [items.action_from_item(item) for item in listed]
        query: dict[str, Any] = _in_partition(
            keys.provider_partition(provider_id), keys.ACTION_PREFIX
        )
        found = [
            items.action_from_item(item) for item in self._query_all(query) if MOVED_TO not in item
        ]
        return sorted(found, key=lambda a: action_position(a.created_at, a.action_id))

    def action_page(
        self, provider_id: str, state: ActionState | None, limit: int, after: str | None = None
    ) -> tuple[list[OpenAction], str | None]:
        """A page goes on after the previous page's last action (creation in UTC, then id),
        the order of ``list_actions``. The open ones are one Query of their own range of
        the by-credit index's partition, the done ones one of theirs (openact57: before,
        the open page read through every done one); the whole list merges a page of each."""
        start = checked_action_position(after) if after is not None else None
        ranges = (state,) if state else (ActionState.OPEN, ActionState.DONE)
        found: list[OpenAction] = []
        for listed in ranges:
            query = _action_list_query(provider_id, listed, start, only=state is not None)
            read = query_up_to(self._table, query, limit + 1)
            found += [items.action_from_item(item) for item in read]
        found.sort(key=lambda a: action_position(a.created_at, a.action_id))
        last = found[limit - 1] if len(found) > limit else None
        return found[:limit], (action_position(last.created_at, last.action_id) if last else None)

    def handovers_between(self, provider_id: str, first: date, last: date) -> list[OpenAction]:
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": {
                ":pk": keys.provider_partition(provider_id),
                ":low": keys.action_key(provider_id, handover_action_id(first, ""))["sk"],
                ":high": keys.action_key(provider_id, handover_action_id(last, keys.HIGHEST))["sk"],
            },
        }
        return [items.action_from_item(item) for item in self._query_all(query)]

    def invoice_actions(self, provider_id: str, invoice_id: str) -> list[OpenAction]:
        """One invoice's actions, oldest first: a Query on its own by-provider partition."""
        query: dict[str, Any] = {
            "IndexName": "by-provider",
            "KeyConditionExpression": "gsi2pk = :invoice",
            "ExpressionAttributeValues": {
                ":invoice": keys.invoice_actions_partition(provider_id, invoice_id)
            },
        }
        return [items.action_from_item(item) for item in self._query_all(query)]

    def patient_numbers(self, provider_id: str, invoice_ids: Sequence[str]) -> dict[str, str]:
        """One BatchGetItem a hundred invoices, of their id and patient number only."""
        wanted = [keys.invoice_key(provider_id, i) for i in dict.fromkeys(invoice_ids)]
        found = self._batch_get(wanted, ProjectionExpression="invoice_id, patient_ref")
        return {item["invoice_id"]: item["patient_ref"] for item in found}

    def get_invoices(self, provider_id: str, invoice_ids: Sequence[str]) -> list[Invoice]:
        """One BatchGetItem a hundred invoices, eventually consistent."""
        wanted = [keys.invoice_key(provider_id, i) for i in dict.fromkeys(invoice_ids)]
        return [items.invoice_from_item(item) for item in self._batch_get(wanted)]

    # --- declarations ---------------------------------------------------------------

    def get_declaration(self, provider_id: str, declaration_id: str) -> DeclarationRecord | None:
        from billing_core.adapters.dynamo.declaration_items import declaration_from_item

        item = self._get(keys.declaration_key(provider_id, declaration_id))
        return declaration_from_item(item) if item else None

    def put_declaration(self, record: DeclarationRecord) -> None:
        from billing_core.adapters.dynamo.declaration_items import declaration_to_item

        self._table.put_item(Item=declaration_to_item(record))

    def start_declaration_version(self, record: DeclarationRecord) -> bool:
        """One conditional Put: the version is set once, by the first run that gets here."""
        from billing_core.adapters.dynamo.declaration_items import declaration_to_item

        return _written(
            self._table.put_item,
            Item=declaration_to_item(record),
            ConditionExpression="attribute_not_exists(object_version)"
            " OR object_version IN (:none, :version)",
            ExpressionAttributeValues={":none": "", ":version": record.object_version},
        )

    def retour_applied(self, provider_id: str, digest: str) -> tuple[str, datetime] | None:
        item = self._get(keys.retour_applied_key(provider_id, digest))
        if not item:
            return None
        return item["declaration_id"], datetime.fromisoformat(item["applied_at"])

    def mark_retour_applied(
        self, provider_id: str, digest: str, declaration_id: str, at: datetime
    ) -> bool:
        """One conditional Put: the first upload that applied the content stays."""
        from billing_core.adapters.dynamo.declaration_items import retour_applied_item

        return _written(
            self._table.put_item,
            Item=retour_applied_item(provider_id, digest, declaration_id, at),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def list_declarations(
        self, provider_id: str, *, limit: int = 50, after: str | None = None
    ) -> tuple[list[DeclarationRecord], str | None]:
        """Newest first; ``after`` is the last declaration id of the previous page. It
        reads one more than ``limit``: only a page with an upload after it gives a
        position (a full last page gave one that led to an empty page, closing 14)."""
        from billing_core.adapters.dynamo.declaration_items import declaration_from_item

        query: dict[str, Any] = _in_partition(
            keys.provider_partition(provider_id),
            keys.DECLARATION_PREFIX,
            ScanIndexForward=False,
        )
        if after:
            position = checked_declaration_position(after)
            query["ExclusiveStartKey"] = keys.declaration_key(provider_id, position)
        page, last = query_page(self._table, query, limit)
        records = [declaration_from_item(i) for i in page]
        return records, (records[-1].declaration_id if last else None)

    def reserve_references(self, count: int) -> int:
        """Reserve ``count`` sequence numbers at once; returns the first (one request)."""
        answer = self._table.update_item(
            Key=keys.SEQUENCE_KEY,
            UpdateExpression="ADD next_value :count",
            ExpressionAttributeValues={":count": count},
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"]["next_value"]) - count

    # --- wrong birth dates (issue 13.3) ----------------------------------------------

    def wrong_birth_dates(self, reference: str, now: datetime) -> int:
        item = self._get(keys.birth_date_tries_key(reference))
        if item is None or int(item["window_ends"]) <= now.timestamp():
            return 0
        return int(item["tries"])

    def add_wrong_birth_date(self, reference: str, now: datetime, window: timedelta) -> None:
        """One UpdateItem while the window is open (each try keeps it open for another
        ``window``); a fresh count after it closed. ``expires_at`` is the table's TTL."""
        key = keys.birth_date_tries_key(reference)
        ends = int((now + window).timestamp())
        try:
            self._table.update_item(
                Key=key,
                UpdateExpression="ADD tries :one SET window_ends = :ends, expires_at = :ends",
                ConditionExpression="window_ends > :now",
                ExpressionAttributeValues={":one": 1, ":ends": ends, ":now": int(now.timestamp())},
            )
        except ClientError as error:
            if _code(error) != "ConditionalCheckFailedException":
                raise
            self._table.put_item(Item={**key, "tries": 1, "window_ends": ends, "expires_at": ends})

    # --- claims and invoices ----------------------------------------------------------

    def known_claims(self, provider_id: str, claim_refs: Iterable[str]) -> dict[str, KnownClaim]:
        wanted = [keys.claim_key(provider_id, ref) for ref in dict.fromkeys(claim_refs)]
        known = (items.known_claim_from_item(found) for found in self._batch_get(wanted))
        return {marker.claim_ref: marker for marker in known}

    def store_new(
        self,
        provider_id: str,
        declaration_id: str,
        invoices: Sequence[NewInvoice],
        insurer_claim_refs: Sequence[str],
        patient_invoices: Mapping[str, str] | None = None,
        processed_at: datetime | None = None,
    ) -> NewInvoicesStored:
        """Write the markers of insurer-bound lines, and invoices with their claim markers.

        Each write is conditional on its key being new, and an invoice travels in the same
        transaction as its claim markers and its kenmerk's marker, so none exists without
        the others and no kenmerk is ever written twice. A transaction cancelled by a taken
        kenmerk is written again without that invoice (a read of its markers, only then);
        TransactionConflict when something else already existed (that transaction wrote
        nothing; a retry re-reads what is known).
        """
        # The insurer-bound lines' markers first: a known one cancels a transaction
        # before any invoice is written (the ingest plans again then, see ports.py).
        # Built as the transactions go: a 100,000-line file's items all at once took
        # 325 MB (make bench (m)).
        of_patient = patient_invoices or {}
        units = chain(
            (
                self._insurer_claim_unit(
                    provider_id, declaration_id, ref, of_patient.get(ref, ""), processed_at
                )
                for ref in insurer_claim_refs
            ),
            (self._invoice_unit(provider_id, declaration_id, new) for new in invoices),
        )
        stored = NewInvoicesStored(0)
        for transaction in _pack(units, TRANSACTION_LIMIT):
            stored = self._write_units(transaction, stored)
        return stored

    def _write_units(self, units: list[_Unit], before: NewInvoicesStored) -> NewInvoicesStored:
        """One transaction; when a taken kenmerk cancelled it, again without that invoice."""
        requests, taken = before.requests, before.reference_taken
        while units:
            requests += 1
            try:
                self._transact([write for unit in units for write in unit.writes])
                break
            except TransactionConflict:
                held_by_others = self._invoices_with_taken_reference(units)
                if not held_by_others:
                    raise
            taken += tuple(sorted(held_by_others))
            units = [unit for unit in units if unit.invoice_id not in held_by_others]
        return NewInvoicesStored(requests, taken)

    def _invoices_with_taken_reference(self, units: list[_Unit]) -> set[str]:
        """The ids of the invoices whose kenmerk's marker names another invoice."""
        with_reference = [unit for unit in units if unit.reference]
        wanted = [keys.reference_marker_key(unit.reference) for unit in with_reference]
        holders = {item["pk"]: items.reference_holder(item) for item in self._batch_get(wanted)}
        return {
            unit.invoice_id
            for unit in with_reference
            if holders.get(keys.reference_marker_key(unit.reference)["pk"], unit.holder)
            != unit.holder
        }

    def store_invoice_for_insurer_claims(self, provider_id: str, new: NewInvoice) -> bool:
        """A retour made insurer-bound lines the patient's after all (legal-nl.md §6): the
        new invoice and its claim markers' invoice_id in one transaction, on condition
        that no marker points to an invoice yet. False (nothing written) when one does:
        an earlier or concurrent run got there first (R3)."""
        invoice_id = new.invoice.invoice_id
        writes = [self._put_new(items.invoice_to_item(new.invoice))]
        writes += [self._put_new(items.reference_marker_to_item(new.invoice))]
        writes += self._ledger_week_puts(new.invoice)
        # The markers are the invoice's now: a settled one's expiry (§8), none while it is
        # open (no longer their upload record's: the open invoice is kept, and so is R3).
        expiry = items.retention_expiry(new.invoice.ledger)
        writes += [
            {
                "Update": {
                    "TableName": self._table.name,
                    "Key": keys.claim_key(provider_id, ref),
                    "UpdateExpression": "SET invoice_id = :invoice"
                    + (", expires_at = :expires" if expiry else " REMOVE expires_at"),
                    "ConditionExpression": "invoice_id = :none",
                    "ExpressionAttributeValues": {
                        ":invoice": invoice_id,
                        ":none": "",
                        **({":expires": expiry["expires_at"]} if expiry else {}),
                    },
                }
            }
            for ref in new.claim_refs
        ]
        try:
            self._transact(writes)
        except TransactionConflict:
            return False
        return True

    def add_claim_markers(
        self, declaration_id: str, invoice: Invoice, claim_refs: Sequence[str]
    ) -> None:
        """Markers for credit lines booked onto an earlier invoice (R3). Written after the
        invoice: the line on the invoice is what makes booking it again a no-op, the marker
        is how a later upload or retour finds it. A marker that exists is kept."""
        for ref in claim_refs:
            try:
                self._table.put_item(
                    Item=items.invoice_claim_to_item(invoice, ref, declaration_id),
                    ConditionExpression="attribute_not_exists(pk)",
                )
            except ClientError as error:
                if _code(error) != "ConditionalCheckFailedException":
                    raise

    def get_invoice(
        self, provider_id: str, invoice_id: str, *, consistent: bool = False
    ) -> Invoice | None:
        """``consistent``: read the latest write (a retry after ConcurrentChange, R28)."""
        item = self._get(keys.invoice_key(provider_id, invoice_id), consistent=consistent)
        return replace(items.invoice_from_item(item), read_current=consistent) if item else None

    def find_invoice_by_reference(self, reference: str) -> Invoice | None:
        """One Query on the by-reference index (projection ALL): one request per check.

        The index is eventually consistent, a fraction of a second behind a write; a
        change based on it is saved on condition of its version (R28), so a stale read
        costs a retry, never an update.
        """
        page = self._table.query(
            IndexName="by-reference",
            KeyConditionExpression="gsi1pk = :reference",
            ExpressionAttributeValues={":reference": keys.reference_partition(reference)},
        )
        found = page["Items"]
        return items.invoice_from_item(found[0]) if found else None

    def unpaid_invoices_to(self, provider_id: str, email: str) -> list[Invoice]:
        """One Query of the provider's invoice list (by-provider; no index by address),
        paged to its end: DynamoDB filters the status, and of each unpaid invoice only
        its id and its people come back; the addresses are compared here without case,
        which a filter cannot. The few that match are then read from the table, strongly
        consistent, as a change reads them (R28)."""
        wanted = email.casefold()
        query: dict[str, Any] = {
            "IndexName": "by-provider",
            "KeyConditionExpression": "gsi2pk = :owner",
            "FilterExpression": "#status IN (:open, :partly_paid)",
            "ProjectionExpression": "#id, #patient, #debtor",
            "ExpressionAttributeNames": {
                "#status": "payment_status",
                "#id": "invoice_id",
                "#patient": "patient",
                "#debtor": "debtor",
            },
            "ExpressionAttributeValues": {
                ":owner": keys.invoice_list_partition(provider_id),
                ":open": PaymentStatus.OPEN.value,
                ":partly_paid": PaymentStatus.PARTLY_PAID.value,
            },
            "ScanIndexForward": False,  # newest first, as the list
        }
        ids: list[str] = []
        while True:
            page = self._table.query(**query)
            for item in page["Items"]:
                addressee = item.get("debtor") or item.get("patient") or {}
                if str(addressee.get("email", "")).casefold() == wanted:
                    ids.append(str(item["invoice_id"]))
            if "LastEvaluatedKey" not in page:
                break
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        found = (self.get_invoice(provider_id, i, consistent=True) for i in ids)
        return [invoice for invoice in found if invoice is not None]

    def list_invoices(
        self,
        provider_id: str,
        wanted: InvoiceFilter | None = None,
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> tuple[list[Invoice], str | None]:
        """The provider's invoices, newest first, from the by-provider index; no filter:
        every invoice.

        The filters run in the Query (the item stores its ``payment_status``), and it
        reads on, ``limit + 1`` items a request, until the page is full and one more
        exists, or the list ends: every page but the last holds ``limit`` invoices, and
        only a page with more after it gives a position.

        ``after`` is the position (the index sort key) of the last invoice of the previous
        page; the keys around it are rebuilt with *this* provider's id, so a position
        taken from another tenant can only ever point into this tenant's list (R26).
        """
        # Here, not at the top: only the APIs' lists filter (make bench (d)).
        from billing_core.invoices.listing import EVERY_INVOICE, patient_ref_forms

        wanted = wanted or EVERY_INVOICE
        query: dict[str, Any] = {
            "IndexName": "by-provider",
            "KeyConditionExpression": "gsi2pk = :owner AND gsi2sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": {
                ":owner": keys.invoice_list_partition(provider_id),
                ":low": wanted.issued_from or "0000",
                ":high": f"{wanted.issued_until or '9999'}#{keys.HIGHEST}",
            },
            "ScanIndexForward": False,
        }
        equal_to = {
            "payment_status": wanted.payment_status,
            "declaration_id": wanted.declaration_id,
        }
        _add_filter(query, {name: value for name, value in equal_to.items() if value})
        if wanted.patient_ref:
            _add_one_of(query, "patient_ref", patient_ref_forms(wanted.patient_ref))
        _add_name_filter(query, search_terms(wanted.patient_name))
        if after:
            position = checked_invoice_position(after, wanted)
            query["ExclusiveStartKey"] = keys.invoice_list_key(provider_id, position)
        page, last = query_page(self._table, query, limit)
        invoices = [items.invoice_from_item(item) for item in page]
        return invoices, (last["gsi2sk"] if last else None)

    def save_invoice(self, invoice: Invoice) -> Invoice:
        """Replace the invoice if nobody changed it since it was read (R28).

        The weeks of its new ledger entries are marked first: a marker whose save then
        fails costs the weekly run one read, a save without its marker would lose money
        from a statement."""
        for marker in items.ledger_week_items(invoice):
            self._table.put_item(Item=marker)
        stored = invoice_with_next_version(invoice)
        try:
            self._table.put_item(
                Item=items.invoice_to_item(stored),
                ConditionExpression="version = :read_version",
                ExpressionAttributeValues={":read_version": invoice.version},
            )
        except ClientError as error:
            if _code(error) == "ConditionalCheckFailedException":
                raise ConcurrentChange(invoice.invoice_id) from error
            raise
        self._markers_expire_with(invoice)
        return stored

    # --- the daily dunning run (R18) --------------------------------------------------

    def due_for_dunning(
        self, as_of: date, *, page_size: int = 100, start_at: DunningPlace | None = None
    ) -> Iterator[list[Invoice | UnreadableInvoice]]:
        """Pages of the invoices the run must look at on ``as_of``: a Query on the sparse
        by-next-action index, so the cost follows the work due, not the table (R18); from
        ``start_at`` on, where a run that ran out of time stopped. An item that does not
        load comes as its ids, never a failure of the page (R39)."""
        values = {":due": keys.DUNNING_INDEX, ":until": keys.dunning_due_until(as_of)}
        condition = "gsi3pk = :due AND gsi3sk <= :until"
        if start_at is not None:
            place = (start_at.provider_id, start_at.patient_ref, start_at.invoice_id)
            values[":from"] = keys.dunning_position(start_at.day, *place)
            condition = "gsi3pk = :due AND gsi3sk BETWEEN :from AND :until"
        query: dict[str, Any] = {
            "IndexName": "by-next-action",
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "Limit": page_size,
        }
        while True:
            page = self._table.query(**query)
            yield [_invoice_or_its_ids(item) for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def agency_files_written_through(self) -> date | None:
        item = self._get(keys.AGENCY_FILES_KEY, consistent=True)
        return date.fromisoformat(item["written_through"]) if item else None

    def note_agency_files_written(self, through: date) -> None:
        """One conditional PutItem: ISO dates sort as strings, so a replay of a past day,
        which is behind the mark, leaves it where it is."""
        try:
            self._table.put_item(
                Item={**keys.AGENCY_FILES_KEY, "written_through": through.isoformat()},
                ConditionExpression=(
                    "attribute_not_exists(written_through) OR written_through < :through"
                ),
                ExpressionAttributeValues={":through": through.isoformat()},
            )
        except ClientError as error:
            if _code(error) != "ConditionalCheckFailedException":
                raise

    def agency_files_owed(self) -> set[tuple[date, UnreadableInvoice]]:
        item = self._get(keys.AGENCY_FILES_OWED_KEY, consistent=True)
        return {_owed_from(entry) for entry in (item or {}).get("owed", ())}

    def note_agency_files_owed(
        self,
        owed: Iterable[tuple[date, UnreadableInvoice]],
        *,
        settled: Iterable[tuple[date, UnreadableInvoice]] = (),
    ) -> None:
        """An ADD and a DELETE on a string set (none of an empty one: DynamoDB refuses
        it): each atomic, so a replay at the daily run's time loses no entry of it."""
        for operation, entries in (("ADD", owed), ("DELETE", settled)):
            values = {_owed_entry(day, invoice) for day, invoice in entries}
            if values:
                self._table.update_item(
                    Key=keys.AGENCY_FILES_OWED_KEY,
                    UpdateExpression=f"{operation} owed :entries",
                    ExpressionAttributeValues={":entries": values},
                )

    def save_invoices(
        self,
        invoices: Sequence[Invoice],
        new_actions: Sequence[OpenAction] = (),
        decided: OpenAction | None = None,
    ) -> list[Invoice]:
        """Save several invoices (and new open actions) all or nothing, each on condition
        of the version read (R28): one dunning letter changes every invoice it covers.
        ``decided``: an action's decision written with them, as ``decide_action`` writes
        it (R17: a coulance decision and its booking land together or not at all).
        Raises ConcurrentChange when any of them changed since it was read."""
        stored = [invoice_with_next_version(invoice) for invoice in invoices]
        writes = [
            {
                "Put": {
                    "TableName": self._table.name,
                    "Item": items.invoice_to_item(new),
                    "ConditionExpression": "version = :read_version",
                    "ExpressionAttributeValues": {":read_version": old.version},
                }
            }
            for old, new in zip(invoices, stored, strict=True)
        ]
        writes += [put for invoice in invoices for put in self._ledger_week_puts(invoice)]
        writes += [self._put_new(items.action_to_item(action)) for action in new_actions]
        if decided is not None:
            writes.append({"Put": {"TableName": self._table.name, **_decision_put(decided)}})
        try:
            self._transact(writes)
        except TransactionConflict as conflict:
            raise ConcurrentChange(", ".join(i.invoice_id for i in invoices)) from conflict
        for invoice in invoices:
            self._markers_expire_with(invoice)
        return stored

    # --- the weekly retrocession (R24) and debtor-risk figures (R25) ---------------------

    def list_providers(self) -> list[Provider]:
        """Every provider whose settings validate (readable_providers names the others)."""
        return self.readable_providers().providers

    def readable_providers(self) -> ProviderListing:
        """Every provider, from the by-provider index (gsi2pk = PROVIDERS): a Query whose
        cost follows the number of providers, not the table. One malformed item is listed
        by id, never a failure of the whole list (R31)."""
        return _provider_listing(self._query_all(_providers_query()))

    def credit_invoices(self) -> Iterator[Invoice]:
        """Every practice's invoices that hold a patient's credit, or a PSP refund of it
        still pending: a Query of the sparse by-credit index, which holds those only
        (items.credit_index_key), so the cost
        follows the credit held, not every invoice of every practice (R13, R34). By
        practice, then oldest first; paged past DynamoDB's 1 MB a page."""
        query: dict[str, Any] = {
            "IndexName": "by-credit",
            "KeyConditionExpression": "gsi4pk = :credit",
            "ExpressionAttributeValues": {":credit": keys.CREDIT_INDEX},
        }
        for item in self._query_all(query):
            yield items.invoice_from_item(item)

    def credit_invoice_page(
        self, limit: int, after: str | None = None
    ) -> tuple[list[Invoice], str | None]:
        """A page of ``credit_invoices``: one Query of the by-credit index's CREDIT
        partition, backwards (by practice, last id first, each practice's newest first),
        from before ``after``, of ``limit`` + 1 items (one more: only a page with an
        invoice after it gives a position), read on past a 1 MB page of DynamoDB's until
        it has them (R34)."""
        query: dict[str, Any] = {
            "IndexName": "by-credit",
            "KeyConditionExpression": "gsi4pk = :credit",
            "ExpressionAttributeValues": {":credit": keys.CREDIT_INDEX},
            "ScanIndexForward": False,
        }
        if after is not None:
            query["KeyConditionExpression"] += " AND gsi4sk < :after"
            query["ExpressionAttributeValues"][":after"] = checked_credit_position(after)
        page, last = query_page(self._table, query, limit)
        invoices = [items.invoice_from_item(item) for item in page]
        return invoices, str(last["gsi4sk"]) if last else None

    def provider_page(self, limit: int, after: str | None = None) -> ProviderListing:
        """A Query of the by-provider index from after ``after``, of ``limit`` + 1 items
        (one more: only a page with a provider after it gives a position), read on past
        a 1 MB page of DynamoDB's until it has them."""
        query = _providers_query()
        if after is not None:
            query["KeyConditionExpression"] += " AND gsi2sk > :after"
            query["ExpressionAttributeValues"][":after"] = checked_provider_position(after)
        page, last = query_page(self._table, query, limit)
        return _provider_listing(page, str(last["gsi2sk"]) if last else None)

    def week_invoices(self, provider_id: str, week: Week) -> Iterator[Invoice | UnreadableInvoice]:
        """The invoices marked for the week (one Query), read 100 a request: the cost
        follows the week's activity, not every invoice the provider ever had (R24). An
        item that does not load comes as its ids, never a failure of the read (R39)."""
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :week",
            "ExpressionAttributeValues": {
                ":week": keys.ledger_week_partition(provider_id, week.label)
            },
            "ProjectionExpression": "invoice_id",
        }
        wanted = [
            keys.invoice_key(provider_id, marker["invoice_id"]) for marker in self._query_all(query)
        ]
        for found in self._batch_get(wanted):
            yield _invoice_or_its_ids(found)

    def provider_invoices(
        self,
        provider_id: str,
        *,
        issued_from: str = "",
        issued_until: str = "",
        page_size: int = 200,
    ) -> Iterator[Invoice]:
        """All the provider's invoices issued in the range (ISO dates, inclusive), page by
        page from the by-provider index (the debtor-risk figures over months of issue)."""
        from billing_core.invoices.listing import InvoiceFilter

        after: str | None = None
        while True:
            wanted = InvoiceFilter(issued_from=issued_from, issued_until=issued_until)
            page, after = self.list_invoices(provider_id, wanted, limit=page_size, after=after)
            yield from page
            if after is None:
                return

    def put_retrocession(self, summary: StatementSummary) -> None:
        """Overwrites the week's item: building a week again writes the same totals."""
        from billing_core.adapters.dynamo.statement_items import retrocession_to_item

        self._table.put_item(Item=retrocession_to_item(summary))

    def get_retrocession(self, provider_id: str, week: Week) -> StatementSummary | None:
        from billing_core.adapters.dynamo.statement_items import retrocession_from_item

        item = self._get(keys.retrocession_key(provider_id, week.label))
        return retrocession_from_item(item) if item else None

    def list_retrocessions(
        self, provider_id: str, *, limit: int = 52, before: Week | None = None
    ) -> list[StatementSummary]:
        """The provider's statements, newest week first (week labels sort as text);
        ``before``: only weeks before that one (the next page)."""
        from billing_core.adapters.dynamo.statement_items import retrocession_from_item

        upper = keys.retrocession_sort_key(before.label if before else keys.HIGHEST)
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": {
                ":pk": keys.provider_partition(provider_id),
                ":low": keys.RETROCESSION_PREFIX,
                ":high": upper,
            },
            "ScanIndexForward": False,
        }
        # Read on past DynamoDB's 1 MB a request: a cut answer is not the end of the list
        # (R24). BETWEEN includes ``before`` itself: one item more to read when it is there.
        read = query_up_to(self._table, query, limit + (before is not None))
        found = [retrocession_from_item(item) for item in read]
        return [s for s in found if before is None or s.week < before][:limit]

    # --- the insurer register (R33) -------------------------------------------------------

    def put_insurer_register(
        self, register: InsurerRegister, load: RegisterLoad | None = None, *, revision: int
    ) -> None:
        """One transaction: the version, on condition that it is new, and the register's
        head item moved from ``revision`` (the one the load's checks read; no head item
        is revision 0) to the next. Two operators loading at once, of the same date or
        not, get one TransactionConflict to load again with the checks run again (R28,
        R33). ``load``: who loaded it, kept on the same item."""
        from billing_core.adapters.dynamo.register_items import (
            insurer_register_head_to_item,
            insurer_register_to_item,
        )

        item = insurer_register_to_item(register)
        if load is not None:
            from billing_core.adapters.dynamo.register_load_items import register_load_attributes

            item |= register_load_attributes(load)
        head: dict[str, Any] = {
            "TableName": self._table.name,
            "Item": insurer_register_head_to_item(revision + 1, register.version),
        }
        if revision == 0:
            head["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            head["ConditionExpression"] = "revision = :read"
            head["ExpressionAttributeValues"] = {":read": revision}
        self._transact([self._put_new(item), {"Put": head}])

    def insurer_registers(self) -> list[InsurerRegister]:
        from billing_core.adapters.dynamo.register_items import insurer_register_from_item

        query: dict[str, Any] = _in_partition(
            keys.INSURER_REGISTER_PARTITION, keys.INSURER_VERSION_PREFIX
        )
        return [insurer_register_from_item(item) for item in self._query_all(query)]

    def insurer_registers_as_read(self) -> tuple[list[InsurerRegister], int]:
        """One consistent Query of the register's partition: the versions and the head."""
        from billing_core.adapters.dynamo.register_items import insurer_register_from_item

        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": keys.INSURER_REGISTER_PARTITION},
            "ConsistentRead": True,
        }
        versions, revision = [], 0
        for item in self._query_all(query):
            if item["sk"] == keys.INSURER_HEAD_SORT_KEY:
                revision = int(item["revision"])
            elif item["sk"].startswith(keys.INSURER_VERSION_PREFIX):
                versions.append(insurer_register_from_item(item))
        return versions, revision

    def insurer_register_load(self, version: str) -> RegisterLoad | None:
        from billing_core.adapters.dynamo.register_load_items import register_load_from_item

        item = self._get(keys.insurer_register_key(version), consistent=True)
        return register_load_from_item(item) if item else None

    # --- blocked patients (R22) ---------------------------------------------------------------

    def block_patient(
        self, provider_id: str, patient_ref: str, invoice_id: str, at: datetime, bsn: str = ""
    ) -> None:
        """R22: this claim is with the collection agency, so the patient is blocked at this
        provider. Idempotent; the first claim logs a BLOCKED change, in the same
        transaction as the block. ``bsn`` is kept on the block (legal-nl.md §6)."""
        self._change_block(
            provider_id, patient_ref, lambda block: with_claim(block, invoice_id, at, bsn)
        )

    def release_claim(
        self, provider_id: str, patient_ref: str, invoice_id: str, at: datetime
    ) -> bool:
        """R22: this claim is settled. True when it was the last one: the patient is
        unblocked and an UNBLOCKED change logged (one transaction). Idempotent."""
        logged = self._change_block(
            provider_id, patient_ref, lambda block: without_claim(block, invoice_id, at)
        )
        return logged is not None and logged.change is BlockChangeKind.UNBLOCKED

    def blocked_patients(self, provider_id: str) -> list[BlockedPatient]:
        """The provider's blocked patients, by patient number."""
        found = self._query_blocks(provider_id)
        return [items.patient_block_from_item(item).as_blocked_patient() for item in found]

    def blocked_patient_page(
        self, provider_id: str, limit: int, after: str | None = None
    ) -> tuple[list[BlockedPatient], str | None]:
        """A page goes on after the previous page's last patient number: the sort key."""
        query = self._blocks_query(provider_id)
        if after is not None:
            start = keys.patient_block_key(provider_id, checked_patient_position(after))
            query["ExclusiveStartKey"] = start
        found, last = query_page(self._table, query, limit)
        page = [items.patient_block_from_item(item).as_blocked_patient() for item in found]
        return page, (page[-1].patient_ref if last else None)

    def blocked_refs_with_bsn(self, provider_id: str) -> frozenset[tuple[str, str]]:
        """(number, BSN) of the blocks: the same one Query, for the ingest (legal-nl.md §6)."""
        found = self._query_blocks(provider_id, projection="patient_ref, bsn")
        return frozenset((item["patient_ref"], item.get("bsn", "")) for item in found)

    def block_changes(self, provider_id: str, since: datetime) -> list[BlockChange]:
        """Blocks and unblocks at or after ``since``, oldest first (the sort key is the UTC
        moment, then the block's version and the patient number)."""
        query = _block_changes_query(provider_id, since)
        return [items.block_change_from_item(item) for item in self._query_all(query)]

    def block_change_page(
        self, provider_id: str, since: datetime, limit: int, after: str | None = None
    ) -> tuple[list[BlockChange], str | None]:
        """A page goes on after the sort key of the previous page's last, so a page's edge
        splits changes of one moment exactly: none lost, none twice."""
        query = _block_changes_query(provider_id, since)
        if after is not None:
            start = keys.BLOCK_CHANGE_PREFIX + checked_block_change_position(after, since)
            query["ExclusiveStartKey"] = {"pk": keys.provider_partition(provider_id), "sk": start}
        found, last = query_page(self._table, query, limit)
        page = [items.block_change_from_item(item) for item in found]
        return page, (last["sk"].removeprefix(keys.BLOCK_CHANGE_PREFIX) if last else None)

    def _query_blocks(self, provider_id: str, *, projection: str = "") -> list[dict[str, Any]]:
        query = self._blocks_query(provider_id)
        if projection:
            query["ProjectionExpression"] = projection
        return self._query_all(query)

    @staticmethod
    def _blocks_query(provider_id: str) -> dict[str, Any]:
        """Block items that block: ``blocked_at`` is only on those (an unblocked patient's
        item stays, empty, to keep its version)."""
        return _in_partition(
            keys.provider_partition(provider_id),
            keys.PATIENT_BLOCK_PREFIX,
            FilterExpression="attribute_exists(blocked_at)",
        )

    def _change_block(
        self, provider_id: str, patient_ref: str, change: Callable[[PatientBlock], Transition]
    ) -> BlockChange | None:
        """Read the block (strongly consistent), change it, write it on condition of the
        version read, with the change log entry in the same transaction; on a concurrent
        write, read again and redo (R28: two handovers of one patient both land)."""
        key = keys.patient_block_key(provider_id, patient_ref)
        for attempt in range(BLOCK_ATTEMPTS):
            item = self._get(key, consistent=True)
            block = (
                items.patient_block_from_item(item)
                if item
                else PatientBlock(provider_id, patient_ref)
            )
            changed, logged = change(block)
            if changed is block:
                return None
            put = self._put_block(changed, block.version)
            writes = [put]
            if logged is not None:
                writes.append(self._put_new(items.block_change_to_item(logged, changed.version)))
            try:
                self._transact(writes)
                return logged
            except TransactionConflict:
                time.sleep(random.uniform(0, 0.005 * 2**attempt))  # noqa: S311 (not crypto)
        raise ConcurrentChange(f"block of a patient of {provider_id}")

    def _put_block(self, block: PatientBlock, read_version: int) -> dict[str, Any]:
        if read_version == 0:
            return self._put_new(items.patient_block_to_item(block))
        return {
            "Put": {
                "TableName": self._table.name,
                "Item": items.patient_block_to_item(block),
                "ConditionExpression": "version = :read_version",
                "ExpressionAttributeValues": {":read_version": read_version},
            }
        }

    def _query_all(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            page = self._table.query(**query)
            found.extend(page["Items"])
            if "LastEvaluatedKey" not in page:
                return found
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # --- data migrations after a deploy (issues 13, 16) ----------------------------------

    def count_invoices(self, provider_id: str) -> int:
        """A counting Query on the by-provider index: no item is read out."""
        query: dict[str, Any] = {
            "IndexName": "by-provider",
            "KeyConditionExpression": "gsi2pk = :owner",
            "ExpressionAttributeValues": {":owner": keys.invoice_list_partition(provider_id)},
            "Select": "COUNT",
        }
        counted = 0
        while True:
            page = self._table.query(**query)
            counted += int(page["Count"])
            if "LastEvaluatedKey" not in page:
                return counted
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def add_search_names(self, invoice: Invoice) -> bool:
        """One conditional Update of the attribute alone: the invoice's version is left
        as it is, so no change saved at the same moment is refused for it (R28). Names
        folded otherwise (before audit INTERFACES1) are today's names missing too."""
        return _written(
            self._table.update_item,
            Key=keys.invoice_key(invoice.provider_id, invoice.invoice_id),
            UpdateExpression="SET #names = :names",
            ConditionExpression="attribute_exists(pk) AND "
            "(attribute_not_exists(#names) OR #names <> :names)",
            ExpressionAttributeNames={"#names": "names"},
            ExpressionAttributeValues={":names": searchable_names(invoice)},
        )

    def add_credit_index(self, invoice: Invoice) -> bool:
        """One conditional Update of the by-credit keys alone (migration version 13), on
        condition that the stored invoice is the version read and has none: a change saved
        meanwhile wrote the keys its own ledger calls for, and the version is left as it
        is, so no change saved at the same moment is refused for it (R28). True when
        written; False when the invoice holds no credit, had them, changed or is gone."""
        index_keys = items.credit_index_key(invoice)
        if not index_keys:
            return False
        return _written(
            self._table.update_item,
            Key=keys.invoice_key(invoice.provider_id, invoice.invoice_id),
            UpdateExpression="SET gsi4pk = :credit, gsi4sk = :position",
            ConditionExpression="version = :read AND attribute_not_exists(gsi4pk)",
            ExpressionAttributeValues={
                ":credit": index_keys["gsi4pk"],
                ":position": index_keys["gsi4sk"],
                ":read": invoice.version,
            },
        )

    def add_reference_marker(self, invoice: Invoice) -> ReferenceHolder:
        """A Put on condition the kenmerk is new; when it was not, one consistent read of
        the marker that was there."""
        from billing_core.invoices.reference_holder import ReferenceHolder

        marker = items.reference_marker_to_item(invoice)
        try:
            self._table.put_item(Item=marker, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as error:
            if _code(error) != "ConditionalCheckFailedException":
                raise
            held = self._get(keys.reference_marker_key(invoice.reference), consistent=True)
            return ReferenceHolder(*items.reference_holder(held or marker), written=False)
        return ReferenceHolder(invoice.provider_id, invoice.invoice_id, written=True)

    def add_action_list_index(self, action: OpenAction) -> bool:
        """One conditional Update of the action list's index keys alone (migration 16), on
        condition that the action is there, not moved and has none: its state and details
        are left as they are, so no change at the same moment is lost (R28)."""
        index_keys = items.action_list_index_key(action)
        return _written(
            self._table.update_item,
            Key=keys.action_key(action.provider_id, action.action_id),
            UpdateExpression="SET gsi4pk = :actions, gsi4sk = :position",
            ConditionExpression="attribute_exists(pk) AND attribute_not_exists(gsi4pk)"
            " AND attribute_not_exists(#moved)",
            ExpressionAttributeNames={"#moved": MOVED_TO},
            ExpressionAttributeValues={
                ":actions": index_keys["gsi4pk"],
                ":position": index_keys["gsi4sk"],
            },
        )

    def move_open_action_in_list(self, action: OpenAction) -> bool:
        """One conditional Update of the action list's sort key alone (migration 17): an
        open action listed at its bare position, as before openact57, goes under the open
        prefix, on condition that it is there, not moved, still open and still at that
        position (a write of its state since moved it, R28)."""
        return _written(
            self._table.update_item,
            Key=keys.action_key(action.provider_id, action.action_id),
            UpdateExpression="SET gsi4sk = :open",
            ConditionExpression="attribute_exists(pk) AND attribute_not_exists(#moved)"
            " AND #state = :state AND gsi4sk = :bare",
            ExpressionAttributeNames={"#moved": MOVED_TO, "#state": "state"},
            ExpressionAttributeValues={
                ":open": items.action_list_sort_key(action, ActionState.OPEN),
                ":bare": items.action_list_sort_key(action, ActionState.DONE),
                ":state": ActionState.OPEN.value,
            },
        )

    def rekey_action(self, action: OpenAction, action_id: str) -> bool:
        """A Put of the new key on condition it is new, and the old item marked moved on
        condition it exists and was not moved, in one transaction. No function deletes
        from the billing table (R27): the old item leaves the by-invoice index at once,
        the lists skip it, and the table's TTL removes it."""
        moved = replace(action, action_id=action_id)
        try:
            self._transact([self._put_new(items.action_to_item(moved)), self._moved(action, moved)])
        except TransactionConflict:
            return False
        return True

    def _moved(self, action: OpenAction, moved: OpenAction) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": keys.action_key(action.provider_id, action.action_id),
                # it leaves the invoice's and the provider's action lists at once
                "UpdateExpression": "SET #moved = :to, expires_at = :now"
                " REMOVE gsi2pk, gsi2sk, gsi4pk, gsi4sk",
                "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(#moved)",
                "ExpressionAttributeNames": {"#moved": MOVED_TO},
                "ExpressionAttributeValues": {
                    ":to": moved.action_id,
                    # already past: the TTL sweep takes it (within days, never read again)
                    ":now": items.expires_at(moved.created_at, timedelta(0)),
                },
            }
        }

    # --- retention (legal-nl.md §8) -----------------------------------------------------

    def _markers_expire_with(self, invoice: Invoice) -> None:
        """The kenmerk's marker and its lines' markers serve only this invoice: when its
        save settled it, reopened it or settled it in another year, their TTL follows the
        invoice's (the item's own is written with it, items.invoice_to_item). After the
        invoice's write: a crash in between leaves markers (ids only) kept longer, never a
        marker gone before its invoice."""
        before = items.retention_expiry(invoice.ledger[: invoice.stored_entries])
        after = items.retention_expiry(invoice.ledger)
        if before == after:
            return
        for key in invoice_marker_keys(invoice):
            self._expire_marker(key, invoice.invoice_id, after)

    def _expire_marker(self, key: dict[str, Any], invoice_id: str, expiry: dict[str, Any]) -> None:
        """Only a marker (or action) that exists and names this invoice: none is made, and
        an insurer-bound line's or another invoice's is left alone."""
        update: dict[str, Any] = {
            "Key": key,
            "UpdateExpression": "SET expires_at = :expires" if expiry else "REMOVE expires_at",
            "ConditionExpression": "invoice_id = :invoice",
            "ExpressionAttributeValues": {":invoice": invoice_id}
            | ({":expires": expiry["expires_at"]} if expiry else {}),
        }
        try:
            self._table.update_item(**update)
        except ClientError as error:
            if _code(error) != "ConditionalCheckFailedException":
                raise

    def expire_invoice_actions(self, provider_id: str, invoice_id: str, at: datetime) -> int:
        """The table's TTL removed the invoice (legal-nl.md §8): its actions get the TTL
        ``at`` (now, so the TTL removes them shortly; no function deletes from the table).
        One Query on their by-provider partition, then one conditional UpdateItem each:
        only an action that still names the invoice (a moved one is off the index).
        Idempotent: a stream record handled twice writes the same. The number found."""
        query: dict[str, Any] = {
            "IndexName": "by-provider",
            "KeyConditionExpression": "gsi2pk = :invoice",
            "ExpressionAttributeValues": {
                ":invoice": keys.invoice_actions_partition(provider_id, invoice_id)
            },
            "ProjectionExpression": "pk, sk",
        }
        found = [{"pk": item["pk"], "sk": item["sk"]} for item in self._query_all(query)]
        expiry = {"expires_at": items.expires_at(at, timedelta(0))}
        for key in found:
            self._expire_marker(key, invoice_id, expiry)
        return len(found)

    def add_action_expiry(self, action: OpenAction, at: datetime) -> bool:
        """Migration version 3: an action of an invoice the TTL removed without the stream
        handling it gets the TTL ``at``, the one expire_invoice_actions gives (one
        UpdateItem, only if it still names the invoice and has no expiry yet)."""
        return _written(
            self._table.update_item,
            Key=keys.action_key(action.provider_id, action.action_id),
            UpdateExpression="SET expires_at = :expires",
            ConditionExpression="invoice_id = :invoice AND attribute_not_exists(expires_at)",
            ExpressionAttributeValues={
                ":invoice": action.invoice_id,
                ":expires": items.expires_at(at, timedelta(0)),
            },
        )

    def add_retention_expiry(self, invoice: Invoice) -> ExpiryAdded:
        """For an invoice settled before its save wrote an expiry (migration version 2):
        one consistent read of the invoice item and its markers, then what lacks the
        expiry in one transaction that holds the invoice to the version read: its own
        expiry on that condition (or a check of it), each marker's on condition it names
        the invoice and has none. A change in between cancels it: changed, read again."""
        from billing_core.invoices.retention_migration import ExpiryAdded

        expiry = items.retention_expiry(invoice.ledger)  # as every save computes it
        if not expiry:
            return ExpiryAdded()
        invoice_key = keys.invoice_key(invoice.provider_id, invoice.invoice_id)
        marker_keys = invoice_marker_keys(invoice)
        found = {
            (item["pk"], item["sk"]): item
            for item in self._batch_get(
                [invoice_key, *marker_keys],
                ConsistentRead=True,
                ProjectionExpression="pk, sk, version, provider_id, invoice_id, expires_at",
            )
        }
        stored = found.get((invoice_key["pk"], invoice_key["sk"]))
        if stored is None or int(stored["version"]) != invoice.version:
            return ExpiryAdded(changed=True)
        missing = [
            key for key in marker_keys if _lacks_expiry(found.get((key["pk"], key["sk"])), invoice)
        ]
        own = "expires_at" not in stored
        if not (own or missing):
            return ExpiryAdded()
        written = ExpiryAdded()
        guard = self._expire_invoice_once(invoice, expiry) if own else self._held_at(invoice)
        chunks = list(_chunks(missing, TRANSACTION_LIMIT - 1)) or [[]]  # [[]]: its own alone
        for chunk in chunks:
            updates = [self._expire_marker_once(key, invoice, expiry) for key in chunk]
            try:
                self._transact([guard, *updates])
            except TransactionConflict:
                return replace(written, changed=True)
            written = ExpiryAdded(written.invoice or own, written.markers + len(chunk))
            guard = self._held_at(invoice)  # the invoice's own is written: a check after
        return written

    def _expire_invoice_once(self, invoice: Invoice, expiry: dict[str, Any]) -> dict[str, Any]:
        """The invoice's TTL alone, its version left as it is: no save is refused for it."""
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": keys.invoice_key(invoice.provider_id, invoice.invoice_id),
                "UpdateExpression": "SET expires_at = :expires",
                "ConditionExpression": "version = :read AND attribute_not_exists(expires_at)",
                "ExpressionAttributeValues": {
                    ":read": invoice.version,
                    ":expires": expiry["expires_at"],
                },
            }
        }

    def _held_at(self, invoice: Invoice) -> dict[str, Any]:
        """A check that the stored invoice is still the version read."""
        return {
            "ConditionCheck": {
                "TableName": self._table.name,
                "Key": keys.invoice_key(invoice.provider_id, invoice.invoice_id),
                "ConditionExpression": "version = :read",
                "ExpressionAttributeValues": {":read": invoice.version},
            }
        }

    def _expire_marker_once(
        self, key: dict[str, Any], invoice: Invoice, expiry: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": key,
                "UpdateExpression": "SET expires_at = :expires",
                "ConditionExpression": "invoice_id = :invoice AND attribute_not_exists(expires_at)",
                "ExpressionAttributeValues": {
                    ":invoice": invoice.invoice_id,
                    ":expires": expiry["expires_at"],
                },
            }
        }

    def add_practice_item_expiries(self, provider_id: str) -> ExpiriesDated:
        """Migration version 5: the practice's upload records and weekly statement items,
        a consistent Query per kind; one without ``expires_at`` gets what its save now
        writes (``upload_expiry``, ``statement_expiry``) by one UpdateItem of that
        attribute alone, on condition it still has none: a save meanwhile wrote its own."""
        from billing_core.adapters.dynamo.declaration_items import (
            declaration_from_item,
            upload_expiry,
        )
        from billing_core.adapters.dynamo.statement_items import statement_expiry
        from billing_core.invoices.retention_migration import ExpiriesDated
        from billing_core.providers.week import Week

        def record(item: dict[str, Any]) -> int:
            return upload_expiry(declaration_from_item(item))

        def statement(item: dict[str, Any]) -> int:
            return statement_expiry(Week.parse(item["week"]))

        expiry_of = {keys.DECLARATION_PREFIX: record, keys.RETROCESSION_PREFIX: statement}
        written = present = 0
        for prefix, expiry in expiry_of.items():
            query: dict[str, Any] = _in_partition(
                keys.provider_partition(provider_id), prefix, ConsistentRead=True
            )
            for item in self._query_all(query):
                key = {"pk": item["pk"], "sk": item["sk"]}
                if "expires_at" not in item and set_missing_expiry(self._table, key, expiry(item)):
                    written += 1
                else:
                    present += 1
        return ExpiriesDated(written, present)

    def add_settings_version_expiries(self, provider_id: str) -> ExpiriesDated:
        """Migration version 7: the practice's ``SETTINGSVERSION#`` items, one consistent
        Query of their keys and times alone (not the contact and account they hold); one
        without ``expires_at`` gets what its save now writes (``settings_version_expiry``
        of its own ``changed_at``) by one UpdateItem of that attribute alone, on condition
        it still has none."""
        from billing_core.adapters.dynamo.history_items import settings_version_expiry
        from billing_core.invoices.retention_migration import ExpiriesDated

        query: dict[str, Any] = _in_partition(
            keys.provider_partition(provider_id),
            keys.SETTINGS_VERSION_PREFIX,
            ConsistentRead=True,
            ProjectionExpression="pk, sk, changed_at, expires_at",
        )
        written = present = 0
        for item in self._query_all(query):
            key = {"pk": item["pk"], "sk": item["sk"]}
            expiry = settings_version_expiry(datetime.fromisoformat(item["changed_at"]))
            if "expires_at" not in item and set_missing_expiry(self._table, key, expiry):
                written += 1
            else:
                present += 1
        return ExpiriesDated(written, present)

    def add_block_expiries(self, provider_id: str, now: datetime) -> ExpiriesDated:
        """Migration version 14: the practice's ``BLOCKCHANGE#`` and then ``PATIENTBLOCK#``
        items, one consistent Query of each kind's keys, moments and versions alone (no
        BSN). A change without ``expires_at`` gets ``block_expiry`` of its own moment; an
        unblocked block without one gets it of its ``changed_at`` (else of its patient's
        last logged change, else ``now``), on condition it is still the version read and
        has none (blocked again meanwhile: its whole-item Put took the expiry away, R28)."""
        from billing_core.invoices.retention_migration import ExpiriesDated

        partition = keys.provider_partition(provider_id)
        changes, last_change = self._date_block_changes(partition)
        blocks = self._date_unblocked_blocks(partition, last_change, now)
        return ExpiriesDated(
            changes.written + blocks.written,
            changes.present + blocks.present,
            blocks.open,
            blocks.changed,
        )

    def _date_block_changes(self, partition: str) -> tuple[ExpiriesDated, dict[str, datetime]]:
        """Migration version 14's change pass: each ``BLOCKCHANGE#`` item without
        ``expires_at`` gets ``block_expiry`` of its own moment. Also each patient's last
        logged change, which dates a block stored without its moment."""
        from billing_core.invoices.retention_migration import ExpiriesDated

        written = present = 0
        last_change: dict[str, datetime] = {}
        for item in self._query_all(_block_items(partition, keys.BLOCK_CHANGE_PREFIX)):
            at = datetime.fromisoformat(item["at"])  # oldest first: the sort key's order
            last_change[item["patient_ref"]] = at
            key = {"pk": item["pk"], "sk": item["sk"]}
            expiry = items.block_expiry(at)
            if "expires_at" not in item and set_missing_expiry(self._table, key, expiry):
                written += 1
            else:
                present += 1
        return ExpiriesDated(written, present), last_change

    def _date_unblocked_blocks(
        self, partition: str, last_change: Mapping[str, datetime], now: datetime
    ) -> ExpiriesDated:
        """Migration version 14's block pass: every ``PATIENTBLOCK#`` item read first, then
        each dated (``_date_unblocked_block``), counted by what that did."""
        from collections import Counter

        from billing_core.invoices.retention_migration import ExpiriesDated

        found = self._query_all(_block_items(partition, keys.PATIENT_BLOCK_PREFIX))
        done = Counter(self._date_unblocked_block(item, last_change, now) for item in found)
        return ExpiriesDated(done["written"], done["present"], done["open"], done["changed"])

    def _date_unblocked_block(
        self, item: dict[str, Any], last_change: Mapping[str, datetime], now: datetime
    ) -> str:
        """``open``: it still blocks, kept while it does (R22); ``present``: it has an
        expiry; else ``block_expiry`` of its ``changed_at`` (else of its patient's last
        logged change, else ``now``) on condition it is still the version read and has
        none: ``written``, or ``changed`` (blocked again meanwhile: its whole-item Put took
        the expiry away, R28)."""
        if item.get("invoice_ids"):
            return "open"
        if "expires_at" in item:
            return "present"
        moment = item.get("changed_at")
        unblocked_at = datetime.fromisoformat(moment) if moment else None
        expiry = items.block_expiry(unblocked_at or last_change.get(item["patient_ref"], now))
        key = {"pk": item["pk"], "sk": item["sk"]}
        if set_missing_expiry(self._table, key, expiry, version=int(item["version"])):
            return "written"
        return "changed"

    def add_remitted_by_agency(self, summary: StatementSummary, cents: int) -> bool:
        """Migration version 15: one UpdateItem of ``remitted_by_agency_cents`` alone, on
        condition the week's item is there and has none (a week built again since, by its
        whole-item Put, wrote its own)."""
        return _written(
            self._table.update_item,
            Key=keys.retrocession_key(summary.provider_id, summary.week.label),
            UpdateExpression="SET remitted_by_agency_cents = :cents",
            ConditionExpression="attribute_exists(pk) AND "
            "attribute_not_exists(remitted_by_agency_cents)",
            ExpressionAttributeValues={":cents": cents},
        )

    def add_batch_expiries(self) -> ExpiriesDated:
        """Migration version 5: the batches are on this table (transfer_batches)."""
        from billing_core.adapters.dynamo.transfer_batches import TransferBatchRepository

        return TransferBatchRepository(self._table).add_missing_expiries()

    def add_open_batch_ids(self) -> OpenBatchIdsKept:
        """Migration version 12: the batches are on this table (transfer_batches)."""
        from billing_core.adapters.dynamo.transfer_batches import TransferBatchRepository

        return TransferBatchRepository(self._table).add_open_batch_ids()

    def add_canonical_claim_markers(
        self, provider_id: str, refs: Mapping[str, str]
    ) -> ClaimMarkersCopied:
        """Migration version 6: the markers under the refs as stored, one consistent
        BatchGetItem; each copied whole (its upload, its invoice or the patient's, its
        TTL) under the canonical ref by one PutItem on condition no marker is there: the
        claim of a file read since, or a run before, keeps its own."""
        from billing_core.declarations.claim_marker_migration import ClaimMarkersCopied

        wanted = [keys.claim_key(provider_id, ref) for ref in refs]
        written = present = 0
        for stored in self._batch_get(wanted, ConsistentRead=True):
            canonical = keys.claim_key(provider_id, refs[keys.claim_ref_of(stored["pk"])])
            try:
                self._table.put_item(
                    Item=stored | canonical, ConditionExpression="attribute_not_exists(pk)"
                )
                written += 1
            except ClientError as error:
                if _code(error) != "ConditionalCheckFailedException":
                    raise
                present += 1
        return ClaimMarkersCopied(written, present)

    def blocks_without_bsn(self, provider_id: str) -> list[PatientBlock]:
        """Migration version 9: the practice's blocks that block and have no ``bsn``, one
        consistent Query of the practice's block items (a filter on the two attributes:
        every block item is read, a few hundred bytes each, one page per ~1 MB)."""
        query: dict[str, Any] = _in_partition(
            keys.provider_partition(provider_id),
            keys.PATIENT_BLOCK_PREFIX,
            ConsistentRead=True,
            FilterExpression="attribute_exists(blocked_at) AND attribute_not_exists(bsn)",
        )
        found = [items.patient_block_from_item(item) for item in self._query_all(query)]
        return sorted(found, key=lambda block: block.patient_ref)

    def add_block_bsn(self, block: PatientBlock, bsn: str) -> bool:
        """Migration version 9: one UpdateItem of ``bsn`` and the next version, on
        condition the block is still the version read, blocks and has no BSN (R28: a
        block write meanwhile, which reads the version, then reads it again)."""
        if not bsn:
            raise ValueError("a block keeps a BSN, not an empty one")
        return _written(
            self._table.update_item,
            Key=keys.patient_block_key(block.provider_id, block.patient_ref),
            UpdateExpression="SET bsn = :bsn, version = :next",
            ConditionExpression=(
                "version = :read AND attribute_exists(blocked_at) AND attribute_not_exists(bsn)"
            ),
            ExpressionAttributeValues={
                ":bsn": bsn,
                ":next": block.version + 1,
                ":read": block.version,
            },
        )

    # --- plumbing -------------------------------------------------------------------------

    def _ledger_week_puts(self, invoice: Invoice) -> list[dict[str, Any]]:
        """Markers in the transaction that writes the entries (idempotent: plain Puts)."""
        return [
            {"Put": {"TableName": self._table.name, "Item": marker}}
            for marker in items.ledger_week_items(invoice)
        ]

    def _insurer_claim_unit(
        self,
        provider_id: str,
        declaration_id: str,
        claim_ref: str,
        patient_invoice_id: str,
        processed_at: datetime | None,
    ) -> _Unit:
        item = items.claim_to_item(provider_id, claim_ref, declaration_id, "", patient_invoice_id)
        return _Unit([self._put_new(item | items.insurer_claim_expiry(processed_at))])

    def _invoice_unit(self, provider_id: str, declaration_id: str, new: NewInvoice) -> _Unit:
        invoice = new.invoice
        writes = [
            self._put_new(items.invoice_to_item(invoice)),
            self._put_new(items.reference_marker_to_item(invoice)),
            *self._ledger_week_puts(invoice),
            *(
                self._put_new(items.invoice_claim_to_item(invoice, ref, declaration_id))
                for ref in new.claim_refs
            ),
            *(self._put_new(items.action_to_item(action)) for action in new.actions),
        ]
        return _Unit(writes, invoice.provider_id, invoice.invoice_id, invoice.reference)

    def _put_new(self, item: dict[str, Any]) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._table.name,
                "Item": item,
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def _transact(self, writes: list[dict[str, Any]]) -> None:
        try:
            self._client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            if _code(error) == "TransactionCanceledException":
                raise TransactionConflict(str(error)) from error
            raise

    def _get(self, key: dict[str, Any], *, consistent: bool = False) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self._table.get_item(Key=key, ConsistentRead=consistent).get(
            "Item"
        )
        return item

    def _batch_get(self, keys: list[dict[str, Any]], **read: Any) -> Iterator[dict[str, Any]]:
        """``read``: BatchGetItem's options for the table (ConsistentRead, a projection)."""
        for chunk in _chunks(keys, BATCH_GET_LIMIT):
            pending: dict[str, Any] = {self._table.name: {"Keys": chunk, **read}}
            while pending:
                answer = self._client.batch_get_item(RequestItems=pending)
                yield from answer["Responses"].get(self._table.name, [])
                pending = answer.get("UnprocessedKeys") or {}


def invoice_with_next_version(invoice: Invoice) -> Invoice:
    return replace(
        invoice, version=invoice.version + 1, stored_entries=len(invoice.ledger), read_current=True
    )


def query_page(
    table: Any, query: dict[str, Any], limit: int
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """A page of the query's items: the first ``limit``, and the last of them when more
    follow (the next page goes on after it), None on the last page. It reads ``limit`` +
    1: only a page with an item after it gives a position (a full last page gave one that
    led to an empty page, closing 14). Every paged list of the table reads so (one way to
    page: ``list_invoices``, the credit, provider and block pages, the open credits of
    ``payment_links``)."""
    found = query_up_to(table, query, limit + 1)
    return found[:limit], (found[limit - 1] if len(found) > limit else None)


def query_up_to(table: Any, query: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """The first ``count`` items the query finds (fewer when there are no more), read on
    past DynamoDB's 1 MB a request until it has them. A request asks for what is still
    missing; one with a FilterExpression for ``count`` every time: its Limit counts the
    items read before the filter, so what is missing is only the least it must read (a
    page asked for the few missing items a request, each read past filtered ones)."""
    filtered = "FilterExpression" in query
    found: list[dict[str, Any]] = []
    while len(found) < count:
        page = table.query(**query, Limit=count if filtered else count - len(found))
        found.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            break
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return found[:count]


def _block_changes_query(provider_id: str, since: datetime) -> dict[str, Any]:
    """The provider's change log from ``since`` on (R22)."""
    return {
        "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
        "ExpressionAttributeValues": {
            ":pk": keys.provider_partition(provider_id),
            ":low": keys.block_changes_from(since),
            ":high": f"{keys.BLOCK_CHANGE_PREFIX}{keys.HIGHEST}",
        },
    }


def _block_items(partition: str, prefix: str) -> dict[str, Any]:
    """A consistent Query of a practice's block changes or blocks (migration version 14):
    what dates them and the condition reads, not the BSN."""
    return _in_partition(
        partition,
        prefix,
        ConsistentRead=True,
        ProjectionExpression="pk, sk, patient_ref, #at, changed_at, invoice_ids, #v, expires_at",
        ExpressionAttributeNames={"#at": "at", "#v": "version"},
    )


def _in_partition(partition: str, prefix: str, **options: Any) -> dict[str, Any]:
    """A Query of the items in ``partition`` whose sort key starts with ``prefix``, with
    ``options`` (a filter, the order, a limit, a consistent read) as the caller needs."""
    return {
        "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
        "ExpressionAttributeValues": {":pk": partition, ":prefix": prefix},
        **options,
    }


def _invoice_or_its_ids(item: dict[str, Any]) -> Invoice | UnreadableInvoice:
    """The invoice the item holds; for one that does not load, its ids, read from its key
    when its own attributes are what is broken (the key is always there)."""
    try:
        return items.invoice_from_item(item)
    except (KeyError, ValueError, TypeError, ArithmeticError):
        provider_part, _, invoice_id = str(item["pk"]).partition("#INVOICE#")
        provider_id = provider_part.removeprefix(keys.provider_partition(""))
        return UnreadableInvoice(provider_id, invoice_id)


def _providers_query() -> dict[str, Any]:
    """Every provider's settings item: the by-provider index (gsi2pk = PROVIDERS)."""
    return {
        "IndexName": "by-provider",
        "KeyConditionExpression": "gsi2pk = :providers",
        "ExpressionAttributeValues": {":providers": keys.PROVIDERS_INDEX},
    }


def _provider_listing(
    found: list[dict[str, Any]], next_position: str | None = None
) -> ProviderListing:
    """The providers of these settings items; one that does not validate by id (R31)."""
    from billing_core.providers.listing import ProviderListing

    providers: list[Provider] = []
    unreadable: list[str] = []
    for item in found:
        try:
            providers.append(_readable_provider(item, str(item.get("gsi2sk", ""))))
        except UnreadableProvider as skipped:
            unreadable.append(skipped.provider_id)
    return ProviderListing(providers, tuple(unreadable), next_position)


def _readable_provider(item: dict[str, Any], provider_id: str) -> Provider:
    from pydantic import ValidationError

    from billing_core.adapters.dynamo.provider_items import provider_from_item
    from billing_core.shared.errors import validation_message

    try:
        return provider_from_item(item)
    except ValidationError as invalid:
        problems = invalid.errors(include_url=False, include_context=False, include_input=False)
        reason = validation_message(problems)
        raise UnreadableProvider(provider_id, _stored_version(item), reason) from invalid
    except (ValueError, KeyError, TypeError) as error:
        raise UnreadableProvider(
            provider_id, _stored_version(item), type(error).__name__
        ) from error


_HELD_BY_NONE_OR_THIS_PROVIDER = "attribute_not_exists(provider_id) OR provider_id = :provider"


def _replacing(version: int) -> dict[str, Any]:
    """The condition of a settings write: the version before it is stored; for version 1,
    no version that reads (no item, or an unreadable one without a version: its
    UnreadableProvider.version is 0, see _stored_version)."""
    if version > 1:
        return {
            "ConditionExpression": "version = :replaced",
            "ExpressionAttributeValues": {":replaced": version - 1},
        }
    return {
        "ConditionExpression": "attribute_not_exists(pk) OR attribute_not_exists(version)"
        " OR NOT attribute_type(version, :number) OR version < :first",
        "ExpressionAttributeValues": {":number": "N", ":first": 1},
    }


def _stored_version(item: dict[str, Any]) -> int:
    """The version attribute alone, so that an operator can replace an item that no longer
    validates on the version it has (the write's condition); 0 when it has none."""
    version = item.get("version")
    if isinstance(version, bool) or not isinstance(version, int | Decimal):
        return 0
    return int(version) if version == int(version) and version >= 1 else 0


@dataclass(frozen=True, slots=True)
class _Unit:
    """The writes that stand or fall together: an invoice with its markers (and its
    kenmerk), or an insurer-bound line's marker (no invoice, no kenmerk)."""

    writes: list[dict[str, Any]]
    provider_id: str = ""
    invoice_id: str = ""
    reference: str = ""

    @property
    def holder(self) -> tuple[str, str]:
        return self.provider_id, self.invoice_id


def _pack(units: Iterable[_Unit], limit: int) -> Iterator[list[_Unit]]:
    """Fill transactions up to ``limit`` items without splitting a unit."""
    transaction: list[_Unit] = []
    size = 0
    for unit in units:
        if len(unit.writes) > limit:
            raise ValueError(f"an invoice of {len(unit.writes)} items does not fit a transaction")
        if size + len(unit.writes) > limit:
            yield transaction
            transaction, size = [], 0
        transaction.append(unit)
        size += len(unit.writes)
    if transaction:
        yield transaction


def invoice_marker_keys(invoice: Invoice) -> list[dict[str, Any]]:
    """The markers that serve only this invoice: its kenmerk's and its lines' (R3), and
    a line stored under a ref with leading zeros its copy under the ref without them
    (migration version 6), so that copy expires with the invoice too (legal-nl.md §8)."""
    refs = [line.claim_ref for line in invoice.lines]
    refs += [canonical_reference(ref) for ref in refs]
    return [keys.reference_marker_key(invoice.reference)] + [
        keys.claim_key(invoice.provider_id, ref) for ref in dict.fromkeys(refs)
    ]


def _lacks_expiry(marker: dict[str, Any] | None, invoice: Invoice) -> bool:
    """A marker of this invoice without the TTL (none, or another invoice's: left alone)."""
    return (
        marker is not None
        and marker.get("invoice_id") == invoice.invoice_id
        and marker.get("provider_id", invoice.provider_id) == invoice.provider_id
        and "expires_at" not in marker
    )


def _chunks(values: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _add_filter(query: dict[str, Any], equal_to: dict[str, str]) -> None:
    """Only items whose attributes equal these values (applied after the read)."""
    if not equal_to:
        return
    query["FilterExpression"] = " AND ".join(f"#{name} = :{name}" for name in equal_to)
    query["ExpressionAttributeNames"] = {f"#{name}": name for name in equal_to}
    query["ExpressionAttributeValues"].update({f":{name}": v for name, v in equal_to.items()})


def _add_one_of(query: dict[str, Any], name: str, values: Sequence[str]) -> None:
    """Only items whose attribute is one of these values (applied after the read)."""
    places = [f":{name}{n}" for n in range(len(values))]
    one_of = f"#{name} IN ({', '.join(places)})"
    filtered = query.get("FilterExpression")
    query["FilterExpression"] = f"{filtered} AND {one_of}" if filtered else one_of
    query.setdefault("ExpressionAttributeNames", {})[f"#{name}"] = name
    query["ExpressionAttributeValues"].update(zip(places, values, strict=True))


def _add_name_filter(query: dict[str, Any], terms: tuple[str, ...]) -> None:
    """Only items whose names hold every term (name_search), read within the period."""
    if not terms:
        return
    contained = [f"contains(#names, :name{n})" for n in range(len(terms))]
    query["FilterExpression"] = " AND ".join(
        [query["FilterExpression"], *contained] if "FilterExpression" in query else contained
    )
    query.setdefault("ExpressionAttributeNames", {})["#names"] = "names"
    query["ExpressionAttributeValues"].update({f":name{n}": t for n, t in enumerate(terms)})


def _owed_entry(day: date, invoice: UnreadableInvoice) -> str:
    return f"{day.isoformat()}#{invoice.provider_id}#{invoice.invoice_id}"


def _owed_from(entry: str) -> tuple[date, UnreadableInvoice]:
    day, provider_id, invoice_id = entry.split("#", 2)
    return date.fromisoformat(day), UnreadableInvoice(provider_id, invoice_id)


def _written(write: Callable[..., object], **request: Any) -> bool:
    """A conditional PutItem or UpdateItem (``write``, the table's own): True when written,
    False when its condition did not hold (nothing written); any other error raises."""
    try:
        write(**request)
    except ClientError as error:
        if _code(error) != "ConditionalCheckFailedException":
            raise
        return False
    return True


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def set_missing_expiry(
    table: Any, key: dict[str, Any], expiry: int, *, version: int | None = None
) -> bool:
    """One UpdateItem of ``expires_at`` alone, where the item exists and has none (and
    is still ``version``, when given): False, nothing written, otherwise (migration
    version 5: every other attribute stays as stored)."""
    update: dict[str, Any] = {
        "Key": key,
        "UpdateExpression": "SET expires_at = :expires",
        "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(expires_at)",
        "ExpressionAttributeValues": {":expires": expiry},
    }
    if version is not None:
        update["ConditionExpression"] += " AND #version = :read"
        update["ExpressionAttributeNames"] = {"#version": "version"}
        update["ExpressionAttributeValues"][":read"] = version
    return _written(table.update_item, **update)


def _action_list_values(action: OpenAction, state: ActionState) -> dict[str, str]:
    """``:actions`` and ``:listed``: ``action``'s keys of the action list's index in
    ``state`` (items.action_list_index_key), for an update of its state."""
    index_keys = items.action_list_index_key(replace(action, state=state))
    return {":actions": index_keys["gsi4pk"], ":listed": index_keys["gsi4sk"]}


def _action_list_query(
    provider_id: str, state: ActionState, after: str | None, only: bool = True
) -> dict[str, Any]:
    """The Query of ``state``'s range of the practice's action list (items.action_list_sort_key),
    from after the position ``after`` (checked) when given. ``only``: the done range
    leaves out an open action not yet under its prefix (stored before openact57, until
    migration 17), which the whole list shows."""
    partition = keys.action_list_partition(provider_id)
    within = "begins_with(gsi4sk, :open)" if state is ActionState.OPEN else "gsi4sk < :open"
    query: dict[str, Any] = {
        "IndexName": "by-credit",
        "KeyConditionExpression": f"gsi4pk = :actions AND {within}",
        "ExpressionAttributeValues": {":actions": partition, ":open": keys.OPEN_ACTIONS},
    }
    if after is not None:
        action_id = after.partition("#")[2]
        start = {"gsi4pk": partition, "gsi4sk": items.listed_at(after, state)}
        query["ExclusiveStartKey"] = {**start, **keys.action_key(provider_id, action_id)}
    _add_filter(query, {"state": state.value} if only and state is ActionState.DONE else {})
    return query


def _decision_put(decided: OpenAction) -> dict[str, Any]:
    """The PutItem of ``decided`` on condition that the stored action is there, not moved,
    and without a decision (R28): of two decisions at once one lands."""
    return {
        "Item": items.action_to_item(decided),
        "ConditionExpression": (
            "attribute_exists(pk) AND attribute_not_exists(#moved)"
            " AND attribute_not_exists(details.decision)"
        ),
        "ExpressionAttributeNames": {"#moved": MOVED_TO},
    }
