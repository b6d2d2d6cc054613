"""CSV for people (R40, interfaces.md §1a): the template a practice fills and the README's
column table come from the table the reader uses, so they cannot drift apart."""

from __future__ import annotations

import csv
import io
from datetime import date

from billing_core.declarations.csv_format import (
    COLUMNS,
    KNOWN_COLUMNS,
    REQUIRED_COLUMNS,
    parse_declaration_csv,
)
from billing_core.declarations.csv_template import columns_markdown, template_csv
from local import csv_template

TODAY = date(2026, 11, 23)


def test_the_template_has_every_column_and_one_example_line_the_reader_accepts():
    # Given the template a practice downloads
    data = template_csv()
    # Then it opens in Excel as UTF-8 (BOM), with a header of every column and one line
    assert data.startswith(b"\xef\xbb\xbf")
    header, example = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
    assert header == [column.name for column in COLUMNS] and set(header) == KNOWN_COLUMNS
    assert all(example), "every column shows an example"
    # And the reader takes the example line as it is: a child whose parent pays
    result = parse_declaration_csv(data, today=TODAY)
    assert result.findings == []
    [claim] = result.claims
    assert (claim.claim_ref, claim.debtor.last_name, claim.unit_price_cents) == (
        "TDV26-0042",
        "Dijk",
        2350,
    )


def test_the_reader_requires_the_columns_the_table_marks_required():
    # Given the template without one column the table marks required
    header = ";".join(c.name for c in COLUMNS if c.name != "insurer_uzovi")
    result = parse_declaration_csv(f"{header}\n".encode(), today=TODAY)
    # Then the reader names it missing
    assert "insurer_uzovi" in REQUIRED_COLUMNS
    missing = [f for f in result.findings if f.code == "FILE_MISSING_COLUMNS"]
    assert missing and missing[0].params == {"columns": "insurer_uzovi"}


def test_the_readme_documents_every_column_as_the_table_says():
    # The README's table is the generated one (python -m local.csv_template)
    readme = csv_template.README.read_text(encoding="utf-8")
    assert csv_template.readme_table(readme) == columns_markdown()
    for column in COLUMNS:
        assert f"| `{column.name}` | {'yes' if column.required else 'no'} |" in readme


def test_the_checked_in_template_is_current():
    assert csv_template.TEMPLATE.read_bytes() == template_csv()
