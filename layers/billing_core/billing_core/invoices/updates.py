"""Change one invoice without losing anybody else's change (R28).

Read, change, write on condition that the version is still the one read. When someone
else wrote in between, read again (strongly consistent: the index a first read may have
come from lags behind) and apply the change to what is there now. The change is a pure
function, so applying it again is safe; it returns the invoice it was given when there
is nothing (more) to do, e.g. a payment that is already in the ledger.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

from billing_core.invoices.invoice import Invoice
from billing_core.ports import BillingStore, ConcurrentChange
from billing_core.providers.actions import OpenAction

ATTEMPTS = 8
_FIRST_PAUSE_SECONDS = 0.005

Change = Callable[[Invoice], Invoice]
NewActions = Callable[[Invoice], Sequence[OpenAction]]


def _no_actions(changed: Invoice) -> Sequence[OpenAction]:
    return ()


def save_change(
    store: BillingStore, invoice: Invoice, change: Change, *, new_actions: NewActions = _no_actions
) -> tuple[Invoice, bool]:
    """(the invoice as stored now, whether this call changed it).

    ``new_actions(changed)``: open actions that belong to the change (R23) and are written
    in the same transaction, so neither exists without the other."""
    for attempt in range(ATTEMPTS):
        changed = change(invoice)
        if changed is invoice:
            return invoice, False
        try:
            actions = new_actions(changed)
            if actions:
                return store.save_invoices([changed], actions)[0], True
            return store.save_invoice(changed), True
        except ConcurrentChange:
            pause(attempt)
            invoice = reread(store, invoice)
    raise ConcurrentChange(invoice.invoice_id)


def reread(store: BillingStore, invoice: Invoice) -> Invoice:
    """The invoice as stored now, read strongly consistent (an index lags behind)."""
    fresh = store.get_invoice(invoice.provider_id, invoice.invoice_id, consistent=True)
    if fresh is None:  # invoices are never deleted; this is a broken table, not a race
        raise LookupError(f"invoice {invoice.invoice_id} disappeared")
    return fresh


def pause(attempt: int) -> None:
    """A short random pause, growing per attempt, so two writers do not collide again."""
    time.sleep(random.uniform(0, _FIRST_PAUSE_SECONDS * 2**attempt))  # noqa: S311 (not crypto)
