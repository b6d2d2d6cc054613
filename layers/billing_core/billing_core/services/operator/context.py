"""The dependencies of the back office's use cases, in one object (issue 11)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from billing_core.ports import (
    AuditLog,
    BankCreditLinks,
    DeliveryQueue,
    FileReader,
    FileStore,
    InsurerRegisterStore,
    ProviderSettingsStore,
    ProviderStore,
    UserDirectory,
)
from billing_core.providers.listing import ProviderListing
from billing_core.shared.audit import Reader, ReadKind, records_of
from billing_core.shared.clock import Clock


@dataclass(frozen=True, slots=True)
class OperatorContext:
    """Providers' settings and users (R31, R32), and the insurer register versions a
    contract's UZOVI code is checked against (R33; None: the shipped version only, for a
    context that writes no contracts)."""

    store: ProviderSettingsStore
    users: UserDirectory
    clock: Clock
    registers: InsurerRegisterStore | None = None


class OperatorStore(ProviderStore, InsurerRegisterStore, Protocol):
    """Every provider's items, as the back office reads and corrects them."""

    def readable_providers(self) -> ProviderListing:
        """Every provider: whose contracts a register version's dropped codes meet (R33)."""
        ...


class OutputFiles(FileStore, FileReader, Protocol):
    """The output bucket, read and written (unmatched credits, the agency's files)."""


@dataclass(frozen=True, slots=True)
class BackOfficeContext:
    """The register, unmatched credits, corrections and the audit (R32-R34)."""

    store: OperatorStore
    files: OutputFiles
    links: BankCreditLinks
    audit: AuditLog
    delivery: DeliveryQueue  # "payment received" for a credit matched by hand
    clock: Clock
    operator: Reader  # the operator of the verified token (their Cognito sub)

    def record_shown(
        self, kind: ReadKind, shown: Mapping[str, Sequence[str]], heading: str = ""
    ) -> None:
        """The operator's read of what an answer shows, practice -> the ids shown of it:
        one record per practice, ids only (R32, NEN 7513; ``records_of``)."""
        for record in records_of(self.operator, kind, shown, self.clock.now(), heading):
            self.audit.record_read(record)
