"""The insurer register: Dutch health insurers by UZOVI code, as versioned data (R33).

A declaration line names the insurer of the treatment's (start) date by its 4-digit
UZOVI code (interfaces.md §1a). The register says which codes exist, under which name,
in which group (concern) and with which labels, each row with its source: the insurer's
own pages for providers where they state the code (CZ group files go to 9664 for CZ,
OHRA and Nationale-Nederlanden, per CZ's provider pages). the README ("Insurer register") lists the
sources and what is still to be confirmed.

The shipped version is ``insurers.csv`` next to this module; an operator loads a new
version as CSV (``uzovi;name;group;labels;valid_from;source``, labels separated by
``|``), validated whole and refused whole with line numbers (services/operator/register).
A version holds every insurer, not a change: the one in force on a day is the latest
version whose ``valid_from`` is on or before it, and a treatment before the oldest
version is read with the oldest (codes outlive versions). The line rules send materials
of VGZ-group labels to the insurer first (legal-nl.md §6, R6).
"""

from __future__ import annotations

import bisect
import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _csv import Reader
    from collections.abc import Iterator

    from billing_core.ports import InsurerRegisterStore

COLUMNS = ("uzovi", "name", "group", "labels", "valid_from", "source")
SEPARATOR = ";"
LABEL_SEPARATOR = "|"
VGZ_GROUP = "VGZ"
SHIPPED_FILE = "insurers.csv"
SHIPPED_VERSION_NUMBER = 1


@dataclass(frozen=True, slots=True)
class Insurer:
    """An insurer in the UZOVI register (R33): its code, name, group and brand labels."""

    uzovi: str
    name: str
    group: str
    # Other brand names declared under the same UZOVI code (a label has no code of its own).
    labels: tuple[str, ...] = ()
    source: str = ""  # where the code was read: the insurer's page for providers


@dataclass(frozen=True, slots=True)
class InsurerRegister:
    """One version of the register: every insurer, in force from ``valid_from``."""

    version: str  # "2025-01-01.1": the valid-from date and the how-manieth load for it
    valid_from: date
    insurers: tuple[Insurer, ...]
    _by_uzovi: dict[str, Insurer] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_uzovi", {i.uzovi: i for i in self.insurers})

    def lookup(self, uzovi: str) -> Insurer | None:
        return self._by_uzovi.get(uzovi)

    def is_known(self, uzovi: str) -> bool:
        return uzovi in self._by_uzovi

    def is_vgz_group(self, uzovi: str) -> bool:
        """Materials of VGZ-group labels go to the insurer first (legal-nl.md §6, seed 004)."""
        insurer = self._by_uzovi.get(uzovi)
        return insurer is not None and insurer.group == VGZ_GROUP


