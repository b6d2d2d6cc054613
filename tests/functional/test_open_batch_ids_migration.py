"""Migration version 12, open-batch-ids, through the operator API on moto (R13, R34;
refunds53b): a refund batch proposed before each kind's list item kept the ids of its open
batches is read by ``open_batches`` only among the newest 52. Behind more, its invoice's
credit could be proposed again (the patient paid back twice) and the Monday run's alarm of
batches waiting missed it. The migration keeps the ids of those open batches."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.transfer_batches import TransferBatchRepository
from billing_core.payments.transfer_batches import BatchKind, BatchState, withdrawn
from local.migrate import store_batches_as_before_their_open_ids
from local.sandbox import Sandbox
from tests.functional.test_expiry_migration import migrate
from tests.functional.test_refunds import operator, paid_twice

MIGRATION = "open-batch-ids"
ACCOUNT = {"iban": "NL39RABO0300065264", "account_holder": "A. Visser"}


def batches_of(sandbox: Sandbox) -> TransferBatchRepository:
    return TransferBatchRepository(sandbox.runtime.repository._table)


def propose_refund(sandbox: Sandbox, reference: str, key: str) -> tuple[int, dict]:
    body = {"refunds": [{"reference": reference, **ACCOUNT}]}
    headers = {"Idempotency-Key": key}
    return operator(sandbox, "POST", "/api/v1/operator/refunds", body=body, headers=headers)


def behind_53_sent_batches(sandbox: Sandbox, first: str) -> None:
    """53 refund batches sent on the days after 24 November (a page of the list is 52),
    then every list item as stored before refunds53: no open ids."""
    batches = batches_of(sandbox)
    made = batches.get_batch(first)
    assert made is not None
    for day in range(1, 54):
        newer_id = f"RF-{date(2026, 11, 24) + timedelta(days=day):%Y%m%d}-eee555"
        batches.create_batch(replace(made, batch_id=newer_id, state=BatchState.SENT))
    store_batches_as_before_their_open_ids(sandbox.runtime.repository)


def test_r13_an_old_open_refund_batch_gets_its_id_once_and_its_credit_is_not_proposed_again(
    sandbox,
):
    """R13, R34, R39 (migration version 12).
    Given a credit's refund proposed on 24 November and never approved, stored before the
    refund list kept open ids, behind 53 refund batches sent on the days after
    When an operator runs open-batch-ids, then again
    Then the first run keeps its id (and nothing of the closed ones), the second finds it
    there; proposing that credit again is refused, and the Monday run of 30 November
    counts the batch as waiting (before the migration: the refund was proposed again)."""
    # Given
    invoice = paid_twice(sandbox)
    status, old = propose_refund(sandbox, invoice.reference, "refund-1")
    assert status == 200 and old["state"] == "proposed"
    behind_53_sent_batches(sandbox, old["batch_id"])
    # When
    status, answer = migrate(sandbox, "open-ids-1", MIGRATION)
    status_again, again = migrate(sandbox, "open-ids-2", MIGRATION)
    # Then
    assert status == status_again == 200, answer
    assert (answer["version"], answer["complete"], answer["practices"]) == (12, True, [])
    assert answer["summary"] == {
        "open_batch_ids_written": 1,
        "open_batch_ids_present": 0,
        "closed_batches": 53,
        "batches_changed_meanwhile": 0,
    }
    assert again["summary"]["open_batch_ids_written"] == 0
    assert again["summary"]["open_batch_ids_present"] == 1
    status, refused = propose_refund(sandbox, invoice.reference, "refund-2")
    assert status == 400, refused
    assert "not yet sent" in refused["error"]["fields"][0]["message"]
    sandbox.clock.set(date(2026, 11, 30))
    assert sandbox.run_retrocession()["batches_waiting"] == [old["batch_id"]]


def test_r13_a_batch_withdrawn_after_the_migration_read_it_gets_no_id(sandbox, monkeypatch):
    """R13, R34, R28 (migration version 12): Given an open refund batch stored before the
    list kept open ids, read by the migration and withdrawn by an operator before the
    migration writes its id
    When the migration's write comes
    Then it keeps no id of the withdrawn batch (else every read of the open batches would
    read it again for good) and counts it closed."""
    # Given
    invoice = paid_twice(sandbox)
    status, old = propose_refund(sandbox, invoice.reference, "refund-1")
    assert status == 200
    store_batches_as_before_their_open_ids(sandbox.runtime.repository)
    batches = batches_of(sandbox)
    every_item = TransferBatchRepository._every_item

    def read_then_sent(self, kind):
        items = list(every_item(self, kind))
        if kind is BatchKind.REFUND:
            read = batches.get_batch(old["batch_id"])
            batches.save_batch(withdrawn(read, "operator-bob", read.steps[0].at, "file refused"))
        return iter(items)

    monkeypatch.setattr(TransferBatchRepository, "_every_item", read_then_sent)
    # When
    status, answer = migrate(sandbox, "open-ids-1", MIGRATION)
    # Then
    assert status == 200, answer
    assert answer["summary"]["closed_batches"] == 1
    assert answer["summary"]["open_batch_ids_written"] == 0
    list_key = keys.transfer_batch_list_key(BatchKind.REFUND.value)
    stored = sandbox.runtime.repository._table.get_item(Key=list_key, ConsistentRead=True)
    assert "open_batches" not in stored["Item"]
