"""`make bench` (issue 18): the cost model's request units and the table of figures."""

import gc
import math
import os
from contextlib import contextmanager

import pytest

from billing_core.declarations.claims import Claim
from billing_core.declarations.csv_format import parse_declaration_csv
from billing_core.shared.bulk import cycle_collection_paused
from local import bench_vektis
from local.bench import (
    SANDBOX_TODAY,
    ColdStart,
    Figure,
    cold_start_row,
    import_environment,
    table,
)
from local.bench_cost import Meter
from local.bench_floor import objects_only
from local.bench_instructions import (
    collected_instructions,
    executed_instructions,
    valgrind_available,
)
from local.bench_large import ingest_in_memory, measure
from local.bench_timing import least_cpu_seconds
from local.bench_vektis import read_validate_map, vektis_file
from local.generate import declaration_csv


def _put(size: int) -> dict[str, object]:
    item = {"pk": {"S": "p"}, "sk": {"S": "s"}, "blob": {"S": "x" * (size - len("pkpsksblob"))}}
    return {"Put": {"TableName": "t", "Item": item}}


def test_a_cold_start_reads_bytecode_where_lambda_does_whatever_the_shell_says(
    monkeypatch, tmp_path
):
    # Given a shell that keeps bytecode under a prefix (PYTHONPYCACHEPREFIX: `import boto3`
    # read nothing of the virtualenv's bytecode and took 0.86 s of CPU instead of 0.16 s)
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(tmp_path / "pycache"))
    # When the bench makes the environment its cold starts are imported in
    environment = import_environment(tmp_path / "layer")
    # Then they read bytecode beside each module, as on Lambda, and write none
    assert "PYTHONPYCACHEPREFIX" not in environment
    assert environment["PYTHONDONTWRITEBYTECODE"] == "1"
    assert environment["PYTHONPATH"] == f"{tmp_path / 'layer'}:{tmp_path / 'function_code'}"


def test_a_transactional_write_costs_two_units_per_started_kilobyte():
    # Given a transaction putting one item of 1,500 bytes and one of 100 bytes
    meter = Meter(phase="ingest")
    body = {"TransactItems": [_put(1500), _put(100)]}
    # When the meter records it
    meter.record("dynamodb", "TransactWriteItems", body, {})
    # Then it counts 2 x 2 + 2 x 1 write units (1 KB each, transactions twice)
    assert meter.write_units == 6


def test_a_query_page_costs_half_a_unit_per_started_4_kilobytes_when_eventually_consistent():
    # Given a query answer of two items of 3,000 bytes each
    items = [{"pk": {"S": "x" * 2998}} for _ in range(2)]
    meter = Meter(phase="delivery")
    # When the meter records it (not a consistent read)
    meter.record("dynamodb", "Query", {"TableName": "t"}, {"Items": items})
    # Then 6,000 bytes are 2 read units, halved
    assert meter.read_units == 1


def test_nothing_outside_a_function_invocation_is_counted():
    # Given a meter outside any phase (the sandbox setting up, the bench reading results)
    meter = Meter()
    # When a request passes
    meter.record("dynamodb", "PutItem", {"Item": {"pk": {"S": "p"}}}, {})
    # Then it is not on the bill
    assert not meter.requests and meter.write_units == 0


def test_the_table_shows_target_floor_and_whether_a_figure_meets_it():
    # Given one ratio above its target and one rate without a target
    figures = [
        Figure("b", "core / bare", 5.4, "x", 5, 1, "same run"),
        Figure("a", "lines per second", 60_000, "lines/s", None, None, higher_is_better=True),
    ]
    # When the table is written
    rows = table(figures).splitlines()
    # Then the ratio shows its target, floor and a plain "no"; the rate shows no verdict
    assert rows[2] == "| b | core / bare | 5.4 x | <= 5 | 1 | **no** | same run |"
    assert rows[3] == "| a | lines per second | 60,000 lines/s | - | - | - |  |"


def test_the_measured_works_take_turns_and_keep_their_least_time():
    """Given a core and a bare pass to compare (bench (b), (h))
    When they are timed over three rounds
    Then they run turn about, three times each, and each gets its own least CPU time:
    a drift of the machine's speed weighs on both sides of the ratio alike."""
    calls: list[str] = []

    def busy(name: str, rounds_of_work: int) -> None:
        calls.append(name)
        sum(range(rounds_of_work))

    core, bare = least_cpu_seconds(
        lambda: busy("core", 2_000_000), lambda: busy("bare", 1_000), rounds=3
    )
    assert calls == ["core", "bare"] * 3
    assert core > bare >= 0


CALLGRIND_STDERR = """==4242== Callgrind, a call-graph generating cache profiler
==4242== Events    : Ir
==4242== Collected : 1329441890
==4242==
==4242== I   refs:      1,329,441,890
"""


