"""How a rule of a provider's settings holds on write only (R31), in one place: the
settings (providers.provider) and the policies inside them (dunning.policy,
changes.coulance_policy) use the same mechanism, and the policies cannot import the
settings that hold them."""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType
from typing import Final

from pydantic import BeforeValidator, ValidationInfo
from pydantic_core import PydanticCustomError

# The validation context of settings read back from the table (provider_items).
STORED: Final = MappingProxyType({"stored": True})


def on_write(info: ValidationInfo) -> bool:
    """A rule added after settings were stored holds for what is written, not for what is
    read back: an item stored before it is still read (R31: one bad provider never stops
    a run for the others), and its next write is checked."""
    return not (info.context or {}).get("stored", False)


def refused(code: str, **values: object) -> PydanticCustomError:
    """A rule's refusal in Dutch and English, the field named by pydantic (400)."""
    # Imported here: a function that only reads settings never loads the practice texts.
    from billing_core.texts.practice import dutch_and_english

    return PydanticCustomError(code, dutch_and_english(code, **values))


def _whole_number(value: object, info: ValidationInfo) -> object:
    """A number of days or cents is a JSON integer: pydantic's lax mode stored ``true`` as
    1 (a payment term of one day) and the text "30" as 30 (interfaces.md §6, as the stop's
    amount since stop 44). On write only: a stored item is read back as DynamoDB gives its
    numbers (Decimal)."""
    if on_write(info) and (isinstance(value, bool) or not isinstance(value, int)):
        raise refused("number_not_whole")
    return value


# Annotated[int, WholeNumber]: a whole number of days or cents in the settings.
WholeNumber = BeforeValidator(_whole_number)


def _percentage(value: object, info: ValidationInfo) -> object:
    """A percentage is a JSON number or a decimal text as interfaces.md §6 writes one
    ("3.5": digits 0-9, at most one point): pydantic's lax Decimal took "1e1" (stored and
    answered as "1E+1"), "1_0", full-width or Arabic-Indic digits, none of which the API
    documents. On write only, as ``_whole_number``."""
    if on_write(info) and not _plain_decimal(value):
        raise refused("percentage_not_plain")
    return value


def _plain_decimal(value: object) -> bool:
    if isinstance(value, bool):  # JSON true is no percentage of 1
        return False
    if isinstance(value, int | float | Decimal):
        return True
    if not isinstance(value, str):
        return False
    # No pattern at import (cold start): the documented one, [+-]?digits[.digits].
    text = value.strip()
    whole, _, decimals = text.removeprefix("+").removeprefix("-").partition(".")
    return (text.isascii() and (whole + decimals).isdigit()) or not _lax_number(text)


def _lax_number(text: str) -> bool:
    """Whether pydantic would take ``text`` as a number: what it refuses itself ("", "NaN",
    "Infinity") keeps its own message ("moet een getal zijn", "moet een eindig getal zijn")."""
    from decimal import InvalidOperation

    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def _boolean(value: object, info: ValidationInfo) -> object:
    """A choice is JSON true or false: lax, pydantic took "no", "off", "0" and 0 as false
    and "yes", "t", 1 as true (interfaces.md §6). On write only."""
    if on_write(info) and not isinstance(value, bool):
        raise refused("choice_not_boolean")
    return value


# Annotated[Decimal, Percentage]: a percentage in the settings.
Percentage = BeforeValidator(_percentage)
# Annotated[bool, Boolean]: a choice in the settings.
Boolean = BeforeValidator(_boolean)
