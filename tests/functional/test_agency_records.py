"""The agency's record of a claim a late-read payment set right, written by each handler
that books payments, on moto and under the IAM recorder (conftest: every call allowed by
the function's role, template.yaml's TellTheAgency grant): R22, R34, legal-nl.md §2.

Given an invoice of 23 November, reminded by the run of 4 January (term to 18 January),
charged on 25 January and handed over on 8 February, a payment made on 5 January, in
the reminder's term, is read on 9 February: the costs are undone and the agency gets a
record of the day, ``collection/updates/2027-02-09/{provider}/{kenmerk}-paid-in-term.json``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest

from billing_core.adapters.dynamo.keys import AGENCY_FILES_KEY
from billing_core.adapters.dynamo.payment_links import PaymentLinkRepository
from billing_core.entrypoints.http import errors
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import Channel, DunningStage, Invoice
from billing_core.invoices.ledger import EntryKind
from billing_core.payments.booking import PAID_IN_TERM, IncomingPayment, book_payment, owed_on
from billing_core.payments.online import start_payment
from billing_core.payments.remittance import awaited_cents
from billing_core.ports import ConcurrentChange
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.sandbox import Caller, Sandbox
from local.seed import DENTAL
from tests.functional.stored_items import store_status
from tests.unit.camt_builder import credit, debit, statement

PROVIDER = DENTAL.provider_id
PAID_ON = date(2027, 1, 5)  # in the term of the reminder of 4 January
READ_ON = date(2027, 2, 9)  # the day after the handover
REPORTED_PAID = date(2027, 2, 8)  # the agency's report: paid in full that day
UNMATCHED = "/api/v1/operator/unmatched-credits"


def _on(sandbox: Sandbox, day: date, hour: int = 9) -> None:
    sandbox.clock.set(datetime.combine(day, time(hour), tzinfo=AMSTERDAM))


def _reread(sandbox: Sandbox, invoice: Invoice) -> Invoice:
    found = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert found is not None
    return found


@pytest.fixture
def reminded(sandbox: Sandbox) -> Invoice:
    """An e-mailed invoice of 23 November, reminded by the run of 4 January."""
    sandbox.upload_declaration(PROVIDER, "week-48.csv", declaration_csv(3))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    invoice = next(i for i in invoices if i.channel is Channel.EMAIL)
    _on(sandbox, date(2027, 1, 4))
    sandbox.run_dunning()
    invoice = _reread(sandbox, invoice)
    assert invoice.dunning_stage is DunningStage.REMINDED
    return invoice


def _handed_over(sandbox: Sandbox, invoice: Invoice) -> None:
    """The runs of 25 January (the costs) and 8 February (the handover), then 9 February."""
    for day in (date(2027, 1, 25), date(2027, 2, 8)):
        _on(sandbox, day)
        sandbox.run_dunning()
    assert _reread(sandbox, invoice).is_with_collection_agency
    _on(sandbox, READ_ON)


def _the_agencys_record(sandbox: Sandbox, invoice: Invoice) -> None:
    """Then the costs are undone and the agency has the record of the day saying why."""
    key = f"collection/updates/{READ_ON}/{PROVIDER}/{invoice.reference}-paid-in-term.json"
    assert sandbox.output_keys(key) == [key]
    record = json.loads(sandbox.output_object(key))
    assert record["reason"] == PAID_IN_TERM
    assert record["amounts_cents"]["collection_costs"] == 0
    assert _reread(sandbox, invoice).amount_due_cents == 0


def test_the_bank_import_writes_the_agencys_record(sandbox, reminded):
    """Given the handover, when the statement with a transfer quoting the kenmerk credited
    on 5 January is read on 9 February, then bank_statement_import writes the record."""
    _handed_over(sandbox, reminded)
    transfer = credit(
        reminded.amount_due_cents, scor=reminded.reference, booking_date=PAID_ON.isoformat()
    )

    sandbox.upload_bank_statement(statement(transfer), "2027-02-09.xml")

    _the_agencys_record(sandbox, reminded)


def test_the_psp_webhook_writes_the_agencys_record(sandbox, reminded):
    """Given an iDEAL payment made on 5 January whose webhook only gets through on
    9 February, after the handover, then psp_webhook writes the record."""
    _on(sandbox, PAID_ON)
    checkout = start_payment(
        reminded.reference,
        BirthDate(reminded.birth_date),
        sandbox.runtime.online_payment_context(),
    )
    webhook = sandbox.runtime.psp.complete(checkout.psp_payment_id, "paid")  # type: ignore[attr-defined]
    _handed_over(sandbox, reminded)

    sandbox.post_psp_webhook(webhook.body, webhook.content_type)

    _the_agencys_record(sandbox, reminded)


def test_an_operators_match_writes_the_agencys_record(sandbox, reminded):
    """Given the handover and a transfer credited on 5 January without a kenmerk, read
    on 9 February, when an operator matches it to the invoice, then the operator API
    writes the record."""
    _handed_over(sandbox, reminded)
    transfer = credit(
        reminded.amount_due_cents, ustrd=("tandarts",), booking_date=PAID_ON.isoformat()
    )
    sandbox.upload_bank_statement(statement(transfer), "2027-02-09.xml")
    operator = Caller.operator("agency-records")
    _, unmatched = sandbox.api("GET", UNMATCHED, caller=operator)
    [line] = unmatched["items"]
    path = f"{UNMATCHED}/{line['credit_id']}/match"

    status, _ = sandbox.api("POST", path, caller=operator, body={"reference": reminded.reference})

    assert status == 200
    _the_agencys_record(sandbox, reminded)


def _told_in_daily_files(sandbox: Sandbox, invoice: Invoice) -> list[tuple[object, ...]]:
    """Every ledger entry of the claim that the agency's daily files told, in day order
    (a day's file tells each entry of its day after the handover's, R34)."""
    told = []
    for key in sorted(sandbox.output_keys("collection-updates/")):
        for claim in json.loads(sandbox.output_object(key))["claims"]:
            if claim["reference"] == invoice.reference:
                told += [
                    (e["at"], e["kind"], e["component"], e["amount_cents"], e["cause"])
                    for e in claim["entries"]
                ]
    return told


def _each_entry_since_the_handover_told_once(sandbox: Sandbox, invoice: Invoice) -> None:
    """The claim's entries after the handover, a payment among them, each told once in the
    daily files, in day order (R34)."""
    after = _reread(sandbox, invoice)
    later = after.ledger[after.handover_entries or 0 :]
    assert EntryKind.PAYMENT in {e.kind for e in later}
    assert _told_in_daily_files(sandbox, invoice) == [
        (e.at.isoformat(), e.kind.value, e.component.value, e.amount_cents, e.cause) for e in later
    ]


def test_a_claim_at_the_agency_is_never_handed_over_a_second_time(sandbox, reminded):
    """R19, R22, R34 (known.md stop 36, "a claim handed over a second time"): no path
    takes a claim back from the agency. Only ``hand_over`` sets the stage, and nothing
    sets it back (a kept arrangement's ``undo_since_cancellation`` leaves an agency claim
    as it is); the claim is off the run's index (``dunning_check_day``), ``plan`` gives it
    no step and ``hand_over`` leaves a claim that is not costs_charged. So it is handed
    over once and its ``handover_entries`` never change.
    Given the claim handed over on 8 February
    When a part is paid by bank on 9 February, the agency settles the rest on
    12 February, the runs go on and the handover day is replayed
    Then there is one handover file, holding the ledger as handed over, and each entry
    after it is told once, in its day's daily file."""
    _handed_over(sandbox, reminded)
    handed = _reread(sandbox, reminded)
    assert handed.handover_entries == len(handed.ledger)
    transfer = credit(1000, scor=reminded.reference, booking_date=READ_ON.isoformat())
    sandbox.upload_bank_statement(statement(transfer), "2027-02-09.xml")
    for day in (READ_ON, date(2027, 2, 10), date(2027, 2, 11)):
        _on(sandbox, day)
        sandbox.run_dunning()
    _on(sandbox, date(2027, 2, 12))
    settled = f"{reminded.reference};CMIB-7;settled;;2027-02-12"
    report = f"reference;agency_ref;status;amount_cents;paid_on\r\n{settled}\r\n"
    sandbox.upload_collection_report(report.encode(), "agency-2027-02-12.csv")
    _on(sandbox, date(2027, 2, 13))
    sandbox.run_dunning()
    sandbox.run_dunning(as_of=date(2027, 2, 8))  # an operator replays the handover day

    after = _reread(sandbox, reminded)
    assert after.is_paid and after.is_with_collection_agency
    assert (after.handed_over_on, after.handover_entries) == (
        date(2027, 2, 8),
        handed.handover_entries,
    )
    handover = f"collection/2027-02-08/{PROVIDER}/{reminded.reference}.json"
    assert [k for k in sandbox.output_keys("collection/2") if reminded.reference in k] == [handover]
    as_handed_over = json.loads(sandbox.output_object(handover))["ledger"]
    assert len(as_handed_over) == handed.handover_entries
    later = after.ledger[handed.handover_entries :]
    assert {e.kind for e in later} >= {EntryKind.PAYMENT, EntryKind.STOP}
    assert _told_in_daily_files(sandbox, reminded) == [
        (e.at.isoformat(), e.kind.value, e.component.value, e.amount_cents, e.cause) for e in later
    ]


