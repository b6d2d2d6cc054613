"""A term of an arrangement paid in its 14 days but read after the run cancelled the
arrangement (audit arrangements ARRANGEMENTS1), through the public use cases: the daily
run at 06:00, the bank statement import, the checker's state.

R15: "a term missed by more than 14 days cancels the arrangement". legal-nl.md §2: "The
payment date decides, not the moment we learn of it … the result after a late payment
equals what it would have been had every payment been known on its date". A transfer
made on the last day of grace is read the morning after, when the 06:00 run has already
cancelled the arrangement and sent a reminder: the arrangement was kept, so it runs again
and what the cancellation set going supports no costs.

The example: €1,000.00 by e-mail, final payment date 2026-12-23; on 2026-12-01 the patient
asks for 2 terms (fee €10.00): € 505,00 due 2026-12-23 and 2027-01-23. The last day of
grace of the first term is 2027-01-06; the run of 2027-01-07 cancels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from billing_core.adapters.fake_psp import FakePsp
from billing_core.changes.arrangement import create_arrangement, next_term
from billing_core.collection.collection_report import (
    CollectionReportContext,
    import_collection_report,
)
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import ArrangementStatus, ArrangementTerm, DunningStage
from billing_core.invoices.ledger import EntryKind, total_of
from billing_core.payments.bank_import import BankImportContext, import_statement
from billing_core.payments.booking import (
    ARRANGEMENT_KEPT,
    PAID_IN_TERM,
    BookingResult,
    tell_the_agency,
)
from billing_core.payments.online import OnlinePaymentContext, handle_psp_webhook, start_payment
from billing_core.payments.unmatched import MatchTarget, UnmatchedCredit, credit_id_of
from billing_core.services.operator.context import BackOfficeContext
from billing_core.services.operator.money import match_credit
from billing_core.services.patient import InvoiceState, invoice_state
from billing_core.shared.audit import Reader
from billing_core.shared.clock import AMSTERDAM
from tests.unit.camt_builder import credit, statement
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import PUBLIC
from tests.unit.fake_store import AuditInMemory, FilesInMemory
from tests.unit.faults import Killed
from tests.unit.payment_fakes import CheckoutsInMemory

LAST_DAY_OF_GRACE = date(2027, 1, 6)
CANCELLED_ON = date(2027, 1, 7)
SECOND_TERM = date(2027, 1, 23)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def cancelled_by_the_run() -> DunningWorld:
    """The example up to the run of 2027-01-07, which cancelled the arrangement (nothing
    of the first term known yet) and sent a reminder."""
    world = DunningWorld([one_invoice(100_000)])
    made = at(date(2026, 12, 1), 12)
    world.store.save_invoice(create_arrangement(world.invoice(), world.provider, 2, made))
    world.run_days(date(2026, 12, 2), CANCELLED_ON)
    assert world.invoice().arrangement.status is ArrangementStatus.CANCELLED
    assert world.invoice().reminder.sent_on == CANCELLED_ON
    return world


def test_a_first_term_paid_on_its_last_day_of_grace_and_read_after_the_run_keeps_it():
    """Given the run of 7 January cancelled the arrangement and sent a reminder, when the
    statement with the first term booked on 6 January is read at 09:00, then the
    arrangement runs again and the checker says so; with the second term paid on its day,
    the runs up to March charge no costs, hand nothing over and the claim is paid."""
    world = cancelled_by_the_run()
    first, second = world.invoice().arrangement.terms

    world.import_transfer(first.amount_cents, booked_on=LAST_DAY_OF_GRACE, at=at(CANCELLED_ON, 9))

    invoice = world.invoice()
    assert invoice.arrangement.status is ArrangementStatus.ACTIVE
    assert invoice.arrangement.cancelled_at is None
    assert invoice_state(invoice, CANCELLED_ON) is InvoiceState.ARRANGEMENT_ACTIVE
    world.run_days(CANCELLED_ON + timedelta(days=1), SECOND_TERM - timedelta(days=1))
    world.import_transfer(second.amount_cents, booked_on=SECOND_TERM, at=at(SECOND_TERM, 9))
    world.run_days(SECOND_TERM, date(2027, 3, 10))

    assert total_of(world.invoice().ledger, EntryKind.COSTS) == 0  # no BIK
    assert total_of(world.invoice().ledger, EntryKind.INTEREST) == 0
    assert world.handover_files() == []
    assert world.invoice().balance_cents == 0
    assert world.invoice().arrangement.status is ArrangementStatus.COMPLETED


def test_costs_charged_on_the_cancellations_reminder_are_taken_back():
    """Given the cancellation's reminder expired and the run of 22 January charged the
    BIK and sent the second notice, when an operator's late statement shows the first
    term booked on 6 January, then the BIK is undone by an entry that says why (R27),
    the claim is back where the arrangement paused it (no costs, no interest), and with
    the second term paid nothing more is charged or handed over."""
    world = cancelled_by_the_run()
    first, second = world.invoice().arrangement.terms
    world.run_days(CANCELLED_ON + timedelta(days=1), date(2027, 1, 22))
    assert world.costs() == world.provider.arrangement_fee_cents + 15_000

    world.import_transfer(first.amount_cents, booked_on=LAST_DAY_OF_GRACE, at=at(SECOND_TERM, 9))

    invoice = world.invoice()
    undone = invoice.ledger[-1]
    assert (undone.kind, undone.amount_cents) == (EntryKind.COSTS, -15_000)
    assert "kept the arrangement cancelled on 2027-01-07" in undone.note
    assert invoice.arrangement.status is ArrangementStatus.ACTIVE
    assert (invoice.dunning_stage, invoice.costs_charged_on) == (DunningStage.REMINDED, None)
    assert world.money(SECOND_TERM).due == second.amount_cents
    world.import_transfer(second.amount_cents, booked_on=SECOND_TERM, at=at(SECOND_TERM, 10))
    world.run_days(date(2027, 1, 24), date(2027, 3, 10))
    assert world.invoice().balance_cents == 0
    assert world.handover_files() == []


def test_a_later_missed_term_needs_a_new_reminder_not_the_cancellations():
    """Given the first term was kept after all (read after the run), when the second term
    is missed by more than 14 days, then the arrangement is cancelled again and a new
    reminder goes out (legal-nl.md §2): the one sent on the undone cancellation, whose
    term has long passed, supports no costs."""
    world = cancelled_by_the_run()
    first, _ = world.invoice().arrangement.terms
    world.import_transfer(first.amount_cents, booked_on=LAST_DAY_OF_GRACE, at=at(CANCELLED_ON, 9))

    missed_on = SECOND_TERM + timedelta(days=15)
    world.run_days(CANCELLED_ON + timedelta(days=1), missed_on)

    assert world.invoice().arrangement.status is ArrangementStatus.CANCELLED
    assert world.days_sent(REMINDER) == [CANCELLED_ON, missed_on]
    assert world.costs() == 0  # the fee was paid with the first term; no BIK yet


@dataclass(frozen=True)
class HandedOver:
    """An arrangement made after the costs (2 terms, 3 February and 3 March), its first
    term paid on its day, its second unpaid when the run of 18 March cancelled it and
    handed the claim over at once."""

    world: DunningWorld
    second: ArrangementTerm
    grace: date  # the second term's last day of grace, 17 March
    read_on: date  # the day after, when the payment made on ``grace`` is read


def handed_over_on_the_cancellation() -> HandedOver:
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 31), date(2027, 1, 20))
    made = at(date(2027, 1, 20), 12)
    world.store.save_invoice(create_arrangement(world.invoice(), world.provider, 2, made))
    first, second = world.invoice().arrangement.terms
    world.run_days(date(2027, 1, 21), first.due_date)
    world.import_transfer(first.amount_cents, booked_on=first.due_date, at=at(first.due_date, 9))
    grace = second.due_date + timedelta(days=14)
    read_on = grace + timedelta(days=1)
    world.run_days(first.due_date + timedelta(days=1), read_on)
    assert world.invoice().is_with_collection_agency
    return HandedOver(world, second, grace, read_on)


def agency_record(given: HandedOver, day: date, record: str = "arrangement-kept") -> dict | None:
    """The agency's ``record`` of ``day`` about the claim, if one was written."""
    world = given.world
    invoice = world.invoice()
    key = f"collection/updates/{day}/{invoice.provider_id}/{invoice.reference}-{record}.json"
    document = world.files.files.get(key)
    return None if document is None else json.loads(document)


