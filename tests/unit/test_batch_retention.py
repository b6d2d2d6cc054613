"""How long a payout or refund batch is kept (legal-nl.md §8: kept 7 years after the end of
the year, then deleted; R39; round 38 audit RET1): from the Dutch day it was sent or
withdrawn, never while it is open, and never after its pain.001 (2,922 days)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from billing_core.payments.transfer_batches import (
    BatchKind,
    BatchState,
    Step,
    TransferBatch,
    kept_until,
)
from billing_core.shared.clock import AMSTERDAM

FILE_KEPT = timedelta(days=2922)  # template.yaml: the refunds/ and payouts/ rule


def batch(state: BatchState, *steps: tuple[str, datetime]) -> TransferBatch:
    return TransferBatch(
        batch_id="RF-20261123-abcdef",
        kind=BatchKind.REFUND,
        transfers=(),
        steps=tuple(Step(what, "operator-anna", at) for what, at in steps),
        state=state,
    )


PROPOSED = ("proposed", datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM))
APPROVED = ("approved", datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM))


@pytest.mark.parametrize(
    ("state", "last", "expected"),
    [
        # Given a batch still open, Then it is kept (business still to do)
        (BatchState.PROPOSED, None, None),
        (BatchState.APPROVED, APPROVED, None),
        # Given it was sent on 23 November 2026, Then it goes at the end of 2033
        (
            BatchState.SENT,
            ("sent", datetime(2026, 11, 23, 10, 1, tzinfo=AMSTERDAM)),
            date(2033, 12, 31),
        ),
        # sent at 00:30 on 1 January in the Netherlands (still 31 December in UTC): 2027's
        (BatchState.SENT, ("sent", datetime(2026, 12, 31, 23, 30, tzinfo=UTC)), date(2034, 12, 31)),
        # withdrawn: nothing moved, but it is not kept forever either
        (
            BatchState.WITHDRAWN,
            ("withdrawn", datetime(2027, 2, 1, 12, 0, tzinfo=AMSTERDAM)),
            date(2034, 12, 31),
        ),
    ],
)
def test_a_batch_is_kept_seven_years_after_the_year_it_was_sent_or_withdrawn(state, last, expected):
    steps = [PROPOSED, *([last] if last else [])]
    assert kept_until(batch(state, *steps)) == expected


@pytest.mark.parametrize(
    "sent_at",
    [
        datetime(2026, 1, 1, 0, 30, tzinfo=AMSTERDAM),  # the first moment of a year
        datetime(2026, 12, 31, 23, 30, tzinfo=AMSTERDAM),
        datetime(2027, 6, 15, 12, 0, tzinfo=AMSTERDAM),
        datetime(2028, 2, 29, 8, 0, tzinfo=AMSTERDAM),
    ],
)
def test_a_sent_batch_goes_no_later_than_its_file(sent_at):
    """Given a batch sent at ``sent_at``, whose pain.001 S3 deletes 2,922 days after it was
    written (at the next midnight UTC at the earliest), When its last day ends
    Then the file is still there: the batch goes first, never after it."""
    last_day = kept_until(batch(BatchState.SENT, PROPOSED, ("sent", sent_at)))
    assert last_day is not None
    batch_gone = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), AMSTERDAM)
    file_gone = sent_at + FILE_KEPT
    assert batch_gone <= file_gone
    assert batch_gone.year == sent_at.astimezone(AMSTERDAM).year + 8
