"""Issue 18 item 2 (R3): the first attempt of an upload writes without reading the
claim markers first; a line another upload took care of cancels its write, and the
upload is planned again without it, with kenmerken no written invoice holds."""

from __future__ import annotations

from billing_core.declarations.ingest import process_declaration
from billing_core.declarations.upload import Upload
from local.seed import PHYSIO
from tests.unit.fake_store import FakeStore
from tests.unit.test_vektis_retour import ingest_context

HEADER = (
    "claim_ref;patient_ref;bsn;birth_date;initials;last_name;street;house_number;postcode;city;"
    "insurer_uzovi;treatment_date;treatment_code;description;unit_price\n"
)


def line(claim_ref: str, patient_ref: str, bsn: str) -> str:
    return (
        f"{claim_ref};{patient_ref};{bsn};1980-06-01;S.;Terpstra;Oudegracht;12;3511 AB;Utrecht;"
        "3311;2026-11-02;1000;Fysiotherapie;35,00\n"
    )


FIRST_PATIENT = [line("K1", "P1", "100010039")]
SECOND_PATIENT = [line("K2", "P2", "111222333")]


def upload(declaration_id: str) -> Upload:
    name = "week.csv"
    return Upload(PHYSIO.provider_id, declaration_id, name, f"incoming/{PHYSIO.provider_id}/{name}")


def csv(*lines: str) -> bytes:
    return (HEADER + "".join(lines)).encode()


def test_a_new_upload_reads_no_claim_markers():
    # Given a practice without earlier uploads
    store = FakeStore(providers=[PHYSIO])
    # When an upload with one patient's line is processed
    report = process_declaration(upload("D1"), csv(*FIRST_PATIENT), ingest_context(store))
    # Then the patient is invoiced, and the markers were written without being read first
    assert report.as_dict()["summary"]["invoices"] == 1
    assert "known_claims" not in store.calls


def test_a_line_an_earlier_upload_invoiced_is_reported_and_the_rest_invoiced_once():
    # Given an upload that invoiced the first patient
    store = FakeStore(providers=[PHYSIO])
    ctx = ingest_context(store)
    process_declaration(upload("D1"), csv(*FIRST_PATIENT), ctx)
    [earlier] = store.invoices.values()
    # When a second upload brings the second patient's line, then that line again
    report = process_declaration(upload("D2"), csv(*SECOND_PATIENT, *FIRST_PATIENT), ctx)
    # Then the known line is reported as processed by the first upload, not invoiced again
    findings = report.as_dict()["findings"]
    assert [(f["code"], f["claim_ref"]) for f in findings] == [("CLAIM_ALREADY_PROCESSED", "K1")]
    # And the second patient has one invoice, with a kenmerk of its own
    invoices = list(store.invoices.values())
    assert sorted(i.patient_ref for i in invoices) == ["P1", "P2"]
    assert len({i.reference for i in invoices}) == 2
    assert earlier in invoices
    # And its markers were read only after the write met the known line
    assert store.calls.count("known_claims") == 1


def test_a_vektis_line_a_csv_upload_stored_without_its_zeros_is_not_invoiced_again():
    """R3, R40: a claim is provider + the practice's own reference; a CSV upload stores
    000123 as 123 (claims.canonical_reference), so the practice's Vektis export of the
    same line, 000123 as written, is that claim.
    Given a CSV upload that invoiced the line 000123
    When a Vektis upload brings 000123 again
    Then it is reported as processed by the first upload, and no second invoice is made
    (before: a second invoice for the same treatment)."""
    from dataclasses import replace

    from tests.unit.test_vektis_retour import ingest, physio_claims

    store = FakeStore(providers=[PHYSIO])
    ctx = ingest_context(store)
    process_declaration(upload("D1"), csv(line("000123", "P1", "100010039")), ctx)
    report = ingest(ctx, [replace(physio_claims()[0], claim_ref="000123")], "D2")
    assert [(f["code"], f["claim_ref"]) for f in report["findings"]] == [
        ("CLAIM_ALREADY_PROCESSED", "000123")
    ]
    assert len(store.invoices) == 1


def test_a_vektis_credit_of_a_line_a_csv_upload_stored_without_its_zeros_lowers_that_invoice():
    """R3, R40, vektis.md §1 (a credit line names the line it reverses): the CSV line
    000123 is stored as 123 (claims.canonical_reference), the practice software's Vektis
    credit names it 000123, as it declared it.
    Given a CSV upload that invoiced the line 000123 (35.00)
    When a Vektis upload brings the credit line 000124 reversing 000123
    Then the credit is booked on that invoice, which asks nothing more (before: refused
    as CREDIT_LINE_UNKNOWN, the invoice still asking 35.00)
    And the same file again books nothing twice."""
    from dataclasses import replace

    from tests.unit.test_vektis_retour import ingest, physio_claims

    store = FakeStore(providers=[PHYSIO])
    ctx = ingest_context(store)
    process_declaration(upload("D1"), csv(line("000123", "P1", "100010039")), ctx)
    [invoice] = store.invoices.values()
    credit = replace(
        physio_claims()[1],
        claim_ref="000124",
        patient_ref="P1",
        bsn="100010039",
        insurer_uzovi="3311",
        unit_price_cents=-3500,
        reverses_claim_ref="000123",
    )
    report = ingest(ctx, [credit], "D2")
    assert [(f["code"], f["claim_ref"]) for f in report["findings"]] == [
        ("CREDIT_BOOKED_ON_EARLIER_INVOICE", "000124")
    ]
    corrected = store.invoice(invoice.invoice_id)
    assert [(x.claim_ref, x.reverses_claim_ref) for x in corrected.lines] == [
        ("123", ""),
        ("000124", "123"),
    ]
    assert corrected.amount_due_cents == 0
    again = ingest(ctx, [credit], "D3")
    assert [f["code"] for f in again["findings"]] == ["CLAIM_ALREADY_PROCESSED"]
    assert store.invoice(invoice.invoice_id) == corrected and len(store.invoices) == 1
