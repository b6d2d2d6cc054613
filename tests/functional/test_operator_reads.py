"""The audit of reads (R32: "every read of a patient's data by a provider user or operator
is logged (who, what, when; NEN 7513) without logging the data itself") for the operator
API's answers that show patients' data: a refund batch proposed, read, approved or
withdrawn; the credits held; a PSP refund settled; the unmatched bank credits and a
credit matched to a kenmerk or a patient; a correction; the audit itself. Each request
writes one record per practice whose data it shows, naming the ids shown, never a name,
an IBAN or a birth date."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billing_core.adapters.dynamo import items
from billing_core.entrypoints.http import cursor
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.shared import reference
from billing_core.shared.audit import NO_PRACTICE_YET
from local.generate import declaration_csv
from local.sandbox import Caller, Sandbox
from local.seed import DENTAL
from tests.functional.test_reads_in_answers import Record, new_records
from tests.functional.test_refunds import (
    PATIENT_ACCOUNT,
    paid_twice,
    psp_refund_timed_out,
    refund_body,
)
from tests.unit.camt_builder import credit, statement
from tests.unit.factories import REFERENCE_KEY, make_invoice

PRACTICE = DENTAL.provider_id
OPERATOR = Caller.operator("operator-sub-1")
PAYER, PAYER_IBAN = "J. de Vries-Jansen", "NL02RABO0123456789"


def as_operator(sandbox: Sandbox, method: str, path: str, **request: Any) -> tuple[int, Any]:
    return sandbox.api(method, path, caller=OPERATOR, **request)


def private(invoice: Invoice, *more: str) -> list[str]:
    """What the answers show of the patient and the payer, and no record may hold."""
    person = invoice.patient
    birth_date = invoice.birth_date.isoformat()
    return [person.display_name, person.last_name, birth_date, *PATIENT_ACCOUNT.values(), *more]


def one_read(records: list[Record], kind: str, subject: str, invoice: Invoice, *more: str):
    assert records == [("operator-sub-1", "operators", kind, subject)]
    assert not [text for text in private(invoice, *more) if text in str(records)]


def another_holding_credit(sandbox: Sandbox) -> Invoice:
    """Another invoice of the dental practice, overpaid by € 7,00 (refunds58)."""
    issued = make_invoice(
        invoice_id="inv-held-2",
        provider_id=PRACTICE,
        patient_ref="P-2",
        reference=reference.for_sequence(900_002, REFERENCE_KEY),
    )
    paid = LedgerEntry(
        EntryKind.PAYMENT, Component.PRINCIPAL, -issued.balance_cents - 700, sandbox.clock.now(), ""
    )
    other = replace(issued, ledger=(*issued.ledger, paid))
    sandbox.runtime.repository._table.put_item(Item=items.invoice_to_item(other))
    return other


def test_every_refund_batch_answer_records_one_read_naming_the_batch_and_its_kenmerken(sandbox):
    """R32, NEN 7513 (known since stop 31: refund-batch answers had no read record).
    Given an invoice of the dental practice holding credit (paid twice)
    and another of its invoices paid twice too (refunds58)
    When an operator lists the credits held a page of one at a time, proposes the refund
    (the answer shows the patient's account holder and IBAN), reads the batch, withdraws
    it, proposes it again and approves that batch
    Then each request wrote one record for the practice: each page of the list names its
    own patient and invoice only (access52; refunds58: the list was one answer of every
    credit held, past Lambda's 6 MB at scale), the last page gives no next_cursor and a
    cursor that is none answers 400 invalid_cursor; each batch answer the batch, the
    refund's patient by number (access53: it named the kenmerk only, so a search of the
    access log by patient missed it) and the invoice's kenmerk; no name, IBAN or birth
    date."""
    invoice = paid_twice(sandbox)
    other = another_holding_credit(sandbox)
    kenmerk = f"patient:{invoice.patient_ref} kenmerk:{invoice.reference}"
    refunds, query = "/api/v1/operator/refunds", {"limit": "1"}
    cursors = []
    newest_first = sorted((other, invoice), key=lambda i: (i.issue_date, i.invoice_id))[::-1]
    for shown in newest_first:  # one practice: its newest first
        (status, held), records = new_records(
            sandbox, lambda q=query: as_operator(sandbox, "GET", refunds, query=q)
        )
        assert status == 200
        assert [h["invoice_id"] for h in held["items"]] == [shown.invoice_id]
        one_read(
            records,
            "invoice_list",
            f"held_credits patient:{shown.patient_ref} invoice:{shown.invoice_id}",
            shown,
        )
        cursors.append(held["next_cursor"])
        query = query | {"cursor": held["next_cursor"]}
    assert cursors[0] is not None and cursors[1] is None
    for bad in ("not-a-cursor", cursor.encode("x")):  # the second: a token of no position
        status, answer = as_operator(sandbox, "GET", refunds, query={"cursor": bad})
        assert (status, answer["error"]["code"]) == (400, "invalid_cursor")

    def propose() -> tuple[int, Any]:
        return as_operator(sandbox, "POST", "/api/v1/operator/refunds", body=refund_body(invoice))

    (status, batch), records = new_records(sandbox, propose)
    assert status == 200 and batch["transfers"][0]["name"] == PATIENT_ACCOUNT["account_holder"]
    one_read(records, "refund_batch", f"{batch['batch_id']} {kenmerk}", invoice)
    one = f"/api/v1/operator/payouts/{batch['batch_id']}"
    (status, _), records = new_records(sandbox, lambda: as_operator(sandbox, "GET", one))
    assert status == 200
    one_read(records, "refund_batch", f"{batch['batch_id']} {kenmerk}", invoice)
    withdraw = f"/api/v1/operator/refunds/{batch['batch_id']}/withdraw"
    why = {"reason": "verkeerde rekening"}
    (status, _), records = new_records(
        sandbox, lambda: as_operator(sandbox, "POST", withdraw, body=why)
    )
    assert status == 200
    one_read(records, "refund_batch", f"{batch['batch_id']} {kenmerk}", invoice)

    (status, again), _ = new_records(sandbox, propose)
    approve = f"/api/v1/operator/refunds/{again['batch_id']}/approve"
    (status, sent), records = new_records(sandbox, lambda: as_operator(sandbox, "POST", approve))
    assert (status, sent["state"]) == (200, "sent")
    one_read(records, "refund_batch", f"{again['batch_id']} {kenmerk}", invoice)


def test_settling_a_psp_refund_records_one_read_of_the_invoice(sandbox, monkeypatch):
    """R32, NEN 7513. Given a credit whose PSP refund timed out
    When an operator records what the PSP's dashboard says (the answer: the invoice's
    credit held)
    Then one record for the practice names the patient and the invoice (access52)."""
    invoice, psp_payment_id = psp_refund_timed_out(sandbox, monkeypatch)
    path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_payment_id}"
    body = {"outcome": "failed"}
    (status, _), records = new_records(
        sandbox, lambda: as_operator(sandbox, "POST", path, body=body)
    )
    assert status == 200
    one_read(
        records,
        "invoice_list",
        f"held_credits patient:{invoice.patient_ref} invoice:{invoice.invoice_id}",
        invoice,
    )


def unmatched_credit(sandbox: Sandbox, cents: int) -> str:
    """Given a credit nobody could match, from a named payer: its id."""
    xml = statement(credit(cents, ustrd=("betaling nota",), payer=PAYER, payer_iban=PAYER_IBAN))
    assert sandbox.upload_bank_statement(xml, "2026-11-24.xml")["imported"][0]["unmatched"] == 1
    [line] = as_operator(sandbox, "GET", "/api/v1/operator/unmatched-credits")[1]["items"]
    return str(line["credit_id"])


def invoices_of(sandbox: Sandbox, count: int) -> list[Invoice]:
    sandbox.upload_declaration(PRACTICE, "week-47.csv", declaration_csv(count))
    found, _ = sandbox.runtime.repository.list_invoices(PRACTICE)
    return sorted(found, key=lambda i: i.invoice_id)


def test_the_unmatched_credits_and_a_match_each_record_one_read_naming_the_credit(sandbox):
    """R32, NEN 7513. Given a credit from a named payer nobody could match
    When an operator lists the unmatched credits, then matches it to an invoice's kenmerk
    (each answer shows the payer's name and IBAN, the match the invoice it went to)
    Then the list wrote one record under no practice yet naming the credit, the match one
    for the practice naming the credit, the invoice's patient by number (access53: it
    named ids only) and the invoice; neither the name nor the IBAN."""
    [invoice] = invoices_of(sandbox, 1)
    credit_id = unmatched_credit(sandbox, invoice.amount_due_cents)
    (status, listed), records = new_records(
        sandbox,
        lambda: as_operator(sandbox, "GET", "/api/v1/operator/unmatched-credits"),
        NO_PRACTICE_YET,
    )
    assert status == 200 and listed["items"][0]["counterparty_name"] == PAYER
    one_read(records, "bank_credits", f"credit:{credit_id}", invoice, PAYER, PAYER_IBAN)
    path = f"/api/v1/operator/unmatched-credits/{credit_id}/match"
    (status, matched), records = new_records(
        sandbox, lambda: as_operator(sandbox, "POST", path, body={"reference": invoice.reference})
    )
    assert status == 200 and matched["counterparty_iban"] == PAYER_IBAN
    subject = f"credit:{credit_id} patient:{invoice.patient_ref} invoice:{invoice.invoice_id}"
    one_read(records, "bank_credits", subject, invoice, PAYER, PAYER_IBAN)


def test_a_credit_matched_to_a_patient_records_one_read_naming_the_invoice_it_paid(sandbox):
    """R32, NEN 7513, legal-nl.md §5. Given a patient's invoice and a credit that pays it
    When an operator matches the credit to the patient (the answer shows which of the
    patient's invoices it paid, and the payer's name and IBAN)
    Then one record for the practice names the credit, the patient by number (access53)
    and that invoice."""
    [invoice] = invoices_of(sandbox, 1)
    patient = {"provider_id": PRACTICE, "patient_ref": invoice.patient_ref}
    credit_id = unmatched_credit(sandbox, invoice.amount_due_cents)
    path = f"/api/v1/operator/unmatched-credits/{credit_id}/match"
    (status, matched), records = new_records(
        sandbox, lambda: as_operator(sandbox, "POST", path, body=patient)
    )
    assert status == 200 and matched["matched_to"][0]["invoice_id"] == invoice.invoice_id
    subject = f"credit:{credit_id} patient:{invoice.patient_ref} invoice:{invoice.invoice_id}"
    one_read(records, "bank_credits", subject, invoice, PAYER, PAYER_IBAN)


def test_a_correction_records_one_read_of_the_invoice_it_shows(sandbox):
    """R32, NEN 7513, R34. Given a stop the practice entered by mistake
    When an operator reverses it (the answer shows the invoice's ledger)
    Then one record for the practice names the invoice and its patient, as a practice
    user's read does (access52b)."""
    [invoice] = invoices_of(sandbox, 1)
    stop = LedgerEntry(
        EntryKind.STOP, Component.PRINCIPAL, -1_000, sandbox.clock.now(), "provider:u:stop-1"
    )
    sandbox.runtime.repository.save_invoice(invoice.with_entry(stop))
    path = f"/api/v1/operator/invoices/{invoice.reference}/corrections"
    body = {"entry_id": len(invoice.ledger) + 1, "reason": "verkeerde nota"}
    (status, _), records = new_records(
        sandbox, lambda: as_operator(sandbox, "POST", path, body=body)
    )
    assert status == 200
    read = f"{invoice.invoice_id} patient:{invoice.patient_ref}"
    one_read(records, "invoice", read, invoice)


def test_listing_the_audit_records_one_read_naming_the_period(sandbox):
    """R32, NEN 7513: the audit lists who read which patient's invoices; listing it is a
    read too, naming the practice's period it listed."""
    day = sandbox.clock.today().isoformat()
    query = {"provider_id": PRACTICE, "from": day, "to": day}
    (status, _), records = new_records(
        sandbox, lambda: as_operator(sandbox, "GET", "/api/v1/operator/audit", query=query)
    )
    assert status == 200
    assert records == [("operator-sub-1", "operators", "audit", f"{day}..{day}")]
