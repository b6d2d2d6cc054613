"""The daily dunning run on embedded AWS, from the scheduler's event to letters, costs,
interest and the handover (issue #5; R18-R20, R22, R23, R27).

The dental practice's invoices of 2026-11-23 have 2026-12-23 as final payment date: in
default from 2026-12-24, reminder on 2026-12-31 (R19 defaults).
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections import Counter
from datetime import date, datetime, time, timedelta

import boto3
import pytest

from billing_core.dunning.interest import accrued_interest
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.dunning.run import run_dunning
from billing_core.invoices.invoice import Channel, DunningStage
from billing_core.invoices.ledger import Component, EntryKind, balance
from billing_core.legal import collection_costs
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.providers.actions import ActionKind
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.resources import load_template, resources_of_type
from local.sandbox import REGION, sample_event
from local.seed import DENTAL
from tests.functional.conftest import lines_of_patient
from tests.functional.stored_items import store_status
from tests.unit.camt_builder import credit, statement

PROVIDER = DENTAL.provider_id
REMINDER_DAY = date(2026, 12, 31)


@pytest.fixture
def invoices(sandbox):
    """The practice's week: invoices e-mailed or printed, all unpaid."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(12))
    sandbox.drain_deliveries()
    found, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    return [i for i in found if not i.is_paid]


def stored(sandbox, invoice):
    return sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)


def run_on(sandbox, day):
    sandbox.clock.set(day)
    return sandbox.run_dunning()


def written_meanwhile(repository, invoice):
    """The repository's save, refused for ``invoice`` as when something else wrote it
    between the run's read and its write (R28)."""
    from billing_core.ports import ConcurrentChange

    save_invoices = repository.save_invoices

    def save(batch, new_actions=()):
        if any(i.invoice_id == invoice.invoice_id for i in batch):
            raise ConcurrentChange(invoice.invoice_id)
        return save_invoices(batch, new_actions)

    return save


def test_nothing_is_read_before_anything_is_due(sandbox, invoices):
    """Given unpaid invoices, when the run starts the day before their reminder day, then
    it reads nothing at all: the index holds them under their reminder day (R18)."""
    summary = run_on(sandbox, date(2026, 12, 30))
    assert (summary["read"], summary["actions"]) == (0, 0)


def test_the_reminder_day_sends_one_letter_per_addressee_once(sandbox, invoices):
    """Given unpaid invoices, when the reminder day's run runs, then every invoice is
    reminded, each addressee gets one letter (R19, legal-nl.md §2), e-mail or paper, and
    running the same day again sends nothing and changes nothing (R18)."""
    summary = run_on(sandbox, REMINDER_DAY)
    assert summary["steps"] == {"reminder": len(invoices)}
    assert summary["errors"] == [] and summary["complete"] is True
    after = [stored(sandbox, i) for i in invoices]
    assert {i.dunning_stage for i in after} == {DunningStage.REMINDED}
    letters = {i.reminder.letter_id for i in after}
    assert summary["letters"] == {REMINDER: len(letters)}
    leads = [i for i in after if i.invoice_id == i.reminder.lead_invoice_id]
    assert all(i.letters_due == () for i in after)  # the delivery recorded every letter
    assert all(any(c.kind == REMINDER for c in i.correspondence) for i in leads)
    mails_before = len(sandbox.outbox())
    prints_before = sandbox.output_keys("print/")

    again = run_on(sandbox, REMINDER_DAY)

    assert again["actions"] == 0 and again["letters"] == {}
    assert len(sandbox.outbox()) == mails_before and sandbox.output_keys("print/") == prints_before
    assert [stored(sandbox, i).version for i in invoices] == [i.version for i in after]


def test_costs_interest_and_handover_after_the_terms_pass(sandbox, invoices):
    """Given reminded invoices, when the reminder's term passes unpaid, then BIK is booked
    and the second notice sent; the checker shows principal + costs + interest of today
    (R20); 14 days later the claim goes to the collection agency with a handover file,
    the patient is blocked and the provider gets "call your patient" (R19, R22, R23)."""
    run_on(sandbox, REMINDER_DAY)
    invoice = stored(sandbox, next(i for i in invoices if i.channel is Channel.EMAIL))
    costs_day = invoice.reminder.final_date + (date(2027, 1, 2) - date(2027, 1, 1))

    summary = run_on(sandbox, costs_day)

    assert summary["steps"]["costs"] == len(invoices)
    charged = stored(sandbox, invoice)
    costs = balance(charged.ledger, Component.COSTS)
    assert 0 < costs <= charged.reminder.covered(charged.invoice_id).costs_cents
    lead = sandbox.runtime.repository.get_invoice(PROVIDER, charged.reminder.lead_invoice_id)
    assert any(c.kind == SECOND_NOTICE for c in lead.correspondence)
    later = date(2027, 1, 20)
    sandbox.clock.set(later)
    code, status = sandbox.api("GET", f"/api/v1/payment-status/{charged.reference}")
    interest = accrued_interest(charged, later)
    assert code == 200 and interest > 0
    assert status["amount_due"] == charged.balance_cents + interest

    handover_day = costs_day + (date(2027, 1, 15) - date(2027, 1, 1))
    summary = run_on(sandbox, handover_day)

    assert summary["steps"]["handover"] == len(invoices)
    handed = stored(sandbox, invoice)
    assert handed.dunning_stage is DunningStage.WITH_COLLECTION_AGENCY
    key = f"collection/{handover_day}/{PROVIDER}/{invoice.reference}.json"
    document = json.loads(sandbox.output_object(key))
    assert document["amounts_cents"]["collection_costs"] == costs
    assert document["amounts_cents"]["interest"] == accrued_interest(handed, handover_day) > 0
    assert "bsn" not in json.dumps(document).lower()
    actions = sandbox.runtime.repository.list_actions(PROVIDER)
    assert any(
        a.kind is ActionKind.COLLECTION_HANDOVER and a.invoice_id == invoice.invoice_id
        for a in actions
    )
    blocked = {b.patient_ref for b in sandbox.runtime.repository.blocked_patients(PROVIDER)}
    assert invoice.patient_ref in blocked
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["state"] == "with_collection_agency"
    assert run_on(sandbox, handover_day)["actions"] == 0  # replaying the day changes nothing


