"""MigrationStore: the conditional writes an operator's migration makes after a deploy
(issue 16: searchable names, handover ids; issue 13 item 1: kenmerk markers; legal-nl.md
§8: the expiry of invoices settled before their save wrote one)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.collection.blocking import PatientBlock
from billing_core.declarations.claim_marker_migration import ClaimMarkersCopied
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.invoices.listing import InvoiceFilter
from billing_core.invoices.reference_holder import ReferenceHolder
from billing_core.invoices.retention_migration import ExpiriesDated, ExpiryAdded
from billing_core.payments.open_batch_ids import OpenBatchIdsKept
from billing_core.payments.transfer_batches import (
    BatchKind,
    BatchState,
    BatchTransfer,
    Step,
    TransferBatch,
    approve,
    sent,
)
from billing_core.ports import KnownClaim
from billing_core.providers.actions import ActionKind, ActionState, handover_action_id
from billing_core.providers.retrocession import StatementSummary
from billing_core.providers.settings_history import FieldChange, SettingsVersion
from billing_core.providers.week import Week
from billing_core.shared.clock import AMSTERDAM
from tests.contract.samples import (
    NOON,
    A,
    B,
    action,
    batches_on,
    declaration,
    invoice,
    new,
    plant_batches_before_their_open_ids,
    plant_blocks_before_expiry,
    plant_invoice_before_names_and_marker,
    plant_invoice_with_names_folded_before,
    plant_settings_versions_before_expiry,
    plant_settled_before_expiry,
    plant_stored_before_expiry,
    plant_weeks_before_agency_transfers,
    stored,
)
from tests.unit.factories import make_provider
from tests.unit.fake_store import FakeStore

HANDOVER_DAY = date(2026, 11, 23)
HOUR = timedelta(hours=1)


def found_by_name(store, typed: str) -> list[str]:
    page, _ = store.list_invoices(A, InvoiceFilter(patient_name=typed))
    return [i.invoice_id for i in page]


def test_names_are_written_where_missing_and_only_once(store):
    # Given an invoice stored before invoices kept their names: a name search misses it
    old = invoice(1)
    plant_invoice_before_names_and_marker(store, old)
    assert found_by_name(store, old.patient.last_name) == []
    # When its names are added, twice
    first, second = store.add_search_names(old), store.add_search_names(old)
    # Then the first writes them, the second finds them there; the search finds it
    assert (first, second) == (True, False)
    assert found_by_name(store, old.patient.last_name) == ["inv-1"]
    assert store.get_invoice(A, "inv-1") == old


def test_names_folded_the_old_way_are_written_anew_and_only_once(store):
    """Audit INTERFACES1 (R35): Given an invoice of "Yılmaz" stored with the names an older
    deploy folded (" y lmaz"): "yilmaz" misses it / When its names are added, twice /
    Then the first rewrites them, the second finds today's there; "yilmaz" finds it."""
    old = invoice(1, patient=replace(invoice(1).patient, last_name="Yılmaz"), debtor=None)
    plant_invoice_with_names_folded_before(store, old)
    assert found_by_name(store, "yilmaz") == []
    first, second = store.add_search_names(old), store.add_search_names(old)
    assert (first, second) == (True, False)
    assert found_by_name(store, "yilmaz") == found_by_name(store, "YILMAZ") == ["inv-1"]
    assert store.get_invoice(A, "inv-1") == old


def test_names_are_not_written_for_a_new_invoice_or_one_that_is_not_there(store):
    stored(store, invoice(1))
    assert store.add_search_names(invoice(1)) is False
    assert store.add_search_names(invoice(2)) is False
    assert store.get_invoice(A, "inv-2") is None


def test_a_kenmerk_marker_is_written_where_missing_and_then_guards_the_kenmerk(store):
    # Given an invoice stored before kenmerken had markers
    old = invoice(1)
    plant_invoice_before_names_and_marker(store, old)
    # When its marker is written, twice
    first, second = store.add_reference_marker(old), store.add_reference_marker(old)
    # Then the first writes it, the second finds the invoice's own
    assert first == ReferenceHolder(A, "inv-1", written=True)
    assert second == ReferenceHolder(A, "inv-1", written=False)
    # And an upload with that kenmerk on another invoice is refused
    result = store.store_new(B, "D2", [new(invoice(9, B, reference=old.reference))], [])
    assert result.reference_taken == ("inv-9",)


