"""Money the collection agency collected, once (R24, R34; audit AGENCY3).

Our decision (the owners may change it): one money movement per euro, counted when the
money arrives in our collection account. The agency's ``paid`` row settles the claim (R22)
but is not money received: the week's statement shows it as information and pays none of
it out. The agency's transfer of that money, quoting the claim's kenmerk or matched to it
by an operator, is received for the practice that week, not booked on the claim again
and no credit held for the patient.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from billing_core.collection.agency_updates import agency_updates_key, write_agency_updates
from billing_core.collection.collection_report import (
    CollectionReportContext,
    import_collection_report,
)
from billing_core.invoices.invoice import DunningStage
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.payments.bank_import import BankImportContext, import_statement
from billing_core.payments.booking import reversible
from billing_core.payments.remittance import awaited_cents
from billing_core.payments.unmatched import MatchTarget
from billing_core.providers.retrocession import build_statement, statement_csv, statement_json
from billing_core.providers.week import Week
from billing_core.services.operator.context import BackOfficeContext
from billing_core.services.operator.money import match_credit
from billing_core.shared import reference
from billing_core.shared.audit import Reader
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import Refused
from tests.unit.camt_builder import credit, debit, statement
from tests.unit.factories import (
    KENMERK,
    REFERENCE,
    REFERENCE_KEY,
    ledger_for,
    make_invoice,
    make_provider,
    sample_lines,
)
from tests.unit.fake_store import (
    AuditInMemory,
    FakeQueue,
    FakeStore,
    FilesInMemory,
    blocked_numbers,
    is_blocked,
)
from tests.unit.payment_fakes import LinksInMemory

PRACTICE = make_provider()
HANDED_OVER = date(2027, 1, 28)
REPORTED_AT = datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM)  # Monday of 2027-W07
REMITTED_AT = datetime(2027, 2, 23, 9, 0, tzinfo=AMSTERDAM)  # Tuesday of 2027-W08
COSTS, INTEREST, PRINCIPAL = 4000, 123, 3317
DUE = PRINCIPAL + COSTS + INTEREST
NO_INTEREST = lambda invoice, day: 0  # noqa: E731 - the amounts stay the ones booked


def weeks(store: FakeStore, *labels: str):
    return [
        build_statement(PRACTICE, Week.parse(label), store.invoices.values()) for label in labels
    ]


def handed_over_claim(**overrides: object):
    """A claim with the agency: principal, BIK and interest open."""
    at = datetime(2027, 1, 14, 6, 0, tzinfo=AMSTERDAM)
    ledger = (
        *ledger_for(sample_lines()),
        LedgerEntry(EntryKind.COSTS, Component.COSTS, COSTS, at, "dunning:letter-1"),
        LedgerEntry(EntryKind.INTEREST, Component.INTEREST, INTEREST, at, "dunning:letter-1"),
    )
    return make_invoice(
        ledger=ledger,
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=HANDED_OVER,
        **overrides,
    )


@pytest.fixture
def reported():
    """A claim with the agency (principal, BIK and interest open), its patient blocked;
    on Monday 15 February the agency reports it paid in full on 12 February."""
    invoice = handed_over_claim()
    at = invoice.ledger[-1].at
    store = FakeStore([invoice], [PRACTICE])
    store.block_patient(invoice.provider_id, invoice.patient_ref, invoice.invoice_id, at)
    files = FilesInMemory()
    ctx = CollectionReportContext(store, files, FixedClock(REPORTED_AT), interest=NO_INTEREST)
    row = f"reference;agency_ref;status;amount_cents;paid_on\n{REFERENCE};CMIB-1;paid;{DUE};2027-02-12\n"
    import_collection_report(row.encode(), "collection-reports/a.csv", ctx)
    assert store.invoice().amount_due_cents == 0
    return store, files


def bank(store: FakeStore, files: FilesInMemory, links: LinksInMemory | None = None):
    clock = FixedClock(REMITTED_AT)
    return BankImportContext(
        store, files, links or LinksInMemory(store), clock, interest=NO_INTEREST
    )


def remittance(cents: int, **fields: object) -> bytes:
    entry = credit(cents, booking_date="2027-02-23", payer="CMIB Incasso B.V.", **fields)
    return statement(entry, statement_id="STMT-2027-02-23")


def test_the_agencys_report_settles_the_claim_but_is_not_money_received(reported):
    """R24, R22. Given a claim at the agency
    When the agency reports it paid in full (€ 74,40: BIK, interest and principal)
    Then the claim is settled, and the week's statement shows the € 74,40 as collected by
    the collection agency (JSON and CSV, as information) but receives and pays out
    nothing of it: no money came into our account."""
    store, _ = reported

    [w07] = weeks(store, "2027-W07")

    assert w07.total(EntryKind.PAYMENT) == -DUE  # the ledger's lines, reconciled (R27)
    assert (w07.received_cents, w07.service_fee_cents, w07.payout_cents) == (0, 0, 0)
    assert w07.collected_by_agency_cents == DUE
    document = json.loads(statement_json(w07))
    assert document["settlement"] == {"received": 0, "refunded": 0, "service_fee": 0, "payout": 0}
    assert document["information"] == {"collected_by_agency": DUE, "remitted_by_agency": 0}
    rows = list(csv.DictReader(io.StringIO(statement_csv(w07).decode()), delimiter=";"))
    [collected] = [r for r in rows if r["kind"] == "collected_by_agency"]
    assert (collected["record"], collected["amount_cents"]) == ("information", str(DUE))
    assert "geïnd door incassobureau" in collected["note"]
    assert "collected by the collection agency" in collected["note"]


def test_the_agencys_transfer_quoting_the_kenmerk_is_received_once_and_held_for_nobody(
    reported,
):
    """R24, R13. Given the claim the agency reported paid
    When its transfer of the € 74,40 arrives quoting the kenmerk, and the statement is
    read again
    Then it is received once, in that week's payout, with the agency's figure as
    remitted; the claim still owes nothing and holds no credit for a refund, and over the
    weeks the money received is the € 74,40 that reached our account, once."""
    store, files = reported
    ctx = bank(store, files)
    data = remittance(DUE, scor=REFERENCE, tx_id="CMIB-AFDRACHT-1")

    first = import_statement(data, "bank/s.xml", ctx)
    again = import_statement(data, "bank/s.xml", ctx)

    assert (len(first.booked), first.unmatched, again.duplicates) == (1, [], 1)
    claim = store.invoice()
    assert (claim.amount_due_cents, claim.credit_cents, claim.balance_cents) == (0, 0, 0)
    w07, w08 = weeks(store, "2027-W07", "2027-W08")
    assert (w07.received_cents, w08.received_cents) == (0, DUE)
    assert w08.received_by_component == {
        Component.PRINCIPAL: PRINCIPAL,
        Component.COSTS: COSTS,
        Component.INTEREST: INTEREST,
    }
    assert (w08.remitted_by_agency_cents, w08.collected_by_agency_cents) == (DUE, 0)
    assert w08.payout_cents == DUE - w08.service_fee_cents


def test_r12_r3_a_retried_upload_counts_the_agencys_transfer_as_booked_not_a_duplicate(
    reported, subtests
):
    """R12 "duplicates are ignored", R3 (a crashed run retried), R24 (audit loose48):
    Given the claim the agency reported paid, and a statement upload with the agency's
    transfer of the € 74,40 read by the function (its upload's checkpoint key)
    When the upload is run again (Lambda's retry of a run that crashed after booking)
    Then the retry counts it booked, not a duplicate (before: 1 duplicate), as an
    ordinary payment's retry does; another upload of the statement counts a duplicate,
    and the money is received once."""
    from billing_core.payments.bank_import import checkpoint_key

    store, files = reported
    data = remittance(DUE, scor=REFERENCE, tx_id="CMIB-AFDRACHT-1")

    def upload(version: str):
        run = replace(bank(store, files), checkpoint_key=checkpoint_key("bank/s.xml", version))
        return import_statement(data, "bank/s.xml", replace(run, checkpoints=files)).summary()

    first, retried, uploaded_again = upload("v1"), upload("v1"), upload("v2")

    keys = ("booked", "duplicates", "unmatched")
    with subtests.test("the retry"):
        assert [retried[k] for k in keys] == [first[k] for k in keys] == [1, 0, 0]
    with subtests.test("another upload"):
        assert [uploaded_again[k] for k in keys] == [0, 1, 0]
    [w08] = weeks(store, "2027-W08")
    assert (store.invoice().amount_due_cents, w08.received_cents) == (0, DUE)


def test_a_transfer_of_less_than_the_agency_collected_is_booked_as_far_as_it_goes(reported):
    """Given the claim the agency reported paid (€ 74,40, of which € 40,00 BIK)
    When the agency transfers € 34,40 (it kept the BIK: the owners' business)
    Then € 34,40 is received (principal, then interest), the € 40,00 BIK stays visible as
    the agency's on the claim, and the claim holds no credit."""
    store, files = reported

    import_statement(remittance(DUE - COSTS, scor=REFERENCE), "bank/s.xml", bank(store, files))

    [w08] = weeks(store, "2027-W08")
    assert w08.received_by_component == {
        Component.PRINCIPAL: PRINCIPAL,
        Component.COSTS: 0,
        Component.INTEREST: INTEREST,
    }
    claim = store.invoice()
    assert (claim.amount_due_cents, claim.credit_cents) == (0, 0)
    assert reversible(claim, "agency:CMIB-1") == {  # the agency's, not transferred
        Component.PRINCIPAL: 0,
        Component.COSTS: COSTS,
        Component.INTEREST: 0,
    }


def test_a_transfer_of_more_than_the_agency_collected_is_for_a_person(reported):
    """Given the claim the agency reported paid (€ 74,40)
    When a transfer of € 80,00 quoting its kenmerk arrives
    Then nothing is booked: it is listed for a person, naming the kenmerk, and no credit
    is held on the claim (we do not guess what the € 5,60 is for)."""
    store, files = reported
    ledger = store.invoice().ledger

    report = import_statement(remittance(8000, scor=REFERENCE), "bank/s.xml", bank(store, files))

    assert report.booked == []
    [line] = report.unmatched
    assert (line.reason, line.kenmerk) == ("remittance_exceeds_agency_collection", REFERENCE)
    assert store.invoice().ledger == ledger


def back_office(store: FakeStore, files: FilesInMemory, cents: int):
    """The agency's bulk transfer without a kenmerk, unmatched by the import."""
    links = LinksInMemory(store)
    import_statement(
        remittance(cents, ustrd=("CMIB afdracht februari",)), "b.xml", bank(store, files, links)
    )
    [waiting] = links.unmatched_credits()
    ctx = BackOfficeContext(
        store, files, links, AuditInMemory(), FakeQueue(), FixedClock(REMITTED_AT),
        Reader("operator-sub-1", "operator"),
    )  # fmt: skip
    return waiting.credit_id, ctx


def test_an_operators_match_of_the_agencys_transfer_is_received_once(reported):
    """R34, R24. Given the claim the agency reported paid, and its transfer without a
    kenmerk waiting for a person
    When an operator matches it to the claim
    Then it is received once that week, and the claim holds no credit."""
    store, files = reported
    credit_id, ctx = back_office(store, files, DUE)

    match_credit(credit_id, MatchTarget(reference=REFERENCE), ctx)

    claim = store.invoice()
    assert (claim.amount_due_cents, claim.credit_cents) == (0, 0)
    [w08] = weeks(store, "2027-W08")
    assert (w08.received_cents, w08.remitted_by_agency_cents) == (DUE, DUE)


def test_an_operators_match_of_more_than_the_agency_collected_is_refused(reported):
    """Given the agency's transfer of € 80,00 for the claim it reported paid at € 74,40
    When an operator matches it to the claim
    Then it is refused, saying how much the agency still has to transfer, and nothing is
    booked."""
    store, files = reported
    credit_id, ctx = back_office(store, files, 8000)
    ledger = store.invoice().ledger

    with pytest.raises(Refused) as refused:
        match_credit(credit_id, MatchTarget(reference=REFERENCE), ctx)

    assert refused.value.code == "remittance_exceeds_agency_collection"
    assert "€\u00a074,40" in refused.value.message_nl and "€74.40" in refused.value.message_en
    assert store.invoice().ledger == ledger


def test_a_match_refused_for_more_than_the_agency_collected_leaves_the_credit_listed(reported):
    """R12, R34 (the money walk's steps of round 40: an agency's transfer of 120 %
    matched by an operator). Given the agency's transfer of € 80,00 without a kenmerk for
    the claim it reported paid at € 74,40
    When an operator matches it to the claim (refused: 422 remittance_exceeds_...)
    Then the credit is still on the list, unmatched, for the operator to match as the
    agency says (a plan written before the refusal would hide it for good, nothing
    booked: money in the account on no invoice and on no list)."""
    store, files = reported
    credit_id, ctx = back_office(store, files, 8000)

    with pytest.raises(Refused):
        match_credit(credit_id, MatchTarget(reference=REFERENCE), ctx)

    [still] = ctx.links.unmatched_credits()
    assert (still.credit_id, still.match) == (credit_id, None)


def test_a_match_refused_by_its_booking_after_another_leaves_the_credit_listed(reported):
    """R12, R34 (audit security4: two at once). Given two transfers of € 50,00 from the
    agency without a kenmerk, for the claim it reported paid at € 74,40
    When two operators match one each to the claim at the same moment: the first one's
    check reads € 74,40 awaited, the second's whole match books € 50,00 before the first's
    plan is written, so the first's booking is refused (422 remittance_exceeds_...)
    Then the first credit is on the list again, unmatched, to be matched as the agency
    says (before: planned with nothing booked, off the list for good and then expired)."""
    store, files = reported
    links = LinksInMemory(store)
    for number in (1, 2):
        statement_of = remittance(5000, ustrd=(f"CMIB afdracht {number}",), tx_id=f"CMIB-{number}")
        import_statement(statement_of, f"b{number}.xml", bank(store, files, links))
    first, second = links.unmatched_credits()
    ctx = BackOfficeContext(
        store, files, links, AuditInMemory(), FakeQueue(), FixedClock(REMITTED_AT),
        Reader("operator-sub-1", "operator"),
    )  # fmt: skip
    plan = links.plan_credit_match

    def the_other_matches_first(credit_id, match):
        links.plan_credit_match = plan
        match_credit(second.credit_id, MatchTarget(reference=REFERENCE), ctx)
        return plan(credit_id, match)

    links.plan_credit_match = the_other_matches_first

    with pytest.raises(Refused) as refused:
        match_credit(first.credit_id, MatchTarget(reference=REFERENCE), ctx)

    assert refused.value.code == "remittance_exceeds_agency_collection"
    assert awaited_cents(store.invoice()) == DUE - 5000
    [still] = links.unmatched_credits()
    assert (still.credit_id, still.match) == (first.credit_id, None)


def with_another_invoice(store: FakeStore, cents: int, *, issued: date, pay_by: date):
    """The claim's patient also has invoice number 2 at the practice, ``cents`` open."""
    claim = store.invoice()
    at = datetime.combine(issued, datetime.min.time(), tzinfo=AMSTERDAM)
    other = make_invoice(
        invoice_id="inv-2",
        reference=reference.for_sequence(2, REFERENCE_KEY),
        patient_ref=claim.patient_ref,
        issue_date=issued,
        final_payment_date=pay_by,
        ledger=(LedgerEntry(EntryKind.ISSUED, Component.PRINCIPAL, cents, at, "declaration:d-2"),),
    )
    store.put_invoice_as_is(other)
    return claim


def to_the_patient(claim) -> MatchTarget:
    return MatchTarget(provider_id=claim.provider_id, patient_ref=claim.patient_ref)


def test_a_credit_matched_to_the_patient_of_a_claim_waiting_for_the_agency_is_its_transfer(
    reported,
):
    """R24, R34. Given the claim the agency reported paid (€ 74,40 waiting for its
    transfer) and the patient's other invoice paid already
    When an operator matches the agency's transfer without a kenmerk to the patient
    Then it is booked as a match to the claim's kenmerk books it: the agency's transfer,
    received once, no credit held for the patient."""
    store, files = reported
    claim = with_another_invoice(store, 0, issued=date(2026, 6, 1), pay_by=date(2026, 7, 1))
    credit_id, ctx = back_office(store, files, DUE)

    match_credit(credit_id, to_the_patient(claim), ctx)

    claim = store.invoice(claim.invoice_id)
    assert (claim.amount_due_cents, claim.credit_cents, awaited_cents(claim)) == (0, 0, 0)
    [w08] = weeks(store, "2027-W08")
    assert (w08.received_cents, w08.remitted_by_agency_cents) == (DUE, DUE)


@pytest.mark.parametrize(
    ("cents", "issued", "pay_by"),
    [
        # the patient's older invoice, due on the credit's date: it came first, and the
        # agency's transfer paid the € 50,00 the patient owes, the rest the agency's
        (DUE, date(2026, 6, 1), date(2026, 7, 1)),
        # a newer one, not due yet: the patient's own € 50,00 for it was taken as the
        # agency's transfer, and the patient still owed it
        (5000, date(2027, 2, 1), date(2027, 3, 1)),
    ],
)
def test_a_credit_matched_to_the_patient_is_refused_when_it_may_be_the_agencys_or_the_patients(
    reported, cents, issued, pay_by
):
    """R24, R13, R34, R22. Given the claim the agency reported paid (€ 74,40 waiting for
    its transfer) and another invoice of the same patient with € 50,00 open
    When an operator matches a credit without a kenmerk to the patient
    Then it is refused (422 agency_transfer_or_patients_payment, naming the claim's
    kenmerk and what the agency still has to transfer): the patient number cannot tell
    the agency's transfer from the patient's own payment. Nothing is booked on either
    invoice and the credit stays listed, for the operator to match it to a kenmerk."""
    store, files = reported
    claim = with_another_invoice(store, 5000, issued=issued, pay_by=pay_by)
    credit_id, ctx = back_office(store, files, cents)
    before = {i.invoice_id: i.ledger for i in store.invoices.values()}

    with pytest.raises(Refused) as refused:
        match_credit(credit_id, to_the_patient(claim), ctx)

    assert refused.value.code == "agency_transfer_or_patients_payment"
    assert KENMERK in refused.value.message_nl and KENMERK in refused.value.message_en
    assert "€\u00a074,40" in refused.value.message_nl and "€74.40" in refused.value.message_en
    assert {i.invoice_id: i.ledger for i in store.invoices.values()} == before
    [still] = ctx.links.unmatched_credits()
    assert (still.credit_id, still.match) == (credit_id, None)


def test_a_patients_own_transfer_after_the_agency_transferred_is_an_ordinary_payment(
    reported,
):
    """R13. Given the claim the agency reported paid and whose money it transferred
    When the patient pays the claim again to us
    Then that is money of the patient: received, and held as the patient's credit."""
    store, files = reported
    ctx = bank(store, files)
    import_statement(remittance(DUE, scor=REFERENCE, tx_id="AGENCY"), "bank/a.xml", ctx)

    patient = credit(1000, scor=REFERENCE, tx_id="PATIENT", booking_date="2027-02-23")
    import_statement(statement(patient, statement_id="S-2"), "bank/b.xml", ctx)

    assert store.invoice().credit_cents == 1000
    [w08] = weeks(store, "2027-W08")
    assert w08.received_cents == DUE + 1000


def test_a_week_without_the_agencys_money_keeps_its_bytes():
    """R24: a statement's file is what its ledgers write; a week with none of the agency's
    money has no information block or rows (the files written before stay the same)."""
    invoice = replace(make_invoice(), provider_id=PRACTICE.provider_id)
    [week] = [build_statement(PRACTICE, Week.parse("2026-W48"), [invoice])]
    assert "information" not in json.loads(statement_json(week))
    assert b"information" not in statement_csv(week)


@pytest.mark.parametrize("returned", [DUE, 1000])
def test_the_agencys_transfer_returned_by_the_bank_is_awaited_from_the_agency_again(
    reported, returned
):
    """R12, R24, R22 (audit review40 REV40-1). Given the claim the agency reported paid
    (€ 74,40) and its transfer of that money booked
    When the bank returns (part of) that transfer
    Then the returned money is the agency's to transfer again, not the patient's to pay:
    the claim still owes nothing and the patient stays unblocked; the week's money
    received and remitted by the agency both fall by what came back, and the agency's
    transfer sent again is booked as its transfer, once."""
    store, files = reported
    ctx = bank(store, files)
    import_statement(remittance(DUE, scor=REFERENCE, tx_id="CMIB-AFDRACHT-1"), "bank/s.xml", ctx)
    back = debit(returned, return_reason="AC04", tx_id="CMIB-AFDRACHT-1", booking_date="2027-02-24")

    report = import_statement(statement(back, statement_id="S-RET"), "bank/r.xml", ctx)

    assert (len(report.reversed), report.unmatched) == (1, [])
    claim = store.invoice()
    assert (claim.amount_due_cents, claim.credit_cents) == (0, 0)
    assert awaited_cents(claim) == returned
    assert not is_blocked(store, claim.provider_id, claim.patient_ref)
    [w08] = weeks(store, "2027-W08")
    assert (w08.received_cents, w08.remitted_by_agency_cents) == (DUE - returned,) * 2
    again = remittance(returned, scor=REFERENCE, tx_id="CMIB-AFDRACHT-2")
    assert import_statement(again, "bank/a.xml", ctx).unmatched == []
    claim = store.invoice()
    assert (claim.amount_due_cents, claim.credit_cents, awaited_cents(claim)) == (0, 0, 0)
    [w08] = weeks(store, "2027-W08")
    assert (w08.received_cents, w08.remitted_by_agency_cents) == (DUE, DUE)


def test_the_agencys_transfer_returned_by_the_bank_makes_the_patient_owe_nothing_again(
    reported,
):
    """R22, R24, R27 (the money walk of round 40: ``bank_return`` of an agency's transfer).
    Given the claim the agency reported paid, and its transfer of the € 74,40 booked
    When the bank returns that transfer (MD06)
    Then the patient, who paid the agency, owes nothing and stays unblocked, and the
    € 74,40 is again what the agency has to transfer: not a claim reopened on the patient."""
    store, files = reported
    ctx = bank(store, files)
    import_statement(remittance(DUE, scor=REFERENCE, tx_id="CMIB-AFDRACHT-1"), "s.xml", ctx)
    returned = debit(DUE, return_reason="MD06", tx_id="CMIB-AFDRACHT-1", booking_date="2027-02-24")

    import_statement(statement(returned, statement_id="STMT-2027-02-24"), "r.xml", ctx)

    claim = store.invoice()
    assert (claim.amount_due_cents, awaited_cents(claim)) == (0, DUE)
    assert not blocked_numbers(store, claim.provider_id)


def told_the_agency(store: FakeStore, day: date) -> list[tuple[str, int, str]] | None:
    """The entries of the agency's daily file of ``day`` (kind, cents, cause); None
    when no file is written for that day."""
    files = FilesInMemory()
    write_agency_updates(day, store, files)
    key = agency_updates_key(day, PRACTICE.provider_id)
    if key not in files.files:
        return None
    [claim] = json.loads(files.files[key])["claims"]
    return [(e["kind"], e["amount_cents"], e["cause"]) for e in claim["entries"]]


def test_the_agencys_daily_file_tells_its_report_but_not_its_transfer_to_us(reported):
    """R34 (the daily file tells the agency what changed on our side of a claim it holds),
    R24, R22. Given the claim the agency reported paid on Monday 15 February
    When its transfer of the € 74,40 reaches us on 23 February, and the bank returns it on
    24 February
    Then the file of 15 February tells the claim paid by the agency's report; the files of
    23 and 24 February are not written: the transfer and its return change nothing the
    claim owes (its entries, a reversal of the agency's report and our bank payment, total
    0 per component: our bookkeeping, not the claim's state at the agency)."""
    store, files = reported
    ctx = bank(store, files)
    import_statement(remittance(DUE, scor=REFERENCE, tx_id="CMIB-AFDRACHT-1"), "bank/s.xml", ctx)
    back = debit(DUE, return_reason="AC04", tx_id="CMIB-AFDRACHT-1", booking_date="2027-02-24")
    import_statement(statement(back, statement_id="S-RET"), "bank/r.xml", replace(
        ctx, clock=FixedClock(datetime(2027, 2, 24, 9, 0, tzinfo=AMSTERDAM))
    ))  # fmt: skip

    reported_on = told_the_agency(store, REPORTED_AT.date())
    assert reported_on is not None and {cause for _, _, cause in reported_on} == {"agency:CMIB-1"}
    assert sum(cents for _, cents, _ in reported_on) == -DUE
    assert told_the_agency(store, date(2027, 2, 23)) is None
    assert told_the_agency(store, date(2027, 2, 24)) is None


def test_a_patients_payment_on_the_day_of_the_agencys_transfer_is_told_alone(reported):
    """R34, R13. Given the claim the agency reported paid and its transfer reaching us on
    23 February
    When the patient also pays € 10,00 quoting the kenmerk that day
    Then the agency's file of 23 February lists the claim with that payment alone, not
    the entries of the agency's own transfer."""
    store, files = reported
    ctx = bank(store, files)
    import_statement(remittance(DUE, scor=REFERENCE, tx_id="AGENCY"), "bank/a.xml", ctx)
    patient = credit(1000, scor=REFERENCE, tx_id="PATIENT", booking_date="2027-02-23")
    import_statement(statement(patient, statement_id="S-2"), "bank/b.xml", ctx)

    told = told_the_agency(store, date(2027, 2, 23))

    assert told is not None
    assert [(kind, cents) for kind, cents, _ in told] == [("payment", -1000)]


SECOND = reference.for_sequence(2, REFERENCE_KEY)
FIRST_ID = make_invoice().invoice_id


def with_a_second_claim_reported(store: FakeStore, files: FilesInMemory):
    """Invoice number 2 of the same patient, also at the agency and reported paid in
    full (€ 74,40) on Monday 15 February: both claims wait for the agency's transfer."""
    store.put_invoice_as_is(handed_over_claim(invoice_id="inv-2", reference=SECOND))
    ctx = CollectionReportContext(store, files, FixedClock(REPORTED_AT), interest=NO_INTEREST)
    row = (
        f"reference;agency_ref;status;amount_cents;paid_on\n{SECOND};CMIB-2;paid;{DUE};2027-02-12\n"
    )
    import_collection_report(row.encode(), "collection-reports/b.csv", ctx)
    assert awaited_cents(store.invoice("inv-2")) == DUE
    return store.invoice("inv-2")


def the_import_books_on(store: FakeStore, files: FilesInMemory, links: LinksInMemory, ref: str):
    """The bank import books the agency's € 41,23 quoting ``ref``: a transfer of its own."""
    alone = credit(4123, booking_date="2027-02-23", scor=ref, tx_id=f"ALONE-{ref}")
    import_statement(
        statement(alone, statement_id=f"S-{ref}"), f"{ref}.xml", bank(store, files, links)
    )


def test_a_match_over_two_claims_refused_at_the_second_books_nothing_and_stays_listed(reported):
    """R34, R12, R24 (audit RETRIES4-3). Given two claims the agency reported paid at
    € 74,40 each, and its bulk transfer of € 148,80 without a kenmerk waiting for a person
    When an operator matches it to both kenmerken, and the bank import books the agency's
    own transfer of € 41,23 quoting the second claim between the operator's check and
    the booking (€ 33,17 left awaited there)
    Then the match is refused (422 remittance_exceeds_..., naming the € 33,17) and
    nothing of the credit is booked, on either claim: the credit is listed again,
    unmatched (before: € 74,40 booked on the first claim, the other € 74,40 on no
    invoice and off the list, every retry refused). A retry asks again as the claims
    are now: refused before anything is planned, the credit still listed."""
    store, files = reported
    second = with_a_second_claim_reported(store, files)
    credit_id, ctx = back_office(store, files, 2 * DUE)
    links = ctx.links
    first_ledger = store.invoice(FIRST_ID).ledger
    plan = links.plan_credit_match

    def the_import_books_first(credit_id, match):
        links.plan_credit_match = plan
        the_import_books_on(store, files, links, SECOND)
        return plan(credit_id, match)

    links.plan_credit_match = the_import_books_first
    both = MatchTarget(references=(REFERENCE, SECOND))

    with pytest.raises(Refused) as refused:
        match_credit(credit_id, both, ctx)

    assert refused.value.code == "remittance_exceeds_agency_collection"
    assert "€33.17" in refused.value.message_en
    assert store.invoice(FIRST_ID).ledger == first_ledger
    assert awaited_cents(store.invoice(FIRST_ID)) == DUE
    assert awaited_cents(store.invoice(second.invoice_id)) == DUE - 4123
    [still] = links.unmatched_credits()
    assert (still.credit_id, still.match) == (credit_id, None)
    with pytest.raises(Refused) as again:
        match_credit(credit_id, both, ctx)
    assert again.value.code == "remittance_exceeds_agency_collection"
    assert store.invoice(FIRST_ID).ledger == first_ledger
    assert [c.credit_id for c in links.unmatched_credits()] == [credit_id]


def test_a_match_over_an_invoice_and_a_claim_refused_at_the_claim_books_neither(reported):
    """R34, R13, R7 (audit RETRIES4-3). Given the patient's ordinary invoice of € 50,00
    and the claim the agency reported paid (€ 74,40 awaited), and a transfer of € 124,40
    naming both kenmerken, the invoice first
    When an operator matches it to both, and the bank import books € 41,23 of the
    agency's quoting the claim between the check and the booking
    Then nothing is booked on the invoice either, no "payment received" e-mail goes
    out, and the credit is listed again (before: the € 50,00 booked and told to the
    patient, the € 74,40 on no invoice and off the list)."""
    store, files = reported
    claim = with_another_invoice(store, 5000, issued=date(2026, 6, 1), pay_by=date(2026, 7, 1))
    invoice = store.invoice("inv-2")
    credit_id, ctx = back_office(store, files, 5000 + DUE)
    links = ctx.links
    plan = links.plan_credit_match

    def the_import_books_first(credit_id, match):
        links.plan_credit_match = plan
        the_import_books_on(store, files, links, claim.reference)
        return plan(credit_id, match)

    links.plan_credit_match = the_import_books_first

    with pytest.raises(Refused):
        match_credit(credit_id, MatchTarget(references=(invoice.reference, REFERENCE)), ctx)

    assert store.invoice("inv-2").ledger == invoice.ledger
    assert ctx.delivery.requests == []
    [still] = links.unmatched_credits()
    assert (still.credit_id, still.match) == (credit_id, None)


def test_the_agencys_parts_of_a_match_are_checked_again_when_written_meanwhile(reported):
    """R28, R34 (audit RETRIES4-3). Given two claims the agency reported paid at € 74,40
    each, and its bulk transfer of € 148,80 matched by an operator to both kenmerken
    When the bank import books € 41,23 of the agency's on the second claim after the
    match read the claims and before it writes them
    Then the write is refused as a concurrent change, the claims are read again, and the
    match is refused with nothing booked: the credit listed again."""
    store, files = reported
    second = with_a_second_claim_reported(store, files)
    credit_id, ctx = back_office(store, files, 2 * DUE)
    save_invoices = store.save_invoices

    def the_import_books_first(invoices, new_actions=()):
        store.save_invoices = save_invoices
        the_import_books_on(store, files, ctx.links, SECOND)
        return save_invoices(invoices, new_actions)

    store.save_invoices = the_import_books_first

    with pytest.raises(Refused):
        match_credit(credit_id, MatchTarget(references=(REFERENCE, SECOND)), ctx)

    assert awaited_cents(store.invoice(FIRST_ID)) == DUE
    assert awaited_cents(store.invoice(second.invoice_id)) == DUE - 4123
    assert [c.credit_id for c in ctx.links.unmatched_credits()] == [credit_id]


def test_a_match_over_two_claims_waiting_for_the_agency_books_both(reported):
    """R34, R24. Given two claims the agency reported paid at € 74,40 each
    When an operator matches its bulk transfer of € 148,80 to both kenmerken
    Then each claim has its € 74,40 received as the agency's transfer, none awaited."""
    store, files = reported
    second = with_a_second_claim_reported(store, files)
    credit_id, ctx = back_office(store, files, 2 * DUE)

    match_credit(credit_id, MatchTarget(references=(REFERENCE, SECOND)), ctx)

    assert [awaited_cents(store.invoice(i)) for i in (FIRST_ID, second.invoice_id)] == [0, 0]
    assert [(i.amount_due_cents, i.credit_cents) for i in store.invoices.values()] == [(0, 0)] * 2
    [w08] = weeks(store, "2027-W08")
    assert (w08.received_cents, w08.remitted_by_agency_cents) == (2 * DUE, 2 * DUE)
    assert ctx.links.unmatched_credits() == []
