"""R17 on embedded AWS: a patient of the non-contracted physiotherapy practice sends the
insurer's statement; the practice confirms the coulance proposal (seeds 001, 004)."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from html import unescape
from unittest import mock
from urllib.parse import urlencode

import pytest

from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.changes.coulance import is_non_contracted
from billing_core.changes.coulance_policy import CoulanceMode, CoulancePolicy
from billing_core.invoices.invoice import Channel
from billing_core.invoices.ledger import EntryKind
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.providers.provider import Contract
from billing_core.shared.money import format_euros
from billing_core.texts.catalogue import long_date
from local.generate import declaration_csv
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import lines_of_patient, sample
from tests.functional.form_fields import form_fields, marked_invalid
from tests.functional.test_patient_api import FORM, unlock, visit_cookie
from tests.functional.test_portal_form_errors import error_of
from tests.functional.test_portal_form_races import CHANGED_MEANWHILE_SAID, every_save_meets_another
from tests.functional.test_provider_portal import (
    PortalUser,
    hidden_fields,
    post_forms,
    sample_login,
)

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
    assert set(answer) == {  # no PII
        "reference",
        "outcome",
        "amount_due",
        "final_payment_date",
        "confirmation_sent",
    }
    assert answer["final_payment_date"] is None  # the adjusted amount comes with its own

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


def test_r17_r38_a_statement_sent_twice_at_once_is_taken_once_and_answered_twice(sandbox, invoice):
    """R17, R38 (audit retry51c): the checker's statement form sent twice at once (a
    double click), or the API's request and its retry crossing. The twin lands between
    the other's read and its write; the late one then finds this statement taken and is
    answered as the first (200, the proposal sent to the practice), as a retry sent after
    it is, not refused as a second statement (409 statement_already_received)."""
    answers = {}
    save = BillingRepository.save_invoices
    twin_sent = threading.Event()

    def twin_lands_before_this_save(self, *arguments, **named):  # type: ignore[no-untyped-def]
        if not twin_sent.is_set():  # the late one's write: its twin's lands first
            twin_sent.set()
            twin = threading.Thread(
                target=lambda: answers.update(twin=send_statement(sandbox, invoice))
            )
            twin.start()
            twin.join()
        return save(self, *arguments, **named)

    # Given a statement of 40% reimbursed / When it is sent twice at once
    with mock.patch.object(BillingRepository, "save_invoices", twin_lands_before_this_save):
        answers["late"] = send_statement(sandbox, invoice)
    # Then both are answered as taken: the proposal sent to the practice, once
    assert [answers[k][0] for k in ("twin", "late")] == [200, 200], answers["late"]
    assert answers["late"][1] == answers["twin"][1]
    assert answers["late"][1]["outcome"] == "sent_to_provider"
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    assert [a["kind"] for a in actions["items"]] == ["coulance_proposal"]


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


def send_statement_on_the_page(sandbox, invoice, reimbursed: str, language: str = "nl"):
    """The checker page's statement form, as the patient fills it in after the birth date."""
    cookie = visit_cookie(unlock(sandbox, invoice))
    form = urlencode(
        {
            "action": "statement",
            "kenmerk": invoice.reference,
            "lang": language,
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


def test_r17_r37_a_statement_with_nothing_to_forgive_names_the_amount_and_a_new_date(
    sandbox, invoice
):
    """legal-nl.md §7, R37, R10, R36 (the owners' decision, round 40). Given the practice's
    invoice "don't pay yet", when the patient sends a statement on the page by which the
    insurer reimbursed all of it (the policy forgives nothing: no proposal), then the page
    names the amount and the new final payment date (today + the practice's payment term),
    the e-mail says the same, and the checker shows that date as the one to pay by."""
    sandbox.clock.set(sandbox.clock.now() + timedelta(days=40))  # past the final date
    asked = invoice.amount_due_cents
    status, html = send_statement_on_the_page(sandbox, invoice, format_euros(asked, "nl"))
    sandbox.drain_deliveries()

    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    new_date = sandbox.clock.today() + timedelta(days=PHYSIO.payment_term_days)
    assert checker["final_payment_date"] == checker["breakdown"]["pay_by"] == new_date.isoformat()
    spoken = long_date(new_date, "nl")
    amount = format_euros(asked, "nl")
    notice = html.split('id="notice">', 1)[1].split("</div>", 1)[0]
    assert status == 200 and f"Het bedrag blijft {amount}. Betaal dit uiterlijk {spoken}." in (
        notice
    )
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    assert [a for a in actions["items"] if a["kind"] == "coulance_proposal"] == []
    (email,) = [
        m
        for m in sandbox.outbox()
        if m["kenmerk"] == invoice.reference and "ongewijzigd" in m["subject"]
    ]
    assert f"U betaalt {amount}, uiterlijk {spoken}." in email["text"]


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


# --- a proposal is closed by its decision, once (R17, R23; audit round 37 PA1, PA3) ----------


def proposal_on_the_list(sandbox, invoice):
    """The patient's statement puts a coulance proposal on the practice's list (R17)."""
    assert send_statement(sandbox, invoice)[1]["outcome"] == "sent_to_provider"
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    (proposal,) = [a for a in actions["items"] if a["kind"] == "coulance_proposal"]
    return proposal["action_id"]


def set_action(sandbox, action_id, body):
    path = f"/api/v1/provider/actions/{action_id}"
    return sandbox.api("PATCH", path, provider_id=PROVIDER, body=body)


def test_r17_r23_a_proposal_marked_done_without_a_decision_is_refused(sandbox, invoice):
    """R17, R23, legal-nl.md §7 (audit round 37 PA1). Given a patient's statement that put
    a coulance proposal on the list (the patient was told not to pay yet), when the
    practice marks it done without applying or declining it, then that is refused (400,
    body.decision): the action stays open and the invoice's proposal stays open, where
    before it left the list and the patient heard nothing until a reminder at the full
    amount."""
    action_id = proposal_on_the_list(sandbox, invoice)

    status, answer = set_action(sandbox, action_id, {"state": "done"})

    assert status == 400 and answer["error"]["code"] == "validation_error", answer
    assert answer["error"]["message"].startswith("decision: "), answer
    assert sandbox.runtime.repository.get_action(PROVIDER, action_id).state.value == "open"
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert stored.insurer_statement.proposal_open


def test_r17_r23_a_decided_proposal_is_not_opened_again(sandbox, invoice):
    """R17, R23, R28 (audit round 37 PA3). Given a proposal the practice declined (the
    patient was told), when staff set it open again, then that is refused (409
    proposal_already_decided) and it stays done with its decision, where before it went
    back on the open list, deciding it again left it open, and the portal could not
    close it."""
    action_id = proposal_on_the_list(sandbox, invoice)
    assert set_action(sandbox, action_id, {"state": "done", "decision": "decline"})[0] == 200

    status, answer = set_action(sandbox, action_id, {"state": "open"})

    assert status == 409 and answer["error"]["code"] == "proposal_already_decided", answer
    assert "gaat niet weer open" in answer["error"]["message"]
    stored = sandbox.runtime.repository.get_action(PROVIDER, action_id)
    assert (stored.state.value, stored.details["decision"]) == ("done", "decline")
    assert set_action(sandbox, action_id, {"state": "done"})[0] == 200  # done stays done


def action_row(html, action_id):
    after_its_tag = html.split(f'<tr id="action-{action_id}"', 1)[1].split(">", 1)[1]
    return after_its_tag.split("</tr>", 1)[0]


def test_r17_r35_the_portal_shows_what_a_proposal_would_apply(sandbox, invoice):
    """R17, R23, R35 (audit REQUESTS5): given a proposal on the portal's list, then its row
    names what the staff decide on: what the invoice asked, the insurer's gross
    reimbursement, what the patient would pay and the coulance, as the API's details."""
    action_id = proposal_on_the_list(sandbox, invoice)
    _, action = sandbox.api("GET", f"/api/v1/provider/actions/{action_id}", provider_id=PROVIDER)
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(PHYSIO, "staff"))

    _, html = staff.page("/portal/acties?state=open")

    row = unescape(action_row(html, action_id))
    details = action["details"]
    for label, name in (
        ("Bedrag van de nota", "invoice_amount_cents"),
        ("Vergoeding verzekeraar (bruto)", "gross_reimbursement_cents"),
        ("Patiënt betaalt", "amount_to_pay_cents"),
        ("Coulance", "coulance_cents"),
    ):
        assert f"<dt>{label}</dt><dd>{format_euros(details[name], 'nl')}</dd>" in row, (label, row)


def test_r17_r23_r35_the_portal_closes_a_proposal_by_its_decision_only(sandbox, invoice):
    """R17, R23, R35 (audit round 37 PA1, PA3). Given a proposal on the portal's list, then
    its row offers apply and decline, no "mark done", and a hand-made "done" without a
    decision is refused with the action still open. When staff decline it, then the done
    list offers no "reopen" for it (it did, and once reopened it could not be closed in
    the portal), and a hand-made reopen is refused with the decision kept."""
    action_id = proposal_on_the_list(sandbox, invoice)
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(PHYSIO, "staff"))
    target = f"/portal/acties/{action_id}"

    _, html = staff.page("/portal/acties?state=open")
    buttons = re.findall(r'<button type="submit">([^<]+)</button>', action_row(html, action_id))
    assert buttons == ["Coulance toepassen", "Afwijzen"]
    plain_done = hidden_fields(html, target) | {"state": "done"}
    plain_done.pop("decision")
    status, _, _ = staff.post(target, plain_done)
    # The list with the refusal, not the redirect of a change: 400 as every portal form
    # answers a field it refuses (stop 45 forms2: it answered 200).
    assert status == 400
    assert sandbox.runtime.repository.get_action(PROVIDER, action_id).state.value == "open"

    _, html = staff.page("/portal/acties?state=open")
    forms = [
        dict(re.findall(r'name="([^"]+)" value="([^"]*)"', inside))
        for _, inside in post_forms(html)
    ]
    decline = next(fields for fields in forms if fields.get("decision") == "decline")
    status, headers, _ = staff.post(target, decline)
    assert (status, headers["Location"]) == (303, "/portal/acties?done=1")

    _, html = staff.page("/portal/acties?state=done")
    row = action_row(html, action_id)
    assert "<form" not in row and "Weer openen" not in row
    reopen = {"csrf": staff.csrf(), "form_key": "reopen-by-hand", "state": "open"}
    status, _, html = staff.post(target, reopen)
    # 409 as every portal form answers a refusal of the services (stop 45 forms2: 200).
    assert status == 409 and "gaat niet weer open" in html
    stored = sandbox.runtime.repository.get_action(PROVIDER, action_id)
    assert (stored.state.value, stored.details["decision"]) == ("done", "decline")


