"""Inputs a service reads from text the request carried, and the one refusal of them.

``InvalidInput`` names where in the request the value was (as the API names it, e.g.
``query.from``) and what is wrong, never the value itself: the API answers it like any
validation error (400).
"""

from __future__ import annotations

from datetime import datetime

from billing_core.providers.week import InvalidWeek, Week
from billing_core.shared.clock import AMSTERDAM


class InvalidInput(ValueError):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(where)
        self.where = where
        self.message = message


def week(label: str, where: str) -> Week:
    try:
        return Week.parse(label)
    except InvalidWeek:
        raise InvalidInput(where, "not an ISO week of that year, like 2026-W48") from None


def moment(text: str, where: str) -> datetime:
    """An ISO 8601 moment; without an offset it is Dutch time (Europe/Amsterdam)."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(where, "not an ISO 8601 moment like 2026-11-25T08:00:00Z") from None
    return parsed.astimezone(AMSTERDAM) if parsed.tzinfo else parsed.replace(tzinfo=AMSTERDAM)
