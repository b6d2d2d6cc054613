"""The billing repository on the single DynamoDB table.

Writes that create money are transactions with conditions (R3, R28): a claim that is
already known, or an invoice id that exists, cancels the write instead of duplicating
it. Batches keep ingest at a few requests per hundred invoices.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from billing_core.actions import ActionState, OpenAction
from billing_core.declarations.record import DeclarationRecord
from billing_core.invoice import Invoice
from billing_core.ports import ConcurrentChange, KnownClaim, NewInvoice, TransactionConflict
from billing_core.providers import Provider
from billing_core.store import items

TRANSACTION_LIMIT = 100  # items per TransactWriteItems
BATCH_GET_LIMIT = 100  # keys per BatchGetItem
PROVIDER_CACHE_SECONDS = 300  # provider settings change a few times a year


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
        item = self._get(items.provider_key(provider_id))
        return items.provider_from_item(item) if item else None

    def put_provider(self, provider: Provider) -> None:
        self._table.put_item(Item=items.provider_to_item(provider))
        self._provider_cache.pop(provider.provider_id, None)

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

    def set_action_state(
        self, provider_id: str, action_id: str, state: ActionState
    ) -> OpenAction | None:
        """The provider marks an action done or open (R23); None if it has no such action."""
        action = next((a for a in self.list_actions(provider_id) if a.action_id == action_id), None)
        if action is None:
            return None
        changed = replace(action, state=state)
        self.put_action(changed)
        return changed

    def list_actions(self, provider_id: str, state: ActionState | None = None) -> list[OpenAction]:
        """The provider's actions, oldest first; only ``state`` ones when given."""
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": f"PROVIDER#{provider_id}", ":prefix": "ACTION#"},
        }
        if state is not None:
            query["FilterExpression"] = "#state = :state"
            query["ExpressionAttributeNames"] = {"#state": "state"}
            query["ExpressionAttributeValues"][":state"] = state.value
        actions: list[OpenAction] = []
        while True:
            page = self._table.query(**query)
            actions.extend(items.action_from_item(item) for item in page["Items"])
            if "LastEvaluatedKey" not in page:
                return actions
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # --- declarations ---------------------------------------------------------------

    def get_declaration(self, provider_id: str, declaration_id: str) -> DeclarationRecord | None:
        item = self._get(items.declaration_key(provider_id, declaration_id))
        return items.declaration_from_item(item) if item else None

    def put_declaration(self, record: DeclarationRecord) -> None:
        self._table.put_item(Item=items.declaration_to_item(record))

    def list_declarations(
        self, provider_id: str, *, limit: int = 50, after: str | None = None
    ) -> tuple[list[DeclarationRecord], str | None]:
        """Newest first; ``after`` is the last declaration id of the previous page."""
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": f"PROVIDER#{provider_id}",
                ":prefix": "DECLARATION#",
            },
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if after:
            query["ExclusiveStartKey"] = items.declaration_key(provider_id, after)
        page = self._table.query(**query)
        records = [items.declaration_from_item(i) for i in page["Items"]]
        more = "LastEvaluatedKey" in page and records
        return records, (records[-1].declaration_id if more else None)

    def reserve_references(self, count: int) -> int:
        """Reserve ``count`` sequence numbers at once; returns the first (one request)."""
        answer = self._table.update_item(
            Key=items.SEQUENCE_KEY,
            UpdateExpression="ADD next_value :count",
            ExpressionAttributeValues={":count": count},
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"]["next_value"]) - count

    # --- claims and invoices ----------------------------------------------------------

    def known_claims(self, provider_id: str, claim_refs: Iterable[str]) -> dict[str, KnownClaim]:
        keys = [items.claim_key(provider_id, ref) for ref in dict.fromkeys(claim_refs)]
        known: dict[str, KnownClaim] = {}
        for found in self._batch_get(keys):
            claim_ref = found["pk"].split("#CLAIM#", 1)[1]
            known[claim_ref] = KnownClaim(claim_ref, found["declaration_id"], found["invoice_id"])
        return known

    def store_new(
        self,
        provider_id: str,
        declaration_id: str,
        invoices: Sequence[NewInvoice],
        insurer_claim_refs: Sequence[str],
    ) -> int:
        """Write invoices with their claim markers, and the markers of insurer-bound lines.

        Each write is conditional on its key being new, and an invoice travels in the same
        transaction as its claim markers, so neither exists without the other. Returns the
        number of requests; raises TransactionConflict when something already existed
        (that transaction wrote nothing; a retry re-reads what is known).
        """
        units = [self._invoice_unit(provider_id, declaration_id, new) for new in invoices]
        units += [
            [self._put_new(items.claim_to_item(provider_id, ref, declaration_id, ""))]
            for ref in insurer_claim_refs
        ]
        requests = 0
        for transaction in _pack(units, TRANSACTION_LIMIT):
            self._transact(transaction)
            requests += 1
        return requests

    def store_invoice_for_insurer_claims(self, provider_id: str, new: NewInvoice) -> bool:
        """A retour made insurer-bound lines the patient's after all (legal-nl.md §6): the
        new invoice and its claim markers' invoice_id in one transaction, on condition
        that no marker points to an invoice yet. False (nothing written) when one does:
        an earlier or concurrent run got there first (R3)."""
        invoice_id = new.invoice.invoice_id
        writes = [self._put_new(items.invoice_to_item(new.invoice))]
        writes += [
            {
                "Update": {
                    "TableName": self._table.name,
                    "Key": items.claim_key(provider_id, ref),
                    "UpdateExpression": "SET invoice_id = :invoice",
                    "ConditionExpression": "invoice_id = :none",
                    "ExpressionAttributeValues": {":invoice": invoice_id, ":none": ""},
                }
            }
            for ref in new.claim_refs
        ]
        try:
            self._transact(writes)
        except TransactionConflict:
            return False
        return True

    def get_invoice(
        self, provider_id: str, invoice_id: str, *, consistent: bool = False
    ) -> Invoice | None:
        """``consistent``: read the latest write (a retry after ConcurrentChange, R28)."""
        item = self._get(items.invoice_key(provider_id, invoice_id), consistent=consistent)
        return items.invoice_from_item(item) if item else None

    def find_invoice_by_reference(self, reference: str) -> Invoice | None:
        """One Query on the by-reference index (projection ALL): one request per check.

        The index is eventually consistent, a fraction of a second behind a write; a
        change based on it is saved on condition of its version (R28), so a stale read
        costs a retry, never an update.
        """
        page = self._table.query(
            IndexName="by-reference",
            KeyConditionExpression="gsi1pk = :reference",
            ExpressionAttributeValues={":reference": f"REF#{reference}"},
        )
        found = page["Items"]
        return items.invoice_from_item(found[0]) if found else None

    def list_invoices(
        self,
        provider_id: str,
        *,
        limit: int = 100,
        after: str | None = None,
        issued_from: str = "",
        issued_until: str = "",
        patient_ref: str = "",
    ) -> tuple[list[Invoice], str | None]:
        """The provider's invoices, newest first, from the by-provider index.

        ``after`` is the position (the index sort key) of the last invoice of the previous
        page; the keys around it are rebuilt with *this* provider's id, so a position
        taken from another tenant can only ever point into this tenant's list (R26).
        """
        low = issued_from or "0000"
        high = (issued_until or "9999") + "#~"
        query: dict[str, Any] = {
            "IndexName": "by-provider",
            "KeyConditionExpression": "gsi2pk = :owner AND gsi2sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": {
                ":owner": f"PROVIDER#{provider_id}#INVOICES", ":low": low, ":high": high,
            },
            "ScanIndexForward": False,
            "Limit": limit,
        }  # fmt: skip
        if patient_ref:
            query["FilterExpression"] = "patient_ref = :patient"
            query["ExpressionAttributeValues"][":patient"] = patient_ref
        if after:
            invoice_id = after.rsplit("#", 1)[-1]
            query["ExclusiveStartKey"] = {
                **items.invoice_key(provider_id, invoice_id),
                "gsi2pk": f"PROVIDER#{provider_id}#INVOICES",
                "gsi2sk": after,
            }
        page = self._table.query(**query)
        invoices = [items.invoice_from_item(item) for item in page["Items"]]
        last = page.get("LastEvaluatedKey")
        return invoices, (last["gsi2sk"] if last else None)

    def save_invoice(self, invoice: Invoice) -> Invoice:
        """Replace the invoice if nobody changed it since it was read (R28)."""
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
        return stored

    # --- plumbing -------------------------------------------------------------------------

    def _invoice_unit(
        self, provider_id: str, declaration_id: str, new: NewInvoice
    ) -> list[dict[str, Any]]:
        invoice_id = new.invoice.invoice_id
        return [
            self._put_new(items.invoice_to_item(new.invoice)),
            *(
                self._put_new(items.claim_to_item(provider_id, ref, declaration_id, invoice_id))
                for ref in new.claim_refs
            ),
        ]

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
        return self._table.get_item(Key=key, ConsistentRead=consistent).get("Item")

    def _batch_get(self, keys: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for chunk in _chunks(keys, BATCH_GET_LIMIT):
            pending: dict[str, Any] = {self._table.name: {"Keys": chunk}}
            while pending:
                answer = self._client.batch_get_item(RequestItems=pending)
                yield from answer["Responses"].get(self._table.name, [])
                pending = answer.get("UnprocessedKeys") or {}


def invoice_with_next_version(invoice: Invoice) -> Invoice:
    return replace(invoice, version=invoice.version + 1)


def _pack(units: Sequence[list[Any]], limit: int) -> Iterator[list[Any]]:
    """Fill transactions up to ``limit`` items without splitting a unit."""
    transaction: list[Any] = []
    for unit in units:
        if len(unit) > limit:
            raise ValueError(f"an invoice with {len(unit) - 1} lines does not fit a transaction")
        if len(transaction) + len(unit) > limit:
            yield transaction
            transaction = []
        transaction.extend(unit)
    if transaction:
        yield transaction


def _chunks(values: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
