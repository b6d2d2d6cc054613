"""A second notice whose collection costs are € 0,00 does not say costs are owed (audit
legal2, "Noticed, not counted").

legal-nl.md §2-§3: the BIK is over "the principal still open when its term expires". A
payment in full in the reminder's term that is returned after the term leaves the BIK at
€ 0,00 (whether it should count as never made is the owners' question), yet the run
still sends the second notice (R19, R20) for the principal and the interest. That letter
said "Daarom bent u nu ook de aangekondigde buitengerechtelijke incassokosten ...
verschuldigd" beside "Incassokosten: € 0,00". With no costs it names only the interest,
and neither the e-mail nor its PDF has a costs column; with costs both still do. With no
interest either (a € 1,00 invoice, whose few days of interest round to € 0,00) it says
neither is owed, only that an amount is still open (stop 39's "found and not fixed").
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time

import pytest

from billing_core.declarations.claims import Language
from billing_core.dunning.letters import SECOND_NOTICE
from billing_core.entrypoints.web.checker_page import render_checker
from billing_core.invoices.ledger import EntryKind
from billing_core.payments.booking import book_reversal
from billing_core.services.patient import PatientContext, payment_status
from billing_core.shared.clock import AMSTERDAM
from billing_core.texts.letters import texts_for
from billing_core.texts.letters.dunning import interest_note_key
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import make_person
from tests.unit.test_invoice_pdf import shown_lines

PRINCIPAL = 100_000
REMINDER_DAY = date(2026, 12, 31)  # the invoice's final payment date was 23 December
PAID_ON = date(2027, 1, 10)  # in the reminder's term (it ends on 14 January)
RETURNED_ON = date(2027, 1, 20)  # after the term: the runs since had nothing to charge on
NOTICE_DAY = date(2027, 1, 21)  # the next run charges the BIK over the principal at the term


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def noticed(
    language: Language, *, returned_payment: bool, principal: int = PRINCIPAL
) -> DunningWorld:
    """A € 1.000,00 invoice (or ``principal``) to a patient reading ``language``, reminded,
    and the runs up to its second notice: paid in full in the term and returned after it,
    or not paid."""
    world = DunningWorld([one_invoice(principal, patient=make_person(language=language))])
    world.run_days(date(2026, 12, 24), PAID_ON - date.resolution)
    assert world.letters() == [("dunning_reminder", REMINDER_DAY)]
    if returned_payment:
        world.import_transfer(principal, booked_on=PAID_ON, at=at(PAID_ON))
        world.run_days(PAID_ON, RETURNED_ON - date.resolution)
        (paid,) = (e for e in world.invoice().ledger if e.kind is EntryKind.PAYMENT)
        world.clock.set(at(RETURNED_ON, 10))
        book_reversal(
            world.store,
            world.invoice().reference,
            original_source_id=paid.cause.removeprefix("bank:"),
            reversal_id="RET-1",
            amount_cents=principal,
            clock=world.clock,
            at=at(RETURNED_ON, 0),
        )
    world.run_days(RETURNED_ON + date.resolution if returned_payment else PAID_ON, NOTICE_DAY)
    assert world.costs() == (0 if returned_payment else principal * 15 // 100)  # 15% (§3)
    return world


def second_notice(
    language: Language, *, returned_payment: bool, principal: int = PRINCIPAL
) -> dict[str, str]:
    """The second notice the run e-mails, as read: the text part, the HTML part as shown
    and the attached PDF, whitespace collapsed."""
    world = noticed(language, returned_payment=returned_payment, principal=principal)
    ((_, email, (pdf,)),) = [sent for sent in world.outbox.sent if sent[1].kind == SECOND_NOTICE]
    return {
        "text": _collapsed(email.text),
        "html": _collapsed(html.unescape(re.sub(r"<[^>]+>", " ", email.html))),
        "pdf": _collapsed(" ".join(shown_lines(pdf.content))),
    }


def _collapsed(text: str) -> str:
    return " ".join(text.split())


# The articles of the BIK and of the statutory interest, cited in every language.
COSTS_ARTICLE, INTEREST_ARTICLE = "6:96", "6:119"


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("part", ["text", "html", "pdf"])
def test_a_second_notice_without_costs_does_not_say_costs_are_owed(language, part):
    """Given a payment in full in the reminder's term returned after it (BIK € 0,00,
    legal-nl.md §2-§3), when the run sends the second notice (R19, R20), then neither its
    e-mail nor its PDF names the collection costs (no art. 6:96 BW, no costs column) and
    it still says the statutory interest (art. 6:119 BW) is owed."""
    t = texts_for(language.value, ("email.second_notice",))
    letter = second_notice(language, returned_payment=True)[part]

    assert t("col_costs") not in letter, letter
    assert COSTS_ARTICLE not in letter, letter
    assert t("col_interest") in letter and INTEREST_ARTICLE in letter, letter


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("part", ["text", "html", "pdf"])
def test_a_second_notice_without_costs_or_interest_says_neither_is_owed(language, part):
    """Given a € 1,00 invoice paid in full in the reminder's term and returned after it: no
    BIK (legal-nl.md §2-§3), and its few days of statutory interest round to € 0,00 (R20),
    when the run sends the second notice (R19), then neither its e-mail nor its PDF says
    costs or interest are owed (neither article cited), only that an amount is still open;
    nor does it show a column (or line) of either at € 0,00: it says no interest is open up
    to the day before the letter and that it runs on over the open principal (legal-nl.md
    §4: it accrues until the payment is received), not that "it" (an interest of € 0,00
    computed up to that day) keeps running (known stop 40, Letters)."""
    t = texts_for(language.value, ("email.second_notice", "common"))
    letter = second_notice(language, returned_payment=True, principal=1_00)[part]

    assert COSTS_ARTICLE not in letter and INTEREST_ARTICLE not in letter, letter
    assert t("col_costs") not in letter and t("col_interest") not in letter, letter
    now_due_open = t("now_due_open")
    if part == "pdf" and language is Language.AR:  # read in visual order: its closing colon,
        now_due_open = now_due_open.removesuffix(":")  # the line's leftmost, is read first
    assert now_due_open in letter, letter
    assert _collapsed(t.euros(0)) not in letter, letter
    none_open = _collapsed(t("interest_note_none", date=t.long_date(NOTICE_DAY - date.resolution)))
    if part == "pdf" and language is Language.AR:  # its lines are read in visual order
        none_open = _before_date(t.entries["interest_note_none"])
    assert none_open in letter, letter
    assert _before_date(t.entries["interest_note"]) not in letter, letter


def _before_date(sentence: str) -> str:
    """A sentence's words before its {date}: read as one in every part and language."""
    return _collapsed(sentence.split("{date}")[0])


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("part", ["text", "html", "pdf"])
def test_a_second_notice_with_costs_still_says_they_are_owed(language, part):
    """Given nothing paid in the reminder's term (BIK € 150,00 charged), when the run
    sends the second notice, then it still names the collection costs owed (art. 6:96
    BW) with their column, and the interest."""
    t = texts_for(language.value, ("email.second_notice",))
    letter = second_notice(language, returned_payment=False)[part]

    assert t("col_costs") in letter, letter
    assert t("col_interest") in letter, letter
    assert COSTS_ARTICLE in letter and INTEREST_ARTICLE in letter, letter