@pytest.mark.parametrize(
    "language, sentence",
    [
        ("nl", "Niet gelukt: Een coulancevoorstel sluit u af door het toe te passen of af te"),
        ("en", "Not done: A coulance proposal is closed by applying or declining it"),
    ],
)
def test_r35_a_proposal_marked_done_by_hand_is_refused_in_a_sentence(
    sandbox, invoice, language, sentence
):
    """R35, R17, R23 (fix small37 item 4). Given a coulance proposal on the portal's list
    When staff send a hand-made "done" without a decision, in the portal's language
    Then the page says why in a sentence in that language, as the other portal forms
    say a refusal, and not the bare field name "decision"."""
    action_id = proposal_on_the_list(sandbox, invoice)
    staff = PortalUser(sandbox)
    staff.request("GET", f"/portal/taal/{language}")
    staff.sign_in(sample_login(PHYSIO, "staff"))
    target = f"/portal/acties/{action_id}"
    _, html = staff.page("/portal/acties?state=open")
    plain_done = hidden_fields(html, target) | {"state": "done"}
    plain_done.pop("decision")

    _, _, html = staff.post(target, plain_done)

    error = re.search(r'<div class="alert" role="alert" id="error"[^>]*>(.*?)</div>', html).group(1)
    assert error.startswith(sentence), error
    assert "body." not in error  # not the field name it named


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


