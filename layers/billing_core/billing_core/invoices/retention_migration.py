"""What the retention migration's write answers (ports.MigrationStore.add_retention_expiry),
apart from invoices/retention.py and the ports: only the operator's data migrations load
it, so no other function pays a class more at its cold start (make bench (d))."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExpiryAdded:
    """What one add_retention_expiry wrote (legal-nl.md §8): the invoice's own TTL, how
    many of its markers', and whether the invoice was not the version read (or is gone),
    so nothing more was written and it must be read again."""

    invoice: bool = False
    markers: int = 0
    changed: bool = False
