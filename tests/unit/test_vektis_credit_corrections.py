"""A credit line in a new upload that reverses a line of an EARLIER upload corrects that
earlier invoice (vektis.md §1, issue 7; R3, R13, R21, R27, R28).

The declarations are ingested for real (billing_core.ingest) into the in-memory store of
the retour tests, which keeps claim markers and versions like store/dynamo.py."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

import pytest

from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.collection.agency_updates import write_agency_updates
from billing_core.correspondence.confirmations import confirmation_context
from billing_core.correspondence.kinds import INVOICE_CORRECTED
from billing_core.correspondence.render import render_email
from billing_core.declarations.claims import Claim, LineType
from billing_core.declarations.credit_corrections import split_earlier_credits, with_credit
from billing_core.declarations.ingest import process_declaration
from billing_core.declarations.upload import IngestContext, Upload
from billing_core.declarations.vektis.layouts import MZ301_V13, MZ302_V13
from billing_core.declarations.vektis.writer import (
    Granted,
    to_bytes,
    write_declaration,
    write_retour,
)
from billing_core.invoices.invoice import Channel, DunningStage, Invoice, InvoiceStatus
from billing_core.invoices.ledger import EntryKind
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.ports import DeliveryRequest, KnownClaim
from billing_core.shared.clock import AMSTERDAM, FixedClock
from local.seed import DENTAL, PHYSIO
from tests.unit.factories import make_invoice, make_line
from tests.unit.fake_store import FakeQueue, FakeStore, FilesInMemory, blocked_numbers
from tests.unit.test_invoice_pdf import ACCOUNT
from tests.unit.vektis_files import HEADER, apply_retour, dental_claim

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)
VGZ = "7095"


@pytest.fixture
def store() -> FakeStore:
    """The dental practice (contracted: C-codes 75% reimbursed) and the physio practice."""
    return FakeStore(providers=[PHYSIO, DENTAL])


@pytest.fixture
def ctx(store: FakeStore) -> IngestContext:
    return IngestContext(
        store, FilesInMemory(), FakeQueue(), FixedClock(NOW), b"test-reference-key" * 2
    )


def filling(ref: str = "L1") -> Claim:
    return dental_claim(ref, unit_price_cents=5000)  # V21: not reimbursed


def control(ref: str = "L2", cents: int = 2400) -> Claim:
    return dental_claim(
        ref, treatment_code="C11", description="Periodieke controle", unit_price_cents=cents
    )  # C: 75% reimbursed


def credit(ref: str, reverses: Claim, cents: int | None = None, **overrides) -> Claim:  # type: ignore[no-untyped-def]
    """The practice software's correction: a C line naming the line it reverses."""
    amount = reverses.unit_price_cents if cents is None else cents
    return replace(
        reverses,
        claim_ref=ref,
        unit_price_cents=-amount,
        reverses_claim_ref=reverses.claim_ref,
        **overrides,
    )


def upload(ctx: IngestContext, claims: Sequence[Claim], declaration_id: str) -> dict:  # type: ignore[type-arg]
    data = write_declaration(MZ301_V13, HEADER, claims)
    key = f"incoming/{DENTAL.provider_id}/{declaration_id}/export.mz301"
    return process_declaration(
        Upload(DENTAL.provider_id, declaration_id, "export.mz301", key), data, ctx
    ).as_dict()


def invoice_of(store: FakeStore, declaration_id: str = "D1") -> Invoice:
    [invoice] = [i for i in store.invoices.values() if i.declaration_id == declaration_id]
    return invoice


def sent(store: FakeStore, invoice: Invoice) -> Invoice:
    """The delivery sent it (R7): only then is the patient told about a correction."""
    store.put_invoice_as_is(replace(invoice, status=InvoiceStatus.SENT))
    return store.invoice(invoice.invoice_id)


def codes(report: dict) -> list[str]:  # type: ignore[type-arg]
    return [f["code"] for f in report["findings"]]


# --- a credit of a line in the same file ------------------------------------------------------


@pytest.mark.parametrize("line", [filling("M1"), control("M1")], ids=["V21", "C11 reimbursed"])
def test_a_line_and_its_credit_in_one_file_are_processed_not_rejected(ctx, store, line):
    """vektis.md §1: the credit reverses the line it names; R2 rejects a claim only for a
    content error. So the upload is accepted, nothing is invoiced, and the report warns
    that the lines cancel out (audit ingest D6)."""
    report = upload(ctx, [line, credit("M2", line)], "D1")
    assert (report["outcome"], report["summary"]["claims_rejected"]) == ("accepted", 0)
    assert report["summary"]["claims_cancelled_out"] == 2
    assert codes(report) == ["LINES_CANCEL_OUT", "LINES_CANCEL_OUT"]
    assert store.invoices == {}


def _fresh_world() -> tuple[FakeStore, IngestContext]:
    """A store and context of their own, like the fixtures', for a second path."""
    new_store = FakeStore(providers=[PHYSIO, DENTAL])
    files, queue = FilesInMemory(), FakeQueue()
    return new_store, IngestContext(
        new_store, files, queue, FixedClock(NOW), b"test-reference-key" * 2
    )


@pytest.mark.parametrize(
    "cents, credits",
    [(2400, [1000, 1400]), (2400, [1, 2399]), (1150, [575, 575]), (1150, [575])],
    ids=["part-then-rest", "a-cent-then-rest", "two-halves", "one-half"],
)
def test_a_credit_in_the_same_file_settles_as_one_in_a_later_file(cents, credits):
    """R5, R27, vektis.md §1: one correction, one amount, whichever file it arrives in.
    A credit in the same file gives back its share of its line's deduction (given_back),
    as credit_corrections books one of a later file, not its own rating."""
    line = control(cents=cents)  # 75% reimbursed: 11.50 -> 8.63 (862.5 rounded up)
    corrections = [credit(f"K{number}", line, part) for number, part in enumerate(credits)]
    # Given the line and its credits in one file, and the same in a file each
    (one_store, one_file), (later_store, later_files) = _fresh_world(), _fresh_world()
    upload(one_file, [filling(), line, *corrections], "D1")
    upload(later_files, [filling(), line], "D1")
    for number, correction in enumerate(corrections):
        upload(later_files, [correction], f"D{number + 2}")
    # Then both invoices have the same lines with the same reimbursement, and ask the same
    settled = [invoice_of(one_store), invoice_of(later_store, "D1")]
    lines = [[(ln.claim_ref, ln.reimbursed_cents) for ln in i.lines] for i in settled]
    assert lines[0] == lines[1]
    assert settled[0].amount_due_cents == settled[1].amount_due_cents


