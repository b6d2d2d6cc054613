"""DunningStore.due_for_dunning (R18), the retrocession's reads of a practice's invoices
(R24) and a dead address's unpaid invoices (R7): which invoices, in which order, page by
page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from billing_core.invoices.invoice import DunningStage
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.providers.week import Week
from tests.contract.samples import NOON, A, B, invoice, stored
from tests.unit.factories import make_person

MONDAY = date(2027, 1, 4)


def due(store, as_of=MONDAY, page_size=100):
    return [
        [i.invoice_id for i in page] for page in store.due_for_dunning(as_of, page_size=page_size)
    ]


def test_the_run_reads_what_is_due_by_day_practice_patient_and_invoice(store):
    """R18: one patient's invoices due the same day come together (one reminder)."""
    # Given invoices of two practices due on and before Monday, one due after it
    stored(
        store,
        invoice(1, next_check_on=MONDAY, patient_ref="P-2"),
        invoice(2, next_check_on=date(2027, 1, 2), patient_ref="P-9"),
        invoice(3, B, next_check_on=MONDAY, patient_ref="P-1"),
        invoice(4, next_check_on=MONDAY, patient_ref="P-1"),
        invoice(5, next_check_on=date(2027, 1, 5)),
        invoice(6, next_check_on=MONDAY, patient_ref="P-2"),
    )
    # When Monday's run reads them
    # Then the earliest day first, then by practice, patient and invoice; Tuesday's not yet
    assert due(store) == [["inv-2", "inv-3", "inv-4", "inv-1", "inv-6"]]
    assert due(store, page_size=2) == [["inv-2", "inv-3"], ["inv-4", "inv-1"], ["inv-6"]]


def test_an_invoice_moved_on_while_the_pages_are_read_is_met_again(store):
    """R18: each page is a Query from the last page's place, on the index as it is then.
    Given invoices due on two missed days, when the first page's invoice is moved on to
    Monday (what the run's step does after missed days), then a later page of the same
    read returns it again: the run must not handle it twice (audit DUNNING1)."""
    stored(
        store,
        invoice(1, next_check_on=date(2026, 12, 31)),
        invoice(2, next_check_on=date(2027, 1, 1)),
    )
    pages = store.due_for_dunning(MONDAY, page_size=1)
    [first] = next(pages)
    store.save_invoice(replace(first, next_check_on=MONDAY))

    assert [i.invoice_id for page in pages for i in page] == ["inv-2", "inv-1"]


def test_paid_invoices_and_those_with_the_agency_are_not_read(store):
    """R18: the index is sparse, so the run's cost follows the work due."""
    paid = apply_payment(invoice(1), IncomingPayment("bank", "B1", invoice(1).balance_cents, NOON))
    agency = invoice(2, dunning_stage=DunningStage.WITH_COLLECTION_AGENCY)
    stored(store, paid, agency, invoice(3, next_check_on=MONDAY))
    assert due(store) == [["inv-3"]]


def test_a_handover_still_to_write_is_read_on_its_day_until_it_is_written(store):
    """Issue 13 item 12: an invoice saved handed over whose agency file and block are not
    yet written stays on the index on its handover day, paid since or not; once written
    it leaves the index."""
    pending = {
        "dunning_stage": DunningStage.WITH_COLLECTION_AGENCY,
        "handed_over_on": date(2027, 1, 2),
        "handover_pending": True,
    }
    paid = apply_payment(
        invoice(2, **pending), IncomingPayment("bank", "B2", invoice(2).balance_cents, NOON)
    )
    written = invoice(3, **(pending | {"handover_pending": False}))
    stored(store, invoice(1, **pending), paid, written)
    assert due(store) == [["inv-1", "inv-2"]]
    assert store.get_invoice(A, "inv-1").handover_pending


def test_a_day_with_nothing_due_is_one_empty_page(store):
    stored(store, invoice(1, next_check_on=date(2027, 1, 5)))
    assert due(store) == [[]]


def test_a_practices_invoices_in_a_range_of_issue_dates_newest_first(store):
    """R25: the debtor-risk figures read the invoices issued in a range of months."""
    stored(
        store,
        invoice(1, issue_date=date(2026, 11, 20)),
        invoice(2, issue_date=date(2026, 11, 23)),
        invoice(3, issue_date=date(2026, 11, 29)),
        invoice(4, issue_date=date(2026, 11, 30)),
        invoice(5, B, issue_date=date(2026, 11, 24)),
        invoice(6, issue_date=date(2026, 11, 23)),
    )
    week = store.provider_invoices(A, issued_from="2026-11-23", issued_until="2026-11-29")
    assert [i.invoice_id for i in week] == ["inv-3", "inv-6", "inv-2"]
    assert [i.invoice_id for i in store.provider_invoices(B)] == ["inv-5"]
    assert len(list(store.provider_invoices(A))) == 5


def test_the_week_read_gives_the_invoices_with_an_entry_recorded_that_week(store):
    """R24, issue 14 item 7: given invoices issued in week 48 (the samples' noon) and one
    of them paid in week 49 (a later save)
    When weeks 48 and 49 are read
    Then week 48 has both, week 49 only the paid one, another practice's nothing."""
    stored(store, invoice(1), invoice(2), invoice(3, B))
    first = store.get_invoice(A, "inv-1", consistent=True)
    later = NOON + timedelta(days=7)
    store.save_invoice(apply_payment(first, IncomingPayment("bank", "B1", 500, later)))

    def week(provider_id, day):
        return sorted(i.invoice_id for i in store.week_invoices(provider_id, Week.of(day)))

    assert week(A, NOON.date()) == ["inv-1", "inv-2"]
    assert week(A, later.date()) == ["inv-1"]
    assert week(B, later.date()) == []
    (paid,) = store.week_invoices(A, Week.of(later.date()))
    assert paid.balance_cents == first.balance_cents - 500


def test_a_practices_unpaid_invoices_to_one_address_whatever_its_case(store):
    """R7, R26 (round 45 sending3): a permanent bounce's address on the practice's other
    invoices. Given the parents' address (in any case) on an open, a partly paid and a
    paid invoice of practice A, as the debtor's on a fourth, as the patient's beside a
    debtor with another address on a fifth, on practice B's invoice, and another address
    on a seventh; when A's unpaid invoices to that address are asked for; then the open,
    the partly paid and the debtor's come, newest first: not the paid one, not the one
    whose letters go to its debtor, not B's (tenant isolation)."""
    shared = "Ouders.Jansen@example.org"
    to_shared = {"patient": make_person(email=shared)}
    part = IncomingPayment("bank", "B2", 100, NOON)
    paid = invoice(3, **to_shared)
    stored(
        store,
        invoice(1, **to_shared),
        apply_payment(invoice(2, patient=make_person(email=shared.upper())), part),
        apply_payment(paid, IncomingPayment("bank", "B3", paid.balance_cents, NOON)),
        invoice(4, debtor=make_person(email=shared.lower())),
        invoice(5, debtor=make_person(email="voogd@example.org"), **to_shared),
        invoice(6, B, **to_shared),
        invoice(7, patient=make_person(email="ander@example.org")),
    )

    found = store.unpaid_invoices_to(A, "ouders.jansen@example.org")

    assert [i.invoice_id for i in found] == ["inv-4", "inv-2", "inv-1"]
    assert found[1].balance_cents == invoice(2).balance_cents - 100  # as stored
    assert store.unpaid_invoices_to(B, shared) == [store.get_invoice(B, "inv-6")]
    assert store.unpaid_invoices_to(A, "niemand@example.org") == []
