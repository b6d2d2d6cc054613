"""Vektis EI structure (R2, interfaces.md §1b, vektis.md §1): every rule has a file that
breaks it, and that file is rejected whole with a message a practice employee can read."""

from __future__ import annotations

from pathlib import Path

import pytest

from billing_core.declarations.findings import Severity
from billing_core.declarations.formats import is_vektis, parse_declaration
from billing_core.declarations.vektis.layouts import MZ301_V13, PM304_V32, PM305_V32, STANDARDS
from billing_core.declarations.vektis.reader import MAX_LISTED_LINE_PROBLEMS
from billing_core.declarations.vektis.retour_parser import parse_retour
from billing_core.declarations.vektis.writer import Granted, to_bytes, write_retour
from billing_core.texts.practice import FINDINGS, PRACTICE
from tests.unit.claim_factories import person
from tests.unit.vektis_files import (
    HEADER,
    TODAY,
    child_claims,
    codes,
    dental_claim,
    edited,
    only,
    parse,
    raw,
    records,
    retotalled,
)

SAMPLES = Path(__file__).resolve().parents[2] / "events" / "declarations" / "vektis"


def assert_rejected_whole(result, code: str) -> None:  # type: ignore[no-untyped-def]
    """R2: a structural finding leaves no claim, and every message renders in nl and en."""
    assert result.file_rejected and result.claims == []
    assert code in codes(result, Severity.FILE), codes(result)
    for finding in result.findings:
        assert finding.message("nl") and finding.message("en")


def three_patients() -> list[str]:
    """Lines 1-14: 01 | 02 03 04 98 04 | 02 03 04 04 | 02 03 04 | 99 (SB311 v2.0 03s).

    Patient P1 pays themself (03 completes the address), P2 is a child whose parent pays,
    P3 pays themself; the first line has a comment."""
    first = [dental_claim("A1", comments=("Vulling linksboven.",)), dental_claim("A2")]
    third = dental_claim(
        "C1",
        patient_ref="P3",
        bsn="100010040",
        patient=person(initials="T.", name_prefix="", last_name="Bakkum"),
    )
    return records([*first, *child_claims(), third])


# --- a good file, and its line ends (vektis.md §1) ----------------------------------------


def test_a_good_file_has_no_findings_and_a_claim_per_treatment_record():
    # Given a file of three patients as practice software writes it
    lines = three_patients()
    # When it is read
    result = parse(lines)
    # Then every 04 is a claim and nothing is reported
    assert result.findings == [] and result.format == "MZ301 v1.3"
    assert [c.claim_ref for c in result.claims] == ["A1", "A2", "K1", "K2", "C1"]
    assert result.lines_total == 5


@pytest.mark.parametrize(
    "line_end, final",
    [("\r\n", True), ("\r\n", False), ("\n", True), ("\n", False)],
    ids=["crlf", "crlf-without-final", "lf", "lf-without-final"],
)
def test_crlf_lf_and_a_missing_final_line_end_are_accepted(line_end, final):
    # Given the same records with CRLF (the standard) or LF (a Unix transfer), with or
    # without a line end after the 99 (the public MZ301 test file has none)
    data = to_bytes(three_patients(), line_end=line_end, final_line_end=final)
    # Then the file reads the same
    assert parse(data).findings == [] and len(parse(data).claims) == 5


def test_blank_lines_after_the_trailer_are_ignored():
    assert parse(to_bytes(three_patients()) + b"\r\n\r\n  \r\n").findings == []


def test_cr_only_line_ends_are_read_and_named_once():
    # Given records separated by CR only (old Mac line ends): issue 15 turned this from a
    # refusal ("line 1 is 4000 characters long") into a repair that is said once
    result = parse(to_bytes(three_patients(), line_end="\r"))
    # Then the file reads as with CRLF, with one warning naming the line ends
    assert len(result.claims) == 5 and codes(result) == ["VEKTIS_LINE_ENDS"]
    assert "CR only" in result.findings[0].message("en")


# --- encoding --------------------------------------------------------------------------------


