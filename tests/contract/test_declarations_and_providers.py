"""BillingStore: upload records, the kenmerk sequence, provider settings; the retrocession's
providers and weekly totals (R1, R10, R24, R26)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from billing_core.declarations.record import DeclarationStatus
from billing_core.declarations.rules.insurers import parse_register_csv
from billing_core.declarations.rules.register_loads import RegisterLoad
from billing_core.ports import (
    AgbCodeTaken,
    ConcurrentChange,
    InvalidPosition,
    TransactionConflict,
    UnreadableProvider,
)
from billing_core.providers.listing import ProviderListing
from billing_core.providers.retrocession import StatementSummary
from billing_core.providers.settings_history import FieldChange, SettingsVersion
from billing_core.providers.user_changes import UserChange, UserChangeKind
from billing_core.providers.week import Week
from billing_core.shared.clock import AMSTERDAM
from tests.contract.dynamodb_answers import stop_after_one_item_as_dynamodb_does_at_1_mb
from tests.contract.samples import NOON, A, B, declaration, plant_unreadable_provider
from tests.unit.factories import make_provider
from tests.unit.fake_store import UNREADABLE_REASON

W48 = Week.of(date(2026, 11, 23))


def test_an_upload_record_reads_back_and_a_put_replaces_it(store):
    received = declaration("D1")
    store.put_declaration(received)
    assert store.get_declaration(A, "D1") == received
    processed = received.with_status(
        DeclarationStatus.PROCESSED,
        processed_at=NOON,
        outcome="accepted",
        summary={"invoices_created": 2},
        report_key="reports/tandarts-de-vries/D1.json",
        reference_block_start=40,
        reference_block_size=2,
    )
    store.put_declaration(processed)
    assert store.get_declaration(A, "D1") == processed


def test_only_the_first_object_version_of_an_upload_is_started(store):
    """Issue 13 item 1: the first version that starts an upload owns it; the same version
    again (a redelivered S3 event) starts again, another version never does."""
    # Given an upload awaiting its file, started by version v1
    store.put_declaration(declaration("D1"))
    first = declaration("D1", status=DeclarationStatus.PROCESSING, object_version="v1")
    assert store.start_declaration_version(first) is True
    # When v1 starts again, then v2 tries
    assert store.start_declaration_version(first) is True
    second = declaration("D1", status=DeclarationStatus.PROCESSING, object_version="v2")
    assert store.start_declaration_version(second) is False
    # Then the record is v1's
    assert store.get_declaration(A, "D1") == first


def test_a_retour_file_applied_is_remembered_once_per_practice(store):
    """R3, R5: given a retour file's content applied completely by upload R1, then the
    first upload that applied it stays (a second mark changes nothing and says so), it
    reads back with its day, and another practice's same bytes are not remembered."""
    digest = "ab" * 32
    assert store.retour_applied(A, digest) is None
    assert store.mark_retour_applied(A, digest, "R1", NOON) is True
    assert store.mark_retour_applied(A, digest, "R2", NOON.replace(hour=13)) is False
    assert store.retour_applied(A, digest) == ("R1", NOON)
    assert store.retour_applied(B, digest) is None


def test_an_upload_without_a_record_is_started_by_its_first_version(store):
    first = declaration("D9", status=DeclarationStatus.PROCESSING, object_version="v1")
    assert store.start_declaration_version(first) is True
    assert store.get_declaration(A, "D9") == first


def test_another_practice_never_sees_the_upload(store):
    """R26: the practice is part of the key."""
    store.put_declaration(declaration("D1"))
    assert store.get_declaration(B, "D1") is None
    assert store.get_declaration(A, "D2") is None
    assert store.list_declarations(B) == ([], None)


