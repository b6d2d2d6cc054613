"""Bulk work on large declaration files, and the cold start's imports.

Parsing 100,000 lines creates a million small acyclic objects (claims, people,
addresses, lines). Python's cyclic garbage collector would walk that growing heap again
and again while nothing in it can form a cycle — reference counting frees it all — so
the bulk phases pause it. Measured by `make bench`: it roughly halves the core's cost.

Pause around a call whose bulk objects are freed before the pause ends (the ingest use
case pauses around its whole upload): objects still alive when the collector resumes are
all walked at its first collection, which for a 100,000-line file costs a third of a bare
csv.reader pass. Measured in docs/bench/.

A function's imports are the other case: everything they make is kept, so collecting
while they run finds nothing; ``long_lived_imports`` pauses the collector around them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def long_lived_imports() -> Iterator[None]:
    """Pause around a Lambda function's module imports (its cold start, issue 11 item 5).

    What an import makes (modules, classes, functions, tables) lives as long as the
    process, so collecting cycles while it is made is wasted work: a sixth of a handler's
    import, measured by `make bench` (d). The first load in a process is then frozen
    (``gc.freeze``): without it the collector's first run after the pause walks every
    object the imports made (7% of a handler's import, counted with callgrind), and
    would walk them again in later collections. A Lambda execution environment loads its
    function once; a process that loads functions again (the sandbox, the tests) freezes
    only the first load, because a freeze keeps its objects' cycles for good (freezing
    every load kept every earlier sandbox's garbage: 12 GB in one test run)."""
    global _first_load_frozen
    with cycle_collection_paused():
        yield
        if not _first_load_frozen:
            gc.freeze()
            _first_load_frozen = True


_first_load_frozen = False
