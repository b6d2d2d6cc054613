"""Migration version 2 through the operator API on moto (legal-nl.md §8: "Invoices, their
ledgers, letters and retrocession statements are kept 7 years after the end of the year
they were settled (fiscal obligation), then deleted"): an invoice settled before the
deploy that dates settled invoices has no expiry, nor do its markers; after the
migration they carry the one a save writes, open invoices none, and a second run writes
nothing. Migration version 3 (legal-nl.md §8, R29): the actions of an invoice the TTL
removed without the stream's function get their expiry."""

from __future__ import annotations

import json
from datetime import datetime
from http import HTTPStatus

import pytest

from billing_core.adapters.dynamo import keys
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import Channel
from billing_core.services.operator.migrations import EXPIRED_INVOICE_ACTIONS
from billing_core.services.patient import file_objection
from billing_core.shared.clock import AMSTERDAM
from local.migrate import objected_paid_and_removed, settle_before_the_deploy
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import declaration_csv

# Paid in the sandbox's 2026: kept to the end of 2033 in Amsterdam, then deleted.
END_OF_2033 = int(datetime(2034, 1, 1, tzinfo=AMSTERDAM).timestamp())


@pytest.fixture
def settled_before(sandbox):
    """Given each practice's invoices, the first of each paid in full before the deploy:
    stored, with its markers, without an expiry."""
    for practice in (DENTAL, PHYSIO):
        sandbox.upload_declaration(practice.provider_id, "week-47.csv", declaration_csv(4))
    sandbox.drain_deliveries()
    settle_before_the_deploy(sandbox)
    repository = sandbox.runtime.repository
    return {
        practice.provider_id: repository.list_invoices(practice.provider_id)[0]
        for practice in (DENTAL, PHYSIO)
    }


def migrate(sandbox, key, name="settled-invoice-expiry"):
    answer = sandbox.api_raw(
        "POST",
        f"/api/v1/operator/migrations/{name}",
        body={},
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
        caller=Caller.operator(),
    )
    return answer["statusCode"], json.loads(answer["body"])


def expiries(sandbox, invoice) -> set[object]:
    """The TTL of the invoice item, its kenmerk's marker and its lines' markers."""
    table = sandbox.runtime.repository._table
    wanted = [
        keys.invoice_key(invoice.provider_id, invoice.invoice_id),
        keys.reference_marker_key(invoice.reference),
        *(keys.claim_key(invoice.provider_id, line.claim_ref) for line in invoice.lines),
    ]
    return {table.get_item(Key=key)["Item"].get("expires_at") for key in wanted}


def test_invoices_settled_before_get_the_expiry_a_save_writes_open_ones_none(
    sandbox, settled_before
):
    first_settled = {p: invoices[0] for p, invoices in settled_before.items()}
    open_ones = [i for invoices in settled_before.values() for i in invoices[1:]]
    assert all(expiries(sandbox, i) == {None} for i in first_settled.values())
    # When the operator runs migration 2, and then again
    status, first = migrate(sandbox, "expire-1")
    again_status, second = migrate(sandbox, "expire-2")
    # Then the first dated both settled invoices and their markers: the end of 2033
    assert (status, again_status) == (HTTPStatus.OK, HTTPStatus.OK)
    assert (first["migration"], first["version"], first["complete"]) == (
        "settled-invoice-expiry",
        2,
        True,
    )
    assert all(expiries(sandbox, i) == {END_OF_2033} for i in first_settled.values())
    assert all(expiries(sandbox, i) == {None} for i in open_ones)
    markers = sum(1 + len({line.claim_ref for line in i.lines}) for i in first_settled.values())
    total = len(open_ones) + 2
    assert first["summary"] == {
        "invoices_total": total,
        "invoices_done": total,
        "invoice_expiries_written": 2,
        "marker_expiries_written": markers,
        "expiries_present": 0,
        "open_invoices_skipped": len(open_ones),
    }
    # And the second wrote nothing and counts both as present
    assert second["summary"] == first["summary"] | {
        "invoice_expiries_written": 0,
        "marker_expiries_written": 0,
        "expiries_present": 2,
    }
    assert [p["provider_id"] for p in second["practices"]] == sorted(settled_before)
    assert second["conflicts"] == []


def test_an_objection_of_an_invoice_the_ttl_removed_unhandled_expires_by_migration_3(sandbox):
    """legal-nl.md §8, R29 (audit NEWCOMER1): an objection (the patient's message and
    e-mail address) goes with its invoice. When the removal never reached the expired-
    letters function (failed for good, not replayed within the stream's 24 hours), the
    migration is the backstop; an objection of an invoice still there is kept.
    Given a removed invoice's objection without an expiry, and one of an invoice kept
    When the operator runs migration 3, twice, and the TTL sweeps the table
    Then the removed invoice's objection is gone, the other one kept, and the second run
    wrote nothing."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(8))
    sandbox.drain_deliveries()
    removed = objected_paid_and_removed(sandbox, DENTAL.provider_id)
    repository = sandbox.runtime.repository
    kept = next(
        i for i in repository.list_invoices(DENTAL.provider_id)[0] if i.channel is Channel.EMAIL
    )
    file_objection(
        kept.reference,
        BirthDate(kept.birth_date),
        "amount",
        "Klopt niet.",
        "q@example.org",
        sandbox.runtime.patient_context(),
    )
    statuses, answers = zip(
        *(migrate(sandbox, key, EXPIRED_INVOICE_ACTIONS) for key in ("actions-1", "actions-2")),
        strict=True,
    )
    assert statuses == (HTTPStatus.OK, HTTPStatus.OK)
    assert answers[0]["summary"]["removed_invoices"] == 1
    assert answers[0]["summary"]["action_expiries_written"] == 1
    assert answers[1]["summary"]["action_expiries_written"] == 0
    sandbox.expire_items()
    assert repository.invoice_actions(DENTAL.provider_id, removed.invoice_id) == []
    assert len(repository.invoice_actions(DENTAL.provider_id, kept.invoice_id)) == 1
