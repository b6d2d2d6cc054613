"""POST /api/v1/provider/invoices/{id}/stop (R21, R26, R28)."""

from __future__ import annotations

import json
import re
import threading
from datetime import date, datetime, timedelta
from html import unescape
from http import HTTPStatus

import pytest

from billing_core.entrypoints.http import errors
from billing_core.invoices.invoice import Channel
from billing_core.invoices.ledger import EntryKind
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.ports import ConcurrentChange
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.money import format_euros
from local.generate import declaration_csv
from local.sandbox import EVENTS
from local.seed import DENTAL, PHYSIO
from tests.functional.test_checker_stages import COSTS_DAY, REMINDER_DAY, dunned_to, handed_over
from tests.functional.test_provider_portal import PortalUser, sample_login, stop_form


@pytest.fixture
def invoice(sandbox):
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(20))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return max(
        (i for i in invoices if i.channel is Channel.EMAIL), key=lambda i: i.amount_due_cents
    )


def _stop(sandbox, invoice, provider=DENTAL.provider_id, **body):
    payload = {
        "scope": "partial",
        "reason": "non_contracted_coulance",
        "patient_email": invoice.addressee.email,
        "accept_terms": True,
    } | body
    return sandbox.api(
        "POST",
        f"/api/v1/provider/invoices/{invoice.invoice_id}/stop",
        provider_id=provider,
        body=payload,
    )


def test_a_partial_stop_by_percentage_lowers_the_amount_and_mails_the_patient(sandbox, invoice):
    # Given the invoice's page through the API, which shows the address the confirmation
    # goes to, for the practice to check or correct (R21; audit58a: only the portal did)
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}"
    shown = sandbox.api("GET", path, provider_id=DENTAL.provider_id)[1]["patient_email"]
    assert shown == invoice.addressee.email != ""
    # When the practice stops 40% of the original amount
    status, detail = _stop(sandbox, invoice, percentage="40")
    expected = invoice.amount_due_cents - round(invoice.original_amount_cents * 0.4)
    # Then the invoice shows the coulance and the new amount, and the checker agrees
    assert status == 200 and detail["amount_due"] == expected
    assert detail["ledger"][-1]["kind"] == "coulance"
    assert (
        sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")[1]["amount_due"]
        == expected
    )
    # And the patient gets an e-mail with the new amount and a pay link, not a new invoice
    sandbox.drain_deliveries()
    mails = [m for m in sandbox.outbox() if m["kenmerk"] == invoice.reference]
    assert len(mails) == 2 and "verlaagd" in mails[-1]["subject"]
    assert not mails[-1]["attachments"]
    # And an address the practice corrects is the one the page shows from then on
    status, detail = _stop(sandbox, invoice, amount=100, patient_email="nieuw@example.org")
    assert status == 200 and detail["patient_email"] == "nieuw@example.org"


def test_a_partial_stop_for_an_address_that_bounced_is_confirmed_by_letter(sandbox, invoice):
    """R21, R7, legal-nl.md §7: Given an e-mailed invoice whose address SES reported as
    bounced permanently, when the practice stops part of it (the form shows that address),
    then the delivery puts a letter with the lowered amount in the day's print batch,
    noted on the invoice, and nothing more is e-mailed."""
    event = json.loads((EVENTS / "ses_events" / "bounce.json").read_text())
    event["detail"]["mail"]["tags"]["kenmerk"] = [invoice.reference]
    event["detail"]["bounce"]["bouncedRecipients"][0]["emailAddress"] = invoice.addressee.email
    sandbox.invoke("ses_events", event)
    mails_before = len(sandbox.outbox())

    status, detail = _stop(sandbox, invoice, amount=500)
    sandbox.drain_deliveries()

    assert status == 200 and detail["amount_due"] == invoice.amount_due_cents - 500
    day = sandbox.clock.today().isoformat()
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    (letter,) = [c for c in stored.correspondence if c.kind == "stop_confirmation"]
    key = letter.message_id  # one per stop: its event's digest after the kind
    batch = f"print/{day}/{DENTAL.provider_id}/{invoice.reference}-stop_confirmation-"
    assert letter.channel is Channel.PAPER and key.startswith(batch) and key.endswith(".pdf")
    assert sandbox.output_object(key).startswith(b"%PDF")
    assert len(sandbox.outbox()) == mails_before


