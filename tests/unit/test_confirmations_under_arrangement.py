"""The confirmations a patient under a running arrangement gets (R15, R36): each names the
next term and its date, and what a retour raised as the one more term it is, never
"everything by the next term's date" (audit MONEY2's rest term, changes/arrangement.py).

One invoice through the real use cases: € 57,59 asked, two terms agreed on 25 November
(€ 33,79 by 23 December, € 33,80 by 23 January, the € 10,00 fee in them), then on
1 December the insurer's retour refuses the line the invoice deducted € 18,88 for. The
terms stay as agreed; the € 18,88 is the rest term after them, due 14 days after the last
term (6 February), and not before the raise's own final payment date (31 December)."""

from __future__ import annotations

from datetime import date

from billing_core.changes.arrangement import create_arrangement, rest_after_terms
from tests.unit.test_retour_raise import DEDUCTED, a_world, at, the_insurer_refuses_the_line

RAISED_ON = date(2026, 12, 1)
FIRST_TERM = (date(2026, 12, 23), 3_379)
REST_TERM = (date(2027, 2, 6), DEDUCTED)  # 23 January + 14 days


def raised_under_an_arrangement():
    """The world after the retour raised the invoice during its arrangement."""
    world = a_world()
    arranged = create_arrangement(world.invoice(), world.provider, 2, at(date(2026, 11, 25)))
    world.store.put_invoice_as_is(arranged)
    the_insurer_refuses_the_line(world, RAISED_ON)
    return world


def test_the_rest_a_retour_raised_is_one_more_term_after_the_agreed_ones():
    """R15, legal-nl.md §7: while the terms are open, the rest is what they will leave open,
    due 14 days after the last one (not before the raise's own final date, 31 December)."""
    invoice = raised_under_an_arrangement().invoice()
    assert invoice.current_final_payment_date == date(2026, 12, 31)
    rest = rest_after_terms(invoice, RAISED_ON)
    assert rest is not None and (rest.due_date, rest.amount_cents) == REST_TERM


def test_the_rest_stays_due_on_the_date_told_when_the_terms_are_paid_early():
    """R15: the letter told 6 February (14 days after the last term); paying both terms
    early on 2 December must not make the rest due earlier (2 December + 14 days, or the
    raise's own final date 31 December) and cancel the arrangement before 6 February."""
    world = raised_under_an_arrangement()
    world.import_transfer(3_379 + 3_380, booked_on=date(2026, 12, 2), at=at(date(2026, 12, 2)))
    rest = rest_after_terms(world.invoice(), date(2026, 12, 2))
    assert rest is not None and (rest.due_date, rest.amount_cents) == REST_TERM
