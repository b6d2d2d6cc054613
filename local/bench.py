"""`make bench`: performance figures as ratios measured in one run on this machine.

Ingest (issue #3):
  (a) lines/s through parse + validate + invoice building in the core alone,
  (b) that cost as a multiple of a bare csv.reader pass over the same bytes (target <= 10x),
  (c) DynamoDB requests per invoice while ingesting on moto (target <= 0.1 for storage,
      the per-file idempotency record excluded),
  (d) import time of the ingest handler module against `import boto3` alone (cold-start proxy,
      target <= 2x), and the same ratio for every event-driven handler.
Vektis EI (issue #7):
  (g) EI lines per second through read + validate + mapping,
  (h) that cost as a multiple of a bare slicing pass over the same file (target <= 5x).
Payment checker (issue #4):
  (e) payment-status requests per second through the patient API handler, in-process on moto,
  (f) DynamoDB requests per status check once warm (target: 1).
Dunning run (issue #5), over 200,000 stored invoices of which 1% need an action:
  (i) items read per action (target <= 1.2),
  (j) actions per second of the run handler in-process on moto.
Weekly retrocession (issue 14 item 7), one practice with 3,000 invoices over a year:
  (k) items read for one provider's week, every invoice issued so far against the week's
      ledger-week markers and the invoices they name,
  (l) items read per provider by the run handler in-process on moto.
"""

from __future__ import annotations

import csv
import io
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from billing_core.declarations.csv_format import parse_declaration_csv
from billing_core.declarations.invoicing import plan_invoices
from billing_core.declarations.rules.coverage import RuleTableCoverage
from billing_core.shared.bulk import cycle_collection_paused
from local.generate import declaration_csv
from local.seed import DENTAL, SANDBOX_TODAY

ROOT = Path(__file__).resolve().parent.parent
LINES = 100_000
# moto copies the whole table for every transaction (to roll back), so an ingest on moto
# slows down with the table; requests per invoice do not depend on the file size.
MOTO_LINES = 3_000


def best_of(runs: int, work: Callable[[], Any]) -> float:
    timings = []
    for _ in range(runs):
        started = time.process_time()  # CPU time: other processes on the machine do not count
        work()
        timings.append(time.process_time() - started)
    return min(timings)


def core_ingest(data: bytes) -> int:
    """What process_declaration does between reading the file and touching storage."""
    with cycle_collection_paused():
        parsed = parse_declaration_csv(data, today=SANDBOX_TODAY)
        plan = plan_invoices(parsed.claims, DENTAL, RuleTableCoverage(DENTAL))
    return len(plan.drafts)


def bare_csv(data: bytes) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";"))


def bench_core(data: bytes) -> tuple[float, float]:
    core = best_of(3, lambda: core_ingest(data))
    bare = best_of(3, lambda: bare_csv(data))
    return LINES / core, core / bare


def bench_dynamodb_requests(data: bytes) -> tuple[float, int, Counter[str]]:
    from local.sandbox import Sandbox

    calls: Counter[str] = Counter()
    counting = False

    def count(params: dict[str, Any], model: Any, **_: Any) -> None:
        if counting and params.get("TableName") != idempotency_table:
            calls[model.name] += 1

    with Sandbox(SANDBOX_TODAY) as sandbox:
        idempotency_table = sandbox.names.idempotency_table_name
        sandbox.runtime.repository.client.meta.events.register("before-call.dynamodb", count)
        sandbox.handler("declaration_ingest")  # imported before counting: cold start is not ingest
        counting = True
        sandbox.upload_declaration(DENTAL.provider_id, "bench.csv", data)
        counting = False
        summary = _last_summary(sandbox)
        return sum(calls.values()) / summary["invoices"], summary["invoices"], calls


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
)


def import_seconds(module: str) -> float:
    """CPU time of ``import module`` in a fresh interpreter: what a cold start pays before
    the first event. The same environment for every module, boto3 included (no AWS call
    is made at import; the region only keeps botocore quiet)."""
    environment = {**os.environ, "AWS_DEFAULT_REGION": "eu-central-1"}
    environment["PYTHONPATH"] = f"{ROOT / 'layers' / 'billing_core'}:{ROOT}"
    code = f"import time; t = time.process_time(); import {module}; print(time.process_time() - t)"
    answer = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return float(answer.stdout)


