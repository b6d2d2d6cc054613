"""An e-mail's card keeps its width whatever the addressee's name (R30, R9): its text cells
break a word wider than the card (base.html.j2). A name of 120 letters without a space
widened the 560px card of every e-mail that greets by name to 964px, in a phone's 420px
too, and the reader scrolled sideways to read any line (audit letters53: 92 of 92).

Nor is any e-mail wider than a phone: the letters' amounts tables stack a block per invoice
(_stacked.html.j2). A column per amount made the second notice 568-664px wide at 360px,
in Polish at 600px too, and the reminder of two invoices 382-390px (audit emaillayout53:
14 of 208 renders wider than the window).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from billing_core.dunning.letters import SECOND_NOTICE
from billing_core.texts.catalogue import LANGUAGES
from tests.unit import test_email_parts_agree as emails

LONG_NAME = "Ü" + "x" * 119  # 120 letters, no space, no hyphen: nowhere to break
CARD_WIDTH = "() => document.querySelectorAll('table')[1].getBoundingClientRect().width"
PAGE_WIDTHS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
PHONE, WINDOW = 360, 600  # a common phone's width; a mail client's reading pane


def _long_named(invoice_of):
    """``invoice_of`` whose patient, the addressee, has the long name."""

    def invoice(language):
        made = invoice_of(language)
        patient = replace(made.patient, initials="", name_prefix="", last_name=LONG_NAME)
        return replace(made, patient=patient)

    return invoice


def _rendered(monkeypatch, long_named: bool, language: str) -> dict:
    """Every e-mail of the table in ``language``, by state."""
    with monkeypatch.context() as patched:
        if long_named:
            patched.setattr(emails, "_invoice", _long_named(emails._invoice))
        return {state: render(language) for state, render in emails.RENDERS.items()}


def _card_widths(page, rendered: dict) -> dict[str, float]:
    """Each e-mail's card width as the browser lays it out, by state."""
    widths = {}
    for state, email in rendered.items():
        page.set_content(email.html)
        widths[state] = page.evaluate(CARD_WIDTH)
    return widths


@pytest.mark.parametrize("language", LANGUAGES)
def test_r30_a_name_without_spaces_does_not_widen_the_card(page_in, monkeypatch, language):
    # Given every kind of e-mail in each state (test_email_parts_agree.RENDERS), in a
    # phone's browser, once addressed to the usual test name and once to a name of 120
    # letters without a space
    page = page_in(language)
    usual = _card_widths(page, _rendered(monkeypatch, False, language))
    long_named = _rendered(monkeypatch, True, language)
    assert LONG_NAME in long_named["invoice"].html  # the greeting names it
    # When each is laid out with the long name
    widths = _card_widths(page, long_named)
    # Then its card is exactly as wide as with the usual name: the name wraps inside it
    widened = {
        state: (usual[state], width)
        for state, width in widths.items()
        if width > usual[state] + 0.5
    }
    assert widened == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_r30_no_email_is_wider_than_a_phone(page_in, language):
    # Given every kind of e-mail in each state (test_email_parts_agree.RENDERS, whose
    # second notice is of one invoice) and the second notice of two invoices, which adds
    # a block of totals, in the reader's language (Arabic right to left, R9)
    page = page_in(language)
    rendered = {state: render(language) for state, render in emails.RENDERS.items()}
    rendered["second notice of two invoices"] = emails._letter(SECOND_NOTICE, 2, language)
    wider = {}
    for width in (PHONE, WINDOW):
        page.set_viewport_size({"width": width, "height": 900})
        for state, email in rendered.items():
            # When the browser lays it out in a phone's width and in a reading pane's
            page.set_content(email.html)
            scrolled, window = page.evaluate(PAGE_WIDTHS)
            if scrolled > window:
                wider[(width, state)] = scrolled
    # Then none is wider than its window: the reader never scrolls sideways (R30)
    assert wider == {}