@dataclass(frozen=True, slots=True)
class InsurerRegisters:
    """Every version, the shipped one and those operators loaded, by valid-from date."""

    versions: tuple[InsurerRegister, ...]
    _starts: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.versions:
            raise ValueError("an insurer register needs at least one version")
        ordered = tuple(sorted(self.versions, key=lambda r: (r.valid_from, _number(r.version))))
        object.__setattr__(self, "versions", ordered)
        object.__setattr__(self, "_starts", tuple(r.valid_from for r in ordered))

    def in_force(self, day: date) -> InsurerRegister:
        """The latest version valid on ``day``; the oldest for a day before every version."""
        position = bisect.bisect_right(self._starts, day)
        return self.versions[max(position - 1, 0)]

    def in_force_during(self, first: date, last: date | None) -> tuple[InsurerRegister, ...]:
        """Every version in force on a day from ``first`` to ``last`` (None: open-ended),
        oldest first: the versions a contract for that period is read with."""
        starts = (day for day in self._starts if first < day and (last is None or day <= last))
        in_force = [self.in_force(day) for day in (first, *starts)]
        return tuple({register.version: register for register in in_force}.values())

    def with_versions(self, loaded: Iterable[InsurerRegister]) -> InsurerRegisters:
        return InsurerRegisters((*self.versions, *loaded))

    def versions_before(self, new: InsurerRegister) -> tuple[InsurerRegister, ...]:
        """The versions ``new`` takes over from: the one in force the day before its
        valid_from, and a version of that same day (a second load of a day replaces it).
        A version from the first day there is (0001-01-01) has no day before it: it takes
        over from the oldest version, as any version before every version does."""
        eve_day = new.valid_from - timedelta(days=1) if new.valid_from > date.min else date.min
        eve = self.in_force(eve_day)
        same_day = self.in_force(new.valid_from)
        return (eve,) if same_day is eve else (eve, same_day)

    def dropped_by(self, new: InsurerRegister) -> tuple[str, ...]:
        """The codes a version ``new`` takes over from lists and ``new`` does not: a version
        lists every insurer, so from its valid_from each is unknown to every practice
        (R33). In order."""
        before = self.versions_before(new)
        listed = {insurer.uzovi for version in before for insurer in version.insurers}
        return tuple(sorted(code for code in listed if not new.is_known(code)))

    def group_changes_by(self, new: InsurerRegister) -> tuple[tuple[str, str, str], ...]:
        """(code, old group, new group) for each code ``new`` lists in another group than
        the version it takes over from (the same-day one first): the group is compared
        exactly, so from its valid_from "Coöperatie VGZ" sends 7095's materials to the
        patient at every practice (R6, legal-nl.md §6; R33). In order."""
        changes = []
        for insurer in new.insurers:
            found = (v.lookup(insurer.uzovi) for v in reversed(self.versions_before(new)))
            before = next((old for old in found if old is not None), None)
            if before is not None and before.group != insurer.group:
                changes.append((insurer.uzovi, before.group, insurer.group))
        return tuple(sorted(changes))

    def lost_at_next(self, new: InsurerRegister) -> tuple[InsurerRegister | None, tuple[str, ...]]:
        """The version loaded already that takes over from ``new`` (the first valid_from
        after it), and the codes ``new`` adds that it does not list: loaded, ``new`` would
        make them unknown again from that version's valid_from, at every practice (R33; a
        2027 version loaded in December drops an insurer added in January to the version
        in force). A code that version left out of the one ``new`` replaces was dropped
        already. (None, ()) when no later version is loaded."""
        following, replaced = self._next_and_replaced(new)
        if following is None:
            return None, ()
        lost = (
            insurer.uzovi
            for insurer in new.insurers
            if not following.is_known(insurer.uzovi) and not replaced.is_known(insurer.uzovi)
        )
        return following, tuple(sorted(lost))

    def group_changes_at_next(
        self, new: InsurerRegister
    ) -> tuple[InsurerRegister | None, tuple[tuple[str, str, str], ...]]:
        """The version loaded already that takes over from ``new``, and (code, group in
        ``new``, group in it) for each code whose group changes there because ``new`` is
        loaded: a back-dated version that lists 3999 in "VGZ" under a 2027 version listing
        it in "Nieuw" moves 3999's materials from the insurer to the patient on 1 January,
        at every practice (R6, legal-nl.md §6; R33). A change that was there already (the
        version ``new`` replaces has the same group) is not one. (None, ()) when no later
        version is loaded."""
        following, replaced = self._next_and_replaced(new)
        if following is None:
            return None, ()
        changes = []
        for insurer in new.insurers:
            later = following.lookup(insurer.uzovi)
            if later is None or later.group == insurer.group:
                continue
            old = replaced.lookup(insurer.uzovi)
            if old is None or old.group != insurer.group:
                changes.append((insurer.uzovi, insurer.group, later.group))
        return following, tuple(sorted(changes))

    def _next_and_replaced(
        self, new: InsurerRegister
    ) -> tuple[InsurerRegister | None, InsurerRegister]:
        """The version in force at the first valid_from after ``new``'s (None: none is
        loaded), and the version ``new`` replaces until then: the one that version took
        over from before ``new`` is loaded."""
        replaced = self.in_force(new.valid_from)
        later = [start for start in self._starts if start > new.valid_from]
        return (self.in_force(later[0]) if later else None), replaced


