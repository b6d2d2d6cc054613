"""The blocked patients and their changes as files for practice software (R22): CSV, as
the portal and the provider API serve them. Apart from blocking.py, which every function
loads with the table's items, so the CSV writer is loaded only where a file is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from billing_core.collection.blocking import BlockChange, BlockedPatient
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.spreadsheet import csv_text

BLOCKED_PATIENTS_COLUMNS = ("patient_ref", "blocked_at")
BLOCK_CHANGES_COLUMNS = ("patient_ref", "change", "at")


def local_time(moment: datetime) -> str:
    """ISO 8601 on the Dutch clock, with its offset: 2026-11-25T09:00:00+01:00."""
    return moment.astimezone(AMSTERDAM).isoformat(timespec="seconds")


def blocked_patients_csv(blocked: Iterable[BlockedPatient]) -> str:
    """UTF-8 text, ``;``-separated, one header row: ``patient_ref;blocked_at``."""
    return _csv(
        BLOCKED_PATIENTS_COLUMNS, ((b.patient_ref, local_time(b.blocked_at)) for b in blocked)
    )


def block_changes_csv(changes: Iterable[BlockChange]) -> str:
    """UTF-8 text, ``;``-separated, one header row: ``patient_ref;change;at``, oldest
    first, ``change`` is ``blocked`` or ``unblocked``."""
    rows = ((c.patient_ref, c.change.value, local_time(c.at)) for c in changes)
    return _csv(BLOCK_CHANGES_COLUMNS, rows)


def _csv(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    # The patient number is written as the practice gave it (its software matches on it),
    # unless a spreadsheet would read it as a formula.
    return csv_text(header, rows)
