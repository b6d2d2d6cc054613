"""An invoice's open actions are kept exactly as long as the invoice (legal-nl.md §8:
"Invoices, their ledgers, letters and retrocession statements are kept 7 years after the
end of the year they were settled (fiscal obligation), then deleted"; R29: an objection
holds the patient's message and e-mail address, a bounce the recipients' addresses).

On both stores the action's ``kept_until`` follows its invoice's; on moto its item also
carries the table's TTL ``expires_at``, the invoice's own to the second."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.migration_ports import ExpiryAdded
from billing_core.providers.actions import ActionKind, ActionState, OpenAction
from billing_core.shared.clock import AMSTERDAM
from tests.contract.samples import NOON, A, invoice, plant_settled_before_expiry, stored

PAID_AT = datetime(2026, 11, 23, 12, 0, tzinfo=AMSTERDAM)
RETURNED_AT = datetime(2027, 1, 6, 9, 0, tzinfo=AMSTERDAM)
LAST_DAY = date(2033, 12, 31)  # 7 years after the end of 2026, the year it was paid
END_OF_2033 = int(datetime(2034, 1, 1, tzinfo=AMSTERDAM).timestamp())


def objection(about: Invoice, action_id: str = "objection-1") -> OpenAction:
    details = {"reason": "amount", "message": "Ik was er niet", "email": "p@example.nl"}
    return OpenAction.about(about, ActionKind.OBJECTION, action_id, NOON, details)


def bounce(about: Invoice, action_id: str = "bounce-m1") -> OpenAction:
    details = {"event": "bounce", "recipients": ["p@example.nl"]}
    return OpenAction.about(about, ActionKind.BOUNCE, action_id, NOON, details)


def booked(store: Any, one: Invoice, kind: EntryKind, cents: int, at: datetime) -> Invoice:
    current = store.get_invoice(A, one.invoice_id)
    entry = LedgerEntry(kind, Component.PRINCIPAL, cents, at, "bank:E2E-1")
    return store.save_invoice(current.with_entry(entry))  # type: ignore[no-any-return]


def kept(store: Any, action_id: str) -> tuple[date | None, Any]:
    """The action's last day, and on moto its item's TTL (the fake keeps none: the day)."""
    action = store.get_action(A, action_id)
    if not isinstance(store, BillingRepository):
        return action.kept_until, action.kept_until and END_OF_2033
    item = store._table.get_item(Key=keys.action_key(A, action_id))["Item"]
    return action.kept_until, item.get("expires_at")


def test_an_objection_and_a_bounce_expire_with_the_invoice_paid_in_full(store):
    # Given an invoice with an objection and a bounce while it is open: kept
    issued = invoice(1)
    stored(store, issued)
    store.put_action(objection(issued))
    store.add_action(bounce(issued))
    assert kept(store, "objection-1") == kept(store, "bounce-m1") == (None, None)
    # When it is paid in full on 23 November 2026
    booked(store, issued, EntryKind.PAYMENT, -issued.balance_cents, PAID_AT)
    # Then both are kept until the end of 2033, as the invoice is, and then deleted
    assert kept(store, "objection-1") == kept(store, "bounce-m1") == (LAST_DAY, END_OF_2033)


def test_a_reversal_that_reopens_the_invoice_keeps_its_actions_again(store):
    """R12: the returned payment makes the invoice owed again; its actions are kept too."""
    issued = invoice(1)
    stored(store, issued)
    store.put_action(objection(issued))
    booked(store, issued, EntryKind.PAYMENT, -issued.balance_cents, PAID_AT)
    booked(store, issued, EntryKind.REVERSAL, issued.balance_cents, RETURNED_AT)
    assert kept(store, "objection-1") == (None, None)


def test_a_partial_payment_dates_no_action_nor_another_invoices(store):
    # Given two invoices with an objection each
    first, second = invoice(1), invoice(2)
    stored(store, first, second)
    store.put_action(objection(first, "objection-1"))
    store.put_action(objection(second, "objection-2"))
    # When the first is paid in part and the second in full
    booked(store, first, EntryKind.PAYMENT, -100, PAID_AT)
    booked(store, second, EntryKind.PAYMENT, -second.balance_cents, PAID_AT)
    # Then only the second invoice's action expires
    assert kept(store, "objection-1") == (None, None)
    assert kept(store, "objection-2") == (LAST_DAY, END_OF_2033)


def test_an_action_about_a_settled_invoice_expires_with_it_and_done_keeps_that(store):
    """A bounce of the payment's receipt comes after the save that settled the invoice."""
    issued = invoice(1)
    stored(store, issued)
    paid = booked(store, issued, EntryKind.PAYMENT, -issued.balance_cents, PAID_AT)
    store.add_action(bounce(paid))
    assert kept(store, "bounce-m1") == (LAST_DAY, END_OF_2033)
    store.set_action_state(A, "bounce-m1", ActionState.DONE, date(2026, 12, 1))
    assert kept(store, "bounce-m1") == (LAST_DAY, END_OF_2033)


def test_a_letter_save_that_settles_invoices_dates_their_actions(store):
    """save_invoices, as one dunning letter's change of every invoice it covers."""
    issued = invoice(1)
    stored(store, issued)
    store.put_action(objection(issued))
    current = store.get_invoice(A, issued.invoice_id)
    entry = LedgerEntry(EntryKind.PAYMENT, Component.PRINCIPAL, -current.balance_cents, PAID_AT, "")
    store.save_invoices([current.with_entry(entry)])
    assert kept(store, "objection-1") == (LAST_DAY, END_OF_2033)


def test_the_migration_dates_the_actions_of_an_invoice_settled_before_the_deploy(store):
    """Migration version 2: an invoice settled before saves dated it has undated actions;
    they get its expiry with its markers, once (legal-nl.md §8)."""
    issued = invoice(1)
    stored(store, issued)
    store.put_action(objection(issued))
    paid = booked(store, issued, EntryKind.PAYMENT, -issued.balance_cents, PAID_AT)
    plant_settled_before_expiry(store, paid)
    assert kept(store, "objection-1") == (None, None)
    first = store.add_retention_expiry(paid)
    assert first.invoice and not first.changed
    assert kept(store, "objection-1") == (LAST_DAY, END_OF_2033)
    assert store.add_retention_expiry(paid) == ExpiryAdded()
