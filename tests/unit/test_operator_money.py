"""Back-office money (R34, legal-nl.md §5): a bank credit nobody could book, matched by an
operator to an invoice or to a patient, once, and reconciled in the next weekly
retrocession statement to the cent (R24, R27)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

import pytest

from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.collection.collection_report import (
    CollectionReportContext,
    import_collection_report,
)
from billing_core.correspondence.kinds import INVOICE_CORRECTED
from billing_core.invoices import updates
from billing_core.invoices.invoice import (
    Arrangement,
    ArrangementTerm,
    Deferral,
    DunningStage,
    InvoiceStatus,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.payments.bank_import import BankImportContext, checkpoint_key, import_statement
from billing_core.payments.booking import (
    IncomingPayment,
    apply_payment,
    book_payment,
    book_reversal,
    payment_id,
)
from billing_core.payments.unmatched import (
    CreditMatch,
    MatchPart,
    MatchTarget,
    UnmatchedCredit,
    credit_id_of,
    plan_as_stored,
)
from billing_core.ports import ConcurrentChange, SavedUnfinished
from billing_core.providers.retrocession import build_statement
from billing_core.providers.week import Week
from billing_core.services.operator.context import BackOfficeContext
from billing_core.services.operator.money import (
    correct_invoice_entry,
    match_credit,
    unmatched_credits,
)
from billing_core.shared import reference
from billing_core.shared.audit import NO_PRACTICE_YET, Reader, ReadKind
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import Refused, StateConflict
from tests.unit.camt_builder import ACCOUNT, credit, debit, statement
from tests.unit.factories import REFERENCE_KEY, make_invoice, make_person, make_provider
from tests.unit.fake_store import AuditInMemory, FakeQueue, FakeStore, FilesInMemory, is_blocked
from tests.unit.faults import Killed
from tests.unit.payment_fakes import LinksInMemory

PRACTICE = make_provider()
BOOKED_ON = date(2026, 11, 24)  # a Tuesday of week 48
MATCHED_AT = datetime(2026, 11, 26, 10, 0, tzinfo=AMSTERDAM)
SOURCE = "NL20INGB0001234567/ING-77"
REPORT_HEADER = "reference;agency_ref;status;amount_cents;paid_on"


def issued(number: int, cents: int, day: date):
    at = datetime.combine(day, time(9), tzinfo=AMSTERDAM)
    entry = LedgerEntry(EntryKind.ISSUED, Component.PRINCIPAL, cents, at, "declaration:d-1")
    return make_invoice(
        invoice_id=f"inv-{number}",
        reference=reference.for_sequence(number, REFERENCE_KEY),
        patient_ref="P-17",
        issue_date=day,
        ledger=(entry,),
    )


def the_back_office(
    *invoices, amount_cents: int, transfer_ids=(), booked_on=BOOKED_ON
) -> BackOfficeContext:
    store = FakeStore(list(invoices), [PRACTICE])
    links = LinksInMemory(store)
    links.keep_unmatched_credit(
        UnmatchedCredit(
            credit_id_of(SOURCE), SOURCE, "STMT-1", "ING-77", booked_on, "CRDT",
            amount_cents, "EUR", "no_reference", counterparty_name="J. Jansen",
            transfer_ids=transfer_ids,
        )
    )  # fmt: skip
    return BackOfficeContext(
        store,
        FilesInMemory(),
        links,
        AuditInMemory(),
        FakeQueue(),
        FixedClock(MATCHED_AT),
        Reader("operator-sub-1", "operator"),
    )


def test_a_credit_matched_to_a_patient_pays_the_oldest_first_and_keeps_the_rest_as_credit():
    """Given a transfer of € 250,00 without a kenmerk and two invoices of patient P-17
    (€ 100,00 issued 2 November, € 80,00 issued 9 November)
    When an operator matches it to that patient, and again (a retry)
    Then the older is paid in full, the newer in full, € 70,00 stays as the patient's
    credit on the newer one, the credit leaves the list, and the retry books nothing more;
    the statement of week 48 (the week it was matched) counts € 250,00 received."""
    older, newer = issued(1, 10_000, date(2026, 11, 2)), issued(2, 8_000, date(2026, 11, 9))
    ctx = the_back_office(newer, older, amount_cents=25_000)
    patient = MatchTarget(provider_id=PRACTICE.provider_id, patient_ref="P-17")

    matched = match_credit(credit_id_of(SOURCE), patient, ctx)
    match_credit(credit_id_of(SOURCE), patient, ctx)

    assert [(p.invoice_id, p.amount_cents) for p in matched.match.parts] == [
        ("inv-1", 10_000),
        ("inv-2", 15_000),
    ]
    assert ctx.store.invoice("inv-1").balance_cents == 0
    assert ctx.store.invoice("inv-2").balance_cents == -7_000
    assert unmatched_credits(ctx)[0] == []
    week = build_statement(PRACTICE, Week.of(MATCHED_AT.date()), ctx.store.invoices.values())
    assert week.received_cents == 25_000


def test_a_match_whose_booking_lost_its_race_after_a_part_says_saved_and_a_retry_finishes(
    monkeypatch,
):
    """R28, R34, R38 (invite58): Given a transfer of € 250,00 matched to patient P-17, its
    plan written and the older invoice's € 100,00 booked, when the newer invoice keeps
    changing past the store's retries, then the match is refused as saved but unfinished
    (``SavedUnfinished``: the API's 409 says so, not "nothing was saved"); and the same
    match sent again books the newer one's € 150,00, the older one's not twice."""
    older, newer = issued(1, 10_000, date(2026, 11, 2)), issued(2, 8_000, date(2026, 11, 9))
    ctx = the_back_office(newer, older, amount_cents=25_000)
    patient = MatchTarget(provider_id=PRACTICE.provider_id, patient_ref="P-17")
    save = ctx.store.save_invoice

    def newer_changed_meanwhile(invoice):
        if invoice.invoice_id == "inv-2":
            raise ConcurrentChange(invoice.invoice_id)
        return save(invoice)

    monkeypatch.setattr(ctx.store, "save_invoice", newer_changed_meanwhile)
    monkeypatch.setattr(updates, "pause", lambda attempt: None)  # its retries, at once
    with pytest.raises(SavedUnfinished):
        match_credit(credit_id_of(SOURCE), patient, ctx)
    assert ctx.store.invoice("inv-1").balance_cents == 0
    assert ctx.store.invoice("inv-2").balance_cents == 8_000

    monkeypatch.undo()
    match_credit(credit_id_of(SOURCE), patient, ctx)

    assert ctx.store.invoice("inv-1").balance_cents == 0
    assert ctx.store.invoice("inv-2").balance_cents == -7_000
    assert unmatched_credits(ctx)[0] == []


def test_a_credit_matched_to_a_patient_number_reaches_the_invoices_stored_with_its_zeros():
    """R40, legal-nl.md §5 (art. 6:43 BW: the oldest first): Given a transfer of € 150,00
    without a kenmerk, the patient's € 100,00 invoice of 2 November stored under
    "0001001" (before round 40) and their € 80,00 of 9 November under "1001" (since)
    When an operator matches it to patient "1001"
    Then the older is paid in full first and € 50,00 goes to the newer: one patient, not
    only the invoices stored under the number as typed."""
    older = replace(issued(1, 10_000, date(2026, 11, 2)), patient_ref="0001001")
    newer = replace(issued(2, 8_000, date(2026, 11, 9)), patient_ref="1001")
    ctx = the_back_office(newer, older, amount_cents=15_000)
    patient = MatchTarget(provider_id=PRACTICE.provider_id, patient_ref="1001")

    matched = match_credit(credit_id_of(SOURCE), patient, ctx)

    assert [(p.invoice_id, p.amount_cents) for p in matched.match.parts] == [
        ("inv-1", 10_000),
        ("inv-2", 5_000),
    ]


def test_a_credit_matched_to_a_patient_pays_the_invoice_due_before_an_older_deferred_one():
    """legal-nl.md §5, art. 6:43 lid 2 BW (audit BACKOFFICE4): given invoice 1 (€ 100,00,
    issued 1 September, its final payment date of 1 October deferred to 31 October) and
    invoice 2 (€ 40,00, issued 10 September, final payment date 10 October) of P-17
    When a transfer of € 40,00 booked on 15 October is matched to the patient
    Then it pays invoice 2, the one due on that day, and invoice 1 keeps its € 100,00 and
    its deferral."""
    older = replace(
        issued(1, 10_000, date(2026, 9, 1)),
        final_payment_date=date(2026, 10, 1),
        deferral=Deferral(until=date(2026, 10, 31), granted_at=MATCHED_AT),
    )
    newer = replace(issued(2, 4_000, date(2026, 9, 10)), final_payment_date=date(2026, 10, 10))
    ctx = the_back_office(older, newer, amount_cents=4_000, booked_on=date(2026, 10, 15))
    patient = MatchTarget(provider_id=PRACTICE.provider_id, patient_ref="P-17")

    matched = match_credit(credit_id_of(SOURCE), patient, ctx)

    assert [(p.invoice_id, p.amount_cents) for p in matched.match.parts] == [("inv-2", 4_000)]
    assert ctx.store.invoice("inv-1").balance_cents == 10_000
    assert ctx.store.invoice("inv-2").balance_cents == 0


@pytest.mark.parametrize(
    ("final_dates", "booked_on", "paid_first"),
    [
        # Both due: the one due longest first, though issued later.
        ((date(2026, 10, 20), date(2026, 10, 10)), date(2026, 10, 25), "inv-2"),
        # Neither due: the one due soonest first.
        ((date(2026, 11, 20), date(2026, 11, 10)), date(2026, 10, 25), "inv-2"),
        # Paid on its last day, an invoice is not late: the one past its date first.
        ((date(2026, 10, 25), date(2026, 10, 24)), date(2026, 10, 25), "inv-2"),
        # The same date: the older issued first.
        ((date(2026, 10, 10), date(2026, 10, 10)), date(2026, 10, 25), "inv-1"),
    ],
)
def test_a_patients_credit_goes_to_the_invoice_due_longest_first(
    final_dates, booked_on, paid_first
):
    """legal-nl.md §5: due invoices first, oldest date first; then the rest, soonest first."""
    invoices = [
        replace(issued(n, 5_000, date(2026, 9, n)), final_payment_date=final)
        for n, final in enumerate(final_dates, 1)
    ]
    ctx = the_back_office(*invoices, amount_cents=5_000, booked_on=booked_on)
    patient = MatchTarget(provider_id=PRACTICE.provider_id, patient_ref="P-17")

    matched = match_credit(credit_id_of(SOURCE), patient, ctx)

    assert [p.invoice_id for p in matched.match.parts] == [paid_first]


@pytest.mark.parametrize(
    ("newer_final", "booked_on", "paid_first"),
    [
        # No term fallen due yet: invoice 2, past its date, is the one due.
        (date(2026, 10, 15), date(2026, 10, 20), "inv-2"),
        # The first term fell due on 1 November; invoice 2 is not due yet.
        (date(2026, 11, 20), date(2026, 11, 5), "inv-1"),
    ],
)
def test_an_invoice_under_an_arrangement_is_due_as_its_terms_fall_due(
    newer_final, booked_on, paid_first
):
    """legal-nl.md §5, R15: an invoice under an arrangement is due as its terms fall due,
    whatever its own final payment date. Given invoice 1 (€ 90,00, final payment date
    1 September, long past) in an arrangement of three terms of € 30,00 from 1 November,
    and invoice 2 (€ 50,00, issued later)
    When € 50,00 is matched to the patient
    Then the invoice due on the credit's date is paid first."""
    older = replace(issued(1, 9_000, date(2026, 8, 1)), final_payment_date=date(2026, 9, 1))
    terms = tuple(
        ArrangementTerm(due, 3_000)
        for due in (date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1))
    )
    older = older.with_arrangement(
        Arrangement(MATCHED_AT, terms, fee_cents=0, ledger_start=len(older.ledger))
    )
    newer = replace(issued(2, 5_000, date(2026, 10, 1)), final_payment_date=newer_final)
    ctx = the_back_office(older, newer, amount_cents=5_000, booked_on=booked_on)
    patient = MatchTarget(provider_id=PRACTICE.provider_id, patient_ref="P-17")

    matched = match_credit(credit_id_of(SOURCE), patient, ctx)

    assert matched.match.parts[0].invoice_id == paid_first


