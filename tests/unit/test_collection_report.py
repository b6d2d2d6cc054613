"""The collection agency's report-back file (R19, R22, R27): rows read, payments booked with
source "agency", settled claims written off, the patient unblocked, each row once."""

from __future__ import annotations

import codecs
import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from billing_core.collection.blocking import BlockChangeKind
from billing_core.collection.collection_report import (
    MAX_ROWS,
    WRITE_OFF_NOTE,
    AgencyStatus,
    CollectionReportContext,
    ReportRefused,
    RowOutcome,
    import_collection_report,
    parse_report,
)
from billing_core.invoices.invoice import DunningStage
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.providers.retrocession import build_statement
from billing_core.providers.week import Week
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.texts.practice import FINDINGS, PRACTICE
from tests.unit.factories import REFERENCE, ledger_for, make_invoice, make_provider, sample_lines
from tests.unit.fake_store import FakeStore, FilesInMemory, blocked_numbers

TODAY = date(2027, 2, 15)
CLOCK_START = datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM)
CLOCK = FixedClock(CLOCK_START)
HANDED_OVER = datetime(2027, 1, 28, 6, 0, tzinfo=AMSTERDAM)
HEADER = "reference;agency_ref;status;amount_cents;paid_on\n"
COSTS, INTEREST = 4000, 123
DUE = 3317 + COSTS + INTEREST  # the factory invoice, with BIK and interest booked
WRONG_CHECK_DIGIT = f"{(int(REFERENCE[0]) + 1) % 10}{REFERENCE[1:]}"


def report(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


@pytest.fixture
def world():
    """An invoice with the agency (principal, BIK and interest open), its patient blocked."""
    at = datetime(2027, 1, 14, 6, 0, tzinfo=AMSTERDAM)
    ledger = (
        *ledger_for(sample_lines()),
        LedgerEntry(EntryKind.COSTS, Component.COSTS, COSTS, at, "dunning:letter-1"),
        LedgerEntry(EntryKind.INTEREST, Component.INTEREST, INTEREST, at, "dunning:letter-1"),
    )
    invoice = make_invoice(ledger=ledger, dunning_stage=DunningStage.WITH_COLLECTION_AGENCY)
    store = FakeStore([invoice])
    store.block_patient(invoice.provider_id, invoice.patient_ref, invoice.invoice_id, HANDED_OVER)
    files = FilesInMemory()
    # No interest accrual here: the amounts stay the ones booked (dunning tests cover it).
    ctx = CollectionReportContext(store, files, CLOCK, interest=lambda invoice, day: 0)
    return store, files, ctx


def unblocked(store) -> bool:
    return [c.change for c in store.block_changes("tandarts-de-vries", HANDED_OVER)][-1:] == [
        BlockChangeKind.UNBLOCKED
    ]


def test_money_the_agency_collected_is_booked_and_unblocks_the_patient(world):
    """Given a claim at the agency, when the agency reports it paid in full, then the
    payment is booked with source agency (costs, interest, principal), the claim is closed
    and the patient unblocked."""
    store, _files, ctx = world
    result = import_collection_report(
        report(f"{REFERENCE};CMIB-1;paid;{DUE};2027-02-12"), "collection-reports/a.csv", ctx
    )
    [row] = result.rows
    assert (row.outcome, row.amount_cents, row.amount_due_cents, row.claim_closed) == (
        RowOutcome.BOOKED,
        DUE,
        0,
        True,
    )
    paid = store.invoice()
    payments = {e.component: -e.amount_cents for e in paid.ledger if e.cause == "agency:CMIB-1"}
    assert payments == {
        Component.COSTS: COSTS,
        Component.INTEREST: INTEREST,
        Component.PRINCIPAL: 3317,
    }
    assert unblocked(store) and store.blocked_patients("tandarts-de-vries") == []


def test_part_collected_leaves_the_claim_at_the_agency_and_the_patient_blocked(world):
    store, _, ctx = world
    result = import_collection_report(
        report(f"{REFERENCE};CMIB-1;paid;2000;2027-02-12"), "collection-reports/a.csv", ctx
    )
    assert (result.rows[0].amount_due_cents, result.rows[0].claim_closed) == (DUE - 2000, False)
    assert blocked_numbers(store, "tandarts-de-vries") == frozenset({"P-004711"})


def test_a_settled_claim_is_written_off_with_the_agency_as_cause(world):
    """Given a claim at the agency with € 20 collected, when the agency reports it settled,
    then the rest is written off as STOP entries with cause agency:<ref> (R27), nothing is
    due any more and the patient is unblocked."""
    store, _, ctx = world
    data = report(
        f"{REFERENCE};CMIB-1;paid;2000;2027-02-12",
        f"{REFERENCE};CMIB-2;settled;;2027-02-14",
    )
    result = import_collection_report(data, "collection-reports/a.csv", ctx)

    assert [r.outcome for r in result.rows] == [RowOutcome.BOOKED, RowOutcome.WRITTEN_OFF]
    assert result.rows[1].amount_cents == DUE - 2000
    written_off = [e for e in store.invoice().ledger if e.cause == "agency:CMIB-2"]
    assert {e.kind for e in written_off} == {EntryKind.STOP}
    assert {e.note for e in written_off} == {WRITE_OFF_NOTE}
    assert -sum(e.amount_cents for e in written_off) == DUE - 2000
    assert written_off[0].at == datetime(2027, 2, 14, 0, 0, tzinfo=AMSTERDAM)
    assert store.invoice().amount_due_cents == 0 and unblocked(store)


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        (f"{REFERENCE};CMIB-1;paid;2000;2027-02-12", EntryKind.PAYMENT),
        (f"{REFERENCE};CMIB-2;settled;;2027-02-12", EntryKind.STOP),
    ],
    ids=["paid", "settled"],
)
def test_a_row_dated_last_week_is_on_this_weeks_retrocession_statement(world, row, kind):
    """R24: the statement shows "every money movement that concerns the provider ...
    coulance and stops", to the cent. Given last week's statement built, when the agency
    reports on Monday a payment or a settlement of last Friday, then its entries stay
    dated Friday but count in this week, the week they reached the ledger."""
    store, _, ctx = world

    import_collection_report(report(row), "collection-reports/a.csv", ctx)

    entries = [e for e in store.invoice().ledger if e.kind is kind]
    assert entries and {e.at for e in entries} == {datetime(2027, 2, 12, 0, 0, tzinfo=AMSTERDAM)}
    this_week = build_statement(make_provider(), Week.of(TODAY), [store.invoice()])
    assert this_week.total(kind) == sum(e.amount_cents for e in entries)
    last_week = build_statement(make_provider(), Week.of(date(2027, 2, 12)), [store.invoice()])
    assert last_week.total(kind) == 0


