"""Money out, as the operator API and the Monday run call it (R34, issue 19, #14 item 5).

- ``propose_payouts``: after the retrocession run, the week's payout batch (proposed).
- ``propose_refunds``: credits held for patients, paid back by bank transfer (proposed).
- ``withdraw_batch``: a batch not sent, taken back with a reason (its file refused, say):
  a refund batch's credits can be proposed again; a payout batch's week is proposed
  again, as a new batch of the same settlements (``PO-{week}-2``).
- ``settle_psp_refund``: what the PSP says of a refund it never confirmed (pending).
- ``approve_batch``: four eyes; once approved, the pain.001 goes to the output bucket
  (``payouts/{date}/{batch}.xml``, ``refunds/{date}/{batch}.xml``, dated by the day it
  was approved) and the batch is sent.
  A refund is a REFUND ledger entry on its invoice when its batch is sent (R27), so the
  next retrocession statement shows it and takes it off the practice's payout. The file
  is made before any refund is booked: no refund is booked that its file cannot pay.
  It asks the bank to execute it on the first TARGET2 business day from the approval.
- A refund pays back credit from bank transfers only, to an account in the SEPA
  countries, and to a name the bank's file can hold: it is refused when proposed
  otherwise. Credit a PSP payment caused goes back through the PSP (payments/refunds.py),
  unless it became credit only later, through a payment dated before it.

Each step is safe to repeat after a crash: a batch is created once per id, a returned
payout is marked as paid again in the new batch before that batch is written, the file
is written again under the same key, and a refund is booked once per end-to-end id.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from billing_core.invoices.invoice import Invoice
from billing_core.invoices.updates import save_change
from billing_core.payments.sepa_transfers import (
    DebtorAccount,
    Transfer,
    TransferFileError,
    credit_transfer_file,
    execution_day,
    in_sepa_scheme,
    usable_name,
)
from billing_core.payments.transfer_batches import (
    SENDING,
    ApprovedBatch,
    BatchKind,
    BatchState,
    BatchTransfer,
    NotApprovable,
    Step,
    TransferBatch,
    approve,
    approved,
    batch_of,
    end_to_end_id,
    payout_batch_id,
    payout_batches_of_week,
    refund_batch_id,
    sending,
    sent,
    withdrawn,
)
from billing_core.ports import (
    AuditLog,
    BillingStore,
    ConcurrentChange,
    FileStore,
    ProviderSettingsStore,
    ProviderStore,
    TransferBatches,
)
from billing_core.providers.payouts import owed_again, plan_payouts, weeks_not_planned_again
from billing_core.providers.retrocession_run import (
    RetrocessionContext,
    RunSummary,
    build_weekly_statements,
    week_before_practices,
)
from billing_core.providers.week import Week
from billing_core.services.inputs import InvalidInput
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.clock import Clock, refuse_future
from billing_core.shared.errors import NotFound, UnknownBatch, UnknownInvoice, practice_refused
from billing_core.shared.money import euro_params
from billing_core.shared.reports import LogEntry

if TYPE_CHECKING:
    from collections.abc import Callable

    from billing_core.payments.psp import PaymentProvider
    from billing_core.payments.refunds import RefundOutcome
    from billing_core.shared.audit import Reader, ReadKind
    from billing_core.shared.retries import RequestCause, RetryCauses

PAYOUT_HISTORY_WEEKS = 60  # how far back a late statement or a returned payout is looked for
REFUND_CAUSE = "bank-refund:"  # the REFUND entry's cause: the transfer that paid it back
# A week withdrawn this long and not planned again is counted by the Monday run
# (Payout_weeks_withdrawn, PayoutWeekWithdrawnAlarm): nothing plans it again by itself.
WITHDRAWN_WEEK_ALARM_DAYS = 3
# A payout or refund batch proposed this long ago and still not sent (not approved, or
# waiting for its second approval) is counted by the Monday run (Refund_batches_waiting,
# Payout_batches_waiting: TransferBatchWaitingAlarm, R39 "refunds pending"): nothing
# approves it by itself, and the patient or practice waits for the money.
WAITING_BATCH_ALARM_DAYS = 3
# A PSP refund pending this long (its payment booked this long ago) is counted again by
# the Monday run (Refund_pending_waiting, RefundPendingAlarm, R39 "refunds pending"): its
# webhook raised Refund_pending once, and nothing retries it by itself.
PENDING_REFUND_ALARM_DAYS = 1
PROPOSAL_ATTEMPTS = 3  # refund proposals made at the same moment, checked again on each other
# A batch or an ApprovedBatch: saving it keeps what it is (``_saved``).
_Batch = TypeVar("_Batch", bound=TransferBatch)


class MoneyOutStore(ProviderStore, ProviderSettingsStore, Protocol):
    """The billing table as the operator's money-out needs it."""


@dataclass(frozen=True, slots=True)
class MoneyOutContext:
    """What proposing, approving and sending outgoing transfers needs (payouts and refunds)."""

    store: MoneyOutStore
    batches: TransferBatches
    files: FileStore  # the output bucket, where the bank's files go
    clock: Clock
    # Zorgnota's collection account, read when a file is made: a setting no bank knows
    # then fails the approval naming it (bootstrap), and no read of the batches.
    debtor: Callable[[], DebtorAccount]
    second_approval_above_cents: int
    audit: AuditLog  # an operator's read of a refund batch (R32, NEN 7513)
    # The PSP, made when first asked (a refund id an operator records is checked with it):
    # Mollie's client is not loaded for the other money-out requests.
    psp: Callable[[], PaymentProvider]


# --- payouts -------------------------------------------------------------------------------------


def propose_payouts(
    week: Week, by: str, ctx: MoneyOutContext, not_started: Collection[str] = ()
) -> TransferBatch:
    """The payout batch of ``week``, proposed; the one already there when asked again.
    A week whose batch was withdrawn is planned again (``_plan_again``). The practices
    ``not_started`` by the week's end have no statement and no place in it (R24)."""
    return _proposed(week, by, ctx, not_started)[0]


