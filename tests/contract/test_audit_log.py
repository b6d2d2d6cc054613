"""The audit of reads (R32, NEN 7513): the fake and DynamoAuditLog on moto alike."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from billing_core.ports import InvalidPosition
from billing_core.shared.audit import Reader, ReadKind, ReadRecord
from billing_core.shared.clock import AMSTERDAM
from tests.contract.samples import A, B

VIEWER = Reader("user-sub-1", "viewer")
LAST_NIGHT = datetime(2026, 11, 30, 23, 30, tzinfo=AMSTERDAM)  # 22:30 UTC, still November


def test_reads_are_listed_per_provider_and_period_oldest_first(audit):
    """Given reads of practice A around midnight at the month's end (two UTC months) and
    one of practice B
    When an operator lists A's reads from that night's 23:00 to 01:00
    Then they come oldest first, with who, role, kind and id; the edges of the period
    hold (from inclusive, to exclusive) and B's read is not among them."""
    moments = [LAST_NIGHT + timedelta(minutes=m) for m in (-31, 0, 29, 60, 90)]
    for n, moment in enumerate(moments):
        audit.record_read(ReadRecord.of(VIEWER, A, ReadKind.INVOICE, f"inv-{n}", moment))
    audit.record_read(ReadRecord.of(VIEWER, B, ReadKind.EXPORT, "week", LAST_NIGHT))

    found, last = audit.reads(
        A, LAST_NIGHT - timedelta(minutes=30), LAST_NIGHT + timedelta(minutes=90), limit=10
    )

    assert [r.subject for r in found] == ["inv-1", "inv-2", "inv-3"]
    assert found[2] == ReadRecord(moments[3], A, "user-sub-1", "viewer", ReadKind.INVOICE, "inv-3")
    assert last is None
    [of_b], _ = audit.reads(B, LAST_NIGHT, LAST_NIGHT + timedelta(seconds=1), limit=10)
    assert of_b.kind == "export"


@pytest.mark.parametrize(
    ("limit", "sizes"),
    [(3, [3, 3, 1]), (5, [5, 2]), (2, [2, 2, 2, 1]), (6, [6, 1])],  # 5: ends at November's end
)
def test_reads_are_listed_in_pages_each_read_once_in_order(audit, limit, sizes):
    """R32 (round 38 small2: a quarter's reads in one answer could pass Lambda's 6 MB)
    Given seven reads of practice A over two UTC months, two of them at one moment
    When an operator lists them ``limit`` at a time, each page from the position the one
    before gave
    Then the pages hold every read once, oldest first, every page but the last a full
    one, and only the last page gives no position."""
    # 22:10 to 00:20 UTC: inv-5 and inv-6 in December's partition
    moments = [LAST_NIGHT + timedelta(minutes=m) for m in (-20, -10, 0, 0, 80, 95, 110)]
    for n, moment in enumerate(moments):
        audit.record_read(ReadRecord.of(VIEWER, A, ReadKind.INVOICE, f"inv-{n}", moment))
    since, until = LAST_NIGHT - timedelta(hours=1), LAST_NIGHT + timedelta(hours=3)

    pages, after = [], None
    while True:
        page, after = audit.reads(A, since, until, limit=limit, after=after)
        pages.append([r.subject for r in page])
        if after is None:
            break

    assert [len(page) for page in pages] == sizes
    listed = [subject for page in pages for subject in page]
    assert sorted(listed[2:4]) == ["inv-2", "inv-3"]  # one moment: either order, each once
    assert listed[:2] + listed[4:] == ["inv-0", "inv-1", "inv-4", "inv-5", "inv-6"]


def test_a_full_last_page_gives_no_position(audit):
    """Given exactly a page of reads, when listed, then no position leads to an empty page."""
    for n in range(3):
        moment = LAST_NIGHT + timedelta(minutes=n)
        audit.record_read(ReadRecord.of(VIEWER, A, ReadKind.INVOICE, f"inv-{n}", moment))
    found, last = audit.reads(A, LAST_NIGHT, LAST_NIGHT + timedelta(hours=1), limit=3)
    assert (len(found), last) == (3, None)


@pytest.mark.parametrize(
    "after",
    [
        "2026-11-30T22:30:00.000000+00:00#" + "0" * 31,  # not a read's id
        "2026-11-30T22:30:00+00:00#" + "0" * 32,  # not as the list writes a moment
        "2026-11-30T23:30:00.000000+01:00#" + "0" * 32,  # not in UTC
        "2026-12-30T22:30:00.000000+00:00#" + "0" * 32,  # outside the period
        "inv-1",
    ],
)
def test_a_position_no_page_of_this_period_gives_is_refused(audit, after):
    """Refused before the table is read (DynamoDB would refuse a start key outside the key
    condition; moto does not)."""
    with pytest.raises(InvalidPosition):
        audit.reads(A, LAST_NIGHT, LAST_NIGHT + timedelta(hours=1), limit=3, after=after)
