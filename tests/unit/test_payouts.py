"""The weekly payout to the practices: proposed, four eyes, the bank's file, the bank's side
(issue 19, R24, R34)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing_core.payments.transfer_batches import BankState, BatchState
from billing_core.providers.actions import ActionKind
from billing_core.providers.payouts import payout_state
from billing_core.providers.retrocession import with_payout
from billing_core.providers.settings_history import SettingsVersion
from billing_core.services.operator.money_out import get_batch, propose_week
from billing_core.shared.audit import Reader
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import NotFound, Refused
from billing_core.shared.retries import KEY_LIFETIME, KeyReused, RequestCause
from tests.unit.faults import Killed
from tests.unit.money_out_world import (
    FIRST_WEEK,
    FOUR_EYES_ABOVE,
    PAIN_001,
    MoneyOutWorld,
    assert_every_statement_paid_once,
    crash_on_saving_as_sent,
    executed,
    returned,
)

W45, W46, W47 = FIRST_WEEK, FIRST_WEEK.following(), FIRST_WEEK.following().following()
TUESDAY = date(2026, 11, 10)


@pytest.fixture
def world() -> MoneyOutWorld:
    world = MoneyOutWorld()
    for provider_id in ("fysio-noord", "tandarts-zuid", "logo-west"):
        world.add_practice(provider_id)
    world.monday_after(W45)
    return world


def test_a_positive_payout_is_proposed_a_negative_one_carried_a_late_one_waits(world):
    # Given W45's statements: one practice is owed money, one owes, one has no statement yet
    world.statements(W45, {"fysio-noord": 123_456, "tandarts-zuid": -2_500})
    # When the Monday run proposes the batch
    batch = world.propose(W45)
    # Then one transfer pays the practice owed money, to its payout account, quoting the week
    assert batch.state is BatchState.PROPOSED and batch.batch_id == "PO-2026-W45"
    [transfer] = batch.transfers
    assert (transfer.provider_id, transfer.amount_cents, transfer.iban) == (
        "fysio-noord",
        123_456,
        "NL39RABO0300065264",
    )
    assert transfer.name == "Praktijk fysio-noord B.V."
    assert "2026-W45" in transfer.remittance and transfer.end_to_end_id in transfer.remittance
    # And the negative payout is carried, never debited; the late practice waits
    assert batch.settlement("tandarts-zuid").carried_out_cents == -2_500
    assert batch.waiting == ("logo-west",)
    # And nothing goes to the bank before an operator approves
    assert world.files.files == {}


def test_r24_an_operator_cannot_propose_a_week_before_its_run_wrote_the_statements(world):
    """R24, R34 (audit59e): an operator's POST /payouts of the week still running made its
    batch with every practice waiting; the Monday run then found the week's batch there and
    paid nobody, each practice paid a week late (W46's EUR 20,00 with W47's).
    Given W45 proposed, and an operator on Wednesday 11 November (W46 still running)
    When the operator proposes W46, then again on Monday 16 November at 04:30, before the run
    Then both are refused with what to do, and no batch of W46 exists
    And the run's batch after the statements pays W46's EUR 20,00 that Monday."""
    world.statements(W45, {"fysio-noord": 1_000})
    world.propose(W45)
    world.clock.set(datetime(2026, 11, 11, 10, 0, tzinfo=AMSTERDAM))
    with pytest.raises(Refused) as running:
        propose_week(W46, "operator-anna", world.ctx)
    world.clock.set(datetime(2026, 11, 16, 4, 30, tzinfo=AMSTERDAM))
    with pytest.raises(Refused) as not_built:
        propose_week(W46, "operator-anna", world.ctx)
    assert (running.value.code, not_built.value.code) == (
        "payout_week_running",
        "payout_week_not_built",
    )
    assert running.value.message_en == (
        "Week 2026-W46 is still running: it has no statements yet. The retrocession run of"
        " Monday 2026-11-16 writes them and proposes the week's batch."
    )
    assert not_built.value.message_nl == (
        "Van week 2026-W46 is nog geen enkel overzicht gemaakt. Laat eerst de"
        " retrocessierun van de week lopen (as_of 2026-11-16): die maakt de overzichten"
        " en stelt de batch van de week voor."
    )
    assert world.store.get_batch("PO-2026-W46") is None
    world.statements(W46, {"fysio-noord": 2_000})
    batch = world.propose(W46)
    assert [(t.provider_id, t.amount_cents) for t in batch.transfers] == [("fysio-noord", 2_000)]
    assert batch.waiting == ("logo-west", "tandarts-zuid")
    # And once the week has its batch, an operator's proposal finds it (a retry, a replan)
    assert propose_week(W46, "operator-anna", world.ctx) == batch


def test_r24_an_operator_cannot_propose_a_week_between_two_parts_of_its_run(world):
    """R24, R34, R39 (audit59g): between two parts of the Monday run (some statements
    written), an operator's POST /payouts made the week's batch with the later practices
    waiting; the run's last part then found it, and they were paid a week late.
    Given W46's run on Monday 16 November stopped after fysio-noord's statement (its next
    part not done yet), and logo-west created on Tuesday 17 November
    When an operator proposes W46
    Then 422 payout_week_unfinished, counting 1 of the 2 practices that existed by the
    week's end, and no batch of W46 exists
    And once the last part wrote tandarts-zuid's statement, the proposal pays both and
    leaves logo-west out, as the run's batch does (not waiting for a statement no run writes)."""
    world.store.settings_history["logo-west"] = [
        SettingsVersion(
            "logo-west",
            1,
            "operator-1",
            "operators",
            datetime(2026, 11, 17, 9, 0, tzinfo=AMSTERDAM),
            (),
        )
    ]
    world.monday_after(W46)
    world.statements(W46, {"fysio-noord": 2_000})
    with pytest.raises(Refused) as unfinished:
        propose_week(W46, "operator-anna", world.ctx)
    assert unfinished.value.code == "payout_week_unfinished"
    assert unfinished.value.message_nl == (
        "Van week 2026-W46 zijn pas 1 van de 2 overzichten gemaakt: de retrocessierun"
        " (as_of 2026-11-16) is nog bezig of is gestopt. Wacht tot hij klaar is, of laat"
        " hem opnieuw lopen: hij maakt de overige overzichten en stelt de batch van de"
        " week voor."
    )
    assert unfinished.value.message_en == (
        "Only 1 of the 2 statements of week 2026-W46 have been written: the retrocession"
        " run (as_of 2026-11-16) is still going or stopped. Wait until it has finished, or"
        " run it again: it writes the other statements and proposes the week's batch."
    )
    assert world.store.get_batch("PO-2026-W46") is None
    world.statements(W46, {"tandarts-zuid": 500})
    batch = propose_week(W46, "operator-anna", world.ctx)
    assert [(t.provider_id, t.amount_cents) for t in batch.transfers] == [
        ("fysio-noord", 2_000),
        ("tandarts-zuid", 500),
    ]
    assert batch.waiting == ()


