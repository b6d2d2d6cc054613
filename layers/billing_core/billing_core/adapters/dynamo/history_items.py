"""The settings history (R31) <-> DynamoDB items: one item per settings version.

Apart from items.py so that only the functions that change or show provider settings
load the history (cold start, issue 11 item 5); the keys come from ``keys``.
"""

from __future__ import annotations

from datetime import datetime

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import Item, plain_json
from billing_core.providers.settings_history import FieldChange, SettingsVersion


def settings_version_to_item(change: SettingsVersion) -> Item:
    return {
        **keys.settings_version_key(change.provider_id, change.version),
        "entity": "settings_version",
        "provider_id": change.provider_id,
        "version": change.version,
        "changed_by": change.changed_by,
        "role": change.role,
        "changed_at": change.changed_at.isoformat(),
        "changes": [
            {"field": c.field, "before": c.before, "after": c.after} for c in change.changes
        ],
    }


def settings_version_from_item(item: Item) -> SettingsVersion:
    return SettingsVersion(
        provider_id=item["provider_id"],
        version=int(item["version"]),
        changed_by=item["changed_by"],
        role=item["role"],
        changed_at=datetime.fromisoformat(item["changed_at"]),
        changes=tuple(
            FieldChange(c["field"], plain_json(c["before"]), plain_json(c["after"]))
            for c in item["changes"]
        ),
    )