def propose_week(week: Week, operator: str, ctx: MoneyOutContext) -> TransferBatch:
    """An operator's ``propose_payouts`` (POST /api/v1/operator/payouts): to plan a week
    again after its batch was withdrawn, or to propose one its run did not. A week without
    a batch is refused (422) while it runs (``payout_week_running``) and while none of its
    statements is written (``payout_week_not_built``): its batch would list every practice
    as waiting and, being the week's, stand for the batch the Monday run proposes after
    the statements, so that the week paid nobody and every practice was paid a week late
    (R24, R34; audit59e). So is one whose run wrote the statements of some practices and
    not yet those of others that existed by the week's end (``payout_week_unfinished``:
    between two parts of the run, or a run that stopped): those would wait (audit59g)."""
    if not payout_batches_of_week(week.label, ctx.batches.get_batch):
        return propose_payouts(week, operator, ctx, _refuse_week_not_closed(week, ctx))
    return propose_payouts(week, operator, ctx)


def _refuse_week_not_closed(week: Week, ctx: MoneyOutContext) -> list[str]:
    """Refuses a week that has not ended, or whose retrocession run wrote no statement yet,
    or not yet those of every practice that existed by the week's end (one read per
    practice, and the history of each without one: an operator's request, not the Monday
    run's path). Answers the practices the week ended before (``not_started``)."""
    run_day = week.following().monday.isoformat()  # the as_of of its run
    if ctx.clock.now() < week.ends_at:
        raise practice_refused("payout_week_running", week=week.label, run_day=run_day)
    providers = ctx.store.list_providers()
    unwritten = [p for p in providers if not ctx.store.get_retrocession(p.provider_id, week)]
    if len(unwritten) == len(providers):
        raise practice_refused("payout_week_not_built", week=week.label, run_day=run_day)
    # Imported here: an operator's request, rare; the Monday run imports both modules.
    from billing_core.providers.retrocession_run import started_at

    # Between two parts of the run (or after a run that stopped before its end): the
    # practices after its place have no statement yet, and a batch now would list them as
    # waiting and pay them a week late (audit59g). Not those the week ended before (R24).
    missing = [
        p
        for p in unwritten
        if (started := started_at(p.provider_id, ctx.store)) is None or started < week.ends_at
    ]
    if missing:
        raise practice_refused(
            "payout_week_unfinished",
            week=week.label,
            run_day=run_day,
            written=len(providers) - len(unwritten),
            practices=len(providers) - len(unwritten) + len(missing),
        )
    # Those the week ended before: no statement and no place in its batch, as the run's.
    return [p.provider_id for p in unwritten]


def _proposed(
    week: Week, by: str, ctx: MoneyOutContext, not_started: Collection[str]
) -> tuple[TransferBatch, bool]:
    """``propose_payouts``'s batch, and whether this call wrote it: False for the one
    already there (an earlier attempt's, an operator's) or one a concurrent run wrote first."""
    existing = payout_batches_of_week(week.label, ctx.batches.get_batch)
    if existing and existing[-1].state is BatchState.WITHDRAWN:
        return _plan_again(existing[-1], len(existing) + 1, by, ctx)
    if existing:
        return existing[-1], False
    earlier = ctx.batches.list_batches(BatchKind.PAYOUT, limit=PAYOUT_HISTORY_WEEKS)
    batch = plan_payouts(
        week,
        [p for p in ctx.store.list_providers() if p.provider_id not in not_started],
        lambda provider_id, w: _statement_payout(provider_id, w, ctx),
        earlier,
        by=by,
        at=ctx.clock.now(),
    )
    # Before the batch exists: a rerun after a crash finds the marks and plans the same.
    for settlement in batch.settlements:
        for transfer in owed_again(settlement.provider_id, earlier, batch.batch_id):
            _mark_repaid(transfer, batch.batch_id, ctx.batches)
    created = ctx.batches.create_batch(batch)  # False: a concurrent run wrote it first
    return _read(batch.batch_id, ctx), created


def _plan_again(
    withdrawn: TransferBatch, number: int, by: str, ctx: MoneyOutContext
) -> tuple[TransferBatch, bool]:
    """The withdrawn batch's week as its ``number``-th batch: the same settlements, new
    transfers to the practices' accounts as they are now (R24, R34). The returned payouts
    it paid again are marked as paid by the new batch before that batch is written: a
    rerun after a crash finds them so, and no other batch ever counts them owed."""
    # Imported here: rare, and the Monday run imports this module (issue 18 (d)).
    from billing_core.providers.payout_replan import plan_again

    batch = plan_again(
        withdrawn,
        payout_batch_id(withdrawn.week, number),
        ctx.store.list_providers(),
        by=by,
        at=ctx.clock.now(),
    )
    earlier = ctx.batches.list_batches(BatchKind.PAYOUT, limit=PAYOUT_HISTORY_WEEKS)
    for holder in earlier:
        for transfer in holder.transfers:
            if transfer.repaid_in == withdrawn.batch_id:
                _mark_repaid(transfer, batch.batch_id, ctx.batches)
    created = ctx.batches.create_batch(batch)  # False: a concurrent proposal wrote it first
    return _read(batch.batch_id, ctx), created


def _statement_payout(provider_id: str, week: Week, ctx: MoneyOutContext) -> int | None:
    summary = ctx.store.get_retrocession(provider_id, week)
    return None if summary is None else summary.payout_cents


def _mark_repaid(transfer: BatchTransfer, batch_id: str, batches: TransferBatches) -> None:
    holder = batches.get_batch(batch_of(transfer.end_to_end_id) or "")
    current = holder.transfer(transfer.end_to_end_id) if holder else None
    if holder is None or current is None or current.repaid_in == batch_id:
        return
    batches.save_batch(holder.with_transfer(replace(current, repaid_in=batch_id)))


