"""What zorgnota knows about a provider: stored in the table, edited by an operator (R31).

pydantic, because it crosses boundaries: the operator's JSON (interfaces.md §6), the
stored item and what the runtime reads are validated by these same models, so a provider
that fails validation can never be written. A patient reads the address, the contact
details and the payout account holder on invoices, letters and the checker.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Final
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from stdnum import iban as iban_check
from stdnum import numdb
from stdnum.exceptions import InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as postcode_check

from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.dunning.policy import DunningPolicy

# STORED: the context settings are read back from the table with (provider_items).
from billing_core.shared.settings_rules import STORED as STORED
from billing_core.shared.settings_rules import Percentage, WholeNumber
from billing_core.shared.settings_rules import on_write as _on_write
from billing_core.shared.settings_rules import refused as _refused


class CareKind(StrEnum):
    DENTAL = "dental"
    PARAMEDICAL = "paramedical"
    REHABILITATION = "rehabilitation"


def _iban(value: str) -> str:
    """NL91ABNA0417164300: compact, upper case, check digits right (python-stdnum): the
    IBAN's own and, where its country has them, the national ones (a Belgian IBAN's last
    two digits). A bank code missing from python-stdnum's copy of a national bank register
    (Belgium's) is no reason to refuse it: that copy lags behind the banks, both check
    digits already catch a typo, and a Dutch IBAN's bank is looked up nowhere (words52:
    BE68539007547034, valid and in SEPA, was refused as "een Nederlands IBAN heeft er 18")."""
    try:
        return str(iban_check.validate(value))
    except InvalidComponent as unknown:
        # Raised by the country's check after its check digits: its bank is not listed.
        if iban_check.is_valid(value, check_country=False):
            return str(iban_check.compact(value))
        raise _iban_refused(value) from unknown
    except StdnumError as problem:
        raise _iban_refused(value) from problem


def _iban_refused(value: str) -> PydanticCustomError:
    """The refusal names the length of the IBAN's own country, as python-stdnum's IBAN
    register gives it (words52b: a Belgian IBAN typed a digit short, 16 long, was told "een
    Nederlands IBAN heeft er 18"); the Dutch example for a Dutch IBAN or a country code
    no IBAN has."""
    country = str(iban_check.compact(value))[:2]
    length = _iban_length(country)
    if length is None or country == "NL":
        return _refused("iban_invalid")
    return _refused("iban_invalid_abroad", country=country, length=length)


def _iban_length(country: str) -> int | None:
    """How many characters an IBAN of ``country`` has: its code and check digits, and its
    national part as the register writes it ("3!n7!n2!n": 3, 7 and 2 characters)."""
    if not (len(country) == 2 and country.isascii() and country.isalpha()):
        return None
    ((_, known),) = numdb.get("iban").info(country)
    national = str(known.get("bban", ""))
    return 4 + sum(int(part) for part in re.findall(r"(\d+)!", national)) if national else None


def _postcode(value: str) -> str:
    """1234 AB, the way PostNL prints it."""
    try:
        return str(postcode_check.validate(value))
    except StdnumError as problem:
        raise _refused("postcode_not_dutch") from problem


# "javascript:", "mailto:", "https:", but not "www.praktijk.nl:8080" (a host and port).
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")
_WEB_SCHEMES = frozenset({"http", "https"})


def _website(value: str, info: ValidationInfo) -> str:
    """An absolute http(s) address, as the checker links it (R36): a bare host typed without
    https:// ("www.praktijk.nl") gets it, as a browser would open it on zorgnota's own
    site; any other scheme (javascript:, mailto:) is refused."""
    if not value:
        return value
    address = value if _SCHEME.match(value) else f"https://{value}"
    if _on_write(info) and not _is_web_address(address):
        raise _refused("website_not_web")
    return address


def _is_web_address(address: str) -> bool:
    try:
        parts = urlsplit(address)
        host = parts.hostname or ""
    except ValueError:  # an unclosed [ of an IPv6 host, a port that is no number
        return False
    labels = host.split(".")
    return (
        parts.scheme.lower() in _WEB_SCHEMES
        and len(labels) > 1
        and all(labels)
        and not any(c.isspace() or c in '"<>\\`' for c in address)
    )


def _plain_digits(code: str, info: ValidationInfo) -> str:
    """pydantic's ``\\d`` takes any Unicode digit (full-width, Arabic-Indic): a
    code pasted so would match no file's header, which writes 0-9, and a second practice
    could claim the same code in 0-9 (R31, interfaces.md §6; audit onboard3 D2)."""
    if _on_write(info) and not code.isascii():
        raise _refused("digits_not_ascii")
    return code


def _not_all_zeros(code: str, info: ValidationInfo) -> str:
    """Files write 00000000 for an absent AGB code (vektis.md): a provider holding it would
    own every file without one; no company has KvK number 00000000 either."""
    if _on_write(info) and not code.strip("0"):
        raise _refused("code_all_zeros")
    return code


# R15: at most 10 times the default € 25,00, as the fee's bound is 10 times its default:
# an arrangement needs two terms, so an invoice under twice the minimum gets none, and
# 10^12 cents made every arrangement impossible (audit onboard3).
MAX_ARRANGEMENT_MIN_TERM_CENTS: Final = 25_000


def _arrangement_min_term(cents: int, info: ValidationInfo) -> int:
    if _on_write(info) and cents > MAX_ARRANGEMENT_MIN_TERM_CENTS:
        raise _refused("arrangement_min_term_too_high")
    return cents


def _printable(text: str, info: ValidationInfo) -> str:
    """A name, address or holder is printed on invoices, letters and the checker (R36): a
    NUL, a line break or an invisible format character (U+202E right-to-left override,
    which shows "Fysio Oost" reversed) has no place there: Unicode categories Cc and Cf
    are refused on write (R31: never a half-valid item; audit onboard3)."""
    if _on_write(info) and not text.isprintable() and _has_control(text):
        raise _refused("text_control_character")
    if _on_write(info) and not text.isascii():
        _refuse_what_the_font_lacks(text)
    return text


def _refuse_what_the_font_lacks(text: str) -> None:
    """R36, R31: a letter the invoice's and letters' font lacks (a name in Chinese
    characters) would be left out of every PDF and letter without a word (audit pdf6):
    refused on write, the character named. Imported here: only a text beyond ASCII
    gets here, and only one beyond Latin Extended-B reads the font (#18 (d))."""
    from billing_core.declarations.characters import character_name, not_printed

    character = not_printed(text)
    if character:
        raise _refused("text_not_printed", character=character_name(character))


def _has_control(text: str) -> bool:
    # Here, not at import: only a text that is not printable gets here.
    from unicodedata import category

    return any(category(c) in ("Cc", "Cf") for c in text)


Text = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_printable)]
OptionalText = Annotated[str, Field(max_length=200), AfterValidator(_printable)]
# An AGB code, a KvK number.
EightDigits = Annotated[
    str,
    Field(pattern=r"^\d{8}$"),
    AfterValidator(_plain_digits),
    AfterValidator(_not_all_zeros),
]
Uzovi = Annotated[str, Field(pattern=r"^\d{4}$"), AfterValidator(_plain_digits)]
Iban = Annotated[str, AfterValidator(_iban)]
Postcode = Annotated[str, AfterValidator(_postcode)]
# Deliberately plain: the address is checked by the invitation e-mail, not by a regex.
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]


