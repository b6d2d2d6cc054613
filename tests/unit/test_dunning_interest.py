"""Statutory interest on an invoice, on demand for any day (R20, legal-nl.md §4, §5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from billing_core.dunning.interest import accrued_interest, interest_statement
from billing_core.invoices.invoice import DunningStage, InvoiceStatus
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import make_invoice, make_line

# legal-nl.md §4's worked example as an invoice: € 1.000,00, final payment date
# 2024-11-30, so in default from 2024-12-01; the reminder's term expired unpaid.
ISSUED = datetime(2024, 10, 31, 9, 0, tzinfo=AMSTERDAM)
EXAMPLE = make_invoice(
    lines=(make_line(unit_price_cents=100_000),),
    ledger=(LedgerEntry(EntryKind.ISSUED, Component.PRINCIPAL, 100_000, ISSUED, "declaration:d"),),
    issue_date=date(2024, 10, 31),
    final_payment_date=date(2024, 11, 30),
    status=InvoiceStatus.SENT,
    dunning_stage=DunningStage.COSTS_CHARGED,
    costs_charged_on=date(2024, 12, 30),
)


def test_the_worked_example_on_an_invoice():
    """Given the §4 example, when the patient pays on 2025-02-09, then the interest up to
    (not including) that day is € 12,36: 31 days at 7% (€ 5,95) and 39 days at 6% (€ 6,41)."""
    statement = interest_statement(EXAMPLE, date(2025, 2, 9))
    assert statement.total_cents == 1236
    assert [(s.days, s.interest_cents) for s in statement.segments] == [(31, 595), (39, 641)]
    assert accrued_interest(EXAMPLE, date(2025, 2, 9)) == 1236


def test_no_interest_until_the_reminder_term_expired_unpaid():
    """R20: before the run charged the costs (the reminder's term is still running), the
    amount due is the principal only."""
    reminded = replace(EXAMPLE, dunning_stage=DunningStage.REMINDED, costs_charged_on=None)
    assert accrued_interest(reminded, date(2025, 2, 9)) == 0


def test_a_payment_books_the_interest_up_to_its_day_first():
    """Given the example, when € 500,00 arrives on 2025-02-09, then the payment first pays
    the € 12,36 interest (legal-nl.md §5), the rest lowers the principal, and from then on
    interest accrues on the lower principal only: nothing is counted twice."""
    received = datetime(2025, 2, 9, 10, 0, tzinfo=AMSTERDAM)
    payment = IncomingPayment("bank", "entry-1", 50_000, received)
    paid = apply_payment(
        EXAMPLE, payment, interest_cents=accrued_interest(EXAMPLE, received.date())
    )
    assert paid.balance_cents == 100_000 - 50_000 + 1236
    assert accrued_interest(paid, date(2025, 2, 9)) == 0
    # 10 more days at 6% on € 512,36: the principal left after the interest was paid
    assert accrued_interest(paid, date(2025, 2, 19)) == round(51_236 * 0.06 * 10 / 365)


@given(st.integers(min_value=0, max_value=900), st.integers(min_value=0, max_value=900))
def test_interest_never_negative_and_never_falls_with_time(first, second):
    """Properties (issue #5 part 4): never negative, monotone in time."""
    start = date(2024, 12, 1)
    earlier, later = sorted((first, second))
    a = accrued_interest(EXAMPLE, start + timedelta(days=earlier))
    b = accrued_interest(EXAMPLE, start + timedelta(days=later))
    assert 0 <= a <= b


def test_interest_left_unpaid_by_a_payment_in_the_term_keeps_compounding():
    """Given €10,000.00 due 2024-12-31 (in default from 2025-01-01), reminded by e-mail on
    2025-01-08 (term to 2025-01-22), when €5,000.00 is transferred on 2025-01-20, within
    the term, and the rest stays open, then the payment paid no interest (R20), so the
    €31.23 of 1-19 January stays unpaid and compounds at 2026-01-01: on 2027-03-01 the
    interest is €563.97, not the €562.52 a reset at the lower principal gave
    (issue 12 item 4, legal-nl.md §4)."""
    world = DunningWorld([one_invoice(1_000_000, final_payment_date=date(2024, 12, 31))])
    world.run_days(date(2025, 1, 1), date(2025, 1, 19))
    world.import_transfer(
        500_000,
        booked_on=date(2025, 1, 20),
        at=datetime(2025, 1, 20, 18, 0, tzinfo=AMSTERDAM),
    )
    world.run_days(date(2025, 1, 20), date(2025, 1, 23))

    assert world.invoice().costs_charged_on == date(2025, 1, 23)
    assert world.money(date(2027, 3, 1)).interest == 56_397