# --- the earlier invoice is corrected ----------------------------------------------------------


def test_a_credit_of_an_earlier_line_lowers_that_invoice(ctx, store):
    # Given last week's upload: a filling (50.00) and a control (24.00, 75% reimbursed)
    upload(ctx, [filling(), control()], "D1")
    before = invoice_of(store)
    assert (before.gross_cents, before.reimbursed_cents, before.amount_due_cents) == (
        7400,
        1800,
        5600,
    )
    # When this week's upload credits the control
    report = upload(ctx, [credit("L9", control())], "D2")
    # Then last week's invoice has the credit as a line, and no new invoice is made
    after = store.invoice(before.invoice_id)
    assert [i.declaration_id for i in store.invoices.values()] == ["D1"]
    assert [
        (line.claim_ref, line.amount_cents, line.reimbursed_cents, line.reverses_claim_ref)
        for line in after.lines
    ] == [
        ("L1", 5000, 0, ""),
        ("L2", 2400, 1800, ""),
        ("L9", -2400, -1800, "L2"),
    ]
    assert after.lines[-1].description == "Correctie: Periodieke controle"
    # And the ledger books it as issued less and reimbursed less, caused by the new upload (R27)
    note = "credit line L9 reverses line L2"
    assert [
        (e.kind, e.amount_cents, e.cause, e.note) for e in after.ledger[len(before.ledger) :]
    ] == [
        (EntryKind.ISSUED, -2400, "declaration:D2", note),
        (EntryKind.REIMBURSEMENT, 1800, "declaration:D2", note),
    ]
    # So gross, reimbursement and the invoice amount are the sums of its lines again
    assert (after.gross_cents, after.reimbursed_cents, after.original_amount_cents) == (
        5000,
        0,
        5000,
    )
    assert after.amount_due_cents == 5000 and after.version == before.version + 1
    # And the report says where it went, counted as processed
    assert (
        report["outcome"],
        report["summary"]["claims_corrected"],
        report["summary"]["correction_cents"],
        report["summary"]["invoices"],
    ) == ("accepted", 1, 600, 0)
    [booked] = report["findings"]
    assert booked["code"] == "CREDIT_BOOKED_ON_EARLIER_INVOICE" and booked["claim_ref"] == "L9"
    assert "€\u00a06,00" in booked["message"] and "declaration D1" in booked["message_en"]
    # And the credit line's own marker points at the earlier invoice (R3; a retour finds it there)
    assert store.marker("L9") == KnownClaim("L9", "D2", before.invoice_id)


def test_new_lines_of_the_patient_in_the_same_upload_get_their_own_invoice(ctx, store):
    # Given last week's invoice, and a new upload with a credit of it and a new treatment
    upload(ctx, [filling(), control()], "D1")
    report = upload(ctx, [credit("L9", filling()), control("L10")], "D2")
    # Then the credit lowers last week's invoice, and the new line is a new invoice of 6.00
    assert invoice_of(store, "D1").amount_due_cents == 600
    assert invoice_of(store, "D2").amount_due_cents == 600
    assert (report["summary"]["claims_corrected"], report["summary"]["invoices"]) == (1, 1)


def test_the_same_credit_again_changes_nothing(ctx, store):
    # Given a credit booked by upload D2
    upload(ctx, [filling(), control()], "D1")
    upload(ctx, [credit("L9", control())], "D2")
    booked = invoice_of(store)
    # When D2 is processed again (an S3 event twice), and the credit comes again in D3
    again = upload(ctx, [credit("L9", control())], "D2")
    other = upload(ctx, [credit("L9", control())], "D3")
    # Then the invoice is as it was (R3), the retry reports the same, D3 says it is known
    assert store.invoice(booked.invoice_id) == booked
    assert again["summary"]["claims_corrected"] == 1 and again["outcome"] == "accepted"
    assert (other["outcome"], codes(other)) == ("already_processed", ["CLAIM_ALREADY_PROCESSED"])
    assert store.marker("L9").declaration_id == "D2"


def test_a_credit_booked_before_a_crash_gets_its_marker_on_the_retry(ctx, store):
    # Given a run that booked the credit on the invoice but died before writing its marker
    upload(ctx, [filling(), control()], "D1")
    upload(ctx, [credit("L9", control())], "D2")
    booked = invoice_of(store)
    del store.markers[(DENTAL.provider_id, "L9")]
    # When the upload is processed again
    upload(ctx, [credit("L9", control())], "D2")
    # Then the invoice is not booked twice, and the marker is there now
    assert store.invoice(booked.invoice_id) == booked
    assert store.marker("L9").invoice_id == booked.invoice_id


@pytest.mark.parametrize(
    "credits, reimbursed",
    [
        ([1000], [-750]),
        ([1000, 1400], [-750, -1050]),  # the last credit gives back exactly the rest
        ([1, 2399], [-1, -1799]),
    ],
    ids=["part", "part-then-rest", "a-cent-then-rest"],
)
def test_a_partial_credit_gives_back_the_reimbursement_in_proportion(
    ctx, store, credits, reimbursed
):
    # Given a control of 24.00 of which the insurer pays 18.00
    upload(ctx, [control()], "D1")
    # When it is credited in parts, one upload each
    for number, cents in enumerate(credits):
        upload(ctx, [credit(f"K{number}", control(), cents)], f"D{number + 2}")
    # Then each credit line gives back its share of the deduction, never more than there was
    invoice = invoice_of(store)
    assert [line.reimbursed_cents for line in invoice.lines[1:]] == reimbursed
    assert invoice.gross_cents == 2400 - sum(credits)
    assert invoice.reimbursed_cents == 1800 + sum(reimbursed)


