"""The agency's report-back file costs the same per row however long it is (R39, R22, R21;
agency50): the store is asked the same things for each row, so a file of 2,000 rows costs
twenty times one of 100, and each row's claim is looked up once.

Counted, not timed: the fake store records every call (``FakeStore.calls``), as each is a
request to DynamoDB in the adapter.
"""

from __future__ import annotations

from collections import Counter

from billing_core.collection.collection_report import (
    CollectionReportContext,
    RowOutcome,
    import_collection_report,
)
from billing_core.shared import reference
from billing_core.shared.clock import FixedClock
from tests.unit.factories import REFERENCE_KEY
from tests.unit.fake_store import FakeStore, FilesInMemory
from tests.unit.test_agency_remittance import (
    DUE,
    NO_INTEREST,
    PRACTICE,
    REPORTED_AT,
    handed_over_claim,
)

HEADER = "reference;agency_ref;status;amount_cents;paid_on\n"
# Every kind of row, in turn: paid in full (the claim closes, its patient is unblocked),
# paid in part (the claim stays at the agency), settled (written off, unblocked), and a
# kenmerk of no claim (refused).
ROW_KINDS = 4


def claims_at_the_agency(count: int) -> tuple[FakeStore, list[str]]:
    """``count`` claims with the agency, each of its own blocked patient: their kenmerken."""
    store = FakeStore([], [PRACTICE])
    kenmerken = []
    for n in range(1, count + 1):
        kenmerk = reference.for_sequence(n, REFERENCE_KEY)
        claim = handed_over_claim(invoice_id=f"inv-{n}", reference=kenmerk, patient_ref=f"P-{n}")
        store.put_invoice_as_is(claim)
        store.block_patient(
            claim.provider_id, claim.patient_ref, claim.invoice_id, claim.ledger[-1].at
        )
        kenmerken.append(kenmerk)
    return store, kenmerken


def report_of(kenmerken: list[str]) -> bytes:
    unknown = reference.for_sequence(10_000_000, REFERENCE_KEY)
    rows = []
    for n, kenmerk in enumerate(kenmerken):
        kind = n % ROW_KINDS
        if kind == 0:
            rows.append(f"{kenmerk};CMIB-{n};paid;{DUE};2027-02-12")
        elif kind == 1:
            rows.append(f"{kenmerk};CMIB-{n};paid;{DUE // 2};2027-02-12")
        elif kind == 2:
            rows.append(f"{kenmerk};CMIB-{n};settled;;2027-02-12")
        else:
            rows.append(f"{unknown};CMIB-{n};paid;{DUE};2027-02-12")
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def store_calls_of_an_import(rows: int) -> tuple[Counter[str], Counter[RowOutcome]]:
    """The store's calls while the file of ``rows`` rows is imported, and the outcomes."""
    store, kenmerken = claims_at_the_agency(rows)
    ctx = CollectionReportContext(store, FilesInMemory(), FixedClock(REPORTED_AT), NO_INTEREST)
    data = report_of(kenmerken)
    store.calls.clear()
    result = import_collection_report(data, "collection-reports/many.csv", ctx)
    return Counter(store.calls), Counter(row.outcome for row in result.rows)


def test_r39_each_row_of_the_agencys_file_asks_the_store_the_same_whatever_the_files_length():
    """R39, R22, R21 (agency50). Given 100 claims at the agency, and (elsewhere) 400
    When the agency's file reports on each (paid in full, in part, settled, unknown, in
    turn) and is imported
    Then the file of 400 rows makes four times the calls of the file of 100, call by call:
    nothing is read or written once per row for every row (no cost growing with the
    square of the rows), and each row's claim is looked up once by its kenmerk (before:
    twice for a paid row, once to check the row and again to book it: 150 lookups and
    325 calls for 100 rows)."""
    small, small_outcomes = store_calls_of_an_import(100)
    large, large_outcomes = store_calls_of_an_import(400)

    assert large_outcomes == {outcome: 4 * n for outcome, n in small_outcomes.items()}
    assert small_outcomes[RowOutcome.BOOKED] == 50  # both paid kinds of row are booked
    assert {call: 4 * n for call, n in small.items()} == dict(large)
    assert small["find_invoice_by_reference"] == 100
    assert sum(small.values()) <= 3 * 100, small  # 275: a lookup, a save, a release
