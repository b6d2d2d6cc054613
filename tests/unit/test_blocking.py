"""Blocked patients (R22, seed 002 advice 7): the block transitions, the in-memory store,
the files for practice software, the debtor-risk mark on a new claim, and unblocking when
a payment settles a claim that is with the collection agency."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.changes.stop import StopRequest, StopScope
from billing_core.collection.block_files import block_changes_csv, blocked_patients_csv
from billing_core.collection.blocking import (
    DEBTOR_RISK_WARNING,
    BlockChange,
    BlockChangeKind,
    BlockedPatient,
    PatientBlock,
    with_claim,
    with_debtor_risk_with_provider,
    without_claim,
)
from billing_core.invoices.invoice import DunningStage, InvoiceStatus
from billing_core.payments.booking import IncomingPayment, book_payment, book_reversal
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.provider.context import ProviderContext
from billing_core.services.provider.invoices import stop_invoice
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.retries import RequestCause
from tests.unit.factories import REFERENCE, make_invoice
from tests.unit.fake_store import (
    AuditInMemory,
    FakeQueue,
    FakeStore,
    FilesInMemory,
    blocked_numbers,
    is_blocked,
)

PROVIDER = "tandarts-de-vries"
OTHER = "fysio-centrum-oost"
T1 = datetime(2027, 1, 28, 6, 0, tzinfo=AMSTERDAM)
T2 = datetime(2027, 2, 3, 6, 0, tzinfo=AMSTERDAM)
T3 = datetime(2027, 2, 15, 9, 30, tzinfo=AMSTERDAM)
BLOCKED = BlockChangeKind.BLOCKED
UNBLOCKED = BlockChangeKind.UNBLOCKED


def block(*invoice_ids: str, version: int = 0) -> PatientBlock:
    blocked_at = T1 if invoice_ids else None
    return PatientBlock(PROVIDER, "P-004711", tuple(invoice_ids), blocked_at, version)


# --- transitions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "step", "invoice_id", "claims_after", "change"),
    [
        (block(), with_claim, "inv-1", ("inv-1",), BLOCKED),  # the first claim blocks
        (block("inv-1", version=1), with_claim, "inv-2", ("inv-1", "inv-2"), None),
        (block("inv-1", "inv-2", version=2), without_claim, "inv-1", ("inv-2",), None),
        (block("inv-2", version=3), without_claim, "inv-2", (), UNBLOCKED),  # the last one
    ],
)
def test_the_first_claim_blocks_and_releasing_the_last_one_unblocks(
    before, step, invoice_id, claims_after, change
):
    """Given a patient's block, when a claim goes to the agency or is settled, then the
    claims that keep the block follow, and only the first and the last one log a change."""
    after, logged = step(before, invoice_id, T2)
    assert after.invoice_ids == claims_after
    assert after.version == before.version + 1
    assert (logged.change if logged else None) == change
    assert after.is_blocked == bool(claims_after)


def test_blocked_since_the_first_claim_and_not_after_the_last():
    """Given a patient blocked at T1, when a second claim follows at T2 and both are
    settled, then the block stays dated T1 and is gone after the last release."""
    first, _ = with_claim(block(), "inv-1", T1)
    second, _ = with_claim(first, "inv-2", T2)
    assert second.blocked_at == T1
    released, _ = without_claim(without_claim(second, "inv-1", T3)[0], "inv-2", T3)
    assert released.blocked_at is None and not released.is_blocked


@pytest.mark.parametrize(
    ("before", "first", "then", "changes"),
    [
        # a block stamped before the unblock it follows (the run's moment, then a release)
        (
            block("inv-1", version=1),
            (without_claim, "inv-1", T2),
            (with_claim, "inv-2", T1),
            [UNBLOCKED, BLOCKED],
        ),
        # an unblock stamped before the block it follows
        (block(), (with_claim, "inv-2", T2), (without_claim, "inv-2", T1), [BLOCKED, UNBLOCKED]),
    ],
)
def test_a_change_is_never_stamped_before_the_change_it_follows(before, first, then, changes):
    """R22 (the changes feed is applied oldest first), R34 (audit agency AGENCY1).
    Given a patient's change at T2
    When a writer that took its moment T1 earlier writes the next change after it
    Then that change is stamped T2, not T1: by moment the feed serves the two in the order
    they were written, and the last served is the patient's state."""
    step, invoice_id, at = first
    middle, one = step(before, invoice_id, at)
    step, invoice_id, at = then
    after, two = step(middle, invoice_id, at)

    assert one is not None and two is not None
    assert [one.change, two.change] == changes
    assert two.at == T2 and after.changed_at == T2
    assert after.blocked_at == (T2 if after.is_blocked else None)