def assert_reported_as_kept(given: HandedOver) -> None:
    """Kept: running again, or completed when the payment also paid the late days' interest
    (an iDEAL payment of what the checker asked)."""
    invoice = given.world.invoice()
    assert invoice.arrangement.status is not ArrangementStatus.CANCELLED
    record = agency_record(given, given.read_on)
    assert record is not None, "no record for the agency"
    assert record["reason"] == ARRANGEMENT_KEPT
    assert record["amounts_cents"]["total"] == invoice.balance_cents


def test_a_handover_on_the_cancellation_is_reported_to_the_agency():
    """Given the arrangement made after the costs whose run of 18 March cancelled it and
    handed the claim over, when the second term paid on its last day of grace (17 March)
    is read from the bank statement, then the arrangement is kept, with the interest of
    the late days as its rest term, and the agency gets a record of the day saying why
    (legal-nl.md §2: a handover already sent is reported; the claim stays with the
    agency, R22)."""
    given = handed_over_on_the_cancellation()

    given.world.import_transfer(
        given.second.amount_cents, booked_on=given.grace, at=at(given.read_on, 9)
    )

    assert next_term(given.world.invoice()) is not None  # the rest: the 14 late days' interest
    assert_reported_as_kept(given)


def test_a_credit_an_operator_matches_that_keeps_the_arrangement_is_reported_to_the_agency():
    """Given the same handover, and the second term credited on 17 March without a
    kenmerk, when an operator matches it to the invoice on 18 March, then the arrangement
    is kept and the agency gets the same record as from the bank import (R15, R22, R34,
    legal-nl.md §2)."""
    given = handed_over_on_the_cancellation()
    world = given.world
    source = "NL91ABNA0417164300/ING-77"
    world.links.keep_unmatched_credit(
        UnmatchedCredit(
            credit_id_of(source), source, "STMT-7", "ING-77", given.grace, "CRDT",
            given.second.amount_cents, "EUR", "no_reference", counterparty_name="J. Jansen",
        )
    )  # fmt: skip
    world.clock.set(at(given.read_on, 9))
    office = BackOfficeContext(
        world.store, world.files, world.links, AuditInMemory(), world.queue, world.clock,
        Reader("operator-sub-1", "operator"),
    )  # fmt: skip

    match_credit(credit_id_of(source), MatchTarget(reference=world.invoice().reference), office)

    assert_reported_as_kept(given)


