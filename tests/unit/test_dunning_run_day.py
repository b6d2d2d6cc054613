"""The day the dunning run acts on (issue 12 item 6; R18): any day that has come can be
replayed, a day in the future is refused before anything is read or written."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from billing_core.changes.arrangement import create_arrangement
from billing_core.dunning.letters import REMINDER
from billing_core.dunning.run import DunningContext, RunSummary, run_dunning
from billing_core.invoices.invoice import ArrangementStatus, DunningStage
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.ports import DunningPlace
from billing_core.shared.clock import AMSTERDAM, RunDayInFuture
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import make_person, make_provider
from tests.unit.test_dunning_delivery import page_text


def test_the_run_refuses_a_day_in_the_future():
    """Given today is 31 December 2026 and the reminders of today have gone out, when an
    operator asks the run for 1 June 2027, then it refuses with a clear error and reads
    and changes nothing: no letter is ever dated in the future."""
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 24), date(2026, 12, 31))
    before, calls = world.invoice(), len(world.store.calls)

    with pytest.raises(RunDayInFuture, match="as_of 2027-06-01 is after today 2026-12-31"):
        run_dunning(
            DunningContext(world.store, world.files, world.queue, world.clock), date(2027, 6, 1)
        )

    assert world.invoice() is before and world.queue.requests == []
    assert len(world.store.calls) == calls


def test_a_day_that_has_come_can_be_replayed():
    """Given today is 15 January 2027, when the run is asked for 31 December 2026 (missed),
    then it sends the reminder of that day, dated that day."""
    world = DunningWorld([one_invoice(100_000)])
    world.clock.set(date(2027, 1, 15))

    run_dunning(
        DunningContext(world.store, world.files, world.queue, world.clock), date(2026, 12, 31)
    )

    assert world.invoice().reminder.sent_on == date(2026, 12, 31)


def replay(world: DunningWorld, day: date, *, on: date) -> None:
    """An operator's replay of the run of ``day`` on ``on``, its letters delivered."""
    world.clock.set(datetime(on.year, on.month, on.day, 10, 0, tzinfo=AMSTERDAM))
    run_dunning(DunningContext(world.store, world.files, world.queue, world.clock), day)
    world.deliver()


@pytest.mark.parametrize("email", ["s.vanderberg@example.nl", ""], ids=["e-mailed", "posted"])
def test_a_replayed_day_keeps_the_one_pdf_of_the_letter_its_run_sent(email):
    """R18, legal-nl.md §8 (known stop 39, Texts and letters): Given the run of 31
    December 2026 sent its reminder (e-mailed and kept, or posted), when an operator
    replays that day on 3 January, then one PDF is kept, under the name that day gave it,
    and nothing is sent again."""
    world = DunningWorld([one_invoice(100_000, patient=make_person(email=email))])
    world.run(date(2026, 12, 31))
    kept = dict(world.files.files)
    assert len([key for key in kept if key.endswith(".pdf")]) == 1

    replay(world, date(2026, 12, 31), on=date(2027, 1, 3))

    assert world.files.files == kept
    assert world.letters() == [("dunning_reminder", date(2026, 12, 31))]


def test_a_replayed_day_names_the_letter_it_sends_by_the_letters_own_date():
    """R18, legal-nl.md §2, §8 (known stop 39, Texts and letters): Given the run of 31
    December 2026 decided on a reminder whose queueing was lost, when an operator replays
    that day on 3 January, then the letter goes out dated 3 January, the day it is sent
    (its term counts from it), and its kept PDF is named by that date, the letter's own,
    not by the replayed day; replayed once more on the 5th, it is still that one PDF."""
    world = DunningWorld([one_invoice(100_000)])
    world.run(date(2026, 12, 31), deliver=False)
    world.queue.requests.clear()  # the queueing lost

    replay(world, date(2026, 12, 31), on=date(2027, 1, 3))
    replay(world, date(2026, 12, 31), on=date(2027, 1, 5))

    invoice = world.invoice()
    (letter,) = invoice.correspondence
    assert invoice.reminder.sent_on == date(2027, 1, 3)
    assert letter.kept_key == (
        f"letters/{world.provider.provider_id}/{invoice.reference}-dunning_reminder-2027-01-03.pdf"
    )
    assert list(world.files.files) == [letter.kept_key]
    assert "Datum 3 januari 2027" in page_text(world.files.files[letter.kept_key])


