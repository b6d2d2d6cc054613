"""Money out of the collection account, four eyes on every euro (R34, issue 19, #14 item 5).

A transfer batch is the weekly payout to the practices or a refund to patients. Its life:

    proposed --approve--> approved --sending, file written--> sent
                 (a second, different operator above the configured total)
    proposed or approved (nothing booked, not sending) --withdraw--> withdrawn

A withdrawn batch pays nothing and holds nothing: its credits can be proposed again (a
file the bank refuses, say, leaves its batch approved for good otherwise). A withdrawn
payout batch keeps its week's plan (the settlements the statements and the next weeks
rely on): the week is planned again in a batch of its own, ``PO-{week}-2``, ``-3``...,
which pays the same settlements to the practices' accounts as they are then.

Only a sent batch has a pain.001 file in the output bucket. Every step is recorded: who
and when (and why, for a withdrawal). Sending starts with a ``sending`` step, saved on
condition of the version before anything is booked or written, so a withdrawal (saved on
condition too) never meets a refund booked or a file written.

After it is sent, each transfer follows the bank: ``booked`` when the bank
statement's debit entry carries its end-to-end id, ``returned`` when the money comes
back (a closed account, a name that does not match). The end-to-end id is
``{batch id}.{n}``: the bank repeats it on both, so the batch is found by one read.

A returned payout is owed again: the next payout batch of that practice pays it, once
(``repaid_in`` names that batch). A returned refund stays owed to the patient: the
invoice shows the credit again once an operator books the return.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NewType, Self

from billing_core.invoices.retention import RETENTION_YEARS
from billing_core.shared.clock import amsterdam_day

PAYOUT_PREFIX = "PO-"
REFUND_PREFIX = "RF-"
SENDING = "sending"  # the step saved before a batch's refunds are booked and its file written
_SEPARATOR = "."


class BatchKind(StrEnum):
    PAYOUT = "payout"  # the weekly retrocession payout to the practices (R24)
    REFUND = "refund"  # credits held for patients, paid back by bank transfer (R34)


class BatchState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    SENT = "sent"
    WITHDRAWN = "withdrawn"  # an operator took it back before it was sent: its credits are free


class BankState(StrEnum):
    """What the bank did with one transfer, once the batch is sent."""

    AWAITED = "awaited"  # in the file, not yet on a bank statement
    BOOKED = "booked"  # the statement's debit entry carried its end-to-end id
    RETURNED = "returned"  # the money came back (RtrInf): owed again


class NotApprovable(Exception):
    """The batch is not waiting for an approval (sent already), or the operator approved
    it before: four eyes means two different people."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the batch's life: what happened, who did it, when."""

    what: str  # proposed, approved, sending, sent, withdrawn
    by: str  # an operator's id, or "schedule" for the Monday run
    at: datetime
    reason: str = ""  # why, for a withdrawal
    # An approval: what the operator's request is known by and what it asked
    # (shared.retries), so its retry after a crash finds it made, not a second
    # approval refused (R38); "" for the other steps and approvals saved before.
    cause: str = ""
    request_fingerprint: str = ""


@dataclass(frozen=True, slots=True)
class BatchTransfer:
    """One credit transfer in a batch (a payout or a refund), and what the bank said of it."""

    end_to_end_id: str
    provider_id: str
    iban: str
    name: str  # the account holder (banks check the payee's name)
    amount_cents: int
    remittance: str
    invoice_reference: str = ""  # a refund: the invoice whose credit it pays back
    bank_state: BankState = BankState.AWAITED
    bank_date: date | None = None
    bank_entry: str = ""  # the bank's reference of the debit or the return
    return_reason: str = ""  # AC04 (account closed), BE05, MS03, ...
    repaid_in: str = ""  # a returned payout: the batch that paid it again
    # A refund whose invoice held less credit when its batch was sent than when it was
    # proposed (R13): what was proposed. amount_cents is what was paid; 0: not in the file.
    reduced_from_cents: int = 0
    # The bank statement upload that read ``bank_state`` from ``bank_entry``
    # (bank_import.upload_fingerprint): its retry after a crash counts the entry as
    # booked or returned, not as a duplicate (R3, R12); "" without one.
    request_fingerprint: str = ""
    # A returned transfer whose debit was read too: the debit's entry and the upload that
    # read it (``bank_entry`` and ``request_fingerprint`` are then the return's), so a
    # retry of an upload with both counts the debit as booked, not as a duplicate (R3).
    debit_entry: str = ""
    debit_request_fingerprint: str = ""
    # A transfer returned before its debit was read (the return on one statement upload,
    # the debit on a later one): that debit is still to come, and is kept beside the
    # return when it does (R12: not a duplicate). False once it came.
    debit_awaited: bool = False
    # A refund: the patient number of its invoice, which each read of the batch names in
    # the access log (R32, NEN 7513), kept so that read needs no read of the invoices. ""
    # on a payout and on a refund proposed before it was kept.
    patient_ref: str = ""

    @property
    def owed_again(self) -> bool:
        """A returned payout that no later batch has paid yet."""
        return self.bank_state is BankState.RETURNED and not self.repaid_in


