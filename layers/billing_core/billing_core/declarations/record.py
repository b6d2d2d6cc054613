"""The declaration record: one upload, its state and the summary of its report (R1)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

# The largest upload read at all: 100,000 lines (R2's limit) of a CSV row with every column
# filled (~600 bytes) or a Vektis record (310/370 bytes) fit well within it; a larger
# object is refused before a byte of it is read, so it cannot exhaust the function, and an
# upload URL asked for a larger size is not handed out (issue 13 item 9).
MAX_DECLARATION_BYTES = 64 * 1024 * 1024


class DeclarationStatus(StrEnum):
    AWAITING_UPLOAD = "awaiting_upload"  # an upload URL was handed out
    PROCESSING = "processing"
    PROCESSED = "processed"  # see the report's outcome: accepted, partially, already processed
    # A structural error: nothing in the file was processed (R2); except a retour stopped
    # half-way (finding RETOUR_PROGRESS_GONE, R5, R39): what its earlier parts booked
    # stays, and uploading the file again finishes it.
    REJECTED = "rejected"
    # Shown, never stored: its upload URL expired and no file came (``as_shown``).
    EXPIRED = "expired"


# An upload started just before its URL expired may land, and its S3 event come, a
# little later: until then it is still awaited.
LATE_UPLOAD_MARGIN = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class DeclarationRecord:
    """An uploaded declaration file and where its processing stands (R3: processed once)."""

    provider_id: str
    declaration_id: str
    file_name: str
    status: DeclarationStatus
    created_at: datetime
    object_key: str = ""
    # The S3 object version processed (issue 13 item 1): the first one only; another
    # version of the same key is reported and processed into nothing.
    object_version: str = ""
    # The betalingskenmerk sequence numbers reserved for this upload, kept so a retry
    # hands the same reference to the same invoice.
    reference_block_start: int | None = None
    reference_block_size: int = 0
    reference_block_version: str = ""  # the object version the block was reserved for
    processed_at: datetime | None = None
    outcome: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    report_key: str = ""
    # A retour whose parts stopped half-way (RETOUR_PROGRESS_GONE, R5, R39): rejected, yet
    # what its earlier parts booked stays. On the record, so a list of uploads says it
    # without reading each report; a record written before it was kept reads as not.
    stopped_half_way: bool = False
    # The request that asked for its upload URL (``shared.retries``: its cause in the
    # window it was asked in, and its fingerprint): a retry of it gets this upload (R38).
    request_cause: str = ""
    request_fingerprint: str = ""

    def as_shown(self, now: datetime, url_lifetime: timedelta) -> DeclarationRecord:
        """The record as its practice sees it at ``now``: an upload whose URL (valid for
        ``url_lifetime``) expired without a file is ``EXPIRED``, not awaited for ever (a
        URL asked and not used, or asked again after a crash: R38, R1)."""
        awaited_until = self.created_at + url_lifetime + LATE_UPLOAD_MARGIN
        if self.status is DeclarationStatus.AWAITING_UPLOAD and now > awaited_until:
            return self.with_status(DeclarationStatus.EXPIRED)
        return self

    def with_status(self, status: DeclarationStatus, **changes: Any) -> DeclarationRecord:
        return replace(self, status=status, **changes)
