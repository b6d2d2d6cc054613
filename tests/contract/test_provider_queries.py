"""ProviderStore: what the provider API reads — one action, an invoice's actions, the
invoice list with its filters and full pages, the weekly statements (R23, R24, R26)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.invoices.listing import InvoiceFilter
from billing_core.invoices.payment_status import PaymentStatus
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.ports import ConcurrentChange, InvalidPosition
from billing_core.providers.actions import ActionKind, ActionState, handover_action_id
from billing_core.providers.week import Week
from tests.contract.dynamodb_answers import stop_after_one_item_as_dynamodb_does_at_1_mb
from tests.contract.samples import NOON, A, B, action, invoice, stored
from tests.contract.test_declarations_and_providers import totals
from tests.unit.fake_store import action_key


def paid_in_full(store, number):
    """Invoice ``number`` of practice A paid, saved as the use cases save it."""
    unpaid = store.get_invoice(A, f"inv-{number}")
    payment = IncomingPayment("bank", f"pay-{number}", unpaid.amount_due_cents, NOON)
    store.save_invoice(apply_payment(unpaid, payment))


def ids(invoices):
    return [i.invoice_id for i in invoices]


def test_one_action_is_found_by_its_id_and_only_by_its_own_practice(store):
    store.add_action(action("objection-7"))
    assert store.get_action(A, "objection-7") == action("objection-7")
    assert store.get_action(B, "objection-7") is None
    assert store.get_action(A, "objection-8") is None


def test_the_practice_marks_an_action_done_and_open_again(store):
    store.add_action(action("objection-7"))
    read = store.get_action(A, "objection-7")
    done = store.set_action_state(read, ActionState.DONE, NOON.date())
    assert done == action("objection-7").done()
    assert store.get_action(A, "objection-7") == done
    # R26: another practice's action of the same id is not there for it
    assert (
        store.set_action_state(replace(done, provider_id=B), ActionState.OPEN, NOON.date()) is None
    )
    assert store.get_action(A, "objection-7") == done
    assert store.set_action_state(done, ActionState.OPEN, NOON.date()).state is ActionState.OPEN


def test_r28_a_state_set_from_a_read_another_change_overtook_is_refused(store):
    """R23, R28: one conditional write, on condition the action is in the state it was
    read in. Given an open action two staff members read, when one sets it done, then
    the other's write from its read (open again) is refused as a concurrent change and
    the action stays done; a write of the state it has meanwhile is done already."""
    store.add_action(action("objection-7"))
    by_one = by_other = store.get_action(A, "objection-7")
    done = store.set_action_state(by_one, ActionState.DONE, NOON.date())

    with pytest.raises(ConcurrentChange):
        store.set_action_state(by_other, ActionState.OPEN, NOON.date())
    assert store.get_action(A, "objection-7") == done
    assert store.set_action_state(by_other, ActionState.DONE, NOON.date()) == done


def test_r28_setting_the_state_keeps_what_another_change_wrote_meanwhile(store):
    """Only the state is written: a decision written on the action since it was read
    (decide_action) stays."""
    store.add_action(action("coulance-1", kind=ActionKind.COULANCE_PROPOSAL))
    read = store.get_action(A, "coulance-1")
    decided = replace(read, details={**read.details, "decision": "apply"})
    store.decide_action(decided)

    assert store.set_action_state(read, ActionState.OPEN, NOON.date()) == decided
    assert store.get_action(A, "coulance-1") == decided


def test_an_action_removed_since_it_was_read_is_not_written_back(store):
    """legal-nl.md §8: the table's TTL removed the action between the practice's read and
    its write; the write finds nothing (None) and brings nothing back."""
    store.add_action(action("objection-7"))
    read = store.get_action(A, "objection-7")
    removed_by_ttl(store, read)

    assert store.set_action_state(read, ActionState.DONE, NOON.date()) is None
    assert store.get_action(A, "objection-7") is None and store.list_actions(A) == []


def removed_by_ttl(store, one):
    """What DynamoDB's TTL does to the item; on the fake, the action is gone."""
    if isinstance(store, BillingRepository):
        store._table.delete_item(Key=keys.action_key(one.provider_id, one.action_id))
    else:
        del store.actions[action_key(one)]