def test_a_kenmerk_another_invoice_holds_is_named_and_not_taken_over(store):
    # Given invoice 1 with its marker, and an old invoice 2 of another practice with the
    # same kenmerk (stored before the markers)
    holder = invoice(1)
    stored(store, holder)
    twin = invoice(2, B, reference=holder.reference)
    plant_invoice_before_names_and_marker(store, twin)
    # When the twin's marker is asked for
    # Then the holder is named and stays the holder
    assert store.add_reference_marker(twin) == ReferenceHolder(A, "inv-1", written=False)
    assert store.add_reference_marker(holder) == ReferenceHolder(A, "inv-1", written=False)


def test_an_action_moves_to_its_new_id_once_and_is_then_a_handover_of_its_day(store):
    # Given a handover action stored with the old id (no day in it)
    old = action("handover-inv-1", kind=ActionKind.COLLECTION_HANDOVER)
    store.put_action(old)
    assert store.handovers_between(A, HANDOVER_DAY, HANDOVER_DAY) == []
    # When it is moved to the id with its day, twice
    new_id = handover_action_id(HANDOVER_DAY, "inv-1")
    first, second = store.rekey_action(old, new_id), store.rekey_action(old, new_id)
    # Then only the first moves it: one action, under the new id, found on its day
    assert (first, second) == (True, False)
    moved = action(new_id, kind=ActionKind.COLLECTION_HANDOVER)
    assert store.list_actions(A) == [moved]
    assert store.handovers_between(A, HANDOVER_DAY, HANDOVER_DAY) == [moved]
    assert store.invoice_actions(A, "inv-1") == [moved]
    assert store.get_action(A, "handover-inv-1") is None
    assert store.set_action_state(old, ActionState.DONE, HANDOVER_DAY) is None
    assert store.list_actions(A) == [moved]


def test_an_action_is_not_moved_onto_an_id_that_is_taken(store):
    old, taken = action("a"), action("b")
    store.put_action(old)
    store.put_action(taken)
    assert store.rekey_action(old, "b") is False
    assert store.list_actions(A) == [old, taken]


def test_invoices_are_counted_per_practice(store):
    stored(store, invoice(1), invoice(2), invoice(3, B))
    plant_invoice_before_names_and_marker(store, invoice(4))
    assert (store.count_invoices(A), store.count_invoices(B)) == (3, 1)
    assert store.count_invoices("nobody") == 0


PAID_AT = datetime(2026, 11, 23, 12, 0, tzinfo=AMSTERDAM)


def booked(store, one, kind: EntryKind, cents: int, at: datetime = PAID_AT):
    """The invoice as stored, with one more ledger entry, saved (R28: on its version)."""
    current = store.get_invoice(one.provider_id, one.invoice_id)
    entry = LedgerEntry(kind, Component.PRINCIPAL, cents, at, "")
    return store.save_invoice(current.with_entry(entry))


def settled_before_expiry(store, **plant):
    """Given an invoice issued, paid in full, and stored as before the deploy of §8."""
    issued = invoice(1)
    stored(store, issued)
    paid = booked(store, issued, EntryKind.PAYMENT, -issued.balance_cents)
    plant_settled_before_expiry(store, paid, **plant)
    return paid


def own_markers(one) -> int:
    """Its kenmerk's marker and one per claim line."""
    return 1 + len({line.claim_ref for line in one.lines})


def test_a_settled_invoice_gets_its_expiry_and_its_markers_theirs_once(store):
    """legal-nl.md §8: kept 7 years after the end of the year settled, then deleted."""
    paid = settled_before_expiry(store)
    first, second = store.add_retention_expiry(paid), store.add_retention_expiry(paid)
    assert first == ExpiryAdded(invoice=True, markers=own_markers(paid))
    assert second == ExpiryAdded()
    assert store.get_invoice(A, "inv-1") == paid  # the version left as it was (R28)


def test_a_saved_since_settled_invoice_has_its_own_expiry_and_its_markers_get_theirs(store):
    """A save that does not settle it anew writes the invoice's TTL, none of its markers'."""
    paid = settled_before_expiry(store, markers_only=True)
    assert store.add_retention_expiry(paid) == ExpiryAdded(markers=own_markers(paid))
    assert store.add_retention_expiry(paid) == ExpiryAdded()


def test_an_open_invoice_gets_no_expiry(store):
    issued = invoice(1)
    stored(store, issued)
    assert store.add_retention_expiry(store.get_invoice(A, "inv-1")) == ExpiryAdded()


