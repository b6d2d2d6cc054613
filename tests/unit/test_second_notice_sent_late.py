"""The second notice counts from the day it goes out (R19, R18; audit calendar D3), as a
late reminder does (test_reminder_received.py).

R19: "term expires unpaid → BIK and statutory interest are charged and a second notice
(sommatie) is sent; 14 days later the claim is handed to the collection agency".
R18: "The run takes an as_of date ... so a test or an operator can replay any day."
A €1,000 invoice, reminded by e-mail on 31 December 2026; the term ends 14 January.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from billing_core.dunning.letters import SECOND_NOTICE
from billing_core.dunning.run import DunningContext, run_dunning
from billing_core.shared.clock import AMSTERDAM
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.test_dunning_delivery import page_text

COSTS_DAY = date(2027, 1, 15)  # the day after the reminder's final date


def _reminded(*principals: int) -> DunningWorld:
    invoices = [one_invoice(cents, number=n) for n, cents in enumerate(principals, start=1)]
    world = DunningWorld(invoices)
    world.run_days(date(2026, 12, 24), date(2027, 1, 14))
    return world


def _replayed_on_25_january(world: DunningWorld) -> None:
    """The runs of 15..24 January were missed; at 09:00 on the 25th an operator replays
    each of those days in order, each run's letters delivered right away."""
    world.clock.set(datetime(2027, 1, 25, 9, 0, tzinfo=AMSTERDAM))
    for n in range(10):
        run_dunning(
            DunningContext(world.store, world.files, world.queue, world.clock),
            COSTS_DAY + timedelta(days=n),
        )
        world.deliver()
    world.run_days(date(2027, 1, 26), date(2027, 2, 28))


def _run_back_on_25_january(world: DunningWorld) -> None:
    world.run_days(date(2027, 1, 25), date(2027, 2, 28))


def _queue_waited_three_days(world: DunningWorld) -> None:
    """The run of the 15th decides on the letter; the queue hands it over on the 18th."""
    for day in (COSTS_DAY, date(2027, 1, 16), date(2027, 1, 17)):
        world.run(day, deliver=False)  # the letter waits in the queue
    world.clock.set(datetime(2027, 1, 18, 10, 0, tzinfo=AMSTERDAM))
    world.deliver()
    world.run_days(date(2027, 1, 18), date(2027, 2, 28))


def _every_day(world: DunningWorld) -> None:
    world.run_days(COSTS_DAY, date(2027, 2, 28))


@pytest.mark.parametrize(
    ("days", "sent_on"),
    [
        (_every_day, COSTS_DAY),
        (_run_back_on_25_january, date(2027, 1, 25)),
        (_replayed_on_25_january, date(2027, 1, 25)),
        (_queue_waited_three_days, date(2027, 1, 18)),
    ],
    ids=["every-day", "run-back-later", "missed-days-replayed", "queue-waited"],
)
def test_the_claim_goes_to_the_agency_14_days_after_the_second_notice_went_out(days, sent_on):
    """R19, R18. Given a reminder whose term ended unpaid on 14 January
    When the second notice goes out on ``sent_on`` (the run of the 15th; runs missed and
    the run back on the 25th; the missed days replayed by an operator on the 25th; the
    queue holding the letter three days)
    Then the costs count from that day and the claim is handed over 14 days after it,
    not a day before; the letter is dated that day, states interest up to the day
    before it, the handover day and the last day to pay before it."""
    world = _reminded(100_000)

    days(world)

    invoice = world.invoice()
    handover = sent_on + timedelta(days=14)
    assert [d for kind, d in world.letters() if kind == SECOND_NOTICE] == [sent_on]
    assert (invoice.costs_charged_on, invoice.handed_over_on) == (sent_on, handover)
    _, email, [attachment] = next(
        sent for sent in world.outbox.sent if sent[1].subject.startswith("Laatste aanmaning")
    )
    text = email.text
    assert f"berekend tot en met {_dutch(sent_on - timedelta(days=1))}" in text
    assert f"uiterlijk op {_dutch(handover - timedelta(days=1))} hebben ontvangen" in text
    assert f"vordering op {_dutch(handover)} over aan een incassobureau" in text
    assert _dutch(sent_on) in page_text(attachment.content)  # the letter's date


def test_a_second_notice_sent_later_asks_what_is_due_on_the_day_it_goes_out():
    """R20, legal-nl.md §4: the costs day moving with the letter moves no amount. Given
    the missed days replayed on 25 January, then the letter asks what the checker says
    is due that day (the BIK of the staffel, interest from the first day of default),
    the same as the run back on the 25th asks."""
    replayed, run_back = _reminded(100_000), _reminded(100_000)

    _replayed_on_25_january(replayed)
    _run_back_on_25_january(run_back)

    assert replayed.costs() == run_back.costs() == 15_000
    letters = [
        next(e.text for _, e, _ in world.outbox.sent if e.subject.startswith("Laatste aanmaning"))
        for world in (replayed, run_back)
    ]
    assert letters[0] == letters[1]
    assert "€\u00a01.153,51" in letters[0]


def test_the_invoices_of_one_second_notice_are_redated_together():
    """R19, legal-nl.md §2. Given one reminder for two invoices whose term ended unpaid
    When the missed days are replayed on 25 January
    Then one second notice covers both, both count from the 25th (the run's day kept as
    ``costs_decided_on``) and both are handed over on 8 February."""
    world = _reminded(50_000, 20_000)

    _replayed_on_25_january(world)

    for invoice_id in ("inv-1", "inv-2"):
        invoice = world.invoice(invoice_id)
        assert (invoice.costs_decided_on, invoice.costs_charged_on, invoice.handed_over_on) == (
            COSTS_DAY,
            date(2027, 1, 25),
            date(2027, 2, 8),
        )
    notices = [e for _, e, _ in world.outbox.sent if e.subject.startswith("Laatste aanmaning")]
    assert len(notices) == 1
    assert world.invoice("inv-1").reference in notices[0].text
    assert world.invoice("inv-2").reference in notices[0].text


def test_a_second_notice_sent_the_day_the_run_decided_keeps_its_dates():
    """The usual case: sent the same morning, nothing is redated."""
    world = _reminded(100_000)

    world.run(COSTS_DAY)

    invoice = world.invoice()
    assert (invoice.costs_charged_on, invoice.costs_decided_on) == (COSTS_DAY, None)


_MONTHS = ("januari", "februari", "maart")


def _dutch(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
