"""Request and response bodies of the provider API (interfaces.md §2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from billing_core.declarations.record import DeclarationRecord


class UploadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file_name: str = Field(min_length=1, max_length=200, examples=["declaraties-week-47.csv"])


class UploadTicketOut(BaseModel):
    declaration_id: str
    upload_url: str = Field(description="Takes one HTTP PUT of the file, any Content-Type")
    expires_at: datetime


class DeclarationOut(BaseModel):
    declaration_id: str
    file_name: str
    status: str = Field(description="awaiting_upload, processing, processed or rejected")
    outcome: str | None = Field(
        default=None,
        description="accepted, partially_accepted, rejected or already_processed",
    )
    created_at: datetime
    processed_at: datetime | None = None
    summary: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, record: DeclarationRecord) -> DeclarationOut:
        return cls(
            declaration_id=record.declaration_id,
            file_name=record.file_name,
            status=record.status.value,
            outcome=record.outcome or None,
            created_at=record.created_at,
            processed_at=record.processed_at,
            summary=record.summary,
        )


class DeclarationDetailOut(DeclarationOut):
    findings: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Per problem: code, severity, line, field, claim_ref, message (nl), message_en",
    )


class DeclarationListOut(BaseModel):
    items: list[DeclarationOut]
    next_cursor: str | None = None
