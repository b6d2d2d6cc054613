"""Instructions an import executes, counted by valgrind's callgrind: the judge of (d).

Why not CPU time alone: two quiet runs of the same code on this 2-core machine gave the
(d) floor as 1.26x and 1.70x boto3 in CPU time (an import is also file stats, page faults
and a shared library's relocations, which the machine's state weighs differently on each
side of the ratio). An import's instruction count is the same in every run for the same
bytecode and hash seed, so a change of 2% shows as 2%. The CPU ratio stays in the row's
note. valgrind is Debian's (`make bench` installs it); without it the rows fall back to
CPU time and say so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor

_COLLECTED = re.compile(r"Collected : (\d+)")
# Python's own start, counted once and taken off every import: it is not the import's.
INTERPRETER_START = "pass"


def valgrind_available() -> bool:
    return shutil.which("valgrind") is not None


def collected_instructions(callgrind_report: str) -> int:
    """The total callgrind prints on stderr (``==123== Collected : 1329441890``)."""
    found = _COLLECTED.search(callgrind_report)
    if found is None:
        raise ValueError("callgrind printed no instruction count")
    return int(found.group(1))


def executed_instructions(code: str, environment: Mapping[str, str]) -> int:
    """Instructions of ``python -c code``, with a fixed hash seed (set and dict orders, and
    so the work an import does, depend on it)."""
    run = subprocess.run(
        [
            *("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"),
            *(sys.executable, "-c", code),
        ],
        env={**environment, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    return collected_instructions(run.stderr)


def import_instructions(modules: Iterable[str], environment: Mapping[str, str]) -> dict[str, int]:
    """Per module (or comma-separated modules), the instructions of importing it in a fresh
    interpreter, Python's start taken off; one count per core at a time, since a count does
    not depend on what else the machine does."""
    codes = {INTERPRETER_START: INTERPRETER_START} | {m: f"import {m}" for m in modules}
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        counts = pool.map(lambda code: executed_instructions(code, environment), codes.values())
        counted = dict(zip(codes, counts, strict=True))
    start = counted.pop(INTERPRETER_START)
    return {module: count - start for module, count in counted.items()}
