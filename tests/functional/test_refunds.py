"""Refunds of credit held for patients, end to end on moto with the template's resources:
the operator proposes, approves, and the pain.001 pays at most the credit still held,
once (R13, R28, R34)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time

import pytest

from billing_core.adapters.dynamo.transfer_batches import TransferBatchRepository
from billing_core.adapters.fake_psp import FakePsp
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import EntryKind
from billing_core.invoices.updates import save_change
from billing_core.payments.booking import apply_refund
from billing_core.payments.online import start_payment
from billing_core.payments.psp import PspUnavailable
from billing_core.payments.refunds import (
    credit_refundable_by_bank,
    psp_refund_status,
    settle_pending_refund,
)
from billing_core.payments.transfer_batches import BatchKind
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.sandbox import Caller, Sandbox
from local.sandbox_payouts import BankLine, bank_day
from local.seed import DENTAL
from tests.functional.conftest import withdrawn_once_though_sent_thrice
from tests.unit.camt_builder import credit, debit, statement

REFUND = BatchKind.REFUND
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


def batch_unreadable_once(monkeypatch) -> None:
    """The next proposal's batch is created and then not read back (its request fails
    with a 5xx, so the Idempotency-Key's record is released)."""
    get_batch = TransferBatchRepository.get_batch

    def unreadable_once(self, batch_id):
        monkeypatch.setattr(TransferBatchRepository, "get_batch", get_batch)  # once
        raise RuntimeError("the batch was not read back")

    monkeypatch.setattr(TransferBatchRepository, "get_batch", unreadable_once)


def test_a_proposal_retried_after_a_failure_past_its_batch_gets_that_batch(sandbox, monkeypatch):
    """R38 ("same key and body: the first answer again, no second effect"), R34, R13
    (known.md stop 37, Retries): Given an operator's refund proposal whose batch was created
    and whose request then failed (the batch not read back: a 5xx, so its key released)
    When the operator's software sends it again with the same key and body
    Then it is answered 200 with that batch, not 400 "in a refund batch not yet sent"; one
    batch pays the credit back. Another request (another key) is still refused."""
    invoice = paid_twice(sandbox)
    batch_unreadable_once(monkeypatch)
    keyed = {"body": refund_body(invoice), "headers": {"Idempotency-Key": "refund-1"}}
    with pytest.raises(RuntimeError):
        operator(sandbox, "POST", "/api/v1/operator/refunds", **keyed)
    [made] = sandbox.runtime.transfer_batches.list_batches(REFUND)
    # When it is sent again with its key
    status, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", **keyed)
    # Then the batch made by the first attempt, and no other
    assert (status, batch["batch_id"], batch["state"]) == (200, made.batch_id, "proposed")
    assert [b.batch_id for b in sandbox.runtime.transfer_batches.list_batches(REFUND)] == [
        made.batch_id
    ]
    # And another request for the same credit is refused as before: one batch pays it
    status, refusal = operator(
        sandbox,
        "POST",
        "/api/v1/operator/refunds",
        body=refund_body(invoice),
        headers={"Idempotency-Key": "refund-2"},
    )
    assert status == 400 and refusal["error"]["code"] == "validation_error"


def test_a_proposal_retried_after_a_failure_with_another_body_is_refused(sandbox, monkeypatch):
    """R38 ("same key, other body: 422"), interfaces.md §7, R34, R13 (audit weekly2
    WEEKLY2-1): Given an operator's refund proposal whose batch was created and whose
    request then failed (a 5xx, so its key released)
    When the same key is sent with another body (another IBAN)
    Then 422 idempotency_key_reused, as the key's record answers it, not 200 with the first
    attempt's batch; still that one batch, to the first IBAN."""
    invoice = paid_twice(sandbox)
    batch_unreadable_once(monkeypatch)
    key = {"Idempotency-Key": "refund-1"}
    with pytest.raises(RuntimeError):
        operator(
            sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice), headers=key
        )
    # When the same key comes with another IBAN
    other = {
        "refunds": [
            {
                "reference": invoice.reference,
                "iban": "NL02ABNA0123456789",
                "account_holder": "A. Visser",
            }
        ]
    }
    status, refusal = operator(sandbox, "POST", "/api/v1/operator/refunds", body=other, headers=key)
    # Then it is refused, and nothing else is proposed
    assert status == 422 and refusal["error"]["code"] == "idempotency_key_reused"
    [made] = sandbox.runtime.transfer_batches.list_batches(REFUND)
    assert [t.iban for t in made.transfers] == [PATIENT_ACCOUNT["iban"]]
    # And the same body again still gets the batch made (kept green: the same request)
    status, batch = operator(
        sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice), headers=key
    )
    assert (status, batch["batch_id"]) == (200, made.batch_id)


