"""How long a settled invoice is kept (legal-nl.md §8): "kept 7 years after the end of the
year they were settled (fiscal obligation), then deleted"."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.invoices.retention import kept_until, settled_on
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import make_invoice

ISSUED = make_invoice()
OWED = ISSUED.balance_cents
PAID_AT = datetime(2026, 11, 23, 12, 0, tzinfo=AMSTERDAM)


def entry(kind: EntryKind, cents: int, at: datetime, recorded_at: datetime | None = None):
    return LedgerEntry(kind, Component.PRINCIPAL, cents, at, "test", recorded_at=recorded_at)


PAID = entry(EntryKind.PAYMENT, -OWED, PAID_AT)
REVERSED = entry(EntryKind.REVERSAL, OWED, datetime(2027, 2, 1, 9, 0, tzinfo=AMSTERDAM))
PAID_AGAIN = entry(EntryKind.PAYMENT, -OWED, datetime(2027, 3, 1, 9, 0, tzinfo=AMSTERDAM))
STOPPED = entry(EntryKind.STOP, -OWED, datetime(2028, 5, 1, 9, 0, tzinfo=AMSTERDAM))
# New Year's Eve 23:30 in Amsterdam is 22:30 UTC: still 2026 on the Dutch calendar.
LATE_ON_NEW_YEARS_EVE = entry(
    EntryKind.PAYMENT, -OWED, datetime(2026, 12, 31, 23, 30, tzinfo=AMSTERDAM)
)
# Credited on Thursday 31 December, read from the statement on Monday 4 January.
READ_IN_JANUARY = entry(
    EntryKind.PAYMENT,
    -OWED,
    datetime(2026, 12, 31, 9, 0, tzinfo=AMSTERDAM),
    recorded_at=datetime(2027, 1, 4, 7, 0, tzinfo=AMSTERDAM),
)
OVERPAID = entry(EntryKind.PAYMENT, -OWED - 500, PAID_AT)
REFUNDED = entry(EntryKind.REFUND, 500, datetime(2027, 1, 12, 9, 0, tzinfo=AMSTERDAM))


@pytest.mark.parametrize(
    ("case", "entries", "settled", "last_day"),
    [
        ("unpaid", (), None, None),
        ("paid in full in 2026", (PAID,), date(2026, 11, 23), date(2033, 12, 31)),
        ("reopened by a reversal (R12)", (PAID, REVERSED), None, None),
        (
            "paid again after the reversal",
            (PAID, REVERSED, PAID_AGAIN),
            date(2027, 3, 1),
            date(2034, 12, 31),
        ),
        ("stopped or written off (R16, R19)", (STOPPED,), date(2028, 5, 1), date(2035, 12, 31)),
        (
            "paid 23:30 on New Year's Eve",
            (LATE_ON_NEW_YEARS_EVE,),
            date(2026, 12, 31),
            date(2033, 12, 31),
        ),
        (
            # the payment date decides (legal-nl.md §2, audit calendar D5): a year less
            "credited in December, read from the statement in January",
            (READ_IN_JANUARY,),
            date(2026, 12, 31),
            date(2033, 12, 31),
        ),
        ("overpaid: a refund still owed (R13)", (OVERPAID,), None, None),
        ("overpaid, then refunded", (OVERPAID, REFUNDED), date(2027, 1, 12), date(2034, 12, 31)),
    ],
)
def test_a_settled_invoice_is_kept_until_the_end_of_its_settled_year_plus_seven(
    case, entries, settled, last_day
):
    """legal-nl.md §8: settled (nothing owed either way) in year Y, kept until 31 December
    of Y + 7 on the Dutch calendar; an open invoice, or one owing a refund, has no end."""
    ledger = (*ISSUED.ledger, *entries)
    assert (settled_on(ledger), kept_until(ledger)) == (settled, last_day), case
