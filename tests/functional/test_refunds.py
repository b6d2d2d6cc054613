"""Refunds of credit held for patients, end to end on moto with the template's resources:
the operator proposes, approves, and the pain.001 pays at most the credit still held,
once (R13, R28, R34)."""

from __future__ import annotations

from billing_core.adapters.dynamo.transfer_batches import TransferBatchRepository
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import EntryKind
from local.generate import declaration_csv
from local.sandbox import Caller, Sandbox
from local.seed import DENTAL
from tests.unit.camt_builder import credit, debit, statement

PATIENT_ACCOUNT = {"iban": "NL91ABNA0417164300", "account_holder": "A. Visser"}


def operator(sandbox: Sandbox, method: str, path: str, who: str = "operator-anna", **request):
    return sandbox.api(method, path, caller=Caller.operator(who), **request)


def paid_twice(sandbox: Sandbox) -> Invoice:
    """Given an invoice of the dental practice paid twice by bank transfer (TX-1, TX-2): the
    second payment is held as credit (R13)."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(2))
    invoice = min(
        sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0],
        key=lambda i: i.invoice_id,
    )
    due = invoice.amount_due_cents
    payments = statement(
        credit(due, scor=invoice.reference, tx_id="TX-1"),
        credit(due, scor=invoice.reference, tx_id="TX-2"),
        statement_id="STMT-24",
    )
    sandbox.upload_bank_statement(payments, "2026-11-24.xml")
    assert stored(sandbox, invoice).credit_cents == due
    return invoice


def stored(sandbox: Sandbox, invoice: Invoice) -> Invoice:
    found = sandbox.runtime.repository.get_invoice(
        invoice.provider_id, invoice.invoice_id, consistent=True
    )
    assert found is not None
    return found


def refund_body(invoice: Invoice) -> dict[str, object]:
    return {"refunds": [{"reference": invoice.reference, **PATIENT_ACCOUNT}]}


def test_a_refund_whose_credit_went_back_to_the_bank_is_not_paid(sandbox):
    """R13, R34: Given the refund of the credit proposed, and then the payer's bank recalls
    the second transfer (the credit is gone)
    When an operator approves the batch
    Then no pain.001 pays the patient, the transfer shows what was proposed and 0 paid, and
    the invoice neither books a refund nor shows the patient owing it."""
    invoice = paid_twice(sandbox)
    due = invoice.amount_due_cents
    status, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    assert status == 200 and batch["total_cents"] == due
    recall = debit(due, return_reason="MD06", tx_id="TX-2", booking_date="2026-11-25")
    sandbox.upload_bank_statement(statement(recall, statement_id="STMT-25"), "2026-11-25.xml")
    assert stored(sandbox, invoice).credit_cents == 0
    # When it is approved
    status, sent = operator(
        sandbox, "POST", f"/api/v1/operator/refunds/{batch['batch_id']}/approve"
    )
    # Then it is sent without a file; the transfer says why nothing was paid
    assert status == 200 and sent["state"] == "sent" and sent["file_key"] == ""
    [transfer] = sent["transfers"]
    assert (transfer["amount_cents"], transfer["reduced_from_cents"]) == (0, due)
    assert sandbox.output_keys("refunds/") == []
    after = stored(sandbox, invoice)
    assert [e for e in after.ledger if e.kind is EntryKind.REFUND] == []
    assert (after.amount_due_cents, after.credit_cents) == (0, 0)


def test_two_proposals_at_the_same_moment_pay_the_credit_back_once(sandbox, monkeypatch):
    """R28, R34: Given operator Bob's proposal of the same refund is created (on DynamoDB)
    after operator Anna's request read the open batches, before hers is written
    When Anna's request goes on
    Then it is refused (400): one batch, one pain.001, one REFUND entry."""
    invoice = paid_twice(sandbox)
    list_batches = TransferBatchRepository.list_batches
    bobs = []

    def bob_proposes_meanwhile(self, kind, *, limit=52):
        listed = list_batches(self, kind, limit=limit)
        monkeypatch.setattr(TransferBatchRepository, "list_batches", list_batches)  # once
        bobs.append(
            operator(
                sandbox,
                "POST",
                "/api/v1/operator/refunds",
                who="operator-bob",
                body=refund_body(invoice),
                headers={"Idempotency-Key": "bob-1"},
            )
        )
        return listed

    monkeypatch.setattr(TransferBatchRepository, "list_batches", bob_proposes_meanwhile)
    status, refusal = operator(
        sandbox,
        "POST",
        "/api/v1/operator/refunds",
        body=refund_body(invoice),
        headers={"Idempotency-Key": "anna-1"},
    )
    assert status == 400 and refusal["error"]["code"] == "validation_error"
    [(bob_status, bob)] = bobs
    assert bob_status == 200
    # When Bob's batch is approved, the credit is paid back once
    status, sent = operator(
        sandbox, "POST", f"/api/v1/operator/refunds/{bob['batch_id']}/approve", who="operator-cas"
    )
    assert status == 200 and sent["state"] == "sent"
    assert sandbox.output_keys("refunds/") == [sent["file_key"]]
    refunds = [
        e.amount_cents for e in stored(sandbox, invoice).ledger if e.kind is EntryKind.REFUND
    ]
    assert refunds == [invoice.amount_due_cents]