@dataclass(frozen=True, slots=True)
class Settlement:
    """One practice in a payout batch: its statements' payout, what earlier weeks left,
    and what it is paid (``due_cents`` when positive) or carries on (when not)."""

    provider_id: str
    weeks: tuple[str, ...]  # the statement weeks it settles (one, unless one was late)
    statement_payout_cents: int
    carried_in_cents: int = 0  # a negative payout of an earlier week, never a debit
    owed_again_cents: int = 0  # returned payouts paid again in this batch

    @property
    def due_cents(self) -> int:
        return self.statement_payout_cents + self.carried_in_cents + self.owed_again_cents

    @property
    def paid_cents(self) -> int:
        return max(self.due_cents, 0)

    @property
    def carried_out_cents(self) -> int:
        """What the practice owes: taken off its next payout, never collected as a debit."""
        return min(self.due_cents, 0)


@dataclass(frozen=True, slots=True)
class TransferBatch:
    """A batch of outgoing transfers (R24 payouts, R13 refunds), approved and sent as one
    pain.001."""

    batch_id: str
    kind: BatchKind
    transfers: tuple[BatchTransfer, ...]
    steps: tuple[Step, ...]
    state: BatchState = BatchState.PROPOSED
    week: str = ""  # a payout batch: the statement week it pays
    settlements: tuple[Settlement, ...] = ()
    waiting: tuple[str, ...] = ()  # practices without a statement yet: in a later batch
    file_key: str = ""  # the pain.001 in the output bucket, once sent
    # A refund batch: what the operator's request that proposed it is known by
    # (shared.retries), so a retry of it after a failure finds it made (R38).
    cause: str = ""
    # And a fingerprint of what that request asked (shared.retries.fingerprint): the same
    # key with another request is refused, not given this batch (R38); "" before it was kept.
    request_fingerprint: str = ""
    version: int = 0  # conditional writes (R28)

    @property
    def total_cents(self) -> int:
        return sum(t.amount_cents for t in self.transfers)

    @property
    def approvers(self) -> tuple[str, ...]:
        return tuple(step.by for step in self.steps if step.what == "approved")

    @property
    def approved_at(self) -> datetime | None:
        """The approval that made it approved (the last one): the day its file is dated and
        to be executed, also when sending it is retried on a later day (R38)."""
        return next((step.at for step in reversed(self.steps) if step.what == "approved"), None)

    def step_at(self, what: str) -> datetime | None:
        return next((step.at for step in self.steps if step.what == what), None)

    def transfer(self, end_to_end_id: str) -> BatchTransfer | None:
        return next((t for t in self.transfers if t.end_to_end_id == end_to_end_id), None)

    def settlement(self, provider_id: str) -> Settlement | None:
        return next((s for s in self.settlements if s.provider_id == provider_id), None)

    def with_transfer(self, changed: BatchTransfer) -> Self:
        transfers = tuple(
            changed if t.end_to_end_id == changed.end_to_end_id else t for t in self.transfers
        )
        return replace(self, transfers=transfers)


# A batch enough operators approved, to be sent: made by ``approved`` only, which checks
# its state, and kept by what changes no state (``sending``, ``with_transfer``). Sending
# takes it, so a batch not approved cannot be sent (mypy refuses the call, R34).
ApprovedBatch = NewType("ApprovedBatch", TransferBatch)


# --- ids ---------------------------------------------------------------------------------------


def payout_batch_id(week_label: str, number: int = 1) -> str:
    """The week's ``number``-th payout batch: proposing the week again finds the same one.
    A week has a second only when its first was withdrawn (planned again), and so on."""
    suffix = f"-{number}" if number > 1 else ""
    return f"{PAYOUT_PREFIX}{week_label}{suffix}"


