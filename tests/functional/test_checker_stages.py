"""What the payment checker (page and patient API) says and offers at the stages the
patient audit walked (audit patient D1-D4): with the collection agency, after the costs,
back from the bank before the webhook, and after the practice stopped the invoice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from billing_core.invoices.invoice import Channel, DunningStage
from billing_core.payments.booking import IncomingPayment, book_payment
from local.generate import declaration_csv
from local.seed import DENTAL

PROVIDER = DENTAL.provider_id
JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
REMINDER_DAY = date(2026, 12, 31)  # the first run after the final date, 23 December
COSTS_DAY = date(2027, 1, 15)  # the reminder's 14 days have passed


@pytest.fixture
def invoice(sandbox):
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(12))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    return next(i for i in invoices if i.channel is Channel.EMAIL)


def page(sandbox, invoice, language="nl", cookie="", **query):
    headers = {"Cookie": cookie} if cookie else None
    query = {"kenmerk": invoice.reference, "lang": language} | query
    return sandbox.api("GET", "/", query=query, headers=headers)


def status(sandbox, invoice):
    return sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")[1]


def cookies_of(answer) -> dict[str, str]:
    set_cookies = (answer.get("multiValueHeaders") or {}).get("Set-Cookie", [])
    return dict(c.split(";")[0].split("=", 1) for c in set_cookies)


def unlocked(sandbox, invoice) -> str:
    """The Cookie header of a visit that checked the birth date (R36)."""
    born = invoice.birth_date.isoformat()
    form = f"action=unlock&kenmerk={invoice.reference}&lang=nl&birth_date={born}"
    answer = sandbox.api_raw("POST", "/", body=form, headers=FORM)
    return "; ".join(f"{k}={v}" for k, v in cookies_of(answer).items())


def dunned_to(sandbox, *days):
    for day in days:
        sandbox.clock.set(day)
        sandbox.run_dunning()
    sandbox.drain_deliveries()


# --- D1: with the collection agency ---------------------------------------------------------


def handed_over(sandbox, invoice):
    """As the dunning run's handover leaves a claim (R19)."""
    repository = sandbox.runtime.repository
    stored = repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    handed = replace(
        stored,
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=date(2027, 1, 29),
        next_check_on=None,
    )
    repository.save_invoice(handed)
    sandbox.clock.set(date(2027, 2, 5))


@pytest.mark.parametrize(
    "language, agency_line, past_date",
    [
        ("nl", "Het incassobureau int deze nota nu namens uw zorgverlener.", "23 december 2026"),
        ("en", "The collection agency now collects this invoice on behalf of", "23 December 2026"),
    ],
)
def test_r36_at_the_agency_the_page_names_no_date_of_ours_but_who_collects(
    sandbox, invoice, language, agency_line, past_date
):
    # Given an invoice handed over to the collection agency (its final date long past)
    handed_over(sandbox, invoice)
    # When the patient checks it
    code, html = page(sandbox, invoice, language)
    # Then no "pay by" date of ours, but a line that the agency collects it now
    assert code == 200 and 'id="pay-by"' not in html and past_date not in html
    assert 'id="collected-by-agency"' in html and agency_line in html


def test_r10_at_the_agency_the_api_has_no_final_payment_date_and_says_why(sandbox, invoice):
    handed_over(sandbox, invoice)
    body = status(sandbox, invoice)
    # The field stays (compatibility), null: no date of ours counts at the agency
    assert "final_payment_date" in body and body["final_payment_date"] is None
    assert body["state"] == "with_collection_agency" and body["breakdown"]["pay_by"] is None


# --- D2: a deferral after the costs ---------------------------------------------------------