def test_r34_a_payment_passed_by_on_an_unreadable_day_reaches_the_agency_once_mended(
    sandbox, reminded
):
    """R34 "payments received on our side for a claim at the agency reach the agency in a
    daily file", R39 (audit agency52 item 1).
    Given the claim handed over on 8 February, paid in part on 9 February, and its stored
    item broken overnight (a status no invoice has)
    When the run of 10 February writes the file of 9 February, an operator mends the item,
    and the runs of 11 and 12 February go (no one replays the 9th)
    Then the run of the 10th lists the claim as its error and owes the 9th's file; the run
    of the 11th writes that file again with the payment (agency_days_mended) and owes it
    no more: the payment is told once, and the run of the 12th writes nothing owed.
    Before: the file of the 9th stayed without the payment unless an operator replayed
    that day (told: 0 of 1)."""
    _handed_over(sandbox, reminded)
    part = credit(1_000, scor=reminded.reference, booking_date=READ_ON.isoformat())
    sandbox.upload_bank_statement(statement(part), f"{READ_ON}.xml")
    sandbox.drain_deliveries()
    mended_status = store_status(sandbox, PROVIDER, reminded.invoice_id, "not-a-status")

    _on(sandbox, date(2027, 2, 10), hour=6)
    broken_day = sandbox.run_dunning()
    assert broken_day["errors"] == [
        {"invoices": [reminded.invoice_id], "error": "UnreadableInvoice"}
    ]
    assert _told_in_daily_files(sandbox, reminded) == []
    store_status(sandbox, PROVIDER, reminded.invoice_id, mended_status)
    _on(sandbox, date(2027, 2, 11), hour=6)
    mended_day = sandbox.run_dunning()
    _on(sandbox, date(2027, 2, 12), hour=6)
    next_day = sandbox.run_dunning()

    _each_entry_since_the_handover_told_once(sandbox, reminded)
    # (the run of 10 February wrote the files of 8 and 9 February: both were owed)
    assert mended_day["agency_days_mended"] == ["2027-02-08", READ_ON.isoformat()]
    assert mended_day["errors"] == []
    assert "agency_days_mended" not in next_day
    assert sandbox.runtime.repository.agency_files_owed() == set()