def test_an_invoice_changed_since_it_was_read_is_not_written(store):
    """R12, R28: a reversal saved meanwhile reopens it; the stale read writes nothing."""
    paid = settled_before_expiry(store)
    payment = paid.ledger[-1]
    booked(store, paid, EntryKind.REVERSAL, -payment.amount_cents)  # the bank returns it
    assert store.add_retention_expiry(paid) == ExpiryAdded(changed=True)
    reopened = store.get_invoice(A, "inv-1")
    assert reopened.balance_cents > 0
    assert store.add_retention_expiry(reopened) == ExpiryAdded()


def test_uploads_statements_and_batches_stored_before_expiry_get_it_once(store):
    """legal-nl.md §8, R39 (migration version 5): Given practice A's upload record and week
    statement, B's upload record, a refund batch sent and a payout batch proposed, all
    stored before their save wrote an expiry
    When A's items are dated twice, then the batches twice
    Then the first pass writes each missing expiry, the second finds them present; B's
    item waits for B; the open batch gets none; every item reads back as it was."""
    record, other = declaration("D1", processed_at=NOON), declaration("D2", B)
    summary = StatementSummary(
        A, Week(2026, 48), Decimal("5"), 3, 2, 10_000, 0, 500, 9_500, {"payment": 10_000}, "0" * 64
    )
    store.put_declaration(record)
    store.put_declaration(other)
    store.put_retrocession(summary)
    batches = batches_on(store)
    refund = refund_sent()
    payout = payout_proposed()
    assert batches.create_batch(refund) and batches.create_batch(payout)
    plant_stored_before_expiry(store)
    # When A's items are dated twice
    first, second = store.add_practice_item_expiries(A), store.add_practice_item_expiries(A)
    assert (first, second) == (ExpiriesDated(written=2), ExpiriesDated(present=2))
    assert store.add_practice_item_expiries(B) == ExpiriesDated(written=1)
    # And the batches twice
    first, second = store.add_batch_expiries(), store.add_batch_expiries()
    assert (first, second) == (ExpiriesDated(1, 0, 1), ExpiriesDated(0, 1, 1))
    # Then nothing else changed
    assert store.get_declaration(A, "D1") == record
    assert store.get_retrocession(A, Week(2026, 48)) == summary
    assert batches.get_batch(refund.batch_id) == replace(refund, version=1)
    assert batches.get_batch(payout.batch_id) == replace(payout, version=1)


def refund_proposed(batch_id: str, state: BatchState = BatchState.PROPOSED) -> TransferBatch:
    steps = (Step("proposed", "operator-anna", NOON),)
    return TransferBatch(batch_id, BatchKind.REFUND, (), steps, state=state)


def test_open_batches_stored_before_their_ids_were_kept_get_them_once(store):
    """R13, R34 (migration version 12, refunds53b): Given a refund batch proposed on 1
    December and a payout batch proposed, both stored before their kind's list kept open
    ids, behind 53 refund batches sent on the days after (a page of the list is 52)
    When the open batch ids are added twice
    Then the first run keeps both ids, the second finds them there; the old refund batch
    is read as open again (before: missed), each list version is as it was, and every
    batch reads back as it was."""
    # Given
    batches = batches_on(store)
    old, payout = refund_proposed("RF-20261201-aaa111"), payout_proposed()
    assert batches.create_batch(old) and batches.create_batch(payout)
    for day in range(53):
        newer = f"RF-{date(2026, 12, 2) + timedelta(days=day):%Y%m%d}-eee555"
        batches.create_batch(refund_proposed(newer, BatchState.SENT))
    plant_batches_before_their_open_ids(store)
    assert old.batch_id not in [b.batch_id for b in batches.open_batches(BatchKind.REFUND)]
    versions = [batches.batch_list_version(kind) for kind in BatchKind]
    # When
    first, second = store.add_open_batch_ids(), store.add_open_batch_ids()
    # Then
    assert (first, second) == (OpenBatchIdsKept(2, 0, 53), OpenBatchIdsKept(0, 2, 53))
    assert batches.open_batches(BatchKind.REFUND) == [replace(old, version=1)]
    assert batches.open_batches(BatchKind.PAYOUT) == [replace(payout, version=1)]
    assert [batches.batch_list_version(kind) for kind in BatchKind] == versions


