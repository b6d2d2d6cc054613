"""A change known by the request that asked for it, for as long as the request's key
lives (R38).

A request's key (the API's Idempotency-Key, a portal form's one-time key) is kept for
``KEY_LIFETIME``: within it a retry gets the first answer again, and a change its first
attempt made before it failed (a 5xx: the key was released) is found by its cause and
not made twice. After it the key is free: keys are for retries, so the same key sent
later is a new request, and its change a new one (not "made already", nothing booked).

So a change is booked under its request's cause *and the window it was made in*
(``RetryCauses.new``). A retry, at most a lifetime after the first attempt, falls in
that window or the next; it takes a change booked under the window before
(``RetryCauses.earlier``) only when it was made within the last lifetime
(``RetryCauses.since``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

KEY_LIFETIME = timedelta(hours=24)
CAUSE_LENGTH = 32


@dataclass(frozen=True, slots=True)
class RetryCauses:
    """What the change of one request, asked at some moment, may be known by."""

    new: str  # the cause a change made now is booked under
    earlier: str  # an attempt of the lifetime window before booked under this
    since: datetime  # a change made before this was another request with the same key

    @property
    def candidates(self) -> tuple[str, str]:
        return self.new, self.earlier

    def made(self, cause: str, at: datetime) -> bool:
        """Whether a change booked under ``cause`` at ``at`` is this request's."""
        return cause in self.candidates and at >= self.since


def retry_causes(cause: str, now: datetime) -> RetryCauses:
    """The causes of the change a request known by ``cause`` asks for at ``now``: hashes
    of ``CAUSE_LENGTH`` characters, as a request's own cause is, so an id that names
    one keeps its length (a stop's unsent-message action, at most 64)."""
    window = int(now.timestamp() // KEY_LIFETIME.total_seconds())
    return RetryCauses(
        new=_in_window(cause, window),
        earlier=_in_window(cause, window - 1),
        since=now - KEY_LIFETIME,
    )


def _in_window(cause: str, window: int) -> str:
    return hashlib.sha256(f"{cause}#{window}".encode()).hexdigest()[:CAUSE_LENGTH]
