"""Personal data never reaches a log line (R29): the formatter every function's Powertools
Logger writes with (``powertools.function_logger``).

The code logs ids, counts and codes only; this is the net under that rule, for a value
that slips through (an exception text, an object's repr, an extra field added in a
hurry). It masks:

- whatever sits under a key that names personal data (``email``, ``bsn``, ``last_name``,
  ``birth_date``, ``iban``, ...), at any depth of the structured line, and the same
  ``key=value`` / ``key: value`` inside text (a dataclass repr, a message), a value
  written as a call (``birth_date=datetime.date(1984, 3, 7)``) whole; only a whole
  number under a key whose datum is never a number (``email``) is kept: it is a count;
- every value a pydantic ``ValidationError``'s text quotes (``input_value=...``): it
  stands there without its key (the field's name is on the line above), and is what
  was typed or read, a name or a birth date as often as not;
- in any text: e-mail addresses, IBANs, nine-digit numbers that pass the BSN 11-proof,
  and dates written the Dutch way (``14-3-1971``, ``14/03/1971``: our own code writes ISO
  dates, so a date written so is a person's, typed by hand).

An ISO date (``1984-03-07``) in free text is kept: log lines carry run days, weeks and
moments that way, and the operator must read them (R39); a birth date written so is
masked by its key (``birth_date``, ``birth_text``, ``geboortedatum``) or as a refused
value of a pydantic model. Names in free text cannot be recognised as such; they are
masked by their key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

if TYPE_CHECKING:
    from aws_lambda_powertools.logging.types import LogRecord

MASK = "***"
PERSONAL_KEYS = frozenset(
    {
        "account_holder",
        "address",
        "addressee",
        "birth_date",
        "birth_text",
        "bsn",
        "bsn_text",
        "city",
        "date_of_birth",
        "debtor",
        "display_name",
        "email",
        "first_name",
        "geboortedatum",
        "iban",
        "initials",
        "last_name",
        "last_name_text",
        "mobile",
        "name",
        "name_prefix",
        "patient",
        "patient_email",
        "payer_name",
        "phone",
        "postcode",
        "recipients",
        "street",
    }
)
# Keys whose personal datum is never a number: an e-mail address. A whole number under
# them is a count ("invoices_by_channel": {"email": 12}, the ingest's summary), kept so the
# operator reads it (R39). Not so under any other key: a BSN, a phone number, a birth
# date (19710314), a house number or a patient's number can be logged as a whole number.
_NEVER_A_NUMBER = frozenset({"email", "patient_email", "recipients"})
_KEY_NAMES = "|".join(sorted(PERSONAL_KEYS, key=len, reverse=True))
# key='value', key="value", key=value, "key": "value" and key: value inside a text; a
# value written as a call (datetime.date(1984, 3, 7), a repr) up to its closing bracket.
_KEYED_IN_TEXT = re.compile(
    rf"""(?i)(?<![\w])(["']?(?:{_KEY_NAMES})["']?\s*[=:]\s*)"""
    r"""('[^']*'|"[^"]*"|[\w.]+\([^)]*\)|[^,;)\]}\s]+)"""
)
# "[type=int_parsing, input_value='Jansen', input_type=str]": the value's repr (a text,
# a dict, truncated with "...") runs to the last ", input_type=" of its line.
_PYDANTIC_INPUT = re.compile(r"(input_value=)[^\n]*(?=, input_type=)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
_DUTCH_DATE = re.compile(r"(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}(?!\d)")


def mask(value: Any, key: str = "") -> Any:
    """The value with every personal datum in it replaced by ``***``."""
    if key.lower() in PERSONAL_KEYS and value not in (None, "", [], {}):
        return value if _a_count(value, key) else MASK
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, BaseException):  # Powertools' stack_trace holds the error itself
        return mask_text(str(value))
    if isinstance(value, Mapping):
        return {k: mask(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [mask(item) for item in value]
    return value


def _a_count(value: Any, key: str) -> bool:
    """A whole number (not a bool, not text of digits) under a key whose datum is never
    a number: a count, no personal datum."""
    return type(value) is int and key.lower() in _NEVER_A_NUMBER


def mask_text(text: str) -> str:
    text = _PYDANTIC_INPUT.sub(lambda m: f"{m[1]}{MASK}", text)
    text = _KEYED_IN_TEXT.sub(lambda m: f"{m[1]}{MASK}", text)
    text = _EMAIL.sub(MASK, text)
    text = _IBAN.sub(MASK, text)
    text = _DUTCH_DATE.sub(MASK, text)
    return _NINE_DIGITS.sub(_masked_if_bsn, text)


def _masked_if_bsn(match: re.Match[str]) -> str:
    digits = match[0]
    # Imported here: python-stdnum loads pydoc, 3% of `import boto3` for every handler (#18).
    from stdnum.nl import bsn as stdnum_bsn

    return MASK if stdnum_bsn.checksum(digits) == 0 else digits


class PersonalDataMaskingFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON log line, masked after the message and the extra keys are in it."""

    def serialize(self, log: LogRecord) -> str:
        masked: dict[str, Any] = mask(log)
        return super().serialize(masked)