def test_r14_after_the_costs_no_deferral_is_offered_or_granted(sandbox, invoice):
    # Given the reminder's term passed and the costs were charged (the second notice's last
    # day, not the invoice's own final date, counts now)
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    sandbox.clock.set(date(2027, 1, 20))
    cookie = unlocked(sandbox, invoice)
    # Then the page does not offer the deferral
    _, html = page(sandbox, invoice, cookie=cookie)
    assert 'id="defer-heading"' not in html and "28 januari 2027" in html
    # And the API and the page's form refuse it, saying why, and nothing changes
    path = f"/api/v1/invoices/{invoice.reference}/deferral"
    code, body = sandbox.api(
        "POST", path, body={"birth_date": invoice.birth_date.isoformat()}, headers=JSON
    )
    assert code == 409 and body["error"]["code"] == "deferral_gives_no_time"
    form = f"action=defer&kenmerk={invoice.reference}&lang=en"
    code, html = sandbox.api("POST", "/", body=form, headers=FORM | {"Cookie": cookie})
    assert code == 409 and "it would not move the date you must now pay by" in html
    repository = sandbox.runtime.repository
    assert repository.get_invoice(invoice.provider_id, invoice.invoice_id).deferral is None


def test_r14_a_deferral_in_the_reminders_term_names_one_date_everywhere(sandbox, invoice):
    # Given a reminder (its final date 14 January) and the patient asks on 10 January
    dunned_to(sandbox, REMINDER_DAY)
    sandbox.clock.set(date(2027, 1, 10))
    cookie = unlocked(sandbox, invoice)
    form = f"action=defer&kenmerk={invoice.reference}&lang=nl"
    # When the page's form grants it
    code, html = sandbox.api("POST", "/", body=form, headers=FORM | {"Cookie": cookie})
    # Then the page's answer, its "pay by", the API and the e-mail name the same date
    assert code == 200 and "De nieuwe uiterste betaaldatum is 22 januari 2027." in html
    assert status(sandbox, invoice)["breakdown"]["pay_by"] == "2027-01-22"
    sandbox.drain_deliveries()
    (mail,) = [m for m in sandbox.outbox() if "Uitstel" in m["subject"]]
    assert "De nieuwe uiterste betaaldatum is 22 januari 2027" in mail["text"]


# --- D3: back from the bank before the webhook ----------------------------------------------


def test_r11_paid_at_the_bank_before_the_webhook_the_page_invites_no_second_payment(
    sandbox, invoice
):
    # Given the patient paid at the bank, and the PSP's webhook is not in yet
    sandbox.clock.set(date(2026, 12, 10))
    visit = unlocked(sandbox, invoice)
    pay = f"action=pay&kenmerk={invoice.reference}&lang=nl"
    to_bank = sandbox.api_raw("POST", "/", body=pay, headers=FORM | {"Cookie": visit})
    payment_id = cookies_of(to_bank)["zn_payment"]
    sandbox.runtime.psp.complete(payment_id, "paid")
    cookie = f"{visit}; zn_payment={payment_id}"
    # When the bank sends the patient back
    code, html = page(sandbox, invoice, cookie=cookie, terug="ideal")
    # Then "received, being processed", and no pay, defer or arrange form next to it
    assert code == 200 and "Uw betaling wordt verwerkt." in html
    assert "Uw bank heeft de betaling bevestigd" in html and "staat open" not in html
    for form in ('id="pay"', 'id="defer-heading"', 'id="arrange-heading"'):
        assert form not in html
    # And Pay again in the same minute answers with that page, never a blank one
    again = sandbox.api_raw("POST", "/", body=pay, headers=FORM | {"Cookie": cookie})
    location = next(v[0] for k, v in again["multiValueHeaders"].items() if k == "Location")
    assert again["statusCode"] == 303 and location.endswith("&terug=ideal")
    # And the API's payment start refuses it with a reason
    code, body = sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/payments",
        body={"birth_date": invoice.birth_date.isoformat()},
        headers=JSON,
    )
    assert code == 409 and body["error"]["code"] == "payment_received"


# --- D4: stopped in full by the practice ----------------------------------------------------