@pytest.mark.parametrize("days_after_the_final_date", [-10, 5])
@pytest.mark.parametrize(
    "language, dont_pay, waits_for, pay_by_label",
    [
        ("nl", "betaal deze nota nog niet", "Volgt schriftelijk", "Uiterste betaaldatum"),
        ("en", "do not pay this invoice yet", "Follows in writing", "Pay by"),
    ],
)
def test_r37_while_the_page_says_dont_pay_yet_it_names_no_date_to_pay_by(
    sandbox, invoice, language, dont_pay, waits_for, pay_by_label, days_after_the_final_date
):
    """legal-nl.md §7, R37 (found by the last checker fix session). Given an invoice of the
    non-contracted practice that waits for the insurer's statement, before its final
    payment date and after it (the first reminder waits statement_wait_days longer), when
    the patient looks, then the page says "don't pay yet" and, where the date to pay by
    was, that it follows in writing (by e-mail or by post only once the birth date is
    checked: known.md stop 37, R10): never the final payment date, passed or not, beside
    "don't pay yet". The API keeps the date and says it waits (awaits_insurer_statement)."""
    assert invoice.final_payment_date == date(2026, 12, 23)
    sandbox.clock.set(invoice.final_payment_date + timedelta(days=days_after_the_final_date))
    query = {"kenmerk": invoice.reference, "lang": language}
    _, html = sandbox.api("GET", "/", query=query)
    assert 'id="dont-pay-yet"' in html and dont_pay in html
    row = html.split('id="pay-by">', 1)[1].split("</dd>", 1)[0]
    assert row.startswith(waits_for), row
    shown = html.split('id="status"', 1)[1].split("</section>", 1)[0]
    assert "23 december 2026" not in shown.lower()
    assert f"<dt>{pay_by_label}</dt>" in shown
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["awaits_insurer_statement"] is True
    assert checker["breakdown"]["pay_by"] == invoice.final_payment_date.isoformat()


# --- while the practice decides on the proposal (known.md "Coulance (items 1-4)") -----------

DECIDING = {
    "nl": ("Uw zorgverlener beslist over het aangepaste bedrag", "Volgt per e-mail"),
    "en": ("Your healthcare provider is deciding on the adjusted amount", "Follows by e-mail"),
    "pl": ("Świadczeniodawca decyduje o skorygowanej kwocie", "Zostanie podany e-mailem"),
    "ar": ("يقرّر مقدّم الرعاية الصحية المبلغ المعدَّل", "يصلكم بالبريد الإلكتروني"),
}


