"""Files listed from the output bucket (the insurer-claim exports a practice downloads):
in a module of their own, so a handler that never lists files does not build these
classes at its cold start (make bench (d))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class StoredFile:
    key: str
    size_bytes: int
    written_at: datetime  # aware, UTC


@dataclass(frozen=True, slots=True)
class FilePage:
    files: list[StoredFile]  # in key order
    more: bool  # files after the last one are left for the next page
