"""PSP checkouts and bank credit links on the single table (R11, R12); their keys
(``keys.checkout_key``, ``keys.bank_credit_key``) hold no personal data, nor do the items.

Both expire as the bank statements they go with do (legal-nl.md §8, R39): 2,922 days (7
full years after their year) from the checkout's start or the credit's booking, long
after any webhook or return can name them; before, they named an invoice's kenmerk and
amount for ever, long after the invoice was deleted (audit ops, stop 42).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import STATEMENT_RETENTION, expires_at
from billing_core.adapters.dynamo.repository import query_page
from billing_core.payments.psp import PspStatus
from billing_core.payments.unmatched import CreditMatch, MatchPart, MatchTarget, UnmatchedCredit
from billing_core.ports import InvalidPosition

if TYPE_CHECKING:
    from collections.abc import Sequence

    from billing_core.invoices.invoice import Invoice
    from billing_core.payments.checkouts import CheckoutRecord
    from billing_core.payments.credit_links import BankCreditLink
    from billing_core.shared.clock import Clock

# A checkout's idempotency key is reused at most the PSP's open lifetime (online.py); the
# item is gone a day later, long before it could name the kenmerk for long.
CHECKOUT_KEY_RETENTION = timedelta(days=1)
# legal-nl.md §8: unmatched-credit lists are kept 1 year once resolved.
MATCHED_CREDIT_RETENTION = timedelta(days=366)
# A checkout and a booked credit's link: as the statements they were booked from (§8).
PAYMENT_LINK_RETENTION = STATEMENT_RETENTION

Item = dict[str, Any]


class PaymentLinkRepository:
    def __init__(self, table: Any, clock: Clock | None = None) -> None:
        """table: a boto3 DynamoDB Table resource (the billing table); clock: when a
        credit's link is written (its expiry counts from then), the system's if None."""
        self._table = table
        self._clock = clock

    def _now(self) -> datetime:
        return self._clock.now() if self._clock is not None else datetime.now(UTC)

    # --- PSP checkouts ----------------------------------------------------------------------

    def record_checkout(self, checkout: CheckoutRecord) -> None:
        item = {
            **keys.checkout_key(checkout.psp_payment_id),
            "entity": "psp_checkout",
            "psp_payment_id": checkout.psp_payment_id,
            "provider_id": checkout.provider_id,
            "invoice_id": checkout.invoice_id,
            "reference": checkout.reference,
            "amount_cents": checkout.amount_cents,
            "created_at": checkout.created_at.isoformat(),
            "status": checkout.status.value,
            "language": checkout.language,
            "expires_at": expires_at(checkout.created_at, PAYMENT_LINK_RETENTION),
        }
        # The PSP hands out the same payment for a repeated idempotency key: keep the
        # first record, so a status the webhook already set is never reset to "open".
        self._put_new(item)

    def get_checkout(self, psp_payment_id: str) -> CheckoutRecord | None:
        item = self._table.get_item(Key=keys.checkout_key(psp_payment_id), ConsistentRead=True).get(
            "Item"
        )
        if not item:
            return None
        from billing_core.payments.checkouts import CheckoutRecord

        return CheckoutRecord(
            psp_payment_id=item["psp_payment_id"],
            provider_id=item["provider_id"],
            invoice_id=item["invoice_id"],
            reference=item["reference"],
            amount_cents=int(item["amount_cents"]),
            created_at=datetime.fromisoformat(item["created_at"]),
            status=PspStatus(item["status"]),
            language=item.get("language", ""),  # none on a checkout stored before
        )

    def set_checkout_status(self, psp_payment_id: str, status: PspStatus) -> None:
        self._table.update_item(
            Key=keys.checkout_key(psp_payment_id),
            UpdateExpression="SET #status = :status",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":status": status.value},
        )

    def claim_checkout_key(self, slot: str, key: str, at: datetime, kept_since: datetime) -> str:
        # One conditional write: of two starts at once, the second finds the first's key.
        try:
            self._table.put_item(
                Item=_checkout_key_item(slot, key, at),
                ConditionExpression="attribute_not_exists(pk) OR kept_at < :since",
                ExpressionAttributeValues={":since": _epoch(kept_since)},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
        else:
            return key
        item = self._table.get_item(Key=keys.checkout_slot_key(slot), ConsistentRead=True)["Item"]
        return str(item["key"])

    def keep_checkout_key(self, slot: str, key: str, at: datetime) -> None:
        self._table.put_item(Item=_checkout_key_item(slot, key, at))

    # --- bank credits -----------------------------------------------------------------------

    def remember_bank_credit(self, link: BankCreditLink) -> None:
        """One conditional write for a new id, as before; the id of another credit (the
        item the failed condition hands back, no read) marks the link ``shared``, once:
        a return it alone traces is then for a person (R12). The same credit read again
        (a duplicate, a retry) writes nothing more."""
        kept = self._put_new(
            {
                **keys.bank_credit_key(link.account_iban, link.transfer_id),
                "entity": "bank_credit",
                "account_iban": link.account_iban,
                "transfer_id": link.transfer_id,
                "source_id": link.source_id,
                "reference": link.reference,
                "amount_cents": link.amount_cents,
                **({"parts": [_part_item(part) for part in link.parts]} if link.parts else {}),
                "expires_at": expires_at(self._now(), PAYMENT_LINK_RETENTION),
            },
            kept=True,
        )
        if not kept or "shared" in kept:
            return
        if kept.get("source_id", {}).get("S") == link.source_id:
            return
        try:
            self._table.update_item(
                Key=keys.bank_credit_key(link.account_iban, link.transfer_id),
                UpdateExpression="SET #shared = :shared",
                ConditionExpression="attribute_exists(pk)",  # not one expired since
                ExpressionAttributeNames={"#shared": "shared"},
                ExpressionAttributeValues={":shared": True},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    def find_bank_credit(self, account_iban: str, transfer_id: str) -> BankCreditLink | None:
        key = keys.bank_credit_key(account_iban, transfer_id)
        item = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        if not item:
            return None
        from billing_core.payments.credit_links import BankCreditLink

        return BankCreditLink(
            account_iban=item["account_iban"],
            transfer_id=item["transfer_id"],
            source_id=item["source_id"],
            reference=item["reference"],
            amount_cents=int(item["amount_cents"]),
            parts=tuple((part["reference"], int(part["amount"])) for part in item.get("parts", ())),
            shared=bool(item.get("shared", False)),
        )

    # --- credits nobody could book yet (R34) ------------------------------------------------

    def keep_unmatched_credit(self, credit: UnmatchedCredit) -> None:
        self._put_new(_credit_item(credit))

    def unmatched_credits(self) -> list[UnmatchedCredit]:
        return self._credits("attribute_not_exists(matched_at)")

    def planned_credits(self) -> list[UnmatchedCredit]:
        return self._credits("attribute_exists(matched_at)")

    def _credits(self, having: str) -> list[UnmatchedCredit]:
        """The one partition of credits the import could not book, page by page."""
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :credits",
            "FilterExpression": having,
            "ExpressionAttributeValues": {":credits": keys.UNMATCHED_CREDITS},
        }
        found: list[UnmatchedCredit] = []
        while True:
            page = self._table.query(**query)
            found.extend(_credit(item) for item in page["Items"])
            if "LastEvaluatedKey" not in page:
                return sorted(found, key=lambda c: (c.booking_date, c.credit_id))
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def unmatched_credit_page(
        self, limit: int, after: str | None = None
    ) -> tuple[list[UnmatchedCredit], str | None]:
        """A page of the open credits: one Query of their partition of the by-credit
        index (keys.open_credit_index_key: a matched credit is not on it), oldest booking
        first, ``limit`` + 1 of them (one more: only a page with a credit after it gives
        a position), after the position ``after`` ("{booking date}#{credit id}")."""
        if after is not None and not _is_open_credit_position(after):
            raise InvalidPosition("not an unmatched credit position")
        query: dict[str, Any] = {
            "IndexName": "by-credit",
            "KeyConditionExpression": "gsi4pk = :credits",
            "ExpressionAttributeValues": {":credits": keys.UNMATCHED_CREDITS},
        }
        if after is not None:
            query["KeyConditionExpression"] += " AND gsi4sk > :after"
            query["ExpressionAttributeValues"][":after"] = after
        found, last = query_page(self._table, query, limit)
        return [_credit(item) for item in found], str(last["gsi4sk"]) if last else None

    def index_open_credits(self) -> tuple[int, int]:
        """Put each open credit stored before its keys on the by-credit index (migration
        version 19), on condition that it is still open: (put on it, matched since the
        read). Those already on it are not read again."""
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :credits",
            "FilterExpression": "attribute_not_exists(matched_at) AND attribute_not_exists(gsi4pk)",
            "ProjectionExpression": "pk, sk, credit_id, booking_date",
            "ExpressionAttributeValues": {":credits": keys.UNMATCHED_CREDITS},
        }
        indexed = matched = 0
        while True:
            page = self._table.query(**query)
            for item in page["Items"]:
                if self._index_open_credit(item["credit_id"], item["booking_date"]):
                    indexed += 1
                else:
                    matched += 1
            if "LastEvaluatedKey" not in page:
                return indexed, matched
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _index_open_credit(self, credit_id: str, booking_date: str) -> bool:
        index_keys = keys.open_credit_index_key(booking_date, credit_id)
        try:
            self._table.update_item(
                Key=keys.unmatched_credit_key(credit_id),
                UpdateExpression="SET gsi4pk = :credits, gsi4sk = :position",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(matched_at)",
                ExpressionAttributeValues={
                    ":credits": index_keys["gsi4pk"],
                    ":position": index_keys["gsi4sk"],
                },
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def get_unmatched_credit(self, credit_id: str) -> UnmatchedCredit | None:
        key = keys.unmatched_credit_key(credit_id)
        item = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        return _credit(item) if item else None

    def plan_credit_match(self, credit_id: str, match: CreditMatch) -> UnmatchedCredit:
        try:
            self._table.update_item(
                Key=keys.unmatched_credit_key(credit_id),
                UpdateExpression="SET matched_at = :at, matched_by = :who, parts = :parts, "
                "matched_target = :target, expires_at = :expires REMOVE gsi4pk, gsi4sk",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(matched_at)",
                ExpressionAttributeValues={
                    ":at": match.matched_at.isoformat(),
                    ":who": match.operator,
                    ":parts": [
                        {
                            "reference": p.reference,
                            "invoice_id": p.invoice_id,
                            "amount": p.amount_cents,
                            "reverses": p.reverses,
                        }
                        for p in match.parts
                    ],
                    ":target": _target_item(match.target),
                    ":expires": expires_at(match.matched_at, MATCHED_CREDIT_RETENTION),
                },
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
        stored = self.get_unmatched_credit(credit_id)
        if stored is None:
            raise LookupError(credit_id)
        return stored

    def withdraw_credit_match(
        self, credit_id: str, match: CreditMatch, unchanged: Sequence[Invoice]
    ) -> bool:
        """One transaction: the plan ``match`` (its time and operator) removed, never one
        written since, on condition that each invoice of ``unchanged`` is at the version
        read, so a part booked between the read and this write keeps the plan (R28); the
        credit keeps no expiry while unmatched, and is on the index of open credits again."""
        stored = self.get_unmatched_credit(credit_id)
        if stored is None:
            return False
        index_keys = keys.open_credit_index_key(stored.booking_date.isoformat(), credit_id)
        withdraw = {
            "Update": {
                "TableName": self._table.name,
                "Key": keys.unmatched_credit_key(credit_id),
                "UpdateExpression": "SET gsi4pk = :credits, gsi4sk = :position "
                "REMOVE matched_at, matched_by, parts, matched_target, expires_at",
                "ConditionExpression": "matched_at = :at AND matched_by = :who",
                "ExpressionAttributeValues": {
                    ":at": match.matched_at.isoformat(),
                    ":who": match.operator,
                    ":credits": index_keys["gsi4pk"],
                    ":position": index_keys["gsi4sk"],
                },
            }
        }
        checks = [
            {
                "ConditionCheck": {
                    "TableName": self._table.name,
                    "Key": keys.invoice_key(invoice.provider_id, invoice.invoice_id),
                    "ConditionExpression": "version = :read_version",
                    "ExpressionAttributeValues": {":read_version": invoice.version},
                }
            }
            for invoice in unchanged
        ]
        try:
            self._table.meta.client.transact_write_items(TransactItems=[withdraw, *checks])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            return False
        return True

    # --- plumbing -----------------------------------------------------------------------------

    def _put_new(self, item: Item, *, kept: bool = False) -> dict[str, Any]:
        """Write ``item`` unless its key is there. With ``kept``, the item that was there,
        as DynamoDB hands it back with the failed condition (typed values, {"S": ...}; no
        read); {} when ``item`` was written, or without ``kept``."""
        more = {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"} if kept else {}
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)", **more)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            there: dict[str, Any] = error.response.get("Item", {})
            return there
        return {}


def _is_open_credit_position(position: str) -> bool:
    """A position as keys.open_credit_index_key makes it: a booking date, "#", a credit
    id as ``credit_id_of`` makes it (20 lowercase hex digits); no regex: the module is on
    handlers' import path."""
    booked, hash_sign, credit_id = position.partition("#")
    try:
        valid_date = date.fromisoformat(booked).isoformat() == booked
    except ValueError:
        return False
    digits = len(credit_id) == 20 and all(c in "0123456789abcdef" for c in credit_id)
    return valid_date and bool(hash_sign) and digits


