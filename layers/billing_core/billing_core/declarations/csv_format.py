"""Declaration CSV (interfaces.md §1a) -> claims and the findings of the processing report.

R2 sorts problems in two kinds. Structural ones (Severity.FILE: not text, wrong
separator, missing columns, an unknown column that looks like one of ours, a line with
the wrong number of fields, too many lines) mean the file as a whole cannot be trusted:
no claim is returned. Content ones (Severity.CLAIM: an invalid BSN, an unknown insurer,
a date in the future, ...) reject only that line's claim; the other lines go on. What Dutch Excel and practice systems write
besides interfaces.md §1a (Windows-1252 instead of UTF-8, a separator at the end of every
line, a column of its own such as "opmerking") is read as R40 asks, with one warning
that says what was repaired or ignored.

Speed matters: a 100,000-line file has to parse in a few times the time of a bare
``csv.reader`` pass. Hence a line without quotes is split by ``str.split`` (csv_rows);
the header is mapped to column indexes once; everything about a patient (BSN, name,
address, debtor) is checked once per distinct set of patient columns, because a patient
repeats on many lines; dates, amounts and codes once per distinct combination; and there
is no pydantic or regex per line.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from operator import itemgetter
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.nl import bsn as stdnum_bsn

from billing_core.declarations.characters import KEPT_IN_A_DESCRIPTION as _KEPT_IN_A_DESCRIPTION
from billing_core.declarations.characters import REMOVED_CHARACTERS as _REMOVED_CHARACTERS
from billing_core.declarations.characters import character_name as _character_name
from billing_core.declarations.characters import has_unprinted as _has_unprinted
from billing_core.declarations.characters import not_printed as _not_printed
from billing_core.declarations.characters import unprinted as _unprinted
from billing_core.declarations.claims import (
    Address,
    Claim,
    Language,
    LineType,
    Person,
    adults_born_by,
    canonical_reference,
    dutch_postcode,
    passes_bsn_11_proof,
)
from billing_core.declarations.csv_rows import CsvRows
from billing_core.declarations.findings import Finding, Severity, structural
from billing_core.declarations.parsed import ParseResult
from billing_core.declarations.rules.insurers import InsurerRegisters, shipped_registers
from billing_core.declarations.vektis.text import without_end_padding
from billing_core.shared.email_address import is_plausible_email
from billing_core.shared.money import AmountFormatError, parse_sheet_euros
from billing_core.shared.spreadsheet import (
    FORMULA_STARTS,
    line_of,
    starts_a_formula,
    zero_put_back,
)

SEPARATOR = ";"
MAX_QUANTITY = 9_999
# Structural problems of single lines are listed one by one up to this many; the rest
# are counted, so a file with a stray quote does not produce 100,000 findings.
MAX_LISTED_LINE_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class CsvColumn:
    """One column of the declaration CSV (interfaces.md §1a): what the reader requires,
    and what people read about it (the README's table, template.csv's example row)."""

    name: str
    required: bool  # the header must have it (FILE_MISSING_COLUMNS otherwise)
    format: str
    example: str


_DATE = "a date: YYYY-MM-DD, or D-M-YYYY as Dutch Excel saves it (14-3-1971, 14-03-1971, also with the time 0:00)"
_PAPER = "needed for a paper invoice (without an email address)"
# The patient's columns, and the same for the debtor (prefixed debtor_): required,
# format, and the example of a child (patient) whose parent (debtor) pays.
_PERSON: dict[str, tuple[bool, str, str, str]] = {
    "initials": (False, "initials, as printed on the invoice", "S.", "M."),
    "name_prefix": (False, "surname prefix: van, de, van der", "van", "van"),
    "last_name": (True, "surname without its prefix", "Dijk", "Dijk"),
    "street": (False, f"street; {_PAPER}", "Wittevrouwensingel", "Wittevrouwensingel"),
    "house_number": (False, f"house number; {_PAPER}", "41", "41"),
    "house_number_suffix": (False, "house number suffix", "A", "A"),
    "postcode": (False, f"Dutch postcode 1234 AB (the space may be left out); {_PAPER}", "3581 GB", "3581 GB"),
    "city": (False, f"city; {_PAPER}", "Utrecht", "Utrecht"),
    "country": (False, "two-letter country code; empty means NL", "NL", "NL"),
    "email": (False, "email address: the invoice goes by email", "s.vandijk@example.nl", "m.vandijk@example.nl"),
    "mobile": (False, "mobile phone number (a leading 0 Excel dropped is put back)", "0612345678", "0687654321"),
    "language": (False, "language of the invoice: nl (empty), en, pl or ar", "nl", "nl"),
}  # fmt: skip
PERSON_COLUMNS = tuple(_PERSON)
DEBTOR_PREFIX = "debtor_"
DEBTOR_COLUMNS = tuple(DEBTOR_PREFIX + column for column in PERSON_COLUMNS)
# The debtor: who pays instead of the patient (DEBTOR_INCOMPLETE without a last name).
_DEBTOR_FORMAT = {
    "initials": (
        "as initials, for the debtor: who pays instead of the patient (a parent of a minor,"
        " a guardian or a bewindvoerder); leave every debtor_ column empty when the patient pays"
    ),
    "last_name": "as last_name, for the debtor; needed as soon as any debtor_ column is filled",
}
# Every column the reader knows, in the order of the template.
COLUMNS: tuple[CsvColumn, ...] = (
    CsvColumn("claim_ref", True, "your unique reference of this line; sent again, it is never invoiced twice (all digits: read without leading zeros, 000042 is 42)", "TDV26-0042"),
    CsvColumn("patient_ref", True, "your patient number: a patient's lines in one file make one invoice (all digits: read without leading zeros)", "TDV-1007"),
    CsvColumn("bsn", True, "BSN, 9 digits passing the 11-proof (a leading zero Excel dropped is put back)", "100010039"),
    CsvColumn("birth_date", True, _DATE, "2015-04-02"),
    *(CsvColumn(name, req, fmt, example) for name, (req, fmt, example, _) in _PERSON.items()),
    CsvColumn("insurer_uzovi", True, "4-digit UZOVI code of the insurer on the treatment's (start) date", "3311"),
    CsvColumn("policy_number", False, "the patient's policy number at the insurer", "ZK-20411873"),
    CsvColumn("treatment_date", True, f"{_DATE}; for DBC care its end date", "2026-11-03"),
    CsvColumn("treatment_start_date", False, f"{_DATE}; for DBC care its start date", "2026-11-03"),
    CsvColumn("treatment_code", True, "Vektis/NZa treatment code", "C11"),
    CsvColumn("description", True, "what the patient reads on the invoice", "Periodieke controle"),
    CsvColumn("line_type", False, "care (empty), no_show or material", "care"),
    CsvColumn("quantity", False, f"whole number from 1 to {MAX_QUANTITY}; empty means 1", "1"),
    CsvColumn("unit_price", True, "euros, with a comma or a point and two decimals, no euro sign; thousands grouped only as Dutch Excel writes them (1.234,56); negative for a credit line", "23,50"),
    CsvColumn("price_quote_ref", False, "dental: reference of the signed price quote (begroting)", "BEGR-2026-118"),
    *(
        CsvColumn(DEBTOR_PREFIX + name, False, _DEBTOR_FORMAT.get(name, f"as {name}, for the debtor"), example)
        for name, (_, _, _, example) in _PERSON.items()
    ),
)  # fmt: skip
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)
KNOWN_COLUMNS = frozenset(column.name for column in COLUMNS)
# What a paper letter needs (Address.is_complete).
POSTAL_COLUMNS = ("street", "house_number", "postcode", "city")

# The columns that describe the patient and the addressee: checked once per distinct value.
_PATIENT_COLUMNS = ("patient_ref", "bsn", "birth_date", *PERSON_COLUMNS, *DEBTOR_COLUMNS)
# The columns of a line's treatment whose combination repeats (same date, price, insurer):
# checked once per distinct combination.
_TREATMENT_COLUMNS = (
    "insurer_uzovi",
    "treatment_date",
    "treatment_start_date",
    "line_type",
    "quantity",
    "unit_price",
)
# Free text that may differ on every line: taken as it is, per line.
_OWN_COLUMNS = ("claim_ref", "treatment_code", "description", "policy_number", "price_quote_ref")
_PERSON_WIDTH = len(PERSON_COLUMNS)
_PERSON_AND_DEBTOR = frozenset((*PERSON_COLUMNS, *DEBTOR_COLUMNS))
_LAST_NAME_INDEX = PERSON_COLUMNS.index("last_name")
# A practice system may pre-fill debtor_country and debtor_language on every line: alone
# they do not make a debtor.
_debtor_presence_cells = itemgetter(
    *(index for index, column in enumerate(PERSON_COLUMNS) if column not in {"country", "language"})
)
# Who it is and where the invoice goes: must agree on every line of one patient.
_IDENTITY_COLUMNS = (*PERSON_COLUMNS[:10],)  # initials .. email; not mobile, language
_ADDRESS_COLUMNS = frozenset(
    {"street", "house_number", "house_number_suffix", "postcode", "city", "country"}
)
# The free text of a person that an invoice, a letter or the patient's page shows: there a
# "?" stands for a letter Windows-1252 lacks (_question_marks). Not the columns read by
# their form (postcode, country, language) or shown to nobody (mobile).
_LETTER_COLUMNS = tuple(
    (index, column)
    for index, column in enumerate(PERSON_COLUMNS)
    if column not in {"postcode", "country", "mobile", "language"}
)
_COUNTRY_ALIASES = {"": "NL", "NEDERLAND": "NL", "NETHERLANDS": "NL", "THE NETHERLANDS": "NL"}
_LINE_TYPES = {"": LineType.CARE, **{line_type.value: line_type for line_type in LineType}}
_LANGUAGES = {language.value: language for language in Language}
_FORMULA_FIRST = frozenset(FORMULA_STARTS)  # every start is one character
_DUTCH = Language.NL  # per patient: a module constant costs a 25th of the enum's property
_EXCEL_SEPARATOR_LINE = ["sep=", ""]
_LINE_ENDS = ("\n", "\r")  # what ends a cell only when its quote was never closed
_FOREIGN_SEPARATORS = (("\t", "een tab", "a tab"), (",", "een komma (,)", "a comma (,)"))
# The debtor of a line without one: compared field by field like a real debtor.
_NOBODY = Person("", "", "", Address("", "", "", "", "", ""))


def parse_declaration_csv(
    data: bytes,
    *,
    today: date,
    max_lines: int = 100_000,
    insurers: InsurerRegisters | None = None,
) -> ParseResult:
    """The claims of a declaration file and the findings for its processing report.
    ``insurers``: the register versions (R33), the shipped one when not given.

    A large file makes some 100,000 long-lived objects: callers pause the cycle collector
    around it (billing_core.bulk), as the ingest use case does."""
    text, repairs, nul = _decode(data)
    if repairs and repairs[-1].severity is Severity.FILE:
        return ParseResult([], [repairs[-1]], 0)
    reader = CsvRows(text, SEPARATOR)
    try:
        header = _read_header(reader)
    except csv.Error:
        # R2, R40: a first line csv cannot read (a quote never closed, a line over csv's
        # field limit) is said in the report as on any later line, not an ingest that fails
        # and leaves the upload without one (audit portal51).
        unreadable = _file_finding("FILE_UNREADABLE", line=reader.line_num + 1)
        return ParseResult([], [unreadable], 1 + _lines_left(reader))
    if header is None:
        return ParseResult([], [_file_finding("FILE_EMPTY")], 0)
    if nul and "\0" in "".join(header):
        # R40: the cause named (a NUL on that line), not "not UTF-8": it is.
        nul_in_header = _file_finding("FILE_NUL_CHARACTER", line=reader.line_num)
        return ParseResult([], [nul_in_header], 1 + _lines_left(reader))
    width = _named_width(header)
    if _is_a_line(header[:width]):
        # Saved without its header row: read as column names, its cells would put a
        # patient's BSN, birth date and e-mail in the report as "unknown columns" (R29).
        no_header = _file_finding("FILE_NO_HEADER", line=reader.line_num)
        return ParseResult([], [no_header], 1 + _lines_left(reader))
    columns, header_findings = _map_header(header[:width], reader.line_num)
    trailing = _TrailingSeparators(len(header) - width)
    parser = _LineParser(
        columns, width, today, max_lines, insurers or shipped_registers(), trailing
    )
    # A letter Windows-1252 lacks (Ł) is saved by Excel as "?": names are checked for it.
    parser.windows_1252 = any(f.code == "CSV_WINDOWS_1252" for f in repairs)
    parser.nul = nul
    single_byte = parser.windows_1252 or any(f.code == "CSV_MAC_ROMAN" for f in repairs)
    # R2, R3, R40 (stop 47 chars2, chars3): one look at the whole text; only a file with
    # an invisible or a control character pays for looking at its lines' own cells (#18 (b)).
    parser.invisible = _has_unprinted(text, data, utf8=not single_byte)
    # R3, R4, R40: a number Excel saved as 1,23457E+11 has a "+"; one memchr over the
    # bytes (1 ms on 100,000 lines) spares every other file the look at its numbers.
    parser.exponents = b"+" in data
    parser.unclosed_tail = _unclosed_at_the_end(text)
    return parser.parse(reader, repairs, header_findings)


def _unclosed_at_the_end(text: str) -> str | None:
    """The text csv reads into the last field of a file whose last line opens a quote it
    never closes and has no line end after it (which a field that runs to the file's end
    otherwise keeps: _quote_not_closed); None for any other file."""
    if text.endswith(_LINE_ENDS):
        return None
    last = text[max(text.rfind("\n"), text.rfind("\r")) + 1 :]
    if '"' not in last:
        return None
    try:
        next(csv.reader([last], delimiter=SEPARATOR, strict=True))
    except csv.Error as error:
        if str(error) == "unexpected end of data":
            return next(csv.reader([last], delimiter=SEPARATOR))[-1]
    return None


def _quote_not_closed(row: list[str], unclosed_tail: str | None) -> bool:
    """A short line whose last cell is a quoted field csv read to the end of the file: the
    rest of the line, separators and all, with the line end (and blank lines) after it, or,
    without a line end, the field _unclosed_at_the_end found."""
    cell = row[-1]
    return SEPARATOR in cell and (cell.endswith(_LINE_ENDS) or cell == unclosed_tail)


# --- Decoding and header (structural) ---


def _decode(data: bytes) -> tuple[str, list[Finding], bool]:
    """UTF-8 (a BOM is allowed), else Windows-1252 as Dutch Excel saves a CSV (R40) with
    a warning; the warnings say what was repaired. A refusal is the last finding, of
    Severity.FILE: it names the line and byte where the file stops being text. The flag:
    the UTF-8 text holds a NUL, which the lines that have it are refused for (_LineParser)."""
    repairs: list[Finding] = []
    # A DOS end-of-file byte (Ctrl-Z) after the last line, as old practice software and
    # transfer tools write it, is invisible in every editor: dropped, and said (R40).
    data = without_end_padding(data, "CSV_END_PADDING", repairs)
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    # UTF-16 (Excel's "Unicode text") decodes as UTF-8 full of NUL bytes: refuse it here.
    # A NUL in UTF-8 text otherwise is one line's problem (R2), said there (names2).
    nul = data.find(b"\x00", start)
    if nul >= 0 and _is_utf16(data):
        return "", [_not_text(data, nul, utf16=True)], False
    try:
        text = str(memoryview(data)[start:], "utf-8")
    except UnicodeDecodeError as error:
        if nul >= 0:  # not UTF-8 and a NUL: no text file (_windows_1252 says the same)
            return "", [_not_text(data, nul)], False
        if start:  # the BOM says UTF-8: read otherwise, its UTF-8 letters would be garbled
            return "", [_not_text(data, start + error.start)], False
        if b"\r" in data and b"\n" not in data and _reads_as_mac_roman(data):
            text, finding = _windows_1252(data, error.start, "mac_roman", "CSV_MAC_ROMAN")
        else:
            text, finding = _windows_1252(data, error.start)
        if finding.severity is Severity.FILE:
            return text, [*repairs, finding], False
        repairs.append(finding)
        return _one_line_end_for_cr_cr_lf(text, repairs), repairs, False
    if not text or text.isspace():
        return "", [_file_finding("FILE_EMPTY")], False
    return _one_line_end_for_cr_cr_lf(text, repairs), repairs, nul >= 0


def _one_line_end_for_cr_cr_lf(text: str, repairs: list[Finding]) -> str:
    """R40, vektis.md "Files as practices really send them" (CR CR LF line ends): a file
    passed twice through a tool that turns LF into CR LF ends its lines in CR CR LF. Excel
    and Notepad show one line per CR CR LF, so the report's line numbers are those: one
    line end each, said once. A real blank line (CR CR LF twice) stays a line of its own."""
    if "\r\r\n" not in text:
        return text
    repairs.append(Finding("CSV_LINE_ENDS_CR_CR_LF", Severity.WARNING))
    return text.replace("\r\r\n", "\r\n")


# Bytes no text file holds (tab, LF and CR aside): what makes a file binary, not ANSI text.
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_ASCII = bytes(range(0x80))
# A letter written in UTF-8: in a Windows-1252 text these byte pairs and triples are
# letter-symbol combinations such as "Ã©" that Dutch text does not have.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _reads_as_mac_roman(data: bytes) -> bool:
    """R40: CR alone ends the lines of Excel for Mac's "CSV" (the classic Mac's line end),
    which it writes in Mac Roman: read as Windows-1252, "Müller" was "MŸller" and "Ünal"
    "†nal" on the invoices, with a warning only. Such a file is read as Mac Roman when
    that gives only letters and marks a declaration holds (Latin-1's letters, typographic
    quotes and dashes) and Windows-1252 does not (Š, Ž, Ÿ and Œ are not among them: a
    Mac Roman file read so shows them). Only a file that is not UTF-8, with CR line ends,
    pays for looking."""
    marks = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u20ac"  # quotes, dashes, ..., euro
    plausible = {chr(code) for code in range(0xC0, 0x100) if chr(code).isalpha()}
    plausible.update(marks)
    others = bytes(set(data.translate(None, _ASCII)))
    try:
        windows = others.decode("cp1252")
    except UnicodeDecodeError:
        windows = "\x81"  # a byte Windows-1252 lacks: no letter
    return plausible.issuperset(others.decode("mac_roman")) and not plausible.issuperset(windows)


def _windows_1252(
    data: bytes, not_utf8: int, codec: str = "cp1252", code: str = "CSV_WINDOWS_1252"
) -> tuple[str, Finding]:
    """A file that is not UTF-8 (``not_utf8``: its first such byte). Excel's default
    "CSV (gescheiden door lijstscheidingsteken)" writes Windows-1252 on a Dutch Windows
    (R40): read as that, with a warning naming the first non-ASCII character. Refused,
    naming the byte, when it cannot be Windows-1252 text: a control byte (binary), a byte
    Windows-1252 lacks (0x81, 0x8D, 0x8F, 0x90, 0x9D), or letters in UTF-8 as well.
    ``codec`` and ``code``: Excel for Mac's "CSV", read as Mac Roman (its every byte is a
    character) and said as such."""
    control = _CONTROL_BYTE.search(data)
    if control is not None:
        return "", _not_text(data, control.start())
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        return "", _not_text(data, error.start)
    utf8 = _UTF8_SEQUENCE.search(data)
    if utf8 is not None:
        # Lines from two exports: either reading garbles the other's names.
        lines = {"line": line_of(data, not_utf8), "utf8_line": line_of(data, utf8.start())}
        return "", _file_finding("FILE_MIXED_ENCODINGS", **lines)
    first = _NON_ASCII.search(data)
    assert first is not None  # a file that is not UTF-8 is not ASCII
    params = {"character": text[first.start()], "count": len(data.translate(None, _ASCII))}
    line = line_of(data, first.start())
    return text, Finding(code, Severity.WARNING, line, params=params)


def _not_text(data: bytes, offset: int, *, utf16: bool = False) -> Finding:
    byte = f"0x{data[offset]:02X}"
    # R40 (refuse naming the encoding): Excel's "Unicode-tekst" is UTF-16, said as such;
    # the code clients read stays FILE_NOT_UTF8.
    said = {"said_as": "CSV_UTF16"} if utf16 else {}
    line = line_of(data, offset)
    return _file_finding("FILE_NOT_UTF8", line=line, offset=offset, byte=byte, **said)


# A file that is no text at all (a program, a database, an archive or random bytes
# no first bytes of vektis.text._MAGIC name): more than 1 in 16 of its first KiB are
# control bytes (random bytes: 1 in 8.5), where a text file has a stray one at most, which
# is said by its line and byte (FILE_NOT_UTF8). NUL padding at the end is no part of it.
_BINARY_SNIFFED = 1024
_BINARY_SHARE = 16


def not_text_at_all(data: bytes) -> bool:
    """Whether a file is binary, not text in some encoding (R2, R40: said as no CSV or
    Vektis file, words52; it was "not UTF-8 at byte 103"). UTF-16 is text, said as such
    by the reader."""
    if data.endswith((b"\x00", b"\x1a")):
        data = data.rstrip(b"\x1a\x00\r\n")
    head = data[:_BINARY_SNIFFED]
    controls = len(_CONTROL_BYTE.findall(head))
    return controls * _BINARY_SHARE > max(len(head), 64) and not _is_utf16(data)


def _is_utf16(data: bytes) -> bool:
    """UTF-16 as Excel's "Unicode-tekst" writes it: a byte order mark, or (without one)
    text whose every other byte is NUL, as ASCII letters are in UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = data[:64]
    return len(head) >= 4 and (not any(head[1::2]) or not any(head[::2]))