def test_reading_a_payout_batch_records_no_patient_read(world):
    """R32 is about patients' data: a payout batch holds the practices' accounts only."""
    world.statements(W45, {"fysio-noord": 100})
    batch = world.propose(W45)
    assert get_batch(batch.batch_id, Reader("operator-sub-1", "operators"), world.ctx) == batch
    assert world.audit.records == []


def test_proposing_the_same_week_again_finds_the_same_batch(world):
    world.statements(W45, {"fysio-noord": 100})
    assert world.propose(W45) == world.propose(W45)


def test_an_approved_batch_is_written_for_the_bank_and_every_step_is_recorded(world):
    # Given a proposed batch below the four-eyes total
    world.statements(W45, {"fysio-noord": 123_456, "tandarts-zuid": 7_890})
    proposed = world.propose(W45)
    # When an operator approves it
    batch = world.approve(proposed.batch_id, "operator-anna")
    # Then it is sent: a valid pain.001 with both transfers in payouts/{date}/{batch}.xml
    assert batch.state is BatchState.SENT
    assert batch.file_key == "payouts/2026-11-09/PO-2026-W45.xml"
    document = world.pain_001(batch)
    PAIN_001.validate(document)
    assert b"<CtrlSum>1313.46</CtrlSum>" in document
    assert [(s.what, s.by) for s in batch.steps] == [
        ("proposed", "schedule"),
        ("approved", "operator-anna"),
        ("sending", "operator-anna"),  # saved before the file is written (R28)
        ("sent", "operator-anna"),
    ]
    # And approving a sent batch again is refused
    with pytest.raises(Refused) as refusal:
        world.approve(batch.batch_id, "operator-bob")
    assert refusal.value.code == "batch_not_proposed"


