"""Practices, their weekly statements, the operator's money-out and the bank, in memory:
the stage of the payout and refund tests (issue 19, R34)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sepaxml
import xmlschema

from billing_core.payments.bank_import import (
    BankImportContext,
    BankImportReport,
    checkpoint_key,
    import_statement,
)
from billing_core.payments.psp import UnknownPspRefund
from billing_core.payments.sepa_transfers import DebtorAccount
from billing_core.payments.transfer_batches import BankState, BatchKind, BatchState, TransferBatch
from billing_core.providers.retrocession import StatementSummary
from billing_core.providers.week import Week
from billing_core.services.operator.money_out import (
    MoneyOutContext,
    approve_batch,
    propose_payouts,
)
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.retries import RequestCause
from tests.unit import camt_builder
from tests.unit.factories import REFERENCE, make_invoice, make_provider
from tests.unit.fake_store import AuditInMemory, FakeStore, FilesInMemory
from tests.unit.faults import Killed
from tests.unit.payment_fakes import LinksInMemory

PAIN_001 = xmlschema.XMLSchema(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd")
FIRST_WEEK = Week(2026, 45)
FOUR_EYES_ABOVE = 1_000_000  # EUR 10,000.00
COLLECTION = DebtorAccount("Zorgnota B.V.", camt_builder.ACCOUNT, "INGBNL2A")


def new_request() -> RequestCause:
    """The cause of an operator's request of its own (without an Idempotency-Key, it is
    known by API Gateway's id of it: idempotency.request_cause)."""
    return RequestCause(uuid.uuid4().hex)


def practice(provider_id: str, iban: str = "NL39RABO0300065264"):
    return make_provider(
        provider_id=provider_id,
        payout={"iban": iban, "account_holder": f"Praktijk {provider_id} B.V."},
    )


def statement_totals(provider_id: str, week: Week, payout_cents: int) -> StatementSummary:
    return StatementSummary(
        provider_id=provider_id,
        week=week,
        service_fee_percentage=Decimal("3.5"),
        entries=0,
        invoices=0,
        received_cents=max(payout_cents, 0),
        refunded_cents=max(-payout_cents, 0),
        service_fee_cents=0,
        payout_cents=payout_cents,
        totals_by_kind={},
        json_sha256="0" * 64,
    )


@dataclass
class RefundsAtThePsp:
    """The PSP as an operator's record of a refund asks it (``refund_status``): the refunds
    it has, by (payment, refund id), with their status; any other is unknown to it."""

    statuses: dict[tuple[str, str], str] = field(default_factory=dict)
    asked: list[tuple[str, str]] = field(default_factory=list)

    def refund_status(self, psp_payment_id: str, refund_id: str) -> str:
        self.asked.append((psp_payment_id, refund_id))
        try:
            return self.statuses[(psp_payment_id, refund_id)]
        except KeyError:
            raise UnknownPspRefund(refund_id) from None


@dataclass
class MoneyOutWorld:
    store: FakeStore = field(default_factory=FakeStore)
    files: FilesInMemory = field(default_factory=FilesInMemory)
    links: LinksInMemory = field(default_factory=LinksInMemory)  # a return finds its credit
    clock: FixedClock = field(
        default_factory=lambda: FixedClock(datetime(2026, 11, 16, 7, 0, tzinfo=AMSTERDAM))
    )
    audit: AuditInMemory = field(default_factory=AuditInMemory)
    psp: RefundsAtThePsp = field(default_factory=RefundsAtThePsp)

    @property
    def ctx(self) -> MoneyOutContext:
        return MoneyOutContext(
            store=self.store,
            batches=self.store,
            files=self.files,
            clock=self.clock,
            debtor=lambda: COLLECTION,
            second_approval_above_cents=FOUR_EYES_ABOVE,
            audit=self.audit,
            psp=lambda: self.psp,
        )

    def add_practice(self, provider_id: str, iban: str = "NL39RABO0300065264") -> None:
        self.store.put_provider(practice(provider_id, iban))

    def statements(self, week: Week, payouts: dict[str, int]) -> None:
        for provider_id, cents in payouts.items():
            self.store.put_retrocession(statement_totals(provider_id, week, cents))

    def monday_after(self, week: Week) -> None:
        self.clock.set(
            datetime.combine(week.following().monday, datetime.min.time(), AMSTERDAM)
            + timedelta(hours=7)
        )

    def propose(self, week: Week) -> TransferBatch:
        return propose_payouts(week, "schedule", self.ctx)

    def approve(
        self, batch_id: str, operator: str = "operator-anna", cause: RequestCause | None = None
    ) -> TransferBatch:
        return approve_batch(batch_id, operator, self.ctx, cause=cause)

    def pain_001(self, batch: TransferBatch) -> bytes:
        return self.files.files[batch.file_key]

    def bank_statement(
        self, *entries: camt_builder.Entry, day: date, upload: str = ""
    ) -> BankImportReport:
        """The statement read by the bank import; ``upload``: as the function reads it,
        this version of the file (its checkpoint key: a run again is its retry, R3)."""
        key = f"camt053/{day.isoformat()}.xml"
        ctx = BankImportContext(
            store=self.store,
            files=self.files,
            links=self.links,
            clock=self.clock,
            batches=self.store,
            checkpoint_key=checkpoint_key(key, upload) if upload else "",
            checkpoints=self.files if upload else None,
        )
        document = camt_builder.statement(*entries, statement_id=f"STMT-{day.isoformat()}")
        return import_statement(document, key, ctx)


