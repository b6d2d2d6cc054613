"""Insurer register versions an operator loaded (R33) <-> DynamoDB items.

Apart from items.py so that only the functions that read declarations or load a register
load the register (cold start, issue 11 item 5); the keys come from ``keys``.
"""

from __future__ import annotations

from datetime import date

from billing_core.adapters.dynamo import keys
from billing_core.adapters.dynamo.items import Item
from billing_core.declarations.rules.insurers import Insurer, InsurerRegister


def insurer_register_to_item(register: InsurerRegister) -> Item:
    return {
        **keys.insurer_register_key(register.version),
        "entity": "insurer_register",
        "version": register.version,
        "valid_from": register.valid_from.isoformat(),
        "insurers": [
            {
                "uzovi": i.uzovi,
                "name": i.name,
                "group": i.group,
                "labels": list(i.labels),
                "source": i.source,
            }
            for i in register.insurers
        ],
    }


def insurer_register_head_to_item(revision: int, version: str) -> Item:
    """The register's head: its revision (loads stored) and the version last loaded."""
    return {
        **keys.insurer_register_head_key(),
        "entity": "insurer_register_head",
        "revision": revision,
        "version": version,
    }


def insurer_register_from_item(item: Item) -> InsurerRegister:
    insurers = tuple(
        Insurer(m["uzovi"], m["name"], m["group"], tuple(m.get("labels", ())), m.get("source", ""))
        for m in item["insurers"]
    )
    return InsurerRegister(item["version"], date.fromisoformat(item["valid_from"]), insurers)
