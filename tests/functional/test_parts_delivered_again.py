"""R39, R3, R24, R19 (parts58): a part of a run in parts (the dunning run's, the
retrocession run's) delivered again after Powertools' record of it went (its 24 hours,
or its in-progress time passed when it could not be saved: Lambda delivers an
asynchronous call at least once, and a part's event can be replayed from
ScheduleFailureQueue for 14 days) was done and counted again: a later part of the dunning
run found nothing left on the index and logged the whole run again, so the reminders
were counted again for letters sent once; the retrocession run's wrote its
practice's statement again and counted it, and the run's finish, again. Each finished
part is marked (entrypoints/finished_parts.py): a delivery again is answered from the
marker, ``DeliveredAgain``, and does nothing, sends nothing and counts nothing again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from local.sandbox import REGION, Sandbox
from tests.functional.conftest import emitted_metrics, idempotency_records_expired
from tests.functional.test_record_not_saved import RUNS, _calls_to_itself


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
    Before: the dunning run's 3 later parts, each finding nothing left on the index,
    each logged the run finished with the counts it carried: Dunning_read,
    Dunning_reminder and Dunning_letter_dunning_reminder 6 more, for 4 reminders sent
    once (none queued again); the retrocession run's last part wrote the dental statement
    again and counted Retrocession_statements 1, Retrocession_entries 9 and
    Retrocession_run_finished 1 again."""
    function, given = RUNS[run]
    run_it = given(sandbox, monkeypatch)
    parts = _part_events(sandbox, monkeypatch, function)
    run_it()
    parts = list(parts)  # as they came the first time
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