@pytest.mark.parametrize("language", sorted(DECIDING))
def test_r17_r37_while_the_practice_decides_the_checker_offers_neither_payment_nor_arrangement(
    sandbox, invoice, language
):
    """R17, R37, R36, legal-nl.md §7. Given the insurer's statement is in and its coulance
    proposal is on the practice's action list (the first reminder waits for it), when the
    patient opens the checker after the birth date, then the page says the practice is
    deciding on the adjusted amount and that it comes by e-mail, where the date to pay by
    was; it offers no payment of the old amount, no arrangement, no deferral, and no second
    statement, and no longer asks for the statement ("don't pay yet, send it")."""
    assert send_statement(sandbox, invoice)[1]["outcome"] == "sent_to_provider"
    cookie = visit_cookie(unlock(sandbox, invoice))
    query = {"kenmerk": invoice.reference, "lang": language}
    status, html = sandbox.api("GET", "/", query=query, headers={"Cookie": cookie})
    assert status == 200 and 'id="lines"' in html  # unlocked: the offers would be here
    heading, pay_by = DECIDING[language]
    assert 'id="coulance-decision"' in html and heading in html
    assert html.split('id="pay-by">', 1)[1].startswith(pay_by)
    for offer in ('id="pay"', 'id="pay-heading"', 'id="arrange-heading"', 'id="defer-heading"'):
        assert offer not in html, offer
    assert 'id="statement"' not in html and 'id="dont-pay-yet"' not in html


def test_r17_r15_r14_while_the_practice_decides_the_api_offers_no_arrangement_or_deferral(
    sandbox, invoice
):
    """R17, R15, R14, legal-nl.md §7. Given a coulance proposal the practice has not decided
    on, then the patient API says so (awaits_coulance_decision), can_arrange and can_defer
    are false and asking for either is refused with a 409 that says why; a bank transfer
    that arrives meanwhile is booked as always. Once the practice declines, the checker
    offers the arrangement again and says nothing of a decision."""
    assert send_statement(sandbox, invoice)[1]["outcome"] == "sent_to_provider"
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["awaits_coulance_decision"] is True
    assert checker["awaits_insurer_statement"] is False
    assert (checker["can_arrange"], checker["can_defer"]) == (False, False)

    born = {"birth_date": invoice.birth_date.isoformat()}
    base = f"/api/v1/invoices/{invoice.reference}"
    status, answer = sandbox.api("POST", f"{base}/arrangement", body=born | {"terms": 3})
    assert status == 409 and answer["error"]["code"] == "awaits_coulance_decision", answer
    assert "e-mail" in answer["error"]["message"]
    status, answer = sandbox.api("POST", f"{base}/deferral", body=born)
    assert status == 409 and answer["error"]["code"] == "awaits_coulance_decision", answer

    transfer = IncomingPayment("bank", "PART-1000", 1000, sandbox.clock.now())
    book_payment(sandbox.runtime.repository, invoice.reference, transfer, clock=sandbox.clock)
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["amount_due"] == invoice.amount_due_cents - 1000

    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    (proposal,) = [a for a in actions["items"] if a["kind"] == "coulance_proposal"]
    status, _ = sandbox.api(
        "PATCH",
        f"/api/v1/provider/actions/{proposal['action_id']}",
        provider_id=PROVIDER,
        body={"state": "done", "decision": "decline"},
    )
    assert status == 200
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["awaits_coulance_decision"] is False and checker["can_arrange"] is True


def test_r15_an_arrangement_asked_before_the_statement_is_refused_with_a_reason(sandbox, invoice):
    """legal-nl.md §7, R15. Given an invoice that waits for the insurer's statement ("don't
    pay yet, do not ask for an arrangement"), when the patient API is asked for an
    arrangement anyway, then it is refused with a 409 that says why (it was a 500: the
    refusal had no sentence), and nothing changes."""
    born = {"birth_date": invoice.birth_date.isoformat(), "terms": 3}
    path = f"/api/v1/invoices/{invoice.reference}/arrangement"
    status, answer = sandbox.api("POST", path, body=born)
    assert status == 409 and answer["error"]["code"] == "awaits_insurer_statement", answer
    assert "zorgverzekeraar" in answer["error"]["message"]
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert stored.arrangement is None


