"""Stored items set by hand, for the tests of what a run does with an item it cannot read
(R18, R24, R39)."""

from __future__ import annotations

from billing_core.adapters.dynamo import keys


def store_status(sandbox, provider_id: str, invoice_id: str, status: str) -> str:
    """The invoice item's status set by hand (a status no invoice has does not load): the
    status it had."""
    before = sandbox.runtime.repository._table.update_item(
        Key=keys.invoice_key(provider_id, invoice_id),
        UpdateExpression="SET #status = :status",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":status": status},
        ReturnValues="UPDATED_OLD",
    )
    return before["Attributes"]["status"]
