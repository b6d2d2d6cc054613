"""One staffel for a 14-day letter's costs: the one in force when its term expires
(legal-nl.md §3: "at the moment the reminder term expires"), for the costs the letter
announces (§2), those charged the day after the term and their cap ("never more than the
letter announced"). The staffels here are fictional and test-only: the real table holds
one, so a second is injected into it."""

from __future__ import annotations

import importlib
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from billing_core.dunning.letters import REMINDER, SECOND_NOTICE, about_these_only
from billing_core.legal import BIK_2012, Band, Staffel, costs_at_term_end
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import DunningWorld, one_invoice

REMINDER_DAY = date(2026, 12, 31)  # e-mail: received that day, final date Thu 14 Jan 2027
FINAL_DATE = date(2027, 1, 14)
PRINCIPAL = 300_000  # €3,000.00: €425.00 by the 2012 staffel (§3 check)

# ``billing_core.legal.collection_costs`` is also the name of a function in the package.
table = importlib.import_module("billing_core.legal.collection_costs")


def flat_staffel(valid_from: date, rate: str) -> Staffel:
    """A fictional staffel: one rate over the whole principal, the 2012 minimum and cap."""
    return Staffel(
        valid_from=valid_from,
        source="fictional, test only",
        bands=(Band(None, Decimal(rate)),),
        minimum_cents=BIK_2012.minimum_cents,
        maximum_cents=BIK_2012.maximum_cents,
    )


@pytest.fixture
def new_staffel_from(monkeypatch):
    """Puts a fictional staffel after the 2012 one in the table, in force from a day."""

    def put(valid_from: date, rate: str) -> None:
        monkeypatch.setattr(table, "STAFFELS", (BIK_2012, flat_staffel(valid_from, rate)))

    return put


def reminded_and_term_expired(*, delivered_days_late: int = 0) -> DunningWorld:
    """One unpaid €3,000.00 invoice, reminded by the run of 31 December (delivered that
    day, or the given number of days later: the letter is dated by its sending), through
    the day after its term."""
    world = DunningWorld([one_invoice(PRINCIPAL)])
    world.run_days(date(2026, 12, 24), REMINDER_DAY - timedelta(days=1))
    world.run(REMINDER_DAY, deliver=delivered_days_late == 0)
    if delivered_days_late:
        world.clock.set(world.clock.now() + timedelta(days=delivered_days_late))
        world.deliver()
    final_date = announced_reminder(world).final_date
    world.run_days(REMINDER_DAY + timedelta(days=1), final_date + timedelta(days=1))
    return world


def announced_reminder(world: DunningWorld):
    reminder = world.invoice().reminder
    assert reminder is not None
    return reminder


def letter_text(world: DunningWorld, kind: str) -> str:
    return next(email.text for _, email, _ in world.outbox.sent if email.kind == kind)


def euros(cents: int) -> str:
    return f"€\u00a0{cents // 100},{cents % 100:02d}"


@pytest.mark.parametrize(
    ("rate", "expected_cents"), [("0.10", 30_000), ("0.20", 60_000)], ids=["lower", "higher"]
)
def test_a_staffel_taking_effect_in_the_term_is_announced_charged_and_capped_at(
    new_staffel_from, rate, expected_cents
):
    """Given a (fictional) staffel in force from 8 January 2027, inside the term of a
    reminder sent on 31 December (final date 14 January), when the term expires unpaid,
    then the letter announces that staffel's costs over €3,000.00, the run charges them
    on 15 January and the second notice asks them: the one staffel in force when the term
    expires (legal-nl.md §3), never the one of the day the run decided on the letter
    (€425.00), and the cap is the same amount (§2)."""
    new_staffel_from(date(2027, 1, 8), rate)

    world = reminded_and_term_expired()

    reminder = announced_reminder(world)
    assert reminder.final_date == FINAL_DATE
    assert reminder.costs_cents == expected_cents
    assert euros(expected_cents) in letter_text(world, REMINDER)
    assert world.costs() == expected_cents
    assert euros(expected_cents) in letter_text(world, SECOND_NOTICE)