def test_the_same_file_again_books_nothing_twice(world):
    """Given a file that was imported, when it is uploaded again, then every row is a
    duplicate: the ledger, the block and the change log stay as they were."""
    store, _, ctx = world
    data = report(
        f"{REFERENCE};CMIB-1;paid;2000;2027-02-12", f"{REFERENCE};CMIB-2;settled;0;2027-02-14"
    )
    import_collection_report(data, "collection-reports/a.csv", ctx)
    ledger, changes = store.invoice().ledger, store.block_changes("tandarts-de-vries", HANDED_OVER)

    again = import_collection_report(data, "collection-reports/a.csv", ctx)

    assert [r.outcome for r in again.rows] == [RowOutcome.DUPLICATE, RowOutcome.DUPLICATE]
    assert store.invoice().ledger == ledger
    assert store.block_changes("tandarts-de-vries", HANDED_OVER) == changes


def test_a_file_imported_again_says_nothing_new_was_booked_and_closed_no_claim(world):
    """R3, R34, R39 (leftovers53: the summary of a file imported again said
    claims_closed 1 though it booked nothing, and nothing said the rows were done before).
    Given a file whose rows paid and settled the claim, imported once (1 claim closed)
    When it is imported again
    Then its summary and result file count no claim closed and say, in Dutch and English,
    that every row was done before and nothing new was booked; a file with one row done
    before and one new row says how many were done before."""
    _, files, ctx = world
    paid, settled = f"{REFERENCE};CMIB-1;paid;2000;2027-02-12", f"{REFERENCE};CMIB-2;settled;0;"
    data = report(paid, settled + "2027-02-14")
    first = import_collection_report(data, "collection-reports/a.csv", ctx).summary()
    assert (first["claims_closed"], first["note"]) == (1, "")

    again = import_collection_report(data, "collection-reports/a.csv", ctx)

    summary = again.summary()
    assert (summary["duplicate"], summary["claims_closed"]) == (2, 0)
    assert summary["note"] == (
        "Elke regel van dit bestand is al eerder verwerkt: er is niets nieuws geboekt of"
        " afgeboekt en geen vordering is nu gesloten. / Every row of this file was done"
        " before: nothing new was booked or written off and no claim was closed now."
    )
    stored = json.loads(files.get(again.result_key))
    assert (stored["note"], stored["counts"]["claims_closed"]) == (summary["note"], 0)
    assert "note" not in stored["counts"]
    partly = report(paid, f"{REFERENCE};CMIB-3;paid;100;2027-02-14")
    assert (
        import_collection_report(partly, "collection-reports/b.csv", ctx)
        .summary()["note"]
        .startswith("Al eerder verwerkt en niet opnieuw geboekt: 1 van de 2 regels")
    )