def test_a_send_retried_on_another_day_writes_the_one_file_again_as_it_was(world):
    """R34, R38 (a retry has no second effect): approving on Monday dies after the pain.001
    is written; approving again on Tuesday sends the batch with that one file, under
    Monday's key and with Monday's execution date, not a second file dated Tuesday."""
    # Given W45's batch, approved on Monday, its file written, but not saved as sent
    world.statements(W45, {"fysio-noord": 123_456})
    batch_id = world.propose(W45).batch_id
    crash_on_saving_as_sent(world)
    with pytest.raises(Killed):
        world.approve(batch_id, "operator-anna")
    monday_file = dict(world.files.files)
    assert list(monday_file) == ["payouts/2026-11-09/PO-2026-W45.xml"]
    assert world.store.get_batch(batch_id).state is BatchState.APPROVED
    # When an operator approves it again on Tuesday
    world.clock.set(TUESDAY)
    sent = world.approve(batch_id, "operator-bob")
    # Then it is sent with the one file, still dated and to be executed on Monday
    assert sent.state is BatchState.SENT
    assert list(world.files.files) == list(monday_file) == [sent.file_key]
    document = world.pain_001(sent)
    PAIN_001.validate(document)
    assert b"<ReqdExctnDt><Dt>2026-11-09</Dt></ReqdExctnDt>" in document
    assert b"<CreDtTm>2026-11-09T07:00:00</CreDtTm>" in document
    assert sent.step_at("sent").date() == TUESDAY


def test_above_the_total_a_second_different_operator_approves(world):
    # Given a batch above the four-eyes total
    world.statements(W45, {"fysio-noord": FOUR_EYES_ABOVE + 1})
    batch_id = world.propose(W45).batch_id
    # When one operator approves, then tries again
    first = world.approve(batch_id, "operator-anna")
    with pytest.raises(Refused) as refusal:
        world.approve(batch_id, "operator-anna")
    # Then it is still proposed, nothing is written, and the same operator cannot finish it
    assert first.state is BatchState.PROPOSED and world.files.files == {}
    assert refusal.value.code == "second_operator_needed"
    # ... saying whom to ask (R35, words53: it said who approves, not to ask a colleague)
    assert refusal.value.message_nl == (
        "U heeft deze batch al goedgekeurd. Boven het ingestelde totaal keurt een tweede,"
        " andere medewerker hem goed (vier ogen): vraag een collega hem goed te keuren."
    )
    assert refusal.value.message_en == (
        "You approved this batch already. Above the configured total a second, different"
        " operator approves it (four eyes): ask a colleague to approve it."
    )
    # When a second operator approves, it is sent
    second = world.approve(batch_id, "operator-bob")
    assert second.state is BatchState.SENT
    assert second.approvers == ("operator-anna", "operator-bob")


def test_r38_the_first_approval_retried_after_a_crash_is_answered_as_it_was(world):
    """R38, R34 (audit approve52): the first of two approvals, its key's record lost in a
    crash, was refused when retried (422 second_operator_needed), its own approval taken
    for the operator's second."""
    # Given a batch above the four-eyes total, approved by one operator's request
    world.statements(W45, {"fysio-noord": FOUR_EYES_ABOVE + 1})
    batch_id = world.propose(W45).batch_id
    first = world.approve(batch_id, "operator-anna", RequestCause("approve-1", "POST approve"))
    # When the request is sent again, an hour later
    world.clock.advance(hours=1)
    again = world.approve(batch_id, "operator-anna", RequestCause("approve-1", "POST approve"))
    # Then it is answered with the batch as the first attempt left it: one approval
    assert again == first and again.approvers == ("operator-anna",)
    # And the same key asking something else, or another request of hers, is refused
    with pytest.raises(KeyReused):
        world.approve(batch_id, "operator-anna", RequestCause("approve-1", "POST other"))
    with pytest.raises(Refused) as refusal:
        world.approve(batch_id, "operator-anna", RequestCause("approve-2", "POST approve"))
    assert refusal.value.code == "second_operator_needed"
    # And after the key's lifetime the same key is another request: refused as hers again
    world.clock.advance(hours=KEY_LIFETIME.total_seconds() / 3600)
    with pytest.raises(Refused):
        world.approve(batch_id, "operator-anna", RequestCause("approve-1", "POST approve"))
    # And a second operator's approval sends it
    assert world.approve(batch_id, "operator-bob").state is BatchState.SENT


def test_an_unknown_batch_is_not_found(world):
    with pytest.raises(NotFound):
        world.approve("PO-2030-W01")


