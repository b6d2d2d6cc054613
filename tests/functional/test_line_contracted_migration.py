"""Migration version 10, invoice-line-contracted, through the operator API on moto (R31: "a
contract signed late with retroactive effect re-rates nothing already invoiced"; R17, R5;
audit onboard3, stop 45). A line stored before lines kept whether they were invoiced as
contracted care was read on the practice's contracts of today (coulance.was_contracted):
the migration keeps on it the decision of the contracts known when its invoice was made."""

from __future__ import annotations

import csv
from datetime import date

from billing_core.adapters.dynamo import keys
from billing_core.invoices.invoice import Channel
from billing_core.providers.provider import Contract
from local.seed import PHYSIO
from tests.functional.conftest import SAMPLES
from tests.functional.test_expiry_migration import migrate
from tests.functional.test_insurer_statement import PROVIDER, invoice, send_statement

MIGRATION = "invoice-line-contracted"
__all__ = ["invoice"]  # the fixture
SAMPLE = SAMPLES / "fysio-centrum-oost-2026-11.csv"
# Every insurer of the sample's patients.
UZOVIS = sorted({row["insurer_uzovi"] for row in csv.DictReader(SAMPLE.open(), delimiter=";")})


def stored_as_before_the_flag(sandbox, invoice) -> None:
    """The invoice's lines as an older version stored them: no ``contracted``."""
    table = sandbox.runtime.repository._table
    item = table.get_item(Key=keys.invoice_key(PROVIDER, invoice.invoice_id))["Item"]
    for line in item["lines"]:
        line.pop("contracted", None)
    table.put_item(Item=item)


def test_r31_a_legacy_line_keeps_the_contracts_known_at_its_invoice_after_a_retroactive_one(
    sandbox, invoice
):
    """R31, R17, R37, legal-nl.md §7 (migration version 10).
    Given an invoice of the practice without a contract with the patient's insurer, its
    lines stored by an older version (no ``contracted``), and a contract with that insurer
    entered afterwards with effect from 1 January of the invoice's year
    When an operator runs invoice-line-contracted, then again
    Then the first run keeps on each line that it was non-contracted care (the contracts of
    the settings history at the invoice's making), the second writes nothing; and the
    invoice is still read as non-contracted: the checker says "don't pay yet" and a
    statement is taken for the practice to decide on (not 409 insurer_contracted)."""
    assert not PHYSIO.contracts
    stored_as_before_the_flag(sandbox, invoice)
    repository = sandbox.runtime.repository
    assert {
        line.contracted for line in repository.get_invoice(PROVIDER, invoice.invoice_id).lines
    } == {None}
    year = min(line.coverage_date for line in invoice.lines).year
    sandbox.clock.advance(hours=1)  # the contract entered after the invoice was made
    sandbox.replace_provider(
        PHYSIO.model_copy(
            update={
                "contracts": tuple(
                    Contract(uzovi=uzovi, starts=date(year, 1, 1))
                    for uzovi in sorted({line.insurer_uzovi for line in invoice.lines})
                )
            }
        )
    )

    status, first = migrate(sandbox, "contracted-1", MIGRATION)
    _, second = migrate(sandbox, "contracted-2", MIGRATION)

    assert status == 200 and first["complete"] and first["version"] == 10, first
    assert first["summary"]["lines_stamped"] == len(invoice.lines)
    assert first["summary"]["invoices_stamped"] == 1
    assert first["summary"]["invoices_changed_meanwhile"] == 0
    assert second["summary"]["lines_stamped"] == second["summary"]["invoices_stamped"] == 0
    stored = repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert {line.contracted for line in stored.lines} == {False}
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["awaits_insurer_statement"] is True
    status, answer = send_statement(sandbox, invoice)
    assert status == 200 and answer["outcome"] == "sent_to_provider", answer


def test_r31_a_legacy_line_invoiced_under_a_contract_stays_contracted_after_it_ended(sandbox):
    """R31, R5 (migration version 10).
    Given the practice had a contract with its patients' insurers when an invoice was
    made, its lines stored by an older version (no ``contracted``), and the contract
    taken out of the settings a day later
    When an operator runs invoice-line-contracted
    Then each line keeps that it was contracted care, as it was invoiced (today's
    contracts would have made it non-contracted)."""
    contracted = PHYSIO.model_copy(
        update={"contracts": tuple(Contract(uzovi=u, starts=date(2020, 1, 1)) for u in UZOVIS)}
    )
    sandbox.replace_provider(contracted)
    sandbox.upload_declaration(PROVIDER, "week.csv", SAMPLE.read_bytes())
    sandbox.drain_deliveries()
    made = next(
        i
        for i in sandbox.runtime.repository.list_invoices(PROVIDER)[0]
        if i.channel is Channel.EMAIL
    )
    stored_as_before_the_flag(sandbox, made)
    sandbox.clock.advance(days=1)
    sandbox.replace_provider(PHYSIO)

    _, first = migrate(sandbox, "contracted-1", MIGRATION)

    assert first["summary"]["lines_stamped"] == len(made.lines)
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, made.invoice_id)
    assert {line.contracted for line in stored.lines} == {True}