def test_rows_that_cannot_be_booked_are_refused_and_listed_the_rest_goes_on(world):
    """Given rows for an unknown kenmerk, for a claim never handed over and a malformed one
    next to a good one, when imported, then only the good row is booked and the result file
    in the output bucket lists each with its reason: kenmerken and agency refs only."""
    store, files, ctx = world
    other = make_invoice(invoice_id="inv-not-at-agency", reference="72555000111222")
    store.put_invoice_as_is(other)
    data = report(
        "62987654321098;CMIB-7;paid;100;2027-02-12",  # a valid kenmerk, but no invoice has it
        f"{other.reference};CMIB-8;paid;100;2027-02-12",
        f"{REFERENCE};CMIB-9;paid;12,50;2027-02-12",
        f"{REFERENCE};CMIB-10;paid;1250;2027-02-12",
    )
    result = import_collection_report(data, "collection-reports/agency 2027-02-15.csv", ctx)

    assert [(r.line, r.outcome, r.reason) for r in result.rows] == [
        (2, RowOutcome.REFUSED, "unknown_reference"),
        (3, RowOutcome.REFUSED, "not_with_agency"),
        (4, RowOutcome.REFUSED, "invalid_row"),
        (5, RowOutcome.BOOKED, ""),
    ]
    assert other.ledger == store.invoice(other.invoice_id).ledger
    assert result.result_key == "collection-reports/2027-02-15/agency-2027-02-15-073000.json"
    stored = json.loads(files.files[result.result_key])
    assert stored["counts"]["booked"] == 1 and stored["counts"]["refused"] == 3
    assert "amount_cents" in stored["rows"][2]["detail"]
    assert "Berg" not in json.dumps(stored)  # the patient's name never leaves the invoice
    assert result.summary()["refusal_reasons"] == [
        "invalid_row",
        "not_with_agency",
        "unknown_reference",
    ]


def test_a_row_for_more_than_the_claim_owes_is_refused_and_nothing_booked(world):
    """Audit agency2 (brief: "amounts not adding up refused per line"; R24, R27, R13).

    Given a claim at the agency that owes DUE, and next to it a row paying part of it,
    when the agency reports a row of € 1,000 more than the claim owes on its day, then that
    row is refused (``exceeds_amount_due``, the detail naming what was owed in Dutch and
    English) and nothing of it is booked: no payment, no credit for the patient (which the
    back office would refund by bank out of money the agency holds, never received), the
    patient stays blocked. The good row goes on, and the same row again is refused again.
    """
    store, files, ctx = world
    data = report(
        f"{REFERENCE};CMIB-1;paid;{DUE + 100_000};2027-02-12",
        f"{REFERENCE};CMIB-2;paid;2000;2027-02-12",
    )
    result = import_collection_report(data, "collection-reports/a.csv", ctx)

    assert [(r.line, r.outcome, r.reason) for r in result.rows] == [
        (2, RowOutcome.REFUSED, "exceeds_amount_due"),
        (3, RowOutcome.BOOKED, ""),
    ]
    claim = store.invoice()
    assert not [e for e in claim.ledger if e.cause == "agency:CMIB-1"]
    assert (claim.credit_cents, claim.amount_due_cents) == (0, DUE - 2000)
    assert str(DUE) in result.rows[0].detail and " / " in result.rows[0].detail
    assert blocked_numbers(store, "tandarts-de-vries") == frozenset({"P-004711"})
    stored = json.loads(files.files[result.result_key])
    assert stored["counts"]["refused"] == 1
    assert result.log_entry().counts["Agency_report_refused"] == 1  # a person looks (R39)

    again = import_collection_report(data, "collection-reports/a.csv", ctx)
    assert [(r.outcome, r.reason) for r in again.rows] == [
        (RowOutcome.REFUSED, "exceeds_amount_due"),
        (RowOutcome.DUPLICATE, ""),
    ]
    assert store.invoice().ledger == claim.ledger


