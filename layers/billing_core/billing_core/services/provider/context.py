"""The dependencies of the practice's use cases, in one object (issue 11)."""

from __future__ import annotations

from dataclasses import dataclass

from billing_core.ports import AuditLog, DeliveryQueue, FileReader, ProviderStore, UploadUrls
from billing_core.shared.audit import Reader, ReadKind, ReadRecord
from billing_core.shared.clock import Clock


@dataclass(frozen=True, slots=True)
class ProviderContext:
    store: ProviderStore
    files: FileReader  # the output bucket: processing reports, retrocession statements
    uploads: UploadUrls
    delivery: DeliveryQueue  # confirmations of a stop or an applied coulance (R17, R21)
    clock: Clock
    audit: AuditLog  # every read of patient data, recorded here (R32, NEN 7513)
    reader: Reader  # who calls: the user of the verified token and their role
    upload_url_seconds: int = 900

    def record_read(self, provider_id: str, kind: ReadKind, subject: str = "") -> None:
        """Who read what of the provider's, when: ids only, never the data (R32)."""
        moment = self.clock.now()
        self.audit.record_read(ReadRecord.of(self.reader, provider_id, kind, subject, moment))
