"""Who may act on an invoice from the public side (interfaces.md §2, R36): whoever knows
the patient's birth date, or holds this visit's pass for that kenmerk.

The payment checker asks the birth date once per visit (R36): when it matches, the page
hands out a ``visit pass``, a short-lived token signed with a key of zorgnota's (HMAC-
SHA256) and bound to the one kenmerk, kept in an HttpOnly cookie. It holds the kenmerk
and its expiry, never the birth date, so nothing personal travels in a URL or a cookie.

A use case asks its ``PatientProof`` whether it admits the invoice it found; a proof that
does not is answered exactly like an unknown reference (errors.NotFound).
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from billing_core.invoices.invoice import Invoice

VISIT_MINUTES = 15  # a visit: check, read, pay or ask; the bank's round trip included


class PatientProof(Protocol):
    def admits(self, invoice: Invoice) -> bool: ...


@dataclass(frozen=True, slots=True)
class BirthDate:
    """The patient's date of birth, as typed into a form or sent to the API."""

    day: date

    def admits(self, invoice: Invoice) -> bool:
        return invoice.birth_date == self.day


@dataclass(frozen=True, slots=True)
class VisitPass:
    """The token of a birth date checked earlier in this visit, with the key to check it
    and the moment it is shown."""

    token: str
    key: bytes
    now: datetime

    def admits(self, invoice: Invoice) -> bool:
        return self.covers(invoice.reference)

    def covers(self, reference: str) -> bool:
        """Signed by us, for this kenmerk, and not expired: decided without any read."""
        signed_reference, _, rest = self.token.partition(".")
        expires, _, signature = rest.partition(".")
        if not self.key or signed_reference != reference or not expires.isdigit():
            return False
        expected = _signature(self.key, reference, int(expires))
        return hmac.compare_digest(signature, expected) and self.now.timestamp() < int(expires)


def issue_visit_pass(reference: str, key: bytes, now: datetime) -> str:
    """A pass for ``reference`` valid for VISIT_MINUTES from ``now``."""
    if not key:
        raise RuntimeError("no key to sign a visit pass with")
    expires = int((now + timedelta(minutes=VISIT_MINUTES)).timestamp())
    return f"{reference}.{expires}.{_signature(key, reference, expires)}"


def _signature(key: bytes, reference: str, expires: int) -> str:
    message = f"zorgnota-visit|{reference}|{expires}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")
