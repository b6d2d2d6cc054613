"""The mark of the last day whose agency files the dunning run wrote (R34, audit calendar
D2): absent before the first run, moved on by each run, never back by a replay."""

from __future__ import annotations

from datetime import date


def test_the_mark_starts_absent_moves_on_and_never_back(store):
    # Given a table no run has written agency files for
    assert store.agency_files_written_through() is None
    # When a run writes through 29 December, then through 2 January
    store.note_agency_files_written(date(2026, 12, 29))
    store.note_agency_files_written(date(2027, 1, 2))
    # And an operator replays a day before that
    store.note_agency_files_written(date(2026, 12, 31))
    # Then the mark stays on the latest day written
    assert store.agency_files_written_through() == date(2027, 1, 2)


def test_the_files_owed_are_added_and_settled_each_on_its_own(store):
    """R34, R39 (audit agency52 item 1): the days whose agency file was written without a
    stored invoice that did not load, kept until a run writes them with it mended."""
    from billing_core.ports import UnreadableInvoice

    # Given a table no run has owed a file on
    assert store.agency_files_owed() == set()
    broken = UnreadableInvoice("tandarts-de-vries", "inv-1")
    other = UnreadableInvoice("huisarts-jansen", "inv-2")
    monday, tuesday = date(2027, 2, 8), date(2027, 2, 9)
    # When two runs owe files, one of them twice, and a third settles one of them
    store.note_agency_files_owed([(monday, broken), (monday, other)])
    store.note_agency_files_owed([(tuesday, broken), (monday, broken)])
    store.note_agency_files_owed([], settled=[(monday, broken)])
    # Then the others are still owed, each once, with the ids they were owed to
    assert store.agency_files_owed() == {(monday, other), (tuesday, broken)}
    # And once every one is settled none is
    store.note_agency_files_owed([], settled=[(monday, other), (tuesday, broken)])
    assert store.agency_files_owed() == set()
