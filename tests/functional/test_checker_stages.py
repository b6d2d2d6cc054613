"""What the payment checker (page and patient API) says and offers at the stages the
patient audit walked (audit patient D1-D4): with the collection agency, after the costs,
back from the bank before the webhook, and after the practice stopped the invoice."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html import unescape
from urllib.parse import urlencode

import pytest

from billing_core.invoices.invoice import Channel, DunningStage
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.payments.psp import PspUnavailable
from billing_core.shared.clock import amsterdam_day
from billing_core.shared.money import format_euros
from local.generate import declaration_csv
from local.seed import DENTAL
from tests.functional.conftest import delivered_dental_week, emailed, lines_of_patient

PROVIDER = DENTAL.provider_id
JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
REMINDER_DAY = date(2026, 12, 31)  # the first run after the final date, 23 December
COSTS_DAY = date(2027, 1, 15)  # the reminder's 14 days have passed


@pytest.fixture
def invoice(sandbox):
    """An e-mailed invoice of the dental practice, delivered (the invoice e-mail sent):
    PAT000004's (two lines of € 23,50), the first the repository lists of the week of 12
    lines. Only that patient's lines are uploaded: the tests' dunning runs then step one
    invoice, not four."""
    week = lines_of_patient(declaration_csv(12), "PAT000004")
    sandbox.upload_declaration(PROVIDER, "week-47.csv", week)
    sandbox.drain_deliveries()
    (only,) = emailed(sandbox.runtime.repository.list_invoices(PROVIDER)[0])
    return only


@pytest.fixture
def dental_week(sandbox):
    """The dental practice's week of 12 lines (week-47.csv) uploaded and delivered: four
    e-mailed invoices, as the repository lists them."""
    return delivered_dental_week(sandbox, 12)


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


@pytest.mark.parametrize("min_term_cents, arrangement_possible", [(25000, False), (500, True)])
def test_r14_r15_a_refused_deferral_points_to_an_arrangement_only_when_one_is_possible(
    sandbox, invoice, min_term_cents, arrangement_possible
):
    """R14, R15 (audit texts57). Given the costs charged, so a deferral gives no time, and
    the practice's minimum term € 250,00 (too high for this invoice) or € 5,00
    When the patient asks for a deferral through the API and the page's form
    Then both refuse it and invite an arrangement only where the checker would grant one."""
    provider = DENTAL.model_copy(update={"arrangement_min_term_cents": min_term_cents})
    sandbox.replace_provider(provider)
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    sandbox.clock.set(date(2027, 1, 20))
    can_arrange = status(sandbox, invoice)["can_arrange"]
    assert can_arrange is arrangement_possible
    path = f"/api/v1/invoices/{invoice.reference}/deferral"
    body = {"birth_date": invoice.birth_date.isoformat()}
    code, answer = sandbox.api("POST", path, body=body, headers=JSON)
    assert code == 409 and answer["error"]["code"] == "deferral_gives_no_time"
    assert ("betalingsregeling treffen" in answer["error"]["message"]) is arrangement_possible
    form = f"action=defer&kenmerk={invoice.reference}&lang=en"
    cookie = unlocked(sandbox, invoice)
    code, html = sandbox.api("POST", "/", body=form, headers=FORM | {"Cookie": cookie})
    assert code == 409 and "it would not move the date you must now pay by" in html
    assert ("You can still arrange to pay in instalments" in html) is arrangement_possible


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


# --- the state line once the costs are charged, and after a deferral in the term ------------

# "Stand van zaken" after the costs (R19: the final notice, as its e-mail names it), the
# date beside it, and the reminder's state it must no longer say, per language.
FINAL_NOTICE_STATE = {
    "nl": ("Laatste aanmaning verstuurd", "28 januari 2027", "Herinnering verstuurd"),
    "en": ("Final notice sent", "28 January 2027", "Reminder sent"),
    "pl": ("Wysłano ostateczne wezwanie do zapłaty", "28 stycznia 2027", "Wysłano upomnienie"),
    "ar": ("أُرسل إنذار أخير", "28 يناير 2027", "أُرسلت رسالة تذكير"),
}
# The state line while the final notice has not gone yet (R19: still to be sent; checker53b)
FINAL_NOTICE_WAITS = {
    "nl": "Laatste aanmaning wordt nog verstuurd",
    "en": "Final notice still to be sent",
    "pl": "Ostateczne wezwanie do zapłaty zostanie wysłane",
    "ar": "سيُرسل إنذار أخير",
}


@pytest.mark.parametrize("run_first", [True, False], ids=["after the run", "before the run"])
def test_r19_r36_after_the_costs_the_state_says_final_notice_in_each_language(
    sandbox, invoice, subtests, run_first
):
    """R19, R36, R10, R9 (audit checker50: "Herinnering verstuurd" after the costs).
    Given the reminder of 31 December, its term to 14 January expired unpaid
    When the patient checks on 15 January, after the run charged the costs and sent the
    final notice, or before it (the checker shows what the run will make of it)
    Then the state says the final notice was sent, not the reminder, beside the final
    notice's date once it went; before the run that it is still to be sent, and no date
    (the 14 days count from it, R19, checker53, checker53b), in nl, en, pl and ar; and the
    API's state is the final notice's step, second_notice_sent, in both."""
    dunned_to(sandbox, REMINDER_DAY)
    if run_first:
        dunned_to(sandbox, COSTS_DAY)
    sandbox.clock.set(COSTS_DAY)
    body = status(sandbox, invoice)
    assert (body["state"], body["breakdown"]["pay_by_kind"]) == (
        "second_notice_sent",
        "second_notice",
    )
    assert (body["breakdown"]["pay_by"] is None) is not run_first
    for language, (state, pay_by, reminder_state) in FINAL_NOTICE_STATE.items():
        with subtests.test(language=language):
            _, html = page(sandbox, invoice, language)
            html = unescape(html)
            assert reminder_state not in html
            if run_first:
                assert text_of(html, "state") == state
                assert text_of(html, "pay-by") == pay_by
            else:
                assert text_of(html, "state") == FINAL_NOTICE_WAITS[language]
                assert 'id="pay-by"' not in html


# "Stand van zaken" after a deferral granted in the reminder's term, per language.
DEFERRED_STATE = {
    "nl": ("Uitstel van betaling verleend", "Herinnering verstuurd"),
    "en": ("Deferral of payment granted", "Reminder sent"),
    "pl": ("Odroczono termin płatności", "Wysłano upomnienie"),
    "ar": ("تمت الموافقة على تأجيل الدفع", "أُرسلت رسالة تذكير"),
}


def test_r14_a_deferral_in_the_reminders_term_says_deferred_in_each_language(
    sandbox, invoice, subtests
):
    """R14, R36, legal-nl.md §2 (audit checker50: "Herinnering verstuurd" beside "Uiterste
    betaaldatum na uitstel").
    Given a reminder (its final date 14 January) and the deferral granted on 10 January
    When the patient checks the invoice
    Then the state says the deferral was granted, beside the deferred date 22 January, in
    each language, as the API does: the old reminder no longer counts."""
    dunned_to(sandbox, REMINDER_DAY)
    sandbox.clock.set(date(2027, 1, 10))
    path = f"/api/v1/invoices/{invoice.reference}/deferral"
    born = {"birth_date": invoice.birth_date.isoformat()}
    assert sandbox.api("POST", path, body=born, headers=JSON)[0] == 200
    body = status(sandbox, invoice)
    assert (body["state"], body["breakdown"]["pay_by"]) == ("deferred", "2027-01-22")
    for language, (state, reminder_state) in DEFERRED_STATE.items():
        with subtests.test(language=language):
            _, html = page(sandbox, invoice, language)
            html = unescape(html)
            assert text_of(html, "state") == state and reminder_state not in html


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


def test_r11_pay_again_from_another_browser_after_the_bank_says_the_payment_is_processed(
    sandbox, invoice
):
    """Given the patient paid at the bank, the webhook not in yet, and the bank's app came
    back to another browser (no payment cookie there), which checked the birth date again
    When Pay is clicked there
    Then the page it is sent to says the payment is being processed and offers no second
    payment (R11; audit checker8: it offered Pay again, each click coming back to it)."""
    visit = unlocked(sandbox, invoice)
    pay = f"action=pay&kenmerk={invoice.reference}&lang=nl"
    to_bank = sandbox.api_raw("POST", "/", body=pay, headers=FORM | {"Cookie": visit})
    sandbox.runtime.psp.complete(cookies_of(to_bank)["zn_payment"], "paid")
    other_browser = unlocked(sandbox, invoice)
    again = sandbox.api_raw("POST", "/", body=pay, headers=FORM | {"Cookie": other_browser})
    remembered = cookies_of(again)
    assert again["statusCode"] == 303 and remembered == cookies_of(to_bank)
    cookie = f"{other_browser}; zn_payment={remembered['zn_payment']}"
    code, html = page(sandbox, invoice, cookie=cookie, terug="ideal")
    assert code == 200 and "Uw bank heeft de betaling bevestigd" in html
    assert 'id="pay"' not in html


def test_r21_r11_back_from_a_cancelled_payment_after_a_stop_neither_thanks_nor_asks_again(
    sandbox, invoice
):
    """Given the patient went to the bank, the practice meanwhile stopped the whole
    invoice (R21), and the patient cancelled at the bank
    When the bank sends them back, to this browser or to another one (no payment cookie)
    Then the page says nothing is owed, and neither "you can pay again" nor "thank you,
    your payment was received" (R10, R11; audit checker8: one said each)."""
    visit = unlocked(sandbox, invoice)
    pay = f"action=pay&kenmerk={invoice.reference}&lang=nl"
    payment_id = cookies_of(
        sandbox.api_raw("POST", "/", body=pay, headers=FORM | {"Cookie": visit})
    )["zn_payment"]
    stopped_in_full(sandbox, invoice)
    sandbox.complete_psp_payment(payment_id, "canceled")
    for cookie in (f"{visit}; zn_payment={payment_id}", visit):
        code, html = page(sandbox, invoice, cookie=cookie, terug="ideal")
        assert code == 200 and "kwijtgescholden" in html
        assert "opnieuw betalen" not in html and "Uw betaling is ontvangen" not in html


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
    stopped_in_full(sandbox, invoice, reason="administrative_error")
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
            "U hebt €\u00a010,00 betaald; uw zorgverlener heeft de rest kwijtgescholden",
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


# --- a date that has passed is not one to pay by (R36) -------------------------------------


@pytest.fixture
def arranged(sandbox, dental_week):
    """The largest e-mailed invoice of the week (final payment date 23 December), in an
    arrangement of two terms made on 25 November: the first term due on 23 December (R15)."""
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    largest = max(
        (i for i in invoices if i.channel is Channel.EMAIL), key=lambda i: i.amount_due_cents
    )
    sandbox.clock.set(date(2026, 11, 25))
    code, body = sandbox.api(
        "POST",
        f"/api/v1/invoices/{largest.reference}/arrangement",
        body={"birth_date": largest.birth_date.isoformat(), "terms": 2},
        headers=JSON,
    )
    assert code == 200 and body["terms"][0]["due_date"] == "2026-12-23", body
    return largest


@pytest.mark.parametrize(
    "language, passed_label, pay_by_label, passed_date",
    [
        (
            "nl",
            "Uiterste betaaldatum verstreken op",
            "<dt>Uiterste betaaldatum</dt>",
            "23 december 2026",
        ),
        ("en", "Was due on", "<dt>Pay by</dt>", "23 December 2026"),
    ],
)
def test_r36_after_the_final_date_before_the_reminder_the_date_reads_as_passed(
    sandbox, invoice, language, passed_label, pay_by_label, passed_date
):
    # Given an invoice whose final payment date, 23 December, has passed, and the first
    # reminder goes only on 31 December (days_to_reminder)
    dunned_to(sandbox, date(2026, 12, 27))
    # When the patient looks on 27 December
    _, html = page(sandbox, invoice, language)
    body = status(sandbox, invoice)
    # Then the page says the date has passed, and does not ask to pay by it
    row = html.split('id="pay-by">', 1)[1].split("</dd>", 1)[0]
    assert passed_label in html and row == passed_date
    assert pay_by_label not in html
    # And the API marks it: the same date, of the same kind, passed
    parts = body["breakdown"]
    assert (parts["pay_by"], parts["pay_by_kind"], parts["pay_by_passed"]) == (
        "2026-12-23",
        "final_payment_date",
        True,
    )
    # And on the final date itself it was still the date to pay by
    sandbox.clock.set(date(2026, 12, 23))
    assert pay_by_label in page(sandbox, invoice, language)[1]
    assert status(sandbox, invoice)["breakdown"]["pay_by_passed"] is False


@pytest.mark.parametrize(
    "language, passed_label, next_term_label",
    [
        ("nl", "Openstaande termijn verstreken op", "Volgende termijn uiterlijk"),
        ("en", "Instalment was due on", "Next term due by"),
    ],
)
def test_r15_a_term_up_to_14_days_late_reads_as_passed_not_as_the_next_one_to_pay(
    sandbox, arranged, language, passed_label, next_term_label
):
    # Given an arrangement whose first term, due 23 December, is unpaid on 30 December: the
    # arrangement still runs (it is cancelled after 14 days, R15)
    dunned_to(sandbox, date(2026, 12, 24), date(2026, 12, 30))
    # When the patient looks
    _, html = page(sandbox, arranged, language)
    body = status(sandbox, arranged)
    # Then the page names the term's date as passed, not as the next term's last day
    assert body["state"] == "arrangement_active"
    assert passed_label in html and next_term_label not in html
    parts = body["breakdown"]
    assert (parts["pay_by"], parts["pay_by_kind"], parts["pay_by_passed"]) == (
        "2026-12-23",
        "arrangement_term",
        True,
    )


# --- a hold during a running arrangement (R16; audit ARRANGEMENTS6) ------------------------


@pytest.mark.parametrize(
    "language, state_words, hold_words",
    [
        (
            "nl",
            ("Betalingsregeling loopt", "In behandeling bij uw zorgverlener"),
            "Tot en met 20 januari 2027 stuurt uw zorgverlener geen herinnering",
        ),
        (
            "en",
            ("Instalment arrangement running", "Being looked at by your healthcare provider"),
            "Until 20 January 2027, your healthcare provider sends no reminder",
        ),
    ],
)
def test_r16_a_hold_during_an_arrangement_shows_beside_its_state(
    sandbox, arranged, language, state_words, hold_words
):
    # Given a running arrangement, and the practice puts the invoice on hold on 20 December
    # until 20 January (audit ARRANGEMENTS6)
    sandbox.clock.set(date(2026, 12, 20))
    held_until(sandbox, arranged, date(2027, 1, 20))
    # When the patient looks the same day
    _, html = page(sandbox, arranged, language)
    body = status(sandbox, arranged)
    # Then the page keeps the arrangement's state and says, on a second line, that the
    # practice is looking at the invoice, with the hold's sentence and its last day
    state = html.split('id="state">', 1)[1].split("</dd>", 1)[0]
    assert all(words in state for words in state_words), state
    assert 'id="on-hold"' in html and hold_words in html
    # And the API says the same: the state, and the hold beside it
    assert body["state"] == "arrangement_active"
    assert (body["on_hold"], body["hold_until"]) == (True, "2027-01-20")
    # And the next term still counts (R15: a missed term is missed whatever the hold)
    assert body["breakdown"]["pay_by_kind"] == "arrangement_term"


TERMS_STILL_COUNT = [
    ("nl", "Een termijn die 14 dagen na de vervaldatum nog niet betaald is, beëindigt"),
    ("en", "A term still unpaid 14 days after its due date ends the arrangement"),
    ("pl", "Rata niezapłacona w ciągu 14 dni od terminu płatności kończy plan ratalny"),
    ("ar", "القسط الذي يبقى غير مدفوع بعد 14 يومًا من موعد استحقاقه يُنهي خطة التقسيط"),
]


def test_r16_r15_the_hold_during_an_arrangement_says_its_terms_still_count(
    sandbox, arranged, subtests
):
    # Given a running arrangement, and a hold from 20 December until 20 January, over the
    # first term (23 December) and its 14 days of grace: the run cancels the arrangement
    # on a term missed during the hold (changes/arrangement.arrangement_status reads the
    # terms whatever the hold; dunning/breakdown._PAUSED_BY_A_HOLD leaves them out); and
    # another invoice held alike, without an arrangement
    sandbox.clock.set(date(2026, 12, 20))
    held_until(sandbox, arranged, date(2027, 1, 20))
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    other = next(i for i in invoices if i.invoice_id != arranged.invoice_id)
    held_until(sandbox, other, date(2027, 1, 20))
    for language, terms_words in TERMS_STILL_COUNT:
        with subtests.test(language=language):
            # When the patient looks the same day
            _, html = page(sandbox, arranged, language)
            # Then the hold's sentence is followed by one saying the terms still count
            # (R15): the hold sentence alone ("no reminder, no costs until 20 January")
            # reads as if the terms waited too
            assert 'id="on-hold-terms"' in html and terms_words in html
            # And without an arrangement the hold says nothing of terms
            _, html = page(sandbox, other, language)
            assert 'id="on-hold"' in html and 'id="on-hold-terms"' not in html


def test_r16_without_a_hold_the_api_says_not_on_hold(sandbox, invoice):
    body = status(sandbox, invoice)
    assert (body["on_hold"], body["hold_until"]) == (False, None)
    assert 'id="on-hold"' not in page(sandbox, invoice)[1]


# --- settled: overpaid, paid in full, stopped in full (audit PATIENT2, PATIENT3) -------------

OVERPAID_CENTS = 2500


def paid_by_transfer(sandbox, invoice, extra_cents=0):
    """The patient's bank transfer: what is due, and ``extra_cents`` more (R12, R13)."""
    amount = invoice.amount_due_cents + extra_cents
    transfer = IncomingPayment("bank", f"SETTLED-{amount}", amount, sandbox.clock.now())
    book_payment(sandbox.runtime.repository, invoice.reference, transfer, clock=sandbox.clock)


def stopped_in_full(sandbox, invoice, reason="goodwill"):
    """The practice stops the whole invoice (R21), with the patient told."""
    code, _ = sandbox.api(
        "POST",
        f"/api/v1/provider/invoices/{invoice.invoice_id}/stop",
        provider_id=PROVIDER,
        body={
            "scope": "full",
            "reason": reason,
            "patient_email": invoice.addressee.email,
            "accept_terms": True,
        },
    )
    assert code == 200


def text_of(html: str, element_id: str) -> str:
    """What the element with ``element_id`` says, without its tags."""
    inner = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:p|dd|div)>', html, re.S)[1]
    return unescape(re.sub(r"<[^>]+>", "", inner))


