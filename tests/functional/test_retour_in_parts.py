"""R5, R3, R39 (runs51c): a retour of the largest accepted size needs about an hour of AWS
requests and Lambda stops at 900 s; the run now goes on in parts, as the bank import's."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

import pytest

from billing_core.declarations.retour import retour_report_key
from billing_core.declarations.vektis.layouts import PM305_V32
from billing_core.declarations.vektis.writer import Granted, Header, InsurerAnswer, write_retour
from billing_core.entrypoints import continued_runs
from local.sandbox import Sandbox
from local.seed import PHYSIO
from local.vektis_samples import PHYSIO_HEADER, SANDBOX_TODAY, VGZ, physio_claims

from .conftest import TODAY
from .test_retour_replay import PHYSIO_FILE

# Every patient's lines (six invoices), the splint VGZ pays part of among them: the last
# part invoices the rest to its patient (legal-nl.md §6), addressed as their invoice an
# earlier part changed.
CLAIMS = physio_claims()
CALL_ITSELF = continued_runs.call_itself  # as deployed: the local runtime runs it after


def _retour(percent: int) -> bytes:
    header: Header = replace(PHYSIO_HEADER, uzovi=VGZ)
    granted = {c.claim_ref: Granted(c.amount_cents * percent // 100, ("0611",)) for c in CLAIMS}
    answer = InsurerAnswer(reference="X", retour_date=SANDBOX_TODAY, file_codes=("0200",))
    return write_retour(PM305_V32, header, CLAIMS, granted, answer)


def _applied_retour(monkeypatch: pytest.MonkeyPatch, margin_ms: int) -> dict[str, Any]:
    """A fresh sandbox's declaration and its 80% retour, each part of the retour's run
    with ``margin_ms`` kept back (10**9: time for one invoice a part; 0: all in one)."""
    calls: list[dict[str, Any]] = []

    def recorded(context: Any, event: dict[str, Any]) -> None:
        calls.append(event)
        CALL_ITSELF(context, event)

    monkeypatch.setattr(continued_runs, "call_itself", recorded)
    monkeypatch.setattr(continued_runs, "SAFETY_MARGIN_MS", margin_ms)
    with Sandbox(TODAY) as sandbox:
        logger = sandbox.handler("retour_import").logger
        log = io.StringIO()  # the function logs INFO, the sandbox warnings only
        monkeypatch.setattr(logger.logger_handler, "stream", log)
        level = logger.log_level
        logger.setLevel("INFO")
        sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
        sandbox.drain_deliveries()
        upload_id = sandbox.upload_retour(PHYSIO.provider_id, "VGZ retour.pm305", _retour(80))
        sandbox.drain_deliveries()
        report = json.loads(sandbox.output_object(retour_report_key(PHYSIO.provider_id, upload_id)))
        invoices, _ = sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)
        again = sandbox.invoke("retour_import", calls[-1]) if calls else None
        later = json.loads(sandbox.output_object(retour_report_key(PHYSIO.provider_id, upload_id)))
        logger.setLevel(level)
    ours = {c.claim_ref for c in CLAIMS}
    ledgers = {
        tuple(sorted(line.claim_ref for line in invoice.lines)): [
            invoice.patient,
            invoice.debtor,
            *[(e.kind.value, e.component.value, e.amount_cents, e.note) for e in invoice.ledger],
        ]
        for invoice in invoices
        if ours & {line.claim_ref for line in invoice.lines}
    }
    same = ("format", "status", "outcome", "summary", "findings", "finding_counts")
    # Each sandbox makes its own invoice ids: a line's invoice is named by its claims.
    on_invoice = {i.invoice_id: sorted(line.claim_ref for line in i.lines) for i in invoices}
    lines = [line | {"invoice_id": on_invoice.get(line["invoice_id"])} for line in report["lines"]]
    logged = [json.loads(line) for line in log.getvalue().splitlines() if "{" in line]
    return {
        "log": [line for line in logged if line.get("message", "").startswith("retour ")],
        "calls": calls,
        "report": {name: report[name] for name in same} | {"lines": lines},
        "ledgers": ledgers,
        "again": again,
        "unchanged_by_again": later == report,
    }


def test_r5_r3_a_retour_longer_than_one_run_is_applied_over_several_parts_as_in_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R5, R3, R39 (runs51c: ~90,000 invoices take ~an hour, Lambda stops at 900 s, its
    retries reached ~39,000 invoices).
    Given a declaration of several patients' invoices and the insurer's 80% retour
    When the retour is applied by runs that each have time for one invoice only
    Then each part calls the function again with the upload and the invoices done (no
    personal data), one call per invoice after the first, and the last part writes the
    report: the same report and the same ledgers as a run in one part; the last part
    delivered again does nothing twice (answered from its record, the report as it was)."""
    # Given/When: the same file applied in one run, and in parts of one invoice.
    whole = _applied_retour(monkeypatch, 0)
    parts = _applied_retour(monkeypatch, 10**9)

    # Then: one run did it all, without calling itself.
    assert whole["calls"] == []
    # The parts: each call names the upload and how far, no patient's data.
    done = [call[continued_runs.RETOUR_CONTINUES]["invoices_done"] for call in parts["calls"]]
    applied = [line for line in whole["report"]["lines"] if line["result"] == "applied"]
    invoices = len({tuple(line["invoice_id"]) for line in applied})
    assert invoices == 6
    assert done == [str(n) for n in range(1, invoices)]
    assert all(
        set(call[continued_runs.RETOUR_CONTINUES])
        == {"bucket", "key", "version", "etag", "invoices_done"}
        for call in parts["calls"]
    )
    # The same effects as one uninterrupted run.
    assert parts["report"] == whole["report"]
    assert parts["ledgers"] == whole["ledgers"]
    summary = whole["report"]["summary"]
    assert (summary["lines_applied"], summary["invoices_created"]) == (len(CLAIMS) - 1, 1)
    # The last part delivered again: answered from its idempotency record, nothing redone.
    [answer] = parts["again"]["processed"]
    assert answer["outcome"] == whole["report"]["outcome"]
    assert parts["unchanged_by_again"]
    # The log: how far each part got (counts only), and one line for the whole file.
    said = [line["message"] for line in parts["log"]]
    assert said.count("retour progress") == invoices - 1
    assert said.count("retour continues in a next part") == invoices - 1
    [applied] = [line for line in parts["log"] if line["message"] == "retour applied"]
    [in_one] = [line for line in whole["log"] if line["message"] == "retour applied"]
    assert (applied["parts"], in_one["parts"]) == (invoices, 1)
    assert applied["summary"] == in_one["summary"]
    assert "FCO-2001" not in json.dumps(parts["log"])  # no patient's number (R29)
