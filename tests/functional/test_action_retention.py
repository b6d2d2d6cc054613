"""An objection is deleted with its invoice (legal-nl.md §8: "Invoices, their ledgers,
letters and retrocession statements are kept 7 years after the end of the year they were
settled (fiscal obligation), then deleted"; R29: the objection holds the patient's message
and e-mail address). On moto, through the patient service and the real psp_webhook
handler; the sandbox deletes what the table's TTL would."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

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
    """Given an e-mailed invoice of the dental practice, and the patient's objection to it."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(3))
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    invoice = next(i for i in invoices if i.addressee.email)
    proof = BirthDate(invoice.birth_date)
    context = sandbox.runtime.patient_context()
    file_objection(invoice.reference, proof, "amount", "Ik was er niet.", "p@example.org", context)
    return invoice


def objections(sandbox) -> list[str]:
    found = sandbox.runtime.repository.list_actions(PROVIDER)
    return [a.details["email"] for a in found if a.kind is ActionKind.OBJECTION]


def test_an_objection_is_deleted_with_its_invoice_at_the_end_of_its_retention(sandbox, objected):
    # When the patient pays it by iDEAL (the webhook handler books it) and the practice
    # sets the objection done
    runtime = sandbox.runtime
    checkout = start_payment(
        objected.reference, BirthDate(objected.birth_date), runtime.online_payment_context()
    )
    assert sandbox.complete_psp_payment(checkout.psp_payment_id, "paid")["statusCode"] == 200
    (action,) = runtime.repository.list_actions(PROVIDER)
    runtime.repository.set_action_state(PROVIDER, action.action_id, ActionState.DONE, date.today())
    paid = runtime.repository.get_invoice(PROVIDER, objected.invoice_id)
    last_day = kept_until(paid.ledger)
    assert last_day is not None
    # Then on the invoice's last day the objection is there, the day after it is gone
    sandbox.clock.set(last_day)
    sandbox.expire_items()
    assert objections(sandbox) == ["p@example.org"]
    sandbox.clock.set(last_day + timedelta(days=1))
    sandbox.expire_items()
    assert runtime.repository.get_invoice(PROVIDER, objected.invoice_id) is None
    assert objections(sandbox) == []
