"""The order of payout batches (R24, R34; round 37): a week planned again has batches
``PO-{week}``, ``-2``, ... ``-10``, ``-11``; as text ``-10`` sorted before ``-2``, so the
operator's list showed a week's batches out of order. By week, then by number."""

from __future__ import annotations

import pytest

from billing_core.payments.transfer_batches import (
    BatchKind,
    TransferBatch,
    batch_order,
    newest_first,
)


@pytest.mark.parametrize(
    ("batch_id", "order"),
    [
        ("PO-2026-W48", ("PO-2026-W48", 1)),
        ("PO-2026-W48-2", ("PO-2026-W48", 2)),
        ("PO-2026-W48-10", ("PO-2026-W48", 10)),
        ("RF-20261130-123456", ("RF-20261130-123456", 1)),  # a refund's random part
    ],
)
def test_a_batch_sorts_by_its_week_and_its_number(batch_id, order):
    """R24, R34: the number in the week is a number (text puts -10 before -2)."""
    assert batch_order(batch_id) == order


def test_newest_first_puts_a_weeks_tenth_batch_after_its_ninth():
    ids = ["PO-2026-W47", "PO-2026-W48-2", "PO-2026-W48-10", "PO-2026-W48", "PO-2026-W48-9"]
    batches = [TransferBatch(i, BatchKind.PAYOUT, (), ()) for i in ids]
    assert [b.batch_id for b in newest_first(batches)] == [
        "PO-2026-W48-10",
        "PO-2026-W48-9",
        "PO-2026-W48-2",
        "PO-2026-W48",
        "PO-2026-W47",
    ]
