"""The insurer register as versioned data (R33; R2 unknown insurer, R6 / legal-nl.md §6
VGZ-group materials). The table in code became a CSV file in the layer with a source per
row and a valid-from date, so the old table tests are now about the register."""

from datetime import date

import pytest

from billing_core.declarations.rules.insurers import (
    InsurerRegisters,
    RegisterRefused,
    parse_register_csv,
    shipped_registers,
)

HEADER = "uzovi;name;group;labels;valid_from;source\n"
TODAY = date(2026, 11, 23)


def shipped():
    return shipped_registers().in_force(TODAY)


@pytest.mark.parametrize(
    "uzovi, name, group",
    [
        ("9664", "CZ groep (centrale verwerkingseenheid)", "CZ"),
        ("3311", "Zilveren Kruis", "Achmea"),
        ("7095", "VGZ", "VGZ"),
        ("0101", "Univé", "VGZ"),
        ("3343", "ONVZ", "ONVZ"),
        ("7029", "DSW", "DSW"),
    ],
)
def test_the_shipped_register_finds_a_listed_insurer(uzovi, name, group):
    # Given the shipped register / When a code is looked up / Then its name and group
    insurer = shipped().lookup(uzovi)
    assert (insurer.name, insurer.group) == (name, group)
    assert shipped().is_known(uzovi)


def test_cz_ohra_and_nationale_nederlanden_files_go_to_9664_as_cz_says():
    # R33: CZ's own provider pages say so; the source column keeps the address.
    cz = shipped().lookup("9664")
    assert set(cz.labels) == {"CZ", "OHRA", "Nationale-Nederlanden"}
    assert cz.source.startswith("https://www.cz.nl/zorgaanbieder/")


@pytest.mark.parametrize("uzovi", ["9999", "", "101", "33110", " 3311", "abcd"])
def test_unknown_or_malformed_codes_are_not_known(uzovi):
    assert shipped().lookup(uzovi) is None
    assert not shipped().is_known(uzovi)
    assert not shipped().is_vgz_group(uzovi)


@pytest.mark.parametrize(
    "uzovi, vgz_group",
    [
        *[("7095", True), ("0101", True), ("3334", True), ("3361", True), ("0736", True)],
        *[("3311", False), ("3332", False), ("7029", False), ("9664", False)],
    ],
)
def test_vgz_group_labels_take_materials_first(uzovi, vgz_group):
    # legal-nl.md §6: materials of VGZ-group labels go to the insurer first.
    assert shipped().is_vgz_group(uzovi) is vgz_group


def test_every_shipped_row_has_a_source_and_one_code():
    rows = shipped().insurers
    assert len({i.uzovi for i in rows}) == len(rows)
    assert all(i.source and len(i.uzovi) == 4 and i.uzovi.isdigit() for i in rows)


def test_the_version_in_force_is_the_latest_valid_on_the_day():
    """Given the shipped version (2025-01-01) and a loaded one from 2027-01-01
    When a treatment date is looked up
    Then before 2027 the shipped one answers, from 2027-01-01 the new one, and a day
    before every version is read with the oldest."""
    later = parse_register_csv(HEADER + "1234;Nieuw;Nieuw;;2027-01-01;https://example.org\n", 1)
    registers = shipped_registers().with_versions([later])
    assert registers.in_force(date(2026, 12, 31)).version == "2025-01-01.1"
    assert registers.in_force(date(2027, 1, 1)).version == "2027-01-01.1"
    assert registers.in_force(date(2019, 5, 1)).version == "2025-01-01.1"
    assert not registers.in_force(date(2027, 1, 1)).is_known("3311")


