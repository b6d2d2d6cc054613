"""Change one invoice without losing anybody else's change (R28).

Read, change, write on condition that the version is still the one read. When someone
else wrote in between, read again (strongly consistent: the index a first read may have
come from lags behind) and apply the change to what is there now; so too when the change
refuses or finds nothing to do on a read that may lag. The change is a pure
function, so applying it again is safe; it returns the invoice it was given when there
is nothing (more) to do, e.g. a payment that is already in the ledger. A change can
stamp the entries it adds: with the moment they are written (``recorded_now``), or with
the request that asked them, so its retry knows its own change (``by_request``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import LedgerEntry
from billing_core.ports import BillingStore, ConcurrentChange
from billing_core.providers.actions import OpenAction

ATTEMPTS = 8
_FIRST_PAUSE_SECONDS = 0.005

Change = Callable[[Invoice], Invoice]
NewActions = Callable[[Invoice], Sequence[OpenAction]]


def _no_actions(changed: Invoice) -> Sequence[OpenAction]:
    return ()


def save_change(
    store: BillingStore,
    invoice: Invoice,
    change: Change,
    *,
    new_actions: NewActions = _no_actions,
    decided: OpenAction | None = None,
) -> tuple[Invoice, bool]:
    """(the invoice as stored now, whether this call changed it).

    ``new_actions(changed)``: open actions that belong to the change (R23) and are written
    in the same transaction, so neither exists without the other. ``decided``: the
    decision on an action that the change carries out (R17), written in that transaction
    on condition that the action has none yet (``BillingStore.save_invoices``)."""
    for attempt in range(ATTEMPTS):
        invoice, changed = _decided_on_current(store, invoice, change)
        if changed is invoice:
            return invoice, False
        try:
            actions = new_actions(changed)
            if decided is not None:
                return store.save_invoices([changed], actions, decided=decided)[0], True
            if actions:
                return store.save_invoices([changed], actions)[0], True
            return store.save_invoice(changed), True
        except ConcurrentChange:
            pause(attempt)
            invoice = reread(store, invoice)
    raise ConcurrentChange(invoice.invoice_id)


def _decided_on_current(
    store: BillingStore, invoice: Invoice, change: Change
) -> tuple[Invoice, Invoice]:
    """(the invoice the change was decided on, the change applied to it). A write is
    checked by its version, a decision not to write is not: a change that refuses, or
    finds nothing to do, on an ordinary read (which may lag a moment behind a bank return
    or a payment saved just before) is decided again on the invoice as stored now, read
    strongly consistent (R28). One read more, only then and only for an ordinary read."""
    if invoice.read_current:
        return invoice, change(invoice)
    try:
        changed = change(invoice)
    except Exception:  # noqa: BLE001 (any refusal: the current invoice's refusal is raised)
        changed = invoice
    if changed is not invoice:
        return invoice, changed
    current = reread(store, invoice)
    return current, change(current)


def reread(store: BillingStore, invoice: Invoice) -> Invoice:
    """The invoice as stored now, read strongly consistent (an index lags behind)."""
    fresh = store.get_invoice(invoice.provider_id, invoice.invoice_id, consistent=True)
    if fresh is None:  # invoices are never deleted; this is a broken table, not a race
        raise LookupError(f"invoice {invoice.invoice_id} disappeared")
    return fresh


def pause(attempt: int) -> None:
    """A short random pause, growing per attempt, so two writers do not collide again."""
    time.sleep(random.uniform(0, _FIRST_PAUSE_SECONDS * 2**attempt))  # noqa: S311 (not crypto)


def recorded_now(change: Change, now: datetime) -> Change:
    """The change, with the entries it adds stamped with the moment they are written when
    they are dated earlier (a bank entry of Sunday read on Monday, R24)."""
    return _marking_added(
        change, lambda entry: replace(entry, recorded_at=now) if entry.at < now else entry
    )


def by_request(change: Change, key: str, request_fingerprint: str) -> Change:
    """The change, with the entries it adds under ``key`` remembering the request that
    asked them (a bank statement's upload, a retour's upload), so that a retry of that
    request knows its own change (R3, R38); the change as it is without a fingerprint."""
    if not request_fingerprint:
        return change
    return _marking_added(
        change,
        lambda entry: (
            replace(entry, request_fingerprint=request_fingerprint) if entry.cause == key else entry
        ),
    )


def booked_by_request(invoice: Invoice, key: str, request_fingerprint: str) -> bool:
    """Whether the request ``request_fingerprint`` booked the payment (or reversal) ``key``
    on the invoice (``by_request``)."""
    return bool(request_fingerprint) and any(
        entry.cause == key and entry.request_fingerprint == request_fingerprint
        for entry in invoice.ledger
    )


def _marking_added(change: Change, mark: Callable[[LedgerEntry], LedgerEntry]) -> Change:
    """The change, with ``mark`` applied to the ledger entries it adds (not to those the
    invoice had); an invoice it leaves as it was stays that same object."""

    def marked(current: Invoice) -> Invoice:
        changed = change(current)
        if changed is current:
            return current
        kept = len(current.ledger)
        added = tuple(mark(entry) for entry in changed.ledger[kept:])
        return replace(changed, ledger=changed.ledger[:kept] + added)

    return marked
