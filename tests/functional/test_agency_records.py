"""The agency's record of a claim a late-read payment set right, written by each handler
that books payments, on moto and under the IAM recorder (conftest: every call allowed by
the function's role, template.yaml's TellTheAgency grant): R22, R34, legal-nl.md §2.

Given an invoice of 23 November, reminded by the run of 4 January (term to 18 January),
charged on 25 January and handed over on 8 February, a payment made on 5 January, in
the reminder's term, is read on 9 February: the costs are undone and the agency gets a
record of the day, ``collection/updates/2027-02-09/{provider}/{kenmerk}-paid-in-term.json``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest

from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import Channel, DunningStage, Invoice
from billing_core.payments.booking import PAID_IN_TERM
from billing_core.payments.online import start_payment
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.sandbox import Caller, Sandbox
from local.seed import DENTAL
from tests.unit.camt_builder import credit, statement

PROVIDER = DENTAL.provider_id
PAID_ON = date(2027, 1, 5)  # in the term of the reminder of 4 January
READ_ON = date(2027, 2, 9)  # the day after the handover
UNMATCHED = "/api/v1/operator/unmatched-credits"


def _on(sandbox: Sandbox, day: date, hour: int = 9) -> None:
    sandbox.clock.set(datetime.combine(day, time(hour), tzinfo=AMSTERDAM))


def _reread(sandbox: Sandbox, invoice: Invoice) -> Invoice:
    found = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert found is not None
    return found


@pytest.fixture
def reminded(sandbox: Sandbox) -> Invoice:
    """An e-mailed invoice of 23 November, reminded by the run of 4 January."""
    sandbox.upload_declaration(PROVIDER, "week-48.csv", declaration_csv(3))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    invoice = next(i for i in invoices if i.channel is Channel.EMAIL)
    _on(sandbox, date(2027, 1, 4))
    sandbox.run_dunning()
    invoice = _reread(sandbox, invoice)
    assert invoice.dunning_stage is DunningStage.REMINDED
    return invoice


def _handed_over(sandbox: Sandbox, invoice: Invoice) -> None:
    """The runs of 25 January (the costs) and 8 February (the handover), then 9 February."""
    for day in (date(2027, 1, 25), date(2027, 2, 8)):
        _on(sandbox, day)
        sandbox.run_dunning()
    assert _reread(sandbox, invoice).is_with_collection_agency
    _on(sandbox, READ_ON)


def _the_agencys_record(sandbox: Sandbox, invoice: Invoice) -> None:
    """Then the costs are undone and the agency has the record of the day saying why."""
    key = f"collection/updates/{READ_ON}/{PROVIDER}/{invoice.reference}-paid-in-term.json"
    assert sandbox.output_keys(key) == [key]
    record = json.loads(sandbox.output_object(key))
    assert record["reason"] == PAID_IN_TERM
    assert record["amounts_cents"]["collection_costs"] == 0
    assert _reread(sandbox, invoice).amount_due_cents == 0


def test_the_bank_import_writes_the_agencys_record(sandbox, reminded):
    """Given the handover, when the statement with a transfer quoting the kenmerk credited
    on 5 January is read on 9 February, then bank_statement_import writes the record."""
    _handed_over(sandbox, reminded)
    transfer = credit(
        reminded.amount_due_cents, scor=reminded.reference, booking_date=PAID_ON.isoformat()
    )

    sandbox.upload_bank_statement(statement(transfer), "2027-02-09.xml")

    _the_agencys_record(sandbox, reminded)


def test_the_psp_webhook_writes_the_agencys_record(sandbox, reminded):
    """Given an iDEAL payment made on 5 January whose webhook only gets through on
    9 February, after the handover, then psp_webhook writes the record."""
    _on(sandbox, PAID_ON)
    checkout = start_payment(
        reminded.reference,
        BirthDate(reminded.birth_date),
        sandbox.runtime.online_payment_context(),
    )
    webhook = sandbox.runtime.psp.complete(checkout.psp_payment_id, "paid")  # type: ignore[attr-defined]
    _handed_over(sandbox, reminded)

    sandbox.post_psp_webhook(webhook.body, webhook.content_type)

    _the_agencys_record(sandbox, reminded)


def test_an_operators_match_writes_the_agencys_record(sandbox, reminded):
    """Given the handover and a transfer credited on 5 January without a kenmerk, read
    on 9 February, when an operator matches it to the invoice, then the operator API
    writes the record."""
    _handed_over(sandbox, reminded)
    transfer = credit(
        reminded.amount_due_cents, ustrd=("tandarts",), booking_date=PAID_ON.isoformat()
    )
    sandbox.upload_bank_statement(statement(transfer), "2027-02-09.xml")
    operator = Caller.operator("agency-records")
    _, unmatched = sandbox.api("GET", UNMATCHED, caller=operator)
    [line] = unmatched["items"]
    path = f"{UNMATCHED}/{line['credit_id']}/match"

    status, _ = sandbox.api("POST", path, caller=operator, body={"reference": reminded.reference})

    assert status == 200
    _the_agencys_record(sandbox, reminded)
