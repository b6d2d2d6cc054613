"""The billing table's TTL on settled invoices (legal-nl.md §8: "kept 7 years after the end
of the year they were settled (fiscal obligation), then deleted"), on moto: the invoice
item, its kenmerk's marker and its lines' markers carry ``expires_at`` (the table's TTL
attribute, template.yaml) once it is settled, and lose it when a reversal reopens it.
Adapter only: the in-memory store keeps no TTL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.shared.clock import AMSTERDAM
from local.migrate import store_as_settled_before_expiry
from tests.contract.samples import A, invoice, stored

PAID_AT = datetime(2026, 11, 23, 12, 0, tzinfo=AMSTERDAM)
# The end of 2033 in Amsterdam: 7 years after the end of 2026, the year it was paid.
END_OF_2033 = int(datetime(2034, 1, 1, tzinfo=AMSTERDAM).timestamp())


@pytest.fixture
def repository(table: Any) -> BillingRepository:
    return BillingRepository(table)


def expiries(repository: BillingRepository, one: Invoice) -> dict[str, Any]:
    """The TTL of the invoice item and of each marker that serves only it (None: kept)."""
    table = repository._table
    found = {
        "invoice": table.get_item(Key=keys.invoice_key(A, one.invoice_id))["Item"],
        "kenmerk": table.get_item(Key=keys.reference_marker_key(one.reference))["Item"],
    }
    for line in one.lines:
        found[line.claim_ref] = table.get_item(Key=keys.claim_key(A, line.claim_ref))["Item"]
    return {name: item.get("expires_at") for name, item in found.items()}


def booked(repository: BillingRepository, one: Invoice, kind: EntryKind, cents: int, at) -> Invoice:
    current = repository.get_invoice(A, one.invoice_id)
    entry = LedgerEntry(kind, Component.PRINCIPAL, cents, at, "bank:E2E-1")
    return repository.save_invoice(current.with_entry(entry))


def test_an_invoice_paid_in_2026_and_its_markers_expire_at_the_end_of_2033(repository):
    # Given an invoice issued and stored with its markers
    issued = invoice(1)
    stored(repository, issued)
    # When it is paid in full on 23 November 2026
    paid = booked(repository, issued, EntryKind.PAYMENT, -issued.balance_cents, PAID_AT)
    # Then it, its kenmerk's marker and its lines' markers expire at the end of 2033
    assert paid.is_paid
    assert set(expiries(repository, issued).values()) == {END_OF_2033}


def test_an_unpaid_invoice_and_a_partly_paid_one_are_kept(repository):
    issued = invoice(1)
    stored(repository, issued)
    assert set(expiries(repository, issued).values()) == {None}
    booked(repository, issued, EntryKind.PAYMENT, -100, PAID_AT)
    assert set(expiries(repository, issued).values()) == {None}


def test_a_reversal_reopens_the_invoice_and_takes_the_expiry_away(repository):
    """R12: a returned payment makes the invoice owed again: kept until settled anew."""
    # Given an invoice paid in full, so due to expire
    issued = invoice(1)
    stored(repository, issued)
    booked(repository, issued, EntryKind.PAYMENT, -issued.balance_cents, PAID_AT)
    # When the bank returns the payment
    returned_at = datetime(2027, 1, 6, 9, 0, tzinfo=AMSTERDAM)
    booked(repository, issued, EntryKind.REVERSAL, issued.balance_cents, returned_at)
    # Then neither the invoice nor its markers expire
    assert set(expiries(repository, issued).values()) == {None}


def test_a_credit_line_that_settles_an_invoice_gets_a_marker_that_expires_with_it(repository):
    """vektis.md §1: a later upload's credit line booked onto the invoice; its marker is
    written after the invoice was saved, with the invoice's expiry."""
    issued = invoice(1)
    stored(repository, issued)
    paid = booked(repository, issued, EntryKind.PAYMENT, -issued.balance_cents, PAID_AT)
    repository.add_claim_markers("D2", paid, ["TAN-1-CREDIT"])
    marker = repository._table.get_item(Key=keys.claim_key(A, "TAN-1-CREDIT"))["Item"]
    assert marker["expires_at"] == END_OF_2033


def test_an_invoice_paid_before_the_deploy_gets_from_the_migration_what_its_save_writes(
    repository,
):
    """Migration version 2: an invoice settled before saves wrote the TTL has none, nor do
    its markers; the migration gives each the end of 2033, as the save did here."""
    issued = invoice(1)
    stored(repository, issued)
    paid = booked(repository, issued, EntryKind.PAYMENT, -issued.balance_cents, PAID_AT)
    store_as_settled_before_expiry(repository, paid)
    assert set(expiries(repository, issued).values()) == {None}
    repository.add_retention_expiry(paid)
    assert set(expiries(repository, issued).values()) == {END_OF_2033}


def test_the_migration_does_not_date_an_invoice_a_reversal_reopened_after_it_was_read(repository):
    """R12: the reversal's save wins; neither the invoice nor a marker gets an expiry."""
    issued = invoice(1)
    stored(repository, issued)
    paid = booked(repository, issued, EntryKind.PAYMENT, -issued.balance_cents, PAID_AT)
    store_as_settled_before_expiry(repository, paid)
    returned_at = datetime(2027, 1, 6, 9, 0, tzinfo=AMSTERDAM)
    booked(repository, issued, EntryKind.REVERSAL, issued.balance_cents, returned_at)
    assert repository.add_retention_expiry(paid).changed
    assert set(expiries(repository, issued).values()) == {None}
