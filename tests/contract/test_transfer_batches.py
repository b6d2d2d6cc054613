"""TransferBatches (R34, issue 19): a payout or refund batch reads back as written, a second
create of the same id changes nothing, a save on a stale version is refused (R28)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from billing_core.payments.transfer_batches import (
    BankState,
    BatchKind,
    BatchState,
    BatchTransfer,
    Settlement,
    Step,
    TransferBatch,
    sent,
    withdrawn,
)
from billing_core.ports import ConcurrentChange, InvalidPosition
from tests.contract.dynamodb_answers import stop_after_one_item_as_dynamodb_does_at_1_mb
from tests.contract.samples import NOON, A


def payout_batch(week: str = "2026-W48") -> TransferBatch:
    transfer = BatchTransfer(
        f"PO-{week}.1", A, "NL02RABO0123456789", "Fysio Zoë B.V.", 12_345, f"retrocessie {week}"
    )
    return TransferBatch(
        batch_id=f"PO-{week}",
        kind=BatchKind.PAYOUT,
        week=week,
        transfers=(transfer,),
        settlements=(Settlement(A, (week,), 12_000, carried_in_cents=-55, owed_again_cents=400),),
        waiting=("p-late",),
        steps=(Step("proposed", "schedule", NOON),),
    )


def test_a_batch_reads_back_as_it_was_written(batches):
    assert batches.create_batch(payout_batch()) is True
    stored = batches.get_batch("PO-2026-W48")
    assert stored == replace(payout_batch(), version=stored.version)
    assert batches.get_batch("PO-2026-W49") is None


def test_a_batch_created_again_keeps_the_first(batches):
    batches.create_batch(payout_batch())
    again = replace(payout_batch(), waiting=())
    assert batches.create_batch(again) is False
    assert batches.get_batch("PO-2026-W48").waiting == ("p-late",)


def test_a_save_takes_the_version_read_and_refuses_a_stale_one(batches):
    batches.create_batch(payout_batch())
    read = batches.get_batch("PO-2026-W48")
    booked = read.with_transfer(
        replace(read.transfers[0], bank_state=BankState.BOOKED, bank_date=date(2026, 12, 1))
    )
    saved = batches.save_batch(booked)
    assert saved.version == read.version + 1
    assert batches.get_batch("PO-2026-W48").transfers[0].bank_state is BankState.BOOKED
    with pytest.raises(ConcurrentChange):
        batches.save_batch(read)  # the version before the booking


def test_batches_are_listed_per_kind_newest_first(batches):
    for week in ("2026-W47", "2026-W49", "2026-W48"):
        batches.create_batch(payout_batch(week))
    refund = TransferBatch(
        "RF-20261201-abc123", BatchKind.REFUND, (), (Step("proposed", "op", NOON),)
    )
    batches.create_batch(refund)
    listed = batches.list_batches(BatchKind.PAYOUT, limit=2)
    assert [b.batch_id for b in listed] == ["PO-2026-W49", "PO-2026-W48"]
    assert [b.batch_id for b in batches.list_batches(BatchKind.REFUND)] == ["RF-20261201-abc123"]


def test_batches_are_paged_after_a_batch_in_the_lists_order(batches):
    """interfaces.md §6 (contract52): Given week 48's batches PO-2026-W48 ... -11 (as text
    -10 and -11 sort before -2) between the batches of weeks 47 and 49, and a refund batch
    When the list is read three a time, each time after the last batch read
    Then every payout batch comes once, in the whole list's order (newest_first), pages
    ending inside week 48 included; an ``after`` that is no payout batch id is refused."""
    week_48 = [f"PO-2026-W48-{n}" for n in range(2, 12)]
    for batch_id in ["PO-2026-W47", "PO-2026-W48", *week_48, "PO-2026-W49"]:
        batches.create_batch(replace(payout_batch(batch_id[3:11]), batch_id=batch_id))
    batches.create_batch(
        TransferBatch("RF-20261201-abc123", BatchKind.REFUND, (), (Step("proposed", "op", NOON),))
    )
    # When
    read: list[list[str]] = []
    after = None
    while len(read) < 10 and (page := batches.list_batches(BatchKind.PAYOUT, limit=3, after=after)):
        read.append([b.batch_id for b in page])
        after = read[-1][-1]
    # Then
    whole = ["PO-2026-W49", *reversed(week_48), "PO-2026-W48", "PO-2026-W47"]
    assert [b.batch_id for b in batches.list_batches(BatchKind.PAYOUT, limit=20)] == whole
    assert read == [whole[i : i + 3] for i in range(0, len(whole), 3)]
    for forged in ("RF-20261201-abc123", "PO-2026-W48-1", "PO-2026-W48 ", "PO-"):
        with pytest.raises(InvalidPosition):
            batches.list_batches(BatchKind.PAYOUT, limit=3, after=forged)


def test_a_list_of_batches_that_dynamodb_cut_at_1_mb_reads_on(batches):
    """R34, R13 (debt59b): DynamoDB ends a Query's answer at 1 MB, before its Limit, with
    the key where it stopped (a batch of many transfers is a large item). Given the
    payout batches of weeks 47 and 49 and three of week 48, and a table that answers each
    Query with one item and that key / When the operator reads the list two a time, after
    the last batch read / Then every batch comes once, two a page, in the list's order;
    before, each page held one batch: the operator's list, which takes a page shorter
    than asked for as its last, ended after week 49's."""
    ids = ["PO-2026-W47", "PO-2026-W48", "PO-2026-W48-2", "PO-2026-W48-3", "PO-2026-W49"]
    for batch_id in ids:
        batches.create_batch(replace(payout_batch(batch_id[3:11]), batch_id=batch_id))
    stop_after_one_item_as_dynamodb_does_at_1_mb(batches)
    # When
    read: list[list[str]] = []
    after = None
    while len(read) < 5 and (page := batches.list_batches(BatchKind.PAYOUT, limit=2, after=after)):
        read.append([b.batch_id for b in page])
        after = read[-1][-1]
    # Then
    assert read == [
        ["PO-2026-W49", "PO-2026-W48-3"],
        ["PO-2026-W48-2", "PO-2026-W48"],
        ["PO-2026-W47"],
    ]