def _part_item(part: tuple[str, int]) -> Item:
    reference, amount_cents = part
    return {"reference": reference, "amount": amount_cents}


def _credit_item(credit: UnmatchedCredit) -> Item:
    return {
        **keys.unmatched_credit_key(credit.credit_id),
        "entity": "unmatched_credit",
        "credit_id": credit.credit_id,
        "source_id": credit.source_id,
        "statement_id": credit.statement_id,
        "entry_reference": credit.entry_reference,
        "booking_date": credit.booking_date.isoformat(),
        "direction": credit.direction,
        "amount_cents": credit.amount_cents,
        "currency": credit.currency,
        "reason": credit.reason,
        "kenmerk": credit.kenmerk,
        "remittance_text": credit.remittance_text,
        "counterparty_name": credit.counterparty_name,
        "counterparty_iban": credit.counterparty_iban,
        "transfer_ids": list(credit.transfer_ids),
        **({"transaction_id": credit.transaction_id} if credit.transaction_id else {}),
        # kept open (no plan is written with it): on the index of the operator's list (R34)
        **keys.open_credit_index_key(credit.booking_date.isoformat(), credit.credit_id),
    }


def _target_item(target: MatchTarget | None) -> Item | None:
    if target is None:
        return None
    return {
        "reference": target.reference,
        "provider_id": target.provider_id,
        "patient_ref": target.patient_ref,
        **({"references": list(target.references)} if target.references else {}),
    }


