"""A second notice whose lead invoice drops out before it goes out: its arrangement put
back and its costs undone by a payment read late (R15, R19, R30, legal-nl.md §2, §3;
round 36, left open by fix/arrangement-terms).

The run of 7 January cancels the arrangement on the first invoice (€ 1.000,00, 2 terms)
and sends one reminder about it and the patient's second invoice (€ 100,00), which fell
into default that week; the BIK it announces is the staffel over both (€ 165,00). The run
of 22 January charges the BIK on both (the second's share € 15,00) and queues the second
notice on the first invoice, the lead. Before the notice goes out, a statement read at
09:00 shows the first term paid on 6 January, its last day of grace: the arrangement was
kept after all, so it runs again and the first invoice's costs are undone
(dunning/corrections.undo_since_cancellation). The second invoice is still charged and
is handed over 14 days after the costs (R19): the handover follows the letters the
patient got (legal-nl.md §2), so its second notice must go out, about it alone, and name
its BIK as the staffel over its own principal (§3: the first invoice's reminder no longer
supports costs, dunning/letter_costs.reminder_superseded), never more than announced."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from billing_core.changes.arrangement import create_arrangement
from billing_core.correspondence.delivery import DeliveryContext, DeliveryRequest, deliver_invoice
from billing_core.dunning.letters import SECOND_NOTICE, event_id
from billing_core.invoices.invoice import ArrangementStatus
from billing_core.legal import collection_costs
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.money import format_euros
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import PUBLIC, make_person
from tests.unit.test_invoice_pdf import ACCOUNT

ARRANGED, OTHER = 100_000, 10_000
CANCELLED_ON = date(2027, 1, 7)  # the run cancels the arrangement and sends the reminder
COSTS_ON = date(2027, 1, 22)  # the day after the reminder's term: BIK, second notice
LAST_DAY_OF_GRACE = date(2027, 1, 6)  # of the first term, paid that day
HANDOVER_ON = COSTS_ON + timedelta(days=14)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def a_second_notice_waiting_when_its_lead_is_arranged_again() -> DunningWorld:
    patient = make_person()
    world = DunningWorld(
        [
            one_invoice(ARRANGED, number=1, patient=patient),
            # In default from 31 December: its reminder is due on the 7th, with the first's.
            one_invoice(OTHER, number=2, patient=patient, final_payment_date=date(2026, 12, 30)),
        ]
    )
    made = at(date(2026, 12, 1), 12)
    world.store.save_invoice(create_arrangement(world.invoice("inv-1"), world.provider, 2, made))
    world.run_days(date(2026, 12, 2), COSTS_ON - timedelta(days=1))
    reminder = world.invoice("inv-2").reminder
    assert reminder.sent_on == CANCELLED_ON
    assert [c.invoice_id for c in reminder.covers] == ["inv-1", "inv-2"]
    world.run(COSTS_ON, deliver=False)
    assert [r.invoice_id for r in world.queue.requests] == ["inv-1"]  # the lead
    assert world.costs("inv-2") == 1_500  # its share of € 165,00 over both
    first_term = world.invoice("inv-1").arrangement.terms[0]
    # Read at 09:00, the letters queued are delivered after it (DunningWorld).
    world.import_transfer(first_term.amount_cents, booked_on=LAST_DAY_OF_GRACE, at=at(COSTS_ON, 9))
    assert world.invoice("inv-1").arrangement.status is ArrangementStatus.ACTIVE
    assert world.invoice("inv-1").costs_charged_on is None
    return world


def second_notices(world: DunningWorld) -> list:
    return [mail for _, mail, _ in world.outbox.sent if mail.kind == SECOND_NOTICE]


def test_the_second_notice_goes_out_about_the_other_invoice_alone():
    """Given the second notice waiting on the first invoice, when the late statement puts
    its arrangement back and undoes its costs, then the notice still goes out (R19): it
    names the second invoice's kenmerk, not the first's, is recorded on the second invoice
    alone (R30) and is taken off the first, which waits for no letter (R15)."""
    world = a_second_notice_waiting_when_its_lead_is_arranged_again()

    sent = second_notices(world)
    assert len(sent) == 1
    arranged, other = world.invoice("inv-1"), world.invoice("inv-2")
    for part in (sent[0].text, sent[0].html):
        assert other.reference in part.replace(" ", "")
        assert arranged.reference not in part.replace(" ", "")
    assert [kind for kind, _ in world.letters("inv-2")].count(SECOND_NOTICE) == 1
    assert SECOND_NOTICE not in [kind for kind, _ in world.letters("inv-1")]
    assert arranged.letters_due == () and other.letters_due == ()


def test_the_second_notices_pdf_is_named_by_the_kenmerk_it_holds():
    """R30, R29, legal-nl.md §8 (known stop 39, Texts and letters): Given the same notice,
    when it goes out about the second invoice alone, then the PDF kept of it is named by
    the second invoice's kenmerk, the one the letter holds, not the first's."""
    world = a_second_notice_waiting_when_its_lead_is_arranged_again()
    arranged, other = world.invoice("inv-1"), world.invoice("inv-2")

    (notice,) = [c for c in other.correspondence if c.kind == SECOND_NOTICE]
    assert f"/{other.reference}-{SECOND_NOTICE}-" in notice.kept_key
    assert arranged.reference not in notice.kept_key
    assert notice.kept_key in world.files.files


def test_the_handover_follows_the_second_notice_the_patient_got():
    """legal-nl.md §2, R19: the second invoice is handed over 14 days after its costs, as
    its second notice said; the first, under its running arrangement, is not."""
    world = a_second_notice_waiting_when_its_lead_is_arranged_again()
    world.run_days(COSTS_ON + timedelta(days=1), HANDOVER_ON)

    other = world.invoice("inv-2")
    assert other.handed_over_on == HANDOVER_ON
    notices = world.days_sent(SECOND_NOTICE, "inv-2")
    assert notices == [COSTS_ON]
    assert not world.invoice("inv-1").is_with_collection_agency


def test_the_second_notice_names_the_bik_over_the_other_invoice_alone():
    """legal-nl.md §2, §3: with the first invoice's reminder no longer supporting costs,
    the BIK on the second is the staffel over its own principal (€ 40,00, the minimum),
    not its share of the staffel over both (€ 15,00), and never more than the reminder
    announced (€ 165,00); the notice and the ledger say the same."""
    world = a_second_notice_waiting_when_its_lead_is_arranged_again()

    own = collection_costs(OTHER)
    assert own == 4_000 <= world.invoice("inv-2").reminder.costs_cents
    assert world.costs("inv-2") == own
    [notice] = second_notices(world)
    for part in (notice.text, notice.html):
        assert format_euros(own) in part
        assert format_euros(1_500) not in part


def test_a_second_delivery_sends_nothing_more():
    """R30: the queue delivering the same request again (the letter is off the lead by
    then) sends no second notice and notes none on either invoice."""
    world = a_second_notice_waiting_when_its_lead_is_arranged_again()
    reminder = world.invoice("inv-1").reminder
    request = DeliveryRequest(
        world.provider.provider_id,
        "inv-1",
        kind=SECOND_NOTICE,
        event_id=event_id(SECOND_NOTICE, reminder),
    )
    context = DeliveryContext(world.store, world.files, world.outbox, world.clock, PUBLIC, ACCOUNT)

    deliver_invoice(request, context)

    assert len(second_notices(world)) == 1
    assert [kind for kind, _ in world.letters("inv-2")].count(SECOND_NOTICE) == 1
    assert SECOND_NOTICE not in [kind for kind, _ in world.letters("inv-1")]