def test_the_handovers_of_a_week_are_read_by_their_days_and_practice(store):
    """Issue 16: the overview counts this week's handovers (R19, R23) by a key range."""

    def handover(day, invoice_number, provider_id=A):
        action_id = handover_action_id(date(2026, 11, day), f"inv-{invoice_number}")
        kind = ActionKind.COLLECTION_HANDOVER
        return action(action_id, provider_id, kind=kind, invoice_id=f"inv-{invoice_number}")

    for one in (handover(22, 1), handover(23, 2), handover(29, 3), handover(30, 4)):
        store.add_action(one)
    store.add_action(handover(24, 9, B))
    store.add_action(action("objection-7"))
    found = store.handovers_between(A, date(2026, 11, 23), date(2026, 11, 29))
    assert [a.invoice_id for a in found] == ["inv-2", "inv-3"]
    assert (
        store.handovers_between(B, date(2026, 11, 23), date(2026, 11, 29))[0].invoice_id == "inv-9"
    )


def test_an_invoice_page_reads_only_that_invoices_actions(store):
    store.add_action(action("a1", invoice_id="inv-1"))
    store.add_action(action("a2", invoice_id="inv-2"))
    store.add_action(action("a3", invoice_id="inv-1", created_at=NOON.replace(hour=13)))
    store.add_action(action("b1", B, invoice_id="inv-1"))
    assert [a.action_id for a in store.invoice_actions(A, "inv-1")] == ["a1", "a3"]
    assert store.invoice_actions(B, "inv-2") == []


def test_an_actions_list_reads_the_patient_numbers_of_its_practice_s_invoices(store):
    """R32 (access52): the actions list's read names the patients of its invoices. Given
    101 invoices of practice A (more than one BatchGetItem takes) and one of B, When their
    numbers are asked for A, an id twice, one A does not have and B's, Then each of A's
    comes once by its id, never B's."""
    stored(store, *(invoice(n, patient_ref=f"P-{n}") for n in range(1, 102)))
    stored(store, invoice(500, B, patient_ref="P-B"))
    asked = [*(f"inv-{n}" for n in range(1, 102)), "inv-1", "inv-404", "inv-500"]
    numbers = store.patient_numbers(A, asked)
    assert numbers == {f"inv-{n}": f"P-{n}" for n in range(1, 102)}
    assert store.patient_numbers(A, []) == {}


def test_a_list_reads_the_invoices_it_does_not_show_in_one_go_of_its_practice_only(store):
    """R19, R35, R26 (portallist54: the list says a final notice waits when the letter's
    other invoice, not on its page, carries it). Given 101 invoices of practice A (more
    than one BatchGetItem takes) and one of B, When A asks for them, an id twice, one A
    does not have and B's, Then each of A's comes once, as a GetItem reads it, never B's."""
    stored(store, *(invoice(n) for n in range(1, 102)))
    stored(store, invoice(500, B))
    asked = [*(f"inv-{n}" for n in range(1, 102)), "inv-1", "inv-404", "inv-500"]
    read = store.get_invoices(A, asked)
    assert sorted(ids(read)) == sorted(f"inv-{n}" for n in range(1, 102))
    assert next(i for i in read if i.invoice_id == "inv-7") == store.get_invoice(A, "inv-7")
    assert store.get_invoices(A, []) == []