def test_the_banks_debits_book_the_payouts_and_other_debits_are_listed(world):
    # Given a sent batch of two payouts
    world.statements(W45, {"fysio-noord": 10_000, "tandarts-zuid": 20_000})
    batch = world.approve(world.propose(W45).batch_id)
    # When the bank statement shows their debits and a bank cost
    cost = executed(batch, TUESDAY)[0]
    cost.end_to_end_id, cost.amount_cents = "NOTPROVIDED", 450
    report = world.bank_statement(*executed(batch, TUESDAY), cost, day=TUESDAY)
    # Then both payouts are booked on that day and the cost is listed, not dropped
    stored = world.store.get_batch(batch.batch_id)
    assert [(t.bank_state, t.bank_date) for t in stored.transfers] == [
        (BankState.BOOKED, TUESDAY),
        (BankState.BOOKED, TUESDAY),
    ]
    assert report.summary()["transfers_booked"] == 2
    listed = json.loads(world.files.files[report.unmatched_key])
    assert [(d["reason"], d["amount_cents"]) for d in listed["debits"]] == [("other_debit", 450)]
    # And the same statement read again changes nothing
    again = world.bank_statement(*executed(batch, TUESDAY), day=TUESDAY)
    assert again.summary()["duplicates"] == 2
    assert world.store.get_batch(batch.batch_id) == stored


def test_r12_r3_a_retried_upload_counts_our_transfers_as_its_run_did_not_as_duplicates(
    world, subtests
):
    """R12 "duplicates are ignored", R3 (a crashed run retried), R24 (audit loose48):
    Given a sent batch of two payouts, a statement upload with their debits and one with
    the return of one of them, each read by the function (its upload's checkpoint key)
    When each upload is run again (Lambda's retry of a run that crashed after its
    bookings; the return's run crashed before the practice's action was written)
    Then the retries count 2 transfers booked and 1 returned, no duplicate, and the
    practice has its action (before: 2 and 1 duplicates, no action); another upload of
    the debits' statement counts 2 duplicates, and no transfer changes twice."""
    world.statements(W45, {"fysio-noord": 10_000, "tandarts-zuid": 20_000})
    batch = world.approve(world.propose(W45).batch_id)
    debits, noord = executed(batch, TUESDAY), batch.transfers[0]
    back = returned(noord.end_to_end_id, 10_000, date(2026, 11, 12))
    world.bank_statement(*debits, day=TUESDAY, upload="v1")
    debits_retried = world.bank_statement(*debits, day=TUESDAY, upload="v1").summary()
    add_action = world.store.add_action
    world.store.add_action = lambda action: (_ for _ in ()).throw(Killed())
    with pytest.raises(Killed):
        world.bank_statement(back, day=date(2026, 11, 12), upload="r1")
    world.store.add_action = add_action
    return_retried = world.bank_statement(back, day=date(2026, 11, 12), upload="r1").summary()
    uploaded_again = world.bank_statement(*debits, day=TUESDAY, upload="v2").summary()

    keys = ("transfers_booked", "transfers_returned", "duplicates")
    with subtests.test("the debits' retry"):
        assert [debits_retried[k] for k in keys] == [2, 0, 0]
    with subtests.test("the return's retry, after a crash before the action"):
        assert [return_retried[k] for k in keys] == [0, 1, 0]
        assert [a.kind for a in world.store.list_actions("fysio-noord")] == [
            ActionKind.PAYOUT_RETURNED
        ]
    with subtests.test("another upload of the debits"):
        assert [uploaded_again[k] for k in keys] == [0, 0, 2]
    stored = world.store.get_batch(batch.batch_id)
    assert [t.bank_state for t in stored.transfers] == [BankState.RETURNED, BankState.BOOKED]