@pytest.mark.parametrize("read_at_hour", [5, 10], ids=["before-the-run", "after-the-run"])
def test_a_transfer_of_the_costs_day_pays_costs_interest_principal_read_before_or_after_the_run(
    sandbox, invoices, read_at_hour
):
    """legal-nl.md §2, §5 (audit legal2 LEGAL2-1). Given an invoice reminded by e-mail on
    31 December (term to 14 January), when a €100.00 transfer credited on the 15th is read
    at 05:00, before that day's 06:00 run charges the BIK, or at 10:00, after it, then
    either way the bank statement import and the run leave it allocated costs -> interest
    -> principal: the BIK the run charged (over the principal at the term's end), the 22
    days' interest up to it at 4%, the rest principal."""
    run_on(sandbox, REMINDER_DAY)
    invoice = max(
        (stored(sandbox, i) for i in invoices if i.channel is Channel.EMAIL),
        key=lambda i: i.balance_cents,
    )
    principal = invoice.balance_cents
    costs_day = date(2027, 1, 15)
    assert invoice.reminder.final_date == date(2027, 1, 14)
    transfer = credit(10_000, scor=invoice.reference, booking_date=costs_day.isoformat())

    def read_the_statement() -> None:
        sandbox.clock.set(datetime.combine(costs_day, time(read_at_hour), tzinfo=AMSTERDAM))
        (imported,) = sandbox.upload_bank_statement(statement(transfer), "costs-day.xml")[
            "imported"
        ]
        assert imported["booked"] == 1

    if read_at_hour < 6:
        read_the_statement()
    sandbox.clock.set(datetime.combine(costs_day, time(6), tzinfo=AMSTERDAM))
    assert sandbox.run_dunning()["steps"]["costs"] >= 1
    if read_at_hour > 6:
        read_the_statement()

    ledger = stored(sandbox, invoice).ledger
    bik = sum(e.amount_cents for e in ledger if e.kind is EntryKind.COSTS)
    assert (
        bik
        == collection_costs(principal)
        == invoice.reminder.covered(invoice.invoice_id).costs_cents
    )
    interest = (principal * 4 * 22 + 18_250) // 36_500  # 24 Dec - 14 Jan, half-up
    paid = {c: -balance((e for e in ledger if e.kind is EntryKind.PAYMENT), c) for c in Component}
    assert paid == {
        Component.COSTS: bik,
        Component.INTEREST: interest,
        Component.PRINCIPAL: 10_000 - bik - interest,
    }


def test_a_paid_invoice_leaves_the_run_and_a_deferred_one_waits(sandbox, invoices):
    """Given two open invoices, when one is paid and the other deferred (R14) before the
    reminder day, then the run reminds neither: the paid one is off the index, the
    deferred one is looked at again on its new reminder day."""
    paid, deferred = invoices[0], invoices[1]
    rt = sandbox.runtime
    book_payment(
        rt.repository,
        paid.reference,
        IncomingPayment("bank", "entry-1", paid.amount_due_cents, rt.clock.now()),
        clock=rt.clock,
    )
    body = {"birth_date": deferred.birth_date.isoformat()}
    code, _ = sandbox.api("POST", f"/api/v1/invoices/{deferred.reference}/deferral", body=body)
    assert code == 200

    summary = run_on(sandbox, REMINDER_DAY)

    assert stored(sandbox, paid).dunning_stage is DunningStage.NONE
    assert stored(sandbox, deferred).dunning_stage is DunningStage.NONE
    assert stored(sandbox, deferred).next_check_on == date(2027, 1, 30)
    assert summary["rescheduled"] >= 1


