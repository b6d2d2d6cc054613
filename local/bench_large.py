"""`make bench`: a 100,000-line declaration end to end (#18 item 6), modelled.

moto copies the whole table for every transaction, so a 100,000-line ingest on moto takes
hours: the figure is modelled instead. What is measured, in a fresh interpreter holding
the file as the function holds its S3 body: the CPU time and the peak memory (maximum
resident set) of everything the ingest does in memory — parse, validate, plan, issue the
invoices, build every DynamoDB item and every delivery message. What is modelled: the
wait for AWS, from the requests the run would make (the counted requests per invoice of
(c), 100-item transactions, 10-message SQS batches) and a latency per request.
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

ROOT = Path(__file__).resolve().parent.parent

# Assumed latencies in eu-central-1 from a Lambda in the same region (not measured here):
# a 100-item TransactWriteItems, a 100-key BatchGetItem (the claim-marker pre-read) and a
# 10-message SendMessageBatch, one after the other.
SECONDS_PER_TRANSACTION = 0.15
SECONDS_PER_BATCH_GET = 0.03
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
    batch_gets: int
    sqs_batches: int

    @property
    def modelled_seconds(self) -> float:
        waiting = self.transactions * SECONDS_PER_TRANSACTION
        waiting += self.batch_gets * SECONDS_PER_BATCH_GET
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


def _ingest_in_memory(path: str) -> dict[str, float | int]:
    from billing_core.adapters.dynamo.items import invoice_to_item
    from billing_core.declarations.csv_format import parse_declaration_csv
    from billing_core.declarations.invoicing import issue_invoice, plan_invoices
    from billing_core.declarations.rules.coverage import RuleTableCoverage
    from billing_core.shared import reference
    from billing_core.shared.bulk import cycle_collection_paused
    from billing_core.shared.clock import AMSTERDAM
    from local.seed import DENTAL, SANDBOX_TODAY

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
        items = [invoice_to_item(invoice) for invoice in invoices]
        messages = [json.dumps({"invoice_id": i.invoice_id}) for i in invoices]
    cpu_seconds = time.process_time() - started
    markers = sum(len(i.lines) for i in invoices) + len(plan.insurer_lines)
    return {
        "lines": len(parsed.claims),
        "invoices": len(items),
        "cpu_seconds": cpu_seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "transactions": math.ceil((len(items) + markers) / 100),
        "batch_gets": math.ceil(len(parsed.claims) / 100),
        "sqs_batches": math.ceil(len(messages) / 10),
    }


if __name__ == "__main__":
    print(json.dumps(_ingest_in_memory(sys.argv[1])))
