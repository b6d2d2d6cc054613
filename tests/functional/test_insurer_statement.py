"""R17 on embedded AWS: a patient of the non-contracted physiotherapy practice sends the
insurer's statement; the practice confirms the coulance proposal (seeds 001, 004)."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from unittest import mock
from urllib.parse import urlencode

import pytest

from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.invoices.invoice import Channel
from billing_core.invoices.ledger import EntryKind
from billing_core.providers.provider import Contract
from billing_core.shared.money import format_euros
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import sample
from tests.functional.form_fields import form_fields, marked_invalid
from tests.functional.test_patient_api import FORM, unlock, visit_cookie

PROVIDER = PHYSIO.provider_id


@pytest.fixture
def invoice(sandbox):
    sandbox.upload_declaration(PROVIDER, "week.csv", sample("fysio-centrum-oost-2026-11.csv"))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    return max(
        (i for i in invoices if i.channel is Channel.EMAIL and not i.is_paid),
        key=lambda i: i.amount_due_cents,
    )


def send_statement(sandbox, invoice, birth_date=None, reimbursed=None):
    body = {
        "birth_date": (birth_date or invoice.birth_date).isoformat(),
        "reimbursed": invoice.amount_due_cents * 40 // 100 if reimbursed is None else reimbursed,
        "withheld_deductible": 0,
    }
    return sandbox.api("POST", f"/api/v1/invoices/{invoice.reference}/insurer-statement", body=body)


def test_statement_proposal_and_the_practice_applies_it(sandbox, invoice):
    """Given an invoice of the non-contracted practice, when the patient sends a statement
    of 40% reimbursed, then the answer says the practice decides and the amount is
    unchanged; the practice sees a proposal (60% to pay) and applies it; the checker then
    shows 60% and the patient has the e-mail with the lowered amount."""
    asked = invoice.amount_due_cents
    status, answer = send_statement(sandbox, invoice)
    assert status == 200, answer
    assert answer["outcome"] == "sent_to_provider" and answer["amount_due"] == asked
    assert set(answer) == {"reference", "outcome", "amount_due", "confirmation_sent"}  # no PII

    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    (proposal,) = [a for a in actions["items"] if a["kind"] == "coulance_proposal"]
    to_pay = proposal["details"]["amount_to_pay_cents"]
    assert to_pay == (asked * 60 + 50) // 100

    status, decided = sandbox.api(
        "PATCH",
        f"/api/v1/provider/actions/{proposal['action_id']}",
        provider_id=PROVIDER,
        body={"state": "done", "decision": "apply"},
    )
    assert (
        status == 200 and decided["state"] == "done" and decided["details"]["decision"] == "apply"
    )
    sandbox.drain_deliveries()
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["amount_due"] == to_pay
    lowered = [m for m in sandbox.outbox() if m["kenmerk"] == invoice.reference]
    assert len(lowered) == 2  # the invoice, then the lowered amount


def test_a_second_statement_and_a_wrong_birth_date(sandbox, invoice):
    """Given a statement already received, then a second one is refused (409); a wrong
    birth date answers exactly as an unknown reference (404), without a write."""
    assert send_statement(sandbox, invoice)[0] == 200
    status, answer = send_statement(sandbox, invoice, reimbursed=1)
    assert status == 409 and answer["error"]["code"] == "statement_already_received"
    status, answer = send_statement(sandbox, invoice, birth_date=date(1900, 1, 1))
    assert status == 404


def test_another_practice_cannot_decide_on_the_proposal(sandbox, invoice):
    """R26: the dental practice, with the physiotherapy practice's action id, gets 404 and
    nothing changes."""
    send_statement(sandbox, invoice)
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    (proposal,) = [a for a in actions["items"] if a["kind"] == "coulance_proposal"]
    status, _ = sandbox.api(
        "PATCH",
        f"/api/v1/provider/actions/{proposal['action_id']}",
        provider_id=DENTAL.provider_id,
        body={"state": "done", "decision": "apply"},
    )
    assert status == 404
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["amount_due"] == invoice.amount_due_cents


def send_statement_on_the_page(sandbox, invoice, reimbursed: str):
    """The checker page's statement form, as the patient fills it in after the birth date."""
    cookie = visit_cookie(unlock(sandbox, invoice))
    form = urlencode(
        {
            "action": "statement",
            "kenmerk": invoice.reference,
            "lang": "nl",
            "reimbursed": reimbursed,
            "withheld_deductible": "€ 0,00",
        }
    )
    return sandbox.api("POST", "/", body=form, headers=FORM | {"Cookie": cookie})


