"""One reminder about two invoices, and a write on one of them a moment before the other
path reads it (R28, R20, legal-nl.md §2; audit race52). The letter's costs are the
staffel over its principal still open at the end of the term, shared over its invoices;
the costs step and a payment's booking read the letter's other invoices to figure them,
and do not write those (so no version condition checks that read). DynamoDB's ordinary
read may return an invoice as before a write for a moment after it: a read that lags
must not change the figures, the outcome is that of the two writes one after the other.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from billing_core.dunning.run import DunningContext, run_dunning
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, balance
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import RUN_AT, DunningWorld, one_invoice

COSTS_DAY = date(2027, 1, 15)  # the run charges the letter's costs (reminder 31 December)
IN_THE_TERM = datetime(2027, 1, 14, 12, 0, tzinfo=AMSTERDAM)


class LaggingRead:
    """The store, whose ordinary (not strongly consistent) read of ``invoice_id`` still
    returns ``as_before``: the invoice as it was before its last write."""

    def __init__(self, world: DunningWorld, invoice_id: str, as_before: Invoice) -> None:
        self._store = world.store
        self._invoice_id = invoice_id
        self._as_before = as_before

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def get_invoice(
        self, provider_id: str, invoice_id: str, *, consistent: bool = False
    ) -> Invoice | None:
        if invoice_id == self._invoice_id and not consistent:
            return self._as_before
        return self._store.get_invoice(provider_id, invoice_id, consistent=consistent)


def one_letter_until_the_costs_day(second_cents: int) -> DunningWorld:
    """inv-1 of EUR 1,000 and inv-2, one patient's, reminded in one letter on 31 December."""
    world = DunningWorld([one_invoice(100_000, number=1), one_invoice(second_cents, number=2)])
    world.run_days(date(2026, 12, 31), date(2027, 1, 14))
    assert [c.invoice_id for c in world.invoice("inv-1").reminder.covers] == ["inv-1", "inv-2"]
    return world


def book(world: DunningWorld, store: Any, invoice_id: str, cents: int, at: datetime) -> None:
    world.clock.set(at)
    transfer = IncomingPayment("bank", f"ING-{invoice_id}", cents, IN_THE_TERM)
    book_payment(store, world.invoice(invoice_id).reference, transfer, clock=world.clock)


def costs(world: DunningWorld, invoice_id: str) -> int:
    return balance(world.invoice(invoice_id).ledger, Component.COSTS)


def test_the_costs_step_figures_the_letter_without_the_other_invoice_paid_in_the_term():
    """R20, legal-nl.md §2. Given one letter about inv-1 (EUR 1,000) and inv-2 (EUR 3,000)
    When inv-2 is paid in full by a transfer dated 14 January (in the term), booked at
    05:59 on the costs day, and the 06:00 run's ordinary read of inv-2 still shows it
    unpaid
    Then inv-1 is charged the staffel over EUR 1,000, the principal still open at the end
    of the term: EUR 150 (15%), not its share of the staffel over EUR 4,000 (EUR 131.25),
    as the run after the booking charges it; inv-2 none."""
    world = one_letter_until_the_costs_day(300_000)
    unpaid = world.invoice("inv-2")
    at = datetime.combine(COSTS_DAY, time(5, 59), tzinfo=AMSTERDAM)
    book(world, world.store, "inv-2", unpaid.amount_due_cents, at)
    world.clock.set(datetime.combine(COSTS_DAY, RUN_AT, tzinfo=AMSTERDAM))

    lagging = LaggingRead(world, "inv-2", unpaid)
    run_dunning(DunningContext(lagging, world.files, world.queue, world.clock), COSTS_DAY)

    assert world.invoice("inv-2").is_paid and costs(world, "inv-2") == 0
    assert costs(world, "inv-1") == 15_000


def test_a_payment_in_the_term_sets_the_other_invoices_costs_right_after_a_lagging_read():
    """R20, legal-nl.md §2. Given one letter about inv-1 (EUR 1,000) and inv-2 (EUR 100),
    the 06:00 run of the costs day charged its costs on both (EUR 150 and EUR 15)
    When inv-1 is paid in full by a transfer dated 14 January (in the term), booked at
    06:00:01 while the ordinary read of inv-2 still shows it as before the costs
    Then inv-1 owes no costs, and inv-2 those over its own EUR 100 still open at the end
    of the term: the staffel's minimum, EUR 40 (not more than the letter announced), as
    the booking after a read that is up to date sets them; not its EUR 15 share left."""
    world = one_letter_until_the_costs_day(10_000)
    before_costs = world.invoice("inv-2")
    world.run(COSTS_DAY)
    assert (costs(world, "inv-1"), costs(world, "inv-2")) == (15_000, 1_500)
    principal = balance(world.invoice("inv-1").ledger, Component.PRINCIPAL)

    lagging = LaggingRead(world, "inv-2", before_costs)
    book(world, lagging, "inv-1", principal, datetime(2027, 1, 15, 6, 0, 1, tzinfo=AMSTERDAM))

    assert costs(world, "inv-1") == 0
    assert costs(world, "inv-2") == 4_000