def test_after_missed_days_each_letter_is_queued_once(sandbox, invoices):
    """R18, R38, R39 (audit DUNNING1): the reminder moves an invoice's place on the
    by-next-action index to the run's day, after the paged Query's cursor.
    Given the practice's unpaid invoices whose reminder day (31 December) was four days ago
    When the run of 4 January reads the index three invoices a page
    Then each invoice is read and reminded once, each letter is one message on the
    delivery queue, and the summary (the metrics' source) says so."""
    day = date(2027, 1, 4)
    sandbox.clock.set(day)

    summary = run_dunning(sandbox.runtime.dunning_context(), day, page_size=3).answer()

    letters = {stored(sandbox, i).reminder.letter_id for i in invoices}
    assert summary["read"] == len(invoices) and summary["steps"] == {"reminder": len(invoices)}
    assert summary["letters"] == {REMINDER: len(letters)}
    assert len(queued_messages(sandbox)) == len(letters)


def queued_messages(sandbox):
    sqs = boto3.client("sqs", region_name=REGION)
    url = sandbox.resources.delivery_queue_url
    found = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        found += messages
    return found


def test_the_scheduler_event_and_a_replayed_day(sandbox, invoices):
    """Given the sample events, when the scheduler sends {} or an operator replays a day
    with as_of, then the run uses the sandbox's today or that day."""
    sandbox.clock.set(REMINDER_DAY)
    scheduled = sandbox.invoke("dunning_run", sample_event("dunning_run/scheduled.json"))
    assert scheduled["as_of"] == REMINDER_DAY.isoformat()
    sandbox.clock.set(date(2027, 1, 8))  # issue 12: a replay is of a day that has come
    replay = sandbox.invoke("dunning_run", sample_event("dunning_run/replay_day.json"))
    assert replay["as_of"] == "2027-01-07" and replay["actions"] == 0


def test_a_handover_that_loses_a_race_leaves_no_trace_and_is_retried(
    sandbox, invoices, monkeypatch
):
    """Given claims due for handover, when the invoice changes at the moment of the
    handover (a payment lands) and again at the second look the run takes, then that
    claim is listed in the run's conflicts, not its errors (an ordinary race pages no
    one, R39), the patient is not blocked for it and no file for it stays with the
    agency; the next run hands it over (R18, R22, R28)."""
    run_on(sandbox, REMINDER_DAY)
    invoice = stored(sandbox, invoices[0])
    costs_day = invoice.reminder.final_date + (date(2027, 1, 2) - date(2027, 1, 1))
    run_on(sandbox, costs_day)
    handover_day = costs_day + (date(2027, 1, 15) - date(2027, 1, 1))
    repository = sandbox.runtime.repository
    save_invoices = repository.save_invoices
    monkeypatch.setattr(repository, "save_invoices", written_meanwhile(repository, invoice))
    summary = run_on(sandbox, handover_day)

    assert summary["conflicts"] == [[invoice.invoice_id]] and summary["retried"] == 1
    assert summary["errors"] == [] and summary["complete"] is True
    assert stored(sandbox, invoice).dunning_stage is DunningStage.COSTS_CHARGED
    blocked = {b.patient_ref: b.invoice_ids for b in repository.blocked_patients(PROVIDER)}
    assert invoice.invoice_id not in blocked.get(invoice.patient_ref, ())
    assert sandbox.output_keys(f"collection/{handover_day}/{PROVIDER}/{invoice.reference}") == []

    monkeypatch.setattr(repository, "save_invoices", save_invoices)
    assert run_on(sandbox, handover_day)["steps"] == {"handover": 1}
    assert stored(sandbox, invoice).dunning_stage is DunningStage.WITH_COLLECTION_AGENCY