def test_iso_8859_1_names_are_read_as_latin_1():
    # Given a surname with an umlaut, written in ISO-8859-1 (one byte per letter)
    lines = records([dental_claim(patient=person(name_prefix="", last_name="Müller"))])
    # When it is read
    result = parse(to_bytes(lines))
    # Then the name is intact
    assert result.findings == [] and result.claims[0].patient.last_name == "Müller"


@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
def test_a_file_saved_as_utf8_is_refused_with_its_own_message(line_end):
    # Given an accent saved as UTF-8 (two bytes: the record is one too long), the file's
    # lines ended by CR LF, LF or CR alone (vektis.md "Files as practices really send them")
    lines = three_patients()
    data = to_bytes(lines, line_end=line_end)
    data = data.replace(b"Bakkum   ", "Bäkkum".encode() + b"  ", 1)
    # When it is read
    result = parse(data)
    # Then the message says UTF-8, on the line of the accent (with CR alone it said line 1)
    assert_rejected_whole(result, "VEKTIS_UTF8")
    assert only(result, "VEKTIS_UTF8").line == next(
        i for i, t in enumerate(lines, 1) if "Bakkum" in t
    )


def test_a_control_character_is_refused_naming_its_line_and_field():
    # Given a form feed in a comment's free text (line 5)
    data = to_bytes(three_patients()).replace(b"Vulling", b"Vul\fng", 1)
    # Then the message names where it is, not a byte offset in the file (issue 15)
    result = parse(data)
    finding = only(result, "VEKTIS_CONTROL_CHARACTER")
    assert (finding.line, finding.field, finding.params) == (
        5,
        "Vrije tekst (record 98, pos. 19-158)",
        {"byte": "0x0C"},
    )
    assert_rejected_whole(result, "VEKTIS_CONTROL_CHARACTER")


@pytest.mark.parametrize(
    ("record", "field", "tab_at", "width", "label"),
    [
        (4, "comment", 22, 1, "Vrije tekst (record 98, pos. 19-158)"),  # for one space
        (1, "name", 68, 21, "Naam verzekerde (01) (record 02, pos. 64-88)"),  # for 21
        (3, "amount", 160, 1, "Declaratiebedrag (incl. BTW) (record 04, pos. 156-163)"),
        # A tail of tabs that reaches a number is data, not a reserve (_tabs_in_tails)
        (3, "amount_tail", 160, 151, "Declaratiebedrag (incl. BTW) (record 04, pos. 156-163)"),
    ],
)
def test_a_tab_in_a_fixed_width_field_is_named_as_a_tab_at_its_position(
    record, field, tab_at, width, label
):
    """R2, R40, vektis.md "Files as practices really send them" (audit edges50: a tab an
    editor put for spaces was said as "a control character (byte 0x09)", to be corrected
    "in your practice software", which never wrote it).
    Given a tab where one or several of a field's characters were
    When the file is read
    Then one finding, naming the tab, its line, field and position: the whole file, as
    the export must be uploaded as made; no knock-on finding of length or numbers."""
    result = parse(to_bytes(three_patients_with_a_tab(record, tab_at, width)))

    finding = only(result, "VEKTIS_TAB")
    assert (finding.line, finding.field, finding.params) == (
        record + 1,
        label,
        {"position": tab_at},
    )
    assert "tab" in finding.message("nl") and "tab" in finding.message("en")
    assert "0x09" in finding.message("en") and "stuurteken" not in finding.message("nl")
    assert_rejected_whole(result, "VEKTIS_TAB")


@pytest.mark.parametrize(
    ("record", "tab_at", "width"), [(1, 1, 1), (3, 2, 1), (13, 1, 2), (4, 2, 0)]
)
def test_a_tab_in_a_records_type_names_the_record_type_where_it_is(record, tab_at, width):
    """R2, R40, vektis.md "Files as practices really send them" (vektisedge55: a tab over
    a record's type was said as "at position 2, in pos. 2": which record it is, the tab
    hides; that it is the record type, pos. 1-2 of every record, it does not).
    Given a tab over (or typed into) the record type of an 02, 04, 99 or 98
    When the file is read
    Then one finding names the tab, its line and position, in the record type."""
    result = parse(to_bytes(three_patients_with_a_tab(record, tab_at, width)))

    finding = only(result, "VEKTIS_TAB")
    assert (finding.line, finding.field, finding.params) == (
        record + 1,
        "Kenmerk record (pos. 1-2)",
        {"position": tab_at},
    )
    assert "in Kenmerk record (pos. 1-2)" in finding.message("en")
    assert_rejected_whole(result, "VEKTIS_TAB")


