"""Control and format characters in what a practice uploads (R2, R36, R40, R5; stop 45 names2).

A patient's or debtor's name, address and e-mail are printed on the invoice, the letters
and the checker page. A character nobody sees there is either harmless (a zero width
space or soft hyphen pasted from a web page: removed, and said in a warning) or makes the
text read otherwise than it is or breaks the letter (a right-to-left override, any
bidirectional control, a control character such as BEL, TAB or a line break: the line is
refused with CSV_CONTROL_CHARACTER, naming line and field). Either way the patient's other
lines are not rejected as PATIENT_DATA_CONFLICT. A NUL in a UTF-8 file is such a line
finding too, not FILE_NOT_UTF8.
"""

from __future__ import annotations

from datetime import date

import pytest

from billing_core.declarations.findings import Severity
from tests.unit.test_csv_format import COLUMNS, FIRST, declaration, line, parse

# The patient P1 on three lines (2, 3, 4).
LINES = (FIRST, line(FIRST, claim_ref="R2"), line(FIRST, claim_ref="R3"))


def _with(character: str, column: str = "last_name", on: int = 0) -> bytes:
    rows = [dict(row) for row in LINES]
    value = rows[on][column]
    rows[on][column] = value[:3] + character + value[3:]
    return declaration(*rows)


def _codes(result, severity=None):
    return [f.code for f in result.findings if severity is None or f.severity is severity]


REFUSED = [
    ("right-to-left-override", "\u202e", "last_name"),
    ("left-to-right-mark", "\u200e", "street"),
    ("bidi-isolate", "\u2067", "city"),
    ("bell", "\x07", "last_name"),
    ("escape", "\x1b", "initials"),
    ("tab-inside", "\t", "street"),
    ("line-break-inside", "\n", "street"),
    ("line-separator", "\u2028", "city"),
    ("c1-control", "\x9b", "email"),
]