def psp_refund_timed_out(
    sandbox: Sandbox, monkeypatch, paid_back_cents: int | None = None, **transfer: str
) -> tuple[Invoice, str]:
    """Given an invoice paid by bank transfer (its ``transfer`` fields, a ``tx_id`` to
    return it by) and then by iDEAL too, whose automatic PSP refund timed out after the
    PSP had paid it back (``paid_back_cents`` of it, when someone changed it by hand in
    the PSP's dashboard): the invoice and the iDEAL payment."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(1))
    [invoice] = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0]
    checkout = start_payment(
        invoice.reference,
        BirthDate(invoice.birth_date),
        sandbox.runtime.online_payment_context(),
    )
    transfer.setdefault("scor", invoice.reference)
    paid = statement(credit(invoice.amount_due_cents, **transfer), statement_id="S1")
    sandbox.upload_bank_statement(paid, "2026-11-24.xml")
    refund = FakePsp.refund

    def refunded_then_timed_out(psp, psp_payment_id, amount_cents, description):
        paid_back = paid_back_cents or amount_cents
        refund(psp, psp_payment_id, paid_back, description)  # the PSP paid it back...
        raise PspUnavailable("timed out")  # ...and the answer never came

    monkeypatch.setattr(FakePsp, "refund", refunded_then_timed_out)
    sandbox.complete_psp_payment(checkout.psp_payment_id, "paid")
    monkeypatch.setattr(FakePsp, "refund", refund)
    assert stored(sandbox, invoice).credit_cents == invoice.amount_due_cents
    return invoice, checkout.psp_payment_id


def test_a_credit_whose_psp_refund_timed_out_is_not_paid_again_by_bank(sandbox, monkeypatch):
    """R13, R34, R28 (audit BACKOFFICE1): Given an invoice paid by bank transfer and then
    by iDEAL too, whose automatic PSP refund timed out after the PSP had paid it back
    When an operator lists the held credits and proposes a bank refund of it
    Then the list shows the credit pending at the PSP with nothing to refund by bank, the
    proposal answers 422 psp_refund_pending, and no pain.001 pays the patient again."""
    invoice, _ = psp_refund_timed_out(sandbox, monkeypatch)
    due = invoice.amount_due_cents
    # When an operator lists the held credits
    status, held = operator(sandbox, "GET", "/api/v1/operator/refunds")
    [item] = held["items"]
    assert (item["credit_cents"], item["by_bank_cents"], item["psp_refund_pending"]) == (
        due,
        0,
        True,
    )
    # And proposes its refund by bank
    status, refusal = operator(
        sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice)
    )
    # Then it is refused, and nothing pays the patient a second time
    assert status == 422 and refusal["error"]["code"] == "psp_refund_pending"
    assert operator(sandbox, "GET", "/api/v1/operator/refunds")[1]["items"][0]["in_batch"] == ""
    assert sandbox.output_keys("refunds/") == []


@pytest.mark.parametrize("holder", ["   ", "***"])
def test_an_account_holder_the_bank_cannot_read_is_refused_when_proposed(sandbox, holder):
    """R34, R13, interfaces.md §2 (audit BACKOFFICE2): Given a held credit
    When its refund to account holder "   " (or "***") is proposed
    Then 400 names refunds.0.account_holder; no batch exists to approve, nothing is booked."""
    invoice = paid_twice(sandbox)
    body = {"refunds": [{"reference": invoice.reference, **PATIENT_ACCOUNT}]}
    body["refunds"][0]["account_holder"] = holder
    status, refusal = operator(sandbox, "POST", "/api/v1/operator/refunds", body=body)
    assert status == 400 and refusal["error"]["code"] == "validation_error"
    assert "refunds.0.account_holder" in refusal["error"]["message"]
    assert operator(sandbox, "GET", "/api/v1/operator/refunds")[1]["items"][0]["in_batch"] == ""
    assert stored(sandbox, invoice).credit_cents == invoice.amount_due_cents


def test_a_refund_to_an_iban_outside_sepa_is_refused_when_proposed(sandbox):
    """R34 (a SEPA credit-transfer batch; audit BACKOFFICE5): Given a held credit
    When its refund to a Saudi IBAN is proposed
    Then 422 iban_not_sepa, and the credit stays held for a refund to a SEPA account."""
    invoice = paid_twice(sandbox)
    body = {"refunds": [{"reference": invoice.reference, **PATIENT_ACCOUNT}]}
    body["refunds"][0]["iban"] = "SA0380000000608010167519"
    status, refusal = operator(sandbox, "POST", "/api/v1/operator/refunds", body=body)
    assert status == 422 and refusal["error"]["code"] == "iban_not_sepa"
    assert stored(sandbox, invoice).credit_cents == invoice.amount_due_cents


def test_a_batch_approved_on_saturday_is_executed_on_monday(sandbox):
    """R34, EPC SCT rulebook: TARGET2 days only (audit BACKOFFICE6). Given a refund batch
    When it is approved on Saturday 28 November 2026
    Then its file, dated Saturday, asks the bank to execute it on Monday 30 November."""
    invoice = paid_twice(sandbox)
    status, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    sandbox.clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=AMSTERDAM))
    status, sent = operator(
        sandbox, "POST", f"/api/v1/operator/refunds/{batch['batch_id']}/approve"
    )
    assert status == 200 and sent["file_key"].startswith("refunds/2026-11-28/")
    document = sandbox.output_object(sent["file_key"])
    assert b"<ReqdExctnDt><Dt>2026-11-30</Dt></ReqdExctnDt>" in document


# --- a batch that cannot be sent, withdrawn (R13, R34, R38; round 35) ---------------------------


def test_a_batch_whose_file_is_refused_is_withdrawn_and_its_credit_proposed_again(sandbox):
    """R13, R34, R38: Given a refund batch holding a name no bank accepts (stored before it
    was checked), whose approval answers 422 transfer_file_refused with nothing booked
    When an operator withdraws it with a reason, and the request is retried with its
    Idempotency-Key, and then withdrawn again without one
    Then each answer is 200 with the batch withdrawn (who, when, why); the credit is in no
    batch any more and a new batch refunds it; the withdrawn batch is not approved (409)."""
    invoice = paid_twice(sandbox)
    status, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    batches = sandbox.runtime.money_out_context().batches
    proposed = batches.get_batch(batch["batch_id"])
    assert proposed is not None
    [transfer] = proposed.transfers
    batches.save_batch(proposed.with_transfer(replace(transfer, name="***")))
    approve = f"/api/v1/operator/refunds/{batch['batch_id']}/approve"
    status, refusal = operator(sandbox, "POST", approve)
    assert status == 422 and refusal["error"]["code"] == "transfer_file_refused"
    # When it is withdrawn, retried, and withdrawn again
    withdraw = f"/api/v1/operator/refunds/{batch['batch_id']}/withdraw"
    # (spaces alone are no reason: a 400 naming it, nothing withdrawn; audit58c)
    before = batches.get_batch(batch["batch_id"])
    status, refused = operator(sandbox, "POST", withdraw, body={"reason": "    "})
    assert (status, refused["error"]["fields"][0]["field"]) == (400, "reason")
    assert batches.get_batch(batch["batch_id"]) == before
    why = {"reason": "the patient's name cannot be read by the bank; asked again"}
    key = {"Idempotency-Key": "withdraw-1"}
    # Then it is withdrawn once, saying who and why (the helper asserts it)
    withdrawn_once_though_sent_thrice(sandbox, withdraw, why, key)
    # And the credit is free: listed in no batch, refunded by a new one
    assert operator(sandbox, "GET", "/api/v1/operator/refunds")[1]["items"][0]["in_batch"] == ""
    status, again = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    assert status == 200
    status, sent = operator(
        sandbox, "POST", f"/api/v1/operator/refunds/{again['batch_id']}/approve"
    )
    assert status == 200 and sent["state"] == "sent"
    assert stored(sandbox, invoice).credit_cents == 0
    # And the withdrawn batch is never approved, a sent one never withdrawn
    status, refusal = operator(sandbox, "POST", approve)
    assert status == 409 and refusal["error"]["code"] == "batch_not_proposed"
    status, refusal = operator(
        sandbox, "POST", f"/api/v1/operator/refunds/{again['batch_id']}/withdraw", body=why
    )
    assert status == 409 and refusal["error"]["code"] == "batch_sent"


def refund_in_the_dashboard(sandbox: Sandbox, psp_payment_id: str) -> str:
    """The id of the refund the PSP's dashboard shows on the payment (the one made)."""
    [refund_id] = sandbox.runtime.psp.refunds(psp_payment_id)  # type: ignore[attr-defined]
    return str(refund_id)


