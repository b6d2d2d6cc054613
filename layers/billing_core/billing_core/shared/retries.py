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

A change also remembers a fingerprint of the request that made it (``RequestCause``):
a retry with the same key that asks something else is refused as the key's record
refuses it (``KeyReused``, 422 ``idempotency_key_reused``), never answered with the
change of the other request (R38, interfaces.md §7).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

KEY_LIFETIME = timedelta(hours=24)
CAUSE_LENGTH = 32


class KeyReused(Exception):
    """The key was used for another request (another method, path, query string or body)."""


@dataclass(frozen=True, slots=True)
class RequestCause:
    """What the change of a request is known by (``idempotency.request_cause``)."""

    key: str  # the same for every retry of the request (``idempotency.retry_cause``)
    # What the request asked (``fingerprint``); "" when not known: then any is the same.
    request: str = ""
    # False for an API request without a key (known by API Gateway's request id): nobody
    # sends it again, so no earlier attempt of it is looked for (audit settings53).
    sent_again: bool = True


def fingerprint(request: Mapping[str, object]) -> str:
    """A hash of what must be the same for a retry (method, path and body, as the key's
    record compares them): the same for the same request, whatever its JSON's key order."""
    canonical = json.dumps(request, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:CAUSE_LENGTH]


@dataclass(frozen=True, slots=True)
class RetryCauses:
    """What the change of one request, asked at some moment, may be known by."""

    new: str  # the cause a change made now is booked under
    earlier: str  # an attempt of the lifetime window before booked under this
    since: datetime  # a change made before this was another request with the same key
    request: str = ""  # the request's fingerprint (``RequestCause.request``)
    sent_again: bool = True  # ``RequestCause.sent_again``: False, no earlier attempt to find

    @property
    def candidates(self) -> tuple[str, str]:
        return self.new, self.earlier

    def made(self, cause: str, at: datetime) -> bool:
        """Whether a change booked under ``cause`` at ``at`` is this request's."""
        return cause in self.candidates and at >= self.since

    def same_request(self, made_for: str) -> None:
        """Refuse (``KeyReused``) a change this request's key made for another request
        (``made_for``: its fingerprint). A change stored before fingerprints were kept,
        or a request without one, is taken as the same (as before)."""
        if made_for and self.request and made_for != self.request:
            raise KeyReused


def retry_causes(cause: RequestCause, now: datetime, named: str = "") -> RetryCauses:
    """The causes of the change a request known by ``cause`` asks for at ``now``: hashes
    of ``CAUSE_LENGTH`` characters, as a request's own cause is, so an id that names
    one keeps its length (a stop's unsent-message action, at most 64). ``named``: what a
    caller books its change's cause under before the hash (a stop's user and ``stop-``),
    so that every caller asks ``RetryCauses.made`` of the causes as it stores them."""
    window = int(now.timestamp() // KEY_LIFETIME.total_seconds())
    return RetryCauses(
        new=named + _in_window(cause.key, window),
        earlier=named + _in_window(cause.key, window - 1),
        since=now - KEY_LIFETIME,
        request=cause.request,
        sent_again=cause.sent_again,
    )


def _in_window(cause: str, window: int) -> str:
    return hashlib.sha256(f"{cause}#{window}".encode()).hexdigest()[:CAUSE_LENGTH]