@dataclass(frozen=True, slots=True)
class WeekClosed:
    """The Monday run: the week's statements, then its payout batch proposed; and the
    weeks withdrawn and not planned again for WITHDRAWN_WEEK_ALARM_DAYS (their alarm)."""

    statements: RunSummary
    # None: a part of the run whose next part goes on; the last one proposes the batch.
    payouts: TransferBatch | None
    weeks_withdrawn: tuple[str, ...] = ()
    # Batches proposed WAITING_BATCH_ALARM_DAYS or more ago and not sent nor withdrawn.
    batches_waiting: tuple[TransferBatch, ...] = ()
    # The PSP payments whose refund is pending PENDING_REFUND_ALARM_DAYS or more.
    psp_refunds_pending: tuple[str, ...] = ()
    # Whether this call wrote ``payouts``: not a retry of the run's last part, nor a rerun
    # of the week, that found it proposed (runs56: each counted its transfers again).
    payouts_proposed_now: bool = False
    # Why a run of a week that ended before any practice existed did nothing (R24, R34).
    nothing_to_do: str = ""

    def answer(self) -> dict[str, Any]:
        if self.payouts is None:
            answer = self.statements.answer()
            if self.nothing_to_do:
                answer["nothing_to_do"] = self.nothing_to_do
            return answer
        return {
            **self.statements.answer(),
            "payout_batch": _batch_counts(self.payouts),
            "payout_weeks_withdrawn": list(self.weeks_withdrawn),
            "batches_waiting": [batch.batch_id for batch in self.batches_waiting],
            "psp_refunds_pending": list(self.psp_refunds_pending),
        }

    def log_entry(self) -> LogEntry:
        entry = self.statements.log_entry()
        if self.payouts is None:
            return replace(entry, fields=self.answer())
        # A batch's transfers and practices waiting, counted once: by the call proposing it.
        proposed = self.payouts if self.payouts_proposed_now else None
        counts = {
            **entry.counts,
            "Payout_transfers": len(proposed.transfers) if proposed else 0,
            "Payout_waiting": len(proposed.waiting) if proposed else 0,
            "Payout_weeks_withdrawn": len(self.weeks_withdrawn),  # PayoutWeekWithdrawnAlarm
            # TransferBatchWaitingAlarm (R39: refunds pending; practices not paid)
            "Refund_batches_waiting": self._waiting(BatchKind.REFUND),
            "Payout_batches_waiting": self._waiting(BatchKind.PAYOUT),
            # RefundPendingAlarm again, each week the refund stays pending (R13, R39)
            "Refund_pending_waiting": len(self.psp_refunds_pending),
        }
        return replace(entry, fields=self.answer(), counts=counts)

    def _waiting(self, kind: BatchKind) -> int:
        return sum(1 for batch in self.batches_waiting if batch.kind is kind)


def close_week(
    as_of: date,
    retrocession: RetrocessionContext,
    ctx: MoneyOutContext,
    *,
    has_time: Callable[[], bool] = lambda: True,
    progress: Callable[[LogEntry], None] = lambda _: None,
    start_at: str | None = None,
    earlier_parts: Mapping[str, Any] | None = None,
) -> WeekClosed:
    """R24 and issue 19: the statements of the week before ``as_of``, then its payouts,
    and the weeks withdrawn WITHDRAWN_WEEK_ALARM_DAYS or more and not planned again. A
    part of the run out of time (``has_time``) proposes nothing: the part that ends does
    (build_weekly_statements: ``start_at``, ``continue_from``, ``progress``, and
    ``earlier_parts``, what the earlier parts carried).
    The last part counts the PSP refunds pending PENDING_REFUND_ALARM_DAYS or more
    (one Query of the by-credit index): their webhook raised Refund_pending once (R39).
    Raises RunDayInFuture for an ``as_of`` after today: the week it would close is still
    running, and the payout batch proposed for its first days would stand for all of it.
    A week that ended before any practice existed has no statement and no payout batch,
    not one of nothing (R24, R34): the run finishes with nothing to do and says why
    (``nothing_to_do``). It is a run that finished, as RetrocessionRunMissingAlarm reads
    it (``Retrocession_run_finished``): before, it was refused, and the Monday run of a
    first practice's first day counted as missed (stop56)."""
    refuse_future("retrocession run", as_of, ctx.clock)
    statements = build_weekly_statements(
        as_of,
        retrocession,
        has_time=has_time,
        progress=progress,
        start_at=start_at,
        earlier_parts=earlier_parts,
    )
    if statements.continue_from is not None:
        return WeekClosed(statements, None)
    week = Week.parse(statements.week)
    before_all = len(statements.not_started) == len(statements.listed) and not statements.skipped
    if statements.not_started and before_all:
        why = week_before_practices(week, min(statements.not_started.values()))
        return WeekClosed(statements, None, nothing_to_do=why)
    batch, proposed_now = _proposed(week, "schedule", ctx, statements.not_started)
    withdrawn_before = ctx.clock.now() - timedelta(days=WITHDRAWN_WEEK_ALARM_DAYS)
    earlier = ctx.batches.list_batches(BatchKind.PAYOUT, limit=PAYOUT_HISTORY_WEEKS)
    statements.skipped.extend(_settings_gone(statements, earlier))
    # Every open batch, however many newer ones (migration 12 kept the ids of the old ones).
    still_open = [
        *ctx.batches.open_batches(BatchKind.PAYOUT),
        *ctx.batches.open_batches(BatchKind.REFUND),
    ]
    proposed_before = ctx.clock.now() - timedelta(days=WAITING_BATCH_ALARM_DAYS)
    pending_before = ctx.clock.now() - timedelta(days=PENDING_REFUND_ALARM_DAYS)
    return WeekClosed(
        statements,
        batch,
        tuple(weeks_not_planned_again(earlier, withdrawn_before)),
        tuple(_waiting_too_long(still_open, proposed_before)),
        tuple(_psp_refunds_pending(ctx.store, pending_before)),
        payouts_proposed_now=proposed_now,
    )


def _settings_gone(statements: RunSummary, earlier: Sequence[TransferBatch]) -> list[str]:
    """The practices the payout batches of the last PAYOUT_HISTORY_WEEKS weeks settled or
    kept waiting that the run did not list: their settings item is gone (deleted by hand)
    while their invoices and payments remain, so their week has no statement and no
    payout (R24, R31). Reported as skipped, as the dunning run reports them, for an
    operator to mend: read from the batches the Monday run reads anyway, no request more."""
    known = statements.listed | set(statements.skipped)
    named = {s.provider_id for batch in earlier for s in batch.settlements}
    named |= {provider_id for batch in earlier for provider_id in batch.waiting}
    return sorted(named - known)