def test_a_row_for_exactly_what_the_claim_owes_is_booked(world):
    """Audit agency2: the bound is what the claim owes on the row's day, not less (R20)."""
    store, _, ctx = world
    result = import_collection_report(
        report(f"{REFERENCE};CMIB-1;paid;{DUE};2027-02-12"), "collection-reports/a.csv", ctx
    )
    assert [r.outcome for r in result.rows] == [RowOutcome.BOOKED]
    assert (store.invoice().credit_cents, store.invoice().amount_due_cents) == (0, 0)


def test_a_row_dated_before_a_later_coulance_is_booked_and_the_coulance_is_the_patients_credit(
    world,
):
    """R21, R13, R22, legal-nl.md §2 (the payment date decides; audit agency4). Given a claim
    handed over owing DUE and a coulance of € 10 the practice gave on 10 February, When the
    agency reports the DUE it was told at the handover as paid on 5 February (and, first, a
    row of € 1 more), Then the row of DUE is booked as of its date: the claim was settled
    then, the patient is unblocked, and what the later coulance forgave is the patient's
    credit (R13), as after a bank payment of that date read late; the ledger sums to minus
    that credit. The row of € 1 more is refused naming DUE, what the claim owed on
    5 February, not DUE less the coulance of a later day."""
    store, _, ctx = world
    coulance_at = datetime(2027, 2, 10, 11, 0, tzinfo=AMSTERDAM)
    coulance = LedgerEntry(
        EntryKind.COULANCE, Component.PRINCIPAL, -1000, coulance_at, "stop:1", "goodwill"
    )
    store.put_invoice_as_is(store.invoice().with_entry(coulance))

    data = report(
        f"{REFERENCE};CMIB-0;paid;{DUE + 100};2027-02-05",
        f"{REFERENCE};CMIB-1;paid;{DUE};2027-02-05",
    )
    result = import_collection_report(data, "collection-reports/a.csv", ctx)

    assert [(r.outcome, r.reason) for r in result.rows] == [
        (RowOutcome.REFUSED, "exceeds_amount_due"),
        (RowOutcome.BOOKED, ""),
    ]
    assert f"({DUE} cent)" in result.rows[0].detail and f"({DUE} cents)" in result.rows[0].detail
    nl, _, en = result.rows[0].detail.partition(" / ")
    assert nl.startswith("Regel 2: amount_cents") and en.startswith("Line 2: amount_cents")
    assert (result.rows[1].amount_due_cents, result.rows[1].claim_closed) == (0, True)
    claim = store.invoice()
    assert -sum(e.amount_cents for e in claim.ledger if e.cause == "agency:CMIB-1") == DUE
    assert (claim.credit_cents, sum(e.amount_cents for e in claim.ledger)) == (1000, -1000)
    assert unblocked(store) and store.blocked_patients("tandarts-de-vries") == []