def test_an_ideal_payment_whose_webhook_comes_late_and_keeps_the_arrangement_is_reported():
    """Given the same handover, and the second term paid by iDEAL on 17 March at 20:00
    whose webhook only gets through on 18 March at 09:00 (the PSP retries), then the
    arrangement is kept and the agency gets the record (R11, R15, R22, legal-nl.md §2);
    the PSP retrying the webhook the next day writes no second record."""
    given = handed_over_on_the_cancellation()
    world = given.world
    world.clock.set(at(given.grace, 20))
    online = OnlinePaymentContext(
        world.store, CheckoutsInMemory(), FakePsp(PUBLIC, world.clock), world.clock, PUBLIC,
        delivery=world.queue, files=world.files,
    )  # fmt: skip
    checkout = start_payment(
        world.invoice().reference, BirthDate(world.invoice().birth_date), online
    )
    online.psp.complete(checkout.psp_payment_id, "paid")
    world.clock.set(at(given.read_on, 9))

    handle_psp_webhook(checkout.psp_payment_id, online)

    assert_reported_as_kept(given)
    world.clock.set(at(given.read_on + timedelta(days=1), 9))
    handle_psp_webhook(checkout.psp_payment_id, online)
    assert agency_record(given, given.read_on + timedelta(days=1)) is None


def test_a_payment_the_agency_reports_that_keeps_the_arrangement_is_reported_back():
    """Given the same handover, when the agency's report says the second term was paid on
    17 March (to the practice's account, forwarded), then the arrangement is kept and the
    agency gets the record saying so (R15, R22, legal-nl.md §2); the same report read
    again the next day books nothing and writes no second record."""
    given = handed_over_on_the_cancellation()
    world = given.world
    world.clock.set(at(given.read_on, 9))
    ctx = CollectionReportContext(world.store, world.files, world.clock)
    row = f"{world.invoice().reference};CMIB-7;paid;{given.second.amount_cents};{given.grace}"
    body = f"reference;agency_ref;status;amount_cents;paid_on\n{row}\n".encode()

    import_collection_report(body, "collection-reports/cmib-7.csv", ctx)

    assert_reported_as_kept(given)
    world.clock.set(at(given.read_on + timedelta(days=1), 9))
    import_collection_report(body, "collection-reports/cmib-7.csv", ctx)
    assert agency_record(given, given.read_on + timedelta(days=1)) is None


class AgencyRecordsLost:
    """The output bucket of a process that ends as it writes a record for the agency."""

    def __init__(self, files: FilesInMemory) -> None:
        self.files = files

    def put(self, key: str, body: bytes, content_type: str) -> None:
        if key.startswith("collection/updates/"):
            raise Killed(key)
        self.files.put(key, body, content_type)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.files, name)