def _waiting_too_long(
    batches: Sequence[TransferBatch], proposed_before: datetime
) -> list[TransferBatch]:
    """The open ``batches`` proposed before ``proposed_before``: still waiting for an
    approval (or its second one), not sent, not withdrawn (R34, R39)."""
    return [
        batch
        for batch in batches
        if (batch.step_at(BatchState.PROPOSED.value) or proposed_before) < proposed_before
    ]


def _psp_refunds_pending(store: MoneyOutStore, pending_before: datetime) -> list[str]:
    """The PSP payments whose refund was asked before ``pending_before`` and is still
    pending (R13, R39), as the operator's list of held credits names them
    (``psp_payments_pending``): one Query of the by-credit index, which holds an invoice
    while a refund of its credit is pending, also once a bank return took the credit
    (``credit_or_refund_pending``, runs57)."""
    # Imported here: see _book_refund.
    from billing_core.payments.refunds import refunds_pending_before

    return [
        pending.psp_payment_id
        for invoice in store.credit_invoices()
        for pending in refunds_pending_before(invoice, pending_before)
    ]


def _batch_counts(batch: TransferBatch) -> dict[str, Any]:
    """Ids, counts and cents: safe to log (no account, no name)."""
    return {
        "batch_id": batch.batch_id,
        "state": batch.state.value,
        "transfers": len(batch.transfers),
        "total_cents": batch.total_cents,
        "waiting": len(batch.waiting),
    }


# --- refunds of credit held for patients (R13, R34) ---------------------------------------------


@dataclass(frozen=True, slots=True)
class HeldCredit:
    """An invoice whose patient paid more than was owed. ``by_bank_cents`` is what a bank
    refund may pay of it; the rest came from a PSP payment and goes back through the PSP
    (``psp_refund_pending``: its refund was asked and not confirmed; check it at the PSP),
    or is money the collection agency reported collected and has not transferred to us
    (``awaited_from_agency_cents``: refundable by bank once that transfer is read)."""

    provider_id: str
    invoice_id: str
    reference: str
    credit_cents: int
    by_bank_cents: int
    psp_refund_pending: bool = False
    psp_payments_pending: tuple[str, ...] = ()  # their PSP payment ids, to look up
    in_batch: str = ""  # a refund batch not yet sent that pays it back
    patient_ref: str = ""  # whose credit: what the list's read names (R32), never answered
    awaited_from_agency_cents: int = 0


@dataclass(frozen=True, slots=True)
class RefundRequest:
    """What the operator asks: the account comes from the patient (or the bank's statement
    of the overpayment); zorgnota does not keep payers' accounts."""

    reference: str
    iban: str
    account_holder: str
    amount_cents: int | None = None  # None: the whole credit


HELD_PAGE = 100  # invoices an answer of the operator's list, unless it asks fewer
MAX_HELD_PAGE = 200


def held_credits(
    ctx: MoneyOutContext, limit: int = HELD_PAGE, *, after: str | None = None
) -> tuple[list[HeldCredit], str | None]:
    """A page of the invoices with credit or a PSP refund of it pending, by practice and
    newest first as each practice's list (an operator's list, not a patient's page), after
    the position ``after`` (the page before's), and the next page's position (None: the
    last page); InvalidPosition for an ``after`` that is no such position. Each with the
    open refund batch that pays it when there is one. Credit that goes back through the
    PSP is listed too, never silently dropped (R13), its refund pending also once a bank
    return took the credit (credit 0: the operator records what the PSP did, runs57).
    One Query of those invoices a page (the store's ``credit_invoice_page``): every
    practice's credit held would not fit one answer (R34, Lambda's 6 MB)."""
    invoices, next_position = ctx.store.credit_invoice_page(limit, after)
    pending = _pending_refunds(ctx)
    held = [_held(invoice, pending.get(invoice.reference, "")) for invoice in invoices]
    return held, next_position


def _held(invoice: Invoice, in_batch: str) -> HeldCredit:
    # Imported here: see _book_refund.
    from billing_core.payments.refunds import (
        credit_at_the_agency,
        credit_refundable_by_bank,
        pending_refunds,
    )

    psp_pending = tuple(p.psp_payment_id for p in pending_refunds(invoice))
    return HeldCredit(
        invoice.provider_id,
        invoice.invoice_id,
        invoice.reference,
        invoice.credit_cents,
        by_bank_cents=credit_refundable_by_bank(invoice),
        psp_refund_pending=bool(psp_pending),
        psp_payments_pending=psp_pending,
        in_batch=in_batch,
        patient_ref=invoice.patient_ref,
        awaited_from_agency_cents=credit_at_the_agency(invoice),
    )


