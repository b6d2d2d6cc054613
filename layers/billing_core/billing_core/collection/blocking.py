"""Blocked patients (R22, seed 002 advice 7, legal-nl.md §6 "debtor risk").

A patient with a claim at the collection agency is blocked at that provider until every
such claim is settled. The provider imports the list, or the changes since its last
import, into its practice software; a new claim of a blocked patient is still invoiced,
but the debtor risk of it stays with the provider.

A block is kept per provider and patient as the set of claims (invoice ids) at the
agency that keep it; the first claim blocks, removing the last one unblocks, and each of
those two moments is a ``BlockChange`` in the provider's change log. The transitions
below are pure: the DynamoDB adapter and the in-memory fake both apply them to what they
read, and write the result on condition of the version read (R28).

What leaves this module is the provider's own patient number and dates: no name, no BSN
(the practice has them; R29). The block keeps the BSN of its last claim inside the store
(``PatientBlock.bsn``, as the invoice item keeps it) so that the ingest also knows the
patient under another patient number (legal-nl.md §6: the patient is the person); it is
never in a ``BlockedPatient`` or a ``BlockChange``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from billing_core.invoices.invoice import Invoice

if TYPE_CHECKING:
    from billing_core.ports import BillingStore
    from billing_core.providers.actions import OpenAction
    from billing_core.shared.clock import Clock


class BlockChangeKind(StrEnum):
    BLOCKED = "blocked"
    UNBLOCKED = "unblocked"


@dataclass(frozen=True, slots=True)
class BlockedPatient:
    """A patient blocked for one provider while claims of theirs are at the collection
    agency (R22)."""

    provider_id: str
    patient_ref: str  # the provider's own patient number: what practice software imports
    # The moment of this block's BLOCKED change (``PatientBlock.changed_at``): a handover or
    # a claim owed again, never before the last unblock; later claims do not move it.
    blocked_at: datetime
    invoice_ids: tuple[str, ...]  # the claims at the collection agency that keep the block


@dataclass(frozen=True, slots=True)
class BlockChange:
    """A patient blocked or unblocked: one entry of the provider's change log, which its practice
    software imports (R22)."""

    provider_id: str
    patient_ref: str
    change: BlockChangeKind
    at: datetime


@dataclass(frozen=True, slots=True)
class PatientBlock:
    """What is stored per provider and patient once the patient was ever blocked.

    ``version`` counts the writes (R28), and orders two changes of one patient that carry
    the same moment. ``changed_at`` is the moment of the last block or unblock (None before
    the first): the next change is never stamped before it. While the patient is blocked
    that is the block's moment, so ``blocked_at`` is read from it (one field, not two: the
    class is on every handler's import path).
    """

    provider_id: str
    patient_ref: str
    invoice_ids: tuple[str, ...] = ()
    changed_at: datetime | None = None
    version: int = 0
    # The person (the claims' BSN) while blocked; "" once unblocked, or for a block written
    # before it was kept (that one matches by number only until its next claim is added).
    bsn: str = ""

    @property
    def is_blocked(self) -> bool:
        return bool(self.invoice_ids)

    @property
    def blocked_at(self) -> datetime | None:
        """Since when the patient is blocked; None while no claim is left."""
        return self.changed_at if self.invoice_ids else None

    def as_blocked_patient(self) -> BlockedPatient:
        if self.blocked_at is None:
            raise ValueError("the patient is not blocked")
        return BlockedPatient(self.provider_id, self.patient_ref, self.blocked_at, self.invoice_ids)


Transition = tuple[PatientBlock, BlockChange | None]


def with_claim(block: PatientBlock, invoice_id: str, at: datetime, bsn: str = "") -> Transition:
    """The block with this claim added; the first claim blocks the patient. ``bsn``: the
    claim's BSN (legal-nl.md §6), kept on the block; "" keeps what the block has.

    Returns the same block (and no change) when the claim is already there: handing the
    same claim over twice changes nothing, but a block written before the BSN was kept
    gets it (a new version, no change in the log).
    """
    _check(invoice_id, at)
    bsn = bsn or block.bsn
    if invoice_id in block.invoice_ids:
        if bsn == block.bsn:
            return block, None
        return replace(block, bsn=bsn, version=block.version + 1), None
    claims = tuple(sorted((*block.invoice_ids, invoice_id)))
    if block.is_blocked:
        return replace(block, invoice_ids=claims, bsn=bsn, version=block.version + 1), None
    at = _after_last_change(block, at)
    added = replace(block, invoice_ids=claims, changed_at=at, bsn=bsn, version=block.version + 1)
    return added, BlockChange(block.provider_id, block.patient_ref, BlockChangeKind.BLOCKED, at)


def without_claim(block: PatientBlock, invoice_id: str, at: datetime) -> Transition:
    """The block without this claim; removing the last one unblocks the patient.

    Returns the same block (and no change) when the claim is not there: releasing twice
    changes nothing.
    """
    _check(invoice_id, at)
    if invoice_id not in block.invoice_ids:
        return block, None
    left = tuple(i for i in block.invoice_ids if i != invoice_id)
    if left:
        return replace(block, invoice_ids=left, version=block.version + 1), None
    at = _after_last_change(block, at)
    # Unblocked: neither its number nor its BSN blocks (the BSN is not kept any longer).
    removed = replace(block, invoice_ids=(), changed_at=at, bsn="", version=block.version + 1)
    return removed, BlockChange(block.provider_id, block.patient_ref, BlockChangeKind.UNBLOCKED, at)


def _after_last_change(block: PatientBlock, at: datetime) -> datetime:
    """``at``, or the last change's moment when that is later. A writer takes its moment
    before it writes: the dunning run stamps a handover's block at the run's moment and
    writes it after the handover file, and a release of the patient's other claim can land
    in between. The feed sorts by moment, then version; stamped earlier than the release,
    the block would be served before it, and software that applies the feed oldest first
    would end unblocked for a blocked patient (R22, R34; audit agency AGENCY1)."""
    last = block.changed_at
    return at if last is None or at >= last else last


def _check(invoice_id: str, at: datetime) -> None:
    if not invoice_id:
        raise ValueError("a block is kept by an invoice id")
    if at.tzinfo is None:
        raise ValueError("at needs a time zone")


# --- the block follows what is owed on the claims at the agency (R22, R34) -------------------


def release_settled_claim(store: BillingStore, invoice: Invoice, clock: Clock) -> bool:
    """R22: a claim with the collection agency that nothing is owed on any more no longer
    blocks the patient; True when the patient was unblocked by it.

    Called after the invoice is saved, also when nothing new was booked (a replay): a
    crash between the save and the release is repaired by the replay, and releasing is
    idempotent. Dated now, not at the payment: the change log is read by "since when".
    ``SavedUnfinished`` when the block kept changing past the store's retries: the
    invoice is saved, its replay releases the patient."""
    if not (invoice.is_with_collection_agency and invoice.is_paid):
        return False
    from billing_core.ports import ConcurrentChange, SavedUnfinished

    try:
        released = store.release_claim(
            invoice.provider_id, invoice.patient_ref, invoice.invoice_id, clock.now()
        )
    except ConcurrentChange:
        # The block kept changing past the retries (R28), the invoice's change saved
        # already: not "nothing was saved" (invite58); sent again, the request finds its
        # change made and releases the patient then.
        raise SavedUnfinished(invoice.invoice_id) from None
    close_handover_action(store, invoice, clock)
    return released


def close_handover_action(store: BillingStore, invoice: Invoice, clock: Clock) -> None:
    """R23, R19, R21: the "call your patient" action of a claim at the agency that nothing
    is owed on any more (paid via us or the agency, stopped to zero) asks nothing of the
    practice: the system sets it done, saying so (``closed_by`` system, the day and why,
    in Dutch and English); the practice still sees it and may open it again, and then
    the system leaves it open. Idempotent: a replay finds it closed. One read; the rare
    texts are imported here, not on every handler's import path (#18 (d))."""
    from billing_core.providers.actions import ActionState

    action = _handover_action(store, invoice)
    if action is None or action.state is not ActionState.OPEN or "closed_by" in action.details:
        return
    details = _said_by_system(action, _REOPENED, "closed", "claim_settled", clock)
    store.close_action(replace(action.done(), details=details))


