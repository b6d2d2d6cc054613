"""Who loaded a version of the insurer register, when, and the codes it drops, confirms
ending at the later version or confirms in another group (R33).

A version that leaves out codes of the one before is loaded only when an operator
confirms exactly those codes (services/operator/register); like every operator change of
settings (R31: versioned, who changed what when), the load is kept with who made it.

Apart from ``insurers`` so that the functions that only read the register (the ingest,
the retour import) do not build it at their cold start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RegisterLoad:
    version: str  # the version loaded ("2026-01-01.1")
    loaded_by: str  # the operator's Cognito user id, never a name
    loaded_at: datetime
    drops: tuple[str, ...] = ()  # the codes of the version before it, confirmed left out
    # The codes it lists that the later version loaded already leaves out, confirmed as
    # ending then (services/operator/register: "later_drops").
    later_drops: tuple[str, ...] = ()
    # The codes it lists in another group than the version before it, confirmed
    # (services/operator/register: "group_changes"; R6, legal-nl.md §6).
    group_changes: tuple[str, ...] = ()
