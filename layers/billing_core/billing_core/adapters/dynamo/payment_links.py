"""PSP checkouts and bank credit links on the single table (R11, R12); their keys
(``keys.checkout_key``, ``keys.bank_credit_key``) hold no personal data, nor do the items.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from billing_core.adapters.dynamo import keys
from billing_core.payments.psp import PspStatus
from billing_core.ports import BankCreditLink, CheckoutRecord

Item = dict[str, Any]


class PaymentLinkRepository:
    def __init__(self, table: Any) -> None:
        """table: a boto3 DynamoDB Table resource (the billing table)."""
        self._table = table

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
        return CheckoutRecord(
            psp_payment_id=item["psp_payment_id"],
            provider_id=item["provider_id"],
            invoice_id=item["invoice_id"],
            reference=item["reference"],
            amount_cents=int(item["amount_cents"]),
            created_at=datetime.fromisoformat(item["created_at"]),
            status=PspStatus(item["status"]),
        )

    def set_checkout_status(self, psp_payment_id: str, status: PspStatus) -> None:
        self._table.update_item(
            Key=keys.checkout_key(psp_payment_id),
            UpdateExpression="SET #status = :status",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":status": status.value},
        )

    # --- bank credits -----------------------------------------------------------------------

    def remember_bank_credit(self, link: BankCreditLink) -> None:
        self._put_new(
            {
                **keys.bank_credit_key(link.account_iban, link.transfer_id),
                "entity": "bank_credit",
                "account_iban": link.account_iban,
                "transfer_id": link.transfer_id,
                "source_id": link.source_id,
                "reference": link.reference,
                "amount_cents": link.amount_cents,
            }
        )

    def find_bank_credit(self, account_iban: str, transfer_id: str) -> BankCreditLink | None:
        key = keys.bank_credit_key(account_iban, transfer_id)
        item = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        if not item:
            return None
        return BankCreditLink(
            account_iban=item["account_iban"],
            transfer_id=item["transfer_id"],
            source_id=item["source_id"],
            reference=item["reference"],
            amount_cents=int(item["amount_cents"]),
        )

    # --- plumbing -----------------------------------------------------------------------------

    def _put_new(self, item: Item) -> None:
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
