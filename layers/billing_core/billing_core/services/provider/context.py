"""The dependencies of the practice's use cases, in one object (issue 11)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from billing_core.invoices.invoice import Invoice
from billing_core.ports import (
    AuditLog,
    DeliveryQueue,
    FileReader,
    InsurerRegisterStore,
    ProviderSettingsStore,
    ProviderStore,
    TransferBatches,
    UploadUrls,
    UserDirectory,
)
from billing_core.providers.provider import Provider
from billing_core.providers.users import ProviderUser
from billing_core.shared.audit import Reader, ReadKind, ReadRecord, records_of
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
    audit: AuditLog  # every read of patient data, recorded here (R32, NEN 7513)
    upload_url_seconds: int = 900
    batches: TransferBatches | None = None  # the payout batches: the statement's payout state
    # The invoice PDF (file name, bytes) as the checker hands it to the patient: an
    # e-mailed invoice's PDF is not kept, so the portal renders it again (R7, R35).
    invoice_document: Callable[[Invoice, Provider], tuple[str, bytes]] | None = None
    # The insurer register versions operators loaded: the settings name a contract's
    # insurer (R33; None: the shipped version only).
    registers: InsurerRegisterStore | None = None

    def record_read(self, user: ProviderUser, kind: ReadKind, subject: str = "") -> None:
        """Who read what of the practice's, when: ids only, never the data (R32). Called
        after the role check, so ``user`` reads its own practice."""
        record = ReadRecord.of(_reader(user), user.provider_id, kind, subject, self.clock.now())
        self.audit.record_read(record)

    def record_shown(
        self, user: ProviderUser, kind: ReadKind, heading: str, shown: Sequence[str]
    ) -> None:
        """A list's read: ``heading`` (which list) and the ids of every patient or invoice
        it showed (``patient:{number}``, ``invoice:{id}``), so that a patient's reads are
        found by their number or invoices (R32, NEN 7513); split over several records when
        it showed more than one record holds (``records_of``)."""
        shown_of_practice = {user.provider_id: shown}
        for record in records_of(_reader(user), kind, shown_of_practice, self.clock.now(), heading):
            self.audit.record_read(record)


def _reader(user: ProviderUser) -> Reader:
    return Reader(user.user_id, user.role.value if user.role else "none")