def test_r34_the_first_run_without_a_mark_writes_the_days_since_the_first_handover(
    sandbox, reminded
):
    """R34 "payments received on our side for a claim at the agency reach the agency in a
    daily file", R39 (runs53 item 1; weeks52: "the very first agency run writes only
    yesterday").
    Given the claim handed over on 8 February, paid in part on 9 February, and no mark of
    the agency's files in the table (one restored without it, or stored by a deploy
    before it: the run of 12 February is the first to find none)
    When the run of 12 February goes
    Then it writes the days from the handover, 8 to 11 February, the payment of the 9th
    told once, and moves the mark to the 11th.
    Before: it wrote 11 February only, as for a service with no claim at the agency: the
    payment never reached the agency (told: 0 of 1)."""
    _handed_over(sandbox, reminded)
    part = credit(1_000, scor=reminded.reference, booking_date=READ_ON.isoformat())
    sandbox.upload_bank_statement(statement(part), f"{READ_ON}.xml")
    repository = sandbox.runtime.repository
    repository._table.delete_item(Key=AGENCY_FILES_KEY)
    assert repository.agency_files_written_through() is None

    _on(sandbox, date(2027, 2, 12), hour=6)
    first = sandbox.run_dunning()

    _each_entry_since_the_handover_told_once(sandbox, reminded)
    assert (first["agency_days"], first["complete"]) == (["2027-02-08", "2027-02-11"], True)
    assert repository.agency_files_written_through() == date(2027, 2, 11)


