"""The audit of reads (R32, NEN 7513): the fake and DynamoAuditLog on moto alike."""

from __future__ import annotations

from datetime import datetime, timedelta

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

    found = audit.reads(A, LAST_NIGHT - timedelta(minutes=30), LAST_NIGHT + timedelta(minutes=90))

    assert [r.subject for r in found] == ["inv-1", "inv-2", "inv-3"]
    assert found[2] == ReadRecord(moments[3], A, "user-sub-1", "viewer", ReadKind.INVOICE, "inv-3")
    assert audit.reads(B, LAST_NIGHT, LAST_NIGHT + timedelta(seconds=1))[0].kind == "export"