def _read_header(reader: CsvRows) -> list[str] | None:
    for row in reader:
        # Excel writes (and reads) an optional first line "sep=;" naming the separator.
        if any(cell.strip() for cell in row) and row != _EXCEL_SEPARATOR_LINE:
            return row
    return None


def _named_width(header: list[str]) -> int:
    """The header's columns without the nameless ones it ends with: a separator at the end
    of the line (_TrailingSeparators). _read_header returns a header with a name."""
    width = len(header)
    while not header[width - 1].strip():
        width -= 1
    return width


def _is_a_line(header: list[str]) -> bool:
    """A first line that names none of our columns and holds values (a date, a number,
    an e-mail address) is a treatment line, not a header."""
    names = [cell.strip().lower() for cell in header]
    return KNOWN_COLUMNS.isdisjoint(names) and sum(map(_is_a_value, names)) >= 2


def _is_a_value(cell: str) -> bool:
    """Shaped as data, not as a column name: an e-mail address, or at least half digits
    (a BSN, a date, an amount, a postcode); "veld19" is a name."""
    return "@" in cell or 0 < len(cell) <= 2 * sum(character.isdigit() for character in cell)


def _lines_left(reader: CsvRows) -> int:
    """The lines not read yet that are not blank: a refused file's count for its report."""
    count = 0
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                count += 1
    except csv.Error:
        pass  # refused already; the count stops where the file cannot be read
    return count


