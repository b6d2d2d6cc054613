"""When the amount adjusted by the insurer's statement is due, and what the dunning run
does meanwhile (legal-nl.md §7: "you then get the adjusted amount by e-mail and pay that
before the final payment date ... The first reminder of such an invoice waits until its
statement is in or the provider's ``coulance.statement_wait_days`` (default 30) after the
final payment date have passed; an adjusted amount gets a new final payment date
(confirmation + the provider's payment term)"; R17, R19; audit care D2, D3).

The invoice: €100.00, final payment date 23 December 2026, payment term 30 days. The
statement: €30.00 reimbursed and €20.00 eigen risico withheld, so the patient pays €60.00.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from billing_core.changes.coulance_policy import CoulanceMode, CoulancePolicy
from billing_core.correspondence.kinds import COULANCE_DECLINED, STOP_CONFIRMATION
from billing_core.dunning.breakdown import breakdown
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import Channel
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.patient import (
    PatientContext,
    StatementOutcome,
    StatementView,
    payment_status,
    submit_insurer_statement,
)
from billing_core.services.provider.actions import CoulanceDecision, decide_coulance
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import Refused
from tests.unit.dunning_world import DunningWorld, one_invoice, paper_invoice
from tests.unit.factories import make_provider
from tests.unit.test_invoice_pdf import shown as pdf_text

AUTOMATIC = CoulanceMode.AUTOMATIC
CONFIRMS = CoulanceMode.PROVIDER_CONFIRMS


def world_of(mode: CoulanceMode, *, wait: bool = True, invoices: int = 1) -> DunningWorld:
    """A practice without contracts (every insurer is non-contracted) and its invoices."""
    provider = make_provider(coulance=CoulancePolicy(wait_for_statement=wait, mode=mode))
    return DunningWorld(
        [one_invoice(10_000 if invoices == 1 else 200_000, number=n + 1) for n in range(invoices)],
        provider,
    )


def at_ten(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=AMSTERDAM)


def send_statement(world: DunningWorld, day: date, invoice_id: str = "inv-1") -> StatementOutcome:
    """The patient sends €30.00 reimbursed and €20.00 withheld eigen risico at 10:00 (on
    a €2,000.00 invoice the 60% minimum applies: €1,200.00)."""
    return send_figures(world, day, 3_000, 2_000, invoice_id).outcome


def send_figures(
    world: DunningWorld, day: date, reimbursed: int, withheld: int, invoice_id: str = "inv-1"
) -> StatementView:
    """The patient sends the statement's figures at 10:00; the checker's answer."""
    world.clock.set(at_ten(day))
    invoice = world.invoice(invoice_id)
    view = submit_insurer_statement(
        invoice.reference,
        BirthDate(invoice.birth_date),
        reimbursed,
        withheld,
        PatientContext(world.store, world.queue, world.clock),
    )
    world.deliver()
    return view


def practice_decides(world: DunningWorld, day: date, decision: CoulanceDecision) -> None:
    """The practice applies or declines the proposal on its action list at 10:00."""
    world.clock.set(at_ten(day))
    (action,) = world.store.list_actions(world.provider.provider_id)
    context = world.provider_context()
    decide_coulance(
        ProviderUser(world.provider.provider_id, "u-1", Role.STAFF),
        action.action_id,
        decision,
        context,
    )
    world.deliver()


def stop_email(world: DunningWorld):
    (email,) = [email for _, email, _ in world.outbox.sent if email.kind == STOP_CONFIRMATION]
    return email


def sent(world: DunningWorld, kind: str, invoice_id: str = "inv-1") -> list[date]:
    return [day for letter, day in world.letters(invoice_id) if letter == kind]


# --- D2: adjusted after the reminder, before the costs ----------------------------------


@pytest.mark.parametrize(
    "mode, confirmed_on, new_final_date",
    [
        # the statement itself confirms it (automatic policy)
        (AUTOMATIC, date(2027, 1, 25), date(2027, 2, 24)),
        # the practice confirms it three days later
        (CONFIRMS, date(2027, 1, 28), date(2027, 2, 27)),
    ],
)
def test_an_amount_adjusted_after_the_reminder_gets_a_new_final_date_and_a_new_reminder(
    mode, confirmed_on, new_final_date
):
    """legal-nl.md §7, §2. Given the reminder of 23 January for €100.00 (the wait for the
    statement is over; term to 8 February), when the statement comes in on 25 January
    and the adjusted €60.00 is confirmed, then it is due by the confirmation plus 30
    days, the e-mail says so, and that letter supports no costs: it asked the old
    amount. No costs and no second notice; a new reminder for €60.00 seven days into
    the new default."""
    world = world_of(mode)
    world.run_days(date(2026, 12, 24), date(2027, 1, 24))
    assert sent(world, REMINDER) == [date(2027, 1, 23)]
    send_statement(world, date(2027, 1, 25))
    if mode is CONFIRMS:
        world.run_days(date(2027, 1, 26), confirmed_on - timedelta(days=1))
        practice_decides(world, confirmed_on, CoulanceDecision.APPLY)

    invoice = world.invoice()
    assert (invoice.amount_due_cents, invoice.current_final_payment_date) == (6_000, new_final_date)
    email = stop_email(world)
    says = f"€\u00a060,00, uiterlijk {new_final_date.day} februari 2027"
    assert says in email.text and says in email.html

    new_reminder_day = new_final_date + timedelta(days=8)
    world.run_days(confirmed_on, new_reminder_day)
    assert world.costs() == 0 and sent(world, SECOND_NOTICE) == []
    assert sent(world, REMINDER) == [date(2027, 1, 23), new_reminder_day]
    reminder = world.invoice().reminder
    assert reminder is not None and reminder.due_cents == 6_000


def test_an_adjusted_amount_of_a_combined_letter_leaves_the_costs_to_the_other_invoice():
    """legal-nl.md §3, §7. Given one reminder for €2,000 + €2,000 (announced €525.00),
    when A's amount is adjusted in the term, then A gets no costs under that letter and
    B the staffel over its own €2,000: €300.00."""
    world = world_of(AUTOMATIC, wait=False, invoices=2)
    world.run_days(date(2026, 12, 24), date(2026, 12, 31))
    assert len(world.invoice("inv-1").reminder.covers) == 2
    send_statement(world, date(2027, 1, 5), "inv-1")

    world.run_days(date(2027, 1, 1), date(2027, 1, 15))

    assert (world.costs("inv-1"), world.costs("inv-2")) == (0, 30_000)
    assert world.invoice("inv-1").current_final_payment_date == date(2027, 2, 4)


def test_an_amount_adjusted_after_the_costs_keeps_them_and_names_the_second_notice_date():
    """Decision where legal-nl.md §7 is silent: once the costs were charged they stand
    (they were due on a letter whose term expired unpaid, §2, §3); the adjusted amount
    gets no new final payment date, and the e-mail names the date that counts, the last
    day of the second notice (R36), never a past one."""
    world = world_of(AUTOMATIC)
    world.run_days(date(2026, 12, 24), date(2027, 2, 10))
    assert sent(world, SECOND_NOTICE) == [date(2027, 2, 9)] and world.costs() == 4_000

    send_statement(world, date(2027, 2, 11))

    invoice = world.invoice()
    assert world.costs() == 4_000 and invoice.current_final_payment_date == date(2026, 12, 23)
    assert "uiterlijk 22 februari 2027" in stop_email(world).text


# --- D3: the proposal waits on the practice's action list -------------------------------


def test_the_first_reminder_waits_while_the_proposal_is_on_the_practices_list():
    """legal-nl.md §7. Given a statement sent on 15 December whose proposal the practice
    does not decide, then no reminder on 31 December: it waits, as without a statement,
    until 30 days after the final payment date have passed (23 January). The checker
    does not ask for the statement again."""
    world = world_of(CONFIRMS)
    assert send_statement(world, date(2026, 12, 15)) is StatementOutcome.SENT_TO_PROVIDER
    view = payment_status(
        world.invoice().reference, PatientContext(world.store, world.queue, world.clock)
    )
    assert not view.awaits_insurer_statement and not view.can_send_statement

    world.run_days(date(2026, 12, 24), date(2027, 1, 22))
    assert sent(world, REMINDER) == []
    world.run(date(2027, 1, 23))
    assert sent(world, REMINDER) == [date(2027, 1, 23)]


def test_a_proposal_applied_before_the_wait_ends_gets_its_own_final_date():
    """legal-nl.md §7. Given the statement of 15 December on the practice's list, when
    the practice applies it on 10 January, then €60.00 is due by 9 February (the
    e-mail says so), and the first reminder, for €60.00, comes on 17 February."""
    world = world_of(CONFIRMS)
    send_statement(world, date(2026, 12, 15))
    world.run_days(date(2026, 12, 24), date(2027, 1, 9))
    practice_decides(world, date(2027, 1, 10), CoulanceDecision.APPLY)

    assert "€\u00a060,00, uiterlijk 9 februari 2027" in stop_email(world).text
    world.run_days(date(2027, 1, 10), date(2027, 2, 17))
    assert sent(world, REMINDER) == [date(2027, 2, 17)] and world.costs() == 0
    assert world.invoice().reminder.due_cents == 6_000


def test_a_declined_proposal_lets_the_reminder_go_at_once():
    """legal-nl.md §7, R19. Given the statement on the practice's list, when the practice
    declines it on 5 January, then the amount stays €100.00 and the reminder, already
    due since 31 December, goes with the next run."""
    world = world_of(CONFIRMS)
    send_statement(world, date(2026, 12, 15))
    world.run_days(date(2026, 12, 24), date(2027, 1, 5))
    practice_decides(world, date(2027, 1, 5), CoulanceDecision.DECLINE)

    world.run(date(2027, 1, 6))

    assert sent(world, REMINDER) == [date(2027, 1, 6)]
    assert world.invoice().amount_due_cents == 10_000


def test_a_proposal_applied_after_everything_was_paid_books_and_mails_nothing():
    """R17: the figures of the day of the decision; paid in full since the statement,
    nothing is forgiven and no e-mail says the amount was lowered."""
    world = world_of(CONFIRMS)
    send_statement(world, date(2026, 12, 15))
    world.import_transfer(10_000, booked_on=date(2026, 12, 16), at=at_ten(date(2026, 12, 16)))

    practice_decides(world, date(2026, 12, 20), CoulanceDecision.APPLY)

    assert world.invoice().balance_cents == 0
    assert [email for _, email, _ in world.outbox.sent if email.kind == STOP_CONFIRMATION] == []


def test_a_declined_proposal_is_told_to_the_patient_with_what_is_due_and_by_when():
    """R17, legal-nl.md §7: the patient was told not to pay yet; given the statement on the
    practice's list, when the practice declines it, then the patient gets one e-mail with
    the amount and the date the checker shows that day (dunning/breakdown), in both parts."""
    world = world_of(CONFIRMS)
    send_statement(world, date(2026, 12, 15))

    practice_decides(world, date(2026, 12, 18), CoulanceDecision.DECLINE)
    practice_decides(world, date(2026, 12, 18), CoulanceDecision.DECLINE)  # sent twice

    (email,) = [e for _, e, _ in world.outbox.sent if e.kind == COULANCE_DECLINED]
    due = breakdown(world.invoice(), world.provider.dunning, date(2026, 12, 18))
    assert (due.due_cents, due.pay_by or world.invoice().final_payment_date) == (
        10_000,
        date(2026, 12, 23),
    )
    assert email.subject.startswith("Uw nota blijft ongewijzigd")
    for part in (email.text, email.html):
        assert "besloten het bedrag van uw nota niet te verlagen" in part
        assert "U betaalt €\u00a0100,00, uiterlijk 23 december 2026." in part


def test_a_declined_proposal_goes_on_paper_to_a_patient_without_email():
    """R7: without an e-mail address the same sentences go to the day's print batch."""
    provider = make_provider(coulance=CoulancePolicy(mode=CONFIRMS))
    world = DunningWorld([paper_invoice(10_000)], provider)
    send_statement(world, date(2026, 12, 15))

    practice_decides(world, date(2026, 12, 18), CoulanceDecision.DECLINE)

    assert world.outbox.sent == []
    (letter,) = [c for c in world.invoice().correspondence if c.kind == COULANCE_DECLINED]
    assert letter.channel is Channel.PAPER
    shown = " ".join(pdf_text(world.files.files[letter.message_id]).split())
    assert "U betaalt € 100,00, uiterlijk 23 december 2026." in shown