def test_a_refund_reduced_at_sending_reads_back_with_what_was_proposed(batches):
    """R13, R34: a refund paid less than proposed (credit gone when sent) keeps both."""
    transfer = BatchTransfer(
        "RF-20261201-abc123.1",
        A,
        "NL39RABO0300065264",
        "A. Visser",
        500,
        "Terugbetaling teveel betaald nota 32155743889456",
        invoice_reference="32155743889456",
        reduced_from_cents=1_200,
    )
    refund = TransferBatch(
        "RF-20261201-abc123", BatchKind.REFUND, (transfer,), (Step("proposed", "op", NOON),)
    )
    batches.create_batch(refund)
    assert batches.get_batch(refund.batch_id).transfers == (transfer,)


def refund_batch(batch_id: str) -> TransferBatch:
    return TransferBatch(batch_id, BatchKind.REFUND, (), (Step("proposed", "op", NOON),))


def test_every_batch_created_moves_its_kinds_list_version_on(batches):
    """R28: the version a proposal is checked on goes up with each batch of its kind."""
    assert batches.batch_list_version(BatchKind.REFUND) == 0
    batches.create_batch(refund_batch("RF-20261201-aaa111"))
    batches.create_batch(refund_batch("RF-20261201-bbb222"))
    batches.create_batch(payout_batch())
    batches.create_batch(refund_batch("RF-20261201-aaa111"))  # there already: no change
    assert batches.batch_list_version(BatchKind.REFUND) == 2
    assert batches.batch_list_version(BatchKind.PAYOUT) == 1