def signed_cents(shown: str) -> int:
    """A breakdown row's amount in cents: negative after the minus sign (U+2212) the page
    puts before what is taken off."""
    cents = int(re.sub(r"\D", "", shown))
    return -cents if shown.startswith("\u2212") else cents


OVERPAID_SAID = [
    (
        "nl",
        "U heeft {amount} te veel betaald. Dat bedrag betalen wij aan u terug.",
        "Te veel betaald, dat betalen wij u terug",
    ),
    (
        "en",
        "You have paid {amount} too much. We will pay that amount back to you.",
        "Paid too much, which we pay back to you",
    ),
    ("pl", "Nadpłata wynosi {amount}. Zwrócimy tę kwotę.", "Nadpłata, którą zwrócimy"),
    (
        "ar",
        # the amount isolated left to right, so "€" reads before it (R9; stop 47 pdf6)
        "لقد دفعتم \u2066{amount}\u2069 زيادةً عن المطلوب. سنعيد إليكم هذا المبلغ.",
        "ما دفعتموه زيادةً، ونعيده إليكم",
    ),
]


def test_r13_an_overpaid_invoice_names_the_credit_and_that_it_is_refunded(
    sandbox, invoice, subtests
):
    """R13, R36 (audit PATIENT2): given a transfer € 25,00 more than due, when the patient
    checks the invoice, then the page says € 25,00 was paid too much and will be paid
    back, as the payment e-mail does, and the breakdown names it, in each language."""
    paid_by_transfer(sandbox, invoice, OVERPAID_CENTS)
    assert status(sandbox, invoice)["credit"] == OVERPAID_CENTS
    for language, sentence, label in OVERPAID_SAID:
        with subtests.test(language=language):
            _, html = page(sandbox, invoice, language)
            amount = format_euros(OVERPAID_CENTS, language)
            assert text_of(html, "credit") == sentence.format(amount=amount)
            assert label in html and text_of(html, "bd-credit") == f"+ {amount}"


def test_r13_r36_the_breakdown_of_an_overpaid_invoice_adds_up(sandbox, invoice):
    """R36 (audit PATIENT2): given an overpaid invoice, when its breakdown is shown, then
    its rows add up to what it says is still to pay (nothing), the credit among them."""
    paid_by_transfer(sandbox, invoice, OVERPAID_CENTS)
    _, html = page(sandbox, invoice)
    rows = {name: signed_cents(text_of(html, name)) for name in re.findall(r'id="(bd-\w+)"', html)}
    due = rows.pop("bd-due")
    assert set(rows) == {"bd-invoiced", "bd-reimbursed", "bd-paid", "bd-credit"}
    assert sum(rows.values()) == due == 0


def test_r13_without_an_overpayment_the_page_names_no_credit(sandbox, invoice):
    # Given an invoice paid to the cent / Then no credit line and no refund sentence
    paid_by_transfer(sandbox, invoice)
    _, html = page(sandbox, invoice)
    assert 'id="credit"' not in html and 'id="bd-credit"' not in html


@pytest.mark.parametrize(
    "settle", [paid_by_transfer, stopped_in_full], ids=["paid in full", "stopped in full"]
)
def test_r36_r16_a_settled_invoice_opens_with_the_birth_date_for_its_pdf_and_objection(
    sandbox, invoice, settle
):
    """R36, R16 (audit PATIENT3): given an invoice paid in full, or stopped in full by the
    practice, when the patient opens the checker, then the birth-date check is offered
    (to see the invoice or object, nothing to pay); after it, the lines, the PDF and the
    objection form, and no pay, defer or arrange; and the objection is taken."""
    settle(sandbox, invoice)
    _, html = page(sandbox, invoice)
    assert 'id="birth-date"' in html and "Nota bekijken of bezwaar maken" in html
    assert "betalen, uitstel" not in html
    cookie = unlocked(sandbox, invoice)
    _, html = page(sandbox, invoice, cookie=cookie)
    assert 'id="lines"' in html and 'id="download-pdf"' in html
    assert 'id="object-heading"' in html and 'id="birth-date"' not in html
    for form in ('id="pay"', 'id="defer-heading"', 'id="arrange-heading"'):
        assert form not in html
    objection = urlencode(
        {
            "action": "object",
            "kenmerk": invoice.reference,
            "lang": "nl",
            "reason": "treatment",
            "message": "Ik ben op 21 november niet behandeld.",
            "email": "patient@example.nl",
        }
    )
    code, html = sandbox.api("POST", "/", body=objection, headers=FORM | {"Cookie": cookie})
    assert code == 200 and "Uw bezwaar is ontvangen." in html


# The objection section's sentence that the payment term runs on (seed 000), by language.
TERM_RUNS_ON = {
    "nl": "een bezwaar schort de betaaltermijn niet op",
    "en": "objection does not suspend the payment term",
    "pl": "reklamacja nie wstrzymuje biegu terminu płatności",
    "ar": "الاعتراض لا يوقف مهلة الدفع",
}


@pytest.mark.parametrize(
    "settle", [paid_by_transfer, stopped_in_full], ids=["paid in full", "stopped in full"]
)
def test_r36_r16_a_settled_invoice_does_not_say_an_objection_leaves_the_term_running(
    sandbox, invoice, settle, subtests
):
    """R36, R16 (seed 000: an objection does not suspend the payment obligation).
    Given an invoice still to pay, its objection section says the term runs on
    When it is paid in full, or stopped in full by the practice
    Then the objection form is still there, but without that sentence: no term is left
    to run, in each language."""
    cookie = unlocked(sandbox, invoice)
    for language, term_runs_on in TERM_RUNS_ON.items():
        with subtests.test(language=language, settled=False):
            _, html = page(sandbox, invoice, language, cookie=cookie)
            assert term_runs_on in html
    settle(sandbox, invoice)
    for language, term_runs_on in TERM_RUNS_ON.items():
        with subtests.test(language=language, settled=True):
            _, html = page(sandbox, invoice, language, cookie=cookie)
            assert 'id="object-heading"' in html and 'id="reason"' in html
            assert term_runs_on not in html


# The footer's first sentence, per language: name and address never, the treatments only
# after the birth date (R36), as the privacy page says (R29)
FOOTER_PRIVACY = {
    "nl": "Deze pagina toont nooit uw naam of adres, en uw behandelingen pas na de "
    "geboortedatum van de patiënt.",
    "en": "This page never shows your name or address, and your treatments only after the "
    "patient's date of birth.",
    "pl": "Ta strona nigdy nie pokazuje imienia i nazwiska ani adresu, a zabiegi dopiero po "
    "podaniu daty urodzenia pacjenta.",
    "ar": "لا تعرض هذه الصفحة أبدًا اسمكم أو عنوانكم، ولا تعرض علاجاتكم إلا بعد إدخال تاريخ "
    "ميلاد المريض.",
}


def footer_privacy_of(html: str) -> str:
    return unescape(re.search(r"<footer>\s*<p>([^<]*)</p>", html)[1])


def test_r36_r29_the_footer_does_not_say_the_treatments_are_never_shown_beside_them(
    sandbox, invoice, subtests
):
    """R36, R29, R9 (audit checker57: beside the table of treatments the birth date unlocks,
    the footer said "This page never shows your name, address or treatments", in each
    language; the privacy page says "without a date of birth").
    Given an invoice, the page before the birth date and after it
    When the patient reads the footer, in nl, en, pl and ar
    Then it says the treatments come only after the birth date, on both, and after it
    the treatments are there."""
    cookie = unlocked(sandbox, invoice)
    for language, sentence in FOOTER_PRIVACY.items():
        with subtests.test(language=language):
            _, locked = page(sandbox, invoice, language)
            _, html = page(sandbox, invoice, language, cookie=cookie)
            assert 'id="lines"' not in locked and 'id="lines"' in html
            for shown in (locked, html):
                assert footer_privacy_of(shown).startswith(sentence)


# --- the PSP unreachable when the patient presses Pay ---------------------------------------


@pytest.mark.parametrize(
    "language, words",
    [
        ("nl", "Online betalen lukt nu niet"),
        ("en", "Paying online is not possible right now"),
        ("pl", "Płatność online nie jest teraz możliwa"),
        ("ar", "الدفع عبر الإنترنت غير ممكن الآن"),
    ],
)
def test_r11_the_psp_unreachable_at_pay_gives_a_page_to_pay_by_transfer_instead(
    sandbox, invoice, monkeypatch, language, words
):
    """R11, R12, R9, interfaces.md §2 (known.md stop 39, PSP): Given a visit that checked
    the birth date, and Mollie cannot be reached
    When the patient presses Pay on the checker page, in their language
    Then a page of its own (HTML, not the APIs' JSON), still 503: in that language it says
    paying online is not possible now, to try again or transfer, with our IBAN, its
    holder and the kenmerk, and a link back to the invoice's page; nothing personal; no
    payment cookie; nothing saved."""
    sandbox.clock.set(date(2026, 12, 10))
    visit = unlocked(sandbox, invoice)

    def unreachable(request, idempotency_key):
        raise PspUnavailable("ConnectTimeout")

    monkeypatch.setattr(sandbox.runtime.psp, "create_payment", unreachable)
    pay = urlencode({"action": "pay", "kenmerk": invoice.reference, "lang": language})

    answer = sandbox.api_raw("POST", "/", body=pay, headers=FORM | {"Cookie": visit})

    assert answer["statusCode"] == 503
    headers = answer.get("headers") or {k: v[0] for k, v in answer["multiValueHeaders"].items()}
    assert headers["Content-Type"].startswith("text/html")
    html = unescape(answer["body"])
    assert f'<html lang="{language}"' in html and words in html
    assert '"error"' not in html and "psp_unavailable" not in html
    account = sandbox.runtime.collection_account
    iban = re.search(r'id="transfer-iban"><bdi dir="ltr">([^<]*)<', html)
    assert iban is not None and iban.group(1).replace(" ", "") == account.iban.replace(" ", "")
    assert account.holder in html
    kenmerk = re.search(r'id="transfer-kenmerk"><bdi dir="ltr">([^<]*)<', html)
    assert kenmerk is not None and re.sub(r"\D", "", kenmerk.group(1)) == invoice.reference
    back = re.search(r'<a id="back" href="([^"]*)"', html)
    assert back is not None and back.group(1) == f"/?kenmerk={invoice.reference}&lang={language}"
    personal = (invoice.patient.address.street, invoice.patient.email, str(invoice.birth_date))
    assert not any(value in html for value in personal)
    assert "zn_payment" not in cookies_of(answer)
    after = sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    assert after.ledger == invoice.ledger


