"""The portal shows a ledger in words (R27, R35): every kind of entry and every component
has its text in Dutch and in English, so a new kind cannot show up as a code."""

from __future__ import annotations

import pytest

from billing_core.invoices.ledger import Component, EntryKind
from billing_core.texts.portal import PORTAL_LANGUAGES, portal_texts


@pytest.mark.parametrize("language", PORTAL_LANGUAGES)
def test_every_ledger_kind_and_component_reads_as_words(language):
    texts = portal_texts(language)
    kinds = {texts(f"ledger_{kind.value}") for kind in EntryKind}
    parts = {texts(f"part_{part.value}") for part in Component}
    # each has its own words, none is the code itself
    assert len(kinds) == len(EntryKind) and len(parts) == len(Component)
    assert not kinds & {kind.value for kind in EntryKind}
    assert not parts & {f"part_{part.value}" for part in Component}
