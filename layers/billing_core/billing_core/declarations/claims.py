"""A claim: one treatment line of a provider's declaration, whatever the file format.

CSV (interfaces.md §1a) and Vektis EI (§1b) parsers both produce these, so invoicing
does not care where a line came from. Plain slotted dataclasses: a 100,000-line file
makes 100,000 of them, and a frozen dataclass's __init__ (one object.__setattr__ per
field) made parsing 1.3x slower (make bench). Treat them as values all the same:
nothing changes a claim, person or address after parsing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import mul

ADULT_AGE = 18  # a patient younger than this gets an invoice addressed to a parent or guardian
# The BSN 11-proof (elfproef): these weights on the nine digits, as stdnum.nl.bsn.checksum.
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
# Weighing the digits' ASCII codes adds ord("0") times the weights' sum to the proof's sum.
_BSN_ASCII_REMAINDER = ord("0") * sum(_BSN_WEIGHTS) % 11
# Letter pairs never used in Dutch postcodes (as in stdnum.nl.postcode).
_FORBIDDEN_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})


def passes_bsn_11_proof(nine_ascii_digits: str) -> bool:
    """stdnum.nl.bsn.checksum(text) == 0 at a fifth of its cost: both parsers check it for
    every patient of a file. The caller makes sure of nine ASCII digits."""
    weighed: int = sum(map(mul, _BSN_WEIGHTS, nine_ascii_digits.encode("ascii")))
    return weighed % 11 == _BSN_ASCII_REMAINDER


def canonical_reference(text: str) -> str:
    """An all-digit reference without its leading zeros (R3, R40): Excel saves the claim
    000001 and the patient 0001001 as 1 and 1001, so both forms are one claim, one patient."""
    if text[:1] == "0" and text.isascii() and text.isdigit():
        return text.lstrip("0") or "0"
    return text


def reference_forms(text: str) -> tuple[str, ...]:
    """The forms a reference typed into a search may be stored under: as typed, and
    without its leading zeros (canonical_reference). A file read since round 40 stored the
    patient 000456 as 456; one read before, as its file wrote it. So the practice finds
    both by the number its software shows (R35, R40)."""
    canonical = canonical_reference(text)
    return (text,) if canonical == text else (text, canonical)


def dutch_postcode(text: str) -> str | None:
    """'3511AX' or '3511 AX' -> '3511 AX'; None when it is not a Dutch postcode
    (stdnum.nl.postcode). Both parsers check one per patient."""
    if (
        len(text) == 7
        and text[4] == " "
        and text.isascii()
        and text[:4].isdigit()
        and text[0] != "0"
        and text[5:].isalpha()
        and text[5:].isupper()
    ):
        # Already written as 1234 AB: stdnum's rules without its costly character cleaning
        # (a property test keeps both in agreement).
        return None if text[5:] in _FORBIDDEN_POSTCODE_LETTERS else text
    # Imported here: python-stdnum loads pydoc, 3% of `import boto3` for every handler (#18).
    from stdnum.exceptions import ValidationError
    from stdnum.nl import postcode as stdnum_postcode

    try:
        return stdnum_postcode.validate(text)
    except ValidationError:
        return None


def adults_born_by(today: date) -> date:
    """Born after this day: a minor today. 29 February becomes the 28th."""
    if (today.month, today.day) == (2, 29):
        return date(today.year - ADULT_AGE, 2, 28)
    return today.replace(year=today.year - ADULT_AGE)


class LineType(StrEnum):
    CARE = "care"
    NO_SHOW = "no_show"
    MATERIAL = "material"


def claimable_at_insurer(line_type: LineType) -> bool:
    """Whether a line on a patient invoice is one the patient can claim from the insurer
    (R17): care and materials are; a no-show fee never goes to an insurer (legal-nl.md §6).
    Here, beside the line types, not with the routing rules: the payment paths judge
    coulance and must not load the insurer register (issue 18 (d), test_cold_start)."""
    return line_type is not LineType.NO_SHOW


class Language(StrEnum):
    NL = "nl"
    EN = "en"
    PL = "pl"
    AR = "ar"


@dataclass(slots=True)
class Address:
    """A postal address as declared for a patient or debtor; NL unless the file says otherwise."""

    street: str
    house_number: str
    house_number_suffix: str
    postcode: str
    city: str
    country: str = "NL"

    def is_complete(self) -> bool:
        """Enough to put a paper letter in the post."""
        return bool(self.street and self.house_number and self.postcode and self.city)


@dataclass(slots=True)
class Person:
    """Who an invoice is about (patient) or addressed to (debtor)."""

    initials: str
    name_prefix: str
    last_name: str
    address: Address
    email: str = ""
    mobile: str = ""
    language: Language = Language.NL

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.initials, self.name_prefix, self.last_name) if part)


@dataclass(slots=True)
class Claim:
    """One treatment line of a declaration file, as parsed and checked (R2): what an invoice
    line is made from."""

    line_number: int  # where it stood in the file, for the processing report
    claim_ref: (
        str  # provider's own line reference: provider + claim_ref is the idempotency key (R3)
    )
    patient_ref: str
    bsn: str
    birth_date: date
    patient: Person
    debtor: Person | None  # someone else pays: a parent, guardian or bewindvoerder
    insurer_uzovi: str
    policy_number: str
    treatment_date: date
    treatment_start_date: date | None
    treatment_code: str
    description: str
    line_type: LineType
    quantity: int
    unit_price_cents: int  # negative on a credit line
    price_quote_ref: str = ""
    # A credit line's reference to the debit line it reverses (Vektis 04 "referentienummer
    # voorgaande gerelateerde prestatierecord"); that line may be in an earlier upload.
    reverses_claim_ref: str = ""
    # Free text the practice attached to the line (Vektis 98 commentaarrecords), in order.
    comments: tuple[str, ...] = ()

    @property
    def amount_cents(self) -> int:
        return self.quantity * self.unit_price_cents

    @property
    def coverage_date(self) -> date:
        """Care is declared at the insurer of the treatment's start date (legal-nl.md §6)."""
        return self.treatment_start_date or self.treatment_date

    @property
    def patient_key(self) -> tuple[str, str]:
        """Claims of one patient in one file become one invoice (R4)."""
        return (self.patient_ref, self.bsn)
