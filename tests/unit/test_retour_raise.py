"""An insurer's retour that raises what the patient pays (the insurer pays less than was
deducted) asks money no invoice or letter asked yet (legal-nl.md §2, §7; R19, R20, R15;
audit money MONEY2). Like an operator's correction that raises the amount (R34), the
raise gets a new final payment date, the retour's day plus the payment term, and a
reminder sent before it asked the old amount: it supports no costs.

Through the real use cases on one invoice: the daily run, its letters, the bank import
and the retour file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

import pytest

from billing_core.changes.arrangement import create_arrangement, next_term
from billing_core.correspondence.kinds import INVOICE_CORRECTED
from billing_core.declarations.upload import IngestContext
from billing_core.declarations.vektis.layouts import MZ302_V13
from billing_core.declarations.vektis.writer import Granted, write_retour
from billing_core.dunning.interest import interest_statement
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.invoices.invoice import (
    ArrangementStatus,
    ArrangementTerm,
    DunningStage,
    Invoice,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.ports import KnownClaim
from billing_core.providers.provider import Provider
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.money import format_euros
from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import REFERENCE_KEY, make_line
from tests.unit.vektis_files import HEADER, apply_retour, dental_claim

INVOICED = 7_647  # a treatment of € 76,47
DEDUCTED = 1_888  # € 18,88 deducted as the insurer's estimated part
ASKED = INVOICED - DEDUCTED  # € 57,59 asked of the patient
PAYMENT_TERM = 30  # the practice's payment term (R8)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=AMSTERDAM)


def deducted_world(
    invoiced_cents: int, deducted_cents: int, provider: Provider | None = None, **line: Any
) -> DunningWorld:
    """One sent invoice (final payment date 23 December 2026) of one line, claim L-1 of
    declaration d-1, of which ``deducted_cents`` were deducted as the insurer's part; the
    line's other fields ``line``."""
    invoice = one_invoice(invoiced_cents)
    deduction = LedgerEntry(
        EntryKind.REIMBURSEMENT,
        Component.PRINCIPAL,
        -deducted_cents,
        invoice.ledger[0].at,
        "declaration:d-1",
        "line L-1",
    )
    claimed = make_line(
        claim_ref="L-1", unit_price_cents=invoiced_cents, reimbursed_cents=deducted_cents, **line
    )
    deducted = replace(invoice, lines=(claimed,), ledger=(*invoice.ledger, deduction))
    world = DunningWorld([deducted], provider)
    world.store.markers[(world.provider.provider_id, "L-1")] = KnownClaim("L-1", "d-1", "inv-1")
    return world


def a_world() -> DunningWorld:
    """€ 18,88 of the line deducted as the insurer's part: € 57,59 asked of the patient."""
    world = deducted_world(INVOICED, DEDUCTED)
    assert world.provider.payment_term_days == PAYMENT_TERM
    return world


def the_insurer_refuses_the_line(
    world: DunningWorld, day: date, invoiced_cents: int = INVOICED
) -> None:
    """The insurer's MZ302 grants nothing of the line (of ``invoiced_cents``): the patient
    pays what was deducted more (here € 18,88)."""
    world.clock.set(at(day))
    claim = dental_claim("L-1", unit_price_cents=invoiced_cents, insurer_uzovi="3311")
    data = write_retour(MZ302_V13, HEADER, [claim], {"L-1": Granted(0, ("8072",))})
    ctx = IngestContext(world.store, world.files, world.queue, world.clock, REFERENCE_KEY)
    apply_retour(world.provider.provider_id, f"r-{day}", data, ctx, file_name="retour.mz302")
    world.deliver()


