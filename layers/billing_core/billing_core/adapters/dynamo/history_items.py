"""The settings history (R31) <-> DynamoDB items: one item per settings version; and
the history of a practice's users (R31, R32): one item per change. Both expire as the
audit of reads does (``AUDIT_RETENTION``, 8 years after the change): a version names the
user who made it and the practice's contact and account before and after, and legal-nl.md
§8 names no longer period for it (R39; audit ops, stop 42: versions never expired).

Apart from items.py so that only the functions that change or show provider settings
load the history (cold start, issue 11 item 5); the keys come from ``keys``.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.audit import AUDIT_RETENTION
from billing_core.adapters.dynamo.items import Item, expires_at, plain_json
from billing_core.providers.settings_history import FieldChange, SettingsVersion
from billing_core.providers.user_changes import UserChange, UserChangeKind


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
        "cause": change.cause,
        "request_fingerprint": change.request_fingerprint,
        "expires_at": settings_version_expiry(change.changed_at),
    }


def settings_version_expiry(changed_at: datetime) -> int:
    """A settings version's TTL: 8 years after the change, as the audit of reads (R39,
    legal-nl.md §8); what its save writes and what migration version 7 gives one stored
    before (from its own ``changed_at``)."""
    return expires_at(changed_at, AUDIT_RETENTION)


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
        cause=item.get("cause", ""),
        request_fingerprint=item.get("request_fingerprint", ""),
    )


def user_change_to_item(change: UserChange) -> Item:
    return {
        **keys.user_change_key(change.provider_id, change.changed_at, _change_id()),
        "entity": "user_change",
        "provider_id": change.provider_id,
        "changed_by": change.changed_by,
        "role": change.role,
        "changed_at": change.changed_at.isoformat(),
        "kind": change.kind.value,
        "user_id": change.user_id,
        "email": change.email,
        "role_before": change.role_before,
        "role_after": change.role_after,
        "enabled_before": change.enabled_before,
        "enabled_after": change.enabled_after,
        "cause": change.cause,
        "request_fingerprint": change.request_fingerprint,
        "expires_at": expires_at(change.changed_at, AUDIT_RETENTION),
    }


def user_change_from_item(item: Item) -> UserChange:
    return UserChange(
        provider_id=item["provider_id"],
        changed_by=item["changed_by"],
        role=item["role"],
        changed_at=datetime.fromisoformat(item["changed_at"]),
        kind=UserChangeKind(item["kind"]),
        user_id=item["user_id"],
        email=item["email"],
        role_before=item.get("role_before"),
        role_after=item["role_after"],
        enabled_before=item.get("enabled_before"),
        enabled_after=bool(item["enabled_after"]),
        cause=item.get("cause", ""),
        request_fingerprint=item.get("request_fingerprint", ""),
    )


def _change_id() -> str:
    """Keeps two changes of one clock moment apart, in the order they were written: the
    settable clock (the sandbox's, a test's) may give several changes one moment."""
    return f"{time.time_ns():020d}{uuid.uuid4().hex[:6]}"
