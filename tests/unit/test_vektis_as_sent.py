"""Vektis files as practices really send them (issue 15; vektis.md "Files as practices
really send them", R40): each case is a minimal file written from the issue's
description of a real one. What can be repaired without guessing is read, and the
report says what was repaired; a refusal names the one cause."""

from __future__ import annotations

import io
import random
import tarfile
from dataclasses import replace
from pathlib import Path

import pytest

from billing_core.declarations.findings import Severity
from billing_core.declarations.formats import is_vektis, parse_declaration
from billing_core.declarations.vektis.layout import RecordType
from billing_core.declarations.vektis.layouts import MZ301_V13, PM304_V32
from billing_core.declarations.vektis.retour_parser import parse_retour
from billing_core.declarations.vektis.writer import to_bytes
from tests.unit.claim_factories import VGZ, person
from tests.unit.vektis_files import (
    AGB,
    PARENT,
    TODAY,
    child_claims,
    codes,
    dental_claim,
    only,
    raw,
    records,
)


def good() -> list[str]:
    """01 | 02 03 04 98 | 02 03 04 | 99: two patients, a comment on the first line."""
    patient_2 = person(initials="T.", name_prefix="", last_name="Bakkum")
    return records(
        [
            dental_claim("A1", comments=("Vulling linksboven.",)),
            dental_claim("B1", patient_ref="P2", bsn="100010040", patient=patient_2),
        ]
    )


def read(data: bytes):  # type: ignore[no-untyped-def]
    """Through the router, as an upload is: the format is judged from the content."""
    return parse_declaration(data, today=TODAY, max_lines=100, provider_agbs={AGB})


def accepted_with(result, code: str):  # type: ignore[no-untyped-def]
    """Read as a good file is, with one warning saying what was repaired."""
    assert [c.claim_ref for c in result.claims] == ["A1", "B1"], result.findings
    assert codes(result) == [code]
    finding = result.findings[0]
    assert finding.severity is Severity.WARNING
    assert finding.message("nl") and finding.message("en")
    return finding


# --- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "codec, named",
    [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("cp500", "EBCDIC")],
    ids=["utf-16-with-bom", "utf-16-be", "ebcdic"],
)
def test_utf16_and_ebcdic_are_refused_by_name(codec, named):
    # Given a Vektis file saved as UTF-16 (Excel's "Unicode text") or EBCDIC
    data = "\r\n".join(good()).encode(codec)
    # When it is uploaded
    result = read(data)
    # Then it is recognised as Vektis, not sent to the CSV reader ("save as CSV UTF-8"),
    # and the message names the encoding and what a Vektis export must be
    assert is_vektis(data) and result.format == "vektis" and result.claims == []
    finding = only(result, "VEKTIS_FOREIGN_ENCODING")
    assert finding.params == {"encoding": named} and finding.severity is Severity.FILE
    assert "ISO-8859-1" in finding.message("en") and "CSV" not in finding.message("en")


def test_windows_1252_characters_are_read_and_where_is_said():
    # Given a curly apostrophe in a surname (in the 02 and its 03) and a euro sign in a
    # comment (bytes 0x92, 0x80: control characters in ISO-8859-1, Windows-1252 letters)
    lines = good()
    data = to_bytes(lines).replace(b"Bakkum   ", b"O\x92Bakkum ").replace(b"Vulling", b"\x80 50,00")
    # When it is read
    result = read(data)
    # Then the name is intact, and one warning names the first such character's place
    assert result.claims[1].patient.last_name == "O\u2019Bakkum"
    finding = accepted_with(result, "VEKTIS_WINDOWS_1252")
    assert (finding.line, finding.field) == (5, "Vrije tekst (record 98, pos. 19-158)")
    assert finding.params == {"character": "\u20ac", "count": 3}


def test_a_byte_windows_1252_lacks_is_refused_naming_line_and_field():
    data = to_bytes(good()).replace(b"Bakkum   ", b"Bak\x81kum  ")
    finding = only(read(data), "VEKTIS_CONTROL_CHARACTER")
    assert (finding.line, finding.field, finding.params) == (
        6,
        "Naam verzekerde (01) (record 02, pos. 64-88)",
        {"byte": "0x81"},
    )


# --- what surrounds the records ---------------------------------------------------------------


@pytest.mark.parametrize(
    "tail, said",
    [
        (b"\x1a", "DOS end-of-file byte (0x1A)"),
        (b"\x00" * 300, "NUL bytes (0x00)"),
        (b"\r\n\x1a\x00\x00", "DOS end-of-file byte (0x1A) and NUL bytes"),
    ],
    ids=["dos-eof", "nul-padding", "both"],
)
def test_an_end_of_file_byte_or_nul_padding_after_the_last_record_is_skipped(tail, said):
    result = read(to_bytes(good(), final_line_end=False) + tail)
    assert said in accepted_with(result, "VEKTIS_END_PADDING").message("en")


@pytest.mark.parametrize(
    "tail, english, dutch",
    [
        (
            b"\x1a",
            "Skipped after the last record: a DOS end-of-file byte (0x1A). It is not part of"
            " the file.",
            "Na het laatste record overgeslagen: een DOS-eindeteken (0x1A). Dat hoort niet bij"
            " het bestand.",
        ),
        (
            b"\x00" * 3,
            "Skipped after the last record: NUL bytes (0x00). It is not part of the file.",
            "Na het laatste record overgeslagen: NUL-tekens (0x00). Dat hoort niet bij het"
            " bestand.",
        ),
    ],
    ids=["one-byte", "bytes"],
)
def test_the_end_padding_warning_reads_as_a_sentence_for_one_byte_and_for_many(
    tail, english, dutch
):
    """R40, vektis.md "accept and say what was repaired" (closing14's found list): the
    old text said "there were a DOS end-of-file byte; they are no part of the file".
    Given a file with one DOS end-of-file byte, or NUL bytes, after its last record
    When it is read
    Then the warning says what was skipped in a sentence that fits one and many."""
    result = read(to_bytes(good(), final_line_end=False) + tail)
    warning = accepted_with(result, "VEKTIS_END_PADDING")
    assert (warning.message("en"), warning.message("nl")) == (english, dutch)