@pytest.mark.parametrize("character, column", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_control_or_bidi_character_refuses_that_line_and_not_the_patients_others(
    character, column
):
    """Given a patient's first line with a control or bidirectional character in a person
    field (R36: what is printed must read as it is; R2: a content problem rejects that
    line only), when the file is read, then that line is refused with
    CSV_CONTROL_CHARACTER naming line 2 and the field, and the patient's other lines are
    accepted, without PATIENT_DATA_CONFLICT."""
    result = parse(_with(character, column))
    # An e-mail address with a control character is no valid one either: said as well.
    assert set(_codes(result, Severity.CLAIM)) <= {"CSV_CONTROL_CHARACTER", "EMAIL_INVALID"}
    assert {f.line for f in result.findings} == {2}
    finding = next(f for f in result.findings if f.code == "CSV_CONTROL_CHARACTER")
    assert (finding.line, finding.field, finding.claim_ref) == (2, column, "R1")
    assert f"U+{ord(character):04X}" in finding.message("en")
    assert f"U+{ord(character):04X}" in finding.message("nl")
    # A quoted line break makes line 2 two lines of the file: the others are one further.
    later = 1 if character == "\n" else 0
    assert [claim.line_number for claim in result.claims] == [3 + later, 4 + later]
    assert all(character not in repr(claim) for claim in result.claims)


def test_a_control_character_on_a_later_line_is_that_lines_finding_only():
    """Given the RLO on the patient's second line, when read, then line 3 is refused with
    CSV_CONTROL_CHARACTER alone (no PATIENT_DATA_CONFLICT beside it) and lines 2 and 4
    are invoiced (R2)."""
    result = parse(_with("\u202e", on=1))
    assert [(f.code, f.line) for f in result.findings] == [("CSV_CONTROL_CHARACTER", 3)]
    assert [claim.line_number for claim in result.claims] == [2, 4]


def test_a_control_character_in_a_debtor_field_is_named_with_its_prefix():
    """Given a debtor whose street holds BEL, when read, then the finding names
    debtor_street (R2: line and field)."""
    rows = [
        line(
            row,
            debtor_last_name="Jansen",
            debtor_street="Dorps\x07straat",
            debtor_email="jansen@example.org",
        )
        for row in LINES
    ]
    result = parse(declaration(*rows))
    assert {(f.code, f.field) for f in result.findings} == {
        ("CSV_CONTROL_CHARACTER", "debtor_street")
    }
    assert result.claims == []


INVISIBLE = [
    ("zero-width-space", "\u200b"),
    ("soft-hyphen", "\u00ad"),
    ("word-joiner", "\u2060"),
    ("zero-width-no-break-space", "\ufeff"),
]


@pytest.mark.parametrize("character", [c[1] for c in INVISIBLE], ids=[c[0] for c in INVISIBLE])
def test_an_invisible_character_is_removed_and_said(character):
    """Given a zero width space (or soft hyphen, word joiner) pasted into a last name and a
    street, when read, then it is removed (R40: repair what is harmless, and say so) with
    one warning per field naming line and field, and every line of the patient is
    invoiced under the same name, without PATIENT_DATA_CONFLICT."""
    rows = [dict(row) for row in LINES]
    rows[0]["last_name"] = "Veld" + character + "hoven"
    rows[0]["street"] = "Kastanjelaan" + character  # at the end: stripped after removal
    result = parse(declaration(*rows))
    assert [(f.code, f.severity, f.line, f.field) for f in result.findings] == [
        ("CSV_INVISIBLE_CHARACTER_REMOVED", Severity.WARNING, 2, "last_name"),
        ("CSV_INVISIBLE_CHARACTER_REMOVED", Severity.WARNING, 2, "street"),
    ]
    assert [claim.line_number for claim in result.claims] == [2, 3, 4]
    assert {claim.patient.last_name for claim in result.claims} == {"Veldhoven"}
    assert {claim.patient.address.street for claim in result.claims} == {"Kastanjelaan"}
    for finding in result.findings:
        assert f"U+{ord(character):04X}" in finding.message("nl")
        assert f"U+{ord(character):04X}" in finding.message("en")


def test_a_non_breaking_space_is_a_letter_as_before():
    """Given a name with a non-breaking space (Zs, printed as a space), when read, then it
    is kept without a finding: only control and format characters are meant."""
    result = parse(declaration(line(FIRST, last_name="de\u00a0Vries")))
    assert result.findings == [] and result.claims[0].patient.last_name == "de\u00a0Vries"


@pytest.mark.parametrize("column", ["last_name", "description", "claim_ref"])
def test_a_nul_in_a_utf8_file_refuses_its_line_not_the_file(column):
    """Given a UTF-8 file with a NUL (0x00) in one cell of line 2, when read, then that
    line is refused with CSV_CONTROL_CHARACTER naming the field (R2: a content problem;
    R40: name the cause; it is UTF-8, so not FILE_NOT_UTF8) and lines 3 and 4 go on."""
    data = _with("\x00", column)
    result = parse(data)
    assert "FILE_NOT_UTF8" not in _codes(result)
    assert [(f.code, f.line, f.field) for f in result.findings] == [
        ("CSV_CONTROL_CHARACTER", 2, column)
    ]
    assert "U+0000" in result.findings[0].message("en")
    assert [claim.line_number for claim in result.claims] == [3, 4]


def test_a_nul_in_a_column_the_file_adds_refuses_nothing():
    """R2, R40 (inputs57; stop 56 csvcols ignores a column practice software adds): Given
    a UTF-8 file with an "opmerking" column, a NUL in its cell on line 2 and one in the
    last name on line 3, When it is read, Then line 2 is a claim, as a line whose
    ignored cell holds any other character is, and line 3 is still refused for its NUL
    in last_name. Before: line 2 was refused with CSV_CONTROL_CHARACTER in "opmerking"."""
    # Given
    rows = [line(row, opmerking="bel\x00terug") for row in LINES]
    rows[1] = line(rows[1], opmerking="", last_name="Vel\x00dhoven")
    data = declaration(*rows, columns=[*COLUMNS, "opmerking"])
    # When
    result = parse(data)
    # Then
    assert [claim.line_number for claim in result.claims] == [2, 4]
    assert [(f.code, f.line, f.field) for f in result.findings] == [
        ("CSV_UNKNOWN_COLUMNS_IGNORED", 1, None),
        ("CSV_CONTROL_CHARACTER", 3, "last_name"),
    ]


def test_a_nul_in_the_header_refuses_the_file_naming_the_line():
    """Given a NUL in the header row of a UTF-8 file, when read, then the file is refused
    with FILE_NUL_CHARACTER on line 1 (R2 structural, R40: the cause named), not as
    'not UTF-8'."""
    header, rest = declaration(*LINES).split(b"\n", 1)
    result = parse(header.replace(b"bsn", b"bs\x00n") + b"\n" + rest)
    assert [(f.code, f.line) for f in result.findings] == [("FILE_NUL_CHARACTER", 1)]
    assert "NUL" in result.findings[0].message("nl") and "Line 1" in result.findings[0].message(
        "en"
    )


def test_utf16_is_still_refused_as_such():
    """Given Excel's 'Unicode text' (UTF-16: a NUL after every ASCII letter), when read,
    then it is refused as before (FILE_NOT_UTF8 said as UTF-16, R40)."""
    result = parse(declaration(*LINES).decode().encode("utf-16-le"))
    assert _codes(result) == ["FILE_NOT_UTF8"]


@pytest.mark.parametrize("character", ["\x00", "\x07"], ids=["nul", "bell"])
def test_a_line_short_a_cell_that_holds_a_control_character_says_both(character):
    """R2 (a content problem refuses that line only, and says why), R40 (name the cause).
    Given line 3 of a UTF-8 file without its initials cell (one cell fewer, ending with
    its empty debtor cells) and with a NUL (or a BEL) in its surname. When the file is
    read. Then line 3 is refused saying the control character first (before: only
    CSV_CELL_MISSING, so the line sent again with the cell added was refused again for
    the NUL) and the missing cell after it; lines 2 and 4 are claims."""
    from tests.unit.test_csv_format import COLUMNS

    header, first, second, third, end = declaration(*LINES).split(b"\n")
    cells = second.split(b";")
    surname = COLUMNS.index("last_name")
    cells[surname] = cells[surname][:2] + character.encode() + cells[surname][2:]
    del cells[COLUMNS.index("initials")]
    assert cells[-1] == b""
    # When
    result = parse(b"\n".join([header, first, b";".join(cells), third, end]))
    # Then
    assert [(f.code, f.line) for f in result.findings] == [
        ("CSV_CONTROL_CHARACTER", 3),
        ("CSV_CELL_MISSING", 3),
    ]
    assert f"U+{ord(character):04X}" in result.findings[0].message("nl")
    assert "Line 3 has 37 cells" in result.findings[1].message("en")
    assert [claim.line_number for claim in result.claims] == [2, 4]


def test_r36_a_letter_the_letters_font_lacks_is_said_once_per_patient_and_field():
    """Given a patient whose last name is written in Chinese characters (UTF-8 CSV), which
    DejaVu Sans, the font of the invoice and the letters, lacks (the PDF printed the
    addressee as "S. van der", the name dropped: audit pdf5), when read, then every line is
    invoiced (R2: nothing wrong with the claim) and one warning names line 2, last_name and
    the first such character, so the practice writes the name in Latin letters before a
    letter is posted (R36: fonts that print every name; R40: say what will not come out
    as sent). A name in Latin, Polish, Turkish, Greek or Cyrillic letters says nothing."""
    rows = [dict(row) for row in LINES]
    for row in rows:
        row["last_name"] = "王 Łężyńska-Çağla Ωμέγα Ёжиков"
    result = parse(declaration(*rows))
    assert [(f.code, f.severity, f.line, f.field) for f in result.findings] == [
        ("CSV_LETTER_NOT_PRINTED", Severity.WARNING, 2, "last_name"),
    ]
    assert [claim.line_number for claim in result.claims] == [2, 3, 4]
    for language in ("nl", "en"):
        assert "U+738B" in result.findings[0].message(language)
    rows = [dict(row, last_name="Łężyńska-Çağla Ωμέγα Ёжиков Nguyễn") for row in LINES]
    assert parse(declaration(*rows)).findings == []


def test_r36_every_letter_below_latin_extended_b_s_end_is_in_both_fonts():
    """Given the fonts the PDFs embed, then every letter up to U+024F is in both, as
    characters.not_printed takes without opening them (R36: the usual name costs nothing)."""
    from billing_core.declarations.characters import _printed_by_the_font

    letters = (code for code in range(0x00A0, 0x0250) if chr(code).isprintable())
    assert [hex(code) for code in letters if code not in _printed_by_the_font()] == []


@pytest.mark.parametrize("character", ["\x00", "\x07"], ids=["nul", "bell"])
def test_a_control_character_in_a_line_short_a_cell_is_said_by_its_cell_not_a_wrong_column(
    character,
):
    """R40 (name the cause so the practice can act on it), R2 (stop 47 small47a). Given
    line 3 without its initials cell and a NUL (or a BEL) in its surname, the 7th column,
    read as the 6th cell under name_prefix. When the file is read. Then the control
    character's finding names no column (before: name_prefix, one column early, a field
    that holds no such character) but the cell by its place in the line as the practice
    sees it (cell 6, column F in a spreadsheet) and the columns it belongs to, name_prefix
    to last_name, in Dutch and English; the missing cell is still said after it."""
    from tests.unit.test_csv_format import COLUMNS

    header, first, second, third, end = declaration(*LINES).split(b"\n")
    cells = second.split(b";")
    surname = COLUMNS.index("last_name")
    cells[surname] = cells[surname][:2] + character.encode() + cells[surname][2:]
    del cells[COLUMNS.index("initials")]
    # When
    result = parse(b"\n".join([header, first, b";".join(cells), third, end]))
    # Then
    control, missing = result.findings
    assert (control.code, control.line, control.field) == ("CSV_CONTROL_CHARACTER", 3, None)
    assert missing.code == "CSV_CELL_MISSING"
    english, dutch = control.message("en"), control.message("nl")
    assert "cell 6 of the line (column F in a spreadsheet), read under name_prefix" in english
    assert "one of the columns name_prefix to last_name" in english
    assert "de 6e cel van de regel (kolom F in een spreadsheet)" in dutch
    assert "name_prefix tot en met last_name" in dutch
    assert f"U+{ord(character):04X}" in english and f"U+{ord(character):04X}" in dutch


# A line's own columns (interfaces.md §1a), each with an invisible character inside, and
# what the claim reads there without it (stop 47 chars2; audit small47a a4).
OWN_CELLS = [
    ("claim_ref", "R\u200b1", "claim_ref", "R1"),
    ("treatment_code", "C\u00ad11", "treatment_code", "C11"),
    ("description", "Periodieke\u200b controle", "description", "Periodieke controle"),
    ("patient_ref", "P\u20601", "patient_ref", "P1"),
    ("policy_number", "ZK\u200d1", "policy_number", "ZK1"),
    ("treatment_date", "\ufeff2026-11-02", "treatment_date", date(2026, 11, 2)),
    ("unit_price", "23,50\ufeff", "unit_price_cents", 2350),
]


@pytest.mark.parametrize(
    "column, cell, attribute, read_as", OWN_CELLS, ids=[case[0] for case in OWN_CELLS]
)
def test_an_invisible_character_in_a_lines_own_column_is_removed_and_said(
    column, cell, attribute, read_as
):
    """R3 (provider + claim_ref is the claim), R40 (repair what is harmless and say so),
    R5 (the coverage rules read the code). Given line 2 with a zero width space, soft
    hyphen, word joiner, zero width joiner or a BOM (U+FEFF, not at the file's start) in
    one of its own columns. When the file is read. Then the claim reads the cell without
    it (before: claim_ref "R\\u200b1", another claim than R1; treatment_code "C\\u00ad11",
    another code; a date or an amount refused as invalid without naming the character)
    and one warning names line 2, the column and the character, in Dutch and English."""
    # Given
    rows = [dict(row) for row in LINES]
    rows[0][column] = cell
    # When
    result = parse(declaration(*rows))
    # Then
    assert [(f.code, f.severity, f.line, f.field) for f in result.findings] == [
        ("CSV_INVISIBLE_CHARACTER_REMOVED", Severity.WARNING, 2, column)
    ]
    assert getattr(result.claims[0], attribute) == read_as
    invisible = next(character for character in cell if not character.isprintable())
    for language in ("nl", "en"):
        assert f"U+{ord(invisible):04X}" in result.findings[0].message(language)


def test_r3_a_claim_ref_with_a_zero_width_space_is_the_same_claim_as_without():
    """R3: sent again, a line is never invoiced twice. Given one file whose line 2 has
    claim_ref "R1" and line 3 "R\\u200b1" (the same reference with a zero width space
    pasted in). When read. Then line 3 is the same claim as line 2: refused as
    CLAIM_REF_DUPLICATE (before: two claims, so the file saved again without the character
    made a second invoice; on the sandbox 16 invoices for the sample's 8)."""
    rows = [dict(row) for row in LINES]
    rows[1]["claim_ref"] = "R\u200b1"
    result = parse(declaration(*rows))
    assert [claim.claim_ref for claim in result.claims] == ["R1", "R3"]
    assert ("CLAIM_REF_DUPLICATE", 3) in [(f.code, f.line) for f in result.findings]


def test_an_invisible_character_in_a_repeated_description_is_said_once():
    """R40 (say what was repaired, once for a text the practice repeats): given the same
    description with a soft hyphen on lines 2-4, when read, then every claim reads it
    without, and one warning (line 2) says so; the other lines add none."""
    rows = [dict(row, description="Vul\u00adling") for row in LINES]
    result = parse(declaration(*rows))
    assert [(f.code, f.line, f.field) for f in result.findings] == [
        ("CSV_INVISIBLE_CHARACTER_REMOVED", 2, "description")
    ]
    assert {claim.description for claim in result.claims} == {"Vulling"}


def test_a_file_without_an_invisible_character_never_looks_at_its_cells(monkeypatch):
    """#18 (b): the 100,000-line ingest stays cheap. Given a file with Dutch and Polish
    letters but no invisible character, when read, then no line goes through the cell by
    cell look (one test of the whole text decides it)."""
    from billing_core.declarations.csv_format import _LineParser

    def looked(*_):  # type: ignore[no-untyped-def]
        raise AssertionError("a plain file's line was looked at cell by cell")

    monkeypatch.setattr(_LineParser, "_line_without_invisible", looked)
    rows = [dict(row, description="Vulling één vlak, Łódź") for row in LINES]
    assert len(parse(declaration(*rows)).claims) == 3


# A line's own columns with a control or bidirectional character (stop 47 chars3): as in a
# name, the line is refused naming the field (before: invoiced with it, no finding).
OWN_CONTROLS = [
    ("bell-description", "\x07", "description"),
    ("escape-description", "\x1b", "description"),
    ("tab-treatment-code", "\t", "treatment_code"),
    ("c1-csi-description", "\x9b", "description"),
    ("rlo-claim-ref", "\u202e", "claim_ref"),
    ("lre-policy-number", "\u202a", "policy_number"),
    ("rli-description", "\u2067", "description"),
    ("line-break-claim-ref", "\n", "claim_ref"),
    ("line-separator-patient-ref", "\u2028", "patient_ref"),
    ("tag-character-description", "\U000e0041", "description"),
]


@pytest.mark.parametrize(
    "character, column", [c[1:] for c in OWN_CONTROLS], ids=[c[0] for c in OWN_CONTROLS]
)
def test_a_control_or_bidi_character_in_a_lines_own_column_refuses_that_line(character, column):
    """R2 (a content problem refuses that line only), R36 (what the invoice, the PDF and
    the checker page print reads as it is), R40 (name the cause). Given line 2 with a
    control character (BEL, ESC, TAB, a C1 control, a line break inside the quoted cell)
    or a bidirectional override, embedding or isolate in one of its own columns. When the
    file is read. Then line 2 is refused with CSV_CONTROL_CHARACTER naming the column and
    the character in Dutch and English, under claim R1 unless claim_ref holds it; lines 3
    and 4 are invoiced (before: line 2 was a claim holding the character, no finding)."""
    # Given
    rows = [dict(row, policy_number="ZK1") for row in LINES]
    rows[0][column] = rows[0][column][:1] + character + rows[0][column][1:]
    # When
    result = parse(declaration(*rows))
    # Then
    [finding] = result.findings
    ref = None if column == "claim_ref" else "R1"
    assert (finding.code, finding.severity, finding.line, finding.field, finding.claim_ref) == (
        "CSV_CONTROL_CHARACTER",
        Severity.CLAIM,
        2,
        column,
        ref,
    )
    for language in ("nl", "en"):
        assert f"U+{ord(character):04X}" in finding.message(language)
    later = 1 if character == "\n" else 0  # the quoted line break makes line 2 two lines
    assert [claim.line_number for claim in result.claims] == [3 + later, 4 + later]


def test_r36_a_trojan_source_description_is_not_invoiced():
    """R36, R2 ("Trojan Source"). Given the description "Vulling <U+202E>00,05 €", which
    the checker page and a shaped PDF show as "Vulling € 50,00". When the file is read.
    Then line 2 is refused with CSV_CONTROL_CHARACTER naming description and U+202E
    (RIGHT-TO-LEFT OVERRIDE); before it was invoiced with that text."""
    rows = [dict(LINES[0], description="Vulling \u202e00,05 \u20ac"), *LINES[1:]]
    result = parse(declaration(*rows))
    assert [(f.code, f.line, f.field) for f in result.findings] == [
        ("CSV_CONTROL_CHARACTER", 2, "description")
    ]
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE)" in result.findings[0].message("en")
    assert [claim.line_number for claim in result.claims] == [3, 4]


