"""An in-memory store and delivery queue for the patient and payment use cases: the
same version check as the DynamoDB repository (R28), and a log of every call so a test
can say how many reads a request cost."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime

from billing_core.collection.blocking import (
    BlockChange,
    BlockChangeKind,
    BlockedPatient,
    PatientBlock,
    Transition,
    with_claim,
    without_claim,
)
from billing_core.invoices.invoice import Invoice
from billing_core.ports import ConcurrentChange, DeliveryRequest
from billing_core.providers.actions import ActionState, OpenAction
from billing_core.providers.provider import Provider
from billing_core.providers.retrocession import StatementSummary


class FakeStore:
    def __init__(
        self, invoices: Sequence[Invoice] = (), providers: Sequence[Provider] = ()
    ) -> None:
        self.invoices = {i.invoice_id: i for i in invoices}
        self.providers = {p.provider_id: p for p in providers}
        self.actions: list[OpenAction] = []
        self.retrocessions: dict[tuple[str, str], StatementSummary] = {}
        self.blocks: dict[tuple[str, str], PatientBlock] = {}  # (provider, patient) -> block
        self.changes: list[BlockChange] = []
        self.calls: list[str] = []

    def invoice(self, invoice_id: str | None = None) -> Invoice:
        """The stored invoice (the only one when no id is given)."""
        if invoice_id is None:
            (only,) = self.invoices.values()
            return only
        return self.invoices[invoice_id]

    def get_provider(self, provider_id: str) -> Provider | None:
        self.calls.append("get_provider")
        return self.providers.get(provider_id)

    def cached_provider(self, provider_id: str) -> Provider | None:
        self.calls.append("cached_provider")
        return self.providers.get(provider_id)

    def find_invoice_by_reference(self, reference: str) -> Invoice | None:
        self.calls.append("find_invoice_by_reference")
        return next((i for i in self.invoices.values() if i.reference == reference), None)

    def get_invoice(
        self, provider_id: str, invoice_id: str, *, consistent: bool = False
    ) -> Invoice | None:
        self.calls.append("get_invoice")
        invoice = self.invoices.get(invoice_id)
        return invoice if invoice and invoice.provider_id == provider_id else None

    def save_invoice(self, invoice: Invoice) -> Invoice:
        self.calls.append("save_invoice")
        if self.invoices[invoice.invoice_id].version != invoice.version:
            raise ConcurrentChange(invoice.invoice_id)
        stored = replace(invoice, version=invoice.version + 1)
        self.invoices[invoice.invoice_id] = stored
        return stored

    def save_invoices(
        self, invoices: Sequence[Invoice], new_actions: Sequence[OpenAction] = ()
    ) -> list[Invoice]:
        self.calls.append("save_invoices")
        if any(self.invoices[i.invoice_id].version != i.version for i in invoices):
            raise ConcurrentChange(", ".join(i.invoice_id for i in invoices))
        stored = [replace(i, version=i.version + 1) for i in invoices]
        self.invoices.update({i.invoice_id: i for i in stored})
        self.actions.extend(new_actions)
        return stored

    def add_action(self, action: OpenAction) -> bool:
        if any(a.action_id == action.action_id for a in self.actions):
            return False
        self.actions.append(action)
        return True

    def put_action(self, action: OpenAction) -> None:
        self.calls.append("put_action")
        self.actions.append(action)

    def list_actions(self, provider_id: str, state: ActionState | None = None) -> list[OpenAction]:
        return [
            a
            for a in self.actions
            if a.provider_id == provider_id and (state is None or a.state is state)
        ]

    # --- the daily dunning run (R18): the sparse by-next-action index, in its order ---------

    def due_for_dunning(self, as_of: date, *, page_size: int = 100) -> Iterator[list[Invoice]]:
        self.calls.append("due_for_dunning")
        due = sorted(
            (day, i.provider_id, i.patient_ref, i.invoice_id)
            for i in self.invoices.values()
            if (day := i.dunning_check_day) is not None and day <= as_of
        )
        ids = [invoice_id for *_, invoice_id in due]
        for start in range(0, len(ids), page_size):
            yield [self.invoices[invoice_id] for invoice_id in ids[start : start + page_size]]

    # --- the weekly retrocession (R24) ----------------------------------------------------

    def list_providers(self) -> list[Provider]:
        return list(self.providers.values())

    def provider_invoices(
        self, provider_id: str, *, issued_from: str = "", issued_until: str = ""
    ) -> Iterator[Invoice]:
        for invoice in self.invoices.values():
            issued = invoice.issue_date.isoformat()
            in_range = (issued_from or "0000") <= issued <= (issued_until or "9999")
            if invoice.provider_id == provider_id and in_range:
                yield invoice

    def put_retrocession(self, summary: StatementSummary) -> None:
        self.retrocessions[(summary.provider_id, summary.week.label)] = summary

    # --- blocked patients (R22): the same transitions as the DynamoDB adapter -----------------

    def block_patient(
        self, provider_id: str, patient_ref: str, invoice_id: str, at: datetime
    ) -> None:
        self.calls.append("block_patient")
        self._change_block(provider_id, patient_ref, lambda b: with_claim(b, invoice_id, at))

    def release_claim(
        self, provider_id: str, patient_ref: str, invoice_id: str, at: datetime
    ) -> bool:
        self.calls.append("release_claim")
        logged = self._change_block(
            provider_id, patient_ref, lambda b: without_claim(b, invoice_id, at)
        )
        return logged is not None and logged.change is BlockChangeKind.UNBLOCKED

    def blocked_patients(self, provider_id: str) -> list[BlockedPatient]:
        return [
            block.as_blocked_patient()
            for (owner, _), block in sorted(self.blocks.items())
            if owner == provider_id and block.is_blocked
        ]

    def blocked_refs(self, provider_id: str) -> frozenset[str]:
        self.calls.append("blocked_refs")
        return frozenset(b.patient_ref for b in self.blocked_patients(provider_id))

    def is_blocked(self, provider_id: str, patient_ref: str) -> bool:
        block = self.blocks.get((provider_id, patient_ref))
        return block is not None and block.is_blocked

    def block_changes(self, provider_id: str, since: datetime) -> list[BlockChange]:
        """Oldest first; two changes at the same moment in the order they were made."""
        return [c for c in self.changes if c.provider_id == provider_id and c.at >= since]

    def _change_block(
        self, provider_id: str, patient_ref: str, change: Callable[[PatientBlock], Transition]
    ) -> BlockChange | None:
        block = self.blocks.get((provider_id, patient_ref), PatientBlock(provider_id, patient_ref))
        changed, logged = change(block)
        self.blocks[(provider_id, patient_ref)] = changed
        if logged is not None:
            self.changes.append(logged)
            self.changes.sort(key=lambda c: c.at)  # stable: same-moment changes keep their order
        return logged


class FakeQueue:
    def __init__(self) -> None:
        self.requests: list[DeliveryRequest] = []

    def enqueue(self, requests: Sequence[DeliveryRequest]) -> None:
        self.requests.extend(requests)

    @property
    def kinds(self) -> list[str]:
        return [r.kind for r in self.requests]