def test_a_reminder_in_whose_term_a_retour_raises_the_amount_supports_no_costs():
    """legal-nl.md §2, §7, R19, R20: given the reminder of 31 December (term to 14 January)
    asking € 57,59 and announcing € 40,00 BIK, when a retour raises the invoice by
    € 18,88 on 2 January and the patient pays the € 57,59 the letter asked on 3 January,
    then no costs are charged and no second notice goes after the term: the letter never
    asked the € 18,88. The raise has its own final payment date, 2 January + 30 days =
    1 February, and the next reminder, for the € 18,88, comes 7 days into that default."""
    world = a_world()
    world.run_days(date(2026, 12, 24), date(2027, 1, 2))
    reminder = world.invoice().reminder
    assert reminder is not None and reminder.due_cents == ASKED
    assert (reminder.sent_on, reminder.final_date) == (date(2026, 12, 31), date(2027, 1, 14))

    the_insurer_refuses_the_line(world, date(2027, 1, 2))
    world.import_transfer(ASKED, booked_on=date(2027, 1, 3), at=at(date(2027, 1, 3)))
    world.run_days(date(2027, 1, 3), date(2027, 2, 8))

    invoice = world.invoice()
    assert invoice.current_final_payment_date == date(2027, 2, 1)
    assert world.costs() == 0 and world.days_sent(SECOND_NOTICE) == []
    assert world.days_sent(REMINDER) == [date(2026, 12, 31)]
    assert invoice.amount_due_cents == DEDUCTED

    world.run(date(2027, 2, 9))

    assert world.days_sent(REMINDER) == [date(2026, 12, 31), date(2027, 2, 9)]
    new_reminder = world.invoice().reminder
    assert new_reminder is not None and new_reminder.due_cents == DEDUCTED


def test_a_retour_after_the_invoice_was_paid_gets_a_payment_term_before_any_reminder():
    """legal-nl.md §2, §7, R19: given the invoice paid in full on 24 November, when a
    retour on 10 January (after the old final payment date) raises it by € 18,88, then
    the patient is told the amount and its new final payment date, 9 February (the
    retour's day plus 30 days), and the first reminder comes 7 days into that default,
    on 17 February, not the next day."""
    world = a_world()
    world.import_transfer(ASKED, booked_on=date(2026, 11, 24), at=at(date(2026, 11, 24)))
    world.run_days(date(2026, 12, 24), date(2027, 1, 9))

    the_insurer_refuses_the_line(world, date(2027, 1, 10))
    world.run_days(date(2027, 1, 10), date(2027, 2, 16))

    assert world.invoice().current_final_payment_date == date(2027, 2, 9)
    assert world.days_sent(REMINDER) == []
    told = [mail for _, mail, _ in world.outbox.sent if mail.kind == INVOICE_CORRECTED]
    assert len(told) == 1 and "9 februari 2027" in told[0].text

    world.run(date(2027, 2, 17))

    assert world.days_sent(REMINDER) == [date(2027, 2, 17)]
    assert world.costs() == 0


def test_a_retour_that_lowers_the_amount_leaves_the_reminder_and_its_costs():
    """legal-nl.md §2: a retour that grants more lowers what the patient pays; nothing
    new is asked, so the reminder's term stands and its costs follow when it expires
    unpaid (over what is left, within what the letter announced)."""
    world = a_world()
    world.run_days(date(2026, 12, 24), date(2027, 1, 2))
    world.clock.set(at(date(2027, 1, 2)))
    claim = dental_claim("L-1", unit_price_cents=INVOICED, insurer_uzovi="3311")
    data = write_retour(MZ302_V13, HEADER, [claim], {"L-1": Granted(3_000, ())})
    ctx = IngestContext(world.store, world.files, world.queue, world.clock, REFERENCE_KEY)
    apply_retour(world.provider.provider_id, "r-1", data, ctx, file_name="retour.mz302")

    world.run_days(date(2027, 1, 3), date(2027, 1, 15))

    assert world.invoice().final_payment_date == date(2026, 12, 23)
    assert world.costs() == 4_000
    assert world.days_sent(SECOND_NOTICE) == [date(2027, 1, 15)]


