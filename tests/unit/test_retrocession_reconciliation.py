"""A quarter of weekly retrocession statements adds up to the ledgers, to the cent (R24, R27).

The quarter is 2026-W41 up to and including 2026-W53 (5 October 2026 - 3 January 2027): 13
weeks, summer time ending on Sunday 25 October (W43: 169 hours) and a 53rd week that
runs into the next year. Invoices are issued, paid (also too much), paid by transfers
that come back, refunded, stopped in part or in full, charged costs, interest and an
arrangement fee - through the real domain functions, at moments chosen at and around the
week boundaries as well as anywhere in between.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.invoices.invoice import InvoiceStatus
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.payments.booking import (
    IncomingPayment,
    UnknownPayment,
    apply_payment,
    apply_refund,
    apply_reversal,
    reversible,
)
from billing_core.providers.retrocession import build_statement
from billing_core.providers.week import Week
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import Refused
from tests.unit.factories import ledger_for, make_invoice, make_line, make_provider

QUARTER = [Week(2026, 41)]
while len(QUARTER) < 13:
    QUARTER.append(QUARTER[-1].following())
START, END = QUARTER[0].starts_at, QUARTER[-1].ends_at
QUARTER_SECONDS = int((END.astimezone(UTC) - START.astimezone(UTC)).total_seconds())

# Around every boundary: the last microsecond of Sunday and Monday midnight, in Amsterdam
# and written in UTC; and the hour of 25 October that happens twice (02:30 CEST, 02:30 CET).
BOUNDARIES = [
    moment
    for week in QUARTER[1:]
    for moment in (
        week.starts_at,
        week.starts_at - timedelta(microseconds=1),
        week.starts_at.astimezone(UTC),
        (week.starts_at - timedelta(microseconds=1)).astimezone(UTC),
    )
] + [
    datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM, fold=0),
    datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM, fold=1),
]

moments = st.one_of(
    st.sampled_from(BOUNDARIES),
    st.integers(0, QUARTER_SECONDS - 1).map(
        lambda s: (START.astimezone(UTC) + timedelta(seconds=s)).astimezone(AMSTERDAM)
    ),
)
events = st.tuples(
    st.sampled_from(["pay", "pay", "pay", "reverse", "refund", "coulance", "stop", "charge"]),
    moments,
    st.integers(1, 9000),
    st.sampled_from(["psp", "bank"]),
)
invoice_plans = st.tuples(
    moments, st.integers(100, 20000), st.integers(0, 100), st.lists(events, max_size=8)
)


def simulate(number: int, plan) -> object:
    """One invoice's life: issued at a moment of the quarter, then the events after it,
    in time order. An event the rules refuse (a stop of a paid invoice) does not happen."""
    issued_at, price, reimbursed_percentage, planned = plan
    line = make_line(unit_price_cents=price, reimbursed_cents=price * reimbursed_percentage // 100)
    invoice = make_invoice(
        invoice_id=f"inv-{number:03d}",
        reference=f"{number:014d}",
        lines=(line,),
        ledger=tuple(replace(e, at=issued_at) for e in ledger_for((line,))),
        status=InvoiceStatus.SENT,
    )
    for step, (kind, at, amount, source) in enumerate(sorted(planned, key=lambda e: e[1])):
        if at < issued_at:
            continue
        with contextlib.suppress(Refused, UnknownPayment, ValueError):
            invoice = happen(invoice, step, kind, at, amount, source)
    return invoice


def happen(invoice, step, kind, at, amount, source):
    if kind == "pay":
        return apply_payment(invoice, IncomingPayment(source, f"P{step}", amount, at))
    if kind == "reverse":
        paid_ids = [e.cause for e in invoice.ledger if e.kind is EntryKind.PAYMENT]
        for payment_id in paid_ids:
            left = sum(reversible(invoice, payment_id).values())
            if left > 0:
                origin, original = payment_id.split(":", 1)
                return apply_reversal(
                    invoice, original, f"R{step}", min(amount, left), at, source=origin
                )
        return invoice
    if kind == "refund":
        credit = invoice.credit_cents
        return (
            apply_refund(invoice, f"re_{step}", min(amount, credit), at, "psp:P0")
            if credit
            else invoice
        )
    if kind in ("coulance", "stop"):
        scope = StopScope.PARTIAL if kind == "coulance" else StopScope.FULL
        request = StopRequest(
            scope, "goodwill", "", True, amount_cents=amount if kind == "coulance" else None
        )
        return apply_stop(invoice, request, at, "provider:user-1")
    # The dunning run's charges and an arrangement's fee (R15, R19, R20).
    return invoice.with_entries(
        [
            LedgerEntry(EntryKind.COSTS, Component.COSTS, 4000, at, f"dunning:{step}"),
            LedgerEntry(
                EntryKind.INTEREST, Component.INTEREST, amount % 500, at, f"dunning:{step}"
            ),
            LedgerEntry(EntryKind.FEE, Component.COSTS, 1000, at, "arrangement"),
        ]
    )


def ledger_sums(invoices) -> Counter:
    sums: Counter = Counter()
    for invoice in invoices:
        for entry in invoice.ledger:
            sums[(entry.kind, entry.component)] += entry.amount_cents
    return sums


@settings(max_examples=150, deadline=None)
@given(
    plans=st.lists(invoice_plans, min_size=1, max_size=12),
    percentage=st.decimals(min_value=0, max_value=25, places=2),
)
def test_a_quarter_of_statements_adds_up_to_the_ledgers(plans, percentage):
    """Given a quarter of invoices with payments, returns, refunds, stops and charges
    When the 13 weekly statements are built
    Then every ledger entry is on exactly one statement, that of the week it happened in;
    per kind and component, and in total, the statements add up to the ledgers to the
    cent; and every week pays out received - refunded - fee, the fee within half a cent."""
    provider = make_provider(service_fee_percentage=percentage)
    invoices = [simulate(number, plan) for number, plan in enumerate(plans)]
    statements = [build_statement(provider, week, invoices) for week in QUARTER]

    # Every entry once, in its own week
    assert sum(len(s.lines) for s in statements) == sum(len(i.ledger) for i in invoices)
    for statement in statements:
        week = statement.week
        start, end = week.starts_at.astimezone(UTC), week.ends_at.astimezone(UTC)
        assert all(start <= line.at.astimezone(UTC) < end for line in statement.lines)

    # Per category and in total, to the cent
    on_statements: Counter = Counter()
    for statement in statements:
        for kind in EntryKind:
            for component in Component:
                on_statements[(kind, component)] += statement.total(kind, component)
    ledger = ledger_sums(invoices)
    assert {k: v for k, v in on_statements.items() if v} == {k: v for k, v in ledger.items() if v}
    all_lines = sum(line.amount_cents for s in statements for line in s.lines)
    assert all_lines == sum(invoice.balance_cents for invoice in invoices)

    # The money: what came in, went back, was kept and paid out
    received = -sum(
        ledger[(k, c)] for k in (EntryKind.PAYMENT, EntryKind.REVERSAL) for c in Component
    )
    refunded = sum(ledger[(EntryKind.REFUND, c)] for c in Component)
    assert sum(s.received_cents for s in statements) == received
    assert sum(s.refunded_cents for s in statements) == refunded
    for s in statements:
        assert s.payout_cents + s.service_fee_cents + s.refunded_cents == s.received_cents
        exact = Decimal(s.received_cents) * percentage / 100
        assert abs(s.service_fee_cents - exact) <= Decimal("0.5")
    fees = sum(s.service_fee_cents for s in statements)
    assert sum(s.payout_cents for s in statements) == received - refunded - fees


def test_the_night_summer_time_ends_and_the_midnights_around_it():
    """Given payments at 02:30 on 25 October 2026, before and after the clocks go back, one
    at Sunday 1 November 23:30 UTC (Monday 00:30 in Amsterdam) and one on Sunday 23:59:59
    When the weeks are built
    Then both 02:30 payments are in W43, the Sunday one in W44, the UTC one in W45."""
    invoice = make_invoice(
        lines=(make_line(unit_price_cents=100_00),),
        ledger=tuple(
            replace(e, at=START) for e in ledger_for((make_line(unit_price_cents=100_00),))
        ),
    )
    payments = [
        ("cest", datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM, fold=0), 100),
        ("cet", datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM, fold=1), 200),
        ("sunday", datetime(2026, 11, 1, 23, 59, 59, tzinfo=AMSTERDAM), 400),
        ("utc", datetime(2026, 11, 1, 23, 30, tzinfo=UTC), 800),
    ]
    for source_id, at, cents in payments:
        invoice = apply_payment(invoice, IncomingPayment("psp", source_id, cents, at))
    provider = make_provider()
    received = {
        week.label: build_statement(provider, week, [invoice]).received_cents
        for week in QUARTER[2:5]
    }
    assert received == {"2026-W43": 300, "2026-W44": 400, "2026-W45": 800}