def test_an_applied_proposal_whose_email_failed_is_told_when_retried(
    sandbox, invoice, queue_fails_once
):
    """R17, R38, legal-nl.md §7 (audit round 37 RETRIES1, the other writes that save and
    then queue): the practice applies the proposal, the coulance is booked and its e-mail
    cannot be queued (5xx, the key released). Sent again with its key, the decision books
    nothing more and the patient is told the lowered amount, once."""
    send_statement(sandbox, invoice)
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    (proposal,) = [a for a in actions["items"] if a["kind"] == "coulance_proposal"]
    mails_before = len(sandbox.outbox())

    def apply():
        return sandbox.api_raw(
            "PATCH",
            f"/api/v1/provider/actions/{proposal['action_id']}",
            provider_id=PROVIDER,
            body={"state": "done", "decision": "apply"},
            headers={"Content-Type": "application/json", "Idempotency-Key": "apply-1"},
        )

    queue_fails_once()
    with pytest.raises(RuntimeError):
        apply()
    assert apply()["statusCode"] == 200
    sandbox.drain_deliveries()
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert len([e for e in stored.ledger if e.kind is EntryKind.COULANCE]) == 1
    told = [m["subject"] for m in sandbox.outbox()[mails_before:]]
    assert len(told) == 1 and "verlaagd" in told[0], told


def test_r17_r37_a_statement_with_nothing_to_forgive_after_the_reminder_supersedes_it(
    sandbox, invoice
):
    """R17, R37, R19, legal-nl.md §7 and §2 (the owners' decision, round 40: the old amount
    is the adjusted amount), through the real handlers. Given the invoice "don't pay yet"
    whose first reminder the daily run sent once the statement's wait had passed (23
    January), when the patient then sends a statement by which the insurer reimbursed all
    of it (nothing to forgive), then, as after an applied coulance, the invoice gets a new
    final payment date (the statement's day + the practice's payment term) and the reminder
    sent before supports no costs: the run on the old reminder's costs day charges nothing,
    and the first costs follow a new reminder sent after the new date, never the old one."""
    stage = sandbox.runtime.repository.get_invoice

    def costs(stored):
        return sum(e.amount_cents for e in stored.ledger if e.kind is EntryKind.COSTS)

    reminder_day = invoice.final_payment_date + timedelta(
        days=PHYSIO.coulance.statement_wait_days + 1  # the wait's days have passed
    )
    sandbox.clock.set(reminder_day)
    sandbox.run_dunning(reminder_day)
    old = stage(PROVIDER, invoice.invoice_id).reminder
    assert old is not None and old.decided_on_day == reminder_day

    statement_day = reminder_day + timedelta(days=3)
    sandbox.clock.set(statement_day)
    status, answer = send_statement(sandbox, invoice, reimbursed=invoice.amount_due_cents)
    assert status == 200 and answer["outcome"] == "nothing_to_forgive", answer
    new_date = statement_day + timedelta(days=PHYSIO.payment_term_days)
    assert answer["final_payment_date"] == new_date.isoformat()

    old_costs_day = old.final_date + timedelta(days=1)
    assert old_costs_day < new_date
    for day in (old_costs_day, new_date):
        sandbox.clock.set(day)
        sandbox.run_dunning(day)
        stored = stage(PROVIDER, invoice.invoice_id)
        assert stored.costs_charged_on is None and costs(stored) == 0, day
        assert stored.reminder is not None and stored.reminder.letter_id == old.letter_id, day
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["final_payment_date"] == new_date.isoformat()
    assert checker["amount_due"] == invoice.amount_due_cents  # no costs in what it asks

    day = new_date + timedelta(days=1)
    while (stored := stage(PROVIDER, invoice.invoice_id)).reminder.letter_id == old.letter_id:
        assert day < new_date + timedelta(days=30), "no new reminder after the new date"
        assert costs(stored) == 0, day  # never costs on the old reminder
        sandbox.clock.set(day)
        sandbox.run_dunning(day)
        day += timedelta(days=1)
    new = stored.reminder
    assert new.decided_on_day > new_date and costs(stored) == 0
    sandbox.clock.set(new.final_date + timedelta(days=1))
    sandbox.run_dunning(new.final_date + timedelta(days=1))
    assert costs(stage(PROVIDER, invoice.invoice_id)) > 0  # the new reminder's costs


# The date the page's answer names for an applied coulance, as for nothing to forgive.
APPLIED_PAY_BY = {
    "nl": "Betaal dit uiterlijk {date}.",
    "en": "Please pay it no later than {date}.",
    "pl": "Prosimy zapłacić ją najpóźniej do {date}.",
    "ar": "يرجى دفعه في موعد أقصاه {date}.",
}