def test_a_claim_under_leading_zeros_is_copied_without_them_once_and_expires_with_it(store):
    """R3, R40 (migration version 6), legal-nl.md §8: Given practice A's invoice settled
    before §8's deploy, its lines stored as the file had them (000001, 000002), and the
    claim 2 of another upload of A's
    When the markers are copied under the refs without the zeros, twice
    Then 000001's is copied as it is (its upload, its invoice), 2 keeps its own claim, the
    second pass writes nothing, B has none; and the copy expires with the invoice."""
    lines = tuple(
        replace(line, claim_ref=f"00000{index}")
        for index, line in enumerate(invoice(1).lines, start=1)
    )
    issued = invoice(1, lines=lines)
    stored(store, issued)
    other = invoice(2, lines=(replace(lines[0], claim_ref="2"),))
    stored(store, other, declaration_id="D2")
    paid = booked(store, issued, EntryKind.PAYMENT, -issued.balance_cents)
    plant_settled_before_expiry(store, paid)
    refs = {"000001": "1", "000002": "2", "000009": "9"}  # 000009: no marker to copy
    # When copied twice
    first, second = (store.add_canonical_claim_markers(A, refs) for _ in range(2))
    # Then
    assert (first, second) == (ClaimMarkersCopied(1, 1), ClaimMarkersCopied(0, 2))
    assert store.known_claims(A, ["1", "2", "9"]) == {
        "1": KnownClaim("1", "D1", "inv-1"),
        "2": KnownClaim("2", "D2", "inv-2"),
    }
    assert store.known_claims(B, ["1"]) == {}
    # And the copy is one of the markers that expire with the settled invoice (not 2)
    kenmerk_and_lines = 1 + len(lines)
    assert store.add_retention_expiry(paid) == ExpiryAdded(True, kenmerk_and_lines + 1)


def test_settings_versions_stored_before_their_expiry_get_it_once(store):
    """legal-nl.md §8, R39 (migration version 7; stop 42): Given practice A's settings
    version 1 and B's, stored before a settings save wrote an expiry, and A's version 2
    saved since (with its own)
    When A's versions are dated twice
    Then the first pass writes version 1's and finds version 2's present, the second
    finds both present; B's waits for B; the history reads back as it was."""
    for provider_id, version in ((A, 1), (B, 1)):
        settings_saved(store, provider_id, version)
    plant_settings_versions_before_expiry(store)
    settings_saved(store, A, 2)
    history = store.provider_history(A)
    # When
    first, second = (store.add_settings_version_expiries(A) for _ in range(2))
    # Then
    assert (first, second) == (ExpiriesDated(1, 1), ExpiriesDated(0, 2))
    assert store.add_settings_version_expiries(B) == ExpiriesDated(written=1)
    assert store.add_settings_version_expiries("nobody") == ExpiriesDated()
    assert store.provider_history(A) == history


def test_block_records_stored_before_their_expiry_get_it_once_never_while_blocking(store):
    """legal-nl.md §8, R22, R39 (migration version 14; blocksttl54): Given practice A's
    patient P-1 blocked and unblocked, P-2 still blocked, and B's P-3 unblocked, all stored
    before a block's save wrote an expiry
    When A's block records are dated twice
    Then the first pass writes the three changes' and P-1's block's expiry and leaves
    P-2's block (it still blocks), the second finds them present; B's waits for B; the
    blocks and the change log read back as they were."""
    for provider_id, patient in ((A, "P-1"), (A, "P-2"), (B, "P-3")):
        store.block_patient(provider_id, patient, f"inv-{patient}", NOON)
    for provider_id, patient in ((A, "P-1"), (B, "P-3")):
        store.release_claim(provider_id, patient, f"inv-{patient}", NOON + timedelta(hours=1))
    plant_blocks_before_expiry(store)
    blocked, changes = store.blocked_patients(A), store.block_changes(A, NOON)
    # When
    first, second = (store.add_block_expiries(A, NOON) for _ in range(2))
    # Then
    assert (first, second) == (ExpiriesDated(4, 0, 1), ExpiriesDated(0, 4, 1))
    assert store.add_block_expiries(B, NOON) == ExpiriesDated(written=3)
    assert store.add_block_expiries("nobody", NOON) == ExpiriesDated()
    assert (store.blocked_patients(A), store.block_changes(A, NOON)) == (blocked, changes)