def settle_psp_refund(
    reference: str,
    psp_payment_id: str,
    outcome: str,
    refund_id: str,
    operator: str,
    ctx: MoneyOutContext,
    amount_cents: int | None = None,
) -> tuple[HeldCredit, RefundOutcome | None]:
    """What the PSP says of a refund asked of it and never confirmed (``psp_refund_pending``),
    as ``operator`` read it in the PSP's dashboard: ``refunded`` with the PSP's refund id is
    booked as the PSP webhook books it, for ``amount_cents`` when the PSP paid back less
    than was asked (None: what was asked); ``failed`` books nothing. What the PSP did not
    pay back is refundable by bank from then on (R13). Recorded on the invoice with who,
    when and the amount, in its conditional write (R28); the same again is a retry.
    (The invoice's credit as it is then, the refund if it failed at the PSP while it was
    being booked: undone, the credit held again, the ``Refund_failed`` alarm.) A tuple,
    not a dataclass: this module is on the retrocession run's import path.

    A refund is booked for what the PSP paid back, also when the credit is gone since (a
    bank return of another payment took it): a claim at the agency owed again by it blocks
    the patient again, as the return would have (R22, R34); also on a retry, which repairs
    a crash between the save and the block.

    A refund id is checked with the PSP before it is booked (audit security3 SEC3-2): one
    the PSP has no refund of on this payment (the payment's own id, a typo) is refused
    (422 unknown_psp_refund), nothing booked; a known one is booked with its status as the
    PSP answered, so the webhook reads it from then on. Refused and retried records are
    not asked (no PSP call); PspUnavailable propagates (nothing booked: try again).

    One booked with a status that is not final (pending, processing) is read once more
    after its save (``read_booked_refund_again``, audit races RACES1): a failure the PSP's
    webhook reported between the check and the save found nothing booked, and is undone
    now (``failed``).

    A refund booked before ids were checked under one the PSP does not know (its
    ``Refund_unknown_at_psp`` alarm at every webhook of the payment) is corrected the same
    way: ``refunded`` with the refund's id at the PSP books it again under that id
    (``_refund_id_to_correct``, ``correct_refund_id``), which is then read once more as
    above; refused when the PSP knows the id booked (nothing to correct)."""
    # Imported here: see _book_refund.
    from billing_core.collection.blocking import block_unsettled_claim
    from billing_core.payments.psp import UnknownPspRefund
    from billing_core.payments.refunds import (
        correct_refund_id,
        read_booked_refund_again,
        settle_pending_refund,
    )

    invoice = _invoice(reference, ctx)
    now = ctx.clock.now()
    psp_status: str | None = None
    wrong_id = None
    if outcome == "refunded":
        wrong_id = _refund_id_to_correct(invoice, psp_payment_id, refund_id, amount_cents, ctx)

    def settle(current: Invoice) -> Invoice:
        if wrong_id is not None:  # its status is read after the save, as one booked not final
            return correct_refund_id(current, psp_payment_id, wrong_id, refund_id, operator, now)
        return settle_pending_refund(
            current, psp_payment_id, outcome, refund_id, operator, now, amount_cents, psp_status
        )

    # Refusals and retries first, as the invoice is now: only a refund about to be booked
    # is asked of the PSP.
    if outcome == "refunded" and settle(invoice) is not invoice:
        try:
            psp_status = ctx.psp().refund_status(psp_payment_id, refund_id)
        except UnknownPspRefund:
            raise practice_refused("unknown_psp_refund") from None

    stored, booked = save_change(ctx.store, invoice, settle)
    failed = None
    if booked and psp_status is not None:  # this record booked the refund, as the PSP said
        stored, failed = read_booked_refund_again(
            stored, psp_payment_id, refund_id, ctx.store, ctx.psp(), ctx.clock
        )
    block_unsettled_claim(ctx.store, stored, ctx.clock)
    return _held(stored, _pending_refunds(ctx).get(stored.reference, "")), failed


def _refund_id_to_correct(
    invoice: Invoice,
    psp_payment_id: str,
    refund_id: str,
    amount_cents: int | None,
    ctx: MoneyOutContext,
) -> str | None:
    """The id ``refund_id`` replaces: a refund booked on this payment (for ``amount_cents``
    when given) under an id the PSP has no refund of, as the PSP says now; None when no
    other refund is booked on it, or ``refund_id`` is (a retry). Refused (409
    psp_refund_settled) when the PSP knows each one booked: a status it gave is kept, or it
    answers for it now. The PSP is asked of those it never gave a status for only. Refused
    (409 psp_refund_id_corrected) when ``refund_id`` is one corrected to the PSP's id
    before: sent again, it would book nothing and answer as if it had (R34)."""
    # Imported here: see _book_refund.
    from billing_core.payments.booking import refund_key, refunded_cents
    from billing_core.payments.psp import UnknownPspRefund
    from billing_core.payments.refunds import (
        booked_psp_refunds,
        psp_refund_status,
        refund_id_correction,
    )

    if refund_key(refund_id) in invoice.applied_payments:
        correction = refund_id_correction(invoice, refund_id)
        if correction is not None:  # the wrong id again: booked under the PSP's id already
            right_id, by = correction
            raise practice_refused(
                "psp_refund_id_corrected", wrong=refund_id, right=right_id, by=by
            )
        return None
    others = [
        booked
        for booked in booked_psp_refunds(invoice, psp_payment_id)
        if amount_cents in (None, refunded_cents(invoice, booked))
    ]
    if not others:
        return None
    for booked in others:
        if psp_refund_status(invoice, booked) is not None:
            continue  # the PSP gave its status: it knows it
        try:
            ctx.psp().refund_status(psp_payment_id, booked)
        except UnknownPspRefund:
            return booked
    raise practice_refused("psp_refund_settled", said_as="psp_refund_id_known", booked=others[0])


def propose_refunds(
    requests: Sequence[RefundRequest], by: str, ctx: MoneyOutContext, *, cause: RequestCause
) -> TransferBatch:
    """A refund batch, proposed: one transfer per invoice, at most its credit, and not an
    invoice a batch not yet sent pays back already (that would pay the patient twice).

    ``cause``: what the request is known by, the same for its retries
    (``idempotency.request_cause``). A retry whose first attempt created the batch and
    then failed (a 5xx: its key was released) gets that batch, as it is now, not "an
    invoice in a refund batch not yet sent" (R38); within the key's lifetime only. A retry
    that asks another batch under the same key is refused (``KeyReused``), as the key's
    record refuses it, never given the first attempt's batch (R38, interfaces.md §7).

    Race-free (R28): the batch is created only while no other refund batch was created
    since the open ones were read; when one was, they are read and checked again."""
    # Imported here: see _book_refund.
    from billing_core.shared.retries import retry_causes

    references = [betalingskenmerk.normalise(r.reference) for r in requests]
    if not requests or len(set(references)) != len(references):
        raise InvalidInput("body.refunds", "one_refund_per_invoice")
    causes = retry_causes(cause, ctx.clock.now())
    for _ in range(PROPOSAL_ATTEMPTS):
        list_version = ctx.batches.batch_list_version(BatchKind.REFUND)
        # The newest page: a retry comes within its key's lifetime, after few batches.
        made = _proposed_by(causes, ctx.batches.list_batches(BatchKind.REFUND))
        if made is not None:
            causes.same_request(made.request_fingerprint)
            return made
        pending = _pending_refunds(ctx)  # read after the version: R28 as before
        if any(reference in pending for reference in references):
            raise InvalidInput("body.refunds", "refund_already_proposed")
        batch = _refund_batch(requests, by, causes, ctx)
        try:
            ctx.batches.create_batch(batch, list_version=list_version)
        except ConcurrentChange:
            continue  # another proposal came first: it may pay back one of these
        return _read(batch.batch_id, ctx)
    raise ConcurrentChange("refund batches")


