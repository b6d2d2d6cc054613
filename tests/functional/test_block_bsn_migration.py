"""Migration version 9, blocked-patient-bsn, through the operator API on moto (R22,
legal-nl.md §6: the patient is the person; stop 44). Since blocks3 a block keeps the BSN of
its claims, so a new claim of the same person under another patient number is marked; a
block written before has none and, never written again (a single claim at the agency),
matches by number only for good. The migration gives such a block the BSN of a claim of
its still owed at the agency."""

from __future__ import annotations

import json

from billing_core.adapters.dynamo import keys
from billing_core.invoices.listing import InvoiceFilter
from local.generate import declaration_csv
from tests.functional.test_blocked_patients import PROVIDER, get, hand_over
from tests.functional.test_expiry_migration import migrate

MIGRATION = "blocked-patient-bsn"


def test_r22_an_old_block_without_bsn_migrated_marks_the_same_person_under_another_number(
    sandbox,
):
    """R22, legal-nl.md §6 (migration version 9).
    Given two claims handed to the agency by an older version (blocks without a BSN:
    PAT000002's, and PAT000004's, whose claim was settled since, so it is unblocked)
    When an operator runs blocked-patient-bsn, then again
    Then the first run gives the one block that blocks the BSN of its claim, and leaves
    the unblocked one untouched; the second run writes nothing; neither answer holds the
    BSN (R29); and a new claim of PAT000002's person under number PAT900002 is then
    invoiced with the debtor risk kept by the practice and reported."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(12))
    sandbox.drain_deliveries()
    repository = sandbox.runtime.repository
    by_ref = {invoice.patient_ref: invoice for invoice in repository.list_invoices(PROVIDER)[0]}
    blocked, released = by_ref["PAT000002"], by_ref["PAT000004"]
    for invoice in (blocked, released):
        hand_over(sandbox, invoice)
    repository.release_claim(PROVIDER, "PAT000004", released.invoice_id, sandbox.clock.now())
    assert repository.blocked_refs_with_bsn(PROVIDER) == frozenset({("PAT000002", "")})
    unblocked_before = repository._table.get_item(
        Key=keys.patient_block_key(PROVIDER, "PAT000004")
    )["Item"]

    status, first = migrate(sandbox, "blocks-1", MIGRATION)
    _, second = migrate(sandbox, "blocks-2", MIGRATION)

    assert status == 200 and first["complete"] and first["version"] == 9
    assert first["summary"]["block_bsns_written"] == 1
    assert first["summary"]["blocks_changed_meanwhile"] == 0
    assert first["summary"]["blocks_without_claim_bsn"] == 0
    assert second["summary"]["block_bsns_written"] == 0
    assert second["summary"]["invoices_total"] == 0
    assert blocked.bsn not in json.dumps(first) + json.dumps(second)
    assert repository.blocked_refs_with_bsn(PROVIDER) == frozenset({("PAT000002", blocked.bsn)})
    unblocked_after = repository._table.get_item(Key=keys.patient_block_key(PROVIDER, "PAT000004"))[
        "Item"
    ]
    assert unblocked_after == unblocked_before  # not touched

    # When the practice declares PAT000002's person again under another number
    header, *lines = declaration_csv(12).decode().splitlines()
    rows = [line for line in lines if ";PAT000002;" in line]
    again = [r.replace("R0", "T0").replace(";PAT000002;", ";PAT900002;") for r in rows]
    declaration_id = sandbox.upload_declaration(
        PROVIDER, "week-49.csv", "\n".join([header, *again, ""]).encode()
    )
    # Then the new invoice is marked and the report names both numbers, never the BSN
    _, report = get(sandbox, f"/api/v1/provider/declarations/{declaration_id}")
    assert report["summary"]["invoices_debtor_risk_with_provider"] == 1
    [finding] = [f for f in report["findings"] if f["code"] == "PATIENT_BLOCKED_DEBTOR_RISK"]
    assert "PAT900002" in finding["message"] and "PAT000002" in finding["message"]
    assert blocked.bsn not in json.dumps(report)
    [new] = repository.list_invoices(PROVIDER, InvoiceFilter(declaration_id=declaration_id))[0]
    assert new.debtor_risk_with_provider is True