@pytest.mark.parametrize("outcome", ["refunded", "failed"])
def test_an_operator_settles_a_pending_psp_refund_with_what_the_psp_says(
    sandbox, monkeypatch, outcome
):
    """R13, R27, R34, R38 (round 35): Given a credit whose PSP refund timed out (pending)
    When an operator records what the PSP's dashboard says, and the request is retried
    Then refunded: one REFUND entry on the iDEAL payment, the credit gone; failed: nothing
    booked, the credit refundable by bank and refunded by a bank batch. Nothing pending."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch)
    due = invoice.amount_due_cents
    [item] = operator(sandbox, "GET", "/api/v1/operator/refunds")[1]["items"]
    assert item["psp_payments_pending"] == [psp_payment_id]
    path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_payment_id}"
    refund_id = refund_in_the_dashboard(sandbox, psp_payment_id) if outcome == "refunded" else ""
    body = {"outcome": outcome, "refund_id": refund_id}
    answers = [operator(sandbox, "POST", path, who="operator-bob", body=body) for _ in range(2)]
    assert [status for status, _ in answers] == [200, 200] and answers[0][1] == answers[1][1]
    held = answers[0][1]
    assert (held["psp_refund_pending"], held["psp_payments_pending"]) == (False, [])
    refunds = [e for e in stored(sandbox, invoice).ledger if e.kind is EntryKind.REFUND]
    if outcome == "refunded":
        assert [(e.amount_cents, e.cause) for e in refunds] == [(due, f"psp:{psp_payment_id}")]
        assert (held["credit_cents"], held["by_bank_cents"]) == (0, 0)
        return
    assert refunds == [] and (held["credit_cents"], held["by_bank_cents"]) == (due, due)
    status, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    assert status == 200
    status, sent = operator(
        sandbox, "POST", f"/api/v1/operator/refunds/{batch['batch_id']}/approve"
    )
    assert status == 200 and sent["total_cents"] == due
    assert stored(sandbox, invoice).credit_cents == 0
    # And the other outcome after it is refused: paid back once
    other = {"outcome": "refunded", "refund_id": "re_late"}
    status, refusal = operator(sandbox, "POST", path, body=other)
    assert status == 409 and refusal["error"]["code"] == "psp_refund_settled"


def test_an_operator_records_a_partial_refund_made_in_the_psps_dashboard(sandbox, monkeypatch):
    """R13 (kept and refunded, never dropped), R27, R34, R38: Given a credit whose PSP refund
    timed out, and the PSP's dashboard shows a refund of only EUR 1.00 of it (made there by
    hand)
    When an operator records that refund with its amount, and the request is retried with
    its Idempotency-Key; then the same key with another amount
    Then one REFUND entry of EUR 1.00 on the iDEAL payment, the same answer twice, nothing
    pending, the rest refundable by bank; the other body under that key is refused (422),
    an amount above the one asked of the PSP too (422 psp_refund_above_asked)."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch, paid_back_cents=100)
    due = invoice.amount_due_cents
    path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_payment_id}"
    by_hand = refund_in_the_dashboard(sandbox, psp_payment_id)
    above = {"outcome": "refunded", "refund_id": by_hand, "amount_cents": due + 1}
    status, refusal = operator(sandbox, "POST", path, body=above)
    assert status == 422 and refusal["error"]["code"] == "psp_refund_above_asked"
    key = {"Idempotency-Key": "dashboard-1"}
    body = {"outcome": "refunded", "refund_id": by_hand, "amount_cents": 100}
    answers = [operator(sandbox, "POST", path, body=body, headers=key) for _ in range(2)]
    assert [status for status, _ in answers] == [200, 200] and answers[0][1] == answers[1][1]
    held = answers[0][1]
    assert (held["psp_refund_pending"], held["credit_cents"], held["by_bank_cents"]) == (
        False,
        due - 100,
        due - 100,
    )
    refunds = [e for e in stored(sandbox, invoice).ledger if e.kind is EntryKind.REFUND]
    assert [(e.amount_cents, e.cause) for e in refunds] == [(100, f"psp:{psp_payment_id}")]
    other = {**body, "amount_cents": 200}
    status, refusal = operator(sandbox, "POST", path, body=other, headers=key)
    assert status == 422 and refusal["error"]["code"] == "idempotency_key_reused"
    # And the rest goes back by bank
    status, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    assert status == 200 and batch["total_cents"] == due - 100


# --- a refund id is checked with the PSP (audit security3 SEC3-2) --------------------------------


