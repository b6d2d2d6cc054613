"""The public patient API and the payment-checker page (interfaces.md §2, R10-R16, R29)."""

from __future__ import annotations

import base64
import dataclasses
import html
import json
import random
from datetime import date
from urllib.parse import quote, urlencode

import pytest

from billing_core.invoices.access import MAX_WRONG_BIRTH_DATES
from billing_core.invoices.invoice import Channel
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.shared import reference
from billing_core.shared.money import format_euros
from functions.patient_api.app import app
from local.api_gateway import STAGE
from local.generate import declaration_csv
from local.seed import DENTAL
from tests.functional.conftest import lines_of_patient
from tests.unit.test_invoice_pdf import shown

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def invoice(emailed_invoice):
    return emailed_invoice


def _status(sandbox, ref):
    return sandbox.api("GET", f"/api/v1/payment-status/{ref}")


def test_the_checker_answers_what_is_due_and_nothing_personal(sandbox, invoice):
    # Given an invoice just sent / When the patient checks it, with spaces as printed
    status, body = _status(
        sandbox, reference.grouped(invoice.reference).replace(" ", "%20")
    )  # as typed
    # Then the amount, the final date, the state and a pay link; no name, BSN or treatment
    assert status == 200
    assert body["reference"] == invoice.reference and body["status"] == "open"
    assert body["amount_due"] == invoice.amount_due_cents
    assert body["final_payment_date"] == "2026-12-23" and body["state"] == "open"
    assert body["pay_url"].endswith(f"/?kenmerk={invoice.reference}&lang=nl")
    # (the practice's own contact is public, R36; a patient may share its name, "De Vries")
    practice = body.pop("practice")
    assert practice["name"] == DENTAL.name
    text = str(body)
    for personal in (
        invoice.bsn,
        invoice.patient.last_name,
        invoice.lines[0].description,
        invoice.patient_ref,
    ):
        assert personal not in text
    for personal in (invoice.bsn, invoice.lines[0].description, invoice.patient_ref):
        assert personal not in str(practice)


def test_a_wrong_check_digit_is_refused_without_a_database_read(sandbox, invoice):
    wrong = invoice.reference[:-1] + str((int(invoice.reference[-1]) + 1) % 10)
    calls = []
    sandbox.runtime.repository.client.meta.events.register(
        "before-call.dynamodb", lambda **kw: calls.append(1)
    )
    status, body = _status(sandbox, wrong)
    assert status == 400 and body["error"]["code"] == "invalid_reference"
    assert "14 cijfers" in body["error"]["message"] and calls == []


@pytest.mark.parametrize(
    "numerals",
    [
        "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
        "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
    ],
    ids=["arabic-indic", "persian"],
)
def test_r9_r10_a_kenmerk_in_arabic_indic_or_persian_digits_finds_the_invoice(
    sandbox, invoice, numerals
):
    """R9, R10, legal-nl.md §1 (audit PATIENT4): given the kenmerk typed as an Arabic or
    Persian keyboard types it, when checked on the API and on the Arabic page, then the
    answer is the one the Western digits get, not "check the 14 digits"."""
    typed = invoice.reference.translate(str.maketrans("0123456789", numerals))
    status, body = _status(sandbox, typed)
    assert (status, body["reference"]) == (200, invoice.reference)
    assert body == _status(sandbox, invoice.reference)[1]
    status, html = sandbox.api("GET", "/", query={"kenmerk": typed, "lang": "ar"})
    assert status == 200 and 'id="result"' in html and 'aria-invalid="true"' not in html


# A kenmerk as copied from a PDF, a letter or a word processor, or typed in its groups.
PASTED_SEPARATORS = {
    "no-break space": "\u00a0",
    "narrow no-break space": "\u202f",
    "figure space": "\u2007",
    "en dash": "\u2013",
    "slash": "/",  # sent as %2F: the decoded path holds it
}


def _in_path(text):
    return quote(text, safe="")


@pytest.mark.parametrize("separator", PASTED_SEPARATORS.values(), ids=PASTED_SEPARATORS)
def test_r10_a_kenmerk_pasted_with_unicode_spaces_or_slashes_in_the_path_finds_the_invoice(
    sandbox, invoice, separator
):
    """R10, R36 (audit paths50: a no-break space, U+202F or %2F in the path reached no
    route: 404 "address does not exist", the one kenmerk parser never asked)."""
    # Given the kenmerk in its groups with what a copy or a typist put between them
    pasted = _in_path(reference.grouped(invoice.reference).replace(" ", separator))
    plain = _status(sandbox, invoice.reference)
    # When the patient checks it and asks a deferral with the right birth date
    checked = _status(sandbox, pasted)
    deferred = sandbox.api(
        "POST",
        f"/api/v1/invoices/{pasted}/deferral",
        body={"birth_date": invoice.birth_date.isoformat()},
        headers=JSON,
    )
    # Then the answers are those of the plain digits: found, and the deferral granted
    assert checked == plain and plain[0] == 200
    assert deferred[0] == 200 and deferred[1]["final_payment_date"] == "2027-01-22"