def version_label(valid_from: date, number: int) -> str:
    return f"{valid_from.isoformat()}.{number}"


def _number(version: str) -> int:
    return int(version.rsplit(".", 1)[-1])


# --- reading a version from CSV ------------------------------------------------------------


class RegisterProblem:
    """A line of an uploaded insurer register that could not be read (R33): ``said_as``,
    its sentences' key in texts.practice ``INPUTS``, with the ``values`` they name."""

    __slots__ = ("line", "said_as", "values")

    def __init__(self, line: int, said_as: str, /, **values: object) -> None:
        self.line = line  # 1 is the header
        self.said_as = said_as
        self.values = values

    def said(self, language: str) -> str:
        """'line 3: uzovi must be 4 digits', in ``language`` (nl, en)."""
        # Here, not at import: only a refused version needs the texts (issue 18 (d)).
        from billing_core.texts.practice import input_sentences

        problem = input_sentences(self.said_as, **self.values)[language]
        return input_sentences("register_line", line=self.line, problem=problem)[language]

    @property
    def message(self) -> str:
        """The problem in English, without its line (logs, tests)."""
        from billing_core.texts.practice import input_sentences

        return input_sentences(self.said_as, **self.values)["en"]


class RegisterRefused(ValueError):
    """The CSV is not a register version: nothing of it is used (refused whole)."""

    def __init__(self, problems: Sequence[RegisterProblem]) -> None:
        super().__init__("; ".join(p.said("en") for p in problems))
        self.problems = tuple(problems)


def parse_register_csv(text: str, number: int) -> InsurerRegister:
    """A whole register version from CSV; RegisterRefused with every problem by line.

    ``number``: how many versions with this valid-from date exist already, plus one."""
    # newline="", as the csv module asks: a line then ends at CR LF, LF or a CR alone (Excel
    # for Mac's "CSV (Macintosh)"), and csv judges a line break inside a quoted field
    # itself (R40; csvcols56: a CR-only file raised csv.Error, an error 500, not a refusal).
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=SEPARATOR)
    problems: list[RegisterProblem] = []
    rows = _rows(reader, problems)
    _, first_row = next(rows, (1, []))
    if problems:  # the header itself cannot be read
        raise RegisterRefused(problems)
    if tuple(cell.strip().lower() for cell in first_row) != COLUMNS:
        raise RegisterRefused(
            [RegisterProblem(1, "register_header", columns=SEPARATOR.join(COLUMNS))]
        )
    insurers: dict[str, tuple[int, Insurer]] = {}
    valid_from: set[date] = set()
    # Each code's and the first date's line, read from every row whose code or date has its
    # form, whatever else the row lacks: a file is refused with every problem named by line
    # (R33), not a code twice or a date that differs found only once the rest is mended.
    first_lines: dict[str, int] = {}
    first_day: tuple[int, date] | None = None
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        insurer, uzovi, day, found = _row(line, row)
        problems += found
        if uzovi in first_lines:
            problems.append(
                RegisterProblem(line, "register_uzovi_twice", uzovi=uzovi, first=first_lines[uzovi])
            )
        elif uzovi is not None:
            first_lines[uzovi] = line
        if day is not None and first_day is None:
            first_day = (line, day)
        elif day is not None and first_day is not None and day != first_day[1]:
            first, first_valid_from = first_day
            problems.append(
                RegisterProblem(
                    line,
                    "register_valid_from_differs",
                    valid_from=day.isoformat(),
                    first=first,
                    first_valid_from=first_valid_from.isoformat(),
                )
            )
        if insurer is not None and day is not None:
            insurers.setdefault(insurer.uzovi, (line, insurer))
            valid_from.add(day)
    if not insurers and not problems:
        problems.append(RegisterProblem(1, "register_empty"))
    if problems:
        raise RegisterRefused(problems)
    (day,) = valid_from
    listed = tuple(insurer for _, insurer in insurers.values())
    return InsurerRegister(version_label(day, number), day, listed)


