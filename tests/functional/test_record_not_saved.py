"""R39, R3, R38 (idemsave57): a run that did its work and counted it, and whose Powertools
idempotency record could then not be saved (DynamoDB throttled), failed its invocation:
Lambda (or S3, or an operator's redrive from the failure queue) delivered it again once the
record's in-progress time had passed, and the run was done and counted again. Nothing
stored was doubled (conditional writes, markers), but the metrics the alarms read were:
a dunning run's last part counted its earlier parts' reminders again, a retrocession
run's last part its own statements. The work that was done is answered instead, the
failure logged (``entrypoints.powertools.idempotent``), so nothing asks for it again."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from billing_core.invoices.invoice import DunningStage
from local.generate import declaration_csv
from local.sandbox import REGION, Sandbox
from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import emitted_metrics
from tests.functional.test_dunning_run import REMINDER_DAY
from tests.functional.test_retour_replay import CLAIMS, PHYSIO_FILE, _retour
from tests.functional.test_retrocession import MONDAY_AFTER, _both_weeks_paid
from tests.unit.camt_builder import credit, statement


def _last_record_refused_once(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Given the idempotency table refusing, once, the record of the first answer that
    ends its run (a part that goes on carries ``continue_from``; an upload's answer never
    does): the answers it refused."""
    from aws_lambda_powertools.utilities.idempotency.persistence.base import (
        BasePersistenceLayer,
    )

    save_success = BasePersistenceLayer.save_success
    refused: list[dict[str, Any]] = []

    def throttled_once(self: BasePersistenceLayer, data: Any, result: Any) -> None:
        if not refused and "continue_from" not in result:
            refused.append(result)
            raise RuntimeError("ProvisionedThroughputExceededException")
        save_success(self, data, result)

    monkeypatch.setattr(BasePersistenceLayer, "save_success", throttled_once)
    return refused


def _retried_as_lambda_does(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, function: str
) -> list[str]:
    """Given ``function``'s invocations, each that fails delivered again once its records'
    in-progress time passed (Lambda's retry, S3's notification again, a redrive): the
    errors its invocations failed with."""
    module = sandbox.handler(function)
    handler = module.lambda_handler
    failures: list[str] = []

    def invoked(event: dict[str, Any], context: Any) -> Any:
        try:
            return handler(event, context)
        except Exception as error:  # noqa: BLE001 - Lambda retries whatever failed
            failures.append(type(error).__name__)
            # The clock's doing, not the handler's: in a thread of its own, which the
            # IAM audit of the handler's calls (iam_audit, per thread) leaves out.
            passing = threading.Thread(target=_in_progress_time_passed, args=(sandbox,))
            passing.start()
            passing.join()
            return handler(event, context)

    monkeypatch.setattr(module, "lambda_handler", invoked)
    return failures


def _in_progress_time_passed(sandbox: Sandbox) -> None:
    """What the clock does to a record left in progress: Powertools takes it again."""
    table = boto3.resource("dynamodb", region_name=REGION).Table(
        sandbox.names.idempotency_table_name
    )
    for item in table.scan()["Items"]:
        if item["status"] == "INPROGRESS":
            table.update_item(
                Key={"id": item["id"]},
                UpdateExpression="SET in_progress_expiration = :passed",
                ExpressionAttributeValues={":passed": 0},
            )


Run = Callable[[], dict[str, int]]  # runs the run: what it counts, once