def test_a_run_stopped_by_the_time_limit_says_where_it_goes_on_and_when_it_stopped_short():
    """R39, R18 (audit runs51b): the alarm on an incomplete run watches Dunning_incomplete.
    Given two patients' invoices due and a run whose Lambda has no time left
    When it runs
    Then it still takes the first patient (a part never does nothing), stops, and names
    the second's place to go on from; that part raises no alarm (its next part goes on),
    and the next part from that place finishes the day: each invoice reminded once.
    A run that stopped short without a place to go on from counts 1; a finished run 0."""
    world = DunningWorld([one_invoice(100_000), one_invoice(90_000, number=2, patient_ref="P2")])
    world.clock.set(date(2026, 12, 31))
    ctx = DunningContext(world.store, world.files, world.queue, world.clock)

    stopped = run_dunning(ctx, date(2026, 12, 31), has_time=lambda: False)
    place = stopped.continue_from
    rest = run_dunning(ctx, date(2026, 12, 31), start_at=place)

    assert (stopped.read, stopped.actions, stopped.complete) == (1, 1, False)
    assert place is not None and (place.invoice_id, place.patient_ref) == ("inv-2", "P2")
    assert stopped.answer()["continue_from"] == place.as_list()
    # No alarm, no metric at all: the last part counts the whole run once (runs53b).
    going_on = stopped.log_entry()
    assert (going_on.message, going_on.counts, going_on.error) == (
        "dunning run continues in a next part",
        {},
        False,
    )
    # inv-1, reminded by the first part, moved to the run's day, after the place: met
    # again, and left be (audit runs51c: before, read and its letter queued a second time)
    assert (rest.read, rest.actions, rest.complete, rest.continue_from) == (1, 1, True, None)
    assert rest.letters == {REMINDER: 1} and len(world.queue.requests) == 2
    assert {world.invoice(i).dunning_stage for i in ("inv-1", "inv-2")} == {DunningStage.REMINDED}
    short = RunSummary(date(2026, 12, 31), complete=False)
    assert short.log_entry().counts["Dunning_incomplete"] == 1
    assert rest.log_entry().counts["Dunning_incomplete"] == 0


def test_a_malformed_provider_item_is_skipped_and_counted_and_the_others_go_on():
    """Issue 14 item 7, R31: given two invoices due a reminder, one of a practice whose
    stored settings no longer validate (a legacy item)
    When the run of 31 December goes
    Then the other practice's patient gets the reminder, the bad practice is reported by
    id once and counted in the metric its alarm reads, and its invoice waits untouched."""
    legacy = one_invoice(100_000, number=2, provider_id="legacy-praktijk")
    world = DunningWorld([one_invoice(100_000), legacy])
    world.store.put_unreadable_provider("legacy-praktijk")

    summary = world.run(date(2026, 12, 31))

    assert world.letters() == [("dunning_reminder", date(2026, 12, 31))]
    assert summary.answer()["providers_skipped"] == ["legacy-praktijk"]
    assert summary.errors == []
    entry = summary.log_entry()
    assert entry.counts["Dunning_provider_skipped"] == 1 and entry.error
    assert world.invoice("inv-2") is legacy


def test_invoices_of_a_provider_without_settings_are_skipped_once_not_an_error_each():
    """R31 ("one bad provider never stops a run for the others"; audit onboard4 of stop 47):
    given two invoices due a reminder of a practice whose settings item is gone (deleted
    by hand; its invoices remain) beside one of a healthy practice
    When the run of 31 December goes
    Then the healthy practice's patient gets the reminder, the practice without settings
    is reported by id once (providers_skipped, its alarm's metric), not as one error per
    invoice each day, its settings are read once, and its invoices wait untouched."""
    gone = [one_invoice(100_000, number=n, provider_id="weg-praktijk") for n in (2, 3)]
    world = DunningWorld([one_invoice(100_000), *gone])

    summary = world.run(date(2026, 12, 31), deliver=False)
    settings_read = world.store.calls.count("get_provider")
    world.deliver()

    assert world.letters() == [("dunning_reminder", date(2026, 12, 31))]
    assert summary.answer()["providers_skipped"] == ["weg-praktijk"]
    assert summary.errors == []
    assert summary.log_entry().counts["Dunning_provider_skipped"] == 1
    assert settings_read == 2  # once per practice, not once per patient
    assert [world.invoice(i.invoice_id) for i in gone] == gone