def _rows(reader: Reader, problems: list[RegisterProblem]) -> Iterator[tuple[int, list[str]]]:
    """Each row with the line it starts on, as the operator's editor numbers it: a quoted
    field with a line break makes a row span lines (R40; as collection_report names a
    line of the agency's file). A row csv cannot read ends them, said in ``problems``:
    a field over csv's limit (a quote never closed that took the rest of the file in)
    raised csv.Error out of the parse, where a refusal naming the line is due (R33, R40;
    inputs57; the API's body of at most 60,000 characters keeps such a field from it)."""
    read_whole = 0  # the last line of the rows read whole: a row starts on the next one
    try:
        for row in reader:
            yield read_whole + 1, row
            read_whole = reader.line_num
    except csv.Error:
        limit = csv.field_size_limit()
        problems.append(RegisterProblem(read_whole + 1, "register_unreadable", limit=limit))


def _row(
    line: int, row: list[str]
) -> tuple[Insurer | None, str | None, date | None, list[RegisterProblem]]:
    """The row's insurer (None: a problem), its code and its date when each has its form
    (read even when another cell has a problem), and its problems."""
    if len(row) != len(COLUMNS):
        found = RegisterProblem(line, "register_field_count", found=len(row), expected=len(COLUMNS))
        return None, None, None, [found]
    # Here, not at import: the retour handler imports the register, not the spreadsheet.
    from billing_core.shared.spreadsheet import zero_put_back

    uzovi, name, group, labels, valid_from, source = (cell.strip() for cell in row)
    uzovi = zero_put_back(uzovi, 4)  # Excel saves 0101 as 101, as in a declaration (R40)
    names = tuple(label.strip() for label in labels.split(LABEL_SEPARATOR) if label.strip())
    problems = []
    well_formed = len(uzovi) == 4 and uzovi.isascii() and uzovi.isdigit()
    if not well_formed:
        problems.append(RegisterProblem(line, "register_uzovi_form"))
    for column, value in (("name", name), ("group", group), ("source", source)):
        if not value:
            problems.append(RegisterProblem(line, "register_column_empty", column=column))
    texts = (("name", (name,)), ("group", (group,)), ("labels", names), ("source", (source,)))
    for column, values in texts:
        problems += _line_breaks(line, column, values)
    if "," in labels:  # read as one label, shown so (audit onboard5): the separator is "|"
        problems.append(RegisterProblem(line, "register_labels_separator"))
    try:
        day: date | None = date.fromisoformat(valid_from)
    except ValueError:
        day = None
        problems.append(RegisterProblem(line, "register_valid_from_form"))
    code = uzovi if well_formed else None
    if problems:
        return None, code, day, problems
    return Insurer(uzovi, name, group, names, source), code, day, []


def _line_breaks(line: int, column: str, values: Sequence[str]) -> list[RegisterProblem]:
    """A line break inside a name, group, label or source (Alt+Enter in a cell, or a quote
    never closed that took the next rows into the field) is refused: a name is shown on
    one line, the group is compared exactly (R6), and rows taken into a field would be
    left out of the version unseen (R33). One between labels is stripped with them."""
    if any("\n" in value or "\r" in value for value in values):
        return [RegisterProblem(line, "register_line_break", column=column)]
    return []


def registers_in_use(store: InsurerRegisterStore | None) -> InsurerRegisters:
    """The shipped version and every version an operator loaded."""
    loaded = store.insurer_registers() if store is not None else []
    return shipped_registers().with_versions(loaded)


@cache
def shipped_registers() -> InsurerRegisters:
    """The version that ships with the code (insurers.csv), read once."""
    text = resources.files(__package__).joinpath(SHIPPED_FILE).read_text(encoding="utf-8")
    return InsurerRegisters((parse_register_csv(text, SHIPPED_VERSION_NUMBER),))