def _on_day(sandbox: Sandbox, day: date, statement_xml: bytes) -> None:
    _on(sandbox, day)
    sandbox.upload_bank_statement(statement_xml, f"{day}.xml")


def test_every_entry_booked_on_a_claim_after_its_handover_reaches_the_agency(sandbox, reminded):
    """R34 "payments received on our side for a claim at the agency reach the agency in a
    daily file", R13, R21, R27 (round 38; known.md stop 37, "the agency's daily file").
    What can be booked on a claim at the agency, each by its own handler or API, one a day:
    a part payment by bank (with the interest up to it: interest is booked only so, before
    the payment's allocation), its return by the payer's bank, a coulance the practice
    enters, an operator's correction of it, a transfer of more than is owed (credit), and
    the operator's refund of that credit by bank transfer. (The agency's own payments and
    write-offs: the test above; a retour or credit line: tests/unit/test_vektis_*; an
    arrangement or a coulance proposal is refused at the agency.)
    Given the claim handed over on 8 February
    When each is booked on its day from 9 to 16 February and the run of 17 February goes
    Then each entry after the handover file's is told once, in its own day's file: also
    the refund, alone on its day, which takes the claim from credit held to nothing
    (before: only entries of a "told" kind opened a day's file, a refund was none)."""
    _handed_over(sandbox, reminded)
    ref = reminded.reference
    part = credit(1_000, scor=ref, tx_id="TX-A", booking_date=READ_ON.isoformat())
    _on_day(sandbox, READ_ON, statement(part, statement_id="S-9"))
    back = debit(1_000, return_reason="MD06", tx_id="TX-A", booking_date="2027-02-10")
    _on_day(sandbox, date(2027, 2, 10), statement(back, statement_id="S-10"))
    _on(sandbox, date(2027, 2, 11))
    coulance = {"scope": "partial", "amount": 200, "reason": "goodwill", "accept_terms": True}
    stop = coulance | {"patient_email": reminded.addressee.email}
    staff = Caller.practice(PROVIDER, "staff")
    stop_path = f"/api/v1/provider/invoices/{reminded.invoice_id}/stop"
    answer = sandbox.api("POST", stop_path, caller=staff, body=stop)
    assert answer[0] == 200, answer
    _on(sandbox, date(2027, 2, 12))
    entry_id = len(_reread(sandbox, reminded).ledger)  # the coulance, the ledger's last
    correction = {"entry_id": entry_id, "reason": "coulance bij de verkeerde"}
    operator = Caller.operator("agency-records")
    corrections = f"/api/v1/operator/invoices/{ref}/corrections"
    # R22, R28, R38 (refunds58): the correction saved, the patient's block keeps changing
    # past the store's retries: 409 saying it was saved and to send it again (it said
    # "nothing was saved"); sent again with its key, the coulance is reversed once (the
    # daily files below tell each entry once) and the patient is blocked.
    repository = sandbox.runtime.repository

    def block_changed_meanwhile(*_, **__):
        raise ConcurrentChange("block")

    keyed = {"Content-Type": "application/json", "Idempotency-Key": "correct-coulance"}
    request = {"caller": operator, "body": correction, "headers": keyed}
    with pytest.MonkeyPatch.context() as racing:
        racing.setattr(repository, "block_patient", block_changed_meanwhile)
        status, lost = sandbox.api("POST", corrections, **request)
    assert (status, lost["error"]) == (
        409,
        {"code": "concurrent_change", "message": errors.SAVED_UNFINISHED},
    )
    assert _reread(sandbox, reminded).ledger[-1].kind is EntryKind.COULANCE  # its reversal
    assert sandbox.api("POST", corrections, **request)[0] == 200
    coulances = [
        e.amount_cents for e in _reread(sandbox, reminded).ledger if e.kind is EntryKind.COULANCE
    ]
    assert coulances == [-200, 200]
    assert reminded.patient_ref in {p.patient_ref for p in repository.blocked_patients(PROVIDER)}
    _on(sandbox, date(2027, 2, 15))
    owed = _reread(sandbox, reminded).amount_due_cents  # without the interest of the last days
    more = credit(owed + 2_000, scor=ref, tx_id="TX-B", booking_date="2027-02-15")
    sandbox.upload_bank_statement(statement(more, statement_id="S-15"), "2027-02-15.xml")
    assert _reread(sandbox, reminded).credit_cents > 1_900
    _on(sandbox, date(2027, 2, 16))
    account = {"iban": "NL91ABNA0417164300", "account_holder": "A. Visser"}
    refunds = {"refunds": [{"reference": ref, **account}]}
    status, batch = sandbox.api("POST", "/api/v1/operator/refunds", caller=operator, body=refunds)
    assert status == 200
    approve = f"/api/v1/operator/refunds/{batch['batch_id']}/approve"
    assert sandbox.api("POST", approve, caller=operator)[0] == 200
    _on(sandbox, date(2027, 2, 17))
    sandbox.run_dunning()

    after = _reread(sandbox, reminded)
    later = after.ledger[after.handover_entries or 0 :]
    assert after.is_with_collection_agency and after.credit_cents == 0
    assert {e.kind for e in later} == {
        EntryKind.PAYMENT,
        EntryKind.INTEREST,
        EntryKind.REVERSAL,
        EntryKind.COULANCE,
        EntryKind.REFUND,
    }
    assert _told_in_daily_files(sandbox, reminded) == [
        (e.at.isoformat(), e.kind.value, e.component.value, e.amount_cents, e.cause) for e in later
    ]
    refund_day = f"collection-updates/2027-02-16/{PROVIDER}.json"
    [claim] = json.loads(sandbox.output_object(refund_day))["claims"]
    assert [e["kind"] for e in claim["entries"]] == ["refund"]
    assert claim["amounts_cents"]["total"] == 0


