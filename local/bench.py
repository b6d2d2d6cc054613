"""`make bench`: performance figures as ratios measured in one run on this machine, printed as
one table with each figure's target and floor and written to out/bench.json (issue #18).

Ingest (issue #3):
  (a) lines/s through parse + validate + invoice building in the core alone,
  (b) that cost as a multiple of a bare csv.reader pass over the same bytes (target <= 5x, #18),
  (c) DynamoDB requests per invoice while ingesting on moto (target <= 0.05 for storage,
      floor: the items written per invoice in full 100-item transactions, the per-file
      idempotency record excluded),
  (d) the import of the ingest handler module against `import boto3` alone (cold-start proxy,
      target <= 2x), and the same ratio for every event-driven handler: judged in callgrind
      instructions (local/bench_instructions.py), with the CPU-time ratio beside it.
Vektis EI (issue #7):
  (g) EI lines per second through read + validate + mapping,
  (h) that cost as a multiple of a bare slicing pass over the same file (target <= 3x, #18).
Payment checker (issue #4):
  (e) payment-status requests per second through the patient API handler, in-process on moto,
  (f) DynamoDB requests per status check once warm (target: 1).
Dunning run (issue #5), over 200,000 stored invoices of which 1% need an action:
  (i) items read per action (target <= 1.2),
  (j) actions per second of the run handler in-process on moto.
A 100,000-line file end to end (issue #18 item 6, local/bench_large.py):
  (l) seconds of ingest + delivery enqueue, measured CPU plus modelled waits (target 15 min),
  (m) the memory it needs in Lambda (target: the function's 1,769 MB).
AWS bill (issue #18 item 4, local/bench_cost.py):
  (k) dollars per 1,000 invoices ingested and delivered, modelled from the counted requests
      (target <= $0.12; floor: SES's $0.10 per 1,000 e-mails for the share sent by e-mail).
Weekly retrocession (issue 14 item 7), one practice with 3,000 invoices over a year:
  (n) items read for one provider's week, every invoice issued so far against the week's
      ledger-week markers and the invoices they name,
  (o) items read per provider by the run handler in-process on moto.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from billing_core.declarations.csv_format import parse_declaration_csv
from billing_core.declarations.csv_rows import CsvRows
from billing_core.declarations.invoicing import plan_invoices
from billing_core.declarations.rules.coverage import RuleTableCoverage
from billing_core.shared.bulk import cycle_collection_paused
from local.bench_floor import objects_only
from local.bench_instructions import import_instructions, valgrind_available
from local.bench_timing import ROUNDS, least_cpu_seconds
from local.generate import declaration_csv
from local.resources import load_template
from local.seed import DENTAL, SANDBOX_TODAY

ROOT = Path(__file__).resolve().parent.parent
LINES = 100_000
# moto copies the whole table for every transaction (to roll back), so an ingest on moto
# slows down with the table; requests per invoice do not depend on the file size.
MOTO_LINES = 3_000
TRANSACTION_ITEMS = 100  # DynamoDB's most per TransactWriteItems


def core_ingest(data: bytes) -> int:
    """What process_declaration does between reading the file and touching storage, in
    its pause of the cycle collector: the claims and drafts are freed before it ends."""
    with cycle_collection_paused():
        return _parse_and_plan(data)


def _parse_and_plan(data: bytes) -> int:
    parsed = parse_declaration_csv(data, today=SANDBOX_TODAY)
    plan = plan_invoices(parsed.claims, DENTAL, RuleTableCoverage(DENTAL))
    return len(plan.drafts)


def bare_csv(data: bytes) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";"))


def bare_rows(data: bytes) -> int:
    """A bare pass of the row reader the core uses (plain lines split by str.split)."""
    return sum(1 for _ in CsvRows(data.decode("utf-8"), ";"))


def objects_floor(data: bytes) -> int:
    """What the core ingest keeps, built unchecked, in the same pause of the collector."""
    with cycle_collection_paused():
        return len(objects_only(data))


def bench_core(data: bytes) -> tuple[float, float, float, float]:
    """Lines per second of the core; the core and the objects it keeps, each / bare pass;
    the core / a bare pass of its own row reader."""
    core, bare, objects, rows = least_cpu_seconds(
        lambda: core_ingest(data),
        lambda: bare_csv(data),
        lambda: objects_floor(data),
        lambda: bare_rows(data),
    )
    return LINES / core, core / bare, objects / bare, core / rows


def bench_dynamodb_requests(data: bytes) -> tuple[float, int, Counter[str], float]:
    from local.sandbox import Sandbox

    calls: Counter[str] = Counter()
    written: Counter[str] = Counter()  # items in the transactions
    counting = False

    # The repository's client only: the upload's idempotency record goes through the
    # client Powertools makes for it, so it is not counted, as in the cost model's (c).
    def count(model: Any, **_: Any) -> None:
        if counting:
            calls[model.name] += 1

    def count_items(params: dict[str, Any], **_: Any) -> None:
        if counting:
            written["items"] += len(params["TransactItems"])

    with Sandbox(SANDBOX_TODAY) as sandbox:
        events = sandbox.runtime.repository.client.meta.events
        events.register("before-call.dynamodb", count)
        events.register("before-parameter-build.dynamodb.TransactWriteItems", count_items)
        sandbox.handler("declaration_ingest")  # imported before counting: cold start is not ingest
        counting = True
        sandbox.upload_declaration(DENTAL.provider_id, "bench.csv", data)
        counting = False
        summary = _last_summary(sandbox)
        invoices = summary["invoices"]
        return sum(calls.values()) / invoices, invoices, calls, written["items"] / invoices


def _last_summary(sandbox: Any) -> dict[str, Any]:
    records, _ = sandbox.runtime.repository.list_declarations(DENTAL.provider_id, limit=1)
    return records[0].summary


def bench_payment_status(checks: int = 2_000) -> tuple[float, float]:
    from local.sandbox import Sandbox

    with Sandbox(SANDBOX_TODAY) as sandbox:
        sandbox.upload_declaration(DENTAL.provider_id, "bench.csv", declaration_csv(300))
        invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id, limit=500)
        references = [i.reference for i in invoices]
        sandbox.api("GET", f"/api/v1/payment-status/{references[0]}")  # warm: provider cache
        calls: Counter[str] = Counter()
        sandbox.runtime.repository.client.meta.events.register(
            "before-call.dynamodb", lambda model, **_: calls.update([model.name])
        )
        started = time.perf_counter()
        for n in range(checks):
            status, _ = sandbox.api(
                "GET", f"/api/v1/payment-status/{references[n % len(references)]}"
            )
            assert status == 200
        elapsed = time.perf_counter() - started
        return checks / elapsed, sum(calls.values()) / checks


# The handlers that events start (the two APIs are measured with their routes, issue 11).
EVENT_HANDLERS = (
    "declaration_ingest",
    "retour_import",
    "bank_statement_import",
    "collection_report_import",
    "invoice_delivery",
    "dunning_run",
    "retrocession_run",
    "ses_events",
    "psp_webhook",
    "expired_letters",
)


def built_layer(artifacts: Path) -> Path:
    """The billing_core layer as `sam build` makes it (layers/billing_core/Makefile): its
    modules with their hash-based bytecode, compiled by this interpreter instead of the
    runtime's 3.12. The dependencies come from the virtualenv, which pip compiled too, so
    the requirements are left out (their Lambda wheels are arm64)."""
    subprocess.run(
        [
            *("make", "--silent", "-f", str(ROOT / "layers" / "billing_core" / "Makefile")),
            "build-BillingCoreLayer",
            f"ARTIFACTS_DIR={artifacts}",
            f"LAYER_PYTHON={sys.executable}",
            "LAMBDA_PYTHON_VERSION={}.{}".format(*sys.version_info[:2]),
            f"REQUIREMENTS={os.devnull}",
        ],
        check=True,
    )
    return artifacts / "python"


def function_code(artifacts: Path) -> Path:
    """The functions' own code as SAM zips it: source, no bytecode. Lambda's /var/task is
    read-only, so a handler's modules are compiled on every cold start; copied without
    ``__pycache__`` and imported without writing any (``import_environment``), they are
    compiled in every count, whatever bytecode the checkout's tests left (stop 53: the
    retour import counted 1.998x in a checkout that had run its tests, 2.003x in a fresh
    clone, the handler's ``app.py`` compiled)."""
    target = artifacts / "function_code"
    ignored = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "functions", target / "functions", ignore=ignored)
    return target