def bench_import_time(rounds: int = 5) -> tuple[float, dict[str, tuple[float, float]]]:
    """``import boto3`` in seconds, and per handler module its seconds and its multiple of
    boto3: medians over ``rounds``, each round timing boto3 and then every handler, so a
    busy moment on the machine weighs on both sides of a ratio alike."""
    boto: list[float] = []
    handlers: dict[str, list[float]] = {name: [] for name in EVENT_HANDLERS}
    for _ in range(rounds):
        boto.append(import_seconds("boto3"))
        for name, seconds in handlers.items():
            seconds.append(import_seconds(f"functions.{name}.app"))
    ratios = {
        name: (
            statistics.median(seconds),
            statistics.median(s / b for s, b in zip(seconds, boto, strict=True)),
        )
        for name, seconds in handlers.items()
    }
    return statistics.median(boto), ratios


def main() -> None:
    print(f"zorgnota bench — generating a {LINES:,}-line declaration ...", flush=True)
    data = declaration_csv(LINES)
    print(f"  {len(data) / 1e6:.1f} MB\n")

    lines_per_second, ratio = bench_core(data)
    print(f"(a) core ingest (parse + validate + invoices): {lines_per_second:,.0f} lines/s")
    print(f"(b) core / bare csv.reader pass:              {ratio:.1f}x   (target <= 10x)")

    print(f"    ingesting a {MOTO_LINES:,}-line declaration on moto ...", flush=True)
    per_invoice, invoices, calls = bench_dynamodb_requests(declaration_csv(MOTO_LINES))
    detail = ", ".join(f"{op} {n}" for op, n in sorted(calls.items()))
    print(
        f"(c) DynamoDB requests per invoice:            {per_invoice:.3f}   (target <= 0.1; {invoices:,} invoices: {detail})"
    )

    boto, handlers = bench_import_time()
    ingest, ratio = handlers["declaration_ingest"]
    print(
        f"(d) import ingest handler / import boto3:      {ratio:.1f}x   (target <= 2x; {ingest * 1000:.0f} ms vs {boto * 1000:.0f} ms CPU, medians of 5)"
    )
    for name, (seconds, ratio) in handlers.items():
        print(f"      {name + ' handler':36s}  {ratio:.1f}x   ({seconds * 1000:.0f} ms)")

    from local.bench_vektis import bench_vektis

    ei_lines_per_second, ei_ratio = bench_vektis(LINES)
    print(f"(g) Vektis EI read + validate + mapping:       {ei_lines_per_second:,.0f} lines/s")
    print(f"(h) EI core / bare slicing pass:               {ei_ratio:.1f}x   (target <= 5x)")

    per_second, requests = bench_payment_status()
    print(
        f"(e) payment-status checks per second:         {per_second:,.0f}   (handler in-process on moto)"
    )
    print(f"(f) DynamoDB requests per status check:       {requests:.2f}   (target: 1)")

    from local.bench_dunning import STORED, bench_dunning

    print(f"    storing {STORED:,} invoices on moto for the dunning run ...", flush=True)
    per_action, actions_per_second, actions, read = bench_dunning()
    detail = ", ".join(f"{op} {n:,}" for op, n in sorted(read.items()))
    print(
        f"(i) dunning: items read per action:           {per_action:.2f}   (target <= 1.2; {actions:,} actions: {detail})"
    )
    print(
        f"(j) dunning: actions per second:              {actions_per_second:,.0f}   (run handler in-process on moto)"
    )

    from local.bench_retrocession import HISTORY, bench_retrocession

    print(
        f"    storing {HISTORY:,} invoices of a year on moto for the retrocession ...", flush=True
    )
    moved, before, after, per_provider = bench_retrocession()
    print(
        f"(k) retrocession: items read for a week:      {after:,} (was {before:,}: every invoice issued so far; {moved} invoices moved that week)"
    )
    print(
        f"(l) retrocession: items read per provider:    {per_provider:,.0f}   (run handler in-process on moto)"
    )


if __name__ == "__main__":
    main()
