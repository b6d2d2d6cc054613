"""Vektis EI bytes -> lines, as practices really send them (vektis.md "Files as practices
really send them"; issue 15). No layouts here: the router (formats.py) asks it whether
a file is Vektis at all without paying for the EI tables.

The standard: one byte per character (ASCII or ISO-8859-1), every record followed by CR
LF. What real exports and editors make of that, and what becomes of it here:

- UTF-16 or EBCDIC: refused, naming the encoding (UTF-8 accents: reader.py's own message);
- Windows-1252 bytes (0x80-0x9F: a curly apostrophe, a euro sign), control characters
  in ISO-8859-1: decoded as Windows-1252, one byte still one character (the reader says
  where); any other control character is refused by the reader with its line and field;
- a DOS end-of-file byte (0x1A) or NUL padding after the last record: dropped, and said;
- blank lines, spaces, tabs or other blanks (a CR, a no-break space, said by name) before
  the 01 record: dropped, and said; line numbers stay those
  of the file (``Lines.first_line``);
- a tab typed among or over the header's first five characters: still a Vektis file (not
  a CSV with a tab as separator), the reader names the tab (``tab_in_header``);
- LF-only line ends (a Unix transfer): read as they are; CR-only (old Mac) or CR CR LF
  (CRLF converted twice): read as line ends, and said once.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from billing_core.declarations.findings import Finding, Severity

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16 = ("utf-16", "utf-16-le", "utf-16-be")  # with a byte order mark, or without one
# Record type 01 and a message code: the start of every EI file, after any blank lines.
_HEADER = re.compile(r"\s*01[0-9]{3}")
_SNIFFED = 64  # bytes enough to see the header through leading blank lines
_END_PADDING = b"\x1a\x00\r\n"  # DOS end-of-file, NUL, and the line ends between them
# Control characters: C0 other than LF and CR, DEL, and C1, where ISO-8859-1 has no
# characters; Windows-1252 has curly quotes, the euro sign and letters at 0x80-0x9F but five.
CONTROL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What one translate over the file deletes: every byte but the control characters, CR
# and LF (printable ASCII and ISO-8859-1's letters; CONTROL's complement, written out:
# testing 256 characters against it cost a cold start 0.1% of `import boto3`, #18).
# What it keeps is a few bytes per record, enough to count the line ends and to see any
# control character without another pass over the file.
_TEXT = bytes(range(0x20, 0x7F)) + bytes(range(0xA0, 0x100))
_NOT_IN_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")
_C1_LETTERS = frozenset(range(0x80, 0xA0)) - _NOT_IN_CP1252


@cache
def windows_1252_letters() -> re.Pattern[str]:
    """The letters Windows-1252 has at 0x80-0x9F (a curly quote, the euro sign)."""
    # Compiled on the rare file that has them: 0.6% of `import boto3` at a cold start (#18).
    return re.compile(f"[{re.escape(bytes(_C1_LETTERS).decode('cp1252'))}]")


def vektis_encoding(data: bytes) -> str | None:
    """The encoding a Vektis EI file is in, judged by its header record: "ISO-8859-1"
    (ASCII included), "UTF-16" or "EBCDIC"; None when it is no Vektis file."""
    head = data.removeprefix(_UTF8_BOM)[: _SNIFFED + len(_UTF8_BOM)]
    head = _without_bom_after_blanks(head)[:_SNIFFED]
    text = head.decode("latin-1")
    if _HEADER.match(text) or ("\t" in text and tab_in_header(_first_non_blank(text))):
        return "ISO-8859-1"
    even = head[: len(head) // 2 * 2]
    if any(_HEADER.match(even.decode(codec, errors="replace")) for codec in _UTF16):
        return "UTF-16"
    if _HEADER.match(head.decode("cp500")):
        return "EBCDIC"
    return None


def _without_bom_after_blanks(data: bytes) -> bytes:
    """A UTF-8 BOM after the blank lines or spaces before the 01 record (an editor that
    joined an empty line and a file saved with one) dropped, as the one a file starts
    with: read as ISO-8859-1 its three bytes are letters before the record type
    (csvcols56: the file was read as a CSV of "unknown column 1"). The caller says it
    (_drop_leading_blanks)."""
    head = data[:_SNIFFED]
    start = len(head) - len(head.lstrip())
    if start and data.startswith(_UTF8_BOM, start):
        return data[:start] + data[start + len(_UTF8_BOM) :]
    return data


def _without_boms_before_later_headers(data: bytes) -> bytes:
    """The file without each UTF-8 BOM before a later header record, at its line's start
    or right after the 99 on the trailer's line (two exports, each saved with a BOM,
    joined into one upload): to judge whether the file is UTF-8 without them. They make
    an ASCII file UTF-8, which was refused so on the second header's line (VEKTIS_UTF8),
    where the cause is the second file; the reader names it (_header_after_a_bom; R2,
    R40, inputs57). A BOM anywhere else counts, for VEKTIS_UTF8 to name its line."""
    if _UTF8_BOM not in data:
        return data
    parts = data.split(_UTF8_BOM)
    kept = [parts[0]]
    for part in parts[1:]:
        before = kept[-1]
        line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
        at_a_record_start = before[-1:] in (b"\n", b"\r") or before.startswith(b"99", line_start)
        header = part[:2] == b"01" and part[2:5].isdigit()
        kept.append(part if header and at_a_record_start else _UTF8_BOM + part)
    return b"".join(kept)


def tab_in_header(line: str) -> bool:
    """A header record with a tab typed among or over its first five characters, the
    record type 01 and the message code (after any spaces before it): a Vektis file, its
    reader names the tab (R40; vektisedge55: it was read as a CSV with a tab as separator).
    Only digits besides the tab there, 0 and 1 where they stand: a CSV's first line
    is its column names."""
    start = line.lstrip(" ")[:5]
    record_type = start[:1] in ("0", "\t") and start[1:2] in ("1", "\t")
    return record_type and "\t" in start and start.replace("\t", "").isdecimal()


def _first_non_blank(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


@dataclass(slots=True)
class Lines:
    """The records of a file, without line ends, and what was repaired to get them."""

    lines: list[str] = field(default_factory=list)
    first_line: int = 1  # the file's line number of lines[0] (after leading blank lines)
    repairs: list[Finding] = field(default_factory=list)  # warnings: what was repaired
    problem: Finding | None = None  # refuses the file
    windows_1252: bool = False  # some bytes were read as Windows-1252 (the reader says where)
    control: bool = False  # a control character is left (the reader refuses it, saying where)
    # A CR alone is left inside a line, among CR LF or LF line ends: the reader, knowing
    # the record length, reads it as a line end where it ends a record (split_at_lone_cr).
    lone_cr: bool = False


def to_lines(data: bytes) -> Lines:
    """Bytes -> records, or the one problem that refuses the file."""
    data = data.removeprefix(_UTF8_BOM)
    encoding = vektis_encoding(data)
    without_bom = _without_bom_after_blanks(data)
    late_bom = "\ufeff" if len(without_bom) < len(data) else ""
    data = without_bom
    if encoding in ("UTF-16", "EBCDIC"):
        return Lines(problem=_refusal("VEKTIS_FOREIGN_ENCODING", encoding=encoding))
    repairs: list[Finding] = []
    data = without_end_padding(data, "VEKTIS_END_PADDING", repairs)
    if not data or data.isspace():
        return Lines(problem=_refusal("FILE_EMPTY"))
    utf8 = _utf8_line(data)
    if utf8 is not None:
        # Only a file that is UTF-8 pays for looking: a BOM's bytes make an ASCII one so.
        utf8 = _utf8_line(_without_boms_before_later_headers(data))
    if utf8 is not None:
        return Lines(problem=_refusal("VEKTIS_UTF8", line=utf8))
    line_ends = _LineEnds(data.translate(None, _TEXT))
    controls = line_ends.controls
    windows_1252 = any(byte >= 0x80 for byte in controls - _NOT_IN_CP1252)
    # Windows-1252 agrees with ISO-8859-1 on every byte but these: one byte, one character.
    text = data.decode("cp1252" if windows_1252 else "latin-1", errors="vektis_keep_byte")
    lines, lone_cr = _split(text, repairs, line_ends)
    first_line = _drop_leading_blanks(lines, repairs, late_bom)
    control = bool(controls - (_C1_LETTERS if windows_1252 else frozenset()))
    return Lines(lines, first_line, repairs, None, windows_1252, control, lone_cr)


def without_end_padding(data: bytes, code: str, repairs: list[Finding]) -> bytes:
    """A DOS end-of-file byte or NUL padding after the last record (or CSV line) is no
    part of it: dropped, with the line ends between them, and said in a warning ``code``
    (the CSV reader shares this: one way for both formats)."""
    end = len(data)
    while end and data[end - 1] in _END_PADDING:  # only the tail: no copy of the file
        end -= 1
    dropped = data[end:]
    eof, nul = b"\x1a" in dropped, b"\x00" in dropped
    if not (eof or nul):
        return data
    what = [(eof, "een DOS-eindeteken (0x1A)", "a DOS end-of-file byte (0x1A)")]
    what.append((nul, "NUL-tekens (0x00)", "NUL bytes (0x00)"))
    dutch = " en ".join(nl for present, nl, _ in what if present)
    english = " and ".join(en for present, _, en in what if present)
    repairs.append(_repair(code, what_nl=dutch, what_en=english))
    return data[:end]


def _utf8_line(data: bytes) -> int | None:
    """The line of the first accent when the file is (non-ASCII) UTF-8, else None."""
    if data.isascii():
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None  # ISO-8859-1 accents are not valid UTF-8
    first = next(i for i, byte in enumerate(data) if byte > 0x7F)
    # Imported here: only a file refused as UTF-8 counts its lines so (#18 (d)).
    from billing_core.shared.spreadsheet import line_of

    return line_of(data, first)


def _keep_byte(error: UnicodeError) -> tuple[str, int]:
    """A byte Windows-1252 lacks stays its ISO-8859-1 control character, to be refused."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("vektis_keep_byte", _keep_byte)


