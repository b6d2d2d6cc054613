"""The 14-day letter counts from the day it reaches the patient (legal-nl.md §2): dated by
the day it actually goes out, whatever the channel (audit delivery D1), and set aside
when it never arrives, a Permanent e-mail bounce (R7, audit delivery D2).

legal-nl.md §2: "Receipt: an e-mail is received on the day it was sent"; the term is "14
days starting the day after the reminder was received"; "Final date on the reminder =
receipt date + 14 days"; "A letter that misses one of these invalidates the BIK".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from billing_core.changes.deferral import grant_deferral
from billing_core.correspondence.bounces import EmailEvent, EmailEventContext, record_email_event
from billing_core.dunning.letter_costs import reminder_superseded
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.entrypoints.ses_events import SesEvent, email_event
from billing_core.invoices.invoice import Channel, DunningStage, Invoice
from billing_core.providers.actions import ActionKind, ActionState
from billing_core.shared.clock import AMSTERDAM
from local.sandbox import EVENTS
from tests.unit.dunning_world import DunningWorld, one_invoice, paper_invoice
from tests.unit.factories import make_address, make_person
from tests.unit.test_dunning_delivery import page_text

DECIDED = date(2026, 12, 31)  # the run decides on the reminder (in default since 24 Dec)
SENT_AT = datetime(2027, 1, 4, 10, 0, tzinfo=AMSTERDAM)  # the queue hands it over (redrive)
ADDRESS = "s.vanderberg@example.nl"


# --- D1: dated by the day it goes out -------------------------------------------------------


@pytest.mark.parametrize(
    "make, received_on, final_date",
    [
        # e-mail: received the day it is sent, Mon 4 Jan; + 14 days = Mon 18 Jan
        (one_invoice, date(2027, 1, 4), date(2027, 1, 18)),
        # paper: batch of Mon 4 Jan, the second delivery day after it is Wed 6 Jan
        (paper_invoice, date(2027, 1, 6), date(2027, 1, 20)),
    ],
    ids=["email", "paper"],
)
def test_a_reminder_that_goes_out_days_after_the_run_is_dated_by_that_day(
    make, received_on, final_date
):
    """legal-nl.md §2. Given a reminder for two invoices that the run decided on 31
    December, when the delivery queue only hands it over on 4 January (an SES outage,
    a redrive), then on both invoices it counts as sent that day, is received by the
    channel's rule and ends 14 days after receipt; the letter is dated the 4th and
    states that final date; no costs before the day after it."""
    world = DunningWorld([make(50_000), make(20_000, number=2)])
    world.run(DECIDED, deliver=False)
    world.clock.set(SENT_AT)

    world.deliver()

    for invoice_id in ("inv-1", "inv-2"):
        reminder = world.invoice(invoice_id).reminder
        assert (reminder.sent_on, reminder.received_on, reminder.final_date) == (
            date(2027, 1, 4),
            received_on,
            final_date,
        )
    pdf = next(iter(world.files.files.values())) if make is paper_invoice else None
    if pdf is None:
        ((_, email, [attachment]),) = world.outbox.sent
        assert f"uiterlijk op {final_date.day} januari 2027" in email.text
        pdf = attachment.content
    text = page_text(pdf)
    assert "4 januari 2027" in text and "31 december 2026" not in text
    assert f"{final_date.day} januari 2027" in text

    world.run(final_date)
    assert world.costs() == world.costs("inv-2") == 0
    world.run(final_date + timedelta(days=1))
    assert world.costs() + world.costs("inv-2") == 10_500  # staffel over €700


def test_a_reminder_sent_the_day_the_run_decided_keeps_its_dates():
    """The usual case: sent the same morning, nothing is redated."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED)

    reminder = world.invoice().reminder
    assert (reminder.sent_on, reminder.received_on, reminder.final_date) == (
        DECIDED,
        DECIDED,
        date(2027, 1, 14),
    )