def _target(item: Item | None) -> MatchTarget | None:
    """None for a plan stored before its target was kept with it."""
    if not item:
        return None
    references = tuple(item.get("references", ()))
    return MatchTarget(item["reference"], item["provider_id"], item["patient_ref"], references)


def _credit(item: Item) -> UnmatchedCredit:
    match = None
    if "matched_at" in item:
        parts = tuple(
            MatchPart(p["reference"], p["invoice_id"], int(p["amount"]), p.get("reverses", ""))
            for p in item["parts"]
        )
        match = CreditMatch(
            datetime.fromisoformat(item["matched_at"]),
            item["matched_by"],
            parts,
            _target(item.get("matched_target")),
        )
    return UnmatchedCredit(
        credit_id=item["credit_id"],
        source_id=item["source_id"],
        statement_id=item["statement_id"],
        entry_reference=item["entry_reference"],
        booking_date=date.fromisoformat(item["booking_date"]),
        direction=item["direction"],
        amount_cents=int(item["amount_cents"]),
        currency=item["currency"],
        reason=item["reason"],
        kenmerk=item["kenmerk"],
        remittance_text=item["remittance_text"],
        counterparty_name=item["counterparty_name"],
        counterparty_iban=item["counterparty_iban"],
        match=match,
        # kept before the transfer ids were: a return of it stays for an operator
        transfer_ids=tuple(item.get("transfer_ids", ())),
        transaction_id=item.get("transaction_id", ""),
    )


def _checkout_key_item(slot: str, key: str, at: datetime) -> Item:
    return {
        **keys.checkout_slot_key(slot),
        "entity": "psp_checkout_key",
        "key": key,
        "kept_at": _epoch(at),
        "expires_at": expires_at(at, CHECKOUT_KEY_RETENTION),
    }


def _epoch(moment: datetime) -> int:
    """Microseconds since 1970 (UTC): a number the table compares exactly."""
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
