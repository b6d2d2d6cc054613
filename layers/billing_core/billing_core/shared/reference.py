"""The betalingskenmerk: the 14-digit payment reference (legal-nl.md §1).

Structure ``C L NNNNNNNNNNNN``: check digit, length code, 12 payload digits.
Payloads come from a per-deployment sequence pushed through a keyed permutation, so
every reference is unique (a permutation never maps two numbers to one) without
being guessable from its neighbours, and never derived from personal data.
"""

from __future__ import annotations

import hmac

_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)
# Length code L for references of 9..14 digits; 16-digit references carry no L.
_LENGTH_CODES = {12: 0, 13: 1, 14: 2, 9: 7, 10: 8, 11: 9}
_PAYLOAD_DIGITS = 12
_HALF = 10**6  # the 12-digit payload is permuted as two 6-digit halves
_ROUNDS = 8
# What people type or paste between the digits' groups is dropped: spaces, dots, dashes
# and slashes as typed, and what a copy from a PDF, a letter or a word processor brings
# along (every Unicode space: no-break, narrow no-break, figure, thin; the invisible
# zero-width ones and the soft hyphen; the dashes it turned "-" into). The digits an
# Arabic keyboard types (U+0660-0669) and the Persian/Urdu ones (U+06F0-06F9) are the
# digits 0-9 (R9: the Arabic page). One table, so the kenmerk is still a single
# str.translate on the import path of the bank and retour imports. The digits of scripts
# our pages are not in (full-width ones) stay refused, as test_reference has it.
_GROUP_SEPARATORS = (
    " .-/\t\u00a0\u00ad\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u200b\u200c\u200d\u2010\u2011\u2012\u2013\u202f\u205f\u2060\u2212"
    "\u3000\ufeff"
)
_INPUT_TO_DIGITS = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
    "0123456789" * 2,
    _GROUP_SEPARATORS,
)


# Our kenmerk as a route's path takes it: as every JSON answer writes it (interfaces.md §2).
REFERENCE_PATTERN = r"^[0-9]{14}$"


class InvalidReference(ValueError):
    """Not a betalingskenmerk: wrong length, not digits, or a wrong check digit."""


def check_digit(body: str) -> int:
    """Check digit C over the digits after it (L + N, or 15 digits for 16-long)."""
    total = sum(int(digit) * _WEIGHTS[i % 10] for i, digit in enumerate(reversed(body)))
    digit = 11 - total % 11
    return {10: 1, 11: 0}.get(digit, digit)


def normalise(text: str) -> str:
    """What a person typed or pasted ('1223 4534 6225 67', '1223.4534...', '1223/4534...',
    with a PDF's no-break spaces, in Arabic-Indic or Persian digits) -> bare digits 0-9."""
    return text.translate(_INPUT_TO_DIGITS)


def is_valid(reference: str) -> bool:
    """True for a well-formed reference of 9-14 or 16 digits with a correct check digit."""
    if not reference.isdigit() or not reference.isascii():
        return False
    length = len(reference)
    if length == 16:
        return int(reference[0]) == check_digit(reference[1:])
    if length not in _LENGTH_CODES or int(reference[1]) != _LENGTH_CODES[length]:
        return False
    return int(reference[0]) == check_digit(reference[1:])


def parse_ours(text: str) -> str:
    """A patient's input -> our 14-digit reference, or InvalidReference.

    Decided from the digits alone, so a wrong check digit costs no database read (R10).
    """
    reference = normalise(text)
    if len(reference) != 14 or not is_valid(reference):
        raise InvalidReference(text)
    return reference


def from_payload(payload: int) -> str:
    """14-digit reference around a 12-digit payload: C, L=2, payload."""
    if not 0 <= payload < 10**_PAYLOAD_DIGITS:
        raise ValueError("payload must have at most 12 digits")
    body = f"{_LENGTH_CODES[14]}{payload:012d}"
    return f"{check_digit(body)}{body}"


def for_sequence(sequence: int, key: bytes) -> str:
    """The reference for the n-th invoice of this deployment (a keyed bijection)."""
    return from_payload(_permute(sequence, key))


def grouped(reference: str) -> str:
    """'12234534622567' -> '1223 4534 6225 67' for texts people read."""
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))


def unbroken(grouped_number: str) -> str:
    """A kenmerk, IBAN or phone number in its groups that a line never breaks (typed over
    from two lines, a number goes wrong) and whose groups keep their order inside
    right-to-left text: to the Unicode bidi algorithm a no-break space between digits
    joins them into one number, a space does not (R9)."""
    return grouped_number.replace(" ", "\u00a0")


def _permute(number: int, key: bytes) -> int:
    """Balanced Feistel network over 10^12: a bijection, so sequences never collide."""
    if not 0 <= number < _HALF * _HALF:
        raise ValueError("reference sequence exhausted")
    left, right = divmod(number, _HALF)
    for round_number in range(_ROUNDS):
        left, right = right, (left + _round(key, round_number, right)) % _HALF
    return left * _HALF + right


def _round(key: bytes, round_number: int, half: int) -> int:
    # hmac.digest, not hmac.new: the same bytes from OpenSSL's one-shot HMAC, without the
    # two hash objects that made references a fifth of a large file's ingest (#18).
    digest = hmac.digest(key, f"{round_number}:{half}".encode(), "sha256")
    return int.from_bytes(digest[:8], "big") % _HALF
