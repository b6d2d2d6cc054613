"""Vektis EI bytes -> checked records: the structural half of R2 (vektis.md §1).

One pass over the records checks what makes a file untrustworthy as a whole: encoding,
the standard and version in the header, record types and lengths, their order, the
detail-record numbering, the debtor link, the trailer's counts and total(s), and whose
file it is. Any of these rejects the whole file (Severity.FILE): no claim is mapped.

Files as practices really send them (text.py for the bytes): what can be repaired
without guessing is, and said in a warning; a refusal names the one cause. A record
whose trailing spaces an editor trimmed is padded back when only space-filled fields
are short (refused when data is missing); one record of a wrong type is one finding,
not a cascade of detail-number and trailer-count findings after it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from billing_core.declarations.characters import REMOVED_CHARACTERS, character_name, unprinted
from billing_core.declarations.findings import Finding, Severity, structural
from billing_core.declarations.vektis.layout import (
    Field,
    FieldType,
    MessageKind,
    RecordLayout,
    RecordType,
    Standard,
)
from billing_core.declarations.vektis.layouts import (
    MESSAGE_NAMES,
    SB311_BY_VERSION,
    STANDARDS,
    supported,
)
from billing_core.declarations.vektis.text import (
    CONTROL,
    describe,
    lone_cr_line_ends,
    to_lines,
    vektis_encoding,
    windows_1252_letters,
)
from billing_core.shared.money import euro_params

MAX_LISTED_LINE_PROBLEMS = 20  # then counted, as for CSV: one broken export is not 100,000 findings
_DETAIL = frozenset({"02", "03", "04"})
# What may follow a record (vektis.md §1): 01, then per patient 02 [03] 04+, then 99. A 98
# comments on the record before it and leaves the order where that record put it.
_MAY_FOLLOW: dict[str, frozenset[str]] = {
    "01": frozenset({"02", "99"}),
    "02": frozenset({"98", "03", "04"}),
    "03": frozenset({"98", "04"}),
    "04": frozenset({"98", "04", "02", "99"}),
    "99": frozenset(),
}
_RECORD_NAMES = {
    "01": ("voorlooprecord", "header record"),
    "02": ("verzekerdenrecord", "insured person record"),
    "03": ("debiteurrecord", "debtor record"),
    "04": ("prestatierecord", "treatment record"),
    "98": ("commentaarrecord", "comment record"),
    "99": ("sluitrecord", "trailer record"),
}
# Trailer field -> the record types it counts.
_TRAILER_COUNTS = (
    ("count_02", ("02",)),
    ("count_03", ("03",)),
    ("count_04", ("04",)),
    ("count_98", ("98",)),
    ("count_detail", ("02", "03", "04", "98")),
)
_DEBTOR_VERSION = slice(297, 299)  # VERSIENUMMER DEBITEURRECORD (SB311), pos 298-299
_DEBTOR_NUMBER = SB311_BY_VERSION["02"].field("debtor_number").slice  # pos 15-25 in every 03
_BUILT_IN_DEBTOR = "  "  # pos 298-299 of a standard's own 03 (RESERVE)
# The free text of a 02 or 03 that an invoice, a letter or the patient's page shows: there
# a "?" stands for a letter the exporting software could not write (_Characters). Not the
# fields read by their form (postcode, country) or shown to nobody (phone, the 98's text).
_LETTER_FIELDS = frozenset(
    {
        "last_name_1",
        "prefix_1",
        "last_name_2",
        "prefix_2",
        "initials",
        "street",
        "house_number_suffix",
        "city",
        "email",
    }
)
_LETTER_RECORDS = frozenset({"02", "03"})
# The records whose text fields an invisible character is removed from (without_invisible):
# the 02 and 03 (names, addresses, e-mail), the 04 (its treatment code is printed on the
# invoice and the patient's page, with the description looked up by it; its references
# identify the claim, R3) and the 98 (its comment goes on in the declaration to the
# insurer, a price quote's reference with it, R6).
_TEXT_RECORDS = frozenset({"02", "03", "04", "98"})
_LETTER_AS_QUESTION_MARK = "VEKTIS_LETTER_AS_QUESTION_MARK"
_INVISIBLE_REMOVED = "VEKTIS_INVISIBLE_CHARACTER_REMOVED"
_SOFT_HYPHEN = b"\xad"  # the one invisible character ISO-8859-1 has (characters.py)


@dataclass(slots=True)
class VektisFile:
    """A Vektis file read and checked for structure: its records as text, and the findings."""

    standard: Standard | None  # None: not a standard we read
    # Every line without its line end: line first_line + i is records[i]. In a file
    # without FILE findings each one is a record of a known type and length (no objects
    # per record: 100,000 of them cost more than the checks).
    records: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # FILE, and WARNINGs of repairs
    treatment_lines: int = 0  # number of 04 records
    first_line: int = 1  # the file's line number of the first record

    @property
    def file_rejected(self) -> bool:
        return bool(structural(self.findings))

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def format(self) -> str:
        return self.standard.label if self.standard else "vektis"


def read_vektis(
    data: bytes, *, kind: MessageKind, max_lines: int, provider_agbs: Collection[str] = ()
) -> VektisFile:
    """The records of an EI file of this kind, or the structural findings that reject it
    (also more than ``max_lines`` treatment lines).

    provider_agbs: the uploading practice's AGB codes (practice and practitioners); a
    header naming none of them is someone else's file (interfaces.md §6)."""
    file = _records(data, kind, provider_agbs)
    if file.treatment_lines > max_lines:
        params = {"lines": file.treatment_lines, "max_lines": max_lines}
        file.findings.append(Finding("FILE_TOO_MANY_LINES", Severity.FILE, params=params))
    return file