@pytest.mark.parametrize(
    ("tab_at", "width", "label"),
    [
        (1, 1, "Kenmerk record (record 01, pos. 1-2)"),
        (2, 2, "Kenmerk record (record 01, pos. 1-2)"),
        (3, 1, "Code externe-integratiebericht (record 01, pos. 3-5)"),
        (5, 1, "Code externe-integratiebericht (record 01, pos. 3-5)"),
        (4, 0, "Code externe-integratiebericht (record 01, pos. 3-5)"),
        (7, 1, "Versienummer berichtstandaard (record 01, pos. 6-7)"),
        (9, 1, "Subversienummer berichtstandaard (record 01, pos. 8-9)"),
    ],
)
def test_a_tab_in_the_headers_standard_is_a_vektis_file_with_a_tab(tab_at, width, label):
    """R2, R40, vektis.md "Files as practices really send them" (vektisedge55: a tab in
    the header's first five characters made the file be read as CSV, "a tab as separator,
    use semicolons"; in positions 6-9, "standard unknown, version '\t1'").
    Given a declaration, and a retour, whose header has a tab among the characters that
    name the standard (record type, message code, version, subversion)
    When each is uploaded (the declaration through the router, as an upload is)
    Then each is a Vektis file refused for the tab, naming line 1 (2 after a blank line),
    the position and the header's field; a tab-separated CSV is still read as CSV."""
    lines = three_patients()
    lines[0] = lines[0][: tab_at - 1] + "\t" + lines[0][tab_at - 1 + width :]
    retour = write_retour(PM305_V32, HEADER, [dental_claim()], {"L1": Granted(100)})
    retour = retour[: tab_at - 1] + b"\t" + retour[tab_at - 1 + width :]

    declaration = parse_declaration(to_bytes(lines), today=TODAY, max_lines=100)
    retour_read = parse_retour(retour, today=TODAY)
    assert declaration.format == "vektis"
    assert_rejected_whole(declaration, "VEKTIS_TAB")
    # After a blank line and spaces (dropped before a header, text.py): the same, on line 2
    after_blank = parse_declaration(b"\r\n  " + to_bytes(lines), today=TODAY, max_lines=100)
    assert (only(after_blank, "VEKTIS_TAB").line, codes(after_blank)) == (2, ["VEKTIS_TAB"])
    assert retour_read.file_rejected and retour_read.lines == []
    for result in (declaration, retour_read):
        finding = only(result, "VEKTIS_TAB")
        assert (finding.line, finding.field, finding.params) == (1, label, {"position": tab_at})
        assert codes(result) == ["VEKTIS_TAB"]
        assert f"position {tab_at}, in {label}" in finding.message("en")
    tab_separated = b"claim_ref\tpatient_ref\r\nA1\tP1\r\n"
    assert not is_vektis(tab_separated)
    assert "FILE_WRONG_DELIMITER" in codes(
        parse_declaration(tab_separated, today=TODAY, max_lines=9)
    )


def test_an_empty_file_is_refused():
    assert_rejected_whole(parse(b"  \r\n"), "FILE_EMPTY")


# --- record types and lengths ------------------------------------------------------------------


def test_a_record_too_long_is_refused():
    # Given a 04 one character too long (Vektis retourcode 0804)
    lines = three_patients()
    lines[3] += "X"
    # When it is read
    result = parse(lines)
    # Then the line and both lengths are named
    finding = only(result, "VEKTIS_RECORD_LENGTH")
    assert (finding.line, finding.params["found"], finding.params["expected"]) == (4, 311, 310)
    assert_rejected_whole(result, "VEKTIS_RECORD_LENGTH")


