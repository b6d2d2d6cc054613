"""Upload records (declarations and the other uploaded files) <-> DynamoDB items.

Apart from items.py so that only the functions that take uploads or list them load the
upload record (cold start, issue 11 item 5); the keys come from ``keys``.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import Item, optional_datetime, plain_json
from billing_core.declarations.record import DeclarationRecord, DeclarationStatus


def declaration_to_item(record: DeclarationRecord) -> Item:
    item = {
        **keys.declaration_key(record.provider_id, record.declaration_id),
        "entity": "declaration",
        **asdict(record),
        "status": record.status.value,
        "created_at": record.created_at.isoformat(),
        "processed_at": record.processed_at.isoformat() if record.processed_at else None,
    }
    return {k: v for k, v in item.items() if v is not None}


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
    )
