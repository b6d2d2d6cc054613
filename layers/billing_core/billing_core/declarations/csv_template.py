"""CSV for people (R40, interfaces.md §1a): the template a practice fills, and the README's
table of every column, both made from the table the reader itself uses
(csv_format.COLUMNS), so documentation, template and reader cannot drift apart.

The provider API's GET /api/v1/provider/declarations/template.csv and the portal's
GET /portal/declaratie-sjabloon.csv (linked from its Declaraties page) answer
``template_csv()`` with ``TEMPLATE_CONTENT_TYPE``, as ``DOWNLOAD_FILE_NAME``.
"""

from __future__ import annotations

from billing_core.declarations.csv_format import COLUMNS, SEPARATOR
from billing_core.shared.spreadsheet import csv_text, text_for_excel

TEMPLATE_FILE_NAME = "template.csv"
TEMPLATE_CONTENT_TYPE = "text/csv; charset=utf-8"
DOWNLOAD_FILE_NAME = "zorgnota-declaraties-sjabloon.csv"  # what the practice saves


def template_csv() -> bytes:
    """The header row of every column the reader knows, then one example line: a child
    whose parent pays, so that every column shows a value. Separated by semicolons, as
    Dutch Excel saves a CSV file."""
    header = (column.name for column in COLUMNS)
    example = [column.example for column in COLUMNS]
    # Excel opens a UTF-8 file as UTF-8 only with a byte order mark; the reader accepts one.
    return text_for_excel(csv_text(header, [example], delimiter=SEPARATOR)).encode("utf-8")


def columns_markdown() -> str:
    """The README's table of the CSV columns: name, required, format, example."""
    rows = ["| column | required | format | example |", "|---|---|---|---|"]
    rows += [
        f"| `{c.name}` | {'yes' if c.required else 'no'} | {c.format} | `{c.example}` |"
        for c in COLUMNS
    ]
    return "\n".join(rows) + "\n"
