"""One entry point for every declaration format (interfaces.md §1): recognised from the
content, never from the file name. A Vektis EI file starts with record type 01 and its
message code at positions 3-5; anything else is read as CSV."""

from __future__ import annotations

from datetime import date

from billing_core.declarations.csv_format import CsvParseResult, parse_declaration_csv

# The result of every format: claims, findings, lines and the format the file was read as.
ParseResult = CsvParseResult
_BOM = b"\xef\xbb\xbf"


def is_vektis(data: bytes) -> bool:
    """Record type 01, then a 3-digit message code (a UTF-8 BOM before it is tolerated)."""
    head = data[3:8] if data.startswith(_BOM) else data[:5]
    return head[:2] == b"01" and head[2:5].isdigit()  # bytes.isdigit: ASCII digits only


def parse_declaration(
    data: bytes, *, today: date, max_lines: int, provider_agb: str | None = None
) -> ParseResult:
    """provider_agb: the uploading practice's AGB code. A Vektis header that names only
    other AGB codes is someone else's file (R2, wrong provider); CSV has no such field."""
    if is_vektis(data):
        # Imported here: a cold start that reads a CSV does not pay for the EI layouts.
        from billing_core.declarations.vektis.parser import parse_vektis

        return parse_vektis(data, today=today, max_lines=max_lines, provider_agb=provider_agb)
    return parse_declaration_csv(data, today=today, max_lines=max_lines)
