"""A payment booked between the dunning run's read of an invoice and its write (R28, R39;
audit payments-in, observation 2): the write is refused, nothing is lost, and the run
looks at the patient's invoices once more instead of reporting an error that pages an
operator. Losing the race twice leaves them for the next run, still no error."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from billing_core.dunning.run import DunningContext, RunError, RunSummary, run_dunning
from billing_core.invoices.invoice import Invoice
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.providers.actions import OpenAction
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import RUN_AT, DunningWorld, one_invoice, paper_invoice
from tests.unit.fake_store import FakeStore

REMINDER_DAY = date(2026, 12, 31)  # FINAL_PAYMENT_DATE + 8: the reminder goes out


class PaidMeanwhile:
    """The store, with a bank transfer booked on ``invoice_id`` just before each of the
    run's first ``races`` writes of it: the write then meets another version and is
    refused with nothing written (ConcurrentChange), as DynamoDB's condition does."""

    def __init__(
        self, world: DunningWorld, invoice_id: str, amount_cents: int, races: int = 1
    ) -> None:
        self._world = world
        self._store: FakeStore = world.store
        self._invoice_id = invoice_id
        self._amount_cents = amount_cents
        self.races_left = races

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def save_invoice(self, invoice: Invoice) -> Invoice:
        self._pay_if_racing([invoice])
        return self._store.save_invoice(invoice)

    def save_invoices(
        self, invoices: Sequence[Invoice], new_actions: Sequence[OpenAction] = ()
    ) -> list[Invoice]:
        self._pay_if_racing(invoices)
        return self._store.save_invoices(invoices, new_actions)

    def _pay_if_racing(self, invoices: Sequence[Invoice]) -> None:
        if self.races_left and any(i.invoice_id == self._invoice_id for i in invoices):
            number = self.races_left
            self.races_left -= 1
            world = self._world
            payment = IncomingPayment(
                "bank", f"RACE-{number}", self._amount_cents, world.clock.now()
            )
            book_payment(
                self._store, world.invoice(self._invoice_id).reference, payment, clock=world.clock
            )


def run_with(world: DunningWorld, store: PaidMeanwhile, day: date = REMINDER_DAY) -> RunSummary:
    world.clock.set(datetime.combine(day, RUN_AT, tzinfo=AMSTERDAM))
    return run_dunning(DunningContext(store, world.files, world.queue, world.clock), day)


def three_patients() -> DunningWorld:
    return DunningWorld([one_invoice(100_000, number=n, patient_ref=f"P-{n}") for n in range(3)])


def reminded_on(world: DunningWorld, invoice_id: str) -> date | None:
    reminder = world.invoice(invoice_id).reminder
    return reminder.sent_on if reminder else None


def test_an_invoice_paid_while_the_run_writes_it_gets_no_reminder_and_is_no_error():
    """Given three patients' invoices due their reminder on 31 December
    When the patient of inv-1 pays in full between the run's read and its write of inv-1
    Then the write is refused (R28), the run reads inv-1 again and sends it nothing: it is
    paid; the other two get their reminders; the summary counts the race as retried, not
    as an error, and the log entry feeds no alarm (R39)."""
    world = three_patients()
    racing = PaidMeanwhile(world, "inv-1", world.invoice("inv-1").amount_due_cents)

    summary = run_with(world, racing)

    assert racing.races_left == 0, "the payment came between the read and the write"
    assert world.invoice("inv-1").is_paid and reminded_on(world, "inv-1") is None
    assert reminded_on(world, "inv-0") == reminded_on(world, "inv-2") == REMINDER_DAY
    assert summary.errors == [] and summary.conflicts == []
    assert summary.retried == 1 and summary.steps == {"reminder": 2}
    assert [r.invoice_id for r in world.queue.requests] == ["inv-0", "inv-2"]
    entry = summary.log_entry()
    assert entry.counts["Dunning_errors"] == 0 and entry.counts["Dunning_retried"] == 1
    assert entry.counts["Dunning_incomplete"] == 0 and not entry.error
    assert summary.answer()["retried"] == 1 and summary.answer()["conflicts"] == []


