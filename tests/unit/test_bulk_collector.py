"""The cycle collector around bulk work and a cold start's imports (shared/bulk.py,
issue 11 item 5)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from billing_core.shared.bulk import cycle_collection_paused, long_lived_imports


@pytest.fixture(autouse=True)
def collector_as_it_was() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()


def test_bulk_work_runs_with_the_collector_paused_and_resumes_it():
    """Given the collector on, when bulk work runs in the pause, then the collector is
    off during it and on again afterwards, also when the work fails."""
    gc.enable()
    with pytest.raises(RuntimeError), cycle_collection_paused():
        assert not gc.isenabled()
        raise RuntimeError("the upload failed")
    assert gc.isenabled()


def test_a_pause_leaves_a_collector_that_was_off_off():
    """Given a caller that turned the collector off itself, when a pause ends, then it
    stays off: the pause does not decide for its caller."""
    gc.disable()
    with cycle_collection_paused():
        pass
    assert not gc.isenabled()


def test_a_cold_start_loads_with_the_collector_paused_and_freezes_nothing():
    """Given a function's imports loaded in long_lived_imports()
    When they are done
    Then the collector runs again and nothing was frozen: the sandbox loads a function
    again for every sandbox, and a freeze would keep each one's garbage for good."""
    gc.enable()
    frozen_before = gc.get_freeze_count()
    with long_lived_imports():
        assert not gc.isenabled()
        tables = [{"row": n} for n in range(1_000)]
    assert gc.isenabled() and tables
    assert gc.get_freeze_count() == frozen_before