@pytest.mark.parametrize("language", sorted(APPLIED_PAY_BY))
def test_r17_r10_r36_the_applied_answer_names_the_new_final_date(sandbox, invoice, language):
    """R17, R10, R36, legal-nl.md §7. Given a practice whose coulance policy applies at once,
    when the patient sends a statement on the page by which the insurer reimbursed 40%,
    then the page's answer names the lowered amount and the new final payment date (the
    statement's day + the practice's payment term), in the words of the answer to a
    statement with nothing to forgive (one way for both), and the API's answer and the
    checker name that same date."""
    automatic = PHYSIO.coulance.model_copy(update={"mode": CoulanceMode.AUTOMATIC})
    sandbox.replace_provider(PHYSIO.model_copy(update={"coulance": automatic}))
    reimbursed = format_euros(invoice.amount_due_cents * 40 // 100, "nl")
    sandbox.clock.set(sandbox.clock.now() + timedelta(days=10))  # a date the invoice had not

    status, html = send_statement_on_the_page(sandbox, invoice, reimbursed, language)

    new_date = sandbox.clock.today() + timedelta(days=PHYSIO.payment_term_days)
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["amount_due"] < invoice.amount_due_cents  # applied
    assert checker["final_payment_date"] == new_date.isoformat()
    notice = html.split('id="notice">', 1)[1].split("</div>", 1)[0]
    assert status == 200 and format_euros(checker["amount_due"], language) in notice, notice
    said = APPLIED_PAY_BY[language].format(date=long_date(new_date, language))
    assert said in notice, notice


def test_r17_r10_the_applied_api_answer_names_the_new_final_date(sandbox, invoice):
    """R17, R10, legal-nl.md §7: the API's answer to a statement the policy applies at once
    names the new final payment date beside the lowered amount."""
    automatic = PHYSIO.coulance.model_copy(update={"mode": CoulanceMode.AUTOMATIC})
    sandbox.replace_provider(PHYSIO.model_copy(update={"coulance": automatic}))
    sandbox.clock.set(sandbox.clock.now() + timedelta(days=10))
    status, answer = send_statement(sandbox, invoice)
    new_date = sandbox.clock.today() + timedelta(days=PHYSIO.payment_term_days)
    assert status == 200 and answer["outcome"] == "applied", answer
    assert answer["final_payment_date"] == new_date.isoformat()


def dental_after_costs_non_contracted(sandbox):
    """The dental practice applying its coulance policy at once (R17), its invoices of 23
    November reminded on 31 December and charged costs on 15 January, the clock on 18
    January (interest accrues, unbooked): one of them for an insurer without a contract."""
    sandbox.replace_provider(
        DENTAL.model_copy(update={"coulance": CoulancePolicy(mode=CoulanceMode.AUTOMATIC)})
    )
    # Of 40 lines, PAT000011's two: the one e-mailed patient insured at a.s.r. (9018), the
    # insurer without a contract (the other 12 patients' invoices only cost make test time)
    week = lines_of_patient(declaration_csv(40), "PAT000011")
    sandbox.upload_declaration(DENTAL.provider_id, "week.csv", week)
    sandbox.drain_deliveries()
    for day in (date(2026, 12, 31), date(2027, 1, 15)):
        sandbox.clock.set(day)
        sandbox.run_dunning(day)
    sandbox.clock.set(date(2027, 1, 18))
    provider = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return next(
        i
        for i in invoices
        if i.channel is Channel.EMAIL and i.costs_charged_on and is_non_contracted(i, provider)
    )


@pytest.mark.parametrize("reimbursed_share", [100, 10], ids=["nothing_to_forgive", "applied"])
def test_r17_r10_the_statements_answer_names_the_amount_due_with_its_interest(
    sandbox, reimbursed_share
):
    """R10, R20, R36 (audit REQUESTS2): the amount due is the same wherever the patient
    reads it. Given an invoice charged costs, with interest accruing since, when the
    patient sends the insurer's statement (the policy forgives nothing, or lowers it),
    then the answer's amount_due is the checker's, interest included, as is the amount
    the page's notice names (the e-mail names it too)."""
    invoice = dental_after_costs_non_contracted(sandbox)
    gross = sum(line.patient_share_cents for line in invoice.lines)
    reimbursed = gross * reimbursed_share // 100

    status, answer = send_statement(sandbox, invoice, reimbursed=reimbursed)
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")

    assert status == 200 and checker["breakdown"]["interest"] > 0, (answer, checker)
    assert answer["amount_due"] == checker["amount_due"] == checker["breakdown"]["due"]


def test_r17_r36_the_pages_notice_names_the_amount_the_checker_shows(sandbox):
    """R36 (audit REQUESTS2): given the same invoice, when the statement is sent on the page,
    then its notice names the amount due the page's breakdown shows, interest included."""
    invoice = dental_after_costs_non_contracted(sandbox)
    gross = sum(line.patient_share_cents for line in invoice.lines)
    status, html = send_statement_on_the_page(sandbox, invoice, format_euros(gross, "nl"))
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")

    notice = html.split('id="notice">', 1)[1].split("</div>", 1)[0]
    amount = format_euros(checker["amount_due"], "nl")
    assert status == 200 and f"Het bedrag blijft {amount}." in notice, notice


def test_r17_r37_no_ideal_payment_of_the_old_amount_while_the_practice_decides(sandbox, invoice):
    """R17, R37, legal-nl.md §6-§7 (audit noncontracted NC-1): given the insurer's statement
    is in and its proposal (60% to pay) waits on the practice's action list, the patient is
    told to pay nothing of the old amount until the adjusted one comes by e-mail. When an
    iDEAL payment is started anyway, through the API or the page's pay form, then it is
    refused (409, awaits_coulance_decision) and no checkout is made: paid in full, the
    practice's "apply" would forgive nothing and the patient would have paid 40% more than
    the policy asks (seen: € 96,05 paid where € 57,63 was due, the proposal a no-op). Once
    the practice applied it, the adjusted amount can be paid online."""
    assert send_statement(sandbox, invoice)[0] == 200
    body = {"birth_date": invoice.birth_date.isoformat()}
    path = f"/api/v1/invoices/{invoice.reference}/payments"

    status, answer = sandbox.api("POST", path, body=body)
    assert status == 409 and answer["error"]["code"] == "awaits_coulance_decision", answer

    cookie = visit_cookie(unlock(sandbox, invoice))
    form = urlencode({"action": "pay", "kenmerk": invoice.reference, "lang": "en"})
    status, html = sandbox.api("POST", "/", body=form, headers=FORM | {"Cookie": cookie})
    assert status == 409 and "deciding on the adjusted amount" in unescape(html)

    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    (proposal,) = [a for a in actions["items"] if a["kind"] == "coulance_proposal"]
    sandbox.api(
        "PATCH",
        f"/api/v1/provider/actions/{proposal['action_id']}",
        provider_id=PROVIDER,
        body={"state": "done", "decision": "apply"},
    )
    status, checkout = sandbox.api("POST", path, body=body)
    assert status == 201, checkout
    sandbox.complete_psp_payment(checkout["payment_id"], "paid")
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["breakdown"]["paid"] == proposal["details"]["amount_to_pay_cents"]
    assert checker["breakdown"]["forgiven"] == proposal["details"]["coulance_cents"]


def test_r17_r23_r37_a_proposals_action_shows_what_apply_forgives_after_a_payment(sandbox, invoice):
    """R17, R23, R37 (stop 45 money9, /tmp/audit-money9/coulance_action.py). Given a
    proposal on the list (60 % to pay, 40 % coulance) and the patient paying 80 % by bank
    transfer while it is open, when the practice reads the action (API, list, the invoice
    and the portal), then its coulance is what "apply" forgives now (what is still open,
    20 %), beside what was proposed when the statement came and what the patient paid;
    and "apply" forgives exactly that. Before: the action still showed 40 % (€ 38,42 on
    € 96,05) and "apply" forgave € 19,21."""
    action_id = proposal_on_the_list(sandbox, invoice)
    _, before = sandbox.api("GET", f"/api/v1/provider/actions/{action_id}", provider_id=PROVIDER)
    proposed = before["details"]["coulance_cents"]
    paid = invoice.amount_due_cents * 80 // 100
    payment = IncomingPayment("bank", "NL00/r17-paid-while-open", paid, sandbox.clock.now())
    book_payment(sandbox.runtime.repository, invoice.reference, payment, clock=sandbox.clock)
    open_now = invoice.amount_due_cents - paid

    _, action = sandbox.api("GET", f"/api/v1/provider/actions/{action_id}", provider_id=PROVIDER)
    _, listed = sandbox.api("GET", "/api/v1/provider/actions", provider_id=PROVIDER)
    _, detail = sandbox.api(
        "GET", f"/api/v1/provider/invoices/{invoice.invoice_id}", provider_id=PROVIDER
    )

    assert proposed > open_now
    for shown in (
        action,
        *[a for a in listed["items"] if a["action_id"] == action_id],
        *[a for a in detail["actions"] if a["action_id"] == action_id],
    ):
        assert shown["details"]["coulance_cents"] == open_now, shown
        assert shown["details"]["proposed_coulance_cents"] == proposed
        assert shown["details"]["paid_cents"] == paid
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(PHYSIO, "staff"))
    _, html = staff.page("/portal/acties?state=open")
    row = unescape(action_row(html, action_id))
    assert f"<dt>Coulance</dt><dd>{format_euros(open_now, 'nl')}</dd>" in row, row
    assert f"<dt>Al betaald</dt><dd>{format_euros(paid, 'nl')}</dd>" in row, row
    assert f"<dd>{format_euros(proposed, 'nl')}</dd>" in row, row

    status, applied = set_action(sandbox, action_id, {"state": "done", "decision": "apply"})
    assert status == 200
    after = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    forgiven = -sum(e.amount_cents for e in after.ledger if e.kind is EntryKind.COULANCE)
    assert forgiven == open_now

    # Once applied, the action says what was forgiven, beside what was proposed and paid,
    # in the API's answer, on the done list and on the invoice page (audit59f: they said
    # the statement day's € 38,42 that nothing booked, the ledger € 19,21).
    _, done = staff.page("/portal/acties?state=done")
    _, invoice_page = staff.page(f"/portal/notas/{invoice.invoice_id}")
    assert applied["details"]["coulance_cents"] == forgiven
    assert (applied["details"]["proposed_coulance_cents"], applied["details"]["paid_cents"]) == (
        proposed,
        paid,
    )
    for shown in (unescape(action_row(done, action_id)), unescape(invoice_page)):
        assert f"<dt>Coulance</dt><dd>{format_euros(forgiven, 'nl')}</dd>" in shown
        assert f"<dt>Al betaald</dt><dd>{format_euros(paid, 'nl')}</dd>" in shown