# --- nothing to forgive: the old amount is the adjusted amount (LATE2-2) ----------------


@pytest.mark.parametrize("mode", [AUTOMATIC, CONFIRMS])
def test_a_statement_with_nothing_to_forgive_gets_a_new_final_date_and_an_email(mode):
    """legal-nl.md §7, R37, R10, R36 (the owners' decision, round 40: an adjusted amount
    that equals the old one). Given the €100.00 invoice "don't pay yet" past its final
    date of 23 December (the first reminder waits until 23 January), when the patient
    sends on 10 January a statement of €90.00 reimbursed and €10.00 eigen risico, then
    the policy forgives nothing and puts nothing on the practice's list, yet the patient
    hears what the invoice promised: one e-mail with the amount and a new final payment
    date (10 January + 30 days = 9 February), which the checker's answer names too. No
    reminder, and so no interest or costs, before that date has passed: the first one
    comes seven days into the new default, on 17 February."""
    world = world_of(mode)
    world.run_days(date(2026, 12, 24), date(2027, 1, 9))

    view = send_figures(world, date(2027, 1, 10), 9_000, 1_000)

    assert view.outcome is StatementOutcome.NOTHING_TO_FORGIVE
    assert world.store.list_actions(world.provider.provider_id) == []
    assert world.invoice().current_final_payment_date == date(2027, 2, 9)
    (email,) = [e for _, e, _ in world.outbox.sent if e.kind == COULANCE_DECLINED]
    assert email.subject.startswith("Uw nota blijft ongewijzigd")
    for part in (email.text, email.html):
        assert "Het bedrag van uw nota blijft daarmee gelijk." in part
        assert "besloten" not in part  # nobody decided: the policy had nothing to forgive
        assert "U betaalt €\u00a0100,00, uiterlijk 9 februari 2027." in part
    assert view.confirmation_sent
    assert (view.amount_due_cents, view.final_payment_date) == (10_000, date(2027, 2, 9))

    world.run_days(date(2027, 1, 10), date(2027, 2, 17))
    assert sent(world, REMINDER) == [date(2027, 2, 17)] and world.costs() == 0
    reminder = world.invoice().reminder
    assert reminder is not None and reminder.due_cents == 10_000