def test_a_row_dated_before_the_invoice_is_refused_and_nothing_booked(world):
    """R34, legal-nl.md §2 (audit AGENCY4): nobody pays a bill before it is sent. Given a
    claim handed over on 28 January 2027 When the agency's file has a row whose paid_on has a
    typo in the year, before the invoice's date, Then the row is refused ``before_invoice``,
    its detail naming the invoice's date in Dutch and English; nothing is booked (no costs
    undone, no credit), the patient stays blocked, no record for the agency is written and
    the operator is paged."""
    store, files, ctx = world
    store.put_invoice_as_is(replace(store.invoice(), handed_over_on=HANDED_OVER.date()))
    issued = store.invoice().issue_date.isoformat()
    ledger, changes = store.invoice().ledger, store.block_changes("tandarts-de-vries", HANDED_OVER)

    result = import_collection_report(
        report(f"{REFERENCE};CMIB-1;paid;{DUE};2026-02-10"), "collection-reports/a.csv", ctx
    )

    [row] = result.rows
    assert (row.outcome, row.reason) == (RowOutcome.REFUSED, "before_invoice")
    assert "vóór de datum van de nota" in row.detail and "before the invoice's date" in row.detail
    assert row.detail.count(issued) == 2
    # words53: its line, and how to go on, word for word.
    assert row.detail == (
        f"Regel 2: paid_on 2026-02-10 ligt vóór de datum van de nota ({issued}): toen kon"
        " niemand haar betalen. Niets geboekt: controleer paid_on en reference en stuur de"
        f" regel opnieuw. / Line 2: paid_on 2026-02-10 is before the invoice's date ({issued}):"
        " nobody could pay it then. Nothing was booked: check paid_on and reference and send"
        " the row again."
    )
    assert store.invoice().ledger == ledger and store.invoice().amount_due_cents == DUE
    assert store.block_changes("tandarts-de-vries", HANDED_OVER) == changes
    assert not [key for key in files.files if key.startswith("collection/updates/")]
    assert result.log_entry().counts["Agency_report_refused"] == 1


@pytest.mark.parametrize(
    ("status", "amount", "paid_on"),
    [("paid", DUE, "2027-01-10"), ("settled", "", "2027-01-27")],
    ids=["paid-in-term", "settled-the-day-before"],
)
def test_a_row_dated_between_the_invoice_and_the_handover_is_booked_by_its_date(
    world, status, amount, paid_on
):
    """R34, R15, legal-nl.md §2: a payment the patient made to the practice before the
    handover, which the agency forwards, counts by its date (an arrangement's term paid in
    its grace keeps it: test_arrangement_term_read_late). Given a claim handed over on 28
    January 2027 When the agency reports it paid or settled on a day before that Then the row
    is booked (a payment) or written off (settled), not refused."""
    store, _files, ctx = world
    store.put_invoice_as_is(replace(store.invoice(), handed_over_on=HANDED_OVER.date()))

    result = import_collection_report(
        report(f"{REFERENCE};CMIB-1;{status};{amount};{paid_on}"), "collection-reports/a.csv", ctx
    )

    [row] = result.rows
    expected = RowOutcome.BOOKED if status == "paid" else RowOutcome.WRITTEN_OFF
    assert (row.outcome, row.reason) == (expected, "")
    assert store.invoice().amount_due_cents == 0


# --- reading the file ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "detail"),
    [
        (f"{WRONG_CHECK_DIGIT};A-1;paid;100;2027-02-12", "reference"),
        (f"{REFERENCE};;paid;100;2027-02-12", "agency_ref"),
        (f"{REFERENCE};A 1;paid;100;2027-02-12", "agency_ref"),
        (f"{REFERENCE};A-1;returned;100;2027-02-12", "status"),
        (f"{REFERENCE};A-1;paid;0;2027-02-12", "amount_cents"),
        (f"{REFERENCE};A-1;paid;-100;2027-02-12", "amount_cents"),
        (f"{REFERENCE};A-1;settled;100;2027-02-12", "amount_cents"),
        (f"{REFERENCE};A-1;paid;100;12-02-2027", "paid_on"),
        (f"{REFERENCE};A-1;paid;100;2027-02-16", "future"),
        (f"{REFERENCE};A-1;paid;100", "fields"),
    ],
)
def test_a_malformed_row_is_refused_with_what_is_wrong(row, detail):
    rows, refused = parse_report(report(row), today=TODAY)
    assert rows == [] and [r.reason for r in refused] == ["invalid_row"]
    assert detail in refused[0].detail