def test_a_credit_matched_before_is_not_matched_to_another_target():
    """R34 "matched once", interfaces.md §2 (audit BACKOFFICE7): given a credit of
    € 20,00 an operator matched to invoice 1
    When it is matched to invoice 2, or to the patient
    Then that is refused as a state conflict naming invoice 1's kenmerk, and invoice 2 is
    unchanged; the same target again, its kenmerk typed with spaces, is a retry that
    answers with the match and books nothing more."""
    first, second = issued(1, 5_000, date(2026, 11, 2)), issued(2, 5_000, date(2026, 11, 3))
    ctx = the_back_office(first, second, amount_cents=2_000)
    match_credit(credit_id_of(SOURCE), MatchTarget(reference=first.reference), ctx)

    for other in (
        MatchTarget(reference=second.reference),
        MatchTarget(provider_id=PRACTICE.provider_id, patient_ref="P-17"),
    ):
        with pytest.raises(StateConflict, match="credit_already_matched") as refused:
            match_credit(credit_id_of(SOURCE), other, ctx)
        assert reference.grouped(first.reference) in refused.value.message_nl
    spaced = reference.grouped(first.reference)
    again = match_credit(credit_id_of(SOURCE), MatchTarget(reference=spaced), ctx)

    assert [(p.invoice_id, p.amount_cents) for p in again.match.parts] == [("inv-1", 2_000)]
    assert ctx.store.invoice("inv-1").balance_cents == 3_000
    assert ctx.store.invoice("inv-2") == second


def test_a_plan_stored_before_its_target_was_kept_is_completed_as_before():
    """A credit matched before the target was stored with its plan: any target completes
    that plan (a retry), as it did then; nothing is booked elsewhere."""
    first, second = issued(1, 5_000, date(2026, 11, 2)), issued(2, 5_000, date(2026, 11, 3))
    ctx = the_back_office(first, second, amount_cents=2_000)
    part = MatchPart(first.reference, first.invoice_id, 2_000)
    ctx.links.plan_credit_match(credit_id_of(SOURCE), CreditMatch(MATCHED_AT, "op", (part,)))

    match_credit(credit_id_of(SOURCE), MatchTarget(reference=second.reference), ctx)

    assert ctx.store.invoice("inv-1").balance_cents == 3_000
    assert ctx.store.invoice("inv-2") == second


def test_listing_the_unmatched_credits_is_an_audited_read_without_the_payers_details():
    """R32, NEN 7513 (audit security D4): the list shows payers' names and IBANs, so the
    operator's read is recorded: who, what kind, which credits, when; under no practice
    yet."""
    ctx = the_back_office(amount_cents=25_000)
    [listed] = unmatched_credits(ctx)[0]
    assert listed.counterparty_name == "J. Jansen"
    [read] = ctx.audit.records
    assert (read.provider_id, read.user_id, read.role, read.kind, read.subject, read.at) == (
        NO_PRACTICE_YET,
        "operator-sub-1",
        "operator",
        ReadKind.BANK_CREDITS,
        f"credit:{credit_id_of(SOURCE)}",
        MATCHED_AT,
    )


def test_a_credit_matched_to_a_kenmerk_is_booked_on_that_invoice():
    """Given a transfer of € 100,00 quoting a mistyped kenmerk, when an operator matches it
    to invoice 1's kenmerk, then that invoice is paid and the patient is told."""
    invoice = issued(1, 10_000, date(2026, 11, 2))
    ctx = the_back_office(invoice, amount_cents=10_000)

    match_credit(credit_id_of(SOURCE), MatchTarget(reference=invoice.reference), ctx)

    assert ctx.store.invoice("inv-1").balance_cents == 0
    assert ctx.delivery.kinds == ["payment_received"]


def test_a_match_needs_one_target_and_a_patient_with_invoices():
    """R34, R35 (words52c): a patient number the practice has no invoice for is refused
    saying how to find the invoice: check the practice and the number (its letters' case
    counts), or match the line to the invoice's kenmerk; before, it named no way."""
    ctx = the_back_office(issued(1, 10_000, date(2026, 11, 2)), amount_cents=10_000)
    with pytest.raises(Refused, match="match_target"):
        MatchTarget(reference="x", provider_id=PRACTICE.provider_id, patient_ref="P-17")
    nobody = MatchTarget(provider_id=PRACTICE.provider_id, patient_ref="P-99")
    with pytest.raises(Refused, match="no_invoice_for_patient") as refused:
        match_credit(credit_id_of(SOURCE), nobody, ctx)
    assert refused.value.message_nl == (
        "Deze praktijk heeft geen nota's voor dit patiëntnummer. Controleer de praktijk en het"
        " patiëntnummer (zoals op de nota, hoofdletters tellen), of koppel de regel aan het"
        " betalingskenmerk van de nota."
    )
    assert refused.value.message_en == (
        "This practice has no invoices for this patient number. Check the practice and the"
        " patient number (as on the invoice, the case of its letters counts), or match the"
        " line to the invoice's payment reference."
    )
    assert match_credit("no-such-credit", nobody, ctx) is None
    assert len(unmatched_credits(ctx)[0]) == 1


def test_a_wrong_stop_is_reversed_once_with_its_reason_and_reconciles_in_the_next_week():
    """Seed 003, R27: given an invoice of € 100,00 on which the practice stopped € 30,00
    by mistake in week 48
    When an operator corrects that entry (number 2) in week 49, and again
    Then the ledger keeps the stop and gets one reversing entry of + € 30,00 with the
    reason, € 100,00 is owed again, and the statement of week 49 shows exactly that
    reversal: its lines add up to the ledger's change in the week, to the cent."""
    invoice = issued(1, 10_000, date(2026, 11, 2))
    stopped_at = datetime(2026, 11, 25, 11, 0, tzinfo=AMSTERDAM)
    stop = LedgerEntry(EntryKind.STOP, Component.PRINCIPAL, -3_000, stopped_at, "provider:u:s-1")
    ctx = the_back_office(invoice.with_entry(stop), amount_cents=1)
    ctx.clock.set(datetime(2026, 12, 1, 9, 30, tzinfo=AMSTERDAM))

    corrected = correct_invoice_entry(invoice.reference, 2, "verkeerde nota gestopt", ctx)
    again = correct_invoice_entry(invoice.reference, 2, "nog eens", ctx)

    assert again == corrected and corrected.balance_cents == 10_000
    reversal = corrected.ledger[-1]
    assert (reversal.kind, reversal.amount_cents) == (EntryKind.STOP, 3_000)
    assert reversal.note == "correction of entry 2: verkeerde nota gestopt"
    week_49 = build_statement(PRACTICE, Week(2026, 49), [corrected])
    assert week_49.total(EntryKind.STOP) == 3_000
    assert sum(line.amount_cents for line in week_49.lines) == 3_000


