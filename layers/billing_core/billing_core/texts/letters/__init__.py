"""Every sentence of the e-mails and PDFs a patient or debtor receives (R9), one module per
family of letters: ``invoice`` (the invoice e-mail and PDF, and the ``common`` and
``email`` sections every letter shares), ``dunning`` (reminder and second notice) and
``confirmations`` (what the patient did or paid, what the provider or a correction
changed).

Sections are ``common``, ``email``, ``email.<kind>`` and ``pdf.<kind>``. A document asks
``texts_for`` for the sections it uses and gets them in the patient's language only when
that language has all of them; otherwise in Dutch, so nobody receives a letter that is
half translated. Polish lives in ``texts.polish``, Arabic in ``texts.arabic``.
"""

from __future__ import annotations

from billing_core.texts.arabic import letters as arabic
from billing_core.texts.catalogue import Section, Sections, catalogue
from billing_core.texts.letters import confirmations, dunning, invoice
from billing_core.texts.polish import letters as polish


def _merged(*families: Sections) -> dict[str, Section]:
    merged: dict[str, Section] = {}
    for family in families:
        clash = merged.keys() & family.keys()
        if clash:
            raise ValueError(f"sections defined twice: {sorted(clash)}")
        merged.update(family)
    return merged


LETTERS = catalogue(
    nl=_merged(invoice.DUTCH, dunning.DUTCH, confirmations.DUTCH),
    en=_merged(invoice.ENGLISH, dunning.ENGLISH, confirmations.ENGLISH),
    pl=polish.SECTIONS,
    ar=arabic.ARABIC,
)
CATALOGUE = LETTERS.languages
texts_for = LETTERS.texts_for