@pytest.mark.parametrize("action", ["pay", "pay_all"])
@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
def test_r11_r12_the_transfer_page_when_the_psp_is_down_names_the_amount_to_transfer(
    sandbox, monkeypatch, action, language
):
    """R11, R12, R36 (known.md stop 40, PSP): Given a visit that checked the birth date, an
    arrangement of 2 terms running, and Mollie cannot be reached
    When the patient presses Pay (the term due) or Pay everything on the checker page
    Then the transfer page names the amount to transfer beside the IBAN, holder and
    kenmerk: what that button asks, as the checker shows it (the term, or everything due),
    in the patient's language."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(12))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    emailed = [i for i in invoices if i.channel is Channel.EMAIL]
    invoice = max(emailed, key=lambda i: i.amount_due_cents)  # enough for two terms
    sandbox.clock.set(date(2026, 12, 10))
    born = {"birth_date": invoice.birth_date.isoformat(), "terms": 2}
    base = f"/api/v1/invoices/{invoice.reference}"
    assert sandbox.api("POST", f"{base}/arrangement", body=born)[0] == 200
    visit = unlocked(sandbox, invoice)
    checker = status(sandbox, invoice)
    asked = checker["amount_due"] if action == "pay_all" else checker["breakdown"]["term"]
    assert 0 < checker["breakdown"]["term"] < checker["amount_due"]

    def unreachable(request, idempotency_key):
        raise PspUnavailable("ConnectTimeout")

    monkeypatch.setattr(sandbox.runtime.psp, "create_payment", unreachable)
    pay = urlencode({"action": action, "kenmerk": invoice.reference, "lang": language})

    answer = sandbox.api_raw("POST", "/", body=pay, headers=FORM | {"Cookie": visit})

    assert answer["statusCode"] == 503
    html = unescape(answer["body"])
    named = re.search(r'id="transfer-amount"><bdi dir="ltr">([^<]*)<', html)
    assert named is not None and named.group(1) == format_euros(asked, language), html


# --- the PSP unreachable when the patient comes back from the bank --------------------------


@pytest.mark.parametrize(
    "language, words",
    [
        ("nl", "Wij kunnen op dit moment niet nagaan of uw betaling gelukt is"),
        ("en", "We cannot check right now whether your payment went through"),
        ("pl", "Nie możemy w tej chwili sprawdzić, czy płatność się powiodła"),
        ("ar", "لا يمكننا الآن التحقق مما إذا كانت دفعتكم قد تمّت"),
    ],
)
@pytest.mark.parametrize("at_the_bank", ["paid", "canceled"])
def test_r11_the_psp_unreachable_back_from_the_bank_the_page_says_not_to_pay_again(
    sandbox, invoice, monkeypatch, language, words, at_the_bank
):
    """R10, R11, R36, R9 (known.md stop 40, PSP): Given the patient went to the bank from
    the checker, and the webhook is not in yet
    When the bank sends them back (?terug=ideal) and Mollie cannot be reached
    Then the checker page itself (HTML, 200: the page works, only the bank's answer is
    missing), in their language: the invoice as we have it, no payment status of the
    bank's, a notice that we cannot check now whether the payment went through, not to
    pay again and to reload in a few minutes; no form that invites a second payment;
    nothing personal beyond the unlocked page's own; nothing booked, the checkout as it was."""
    sandbox.clock.set(date(2026, 12, 10))
    visit = unlocked(sandbox, invoice)
    pay = urlencode({"action": "pay", "kenmerk": invoice.reference, "lang": language})
    to_bank = sandbox.api_raw("POST", "/", body=pay, headers=FORM | {"Cookie": visit})
    payment_id = cookies_of(to_bank)["zn_payment"]
    sandbox.runtime.psp.complete(payment_id, at_the_bank)

    def unreachable(psp_payment_id):
        raise PspUnavailable("ConnectTimeout")

    monkeypatch.setattr(sandbox.runtime.psp, "get_payment", unreachable)
    cookie = f"{visit}; zn_payment={payment_id}"

    answer = sandbox.api_raw(
        "GET",
        "/",
        query={"kenmerk": invoice.reference, "lang": language, "terug": "ideal"},
        headers={"Cookie": cookie},
    )

    assert answer["statusCode"] == 200
    headers = answer.get("headers") or {k: v[0] for k, v in answer["multiValueHeaders"].items()}
    assert headers["Content-Type"].startswith("text/html")
    html = unescape(answer["body"])
    assert f'<html lang="{language}"' in html and '"error"' not in html
    notice = re.search(r'<div class="notice" role="status" id="notice">([^<]*)</div>', html)
    assert notice is not None and notice.group(1).startswith(words)
    assert 'id="amount-due"' in html and 'id="lines"' in html  # the page as it is
    for form in ('id="pay"', 'id="pay-all"', 'id="defer-heading"', 'id="arrange-heading"'):
        assert form not in html
    assert 'id="error"' not in html  # not "cancelled", nor any other status of the bank's
    personal = (invoice.patient.address.street, invoice.patient.email, str(invoice.birth_date))
    assert not any(value in html for value in personal)
    after = sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    assert after.ledger == invoice.ledger
    checkout = sandbox.runtime.payment_links.get_checkout(payment_id)
    assert checkout is not None and checkout.status.value == "open"


# --- back from the bank: a failed payment -----------------------------------------------------

FAILED_WORDS = {
    "nl": "De betaling is mislukt",
    "en": "The payment failed",
    "pl": "Płatność nie powiodła się",
    "ar": "فشلت الدفعة",
}
ENDED_WORDS = {
    "nl": "geannuleerd of verlopen",
    "en": "cancelled or has expired",
    "pl": "anulowana lub wygasła",
    "ar": "أُلغيت الدفعة",
}


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar"])
@pytest.mark.parametrize("ended", ["failed", "canceled"])
def test_r11_r9_a_failed_payment_says_it_failed_not_that_it_was_cancelled(sandbox, language, ended):
    """R11, R9 (audit psp3 #3: a payment the bank did not complete, "failed" at the PSP,
    read "cancelled or expired" on the page in every language).
    Given a patient who started an iDEAL payment on the checker page in ``language``
    When the PSP ends it failed (or canceled) and the bank sends the patient back
    Then the page says, in that language, that the payment failed and nothing was
    debited (canceled: cancelled or expired, as before), and the pay button is there."""
    invoice = emailed(delivered_dental_week(sandbox, 4))[0]
    born = invoice.birth_date.isoformat()
    unlock = f"action=unlock&kenmerk={invoice.reference}&lang={language}&birth_date={born}"
    answer = sandbox.api_raw("POST", "/", body=unlock, headers=FORM)
    visit = "; ".join(f"{k}={v}" for k, v in cookies_of(answer).items())
    pay = f"action=pay&kenmerk={invoice.reference}&lang={language}"
    to_bank = sandbox.api_raw("POST", "/", body=pay, headers=FORM | {"Cookie": visit})
    payment_id = cookies_of(to_bank)["zn_payment"]
    sandbox.complete_psp_payment(payment_id, ended)
    cookie = f"{visit}; zn_payment={payment_id}"
    code, html = page(sandbox, invoice, language, cookie=cookie, terug="ideal")
    said, not_said = (
        (FAILED_WORDS, ENDED_WORDS) if ended == "failed" else (ENDED_WORDS, FAILED_WORDS)
    )
    assert code == 200 and said[language] in html and not_said[language] not in html
    assert 'id="pay"' in html


# --- told50: what the page says beside its state after a refund, an ended arrangement and a
# --- reminder that bounced for good ----------------------------------------------------------

REFUNDED_CENTS = 750
# The breakdown's line for what was paid back, with its day, per language (R13, R9)
REFUNDED_LINE = {
    "nl": "Aan u terugbetaald op 26 november 2026",
    "en": "Paid back to you on 26 November 2026",
    "pl": "Zwrócono Panu/Pani 26 listopada 2026",
    "ar": "ما أعدناه إليكم في 26 نوفمبر 2026",
}


def test_r13_a_refunded_overpayment_says_what_was_paid_and_paid_back_in_each_language(
    sandbox, invoice, subtests
):
    """R13, R36, R27 (audit told50: after the refund the credit line went and "Al betaald"
    showed one payment of two, nothing saying € 7,50 went back).
    Given the patient paid € 7,50 too much by iDEAL on 26 November, refunded through the
    PSP at once
    When the patient checks the invoice
    Then the breakdown holds all that was paid, and € 7,50 paid back on 26 November, in nl,
    en, pl and ar; its rows add up to nothing due; the API says the same."""
    from billing_core.invoices.access import BirthDate
    from billing_core.payments.online import start_payment

    due = invoice.amount_due_cents
    context = sandbox.runtime.online_payment_context()
    checkout = start_payment(invoice.reference, BirthDate(invoice.birth_date), context)
    sandbox.clock.set(date(2026, 11, 26))
    sandbox.complete_psp_payment(checkout.psp_payment_id, "paid", amount_cents=due + 750)
    sandbox.clock.set(date(2026, 11, 30))
    parts = status(sandbox, invoice)["breakdown"]
    assert (parts["paid"], parts["refunded"], parts["refunded_on"]) == (
        due,
        REFUNDED_CENTS,
        "2026-11-26",
    )
    for language, line in REFUNDED_LINE.items():
        with subtests.test(language=language):
            html = unescape(page(sandbox, invoice, language)[1])
            refunded = format_euros(REFUNDED_CENTS, language)
            assert f"<dt>{line}</dt>" in html and text_of(html, "bd-refunded") == f"+ {refunded}"
            paid = format_euros(due + REFUNDED_CENTS, language)
            assert text_of(html, "bd-paid") == f"\u2212 {paid}"
    html = page(sandbox, invoice)[1]
    rows = {name: signed_cents(text_of(html, name)) for name in re.findall(r'id="(bd-\w+)"', html)}
    due_row = rows.pop("bd-due")
    assert "bd-refunded" in rows and sum(rows.values()) == due_row == 0


# "Your arrangement ended on 7 January" per language (R15, R9)
ARRANGEMENT_ENDED = {
    "nl": "Uw betalingsregeling is op 7 januari 2027 beëindigd",
    "en": "Your instalment arrangement ended on 7 January 2027",
    "pl": "Plan ratalny zakończył się 7 stycznia 2027",
    "ar": "انتهت خطة التقسيط الخاصة بكم في 7 يناير 2027",
}


@pytest.mark.parametrize("run_first", [True, False], ids=["after the run", "before the run"])
def test_r15_an_arrangement_a_missed_term_ended_is_said_with_its_day_in_each_language(
    sandbox, arranged, subtests, run_first
):
    """R15, R36 (audit told50: "Herinnering verstuurd" beside the arrangement's fee, nothing
    saying the arrangement had ended).
    Given the arrangement's first term (23 December) still unpaid 14 days on
    When the patient checks on 7 January, after the run ended the arrangement and sent the
    reminder, or before it
    Then the page says the arrangement ended on 7 January, in nl, en, pl and ar, beside the
    state the timeline gives again; the API names the day too."""
    dunned_to(sandbox, date(2026, 12, 31))
    if run_first:
        dunned_to(sandbox, date(2027, 1, 7))
    sandbox.clock.set(date(2027, 1, 7))
    body = status(sandbox, arranged)
    assert body["arrangement_ended_on"] == "2027-01-07"
    assert body["state"] == ("reminder_sent" if run_first else "open")
    for language, ended in ARRANGEMENT_ENDED.items():
        with subtests.test(language=language):
            html = unescape(page(sandbox, arranged, language)[1])
            assert text_of(html, "arrangement-ended").startswith(ended)


def test_r15_a_running_arrangement_says_no_end(sandbox, arranged):
    sandbox.clock.set(date(2027, 1, 6))  # the first term's 14 days not yet over
    assert status(sandbox, arranged)["arrangement_ended_on"] is None
    assert 'id="arrangement-ended"' not in page(sandbox, arranged)[1]


def bounced_for_good(sandbox, invoice, kind="dunning_reminder"):
    """SES reports the e-mail of the letter ``kind`` (the reminder unless told) bounced
    permanently (R7, R23)."""
    import json

    from local.sandbox import EVENTS

    stored = sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    mail = next(c for c in stored.correspondence if c.kind == kind)
    event = json.loads((EVENTS / "ses_events" / "bounce.json").read_text())
    event["detail"]["mail"]["messageId"] = mail.message_id
    event["detail"]["mail"]["tags"] |= {"kenmerk": [invoice.reference], "kind": [kind]}
    event["detail"]["bounce"]["bouncedRecipients"][0]["emailAddress"] = invoice.addressee.email
    assert sandbox.invoke("ses_events", event) == {"action_created": True}


NEW_REMINDER_BY_POST = {
    "nl": "U ontvangt een nieuwe herinnering per post, met een nieuwe uiterste betaaldatum.",
    "en": "You will receive a new reminder by post, with a new date to pay by.",
    "pl": "Nowe upomnienie z nowym terminem płatności otrzyma Pan/Pani pocztą.",
    "ar": "ستصلكم رسالة تذكير جديدة بالبريد العادي، مع موعد جديد أقصى للدفع.",
}


def without_a_postal_address(sandbox, invoice) -> None:
    """The patient's postal address is incomplete: a letter whose e-mail bounced has
    nowhere to go (Invoice.letter_channel, R7, R23)."""
    repository = sandbox.runtime.repository
    stored = repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    address = replace(stored.patient.address, street="", house_number="")
    repository.save_invoice(replace(stored, patient=replace(stored.patient, address=address)))


def second_notice_bounced_without_a_postal_address(sandbox, invoice) -> None:
    """The patient has no postal address, the second notice's e-mail of 15 January bounced
    for good, and the runs went on to 31 January: the notice waits for the practice."""
    without_a_postal_address(sandbox, invoice)
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    bounced_for_good(sandbox, invoice, "second_notice")
    dunned_to(sandbox, *(date(2027, 1, day) for day in range(16, 32)))


