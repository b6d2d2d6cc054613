"""A dunning letter the run queued reads the claim as it is when it goes out (audit race3):
the practice's hold (R16: "dunning paused") or the patient's deferral (R14) placed after
the 06:00 run decided on the letter and before the delivery sends it stops that letter.

legal-nl.md §2: costs follow only a reminder the patient received; a reminder not sent is
set aside as one that never arrived, and the run decides a new one when dunning goes on.
R19: the second notice states the handover 14 days after it; under a hold it waits.
"""

from __future__ import annotations

from datetime import date, datetime

from billing_core.changes.arrangement import create_arrangement
from billing_core.changes.deferral import grant_deferral
from billing_core.changes.hold import put_on_hold
from billing_core.dunning.interest import first_day_of_default
from billing_core.dunning.letters import SECOND_NOTICE
from billing_core.invoices.invoice import ArrangementStatus
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import DunningWorld, one_invoice

DECIDED = date(2026, 12, 31)  # the run decides on the reminder (in default since 24 Dec)
HOLD_UNTIL = date(2027, 1, 30)


def _at_seven(world: DunningWorld, day: date) -> None:
    world.clock.set(datetime(day.year, day.month, day.day, 7, 0, tzinfo=AMSTERDAM))


def _hold(world: DunningWorld, day: date, until: date, invoice_id: str = "inv-1") -> None:
    held = put_on_hold(world.invoice(invoice_id), until, "bezwaar", day, by="user-1")
    world.store.save_invoice(held)


def test_a_hold_placed_after_the_run_queued_the_reminder_stops_it():
    """R16, legal-nl.md §2. Given the 06:00 run of 31 December queued the reminder, when
    the practice puts the claim on hold until 30 January at 07:00, before the delivery
    sends it, then no reminder goes out, it is set aside as never sent, no costs follow
    during or after the hold on it, and the run sends a new reminder on 31 January, the
    costs only after that one's term (16 February)."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED, deliver=False)
    _at_seven(world, DECIDED)
    _hold(world, DECIDED, HOLD_UNTIL)

    world.deliver()

    invoice = world.invoice()
    assert world.outbox.sent == [] and world.letters() == []
    assert invoice.letters_due == () and invoice.reminder.undelivered
    world.run_days(date(2027, 1, 1), date(2027, 1, 31))
    assert world.costs() == 0
    assert world.letters() == [("dunning_reminder", date(2027, 1, 31))]
    # 14 February 2027 is a Sunday: the term ends on Monday the 15th (Atw, §2)
    assert world.invoice().reminder.final_date == date(2027, 2, 15)
    world.run_days(date(2027, 2, 1), date(2027, 2, 15))
    assert world.costs() == 0
    world.run(date(2027, 2, 16))
    assert world.costs() == 7_500
    assert world.letters()[-1] == (SECOND_NOTICE, date(2027, 2, 16))


def test_a_deferral_granted_after_the_run_queued_the_reminder_stops_it():
    """R14, legal-nl.md §2. Given the run of 31 December queued the reminder (final date
    14 January), when the patient is granted a deferral to 22 January at 07:00, before
    the delivery sends it, then no letter asks them to pay by 14 January: none goes out,
    it counts as never sent, and the new reminder comes after the new default."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED, deliver=False)
    _at_seven(world, DECIDED)
    deferred = grant_deferral(world.invoice(), world.provider, world.clock.now())
    world.store.save_invoice(deferred)

    world.deliver()

    assert world.outbox.sent == [] and world.letters() == []
    assert world.invoice().reminder.undelivered
    world.run_days(date(2027, 1, 1), date(2027, 1, 30))
    assert world.letters() == [("dunning_reminder", date(2027, 1, 30))]
    assert world.costs() == 0


