"""Files as practices and Excel really make them, through the ingest handler on moto
(R40, R3, R5, R2; audit FILES2): codes typed in lower case, references whose leading zeros
Excel dropped on saving the file again, an MZ301 wrapped at 80 characters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from billing_core.declarations import csv_format
from billing_core.dunning.letters import REMINDER
from billing_core.invoices.ledger import Component, balance
from billing_core.legal.collection_costs import collection_costs
from billing_core.services.operator.migrations import CANONICAL_CLAIM_MARKERS
from local.migrate import refs_read_as_written, run
from local.seed import DENTAL
from tests.functional.conftest import SAMPLES

PROVIDER = DENTAL.provider_id
SAMPLE = (SAMPLES / "tandarts-de-vries-2026-11.csv").read_text("utf-8").splitlines()
HEADER = SAMPLE[0].split(";")
# The sample's money (README): what every reading of the same treatments must come to.
SAMPLE_MONEY = {
    "claims_to_insurer": 3,
    "reimbursement_deducted_cents": 13585,
    "amount_invoiced_cents": 97048,
}


def _rows(change) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    rows = [dict(zip(HEADER, text.split(";"), strict=True)) for text in SAMPLE[1:]]
    for row in rows:
        change(row)
    return rows


def _csv(rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    lines = [";".join(HEADER), *(";".join(row[h] for h in HEADER) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _report(sandbox, declaration_id):  # type: ignore[no-untyped-def]
    status, body = sandbox.api(
        "GET", f"/api/v1/provider/declarations/{declaration_id}", provider_id=PROVIDER
    )
    assert status == 200, body
    return body


def _upload(sandbox, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return _report(sandbox, sandbox.upload_declaration(PROVIDER, name, data))


def _invoices(sandbox):  # type: ignore[no-untyped-def]
    return sandbox.runtime.repository.list_invoices(PROVIDER)[0]


def _money(summary: dict[str, int]) -> dict[str, int]:
    return {key: summary[key] for key in SAMPLE_MONEY}


# --- lower-case treatment codes (R5, R40) -------------------------------------------------------


def _lower_code(row: dict[str, str]) -> None:
    row["treatment_code"] = row["treatment_code"].lower()


def test_treatment_codes_in_lower_case_give_the_samples_money_to_the_cent(sandbox):
    # Given the sample declaration with every treatment_code typed in lower case (c11,
    # x10, m03: the dental practice's coverage prefixes are C, X and M)
    # When it is uploaded
    report = _upload(sandbox, "lower.csv", _csv(_rows(_lower_code)))
    # Then the reimbursement is deducted and the M03 lines go to the insurer, as for the
    # sample itself: €135.85 deducted, 3 lines to the insurer, €970.48 invoiced (R5)
    assert report["outcome"] == "accepted"
    assert _money(report["summary"]) == SAMPLE_MONEY
    # And the invoices print the NZa codes (R6 sees the same code)
    lines = {line.claim_ref: line for i in _invoices(sandbox) for line in i.lines}
    first = lines["TDV26-0001"]
    assert (first.treatment_code, first.amount_cents, first.reimbursed_cents) == ("C11", 2350, 1763)


def test_prestatiecodes_in_lower_case_give_the_samples_money_to_the_cent(sandbox):
    # Given the sample MZ301 with every PRESTATIECODE (04, pos. 76-81) in lower case
    records = (SAMPLES / "vektis" / "tandarts-de-vries-2026-11.mz301").read_bytes().split(b"\r\n")
    lowered = [r[:75] + r[75:81].lower() + r[81:] if r[:2] == b"04" else r for r in records]
    # When it is uploaded
    report = _upload(sandbox, "lower.mz301", b"\r\n".join(lowered))
    # Then the money is the sample's, and no "code without description" warning is left
    assert _money(report["summary"]) == SAMPLE_MONEY
    assert all(f["code"] == "PRICE_QUOTE_MISSING" for f in report["findings"])


# --- references whose leading zeros Excel dropped (R3, R40) ------------------------------------


def _export(row: dict[str, str]) -> None:
    """As a practice system exports them: claim_ref 000001, patient_ref 0001001."""
    row["claim_ref"] = f"{int(row['claim_ref'].split('-')[1]):06d}"
    row["patient_ref"] = f"{int(row['patient_ref'].split('-')[1]):07d}"


def _excel_resaved(row: dict[str, str]) -> None:
    """The export opened in Dutch Excel and saved again: 1, 1001 and 14-3-1971."""
    _export(row)
    row["claim_ref"], row["patient_ref"] = str(int(row["claim_ref"])), str(int(row["patient_ref"]))
    year, month, day = row["birth_date"].split("-")
    row["birth_date"] = f"{int(day)}-{int(month)}-{year}"


def test_the_export_saved_again_by_excel_is_already_processed_line_by_line(sandbox):
    # Given the practice's export (claim_ref 000001.., patient_ref 0001001..), uploaded
    first = _upload(sandbox, "export.csv", _csv(_rows(_export)))
    assert first["summary"]["invoices"] == 8
    # And its report says once that the references were read without leading zeros
    said = [f for f in first["findings"] if f["code"] == "CSV_REFERENCE_LEADING_ZEROS"]
    assert [(f["line"], f["field"]) for f in said] == [(2, "claim_ref")]
    assert "000001" in said[0]["message"] and "leading zeros" in said[0]["message_en"]
    # When the same file, opened in Excel and saved again (1.., 1001.., cp1252), is uploaded
    again = _upload(sandbox, "excel-resaved.csv", _csv(_rows(_excel_resaved), "cp1252"))
    # Then every line is already processed and the practice still has 8 invoices (R3)
    assert again["outcome"] == "already_processed"
    assert again["summary"]["claims_already_processed"] == 20
    assert again["summary"]["invoices"] == 0
    assert len(_invoices(sandbox)) == 8


def test_an_export_stored_before_this_deploy_is_found_under_its_zeros(sandbox, monkeypatch):
    # Given the export uploaded before this deploy, when claim refs were keys as written:
    # its claim markers are under 000001.. (R3)
    with monkeypatch.context() as before:
        before.setattr(csv_format, "canonical_reference", lambda ref: ref)
        stored = _upload(sandbox, "export.csv", _csv(_rows(_export)))
    assert stored["summary"]["invoices"] == 8
    assert {line.claim_ref for i in _invoices(sandbox) for line in i.lines} >= {"000001"}
    # When the practice uploads the same export again after the deploy
    again = _upload(sandbox, "export-again.csv", _csv(_rows(_export)))
    # Then its lines, read as 1.., are found under the refs as written: nothing twice
    assert again["outcome"] == "already_processed"
    assert again["summary"]["claims_already_processed"] == 20
    assert len(_invoices(sandbox)) == 8


def test_after_migration_6_the_excel_copy_of_an_export_stored_before_is_already_processed(
    sandbox,
):
    """R3, R40 (known stop 40 files3: "no migration writes those claims' markers anew")."""
    # Given the export uploaded before this deploy: its claim markers under 000001.. and
    # its 8 invoices (3 of its 20 lines went to the insurer: on no invoice)
    with refs_read_as_written():
        stored = _upload(sandbox, "export.csv", _csv(_rows(_export)))
    assert stored["summary"]["invoices"] == 8
    on_invoices = {line.claim_ref for i in _invoices(sandbox) for line in i.lines}
    assert len(on_invoices) == 17 and "000001" in on_invoices
    # When an operator runs canonical-claim-markers over every practice, twice
    first = run(sandbox, CANONICAL_CLAIM_MARKERS, "", "canonical-first")
    second = run(sandbox, CANONICAL_CLAIM_MARKERS, "", "canonical-second")
    # Then the first copies each invoice line's marker under its ref without the zeros,
    # the second writes nothing and finds them all there
    assert (first["version"], first["complete"]) == (6, True)
    counts = ("invoices_done", "claim_markers_written", "claim_markers_present")
    assert [first["summary"][c] for c in counts] == [8, 17, 0]
    assert [second["summary"][c] for c in counts] == [8, 0, 17]
    # And when the practice uploads only the export's copy Excel saved again (1.., 1001..)
    again = _upload(sandbox, "excel-resaved.csv", _csv(_rows(_excel_resaved), "cp1252"))
    # Then each of those 17 lines is already processed and no second invoice is written
    already = [f for f in again["findings"] if f["code"] == "CLAIM_ALREADY_PROCESSED"]
    assert {f["claim_ref"] for f in already} >= {str(int(ref)) for ref in on_invoices}
    assert again["summary"]["invoices"] == 0
    assert len(_invoices(sandbox)) == 8


def test_a_patient_blocked_under_the_zero_padded_number_is_the_same_patient(sandbox):
    # Given the patient 0001001 blocked at the practice: a claim of theirs is with the
    # collection agency (R22), recorded under the number as their system writes it
    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    sandbox.runtime.repository.block_patient(PROVIDER, "0001001", "inv-at-agency", at)
    # When the export Excel saved again (patient 1001) is uploaded
    report = _upload(sandbox, "excel-resaved.csv", _csv(_rows(_excel_resaved), "cp1252"))
    # Then patient 1001's new invoice keeps the debtor risk with the practice, said
    risk = [f for f in report["findings"] if f["code"] == "PATIENT_BLOCKED_DEBTOR_RISK"]
    assert [f["line"] for f in risk] == [2] and "1001" in risk[0]["message_en"]
    assert report["summary"]["invoices_debtor_risk_with_provider"] == 1


def _claim_numbers_in_scientific_notation(row: dict[str, str]) -> None:
    """A practice system's 12-digit claim numbers (202611000001..) as Excel's General
    format shows and saves every one of them: 2,02611E+11."""
    row["claim_ref"] = "2,02611E+11"


def test_claim_numbers_excel_saved_in_scientific_notation_are_refused_not_merged(sandbox):
    # Given the sample whose 20 lines have 12-digit claim numbers that Excel saved alike
    rows = _rows(_claim_numbers_in_scientific_notation)
    # When it is uploaded, and next month's export saved the same way
    first = _upload(sandbox, "excel.csv", _csv(rows))
    again = _upload(sandbox, "excel-next-month.csv", _csv(rows))
    # Then every line is refused naming its claim_ref (R40), not the first invoiced under
    # "2,02611E+11" and the other 19 duplicates of it, nor next month's taken for it (R3)
    for report in (first, again):
        said = [(f["code"], f["line"], f["field"]) for f in report["findings"]]
        assert said == [("CSV_SCIENTIFIC_NOTATION", n, "claim_ref") for n in range(2, 22)]
        assert report["summary"]["invoices"] == 0
        assert report["summary"]["claims_already_processed"] == 0
    assert _invoices(sandbox) == []


# --- dates of a "datum/tijd" column, house numbers Excel made dates (R40, R2) -----------------


def _dates_with_midnight(row: dict[str, str]) -> None:
    """Every date as Excel saves a column of the format "datum/tijd": 14-3-1971 0:00."""
    for column in ("birth_date", "treatment_date", "treatment_start_date"):
        if row[column]:
            year, month, day = row[column].split("-")
            row[column] = f"{int(day)}-{int(month)}-{year} 0:00"


def test_dates_excel_saved_with_midnight_give_the_samples_money_to_the_cent(sandbox):
    # Given the sample declaration with every date saved from a "datum/tijd" column
    # When it is uploaded
    report = _upload(sandbox, "datum-tijd.csv", _csv(_rows(_dates_with_midnight)))
    # Then every line is read with its date, as the sample itself is (R40): only the
    # sample's own warning (its line 15's price quote) is said
    assert report["outcome"] == "accepted"
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("PRICE_QUOTE_MISSING", 15)]
    assert _money(report["summary"]) == SAMPLE_MONEY


def _house_number_3_11_made_a_date(row: dict[str, str]) -> None:
    """K. Smit's house number 3 with suffix 11, typed as 3-11, which Excel shows and saves
    as 3-nov."""
    if row["patient_ref"] == "TDV-1008":
        row["house_number"] = "3-nov"


def test_a_house_number_excel_made_a_date_refuses_that_patients_lines(sandbox):
    # Given the sample declaration in which Excel turned one patient's house number 3-11
    # into the date 3-nov
    # When it is uploaded
    report = _upload(sandbox, "huisnummer.csv", _csv(_rows(_house_number_3_11_made_a_date)))
    # Then that patient's four lines are refused naming the column; the others are
    # invoiced (R2: content errors reject only their claims)
    said = [(f["code"], f["line"], f["field"]) for f in report["findings"]]
    refused = [("CSV_HOUSE_NUMBER_AS_DATE", n, "house_number") for n in range(18, 22)]
    assert said == [("PRICE_QUOTE_MISSING", 15, None), *refused]
    assert report["findings"][1]["message"].startswith("Regel 18: in house_number staat een datum")
    invoiced = {i.patient_ref for i in _invoices(sandbox)}
    assert "TDV-1008" not in invoiced and len(invoiced) == 7


# --- an MZ301 wrapped at 80 characters (vektis.md: the one cause named) --------------------------


def test_an_mz301_wrapped_at_80_characters_gets_one_finding_naming_the_cause(sandbox):
    # Given the sample MZ301 with every 310-character record broken into lines of 80
    records = (SAMPLES / "vektis" / "tandarts-de-vries-2026-11.mz301").read_text("latin-1")
    pieces = [r[i : i + 80] for r in records.split("\r\n") if r for i in range(0, len(r), 80)]
    # When it is uploaded
    report = _upload(sandbox, "wrapped.mz301", ("\r\n".join(pieces) + "\r\n").encode("latin-1"))
    # Then it is refused with one finding that names the 80-character lines (R2)
    assert report["outcome"] == "rejected"
    [finding] = report["findings"]
    assert finding["code"] == "VEKTIS_LINES_WRAPPED"
    assert "80" in finding["message"] and "310" in finding["message_en"]
    assert _invoices(sandbox) == []


def _next_export_resaved(row: dict[str, str]) -> None:
    """The practice's next treatments of the same patients, its export saved by Excel:
    claims 1001.. (new), patients 1001.. as Excel wrote them."""
    _excel_resaved(row)
    row["claim_ref"] = str(int(row["claim_ref"]) + 1000)


def test_a_patients_invoices_under_0001001_and_1001_get_one_reminder_and_one_letters_costs(
    sandbox,
):
    """R40, R4, R19, legal-nl.md §2, §3 (migrate6: "separate reminders on the same day").
    Given the export stored before this deploy (patients 0001001..) and, the same day, the
    next export Excel saved (patients 1001..): two open invoices per patient, due the same
    day, the index sorting every 0001001.. before every 1001..
    When the dunning run's reminder day and costs day run (ingest, run and delivery on moto)
    Then each patient gets one letter covering both invoices, announcing and charging the
    staffel over their summed principals to the cent, not each invoice's own."""
    with refs_read_as_written():
        assert _upload(sandbox, "export.csv", _csv(_rows(_export)))["summary"]["invoices"] == 8
    later = _upload(sandbox, "next.csv", _csv(_rows(_next_export_resaved), "cp1252"))
    assert later["summary"]["invoices"] == 8
    sandbox.drain_deliveries()
    patients: dict[str, list[str]] = {}
    for invoice in _invoices(sandbox):
        patients.setdefault(str(int(invoice.patient_ref)), []).append(invoice.invoice_id)
    assert sorted(map(len, patients.values())) == [2] * 8

    sandbox.clock.set(date(2026, 12, 31))
    reminded = sandbox.run_dunning()

    assert reminded["steps"] == {"reminder": 16} and reminded["letters"] == {REMINDER: 8}
    repository = sandbox.runtime.repository
    letters = []
    for ids in patients.values():
        first, second = (repository.get_invoice(PROVIDER, i) for i in ids)
        assert first.reminder == second.reminder
        assert first.reminder.costs_cents == collection_costs(first.reminder.principal_cents)
        letters.append(first.reminder)
    costs_day = max(letter.final_date for letter in letters) + timedelta(days=1)
    sandbox.clock.set(costs_day)
    assert sandbox.run_dunning()["steps"]["costs"] == 16
    for ids, letter in zip(patients.values(), letters, strict=True):
        charged = (repository.get_invoice(PROVIDER, i) for i in ids)
        costs = sum(balance(invoice.ledger, Component.COSTS) for invoice in charged)
        assert costs == collection_costs(letter.principal_cents)
