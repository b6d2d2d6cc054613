"""The back office's list of credit held for patients (R13, R34; interfaces.md §6) on the
table: it reads the invoices holding credit, not every invoice of every practice
(credits54: at thousands of practices the full read outgrew API Gateway's 29 s and
Lambda's 6 MB), and answers what that full read answered."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta

from billing_core.adapters.dynamo import items
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.services.operator.money_out import _held, _pending_refunds, held_credits
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM
from local.seed import DENTAL, PHYSIO
from tests.unit.factories import REFERENCE_KEY, make_invoice

PAID_AT = datetime(2026, 11, 20, 10, 0, tzinfo=AMSTERDAM)


def entry(kind: EntryKind, cents: int, hours: int) -> LedgerEntry:
    return LedgerEntry(kind, Component.PRINCIPAL, cents, PAID_AT + timedelta(hours=hours), "")


def credit_held_by(number: int) -> tuple[LedgerEntry, ...]:
    """Six kinds of invoice in turn: owing, paid exactly, overpaid, overpaid and refunded
    in part, overpaid and refunded in full, overpaid and a payment returned by the bank."""
    owed = make_invoice().balance_cents
    return (
        (),
        (entry(EntryKind.PAYMENT, -owed, 1),),
        (entry(EntryKind.PAYMENT, -owed - 700, 1),),
        (entry(EntryKind.PAYMENT, -owed - 700, 1), entry(EntryKind.REFUND, 300, 2)),
        (entry(EntryKind.PAYMENT, -owed - 700, 1), entry(EntryKind.REFUND, 700, 2)),
        (entry(EntryKind.PAYMENT, -owed - 700, 1), entry(EntryKind.REVERSAL, 1000, 3)),
    )[number % 6]


def a_world(repository, per_practice: int) -> list[Invoice]:
    """``per_practice`` invoices of each sample practice, issued on days in no order."""
    world = []
    with repository._table.batch_writer() as batch:
        for provider_id in (DENTAL.provider_id, PHYSIO.provider_id):
            for n in range(per_practice):
                number = len(world) + 1
                issued = make_invoice(
                    invoice_id=f"inv-{number:04d}",
                    provider_id=provider_id,
                    reference=reference.for_sequence(900_000 + number, REFERENCE_KEY),
                    issue_date=date(2026, 11, 1) + timedelta(days=(n * 7) % 19),
                )
                invoice = replace(issued, ledger=issued.ledger + credit_held_by(n))
                batch.put_item(Item=items.invoice_to_item(invoice))
                world.append(invoice)
    return world


def read_everything(ctx) -> list:
    """The list as it was read before credits54: every invoice of every practice."""
    pending = _pending_refunds(ctx)
    return [
        _held(invoice, pending.get(invoice.reference, ""))
        for provider in ctx.store.list_providers()
        for invoice in ctx.store.provider_invoices(provider.provider_id)
        if invoice.credit_cents > 0
    ]


def test_the_list_reads_only_the_invoices_holding_credit_and_answers_as_the_full_read(sandbox):
    """R13, R34: Given 60 invoices of each of two practices, issued in no order, of which
    40 hold credit (overpaid; overpaid and refunded in part) and 80 do not (owing, paid
    exactly, refunded in full, a payment returned)
    When the back office lists the credit held
    Then it reads those 40 invoices, not the 120 (before credits54: all 120 and the
    practices, growing with every invoice of every practice), and
    answers exactly what reading every invoice answered, each practice's newest first
    (refunds58: one Query a page, by the index, so the practices come last id first)."""
    repository = sandbox.runtime.repository
    world = a_world(repository, 60)
    holding = [i for i in world if i.credit_cents > 0]
    assert (len(world), len(holding)) == (120, 40)
    ctx = sandbox.runtime.money_out_context()
    read: Counter[str] = Counter()

    def count(parsed, model, **_) -> None:
        if model.name == "Query":
            read["items"] += int(parsed.get("Count", 0))

    repository.client.meta.events.register("after-call.dynamodb", count)
    held, next_position = held_credits(ctx)
    assert (read["items"], next_position) == (40, None)
    by_index = sorted(read_everything(ctx), key=lambda h: h.provider_id, reverse=True)
    assert held == by_index  # a stable sort: each practice's newest first, as before
    assert {h.invoice_id for h in held} == {i.invoice_id for i in holding}