def test_r36_a_pasted_kenmerk_with_a_wrong_birth_date_answers_as_an_unknown_one(sandbox, invoice):
    """R36, interfaces.md §2: unknown and wrong birth date are the same answer, byte for
    byte, whatever way the kenmerk was written in the path."""
    unknown = reference.for_sequence(10**11, b"not-ours")
    wrong_birth = {"birth_date": "1900-01-01"}
    answers = [
        sandbox.api(
            "POST",
            f"/api/v1/invoices/{_in_path(reference.grouped(kenmerk).replace(' ', nbsp))}/objection",
            body={**wrong_birth, **INVOICE_POSTS["/api/v1/invoices/{reference}/objection"]},
            headers=JSON,
        )
        for kenmerk in (invoice.reference, unknown)
        for nbsp in ("\u00a0", " ")
    ]
    assert answers[0][0] == 404 and all(answer == answers[0] for answer in answers)


@pytest.mark.parametrize(
    "typed",
    ["1223\u20224534\u20226225\u202267", '"12234534622567"', "kenmerk:\u00a01223", "/", "\u00a0"],
    ids=["bullets", "quoted", "labelled", "a slash", "a no-break space"],
)
def test_r10_a_path_segment_that_is_no_kenmerk_gets_the_wrong_kenmerk_answer(
    sandbox, invoice, typed
):
    """R10 (audit paths50): what Powertools' route pattern took no character of answered
    404 "address does not exist"; it is a kenmerk that cannot be one, as 13 digits are."""
    # Given what the API answers 13 digits, on the checker and on a write
    short = invoice.reference[:-1]

    def answers(segment):
        body = {"birth_date": invoice.birth_date.isoformat()}
        return (
            _status(sandbox, segment),
            sandbox.api("POST", f"/api/v1/invoices/{segment}/deferral", body=body, headers=JSON),
        )

    # When the path holds a text no kenmerk reads from / Then the very same answers
    refused = answers(_in_path(typed))
    assert refused == answers(short)
    assert refused[0][0] == 400 and refused[0][1]["error"]["code"] == "invalid_reference"


def test_ten_thousand_random_references_get_two_shapes_of_answer_and_no_data(sandbox, invoice):
    # Given someone trying references at random (the stage throttles them when deployed)
    rng = random.Random(7)
    answers = set()
    for _ in range(10_000):
        candidate = f"{rng.randrange(10**14):014d}"
        status, body = _status(sandbox, candidate)
        answers.add(
            (
                status,
                body["error"]["code"] if status != 200 else "found",
                str(body)[:60] if status != 200 else "",
            )
        )
    # Then every answer is "invalid" or the one "not found": nothing tells them apart further
    assert {(s, c) for s, c, _ in answers} <= {(400, "invalid_reference"), (404, "not_found")}
    assert len(answers) == 2


def test_a_write_with_the_wrong_birth_date_answers_like_an_unknown_reference(sandbox, invoice):
    unknown = reference.for_sequence(10**11, b"not-ours")
    wrong_birth = sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/deferral",
        body={"birth_date": "1900-01-01"},
        headers=JSON,
    )
    unknown_ref = sandbox.api(
        "POST",
        f"/api/v1/invoices/{unknown}/deferral",
        body={"birth_date": "1900-01-01"},
        headers=JSON,
    )
    assert wrong_birth == unknown_ref
    assert wrong_birth[0] == 404


# Every POST under /invoices/{reference} -> what its body needs besides the birth date.
INVOICE_POSTS = {
    "/api/v1/invoices/{reference}/payments": {},
    "/api/v1/invoices/{reference}/deferral": {},
    "/api/v1/invoices/{reference}/arrangement": {"terms": 3},
    "/api/v1/invoices/{reference}/objection": {
        "reason": "amount",
        "message": "Te hoog",
        "email": "patient@example.org",
    },
    "/api/v1/invoices/{reference}/insurer-statement": {
        "reimbursed": 0,
        "withheld_deductible": 0,
    },
}


def invoice_posts() -> set[str]:
    """The POST routes under /invoices/{reference}, as the patient app itself serves them."""
    document = json.loads(app.get_openapi_json_schema())
    return {
        path
        for path, operations in document["paths"].items()
        if path.startswith("/api/v1/invoices/{reference}") and "post" in operations
    }


def test_every_post_under_an_invoice_is_in_the_birth_date_lockout_test():
    """A new route under /invoices/{reference} must join the test below (audit security D1)."""
    assert invoice_posts() == set(INVOICE_POSTS)