class _Settings(BaseModel):
    """Frozen, unknown fields refused, surrounding white space dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class AgbKind(StrEnum):
    PRACTICE = "practice"
    PRACTITIONER = "practitioner"


class AgbCode(_Settings):
    code: EightDigits
    kind: AgbKind


class PracticeAddress(_Settings):
    street: Text
    house_number: Annotated[str, Field(pattern=r"^\d{1,5}$"), AfterValidator(_plain_digits)]
    # Printed after the number on every invoice and letter (R36): checked as the street is
    # (audit pdf7: a suffix in Chinese characters printed nothing, a U+202E reversed "bis").
    house_number_suffix: Annotated[str, Field(max_length=10), AfterValidator(_printable)] = ""
    postcode: Postcode
    city: Text


class Contact(_Settings):
    """How patients reach the practice."""

    # Printed on every invoice's and letter's letterhead (R36): an address in Chinese
    # characters printed "info@.nl" (audit pdf7); "info@tandarts-ü.nl" prints and is taken.
    email: Annotated[Email, AfterValidator(_printable)]
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 ()-]{8,20}$")]
    website: Annotated[OptionalText, AfterValidator(_website)] = ""
    hours: OptionalText = ""  # "ma-vr 8:30-17:00"


class Payout(_Settings):
    """Where the retrocession goes (R24). Banks check the payee's name against the
    account, so the holder is required next to the IBAN."""

    iban: Iban
    account_holder: Text


class Contract(_Settings):
    """A contract with one insurer for a period; ``to`` None: until further notice.
    Signed late with retroactive effect, it counts from ``from`` for every invoice made
    after it is entered; nothing invoiced before is re-rated (R31)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, serialize_by_alias=True
    )

    uzovi: Uzovi
    starts: date = Field(alias="from")
    ends: date | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _ends_after_start(self) -> Contract:
        if self.ends is not None and self.ends < self.starts:
            raise _refused("contract_ends_before_start")
        return self

    def covers(self, uzovi: str, on: date) -> bool:
        return uzovi == self.uzovi and self.starts <= on and (self.ends is None or on <= self.ends)


class CoverageRule(_Settings):
    """Share of a line's amount the insurer reimburses, for treatment codes with this prefix."""

    # "" matches every code; the longest matching prefix wins. A treatment code is at most
    # 6 characters (Vektis PRESTATIECODE, AN 6), so a longer prefix matches none (R31).
    code_prefix: str = Field(default="", max_length=6)
    contracted_percentage: Annotated[Decimal, Percentage] = Field(ge=0, le=100)
    non_contracted_percentage: Annotated[Decimal, Percentage] = Field(
        default=Decimal(0), ge=0, le=100
    )