def test_a_description_keeps_its_directional_marks_and_line_break():
    """R36, R40 (decided in stop 47 chars3). Given an Arabic description with a
    RIGHT-TO-LEFT MARK, an ARABIC LETTER MARK and a LEFT-TO-RIGHT MARK (marks, not
    overrides: they never put characters in another order) and a description with a line
    break typed in its cell. When read. Then both are invoiced as written, no finding."""
    arabic = "\u062d\u0634\u0648\u0629\u200f (2)\u061c \u200eC11"
    rows = [dict(LINES[0], description=arabic), dict(LINES[1], description="Vulling\ngroot")]
    result = parse(declaration(*rows, LINES[2]))
    assert result.findings == []
    assert [claim.description for claim in result.claims][:2] == [arabic, "Vulling\ngroot"]


# --- #18 (b) (stop 48 chars4): the whole-file look, fast path against the slow one ---


def _has_unprinted_as_before(text: str, data: bytes) -> bool:
    """has_unprinted as it was before stop 48: every suspect looked for in the whole text."""
    from billing_core.declarations import characters

    controls = data.translate(None, bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100)))
    if len(controls) != controls.count(b"\n") + controls.count(b"\r"):
        return True
    suspects = characters._SUSPECTS
    return not text.isascii() and any(character in text for character in suspects)


