"""The steps of the dunning timeline on invoices (R19, R20, R27; legal-nl.md §2, §3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.dunning.policy import DunningPolicy
from billing_core.dunning.steps import (
    charge_costs,
    hand_over,
    handover_written,
    send_reminder,
)
from billing_core.invoices.invoice import Channel, DunningStage, InvoiceStatus, PendingLetter
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry, balance
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import make_invoice, make_line, make_person

POLICY = DunningPolicy()
FRIDAY = date(2027, 1, 8)
NOW = datetime(2027, 1, 26, 6, 0, tzinfo=AMSTERDAM)


def two_open_invoices(**changes):
    """€ 100,00 and € 200,00 still to pay, one addressee."""
    first = make_invoice(
        invoice_id="inv-1",
        reference="10000000000001",
        lines=(make_line(unit_price_cents=10_000),),
        status=InvoiceStatus.SENT,
        **changes,
    )
    second = replace(
        first,
        invoice_id="inv-2",
        reference="10000000000002",
        lines=(make_line(claim_ref="L-2", unit_price_cents=20_000),),
        ledger=(replace(first.ledger[0], amount_cents=20_000),),
    )
    return [first, second]


def test_one_reminder_for_two_invoices_states_the_staffel_over_their_sum():
    """Given two open invoices of one patient, when the reminder goes out by e-mail, then
    one letter covers both, received the same day, with the final date 14 days later and
    the BIK of the staffel over € 300,00 (15% = € 45,00), split € 15,00 / € 30,00
    (legal-nl.md §2, §3)."""
    reminded = send_reminder(two_open_invoices(), POLICY, FRIDAY)
    reminder = reminded[0].reminder
    assert reminder is not None and all(i.reminder == reminder for i in reminded)
    assert (reminder.received_on, reminder.final_date) == (FRIDAY, date(2027, 1, 22))
    assert reminder.costs_cents == 4500
    assert [c.costs_cents for c in reminder.covers] == [1500, 3000]
    assert [i.dunning_stage for i in reminded] == [DunningStage.REMINDED] * 2
    assert [i.next_check_on for i in reminded] == [date(2027, 1, 23)] * 2
    # the letter is sent once, with the first invoice, and waits there until it is
    assert reminded[0].letters_due == (PendingLetter(REMINDER, reminder.letter_id, FRIDAY),)
    assert reminded[1].letters_due == ()


def test_a_paper_reminder_counts_from_its_presumed_receipt():
    """Given a patient without e-mail, when the reminder is posted on Friday 8 January
    2027, then it counts as received on the second delivery day: Saturday the 9th is the
    first, Sunday and Monday have no delivery, Tuesday the 12th is the second; the final
    date is 14 days later, the 26th (legal-nl.md §2)."""
    paper = [replace(i, channel=Channel.PAPER) for i in two_open_invoices()]
    reminder = send_reminder(paper[:1], POLICY, FRIDAY)[0].reminder
    assert reminder is not None
    assert (reminder.received_on, reminder.final_date) == (date(2027, 1, 12), date(2027, 1, 26))


def test_costs_over_what_is_left_after_a_partial_payment_within_the_term():
    """Given the two-invoice reminder (BIK € 45,00 announced), when € 100,00 of the second
    invoice is paid within the term and the term expires, then the BIK is computed over
    the € 200,00 left: € 40,00 (the minimum), never more than announced, booked as costs
    on each ledger pro rata, and the second notice goes out with the first invoice."""
    first, second = send_reminder(two_open_invoices(), POLICY, FRIDAY)
    payment = IncomingPayment("bank", "e-1", 10_000, datetime(2027, 1, 15, tzinfo=AMSTERDAM))
    second = apply_payment(second, payment)
    charged = charge_costs([first, second], POLICY, date(2027, 1, 23), NOW)
    assert [balance(i.ledger, Component.COSTS) for i in charged] == [2000, 2000]
    assert all(i.ledger[-1].kind is EntryKind.COSTS for i in charged)
    assert [i.costs_charged_on for i in charged] == [date(2027, 1, 23)] * 2
    assert [i.next_check_on for i in charged] == [date(2027, 2, 6)] * 2  # + 14 days
    assert [letter.kind for letter in charged[0].letters_due] == [REMINDER, SECOND_NOTICE]


def test_costs_never_exceed_what_the_letter_announced():
    """Given a reminder that announced € 40,00 on € 100,00, when a reversal of an earlier
    payment raised the principal to € 400,00 before the term expired, then still only the
    announced € 40,00 is charged: a letter that states too little cannot earn more."""
    (invoice,) = send_reminder(two_open_invoices()[:1], POLICY, FRIDAY)
    raised = invoice.with_entry(
        LedgerEntry(EntryKind.REVERSAL, Component.PRINCIPAL, 30_000, NOW, "bank:r-1")
    )
    (charged,) = charge_costs([raised], POLICY, date(2027, 1, 23), NOW)
    assert balance(charged.ledger, Component.COSTS) == 4000


def test_every_step_is_idempotent():
    """Given an invoice past a step, when the same step is applied again (a replayed
    day), then nothing changes: the very same invoice comes back."""
    reminded = send_reminder(two_open_invoices(), POLICY, FRIDAY)
    assert send_reminder(reminded, POLICY, FRIDAY) == reminded
    charged = charge_costs(reminded, POLICY, date(2027, 1, 23), NOW)
    assert charge_costs(charged, POLICY, date(2027, 1, 23), NOW) == charged
    handed = hand_over(charged[0], date(2027, 2, 6))
    assert handed.dunning_stage is DunningStage.WITH_COLLECTION_AGENCY
    # On the run's index until its agency file and block are written (issue 13 item 12),
    # then off it for good.
    assert handed.handover_pending and handed.dunning_check_day == date(2027, 2, 6)
    assert handover_written(handed).dunning_check_day is None
    assert hand_over(handed, date(2027, 2, 7)) is handed


def test_a_debtor_gets_the_letter_not_the_child():
    """Given a child's invoice addressed to a parent, then the reminder goes to the
    parent's channel (here: paper, the parent has no e-mail)."""
    parent = make_person(initials="M.", name_prefix="", last_name="Jansen", email="")
    (invoice,) = two_open_invoices(debtor=parent, channel=Channel.PAPER)[:1]
    (reminded,) = send_reminder([invoice], POLICY, FRIDAY)
    assert reminded.reminder is not None and reminded.reminder.channel is Channel.PAPER
