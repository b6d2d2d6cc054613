"""The bank statement's side of our own transfers: payouts and refunds (issue 19, R34).

A bank statement entry that repeats the end-to-end id of one of our transfers
(``{batch}.{n}``, payments/transfer_batches.py) with its amount is that transfer:

- a plain debit: the bank executed it -> ``booked`` on that date;
- anything else (a credit with RtrInf, a reversed debit): the money came back ->
  ``returned``, with the bank's reason. A returned payout is owed again (the next payout
  batch pays it, once) and the practice gets an open action to check its payout account;
  a returned refund is listed for a person (the patient's credit is restored by hand).

Read twice, an entry changes nothing the second time: a duplicate, unless the same
upload read it before (its retry after a crash, R3): then it is what that run made of it.
A debit read after its return (the return's statement uploaded first) is that transfer's
debit, kept beside the return, not a duplicate (R12); the return stays its state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from billing_core.payments.camt053 import BankTransaction, Direction
from billing_core.payments.transfer_batches import (
    BankState,
    BatchKind,
    BatchTransfer,
    TransferBatch,
    batch_of,
    booked_by_bank,
    returned_by_bank,
)
from billing_core.ports import BillingStore, ConcurrentChange, TransferBatches
from billing_core.providers.actions import ActionKind, OpenAction, action_id_checked
from billing_core.shared.money import euro_params

ATTEMPTS = 3
UNKNOWN_REASON = "NARR"  # the bank gave no code: "see the narrative"


class OwnTransferOutcome(StrEnum):
    BOOKED = "booked"
    RETURNED = "returned"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class OwnTransferMatch:
    batch: TransferBatch
    transfer: BatchTransfer  # as it is now
    outcome: OwnTransferOutcome
    # BOOKED or RETURNED read before by the same upload (a retry of its run): the caller
    # counts it unless its report counted it already (the entry twice in the file).
    again: bool = False


def match_own_transfer(
    transaction: BankTransaction,
    batches: TransferBatches,
    store: BillingStore,
    now: datetime,
    request_fingerprint: str = "",
) -> OwnTransferMatch | None:
    """Book the bank's side on the transfer this entry is about; None when it is none of
    ours (or its amount differs: then a person looks, it is not guessed).
    ``request_fingerprint``: the statement upload reading it, which the transfer
    remembers (bank_import.upload_fingerprint; R3)."""
    for transfer_id in transaction.transfer_ids:
        batch_id = batch_of(transfer_id)
        batch = batches.get_batch(batch_id) if batch_id else None
        transfer = batch.transfer(transfer_id) if batch else None
        if batch is None or transfer is None:
            continue
        if transfer.amount_cents != transaction.amount_cents:
            return None
        return _record(transaction, batch, transfer_id, batches, store, now, request_fingerprint)
    return None


def _record(
    transaction: BankTransaction,
    batch: TransferBatch,
    transfer_id: str,
    batches: TransferBatches,
    store: BillingStore,
    now: datetime,
    request_fingerprint: str,
) -> OwnTransferMatch:
    executed = (
        transaction.direction is Direction.DEBIT
        and not transaction.reversal
        and not transaction.return_reason
    )
    for _ in range(ATTEMPTS):
        transfer = batch.transfer(transfer_id)
        if transfer is None:  # an end-to-end id never leaves its batch: a broken table
            raise LookupError(f"transfer {transfer_id} left batch {batch.batch_id}")
        changed = _changed(transaction, transfer, executed, request_fingerprint)
        if changed == transfer:
            return _read_before(
                transaction, batch, transfer, store, now, request_fingerprint, executed=executed
            )
        if request_fingerprint and changed.bank_state is not transfer.bank_state:
            # The upload that read the state; a debit kept beside its return keeps its own
            # (debit_request_fingerprint): the return's upload retried is still its own (R3).
            changed = replace(changed, request_fingerprint=request_fingerprint)
        try:
            saved = batches.save_batch(batch.with_transfer(changed))
        except ConcurrentChange:
            batch = batches.get_batch(batch.batch_id) or batch
            continue
        if not executed and saved.kind is BatchKind.PAYOUT:
            store.add_action(_returned_payout_action(changed, now))
        outcome = OwnTransferOutcome.BOOKED if executed else OwnTransferOutcome.RETURNED
        return OwnTransferMatch(saved, changed, outcome)
    raise ConcurrentChange(batch.batch_id)


def _read_before(
    transaction: BankTransaction,
    batch: TransferBatch,
    transfer: BatchTransfer,
    store: BillingStore,
    now: datetime,
    request_fingerprint: str,
    *,
    executed: bool,
) -> OwnTransferMatch:
    """The entry read before: by this same upload, from this entry (a retry of its run
    that crashed after saving it, R3), what that run made of it, and a returned payout's
    action written again (the crash may have come before it; written once); by another
    upload (the statement imported again), a duplicate (R12). The debit of a transfer
    returned since is its ``debit_entry`` (one upload with the debit and its return)."""
    entry, upload = transfer.bank_entry, transfer.request_fingerprint
    debit_of_returned = executed and transfer.bank_state is BankState.RETURNED
    if debit_of_returned:
        entry, upload = transfer.debit_entry, transfer.debit_request_fingerprint
    if not (
        request_fingerprint
        and upload == request_fingerprint
        and entry == transaction.entry_reference
    ):
        return OwnTransferMatch(batch, transfer, OwnTransferOutcome.DUPLICATE)
    if transfer.bank_state is BankState.BOOKED or debit_of_returned:
        return OwnTransferMatch(batch, transfer, OwnTransferOutcome.BOOKED, again=True)
    if batch.kind is BatchKind.PAYOUT:
        store.add_action(_returned_payout_action(transfer, now))
    return OwnTransferMatch(batch, transfer, OwnTransferOutcome.RETURNED, again=True)


def _changed(
    transaction: BankTransaction, transfer: BatchTransfer, executed: bool, upload: str
) -> BatchTransfer:
    on, entry = transaction.booking_date, transaction.entry_reference
    if executed:
        return booked_by_bank(transfer, on, entry, upload)
    return returned_by_bank(transfer, on, entry, transaction.return_reason or UNKNOWN_REASON)


def returned_payout_action_id(end_to_end_id: str) -> str:
    """One action per returned transfer."""
    return f"payout-returned-{end_to_end_id}"


def _returned_payout_action(transfer: BatchTransfer, now: datetime) -> OpenAction:
    """For the practice (and the operator, who sees it on the batch): check the account."""
    # Here, not at import: a returned payout is rare (shared/errors.py says why).
    from billing_core.texts.practice import action_sentences

    sentences = action_sentences(
        "payout_returned",
        **euro_params("amount", transfer.amount_cents),
        transfer_id=transfer.end_to_end_id,
        reason=transfer.return_reason,
    )
    return OpenAction(
        action_id=action_id_checked(returned_payout_action_id(transfer.end_to_end_id)),
        provider_id=transfer.provider_id,
        kind=ActionKind.PAYOUT_RETURNED,
        invoice_id="",  # about the practice's account, not an invoice
        reference="",
        created_at=now,
        details={
            "transfer_id": transfer.end_to_end_id,
            "amount_cents": transfer.amount_cents,
            "return_reason": transfer.return_reason,
            "what_to_do": sentences["nl"],
            "what_to_do_en": sentences["en"],
        },
    )
