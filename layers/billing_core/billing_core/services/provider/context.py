"""The dependencies of the practice's use cases, in one object (issue 11)."""

from __future__ import annotations

from dataclasses import dataclass

from billing_core.ports import (
    DeliveryQueue,
    FileReader,
    ProviderStore,
    TransferBatches,
    UploadUrls,
)
from billing_core.shared.clock import Clock


@dataclass(frozen=True, slots=True)
class ProviderContext:
    store: ProviderStore
    files: FileReader  # the output bucket: processing reports, retrocession statements
    uploads: UploadUrls
    delivery: DeliveryQueue  # confirmations of a stop or an applied coulance (R17, R21)
    clock: Clock
    upload_url_seconds: int = 900
    batches: TransferBatches | None = None  # the payout batches: the statement's payout state