def payout_batches_of_week(
    week_label: str, get_batch: Callable[[str], TransferBatch | None]
) -> list[TransferBatch]:
    """The week's payout batches, first to last: every one but the last is withdrawn; the
    last is the week's payout (withdrawn too when the week was not planned again yet)."""
    found: list[TransferBatch] = []
    while (batch := get_batch(payout_batch_id(week_label, len(found) + 1))) is not None:
        found.append(batch)
        if batch.state is not BatchState.WITHDRAWN:
            break
    return found


def batch_order(batch_id: str) -> tuple[str, int]:
    """Where a batch sorts among the batches of its kind, oldest first: a payout batch by
    its week, then by its number in the week (``PO-{week}-10`` after ``-9``, where text
    puts it before ``-2``); a refund batch by its id (``RF-{day}-...``: by its day)."""
    head, _, number = batch_id.rpartition("-")
    if batch_id.startswith(PAYOUT_PREFIX) and number.isdigit():
        return head, int(number)
    return batch_id, 1


def is_batch_id(kind: BatchKind, text: str) -> bool:
    """Whether ``text`` is an id a batch of ``kind`` is given (``payout_batch_id``,
    ``refund_batch_id``): a position in the list of that kind (a paging cursor's) is one."""
    if kind is BatchKind.PAYOUT:
        from billing_core.providers.week import WEEK_LABEL  # the operator's list only

        head, number = batch_order(text)
        label = head.removeprefix(PAYOUT_PREFIX)
        well_formed = head != label and WEEK_LABEL.fullmatch(label) is not None
        return well_formed and payout_batch_id(label, number) == text
    day, _, suffix = text.removeprefix(REFUND_PREFIX).partition("-")
    hexadecimal = len(suffix) == 6 and all(c in "0123456789abcdef" for c in suffix)
    return text.startswith(REFUND_PREFIX) and len(day) == 8 and day.isdigit() and hexadecimal


def is_open(batch: TransferBatch) -> bool:
    """Proposed or approved (sending too): not sent, not withdrawn; it still holds what it
    pays (a refund's credit, a payout's week) and waits for an operator (R34)."""
    return batch.state in (BatchState.PROPOSED, BatchState.APPROVED)


def newest_first(batches: Iterable[TransferBatch]) -> list[TransferBatch]:
    """The batches newest first, a week's later batches before its earlier ones."""
    return sorted(batches, key=lambda batch: batch_order(batch.batch_id), reverse=True)


def refund_batch_id(day: date) -> str:
    return f"{REFUND_PREFIX}{day:%Y%m%d}-{uuid.uuid4().hex[:6]}"


def end_to_end_id(batch_id: str, number: int) -> str:
    return f"{batch_id}{_SEPARATOR}{number}"


def batch_of(transfer_id: str) -> str | None:
    """The batch id inside one of our end-to-end ids; None for anybody else's id."""
    batch_id, separator, number = transfer_id.rpartition(_SEPARATOR)
    if not separator or not number.isdigit():
        return None
    if not batch_id.startswith((PAYOUT_PREFIX, REFUND_PREFIX)):
        return None
    return batch_id


# --- four eyes ---------------------------------------------------------------------------------


def approvals_needed(batch: TransferBatch, second_approval_above_cents: int) -> int:
    return 2 if batch.total_cents > second_approval_above_cents else 1


def approve(
    batch: TransferBatch,
    operator: str,
    at: datetime,
    second_approval_above_cents: int,
    *,
    cause: str = "",
    request_fingerprint: str = "",
) -> TransferBatch:
    """The batch with this operator's approval; approved once enough different operators
    said yes. NotApprovable when it is not proposed or this operator approved it already.
    ``cause`` and ``request_fingerprint``: the request's, kept with the approval (Step)."""
    if batch.state is not BatchState.PROPOSED:
        raise NotApprovable("batch_not_proposed")
    if operator in batch.approvers:
        raise NotApprovable("second_operator_needed")
    step = Step("approved", operator, at, cause=cause, request_fingerprint=request_fingerprint)
    approved = replace(batch, steps=(*batch.steps, step))
    if len(approved.approvers) >= approvals_needed(batch, second_approval_above_cents):
        return replace(approved, state=BatchState.APPROVED)
    return approved


def approved(batch: TransferBatch) -> ApprovedBatch | None:
    """The batch as one to send once enough operators approved it; None before (proposed)
    and after (sent, withdrawn)."""
    return ApprovedBatch(batch) if batch.state is BatchState.APPROVED else None