def test_a_reminder_sent_just_after_midnight_counts_from_the_dutch_day():
    """legal-nl.md §2: "an e-mail is received on the day it was sent", in the Netherlands.
    Given a reminder the run decided on 31 December, when the queue sends it at
    2026-12-31T23:30Z (00:30 on 1 January in Amsterdam; the clock set in UTC, audit
    legal2 LEGAL2-2), then it is sent and received on 1 January and its term ends on
    15 January, as the e-mail prints."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED, deliver=False)
    world.clock.set(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))

    world.deliver()

    reminder = world.invoice().reminder
    assert (reminder.sent_on, reminder.received_on, reminder.final_date) == (
        date(2027, 1, 1),
        date(2027, 1, 1),
        date(2027, 1, 15),
    )
    ((_, email, _),) = world.outbox.sent
    assert "uiterlijk op 15 januari 2027" in email.text


def test_a_deferral_granted_before_a_late_reminder_went_out_still_moves_the_default():
    """legal-nl.md §2, R14. Given the run decided on a reminder on 31 December, when the
    patient is granted a deferral on 2 January, before the queue sends the letter on the
    4th, then that letter supports no costs: its term counts from the run's day, and a new
    reminder comes after the new default. Since audit race3 it does not go out at all:
    it would ask payment by a date the deferral moved (R14); set aside as never sent."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED, deliver=False)
    granted_at = datetime(2027, 1, 2, 12, 0, tzinfo=AMSTERDAM)
    world.store.save_invoice(grant_deferral(world.invoice(), world.provider, granted_at))
    world.clock.set(SENT_AT)

    world.deliver()

    invoice = world.invoice()
    assert world.outbox.sent == [] and invoice.letters_due == ()
    assert invoice.reminder.undelivered and reminder_superseded(invoice)
    world.run_days(date(2027, 1, 19), date(2027, 1, 23))
    assert world.costs() == 0


# --- D2: a reminder that never arrived --------------------------------------------------------


def bounce(
    world: DunningWorld, kind: str, bounce_type: str = "Permanent", message_id: str = ""
) -> bool:
    invoice = world.invoice()
    mail = next((c for c in invoice.correspondence if c.kind == kind), None)
    event = EmailEvent(
        message_id or (mail.message_id if mail else "ses-invoice"),
        "bounce",
        datetime(2026, 12, 31, 6, 10, tzinfo=AMSTERDAM),
        invoice.reference,
        kind,
        bounce_type=bounce_type,
        recipients=(ADDRESS,),
    )
    return record_email_event(event, EmailEventContext(world.store))


def test_a_bounced_reminder_supports_no_costs_and_the_new_one_goes_on_paper():
    """R7, legal-nl.md §2. Given a reminder e-mailed on 31 December, when SES reports a
    Permanent bounce of it, then the practice has its open action, no costs are charged
    on the day after that letter's final date, the next run sends a new reminder on
    paper (its own receipt by the postal days and its own final date), nothing more is
    e-mailed to the dead address, and costs and the second notice follow only that
    letter's term, the second notice on paper too."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED)

    assert bounce(world, REMINDER) is True

    world.run_days(date(2027, 1, 1), date(2027, 1, 15))
    invoice = world.invoice()
    # posted Fri 1 Jan (a holiday): delivered Sat 2, Tue 5 -> received Tue 5, ends Tue 19
    assert (invoice.reminder.channel, invoice.reminder.sent_on) == (Channel.PAPER, date(2027, 1, 1))
    assert (invoice.reminder.received_on, invoice.reminder.final_date) == (
        date(2027, 1, 5),
        date(2027, 1, 19),
    )
    assert world.costs() == 0 and invoice.dunning_stage is DunningStage.REMINDED
    assert [c.channel for c in invoice.correspondence if c.kind == REMINDER] == [
        Channel.EMAIL,
        Channel.PAPER,
    ]
    world.run_days(date(2027, 1, 16), date(2027, 1, 20))
    assert world.costs() == 7_500 and world.invoice().costs_charged_on == date(2027, 1, 20)
    (notice,) = [c for c in world.invoice().correspondence if c.kind == SECOND_NOTICE]
    assert notice.channel is Channel.PAPER
    assert len(world.outbox.sent) == 1  # only the reminder that bounced
    (action,) = world.store.invoice_actions("tandarts-de-vries", "inv-1")
    assert action.state is ActionState.OPEN and action.details["message_kind"] == REMINDER


def test_r7_a_reminder_bounced_transient_then_permanent_is_set_aside_once_and_told_so():
    """R7, R23, legal-nl.md §2 (round 55 bouncefollow55: the Permanent bounce of a mail
    whose Transient bounce made the action added nothing, so the practice's action still
    read "not known to be wrong"). Given a reminder e-mailed on 31 December whose mail SES
    reported as bounced Transient (nothing changes: the address may work), when SES
    reports a Permanent bounce of the same mail, and that again, then the one action of
    the mail says Permanent, open, the second time changes nothing; the reminder is set
    aside once: no costs on its term, one new reminder on paper."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED)
    assert bounce(world, REMINDER, "Transient") is True
    assert world.invoice().reminder.undelivered is False

    assert bounce(world, REMINDER) is True
    assert bounce(world, REMINDER) is False

    (action,) = world.store.invoice_actions("tandarts-de-vries", "inv-1")
    assert action.state is ActionState.OPEN and action.details["bounce_type"] == "Permanent"
    assert world.invoice().reminder.undelivered is True
    world.run_days(date(2027, 1, 1), date(2027, 1, 15))
    reminders = [c.channel for c in world.invoice().correspondence if c.kind == REMINDER]
    assert reminders == [Channel.EMAIL, Channel.PAPER] and world.costs() == 0


