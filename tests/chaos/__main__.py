"""`make chaos`: the chaos and fault figures of issue 13 item 16, one table, each figure
with its goal, also written to out/chaos.json.

    python -m tests.chaos                  # a fresh seed, printed first
    python -m tests.chaos --seed 2026      # the same run again
    python -m tests.chaos --quick          # the sizes of the `make test` sample
    python -m tests.chaos --seed 2026 --only "money walk"   # one scenario of that run

Exit status 0 also when a goal is not met: the figures are measured and reported, the
sample in `make test` (tests/chaos/test_sample.py) is what fails.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.chaos import scenarios
from tests.chaos.scenarios import Figure, Progress

OUT = Path("out") / "chaos.json"


@dataclass(frozen=True)
class Sizes:
    dunning_seeds: int
    writers: int
    fuzz_files: int
    references: int
    walks: int
    walk_steps: int
    queries: int


FULL = Sizes(
    dunning_seeds=20,
    writers=50,
    fuzz_files=10_000,
    references=10_000,
    walks=20,
    walk_steps=60,
    queries=5_000,
)
QUICK = Sizes(
    dunning_seeds=3, writers=50, fuzz_files=200, references=200, walks=1, walk_steps=30, queries=200
)


def main(argv: list[str]) -> int:
    arguments = _arguments(argv)
    seed = arguments.seed if arguments.seed is not None else random.SystemRandom().randrange(10**6)
    sizes = QUICK if arguments.quick else FULL
    print(f"chaos: seed {seed} (python -m tests.chaos --seed {seed} repeats this run)")
    started = time.monotonic()
    figures: list[Figure] = []
    chosen = [(n, s) for n, s in _scenarios(seed, sizes) if arguments.only in n]
    for name, scenario in chosen:
        print(f"- {name} ...", flush=True)
        began = time.monotonic()
        figures += scenario(_progress(name))
        print(f"  done in {time.monotonic() - began:.0f} s", flush=True)
    print()
    print(table(figures))
    for figure in figures:
        if figure.detail:
            print(f"  {figure.scenario} / {figure.measure}: {json.dumps(figure.detail)}")
    met = sum(figure.met for figure in figures)
    print(f"\n{met} of {len(figures)} goals met, seed {seed}, {time.monotonic() - started:.0f} s")
    OUT.parent.mkdir(exist_ok=True)
    document = {"seed": seed, "sizes": sizes.__dict__, "figures": [f.as_dict() for f in figures]}
    OUT.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {OUT}")
    return 0


def _scenarios(seed: int, sizes: Sizes) -> list[tuple[str, Callable[[Progress], list[Figure]]]]:
    """Each scenario with a random of its own, so one can be replayed without the rest."""

    def rng(n: int) -> random.Random:
        return random.Random(seed * 100 + n)

    seeds = [seed * 100 + 10 + n for n in range(sizes.dunning_seeds)]
    walks = [seed * 100 + 50 + n for n in range(sizes.walks)]
    return [
        ("S3 event redelivered", lambda _: scenarios.redelivered_s3_event(rng(1))),
        ("same declaration key PUT twice", lambda _: scenarios.same_key_put_twice(rng(2))),
        ("dunning run killed and rerun", lambda p: scenarios.dunning_killed(seeds, p)),
        ("concurrent writers", lambda _: [scenarios.concurrent_writers(sizes.writers)]),
        ("fuzzed files", lambda p: [scenarios.fuzzed_files(rng(3), sizes.fuzz_files, p)]),
        ("random references", lambda p: [scenarios.random_references(rng(4), sizes.references, p)]),
        ("money walk", lambda p: [scenarios.money_walk(walks, sizes.walk_steps, p)]),
        ("fuzzed queries", lambda p: [scenarios.fuzzed_queries(rng(5), sizes.queries, p)]),
    ]


def _progress(name: str) -> Progress:
    def show(done: int, of: int) -> None:
        print(f"  {name}: {done:,} of {of:,}", flush=True)

    return show


def table(figures: list[Figure]) -> str:
    """Plain text, fixed columns: what was done, what was measured, the figure, the goal."""
    rows = [("scenario", "measure", "value", "goal", "met", "runs")]
    rows += [
        (f.scenario, f.measure, str(f.value), str(f.goal), "yes" if f.met else "NO", f.runs)
        for f in figures
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.chaos", description=__doc__)
    parser.add_argument("--seed", type=int, help="repeat a run (default: a fresh seed)")
    parser.add_argument("--quick", action="store_true", help="the sizes of the make test sample")
    parser.add_argument(
        "--only", default="", help="the scenarios whose name holds this (e.g. 'money walk')"
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