def sending(batch: ApprovedBatch, by: str, at: datetime) -> ApprovedBatch:
    """The approved batch about to be booked and written; the same batch the second time."""
    if batch.step_at(SENDING) is not None:
        return batch
    return replace(batch, steps=(*batch.steps, Step(SENDING, by, at)))


def withdrawn(batch: TransferBatch, by: str, at: datetime, reason: str) -> TransferBatch:
    """The batch taken back with the operator's reason; the same batch when it was before.
    The caller checks that nothing of it was sent or booked."""
    if batch.state is BatchState.WITHDRAWN:
        return batch
    step = Step(BatchState.WITHDRAWN.value, by, at, reason)
    return replace(batch, state=BatchState.WITHDRAWN, steps=(*batch.steps, step))


def sent(batch: ApprovedBatch, file_key: str, by: str, at: datetime) -> TransferBatch:
    return replace(
        batch, state=BatchState.SENT, file_key=file_key, steps=(*batch.steps, Step("sent", by, at))
    )


def kept_until(batch: TransferBatch) -> date | None:
    """The last day a batch is kept (legal-nl.md §8, R39): 31 December, 7 years after the
    year it was sent (the money moved; its pain.001 under refunds/ or payouts/ is written
    that day and kept 2,922 days, so the batch never outlives it) or withdrawn (nothing
    moved; the same rule, so no batch is kept forever). None while it is open: proposed or
    approved, it is business still to do. A refund batch names the patient (account holder,
    IBAN, the invoice's kenmerk): it must not stay after the invoice and the file."""
    done = {BatchState.SENT: "sent", BatchState.WITHDRAWN: BatchState.WITHDRAWN.value}
    what = done.get(batch.state)
    at = batch.step_at(what) if what else None
    return None if at is None else date(amsterdam_day(at).year + RETENTION_YEARS, 12, 31)


# --- the bank's side ---------------------------------------------------------------------------


def booked_by_bank(
    transfer: BatchTransfer, on: date, bank_entry: str, upload: str = ""
) -> BatchTransfer:
    """The debit entry of this transfer; a return read earlier is not undone by it. The
    debit of a transfer returned before it (``debit_awaited``; or, returned before that
    was kept, by this same ``upload``) is kept beside the return (R12: not a duplicate).
    A return another upload read without ``debit_awaited`` may be of a transfer whose
    debit was read before ``debit_entry`` was kept: its debit stays a duplicate."""
    if _debit_to_come(transfer, upload):
        return replace(
            transfer, debit_entry=bank_entry, debit_request_fingerprint=upload, debit_awaited=False
        )
    if transfer.bank_state is not BankState.AWAITED:
        return transfer
    return replace(transfer, bank_state=BankState.BOOKED, bank_date=on, bank_entry=bank_entry)


def _debit_to_come(transfer: BatchTransfer, upload: str) -> bool:
    """A returned transfer whose debit no statement upload read yet."""
    if transfer.bank_state is not BankState.RETURNED or transfer.debit_entry:
        return False
    return transfer.debit_awaited or bool(upload and transfer.request_fingerprint == upload)


def returned_by_bank(
    transfer: BatchTransfer, on: date, bank_entry: str, reason: str
) -> BatchTransfer:
    """The return of this transfer; a debit read before is kept beside it (R3)."""
    if transfer.bank_state is BankState.RETURNED:
        return transfer
    if transfer.bank_state is BankState.BOOKED:
        debit, upload = transfer.bank_entry, transfer.request_fingerprint
        transfer = replace(transfer, debit_entry=debit, debit_request_fingerprint=upload)
    else:  # the return before the debit (an upload of the return's day before the debit's)
        transfer = replace(transfer, debit_awaited=True)
    return replace(
        transfer,
        bank_state=BankState.RETURNED,
        bank_date=on,
        bank_entry=bank_entry,
        return_reason=reason,
    )


# --- stored as one document (no personal data but the practices' payout accounts) -------------


def batch_document(batch: TransferBatch) -> dict[str, Any]:
    return {
        "batch_id": batch.batch_id,
        "kind": batch.kind.value,
        "state": batch.state.value,
        "week": batch.week,
        "file_key": batch.file_key,
        "cause": batch.cause,
        "request_fingerprint": batch.request_fingerprint,
        "waiting": list(batch.waiting),
        "steps": [_step_document(s) for s in batch.steps],
        "settlements": [
            {
                "provider_id": s.provider_id,
                "weeks": list(s.weeks),
                "statement_payout_cents": s.statement_payout_cents,
                "carried_in_cents": s.carried_in_cents,
                "owed_again_cents": s.owed_again_cents,
            }
            for s in batch.settlements
        ],
        "transfers": [_transfer_document(t) for t in batch.transfers],
    }


