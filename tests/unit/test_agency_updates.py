"""The agency is told (issue 12 item 11, R34): the daily run writes, per practice, a file
of yesterday's payments, returns and stops on the claims the agency holds, and after
missed runs those of the missed days too."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from billing_core.collection.agency_updates import days_to_tell
from billing_core.dunning.run import DunningContext, run_dunning
from billing_core.invoices.invoice import DunningStage
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import REFERENCE, REFERENCE_KEY, make_invoice, make_provider
from tests.unit.fake_store import FakeQueue, FakeStore, FilesInMemory

PAID_AT = datetime(2027, 2, 15, 14, 0, tzinfo=AMSTERDAM)
KEY = "collection-updates/2027-02-15/tandarts-de-vries.json"


def test_a_payment_on_a_claim_at_the_agency_is_in_the_next_mornings_file_once():
    """Given a claim at the agency and another invoice of the practice, both paid in part
    on 15 February
    When the dunning run of 16 February goes, and again
    Then the agency's file of the 15th lists the claim with the payment and what is still
    owed, not the other invoice, and the rerun writes the same bytes."""
    claim = make_invoice(
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY, handed_over_on=date(2027, 2, 1)
    )
    other = replace(
        make_invoice(invoice_id="inv-2", reference=reference.for_sequence(2, REFERENCE_KEY)),
        next_check_on=None,
    )
    store, files = FakeStore([claim, other], [make_provider()]), FilesInMemory()
    clock = FixedClock(PAID_AT)
    for invoice in (claim, other):
        payment = IncomingPayment("bank", f"E-{invoice.invoice_id}", 1_000, PAID_AT)
        book_payment(store, invoice.reference, payment, clock=clock, interest=lambda i, d: 0)
    ctx = DunningContext(store, files, FakeQueue(), clock)
    clock.set(datetime(2027, 2, 16, 6, 0, tzinfo=AMSTERDAM))

    first = run_dunning(ctx, date(2027, 2, 16))
    written = files.files[KEY]
    run_dunning(ctx, date(2027, 2, 16))

    assert first.answer()["agency_files"] == 1 and files.files[KEY] == written
    [told] = json.loads(written)["claims"]
    assert told["reference"] == REFERENCE
    assert [(e["kind"], e["amount_cents"]) for e in told["entries"]] == [("payment", -1_000)]
    assert told["amounts_cents"]["principal"] == claim.balance_cents - 1_000


def _handed_over_on_29_january() -> DunningWorld:
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 24), date(2027, 1, 29))
    assert world.invoice().is_with_collection_agency
    return world


def _handed_over_after_a_payment_read_at_five() -> tuple[DunningWorld, date]:
    """A claim of EUR 1.000 handed over by the run of 29 January (06:00), with a part
    payment of EUR 200 read at 05:00 that day, before the run (audit REVIEW2)."""
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 24), date(2027, 1, 28))
    handover_day = date(2027, 1, 29)
    world.import_transfer(
        20_000, booked_on=handover_day, at=datetime.combine(handover_day, time(5, 0), AMSTERDAM)
    )
    world.run(handover_day)
    assert world.invoice().is_with_collection_agency
    return world, handover_day


def _agency_keys(world: DunningWorld) -> list[str]:
    return sorted(key for key in world.files.files if key.startswith("collection-updates/"))


def test_after_missed_runs_the_payments_of_the_missed_days_reach_the_agency():
    """R34: "Payments received on our side for a claim at the agency reach the agency in a
    daily file" (legal-nl.md §2: a change after a handover is reported to the agency).
    Given a claim handed over on 29 January, paid in part on Sat 30 January and on
    Mon 1 February, and the runs of 30 January to 1 February missed
    When the run is back on 2 February with its default day
    Then the agency gets the file of 30 January as well as that of 1 February."""
    world = _handed_over_on_29_january()
    world.import_transfer(20_000, booked_on=date(2027, 1, 30), at=_at(date(2027, 1, 30)))
    world.import_transfer(30_000, booked_on=date(2027, 2, 1), at=_at(date(2027, 2, 1)))

    summary = world.run(date(2027, 2, 2))

    assert _agency_keys(world) == [
        "collection-updates/2027-01-30/tandarts-de-vries.json",
        "collection-updates/2027-02-01/tandarts-de-vries.json",
    ]
    paid = [
        sum(
            entry["amount_cents"]
            for claim in json.loads(world.files.files[key])["claims"]
            for entry in claim["entries"]
            if entry["kind"] == "payment"
        )
        for key in _agency_keys(world)
    ]
    assert paid == [-20_000, -30_000]  # each day's payment, over costs, interest, principal
    assert summary.answer()["agency_days"] == ["2027-01-29", "2027-02-01"]
    assert summary.complete


def test_a_claim_paid_in_full_on_a_missed_day_is_reported_to_the_agency():
    """R34: Given a claim at the agency paid in full on Sat 30 January, and the runs of
    30 January to 1 February missed
    When the runs go on from 2 February
    Then the agency's file of 30 January tells it, as it would have with daily runs."""
    world = _handed_over_on_29_january()
    due = world.money(date(2027, 1, 30)).due
    world.import_transfer(due, booked_on=date(2027, 1, 30), at=_at(date(2027, 1, 30)))

    world.run_days(date(2027, 2, 2), date(2027, 2, 10))

    assert world.invoice().balance_cents == 0
    assert _agency_keys(world) == ["collection-updates/2027-01-30/tandarts-de-vries.json"]


