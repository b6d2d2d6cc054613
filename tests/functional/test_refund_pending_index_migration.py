"""Migration version 18, refund-pending-credit-index, through the operator API on moto
(R13, R39, R34; runs57): an invoice stays on the by-credit index while a PSP refund of
its credit is pending, also once a bank return took the credit; one saved so before
runs57 is missing from the operator's list of held credits (and the Monday run's count of
refunds pending) until the migration puts it there."""

from __future__ import annotations

from local.generate import declaration_csv
from local.migrate import refund_pending_before_the_index_kept_it
from local.seed import DENTAL, PHYSIO
from tests.functional.test_expiry_migration import migrate
from tests.functional.test_refunds import operator

MIGRATION = "refund-pending-credit-index"


def test_r13_a_psp_refund_pending_stored_before_runs57_is_listed_once_the_migration_ran(sandbox):
    """R13, R34, R39 (migration version 18).
    Given each sample practice's first invoice paid by bank transfer and by iDEAL, the
    iDEAL refund pending at the PSP, then the transfer returned (credit 0), stored before
    runs57 (its item without the by-credit keys)
    When an operator lists the credit held, runs refund-pending-credit-index, runs it
    again, lists again
    Then the first list misses both (what the migration is for); the first run writes
    both, the second finds them there; the list then holds both, credit 0, nothing by
    bank, each with its iDEAL payment pending."""
    for practice in (DENTAL, PHYSIO):
        sandbox.upload_declaration(practice.provider_id, "week-47.csv", declaration_csv(1))
    refund_pending_before_the_index_kept_it(sandbox)
    status, before = operator(sandbox, "GET", "/api/v1/operator/refunds")
    assert (status, before["items"]) == (200, [])
    status, first = migrate(sandbox, "pending-1", MIGRATION)
    assert status == 200, first  # before version 18: 404, no such migration
    assert (first["complete"], first["version"]) == (True, 18)
    counts = ("credit_index_written", "credit_index_present", "invoices_without_credit")
    assert tuple(first["summary"][c] for c in counts) == (2, 0, 0)
    _, second = migrate(sandbox, "pending-2", MIGRATION)
    assert tuple(second["summary"][c] for c in counts) == (0, 2, 0)
    status, after = operator(sandbox, "GET", "/api/v1/operator/refunds")
    assert status == 200
    listed = [
        (i["provider_id"], i["credit_cents"], i["by_bank_cents"], i["psp_payments_pending"])
        for i in after["items"]
    ]
    assert sorted(listed) == sorted(
        (p.provider_id, 0, 0, [f"tr_{p.provider_id}"]) for p in (DENTAL, PHYSIO)
    )