def test_the_instruction_count_is_read_from_callgrinds_report():
    # Given what callgrind prints on stderr, when its count is read
    # Then it is the collected total, as a number
    assert collected_instructions(CALLGRIND_STDERR) == 1_329_441_890
    # and a report without one is an error, never a zero
    with pytest.raises(ValueError, match="no instruction count"):
        collected_instructions("==4242== Callgrind\n")


@pytest.mark.skipif(not valgrind_available(), reason="valgrind is installed by make bench")
def test_an_imports_instruction_count_is_the_same_in_every_run():
    # Given the same import run twice under callgrind with the same hash seed
    counts = {executed_instructions("import json", dict(os.environ)) for _ in range(2)}
    # Then both runs count the same: why (d) is judged on instructions (bench_instructions.py)
    assert len(counts) == 1


COLD = ColdStart(
    0.33, cpu_ratio=1.89, cpu_floor=1.24, instruction_ratio=2.02, instruction_floor=1.35
)


def test_a_cold_start_is_judged_on_instructions_with_the_cpu_ratio_in_the_note():
    # Given a handler whose import was both timed and counted
    figure = cold_start_row("declaration_ingest", COLD, boto=0.178)
    # Then the row's value and floor are the instruction ratios and the CPU ones are noted
    assert (figure.value, figure.floor, figure.meets) == (2.02, 1.35, False)
    assert "(instructions)" in figure.name and "CPU 1.89x (floor 1.24x)" in figure.note


def test_without_valgrind_a_cold_start_is_judged_on_cpu_time_and_says_so():
    # Given a machine where nothing was counted
    uncounted = ColdStart(0.33, 1.89, 1.24, instruction_ratio=None, instruction_floor=None)
    figure = cold_start_row("declaration_ingest", uncounted, boto=0.178)
    # Then the row is the CPU ratio, and its name says why
    assert (figure.value, figure.floor, figure.meets) == (1.89, 1.24, True)
    assert "no valgrind" in figure.name


def test_the_objects_floor_builds_what_the_core_keeps_and_checks_nothing():
    """(b)'s second floor is fair only if it builds no less than the core does.

    Given a generated declaration (every line valid; a few minors without a debtor, which
    is a warning) When the floor and the parser read it Then the floor's claims are the
    parser's, field for field, and it makes one draft per patient with a line per claim."""
    data = declaration_csv(300)
    parsed = parse_declaration_csv(data, today=SANDBOX_TODAY)
    drafts = objects_only(data)

    assert len(parsed.claims) == 300
    assert {finding.code for finding in parsed.findings} <= {"MINOR_WITHOUT_DEBTOR"}
    assert [claim for draft in drafts for claim in draft.claims] == parsed.claims
    assert len(drafts) == len({claim.patient_ref for claim in parsed.claims})
    assert all(len(draft.lines) == len(draft.claims) for draft in drafts)
    assert [line.claim_ref for draft in drafts for line in draft.lines] == [
        claim.claim_ref for claim in parsed.claims
    ]


def test_the_vektis_figure_frees_its_claims_before_the_collector_resumes(monkeypatch):
    """(h) measures what process_declaration does: claims kept past the pause would be
    walked by the collector's first run, a cost the ingest never pays.

    Given the bench's EI file of 40 treatment lines When (h)'s work reads it Then it
    counts every line, and no claim is alive when the pause ends."""
    alive_at_resume: list[int] = []
    # Claims other tests left alive, held by this frame to its end, so that no claim made
    # here can take one of their ids.
    earlier = [o for o in gc.get_objects() if type(o) is Claim]
    earlier_ids = {id(o) for o in earlier}

    @contextmanager
    def watched_pause():
        with cycle_collection_paused():
            yield
            alive_at_resume.append(
                sum(type(o) is Claim and id(o) not in earlier_ids for o in gc.get_objects())
            )

    data = vektis_file(40)
    monkeypatch.setattr(bench_vektis, "cycle_collection_paused", watched_pause)

    assert read_validate_map(data, 40) == 40
    assert alive_at_resume == [0]


def test_the_large_run_writes_its_invoices_through_the_repository(tmp_path):
    # Given a 300-line declaration, as (l) and (m) take a 100,000-line one
    path = tmp_path / "declaration.csv"
    path.write_bytes(declaration_csv(300))
    # When the large run's in-memory ingest takes it
    run = ingest_in_memory(str(path))
    # Then the repository wrote every line's claim marker and every invoice with its
    # kenmerk's marker, in transactions of at most 100 items that were counted
    assert run["lines"] == 300
    assert run["items_written"] >= run["lines"] + 2 * run["invoices"]
    assert run["transactions"] >= math.ceil(run["items_written"] / 100)


def test_the_large_runs_peak_is_its_own_not_the_bench_processs():
    # Given a bench process holding 300 MB (the full bench's heap when (m) runs)
    held = bytearray(300 * 1024 * 1024)
    held[::4096] = b"\x01" * len(held[::4096])  # touched, so resident
    # When the large run measures a 300-line file in its fresh interpreter
    run = measure(declaration_csv(300))
    # Then its peak is what that interpreter used (ru_maxrss would report the 300 MB)
    assert run.peak_mb < 200
    del held