def test_each_malformed_row_names_its_line_and_what_to_write_word_for_word():
    """R39, R35 (words53: a row's detail named no line; in a file of up to 1,000 rows the
    person at the agency could not find the row). Given a report-back file with a good row
    on line 2 and one malformed row of each kind on lines 3 to 9, When it is read, Then
    each refused row's detail starts with its line, in Dutch and English, and says what
    the field must hold, word for word."""
    rows = (
        f"{REFERENCE};A-1;paid;100;2027-02-12",
        f"{REFERENCE};A-1;paid;100",
        f"{WRONG_CHECK_DIGIT};A-1;paid;100;2027-02-12",
        f"{REFERENCE};A 1;paid;100;2027-02-12",
        f"{REFERENCE};A-1;betaald;100;2027-02-12",
        f"{REFERENCE};A-1;paid;12,50;2027-02-12",
        f"{REFERENCE};A-1;paid;100;12-02-2027",
        f"{REFERENCE};A-1;paid;100;2027-02-16",
    )

    _, refused = parse_report(report(*rows), today=TODAY)

    assert [(row.line, row.detail) for row in refused] == [
        (
            3,
            "Regel 3: 4 velden, verwacht 5. Schrijf één veld voor elke kolom van de kopregel,"
            " gescheiden door ; / Line 3: 4 fields, expected 5. Write one field for each column"
            " of the header row, separated by ;",
        ),
        (
            4,
            "Regel 4: reference is geen betalingskenmerk van ons. Schrijf het betalingskenmerk"
            " van de vordering zoals wij het bij de overdracht gaven. / Line 4: reference is not"
            " a betalingskenmerk of ours. Write the claim's betalingskenmerk as we gave it at"
            " the handover.",
        ),
        (
            5,
            "Regel 5: agency_ref moet 1-64 letters, cijfers of . _ / - zijn. / Line 5:"
            " agency_ref must be 1-64 letters, digits or . _ / -.",
        ),
        (6, "Regel 6: status moet paid of settled zijn. / Line 6: status must be paid or settled."),
        (
            7,
            "Regel 7: amount_cents moet een heel aantal centen zijn, boven 0 bij paid, 0 of leeg"
            " bij settled. / Line 7: amount_cents must be a whole number of cents, above 0 for"
            " paid, 0 or empty for settled.",
        ),
        (
            8,
            "Regel 8: paid_on moet een datum zijn zoals 2027-02-15. / Line 8: paid_on must be a"
            " date like 2027-02-15.",
        ),
        (
            9,
            "Regel 9: paid_on ligt in de toekomst. Vul de dag in waarop betaald of afgewikkeld"
            " is: vandaag of eerder. / Line 9: paid_on is in the future. Enter the day it was"
            " paid or settled: today or earlier.",
        ),
    ]


def test_a_row_csv_cannot_read_names_its_line_and_how_to_mend_it():
    """R39, R35 (words53: it named the line but no way to fix it). Given a report-back file
    whose line 3 has a quoted field with text after its closing quote, When it is read,
    Then the whole file is refused naming line 3 and saying to close or remove the quote."""
    data = report(f"{REFERENCE};A-1;paid;100;2027-02-12", f'{REFERENCE};"A-2"x;paid;100;2027-02-12')

    with pytest.raises(ReportRefused) as refusal:
        parse_report(data, today=TODAY)

    assert str(refusal.value) == (
        'Regel 3 is niet als CSV te lezen, waarschijnlijk door een aanhalingsteken (")'
        " dat niet wordt afgesloten: sluit het af of haal het weg. / Line 3 cannot be read as"
        ' CSV, probably because of a quote (") that is not closed: close it or remove it.'
    )


def test_a_quote_never_closed_names_the_line_it_opened_on_not_the_files_last():
    """R40, R39 (words54: before, the reader failed at the file's end and the refusal named
    the last line, 1001 of a 1,000-row file). Given a report-back file of 6 rows whose
    quote opened on line 3 is never closed, When it is read, Then the refusal names line 3,
    where the row to mend starts, not line 7."""
    rows = [f"{REFERENCE};A-{number};paid;100;2027-02-12" for number in range(6)]
    rows[1] = f'{REFERENCE};"A-1;paid;100;2027-02-12'

    with pytest.raises(ReportRefused) as refusal:
        parse_report(report(*rows), today=TODAY)

    assert str(refusal.value).startswith("Regel 3 is niet als CSV te lezen")
    assert "/ Line 3 cannot be read as CSV" in str(refusal.value)