@pytest.mark.parametrize(
    "head, blank_lines, spaces, tabs",
    [(b"\r\n", 1, 0, 0), (b"  ", 0, 2, 0), (b"\r\n\r\n \t", 2, 1, 1), (b"\t\t ", 0, 1, 2)],
    ids=["blank-line", "spaces", "both", "tabs"],
)
def test_blank_lines_or_spaces_before_the_header_still_make_a_vektis_file(
    head, blank_lines, spaces, tabs
):
    """R2, R40 (vektisleft55: a tab before the 01 was said as a space, "2 space(s)" for
    a space and a tab)."""
    # Given an export with blank lines, spaces or tabs before the 01 record
    data = head + to_bytes(good())
    # When it is uploaded
    result = read(data)
    # Then it is read as Vektis (not as CSV with "unknown columns: 011760103P..."), and
    # line numbers stay those of the file
    assert result.format == "MZ301 v1.3"
    finding = accepted_with(result, "VEKTIS_LEADING_BLANK")
    assert finding.params == {"blank_lines": blank_lines, "spaces": spaces, "tabs": tabs}
    assert result.claims[0].line_number == 4 + blank_lines
    # And what was skipped is said as it was: tabs as tabs, apart from the spaces
    assert f"{spaces} space(s) and {tabs} tab(s);" in finding.message("en")
    assert f"{spaces} spatie(s) en {tabs} tab(s);" in finding.message("nl")


