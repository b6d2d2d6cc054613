"""A deferral or an arrangement granted during the reminder's term moves the default: the
old reminder no longer supports costs, a new reminder is needed after the new default
begins (issue 12 item 5; legal-nl.md §2, R14, R15), through the dunning run."""

from __future__ import annotations

from datetime import date, datetime

from billing_core.changes.arrangement import create_arrangement
from billing_core.changes.deferral import grant_deferral
from billing_core.dunning.interest import interest_statement
from billing_core.dunning.letters import REMINDER
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import DunningWorld, one_invoice

IN_THE_TERM = datetime(2027, 1, 5, 11, 0, tzinfo=AMSTERDAM)  # reminder 31 Dec, term to 14 Jan


def reminded_then(change) -> DunningWorld:
    """The €1,000.00 e-mail invoice reminded on 2026-12-31; on 5 January the patient is
    granted ``change(invoice, provider, now)``."""
    world = DunningWorld([one_invoice(100_000)])
    world.run_days(date(2026, 12, 24), date(2027, 1, 5))
    world.store.save_invoice(change(world.invoice(), world.provider, IN_THE_TERM))
    return world


def test_deferral_in_term_needs_a_new_reminder_before_costs():
    """Given a deferral granted on 5 January (final payment date 23 Dec -> 22 Jan), then
    no costs come after the old term nor on the first day of the new default (23 Jan);
    a new reminder goes out 7 days into the new default (30 Jan, term to Saturday 13
    Feb -> Monday 15 Feb), and only its expiry brings the costs (16 Feb)."""
    world = reminded_then(grant_deferral)

    world.run_days(date(2027, 1, 6), date(2027, 2, 15))

    assert world.costs() == 0
    assert world.days_sent(REMINDER) == [date(2026, 12, 31), date(2027, 1, 30)]
    assert world.invoice().reminder.final_date == date(2027, 2, 15)
    world.run(date(2027, 2, 16))
    assert world.costs() == 15_000


def test_arrangement_in_term_then_missed_needs_a_new_reminder_before_costs():
    """Given an arrangement of two terms set up on 5 January (first term 19 January), when
    nothing is paid, then the arrangement is cancelled on 3 February (missed by more than
    14 days) and the run sends a new reminder that day instead of charging costs on the
    old one; the costs come after the new term (17 Feb), on 18 February."""
    world = reminded_then(
        lambda invoice, provider, now: create_arrangement(invoice, provider, 2, now)
    )

    world.run_days(date(2027, 1, 6), date(2027, 2, 17))

    assert world.costs() == world.provider.arrangement_fee_cents  # the fee, no BIK
    assert world.days_sent(REMINDER) == [date(2026, 12, 31), date(2027, 2, 3)]
    world.run(date(2027, 2, 18))
    assert world.costs() == world.provider.arrangement_fee_cents + 15_000


def test_arrangement_in_term_then_missed_counts_interest_from_the_day_after_the_missed_term():
    """legal-nl.md §2, §4, R20 (audit arrangements ARRANGEMENTS3): the arrangement granted
    on 5 January moved the default, as a deferral does. Given its first term (19 January)
    missed, the new reminder (3 February) and the costs (18 February), then statutory
    interest counts from 20 January, the day after the missed term, not from the
    invoice's first day of default (24 December), and the new reminder names that day."""
    world = reminded_then(
        lambda invoice, provider, now: create_arrangement(invoice, provider, 2, now)
    )
    assert world.invoice().arrangement.terms[0].due_date == date(2027, 1, 19)

    world.run_days(date(2027, 1, 6), date(2027, 2, 18))

    statement = interest_statement(world.invoice(), date(2027, 3, 1))
    assert statement.segments[0].first_day == date(2027, 1, 20)
    assert statement.total_cents == 438  # € 1.000,00 x 4% x 40/365
    new_reminder = [email for (_, email, _) in world.outbox.sent if email.kind == REMINDER][-1]
    assert "gerekend vanaf 20 januari 2027: de eerste dag van verzuim" in new_reminder.text


def test_a_deferral_before_the_reminder_leaves_it_standing():
    """Given a deferral granted before any reminder, then the reminder that follows the
    new default supports the costs as usual: one reminder, costs after its term."""
    world = DunningWorld([one_invoice(100_000)])
    world.clock.set(datetime(2026, 12, 20, 10, 0, tzinfo=AMSTERDAM))
    world.store.save_invoice(grant_deferral(world.invoice(), world.provider, world.clock.now()))

    world.run_days(date(2026, 12, 24), date(2027, 2, 16))

    assert world.days_sent(REMINDER) == [date(2027, 1, 30)]  # the new default, 23 Jan, + 7 days
    assert world.costs() == 15_000
