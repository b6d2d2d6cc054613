"""`make bench` for the weekly retrocession's reads (issue 14 item 7, R24).

One practice with a year of history: 3,000 invoices issued over 52 weeks, each paid the
week after it was issued, so about 2 in 52 have a ledger entry in any one week. The items
are what the adapter writes (the invoice and its ledger-week markers), put on moto.

  (k) items read for one provider's week: the old read (every invoice issued up to the
      week's end, from the by-provider index) against the new one (the week's markers
      and the invoices they name); the new one follows the week's activity only;
  (l) items read per provider by the whole run handler in-process on moto (the provider
      list, the week's markers and invoices).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any

from billing_core.adapters.dynamo import items
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.providers.week import Week
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM
from local.bench_dunning import _count_items, _one_real_invoice
from local.seed import DENTAL, SANDBOX_TODAY

HISTORY = 3_000
WEEKS = 52
RUN_MONDAY = SANDBOX_TODAY
WEEK = Week.of(RUN_MONDAY).previous()


def bench_retrocession(history: int = HISTORY) -> tuple[int, int, int, float]:
    """(invoices with an entry in the week, items read before, after, per provider by the run)."""
    from local.sandbox import Sandbox

    with Sandbox(SANDBOX_TODAY) as sandbox:
        repository = sandbox.runtime.repository
        _store_history(repository, _one_real_invoice(sandbox), history)
        read: Counter[str] = Counter()
        repository.client.meta.events.register(
            "after-call.dynamodb", lambda parsed, model, **_: _count_items(read, model.name, parsed)
        )
        provider = DENTAL.provider_id
        list(repository.provider_invoices(provider, issued_until=WEEK.sunday.isoformat()))
        before = sum(read.values())
        read.clear()
        moved = len(list(repository.week_invoices(provider, WEEK)))
        after = sum(read.values())
        read.clear()
        summary = sandbox.invoke("retrocession_run", {"as_of": RUN_MONDAY.isoformat()})
        if summary["failures"] or summary["providers_skipped"]:
            raise RuntimeError(f"the bench run failed: {summary}")
        return moved, before, after, sum(read.values()) / summary["providers"]


def _store_history(repository: Any, template: Any, count: int) -> None:
    """``count`` invoices of the template's practice, invoice n issued n % 52 weeks before
    the measured week and paid in full a week later (not yet for this week's)."""
    with repository._table.batch_writer() as batch:
        for n in range(count):
            issued_at = datetime.combine(WEEK.monday, time(9), AMSTERDAM) - timedelta(
                weeks=n % WEEKS
            )
            invoice = _issued_at(template, n, issued_at)
            if n % WEEKS:
                invoice = invoice.with_entry(
                    LedgerEntry(
                        EntryKind.PAYMENT,
                        Component.PRINCIPAL,
                        -invoice.balance_cents,
                        issued_at + timedelta(weeks=1),
                        "bank:bench",
                    )
                )
            batch.put_item(Item=items.invoice_to_item(invoice))
            for marker in items.ledger_week_items(invoice):
                batch.put_item(Item=marker)


def _issued_at(template: Any, n: int, issued_at: datetime) -> Any:
    return replace(
        template,
        invoice_id=f"history-{n:06d}",
        reference=reference.for_sequence(20_000_000 + n, b"bench"),
        issue_date=issued_at.date(),
        ledger=tuple(replace(entry, at=issued_at) for entry in template.ledger),
        stored_entries=0,
    )
