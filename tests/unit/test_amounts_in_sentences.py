"""An amount written into a sentence of a catalogue is written as ``format_euros`` writes
amounts (R9): in Dutch and Polish a no-break space between "€" and the figure, in English
and Arabic none, so no page, e-mail or letter wraps a line between the sign and its
figure (stop 39 did that for the amounts the formatter writes; these are the amounts the
sentences hold themselves: the payment terms' staffel, legal-nl.md §3, and the practice's
finding about a dental plan above € 250, R6).
"""

from __future__ import annotations

import html
import re

import pytest

from billing_core.entrypoints.web.info_pages import render_info_page
from billing_core.texts.catalogue import LANGUAGES
from billing_core.texts.letters import LETTERS
from billing_core.texts.patient import PATIENT
from billing_core.texts.portal import PORTAL_TEXTS
from billing_core.texts.practice import PRACTICE, finding_message

# "€" and a figure with an ordinary space (or tab) between them, either way round.
PLAIN_SPACED_AMOUNT = re.compile(r"€[ \t]+\d|\d[ \t]+€")


def plain_spaced_amounts(text: str) -> list[str]:
    return [text[max(0, m.start() - 20) : m.end() + 10] for m in PLAIN_SPACED_AMOUNT.finditer(text)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_terms_page_keeps_each_amount_of_the_staffel_with_its_euro_sign(language):
    # Given the payment terms page (R36) with the BIK's staffel (legal-nl.md §3)
    # When it is rendered in the reader's language, as shown
    page = html.unescape(render_info_page("terms", language))
    # Then it names the staffel's amounts, none with a plain space beside its "€"
    assert "€" in page
    assert plain_spaced_amounts(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_practice_finding_keeps_its_amount_with_its_euro_sign(language):
    # Given the finding about a dental plan above € 250 without a price quote (R6), read in
    # any language (Polish and Arabic readers get the Dutch sentence)
    sentence = finding_message("PRICE_QUOTE_MISSING", language, line=3)
    # Then its "€ 250" is not split over two lines
    assert "250" in sentence
    assert plain_spaced_amounts(sentence) == []


@pytest.mark.parametrize(
    "name, catalogue",
    [("patient", PATIENT), ("letters", LETTERS), ("practice", PRACTICE), ("portal", PORTAL_TEXTS)],
)
def test_no_sentence_of_any_catalogue_writes_an_amount_with_a_plain_space(name, catalogue):
    # Given every sentence of every catalogue, in every language it has
    found = {
        f"{language}/{section}/{key}": plain_spaced_amounts(pattern)
        for language, sections in catalogue.languages.items()
        for section, patterns in sections.items()
        for key, pattern in patterns.items()
    }
    # Then none holds an amount with a plain space between "€" and its figure
    assert {where: hits for where, hits in found.items() if hits} == {}, name
