"""An objection is deleted with its invoice (legal-nl.md §8: "Invoices, their ledgers,
letters and retrocession statements are kept 7 years after the end of the year they were
settled (fiscal obligation), then deleted"; R29: the objection holds the patient's message
and e-mail address). On moto, through the patient service, the real psp_webhook handler
and the real expired-letters stream function; the sandbox deletes what the table's TTL
would and hands the removals to that function, as the stream does."""

from __future__ import annotations

from datetime import date, timedelta

import boto3
import pytest

from billing_core.adapters.dynamo import keys
from billing_core.invoices.access import BirthDate
from billing_core.invoices.retention import kept_until
from billing_core.payments.online import start_payment
from billing_core.providers.actions import ActionKind, ActionState
from billing_core.services.patient import file_objection
from local.generate import declaration_csv
from local.seed import DENTAL

PROVIDER = DENTAL.provider_id


@pytest.fixture
def objected(sandbox):
    """Given two e-mailed invoices of the dental practice, and the patient's objection to
    each (the first one's typed address p@example.org, the second's q@example.org)."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(6))
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    first, second = [i for i in invoices if i.addressee.email][:2]
    context = sandbox.runtime.patient_context()
    for invoice, email in ((first, "p@example.org"), (second, "q@example.org")):
        proof = BirthDate(invoice.birth_date)
        file_objection(invoice.reference, proof, "amount", "Ik was er niet.", email, context)
    return first, second


def objections(sandbox) -> list[str]:
    found = sandbox.runtime.repository.list_actions(PROVIDER)
    return sorted(a.details["email"] for a in found if a.kind is ActionKind.OBJECTION)


def objection_item(sandbox, invoice) -> dict:
    (action,) = sandbox.runtime.repository.invoice_actions(PROVIDER, invoice.invoice_id)
    table = boto3.resource("dynamodb").Table(sandbox.names.table_name)
    return table.get_item(Key=keys.action_key(PROVIDER, action.action_id))["Item"]


def test_an_objection_is_deleted_with_its_invoice_at_the_end_of_its_retention(sandbox, objected):
    # When the patient pays the first invoice by iDEAL (the webhook handler books it) and
    # the practice sets its objection done
    paying, other = objected
    runtime = sandbox.runtime
    checkout = start_payment(
        paying.reference, BirthDate(paying.birth_date), runtime.online_payment_context()
    )
    assert sandbox.complete_psp_payment(checkout.psp_payment_id, "paid")["statusCode"] == 200
    (action,) = runtime.repository.invoice_actions(PROVIDER, paying.invoice_id)
    runtime.repository.set_action_state(action, ActionState.DONE, date.today())
    paid = runtime.repository.get_invoice(PROVIDER, paying.invoice_id)
    last_day = kept_until(paid.ledger)
    assert last_day is not None
    # Then on the invoice's last day both objections are there, undated
    sandbox.clock.set(last_day)
    sandbox.expire_items()
    assert objections(sandbox) == ["p@example.org", "q@example.org"]
    assert "expires_at" not in objection_item(sandbox, paying)
    # When the TTL removes the invoice the day after
    sandbox.clock.set(last_day + timedelta(days=1))
    answer = sandbox.expire_items()
    # Then the stream function gave its objection the TTL of now, the other invoice's none
    assert answer["invoices"] == 1
    assert answer["actions_expired"] == 1
    assert runtime.repository.get_invoice(PROVIDER, paying.invoice_id) is None
    now = int(sandbox.clock.now().timestamp())
    assert objection_item(sandbox, paying)["expires_at"] <= now
    assert "expires_at" not in objection_item(sandbox, other)
    # And the TTL's next sweep removes it; the other invoice's objection stays
    sandbox.expire_items()
    assert objections(sandbox) == ["q@example.org"]