def test_a_statement_with_nothing_to_forgive_goes_on_paper_to_a_patient_without_email():
    """R7, legal-nl.md §7: without an e-mail address the same sentences go to the day's
    print batch, as a declined proposal's do."""
    provider = make_provider(coulance=CoulancePolicy(mode=AUTOMATIC))
    world = DunningWorld([paper_invoice(10_000)], provider)

    view = send_figures(world, date(2026, 12, 15), 10_000, 0)

    assert world.outbox.sent == []
    (letter,) = [c for c in world.invoice().correspondence if c.kind == COULANCE_DECLINED]
    assert letter.channel is Channel.PAPER
    shown = " ".join(pdf_text(world.files.files[letter.message_id]).split())
    assert "U betaalt € 100,00, uiterlijk 14 januari 2027." in shown
    assert not view.confirmation_sent


def test_a_statement_with_nothing_to_forgive_after_the_costs_keeps_them_and_their_date():
    """legal-nl.md §7, R19, R36: as an adjusted amount after the costs: they stand, the
    invoice's own date does not move, and the e-mail names the second notice's date."""
    world = world_of(AUTOMATIC)
    world.run_days(date(2026, 12, 24), date(2027, 2, 10))
    assert world.costs() == 4_000

    view = send_figures(world, date(2027, 2, 11), 10_000, 0)

    assert world.costs() == 4_000
    assert world.invoice().current_final_payment_date == date(2026, 12, 23)
    (email,) = [e for _, e, _ in world.outbox.sent if e.kind == COULANCE_DECLINED]
    assert "uiterlijk 22 februari 2027" in email.text
    assert view.final_payment_date == date(2027, 2, 22)