@dataclass(frozen=True, slots=True)
class _LineEnds:
    """The control characters, CRs and LFs of a file, in order: all its bytes that are
    no text (a few per record)."""

    kept: bytes

    @property
    def controls(self) -> frozenset[int]:
        if self.kept.count(b"\r") + self.kept.count(b"\n") == len(self.kept):
            return frozenset()  # the usual file: line ends only
        return frozenset(self.kept.translate(None, b"\r\n"))

    def only_crlf(self, crlf: int) -> bool:
        """As many CRs and LFs as the CRLFs a split found: nothing to repair."""
        return self.kept.count(b"\n") == crlf == self.kept.count(b"\r")


def _split(text: str, repairs: list[Finding], line_ends: _LineEnds) -> tuple[list[str], bool]:
    """Records without their line ends; blank lines after the last record are ignored.
    And whether a CR alone is left in a line (Lines.lone_cr).

    Not str.splitlines: it also splits on NEL (0x85), a letter-free ISO-8859-1 byte, and
    on form feeds; a record ends at a line end and nowhere else."""
    lines = text.split("\r\n")  # the standard: every line end a CRLF
    crlf = len(lines) - 1  # counted by the split itself: one pass over the file fewer
    # Counted in the line ends the translate kept, not in the text: a pass fewer each.
    if crlf and line_ends.only_crlf(crlf):
        return _without_trailing_blanks(lines), False
    text = _with_lf_line_ends(text, repairs)
    lines = text.split("\r\n")
    crlf = len(lines) - 1
    if not crlf or crlf != text.count("\n"):
        lines = text.replace("\r\n", "\n").split("\n")
    lone_cr = "\r" in text and text.count("\r") != crlf  # a CR not before an LF
    return _without_trailing_blanks(lines), lone_cr


