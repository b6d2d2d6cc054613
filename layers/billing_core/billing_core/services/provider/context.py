"""The dependencies of the practice's use cases, in one object (issue 11)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from billing_core.ports import (
    DeliveryQueue,
    FileReader,
    ProviderSettingsStore,
    ProviderStore,
    UploadUrls,
    UserDirectory,
)
from billing_core.shared.clock import Clock


class ProviderSettingsAndData(ProviderStore, ProviderSettingsStore, Protocol):
    """The practice's data, and its own settings for the admin's self-service (R31)."""


@dataclass(frozen=True, slots=True)
class ProviderContext:
    store: ProviderSettingsAndData
    files: FileReader  # the output bucket: processing reports, retrocession statements
    uploads: UploadUrls
    delivery: DeliveryQueue  # confirmations of a stop or an applied coulance (R17, R21)
    clock: Clock
    users: UserDirectory  # the practice admin's colleagues (R32)
    upload_url_seconds: int = 900