@pytest.mark.parametrize(
    ("before", "step", "invoice_id"),
    [
        (block("inv-1", version=1), with_claim, "inv-1"),  # handed over twice
        (block("inv-1", version=1), without_claim, "inv-9"),  # never held the block
        (block(version=2), without_claim, "inv-1"),  # released twice
    ],
)
def test_repeating_a_step_changes_nothing(before, step, invoice_id):
    """Given a block, when the same handover or release comes again, then the block is the
    same object (nothing to write) and no change is logged."""
    assert step(before, invoice_id, T3) == (before, None)
    assert step(before, invoice_id, T3)[0] is before


def test_a_transition_needs_a_claim_and_a_moment_with_a_time_zone():
    with pytest.raises(ValueError):
        with_claim(block(), "", T1)
    with pytest.raises(ValueError):
        with_claim(block(), "inv-1", datetime(2027, 1, 28, 6, 0))


# --- the in-memory store (the DynamoDB adapter is tested on moto) ------------------------------


def test_the_store_lists_blocks_and_changes_per_provider_oldest_first():
    """Given blocks at two providers, when one provider asks, then it gets only its own
    blocked patients, and its changes since a moment (inclusive), oldest first."""
    store = FakeStore()
    store.block_patient(PROVIDER, "P-1", "inv-1", T1)
    store.block_patient(PROVIDER, "P-2", "inv-2", T2)
    store.block_patient(PROVIDER, "P-2", "inv-3", T2)
    store.block_patient(OTHER, "P-1", "inv-9", T2)

    assert store.release_claim(PROVIDER, "P-2", "inv-2", T3) is False  # inv-3 keeps it
    assert store.release_claim(PROVIDER, "P-2", "inv-3", T3) is True
    assert store.release_claim(PROVIDER, "P-2", "inv-3", T3) is False  # again: nothing

    assert store.blocked_patients(PROVIDER) == [BlockedPatient(PROVIDER, "P-1", T1, ("inv-1",))]
    assert blocked_numbers(store, PROVIDER) == frozenset({"P-1"})
    assert is_blocked(store, OTHER, "P-1") and not is_blocked(store, PROVIDER, "P-2")
    assert [(c.patient_ref, c.change) for c in store.block_changes(PROVIDER, T2)] == [
        ("P-2", BLOCKED),
        ("P-2", UNBLOCKED),
    ]
    assert len(store.block_changes(PROVIDER, T1)) == 3


# --- files for practice software ------------------------------------------------------------


def test_the_csv_files_hold_patient_numbers_and_dutch_times_only():
    """Given a blocked patient and two changes, when rendered for practice software, then
    each file is `;`-separated with one header row, times on the Dutch clock."""
    blocked = [BlockedPatient(PROVIDER, "P-004711", T1, ("inv-1",))]
    changes = [
        BlockChange(PROVIDER, "P-004711", BLOCKED, T1),
        BlockChange(PROVIDER, "P-004711", UNBLOCKED, T3.replace(microsecond=250_000)),
    ]  # fractions of a second are not written
    assert blocked_patients_csv(blocked) == (
        "patient_ref;blocked_at\r\nP-004711;2027-01-28T06:00:00+01:00\r\n"
    )
    assert block_changes_csv(changes) == (
        "patient_ref;change;at\r\n"
        "P-004711;blocked;2027-01-28T06:00:00+01:00\r\n"
        "P-004711;unblocked;2027-02-15T09:30:00+01:00\r\n"
    )
    assert block_changes_csv([]) == "patient_ref;change;at\r\n"


# --- a new claim of a blocked patient (R22) ---------------------------------------------------


def test_a_new_invoice_of_a_blocked_patient_keeps_the_debtor_risk_with_the_provider():
    invoice = make_invoice()
    marked = with_debtor_risk_with_provider(invoice)
    assert marked.debtor_risk_with_provider is True
    assert marked.warnings == (DEBTOR_RISK_WARNING,)
    assert with_debtor_risk_with_provider(marked) is marked


# --- unblocking when a payment settles the claim (R22, payments.book_payment) ------------------


CLOCK = FixedClock(T3)


def at_the_agency(**overrides):
    invoice = make_invoice(dunning_stage=DunningStage.WITH_COLLECTION_AGENCY, **overrides)
    store = FakeStore([invoice])
    store.block_patient(invoice.provider_id, invoice.patient_ref, invoice.invoice_id, T1)
    return invoice, store