def test_a_replayed_day_before_the_handover_writes_the_agency_no_file():
    """R18 (a day can be replayed; a second run changes nothing), R34 (the daily file tells
    what changed on claims the agency holds; audit money MONEY4).
    Given a claim whose costs were charged on D-14 and that was handed over on D
    (29 January), and the daily runs after it
    When an operator replays the run of the day after the costs (D-13) on 10 February
    Then no file of D-14 is written: the costs were in the handover file, and the claim
    was not at the agency on that day."""
    world = _handed_over_on_29_january()
    world.run_days(date(2027, 1, 30), date(2027, 2, 10))
    costs_day = world.invoice().costs_charged_on
    assert costs_day is not None and costs_day < date(2027, 1, 29)
    told_before = _agency_keys(world)

    ctx = DunningContext(world.store, world.files, world.queue, world.clock)
    summary = run_dunning(ctx, costs_day + timedelta(days=1))

    assert summary.answer()["agency_files"] == 0
    assert _agency_keys(world) == told_before


def test_a_replayed_day_rewrites_an_earlier_daily_file_with_the_same_bytes():
    """R18 (a replay changes nothing the second time), R34 (the daily file of a day tells
    that day's changes and what was owed then; audit agency AGENCY2).
    Given a claim handed over on 29 January, EUR 200 paid on 30 January and told in the
    file of the 30th by the run of the 31st, then EUR 300 paid on 31 January and the run
    of 1 February
    When an operator replays the run of 31 January, which writes the file of the 30th again
    Then the file holds the same bytes: the amounts as at the end of 30 January, not less
    the payment of the 31st."""
    world = _handed_over_on_29_january()
    world.import_transfer(20_000, booked_on=date(2027, 1, 30), at=_at(date(2027, 1, 30)))
    world.run(date(2027, 1, 31))
    key = "collection-updates/2027-01-30/tandarts-de-vries.json"
    written = world.files.files[key]
    owed_that_day = world.money(date(2027, 1, 30)).due
    world.import_transfer(30_000, booked_on=date(2027, 1, 31), at=_at(date(2027, 1, 31)))
    world.run(date(2027, 2, 1))

    ctx = DunningContext(world.store, world.files, world.queue, world.clock)
    run_dunning(ctx, date(2027, 1, 31))

    assert world.files.files[key] == written
    [told] = json.loads(written)["claims"]
    assert told["amounts_cents"]["total"] == owed_that_day


def test_a_payment_read_on_the_handover_day_before_the_run_reaches_the_agency_once():
    """R34 (the daily file tells what changed on our side of a claim the agency holds),
    R19, R22 (the handover file gives the amounts; audit REVIEW2).
    Given a claim due to be handed over by the run of 29 January, a part payment read at
    05:00 that day (before the 06:00 run) and another read at 10:00 after it
    When the run of 29 January hands it over and the run of 30 January writes the
    agency's file of the 29th
    Then the handover file has the first payment in its ledger and amounts, and the daily
    file tells the second one only: the agency counts each payment once."""
    world, handover_day = _handed_over_after_a_payment_read_at_five()
    world.import_transfer(30_000, booked_on=handover_day, at=_at(handover_day))

    world.run(handover_day + timedelta(days=1))

    [handover_key] = [key for key in world.handover_files() if key.startswith("collection/2027")]
    handover = json.loads(world.files.files[handover_key])
    assert _paid(handover["ledger"]) == -20_000
    [told] = json.loads(world.files.files[_agency_keys(world)[0]])["claims"]
    assert _paid(told["entries"]) == -30_000
    assert told["amounts_cents"]["total"] == handover["amounts_cents"]["total"] - 30_000