def _records(data: bytes, kind: MessageKind, provider_agbs: Collection[str]) -> VektisFile:
    text = to_lines(data)
    problem = (_not_a_retour(data) if kind is MessageKind.RETOUR else None) or text.problem
    if problem is None and not text.lines:
        problem = _file("FILE_EMPTY")  # only characters that are no record, such as NEL
    if problem is not None:
        return VektisFile(None, findings=[problem])
    lines, first = text.lines, text.first_line
    standard, problem = _standard(lines[0], kind, first)
    if standard is None or problem is not None:
        return VektisFile(standard, findings=[problem] if problem else [])
    if text.lone_cr:
        lines = _split_at_lone_cr(lines, standard, text.repairs)
    if text.control:
        lines = _tabs_in_tails(lines, standard, first, text.repairs)
    if len(lines[0]) < standard.record_length:
        problem = _wrapped(lines, standard)
        if problem is not None:
            return VektisFile(standard, findings=[problem])
    characters = _Characters(standard, lines, first)
    problem = characters.control() if text.control else None
    if problem is not None:
        return VektisFile(standard, findings=[problem])
    repaired = text.repairs
    if text.windows_1252:
        repaired += filter(None, [characters.windows_1252()])
    if b"?" in data:  # one scan in C: the usual file pays nothing more (#18)
        repaired += characters.question_marks()
    if _SOFT_HYPHEN in data:  # the same: one scan in C (#18)
        repaired += characters.without_invisible()
    file = _Structure(standard, provider_agbs, first).read(lines)
    file.findings[:0] = repaired
    return file