@pytest.mark.parametrize(
    "head, spaces, others",
    [
        (b"\r", 0, "1 × U+000D (CR)"),
        (b" \x0b", 1, "1 × U+000B (VT)"),
        (b"\x0c", 0, "1 × U+000C (FF)"),
        (b"\xa0\xa0 ", 1, "2 × U+00A0 (NO-BREAK SPACE)"),
        (b"\r\xa0", 0, "1 × U+000D (CR), 1 × U+00A0 (NO-BREAK SPACE)"),
        # A UTF-8 BOM after a blank line or a space: before, not even read as Vektis
        (b"\r\n\xef\xbb\xbf", 0, "1 × U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
        (b" \xef\xbb\xbf", 1, "1 × U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
    ],
    ids=[
        "cr",
        "vertical-tab",
        "form-feed",
        "no-break-spaces",
        "two-kinds",
        "bom-after-blank-line",
        "bom-after-space",
    ],
)
def test_other_blanks_before_the_header_are_said_by_their_name(head, spaces, others):
    """R2, R40 (stop 56 csvcols; vektisleft55 did tabs): Given an export with a CR, a
    vertical tab, a form feed or no-break spaces before the 01 record, When it is
    uploaded, Then it is read, and the warning names each such character with how often,
    apart from the spaces (nl, en). Before: each was counted as a space."""
    data = head + to_bytes(good())

    result = read(data)

    finding = accepted_with(result, "VEKTIS_LEADING_BLANK")
    assert (finding.params["spaces"], finding.params["tabs"]) == (spaces, 0)
    assert finding.params["others"] == others
    assert f"{spaces} space(s), 0 tab(s) and these invisible characters: {others};" in (
        finding.message("en")
    )
    assert f"{spaces} spatie(s), 0 tab(s) en deze onzichtbare tekens: {others};" in (
        finding.message("nl")
    )


def test_a_problem_after_leading_blank_lines_is_on_the_files_line():
    lines = good()
    lines[3] += "X"  # the 04 of A1 is line 4 of the records, line 5 of the file
    result = read(b"\r\n" + to_bytes(lines))
    assert only(result, "VEKTIS_RECORD_LENGTH").line == 5


@pytest.mark.parametrize(
    "data, found",
    [
        (b"claim_ref;patient_ref;bsn\r\nR1;P1;111222333\r\n", "a CSV file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP or Excel file (.xlsx)"),
        (b"Retourinformatie VGZ week 47\r\n", "a text file that starts with 'Re'"),
    ],
    ids=["csv", "pdf", "xlsx", "text"],
)
def test_a_non_vektis_retour_upload_is_named_for_what_it_is(data, found):
    parsed = parse_retour(data, today=TODAY)
    [finding] = parsed.findings
    assert finding.code == "RETOUR_NOT_VEKTIS" and found in finding.message("en")
    assert "PM305 of MZ302" in finding.message("nl")


@pytest.mark.parametrize(
    "data",
    [b"\t01ABCDEF  zorgnota\r\n", b"\r\n\tRetourinformatie VGZ week 47\r\n", b"\t\t0X1070302P\r\n"],
    ids=["tabbed-01", "after-a-blank-line", "two-tabs"],
)
def test_a_non_vektis_retour_that_starts_with_a_tab_says_the_tab(data):
    """R40 (vektisleft55: the tab was stripped unsaid: "a text file that starts with '01'
    instead of record type 01").
    Given a retour upload that is no Vektis file and starts with a tab (after any blank line)
    When it is uploaded
    Then the practice is told, in Dutch and English, that it starts with a tab."""
    [finding] = parse_retour(data, today=TODAY).findings
    assert finding.code == "RETOUR_NOT_VEKTIS"
    assert "a text file that starts with a tab (the Tab key) instead of" in finding.message("en")
    assert "een tekstbestand dat met een tab (de Tab-toets) begint" in finding.message("nl")


@pytest.mark.parametrize("data", [b"\tclaim_ref\tamount\r\n", b"  claim_ref\tamount\r\n"])
def test_a_tab_separated_retour_upload_is_still_a_csv_file(data):
    # Given a tab-separated file, its first column name empty or indented by spaces
    # When it is uploaded as a retour (R40)
    [finding] = parse_retour(data, today=TODAY).findings
    # Then it is named a CSV file, the leading tab one of its separators
    assert "a CSV file (text with separators)" in finding.message("en")


@pytest.mark.parametrize(
    ("data", "found_nl", "found_en"),
    [
        (b"%PDF-1.4 nonsense", "een PDF-document", "a PDF document"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "een PDF-document", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "een ZIP- of Excel-bestand", "a ZIP or Excel file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "een Excel- of Word-bestand", "an Excel or Word"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "een afbeelding (PNG)", "an image (PNG)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "een afbeelding (JPEG)", "an image (JPEG)"),
    ],
    ids=["pdf-text", "pdf", "xlsx", "xls", "png", "jpeg"],
)
def test_r2_a_declaration_upload_of_another_format_is_said_to_be_no_csv_or_vektis_file(
    data, found_nl, found_en
):
    """R2, R40 (portal51b): an uploaded PDF was read as a CSV whose header has the unknown
    column "%pdf-1.4 nonsense", an image or workbook as text that is not UTF-8 at byte 3.
    Given a declaration upload whose first bytes are a PDF's, a workbook's or an image's
    When it is parsed
    Then the one finding rejects the file as no CSV or Vektis file, naming what it is."""
    parsed = parse_declaration(data, today=TODAY, max_lines=100)
    [finding] = parsed.findings
    assert (finding.code, finding.severity) == ("FILE_NOT_CSV_OR_VEKTIS", Severity.FILE)
    assert finding.message("nl").startswith(
        f"Dit is geen CSV- of Vektis-bestand: het is {found_nl}"
    )
    assert finding.message("en").startswith(f"This is no CSV or Vektis file: it is {found_en}")
    assert parsed.claims == []


# --- line ends ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line_end, named", [("\r", "CR only"), ("\r\r\n", "CR CR LF")], ids=["cr", "cr-cr-lf"]
)
def test_cr_only_or_cr_cr_lf_line_ends_are_named_once(line_end, named):
    result = read(to_bytes(good(), line_end=line_end))
    assert named in accepted_with(result, "VEKTIS_LINE_ENDS").message("en")


def test_one_lf_only_line_end_among_crlf_ones_is_read_as_a_line_end():
    # Given a CRLF file where one line ends in LF alone (CR and LF counts differ)
    data = to_bytes(good()).replace(b"\r\n", b"\n", 1)
    # When it is read, Then it reads as the original and there is nothing to say
    result = read(data)
    assert result.findings == []
    assert result.claims == read(to_bytes(good())).claims


@pytest.mark.parametrize("other_end", ["\r\n", "\n"], ids=["crlf-and-cr", "lf-and-cr"])
def test_a_cr_only_line_end_among_other_line_ends_is_a_line_end_and_said(other_end):
    """R40, R2, vektis.md "Files as practices really send them" (CR-only line ends).

    Given a file whose records end in CR LF (or LF), but one record, the 02 on line 2,
    ends in a CR alone (two exports' pieces pasted together in an old editor)
    When it is read
    Then it reads as the original, and one warning names the CR-only line ends: not a
    621-character line 2 with knock-on detail-number and trailer-count findings."""
    lines = good()
    data = (lines[0] + other_end + lines[1] + "\r" + other_end.join(lines[2:])).encode("latin-1")
    result = read(data)
    assert "CR only" in accepted_with(result, "VEKTIS_LINE_ENDS").message("en")
    assert result.claims == read(to_bytes(good())).claims


@pytest.mark.parametrize("lone_cr", ["at_the_end", "between_02_and_03"])
def test_a_blank_line_in_a_file_with_a_lone_cr_is_named_not_a_crash(lone_cr):
    """R2, R40 (the chaos sample's fuzzed files met it: an IndexError in the lone-CR split,
    an empty line having no piece to look at).

    Given a blank line after the 02 in a file of CR LF line ends that also has a CR alone
    (its last line's end, or the 03's line end)
    When it is read
    Then it is refused at line 3 as a blank line, as the file without the lone CR is."""
    lines = good()
    if lone_cr == "at_the_end":
        text = "\r\n".join([*lines[:2], "", *lines[2:]]) + "\r"
    else:
        text = "\r\n".join([*lines[:2], "", lines[2] + "\r" + lines[3], *lines[4:]]) + "\r\n"
    finding = only(read(text.encode("latin-1")), "VEKTIS_BLANK_LINE")
    assert (finding.severity, finding.line) == (Severity.FILE, 3)


def test_a_stray_cr_in_a_record_is_a_record_too_long():
    # Given a CR in the middle of the 04 record (one more CR than there are line ends)
    lines = good()
    lines[3] = lines[3][:100] + "\r" + lines[3][100:]
    # When it is read, Then the whole file is refused at that line, naming the CR that
    # makes it too long (stop 49 vektis5: VEKTIS_CR_IN_RECORD, before VEKTIS_RECORD_LENGTH)
    result = read(to_bytes(lines))
    finding = only(result, "VEKTIS_CR_IN_RECORD")
    assert (finding.severity, finding.line) == (Severity.FILE, 4)
    assert result.claims == []


def test_a_stray_cr_before_two_digits_of_a_record_type_is_named_not_split():
    """R2, R40, vektis.md "Files as practices really send them" (the cause named once;
    stop 49 vektis5 item 2).

    Given a CR inside the 04 on line 4 at position 133, where AANTAL UITGEVOERDE
    PRESTATIES goes on with "01" (as if a header record started there)
    When it is read
    Then the file is refused with one finding on line 4 naming the CR, its position and
    field (nl/en): not "data missing" in a 132-character record and two order findings."""
    lines = good()
    assert lines[3][132:134] == "01"
    lines[3] = lines[3][:132] + "\r" + lines[3][132:]
    result = read(to_bytes(lines))
    [finding] = result.findings
    assert (finding.code, finding.severity, finding.line) == (
        "VEKTIS_CR_IN_RECORD",
        Severity.FILE,
        4,
    )
    assert finding.field == "Aantal uitgevoerde prestaties (record 04, pos. 131-134)"
    assert "position 133" in finding.message("en") and "CR" in finding.message("en")
    assert "positie 133" in finding.message("nl")


def test_two_exports_joined_on_one_line_are_named_once_as_a_second_file():
    """R2, R40, vektis.md "Files as practices really send them" (a missing final CRLF is
    accepted, so an export ends in its 99 without one; one cause, not a flood).

    Given two exports joined byte by byte (copy /b a+b) where the first has no line end
    after its 99: line 9 is the 99 with the second file's 01 straight after it
    When it is read
    Then the whole file is refused with the one cause, at line 9 and position 311 (nl/en),
    and none of the 620-character, order, detail-number or trailer findings."""
    first = to_bytes(good(), final_line_end=False)
    result = read(first + to_bytes(good()))
    assert result.claims == []
    [finding] = result.findings
    assert (finding.code, finding.severity, finding.line) == (
        "VEKTIS_SECOND_FILE_SAME_LINE",
        Severity.FILE,
        9,
    )
    assert finding.params == {"position": 311}
    assert "position 311" in finding.message("en") and "positie 311" in finding.message("nl")
    assert "upload each export on its own" in finding.message("en")


_BOM = b"\xef\xbb\xbf"


def _accented() -> bytes:
    """good() with an ISO-8859-1 \xe9 in its comment, as an export writes it."""
    accented = to_bytes(good()).replace(b"Vulling", b"Vull\xe9ng", 1)
    assert read(accented).findings == []
    return accented


@pytest.mark.parametrize(
    "joined, code, line",
    [
        (to_bytes(good()) + _BOM + to_bytes(good()), "VEKTIS_SECOND_FILE", 10),
        (_BOM + to_bytes(good()) + _BOM + to_bytes(good()), "VEKTIS_SECOND_FILE", 10),
        (
            (to_bytes(good()) + _BOM + to_bytes(good())).replace(b"\r\n", b"\n"),
            "VEKTIS_SECOND_FILE",
            10,
        ),
        (
            to_bytes(good(), final_line_end=False) + _BOM + to_bytes(good()),
            "VEKTIS_SECOND_FILE_SAME_LINE",
            9,
        ),
        # ISO-8859-1 accents (Univ\xe9): the file is no UTF-8, the BOM read as letters
        (_accented() + _BOM + _accented(), "VEKTIS_SECOND_FILE", 10),
        (
            _accented().removesuffix(b"\r\n") + _BOM + _accented(),
            "VEKTIS_SECOND_FILE_SAME_LINE",
            9,
        ),
    ],
    ids=[
        "own-line",
        "both-with-a-bom",
        "lf-only",
        "on-the-trailers-line",
        "accented-own-line",
        "accented-on-the-trailers-line",
    ],
)
def test_a_bom_before_the_second_exports_header_is_read_as_the_first_ones(joined, code, line):
    """R2, R40, vektis.md "Files as practices really send them" (inputs57): a BOM before
    the header is dropped (csvcols56: after blank lines too), so two exports each saved
    with one and joined into one upload are read as two joined without: refused with
    the one cause, the second file. Before: refused as UTF-8 on the second header's line
    (VEKTIS_UTF8: "save it as ISO-8859-1"), which the practice cannot act on.
    Given two exports joined byte by byte, a UTF-8 BOM before the second one's 01
    When it is read
    Then the file is refused naming the second file where it starts, nothing else."""
    result = read(joined)
    assert result.claims == []
    assert [(f.code, f.severity, f.line) for f in result.findings] == [(code, Severity.FILE, line)]
    assert "upload each export on its own" in result.findings[0].message("en")
    assert "upload elke export apart" in result.findings[0].message("nl")


def test_a_bom_inside_a_record_is_still_refused_as_utf8():
    """R40 (inputs57): only a BOM before a header record is dropped. Given a comment
    record (line 5) with a BOM and 01234 inside its text, When it is read, Then the
    file is refused as UTF-8 on that line, as before."""
    data = to_bytes(good()).replace(b"Vulling", _BOM + b"01234ing", 1)
    result = read(data)
    assert [(f.code, f.line) for f in result.findings] == [("VEKTIS_UTF8", 5)]


# --- trailing spaces an editor trimmed --------------------------------------------------------


def test_trimmed_trailing_spaces_are_padded_back_and_said():
    # Given every record with its trailing spaces trimmed (RESERVE, empty text fields)
    trimmed = [text.rstrip(" ") for text in good()]
    assert all(len(text) < 310 for text in trimmed)
    # When it is read
    result = read(to_bytes(trimmed))
    # Then it reads as the original, and one warning says how many lines were padded
    finding = accepted_with(result, "VEKTIS_TRAILING_SPACES_RESTORED")
    assert finding.params == {"count": len(trimmed), "first": 1, "expected": 310}
    assert result.claims == read(to_bytes(good())).claims


def test_tabs_for_the_reserve_at_a_records_end_are_replaced_and_said():
    """R2, R40, vektis.md ("Files as practices really send them": trailing spaces an
    editor trimmed are padded back when only space-filled fields are missing);
    leftovers51: an editor that turned the reserve's spaces into tabs got the whole file
    refused (VEKTIS_TAB), where the same spaces trimmed were padded back.
    Given the 02 and 04 records with their trailing spaces turned into tabs and spaces
    When the file is read
    Then it reads as the original, one warning saying how many lines ended in tabs."""
    lines = good()
    for index in (1, 3):
        kept = lines[index].rstrip(" ")
        lines[index] = kept + "\t" * ((310 - len(kept)) // 8) + " \t"
    result = read(to_bytes(lines))
    finding = accepted_with(result, "VEKTIS_TRAILING_TABS_REPLACED")
    assert finding.params == {"count": 2, "first": 2, "expected": 310}
    assert "tabs" in finding.message("nl") and "tabs" in finding.message("en")
    assert result.claims == read(to_bytes(good())).claims


def test_trimming_that_reaches_a_number_is_data_missing():
    # Given an MZ301 02 whose last 130 positions (INDICATIE CLIENT OVERLEDEN, a number,
    # and RESERVE) are gone: not trailing spaces, data
    lines = good()
    lines[1] = lines[1][:180]
    finding = only(read(to_bytes(lines)), "VEKTIS_RECORD_DATA_MISSING")
    assert finding.field == "Indicatie client overleden (record 02, pos. 181-181)"
    assert finding.severity is Severity.FILE


# --- one wrong record type: one finding --------------------------------------------------------


@pytest.mark.parametrize("mistyped", ["40", "O4", " 4"])
def test_one_wrong_record_type_is_one_finding(mistyped):
    # Given the first 04 (line 4, with a comment after it) with a mistyped record type
    lines = good()
    assert lines[3][:2] == "04" and lines[4][:2] == "98"
    lines[3] = mistyped + lines[3][2:]
    # When it is read
    result = read(to_bytes(lines))
    # Then the cause is the one finding: no knock-on detail numbers, comment owners,
    # trailer counts or totals after it
    [finding] = result.findings
    assert (finding.code, finding.line, finding.params["value"]) == (
        "VEKTIS_RECORD_TYPE_UNKNOWN",
        4,
        mistyped,
    )
    assert result.file_rejected and result.claims == []


@pytest.mark.parametrize(
    "moved_to, line",
    [(6, 5), (8, 7)],
    ids=["after-the-next-02", "after-the-next-patients-04"],
)
def test_a_treatment_record_moved_to_the_next_patient_is_one_finding_naming_it(moved_to, line):
    """R2, R40, vektis.md §1 (04 belongs to the preceding 02; one cause, no knock-on
    detail-number findings; stop 49 vektis5 item 1).

    Given the first patient's 04 (number 3) and its comment moved by the practice
    software to after the second patient's 02 (or after that patient's 04)
    When it is read
    Then the file is refused with one finding on the moved 04's line, naming its number
    and the line it belongs after (line 3, its patient's 03), in nl and en: not a
    detail-number finding per record between, nor order or comment-owner findings."""
    lines = good()
    moved = lines[:3] + lines[5:moved_to] + lines[3:5] + lines[moved_to:]
    result = read(to_bytes(moved))
    [finding] = result.findings
    assert (finding.code, finding.severity, finding.line) == (
        "VEKTIS_RECORD_MOVED",
        Severity.FILE,
        line,
    )
    assert finding.params["found"] == 3 and finding.params["after_line"] == 3
    assert "belongs straight after line 3" in finding.message("en")
    assert "hoort dus direct na regel 3" in finding.message("nl")
    assert result.claims == []


def test_a_mistyped_trailer_is_one_finding_too():
    lines = good()
    lines[-1] = "90" + lines[-1][2:]
    assert codes(read(to_bytes(lines))) == ["VEKTIS_RECORD_TYPE_UNKNOWN"]


# --- round 40 (audit FILES2): lines wrapped at 80, codes in lower case ------------------------


def test_records_wrapped_at_80_characters_are_one_finding_naming_the_cause():
    # Given every 310-character record broken into lines of 80 (a mail program or an
    # editor wrapped it), CRLF after each piece
    pieces = [text[start : start + 80] for text in good() for start in range(0, 310, 80)]
    # When it is read
    result = read(to_bytes(pieces))
    # Then one finding names the cause: no "record type 'TD'", "line 3 is empty", ...
    [finding] = result.findings
    assert (finding.code, finding.severity) == ("VEKTIS_LINES_WRAPPED", Severity.FILE)
    assert finding.params == {"width": 80, "expected": 310}
    assert "80" in finding.message("nl") and "without line breaks" in finding.message("en")
    assert result.claims == []


@pytest.mark.parametrize("line_end", ["\r\n", "\n"], ids=["crlf", "lf"])
def test_wrapped_records_whose_editor_trimmed_trailing_spaces_are_one_finding_too(line_end):
    # Given every 310-character record broken into lines of 80, and then the editor
    # trimmed each line's trailing spaces: uneven widths, pieces of only spaces empty
    # (vektis.md "Files as practices really send them": the one cause named, R2)
    pieces = [
        text[start : start + 80].rstrip(" ") for text in good() for start in range(0, 310, 80)
    ]
    assert "" in pieces and len({len(piece) for piece in pieces}) > 3
    data = (line_end.join(pieces) + line_end).encode("latin-1")
    # When it is read
    result = read(data)
    # Then the one finding is the wrapping, as for the untrimmed file: not 21 findings of
    # record types 'TD', empty lines and missing data
    [finding] = result.findings
    assert (finding.code, finding.severity) == ("VEKTIS_LINES_WRAPPED", Severity.FILE)
    assert finding.params == {"width": 80, "expected": 310}
    assert result.claims == []


@pytest.mark.parametrize("cut", [155, 100, 62], ids=["half", "100", "fifth"])
def test_records_cut_short_are_not_taken_for_wrapped_lines(cut):
    # Given a correct file whose every record lost its end at the same width (each line
    # still a record of its own: one that divides 310, or not)
    lines = [text[:cut] for text in good()]
    # When it is read
    result = read(to_bytes(lines))
    # Then it is refused for the data missing, as before: no record was broken in two
    assert result.file_rejected and "VEKTIS_LINES_WRAPPED" not in codes(result)
    assert "VEKTIS_RECORD_DATA_MISSING" in codes(result)


def test_a_trimmed_file_with_one_mistyped_record_is_not_taken_for_wrapped_lines():
    # Given the file with every record's trailing spaces trimmed, and its first 04 (line 4)
    # mistyped "40": most lines still start with a record type
    lines = [text.rstrip(" ") for text in good()]
    lines[3] = "40" + lines[3][2:]
    # When it is read
    result = read(to_bytes(lines))
    # Then the one finding is the record type, as in the untrimmed file (R2)
    assert [(f.code, f.line) for f in result.findings if f.severity is Severity.FILE] == [
        ("VEKTIS_RECORD_TYPE_UNKNOWN", 4)
    ]


def test_a_prestatiecode_in_lower_case_is_read_as_the_code_of_the_table():
    # Given the first 04 with its PRESTATIECODE (pos. 76-81) as "v21" (R40)
    lines = good()
    assert lines[3][75:78] == "V21"
    lines[3] = lines[3][:75] + "v21" + lines[3][78:]
    # When it is read
    result = read(to_bytes(lines))
    # Then it is V21 with the table's description and line type, as the file with V21
    assert result.claims == read(to_bytes(good())).claims
    assert not result.findings


# --- a letter the export could not write -----------------------------------------------------


def test_a_question_mark_in_a_name_or_address_is_named_on_its_line_and_field():
    """R40, vektis.md "Files as practices really send them" (accept and say what was
    repaired). Given an MZ301 whose export wrote '?' for letters its code page lacks:
    the patient's surname and initials (02), the parent's street, city and e-mail (03);
    and a '?' where it is no letter: a comment (98) and a line reference (04).
    When it is read. Then each name, address or e-mail field is named on its own line
    with its Vektis element, in Dutch and English, as the CSV reader does for Excel's '?'
    (CSV_LETTER_AS_QUESTION_MARK); the comment and the reference are not; and the
    invoice is not held: every claim is there."""
    child, parent = child_claims()
    patient = replace(child.patient, last_name="M?ller", initials="?.")
    debtor = replace(
        PARENT,
        address=replace(PARENT.address, street="Ulica ?ódzka", city="?ód?"),
        email="m?ller@example.com",
    )
    comment = ("Klopt dit?",)
    claims = [
        replace(child, claim_ref="K1?", patient=patient, debtor=debtor, comments=comment),
        replace(parent, patient=patient, debtor=debtor),
    ]
    lines = records(claims)
    assert [line[:2] for line in lines] == ["01", "02", "03", "04", "98", "04", "99"]
    # When it is read
    result = read(to_bytes(lines))
    # Then
    marked = [
        (f.line, f.field) for f in result.findings if f.code == "VEKTIS_LETTER_AS_QUESTION_MARK"
    ]
    assert marked == [
        (2, "Naam verzekerde (01) (record 02, pos. 64-88)"),
        (2, "Voorletters verzekerde (record 02, pos. 135-140)"),
        (3, "Straatnaam debiteur (record 03, pos. 116-139)"),
        (3, "Woonplaatsnaam debiteur (record 03, pos. 166-189)"),
        (3, "E-mailadres debiteur (record 03, pos. 210-259)"),
    ]
    warning = result.findings[0]
    assert warning.severity is Severity.WARNING
    assert "Regel 2" in warning.message("nl") and "'?'" in warning.message("nl")
    assert "Line 2" in warning.message("en") and "Naam verzekerde (01)" in warning.message("en")
    assert [c.claim_ref for c in result.claims] == ["K1?", "K2"]  # said, not held
    # And the same file without the '?' says nothing
    clean = records(child_claims())
    assert not [f for f in read(to_bytes(clean)).findings if "QUESTION" in f.code]


def test_a_question_mark_in_a_retour_files_copy_of_a_name_is_named_too():
    """R40, R5. Given VGZ's PM305 retour of the physiotherapy sample, where the copy of
    the patient's 02 holds 'Dijkstr?' (the insurer copies positions 1-310 of the
    declaration). When it is read. Then the retour's findings name that line and field,
    as a declaration's would, and every granted line is still read."""
    from local.vektis_samples import PHYSIO_HEADER, physio_pm305

    data = physio_pm305().replace(b"Dijkstra ", b"Dijkstr? ", 1)
    parsed = parse_retour(data, today=TODAY, provider_agbs={PHYSIO_HEADER.practice_agb})
    marked = [
        (f.line, f.field) for f in parsed.findings if f.code == "VEKTIS_LETTER_AS_QUESTION_MARK"
    ]
    assert marked == [(2, "Naam verzekerde (01) (record 02, pos. 64-88)")]
    assert len(parsed.lines) == len(
        parse_retour(physio_pm305(), today=TODAY, provider_agbs={PHYSIO_HEADER.practice_agb}).lines
    )
    assert not parsed.file_rejected


def test_a_soft_hyphen_in_a_name_or_address_is_removed_and_said_on_its_line_and_field():
    """R36 (what a patient reads on the invoice, the letters and the checker), R40 (say
    what was repaired), as the CSV reader does (CSV_INVISIBLE_CHARACTER_REMOVED). Given an
    MZ301 whose export kept a soft hyphen (0xAD, invisible, pasted from a word processor)
    in the patient's surname (02) and in the parent's street (03). When it is read. Then
    it is removed from both (before: 'Ter\\xadpstra' went on the invoice), each field is
    named on its own line in a warning, and every claim is the one of the same file
    without it: the field was padded back, so no position after it moved."""
    child, parent = child_claims()
    patient = replace(child.patient, last_name="Ter\u00adpstra")
    debtor = replace(PARENT, address=replace(PARENT.address, street="Witte\u00advrouwensingel"))
    hyphened = [replace(c, patient=patient, debtor=debtor) for c in (child, parent)]
    data = to_bytes(records(hyphened))
    assert data.count(b"\xad") == 2
    # When it is read
    result = read(data)
    # Then
    removed = [f for f in result.findings if f.code == "VEKTIS_INVISIBLE_CHARACTER_REMOVED"]
    assert [(f.line, f.field) for f in removed] == [
        (2, "Naam verzekerde (01) (record 02, pos. 64-88)"),
        (3, "Straatnaam debiteur (record 03, pos. 116-139)"),
    ]
    assert all(f.severity is Severity.WARNING for f in removed)
    assert "Regel 2" in removed[0].message("nl") and "U+00AD (SOFT HYPHEN)" in removed[0].message(
        "nl"
    )
    assert "Line 3" in removed[1].message("en") and "invisible character" in removed[1].message(
        "en"
    )
    assert result.claims == read(to_bytes(records(child_claims()))).claims
    assert [f for f in result.findings if f.code != "VEKTIS_INVISIBLE_CHARACTER_REMOVED"] == []


@pytest.mark.parametrize(
    "standard, code, description",
    [
        (MZ301_V13, "V21", "Vulling, één vlak"),
        (PM304_V32, "1000", "Handtherapie, behandeling per 5 minuten"),
    ],
    ids=["mz301", "pm304"],
)
def test_a_soft_hyphen_in_a_treatment_code_or_a_comment_is_removed_and_said(
    standard, code, description
):
    """R36 (the treatment code and its description are printed on the invoice and the
    patient's page), R40 (say what was repaired), vektis.md (MZ301, PM304), as for a name
    (stop 47 small47a). Given a file whose 04 has a soft hyphen (0xAD) in its treatment
    code and whose 98 has one in its comment. When it is read. Then both are removed and
    each is said on its line and field; the claim is the one of the file without them
    (before: code 'V\xad21', unknown, went on the invoice as 'Prestatiecode V\xad21', and the
    comment kept it for the insurer's file)."""
    claim = dental_claim("A1", treatment_code=code, description=description, comments=("Vulling.",))
    if standard is PM304_V32:
        claim = replace(claim, unit_price_cents=1260, insurer_uzovi=VGZ)
    lines = records([claim], standard=standard)
    assert [line[:2] for line in lines] == ["01", "02", "03", "04", "98", "99"]
    hyphened = raw(
        lines, 3, "treatment_code", f"{code[0]}\u00ad{code[1:]}".ljust(6), standard=standard
    )
    hyphened = raw(hyphened, 4, "comment", "Vul\u00adling.".ljust(140), standard=standard)
    # When
    result = read(to_bytes(hyphened))
    # Then
    label = standard.records[RecordType.TREATMENT].label("treatment_code")
    comment = standard.records[RecordType.COMMENT].label("comment")
    assert [(f.code, f.line, f.field) for f in result.findings] == [
        ("VEKTIS_INVISIBLE_CHARACTER_REMOVED", 4, label),
        ("VEKTIS_INVISIBLE_CHARACTER_REMOVED", 5, comment),
    ]
    assert "U+00AD (SOFT HYPHEN)" in result.findings[0].message("en")
    assert result.claims == read(to_bytes(lines)).claims
    assert (result.claims[0].treatment_code, result.claims[0].description) == (code, description)


# --- one cause, one finding ------------------------------------------------------------------


def test_a_record_one_character_too_long_is_one_finding_without_a_trailer_total_after_it():
    """vektis.md "Files as practices really send them" (refuse with the cause named, no
    knock-on findings), R2. Given a 04 into which an editor typed one character before
    its amount: 311 characters, its amount read one place off. When it is read. Then the
    file is refused with the record's length on its line, and only that: the trailer's
    total is not set against an amount read from the wrong place (as for a record cut
    short), which would send the practice to a trailer that is right."""
    lines = good()
    assert lines[3][:2] == "04"
    lines[3] = lines[3][:100] + "0" + lines[3][100:]
    result = read(to_bytes(lines))
    assert codes(result) == ["VEKTIS_RECORD_LENGTH"]
    assert only(result, "VEKTIS_RECORD_LENGTH").line == 4 and result.claims == []


def test_every_record_one_character_too_long_is_said_once_for_the_file():
    """vektis.md "Files as practices really send them": never "wrong length" line by line
    when one thing explains it, R2. Given an export that ends every record with one
    character too many (311 for MZ301's 310). When it is read. Then the file is refused
    with one finding for the whole file, naming the length found and the standard's,
    in Dutch and English, instead of twenty line findings and 'n more lines'."""
    lines = [text + " " for text in good()]
    result = read(to_bytes(lines))
    assert codes(result) == ["VEKTIS_EVERY_RECORD_LENGTH"]
    finding = result.findings[0]
    assert finding.params == {
        "count": len(lines),
        "found": 311,
        "expected": 310,
        "extra": 1,
        "standard": "MZ301 v1.3",
    }
    assert "311" in finding.message("nl") and "MZ301 v1.3" in finding.message("en")
    # And one record too long among good ones is still named on its own line
    lines = good()
    lines[2] += " "
    assert codes(read(to_bytes(lines))) == ["VEKTIS_RECORD_LENGTH"]


# --- the debit/credit sign of a line ---------------------------------------------------------


def a_line_and_its_credit() -> list[str]:
    """01 | 02 03 04 L1 04 L2 04 L3 (credit of L2) | 99: the 99's total is 50.00 (L2 - L3)."""
    control = dental_claim("L2", treatment_code="C11", unit_price_cents=2400)
    credit = replace(control, claim_ref="L3", unit_price_cents=-2400, reverses_claim_ref="L2")
    return records([dental_claim("L1", unit_price_cents=5000), control, credit])


def with_sign(lines: list[str], index: int, sign: str) -> list[str]:
    """INDICATIE DEBET/CREDIT (02) of record ``index`` (MZ301 04: pos. 164) as ``sign``."""
    assert lines[index][:2] == "04" and lines[index][163] in "DC"
    return [*lines[:index], lines[index][:163] + sign + lines[index][164:], *lines[index + 1 :]]


def test_a_lowercase_debit_credit_sign_is_read_with_a_warning_and_the_total_agrees():
    """R2, R40, vektis.md "Files as practices really send them" (accept and say what was
    repaired), as a retour's granted sign (retour_parser._sign_repaired).
    Given the credit line L3 with its D/C as "c" and the debit L1 with "d", the 99's total
    as the software meant them (50.00 + 24.00 - 24.00)
    When it is read
    Then the claims are those of the file with D and C, each repaired sign a warning naming
    its line and claim; before, the 99's total was blamed (counted 98.00: "c" added as a
    debit) and the whole file refused, and "d" refused L1."""
    lines = a_line_and_its_credit()
    expected = read(to_bytes(lines)).claims
    result = read(to_bytes(with_sign(with_sign(lines, 5, "c"), 3, "d")))
    assert result.claims == expected
    assert [(f.code, f.severity, f.line, f.claim_ref) for f in result.findings] == [
        ("VEKTIS_DC_LOWERCASE", Severity.WARNING, 4, "L1"),
        ("VEKTIS_DC_LOWERCASE", Severity.WARNING, 6, "L3"),
    ]
    assert "(c)" in result.findings[1].message("nl")
    assert "(c)" in result.findings[1].message("en")


def test_a_credit_lines_unknown_sign_refuses_that_line_not_the_trailer_total():
    """R2: a content error rejects only that claim. Given the credit line L3 with its D/C as
    "X" and the 99's total counting it as the credit it was meant to be
    When it is read
    Then L3 is refused for its sign, and the total is not blamed for it (before: the
    reader added "X" as a debit, counted 98.00, and refused the whole file)."""
    result = read(to_bytes(with_sign(a_line_and_its_credit(), 5, "X")))
    assert [(f.code, f.severity, f.line) for f in result.findings] == [
        ("VEKTIS_VALUE_INVALID", Severity.CLAIM, 6)
    ]
    assert [c.claim_ref for c in result.claims] == ["L1", "L2"]


def _trailer_signed(lines: list[str], position: int, sign: str) -> list[str]:
    """The 99 with its D/C at ``position`` (0-based) written as ``sign``."""
    trailer = lines[-1]
    assert trailer[:2] == "99" and trailer[position] in "DC"
    return [*lines[:-1], trailer[:position] + sign + trailer[position + 1 :]]


def test_a_lowercase_sign_of_the_99_total_is_read_with_a_warning_as_a_04s_is():
    """R2, R40, vektis.md "Files as practices really send them": as a 04's d/c
    (VEKTIS_DC_LOWERCASE), the 99's own sign (9908 INDICATIE DEBET/CREDIT, pos. 45) in
    lowercase says what it means.
    Given a file whose 99 total (50.00, debit) carries "d"
    When it is read
    Then its claims are read as with "D", with one warning naming the 99 and the sign in
    Dutch and English; before, the whole file was refused (VEKTIS_VALUE_INVALID).
    And a "c" on that debit total is still a wrong total, and "X" still refuses the file."""
    lines = a_line_and_its_credit()
    expected = read(to_bytes(lines)).claims
    result = read(to_bytes(_trailer_signed(lines, 44, "d")))
    assert not result.file_rejected and result.claims == expected
    [finding] = result.findings
    assert (finding.code, finding.severity, finding.line) == (
        "VEKTIS_TOTAL_DC_LOWERCASE",
        Severity.WARNING,
        len(lines),
    )
    assert "(d)" in finding.message("nl") and "sluitrecord" in finding.message("nl")
    assert "(d)" in finding.message("en") and "trailer record" in finding.message("en")
    assert codes(read(to_bytes(_trailer_signed(lines, 44, "c")))) == ["VEKTIS_TRAILER_TOTAL"]
    assert codes(read(to_bytes(_trailer_signed(lines, 44, "X")))) == ["VEKTIS_VALUE_INVALID"]


@pytest.mark.parametrize("position", [44, 56], ids=["submitted total", "granted total"])
def test_a_lowercase_sign_of_a_retours_99_totals_is_read_with_a_warning(position):
    """R2, R5, R40: a retour's 99 has two signs, of the submitted total (pos. 45) and of
    the granted total (pos. 57); a lowercase one is read as its capital with a warning,
    as a granted line's sign is (RETOUR_GRANTED_SIGN_LOWERCASE).
    Given VGZ's PM305 retour of the physiotherapy sample with that sign in lowercase
    When it is read
    Then every granted line is read, with one warning; before, the file was refused
    (VEKTIS_VALUE_INVALID) and no grant was applied."""
    from local.vektis_samples import PHYSIO_HEADER, physio_pm305

    agbs = {PHYSIO_HEADER.practice_agb}
    lines = physio_pm305().decode("latin-1").splitlines()
    sign = lines[-1][position]
    data = to_bytes(_trailer_signed(lines, position, sign.lower()))
    parsed = parse_retour(data, today=TODAY, provider_agbs=agbs)
    assert not parsed.file_rejected
    assert parsed.lines == parse_retour(physio_pm305(), today=TODAY, provider_agbs=agbs).lines
    assert [(f.code, f.params["value"]) for f in parsed.findings] == [
        ("VEKTIS_TOTAL_DC_LOWERCASE", sign.lower())
    ]


def _tar_of(name: str, data: bytes) -> bytes:
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        member = tarfile.TarInfo(name)
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data))
    return archive.getvalue()