def test_a_correction_whose_block_lost_its_race_says_saved_and_blocks_once_sent_again(
    monkeypatch,
):
    """R22, R28, R38 (refunds58): Given a claim of € 100,00 with the collection agency on
    which the practice stopped € 30,00 by mistake
    When an operator corrects that stop and the patient's block keeps changing past the
    store's retries
    Then the correction is refused as saved but unfinished (``SavedUnfinished``: the API's
    409 says to send it again with its key, not "nothing was saved"), the reversal saved;
    and sent again the stop is reversed once (€ 100,00 owed) and the patient is blocked."""
    invoice = replace(
        issued(1, 10_000, date(2026, 11, 2)), dunning_stage=DunningStage.WITH_COLLECTION_AGENCY
    )
    stopped_at = datetime(2026, 11, 25, 11, 0, tzinfo=AMSTERDAM)
    stop = LedgerEntry(EntryKind.STOP, Component.PRINCIPAL, -3_000, stopped_at, "provider:u:s-1")
    ctx = the_back_office(invoice.with_entry(stop), amount_cents=1)
    ctx.clock.set(datetime(2026, 12, 1, 9, 30, tzinfo=AMSTERDAM))

    def block_changed_meanwhile(*args, **kwargs):
        raise ConcurrentChange("block")

    monkeypatch.setattr(ctx.store, "block_patient", block_changed_meanwhile)
    with pytest.raises(SavedUnfinished):
        correct_invoice_entry(invoice.reference, 2, "verkeerde nota gestopt", ctx)
    assert ctx.store.invoice("inv-1").balance_cents == 10_000  # saved
    assert not is_blocked(ctx.store, invoice.provider_id, invoice.patient_ref)

    monkeypatch.undo()
    again = correct_invoice_entry(invoice.reference, 2, "verkeerde nota gestopt", ctx)

    assert again.balance_cents == 10_000
    assert [e.amount_cents for e in again.ledger if e.kind is EntryKind.STOP] == [-3_000, 3_000]
    assert is_blocked(ctx.store, invoice.provider_id, invoice.patient_ref)


def a_paid_down_coulance(**changes):
    """€ 100,00 sent, € 10,00 forgiven as coulance on 25 November, € 90,00 paid on
    1 December: settled; its final payment date, 23 December, passes."""
    invoice = replace(issued(1, 10_000, date(2026, 11, 2)), status=InvoiceStatus.SENT, **changes)
    forgiven_at = datetime(2026, 11, 25, 11, 0, tzinfo=AMSTERDAM)
    coulance = LedgerEntry(
        EntryKind.COULANCE, Component.PRINCIPAL, -1_000, forgiven_at, "provider:u:stop-1"
    )
    paid_at = datetime(2026, 12, 1, tzinfo=AMSTERDAM)
    return apply_payment(
        invoice.with_entry(coulance), IncomingPayment("bank", "B-1", 9_000, paid_at)
    )


CORRECTED_AT = datetime(2027, 1, 10, 9, 30, tzinfo=AMSTERDAM)


def test_a_corrected_coulance_gets_a_new_final_payment_date_and_the_patient_is_told_once():
    """R34, R21, legal-nl.md §7 and §2 (audit BACKOFFICE3): given a paid-down invoice
    whose coulance of € 10,00 was entered by mistake, its final payment date past
    When an operator corrects the coulance (entry 2) on 10 January, and again
    Then € 10,00 is owed, to be paid by 9 February (that day plus the practice's payment
    term of 30 days), and the patient is sent the corrected amount under the correction's
    own event, once."""
    invoice = a_paid_down_coulance()
    ctx = the_back_office(invoice, amount_cents=1)
    ctx.clock.set(CORRECTED_AT)

    corrected = correct_invoice_entry(invoice.reference, 2, "coulance bij de verkeerde", ctx)
    correct_invoice_entry(invoice.reference, 2, "nog eens", ctx)

    assert corrected.amount_due_cents == 1_000
    assert corrected.current_final_payment_date == date(2027, 2, 9)
    told = {(r.invoice_id, r.kind, r.event_id) for r in ctx.delivery.requests}
    assert told == {("inv-1", INVOICE_CORRECTED, "correction:2")}


@pytest.mark.parametrize(
    ("changes", "told"),
    [
        # At the agency: it collects the claim (R22); the dates are its business.
        ({"dunning_stage": DunningStage.WITH_COLLECTION_AGENCY}, False),
        # After the costs: the second notice's term stands (R19); the patient is told.
        (
            {"dunning_stage": DunningStage.COSTS_CHARGED, "costs_charged_on": date(2027, 1, 8)},
            True,
        ),
        # Before the final payment date: a later one still comes.
        ({"final_payment_date": date(2027, 3, 1)}, True),
    ],
)
def test_a_correction_keeps_the_final_payment_date_where_a_new_one_would_not_count(changes, told):
    """legal-nl.md §7 as changes/coulance applies it: a new date only before the costs,
    never an earlier one; at the agency the patient hears from the agency."""
    invoice = a_paid_down_coulance(**changes)
    ctx = the_back_office(invoice, amount_cents=1)
    ctx.clock.set(CORRECTED_AT)

    corrected = correct_invoice_entry(invoice.reference, 2, "coulance bij de verkeerde", ctx)

    assert corrected.final_payment_date == invoice.final_payment_date
    assert (ctx.delivery.kinds == [INVOICE_CORRECTED]) is told


def test_a_correction_reaches_a_patient_without_a_working_address_on_paper():
    """R7, R21: nothing is e-mailed to an address that bounced; the corrected amount and
    its date go on paper, as a stop's do (kinds.ON_PAPER_WITHOUT_EMAIL: the delivery
    queues the letter, or the practice's open action without an address)."""
    bounced = make_person().email.casefold()
    invoice = a_paid_down_coulance(bounced_emails=(bounced,))
    ctx = the_back_office(invoice, amount_cents=1)
    ctx.clock.set(CORRECTED_AT)

    corrected = correct_invoice_entry(invoice.reference, 2, "coulance bij de verkeerde", ctx)

    assert corrected.current_final_payment_date == date(2027, 2, 9)
    assert [(r.kind, r.event_id) for r in ctx.delivery.requests] == [
        (INVOICE_CORRECTED, "correction:2")
    ]


def test_only_a_stop_or_coulance_that_exists_can_be_corrected():
    invoice = issued(1, 10_000, date(2026, 11, 2))
    ctx = the_back_office(invoice, amount_cents=1)
    with pytest.raises(Refused, match="not_correctable"):
        correct_invoice_entry(invoice.reference, 1, "uitgifte", ctx)
    with pytest.raises(Refused, match="no_such_entry"):
        correct_invoice_entry(invoice.reference, 7, "bestaat niet", ctx)


# --- returned transfers (R12, R34) ------------------------------------------------------------

RETURN_SOURCE = f"{ACCOUNT}/ING-RETURN-1"


def a_return_nobody_traced(ctx: BackOfficeContext, amount_cents: int) -> str:
    """A return (DBIT) on the list: its original had no link (credit_id)."""
    ctx.links.keep_unmatched_credit(
        UnmatchedCredit(
            credit_id_of(RETURN_SOURCE), RETURN_SOURCE, "STMT-2", "ING-RETURN-1",
            date(2026, 11, 25), "DBIT", amount_cents, "EUR", "return_without_original",
        )
    )  # fmt: skip
    return credit_id_of(RETURN_SOURCE)


def paid_by_bank(invoice, *payments: tuple[str, int]):
    at = datetime.combine(BOOKED_ON, time(0), tzinfo=AMSTERDAM)
    for source_id, cents in payments:
        invoice = apply_payment(invoice, IncomingPayment("bank", source_id, cents, at))
    return invoice


def test_r12_a_credit_matched_by_hand_is_reversed_when_the_bank_returns_it():
    """R12 "returned transfers are reversed" (audit money D1, variant A): given a transfer
    of € 100,00 without a kenmerk (TxId TX-1) that an operator matched to invoice 1
    When the bank returns it (MD06), repeating its TxId
    Then the import traces the return to the matched credit and reverses it: € 100,00 is
    due again."""
    invoice = issued(1, 10_000, date(2026, 11, 2))
    ctx = the_back_office(invoice, amount_cents=10_000, transfer_ids=("TX-1",))
    match_credit(credit_id_of(SOURCE), MatchTarget(reference=invoice.reference), ctx)
    importing = BankImportContext(ctx.store, FilesInMemory(), ctx.links, ctx.clock)

    returned = debit(10_000, return_reason="MD06", tx_id="TX-1")
    report = import_statement(statement(returned), "camt053/2026-11-26.xml", importing)

    assert (len(report.reversed), report.unmatched) == (1, [])
    assert ctx.store.invoice("inv-1").balance_cents == 10_000