# --- a decision lands with its booking or not at all (R17, R28, R38; audit coulanceapply55) -


def decision_form(staff, action_id, decision):
    """The portal's own form of ``decision`` on the proposal's row."""
    _, html = staff.page("/portal/acties?state=open")
    forms = [
        dict(re.findall(r'name="([^"]+)" value="([^"]*)"', inside))
        for _, inside in post_forms(action_row(html, action_id))
    ]
    return next(fields for fields in forms if fields.get("decision") == decision)


def proposal_stands_undecided(sandbox, invoice, action_id):
    """The action open without a decision, the invoice's proposal open, nothing forgiven."""
    action = sandbox.runtime.repository.get_action(PROVIDER, action_id)
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert (action.state.value, "decision" in action.details) == ("open", False)
    assert stored.insurer_statement.proposal_open
    assert [e for e in stored.ledger if e.kind is EntryKind.COULANCE] == []


@pytest.mark.parametrize("decision", ["apply", "decline"])
def test_r17_r28_a_decision_whose_booking_cannot_be_written_is_not_written(
    sandbox, invoice, monkeypatch, decision
):
    """R17, R28, R38, legal-nl.md §7 (audit coulanceapply55: the decision was written first;
    its booking then ran out of the store's retries, and the action was done with nothing
    booked and no letter, off the open list).
    Given a coulance proposal while someone else keeps changing its invoice, more often
    than the store's retries take
    When the practice applies or declines it through the API
    Then the answer is 409 concurrent_change ("nothing was saved, try again") and that is
    true: the action is open and undecided, the invoice's proposal open, nothing forgiven,
    nobody told; the same decision sent again once the invoice is free is carried out."""
    action_id = proposal_on_the_list(sandbox, invoice)
    mails_before = len(sandbox.outbox())
    with monkeypatch.context() as race:
        every_save_meets_another(race)
        status, answer = set_action(sandbox, action_id, {"state": "done", "decision": decision})

    assert status == 409 and answer["error"]["code"] == "concurrent_change", answer
    proposal_stands_undecided(sandbox, invoice, action_id)
    sandbox.drain_deliveries()
    assert len(sandbox.outbox()) == mails_before

    status, decided = set_action(sandbox, action_id, {"state": "done", "decision": decision})
    assert status == 200 and decided["details"]["decision"] == decision, decided
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    forgiven = [e for e in stored.ledger if e.kind is EntryKind.COULANCE]
    assert not stored.insurer_statement.proposal_open
    assert len(forgiven) == (1 if decision == "apply" else 0)


