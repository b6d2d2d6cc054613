"""`make bench`: the AWS bill per 1,000 invoices, modelled from what one run counted (#18 item 4).

One declaration is ingested and every invoice it makes is delivered, all on moto. Every
AWS request the functions make is counted at botocore's HTTP level, with the bytes it
carries: DynamoDB write and read request units from the sizes of the items written and
read (1 KB per write unit, 4 KB per read unit, transactions twice, eventually consistent
reads half), S3 requests by price tier and bytes stored, SQS requests, SES messages and
their bytes. Lambda GB-seconds are the CPU seconds each function took in-process times
its MemorySize in template.yaml; moto serves the requests in the same process, so this
is an upper bound. The prices are dated data: local/data/aws_prices_eu_central_1.json.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import botocore.client

from local.seed import DENTAL, SANDBOX_TODAY

COST_LINES = 1_000  # about 390 invoices: each is delivered, which takes moto minutes
PRICES = json.loads((Path(__file__).parent / "data" / "aws_prices_eu_central_1.json").read_text())
# MemorySize in template.yaml: the ingest function's own, the delivery function the Globals'.
MEMORY_GB = {"declaration_ingest": 1769 / 1024, "invoice_delivery": 512 / 1024}
# An SQS event source mapping polls (ReceiveMessage) and deletes a batch (DeleteMessageBatch).
SQS_REQUESTS_PER_DELIVERY_BATCH = 2
_PUT_TIER = ("Put", "Copy", "Post", "List", "Create", "Complete", "Upload")


@dataclass
class Meter:
    """What the functions asked of AWS, per phase ("ingest", "delivery")."""

    phase: str = ""
    requests: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # phase, service, op
    tables: Counter[tuple[str, str]] = field(default_factory=Counter)  # phase, table of a request
    write_units: float = 0.0
    read_units: float = 0.0
    s3_bytes_stored: int = 0
    ses_bytes: int = 0
    cpu_seconds: Counter[str] = field(default_factory=Counter)
    invocations: Counter[str] = field(default_factory=Counter)
    item_size: Callable[[str, dict[str, Any]], int] = lambda table, key: 0

    def record(self, service: str, operation: str, body: dict[str, Any], answer: Any) -> None:
        if not self.phase:
            return
        self.requests[self.phase, service, operation] += 1
        if service == "dynamodb":
            self.tables[self.phase, body.get("TableName", "")] += 1
            self._dynamodb(operation, body, answer)
        elif service == "s3" and operation == "PutObject":
            self.s3_bytes_stored += int(body.get("content_length", 0))
        elif service == "sesv2":
            self.ses_bytes += int(body.get("content_length", 0))

    def _dynamodb(self, operation: str, body: dict[str, Any], answer: dict[str, Any]) -> None:
        if operation == "PutItem":
            self.write_units += _units(_size(body["Item"]), 1024)
        elif operation in ("UpdateItem", "DeleteItem"):
            self.write_units += _units(self.item_size(body["TableName"], body["Key"]), 1024)
        elif operation == "TransactWriteItems":
            for entry in body["TransactItems"]:
                self.write_units += 2 * self._written_units(entry)
        elif operation == "BatchWriteItem":
            for requests in body["RequestItems"].values():
                self.write_units += sum(
                    _units(_size(r.get("PutRequest", {}).get("Item", {})), 1024) for r in requests
                )
        else:
            self._read(operation, body, answer)

    def _written_units(self, entry: dict[str, Any]) -> int:
        ((kind, action),) = entry.items()
        if kind == "Put":
            return _units(_size(action["Item"]), 1024)
        return _units(self.item_size(action["TableName"], action["Key"]), 1024)

    def _read(self, operation: str, body: dict[str, Any], answer: dict[str, Any]) -> None:
        share = 1.0 if body.get("ConsistentRead") else 0.5
        if operation == "GetItem":
            self.read_units += share * _units(_size(answer.get("Item", {})), 4096)
        elif operation == "Query":
            self.read_units += share * _units(sum(_size(i) for i in answer.get("Items", [])), 4096)
        elif operation == "BatchGetItem":
            for found in answer.get("Responses", {}).values():
                self.read_units += sum(0.5 * _units(_size(i), 4096) for i in found)
        elif operation == "TransactGetItems":
            self.read_units += sum(
                2 * _units(_size(r.get("Item", {})), 4096) for r in answer.get("Responses", [])
            )


def _units(size: int, unit: int) -> int:
    return max(1, math.ceil(size / unit))


def _size(item: dict[str, Any]) -> int:
    """DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers about
    one byte per two digits, maps and lists 3 bytes plus one per element)."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: dict[str, Any]) -> int:
    ((kind, content),) = value.items()
    if kind == "S":
        return len(content.encode())
    if kind == "N":
        return len(content) // 2 + 1
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + _value_size(v) for k, v in content.items())
    if kind == "L":
        return 3 + sum(1 + _value_size(v) for v in content)
    if kind in ("SS", "NS", "BS"):
        return sum(len(str(v)) for v in content)
    return 1 if kind in ("BOOL", "NULL") else len(str(content))


