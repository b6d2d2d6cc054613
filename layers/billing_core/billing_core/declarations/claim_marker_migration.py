"""What migration version 6 (canonical-claim-markers) answers of one invoice's markers
(ports.MigrationStore.add_canonical_claim_markers): apart from claims.py and the ports,
so only the operator's data migrations load it and no event handler pays a class more at
its cold start (make bench (d))."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClaimMarkersCopied:
    """Markers stored under a ref with leading zeros ("000001") copied under the ref a file
    is read as today ("1", claims.canonical_reference; R3, R40): how many were written, and
    how many found a marker there already (a second run, or a claim stored since)."""

    written: int = 0
    present: int = 0