def test_a_retour_during_an_arrangement_is_a_rest_term_after_its_terms_not_a_cancellation():
    """R15, legal-nl.md §7: given an arrangement of two terms (23 December, 23 January),
    when a retour raises the invoice by € 18,88 on 20 January and both terms are paid on
    their due dates, then the arrangement still runs: the € 18,88 is one more term after
    its terms, due no earlier than its own final payment date (20 January + 30 days =
    19 February; 14 days after the terms were settled would be 6 February), and dunning
    stays paused until that term is missed by more than 14 days."""
    world = a_world()
    arranged = create_arrangement(world.invoice(), world.provider, 2, at(date(2026, 11, 25)))
    world.store.put_invoice_as_is(arranged)
    assert arranged.arrangement is not None
    terms = arranged.arrangement.terms
    assert [term.due_date for term in terms] == [date(2026, 12, 23), date(2027, 1, 23)]

    world.import_transfer(
        terms[0].amount_cents, booked_on=terms[0].due_date, at=at(terms[0].due_date)
    )
    world.run_days(date(2026, 12, 24), date(2027, 1, 19))
    the_insurer_refuses_the_line(world, date(2027, 1, 20))
    world.import_transfer(
        terms[1].amount_cents, booked_on=terms[1].due_date, at=at(terms[1].due_date)
    )
    world.run_days(date(2027, 1, 20), date(2027, 3, 5))

    invoice = world.invoice()
    assert invoice.arrangement is not None
    assert invoice.arrangement.status is ArrangementStatus.ACTIVE
    rest = next_term(invoice)
    assert rest is not None and (rest.due_date, rest.amount_cents) == (date(2027, 2, 19), DEDUCTED)
    assert world.days_sent(REMINDER) == [] and world.costs() == 0

    world.run(date(2027, 3, 6))  # the rest term missed by more than 14 days: R15

    assert world.invoice().arrangement.status is ArrangementStatus.CANCELLED  # type: ignore[union-attr]
    assert world.days_sent(REMINDER) == [date(2027, 3, 6)]


def four_terms_the_first_paid_then_granted_150(world: DunningWorld) -> ArrangementTerm:
    """An invoice of € 200,00 arranged on 25 November in four terms of € 52,50 (with the
    € 10,00 fee), the first paid on its day; on 10 January the insurer's retour grants
    € 150,00 of the treatment (€ 7,50 open). Its e-mails not yet delivered. The first
    term, as agreed."""
    invoice = one_invoice(20_000)
    world.store.put_invoice_as_is(
        replace(invoice, lines=(make_line(claim_ref="L-1", unit_price_cents=20_000),))
    )
    arranged = create_arrangement(world.invoice(), world.provider, 4, at(date(2026, 11, 25)))
    world.store.put_invoice_as_is(arranged)
    assert arranged.arrangement is not None
    first = arranged.arrangement.terms[0]
    assert first.amount_cents == 5_250
    world.import_transfer(first.amount_cents, booked_on=first.due_date, at=at(first.due_date))
    world.clock.set(at(date(2027, 1, 10)))
    claim = dental_claim("L-1", unit_price_cents=20_000, insurer_uzovi="3311")
    data = write_retour(MZ302_V13, HEADER, [claim], {"L-1": Granted(15_000, ())})
    ctx = IngestContext(world.store, world.files, world.queue, world.clock, REFERENCE_KEY)
    apply_retour(world.provider.provider_id, "r-1", data, ctx, file_name="retour.mz302")
    return first


def test_a_retour_that_grants_more_during_an_arrangement_asks_no_term_above_what_is_open():
    """R15, R5, R13: given an arrangement of four terms of € 52,50 (€ 200,00 and the € 10,00
    fee), the first paid, when the insurer's retour grants € 150,00 of the treatment, then
    € 7,50 is open and the next term, in the checker and in the patient's e-mail, asks
    € 7,50, not the agreed € 52,50 (a transfer of that would pay € 45,00 too much)."""
    world = a_world()
    four_terms_the_first_paid_then_granted_150(world)
    world.deliver()

    assert world.invoice().amount_due_cents == 750
    term = next_term(world.invoice())
    assert term is not None and (term.due_date, term.amount_cents) == (date(2027, 1, 23), 750)
    told = [mail for _, mail, _ in world.outbox.sent if mail.kind == INVOICE_CORRECTED]
    [text] = [mail.text for mail in told]
    assert format_euros(5_250) not in text and f"termijn is {format_euros(750)}" in text


def test_after_a_retour_that_grants_more_the_checker_lists_the_terms_the_letters_ask():
    """R15, R36, R10 (known.md stop 40, Portal): given the same arrangement of four terms of
    € 52,50, the first paid, and the retour that granted € 150,00 (€ 7,50 open), when the
    patient looks, then the checker's list of the terms (and the patient API's
    ``arrangement_terms``) shows what the dunning run and the e-mails ask: the paid first
    term as agreed, the next one of € 7,50 on its date (``next_term``), and no term the
    lowered claim leaves nothing to ask, not the agreed 4 x € 52,50."""
    from billing_core.entrypoints.http.patient_models import PaymentStatusOut
    from billing_core.services.patient import PatientContext, payment_status

    world = a_world()
    first = four_terms_the_first_paid_then_granted_150(world)

    view = payment_status(
        world.invoice().reference, PatientContext(world.store, world.queue, world.clock)
    )
    upcoming = next_term(world.invoice())
    assert upcoming is not None and upcoming.amount_cents == 750
    listed = [(t.due_date, t.amount_cents) for t in view.arrangement_terms]
    assert listed == [(first.due_date, 5_250), (upcoming.due_date, 750)]
    assert view.extra_term is None
    assert view.breakdown is not None and view.breakdown.term_cents == 750
    public = PaymentStatusOut.of(view, "https://pay.example").arrangement_terms
    assert [(t.due_date, t.amount) for t in public] == listed


