"""The invoices holding a patient's credit (R13), read without every invoice of every
practice (R34, credits54): ``credit_invoices`` finds exactly those whose ledger holds
credit, whichever change made or ended it, and ``add_credit_index`` (migration 13) puts
one stored before the index on it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.ports import InvalidPosition
from tests.contract.samples import NOON, A, B, invoice, plant_invoice_before_credit_index, stored


def paid(store, one: Invoice, cents: int, hours: int = 1) -> Invoice:
    """``one`` as stored, saved with a payment of ``cents``."""
    current = store.get_invoice(one.provider_id, one.invoice_id, consistent=True)
    entry = LedgerEntry(
        EntryKind.PAYMENT,
        Component.PRINCIPAL,
        -cents,
        NOON + timedelta(hours=hours),
        f"bank:{hours}",
    )
    return store.save_invoice(current.with_entry(entry))


def refunded(store, one: Invoice, cents: int) -> Invoice:
    current = store.get_invoice(one.provider_id, one.invoice_id, consistent=True)
    entry = LedgerEntry(
        EntryKind.REFUND, Component.PRINCIPAL, cents, NOON + timedelta(hours=5), "refund:r-1"
    )
    return store.save_invoice(current.with_entry(entry))


def with_credit(store) -> set[tuple[str, str, int]]:
    return {(i.provider_id, i.invoice_id, i.credit_cents) for i in store.credit_invoices()}


def test_the_invoices_holding_credit_are_found_as_each_save_leaves_them(store):
    """R13, R34: Given four invoices of two practices, none holding credit
    When one is overpaid, one paid exactly, one overpaid then refunded in part, one
    overpaid then refunded in full
    Then exactly the two that still hold credit are found, with what they hold; a page
    at a time (refunds58: the operator's list), by practice last id first (A's tandarts-de-vries before B's fysio-centrum-oost), each page of
    one, the last without a next position, and a position that is none refused."""
    owed = invoice(1).balance_cents
    first, second, third, fourth = invoice(1), invoice(2), invoice(3, B), invoice(4, B)
    stored(store, first, second, third, fourth)
    assert with_credit(store) == set()
    paid(store, first, owed + 250)
    paid(store, second, owed)
    paid(store, third, owed + 900)
    refunded(store, third, 400)
    paid(store, fourth, owed + 100)
    refunded(store, fourth, 100)
    assert with_credit(store) == {(A, "inv-1", 250), (B, "inv-3", 500)}
    first_page, position = store.credit_invoice_page(1)
    assert [(i.provider_id, i.invoice_id) for i in first_page] == [(A, "inv-1")]
    assert position is not None
    last_page, none_after = store.credit_invoice_page(1, position)
    assert ([(i.provider_id, i.invoice_id) for i in last_page], none_after) == (
        [(B, "inv-3")],
        None,
    )
    assert [i.invoice_id for i in store.credit_invoice_page(5)[0]] == ["inv-1", "inv-3"]
    for not_a_position in ("x", f"{A}#2026-13-01#inv-1", f"{A}#2026-11-01#", "inv-1"):
        with pytest.raises(InvalidPosition):
            store.credit_invoice_page(1, not_a_position)


def test_credit_used_by_a_correction_takes_the_invoice_off(store):
    """R13: Given an overpaid invoice (found)
    When a reversal of part of the payment leaves it owing again (a bank return, R12)
    Then it is no longer found."""
    one = invoice(1)
    stored(store, one)
    paid(store, one, one.balance_cents + 300)
    assert with_credit(store) == {(A, "inv-1", 300)}
    current = store.get_invoice(A, "inv-1", consistent=True)
    back = LedgerEntry(
        EntryKind.REVERSAL, Component.PRINCIPAL, 1000, NOON + timedelta(hours=3), "bank:1"
    )
    store.save_invoice(current.with_entry(back))
    assert with_credit(store) == set()


def test_an_invoice_stored_with_credit_before_the_index_is_put_on_it_once(store):
    """Migration 13 (R13): Given an overpaid invoice stored before the by-credit index:
    not found / When it is added twice / Then the first writes, the second finds it there;
    it is found, and its version is the one read (no change is refused for it, R28)."""
    one = invoice(1)
    stored(store, one)
    overpaid = paid(store, one, one.balance_cents + 700)
    plant_invoice_before_credit_index(store, overpaid)
    assert with_credit(store) == set()
    first, second = store.add_credit_index(overpaid), store.add_credit_index(overpaid)
    assert (first, second) == (True, False)
    assert with_credit(store) == {(A, "inv-1", 700)}
    assert store.get_invoice(A, "inv-1", consistent=True).version == overpaid.version


def test_an_invoice_changed_since_its_read_is_not_put_on_the_index_by_the_migration(store):
    """R28: Given an overpaid invoice stored before the index, read by the migration, then
    refunded in full by a change saved meanwhile / When the migration adds it /
    Then nothing is written: the change's save left it off, as its ledger says."""
    one = invoice(1)
    stored(store, one)
    overpaid = paid(store, one, one.balance_cents + 700)
    plant_invoice_before_credit_index(store, overpaid)
    refunded(store, overpaid, 700)
    assert store.add_credit_index(overpaid) is False
    assert with_credit(store) == set()
