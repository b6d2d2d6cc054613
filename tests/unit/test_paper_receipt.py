"""Paper receipt counts from the posting date of the print batch (issue 12 item 13;
legal-nl.md §2), through the dunning run and the delivery of its letters."""

from __future__ import annotations

import json
from datetime import date

from billing_core.invoices.ledger import Component, balance
from tests.unit.dunning_world import DunningWorld, paper_invoice
from tests.unit.factories import make_provider

REMINDER_DAY = date(2027, 1, 12)  # a Tuesday; final payment date 4 January


def reminded_on_paper(posting_delay_days: int) -> DunningWorld:
    provider = make_provider(posting_delay_days=posting_delay_days)
    world = DunningWorld([paper_invoice(100_000, final_payment_date=date(2027, 1, 4))], provider)
    world.run_days(date(2027, 1, 5), REMINDER_DAY)
    return world


def test_paper_receipt_counts_from_the_posting_date_of_the_print_batch():
    """Given a practice whose print house posts a batch the day after its date, when the
    reminder goes into the batch of Tuesday 12 January, then the batch records its
    posting on Wednesday the 13th, the letter counts as received on Friday the 15th (the
    second delivery day after posting, not Thursday), its final date is the 29th, and
    the costs come on the 30th."""
    world = reminded_on_paper(posting_delay_days=1)

    record = json.loads(world.files.files["print/2027-01-12/tandarts-de-vries/posting.json"])
    assert (record["batch_date"], record["posted_on"]) == ("2027-01-12", "2027-01-13")
    reminder = world.invoice().reminder
    assert (reminder.received_on, reminder.final_date) == (date(2027, 1, 15), date(2027, 1, 29))
    world.run_days(date(2027, 1, 13), date(2027, 1, 29))
    assert balance(world.invoice().ledger, Component.COSTS) == 0
    world.run(date(2027, 1, 30))
    assert balance(world.invoice().ledger, Component.COSTS) == 15_000


def test_without_a_posting_delay_the_batch_is_posted_the_day_it_is_made():
    """The default: posted the batch's own day, received Thursday the 14th."""
    world = reminded_on_paper(posting_delay_days=0)

    record = json.loads(world.files.files["print/2027-01-12/tandarts-de-vries/posting.json"])
    assert record["posted_on"] == "2027-01-12"
    assert world.invoice().reminder.received_on == date(2027, 1, 14)
