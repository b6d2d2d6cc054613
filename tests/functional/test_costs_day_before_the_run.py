"""The day after the reminder's term, before the 06:00 run has charged the costs (audit
plans2): the term expired unpaid, so from that day the amount due adds the BIK and the
statutory interest (R20, legal-nl.md §2), whatever the hour. Only a deferral or an
arrangement granted *during* the term moves the default (§2); one asked on the costs day
finds the claim as the run leaves it."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from billing_core.invoices.invoice import Channel, DunningStage
from billing_core.invoices.ledger import EntryKind
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.seed import DENTAL
from tests.unit.camt_builder import credit, statement

PROVIDER = DENTAL.provider_id
JSON = {"Content-Type": "application/json"}
REMINDER_DAY = date(2026, 12, 31)  # the first run after the final date, 23 December
COSTS_DAY = date(2027, 1, 15)  # the reminder's term ran to 14 January


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


@pytest.fixture
def reminded(sandbox):
    """The largest e-mailed invoice (€ 106,98 open, final date 23 December), reminded on
    31 December (term to 14 January, announced BIK € 40,00), unpaid."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(12))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    invoice = max(
        (i for i in invoices if i.channel is Channel.EMAIL), key=lambda i: i.amount_due_cents
    )
    sandbox.clock.set(at(REMINDER_DAY, 6))
    sandbox.run_dunning()
    return invoice


def stored(sandbox, invoice):
    return sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)


def ask(sandbox, invoice, what, **body):
    return sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/{what}",
        body={"birth_date": invoice.birth_date.isoformat(), **body},
        headers=JSON,
    )


@pytest.mark.parametrize("hour", [5, 7], ids=["before-the-run", "after-the-run"])
def test_r15_r20_an_arrangement_on_the_costs_day_covers_the_costs_before_the_run_too(
    sandbox, reminded, hour
):
    """Given the reminder's term expired unpaid on 14 January, when the patient asks for
    three terms on 15 January at 05:00 (before the 06:00 run) or at 07:00 (after it), then
    both arrangements are the same: € 106,98 + BIK € 40,00 + the interest up to the terms +
    fee € 10,00 = € 157,91, the costs booked and dated the 15th (R15, R20, legal-nl.md §2).
    Before the fix the 05:00 one was € 116,98 and the run, paused by it, never charged the
    BIK."""
    if hour > 6:
        sandbox.clock.set(at(COSTS_DAY, 6))
        sandbox.run_dunning()
    sandbox.clock.set(at(COSTS_DAY, hour))
    code, body = ask(sandbox, reminded, "arrangement", terms=3)
    assert code == 200, body
    assert body["total"] == 15_791
    assert [term["amount"] for term in body["terms"]] == [5_263, 5_263, 5_265]

    # When the day's run comes (again), it takes no step and charges nothing twice
    sandbox.clock.set(at(COSTS_DAY, 8))
    sandbox.run_dunning()
    invoice = stored(sandbox, reminded)
    costs = [e.amount_cents for e in invoice.ledger if e.kind is EntryKind.COSTS]
    assert costs == [4_000]
    assert invoice.dunning_stage is DunningStage.COSTS_CHARGED
    assert invoice.costs_charged_on == COSTS_DAY
    assert invoice.arrangement is not None and invoice.arrangement.total_cents == 15_791
    # And the checker tells the same as the arrangement's e-mail: the first term
    status = sandbox.api("GET", f"/api/v1/payment-status/{reminded.reference}")[1]
    assert status["state"] == "arrangement_active"
    assert status["breakdown"]["costs"] == 4_000
    assert status["breakdown"]["term"] == 5_263
    # And none waits on it; asked before the run, no second notice asks for the invoice
    # under the arrangement (after the run, the 06:00 one went before it was asked)
    assert invoice.letters_due == ()
    notices = [c for c in invoice.correspondence if c.kind == "second_notice"]
    assert len(notices) == (0 if hour < 6 else 1)


@pytest.mark.parametrize("hour", [5, 7], ids=["before-the-run", "after-the-run"])
def test_r14_r20_no_deferral_on_the_costs_day_before_the_run_either(sandbox, reminded, hour):
    """Given the reminder's term expired unpaid on 14 January, when the patient asks for the
    deferral on 15 January at 05:00 (before the run) or at 07:00 (after it), then it is
    refused alike ("deferral_gives_no_time"): the costs are due from that day (R20,
    legal-nl.md §2; only a deferral during the term moves the default), and the run charges
    the BIK of € 40,00 on the 15th. Before the fix the 05:00 one was granted to
    22 January and put the costs off a week (R14)."""
    if hour > 6:
        sandbox.clock.set(at(COSTS_DAY, 6))
        sandbox.run_dunning()
    sandbox.clock.set(at(COSTS_DAY, hour))
    code, body = ask(sandbox, reminded, "deferral")
    assert code == 409 and body["error"]["code"] == "deferral_gives_no_time", body

    sandbox.clock.set(at(COSTS_DAY, 8))
    sandbox.run_dunning()
    invoice = stored(sandbox, reminded)
    assert invoice.deferral is None
    assert invoice.costs_charged_on == COSTS_DAY
    assert [e.amount_cents for e in invoice.ledger if e.kind is EntryKind.COSTS] == [4_000]


