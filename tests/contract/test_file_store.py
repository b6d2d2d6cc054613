"""FileStore: the output bucket (reports, print batch, insurer claims, statements)."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from billing_core.adapters.s3 import S3FileStore
from billing_core.ports import FileGone

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


def test_the_files_under_a_prefix_are_listed_in_key_order_a_page_at_a_time(files_and_contents):
    """FileReader: the practice's insurer-claim exports (R5, interfaces.md §7) are listed
    under its own prefix only; a page ends at ``limit`` and says whether more follow."""
    files, _ = files_and_contents
    mine = "insurer-claims/tandarts-de-vries/"
    files.put(f"{mine}7095/D2.csv", b"a;b\n1;2\n", CSV)
    files.put(f"{mine}3311/D1.csv", b"a;b\n", CSV)
    files.put(f"{mine}7095/D1.csv", b"a\n", CSV)
    files.put("insurer-claims/fysio-centrum/3311/D1.csv", b"other practice", CSV)

    first = files.list_files(mine, "", 2)
    assert [(f.key, f.size_bytes) for f in first.files] == [
        (f"{mine}3311/D1.csv", 4),
        (f"{mine}7095/D1.csv", 2),
    ]
    assert first.more and all(f.written_at.tzinfo is not None for f in first.files)
    last = files.list_files(mine, first.files[-1].key, 2)
    assert ([f.key for f in last.files], last.more) == ([f"{mine}7095/D2.csv"], False)
    assert files.list_files(f"{mine}3322/", "", 2).files == []


def test_a_download_url_names_the_file_and_nothing_else(files_and_contents):
    """FileReader: a short-lived link to one export; the key holds ids only (no PII)."""
    files, _ = files_and_contents
    key = "insurer-claims/tandarts-de-vries/7095/20261123101500-ab12cd34.csv"
    files.put(key, b"a;b\n", CSV)
    url = files.download_url(key, 300)
    assert key in url and "300" in url


def test_a_file_exists_once_put_and_no_longer_once_taken_back(files_and_contents):
    """FileStore: a paper letter retried on a later day looks whether its first attempt
    put it in that day's print batch (R38); a key never written is not there."""
    files, _ = files_and_contents
    key = "print/2026-11-23/tandarts-de-vries/12820568792283.pdf"
    assert files.exists(key) is False
    files.put(key, b"%PDF-", "application/pdf")
    assert files.exists(key) is True
    assert files.exists("print/2026-11-24/tandarts-de-vries/12820568792283.pdf") is False
    files.delete(key)
    assert files.exists(key) is False


KEY = "print/2026-11-23/tandarts-de-vries/1.pdf"
DENIED, EMPTY, HOLDS_IT = "denied", "empty", "holds it"


@pytest.mark.parametrize(
    ("status", "listing", "there"),
    [
        (404, None, False),
        (403, EMPTY, False),
        (403, DENIED, None),
        (403, HOLDS_IT, None),
        (500, None, None),
    ],
)
def test_only_a_key_s3_says_is_not_there_is_missing_and_access_denied_is_an_error(
    status, listing, there
):
    """S3FileStore on S3 itself, which moto does not imitate here (moto answers a missing
    key 404 whatever the role may do). Given S3's answer to a HEAD and GET of a key, and
    for a 403 its listing of the key's own prefix (the functions may ListBucket only under
    the prefixes they read, template.yaml: S3 answers a missing key 403 when it does not
    count that grant), When the store is asked, Then a 404, or a 403 whose listing shows
    no such key, is "not there": exists() is False and get() raises FileGone (legal-nl.md
    §8: a kept file deleted at the end of its retention is said in words, R35). A 403 the
    listing does not explain (listing refused, or the key listed) and any other error are
    raised, so a delivery record is retried rather than a letter put again (R38)."""
    client = boto3.client("s3", region_name="eu-central-1")
    for operation in ("head_object", "get_object"):
        with Stubber(client) as stub:
            stub.add_client_error(operation, str(status), http_status_code=status)
            if listing == DENIED:
                stub.add_client_error("list_objects_v2", "AccessDenied", http_status_code=403)
            elif listing is not None:
                contents = [{"Key": KEY}] if listing == HOLDS_IT else []
                stub.add_response("list_objects_v2", {"Contents": contents, "KeyCount": 1})
            files = S3FileStore(client, "output")
            if there is None:
                with pytest.raises(ClientError):
                    files.exists(KEY) if operation == "head_object" else files.get(KEY)
            elif operation == "head_object":
                assert files.exists(KEY) is there
            else:
                with pytest.raises(FileGone):
                    files.get(KEY)
            stub.assert_no_pending_responses()
