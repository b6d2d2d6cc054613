"""R39, R3, R24, R19 (parts58): a part of a run in parts (the dunning run's, the
retrocession run's) delivered again after Powertools' record of it went (its 24 hours,
or its in-progress time passed when it could not be saved: Lambda delivers an
asynchronous call at least once, and a part's event can be replayed from
ScheduleFailureQueue for 14 days) was done and counted again: a later part of the dunning
run found nothing left on the index and logged the whole run again, so the reminders
were counted again for letters sent once; the retrocession run's wrote its
practice's statement again and counted it, and the run's finish, again. Each finished
part is marked (entrypoints/finished_parts.py): a delivery again is answered from the
marker, ``DeliveredAgain``, and does nothing, sends nothing and counts nothing again.
The marks are their run's (parts58b): a rerun of the day or week (the runbook's "mend
the item, then rerun the week") does its own parts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from billing_core.payments.booking import IncomingPayment, book_payment
from local.generate import declaration_csv
from local.sandbox import REGION, Sandbox
from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import (
    delivered_dental_week,
    emailed,
    emitted_metrics,
    idempotency_records_expired,
)
from tests.functional.test_record_not_saved import (
    Run,
    _calls_to_itself,
    _dunning_run,
    _retrocession_run,
)
from tests.functional.test_retrocession import MONDAY_AFTER


def _dunning_in_parts(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Given the dental practice's unpaid week of 3 patients (8 lines) and time for one
    patient a part: the reminder day's run (3 parts)."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(8))
    sandbox.drain_deliveries()
    return lambda: _dunning_run(sandbox, _calls_to_itself(monkeypatch))


def _retrocession_in_parts(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Given a paid e-mailed invoice at each practice in week 48 (a few lines each), the
    clock on the Monday after, and time for one practice a part: the Monday run (2 parts).
    """
    sandbox.upload_declaration(PHYSIO.provider_id, "week-48.csv", declaration_csv(3, seed=3))
    invoices = delivered_dental_week(sandbox, 3, "week-48.csv")
    invoices += sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)[0]
    for n, invoice in enumerate(emailed(invoices)):
        paid = IncomingPayment("bank", f"E2E-48-{n}", invoice.amount_due_cents, sandbox.clock.now())
        book_payment(sandbox.runtime.repository, invoice.reference, paid, clock=sandbox.clock)
    sandbox.clock.set(MONDAY_AFTER)
    return lambda: _retrocession_run(sandbox, _calls_to_itself(monkeypatch))


RUNS = {"dunning": ("dunning_run", _dunning_in_parts)}
RUNS["retrocession"] = ("retrocession_run", _retrocession_in_parts)


def _part_events(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, function: str
) -> list[dict[str, Any]]:
    """The events of the run's parts after its first (their ``continue_from``), as each
    came, with what the part answered."""
    module = sandbox.handler(function)
    handler = module.lambda_handler
    parts: list[dict[str, Any]] = []

    def invoked(event: dict[str, Any], context: Any) -> Any:
        answer = handler(event, context)
        if "continue_from" in event:
            parts.append({"event": event, "answer": answer})
        return answer

    monkeypatch.setattr(module, "lambda_handler", invoked)
    return parts


@pytest.mark.parametrize("run", ["dunning", "retrocession"])
def test_r39_a_part_delivered_again_after_its_record_went_does_and_counts_nothing_again(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, run: str
) -> None:
    """R39 (a run's counts say what it did, once), R3, R19, R24.
    Given a run in parts that finished (time for one patient or practice a part), its
    letters delivered
    When Powertools' records of its parts are gone and each part's event is delivered again
    Then each is answered as its first delivery was, counted UploadsDeliveredAgain and
    nothing else: no step, statement, letter or next part again; each part's mark is
    kept 15 days (longer than ScheduleFailureQueue keeps a part's record, 14 days).
    When (the retrocession run), the records gone again, the week is run again from its
    start (the runbook's rerun)
    Then the rerun, another run (its own id in each part's event), does each of its parts,
    none answered from the first run's marks; and a part of the rerun delivered again
    (same run id) after its record went is answered delivered again.
    Before (parts58, measured with 4 patients and 2 practices of 13 lines then, the
    givens cut since): the dunning run's 3 later parts, each finding nothing left on the index,
    each logged the run finished with the counts it carried: Dunning_read,
    Dunning_reminder and Dunning_letter_dunning_reminder 6 more, for 4 reminders sent
    once (none queued again); the retrocession run's last part wrote the dental statement
    again and counted Retrocession_statements 1, Retrocession_entries 9 and
    Retrocession_run_finished 1 again. Before parts58b, with marks keyed by day and
    place only: the rerun's last part was answered from the first run's mark
    (UploadsDeliveredAgain 1): its practice's statement not written again, the rerun's
    finish not counted."""
    function, given = RUNS[run]
    run_it = given(sandbox, monkeypatch)
    came = _part_events(sandbox, monkeypatch, function)
    run_it()
    parts = list(came)  # as they came the first time
    sandbox.drain_deliveries()
    sent, printed = len(sandbox.outbox()), len(sandbox.printed_letters())
    queued = sandbox.deliveries_queued
    idempotency_records_expired(sandbox)
    emitted = emitted_metrics(sandbox, monkeypatch, function)
    next_parts = _calls_to_itself(monkeypatch)

    again = [sandbox.invoke(function, part["event"]) for part in parts]
    sandbox.drain_deliveries()

    assert again == [part["answer"] for part in parts]
    assert emitted == {"UploadsDeliveredAgain": len(parts)}
    assert next_parts == []
    assert sandbox.deliveries_queued == queued
    assert (len(sandbox.outbox()), len(sandbox.printed_letters())) == (sent, printed)
    table = boto3.resource("dynamodb", region_name=REGION).Table(sandbox.names.table_name)
    marks = table.query(KeyConditionExpression=Key("pk").eq("RUN#parts"))["Items"]
    kept = int((sandbox.clock.now() + timedelta(days=15)).timestamp())
    assert [mark["expires_at"] for mark in marks] == [kept] * len(parts)
    [first_run] = {part["event"]["run"] for part in parts}
    if run == "dunning":
        return  # a rerun of the day finds nothing left due (its reminders sent): one part

    # When the week is run again (the runbook's rerun), its records gone
    idempotency_records_expired(sandbox)
    emitted.clear()
    run_it()
    rerun = came[2 * len(parts) :]  # after the first run's and its deliveries again

    # Then each of its parts is done, under its own run's id, none answered as done
    [second_run] = {part["event"]["run"] for part in rerun}
    assert second_run != first_run
    assert [part["event"]["continue_from"] for part in rerun] == [
        part["event"]["continue_from"] for part in parts
    ]
    assert "UploadsDeliveredAgain" not in emitted
    marks = table.query(KeyConditionExpression=Key("pk").eq("RUN#parts"))["Items"]
    assert len(marks) == 2 * len(parts)

    # And a part of the rerun delivered again after its record went is answered from its mark
    idempotency_records_expired(sandbox)
    emitted.clear()
    assert sandbox.invoke(function, rerun[-1]["event"]) == rerun[-1]["answer"]
    assert emitted == {"UploadsDeliveredAgain": 1}
