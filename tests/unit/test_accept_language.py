"""Which patient language an Accept-Language header asks for (R9; RFC 9110 §12.5.4)."""

from __future__ import annotations

import pytest

from billing_core.entrypoints.http.accept_language import asked_language
from billing_core.texts.catalogue import LANGUAGES


@pytest.mark.parametrize(
    "header, language",
    [
        ("ar", "ar"),
        ("pl-PL,pl;q=0.9", "pl"),
        ("PL-pl", "pl"),
        ("en-US,en;q=0.9,nl;q=0.8", "en"),
        ("de;q=1, nl;q=0.2, ar;q=0.5", "ar"),
        ("nl;q=0.5, en;q=0.5", "nl"),  # equal weights: the first
        ("ar;q=0, en;q=0.1", "en"),  # q=0: not this one
        ("ar;q=2, pl", "pl"),  # a weight out of range is a range not read
        ("ar;q=x, pl;q=0.1", "pl"),
        ("ar;level=1, en;q=0.1", "en"),
        (" ar ; q=0.7 ", "ar"),
        ("*", None),
        ("de-DE,de;q=0.9", None),
        ("garbage;;q=x", None),
        (";;;,,,", None),
        ("", None),
        (None, None),
        ("x" * 10_000 + ",ar", None),  # only the header's first 512 characters are read
    ],
)
def test_r9_the_patient_language_an_accept_language_asks_for(header, language):
    """Given an Accept-Language header as a browser or a program sends it, when the
    patient API chooses the language of its error answers, then it is the patient
    language ranked highest, or None (Dutch and English) when none is asked for."""
    assert asked_language(header, LANGUAGES) == language
