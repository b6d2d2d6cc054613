"""FileStore: the output bucket (reports, print batch, insurer claims, statements)."""

from __future__ import annotations

CSV = "text/csv; charset=utf-8"


def test_a_file_is_kept_under_its_key_and_a_second_put_replaces_it(files_and_contents):
    files, contents = files_and_contents
    files.put("reports/tandarts-de-vries/D1.json", b'{"outcome": "accepted"}', "application/json")
    files.put("retrocession/tandarts-de-vries/2026-W48.csv", b"first", CSV)
    files.put("retrocession/tandarts-de-vries/2026-W48.csv", b"again", CSV)
    assert contents() == {
        "reports/tandarts-de-vries/D1.json": b'{"outcome": "accepted"}',
        "retrocession/tandarts-de-vries/2026-W48.csv": b"again",
    }


def test_a_file_taken_back_is_gone_and_taking_back_twice_is_harmless(files_and_contents):
    """A file written for something that then did not happen is deleted (the dunning run's
    print batch); a retry deletes it again."""
    files, contents = files_and_contents
    files.put("print/2027-01-04/batch.pdf", b"%PDF-", "application/pdf")
    files.put("print/2027-01-04/other.pdf", b"%PDF-", "application/pdf")
    files.delete("print/2027-01-04/batch.pdf")
    files.delete("print/2027-01-04/batch.pdf")
    files.delete("never/written.pdf")
    assert contents() == {"print/2027-01-04/other.pdf": b"%PDF-"}


def test_a_file_put_is_read_back_as_it_was_written(files_and_contents):
    """FileReader: the portal opens a posted letter's PDF from the print batch (#16)."""
    files, _ = files_and_contents
    files.put("print/2026-11-20/tandarts-de-vries/1.pdf", b"%PDF-1.4 letter", "application/pdf")
    assert files.get("print/2026-11-20/tandarts-de-vries/1.pdf") == b"%PDF-1.4 letter"
