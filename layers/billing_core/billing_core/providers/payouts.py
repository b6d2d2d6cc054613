"""The weekly payout to the practices (R24, issue 19): after the Monday retrocession run,
one transfer per practice whose statement says zorgnota owes it money.

Per practice the batch settles the statement weeks since its last settlement (one week,
unless a statement was late) and adds

- what earlier weeks carried: a negative payout (more refunded and returned than
  received) is never collected as a debit; it is taken off the next payout, and both
  statements show it (``Settlement.carried_out_cents`` and ``carried_in_cents``);
- what the bank returned: a payout that came back is owed again and paid in this batch,
  once (the service marks it ``repaid_in`` this batch before the batch is written).

A practice whose statement is missing waits (``TransferBatch.waiting``) and is settled,
weeks and all, in a later batch: no week is paid twice or lost. A batch withdrawn before
it was sent keeps its settlements (the next weeks carried on from them): a new batch of
its week pays them (``payout_replan``). The money adds up, per practice and to the cent:
Σ booked payouts + the carried balance + returned payouts not yet paid again = Σ
statement payouts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from billing_core.payments.transfer_batches import (
    SENDING,
    BankState,
    BatchKind,
    BatchState,
    BatchTransfer,
    Settlement,
    Step,
    TransferBatch,
    end_to_end_id,
    newest_first,
    payout_batch_id,
)
from billing_core.providers.provider import Provider
from billing_core.providers.retrocession_run import MADE_UP_WEEKS
from billing_core.providers.week import Week
from billing_core.shared.clock import amsterdam_day

# The statement's payout of a practice's week, or None while it has no statement.
StatementPayout = Callable[[str, Week], int | None]


def plan_payouts(
    week: Week,
    providers: Sequence[Provider],
    statement_payout: StatementPayout,
    earlier: Sequence[TransferBatch],
    *,
    by: str,
    at: datetime,
) -> TransferBatch:
    """The proposed payout batch of ``week``; ``earlier`` are the payout batches before it
    (any order)."""
    batch_id = payout_batch_id(week.label)
    history = sorted(
        (b for b in earlier if b.kind is BatchKind.PAYOUT and b.week < week.label),
        key=lambda b: b.week,
        reverse=True,
    )
    settlements: list[Settlement] = []
    waiting: list[str] = []
    transfers: list[BatchTransfer] = []
    for provider in sorted(providers, key=lambda p: p.provider_id):
        if _settled_later(provider.provider_id, week, earlier):
            continue  # a missed run's week, paid with the week that made it up: once
        settlement = _settlement(provider.provider_id, week, statement_payout, history, batch_id)
        if settlement is None:
            waiting.append(provider.provider_id)
            continue
        settlements.append(settlement)
        if settlement.paid_cents > 0:
            transfers.append(
                payout_transfer(provider, settlement, end_to_end_id(batch_id, len(transfers) + 1))
            )
    return TransferBatch(
        batch_id=batch_id,
        kind=BatchKind.PAYOUT,
        week=week.label,
        transfers=tuple(transfers),
        settlements=tuple(settlements),
        waiting=tuple(waiting),
        steps=(Step("proposed", by, at),),
    )


def owed_again(
    provider_id: str, earlier: Sequence[TransferBatch], batch_id: str
) -> list[BatchTransfer]:
    """The practice's returned payouts that no batch but this one has paid again."""
    return [
        transfer
        for batch in earlier
        if batch.kind is BatchKind.PAYOUT and batch.batch_id != batch_id
        for transfer in batch.transfers
        if transfer.provider_id == provider_id
        and transfer.bank_state is BankState.RETURNED
        and transfer.repaid_in in ("", batch_id)
    ]


def _settlement(
    provider_id: str,
    week: Week,
    statement_payout: StatementPayout,
    history: Sequence[TransferBatch],
    batch_id: str,
) -> Settlement | None:
    last, first = _last_settled(provider_id, history)
    if last is None:  # a practice never settled: from its first statement on
        first = _first_statement_week(provider_id, first or week, statement_payout)
    weeks = _weeks_from(first or week, week)  # (a settlement always names the week after)
    payouts = [statement_payout(provider_id, w) for w in weeks]
    if any(payout is None for payout in payouts):
        return None
    return Settlement(
        provider_id=provider_id,
        weeks=tuple(w.label for w in weeks),
        statement_payout_cents=sum(p for p in payouts if p is not None),
        carried_in_cents=last.carried_out_cents if last else 0,
        owed_again_cents=sum(t.amount_cents for t in owed_again(provider_id, history, batch_id)),
    )


def _settled_later(provider_id: str, week: Week, earlier: Sequence[TransferBatch]) -> bool:
    """True when a batch of a later week settled ``week`` for the practice: the run after a
    missed one made the week's statement up and paid it with its own week
    (retrocession_run.weeks_missed), so the week has no batch of its own. Proposing the
    week afterwards (an operator rerunning it, as the runbook says for a missed run) must
    not pay it again (R24)."""
    for batch in earlier:
        if batch.kind is not BatchKind.PAYOUT or batch.week <= week.label:
            continue
        settlement = batch.settlement(provider_id)
        if settlement is not None and week.label in settlement.weeks:
            return True
    return False