def test_every_post_under_an_invoice_counts_wrong_birth_dates_and_obeys_the_lock(sandbox, invoice):
    """interfaces.md §2: "Every POST under /invoices/{reference} also requires the
    patient's birth_date in the body; a mismatch answers exactly like an unknown
    reference"; R10 rate limited: 5 wrong birth dates lock a reference for an hour,
    whatever route they came in by (audit security D1: /payments skipped the count)."""
    repository, unknown = sandbox.runtime.repository, reference.for_sequence(10**11, b"not-ours")

    def post(route, kenmerk, birth_date):
        body = {"birth_date": birth_date.isoformat(), **INVOICE_POSTS[route]}
        return sandbox.api("POST", route.format(reference=kenmerk), body=body, headers=JSON)

    def tries():
        return repository.wrong_birth_dates(invoice.reference, sandbox.clock.now())

    wrong, actions_before = date(1900, 1, 1), repository.list_actions(DENTAL.provider_id)
    # Given a wrong birth date sent to each route: each is counted
    for count, route in enumerate(INVOICE_POSTS, start=1):
        assert post(route, invoice.reference, wrong)[0] == 404, route
        assert tries() == count, route
    # And enough of them to lock the reference
    while tries() < MAX_WRONG_BIRTH_DATES:
        post(next(iter(INVOICE_POSTS)), invoice.reference, wrong)
    for route in INVOICE_POSTS:
        # When the right birth date comes in by that route while the reference is locked
        locked = post(route, invoice.reference, invoice.birth_date)
        # Then the answer is that of a reference nobody has
        assert locked == post(route, unknown, invoice.birth_date), route
        assert locked[0] == 404, route
    # And nothing changed: no deferral, arrangement, statement or objection
    assert repository.find_invoice_by_reference(invoice.reference) == invoice
    assert repository.list_actions(DENTAL.provider_id) == actions_before


def test_a_deferral_moves_the_final_date_once_and_is_confirmed_by_email(sandbox, invoice):
    path = f"/api/v1/invoices/{invoice.reference}/deferral"
    body = {"birth_date": invoice.birth_date.isoformat()}
    status, granted = sandbox.api("POST", path, body=body, headers=JSON)
    assert status == 200 and granted["final_payment_date"] == "2027-01-22"  # R14: +30 days
    # When the form is sent again (a double click, a reload): the first answer, once (R38)
    status, again = sandbox.api("POST", path, body=body, headers=JSON)
    assert (status, again) == (200, granted)
    sandbox.drain_deliveries()
    kinds = [m["subject"] for m in sandbox.outbox() if m["kenmerk"] == invoice.reference]
    assert len(kinds) == 2  # the invoice and the deferral confirmation
    assert _status(sandbox, invoice.reference)[1]["state"] == "deferred"
    # And asked again after a retry's lifetime: once per invoice (R14), refused
    sandbox.clock.advance(days=2)
    status, later = sandbox.api("POST", path, body=body, headers=JSON)
    assert status == 409 and later["error"]["code"] == "already_deferred"


def test_paying_by_ideal_through_the_fake_psp(sandbox, invoice):
    # Given the patient starts an iDEAL payment
    status, checkout = sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/payments",
        body={"birth_date": invoice.birth_date.isoformat()},
        headers=JSON,
    )
    assert status == 201 and "/_local/psp/checkout/" in checkout["checkout_url"]
    # When the bank reports it paid (the webhook re-fetches the payment, R11)
    sandbox.complete_psp_payment(checkout["payment_id"], "paid")
    # Then nothing is due and the checker says paid
    status, body = _status(sandbox, invoice.reference)
    assert (body["status"], body["amount_due"], body["state"]) == ("paid", 0, "paid")


@pytest.mark.parametrize(
    "headers, body, status, code",
    [
        (
            {"Content-Type": "text/plain"},
            '{"birth_date": "1980-01-01"}',
            415,
            "unsupported_media_type",
        ),
        (JSON, "x" * 9000, 413, "too_large"),
        (JSON, '{"birth_date": "gisteren"}', 400, "validation_error"),
        (JSON, '{"birth_date": "1980-01-01", "terms": 13}', 400, "validation_error"),
    ],
)
def test_bad_requests_are_refused_with_the_error_shape(
    sandbox, invoice, headers, body, status, code
):
    path = f"/api/v1/invoices/{invoice.reference}/arrangement"
    answer = sandbox.api("POST", path, body=body, headers=headers)
    assert answer[0] == status and answer[1]["error"]["code"] == code


def test_an_arrangement_schedules_terms_with_the_fee(sandbox, invoice):
    status, body = sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/arrangement",
        body={"birth_date": invoice.birth_date.isoformat(), "terms": 2},
        headers=JSON,
    )
    if invoice.amount_due_cents + 1000 < 2 * 2500:
        assert status == 422  # R15: terms of at least €25
        return
    assert status == 200 and len(body["terms"]) == 2 and body["fee"] == 1000
    assert (
        sum(t["amount"] for t in body["terms"]) == body["total"] == invoice.amount_due_cents + 1000
    )


