"""The CSV template and the README's table of CSV columns, from the reader's own table
(billing_core.declarations.csv_template); tests check both are current.

    python -m local.csv_template     # rewrite events/declarations/template.csv and README
"""

from __future__ import annotations

from pathlib import Path

from billing_core.declarations.csv_template import (
    TEMPLATE_FILE_NAME,
    columns_markdown,
    template_csv,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "events" / "declarations" / TEMPLATE_FILE_NAME
README = ROOT / "README.md"
BEGIN, END = "<!-- csv-columns: begin -->\n", "<!-- csv-columns: end -->\n"


def readme_table(readme: str) -> str:
    """The README's generated table (between the two markers)."""
    return readme.split(BEGIN, 1)[1].split(END, 1)[0]


def with_table(readme: str, table: str) -> str:
    before, rest = readme.split(BEGIN, 1)
    return before + BEGIN + table + END + rest.split(END, 1)[1]


def main() -> None:
    TEMPLATE.write_bytes(template_csv())
    readme = README.read_text(encoding="utf-8")
    README.write_text(with_table(readme, columns_markdown()), encoding="utf-8")
    print(f"{TEMPLATE.relative_to(ROOT)}, {README.name}: written")


if __name__ == "__main__":
    main()
