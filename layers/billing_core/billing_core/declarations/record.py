"""The declaration record: one upload, its state and the summary of its report (R1)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any


class DeclarationStatus(StrEnum):
    AWAITING_UPLOAD = "awaiting_upload"  # an upload URL was handed out
    PROCESSING = "processing"
    PROCESSED = "processed"  # see the report's outcome: accepted, partially, already processed
    REJECTED = "rejected"  # a structural error: nothing in the file was processed (R2)


@dataclass(frozen=True, slots=True)
class DeclarationRecord:
    provider_id: str
    declaration_id: str
    file_name: str
    status: DeclarationStatus
    created_at: datetime
    object_key: str = ""
    # The betalingskenmerk sequence numbers reserved for this upload, kept so a retry
    # hands the same reference to the same invoice.
    reference_block_start: int | None = None
    reference_block_size: int = 0
    processed_at: datetime | None = None
    outcome: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    report_key: str = ""

    def with_status(self, status: DeclarationStatus, **changes: Any) -> DeclarationRecord:
        return replace(self, status=status, **changes)