def test_an_objection_becomes_an_open_action_and_an_acknowledgement(sandbox, invoice):
    status, _ = sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/objection",
        body={
            "birth_date": invoice.birth_date.isoformat(),
            "reason": "amount",
            "message": "Te hoog",
            "email": "p@example.org",
        },
        headers=JSON,
    )
    assert status == 202
    actions = sandbox.runtime.repository.list_actions(DENTAL.provider_id)
    assert [(a.kind.value, a.reference) for a in actions] == [("objection", invoice.reference)]
    sandbox.drain_deliveries()
    # The acknowledgement goes to the invoice's own address or to none (issue 13.3)
    recipients = {m["to"] for m in sandbox.outbox() if m["kenmerk"] == invoice.reference}
    assert "p@example.org" not in recipients
    assert (invoice.addressee.email in recipients) == bool(invoice.addressee.email)


def test_r16_the_same_objection_sent_twice_is_filed_once(sandbox, invoice):
    """R16 ("an open action for the provider and an acknowledgement e-mail"), interfaces.md
    §2 (no key on the patient API; audit round 37 RETRIES3): a double click, or a retry
    after a lost answer, files one objection and sends one acknowledgement."""
    path = f"/api/v1/invoices/{invoice.reference}/objection"
    body = {
        "birth_date": invoice.birth_date.isoformat(),
        "reason": "amount",
        "message": "Te hoog",
        "email": "p@example.org",
    }
    # When the same objection is posted twice on one day (the second also with a key)
    first = sandbox.api("POST", path, body=body, headers=JSON)
    again = sandbox.api("POST", path, body=body, headers=JSON | {"Idempotency-Key": "o-1"})
    # Then both are accepted, the practice has one objection, and one acknowledgement went
    assert first == again == (202, {"accepted": True})
    actions = sandbox.runtime.repository.list_actions(DENTAL.provider_id)
    assert [a.kind.value for a in actions] == ["objection"]
    sandbox.drain_deliveries()
    told = [m for m in sandbox.outbox() if m["kenmerk"] == invoice.reference]
    assert len([m for m in told if "bezwaar" in m["subject"]]) == 1  # an e-mailed invoice
    # And another message, or the same one on another day, is another objection
    assert sandbox.api("POST", path, body=body | {"message": "Niet gehad"}, headers=JSON)[0] == 202
    sandbox.clock.advance(days=1)
    assert sandbox.api("POST", path, body=body, headers=JSON)[0] == 202
    assert len(sandbox.runtime.repository.list_actions(DENTAL.provider_id)) == 3


def test_the_page_shows_the_status_in_dutch_and_english(sandbox, invoice):
    status, html = sandbox.api("GET", "/", query={"kenmerk": invoice.reference})
    assert status == 200 and "Deze nota staat open." in html and 'lang="nl"' in html
    status, html = sandbox.api("GET", "/", query={"kenmerk": invoice.reference, "lang": "en"})
    assert "This invoice is open." in html and 'lang="en"' in html
    status, html = sandbox.api("GET", "/", query={"kenmerk": "1234"})
    assert "Dit betalingskenmerk klopt niet — controleer de 14 cijfers." in html
    assert invoice.patient.last_name not in html


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def unlock(sandbox, invoice, birth_date=None):
    """R36: the birth date once per visit; the answer (a redirect with the visit pass)."""
    born = (birth_date or invoice.birth_date).isoformat()
    form = f"action=unlock&kenmerk={invoice.reference}&lang=nl&birth_date={born}"
    return sandbox.api_raw("POST", "/", body=form, headers=FORM)


def visit_cookie(answer) -> str:
    cookies = (answer.get("multiValueHeaders") or {}).get("Set-Cookie", [])
    return next(cookie.split(";")[0] for cookie in cookies if cookie.startswith("zn_visit="))


def test_the_page_forms_work_without_javascript(sandbox, invoice):
    # Given a visit that checked the birth date once (R36)
    answer = unlock(sandbox, invoice)
    assert answer["statusCode"] == 303
    cookie = visit_cookie(answer)
    # When the patient asks for a deferral with the page's form, without a birth date
    form = f"action=defer&kenmerk={invoice.reference}&lang=nl"
    status, html = sandbox.api("POST", "/", body=form, headers=FORM | {"Cookie": cookie})
    # Then it is granted
    assert status == 200 and "Uitstel is verleend" in html and "22 januari 2027" in html


def test_r16_the_checkers_objection_form_sent_again_files_one_objection(sandbox, invoice):
    """R16, R35 (audit round 37 RETRIES3): the checker's objection form sent twice (a
    double click, a reload that sends it again) files one objection, one acknowledgement."""
    cookie = visit_cookie(unlock(sandbox, invoice))
    form = urlencode(
        {
            "action": "object",
            "kenmerk": invoice.reference,
            "lang": "nl",
            "reason": "treatment",
            "message": "Niet behandeld op die dag",
            "email": "p@example.org",
        }
    )
    answers = [sandbox.api("POST", "/", body=form, headers=FORM | {"Cookie": cookie}) for _ in "12"]
    assert [status for status, _ in answers] == [200, 200]
    actions = sandbox.runtime.repository.list_actions(DENTAL.provider_id)
    assert [a.kind.value for a in actions] == ["objection"]
    sandbox.drain_deliveries()
    told = [m for m in sandbox.outbox() if m["kenmerk"] == invoice.reference]
    assert len([m for m in told if "bezwaar" in m["subject"]]) == 1  # an e-mailed invoice