def test_r19_a_bounced_second_notice_goes_again_on_paper_and_the_handover_counts_from_it():
    """R7, R19, R23 (round 51 bounce51; legal-nl.md §2 asks a receipt of the 14-day letter
    only, the spec is silent on the second notice: the patient is to have the notice that
    names the handover day).
    Given the costs charged on 15 January and the second notice e-mailed that day
    When SES reports a Permanent bounce of that notice, twice (SES retries)
    Then the costs stand (the reminder arrived), the next run sends the notice once more,
    on paper, and the claim goes to the agency 14 days after that one, not after the
    e-mail (before: no paper notice, handed over on 29 January on a notice never
    received); the practice has one action."""
    world = DunningWorld([one_invoice(50_000)])
    world.run_days(DECIDED, date(2027, 1, 15))

    assert bounce(world, SECOND_NOTICE) is True
    assert bounce(world, SECOND_NOTICE) is False

    world.run_days(date(2027, 1, 16), date(2027, 1, 29))
    invoice = world.invoice()
    notices = [(c.channel, c.at.date()) for c in invoice.correspondence if c.kind == SECOND_NOTICE]
    assert notices == [(Channel.EMAIL, date(2027, 1, 15)), (Channel.PAPER, date(2027, 1, 16))]
    assert world.costs() == 7_500 and invoice.costs_charged_on == date(2027, 1, 16)
    assert invoice.handed_over_on is None
    world.run_days(date(2027, 1, 30), date(2027, 2, 5))
    assert world.invoice().handed_over_on == date(2027, 1, 30)
    assert bounce(world, SECOND_NOTICE) is False
    assert len([c for c in world.invoice().correspondence if c.kind == SECOND_NOTICE]) == 2
    actions = world.store.invoice_actions("tandarts-de-vries", "inv-1")
    (action,) = [a for a in actions if a.kind is ActionKind.BOUNCE]
    assert action.details["message_kind"] == SECOND_NOTICE


def test_r19_without_a_postal_address_a_bounced_second_notice_holds_the_handover():
    """R7, R19, R23 (round 51 bounce51b; correspondence/bounces.py says so).
    Given a patient with only an e-mail address, the costs charged and the second notice
    e-mailed on 15 January
    When SES reports a Permanent bounce of that notice, and the runs go on to 1 March
    Then nothing is sent and the claim is not handed over: the notice waits on the
    invoice for the practice's open action (before: the delivery took it off and the
    claim went to the agency on 29 January, 14 days after a notice never received).
    When the practice then gives a new e-mail address (its action), the next run sends
    the notice there once, and the handover follows 14 days after it."""
    no_address = make_person(address=make_address(street="", house_number=""))
    world = DunningWorld([one_invoice(50_000, patient=no_address)])
    world.run_days(DECIDED, date(2027, 1, 15))
    assert bounce(world, SECOND_NOTICE) is True

    world.run_days(date(2027, 1, 16), date(2027, 2, 28))
    summary = world.run(date(2027, 3, 1), deliver=False)

    invoice = world.invoice()
    assert invoice.handed_over_on is None and world.handover_files() == []
    assert [p.kind for p in invoice.letters_due] == [SECOND_NOTICE]
    assert len([c for c in invoice.correspondence if c.kind == SECOND_NOTICE]) == 1
    # Nowhere to go: not queued day after day for a delivery that can send nothing.
    assert world.queue.kinds == [] and summary.letters == {}
    corrected = replace(invoice, patient=replace(no_address, email="nieuw@example.nl"))
    world.store.put_invoice_as_is(corrected)

    world.run_days(date(2027, 3, 2), date(2027, 3, 16))

    invoice = world.invoice()
    notices = [(c.channel, c.at.date()) for c in invoice.correspondence if c.kind == SECOND_NOTICE]
    assert notices == [(Channel.EMAIL, date(2027, 1, 15)), (Channel.EMAIL, date(2027, 3, 2))]
    assert world.outbox.sent[-1][0] == "nieuw@example.nl"
    assert invoice.costs_charged_on == date(2027, 3, 2) and invoice.handed_over_on == date(
        2027, 3, 16
    )