def test_r7_a_reminder_bounced_for_good_reads_open_then_the_paper_reminders_date(sandbox, invoice):
    """R7, R23, legal-nl.md §2, R10, R36 (audit told50: "Openstaand" beside the invoice's
    own date, unexplained).
    Given the reminder e-mailed on 31 December bounced for good that day
    When the patient checks before the next run
    Then open, its final date 23 December passed (the bounced letter has no term), and,
    once the birth date is checked, that a new reminder comes by post, in nl, en, pl and ar
    (audit52 added pl and ar) (not before: it would
    tell anyone with the kenmerk the e-mail address is dead)
    And after the next run (1 January) the paper reminder's state and its final date, 19
    January (received on 5 January), and no more word of the bounce."""
    dunned_to(sandbox, REMINDER_DAY)
    bounced_for_good(sandbox, invoice)
    body = status(sandbox, invoice)
    assert (body["state"], body["breakdown"]["pay_by"], body["breakdown"]["pay_by_passed"]) == (
        "open",
        "2026-12-23",
        True,
    )
    assert 'id="reminder-undelivered"' not in page(sandbox, invoice)[1]
    cookie = unlocked(sandbox, invoice)
    for language, sentence in NEW_REMINDER_BY_POST.items():
        html = unescape(page(sandbox, invoice, language, cookie=cookie)[1])
        assert text_of(html, "reminder-undelivered").endswith(sentence)
    dunned_to(sandbox, date(2027, 1, 1))
    body = status(sandbox, invoice)
    assert (body["state"], body["breakdown"]["pay_by"]) == ("reminder_sent", "2027-01-19")
    assert (
        'id="reminder-undelivered"'
        not in page(sandbox, invoice, cookie=unlocked(sandbox, invoice))[1]
    )


# "Our final notice did not reach you ..." per language, by post (R7, R19, R9)
NEW_SECOND_NOTICE_BY_POST = {
    "nl": "U ontvangt een nieuwe laatste aanmaning per post, met een nieuwe datum waarna de "
    "nota naar het incassobureau gaat.",
    "en": "You will receive a new final notice by post, with a new date after which the "
    "invoice goes to the collection agency.",
    "pl": "Nowe ostateczne wezwanie z nowym terminem, po którym faktura trafi do biura "
    "windykacyjnego, otrzyma Pan/Pani pocztą.",
    "ar": "سيصلكم إنذار أخير جديد بالبريد العادي، مع موعد جديد تُحال الفاتورة بعده إلى مكتب تحصيل الديون.",
}


def test_r19_r7_a_final_notice_bounced_for_good_says_a_new_one_comes_by_post_in_each_language(
    sandbox, invoice, subtests
):
    """R7, R19, R36, R9 (audit52: after the bounce the page said only "Final notice sent, pay
    by 28 January (then to the collection agency)", in every language, of a notice that
    never arrived; the handover waits for the one sent again).
    Given the second notice e-mailed on 15 January bounced for good that day
    When the patient checks before the next run
    Then, once the birth date is checked (not before: it would tell anyone with the kenmerk
    the e-mail address is dead), the page says a new final notice comes by post with a new
    date, in nl, en, pl and ar
    And after the next run (16 January: the notice on paper) the date is 14 days from that
    notice's day, 29 January, and no more word of the bounce."""
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    bounced_for_good(sandbox, invoice, "second_notice")
    assert status(sandbox, invoice)["state"] == "second_notice_sent"
    assert 'id="second-notice-undelivered"' not in page(sandbox, invoice)[1]
    cookie = unlocked(sandbox, invoice)
    for language, sentence in NEW_SECOND_NOTICE_BY_POST.items():
        with subtests.test(language=language):
            html = unescape(page(sandbox, invoice, language, cookie=cookie)[1])
            assert text_of(html, "second-notice-undelivered").endswith(sentence)
    dunned_to(sandbox, date(2027, 1, 16))
    body = status(sandbox, invoice)
    assert (body["state"], body["breakdown"]["pay_by"]) == ("second_notice_sent", "2027-01-29")
    cookie = unlocked(sandbox, invoice)
    assert 'id="second-notice-undelivered"' not in page(sandbox, invoice, cookie=cookie)[1]


def test_r19_r23_a_final_notice_bounced_without_a_postal_address_waits_for_the_practice(
    sandbox, invoice
):
    """R7, R19, R23 (audit52: on 31 January the page read "date passed on 28 January",
    "Final notice sent" and nothing more, while the claim waits, not handed over, for the
    practice to check the address).
    Given a patient without a postal address whose second notice e-mail of 15 January
    bounced for good
    When the patient checks on 31 January, after the runs
    Then the page says the practice checks the contact details and a new final notice
    with a new date follows; the claim is not with the agency."""
    second_notice_bounced_without_a_postal_address(sandbox, invoice)
    assert status(sandbox, invoice)["state"] == "second_notice_sent"
    html = unescape(page(sandbox, invoice, "en", cookie=unlocked(sandbox, invoice))[1])
    assert text_of(html, "second-notice-undelivered") == (
        "Our final notice did not reach you. Your healthcare provider is checking your contact "
        "details; you will then receive a new final notice, with a new date after which the "
        "invoice goes to the collection agency."
    )


LANGUAGES = ("nl", "en", "pl", "ar")


def date_lines(sandbox, invoice) -> list[str]:
    """The date line (id="pay-by") of the page in each language, before and after the
    birth date: empty where the page names no date."""
    cookie = unlocked(sandbox, invoice)
    pages = [page(sandbox, invoice, language, cookie=cookie)[1] for language in LANGUAGES]
    pages += [page(sandbox, invoice, language)[1] for language in LANGUAGES]
    return [text_of(html, "pay-by") for html in pages if 'id="pay-by"' in html]


def test_r19_no_day_before_the_agency_while_a_bounced_final_notice_waits_to_go_again(
    sandbox, invoice
):
    """R19, R7, R36, legal-nl.md §2 (dateline52: after the bounce the page said "Pay by
    (after that the invoice goes to the collection agency) 28 January", in nl, en, pl and
    ar, before and after the birth date, and the API pay_by 2027-01-28, while the handover
    waits for the notice sent again and counts 14 days from it).
    Given the second notice e-mailed on 15 January bounced for good that day
    When the patient checks before the next run, on the page and the public API
    Then no date line in any language, the birth date checked or not (the new date is not
    known; the page says why only after the birth date), and the API's pay_by is null
    beside the second notice's kind, not passed
    And after the next run (16 January: the notice on paper) the date line is back:
    29 January, 14 days from that notice."""
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    bounced_for_good(sandbox, invoice, "second_notice")

    breakdown = status(sandbox, invoice)["breakdown"]
    assert (breakdown["pay_by"], breakdown["pay_by_kind"], breakdown["pay_by_passed"]) == (
        None,
        "second_notice",
        False,
    )
    assert date_lines(sandbox, invoice) == []
    dunned_to(sandbox, date(2027, 1, 16))
    assert status(sandbox, invoice)["breakdown"]["pay_by"] == "2027-01-29"
    assert len(date_lines(sandbox, invoice)) == 2 * len(LANGUAGES)
    assert "29 januari 2027" in date_lines(sandbox, invoice)


def test_r19_r23_a_final_notice_waiting_for_the_practice_names_no_passed_day(sandbox, invoice):
    """R19, R23, R36 (dateline52: on 31 January, the claim not handed over, the page read
    "passed on 28 January" and the API pay_by 2027-01-28, passed).
    Given a patient without a postal address whose second notice e-mail of 15 January
    bounced for good
    When the patient checks on 31 January, after the runs
    Then the claim waits, and neither the page nor the API names a day: no date line,
    pay_by null and not passed."""
    second_notice_bounced_without_a_postal_address(sandbox, invoice)

    body = status(sandbox, invoice)
    assert body["state"] == "second_notice_sent"
    assert (body["breakdown"]["pay_by"], body["breakdown"]["pay_by_passed"]) == (None, False)
    assert date_lines(sandbox, invoice) == []


@pytest.fixture
def letter_of_two(sandbox):
    """Two e-mailed invoices of one patient with the same final payment date (two
    declarations the same day): one reminder, one second notice, for both (R18). The
    letter's lead first. Only that patient's lines are uploaded (PAT000004's two of the
    week's 12): the dunning runs of the tests then step two invoices, not eight."""
    week = lines_of_patient(declaration_csv(12), "PAT000004")
    sandbox.upload_declaration(PROVIDER, "week-47.csv", week)
    again = week.replace(b"\nR", b"\nS")  # the same patient, new lines
    sandbox.upload_declaration(PROVIDER, "week-47b.csv", again)
    sandbox.drain_deliveries()
    pair = emailed(sandbox.runtime.repository.list_invoices(PROVIDER)[0])
    assert [i.patient_ref for i in pair] == ["PAT000004"] * 2
    return pair


def test_r19_r7_each_invoice_of_a_bounced_final_notice_says_it_comes_again(
    sandbox, letter_of_two, subtests
):
    """R7, R19, R18, R36 (dateline52: the notice sent again waits on the letter's lead only,
    correspondence/bounces.py, so the other invoice's page said "Pay by (after that ... the
    collection agency) 28 January" and, after the birth date, nothing of the bounce).
    Given one second notice for two invoices, e-mailed on 15 January, bounced for good
    When the patient checks either invoice before the next run
    Then each says the same: no date line, the API's pay_by null, and once the birth date
    is checked that a new final notice comes by post, in nl, en, pl and ar; and the
    practice's invoice page (its API) names no day before the agency for either."""
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    repository = sandbox.runtime.repository
    stored = [repository.get_invoice(i.provider_id, i.invoice_id) for i in letter_of_two]
    assert {len(s.reminder.covers) for s in stored} == {2}
    lead_id = stored[0].reminder.covers[0].invoice_id
    (lead,) = [i for i in letter_of_two if i.invoice_id == lead_id]
    bounced_for_good(sandbox, lead, "second_notice")

    for each in letter_of_two:
        with subtests.test(invoice="lead" if each is lead else "other"):
            assert status(sandbox, each)["breakdown"]["pay_by"] is None
            assert date_lines(sandbox, each) == []
            path = f"/api/v1/provider/invoices/{each.invoice_id}"
            code, detail = sandbox.api("GET", path, provider_id=PROVIDER)
            assert (code, detail["breakdown"]["pay_by"]) == (200, None)
            cookie = unlocked(sandbox, each)
            for language, sentence in NEW_SECOND_NOTICE_BY_POST.items():
                html = unescape(page(sandbox, each, language, cookie=cookie)[1])
                assert text_of(html, "second-notice-undelivered").endswith(sentence)


def speaking(sandbox, invoice, language):
    """The invoice's addressee reads ``language`` (the patient language field, R9)."""
    from billing_core.declarations.claims import Language

    repository = sandbox.runtime.repository
    stored = repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    patient = replace(stored.patient, language=Language(language))
    debtor = stored.debtor and replace(stored.debtor, language=Language(language))
    repository.save_invoice(replace(stored, patient=patient, debtor=debtor))


def copy_text(sandbox, invoice) -> str:
    """The text of the invoice copy the checker serves once the birth date is checked."""
    import base64

    headers = {"Cookie": unlocked(sandbox, invoice)}
    answer = sandbox.api_raw(
        "GET", "/nota.pdf", query={"kenmerk": invoice.reference}, headers=headers
    )
    assert answer["statusCode"] == 200
    body = answer["body"]
    content = base64.b64decode(body) if answer.get("isBase64Encoded") else body.encode()
    return pdf_text(content)


def pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def names_day(text: str, day: date, language: str) -> bool:
    """Whether ``text`` (a PDF's, spaces as extracted) names ``day`` as the letters write it
    in ``language``: pypdf gives a right-to-left line's words in visual order, so an Arabic
    date may read year first, its day against the month (28 January: "2027 <month>28")."""
    from billing_core.texts.catalogue import long_date

    words = long_date(day, language).split()
    flat = "".join(text.split())
    return "".join(words) in flat or "".join(reversed(words)) in flat


@pytest.mark.parametrize("language", LANGUAGES)
def test_r19_r7_a_letter_or_copy_about_the_other_invoice_names_no_day_before_the_agency(
    sandbox, letter_of_two, language
):
    """R7, R19, R36, legal-nl.md §2 (dateline52b: the confirmation and the invoice copy
    about the letter's other invoice read that invoice alone, so while the checker named
    no day they still named 28 January, the day before the agency of the notice that
    bounced, in nl, en, pl and ar).
    Given one second notice for two invoices, e-mailed on 15 January, bounced for good
    When the practice lowers the other invoice that day, the patient told (on paper: the
    address bounced), and the patient downloads its copy from the checker
    Then neither the letter nor the copy names 28 January: the letter says the final date
    passed on 23 December, as it does for the letter's lead."""
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    repository = sandbox.runtime.repository
    stored = [repository.get_invoice(i.provider_id, i.invoice_id) for i in letter_of_two]
    lead_id = stored[0].reminder.covers[0].invoice_id
    lead, other = sorted(letter_of_two, key=lambda i: i.invoice_id != lead_id)
    bounced_for_good(sandbox, lead, "second_notice")
    for each in letter_of_two:
        speaking(sandbox, each, language)

    stop = {"scope": "partial", "amount": 200, "reason": "goodwill", "accept_terms": True}
    stop |= {"patient_email": other.addressee.email}
    path = f"/api/v1/provider/invoices/{other.invoice_id}/stop"
    answer = sandbox.api("POST", path, provider_id=PROVIDER, body=stop)
    assert answer[0] == 200, answer
    sandbox.drain_deliveries()

    told = repository.get_invoice(other.provider_id, other.invoice_id).correspondence[-1]
    assert (told.kind, told.channel) == ("stop_confirmation", Channel.PAPER)
    letter = pdf_text(sandbox.output_object(told.message_id))
    assert not names_day(letter, date(2027, 1, 28), language)
    assert names_day(letter, date(2026, 12, 23), language)
    assert not names_day(copy_text(sandbox, other), date(2027, 1, 28), language)


@pytest.fixture
def statement_letter_of_two(sandbox):
    """Two e-mailed invoices of one patient for the insurer without a contract, in one
    letter (R18), at the dental practice applying its coulance policy at once (R17): the
    reminder of 31 December, the costs and the second notice of 15 January. The letter's
    lead first."""
    from billing_core.changes.coulance import is_non_contracted
    from billing_core.changes.coulance_policy import CoulanceMode, CoulancePolicy

    policy = CoulancePolicy(mode=CoulanceMode.AUTOMATIC)
    sandbox.replace_provider(DENTAL.model_copy(update={"coulance": policy}))
    # Of the 40 lines only PAT000011's two: the one e-mailed patient insured at a.s.r.
    # (9018), the insurer without a contract; the others' 24 invoices only cost time.
    week = lines_of_patient(declaration_csv(40), "PAT000011")
    sandbox.upload_declaration(PROVIDER, "week-47.csv", week)
    again = week.replace(b"\nR", b"\nS")  # the same patient, new lines
    sandbox.upload_declaration(PROVIDER, "week-47b.csv", again)
    sandbox.drain_deliveries()
    repository = sandbox.runtime.repository
    provider = repository.get_provider(PROVIDER)
    uncontracted = [
        i for i in emailed(repository.list_invoices(PROVIDER)[0]) if is_non_contracted(i, provider)
    ]
    pair = next(
        pair
        for first in uncontracted
        if len(pair := [i for i in uncontracted if i.patient_ref == first.patient_ref]) == 2
    )
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    lead_id = repository.get_invoice(PROVIDER, pair[0].invoice_id).reminder.covers[0].invoice_id
    return sorted(pair, key=lambda i: i.invoice_id != lead_id)


