"""Who loaded an insurer register version (R33) <-> the attributes of its item.

Apart from ``register_items`` so that the functions that read the register do not load
this at their cold start.
"""

from __future__ import annotations

from datetime import datetime

from billing_core.adapters.dynamo.items import Item
from billing_core.declarations.rules.register_loads import RegisterLoad


def register_load_attributes(load: RegisterLoad) -> Item:
    return {
        "loaded_by": load.loaded_by,
        "loaded_at": load.loaded_at.isoformat(),
        "drops": list(load.drops),
        "later_drops": list(load.later_drops),
        "group_changes": list(load.group_changes),
    }


def register_load_from_item(item: Item) -> RegisterLoad | None:
    """None for a version stored before loads were kept."""
    if "loaded_by" not in item:
        return None
    return RegisterLoad(
        version=item["version"],
        loaded_by=item["loaded_by"],
        loaded_at=datetime.fromisoformat(item["loaded_at"]),
        drops=tuple(item.get("drops", ())),
        later_drops=tuple(item.get("later_drops", ())),  # none on a load kept before stop 47
        group_changes=tuple(item.get("group_changes", ())),  # none on one kept before stop 49
    )
