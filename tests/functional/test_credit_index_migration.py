"""Migration version 13, credit-index, through the operator API on moto (R13, R34;
credits54): the back office's list of credit held reads the sparse by-credit index only;
an invoice stored with credit before every save wrote its keys is missing from it until
the migration puts it there."""

from __future__ import annotations

from local.generate import declaration_csv
from local.migrate import overpaid_before_the_credit_index
from local.seed import DENTAL, PHYSIO
from tests.functional.test_expiry_migration import migrate
from tests.functional.test_refunds import operator

MIGRATION = "credit-index"


def test_r13_credit_stored_before_the_index_is_listed_once_the_migration_ran(sandbox):
    """R13, R34 (migration version 13).
    Given each sample practice's first invoice paid 5.00 more than it owes, stored before
    the by-credit index (its item without the keys)
    When an operator lists the credit held, runs credit-index, runs it again, lists again
    Then the first list misses both (what the migration is for); the first run writes
    both, the second finds them there; the list then holds both, 5.00 each."""
    for practice in (DENTAL, PHYSIO):
        sandbox.upload_declaration(practice.provider_id, "week-47.csv", declaration_csv(3))
    overpaid_before_the_credit_index(sandbox)
    status, before = operator(sandbox, "GET", "/api/v1/operator/refunds")
    assert (status, before["items"]) == (200, [])
    status, first = migrate(sandbox, "credit-1", MIGRATION)
    assert status == 200 and first["complete"] and first["version"] == 13
    assert first["summary"]["credit_index_written"] == 2
    _, second = migrate(sandbox, "credit-2", MIGRATION)
    assert (
        second["summary"]["credit_index_written"],
        second["summary"]["credit_index_present"],
    ) == (0, 2)
    status, after = operator(sandbox, "GET", "/api/v1/operator/refunds")
    assert status == 200
    assert sorted((i["provider_id"], i["credit_cents"]) for i in after["items"]) == sorted(
        [(DENTAL.provider_id, 500), (PHYSIO.provider_id, 500)]
    )
