"""One practice's invoices through the public use cases, in memory and by the day: the
daily dunning run at 06:00 (run_dunning), the delivery of the letters it queues
(deliver_invoice), bank statements (import_statement) and payments (book_payment).

    world = DunningWorld([one_invoice(100_000)])
    world.run(date(2026, 12, 31))                      # the reminder goes out
    world.import_transfer(100_000, booked_on=date(2027, 1, 14), at=datetime(...))
    world.invoice().amount_due_cents

Fast enough for property tests: no AWS, the real use cases on FakeStore.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import count
from typing import Any

from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.correspondence import delivery, pdf
from billing_core.correspondence.delivery import DeliveryContext, deliver_invoice
from billing_core.dunning.interest import accrued_interest
from billing_core.dunning.run import DunningContext, RunSummary, run_dunning
from billing_core.invoices.invoice import Invoice, InvoiceStatus
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry, balance
from billing_core.payments.bank_import import BankImportContext, BankImportReport, import_statement
from billing_core.providers.provider import Provider
from billing_core.services.provider.context import ProviderContext
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.camt_builder import credit, statement
from tests.unit.factories import (
    PUBLIC,
    REFERENCE_KEY,
    make_invoice,
    make_line,
    make_person,
    make_provider,
)
from tests.unit.fake_store import AuditInMemory, FakeQueue, FakeStore, FilesInMemory
from tests.unit.payment_fakes import LinksInMemory
from tests.unit.test_dunning_delivery import Outbox
from tests.unit.test_invoice_pdf import ACCOUNT

RUN_AT = time(6, 0)  # EventBridge Scheduler starts the run at 06:00 Europe/Amsterdam
IBAN = "NL91ABNA0417164300"
FINAL_PAYMENT_DATE = date(2026, 12, 23)  # in default from 24 December, reminder on the 31st


def one_invoice(
    principal_cents: int, *, number: int = 1, final_payment_date: date = FINAL_PAYMENT_DATE, **kw
) -> Invoice:
    """A sent, unpaid invoice with one line, issued 30 days before its final payment
    date: by e-mail unless the patient has none."""
    issue_date = final_payment_date - timedelta(days=30)
    issued = LedgerEntry(
        EntryKind.ISSUED,
        Component.PRINCIPAL,
        principal_cents,
        datetime.combine(issue_date, time(9, 0), tzinfo=AMSTERDAM),
        "declaration:d-1",
    )
    return make_invoice(
        invoice_id=f"inv-{number}",
        reference=reference.for_sequence(number, REFERENCE_KEY),
        status=InvoiceStatus.SENT,
        issue_date=issue_date,
        final_payment_date=final_payment_date,
        lines=(make_line(claim_ref=f"L-{number}", unit_price_cents=principal_cents),),
        ledger=(issued,),
        **kw,
    )


def paper_invoice(principal_cents: int, **kw) -> Invoice:
    return one_invoice(principal_cents, patient=make_person(email=""), **kw)


@dataclass(frozen=True, slots=True)
class Money:
    """What the patient sees of an invoice on a day: the ledger per component and what is
    due with the interest accrued up to that day."""

    principal: int
    costs: int
    interest: int
    due: int


class DunningWorld:
    def __init__(self, invoices: list[Invoice], provider: Provider | None = None) -> None:
        self.provider = provider or make_provider()
        self.store = FakeStore(invoices, [self.provider])
        self.queue = FakeQueue()
        self.files = FilesInMemory()
        self.outbox = Outbox()
        self.clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM))
        self.links = LinksInMemory(self.store)
        self._entries = count(1)

    # --- the use cases ----------------------------------------------------------------------

    def run(self, day: date, *, deliver: bool = True) -> RunSummary:
        """The 06:00 run of ``day``; its letters delivered right away, as the queue does."""
        self.clock.set(datetime.combine(day, RUN_AT, tzinfo=AMSTERDAM))
        summary = run_dunning(DunningContext(self.store, self.files, self.queue, self.clock), day)
        if deliver:
            self.deliver()
        return summary

    def table_unreachable_for(self, invoice_id: str, monkeypatch: Any) -> None:
        """Every save of ``invoice_id`` fails as a table that cannot be reached does (not a
        lost race: the run lists it as an error, R39); the others are saved."""
        save_invoices = self.store.save_invoices

        def unreachable(invoices: Any, new_actions: Any = ()) -> Any:
            if any(i.invoice_id == invoice_id for i in invoices):
                raise OSError("the table is unreachable")
            return save_invoices(invoices, new_actions)

        monkeypatch.setattr(self.store, "save_invoices", unreachable)

    def run_days(self, first: date, last: date) -> list[RunSummary]:
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return [self.run(day) for day in days]

    def deliver(self) -> None:
        context = DeliveryContext(self.store, self.files, self.outbox, self.clock, PUBLIC, ACCOUNT)
        with _each_letter_typeset_once():
            while self.queue.requests:
                request = self.queue.requests.pop(0)
                deliver_invoice(request, context)

    def provider_context(self) -> ProviderContext:
        """What the practice's staff use (the provider API's and portal's use cases)."""
        return ProviderContext(
            self.store,
            files=FilesInMemory(),
            uploads=None,
            delivery=self.queue,
            clock=self.clock,
            users=InMemoryUserDirectory(),
            audit=AuditInMemory(),
        )

    def import_transfer(
        self, amount_cents: int, *, booked_on: date, at: datetime, invoice_id: str = "inv-1"
    ) -> BankImportReport:
        """The bank statement with one transfer quoting the invoice's kenmerk, credited on
        ``booked_on``, read at ``at``."""
        self.clock.set(at)
        kenmerk = self.invoice(invoice_id).reference
        entry = credit(
            amount_cents,
            scor=kenmerk,
            booking_date=booked_on.isoformat(),
            reference=f"ING-{next(self._entries)}",
        )
        context = BankImportContext(
            self.store, self.files, self.links, self.clock, delivery=self.queue
        )
        report = import_statement(statement(entry), f"camt053/{at:%Y-%m-%d}.xml", context)
        self.deliver()
        return report

    # --- what people see ----------------------------------------------------------------------

    def invoice(self, invoice_id: str = "inv-1") -> Invoice:
        return self.store.invoice(invoice_id)

    def money(self, day: date, invoice_id: str = "inv-1") -> Money:
        invoice = self.invoice(invoice_id)
        ledger = invoice.ledger
        interest = accrued_interest(invoice, day)
        return Money(
            principal=balance(ledger, Component.PRINCIPAL),
            costs=balance(ledger, Component.COSTS),
            interest=balance(ledger, Component.INTEREST) + interest,
            due=max(invoice.balance_cents + interest, 0),
        )

    def costs(self, invoice_id: str = "inv-1") -> int:
        """The collection costs on the invoice's ledger (BIK charged, less any undone)."""
        return balance(self.invoice(invoice_id).ledger, Component.COSTS)

    def letters(self, invoice_id: str = "inv-1") -> list[tuple[str, date]]:
        """The letters and e-mails recorded on the invoice, with the day they went out."""
        return [(c.kind, c.at.date()) for c in self.invoice(invoice_id).correspondence]

    def days_sent(self, kind: str, invoice_id: str = "inv-1") -> list[date]:
        """The days a letter or e-mail of ``kind`` (REMINDER, SECOND_NOTICE ...) went out."""
        return [day for sent, day in self.letters(invoice_id) if sent == kind]

    def handover_files(self) -> list[str]:
        return sorted(key for key in self.files.files if key.startswith("collection/"))


_TYPESET: dict[bytes, bytes] = {}


@contextmanager
def _each_letter_typeset_once() -> Iterator[None]:
    """Delivery's dunning letters typeset once per distinct letter in the process: a
    letter's PDF is a function of its arguments alone ("the same letter gives the same
    bytes", render_dunning_letter_pdf), and typesetting one (~1 s on a shared machine)
    was nearly all of a property test's time, its examples sending the same reminder
    again and again (test_payment_date_decides). The key is the pickled arguments, every
    field of them, so two letters that differ in anything are each typeset. A test that
    replaced the renderer (a failure, fixed bytes) keeps its own: only the real one is
    remembered."""
    current = delivery.render_dunning_letter_pdf
    if current is not pdf.render_dunning_letter_pdf:
        yield
        return

    def once(kind: str, context: Any, language: str, **more: Any) -> bytes:
        key = pickle.dumps((kind, context, language, sorted(more.items())))
        if key not in _TYPESET:
            _TYPESET[key] = current(kind, context, language, **more)
        return _TYPESET[key]

    renderer: Callable[..., bytes] = once
    delivery.render_dunning_letter_pdf = renderer  # type: ignore[assignment]
    try:
        yield
    finally:
        delivery.render_dunning_letter_pdf = current