@pytest.mark.parametrize(
    "cut, field",
    [
        (150, "Bedrag vermindering bijzondere tandheelkunde (record 04, pos. 144-151)"),
        (2, "Identificatie detailrecord (record 04, pos. 3-14)"),
    ],
)
def test_a_record_cut_short_where_data_is_missing_is_refused(cut, field):
    # Given a 04 cut off at 150 characters (its amounts are gone), or all but its type
    lines = three_patients()
    lines[3] = lines[3][:cut]
    # When it is read
    result = parse(lines)
    # Then the message names the first field whose data is missing
    finding = only(result, "VEKTIS_RECORD_DATA_MISSING")
    assert (finding.line, finding.field, finding.params["found"]) == (4, field, cut)
    assert_rejected_whole(result, "VEKTIS_RECORD_DATA_MISSING")


@pytest.mark.parametrize("cut", [150, 10, 2], ids=["in-the-amounts", "in-the-id", "after-the-type"])
def test_a_record_cut_short_is_one_finding_without_knock_ons(cut):
    """vektis.md "refuse with the cause named ... must not flood the report with knock-on
    findings"; audit files FILES7. Given a 04 cut off inside its data (its amount, or its
    detail-record id, partly or wholly gone) When it is read Then the cut is the one
    finding: what is left of its fields is not judged as numbers ("may only contain
    digits"), and the 99's total, which the lost amount is part of, is not compared."""
    lines = three_patients()
    lines[3] = lines[3][:cut]

    result = parse(lines)

    assert [(f.code, f.line) for f in result.findings] == [("VEKTIS_RECORD_DATA_MISSING", 4)]


def test_an_unknown_record_type_is_refused():
    lines = three_patients()
    lines.insert(4, "05" + lines[3][2:])
    result = parse(lines)
    assert_rejected_whole(result, "VEKTIS_RECORD_TYPE_UNKNOWN")
    assert only(result, "VEKTIS_RECORD_TYPE_UNKNOWN").params["value"] == "05"


def test_a_blank_line_between_records_is_refused():
    lines = three_patients()
    lines.insert(4, "")
    assert_rejected_whole(parse(lines), "VEKTIS_BLANK_LINE")


def test_a_retours_debtor_record_is_checked_as_a_declarations_is():
    """vektis.md §1 (the retour layout gives 03 records their retourcodes; closing14's
    found list: every 03 in a retour was an unknown record type, refusing the file).
    Given a retour file with an 02 copied as an 03 (no debtor version, counted nowhere)
    When it is read
    Then the file is refused for what is wrong with that 03, not for its record type."""
    data = write_retour(PM305_V32, HEADER, [dental_claim()], {"L1": Granted(100)})
    lines = data.decode("latin-1").split("\r\n")[:-1]
    lines.insert(2, "03" + lines[1][2:])
    result = parse_retour(to_bytes(lines), today=TODAY)
    codes = [f.code for f in result.findings]
    assert result.file_rejected and "VEKTIS_RECORD_TYPE_UNKNOWN" not in codes
    assert {"VEKTIS_DEBTOR_VERSION_UNKNOWN", "VEKTIS_TRAILER_COUNT"} <= set(codes)


# --- record order (vektis.md §1: 01, per patient 02 [03] 04+, 99) ------------------------------


@pytest.mark.parametrize(
    "move, line",
    [
        (lambda lines: [lines[0], lines[3], *lines[1:3], *lines[4:]], 2),  # a 04 before any 02
        (lambda lines: [lines[0], lines[2], lines[1], *lines[3:]], 2),  # the 03 before its 02
        (lambda lines: [*lines[:2], lines[6], *lines[2:]], 3),  # an 02 without a 04
        (lambda lines: [*lines, lines[3]], 15),  # a record after the 99
        (lambda lines: [lines[0], lines[0], *lines[1:]], 2),  # a second header
        (lambda lines: [lines[0], lines[4], *lines[1:4], *lines[5:]], 2),  # a comment on the header
    ],
    ids=["04-before-02", "03-before-02", "02-without-04", "after-99", "two-headers", "98-after-01"],
)
def test_records_out_of_order_are_refused(move, line):
    # Given the good file with one record moved
    result = parse(move(three_patients()))
    # Then the first order problem is on the line where the order breaks
    order = [f for f in result.findings if f.code == "VEKTIS_RECORD_ORDER"]
    assert order and order[0].line == line
    assert_rejected_whole(result, "VEKTIS_RECORD_ORDER")