def test_a_refund_id_the_psp_does_not_know_on_the_payment_is_refused(sandbox, monkeypatch):
    """R13, R11, R34 (audit security3 SEC3-2): Given a credit whose PSP refund timed out
    (pending)
    When an operator records it refunded under the payment's own id (tr_...), then under
    the refund's real id
    Then the first is 422 unknown_psp_refund and books nothing (still pending); the
    second is booked with the status the PSP gave kept."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch)
    path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_payment_id}"
    wrong = {"outcome": "refunded", "refund_id": psp_payment_id}
    status, refusal = operator(sandbox, "POST", path, body=wrong)
    assert status == 422 and refusal["error"]["code"] == "unknown_psp_refund"
    assert [e for e in stored(sandbox, invoice).ledger if e.kind is EntryKind.REFUND] == []
    [item] = operator(sandbox, "GET", "/api/v1/operator/refunds")[1]["items"]
    assert item["psp_payments_pending"] == [psp_payment_id]
    real = refund_in_the_dashboard(sandbox, psp_payment_id)
    status, held = operator(sandbox, "POST", path, body={"outcome": "refunded", "refund_id": real})
    assert status == 200 and held["credit_cents"] == 0
    assert psp_refund_status(stored(sandbox, invoice), real) == "pending"


def test_a_webhook_whose_payment_has_a_refund_id_the_psp_does_not_know_answers_200(
    sandbox, monkeypatch
):
    """R13, R11 (audit security3 SEC3-2): Given a credit whose PSP refund timed out,
    recorded by an operator before ids were checked as two refunds: EUR 1.00 under the
    payment's own id (unknown to the PSP) and the rest under the refund's real id
    When the real refund fails at the PSP (the patient's account closed) and the PSP calls
    the payment's webhook
    Then the webhook answers 200 (not 5xx for good), the failed refund is undone (its
    credit held for the patient again, refundable by bank) and the unknown one is left."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch)
    due = invoice.amount_due_cents
    real = refund_in_the_dashboard(sandbox, psp_payment_id)
    at = datetime(2026, 11, 26, 10, 0, tzinfo=AMSTERDAM)
    cause = f"psp:{psp_payment_id}"

    def recorded_unchecked(current: Invoice) -> Invoice:
        unknown = apply_refund(current, psp_payment_id, 100, at, cause)
        return apply_refund(unknown, real, due - 100, at, cause)

    save_change(sandbox.runtime.repository, stored(sandbox, invoice), recorded_unchecked)
    assert stored(sandbox, invoice).credit_cents == 0

    webhook = sandbox.runtime.psp.end_refund(psp_payment_id, real, "failed")  # type: ignore[attr-defined]
    answer = sandbox.post_psp_webhook(webhook.body)

    assert answer["statusCode"] == 200
    after = stored(sandbox, invoice)
    assert after.credit_cents == due - 100
    assert psp_refund_status(after, real) == "failed"
    assert psp_refund_status(after, psp_payment_id) is None
    [item] = operator(sandbox, "GET", "/api/v1/operator/refunds")[1]["items"]
    assert item["by_bank_cents"] == due - 100


# --- a refund that fails at the PSP while an operator's record of it is in flight (RACES1) -------


def emitted_metrics(lines: list[str]) -> dict[str, list[float]]:
    """The metrics of the EMF lines printed (Powertools' metrics switched on)."""
    found: dict[str, list[float]] = {}
    for line in lines:
        if '"_aws"' not in line:
            continue
        emitted = json.loads(line)
        for metric in emitted["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            value = emitted[metric["Name"]]
            found.setdefault(metric["Name"], []).extend(
                value if isinstance(value, list) else [value]
            )
    return found


def test_a_recorded_refund_that_fails_before_its_save_is_undone_and_alarmed(
    sandbox, monkeypatch, capsys
):
    """R13, R11 (audit races RACES1): Given a credit whose PSP refund timed out (pending),
    and the refund fails at the PSP, its webhook handled, between the operator's check of
    it (pending) and the record's save
    When the operator records it refunded
    Then the answer holds the credit again, refundable by bank, nothing pending; the
    refund is undone on the invoice (failed) and Refund_failed is counted (its alarm)."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch)
    due = invoice.amount_due_cents
    real = refund_in_the_dashboard(sandbox, psp_payment_id)
    check = FakePsp.refund_status
    webhooks = []

    def failed_meanwhile(psp, payment_id, refund_id):
        answer = check(psp, payment_id, refund_id)
        if not webhooks:
            webhooks.append(
                sandbox.post_psp_webhook(psp.end_refund(payment_id, refund_id, "failed").body)
            )
        return answer

    monkeypatch.setattr(FakePsp, "refund_status", failed_meanwhile)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    capsys.readouterr()
    path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_payment_id}"

    status, held = operator(sandbox, "POST", path, body={"outcome": "refunded", "refund_id": real})

    assert [answer["statusCode"] for answer in webhooks] == [200]
    assert status == 200
    assert (held["credit_cents"], held["by_bank_cents"], held["psp_refund_pending"]) == (
        due,
        due,
        False,
    )
    after = stored(sandbox, invoice)
    assert psp_refund_status(after, real) == "failed" and after.credit_cents == due
    assert emitted_metrics(capsys.readouterr().out.splitlines()).get("Refund_failed") == [1.0]


def test_the_psp_unreachable_while_an_operator_records_a_refund_answers_503(sandbox, monkeypatch):
    """R13, interfaces.md §2 (audit races, operator API): Given a credit whose PSP refund
    timed out (pending), and the PSP cannot be reached
    When an operator records it refunded, then again with the PSP back (the same
    Idempotency-Key)
    Then first 503 psp_unavailable in Dutch and English (not API Gateway's 502), nothing
    booked, still pending; the retry is not answered from the first, and books it."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch)
    real = refund_in_the_dashboard(sandbox, psp_payment_id)
    check = FakePsp.refund_status

    def unreachable(psp, payment_id, refund_id):
        raise PspUnavailable("ConnectionError")

    monkeypatch.setattr(FakePsp, "refund_status", unreachable)
    path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_payment_id}"
    body = {"outcome": "refunded", "refund_id": real}
    key = {"Idempotency-Key": "dashboard-1"}

    status, refusal = operator(sandbox, "POST", path, body=body, headers=key)

    assert status == 503 and refusal["error"]["code"] == "psp_unavailable"
    dutch, english = refusal["error"]["message"].split(" / ")
    assert "opnieuw" in dutch and "again" in english
    assert [e for e in stored(sandbox, invoice).ledger if e.kind is EntryKind.REFUND] == []
    [item] = operator(sandbox, "GET", "/api/v1/operator/refunds")[1]["items"]
    assert item["psp_payments_pending"] == [psp_payment_id]
    monkeypatch.setattr(FakePsp, "refund_status", check)
    status, held = operator(sandbox, "POST", path, body=body, headers=key)
    assert status == 200 and held["credit_cents"] == 0


# --- a refund booked under a wrong id before ids were checked, corrected (known.md stop 39) -----


def booked_under_the_payments_own_id(sandbox: Sandbox, invoice: Invoice, psp_payment_id: str):
    """As an operator's record from before ids were checked left it: the pending refund
    booked refunded under the payment's own id (tr_...), which the PSP has no refund of."""
    at = datetime(2026, 11, 26, 10, 0, tzinfo=AMSTERDAM)

    def recorded_unchecked(current: Invoice) -> Invoice:
        return settle_pending_refund(
            current, psp_payment_id, "refunded", psp_payment_id, "operator-anna", at
        )

    save_change(sandbox.runtime.repository, stored(sandbox, invoice), recorded_unchecked)
    assert stored(sandbox, invoice).credit_cents == 0


@pytest.mark.parametrize("ended", ["refunded", "failed"])
def test_a_refund_booked_under_a_wrong_id_is_corrected_and_read_by_its_real_id(
    sandbox, monkeypatch, capsys, ended
):
    """R13, R27, R34 (known.md stop 39, PSP; audit security3 SEC3-2): Given a credit whose
    PSP refund timed out, recorded refunded before ids were checked under the payment's own
    id: every webhook of the payment says Refund_unknown_at_psp (its alarm)
    When an operator records the refund's real id (from the PSP's dashboard) on the same
    route, and sends it again (after a typo the PSP does not know: 422, nothing booked)
    Then 200 twice, the credit still refunded: the wrong one taken back and the refund
    booked under its real id (append-only), recorded with who and when, its status read
    And when the real refund ends at the PSP, the next webhook books its status (a failed
    one undone: the credit held again, refundable by bank) and Refund_unknown_at_psp is
    no longer counted.
    And another id after the correction is refused (409 psp_refund_settled): the PSP knows
    the one booked, nothing to correct."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch)
    due = invoice.amount_due_cents
    real = refund_in_the_dashboard(sandbox, psp_payment_id)
    booked_under_the_payments_own_id(sandbox, invoice, psp_payment_id)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    capsys.readouterr()
    replayed = sandbox.post_psp_webhook(sandbox.runtime.psp.webhook(psp_payment_id).body)
    assert replayed["statusCode"] == 200
    assert emitted_metrics(capsys.readouterr().out.splitlines())["Refund_unknown_at_psp"] == [1.0]
    path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_payment_id}"
    typo = {"outcome": "refunded", "refund_id": "re_typo"}
    status, refusal = operator(sandbox, "POST", path, body=typo)
    assert status == 422 and refusal["error"]["code"] == "unknown_psp_refund"
    body = {"outcome": "refunded", "refund_id": real}

    answers = [operator(sandbox, "POST", path, who="operator-bob", body=body) for _ in range(2)]

    assert [status for status, _ in answers] == [200, 200] and answers[0][1] == answers[1][1]
    assert (answers[0][1]["credit_cents"], answers[0][1]["psp_refund_pending"]) == (0, False)
    corrected = stored(sandbox, invoice)
    refunds = [(e.amount_cents, e.cause) for e in corrected.ledger if e.kind is EntryKind.REFUND]
    cause = f"psp:{psp_payment_id}"
    assert refunds == [(due, cause), (-due, cause), (due, cause)]
    assert psp_refund_status(corrected, real) == "pending"  # read once more after the save
    [record] = [m for m in corrected.applied_payments if m.startswith("refund-id-corrected:")]
    assert record.startswith(f"refund-id-corrected:{psp_payment_id} to {real} by operator-bob at ")
    # And another id after it is refused: the PSP knows the one booked now
    other = {"outcome": "refunded", "refund_id": "re_other"}
    status, refusal = operator(sandbox, "POST", path, body=other)
    assert status == 409 and refusal["error"]["code"] == "psp_refund_settled"
    assert real in refusal["error"]["message"]
    capsys.readouterr()

    webhook = sandbox.runtime.psp.end_refund(psp_payment_id, real, ended)  # type: ignore[attr-defined]
    assert sandbox.post_psp_webhook(webhook.body)["statusCode"] == 200

    after = stored(sandbox, invoice)
    assert psp_refund_status(after, real) == ended
    assert after.credit_cents == (due if ended == "failed" else 0)
    metrics = emitted_metrics(capsys.readouterr().out.splitlines())
    assert "Refund_unknown_at_psp" not in metrics
    assert metrics.get("Refund_failed") == ([1.0] if ended == "failed" else None)


def test_the_wrong_id_again_after_the_correction_says_it_was_corrected_and_a_retry_replays(
    sandbox, monkeypatch
):
    """R34, R38, R13 (known.md stop 40, PSP): Given a refund booked under the payment's own
    id before ids were checked, corrected by an operator to its real id with an
    Idempotency-Key
    When the correction is sent again with the same key, and then the wrong id is sent
    again (another key, and none)
    Then the retry replays the correction's answer (200, the same body, nothing booked
    twice), and the wrong id is refused with 409 psp_refund_id_corrected naming the id it
    was corrected to and by whom: not a 200 that looks as if it were booked; the ledger
    stays as the correction left it."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch)
    real = refund_in_the_dashboard(sandbox, psp_payment_id)
    booked_under_the_payments_own_id(sandbox, invoice, psp_payment_id)
    path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_payment_id}"
    body = {"outcome": "refunded", "refund_id": real}
    key = {"Idempotency-Key": "correct-1"}

    answers = [
        operator(sandbox, "POST", path, who="operator-bob", body=body, headers=key)
        for _ in range(2)
    ]
    assert [status for status, _ in answers] == [200, 200] and answers[0][1] == answers[1][1]
    corrected = stored(sandbox, invoice)
    assert len([e for e in corrected.ledger if e.kind is EntryKind.REFUND]) == 3

    wrong = {"outcome": "refunded", "refund_id": psp_payment_id}
    for headers in ({"Idempotency-Key": "wrong-again"}, None):
        status, refusal = operator(sandbox, "POST", path, body=wrong, headers=headers)
        assert status == 409 and refusal["error"]["code"] == "psp_refund_id_corrected", refusal
        dutch, english = refusal["error"]["message"].split(" / ")
        for said in (dutch, english):
            assert real in said and psp_payment_id in said and "operator-bob" in said
    assert stored(sandbox, invoice).ledger == corrected.ledger