def _map_header(header: list[str], line: int) -> tuple[dict[str, int], list[Finding]]:
    """Column name -> index; names are trimmed and case-insensitive, the order is free."""
    names = [cell.strip().lower() for cell in header]
    if len(names) == 1:
        wrong_separator = _foreign_separator(names[0], line)
        if wrong_separator is not None:
            return {}, [wrong_separator]
    columns: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    findings: list[Finding] = []
    for index, name in enumerate(names):
        if not name:
            findings.append(_file_finding("FILE_EMPTY_COLUMN_NAME", line=line, position=index + 1))
        elif name in columns:
            duplicates.append((name, index))
        else:
            columns[name] = index
    unknown = [(name, index) for name, index in columns.items() if name not in KNOWN_COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if duplicates:
        shown = [_shown_name(name, index) for name, index in duplicates]
        findings.append(
            _file_finding(
                "FILE_DUPLICATE_COLUMNS",
                line=line,
                columns_nl=_listed([dutch for dutch, _ in shown]),
                columns_en=_listed([english for _, english in shown]),
            )
        )
    if unknown:
        findings.append(_unknown_columns(unknown, line))
    if missing:
        findings.append(_file_finding("FILE_MISSING_COLUMNS", line=line, columns=_listed(missing)))
    return columns, findings


def _foreign_separator(only_column: str, line: int) -> Finding | None:
    for character, dutch, english in _FOREIGN_SEPARATORS:
        if character in only_column:
            return _file_finding(
                "FILE_WRONG_DELIMITER", line=line, separator_nl=dutch, separator_en=english
            )
    return None


# A header that is not one (a data line first, another program's export) can have
# thousands of columns: naming each, with its likely typo, would cost ~0.1 ms a column
# and a report nobody reads.
MOST_UNKNOWN_COLUMNS_NAMED = 20


def _unknown_columns(unknown: list[tuple[str, int]], line: int) -> Finding:
    """R40 (stop 56 csvcols): a column practice software adds (an "opmerking", an internal
    id) is ignored, named in a warning (never its values: it may hold a patient's data,
    R29), and every line is read. The file is refused, naming every unknown column, when
    ignoring one could lose data silently: a typo or a Dutch name of one of ours (the
    hint), a name shaped as a value (a data line in the header row), or more of them than
    a finding names (another program's export).

    A refusal for a typo or a value names only those columns, what is to be fixed: a
    harmless one beside them (an opmerking) is ignored once they are, so naming it asked
    the practice to fix what needs no fixing (inputs57)."""
    listed = unknown[:MOST_UNKNOWN_COLUMNS_NAMED]
    hints = [None if _is_a_value(name) else _likely_column(name) for name, _ in listed]
    named = list(zip(listed, hints, strict=True))
    refusing = [(column, hint) for column, hint in named if hint or _is_a_value(column[0])]
    few = len(unknown) <= MOST_UNKNOWN_COLUMNS_NAMED
    params = _unknown_columns_named(refusing if few and refusing else named, len(unknown))
    if few and not refusing:
        return Finding("CSV_UNKNOWN_COLUMNS_IGNORED", Severity.WARNING, line, params=params)
    return _file_finding("FILE_UNKNOWN_COLUMNS", line=line, **params)


def _unknown_columns_named(
    named: list[tuple[tuple[str, int], str | None]], unknown: int
) -> dict[str, str]:
    """The columns_nl and columns_en of a finding naming unknown columns, each with the
    column it is likely meant as; ``unknown``: how many there are, the rest said as more."""
    dutch, english = [], []
    for (name, index), close in named:
        place_nl, place_en = _shown_name(name, index)  # a value is named by its place
        dutch.append(f"{name} (bedoelt u {close}?)" if close else place_nl)
        english.append(f"{name} (did you mean {close}?)" if close else place_en)
    more = unknown - MOST_UNKNOWN_COLUMNS_NAMED
    if more > 0:
        dutch.append(f"en nog {more}")
        english.append(f"and {more} more")
    return {"columns_nl": _listed(dutch), "columns_en": _listed(english)}


def _likely_column(name: str) -> str | None:
    """The known column an unknown header name is probably meant as: its Dutch name
    (Achternaam: last_name, R40), else the one it is a typo of."""
    # Here, not at import: only a header with an unknown column reads the Dutch names or
    # compares names (issue 18 (d): the ingest handler imports this module at start).
    import difflib

    from billing_core.declarations.csv_dutch_names import template_column

    dutch_meaning = template_column(name)
    if dutch_meaning:
        return dutch_meaning
    close = difflib.get_close_matches(name, KNOWN_COLUMNS, n=1, cutoff=0.75)
    return close[0] if close else None


def _shown_name(name: str, index: int) -> tuple[str, str]:
    """How a finding names a header column, in Dutch and English: by its name, or by its
    place when the name is shaped as a value (a patient's data in the header row, R29)."""
    if _is_a_value(name):
        return f"kolom {index + 1}", f"column {index + 1}"
    return name, name


def _listed(names: list[str]) -> str:
    return ", ".join(names)


def _file_finding(code: str, line: int | None = None, **params: Any) -> Finding:
    return Finding(code, Severity.FILE, line=line, params=params)


# --- Content problems ---


# The internal records below are not frozen, only never changed: a frozen dataclass sets
# each field through object.__setattr__, which makes construction about ten times slower.


@dataclass(slots=True)
class _Problem:
    """A content problem before it knows its line: cached per patient or per treatment."""

    code: str
    field: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)  # shared: never mutated


@dataclass(slots=True)
class _Treatment:
    """The checked repeating part of a line (see _TREATMENT_COLUMNS)."""

    insurer_uzovi: str
    treatment_date: date | None
    treatment_start_date: date | None
    line_type: LineType
    quantity: int
    unit_price_cents: int
    problems: tuple[_Problem, ...]


@dataclass(slots=True)
class _Patient:
    """Everything a line says about its patient and addressee, checked once."""

    patient_ref: str
    bsn: str
    birth_date: date | None
    person: Person
    debtor: Person | None
    problems: tuple[_Problem, ...]


_NO_PATIENT = _Patient("", "", None, _NOBODY, None, ())


class _BirthDates(dict[str, "date | _Problem | None"]):
    """Each distinct birth date text parsed once (patients share them)."""

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def __missing__(self, text: str) -> date | _Problem | None:
        parsed = self[text] = _birth_date(text, self.today)
        return parsed


class _TrailingSeparators:
    """Lines that end with a separator too many, so with empty cells after the last column:
    as Excel writes a sheet in which a column right of the data was ever used (the header
    too), and as many practice exports end each line. R40 asks for such a file; vektis.md's
    rule for files as practices send them: accept and say what was repaired, or refuse
    with the cause named.

    Only a line whose width differs from the header's comes here, so a well-formed file
    pays nothing. Whether the file is repaired is decided once, at its end (_LineParser)."""

    def __init__(self, header_tail: int) -> None:
        self.header_tail = header_tail  # the nameless columns the header ends with
        self.extra = header_tail or 1  # the empty cells a line may end with
        self.count = 0  # lines that did
        self.lines: list[int] = []  # the first of them, to list
        self.filled: tuple[int, int] | None = None  # line, column: a value under no name

    def fits(self, row: list[str], width: int, line: int) -> bool:
        """Whether a line of another width than the header's is its cells and then the
        extra ones, empty, or (under the header's nameless columns) not; they are dropped."""
        if len(row) != width + self.extra:
            return False
        tail = row[width:]
        if "".join(tail).strip():
            if not self.header_tail:
                return False  # a field too many, not a separator
            if self.filled is None:
                filled = next(index for index, cell in enumerate(tail) if cell.strip())
                self.filled = (line, width + filled + 1)
        del row[width:]
        self.count += 1
        if len(self.lines) < MAX_LISTED_LINE_PROBLEMS:
            self.lines.append(line)
        return True

    def is_ambiguous(self, lines: int) -> bool:
        """Some of ``lines`` (those of the header's width or one that fits) end with an
        empty field the header and the others lack: a separator inside a text field gives
        the same, so which field is which column is unsure. The header's own trailing
        separators name the columns the empty cells are in."""
        return not self.header_tail and 0 < self.count < lines