def test_after_missed_days_each_invoice_is_read_and_queued_once():
    """R18, R38, R39 (audit DUNNING1): the reminder moves an invoice's place on the index
    to the run's day, after the paged Query's cursor, so a later page returns it again.
    Given 10 invoices of 10 patients whose reminder day (31 December) was four days ago
    When the run of 4 January reads them four a page
    Then each is read, reminded and queued once, and the summary and its metrics say 10."""
    world = DunningWorld([one_invoice(100_000, number=n, patient_ref=f"P-{n}") for n in range(10)])
    world.clock.set(date(2027, 1, 4))

    summary = run_dunning(
        DunningContext(world.store, world.files, world.queue, world.clock),
        date(2027, 1, 4),
        page_size=4,
    )

    assert summary.read == 10 and summary.steps == {"reminder": 10}
    assert summary.letters == {"dunning_reminder": 10}
    assert len(world.queue.requests) == 10
    assert summary.log_entry().counts["Dunning_read"] == 10


def test_only_arrangements_cancelled_are_counted_as_cancelled():
    """R15, R39 (fix small37 item 5): the run's summary counted as arrangements_cancelled
    every arrangement whose status it moved, one it completed (paid in full) too.
    Given two invoices under an arrangement, one with a term more than 14 days late and
    one paid in full by now (as the run meets one it reads again after a lost race, R28),
    when the run looks at both, then it cancels the one and completes the other, and its
    summary counts one arrangement cancelled."""
    agreed = datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)
    paid_invoice, late_invoice = (
        create_arrangement(one_invoice(30_000, number=n), make_provider(), 3, agreed)
        for n in (1, 2)
    )
    paid = LedgerEntry(
        EntryKind.PAYMENT,
        Component.PRINCIPAL,
        -paid_invoice.amount_due_cents,
        agreed,
        "bank:paid-in-full",
    )
    paid_invoice = paid_invoice.with_entry(paid)
    world = DunningWorld([paid_invoice, late_invoice])
    world.clock.set(date(2027, 2, 20))
    due_for_dunning = world.store.due_for_dunning

    def met_as_well(as_of, *, page_size=100, start_at=None):
        yield [world.invoice("inv-1")]  # off the index since paid: as read again
        yield from due_for_dunning(as_of, page_size=page_size, start_at=start_at)

    world.store.due_for_dunning = met_as_well

    summary = world.run(date(2027, 2, 20), deliver=False).answer()

    assert world.invoice("inv-1").arrangement.status is ArrangementStatus.COMPLETED
    assert world.invoice("inv-2").arrangement.status is ArrangementStatus.CANCELLED
    assert summary["arrangements_cancelled"] == 1


def _in_parts(ctx: DunningContext, day: date) -> list[RunSummary]:
    """The run of ``day`` as its function runs it with time for one patient per call: each
    part from where the one before stopped, until one finishes."""
    parts = [run_dunning(ctx, day, has_time=lambda: False)]
    while (place := parts[-1].continue_from) is not None:
        parts.append(run_dunning(ctx, day, has_time=lambda: False, start_at=place))
    return parts


def test_r18_r39_after_missed_days_a_run_in_parts_takes_each_invoice_once():
    """R18, R39 (audit runs51c item 3a): a step moves the invoice's place to the run's
    day, after where the next part goes on, so every later part met again an invoice an
    earlier part had taken.
    Given 6 patients' invoices whose reminder day (31 December) was four days ago
    When the run of 4 January goes on in parts with time for one patient each
    Then it takes 6 parts, as many as patients, and reads, reminds and queues each
    invoice once: the counts of the parts add up to those of one uninterrupted run.
    Before: 12 parts, 12 read and 12 letters queued for 6 (the delivery sent each once)."""
    day = date(2027, 1, 4)
    world = DunningWorld([one_invoice(100_000, number=n, patient_ref=f"P-{n}") for n in range(6)])
    world.clock.set(day)

    parts = _in_parts(DunningContext(world.store, world.files, world.queue, world.clock), day)

    assert len(parts) == 6 and sum(part.read for part in parts) == 6
    assert sum(part.steps["reminder"] for part in parts) == 6
    assert sum(part.letters[REMINDER] for part in parts) == 6 == len(world.queue.requests)
    assert {world.invoice(f"inv-{n}").dunning_stage for n in range(6)} == {DunningStage.REMINDED}


