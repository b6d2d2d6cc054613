"""Who holds a betalingskenmerk, as the operator's migration that writes the kenmerken's
markers reads it: in a module of its own, so no event function builds this class at its
cold start (make bench (d))."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReferenceHolder:
    """The invoice a betalingskenmerk's uniqueness marker names, and whether the call
    that returned it wrote the marker (issue 13 item 1)."""

    provider_id: str
    invoice_id: str
    written: bool