def _step_document(step: Step) -> dict[str, Any]:
    return {
        "what": step.what,
        "by": step.by,
        "at": step.at.isoformat(),
        "reason": step.reason,
        # Only when set: a step saved without a request's cause keeps its bytes.
        **({"cause": cause} if (cause := step.cause) else {}),
        **({"request_fingerprint": fp} if (fp := step.request_fingerprint) else {}),
    }


def _transfer_document(transfer: BatchTransfer) -> dict[str, Any]:
    return {
        "end_to_end_id": transfer.end_to_end_id,
        "provider_id": transfer.provider_id,
        "iban": transfer.iban,
        "name": transfer.name,
        "amount_cents": transfer.amount_cents,
        "remittance": transfer.remittance,
        "invoice_reference": transfer.invoice_reference,
        "bank_state": transfer.bank_state.value,
        "bank_date": transfer.bank_date.isoformat() if transfer.bank_date else None,
        "bank_entry": transfer.bank_entry,
        "return_reason": transfer.return_reason,
        "repaid_in": transfer.repaid_in,
        "reduced_from_cents": transfer.reduced_from_cents,
        # Only when set: a batch no statement upload read keeps its bytes.
        **({"request_fingerprint": fp} if (fp := transfer.request_fingerprint) else {}),
        **({"debit_entry": debit} if (debit := transfer.debit_entry) else {}),
        **({"debit_request_fingerprint": d} if (d := transfer.debit_request_fingerprint) else {}),
        **({"debit_awaited": True} if transfer.debit_awaited else {}),
        **({"patient_ref": patient} if (patient := transfer.patient_ref) else {}),
    }


def batch_from_document(document: Mapping[str, Any], version: int) -> TransferBatch:
    return TransferBatch(
        batch_id=document["batch_id"],
        kind=BatchKind(document["kind"]),
        state=BatchState(document["state"]),
        week=document["week"],
        file_key=document["file_key"],
        cause=document.get("cause", ""),  # none in batches saved before causes were kept
        request_fingerprint=document.get(
            "request_fingerprint", ""
        ),  # none: saved before it was kept
        waiting=tuple(document["waiting"]),
        steps=tuple(_step_from(s) for s in document["steps"]),
        settlements=tuple(
            Settlement(
                s["provider_id"],
                tuple(s["weeks"]),
                int(s["statement_payout_cents"]),
                int(s["carried_in_cents"]),
                int(s["owed_again_cents"]),
            )
            for s in document["settlements"]
        ),
        transfers=tuple(_transfer_from(t) for t in document["transfers"]),
        version=version,
    )


def _step_from(document: Mapping[str, Any]) -> Step:
    return Step(
        document["what"],
        document["by"],
        datetime.fromisoformat(document["at"]),
        document.get("reason", ""),  # none in steps saved before withdrawals existed
        cause=document.get("cause", ""),  # none: saved before approvals kept it
        request_fingerprint=document.get("request_fingerprint", ""),
    )


def _transfer_from(document: Mapping[str, Any]) -> BatchTransfer:
    bank_date = document["bank_date"]
    return BatchTransfer(
        end_to_end_id=document["end_to_end_id"],
        provider_id=document["provider_id"],
        iban=document["iban"],
        name=document["name"],
        amount_cents=int(document["amount_cents"]),
        remittance=document["remittance"],
        invoice_reference=document["invoice_reference"],
        bank_state=BankState(document["bank_state"]),
        bank_date=date.fromisoformat(bank_date) if bank_date else None,
        bank_entry=document["bank_entry"],
        return_reason=document["return_reason"],
        repaid_in=document["repaid_in"],
        reduced_from_cents=int(document.get("reduced_from_cents", 0)),  # not in older batches
        request_fingerprint=document.get("request_fingerprint", ""),
        debit_entry=document.get("debit_entry", ""),
        debit_request_fingerprint=document.get("debit_request_fingerprint", ""),
        debit_awaited=bool(document.get("debit_awaited", False)),
        patient_ref=document.get("patient_ref", ""),  # none: a payout, or kept since stop 53
    )
