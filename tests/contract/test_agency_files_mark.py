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