def test_r19_a_second_notice_with_nowhere_to_go_at_its_delivery_holds_the_handover():
    """R7, R19, R23 (round 51 bounce51b). Given a patient with only an e-mail address,
    whose reminder was e-mailed on 31 December, and a Permanent bounce of the invoice's
    e-mail reported after it (the address is dead, the reminder stands)
    When the costs day's run charges the costs and queues the second notice, and the
    runs go on to 1 March
    Then nothing is sent and the claim is not handed over: the notice waits on the
    invoice for the practice (before: the delivery took it off and the claim went to the
    agency on 29 January without any second notice)."""
    no_address = make_person(address=make_address(street="", house_number=""))
    world = DunningWorld([one_invoice(50_000, patient=no_address)])
    world.run(DECIDED)
    bounce(world, "invoice")
    assert world.invoice().letter_channel is None and not world.invoice().reminder.undelivered

    world.run_days(date(2027, 1, 1), date(2027, 3, 1))

    invoice = world.invoice()
    assert world.costs() == 7_500 and invoice.costs_charged_on == date(2027, 1, 15)
    assert invoice.handed_over_on is None and world.handover_files() == []
    assert [p.kind for p in invoice.letters_due] == [SECOND_NOTICE]
    assert [c.kind for c in invoice.correspondence if c.kind == SECOND_NOTICE] == []


def test_without_a_postal_address_the_bounced_claim_waits_on_the_open_action():
    """R7, R23. Given a patient with only an e-mail address whose reminder bounced
    permanently, then no new letter, no costs and no handover follow: the claim waits
    until the practice has handled the open action (a new address)."""
    no_address = make_person(address=make_address(street="", house_number=""))
    world = DunningWorld([one_invoice(50_000, patient=no_address)])
    world.run(DECIDED)
    bounce(world, REMINDER)

    world.run_days(date(2027, 1, 1), date(2027, 2, 15))

    invoice = world.invoice()
    assert world.costs() == 0 and invoice.handed_over_on is None
    # The e-mail that bounced is kept (legal-nl.md §8, letters/); no letter went to print
    assert len(world.outbox.sent) == 1
    assert [key for key in world.files.files if not key.startswith("letters/")] == []
    assert world.handover_files() == []


