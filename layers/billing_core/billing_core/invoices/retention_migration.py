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


@dataclass(frozen=True, slots=True)
class ExpiriesDated:
    """What one pass of migration version 5 over stored items found (legal-nl.md §8):
    the TTL it wrote where missing, the items that had it, and the batches still open
    (proposed or approved: none is due, they are kept). Version 14 counts in ``open`` the
    blocks that still block (kept, R22) and in ``changed`` those changed since the read."""

    written: int = 0
    present: int = 0
    open: int = 0
    changed: int = 0