def test_r12_r34_an_operator_books_a_return_nobody_traced_as_the_reversal_of_a_payment():
    """R12, R34 "a reversal of a payment that had unblocked a patient blocks again": given
    an invoice with the agency, paid by a bank transfer the bank returned without
    anything the import could trace it by
    When an operator matches the return to the invoice's kenmerk, and again (a retry)
    Then the payment is reversed once, as the import reverses a traced return: € 100,00
    due again, the patient blocked again, and the return leaves the list."""
    invoice = issued(1, 10_000, date(2026, 11, 2))
    with_agency = paid_by_bank(
        replace(invoice, dunning_stage=DunningStage.WITH_COLLECTION_AGENCY), (SOURCE, 10_000)
    )
    ctx = the_back_office(with_agency, amount_cents=10_000)
    return_id = a_return_nobody_traced(ctx, 10_000)
    to_invoice = MatchTarget(reference=invoice.reference)

    matched = match_credit(return_id, to_invoice, ctx)
    match_credit(return_id, to_invoice, ctx)

    reversed_ = ctx.store.invoice("inv-1")
    assert reversed_.balance_cents == 10_000
    assert [e.note for e in reversed_.ledger if e.kind is EntryKind.REVERSAL] == [
        f"reverses bank:{SOURCE}"
    ]
    assert matched.match.parts[0].reverses == SOURCE
    assert is_blocked(ctx.store, invoice.provider_id, invoice.patient_ref)
    assert [c.credit_id for c in unmatched_credits(ctx)[0]] == [credit_id_of(SOURCE)]


