"""The collection costs one 14-day letter supports when it covers several invoices
(issue 12 item 3; legal-nl.md §2, §3), through the dunning run and the bank import."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from billing_core.dunning.letters import SECOND_NOTICE
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import DunningWorld, one_invoice

REMINDER_DAY = date(2026, 12, 31)  # e-mail, term to Thursday 14 January 2027


def two_invoices_of_one_patient() -> DunningWorld:
    """€2,000 + €2,000, one addressee, one final payment date: one letter announcing the
    staffel over €4,000: €525.00."""
    world = DunningWorld([one_invoice(200_000, number=1), one_invoice(200_000, number=2)])
    world.run_days(date(2026, 12, 24), REMINDER_DAY)
    reminder = world.invoice("inv-1").reminder
    assert reminder is not None and reminder.costs_cents == 52_500
    assert len(reminder.covers) == 2
    return world


def test_combined_letter_one_invoice_paid_in_term_charges_the_staffel_over_the_rest():
    """Given one letter for €2,000 + €2,000 (announced €525.00), when invoice A is paid in
    the term and the term expires, then B is charged the staffel over what is left,
    €300.00 (capped at what the letter announced), not its €262.50 share of the letter;
    A is charged nothing, and the second notice asks €300.00 of costs."""
    world = two_invoices_of_one_patient()
    world.import_transfer(
        200_000, booked_on=date(2027, 1, 8), at=datetime(2027, 1, 9, 5, 0, tzinfo=AMSTERDAM)
    )

    world.run_days(date(2027, 1, 1), date(2027, 1, 15))

    assert (world.costs("inv-1"), world.costs("inv-2")) == (0, 30_000)
    (_, notice, _) = next(sent for sent in world.outbox.sent if sent[1].kind == SECOND_NOTICE)
    assert "€\u00a0300,00" in notice.text


def test_costs_of_a_combined_letter_never_exceed_what_it_announced():
    """Given the same letter, when both stay unpaid, then €525.00 is charged in all,
    €262.50 on each."""
    world = two_invoices_of_one_patient()

    world.run_days(date(2027, 1, 1), date(2027, 1, 15))

    assert (world.costs("inv-1"), world.costs("inv-2")) == (26_250, 26_250)


def test_an_invoice_of_the_letter_charged_later_gets_what_is_left_of_the_letter():
    """Given the same letter, when A is on hold by the provider when the term expires
    (R16) and charged after the hold, then B gets €262.50 on time and A €262.50 later:
    the letter's €525.00 in all, never the staffel over each alone (2 x €300.00)."""
    world = two_invoices_of_one_patient()
    world.store.put_invoice_as_is(replace(world.invoice("inv-1"), hold_until=date(2027, 1, 20)))

    world.run_days(date(2027, 1, 1), date(2027, 1, 21))

    assert (world.costs("inv-1"), world.costs("inv-2")) == (26_250, 26_250)
