"""One invoice's money through any order of what may happen to it (R20, R27, R28; audit
ledger56): a hypothesis state machine on the real use cases in memory (dunning_world).

The events: days passing with the daily dunning run (reminder, costs and interest, second
notice, handover), an iDEAL payment and a bank transfer (part, all, more than due), the
bank returning a transfer (whole or part), the refund of a credit by bank or by the PSP,
a stop of all or part (coulance), a deferral, an arrangement and its terms paid, the agency's report of a
claim paid (and a transfer on it after that: its remittance), a stop decided on a read a
payment overtook (R28) and the patient's objection (R16). After each: the invariants.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime, time, timedelta
from itertools import count

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from billing_core.changes.arrangement import arrangement_refusal, create_arrangement, next_term
from billing_core.changes.deferral import deferral_refusal, grant_deferral
from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.collection.collection_report import (
    CollectionReportContext,
    import_collection_report,
)
from billing_core.dunning.interest import accrued_interest, amount_due_today
from billing_core.dunning.timeline import as_the_run_leaves_it
from billing_core.invoices.access import BirthDate
from billing_core.invoices.ledger import (
    FORGIVING,
    REMITTED_NOTE,
    Component,
    EntryKind,
    LedgerEntry,
    balance,
    paid_by_patient,
    total_of,
)
from billing_core.invoices.updates import save_change
from billing_core.payments.booking import (
    IncomingPayment,
    apply_refund,
    book_payment,
    book_reversal,
    refund_of_credit_held,
    reversible,
)
from billing_core.payments.refunds import (
    credit_refundable_by_bank,
    refundable_by_psp,
    with_refund_intent,
)
from billing_core.services.patient import InvoiceState, PatientContext, file_objection
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import Refused
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.fake_store import FilesInMemory
from tests.unit.test_what_is_due import status_on

FIRST_DAY = date(2026, 11, 24)  # the day after the invoice was sent
LAST_DAY = date(2027, 4, 30)  # past the handover of an invoice nobody pays
SHARES = st.sampled_from([(1, 2), (1, 1), (13, 10)])  # half, all, 130 % of what is due
SETTLED = {
    InvoiceState.PAID,
    InvoiceState.WAIVED,
    InvoiceState.REIMBURSED,
    InvoiceState.PAID_REST_WAIVED,
}


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


class OneInvoicesMoney(RuleBasedStateMachine):
    """What the patient, the bank, the practice and the agency do to one invoice; what came
    in and went out is counted beside the ledger, which must tell the same (R27)."""

    @initialize(
        principal=st.integers(min_value=1, max_value=300_000),
        # Nothing happens until: the final payment date, the reminder's term, the costs
        # charged, the handover (a walk from the first day rarely gets that far unpaid).
        quiet_days=st.sampled_from([0, 30, 45, 60, 70]),
    )
    def issue(self, principal: int, quiet_days: int) -> None:
        self.world = DunningWorld([one_invoice(principal)])
        self.world.clock.set(at(FIRST_DAY, 6))
        if quiet_days:
            self.world.run_days(FIRST_DAY, FIRST_DAY + timedelta(days=quiet_days))
        self.ids = count(1)
        self.money_in = 0  # the patient's (or the agency's) money booked, less returned
        self.ledger: tuple[LedgerEntry, ...] = self.world.invoice().ledger

    # --- helpers ------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.world.clock.today()

    def invoice(self):
        return self.world.invoice()

    def due_today(self) -> int:
        return amount_due_today(self.invoice(), self.today)

    def next_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self.ids)}"

    def later_today(self, hour: int) -> datetime:
        """A moment of today after the run and anything before (the clock never goes back)."""
        moment = max(at(self.today, hour), self.world.clock.now() + timedelta(minutes=1))
        self.world.clock.set(moment)
        return moment

    def booked_money(self, before: int) -> None:
        self.money_in += paid_by_patient(self.invoice().ledger) - before

    # --- the calendar -------------------------------------------------------------------

    @precondition(lambda self: self.today < LAST_DAY)
    @rule(days=st.integers(min_value=1, max_value=21))
    def days_pass(self, days: int) -> None:
        last = min(self.today + timedelta(days=days), LAST_DAY)
        self.world.run_days(self.today + timedelta(days=1), last)

    # --- money in ---------------------------------------------------------------------

    @precondition(lambda self: not self.invoice().is_with_collection_agency)
    @rule(share=SHARES)
    def ideal_payment(self, share: tuple[int, int]) -> None:
        amount = self.due_today() * share[0] // share[1]
        if amount <= 0:
            return
        payment = IncomingPayment("psp", self.next_id("tr"), amount, self.later_today(10))
        before = paid_by_patient(self.invoice().ledger)
        result = book_payment(
            self.world.store, self.invoice().reference, payment, clock=self.world.clock
        )
        assert result.booked
        self.money_in += amount
        assert paid_by_patient(result.invoice.ledger) - before == amount

    @rule(share=SHARES)
    def bank_transfer(self, share: tuple[int, int]) -> None:
        amount = max(self.due_today() * share[0] // share[1], 1)
        before = paid_by_patient(self.invoice().ledger)
        moment = self.later_today(11)
        self.world.import_transfer(amount, booked_on=self.today, at=moment)
        # Booked, or listed for an operator (a claim the agency reported paid): never half.
        booked = paid_by_patient(self.invoice().ledger) - before
        assert booked in (0, amount)
        self.money_in += booked

    @precondition(lambda self: next_term(self.invoice()) is not None)
    @rule()
    def instalment_paid(self) -> None:
        """R15: the patient transfers the arrangement's next term (by its due date or
        late: the days passed decide)."""
        term = next_term(self.invoice())
        assert term is not None
        before = paid_by_patient(self.invoice().ledger)
        self.world.import_transfer(term.amount_cents, booked_on=self.today, at=self.later_today(9))
        assert paid_by_patient(self.invoice().ledger) - before == term.amount_cents
        self.money_in += term.amount_cents

    @rule(data=st.data())
    def bank_returns_a_transfer(self, data: st.DataObject) -> None:
        invoice = self.invoice()
        returnable = {
            e.cause: sum(reversible(invoice, e.cause).values())
            for e in invoice.ledger
            if e.kind is EntryKind.PAYMENT and e.cause.startswith("bank:") and "ING-" in e.cause
        }
        returnable = {cause: left for cause, left in returnable.items() if left > 0}
        if not returnable:
            return
        cause = data.draw(st.sampled_from(sorted(returnable)))
        amount = data.draw(st.sampled_from([returnable[cause], max(returnable[cause] // 2, 1)]))
        self.return_transfer(cause, amount)

    def return_transfer(self, cause: str, amount: int) -> None:
        invoice = self.invoice()
        before = paid_by_patient(invoice.ledger)
        book_reversal(
            self.world.store,
            invoice.reference,
            cause.removeprefix("bank:"),
            self.next_id("RET"),
            amount,
            clock=self.world.clock,
            at=self.later_today(12),
        )
        self.booked_money(before)
        # The agency's transfer returned leaves the claim as its report settled it: the
        # money is awaited from the agency again (payments/remittance.py, R22, R24).
        remitted = any(e.cause == cause and e.note == REMITTED_NOTE for e in invoice.ledger)
        assert paid_by_patient(self.invoice().ledger) == before - (0 if remitted else amount)

    @rule()
    def credit_refunded_by_bank(self) -> None:
        """R13: an operator pays back by bank the credit a bank transfer made."""
        invoice = self.invoice()
        amount = credit_refundable_by_bank(invoice)
        if amount == 0:
            return
        refund_id, moment = self.next_id("refund"), self.later_today(13)
        before = paid_by_patient(invoice.ledger)

        def refunded(current):
            return refund_of_credit_held(current, refund_id, amount, moment, "operator:refund")

        save_change(self.world.store, invoice, refunded)
        self.booked_money(before)
        assert self.invoice().credit_cents == invoice.credit_cents - amount

    @rule()
    def credit_refunded_by_the_psp(self) -> None:
        """R13: the iDEAL payment's surplus paid back through Mollie (refunds.py's steps:
        the intent, then the refund booked as Mollie answered it)."""
        invoice = self.invoice()
        plan = refundable_by_psp(invoice)
        if plan is None:
            return
        psp_id, amount = plan
        refund_id, moment = self.next_id("re"), self.later_today(13)
        before = paid_by_patient(invoice.ledger)

        def refunded(current):
            intended = with_refund_intent(current, psp_id, amount)
            return apply_refund(intended, refund_id, amount, moment, f"psp:{psp_id}")

        save_change(self.world.store, invoice, refunded)
        self.booked_money(before)
        assert self.invoice().credit_cents == invoice.credit_cents - amount

    @precondition(lambda self: self.invoice().is_with_collection_agency)
    @rule(share=st.sampled_from([(1, 2), (1, 1)]))
    def agency_reports_paid(self, share: tuple[int, int]) -> None:
        amount = self.due_today() * share[0] // share[1]
        if amount <= 0:
            return
        self.later_today(7)
        row = f"{self.invoice().reference};{self.next_id('CMIB')};paid;{amount};{self.today}"
        header = "reference;agency_ref;status;amount_cents;paid_on\n"
        context = CollectionReportContext(self.world.store, FilesInMemory(), self.world.clock)
        before = paid_by_patient(self.invoice().ledger)
        import_collection_report(f"{header}{row}\n".encode(), "collection-reports/r.csv", context)
        self.booked_money(before)

    # --- the practice and the patient -----------------------------------------------------

    @rule(scope=st.sampled_from(StopScope), part=st.integers(min_value=1, max_value=50_000))
    def stop(self, scope: StopScope, part: int) -> None:
        invoice = self.invoice()
        part_cents = part if scope is StopScope.PARTIAL else None  # a whole stop names none
        request = StopRequest(
            scope, "goodwill", invoice.addressee.email, True, amount_cents=part_cents
        )
        moment, cause = self.later_today(14), self.next_id("stop")
        # Refused: more than the open principal, or nothing left to stop.
        with suppress(Refused):
            save_change(
                self.world.store,
                invoice,
                lambda current: apply_stop(current, request, moment, cause),
            )

    @precondition(lambda self: not self.invoice().is_with_collection_agency)
    @rule(share=SHARES)
    def stop_decided_on_a_read_a_payment_overtook(self, share: tuple[int, int]) -> None:
        """R28: the practice's stop was decided on the invoice as read before a payment
        was saved; the save meets the newer version and decides again on it."""
        stale = self.invoice()
        self.ideal_payment(share)
        request = StopRequest(StopScope.FULL, "goodwill", stale.addressee.email, True)
        moment, cause = self.later_today(15), self.next_id("stop")
        with suppress(Refused):
            save_change(
                self.world.store, stale, lambda current: apply_stop(current, request, moment, cause)
            )

    @rule()
    def deferral(self) -> None:
        invoice, provider = self.invoice(), self.world.provider
        if deferral_refusal(invoice, provider, self.today) is None:
            moment = self.later_today(16)
            self.world.store.save_invoice(grant_deferral(invoice, provider, moment))

    @rule(terms=st.integers(min_value=2, max_value=4))
    def arrangement(self, terms: int) -> None:
        invoice, provider = self.invoice(), self.world.provider
        if arrangement_refusal(invoice, provider, terms) is None:
            moment = self.later_today(17)
            self.world.store.save_invoice(create_arrangement(invoice, provider, terms, moment))

    @rule()
    def objection(self) -> None:
        """R16: an objection is an open action; it does not suspend the payment obligation
        (seed 000), so nothing of the invoice's money or dunning changes."""
        before = self.invoice()
        self.later_today(18)
        context = PatientContext(self.world.store, self.world.queue, self.world.clock)
        proof = BirthDate(before.birth_date)
        file_objection(
            before.reference, proof, "amount", "Te hoog", before.addressee.email, context
        )
        after = self.invoice()
        assert (
            after.ledger,
            after.dunning_stage,
            after.hold_until,
            after.current_final_payment_date,
        ) == (
            before.ledger,
            before.dunning_stage,
            before.hold_until,
            before.current_final_payment_date,
        )

    # --- what must always hold ------------------------------------------------------------

    @invariant()
    def the_ledger_only_grows(self) -> None:
        """R27: append-only; nothing booked is changed or dropped."""
        ledger = self.invoice().ledger
        assert ledger[: len(self.ledger)] == self.ledger
        self.ledger = ledger

    @invariant()
    def every_entry_is_dated_kinded_and_in_whole_cents(self) -> None:
        for entry in self.invoice().ledger:
            assert type(entry.amount_cents) is int and entry.amount_cents != 0, entry
            assert entry.kind in EntryKind and entry.component in Component, entry
            assert entry.at.tzinfo is not None and entry.cause, entry

    @invariant()
    def the_money_in_is_the_ledgers(self) -> None:
        """R27, R28: every payment, return and refund is in the ledger once, none lost."""
        assert paid_by_patient(self.invoice().ledger) == self.money_in

    @invariant()
    def the_balance_is_the_sum_of_the_entries(self) -> None:
        invoice = self.invoice()
        parts = sum(balance(invoice.ledger, component) for component in Component)
        assert invoice.balance_cents == sum(e.amount_cents for e in invoice.ledger) == parts

    @invariant()
    def the_amount_due_is_the_principal_until_the_reminders_term_expired(self) -> None:
        """R20: no BIK nor interest before the day after the reminder's term (an
        arrangement's fee, R15, is the patient's choice, booked on the costs)."""
        invoice = self.invoice()
        reminder = invoice.reminder
        if reminder is None or self.today <= reminder.final_date:
            assert total_of(invoice.ledger, EntryKind.COSTS) == 0
            assert total_of(invoice.ledger, EntryKind.INTEREST) == 0
            assert accrued_interest(invoice, self.today) == 0
        if invoice.costs_charged_on is not None:
            assert reminder is not None and invoice.costs_charged_on > reminder.final_date

    @invariant()
    def a_credit_is_money_the_patient_paid(self) -> None:
        """R13, R21: the balance goes below zero only by money paid, never by a stop or
        coulance (they forgive what is open, no more). Net paid may be less than a credit:
        a transfer refunded and then returned by the bank too leaves the patient owing
        (R34), a stop of that and a payment after it is credit (audit ledger56)."""
        running = 0
        for entry in self.invoice().ledger:
            running += entry.amount_cents
            assert entry.kind not in FORGIVING or running >= 0, entry
        assert self.due_today() >= 0

    @invariant()
    def settled_exactly_when_nothing_is_due(self) -> None:
        """R36: the checker says paid (or waived) exactly when it asks nothing."""
        invoice, world = self.invoice(), self.world
        view = status_on(invoice, self.today)
        assert (view.amount_due_cents == 0) == (view.state in SETTLED), view.state
        # What it asks is the ledger's due, with the costs the next run charges when the
        # reminder's term expired unpaid and they are not charged yet (R20, legal-nl.md §2:
        # a transfer returned after the term); a payment of it is booked so (booking.py).
        projected = as_the_run_leaves_it(
            invoice, world.provider.dunning, self.today, world.clock.now(), world.store
        )
        assert view.amount_due_cents == amount_due_today(projected, self.today)


TestOneInvoicesMoney = OneInvoicesMoney.TestCase
TestOneInvoicesMoney.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