def test_a_transient_bounce_only_tells_the_practice():
    """A Transient bounce (a full mailbox) may still arrive: the letter stands."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED)

    assert bounce(world, REMINDER, bounce_type="Transient") is True

    world.run(date(2027, 1, 15))
    assert world.costs() == 7_500


def test_after_the_invoice_email_bounced_the_reminder_goes_on_paper():
    """R7: the bounce of the invoice e-mail is an open action for the practice; the
    reminder that follows goes on paper, by the postal days, not to the dead address."""
    world = DunningWorld([one_invoice(50_000)])
    bounce(world, "invoice")

    world.run(DECIDED)

    invoice = world.invoice()
    assert invoice.reminder.channel is Channel.PAPER and world.outbox.sent == []
    assert invoice.reminder.received_on == date(2027, 1, 5)
    assert len(world.store.invoice_actions("tandarts-de-vries", "inv-1")) == 1


def test_a_corrected_address_gets_email_again():
    """The practice corrects the patient's e-mail address (the open action): letters go
    to the new address by e-mail again."""
    world = DunningWorld([one_invoice(50_000)])
    bounce(world, "invoice")
    corrected = replace(world.invoice(), patient=make_person(email="nieuw@example.nl"))
    world.store.put_invoice_as_is(corrected)

    world.run(DECIDED)

    assert world.invoice().reminder.channel is Channel.EMAIL
    assert [to for to, *_ in world.outbox.sent] == ["nieuw@example.nl"]


def test_a_reminder_with_nowhere_to_go_at_delivery_is_set_aside():
    """R7, legal-nl.md §2. Given the run decided on an e-mailed reminder, when the invoice
    e-mail's Permanent bounce comes in before the queue delivers it and the patient has
    no postal address, then nothing is sent, the letter no longer waits on the invoice,
    and that reminder supports no costs."""
    no_address = make_person(address=make_address(street="", house_number=""))
    world = DunningWorld([one_invoice(50_000, patient=no_address)])
    world.run(DECIDED, deliver=False)
    bounce(world, "invoice")

    world.deliver()

    invoice = world.invoice()
    assert world.outbox.sent == [] and world.files.files == {}
    assert invoice.letters_due == () and invoice.reminder.undelivered
    world.run_days(date(2027, 1, 14), date(2027, 1, 20))
    assert world.costs() == 0


def test_a_bounce_on_one_invoice_is_noted_on_the_others_its_reminder_covers():
    """R7, legal-nl.md §2. Given one reminder for two invoices of a patient, when the mail
    of the second invoice (not the reminder) bounces permanently, then the dead address is
    noted on the first too: the letter's second notice, led by the first, goes on paper,
    not to the dead address. The reminder arrived, so its costs stand."""
    world = DunningWorld([one_invoice(50_000), one_invoice(20_000, number=2)])
    world.run(DECIDED)
    second = world.invoice("inv-2")
    event = EmailEvent(
        "ses-invoice-2",
        "bounce",
        datetime(2026, 12, 31, 6, 10, tzinfo=AMSTERDAM),
        second.reference,
        "invoice",
        bounce_type="Permanent",
        recipients=(ADDRESS,),
    )

    assert record_email_event(event, EmailEventContext(world.store)) is True

    first = world.invoice("inv-1")
    assert first.bounced_emails == (ADDRESS.casefold(),)
    assert first.letter_channel is Channel.PAPER
    world.run_days(date(2027, 1, 1), date(2027, 1, 15))
    (notice,) = [c for c in world.invoice().correspondence if c.kind == SECOND_NOTICE]
    assert notice.channel is Channel.PAPER and world.costs() > 0


# --- the bounce and the delivery at the same time (R28; audit race2) ------------------------


def _reminder_bounced_on_31_december(message_id: str, reference: str) -> EmailEvent:
    """SES's Permanent bounce, at 06:10 on 31 December, of the reminder e-mailed to ADDRESS."""
    return EmailEvent(
        message_id,
        "bounce",
        datetime(2026, 12, 31, 6, 10, tzinfo=AMSTERDAM),
        reference,
        REMINDER,
        bounce_type="Permanent",
        recipients=(ADDRESS,),
    )


def _delivered_bouncing_at_once(world: DunningWorld, bounce: Callable[[str], EmailEvent]) -> None:
    """The world's queued letters delivered, SES's ``bounce(message_id)`` of each e-mail
    handled between the delivery's send and its note of the mail on the invoice."""
    send = world.outbox.send

    def bounced_at_once(to, email, attachments):
        message_id = send(to, email, attachments)
        event = bounce(message_id)
        assert record_email_event(event, EmailEventContext(world.store)) is True
        return message_id

    world.outbox.send = bounced_at_once
    world.deliver()
    world.outbox.send = send


