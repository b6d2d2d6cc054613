"""A CSV download read as a client reads it (R35): every one starts with a UTF-8 byte order
mark for Excel (shared/spreadsheet.for_excel), which ``utf-8-sig`` takes off, so the
first header is the column's name and not "\\ufeffcolumn"."""

from __future__ import annotations

import csv
import io

BOM = "\ufeff"


def csv_text(body: str | bytes) -> str:
    """The file's text without its byte order mark (it has at most one)."""
    if isinstance(body, bytes):
        return body.decode("utf-8-sig")
    return body.removeprefix(BOM)


def csv_rows(body: str | bytes, delimiter: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_text(body)), delimiter=delimiter))


def csv_dicts(body: str | bytes, delimiter: str = ";") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text(body)), delimiter=delimiter))
