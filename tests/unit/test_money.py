"""Money is int cents, rounding half-up (legal-nl.md intro)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing_core.shared.money import (
    AmountFormatError,
    format_euros,
    parse_euros,
    parse_sheet_euros,
    parse_typed_euros,
    percentage_of,
)


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
    "text, cents",
    [("1.234,56", 123456), ("-1.234,5", -123450), (" 12.345.678,90 ", 1234567890), ("12,50", 1250)],
)
def test_r40_amounts_as_dutch_excel_groups_them_in_a_file(text, cents):
    """R40, audit files FILES6: Excel's Dutch number format with 1000-scheidingsteken
    writes 1.234,56; the decimal comma shows that the dots group."""
    assert parse_sheet_euros(text) == cents


@pytest.mark.parametrize(
    "text", ["1.234", "1.23,4", "12.34,56", "1,234.56", "1 234,56", "€ 1.234,56"]
)
def test_r40_grouping_a_file_does_not_settle_is_refused(text):
    with pytest.raises(AmountFormatError):
        parse_sheet_euros(text)


@pytest.mark.parametrize(
    "typed, cents",
    [
        # R17/R37: "Neem de bedragen over van het overzicht dat uw zorgverzekeraar stuurde":
        # as a Dutch insurer's statement prints them (audit care D7)
        ("1.234,56", 123456),
        ("€ 60,17", 6017),
        ("€ 1.234,56", 123456),
        ("€60,17", 6017),
        ("€\u00a01.234,56", 123456),
        ("12.345.678,90", 1234567890),
        ("€ 385,-", 38500),
        # as the English and Arabic pages write amounts, and Polish readers (R9)
        ("€1,234.56", 123456),
        ("1\u00a0234,56\u00a0€", 123456),
        ("1 234", 123400),
        # and everything parse_euros takes
        ("48,75", 4875),
        ("48.75", 4875),
        ("1234,56", 123456),
        (" 0 ", 0),
    ],
)
def test_r17_amounts_typed_off_a_statement(typed, cents):
    assert parse_typed_euros(typed) == cents


@pytest.mark.parametrize(
    "typed",
    [
        "1.234",  # 1234 or 1.234? A dot without a decimal comma settles nothing
        "1,234",  # the same the other way round
        "1.234.567",
        "1.23,45",  # not groups of three
        "12.34,56",
        "1.234.56",
        "1,234,56",
        "1.234,567",
        "1 23,45",
        "€",
        "€ €5",
        "EUR 5",
        "5 euro",
        "",
    ],
)
def test_r17_typed_amounts_that_cannot_be_read_for_sure_are_refused(typed):
    with pytest.raises(AmountFormatError):
        parse_typed_euros(typed)


@pytest.mark.parametrize(
    "cents, language, text",
    [
        # R9: Dutch puts a no-break space after the sign, so a letter never ends a line
        # in "€" with the figure on the next.
        (123456, "nl", "€\u00a01.234,56"),
        (123456, "en", "€1,234.56"),
        (5, "nl", "€\u00a00,05"),
        (-1250, "nl", "-€\u00a012,50"),
        # R9: Polish groups with a no-break space and puts the sign after the amount.
        (123456, "pl", "1\u00a0234,56\u00a0€"),
        (-1250, "pl", "-12,50\u00a0€"),
        (123456, "ar", "€1,234.56"),
    ],
)
def test_amounts_are_written_as_people_read_them(cents, language, text):
    assert format_euros(cents, language) == text


# Spaces that keep their neighbours on one line: no-break, narrow no-break, figure space.
_UNBREAKABLE = {"\u00a0", "\u202f", "\u2007"}


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
@pytest.mark.parametrize("cents", [5, 109217, 123456789, -1250])
def test_r9_an_amount_is_never_broken_over_two_lines(cents, language):
    # Given an amount in any language's format (R9, R36: read as written in the letter)
    # When a letter wraps its sentence (fpdf's multi_cell, a narrow mail client)
    # Then it finds no place to break the amount: every space in it is a no-break space
    text = format_euros(cents, language)
    assert {c for c in text if c.isspace()} <= _UNBREAKABLE, repr(text)


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


@given(
    st.integers(min_value=0, max_value=10**9),
    st.sampled_from(["nl", "en", "pl", "ar"]),
)
def test_an_amount_copied_as_we_write_it_is_read_back(cents, language):
    # Given any amount as our letters and pages write it in a language (R9)
    # When a person types it back into a form / Then it is the same amount
    assert parse_typed_euros(format_euros(cents, language)) == cents