def test_a_claim_paid_on_the_handover_day_before_the_run_gets_no_daily_file():
    """R34, R19 (audit REVIEW2): Given a part payment read on the handover day before the
    run and nothing after the handover, when the next run writes the agency's files, then
    there is none of the handover day: the payment is in the handover file only."""
    world, handover_day = _handed_over_after_a_payment_read_at_five()

    summary = world.run(handover_day + timedelta(days=1))

    assert summary.answer()["agency_files"] == 0 and _agency_keys(world) == []


def test_a_claim_handed_over_before_the_line_was_kept_is_told_by_the_day():
    """R34 (old items): Given a claim handed over before the invoice kept how many entries
    its handover file holds, when a payment of the handover day is told, then the day is
    the line, as before: every entry of the day is in the file."""
    claim = make_invoice(
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY, handed_over_on=PAID_AT.date()
    )
    assert claim.handover_entries is None
    store, files = FakeStore([claim], [make_provider()]), FilesInMemory()
    clock = FixedClock(PAID_AT)
    payment = IncomingPayment("bank", "E-1", 1_000, PAID_AT)
    book_payment(store, claim.reference, payment, clock=clock, interest=lambda i, d: 0)
    clock.set(datetime(2027, 2, 16, 6, 0, tzinfo=AMSTERDAM))

    run_dunning(DunningContext(store, files, FakeQueue(), clock), date(2027, 2, 16))

    [told] = json.loads(files.files[KEY])["claims"]
    assert [(e["kind"], e["amount_cents"]) for e in told["entries"]] == [("payment", -1_000)]


def _paid(entries: list[dict]) -> int:
    return sum(e["amount_cents"] for e in entries if e["kind"] == "payment")


@pytest.mark.parametrize(
    ("written_through", "days", "caught_up"),
    [
        # the first run ever: yesterday's file only
        (None, ["2027-02-01"], True),
        # the run of yesterday went: yesterday's file
        (date(2027, 1, 31), ["2027-02-01"], True),
        # two runs missed: every day since the last file
        (date(2027, 1, 29), ["2027-01-30", "2027-01-31", "2027-02-01"], True),
        # a replay of a day the mark has passed: that day's yesterday again (same bytes)
        (date(2027, 2, 20), ["2027-02-01"], True),
        # 31 runs missed: every day since the last file, the cap (CATCH_UP_DAYS) reached
        (date(2027, 1, 1), [f"2027-01-{d:02}" for d in range(2, 32)] + ["2027-02-01"], True),
        # 32 missed: the oldest 31, the last (1 February) for the next part or run
        (date(2026, 12, 31), [f"2027-01-{d:02}" for d in range(1, 32)], False),
    ],
)
def test_the_days_a_run_tells_the_agency_of(written_through, days, caught_up):
    """R34, R18: Given the last day whose files a run wrote, when the run of 2 February
    goes, then it writes the files of these days."""
    told = days_to_tell(date(2027, 2, 1), written_through)

    assert [day.isoformat() for day in told.days] == days and told.caught_up is caught_up


def test_more_missed_days_than_one_run_catches_up_on_go_on_in_the_next_run():
    """R34, R39: Given the last agency file written 40 days ago, and no invoice due
    When the run goes
    Then it writes the oldest 31 days and goes on in a next part (after every invoice of
    the day: runs58, before it reported itself incomplete, the alarm on a run that did all
    it may); should that part's call be lost, the next run writes the other 9: no day's
    file is left out."""
    store, files = FakeStore([], [make_provider()]), FilesInMemory()
    store.agency_files_through = date(2027, 1, 1)
    clock = FixedClock(datetime(2027, 2, 11, 6, 0, tzinfo=AMSTERDAM))
    ctx = DunningContext(store, files, FakeQueue(), clock)

    first = run_dunning(ctx, date(2027, 2, 11))
    second = run_dunning(ctx, date(2027, 2, 11))

    assert first.answer()["agency_days"] == ["2027-01-02", "2027-02-01"]
    assert first.complete is False and first.continue_from is not None
    assert first.log_entry().message == "dunning run continues in a next part"
    assert second.answer()["agency_days"] == ["2027-02-02", "2027-02-10"]
    assert second.complete is True and store.agency_files_through == date(2027, 2, 10)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=AMSTERDAM)