def test_a_reminder_whose_bounce_is_handled_before_the_delivery_notes_it_supports_no_costs():
    """R7, R28, legal-nl.md §2. Given a reminder e-mailed on 31 December
    When SES's Permanent bounce of it is handled between the delivery's send and its note
    of the mail on the invoice (the bounce cannot tell yet that it was this letter)
    Then the reminder is set aside all the same, as when the bounce comes after the note:
    a new reminder on paper the next day, no costs on its e-mailed term's end, the costs
    only after the paper letter's term (before: EUR 75 BIK on 15 January on a letter that
    never arrived)."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED, deliver=False)
    _delivered_bouncing_at_once(
        world, lambda sent: _reminder_bounced_on_31_december(sent, world.invoice().reference)
    )

    assert world.invoice().reminder.undelivered
    world.run_days(date(2027, 1, 1), date(2027, 1, 15))
    invoice = world.invoice()
    assert (invoice.reminder.channel, invoice.reminder.sent_on) == (Channel.PAPER, date(2027, 1, 1))
    assert world.costs() == 0
    world.run_days(date(2027, 1, 16), date(2027, 1, 20))
    assert world.costs() == 7_500


def test_a_reminders_bounce_naming_no_recipient_handled_before_the_note_supports_no_costs():
    """R7, legal-nl.md §2 (audit edges51). Given a reminder e-mailed on 31 December
    When SES's Permanent bounce of it names no bounced recipient, only the mail's one
    destination, and is handled between the delivery's send and its note of the mail
    Then the reminder is set aside as when the bounce names the address: a new one on
    paper the next day and no costs by 15 January (before: the event named no address,
    the bounce wrote nothing and the delivery knew of none: EUR 75 BIK on a letter that
    never arrived)."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED, deliver=False)

    def bounce_naming_no_recipient(message_id: str) -> EmailEvent:
        raw = json.loads((EVENTS / "ses_events" / "bounce.json").read_text())
        raw["detail"]["mail"] |= {"messageId": message_id, "destination": [ADDRESS]}
        raw["detail"]["mail"]["tags"]["kenmerk"] = [world.invoice().reference]
        raw["detail"]["bounce"] |= {"bouncedRecipients": [], "timestamp": "2026-12-31T05:10Z"}
        return email_event(SesEvent.model_validate(raw).detail)

    _delivered_bouncing_at_once(world, bounce_naming_no_recipient)

    assert world.invoice().reminder.undelivered
    world.run_days(date(2027, 1, 1), date(2027, 1, 15))
    invoice = world.invoice()
    assert (invoice.reminder.channel, invoice.reminder.sent_on) == (Channel.PAPER, date(2027, 1, 1))
    assert world.costs() == 0