@pytest.mark.parametrize(
    "move, lines",
    [
        (lambda lines: [lines[0], lines[2], lines[1], *lines[3:]], [2, 3]),  # P1's 02 and 03
        (lambda lines: [*lines[:10], lines[11], lines[10], *lines[12:]], [11, 12]),  # P3's
    ],
    ids=["first-patient", "after-another-patient"],
)
def test_an_02_and_its_03_swapped_are_refused_for_their_order_only(move, lines):
    """R40, R2, vektis.md "refuse with the cause named ... must not flood the report with
    knock-on detail-number findings"; audit vektis3: a patient's 02 and 03 swapped gave 4
    findings for one cause (two for the order, two for the detail numbers), and after
    another patient a fifth (the 03 "not linked" to that patient's 02).
    Given the good file with a patient's 02 and 03 swapped
    When it is read
    Then the report names the order of both records, and nothing else."""
    result = parse(move(three_patients()))
    assert [(f.code, f.line) for f in result.findings] == [
        ("VEKTIS_RECORD_ORDER", line) for line in lines
    ]
    assert_rejected_whole(result, "VEKTIS_RECORD_ORDER")


def test_two_files_joined_in_one_upload_are_one_finding_naming_the_second_header():
    """vektis.md "refuse with the cause named ... must not flood the report with knock-on
    detail-number findings"; audit files FILES7. Given the practice's MZ301 sample twice
    over in one upload (40 lines each) When it is read Then the report has exactly one
    finding: a second file starts at line 41, after the first's trailer on line 40 (not
    19 detail numbers, a comment owner, trailer counts and a false "19 more lines")."""
    sample = (SAMPLES / "tandarts-de-vries-2026-11.mz301").read_bytes()
    assert sample.count(b"\r\n") == 40 and sample.endswith(b"\r\n")

    result = parse(sample + sample, agb=None)

    assert result.file_rejected and result.claims == []
    [finding] = result.findings
    assert (finding.code, finding.line, finding.params) == (
        "VEKTIS_SECOND_FILE",
        41,
        {"trailer_line": 40},
    )
    assert "upload each export on its own" in finding.message("en")
    assert "line 40" in finding.message("en") and "regel 40" in finding.message("nl")


def test_a_second_file_after_a_wrong_first_still_names_the_first_files_problem():
    """The first file is checked in full up to its trailer: a wrong count there is named
    besides the second file's header."""
    lines = three_patients()
    wrong = [*lines[:-1], lines[-1][:2] + "000009" + lines[-1][8:]]

    result = parse([*wrong, *lines])

    assert [(f.code, f.line) for f in result.findings] == [
        ("VEKTIS_SECOND_FILE", 15),
        ("VEKTIS_TRAILER_COUNT", 14),
    ]


def test_a_missing_trailer_is_refused():
    # Given a file cut off before its 99 (an upload that did not finish)
    assert_rejected_whole(parse(three_patients()[:-1]), "VEKTIS_TRAILER_MISSING")


def test_a_file_without_treatment_records_is_refused():
    lines = three_patients()
    header, trailer = lines[0], retotalled([lines[0], lines[-1]])[-1]
    assert_rejected_whole(parse([header, trailer]), "VEKTIS_NO_TREATMENTS")


# --- numbering: detail records 1, 2, 3... and comments ----------------------------------------


def test_a_gap_in_the_detail_record_numbering_is_refused():
    # Given the second 04 (line 6) numbered 5 instead of 4
    result = parse(edited(three_patients(), 5, "record_id", 5))
    finding = only(result, "VEKTIS_DETAIL_NUMBER")
    assert (finding.line, finding.params["found"], finding.params["expected"]) == (6, 5, 4)
    assert "Identificatie detailrecord" in (finding.field or "")
    assert_rejected_whole(result, "VEKTIS_DETAIL_NUMBER")