def test_a_hold_on_one_invoice_of_a_combined_reminder_leaves_it_out_of_the_letter():
    """R16, legal-nl.md §2-§3. Given one reminder the run queued for two invoices of one
    patient (€500 + €200: BIK €105 announced), when the practice puts the second on hold
    before it goes out, then the letter asks for the first only, announcing the staffel
    over its €500 (€75), and the held one keeps no reminder that counts as sent."""
    world = DunningWorld([one_invoice(50_000), one_invoice(20_000, number=2)])
    world.run(DECIDED, deliver=False)
    _at_seven(world, DECIDED)
    _hold(world, DECIDED, HOLD_UNTIL, "inv-2")

    world.deliver()

    assert len(world.outbox.sent) == 1
    first, held = world.invoice(), world.invoice("inv-2")
    assert [c.invoice_id for c in first.reminder.covers] == ["inv-1"]
    assert first.reminder.costs_cents == 7_500 and not first.reminder.undelivered
    assert world.letters("inv-2") == [] and held.reminder.undelivered


def _held_after_the_second_notice_was_queued() -> DunningWorld:
    """Given the run of 15 January charged the costs and queued the second notice, and the
    practice put the claim on hold until 14 February at 07:00, before the delivery sent it."""
    world = DunningWorld([one_invoice(50_000)])
    world.run_days(DECIDED, date(2027, 1, 14))
    world.run(date(2027, 1, 15), deliver=False)
    _at_seven(world, date(2027, 1, 15))
    _hold(world, date(2027, 1, 15), date(2027, 2, 14))
    return world


def test_a_hold_placed_after_the_run_queued_the_second_notice_makes_it_wait():
    """R16, R19. Given the run of 15 January charged the costs and queued the second
    notice, when the practice puts the claim on hold until 14 February at 07:00, before
    the delivery sends it, then no second notice goes out during the hold (it would name
    a handover on 29 January); it goes on 15 February, dated that day, and the claim is
    handed over 14 days after it, on 1 March."""
    world = _held_after_the_second_notice_was_queued()

    world.deliver()

    assert [kind for kind, _ in world.letters()] == ["dunning_reminder"]
    assert [p.kind for p in world.invoice().letters_due] == [SECOND_NOTICE]
    world.run_days(date(2027, 1, 16), date(2027, 2, 14))
    assert [kind for kind, _ in world.letters()] == ["dunning_reminder"]
    world.run(date(2027, 2, 15))
    assert world.letters()[-1] == (SECOND_NOTICE, date(2027, 2, 15))
    world.run_days(date(2027, 2, 16), date(2027, 2, 28))
    assert world.invoice().handed_over_on is None
    world.run(date(2027, 3, 1))
    assert world.invoice().handed_over_on == date(2027, 3, 1)


def _queued_on(world: DunningWorld, day: date) -> list[tuple[str, str]]:
    """The letters the run of ``day`` queues (not delivered: as the queue holds them)."""
    world.run(day, deliver=False)
    return [(r.kind, r.invoice_id) for r in world.queue.requests]


def test_a_second_notice_on_hold_is_not_queued_daily_and_is_queued_after_the_hold():
    """R16, R19, R39 (small47b's finding). Given the second notice waits on the claim put
    on hold until 14 February (the delivery holds it), when the run of 16 January looks
    at it, then it queues nothing (no daily refused delivery for up to 60 days); the run
    of 15 February, the hold over, queues it, and it goes out that day."""
    world = _held_after_the_second_notice_was_queued()
    world.deliver()

    assert _queued_on(world, date(2027, 1, 16)) == []
    assert _queued_on(world, date(2027, 2, 15)) == [(SECOND_NOTICE, "inv-1")]
    world.deliver()
    assert world.letters()[-1] == (SECOND_NOTICE, date(2027, 2, 15))


def test_a_second_notice_waits_unqueued_while_another_invoice_of_it_is_on_hold():
    """R16, R19. Given one second notice of two invoices of one patient whose second one
    is put on hold before it goes out (the delivery holds the letter on its lead), when the
    next day's run looks at the lead, then it does not queue the notice again."""
    world = DunningWorld([one_invoice(50_000), one_invoice(20_000, number=2)])
    world.run_days(DECIDED, date(2027, 1, 14))
    world.run(date(2027, 1, 15), deliver=False)
    assert [(r.kind, r.invoice_id) for r in world.queue.requests] == [(SECOND_NOTICE, "inv-1")]
    _at_seven(world, date(2027, 1, 15))
    _hold(world, date(2027, 1, 15), date(2027, 2, 14), "inv-2")
    world.deliver()
    assert [p.kind for p in world.invoice().letters_due] == [SECOND_NOTICE]

    assert _queued_on(world, date(2027, 1, 16)) == []


