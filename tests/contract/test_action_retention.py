"""How long an open action is kept in the store (legal-nl.md §8: "Invoices, their ledgers,
letters and retrocession statements are kept 7 years after the end of the year they were
settled (fiscal obligation), then deleted"; "1 year for lists once resolved"; R29: an
objection holds the patient's message and e-mail address, a bounce the recipients').

An action about an invoice is kept while the invoice is (saves do not date it); when the
table's TTL removes the invoice, ``expire_invoice_actions`` gives its actions the TTL of
that moment. An action about no invoice is kept a year after it was set done. On moto
the item carries the table's TTL ``expires_at``; the fake keeps the last day."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.providers.actions import ActionKind, ActionState, OpenAction
from billing_core.shared.clock import AMSTERDAM
from tests.contract.samples import NOON, A, invoice, stored

PAID_AT = datetime(2026, 11, 23, 12, 0, tzinfo=AMSTERDAM)
REMOVED_AT = datetime(2034, 1, 1, 0, 40, tzinfo=AMSTERDAM)  # the TTL removed the invoice
DONE_ON = date(2026, 12, 14)
END_OF_A_YEAR_AFTER = int(datetime(2027, 12, 15, tzinfo=AMSTERDAM).timestamp())


def objection(about: Invoice, action_id: str = "objection-1") -> OpenAction:
    details = {"reason": "amount", "message": "Ik was er niet", "email": "p@example.nl"}
    return OpenAction.about(about, ActionKind.OBJECTION, action_id, NOON, details)


def returned_payout() -> OpenAction:
    return OpenAction("payout-returned-E2E", A, ActionKind.PAYOUT_RETURNED, "", "", NOON)


def paid_in_full(store: Any, one: Invoice) -> Invoice:
    current = store.get_invoice(A, one.invoice_id)
    entry = LedgerEntry(
        EntryKind.PAYMENT, Component.PRINCIPAL, -current.balance_cents, PAID_AT, "bank:E2E-1"
    )
    return store.save_invoice(current.with_entry(entry))  # type: ignore[no-any-return]


def kept(store: Any, action_id: str) -> Any:
    """On moto the action item's TTL (epoch seconds), on the fake its last day; None: kept."""
    if not isinstance(store, BillingRepository):
        return store.action_kept_until.get((A, action_id))
    item = store._table.get_item(Key=keys.action_key(A, action_id))["Item"]
    return item.get("expires_at")


def set_state(store: Any, action_id: str, state: ActionState, on: date) -> None:
    """The practice sets the action it reads (services/provider/actions.update_action)."""
    store.set_action_state(store.get_action(A, action_id), state, on)


def test_saving_an_invoice_paid_in_full_leaves_its_actions_kept(store):
    """The invoice is stored until the TTL removes it; its objection as long (no TTL yet)."""
    issued = invoice(1)
    stored(store, issued)
    store.put_action(objection(issued))
    paid_in_full(store, issued)
    set_state(store, "objection-1", ActionState.DONE, DONE_ON)
    assert kept(store, "objection-1") is None


def test_the_removed_invoices_actions_expire_at_that_moment_and_no_other_invoices(store):
    # Given two invoices with an objection each
    first, second = invoice(1), invoice(2)
    stored(store, first, second)
    store.put_action(objection(first, "objection-1"))
    store.put_action(objection(second, "objection-2"))
    # When the TTL removed the first, and its actions are expired (twice: a stream retry)
    assert store.expire_invoice_actions(A, first.invoice_id, REMOVED_AT) == 1
    assert store.expire_invoice_actions(A, first.invoice_id, REMOVED_AT) == 1
    # Then its objection has the TTL of that moment, the second invoice's none
    moto = isinstance(store, BillingRepository)
    expired = int(REMOVED_AT.timestamp()) if moto else date(2034, 1, 1)
    assert kept(store, "objection-1") == expired
    assert kept(store, "objection-2") is None
    # And the practice setting it done before the TTL removes it keeps that TTL
    set_state(store, "objection-1", ActionState.DONE, REMOVED_AT.date())
    assert kept(store, "objection-1") == expired
    assert store.expire_invoice_actions(A, "no-such-invoice", REMOVED_AT) == 0


def test_an_action_about_no_invoice_is_kept_a_year_after_done_and_again_once_reopened(store):
    """legal-nl.md §8 "1 year for lists once resolved": a returned payout set done on
    14 December 2026 is kept through 14 December 2027; opened again, it is kept."""
    store.add_action(returned_payout())
    assert kept(store, "payout-returned-E2E") is None
    set_state(store, "payout-returned-E2E", ActionState.DONE, DONE_ON)
    moto = isinstance(store, BillingRepository)
    assert kept(store, "payout-returned-E2E") == (
        END_OF_A_YEAR_AFTER if moto else date(2027, 12, 14)
    )
    set_state(store, "payout-returned-E2E", ActionState.OPEN, date(2027, 1, 4))
    assert kept(store, "payout-returned-E2E") is None


def test_an_action_of_a_removed_invoice_gets_the_migrations_expiry_once(store):
    """Migration version 3 (legal-nl.md §8, R29): an action whose invoice the TTL removed
    without the expired-letters function gets the TTL ``at`` where it has none, once; one
    that has a TTL keeps it, and a missing action is not made."""
    # Given two invoices' objections, the first's given its TTL when its invoice was removed
    first, second = invoice(1), invoice(2)
    stored(store, first, second)
    store.put_action(objection(first, "objection-1"))
    store.put_action(objection(second, "objection-2"))
    store.expire_invoice_actions(A, first.invoice_id, REMOVED_AT)
    later = datetime(2034, 3, 1, 9, 0, tzinfo=AMSTERDAM)
    # When the migration gives each its expiry, and the second one again
    written = [
        store.add_action_expiry(objection(first, "objection-1"), later),
        store.add_action_expiry(objection(second, "objection-2"), later),
    ]
    again = store.add_action_expiry(objection(second, "objection-2"), later)
    # Then only the one without a TTL was written, once
    assert (written, again) == ([False, True], False)
    moto = isinstance(store, BillingRepository)
    assert kept(store, "objection-1") == (int(REMOVED_AT.timestamp()) if moto else date(2034, 1, 1))
    assert kept(store, "objection-2") == (int(later.timestamp()) if moto else date(2034, 3, 1))
    # And an action the store does not hold is not made
    assert store.add_action_expiry(objection(first, "objection-9"), later) is False
    assert store.get_action(A, "objection-9") is None