def test_r34_r39_a_run_in_parts_goes_on_with_the_agency_files_not_caught_up():
    """R34, R39 (audit runs51c item 3b): a run writes the agency files of at most 31
    missed days; a part that also ran out of time went on, and its later parts wrote no
    agency file: the rest waited a day, and no alarm said so (the last part complete).
    Given the agency files written through 20 November and two patients' invoices due
    When the run of 4 January goes on in parts with time for one patient each
    Then the first part writes 31 days (21 November - 21 December) and the second the
    other 13, up to 3 January: the mark is there, the last part complete, no alarm.
    Before: the second part wrote none and said complete, the mark 13 days behind."""
    day = date(2027, 1, 4)
    world = DunningWorld([one_invoice(100_000), one_invoice(90_000, number=2, patient_ref="P2")])
    world.clock.set(day)
    world.store.agency_files_through = date(2026, 11, 20)

    first, last = _in_parts(DunningContext(world.store, world.files, world.queue, world.clock), day)

    assert first.answer()["agency_days"] == ["2026-11-21", "2026-12-21"]
    assert last.answer()["agency_days"] == ["2026-12-22", "2027-01-03"]
    assert world.store.agency_files_through == date(2027, 1, 3)
    assert (last.complete, last.log_entry().counts["Dunning_incomplete"]) == (True, 0)


def test_r34_r39_a_run_with_time_goes_on_in_parts_with_agency_files_past_the_cap():
    """R34, R39 (brief catchup56): one rule for a run with time and one without. The cap
    keeps a part within Lambda's time; a next part has its own.
    Given the agency files written through 20 November and two patients' invoices due
    When the run of 4 January goes, with all the time it asks for (as its function runs it)
    Then its first part writes 31 days (21 November - 21 December), takes one patient and
    goes on; the second writes the other 13, up to 3 January, and takes the other: the
    mark is there, the run complete, no alarm -- as the run with time for one patient a
    part does (the test above).
    Before: one part wrote 31 days and answered complete: false (the alarm), the other 13
    waited a day: more time, fewer days written."""
    day = date(2027, 1, 4)
    world = DunningWorld([one_invoice(100_000), one_invoice(90_000, number=2, patient_ref="P2")])
    world.clock.set(day)
    world.store.agency_files_through = date(2026, 11, 20)
    ctx = DunningContext(world.store, world.files, world.queue, world.clock)

    parts = [run_dunning(ctx, day)]
    while (place := parts[-1].continue_from) is not None:
        parts.append(run_dunning(ctx, day, start_at=place))

    first, last = parts
    assert (first.answer()["agency_days"], first.read) == (["2026-11-21", "2026-12-21"], 1)
    assert (last.answer()["agency_days"], last.read) == (["2026-12-22", "2027-01-03"], 1)
    assert world.store.agency_files_through == date(2027, 1, 3)
    assert (last.complete, last.log_entry().counts["Dunning_incomplete"]) == (True, 0)