def test_r39_an_invoice_that_loses_the_race_every_day_is_emitted_where_its_alarm_reads(
    sandbox, invoices, monkeypatch, capsys
):
    """R18, R28, R39 (round 38): Given an invoice due its reminder that something writes
    at the moment of each run's write, on 31 December and on 1 January
    When the two daily runs run (metrics switched on)
    Then each run emits its conflict with the metric name, namespace and service
    dimension DunningConflictsRepeatedAlarm reads (template.yaml), so two such days page
    an operator; the invoice is still unreminded, and is no error."""
    alarms = resources_of_type(load_template(), "AWS::CloudWatch::Alarm")
    alarm = alarms["DunningConflictsRepeatedAlarm"]
    [service] = alarm["Dimensions"]
    invoice = invoices[0]
    repository = sandbox.runtime.repository
    monkeypatch.setattr(repository, "save_invoices", written_meanwhile(repository, invoice))
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    for day in (REMINDER_DAY, date(2027, 1, 1)):
        capsys.readouterr()
        summary = run_on(sandbox, day)
        lines = capsys.readouterr().out.splitlines()
        [emitted] = [json.loads(line) for line in lines if '"Dunning_read"' in line]

        assert summary["conflicts"] == [[invoice.invoice_id]] and summary["errors"] == []
        [directive] = emitted["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == alarm["Namespace"]
        assert directive["Dimensions"] == [[service["Name"]]]
        assert emitted[service["Name"]] == service["Value"]
        assert alarm["MetricName"] in {metric["Name"] for metric in directive["Metrics"]}
        assert emitted[alarm["MetricName"]] in (1, [1.0])
    assert stored(sandbox, invoice).reminder is None


def test_after_missed_runs_the_agency_files_of_the_missed_days_are_written_once(sandbox):
    """R34: "Payments received on our side for a claim at the agency reach the agency in
    a daily file". Given the run of 30 December went and those of 31 December and
    1 January were missed
    When the run is back on 2 January, and then an operator replays 31 December (R18)
    Then the run of 2 January writes the days from 30 December to 1 January and moves
    its mark (a conditional put on the table) to 1 January; the replay writes its own
    yesterday again and leaves the mark where it is, so the next run goes on from it."""
    run_on(sandbox, date(2026, 12, 30))
    repository = sandbox.runtime.repository
    assert repository.agency_files_written_through() == date(2026, 12, 29)

    back = run_on(sandbox, date(2027, 1, 2))
    replayed = sandbox.run_dunning(date(2026, 12, 31))
    following = run_on(sandbox, date(2027, 1, 3))

    assert back["agency_days"] == ["2026-12-30", "2027-01-01"] and back["complete"] is True
    assert replayed["agency_days"] == ["2026-12-30"]
    assert following["agency_days"] == ["2027-01-02"]
    assert repository.agency_files_written_through() == date(2027, 1, 2)


def test_r16_r19_a_second_notice_held_at_its_delivery_goes_the_day_after_the_hold(sandbox):
    """R16, R19 (round 51 bounce51b). Given an e-mailed claim whose costs day's run queued
    its second notice, and the practice put it on hold for 3 days before the queue
    delivered it (the delivery sends nothing and the notice waits on the invoice)
    When the runs go on after the hold
    Then the run of the day after the hold queues the same request, and it is sent that
    day, the handover counted from it (before: the delivery's idempotency answered the
    stored 'nothing sent' for 30 days: no notice and no handover for weeks)."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(1))
    sandbox.drain_deliveries()
    (invoice,) = sandbox.runtime.repository.list_invoices(PROVIDER)[0]
    assert invoice.channel is Channel.EMAIL
    run_on(sandbox, REMINDER_DAY)
    costs_day = stored(sandbox, invoice).reminder.final_date + (date(2027, 1, 2) - date(2027, 1, 1))
    sandbox.clock.set(costs_day)
    sandbox.invoke("dunning_run", {})  # queued; the queue has not delivered it yet
    until = date.fromordinal(costs_day.toordinal() + 3)
    hold = {"until": until.isoformat(), "reason": "Patiënt belt terug"}
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/hold"
    assert sandbox.api("POST", path, provider_id=PROVIDER, body=hold)[0] == 200
    sandbox.drain_deliveries()
    assert [p.kind for p in stored(sandbox, invoice).letters_due] == [SECOND_NOTICE]

    day_after = date.fromordinal(until.toordinal() + 1)
    for day in range(costs_day.toordinal() + 1, day_after.toordinal() + 1):
        run_on(sandbox, date.fromordinal(day))

    after = stored(sandbox, invoice)
    notices = [c.at.date() for c in after.correspondence if c.kind == SECOND_NOTICE]
    assert notices == [day_after] and after.letters_due == ()
    assert after.costs_charged_on == day_after


def test_r39_a_stored_invoice_that_does_not_load_is_listed_and_the_others_are_reminded(
    sandbox, invoices
):
    """R18, R39 (audit runs51): one bad invoice never stops the rest.
    Given unpaid invoices due their reminder, one of them stored with a status no
    invoice has (a malformed item, written by hand or by an old version)
    When the reminder day's run runs, and again the day after
    Then every other invoice is reminded, the broken one is listed by its id as the
    run's error (DunningRunIncompleteAlarm reads Dunning_errors) and is read; the day
    after, it is listed again and nothing else is done twice.
    Before: the run raised at the page holding it and reminded no one, every day."""
    broken, *others = invoices
    store_status(sandbox, PROVIDER, broken.invoice_id, "not-a-status")

    summary = run_on(sandbox, REMINDER_DAY)

    assert summary["errors"] == [{"invoices": [broken.invoice_id], "error": "UnreadableInvoice"}]
    assert summary["steps"] == {"reminder": len(others)}
    assert summary["read"] == len(invoices)
    assert {stored(sandbox, i).dunning_stage for i in others} == {DunningStage.REMINDED}
    next_day = run_on(sandbox, date(2027, 1, 1))
    assert next_day["errors"] == summary["errors"] and next_day["actions"] == 0


def test_r39_a_long_run_logs_how_far_it_is_without_personal_data(sandbox, invoices, monkeypatch):
    """R39, R29 (audit runs51): a run of 3,000 invoices due took minutes on moto with
    not one line until its report at the end (or none, killed at Lambda's time limit).
    Given the unpaid invoices due their reminder and progress told every 2 invoices read
    When the reminder day's run runs, its function logging at INFO
    Then a "dunning run progress" line comes each time 2 more invoices are read, with
    counts that grow and end at most at the report's: no name, e-mail or kenmerk."""
    from billing_core.dunning import run

    monkeypatch.setattr(run, "PROGRESS_EVERY", 2)
    logger = sandbox.handler("dunning_run").logger
    level = logger.log_level
    logger.setLevel("INFO")  # the sandbox logs warnings only; the function logs INFO
    written = io.StringIO()
    for handler in logger.handlers:  # bound to the stdout of when the module was loaded
        monkeypatch.setattr(handler, "stream", written)
    try:
        summary = run_on(sandbox, REMINDER_DAY)
    finally:
        logger.setLevel(level)

    lines = [json.loads(line) for line in written.getvalue().splitlines() if "{" in line]
    progress = [line for line in lines if line.get("message") == "dunning run progress"]
    assert len(progress) == len(invoices) // 2 >= 2
    reads = [line["read"] for line in progress]
    assert reads == sorted(reads) and reads[-1] <= summary["read"]
    assert all(line["level"] == "INFO" and line["errors"] == 0 for line in progress)
    assert [line["actions"] for line in progress] == reads  # each one read was reminded
    text = json.dumps(progress)
    for invoice in invoices:
        person = invoice.patient
        assert invoice.reference not in text and person.last_name not in text
        assert not person.email or person.email not in text


def test_r34_r39_a_run_past_the_agency_cap_with_nobody_due_goes_on_and_raises_no_alarm(
    sandbox, monkeypatch
):
    """R34, R39 (brief runs58 item 1): a run that wrote the agency files of 31 missed days
    and had no patient due answered complete: false with no place to go on from: the
    function did not go on, Dunning_incomplete rang DunningRunIncompleteAlarm on a run
    that did all it may, and the other days waited a day.
    Given the agency files written through 28 November and no invoice due on 31 December
    When the schedule starts the run of 31 December, and each call the function makes to
    itself is delivered (one of them twice)
    Then the first part writes 31 days and calls the function again with a place after
    every invoice of the day; the next writes the 32nd, 30 December, and ends
    the run: complete, counted Dunning_incomplete 0; the call delivered again is answered
    from its record and writes nothing."""
    from billing_core.entrypoints import continued_runs
    from tests.functional.conftest import emitted_metrics

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(continued_runs, "call_itself", lambda _, event: calls.append(event))
    emitted = emitted_metrics(sandbox, monkeypatch, "dunning_run")
    repository = sandbox.runtime.repository
    repository.note_agency_files_written(date(2026, 11, 28))
    sandbox.clock.set(REMINDER_DAY)

    parts = [sandbox.invoke("dunning_run", {})]
    while len(calls) >= len(parts):
        parts.append(sandbox.invoke("dunning_run", calls[len(parts) - 1]))
    again = sandbox.invoke("dunning_run", calls[-1])

    assert [(p["read"], p["agency_days"], p["complete"]) for p in parts] == [
        (0, ["2026-11-29", "2026-12-29"], False),
        (0, ["2026-11-29", "2026-12-30"], True),
    ]
    assert calls == [
        {
            "as_of": "2026-12-31",
            "continue_from": ["2026-12-31", "~", "agency-files", "2026-12-29"],
            "earlier_parts": calls[0]["earlier_parts"],
            "run": calls[0]["run"],  # the run's id (parts58b)
        }
    ]
    assert repository.agency_files_written_through() == date(2026, 12, 30)
    assert (emitted["Dunning_incomplete"], emitted["Dunning_read"]) == (0, 0)
    assert again == parts[-1] and len(calls) == 1


def test_r18_r39_a_run_out_of_time_goes_on_in_calls_to_itself_and_does_each_step_once(
    sandbox, invoices, monkeypatch
):
    """R18, R39 (audit runs51b): a run that reached Lambda's time limit stopped with
    complete: false and nothing ran the rest until an operator or the next day's run (a
    day late on legal terms).
    Given the unpaid invoices due their reminder and a function that has time for one
    patient per call only (its safety margin more than Lambda gives)
    When the reminder day's schedule starts the run
    Then each part takes one patient, stops, and calls the function again with the day
    and the first place it did not do (ids only); the parts together read every invoice
    once and remind each once, as one uninterrupted run: one step per invoice, one letter
    per addressee queued and sent, no alarm on a part that goes on; the last part's
    answer is the whole run's (runs53b: it said read 1 where the run read them all), the
    earlier ones' the counts so far; a part delivered again is answered from its record
    and does and calls nothing; the same day's run after it does nothing."""
    from billing_core.entrypoints import continued_runs

    monkeypatch.setattr(continued_runs, "SAFETY_MARGIN_MS", 10**9)
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(continued_runs, "call_itself", lambda _, event: calls.append(event))
    sandbox.clock.set(REMINDER_DAY)

    parts = [sandbox.invoke("dunning_run", {})]
    while len(calls) >= len(parts):
        parts.append(sandbox.invoke("dunning_run", calls[len(parts) - 1]))
    sandbox.drain_deliveries()

    patients = {invoice.patient_ref for invoice in invoices}
    assert len(parts) == len(patients) >= 3 and len(calls) == len(parts) - 1
    assert all(call["as_of"] == REMINDER_DAY.isoformat() for call in calls)
    assert [len(call["continue_from"]) for call in calls] == [4] * len(calls)
    whole = parts[-1]
    assert (whole["read"], whole["steps"], whole["actions"]) == (
        len(invoices),
        {"reminder": len(invoices)},
        len(invoices),
    )
    # Each part adds its patient's invoices to the counts so far.
    reads = [part["read"] for part in parts]
    per_part = [now - before for before, now in itertools.pairwise([0, *reads])]
    per_patient = Counter(invoice.patient_ref for invoice in invoices).values()
    assert sorted(per_part) == sorted(per_patient)
    assert [part.get("parts", 1) for part in parts] == list(range(1, len(parts) + 1))
    letters = whole["letters"]
    reminded = [stored(sandbox, invoice) for invoice in invoices]
    assert {invoice.dunning_stage for invoice in reminded} == {DunningStage.REMINDED}
    sent = {c.message_id for i in reminded for c in i.correspondence if c.kind == REMINDER}
    assert letters == {REMINDER: len(sent)} and len(sent) == len(
        {i.reminder.letter_id for i in reminded}
    )
    assert (
        whole["agency_days"]
        == parts[0]["agency_days"]
        == [(REMINDER_DAY - timedelta(days=1)).isoformat()]
    )
    assert [part["complete"] for part in parts] == [False] * len(calls) + [True]
    assert "continue_from" not in whole
    assert all(part["errors"] == [] for part in parts)
    assert whole["earlier_parts"] == {"errors": 0, "conflicts": 0}
    outbox = len(sandbox.outbox())

    again = sandbox.invoke("dunning_run", calls[-1])
    sandbox.drain_deliveries()

    assert again == parts[-1] and len(calls) == len(parts) - 1
    assert len(sandbox.outbox()) == outbox
    assert sandbox.run_dunning()["actions"] == 0


def parts_of_a_run(sandbox, monkeypatch, *, first_only=False):
    """The reminder day's run (its first part only, ``first_only``), with time for one
    patient per part: each part's answer, and each call a part made to itself (the next
    part's event)."""
    from billing_core.entrypoints import continued_runs

    monkeypatch.setattr(continued_runs, "SAFETY_MARGIN_MS", 10**9)
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(continued_runs, "call_itself", lambda _, event: calls.append(event))
    sandbox.clock.set(REMINDER_DAY)
    parts = [sandbox.invoke("dunning_run", {})]
    while len(calls) >= len(parts) and not first_only:
        parts.append(sandbox.invoke("dunning_run", calls[len(parts) - 1]))
    return parts, calls


def test_r39_an_unreadable_invoice_met_by_two_parts_of_a_run_is_one_error(
    sandbox, invoices, monkeypatch
):
    """R18, R39 (ops53): the errors' invoice ids were not carried from part to part.
    Given the unpaid invoices due their reminder, the last patient's on the index stored
    with a status no invoice has, and a function with time for one patient per call
    When the reminder day's run goes on in parts (each reads the index page ahead, where
    the broken item lies)
    Then the broken invoice is one error of the run and read once: the last part's answer
    (whose counts make Dunning_errors and Dunning_read) says 1 error, every invoice read
    once; the first part names it, the later ones do not again, each call carries its id.
    Before: 3 parts, 3 errors for 1 invoice, 6 read of 4."""
    in_index_order = sorted(invoices, key=lambda i: (i.patient_ref, i.invoice_id))
    broken = in_index_order[-1]
    store_status(sandbox, PROVIDER, broken.invoice_id, "not-a-status")

    parts, calls = parts_of_a_run(sandbox, monkeypatch)

    whole = parts[-1]
    assert len(parts) >= 3 and whole["parts"] == len(parts)
    assert [len(part["errors"]) for part in parts] == [1] + [0] * (len(parts) - 1)
    assert parts[0]["errors"] == [{"invoices": [broken.invoice_id], "error": "UnreadableInvoice"}]
    assert whole["earlier_parts"]["errors"] + len(whole["errors"]) == 1
    assert whole["read"] == len(invoices)
    assert all(call["earlier_parts"]["error_invoices"] == [broken.invoice_id] for call in calls)


def test_r39_an_unreadable_invoice_met_in_the_agency_files_then_by_a_later_part_is_read_once(
    sandbox, invoices, monkeypatch
):
    """R18, R39 (runs54; ops53 left it): a part counted an unreadable item of the index
    in read only if no earlier part had met it as an error, the agency's files included.
    Given the last patient's invoice on the index stored with a status no invoice has
    since its week's agency file of 23 November (the run of 24 November owes that file
    again until it is mended), an index page of one invoice and time for one patient per
    part
    When the reminder day's run goes on in parts: the first writes the owed file again
    (meeting the broken invoice) and stops before its page; a later part reads it there
    Then the whole run read every invoice of the index once, 4 of 4, and the broken one
    is one error. Before: read 3 of 4."""
    from billing_core.dunning import run

    # One invoice per page: the first part does not read the broken one ahead.
    monkeypatch.setitem(run.run_dunning.__kwdefaults__, "page_size", 1)
    in_index_order = sorted(invoices, key=lambda i: (i.patient_ref, i.invoice_id))
    broken = in_index_order[-1]
    store_status(sandbox, PROVIDER, broken.invoice_id, "not-a-status")
    owing = run_on(sandbox, date(2026, 11, 24))
    assert owing["errors"] == [{"invoices": [broken.invoice_id], "error": "UnreadableInvoice"}]

    parts, _ = parts_of_a_run(sandbox, monkeypatch)

    whole = parts[-1]
    assert len(parts) >= 3 and parts[0]["errors"] == owing["errors"]
    assert whole["read"] == len(invoices)
    assert whole["earlier_parts"]["errors"] + len(whole["errors"]) == 1


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"read": None}, "earlier_parts.read: Field required"),
        ({"read": "many"}, "earlier_parts.read: Input should be a valid integer"),
        ({"steps": {"reminder": -1}}, "earlier_parts.steps.reminder: Input should be greater"),
        ({"agency_days": ["2026-13-40"]}, "earlier_parts.agency_days.0: Value error, not a day"),
    ],
    ids=["missing", "not-a-number", "negative", "not-a-day"],
)
def test_r39_a_hand_made_part_with_malformed_earlier_parts_is_refused_naming_the_field(
    sandbox, invoices, monkeypatch, function_log, change, named
):
    """R39, R29 (ops53): an operator's replay of a part whose earlier_parts was edited by
    hand raised KeyError (or ValueError) in the run's summary: the invocation failed into
    Lambda's retries and the failure queue, each retry failing the same way.
    Given the call a run's first part made to itself, with one count of its earlier
    parts missing or malformed
    When that event is handled
    Then it is answered refused, naming the field and never the value given, with an ERROR
    line "run refused" saying the same and no run's line; nothing is reminded or recorded,
    so the well-formed call goes on afterwards as if the refused one had not come."""
    [first], calls = parts_of_a_run(sandbox, monkeypatch, first_only=True)
    event = calls[0]
    earlier = {
        name: value
        for name, value in (event["earlier_parts"] | change).items()
        if value is not None
    }
    log = function_log("dunning_run")

    answer = sandbox.invoke("dunning_run", event | {"earlier_parts": earlier})

    assert list(answer) == ["refused"] and named in answer["refused"]
    assert "many" not in answer["refused"] and "2026-13-40" not in answer["refused"]
    lines = [json.loads(line) for line in log.getvalue().splitlines() if line.startswith("{")]
    refused = [line for line in lines if line["message"] == "run refused"]
    assert [(line["level"], line["refused"]) for line in refused] == [("ERROR", answer["refused"])]
    assert not [line for line in lines if line["message"] in ("invocation failed", "dunning run")]
    assert len(calls) == 1  # no next part called
    reminded = [stored(sandbox, i).dunning_stage for i in invoices].count(DunningStage.REMINDED)
    assert reminded == first["steps"]["reminder"]
    second = sandbox.invoke("dunning_run", event)
    assert (second["parts"], second["read"] > first["read"]) == (2, True)


