"""An upload's report stores its long lists a page at a time, and a page of the API or the
portal reads only the pages it shows (R1, R2; issue 13 item 9; closing14's found list: a
report of 100,000 rejected lines was one 73 MB object read whole for each page)."""

from __future__ import annotations

import json

import pytest

from billing_core.declarations.reports import REPORT_PAGE, findings_not_kept, in_pages
from billing_core.services.provider.declarations import ReportPage, not_kept_of

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


def kept_row(code: str, line: int) -> dict[str, object]:
    return {
        "code": code,
        "line": line,
        "message": f"{code} nl {line}",
        "message_en": f"{code} {line}",
    }


# Stored before stop 48 (no "findings_not_kept"), paged: 250 rejected lines, all kept, and
# the first 50 of 1,000 warnings of one kind (reports.in_report_order), in report order.
OLD_ROWS = sorted(
    [kept_row("UZOVI_UNKNOWN", n) for n in range(2, 252)]
    + [kept_row("CSV_INVISIBLE_CHARACTER_REMOVED", n) for n in range(100, 150)],
    key=lambda row: (row["line"], row["code"]),
)
OLD_COUNTS = {"CSV_INVISIBLE_CHARACTER_REMOVED": 1000, "UZOVI_UNKNOWN": 250}


def test_a_paged_report_stored_before_it_said_what_it_did_not_keep_says_it_now():
    """R2, R35 (audit report3; stop 48 left it): a report stored before findings_not_kept
    existed, its findings in pages, said nothing of the findings it only counted.
    Given such a report: 250 rejected lines and 50 of 1,000 warnings of one kind kept
    When its findings_not_kept is read
    Then the kind is named by its first kept finding, with the 950 not kept, read from the
    page objects (the one function the report itself uses: reports.findings_not_kept)."""
    summary, pages = in_pages({"findings": OLD_ROWS, "finding_counts": OLD_COUNTS}, KEY)
    assert "findings_not_kept" not in summary and summary["findings_total"] == 300
    files = PagesRead(pages)

    said = not_kept_of(summary, OLD_COUNTS, KEY, files)  # type: ignore[arg-type]

    assert said == [
        {
            "code": "CSV_INVISIBLE_CHARACTER_REMOVED",
            "count": 950,
            "message": "CSV_INVISIBLE_CHARACTER_REMOVED nl 100",
            "message_en": "CSV_INVISIBLE_CHARACTER_REMOVED 100",
        }
    ]
    assert said == findings_not_kept(OLD_ROWS, OLD_COUNTS)


def test_a_paged_report_that_kept_every_finding_reads_no_page_for_it():
    """issue 13 item 9 (a page reads only what it shows): given an old paged report of
    260 rejected lines, every finding kept / When its findings_not_kept is read / Then it
    is empty and no page object was read."""
    rows = [kept_row("UZOVI_UNKNOWN", n) for n in range(2, 262)]
    summary, pages = in_pages({"findings": rows}, KEY)
    files = PagesRead(pages)
    counts = {"UZOVI_UNKNOWN": 260}
    assert not_kept_of(summary, counts, KEY, files) == [] and files.read == []  # type: ignore[arg-type]
