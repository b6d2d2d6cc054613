"""CPU time of work measured against a bare pass in the same run (`make bench` (b), (h))."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

ROUNDS = 5


def least_cpu_seconds(*works: Callable[[], Any], rounds: int = ROUNDS) -> list[float]:
    """Each work's least CPU time over ``rounds``, the works taking turns within a round.

    CPU time, so other processes on the machine do not count; the least of several runs,
    because noise only ever adds; taking turns, because this machine's speed drifts by a
    quarter over minutes, and a ratio of two figures measured minutes apart would follow
    the drift instead of the code."""
    least = [float("inf")] * len(works)
    for _ in range(rounds):
        for position, work in enumerate(works):
            started = time.process_time()
            work()
            least[position] = min(least[position], time.process_time() - started)
    return least