def test_a_period_is_read_with_every_version_in_force_on_one_of_its_days():
    """R31 (contracts as periods), R33: the versions a contract is checked against."""
    # Given the shipped version (2025-01-01), and versions from 2027-01-01 (twice) and 2028
    later = parse_register_csv(HEADER + "1234;Nieuw;Nieuw;;2027-01-01;https://example.org\n", 1)
    again = parse_register_csv(HEADER + "1235;Nieuw;Nieuw;;2027-01-01;https://example.org\n", 2)
    last = parse_register_csv(HEADER + "1236;Nieuw;Nieuw;;2028-01-01;https://example.org\n", 1)
    registers = shipped_registers().with_versions([later, again, last])

    def during(first, until):
        return [r.version for r in registers.in_force_during(first, until)]

    # Then a period is read with the version in force on its first day, and each that
    # starts in it (the second load of a day in place of the first)
    assert during(date(2026, 1, 1), date(2026, 12, 31)) == ["2025-01-01.1"]
    assert during(date(2026, 1, 1), date(2027, 1, 1)) == ["2025-01-01.1", "2027-01-01.2"]
    assert during(date(2027, 6, 1), None) == ["2027-01-01.2", "2028-01-01.1"]
    assert during(date(2019, 1, 1), date(2019, 12, 31)) == ["2025-01-01.1"]


def test_a_second_load_for_the_same_day_replaces_the_first():
    first = parse_register_csv(HEADER + "1111;A;A;;2027-01-01;src\n", 1)
    second = parse_register_csv(HEADER + "2222;B;B;;2027-01-01;src\n", 2)
    registers = InsurerRegisters((second, first))
    assert registers.in_force(date(2027, 3, 1)).version == "2027-01-01.2"


def test_a_version_is_refused_whole_with_every_problem_by_line():
    text = (
        HEADER
        + "3311;Zilveren Kruis;Achmea;;2027-01-01;https://example.org\n"
        + "33A1;Broken;Achmea;;2027-01-01;src\n"
        + "3311;Twice;Achmea;;2027-01-01;src\n"
        + "7029;DSW;DSW;;1-1-2027;\n"
    )
    with pytest.raises(RegisterRefused) as refused:
        parse_register_csv(text, 1)
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (3, "uzovi must be 4 digits"),
        (4, "uzovi 3311 is also on line 2"),
        (5, "source is empty"),
        (5, "valid_from must be a date YYYY-MM-DD"),
    ]


def test_a_code_twice_and_a_date_that_differs_are_named_on_rows_with_other_problems_too():
    """R33 (a bad file: nothing loaded, every problem named by line); audit58c: a row with
    any problem was left out of the checks for a code twice and for one valid_from, so the
    code twice and the dates that differ were named only after the rest was mended, and a
    date that differs was named on line 1, not on its own line.
    Given a version whose line 2 lacks its source, line 3 repeats line 2's code, line 4
    lacks its group and has another valid_from, and line 5 has that other valid_from only
    When it is read
    Then every one of those problems is named on its own line, the dates with the first."""
    text = (
        HEADER
        + "3999;Nieuw;Nieuw;;2027-01-01;\n"
        + "3999;Twee;Twee;;2027-01-01;src\n"
        + "3998;Y;;;2026-01-01;src\n"
        + "3997;Z;Z;;2026-01-01;src\n"
    )
    with pytest.raises(RegisterRefused) as refused:
        parse_register_csv(text, 1)
    differs = "valid_from 2026-01-01 differs from 2027-01-01 on line 2: every row of one"
    differs += " version has the same valid_from"
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (2, "source is empty"),
        (3, "uzovi 3999 is also on line 2"),
        (4, "group is empty"),
        (4, differs),
        (5, differs),
    ]
    assert refused.value.problems[-1].said("nl") == (
        "regel 5: valid_from 2026-01-01 wijkt af van 2027-01-01 op regel 2: elke regel van"
        " één versie heeft dezelfde valid_from"
    )


@pytest.mark.parametrize(
    "text",
    ["", "uzovi,name,group,labels,valid_from,source\n", HEADER],
    ids=["empty", "comma-separated", "header only"],
)
def test_not_a_register_is_refused(text):
    with pytest.raises(RegisterRefused):
        parse_register_csv(text, 1)


def test_one_version_has_one_valid_from():
    text = HEADER + "1111;A;A;;2027-01-01;src\n2222;B;B;;2027-02-01;src\n"
    with pytest.raises(RegisterRefused, match="same valid_from"):
        parse_register_csv(text, 1)