def test_a_comment_must_repeat_the_id_of_the_record_it_follows():
    # Given the 98 after the 04 with id 3 saying it belongs to 2
    lines = three_patients()
    assert lines[4][:2] == "98" and lines[3][:2] == "04"
    result = parse(edited(lines, 4, "record_id", 2))
    assert only(result, "VEKTIS_COMMENT_OWNER").params == {"found": 2, "expected": 3}
    assert_rejected_whole(result, "VEKTIS_COMMENT_OWNER")


def test_comment_lines_are_numbered_from_0001():
    result = parse(edited(three_patients(), 4, "comment_line", 2))
    assert_rejected_whole(result, "VEKTIS_COMMENT_LINE_NUMBER")


def test_a_non_numeric_detail_id_is_refused():
    result = parse(raw(three_patients(), 3, "record_id", "00000000000A"))
    assert_rejected_whole(result, "VEKTIS_NOT_NUMERIC")


# --- debtor records (03) --------------------------------------------------------------------


def test_a_debtor_record_must_carry_the_debtor_number_of_its_insured_record():
    lines = three_patients()
    assert lines[2][:2] == "03"
    result = parse(edited(lines, 2, "debtor_number", "SOMEONE"))
    finding = only(result, "VEKTIS_DEBTOR_NOT_LINKED")
    assert (finding.line, finding.params["insured_line"]) == (3, 2)
    assert_rejected_whole(result, "VEKTIS_DEBTOR_NOT_LINKED")


def test_an_unknown_debtor_record_version_is_refused():
    # Given an 03 whose VERSIENUMMER DEBITEURRECORD is 07 (SB311 knows 01 and 02)
    lines = three_patients()
    lines[2] = lines[2][:297] + "07" + lines[2][299:]
    result = parse(lines)
    assert_rejected_whole(result, "VEKTIS_DEBTOR_VERSION_UNKNOWN")
    assert "SB311" in only(result, "VEKTIS_DEBTOR_VERSION_UNKNOWN").message("en")


# --- the trailer (99): counts per record type and the signed total -------------------------


@pytest.mark.parametrize("key", ["count_02", "count_03", "count_04", "count_98", "count_detail"])
def test_each_trailer_count_is_checked(key):
    # Given a 99 that counts one record too many of one kind
    lines = three_patients()
    declared = int(lines[-1][MZ301_V13.records["99"].field(key).slice]) + 1
    result = parse(edited(lines, -1, key, declared))
    # Then the trailer's line, the field and both numbers are named
    finding = only(result, "VEKTIS_TRAILER_COUNT")
    assert (finding.line, finding.params["declared"]) == (len(lines), declared)
    assert_rejected_whole(result, "VEKTIS_TRAILER_COUNT")


def test_the_trailer_total_is_the_signed_sum_of_the_declared_amounts():
    # Given a credit line (C): the total is debits minus credits
    credit = dental_claim("A3", unit_price_cents=-5000, reverses_claim_ref="A1")
    lines = records([dental_claim("A1"), dental_claim("A2"), credit])
    assert int(lines[-1][MZ301_V13.records["99"].field("total_amount").slice]) == 5000
    # Then the file as written is fine, and a total of the unsigned sum is not
    assert parse(lines).findings == []
    result = parse(edited(lines, -1, "total_amount", 15000))
    finding = only(result, "VEKTIS_TRAILER_TOTAL")
    assert_rejected_whole(result, "VEKTIS_TRAILER_TOTAL")
    # And each language's message writes both amounts its own way (R9)
    assert "is €\u00a0150,00, maar" in finding.message("nl")
    assert "zijn samen €\u00a050,00." in finding.message("nl")
    assert "is €150.00, but" in finding.message("en")
    assert "add up to €50.00." in finding.message("en")


def test_a_negative_total_carries_c():
    lines = records([dental_claim("A3", unit_price_cents=-5000, reverses_claim_ref="OLD")])
    assert lines[-1][44] == "C" and parse(lines).findings == []
    assert_rejected_whole(parse(edited(lines, -1, "total_dc", "D")), "VEKTIS_TRAILER_TOTAL")
    assert_rejected_whole(parse(edited(lines, -1, "total_dc", "X")), "VEKTIS_VALUE_INVALID")