# Excel writes a sheet as CSV in blocks of rows, each up to the last column used in it.
_EXCEL_BLOCK_ROWS = 16


class _ShortLines:
    """Lines that end before the header's last columns: as Excel writes rows whose last
    cells are empty (it leaves out their separators, in blocks of rows), and as many
    practice exports do. The template's last twelve columns are the debtor's, empty for
    nearly every patient. R40 asks for such a file, vektis.md's rule for files as
    practices send them: accept and say what was repaired, or refuse with the cause named.

    Every such line gets its missing cells, empty: one that lacks only optional columns
    is read as it is, said once for the file; one that ends before a required column is
    rejected by its own findings naming that column, as the same line with the cell
    present and empty is (R2: a content error, not the file's; closing14's found list).
    Only a line shorter than the header comes here, so a well-formed file pays nothing.

    A line that ends with an empty cell was not cut after its last value, so a cell is
    missing inside it (a semicolon deleted) unless Excel wrote it so: Excel writes a block
    of rows up to the last column any of them fills, so the rows of a block have one width
    and some of them end empty. Such a line (``inside``, its cell count) is read as the
    others; when that reading rejects it, its cells after the missing one were read under
    the wrong columns, and _LineParser says that instead (stop 42's files5 audit)."""

    def __init__(self, columns: dict[str, int], width: int) -> None:
        # A line must reach the last required column to be said in the warning only.
        required = [index for name, index in columns.items() if name in REQUIRED_COLUMNS]
        self.fewest_cells = max(required, default=-1) + 1
        self.names = {index: name for name, index in columns.items()}
        self.width = width
        self.count = 0  # lines padded that lacked only optional columns
        self.first = 0  # the first of them
        self.shortest = width  # the fewest cells such a line had
        self.inside = 0  # the cells of the line just padded if one may be missing inside it
        self.previous = (0, 0)  # the line and cell count of the short line before

    def pad(self, row: list[str], line: int) -> None:
        """The line with its missing cells, empty; said in the warning when it lacked only
        optional columns (otherwise its findings name the required ones)."""
        found = len(row)
        previous_line, previous_found = self.previous
        self.previous = (line, found)
        # Not Excel's block of rows: no short line of this width in the 15 lines before.
        excel_block = previous_found == found and line - previous_line < _EXCEL_BLOCK_ROWS
        self.inside = found if not row[-1].strip() and not excel_block else 0
        row.extend([""] * (self.width - found))
        if not self.inside:
            self.counted(found, line)

    def counted(self, found: int, line: int) -> None:
        """A line of ``found`` cells read with its missing last cells empty."""
        if found < self.fewest_cells:
            return
        self.count += 1
        self.first = self.first or line
        self.shortest = min(self.shortest, found)

    def warning(self) -> Finding | None:
        if not self.count:
            return None
        params = {"count": self.count, "column": self.names.get(self.shortest, "")}
        return Finding("CSV_SHORT_LINES_PADDED", Severity.WARNING, self.first, params=params)


# What the reading of a line that lacks a cell inside it says that stays true (_padded_line).
_SAID_OF_A_MISREAD_LINE = frozenset({"CSV_REFERENCE_LEADING_ZEROS", "CSV_CONTROL_CHARACTER"})