def _dunning_in_parts(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Given the dental practice's unpaid week and time for one patient a part: the
    reminder day's run."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(12))
    sandbox.drain_deliveries()
    return lambda: _dunning_run(sandbox, _calls_to_itself(monkeypatch))


def _calls_to_itself(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Given time for one unit (patient, practice) a part: the calls of the next parts."""
    from billing_core.entrypoints import continued_runs

    monkeypatch.setattr(continued_runs, "SAFETY_MARGIN_MS", 10**9)
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(continued_runs, "call_itself", lambda _, event: calls.append(event))
    return calls


def _dunning_run(sandbox: Sandbox, calls: list[dict[str, Any]]) -> dict[str, int]:
    sandbox.clock.set(REMINDER_DAY)
    sandbox.invoke("dunning_run", {})
    for call in calls:  # grows while a part calls its next
        sandbox.invoke("dunning_run", call)
    invoices = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0]
    reminded = [i for i in invoices if i.dunning_stage is DunningStage.REMINDED]
    assert len(calls) >= 2 and reminded
    return {
        "Dunning_read": len(reminded),
        "Dunning_reminder": len(reminded),
        "Dunning_letter_dunning_reminder": len({i.reminder.letter_id for i in reminded}),
    }


def _retrocession_in_parts(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Given money at both practices in week 48 and time for one practice a part: the
    Monday run."""
    _both_weeks_paid(sandbox)
    return lambda: _retrocession_run(sandbox, _calls_to_itself(monkeypatch))


def _retrocession_run(sandbox: Sandbox, calls: list[dict[str, Any]]) -> dict[str, int]:
    first = sandbox.run_retrocession(MONDAY_AFTER)
    last = sandbox.invoke("retrocession_run", calls[0])
    assert first["continue_from"] == [DENTAL.provider_id] and "continue_from" not in last
    assert len(calls) == 1 and last["statements"] == 2  # one a practice
    return {
        "Retrocession_statements": last["statements"],
        "Retrocession_entries": last["entries"],
        "Retrocession_run_finished": 1,
        "Payout_transfers": last["payout_batch"]["transfers"],
    }


def _bank_statement(sandbox: Sandbox, _: pytest.MonkeyPatch) -> Run:
    """Given the dental practice's week: a statement of one transfer quoting a kenmerk
    and one quoting nothing known, imported."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(6))
    invoice = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0][0]
    xml = statement(
        credit(invoice.amount_due_cents, scor=invoice.reference),
        credit(777, ustrd=("onbekend",)),
    )
    return lambda: _bank_import(sandbox, xml)


def _bank_import(sandbox: Sandbox, xml: bytes) -> dict[str, int]:
    [imported] = sandbox.upload_bank_statement(xml, "2026-11-24.xml")["imported"]
    assert (imported["booked"], imported["unmatched"]) == (1, 1)
    return {"Bank_booked": 1, "Bank_unmatched": 1, "UploadsDeliveredAgain": 0}


def _retour_file(sandbox: Sandbox, _: pytest.MonkeyPatch) -> Run:
    """Given the physio practice's claims: an insurer's retour granting 80% of those at
    VGZ, applied."""
    sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
    sandbox.drain_deliveries()
    return lambda: _retour_import(sandbox)


def _retour_import(sandbox: Sandbox) -> dict[str, int]:
    sandbox.upload_retour(PHYSIO.provider_id, "VGZ retour.pm305", _retour(80))
    return {"Retour_lines_applied": len(CLAIMS), "UploadsDeliveredAgain": 0}


RUNS: dict[str, tuple[str, Callable[[Sandbox, pytest.MonkeyPatch], Run]]] = {
    "dunning": ("dunning_run", _dunning_in_parts),
    "retrocession": ("retrocession_run", _retrocession_in_parts),
    "bank": ("bank_statement_import", _bank_statement),
    "retour": ("retour_import", _retour_file),
}


@pytest.mark.parametrize("run", list(RUNS))
def test_r39_a_run_whose_record_could_not_be_saved_counts_its_work_once(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, run: str
) -> None:
    """R39 (a run's counts say what it did, once), R3, R38.
    Given the idempotency table refusing once the record of the call that ends the run
    (the last part of a run in parts, an upload's import), and an invocation that fails
    delivered again once its record's in-progress time passed
    When the run runs
    Then its metrics count its work once, and no invocation fails (nothing is done again).
    Before: the failed invocation's metrics were sent and its delivery again counted
    again: a dunning run of 4 parts counted 7 reads, reminders and letters for 4, a
    retrocession run of 2 parts 3 statements for 2, its finish twice; an upload's import
    counted UploadsDeliveredAgain 1 for a file delivered once."""
    function, given = RUNS[run]
    run_it = given(sandbox, monkeypatch)
    refused = _last_record_refused_once(monkeypatch)
    failures = _retried_as_lambda_does(sandbox, monkeypatch, function)
    emitted = emitted_metrics(sandbox, monkeypatch, function)

    once = run_it()

    assert len(refused) == 1
    assert {name: emitted.get(name, 0) for name in once} == once
    assert failures == []