# What the system's close writes into the details, and what its reopening writes instead.
_CLOSED = ("closed_by", "closed_on", "closed_because", "what_to_do", "what_to_do_en")
_REOPENED = ("reopened_by", "reopened_on", "reopened_because")


def reopen_handover_action(store: BillingStore, invoice: Invoice, clock: Clock) -> None:
    """R23, R22, R34 (audit agency3): the "call your patient" action the system set done
    when nothing was owed on the claim any more is open again once the claim is owed again
    at the agency (a returned payment, an undone stop): the practice has its patient to
    call again. Saying so (``reopened_by`` system, the day and why, in Dutch and English).
    One the practice set done itself is left as it is; one read, only for a claim owed
    again; the texts are imported here, not on every handler's import path (#18 (d))."""
    from billing_core.providers.actions import ActionState

    action = _handover_action(store, invoice)
    if action is None or action.state is not ActionState.DONE:
        return
    if action.details.get("closed_by") != "system":
        return
    details = _said_by_system(action, _CLOSED, "reopened", "claim_owed_again", clock)
    store.reopen_action(replace(action, state=ActionState.OPEN, details=details))


def _handover_action(store: BillingStore, invoice: Invoice) -> OpenAction | None:
    """The "call your patient" action of a claim handed over (one read), None without one."""
    from billing_core.providers.actions import handover_action_id

    day = invoice.handed_over_on
    if day is None:
        return None
    return store.get_action(invoice.provider_id, handover_action_id(day, invoice.invoice_id))