def test_r12_r3_one_upload_with_a_payouts_debit_and_its_return_retried_counts_both(world, subtests):
    """R12 "duplicates are ignored", R3 (a crashed run retried), R24 (audit bank5):
    Given a sent batch of two payouts and one statement upload with both debits and the
    return of one of them, whose run crashed after both were saved (before the practice's
    action was written)
    When Lambda retries the run, and it runs a third time
    Then each run counts 2 transfers booked and 1 returned, no duplicate (before: the
    retry counted the returned payout's debit as a duplicate, 1/1/1: a transfer kept only
    its last bank entry), the third run changes no batch; another upload of the statement
    is 3 duplicates; and a statement listing the return before the debit counts the
    debit as booked in its first run too (before: a duplicate)."""
    world.statements(W45, {"fysio-noord": 10_000, "tandarts-zuid": 20_000})
    batch = world.approve(world.propose(W45).batch_id)
    debits, noord = executed(batch, TUESDAY), batch.transfers[0]
    back = returned(noord.end_to_end_id, 10_000, TUESDAY)
    add_action = world.store.add_action
    world.store.add_action = lambda action: (_ for _ in ()).throw(Killed())
    with pytest.raises(Killed):
        world.bank_statement(*debits, back, day=TUESDAY, upload="v1")
    world.store.add_action = add_action
    retried = world.bank_statement(*debits, back, day=TUESDAY, upload="v1").summary()
    stored = world.store.get_batch(batch.batch_id)
    third = world.bank_statement(*debits, back, day=TUESDAY, upload="v1").summary()
    uploaded_again = world.bank_statement(*debits, back, day=TUESDAY, upload="v2").summary()

    keys = ("transfers_booked", "transfers_returned", "duplicates")
    with subtests.test("the retry, and a third run"):
        assert [retried[k] for k in keys] == [2, 1, 0]
        assert [third[k] for k in keys] == [2, 1, 0]
        assert world.store.get_batch(batch.batch_id) == stored
        assert [a.kind for a in world.store.list_actions("fysio-noord")] == [
            ActionKind.PAYOUT_RETURNED
        ]
    with subtests.test("another upload of the statement"):
        assert [uploaded_again[k] for k in keys] == [0, 0, 3]
    assert [t.bank_state for t in stored.transfers] == [BankState.RETURNED, BankState.BOOKED]
    with subtests.test("the return listed before the debit"):
        world.statements(W46, {"fysio-noord": 5_000})
        later = world.approve(world.propose(W46).batch_id)
        [debit] = executed(later, date(2026, 11, 17))
        again = later.transfers[0]  # this week's 50 and the returned 100 paid again
        first = returned(again.end_to_end_id, again.amount_cents, date(2026, 11, 17))
        read = world.bank_statement(first, debit, day=date(2026, 11, 17), upload="w1")
        assert [read.summary()[k] for k in keys] == [1, 1, 0]


def test_r12_r24_a_payouts_debit_read_after_its_return_by_another_upload_is_booked_once(
    world, subtests
):
    """R12 "duplicates are ignored", R3 (a retry is the same request), R24 (audit bank50):
    Given a sent batch of two payouts, and the bank's return of fysio-noord's payout read
    by one statement upload (Thursday's statement, uploaded first)
    When a later upload reads Tuesday's statement with both debits, each upload is run
    again (Lambda's retry; the return's after the debits' upload), and another upload of
    Thursday repeats the debits beside the return (statements of overlapping days)
    Then the debits' upload counts 2 booked, no duplicate (before: 1 booked and the
    returned payout's debit a duplicate, no transfer remembered it), every retry counts
    as its first run did, the overlapping upload counts 3 duplicates; the payout stays
    returned, one action for the practice, and the next batch pays it again, once."""
    world.statements(W45, {"fysio-noord": 10_000, "tandarts-zuid": 20_000})
    batch = world.approve(world.propose(W45).batch_id)
    debits, noord = executed(batch, TUESDAY), batch.transfers[0]
    back = returned(noord.end_to_end_id, 10_000, date(2026, 11, 12))
    thursday = {"day": date(2026, 11, 12)}

    keys = ("transfers_booked", "transfers_returned", "duplicates")

    def counted(*entries, **statement) -> list[int]:
        summary = world.bank_statement(*entries, **statement).summary()
        return [summary[key] for key in keys]

    first_runs = [
        counted(back, **thursday, upload="r1"),
        counted(*debits, day=TUESDAY, upload="d1"),
    ]
    retries = [counted(*debits, day=TUESDAY, upload="d1"), counted(back, **thursday, upload="r1")]
    overlapping = counted(*debits, back, **thursday, upload="r2")

    with subtests.test("each upload, and its retry"):
        assert first_runs == [[0, 1, 0], [2, 0, 0]]
        assert retries == [[2, 0, 0], [0, 1, 0]]
    with subtests.test("the same entries in a statement of overlapping days"):
        assert overlapping == [0, 0, 3]
    stored = world.store.get_batch(batch.batch_id)
    assert [t.bank_state for t in stored.transfers] == [BankState.RETURNED, BankState.BOOKED]
    assert [a.kind for a in world.store.list_actions("fysio-noord")] == [ActionKind.PAYOUT_RETURNED]
    with subtests.test("the next batch pays the returned payout again, once"):
        world.statements(W46, {"fysio-noord": 3_000, "tandarts-zuid": 0})
        world.monday_after(W46)
        w46 = world.approve(world.propose(W46).batch_id)
        assert [(t.provider_id, t.amount_cents) for t in w46.transfers] == [("fysio-noord", 13_000)]
        assert counted(*executed(w46, date(2026, 11, 17)), day=date(2026, 11, 17)) == [1, 0, 0]
        assert_every_statement_paid_once(world, ("fysio-noord", "tandarts-zuid"))