class _LineParser:
    def __init__(
        self,
        columns: dict[str, int],
        width: int,
        today: date,
        max_lines: int,
        insurers: InsurerRegisters,
        trailing: _TrailingSeparators,
    ) -> None:
        self.width = width
        self.columns = columns
        self.trailing = trailing
        self.short_lines = _ShortLines(columns, width)
        self.insurers = insurers
        self.today = today
        self.max_lines = max_lines
        # An absent optional column reads the empty cell appended to every line.
        index = {name: columns.get(name, width) for name in KNOWN_COLUMNS}
        self.own_cells = itemgetter(*(index[name] for name in _OWN_COLUMNS))
        self.patient_cells = itemgetter(*(index[name] for name in _PATIENT_COLUMNS))
        self.treatment_cells = itemgetter(*(index[name] for name in _TREATMENT_COLUMNS))
        self.claims: list[Claim] = []
        self.findings: list[Finding] = []
        self.treatments: dict[tuple[str, ...], _Treatment] = {}
        self.patients: dict[str, _Patient] = {}  # by the patient columns, joined
        self.first_of_patient: dict[str, tuple[_Patient, int]] = {}  # by patient_ref
        self.previous_cells: tuple[str, ...] = ()
        self.previous_patient = _NO_PATIENT  # never returned: no line has empty cells ()
        self.first_of_claim_ref: dict[str, int] = {}
        self.written_refs: dict[str, str] = {}  # claim refs read without leading zeros
        self.zeros_dropped = False  # said once (_without_leading_zeros)
        self.windows_1252 = False  # the file was read as Windows-1252 (_decode)
        self.nul = False  # the (UTF-8) text holds a NUL: its lines are refused (_decode)
        self.read_columns: list[int] = []  # the cells _line_without_nul looks at
        self.invisible = False  # the text holds a character characters.REMOVED names
        self.invisible_said: set[tuple[int, str]] = set()  # (column index, cell) said once
        self.own_columns: list[tuple[int, str]] = []  # the columns _line_without_invisible reads
        self.exponents = False  # the file has a "+": its numbers' cells are looked at
        self.unclosed_tail: str | None = None  # the last line's quote never closed
        self.headers_repeated: list[int] = []  # lines that are the header row again
        self.number_columns: list[tuple[int, str]] = []  # the columns _digits_lost reads
        self.claim_ref_index = index["claim_ref"]
        self.birth_dates = _BirthDates(today)
        self.adult_born_by = adults_born_by(today)

    def parse(
        self, reader: CsvRows, repairs: list[Finding], header_findings: list[Finding]
    ) -> ParseResult:
        """repairs: warnings about how the file was read (its encoding, its end)."""
        self.findings.extend(repairs)
        self.findings.extend(header_findings)
        lines_total = self._read_lines(reader, check_content=not structural(header_findings))
        if self.windows_1252:
            self._descriptions_with_question_marks()
        if lines_total == 0:
            self.findings.append(_file_finding("FILE_HEADER_ONLY"))
        elif lines_total > self.max_lines:
            self.findings.append(
                _file_finding("FILE_TOO_MANY_LINES", lines=lines_total, max_lines=self.max_lines)
            )
        result = ParseResult(
            self.claims, self.findings, lines_total, written_refs=tuple(self.written_refs.items())
        )
        if result.file_rejected:
            # R2: a structural error rejects the whole file, so no claim may go on.
            return ParseResult([], structural(self.findings), lines_total)
        return result

    def _read_lines(self, reader: CsvRows, check_content: bool) -> int:
        """One pass: structural checks on every line, content checks while they can matter."""
        width, max_lines = self.width, self.max_lines
        # The hot loop: one bound method, looked up once; a file with a NUL checks for it.
        parse_line = self._line_parser()
        wrong_width = 0
        lines_total = 0
        line = reader.line_num
        try:
            for row in reader:
                first_line, line = line + 1, reader.line_num
                if not any(row) or (len(row) != width and _is_blank(row)):
                    continue  # a blank line, or one of only separators or spaces
                lines_total += 1
                if line != first_line:
                    if self._lines_in_a_field(row, first_line, line):
                        # Refused: its lines are not judged, and those read as text are counted.
                        check_content = False
                        lines_total += line - first_line
                        continue
                    if len(row) == width and check_content and lines_total <= max_lines:
                        # A line break inside a cell: the whole text's look counts it as a
                        # line end, so this line's own cells are looked at (chars3).
                        self._line_with_a_break(row, first_line)
                        continue
                # A line of the header's width, every line of a plain file, skips fits.
                if len(row) == width:
                    if check_content and lines_total <= max_lines:
                        parse_line(row, first_line)
                elif len(row) < width and _quote_not_closed(row, self.unclosed_tail):
                    self._line_with_an_open_quote(row, first_line)
                elif not self._fits(row, first_line):
                    wrong_width += 1
                    self._wrong_width(first_line, len(row), wrong_width)
                    check_content = False
                elif check_content and lines_total <= max_lines:
                    self._padded_line(row, first_line)
        except csv.Error:
            self.findings.append(_file_finding("FILE_UNREADABLE", line=line + 1))
        if self.headers_repeated:
            lines_total -= len(self.headers_repeated)
            params = {"count": len(self.headers_repeated)}
            line = self.headers_repeated[0]
            self.findings.append(
                Finding("CSV_HEADER_REPEATED", Severity.WARNING, line, params=params)
            )
        wrong_width += self._trailing_separators(lines_total - wrong_width, wrong_width)
        padded = self.short_lines.warning()
        if padded is not None:
            self.findings.append(padded)
        if wrong_width > MAX_LISTED_LINE_PROBLEMS:
            more = wrong_width - MAX_LISTED_LINE_PROBLEMS
            self.findings.append(_file_finding("FILE_MORE_ROW_ERRORS", count=more))
        return lines_total

    def _lines_in_a_field(self, row: list[str], first: int, last: int) -> bool:
        """R2, R40: a quote a practice typed at the start of a field (and none, or one
        lines later, to close it) makes csv read the lines after it as that field's text.
        A line so read has a separator for every column up to the last required one, which
        a text with a line break of its own (Alt+Enter in an Excel cell) never has: the
        file is refused, naming where the quote opens, instead of the lines vanishing
        from the report and the line itself read with another line's last cells. Only a
        line that spans lines (quoted) comes here: a plain file pays nothing."""
        fewest = max(self.short_lines.fewest_cells - 1, 2)  # separators of a whole line
        for index, cell in enumerate(row):
            if any(piece.count(SEPARATOR) >= fewest for piece in cell.splitlines()[1:]):
                column = self.short_lines.names.get(index) or str(index + 1)
                params = {"column": column, "end_line": last}
                self.findings.append(_file_finding("FILE_QUOTE_SPANS_LINES", line=first, **params))
                return True
        return False

    def _line_with_an_open_quote(self, row: list[str], line: int) -> None:
        """R2, R40: a quote typed at the start of a field of the file's last line, never
        closed, makes csv read the rest of that line, its line end and any blank lines
        after it as that field's text (a quote closed ends the field before its line end).
        Only that line is read wrong: it stays out, said once, naming where the quote
        opens (before, a flood of findings about the columns it swallowed, one of them
        repeating the rest of the line, the debtor's e-mail and phone included)."""
        column = len(row) - 1
        field = self.short_lines.names.get(column, str(column + 1))
        claim_ref = row[self.claim_ref_index].strip() if self.claim_ref_index < column else ""
        self.findings.append(
            Finding("CSV_QUOTE_NOT_CLOSED", Severity.CLAIM, line, field, claim_ref or None)
        )

    def _fits(self, row: list[str], line: int) -> bool:
        """Whether a line of another width than the header's can be read after all: a
        shorter one always is (_ShortLines)."""
        if len(row) < self.width:
            self.short_lines.pad(row, line)
            return True
        return self.trailing.fits(row, self.width, line)

    def _padded_line(self, row: list[str], line: int) -> None:
        """A line that had fewer cells than the header (_ShortLines). When a cell may be
        missing inside it and its reading rejects it, the findings of that reading are
        about the wrong columns (a last name read as the street, a price as the quantity):
        one finding says the line lacks a cell instead, and the line stays out (R2: that
        line's claim only). A reading that accepts it stands, as for any short line."""
        parse_line = self._line_parser()
        found = self.short_lines.inside
        if not found:
            parse_line(row, line)
            return
        claims, findings = len(self.claims), len(self.findings)
        parse_line(row, line)
        if len(self.claims) > claims:
            self.short_lines.counted(found, line)
            return
        misread = self.findings[findings:]
        del self.findings[findings:]
        # Said once for the file, whichever line says it: kept. A control character (a NUL)
        # is in the line whichever column its cell is read under: said too, first (R2, R40;
        # before, only the missing cell was, and the line sent again was refused again).
        self.findings.extend(
            self._by_its_cell(f, found) if f.code == "CSV_CONTROL_CHARACTER" else f
            for f in misread
            if f.code in _SAID_OF_A_MISREAD_LINE
        )
        claim_ref = next((f.claim_ref for f in misread if f.claim_ref), None)
        params = {"found": found, "expected": self.width}
        self.findings.append(
            Finding("CSV_CELL_MISSING", Severity.CLAIM, line, None, claim_ref, params)
        )
        # Its patient, misread, is not the one the patient's later lines are compared with.
        if self.first_of_patient:
            patient_ref, (_, first_line) = next(reversed(self.first_of_patient.items()))
            if first_line == line:
                del self.first_of_patient[patient_ref]

    def _by_its_cell(self, finding: Finding, found: int) -> Finding:
        """A control character's finding on a line short a cell inside it (R40, stop 47
        small47a): the column it was read under is one early when the missing cell comes
        before it (a surname read under name_prefix), so it names the cell by its place in
        the line as the practice sees it, and the columns it belongs to, from the one it
        was read under to the one as many columns on as cells are missing."""
        field = finding.field or ""
        index = self.columns.get(field, int(field) - 1 if field.isdigit() else 0)
        last = min(index + self.width - found, self.width - 1)
        names = self.short_lines.names
        params = {
            **finding.params,
            "said_as": "CSV_CONTROL_CHARACTER_CELL_MISSING",
            "position": index + 1,
            "letter": _spreadsheet_column(index),
            "read_as": names.get(index, str(index + 1)),
            "last_field": names.get(last, str(last + 1)),
        }
        return Finding(
            finding.code, finding.severity, finding.line, None, finding.claim_ref, params
        )

    def _trailing_separators(self, lines: int, wrong_width: int) -> int:
        """What the lines that end with a separator too many come to, said once for the
        file; ``lines``: those of the header's width or one that fits. Returns how many
        of them it counts as of the wrong width after all."""
        trailing = self.trailing
        if trailing.filled is not None:
            line, position = trailing.filled
            self.findings.append(
                _file_finding("FILE_NAMELESS_COLUMN_FILLED", line=line, position=position)
            )
        elif trailing.is_ambiguous(lines):
            others = lines - trailing.count
            self.findings.append(
                _file_finding(
                    "FILE_TRAILING_SEPARATOR",
                    line=trailing.lines[0],
                    count=trailing.count,
                    others=others,
                )
            )
            for seen, line in enumerate(trailing.lines, start=wrong_width + 1):
                self._wrong_width(line, self.width + 1, seen)
            return trailing.count
        elif trailing.count or trailing.header_tail:
            params = {"count": trailing.extra}
            self.findings.append(Finding("CSV_TRAILING_SEPARATOR", Severity.WARNING, params=params))
        return 0

    def _wrong_width(self, line: int, found: int, seen: int) -> None:
        if seen > MAX_LISTED_LINE_PROBLEMS:
            return
        # A field too many: a separator or quote inside a text field (a shorter line fits).
        params: dict[str, Any] = {"line": line, "found": found, "expected": self.width}
        self.findings.append(_file_finding("FILE_FIELD_COUNT", **params))

    def _line_with_a_break(self, row: list[str], line: int) -> None:
        """R2 (stop 47 chars3): a line whose quoted cell spans lines of the file. A
        description keeps its line break (Alt+Enter); in claim_ref, a code or a reference
        it refuses the line (before: claim "R\\n1" invoiced), as in a name."""
        invisible, self.invisible = self.invisible, True
        parse_line = self._line_parser()
        self.invisible = invisible
        parse_line(row, line)

    def _line_parser(self) -> Any:
        """What reads a line of the header's width: a plain file's lines go straight to
        _line; one with a NUL, an invisible character or a "+" pays for looking (#18)."""
        parse_line = self._character_parser()
        if not self.exponents:
            return parse_line
        self.number_columns = self.number_columns or [
            (index, name)
            for name, index in self.columns.items()
            if name in ("claim_ref", "patient_ref", "policy_number", "price_quote_ref")
        ]

        def line_without_lost_digits(row: list[str], line: int) -> None:
            if not self._digits_lost(row, line):
                parse_line(row, line)

        return line_without_lost_digits

    def _digits_lost(self, row: list[str], line: int) -> bool:
        """R3, R4, R40: Excel's General format shows a number of 12 digits or more as
        1,23457E+11 and saves it so in a CSV file: the claim or patient number has lost its
        last digits. Read as it is, it was another claim's reference (the next upload's
        line with it "already processed", never invoiced: R3) or merged two patients (R4).
        The line is refused naming the column and what to do; True when it was."""
        for index, field in self.number_columns:
            cell = row[index].strip()
            if _in_scientific_notation(cell):
                self._refuse_line("CSV_SCIENTIFIC_NOTATION", row, line, field, {"value": cell})
                return True
        return False

    def _character_parser(self) -> Any:
        """The line reader for the file's characters: _line, or one that first looks for a
        NUL or an invisible character."""
        if self.nul:
            # The cells of our columns only: one the file adds, which is ignored, is not
            # read, so what it holds refuses nothing (inputs57). Listed once.
            self.read_columns = self.read_columns or [
                index
                for name, index in self.columns.items()
                if name in KNOWN_COLUMNS and index < self.width
            ]
        if self.invisible:
            # Not a patient's or debtor's name, address or e-mail: their cells are judged
            # once per patient (_invisible_characters). Listed once, on the first line.
            self.own_columns = self.own_columns or [
                (index, name)
                for name, index in self.columns.items()
                if name in KNOWN_COLUMNS and name not in _PERSON_AND_DEBTOR and index < self.width
            ]
            return self._line_without_invisible
        return self._line_without_nul if self.nul else self._line

    def _line_without_invisible(self, row: list[str], line: int) -> None:
        """R3, R40 (stop 47 chars2): an invisible character (a zero width space, soft
        hyphen, BOM: characters.REMOVED) in a line's own columns, such as claim_ref,
        treatment_code, description, a date or an amount, is removed and said naming the
        field, as in a name (_invisible_characters, which keeps the person columns). Before,
        R1 with a U+200B inside was another claim than R1, so the file saved again without
        it was invoiced twice (R3), and V21 with a U+00AD another code for the coverage
        rules. Said once per column and cell text (a description repeats on many lines).

        R2, R36 (stop 47 chars3): a control character (BEL, ESC, TAB, a C1 control) or a
        bidirectional override, embedding or isolate (U+202A-U+202E, U+2066-U+2069) there
        refuses the line with CSV_CONTROL_CHARACTER naming the field, as in a name: before,
        a description "Vulling <U+202E>00,05 €" was invoiced and read "€ 50,00" on the
        checker page and the PDF. A description keeps its line breaks (Alt+Enter) and the
        directional marks an Arabic text may need (characters.KEPT_IN_A_DESCRIPTION).

        #18 (b) (stop 48 chars4): a line whose every cell is printable has nothing to look
        for, one test for the line instead of one per column (a soft hyphen in one name
        sent every line of the file through the columns one by one)."""
        if not "".join(row).isprintable() and not self._own_cells_cleaned(row, line):
            return
        if self.nul:
            self._line_without_nul(row, line)
        else:
            self._line(row, line)

    def _own_cells_cleaned(self, row: list[str], line: int) -> bool:
        """The line's own cells without their invisible characters (said), or False when a
        control character refuses the line (said)."""
        for index, field in self.own_columns:
            cell = row[index]
            if cell.isprintable():
                continue
            removed, refused = _unprinted(
                cell, _KEPT_IN_A_DESCRIPTION if field == "description" else ""
            )
            if refused:
                self._refuse_for(refused, row, line, field)
                return False
            if removed:
                self._removed_from(index, cell, removed, row, line, field)
        return True

    def _removed_from(
        self, index: int, cell: str, removed: str, row: list[str], line: int, field: str
    ) -> None:
        row[index] = cleaned = cell.translate(_REMOVED_CHARACTERS)
        if (index, cleaned) not in self.invisible_said:
            self.invisible_said.add((index, cleaned))
            params = {"character": _character_name(removed)}
            self.findings.append(
                Finding(
                    "CSV_INVISIBLE_CHARACTER_REMOVED", Severity.WARNING, line, field, params=params
                )
            )

    def _refuse_for(self, character: str, row: list[str], line: int, field: str) -> None:
        """The line refused for ``character`` in ``field`` (R2: that line only)."""
        params = {"character": _character_name(character)}
        self._refuse_line("CSV_CONTROL_CHARACTER", row, line, field, params)

    def _refuse_line(
        self, code: str, row: list[str], line: int, field: str, params: dict[str, Any]
    ) -> None:
        """The line refused for its cell in ``field`` (R2: that line only), under its
        claim_ref unless the claim_ref is that cell (then it names no claim)."""
        claim_ref = row[self.claim_ref_index].strip() if self.claim_ref_index < len(row) else ""
        ref = None if field == "claim_ref" else claim_ref or None
        self.findings.append(Finding(code, Severity.CLAIM, line, field, ref, params))

    def _line_without_nul(self, row: list[str], line: int) -> None:
        """R2, R40 (names2): in a UTF-8 file that holds a NUL (0x00), a line with one is
        refused naming its field, as any control character in a name is; the file, text
        after all, goes on. Only such a file comes here: a plain one pays nothing (#18).
        A column the file adds is ignored with what it holds, a NUL too: before, a NUL in
        an "opmerking" refused its line (inputs57)."""
        column = next((index for index in self.read_columns if "\0" in row[index]), None)
        if column is None:
            self._line(row, line)
            return
        field = self.short_lines.names.get(column, str(column + 1))
        claim_ref = row[self.claim_ref_index].strip() if self.claim_ref_index < len(row) else ""
        params = {"character": _character_name("\0")}
        ref = None if "\0" in claim_ref else claim_ref or None
        self.findings.append(
            Finding("CSV_CONTROL_CHARACTER", Severity.CLAIM, line, field, ref, params)
        )

    def _line(self, row: list[str], line: int) -> None:
        """One treatment line -> a claim, or the findings that reject it.

        The hot path: a line of the same patient as the line before, with a treatment
        combination seen before, costs a tuple comparison, a dict lookup and a Claim."""
        row.append("")
        claim_ref, treatment_code, description, policy_number, price_quote_ref = map(
            str.strip, self.own_cells(row)
        )
        # NZa/Vektis codes are upper case: "c11" typed in a sheet is C11 for the coverage
        # rules and the insurer's share alike (R5, R40).
        treatment_code = treatment_code.upper()
        if claim_ref[:1] == "0":
            claim_ref = self._without_leading_zeros(claim_ref, line, "claim_ref")
        cells = self.patient_cells(row)
        # The hot path: a patient's lines usually follow each other.
        patient = (
            self.previous_patient
            if cells == self.previous_cells
            else self._other_patient(cells, line)
        )
        treatment_cells = self.treatment_cells(row)
        treatment = self.treatments.get(treatment_cells) or self._new_treatment(treatment_cells)
        # R3: provider + claim_ref identifies a claim, so the first line with it wins.
        first_line = self.first_of_claim_ref.setdefault(claim_ref, line) if claim_ref else 0
        if (
            first_line != line
            or patient.problems
            or treatment.problems
            or not treatment_code
            or not description
        ):
            if claim_ref.lower() in KNOWN_COLUMNS and self._is_a_header(row, line):
                return
            problems = _own_problems(claim_ref, first_line, line, treatment_code, description)
            self._reject(line, claim_ref, [*problems, *patient.problems, *treatment.problems])
            return
        # Positional: keyword arguments cost a third of a bare csv pass on 100,000 lines.
        self.claims.append(
            Claim(
                line,  # line_number
                claim_ref,
                patient.patient_ref,
                patient.bsn,
                patient.birth_date,  # type: ignore[arg-type]  # without problems: a date
                patient.person,  # patient
                patient.debtor,
                treatment.insurer_uzovi,
                policy_number,
                treatment.treatment_date,  # type: ignore[arg-type]
                treatment.treatment_start_date,
                treatment_code,
                description,
                treatment.line_type,
                treatment.quantity,
                treatment.unit_price_cents,
                price_quote_ref,
            )
        )

    def _is_a_header(self, row: list[str], line: int) -> bool:
        """R1, R2, R40: a header row among the lines, as when two exports (or the parts of
        one) were put one after the other in one file. The header row again is skipped,
        said once for the file (it was a line rejected with a finding for every column its
        names are no value of); one with its columns in another order refuses the file:
        the lines below it would be read under the wrong columns. Only a line rejected with
        a column's name in its claim_ref cell gets here: a plain file pays nothing."""
        names = [cell.strip(" \t\ufeff").lower() for cell in row[: self.width]]
        header = [self.short_lines.names.get(index, "") for index in range(self.width)]
        if names != header:
            known = sum(name in KNOWN_COLUMNS for name in names)
            if known < len(REQUIRED_COLUMNS):
                return False
            self.findings.append(_file_finding("FILE_HEADER_REPEATED_OTHER", line=line))
            return True
        # What reading it said already (an invisible BOM removed from its first cell).
        while self.findings and self.findings[-1].line == line:
            self.findings.pop()
        self.headers_repeated.append(line)
        return True

    def _reject(self, line: int, claim_ref: str, problems: list[_Problem]) -> None:
        self.findings.extend(
            Finding(p.code, Severity.CLAIM, line, p.field, claim_ref or None, p.params)
            for p in problems
        )

    def _without_leading_zeros(self, ref: str, line: int, field: str) -> str:
        """R3, R40: Excel saves the reference 000001 as 1, so an all-digit claim_ref or
        patient_ref is read without its leading zeros: the export and its copy re-saved in
        Excel are one claim and one patient. Said once for the file; a claim's marker an
        earlier upload wrote under the form as written is looked up too (ingest)."""
        canonical = canonical_reference(ref)
        if canonical == ref:
            return ref
        if field == "claim_ref":
            self.written_refs.setdefault(canonical, ref)
        if not self.zeros_dropped:
            self.zeros_dropped = True
            params = {"value": ref, "read_as": canonical}
            warning = Finding(
                "CSV_REFERENCE_LEADING_ZEROS", Severity.WARNING, line, field, params=params
            )
            self.findings.append(warning)
        return canonical

    def _new_treatment(self, cells: tuple[str, ...]) -> _Treatment:
        treatment = self.treatments[cells] = _new_treatment(cells, self.today, self.insurers)
        return treatment

    # --- The patient: checked when a patient_ref first appears or its columns change ---

    def _other_patient(self, cells: tuple[str, ...], line: int) -> _Patient:
        """The patient of a line whose patient columns differ from the line before: checked
        when these columns are new, and compared with the first line of its patient_ref."""
        # NUL never reaches here (_line_without_nul refuses its line), so the key is unambiguous;
        # one string per patient instead of 27 keeps the memory of a large file down.
        key = "\0".join(cells)
        patient = self.patients.get(key)
        if patient is None:
            patient = self.patients[key] = self._new_patient(cells, line)
        self.previous_cells, self.previous_patient = cells, patient
        return patient

    def _new_patient(self, cells: tuple[str, ...], line: int) -> _Patient:
        """Runs once per patient (41,701 times in the bench's 100,000 lines), so it is one
        frame: each check's usual case inline, its rare case in a function (#18)."""
        patient_ref, bsn_text, birth_date, *person_cells = map(str.strip, cells)
        if patient_ref[:1] == "0":
            patient_ref = self._without_leading_zeros(patient_ref, line, "patient_ref")
        problems: list[_Problem] = []
        # R36, R40 (names2): one C scan for the usual patient; the rare one with a character
        # that is not printed as itself (or a no-break space) gets the slow look.
        if not "".join(person_cells).isprintable():
            person_cells = self._invisible_characters(person_cells, line, problems)
        if not patient_ref:
            problems.append(_Problem("FIELD_REQUIRED", "patient_ref"))
        bsn = _valid_bsn(bsn_text) if bsn_text else ""
        if bsn is None:
            bsn = bsn_text  # the problem shows only its last digits (R29: no BSN in logs)
            problems.append(_Problem("BSN_INVALID", "bsn", {"last_digits": _last_digits(bsn_text)}))
        elif not bsn:
            problems.append(_Problem("FIELD_REQUIRED", "bsn"))
        birth = self.birth_dates[birth_date]
        if isinstance(birth, _Problem):
            problems.append(birth)
            birth = None
        person = _person(person_cells[:_PERSON_WIDTH], "", _DUTCH, problems)
        if not person.last_name:
            problems.append(_Problem("FIELD_REQUIRED", "last_name"))
        debtor_cells = person_cells[_PERSON_WIDTH:]
        debtor = None
        if any(_debtor_presence_cells(debtor_cells)):
            # Someone else pays (a parent, guardian or bewindvoerder): the invoice goes there,
            # in the patient's language unless told otherwise.
            debtor = _debtor(debtor_cells, person.language, problems)
        addressee = debtor or person
        if not (addressee.email or addressee.address.is_complete()):
            _not_deliverable(addressee, debtor is not None, problems)
        patient = _Patient(patient_ref, bsn, birth, person, debtor, tuple(problems))
        if not patient_ref or _has_control_character(problems):
            # A line refused for a control character is not the patient's first, nor in
            # conflict with it: the patient's other lines go on (R2).
            return patient
        first = self.first_of_patient.get(patient_ref)
        if first is not None:
            return _compared_with_first(patient, *first)
        self.first_of_patient[patient_ref] = (patient, line)
        if self.windows_1252 and "?" in "".join(person_cells):
            self._question_marks(person_cells, line)
        elif not "".join(person_cells).isascii():
            self._letters_not_printed(person_cells, line)
        if debtor is None and birth is not None and birth > self.adult_born_by:
            self.findings.append(
                Finding(
                    "MINOR_WITHOUT_DEBTOR",
                    Severity.WARNING,
                    line=line,
                    field=DEBTOR_PREFIX + "last_name",
                    params={"patient_ref": patient_ref},
                )
            )
        return patient

    def _invisible_characters(
        self, person_cells: list[str], line: int, problems: list[_Problem]
    ) -> list[str]:
        """A patient's or debtor's name, address or e-mail (R36: printed on the invoice, the
        letters and the checker page) with a character that is not printed as itself.
        Invisible and harmless (a zero width space, soft hyphen or word joiner pasted from
        a web page): removed, and said in a warning (R40). A control character (BEL, TAB,
        a line break, NUL) or a bidirectional control (a right-to-left override can make a
        name or an amount beside it read otherwise): the line is refused, naming it (R2)."""
        cleaned = list(person_cells)
        for position, cell in enumerate(person_cells):
            if cell.isprintable():
                continue
            prefix = DEBTOR_PREFIX if position >= _PERSON_WIDTH else ""
            field = prefix + PERSON_COLUMNS[position % _PERSON_WIDTH]
            removed, refused = _unprinted(cell)
            if refused:
                params = {"character": _character_name(refused)}
                problems.append(_Problem("CSV_CONTROL_CHARACTER", field, params))
            elif removed:
                cleaned[position] = cell.translate(_REMOVED_CHARACTERS).strip()
                params = {"character": _character_name(removed)}
                warning = Finding(
                    "CSV_INVISIBLE_CHARACTER_REMOVED", Severity.WARNING, line, field, params=params
                )
                self.findings.append(warning)
        return cleaned

    def _question_marks(self, person_cells: list[str], line: int) -> None:
        """R40 (say what was repaired): in a file Excel saved as Windows-1252, a letter
        that encoding lacks (Ł, ő, ș) was written as "?": named where it is, so the name or
        address is corrected before the letter goes out."""
        for offset, prefix in ((0, ""), (_PERSON_WIDTH, DEBTOR_PREFIX)):
            for index, column in _LETTER_COLUMNS:
                if "?" in person_cells[offset + index]:
                    self._letter_as_question_mark(line, prefix + column)

    def _letters_not_printed(self, person_cells: list[str], line: int) -> None:
        """R36, R40: a name or address with a letter the invoice's and letters' font lacks
        (Chinese characters: audit pdf5, the addressee printed as "S. van der"), named on
        the patient's first line, so it is written in Latin letters before a letter goes
        out. The line is invoiced: the e-mail and the checker show the name as sent."""
        for offset, prefix in ((0, ""), (_PERSON_WIDTH, DEBTOR_PREFIX)):
            for index, column in _LETTER_COLUMNS:
                character = _not_printed(person_cells[offset + index])
                if character:
                    params = {"character": _character_name(character)}
                    self.findings.append(
                        Finding(
                            "CSV_LETTER_NOT_PRINTED",
                            Severity.WARNING,
                            line,
                            prefix + column,
                            params=params,
                        )
                    )

    def _descriptions_with_question_marks(self) -> None:
        """The same for what the patient reads on the invoice line, once per description
        (on its first line): a practice's own text is repeated on many lines. After the
        pass, and only for a Windows-1252 file, so the hot path pays nothing (#18)."""
        seen: set[str] = set()
        for claim in self.claims:
            description = claim.description
            if "?" in description and description not in seen:
                seen.add(description)
                self._letter_as_question_mark(claim.line_number, "description")

    def _letter_as_question_mark(self, line: int, field: str) -> None:
        warning = Finding("CSV_LETTER_AS_QUESTION_MARK", Severity.WARNING, line, field)
        self.findings.append(warning)