EXCEL_SAMPLE = (
    (Path(__file__).resolve().parents[2] / "events/declarations/tandarts-de-vries-2026-11.csv")
    .read_text(encoding="utf-8-sig")
    .encode("cp1252")
)


# Files that are no text at all (words52, words52b): random bytes, a program, a database;
# each test adds an archive of its own kind of file.
NOT_TEXT_AT_ALL = [
    random.Random(52).randbytes(4096),
    random.Random(53).randbytes(64),
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48),
    b"SQLite format 3\x00\x10\x00\x01\x01\x00@  \x00\x00\x00\x01" + bytes(100),
]
NOT_TEXT_AT_ALL_IDS = ["random-bytes", "64-random-bytes", "windows-program", "sqlite-database"]


@pytest.mark.parametrize(
    "data",
    [
        *NOT_TEXT_AT_ALL,
        _tar_of("week-47.csv", EXCEL_SAMPLE),
    ],
    ids=[*NOT_TEXT_AT_ALL_IDS, "tar-archive"],
)
def test_r2_a_declaration_upload_that_is_no_text_at_all_is_said_to_be_no_csv_or_vektis_file(
    data,
):
    """R2, R40 (words52): a file no first bytes name that is not text at all (random bytes,
    a program, a database, an archive) was refused as FILE_NOT_UTF8, "not text in UTF-8 or
    Windows-1252: line 1 (byte 103)", as if it were text to save again as CSV UTF-8.
    Given a declaration upload of such a file
    When it is parsed
    Then the one finding rejects it as no CSV or Vektis file, saying it is not text."""
    parsed = parse_declaration(data, today=TODAY, max_lines=100)
    [finding] = parsed.findings
    assert (finding.code, finding.severity) == ("FILE_NOT_CSV_OR_VEKTIS", Severity.FILE)
    assert finding.message("nl").startswith(
        "Dit is geen CSV- of Vektis-bestand: het is een bestand dat helemaal geen tekst is"
    )
    assert finding.message("en").startswith(
        "This is no CSV or Vektis file: it is a file that is not text at all"
    )
    assert parsed.claims == []


