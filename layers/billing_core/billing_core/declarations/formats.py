"""One entry point for every declaration format (interfaces.md §1): recognised from the
content, never from the file name. A Vektis EI file starts with record type 01 and its
message code at positions 3-5 (blank lines before it do not hide it, nor a tab typed
among them: the Vektis reader names the tab); a file whose first
bytes are another format's (a PDF, an Excel workbook, an image), or that is no text at
all, is refused as neither; anything else is read as CSV."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from billing_core.declarations.csv_format import not_text_at_all, parse_declaration_csv
from billing_core.declarations.findings import Finding, Severity
from billing_core.declarations.parsed import ParseResult
from billing_core.declarations.rules.insurers import InsurerRegisters
from billing_core.declarations.vektis.text import foreign_format, vektis_encoding

# What a file no first bytes name is, when it is no text at all (words52: random bytes, a
# program, a database were "not text in UTF-8 or Windows-1252 at byte 103").
NOT_TEXT = (
    "een bestand dat helemaal geen tekst is (zoals een programma, een database of een archief)",
    "a file that is not text at all (such as a program, a database or an archive)",
)


def is_vektis(data: bytes) -> bool:
    """Record type 01, then a 3-digit message code, after any blank lines: in ISO-8859-1,
    or in UTF-16 or EBCDIC, which the Vektis reader refuses by name (a UTF-8 BOM before
    it is tolerated)."""
    return vektis_encoding(data) is not None


def other_format(data: bytes) -> tuple[str, str] | None:
    """(Dutch, English) words for a file that is neither CSV nor Vektis: another format by
    its first bytes (a PDF, a workbook, an image), or no text at all; None for text. Both
    upload paths name it so: the declaration's FILE_NOT_CSV_OR_VEKTIS, the retour's
    RETOUR_NOT_VEKTIS (words52b: random bytes as a retour were "a CSV file", a program "a
    text file that starts with 'MZ'")."""
    return foreign_format(data) or (NOT_TEXT if not_text_at_all(data) else None)


def parse_declaration(
    data: bytes,
    *,
    today: date,
    max_lines: int,
    provider_agbs: Collection[str] = (),
    insurers: InsurerRegisters | None = None,
) -> ParseResult:
    """provider_agbs: the uploading practice's AGB codes. A Vektis header that names none
    of them is someone else's file (R2, wrong provider); CSV has no such field.
    insurers: the register versions a line's UZOVI code is checked in (R33)."""
    if is_vektis(data):
        # Imported here: a cold start that reads a CSV does not pay for the EI layouts.
        from billing_core.declarations.vektis.parser import parse_vektis

        return parse_vektis(
            data,
            today=today,
            max_lines=max_lines,
            provider_agbs=provider_agbs,
            insurers=insurers,
        )
    foreign = other_format(data)
    if foreign is not None:
        # R2, R40 (portal51b): a PDF read as CSV was "Onbekende kolom(men) in de kopregel:
        # %pdf-1.4", an image "geen tekst in UTF-8 (byte 3)": what it is, and what to upload.
        found_nl, found_en = foreign
        params = {"found_nl": found_nl, "found_en": found_en}
        return ParseResult([], [Finding("FILE_NOT_CSV_OR_VEKTIS", Severity.FILE, params=params)], 0)
    return parse_declaration_csv(data, today=today, max_lines=max_lines, insurers=insurers)