def test_r34_r39_an_invoice_of_the_agency_files_week_that_does_not_load_stops_nothing(
    sandbox, invoices
):
    """R34, R39 (audit runs51c item 1): one bad invoice never stops the rest.
    Given the practice's invoices of Monday 23 November, one of them stored with a status
    no invoice has (a malformed item), all in the ledger-week index of week 48
    When the run of 24 November writes the agency's files of 23 November, then goes on
    Then it does: the broken invoice is listed once by its id as the run's error (the
    DunningRunIncompleteAlarm reads Dunning_errors), the day is written and its mark moved
    on, so the run of the day after writes the next day.
    Before: reading week 48 raised, before the run's loop: every run that week failed,
    for every practice (no reminder, no agency file), retried and failed again."""
    broken = invoices[0]
    store_status(sandbox, PROVIDER, broken.invoice_id, "not-a-status")

    summary = run_on(sandbox, date(2026, 11, 24))

    assert summary["errors"] == [{"invoices": [broken.invoice_id], "error": "UnreadableInvoice"}]
    assert (summary["agency_days"], summary["complete"]) == (["2026-11-23"], True)
    assert sandbox.runtime.repository.agency_files_written_through() == date(2026, 11, 23)
    assert run_on(sandbox, date(2026, 11, 25))["agency_days"] == ["2026-11-24"]