def statement_answers(sandbox, invoice) -> tuple[dict, list[str]]:
    """The API's answer to the insurer's statement (nothing to forgive: the insurer paid it
    all) and the page's notice to it in each language, the same figures sent again (R38)."""
    from tests.functional.test_insurer_statement import send_statement, send_statement_on_the_page

    gross = sum(line.patient_share_cents for line in invoice.lines)
    code, answer = send_statement(sandbox, invoice, reimbursed=gross)
    assert code == 200, answer
    notices = []
    for language in LANGUAGES:
        code, html = send_statement_on_the_page(
            sandbox, invoice, format_euros(gross, "nl"), language
        )
        assert code == 200
        notices.append(unescape(html.split('id="notice">', 1)[1].split("</div>", 1)[0]))
    return answer, notices


def test_r19_r17_a_statement_answer_names_no_day_while_the_final_notice_goes_again(
    sandbox, statement_letter_of_two, subtests
):
    """R19, R17, R7, legal-nl.md §2, §7 (checker53: the statement's answer read the invoice
    alone and fell back to the final payment date, so while the notice waited to go again
    the other invoice's answer named 28 January, the day of the notice that bounced, and
    the lead's 23 December, long passed; in the API and the page, nl, en, pl and ar).
    Given one second notice for two invoices, e-mailed on 15 January, bounced for good
    When the patient sends the insurer's statement of either invoice that day
    Then neither answer names a day, as the checker names none: the API's
    final_payment_date is null and the page's notice says the notice to come names it."""
    from billing_core.texts.catalogue import long_date

    lead, other = statement_letter_of_two
    bounced_for_good(sandbox, lead, "second_notice")

    for each in (other, lead):
        with subtests.test(invoice="lead" if each is lead else "other"):
            answer, notices = statement_answers(sandbox, each)
            assert answer["outcome"] == "nothing_to_forgive"
            assert answer["final_payment_date"] is None
            assert status(sandbox, each)["breakdown"]["pay_by"] is None
            for language, notice in zip(LANGUAGES, notices, strict=True):
                for day in (date(2027, 1, 28), date(2026, 12, 23)):
                    assert long_date(day, language) not in notice, notice
                assert (
                    "None" not in notice and format_euros(answer["amount_due"], language) in notice
                )


def test_r19_r17_a_statement_answer_names_the_letters_day_on_each_of_its_invoices(
    sandbox, statement_letter_of_two
):
    """R19, R17, legal-nl.md §2 (checker53, the same walk without the bounce): the answer of
    each invoice of the letter names the letter's day before the agency, 28 January (14
    days from the notice e-mailed on 15 January), as the checker does."""
    from billing_core.texts.catalogue import long_date

    for each in statement_letter_of_two:
        answer, notices = statement_answers(sandbox, each)
        assert answer["final_payment_date"] == "2027-01-28"
        assert status(sandbox, each)["breakdown"]["pay_by"] == "2027-01-28"
        for language, notice in zip(LANGUAGES, notices, strict=True):
            assert long_date(date(2027, 1, 28), language) in notice, notice


SECOND_NOTICE_TO_GO = {
    "nl": "Onze laatste aanmaning wordt nu verstuurd. Daarin staat de datum waarna de nota naar "
    "het incassobureau gaat.",
    "en": "Our final notice is being sent now. It names the date after which the invoice goes "
    "to the collection agency.",
    "pl": "Nasze ostateczne wezwanie do zapłaty jest właśnie wysyłane. Podano w nim termin, po "
    "którym faktura trafi do biura windykacyjnego.",
    "ar": "يجري الآن إرسال إنذارنا الأخير، وفيه الموعد الذي تُحال الفاتورة بعده إلى مكتب "
    "تحصيل الديون.",
}


def to_go_notes(sandbox, invoice) -> list[str]:
    """The note that the final notice is being sent, in each language, the birth date
    checked; empty where the page has none."""
    cookie = unlocked(sandbox, invoice)
    pages = [unescape(page(sandbox, invoice, language, cookie=cookie)[1]) for language in LANGUAGES]
    return [text_of(html, "second-notice-to-go") for html in pages if "second-notice-to-go" in html]


def test_r19_no_day_before_the_agency_while_the_first_final_notice_is_still_to_go(
    sandbox, letter_of_two, subtests
):
    """R19, legal-nl.md §2 (checker53: the costs day before the run, and after the run while
    the notice waited for the delivery, the page said "Pay by (after that the invoice goes to
    the collection agency) 28 January" in nl, en, pl and ar, before and after the birth
    date, and the API pay_by 2027-01-28: the 14 days count from a notice not yet sent).
    Given a letter of two invoices reminded on 31 December, its term over on 14 January
    When the patient checks either invoice on 15 January before the run, and after the run
    before the delivery sent the notice
    Then no date line in any language, the API's pay_by null beside the second notice's
    kind, not passed, and once the birth date is checked a note that the notice is being
    sent and names that date
    And once it went, both name 28 January, 14 days from it, without the note."""
    dunned_to(sandbox, REMINDER_DAY)
    sandbox.clock.set(COSTS_DAY)

    def no_day_named(moment: str) -> None:
        for each in letter_of_two:
            with subtests.test(moment=moment, invoice=each.invoice_id):
                breakdown = status(sandbox, each)["breakdown"]
                said = (breakdown["pay_by"], breakdown["pay_by_kind"], breakdown["pay_by_passed"])
                assert said == (None, "second_notice", False)
                assert date_lines(sandbox, each) == []
                assert to_go_notes(sandbox, each) == list(SECOND_NOTICE_TO_GO.values())

    no_day_named("the costs day before the run")
    sandbox.invoke("dunning_run", {})  # the run queues the notice; not delivered yet
    no_day_named("the notice queued")
    sandbox.drain_deliveries()
    for each in letter_of_two:
        assert status(sandbox, each)["breakdown"]["pay_by"] == "2027-01-28"
        assert "28 januari 2027" in date_lines(sandbox, each)
        assert to_go_notes(sandbox, each) == []


# --- the state line and a hold while the final notice is still to go (R19, R16; checker53b) --


def state_lines(sandbox, invoice) -> list[str]:
    """The state line of the page in each language, the birth date checked, then not."""
    cookie = unlocked(sandbox, invoice)
    pages = [page(sandbox, invoice, language, cookie=cookie)[1] for language in LANGUAGES]
    pages += [page(sandbox, invoice, language)[1] for language in LANGUAGES]
    return [text_of(html, "state") for html in pages]


def test_r19_the_state_says_the_final_notice_is_still_to_be_sent_until_it_went(sandbox, invoice):
    """R19, R10, R9 (checker53b: while the run's final notice was queued and not sent, the
    state line read "Laatste aanmaning verstuurd" / "Final notice sent", in nl, en, pl and
    ar, before and after the birth date).
    Given the reminder's term expired unpaid and the run of 15 January charged the costs
    and queued the final notice
    When the patient checks before the delivery sent it
    Then the state line says it is still to be sent, in each language, the birth date
    checked or not; the API's state stays second_notice_sent (the final notice's step,
    as documented), its pay_by null
    And once the notice went, the state line says it was sent."""
    dunned_to(sandbox, REMINDER_DAY)
    sandbox.clock.set(COSTS_DAY)
    sandbox.invoke("dunning_run", {})  # the notice queued, not delivered
    body = status(sandbox, invoice)
    assert (body["state"], body["breakdown"]["pay_by"]) == ("second_notice_sent", None)
    assert state_lines(sandbox, invoice) == 2 * list(FINAL_NOTICE_WAITS.values())
    sandbox.drain_deliveries()
    sent = [state for state, _, _ in FINAL_NOTICE_STATE.values()]
    assert state_lines(sandbox, invoice) == 2 * sent


def test_r19_r7_a_final_notice_bounced_reads_as_one_still_to_go_before_the_birth_date(
    sandbox, invoice
):
    """R19, R7, R10, R36 (checker53b: once the first notice still to go read "still to be
    sent", a bounced one must read alike before the birth date, or the state line would
    tell anyone with the kenmerk the patient's e-mail address is dead).
    Given the second notice e-mailed on 15 January bounced for good that day
    When the patient checks before the next run sends it again by post
    Then the state line says it is still to be sent, in each language, the birth date
    checked or not (the note why follows only once it is checked)."""
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    bounced_for_good(sandbox, invoice, "second_notice")
    assert state_lines(sandbox, invoice) == 2 * list(FINAL_NOTICE_WAITS.values())


# The date line over a final notice still to go, the practice holding the invoice until
# 10 February (R16: "Pay by (your healthcare provider has put the invoice on hold until then)")
HOLD_OVER_THE_NOTICE = {
    "nl": (
        "Betaal uiterlijk (tot en met die dag houdt uw zorgverlener de nota aan)",
        "10 februari 2027",
    ),
    "en": (
        "Pay by (your healthcare provider has put the invoice on hold until then)",
        "10 February 2027",
    ),
    "pl": (
        "Zapłata najpóźniej (do tego dnia świadczeniodawca wstrzymał dalsze kroki)",
        "10 lutego 2027",
    ),
    "ar": (
        "ادفعوا في موعد أقصاه (أوقف مقدّم الرعاية الصحية الإجراءات حتى هذا اليوم)",
        "10 فبراير 2027",
    ),
}


def hold_lines(sandbox, invoice) -> list[tuple[str, str]]:
    """(the date line's label and date) of the page in each language, the birth date
    checked, then not; and each page says the hold (its note)."""
    cookie = unlocked(sandbox, invoice)
    pages = [page(sandbox, invoice, language, cookie=cookie)[1] for language in LANGUAGES]
    pages += [page(sandbox, invoice, language)[1] for language in LANGUAGES]
    assert all('id="on-hold"' in html for html in pages)
    label = r'<dt>([^<]*)</dt><dd id="pay-by">'
    return [
        (unescape(re.search(label, h)[1]), text_of(h, "pay-by")) for h in pages if "pay-by" in h
    ]


def test_r16_r19_a_hold_over_a_final_notice_still_to_go_names_its_end_and_the_notice_waits(
    sandbox, invoice
):
    """R16, R19, R36 (checker53b: a hold placed while the final notice was queued showed no
    date line at all, 0 of 8 pages naming the hold's end, because a notice still to go named
    no day before the hold was looked at; a hold over any other date names its end).
    Given the run of 15 January charged the costs and queued the final notice, and the
    practice puts the invoice on hold until 10 February the same day
    When the patient checks, in each language, the birth date checked or not
    Then the page and the API name the hold's end as the date to pay by, with the hold
    And that is what dunning does: the delivery holds the notice through 10 February, the
    run of 11 February sends it, and the page names its own day, 24 February."""
    dunned_to(sandbox, REMINDER_DAY)
    sandbox.clock.set(COSTS_DAY)
    sandbox.invoke("dunning_run", {})  # the notice queued, not delivered
    held_until(sandbox, invoice, date(2027, 2, 10))
    body = status(sandbox, invoice)
    assert (body["state"], body["breakdown"]["pay_by"], body["breakdown"]["pay_by_kind"]) == (
        "on_hold",
        "2027-02-10",
        "hold",
    )
    assert hold_lines(sandbox, invoice) == 2 * list(HOLD_OVER_THE_NOTICE.values())

    def notices() -> list[date]:
        stored = sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)
        return [amsterdam_day(c.at) for c in stored.correspondence if c.kind == "second_notice"]

    dunned_to(sandbox, date(2027, 2, 10))  # the delivery drained on each day
    assert notices() == []
    dunned_to(sandbox, date(2027, 2, 11))
    assert notices() == [date(2027, 2, 11)]
    assert "24 februari 2027" in date_lines(sandbox, invoice)


# --- a final notice held by a hold on the letter's other invoice (R16, R19; portalwords53) --

# The note once the birth date is checked: the notice goes later, the hold not named (R16)
SECOND_NOTICE_HELD = {
    "nl": "Onze laatste aanmaning is nog niet verstuurd; u ontvangt hem later. Daarin staat de "
    "datum waarna de nota naar het incassobureau gaat.",
    "en": "Our final notice has not been sent yet; you will receive it later. It names the date "
    "after which the invoice goes to the collection agency.",
    "pl": "Nasze ostateczne wezwanie do zapłaty nie zostało jeszcze wysłane; otrzyma je Pan/Pani "
    "później. Podano w nim termin, po którym faktura trafi do biura windykacyjnego.",
    "ar": "لم يُرسل إنذارنا الأخير بعد، وسيصلكم لاحقًا، وفيه الموعد الذي تُحال الفاتورة بعده إلى "
    "مكتب تحصيل الديون.",
}
# The practice portal's state of the invoice (nl, en): the notice sent, or still to go (R19)
PORTAL_NOTICE_SENT = ["Aanmaning verstuurd", "Final notice sent"]
PORTAL_NOTICE_WAITS = ["Aanmaning wordt nog verstuurd", "Final notice still to be sent"]


def notice_queued_then_the_other_invoice_held(sandbox, letter_of_two):
    """The final notice of a letter of two queued by the costs day's run, then its other
    invoice held until 10 February before the delivery, which holds the notice
    (letters.second_notice_held): the invoice shown."""
    dunned_to(sandbox, REMINDER_DAY)
    sandbox.clock.set(COSTS_DAY)
    sandbox.invoke("dunning_run", {})  # the notice queued, not delivered
    held, shown = letter_of_two
    held_until(sandbox, held, date(2027, 2, 10))
    sandbox.drain_deliveries()
    return shown


def portal_states(sandbox, invoice) -> list[str]:
    """The invoice's state on the practice portal's invoice page, in nl and en."""
    from tests.functional.test_provider_portal import signed_in

    states = []
    for language in ("nl", "en"):
        _, html = signed_in(sandbox, "staff", language).page(f"/portal/notas/{invoice.invoice_id}")
        states.append(unescape(re.search(r'id="invoice-state">([^<]*)<', html)[1]))
    return states


