"""The dependencies of the operators' use cases, in one object (issue 11)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from billing_core.ports import (
    AuditLog,
    BankCreditLinks,
    DeliveryQueue,
    FileReader,
    FileStore,
    InsurerRegisterStore,
    ProviderStore,
)
from billing_core.shared.audit import Reader
from billing_core.shared.clock import Clock


class OperatorStore(ProviderStore, InsurerRegisterStore, Protocol):
    """Every provider's items, as the back office reads and corrects them."""


class OutputFiles(FileStore, FileReader, Protocol):
    """The output bucket, read and written (unmatched credits, the agency's files)."""


@dataclass(frozen=True, slots=True)
class OperatorContext:
    store: OperatorStore
    files: OutputFiles
    links: BankCreditLinks
    audit: AuditLog
    delivery: DeliveryQueue  # "payment received" for a credit matched by hand
    clock: Clock
    operator: Reader  # the operator of the verified token (their Cognito sub)