def test_an_invoice_paid_in_part_meanwhile_still_gets_its_reminder_today():
    """Given inv-1 due its reminder on 31 December
    When the patient pays EUR 100 of its EUR 1,000 between the run's read and its write
    Then the run reads it again and still sends the reminder today (R18), over what is
    due after the payment; no error."""
    world = three_patients()
    racing = PaidMeanwhile(world, "inv-1", 10_000)

    summary = run_with(world, racing)

    invoice = world.invoice("inv-1")
    assert reminded_on(world, "inv-1") == REMINDER_DAY and invoice.amount_due_cents == 90_000
    assert summary.errors == [] and summary.retried == 1 and summary.steps == {"reminder": 3}


def test_a_unit_that_loses_the_race_twice_waits_for_the_next_run_as_a_conflict():
    """Given inv-1 due its reminder on 31 December
    When a part payment lands between the run's read and its write, and another between
    its second read and write
    Then inv-1 is left for the next run and counted as a conflict, not an error: the run
    is complete and pages no one (R39); the others are reminded; the run of 1 January
    sends inv-1's reminder."""
    world = three_patients()
    racing = PaidMeanwhile(world, "inv-1", 10_000, races=2)

    summary = run_with(world, racing)

    assert racing.races_left == 0
    assert reminded_on(world, "inv-1") is None and world.invoice("inv-1").amount_due_cents == 80_000
    assert summary.conflicts == [("inv-1",)] and summary.errors == [] and summary.retried == 1
    assert summary.complete and summary.steps == {"reminder": 2}
    entry = summary.log_entry()
    assert entry.counts["Dunning_conflicts"] == 1 and entry.counts["Dunning_errors"] == 0
    assert not entry.error
    assert summary.answer()["conflicts"] == [["inv-1"]]

    world.run(date(2027, 1, 1))
    assert reminded_on(world, "inv-1") == date(2027, 1, 1)


def test_one_letter_for_a_patient_whose_other_invoice_was_paid_meanwhile():
    """Given one patient's two invoices due their reminder on 31 December, in one letter
    (legal-nl.md §2)
    When inv-2 is paid in full between the run's read and the letter's write
    Then neither is written by that attempt (one transaction), and the second look sends
    the reminder for inv-1 alone."""
    world = DunningWorld([one_invoice(100_000, number=1), one_invoice(50_000, number=2)])
    racing = PaidMeanwhile(world, "inv-2", world.invoice("inv-2").amount_due_cents)

    summary = run_with(world, racing)

    assert reminded_on(world, "inv-1") == REMINDER_DAY and reminded_on(world, "inv-2") is None
    assert [c.invoice_id for c in world.invoice("inv-1").reminder.covers] == ["inv-1"]
    assert summary.errors == [] and summary.retried == 1 and summary.steps == {"reminder": 1}


def test_an_invoice_written_before_the_race_is_not_looked_at_again():
    """Given one patient's two invoices due a reminder on 31 December, in two letters (one
    on paper, one by e-mail), the paper one written first
    When inv-2 (the e-mail one) is paid in part between the run's read and its write
    Then the second look reads inv-2 only: each invoice is reminded once, and each letter
    is queued and counted once (R18, R38)."""
    world = DunningWorld(
        [
            paper_invoice(100_000, number=1, final_payment_date=date(2026, 12, 22)),
            one_invoice(50_000, number=2),
        ]
    )
    racing = PaidMeanwhile(world, "inv-2", 10_000)

    summary = run_with(world, racing)

    assert reminded_on(world, "inv-1") == reminded_on(world, "inv-2") == REMINDER_DAY
    assert sorted(r.invoice_id for r in world.queue.requests) == ["inv-1", "inv-2"]
    assert summary.letters == {"dunning_reminder": 2} and summary.steps == {"reminder": 2}
    assert summary.read == 2 and summary.retried == 1 and summary.errors == []


def test_a_real_failure_is_still_an_error(monkeypatch):
    """Given three patients' invoices due their reminder, when the write of inv-1 fails
    for another reason than a lost race (the table unreachable), then inv-1 is listed in
    the run's errors without a second look, and the log entry raises the alarm (R39)."""
    world = three_patients()
    world.table_unreachable_for("inv-1", monkeypatch)

    summary = world.run(REMINDER_DAY)

    assert summary.errors == [RunError(("inv-1",), "OSError")]
    assert summary.retried == 0 and summary.conflicts == []
    assert summary.log_entry().error and summary.log_entry().counts["Dunning_errors"] == 1