def test_r16_r19_a_final_notice_held_for_the_other_invoice_says_it_goes_later_not_now(
    sandbox, letter_of_two
):
    """R16, R19, R36, R35 (portalwords53: the invoice not on hold of a letter whose other
    invoice the practice held read "Onze laatste aanmaning wordt nu verstuurd" in nl, en, pl
    and ar, while the delivery held the notice until after the hold; and the practice
    portal said "Aanmaning verstuurd" / "Final notice sent" of a notice not sent).
    Given a letter of two invoices whose run of 15 January queued the final notice, and
    the practice puts one of them on hold until 10 February before the delivery
    When the patient checks the other invoice, the birth date checked, and the practice
    opens it on the portal
    Then the checker's state line says the notice is still to be sent and its note that it
    goes later (not now, the hold not named), in each language; the portal says the
    notice is still to be sent, in nl and en
    And once the run of 11 February sent it, the portal says it was sent."""
    shown = notice_queued_then_the_other_invoice_held(sandbox, letter_of_two)

    assert state_lines(sandbox, shown)[:4] == list(FINAL_NOTICE_WAITS.values())
    assert to_go_notes(sandbox, shown) == list(SECOND_NOTICE_HELD.values())
    assert portal_states(sandbox, shown) == PORTAL_NOTICE_WAITS
    dunned_to(sandbox, date(2027, 2, 11))
    assert portal_states(sandbox, shown) == PORTAL_NOTICE_SENT


def test_r19_r7_the_portal_says_a_final_notice_that_bounced_is_still_to_be_sent(sandbox, invoice):
    """R19, R7, R35 (portalwords53: the portal said "Aanmaning verstuurd" of a final notice
    whose e-mail bounced for good and that waits to go again, as the checker does not).
    Given the second notice e-mailed on 15 January bounced for good that day
    When the practice opens the invoice on the portal before the next run
    Then its state says the notice is still to be sent, in nl and en, as the checker's."""
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    assert portal_states(sandbox, invoice) == PORTAL_NOTICE_SENT
    bounced_for_good(sandbox, invoice, "second_notice")
    assert portal_states(sandbox, invoice) == PORTAL_NOTICE_WAITS
    assert state_lines(sandbox, invoice)[:4] == list(FINAL_NOTICE_WAITS.values())


def test_r19_r35_the_portal_says_a_plainly_queued_final_notice_is_still_to_be_sent(
    sandbox, invoice
):
    """R19, R35 (localdrain55: the local server delivered the queued letters on any
    request but a GET, its sign-in's POST included, so a notice the run had queued read
    "Aanmaning verstuurd" as soon as the practice signed in; a test had to hold it).
    Given the run of 15 January queued the final notice, the delivery not run yet
    When the practice signs in and opens the invoice on the portal, in nl and en
    Then its state says the notice is still to be sent, every notice of the run still queued
    And once the delivery ran, the portal says it was sent."""
    dunned_to(sandbox, REMINDER_DAY)
    sandbox.clock.set(COSTS_DAY)
    run = sandbox.invoke("dunning_run", {})  # the notices queued, not delivered

    assert portal_states(sandbox, invoice) == PORTAL_NOTICE_WAITS
    assert sandbox.drain_deliveries() == run["letters"]["second_notice"] > 0
    assert portal_states(sandbox, invoice) == PORTAL_NOTICE_SENT


# --- the portal's lists say it too (R19, R35; portallist54) ---------------------------------


def listed_states(sandbox, invoice, path="/portal/notas") -> tuple[list[str], list[list[str]]]:
    """The invoice's state cell on the portal list at ``path``, in nl and en, and the
    DynamoDB requests each list cost."""
    from tests.functional.test_patient_actions import count_requests
    from tests.functional.test_provider_portal import signed_in

    states, requests = [], []
    for language in ("nl", "en"):
        user = signed_in(sandbox, "staff", language)
        seen = count_requests(sandbox.runtime.repository)
        _, html = user.page(path)
        requests.append(list(seen))
        row = re.search(rf'href="/portal/notas/{invoice.invoice_id}".*?</tr>', html, re.S)[0]
        states.append(unescape(re.findall(r'data-label="[^"]*">([^<]*)</td></tr>', row)[0]))
    return states, requests


def test_r16_r19_r35_the_invoice_list_says_a_held_final_notice_is_still_to_be_sent(
    sandbox, letter_of_two
):
    """R19, R16, R35 (portallist54: the invoice list said "Aanmaning verstuurd" / "Final
    notice sent" of the invoice whose notice the delivery held, as its page no longer did).
    Given a letter of two invoices whose run of 15 January queued the final notice, and
    the practice put one of them on hold before the delivery
    When the practice opens its invoice list
    Then the other invoice's row says the notice is still to be sent, in nl and en, as
    its page does, for the list's one Query (the letter's lead is on the page)
    And once the run of 11 February sent it, the row says it was sent."""
    shown = notice_queued_then_the_other_invoice_held(sandbox, letter_of_two)

    states, requests = listed_states(sandbox, shown)
    assert states == PORTAL_NOTICE_WAITS == portal_states(sandbox, shown)
    assert requests == [["Query"], ["Query"]]
    dunned_to(sandbox, date(2027, 2, 11))
    assert listed_states(sandbox, shown)[0] == PORTAL_NOTICE_SENT


def test_r19_r7_r35_an_uploads_list_says_a_bounced_final_notice_is_still_to_be_sent(
    sandbox, letter_of_two
):
    """R19, R7, R35, R2 (portallist54: the lists said "Aanmaning verstuurd" of a final
    notice whose e-mail bounced for good and that waits, on the letter's lead, to go again).
    Given one final notice for two invoices of two uploads, e-mailed on 15 January
    When the practice opens the upload of the invoice that does not carry the notice,
    before and after the e-mail bounced for good
    Then its row says the notice was sent, and after the bounce that it is still to be
    sent, in nl and en; the lead, not on that upload's page, read in one BatchGetItem
    beside the upload and its list; the invoice list, which has both, says it of both."""
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    first, second = letter_of_two
    upload = f"/portal/declaraties/{second.declaration_id}"
    assert first.declaration_id != second.declaration_id
    assert listed_states(sandbox, second, upload)[0] == PORTAL_NOTICE_SENT
    bounced_for_good(sandbox, first, "second_notice")
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, second.invoice_id)
    assert not stored.letters_due  # the notice to go again waits on the other invoice

    states, requests = listed_states(sandbox, second, upload)
    assert states == PORTAL_NOTICE_WAITS == portal_states(sandbox, second)
    assert requests == [["GetItem", "Query", "BatchGetItem"]] * 2
    assert listed_states(sandbox, first)[0] == PORTAL_NOTICE_WAITS
    assert listed_states(sandbox, second)[0] == PORTAL_NOTICE_WAITS


# --- the provider API's list and detail say it too (R19, R16, R7; listwait55) --------------

INVOICES = "/api/v1/provider/invoices"


def api_listed(sandbox, invoice, **query) -> tuple[tuple[str, bool], list[str]]:
    """(state, second_notice_waits) of ``invoice`` on the provider API's invoice list (with
    ``query``), and the DynamoDB requests the list cost."""
    from tests.functional.test_patient_actions import count_requests

    seen = count_requests(sandbox.runtime.repository)
    asked = {"limit": "100"} | query
    code, body = sandbox.api("GET", INVOICES, provider_id=PROVIDER, query=asked)
    assert code == 200
    item = next(i for i in body["items"] if i["invoice_id"] == invoice.invoice_id)
    return (item["state"], item["second_notice_waits"]), list(seen)


def api_detail(sandbox, invoice) -> tuple[str, bool, str | None]:
    """(state, second_notice_waits, breakdown.pay_by) of the provider API's invoice detail."""
    path = f"{INVOICES}/{invoice.invoice_id}"
    code, body = sandbox.api("GET", path, provider_id=PROVIDER)
    assert code == 200
    return body["state"], body["second_notice_waits"], body["breakdown"]["pay_by"]


API_NOTICE_WAITS = ("second_notice_sent", True)
API_NOTICE_SENT = ("second_notice_sent", False)


def test_r19_the_apis_invoice_list_says_a_queued_final_notice_is_still_to_be_sent(sandbox, invoice):
    """R19, interfaces.md §2 (listwait55: the provider API's list answered the invoice
    whose final notice the run had queued exactly as one whose notice went: state
    second_notice_sent, nothing else to tell them apart; only the detail's pay_by did).
    Given the run of 15 January charged the costs and queued the final notice
    When the practice's software lists its invoices before the delivery sent it
    Then the item keeps its state and says the notice is still to be sent, as the detail
    does, for the list's one Query (the invoice carries the notice itself)
    And once the notice went, the list and the detail say it is not waiting."""
    dunned_to(sandbox, REMINDER_DAY)
    sandbox.clock.set(COSTS_DAY)
    sandbox.invoke("dunning_run", {})  # the notice queued, not delivered

    assert api_listed(sandbox, invoice) == (API_NOTICE_WAITS, ["Query"])
    assert api_detail(sandbox, invoice) == (*API_NOTICE_WAITS, None)
    sandbox.drain_deliveries()
    assert api_listed(sandbox, invoice) == (API_NOTICE_SENT, ["Query"])
    assert api_detail(sandbox, invoice) == (*API_NOTICE_SENT, "2027-01-28")


def test_r16_r19_the_apis_invoice_list_says_a_held_final_notice_is_still_to_be_sent(
    sandbox, letter_of_two
):
    """R19, R16 (listwait55: second_notice_sent, nothing more, of the invoice whose final
    notice the delivery held for a hold on the letter's other invoice).
    Given a letter of two invoices whose run of 15 January queued the final notice, and
    the practice put the letter's lead on hold until 10 February before the delivery
    When the practice's software lists its invoices
    Then the other invoice says the notice is still to be sent, as the portal's list does,
    for the list's one Query (the lead is on the page); the lead, on hold, does not
    And once the run of 11 February sent it, the list says it is not waiting."""
    shown = notice_queued_then_the_other_invoice_held(sandbox, letter_of_two)
    lead = letter_of_two[0]

    assert api_listed(sandbox, shown) == (API_NOTICE_WAITS, ["Query"])
    assert listed_states(sandbox, shown)[0] == PORTAL_NOTICE_WAITS
    assert api_listed(sandbox, lead)[0] == ("on_hold", False)
    assert api_detail(sandbox, shown) == (*API_NOTICE_WAITS, None)
    dunned_to(sandbox, date(2027, 2, 11))
    assert api_listed(sandbox, shown)[0] == API_NOTICE_SENT


def test_r19_r7_the_apis_list_and_search_say_a_bounced_final_notice_is_still_to_be_sent(
    sandbox, letter_of_two
):
    """R19, R7, R29 (listwait55: the list said second_notice_sent, nothing more, of both
    invoices of a final notice whose e-mail bounced for good and that waits, on the
    letter's lead, to go again).
    Given one final notice for two invoices, e-mailed on 15 January
    When the practice's software lists them, before and after the e-mail bounced for good
    Then before, neither waits; after, both say the notice is still to be sent, in the
    list and in the search by name; a page without the lead (the other invoice found by
    its kenmerk) reads the lead in one BatchGetItem beside its one Query."""
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    lead, other = letter_of_two
    assert [api_listed(sandbox, i)[0] for i in (lead, other)] == [API_NOTICE_SENT] * 2
    bounced_for_good(sandbox, lead, "second_notice")

    assert [api_listed(sandbox, i) for i in (lead, other)] == [(API_NOTICE_WAITS, ["Query"])] * 2
    assert api_listed(sandbox, other, reference=other.reference) == (
        API_NOTICE_WAITS,
        ["Query", "BatchGetItem"],
    )
    body = {"name": other.patient.last_name, "limit": 100}
    code, found = sandbox.api("POST", f"{INVOICES}/search", provider_id=PROVIDER, body=body)
    assert code == 200
    waits = {i["invoice_id"]: i["second_notice_waits"] for i in found["items"]}
    assert (waits[lead.invoice_id], waits[other.invoice_id]) == (True, True)
    assert api_detail(sandbox, other)[:2] == API_NOTICE_WAITS


# --- the patient API says it too, as the checker's state line (R19, R16, R7; apiwords55) ----


def api_and_line(sandbox, invoice) -> tuple[tuple[str, bool, str | None], bool, list[str]]:
    """(state, second_notice_waits, breakdown.pay_by) of the patient API's payment status,
    whether the checker's state line (no birth date, English) says the final notice is
    still to be sent, and the DynamoDB requests the API's answer cost."""
    from tests.functional.test_patient_actions import count_requests

    line_waits = text_of(page(sandbox, invoice, "en")[1], "state") == FINAL_NOTICE_WAITS["en"]
    seen = count_requests(sandbox.runtime.repository)
    body = status(sandbox, invoice)
    answer = (body["state"], body["second_notice_waits"], body["breakdown"]["pay_by"])
    return answer, line_waits, list(seen)


def test_r19_the_patient_api_says_a_queued_final_notice_is_still_to_be_sent(sandbox, invoice):
    """R19, R10, interfaces.md §2 (apiwords55: the payment status told a final notice the
    run had queued from one that went only by breakdown.pay_by null, which is null for
    other reasons too; the checker's state line says "still to be sent").
    Given the run of 15 January charged the costs and queued the final notice
    When anyone asks the patient API before the delivery sent it, and after
    Then second_notice_waits says what the state line says, the state stays
    second_notice_sent, for the one Query the answer cost before."""
    dunned_to(sandbox, REMINDER_DAY)
    sandbox.clock.set(COSTS_DAY)
    sandbox.invoke("dunning_run", {})  # the notice queued, not delivered

    assert api_and_line(sandbox, invoice) == (("second_notice_sent", True, None), True, ["Query"])
    sandbox.drain_deliveries()
    sent = (("second_notice_sent", False, "2027-01-28"), False, ["Query"])
    assert api_and_line(sandbox, invoice) == sent


def test_r16_r19_the_patient_api_says_a_held_final_notice_waits_and_a_hold_first(
    sandbox, letter_of_two
):
    """R19, R16 (apiwords55). Given a letter of two whose final notice the delivery held for
    a hold until 10 February on the letter's lead
    When anyone asks the patient API for each invoice
    Then the other invoice's answer says the notice is still to be sent, as its state line;
    the lead's, on hold, says the hold (its state line does not say the notice waits),
    each for the Query and the lead's GetItem the answer cost before."""
    shown = notice_queued_then_the_other_invoice_held(sandbox, letter_of_two)
    lead = letter_of_two[0]

    read = ["Query", "GetItem"]
    assert api_and_line(sandbox, shown) == (("second_notice_sent", True, None), True, read)
    assert api_and_line(sandbox, lead) == (("on_hold", False, "2027-02-10"), False, read)