SHIPPED_CODES = ("0101", "0736", "3311", "3313", "3332", "3334", "3343", "3351", "3358")
SHIPPED_CODES += ("3361", "3365", "7029", "7037", "7095", "9018", "9664")


def _version(valid_from, *codes, number=1):
    rows = "".join(f"{code};N{code};G;;{valid_from};src\n" for code in codes)
    return parse_register_csv(HEADER + rows, number)


@pytest.mark.parametrize(
    "loaded, new, dropped",
    [
        pytest.param([], ("2026-01-01", "9999"), SHIPPED_CODES, id="one row drops all 16"),
        pytest.param([], ("2026-01-01", *SHIPPED_CODES, "9999"), (), id="every code and one more"),
        pytest.param(
            [], ("2026-01-01", *(c for c in SHIPPED_CODES if c != "3358")), ("3358",), id="merged"
        ),
        pytest.param(
            [("2026-01-01", *SHIPPED_CODES, "9999")],
            ("2026-01-01", *SHIPPED_CODES),
            ("9999",),
            id="a second load of the day is read against the first too",
        ),
        pytest.param(
            [("2027-01-01", "1234")],
            ("2026-01-01", *SHIPPED_CODES),
            (),
            id="a later version is not the one before",
        ),
        pytest.param([], ("2019-01-01", "9664"), SHIPPED_CODES[:-1], id="before every version"),
    ],
)
def test_a_new_version_names_the_codes_it_drops(loaded, new, dropped):
    """R33: a version lists every insurer, so a code the version in force the day before
    (or a version of the same day it follows) lists and the new one does not is unknown
    to every practice from its valid_from (audit COVERAGE4).
    Given the shipped version and the versions loaded
    When a new version is read against them
    Then it names exactly the codes it drops, in order."""
    registers = shipped_registers().with_versions(_version(*v) for v in loaded)
    number = 2 if loaded and loaded[0][0] == new[0] else 1
    assert registers.dropped_by(_version(*new, number=number)) == dropped


def test_a_version_from_the_first_day_there_is_is_read_against_the_oldest_not_a_crash():
    """R33, R31 (validated on write: an operator's load is answered, never a 500); audit
    statements round 43: POST /operator/insurers with valid_from 0001-01-01 raised
    OverflowError (the day before it is no date), a 500 instead of an answer.
    Given the shipped version (from 2025-01-01)
    When a version from 0001-01-01 is read against it
    Then it takes over from the oldest version, like any version before every version,
    and names the codes it drops."""
    registers = shipped_registers()
    new = _version(date.min.isoformat(), "9664")
    assert registers.versions_before(new) == (registers.in_force(date(2025, 1, 1)),)
    assert registers.dropped_by(new) == SHIPPED_CODES[:-1]


def test_r33_labels_separated_by_commas_are_refused_with_the_separator_to_use():
    """R33 (a version loaded by an operator, validated whole), R31 (never a half-valid
    item), audit onboard5: given a version whose labels are written as the operator reads
    them elsewhere, "CZ,OHRA,Nationale-Nederlanden" (interfaces.md §6 names the column,
    not its separator), when it is loaded, then it is refused naming the line and "|"; it
    was loaded with one label "CZ,OHRA,Nationale-Nederlanden", shown so on every CZ
    practice's settings page."""
    text = HEADER + "9664;CZ groep;CZ;CZ,OHRA,Nationale-Nederlanden;2027-01-01;src\n"
    with pytest.raises(RegisterRefused) as refused:
        parse_register_csv(text, 1)
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (2, 'labels are separated by "|", like CZ|OHRA, not by a comma')
    ]