# --- sent again: the first answer lost after the save (R38) -----------------------------


@pytest.mark.parametrize(
    ("mode", "reimbursed", "withheld", "kind", "outcome"),
    [
        (CONFIRMS, 9_000, 1_000, COULANCE_DECLINED, StatementOutcome.NOTHING_TO_FORGIVE),
        (AUTOMATIC, 9_000, 1_000, COULANCE_DECLINED, StatementOutcome.NOTHING_TO_FORGIVE),
        (AUTOMATIC, 3_000, 2_000, STOP_CONFIRMATION, StatementOutcome.APPLIED),
    ],
)
def test_a_statement_sent_again_after_its_email_failed_gets_its_email_once(
    mode, reimbursed, withheld, kind, outcome
):
    """R38, R3, legal-nl.md §7 (audit retries4 RETRIES4-1). Given the €100.00 invoice
    past its final date, and the delivery queue failing once
    When the patient sends the statement on 10 January, it is saved, its e-mail cannot be
    queued (the checker answers 5xx), and the patient sends the same figures again
    Then the second answer is the first one's (not 409 statement_already_received), and
    the patient gets the e-mail with the amount and the new date once; sent a third time,
    still once (the delivery sends each event once)."""
    world = world_of(mode)
    world.run_days(date(2026, 12, 24), date(2027, 1, 9))
    enqueue = world.queue.enqueue

    def fails_once(requests):
        world.queue.enqueue = enqueue
        raise RuntimeError("1 delivery messages were not queued")

    world.queue.enqueue = fails_once
    with pytest.raises(RuntimeError):
        send_figures(world, date(2027, 1, 10), reimbursed, withheld)

    again = send_figures(world, date(2027, 1, 10), reimbursed, withheld)
    send_figures(world, date(2027, 1, 10), reimbursed, withheld)

    assert (again.outcome, again.final_payment_date) == (outcome, date(2027, 2, 9))
    assert again.confirmation_sent
    assert [e.kind for _, e, _ in world.outbox.sent if e.kind == kind] == [kind]