def _proposed_by(
    causes: RetryCauses, refund_batches: Sequence[TransferBatch]
) -> TransferBatch | None:
    """The batch an earlier attempt of this request proposed, if one did."""
    return next(
        (b for b in refund_batches if causes.made(b.cause, b.steps[0].at)),  # "proposed"
        None,
    )


def _refund_batch(
    requests: Sequence[RefundRequest], by: str, causes: RetryCauses, ctx: MoneyOutContext
) -> TransferBatch:
    batch_id = refund_batch_id(ctx.clock.today())
    transfers = tuple(
        _refund_transfer(request, number, end_to_end_id(batch_id, number), ctx)
        for number, request in enumerate(requests, start=1)
    )
    return TransferBatch(
        batch_id=batch_id,
        kind=BatchKind.REFUND,
        transfers=transfers,
        steps=(Step("proposed", by, ctx.clock.now()),),
        cause=causes.new,
        request_fingerprint=causes.request,
    )


def _refund_transfer(
    request: RefundRequest, number: int, transfer_id: str, ctx: MoneyOutContext
) -> BatchTransfer:
    """The ``number``-th refund asked, refused now when its file could not pay it."""
    if not usable_name(request.account_holder):
        # The approval would book the refund and then fail to write the file (R13, R34).
        raise InvalidInput(f"body.refunds.{number - 1}.account_holder", "refund_holder_not_sepa")
    try:
        invoice = _invoice(request.reference, ctx)
    except NotFound:  # named in a valid body: a business rule's 422 naming it, not a 404
        raise practice_refused(
            "unknown_kenmerk",
            said_as="unknown_kenmerk_in_refunds",
            number=number,
            position=number - 1,
            kenmerk=request.reference,
        ) from None
    if not in_sepa_scheme(request.iban):
        raise practice_refused(
            "iban_not_sepa", kenmerk=invoice.reference, country=request.iban[:2].upper()
        )
    amount = _refund_amount(request, invoice)
    return BatchTransfer(
        end_to_end_id=transfer_id,
        provider_id=invoice.provider_id,
        iban=request.iban,
        name=request.account_holder,
        amount_cents=amount,
        # Nothing personal: the kenmerk is what the patient paid with.
        remittance=f"Terugbetaling teveel betaald nota {invoice.reference}",
        invoice_reference=invoice.reference,
        patient_ref=invoice.patient_ref,
    )


def _refund_amount(request: RefundRequest, invoice: Invoice) -> int:
    """What a bank transfer pays back: the credit asked, at most the invoice's credit, and
    none of the credit a PSP payment caused (R13: the patient is paid back once), nor
    what the collection agency collected and did not transfer to us yet (R24)."""
    # Imported here: see _book_refund.
    from billing_core.payments.refunds import (
        credit_at_the_agency,
        credit_refundable_by_bank,
        pending_refunds,
    )

    credit = invoice.credit_cents
    if credit <= 0:
        raise practice_refused("no_credit_to_refund", kenmerk=invoice.reference)
    by_bank = credit_refundable_by_bank(invoice)
    amount = by_bank if request.amount_cents is None else request.amount_cents
    if amount > credit:
        raise practice_refused(
            "refund_above_credit", kenmerk=invoice.reference, **euro_params("credit", credit)
        )
    if not 0 < amount <= by_bank:
        awaited = credit_at_the_agency(invoice)
        code = "psp_refund_pending" if pending_refunds(invoice) else "credit_from_psp_payment"
        code = "credit_awaited_from_agency" if awaited else code
        # Nothing from bank payments: say so, not "at most € 0,00".
        said_as = code if by_bank else f"{code}_none_by_bank"
        raise practice_refused(
            code,
            said_as=said_as,
            kenmerk=invoice.reference,
            **euro_params("by_bank", by_bank),
            **euro_params("awaited", awaited),
        )
    return amount


def invoice_named(reference: str, store: BillingStore) -> Invoice:
    """The invoice an operator's route names by its kenmerk (/invoices/{reference}/...):
    none with this kenmerk is the resource that does not exist, 404, not a business
    rule's 422, said to the operator (not the checker's sentence to a patient)."""
    try:
        kenmerk = betalingskenmerk.parse_ours(reference)
    except betalingskenmerk.InvalidReference:
        raise UnknownInvoice() from None
    found = store.find_invoice_by_reference(kenmerk)
    if found is None:
        raise UnknownInvoice()
    return found


def _invoice(reference: str, ctx: MoneyOutContext) -> Invoice:
    found = invoice_named(reference, ctx.store)
    return ctx.store.get_invoice(found.provider_id, found.invoice_id, consistent=True) or found


def _pending_refunds(ctx: MoneyOutContext) -> dict[str, str]:
    """kenmerk -> the refund batch not yet sent (nor withdrawn) that pays it back: every
    open one, also behind a page of newer batches (R13)."""
    return {
        transfer.invoice_reference: batch.batch_id
        for batch in ctx.batches.open_batches(BatchKind.REFUND)
        for transfer in batch.transfers
    }


def withdraw_batch(
    batch_id: str, operator: str, reason: str, ctx: MoneyOutContext
) -> TransferBatch:
    """The batch taken back by ``operator`` with ``reason``: it pays nothing. A refund
    batch's credits can be proposed again; a payout batch's week is planned again by
    proposing the week (``propose_payouts``). Withdrawn before: the batch as it is (a retry).

    Refused (409) once sending began (``batch_sent``: sent, or its approval died while
    sending it; approving again finishes that), or when a refund of it is booked
    (``refund_booked``: a batch approved before sending was a step). The withdrawal is
    saved on condition of the version read: an approval that starts sending meanwhile
    makes it fail, and it makes that approval fail before anything is booked (R28)."""
    batch = _read(batch_id, ctx)
    if batch.state is BatchState.WITHDRAWN:
        return batch
    if batch.state is BatchState.SENT or batch.step_at(SENDING) is not None:
        raise practice_refused("batch_sent")
    booked = [
        t.invoice_reference
        for t in batch.transfers
        if batch.kind is BatchKind.REFUND and _refund_booked(t, ctx)
    ]
    if booked:
        kenmerken = ", ".join(betalingskenmerk.grouped(k) for k in booked)
        raise practice_refused("refund_booked", kenmerken=kenmerken)
    return ctx.batches.save_batch(withdrawn(batch, operator, ctx.clock.now(), reason))