# --- Field checks: pure functions of the text ---


def _spreadsheet_column(index: int) -> str:
    """The 0-based ``index``'s column as a spreadsheet names it: 0 A, 25 Z, 26 AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _in_scientific_notation(cell: str) -> bool:
    """1,23457E+11, 1.23457E+11 or 1E+11: a number as Excel's General format saves one of
    12 digits or more (its Dutch decimal comma, or a point)."""
    mantissa, exponent_sign, exponent = cell.partition("E+")
    digits = mantissa.replace(",", "", 1).replace(".", "", 1)
    return (
        bool(exponent_sign)
        and (exponent + digits).isascii()
        and exponent.isdigit()
        and digits.isdigit()
    )


def _has_control_character(problems: list[_Problem]) -> bool:
    return bool(problems) and any(p.code == "CSV_CONTROL_CHARACTER" for p in problems)


def _is_blank(row: list[str]) -> bool:
    return not "".join(row).strip()


def _own_problems(
    claim_ref: str, first_line: int, line: int, treatment_code: str, description: str
) -> list[_Problem]:
    """The problems in a line's own free-text columns; first_line: where claim_ref first was."""
    problems: list[_Problem] = []
    if not claim_ref:
        problems.append(_Problem("FIELD_REQUIRED", "claim_ref"))
    elif first_line != line:
        params = {"claim_ref": claim_ref, "first_line": first_line}
        problems.append(_Problem("CLAIM_REF_DUPLICATE", "claim_ref", params))
    if not treatment_code:
        problems.append(_Problem("FIELD_REQUIRED", "treatment_code"))
    if not description:
        problems.append(_Problem("FIELD_REQUIRED", "description"))
    return problems