def test_r40_r33_a_code_excel_saved_without_its_leading_zero_is_read_with_it():
    """R40 (CSV as Dutch Excel saves it), R33; register2_55: a register whose 0101 Excel
    saved as 101 was refused "uzovi must be 4 digits", while a declaration's 101 is read
    as 0101 (csv_format): both read Excel's form alike.
    Given a version whose Univé row says 101, and one that lists 0101 too
    When each is loaded
    Then the first lists Univé under 0101; the second names 0101 twice."""
    # Given / When
    text = HEADER + "9664;CZ;CZ;;2027-01-01;src\n101;Univé;VGZ;;2027-01-01;src\n"
    register = parse_register_csv(text, 1)
    # Then
    assert [insurer.uzovi for insurer in register.insurers] == ["9664", "0101"]
    assert register.lookup("0101").name == "Univé"
    with pytest.raises(RegisterRefused) as refused:
        parse_register_csv(text + "0101;Univé;VGZ;;2027-01-01;src\n", 1)
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (4, "uzovi 0101 is also on line 3")
    ]


def test_r40_r33_a_refusal_names_the_line_a_row_starts_on_after_a_field_spanning_lines():
    """R40, R33 (refused whole with line numbers); register2_55: a quoted field with a
    line break (labels typed with Alt+Enter in Excel) makes a row span two lines, and a
    refusal counted rows: "line 3" for the row on line 4 of the file.
    Given a version whose first row's labels span lines 2 and 3, a bad code on line 4 and
    a code twice on line 5
    When it is loaded
    Then each problem names the line its row starts on, and the first row's labels are
    read without the line break."""
    # Given
    text = (
        HEADER
        + '9664;CZ;CZ;"CZ|\nOHRA";2027-01-01;src\n'
        + "33A1;Broken;Achmea;;2027-01-01;src\n"
        + "9664;Twice;CZ;;2027-01-01;src\n"
    )
    # When
    with pytest.raises(RegisterRefused) as refused:
        parse_register_csv(text, 1)
    # Then
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (4, "uzovi must be 4 digits"),
        (5, "uzovi 9664 is also on line 2"),
    ]
    first_row = text.split("33A1")[0]
    assert parse_register_csv(first_row, 1).lookup("9664").labels == ("CZ", "OHRA")


@pytest.mark.parametrize(
    "row, column",
    [
        ('9664;"CZ\ngroep";CZ;;2027-01-01;src\n', "name"),
        ('9664;CZ;"C\r\nZ";;2027-01-01;src\n', "group"),
        ('9664;CZ;CZ;"CZ|Nationale-\nNederlanden";2027-01-01;src\n', "labels"),
        ('9664;CZ;CZ;;2027-01-01;"src\n0101;Univé;VGZ;;2027-01-01;src\n', "source"),
    ],
    ids=["name", "group", "label", "a quote never closed takes the next row"],
)
def test_r33_a_line_break_inside_a_name_group_label_or_source_is_refused(row, column):
    """R33 (validated whole), R36 (a name is printed on one line), R6 (the group is compared
    exactly); register2_55: a name holding a line break was loaded, and a quote never
    closed took the rows after it into the source, leaving those insurers out unseen.
    Given a version whose row holds a line break inside ``column``
    When it is loaded
    Then it is refused naming line 2 and that column."""
    # Given / When
    with pytest.raises(RegisterRefused) as refused:
        parse_register_csv(HEADER + row, 1)
    # Then
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (2, f"{column} holds a line break (Alt+Enter in a cell, or a quote that is not closed)")
    ]


@pytest.mark.parametrize(
    "name, separator",
    [("CZ", "\r"), ('"CZ; OHRA"', "\r"), ("CZ", "\r\n")],
    ids=["cr-only", "cr-only-quoted-separator", "crlf"],
)
def test_r40_r33_a_register_with_cr_only_line_ends_is_read_as_any_other(name, separator):
    """R40 (a CSV as Excel saves it), R33; csvcols56: Excel for Mac's "CSV (Macintosh)"
    ends each line with a CR alone; read without newline="" (the csv module's documented
    way) every such file raised csv.Error, an error instead of a version or a refusal.
    Given a version of two rows whose lines end in ``separator``
    When it is loaded
    Then both insurers are listed, the first by its name as typed."""
    # Given
    rows = [HEADER.strip(), f"9664;{name};CZ;;2027-01-01;src", "7095;VGZ;VGZ;;2027-01-01;src"]
    text = separator.join(rows) + separator
    # When
    register = parse_register_csv(text, 1)
    # Then
    assert [insurer.uzovi for insurer in register.insurers] == ["9664", "7095"]
    assert register.lookup("9664").name == name.strip('"')