def checker(sandbox, invoice):
    code, body = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert code == 200, body
    return body


def test_r10_r20_the_checker_before_the_run_on_the_costs_day_says_what_the_run_makes_of_it(
    sandbox, reminded
):
    """Given the reminder's term expired unpaid on 14 January, when the patient looks at
    the checker on 15 January at 05:00 (before the 06:00 run) and again at 07:00 (after
    it), then both say the same: € 106,98 + BIK € 40,00 + interest € 0,26 = € 147,24 due
    (R10, R20, legal-nl.md §2: from the day after the term the amount due adds the BIK and
    the interest, whatever the hour), at the second notice's step, no date passed; the
    date to pay by is the notice's, 28 January, once it went at 06:00, and none before
    (R19: the 14 days count from a notice not yet sent, checker53).
    And the read at 05:00 writes nothing: the run still charges the costs (audit
    costsday2; before the fix 05:00 said € 106,98 and "pay by 14 January", passed)."""
    sandbox.clock.set(at(COSTS_DAY, 5))
    before = checker(sandbox, reminded)
    page_code, page_before = sandbox.api(
        "GET", "/", query={"kenmerk": reminded.reference, "lang": "nl"}
    )
    untouched = stored(sandbox, reminded)
    assert untouched.dunning_stage is DunningStage.REMINDED
    assert not [e for e in untouched.ledger if e.kind is EntryKind.COSTS]
    assert untouched.letters_due == ()

    sandbox.clock.set(at(COSTS_DAY, 6))
    sandbox.run_dunning()
    sandbox.clock.set(at(COSTS_DAY, 7))
    after = checker(sandbox, reminded)

    # the notice still to go at 05:00: no day before the agency yet, and the answer says it
    # waits, as the state line (R19; apiwords55), all else alike
    assert (before["breakdown"].pop("pay_by"), before.pop("second_notice_waits")) == (None, True)
    assert (after["breakdown"].pop("pay_by"), after.pop("second_notice_waits")) == (
        "2027-01-28",
        False,
    )
    assert before == after
    assert after["breakdown"]["due"] == 14_724
    assert after["breakdown"]["costs"] == 4_000
    assert after["breakdown"]["interest"] == 26
    assert after["breakdown"]["pay_by_kind"] == "second_notice"
    assert after["breakdown"]["pay_by_passed"] is False
    # And the page says it too: the amount, and no date, none passed
    assert page_code == 200
    assert "147,24" in page_before and 'id="pay-by"' not in page_before
    assert "14 januari 2027" not in page_before and "28 januari 2027" not in page_before


def test_r11_r20_ideal_before_the_run_on_the_costs_day_asks_and_books_the_costs(sandbox, reminded):
    """Given the reminder's term expired unpaid on 14 January, when the patient starts
    iDEAL on 15 January at 05:00, then it asks € 147,24, what the checker shows (R11,
    R20); and when that payment is booked at 05:01, before the run, it pays the BIK, the
    interest and the principal, as one booked after the run (legal-nl.md §2, §5): paid,
    nothing refunded, and the run charges nothing twice. Before the fix iDEAL asked
    € 106,98; paying the checker's € 147,24 had € 40,26 refunded at once and the run,
    finding the invoice paid, never charged the BIK (audit costsday2)."""
    sandbox.clock.set(at(COSTS_DAY, 5))
    code, body = ask(sandbox, reminded, "payments")
    assert code == 201, body
    checkout = sandbox.runtime.payment_links.get_checkout(body["payment_id"])
    assert checkout.amount_cents == 14_724

    sandbox.clock.set(at(COSTS_DAY, 5).replace(minute=1))
    assert sandbox.complete_psp_payment(body["payment_id"], "paid")["statusCode"] == 200
    sandbox.drain_deliveries()
    invoice = stored(sandbox, reminded)
    assert invoice.is_paid and invoice.credit_cents == 0
    assert not [e for e in invoice.ledger if e.kind is EntryKind.REFUND]
    assert [e.amount_cents for e in invoice.ledger if e.kind is EntryKind.COSTS] == [4_000]
    assert invoice.costs_charged_on == COSTS_DAY
    assert invoice.letters_due == ()

    sandbox.clock.set(at(COSTS_DAY, 6))
    sandbox.run_dunning()
    invoice = stored(sandbox, reminded)
    assert invoice.is_paid and invoice.credit_cents == 0
    assert [e.amount_cents for e in invoice.ledger if e.kind is EntryKind.COSTS] == [4_000]
    # Paid in full: the second notice asks nothing and goes to no one
    assert not [c for c in invoice.correspondence if c.kind == "second_notice"]