@pytest.mark.parametrize(
    "data",
    [
        *NOT_TEXT_AT_ALL,
        _tar_of("vgz-retour-week-47.pm305", b"0130501" + b" " * 300),
    ],
    ids=[*NOT_TEXT_AT_ALL_IDS, "tar-archive"],
)
def test_r2_a_retour_upload_that_is_no_text_at_all_is_said_to_be_no_text(data):
    """R2, R13, R40 (words52b): a retour upload that is not text at all was named as text,
    "a CSV file (text with separators)" (random bytes), "a text file that starts with 'MZ'
    instead of record type 01" (a program), 'SQ' (a database), 'vg' (an archive).
    Given a retour upload of such a file
    When it is parsed
    Then the one finding rejects it as no Vektis retour file that is not text at all, and
    says what to upload."""
    parsed = parse_retour(data, today=TODAY)
    [finding] = parsed.findings
    assert (finding.code, finding.severity) == ("RETOUR_NOT_VEKTIS", Severity.FILE)
    assert finding.message("nl") == (
        "Dit is geen Vektis-retourbestand: het is een bestand dat helemaal geen tekst is"
        " (zoals een programma, een database of een archief). Upload het retourbestand"
        " (PM305 of MZ302) zoals u het van de zorgverzekeraar of via VECOZO kreeg."
    )
    assert finding.message("en") == (
        "This is no Vektis retour file: it is a file that is not text at all (such as a"
        " program, a database or an archive). Upload the retour file (PM305 or MZ302) as you"
        " received it from the insurer or through VECOZO."
    )