def _new_treatment(cells: tuple[str, ...], today: date, insurers: InsurerRegisters) -> _Treatment:
    uzovi, treatment_date, start_date, line_type, quantity, unit_price = cells
    problems: list[_Problem] = []
    end = _unless_problem(_date(treatment_date, "treatment_date", today, True), problems)
    start = _unless_problem(_date(start_date, "treatment_start_date", today, False), problems)
    if start and end and start > end:
        problems.append(_Problem("START_AFTER_END", "treatment_start_date"))
    # The insurer of the treatment's start date (legal-nl.md §6), in the register then.
    register_day = start or end or today
    return _Treatment(
        insurer_uzovi=_unless_problem(_uzovi(uzovi, insurers, register_day), problems),
        treatment_date=end,
        treatment_start_date=start,
        line_type=_unless_problem(_line_type(line_type), problems),
        quantity=_unless_problem(_quantity(quantity), problems),
        unit_price_cents=_unless_problem(_unit_price(unit_price), problems),
        problems=tuple(problems),
    )


def _unless_problem(value: Any, problems: list[_Problem]) -> Any:
    """The checks return either the parsed value or the problem with the text."""
    if type(value) is _Problem:
        problems.append(value)
        return None
    return value


def _uzovi(raw: str, insurers: InsurerRegisters, day: date) -> str | _Problem:
    """A well-formed code zorgnota's register lacks is not the practice's typing error:
    the finding says so and names the register version (R33)."""
    code = raw.strip()
    if not code:
        return _Problem("FIELD_REQUIRED", "insurer_uzovi")
    code = zero_put_back(code, 4)  # a spreadsheet drops the leading zero of 0101 or 0736
    if not (len(code) == 4 and code.isascii() and code.isdigit()):
        return _Problem("UZOVI_INVALID", "insurer_uzovi", {"value": code})
    register = insurers.in_force(day)
    if not register.is_known(code):
        params = {"value": code, "version": register.version}
        return _Problem("UZOVI_UNKNOWN", "insurer_uzovi", params)
    return code