@pytest.mark.parametrize(
    "make_credit, code, says",
    [
        (lambda: credit("L9", control("NOPE")), "CREDIT_LINE_UNKNOWN", "NOPE"),
        (lambda: credit("L9", control(), 2401), "CREDIT_EXCEEDS_LINE", "€\u00a024,01"),
        (
            lambda: credit("L9", control(), patient_ref="P7", bsn="100010039"),
            "CREDIT_LINE_OTHER_PATIENT",
            "L2",
        ),
    ],
    ids=["unknown-line", "more-than-the-line", "another-patients-line"],
)
def test_a_credit_that_does_not_fit_is_refused_with_the_reason(ctx, store, make_credit, code, says):
    # Given last week's invoice
    upload(ctx, [filling(), control()], "D1")
    before = invoice_of(store)
    # When a credit line does not fit the line it names
    report = upload(ctx, [make_credit()], "D2")
    # Then it is left out with the reason, and nothing changes on the invoice
    [finding] = report["findings"]
    assert (finding["code"], finding["severity"], finding["claim_ref"]) == (
        code,
        "claim_rejected",
        "L9",
    )
    assert says in finding["message"] and finding["message_en"]
    assert report["outcome"] == "rejected" and store.invoice(before.invoice_id) == before
    assert store.marker("L9") is None


def test_a_line_credited_in_full_cannot_be_credited_again(ctx, store):
    upload(ctx, [filling(), control()], "D1")
    upload(ctx, [credit("L8", control())], "D2")
    report = upload(ctx, [credit("L9", control(), 100)], "D3")
    assert codes(report) == ["CREDIT_LINE_ALREADY_REVERSED"]


def test_a_credit_of_a_credit_line_is_refused(ctx, store):
    upload(ctx, [filling(), control()], "D1")
    upload(ctx, [credit("L8", control(), 1000)], "D2")
    report = upload(ctx, [credit("L9", credit("L8", control(), 1000), 500)], "D3")
    assert codes(report) == ["CREDIT_LINE_IS_CREDIT"]


def test_a_credit_of_an_in_file_credited_line_sees_what_is_left(ctx, store):
    # Given an upload that netted a credit of 10.00 against its own control (R4)
    upload(ctx, [filling(), control(), credit("L3", control(), 1000)], "D1")
    # When a later upload credits 14.01 more of that control
    report = upload(ctx, [credit("L9", control(), 1401)], "D2")
    # Then it is more than the 14.00 left of it
    assert codes(report) == ["CREDIT_EXCEEDS_LINE"]


# --- paid, stopped, with the agency -------------------------------------------------------------


def test_a_paid_invoice_shows_the_overpayment_as_credit(ctx, store):
    # Given last week's invoice, paid in full (56.00)
    upload(ctx, [filling(), control()], "D1")
    invoice = invoice_of(store)
    store.put_invoice_as_is(apply_payment(invoice, IncomingPayment("bank", "B1", 5600, NOW)))
    # When the filling is credited
    upload(ctx, [credit("L9", filling())], "D2")
    # Then the patient paid 50.00 too much: credit, nothing due (R13)
    after = invoice_of(store)
    assert (after.amount_due_cents, after.credit_cents, after.is_paid) == (0, 5000, True)


def test_a_stopped_invoice_shows_no_credit_for_money_never_paid(ctx, store):
    # Given last week's invoice of 56.00, of which the patient paid 10.00 and the rest was stopped
    upload(ctx, [filling(), control()], "D1")
    invoice = sent(store, invoice_of(store))
    invoice = apply_payment(invoice, IncomingPayment("bank", "B1", 1000, NOW))
    stop = StopRequest(StopScope.FULL, "goodwill", "j.vandijk@example.org", True)
    store.put_invoice_as_is(apply_stop(invoice, stop, NOW, "provider:u1:stop-1"))
    # When the filling (50.00) is credited
    upload(ctx, [credit("L9", filling())], "D2")
    # Then the patient is owed back what they paid (10.00), not the forgiven 40.00 as well
    after = invoice_of(store)
    assert (after.amount_due_cents, after.credit_cents) == (0, 1000)
    assert (after.ledger[-1].kind, after.ledger[-1].amount_cents) == (EntryKind.STOP, 4000)
    assert after.ledger[-1].cause == "declaration:D2"


def test_an_invoice_with_the_collection_agency_is_corrected_and_the_provider_warned(ctx, store):
    upload(ctx, [filling(), control()], "D1")
    invoice = invoice_of(store)
    store.put_invoice_as_is(replace(invoice, dunning_stage=DunningStage.WITH_COLLECTION_AGENCY))
    report = upload(ctx, [credit("L9", filling())], "D2")
    assert sorted(codes(report)) == [
        "CREDIT_BOOKED_ON_EARLIER_INVOICE",
        "CREDIT_INVOICE_WITH_COLLECTION_AGENCY",
    ]
    assert invoice_of(store).amount_due_cents == 600


def test_a_credit_line_on_a_claim_at_the_agency_tells_the_patient_nothing(ctx, store):
    """R22 (the agency collects the claim and tells the patient), legal-nl.md §7, as the
    operator's correction of a claim at the agency keeps it (correspondence/kinds.py):
    Given last week's invoice, sent and then handed over to the agency
    When a later upload credits the filling
    Then the invoice is corrected and the practice warned, and no "invoice corrected"
    message is queued for the patient."""
    upload(ctx, [filling(), control()], "D1")
    invoice = sent(store, invoice_of(store))
    store.put_invoice_as_is(replace(invoice, dunning_stage=DunningStage.WITH_COLLECTION_AGENCY))
    ctx.delivery.requests.clear()
    report = upload(ctx, [credit("L9", filling())], "D2")
    assert "CREDIT_INVOICE_WITH_COLLECTION_AGENCY" in codes(report)
    assert invoice_of(store).amount_due_cents == 600
    assert corrected_emails(ctx) == []