@pytest.mark.parametrize(
    ("data", "codes"),
    [
        (EXCEL_SAMPLE, ["CSV_WINDOWS_1252"]),
        (EXCEL_SAMPLE.replace(b"\xe9", b"\xe9\x01", 1), ["FILE_NOT_UTF8"]),
        (EXCEL_SAMPLE.replace(b"\xe9", b"\x81", 1), ["FILE_NOT_UTF8"]),
        (EXCEL_SAMPLE.decode("cp1252").encode("utf-16"), ["FILE_NOT_UTF8"]),
        (
            EXCEL_SAMPLE + bytes(2048 - len(EXCEL_SAMPLE) % 1024),
            ["CSV_WINDOWS_1252", "CSV_END_PADDING"],
        ),
    ],
    ids=[
        "windows-1252",
        "a-stray-control-byte",
        "a-byte-windows-1252-lacks",
        "utf-16",
        "nul-padded",
    ],
)
def test_r40_text_in_another_encoding_is_still_read_or_said_as_text(data, codes):
    """R40, vektis.md "Files as practices really send them" (words52): the dental sample
    as Dutch Excel saves it (Windows-1252) is read with a warning; with a stray control
    byte, a byte Windows-1252 lacks, or saved as UTF-16 it stays FILE_NOT_UTF8 naming the
    byte or the encoding; NUL padding after it does not make it binary.
    Given the Excel sample so
    When it is parsed as a declaration upload
    Then its findings are those of text, never FILE_NOT_CSV_OR_VEKTIS."""
    parsed = parse_declaration(data, today=TODAY, max_lines=100)
    assert sorted({finding.code for finding in parsed.findings}) == sorted(codes)