def _parse_date(text: str) -> date | None:
    """YYYY-MM-DD, or D-M-YYYY and DD-MM-YYYY as Dutch Excel saves a date (R40). Not
    date.fromisoformat: it would also take 20261103 or 2026-W45."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        year, month, day = text[:4], text[5:7], text[8:]
    else:
        parts = text.split("-")
        if len(parts) != 3:
            return None
        day, month, year = parts
        if not (1 <= len(day) <= 2 and 1 <= len(month) <= 2 and len(year) == 4):
            return None
    digits = year + month + day
    if not (digits.isascii() and digits.isdigit()):
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _date(raw: str, field: str, today: date, required: bool) -> date | _Problem | None:
    text = raw.strip()
    if not text:
        return _Problem("FIELD_REQUIRED", field) if required else None
    parsed = _parse_date(text)
    if parsed is None:
        if " " in text:
            return _date_with_a_time(text, field, today)
        return _not_a_date(text, text, field)
    if parsed > today:
        return _Problem("CSV_DATE_IN_FUTURE", field, {"value": text})
    return parsed


def _not_a_date(text: str, day: str, field: str) -> _Problem:
    """``text`` as no date; ``day``: its part that should be one."""
    # R40: Excel with a short date format of the year in two digits saves 1-3-26; which
    # century it means (1926 or 2026 for a birth date) the reader cannot tell: said so.
    said = {"said_as": "CSV_DATE_TWO_DIGIT_YEAR"} if _has_two_digit_year(day) else {}
    return _Problem("CSV_DATE_INVALID", field, {"value": text, **said})


def _date_with_a_time(text: str, field: str, today: date) -> date | _Problem:
    """R40: Excel saves a cell of a "datum/tijd" format as 1-3-2026 00:00. A date and
    midnight (Excel's date without a time) is that date; another time means the column
    holds times, and which day is meant is the practice's to say: said so."""
    day, _, time = text.partition(" ")
    time = time.strip()
    parsed = _parse_date(day)
    if parsed is None or not _is_a_time(time):
        return _not_a_date(text, day, field)
    if time not in ("00:00", "0:00", "00:00:00", "0:00:00"):
        return _Problem("CSV_DATE_INVALID", field, {"value": text, "said_as": "CSV_DATE_WITH_TIME"})
    if parsed > today:
        return _Problem("CSV_DATE_IN_FUTURE", field, {"value": text})
    return parsed


def _is_a_time(text: str) -> bool:
    """H:MM or H:MM:SS (hours 0-23), as Excel saves the time of a date."""
    hours, *rest = text.split(":")
    digits = hours + "".join(rest)
    return (
        1 <= len(rest) <= 2
        and 1 <= len(hours) <= 2
        and all(len(part) == 2 and part < "60" for part in rest)
        and digits.isascii()
        and digits.isdigit()
        and int(hours) < 24
    )


def _has_two_digit_year(text: str) -> bool:
    """D-M-YY or DD-MM-YY, as Excel saves a date whose format shows the year in two digits."""
    parts = text.split("-")
    return (
        len(parts) == 3
        and 1 <= len(parts[0]) <= 2
        and 1 <= len(parts[1]) <= 2
        and len(parts[2]) == 2
        and text.replace("-", "").isascii()
        and text.replace("-", "").isdigit()
    )


def _birth_date(raw: str, today: date) -> date | _Problem | None:
    parsed = _date(raw, "birth_date", today, required=True)
    if isinstance(parsed, date) and parsed.year < 1900:
        return _Problem("CSV_DATE_INVALID", "birth_date", {"value": raw.strip()})
    return parsed


def _line_type(raw: str) -> LineType | _Problem:
    line_type = _LINE_TYPES.get(raw.strip().lower())
    if line_type is None:
        return _Problem("LINE_TYPE_UNKNOWN", "line_type", {"value": raw.strip()})
    return line_type


def _quantity(raw: str) -> int | _Problem:
    text = raw.strip()
    if not text:
        return 1
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_QUANTITY:
        return int(text)
    return _Problem("QUANTITY_INVALID", "quantity", {"value": text, "maximum": MAX_QUANTITY})


def _unit_price(raw: str) -> int | _Problem:
    """Cents; negative on a credit line (quantity stays positive, the amount goes negative)."""
    text = raw.strip()
    if not text:
        return _Problem("FIELD_REQUIRED", "unit_price")
    try:
        cents = parse_sheet_euros(text)
    except AmountFormatError:
        code, space = _amount_problem(text)
        params = {"value": text, "character": space} if space else {"value": text}
        return _Problem(code, "unit_price", params)
    if cents == 0:
        return _Problem("AMOUNT_ZERO", "unit_price")
    return cents


def _amount_problem(text: str) -> tuple[str, str]:
    """Digits with dots and commas that are no amount ("1.234", "1.23,4", "1,234.56"):
    which mark groups thousands and which starts the cents is unclear; the finding says
    how to write it. Digits a space groups ("1<NO-BREAK SPACE>250,00", as a French or
    Polish sheet or a copied PDF writes them): the space is named, which the practice
    cannot see (R40, stop 48 chars4; the reader takes only the grouping Dutch Excel
    writes). Anything else is not an amount at all. The code, and the space named."""
    space = next((character for character in text if character.isspace()), "")
    if space and not "".join(text.split()).lstrip("+-").strip("0123456789.,"):
        return "AMOUNT_SPACE_INSIDE", _character_name(space)
    if "." in text and not text.lstrip("+-").strip("0123456789.,"):
        return "AMOUNT_GROUPING_UNCLEAR", ""
    return "AMOUNT_INVALID", ""


def _valid_bsn(text: str) -> str | None:
    """The normalised 9-digit BSN, or None when the text is not one."""
    if len(text) == 9 and text.isascii() and text.isdigit():
        # The usual case, without the character cleaning that makes validate() cost 5 µs.
        return text if int(text) > 0 and passes_bsn_11_proof(text) else None
    # Eight digits is a BSN whose leading zero a spreadsheet dropped; fewer is not one.
    if len(text.replace(" ", "").replace("-", "").replace(".", "")) < 8:
        return None
    try:
        return stdnum_bsn.validate(text)
    except ValidationError:
        return None


def _last_digits(text: str) -> str:
    digits = "".join(character for character in text if character.isdigit())
    return digits[-3:] if len(digits) >= 8 else "-"


def _person(
    cells: list[str], prefix: str, default_language: Language, problems: list[_Problem]
) -> Person:
    """A Person from the PERSON_COLUMNS cells (stripped), patient or debtor_ ones."""
    (
        initials,
        name_prefix,
        last_name,
        street,
        house_number,
        house_number_suffix,
        postcode,
        city,
        country,
        email,
        mobile,
        language_code,
    ) = cells
    # Once per patient: the usual case of each check inline, the rest in a function (#18).
    if country == "NL" or not country:
        country = "NL"
    else:
        country = _country(country, prefix + "country", problems)
    if postcode and country == "NL":
        normalised = dutch_postcode(postcode)
        if normalised is None:
            problems.append(_Problem("POSTCODE_INVALID", prefix + "postcode"))
        else:
            postcode = normalised
    if email and not is_plausible_email(email):
        problems.append(_Problem("EMAIL_INVALID", prefix + "email"))
    # Excel writes a date with "-" (or "/": 11/3/2026); a suffix is mostly empty, which is
    # cheaper to test.
    if (
        "-" in house_number
        or "/" in house_number
        or (house_number_suffix and ("-" in house_number_suffix or "/" in house_number_suffix))
    ):
        _check_house_number_dates(house_number, house_number_suffix, prefix, problems)
    if mobile[:1] == "6":
        mobile = zero_put_back(mobile, 10, "6")  # a Dutch mobile number: 06 12345678
    # One set operation for the usual names; the full check only when one might be a formula.
    if not _FORMULA_FIRST.isdisjoint((initials[:1], name_prefix[:1], last_name[:1])):
        _check_name_formulas(initials, name_prefix, last_name, prefix, problems)
    address = Address(street, house_number, house_number_suffix, postcode, city, country)
    language = _LANGUAGES.get(language_code) if language_code else default_language
    if language is None:
        language = _language(language_code, prefix + "language", default_language, problems)
    return Person(initials, name_prefix, last_name, address, email, mobile, language)


def _check_house_number_dates(
    house_number: str, suffix: str, prefix: str, problems: list[_Problem]
) -> None:
    """R40, R2: Excel takes a house number typed as 3-11 or 11-3 for a date and saves it
    as 3-nov, 11-mrt or 3-11-2026; which number (3-11, 3/11, 3 with suffix 11) the
    practice typed cannot be told back, and a letter to a made-up number goes astray:
    the patient's lines are refused, naming the column (no value: an address, R29)."""
    for column, text in (("house_number", house_number), ("house_number_suffix", suffix)):
        if _is_excel_date(text):
            problems.append(_Problem("CSV_HOUSE_NUMBER_AS_DATE", prefix + column))


def _is_excel_date(text: str) -> bool:
    """A date as Dutch (or English) Excel saves a cell it took for one: 3-nov and 11-mrt
    (its format d-mmm), nov-11 (mmm-jj: 11-2011 typed), 3-11-2026 (its short date) or
    11/3/2026 (a short date with slashes, day or month first)."""
    if "/" in text:
        return _is_slashed_date(text)
    parts = text.split("-")
    if len(parts) == 3:
        return _parse_date(text) is not None
    if len(parts) != 2:
        return False
    first, second = (part.strip().rstrip(".").lower() for part in parts)
    day_first = first.isdigit()
    number, month = (first, second) if day_first else (second, first)
    # Dutch Excel's month abbreviations (mrt, mei, okt), and an English one's.
    months = ("jan", "feb", "mrt", "mar", "apr", "mei", "may", "jun", "jul", "aug", "sep", "okt", "oct", "nov", "dec")  # fmt: skip
    return (
        month in months
        and number.isascii()
        and number.isdigit()
        and len(number) <= 2
        and (not day_first or 1 <= int(number) <= 31)
    )


def _is_slashed_date(text: str) -> bool:
    """D/M/YYYY or M/D/YYYY (an English Excel's short date) that is a day in either
    order. Only with its four-digit year: 3/11 or 1/2 may be a house number as typed."""
    parts = text.strip().split("/")
    if len(parts) != 3 or len(parts[2]) != 4 or not all(1 <= len(part) <= 2 for part in parts[:2]):
        return False
    if not ("".join(parts).isascii() and "".join(parts).isdigit()):
        return False
    first, second, year = map(int, parts)
    return any(_is_a_day(year, month, day) for month, day in ((second, first), (first, second)))


def _is_a_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _check_name_formulas(
    initials: str, name_prefix: str, last_name: str, prefix: str, problems: list[_Problem]
) -> None:
    for name, text in (
        ("initials", initials),
        ("name_prefix", name_prefix),
        ("last_name", last_name),
    ):
        if starts_a_formula(text):
            problems.append(_Problem("NAME_FORMULA", prefix + name))


def _debtor(cells: list[str], patient_language: Language, problems: list[_Problem]) -> Person:
    """The debtor of a line with debtor_ cells (_debtor_presence_cells)."""
    if not cells[_LAST_NAME_INDEX]:
        problems.append(_Problem("DEBTOR_INCOMPLETE", DEBTOR_PREFIX + "last_name"))
    return _person(cells, DEBTOR_PREFIX, patient_language, problems)


def _country(text: str, field: str, problems: list[_Problem]) -> str:
    """A country other than NL's usual spellings (the caller's fast path)."""
    country = text.upper()
    country = _COUNTRY_ALIASES.get(country, country)
    if len(country) != 2 or not (country.isascii() and country.isalpha()):
        problems.append(_Problem("COUNTRY_INVALID", field))
    return country


def _language(text: str, field: str, default: Language, problems: list[_Problem]) -> Language:
    """A language code not written as the caller's fast path expects (lower case)."""
    language = _LANGUAGES.get(text.lower())
    if language is None:
        problems.append(_Problem("LANGUAGE_UNKNOWN", field, {"value": text}))
        return default
    return language


def _not_deliverable(addressee: Person, is_debtor: bool, problems: list[_Problem]) -> None:
    """R7: an invoice goes by e-mail or, without one, by post: neither works for addressee."""
    prefix = DEBTOR_PREFIX if is_debtor else ""
    missing = [prefix + c for c in POSTAL_COLUMNS if not getattr(addressee.address, c)]
    params = {
        "addressee_nl": "de debiteur" if is_debtor else "de patiënt",
        "addressee_en": "the debtor" if is_debtor else "the patient",
        "missing": _listed(missing),
    }
    problems.append(_Problem("NOT_DELIVERABLE", prefix + "email", params))


def _compared_with_first(patient: _Patient, first: _Patient, first_line: int) -> _Patient:
    """R4 makes one invoice per patient, addressed from its first line: the other lines of
    that patient must agree with it, or an invoice could go to the wrong address."""
    field = _first_difference(first, patient)
    if field is None:
        return patient
    params = {"patient_ref": patient.patient_ref, "first_line": first_line}
    conflict = _Problem("PATIENT_DATA_CONFLICT", field, params)
    return _Patient(
        patient.patient_ref,
        patient.bsn,
        patient.birth_date,
        patient.person,
        patient.debtor,
        (*patient.problems, conflict),
    )


def _first_difference(first: _Patient, other: _Patient) -> str | None:
    """The first column in which two lines of a patient disagree on who it is or where the
    invoice goes. Mobile number and language may differ: the first line's are used."""
    if first.bsn != other.bsn:
        return "bsn"
    if first.birth_date != other.birth_date:
        return "birth_date"
    return _person_difference(first.person, other.person, "") or _person_difference(
        first.debtor or _NOBODY, other.debtor or _NOBODY, DEBTOR_PREFIX
    )


def _person_difference(first: Person, other: Person, prefix: str) -> str | None:
    for column in _IDENTITY_COLUMNS:
        if _person_value(first, column) != _person_value(other, column):
            return prefix + column
    return None


def _person_value(person: Person, column: str) -> str:
    if column in _ADDRESS_COLUMNS:
        return getattr(person.address, column)  # type: ignore[no-any-return]
    return getattr(person, column)  # type: ignore[no-any-return]