def test_a_batch_created_on_a_list_version_that_moved_on_is_refused(batches):
    """R28: two proposals that read the same list version: the second writes nothing."""
    seen = batches.batch_list_version(BatchKind.REFUND)
    assert batches.create_batch(refund_batch("RF-20261201-aaa111"), list_version=seen) is True
    with pytest.raises(ConcurrentChange):
        batches.create_batch(refund_batch("RF-20261201-bbb222"), list_version=seen)
    assert batches.get_batch("RF-20261201-bbb222") is None
    now = batches.batch_list_version(BatchKind.REFUND)
    assert now == seen + 1
    assert batches.create_batch(refund_batch("RF-20261201-bbb222"), list_version=now) is True
    assert batches.create_batch(refund_batch("RF-20261201-bbb222"), list_version=now) is False


def test_a_returned_transfer_reads_back_with_its_debit_kept_or_still_to_come(batches):
    """R12, R24 (audit bank50): Given a batch whose first payout the bank returned before
    its debit was read (the debit still to come) and a second one returned after its debit
    (the debit's entry and upload kept beside the return)
    When the batch is saved and read back
    Then both transfers are as they were saved: a debit read later is booked beside the
    return, not counted a duplicate, and a retry still knows its own upload."""
    batches.create_batch(payout_batch())
    read = batches.get_batch("PO-2026-W48")
    returned = replace(
        read.transfers[0],
        bank_state=BankState.RETURNED,
        bank_date=date(2026, 12, 3),
        bank_entry="RTR-1",
        return_reason="AC04",
        request_fingerprint="bank-upload:thursday",
    )
    to_come = replace(returned, debit_awaited=True)
    kept = replace(
        returned,
        end_to_end_id="PO-2026-W48.2",
        debit_entry="DBT-2",
        debit_request_fingerprint="bank-upload:tuesday",
    )
    saved = batches.save_batch(replace(read, transfers=(to_come, kept)))
    assert batches.get_batch("PO-2026-W48").transfers == saved.transfers == (to_come, kept)


def test_every_open_batch_is_read_however_many_newer_ones_were_sent(batches):
    """R13, R34 (refunds53): Given a refund batch proposed, one approved, one withdrawn and
    one sent on 1 December, then 53 sent on later days (the default page is 52), and a
    payout batch proposed
    When the open refund batches are read
    Then the proposed and the approved ones of 1 December come, newest first, and nothing
    else: no payout batch, none sent or withdrawn (before: none of them, behind 52 newer)."""
    # Given
    proposed, approved, dropped, paid = (
        refund_batch(f"RF-20261201-{n}") for n in ("aaa111", "bbb222", "ccc333", "ddd444")
    )
    for batch in (proposed, approved, dropped, paid):
        batches.create_batch(batch)
    step = Step("approved", "op", NOON)
    approved_read = batches.get_batch(approved.batch_id)
    batches.save_batch(
        replace(approved_read, state=BatchState.APPROVED, steps=(*approved_read.steps, step))
    )
    batches.save_batch(withdrawn(batches.get_batch(dropped.batch_id), "op", NOON, "file refused"))
    paid_read = batches.get_batch(paid.batch_id)
    paid_read = batches.save_batch(replace(paid_read, state=BatchState.APPROVED))
    batches.save_batch(sent(paid_read, "refunds/2026-12-01/x.xml", "op", NOON))
    for day in range(53):
        newer = refund_batch(f"RF-{date(2026, 12, 2) + timedelta(days=day):%Y%m%d}-eee555")
        batches.create_batch(replace(newer, state=BatchState.SENT))
    batches.create_batch(payout_batch())
    # When
    open_refunds = batches.open_batches(BatchKind.REFUND)
    # Then
    assert [b.batch_id for b in open_refunds] == ["RF-20261201-bbb222", "RF-20261201-aaa111"]
    assert [b.state for b in open_refunds] == [BatchState.APPROVED, BatchState.PROPOSED]
    assert [b.batch_id for b in batches.open_batches(BatchKind.PAYOUT)] == ["PO-2026-W48"]