def _said_by_system(
    action: OpenAction, dropped: tuple[str, ...], done: str, because: str, clock: Clock
) -> dict[str, Any]:
    """The action's details with what the system did to it said (``{done}_by`` system,
    the day and why, and what to do in Dutch and English), ``dropped`` keys left out."""
    from billing_core.texts.practice import action_sentences

    sentences = action_sentences(f"handover_{because}")
    return {
        **{k: v for k, v in action.details.items() if k not in dropped},
        f"{done}_by": "system",
        f"{done}_on": clock.today().isoformat(),
        f"{done}_because": because,
        "what_to_do": sentences["nl"],
        "what_to_do_en": sentences["en"],
    }


def block_unsettled_claim(store: BillingStore, invoice: Invoice, clock: Clock) -> None:
    """R22, issue 12 item 11: a claim with the agency that is owed again (a reversed
    payment, a corrected stop, a PSP refund booked after a return took the credit it paid
    back) blocks the patient again, and opens again the "call your patient" the system
    closed when it was settled (``reopen_handover_action``). Idempotent, like the release.

    ``invoice`` is the claim as its caller saved it: a change that settled it since (the
    agency's report, a payment) released the patient before this block was written, and
    nothing would release them again. So the claim is read again after the block, and
    settled by then it is released (R22; this stop's audit money5: a patient blocked by a
    claim closed paid). One strongly consistent read, only when a block is written.
    ``SavedUnfinished`` when the block kept changing past the store's retries: the
    caller's change is saved, its replay blocks the patient (as the release does)."""
    if invoice.is_with_collection_agency and not invoice.is_paid:
        from billing_core.ports import ConcurrentChange, SavedUnfinished

        try:
            store.block_patient(
                invoice.provider_id,
                invoice.patient_ref,
                invoice.invoice_id,
                clock.now(),
                bsn=invoice.bsn,
            )
        except ConcurrentChange:
            # Saved already (a correction, a reversal): not "nothing was saved" (R28, R38);
            # sent again, the request finds its change made and blocks the patient then.
            raise SavedUnfinished(invoice.invoice_id) from None
        reopen_handover_action(store, invoice, clock)
        now = store.get_invoice(invoice.provider_id, invoice.invoice_id, consistent=True)
        if now is not None and now.version != invoice.version:
            release_settled_claim(store, now, clock)


def block_follows_claim(store: BillingStore, invoice: Invoice, clock: Clock) -> None:
    """R22, R34: a change that can lower or raise what is owed on a claim at the agency (an
    insurer's retour, a credit line of a later declaration) releases the patient when it
    settles the claim and blocks them again when it is owed again."""
    release_settled_claim(store, invoice, clock)
    block_unsettled_claim(store, invoice, clock)


# --- a new claim of a blocked patient (R22, legal-nl.md §6) ---------------------------------

# The finding code of the processing report, also kept in the invoice's warnings so the
# provider's invoice page shows why the debtor risk stayed with the practice.
DEBTOR_RISK_WARNING = "PATIENT_BLOCKED_DEBTOR_RISK"


def with_debtor_risk_with_provider(invoice: Invoice) -> Invoice:
    """The invoice is still sent, but the service does not take over its debtor risk: the
    patient has a claim at the collection agency (seed 002 advice 7)."""
    if invoice.debtor_risk_with_provider:
        return invoice
    return replace(
        invoice,
        debtor_risk_with_provider=True,
        warnings=(*invoice.warnings, DEBTOR_RISK_WARNING),
    )