def test_a_block_blocked_again_between_the_read_and_the_update_keeps_no_expiry(store, monkeypatch):
    """R22, R28, legal-nl.md §8 (migration version 14): Given P-1 blocked and unblocked,
    stored before a block's save wrote an expiry
    When A's block records are dated and P-1 is blocked again after the blocks were read
    Then the version condition fails: the block is counted changed, nothing is written on
    it, it keeps no expiry and blocks; the next pass counts it open."""
    store.block_patient(A, "P-1", "inv-1", NOON)
    store.release_claim(A, "P-1", "inv-1", NOON + HOUR)
    plant_blocks_before_expiry(store)
    blocked_again_once_the_blocks_are_read(store, monkeypatch, "P-1", NOON + HOUR * 2)
    # When
    dated = store.add_block_expiries(A, NOON)
    # Then the two logged changes are dated, the block is not
    assert dated == ExpiriesDated(written=2, changed=1)
    assert block_expiry(store, "P-1") is None
    assert [(p.patient_ref, p.invoice_ids) for p in store.blocked_patients(A)] == [
        ("P-1", ("inv-again",))
    ]
    # And the next pass finds the three changes dated (the third by its save), P-1 open
    monkeypatch.undo()
    assert store.add_block_expiries(A, NOON) == ExpiriesDated(present=3, open=1)


def test_an_unblocked_block_stored_without_its_moment_is_dated_from_its_last_change_or_now(
    store,
):
    """legal-nl.md §8, R39 (migration version 14):
    Given P-1 blocked at noon and unblocked an hour later, and P-2 blocked and unblocked
    with its changes no longer logged, both blocks stored before they kept ``changed_at``
    When A's block records are dated five days later
    Then P-1's block expires 8 years after its last logged change (the unblock, not the
    block), P-2's 8 years after now."""
    unblocked_at, now = NOON + HOUR, NOON + timedelta(days=5)
    for patient in ("P-1", "P-2"):
        store.block_patient(A, patient, f"inv-{patient}", NOON)
        store.release_claim(A, patient, f"inv-{patient}", unblocked_at)
    plant_blocks_before_expiry(store)
    stored_without_moment(store, "P-1", "P-2")
    changes_no_longer_logged(store, "P-2")
    # When
    dated = store.add_block_expiries(A, now)
    # Then
    assert dated == ExpiriesDated(written=4)
    assert block_expiry(store, "P-1") == eight_years_after(unblocked_at)
    assert block_expiry(store, "P-2") == eight_years_after(now)


def test_a_week_stored_before_the_agencys_transfers_gets_the_figure_once(store):
    """R24 (migration version 15; remitted54): Given practice A's weeks 7 and 8 stored
    before their items kept the agency's transfers, and week 9 stored since
    When week 8 is given 1,250 twice, week 9 and a week never stored once each
    Then the first write lands, the second finds it there; week 9 keeps its own (a week
    built again since), no item is made for the missing week; nothing else of a week
    changes, and week 7 still lists None for the list to read its file."""
    weeks = {label: Week.parse(label) for label in ("2027-W07", "2027-W08", "2027-W09")}
    for week in weeks.values():
        store.put_retrocession(week_totals(A, week))
    plant_weeks_before_agency_transfers(store)
    built_again = replace(week_totals(A, weeks["2027-W09"]), remitted_by_agency_cents=400)
    store.put_retrocession(built_again)
    old = store.get_retrocession(A, weeks["2027-W08"])
    assert old is not None and old.remitted_by_agency_cents is None
    # When
    first, second = (store.add_remitted_by_agency(old, 1_250) for _ in range(2))
    # Then
    assert (first, second) == (True, False)
    assert store.add_remitted_by_agency(built_again, 1_250) is False
    assert store.add_remitted_by_agency(week_totals(B, weeks["2027-W08"]), 1_250) is False
    assert store.list_retrocessions(A) == [
        built_again,
        replace(old, remitted_by_agency_cents=1_250),
        replace(week_totals(A, weeks["2027-W07"]), remitted_by_agency_cents=None),
    ]
    assert store.list_retrocessions(B) == []


def week_totals(provider_id: str, week: Week) -> StatementSummary:
    return StatementSummary(
        provider_id=provider_id,
        week=week,
        service_fee_percentage=Decimal("3.5"),
        entries=2,
        invoices=2,
        received_cents=10_000,
        refunded_cents=0,
        service_fee_cents=350,
        payout_cents=9_650,
        totals_by_kind={"principal": 10_000},
        json_sha256="0" * 64,
        collected_by_agency_cents=0,
        remitted_by_agency_cents=0,
    )