def test_r20_a_transfer_read_before_the_run_on_the_costs_day_sends_the_second_notice_then(
    sandbox, reminded
):
    """R20, R30, legal-nl.md §2 (round 45 sending3: does the bank import queue the letter
    as the iDEAL path does?). Given the reminder's term expired unpaid on 14 January,
    when a CAMT.053 statement read on 15 January at 05:00 (before the 06:00 run) books a
    transfer of that day of € 116,98, more than the claim without the costs but less than
    with them, then the booking charges the BIK first and the second notice for the rest
    (€ 30,26) goes out at once, e-mailed at 05:00 with the "payment received" mail, not
    left for the run; and the run sends it no second time."""
    sandbox.clock.set(at(COSTS_DAY, 5))
    transfer = credit(11_698, scor=reminded.reference, booking_date=COSTS_DAY.isoformat())
    (imported,) = sandbox.upload_bank_statement(statement(transfer), "costs-day.xml")["imported"]
    assert imported["booked"] == 1
    sandbox.drain_deliveries()

    invoice = stored(sandbox, reminded)
    assert invoice.dunning_stage is DunningStage.COSTS_CHARGED
    assert invoice.amount_due_cents == 3_026 and invoice.letters_due == ()
    sent = [(c.kind, c.channel, c.at) for c in invoice.correspondence]
    assert ("payment_received", Channel.EMAIL, at(COSTS_DAY, 5)) in sent
    assert ("second_notice", Channel.EMAIL, at(COSTS_DAY, 5)) in sent

    sandbox.clock.set(at(COSTS_DAY, 6))
    sandbox.run_dunning()
    notices = [c for c in stored(sandbox, reminded).correspondence if c.kind == "second_notice"]
    assert len(notices) == 1


@pytest.mark.parametrize("costs_day_run", [True, False], ids=["run-on-time", "run-missed"])
def test_r18_r20_a_missed_costs_day_run_loses_no_costs_to_a_payment_before_the_next_run(
    sandbox, reminded, costs_day_run
):
    """R18, R20, legal-nl.md §2, §5 (audit dates51). Given the reminder's term expired
    unpaid on 14 January, and the run of 15 January ran at 06:00 or was missed (the
    scheduler down), when a transfer of € 106,98 (the claim without the costs) dated
    15 January is read on 16 January at 05:00, before that day's run, then the claim
    ends as on time: BIK € 40,00 charged, the transfer paid the costs first, then the
    interest to the 15th (€ 0,26), then principal (§5): € 40,26 stays due; the run of the
    16th charges nothing twice. Before the fix the missed run's claim was paid, no BIK
    ever charged: the result depended on the scheduler, not on the payment's date
    ("the result after a late payment equals what it would have been had every payment
    been known on its date", §2)."""
    # Given the costs day's run on time, or missed
    if costs_day_run:
        sandbox.clock.set(at(COSTS_DAY, 6))
        sandbox.run_dunning()
    # When the bank's statement of the 15th is read on the 16th at 05:00
    next_day = date(2027, 1, 16)
    sandbox.clock.set(at(next_day, 5))
    transfer = credit(10_698, scor=reminded.reference, booking_date=COSTS_DAY.isoformat())
    (imported,) = sandbox.upload_bank_statement(statement(transfer), "next-day.xml")["imported"]
    assert imported["booked"] == 1
    # And the day's run comes
    sandbox.clock.set(at(next_day, 6))
    sandbox.run_dunning()

    # Then the BIK is charged once and the payment went to it first
    invoice = stored(sandbox, reminded)
    assert [e.amount_cents for e in invoice.ledger if e.kind is EntryKind.COSTS] == [4_000]
    assert invoice.dunning_stage is DunningStage.COSTS_CHARGED
    assert not invoice.is_paid
    assert invoice.amount_due_cents == 4_026
    assert invoice.costs_charged_on == (COSTS_DAY if costs_day_run else next_day)
    # And one second notice asks for the rest
    notices = [c for c in invoice.correspondence if c.kind == "second_notice"]
    assert len(notices) == 1
