"""A moment stored in another zone than Amsterdam's (a PSP, SES and S3 stamp theirs in UTC)
shows on its Dutch day in every template and is answered in Dutch time by the operator API
(architecture.md: dates Europe/Amsterdam; R27, R33, R34, R35; audit dutchday57: the portal's
templates took a moment's day with ``.date()``, right only while every page converted the
moment first, and the operator API answered batch steps, reads, register loads and matches
as stored, in UTC beside the provider API's Dutch time)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from billing_core.correspondence import render
from billing_core.entrypoints.web.portal import pages
from billing_core.texts.catalogue import long_date, short_date

# 00:30 in Amsterdam on the 24th, stamped in UTC: in winter (+01:00) and in summer (+02:00).
NIGHTS = {
    "winter": (datetime(2026, 11, 23, 23, 30, tzinfo=UTC), date(2026, 11, 24)),
    "summer": (datetime(2026, 6, 23, 22, 30, tzinfo=UTC), date(2026, 6, 24)),
}
PACKAGE = Path(render.__file__).resolve().parents[1]


@pytest.mark.parametrize("season", ["winter", "summer"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_portal_writes_a_moment_of_a_dutch_night_on_its_dutch_day(language, season):
    """R35, architecture.md (audit dutchday57).
    Given a moment stamped in UTC at 00:30 Amsterdam time on the 24th
    When a portal template writes its day through ``dutch_day``, in a table cell (``day``)
    and in a sentence (``date``), in ``language``
    Then both say the 24th, written as the portal writes any day."""
    at, dutch_day = NIGHTS[season]
    template = pages.ENVIRONMENT.from_string(
        "{{ at | dutch_day | day }}|{{ at | dutch_day | date }}"
    )

    cell, sentence = template.render(at=at, language=language).split("|")

    assert cell == f'<span class="date">{short_date(dutch_day, language)}</span>'
    assert sentence == long_date(dutch_day, language)


@pytest.mark.parametrize("season", ["winter", "summer"])
def test_a_letter_writes_a_moment_of_a_dutch_night_on_its_dutch_day(season):
    """R30, legal-nl.md §2 (a letter's day is the Dutch day), architecture.md.
    Given a moment stamped in UTC at 00:30 Amsterdam time on the 24th
    When an e-mail's template writes its day through ``dutch_day``
    Then it says the 24th."""
    at, dutch_day = NIGHTS[season]

    written = render.ENVIRONMENT.from_string("{{ at | dutch_day | date }}").render(
        at=at, language="nl"
    )

    assert written == long_date(dutch_day, "nl")


def test_no_template_takes_a_moments_day_from_the_zone_it_carries():
    """architecture.md (audit dutchday57: 6 such places in the portal's templates).
    Given every template of the portal, the checker's pages and the e-mails
    When one shows a day of a moment
    Then it takes it through ``dutch_day``, never ``.date()``: the day of whatever zone
    the moment happened to be handed over in."""
    templates = sorted(PACKAGE.rglob("*.j2"))
    assert any(p.parent.name == "templates" and "portal" in p.parts for p in templates)

    taken = [
        f"{p.relative_to(PACKAGE)}:{n}"
        for p in templates
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.date\(\)", line)
    ]

    assert taken == []
