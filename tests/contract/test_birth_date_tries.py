"""The count of wrong birth dates per reference (issue 13.3), alike on both stores."""

from __future__ import annotations

from datetime import timedelta

from tests.contract.samples import NOON

HOUR = timedelta(hours=1)
REFERENCE = "12234534622567"


def test_wrong_birth_dates_count_while_each_follows_within_the_window(store):
    assert store.wrong_birth_dates(REFERENCE, NOON) == 0
    for minutes in (0, 50, 100):  # each within an hour of the one before
        store.add_wrong_birth_date(REFERENCE, NOON + timedelta(minutes=minutes), HOUR)
    last = NOON + timedelta(minutes=100)
    assert store.wrong_birth_dates(REFERENCE, last + timedelta(minutes=59)) == 3
    assert store.wrong_birth_dates("12345678901234", last) == 0  # per reference


def test_the_count_is_forgotten_an_hour_after_the_last_and_starts_again(store):
    store.add_wrong_birth_date(REFERENCE, NOON, HOUR)
    store.add_wrong_birth_date(REFERENCE, NOON, HOUR)
    assert store.wrong_birth_dates(REFERENCE, NOON + HOUR) == 0
    store.add_wrong_birth_date(REFERENCE, NOON + HOUR, HOUR)
    assert store.wrong_birth_dates(REFERENCE, NOON + HOUR) == 1