def arranged_largest(sandbox, invoices):
    """The largest e-mailed invoice, in an arrangement of two terms made on 25 November:
    its first term due on 23 December, missed for more than 14 days on 7 January (R15)."""
    largest = max(
        (i for i in invoices if i.channel is Channel.EMAIL), key=lambda i: i.amount_due_cents
    )
    sandbox.clock.set(date(2026, 11, 25))
    body = {"birth_date": largest.birth_date.isoformat(), "terms": 2}
    path = f"/api/v1/invoices/{largest.reference}/arrangement"
    code, answer = sandbox.api(
        "POST", path, body=body, headers={"Content-Type": "application/json"}
    )
    assert code == 200 and answer["terms"][0]["due_date"] == "2026-12-23", answer
    return largest


def test_r18_r15_a_replayed_day_cancels_the_arrangement_and_reminds_on_that_day(sandbox, invoices):
    """R18, R15 (audit replay53). Given an arrangement whose first term (23 December) was
    missed for 14 days on 7 January, and the run of 7 January did not run
    When an operator replays 7 January on the morning of 8 January, then the 8th runs
    Then the arrangement is cancelled on 7 January and its reminder is the 7th's letter
    (dated, and its term counted, as the run of that day would have; the delivery dates
    what it sends by the day it goes). Before: cancelled at the replay's clock, the 8th,
    so the replay sent no reminder; the 8th's run sent it, a day late (or, replaying a
    day long passed, the reminder waited for the next real run)."""
    arranged = arranged_largest(sandbox, invoices)
    run_on(sandbox, date(2027, 1, 6))

    sandbox.clock.set(datetime.combine(date(2027, 1, 8), time(6), tzinfo=AMSTERDAM))
    replayed = sandbox.invoke("dunning_run", {"as_of": "2027-01-07"})

    after = stored(sandbox, arranged)
    assert replayed["arrangements_cancelled"] == 1 and replayed["steps"] == {"reminder": 1}
    assert after.arrangement.cancelled_at.astimezone(AMSTERDAM).date() == date(2027, 1, 7)
    assert after.reminder.sent_on == date(2027, 1, 7)
    assert [letter.since for letter in after.letters_due] == [date(2027, 1, 7)]
    assert run_on(sandbox, date(2027, 1, 8))["actions"] == 0