def test_a_debit_of_another_amount_is_listed_not_booked(world):
    world.statements(W45, {"fysio-noord": 10_000})
    batch = world.approve(world.propose(W45).batch_id)
    [debit] = executed(batch, TUESDAY)
    debit.amount_cents = 9_999
    report = world.bank_statement(debit, day=TUESDAY)
    assert world.store.get_batch(batch.batch_id).transfers[0].bank_state is BankState.AWAITED
    assert report.summary()["debits_ignored"] == 1


def test_a_returned_payouts_action_writes_its_amount_as_each_language_does(world):
    """R9, R24: Given W45's payout of EUR 1,234.56 to fysio-noord, returned by the bank
    When the practice reads its open action
    Then the Dutch sentence says € 1.234,56 and the English one €1,234.56 (not the Dutch
    amount in the English sentence)."""
    world.statements(W45, {"fysio-noord": 123_456, "tandarts-zuid": 500})
    w45 = world.approve(world.propose(W45).batch_id)
    world.bank_statement(*executed(w45, TUESDAY), day=TUESDAY)
    noord = w45.transfers[0]
    world.bank_statement(returned(noord.end_to_end_id, 123_456, date(2026, 11, 12)), day=TUESDAY)
    [action] = world.store.list_actions("fysio-noord")
    assert "€\u00a01.234,56" in action.details["what_to_do"]
    assert "€1,234.56" in action.details["what_to_do_en"]


def test_a_returned_payout_is_an_action_owed_again_and_paid_next_batch_exactly_once(world):
    # Given W45's payout to fysio-noord, sent and executed by the bank
    world.statements(W45, {"fysio-noord": 10_000, "tandarts-zuid": 500})
    w45 = world.approve(world.propose(W45).batch_id)
    world.bank_statement(*executed(w45, TUESDAY), day=TUESDAY)
    noord = w45.transfers[0]
    # When the bank returns it two days later (account closed)
    report = world.bank_statement(
        returned(noord.end_to_end_id, 10_000, date(2026, 11, 12)), day=TUESDAY
    )
    # Then the transfer is returned, and the practice has an open action to check its account
    assert report.summary()["transfers_returned"] == 1
    assert world.store.get_batch(w45.batch_id).transfers[0].bank_state is BankState.RETURNED
    [action] = world.store.list_actions("fysio-noord")
    assert action.kind is ActionKind.PAYOUT_RETURNED
    assert "AC04" in action.details["what_to_do"] and "100,00" in action.details["what_to_do"]
    # When the practice fixes its IBAN and the next weeks' batches are proposed (twice)
    world.add_practice("fysio-noord", iban="NL91ABNA0417164300")
    world.statements(W46, {"fysio-noord": 3_000, "tandarts-zuid": 0})
    world.monday_after(W46)
    w46 = world.propose(W46)
    assert world.propose(W46) == w46
    # Then W46 pays the returned amount again, with the week's own, to the fixed account
    assert [(t.provider_id, t.amount_cents, t.iban) for t in w46.transfers] == [
        ("fysio-noord", 13_000, "NL91ABNA0417164300")
    ]
    assert world.store.get_batch(w45.batch_id).transfers[0].repaid_in == w46.batch_id
    # And W47 does not pay it a third time
    world.approve(w46.batch_id)
    world.statements(W47, {"fysio-noord": 0, "tandarts-zuid": 0})
    assert world.propose(W47).transfers == ()


def test_r24_a_returned_payouts_statement_names_the_batch_that_pays_it_again(world):
    """R24, R34 (audit retro4): Given W45's payout returned by the bank and W46's batch
    paying it again, when the practice reads W45's statement (JSON and CSV), then its
    payout is still "returned" and names PO-2026-W46 as the batch that pays it again;
    before, it said "returned" only, for ever, as if the money were lost."""
    world.statements(W45, {"fysio-noord": 10_000})
    w45 = world.approve(world.propose(W45).batch_id)
    world.bank_statement(*executed(w45, TUESDAY), day=TUESDAY)
    world.bank_statement(returned(w45.transfers[0].end_to_end_id, 10_000, TUESDAY), day=TUESDAY)
    shown = payout_state(world.store.get_batch(w45.batch_id), "fysio-noord")
    assert shown is not None and "repaid_in" not in shown  # not paid again yet
    world.statements(W46, {"fysio-noord": 3_000})
    world.monday_after(W46)
    w46 = world.propose(W46)
    shown = payout_state(world.store.get_batch(w45.batch_id), "fysio-noord")
    assert shown is not None
    assert (shown["state"], shown["repaid_in"]) == ("returned", w46.batch_id)
    csv = with_payout(b"", "csv", shown).decode()
    assert "payout;;;;;repaid_in;;10000;100,00;PO-2026-W46;" in csv.splitlines()


