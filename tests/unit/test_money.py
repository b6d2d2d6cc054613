"""Money is int cents, rounding half-up (legal-nl.md intro)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing_core.shared.money import AmountFormatError, format_euros, parse_euros, percentage_of


@pytest.mark.parametrize(
    "text, cents",
    [
        ("12.50", 1250),
        ("12,50", 1250),
        ("-12,50", -1250),
        ("45", 4500),
        ("0,5", 50),
        ("60.17", 6017),
        (" 7,00 ", 700),
    ],
)
def test_amounts_as_practice_software_writes_them(text, cents):
    assert parse_euros(text) == cents


@pytest.mark.parametrize(
    "text", ["1.234,56", "12.345", "12,3,4", "€12", "abc", "", "1e3", "12.505"]
)
def test_ambiguous_or_malformed_amounts_are_refused(text):
    with pytest.raises(AmountFormatError):
        parse_euros(text)


@pytest.mark.parametrize(
    "cents, language, text",
    [
        (123456, "nl", "€ 1.234,56"),
        (123456, "en", "€1,234.56"),
        (5, "nl", "€ 0,05"),
        (-1250, "nl", "-€ 12,50"),
        # R9: Polish groups with a no-break space and puts the sign after the amount.
        (123456, "pl", "1\u00a0234,56\u00a0€"),
        (-1250, "pl", "-12,50\u00a0€"),
        (123456, "ar", "€1,234.56"),
    ],
)
def test_amounts_are_written_as_people_read_them(cents, language, text):
    assert format_euros(cents, language) == text


@pytest.mark.parametrize(
    "cents, pct, expected",
    [(10000, "60", 6000), (1, "50", 1), (3, "50", 2), (-3, "50", -2), (26700, "15", 4005)],
)
def test_percentages_round_half_up(cents, pct, expected):
    assert percentage_of(cents, Decimal(pct)) == expected


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_formatting_and_parsing_agree(cents):
    # Given any amount / When written in English without the sign and grouping / Then it parses back
    text = f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"
    assert parse_euros(text) == cents
