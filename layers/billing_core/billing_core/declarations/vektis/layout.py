"""The vocabulary of a Vektis EI layout: fields, records and standards (vektis.md §1).

A layout is data (see ``layouts.py``); this module only knows how to slice a record by
it. Every record type of every standard version is one ``RecordLayout``: the reader,
the mapping and the writer all work from the same tables, so adding a version is adding
a table. A layout checks itself when it is built (no gaps, no overlaps, exactly the
record length), so a typo in a table fails at import, not on a provider's file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from operator import itemgetter
from typing import Any

# Slicing a field a layout does not have yields "", so the mapping can ask every
# version for the same keys (PM304 has no "deceased" flag, MZ301 no referral date).
_ABSENT = slice(0, 0)
# Upper-case element names from the spec sheet, made readable; these stay capitals.
_ACRONYMS = re.compile(r"\b(bsn|btw|iban|agb|uzovi)\b", re.IGNORECASE)


class FieldType(StrEnum):
    N = "N"  # digits, right-aligned, zero-padded
    AN = "AN"  # text, left-aligned, space-padded


class RecordType(StrEnum):
    HEADER = "01"  # voorlooprecord
    INSURED = "02"  # verzekerdenrecord: the patient
    DEBTOR = "03"  # debiteurrecord: who pays
    TREATMENT = "04"  # prestatierecord: one treatment line
    COMMENT = "98"  # commentaarrecord: free text on the record before it
    TRAILER = "99"  # sluitrecord: counts and total


class MessageKind(StrEnum):
    DECLARATION = "declaration"  # provider -> insurer (or servicebureau: us)
    RETOUR = "retour"  # insurer -> provider: what was granted per line


@dataclass(frozen=True, slots=True)
class Field:
    """One element of a Vektis record layout: its place, length, type and whether it is
    mandatory."""

    number: str  # element number on the sheet ("0408"); "" where the source has none
    key: str  # what the mapping asks for: the same key in every version
    name: str  # the Vektis element name, as on the sheet
    start: int  # 1-based, as on the sheet
    length: int
    type: FieldType
    mandatory: bool = False

    @property
    def end(self) -> int:
        return self.start + self.length - 1

    @property
    def slice(self) -> slice:
        return slice(self.start - 1, self.end)

    @property
    def label(self) -> str:
        """The element name a practice employee knows from the software's Vektis errors."""
        return _ACRONYMS.sub(lambda match: match[1].upper(), self.name.capitalize())


@dataclass(frozen=True)
class RecordLayout:
    """The layout of one Vektis record type: fields that follow each other without a gap."""

    record_type: RecordType
    name_nl: str
    name_en: str
    length: int
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        position = 1
        for item in self.fields:
            if item.start != position:
                raise ValueError(f"{self.record_type}: {item.name} at {item.start}, not {position}")
            position = item.end + 1
        if position != self.length + 1:
            raise ValueError(f"{self.record_type}: fields end at {position - 1}, not {self.length}")
        if len({item.key for item in self.fields}) != len(self.fields):
            raise ValueError(f"{self.record_type}: a key is used twice")

    @cached_property
    def by_key(self) -> Mapping[str, Field]:
        return {item.key: item for item in self.fields}

    def has(self, key: str) -> bool:
        return key in self.by_key

    def field(self, key: str) -> Field:
        return self.by_key[key]

    def label(self, key: str) -> str:
        """Element name with where it is: '<name> (record 04, pos. 59-66)'."""
        item = self.by_key.get(key)
        if item is None:
            return key
        return f"{item.label} (record {self.record_type.value}, pos. {item.start}-{item.end})"

    def getter(self, keys: Iterable[str]) -> Callable[[str], tuple[str, ...]]:
        """One C-level call slicing the named fields out of a record, in this order; a
        key this version lacks reads "". The reader's hot path: no per-field Python."""
        slices = [self.by_key[k].slice if k in self.by_key else _ABSENT for k in keys]
        if len(slices) == 1:
            only = slices[0]
            return lambda text: (text[only],)
        return itemgetter(*slices)

    @cached_property
    def mandatory_numeric(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.mandatory and f.type is FieldType.N)

    @cached_property
    def mandatory_text(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.mandatory and f.type is FieldType.AN)

    @cached_property
    def all_mandatory_filled(self) -> Callable[[str], object]:
        """Truthy (a match) when the record has this layout's length, every mandatory N
        field holds digits and every mandatory AN field is filled: the compiled pattern's
        own fullmatch, one C call and no Python frame for the common case. Neighbouring
        digit fields and neighbouring unchecked fields are one repeat each: the matcher's
        cost is per repeat as much as per character."""
        runs: list[list[Any]] = []  # [pattern of one character, length]; "" a filled AN field
        for item in self.fields:
            if item.mandatory and item.type is FieldType.N:
                character = "[0-9]"
            elif item.mandatory:
                character = ""
            else:
                character = "."
            if runs and character and runs[-1][0] == character:
                runs[-1][1] += item.length
            else:
                runs.append([character, item.length])
        pattern = "".join(
            f"{character}{{{length}}}" if character else f"(?! {{{length}}}).{{{length}}}"
            for character, length in runs
        )
        return re.compile(pattern, re.DOTALL).fullmatch

    def missing_mandatory(self, text: str) -> list[tuple[str, bool]]:
        """The mandatory fields that are not right: (key, is_numeric), in layout order."""
        return [
            (f.key, f.type is FieldType.N)
            for f in self.fields
            if f.mandatory
            and not (text[f.slice].isdecimal() if f.type is FieldType.N else text[f.slice].strip())
        ]

    @cached_property
    def labels(self) -> Mapping[str, str]:
        return {item.key: self.label(item.key) for item in self.fields}


