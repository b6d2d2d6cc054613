"""A provider's hold (R16): at most 60 days in total per invoice, renewals included
(issue 12 item 7), through the provider's hold use case."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.changes.arrangement import create_arrangement
from billing_core.changes.hold import hold_used_up, put_on_hold
from billing_core.dunning.letters import REMINDER
from billing_core.invoices.invoice import ArrangementStatus, DunningStage, Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.patient import InvoiceState, invoice_state
from billing_core.services.provider.context import ProviderContext
from billing_core.services.provider.invoices import hold_invoice
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import Refused, StateConflict
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.fake_store import AuditInMemory, FakeQueue, FakeStore, FilesInMemory

FIRST_DAY = date(2027, 1, 4)


def hold(store: FakeStore, clock: FixedClock, days: int) -> Invoice:
    until = clock.today() + timedelta(days=days)
    ctx = ProviderContext(
        store,
        FilesInMemory(),
        uploads=None,
        delivery=FakeQueue(),
        clock=clock,
        users=InMemoryUserDirectory(),
        audit=AuditInMemory(),
    )
    staff = ProviderUser("tandarts-de-vries", "u-1", Role.STAFF)
    detail = hold_invoice(staff, "inv-1", until, "bezwaar in behandeling", ctx)
    assert detail is not None
    return detail.invoice


def on_hold() -> tuple[FakeStore, FixedClock]:
    """An invoice put on hold for 30 days on 4 January 2027."""
    store, clock = FakeStore([one_invoice(100_000)]), FixedClock(FIRST_DAY)
    assert hold(store, clock, 30).hold_until == date(2027, 2, 3)
    return store, clock


def test_a_hold_is_at_most_60_days_in_total_renewals_included():
    """Given a hold from 4 January until 3 February, when the provider renews it after 20
    days (24 January) until 50 days later, then that is refused: 20 used + 51 (the day it
    is placed included, leftovers53) = 71 days; the hold stays as it was. The refusal
    says how to fix it (R35, words52c: it said only that the limit would be passed): the
    40 days left, today included, and the last date they allow (4 March)."""
    store, clock = on_hold()
    clock.advance(days=20)

    with pytest.raises(Refused) as refusal:
        hold(store, clock, 50)

    assert refusal.value.code == "hold_limit_reached"
    assert refusal.value.message("nl") == (
        "Een nota kan in totaal hoogstens 60 dagen worden aangehouden, verlengingen en de dag"
        " van aanhouden meegeteld; voor deze nota zijn er nog 40 over, vandaag meegeteld."
        " Kies een datum uiterlijk 04-03-2027."
    )
    assert refusal.value.message("en") == (
        "An invoice can be put on hold for at most 60 days in total, renewals and the day it"
        " is placed included; this invoice has 40 left, today included. Choose a date no"
        " later than 2027-03-04."
    )
    assert store.invoice().hold_until == date(2027, 2, 3)
    # And that date is the renewal the sentence promises: 20 + 40 = 60 days, a day more not
    with pytest.raises(Refused):
        hold(store, clock, 40)
    renewed = hold(store, clock, 39)
    assert (renewed.hold_until, renewed.hold_days_used) == (date(2027, 3, 4), 60)


def test_a_hold_whose_60_days_are_used_says_it_cannot_be_held_again():
    """R16, R35 (words52c): Given an invoice held 60 days in total (the days have passed),
    When the practice puts it on hold again for a day, Then it is refused with the same
    code, saying all days are used and it cannot be held again: no date to choose (not
    "choose a date at most 0 days after today")."""
    store, clock = FakeStore([one_invoice(100_000)]), FixedClock(FIRST_DAY)
    hold(store, clock, 59)
    clock.advance(days=61)

    with pytest.raises(Refused) as refusal:
        hold(store, clock, 1)

    assert refusal.value.code == "hold_limit_reached"
    assert refusal.value.message("nl") == (
        "Een nota kan in totaal hoogstens 60 dagen worden aangehouden, verlengingen en de dag"
        " van aanhouden meegeteld, en deze nota heeft er geen over voor een dag na vandaag:"
        " zij kan niet meer worden aangehouden."
    )
    assert refusal.value.message("en") == (
        "An invoice can be put on hold for at most 60 days in total, renewals and the day it"
        " is placed included, and this invoice has none left for a day after today: it"
        " cannot be put on hold again."
    )


def test_a_hold_keeps_the_id_of_the_user_who_placed_it():
    """R16, R32 (audit ROLES1): given the 30-day hold staff user u-1 placed, then the
    invoice keeps their id (never a name) with the hold; before, only its date, reason
    and days were kept, so who paused the dunning was nowhere."""
    store, _ = on_hold()
    assert (store.invoice().hold_reason, store.invoice().hold_by) == (
        "bezwaar in behandeling",
        "u-1",
    )


def test_a_renewal_counts_only_the_days_used_so_far():
    """Given the same hold, when it is renewed after 20 days until 39 days later (20 + 40
    with the day of renewing = 60), then it runs until 4 March; a later hold, once it has
    ended, is refused."""
    store, clock = on_hold()
    clock.advance(days=20)

    assert hold(store, clock, 39).hold_until == date(2027, 3, 4)

    clock.set(date(2027, 3, 10))
    with pytest.raises(Refused):
        hold(store, clock, 1)


def test_holds_apart_add_up():
    """Given a hold of 31 days (4 January to 3 February, both included) that ended, then a
    second hold of 29 days (1 to 29 March) is allowed, a third one not."""
    store, clock = on_hold()
    clock.set(date(2027, 3, 1))
    assert hold(store, clock, 28).hold_days_used == 60
    clock.set(date(2027, 4, 5))
    with pytest.raises(Refused):
        hold(store, clock, 1)


def test_a_claim_with_the_collection_agency_takes_no_hold():
    """R16, R18, R19 (audit ARRANGEMENTS5). Given a claim handed over to the collection
    agency (dunning is over; the agency collects). When the practice puts it on hold.
    Then that is refused as a state conflict (409) with the code the patient's deferral
    and arrangement are refused with there, saying why, and no hold is stored."""
    handed_over = replace(one_invoice(100_000), dunning_stage=DunningStage.WITH_COLLECTION_AGENCY)
    store, clock = FakeStore([handed_over]), FixedClock(FIRST_DAY)

    with pytest.raises(StateConflict) as refusal:
        hold(store, clock, 30)

    assert refusal.value.code == "with_collection_agency"
    assert "incassobureau" in refusal.value.message("nl")
    assert "collection agency" in refusal.value.message("en")
    assert store.invoice().hold_until is None


def _settled_by(kind: EntryKind) -> Invoice:
    """The 1000 euro invoice taken to zero by one entry of ``kind``."""
    at = datetime(2027, 1, 2, 10, tzinfo=AMSTERDAM)
    entry = LedgerEntry(kind, Component.PRINCIPAL, -100_000, at, "p", "goodwill")
    return one_invoice(100_000).with_entry(entry)


def test_a_hold_on_an_invoice_stopped_whole_says_nothing_is_open_not_paid():
    """R16, R21, R35 (audit PORTAL3-3). Given an invoice the practice stopped whole: its
    state is forgiven, nothing was paid. When staff put it on hold. Then that is refused
    (409) as the stop again is, with nothing_open, saying what was open is stopped or
    forgiven and there is nothing to hold, in nl and en; never "already paid"."""
    store, clock = FakeStore([_settled_by(EntryKind.STOP)]), FixedClock(FIRST_DAY)

    with pytest.raises(StateConflict) as refusal:
        hold(store, clock, 30)

    assert refusal.value.code == "nothing_open"
    nl, en = refusal.value.message("nl"), refusal.value.message("en")
    assert "gestopt of kwijtgescholden" in nl and "aan te houden" in nl and "betaald" not in nl
    assert "stopped or forgiven" in en and "on hold" in en and "paid" not in en
    assert store.invoice().hold_until is None


def test_a_hold_on_an_invoice_the_patient_paid_still_says_paid():
    """R16: given an invoice the patient paid in full, a hold is refused as paid."""
    store, clock = FakeStore([_settled_by(EntryKind.PAYMENT)]), FixedClock(FIRST_DAY)
    with pytest.raises(StateConflict) as refusal:
        hold(store, clock, 30)
    assert refusal.value.code == "paid"


def test_a_term_missed_during_a_hold_still_ends_the_arrangement():
    """R16 pauses dunning, R15 counts the terms: what the checker's hold sentence says
    during an arrangement (on_hold_terms_note). Given an arrangement whose first term is due
    23 December and a hold from 20 December until 20 January, when the term is still
    unpaid 14 days after its date (6 January), then from 7 January the arrangement no
    longer runs (the checker shows the hold alone), and the run after the hold cancels it
    and sends the reminder; nothing is sent during the hold."""
    world = DunningWorld([one_invoice(100_000)])
    made = datetime(2026, 12, 1, 12, tzinfo=AMSTERDAM)
    world.store.save_invoice(create_arrangement(world.invoice(), world.provider, 2, made))
    world.run_days(date(2026, 12, 2), date(2026, 12, 20))
    world.store.save_invoice(
        put_on_hold(world.invoice(), date(2027, 1, 20), "navragen", date(2026, 12, 20), by="u-1")
    )

    world.run_days(date(2026, 12, 21), date(2027, 1, 7))
    assert invoice_state(world.invoice(), date(2027, 1, 6)) is InvoiceState.ARRANGEMENT_ACTIVE
    assert invoice_state(world.invoice(), date(2027, 1, 7)) is InvoiceState.ON_HOLD
    world.run_days(date(2027, 1, 8), date(2027, 1, 21))
    assert world.invoice().arrangement.status is ArrangementStatus.CANCELLED
    assert world.letters() == [(REMINDER, date(2027, 1, 21))]


def test_the_longest_hold_pauses_dunning_60_days_the_day_it_is_placed_included():
    """R16 "dunning paused, at most 60 days" (leftovers53: a hold placed on 31 December
    until 60 days later was accepted as 60 days, but it stops the letter that day's 06:00
    run queued and pauses up to and including its last day, so the reminder due on
    31 December went out on 2 March: 61 days). Given the 06:00 run of 31 December queued
    the reminder, When the practice puts the claim on hold at 07:00 for the longest time
    allowed, Then that is until 28 February (a day later is refused, naming that date),
    no letter goes out until then and the reminder goes out on 1 March: 60 days later."""
    world = DunningWorld([one_invoice(50_000)])
    placed = date(2026, 12, 31)
    world.run(placed, deliver=False)
    world.clock.set(datetime(2026, 12, 31, 7, 0, tzinfo=AMSTERDAM))

    with pytest.raises(Refused) as refusal:
        put_on_hold(world.invoice(), date(2027, 3, 1), "bezwaar", placed, by="u-1")
    held = put_on_hold(world.invoice(), date(2027, 2, 28), "bezwaar", placed, by="u-1")
    world.store.save_invoice(held)
    world.deliver()
    world.run_days(date(2027, 1, 1), date(2027, 2, 28))

    assert refusal.value.code == "hold_out_of_range"
    assert refusal.value.message("nl") == (
        "Kies een datum na vandaag en uiterlijk 28-02-2027: een nota wordt hoogstens 60 dagen"
        " aangehouden, vandaag meegeteld."
    )
    assert held.hold_days_used == 60 and world.letters() == []
    world.run(date(2027, 3, 1))
    [(kind, sent)] = world.letters()
    assert (kind, (sent - placed).days) == (REMINDER, 60)


def test_a_hold_renewed_on_its_last_day_of_60_cannot_run_past_today():
    """R16, R35. Given a hold of 60 days (4 January to 4 March), When it is renewed on 4
    March (59 days used before, today the one left), Then it is refused as used up: any
    hold runs to a day after today; never "choose a date no later than today"."""
    store, clock = FakeStore([one_invoice(100_000)]), FixedClock(FIRST_DAY)
    assert hold(store, clock, 59).hold_until == date(2027, 3, 4)
    clock.set(date(2027, 3, 4))

    with pytest.raises(Refused) as refusal:
        hold(store, clock, 1)

    assert refusal.value.code == "hold_limit_reached"
    assert "geen over voor een dag na vandaag" in refusal.value.message("nl")


def test_the_used_up_refusal_is_decided_once_for_the_hold_and_the_portal():
    """R16, R35 (one way, texts58). Given a hold of 60 days (4 January to 4 March), When the
    portal asks on 3 March and on 4 March whether a hold can still run to a day after
    today, Then the domain answers (``hold_used_up``): on 3 March one day is left, on 4
    March none, and its refusal is the very one ``put_on_hold`` raises, in Dutch and
    English alike."""
    store, clock = FakeStore([one_invoice(100_000)]), FixedClock(FIRST_DAY)
    held = hold(store, clock, 59)

    assert hold_used_up(held, date(2027, 3, 3)) is None
    used_up = hold_used_up(held, date(2027, 3, 4))
    clock.set(date(2027, 3, 4))
    with pytest.raises(Refused) as refusal:
        hold(store, clock, 1)

    assert used_up is not None and used_up.code == refusal.value.code == "hold_limit_reached"
    assert used_up.sentences == refusal.value.sentences
    assert used_up.message("en") == refusal.value.message("en")