@pytest.mark.parametrize("language", list(Language))
def test_the_checker_lists_no_costs_for_that_invoice(language):
    """Given the same invoice on the notice's day, when the patient looks it up, then the
    checker's breakdown (R10, R20) lists the principal and the interest and no collection
    costs, as the letter; with the BIK charged it lists them."""
    for returned_payment, costs_listed in ((True, False), (False, True)):
        world = noticed(language, returned_payment=returned_payment)
        view = payment_status(
            world.invoice().reference, PatientContext(world.store, world.queue, world.clock)
        )
        page = html.unescape(render_checker(language.value, view))
        assert view.breakdown is not None
        assert (view.breakdown.costs_cents > 0) is costs_listed
        assert ('id="bd-costs"' in page) is costs_listed
        assert 'id="bd-interest"' in page


@pytest.mark.parametrize(
    ("principal", "interest", "note"),
    [
        (100_000, 186, "interest_note"),  # as calculated, and running on
        (1_00, 0, "interest_note_none"),  # none open yet, still running (legal-nl.md §4)
        (0, 0, None),  # only an arrangement fee open (R15): nothing runs, nothing said
    ],
)
def test_the_interest_note_says_only_what_runs(principal, interest, note):
    """Given a second notice's principal and interest open (R20), when its sentence under
    the amounts is chosen, then it says the interest runs on only while a principal is
    open (legal-nl.md §4) and names an amount only when there is one."""
    assert interest_note_key(principal, interest) == note