def test_the_invoice_list_is_newest_first_and_every_page_but_the_last_is_full(store):
    # Given seven invoices over seven days, three of them paid, and one of another practice
    stored(store, *(invoice(n, issue_date=date(2026, 11, n)) for n in range(1, 8)))
    stored(store, invoice(9, B, issue_date=date(2026, 11, 5)))
    for number in (2, 4, 6):
        paid_in_full(store, number)
    # When the practice lists its paid invoices two at a time
    paid = InvoiceFilter(payment_status=PaymentStatus.PAID)
    first, after = store.list_invoices(A, paid, limit=2)
    second, last = store.list_invoices(A, paid, limit=2, after=after)
    # Then the pages are full until the last, newest first, and the last has no position
    assert (ids(first), ids(second), last) == (["inv-6", "inv-4"], ["inv-2"], None)
    # And the open ones, the ones of a period and of a patient are filtered alike
    open_ones, _ = store.list_invoices(A, InvoiceFilter(payment_status=PaymentStatus.OPEN))
    assert ids(open_ones) == ["inv-7", "inv-5", "inv-3", "inv-1"]
    period = InvoiceFilter(issued_from="2026-11-03", issued_until="2026-11-04")
    assert ids(store.list_invoices(A, period)[0]) == ["inv-4", "inv-3"]
    assert store.list_invoices(A, InvoiceFilter(patient_ref="nobody"))[0] == []
    assert ids(store.list_invoices(B)[0]) == ["inv-9"]


def test_the_invoice_list_of_a_patient_number_holds_it_with_and_without_leading_zeros(store):
    """R40, R35 (round 40: an all-digit patient_ref read without its leading zeros): a
    patient's invoices stored before under "0001001" and since under "1001" are one
    patient's list, typed either way; "10010", "01001x" and "P-1001" are other patients.
    Both stores alike: DynamoDB's filter names the forms, the Python judgement strips."""
    refs = {1: "0001001", 2: "1001", 3: "01001", 4: "10010", 5: "01001x", 6: "P-1001"}
    stored(store, *(invoice(n, patient_ref=ref) for n, ref in refs.items()))
    stored(store, invoice(9, B, patient_ref="1001"))
    for typed in ("1001", "0001001", "00000000001001"):
        listed = store.list_invoices(A, InvoiceFilter(patient_ref=typed))[0]
        assert sorted(ids(listed)) == ["inv-1", "inv-2", "inv-3"], typed
    assert ids(store.list_invoices(A, InvoiceFilter(patient_ref="P-1001"))[0]) == ["inv-6"]
    assert ids(store.list_invoices(A, InvoiceFilter(patient_ref="01001x"))[0]) == ["inv-5"]
    assert ids(store.list_invoices(A, InvoiceFilter(patient_ref="1" * 64))[0]) == []


def test_the_invoice_list_of_one_upload_holds_its_invoices_and_only_those(store):
    """R2, R35 (audit interfaces INTERFACES4): an upload's report lists the invoices it
    issued. Given two uploads of the same day whose invoices interleave, and a practice B
    invoice of the first upload's id, when the practice lists the first upload's invoices
    two at a time, then it gets exactly its three, in full pages, newest first."""
    day = date(2026, 11, 23)
    first = [invoice(n, issue_date=day, declaration_id="D1") for n in (1, 3, 5)]
    second = [invoice(n, issue_date=day, declaration_id="D2") for n in (2, 4, 6)]
    stored(store, *first, *second, invoice(9, B, issue_date=day, declaration_id="D1"))
    of_first = InvoiceFilter(declaration_id="D1", issued_from="2026-11-23")
    page, after = store.list_invoices(A, of_first, limit=2)
    rest, last = store.list_invoices(A, of_first, limit=2, after=after)
    assert (ids(page), ids(rest), last) == (["inv-5", "inv-3"], ["inv-1"], None)


