"""An upload's report stores its long lists a page at a time, and a page of the API or the
portal reads only the pages it shows (R1, R2; issue 13 item 9; closing14's found list: a
report of 100,000 rejected lines was one 73 MB object read whole for each page)."""

from __future__ import annotations

import json

import pytest

from billing_core.declarations.reports import REPORT_PAGE, in_pages
from billing_core.services.provider.declarations import ReportPage

KEY = "reports/praktijk/D1.json"


class PagesRead:
    """The page objects by key, and the keys read."""

    def __init__(self, pages: list[tuple[str, list[dict[str, int]]]]) -> None:
        self.bodies = {key: json.dumps(rows).encode() for key, rows in pages}
        self.read: list[str] = []

    def get(self, key: str) -> bytes:
        self.read.append(key)
        return self.bodies[key]


ROWS = [{"line": n} for n in range(450)]


@pytest.mark.parametrize(
    ("start", "size", "lines", "objects_read"),
    [
        (0, 200, range(0, 200), 0),
        (200, 200, range(200, 400), 1),
        (400, 200, range(400, 450), 1),
        (150, 100, range(150, 250), 1),  # a page size of its own spans two stored pages
        (3, 3, range(3, 6), 0),
        (450, 200, range(0), 0),
    ],
)
def test_a_page_of_a_stored_list_reads_the_stored_pages_it_spans(start, size, lines, objects_read):
    """Given a report of 450 findings as it is stored (the first 200 in its own object)
    When a page of ``size`` from ``start`` is read
    Then it has those findings, the total, and read only the page objects it spans."""
    summary, pages = in_pages({"findings": ROWS, "retour_codes": ROWS[:5]}, KEY)
    assert len(summary["findings"]) == REPORT_PAGE and summary["findings_total"] == 450
    assert summary["retour_codes"] == ROWS[:5] and "retour_codes_total" not in summary
    assert [key for key, _ in pages] == [
        "reports/praktijk/D1/findings-00001.json",
        "reports/praktijk/D1/findings-00002.json",
    ]
    files = PagesRead(pages)

    page = ReportPage.stored(summary, "findings", KEY, start, size, files)  # type: ignore[arg-type]

    assert [row["line"] for row in page.rows] == list(lines)
    assert (page.start, page.total, len(files.read)) == (start, 450, objects_read)


def test_a_report_with_its_whole_list_still_reads():
    """A report written before its lists were paged holds them whole: read as it is."""
    files = PagesRead([])
    page = ReportPage.stored({"findings": ROWS}, "findings", KEY, 400, 200, files)  # type: ignore[arg-type]
    assert [row["line"] for row in page.rows] == list(range(400, 450)) and files.read == []