def test_a_row_spanning_lines_is_named_by_the_line_it_starts_on():
    """R40, R39 (vektisedge55: a row whose quoted field holds a line break was named by its
    last line, as the quote never closed was before words54). Given a report-back file
    whose second row's agency_ref, quoted, breaks over three lines (lines 3-5), When it
    is read, Then that row is refused naming line 3, where it starts, and the rows
    before and after it keep their own lines (2 and 6)."""
    rows = [f"{REFERENCE};A-{number};paid;100;2027-02-12" for number in range(3)]
    rows[1] = f'{REFERENCE};"A-1\n\nx";paid;100;2027-02-12'

    tried, refused = parse_report(report(*rows), today=TODAY)

    assert [row.line for row in tried] == [2, 6]
    assert [row.line for row in refused] == [3]
    assert refused[0].detail.startswith("Regel 3: agency_ref moet")
    assert "/ Line 3: agency_ref must" in refused[0].detail


def test_what_is_wrong_with_a_row_or_the_file_is_said_in_dutch_and_english(subtests):
    """R39, common brief (every sentence a person reads in Dutch and English; audit
    blocks5): Given the agency's report-back file with a malformed row of each kind, and
    files refused whole (a header separated by commas as Excel saves it in English, not
    UTF-8), When it is read, Then every row's detail and every file's refusal says in
    Dutch and in English what is wrong: the person at the Dutch agency corrects the file,
    and a claim it does not book keeps its patient blocked (R22). Before, English only."""
    rows = (
        f"{WRONG_CHECK_DIGIT};A-1;paid;100;2027-02-12",
        f"{REFERENCE};A 1;paid;100;2027-02-12",
        f"{REFERENCE};A-1;betaald;100;2027-02-12",
        f"{REFERENCE};A-1;paid;12,50;2027-02-12",
        f"{REFERENCE};A-1;paid;100;12-02-2027",
        f"{REFERENCE};A-1;paid;100;2027-02-16",
        f"{REFERENCE};A-1;paid;100",
    )
    dutch = ("betalingskenmerk van ons", "cijfers", "moet paid of settled", "heel aantal")
    dutch += ("moet een datum", "toekomst", "velden, verwacht 5")
    _, refused = parse_report(report(*rows), today=TODAY)
    for row, words in zip(refused, dutch, strict=True):
        with subtests.test(line=row.line):
            nl, _, en = row.detail.partition(" / ")
            assert words in nl and en and en != nl
    for data, words in (
        (HEADER.replace(";", ",").encode() + b"x\n", "kopregel moet"),
        (HEADER.encode() + "é".encode("cp1252"), "geen UTF-8"),
    ):
        with subtests.test(words=words), pytest.raises(ReportRefused) as refusal:
            parse_report(data, today=TODAY)
        assert words in str(refusal.value) and " / " in str(refusal.value)


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["no BOM", "BOM"])
def test_an_agency_file_not_in_utf8_names_its_line_and_says_how_to_save_it(bom):
    """R39, R40, R35 (words52c: "Het bestand is geen UTF-8-tekst." named no way to fix it;
    words53: nor its line, in a file of up to 1,000 rows). Given the agency's report-back
    file saved in Windows-1252 with an é on line 3 (after a byte order mark or none),
    When it is read, Then the refusal names line 3, the byte's offset in the file and the
    byte, as the declaration's FILE_NOT_UTF8 does, and says to save it as 'CSV UTF-8' and
    upload it again, in Dutch and English, in that finding's words (one way)."""
    good = f"{REFERENCE};A-1;paid;100;2027-02-12\n"
    data = (
        bom
        + (HEADER + good).encode()
        + f"{REFERENCE};café-2;paid;100;2027-02-12\n".encode("cp1252")
    )
    offset = data.index(b"\xe9")

    with pytest.raises(ReportRefused) as refusal:
        parse_report(data, today=TODAY)

    assert str(refusal.value) == (
        f"Het bestand is geen UTF-8-tekst: regel 3 (byte {offset}) bevat een teken dat niet"
        " gelezen kan worden (0xE9). Sla het bestand op als 'CSV UTF-8' en upload het"
        f" opnieuw. / The file is not UTF-8 text: line 3 (byte {offset}) contains a character"
        " that cannot be read (0xE9). Save the file as 'CSV UTF-8' and upload it again."
    )
    declaration = PRACTICE.translations(FINDINGS, "FILE_NOT_UTF8", line=2, offset=60, byte="0x01")
    assert declaration["nl"].endswith(" Sla het bestand op als 'CSV UTF-8' en upload het opnieuw.")
    assert declaration["en"].endswith(" Save the file as 'CSV UTF-8' and upload it again.")