def test_a_match_over_two_claims_refused_at_the_second_books_nothing_on_moto(
    sandbox, reminded, monkeypatch
):
    """R34, R12, R38 (audit RETRIES4-3), on the tables: Given two claims at the agency,
    reported paid, and the agency's bulk transfer for both waiting without a kenmerk
    When an operator matches it to both kenmerken (Idempotency-Key K), and the bank import
    books € 41,23 of the agency's on the second claim between the check and the booking
    Then 422 remittance_exceeds_agency_collection, nothing of the credit booked on either
    claim (one transaction for both, or none), the credit listed again; the same request
    with K again answers the same 422 (replayed), and a new request is refused before
    anything is planned, the credit still listed."""
    _handed_over(sandbox, reminded)
    repository = sandbox.runtime.repository
    invoices, _ = repository.list_invoices(PROVIDER)
    claims = [i for i in invoices if i.is_with_collection_agency][:2]
    assert len(claims) == 2
    rows = "".join(
        f"{c.reference};CMIB-{n};paid;{owed_on(c, REPORTED_PAID)};{REPORTED_PAID}\n"
        for n, c in enumerate(claims)
    )
    head = "reference;agency_ref;status;amount_cents;paid_on\n"
    sandbox.upload_collection_report((head + rows).encode(), "report.csv")
    first, second = (_reread(sandbox, c) for c in claims)
    assert (first.amount_due_cents, second.amount_due_cents) == (0, 0)
    waiting = [awaited_cents(c) for c in (first, second)]
    bulk = credit(sum(waiting), ustrd=("CMIB afdracht",), booking_date=READ_ON.isoformat())
    sandbox.upload_bank_statement(statement(bulk, statement_id="S-BULK"), "bulk.xml")
    operator = Caller.operator("agency-records")
    [line] = sandbox.api("GET", UNMATCHED, caller=operator)[1]["items"]
    plan = PaymentLinkRepository.plan_credit_match

    def the_import_books_first(links, credit_id, match):
        monkeypatch.setattr(PaymentLinkRepository, "plan_credit_match", plan)
        received = datetime.combine(READ_ON, time(0), tzinfo=AMSTERDAM)
        alone = IncomingPayment("bank", "NL00BANK/ALONE", 4123, received)
        book_payment(repository, second.reference, alone, clock=sandbox.clock)
        return plan(links, credit_id, match)

    monkeypatch.setattr(PaymentLinkRepository, "plan_credit_match", the_import_books_first)
    path = f"{UNMATCHED}/{line['credit_id']}/match"
    body = {"references": [first.reference, second.reference]}
    key = {"Idempotency-Key": "match-both-1"}

    answer = sandbox.api_raw("POST", path, caller=operator, body=body, headers=key)

    assert answer["statusCode"] == 422, answer["body"]
    assert json.loads(answer["body"])["error"]["code"] == "remittance_exceeds_agency_collection"
    assert _reread(sandbox, first).ledger == first.ledger
    assert awaited_cents(_reread(sandbox, second)) == waiting[1] - 4123, answer["body"]
    listed = sandbox.api("GET", UNMATCHED, caller=operator)[1]["items"]
    assert [c["credit_id"] for c in listed] == [line["credit_id"]]
    again = sandbox.api_raw("POST", path, caller=operator, body=body, headers=key)
    assert (again["statusCode"], again["headers"]["Idempotent-Replayed"]) == (422, "true")
    status, _ = sandbox.api("POST", path, caller=operator, body=body)
    assert status == 422
    assert _reread(sandbox, first).ledger == first.ledger
    listed = sandbox.api("GET", UNMATCHED, caller=operator)[1]["items"]
    assert [c["credit_id"] for c in listed] == [line["credit_id"]]


