"""Money is an int of euro cents; rates and percentages are Decimal (legal-nl.md intro).

Rounding to a cent is half-up everywhere.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

NO_BREAK_SPACE = "\u00a0"
_AMOUNT = re.compile(r"^(?P<sign>[+-]?)(?P<euros>\d{1,9})(?:[.,](?P<cents>\d{1,2}))?$")
# Grouped thousands as people type them, only where the decimal mark shows what the
# separator is: "1.234,56" (as Dutch insurers print it), "1,234.56" (as the English pages
# write it), or spaces, never a decimal mark ("1 234,56", as Polish readers write it).
# Each with the separator to drop. Patterns, not compiled: every handler imports this
# module and only the checker's form reads typed amounts (re caches them on first use;
# cold start, issue 18 (d)).
_DUTCH_GROUPED = r"^[+-]?\d{1,3}(?:\.\d{3})+,\d{1,2}$"
_GROUPED = (
    (_DUTCH_GROUPED, "."),
    (r"^[+-]?\d{1,3}(?:,\d{3})+\.\d{1,2}$", ","),
    (r"^[+-]?\d{1,3}(?: \d{3})+(?:,\d{1,2})?$", " "),
)
_SPACES = r"\s+"  # no-break and narrow spaces too, as a copy may hold them


class AmountFormatError(ValueError):
    """The text is not an amount in euros with at most two decimals."""


def parse_euros(text: str) -> int:
    """'12,50', '12.50', '-3.5', '45' -> cents, as files and APIs write amounts.
    Thousands separators are refused: in '1.234' nobody can tell whether it means 1234
    or 1.234 (``parse_typed_euros`` takes them where the decimal mark tells)."""
    match = _AMOUNT.match(text.strip())
    if not match:
        raise AmountFormatError(text)
    cents = int(match["euros"]) * 100 + int((match["cents"] or "0").ljust(2, "0"))
    return -cents if match["sign"] == "-" else cents


def parse_sheet_euros(text: str) -> int:
    """An amount in a file a spreadsheet saved: what ``parse_euros`` takes, and Dutch
    grouped thousands ("1.234,56", as Excel's Dutch number format with
    1000-scheidingsteken writes them, R40), where the decimal comma shows that the dots
    group. "1.234" and "1.23,4" stay refused: the grouping does not settle them."""
    try:
        return parse_euros(text)
    except AmountFormatError:
        plain = text.strip()
        if not re.match(_DUTCH_GROUPED, plain):
            raise
        return parse_euros(plain.replace(".", ""))


def parse_typed_euros(text: str) -> int:
    """An amount a person types off a letter: what ``parse_euros`` takes, and also with
    a € sign ("€ 60,17", "60,17 €"), grouped thousands ("€ 1.234,56", "1 234,56") and
    Dutch whole euros ("60,-"). Grouping counts only where the decimal mark settles it:
    "1.234" stays refused, as 1234 or 1.234 it cannot tell."""
    plain = re.sub(_SPACES, " ", text).strip().removeprefix("€").removesuffix("€").strip()
    if plain.endswith(",-"):
        plain = plain.removesuffix("-") + "00"
    for grouped, separator in _GROUPED:
        if re.match(grouped, plain):
            return parse_euros(plain.replace(separator, ""))
    return parse_euros(plain)


def round_half_up(value: Decimal) -> int:
    """A Decimal amount of cents rounded half-up to a whole cent."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percentage_of(cents: int, percentage: Decimal) -> int:
    """percentage% of an amount, e.g. percentage_of(10000, Decimal('60')) == 6000."""
    return round_half_up(Decimal(cents) * percentage / Decimal(100))


def format_euros(cents: int, language: str = "nl") -> str:
    """As people write amounts in each language (R9): € 1.234,56 in Dutch, €1,234.56 in
    English and in Arabic (Latin digits, as Dutch banks and insurers print them for
    Arabic readers too), 1 234,56 € in Polish (a no-break space groups the thousands).
    Every space in an amount is a no-break space: a letter or a narrow mail client that
    wraps the sentence never leaves "€" at a line's end and the figure on the next."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}"
    if language in ("en", "ar"):
        return f"{sign}€{grouped}.{rest:02d}"
    if language == "pl":
        return f"{sign}{grouped.replace(',', NO_BREAK_SPACE)},{rest:02d}{NO_BREAK_SPACE}€"
    return f"{sign}€{NO_BREAK_SPACE}{grouped.replace(',', '.')},{rest:02d}"


def euro_params(name: str, cents: int) -> dict[str, str]:
    """The amount ``name`` of a sentence given in Dutch and English (a report's finding, a
    refusal), as each language writes it: ``{name}_nl`` and ``{name}_en`` (the catalogues'
    way of passing a value that depends on the language, texts/catalogue.py)."""
    return {f"{name}_nl": format_euros(cents, "nl"), f"{name}_en": format_euros(cents, "en")}