# Letters a practice's file holds (ASCII, Latin-1, Polish, Arabic, the euro sign, a curly quote), and characters
# the look must find: each suspect kind, ASCII controls and the line ends it must not count.
_FILE_CHARACTERS = (
    "aZ09;,. \n\r\tö\u00a0\u0142\u0644\u20ac\u2019\u200b\u00ad\u202e\u2060\u2061"
    "\ufeff\x85\x07\x1b\U0001f600\U000e0041\u0605\u2028"
)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_the_whole_file_look_answers_as_the_slow_one_did(bom):
    """#18 (b), R2, R40 (stop 48 chars4): has_unprinted looks for the suspects among the
    file's non-ASCII characters only (some 8 ms less on 10,000 lines with one Ł).
    Given any text of letters and suspects, UTF-8 with or without a BOM
    When the whole file is looked at
    Then the answer is the slow path's, character for character."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from billing_core.declarations.characters import has_unprinted

    @settings(max_examples=150, deadline=None)
    @given(
        st.text(
            alphabet=st.sampled_from(_FILE_CHARACTERS) | st.characters(exclude_categories=("Cs",)),
            max_size=40,
        )
    )
    def same(text: str) -> None:
        data = bom + text.encode()  # as _decode read it: no surrogate
        assert has_unprinted(text, data) == _has_unprinted_as_before(text, data)

    same()


class _SearchedText(str):
    """A text that says when it is searched character by character."""

    def __contains__(self, character: object) -> bool:
        raise AssertionError("the whole text was searched")


def test_a_letter_beyond_latin_1_does_not_search_the_whole_text_per_suspect():
    """#18 (b) (stop 48 chars4): a file with one letter beyond Latin-1 (Ł in a name) cost
    some 8 ms more per 10,000 lines: each of ~250 suspects was looked for in the whole
    text, stored with two bytes a character, where memchr does not help.
    Given a UTF-8 file's text with a Ł and no control or format character
    When the whole file is looked at
    Then only its non-ASCII characters are searched, not the text, and nothing is found."""
    from billing_core.declarations.characters import has_unprinted

    text = "claim_ref;last_name\nR1;\u0141ukasik\nR2;Jansen\n"
    assert has_unprinted(_SearchedText(text), text.encode()) is False


def test_a_line_of_printable_cells_skips_its_columns_and_answers_the_same():
    """#18 (b), R3, R40 (stop 48 chars4): in a file with one soft hyphen, in a name, every
    other line's cells are printable: one test for the line, not one per column.
    Given three lines, a soft hyphen in the first's last name and a ZWSP in the third's
    claim_ref
    When the file is read
    Then the name and the claim_ref are cleaned and said as before, and each claim made."""
    rows = [dict(row) for row in LINES]
    rows[0]["last_name"] = rows[0]["last_name"][:3] + "\u00ad" + rows[0]["last_name"][3:]
    rows[2]["claim_ref"] = "R\u200b3"
    data = declaration(*rows)
    result = parse(data)
    assert [c.claim_ref for c in result.claims] == ["R1", "R2", "R3"]
    assert [(f.line, f.field) for f in result.findings] == [(2, "last_name"), (4, "claim_ref")]