def test_a_credit_line_that_settles_a_claim_at_the_agency_unblocks_and_tells_it(ctx, store):
    """R22 ("blocked ... until all such claims are settled"), R34 (the agency's daily file of
    changes on our side), vektis.md §1; audit money MONEY1.
    Given last week's invoice of 56.00 handed over to the agency, 6.00 of it paid since,
    the patient blocked
    When a later upload credits the filling (50.00): nothing left to pay
    Then the patient is no longer blocked, and the agency's file of the day lists the claim
    with the credit."""
    upload(ctx, [filling(), control()], "D1")
    invoice = replace(
        invoice_of(store),
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=date(2026, 11, 20),
    )
    store.put_invoice_as_is(apply_payment(invoice, IncomingPayment("bank", "B1", 600, NOW)))
    store.block_patient(DENTAL.provider_id, invoice.patient_ref, invoice.invoice_id, NOW)

    upload(ctx, [credit("L9", filling())], "D2")

    assert invoice_of(store).is_paid
    assert invoice.patient_ref not in blocked_numbers(store, DENTAL.provider_id)
    files = FilesInMemory()
    write_agency_updates(NOW.date(), store, files)
    told = json.loads(files.files[f"collection-updates/2026-11-23/{DENTAL.provider_id}.json"])
    [claim] = told["claims"]
    assert claim["reference"] == invoice.reference
    assert ("issued", -5000) in [(e["kind"], e["amount_cents"]) for e in claim["entries"]]


# --- the patient is told -------------------------------------------------------------------------


def test_the_patient_of_a_sent_invoice_gets_one_email_per_upload(ctx, store):
    # Given last week's invoice, e-mailed to the patient
    upload(ctx, [filling(), control()], "D1")
    invoice = sent(store, invoice_of(store))
    ctx.delivery.requests.clear()
    # When one upload credits both lines
    upload(ctx, [credit("L8", filling()), credit("L9", control())], "D2")
    # Then one "your invoice was corrected" e-mail is queued for that upload
    [request] = ctx.delivery.requests
    assert (request.invoice_id, request.kind, request.event_id) == (
        invoice.invoice_id,
        INVOICE_CORRECTED,
        "declaration:D2",
    )


def test_the_same_credit_file_processed_twice_at_once_tells_the_patient_once(
    ctx, store, monkeypatch
):
    """R3 "the same file uploaded twice ... never sends a second e-mail" (audit retries D3):
    the upload that came second, having read no claim marker yet, finds the credit booked
    by the first and reports it as already processed."""
    # Given last week's invoice, e-mailed, and a credit file uploaded twice at once
    upload(ctx, [filling(), control()], "D1")
    invoice = sent(store, invoice_of(store))
    ctx.delivery.requests.clear()
    upload(ctx, [credit("L9", control())], "D2")
    # When the second upload runs on what it read before the first wrote its marker
    known_claims = store.known_claims
    monkeypatch.setattr(
        store,
        "known_claims",
        lambda provider_id, refs: {
            ref: m for ref, m in known_claims(provider_id, refs).items() if ref != "L9"
        },
    )
    second = upload(ctx, [credit("L9", control())], "D3")
    # Then one e-mail, the credit once, and the second says it was processed already
    assert corrected_emails(ctx) == [(invoice.invoice_id, INVOICE_CORRECTED, "declaration:D2")]
    assert (second["outcome"], codes(second)) == ("already_processed", ["CLAIM_ALREADY_PROCESSED"])
    assert second["summary"]["claims_corrected"] == 0
    assert [line.claim_ref for line in invoice_of(store).lines].count("L9") == 1
    monkeypatch.undo()
    assert store.marker("L9").declaration_id == "D2"


def test_nothing_is_queued_for_an_invoice_not_sent_yet(ctx, store):
    upload(ctx, [filling(), control()], "D1")
    ctx.delivery.requests.clear()
    upload(ctx, [credit("L9", filling())], "D2")
    assert ctx.delivery.requests == []


def on_paper(store: FakeStore, invoice: Invoice) -> Invoice:
    """``invoice`` sent on paper: its patient has no e-mail address."""
    patient = replace(invoice.patient, email="")
    return sent(store, replace(invoice, patient=patient, channel=Channel.PAPER))


def test_the_patient_of_a_paper_invoice_is_told_the_corrected_amount_too(ctx, store):
    """legal-nl.md §7 (the adjusted amount and the date to pay it by), R7: Given last
    week's invoice, sent on paper, when an upload credits a line, then the confirmation is
    queued for it as for an e-mailed one; the delivery posts it (test_bounced_confirmations)."""
    upload(ctx, [filling(), control()], "D1")
    invoice = on_paper(store, invoice_of(store))
    ctx.delivery.requests.clear()
    upload(ctx, [credit("L9", filling())], "D2")
    assert corrected_emails(ctx) == [(invoice.invoice_id, INVOICE_CORRECTED, "declaration:D2")]


# --- lines that went to the insurer ------------------------------------------------------------