def test_r16_a_paper_patients_objection_promises_no_email(sandbox):
    """R16, R7, R36 (audit REQUESTS3): the acknowledgement goes only to the invoice's own
    working e-mail address (issue 13.3), never to the address typed in the form. Given a
    paper invoice, when its patient objects on the page, then the objection is filed and
    the page promises no e-mail that will not come: it says the practice will be in touch;
    and no e-mail is sent (to the typed address or any)."""
    # Of the 30 lines only PAT000005's, the first patient on paper (no e-mail address)
    week = lines_of_patient(declaration_csv(30), "PAT000005")
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", week)
    sandbox.drain_deliveries()
    found, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    (on_paper,) = [i for i in found if i.channel is Channel.PAPER and not i.live_email]
    cookie = visit_cookie(unlock(sandbox, on_paper))
    form = urlencode(
        {
            "action": "object",
            "kenmerk": on_paper.reference,
            "lang": "nl",
            "reason": "amount",
            "message": "Te hoog",
            "email": "getypt@example.org",
        }
    )

    status, html = sandbox.api("POST", "/", body=form, headers=FORM | {"Cookie": cookie})

    notice = html.split('id="notice">', 1)[1].split("</div>", 1)[0]
    assert status == 200 and "per e-mail" not in notice, notice
    assert "Uw bezwaar is ontvangen. Uw zorgverlener neemt contact met u op." in notice
    actions = sandbox.runtime.repository.list_actions(DENTAL.provider_id)
    assert [a.kind.value for a in actions] == ["objection"]
    sandbox.drain_deliveries()
    assert [m for m in sandbox.outbox() if m["kenmerk"] == on_paper.reference] == []


def test_the_visit_pass_is_a_strict_httponly_cookie_without_the_birth_date(sandbox, invoice):
    answer = unlock(sandbox, invoice)
    (set_cookie,) = [
        c for c in answer["multiValueHeaders"]["Set-Cookie"] if c.startswith("zn_visit=")
    ]
    assert "HttpOnly" in set_cookie and "Secure" in set_cookie
    assert "SameSite=Strict" in set_cookie
    assert invoice.birth_date.isoformat() not in set_cookie
    assert invoice.birth_date.isoformat() not in _headers(answer)["Location"]


def test_a_form_without_a_visit_pass_asks_the_birth_date_again(sandbox, invoice):
    form = f"action=defer&kenmerk={invoice.reference}&lang=nl&birth_date={invoice.birth_date}"
    status, html = sandbox.api("POST", "/", body=form, headers=FORM)
    assert status == 200 and "Uitstel is verleend" not in html
    assert 'id="birth-date"' in html
    repository = sandbox.runtime.repository
    assert repository.get_invoice(invoice.provider_id, invoice.invoice_id).deferral is None


# A cookie's quoted value may carry octal escapes: \262 is "²", \351 is "é".
@pytest.mark.parametrize("forged", [r"{ref}.\262.sig", r"{ref}.4102444800.\351\351"])
def test_a_forged_visit_pass_asks_the_birth_date_again(sandbox, invoice, forged):
    """A pass whose expiry is a digit only to str.isdigit ("²"), or whose signature is
    not ASCII, is no pass: the page asks the birth date, it does not crash (audit D6)."""
    cookie = f'zn_visit="{forged.format(ref=invoice.reference)}"'
    form = f"action=defer&kenmerk={invoice.reference}&lang=nl"
    status, html = sandbox.api("POST", "/", body=form, headers=FORM | {"Cookie": cookie})
    assert status == 200 and 'id="birth-date"' in html and "Uitstel is verleend" not in html
    query = {"kenmerk": invoice.reference, "lang": "nl"}
    answer = sandbox.api_raw("GET", "/nota.pdf", query=query, headers={"Cookie": cookie})
    assert 'id="birth-date"' in answer["body"]


def test_a_wrong_birth_date_gets_the_page_an_unknown_kenmerk_gets(sandbox, invoice):
    """Issue 13 item 13: the same HTML for a wrong birth date and an unknown kenmerk."""
    wrong = unlock(sandbox, invoice, invoice.birth_date.replace(year=1901))
    unknown_invoice = dataclasses.replace(invoice, reference="12234534622567")
    unknown = unlock(sandbox, unknown_invoice, invoice.birth_date.replace(year=1901))
    assert wrong["statusCode"] == unknown["statusCode"] == 404
    assert 'aria-invalid="true"' in wrong["body"]
    assert wrong["body"].replace(invoice.reference, "K") == unknown["body"].replace(
        "12234534622567", "K"
    )