def test_a_statement_sent_again_while_the_practice_decides_sends_nothing_yet():
    """R38, R17: Given a statement whose proposal waits on the practice's list
    When the patient sends the same figures again
    Then the answer is the first one (sent to the practice, no date yet), nothing is
    e-mailed and the list holds one proposal."""
    world = world_of(CONFIRMS)
    first = send_figures(world, date(2027, 1, 10), 3_000, 2_000)

    again = send_figures(world, date(2027, 1, 10), 3_000, 2_000)

    assert first.outcome is again.outcome is StatementOutcome.SENT_TO_PROVIDER
    assert again.final_payment_date is None and not again.confirmation_sent
    assert len(world.store.list_actions(world.provider.provider_id)) == 1
    told = {COULANCE_DECLINED, STOP_CONFIRMATION}
    assert [e.kind for _, e, _ in world.outbox.sent if e.kind in told] == []


def test_other_figures_or_the_same_a_day_later_are_another_statement_refused():
    """R17: one statement per invoice: other figures, or the same ones sent after a
    retry's lifetime, are refused as already received."""
    world = world_of(AUTOMATIC)
    send_figures(world, date(2027, 1, 10), 9_000, 1_000)

    with pytest.raises(Refused) as other:
        send_figures(world, date(2027, 1, 10), 8_000, 1_000)
    with pytest.raises(Refused) as later:
        send_figures(world, date(2027, 1, 12), 9_000, 1_000)

    assert other.value.code == later.value.code == "statement_already_received"