def eight_years_after(moment: datetime) -> int:
    """The TTL (epoch seconds) of a block record: 2922 days after its change (R39)."""
    return int((moment + timedelta(days=2922)).timestamp())


def block_item(repository: BillingRepository, patient: str) -> dict[str, Any]:
    key = keys.patient_block_key(A, patient)
    return repository._table.get_item(Key=key, ConsistentRead=True)["Item"]  # type: ignore[no-any-return]


def block_expiry(store: FakeStore | BillingRepository, patient: str) -> int | None:
    """A's block's TTL (epoch seconds), None when it has none: the item's ``expires_at``,
    or 8 years after the moment the fake dated it from."""
    if isinstance(store, FakeStore):
        moment = store.block_dated_from.get(("block", A, patient))
        return None if moment is None else eight_years_after(moment)
    expiry = block_item(store, patient).get("expires_at")
    return None if expiry is None else int(expiry)


def blocked_again_once_the_blocks_are_read(
    store: FakeStore | BillingRepository,
    monkeypatch: pytest.MonkeyPatch,
    patient: str,
    at: datetime,
) -> None:
    """A claim on ``patient`` saved between the migration's read of the blocks (the
    adapter's Query, the fake's ``_blocks_read``) and its write of each (the block's
    whole-item Put moves its version on, R28)."""
    if isinstance(store, FakeStore):
        read_blocks = store._blocks_read

        def read_then_block_in_memory(provider_id: str) -> list[tuple[PatientBlock, bool]]:
            found = read_blocks(provider_id)
            store.block_patient(A, patient, "inv-again", at)
            return found

        monkeypatch.setattr(store, "_blocks_read", read_then_block_in_memory)
        return
    read_all = store._query_all

    def read_then_block(query: dict[str, Any]) -> list[dict[str, Any]]:
        found = read_all(query)
        if query["ExpressionAttributeValues"][":prefix"] == keys.PATIENT_BLOCK_PREFIX:
            store.block_patient(A, patient, "inv-again", at)
        return found

    monkeypatch.setattr(store, "_query_all", read_then_block)


def stored_without_moment(store: FakeStore | BillingRepository, *patients: str) -> None:
    """The blocks as a deploy before audit AGENCY1 stored them: no ``changed_at``."""
    for patient in patients:
        if isinstance(store, FakeStore):
            store.put_block_without_moment(A, patient)
            continue
        store._table.update_item(
            Key=keys.patient_block_key(A, patient), UpdateExpression="REMOVE changed_at"
        )


def changes_no_longer_logged(store: FakeStore | BillingRepository, patient: str) -> None:
    if isinstance(store, FakeStore):
        store.forget_block_changes(A, patient)
        return
    for change in store._query_all(
        {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": keys.provider_partition(A),
                ":prefix": keys.BLOCK_CHANGE_PREFIX,
            },
        }
    ):
        if change["patient_ref"] == patient:
            store._table.delete_item(Key={"pk": change["pk"], "sk": change["sk"]})


def settings_saved(store, provider_id: str, version: int) -> SettingsVersion:
    """The practice's settings as ``version``, written with its history entry (R31)."""
    code = "12345678" if provider_id == A else "87654321"
    provider = make_provider(provider_id=provider_id, agb_code=code)
    provider = provider.model_copy(update={"version": version})
    change = SettingsVersion(
        provider_id,
        version,
        "operator-1",
        "operators",
        NOON,
        (FieldChange("name", None, provider.name),),
    )
    store.save_provider(provider, change, codes_before=frozenset({code} if version > 1 else ()))
    return change


def refund_sent() -> TransferBatch:
    transfer = BatchTransfer("RF-1.1", A, "NL39RABO0300065264", "A. Visser", 1_250, "kenmerk")
    proposed = TransferBatch(
        batch_id="RF-20261130-000001",
        kind=BatchKind.REFUND,
        week="",
        transfers=(transfer,),
        steps=(Step("proposed", "operator-anna", NOON),),
    )
    approved = approve(proposed, "operator-anna", NOON, second_approval_above_cents=10_000)
    return sent(approved, "refunds/2026-11-30/RF-20261130-000001.xml", "operator-anna", NOON)


def payout_proposed() -> TransferBatch:
    return TransferBatch(
        batch_id="PO-2026-W48",
        kind=BatchKind.PAYOUT,
        week="2026-W48",
        transfers=(),
        steps=(Step("proposed", "schedule", NOON),),
    )