def test_a_crash_before_the_agencys_record_is_mended_by_the_statement_read_again():
    """R15, R22, R34, legal-nl.md §2: Given the handover on the cancellation, and the bank
    import killed after it booked the second term (paid on its last day of grace) and
    before it wrote the agency's record
    When the same statement is read again, that day and the day after
    Then the agency has the record of the day the payment was booked, written again with
    the same bytes, and none of a later day: the replay recomputes that the payment kept
    the arrangement."""
    given = handed_over_on_the_cancellation()
    world = given.world
    entry = credit(
        given.second.amount_cents, scor=world.invoice().reference,
        booking_date=given.grace.isoformat(), reference="ING-KEPT",
    )  # fmt: skip
    xml = statement(entry)

    def read(day: date, files: Any) -> None:
        world.clock.set(at(day, 9))
        context = BankImportContext(world.store, files, world.links, world.clock)
        import_statement(xml, f"camt053/{day}.xml", context)

    with pytest.raises(Killed):
        read(given.read_on, AgencyRecordsLost(world.files))
    assert agency_record(given, given.read_on) is None

    read(given.read_on, world.files)
    assert_reported_as_kept(given)
    written = agency_record(given, given.read_on)
    read(given.read_on + timedelta(days=1), world.files)
    assert agency_record(given, given.read_on) == written
    assert agency_record(given, given.read_on + timedelta(days=1)) is None


def test_a_payment_that_sets_the_costs_right_and_keeps_the_arrangement_leaves_both_records():
    """R15, R22, legal-nl.md §2: Given a claim at the agency that one payment both set
    right (its costs undone) and whose arrangement it kept, when the agency is told,
    then it gets both records of the day, each under its own key: neither overwrites
    the other."""
    given = handed_over_on_the_cancellation()
    world = given.world
    claim = world.invoice()
    result = BookingResult(True, claim, corrected=(claim,), arrangement_kept=True)

    tell_the_agency(result, "bank:none", world.files, given.read_on)

    kept = agency_record(given, given.read_on)
    paid_in_term = agency_record(given, given.read_on, "paid-in-term")
    assert kept is not None and kept["reason"] == ARRANGEMENT_KEPT
    assert paid_in_term is not None and paid_in_term["reason"] == PAID_IN_TERM


# --- a letter of the cancellation still waiting to be sent (R15, R19, legal-nl.md §2) -------


def test_the_cancellations_reminder_still_waiting_is_not_sent_once_the_term_is_read():
    """Given the run of 7 January cancelled the arrangement and queued a reminder that has
    not gone out yet, when the statement with the first term booked on 6 January is read
    at 09:00 and the queue then delivers, then no reminder reaches the patient (the
    arrangement runs: R15, legal-nl.md §2) and none waits on the invoice any more; a later
    missed term still gets a reminder of its own."""
    world = DunningWorld([one_invoice(100_000)])
    made = at(date(2026, 12, 1), 12)
    world.store.save_invoice(create_arrangement(world.invoice(), world.provider, 2, made))
    world.run_days(date(2026, 12, 2), CANCELLED_ON - timedelta(days=1))
    world.run(CANCELLED_ON, deliver=False)
    assert [letter.kind for letter in world.invoice().letters_due] == [REMINDER]
    first, _ = world.invoice().arrangement.terms

    world.import_transfer(first.amount_cents, booked_on=LAST_DAY_OF_GRACE, at=at(CANCELLED_ON, 9))

    assert world.invoice().arrangement.status is ArrangementStatus.ACTIVE
    assert world.days_sent(REMINDER) == []
    assert world.invoice().letters_due == ()
    missed_on = SECOND_TERM + timedelta(days=15)
    world.run_days(CANCELLED_ON + timedelta(days=1), missed_on)
    assert world.days_sent(REMINDER) == [missed_on]


def test_the_second_notice_still_waiting_is_not_sent_once_the_term_is_read():
    """Given the cancellation's reminder expired and the run of 22 January charged the BIK
    and queued the second notice, not sent yet, when the first term booked on 6 January is
    read at 09:00 and the queue delivers, then no second notice goes out (R19: it threatens
    a handover of an arrangement that runs, R15) and none waits on the invoice."""
    world = cancelled_by_the_run()
    first, _ = world.invoice().arrangement.terms
    world.run_days(CANCELLED_ON + timedelta(days=1), date(2027, 1, 21))
    world.run(date(2027, 1, 22), deliver=False)
    assert [letter.kind for letter in world.invoice().letters_due] == [SECOND_NOTICE]

    world.import_transfer(first.amount_cents, booked_on=LAST_DAY_OF_GRACE, at=at(SECOND_TERM, 9))

    assert SECOND_NOTICE not in [kind for kind, _ in world.letters()]
    assert world.invoice().letters_due == ()