@contextmanager
def metered(meter: Meter) -> Iterator[None]:
    """Every botocore request while inside, with its JSON body (or its byte count)."""
    original = botocore.client.BaseClient._make_request

    def counting(client: Any, operation_model: Any, request: dict[str, Any], context: Any) -> Any:
        answer = original(client, operation_model, request, context)
        if meter.phase:
            service = client.meta.service_model.service_name
            meter.record(service, operation_model.name, _body(request), answer[1])
        return answer

    botocore.client.BaseClient._make_request = counting  # type: ignore[method-assign]
    try:
        yield
    finally:
        botocore.client.BaseClient._make_request = original  # type: ignore[method-assign]


def _body(request: dict[str, Any]) -> dict[str, Any]:
    body = request.get("body", b"")
    if isinstance(body, bytes) and body.startswith(b"{"):
        return {**json.loads(body), "content_length": len(body)}
    return {"content_length": _length(request)}


def _length(request: dict[str, Any]) -> int:
    """The bytes a request carries; an S3 upload in aws-chunked encoding names them."""
    headers = request.get("headers", {})
    for name in ("X-Amz-Decoded-Content-Length", "Content-Length"):
        if name in headers:
            return int(headers[name])
    body = request.get("body", b"")
    return len(body) if isinstance(body, bytes | str) else 0


@dataclass(frozen=True)
class CostRun:
    invoices: int
    emails: int
    meter: Meter
    ingest_requests_per_invoice: float  # (c): the data table only, the idempotency record excluded
    ingest_detail: dict[str, int]

    def per_thousand(self) -> dict[str, float]:
        """Dollars per 1,000 invoices by service."""
        m, p = self.meter, PRICES
        services = Counter({service: n for (_, service, _), n in m.requests.items()})
        s3_put = sum(
            n for (_, s, op), n in m.requests.items() if s == "s3" and op.startswith(_PUT_TIER)
        )
        gb_seconds = sum(m.cpu_seconds[f] * MEMORY_GB[f] for f in m.cpu_seconds)
        dollars = {
            "DynamoDB": m.write_units * p["dynamodb_write_request_unit"]
            + m.read_units * p["dynamodb_read_request_unit"],
            "Lambda": gb_seconds * p["lambda_arm64_gb_second"]
            + sum(m.invocations.values()) * p["lambda_request"],
            "SES": services["sesv2"] * p["ses_message"]
            + m.ses_bytes / 1e9 * p["ses_attachment_gb"],
            "S3": s3_put * p["s3_put_copy_post_list_request"]
            + (services["s3"] - s3_put) * p["s3_get_and_other_request"]
            + m.s3_bytes_stored / 1e9 * p["s3_storage_gb_month"],
            "SQS": services["sqs"] * p["sqs_standard_request"],
        }
        return {service: 1000 * cost / self.invoices for service, cost in dollars.items()}


def bench_cost(data: bytes) -> CostRun:
    """Ingest ``data`` and deliver every invoice on moto, counting what AWS would bill."""
    from local.sandbox import Sandbox

    meter = Meter()
    with Sandbox(SANDBOX_TODAY) as sandbox, metered(meter):
        meter.item_size = _moto_item_size
        invoke = sandbox.invoke

        def timed(function: str, event: dict[str, Any]) -> dict[str, Any]:
            meter.phase = "ingest" if function == "declaration_ingest" else "delivery"
            started = time.process_time()
            try:
                return invoke(function, event)
            finally:
                meter.cpu_seconds[function] += time.process_time() - started
                meter.invocations[function] += 1
                meter.phase = ""

        sandbox.invoke = timed  # type: ignore[method-assign]
        for function in MEMORY_GB:
            sandbox.handler(function)  # imported before metering: a cold start is not the work
        sandbox.upload_declaration(DENTAL.provider_id, "bench.csv", data)
        messages = sandbox.drain_deliveries()
        polled = SQS_REQUESTS_PER_DELIVERY_BATCH * math.ceil(messages / 10)
        meter.requests["delivery", "sqs", "EventSourceMapping"] += polled
        records, _ = sandbox.runtime.repository.list_declarations(DENTAL.provider_id, limit=1)
        invoices = records[0].summary["invoices"]
        ingest = Counter(
            {
                op: n
                for (phase, service, op), n in meter.requests.items()
                if phase == "ingest" and service == "dynamodb"
            }
        )
        idempotency = meter.tables["ingest", sandbox.names.idempotency_table_name]
        per_invoice = (sum(ingest.values()) - idempotency) / invoices
        emails = meter.requests["delivery", "sesv2", "SendEmail"]
        return CostRun(invoices, emails, meter, per_invoice, dict(ingest))


def _moto_item_size(table_name: str, key: dict[str, Any]) -> int:
    """The stored size of an item, as moto holds it, after the request that wrote it."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.dynamo_type import DynamoType

    from local.sandbox import REGION

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].get_table(table_name)
    range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
    item = table.get_item(DynamoType(key[table.hash_key_attr]), range_key)
    return int(item.size()) if item is not None else 0