def test_r18_r20_a_replayed_costs_day_books_the_costs_on_that_day(sandbox, invoices):
    """R18, R20, R27 (audit replay53). Given invoices reminded by e-mail on 31 December,
    their term to 14 January, and no run on 15 January, the costs day
    When an operator replays 15 January on the morning of the 16th
    Then the BIK is booked dated 15 January (recorded on the 16th), as the run of the 15th
    would have booked it (the handover file shows the agency that day).
    Before: dated by the replay's clock, the 16th."""
    run_on(sandbox, REMINDER_DAY)
    emailed_ones = [i for i in invoices if i.channel is Channel.EMAIL]
    replay_at = datetime.combine(date(2027, 1, 16), time(6), tzinfo=AMSTERDAM)
    sandbox.clock.set(replay_at)

    replayed = sandbox.invoke("dunning_run", {"as_of": "2027-01-15"})

    assert replayed["steps"]["costs"] == len(emailed_ones)
    for invoice in emailed_ones:
        (costs,) = [e for e in stored(sandbox, invoice).ledger if e.kind is EntryKind.COSTS]
        assert costs.at.astimezone(AMSTERDAM).date() == date(2027, 1, 15)
        assert costs.recorded == replay_at
        assert stored(sandbox, invoice).costs_charged_on == date(2027, 1, 15)


