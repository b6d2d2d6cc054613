"""`make bench`: a 100,000-line declaration end to end (#18 item 6), modelled.

moto copies the whole table for every transaction, so a 100,000-line ingest on moto takes
hours: the figure is modelled instead. What is measured, in a fresh interpreter holding
the file as the function holds its S3 body: the CPU time and the peak memory (maximum
resident set) of everything the ingest does in memory — parse, validate, plan, issue the
invoices, write them through the repository's ``store_new`` to a DynamoDB client that
counts each transaction and drops it, build every delivery message. What is modelled:
the wait for AWS, a latency per counted transaction and per 10-message SQS batch. A
first attempt reads no claim markers ((c)), so there are no batch reads to wait for.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Assumed latencies in eu-central-1 from a Lambda in the same region (not measured here):
# a 100-item TransactWriteItems and a 10-message SendMessageBatch, one after the other.
SECONDS_PER_TRANSACTION = 0.15
SECONDS_PER_SQS_BATCH = 0.02
LAMBDA_RUNTIME_MB = 80  # the Python runtime and boto3 before the handler's own objects
BENCH_KEY = b"bench-reference-key-of-32-bytes!"


@dataclass(frozen=True)
class LargeRun:
    lines: int
    invoices: int
    cpu_seconds: float
    peak_mb: float
    transactions: int
    items_written: int
    sqs_batches: int

    @property
    def modelled_seconds(self) -> float:
        waiting = self.transactions * SECONDS_PER_TRANSACTION
        return self.cpu_seconds + waiting + self.sqs_batches * SECONDS_PER_SQS_BATCH

    @property
    def lambda_mb(self) -> float:
        return self.peak_mb + LAMBDA_RUNTIME_MB


def measure(data: bytes) -> LargeRun:
    with tempfile.NamedTemporaryFile(suffix=".csv") as file:
        file.write(data)
        file.flush()
        answer = subprocess.run(
            [sys.executable, "-m", "local.bench_large", file.name],
            env={**os.environ, "PYTHONPATH": f"{ROOT / 'layers' / 'billing_core'}:{ROOT}"},
            capture_output=True,
            text=True,
            check=True,
        )
    return LargeRun(**json.loads(answer.stdout))


def ingest_in_memory(path: str) -> dict[str, float | int]:
    from billing_core.adapters.dynamo.repository import BillingRepository
    from billing_core.declarations.csv_format import parse_declaration_csv
    from billing_core.declarations.invoicing import issue_invoice, plan_invoices
    from billing_core.declarations.rules.coverage import RuleTableCoverage
    from billing_core.ports import NewInvoice
    from billing_core.shared import reference
    from billing_core.shared.bulk import cycle_collection_paused
    from billing_core.shared.clock import AMSTERDAM
    from local.seed import DENTAL, SANDBOX_TODAY

    written: list[int] = []  # items per transaction
    store = BillingRepository(_CountingTable(written))
    data = Path(path).read_bytes()
    issued_at = datetime.combine(SANDBOX_TODAY, clock_time(9), AMSTERDAM)
    started = time.process_time()
    with cycle_collection_paused():
        parsed = parse_declaration_csv(data, today=SANDBOX_TODAY, max_lines=len(data))
        plan = plan_invoices(parsed.claims, DENTAL, RuleTableCoverage(DENTAL))
        invoices = [
            issue_invoice(
                draft,
                provider=DENTAL,
                declaration_id="bench",
                reference=reference.for_sequence(n, BENCH_KEY),
                issued_at=issued_at,
            )
            for n, draft in enumerate(plan.drafts)
        ]
        new = [NewInvoice(i, tuple(line.claim_ref for line in i.lines)) for i in invoices]
        insurer_refs = [line.claim.claim_ref for line in plan.insurer_lines]
        store.store_new(DENTAL.provider_id, "bench", new, insurer_refs)
        messages = [json.dumps({"invoice_id": i.invoice_id}) for i in invoices]
    cpu_seconds = time.process_time() - started
    return {
        "lines": len(parsed.claims),
        "invoices": len(invoices),
        "cpu_seconds": cpu_seconds,
        "peak_mb": own_peak_mb(),
        "transactions": len(written),
        "items_written": sum(written),
        "sqs_batches": math.ceil(len(messages) / 10),
    }


def own_peak_mb() -> float:
    """This process's peak resident set. Not ``ru_maxrss`` on Linux: a child keeps its
    parent's peak there across fork and exec, so (m) showed the bench process's heap
    (337 MB) where the ingest's own peak was 196 MB. VmHWM is this process's memory's."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass  # not Linux: ru_maxrss, which may hold the parent's peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _CountingTable:
    """What the repository needs of a boto3 Table to write new invoices: a name, and a
    client whose transactions are counted and dropped."""

    name = "billing"

    def __init__(self, written: list[int]) -> None:
        self.meta = SimpleNamespace(client=SimpleNamespace(transact_write_items=self._write))
        self._written = written

    def _write(self, TransactItems: list[dict[str, Any]]) -> None:  # noqa: N803 (boto3's name)
        self._written.append(len(TransactItems))


if __name__ == "__main__":
    print(json.dumps(ingest_in_memory(sys.argv[1])))