@cache
def lambda_environment() -> dict[str, str]:
    """The environment every function gets from template.yaml's Globals, where it is a
    plain value (the rest names resources, which an import does not touch). Read when a
    cold start is measured, not when the bench (or a test of its table) is imported."""
    variables = load_template()["Globals"]["Function"]["Environment"]["Variables"]
    return {name: value for name, value in variables.items() if isinstance(value, str)}


def import_environment(layer: Path) -> dict[str, str]:
    """billing_core from the built ``layer`` and the functions' code beside it
    (``function_code``), as on Lambda, which writes no bytecode next to either; with the
    functions' environment from the template; the same for every module, boto3 included
    (no AWS call is made at import; the region only keeps botocore quiet). Bytecode is read
    beside each module, as on Lambda: a PYTHONPYCACHEPREFIX of the shell would hide the
    layer's and the virtualenv's (``import boto3`` 0.16 s -> 0.86 s of CPU, compiled)."""
    environment = {**os.environ, **lambda_environment(), "AWS_DEFAULT_REGION": "eu-central-1"}
    environment["PYTHONPATH"] = f"{layer}:{layer.parent / 'function_code'}"
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    environment.pop("PYTHONPYCACHEPREFIX", None)
    return environment


def import_seconds(module: str, layer: Path) -> float:
    """CPU time of ``import module`` in a fresh interpreter: what a cold start pays before
    the first event."""
    code = f"import time; t = time.process_time(); import {module}; print(time.process_time() - t)"
    answer = subprocess.run(
        [sys.executable, "-c", code],
        env=import_environment(layer),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(answer.stdout)


# What a handler cannot start without, by construction: boto3, pydantic (the provider's
# settings are its models) and Powertools' logger; the invoice delivery also renders every
# invoice it sends (R8) with Jinja2, segno and fpdf2. Their import is each figure's floor.
EVERY_HANDLER_NEEDS = "boto3, pydantic.main, aws_lambda_powertools.logging"
LIBRARIES_OF = {
    name: EVERY_HANDLER_NEEDS + (", jinja2, segno, fpdf" if name == "invoice_delivery" else "")
    for name in EVENT_HANDLERS
}
IMPORT_ROUNDS = 7


@dataclass(frozen=True)
class ColdStart:
    """One handler's import against ``import boto3``: in CPU time (medians over rounds) and,
    where valgrind is installed, in instructions (one count: it does not vary)."""

    seconds: float
    cpu_ratio: float
    cpu_floor: float
    instruction_ratio: float | None
    instruction_floor: float | None


def bench_import_time(rounds: int = IMPORT_ROUNDS) -> tuple[float, dict[str, ColdStart]]:
    """``import boto3`` in seconds, and per handler module its cold start: CPU medians over
    ``rounds``, each round timing boto3, every handler and every floor, so a busy moment on
    the machine weighs on both sides of a ratio alike; then the instruction counts."""
    boto: list[float] = []
    handlers: dict[str, list[float]] = {name: [] for name in EVENT_HANDLERS}
    floors: dict[str, list[float]] = {libraries: [] for libraries in set(LIBRARIES_OF.values())}
    modules = {name: f"functions.{name}.app" for name in EVENT_HANDLERS}
    with tempfile.TemporaryDirectory() as artifacts:
        layer = built_layer(Path(artifacts))
        function_code(Path(artifacts))
        for _ in range(rounds):
            boto.append(import_seconds("boto3", layer))
            for module, seconds in (handlers | floors).items():
                seconds.append(import_seconds(modules.get(module, module), layer))
        counted = (
            import_instructions(["boto3", *modules.values(), *floors], import_environment(layer))
            if valgrind_available()
            else None
        )

    def instruction_ratio(module: str) -> float | None:
        return None if counted is None else counted[module] / counted["boto3"]

    cold_starts = {
        name: ColdStart(
            statistics.median(seconds),
            _median_ratio(seconds, boto),
            _median_ratio(floors[LIBRARIES_OF[name]], boto),
            instruction_ratio(modules[name]),
            instruction_ratio(LIBRARIES_OF[name]),
        )
        for name, seconds in handlers.items()
    }
    return statistics.median(boto), cold_starts


def _median_ratio(seconds: list[float], boto: list[float]) -> float:
    return statistics.median(s / b for s, b in zip(seconds, boto, strict=True))


@dataclass(frozen=True)
class Figure:
    """One row of the bench table: what was measured, the goal and the least it can be."""

    key: str
    name: str
    value: float
    unit: str
    target: float | None  # None: a rate reported for comparison between runs
    floor: float | None
    note: str = ""
    higher_is_better: bool = False

    @property
    def meets(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.5g}"


def table(figures: list[Figure]) -> str:
    """The figures as a Markdown table: the README's bench table ("make bench")."""
    rows = [
        "| | figure | value | target | floor | met | how measured |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        sign = ">=" if f.higher_is_better else "<="
        target = "-" if f.target is None else f"{sign} {_number(f.target)}"
        met = {True: "yes", False: "**no**", None: "-"}[f.meets]
        value = f"{_number(f.value)} {f.unit}".strip()
        rows.append(
            f"| {f.key} | {f.name} | {value} | {target} | {_number(f.floor)} | {met} | {f.note} |"
        )
    return "\n".join(rows)


def write_json(figures: list[Figure], path: Path = ROOT / "out" / "bench.json") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{**asdict(f), "meets": f.meets} for f in figures]
    path.write_text(json.dumps({"figures": rows}, indent=2) + "\n")


def core_figures(data: bytes) -> list[Figure]:
    lines_per_second, ratio, objects, own_rows = bench_core(data)
    return [
        Figure(
            "a",
            "core ingest: parse + validate + invoices",
            lines_per_second,
            "lines/s",
            None,
            None,
            f"{LINES:,} lines, CPU time, least of {ROUNDS}",
            higher_is_better=True,
        ),
        Figure(
            "b",
            "core ingest / bare csv.reader pass",
            ratio,
            "x",
            5,
            1,
            "same bytes, turn about in one run; the objects it keeps, built unchecked "
            f"(local/bench_floor.py): {objects:.2f}x; the core / a bare pass of its own row "
            f"reader (csv_rows, which splits plain lines): {own_rows:.2f}x; profile in docs/bench/",
        ),
    ]


def storage_figures() -> list[Figure]:
    per_invoice, invoices, calls, items = bench_dynamodb_requests(declaration_csv(MOTO_LINES))
    detail = ", ".join(f"{op} {n}" for op, n in sorted(calls.items()))
    return [
        Figure(
            "c",
            "DynamoDB requests per invoice (ingest)",
            per_invoice,
            "",
            0.05,
            items / TRANSACTION_ITEMS,  # every transaction full, nothing read
            f"{MOTO_LINES:,} lines on moto, {invoices:,} invoices: {detail}; "
            f"{items:.2f} items written per invoice (no claim-marker pre-read, #18)",
        ),
    ]


def cold_start_figures() -> list[Figure]:
    boto, handlers = bench_import_time()
    return [cold_start_row(name, cold, boto) for name, cold in handlers.items()]


def cold_start_row(name: str, cold: ColdStart, boto: float) -> Figure:
    """Judged on instructions where valgrind counted them (local/bench_instructions.py says
    why); the CPU figures ride along in the note."""
    cpu = (
        f"CPU {cold.cpu_ratio:.2f}x (floor {cold.cpu_floor:.2f}x): {cold.seconds * 1000:.0f} ms "
        f"vs {boto * 1000:.0f} ms, medians of {IMPORT_ROUNDS}"
    )
    if cold.instruction_ratio is None or cold.instruction_floor is None:
        judge, value, floor, how = "CPU time: no valgrind", cold.cpu_ratio, cold.cpu_floor, cpu
    else:
        judge, value, floor = "instructions", cold.instruction_ratio, cold.instruction_floor
        how = f"callgrind, Python's start taken off; {cpu}"
    return Figure(
        f"d {name}",
        f"import {name} / import boto3 ({judge})",
        value,
        "x",
        2,
        floor,
        f"{how}; floor: import {LIBRARIES_OF[name]}; layer as built",
    )


def vektis_figures() -> list[Figure]:
    from local.bench_vektis import bench_vektis

    per_second, ratio = bench_vektis(LINES)
    return [
        Figure(
            "g",
            "Vektis EI read + validate + mapping",
            per_second,
            "lines/s",
            None,
            None,
            f"{LINES:,} 04 records, CPU time",
            higher_is_better=True,
        ),
        Figure(
            "h", "EI core / bare slicing pass", ratio, "x", 3, 1, "same file, turn about in one run"
        ),
    ]


def payment_status_figures() -> list[Figure]:
    per_second, requests = bench_payment_status()
    return [
        Figure(
            "e",
            "payment-status checks per second",
            per_second,
            "/s",
            None,
            None,
            "API handler in-process on moto",
            higher_is_better=True,
        ),
        Figure("f", "DynamoDB requests per status check", requests, "", 1, 1, "once warm"),
    ]


def dunning_figures() -> list[Figure]:
    from local.bench_dunning import STORED, bench_dunning

    per_action, actions_per_second, actions, read, modelled = bench_dunning()
    detail = ", ".join(f"{op} {n:,}" for op, n in sorted(read.items()))
    return [
        Figure(
            "i",
            "dunning: items read per action",
            per_action,
            "",
            1.2,
            1,
            f"{STORED:,} stored, {actions:,} actions: {detail}",
        ),
        Figure(
            "j",
            "dunning: actions per second",
            actions_per_second,
            "/s",
            None,
            None,
            "run handler in-process on moto (moto walks the table per Query)",
            higher_is_better=True,
        ),
        Figure(
            "j'",
            "dunning: actions per second, DynamoDB calls counted",
            modelled,
            "/s",
            None,
            None,
            "the same run without moto's time: handler time + each request at an assumed "
            "latency (DynamoDB 8 ms, SQS 15 ms, local/bench_dunning.py)",
            higher_is_better=True,
        ),
    ]


def cost_figures() -> list[Figure]:
    from local.bench_cost import COST_LINES, bench_cost

    run = bench_cost(declaration_csv(COST_LINES))
    dollars = run.per_thousand()
    parts = ", ".join(f"{service} {cost:.4f}" for service, cost in dollars.items())
    ses_floor = run.emails / run.invoices * 0.10  # $0.10 per 1,000 e-mails
    return [
        Figure(
            "k",
            "AWS cost per 1,000 invoices (ingest + delivery)",
            sum(dollars.values()),
            "$",
            0.12,
            ses_floor,
            f"{run.invoices:,} invoices, {run.emails:,} by e-mail; $ {parts}; "
            "prices: local/data/aws_prices_eu_central_1.json",
        ),
    ]


def large_file_figures(data: bytes) -> list[Figure]:
    from local.bench_large import measure

    run = measure(data)
    waits = (
        f"{run.transactions:,} transactions ({run.items_written:,} items, counted through "
        f"the repository), {run.sqs_batches:,} SQS batches"
    )
    return [
        Figure(
            "l",
            f"{LINES:,}-line ingest + delivery enqueue, modelled",
            run.modelled_seconds,
            "s",
            900,
            run.cpu_seconds,
            f"{run.invoices:,} invoices; {run.cpu_seconds:.1f} s CPU measured + {waits} "
            "at assumed latencies (local/bench_large.py)",
        ),
        Figure(
            "m",
            "its peak memory + Lambda runtime",
            run.lambda_mb,
            "MB",
            1769,
            run.lambda_mb,
            f"maximum resident set {run.peak_mb:.0f} MB measured; the function has 1,769 MB",
        ),
    ]


def retrocession_figures() -> list[Figure]:
    from local.bench_retrocession import HISTORY, bench_retrocession

    print(
        f"    storing {HISTORY:,} invoices of a year on moto for the retrocession ...", flush=True
    )
    moved, before, after, per_provider = bench_retrocession()
    return [
        Figure(
            "n",
            "retrocession: items read for one practice's week",
            after,
            "items",
            2 * moved,
            moved,
            f"{moved} of {HISTORY:,} invoices moved that week; was {before:,} (every invoice "
            "issued so far); target: a ledger-week marker and the invoice per moved invoice",
        ),
        Figure(
            "o",
            "retrocession: items read per provider by the run handler",
            per_provider,
            "items",
            2 * moved + 1,
            moved + 1,
            "the run handler in-process on moto: the week's reads and the provider's settings",
        ),
    ]


def main(only: list[str]) -> None:
    """Every figure, or only the groups whose letters are given (``python -m local.bench
    b d h``: the rows of those letters); the JSON is written only for a full run."""
    print(f"zorgnota bench — generating a {LINES:,}-line declaration ...", flush=True)
    data = declaration_csv(LINES) if not only or {"a", "b", "l", "m"} & set(only) else b""
    print(f"  {len(data) / 1e6:.1f} MB\n", flush=True)
    # The CPU ratios first, while this process is still small: the moto runs leave a heap
    # of hundreds of MB behind, which the cold starts' subprocesses and the parsers'
    # passes would otherwise measure too.
    groups: dict[str, Callable[[], list[Figure]]] = {
        "d": cold_start_figures,
        "ab": lambda: core_figures(data),
        "gh": vektis_figures,
        "lm": lambda: large_file_figures(data),
        "c": storage_figures,
        "ef": payment_status_figures,
        "ijj'": dunning_figures,
        "k": cost_figures,
        "no": retrocession_figures,
    }
    figures: list[Figure] = []
    for letters, measure in groups.items():
        if only and not any(key in letters for key in only):
            continue
        done = measure()
        for f in done:
            print(f"  ({f.key}) {f.name}: {_number(f.value)} {f.unit}", flush=True)
        figures.extend(done)
    print()
    print(table(figures))
    if not only:
        write_json(figures)


if __name__ == "__main__":
    main(sys.argv[1:])
