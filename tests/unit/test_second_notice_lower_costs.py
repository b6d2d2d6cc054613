"""A second notice whose collection costs are lower than the reminder announced does not
call them "the announced" costs (audit texts57).

legal-nl.md §2-§3: the BIK is over the principal still open when the reminder's term
expires. A reminder for € 4.000,00 announces € 525,00; € 2.000,00 paid in its term leaves
€ 2.000,00 open, and the second notice charges € 300,00. It said "Daarom bent u nu ook de
aangekondigde buitengerechtelijke incassokosten ... verschuldigd" beside € 300,00: it now
says the costs over what was open when the term expired; "announced" only when equal.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from billing_core.declarations.claims import Language
from billing_core.dunning.letters import SECOND_NOTICE
from billing_core.shared.money import format_euros
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import make_person
from tests.unit.test_invoice_pdf import shown_lines
from tests.unit.test_second_notice_without_costs import NOTICE_DAY, PAID_ON, at

PRINCIPAL = 400_000  # the reminder announces € 525,00 (legal-nl.md §3)
PART_PAID = 200_000  # in the term: € 300,00 over the € 2.000,00 left
COSTS_ON = date(2027, 1, 15)  # the day after the reminder's term (it ends on 14 January)
ANNOUNCED = {"nl": "aangekondigde", "en": "announced", "pl": "zapowiedziane", "ar": "أُعلن عنها"}
# What the lower costs are over, in each language (texts.letters.dunning now_due_costs_at_term).
AT_TERM = {
    "nl": "bij het verstrijken van de termijn nog openstond",
    "en": "still open when the term ended",
    "pl": "po upływie terminu",
    "ar": "عند انتهاء المهلة",
}


def second_notice(language: Language, part_paid: int) -> tuple[DunningWorld, dict[str, str]]:
    """The runs from the reminder to the second notice, ``part_paid`` paid in the term; the
    notice the run e-mails as read: its text part, HTML part and PDF, whitespace collapsed."""
    world = DunningWorld([one_invoice(PRINCIPAL, patient=make_person(language=language))])
    world.run_days(date(2026, 12, 24), PAID_ON - date.resolution)
    if part_paid:
        world.import_transfer(part_paid, booked_on=PAID_ON, at=at(PAID_ON))
    world.run_days(PAID_ON, NOTICE_DAY)
    ((_, email, (pdf,)),) = [sent for sent in world.outbox.sent if sent[1].kind == SECOND_NOTICE]
    parts = {
        "text": email.text,
        "html": html.unescape(re.sub(r"<[^>]+>", " ", email.html)),
        "pdf": " ".join(shown_lines(pdf.content)),
    }
    return world, {name: " ".join(text.split()) for name, text in parts.items()}


@pytest.mark.parametrize("language", list(Language))
def test_costs_lowered_by_a_part_payment_are_not_called_announced(language):
    # Given a € 4.000,00 invoice reminded (€ 525,00 announced) and € 2.000,00 paid in the term
    world, letter = second_notice(language, PART_PAID)
    # When the run sends the second notice, charging € 300,00 (legal-nl.md §2-§3)
    assert world.invoice().reminder.costs_cents == 525_00 and world.costs() == 300_00
    # Then no part calls them announced, and each says what they are over (art. 6:96 BW)
    for part, text in letter.items():
        assert ANNOUNCED[language.value] not in text, (part, text)
        assert "6:96" in text, (part, text)
        if not (part == "pdf" and language is Language.AR):  # its lines read in visual order
            assert AT_TERM[language.value] in text, (part, text)


@pytest.mark.parametrize("language", list(Language))
def test_costs_as_announced_are_still_called_announced(language):
    # Given the same invoice reminded and nothing paid in the term
    world, letter = second_notice(language, 0)
    # When the run sends the second notice, charging the € 525,00 announced
    assert world.costs() == world.invoice().reminder.costs_cents == 525_00
    # Then every part says they are the announced costs (R20)
    for part, text in letter.items():
        assert ANNOUNCED[language.value] in text, (part, text)
        assert AT_TERM[language.value] not in text, (part, text)


def second_notice_about_one_of_two(language: Language) -> tuple[DunningWorld, dict[str, str]]:
    """Two € 2.000,00 invoices of one patient in one reminder (€ 525,00 announced, € 262,50
    each); the run after its term charges both their shares and queues the second notice;
    the second invoice is paid in full, read before the notice goes out: the notice, as
    ``second_notice`` reads it, is about the first alone."""
    patient = make_person(language=language)
    halves = [one_invoice(PRINCIPAL // 2, number=n, patient=patient) for n in (1, 2)]
    world = DunningWorld(halves)
    world.run_days(date(2026, 12, 24), COSTS_ON - date.resolution)
    world.run(COSTS_ON, deliver=False)
    assert [world.costs(i) for i in ("inv-1", "inv-2")] == [262_50, 262_50]
    due = world.money(COSTS_ON, "inv-2").due
    world.import_transfer(due, booked_on=COSTS_ON, at=at(COSTS_ON), invoice_id="inv-2")
    assert world.invoice("inv-2").is_paid
    ((_, email, (pdf,)),) = [sent for sent in world.outbox.sent if sent[1].kind == SECOND_NOTICE]
    parts = {
        "text": email.text,
        "html": html.unescape(re.sub(r"<[^>]+>", " ", email.html)),
        "pdf": " ".join(shown_lines(pdf.content)),
    }
    return world, {name: " ".join(text.split()) for name, text in parts.items()}


# The key is chosen once for every language (now_due_key); Dutch, and Arabic for its PDF read
# in visual order (the four languages' sentences: the tests above).
@pytest.mark.parametrize("language", [Language.NL, Language.AR])
def test_a_notice_about_part_of_the_letter_at_its_announced_share_says_announced(language):
    # Given a reminder about two invoices (€ 525,00 announced, € 262,50 for each), both
    # unpaid when its term expired, and the second paid in full after the costs
    world, letter = second_notice_about_one_of_two(language)
    # When the second notice goes out about the first alone, with its € 262,50
    assert world.invoice().reminder.covered("inv-1").costs_cents == 262_50
    # Then every part calls them the announced costs: they are what the reminder announced
    # for it, not costs over a lower amount open at the term (legal-nl.md §2-§3, R20)
    for part, text in letter.items():
        assert " ".join(format_euros(262_50, language.value).split()) in text, (part, text)
        assert ANNOUNCED[language.value] in text, (part, text)
        assert AT_TERM[language.value] not in text, (part, text)