def test_a_negative_payout_is_taken_off_the_next_one(world):
    world.statements(W45, {"fysio-noord": -4_000})
    world.approve(world.propose(W45).batch_id)  # nothing to pay: sent without a file
    world.statements(W46, {"fysio-noord": 10_000})
    batch = world.propose(W46)
    settlement = batch.settlement("fysio-noord")
    assert (settlement.carried_in_cents, settlement.paid_cents) == (-4_000, 6_000)


def test_a_late_statement_is_settled_with_the_next_week(world):
    world.statements(W45, {"fysio-noord": 1_000})
    world.propose(W45)  # tandarts-zuid and logo-west wait
    world.statements(W45, {"tandarts-zuid": 2_000})
    world.statements(W46, {"fysio-noord": 1_000, "tandarts-zuid": 3_000})
    batch = world.propose(W46)
    assert batch.settlement("tandarts-zuid").weeks == ("2026-W45", "2026-W46")
    assert batch.settlement("tandarts-zuid").paid_cents == 5_000
    assert batch.settlement("fysio-noord").weeks == ("2026-W46",)


def test_r24_r34_a_transfer_paying_many_weeks_names_them_all_and_its_id_in_140_characters(
    world,
):
    """R24, R34 (audit sepa57): the bank takes 140 characters of remittance text. Given
    tandarts-zuid's statements late for the 12 weeks W45-W56 and paid at once in the last
    week's batch, When the batch is approved, Then its pain.001 tells the practice the
    first and the last week and the transfer's id; before, the weeks were listed one by one
    and cut at 140 characters: the text named W45-W55 (not W56) and half the id."""
    weeks = [W45]
    while len(weeks) < 12:
        weeks.append(weeks[-1].following())
    for week in weeks[:-1]:
        world.statements(week, {"fysio-noord": 1_000})
        world.monday_after(week)
        world.approve(world.propose(week).batch_id)  # tandarts-zuid and logo-west wait
    for week in weeks:
        world.statements(week, {"tandarts-zuid": 700})
    world.statements(weeks[-1], {"fysio-noord": 1_000})
    world.monday_after(weeks[-1])

    batch = world.approve(world.propose(weeks[-1]).batch_id)

    [transfer] = [t for t in batch.transfers if t.provider_id == "tandarts-zuid"]
    assert batch.settlement("tandarts-zuid").weeks == tuple(w.label for w in weeks)
    assert transfer.amount_cents == 12 * 700
    expected = f"Zorgnota uitbetaling retrocessie 2026-W45 t/m 2027-W03 {transfer.end_to_end_id}"
    assert len(expected) <= 140
    assert f"<Ustrd>{expected}</Ustrd>".encode() in world.pain_001(batch)
    # A transfer of one week still names it
    [weekly] = [t for t in batch.transfers if t.provider_id == "fysio-noord"]
    assert weekly.remittance == f"Zorgnota uitbetaling retrocessie 2027-W03 {weekly.end_to_end_id}"


def test_r24_a_csv_of_a_week_paid_with_another_names_the_weeks_its_transfer_pays(world):
    """R24 (audit risk56): Given tandarts-zuid's W45 statement late (2000) and paid with
    W46 (3000) in W46's batch, When the practice downloads W45's and W46's statements as
    CSV, Then each says, as its JSON's payout does (weeks, statement_payout), that the one
    transfer of 5000 pays W45 and W46 together. Before, both CSVs said "proposed 50,00"
    and no more: summed over the weeks, the transfer was counted twice."""
    world.statements(W45, {"fysio-noord": 1_000})
    world.propose(W45)  # tandarts-zuid waits for its statement
    world.statements(W45, {"tandarts-zuid": 2_000})
    world.statements(W46, {"fysio-noord": 1_000, "tandarts-zuid": 3_000})
    batch = world.propose(W46)
    shown = payout_state(world.store.get_batch(batch.batch_id), "tandarts-zuid")
    assert shown is not None and shown["weeks"] == ["2026-W45", "2026-W46"]

    csv = with_payout(b"", "csv", shown).decode().splitlines()

    together = f"payout;;;;;weeks;;5000;50,00;{batch.batch_id};2026-W45 2026-W46"
    assert [row for row in csv if ";weeks;" in row] == [together]
    # A transfer for one week has no such row: its statement's payout is the settlement's
    alone = payout_state(world.store.get_batch(batch.batch_id), "fysio-noord")
    assert alone is not None and alone["weeks"] == ["2026-W46"]
    assert not [
        row for row in with_payout(b"", "csv", alone).decode().splitlines() if ";weeks;" in row
    ]


