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


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Yılmaz", "yilmaz"),
        ("IŞIK", "isik"),
        ("Işık", "ISIK"),
        ("Wałęsa", "walesa"),
        ("Søndergaard", "sondergaard"),
        ("Ærø", "aero"),
        ("Œuvray", "oeuvray"),
        ("Đurić", "duric"),
        ("Þórsdóttir", "thorsdottir"),
        ("Guðmundsson", "gudmundsson"),
        ("Col·lell", "collell"),
        ("İnönü", "inonu"),
    ],
)
def test_letters_nfkd_leaves_whole_fold_as_a_dutch_keyboard_types_them(stored, typed):
    """Audit INTERFACES1 (R35, interfaces.md §2 "case and accents do not matter"):
    Given a name with ı, ł, ø, æ, œ, đ, ð, þ (letters NFKD does not take apart)
    When the practice types it without them / Then both fold to the same one word."""
    assert name_words(stored) == name_words(typed) and len(name_words(typed)) == 1


def test_a_name_in_another_script_is_a_word_of_its_own():
    """Audit INTERFACES1: Given "محمد" (Arabic script) / When folded / Then one word, not
    none (none searched for every invoice); harakat do not matter."""
    assert name_words("محمد") == ("محمد",)
    assert name_words("مُحَمَّد") == ("محمد",)
    assert name_words("Ли Мин") == ("ли", "мин")


@pytest.mark.parametrize("typed", ["-", " . ", "'", "_", "--/--"])
def test_a_name_without_letters_or_digits_has_nothing_to_search_for(typed):
    """Audit INTERFACES1: the service refuses such a search (an empty tuple)."""
    assert search_terms(typed) == ()


def test_a_word_matches_only_at_the_start_of_a_name_word():
    """Audit INTERFACES1: "lmaz" found Yılmaz, stored as " y lmaz"."""
    assert " lmaz" not in "".join(search_terms("Yılmaz"))


def test_each_typed_word_is_looked_for_once_at_the_start_of_a_name_word():
    assert search_terms("Vries vries de") == (" vries", " de")
