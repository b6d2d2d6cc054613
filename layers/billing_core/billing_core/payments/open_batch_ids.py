"""What migration version 12 found of each batch (ports.MigrationStore.add_open_batch_ids),
apart from transfer_batches.py and the ports: only the operator's data migrations load it,
so no other function pays a class more at its cold start (make bench (d))."""

from __future__ import annotations

from typing import NamedTuple


class OpenBatchIdsKept(NamedTuple):
    """Each payout and refund batch in one count (R13, R34): an open one whose id its kind's
    list item now keeps (``written``) or kept already (``present``); one sent or withdrawn,
    which needs none (``closed``); an open one saved again each time it was read, left to
    the next run (``changed``)."""

    written: int = 0
    present: int = 0
    closed: int = 0
    changed: int = 0