def _wrapped(lines: list[str], standard: Standard) -> Finding | None:
    """Records broken into lines shorter than a record (an e-mail program or an editor
    wraps at 80): the one cause named (vektis.md, files as practices send them), instead
    of a finding for nearly every line.

    Only when no line is a record's length, most lines do not start with a record type
    (in a correct file, trimmed or cut short, every line does), and the lines put
    together again are records: read as one text, each record's length on from the
    last; or, when an editor also trimmed the lines' trailing spaces (uneven widths,
    blank pieces empty), each next ceil(length / width) lines, the widest line being the
    wrap width. The blank tail lines of the last record are not read (to_lines)."""
    length, types = standard.record_length, standard.record_types
    width = max(map(len, lines))
    if width >= length or 2 * sum(line[:2] in types for line in lines) >= len(lines):
        return None
    joined = "".join(lines)
    if len(joined) <= length:
        return None  # one record cut short, not wrapped: its length says so
    if all(joined[start : start + 2] in types for start in range(0, len(joined), length)):
        return _file("VEKTIS_LINES_WRAPPED", width=width, expected=length)
    per_record = -(-length // width)
    for start in range(0, len(lines), per_record):
        group = lines[start : start + per_record]
        if group[0][:2] not in types or sum(map(len, group)) > length:
            return None
    return _file("VEKTIS_LINES_WRAPPED", width=width, expected=length)


def _split_at_lone_cr(lines: list[str], standard: Standard, repairs: list[Finding]) -> list[str]:
    """R40, vektis.md "Files as practices really send them": a CR alone among CR LF or LF
    line ends (pieces of files pasted together in an old editor) ends a record when every
    piece it makes is a record: a known record type, no longer than a record (trimmed
    trailing spaces are padded back later). Said once. A CR inside a record stays, and
    that record is refused naming the CR (VEKTIS_CR_IN_RECORD, R2): a piece that starts
    with no record type, or one that would lack data where it ends (the CR fell just
    before two digits such as "01": stop 49, vektis5 item 2)."""
    split: list[str] = []
    for line in lines:
        pieces = line.split("\r")
        if len(pieces) > 1 and pieces[-1] == "":
            pieces.pop()  # a CR alone at the end of the file's last line (not an empty line)
        broken = len(pieces) > 1 or len(pieces[0]) < len(line)
        if broken and all(_a_record(piece, standard) for piece in pieces):
            split.extend(pieces)
        else:
            split.append(line)
    if split != lines:
        repairs.append(lone_cr_line_ends())
    return split


def _tabs_in_tails(
    lines: list[str], standard: Standard, first: int, repairs: list[Finding]
) -> list[str]:
    """R2, R40, vektis.md ("lines whose trailing spaces an editor trimmed: pad back ...
    when only reserve/space-filled fields are missing"): a record that ends in tabs and
    spaces (an editor that turns spaces into tabs, in the reserve at its end) is repaired
    as a trimmed one is: the tail dropped and padded back with spaces, when it stood only
    for space-filled fields (``_a_record``). Said once, with how many lines. A tab before
    data, or a tail that reaches a number, stays refused as a tab (VEKTIS_TAB)."""
    repaired: list[int] = []
    for index, line in enumerate(lines):
        kept = line.rstrip(" \t")
        if "\t" in line[len(kept) :] and _a_record(kept, standard):
            lines = lines if repaired else list(lines)
            lines[index] = kept.ljust(standard.record_length)
            repaired.append(index + first)
    if repaired:
        params = {"count": len(repaired), "first": repaired[0], "expected": standard.record_length}
        repairs.append(
            Finding("VEKTIS_TRAILING_TABS_REPLACED", Severity.WARNING, repaired[0], params=params)
        )
    return lines


def _a_record(piece: str, standard: Standard) -> bool:
    """A piece of a line that is a record of its own: a known type, no longer than a
    record, and what a trimmed end lacks only spaces (``_first_data_missing``)."""
    length = len(piece)
    if piece[:2] not in standard.record_types or length > standard.record_length:
        return False
    if length == standard.record_length:
        return True
    layout = _layout_of(standard, piece.ljust(standard.record_length))
    return layout is not None and _first_data_missing(layout, length) is None


def _not_a_retour(data: bytes) -> Finding | None:
    """The retour path names what a non-Vektis upload is (the declaration path reads it
    as CSV instead)."""
    if vektis_encoding(data) is not None or not data.strip():
        return None
    # Here, not at import: a retour that is one never loads the CSV reader's checks.
    from billing_core.declarations.formats import other_format

    found_nl, found_en = other_format(data) or describe(data)
    return _file("RETOUR_NOT_VEKTIS", found_nl=found_nl, found_en=found_en)


def _standard(header: str, kind: MessageKind, line: int) -> tuple[Standard | None, Finding | None]:
    tab = header.find("\t", 0, 9)
    if tab >= 0:  # R40: the tab, not an unknown standard (text.tab_in_header; vektisedge55)
        return None, _file("VEKTIS_TAB", line, _header_field(tab), position=tab + 1)
    code, version, subversion = header[2:5], header[5:7], header[7:9]
    standard = STANDARDS.get((code, version, subversion))
    if standard is None:
        name = MESSAGE_NAMES.get(code)
        problem = _file(
            "VEKTIS_STANDARD_UNKNOWN",
            line=line,
            code=f"{code} ({name})" if name else code,
            version=version,
            subversion=subversion,
            supported=supported(kind),
        )
        return None, problem
    if standard.kind is not kind:
        is_retour = standard.kind is MessageKind.RETOUR
        wrong = "VEKTIS_RETOUR_AS_DECLARATION" if is_retour else "VEKTIS_DECLARATION_AS_RETOUR"
        return standard, _file(wrong, line=line, standard=standard.label)
    return standard, None


def _header_field(position: int) -> str:
    """The field at ``position`` (0-based) among the header's first nine characters, which
    name the standard: the same in every standard's 01 record, so named before it is
    known."""
    header = next(iter(STANDARDS.values())).records[RecordType.HEADER]
    return _field_label(header, position)


def _field_label(layout: RecordLayout, position: int) -> str:
    """The label of the field at ``position`` (0-based) of a record of this layout."""
    item = next((f for f in layout.fields if f.end > position), None)
    return layout.label(item.key) if item else f"pos. {position + 1}"


def _shown_type(kind: str) -> str:
    """A record type as a message quotes it: blanks and unprintables as a Python literal."""
    return kind if kind.isprintable() and kind.strip() else repr(kind)


def _layout_of(standard: Standard, text: str) -> RecordLayout | None:
    """The layout of one record by its type (an 03 by its debtor-record version)."""
    kind = text[:2]
    if kind == RecordType.DEBTOR.value:
        debtors = standard.debtor_records
        return debtors.get(text[_DEBTOR_VERSION]) or next(iter(debtors.values()), None)
    return next((layout for t, layout in standard.records.items() if t.value == kind), None)


class _Characters:
    """Where in the records a character is: for messages that name line and field."""

    def __init__(self, standard: Standard, lines: list[str], first: int) -> None:
        self.standard, self.lines, self.first = standard, lines, first

    def control(self) -> Finding | None:
        """The first control character left after decoding: refuses the file."""
        found = self._first(CONTROL)
        if found is None:
            return None  # only before the first record (blanks dropped there)
        line, field_label, character, position = found
        if character == "\t":  # an editor's, not the software's: said as a tab (vektis.md)
            return self._tab(line, field_label, position)
        return _file("VEKTIS_CONTROL_CHARACTER", line, field_label, byte=f"0x{ord(character):02X}")

    def _tab(self, line: int, field_label: str, position: int) -> Finding:
        """A tab, named by its field; in a record of a type the standard lacks, no field
        is known: said with that type (R40; vektisleft55: it was "at position 40, in pos.
        40")."""
        text = self.lines[line - self.first]
        if position < 2 or _layout_of(self.standard, text) is not None:
            return _file("VEKTIS_TAB", line, field_label, position=position + 1)
        unknown = {"said_as": "VEKTIS_TAB_UNKNOWN_RECORD", "value": _shown_type(text[:2])}
        return _file("VEKTIS_TAB", line, None, position=position + 1, **unknown)

    def windows_1252(self) -> Finding | None:
        """Read as Windows-1252 (vektis.md): said once, where the first such character is."""
        letters = windows_1252_letters()
        found = self._first(letters)
        if found is None:
            return None
        line, field_label, character, _ = found
        count = sum(len(letters.findall(text)) for text in self.lines)
        params = {"character": character, "count": count}
        return Finding("VEKTIS_WINDOWS_1252", Severity.WARNING, line, field_label, params=params)

    def question_marks(self) -> list[Finding]:
        """R40 (say what was repaired, vektis.md "Files as practices really send them"): a
        letter the exporting software's code page lacks (Ł, ő, ș) is written as "?", as
        Excel does in a CSV (csv_format._question_marks). Each name, address or e-mail
        field of a 02 or 03 holding one is named, so it is corrected before a letter goes
        out; a warning, the invoice is not held."""
        found: list[Finding] = []
        for index, text in enumerate(self.lines):
            if text[:2] not in _LETTER_RECORDS or "?" not in text:
                continue
            layout = _layout_of(self.standard, text)
            if layout is None:
                continue
            found.extend(
                Finding(_LETTER_AS_QUESTION_MARK, Severity.WARNING, index + self.first, label)
                for item in layout.fields
                if item.key in _LETTER_FIELDS and "?" in text[item.slice]
                for label in (layout.label(item.key),)
            )
        return found

    def without_invisible(self) -> list[Finding]:
        """R36, R40: a patient's or debtor's name, address or e-mail (a text field of a 02
        or 03) with an invisible character (a soft hyphen, 0xAD, pasted from a word
        processor) is printed on the invoice, the letters and the checker page: removed,
        as the CSV reader removes it (characters.unprinted, CSV_INVISIBLE_CHARACTER_REMOVED),
        and said on the record's line and field. So too in a 04's text fields (its
        treatment code is printed on the invoice: 'V\xad21' was an unknown code there) and
        a 98's comment (stop 47 small47a), for MZ301 and PM304 alike. The field is padded back with spaces, so
        the record keeps its length and every position after it. Control characters never
        get here: they refused the file before (``control``)."""
        found: list[Finding] = []
        for index, text in enumerate(self.lines):
            if text[:2] in _TEXT_RECORDS and not text.isprintable():
                layout = _layout_of(self.standard, text)
                if layout is not None:
                    self.lines[index] = _without_invisible(text, layout, index + self.first, found)
        return found

    def _first(self, pattern: re.Pattern[str]) -> tuple[int, str, str, int] | None:
        """The first match: its line, field, the character and its place in the record."""
        for index, text in enumerate(self.lines):
            match = pattern.search(text)
            if match is not None:
                where = match.start()
                return index + self.first, self._field_at(text, where), match[0], where
        return None

    def _field_at(self, text: str, position: int) -> str:
        layout = _layout_of(self.standard, text)
        if layout is not None:
            return _field_label(layout, position)
        if position < 2:
            # R40 (vektisedge55: "in pos. 1"): a tab in the record type hides which record
            # this is, not that it is the record type, at pos. 1-2 in every record.
            item = self.standard.records[RecordType.HEADER].fields[0]
            return f"{item.label} (pos. {item.start}-{item.end})"
        return f"pos. {position + 1}"


def _without_invisible(text: str, layout: RecordLayout, line: int, found: list[Finding]) -> str:
    """``text`` with each invisible character gone from its text fields, each said."""
    for item in layout.fields:
        value = text[item.slice]
        removed = "" if value.isprintable() else unprinted(value)[0]
        if removed and item.type is FieldType.AN:
            kept = value.translate(REMOVED_CHARACTERS).ljust(len(value))
            text = text[: item.start - 1] + kept + text[item.end :]
            params = {"character": character_name(removed)}
            label = layout.label(item.key)
            found.append(Finding(_INVISIBLE_REMOVED, Severity.WARNING, line, label, params=params))
    return text


def _file(
    finding: str, line: int | None = None, field: str | None = None, **params: Any
) -> Finding:
    return Finding(finding, Severity.FILE, line=line, field=field, params=params)


# --- The records ---------------------------------------------------------------------------


class _Structure:
    """One pass over the lines; what it finds goes to ``findings``."""

    def __init__(self, standard: Standard, provider_agbs: Collection[str], first: int) -> None:
        self.standard = standard
        self.provider_agbs = frozenset(provider_agbs)
        self.first = first  # the file's line number of lines[0]
        self.layouts = {kind.value: layout for kind, layout in standard.records.items()}
        self.known_types = standard.record_types
        self.length = standard.record_length
        self.amount_of = standard.records[RecordType.TREATMENT].getter(("amount", "dc"))
        insured = standard.records[RecordType.INSURED]
        self.insured_debtor_number = insured.field("debtor_number").slice
        self.findings: list[Finding] = []
        self.line_problems = 0
        self.counts = dict.fromkeys(("01", "02", "03", "04", "98", "99"), 0)
        self.total_cents = 0
        # False once a 04 amount is unreadable, or its D/C neither D nor C (nor d, c): the
        # total means nothing then
        self.total_known = True
        # A record of an unknown type is the cause; the trailer's counts and totals can
        # only repeat it, so they are not checked then.
        self.unknown_type = False
        self.padded: list[int] = []  # lines whose trimmed trailing spaces were put back
        self.refused: set[int] = set()  # lines refused for their length: fields not read
        self.out_of_order: set[int] = set()  # lines refused for their place (VEKTIS_RECORD_ORDER)
        self.second_file = 0  # the line where a second file starts: the first ends before it
        self.too_long: list[int] = []  # the lengths of the records longer than a record
        self.numbering_broken = False  # a VEKTIS_DETAIL_NUMBER was found (_moved_record)
        self.problem_lines: list[tuple[str, int]] = []  # every line problem, listed or not

    def read(self, lines: list[str]) -> VektisFile:
        self._records(lines)
        if len(self.too_long) == len(lines) > 1 and len(set(self.too_long)) == 1:
            self._every_record_too_long(len(lines))
        self._check_header(lines[0])
        if self.second_file:
            # The first file's own trailer, not the second's: the second is not read.
            self._check_trailer(lines[: self.second_file - self.first])
        elif not self.unknown_type:
            self._check_trailer(lines)
        if self.line_problems > MAX_LISTED_LINE_PROBLEMS:
            more = self.line_problems - MAX_LISTED_LINE_PROBLEMS
            self.findings.append(_file("FILE_MORE_ROW_ERRORS", count=more))
        if not self.findings and self.counts["04"] == 0:
            self.findings.append(_file("VEKTIS_NO_TREATMENTS"))
        if self.padded:
            self.findings.append(self._padding_repaired())
        return VektisFile(self.standard, lines, self.findings, self.counts["04"], self.first)

    def _records(self, lines: list[str]) -> None:
        """Type, length, order and numbering of every record, in one pass: the hot loop,
        so the checks of a correct record are inline and the rest goes to methods."""
        known, length = self.known_types, self.length
        counts, amount_of = self.counts, self.amount_of
        previous = ""  # the last record that is not a comment
        detail_id = 0  # IDENTIFICATIE DETAILRECORD: 02, 03 and 04 count 1, 2, 3... (§1)
        comment_line = 0
        insured = (0, "")  # the last 02, for the debtor link
        total = 0
        kind = ""
        for number, text in enumerate(lines, self.first):
            kind = text[:2]
            if kind not in known:
                if previous == "99" and _header_after_a_bom(text):
                    self._second_file(number, lines)
                    break
                # The cause, once: what it was meant to be is unknown, so the order of the
                # record after it is not judged, and a detail record numbered as the next
                # one keeps the numbering going.
                if self._unknown_type(number, kind, text):
                    previous = ""
                if _next_detail(text, detail_id):
                    detail_id, comment_line = detail_id + 1, 0
                continue
            if len(text) != length:
                text = lines[number - self.first] = self._wrong_length(number, kind, text)
            if previous and kind not in _MAY_FOLLOW[previous]:
                if previous == "99" and kind == "01":
                    self._second_file(number, lines)
                    break
                self._wrong_order(number, kind, previous)
            counts[kind] += 1
            if kind == "98":
                comment_line = self._comment(number, text, detail_id, comment_line)
                continue
            previous = kind
            if kind not in _DETAIL:
                if self.second_file:
                    break  # joined on the 99's own line (_second_file_same_line)
                continue
            detail_id += 1
            comment_line = 0
            record_id = text[2:14]
            if not record_id.isdecimal() or int(record_id) != detail_id:
                self._wrong_detail_id(number, kind, record_id, detail_id)
            if kind == "04":
                amount, dc = amount_of(text)
                if not amount.isdecimal():
                    self._unreadable_amount(number)
                elif dc == "D" or dc == "d":
                    total += int(amount)
                elif dc == "C" or dc == "c":
                    total -= int(amount)
                else:
                    # Neither debit nor credit: the line's own finding (mapping.py) says
                    # so, and the 99's total cannot be checked without guessing (R2).
                    self.total_known = False
            elif kind == "02":
                insured = (number, text)
            else:
                self._check_debtor(number, text, insured)
        self.total_cents = total
        if self.numbering_broken:
            self._moved_record(lines)
        if previous != "99" and kind in known:  # a mistyped last record is named already
            self.findings.append(_file("VEKTIS_TRAILER_MISSING"))

    def _moved_record(self, lines: list[str]) -> None:
        """R2, R40, vektis.md (one cause, not a flood of knock-on findings; stop 49 vektis5
        item 1): one detail record out of its place (practice software sorting the lines
        oddly: a patient's 04 after the next patient's 02) while every other record is
        numbered 1, 2, 3, ... in order. Its detail-number, order, comment-owner and debtor
        findings between where it is and where its number puts it are that one cause:
        replaced by one VEKTIS_RECORD_MOVED naming it and the line it belongs after (an
        order finding on its own line stays: it is about that record). The file is still
        refused (which patient it belongs to is not certain, §1)."""
        moved = _moved_detail(_numbered_details(lines, self.first), self.first)
        if moved is not None:
            self._one_cause_for(moved)

    def _one_cause_for(self, moved: _MovedRecord) -> None:
        """The knock-on findings of ``moved`` replaced by its one VEKTIS_RECORD_MOVED, put
        where the first of them stood (after its own line's finding): one line problem."""
        self.line_problems -= sum(moved.caused(code, at) for code, at in self.problem_lines)
        place = self._place_of_moved(moved)
        self.findings = [f for f in self.findings if not moved.caused(f.code, f.line)]
        dutch, english = _RECORD_NAMES[moved.kind]
        params = {
            "record_nl": dutch,
            "record_en": english,
            "found": moved.found,
            "after_line": moved.after,
        }
        label = self._label(moved.kind, "record_id")
        self.line_problems += 1
        self.findings.insert(place, _file("VEKTIS_RECORD_MOVED", moved.line, label, **params))

    def _place_of_moved(self, moved: _MovedRecord) -> int:
        """Where VEKTIS_RECORD_MOVED goes among the findings as they are before its
        knock-on ones are taken out: at the first finding it caused or on its own line,
        after that finding when it is on its own line."""
        first = next(
            (
                i
                for i, f in enumerate(self.findings)
                if moved.caused(f.code, f.line) or f.line == moved.line
            ),
            len(self.findings),
        )
        return first + any(f.line == moved.line for f in self.findings[first : first + 1])

    def _unreadable_amount(self, line: int) -> None:
        self.total_known = False  # the 99's total cannot be checked: this is the problem
        self._numeric_problem(line, "04", "amount")

    def _wrong_detail_id(self, line: int, kind: str, value: str, expected: int) -> None:
        if line in self.refused:
            return  # cut off inside its id: its length said so
        if not value.isdecimal():
            self._numeric_problem(line, kind, "record_id")
            return
        if line in self.out_of_order:
            # R40, vektis.md (the cause named once): a record in the wrong place (an 03 and
            # its 02 swapped) is numbered for its right place; its order finding says so.
            return
        self.numbering_broken = True
        self._line_problem(
            "VEKTIS_DETAIL_NUMBER",
            line,
            self._label(kind, "record_id"),
            found=int(value),
            expected=expected,
        )

    def _comment(self, line: int, text: str, owner_id: int, previous_line: int) -> int:
        """A 98 repeats its record's id and counts its lines 0001, 0002, ..."""
        owner, number = text[2:14], text[14:18]
        if not (owner.isdecimal() and number.isdecimal()):
            key = "record_id" if not owner.isdecimal() else "comment_line"
            self._numeric_problem(line, "98", key)
            return previous_line + 1
        if int(owner) != owner_id:
            self._line_problem(
                "VEKTIS_COMMENT_OWNER",
                line,
                self._label("98", "record_id"),
                found=int(owner),
                expected=owner_id,
            )
        if int(number) != previous_line + 1:
            self._line_problem(
                "VEKTIS_COMMENT_LINE_NUMBER",
                line,
                self._label("98", "comment_line"),
                found=int(number),
                expected=previous_line + 1,
            )
        return previous_line + 1

    def _check_debtor(self, line: int, text: str, insured: tuple[int, str]) -> None:
        """An 03 is read by the layout its version names, and pays for the 02 before it."""
        version = text[_DEBTOR_VERSION]
        if version not in self.standard.debtor_records:
            self._unknown_debtor_version(line, version)
        insured_line, insured_text = insured
        linked = insured_text[self.insured_debtor_number].strip()
        # Out of its place (VEKTIS_RECORD_ORDER), the 02 before it is not its own: the
        # cause is named once (vektis.md), not again as a link to another patient.
        if line in self.out_of_order:
            return
        if insured_text and text[_DEBTOR_NUMBER].strip() != linked:
            self._line_problem("VEKTIS_DEBTOR_NOT_LINKED", line, None, insured_line=insured_line)

    # --- header and trailer ------------------------------------------------------------------

    def _check_header(self, header: str) -> None:
        layout, line = self.layouts["01"], self.first
        if len(header) != self.length:
            return  # already reported; its fields cannot be trusted
        self._numeric_fields(line, header, layout)
        message_kind, currency = layout.getter(("message_kind", "currency"))(header)
        if message_kind == "T":
            self.findings.append(_file("VEKTIS_TEST_MESSAGE", line, layout.label("message_kind")))
        elif message_kind != "P":
            self._invalid(line, layout, "message_kind", message_kind, "P")
        if currency != "EUR":
            self._invalid(line, layout, "currency", currency, "EUR")
        for key in ("period_start", "period_end", "invoice_date"):
            if _date_or_none(header[layout.field(key).slice]) is None:
                self.findings.append(_file("VEKTIS_DATE_INVALID", line, layout.label(key)))
        self._check_provider(header, layout)

    def _check_provider(self, header: str, layout: RecordLayout) -> None:
        """R2 "wrong provider": one of the practice's AGB codes (practice or practitioner)
        must be among the header's AGB codes."""
        if not self.provider_agbs:
            return
        keys = ("agb_provider", "agb_practice", "agb_institution")
        codes = [code for code in layout.getter(keys)(header) if code.strip("0 ")]
        if self.provider_agbs.isdisjoint(codes):
            self.findings.append(
                _file(
                    "VEKTIS_WRONG_PROVIDER",
                    self.first,
                    layout.label("agb_practice"),
                    file_agb=", ".join(codes) or "-",
                    provider_agb=", ".join(sorted(self.provider_agbs)),
                )
            )

    def _check_trailer(self, lines: list[str]) -> None:
        trailer, line = lines[-1], self.first + len(lines) - 1
        if trailer[:2] != "99" or len(trailer) != self.length:
            return  # already reported: missing, or its fields cannot be trusted
        layout = self.layouts["99"]
        if not self._numeric_fields(line, trailer, layout):
            return
        values = {item.key: trailer[item.slice] for item in layout.fields}
        for key, types in _TRAILER_COUNTS:
            counted = sum(self.counts[t] for t in types)
            declared = _number(values[key])
            if declared != counted:
                self.findings.append(
                    _file(
                        "VEKTIS_TRAILER_COUNT",
                        line,
                        layout.label(key),
                        declared=declared,
                        counted=counted,
                    )
                )
        total = self.total_cents if self.total_known else None
        self._check_total(line, layout, values, "total_amount", total, "VEKTIS_TRAILER_TOTAL")
        if layout.has("granted_total"):
            granted = self._granted_total(lines)
            if values["granted_total"].isspace():
                # Not said, whatever its D/C: no total to check the lines against (R2).
                label = layout.label("granted_total")
                self.findings.append(_file("VEKTIS_RETOUR_GRANTED_TOTAL_MISSING", line, label))
                return
            code = "VEKTIS_RETOUR_GRANTED_TOTAL"
            self._check_total(line, layout, values, "granted_total", granted, code)

    def _check_total(
        self,
        line: int,
        layout: RecordLayout,
        values: dict[str, str],
        key: str,
        counted: int | None,
        code: str,
    ) -> None:
        """A signed total and its D/C (the next field) against what the 04s add up to;
        counted is None when an unreadable amount already explains any difference."""
        dc_key = layout.fields[layout.fields.index(layout.field(key)) + 1].key
        dc = values[dc_key]
        if dc == "d" or dc == "c":
            dc = self._sign_lowercase(line, layout, dc_key, dc)
        if dc not in ("D", "C"):
            self._invalid(line, layout, dc_key, dc, "D, C")
            return
        declared = _number(values[key]) * (-1 if dc == "C" else 1)
        if counted is not None and declared != counted:
            # Each language's finding writes the amounts its own way (R9): € 1.234,56 / €1,234.56.
            params = euro_params("declared", declared) | euro_params("counted", counted)
            self.findings.append(_file(code, line, layout.label(key), **params))

    def _sign_lowercase(self, line: int, layout: RecordLayout, key: str, dc: str) -> str:
        """A 99's own D/C as a lowercase d or c says what it means (R2, R40, vektis.md
        "Files as practices really send them"): read as D or C with a warning, as a 04's
        sign is (mapping.py, VEKTIS_DC_LOWERCASE) and a retour's granted sign
        (retour_parser.py); any other sign still refuses the file (its total unreadable)."""
        params = {"value": dc, "value_upper": dc.upper()}
        label = layout.label(key)
        finding = Finding("VEKTIS_TOTAL_DC_LOWERCASE", Severity.WARNING, line, label, params=params)
        self.findings.append(finding)
        return dc.upper()

    def _granted_total(self, lines: list[str]) -> int | None:
        """The signed sum of a retour's granted amounts; a blank one (not said) counts 0
        here and is a finding of its line (parser.py). A lowercase d/c is read as D/C; an
        amount that is not all digits (padded with spaces, say) or any other sign leaves
        the total unknown (None): each a finding of its line (retour_parser.py), never the
        whole file's (R1, vektis.md "Files as practices really send them")."""
        granted_of = self.standard.records[RecordType.TREATMENT].getter(
            ("granted_amount", "granted_dc")
        )
        total = 0
        for text in lines:
            if text[:2] != "04":
                continue
            amount, dc = granted_of(text)
            if amount.isspace():
                continue
            if not amount.isdecimal() or dc not in ("D", "C", "d", "c"):
                return None
            total += -int(amount) if dc in ("C", "c") else int(amount)
        return total

    def _numeric_fields(self, line: int, text: str, layout: RecordLayout) -> bool:
        """Mandatory N fields hold digits; optional ones digits or spaces (not filled)."""
        ok = True
        for item in layout.fields:
            if item.type is not FieldType.N:
                continue
            value = text[item.slice]
            if value.isdecimal() or (not item.mandatory and (value.isspace() or not value)):
                continue
            ok = False
            self.findings.append(_file("VEKTIS_NOT_NUMERIC", line, layout.label(item.key)))
        return ok

    # --- findings ------------------------------------------------------------------------------

    def _unknown_type(self, line: int, kind: str, text: str) -> bool:
        """Reports a blank line (False) or a record of an unknown type (True)."""
        if not text.strip():
            self._line_problem("VEKTIS_BLANK_LINE", line, None)
            return False
        self.unknown_type = True
        known = ", ".join(sorted(self.known_types))
        self._line_problem(
            "VEKTIS_RECORD_TYPE_UNKNOWN",
            line,
            None,
            value=_shown_type(kind),
            standard=self.standard.label,
            known=known,
        )
        return True

    def _wrong_length(self, line: int, kind: str, text: str) -> str:
        """A record of the wrong length: padded back when an editor only trimmed trailing
        spaces (the fields it cut short are all space-filled), else refused."""
        dutch, english = _RECORD_NAMES[kind]
        names = {"record_nl": dutch, "record_en": english}
        found, expected = len(text), self.length
        if kind == "99" and (
            text[expected : expected + 2] == "01" or _header_after_a_bom(text[expected:])
        ):
            return self._second_file_same_line(line, text)
        if found > expected and "\r" in text:
            return self._cr_in_record(line, kind, text)
        if found > expected:
            params = {
                **names,
                "found": found,
                "expected": expected,
                "standard": self.standard.label,
            }
            self._line_problem("VEKTIS_RECORD_LENGTH", line, None, **params)
            self.too_long.append(found)
            # The cause, once, as for a record cut short: its fields may be read a place
            # off, so they are not judged, nor an 04's amount set against the 99's total.
            self.refused.add(line)
            if kind == "04":
                self.total_known = False
            return text
        padded = text.ljust(expected)
        layout = _layout_of(self.standard, padded)
        missing = _first_data_missing(layout, found) if layout else None
        if layout is not None and missing is None:
            self.padded.append(line)
            return padded
        where = layout.label(missing.key) if layout and missing else None
        params = {**names, "found": found, "expected": expected}
        self._line_problem("VEKTIS_RECORD_DATA_MISSING", line, where, **params)
        # The cause, once: what the cut left of its fields is not judged as numbers, and
        # an 04's amount (what is left of it) makes no total to check the 99's against.
        self.refused.add(line)
        if kind == "04":
            self.total_known = False
        return text

    def _cr_in_record(self, line: int, kind: str, text: str) -> str:
        """R2, R40 (vektis.md "Files as practices really send them": the cause named): a CR
        alone inside a record (not a line end: what follows it is no record) is named with
        its position and field, not as a record too long or two records lacking data."""
        dutch, english = _RECORD_NAMES[kind]
        position = text.index("\r")
        layout = _layout_of(self.standard, text)
        item = next((f for f in layout.fields if f.end > position), None) if layout else None
        where = layout.label(item.key) if layout and item else None
        params = {"record_nl": dutch, "record_en": english, "position": position + 1}
        self._line_problem("VEKTIS_CR_IN_RECORD", line, where, **params)
        self.refused.add(line)  # its fields after the CR are read a place off: not judged
        if kind == "04":
            self.total_known = False
        return text

    def _every_record_too_long(self, count: int) -> None:
        """Every record of one length longer than the standard's (an export that ends each
        line with a character too many): one cause, said once for the file instead of
        line by line (vektis.md "Files as practices really send them")."""
        code = "VEKTIS_RECORD_LENGTH"
        self.findings = [finding for finding in self.findings if finding.code != code]
        self.line_problems -= count
        found = self.too_long[0]
        params: dict[str, Any] = {"count": count, "found": found, "expected": self.length}
        params |= {"extra": found - self.length, "standard": self.standard.label}
        self.findings.insert(0, _file("VEKTIS_EVERY_RECORD_LENGTH", **params))

    def _second_file(self, line: int, lines: list[str]) -> None:
        """A header after the trailer: two exports joined in one upload. The cause, once;
        what follows would only repeat it as detail-number and trailer findings."""
        trailer = line - 1
        while lines[trailer - self.first][:2] != "99":  # comments may follow the 99
            trailer -= 1
        self.second_file = line
        self.findings.append(_file("VEKTIS_SECOND_FILE", line, trailer_line=trailer))

    def _second_file_same_line(self, line: int, text: str) -> str:
        """R2, R40: a header straight after the trailer on its line (two exports joined,
        the first without a line end after its 99, as vektis.md allows): the cause, once,
        as for a second file on its own line. The first file's trailer is checked."""
        self.second_file = line + 1
        position = self.length + 1
        self.findings.append(_file("VEKTIS_SECOND_FILE_SAME_LINE", line, position=position))
        return text[: self.length]

    def _padding_repaired(self) -> Finding:
        lines = self.padded
        params = {"count": len(lines), "first": lines[0], "expected": self.length}
        return Finding("VEKTIS_TRAILING_SPACES_RESTORED", Severity.WARNING, lines[0], params=params)

    def _wrong_order(self, line: int, kind: str, previous: str) -> None:
        record_nl, record_en = _RECORD_NAMES[kind]
        previous_nl, previous_en = _RECORD_NAMES[previous]
        self.out_of_order.add(line)
        self._line_problem(
            "VEKTIS_RECORD_ORDER",
            line,
            None,
            record_nl=record_nl,
            record_en=record_en,
            previous_nl=previous_nl,
            previous_en=previous_en,
        )

    def _numeric_problem(self, line: int, kind: str, key: str) -> None:
        if line in self.refused:
            return  # cut off inside that field: its length said so
        self._line_problem("VEKTIS_NOT_NUMERIC", line, self._label(kind, key))

    def _invalid(self, line: int, layout: RecordLayout, key: str, value: str, allowed: str) -> None:
        if line in self.refused:
            return  # cut off before that field, or read a place off: its length said so
        self.findings.append(
            _file(
                "VEKTIS_VALUE_INVALID",
                line,
                layout.label(key),
                value=value.strip(),
                allowed=allowed,
            )
        )

    def _line_problem(self, finding: str, line: int, field: str | None, **params: Any) -> None:
        self.line_problems += 1
        self.problem_lines.append((finding, line))
        if self.line_problems <= MAX_LISTED_LINE_PROBLEMS:
            self.findings.append(_file(finding, line, field, **params))

    def _label(self, kind: str, key: str) -> str:
        layout = self.layouts.get(kind) or SB311_BY_VERSION["02"]  # only 03 is not in layouts
        return layout.label(key)

    def _unknown_debtor_version(self, line: int, version: str) -> None:
        built_in = _BUILT_IN_DEBTOR in self.standard.debtor_records
        label = self.standard.label
        self._line_problem(
            "VEKTIS_DEBTOR_VERSION_UNKNOWN",
            line,
            SB311_BY_VERSION["02"].label("debtor_record_version"),
            value=version.strip(),
            built_in_nl=f", en het eigen debiteurrecord van {label}" if built_in else "",
            built_in_en=f", and the own debtor record of {label}" if built_in else "",
        )


def _number(value: str) -> int:
    """An N field already checked: digits, or spaces for an optional one not filled."""
    return int(value) if value.strip() else 0


def _date_or_none(value: str) -> date | None:
    """EEJJMMDD (century first: YYYYMMDD) -> date; None when it is not a real date."""
    if len(value) != 8 or not value.isdecimal():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


# The findings a moved detail record brings about between where it is and where its
# number puts it (_moved_record): its one VEKTIS_RECORD_MOVED replaces them.
_KNOCK_ON = frozenset(
    {
        "VEKTIS_DETAIL_NUMBER",
        "VEKTIS_RECORD_ORDER",
        "VEKTIS_COMMENT_OWNER",
        "VEKTIS_DEBTOR_NOT_LINKED",
    }
)


@dataclass(frozen=True, slots=True)
class _MovedRecord:
    """One detail record out of its place: its line, type and number, the line it belongs
    after, and the lines ``low`` to ``high`` whose knock-on findings it caused."""

    line: int
    kind: str
    found: int
    after: int
    low: int
    high: int

    def caused(self, code: str, at: int | None) -> bool:
        # An order finding on the moved record's own line is about it, not knock-on.
        own_order = code == "VEKTIS_RECORD_ORDER" and at == self.line
        in_span = at is not None and self.low <= at <= self.high
        return code in _KNOCK_ON and in_span and not own_order


def _numbered_details(lines: list[str], first: int) -> list[tuple[int, str, int]]:
    """(line, type, number) of each 02, 03 and 04 whose number can be read."""
    return [
        (number, text[:2], int(text[2:14]))
        for number, text in enumerate(lines, first)
        if text[:2] in _DETAIL and text[2:14].isdecimal()
    ]


def _moved_position(ids: list[int]) -> int | None:
    """The index of the one number out of its place in ``ids`` (the numbers 1 to n, one
    of them moved), whose removal leaves the rest in order; None when it is not so."""
    wrong = [i for i, record_id in enumerate(ids, 1) if record_id != i]
    if not wrong or sorted(ids) != list(range(1, len(ids) + 1)):
        return None
    return next(
        (
            i
            for i in (wrong[-1] - 1, wrong[0] - 1)
            if ids[:i] + ids[i + 1 :] == sorted(ids[:i] + ids[i + 1 :])
        ),
        None,
    )


def _moved_detail(details: list[tuple[int, str, int]], first: int) -> _MovedRecord | None:
    """The one detail record out of its place, and the span of lines between where it is
    and where its number puts it (after the record numbered one less, else the header)."""
    ids = [record_id for _, _, record_id in details]
    moved = _moved_position(ids)
    if moved is None:
        return None
    line, kind, found = details[moved]
    after = details[ids.index(found - 1)][0] if found > 1 else first
    following = next((d[0] for d in details[moved + 1 :]), line + 1)
    low, high = min(line, after + 1), max(following, after + 1)
    return _MovedRecord(line, kind, found, after, low, high)


def _header_after_a_bom(text: str) -> bool:
    """A header record after a UTF-8 BOM, read as its three ISO-8859-1 letters: the
    second of two exports, each saved with a BOM, joined into one upload (R2, R40,
    inputs57; text.py does not take such a BOM for UTF-8). Named as the second file, as
    without the BOM, not as a record of an unknown type (or the file as UTF-8)."""
    return text.startswith("\xef\xbb\xbf01")


def _next_detail(text: str, detail_id: int) -> bool:
    """A record of an unknown type numbered as the next detail record: a 02, 03 or 04
    with a mistyped record type, so the numbering after it goes on from it."""
    record_id = text[2:14]
    return record_id.isdecimal() and int(record_id) == detail_id + 1


def _first_data_missing(layout: RecordLayout, length: int) -> Field | None:
    """The first field a record cut at ``length`` characters lacks data of; None when
    only spaces are missing: the tail of a text field, or optional text fields and
    RESERVE after it. Numbers are zero-filled, never spaces."""
    for item in layout.fields:
        if item.end <= length:
            continue
        if item.type is FieldType.N or (item.mandatory and item.start > length):
            return item
    return None