def test_a_reminders_bounce_read_from_an_index_behind_the_delivery_still_sets_it_aside():
    """R7, R28, legal-nl.md §2. Given a reminder e-mailed and noted on 31 December
    When SES's Permanent bounce of it comes while the by-reference index still has the
    invoice as it was before the delivery noted the mail (eventually consistent)
    Then the bounce reads the invoice as stored and sets the reminder aside: no costs on
    15 January (before: EUR 75 BIK on a letter that never arrived)."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED, deliver=False)
    before_the_note = world.invoice()
    world.deliver()
    mail = next(c for c in world.invoice().correspondence if c.kind == REMINDER)
    event = _reminder_bounced_on_31_december(mail.message_id, before_the_note.reference)
    world.store.find_invoice_by_reference = lambda reference: before_the_note  # type: ignore[method-assign]

    assert record_email_event(event, EmailEventContext(world.store)) is True

    del world.store.find_invoice_by_reference
    assert world.invoice().reminder.undelivered
    world.run_days(date(2027, 1, 1), date(2027, 1, 15))
    assert world.costs() == 0 and world.invoice().reminder.channel is Channel.PAPER


class DeliveredMeanwhile:
    """The store as the bounce handler sees it: the queued letter is delivered (sent and
    noted) just before the handler's first write of an invoice, after its read, so that
    write meets another version and is refused (ConcurrentChange), as DynamoDB's
    condition does; the handler reads again."""

    def __init__(self, world: DunningWorld) -> None:
        self._world = world
        self.deliveries_left = 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self._world.store, name)

    def save_invoice(self, invoice: Invoice) -> Invoice:
        if self.deliveries_left:
            self.deliveries_left -= 1
            self._world.deliver()
        return self._world.store.save_invoice(invoice)


def _bounce_read_before_the_note(world: DunningWorld, kind: str, at: datetime) -> None:
    """SES's Permanent bounce of the next mail the delivery sends (the Outbox numbers
    them), read before the delivery notes it and written after."""
    invoice = world.invoice()
    message_id = f"ses-{len(world.outbox.sent) + 1}"
    event = EmailEvent(message_id, "bounce", at, invoice.reference, kind, "Permanent", (ADDRESS,))
    store = DeliveredMeanwhile(world)

    assert record_email_event(event, EmailEventContext(store)) is True  # type: ignore[arg-type]

    assert store.deliveries_left == 0
    assert world.outbox.sent[-1][0] == ADDRESS and world.invoice().has_bounced(ADDRESS)


def test_a_reminders_bounce_read_before_the_delivery_notes_it_and_written_after_sets_it_aside():
    """R7, R28, legal-nl.md §2 (audit bounce51c). Given a reminder queued on 31 December
    When SES's Permanent bounce of it is read before the delivery notes the mail and
    written after (its write is refused once, it reads again)
    Then the reminder is set aside as when the bounce comes after the note: a new one on
    paper on 1 January, no costs on 15 January (before: the retried write only noted the
    dead address, and EUR 75 BIK was charged on a letter that never arrived)."""
    world = DunningWorld([one_invoice(50_000)])
    world.run(DECIDED, deliver=False)

    _bounce_read_before_the_note(world, REMINDER, datetime(2026, 12, 31, 6, 10, tzinfo=AMSTERDAM))

    assert world.invoice().reminder.undelivered
    world.run_days(date(2027, 1, 1), date(2027, 1, 15))
    invoice = world.invoice()
    assert (invoice.reminder.channel, invoice.reminder.sent_on) == (Channel.PAPER, date(2027, 1, 1))
    assert world.costs() == 0


NOTICE_BOUNCED_AT = datetime(2027, 1, 15, 6, 20, tzinfo=AMSTERDAM)


def _second_notice_queued_on_15_january() -> DunningWorld:
    world = DunningWorld([one_invoice(50_000)])
    world.run_days(DECIDED, date(2027, 1, 14))
    world.run(date(2027, 1, 15), deliver=False)
    assert world.queue.kinds == [SECOND_NOTICE]
    return world


def _sent_again_on_paper_and_handed_over_14_days_after_it(world: DunningWorld) -> None:
    """What a bounce noted after the second notice leads to (the test of round 51
    bounce51 above): the notice once more on paper on 16 January, the handover on 30
    January, not on 29 January after the e-mail that never arrived."""
    world.run_days(date(2027, 1, 16), date(2027, 1, 29))
    invoice = world.invoice()
    notices = [(c.channel, c.at.date()) for c in invoice.correspondence if c.kind == SECOND_NOTICE]
    assert notices == [(Channel.EMAIL, date(2027, 1, 15)), (Channel.PAPER, date(2027, 1, 16))]
    assert invoice.costs_charged_on == date(2027, 1, 16) and invoice.handed_over_on is None
    world.run_days(date(2027, 1, 30), date(2027, 2, 5))
    assert world.invoice().handed_over_on == date(2027, 1, 30)


def test_r19_a_second_notice_whose_bounce_is_handled_before_the_delivery_notes_it_goes_again():
    """R7, R19, R28 (audit bounce51c). Given the second notice queued on 15 January
    When SES's Permanent bounce of it is handled between the delivery's send and its
    note of the mail (the bounce cannot tell yet that it was this notice: it only notes
    the address dead)
    Then the delivery, noting the e-mail to a dead address, has the notice wait again:
    sent on paper on 16 January, handed over on 30 January (before: no paper notice,
    handed over on 29 January on a notice never received)."""
    world = _second_notice_queued_on_15_january()

    def notice_bounced(message_id: str) -> EmailEvent:
        assert world.invoice().letters_due  # not noted yet
        return EmailEvent(
            message_id,
            "bounce",
            NOTICE_BOUNCED_AT,
            world.invoice().reference,
            SECOND_NOTICE,
            "Permanent",
            (ADDRESS,),
        )

    _delivered_bouncing_at_once(world, notice_bounced)

    _sent_again_on_paper_and_handed_over_14_days_after_it(world)


def test_r19_a_second_notices_bounce_read_before_the_delivery_notes_it_still_sends_it_again():
    """R7, R19, R28 (audit bounce51c). Given the second notice queued on 15 January
    When SES's Permanent bounce of it is read before the delivery notes the mail and
    written after (refused once, read again)
    Then the bounce, finding the mail on the invoice as it reads it again, has the notice
    wait again: on paper on 16 January, handed over on 30 January (before: handed over on
    29 January on a notice never received)."""
    world = _second_notice_queued_on_15_january()

    _bounce_read_before_the_note(world, SECOND_NOTICE, NOTICE_BOUNCED_AT)

    _sent_again_on_paper_and_handed_over_14_days_after_it(world)
