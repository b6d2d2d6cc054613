"""The checker's answer to a kenmerk it finds no invoice for (R10, R36): the kenmerk's form
alone sends no birth date, so its answer asks to check the kenmerk only; once a birth date
was sent, an unknown kenmerk and a wrong birth date get the very same page (issue 13 item
13), which names both. Neither answer tells whether the kenmerk exists: the first is the
same for every unknown kenmerk, the second the same for an unknown one and a known one.

Rendered without AWS (the page's template, the use cases on a fake store)."""

from __future__ import annotations

from datetime import datetime
from html import unescape

import pytest

from billing_core.entrypoints.web.checker_page import Visit, form_answer, status_page
from billing_core.services.patient import PatientContext
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.reference import for_sequence
from tests.unit.factories import REFERENCE, REFERENCE_KEY, make_invoice, make_provider
from tests.unit.fake_store import FakeQueue, FakeStore
from tests.unit.test_checker_offers import words
from tests.unit.test_follow_up_channel import LANGUAGES, element

NOW = datetime(2026, 12, 10, 10, 0, tzinfo=AMSTERDAM)
UNKNOWN = for_sequence(2, REFERENCE_KEY)  # a valid kenmerk, nobody's
# How each language names the birth date
BIRTH_DATE = {"nl": "geboortedatum", "en": "date of birth", "pl": "urodzenia", "ar": "الميلاد"}


def a_context() -> PatientContext:
    store = FakeStore([make_invoice()], [make_provider()])
    return PatientContext(store, FakeQueue(), FixedClock(NOW))


def unlock(kenmerk: str, born: str, language: str):
    form = {"action": "unlock", "kenmerk": kenmerk, "birth_date": born, "lang": language}
    return form_answer(form, Visit(), a_context(), payments=lambda: None, account=None)  # type: ignore[arg-type,return-value]


@pytest.mark.parametrize("language", LANGUAGES)
def test_r10_an_unknown_kenmerk_alone_is_not_told_to_check_a_birth_date_never_asked(language):
    """R10, R36. Given a valid kenmerk nobody has
    When the patient looks it up with the kenmerk's form (no birth date is asked there)
    Then the page says it finds no invoice and to check the number on the invoice, and
    names no birth date (before: "..., or the date of birth if you entered one" in 4 of 4
    languages; after: 0), and shows no birth date's field."""
    page = unescape(status_page(language, UNKNOWN, a_context()).html)

    assert element(page, "error") == words(language, "not_found")
    assert BIRTH_DATE[language] not in element(page, "error")
    assert 'id="birth-date"' not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_r10_once_a_birth_date_was_sent_an_unknown_kenmerk_and_a_wrong_date_read_alike(
    language,
):
    """R10 (issue 13 item 13). Given a valid kenmerk nobody has, and a known one
    When a birth date is sent with each, wrong for the known one
    Then both answers are the same page with the same status, and it names the birth
    date: the words for the kenmerk alone do not leak in."""
    unknown = unlock(UNKNOWN, "1984-03-07", language)
    wrong = unlock(REFERENCE, "1900-01-01", language)

    assert (unknown.status, unescape(unknown.html).replace(UNKNOWN, REFERENCE)) == (
        wrong.status,
        unescape(wrong.html),
    )
    assert element(unescape(wrong.html), "error") == words(language, "no_match")
    assert BIRTH_DATE[language] in element(unescape(wrong.html), "error")