def test_a_row_is_read_with_spaces_in_the_kenmerk_and_any_case_of_status():
    rows, refused = parse_report(
        report(f"{REFERENCE[:4]} {REFERENCE[4:]};A-1;Settled;;2027-02-12"), today=TODAY
    )
    assert refused == []
    assert (rows[0].reference, rows[0].status, rows[0].amount_cents) == (
        REFERENCE,
        AgencyStatus.SETTLED,
        0,
    )


def test_the_same_agency_ref_twice_in_a_file_is_refused_the_second_time():
    rows, refused = parse_report(
        report(f"{REFERENCE};A-1;paid;100;2027-02-12", f"{REFERENCE};A-1;paid;100;2027-02-12"),
        today=TODAY,
    )
    assert [r.line for r in rows] == [2]
    assert [(r.line, r.reason) for r in refused] == [(3, "duplicate_in_file")]


def test_one_agency_ref_on_two_claims_books_both():
    """README report-back, "a row is booked once per claim and agency_ref" (audit agency
    D1): an agency naming its rows by one remittance id gets each claim's row booked."""
    other = "72555000111222"
    rows, refused = parse_report(
        report(
            f"{REFERENCE};REMIT-0207;paid;100;2027-02-12", f"{other};REMIT-0207;paid;200;2027-02-12"
        ),
        today=TODAY,
    )
    assert [(r.line, r.reference) for r in rows] == [(2, REFERENCE), (3, other)]
    assert refused == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("collection-reports/agency-a/report.csv", "collection-reports/agency-b/report.csv"),
        ("collection-reports/report.csv", "collection-reports/report.csv"),  # sent again
    ],
)
def test_each_import_keeps_its_own_result(world, first, second):
    """Audit agency D2: two agencies' files of one name, or one name sent again later that
    day, each keep a result listing their refused rows; neither overwrites the other."""
    _store, files, ctx = world
    unknown = report("62987654321098;CMIB-7;paid;2500;2027-02-12")
    a = import_collection_report(unknown, first, ctx)
    ctx.clock.advance(minutes=5)
    try:
        b = import_collection_report(report(f"{REFERENCE};CMIB-8;paid;100;2027-02-12"), second, ctx)
    finally:
        ctx.clock.set(CLOCK_START)
    assert a.result_key != b.result_key
    assert json.loads(files.files[a.result_key])["rows"][0]["reason"] == "unknown_reference"
    assert json.loads(files.files[b.result_key])["rows"][0]["outcome"] == "booked"


@pytest.mark.parametrize(
    "data",
    [
        b"reference,agency_ref,status,amount_cents,paid_on\n",  # another separator
        b"kenmerk;ref;status;bedrag;datum\n",
        b"",
        "reference;agency_ref;status;amount_cents;paid_on\n\xe9".encode("latin-1"),
        (HEADER + f'"{REFERENCE};A-1;paid;1;2027-02-12\n').encode(),  # a quote never closed
        (HEADER + f"{REFERENCE};A-1;paid;1;2027-02-12\n" * (MAX_ROWS + 1)).encode(),
    ],
)
def test_a_file_that_is_not_a_report_back_file_is_refused_whole(world, data):
    store, files, ctx = world
    with pytest.raises(ReportRefused):
        parse_report(data, today=TODAY)
    result = import_collection_report(data, "collection-reports/x.csv", ctx)
    assert result.outcome == "refused" and result.rows == []
    assert store.invoice().applied_payments == ()
    assert json.loads(files.files[result.result_key])["outcome"] == "refused"
