"""`make bench` for the daily dunning run (issue #5 part 9, R18).

200,000 invoices are stored, of which 1% need an action on the day of the run: 2,000
sent, unpaid invoices whose reminder day it is. Of the rest, most are paid (off the
run's index, as a paid invoice is) and the others are open with their reminder day
still ahead. The run is the real handler on moto.

  (i)  items read per action: invoices and settings the run read from DynamoDB (the
       Count of every Query page, every GetItem) divided by the steps it took
       (target <= 1.2: the cost follows the work due, not the table);
  (j)  actions per second of the whole run in-process on moto. moto answers an index
       Query by walking every item of the table, so this figure is a floor that
       DynamoDB itself would beat; (i) is the figure that carries over. Beside it,
       (j') the same run's actions per second with moto's time taken out: the run's own
       CPU time (everything outside botocore's requests) plus every AWS request it made
       at an assumed latency, one after the other as the handler makes them.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import botocore.client
from boto3.dynamodb.types import TypeSerializer
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

from billing_core.adapters.dynamo import items, keys
from billing_core.invoices.invoice import InvoiceStatus
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.seed import DENTAL, SANDBOX_TODAY

STORED = 200_000
DUE_SHARE = 0.01
PAID_SHARE = 0.6
RUN_DAY = date(2026, 12, 31)  # the reminder day of invoices due 2026-12-23
# Assumed latency of one request from a Lambda function in the same region (not measured).
SECONDS_PER_REQUEST = {"dynamodb": 0.008, "sqs": 0.015}
OTHER_REQUEST_SECONDS = 0.02


@dataclass
class AwsTime:
    """The requests a run made and the time it spent inside them (moto's, locally)."""

    requests: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def modelled_seconds(self) -> float:
        return sum(
            n * SECONDS_PER_REQUEST.get(service, OTHER_REQUEST_SECONDS)
            for service, n in self.requests.items()
        )


@contextmanager
def timed_requests(spent: AwsTime) -> Iterator[None]:
    original = botocore.client.BaseClient._make_request

    def timing(client: Any, operation_model: Any, request: dict[str, Any], context: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(client, operation_model, request, context)
        finally:
            spent.seconds += time.perf_counter() - started
            spent.requests[client.meta.service_model.service_name] += 1

    botocore.client.BaseClient._make_request = timing  # type: ignore[method-assign]
    try:
        yield
    finally:
        botocore.client.BaseClient._make_request = original  # type: ignore[method-assign]


def bench_dunning(stored: int = STORED) -> tuple[float, float, int, Counter[str], float]:
    """(items read per action, actions per second, actions, items read by operation,
    actions per second with moto's time replaced by modelled request latencies)."""
    from local.sandbox import Sandbox

    with Sandbox(SANDBOX_TODAY) as sandbox:
        template = _one_real_invoice(sandbox)
        _store_invoices(sandbox, template, stored)
        sandbox.clock.set(RUN_DAY)
        read: Counter[str] = Counter()
        sandbox.runtime.repository.client.meta.events.register(
            "after-call.dynamodb", lambda parsed, model, **_: _count_items(read, model.name, parsed)
        )
        spent = AwsTime()
        started = time.perf_counter()
        with timed_requests(spent):
            summary = sandbox.invoke("dunning_run", {})
        elapsed = time.perf_counter() - started
        actions = summary["actions"]
        if summary["errors"] or not actions:
            raise RuntimeError(f"the bench run failed: {summary}")
        modelled = elapsed - spent.seconds + spent.modelled_seconds
        per_action = sum(read.values()) / actions
        return per_action, actions / elapsed, actions, read, actions / modelled


def _count_items(read: Counter[str], operation: str, parsed: dict[str, Any]) -> None:
    if operation == "Query":
        read[operation] += int(parsed.get("Count", 0))
    elif operation == "GetItem":
        read[operation] += 1 if parsed.get("Item") else 0
    elif operation == "BatchGetItem":
        read[operation] += sum(len(found) for found in parsed.get("Responses", {}).values())


def _one_real_invoice(sandbox: Any) -> Any:
    """An invoice as the ingest made it, to copy: realistic lines, ledger and addressee."""
    sandbox.upload_declaration(DENTAL.provider_id, "bench.csv", declaration_csv(3))
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return replace(max(invoices, key=lambda i: i.original_amount_cents), status=InvoiceStatus.SENT)


def _store_invoices(sandbox: Any, template: Any, count: int) -> None:
    """``count`` invoices, placed straight into moto's table: 200,000 puts through the API
    take moto many minutes, and the set-up is not what is measured. Each stored item is
    the item ``invoice_to_item`` makes for one of three kinds of invoice (due today,
    paid, open with its reminder day ahead) with its own ids, kenmerk and patient."""
    rng = random.Random(7)
    key = sandbox.runtime.reference_key
    table = _moto_table(sandbox.names.table_name)
    kinds = _kinds_of_invoice(template)
    due = int(count * DUE_SHARE)
    for n in range(count):
        if n < due:
            kind, check_on = "due", RUN_DAY
        elif rng.random() < PAID_SHARE:
            kind, check_on = "paid", None
        else:
            kind, check_on = "open", RUN_DAY + timedelta(days=rng.randint(1, 60))
        invoice = replace(
            kinds[kind],
            invoice_id=f"bench-{n:07d}",
            reference=reference.for_sequence(10_000_000 + n, key),
            patient_ref=f"B-{n // 2:06d}",  # some patients have two invoices
            next_check_on=check_on,
        )
        _place(table, kinds[kind + ":item"], _own_attributes(invoice))
    sample = replace(
        kinds["due"],
        invoice_id="bench-0000000",
        reference=reference.for_sequence(10_000_000, key),
        patient_ref="B-000000",
        next_check_on=RUN_DAY,
    )
    stored = sandbox.runtime.repository.get_invoice(sample.provider_id, sample.invoice_id)
    if stored != sample:
        raise RuntimeError("the bench stored something else than an invoice item")


def _kinds_of_invoice(template: Any) -> dict[str, Any]:
    paid_at = datetime.combine(SANDBOX_TODAY, clock_time(12), AMSTERDAM)
    payment = LedgerEntry(
        EntryKind.PAYMENT, Component.PRINCIPAL, -template.balance_cents, paid_at, "bank:bench"
    )
    kinds = {"due": template, "open": template, "paid": template.with_entry(payment)}
    serialize = TypeSerializer().serialize
    for kind, invoice in list(kinds.items()):
        item = items.invoice_to_item(invoice)
        kinds[kind + ":item"] = {name: DynamoType(serialize(value)) for name, value in item.items()}
    return kinds


def _own_attributes(invoice: Any) -> dict[str, str]:
    """The attributes of ``invoice_to_item`` that differ between the bench's invoices."""
    return {
        **keys.invoice_key(invoice.provider_id, invoice.invoice_id),
        **items.dunning_index_key(invoice),
        "gsi1pk": keys.reference_partition(invoice.reference),
        "gsi2sk": keys.invoice_position(invoice.issue_date, invoice.invoice_id),
        "invoice_id": invoice.invoice_id,
        "reference": invoice.reference,
        "patient_ref": invoice.patient_ref,
        "next_check_on": invoice.next_check_on.isoformat() if invoice.next_check_on else "",
    }


def _place(table: Any, base: dict[str, Any], own: dict[str, Any]) -> None:
    """moto's stored form of ``base`` with ``own`` attributes, as put_item would leave it."""
    attrs = dict(base)
    for name in ("gsi3pk", "gsi3sk"):
        attrs.pop(name, None)
    attrs.update(
        {name: DynamoType({"S": value} if value else {"NULL": True}) for name, value in own.items()}
    )
    item = Item.__new__(Item)
    item.hash_key, item.range_key = attrs["pk"], attrs["sk"]
    item.attrs = LimitedSizeDict(attrs)
    table.items[item.hash_key][item.range_key] = item


def _moto_table(name: str) -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from local.sandbox import REGION

    return dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].get_table(name)