def test_r40_r33_a_cr_inside_a_quoted_name_of_a_cr_only_file_is_refused_on_its_line():
    """R33, R36, R40; csvcols56: Given a CR-only version whose second row's name holds a
    CR inside its quotes (Alt+Enter), When it is loaded, Then it is refused naming line 3
    and the name, as in a file with CR LF line ends (before: csv.Error)."""
    rows = [HEADER.strip(), "9664;CZ;CZ;;2027-01-01;src", '7095;"VGZ\rgroep";VGZ;;2027-01-01;src']
    with pytest.raises(RegisterRefused) as refused:
        parse_register_csv("\r".join(rows) + "\r", 1)
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (3, "name holds a line break (Alt+Enter in a cell, or a quote that is not closed)")
    ]


# A field longer than csv's limit (131,072 characters): a quote never closed that took the
# rest of a long file into one field, or a text pasted into a cell.
OVER_THE_LIMIT = [
    (HEADER + "9664;CZ;CZ;;2027-01-01;" + "x" * 140_000 + "\n", 2),
    (
        HEADER
        + "0101;Univ\u00e9;VGZ;;2027-01-01;src\n"
        + '3311;"Zilveren Kruis;Achmea;;2027-01-01;src\n'
        + "7095;VGZ;VGZ;;2027-01-01;src\n" * 5_000,
        3,
    ),
    ("x" * 140_000 + "\n" + "9664;CZ;CZ;;2027-01-01;src\n", 1),
]


@pytest.mark.parametrize(
    "text, line", OVER_THE_LIMIT, ids=["long-source", "quote-never-closed", "long-header"]
)
def test_r33_r40_a_field_over_csvs_limit_is_refused_naming_its_line(text, line):
    """R33 (refused whole, every problem by line), R40; inputs57: a field over the csv
    module's limit raised csv.Error out of the load, an error instead of a refusal.
    Given a version with a field of more than 131,072 characters starting on ``line``
    When it is loaded
    Then it is refused whole, naming that line and the likely cause, in Dutch and English."""
    # When
    with pytest.raises(RegisterRefused) as refused:
        parse_register_csv(text, 1)
    # Then
    [problem] = refused.value.problems
    assert problem.line == line
    assert problem.said("en") == (
        f"line {line}: cannot be read as CSV: a field is longer than 131072 characters,"
        ' probably because of a quote (") that is not closed'
    )
    assert problem.said("nl") == (
        f"regel {line}: niet als CSV te lezen: een veld is langer dan 131072 tekens,"
        ' waarschijnlijk door een aanhalingsteken (") dat niet gesloten is'
    )


def test_r33_a_row_before_the_unreadable_one_is_refused_with_it():
    """R33 (refused whole with every problem by line): Given a bad code on line 2 and a
    field over csv's limit on line 3, When the version is loaded, Then both are named."""
    text = HEADER + "33A1;Broken;Achmea;;2027-01-01;src\n" + "9664;" + "x" * 140_000 + "\n"
    with pytest.raises(RegisterRefused) as refused:
        parse_register_csv(text, 1)
    assert [p.line for p in refused.value.problems] == [2, 3]
    assert refused.value.problems[0].message == "uzovi must be 4 digits"


def _shipped_from(valid_from, turned=("", ""), added="", number=1):
    """The shipped rows from ``valid_from``, ``turned`` (old, new) replaced in the CSV
    text, ``added`` rows after them."""
    text = HEADER + "".join(
        f"{i.uzovi};{i.name};{i.group};{'|'.join(i.labels)};{valid_from};{i.source}\n"
        for i in shipped().insurers
    )
    return parse_register_csv(text.replace(*turned) + added, number)


