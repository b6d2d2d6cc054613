"""The portal shows a ledger in words (R27, R35): every kind of entry and every component
has its text in Dutch and in English, so a new kind cannot show up as a code."""

from __future__ import annotations

from dataclasses import fields

import pytest

from billing_core.correspondence import confirmations
from billing_core.correspondence import kinds as confirmation_kinds
from billing_core.declarations.findings import Severity
from billing_core.declarations.vektis.retour_parser import LEVEL_OF_RECORD
from billing_core.dunning import letters
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


@pytest.mark.parametrize("language", PORTAL_LANGUAGES)
def test_every_letter_kind_on_the_invoice_page_reads_as_words(language):
    """Issue 16: the invoice page names each letter it lists, in the page's language."""
    kinds = {"invoice", *letters.KINDS}
    kinds |= {v for k, v in vars(confirmations).items() if k.isupper() and isinstance(v, str)}
    kinds |= confirmation_kinds.KINDS  # every one, also those confirmations does not name
    texts = portal_texts(language)
    assert {kind for kind in kinds if f"letter_{kind}" not in texts.entries} == set()


@pytest.mark.parametrize("language", PORTAL_LANGUAGES)
def test_every_kind_of_finding_on_an_uploads_report_reads_as_words(language):
    """R35, R2 (audit files FILES1): the report page names each finding's kind; a kind
    without its text failed the page for every upload with a rejected line."""
    texts = portal_texts(language)
    named = {texts(f"severity_{severity.value}") for severity in Severity}
    assert len(named) == len(Severity) and not named & {s.value for s in Severity}


@pytest.mark.parametrize("language", PORTAL_LANGUAGES)
def test_every_level_of_a_retourcode_reads_as_words(language):
    """vektis.md §1 ("show every retourcode in the processing report with its level"),
    R35 (audit files FILES2): the report page names the level a code stands at."""
    texts = portal_texts(language)
    levels = set(LEVEL_OF_RECORD.values())
    named = {texts(f"retour_level_{level}") for level in levels}
    assert len(named) == len(levels) and not named & levels


@pytest.mark.parametrize(
    "language, share, not_said",
    [
        ("nl", "niet-gecontracteerde zorg", "van de nota"),
        ("en", "non-contracted care", "of the invoice"),
    ],
)
def test_the_coulance_minimum_is_labelled_a_share_of_the_non_contracted_care(
    language, share, not_said
):
    """R17, legal-nl.md §6: since stop 34 the policy's minimum is a percentage of what the
    patient claims from the insurer, the non-contracted lines (coulance.proposal_for), not
    of the whole invoice; the settings page says so in each of its languages."""
    label = portal_texts(language)("minimum_percentage_label")
    assert share in label and not_said not in label


@pytest.mark.parametrize("language", PORTAL_LANGUAGES)
def test_every_count_of_a_retours_summary_reads_as_words(language):
    """R5, R35 (closing14's found list): the report page names each count of a retour's
    summary (its lines are "summary_lines", as a declaration's), so a new count cannot show
    up without its words."""
    from billing_core.declarations.retour import RetourSummary
    from billing_core.entrypoints.web.portal.pages import RETOUR_COUNTS

    counts = [field.name for field in fields(RetourSummary) if field.name != "lines"]
    assert list(RETOUR_COUNTS) == counts
    texts = portal_texts(language)
    named = {texts(f"summary_{name}") for name in counts}
    assert len(named) == len(counts) and not named & {f"summary_{name}" for name in counts}


@pytest.mark.parametrize(
    "language, at_once, token, not_said",
    [
        ("nl", "in het portaal meteen", "API-token", "inloggen"),
        ("en", "in the portal at once", "API token", "sign-in"),
    ],
)
def test_a_new_role_is_said_to_apply_in_the_portal_at_once(language, at_once, token, not_said):
    """R32, R35 (audit onboarding ONBOARDING3): the portal asks the user directory for the
    role at every request, so a colleague made a viewer loses their rights at their next
    request (test_a_user_given_a_lower_role_loses_its_rights_at_the_next_request); only an
    API token keeps the role it was issued with until it expires. The note under the
    users says so, not "from the next sign-in"."""
    note = portal_texts(language)("role_change_note")
    assert at_once in note and token in note and not_said not in note


def _every_text_a_reader_sees():
    """(catalogue, language, section, key, pattern) of every catalogue of texts."""
    from billing_core.texts.patient import PATIENT
    from billing_core.texts.portal import PORTAL_TEXTS
    from billing_core.texts.practice import PRACTICE

    for name, catalogue in (("portal", PORTAL_TEXTS), ("practice", PRACTICE), ("patient", PATIENT)):
        for language, sections in catalogue.languages.items():
            for section, entries in sections.items():
                for key, pattern in entries.items():
                    yield f"{name}.{language}.{section}.{key}", pattern


def test_no_text_shows_a_rule_number_of_the_spec():
    """R35 (audit pages PAGES4): Given every text a practice or a patient reads, Then none
    cites the spec's rule numbers ("(R25)" on the debtor-risk page meant nothing to a
    practice); rule numbers belong in the code's comments."""
    import re

    cited = re.compile(r"\(R\d+\)|\bR\d{1,2}\b")
    assert [where for where, text in _every_text_a_reader_sees() if cited.search(text)] == []


@pytest.mark.parametrize(
    ("language", "one", "two", "none"),
    [
        ("nl", "1 nota · 50%", "2 nota's · 50%", "0 nota's · 50%"),
        ("en", "1 invoice · 50%", "2 invoices · 50%", "0 invoices · 50%"),
    ],
)
def test_r9_a_count_is_written_in_the_number_it_asks_for(language, one, two, none):
    """R9, R25 (stop 47 portal5's leftover: "0 invoice(s)" in the debtor-risk table).
    Given the portal's texts in ``language``
    When a count of invoices is written with Texts.plural
    Then 1 takes the singular and 0 and 2 the plural, never "invoice(s)" or "nota('s)";
    and every counted text has both its forms (the one plural mechanism of the portal)."""
    texts = portal_texts(language)
    written = [texts.plural("risk_count", n, share="50%") for n in (1, 2, 0)]
    assert written == [one, two, none]
    counted = {key.removesuffix("_one") for key in texts.entries if key.endswith("_one")}
    assert counted and {key for key in counted if f"{key}_other" not in texts.entries} == set()
    assert [v for v in texts.entries.values() if "(s)" in v or "('s)" in v] == []


def test_r9_the_ledger_s_time_column_reads_as_english_in_english():
    """R9, R27 (names7): the invoice page's ledger headed its time column "Moment", the
    Dutch word, in English too.
    Given the portal's English texts / When the ledger's heading is read
    Then its time column is "When"."""
    assert portal_texts("en")("at") == "When"