def test_uploads_are_listed_newest_first_page_by_page(store):
    # Given five uploads of practice A (ids sort by time) and one of B
    for number in (3, 1, 5, 2, 4):
        store.put_declaration(declaration(f"2026112{number}-x"))
    store.put_declaration(declaration("20261126-x", B))
    # When A pages through them two at a time
    first, after = store.list_declarations(A, limit=2)
    second, after_second = store.list_declarations(A, limit=2, after=after)
    last, end = store.list_declarations(A, limit=2, after=after_second)
    # Then newest first, every upload once, and the last page says there is no more
    pages = [[d.declaration_id for d in page] for page in (first, second, last)]
    assert pages == [["20261125-x", "20261124-x"], ["20261123-x", "20261122-x"], ["20261121-x"]]
    assert (after, after_second, end) == ("20261124-x", "20261122-x", None)


def test_a_full_last_page_of_uploads_says_there_is_no_more(store):
    """R35, R1 (closing 14: "a list of exactly 50·k uploads ends in an empty page"): Given
    four uploads / When the practice pages through them two at a time / Then the second
    page is the last and gives no position: no link to a page with nothing on it."""
    for number in range(1, 5):
        store.put_declaration(declaration(f"2026112{number}-x"))
    _stop_at_the_limit_as_dynamodb_does(store)
    first, after = store.list_declarations(A, limit=2)
    second, end = store.list_declarations(A, limit=2, after=after)
    assert [len(first), len(second), end] == [2, 2, None]
    # And a list of exactly one page has no next one either
    assert store.list_declarations(A, limit=4)[1] is None


def test_a_page_of_uploads_that_dynamodb_cut_at_1_mb_reads_on(store):
    """R35, R1 (debt59): DynamoDB ends a Query's answer at 1 MB, before its Limit, with
    the key where it stopped. Given three uploads and a table that answers each Query
    with one item and that key / When the practice asks for a page of two / Then the
    page holds two, newest first, and the position of the second; before, it held one
    and no position: the list of uploads ended there, two short."""
    for number in range(1, 4):
        store.put_declaration(declaration(f"2026112{number}-x"))
    stop_after_one_item_as_dynamodb_does_at_1_mb(store)
    page, after = store.list_declarations(A, limit=2)
    assert ([d.declaration_id for d in page], after) == (
        ["20261123-x", "20261122-x"],
        "20261122-x",
    )
    rest, end = store.list_declarations(A, limit=2, after=after)
    assert ([d.declaration_id for d in rest], end) == (["20261121-x"], None)


def _stop_at_the_limit_as_dynamodb_does(store):
    """DynamoDB answers a Query that stopped at its Limit with a LastEvaluatedKey, more
    items after it or not; moto gives none when the Limit's last item is the last. On
    moto, the adapter's table is made to answer as DynamoDB does."""
    table = getattr(store, "_table", None)
    if table is None:
        return
    query = table.query

    def as_dynamodb(**asked):
        answer = query(**asked)
        if "Limit" in asked and len(answer["Items"]) == asked["Limit"]:
            last = answer["Items"][-1]
            answer.setdefault("LastEvaluatedKey", {"pk": last["pk"], "sk": last["sk"]})
        return answer

    store._table = type("AtTheLimit", (), {"query": staticmethod(as_dynamodb)})()


def test_a_position_from_another_practice_only_pages_within_ones_own(store):
    """R26: a cursor is rebuilt with the asking practice's id."""
    store.put_declaration(declaration("D1"))
    store.put_declaration(declaration("D3", B))
    page, _ = store.list_declarations(A, after="D3")
    assert [d.declaration_id for d in page] == ["D1"]


def test_a_position_that_is_no_upload_id_is_refused(store):
    """Issue 13.10: only a declaration id is an upload list position."""
    store.put_declaration(declaration("D1"))
    with pytest.raises(InvalidPosition):
        store.list_declarations(A, after="D1#PROVIDER#other")


def test_kenmerk_numbers_are_reserved_in_blocks_that_never_overlap(store):
    """R10: each upload reserves its block of sequence numbers in one request."""
    first = store.reserve_references(3)
    second = store.reserve_references(2)
    assert (first, second, store.reserve_references(1)) == (0, 3, 5)


