"""Stored items set by hand, for the tests of what a run does with an item it cannot read
(R18, R24, R39), and the reads of one kind of item watched, for the tests that a malformed
id reads nothing (interfaces.md §2, R23)."""

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


def actions_looked_up(repository) -> list[str]:
    """The action ids ``repository`` is asked for from now on, in order; each is still
    read."""
    looked_up: list[str] = []
    read = repository.get_action

    def get_action(provider_id: str, wanted: str):
        looked_up.append(wanted)
        return read(provider_id, wanted)

    repository.get_action = get_action
    return looked_up