def _block_changes(sandbox: Sandbox, invoice: Invoice) -> list[str]:
    """The practice's blocked-changes feed for the invoice's patient, oldest first (R22)."""
    changes = "/api/v1/provider/blocked-patients/changes"
    status, page = sandbox.api("GET", changes, provider_id=PROVIDER, query={"since": "2027-01-01"})
    assert status == 200
    return [c["change"] for c in page["items"] if c["patient_ref"] == invoice.patient_ref]


def test_r34_a_returned_transfer_that_had_unblocked_the_patient_blocks_again_and_is_told(
    sandbox, reminded
):
    """R34 "a reversal of a payment that had unblocked a patient blocks again", R22, R12,
    on the tables through the bank import (audit reversal55: the unit tests walk it on the
    in-memory store).
    Given the claim handed over on 8 February and paid in full by a transfer on 9 February
    When the payer's bank returns it on 10 February (the statement read twice) and the
    runs of 10 and 11 February go
    Then the patient is blocked again; the feed shows blocked, unblocked, blocked, each
    once, in order; and the daily files tell the payment and its return once each, in
    their own day's file."""
    _handed_over(sandbox, reminded)
    paid = owed_on(_reread(sandbox, reminded), READ_ON)
    full = credit(paid, scor=reminded.reference, tx_id="TX-F", booking_date=READ_ON.isoformat())
    _on_day(sandbox, READ_ON, statement(full, statement_id="S-9"))
    assert _reread(sandbox, reminded).is_paid
    assert _block_changes(sandbox, reminded) == ["blocked", "unblocked"]
    back = debit(paid, return_reason="MD06", tx_id="TX-F", booking_date="2027-02-10")
    _on_day(sandbox, date(2027, 2, 10), statement(back, statement_id="S-10"))
    sandbox.upload_bank_statement(statement(back, statement_id="S-10"), "2027-02-10-again.xml")
    for day in (date(2027, 2, 10), date(2027, 2, 11)):
        _on(sandbox, day, hour=6)
        sandbox.run_dunning()

    assert _reread(sandbox, reminded).amount_due_cents == paid
    assert _block_changes(sandbox, reminded) == ["blocked", "unblocked", "blocked"]
    _each_entry_since_the_handover_told_once(sandbox, reminded)
    for day, kinds in (("2027-02-09", {"interest", "payment"}), ("2027-02-10", {"reversal"})):
        daily_file = json.loads(sandbox.output_object(f"collection-updates/{day}/{PROVIDER}.json"))
        [claim] = daily_file["claims"]
        assert {e["kind"] for e in claim["entries"]} == kinds