def test_r12_r34_a_return_of_a_shared_end_to_end_id_is_booked_on_the_invoice_an_operator_names():
    """R12, R34 (audit59b): Given invoices 1 and 2 of € 100,00 each paid by a transfer
    with EndToEndId KLANT-77 (TxIds TX-1, TX-2), and the bank's return of € 100,00 with
    its own TxId and KLANT-77, which the import listed as return_transfer_id_shared
    When an operator matches the return to invoice 2
    Then invoice 2's payment is reversed (€ 100,00 due again) and invoice 1 stays paid."""
    first, second = issued(1, 10_000, date(2026, 11, 2)), issued(2, 10_000, date(2026, 11, 2))
    ctx = the_back_office(first, second, amount_cents=1)
    importing = BankImportContext(ctx.store, FilesInMemory(), ctx.links, ctx.clock)
    paid = [
        credit(10_000, scor=invoice.reference, tx_id=f"TX-{n}", end_to_end_id="KLANT-77")
        for n, invoice in enumerate((first, second), 1)
    ]
    import_statement(statement(*paid), "camt053/2026-11-24.xml", importing)
    returned = debit(
        10_000, reference="ING-R", return_reason="MD06", tx_id="TX-R", end_to_end_id="KLANT-77"
    )
    report = import_statement(statement(returned), "camt053/2026-11-25.xml", importing)
    [listed] = report.unmatched
    assert listed.reason == "return_transfer_id_shared"

    match_credit(credit_id_of(listed.source_id), MatchTarget(reference=second.reference), ctx)

    assert [ctx.store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [0, 10_000]


@pytest.mark.parametrize(
    ("returned", "reversed_payment"),
    [
        (3_000, "ING-1"),  # the one of exactly its amount, though older
        (4_000, "ING-2"),  # none of its amount: the latest with enough left
    ],
)
def test_r12_a_return_reverses_a_payment_of_its_amount_first(returned, reversed_payment):
    invoice = paid_by_bank(issued(1, 10_000, date(2026, 11, 2)), ("ING-1", 3_000), ("ING-2", 5_000))
    ctx = the_back_office(invoice, amount_cents=1)

    matched = match_credit(
        a_return_nobody_traced(ctx, returned), MatchTarget(reference=invoice.reference), ctx
    )

    assert matched.match.parts[0].reverses == reversed_payment
    assert ctx.store.invoice("inv-1").balance_cents == 2_000 + returned


@pytest.mark.parametrize(
    ("payments", "target", "code"),
    [
        ((), "kenmerk", "no_payment_to_reverse"),  # nothing paid by bank on it
        ((("ING-1", 3_000), ("ING-2", 3_000)), "kenmerk", "no_payment_to_reverse"),  # none 5k
        ((("ING-1", 5_000),), "patient", "return_needs_kenmerk"),
    ],
)
def test_a_return_is_refused_without_a_bank_payment_of_its_amount_on_the_invoice(
    payments, target, code
):
    """R12: a return of € 50,00 is booked only on an invoice the operator names, with a
    bank payment of at least € 50,00 left on it; otherwise nothing is booked and the
    return stays on the list."""
    invoice = paid_by_bank(issued(1, 10_000, date(2026, 11, 2)), *payments)
    ctx = the_back_office(invoice, amount_cents=1)
    return_id = a_return_nobody_traced(ctx, 5_000)
    by = {
        "kenmerk": MatchTarget(reference=invoice.reference),
        "patient": MatchTarget(provider_id=PRACTICE.provider_id, patient_ref="P-17"),
    }

    with pytest.raises(Refused, match=code) as refused:
        match_credit(return_id, by[target], ctx)

    if code == "no_payment_to_reverse":  # R35 (words53): says where to match it instead
        assert refused.value.message_nl == (
            "Op deze nota staat geen overboeking van ten minste dit bedrag die nog niet is"
            " teruggeboekt. Controleer het betalingskenmerk: koppel de terugboeking aan de nota"
            " waarop de overboeking geboekt is."
        )
        assert refused.value.message_en == (
            "This invoice holds no bank transfer of at least this amount that was not returned"
            " yet. Check the payment reference: match the return to the invoice the transfer"
            " was booked on."
        )
    assert ctx.store.invoice("inv-1") == invoice
    assert return_id in [c.credit_id for c in unmatched_credits(ctx)[0]]


def test_a_return_whose_payment_another_return_reversed_meanwhile_stays_listed():
    """R12, R34 (this stop's audit of money5: a return matched as the bank import traces
    another). Given an invoice paid € 100,00 by bank transfer, and a return of € 100,00
    nobody could trace on the list
    When an operator matches the return to the invoice, and the bank import reverses the
    same payment for a return it traced between the operator's check and the booking
    Then the match is refused (422 no_payment_to_reverse), nothing more is reversed, and
    the return is on the list again, unmatched, for a person (before: planned to the
    invoice with nothing booked, off the list, and every retry refused); a retry asks
    again as the invoice is now: refused before a plan, still listed."""
    invoice = paid_by_bank(issued(1, 10_000, date(2026, 11, 2)), (SOURCE, 10_000))
    ctx = the_back_office(invoice, amount_cents=10_000)
    return_id = a_return_nobody_traced(ctx, 10_000)
    links = ctx.links
    plan = links.plan_credit_match

    def the_import_traces_another_return_first(credit_id, match):
        links.plan_credit_match = plan
        traced = f"{ACCOUNT}/ING-RETURN-TRACED"
        book_reversal(ctx.store, invoice.reference, SOURCE, traced, 10_000, clock=ctx.clock)
        return plan(credit_id, match)

    links.plan_credit_match = the_import_traces_another_return_first
    to_invoice = MatchTarget(reference=invoice.reference)

    with pytest.raises(Refused, match="no_payment_to_reverse"):
        match_credit(return_id, to_invoice, ctx)

    assert ctx.store.invoice("inv-1").balance_cents == 10_000  # reversed once, by the import
    [listed] = [c for c in unmatched_credits(ctx)[0] if c.credit_id == return_id]
    assert listed.match is None
    with pytest.raises(Refused, match="no_payment_to_reverse"):
        match_credit(return_id, to_invoice, ctx)
    assert ctx.links.get_unmatched_credit(return_id).match is None


def test_r28_r34_a_plan_booked_between_the_read_and_the_withdrawal_is_kept():
    """R28, R34 (audit money8: the withdrawal of a refused plan read, then wrote).
    Given a return nobody traced, matched to an invoice whose bank payment the import
    reverses between the operator's check and the booking (refused: no_payment_to_reverse)
    When another request books the plan's part between the withdrawal's read of the
    invoice (nothing booked) and its write
    Then the plan is kept (conditional on the invoice as read): the return is not listed
    again to be booked a second time; before, the plan went on the stale read."""
    invoice = paid_by_bank(issued(1, 10_000, date(2026, 11, 2)), (SOURCE, 10_000))
    ctx = the_back_office(invoice, amount_cents=10_000)
    return_id = a_return_nobody_traced(ctx, 10_000)
    links = ctx.links
    plan, withdraw = links.plan_credit_match, links.withdraw_credit_match
    booked_as = payment_id("bank", links.get_unmatched_credit(return_id).source_id)

    def the_import_traces_another_return_first(credit_id, match):
        links.plan_credit_match = plan
        traced = f"{ACCOUNT}/ING-RETURN-TRACED"
        book_reversal(ctx.store, invoice.reference, SOURCE, traced, 10_000, clock=ctx.clock)
        return plan(credit_id, match)

    def another_request_books_the_plan_first(*args):
        read = ctx.store.invoice("inv-1")
        ctx.store.save_invoice(read.with_applied_payment(booked_as))
        return withdraw(*args)

    links.plan_credit_match = the_import_traces_another_return_first
    links.withdraw_credit_match = another_request_books_the_plan_first

    with pytest.raises(Refused, match="no_payment_to_reverse"):
        match_credit(return_id, MatchTarget(reference=invoice.reference), ctx)

    assert links.get_unmatched_credit(return_id).match is not None
    assert return_id not in [c.credit_id for c in unmatched_credits(ctx)[0]]


def test_a_claim_the_agency_settles_while_a_return_blocks_again_leaves_the_patient_free():
    """R22, R34 "a reversal of a payment that had unblocked a patient blocks again" (this
    stop's audit of money5). Given a claim at the agency paid by a bank transfer, the
    patient free, and a return of that transfer nobody traced
    When an operator matches the return to the claim, and the agency's report settles the
    claim (paid in full, the claim closed) between the reversal's save and the block
    Then the patient is not blocked: the claim owes nothing (before: blocked by a claim
    closed paid, and nothing left to release them)."""
    invoice = issued(1, 10_000, date(2026, 11, 2))
    at_agency = replace(
        invoice,
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=date(2026, 11, 20),
    )
    ctx = the_back_office(paid_by_bank(at_agency, (SOURCE, 10_000)), amount_cents=10_000)
    return_id = a_return_nobody_traced(ctx, 10_000)
    store = ctx.store
    block = store.block_patient

    def the_agency_reports_it_paid_first(*args, **kwargs):
        store.block_patient = block
        report = CollectionReportContext(
            store, FilesInMemory(), ctx.clock, interest=lambda invoice, day: 0
        )
        row = f"{invoice.reference};CMIB-9;paid;10000;2026-11-25"
        import_collection_report(f"{REPORT_HEADER}\n{row}\n".encode(), "report.csv", report)
        return block(*args, **kwargs)

    store.block_patient = the_agency_reports_it_paid_first

    match_credit(return_id, MatchTarget(reference=invoice.reference), ctx)

    claim = store.invoice("inv-1")
    assert (claim.amount_due_cents, claim.is_paid) == (0, True)
    assert not is_blocked(store, claim.provider_id, claim.patient_ref)


def two_childrens_invoices():
    """A parent's two children, each with an invoice: € 51,30 and € 17,61."""
    first = replace(issued(1, 5_130, date(2026, 11, 2)), patient_ref="P-17")
    second = replace(issued(2, 1_761, date(2026, 11, 2)), patient_ref="P-18")
    return first, second


def import_transfer(ctx: BackOfficeContext, amount_cents: int, text: str, tx_id="TX-2K"):
    """The transfer's import; ``tx_id`` None: a transfer without TxId (or EndToEndId)."""
    importing = BankImportContext(ctx.store, FilesInMemory(), ctx.links, ctx.clock)
    transfer = credit(amount_cents, reference="ING-2K", ustrd=(text,), tx_id=tx_id)
    return importing, statement(transfer)


def test_r12_a_transfer_quoting_two_kenmerken_pays_each_what_it_owed():
    """legal-nl.md §5 (art. 6:43: the payer's designation decides), R12, R13 (audit
    payments-in PAYIN3): given two children's invoices of € 51,30 and € 17,61
    When the parent's transfer of € 68,91 quoting both kenmerken is imported, and again
    Then each invoice is paid what it owed (no credit left on either), each part once."""
    first, second = two_childrens_invoices()
    ctx = the_back_office(first, second, amount_cents=1)
    text = f"nota {first.reference} en {reference.grouped(second.reference)}"
    importing, xml = import_transfer(ctx, 6_891, text)

    report = import_statement(xml, "camt053/2026-11-24.xml", importing)
    again = import_statement(xml, "camt053/again.xml", importing)

    assert [(line.invoice_id, line.amount_cents) for line in report.booked] == [
        ("inv-1", 5_130),
        ("inv-2", 1_761),
    ]
    assert (report.unmatched, again.booked, again.duplicates) == ([], [], 2)
    assert [ctx.store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [0, 0]


def test_r12_r13_a_split_transfer_read_after_a_later_online_payment_pays_each_as_on_its_day():
    """legal-nl.md §2 "the payment date decides", §5, R12, R13 (brief refund51 item 3):
    given the parent's EUR 68,91 credited on 24 November quoting both children's kenmerken,
    and the second child's EUR 17,61 paid online on 25 November, booked first
    When the bank statement of the 24th is read on the 26th
    Then the transfer is booked as designated, each invoice what it owed on the 24th
    (EUR 51,30 and EUR 17,61), nothing listed; the later online payment is the second
    child's credit, to be refunded (before: what the second invoice owed was read as
    of today, EUR 0,00, and the whole transfer was listed for a person as
    several_kenmerken)."""
    first, second = two_childrens_invoices()
    ctx = the_back_office(first, second, amount_cents=1)
    online = IncomingPayment(
        "psp", "tr_child2", 1_761, datetime(2026, 11, 25, 20, tzinfo=AMSTERDAM)
    )
    book_payment(ctx.store, second.reference, online, clock=ctx.clock)
    importing, xml = import_transfer(ctx, 6_891, f"nota {first.reference} en {second.reference}")

    report = import_statement(xml, "camt053/2026-11-24.xml", importing)

    assert [(line.invoice_id, line.amount_cents) for line in report.booked] == [
        ("inv-1", 5_130),
        ("inv-2", 1_761),
    ]
    assert report.unmatched == []
    assert [c.source_id for c in ctx.links.unmatched_credits()] == [SOURCE]  # the fixture's
    paid = [ctx.store.invoice(i) for i in ("inv-1", "inv-2")]
    assert [(i.balance_cents, i.credit_cents) for i in paid] == [(0, 0), (-1_761, 1_761)]
    credit = [e for e in paid[1].ledger if e.note == "credit"]
    assert {e.cause for e in credit} == {"psp:tr_child2"}  # the later payment's


@pytest.mark.parametrize("tx_id", ["TX-2K", None], ids=["with its TxId", "without any id"])
def test_r12_r3_a_split_transfer_retried_after_its_second_invoice_changed_books_both_parts(
    tx_id,
):
    """legal-nl.md §5, R12, R3, R28 (audit bank50, the split-credit race; audit money50:
    a transfer without a TxId or EndToEndId too): given the parent's EUR 68,91 quoting
    both children's kenmerken, imported by an upload whose run died as it saved the second part (a crash, or another writer winning each of its
    attempts) after booking EUR 51,30 on the first child's invoice
    When the second child pays EUR 10,00 of its invoice online, and Lambda retries the run
    Then the retry books the second part as designated (EUR 17,61, EUR 10,00 of it the
    second child's credit), counts 2 booked, lists nothing: EUR 68,91 booked for EUR 68,91
    received (before: the retry found the parts no longer fit, listed the whole credit as
    several_kenmerken beside the part booked, and an operator's match of that line booked
    EUR 120,21; without any id, before money50: its parts had no link, and the retry
    listed it so)."""
    first, second = two_childrens_invoices()
    ctx = the_back_office(first, second, amount_cents=1)
    text = f"nota {first.reference} en {second.reference}"
    importing, xml = import_transfer(ctx, 6_891, text, tx_id=tx_id)
    files = importing.files
    key = "camt053/2026-11-24.xml"
    run = replace(importing, checkpoint_key=checkpoint_key(key, "v1"), checkpoints=files)
    store = _killed_saving_the_second_part(ctx, xml, key, run)
    assert [store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [0, 1_761]
    online = IncomingPayment(
        "psp", "tr_child2", 1_000, datetime(2026, 11, 25, 20, tzinfo=AMSTERDAM)
    )
    book_payment(store, second.reference, online, clock=ctx.clock)

    retried = import_statement(xml, key, run)

    assert [(line.invoice_id, line.amount_cents) for line in retried.booked] == [
        ("inv-1", 5_130),
        ("inv-2", 1_761),
    ]
    assert (retried.duplicates, retried.unmatched) == (0, [])
    assert [c.source_id for c in ctx.links.unmatched_credits()] == [SOURCE]  # the fixture's
    assert [store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [0, -1_000]


def test_r12_a_payers_end_to_end_id_spelled_as_a_split_transfers_link_finds_nothing():
    """R12 "returned transfers are reversed" (brief refund51 item 4): given the parent's
    EUR 68,91 quoting both children's kenmerken, without TxId or EndToEndId (its parts kept
    under "entry:ING-SPLIT"), and another payer's EUR 68,91 for a third invoice whose
    EndToEndId reads "entry:ING-SPLIT"
    When the bank returns that other payment, repeating its EndToEndId, quoting no kenmerk
    Then the children's invoices stay paid and the return is listed for a person (before:
    it found the split transfer's link and undid both children's parts, EUR 68,91 owed
    again for money that stayed, while the returned payment stayed booked as credit)."""
    first, second = two_childrens_invoices()
    third = replace(issued(3, 2_000, date(2026, 11, 2)), patient_ref="P-19")
    ctx = the_back_office(first, second, third, amount_cents=1)
    importing = BankImportContext(ctx.store, FilesInMemory(), ctx.links, ctx.clock)
    text = f"nota {first.reference} en {second.reference}"
    split = credit(6_891, reference="ING-SPLIT", ustrd=(text,))
    import_statement(statement(split), "camt053/a.xml", importing)
    link = "entry:ING-SPLIT"
    other = credit(6_891, reference="ING-ODD", ustrd=(third.reference,), end_to_end_id=link)
    import_statement(statement(other, statement_id="B"), "camt053/b.xml", importing)
    owed = [ctx.store.invoice(i).balance_cents for i in ("inv-1", "inv-2", "inv-3")]
    assert owed == [0, 0, -4_891]

    back = debit(6_891, return_reason="AC04", end_to_end_id=link)
    report = import_statement(statement(back, statement_id="C"), "camt053/c.xml", importing)

    assert report.reversed == []
    assert [(line.reason, line.amount_cents) for line in report.unmatched] == [
        ("return_without_original", 6_891)
    ]
    assert [ctx.store.invoice(i).balance_cents for i in ("inv-1", "inv-2", "inv-3")] == owed


def test_r12_r34_the_return_of_a_split_transfer_listed_before_its_retry_is_matched_whole():
    """R12 "returned transfers are reversed", R34, R3 (audit money50; bank50's note): given
    the parent's EUR 68,91 (TxId TX-2K) quoting both children's kenmerken, its upload's
    run stopped after booking EUR 51,30 on the first child's invoice, and the bank's
    return of it imported before Lambda retried that run: listed return_not_bookable
    (the second part was not booked to undo), then the retry booked EUR 17,61
    When an operator matches the listed return to the first child's kenmerk
    Then both parts are undone: each invoice owes what it owed, no bank money left
    booked for a transfer that went back, the return off the list, and the return's
    statement read again is all duplicates (before: 422 no_payment_to_reverse on either
    kenmerk, EUR 68,91 booked for money returned)."""
    first, second = two_childrens_invoices()
    ctx = the_back_office(first, second, amount_cents=1)
    importing, xml = import_transfer(ctx, 6_891, f"nota {first.reference} en {second.reference}")
    key = "camt053/2026-11-24.xml"
    run = replace(importing, checkpoint_key=checkpoint_key(key, "v1"), checkpoints=importing.files)
    store = _killed_saving_the_second_part(ctx, xml, key, run)
    returned = statement(debit(6_891, return_reason="MD06", tx_id="TX-2K"), statement_id="B")
    [listed] = import_statement(returned, "camt053/2026-11-27.xml", importing).unmatched
    assert listed.reason == "return_not_bookable"
    import_statement(xml, key, run)  # Lambda's retry
    assert [store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [0, 0]

    match_credit(credit_id_of(listed.source_id), MatchTarget(reference=first.reference), ctx)

    assert [store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [5_130, 1_761]
    assert [c.source_id for c in ctx.links.unmatched_credits()] == [SOURCE]  # the fixture's
    again = import_statement(returned, "camt053/2026-11-27-again.xml", importing)
    assert (again.reversed, again.duplicates, again.unmatched) == ([], 2, [])


SPLIT_SOURCE = f"{ACCOUNT}/ING-2K"


def a_split_transfer_listed_with_its_first_part_booked():
    """The parent's EUR 68,91 quoting both children's kenmerken (TxId TX-2K): EUR 51,30 of
    it booked on the first child's invoice under the transfer's own id, and the whole
    transfer listed as several_kenmerken. An import that stopped between the parts and
    whose retry found them no longer adding up leaves this: an older version's (the link
    was written after the last part), or one of a transfer without a TxId or EndToEndId."""
    first, second = two_childrens_invoices()
    ctx = the_back_office(first, second, amount_cents=1)
    on_the_day = datetime.combine(BOOKED_ON, time(0), tzinfo=AMSTERDAM)
    part = IncomingPayment("bank", SPLIT_SOURCE, 5_130, on_the_day)
    book_payment(ctx.store, first.reference, part, clock=ctx.clock)
    ctx.links.keep_unmatched_credit(
        UnmatchedCredit(
            credit_id_of(SPLIT_SOURCE), SPLIT_SOURCE, "STMT-1", "ING-2K", BOOKED_ON, "CRDT",
            6_891, "EUR", "several_kenmerken", kenmerk=f"{first.reference}, {second.reference}",
            transfer_ids=("TX-2K",), transaction_id="TX-2K",
        )
    )  # fmt: skip
    return ctx, first, second


@pytest.mark.parametrize("target", ["both kenmerken", "the second's", "the second patient"])
def test_r12_r34_a_listed_credit_with_a_part_booked_books_only_the_rest(target):
    """R12, R34 "matched once", R3, legal-nl.md §5 (audit money50): given the parent's
    EUR 68,91 listed as several_kenmerken while EUR 51,30 of it is booked on the first
    child's invoice under the transfer's own id
    When an operator matches the line to both kenmerken, to the second child's, or to the
    second child's patient number
    Then the part booked stays as it is and only the rest, EUR 17,61, is booked on the
    second child's invoice: EUR 68,91 booked for EUR 68,91 received (before: the whole
    EUR 68,91 went to the second invoice as well, EUR 120,21 booked); and the bank's
    return of the transfer reverses both parts."""
    ctx, first, second = a_split_transfer_listed_with_its_first_part_booked()
    asked = {
        "both kenmerken": MatchTarget(references=(first.reference, second.reference)),
        "the second's": MatchTarget(reference=second.reference),
        "the second patient": MatchTarget(provider_id=PRACTICE.provider_id, patient_ref="P-18"),
    }[target]

    matched = match_credit(credit_id_of(SPLIT_SOURCE), asked, ctx)

    assert matched is not None and matched.match is not None
    assert [(p.invoice_id, p.amount_cents) for p in matched.match.parts] == [
        ("inv-1", 5_130),
        ("inv-2", 1_761),
    ]
    assert [ctx.store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [0, 0]
    assert [c.source_id for c in ctx.links.unmatched_credits()] == [SOURCE]  # the fixture's
    importing = BankImportContext(ctx.store, FilesInMemory(), ctx.links, ctx.clock)
    returned = statement(debit(6_891, return_reason="MD06", tx_id="TX-2K"), statement_id="B")
    report = import_statement(returned, "camt053/2026-11-27.xml", importing)
    assert (len(report.reversed), report.unmatched) == (2, [])
    assert [ctx.store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [5_130, 1_761]


def test_r34_a_listed_credit_with_a_part_booked_is_refused_on_that_invoice_alone():
    """R34, R12 (audit money50): given the parent's EUR 68,91 listed while EUR 51,30 of
    it is booked on the first child's invoice under the transfer's own id
    When an operator matches the line to the first child's kenmerk only
    Then it is refused (409 credit_partly_booked) naming that kenmerk, what is booked and
    what is left, in Dutch and English; nothing is booked and the line stays listed
    (before: matched, EUR 17,61 of the transfer on no invoice and off the list)."""
    ctx, first, _ = a_split_transfer_listed_with_its_first_part_booked()

    with pytest.raises(StateConflict, match="credit_partly_booked") as refused:
        match_credit(credit_id_of(SPLIT_SOURCE), MatchTarget(reference=first.reference), ctx)

    kenmerk = reference.grouped(first.reference)
    assert all(said in refused.value.message_nl for said in (kenmerk, "51,30", "17,61"))
    assert all(said in refused.value.message_en for said in (kenmerk, "51.30", "17.61"))
    assert [ctx.store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [0, 1_761]
    assert credit_id_of(SPLIT_SOURCE) in {c.credit_id for c in ctx.links.unmatched_credits()}


def test_r12_r34_a_listed_credit_with_a_part_booked_is_listed_again_when_its_rest_is_refused():
    """R12, R34 "matched once, never lost" (brief refund51 item 2): given the parent's
    EUR 68,91 listed while EUR 51,30 of it is booked on the first child's invoice under
    the transfer's own id, and the second child's invoice a claim the agency reported paid
    (EUR 17,61 awaited from it)
    When an operator matches the line to the second child's kenmerk, and the bank import
    books EUR 10,00 of the agency's own transfer on that claim between the operator's
    check and the booking (EUR 7,61 left awaited)
    Then the match is refused (422 remittance_exceeds_..., nothing more booked) and the
    line is listed again, unmatched, the EUR 51,30 still booked once (before: the plan was
    kept for its earlier part, EUR 17,61 on no invoice and off the list, a retry refused
    and any other target refused as credit_already_matched). A match of it then keeps
    the part booked (credit_partly_booked on the first child's invoice alone)."""
    ctx, first, second = a_split_transfer_listed_with_its_first_part_booked()
    store = ctx.store
    at_agency = replace(
        store.invoice("inv-2"),
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=date(2026, 11, 10),
    )
    store.save_invoice(at_agency)
    report = CollectionReportContext(store, FilesInMemory(), ctx.clock, interest=lambda i, d: 0)
    row = f"{second.reference};CMIB-9;paid;1761;2026-11-20"
    import_collection_report(f"{REPORT_HEADER}\n{row}\n".encode(), "report.csv", report)
    links = ctx.links
    plan = links.plan_credit_match

    def the_import_books_the_agencys_transfer_first(credit_id, match):
        links.plan_credit_match = plan
        on_the_day = datetime.combine(BOOKED_ON, time(0), tzinfo=AMSTERDAM)
        agencys = IncomingPayment("bank", f"{ACCOUNT}/CMIB-T1", 1_000, on_the_day)
        book_payment(store, second.reference, agencys, clock=ctx.clock)
        return plan(credit_id, match)

    links.plan_credit_match = the_import_books_the_agencys_transfer_first
    credit_id = credit_id_of(SPLIT_SOURCE)
    ledgers = [store.invoice(i).ledger for i in ("inv-1", "inv-2")]

    with pytest.raises(Refused, match="remittance_exceeds_agency_collection"):
        match_credit(credit_id, MatchTarget(reference=second.reference), ctx)

    assert links.get_unmatched_credit(credit_id).match is None
    assert credit_id in {c.credit_id for c in unmatched_credits(ctx)[0]}
    assert store.invoice("inv-1").ledger == ledgers[0]
    booked_as = payment_id("bank", SPLIT_SOURCE)
    assert [e for e in store.invoice("inv-2").ledger if e.cause == booked_as] == []
    assert len(store.invoice("inv-2").ledger) > len(ledgers[1])  # the agency's transfer
    with pytest.raises(StateConflict, match="credit_partly_booked"):
        match_credit(credit_id, MatchTarget(reference=first.reference), ctx)
    assert store.invoice("inv-1").ledger == ledgers[0]


@pytest.mark.parametrize("amount_cents", [6_890, 7_000])
def test_r34_a_transfer_quoting_two_kenmerken_of_another_amount_is_split_by_an_operator(
    amount_cents,
):
    """legal-nl.md §5, R34 (PAYIN3): given a transfer quoting both children's kenmerken
    that is not exactly what they owed together
    When it is imported
    Then it is listed as several_kenmerken naming both (not no_reference), and an
    operator's match with both references splits it in the order given: the first gets
    what it owes, the second the rest (what is over stays as its credit)."""
    first, second = two_childrens_invoices()
    ctx = the_back_office(first, second, amount_cents=1)
    importing, xml = import_transfer(ctx, amount_cents, f"{second.reference} {first.reference}")

    report = import_statement(xml, "camt053/2026-11-24.xml", importing)

    [line] = report.unmatched
    assert (line.reason, line.kenmerk) == (
        "several_kenmerken",
        f"{second.reference}, {first.reference}",
    )
    both = MatchTarget(references=(reference.grouped(second.reference), first.reference))
    matched = match_credit(credit_id_of(line.source_id), both, ctx)
    assert [(p.invoice_id, p.amount_cents) for p in matched.match.parts] == [
        ("inv-2", 1_761),
        ("inv-1", amount_cents - 1_761),
    ]
    assert ctx.store.invoice("inv-1").balance_cents == 6_891 - amount_cents
    assert ctx.store.invoice("inv-2").balance_cents == 0


def test_a_match_takes_one_kind_of_target():
    with pytest.raises(Refused, match="match_target"):
        MatchTarget(reference="x", references=("y", "z"))


# --- the return of a credit split over several invoices (R12, R34) ----------------------------


def test_r12_r34_the_return_of_a_transfer_booked_on_two_kenmerken_reverses_both_parts():
    """R12 "returned transfers are reversed", R34 "a reversal of a payment that had
    unblocked a patient blocks again", legal-nl.md §5: given the first child's invoice at
    the collection agency (its patient blocked) and the parent's transfer of € 68,91
    (TxId TX-2K) quoting both children's kenmerken, booked € 51,30 and € 17,61 by the
    import (statement A), which unblocked the patient
    When statement B has the bank returning TX-2K (MD06), and B is read again
    Then both parts are reversed by the import, nothing for a person: each invoice owes
    what it owed before, the first child's patient is blocked again, and the second read
    of B is all duplicates."""
    first, second = two_childrens_invoices()
    first = replace(first, dunning_stage=DunningStage.WITH_COLLECTION_AGENCY)
    ctx = the_back_office(first, second, amount_cents=1)
    ctx.store.block_patient(first.provider_id, "P-17", first.invoice_id, MATCHED_AT)
    importing, xml = import_transfer(ctx, 6_891, f"nota {first.reference} {second.reference}")
    import_statement(xml, "camt053/2026-11-24.xml", importing)
    assert not is_blocked(ctx.store, first.provider_id, "P-17")

    returned = statement(debit(6_891, return_reason="MD06", tx_id="TX-2K"), statement_id="B")
    report = import_statement(returned, "camt053/2026-11-25.xml", importing)
    again = import_statement(returned, "camt053/2026-11-25-again.xml", importing)

    assert [(line.invoice_id, line.amount_cents) for line in report.reversed] == [
        ("inv-1", 5_130),
        ("inv-2", 1_761),
    ]
    assert report.unmatched == []
    assert [ctx.store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [5_130, 1_761]
    assert is_blocked(ctx.store, first.provider_id, "P-17")
    assert (again.reversed, again.duplicates, again.unmatched) == ([], 2, [])


@pytest.mark.parametrize(
    "target",
    [
        MatchTarget(references=("placeholder",)),  # both kenmerken, in the payer's order
        MatchTarget(provider_id=PRACTICE.provider_id, patient_ref="P-17"),  # the patient's
    ],
    ids=["references", "patient"],
)
def test_r12_r34_the_return_of_a_credit_an_operator_split_over_two_invoices_reverses_both(
    target,
):
    """R12, R34, legal-nl.md §5: given a transfer of € 180,00 without a kenmerk (TxId
    TX-1) that an operator split over a patient's two invoices (€ 100,00 and € 80,00),
    by their kenmerken or by the patient
    When the bank returns it (MD06), repeating its TxId
    Then the import traces the return to both parts and reverses each: both invoices owe
    their amounts again, and nothing is left for a person."""
    older, newer = issued(1, 10_000, date(2026, 11, 2)), issued(2, 8_000, date(2026, 11, 9))
    ctx = the_back_office(older, newer, amount_cents=18_000, transfer_ids=("TX-1",))
    if target.references:
        target = MatchTarget(references=(older.reference, newer.reference))
    matched = match_credit(credit_id_of(SOURCE), target, ctx)
    assert [(p.invoice_id, p.amount_cents) for p in matched.match.parts] == [
        ("inv-1", 10_000),
        ("inv-2", 8_000),
    ]
    importing = BankImportContext(ctx.store, FilesInMemory(), ctx.links, ctx.clock)

    returned = debit(18_000, return_reason="MD06", tx_id="TX-1")
    report = import_statement(statement(returned), "camt053/2026-11-26.xml", importing)

    assert (len(report.reversed), report.unmatched) == (2, [])
    assert [ctx.store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [10_000, 8_000]


@pytest.mark.parametrize("returned_cents", [5_000, 7_000])
def test_r12_a_return_of_a_split_credit_that_is_not_its_whole_amount_is_left_to_a_person(
    returned_cents,
):
    """R12: given the parent's € 68,91 booked on both children's invoices
    When the bank returns part of it, or more
    Then which part came back is not ours to guess: nothing is reversed, and the return is
    listed for a person (return_not_bookable, naming both kenmerken)."""
    first, second = two_childrens_invoices()
    ctx = the_back_office(first, second, amount_cents=1)
    importing, xml = import_transfer(ctx, 6_891, f"{first.reference} {second.reference}")
    import_statement(xml, "camt053/2026-11-24.xml", importing)

    returned = debit(returned_cents, return_reason="MD06", tx_id="TX-2K")
    report = import_statement(statement(returned), "camt053/2026-11-25.xml", importing)

    [line] = report.unmatched
    assert (line.reason, line.kenmerk) == (
        "return_not_bookable",
        f"{first.reference}, {second.reference}",
    )
    assert [ctx.store.invoice(i).balance_cents for i in ("inv-1", "inv-2")] == [0, 0]


def test_r12_the_return_of_a_split_credit_reads_each_invoice_once():
    """R12, R34 (known.md stop 38, closing17 "seen in the last read"): given the parent's
    € 68,91 booked on both children's invoices
    When the bank returns it whole
    Then each part's invoice is read once: the check that every part can be undone reads
    it, and the reversal is booked on what the check read (it was read again to book)."""
    first, second = two_childrens_invoices()
    ctx = the_back_office(first, second, amount_cents=1)
    importing, xml = import_transfer(ctx, 6_891, f"{first.reference} {second.reference}")
    import_statement(xml, "camt053/2026-11-24.xml", importing)
    store = ctx.store
    assert isinstance(store, FakeStore)
    store.calls.clear()

    returned = debit(6_891, return_reason="MD06", tx_id="TX-2K")
    report = import_statement(statement(returned), "camt053/2026-11-25.xml", importing)

    assert (len(report.reversed), report.unmatched) == (2, [])
    assert store.calls.count("find_invoice_by_reference") == 2


def test_r34_plan_as_stored_reads_each_part_and_leaves_a_missing_invoice_to_its_caller():
    """R34 (one answer to "is this plan booked", for the match and for migration 8).
    Given a credit planned over two invoices, the first holding the credit's payment
    When the plan is read with a reader that finds the second no more (None), or raises
    Then each part is its invoice and whether it holds the payment, the missing one
    (None, False); a reader that raises decides for its caller (the match: 422)."""
    first, second = issued(1, 10_000, date(2026, 11, 2)), issued(2, 8_000, date(2026, 11, 9))
    credit = UnmatchedCredit(
        "c-1", SOURCE, "STMT-1", "ING-77", BOOKED_ON, "CRDT", 18_000, "EUR", "no_reference"
    )
    parts = (
        MatchPart(first.reference, first.invoice_id, 10_000),
        MatchPart(second.reference, second.invoice_id, 8_000),
    )
    planned = replace(credit, match=CreditMatch(MATCHED_AT, "operator-sub-1", parts))
    holding = first.with_applied_payment(payment_id("bank", SOURCE))

    read = plan_as_stored(planned, {first.reference: holding}.get)

    assert read == [(holding, True), (None, False)]

    def refuse(reference: str):
        raise LookupError(reference)

    with pytest.raises(LookupError):
        plan_as_stored(planned, refuse)


def test_r12_r34_one_transfer_listed_twice_before_is_matched_once():
    """R12 "duplicates are ignored", R34 "matched once" (audit camt2, high): given one
    transfer of EUR 7,00 (TxId TX-77) listed twice before the import dropped the second:
    under the bank's AcctSvcrRef and, from an overlapping statement, under
    tx/TX-77/CRDT/2026-11-24/700, the first matched to invoice 1
    When an operator matches the second line to invoice 1 (or invoice 2)
    Then it is refused naming invoice 1's kenmerk, and nothing more is booked: EUR 7,00
    paid for EUR 7,00 received, not EUR 14,00."""
    first, second = issued(1, 5_000, date(2026, 11, 2)), issued(2, 5_000, date(2026, 11, 3))
    ctx = the_back_office(first, second, amount_cents=700, transfer_ids=("TX-77",))
    again = "NL20INGB0001234567/tx/TX-77/CRDT/2026-11-24/700"
    ctx.links.keep_unmatched_credit(
        UnmatchedCredit(
            credit_id_of(again), again, "STMT-2", "tx/TX-77/CRDT/2026-11-24/700", BOOKED_ON,
            "CRDT", 700, "EUR", "no_reference", transfer_ids=("TX-77",),
        )
    )  # fmt: skip
    match_credit(credit_id_of(SOURCE), MatchTarget(reference=first.reference), ctx)

    for target in (first, second):
        with pytest.raises(StateConflict, match="credit_already_matched") as refused:
            match_credit(credit_id_of(again), MatchTarget(reference=target.reference), ctx)
        assert reference.grouped(first.reference) in refused.value.message_nl

    assert (ctx.store.invoice("inv-1").balance_cents, ctx.store.invoice("inv-2")) == (
        5_000 - 700,
        second,
    )


def test_r12_r34_a_credit_of_another_amount_under_the_same_transaction_id_is_matched():
    """R34: given a booked credit with TxId TX-77 of EUR 7,00 and a listed credit of
    EUR 9,00 that carries TX-77 too (not the same money: the amount differs)
    When an operator matches the listed one
    Then it is booked: only the same TxId and amount is the same transfer (as the import
    decides, R12)."""
    invoice = issued(1, 5_000, date(2026, 11, 2))
    ctx = the_back_office(invoice, amount_cents=700, transfer_ids=("TX-77",))
    match_credit(credit_id_of(SOURCE), MatchTarget(reference=invoice.reference), ctx)
    other = "NL20INGB0001234567/ING-99"
    ctx.links.keep_unmatched_credit(
        UnmatchedCredit(
            credit_id_of(other), other, "STMT-2", "ING-99", BOOKED_ON, "CRDT", 900, "EUR",
            "no_reference", transfer_ids=("TX-77",), transaction_id="TX-77",
        )
    )  # fmt: skip

    match_credit(credit_id_of(other), MatchTarget(reference=invoice.reference), ctx)

    assert ctx.store.invoice("inv-1").balance_cents == 5_000 - 700 - 900


def a_whole_stop_after_the_costs():
    """€ 100,00 sent, € 40,00 costs and € 1,10 interest booked on 2 November, then all of
    it stopped by the practice on 25 November (entries 5, 6 and 7: principal, costs,
    interest); a coulance of another request (entry 2) is not part of it."""
    invoice = replace(
        issued(1, 10_000, date(2026, 9, 1)),
        status=InvoiceStatus.SENT,
        dunning_stage=DunningStage.COSTS_CHARGED,
        costs_charged_on=date(2026, 11, 2),
        final_payment_date=date(2026, 10, 1),
    )
    charged_at = datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM)
    forgiven_at = datetime(2026, 11, 20, 9, 0, tzinfo=AMSTERDAM)
    for entry in (
        LedgerEntry(EntryKind.COSTS, Component.COSTS, 4_000, charged_at, "dunning:costs"),
        LedgerEntry(EntryKind.INTEREST, Component.INTEREST, 110, charged_at, "dunning:interest"),
    ):
        invoice = invoice.with_entry(entry)
    coulance = LedgerEntry(
        EntryKind.COULANCE, Component.PRINCIPAL, -500, forgiven_at, "provider:u:stop-0"
    )
    invoice = replace(invoice, ledger=(*invoice.ledger[:1], coulance, *invoice.ledger[1:]))
    request = StopRequest(StopScope.FULL, "goodwill", invoice.addressee.email, True)
    stopped_at = datetime(2026, 11, 25, 11, 0, tzinfo=AMSTERDAM)
    return apply_stop(invoice, request, stopped_at, "provider:u:stop-1")


@pytest.mark.parametrize("asked", [5, 6, 7])
def test_r34_one_correction_of_any_entry_undoes_a_whole_stop_and_the_patient_is_told_once(asked):
    """R34, R21, R27, R24 (audit register50): a whole stop after the costs books the
    principal, the costs and the interest in one entry each; "that stop was a mistake"
    took three corrections and three messages to the patient, the first asking the
    principal only.
    Given that stop (entries 5-7) after a coulance of another request (entry 2)
    When an operator corrects any one of its entries on 1 December, then another of them
    Then each of the three is reversed once with the reason, the coulance stays, all the
    stop forgave is owed again, the patient is told once under the stop's first entry,
    and week 49's statement shows the three reversals, to the cent of the ledger."""
    invoice = a_whole_stop_after_the_costs()
    assert [e.kind for e in invoice.ledger[4:]] == [EntryKind.STOP] * 3
    ctx = the_back_office(invoice, amount_cents=1)
    ctx.clock.set(datetime(2026, 12, 1, 9, 30, tzinfo=AMSTERDAM))

    corrected = correct_invoice_entry(invoice.reference, asked, "verkeerde nota gestopt", ctx)
    again = correct_invoice_entry(invoice.reference, 5 + (asked - 4) % 3, "nog eens", ctx)

    assert again == corrected
    assert [(e.component, e.amount_cents, e.cause, e.note) for e in corrected.ledger[7:]] == [
        (component, cents, f"correction:{n}:operator:operator-sub-1", f"correction of entry {n}: verkeerde nota gestopt")
        for n, component, cents in (
            (5, Component.PRINCIPAL, 9_500),
            (6, Component.COSTS, 4_000),
            (7, Component.INTEREST, 110),
        )
    ]  # fmt: skip
    assert corrected.balance_cents == 13_610  # all but the coulance's € 5,00
    # the delivery sends each (kind, event) once (R3): one message
    assert {(r.kind, r.event_id) for r in ctx.delivery.requests} == {
        (INVOICE_CORRECTED, "correction:5")
    }
    week_49 = build_statement(PRACTICE, Week(2026, 49), [corrected])
    assert week_49.total(EntryKind.STOP) == 13_610
    assert sum(line.amount_cents for line in week_49.lines) == 13_610


def test_r34_a_stop_of_which_a_part_was_undone_alone_before_is_undone_and_told_again():
    """R34, R21: a stop whose principal entry was corrected on its own (one entry at a
    time, before round 50) and told so: a correction of its costs' entry on a later day
    reverses the costs and the interest, and the patient is told that change too, once."""
    invoice = a_whole_stop_after_the_costs()
    earlier = datetime(2026, 11, 30, 9, 0, tzinfo=AMSTERDAM)
    undone = LedgerEntry(
        EntryKind.STOP, Component.PRINCIPAL, 9_500, earlier, "correction:5:operator:o-0", "x"
    )
    ctx = the_back_office(invoice.with_entry(undone), amount_cents=1)
    ctx.clock.set(datetime(2026, 12, 1, 9, 30, tzinfo=AMSTERDAM))

    corrected = correct_invoice_entry(invoice.reference, 6, "rest ook", ctx)
    correct_invoice_entry(invoice.reference, 7, "nog eens", ctx)

    assert [(e.component, e.amount_cents) for e in corrected.ledger[8:]] == [
        (Component.COSTS, 4_000),
        (Component.INTEREST, 110),
    ]
    # the delivery sends each (kind, event) once (R3): one message
    assert {(r.kind, r.event_id) for r in ctx.delivery.requests} == {
        (INVOICE_CORRECTED, "correction:6")
    }


def _killed_saving_the_second_part(ctx, xml, key, run) -> FakeStore:
    """The statement's run stopped (Lambda's time out) as it saves the second child's part;
    the store, as that run left it."""
    store = ctx.store
    assert isinstance(store, FakeStore)
    save_invoice = store.save_invoice

    def dying(invoice):
        if invoice.invoice_id == "inv-2":
            raise Killed("timed out saving the second part")
        return save_invoice(invoice)

    store.save_invoice = dying  # type: ignore[method-assign]
    with pytest.raises(Killed):
        import_statement(xml, key, run)
    store.save_invoice = save_invoice  # type: ignore[method-assign]
    return store
