"""An in-memory store and delivery queue for the patient and payment use cases: the
same version check as the DynamoDB repository (R28), and a log of every call so a test
can say how many reads a request cost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from billing_core.actions import ActionState, OpenAction
from billing_core.invoice import Invoice
from billing_core.ports import ConcurrentChange, DeliveryRequest
from billing_core.providers import Provider


class FakeStore:
    def __init__(
        self, invoices: Sequence[Invoice] = (), providers: Sequence[Provider] = ()
    ) -> None:
        self.invoices = {i.invoice_id: i for i in invoices}
        self.providers = {p.provider_id: p for p in providers}
        self.actions: list[OpenAction] = []
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

    def put_action(self, action: OpenAction) -> None:
        self.calls.append("put_action")
        self.actions.append(action)

    def list_actions(self, provider_id: str, state: ActionState | None = None) -> list[OpenAction]:
        return [
            a
            for a in self.actions
            if a.provider_id == provider_id and (state is None or a.state is state)
        ]


class FakeQueue:
    def __init__(self) -> None:
        self.requests: list[DeliveryRequest] = []

    def enqueue(self, requests: Sequence[DeliveryRequest]) -> None:
        self.requests.extend(requests)

    @property
    def kinds(self) -> list[str]:
        return [r.kind for r in self.requests]