def test_r36_a_birth_date_typed_as_text_is_read_or_told_its_form(sandbox, invoice, subtests):
    """R36, R9 (audit checker8): given a browser without a date field, where the patient
    types the birth date as text, when it is day-month-year (7-3-1984, 07/03/1984) it opens
    the invoice as the date field's 1984-03-07 does; when it cannot be read ("7 maart
    1984") the page says how to write it (400, the field marked), never "no invoice with
    this date of birth", and it counts as no wrong try (R10's lock)."""
    born = invoice.birth_date
    repository = sandbox.runtime.repository
    for typed in (f"{born.day}-{born.month}-{born.year}", born.strftime("%d/%m/%Y")):
        with subtests.test(typed=typed):
            answer = unlock_typed(sandbox, invoice, typed)
            assert answer["statusCode"] == 303 and visit_cookie(answer)
    unreadable = unlock_typed(sandbox, invoice, f"{born.day} maart {born.year}")
    assert unreadable["statusCode"] == 400
    assert "Deze geboortedatum kunnen we niet lezen" in unreadable["body"]
    assert 'aria-invalid="true"' in unreadable["body"]
    assert "We vinden geen nota" not in unreadable["body"]
    assert repository.wrong_birth_dates(invoice.reference, sandbox.clock.now()) == 0


def unlock_typed(sandbox, invoice, typed: str):
    form = urlencode(
        {"action": "unlock", "kenmerk": invoice.reference, "lang": "nl", "birth_date": typed}
    )
    return sandbox.api_raw("POST", "/", body=form, headers=FORM)


@pytest.mark.parametrize(
    "method, body",
    [
        ("GET", None),  # the empty page
        ("POST", "action=unlock&kenmerk=12234534622567&birth_date=1980-01-01"),  # a 404 state
    ],
)
def test_every_page_answer_carries_the_security_headers(sandbox, method, body):
    """Given the checker's page, empty or answering a birth date (R29, R36), then it is never
    cached, sniffed, framed or referred, loads nothing from elsewhere, and tells the browser
    to come back over HTTPS only, as the portal's pages do (audit59c: a patient typing the
    address without https:// could be served a look-alike that asks the birth date)."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    answer = sandbox.api_raw(method, "/", body=body, headers=form if body else None)
    assert answer["statusCode"] == (404 if body else 200)
    headers = _headers(answer)
    assert headers["Content-Type"].startswith("text/html")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers.get("Strict-Transport-Security") == "max-age=63072000; includeSubDomains"


def test_json_answers_do_not_carry_the_page_headers(sandbox, invoice):
    answer = sandbox.api_raw("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert answer["statusCode"] == 200
    assert "Content-Security-Policy" not in _headers(answer)


def _headers(answer):
    """The answer's headers, one value each, however the integration response put them."""
    multi = {name: values[0] for name, values in (answer.get("multiValueHeaders") or {}).items()}
    return multi | (answer.get("headers") or {})


def test_r36_the_invoice_pdf_downloads_once_the_birth_date_was_checked(sandbox, invoice):
    cookie = visit_cookie(unlock(sandbox, invoice))
    query = {"kenmerk": invoice.reference, "lang": "nl"}
    answer = sandbox.api_raw("GET", "/nota.pdf", query=query, headers={"Cookie": cookie})
    assert answer["statusCode"] == 200
    assert _headers(answer)["Content-Type"] == "application/pdf"
    assert f'filename="nota-{invoice.reference}.pdf"' in _headers(answer)["Content-Disposition"]
    assert base64.b64decode(answer["body"]).startswith(b"%PDF-")


@pytest.mark.parametrize(
    "path, needs_visit",
    [("/nota.pdf", True), ("/api/v1/payment-status/{ref}", False)],
    ids=["invoice-pdf", "status-json"],
)
def test_r29_answers_about_an_invoice_are_never_cached_or_sniffed(
    sandbox, invoice, path, needs_visit
):
    """R29, R36, interfaces.md §8 (audit PATIENT1): given an unlocked visit, when the
    invoice PDF (name, address, treatments) or the status of the invoice is fetched, then
    the answer is not kept by a shared computer's browser or a proxy after the visit, nor
    sniffed into another type: the HTML pages' Cache-Control and nosniff, on every answer."""
    cookie = visit_cookie(unlock(sandbox, invoice)) if needs_visit else ""
    query = {"kenmerk": invoice.reference, "lang": "nl"} if needs_visit else None
    answer = sandbox.api_raw(
        "GET",
        path.format(ref=invoice.reference),
        query=query,
        headers={"Cookie": cookie} if cookie else None,
    )
    headers = _headers(answer)
    assert answer["statusCode"] == 200 and not headers["Content-Type"].startswith("text/html")
    assert headers.get("Cache-Control") == "no-store"
    assert headers.get("X-Content-Type-Options") == "nosniff"