def pay(store, amount, source_id="E-1"):
    payment = IncomingPayment("bank", source_id, amount, T3)
    return book_payment(store, REFERENCE, payment, clock=CLOCK, interest=lambda invoice, day: 0)


def test_paying_a_claim_at_the_agency_in_full_unblocks_the_patient():
    """Given a patient blocked by one claim at the agency, when that invoice is paid in
    full (a bank transfer or iDEAL), then the patient is unblocked, dated when booked."""
    invoice, store = at_the_agency()
    pay(store, invoice.amount_due_cents)
    assert store.blocked_patients(PROVIDER) == []
    [_, unblocked] = store.block_changes(PROVIDER, T1)
    assert (unblocked.change, unblocked.at) == (UNBLOCKED, T3)


def test_paying_part_of_a_claim_at_the_agency_keeps_the_block():
    invoice, store = at_the_agency()
    pay(store, invoice.amount_due_cents - 1)
    assert blocked_numbers(store, PROVIDER) == frozenset({invoice.patient_ref})
    assert "release_claim" not in store.calls


def test_a_replayed_payment_repairs_a_release_lost_in_a_crash():
    """Given a payment saved in full on a claim at the agency but a crash before the
    release, when the payment is replayed (nothing new to book), then the patient is
    unblocked after all, and a further replay changes nothing."""
    invoice, store = at_the_agency()
    release = store.release_claim

    def crash(*_: object) -> bool:
        raise RuntimeError("the Lambda stopped here")

    store.release_claim = crash  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        pay(store, invoice.amount_due_cents)
    store.release_claim = release  # type: ignore[method-assign]

    assert pay(store, invoice.amount_due_cents).booked is False
    assert store.blocked_patients(PROVIDER) == []
    pay(store, invoice.amount_due_cents)
    assert [c.change for c in store.block_changes(PROVIDER, T1)] == [BLOCKED, UNBLOCKED]


def test_a_paid_invoice_that_is_not_with_the_agency_does_not_touch_blocks():
    """Given a blocked patient and another invoice of theirs that is not with the agency,
    when that one is paid, then the block stays: only the agency's claims keep it."""
    invoice, store = at_the_agency()
    store.put_invoice_as_is(replace(invoice, dunning_stage=DunningStage.NONE))
    pay(store, invoice.amount_due_cents)
    assert "release_claim" not in store.calls
    assert blocked_numbers(store, PROVIDER) == frozenset({invoice.patient_ref})


# --- the agency's claim changed on our side (issue 12 item 11, R22, R34) ------------------------


def test_a_reversed_payment_that_had_unblocked_the_patient_blocks_again():
    """Given a claim at the agency paid in full by a transfer (the patient unblocked)
    When the bank returns that transfer
    Then the claim is owed again and the patient is blocked again, once."""
    invoice, store = at_the_agency()
    pay(store, invoice.amount_due_cents)

    book_reversal(store, REFERENCE, "E-1", "R-1", invoice.amount_due_cents, clock=CLOCK)
    book_reversal(store, REFERENCE, "E-1", "R-1", invoice.amount_due_cents, clock=CLOCK)

    assert blocked_numbers(store, PROVIDER) == frozenset({invoice.patient_ref})
    changes = [c.change for c in store.block_changes(PROVIDER, T1)]
    assert changes == [BLOCKED, UNBLOCKED, BLOCKED]


def test_a_stop_that_settles_a_claim_at_the_agency_unblocks_the_patient():
    """Given a patient blocked by one claim at the agency
    When the practice stops that invoice in full (R21)
    Then nothing is owed and the patient is unblocked."""
    invoice, store = at_the_agency(status=InvoiceStatus.SENT)
    ctx = ProviderContext(
        store,
        FilesInMemory(),
        None,
        FakeQueue(),
        CLOCK,
        users=InMemoryUserDirectory(),
        audit=AuditInMemory(),
    )
    # The address as the stop form shows it, checked (R21)
    full = StopRequest(StopScope.FULL, "goodwill", invoice.addressee.email, accept_terms=True)

    stop_invoice(
        ProviderUser(PROVIDER, "u-1", Role.STAFF),
        invoice.invoice_id,
        full,
        ctx,
        cause=RequestCause("r-1"),
    )

    assert store.blocked_patients(PROVIDER) == []
    assert [c.change for c in store.block_changes(PROVIDER, T1)] == [BLOCKED, UNBLOCKED]
