"""The dependencies of the back office's use cases, in one object (issue 11)."""

from __future__ import annotations

from dataclasses import dataclass

from billing_core.ports import ProviderSettingsStore, UserDirectory
from billing_core.shared.clock import Clock


@dataclass(frozen=True, slots=True)
class OperatorContext:
    store: ProviderSettingsStore
    users: UserDirectory
    clock: Clock
