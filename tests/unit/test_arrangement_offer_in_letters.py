"""The dunning letters invite the patient to make an instalment arrangement in the checker
only when the checker would grant one (R15, R36; audit ARRANGEMENTS4).

R15: one arrangement per invoice (a cancelled one is not replaced), each term at least the
provider's minimum. The letters used to print the invitation always: after a cancelled
arrangement the patient followed it to a checker that answers 409 ``arrangement_exists``,
and a € 20,00 invoice got it while the checker answers 422 ``amount_too_small``. Where the
checker refuses, the letter sends the patient to the practice instead, in the e-mail's
text and HTML and on the paper letter, in every language.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.texts.letters import CATALOGUE
from tests.unit.test_arrangement_fee_in_letters import (
    FINAL_DATE,
    cancelled_arrangement,
    sent,
)
from tests.unit.test_dunning_letters import (
    PARTS,
    charged,
    notice_of,
    reminded,
    reminder_of,
    rendered,
)
from tests.unit.test_invoice_pdf import shown_lines

LANGUAGES = ("nl", "en", "pl", "ar")


def _up_to_its_first_value(key: str) -> dict[str, str]:
    """Per language, the reminder's sentence ``key`` up to its first placeholder."""
    return {
        language: CATALOGUE[language]["email.dunning_reminder"][key].split("{")[0]
        for language in LANGUAGES
    }


INVITATION = _up_to_its_first_value("arrangement")  # ... the checker at {checker_url}
VIA_PRACTICE = _up_to_its_first_value("arrangement_via_practice")  # ... contact the practice
TOO_SMALL = 2_000  # € 20,00 + the € 10,00 fee: not two terms of the € 25,00 minimum
ENOUGH = 30_000


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def test_the_reminder_after_a_cancelled_arrangement_does_not_invite_another():
    """R15. Given an invoice whose arrangement was cancelled (a term missed by more than
    14 days). When the run sends its reminder on 7 January 2027. Then neither the e-mail
    (text, HTML) nor the attached letter invites an arrangement in the checker (which
    would answer 409 arrangement_exists); they say to contact the practice by the
    reminder's final date."""
    world = cancelled_arrangement()

    (email,) = sent(world, REMINDER)

    (_, _, attachments) = next(s for s in world.outbox.sent if s[1] is email)
    pdf = _collapsed(" ".join(shown_lines(attachments[0].content)))
    for part in (_collapsed(email.text), _collapsed(email.html), pdf):
        assert INVITATION["nl"] not in part, part
        assert (
            "Neem dan uiterlijk op 21 januari 2027 contact op met Tandartspraktijk De Vries."
            in part
        ), part


def test_the_second_notice_after_a_cancelled_arrangement_does_not_invite_another():
    """R15. Given the same invoice unpaid after the reminder's term. When the run sends
    the second notice. Then it does not invite an arrangement either."""
    world = cancelled_arrangement()
    world.run(FINAL_DATE + timedelta(days=1))

    (email,) = sent(world, SECOND_NOTICE)

    (_, _, attachments) = next(s for s in world.outbox.sent if s[1] is email)
    pdf = _collapsed(" ".join(shown_lines(attachments[0].content)))
    for part in (_collapsed(email.text), _collapsed(email.html), pdf):
        assert INVITATION["nl"] not in part, part
        assert VIA_PRACTICE["nl"] in part, part


def _assert_invited(letter, language, invited):
    parts = PARTS if language != "ar" else ("text", "html")  # Arabic PDF: shaped, reversed
    for part in parts:
        assert (INVITATION[language] in letter[part]) is invited, (part, letter[part])
        assert (VIA_PRACTICE[language] in letter[part]) is not invited, (part, letter[part])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "principals, invited",
    [
        ((ENOUGH,), True),  # the checker grants one: the invitation stays
        ((TOO_SMALL,), False),  # 422 amount_too_small
        # one of the letter's invoices refused: it names no kenmerk, so none is offered
        ((ENOUGH, TOO_SMALL), False),
    ],
)
def test_the_reminder_invites_an_arrangement_only_when_the_checker_would_grant_one(
    language, principals, invited
):
    """R15, R36. Given a reminder about an invoice too small to split in two terms of the
    € 25,00 minimum (or about one such and one that could be split). When it is rendered.
    Then no form of it invites an arrangement in the checker, and it says to contact the
    practice; a reminder about an invoice that can be split keeps the invitation."""
    context = reminder_of(reminded(*principals))

    letter = rendered(REMINDER, context, language)

    assert context["can_arrange"] is invited
    _assert_invited(letter, language, invited)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("cancelled", [False, True])
def test_the_second_notice_invites_an_arrangement_only_when_the_checker_would_grant_one(
    language, cancelled
):
    """R15. Given a second notice (its BIK makes any claim large enough to split) about an
    invoice with or without a cancelled arrangement. When it is rendered. Then it invites
    an arrangement only when none was made before."""
    if cancelled:
        world = cancelled_arrangement()
        world.run(FINAL_DATE + timedelta(days=1))
        context = notice_of([world.invoice()], FINAL_DATE + timedelta(days=1))
    else:
        context = notice_of(charged(ENOUGH))

    letter = rendered(SECOND_NOTICE, context, language)

    assert context["can_arrange"] is not cancelled
    _assert_invited(letter, language, not cancelled)