def test_a_full_stop_leaves_nothing_to_pay(sandbox, invoice):
    status, detail = _stop(sandbox, invoice, scope="full", reason="administrative_error")
    assert status == 200 and detail["amount_due"] == 0 and detail["payment_status"] == "paid"


def test_a_paid_invoice_cannot_be_stopped_and_the_answer_says_why(sandbox, invoice):
    paid = IncomingPayment("bank", "E-1", invoice.amount_due_cents, sandbox.clock.now())
    book_payment(sandbox.runtime.repository, invoice.reference, paid, clock=sandbox.clock)
    status, body = _stop(sandbox, invoice, amount=100)
    assert status == 409 and body["error"]["code"] == "fully_paid"


def test_r21_a_second_stop_after_a_full_stop_says_nothing_is_open_in_api_and_portal(
    sandbox, invoice
):
    """R21, R35 (audit round 37 PA4). Given an invoice the practice stopped in full (nothing
    paid). When it stops it again, through the API or the invoice page's form. Then both
    answer 409 nothing_open, saying it was stopped or forgiven already, where they said
    "paid in full, have the payment refunded first" of an invoice nobody paid. (The page
    no longer offers the form once nothing is open (PORTAL3-3): its form is the one of
    the page still open from before the stop, in another window.)"""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    path, fields = stop_form(staff, invoice, scope="partial", amount="10,00")
    assert _stop(sandbox, invoice, scope="full", reason="administrative_error")[0] == 200

    status, body = _stop(sandbox, invoice, scope="full", reason="administrative_error")

    assert status == 409 and body["error"]["code"] == "nothing_open", body
    assert "gestopt of kwijtgescholden" in body["error"]["message"]
    assert "terugbetalen" not in body["error"]["message"]
    status, _, html = staff.post(path, fields)
    assert status == HTTPStatus.CONFLICT and "gestopt of kwijtgescholden" in html
    assert "terugbetalen" not in html


def test_a_hold_on_an_invoice_stopped_whole_says_nothing_is_open_in_api_and_portal(
    sandbox, invoice
):
    """R16, R21, R35, R2 (audit PORTAL3-3). Given an invoice the practice stopped whole
    (forgiven, nothing paid). When staff put it on hold, through the API or the form of
    the invoice page still open from before the stop. Then both answer 409 nothing_open,
    saying what was open is stopped or forgiven and there is nothing to hold, where they
    said "already paid"; no hold is stored. And the page, opened now, offers no stop or
    hold form (each could only be refused) but says why."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    page = f"/portal/notas/{invoice.invoice_id}"
    held = {"until": (sandbox.clock.today() + timedelta(days=14)).isoformat(), "reason": "x"}
    fields = staff.form(page, f"{page}/hold") | held
    assert _stop(sandbox, invoice, scope="full", reason="goodwill")[0] == 200
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/hold"

    status, body = sandbox.api("POST", path, provider_id=DENTAL.provider_id, body=held)

    assert status == 409 and body["error"]["code"] == "nothing_open", body
    said = body["error"]["message"]
    assert "gestopt of kwijtgescholden" in said and "aan te houden" in said
    assert "betaald" not in said
    status, _, html = staff.post(f"{page}/hold", fields)
    assert (
        status == HTTPStatus.CONFLICT
        and "is al gestopt of kwijtgescholden. Er valt niets aan" in html
    )
    assert "al betaald" not in html
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    assert stored.hold_until is None
    _, html = staff.page(page)
    assert 'id="stop-form"' not in html and 'id="hold-form"' not in html
    assert 'id="nothing-to-change"' in html and "niets te stoppen of aan te houden" in html


def test_r20_r21_after_the_costs_the_practice_is_told_the_amount_due_the_patient_is_told(
    sandbox, invoice
):
    """R20, R21, R36 (audit round 37 PA6). Given an invoice after the costs, with statutory
    interest accrued and not yet booked. When the practice stops € 10,00 of it. Then the
    stop's answer, the invoice list, the invoice's detail and the portal's list give the
    amount due the checker gives the patient (interest included), where they gave the
    ledger's balance, some cents less."""
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    sandbox.clock.set(date(2027, 1, 20))

    status, answer = _stop(sandbox, invoice, amount=1000)

    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["breakdown"]["interest"] > 0  # accrued since the costs
    told = checker["amount_due"]
    assert status == 200 and answer["amount_due"] == answer["breakdown"]["due"] == told
    _, page = sandbox.api(
        "GET",
        "/api/v1/provider/invoices",
        provider_id=DENTAL.provider_id,
        query={"reference": invoice.reference},
    )
    (listed,) = page["items"]
    assert listed["amount_due"] == told
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}"
    assert sandbox.api("GET", path, provider_id=DENTAL.provider_id)[1]["amount_due"] == told
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    _, html = viewer.page(f"/portal/notas?patient={invoice.patient_ref}")
    row = html.split(f'href="/portal/notas/{invoice.invoice_id}"', 1)[1].split("</tr>", 1)[0]
    # the cell's role and phone label (portal6, R35) may follow its class
    assert re.search(f'<td class="num"[^>]*>{re.escape(format_euros(told, "nl"))}</td>', row)
    _, html = viewer.page(f"/portal/notas/{invoice.invoice_id}")
    assert f'id="amount-due">{format_euros(told, "nl")}<' in html