def test_a_claim_whose_second_notice_waits_out_a_hold_is_not_read_daily():
    """R16, R18, R19 (audit held2: 30 reads over a 30-day hold, 1 after). Given the second
    notice waits on the claim put on hold until 14 February, when the runs of the hold
    look at the index, then the claim is not among the invoices read (the index places
    the letter on the day after the hold: the delivery holds it until then); renewed to
    end on 20 January instead, the run of 21 January reads it and queues the notice."""
    world = _held_after_the_second_notice_was_queued()
    world.deliver()

    assert world.invoice().dunning_check_day == date(2027, 1, 29)  # the handover's day
    assert world.run(date(2027, 1, 16), deliver=False).read == 0
    world.run(date(2027, 1, 29), deliver=False)  # the handover's day: it waits out the hold
    assert world.invoice().dunning_check_day == date(2027, 2, 15)
    _hold(world, date(2027, 1, 29), date(2027, 1, 30))  # renewed: the hold ends sooner
    assert world.invoice().dunning_check_day == date(2027, 1, 31)
    assert _queued_on(world, date(2027, 1, 31)) == [(SECOND_NOTICE, "inv-1")]


def test_a_held_second_notice_does_not_keep_the_invoices_other_letter_from_being_queued():
    """R16, R19, R18 (held2's hardening, audit loose48). Given the second notice waits on
    the claim put on hold until 14 February, and the claim also waits for another letter
    decided on 16 January (a reminder on paper after a bounced e-mail, say)
    When the run of 16 January looks at it
    Then it queues that other letter, and not the held second notice (before: nothing,
    the other letter waited out the hold too)."""
    from dataclasses import replace

    from billing_core.invoices.invoice import PendingLetter

    world = _held_after_the_second_notice_was_queued()
    world.deliver()
    other = PendingLetter("dunning_reminder", "evt-paper", date(2027, 1, 16))
    invoice = world.invoice()
    world.store.save_invoice(replace(invoice, letters_due=(*invoice.letters_due, other)))

    assert _queued_on(world, date(2027, 1, 16)) == [("dunning_reminder", "inv-1")]


def test_r15_r16_an_arrangement_asked_in_a_hold_after_the_reminders_term_leaves_the_default():
    """legal-nl.md §2, §4, R15, R16 (audit plans3). Given the reminder of 31 December
    (term to 14 January) expired unpaid while the practice held the claim (10 January to
    28 February), and the patient arranged 3 terms on 20 January, after the term: that
    arrangement did not move the default (only one granted in the term does, §2), so when
    its first term (28 February, the hold's last day: never inside the hold, plans57) is
    missed and the run charges the costs on that reminder when it cancels the arrangement
    (15 March), then the interest runs from the first day of default, 24 December, as for
    an arrangement made after the costs; not from the day after the missed term, as if a
    new reminder had come (none did: the old letter's costs were charged)."""
    world = DunningWorld([one_invoice(100_000)])
    world.run(DECIDED)
    _hold(world, date(2027, 1, 10), date(2027, 2, 28))
    asked = datetime(2027, 1, 20, 12, 0, tzinfo=AMSTERDAM)
    world.store.save_invoice(create_arrangement(world.invoice(), world.provider, 3, asked))
    assert world.invoice().arrangement.terms[0].due_date == date(2027, 2, 28)
    world.run(date(2027, 3, 14))
    assert world.invoice().arrangement.status is ArrangementStatus.ACTIVE
    world.run(date(2027, 3, 15))
    invoice = world.invoice()
    assert invoice.arrangement.status is ArrangementStatus.CANCELLED
    assert invoice.costs_charged_on == date(2027, 3, 15)
    assert world.letters() == [("dunning_reminder", DECIDED), ("second_notice", date(2027, 3, 15))]
    assert world.costs() == 15_000 + 1_000  # the BIK on the old letter, and the fee
    assert first_day_of_default(invoice) == date(2026, 12, 24)
    # 24 Dec 2026 - 14 Mar 2027: 8 + 73 days at 4 % on € 1.000,00 = € 0,88 + € 8,00
    assert world.money(date(2027, 3, 15)).interest == 888
