"""BillingStore: patients blocked while a claim is with the collection agency (R22, R26)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.collection.blocking import BlockChangeKind, BlockedPatient
from billing_core.ports import InvalidPosition
from billing_core.shared.clock import AMSTERDAM
from tests.contract.samples import A, B
from tests.unit.fake_store import blocked_numbers, is_blocked

T1 = datetime(2027, 2, 1, 9, 0, tzinfo=AMSTERDAM)
T2 = T1 + timedelta(days=3)
BLOCKED, UNBLOCKED = BlockChangeKind.BLOCKED, BlockChangeKind.UNBLOCKED


def changes(store, provider_id=A, since=T1):
    return [(c.patient_ref, c.change, c.at) for c in store.block_changes(provider_id, since)]


def test_the_first_claim_blocks_the_patient_and_logs_it_once(store):
    # Given a claim handed to the agency, handed over again (a retry), and a second claim
    store.block_patient(A, "P-1", "inv-1", T1)
    store.block_patient(A, "P-1", "inv-1", T1)
    store.block_patient(A, "P-1", "inv-2", T2)
    # Then the patient is blocked since the first, with both claims, and one change logged
    assert is_blocked(store, A, "P-1") and blocked_numbers(store, A) == frozenset({"P-1"})
    assert store.blocked_patients(A) == [BlockedPatient(A, "P-1", T1, ("inv-1", "inv-2"))]
    assert changes(store) == [("P-1", BLOCKED, T1)]


def test_the_last_settled_claim_unblocks_and_releasing_twice_changes_nothing(store):
    store.block_patient(A, "P-1", "inv-1", T1)
    store.block_patient(A, "P-1", "inv-2", T1)
    # When the claims are settled one by one, the last one twice
    first = store.release_claim(A, "P-1", "inv-1", T2)
    last = store.release_claim(A, "P-1", "inv-2", T2)
    again = store.release_claim(A, "P-1", "inv-2", T2)
    # Then only the last one unblocks, once
    assert (first, last, again) == (False, True, False)
    assert not is_blocked(store, A, "P-1")
    assert store.blocked_patients(A) == [] and blocked_numbers(store, A) == frozenset()
    assert changes(store) == [("P-1", BLOCKED, T1), ("P-1", UNBLOCKED, T2)]


def test_releasing_a_claim_of_a_patient_never_blocked_changes_nothing(store):
    assert store.release_claim(A, "P-1", "inv-1", T1) is False
    assert not is_blocked(store, A, "P-1") and changes(store) == []


def test_the_blocked_patients_are_listed_by_number(store):
    for patient in ("P-3", "P-1", "P-2"):
        store.block_patient(A, patient, f"inv-{patient}", T1)
    store.release_claim(A, "P-2", "inv-P-2", T2)
    assert [p.patient_ref for p in store.blocked_patients(A)] == ["P-1", "P-3"]
    assert blocked_numbers(store, A) == frozenset({"P-1", "P-3"})


def test_the_blocked_patients_come_in_pages_by_number(store):
    """R22, R35 (portalfeed54: the portal's page held every blocked patient, past Lambda's
    6 MB at ~38,000), interfaces.md §2.
    Given P-1..P-5 blocked and P-2a blocked then unblocked (its item stays, empty)
    When the blocked patients are read two at a time, each page after the position the
    one before gave
    Then the pages hold each blocked patient once, by number, never P-2a; the last page
    gives no position; a position no page hands out is refused."""
    for patient in ("P-5", "P-2a", "P-1", "P-4", "P-2", "P-3"):
        store.block_patient(A, patient, f"inv-{patient}", T1)
    store.release_claim(A, "P-2a", "inv-P-2a", T2)
    store.block_patient(B, "P-0", "inv-B", T1)
    pages, position = [], None
    while True:
        page, position = store.blocked_patient_page(A, 2, position)
        pages.append([p.patient_ref for p in page])
        if position is None:
            break
    assert pages == [["P-1", "P-2"], ["P-3", "P-4"], ["P-5"]]
    assert store.blocked_patient_page(A, 5) == (store.blocked_patients(A), None)
    for no_position in ("", "P-1\n"):
        with pytest.raises(InvalidPosition):
            store.blocked_patient_page(A, 2, no_position)


def test_changes_since_a_moment_oldest_first_same_moment_by_version_then_patient(store):
    """The practice software asks what changed since its last look (R22)."""
    # Given P-2 then P-1 blocked at the same moment, and P-1 unblocked at that moment too
    store.block_patient(A, "P-2", "inv-2", T1)
    store.block_patient(A, "P-1", "inv-1", T1)
    store.release_claim(A, "P-1", "inv-1", T1)
    store.block_patient(A, "P-3", "inv-3", T1 - timedelta(microseconds=1))
    store.block_patient(A, "P-4", "inv-4", T2)
    # Then from T1 on (inclusive): by moment, then the block's version, then patient
    assert changes(store, since=T1) == [
        ("P-1", BLOCKED, T1),
        ("P-2", BLOCKED, T1),
        ("P-1", UNBLOCKED, T1),
        ("P-4", BLOCKED, T2),
    ]
    assert changes(store, since=T2 + timedelta(microseconds=1)) == []


def test_changes_come_in_pages_that_split_one_moment_exactly(store):
    """R22, interfaces.md §2 (blockfeed54: one answer held every change since the moment
    asked, past Lambda's 6 MB at about 71,000 changes).
    Given P-1..P-5 blocked at one moment T1 and P-6 at T2
    When the changes since T1 are read two at a time, each page after the position the
    one before gave
    Then the pages hold every change once, in the log's order, the moment's five split
    over three pages; the last page gives no position; a position before since, or one
    no page hands out, is refused."""
    for patient in ("P-3", "P-1", "P-5", "P-2", "P-4"):
        store.block_patient(A, patient, f"inv-{patient}", T1)
    store.block_patient(A, "P-6", "inv-6", T2)
    pages, position = [], None
    while True:
        page, position = store.block_change_page(A, T1, 2, position)
        pages.append([c.patient_ref for c in page])
        if position is None:
            break
    assert pages == [["P-1", "P-2"], ["P-3", "P-4"], ["P-5", "P-6"]]
    _, first_position = store.block_change_page(A, T1, 2)
    with pytest.raises(InvalidPosition):
        store.block_change_page(A, T1 + timedelta(microseconds=1), 2, first_position)
    with pytest.raises(InvalidPosition):
        store.block_change_page(A, T1, 2, "P-2")


def test_another_practice_never_sees_the_blocks(store):
    """R26: a patient number is the practice's own."""
    store.block_patient(A, "P-1", "inv-1", T1)
    assert not is_blocked(store, B, "P-1")
    assert store.blocked_patients(B) == [] and blocked_numbers(store, B) == frozenset()
    assert changes(store, B) == []
    assert store.release_claim(B, "P-1", "inv-1", T2) is False
    assert is_blocked(store, A, "P-1")


def test_a_block_stored_before_its_last_change_was_kept_reads_it_from_blocked_at(table):
    """R22, R34 (audit agency AGENCY1; known, stop 40: untested). Given block items as a
    deploy before ``changed_at`` wrote them (DynamoDB only: the fake has no old items): P-1
    blocked since T2 (``blocked_at`` only), P-2 unblocked (no moment at all)
    When a release of P-1's claim stamped T1, before the block (its writer took its moment
    earlier), and a block of P-2 at T1 are written
    Then P-1 was listed blocked since T2, its unblock is stamped T2, not before the block
    it follows, and is served after it; P-2 is blocked at T1; both items now keep the
    moment as ``changed_at``."""
    store = BillingRepository(table)
    old = {"entity": "patient_block", "provider_id": A, "version": 1}
    table.put_item(
        Item={
            **keys.patient_block_key(A, "P-1"),
            **old,
            "patient_ref": "P-1",
            "invoice_ids": ["inv-1"],
            "blocked_at": T2.isoformat(),
        }
    )
    table.put_item(
        Item={**keys.patient_block_key(A, "P-2"), **old, "patient_ref": "P-2", "invoice_ids": []}
    )
    assert store.blocked_patients(A) == [BlockedPatient(A, "P-1", T2, ("inv-1",))]

    assert store.release_claim(A, "P-1", "inv-1", T1) is True
    store.block_patient(A, "P-2", "inv-2", T1)

    assert changes(store, since=T1) == [("P-2", BLOCKED, T1), ("P-1", UNBLOCKED, T2)]
    assert store.blocked_patients(A) == [BlockedPatient(A, "P-2", T1, ("inv-2",))]
    one, two = (table.get_item(Key=keys.patient_block_key(A, p))["Item"] for p in ("P-1", "P-2"))
    assert (one["changed_at"], "blocked_at" in one) == (T2.isoformat(), False)
    assert (two["changed_at"], two["blocked_at"]) == (T1.isoformat(), T1.isoformat())


# --- the person behind the number (legal-nl.md §6, audit blocks2) ------------------------------


def test_a_block_keeps_its_bsn_while_it_blocks_and_drops_it_when_unblocked(store):
    """legal-nl.md §6: the patient is the person. Given claims handed over with their BSN
    (one person under two numbers, P-1 and P-9; P-2 without a BSN)
    When the blocks are read for the ingest, then one query gives number and BSN of each;
    when P-1's last claim is settled, neither its number nor its BSN blocks any longer,
    while the same person's block under P-9 stays; the list has no BSN (R29)."""
    store.block_patient(A, "P-1", "inv-1", T1, bsn="111222333")
    store.block_patient(A, "P-1", "inv-2", T1, bsn="111222333")
    store.block_patient(A, "P-9", "inv-9", T1, bsn="111222333")
    store.block_patient(A, "P-2", "inv-3", T1)
    assert store.blocked_refs_with_bsn(A) == frozenset(
        {("P-1", "111222333"), ("P-9", "111222333"), ("P-2", "")}
    )
    assert store.blocked_refs_with_bsn(B) == frozenset()
    assert "111222333" not in repr(store.blocked_patients(A)) + repr(changes(store))

    store.release_claim(A, "P-1", "inv-1", T2)
    store.release_claim(A, "P-1", "inv-2", T2)

    assert store.blocked_refs_with_bsn(A) == frozenset({("P-9", "111222333"), ("P-2", "")})
    assert changes(store, since=T2) == [("P-1", UNBLOCKED, T2)]


def test_a_block_without_a_bsn_gets_it_at_its_next_block_without_a_change_logged(store):
    """legal-nl.md §6: a block written before the BSN was kept matches by number only;
    Given such a block, when its claim is blocked again (a retry, a claim owed again) with
    the BSN, then the block keeps the BSN, and no second BLOCKED change is logged."""
    store.block_patient(A, "P-1", "inv-1", T1)
    store.block_patient(A, "P-1", "inv-1", T2, bsn="111222333")
    assert store.blocked_refs_with_bsn(A) == frozenset({("P-1", "111222333")})
    assert store.blocked_patients(A) == [BlockedPatient(A, "P-1", T1, ("inv-1",))]
    assert changes(store) == [("P-1", BLOCKED, T1)]


def test_the_blocks_without_a_bsn_are_listed_and_each_gets_one_only_as_read(store):
    """legal-nl.md §6, migration version 9 (blocked-patient-bsn). Given a block written
    before the BSN was kept (P-1), one with its BSN (P-2), one unblocked (P-3), another
    practice's (B)
    When the blocks without a BSN are listed and P-1 gets one as read, then again
    Then only P-1 is listed, it is written once (a new version, no change logged), the
    second write of the same read is refused, and a block unblocked since the read is
    not touched."""
    store.block_patient(A, "P-1", "inv-1", T1)
    store.block_patient(A, "P-2", "inv-2", T1, bsn="222333444")
    store.block_patient(A, "P-3", "inv-3", T1)
    store.block_patient(B, "P-1", "inv-9", T1)
    stale = store.blocks_without_bsn(A)
    store.release_claim(A, "P-3", "inv-3", T2)
    [old, gone] = stale
    assert [block.patient_ref for block in stale] == ["P-1", "P-3"]
    assert [block.patient_ref for block in store.blocks_without_bsn(A)] == ["P-1"]

    assert store.add_block_bsn(old, "111222333") is True
    assert store.add_block_bsn(old, "111222333") is False  # a rerun of the same read
    assert store.add_block_bsn(gone, "555666777") is False  # unblocked since the read

    assert store.blocks_without_bsn(A) == []
    assert store.blocked_refs_with_bsn(A) == frozenset({("P-1", "111222333"), ("P-2", "222333444")})
    assert store.blocked_refs_with_bsn(B) == frozenset({("P-1", "")})
    assert not is_blocked(store, A, "P-3")
    assert changes(store) == [
        ("P-1", BLOCKED, T1),
        ("P-2", BLOCKED, T1),
        ("P-3", BLOCKED, T1),
        ("P-3", UNBLOCKED, T2),
    ]
    # a block write after the migration reads its new version (R28)
    store.block_patient(A, "P-1", "inv-4", T2)
    assert store.blocked_refs_with_bsn(A) >= {("P-1", "111222333")}