def test_a_credit_of_a_line_at_the_insurer_goes_to_the_insurer_too(ctx, store):
    # Given a VGZ material that went to VGZ first (R6, legal-nl.md §6)
    material = dental_claim(
        "M1",
        treatment_code="M61",
        insurer_uzovi=VGZ,
        line_type=LineType.MATERIAL,
        description="Mondbeschermer op maat (materiaal)",
        unit_price_cents=4500,
    )
    upload(ctx, [filling(), material], "D1")
    assert store.marker("M1").invoice_id == ""
    # When it is credited
    report = upload(ctx, [credit("M9", material)], "D2")
    # Then the credit is in VGZ's export of this upload, and the report says so
    assert codes(report) == ["CREDIT_OF_INSURER_LINE"]
    assert report["outcome"] == "accepted" and report["summary"]["claims_to_insurer"] == 1
    export = ctx.files.files[f"insurer-claims/{DENTAL.provider_id}/{VGZ}/D2.csv"].decode()
    assert "M9" in export and store.marker("M9") == KnownClaim("M9", "D2", "")


# --- pure parts ----------------------------------------------------------------------------------


def test_only_credits_of_lines_outside_the_file_are_taken_apart():
    claims = [filling(), control(), credit("L3", control()), credit("L9", control("OLD"))]
    to_invoice, earlier = split_earlier_credits(claims)
    assert [c.claim_ref for c in to_invoice] == ["L1", "L2", "L3"]
    assert [c.claim_ref for c in earlier] == ["L9"]


def test_booking_a_credit_twice_is_the_same_invoice(ctx, store):
    upload(ctx, [filling(), control()], "D1")
    invoice = invoice_of(store)
    once = with_credit(invoice, credit("L9", control()), NOW, "declaration:D2")
    assert with_credit(once, credit("L9", control()), NOW, "declaration:D2") is once


def test_a_concurrent_payment_is_kept_and_the_credit_booked_once(ctx, store, monkeypatch):
    # Given last week's invoice, and a payment that lands while the credit is being booked
    upload(ctx, [filling(), control()], "D1")
    invoice = invoice_of(store)
    save = store.save_invoice
    raced = []

    def save_after_a_payment(changed: Invoice) -> Invoice:
        if not raced:
            raced.append(True)
            current = store.invoice(changed.invoice_id)
            save(apply_payment(current, IncomingPayment("psp", "tr_1", 1000, NOW)))
        return save(changed)

    monkeypatch.setattr(store, "save_invoice", save_after_a_payment)
    upload(ctx, [credit("L9", control())], "D2")
    # Then both are in the ledger, the credit once (R28)
    after = store.invoice(invoice.invoice_id)
    kinds = [e.kind for e in after.ledger]
    assert (
        kinds.count(EntryKind.PAYMENT) == 1
        and [line.claim_ref for line in after.lines].count("L9") == 1
    )
    assert after.amount_due_cents == 5000 - 1000


def test_a_retour_of_the_credit_line_finds_it_on_the_earlier_invoice(ctx, store):
    # Given a credit of 24.00 booked on last week's invoice, giving back 18.00 of deduction
    upload(ctx, [filling(), control()], "D1")
    upload(ctx, [credit("L9", control())], "D2")
    # When the insurer's retour of this week's upload grants the credit at -18.00
    data = write_retour(MZ302_V13, HEADER, [credit("L9", control())], {"L9": Granted(-1800)})
    report = apply_retour(DENTAL.provider_id, "R1", data, ctx, file_name="retour.mz302").as_dict()
    # Then the line is known, and unchanged: the deduction was given back already
    assert [(line["claim_ref"], line["result"]) for line in report["lines"]] == [
        ("L9", "unchanged")
    ]
    assert invoice_of(store).amount_due_cents == 5000


# --- a retour that changes what the patient pays (issue 7 part 3) -------------------------------


@pytest.mark.parametrize("was_sent, emails", [(True, 1), (False, 0)], ids=["sent", "not-yet-sent"])
def test_a_retour_that_changes_the_amount_tells_the_patient_once(ctx, store, was_sent, emails):
    # Given last week's invoice: a control of 24.00 with 18.00 deducted as estimated
    upload(ctx, [filling(), control()], "D1")
    invoice = sent(store, invoice_of(store)) if was_sent else invoice_of(store)
    ctx.delivery.requests.clear()
    # When the insurer grants 20.00, and the same retour is uploaded again
    data = write_retour(MZ302_V13, HEADER, [control()], {"L2": Granted(2000)})
    apply_retour(DENTAL.provider_id, "R1", data, ctx, file_name="retour.mz302")
    apply_retour(DENTAL.provider_id, "R2", data, ctx, file_name="retour.mz302")
    # Then the patient of a sent invoice is told the new amount once; nothing before it is sent
    assert invoice_of(store).amount_due_cents == 5000 + 400
    expected = [(invoice.invoice_id, INVOICE_CORRECTED, the_retour_change(store))] * emails
    assert corrected_emails(ctx) == expected


def test_a_retour_that_changes_the_amount_of_a_paper_invoice_tells_the_patient(ctx, store):
    """legal-nl.md §7, R7: the patient without e-mail is told the new amount as well."""
    upload(ctx, [filling(), control()], "D1")
    invoice = on_paper(store, invoice_of(store))
    ctx.delivery.requests.clear()
    data = write_retour(MZ302_V13, HEADER, [control()], {"L2": Granted(2000)})
    apply_retour(DENTAL.provider_id, "R1", data, ctx, file_name="retour.mz302")
    expected = [(invoice.invoice_id, INVOICE_CORRECTED, the_retour_change(store))]
    assert corrected_emails(ctx) == expected


def the_retour_change(store: FakeStore, nth: int = 1) -> str:
    """The event of the nth retour change on the invoice: where its entries start."""
    ledger = invoice_of(store).ledger
    starts = [
        i
        for i, entry in enumerate(ledger)
        if entry.cause.startswith("retour:")
        and (i == 0 or (ledger[i - 1].cause, ledger[i - 1].at) != (entry.cause, entry.at))
    ]
    return f"retour:ledger-{starts[nth - 1]}"


def corrected_emails(ctx: IngestContext) -> list[tuple[str, str, str]]:
    """The "invoice corrected" e-mails the queued requests make: the delivery sends each
    (kind, event id) of an invoice once (correspondence/delivery.py), however often queued."""
    requests = [(r.invoice_id, r.kind, r.event_id) for r in ctx.delivery.requests]
    return [r for r in dict.fromkeys(requests) if r[1] == INVOICE_CORRECTED]


