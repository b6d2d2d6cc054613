"""Upload records (declarations and the other uploaded files) <-> DynamoDB items.

Apart from items.py so that only the functions that take uploads or list them load the
upload record (cold start, issue 11 item 5); the keys come from ``keys``.

A record carries the table's TTL (``upload_expiry``). It holds no patient data (the file's
name, counts, its report's key; the raw file with its BSNs is deleted 90 days after
processing), and legal-nl.md §8 names no period for it: it is kept as long as the report
it names (reports/: 2,922 days from the day it was written), so no record is kept forever
and the upload's detail does not name a report long gone.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import (
    REPORT_RETENTION,
    Item,
    expires_at,
    optional_datetime,
    plain_json,
)
from billing_core.declarations.record import DeclarationRecord, DeclarationStatus


def declaration_to_item(record: DeclarationRecord) -> Item:
    item = {
        **keys.declaration_key(record.provider_id, record.declaration_id),
        "entity": "declaration",
        **asdict(record),
        "status": record.status.value,
        "created_at": record.created_at.isoformat(),
        "processed_at": record.processed_at.isoformat() if record.processed_at else None,
        "expires_at": upload_expiry(record),
    }
    return {k: v for k, v in item.items() if v is not None}


def upload_expiry(record: DeclarationRecord) -> int:
    """2,922 days after its report was written (``processed_at``: the report is put a
    moment later, so its own 2,922 days end no earlier); a record never processed (an
    upload URL not used) 2,922 days after it was made. Every save writes the whole item."""
    return expires_at(record.processed_at or record.created_at, REPORT_RETENTION)


def declaration_from_item(item: Item) -> DeclarationRecord:
    block = item.get("reference_block_start")
    return DeclarationRecord(
        provider_id=item["provider_id"],
        declaration_id=item["declaration_id"],
        file_name=item["file_name"],
        status=DeclarationStatus(item["status"]),
        created_at=datetime.fromisoformat(item["created_at"]),
        object_key=item.get("object_key", ""),
        object_version=item.get("object_version", ""),
        reference_block_start=int(block) if block is not None else None,
        reference_block_size=int(item.get("reference_block_size", 0)),
        reference_block_version=item.get("reference_block_version", ""),
        processed_at=optional_datetime(item.get("processed_at")),
        outcome=item.get("outcome", ""),
        summary=plain_json(item.get("summary", {})),
        report_key=item.get("report_key", ""),
        stopped_half_way=bool(item.get("stopped_half_way", False)),
        request_cause=item.get("request_cause", ""),
        request_fingerprint=item.get("request_fingerprint", ""),
    )


def retour_applied_item(provider_id: str, digest: str, declaration_id: str, at: datetime) -> Item:
    """A retour file's content applied completely (R3): the upload that did and when, no
    personal data. Kept as long as the upload records it protects against a replay of
    (``upload_expiry``: 2,922 days), counted from the moment the file was applied."""
    return {
        **keys.retour_applied_key(provider_id, digest),
        "entity": "retour_applied",
        "declaration_id": declaration_id,
        "applied_at": at.isoformat(),
        "expires_at": expires_at(at, REPORT_RETENTION),
    }
