"""An insurer's retour file uploaded again after a correction must not undo it (R3, R5).

R3 (product.md): the same file uploaded twice never creates a second invoice or sends a
second e-mail. A retour's granted amounts are targets, so the same file twice in a row
changes nothing; but the FIRST file again after a corrected retour would set its old
amounts back. Per provider the SHA-256 of each retour file applied completely is kept
(after its last line), and an upload of bytes already applied applies nothing."""

from __future__ import annotations

import pytest

from billing_core.declarations.ingest import process_declaration
from billing_core.declarations.upload import IngestContext, Upload
from billing_core.declarations.vektis.layouts import PM304_V32
from billing_core.declarations.vektis.writer import Granted, write_declaration
from local.seed import PHYSIO
from tests.unit.claim_factories import person
from tests.unit.fake_store import FakeStore
from tests.unit.test_vektis_retour import (
    HEADER_PHYSIO,
    VGZ,
    ingest_context,
    physio_claims,
    retour,
)
from tests.unit.vektis_files import apply_retour, dental_claim


@pytest.fixture
def store() -> FakeStore:
    return FakeStore(providers=[PHYSIO])


@pytest.fixture
def ctx(store: FakeStore) -> IngestContext:
    return ingest_context(store)


def two_patients():  # type: ignore[no-untyped-def]
    """F1, F2 for one patient (one invoice), G1 for another (a second invoice)."""
    other = dental_claim(
        "G1",
        patient_ref="P2",
        bsn="100010039",
        patient=person(initials="A.", name_prefix="", last_name="Jansen"),
        insurer_uzovi=VGZ,
        treatment_code="1000",
        description="Handtherapie, behandeling per 5 minuten",
        unit_price_cents=1260,
    )
    return [*physio_claims()[:2], other]


def ingest(ctx: IngestContext, claims) -> None:  # type: ignore[no-untyped-def]
    data = write_declaration(PM304_V32, HEADER_PHYSIO, claims)
    process_declaration(
        Upload(PHYSIO.provider_id, "D1", "week.pm304", "incoming/x/D1/f"), data, ctx
    )