def test_r24_a_practices_first_weeks_the_run_made_up_are_paid_with_the_week_that_did(world):
    """R24 (audit weeks52): the run makes up the first weeks of a practice with no statement
    before (retrocession_run.weeks_missed): its first Monday's run missed, or its first
    statement failed on every retry.
    Given no batch of W44 (its run missed), the batch of W45 in which fysio-noord and
    tandarts-zuid waited (their W45 statements failed), and the run of W46 that made up
    fysio-noord's W44 (its first week) and W45 and tandarts-zuid's W45
    When the Monday run proposes the batch of W46
    Then fysio-noord is paid W44 to W46, tandarts-zuid W45 and W46, each once.
    Before: fysio-noord W45 and W46 only: its W44 paid by no batch, ever."""
    world.statements(W45, {"logo-west": 100})
    assert world.propose(W45).waiting == ("fysio-noord", "tandarts-zuid")
    world.statements(W45.previous(), {"fysio-noord": 1_000})
    world.statements(W45, {"fysio-noord": 1_500, "tandarts-zuid": 2_000})
    world.statements(W46, {"fysio-noord": 3_000, "tandarts-zuid": 2_500, "logo-west": 1})
    world.monday_after(W46)

    batch = world.propose(W46)

    fysio, tandarts = batch.settlement("fysio-noord"), batch.settlement("tandarts-zuid")
    assert (fysio.weeks, fysio.paid_cents) == (("2026-W44", "2026-W45", "2026-W46"), 5_500)
    assert (tandarts.weeks, tandarts.paid_cents) == (("2026-W45", "2026-W46"), 4_500)
    assert batch.settlement("logo-west").weeks == ("2026-W46",) and batch.waiting == ()


def test_r24_the_first_weeks_of_a_run_missed_on_a_practices_first_monday_are_paid(world):
    """R24 (audit weeks52). Given no batch of W45 (that Monday's run missed) and the
    statements of W45, made up by the run of W46, and W46
    When the Monday run proposes the batch of W46
    Then each practice is paid W45 and W46 once. Before: W46 only, W45 by no batch."""
    world.statements(W45, {"fysio-noord": 1_000, "tandarts-zuid": -300, "logo-west": 0})
    world.statements(W46, {"fysio-noord": 2_000, "tandarts-zuid": 500, "logo-west": 7})
    world.monday_after(W46)

    batch = world.propose(W46)

    assert [(s.provider_id, s.weeks, s.paid_cents) for s in batch.settlements] == [
        ("fysio-noord", ("2026-W45", "2026-W46"), 3_000),
        ("logo-west", ("2026-W45", "2026-W46"), 7),
        ("tandarts-zuid", ("2026-W45", "2026-W46"), 200),
    ]


# --- the money adds up: Σ booked + carried + owed again = Σ statement payouts ------------------

week_of_one_practice = st.tuples(
    st.integers(min_value=-50_000, max_value=200_000),  # the statement's payout
    st.booleans(),  # does the bank return this week's payout?
    st.booleans(),  # is the statement late (settled with the next week)?
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(week_of_one_practice, min_size=2, max_size=2), min_size=1, max_size=8))
def test_every_cent_of_every_statement_is_booked_carried_or_owed(weeks):
    world = MoneyOutWorld()
    practices = ("fysio-noord", "tandarts-zuid")
    for provider_id in practices:
        world.add_practice(provider_id)
    week = FIRST_WEEK
    late: dict[str, int] = {}
    for per_practice in weeks:
        for provider_id, (payout, _, is_late) in zip(practices, per_practice, strict=True):
            if is_late:
                late[provider_id] = payout  # written after this week's batch
            else:
                world.statements(week, {provider_id: payout})
        world.monday_after(week)
        batch = world.approve(world.propose(week).batch_id)
        for provider_id, payout in late.items():
            world.statements(week, {provider_id: payout})
        late.clear()
        day = week.following().monday
        world.bank_statement(*executed(batch, day), day=day)
        for transfer, (_, bank_returns, _) in zip(batch.transfers, per_practice, strict=False):
            if bank_returns:
                world.bank_statement(
                    returned(transfer.end_to_end_id, transfer.amount_cents, day), day=day
                )
        week = week.following()
    assert_every_statement_paid_once(world, practices)