def saved(store, provider, version=1, **changes):
    """The provider as version ``version``, written with its history entry."""
    stored = provider.model_copy(update={"version": version})
    change = SettingsVersion(
        provider.provider_id,
        version,
        "operator-1",
        "operators",
        NOON,
        tuple(FieldChange(k, v[0], v[1]) for k, v in changes.items()),
    )
    store.save_provider(stored, change)
    return stored, change


def test_provider_settings_read_back_fresh_and_cached(store):
    # Given a practice nobody asked for yet
    dental = make_provider(service_fee_percentage=Decimal("4.25"))
    assert store.cached_provider(A) is None
    # When its settings are stored
    stored, _ = saved(store, dental)
    # Then both reads give them, even the cached one that saw nothing before
    assert store.get_provider(A) == stored
    assert store.cached_provider(A) == stored
    assert store.get_provider(B) is None


def test_the_weekly_run_lists_every_practice_by_id(store):
    """R24: a Query on the by-provider index, not a scan."""
    physio, _ = saved(store, make_provider(provider_id=B, agb_code="04000002"))
    dental, _ = saved(store, make_provider())
    assert store.list_providers() == [physio, dental]
    assert store.readable_providers() == ProviderListing([physio, dental])


def test_the_providers_are_listed_a_page_at_a_time_by_id(store):
    """R31, interfaces.md §6 (refunds53b: the operator's list read every practice at once,
    near Lambda's 6 MB answer at thousands): Given four providers, one of whose settings
    no longer validate
    When they are read two a page from the previous page's position
    Then each comes once, by id, the unreadable one by its id in its place; only a page
    with a provider after it gives a position, and a position that is no provider id
    is refused before any read."""
    # Given
    ids = ["fysio-a", "fysio-b", "fysio-d"]
    made = [
        saved(store, make_provider(provider_id=i, agb_code=f"0400000{n}"))[0]
        for n, i in enumerate(ids, 1)
    ]
    plant_unreadable_provider(store, "fysio-c")
    # When
    first = store.provider_page(2)
    second = store.provider_page(2, after=first.next_position)
    # Then
    assert first == ProviderListing(made[:2], (), "fysio-b")
    assert second == ProviderListing(made[2:], ("fysio-c",), None)
    assert store.provider_page(4) == ProviderListing(made, ("fysio-c",), None)
    with pytest.raises(InvalidPosition):
        store.provider_page(2, after="PROVIDER#fysio-a")


def test_a_malformed_provider_item_is_named_not_a_failure_of_the_list(store):
    """R31, issue 14 item 7: a legacy settings item that no longer validates is listed by
    id next to the readable ones, and reading it alone says which provider it is."""
    dental, _ = saved(store, make_provider())
    plant_unreadable_provider(store, "legacy-praktijk")
    assert store.readable_providers() == ProviderListing([dental], ("legacy-praktijk",))
    with pytest.raises(UnreadableProvider) as unreadable:
        store.get_provider("legacy-praktijk")
    assert unreadable.value.provider_id == "legacy-praktijk"
    assert (unreadable.value.version, unreadable.value.reason) == (0, UNREADABLE_REASON)


def test_an_unreadable_provider_item_is_replaced_on_its_stored_version_only(store):
    """R31, audit onboarding D10: the version attribute of an item that no longer validates
    is read without the rest, and an operator's replacement is written on condition of it."""
    # Given a legacy item stored as version 3 that no longer validates
    plant_unreadable_provider(store, A, version=3)
    with pytest.raises(UnreadableProvider) as unreadable:
        store.get_provider(A)
    assert unreadable.value.version == 3
    # When a replacement of another version is written, then of version 3
    with pytest.raises(ConcurrentChange):
        saved(store, make_provider(), 3)
    with pytest.raises(ConcurrentChange):
        saved(store, make_provider(), 1)
    replacement, _ = saved(store, make_provider(), 4)
    # Then only the one of version 3 replaced it, and it reads and is listed again
    assert store.get_provider(A) == replacement
    assert store.readable_providers() == ProviderListing([replacement])