def test_a_staffel_taking_effect_the_day_after_the_term_is_not_the_letters(new_staffel_from):
    """Given a (fictional) lower staffel in force from 15 January 2027, the day after the
    term of a reminder with final date 14 January, when the term expires unpaid, then the
    letter announces and the run charges the 2012 staffel's €425.00: the term expired at
    the end of 14 January, when the new one was not yet in force (legal-nl.md §3)."""
    new_staffel_from(date(2027, 1, 15), "0.10")

    world = reminded_and_term_expired()

    assert announced_reminder(world).final_date == FINAL_DATE
    assert (announced_reminder(world).costs_cents, world.costs()) == (42_500, 42_500)


def test_a_letter_sent_later_announces_the_staffel_of_the_term_it_states(new_staffel_from):
    """Given a (fictional) lower staffel in force from 16 January 2027, when the reminder
    the run decided on 31 December goes out two days later (a queue that waited), so its
    term now ends on Monday 18 January (2 January + 14 is a Saturday, Atw), then it
    announces the new staffel's €300.00 and the run charges €300.00 on 19 January: the
    staffel of the term the letter states, not of the term the run first computed
    (legal-nl.md §2, §3)."""
    new_staffel_from(date(2027, 1, 16), "0.10")

    world = reminded_and_term_expired(delivered_days_late=2)

    reminder = announced_reminder(world)
    assert (reminder.sent_on, reminder.final_date) == (date(2027, 1, 2), date(2027, 1, 18))
    assert (reminder.costs_cents, world.costs()) == (30_000, 30_000)
    assert euros(30_000) in letter_text(world, REMINDER)


def test_a_letter_left_about_fewer_invoices_announces_the_staffel_of_its_term(new_staffel_from):
    """Given a reminder about €2,000 + €1,000 whose term ends on 14 January 2027 and a
    (fictional) lower staffel in force from 8 January, when the letter is left about the
    €2,000 invoice only (the other under an arrangement that runs), then it announces the
    new staffel over €2,000, €200.00, the amount ``costs_at_term_end`` gives for its
    term (legal-nl.md §2, §3), not the 2012 staffel's €300.00."""
    new_staffel_from(date(2027, 1, 8), "0.10")
    world = DunningWorld([one_invoice(200_000, number=1), one_invoice(100_000, number=2)])
    world.run_days(date(2026, 12, 24), REMINDER_DAY - timedelta(days=1))
    world.run(REMINDER_DAY, deliver=False)
    reminder = announced_reminder(world)
    assert reminder.final_date == FINAL_DATE and len(reminder.covers) == 2

    narrowed = about_these_only(reminder, [world.invoice("inv-1")])

    assert [covered.invoice_id for covered in narrowed.covers] == ["inv-1"]
    assert narrowed.costs_cents == costs_at_term_end([200_000], FINAL_DATE).total_cents
    assert narrowed.costs_cents == 20_000


def test_the_2012_staffel_alone_gives_the_worked_example_unchanged():
    """Given the real table (the 2012 staffel only), when the €3,000.00 reminder's term
    expires unpaid, then €425.00 is announced and charged (legal-nl.md §3 check)."""
    world = reminded_and_term_expired()

    assert (announced_reminder(world).costs_cents, world.costs()) == (42_500, 42_500)


def test_a_payment_in_the_term_leaves_the_staffel_of_the_term_over_the_rest(new_staffel_from):
    """Given a (fictional) lower staffel in force from 8 January 2027, inside the term, and
    €1,000.00 of the €3,000.00 paid on 12 January (booked in the term, read the next
    morning), when the term expires, then the new staffel over the €2,000.00 left,
    €200.00, is charged: under the €300.00 announced (legal-nl.md §2, §3)."""
    new_staffel_from(date(2027, 1, 8), "0.10")
    world = DunningWorld([one_invoice(PRINCIPAL)])
    world.run_days(date(2026, 12, 24), REMINDER_DAY)
    world.import_transfer(
        100_000, booked_on=date(2027, 1, 12), at=datetime(2027, 1, 13, 5, 0, tzinfo=AMSTERDAM)
    )

    world.run_days(date(2027, 1, 1), FINAL_DATE + timedelta(days=1))

    assert (announced_reminder(world).costs_cents, world.costs()) == (30_000, 20_000)