# --- A raise after the costs (legal-nl.md §2, §4, §7; audit retour4) ---------------------

COSTS_ON = date(2027, 1, 15)  # the reminder of 31 December expired unpaid on 14 January


def in_default_with_costs(*later: tuple[EntryKind, int, date]) -> Invoice:
    """€ 200,00 invoiced, € 40,00 deducted as the insurer's part: € 160,00 asked, in
    default from 24 December 2026, € 40,00 BIK charged on 15 January 2027; then each
    (kind, cents, day) of ``later`` on the principal, written at 10:00 by one cause."""
    invoice = one_invoice(20_000)
    ledger = [
        *invoice.ledger,
        LedgerEntry(
            EntryKind.REIMBURSEMENT,
            Component.PRINCIPAL,
            -4_000,
            invoice.ledger[0].at,
            "declaration:d-1",
            "line L-1",
        ),
        LedgerEntry(EntryKind.COSTS, Component.COSTS, 4_000, at(COSTS_ON, 6), "dunning:x"),
    ]
    ledger += [
        LedgerEntry(kind, Component.PRINCIPAL, cents, at(day), "retour:r.mz302", "line L-1")
        for kind, cents, day in later
    ]
    return replace(
        invoice,
        ledger=tuple(ledger),
        dunning_stage=DunningStage.COSTS_CHARGED,
        costs_charged_on=COSTS_ON,
        sent_final_payment_date=invoice.final_payment_date,
    )


RAISED_20_JAN = ((EntryKind.REIMBURSEMENT, 4_000, date(2027, 1, 20)),)


@pytest.mark.parametrize(
    ("later", "until", "interest"),
    [
        # No raise: € 160,00 at 4 % from 24 December: 97 days to 31 March = 170,08 -> 170.
        ((), date(2027, 3, 31), 170),
        # The retour of 20 January raises € 40,00: its own final payment date is 20 January
        # + 30 days = 19 February, so until then only the € 160,00 is in default: 58 days
        # to 20 February = 101,70 -> 102 (before the fix: from 20 January, 115).
        (RAISED_20_JAN, date(2027, 2, 20), 102),
        # From 20 February on € 200,00: 102 + 39 days x 200 x 4 % / 365 = 85,48 -> 85:
        # 187 (before the fix 200: € 40,00 in default from the retour's own day).
        (RAISED_20_JAN, date(2027, 3, 31), 187),
        # An operator undoes a stop of € 40,00 entered by mistake (R34): the same.
        (((EntryKind.STOP, 4_000, date(2027, 1, 20)),), date(2027, 3, 31), 187),
        # A retour that grants € 10,00 more while € 10,00 coulance is booked back (one
        # change, net nothing): the base never dips, 170 as without it.
        (
            (
                (EntryKind.REIMBURSEMENT, -1_000, date(2027, 1, 20)),
                (EntryKind.COULANCE, 1_000, date(2027, 1, 20)),
            ),
            date(2027, 3, 31),
            170,
        ),
    ],
)
def test_a_raise_after_the_costs_is_in_default_only_after_its_own_final_payment_date(
    later, until, interest
):
    """legal-nl.md §2, §4, §7, R20: given an invoice in default with its costs charged, when
    an insurer's retour (or an operator's correction) raises what the patient pays, then
    the statutory interest on the raised part runs from the day after its own final
    payment date (the raise's day plus the payment term), not from the raise's day: no
    invoice, reminder or second notice asked that money, so the patient was not in
    default for it. Every figure by hand (4 % a year, actual/365, half-up per segment)."""
    invoice = in_default_with_costs(*later)

    assert interest_statement(invoice, until).total_cents == interest