def test_an_unreadable_provider_item_without_a_version_is_replaced_as_version_1(store):
    """R31, audit onboarding D10: an item whose version does not read is replaced on
    version 0 (UnreadableProvider.version), as if nothing were stored; once replaced, a
    second version 1 is a conflict again."""
    plant_unreadable_provider(store, A)
    replacement, _ = saved(store, make_provider(), 1)
    assert store.get_provider(A) == replacement
    with pytest.raises(ConcurrentChange):
        saved(store, make_provider(payment_term_days=14), 1)
    assert store.get_provider(A) == replacement


def test_an_agb_code_is_held_by_the_save_that_adds_it_until_the_save_that_drops_it(store):
    """interfaces.md §6 (one owner per AGB code), R31: the claim is part of the settings'
    write, so a second provider's save of the code fails whole, whatever it read before."""
    # Given practice A saved with its code 12345678
    dental, _ = saved(store, make_provider())
    # When practice B is saved with that code too
    with pytest.raises(AgbCodeTaken) as taken:
        saved(store, make_provider(provider_id=B))
    # Then it is refused naming A, and nothing of B is written
    assert (taken.value.code, taken.value.holder) == ("12345678", A)
    assert store.get_provider(B) is None and store.provider_history(B) == []
    # When A saves version 2 with another code, and B is saved with A's old code
    moved = make_provider(agb_code="04000001").model_copy(update={"version": 2})
    store.save_provider(moved, saved_change(2), codes_before=dental.all_agb_codes)
    physio, _ = saved(store, make_provider(provider_id=B))
    # Then B holds it, and A cannot take it back
    assert store.get_provider(B) == physio
    back = make_provider().model_copy(update={"version": 3})
    with pytest.raises(AgbCodeTaken):
        store.save_provider(back, saved_change(3), codes_before=moved.all_agb_codes)
    assert store.get_provider(A) == moved


def saved_change(version: int) -> SettingsVersion:
    return SettingsVersion(A, version, "operator-1", "operators", NOON, ())


def test_each_settings_version_is_written_on_condition_of_the_one_it_replaces(store):
    """R31, R28: a second create, and a stale edit, change nothing."""
    _, first = saved(store, make_provider(), 1, name=(None, "Tandartspraktijk De Vries"))
    second_provider, second = saved(
        store, make_provider(payment_term_days=14), 2, payment_term_days=(30, 14)
    )
    with pytest.raises(ConcurrentChange):
        saved(store, make_provider(payment_term_days=60), 2)
    with pytest.raises(ConcurrentChange):
        saved(store, make_provider(), 1)
    assert store.get_provider(A) == second_provider
    assert store.provider_history(A) == [first, second]
    assert store.provider_history(B) == []


def test_the_weeks_totals_read_back_and_a_rebuilt_week_replaces_them(store):
    first = totals(A, payout_cents=9_500)
    store.put_retrocession(first)
    store.put_retrocession(totals(B, payout_cents=1))
    assert store.get_retrocession(A, W48) == first
    store.put_retrocession(totals(A, payout_cents=9_400))
    assert store.get_retrocession(A, W48) == totals(A, payout_cents=9_400)
    assert store.get_retrocession(A, Week.of(date(2026, 11, 30))) is None


def totals(provider_id: str, payout_cents: int) -> StatementSummary:
    return StatementSummary(
        provider_id=provider_id,
        week=W48,
        service_fee_percentage=Decimal("5"),
        entries=3,
        invoices=2,
        received_cents=10_000,
        refunded_cents=0,
        service_fee_cents=500,
        payout_cents=payout_cents,
        totals_by_kind={"payment": 10_000},
        json_sha256="0" * 64,
    )