def two_practices_on_the_monday_after(week: Week = FIRST_WEEK) -> MoneyOutWorld:
    """Two practices, the clock at 07:00 on the Monday after ``week``: the world a
    payout batch is proposed in, once the tests give the week its statements."""
    world = MoneyOutWorld()
    world.add_practice("fysio-noord")
    world.add_practice("tandarts-zuid")
    world.monday_after(week)
    return world


OVERPAID_CENTS = 500


def overpaid_by_bank(due_cents: int, paid_on: date = date(2026, 11, 24)) -> MoneyOutWorld:
    """The practice and one invoice of ``due_cents``, paid EUR 5.00 too much by bank
    transfer on ``paid_on``, the clock the day after: a credit held for the patient."""
    world = MoneyOutWorld()
    world.store.put_provider(make_provider())
    world.store.put_invoice_as_is(make_invoice())
    world.clock.set(paid_on + timedelta(days=1))
    overpaid = camt_builder.credit(due_cents + OVERPAID_CENTS, scor=REFERENCE, tx_id="TX-1")
    world.bank_statement(overpaid, day=paid_on)
    return world


def crash_on_saving_as_sent(world: MoneyOutWorld) -> None:
    """The next save of a batch as sent dies (a Lambda timeout) after its file is written."""
    save_batch = world.store.save_batch

    def dying(batch: TransferBatch) -> TransferBatch:
        if batch.state is BatchState.SENT:
            world.store.save_batch = save_batch  # type: ignore[method-assign]
            raise Killed("timed out before the batch was saved as sent")
        return save_batch(batch)

    world.store.save_batch = dying  # type: ignore[method-assign]


def executed(batch: TransferBatch, day: date) -> list[camt_builder.Entry]:
    """The bank's debit entries of a sent batch: one per transfer, with its end-to-end id."""
    return [
        camt_builder.debit(
            t.amount_cents, end_to_end_id=t.end_to_end_id, booking_date=day.isoformat()
        )
        for t in batch.transfers
    ]


def returned(transfer_id: str, amount_cents: int, day: date, reason: str = "AC04"):
    """The money of one transfer coming back: a credit with RtrInf and the original ids."""
    return camt_builder.credit(
        amount_cents,
        end_to_end_id=transfer_id,
        return_reason=reason,
        booking_date=day.isoformat(),
    )


def assert_every_statement_paid_once(world: MoneyOutWorld, practices: tuple[str, ...]) -> None:
    """R24: per practice, what the bank booked + the carried balance + returned payouts not
    yet paid again = the statements' payouts of the weeks the live (not withdrawn) payout
    batches settled, and no week settled twice."""
    batches = world.store.list_batches(BatchKind.PAYOUT, limit=100)
    live = [b for b in batches if b.state is not BatchState.WITHDRAWN]
    for provider_id in practices:
        settled = [s for b in live if (s := b.settlement(provider_id))]
        assert len({s.weeks for s in settled}) == len(settled)  # no week settled twice
        statements = sum(
            world.store.get_retrocession(provider_id, w).payout_cents
            for s in settled
            for w in map(Week.parse, s.weeks)
        )
        transfers = [t for b in batches for t in b.transfers if t.provider_id == provider_id]
        booked = sum(t.amount_cents for t in transfers if t.bank_state is BankState.BOOKED)
        owed = sum(t.amount_cents for t in transfers if t.owed_again)
        carried = max(settled, key=lambda s: s.weeks[-1]).carried_out_cents if settled else 0
        assert booked + carried + owed == statements