@pytest.mark.parametrize(
    ("patients", "written_through", "parts"),
    [(0, date(2026, 11, 20), 2), (1, date(2026, 11, 20), 2), (0, date(2026, 8, 31), 5)],
    ids=["no patient", "one patient", "125 days behind"],
)
def test_r34_r39_a_run_past_the_cap_with_no_patient_left_goes_on_and_completes(
    patients, written_through, parts
):
    """R34, R39 (brief runs58 item 1): a run that wrote the agency files of 31 missed days
    and had no second patient to stop before (0 or 1 due) named no place to go on from: it
    answered complete: false, DunningRunIncompleteAlarm went off on a run that did all it
    may do, and the other days waited for the next day's run.
    Given the agency files written through ``written_through`` and ``patients`` patients'
    invoices due on 4 January
    When the run goes, each part from the place the one before named, as its function
    runs it (the counts carried)
    Then a part that leaves days unwritten goes on from a place after every invoice of the
    day, each part's place its own (a part is handled once per day and place), which reads
    no invoice; the parts write every day up to 3 January, 31 a part, the same day; the
    last part is complete, no part counts Dunning_incomplete, each patient reminded once."""
    day = date(2027, 1, 4)
    world = DunningWorld([one_invoice(100_000, number=n + 1) for n in range(patients)])
    world.clock.set(day)
    world.store.agency_files_through = written_through
    ctx = DunningContext(world.store, world.files, world.queue, world.clock)

    summaries = [run_dunning(ctx, day)]
    while (place := summaries[-1].continue_from) is not None:
        carried = summaries[-1].carried()
        summaries.append(run_dunning(ctx, day, start_at=place, earlier=carried))

    *going_on, last = summaries
    assert len(summaries) == parts
    assert [s.complete for s in summaries] == [False] * (parts - 1) + [True]
    places = [s.answer()["continue_from"] for s in going_on]
    assert len({tuple(place) for place in places}) == parts - 1
    assert {(e.message, len(e.counts)) for e in map(RunSummary.log_entry, going_on)} <= {
        ("dunning run continues in a next part", 0)
    }
    first_day = (written_through + timedelta(days=1)).isoformat()
    assert last.answer()["agency_days"] == [first_day, "2027-01-03"]
    assert world.store.agency_files_through == date(2027, 1, 3)
    assert (last.read, last.steps["reminder"], len(world.queue.requests)) == (patients,) * 3
    assert world.store.calls.count("due_for_dunning") == 1  # the first part's read only
    entry = last.log_entry()
    assert (entry.message, entry.error, entry.counts["Dunning_incomplete"]) == (
        "dunning run",
        False,
        0,
    )


def test_r18_r39_the_last_part_of_a_run_in_parts_reports_and_counts_the_whole_run_once(
    monkeypatch,
):
    """R18, R39 (audit runs53b): each part of a run in parts logged and answered its own
    counts; the last part's summary said read 1 where the run read every invoice, and an
    error or a skipped practice met by an earlier part was no longer in the run's line.
    Given 4 patients' invoices due on 4 January, the agency files written through 20
    November, the write of inv-1 failing (the table unreachable) and inv-3's practice
    with settings that do not validate
    When the run goes on in parts with time for one patient each, each part's summary
    starting from what the earlier parts carried (their call to the next part)
    Then the earlier parts log "continues" with no metric; the last part's answer and
    metrics are the whole run's: 4 read, 2 reminded, 1 error, 1 practice skipped, the
    agency days of both parts, 4 parts: an error line (the alarm reads Dunning_errors)."""
    day = date(2027, 1, 4)
    invoices = [one_invoice(100_000, number=n, patient_ref=f"P-{n}") for n in range(1, 5)]
    invoices[2] = one_invoice(100_000, number=3, patient_ref="P-3", provider_id="legacy")
    world = DunningWorld(invoices)
    world.store.put_unreadable_provider("legacy")
    world.clock.set(day)
    world.store.agency_files_through = date(2026, 11, 20)
    world.table_unreachable_for("inv-1", monkeypatch)
    ctx = DunningContext(world.store, world.files, world.queue, world.clock)

    parts = [run_dunning(ctx, day, has_time=lambda: False)]
    while (place := parts[-1].continue_from) is not None:
        carried = parts[-1].carried()
        parts.append(run_dunning(ctx, day, has_time=lambda: False, start_at=place, earlier=carried))

    *going_on, last = parts
    assert len(parts) == 4
    assert {(e.message, len(e.counts)) for e in map(RunSummary.log_entry, going_on)} == {
        ("dunning run continues in a next part", 0)
    }
    whole = last.answer()
    assert (whole["read"], whole["steps"], whole["letters"]) == (4, {"reminder": 2}, {REMINDER: 2})
    assert (whole["providers_skipped"], whole["parts"]) == (["legacy"], 4)
    assert whole["agency_days"] == ["2026-11-21", "2027-01-03"] and whole["complete"]
    entry = last.log_entry()
    assert entry.message == "dunning run" and entry.error
    counts = {name: entry.counts[name] for name in ("Dunning_read", "Dunning_reminder")}
    assert counts == {"Dunning_read": 4, "Dunning_reminder": 2}
    assert (entry.counts["Dunning_errors"], entry.counts["Dunning_provider_skipped"]) == (1, 1)
    assert (entry.counts["Dunning_incomplete"], entry.counts["Dunning_conflicts"]) == (0, 0)