class KilledOnce(FakeQueue):
    """The Lambda's time limit right after the invoice was saved: the first enqueue dies."""

    def __init__(self) -> None:
        super().__init__()
        self.killed = False

    def enqueue(self, requests: Sequence[DeliveryRequest]) -> None:
        if not self.killed:
            self.killed = True
            raise TimeoutError("killed after the save")
        super().enqueue(requests)


def test_a_retour_retried_after_its_save_still_tells_the_patient(ctx, store):
    """R3, legal-nl.md §7 "you then get the adjusted amount by e-mail" (audit retries D2):
    the retry reads the new amounts the killed attempt saved, and still tells the patient."""
    # Given last week's invoice, e-mailed; the retour's first attempt dies after its save
    upload(ctx, [filling(), control()], "D1")
    invoice = sent(store, invoice_of(store))
    ctx = replace(ctx, delivery=KilledOnce())
    data = write_retour(MZ302_V13, HEADER, [control()], {"L2": Granted(2000)})
    with pytest.raises(TimeoutError):
        apply_retour(DENTAL.provider_id, "R1", data, ctx, file_name="retour.mz302")
    assert invoice_of(store).amount_due_cents == 5000 + 400
    # When Lambda retries the same S3 event
    apply_retour(DENTAL.provider_id, "R1", data, ctx, file_name="retour.mz302")
    # Then the patient is told the new amount
    expected = [(invoice.invoice_id, INVOICE_CORRECTED, the_retour_change(store))]
    assert corrected_emails(ctx) == expected