def test_a_refund_id_recorded_over_one_the_psp_knows_is_refused_and_changes_nothing(
    sandbox, monkeypatch
):
    """R13, R34 (known.md stop 39, PSP): Given a credit whose PSP refund timed out, recorded
    before statuses were kept under its real id (the PSP knows it; no status read yet)
    When an operator records another id for that payment's refund
    Then 409 psp_refund_settled saying the PSP knows the one booked, and nothing changes."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch)
    real = refund_in_the_dashboard(sandbox, psp_payment_id)
    at = datetime(2026, 11, 26, 10, 0, tzinfo=AMSTERDAM)

    def recorded_unread(current: Invoice) -> Invoice:
        return settle_pending_refund(current, psp_payment_id, "refunded", real, "anna", at)

    save_change(sandbox.runtime.repository, stored(sandbox, invoice), recorded_unread)
    before = stored(sandbox, invoice)
    path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_payment_id}"

    status, refusal = operator(
        sandbox, "POST", path, body={"outcome": "refunded", "refund_id": "re_x"}
    )

    assert status == 409 and refusal["error"]["code"] == "psp_refund_settled"
    dutch, english = refusal["error"]["message"].split(" / ")
    assert real in dutch and "niets te verbeteren" in dutch and "nothing to correct" in english
    assert stored(sandbox, invoice).ledger == before.ledger


# --- a batch nobody approves (audit ops, stop 42) ------------------------------------------------


def test_r39_a_refund_batch_left_unapproved_is_counted_by_the_monday_run(
    sandbox, monkeypatch, capsys
):
    """R39 ("an alarm for ... refunds pending"), R34, R13 (audit ops, stop 42: a refund
    batch proposed and never approved raised nothing, however long the patient waited;
    Refund_pending counts only a PSP refund at its webhook).
    Given a refund batch proposed on Monday 23 November 2026 and never approved
    When the Monday run of 30 November runs (a week later), and a second batch proposed
    that morning is not yet that old
    Then the run counts one batch waiting for approval too long (Refund_batches_waiting,
    read by TransferBatchWaitingAlarm) and names it in its answer."""
    invoice = paid_twice(sandbox)
    account = {"iban": "NL39RABO0300065264", "account_holder": "A. Visser"}
    body = {"refunds": [{"reference": invoice.reference, **account}]}
    status, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=body)
    assert status == 200 and batch["state"] == "proposed"
    sandbox.clock.set(date(2026, 11, 30))
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    capsys.readouterr()
    # When the Monday run runs a week later
    answer = sandbox.run_retrocession()
    # Then it counts the batch and names it
    emitted = emitted_metrics(capsys.readouterr().out.splitlines())
    assert emitted["Refund_batches_waiting"] == [1.0]
    assert emitted["Payout_batches_waiting"] == [0.0]
    assert answer["batches_waiting"] == [batch["batch_id"]]


def test_r39_a_psp_refund_left_pending_is_counted_again_by_the_monday_run(
    sandbox, monkeypatch, capsys
):
    """R39 ("an alarm for ... refunds pending"), R13, R34 (audit refundwait56: Refund_pending
    was counted once, at the webhook; the alarm went back to OK an hour later while the
    refund stayed pending, and nothing counted it again).
    Given an iDEAL payment on 23 November 2026 whose automatic refund timed out (pending)
    When the retrocession run runs that same day, then on Monday 30 November, then again
    after an operator recorded the refund the PSP's dashboard shows
    Then the first run counts nothing (pending less than a day), the Monday run counts the
    refund (Refund_pending_waiting = 1, read by RefundPendingAlarm) and names its payment,
    and the run after the record counts 0."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")

    def counted() -> tuple[list[float], list[str]]:
        capsys.readouterr()
        answer = sandbox.run_retrocession()
        emitted = emitted_metrics(capsys.readouterr().out.splitlines())
        return emitted["Refund_pending_waiting"], answer["psp_refunds_pending"]

    # When the run runs the day the refund went pending: not a day yet
    assert counted() == ([0.0], [])
    # When the Monday run runs a week later: counted again, and named
    sandbox.clock.set(datetime.combine(date(2026, 11, 30), time(5), tzinfo=AMSTERDAM))
    assert counted() == ([1.0], [psp_payment_id])
    # When an operator records what the PSP says: no longer pending, counted 0
    path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_payment_id}"
    body = {"outcome": "refunded", "refund_id": refund_in_the_dashboard(sandbox, psp_payment_id)}
    assert operator(sandbox, "POST", path, body=body)[0] == 200
    assert counted() == ([0.0], [])