def test_r30_an_email_about_two_invoices_is_in_the_outbox_under_its_lead_whatever_the_order(
    sandbox, monkeypatch
):
    """R30, R18, interfaces.md §5 (localerr56: the outbox gave a reminder covering two
    invoices the kenmerk of whichever of them the scan of the invoices read last, not the
    lead's it is named after: 6 of the 8 such e-mails of a week read another).
    Given a patient's two e-mailed invoices of one day, reminded in one letter on 31 December
    When the sandbox user reads the outbox, the invoices read in the store's order and then
    in reverse
    Then both times the reminder is listed once, under its lead's kenmerk: one of the two
    invoices', the first the letter asks to pay, the one its attachment is named after."""
    week = lines_of_patient(declaration_csv(12), "PAT000004")  # the pair's alone: the
    # other six invoices only cost make test time; both scan orders are read below
    sandbox.upload_declaration(PROVIDER, "week-47.csv", week)
    again = week.replace(b"\nR", b"\nS")  # the same patient, new lines
    sandbox.upload_declaration(PROVIDER, "week-47b.csv", again)
    sandbox.drain_deliveries()
    emailed = [
        i for i in sandbox.runtime.repository.list_invoices(PROVIDER)[0] if i.addressee.email
    ]
    pair = {i.reference for i in emailed if i.patient_ref == emailed[0].patient_ref}
    assert len(pair) == 2
    run_on(sandbox, REMINDER_DAY)
    sandbox.drain_deliveries()

    read_in_order = type(sandbox)._correspondence
    in_order = reminders_about(sandbox, pair)
    monkeypatch.setattr(
        type(sandbox), "_correspondence", lambda box: reversed(list(read_in_order(box)))
    )
    in_reverse = reminders_about(sandbox, pair)

    assert in_order == in_reverse
    [(kenmerk, attachment, text)] = in_order
    assert kenmerk in pair
    first_in_the_letter = re.search(r"kenmerk=([0-9]+)", text)
    assert first_in_the_letter is not None and first_in_the_letter[1] == kenmerk
    assert attachment == f"herinnering-{kenmerk}.pdf"


def reminders_about(sandbox, references: set[str]) -> list[tuple[str, str, str]]:
    """(kenmerk, attachment, text) of each reminder in the outbox whose attachment names one
    of ``references``."""
    return [
        (mail["kenmerk"], attachment, mail["text"])
        for mail in sandbox.outbox()
        for attachment in [a["filename"] for a in mail["attachments"]]
        if attachment.startswith("herinnering-")
        and attachment.removeprefix("herinnering-").removesuffix(".pdf") in references
    ]