class Provider(_Settings):
    """The settings of interfaces.md §6; ``version`` counts the stored versions (the first
    one written is 1, 0 is a provider not written yet)."""

    provider_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    name: Text
    legal_name: Text
    kvk: EightDigits
    care_kind: CareKind
    agb_codes: tuple[AgbCode, ...] = Field(min_length=1, max_length=200)
    address: PracticeAddress
    contact: Contact
    payout: Payout
    payment_term_days: Annotated[int, WholeNumber] = Field(default=30, ge=1, le=90)  # R8
    deferral_days: Annotated[int, WholeNumber] = Field(default=30, ge=1, le=90)  # R14
    # R15: € 10,00
    arrangement_fee_cents: Annotated[int, WholeNumber] = Field(default=1000, ge=0, le=10_000)
    # R15: € 25,00; at most MAX_ARRANGEMENT_MIN_TERM_CENTS on write
    arrangement_min_term_cents: Annotated[
        int, WholeNumber, AfterValidator(_arrangement_min_term)
    ] = Field(default=2500, ge=100)
    # R5: the insurers (UZOVI) the provider has a contract with, as periods.
    contracts: tuple[Contract, ...] = ()
    coverage_rules: tuple[CoverageRule, ...] = ()
    # legal-nl.md §2: days from a print batch's date to its posting (the print house's
    # rhythm); a paper letter counts as received on the second delivery day after it.
    posting_delay_days: Annotated[int, WholeNumber] = Field(default=0, ge=0, le=7)
    dunning: DunningPolicy = Field(default_factory=DunningPolicy)  # R19
    coulance: CoulancePolicy = Field(default_factory=CoulancePolicy)  # R17
    # R24: zorgnota's fee, a percentage of the money received per week (retrocession.py).
    service_fee_percentage: Annotated[Decimal, Percentage] = Field(
        default=Decimal("3.5"), ge=0, le=25, decimal_places=2
    )
    version: Annotated[int, WholeNumber] = Field(default=0, ge=0)

    @field_validator("agb_codes")
    @classmethod
    def _one_practice_code_and_no_repeats(
        cls, agb_codes: tuple[AgbCode, ...]
    ) -> tuple[AgbCode, ...]:
        codes = [agb.code for agb in agb_codes]
        if twice := next((code for code in codes if codes.count(code) > 1), None):
            raise _refused("agb_code_twice", agb=twice)
        if not any(agb.kind is AgbKind.PRACTICE for agb in agb_codes):
            raise _refused("practice_code_missing")
        return agb_codes

    @field_validator("contracts")
    @classmethod
    def _one_contract_per_insurer_on_a_day(
        cls, contracts: tuple[Contract, ...], info: ValidationInfo
    ) -> tuple[Contract, ...]:
        """Overlapping periods with one insurer leave unclear which contract a day has."""
        by_insurer = sorted(contracts, key=lambda contract: (contract.uzovi, contract.starts))
        for earlier, later in pairwise(by_insurer):
            overlap = earlier.uzovi == later.uzovi and (
                earlier.ends is None or later.starts <= earlier.ends
            )
            if overlap and _on_write(info):
                raise _refused(
                    "contracts_overlap", uzovi=later.uzovi, starts=later.starts.isoformat()
                )
        return contracts

    @field_validator("coverage_rules")
    @classmethod
    def _each_prefix_once(
        cls, rules: tuple[CoverageRule, ...], info: ValidationInfo
    ) -> tuple[CoverageRule, ...]:
        """Of two rules with one prefix the first always wins (declarations/rules/coverage),
        also when they differ only in case: codes are read upper case, "x" means X."""
        seen: set[str] = set()
        for rule in rules:
            prefix = rule.code_prefix.upper()
            if prefix in seen and _on_write(info):
                raise _refused("coverage_prefix_twice", prefix=rule.code_prefix)
            seen.add(prefix)
        return rules

    def is_contracted(self, uzovi: str, on: date) -> bool:
        """Contracted with this insurer on the day the care is declared for (R5)."""
        return any(contract.covers(uzovi, on) for contract in self.contracts)

    # --- read-only shorthands for the letters, PDFs and files that print one value ---

    @property
    def all_agb_codes(self) -> frozenset[str]:
        """Practice and practitioner codes: a Vektis file naming any of them is ours."""
        return frozenset(agb.code for agb in self.agb_codes)

    @property
    def agb_code(self) -> str:
        """The (first) practice code: the one printed on invoices and handovers."""
        return next(agb.code for agb in self.agb_codes if agb.kind is AgbKind.PRACTICE)

    @property
    def city(self) -> str:
        return self.address.city

    @property
    def contact_email(self) -> str:
        return self.contact.email
