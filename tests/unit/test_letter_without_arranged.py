"""A dunning letter about several invoices of which one is under a running arrangement by
the time the letter goes out (R15, R19, R30, legal-nl.md §2; closing14: "a letter of
several invoices of which only one is back under an arrangement still lists them all").

The run decides on one 14-day letter for a patient's two invoices; before the delivery
sends it, the first comes under an arrangement (one made in the checker, or one a payment
read later put back: changes/arrangement.kept_after_all). The arrangement pauses dunning
for that invoice (R15), so the letter must not ask for it: it is about the other invoice
only, with the collection costs over that invoice's principal (the staffel, §3), and it is
recorded on that invoice alone (R30)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from billing_core.changes.arrangement import create_arrangement
from billing_core.dunning.letters import REMINDER
from billing_core.legal import collection_costs
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.money import format_euros
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import make_person

REMINDER_DAY = date(2026, 12, 31)
ARRANGED, OTHER = 40_000, 30_000


def a_letter_waiting_when_one_is_arranged(
    *, email: str = "s.vanderberg@example.nl"
) -> DunningWorld:
    patient = make_person(email=email)
    world = DunningWorld(
        [
            one_invoice(ARRANGED, number=1, patient=patient),
            one_invoice(OTHER, number=2, patient=patient),
        ]
    )
    world.run(REMINDER_DAY, deliver=False)
    assert world.invoice("inv-1").reminder.covers == world.invoice("inv-2").reminder.covers
    assert len(world.invoice("inv-1").reminder.covers) == 2
    at = datetime.combine(REMINDER_DAY, time(9), tzinfo=AMSTERDAM)
    world.clock.set(at)
    arranged = create_arrangement(world.invoice("inv-1"), world.provider, 2, at)
    world.store.put_invoice_as_is(arranged)
    world.deliver()
    return world


def test_the_letter_names_only_the_invoice_not_under_the_arrangement():
    """Given the letter for both waiting and the first invoice under an arrangement, when
    the letter goes out, then it names the second invoice's kenmerk and amount, not the
    first's, and announces the BIK over the second's principal alone (€ 45,00 on € 300,00),
    not over both (€ 105,00 on € 700,00)."""
    world = a_letter_waiting_when_one_is_arranged()
    sent = [mail for _, mail, _ in world.outbox.sent if mail.kind == REMINDER]
    assert len(sent) == 1
    arranged, other = world.invoice("inv-1"), world.invoice("inv-2")
    for part in (sent[0].text, sent[0].html):
        assert other.reference in part.replace(" ", "")
        assert arranged.reference not in part.replace(" ", "")
        assert format_euros(collection_costs(OTHER)) in part
        assert format_euros(collection_costs(ARRANGED + OTHER)) not in part


def test_the_letter_is_recorded_on_the_invoice_it_is_about_only():
    """R30, R15: the second invoice carries the letter and a reminder about itself alone,
    whose BIK is the one announced; the arranged one carries no letter and waits for none,
    and its arrangement runs."""
    world = a_letter_waiting_when_one_is_arranged()
    arranged, other = world.invoice("inv-1"), world.invoice("inv-2")
    assert [kind for kind, _ in world.letters("inv-2")] == [REMINDER]
    assert [kind for kind, _ in world.letters("inv-1")] == []
    assert arranged.letters_due == () and other.letters_due == ()
    assert [c.invoice_id for c in other.reminder.covers] == ["inv-2"]
    assert other.reminder.costs_cents == collection_costs(OTHER)
    assert arranged.arrangement.is_active


def test_a_second_delivery_sends_nothing_more():
    """R30: the queue delivering the same request again sends no second letter."""
    world = a_letter_waiting_when_one_is_arranged()
    from billing_core.correspondence.delivery import (
        DeliveryContext,
        DeliveryRequest,
        deliver_invoice,
    )
    from tests.unit.factories import PUBLIC
    from tests.unit.test_invoice_pdf import ACCOUNT

    reminder = world.invoice("inv-1").reminder
    request = DeliveryRequest(
        world.provider.provider_id, "inv-1", kind=REMINDER, event_id=reminder.letter_id
    )
    context = DeliveryContext(world.store, world.files, world.outbox, world.clock, PUBLIC, ACCOUNT)
    deliver_invoice(request, context)
    assert len([m for _, m, _ in world.outbox.sent if m.kind == REMINDER]) == 1
    assert [kind for kind, _ in world.letters("inv-1")] == []


@pytest.mark.parametrize("email", ["s.vanderberg@example.nl", ""], ids=["e-mailed", "posted"])
def test_the_letters_pdf_is_named_by_the_kenmerk_it_holds(email):
    """R30, R29, legal-nl.md §8 (known stop 39, Texts and letters): Given the letter for
    both waiting on the first invoice (its lead) and that one under an arrangement, when
    the letter goes out about the second alone, then its PDF (kept of the e-mail, or in
    the print batch) is named by the second invoice's kenmerk, the one the letter holds,
    not by the first's, which it does not name; the key noted is that one PDF's."""
    world = a_letter_waiting_when_one_is_arranged(email=email)
    arranged, other = world.invoice("inv-1"), world.invoice("inv-2")

    (letter,) = other.correspondence
    (key,) = [k for k in world.files.files if k.endswith(".pdf")]
    assert key == (letter.kept_key or letter.message_id)
    assert f"/{other.reference}-{REMINDER}" in key
    assert arranged.reference not in key