def _last_settled(
    provider_id: str, history: Sequence[TransferBatch]
) -> tuple[Settlement | None, Week | None]:
    """The practice's last settlement (newest first ``history``) and the first week not
    settled since: the week after it, or the oldest week the practice waited in."""
    waited_since: Week | None = None
    for batch in history:
        settlement = batch.settlement(provider_id)
        if settlement is not None:
            return settlement, Week.parse(max(settlement.weeks)).following()
        if provider_id in batch.waiting:
            waited_since = Week.parse(batch.week)
    return None, waited_since


def _first_statement_week(provider_id: str, first: Week, statement_payout: StatementPayout) -> Week:
    """The oldest of the weeks with a statement right before ``first`` of a practice no batch
    settled yet (``first`` itself when none): the run made up its first weeks, their runs
    missed or their statements failed on every retry (retrocession_run.weeks_missed), and
    only this batch can pay them (R24). At most MADE_UP_WEEKS back, as far as the run made
    them up; a practice a batch settled never gets here (its settlement says where to go on)."""
    for _ in range(MADE_UP_WEEKS):
        if statement_payout(provider_id, first.previous()) is None:
            break
        first = first.previous()
    return first


def _weeks_from(first: Week, last: Week) -> list[Week]:
    weeks = [first]
    while weeks[-1] < last:
        weeks.append(weeks[-1].following())
    return weeks


def payout_transfer(provider: Provider, settlement: Settlement, transfer_id: str) -> BatchTransfer:
    return BatchTransfer(
        end_to_end_id=transfer_id,
        provider_id=provider.provider_id,
        iban=provider.payout.iban,
        name=provider.payout.account_holder,
        amount_cents=settlement.paid_cents,
        remittance=payout_remittance(settlement.weeks, transfer_id),
    )


def payout_remittance(weeks: Sequence[str], transfer_id: str) -> str:
    """The practice's bookkeeping matches the money to the statements by week and id: each
    week named, or, when that would not fit the bank's 140 characters (a practice paid ten
    weeks or more at once after late statements), the first and the last: the weeks a
    settlement pays follow each other (``_weeks_from``). The bank cuts a longer text, the
    last weeks and the id with it (R24, R34)."""
    # Imported here: the provider API imports this module for payout_state, not the writer.
    from billing_core.payments.sepa_transfers import REMITTANCE_LENGTH

    each = f"Zorgnota uitbetaling retrocessie {' '.join(weeks)} {transfer_id}"
    if len(each) <= REMITTANCE_LENGTH:
        return each
    return f"Zorgnota uitbetaling retrocessie {weeks[0]} t/m {weeks[-1]} {transfer_id}"


def weeks_not_planned_again(
    batches: Sequence[TransferBatch], withdrawn_before: datetime
) -> list[str]:
    """The weeks whose latest payout batch was withdrawn before ``withdrawn_before`` and
    not planned again since: their money is paid by no batch until an operator proposes
    the week again, and nothing does that by itself (R24, R34)."""
    latest: dict[str, TransferBatch] = {}
    for batch in newest_first(b for b in batches if b.kind is BatchKind.PAYOUT):
        latest.setdefault(batch.week, batch)  # newest first: the first seen is the latest
    return sorted(
        week
        for week, batch in latest.items()
        if batch.state is BatchState.WITHDRAWN
        and (batch.step_at(BatchState.WITHDRAWN.value) or withdrawn_before) < withdrawn_before
    )


# --- what the practice's statement shows (R24, issue 19 item 4) ---------------------------------


def payout_state(batch: TransferBatch, provider_id: str) -> dict[str, Any] | None:
    """The payout of the practice in ``batch``: its state and the date of every step.

    state: proposed, approved, sent (the batch's), then booked or returned (the bank's);
    carried when nothing was due (a negative balance goes to the next week); waiting when
    its statement was not there yet; withdrawn when an operator took the batch back and
    its week is not planned again yet; a returned one names the batch that pays it again
    (``repaid_in``) once one does. None when the batch does not know the practice.
    """
    settlement = batch.settlement(provider_id)
    if settlement is None:
        return (
            {"state": "waiting", "batch_id": batch.batch_id}
            if provider_id in batch.waiting
            else None
        )
    transfer = next((t for t in batch.transfers if t.provider_id == provider_id), None)
    # Sending is zorgnota's own lock before the file is written, not a state to show.
    dates = {
        step.what: amsterdam_day(step.at).isoformat()
        for step in batch.steps
        if step.what != SENDING
    }
    state = batch.state.value
    if transfer is None:
        state = "carried"
    elif transfer.bank_date is not None and transfer.bank_state is not BankState.AWAITED:
        state = transfer.bank_state.value
        dates[state] = transfer.bank_date.isoformat()
    # A returned payout owed again: the batch that pays it again (its week's statement says
    # how), so this week's does not read as money lost (R24, R34; audit retro4).
    repaid_in = transfer.repaid_in if transfer and state == BankState.RETURNED.value else ""
    return {
        "state": state,
        "batch_id": batch.batch_id,
        "weeks": list(settlement.weeks),
        "statement_payout": settlement.statement_payout_cents,
        "carried_in": settlement.carried_in_cents,
        "owed_again": settlement.owed_again_cents,
        "paid": settlement.paid_cents,
        "carried_out": settlement.carried_out_cents,
        "end_to_end_id": transfer.end_to_end_id if transfer else "",
        "dates": dates,
        **({"repaid_in": repaid_in} if repaid_in else {}),
    }