def test_r17_the_page_takes_the_amount_as_the_statement_prints_it(sandbox, invoice):
    """Given the insurer's statement prints "€ 1.234,56" the Dutch way (audit care D7), when
    the patient copies the reimbursed amount into the page's form as it stands, then the
    statement is received with that amount."""
    reimbursed = invoice.amount_due_cents * 40 // 100
    status, html = send_statement_on_the_page(sandbox, invoice, format_euros(reimbursed, "nl"))
    assert status == 200 and "Uw zorgverlener beoordeelt het overzicht." in html
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    (proposal,) = [a for a in actions["items"] if a["kind"] == "coulance_proposal"]
    assert proposal["details"]["reimbursed_cents"] == reimbursed


def test_r17_an_amount_the_page_cannot_read_for_sure_says_how_to_type_it(sandbox, invoice):
    """Given "1.234" (1234 or 1.234 euros?), then nothing is received and the page says how
    to type the amount, not only that the form was wrong."""
    status, html = send_statement_on_the_page(sandbox, invoice, "1.234")
    assert status == 400
    assert "met een komma voor de centen" in html and "bijvoorbeeld 60,17 of 1.234,56" in html
    assert send_statement(sandbox, invoice)[0] == 200  # the first statement after all


def test_r17_a_refused_statement_keeps_the_amounts_and_marks_the_field_in_error(sandbox, invoice):
    """Audit pages D2 (WCAG 3.3.1, 4.1.2): given an amount the page cannot read, or two that
    are together more than the invoice, then the amounts come back as typed and the field(s)
    in error, not the kenmerk, are marked invalid and described by the error."""
    status, html = send_statement_on_the_page(sandbox, invoice, "1.234")
    fields = form_fields(html)
    assert status == 400 and marked_invalid(html) == {"reimbursed"}
    assert (
        fields["reimbursed"]["aria-describedby"] == "error" and "autofocus" in fields["reimbursed"]
    )
    assert (fields["reimbursed"]["value"], fields["withheld"]["value"]) == ("1.234", "€ 0,00")

    too_much = format_euros(invoice.amount_due_cents + 100, "nl")
    status, html = send_statement_on_the_page(sandbox, invoice, too_much)
    assert status == 409 and marked_invalid(html) == {"reimbursed", "withheld"}
    assert form_fields(html)["reimbursed"]["value"] == too_much


@pytest.mark.parametrize("first, late", [("decline", "apply"), ("apply", "decline")])
def test_r28_apply_and_decline_at_once_decide_once(sandbox, invoice, first, late):
    """R17, R28 (audit retries D1): two staff members both read the open proposal; one
    decision lands between the other's read and its write. Then the late one answers 409,
    the action holds the first decision, the ledger matches it and the patient gets one
    message, the one about that decision."""
    send_statement(sandbox, invoice)
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    (proposal,) = [a for a in actions["items"] if a["kind"] == "coulance_proposal"]
    path = f"/api/v1/provider/actions/{proposal['action_id']}"
    mails_before = len(sandbox.outbox())

    def decide(decision, user):
        caller = Caller.practice(PROVIDER, "admin", user)
        body = {"state": "done", "decision": decision}
        return sandbox.api("PATCH", path, caller=caller, body=body)

    answers = {}
    read_action = BillingRepository.get_action
    rival_started = threading.Event()

    def first_lands_after_this_read(self, *key):
        found = read_action(self, *key)
        if not rival_started.is_set():  # the late decision's read: the first one runs now
            rival_started.set()
            rival = threading.Thread(target=lambda: answers.update(first=decide(first, "s-1")))
            rival.start()
            rival.join()
        return found

    with mock.patch.object(BillingRepository, "get_action", first_lands_after_this_read):
        answers["late"] = decide(late, "s-2")
    sandbox.drain_deliveries()

    assert answers["first"][0] == 200 and answers["first"][1]["details"]["decision"] == first
    status, refusal = answers["late"]
    assert status == 409 and refusal["error"]["code"] == "proposal_already_decided"
    action = sandbox.runtime.repository.get_action(PROVIDER, proposal["action_id"])
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    forgiven = any(e.kind is EntryKind.COULANCE for e in stored.ledger)
    assert action.details["decision"] == first and forgiven == (first == "apply")
    told = [m["subject"] for m in sandbox.outbox()[mails_before:]]
    expected = "verlaagd" if first == "apply" else "ongewijzigd"
    assert len(told) == 1 and expected in told[0], told


