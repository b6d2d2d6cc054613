"""The one way the project writes a CSV file (issue 13.6): every file a practice, an
insurer or an agency opens in a spreadsheet goes through ``csv_text``.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line
feed is a formula to Excel and LibreOffice (``=HYPERLINK(...)``, ``+cmd|...``,
``@SUM(...)``); OWASP's rule (its list has named the line feed since 2025) is to prefix
such a cell with ``'`` so it is shown as text. A plain number
("-1234", "-12,34": a ledger amount) is no formula and stays as it is, so that the
spreadsheet still adds it up.

Every CSV file a person downloads starts with a UTF-8 byte order mark (``for_excel``):
Dutch Excel opened by a double-click reads a file without one as Windows-1252 and shows
"patiënt" as "patiÃ«nt" (R24, R35). Every reader of the project's CSV accepts one.

Reading, every reader puts back the leading zero a spreadsheet drops from a number
(``zero_put_back``, R40).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")

BOM = "\ufeff"  # U+FEFF: the bytes EF BB BF once encoded as UTF-8
_UTF8_BOM = BOM.encode("utf-8")

Cell = str | int | None
Row = Iterable[Cell]


def line_of(data: bytes, offset: int) -> int:
    """The line (from 1) of a file's byte at ``offset``, as a refusal names it: a file a
    spreadsheet cannot read is refused by its first bad byte's line (declarations'
    FILE_NOT_UTF8, the agency's report-back file, a Vektis file in UTF-8; R40, R35). Its
    line ends as the file's readers count them (vektis.md "Files as practices really send
    them"): LF, CR LF, CR alone (Excel's "CSV (Macintosh)", an old Mac export: every refusal
    was on "line 1") and CR CR LF (a file converted twice: one line end, as Excel shows it)."""
    if data.find(b"\r", 0, offset) < 0:
        return data.count(b"\n", 0, offset) + 1
    # Compiled here, not at import (re caches it): only a file with a CR gets here (#18 (d)).
    line_end = re.compile(rb"\r?\n|\r(?!\r?\n)")
    return len(line_end.findall(data, 0, offset)) + 1


def zero_put_back(text: str, width: int, first: str = "") -> str:
    """A number a spreadsheet saved without its leading zero (R40), with it again: the
    UZOVI 101 is 0101, the mobile 612345678 (``first`` "6") is 0612345678. One way for
    every CSV a practice or an operator sends: the declaration and the insurer register."""
    if len(text) == width - 1 and text.startswith(first) and text.isascii() and text.isdigit():
        return "0" + text
    return text


def starts_a_formula(text: str) -> bool:
    """True for text a spreadsheet would evaluate instead of showing."""
    return text.startswith(FORMULA_STARTS) and _PLAIN_NUMBER.fullmatch(text) is None


def spreadsheet_safe(cell: Cell) -> Cell:
    if isinstance(cell, str) and starts_a_formula(cell):
        return "'" + cell
    return cell


def as_written(cell: str) -> str:
    """A cell read back from a file ``csv_text`` wrote, as it was before ``spreadsheet_safe``
    (a read names a patient by the number the practice gave, not by its escaped form). A
    text that itself started with ``'`` and then a formula reads back without it: the file
    cannot tell the two apart."""
    unquoted = cell.removeprefix("'")
    return unquoted if unquoted != cell and starts_a_formula(unquoted) else cell


def csv_text(header: Iterable[str], rows: Iterable[Row], *, delimiter: str = ";") -> str:
    """The header and the rows as CSV text, every cell safe to open in a spreadsheet.

    Lines end in CRLF (RFC 4180): the writer then quotes a cell holding a CR or an LF,
    which with a bare LF ending it would leave a lone CR unquoted and break the row."""
    return csv_rows([list(header)], delimiter=delimiter) + csv_rows(rows, delimiter=delimiter)


def csv_rows(rows: Iterable[Row], *, delimiter: str = ";") -> str:
    """Rows without a header, to add to a CSV text (the same quoting and line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return out.getvalue()


def for_excel(body: str | bytes) -> str | bytes:
    """A CSV file as a download carries it: with the byte order mark that makes Excel read
    it as UTF-8, once (a file that has one already keeps just that one)."""
    if isinstance(body, bytes):
        return body if body.startswith(_UTF8_BOM) else _UTF8_BOM + body
    return body if body.startswith(BOM) else BOM + body


def text_for_excel(text: str) -> str:
    """``for_excel`` of a text (the API's answers and the files written as text)."""
    return text if text.startswith(BOM) else BOM + text