def test_an_unreadable_amount_is_named_instead_of_a_wrong_total():
    result = parse(raw(three_patients(), 3, "amount", "0000 50 "))
    assert_rejected_whole(result, "VEKTIS_NOT_NUMERIC")
    assert "VEKTIS_TRAILER_TOTAL" not in codes(result)


# --- the header (01): standard, version, kind, provider --------------------------------------


def test_the_standards_read_are_dispatched_on_code_version_and_subversion():
    assert {(s.name, s.code, s.version, s.subversion) for s in STANDARDS.values()} == {
        ("MZ301", "176", "01", "03"),
        ("PM304", "107", "03", "02"),
        ("PM305", "108", "03", "02"),
        ("MZ302", "177", "01", "03"),
    }


@pytest.mark.parametrize("version", ["0102", "0200", "0300"])
def test_an_unknown_version_is_refused_with_what_can_be_read(version):
    lines = three_patients()
    lines[0] = lines[0][:5] + version + lines[0][9:]
    result = parse(lines)
    finding = only(result, "VEKTIS_STANDARD_UNKNOWN")
    assert (finding.params["code"], finding.params["version"]) == ("176 (MZ301)", version[:2])
    assert "MZ301 v1.3, PM304 v3.2" in finding.message("nl")
    assert_rejected_whole(result, "VEKTIS_STANDARD_UNKNOWN")
    assert result.format == "vektis"


def test_an_unknown_message_code_is_named_as_it_is():
    # Given a header with a code that is no EI declaration we know of (vektis.md §0)
    lines = three_patients()
    lines[0] = lines[0][:2] + "999" + lines[0][5:]
    finding = only(parse(lines), "VEKTIS_STANDARD_UNKNOWN")
    assert finding.params["code"] == "999" and "MZ301 v1.3" in finding.message("en")


def test_a_retour_file_uploaded_as_a_declaration_says_so():
    data = (SAMPLES / "fysio-centrum-oost-2026-11.pm305").read_bytes()
    result = parse(data, agb="04123456")
    assert_rejected_whole(result, "VEKTIS_RETOUR_AS_DECLARATION")


def test_a_test_message_is_not_invoiced():
    result = parse(edited(three_patients(), 0, "message_kind", "T"))
    assert_rejected_whole(result, "VEKTIS_TEST_MESSAGE")


@pytest.mark.parametrize(
    "key, value, code",
    [
        ("currency", "USD", "VEKTIS_VALUE_INVALID"),
        ("invoice_date", "20261131", "VEKTIS_DATE_INVALID"),
        ("period_start", "00000000", "VEKTIS_DATE_INVALID"),
        ("message_kind", "X", "VEKTIS_VALUE_INVALID"),
    ],
)
def test_header_fields_are_checked(key, value, code):
    result = parse(edited(three_patients(), 0, key, value))
    assert only(result, code).line == 1
    assert_rejected_whole(result, code)


def test_a_file_of_another_practice_is_refused():
    # Given a file whose header names AGB 87654321 only (R2: wrong provider)
    result = parse(three_patients(), agb="87654321")
    finding = only(result, "VEKTIS_WRONG_PROVIDER")
    assert finding.params == {"file_agb": "12345678", "provider_agb": "87654321"}
    assert_rejected_whole(result, "VEKTIS_WRONG_PROVIDER")


def test_the_practice_may_be_named_as_care_provider_or_institution():
    lines = edited(edited(three_patients(), 0, "agb_practice", 0), 0, "agb_provider", "12345678")
    assert parse(lines).findings == []


def test_too_many_treatment_lines_are_refused():
    result = parse(three_patients(), max_lines=4)
    assert only(result, "FILE_TOO_MANY_LINES").params == {"lines": 5, "max_lines": 4}
    assert_rejected_whole(result, "FILE_TOO_MANY_LINES")


