"""A week's payout planned again after its batch was withdrawn (R24, R34, round 36): the
file of ``PO-{week}`` was refused (an account holder no bank accepts), say, and the
practice's account is mended since.

The week's plan stands: its settlements are what the statements show and what the next
weeks carried on from (the carried balance, the weeks settled), so they are copied, not
planned anew; only the transfers are made again. A module of its own, imported when a
week is planned again: the Monday run imports the payouts for every week (issue 18 (d)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from billing_core.payments.transfer_batches import (
    BatchState,
    BatchTransfer,
    Step,
    TransferBatch,
    end_to_end_id,
)
from billing_core.providers.payouts import payout_transfer
from billing_core.providers.provider import Provider


def plan_again(
    withdrawn: TransferBatch,
    batch_id: str,
    providers: Sequence[Provider],
    *,
    by: str,
    at: datetime,
) -> TransferBatch:
    """The week of the ``withdrawn`` payout batch, planned again as ``batch_id``: its
    settlements and waiting practices as they were (the statements show them, and the
    next weeks carried on from them), each payout a new transfer to the practice's account
    as it is now (mended, say, after the bank's file refused it). Proposed afresh: the
    withdrawn batch's approvals do not count (R34, four eyes on the new file)."""
    accounts = {provider.provider_id: provider for provider in providers}
    transfers: list[BatchTransfer] = []
    for settlement in withdrawn.settlements:
        if settlement.paid_cents > 0:  # a practice is never deleted: it is among providers
            transfer_id = end_to_end_id(batch_id, len(transfers) + 1)
            transfers.append(
                payout_transfer(accounts[settlement.provider_id], settlement, transfer_id)
            )
    return replace(
        withdrawn,
        batch_id=batch_id,
        state=BatchState.PROPOSED,
        transfers=tuple(transfers),
        steps=(Step("proposed", by, at),),
        file_key="",
        version=0,
    )