def test_r6_r33_a_new_version_names_the_codes_whose_group_it_changes():
    """R33, R6 / legal-nl.md §6 (seed 004): the group decides where VGZ-group materials
    go, compared exactly, so 7095 turned "Coöperatie VGZ" by a new version silently sent
    its materials to the patient at every practice (audit onboard5, register5).
    Given the shipped version (7095 in group VGZ)
    When a version from 2026-01-01 gives 7095 another group, or adds a code, or changes
    nothing, or follows a same-day load that changed it already
    Then it names exactly the codes whose group it changes, with the old and new group."""
    registers = shipped_registers()
    turned = ("7095;VGZ;VGZ;", "7095;VGZ;Coöperatie VGZ;")
    changed = _shipped_from("2026-01-01", turned)
    assert registers.group_changes_by(changed) == (("7095", "VGZ", "Coöperatie VGZ"),)
    with_new = _shipped_from("2026-01-01", added="9999;Nieuw;Nieuwe groep;;2026-01-01;src\n")
    assert registers.group_changes_by(with_new) == ()
    assert registers.group_changes_by(_shipped_from("2026-01-01")) == ()
    after_first = registers.with_versions([changed])
    again = _shipped_from("2026-01-01", turned, number=2)
    assert after_first.group_changes_by(again) == ()


VGZ_TURNED = ("7095;VGZ;VGZ;", "7095;VGZ;Coöperatie VGZ;")
NEW_IN = "9999;Nieuw;{group};;{day};src\n"


@pytest.mark.parametrize(
    "later, new, changes",
    [
        pytest.param(
            _shipped_from("2027-01-01", added=NEW_IN.format(group="Nieuw", day="2027-01-01")),
            _shipped_from("2026-06-01", added=NEW_IN.format(group="VGZ", day="2026-06-01")),
            (("9999", "VGZ", "Nieuw"),),
            id="a code it adds, in another group than the later version",
        ),
        pytest.param(
            _shipped_from("2027-01-01"),
            _shipped_from("2026-06-01", VGZ_TURNED),
            (("7095", "Coöperatie VGZ", "VGZ"),),
            id="a group it changes, turned back by the later version",
        ),
        pytest.param(
            _shipped_from("2027-01-01", VGZ_TURNED),
            _shipped_from("2026-06-01"),
            (),
            id="the later version's change was there already",
        ),
        pytest.param(
            _shipped_from("2027-01-01", VGZ_TURNED),
            _shipped_from("2026-06-01", ("7095;VGZ;VGZ;", "7095;VGZ;VGZ Groep;")),
            (("7095", "VGZ Groep", "Coöperatie VGZ"),),
            id="a third group: another change at the later version than before",
        ),
        pytest.param(
            _shipped_from("2027-01-01", VGZ_TURNED),
            _shipped_from("2026-06-01", VGZ_TURNED),
            (),
            id="the later version's group taken earlier: no change left there",
        ),
    ],
)
def test_r6_r33_a_back_dated_version_names_the_group_changes_at_the_later_version(
    later, new, changes
):
    """R6 / legal-nl.md §6, R33 (audit register50): a version loaded under a later one
    loaded already is taken over by it at the later one's valid_from, so a group the two
    list differently changes there because of the load, where materials go from then on.
    Given the shipped version and a 2027-01-01 version loaded already
    When a version from 2026-06-01 is read against them
    Then it names the later version and exactly the changes there that the load makes
    (a change the version it replaces made there already is none)."""
    registers = shipped_registers().with_versions([later])
    following, found = registers.group_changes_at_next(new)
    assert following == later
    assert found == changes


def test_r33_a_version_with_no_later_one_has_no_group_change_at_a_later_date():
    """R33: Given only the shipped version When a version from 2026-06-01 that changes
    7095's group is read Then no later version and no change at a later date (the change
    at its own valid_from is group_changes_by's)."""
    new = _shipped_from("2026-06-01", VGZ_TURNED)
    assert shipped_registers().group_changes_at_next(new) == (None, ())
    assert shipped_registers().group_changes_by(new) == (("7095", "VGZ", "Coöperatie VGZ"),)
