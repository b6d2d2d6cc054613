"""Issue 16 (R35): a patient's name as typed in the portal's search."""

from __future__ import annotations

import pytest

from billing_core.invoices.name_search import name_words, search_terms


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Çelik", ("celik",)),
        ("  DE   Vries ", ("de", "vries")),
        ("d'Ancona", ("dancona",)),
        ("Müller-Lüdenscheidt", ("muller", "ludenscheidt")),
        ("Strauß", ("strauss",)),
        ("S.M. Öztürk", ("s", "m", "ozturk")),
        ("", ()),
    ],
)
def test_a_name_is_compared_without_case_accents_or_punctuation(typed, words):
    assert name_words(typed) == words


def test_each_typed_word_is_looked_for_once_at_the_start_of_a_name_word():
    assert search_terms("Vries vries de") == (" vries", " de")