def test_terms_must_be_accepted_and_the_reason_comes_from_the_list(sandbox, invoice):
    assert (
        _stop(sandbox, invoice, amount=100, accept_terms=False)[1]["error"]["code"]
        == "terms_not_accepted"
    )
    assert _stop(sandbox, invoice, amount=100, reason="zomaar")[0] == 400


@pytest.mark.parametrize("part", [{"amount": 500}, {"percentage": "10"}])
def test_r21_a_whole_stop_with_an_amount_or_percentage_is_refused_and_books_nothing(
    sandbox, invoice, part
):
    """R21 (a stop cannot be changed or undone; amount and percentage are for a part, as
    the API's model says), audit blocks2 A.
    Given an open invoice
    When the practice asks a stop with scope "full" and also an amount or a percentage
    Then the answer is 422 invalid_full_stop in Dutch and English, and nothing is forgiven:
    before, the amount was silently ignored and the whole invoice stopped for good."""
    status, body = _stop(sandbox, invoice, scope="full", **part)

    assert status == 422 and body["error"]["code"] == "invalid_full_stop"
    assert "hele nota" in body["error"]["message"] and "whole invoice" in body["error"]["message"]
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    assert stored.ledger == invoice.ledger


def test_r21_the_portal_form_with_the_whole_invoice_and_an_amount_stops_nothing(sandbox, invoice):
    """R21, R35: Given the stop form with "the whole invoice" chosen and an amount still
    typed in, when staff send it, then the form says to clear it or choose a part, and the
    invoice is not stopped."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    path, fields = stop_form(staff, invoice, scope="full", amount="5,00")

    status, _, html = staff.post(path, fields)

    assert status == HTTPStatus.CONFLICT and "kies een deel" in html
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    assert stored.ledger == invoice.ledger


def test_r21_a_percentage_under_a_cent_is_refused_in_api_and_portal_and_nothing_is_told(
    sandbox, invoice
):
    """R21 (a part stop lowers the amount; the patient is told the lowered amount), R27
    (audit stop5 S1). Given an open e-mailed invoice of € 10,25 (0,01% of it is 0,1 cent).
    When the practice stops 0,01% of it through the API or the invoice page's form. Then both
    refuse it, saying the percentage is less than 1 cent of the original amount, nothing is
    booked and the patient gets no e-mail: before, a coulance of 0 cents was booked and the
    patient was mailed "Uw nota is verlaagd" with the same amount as before."""
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    small = min(
        (i for i in invoices if i.channel is Channel.EMAIL), key=lambda i: i.original_amount_cents
    )
    assert small.original_amount_cents < 5000  # 0,01% of it rounds to 0 cents
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    path, fields = stop_form(staff, small, scope="partial", percentage="0,01")
    mails_before = len(sandbox.outbox())

    status, body = _stop(sandbox, small, percentage="0.01")
    _, _, html = staff.post(path, fields)

    assert status == 422 and body["error"]["code"] == "percentage_under_a_cent", body
    original = format_euros(small.original_amount_cents, "nl")
    assert "minder dan 1 cent" in body["error"]["message"] and original in body["error"]["message"]
    assert "less than 1 cent" in body["error"]["message"]
    assert "minder dan 1 cent" in html
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, small.invoice_id)
    assert stored.ledger == small.ledger
    sandbox.drain_deliveries()
    assert len(sandbox.outbox()) == mails_before


@pytest.mark.parametrize("amount", [True, "500"])
def test_r21_an_amount_is_integer_cents_not_a_boolean_or_text(sandbox, invoice, amount):
    """interfaces.md "Amounts are integer cents" (R21), audit blocks2 B: Given an open
    invoice, when the API is sent amount true (before: booked as a coulance of 1 cent) or
    the text "500", then the answer is 400 and nothing is booked."""
    status, body = _stop(sandbox, invoice, amount=amount)

    assert status == 400 and body["error"]["code"] == "validation_error"
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    assert stored.ledger == invoice.ledger


def test_another_provider_cannot_stop_it(sandbox, invoice):
    status, _ = _stop(sandbox, invoice, provider=PHYSIO.provider_id, amount=100)
    assert status == 404
    assert (
        sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id).ledger
        == invoice.ledger
    )


@pytest.mark.usefixtures("atomic_conditional_writes")
def test_a_stop_and_a_payment_at_the_same_moment_both_land(sandbox, invoice):
    # Given a patient paying 10.00 while the practice stops 5.00 (R28)
    errors: list[BaseException] = []

    def pay() -> None:
        try:
            payment = IncomingPayment(
                "bank", "E-2", 1000, datetime(2026, 11, 23, 9, tzinfo=AMSTERDAM)
            )
            book_payment(
                sandbox.runtime.repository, invoice.reference, payment, clock=sandbox.clock
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def stop() -> None:
        try:
            assert _stop(sandbox, invoice, amount=500)[0] == 200
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=pay), threading.Thread(target=stop)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # Then neither is lost
    after = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    assert errors == []
    assert after.amount_due_cents == invoice.amount_due_cents - 1500
    assert {e.kind.value for e in after.ledger} >= {"payment", "coulance"}


def test_a_hold_pauses_and_shows_in_the_checker_for_at_most_60_days(sandbox, invoice):
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/hold"
    status, body = sandbox.api(
        "POST",
        path,
        provider_id=DENTAL.provider_id,
        body={"until": "2027-02-01", "reason": "bezwaar"},
    )
    assert status == 422 and body["error"]["code"] == "hold_out_of_range"  # 70 days ahead
    status, detail = sandbox.api(
        "POST",
        path,
        provider_id=DENTAL.provider_id,
        body={"until": "2027-01-10", "reason": "bezwaar"},
    )
    assert status == 200 and detail["state"] == "on_hold"
    assert (
        sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")[1]["state"] == "on_hold"
    )
    status, _ = sandbox.api(
        "POST", path, provider_id=PHYSIO.provider_id, body={"until": "2027-01-10", "reason": "x"}
    )
    assert status == 404


def test_a_hold_on_a_claim_with_the_collection_agency_is_refused_in_api_and_portal(
    sandbox, invoice
):
    """R16, R18, R19 (audit ARRANGEMENTS5). Given a claim the dunning run handed over to
    the collection agency. When the practice puts it on hold through the API, or through
    the invoice page's form. Then both answer 409 with_collection_agency, the page saying
    why, and no hold is stored: the agency collects, a hold would pause nothing."""
    handed_over(sandbox, invoice)
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/hold"
    held = {"until": "2027-03-01", "reason": "bezwaar"}

    status, body = sandbox.api("POST", path, provider_id=DENTAL.provider_id, body=held)

    assert status == 409 and body["error"]["code"] == "with_collection_agency"
    assert "incassobureau" in body["error"]["message"]
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    page = f"/portal/notas/{invoice.invoice_id}"
    status, _, html = staff.post(f"{page}/hold", staff.form(page, f"{page}/hold") | held)
    assert status == HTTPStatus.CONFLICT and "overgedragen aan het incassobureau" in html
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    assert stored.hold_until is None


def test_a_stop_on_a_claim_with_the_agency_tells_the_patient_and_unblocks_when_sent_again(
    sandbox, invoice, monkeypatch
):
    """R21, R22, R34, R36 (audit round 37 PA2). Given a claim handed over to the collection
    agency (its final date, 23 December, long past). When the practice stops € 20,00 of
    it. Then the patient's e-mail names the new amount (the checker's) and that the agency
    collects it: no pay link of ours and no passed date, where it asked the patient to pay
    us online and named 23 December as the date that passed.

    R28, R38, R22 (invite58): a stop of the rest, saved, whose release of the patient's
    block kept losing its race answered 409 "nothing was saved"; sent again with its key
    it is finished: the patient unblocked, the stop booked once."""
    handed_over(sandbox, invoice)
    repository = sandbox.runtime.repository
    ids = (DENTAL.provider_id, invoice.patient_ref, invoice.invoice_id)
    at_once = sandbox.clock.now()
    repository.block_patient(*ids, at_once)
    mails_before = len(sandbox.outbox())

    assert _stop(sandbox, invoice, amount=2000)[0] == 200
    sandbox.drain_deliveries()

    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert checker["state"] == "with_collection_agency"
    (told,) = [m for m in sandbox.outbox()[mails_before:] if m["kenmerk"] == invoice.reference]
    left = format_euros(checker["amount_due"], "nl")
    for part in (told["text"], told["html"]):
        assert "verlaagd" in part and "overgedragen aan het incassobureau" in part
        assert f"Er staat nog {left} open" in part
        assert "?kenmerk=" not in part and "verstreken op" not in part
        assert "23 december 2026" not in part

    # When the practice stops the rest with a key, and the patient's block keeps changing
    # past the store's retries (R28) after the stop is saved
    def block_changed_meanwhile(*_):
        raise ConcurrentChange("block")

    monkeypatch.setattr(repository, "release_claim", block_changed_meanwhile)
    full = {"scope": "full", "reason": "goodwill", "accept_terms": True}
    full["patient_email"] = invoice.addressee.email
    keyed = {"Content-Type": "application/json", "Idempotency-Key": "stop-rest"}
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/stop"
    request = {"provider_id": DENTAL.provider_id, "body": full, "headers": keyed}
    status, lost = sandbox.api("POST", path, **request)
    # Then the answer says it was saved and to send it again with its key, not "nothing
    # was saved"; and it was saved
    assert (status, lost["error"]) == (
        409,
        {"code": "concurrent_change", "message": errors.SAVED_UNFINISHED},
    )
    assert "nothing was saved" not in lost["error"]["message"]
    assert repository.get_invoice(*ids[::2]).amount_due_cents == 0
    assert [p.patient_ref for p in repository.blocked_patients(DENTAL.provider_id)] == [
        invoice.patient_ref
    ]
    # When it is sent again with its key, the race over
    monkeypatch.undo()
    assert sandbox.api("POST", path, **request)[0] == 200
    # Then the patient is unblocked, and the rest was stopped once
    assert repository.blocked_patients(DENTAL.provider_id) == []
    stopped = repository.get_invoice(*ids[::2])
    stops = [
        (e.kind, e.amount_cents)
        for e in stopped.ledger
        if e.kind in (EntryKind.COULANCE, EntryKind.STOP)
    ]
    assert stops == [
        (EntryKind.COULANCE, -2000),
        (EntryKind.STOP, -(invoice.amount_due_cents - 2000)),
    ]
    assert stopped.amount_due_cents == 0
    # And through the portal: Given another claim at the agency, its patient blocked, when
    # staff stop it whole and the block keeps changing past the retries
    invoices, _ = repository.list_invoices(DENTAL.provider_id)
    other = next(i for i in invoices if i.channel is Channel.EMAIL and i.invoice_id != ids[2])
    handed_over(sandbox, other)
    repository.block_patient(DENTAL.provider_id, other.patient_ref, other.invoice_id, at_once)
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    form, fields = stop_form(staff, other, scope="full")
    monkeypatch.setattr(repository, "release_claim", block_changed_meanwhile)
    status, _, html = staff.post(form, fields)
    # Then the page says it was saved and to send the form again, not "nothing was saved"
    assert status == HTTPStatus.CONFLICT
    assert "Uw wijziging is opgeslagen" in html and "niets vastgelegd" not in html
    assert repository.get_invoice(DENTAL.provider_id, other.invoice_id).amount_due_cents == 0
    # And its button sends the same form, every field as it was, its one-time key too
    # (review58: "reload this page" alone, and the invoice's page offers no form then)
    (action,) = re.findall(r'<form method="post" action="([^"]+)">', html)
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    resent = {name: unescape(value) for name, value in hidden}
    assert (action, resent) == (form, fields)
    assert 'id="send-again"' in html
    # And the form sent again with it unblocks the patient
    monkeypatch.undo()
    assert staff.post(action, resent)[0] == HTTPStatus.SEE_OTHER
    assert repository.blocked_patients(DENTAL.provider_id) == []
    # And (R22; the stop's last read): Given the stopped claim's patient still blocked, as
    # after a 409 whose client sends the stop again without its key
    repository.block_patient(DENTAL.provider_id, other.patient_ref, other.invoice_id, at_once)
    plain = {"Content-Type": "application/json"}
    again = f"/api/v1/provider/invoices/{other.invoice_id}/stop"
    full["patient_email"] = other.addressee.email
    request = {"provider_id": DENTAL.provider_id, "body": full, "headers": plain}
    status, refused = sandbox.api("POST", again, **request)
    # Then nothing is open to stop, and the patient is released all the same
    assert (status, refused["error"]["code"]) == (409, "nothing_open")
    assert repository.blocked_patients(DENTAL.provider_id) == []


@pytest.fixture
def paper_invoice(sandbox, invoice):
    """An invoice of the same upload, of a patient without an e-mail address: sent on
    paper (R7)."""
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return next(i for i in invoices if i.channel is Channel.PAPER and not i.addressee.email)


def test_a_paper_patients_invoice_is_stopped_without_an_address_and_confirmed_on_paper(
    sandbox, paper_invoice
):
    """R21, R7. Given an invoice of a patient without an e-mail address. When the
    practice stops part of it through the API with no address (left out, or empty).
    Then the stop is booked, and its confirmation with the new amount goes into the
    day's print batch; nothing is e-mailed and no address is stored."""
    mails_before = len(sandbox.outbox())

    status, detail = _stop(sandbox, paper_invoice, amount=500, patient_email="")
    sandbox.drain_deliveries()

    assert status == 200 and detail["amount_due"] == paper_invoice.amount_due_cents - 500
    day = sandbox.clock.today().isoformat()
    stopped = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, paper_invoice.invoice_id)
    (letter,) = [c for c in stopped.correspondence if c.kind == "stop_confirmation"]
    batch = f"print/{day}/{DENTAL.provider_id}/{paper_invoice.reference}-stop_confirmation-"
    assert letter.channel is Channel.PAPER and letter.message_id.startswith(batch)
    assert sandbox.output_object(letter.message_id).startswith(b"%PDF")
    assert len(sandbox.outbox()) == mails_before
    payload = {"scope": "partial", "amount": 100, "reason": "goodwill", "accept_terms": True}
    status, _ = sandbox.api(
        "POST",
        f"/api/v1/provider/invoices/{paper_invoice.invoice_id}/stop",
        provider_id=DENTAL.provider_id,
        body=payload,  # patient_email left out
    )
    assert status == 200
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, paper_invoice.invoice_id)
    assert stored.addressee.email == ""


def test_a_malformed_address_is_refused_and_one_the_invoice_has_must_be_given(
    sandbox, invoice, paper_invoice
):
    """R21: the address is checked or corrected, never made up or skipped. A malformed
    one is refused (400) for either patient; an invoice with an address refuses a stop
    without it (422 patient_email_required). Nothing is booked."""
    for target in (invoice, paper_invoice):
        assert _stop(sandbox, target, amount=100, patient_email="geen-adres")[0] == 400
    status, body = _stop(sandbox, invoice, amount=100, patient_email="")
    assert status == 422 and body["error"]["code"] == "patient_email_required"
    for target in (invoice, paper_invoice):
        stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, target.invoice_id)
        assert stored.ledger == target.ledger