def test_line_problems_are_listed_up_to_a_limit_and_then_counted():
    # Given 25 treatment lines of the wrong length
    lines = records([dental_claim(f"R{i}") for i in range(25)])
    lines = [t + "X" if t[:2] == "04" else t for t in lines]
    result = parse(lines)
    assert codes(result).count("VEKTIS_RECORD_LENGTH") == MAX_LISTED_LINE_PROBLEMS
    assert only(result, "FILE_MORE_ROW_ERRORS").params == {"count": 5}


# --- recognised from the content, not the name (interfaces.md §1b) ----------------------------


def test_the_format_is_recognised_from_the_content():
    vektis = to_bytes(three_patients())
    assert is_vektis(vektis) and is_vektis(b"\xef\xbb\xbf" + vektis)
    assert not is_vektis(b"claim_ref;patient_ref\n") and not is_vektis(b"01;02;03\n")
    csv = (SAMPLES.parent / "tandarts-de-vries-2026-11.csv").read_bytes()
    assert parse_declaration(csv, today=TODAY, max_lines=100).format == "csv"
    assert parse_declaration(vektis, today=TODAY, max_lines=100).format == "MZ301 v1.3"


def test_the_bad_samples_are_each_refused_with_a_message():
    # Given the checked-in bad samples (events/declarations/vektis/bad/)
    for path in sorted((SAMPLES / "bad").iterdir()):
        agb = "04123456" if path.suffix == ".pm304" else "12345678"
        result = parse_declaration(
            path.read_bytes(), today=TODAY, max_lines=100, provider_agbs={agb}
        )
        # Then each is rejected whole, and says why in both languages
        assert result.file_rejected and not result.claims, path.name
        assert all(f.message("nl") and f.message("en") for f in result.findings)


def test_every_vektis_code_has_both_texts():
    dutch, english = (PRACTICE.languages[language][FINDINGS] for language in ("nl", "en"))
    vektis = [
        code for code in dutch.keys() | english.keys() if code.startswith(("VEKTIS_", "RETOUR_"))
    ]
    assert len(vektis) > 30
    assert all(dutch[c] and english[c] and dutch[c] != english[c] for c in vektis)


def test_pm304_reads_its_own_positions():
    # Given a PM304 line: its amount sits at 183-190, not MZ301's 156-163
    lines = records([dental_claim(treatment_code="1000", description="x")], standard=PM304_V32)
    result = parse(lines)
    assert result.format == "PM304 v3.2" and result.claims[0].amount_cents == 5000


@pytest.mark.parametrize(("record", "tab_at"), [(1, 3), (3, 40), (13, 10)])
def test_a_tab_in_a_record_of_an_unknown_type_is_said_with_that_type(record, tab_at):
    """R2, R40, vektis.md "Files as practices really send them" (vektisleft55: a tab in a
    record whose type the standard lacks was "at position 40, in pos. 40": no field
    there is known, the record's type is what the practice can look for).
    Given a record whose type is '40' (none in MZ301), with a tab after its type
    When the file is read
    Then one finding names the tab, its line and position, and the unknown record type,
    in Dutch and English; no field is named."""
    lines = three_patients()
    text = "40" + lines[record][2:]
    lines[record] = text[: tab_at - 1] + "\t" + text[tab_at:]

    result = parse(to_bytes(lines))

    finding = only(result, "VEKTIS_TAB")
    assert (finding.line, finding.field, finding.params["position"]) == (record + 1, None, tab_at)
    assert f"position {tab_at}, in a record of the unknown record type '40'," in (
        finding.message("en")
    )
    assert f"positie {tab_at}, in een record met de onbekende recordsoort '40'," in (
        finding.message("nl")
    )
    assert_rejected_whole(result, "VEKTIS_TAB")


def three_patients_with_a_tab(record: int, tab_at: int, width: int) -> list[str]:
    """The three patients' file with a tab at ``tab_at`` of its line ``record`` (0-based),
    over ``width`` characters (0: typed in, the rest moved on)."""
    lines = three_patients()
    text = lines[record]
    lines[record] = text[: tab_at - 1] + "\t" + text[tab_at - 1 + width :]
    return lines