def _refund_booked(transfer: BatchTransfer, ctx: MoneyOutContext) -> bool:
    # Imported here: see _book_refund.
    from billing_core.payments.booking import refunded_cents

    return refunded_cents(_invoice(transfer.invoice_reference, ctx), transfer.end_to_end_id) > 0


# --- four eyes, then the bank's file -----------------------------------------------------------


def approve_batch(
    batch_id: str, operator: str, ctx: MoneyOutContext, *, cause: RequestCause | None = None
) -> TransferBatch:
    """This operator's approval; once the batch is approved, its file goes out.

    Refused (409) when the batch is sent already or this operator approved it before,
    and a payout batch when a practice's payout account changed since it was proposed
    (``payout_account_changed``). An approved batch whose file did not get out (a crash)
    is sent by approving again.

    ``cause``: what the request is known by, the same for its retries
    (``idempotency.request_cause``), kept with the approval. A retry whose first attempt
    approved (its key's record lost in a crash) gets the batch as it is now, not refused
    as a second approval by the same operator or of a batch sent (R38); within the key's
    lifetime only, and the same key asking something else is refused (``KeyReused``).
    Another request of the operator stays refused. None: a request nobody sends again.
    """
    # Imported here: see _book_refund.
    from billing_core.shared.retries import retry_causes

    causes = retry_causes(cause, ctx.clock.now()) if cause is not None else None
    batch = _read(batch_id, ctx)
    # An approved batch is sent by approving again, by whichever request (a crash's retry).
    if batch.state is not BatchState.APPROVED and _approved_by(causes, batch):
        return batch
    try:
        if batch.state is BatchState.PROPOSED:
            _refuse_old_accounts(batch, ctx)
            said_yes = approve(
                batch,
                operator,
                ctx.clock.now(),
                ctx.second_approval_above_cents,
                cause=causes.new if causes else "",
                request_fingerprint=causes.request if causes else "",
            )
            batch = ctx.batches.save_batch(said_yes)
        elif batch.state in (BatchState.SENT, BatchState.WITHDRAWN):
            raise NotApprovable("batch_not_proposed")
    except NotApprovable as refusal:
        raise practice_refused(refusal.code) from None
    if (ready := approved(batch)) is not None:
        batch = _send(ready, operator, ctx)
    return batch


def _approved_by(causes: RetryCauses | None, batch: TransferBatch) -> bool:
    """Whether an earlier attempt of this request approved the batch; ``KeyReused`` when
    that attempt asked something else (R38)."""
    if causes is None:
        return False
    made = next(
        (s for s in batch.steps if s.what == "approved" and causes.made(s.cause, s.at)), None
    )
    if made is None:
        return False
    causes.same_request(made.request_fingerprint)
    return True


def _send(batch: ApprovedBatch, operator: str, ctx: MoneyOutContext) -> TransferBatch:
    now = ctx.clock.now()
    # Dated by the approval, not by today: a retry on a later day (a crash before the batch
    # was saved as sent) writes the same file under the same key, not a second one.
    approved_at = batch.approved_at or now
    if batch.step_at(SENDING) is None:
        # Again: the account can change between the approval and the file (a crash
        # between them, retried days later; or a change landing in between).
        _refuse_old_accounts(batch, ctx)
    # Made before any refund is booked: a transfer the file cannot hold stops the approval
    # with nothing booked, not with the credit gone and no file (R13).
    document = _transfer_file(batch, approved_at, ctx)
    # Saved on condition of the version read before anything is booked or written: a
    # withdrawal saved meanwhile stops this approval here, and none is saved after it.
    batch = _saved(sending(batch, operator, now), batch, ctx)
    if batch.kind is BatchKind.REFUND:
        booked = _book_refunds(batch, now, ctx)
        if _paid(booked) != _paid(batch):  # a credit went away since: pay what is booked
            document = _transfer_file(booked, approved_at, ctx)
        batch = booked
    key = ""
    # Nobody to pay: every practice carries a balance, or every refund's credit is gone.
    if document is not None:
        key = f"{batch.kind.value}s/{approved_at.date().isoformat()}/{batch.batch_id}.xml"
        ctx.files.put(key, document, "application/xml")
    return ctx.batches.save_batch(sent(batch, key, operator, now))


def _refuse_old_accounts(batch: TransferBatch, ctx: MoneyOutContext) -> None:
    """A payout batch pays each practice's account as it was when the batch was proposed;
    one corrected since (R31: after a returned payout, say) is not paid on the old one
    (R24, R34). Refused (409 ``payout_account_changed``): withdraw the batch and propose
    its week again, which pays the accounts as they are then (``_plan_again``). A refund
    batch pays the accounts the operator gave, none from the settings."""
    if batch.kind is not BatchKind.PAYOUT:
        return
    changed = sorted(
        {
            transfer.provider_id
            for transfer in _paid(batch)
            if _payout_account(transfer.provider_id, ctx) != (transfer.iban, transfer.name)
        }
    )
    if changed:
        raise practice_refused(
            "payout_account_changed", practices=", ".join(changed), week=batch.week
        )


def _payout_account(provider_id: str, ctx: MoneyOutContext) -> tuple[str, str] | None:
    provider = ctx.store.get_provider(provider_id)
    return (provider.payout.iban, provider.payout.account_holder) if provider else None


def _saved(changed: _Batch, read: TransferBatch, ctx: MoneyOutContext) -> _Batch:
    """The changed batch at the version it was saved as; saved only when it changed. Of the
    batch's kind (an ApprovedBatch stays one: saving changes no state)."""
    return changed if changed == read else replace(changed, version=_version(changed, ctx))


def _version(changed: TransferBatch, ctx: MoneyOutContext) -> int:
    return ctx.batches.save_batch(changed).version


def _paid(batch: TransferBatch) -> list[BatchTransfer]:
    return [t for t in batch.transfers if t.amount_cents > 0]