def share(claims, percent: int) -> dict[str, Granted]:  # type: ignore[no-untyped-def]
    return {c.claim_ref: Granted(c.amount_cents * percent // 100) for c in claims}


def balances(store: FakeStore) -> dict[str, int]:
    return {i.invoice_id: i.balance_cents for i in store.invoices.values()}


def test_the_first_retour_again_after_two_corrections_applies_nothing(ctx, store):
    """R3, R5: Given a retour granting 80%, a correction granting 100% and one granting 50%
    When the first file, byte for byte, is uploaded again as a new upload
    Then no ledger entry is added and no patient is told (the 50% stands), and the report
    says it was applied before, by which upload and on which day."""
    claims = physio_claims()[:2]
    ingest(ctx, claims)
    first = retour(claims, share(claims, 80))
    apply_retour(PHYSIO.provider_id, "R1", first, ctx, file_name="vgz.pm305")
    apply_retour(PHYSIO.provider_id, "R2", retour(claims, share(claims, 100)), ctx)
    apply_retour(PHYSIO.provider_id, "R3", retour(claims, share(claims, 50)), ctx)
    ledgers = {i: inv.ledger for i, inv in store.invoices.items()}
    asked = len(ctx.delivery.requests)

    report = apply_retour(PHYSIO.provider_id, "R4", first, ctx, file_name="vgz.pm305").as_dict()

    assert {i: inv.ledger for i, inv in store.invoices.items()} == ledgers
    assert len(ctx.delivery.requests) == asked
    assert report["outcome"] == "already_processed" and report["status"] == "processed"
    assert report["summary"]["lines_applied"] == 0 and report["summary"]["lines_unchanged"] == 2
    [finding] = report["findings"]
    assert finding["code"] == "RETOUR_FILE_ALREADY_APPLIED"
    assert "23-11-2026" in finding["message"] and "upload R1" in finding["message"]
    assert "on 23-11-2026 (upload R1)" in finding["message_en"]


def test_a_run_that_died_after_some_lines_is_finished_by_its_retry_once(ctx, store, monkeypatch):
    """R3: Given a retour over two invoices whose run dies after the first invoice's save
    When S3 retries the same upload
    Then the retry applies the rest (the amounts are targets) and the file counts as
    applied once: after a correction, the same bytes as another upload apply nothing."""
    claims = two_patients()
    ingest(ctx, claims)
    data = retour(claims, share(claims, 80))
    saves = 0
    real_save = store.save_invoice

    def dies_on_the_second_save(invoice):  # type: ignore[no-untyped-def]
        nonlocal saves
        saves += 1
        if saves == 2:
            raise RuntimeError("Lambda timed out")
        return real_save(invoice)

    monkeypatch.setattr(store, "save_invoice", dies_on_the_second_save)
    with pytest.raises(RuntimeError):
        apply_retour(PHYSIO.provider_id, "R1", data, ctx)
    assert store.retours_applied == {}  # not marked: the file is not finished
    monkeypatch.setattr(store, "save_invoice", real_save)

    retried = apply_retour(PHYSIO.provider_id, "R1", data, ctx).as_dict()
    assert retried["outcome"] == "accepted"
    assert retried["summary"]["lines_applied"] + retried["summary"]["lines_unchanged"] == 3
    after_80 = balances(store)
    assert sorted(after_80.values()) == [1260 - 1008, 5825 + 1260 - (4660 + 1008)]

    apply_retour(PHYSIO.provider_id, "R2", retour(claims, share(claims, 100)), ctx)
    again = apply_retour(PHYSIO.provider_id, "R3", data, ctx).as_dict()
    assert again["outcome"] == "already_processed"
    assert sorted(balances(store).values()) == [0, 0]


def test_a_retour_with_a_line_not_declared_yet_applies_it_when_uploaded_again(ctx, store):
    """R3, R5: Given a retour whose third line names a claim the practice has not declared
    yet (RETOUR_LINE_UNKNOWN: "not declared, or not yet")
    When the practice declares that claim and uploads the same retour file again
    Then the line is applied then: a file with an unknown line is not marked as applied."""
    claims = two_patients()
    ingest(ctx, claims[:2])
    data = retour(claims, share(claims, 80))
    first = apply_retour(PHYSIO.provider_id, "R1", data, ctx).as_dict()
    assert first["summary"]["lines_unknown"] == 1
    assert store.retours_applied == {}
    declared_later = write_declaration(PM304_V32, HEADER_PHYSIO, claims[2:])
    process_declaration(
        Upload(PHYSIO.provider_id, "D2", "late.pm304", "incoming/x/D2/f"), declared_later, ctx
    )

    again = apply_retour(PHYSIO.provider_id, "R2", data, ctx).as_dict()

    assert again["outcome"] == "accepted"
    assert again["summary"]["lines_unknown"] == 0 and again["summary"]["lines_applied"] == 1
    assert 1260 - 1008 in balances(store).values()
    assert len(store.retours_applied) == 1


def test_a_retry_after_a_crash_past_the_save_still_says_the_patient_is_owed_a_credit(
    ctx, store, monkeypatch
):
    """R3, R13, R27 (stop 49 vektis5 item 3: the retry's report lost the credit warning).

    Given an invoice of 58.25 + 12.60 the patient paid in full, and VGZ's retour granting
    46.60 and 10.08, whose first run dies after the invoice's save (before its report)
    When S3 retries the same upload
    Then the retry books nothing more, and its report says what a clean run says: both
    lines applied, and RETOUR_CREDIT_FOR_PATIENT on line 3 (F1) with the € 56,68 the
    patient is owed, not "unchanged" without a word of the credit."""
    from billing_core.declarations.vektis.writer import Granted
    from billing_core.payments.booking import IncomingPayment, apply_payment
    from tests.unit.test_vektis_retour import the_invoice

    claims = physio_claims()[:2]
    ingest(ctx, claims)
    paid = IncomingPayment("bank", "E-1", 7085, ctx.clock.now())
    store.put_invoice_as_is(apply_payment(the_invoice(store), paid))
    data = retour(claims, {"F1": Granted(4660, ("0611",)), "F2": Granted(1008)})
    _dies_after_the_save(data, ctx, monkeypatch)
    ledger = the_invoice(store).ledger

    retried = apply_retour(PHYSIO.provider_id, "R1", data, ctx).as_dict()

    assert the_invoice(store).ledger == ledger and the_invoice(store).credit_cents == 5668
    assert retried["summary"]["lines_applied"] == 2
    [credit] = [f for f in retried["findings"] if f["code"] == "RETOUR_CREDIT_FOR_PATIENT"]
    assert (credit["line"], credit["claim_ref"]) == (3, "F1")
    assert "€ 56,68 te veel" in credit["message"].replace("\xa0", " ")
    assert "€56.68 too much" in credit["message_en"]


def test_a_retry_after_a_crash_past_the_save_reports_lines_whose_reference_holds_a_space(
    ctx, store, monkeypatch
):
    """R3, R5, R13 (round 50 retour50: the retry split the ledger note "line F 1" on its
    spaces and found no line "F", so it reported both lines unchanged and no credit).

    Given the invoice of claims "F 1" (58.25) and "F 2" (12.60), paid in full, and VGZ's
    retour granting 46.60 and 10.08, whose first run dies after the invoice's save
    When S3 retries the same upload
    Then the retry books nothing more and reports what a clean run reports: both lines
    applied, the reimbursement change, and the patient's € 56,68 credit on F 1's line."""
    from dataclasses import replace

    from billing_core.declarations.vektis.writer import Granted
    from billing_core.payments.booking import IncomingPayment, apply_payment
    from tests.unit.test_vektis_retour import the_invoice

    claims = [replace(c, claim_ref=f"F {n}") for n, c in enumerate(physio_claims()[:2], 1)]
    ingest(ctx, claims)
    paid = IncomingPayment("bank", "E-1", 7085, ctx.clock.now())
    store.put_invoice_as_is(apply_payment(the_invoice(store), paid))
    data = retour(claims, {"F 1": Granted(4660), "F 2": Granted(1008)})
    _dies_after_the_save(data, ctx, monkeypatch)
    ledger = the_invoice(store).ledger

    retried = apply_retour(PHYSIO.provider_id, "R1", data, ctx).as_dict()

    assert the_invoice(store).ledger == ledger and the_invoice(store).credit_cents == 5668
    assert [(line["claim_ref"], line["result"]) for line in retried["lines"]] == [
        ("F 1", "applied"),
        ("F 2", "applied"),
    ]
    summary = retried["summary"]
    assert (summary["lines_applied"], summary["lines_unchanged"]) == (2, 0)
    assert summary["reimbursement_change_cents"] == 5668
    [credit] = [f for f in retried["findings"] if f["code"] == "RETOUR_CREDIT_FOR_PATIENT"]
    assert credit["claim_ref"] == "F 1"


def _dies_after_the_save(data, ctx, monkeypatch) -> None:
    """The retour's first run, dying (Lambda's time out) after the invoice's save, as it
    warns of the patient's credit; the warning put back for the retry."""
    from billing_core.declarations import retour as retour_module

    real_warning = retour_module._warn_credit_raised

    def dies_after_the_save(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("Lambda timed out")

    monkeypatch.setattr(retour_module, "_warn_credit_raised", dies_after_the_save)
    with pytest.raises(RuntimeError):
        apply_retour(PHYSIO.provider_id, "R1", data, ctx)
    monkeypatch.setattr(retour_module, "_warn_credit_raised", real_warning)