def test_r39_a_psp_refund_pending_whose_credit_a_bank_return_took_is_still_counted(
    sandbox, monkeypatch, capsys
):
    """R39 ("an alarm for ... refunds pending"), R13, R12 (brief runs57 item 3): given an
    invoice paid by bank transfer and by iDEAL, whose automatic refund of the iDEAL
    payment timed out (pending at the PSP), and the bank returning the transfer the next
    day (MD06): the credit is gone, the refund still pending
    When the Monday run runs on 30 November
    Then it counts the refund (Refund_pending_waiting = 1) and names its payment, and the
    operator's list of held credits shows it pending (credit 0, nothing by bank): the PSP
    may still pay it back, and only an operator records what it did. Before: the invoice
    left the by-credit index with its credit; the run counted 0 and the list was empty."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch, tx_id="RABO20261124R1")
    returned = debit(invoice.amount_due_cents, return_reason="MD06", tx_id="RABO20261124R1")
    answer = sandbox.upload_bank_statement(statement(returned, statement_id="S2"), "2026-11-25.xml")
    assert answer["imported"][0]["reversed"] == 1
    assert stored(sandbox, invoice).credit_cents == 0
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    sandbox.clock.set(datetime.combine(date(2026, 11, 30), time(5), tzinfo=AMSTERDAM))
    capsys.readouterr()

    answer = sandbox.run_retrocession()

    emitted = emitted_metrics(capsys.readouterr().out.splitlines())
    assert (emitted["Refund_pending_waiting"], answer["psp_refunds_pending"]) == (
        [1.0],
        [psp_payment_id],
    )
    status, held = operator(sandbox, "GET", "/api/v1/operator/refunds")
    assert status == 200
    assert [
        (i["reference"], i["credit_cents"], i["by_bank_cents"], i["psp_payments_pending"])
        for i in held["items"]
    ] == [(invoice.reference, 0, 0, [psp_payment_id])]


def on_monday(sandbox: Sandbox, monday: date) -> None:
    """The Monday retrocession run, at 05:00 of that Monday (R24)."""
    sandbox.clock.set(datetime.combine(monday, time(5), tzinfo=AMSTERDAM))
    sandbox.run_retrocession(monday)


def test_a_bank_refund_the_patients_bank_returned_is_the_refund_undone_not_a_payment(sandbox):
    """R13, R24, R27, R34 (audit statements2): Given a credit of a second transfer paid back
    by our bank refund (week 49), and the patient's bank returning that refund (listed
    ``refund_returned``), when an operator matches the returned money to the invoice
    (week 50), then it is the refund undone: a REFUND entry of minus the amount, the
    credit held for the patient again and refundable by bank, no "payment received"
    e-mail; and the weeks' statements count the patient's money once: received only in
    the week the patient paid, the fee charged once, the return paid back to the practice
    as less refunded. Before: a PAYMENT, received twice (+€ credit in week 50 and a
    second service fee on it)."""
    sandbox.clock.set(datetime(2026, 11, 24, 9, tzinfo=AMSTERDAM))
    invoice = paid_twice(sandbox)
    due = invoice.amount_due_cents
    on_monday(sandbox, date(2026, 11, 30))  # 2026-W48: both transfers received
    sandbox.clock.set(datetime(2026, 12, 1, 9, tzinfo=AMSTERDAM))
    status, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    assert status == 200
    status, sent = operator(
        sandbox, "POST", f"/api/v1/operator/refunds/{batch['batch_id']}/approve", who="bob"
    )
    assert status == 200 and sent["state"] == "sent"
    [transfer] = sent["transfers"]
    # The patient's bank returns the refund (a credit repeating our end-to-end id)
    sandbox.clock.set(datetime(2026, 12, 3, 7, tzinfo=AMSTERDAM))
    returned = BankLine(transfer["end_to_end_id"], transfer["amount_cents"], "AC04")
    sandbox.upload_bank_statement(bank_day(date(2026, 12, 3), [returned]), "2026-12-03.xml")
    status, listed = operator(sandbox, "GET", "/api/v1/operator/unmatched-credits")
    [back] = [c for c in listed["items"] if c["reason"] == "refund_returned"]
    on_monday(sandbox, date(2026, 12, 7))  # 2026-W49: the refund left
    sandbox.drain_deliveries()
    mails_before = len(sandbox.outbox())
    # When an operator matches it to the invoice in week 50
    sandbox.clock.set(datetime(2026, 12, 8, 9, tzinfo=AMSTERDAM))
    path = f"/api/v1/operator/unmatched-credits/{back['credit_id']}/match"
    status, _ = operator(sandbox, "POST", path, body={"reference": invoice.reference})
    assert status == 200
    sandbox.drain_deliveries()
    # Then the refund is undone: the credit held again, no payment booked, no e-mail
    after = stored(sandbox, invoice)
    last = after.ledger[-1]
    assert (last.kind, last.amount_cents) == (EntryKind.REFUND, -due)
    payments = [e for e in after.ledger if e.kind is EntryKind.PAYMENT]
    assert sum(e.amount_cents for e in payments) == -2 * due  # the patient's two transfers
    assert after.credit_cents == due
    assert credit_refundable_by_bank(after) == due
    assert len(sandbox.outbox()) == mails_before
    # And matched again (a retry) it books nothing more
    operator(sandbox, "POST", path, body={"reference": invoice.reference})
    assert len(stored(sandbox, invoice).ledger) == len(after.ledger)
    # And the statements count the patient's money once (R24)
    on_monday(sandbox, date(2026, 12, 14))
    weeks = {
        week: json.loads(sandbox.output_object(f"retrocession/{DENTAL.provider_id}/{week}.json"))[
            "settlement"
        ]
        for week in ("2026-W48", "2026-W49", "2026-W50")
    }
    w48, w49, w50 = weeks.values()
    assert w48["received"] == 2 * due
    assert (w49["received"], w49["refunded"], w49["payout"]) == (0, due, -due)
    assert w50 == {"received": 0, "refunded": -due, "service_fee": 0, "payout": due}
    assert sum(w["received"] for w in weeks.values()) == 2 * due
    assert sum(w["service_fee"] for w in weeks.values()) == w48["service_fee"]


def test_r34_the_match_answer_of_a_returned_refund_says_the_refund_was_undone(sandbox):
    """R13, R24, R34 (stop 45 money9, /tmp/audit-money9/refund_returned_answer.py): Given
    a bank refund of an invoice's credit that the patient's bank returned (listed
    ``refund_returned``), when an operator matches it to the invoice, then the answer's
    part says ``outcome: refund_undone`` with its amount, also on a retry, where before it
    read like a payment booked (outcome absent, no reversal); and an ordinary credit
    matched to a kenmerk says ``payment``."""
    sandbox.clock.set(datetime(2026, 11, 24, 9, tzinfo=AMSTERDAM))
    invoice = paid_twice(sandbox)
    due = invoice.amount_due_cents
    sandbox.clock.set(datetime(2026, 12, 1, 9, tzinfo=AMSTERDAM))
    _, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    approve = f"/api/v1/operator/refunds/{batch['batch_id']}/approve"
    _, sent = operator(sandbox, "POST", approve, who="bob")
    [transfer] = sent["transfers"]
    returned = BankLine(transfer["end_to_end_id"], transfer["amount_cents"], "AC04")
    other = credit(700, tx_id="TX-3", ustrd=("tandarts",))
    sandbox.upload_bank_statement(bank_day(date(2026, 12, 3), [returned]), "2026-12-03.xml")
    sandbox.upload_bank_statement(statement(other, statement_id="STMT-25"), "2026-12-03b.xml")
    _, listed = operator(sandbox, "GET", "/api/v1/operator/unmatched-credits")
    [back] = [c for c in listed["items"] if c["reason"] == "refund_returned"]
    [plain] = [c for c in listed["items"] if c["amount_cents"] == 700]

    path = f"/api/v1/operator/unmatched-credits/{back['credit_id']}/match"
    answers = [operator(sandbox, "POST", path, body={"reference": invoice.reference}) for _ in "12"]
    plain_path = f"/api/v1/operator/unmatched-credits/{plain['credit_id']}/match"
    status, paid = operator(sandbox, "POST", plain_path, body={"reference": invoice.reference})

    for status_, answer in answers:  # the match and its retry
        assert status_ == 200, answer
        [part] = answer["matched_to"]
        assert (part["outcome"], part["amount_cents"], part["reverses"]) == (
            "refund_undone",
            due,
            "",
        )
    assert status == 200 and [p["outcome"] for p in paid["matched_to"]] == ["payment"]


def test_credit_of_money_the_agency_has_not_transferred_is_refunded_once_it_arrives(sandbox):
    """R13, R24 (audit agency2, agency4; agencymoney53). Given a claim at the agency, a
    coulance of € 5,00 the practice gave on 10 February and the agency's report of the whole
    claim paid on 9 February: the coulance is the patient's credit, of money the agency holds
    When an operator lists the credit and proposes its refund before the agency's transfer
    Then none of it is refundable by bank (422 credit_awaited_from_agency, said in Dutch and
    English), no pain.001 is written and the week pays out nothing of it (before: € 5,00
    paid to the patient, the practice's payout -€ 5,00); the list says why: € 5,00
    awaited from the agency (R34, ops53: before, by_bank 0 with no reason)
    And once the agency's transfer is read, the list shows it refundable by bank, nothing
    awaited, and the € 5,00 is refunded."""
    from billing_core.payments.booking import owed_on
    from tests.functional.test_blocked_patients import agency_file, hand_over

    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(12))
    sandbox.drain_deliveries()
    invoices = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0]
    invoice = hand_over(sandbox, min(invoices, key=lambda i: i.patient_ref))
    due = owed_on(invoice, date(2027, 2, 9))  # what the agency was told to collect
    sandbox.clock.set(datetime(2027, 2, 10, 10, 0, tzinfo=AMSTERDAM))
    stop = {"scope": "partial", "amount": 500, "reason": "goodwill", "accept_terms": True}
    if invoice.addressee.email:  # the practice confirms it (R21)
        stop["patient_email"] = invoice.addressee.email
    staff = Caller.practice(DENTAL.provider_id, "staff")
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/stop"
    assert sandbox.api("POST", path, caller=staff, body=stop)[0] == 200
    sandbox.clock.set(datetime(2027, 2, 11, 9, 0, tzinfo=AMSTERDAM))
    report = agency_file((invoice.reference, "CMIB-1", "paid", due, "2027-02-09"))
    assert sandbox.upload_collection_report(report, "a.csv")["imported"][0]["booked"] == 1
    assert stored(sandbox, invoice).credit_cents == 500
    # When the operator lists it and proposes its refund
    _, held = operator(sandbox, "GET", "/api/v1/operator/refunds")
    [item] = [i for i in held["items"] if i["reference"] == invoice.reference]
    status, refused = operator(
        sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice)
    )
    # Then nothing of it is refundable yet, and the week pays out nothing of it
    assert (item["credit_cents"], item["by_bank_cents"], item["awaited_from_agency_cents"]) == (
        500,
        0,
        500,
    )
    assert (status, refused["error"]["code"]) == (422, "credit_awaited_from_agency")
    message = refused["error"]["message"]
    assert "nog niet aan ons heeft overgemaakt" in message and "not transferred to us" in message
    assert sandbox.output_keys("refunds/") == []
    sandbox.clock.set(datetime(2027, 2, 15, 5, 0, tzinfo=AMSTERDAM))
    sandbox.run_retrocession()
    _, w06 = sandbox.api(
        "GET", "/api/v1/provider/retrocessions/2027-W06", provider_id=DENTAL.provider_id
    )
    assert w06["settlement"] == {"received": 0, "refunded": 0, "service_fee": 0, "payout": 0}
    # And once the agency's transfer is read, the credit is refunded
    sandbox.clock.set(datetime(2027, 2, 23, 9, 0, tzinfo=AMSTERDAM))
    transfer = credit(due, scor=invoice.reference, tx_id="CMIB-AF", booking_date="2027-02-23")
    sandbox.upload_bank_statement(statement(transfer, statement_id="S-23"), "S-23.xml")
    _, held = operator(sandbox, "GET", "/api/v1/operator/refunds")
    [item] = [i for i in held["items"] if i["reference"] == invoice.reference]
    assert (item["credit_cents"], item["by_bank_cents"], item["awaited_from_agency_cents"]) == (
        500,
        500,
        0,
    )
    status, batch = operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))
    assert (status, batch["total_cents"]) == (200, 500)
    status, sent = operator(
        sandbox, "POST", f"/api/v1/operator/refunds/{batch['batch_id']}/approve"
    )
    assert (status, [t["amount_cents"] for t in sent["transfers"]]) == (200, [500])
    assert stored(sandbox, invoice).credit_cents == 0
