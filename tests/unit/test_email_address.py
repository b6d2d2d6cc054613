"""One check of an e-mail address for the CSV and Vektis parsers (R7) and the objection
form (R16): what it lets through and what it refuses."""

from __future__ import annotations

import pytest

from billing_core.shared.email_address import MAX_EMAIL_CHARS, is_plausible_email

PLAUSIBLE = [
    "s.berg@example.org",
    "o'brien@example.ie",  # an apostrophe is a legal local-part character
    "info+nota@mail.tandarts-berg.nl",
    "a@b.nl",
    "x" * (MAX_EMAIL_CHARS - len("@example.nl")) + "@example.nl",  # exactly 254
]

NOT_PLAUSIBLE = [
    ("", "empty"),
    ("not-an-address", "no @"),
    ("b@@example.com", "two @"),
    ("b.kortenhoef@example", "domain without a dot"),
    ("b@example..nl", "empty domain label"),
    ("@example.nl", "no local part"),
    (".b@example.nl", "leading dot"),
    ("b kortenhoef@example.com", "space"),
    ("b\tkortenhoef@example.com", "tab"),
    ("a@example.nl\n", "trailing line break"),
    ("a@example.nl\r\nBcc: b@example.nl", "header injection"),
    ("a;b@example.nl", "separator"),
    ("a\x00b@example.nl", "NUL"),
    ("ab@exam\x7fple.nl", "DEL"),
    ("jöran@example.nl", "not ASCII"),
    ("x" * (MAX_EMAIL_CHARS - len("@example.nl") + 1) + "@example.nl", "255 characters"),
]


@pytest.mark.parametrize("text", PLAUSIBLE)
def test_a_plausible_address_is_accepted(text):
    """Given an address a mail server can take When it is checked Then it passes."""
    assert is_plausible_email(text)


@pytest.mark.parametrize(
    "text", [case[0] for case in NOT_PLAUSIBLE], ids=[c[1] for c in NOT_PLAUSIBLE]
)
def test_an_address_that_cannot_be_right_is_refused(text):
    """Given a text no mail server would deliver to (or that would add a mail header)
    When it is checked Then it is refused: the parsers send the invoice by post, the
    objection form asks again."""
    assert not is_plausible_email(text)