def _downloaded_pdf(sandbox, invoice) -> bytes:
    cookie = visit_cookie(unlock(sandbox, invoice))
    query = {"kenmerk": invoice.reference, "lang": "nl"}
    answer = sandbox.api_raw("GET", "/nota.pdf", query=query, headers={"Cookie": cookie})
    return base64.b64decode(answer["body"])


def test_r36_the_pdf_is_the_one_the_e_mail_had_and_later_says_what_is_due_now(sandbox, invoice):
    """Given an invoice just e-mailed (R7), when the patient downloads it after the birth
    date, then it is the very PDF the e-mail had attached; and once paid in part, the
    invoice as sent, with what is due now on its first page (R36; audit LETTERS1)."""
    [email] = [mail for mail in sandbox.outbox() if mail["kenmerk"] == invoice.reference]
    [attached] = [part["content"] for part in email["attachments"]]
    assert _downloaded_pdf(sandbox, invoice) == attached
    half = invoice.amount_due_cents // 2
    part = IncomingPayment("bank", "E2E-COPY-1", half, sandbox.clock.now())
    book_payment(sandbox.runtime.repository, invoice.reference, part, clock=sandbox.clock)
    shows = " ".join(shown(_downloaded_pdf(sandbox, invoice)).split())
    # As ``shown`` reads them: the amount's no-break space as the space it looks like.
    asked = format_euros(invoice.amount_due_cents).replace("\u00a0", " ")
    left = format_euros(invoice.amount_due_cents - half).replace("\u00a0", " ")
    assert f"Maak {asked} uiterlijk 23 december 2026" in shows
    assert "Dit is de nota zoals wij die op 23 november 2026 per e-mail verstuurden" in shows
    assert f"U betaalt nu {left}, uiterlijk 23 december 2026" in shows


def test_r36_without_a_visit_pass_the_pdf_link_shows_the_page(sandbox, invoice):
    query = {"kenmerk": invoice.reference, "lang": "nl"}
    answer = sandbox.api_raw("GET", "/nota.pdf", query=query)
    assert _headers(answer)["Content-Type"].startswith("text/html")
    assert 'id="birth-date"' in answer["body"]


@pytest.mark.parametrize(
    "path, language, words",
    [
        ("/vragen", "nl", "Kan ik in termijnen betalen?"),
        ("/voorwaarden", "nl", "15% over de eerste €\u00a02.500 (minstens €\u00a040)"),
        ("/voorwaarden", "en", "then for the interest, then for the amount"),
        ("/privacy", "en", "the date of birth itself is not in the cookie"),
    ],
)
def test_r36_the_pages_for_patients_answer_in_the_asked_language(sandbox, path, language, words):
    answer = sandbox.api_raw("GET", path, query={"lang": language})
    assert answer["statusCode"] == 200
    assert words in answer["body"] and f'lang="{language}"' in answer["body"]
    assert "default-src 'none'" in _headers(answer)["Content-Security-Policy"]


def test_an_objection_wrong_in_two_ways_answers_both_codes(sandbox, invoice):
    """R16, WCAG 3.3.1 (the page names every wrong part at once): given an objection whose
    message is nothing but a control character the service strips ("\\x1c", which the
    request model lets through) and whose e-mail address is not one, when it is posted to
    the API, then the 422 names both codes, the first still as ``code`` for clients that
    read it, and its message says both."""
    status, body = sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/objection",
        body={
            "birth_date": invoice.birth_date.isoformat(),
            "reason": "amount",
            "message": "\x1c",
            "email": "jan@hotmail",
        },
        headers=JSON,
    )
    assert status == 422
    assert body["error"]["code"] == "invalid_objection_message"
    assert body["error"]["codes"] == ["invalid_objection_message", "invalid_objection_email"]
    dutch, english = body["error"]["message"].split(" / ")
    assert "e-mailadres" in dutch and "e-mail address" in english
    assert sandbox.runtime.repository.list_actions(DENTAL.provider_id) == []


def test_r16_an_objection_over_2000_characters_is_the_forms_422(sandbox, invoice):
    """R16, interfaces.md patient API: given an objection of 2001 characters, when it is
    posted to the API, then it answers as the checker's form does: 422
    invalid_objection_message, "at most 2000 characters" in its words (before: a 400 of the
    request model), and nothing is filed."""
    status, body = sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/objection",
        body={
            "birth_date": invoice.birth_date.isoformat(),
            "reason": "amount",
            "message": "x" * 2001,
            "email": "jan@example.nl",
        },
        headers=JSON,
    )
    assert status == 422
    assert body["error"]["code"] == "invalid_objection_message"
    assert body["error"]["message"] == (
        "Schrijf een bericht van hoogstens 2000 tekens. / "
        "Write a message of at most 2000 characters."
    )
    assert sandbox.runtime.repository.list_actions(DENTAL.provider_id) == []