@pytest.mark.parametrize("decision, language", [("apply", "nl"), ("decline", "en")])
def test_r17_r35_a_decision_meeting_another_change_is_said_on_the_action_list(
    sandbox, invoice, monkeypatch, decision, language
):
    """R17, R28, R35 (audit coulanceapply55: the portal answered the API's JSON 409 and the
    action, done with nothing booked, had left the open list).
    Given staff deciding a coulance proposal on the portal while someone else keeps
    changing its invoice past the store's retries
    When they send the row's apply or decline form
    Then the action list answers (409, HTML) in their language that someone else changed
    it at the same moment and nothing was saved, with the proposal still on it to decide
    again; nothing was decided or booked, and its form sent again decides it."""
    action_id = proposal_on_the_list(sandbox, invoice)
    staff = PortalUser(sandbox)
    staff.request("GET", f"/portal/taal/{language}")
    staff.sign_in(sample_login(PHYSIO, "staff"))
    target = f"/portal/acties/{action_id}"
    form = decision_form(staff, action_id, decision)
    with monkeypatch.context() as race:
        every_save_meets_another(race)
        status, headers, html = staff.post(target, form)

    assert status == 409 and headers["Content-Type"].startswith("text/html")
    assert error_of(html) == CHANGED_MEANWHILE_SAID[language]
    assert f'id="action-{action_id}"' in html
    proposal_stands_undecided(sandbox, invoice, action_id)

    status, headers, _ = staff.post(target, decision_form(staff, action_id, decision))
    assert (status, headers["Location"]) == (303, "/portal/acties?done=1")
    stored = sandbox.runtime.repository.get_action(PROVIDER, action_id)
    assert (stored.state.value, stored.details["decision"]) == ("done", decision)