def _transfer_file(
    batch: TransferBatch, approved_at: datetime, ctx: MoneyOutContext
) -> bytes | None:
    """The pain.001 paying the batch's transfers as they stand; None when nobody is paid.
    Executed on the first TARGET2 business day from the approval (R34)."""
    paid = _paid(batch)
    if not paid:
        return None
    try:
        return credit_transfer_file(
            batch.batch_id,
            ctx.debtor(),
            [_bank_transfer(t) for t in paid],
            execution_date=execution_day(approved_at.date()),
            created_at=approved_at,
        )
    except TransferFileError as problem:
        # Refused when proposed since; a batch proposed before that answers, not a 502.
        raise practice_refused("transfer_file_refused", reason=str(problem)) from None


def _bank_transfer(transfer: BatchTransfer) -> Transfer:
    return Transfer(
        transfer.end_to_end_id,
        transfer.iban,
        transfer.name,
        transfer.amount_cents,
        transfer.remittance,
    )


def _book_refunds(batch: ApprovedBatch, at: datetime, ctx: MoneyOutContext) -> ApprovedBatch:
    """Each refund booked before its file is written, at most the credit its invoice holds
    now (R13): the file then pays exactly what is booked. A transfer paying less than was
    proposed is saved so, with what was proposed, for the operator to see; one paying
    nothing stays in the batch, out of the file. Sent again after a crash, the booked
    amounts are read back from the ledger, so the same file is written."""
    booked = batch
    for transfer in batch.transfers:
        if transfer.amount_cents > 0:  # one found without credit before stays so
            booked = booked.with_transfer(_book_refund(transfer, at, ctx))
    return _saved(booked, batch, ctx)


def _book_refund(transfer: BatchTransfer, at: datetime, ctx: MoneyOutContext) -> BatchTransfer:
    """The REFUND entry (R27), once per end-to-end id, in the invoice's conditional write
    (R28): the credit goes back down, and the practice's next statement shows the money
    that left. The transfer as booked."""
    invoice = _invoice(transfer.invoice_reference, ctx)
    refund_id = transfer.end_to_end_id
    cause = f"{REFUND_CAUSE}{refund_id}"
    # Imported here, as in held_credits and _refund_amount: the Monday run (retrocession_run)
    # imports this module for its payouts and refunds nothing; refunds.py and the PSP port
    # would cost its cold start more than its margin (issue 18 (d)); booking.py its
    # dunning corrections and the legal rules behind them.
    from billing_core.payments.booking import refund_of_credit_held, refunded_cents
    from billing_core.payments.refunds import credit_refundable_by_bank

    def book(current: Invoice) -> Invoice:
        # Not the credit a PSP payment caused since it was proposed (R13: paid back once).
        amount = min(transfer.amount_cents, credit_refundable_by_bank(current))
        return refund_of_credit_held(current, refund_id, amount, at, cause)

    stored, _ = save_change(ctx.store, invoice, book)
    paid = refunded_cents(stored, refund_id)
    if paid == transfer.amount_cents:
        return transfer
    return replace(transfer, amount_cents=paid, reduced_from_cents=transfer.amount_cents)


# --- reading ----------------------------------------------------------------------------------


class BatchPage(NamedTuple):
    """A page of a kind's batches, newest first (a NamedTuple: the operator's handler
    imports this module at its start)."""

    batches: list[TransferBatch]
    next_position: str | None  # the last batch's id; None: this was the last page


def list_batches(
    kind: BatchKind, limit: int, ctx: MoneyOutContext, *, after: str | None = None
) -> BatchPage:
    """``limit`` batches after the batch ``after`` (the previous page's last), newest first
    (interfaces.md §6). One more is read: only a page with a batch after it gives a
    position, so a full last page does not lead to an empty one."""
    found = ctx.batches.list_batches(kind, limit=limit + 1, after=after)
    page = found[:limit]
    return BatchPage(page, page[-1].batch_id if len(found) > limit else None)


def get_batch(batch_id: str, reader: Reader, ctx: MoneyOutContext) -> TransferBatch:
    """The batch as ``reader`` reads it (``shown``)."""
    return shown(_read(batch_id, ctx), reader, ctx)


def shown(batch: TransferBatch, reader: Reader, ctx: MoneyOutContext) -> TransferBatch:
    """The batch, as an answer shows it to ``reader``: proposed, approved, withdrawn or
    read. A refund batch shows patients' names and IBANs: the read is recorded for each
    practice whose patients are in it, naming the batch, those patients (by number, as an
    invoice list's read names them; a refund proposed before the number was kept names
    its kenmerk only) and the kenmerken of that practice's refunds (R32, NEN 7513). A
    payout batch pays practices: nothing to record."""
    # Imported here: the Monday run, which proposes payouts, shows nothing to a person.
    from billing_core.shared.audit import ReadKind

    if batch.kind is BatchKind.REFUND:
        refunds = [
            (t.provider_id, t.patient_ref, f"kenmerk:{t.invoice_reference}")
            for t in batch.transfers
        ]
        _record_shown(reader, ReadKind.REFUND_BATCH, refunds, ctx, heading=batch.batch_id)
    return batch


def held_shown(held: list[HeldCredit], reader: Reader, ctx: MoneyOutContext) -> list[HeldCredit]:
    """The credits held, as an answer shows them to ``reader``: each practice's invoices
    with their credit are a read of its patients' data, recorded naming those patients,
    as an invoice list's read does, and the invoices (R32, NEN 7513)."""
    from billing_core.shared.audit import ReadKind  # imported here: ``shown``

    invoices = [(h.provider_id, h.patient_ref, f"invoice:{h.invoice_id}") for h in held]
    _record_shown(reader, ReadKind.INVOICE_LIST, invoices, ctx, heading="held_credits")
    return held


def _record_shown(
    reader: Reader,
    kind: ReadKind,
    shown_ids: list[tuple[str, str, str]],
    ctx: MoneyOutContext,
    *,
    heading: str,
) -> None:
    """``shown_ids``: (practice, patient number, id) of each thing the answer showed."""
    # Imported here: see ``shown``.
    from billing_core.shared.audit import by_practice_naming_patients, records_of

    named = by_practice_naming_patients(shown_ids)
    for record in records_of(reader, kind, named, ctx.clock.now(), heading):
        ctx.audit.record_read(record)


def _read(batch_id: str, ctx: MoneyOutContext) -> TransferBatch:
    batch = ctx.batches.get_batch(batch_id)
    if batch is None:
        raise UnknownBatch()
    return batch
