"""The language a visitor's ``Accept-Language`` asks for, among the patient texts' (R9):
the patient API's error answers are in that language alone; without a clear wish (no
header, ``*``, nothing the texts have, a header that cannot be read) they stay in Dutch
and English, as every API's errors are (errors.py). Imported only when an error answers."""

from __future__ import annotations

from collections.abc import Sequence


def asked_language(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered language the header ranks highest (RFC 9110 §12.5.4: ``q`` weights,
    the first of equal weights; ``pl-PL`` asks for ``pl``; ``q=0`` refuses a language),
    or None. A range that cannot be read is passed over, not the whole header."""
    best: tuple[float, int] | None = None
    chosen = None
    for position, part in enumerate((header or "")[:512].split(",")):
        tag, _, parameters = part.strip().partition(";")
        primary = tag.strip().split("-")[0].lower()
        weight = _weight(parameters)
        if primary not in offered or weight is None or weight <= 0:
            continue
        rank = (-weight, position)
        if best is None or rank < best:
            best, chosen = rank, primary
    return chosen


def _weight(parameters: str) -> float | None:
    """``q=0.9`` -> 0.9; no ``q`` -> 1; anything else unreadable -> None."""
    name, _, value = parameters.strip().partition("=")
    if not name:
        return 1.0
    if name.strip().lower() != "q":
        return None
    try:
        weight = float(value.strip())
    except ValueError:
        return None
    return weight if 0 <= weight <= 1 else None