@dataclass(frozen=True)
class Standard:
    """One version of one EI message: its records, told apart by (code, version, subversion)."""

    name: str  # "MZ301"
    code: str  # CODE EXTERNE-INTEGRATIEBERICHT, pos 3-5 of the 01 record
    version: str  # VERSIENUMMER BERICHTSTANDAARD, pos 6-7
    subversion: str  # SUBVERSIENUMMER BERICHTSTANDAARD, pos 8-9
    kind: MessageKind
    care: str  # which treatment-code table describes its lines: "dental", "paramedical"
    records: Mapping[RecordType, RecordLayout]
    # 03 layouts by VERSIENUMMER DEBITEURRECORD (pos 298-299): SB311 v1.0 "01", v2.0
    # "02"; "  " is the 03 built into the standard itself (MZ301 v1.3), if it has one.
    debtor_records: Mapping[str, RecordLayout] = field(default_factory=dict)
    answers: str = ""  # a retour: the declaration standard it answers ("PM304")

    def __post_init__(self) -> None:
        layouts = (*self.records.values(), *self.debtor_records.values())
        lengths = {layout.length for layout in layouts}
        if len(lengths) != 1:
            raise ValueError(f"{self.label}: records of different lengths {sorted(lengths)}")

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.code, self.version, self.subversion)

    @property
    def label(self) -> str:
        return f"{self.name} v{int(self.version)}.{int(self.subversion)}"

    @property
    def record_length(self) -> int:
        return self.records[RecordType.HEADER].length

    @property
    def record_types(self) -> frozenset[str]:
        """Record types this standard has (an 03 when it has any debtor layout)."""
        types = {t.value for t in self.records}
        if self.debtor_records:
            types.add(RecordType.DEBTOR.value)
        return frozenset(types)


Row = tuple[str, str, str, int, int, FieldType, bool]  # number, key, name, start, length, type, M


def record(
    record_type: RecordType, name_nl: str, name_en: str, length: int, rows: Iterable[Row]
) -> RecordLayout:
    """A layout from table rows."""
    return RecordLayout(record_type, name_nl, name_en, length, tuple(Field(*row) for row in rows))


def extended(base: RecordLayout, length: int, rows: Iterable[Row]) -> RecordLayout:
    """A retour record: the declaration's record (positions 1-310, copied by the insurer)
    followed by the insurer's own fields."""
    fields = (*base.fields, *(Field(*row) for row in rows))
    return RecordLayout(base.record_type, base.name_nl, base.name_en, length, fields)


def replaced(base: RecordLayout, rows: Iterable[Row], *, after: str) -> RecordLayout:
    """The same record with the fields after ``after`` replaced by ``rows`` (the SB311
    versions share positions 1-209 and differ from 210 on)."""
    keys = [f.key for f in base.fields]
    fields = (*base.fields[: keys.index(after) + 1], *(Field(*row) for row in rows))
    return RecordLayout(base.record_type, base.name_nl, base.name_en, base.length, fields)