def test_r16_an_objections_line_break_counts_as_one_character(sandbox, invoice):
    """R16: given an objection of 1000 lines, "x" and a Windows line break (CRLF) each:
    2000 characters as the form counts them, 3000 as bytes of text, when it is posted to
    the API, then it is filed (202; before: a 400, the request model counted 3000)."""
    status, _ = sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/objection",
        body={
            "birth_date": invoice.birth_date.isoformat(),
            "reason": "amount",
            "message": "x\r\n" * 1000,
            "email": "jan@example.nl",
        },
        headers=JSON,
    )
    assert status == 202
    [action] = sandbox.runtime.repository.list_actions(DENTAL.provider_id)
    assert action.details["message"] == ("x\r\n" * 1000).strip()


@pytest.mark.parametrize(
    "language, title, direction",
    [
        ("nl", "Pagina niet gevonden", "ltr"),
        ("en", "Page not found", "ltr"),
        ("pl", "Nie znaleziono strony", "ltr"),
        ("ar", "الصفحة غير موجودة", "rtl"),
    ],
)
def test_an_address_no_page_has_gets_a_404_page_in_the_readers_language(
    sandbox, language, title, direction
):
    """R9, R36, interfaces.md §2 (audit pages PAGES1).
    Given the address on a letter, mistyped or cut short ("/nota")
    When a patient opens it with the checker's ?lang=
    Then the answer is a 404 page (not API Gateway's 403 JSON) in that language, titled,
    with its lang and direction, that leads back to the checker."""
    answer = sandbox.api_raw("GET", "/nota", query={"lang": language})
    html = answer["body"]
    assert answer["statusCode"] == 404
    assert answer["multiValueHeaders"]["Content-Type"] == ["text/html; charset=utf-8"]
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f"<title>{title} · zorgnota</title>" in html and f"<h1>{title}</h1>" in html
    back = "/" if language == "nl" else f"/?lang={language}"
    assert f'href="{back}"' in html


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
@pytest.mark.parametrize(
    "path", ["/api/v1/payment-status", "/api/v2/invoices", "/api/v1/provider/invoicez"]
)
def test_a_program_calling_an_unknown_api_path_gets_the_apis_json_404(sandbox, method, path):
    """interfaces.md §2 (audit pages PAGES1): Given a path under /api/ that no route
    serves, When a program calls it, with or without a token, Then it gets 404 in the
    APIs' error shape, not API Gateway's 403 "Missing Authentication Token"."""
    status, answer = sandbox.api(method, path, provider_id=DENTAL.provider_id)
    assert (status, answer["error"]["code"]) == (404, "not_found")


@pytest.mark.parametrize(
    "separator", ["\u00a0", "\u202f", "/"], ids=["nbsp", "narrow nbsp", "slash"]
)
def test_r10_a_kenmerk_pasted_in_a_path_the_rest_api_leaves_percent_encoded_finds_the_invoice(
    sandbox, invoice, separator
):
    """R10: a REST API passes the path as the browser sent it, percent-encoded, where the
    sandbox decodes it first; the kenmerk pasted with a PDF's no-break spaces reaches its
    parser either way (routing._Resolver decodes the kenmerk's segment once)."""
    # Given the event API Gateway passes for the pasted kenmerk, its path still encoded
    sent = f"/api/v1/payment-status/{_in_path(reference.grouped(invoice.reference).replace(' ', separator))}"
    route = sandbox.routes.match("GET", f"/api/v1/payment-status/{invoice.reference}")
    event = sandbox.api_event("GET", sent, caller=None, body=None, query=None)
    event["path"], event["requestContext"]["path"] = sent, f"/{STAGE}{sent}"
    event["resource"] = event["requestContext"]["resourcePath"] = route.path
    # When the patient API answers it
    answer = sandbox.invoke(route.function, event)
    # Then it is the answer to the plain digits
    assert (answer["statusCode"], json.loads(answer["body"])) == _status(sandbox, invoice.reference)


@pytest.mark.parametrize(
    "language, words",
    [
        ("nl", "over het deel van het notabedrag dat nog openstaat, niet over de incassokosten"),
        ("en", "on the part of the invoice's amount still open, not on the collection costs"),
        ("pl", "od niezapłaconej części kwoty faktury, nie od kosztów windykacji"),
        ("ar", "على الجزء غير المدفوع من مبلغ الفاتورة، لا على تكاليف التحصيل"),
    ],
)
def test_legal_4_the_terms_say_interest_runs_on_the_principal_not_on_the_costs(
    sandbox, language, words
):
    """legal-nl.md §4 (interest accrues on the outstanding principal), R36 (checker57 noticed:
    the payment terms said "on the amount open", which after the costs holds them too).
    Given the payment terms page When it is read in each language Then interest runs on the
    invoice's amount still open, not on the collection costs."""
    answer = sandbox.api_raw("GET", "/voorwaarden", query={"lang": language})

    assert answer["statusCode"] == 200
    assert words in html.unescape(answer["body"])
