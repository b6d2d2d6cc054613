"""The cycle collector around bulk work and a cold start's imports (shared/bulk.py,
issue 11 item 5)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import billing_core
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


def test_a_cold_start_loads_with_the_collector_paused():
    """Given a function's imports loaded in long_lived_imports()
    When they are done
    Then the collector runs again."""
    gc.enable()
    with long_lived_imports():
        assert not gc.isenabled()
        tables = [{"row": n} for n in range(1_000)]
    assert gc.isenabled() and tables


FREEZE_COUNTS_OVER_TWO_LOADS = """
import gc
from billing_core.shared.bulk import long_lived_imports

counts, loads = [gc.get_freeze_count()], []
for _ in range(2):
    with long_lived_imports():
        loads.append([[n] for n in range(1_000)])  # kept, and tracked by the collector
    counts.append(gc.get_freeze_count())
print(*counts)
"""


def test_only_the_first_load_in_a_process_is_frozen():
    """Given a fresh process (a Lambda execution environment) that loads a function, and
    then loads one again (as the sandbox does for every sandbox)
    When each load ends
    Then the first load's objects are frozen, so the collector never walks them, and the
    second load freezes nothing: a process that loads functions again keeps at most one
    load's garbage (freezing every load kept 12 GB in one test run)."""
    layer = Path(billing_core.__file__).parent.parent
    answer = subprocess.run(
        [sys.executable, "-c", FREEZE_COUNTS_OVER_TWO_LOADS],
        env={**os.environ, "PYTHONPATH": str(layer)},
        capture_output=True,
        text=True,
        check=True,
    )
    before, after_first, after_second = map(int, answer.stdout.split())
    assert before == 0
    assert after_first >= 1_000
    assert after_second == after_first  # nothing of the second load
