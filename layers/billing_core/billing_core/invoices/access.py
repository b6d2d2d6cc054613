"""Who may act on an invoice from the public side (interfaces.md §2, R36): whoever knows
the patient's birth date, or holds this visit's pass for that kenmerk.

The payment checker asks the birth date once per visit (R36): when it matches, the page
hands out a ``visit pass``, a short-lived token signed with a key of zorgnota's (HMAC-
SHA256) and bound to the one kenmerk, kept in an HttpOnly cookie. It holds the kenmerk
and its expiry, never the birth date, so nothing personal travels in a URL or a cookie.

Every use case that acts for a patient finds the invoice through ``find_for_patient``,
the one place that asks the ``PatientProof`` and counts wrong birth dates: a proof that
does not admit the invoice, or a locked reference, is answered exactly like an unknown
reference (errors.NotFound).
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from billing_core.invoices.invoice import Invoice
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.errors import NotFound

if TYPE_CHECKING:
    from billing_core.ports import BillingStore

VISIT_MINUTES = 15  # a visit: check, read, pay or ask; the bank's round trip included
# Birth dates cannot be guessed (issue 13.3): 5 wrong ones lock a reference for an hour.
MAX_WRONG_BIRTH_DATES = 5
LOCKOUT = timedelta(hours=1)


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
        if not self.key or signed_reference != reference:
            return False
        if not (expires.isascii() and expires.isdigit()):  # isdigit alone admits "²", int() not
            return False
        expected = _signature(self.key, reference, int(expires)).encode()
        # As bytes: compare_digest raises on a str with non-ASCII characters (a forged cookie).
        signed = hmac.compare_digest(signature.encode(), expected)
        return signed and self.now.timestamp() < int(expires)


def find_for_patient(
    store: BillingStore, reference_text: str, proof: PatientProof, now: datetime
) -> Invoice:
    """The invoice, if the proof (the birth date, or this visit's pass) admits it; else
    the same NotFound as for a reference nobody has, after the same reads and write
    (interfaces.md §2). Raises reference.InvalidReference before any read.

    Birth dates cannot be guessed (issue 13.3): after MAX_WRONG_BIRTH_DATES wrong ones
    for a reference, each within an hour of the next, even the right one finds nothing
    until an hour has passed without a try; the answer stays that of an unknown reference.
    """
    reference = betalingskenmerk.parse_ours(reference_text)
    locked = store.wrong_birth_dates(reference, now) >= MAX_WRONG_BIRTH_DATES
    invoice = store.find_invoice_by_reference(reference)
    if locked or invoice is None or not proof.admits(invoice):
        store.add_wrong_birth_date(reference, now, LOCKOUT)
        raise NotFound()
    return invoice


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