def _without_trailing_blanks(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _with_lf_line_ends(text: str, repairs: list[Finding]) -> str:
    """CR-only (old Mac) and CR CR LF (CRLF converted twice) line ends as LF, said once;
    CRLF and LF stay as they are."""
    if "\n" not in text and "\r" in text:
        repairs.append(
            _line_ends("alleen CR (oude Mac-regeleinden)", "CR only (old Mac line ends)")
        )
        return text.replace("\r", "\n")
    if "\r\r\n" in text:
        repairs.append(_line_ends("CR CR LF (twee keer omgezet)", "CR CR LF (converted twice)"))
        return text.replace("\r\r\n", "\n")
    return text


def _drop_leading_blanks(lines: list[str], repairs: list[Finding], dropped: str = "") -> int:
    """Blank lines, spaces and tabs before the 01 record: dropped, and said, with what was
    ``dropped`` among them already (a BOM). Returns the line number of the first record."""
    blank = 0
    while blank < len(lines) and not lines[blank].strip():
        blank += 1
    if blank == len(lines):
        return 1
    first = lines[blank]
    if _HEADER.match(first):
        record = first.lstrip()
    elif tab_in_header(first):
        record = first.lstrip(" ")  # the tab is the record's, for the reader to name
    else:
        return 1
    indented = first[: len(first) - len(record)]
    if not (blank or indented):
        return 1
    del lines[:blank]
    lines[0] = record
    # R40 (vektisleft55): a tab is said as a tab, not counted among the spaces; (csvcols56)
    # any other blank (a CR, a vertical tab, a no-break space) by its name.
    tabs, spaces = indented.count("\t"), indented.count(" ")
    params: dict[str, Any] = {"blank_lines": blank, "spaces": spaces, "tabs": tabs}
    others = dropped + indented.replace("\t", "").replace(" ", "")
    if others:
        params.update(said_as="VEKTIS_LEADING_BLANK_OTHERS", others=_counted_characters(others))
    repairs.append(_repair("VEKTIS_LEADING_BLANK", **params))
    return blank + 1


def _counted_characters(text: str) -> str:
    """Each character of ``text`` by its name, how often it occurs before it (2, U+00A0 ...)."""
    from billing_core.declarations.characters import character_name  # the rare file only

    return ", ".join(
        f"{text.count(character)} × {character_name(character)}"
        for character in dict.fromkeys(text)
    )


def lone_cr_line_ends() -> Finding:
    """Said when a CR alone ended some records among CR LF or LF line ends (reader.py)."""
    return _line_ends(
        "alleen CR (oude Mac-regeleinden) op sommige regels",
        "CR only (old Mac line ends) on some lines",
    )


def _line_ends(dutch: str, english: str) -> Finding:
    return _repair("VEKTIS_LINE_ENDS", kind_nl=dutch, kind_en=english)


def _repair(code: str, **params: Any) -> Finding:
    return Finding(code, Severity.WARNING, params=params)


def _refusal(code: str, line: int | None = None, **params: Any) -> Finding:
    return Finding(code, Severity.FILE, line=line, params=params)


# What a file that is no Vektis file is, by its first bytes: for a message that says so.
# Each a format no declaration is (neither CSV nor Vektis): the declaration path refuses
# it by these bytes too (foreign_format), not as a CSV of unknown columns (portal51b).
_MAGIC = (
    (b"%PDF", ("een PDF-document", "a PDF document")),
    (b"PK\x03\x04", ("een ZIP- of Excel-bestand (.xlsx)", "a ZIP or Excel file (.xlsx)")),
    (b"\xd0\xcf\x11\xe0", ("een Excel- of Word-bestand (.xls, .doc)", "an Excel or Word file (.xls, .doc)")),
    (b"{\\rtf", ("een RTF-document", "an RTF document")),
    (b"\x89PNG", ("een afbeelding (PNG)", "an image (PNG)")),
    (b"\xff\xd8\xff", ("een afbeelding (JPEG)", "an image (JPEG)")),
    (b"GIF8", ("een afbeelding (GIF)", "an image (GIF)")),
    (b"\x1f\x8b", ("een gecomprimeerd bestand (gzip)", "a compressed file (gzip)")),
    (b"7z\xbc\xaf", ("een gecomprimeerd bestand (7-Zip)", "a compressed file (7-Zip)")),
    (b"Rar!", ("een gecomprimeerd bestand (RAR)", "a compressed file (RAR)")),
    (b"<?xml", ("een XML-bestand", "an XML file")),
    (b"<", ("een HTML- of XML-bestand", "an HTML or XML file")),
    (b"{", ("een JSON-bestand", "a JSON file")),
)  # fmt: skip
_SEPARATORS = (b";", b",", b"\t")


def foreign_format(data: bytes) -> tuple[str, str] | None:
    """(Dutch, English) words for a file whose first bytes say it is another format (a
    PDF, an Excel workbook, an image), else None: a text file is read for what it is."""
    head = data.removeprefix(_UTF8_BOM).lstrip()[:_SNIFFED]
    return next((names for magic, names in _MAGIC if head.startswith(magic)), None)


def describe(data: bytes) -> tuple[str, str]:
    """(Dutch, English) words for what a text file that is no Vektis file is (one of
    another format, or no text at all, formats.other_format names)."""
    # Blank lines and spaces skipped, not tabs: a tab the file starts with is said, where
    # it was "starts with '01' instead of record type 01" (R40; vektisleft55).
    head = data.removeprefix(_UTF8_BOM).lstrip(b" \r\n")[:_SNIFFED]
    first_line = head.split(b"\n", 1)[0]
    if any(separator in first_line.lstrip(b"\t") for separator in _SEPARATORS):
        return ("een CSV-bestand (tekst met scheidingstekens)", "a CSV file (text with separators)")
    if head.startswith(b"\t"):
        return (
            "een tekstbestand dat met een tab (de Tab-toets) begint in plaats van met recordsoort 01",
            "a text file that starts with a tab (the Tab key) instead of record type 01",
        )
    start = head[:2].decode("latin-1")
    if start.isalnum():
        return (
            f"een tekstbestand dat begint met '{start}' in plaats van recordsoort 01",
            f"a text file that starts with '{start}' instead of record type 01",
        )
    return (
        "een bestand dat niet met recordsoort 01 begint",
        "a file that does not start with record type 01",
    )
