"""CsvRows gives the rows and line numbers csv.reader gives (interfaces.md §1a, #18 (b))."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing_core.declarations.csv_rows import CsvRows

# The characters csv.reader treats specially, and some it does not.
_ALPHABET = ';"\r\n ,\t\x00\x0b\x85\u2028a\u00e9'


def _csv_reader_rows(text: str) -> list[tuple[list[str], int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    return [(row, reader.line_num) for row in reader]


def _csv_rows(text: str) -> list[tuple[list[str], int]]:
    rows = CsvRows(text, ";")
    return [(row, rows.line_num) for row in rows]


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_every_text_reads_as_csv_reader_reads_it(text: str) -> None:
    # Given any text of separators, quotes, line ends and plain characters
    # When both read it
    # Then they give the same rows, each after the same number of physical lines
    assert _csv_rows(text) == _csv_reader_rows(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a;b\r\nc;d\r\n", id="windows line ends"),
        pytest.param("a;b\rc;d", id="old mac line ends, no end on the last"),
        pytest.param('a;"x;\r\ny";b\nc;d\n', id="a quoted field over two lines"),
        pytest.param('"a";"b"\n"c";"d"\n', id="every field quoted"),
        pytest.param('a;b"c\nd\n', id="a quote inside an unquoted field"),
        pytest.param('a;"unclosed\nb;c\n', id="a quote never closed runs to the end"),
        pytest.param("\n\n;\n", id="empty lines and a line of one separator"),
        pytest.param("a\x0bb;c\u2028d\n", id="breaks str.splitlines knows and csv does not"),
    ],
)
def test_the_cases_practice_files_show(text: str) -> None:
    assert _csv_rows(text) == _csv_reader_rows(text)


def test_a_second_loop_goes_on_where_the_first_stopped() -> None:
    # Given rows read by a loop that stops after the header, as the parser's does
    rows = CsvRows('h1;h2\n"a\nb";c\nd;e\n', ";")
    header = next(iter(rows))
    # When a second loop reads on
    rest = list(rows)
    # Then it starts at the line after the header, and counts on from there
    assert header == ["h1", "h2"]
    assert rest == [["a\nb", "c"], ["d", "e"]]
    assert rows.line_num == 4


def test_a_field_over_csvs_limit_raises_csvs_error() -> None:
    # Given an unquoted field longer than csv's field size limit
    text = "a;" + "x" * (csv.field_size_limit() + 1) + "\n"
    # When read, Then csv.reader's own error stops it, as it stops csv.reader
    with pytest.raises(csv.Error, match="field larger than field limit"):
        list(CsvRows(text, ";"))