def read_before(store: FakeStore, invoice: Invoice, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another upload of the same file read ``invoice`` before this one saved (R28): its
    first read is that invoice; a consistent read after its save conflicted is not."""
    current = store.get_invoice

    def stale(provider_id: str, invoice_id: str, *, consistent: bool = False) -> Invoice | None:
        if consistent or invoice_id != invoice.invoice_id:
            return current(provider_id, invoice_id, consistent=consistent)
        return invoice

    monkeypatch.setattr(store, "get_invoice", stale)


def test_the_same_retour_processed_twice_at_once_tells_the_patient_once(ctx, store, monkeypatch):
    """R3 "the same file uploaded twice ... never sends a second e-mail" (audit retries D3):
    the upload that saved second finds the change made, reports it unchanged, and queues
    the same event as the first."""
    # Given last week's invoice, e-mailed, and a retour read by two uploads at once
    upload(ctx, [filling(), control()], "D1")
    invoice = sent(store, invoice_of(store))
    data = write_retour(MZ302_V13, HEADER, [control()], {"L2": Granted(2000)})
    # When the first saves its change, and then the second, from its read before that
    apply_retour(DENTAL.provider_id, "R1", data, ctx, file_name="retour.mz302")
    read_before(store, invoice, monkeypatch)
    second = apply_retour(DENTAL.provider_id, "R2", data, ctx, file_name="retour.mz302")
    # Then one e-mail, and the second's report claims nothing
    expected = [(invoice.invoice_id, INVOICE_CORRECTED, the_retour_change(store))]
    assert corrected_emails(ctx) == expected
    summary = second.as_dict()["summary"]
    assert (summary["lines_applied"], summary["lines_unchanged"]) == (0, 1)
    assert (summary["invoices_changed"], summary["reimbursement_change_cents"]) == (0, 0)
    assert invoice_of(store).amount_due_cents == 5000 + 400


def test_a_later_retour_that_changes_the_invoice_again_tells_the_patient_again(ctx, store):
    """legal-nl.md §7: every adjusted amount is e-mailed, also a second one; a file of
    the same name that grants anew is a change of its own (R3 dedupes the same change)."""
    # Given a retour applied to an e-mailed invoice
    upload(ctx, [filling(), control()], "D1")
    invoice = sent(store, invoice_of(store))
    first = write_retour(MZ302_V13, HEADER, [control()], {"L2": Granted(2000)})
    apply_retour(DENTAL.provider_id, "R1", first, ctx, file_name="retour.mz302")
    # When a corrected retour of the same name grants another amount, and then a third one
    # the first amount again (another file: the first file's own bytes again apply nothing
    # since stop 43, R3; tests/unit/test_retour_replay.py)
    second = write_retour(MZ302_V13, HEADER, [control()], {"L2": Granted(2100)})
    third = write_retour(MZ302_V13, HEADER, [control()], {"L2": Granted(2000, ("0611",))})
    assert third != first
    for upload_id, data in (("R2", second), ("R3", third)):
        ctx.clock.advance(days=7)  # type: ignore[attr-defined]
        apply_retour(DENTAL.provider_id, upload_id, data, ctx, file_name="retour.mz302")
    # Then each change is its own e-mail
    events = [the_retour_change(store, nth) for nth in (1, 2, 3)]
    assert corrected_emails(ctx) == [(invoice.invoice_id, INVOICE_CORRECTED, e) for e in events]
    assert invoice_of(store).amount_due_cents == 5000 + 400


# --- a retour of a credited line: the line and its credits keep netting (audit ingest D1) ------


def granting(cents: int, line: Claim) -> bytes:
    """The insurer's MZ302 granting ``line`` ``cents`` (0611: not the contracted rate)."""
    return write_retour(MZ302_V13, HEADER, [line], {line.claim_ref: Granted(cents, ("0611",))})


@pytest.mark.parametrize(
    "uploads, granted, credits_reimbursed, due",
    [
        # a full credit in a later upload: the control costs the patient nothing, whatever
        # the insurer grants
        ([[filling(), control()], [credit("L9", control())]], 0, [0], 5000),
        ([[filling(), control()], [credit("L9", control())]], 2400, [-2400], 5000),
        # a full credit in the same file (netted by invoicing, R4)
        ([[filling(), control(), credit("L9", control())]], 0, [0], 5000),
        # a partial credit (10.00 of 24.00): in proportion to the grant, rounded as booked
        # (20.00 x 10/24 = 8.33); the patient pays 24.00 - 20.00 of the control, less 10.00
        # - 8.33 for the credit
        ([[filling(), control()], [credit("L9", control(), 1000)]], 2000, [-833], 5233),
        ([[filling(), control(), credit("L9", control(), 1000)]], 2000, [-833], 5233),
        # two partial credits that together reverse it in full: the last gives back the rest
        (
            [
                [filling(), control()],
                [credit("K1", control(), 1000)],
                [credit("K2", control(), 1400)],
            ],
            2000,
            [-833, -1167],
            5000,
        ),
    ],
    ids=[
        "later-full-granted-0",
        "later-full-granted-more",
        "same-file-full-granted-0",
        "later-partial",
        "same-file-partial",
        "two-partials-in-full",
    ],
)
def test_a_retour_re_rates_the_credit_lines_of_the_line_it_grants(
    ctx, store, uploads, granted, credits_reimbursed, due
):
    """vektis.md §1, R5: a credit line reverses the line it names; what the insurer
    reimburses is deducted, the patient pays the rest, so a reversed treatment (or the
    reversed part of it) costs the patient nothing whatever the insurer grants."""
    # Given the filling (50.00) and a control (24.00, 18.00 deducted as estimated), and
    # credit lines of the control, in the same upload or later ones
    for number, claims in enumerate(uploads):
        upload(ctx, claims, f"D{number + 1}")
    before = invoice_of(store)
    # When the insurer's retour of the first upload grants the control another amount
    data = granting(granted, control())
    report = apply_retour(DENTAL.provider_id, "R1", data, ctx, file_name="retour.mz302").as_dict()
    # Then the credit lines are re-rated with it in the same change
    after = store.invoice(before.invoice_id)
    credits = [line for line in after.lines if line.reverses_claim_ref == "L2"]
    assert [line.reimbursed_cents for line in credits] == credits_reimbursed
    assert after.amount_due_cents == due
    assert after.reimbursed_cents == sum(line.reimbursed_cents for line in after.lines)
    assert after.version == before.version + 1 and report["findings"] == []
    # And the ledger says why each moved, caused by the retour (R27)
    entries = [(e.amount_cents, e.note) for e in after.ledger[len(before.ledger) :]]
    assert entries[0] == (1800 - granted, "line L2")
    assert [note for _, note in entries[1:]] == [
        f"credit line {line.claim_ref} reverses line L2" for line in credits
    ]
    assert {e.cause for e in after.ledger[len(before.ledger) :]} == {"retour:retour.mz302"}


def test_the_patient_is_not_told_when_a_line_and_its_credit_move_together(ctx, store):
    """R5: what the patient pays does not change when a reversed line is re-rated, so no
    'invoice corrected' e-mail with the same amount."""
    upload(ctx, [filling(), control()], "D1")
    upload(ctx, [credit("L9", control())], "D2")
    sent(store, invoice_of(store))
    ctx.delivery.requests.clear()
    apply_retour(DENTAL.provider_id, "R1", granting(0, control()), ctx, file_name="r.mz302")
    assert invoice_of(store).amount_due_cents == 5000 and ctx.delivery.requests == []


@pytest.mark.parametrize(
    "credit_granted, result, warned",
    [
        (0, "unchanged", False),  # the insurer gives back nothing of what it never paid
        (-1800, "unchanged", True),  # the insurer's answer to its estimate: not applied
        (-2400, "unchanged", True),
        (-3000, "unchanged", True),  # beyond the credit: this one warning, not two
    ],
    ids=["as-the-line", "the-old-estimate", "the-whole-amount", "beyond-the-credit"],
)
def test_a_retour_line_of_the_credit_itself_does_not_undo_the_netting(
    ctx, store, credit_granted, result, warned
):
    """vektis.md §1, R5: a credit line's reimbursement follows the line it reverses; the
    insurer's amount for the credit itself is reported, and said when it differs."""
    # Given a control credited in full by a later upload, and the insurer granting the
    # control nothing
    upload(ctx, [filling(), control()], "D1")
    upload(ctx, [credit("L9", control())], "D2")
    apply_retour(DENTAL.provider_id, "R1", granting(0, control()), ctx, file_name="r1.mz302")
    # When the insurer's retour of the credit's upload grants the credit line an amount
    data = write_retour(
        MZ302_V13, HEADER, [credit("L9", control())], {"L9": Granted(credit_granted)}
    )
    report = apply_retour(DENTAL.provider_id, "R2", data, ctx, file_name="r2.mz302").as_dict()
    # Then the line and its credit still cancel: the patient pays the filling only
    invoice = invoice_of(store)
    assert [line.reimbursed_cents for line in invoice.lines] == [0, 0, 0]
    assert invoice.amount_due_cents == 5000
    assert [(line["claim_ref"], line["result"]) for line in report["lines"]] == [("L9", result)]
    # And a differing amount is a warning that says why the invoice shows another
    findings = [(f["code"], f["severity"], f["claim_ref"]) for f in report["findings"]]
    expected = [("RETOUR_CREDIT_FOLLOWS_ITS_LINE", "warning", "L9")] if warned else []
    assert findings == expected
    if warned:
        [warning] = report["findings"]
        assert "L2" in warning["message"] and "€\u00a00,00" in warning["message"]
        assert "follows that of L2" in warning["message_en"]


def test_a_credit_answered_with_the_line_in_one_retour_follows_the_line(ctx, store):
    """vektis.md §1, R5: one retour naming a line (granted 0) and its same-file credit (at
    the old estimate): the credit follows the line, also when the file has it first."""
    upload(ctx, [filling(), control(), credit("L9", control())], "D1")
    data = write_retour(
        MZ302_V13,
        HEADER,
        [credit("L9", control()), control()],
        {"L9": Granted(-1800), "L2": Granted(0, ("0611",))},
    )
    report = apply_retour(DENTAL.provider_id, "R1", data, ctx, file_name="r.mz302").as_dict()
    invoice = invoice_of(store)
    assert [line.reimbursed_cents for line in invoice.lines] == [0, 0, 0]
    assert invoice.amount_due_cents == 5000
    assert [(line["claim_ref"], line["result"]) for line in report["lines"]] == [
        ("L9", "applied"),
        ("L2", "applied"),
    ]
    assert codes(report) == ["RETOUR_CREDIT_FOLLOWS_ITS_LINE"]


def test_a_blank_grant_for_the_credit_line_changes_nothing(ctx, store):
    """A blank TOEGEKEND BEDRAG is a finding and never a zero (RETOUR_GRANTED_BLANK): the
    credit keeps following its line."""
    upload(ctx, [filling(), control()], "D1")
    upload(ctx, [credit("L9", control())], "D2")
    apply_retour(DENTAL.provider_id, "R1", granting(0, control()), ctx, file_name="r1.mz302")
    before = invoice_of(store)
    # (granted 0 before the blanking, so that the trailer's total still adds up)
    data = write_retour(MZ302_V13, HEADER, [credit("L9", control())], {"L9": Granted(0)})
    records = data.decode("latin-1").split("\r\n")[:-1]
    [index] = [i for i, record in enumerate(records) if record.startswith("04")]
    records[index] = records[index][:319] + " " * 9 + records[index][328:]  # 320-328 blank
    blank = to_bytes(records)
    report = apply_retour(DENTAL.provider_id, "R2", blank, ctx, file_name="r2.mz302").as_dict()
    assert codes(report) == ["RETOUR_GRANTED_BLANK"]
    assert invoice_of(store) == before and before.amount_due_cents == 5000


# --- the e-mail ------------------------------------------------------------------------------------


def _email(invoice: Invoice, event_id: str, language: str):  # type: ignore[no-untyped-def]
    context = confirmation_context(
        INVOICE_CORRECTED,
        invoice,
        DENTAL,
        event_id=event_id,
        today=NOW.date(),
        pay_url="https://betalen.example/?kenmerk=x",
        public_base_url="https://betalen.example",
        account=ACCOUNT,
    )
    return render_email(INVOICE_CORRECTED, context, language)


@pytest.mark.parametrize(
    "event_id, paid, language, says",
    [
        (
            "declaration:D2",
            0,
            "nl",
            ["heeft een behandeling op uw nota gecorrigeerd", "U betaalt nu nog €\u00a06,00"],
        ),
        (
            "declaration:D2",
            5600,
            "nl",
            ["niets meer te betalen", "U heeft €\u00a050,00 te veel betaald"],
        ),
        ("retour:R1", 0, "en", ["Your health insurer has let us know", "You now pay €6.00"]),
        # An operator undid a stop or coulance entered by mistake (R34, audit BACKOFFICE3).
        (
            "correction:2",
            0,
            "nl",
            [
                "Die verlaging was een vergissing en is teruggedraaid",
                "U betaalt nu nog €\u00a06,00",
            ],
        ),
    ],
    ids=["lowered", "paid-already", "retour-english", "operator-correction"],
)
def test_the_email_says_the_new_amount_and_not_the_treatment(
    ctx, store, event_id, paid, language, says
):
    # Given a corrected invoice (the filling credited), paid or not
    upload(ctx, [filling(), control()], "D1")
    invoice = invoice_of(store)
    if paid:
        store.put_invoice_as_is(apply_payment(invoice, IncomingPayment("bank", "B1", paid, NOW)))
    upload(ctx, [credit("L9", filling())], "D2")
    # When the e-mail is rendered
    email = _email(invoice_of(store), event_id, language)
    # Then both parts say what changed in general words, with the new amount (R30) ...
    for text in says:
        assert text in email.text and text in email.html
    # ... and never the treatment or the BSN (R29)
    for part in (email.subject, email.text, email.html):
        assert "Eenvlaksvulling" not in part and "Vulling" not in part and invoice.bsn not in part


def test_a_credit_line_is_care_of_the_insurer_of_the_line_it_reverses():
    """legal-nl.md §6: a DBC is declared at the insurer of its start date. Given a DBC line
    priced on its start date 2023-09-11, when a later upload credits part of it naming
    other dates, then the credit line keeps the reversed line's coverage date, so coulance
    (R17) asks one decision of both."""
    dbc = make_line(
        claim_ref="D1", treatment_date=date(2024, 1, 8), coverage_date=date(2023, 9, 11)
    )
    invoice = make_invoice(lines=(dbc,))
    correction = replace(
        dental_claim("C1", treatment_date=date(2024, 2, 1), treatment_start_date=None),
        patient_ref=invoice.patient_ref,
        bsn=invoice.bsn,
        unit_price_cents=-1000,
        reverses_claim_ref="D1",
    )
    credited = with_credit(invoice, correction, NOW, "declaration:d-2")
    assert credited.lines[-1].coverage_date == date(2023, 9, 11)


def test_a_credit_line_is_contracted_care_as_the_line_it_reverses_was_invoiced(ctx, store):
    """R31, R17 (audit coverage COVERAGE1): a credit takes back part of the line it names,
    so it keeps that line's decision made at issue, not the provider's contracts of today.
    Given last week's control, invoiced as non-contracted care (the contract was entered
    later), when this week's upload credits it, then the credit line is non-contracted
    care too."""
    upload(ctx, [filling(), control()], "D1")
    invoice = invoice_of(store)
    assert [line.contracted for line in invoice.lines] == [True, True]  # DENTAL's contract
    as_issued = replace(invoice, lines=tuple(replace(x, contracted=False) for x in invoice.lines))
    credited = with_credit(as_issued, credit("L9", control()), NOW, "declaration:D2")
    assert credited.lines[-1].claim_ref == "L9" and credited.lines[-1].contracted is False
