"""What the use cases need from the outside world, as protocols (adapters in store/, notify/)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from billing_core.declarations.record import DeclarationRecord
from billing_core.invoice import Invoice
from billing_core.providers import Provider


class ConcurrentChange(Exception):
    """The item changed since it was read (R28): read it again and retry the change."""


class TransactionConflict(Exception):
    """A conditional write was cancelled: something in it already existed."""


@dataclass(frozen=True, slots=True)
class KnownClaim:
    """A claim line some earlier upload already took care of (R3)."""

    claim_ref: str
    declaration_id: str
    invoice_id: str  # "" when the line went to the insurer


@dataclass(frozen=True, slots=True)
class NewInvoice:
    """An invoice with the claims it settles, written in one go or not at all."""

    invoice: Invoice
    claim_refs: tuple[str, ...]


class BillingStore(Protocol):
    def get_provider(self, provider_id: str) -> Provider | None: ...

    def get_declaration(self, provider_id: str, declaration_id: str) -> DeclarationRecord | None: ...

    def put_declaration(self, record: DeclarationRecord) -> None: ...

    def list_declarations(
        self, provider_id: str, *, limit: int = 50, after: str | None = None
    ) -> tuple[list[DeclarationRecord], str | None]: ...

    def reserve_references(self, count: int) -> int: ...

    def known_claims(self, provider_id: str, claim_refs: Iterable[str]) -> dict[str, KnownClaim]: ...

    def store_new(
        self,
        provider_id: str,
        declaration_id: str,
        invoices: Sequence[NewInvoice],
        insurer_claim_refs: Sequence[str],
    ) -> int: ...

    def get_invoice(self, provider_id: str, invoice_id: str) -> Invoice | None: ...

    def save_invoice(self, invoice: Invoice) -> Invoice: ...


class FileStore(Protocol):
    """The output bucket: reports, print batch, insurer claims."""

    def put(self, key: str, body: bytes, content_type: str) -> None: ...


@dataclass(frozen=True, slots=True)
class DeliveryRequest:
    """Ask the delivery function to send one document of one invoice."""

    provider_id: str
    invoice_id: str
    kind: str = "invoice"


class DeliveryQueue(Protocol):
    def enqueue(self, requests: Sequence[DeliveryRequest]) -> None: ...