@pytest.mark.parametrize("late", ["done", "open"])
def test_r28_a_state_change_at_the_moment_of_a_decision_loses_neither(sandbox, invoice, late):
    """R23, R28: one staff member applies the proposal while another's state change of it
    (done, or open as read) lands after its read and before its write. Then the decision
    stays on the action (the state change writes the state alone, on condition of the
    state read): the late "done" is answered with the decided action, the late "open"
    is refused (409: the action changed since it was read) and does not reopen it."""
    send_statement(sandbox, invoice)
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    (proposal,) = [a for a in actions["items"] if a["kind"] == "coulance_proposal"]
    path = f"/api/v1/provider/actions/{proposal['action_id']}"
    answers = {}
    read_item = BillingRepository._get
    rival_started = threading.Event()

    def patch(user, body):
        return sandbox.api(
            "PATCH", path, caller=Caller.practice(PROVIDER, "admin", user), body=body
        )

    def decision_lands_after_this_read(self, key, *args, **kwargs):
        found = read_item(self, key, *args, **kwargs)
        if key["sk"].startswith("ACTION#") and not rival_started.is_set():
            rival_started.set()
            body = {"state": "done", "decision": "apply"}
            rival = threading.Thread(target=lambda: answers.update(first=patch("s-1", body)))
            rival.start()
            rival.join()
        return found

    with mock.patch.object(BillingRepository, "_get", decision_lands_after_this_read):
        answers["late"] = patch("s-2", {"state": late})

    assert answers["first"][0] == 200
    action = sandbox.runtime.repository.get_action(PROVIDER, proposal["action_id"])
    assert (action.state.value, action.details["decision"]) == ("done", "apply")
    status, body = answers["late"]
    if late == "done":
        assert status == 200 and body["details"]["decision"] == "apply"
    else:
        assert status == 409 and body["error"]["code"] == "action_changed"


def test_r31_a_contract_entered_later_with_retroactive_effect_leaves_an_issued_invoice_as_it_was(
    sandbox, invoice
):
    """R31 ("a contract signed late with retroactive effect re-rates nothing already
    invoiced"), R17, R37, legal-nl.md §7 (audit coverage COVERAGE1). Given an invoice of
    the practice without a contract with the patient's insurer, which waits for the
    statement, when the operator enters a contract with that insurer from 1 January of
    the invoice's year, then the checker still says "don't pay yet", a statement is taken
    for the practice to decide on (200 sent_to_provider, not 409 insurer_contracted), and
    the daily run sends no reminder on the final payment date + 8: the first reminder
    still waits for the statement."""
    assert PHYSIO.coulance.wait_for_statement and not PHYSIO.contracts
    year = min(line.coverage_date for line in invoice.lines).year
    sandbox.replace_provider(
        PHYSIO.model_copy(
            update={
                "contracts": tuple(
                    Contract(uzovi=uzovi, starts=date(year, 1, 1), ends=date(year, 12, 31))
                    for uzovi in sorted({line.insurer_uzovi for line in invoice.lines})
                )
            }
        )
    )

    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["awaits_insurer_statement"] is True and checker["can_arrange"] is False
    status, answer = send_statement(sandbox, invoice)
    assert status == 200 and answer["outcome"] == "sent_to_provider", answer

    day = invoice.final_payment_date + timedelta(days=8)
    sandbox.clock.set(day)
    sandbox.run_dunning(day)
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert stored.reminder is None
