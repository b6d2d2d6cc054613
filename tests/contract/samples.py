"""What the contract cases store: two practices, their invoices, actions and uploads."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from billing_core.declarations.record import DeclarationRecord, DeclarationStatus
from billing_core.invoices.invoice import Invoice
from billing_core.ports import BillingStore, NewInvoice
from billing_core.providers.actions import ActionKind, OpenAction
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import REFERENCE_KEY, make_invoice

A = "tandarts-de-vries"
B = "fysio-centrum-oost"
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=AMSTERDAM)


def invoice(number: int, provider_id: str = A, **overrides: Any) -> Invoice:
    """The n-th invoice: its own id, kenmerk and claim refs."""
    lines = tuple(
        replace(line, claim_ref=f"{provider_id[:3].upper()}-{number}-{index}")
        for index, line in enumerate(make_invoice().lines, start=1)
    )
    values: dict[str, Any] = {
        "invoice_id": f"inv-{number}",
        "provider_id": provider_id,
        "reference": reference.for_sequence(number, REFERENCE_KEY),
        "lines": lines,
    }
    return make_invoice(**(values | overrides))


def new(invoice: Invoice, *actions: OpenAction) -> NewInvoice:
    return NewInvoice(invoice, tuple(line.claim_ref for line in invoice.lines), actions)


def stored(store: BillingStore, *invoices: Invoice, declaration_id: str = "D1") -> None:
    """Issued by an upload, with their claim markers: the way invoices come into the table."""
    for one in invoices:
        store.store_new(one.provider_id, declaration_id, [new(one)], [])


def action(action_id: str, provider_id: str = A, **overrides: Any) -> OpenAction:
    values: dict[str, Any] = {
        "action_id": action_id,
        "provider_id": provider_id,
        "kind": ActionKind.OBJECTION,
        "invoice_id": "inv-1",
        "reference": reference.for_sequence(1, REFERENCE_KEY),
        "created_at": NOON,
        "details": {"reason": "amount"},
    }
    return OpenAction(**(values | overrides))


def declaration(declaration_id: str, provider_id: str = A, **overrides: Any) -> DeclarationRecord:
    values: dict[str, Any] = {
        "provider_id": provider_id,
        "declaration_id": declaration_id,
        "file_name": "week-47.csv",
        "status": DeclarationStatus.AWAITING_UPLOAD,
        "created_at": NOON,
        "object_key": f"incoming/{provider_id}/{declaration_id}/week-47.csv",
    }
    return DeclarationRecord(**(values | overrides))


def plant_unreadable_provider(store: Any, provider_id: str, version: int = 0) -> None:
    """A legacy settings item that no longer validates: a name that is a number and no
    other field (but ``version``, when not 0), listed on the by-provider index like every
    provider item."""
    if hasattr(store, "put_unreadable_provider"):  # the in-memory fake
        store.put_unreadable_provider(provider_id, version)
        return
    partition = f"PROVIDER#{provider_id}"
    item = {"pk": partition, "sk": "SETTINGS", "gsi2pk": "PROVIDERS", "gsi2sk": provider_id}
    stored_version = {"version": version} if version else {}
    store._table.put_item(Item={**item, "name": 5, **stored_version})


def plant_invoice_before_names_and_marker(store: Any, invoice: Invoice) -> None:
    """An invoice as a deploy before issues 13 and 16 stored it: no searchable ``names``
    and no kenmerk marker (the migration's starting point)."""
    if hasattr(store, "put_invoice_before_names_and_marker"):  # the in-memory fake
        store.put_invoice_before_names_and_marker(invoice)
        return
    from local.migrate import put_invoice_without_names

    put_invoice_without_names(store, invoice)  # and no marker: none is written


def plant_invoice_with_names_folded_before(store: Any, invoice: Invoice) -> None:
    """An invoice as a deploy before audit INTERFACES1 stored it: its kenmerk marker there,
    its searchable ``names`` folded to a-z and 0-9 only ("Yılmaz" as " y lmaz")."""
    if hasattr(store, "put_invoice_with_names_folded_before"):  # the in-memory fake
        store.put_invoice_with_names_folded_before(invoice)
        return
    from local.migrate import put_invoice_with_names_folded_before

    put_invoice_with_names_folded_before(store, invoice)


def plant_invoice_before_credit_index(store: Any, invoice: Invoice) -> None:
    """An invoice as a deploy before credits54 stored it: its credit, if any, not on the
    by-credit index."""
    if hasattr(store, "put_invoice_before_credit_index"):  # the in-memory fake
        store.put_invoice_before_credit_index(invoice)
        return
    from local.migrate import put_invoice_without_credit_index

    put_invoice_without_credit_index(store, invoice)


def plant_action_before_list_index(store: Any, action: OpenAction) -> None:
    """An action as a deploy before actionpages56 stored it: not on the action list's
    index (``action_page``), still in ``list_actions``."""
    if hasattr(store, "put_action_before_list_index"):  # the in-memory fake
        store.put_action_before_list_index(action)
        return
    from local.migrate import put_action_without_list_index

    put_action_without_list_index(store, action)


def plant_open_action_at_bare_position(store: Any, action: OpenAction) -> None:
    """An open action as a deploy before openact57 stored it: listed at its bare position
    among the done ones, so the open list misses it and the whole list holds it."""
    if hasattr(store, "put_open_action_at_bare_position"):  # the in-memory fake
        store.put_open_action_at_bare_position(action)
        return
    from local.migrate import put_open_action_at_bare_position

    put_open_action_at_bare_position(store, action)


def plant_settled_before_expiry(
    store: Any, invoice: Invoice, *, markers_only: bool = False
) -> None:
    """A settled invoice as the deploy before retention stored it: neither it nor the
    markers that name it expire (``markers_only``: the invoice has its own, as after a save
    that did not settle it anew). The migration's starting point (legal-nl.md §8)."""
    if hasattr(store, "put_settled_before_expiry"):  # the in-memory fake
        store.put_settled_before_expiry(invoice, markers_only=markers_only)
        return
    from local.migrate import store_as_settled_before_expiry

    store_as_settled_before_expiry(store, invoice, markers_only=markers_only)


def plant_stored_before_expiry(store: Any) -> None:
    """Every upload record, statement item and batch as stored before round 38: no
    expiry. The starting point of migration version 5 (legal-nl.md §8)."""
    if hasattr(store, "forget_expiries"):  # the in-memory fake
        store.forget_expiries()
        return
    from local.migrate import store_items_as_before_their_expiry

    store_items_as_before_their_expiry(store)


def plant_batches_before_their_open_ids(store: Any) -> None:
    """Every batch as stored before refunds53: no open id on its kind's list item. The
    starting point of migration version 12 (R13, R34)."""
    if hasattr(store, "forget_open_batch_ids"):  # the in-memory fake
        store.forget_open_batch_ids()
        return
    from local.migrate import store_batches_as_before_their_open_ids

    store_batches_as_before_their_open_ids(store)


def plant_settings_versions_before_expiry(store: Any) -> None:
    """Every settings version as stored before stop 42: no expiry. The starting point of
    migration version 7 (legal-nl.md §8, R39)."""
    if hasattr(store, "forget_settings_expiries"):  # the in-memory fake
        store.forget_settings_expiries()
        return
    from local.migrate import store_settings_versions_as_before_their_expiry

    store_settings_versions_as_before_their_expiry(store)


def plant_weeks_before_agency_transfers(store: Any) -> None:
    """Every weekly statement item as stored before remitted54: without the agency's
    transfers. The starting point of migration version 15 (R24)."""
    if hasattr(store, "forget_agency_transfers"):  # the in-memory fake
        store.forget_agency_transfers()
        return
    from local.migrate import store_weeks_as_before_their_agency_transfers

    store_weeks_as_before_their_agency_transfers(store)


def plant_blocks_before_expiry(store: Any) -> None:
    """Every block change and unblocked block as stored before retention54: no expiry.
    The starting point of migration version 14 (legal-nl.md §8, R39)."""
    if hasattr(store, "forget_block_expiries"):  # the in-memory fake
        store.forget_block_expiries()
        return
    from local.migrate import store_blocks_as_before_their_expiry

    store_blocks_as_before_their_expiry(store)


def batches_on(store: Any) -> Any:
    """The store's batches: the fake keeps them, the adapter's are on the same table."""
    if hasattr(store, "create_batch"):
        return store
    from billing_core.adapters.dynamo.transfer_batches import TransferBatchRepository

    return TransferBatchRepository(store._table)
