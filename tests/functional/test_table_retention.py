"""Nothing in the billing table outlives the files and records it belongs to (legal-nl.md
§8: kept 7 years after the end of the year, then deleted; R39; round 38 audit RET1-RET3),
and a listed record whose file the bucket's rule deleted answers in words, not 502 (R24,
R35). On moto: the sandbox deletes what the table's TTL would (``expire_items``); moto
runs no lifecycle rules, so a test deletes the files as the rule does."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import boto3

from billing_core.adapters.dynamo import keys
from billing_core.providers.week import Week
from billing_core.shared.clock import AMSTERDAM
from local.seed import DENTAL
from tests.functional.test_refunds import operator, paid_twice

PROVIDER = DENTAL.provider_id
WEEK_48 = Week(2026, 48)
PATIENT_IBAN = "NL39RABO0300065264"  # in no practice's settings: only the batch holds it


def refund_body(invoice) -> dict[str, object]:
    account = {"iban": PATIENT_IBAN, "account_holder": "A. Visser"}
    return {"refunds": [{"reference": invoice.reference, **account}]}


def table(sandbox):
    return boto3.resource("dynamodb").Table(sandbox.names.table_name)


def stored_item(sandbox, key: dict) -> dict | None:
    return table(sandbox).get_item(Key=key, ConsistentRead=True).get("Item")


def end_of(day: date) -> int:
    """The TTL at the end of ``day`` in the Netherlands (epoch seconds)."""
    return int(datetime.combine(day + timedelta(days=1), time(0), AMSTERDAM).timestamp())


def delete_files(sandbox, prefix: str) -> None:
    """What the output bucket's lifecycle rule does after 2,922 days (template.yaml)."""
    s3 = boto3.client("s3")
    for key in sandbox.output_keys(prefix):
        s3.delete_object(Bucket=sandbox.names.output_bucket, Key=key)


# --- RET1: payout and refund batches ----------------------------------------------------------


def test_a_sent_refund_batch_is_deleted_at_the_end_of_the_seventh_year_after(sandbox):
    """legal-nl.md §8, R39, GDPR art. 5: Given a refund batch (the patient's name, IBAN and
    the invoice's kenmerk) sent on 23 November 2026, its pain.001 written that day
    When the table's TTL runs on 1 January 2034
    Then the batch is gone, at the end of 2033 (before its file's 2,922 days), and no item
    in the table holds the patient's IBAN any more."""
    invoice = paid_twice(sandbox)
    _, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    status, sent = operator(
        sandbox, "POST", f"/api/v1/operator/refunds/{batch['batch_id']}/approve"
    )
    assert status == 200 and sent["state"] == "sent" and sent["file_key"]
    key = keys.transfer_batch_key("refund", batch["batch_id"])
    item = stored_item(sandbox, key)
    assert PATIENT_IBAN in item["document"]
    assert item["expires_at"] == end_of(date(2033, 12, 31))
    sent_at = datetime.fromisoformat(sent["steps"][-1]["at"])
    assert item["expires_at"] <= int((sent_at + timedelta(days=2922)).timestamp())
    # When the TTL runs on the first day of 2034
    sandbox.clock.set(date(2034, 1, 1))
    sandbox.expire_items()
    # Then the batch is gone and nothing holds the patient's account
    assert stored_item(sandbox, key) is None
    everything = table(sandbox).scan()["Items"]
    assert not [i for i in everything if PATIENT_IBAN in json.dumps(i, default=str)]


def test_a_refund_batch_not_yet_sent_is_kept(sandbox):
    """§8: only what is done expires. Given a refund batch proposed, not approved
    Then its item has no expiry (the credit is still to be paid back)."""
    invoice = paid_twice(sandbox)
    _, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    item = stored_item(sandbox, keys.transfer_batch_key("refund", batch["batch_id"]))
    assert "expires_at" not in item


def test_a_sent_payout_batch_is_kept_as_long_as_its_weeks_statement(sandbox, paid_week):
    """§8, R24: Given week 48's payout batch sent on Monday 30 November 2026
    Then it expires at the later of the end of 2033 (the fiscal rule) and the end of the
    week's statement (week end + 2,922 days, 30 November 2034): while the statement is
    there, proposing the week again finds this batch and pays nothing twice; and before
    its pain.001 (written on 30 November 2026, kept 2,922 days)."""
    sandbox.run_retrocession()
    status, sent = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/approve")
    assert status == 200 and sent["state"] == "sent"
    item = stored_item(sandbox, keys.transfer_batch_key("payout", "PO-2026-W48"))
    statement = stored_item(sandbox, keys.retrocession_key(PROVIDER, WEEK_48.label))
    assert item["expires_at"] == statement["expires_at"] > end_of(date(2033, 12, 31))
    sent_at = datetime.fromisoformat(sent["steps"][-1]["at"])
    assert item["expires_at"] <= int((sent_at + timedelta(days=2922)).timestamp())