def test_the_invoice_list_finds_a_patient_by_name_as_typed_within_a_period(store):
    """Issue 16, R35: case and accents do not matter; each word begins a name word."""
    # Given invoices of Çelik, De Vries and a debtor Çelik of a minor, and one of practice B
    celik = replace(invoice(1).patient, initials="A.", name_prefix="", last_name="Çelik")
    vries = replace(celik, initials="J.", name_prefix="de", last_name="Vries")
    stored(
        store,
        invoice(1, patient=celik, issue_date=date(2026, 11, 1)),
        invoice(2, patient=vries, issue_date=date(2026, 11, 2)),
        invoice(3, patient=vries, debtor=celik, issue_date=date(2026, 11, 3)),
        invoice(9, B, patient=celik, issue_date=date(2026, 11, 3)),
    )
    # When the practice searches as people type
    found = {
        typed: ids(store.list_invoices(A, InvoiceFilter(patient_name=typed))[0])
        for typed in ("celik", "CEL", "de vries", "vrie j", "elik", "Vries Çelik")
    }
    # Then the names match from a word's start, whatever case or accents, its own only
    assert found == {
        "celik": ["inv-3", "inv-1"],
        "CEL": ["inv-3", "inv-1"],
        "de vries": ["inv-3", "inv-2"],
        "vrie j": ["inv-3", "inv-2"],
        "elik": [],
        "Vries Çelik": ["inv-3"],
    }
    # And the period and the other filters narrow it further
    period = InvoiceFilter(patient_name="celik", issued_from="2026-11-02")
    assert ids(store.list_invoices(A, period)[0]) == ["inv-3"]
    paid = InvoiceFilter(patient_name="celik", payment_status=PaymentStatus.PAID)
    assert store.list_invoices(A, paid)[0] == []


def test_a_full_last_page_is_followed_by_an_empty_one_or_none(store):
    stored(store, *(invoice(n, issue_date=date(2026, 11, n)) for n in range(1, 5)))
    first, after = store.list_invoices(A, limit=2)
    second, last = store.list_invoices(A, limit=2, after=after)
    assert (ids(first), ids(second), last) == (["inv-4", "inv-3"], ["inv-2", "inv-1"], None)


@pytest.mark.parametrize(
    "forged",
    [
        "2026-11-03#PROVIDER#tandarts-b#INVOICE#inv-9",  # a key of another tenant
        "~",  # past every position: DynamoDB refuses it, moto would not
        "2026-10-01#inv-1",  # before the period asked for
        "2026-12-01#inv-1",  # after it
    ],
)
def test_a_forged_or_foreign_position_is_refused_before_a_read(store, forged):
    """Issue 13.10: a decoded cursor must be a position this list hands out, within the
    issue dates asked for; the store refuses anything else (R26)."""
    stored(store, *(invoice(n, issue_date=date(2026, 11, n)) for n in range(1, 5)))
    period = InvoiceFilter(issued_from="2026-11-01", issued_until="2026-11-30")
    with pytest.raises(InvalidPosition):
        store.list_invoices(A, period, limit=2, after=forged)


def test_weekly_statements_are_listed_newest_week_first_and_per_practice(store):
    weeks = [Week.of(date(2026, 11, day)) for day in (9, 16, 23, 30)]
    for week in weeks:
        store.put_retrocession(replace(totals(A, 9_400), week=week))
    store.put_retrocession(replace(totals(B, 9_400), week=weeks[0]))
    labels = [s.week.label for s in store.list_retrocessions(A, limit=2)]
    older = [s.week.label for s in store.list_retrocessions(A, limit=2, before=weeks[2])]
    assert labels == ["2026-W49", "2026-W48"]
    assert older == ["2026-W47", "2026-W46"]
    assert [s.provider_id for s in store.list_retrocessions(B)] == [B]


def test_a_list_of_statements_that_dynamodb_cut_at_1_mb_reads_on(store):
    """R24, R35 (debt59b): DynamoDB ends a Query's answer at 1 MB, before its Limit, with
    the key where it stopped. Given four weekly statements and a table that answers each
    Query with one item and that key / When the practice asks for two, then for two
    before week 48 / Then both pages hold two weeks, newest first; before, the first held
    one week and the second none (week 48 itself, the one item read, is not before it):
    the list of statements ended there."""
    weeks = [Week.of(date(2026, 11, day)) for day in (9, 16, 23, 30)]
    for week in weeks:
        store.put_retrocession(replace(totals(A, 9_400), week=week))
    stop_after_one_item_as_dynamodb_does_at_1_mb(store)
    labels = [s.week.label for s in store.list_retrocessions(A, limit=2)]
    older = [s.week.label for s in store.list_retrocessions(A, limit=2, before=weeks[2])]
    assert (labels, older) == (["2026-W49", "2026-W48"], ["2026-W47", "2026-W46"])