def test_insurer_register_versions_read_back_and_a_version_is_written_once(store):
    """R33: an operator's version is stored whole; the same version twice is a conflict."""
    header = "uzovi;name;group;labels;valid_from;source\n"
    first = parse_register_csv(header + "9664;CZ groep;CZ;CZ|OHRA;2027-01-01;https://a\n", 1)
    second = parse_register_csv(header + "7029;DSW;DSW;;2027-01-01;https://b\n", 2)
    store.put_insurer_register(second, revision=0)
    store.put_insurer_register(first, revision=1)
    assert store.insurer_registers() == [first, second]
    with pytest.raises(TransactionConflict):
        store.put_insurer_register(first, revision=2)


def test_a_register_load_is_stored_only_on_the_register_its_checks_read(store):
    """R28 (a write on condition of what was read), R33, audit register2: two operators
    loading versions of different dates at once both got 201, the later one built without
    the other's insurer.
    Given no load yet Then the register reads as no versions at revision 0 (the shipped
    version has no head item)
    When a version is stored at revision 0 Then it reads back at revision 1
    When another version, of another date, is stored on the revision read before (0)
    Then it is a TransactionConflict and nothing of it is stored
    When it is stored at revision 1 Then both read back, at revision 2
    And a version that exists already is a conflict that leaves the revision at 2."""
    header = "uzovi;name;group;labels;valid_from;source\n"
    june = parse_register_csv(header + "3777;Derde;Nieuw;;2026-06-01;https://a\n", 1)
    september = parse_register_csv(header + "9664;CZ groep;CZ;;2026-09-01;https://b\n", 1)
    assert store.insurer_registers_as_read() == ([], 0)
    store.put_insurer_register(june, revision=0)
    assert store.insurer_registers_as_read() == ([june], 1)
    with pytest.raises(TransactionConflict):
        store.put_insurer_register(september, revision=0)
    assert store.insurer_registers_as_read() == ([june], 1)
    assert store.insurer_registers() == [june]
    store.put_insurer_register(september, revision=1)
    assert store.insurer_registers_as_read() == ([june, september], 2)
    with pytest.raises(TransactionConflict):
        store.put_insurer_register(june, revision=2)
    assert store.insurer_registers_as_read() == ([june, september], 2)


def test_who_loaded_a_register_version_reads_back_with_it(store):
    """R33, R31: a version loaded with who loaded it, when, the codes it drops and the
    codes confirmed to end at the later version (later_drops) and those confirmed in
    another group (group_changes; R6) reads back so; one stored without it, or unknown,
    has none."""
    header = "uzovi;name;group;labels;valid_from;source\n"
    loaded = parse_register_csv(header + "9664;CZ groep;CZ;;2027-01-01;https://a\n", 1)
    bare = parse_register_csv(header + "7029;DSW;DSW;;2027-01-01;https://b\n", 2)
    at = datetime(2026, 12, 1, 9, 30, tzinfo=AMSTERDAM)
    load = RegisterLoad(
        loaded.version, "operator-sub-1", at, ("3358", "7029"), ("3999",), ("7095",)
    )
    store.put_insurer_register(loaded, load, revision=0)
    store.put_insurer_register(bare, revision=1)
    assert store.insurer_register_load(loaded.version) == load
    assert store.insurer_register_load(bare.version) is None
    assert store.insurer_register_load("2030-01-01.1") is None


def test_user_changes_read_back_oldest_first_per_practice(store):
    """R31, R32: who changed a practice's users, when and what; two of one moment kept
    apart in the order they were written; another practice's list holds none of them."""
    invited = UserChange(
        provider_id=A,
        changed_by="operator-1",
        role="operators",
        changed_at=NOON,
        kind=UserChangeKind.INVITED,
        user_id="user-1",
        email="balie@example.org",
        role_before=None,
        role_after="staff",
        enabled_before=None,
        enabled_after=True,
    )
    demoted = replace(
        invited,
        changed_by="admin-1",
        role="admin",
        kind=UserChangeKind.ROLE_CHANGED,
        role_before="staff",
        role_after="viewer",
        enabled_before=True,
    )
    store.record_user_change(invited)
    store.record_user_change(demoted)
    assert store.user_changes(A) == [invited, demoted]
    assert store.user_changes(B) == []
