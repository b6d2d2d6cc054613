"""An objection's message is measured as the checker's form measures it (R16; audit
REQUESTS1): ``maxlength="2000"`` counts a line break once, the browser posts it as CRLF."""

from __future__ import annotations

import pytest

from billing_core.changes.objection import objection_refusals

EMAIL = "patient@example.org"


@pytest.mark.parametrize(
    "message, refused",
    [
        ("a\r\n" * 1000, False),  # 2,000 as the form counts, 3,000 as posted
        ("a\n" * 1000, False),  # 2,000 with bare line breaks (the API's JSON)
        ("a\r\n" * 1000 + "b", True),  # 2,001 as the form counts
        ("x" * 2001, True),
        ("\r\n\r\n", True),  # only line breaks: nothing said
    ],
    ids=["crlf_2000", "lf_2000", "crlf_2001", "plain_2001", "blank"],
)
def test_r16_a_message_counts_its_line_breaks_once(message, refused):
    # Given a message of lines as a browser posts a textarea (CRLF)
    # When the objection is checked / Then refused only over 2,000 as the form counts
    refusals = objection_refusals("amount", message, EMAIL)
    assert ("invalid_objection_message" in refusals) is refused


@pytest.mark.parametrize(
    "message",
    ["\u200b\u200b", "\u200b \ufeff\n\u2060", "\u200e\u200f"],
    ids=["zero_width_spaces", "zero_width_and_blank", "direction_marks"],
)
def test_r16_a_message_of_invisible_characters_only_says_nothing(message):
    """R16 ("an objection with a reason and message"; audit round 44 objections OBJ-2).
    Given a message of only zero-width or direction marks (a paste, an emptied field on a
    phone keyboard), when the objection is checked, then it is refused as an empty one:
    the practice would get an open action with nothing in it."""
    assert "invalid_objection_message" in objection_refusals("amount", message, EMAIL)


def test_r16_a_message_with_words_and_a_direction_mark_is_filed():
    """R16: given an Arabic message that carries a direction mark, when checked, then it
    is filed: only a message with nothing visible is refused."""
    assert objection_refusals("amount", "\u200fالمبلغ مرتفع جدا", EMAIL) == ()