def test_r19_r7_the_patient_api_says_a_bounced_final_notice_is_still_to_be_sent(
    sandbox, letter_of_two
):
    """R19, R7, R10, R36 (apiwords55). Given one final notice for two invoices, e-mailed on
    15 January, that bounced for good
    When anyone asks the patient API, before and after the bounce
    Then before, neither answer says it waits; after, both do, as the state lines do,
    alike for a notice queued (nothing of the e-mail address told without the birth
    date)
    And once the practice holds the lead until 10 February, the lead's answer says the
    hold, not the notice, as its state line (R16: the hold is said first)."""
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    lead = letter_of_two[0]
    read = ["Query", "GetItem"]
    sent = (("second_notice_sent", False, "2027-01-28"), False, read)
    assert [api_and_line(sandbox, i) for i in letter_of_two] == [sent] * 2
    bounced_for_good(sandbox, lead, "second_notice")

    waits = (("second_notice_sent", True, None), True, read)
    assert [api_and_line(sandbox, i) for i in letter_of_two] == [waits] * 2
    held_until(sandbox, lead, date(2027, 2, 10))
    (state, said, _), line_waits, _ = api_and_line(sandbox, lead)
    assert (state, said, line_waits) == ("on_hold", False, False)


# --- the hold's words once the costs were charged (R16, R19, R20; holdwords54) --------------

# The hold's note after the costs, per language: the way to the agency paused, the costs
# charged before it stay; never "no costs", which the note before the costs says.
HOLD_AFTER_THE_COSTS = {
    "nl": "Uw zorgverlener bekijkt deze nota. Tot en met 10 februari 2027 zet uw zorgverlener "
    "de incasso stil: de nota gaat in die tijd niet naar het incassobureau. Incassokosten die "
    "al in rekening zijn gebracht, blijven staan. Is de nota daarna nog niet betaald, dan gaat "
    "het verder waar het gebleven was.",
    "en": "Your healthcare provider is looking at this invoice. Until 10 February 2027, your "
    "healthcare provider has paused collection: the invoice does not go to the collection "
    "agency in that time. Collection costs already charged remain. If the invoice is still "
    "unpaid after that, collection goes on where it stopped.",
    "pl": "Świadczeniodawca rozpatruje tę fakturę. Do 10 lutego 2027 włącznie świadczeniodawca "
    "wstrzymuje windykację: w tym czasie faktura nie trafi do biura windykacyjnego. Pozasądowe "
    "koszty windykacji, które zostały już naliczone, pozostają. Jeśli faktura nie zostanie "
    "zapłacona do tego dnia, dalsze kroki zostaną wznowione tam, gdzie je wstrzymano.",
    "ar": "يراجع مقدّم الرعاية الصحية هذه الفاتورة. حتى 10 فبراير 2027 ضمنًا يوقف مقدّم الرعاية "
    "الصحية إجراءات التحصيل: لا تُحال الفاتورة خلال هذه الفترة إلى مكتب تحصيل الديون. أما تكاليف "
    "التحصيل التي فُرضت من قبل فتبقى مستحقة. وإذا بقيت الفاتورة غير مدفوعة بعد ذلك، تُستأنف "
    "الإجراءات من حيث توقفت.",
}
# What the note before the costs promises, per language, untrue once they are charged
NO_COSTS_WORDS = (
    "rekent geen kosten",
    "charges no costs",
    "nie nalicza kosztów",
    "لا يفرض أي تكاليف",
)


def hold_notes(sandbox, invoice) -> list[str]:
    """The hold's note (id="on-hold") in each language, the birth date checked, then not."""
    cookie = unlocked(sandbox, invoice)
    pages = [page(sandbox, invoice, language, cookie=cookie)[1] for language in LANGUAGES]
    pages += [page(sandbox, invoice, language)[1] for language in LANGUAGES]
    return [unescape(text_of(html, "on-hold")) for html in pages]


@pytest.mark.parametrize("notice", ["sent", "queued"])
def test_r16_r19_a_hold_after_the_costs_says_they_stay_not_that_none_are_charged(
    sandbox, invoice, notice
):
    """R16, R19, R20, R36, R9 (holdwords54: a hold placed after the run of 15 January charged
    € 40,00 of collection costs said "until 10 February your healthcare provider sends no
    reminder and charges no costs" on 16 of 16 pages, over costs the breakdown shows).
    Given the run of 15 January charged the costs, its final notice sent or still queued,
    and the practice puts the invoice on hold until 10 February that day
    When the patient checks, in each language, the birth date checked or not
    Then the hold's note says collection is paused, the invoice does not go to the agency
    meanwhile and the costs already charged stay, never that no costs are charged; and the
    breakdown still shows those costs."""
    dunned_to(sandbox, REMINDER_DAY)
    sandbox.clock.set(COSTS_DAY)
    if notice == "sent":
        dunned_to(sandbox, COSTS_DAY)
    else:
        sandbox.invoke("dunning_run", {})  # the notice queued, not delivered
    held_until(sandbox, invoice, date(2027, 2, 10))
    notes = hold_notes(sandbox, invoice)
    assert notes == 2 * list(HOLD_AFTER_THE_COSTS.values())
    assert not [note for note in notes if any(words in note for words in NO_COSTS_WORDS)]
    assert status(sandbox, invoice)["breakdown"]["costs"] > 0


def test_r16_a_hold_before_the_costs_still_says_none_are_charged_meanwhile(sandbox, invoice):
    """R16, R20 (holdwords54): in the reminder's term no costs are charged yet, and the hold
    keeps the run from charging them until the day after it.
    Given the reminder of 31 December, and a hold from 5 January until 10 February
    When the patient checks, in each language
    Then the hold's note is the one before the costs: no reminder, no costs."""
    dunned_to(sandbox, REMINDER_DAY)
    sandbox.clock.set(date(2027, 1, 5))
    held_until(sandbox, invoice, date(2027, 2, 10))
    notes = hold_notes(sandbox, invoice)
    assert [any(words in note for words in NO_COSTS_WORDS) for note in notes] == [True] * 8
    assert status(sandbox, invoice)["breakdown"]["costs"] == 0


def test_r16_r23_a_hold_over_a_final_notice_with_nowhere_to_go_names_no_date_it_will_go(
    sandbox, invoice
):
    """R16, R7, R19, R23, R36 (holdwords54: a hold over a final notice whose e-mail bounced,
    the patient without a postal address, named the hold's end, 10 February, as the date to
    pay by on 8 of 8 pages and in the API, as if the notice went the day after it; and,
    the birth date checked, said nothing of the notice waiting for an address, 0 of 4).
    Given a patient without a postal address whose final notice e-mail of 15 January
    bounced for good, and on 31 January the practice puts the invoice on hold until
    10 February
    When the patient checks, in each language, the birth date checked or not
    Then the hold shows (state, note) and no date line: no day is known; the API's pay_by
    is null beside the final notice's kind; once the birth date is checked, the page says
    the practice checks the contact details and a new final notice follows
    And after the hold the runs send no notice and hand nothing over: it still waits."""
    second_notice_bounced_without_a_postal_address(sandbox, invoice)
    held_until(sandbox, invoice, date(2027, 2, 10))
    body = status(sandbox, invoice)
    assert (body["state"], body["on_hold"], body["hold_until"]) == ("on_hold", True, "2027-02-10")
    assert (body["breakdown"]["pay_by"], body["breakdown"]["pay_by_kind"]) == (
        None,
        "second_notice",
    )
    assert date_lines(sandbox, invoice) == []
    cookie = unlocked(sandbox, invoice)
    pages = [unescape(page(sandbox, invoice, language, cookie=cookie)[1]) for language in LANGUAGES]
    assert [text_of(html, "state") for html in pages[:2]] == [
        "In behandeling bij uw zorgverlener",
        "Being looked at by your healthcare provider",
    ]
    assert all('id="on-hold"' in html for html in pages)
    assert text_of(pages[1], "second-notice-undelivered") == (
        "Our final notice did not reach you. Your healthcare provider is checking your contact "
        "details; you will then receive a new final notice, with a new date after which the "
        "invoice goes to the collection agency."
    )
    assert all('id="second-notice-undelivered"' in html for html in pages)
    dunned_to(sandbox, date(2027, 2, 11), date(2027, 2, 25))
    stored = sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    assert stored.dunning_stage is DunningStage.COSTS_CHARGED
    assert [c.kind for c in stored.correspondence].count("second_notice") == 1
    assert status(sandbox, invoice)["breakdown"]["pay_by"] is None


# "Our reminder did not reach you. Your healthcare provider is checking your contact
# details; ..." (R7, R23), in each language
REMINDER_WAITS_FOR_THE_PRACTICE = {
    "nl": "Onze herinnering heeft u niet bereikt. Uw zorgverlener kijkt uw adresgegevens na",
    "en": "Our reminder did not reach you. Your healthcare provider is checking your contact",
    "pl": "Nasze upomnienie nie dotarło do Pana/Pani. Świadczeniodawca sprawdza Pana/Pani dane",
    "ar": "لم تصلكم رسالة التذكير منّا. يراجع مقدّم الرعاية الصحية بيانات الاتصال الخاصة بكم",
}


# "Our e-mails no longer reach you. Your healthcare provider is checking your contact
# details; ..." (R7, R23), in each language (nowhy54; true also when the invoice's own e-mail
# arrived and a later one to the address bounced: the address is marked, not the mail)
INVOICE_WAITS_FOR_THE_PRACTICE = {
    "nl": "Onze e-mails bereiken u niet meer. Uw zorgverlener kijkt uw adresgegevens na",
    "en": "Our e-mails no longer reach you. Your healthcare provider is checking your",
    "pl": "Nasze e-maile już do Pana/Pani nie docierają. Świadczeniodawca sprawdza Pana/Pani",
    "ar": "لم تعد رسائلنا الإلكترونية تصلكم. يراجع مقدّم الرعاية الصحية بيانات الاتصال",
}


def test_r7_r23_an_invoice_bounced_without_a_postal_address_says_why_no_reminder_came(
    sandbox, invoice
):
    """R7, R23, R36, legal-nl.md §2 (nowhy54: the invoice's own e-mail bounced for good and
    the patient has no complete postal address: the checker showed the final date passed
    with no sentence saying why nothing more came on 12 of 12 pages, the birth date checked,
    while a bounced reminder says it).
    Given a patient without a postal address whose invoice e-mail bounced for good on 10
    December, and the runs to 28 December (the final date, 23 December, passed)
    When the patient checks, in each language
    Then open, 23 December passed; before the birth date no word of the bounce (it would
    tell anyone with the kenmerk the e-mail address is dead); once it is checked, that the
    invoice did not reach them and the practice checks the contact details, and no word of
    a reminder that never arrived
    And once the practice has a postal address the reminder's run (31 December) sends it on
    paper and the note is gone."""
    without_a_postal_address(sandbox, invoice)
    sandbox.clock.set(date(2026, 12, 10))
    bounced_for_good(sandbox, invoice, "invoice")
    dunned_to(sandbox, *(date(2026, 12, day) for day in range(11, 29)))

    body = status(sandbox, invoice)
    assert (body["state"], body["breakdown"]["pay_by"], body["breakdown"]["pay_by_passed"]) == (
        "open",
        "2026-12-23",
        True,
    )
    assert "invoice_undelivered" not in body
    assert 'id="invoice-undelivered"' not in page(sandbox, invoice)[1]
    cookie = unlocked(sandbox, invoice)
    pages = [unescape(page(sandbox, invoice, language, cookie=cookie)[1]) for language in LANGUAGES]
    for language, html in zip(LANGUAGES, pages, strict=True):
        assert text_of(html, "invoice-undelivered").startswith(
            INVOICE_WAITS_FOR_THE_PRACTICE[language]
        )
        assert 'id="reminder-undelivered"' not in html
    repository = sandbox.runtime.repository
    stored = repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    repository.save_invoice(replace(stored, patient=invoice.patient))
    dunned_to(sandbox, date(2026, 12, 29), date(2026, 12, 30), REMINDER_DAY)
    stored = repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    assert stored.reminder is not None and stored.reminder.channel is Channel.PAPER
    assert (
        'id="invoice-undelivered"'
        not in page(sandbox, invoice, cookie=unlocked(sandbox, invoice))[1]
    )


def held_while_the_reminder_has_nowhere_to_go(sandbox, invoice, bounced):
    """A patient without a postal address whose reminder e-mail of 31 December (``bounced``
    dunning_reminder) or the invoice's e-mail, before any reminder (invoice), bounced for
    good; the practice holds the invoice from 5 until 20 January; the clock on 6 January."""
    without_a_postal_address(sandbox, invoice)
    if bounced == "dunning_reminder":
        dunned_to(sandbox, REMINDER_DAY)
    else:
        sandbox.clock.set(date(2026, 12, 28))
    bounced_for_good(sandbox, invoice, bounced)
    sandbox.clock.set(date(2027, 1, 5))
    held_until(sandbox, invoice, date(2027, 1, 20))
    sandbox.clock.set(date(2027, 1, 6))