@pytest.mark.parametrize(
    ("patients", "paid"),
    [(2, ("inv-2",)), (4, ("inv-2", "inv-3"))],
    ids=["the last patient paid", "two patients paid before the last"],
)
def test_r18_r39_a_part_out_of_time_before_a_patient_paid_as_read_still_goes_on(patients, paid):
    """R18, R19, R39 (brief runs58b): the place a part goes on from is that of an invoice
    read and not done; one paid as the page was read is off the index and has none. A part
    out of time before a patient whose invoices were all paid so (and, read ahead, the next
    one's first) named no place: complete: false without continue_from, the rest of the
    day waited a day and DunningRunIncompleteAlarm rang.
    Given ``patients`` patients' invoices due a reminder on 31 December, those in ``paid``
    paid in full as the run's page was read (the page gives them paid, off the index)
    When the run goes on in parts with time for one patient each, the counts carried
    Then a patient with nothing on the index is taken as well (nothing is due on it), the
    part stops before the next patient on the index and goes on from its place: every
    invoice read once, each unpaid one reminded once, no letter for a paid one, the last
    part complete, no Dunning_incomplete.
    Before: one part, read 1, complete: false, no place; the last patient not reminded."""
    day = date(2026, 12, 31)
    world = DunningWorld(
        [one_invoice(100_000, number=n, patient_ref=f"P-{n}") for n in range(1, patients + 1)]
    )
    world.clock.set(day)
    due_for_dunning = world.store.due_for_dunning

    def paid_as_read(as_of, *, page_size=100, start_at=None):
        for page in due_for_dunning(as_of, page_size=page_size, start_at=start_at):
            for invoice in (i for i in page if i.invoice_id in paid):
                payment = LedgerEntry(
                    EntryKind.PAYMENT,
                    Component.PRINCIPAL,
                    -invoice.amount_due_cents,
                    datetime(2026, 12, 31, 5, 59, tzinfo=AMSTERDAM),
                    f"bank:{invoice.invoice_id}",
                )
                world.store.save_invoice(invoice.with_entry(payment))
            yield [world.invoice(i.invoice_id) for i in page]  # the page as read: paid ones too

    world.store.due_for_dunning = paid_as_read
    due_on = world.invoice().dunning_check_day  # each one's place on the index: that day
    ctx = DunningContext(world.store, world.files, world.queue, world.clock)

    parts = [run_dunning(ctx, day, has_time=lambda: False)]
    while (place := parts[-1].continue_from) is not None:
        carried = parts[-1].carried()
        parts.append(run_dunning(ctx, day, has_time=lambda: False, start_at=place, earlier=carried))

    first, last = parts[0], parts[-1]
    unpaid = [f"inv-{n}" for n in range(1, patients + 1) if f"inv-{n}" not in paid]
    assert len(parts) == len(unpaid)
    assert (first.read, first.steps["reminder"]) == (1 + len(paid), 1)
    # Each part goes on from the next unpaid patient's invoice; the last names no place.
    assert [part.continue_from for part in parts] == [
        DunningPlace(due_on, world.provider.provider_id, f"P-{i[4:]}", i) for i in unpaid[1:]
    ] + [None]
    whole = last.answer()
    assert (whole["read"], whole["steps"], whole["letters"]) == (
        patients,
        {"reminder": len(unpaid)},
        {REMINDER: len(unpaid)},
    )
    assert (whole["complete"], last.log_entry().counts["Dunning_incomplete"]) == (True, 0)
    assert sorted(request.invoice_id for request in world.queue.requests) == unpaid
    assert {world.invoice(i).dunning_stage for i in unpaid} == {DunningStage.REMINDED}
    assert all(world.invoice(i).reminder is None for i in paid)