@pytest.mark.parametrize(
    "language, words, paid_words",
    [
        ("nl", "uw zorgverlener heeft het bedrag van deze nota kwijtgescholden", "is betaald"),
        ("en", "your healthcare provider has waived the amount", "has been paid"),
    ],
)
def test_r21_a_stop_in_full_says_nothing_is_owed_not_that_the_patient_paid(
    sandbox, invoice, language, words, paid_words
):
    # Given the practice stops the whole invoice
    code, _ = sandbox.api(
        "POST",
        f"/api/v1/provider/invoices/{invoice.invoice_id}/stop",
        provider_id=PROVIDER,
        body={
            "scope": "full",
            "reason": "administrative_error",
            "patient_email": invoice.addressee.email,
            "accept_terms": True,
        },
    )
    assert code == 200
    # Then the page says the practice waived it, not that it was paid
    _, html = page(sandbox, invoice, language)
    assert words in html and paid_words not in html
    # And the API keeps R10's status, with a state that says who settled it
    body = status(sandbox, invoice)
    assert (body["status"], body["state"], body["amount_due"]) == ("paid", "waived", 0)


# --- D5: on hold past the final date (R16) --------------------------------------------------


def held_until(sandbox, invoice, until):
    """The practice puts the invoice on hold (R16) through its API."""
    code, _ = sandbox.api(
        "POST",
        f"/api/v1/provider/invoices/{invoice.invoice_id}/hold",
        provider_id=PROVIDER,
        body={"until": until.isoformat(), "reason": "bezwaar"},
    )
    assert code == 200


@pytest.mark.parametrize(
    "language, pay_by, on_hold_words",
    [
        ("nl", "15 januari 2027", "stuurt uw zorgverlener geen herinnering"),
        ("en", "15 January 2027", "your healthcare provider sends no reminder"),
    ],
)
def test_r16_a_hold_past_the_final_date_names_its_end_as_the_date_to_pay_by(
    sandbox, invoice, language, pay_by, on_hold_words
):
    # Given the practice put the invoice (final payment date 23 December) on hold until
    # 15 January, and the patient looks on 5 January
    sandbox.clock.set(date(2026, 12, 20))
    held_until(sandbox, invoice, date(2027, 1, 15))
    sandbox.clock.set(date(2027, 1, 5))
    # When the page and the API answer
    _, html = page(sandbox, invoice, language)
    body = status(sandbox, invoice)
    # Then both name the hold's end as the date to pay by, never the passed 23 December
    assert 'id="pay-by"' in html and pay_by in html and on_hold_words in html
    assert "23 december 2026" not in html.lower()
    assert (body["breakdown"]["pay_by"], body["breakdown"]["pay_by_kind"]) == (
        "2027-01-15",
        "hold",
    )
    # And that is the day dunning uses: no reminder on it, one the day after
    dunned_to(sandbox, date(2027, 1, 15))
    assert status(sandbox, invoice)["state"] == "on_hold"
    dunned_to(sandbox, date(2027, 1, 16))
    assert status(sandbox, invoice)["state"] == "reminder_sent"


# --- D6: partly paid, the rest stopped by the practice (R21) ---------------------------------


@pytest.mark.parametrize(
    "language, words, paid_words",
    [
        (
            "nl",
            "U hebt € 10,00 betaald; uw zorgverlener heeft de rest kwijtgescholden",
            "is betaald",
        ),
        ("en", "You paid €10.00; your healthcare provider has waived the rest", "has been paid"),
    ],
)
def test_r21_partly_paid_and_the_rest_stopped_says_both_not_just_paid(
    sandbox, invoice, language, words, paid_words
):
    # Given the patient paid € 10,00 and the practice then stopped the rest (R21)
    incoming = IncomingPayment("bank", "NTRF-PART", 1000, sandbox.clock.now())
    book_payment(sandbox.runtime.repository, invoice.reference, incoming, clock=sandbox.clock)
    code, detail = sandbox.api(
        "POST",
        f"/api/v1/provider/invoices/{invoice.invoice_id}/stop",
        provider_id=PROVIDER,
        body={
            "scope": "full",
            "reason": "goodwill",
            "patient_email": invoice.addressee.email,
            "accept_terms": True,
        },
    )
    assert code == 200 and detail["state"] == "paid_rest_waived"
    # Then the page says what was paid and that the practice waived the rest
    _, html = page(sandbox, invoice, language)
    assert words in html and paid_words not in html
    # And the API keeps R10's status, with a state that says both
    body = status(sandbox, invoice)
    assert (body["status"], body["state"], body["amount_due"]) == ("paid", "paid_rest_waived", 0)