@pytest.mark.parametrize("bounced", ["dunning_reminder", "invoice"])
def test_r16_r23_a_hold_over_a_reminder_with_nowhere_to_go_does_not_name_its_end(
    sandbox, invoice, bounced
):
    """R16, R7, R23, R36, legal-nl.md §2 (reminderhold54: a hold over a reminder that had
    nowhere to go named the hold's end, 20 January, as the date to pay by on 8 of 8 pages
    and in the API, as if a reminder went the day after it, while timeline.plan sends
    none without a letter channel; the reminder's bounce, the birth date checked, was said
    on 0 of 4 pages).
    Given a patient without a postal address whose reminder e-mail of 31 December (or the
    invoice's e-mail, before any reminder) bounced for good, and on 5 January the practice
    puts the invoice on hold until 20 January
    When the patient checks on 6 January, in each language, the birth date checked or not
    Then the hold shows, and the date is the one without the hold: the final payment date,
    23 December, passed (pay_by 2026-12-23, final_payment_date), never 20 January; once
    the birth date is checked, a bounced reminder (or the bounced invoice, nowhy54) says
    the practice checks the contact details and a reminder follows
    And the day after the hold no reminder goes: it still waits for the practice."""
    held_while_the_reminder_has_nowhere_to_go(sandbox, invoice, bounced)

    body = status(sandbox, invoice)
    assert (body["state"], body["on_hold"], body["hold_until"]) == ("on_hold", True, "2027-01-20")
    breakdown = body["breakdown"]
    assert (breakdown["pay_by"], breakdown["pay_by_kind"], breakdown["pay_by_passed"]) == (
        "2026-12-23",
        "final_payment_date",
        True,
    )
    lines = date_lines(sandbox, invoice)
    assert len(lines) == 2 * len(LANGUAGES)
    assert [line.startswith("23 ") and "2026" in line for line in lines] == [True] * len(lines)
    cookie = unlocked(sandbox, invoice)
    pages = [unescape(page(sandbox, invoice, language, cookie=cookie)[1]) for language in LANGUAGES]
    assert all('id="on-hold"' in html for html in pages)
    notes = ['id="reminder-undelivered"' in html for html in pages]
    assert notes == [bounced == "dunning_reminder"] * len(LANGUAGES)
    invoice_notes = ['id="invoice-undelivered"' in html for html in pages]
    assert invoice_notes == [bounced == "invoice"] * len(LANGUAGES)
    note, words = (
        ("reminder-undelivered", REMINDER_WAITS_FOR_THE_PRACTICE)
        if bounced == "dunning_reminder"
        else ("invoice-undelivered", INVOICE_WAITS_FOR_THE_PRACTICE)
    )
    for language, html in zip(LANGUAGES, pages, strict=True):
        assert text_of(html, note).startswith(words[language])
    dunned_to(sandbox, date(2027, 1, 21), date(2027, 1, 22))
    stored = sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    sent_reminders = [c for c in stored.correspondence if c.kind == "dunning_reminder"]
    assert len(sent_reminders) == (1 if bounced == "dunning_reminder" else 0)
    assert stored.letters_due == ()


# The hold's last sentence while the next letter waits for the practice, per language, and
# the one it replaces, which promises collection goes on after the hold (holdnote54)
HOLD_WAITS_FOR_THE_PRACTICE = {
    "nl": "Is de nota daarna nog niet betaald, dan gaat het pas verder als uw zorgverlener de "
    "nota heeft nagekeken.",
    "en": "If the invoice is still unpaid after that, collection goes on only once your "
    "healthcare provider has finished checking it.",
    "pl": "Jeśli faktura nie zostanie zapłacona do tego dnia, dalsze kroki zostaną wznowione "
    "dopiero wtedy, gdy świadczeniodawca zakończy jej sprawdzanie.",
    "ar": "وإذا بقيت الفاتورة غير مدفوعة بعد ذلك، فلا تُستأنف الإجراءات إلا بعد أن ينتهي مقدّم "
    "الرعاية الصحية من مراجعتها.",
}
GOES_ON_WORDS = ("waar het gebleven was", "where it stopped", "gdzie je wstrzymano", "من حيث توقفت")


@pytest.mark.parametrize("bounced", ["dunning_reminder", "invoice", "second_notice"])
def test_r16_r23_a_hold_over_a_letter_with_nowhere_to_go_does_not_say_collection_goes_on(
    sandbox, invoice, bounced
):
    """R16, R7, R23, R36, R9 (holdnote54: a hold over a next letter with nowhere to go, a
    new reminder or the final notice, said "if the invoice is still unpaid after that,
    collection goes on where it stopped" on 24 of 24 pages, while no letter goes the day
    after the hold, only once the practice has an address).
    Given a patient without a postal address whose reminder, invoice or final notice
    e-mail bounced for good, and the practice puts the invoice on hold
    When the patient checks, in each language, the birth date checked or not
    Then the hold's note ends with collection going on only once the practice has checked
    the invoice, never that it goes on where it stopped; the rest of the note is the one
    of its stage (no costs before them, the costs stay after them)."""
    if bounced == "second_notice":
        second_notice_bounced_without_a_postal_address(sandbox, invoice)
        held_until(sandbox, invoice, date(2027, 2, 10))
    else:
        held_while_the_reminder_has_nowhere_to_go(sandbox, invoice, bounced)
    notes = hold_notes(sandbox, invoice)
    endings = [
        note.endswith(" " + HOLD_WAITS_FOR_THE_PRACTICE[language])
        for language, note in zip(2 * LANGUAGES, notes, strict=True)
    ]
    assert endings == [True] * 8
    assert [note for note in notes if any(words in note for words in GOES_ON_WORDS)] == []
    before_the_costs = [any(words in note for words in NO_COSTS_WORDS) for note in notes]
    assert before_the_costs == [bounced != "second_notice"] * 8


def test_r16_a_hold_over_a_reminder_that_can_go_says_collection_goes_on(sandbox, invoice):
    """R16, R7 (holdnote54): the reminder's e-mail bounced, but a postal address is there:
    the paper reminder goes the day after the hold.
    Given the reminder of 31 December bounced for good, the patient with a postal address,
    and a hold from 5 until 20 January
    When the patient checks, in each language, the birth date checked or not
    Then the hold's note says collection goes on where it stopped, not that it waits."""
    dunned_to(sandbox, REMINDER_DAY)
    bounced_for_good(sandbox, invoice)
    sandbox.clock.set(date(2027, 1, 5))
    held_until(sandbox, invoice, date(2027, 1, 20))
    notes = hold_notes(sandbox, invoice)
    assert [any(words in note for words in GOES_ON_WORDS) for note in notes] == [True] * 8
    waits = set(HOLD_WAITS_FOR_THE_PRACTICE.values())
    assert [note for note in notes if any(sentence in note for sentence in waits)] == []


# The practice's API, as the checker's (holdmail54): (pay_by, pay_by_kind, pay_by_passed)
# of a hold over a next letter with nowhere to go, and the hold's end that is not its date
NO_HOLD_END_FOR_THE_PRACTICE = {
    "dunning_reminder": (("2026-12-23", "final_payment_date", True), date(2027, 1, 20)),
    "second_notice": ((None, "second_notice", False), date(2027, 2, 10)),
}


@pytest.mark.parametrize("bounced", sorted(NO_HOLD_END_FOR_THE_PRACTICE))
def test_r16_r23_the_practice_reads_no_hold_end_while_the_next_letter_has_nowhere_to_go(
    sandbox, invoice, bounced
):
    """R16, R7, R23, R36 (holdmail54: the checker's date without the hold, holdwords54 and
    reminderhold54, read beyond the checker; the practice's API had no test of it).
    Given a patient without a postal address whose reminder (31 December) or final notice
    (15 January) e-mail bounced for good
    When the practice puts the invoice on hold and reads it through its API
    Then the hold's answer and the invoice's both give the date the checker gives, the
    one without the hold (the passed final payment date; none while the final notice
    waits for the practice), never the hold's end, beside the state on_hold."""
    without_a_postal_address(sandbox, invoice)
    if bounced == "dunning_reminder":
        dunned_to(sandbox, REMINDER_DAY)
        bounced_for_good(sandbox, invoice, bounced)
        sandbox.clock.set(date(2027, 1, 5))
    else:
        dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
        bounced_for_good(sandbox, invoice, bounced)
        dunned_to(sandbox, *(date(2027, 1, day) for day in range(16, 32)))
    expected, until = NO_HOLD_END_FOR_THE_PRACTICE[bounced]

    path = f"/api/v1/provider/invoices/{invoice.invoice_id}"
    hold = {"until": until.isoformat(), "reason": "bezwaar"}
    _, held = sandbox.api("POST", f"{path}/hold", provider_id=PROVIDER, body=hold)
    _, read = sandbox.api("GET", path, provider_id=PROVIDER)

    checker = status(sandbox, invoice)["breakdown"]
    for answer in (held, read):
        parts = answer["breakdown"]
        assert answer["state"] == "on_hold"
        assert (parts["pay_by"], parts["pay_by_kind"], parts["pay_by_passed"]) == expected
        assert parts == checker


# --- locked after wrong birth dates (R10: rate limited) ---------------------------------------

# What a "no invoice with this birth date" page tells a patient sure of both, per language:
# wait an hour and no try meanwhile, since a try within the hour starts it again (R10)
TRY_AGAIN_IN_AN_HOUR = {
    "nl": "Probeer het dan pas over een uur opnieuw: na enkele foute pogingen wachten we een "
    "uur, en een poging in dat uur laat het uur opnieuw beginnen.",
    "en": "Then try again in an hour, not sooner: after several wrong tries we wait an hour, "
    "and a try within that hour starts the hour again.",
    "pl": "Proszę spróbować ponownie dopiero za godzinę: po kilku błędnych próbach czekamy "
    "godzinę, a próba w tym czasie liczy godzinę od nowa.",
    "ar": "حاولوا مرة أخرى بعد ساعة، لا قبل ذلك: بعد عدة محاولات خاطئة ننتظر ساعة، وأي محاولة "
    "خلال هذه الساعة تبدأ الساعة من جديد.",
}


def birth_date_entered(sandbox, kenmerk: str, born: date, language: str = "nl"):
    form = f"action=unlock&kenmerk={kenmerk}&lang={language}&birth_date={born.isoformat()}"
    return sandbox.api_raw("POST", "/", body=form, headers=FORM)


def error_said(answer) -> str:
    inner = re.search(r'id="error"[^>]*>(.*?)</div>', answer["body"], re.S)[1]
    return unescape(re.sub(r"<[^>]+>", "", inner))


def test_r10_r36_locked_by_wrong_birth_dates_the_page_says_to_wait_an_hour_in_each_language(
    sandbox, invoice, subtests
):
    """R10, R36, R9 (audit checker57: after 5 wrong birth dates the right one got "check the
    payment reference and the date of birth", and each try in the hour kept the lock; the
    page never said to wait, nor whom else to ask).
    Given five wrong birth dates for a kenmerk within the hour: it is locked
    When the patient enters the right one, in nl, en, pl and ar
    Then the page is the one a kenmerk nobody has gets (404, the same words), and it says
    to try again in an hour, not sooner; and an hour after the last try the right birth
    date opens the invoice, as the page said."""
    unknown = "12234534622567"  # a valid check digit, no invoice
    for day in range(1, 6):
        assert (
            birth_date_entered(sandbox, invoice.reference, date(1900, 1, day))["statusCode"] == 404
        )
    for language, wait in TRY_AGAIN_IN_AN_HOUR.items():
        with subtests.test(language=language):
            locked = birth_date_entered(sandbox, invoice.reference, invoice.birth_date, language)
            nobodys = birth_date_entered(sandbox, unknown, invoice.birth_date, language)
            assert locked["statusCode"] == nobodys["statusCode"] == 404
            assert error_said(locked) == error_said(nobodys) and wait in error_said(locked)
    sandbox.clock.advance(hours=1)
    opened = birth_date_entered(sandbox, invoice.reference, invoice.birth_date)
    assert opened["statusCode"] == 303 and "zn_visit" in cookies_of(opened)


# --- the interest of a settled invoice (R20) ----------------------------------------------------

# The breakdown's interest row, open (it grows each day) and settled (it stopped), per language
INTEREST_ROW = {
    "nl": ("Wettelijke rente tot vandaag", "Wettelijke rente"),
    "en": ("Statutory interest up to today", "Statutory interest"),
    "pl": ("Odsetki ustawowe do dziś", "Odsetki ustawowe"),
    "ar": ("الفائدة القانونية حتى اليوم", "الفائدة القانونية"),
}


def interest_row(html: str) -> tuple[str, str]:
    """The breakdown's interest row: its label and its amount."""
    label = re.search(r'<dt>([^<]*)</dt><dd id="bd-interest">', html)[1]
    return unescape(label), text_of(html, "bd-interest")


def test_r20_r36_a_settled_invoices_interest_is_not_said_to_run_up_to_today(
    sandbox, invoice, subtests
):
    """R20, R36, R9 (audit checker57: an invoice paid on 20 January after the costs read
    "Statutory interest up to today" on 20 March, beside the amount of 20 January).
    Given the costs charged on 15 January, and on 20 January the interest up to that day
    When the patient pays everything that day and checks on 20 March
    Then the row says statutory interest, not up to today, beside the same amount, in
    nl, en, pl and ar; while it was open, it said up to today."""
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    sandbox.clock.set(date(2027, 1, 20))
    open_rows = {
        language: interest_row(page(sandbox, invoice, language)[1]) for language in INTEREST_ROW
    }
    due = status(sandbox, invoice)["amount_due"]
    paid = IncomingPayment("bank", "NTRF-ALL", due, sandbox.clock.now())
    book_payment(sandbox.runtime.repository, invoice.reference, paid, clock=sandbox.clock)
    sandbox.clock.set(date(2027, 3, 20))
    for language, (running, settled) in INTEREST_ROW.items():
        with subtests.test(language=language):
            label, amount = interest_row(page(sandbox, invoice, language)[1])
            assert open_rows[language] == (running, amount)
            assert label == settled


# --- what the next term asks (R15) ----------------------------------------------------------

TERM_AMOUNT_LABEL = {
    "nl": "Bedrag van de termijn",
    "en": "Amount of the term",
    "pl": "Kwota raty",
    "ar": "مبلغ القسط",
}


def test_r15_r36_the_next_terms_date_comes_with_its_amount_in_each_language(
    sandbox, arranged, subtests
):
    """R15, R36, R10, R9 (audit checker57: during an arrangement the page said "Still to pay
    € 116,98" beside "Next term due by 23 December 2026", and what that term asks only on
    the pay button, after the birth date: one who pays by transfer read the whole amount
    as due by that date).
    Given an arrangement of two terms, the first due on 23 December
    When the patient checks it on 1 December, without the birth date
    Then beside the amount due and the term's date, the term's amount (the API's
    breakdown.term), in nl, en, pl and ar; and none once nothing is arranged."""
    sandbox.clock.set(date(2026, 12, 1))
    parts = status(sandbox, arranged)["breakdown"]
    assert 0 < parts["term"] < parts["due"]
    for language, label in TERM_AMOUNT_LABEL.items():
        with subtests.test(language=language):
            html = unescape(page(sandbox, arranged, language)[1])
            assert f'<dt>{label}</dt><dd id="term-amount">' in html
            assert text_of(html, "term-amount") == format_euros(parts["term"], language)
            assert 'id="pay-by"' in html
    # And an invoice without an arrangement has no such row
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    other = next(i for i in emailed(invoices) if i.reference != arranged.reference)
    assert 'id="term-amount"' not in page(sandbox, other)[1]
